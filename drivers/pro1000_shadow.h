/**
 * @file drivers/pro1000_shadow.h
 * @brief `net=pass` on the 82540EM: the guest's register BAR and its
 *        descriptor rings, mediated (VMM only; chapter 09).
 *
 * The guest keeps the device and its own e1000 driver. Every access to the
 * register BAR comes here (pci/pci_mediate.h). The ring registers are
 * virtual: the device runs on bookvisor's rings (drivers/pro1000.c), and
 * bookvisor moves the guest's frames between those and the guest's rings:
 *
 * - a write of the guest's TDT sends every whole frame from its TDH up to
 *   the new tail through the network API (the `pass` module puts it on the
 *   wire), after carrying out the checksum and segmentation offloads the
 *   guest's descriptors ask for (drivers/pro1000_offload.h), writes DD back
 *   into those that ask for it (RS) and raises TXDW through ICS if any did;
 *   when bookvisor's transmit ring is full the frame stays in the guest's
 *   ring, TDH short of it, until pro1000_shadow_tx_retry() finds room;
 * - a frame the API delivers to the guest goes into the descriptors from the
 *   guest's RDH on, as many as its receive buffer size needs (EOP on the
 *   last), if RDH is that far short of RDT (else it is dropped whole and
 *   counted); they are marked done and RXT0 is raised through ICS.
 *
 * Guest memory is read and written only through pci_guest_ram_read() and
 * pci_guest_ram_write(): a ring or a buffer outside the guest's RAM (in
 * bookvisor's range, say) is refused, said once and counted.
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_SHADOW_H
#define BOOKVISOR_DRIVERS_PRO1000_SHADOW_H

#include "common/lib/spinlock.h"
#include "common/lib/types.h"
#include "drivers/pro1000_offload.h"
#include "drivers/pro1000_shadow_ext_hw.h"
#include "drivers/pro1000_shadow_hw.h"

/** Bytes of the buffer a guest's frame is gathered into: a segmentation frame's 64 KiB. */
#define PRO1000_GATHER_BYTES 65536

/** What the mediation needs from the driver that owns the device. */
struct pro1000_shadow_ops {
    /**
     * The guest reset the device: program bookvisor's rings into it again.
     * Called without the shadow's lock, which the driver's receive path
     * takes inside its own (pro1000_shadow_to_guest()).
     */
    void (*rings_lost)(void *dev);
    /** Hand what bookvisor's receive ring holds up now (the guest reads ICR); without the lock. */
    void (*poll)(void *dev);
    /** The guest sent one whole frame (the bytes are only valid during the call). */
    void (*guest_send)(void *dev, const u8 *frame, size_t len);
    /**
     * Descriptors free in bookvisor's transmit ring now (called with the
     * shadow's lock). When it answers more than 0, one of them stays kept
     * for the guest_send() that follows at once (the stack's frames under
     * ippass cannot take it in between).
     */
    u32 (*tx_room)(void *dev);
};

/** Counts of what the mediation did and refused. */
struct pro1000_shadow_counts {
    u64 tx_frames;   /**< frames taken from the guest's ring */
    u64 rx_frames;   /**< frames put into the guest's ring */
    u64 rx_no_room;  /**< frames dropped: the guest's ring had no free descriptor, or was off */
    u64 dma_refused; /**< rings, buffers and frames refused: not guest RAM, or too long */
    u64 offload_refused; /**< frames dropped: their offload could not be carried out */
    u64 tso_frames;  /**< frames segmented (each counted once in tx_frames) */
    u64 tso_segments; /**< the segments they became */
    u64 tx_waits;    /**< frames that waited in the guest's ring for room in bookvisor's */
};

/** One mediated device. */
struct pro1000_shadow {
    const char *name;                     /**< e.g. "pro1000.0", for messages */
    u64 regs;                             /**< BAR 0, physical */
    const struct pro1000_shadow_ops *ops; /**< the owning driver's */
    void *dev;                            /**< passed to ops */
    struct spinlock lock;                 /**< everything below */
    struct pro1000_vring rx, tx;          /**< the guest's rings, as it programmed them */
    u32 rctl;                             /**< the guest's receive control */
    u32 ioaddr;                           /**< the I/O window's IOADDR: a BAR 0 offset */
    bool rx_refused_said;                 /**< the receive ring's refusal was said for this setting */
    bool tx_refused_said;                 /**< the transmit ring's refusal was said for this setting */
    u32 gathered;                         /**< bytes of the frame being gathered from descriptors */
    bool gather_bad;                      /**< that frame lost a piece: dropped at its end */
    bool in_frame;                        /**< a data descriptor of that frame has come */
    u8 popts;                             /**< its offloads: its first descriptor's POPTS */
    bool tse;                             /**< its first descriptor asked for segmentation */
    bool tx_held;                         /**< a whole frame gathered, not all sent yet */
    u32 held_descs;                       /**< its descriptors, from the guest's TDH on */
    u32 held_sends;                       /**< frames it becomes on the wire (segments; 0: dropped) */
    u32 held_sent;                        /**< of those, sent already */
    bool reset_pending;                   /**< the guest reset the device; rings_lost() is due */
    bool stack_shares;                    /**< bookvisor's stack shares the NIC (ippass) */
    u8 stack_mac[6];                      /**< its MAC, kept in the device's RAL15/RAH15 */
    u32 guest_ral15;                      /**< the guest's RAL15, as it wrote it (under ippass) */
    u32 guest_rah15;                      /**< the guest's RAH15, the same */
    /** The checksum context (a context descriptor without TSE) and the segmentation one. */
    struct pro1000_offload_ctx ctx_sum, ctx_tso;
    u8 *frame;                            /**< PRO1000_GATHER_BYTES: the frame being gathered */
    u8 segment[PRO1000_RX_BUF_BYTES];     /**< one segment of a segmentation frame */
    struct pro1000_shadow_counts count;   /**< what happened */
    struct pro1000_shadow_82574l ext;     /**< an 82574L's own registers (drivers/pro1000_shadow_ext.h) */
};

/**
 * Start mediating a device whose registers are at regs (zeroes the guest's
 * view); frame is the driver's buffer of PRO1000_GATHER_BYTES bytes.
 */
void pro1000_shadow_init(struct pro1000_shadow *s, const char *name, u64 regs,
                         const struct pro1000_shadow_ops *ops, void *dev, u8 *frame);

/**
 * bookvisor's stack shares the device (`ippass`): put mac into the device's
 * last receive address entry (RAL15/RAH15, valid) and keep it there. From
 * now on the guest's RAL15/RAH15 are virtual (it reads what it wrote, the
 * device keeps mac), its TCTL and RCTL writes leave the transmitter and the
 * receiver on (and broadcasts accepted), and after a reset by the guest all
 * of this is written to the device again.
 */
void pro1000_shadow_share(struct pro1000_shadow *s, const u8 mac[6]);

/**
 * The guest accesses size (1, 2, 4 or 8) bytes at offset in BAR 0, offset a
 * multiple of size (a struct pci_mediator's access).
 */
void pro1000_shadow_access(struct pro1000_shadow *s, u64 offset, u8 size, bool write, u64 *value);

/**
 * The guest accesses size bytes at offset in the I/O BAR: the 8254x's
 * indirect window onto BAR 0, IOADDR (offset 0, the register's offset) and
 * IODATA (offset 4, the register itself), both dwords. IODATA goes through
 * pro1000_shadow_access(), so the window reaches nothing the BAR would not.
 * Other offsets and sizes read all ones and drop writes.
 */
void pro1000_shadow_io(struct pro1000_shadow *s, u32 offset, u8 size, bool write, u32 *value);

/**
 * Send what waits in the guest's transmit ring for room in bookvisor's
 * (a frame held by a full ring), now that the driver may have reclaimed
 * some; nothing when none waits. Called by the driver's poll, without its
 * ring locks.
 */
void pro1000_shadow_tx_retry(struct pro1000_shadow *s);

/** Put one frame received for the guest into its receive ring (the guest's endpoint). */
void pro1000_shadow_to_guest(struct pro1000_shadow *s, const u8 *frame, size_t len);

#endif
