/**
 * @file tests/guest/check_events.c
 * @brief bookvisor's event model, from inside: nothing lost, nothing twice, in order.
 *
 * These checks need bookvisor's test.events option: hypercalls that unmap
 * a page from the nested map (its first touch is then a nested page fault),
 * make the next nested page fault raise #GP, and queue an interrupt or an
 * NMI for this guest (tests/guest/README.md lists them). They are named
 * only (tests=event); tests/emu/events.test runs them on every target.
 *
 * - event-npf-irq: the timer's interrupt (the PIT in one-shot mode: one
 *   edge, one interrupt) arrives while the stack is on an unmapped page, so
 *   its delivery is cut short by a nested page fault; it must arrive once,
 *   on that stack.
 * - event-npf-hlt: the same, but the guest halts: bookvisor takes the
 *   interrupt and injects it, and the injection is cut short.
 * - event-fault-then-irq: as event-npf-irq, and the nested page fault
 *   raises #GP too: the #GP first, then the interrupt, each once.
 * - event-nmi-window: an NMI asked for inside the handler of another waits
 *   for its IRET, then arrives once, at the same place; a third, asked for
 *   later with interrupts off, arrives at once.
 * - event-irq-after-sti: an interrupt queued while IF = 0 arrives right
 *   after STI's shadow, and ends a HLT at once.
 * - event-nmi-ipi: an NMI the guest sends itself through its local APIC
 *   arrives once (VT-x makes every physical NMI exit, for its NMI window:
 *   bookvisor must hand it on).
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "pic.h"
#include "pit.h"
#include "runner.h"
#include "trap.h"

#define TIMER_IRQ 0
#define VECTOR_NMI 2
#define VECTOR_GP 13
#define QUEUED_VECTOR (TEST_VECTOR_BASE + 1) /* 0x31: no controller sends it */
#define ONE_SHOT_TICKS 11932u                /* about 10 ms of the PIT's 1.193182 MHz */
#define SPINS 50000000u                      /* a bounded wait, far longer than that */
#define EVENT_LOG 8

u32 wait_on_stack(u32 top, volatile u32 *seen, u32 spins, u32 halt);

/* Pages the tests put their stack on; each is unmapped from the nested map first. */
static u8 event_pages[3][4096] __attribute__((aligned(4096)));

/* What the hooks saw, in order: vector, saved EIP, where the frame was. */
static volatile u32 event_count;
static volatile u32 event_vectors[EVENT_LOG];
static volatile u32 event_eips[EVENT_LOG];
static volatile u32 event_frames[EVENT_LOG];
static volatile u32 count_when_asked_again; /* event-nmi-window: events when the second NMI was asked for */

static void log_event(const struct trap_frame *f)
{
    u32 n = event_count;
    if (n < EVENT_LOG) {
        event_vectors[n] = f->vector;
        event_eips[n] = f->eip;
        event_frames[n] = (u32)f;
    }
    event_count = n + 1;
}

static void log_reset(void)
{
    event_count = 0;
    for (u32 i = 0; i < EVENT_LOG; i++)
        event_vectors[i] = event_eips[i] = event_frames[i] = 0;
}

static bool on_timer(struct trap_frame *f)
{
    log_event(f);
    pic_eoi(TIMER_IRQ);
    return true;
}

/* The #GP bookvisor raises on the nested page fault: a fault at the
 * instruction that was running; returning runs it again. */
static bool on_gp(struct trap_frame *f)
{
    log_event(f);
    return true;
}

static bool on_queued(struct trap_frame *f)
{
    log_event(f);
    return true;
}

/* The first NMI asks for a second, which must wait for this handler's IRET. */
static bool on_nmi(struct trap_frame *f)
{
    log_event(f);
    if (event_count == 1) {
        struct hypercall_regs r = { BOOKVISOR_HC_TEST_QUEUE_NMI, 0, 0, 0 };
        hypercall(&r);
        count_when_asked_again = event_count;
    }
    return true;
}

static bool lever(u32 function, u32 ebx, u32 ecx)
{
    struct hypercall_regs r = { function, ebx, ecx, 0 };
    return hypercall(&r) && r.eax == 1;
}

/* test.events answers; anything else is a skip, not a failure. */
static bool events_available(struct check_result *res)
{
    struct hypercall_regs r = { BOOKVISOR_HC_TEST_NESTED_PAGE, (u32)event_pages, 1, 0 };
    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN) {
        check_skip(res, "needs bookvisor's test.events option");
        return false;
    }
    return true;
}

/* Unmap a page, check it is gone, and return the top of it as a stack. */
static u32 unmapped_stack(struct check_result *res, u32 which)
{
    u32 page = (u32)event_pages[which];
    if (!lever(BOOKVISOR_HC_TEST_NESTED_PAGE, page, 0) ||
        lever(BOOKVISOR_HC_TEST_NESTED_PAGE, page, 1)) {
        check_fail(res, "could not unmap the page at 0x%08x from the nested map", page);
        return 0;
    }
    return page + sizeof(event_pages[which]);
}

/* The page must have come back through a nested fault, and the frame must
 * have been on it: the fault was the delivery's. */
static void expect_on_page(struct check_result *res, u32 which, u32 event)
{
    u32 page = (u32)event_pages[which];
    if (!lever(BOOKVISOR_HC_TEST_NESTED_PAGE, page, 1))
        check_fail(res, "the page at 0x%08x is still not mapped", page);
    else if (event_frames[event] < page || event_frames[event] >= page + 4096)
        check_fail(res, "event %u was delivered on 0x%08x, not on the unmapped page", event,
                   event_frames[event]);
}

/* One timer interrupt on the unmapped page of @p which; with @p halt, while halted. */
static void timer_on_unmapped_stack(struct check_result *res, u32 which, bool halt, bool gp)
{
    log_reset();
    u32 top = unmapped_stack(res, which);
    if (!top)
        return;
    trap_set_hook(IRQ_VECTOR_BASE + TIMER_IRQ, on_timer);
    if (gp) {
        trap_set_hook(VECTOR_GP, on_gp);
        lever(BOOKVISOR_HC_TEST_GP_ON_NEXT_NPF, 0, 0);
    }
    /* The PIT first held far off (no edge for 55 ms), then any edge latched
     * while IRQ0 was masked drained, then the one interrupt of the test. */
    pit_one_shot(0xFFFF);
    pic_unmask(TIMER_IRQ);
    pic_drain();
    pit_one_shot(ONE_SHOT_TICKS);
    u32 left = wait_on_stack(top, &event_count, SPINS, halt);
    runner_quiesce();
    if (!halt && !left)
        check_fail(res, "no interrupt within the bounded wait");
}

/* One interrupt, delivered on the unmapped page of @p which: exactly once. */
static void one_interrupt_on_unmapped_page(struct check_result *res, u32 which, bool halt)
{
    if (!events_available(res))
        return;
    timer_on_unmapped_stack(res, which, halt, false);
    if (res->status == CHECK_PASS && event_count != 1)
        check_fail(res, "the timer interrupt%s arrived %u times", halt ? " that ended the HLT" : "",
                   event_count);
    if (res->status == CHECK_PASS)
        expect_on_page(res, which, 0);
}

void check_event_npf_irq(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    one_interrupt_on_unmapped_page(res, 0, false);
}

void check_event_npf_hlt(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    one_interrupt_on_unmapped_page(res, 1, true);
}

void check_event_fault_then_irq(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!events_available(res))
        return;
    timer_on_unmapped_stack(res, 2, false, true);
    if (res->status != CHECK_PASS)
        return;
    if (event_count != 2)
        check_fail(res, "%u events arrived (vectors %u, %u, %u), expected #GP then IRQ0",
                   event_count, event_vectors[0], event_vectors[1], event_vectors[2]);
    else if (event_vectors[0] != VECTOR_GP || event_vectors[1] != IRQ_VECTOR_BASE + TIMER_IRQ)
        check_fail(res, "the order was vector %u, then %u: expected #GP (13), then IRQ0 (32)",
                   event_vectors[0], event_vectors[1]);
    else
        expect_on_page(res, 2, 0);
}

void check_event_nmi_window(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!events_available(res))
        return;
    log_reset();
    count_when_asked_again = 0;
    trap_set_hook(VECTOR_NMI, on_nmi);
    bool asked = lever(BOOKVISOR_HC_TEST_QUEUE_NMI, 0, 0);
    u32 n = event_count;
    /* A third, later, with interrupts off and no IRET to come: nothing blocks
     * NMIs any more, so it must arrive at once (a VMM that still counted the
     * guest as inside an NMI handler would wait for an IRET for ever). */
    cli();
    bool asked_third = lever(BOOKVISOR_HC_TEST_QUEUE_NMI, 0, 0);
    for (u32 i = 0; i < 100000 && event_count == n; i++)
        cpu_relax();
    u32 third = event_count - n;
    trap_set_hook(VECTOR_NMI, NULL);
    if (!asked || !asked_third)
        check_fail(res, "the NMI hypercall failed");
    else if (n != 2)
        check_fail(res, "%u NMIs arrived, expected 2", n);
    else if (count_when_asked_again != 1)
        check_fail(res, "the second NMI came inside the first's handler");
    else if (event_eips[1] != event_eips[0])
        check_fail(res, "the second NMI interrupted 0x%08x, not 0x%08x where the first returned",
                   event_eips[1], event_eips[0]);
    else if (third != 1)
        check_fail(res, "a later NMI, with no NMI handler running, arrived %u times", third);
}

#define MSR_APIC_BASE 0x1B
#define APIC_BASE_EXTD (1u << 10)
#define APIC_REG_ID 0x20
#define APIC_REG_SVR 0xF0
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_REG_ICR_LOW 0x300
#define APIC_REG_ICR_HIGH 0x310
#define ICR_NMI (4u << 8)     /* delivery mode NMI */
#define ICR_ASSERT (1u << 14) /* level: assert */
#define ICR_PENDING (1u << 12)

static volatile u32 *apic_reg(u32 base, u32 reg)
{
    __asm__("" : "+r"(base)); /* a constant address, not an offset from NULL */
    return (volatile u32 *)(base + reg);
}

static bool count_nmi(struct trap_frame *f)
{
    log_event(f);
    return true;
}

void check_event_nmi_ipi(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u64 apic_base = rdmsr(MSR_APIC_BASE);
    if (apic_base & APIC_BASE_EXTD) {
        check_skip(res, "the local APIC is in x2APIC mode");
        return;
    }
    u32 base = (u32)apic_base & 0xFFFFF000u;
    log_reset();
    trap_set_hook(VECTOR_NMI, count_nmi);
    u32 svr = *apic_reg(base, APIC_REG_SVR);
    *apic_reg(base, APIC_REG_SVR) = svr | APIC_SVR_ENABLE;
    *apic_reg(base, APIC_REG_ICR_HIGH) = *apic_reg(base, APIC_REG_ID) & 0xFF000000u; /* to itself */
    *apic_reg(base, APIC_REG_ICR_LOW) = ICR_NMI | ICR_ASSERT;
    for (u32 i = 0; i < 100000 && (*apic_reg(base, APIC_REG_ICR_LOW) & ICR_PENDING); i++)
        cpu_relax();
    for (u32 i = 0; i < 200000 && event_count == 0; i++)
        cpu_relax();
    for (u32 i = 0; i < 200000; i++) /* a second one would show */
        cpu_relax();
    *apic_reg(base, APIC_REG_SVR) = svr;
    trap_set_hook(VECTOR_NMI, NULL);
    if (event_count != 1)
        check_fail(res, "the NMI arrived %u times", event_count);
}

/* Where the queued interrupt must interrupt: after STI and the one
 * instruction in its shadow, and right after the HLT. */
extern const char after_sti_shadow[], after_hlt[];

static void __attribute__((noinline)) sti_then_wait(void)
{
    __asm__ volatile("sti\n\t"
                     "nop\n\t"
                     ".globl after_sti_shadow\n"
                     "after_sti_shadow:\n\t"
                     "nop\n\t"
                     "cli" ::: "memory");
}

static void __attribute__((noinline)) sti_then_halt(void)
{
    __asm__ volatile("sti\n\t"
                     "hlt\n\t"
                     ".globl after_hlt\n"
                     "after_hlt:\n\t"
                     "cli" ::: "memory");
}

void check_event_irq_after_sti(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!events_available(res))
        return;
    cli();
    log_reset();
    trap_set_hook(QUEUED_VECTOR, on_queued);
    bool queued = lever(BOOKVISOR_HC_TEST_QUEUE_INTERRUPT, QUEUED_VECTOR, 0);
    for (u32 i = 0; i < 100000; i++) /* IF = 0: nothing may arrive */
        cpu_relax();
    u32 while_off = event_count;
    sti_then_wait();
    u32 after_sti = event_count;
    u32 eip_sti = event_eips[0];
    /* The same, ending a HLT: the queued interrupt wakes it at once. */
    log_reset();
    queued = queued && lever(BOOKVISOR_HC_TEST_QUEUE_INTERRUPT, QUEUED_VECTOR, 0);
    sti_then_halt();
    u32 after_halt = event_count;
    u32 eip_halt = event_eips[0];
    trap_set_hook(QUEUED_VECTOR, NULL);
    if (!queued)
        check_fail(res, "the queue hypercall failed");
    else if (while_off)
        check_fail(res, "the interrupt arrived while IF was 0");
    else if (after_sti != 1 || eip_sti != (u32)after_sti_shadow)
        check_fail(res, "after STI: %u arrival(s), at 0x%08x; expected 1 at 0x%08x", after_sti,
                   eip_sti, (u32)after_sti_shadow);
    else if (after_halt != 1 || eip_halt != (u32)after_hlt)
        check_fail(res, "after STI; HLT: %u arrival(s), at 0x%08x; expected 1 at 0x%08x",
                   after_halt, eip_halt, (u32)after_hlt);
}
