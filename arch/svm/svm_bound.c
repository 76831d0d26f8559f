/*
 * arch/svm/svm_bound.c - AMD-V's bound on the guest's run while a VMM timer
 * waits (chapter 07, "AMD-V: the local APIC timer, borrowed").
 *
 * Physical interrupts exit whatever the guest's IF (V_INTR_MASKING, the INTR
 * intercept, VMRUN at host IF = 1 inside CLGI); the local APIC timer,
 * borrowed only while the guest leaves it idle, brings one by the deadline.
 * The timer is armed only for the guest's run: every bounded exit disarms it,
 * so SVM_BOUND_VECTOR never reaches an interrupt window (a HLT's) in which
 * it would be taken for the guest's.
 *
 * An interrupt of the guest's that exits while the guest cannot take one is
 * left at its controller (deferred), as VT-x does (vmx_defer_interrupt()):
 * taken then, an 8259's would be acknowledged at whatever vector it has now.
 * A guest booting from the BIOS, IF = 0, found the BIOS's timer tick waiting
 * at vector 8; bookvisor took it and queued vector 8, and the guest's STI
 * later met it as a #DF without its error code (tests/emu/vmm-timer-halt).
 */
#include "arch/svm/svm_bound.h"
#include "arch/svm/svm_lapic_borrow.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "common/base/irq.h"
#include "common/base/kprintf.h"
#include "common/vm/vcpu_events.h"

/* Timer ticks (divisor 1) per TSC cycle, 32.32; 0: not usable. Written once
 * at boot by svm_bound_calibrate(), only read afterwards: no lock. */
static u64 lapic_rate;

#define RFLAGS_IF (1ULL << 9)
#define SVM_WINDOW_VINTR (SVM_VINTR_V_IRQ | SVM_VINTR_V_IGN_TPR | (0xFULL << SVM_VINTR_PRIO_SHIFT))

/* Could the guest take an interrupt at this exit (RFLAGS.IF, no shadow)? A
 * HLT's shadow (STI; HLT) ends with the HLT, which bookvisor completes. */
static bool guest_can_take(const struct vmcb *vmcb, const struct vm_exit *e)
{
    return (vmcb->save.rflags & RFLAGS_IF) &&
           (!(vmcb->control.interrupt_shadow & 1) || e->kind == VM_EXIT_HLT);
}

/* Defer (see the top): the guest's IF masks physical interrupts again until
 * the next exit, its interrupt window at the latest (the V_IRQ of
 * svm_set_event_windows(), asked for here too); the INTR intercept stays, so that none goes to the guest's IDT (the
 * borrowed timer's least of all). The bound's own vector waits with them. */
static void defer_begin(struct svm_bound *b, struct vmcb_control *c)
{
    b->deferred = true;
    c->vintr = (c->vintr & ~SVM_VINTR_V_INTR_MASKING) | SVM_WINDOW_VINTR;
    c->intercept_misc1 |= SVM_INTERCEPT1_VINTR;
    c->clean_bits = 0;
}

/* The next exit came (or the bound went): the window stays only if common
 * code asked for it as well. */
static void defer_end(struct svm_bound *b, struct vmcb_control *c, bool window_wanted)
{
    b->deferred = false;
    if (!window_wanted) {
        c->vintr &= ~SVM_WINDOW_VINTR;
        c->intercept_misc1 &= ~SVM_INTERCEPT1_VINTR;
    }
    c->clean_bits = 0;
}

static inline u64 read_cr8(void)
{
    u64 v;
    __asm__ volatile("mov %%cr8, %0" : "=r"(v));
    return v;
}

static inline void write_cr8(u64 v)
{
    __asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

void svm_bound_calibrate(void)
{
    if (lapic_mode() == LAPIC_MODE_OFF) {
        kprintf("bookvisor: svm: the local APIC is off: a guest that never exits delays the "
                "VMM's timers until it does\n");
        return;
    }
    /* The guest has not run: the timer is bookvisor's. Masked, divisor 1,
     * counting down from the top for 2^22 TSC cycles (a few ms at most). */
    u32 lvt = lapic_read(LAPIC_REG_LVT_TIMER), divide = lapic_read(LAPIC_REG_TIMER_DIVIDE);
    lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_MASKED | SVM_BOUND_VECTOR);
    lapic_write(LAPIC_REG_TIMER_DIVIDE, 0xB);
    lapic_write(LAPIC_REG_TIMER_INITIAL, 0xFFFFFFFF);
    u64 t0 = rdtsc(), t1;
    while ((t1 = rdtsc()) - t0 < (1ULL << 22))
        cpu_pause();
    u32 left = lapic_read(LAPIC_REG_TIMER_CURRENT);
    lapic_write(LAPIC_REG_TIMER_INITIAL, 0);
    lapic_write(LAPIC_REG_TIMER_DIVIDE, divide);
    lapic_write(LAPIC_REG_LVT_TIMER, lvt);
    lapic_rate = svm_lapic_rate(0xFFFFFFFFULL - left, t1 - t0);
    if (!lapic_rate)
        kprintf("bookvisor: svm: the local APIC timer did not count against the TSC: a guest "
                "that never exits delays the VMM's timers until it does\n");
}

/* Give the timer back to the guest: its LVT, and the count it had (0),
 * unless the guest wrote one of them itself, which then stays. */
static void give_back(struct svm_bound *b)
{
    u32 lvt = lapic_read(LAPIC_REG_LVT_TIMER);
    u32 initial = lapic_read(LAPIC_REG_TIMER_INITIAL);
    bool lvt_ours = svm_lapic_lvt_ours(lvt);
    if (initial == b->count_written && b->count_written)
        lapic_write(LAPIC_REG_TIMER_INITIAL, 0);
    if (lvt_ours)
        lapic_write(LAPIC_REG_LVT_TIMER, b->guest_lvt);
    b->borrowed = false;
    b->count_written = 0;
}

/* Is SVM_BOUND_VECTOR requested at the local APIC? */
static bool vector_requested(void)
{
    return (lapic_read(LAPIC_REG_IRR0) >> SVM_BOUND_VECTOR) & 1;
}

/* Is one of the VMM's own vectors (irq_register()) requested? Like the
 * bound's, it is taken whatever the guest's IF: a hidden NIC's MSI (chapter
 * 09) deferred behind a guest spinning with IF = 0 would wait as long, and
 * meanwhile the deferral would keep the bound's vector out too. */
static bool vmm_vector_requested(void)
{
    u32 owned = irq_vmm_vector_mask();
    return owned && (lapic_read(LAPIC_REG_IRR0) & owned);
}

/* Take what is pending, as on_external_interrupt() would; bookvisor's
 * vector is acknowledged here, the guest's are queued for the guest (their
 * EOI is the guest's). Returns whether bookvisor's came. While the guest
 * cannot take an interrupt, LINT0 is masked meanwhile: an 8259's interrupt
 * (ExtINT) stays at the 8259 (see the top); the local APIC's own carry
 * their vectors in its IRR, which the guest's later writes do not change. */
static bool take_vector(struct svm_bound *b, struct vcpu *v, bool guest_can)
{
    struct desc_caught caught;
    u32 lint0 = guest_can ? 0 : lapic_read(LAPIC_REG_LVT_LINT0);
    if (!guest_can && !(lint0 & LAPIC_LVT_MASKED))
        lapic_write(LAPIC_REG_LVT_LINT0, lint0 | LAPIC_LVT_MASKED);
    desc_take_interrupts(&caught);
    if (!guest_can && !(lint0 & LAPIC_LVT_MASKED))
        lapic_write(LAPIC_REG_LVT_LINT0, lint0);
    bool ours = (caught.vectors[0] >> SVM_BOUND_VECTOR) & 1;
    if (ours) {
        caught.vectors[0] &= ~(1ULL << SVM_BOUND_VECTOR);
        lapic_eoi();
    }
    for (unsigned word = 0; word < 4; word++)
        for (u64 bits = caught.vectors[word]; bits; bits &= bits - 1)
            vcpu_queue_interrupt(v, (u8)(word * 64 + __builtin_ctzll(bits)));
    if (caught.nmi)
        vcpu_queue_nmi(v);
    /* Still requested: the guest's task or in-service priority holds it
     * back. The bound stays on (host IF = 1 in VMRUN) until it comes. */
    b->vector_stuck = vector_requested();
    return ours;
}

/* Bound off: the guest's IF masks physical interrupts again, and its CR8
 * is the APIC's task priority, which has V_TPR's value (svm_bound_exit()). */
static void bound_off(struct svm_bound *b, struct vmcb_control *c, bool window_wanted)
{
    if (b->deferred)
        defer_end(b, c, window_wanted);
    if (b->borrowed)
        give_back(b);
    b->on = false;
    if (!b->intr_by_policy)
        c->intercept_misc1 &= ~SVM_INTERCEPT1_INTR;
    c->vintr &= ~SVM_VINTR_V_INTR_MASKING;
    c->clean_bits = 0;
}

void svm_bound_exit(struct svm_bound *b, struct vcpu *v, struct vmcb *vmcb, struct vm_exit *e)
{
    /* A guest CR8 write went to V_TPR only: the APIC's task priority follows. */
    u8 vtpr = (u8)(vmcb->control.vintr & SVM_VINTR_V_TPR_MASK);
    if (vtpr != b->tpr_entered) {
        write_cr8(vtpr);
        b->tpr_entered = vtpr;
    }
    if (b->borrowed) {
        u32 lvt = lapic_read(LAPIC_REG_LVT_TIMER);
        u32 initial = lapic_read(LAPIC_REG_TIMER_INITIAL);
        if (lapic_mode() != LAPIC_MODE_OFF && svm_lapic_still_ours(lvt, initial, b->count_written)) {
            lapic_write(LAPIC_REG_TIMER_INITIAL, 0); /* disarmed until the next entry */
            b->count_written = 0;
        } else {
            give_back(b); /* the guest wrote it: its own again */
        }
    }
    bool can_take = guest_can_take(vmcb, e);
    /* Any exit ends a deferral: the guest may have dropped the interrupt at its
     * controller (as a booting guest's 8259 initialisation drops a stale one),
     * and a deferral lasting until an STI that never comes (a guest spinning
     * with IF = 0) would leave it unbounded. One still pending exits again at
     * once and is deferred again: one more exit. */
    if (b->deferred) {
        defer_end(b, &vmcb->control, v->events.interrupt_window_open);
        vmcb->control.vintr |= SVM_VINTR_V_INTR_MASKING;
    }
    /* The deadline's vector is taken whatever the guest's IF: that is the
     * bound. A guest's interrupt only when the guest could take it. */
    bool intr = e->kind == VM_EXIT_EXTERNAL_INTERRUPT;
    bool ours = (lapic_rate && vector_requested()) || vmm_vector_requested();
    switch (svm_bound_take_choice(ours, can_take, intr)) {
    case SVM_BOUND_TAKE_NONE:
        break;
    case SVM_BOUND_TAKE_ALL:
        if (take_vector(b, v, can_take) && intr)
            e->kind = VM_EXIT_VMM_TIMER;
        break;
    case SVM_BOUND_TAKE_APIC_ONLY:
        if (take_vector(b, v, can_take))
            e->kind = VM_EXIT_VMM_TIMER;
        else /* a VMM vector's: an 8259's that came too stays at the 8259 */
            e->details.interrupt.left_pending = true;
        break;
    case SVM_BOUND_TAKE_LATER:
        b->vector_stuck = true; /* the bound stays until it comes */
        break;
    case SVM_BOUND_TAKE_DEFER:
        e->details.interrupt.left_pending = true;
        defer_begin(b, &vmcb->control);
        break;
    }
    /* The bound outlived its deadline only to wait for that vector. */
    if (!b->deadline_pending && !b->vector_stuck)
        bound_off(b, &vmcb->control, v->events.interrupt_window_open);
}

/* Bound on: the host's IF masks physical interrupts in the guest, and the
 * guest's CR8 is V_TPR, which starts as the APIC's task priority. */
static void bound_on(struct svm_bound *b, struct vmcb_control *c)
{
    b->on = true;
    b->intr_by_policy = (c->intercept_misc1 & SVM_INTERCEPT1_INTR) != 0;
    c->intercept_misc1 |= SVM_INTERCEPT1_INTR;
    c->vintr |= SVM_VINTR_V_INTR_MASKING;
    c->clean_bits = 0;
}

void svm_bound_set(struct svm_bound *b, struct vcpu *v, struct vmcb *vmcb, u64 tsc_deadline)
{
    struct vmcb_control *c = &vmcb->control;
    b->deadline_pending = tsc_deadline != VCPU_NO_DEADLINE;
    if (tsc_deadline == VCPU_NO_DEADLINE) {
        /* A vector still waiting behind the guest's priority must come to an
         * exit, not to the window of a HLT: the bound stays until then. */
        if (b->on && !b->vector_stuck)
            bound_off(b, c, v->events.interrupt_window_open);
        return;
    }
    if (!b->on)
        bound_on(b, c);
    b->tpr_entered = (u8)(read_cr8() & SVM_VINTR_V_TPR_MASK);
    c->vintr = (c->vintr & ~SVM_VINTR_V_TPR_MASK) | b->tpr_entered;
    /* Only a VMM timer borrows the guest's timer. A guest that starts its own
     * timer while it is borrowed races the loan: Linux booting under
     * net=pass or ippass, whose network thread sleeps 1 ms at a time, hung
     * at "Switch to symmetric I/O mode" or triple-faulted in about one boot
     * of four on a loaded qemu-svm, and never with the loan left out. A
     * sleeping thread's deadline keeps the rest of the bound: every physical
     * interrupt exits whatever the guest's IF (a hidden NIC's MSI too). */
    if (!this_cpu()->deadline_is_timer) {
        if (b->borrowed)
            give_back(b);
        return;
    }
    if (!lapic_rate || b->vector_stuck || lapic_mode() == LAPIC_MODE_OFF)
        return;
    if (!b->borrowed) {
        u32 lvt = lapic_read(LAPIC_REG_LVT_TIMER);
        if (!svm_lapic_may_borrow(lvt, lapic_read(LAPIC_REG_TIMER_INITIAL)))
            return; /* the guest's timer: its ticks exit instead */
        b->guest_lvt = lvt;
        b->borrowed = true;
        lapic_write(LAPIC_REG_LVT_TIMER, svm_lapic_borrowed_lvt());
    }
    u32 divisor = svm_lapic_divisor(lapic_read(LAPIC_REG_TIMER_DIVIDE));
    b->count_written = svm_lapic_count_for(rdtsc(), tsc_deadline, lapic_rate, divisor);
    lapic_write(LAPIC_REG_TIMER_INITIAL, b->count_written);
}
