/**
 * @file drivers/pro1000_shadow_ext_hw.h
 * @brief The pure half of `net=pass` on the 82574L (QEMU's `e1000e`): its
 *        registers beyond the 82540EM's, its receive descriptor formats and
 *        its queue interrupt causes (pure; chapter 09).
 *
 * The 82574L keeps every register of the 82540EM that the shadow rings
 * mediate (drivers/pro1000_shadow_hw.h) and adds a few that matter to them:
 *
 * - a second queue in each direction, whose ring registers (RDBAL1 to RDT1,
 *   TDBAL1 to TDT1) would give the device DMA addresses: virtual, kept for
 *   the guest to read back and never written to the device;
 * - RFCTL, whose EXSTEN bit switches the receive ring to *extended*
 *   descriptors (Linux's e1000e uses them), and RCTL's DTYP, which selects
 *   packet-split descriptors: the guest's choice is bookvisor's to honour in
 *   the guest's ring, while the device keeps writing legacy descriptors into
 *   bookvisor's ring (EXSTEN and DTYP cleared on the device);
 * - MRQC, whose receive-side scaling could send frames to the second queue,
 *   which the device does not have from bookvisor: its enable is cleared on
 *   the device;
 * - RCTL's FLXBUF, a buffer size in KiB that overrides BSIZE.
 *
 * Everything else (IVAR, EIAC, IAM, CTRL_EXT, RXDCTL, TXDCTL, ITR, EITR,
 * RXCSUM, ...) carries no address and passes on (chapter 09 says why each).
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_SHADOW_EXT_HW_H
#define BOOKVISOR_DRIVERS_PRO1000_SHADOW_EXT_HW_H

#include "common/lib/types.h"
#include "drivers/pro1000_shadow_hw.h"

/** @name The 82574L's registers and bits the mediation needs */
/** @{ */
#define PRO1000_RFCTL 0x5008          /**< receive filter control */
#define PRO1000_MRQC 0x5818           /**< multiple receive queues command */
#define PRO1000_RDBAL1 0x2900         /**< queue 1's receive ring base, low (RDT1 at 0x2918) */
#define PRO1000_TDBAL1 0x3900         /**< queue 1's transmit ring base, low (TDT1 at 0x3918) */
#define PRO1000_RFCTL_EXSTEN (1u << 15) /**< extended receive descriptors */
#define PRO1000_RCTL_DTYP (3u << 10)  /**< receive descriptor type: 00 legacy/extended, 01 split */
#define PRO1000_RCTL_FLXBUF (0xFu << 27) /**< flexible buffer size in KiB (0: BSIZE) */
#define PRO1000_MRQC_ENABLE 3u        /**< multiple receive queues: 01 is RSS */
#define PRO1000_ICR_RXQ0 (1u << 20)   /**< cause: receive queue 0 (what MSI-X's IVAR maps) */
#define PRO1000_ICR_TXQ0 (1u << 22)   /**< cause: transmit queue 0 (the same) */
/** @} */

/** Registers in each queue-1 ring block: RDBAL1, RDBAH1, RDLEN1, a hole, RDH1, a hole, RDT1. */
#define PRO1000_QUEUE1_REGS 7

/** The guest's values of the 82574L's registers that are virtual or changed on the device. */
struct pro1000_shadow_82574l {
    bool on;                              /**< the device is an 82574L */
    u32 rfctl;                            /**< the guest's RFCTL */
    u32 mrqc;                             /**< the guest's MRQC */
    u32 rx1[PRO1000_QUEUE1_REGS];         /**< the guest's queue-1 receive ring registers */
    u32 tx1[PRO1000_QUEUE1_REGS];         /**< the same, transmit */
    bool split_said;                      /**< the refusal of packet split was said */
    u64 split_refused;                    /**< frames dropped: the guest asked for packet split */
};

/**
 * The class of the dword register at offset on an 82574L: its own registers
 * (RFCTL, MRQC, the queue-1 rings), else what pro1000_vreg_of() says.
 */
enum pro1000_vreg pro1000_vreg_of_82574l(u32 offset);

/** The guest's receive descriptor format, from its RCTL and RFCTL. */
enum pro1000_rx_format {
    PRO1000_RX_LEGACY,   /**< 16 bytes: address; length, checksum, status, errors, VLAN */
    PRO1000_RX_EXTENDED, /**< 16 bytes: address; written back as MRQ, RSS, status/errors, length, VLAN */
    PRO1000_RX_SPLIT,    /**< packet split (32 bytes, several buffers): refused */
};

/** Which format the guest's receive ring holds (DTYP 01 is split, whatever RFCTL says). */
enum pro1000_rx_format pro1000_rx_format_of(u32 rctl, u32 rfctl);

/** Bytes of each guest receive buffer on an 82574L: FLXBUF KiB when set, else BSIZE/BSEX. */
u32 pro1000_rx_buf_bytes_82574l(u32 rctl);

/**
 * The RCTL the device gets on an 82574L, from the value the 82540EM's rules
 * give (pro1000_rctl_for_device()): legacy descriptors and 2048-byte
 * buffers, so DTYP and FLXBUF cleared.
 */
u32 pro1000_rctl_for_82574l(u32 device_rctl);

/** The RFCTL the device gets: the guest's, with legacy descriptors (EXSTEN cleared). */
u32 pro1000_rfctl_for_device(u32 guest_rfctl);

/** The MRQC the device gets: the guest's, with one queue (the enable field cleared). */
u32 pro1000_mrqc_for_device(u32 guest_mrqc);

/**
 * The causes to raise through ICS on an 82574L for the 82540EM's causes:
 * TXDW also as TXQ0 and RXT0 also as RXQ0, since under MSI-X the device
 * signals only the queue causes (through IVAR to the guest's vectors).
 */
u32 pro1000_causes_82574l(u32 causes);

/**
 * Rewrite a receive descriptor the legacy way completed (pro1000_rxd_complete(),
 * errors set or not) into the extended write-back format, in place: MRQ and
 * RSS hash 0 (bookvisor computed none), status in bits 7:0 and the errors in
 * bits 31:24 of the status/error dword (the extended layout keeps the legacy
 * bits' order there), the length and the VLAN tag after it.
 */
void pro1000_rxd_to_extended(struct pro1000_rx_desc *d);

#endif
