/**
 * @file drivers/pro1000_shadow_hw.h
 * @brief The pure half of `net=pass` on the 82540EM: which registers are
 *        virtual, the guest's rings as numbers, its descriptors read and
 *        written back, and its receive buffer size (pure; chapter 09).
 *
 * Under `pass` the guest drives the NIC with its own driver, but the device
 * only ever sees bookvisor's rings (drivers/pro1000.c): the registers that
 * describe a ring, and so give the device a DMA address, are *virtual*.
 * bookvisor keeps the guest's values (struct pro1000_vring), walks the
 * guest's descriptors itself (drivers/pro1000_shadow.c) and passes every
 * other register on to the device. Nothing here touches memory or a
 * device, so all of it is unit-tested on the host.
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_SHADOW_HW_H
#define BOOKVISOR_DRIVERS_PRO1000_SHADOW_HW_H

#include "common/lib/types.h"
#include "drivers/pro1000_hw.h"
#include "drivers/pro1000_offload.h"

/** @name More registers and bits the mediation needs */
/** @{ */
#define PRO1000_ICS 0x00C8          /**< interrupt cause set */
#define PRO1000_IMS 0x00D0          /**< interrupt mask set */
#define PRO1000_ICR_TXDW (1u << 0)  /**< cause: a transmit descriptor was written back */
#define PRO1000_ICR_RXT0 (1u << 7)  /**< cause: a frame was received (timer 0) */
#define PRO1000_RCTL_BSIZE (3u << 16) /**< receive buffer size field */
#define PRO1000_RCTL_BSEX (1u << 25)  /**< buffer size times 16 */
#define PRO1000_TXD_DEXT 0x20       /**< transmit command: an extended descriptor */
#define PRO1000_TXD_IC 0x04         /**< legacy transmit command: insert a checksum (CSO, CSS) */
#define PRO1000_RXD_IXSM 0x04       /**< receive status: ignore the checksum indications */
#define PRO1000_RXD_RXE 0x80        /**< receive error: the frame was not received */
/** @} */

/** What one register is to the mediation. */
enum pro1000_vreg {
    PRO1000_VREG_PASS, /**< the device's: passed on as it is */
    PRO1000_VREG_RDBAL, /**< receive ring base, low (virtual) */
    PRO1000_VREG_RDBAH, /**< receive ring base, high (virtual) */
    PRO1000_VREG_RDLEN, /**< receive ring length (virtual) */
    PRO1000_VREG_RDH, /**< receive head (virtual) */
    PRO1000_VREG_RDT, /**< receive tail (virtual) */
    PRO1000_VREG_TDBAL, /**< transmit ring base, low (virtual) */
    PRO1000_VREG_TDBAH, /**< transmit ring base, high (virtual) */
    PRO1000_VREG_TDLEN, /**< transmit ring length (virtual) */
    PRO1000_VREG_TDH, /**< transmit head (virtual) */
    PRO1000_VREG_TDT, /**< transmit tail (virtual) */
    PRO1000_VREG_CTRL, /**< device control: passed on, but a reset loses bookvisor's rings */
    PRO1000_VREG_RCTL, /**< receive control: passed on with bookvisor's buffer size */
    PRO1000_VREG_TCTL, /**< transmit control: passed on, kept on while the stack shares the NIC */
    PRO1000_VREG_RAL_STACK, /**< RAL15: the stack's MAC under ippass (else passed on) */
    PRO1000_VREG_RAH_STACK, /**< RAH15: the same, high word and valid bit */
    PRO1000_VREG_RFCTL, /**< 82574L: receive filter control (EXSTEN kept from the device) */
    PRO1000_VREG_MRQC, /**< 82574L: multiple receive queues (one queue on the device) */
    PRO1000_VREG_RX1, /**< 82574L: queue 1's receive ring registers (virtual, never served) */
    PRO1000_VREG_TX1, /**< 82574L: queue 1's transmit ring registers (the same) */
};

/** @name The receive address entry bookvisor's stack takes on a shared NIC (ippass) */
/** @{ */
#define PRO1000_RAL_STACK (PRO1000_RAL0 + 8 * 15) /**< RAL15, the last of the 16 entries */
#define PRO1000_RAH_STACK (PRO1000_RAH0 + 8 * 15) /**< RAH15 */
/** @} */

/**
 * The class of the dword register at byte offset (offset & ~3) in BAR 0.
 * The ring registers count at their own offsets and at the 82542's aliases
 * (0x110-0x128, 0x420-0x438), which the 8254x still decode.
 */
enum pro1000_vreg pro1000_vreg_of(u32 offset);

/** Is the class a ring register, kept by bookvisor alone? */
bool pro1000_vreg_is_ring(enum pro1000_vreg r);

/** A guest's ring as it programmed it: the five registers, nothing checked yet. */
struct pro1000_vring {
    u32 bal;  /**< base, low 32 bits */
    u32 bah;  /**< base, high 32 bits */
    u32 len;  /**< length in bytes */
    u32 head; /**< the device's (here: bookvisor's) position */
    u32 tail; /**< the driver's position */
};

/** The ring's base address. */
u64 pro1000_vring_base(const struct pro1000_vring *r);

/**
 * Descriptors in the ring, or 0 when the registers do not describe one:
 * a length of 0, not a multiple of 128 bytes, or a base not 16-byte aligned.
 */
u32 pro1000_vring_count(const struct pro1000_vring *r);

/**
 * Descriptors the guest has handed over and bookvisor has not yet used:
 * from head up to (not including) tail. 0 when the ring is not valid or an
 * index lies outside it.
 */
u32 pro1000_vring_pending(const struct pro1000_vring *r);

/** Where descriptor i of the ring is (16 bytes each). */
u64 pro1000_vring_desc_addr(const struct pro1000_vring *r, u32 i);

/** What a guest transmit descriptor asks for. */
enum pro1000_txd_kind {
    PRO1000_TXD_DATA,    /**< bytes of a frame: *addr, *len, and whether it ends one */
    PRO1000_TXD_CONTEXT, /**< an offload context (no bytes): only marked done */
    PRO1000_TXD_BAD,     /**< a descriptor type the 82540EM does not know */
};

/**
 * Read a guest transmit descriptor: legacy (DEXT clear) or extended (DEXT
 * set: a context descriptor, type 0, or a data descriptor, type 1, whose
 * length has 20 bits). What a context asks for, and a data descriptor's
 * offloads, are read by drivers/pro1000_shadow.c (drivers/pro1000_offload.h).
 */
enum pro1000_txd_kind pro1000_txd_parse(const struct pro1000_tx_desc *d, u64 *addr, u32 *len,
                                        bool *eop);

/** Mark a guest transmit descriptor done (status DD; the same byte in every format). */
void pro1000_txd_complete(struct pro1000_tx_desc *d);

/**
 * Does the guest's transmit descriptor ask for its status back (RS, the same
 * bit in all three formats)? Only then does the device write DD, and only
 * such a descriptor raises TXDW (the 8254x manual's "Report Status").
 */
bool pro1000_txd_reports(const struct pro1000_tx_desc *d);

/**
 * A legacy descriptor's own checksum insertion (CMD.IC, read from a frame's
 * last descriptor) as a checksum context: the sum from CSS to the frame's
 * end, stored at CSO. False when the descriptor is extended or asks for none.
 * Carry it out with pro1000_offload_checksums() and PRO1000_POPTS_TXSM.
 */
bool pro1000_txd_legacy_checksum(const struct pro1000_tx_desc *d, struct pro1000_offload_ctx *c);

/** Bytes of each receive buffer a receive control value selects (BSIZE, BSEX). */
u32 pro1000_rctl_buf_bytes(u32 rctl);

/**
 * The receive control bookvisor writes for the guest's value: the guest's
 * filters and enables, but bookvisor's 2048-byte buffers and the CRC
 * stripped, since the device fills bookvisor's buffers, not the guest's.
 */
u32 pro1000_rctl_for_device(u32 guest_rctl);

/**
 * The same while bookvisor's stack shares the NIC (`ippass`): the receiver
 * stays on and accepts broadcasts (ARP, DHCP) whatever the guest asks;
 * what the guest did not ask for never reaches its ring (its RCTL is kept).
 */
u32 pro1000_rctl_for_shared_device(u32 guest_rctl);

/**
 * A receive descriptor holding one whole good frame of len bytes (DD, EOP,
 * and IXSM: bookvisor computed no checksum for the guest to trust).
 */
void pro1000_rxd_complete(struct pro1000_rx_desc *d, u16 len);

/**
 * A receive descriptor holding one piece of len bytes of a good frame spread
 * over several (DD and IXSM; EOP only when last, the frame's final piece).
 */
void pro1000_rxd_complete_piece(struct pro1000_rx_desc *d, u16 len, bool last);

/**
 * Receive descriptors a frame of total bytes (its CRC included, if kept)
 * fills with buffers of buf_bytes each: the device spreads a frame longer
 * than one buffer over consecutive descriptors. 0 when buf_bytes is 0 (a
 * reserved buffer size) or total is 0.
 */
u32 pro1000_rx_descs_for(u32 total, u32 buf_bytes);

/** The Ethernet frame check sequence (CRC-32, IEEE 802.3) of len bytes. */
u32 pro1000_fcs(const u8 *frame, size_t len);

#endif
