/*
 * arch/svm/svm_lapic_borrow.c - the local APIC timer as AMD-V's run bound:
 * when it may be borrowed, and the count for a deadline (pure; chapter 07).
 */
#include "arch/svm/svm_lapic_borrow.h"

bool svm_lapic_may_borrow(u32 guest_lvt, u32 guest_initial_count)
{
    if (!(guest_lvt & LAPIC_LVT_MASKED))
        return false; /* the guest takes its ticks: they give the exits */
    if ((guest_lvt & LAPIC_LVT_TIMER_MODE) == LAPIC_LVT_TIMER_TSC_DEADLINE)
        return false;
    return guest_initial_count == 0;
}

u32 svm_lapic_borrowed_lvt(void)
{
    return SVM_BOUND_VECTOR; /* mode 00 one-shot, unmasked, fixed delivery */
}

bool svm_lapic_lvt_ours(u32 lvt_now)
{
    /* Bit 12 (delivery status) is the APIC's and bits above 18 are
     * reserved: compare what a write sets. */
    const u32 written_bits = 0xFF | LAPIC_LVT_MASKED | LAPIC_LVT_TIMER_MODE;
    return (lvt_now & written_bits) == svm_lapic_borrowed_lvt();
}

bool svm_lapic_still_ours(u32 lvt_now, u32 initial_now, u32 initial_written)
{
    return svm_lapic_lvt_ours(lvt_now) && initial_now == initial_written;
}

u32 svm_lapic_divisor(u32 divide_config)
{
    u32 n = (divide_config & 3) | ((divide_config >> 1) & 4);
    return n == 7 ? 1 : 2u << n;
}

u64 svm_lapic_rate(u64 apic_ticks, u64 tsc_cycles)
{
    /* apic_ticks << 32 must not overflow */
    if (!apic_ticks || !tsc_cycles || (apic_ticks >> 32) || apic_ticks / tsc_cycles >= (1ULL << 31))
        return 0;
    return (apic_ticks << 32) / tsc_cycles; /* 0 for a timer 2^32 times slower: unusable */
}

u32 svm_lapic_count_for(u64 now, u64 deadline, u64 rate, u32 divisor)
{
    if (deadline <= now)
        return 1;
    u64 cycles = deadline - now;
    if (cycles > ~0ULL / rate)
        return 0xFFFFFFFF;
    u64 fixed = cycles * rate; /* timer ticks at divisor 1, 32.32 */
    u64 ticks = (fixed >> 32) + ((fixed & 0xFFFFFFFFULL) != 0);
    u64 count = ticks / divisor + (ticks % divisor != 0);
    if (count > 0xFFFFFFFFULL)
        return 0xFFFFFFFF;
    return count ? (u32)count : 1;
}

enum svm_bound_take svm_bound_take_choice(bool ours_requested, bool guest_can_take,
                                          bool intr_exit)
{
    if (!ours_requested && !intr_exit)
        return SVM_BOUND_TAKE_NONE;
    if (guest_can_take)
        return SVM_BOUND_TAKE_ALL;
    if (!ours_requested)
        return SVM_BOUND_TAKE_DEFER;
    /* Taken only at its own exit; at another (Bochs 2.7 gives no INTR exit
     * while the guest's IF is 0) it waits for one. */
    return intr_exit ? SVM_BOUND_TAKE_APIC_ONLY : SVM_BOUND_TAKE_LATER;
}
