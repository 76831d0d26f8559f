/**
 * @file tests/guest/e1000_drv.h
 * @brief The test guest's own small driver for the 82540EM (`e1000`) and the
 *        82574L (`e1000e`), which the e1000 checks drive under bookvisor's
 *        `net=pass` (chapter 09).
 *
 * A driver of the smallest kind: reset (through the I/O window, as Linux's
 * e1000 resets an 82540EM), the MAC from RAL0/RAH0, the other receive
 * addresses cleared (as a driver may at its start; they must read back 0),
 * one transmit and one receive ring of E1000_RING legacy descriptors in the
 * guest's own memory, polled. The device's slot is `e1000.slot=bb:dd.f`
 * (default 00:02.0). On an 82574L the I/O window is whichever BAR is an I/O
 * one (BAR2 there), and `e1000.rx=ext` makes the receive ring one of
 * *extended* descriptors (RFCTL.EXSTEN, as Linux's e1000e has it): written
 * back as status and errors in bytes 8-11 and the length in 12-13, and each
 * descriptor given its buffer address again. The e1000_rx_*() accessors
 * read either format.
 */
#ifndef GUEST_E1000_DRV_H
#define GUEST_E1000_DRV_H

#include "check.h"
#include "gtypes.h"
#include "pci_util.h"

/** @name Registers and bits the checks use */
/** @{ */
#define E1000_CTRL 0x0000
#define E1000_ICR 0x00C0
#define E1000_IMC 0x00D8
#define E1000_RCTL 0x0100
#define E1000_TCTL 0x0400
#define E1000_TIPG 0x0410
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404
#define E1000_RFCTL 0x5008           /**< 82574L: receive filter control */
#define E1000_RFCTL_EXSTEN (1u << 15) /**< extended receive descriptors */
#define E1000_RCTL_DTYP_SPLIT (1u << 10) /**< 82574L: packet-split receive descriptors */
#define E1000_ICR_RXQ0 (1u << 20)    /**< 82574L: receive queue 0 (MSI-X) */
#define E1000_ICR_TXQ0 (1u << 22)    /**< 82574L: transmit queue 0 (MSI-X) */
#define E1000_ID_82540EM 0x100E8086u /**< vendor and device ID */
#define E1000_ID_82574L 0x10D38086u  /**< vendor and device ID */
#define E1000_ICR_TXDW (1u << 0)
#define E1000_ICR_RXT0 (1u << 7)
#define E1000_RCTL_SECRC (1u << 26)  /**< strip the CRC */
#define E1000_RCTL_BSIZE_256 (3u << 16) /**< 256-byte receive buffers */
#define E1000_TXD_EOP 0x01
#define E1000_TXD_IFCS 0x02
#define E1000_TXD_RS 0x08
#define E1000_RXD_DD 0x01
#define E1000_RXD_EOP 0x02
/** @} */

/** Descriptors per ring: 128 bytes, the smallest length allowed. */
#define E1000_RING 8
/** Bytes of each buffer. */
#define E1000_BUF 2048

/** A legacy transmit descriptor. */
struct e1000_txd {
    u64 addr;        /**< the frame's bytes */
    u16 length;      /**< how many */
    u8 cso;          /**< checksum offset */
    u8 cmd;          /**< EOP, IFCS, RS, ... */
    u8 status;       /**< DD */
    u8 css;          /**< checksum start */
    u16 special;     /**< VLAN tag */
} __attribute__((packed));

/** A legacy receive descriptor. */
struct e1000_rxd {
    u64 addr;        /**< the buffer */
    u16 length;      /**< bytes stored */
    u16 checksum;    /**< packet checksum */
    u8 status;       /**< DD, EOP */
    u8 errors;       /**< RXE, ... */
    u16 special;     /**< VLAN tag */
} __attribute__((packed));

/** The device as the checks drive it. */
struct e1000_nic {
    volatile u8 *regs;    /**< BAR 0 */
    u16 io;               /**< the I/O window (IOADDR, IODATA), 0: none */
    u8 mac[6];            /**< from RAL0/RAH0 */
    u32 tx_next;          /**< the next transmit descriptor to fill */
    u32 rx_next;          /**< the next receive descriptor to look at */
    u32 icr_seen;         /**< every cause ICR showed */
    bool is_82574l;       /**< the device is an 82574L */
    bool ext;             /**< its receive ring holds extended descriptors (e1000.rx=ext) */
};

/** The rings and buffers (one device at a time). */
extern struct e1000_txd e1000_tx_ring[E1000_RING];
extern struct e1000_rxd e1000_rx_ring[E1000_RING];
extern u8 e1000_tx_buf[E1000_BUF];
extern u8 e1000_rx_buf[E1000_RING][E1000_BUF];

/** Read a register by BAR 0. */
u32 e1000_rd(struct e1000_nic *n, u32 reg);
/** Write a register by BAR 0. */
void e1000_wr(struct e1000_nic *n, u32 reg, u32 value);
/** Write a register through the I/O window. */
void e1000_io_wr(struct e1000_nic *n, u32 reg, u32 value);
/** Read a register through the I/O window. */
u32 e1000_io_rd(struct e1000_nic *n, u32 reg);
/** Read a dword of the slot's configuration space (port 0xCF8). */
u32 e1000_cfg_read(struct slot s, u32 off);
/** Write a dword of the slot's configuration space. */
void e1000_cfg_write(struct slot s, u32 off, u32 value);
/** Program both rings empty (the receive ring's buffers all handed over), at these bases. */
void e1000_rings_setup(struct e1000_nic *n, u32 rx_base, u32 tx_base);
/** The device's slot from e1000.slot= (default 00:02.0); false with the reason in res. */
bool e1000_slot(const struct check_context *ctx, struct check_result *res, struct slot *s);
/**
 * Find, reset and start the device, its receive control the driver's
 * (EN, BAM, SECRC, 2 KiB buffers) with rctl_change's bits flipped; false
 * with the reason in res.
 */
bool e1000_open(const struct check_context *ctx, struct check_result *res, struct e1000_nic *n,
                u32 rctl_change);
/** Has receive descriptor i been written back (DD), in the ring's format? */
bool e1000_rx_done(u32 i);
/** Its length. */
u16 e1000_rx_len(u32 i);
/** Its errors (the legacy bits: an extended descriptor's bits 31:24). */
u8 e1000_rx_errors(u32 i);
/** Give receive descriptor i back with its buffer at addr (the extended write-back overwrote it). */
void e1000_rx_give(u32 i, u64 addr);

/** Queue one frame of len bytes at buffer address addr; true once its descriptor is done. */
bool e1000_send(struct e1000_nic *n, u32 addr, u16 len);
/** An ARP request for 10.0.2.2 from 10.0.2.15 in e1000_tx_buf (42 bytes). */
void e1000_arp_request(const struct e1000_nic *n);

#endif
