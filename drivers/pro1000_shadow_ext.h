/**
 * @file drivers/pro1000_shadow_ext.h
 * @brief `net=pass` on the 82574L: what the shadow rings do beyond the
 *        82540EM's (VMM only; chapter 09).
 *
 * drivers/pro1000_shadow.c mediates both models; for an 82574L it asks
 * here about the registers only that part has (RFCTL, MRQC, the second
 * queue's rings: drivers/pro1000_shadow_ext_hw.h), the format of the guest's
 * receive descriptors (legacy or extended; packet split refused, said once
 * and counted), the guest's buffer size (FLXBUF), the RCTL the device gets,
 * and the queue causes its MSI-X vectors need. Every function is called
 * with the shadow's lock held; on an 82540EM each does what the 82540EM's
 * rules alone say.
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_SHADOW_EXT_H
#define BOOKVISOR_DRIVERS_PRO1000_SHADOW_EXT_H

#include "drivers/pro1000_shadow.h"

/** The mediated device is an 82574L (after pro1000_shadow_init(), before the guest runs). */
void pro1000_shadow_ext_enable(struct pro1000_shadow *s);

/** The guest reset the device: its 82574L registers are back to 0, as on the device. */
void pro1000_shadow_ext_reset(struct pro1000_shadow *s);

/** A read of an 82574L register of class r (PRO1000_VREG_RFCTL or later) at reg. */
u32 pro1000_shadow_ext_read(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r);

/** A write of the same: kept for the guest, and what the device may have of it written there. */
void pro1000_shadow_ext_write(struct pro1000_shadow *s, u32 reg, enum pro1000_vreg r, u32 value);

/** The RCTL the device gets for the guest's (which the shadow keeps in s->rctl). */
u32 pro1000_shadow_device_rctl(const struct pro1000_shadow *s);

/** The causes to raise through ICS for the 82540EM's causes (the queue causes added on an 82574L). */
u32 pro1000_shadow_causes(const struct pro1000_shadow *s, u32 causes);

/**
 * Can a frame go into the guest's receive ring in the format it chose? Not
 * with packet split: the frame is counted (split_refused) and the first
 * time said.
 */
bool pro1000_shadow_rx_format_ok(struct pro1000_shadow *s);

/**
 * The guest wrote RCTL: with receive on in a packet-split ring, say at once
 * (once) that the shadow rings will not fill it, before any frame comes.
 */
void pro1000_shadow_rx_format_note(struct pro1000_shadow *s);

/** Bytes of each of the guest's receive buffers. */
u32 pro1000_shadow_rx_room(const struct pro1000_shadow *s);

/**
 * A receive descriptor completed the legacy way, put into the guest's
 * format: rewritten in place when the guest uses extended descriptors.
 * @return the first byte of the descriptor to write back to the guest:
 *         8 for legacy (the address stays), 0 for extended (all of it)
 */
u32 pro1000_shadow_rx_extend(const struct pro1000_shadow *s, struct pro1000_rx_desc *d);

#endif
