/**
 * @file common/lib/shootdown.h
 * @brief Who has flushed for a change of a shared map: requests, acknowledgements, NMIs in flight (pure).
 *
 * The vCPUs of a VM share one nested map (chapter 08, "Shootdown"). A CPU
 * that changes it raises the map's request counter; each vCPU remembers the
 * highest request it has flushed for. "Flushed for request g" means: the
 * vCPU read a counter of at least g, and after that read either flushed
 * its nested TLB or was out of guest mode with a flush due before its next
 * entry. The changing CPU waits until every other vCPU's acknowledgement
 * reaches its request.
 *
 * To make a vCPU running in the guest exit, its CPU is sent an NMI. One
 * word per CPU says that one of these NMIs is in flight: set by the sender
 * (only one in flight at a time, so two never merge into one), cleared by
 * whoever receives it, so that an NMI that finds the word clear is the
 * guest's.
 */
#ifndef BOOKVISOR_COMMON_LIB_SHOOTDOWN_H
#define BOOKVISOR_COMMON_LIB_SHOOTDOWN_H

#include "common/lib/types.h"

/** One vCPU's side of the flushes of a shared map; all zeroes: no map yet. */
struct shootdown_target {
    /** The map's request counter (the VM's); NULL: nothing ever asked. */
    const u64 *requested;
    /** The highest request this vCPU has flushed for; written by its owner only. */
    u64 acked;
};

/**
 * A change of the map: raise its request counter (after the flush bits of
 * every vCPU are set, so a vCPU that sees the new value sees its bit too).
 * @return the new request number, which the changing CPU waits for
 */
u64 shootdown_request(u64 *requested);

/** The request counter as the target reads it before it flushes (0 without a map). */
u64 shootdown_seen(const struct shootdown_target *t);

/** The owner, after a flush done after reading @p seen: acknowledge it (never goes back). */
void shootdown_ack(struct shootdown_target *t, u64 seen);

/** Has the target flushed for request @p gen? Any CPU may ask. */
bool shootdown_acked(const struct shootdown_target *t, u64 gen);

/** The target will never run guest code again (a parked processor): it counts as flushed for every request. */
void shootdown_retire(struct shootdown_target *t);

/**
 * The sender: may an NMI go to the CPU whose in-flight word this is? True
 * (and the word is set) when none is in flight; false while one is.
 */
bool shootdown_nmi_arm(u32 *in_flight);

/** The receiver of an NMI: was it a shootdown's? True once per NMI armed; clears the word. */
bool shootdown_nmi_claim(u32 *in_flight);

/**
 * The handler of an NMI exit: was that NMI a shootdown's? @p in_host says the
 * host's NMI handler took one of ours since an exit last asked (cleared here).
 * Where the exit's own NMI went decides whether the in-flight word is still
 * this NMI's: on AMD-V the NMI stays pending after the exit and the host's
 * handler claimed the word at STGI already, so the word may now belong to
 * the sender's next NMI and is left alone; on VT-x the exit consumed the NMI
 * and its word is claimed here.
 * @param in_flight          the CPU's in-flight word
 * @param in_host            the CPU's "the host took one of ours" word
 * @param host_took_exit_nmi true on AMD-V, false on VT-x
 * @return true when the NMI was a shootdown's, false when it was the guest's
 */
bool shootdown_nmi_exit_ours(u32 *in_flight, u32 *in_host, bool host_took_exit_nmi);

#endif
