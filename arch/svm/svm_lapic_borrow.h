/**
 * @file arch/svm/svm_lapic_borrow.h
 * @brief When AMD-V's run bound may borrow the guest's local APIC timer, and
 *        what to program it with (pure, host-testable; chapter 07).
 *
 * AMD-V has no preemption timer: while a VMM timer waits, bookvisor gets the
 * processor back with an interrupt of its own, the local APIC timer one-shot
 * on SVM_BOUND_VECTOR. The timer is the guest's; bookvisor uses it only while
 * the guest leaves it idle (masked, not counting) and gives it back the moment
 * the guest touches it. The register values here are the xAPIC/x2APIC ones
 * (SDM vol. 3, "APIC Timer").
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_LAPIC_BORROW_H
#define BOOKVISOR_ARCH_SVM_SVM_LAPIC_BORROW_H

#include "common/lib/types.h"

/**
 * The VMM vector of the bound's timer interrupt. It is not registered with
 * irq_register() (that would make every guest interrupt exit all the time,
 * chapter 08): the backend takes it out of what an interrupt window caught
 * and sends its EOI itself. No other part of bookvisor may use it.
 */
#define SVM_BOUND_VECTOR 0x1D

#define LAPIC_REG_PPR 0x0A0           /**< processor priority (read only) */
#define LAPIC_REG_IRR0 0x200          /**< interrupt request, vectors 0-31 */
#define LAPIC_REG_LVT_TIMER 0x320     /**< LVT timer: vector, mask (bit 16), mode (bits 18:17) */
#define LAPIC_REG_LVT_LINT0 0x350     /**< LVT LINT0: where an 8259 (ExtINT) comes in */
#define LAPIC_REG_TIMER_INITIAL 0x380 /**< initial count: a write starts the count */
#define LAPIC_REG_TIMER_CURRENT 0x390 /**< current count (read only) */
#define LAPIC_REG_TIMER_DIVIDE 0x3E0  /**< divide configuration: bits 0, 1 and 3 */

#define LAPIC_LVT_MASKED (1u << 16)        /**< LVT: the interrupt is masked */
#define LAPIC_LVT_TIMER_MODE (3u << 17)    /**< LVT timer: 00 one-shot, 01 periodic, 10 TSC-deadline */
#define LAPIC_LVT_TIMER_TSC_DEADLINE (2u << 17) /**< LVT timer mode 10: IA32_TSC_DEADLINE arms it */

/**
 * May bookvisor borrow the timer, given the guest's LVT timer and initial
 * count? Only when the guest neither takes its interrupt (masked) nor counts
 * with it (initial count 0: stopped, so a guest reading the current count is
 * not measuring anything), and not in TSC-deadline mode (its deadline MSR
 * may be armed while masked; leaving that mode would disarm it).
 */
bool svm_lapic_may_borrow(u32 guest_lvt, u32 guest_initial_count);

/** The LVT timer bookvisor writes while it borrows: one-shot, unmasked, SVM_BOUND_VECTOR. */
u32 svm_lapic_borrowed_lvt(void);

/** Does the LVT timer still hold what bookvisor wrote (svm_lapic_borrowed_lvt())? */
bool svm_lapic_lvt_ours(u32 lvt_now);

/**
 * Is the timer still bookvisor's, given what the LVT and the initial count
 * read now and what bookvisor last wrote? Any difference is a guest write
 * (the xAPIC page and the x2APIC MSRs are the guest's): step aside.
 */
bool svm_lapic_still_ours(u32 lvt_now, u32 initial_now, u32 initial_written);

/**
 * The divisor the divide configuration register selects (1 to 128): bits
 * 0, 1 and 3 form a 3-bit value n; 7 means 1, else 2^(n+1).
 */
u32 svm_lapic_divisor(u32 divide_config);

/**
 * The timer's rate against the TSC as a 32.32 fixed-point number of timer
 * ticks (at divisor 1) per TSC cycle, from one calibration: @p apic_ticks
 * counted in @p tsc_cycles. 0 when the measure is unusable (no cycles, no
 * ticks, or a timer faster than the TSC by 2^31 or more).
 */
u64 svm_lapic_rate(u64 apic_ticks, u64 tsc_cycles);

/**
 * The initial count that makes the timer, at @p rate (svm_lapic_rate()) and
 * @p divisor, expire no earlier than TSC @p deadline seen at TSC @p now:
 * rounded up, at least 1 (a deadline already past expires at once),
 * saturated at 0xFFFFFFFF (a deadline too far away expires early, and the
 * count is set again). @p rate must not be 0.
 */
u32 svm_lapic_count_for(u64 now, u64 deadline, u64 rate, u32 divisor);

/** What the bound does with pending interrupts at a bounded exit (svm_bound_exit()). */
enum svm_bound_take {
    SVM_BOUND_TAKE_NONE,      /**< not an INTR exit, and the bound's vector is not requested */
    SVM_BOUND_TAKE_ALL,       /**< take every pending interrupt: the guest could take its own */
    SVM_BOUND_TAKE_APIC_ONLY, /**< the bound's vector, with LINT0 masked: an 8259's stays */
    SVM_BOUND_TAKE_LATER,     /**< the bound's vector waits for an INTR exit of its own */
    SVM_BOUND_TAKE_DEFER,     /**< the guest's interrupt stays at its controller (left pending) */
};

/**
 * The choice at a bounded exit. An interrupt the guest cannot take yet must
 * not be acknowledged: an 8259 would give the vector it has now, which a
 * booting guest changes before its STI (chapter 07).
 * @param ours_requested  SVM_BOUND_VECTOR is in the local APIC's IRR
 * @param guest_can_take  RFLAGS.IF set and no interrupt shadow (a HLT's aside)
 * @param intr_exit       the exit is the INTR intercept's
 */
enum svm_bound_take svm_bound_take_choice(bool ours_requested, bool guest_can_take,
                                          bool intr_exit);

#endif
