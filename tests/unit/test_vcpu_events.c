/*
 * Unit tests for the event model through a backend (common/vm/vcpu_events.c):
 * the mock backend of tests/unit/mock_backend.h replays exits, each with the
 * event it cut short, and records what common code injects and which window
 * exits it opens. Its run loop follows the order of vcpu_events.h: take back
 * what the exit cut short, handle the exit, run the hook before the entry
 * (vcpu_handle_exit() and vcpu_before_entry(), as the backends do).
 * unit-sources: common/vm/vcpu_events.c common/vm/event.c common/vm/exit_dispatch.c common/vm/vcpu_entry.c common/vm/cpuid_memo.c common/lib/format.c common/lib/kstring.c common/lib/shootdown.c
 */
#include <check.h>
#include <string.h>
#include "common/vm/vcpu_events.h"
#include "tests/unit/mock_backend.h"
#include "tests/unit/unit_main.h"

static void mock_run(struct vcpu *v)
{
    mock_run_to_stop(v);
}

static struct exit_handler_table table;
static struct vcpu vcpu;
static u8 queued_vector; /* what h_queue_interrupt queues */

/* ---- handlers: what exit handlers will do with the model ---- */

/* A nested page fault the VMM fixes by mapping the page: the guest runs again. */
static enum exit_action h_npf_mapped(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_RESUME;
}

/* An access the VMM emulates and refuses: \#GP(0) at the instruction. */
static enum exit_action h_npf_gp(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    struct event_exception gp = { .vector = EVENT_VECTOR_GP, .has_error = true };
    return vcpu_raise_exception(v, &gp);
}

/* An emulated instruction with RFLAGS.TF set: a single-step \#DB after it. */
static enum exit_action h_cpuid_single_step(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    struct event_exception db = { .vector = EVENT_VECTOR_DB, .trap = true };
    return vcpu_raise_exception(v, &db);
}

/* The VMM's own interrupt source fires (as on_hlt() will queue the wake-up vector). */
static enum exit_action h_queue_interrupt(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    vcpu_queue_interrupt(v, queued_vector);
    return EXIT_SKIP;
}

static enum exit_action h_queue_nmi(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    vcpu_queue_nmi(v);
    return EXIT_SKIP;
}

/* The mock CPU exits at a window only once the guest can take the event. */
static enum exit_action h_window(struct vcpu *v, struct vm_exit *e)
{
    if (e->kind == VM_EXIT_INTERRUPT_WINDOW) {
        ck_assert(mock.interrupt_window);
        mock.guest.interrupts_enabled = true;
    } else {
        ck_assert(mock.nmi_window);
        mock.guest.nmi_blocked = false;
    }
    mock.guest.shadow = false;
    return vcpu_event_window_exit(v, e);
}

static void setup(void)
{
    memset(&table, 0, sizeof(table));
    memset(&vcpu, 0, sizeof(vcpu));
    mock_reset();
    mock.guest.interrupts_enabled = true;
    vcpu.backend = &mock_backend;
    queued_vector = 0x50;
    table.handler[VM_EXIT_CPUID] = mock_handler_skip;
    table.handler[VM_EXIT_IO] = mock_handler_poweroff;
    table.handler[VM_EXIT_NESTED_PAGE_FAULT] = h_npf_mapped;
    table.handler[VM_EXIT_VMCALL] = h_queue_interrupt;
    table.handler[VM_EXIT_HLT] = h_queue_nmi;
    table.handler[VM_EXIT_INTERRUPT_WINDOW] = h_window;
    table.handler[VM_EXIT_NMI_WINDOW] = h_window;
}

static struct vm_exit *exit_cutting_short(enum vm_exit_kind kind, enum vm_delivery how, u8 vector)
{
    struct vm_exit *e = mock_add_exit(kind, kind == VM_EXIT_NESTED_PAGE_FAULT ? 0 : 2, 0x400);
    e->cut_short.delivery = how;
    e->cut_short.vector = vector;
    return e;
}

/* A nested page fault during the delivery of an exception with an error code. */
static void npf_cutting_short_exception(u8 vector, u32 error_code)
{
    struct vm_exit *e = exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_HW_EXCEPTION, vector);
    e->cut_short.has_error = true;
    e->cut_short.error_code = error_code;
}

static void expect_injected(unsigned i, enum vm_event_type type, u8 vector)
{
    ck_assert_uint_lt(i, mock.injects);
    ck_assert_int_eq(mock.injected[i].type, type);
    ck_assert_uint_eq(mock.injected[i].vector, vector);
}

/* The only injection was this exception with this error code. */
static void expect_one_exception(u8 vector, u32 error_code)
{
    ck_assert_uint_eq(mock.injects, 1);
    expect_injected(0, VM_EVENT_EXCEPTION, vector);
    ck_assert(mock.injected[0].has_error);
    ck_assert_uint_eq(mock.injected[0].error_code, error_code);
}

static void run_to_poweroff(void)
{
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_POWEROFF);
    ck_assert_uint_eq(mock.script_pos, mock.script_len);
}

/* ---- re-delivery ---- */

START_TEST(interrupt_cut_short_by_npf_is_delivered_exactly_once)
{
    /* A device's interrupt, passed through, meets an unmapped IDT page. */
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_EXTERNAL_INTERRUPT, 0x30);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_NESTED_PAGE_FAULT, 0, 0x400);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 1);
    expect_injected(0, VM_EVENT_EXTERNAL_INTERRUPT, 0x30);
    ck_assert_uint_eq(mock.window_changes, 0);
    ck_assert(event_queue_idle(&vcpu.events));
}
END_TEST

START_TEST(injected_interrupt_cut_short_is_injected_again_once)
{
    event_queue_interrupt(&vcpu.events, 0x30);
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_EXTERNAL_INTERRUPT, 0x30);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 2); /* at the first entry, and again after the NPF */
    expect_injected(0, VM_EVENT_EXTERNAL_INTERRUPT, 0x30);
    expect_injected(1, VM_EVENT_EXTERNAL_INTERRUPT, 0x30);
    ck_assert(event_queue_idle(&vcpu.events));
}
END_TEST

START_TEST(fault_first_then_the_cut_short_interrupt)
{
    /* The same exit cuts an interrupt short and raises #GP: both reach the guest. */
    table.handler[VM_EXIT_NESTED_PAGE_FAULT] = h_npf_gp;
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_EXTERNAL_INTERRUPT, 0x41);
    mock_add_exit(VM_EXIT_INTERRUPT_WINDOW, 0, 7);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 2);
    expect_injected(0, VM_EVENT_EXCEPTION, EVENT_VECTOR_GP);
    ck_assert(mock.injected[0].has_error);
    ck_assert_uint_eq(mock.injected[0].error_code, 0);
    expect_injected(1, VM_EVENT_EXTERNAL_INTERRUPT, 0x41);
    ck_assert_uint_eq(mock.window_changes, 2); /* opened with the #GP, closed with the interrupt */
    ck_assert(!mock.interrupt_window && !mock.nmi_window);
    ck_assert_uint_eq(mock.rip, 0x100000); /* a fault: RIP stays */
}
END_TEST

START_TEST(cut_short_page_fault_is_redelivered_as_it_was)
{
    npf_cutting_short_exception(EVENT_VECTOR_PF, 6);
    run_to_poweroff();
    expect_one_exception(EVENT_VECTOR_PF, 6);
}
END_TEST

START_TEST(gp_during_page_fault_delivery_is_a_double_fault)
{
    table.handler[VM_EXIT_NESTED_PAGE_FAULT] = h_npf_gp;
    npf_cutting_short_exception(EVENT_VECTOR_PF, 2);
    run_to_poweroff();
    expect_one_exception(EVENT_VECTOR_DF, 0); /* #DF's error code is always 0 */
}
END_TEST

START_TEST(gp_during_double_fault_delivery_stops_the_guest)
{
    table.handler[VM_EXIT_NESTED_PAGE_FAULT] = h_npf_gp;
    mock.rip = 0xC0DE;
    npf_cutting_short_exception(EVENT_VECTOR_DF, 0);
    mock_add_exit(VM_EXIT_IO, 1, 0x7B); /* never reached */
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_str_eq(vcpu.stop_reason,
                     "guest triple fault (shutdown): #GP raised while delivering #DF, guest rip=0xc0de");
    ck_assert_uint_eq(mock.injects, 0);
    ck_assert_uint_eq(mock.script_pos, 1);
}
END_TEST

START_TEST(cut_short_software_interrupts_run_again)
{
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_SW_INTERRUPT, 0x80);
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_SW_EXCEPTION, EVENT_VECTOR_BP);
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_PRIV_SW_EXCEPTION, EVENT_VECTOR_DB);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 0);
    ck_assert_uint_eq(mock.rip, 0x100000); /* still at the INT instruction */
    ck_assert_uint_eq(mock.window_changes, 0);
}
END_TEST

START_TEST(unknown_delivery_type_stops_the_guest)
{
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, (enum vm_delivery)9, 0x20);
    mock_add_exit(VM_EXIT_IO, 1, 0x7B); /* never reached */
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_str_eq(vcpu.stop_reason, "the mock backend reported a cut-short event of unknown type 9");
    ck_assert_uint_eq(vcpu.exit_counts[VM_EXIT_NESTED_PAGE_FAULT], 0); /* before the handler */
}
END_TEST

START_TEST(nmi_cut_short_goes_in_again_at_once)
{
    event_queue_nmi(&vcpu.events);
    exit_cutting_short(VM_EXIT_NESTED_PAGE_FAULT, VM_DELIVERY_NMI, EVENT_VECTOR_NMI);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 2);
    expect_injected(0, VM_EVENT_NMI, 2);
    expect_injected(1, VM_EVENT_NMI, 2);
    ck_assert_uint_eq(mock.window_changes, 0); /* not blocked: its handler never ran */
}
END_TEST

/* ---- priority, blocking and windows ---- */

START_TEST(exception_nmi_interrupt_in_that_order)
{
    /* All three wait; the guest is in an STI shadow, which holds back only the last two. */
    mock.guest.shadow = true;
    event_queue_interrupt(&vcpu.events, 0x60);
    event_queue_nmi(&vcpu.events);
    struct event_exception ud = { .vector = EVENT_VECTOR_UD };
    ck_assert_int_eq(vcpu_raise_exception(&vcpu, &ud), EXIT_RESUME);
    mock_add_exit(VM_EXIT_NMI_WINDOW, 0, 8);
    mock_add_exit(VM_EXIT_INTERRUPT_WINDOW, 0, 7);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 3);
    expect_injected(0, VM_EVENT_EXCEPTION, EVENT_VECTOR_UD);
    expect_injected(1, VM_EVENT_NMI, 2);
    expect_injected(2, VM_EVENT_EXTERNAL_INTERRUPT, 0x60);
    ck_assert(!mock.interrupt_window && !mock.nmi_window);
    ck_assert_uint_eq(mock.window_changes, 3); /* both open; NMI closed; interrupt closed */
}
END_TEST

START_TEST(if_clear_waits_for_the_interrupt_window)
{
    mock.guest.interrupts_enabled = false;
    mock_add_exit(VM_EXIT_VMCALL, 3, 0x12); /* the VMM's interrupt source fires */
    mock_add_exit(VM_EXIT_CPUID, 2, 0x0A);  /* IF still 0: nothing goes in */
    mock_add_exit(VM_EXIT_INTERRUPT_WINDOW, 0, 7);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 1);
    expect_injected(0, VM_EVENT_EXTERNAL_INTERRUPT, 0x50);
    ck_assert_uint_eq(mock.window_changes, 2);
    ck_assert(!mock.interrupt_window);
}
END_TEST

START_TEST(second_nmi_waits_for_the_nmi_window)
{
    event_queue_nmi(&vcpu.events);          /* goes in at the first entry */
    mock_add_exit(VM_EXIT_HLT, 1, 0x78);    /* another NMI, while the first is handled */
    mock_add_exit(VM_EXIT_NMI_WINDOW, 0, 8);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 2);
    expect_injected(0, VM_EVENT_NMI, 2);
    expect_injected(1, VM_EVENT_NMI, 2);
    ck_assert_uint_eq(mock.window_changes, 2);
    ck_assert(!mock.nmi_window);
}
END_TEST

START_TEST(hardware_nmi_blocking_opens_the_nmi_window)
{
    mock.guest.nmi_blocked = true; /* VT-x reports the guest inside its NMI handler */
    mock_add_exit(VM_EXIT_HLT, 1, 0x78);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x0A);
    mock_add_exit(VM_EXIT_NMI_WINDOW, 0, 8);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 1);
    expect_injected(0, VM_EVENT_NMI, 2);
    ck_assert_uint_eq(mock.window_changes, 2);
}
END_TEST

START_TEST(interrupts_go_in_highest_vector_first)
{
    static const u8 vectors[] = { 0x30, 0x80, 0x41 };
    for (unsigned i = 0; i < ARRAY_SIZE(vectors); i++)
        event_queue_interrupt(&vcpu.events, vectors[i]);
    mock_add_exit(VM_EXIT_INTERRUPT_WINDOW, 0, 7);
    mock_add_exit(VM_EXIT_INTERRUPT_WINDOW, 0, 7);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 3);
    expect_injected(0, VM_EVENT_EXTERNAL_INTERRUPT, 0x80);
    expect_injected(1, VM_EVENT_EXTERNAL_INTERRUPT, 0x41);
    expect_injected(2, VM_EVENT_EXTERNAL_INTERRUPT, 0x30);
    ck_assert(!mock.interrupt_window);
}
END_TEST

START_TEST(nothing_pending_opens_no_window)
{
    for (unsigned bits = 0; bits < 8; bits++) {
        mock_reset();
        memset(&vcpu, 0, sizeof(vcpu));
        vcpu.backend = &mock_backend;
        mock.guest = (struct event_interruptibility){ .interrupts_enabled = bits & 1,
                                                      .shadow = bits & 2, .nmi_blocked = bits & 4 };
        mock_add_exit(VM_EXIT_CPUID, 2, 0x0A);
        mock_add_exit(VM_EXIT_NESTED_PAGE_FAULT, 0, 0x400);
        run_to_poweroff();
        ck_assert_uint_eq(mock.injects, 0);
        ck_assert_uint_eq(mock.window_changes, 0);
    }
}
END_TEST

START_TEST(trap_moves_rip_before_it_goes_in)
{
    table.handler[VM_EXIT_CPUID] = h_cpuid_single_step;
    mock_add_exit(VM_EXIT_CPUID, 2, 0x0A);
    run_to_poweroff();
    ck_assert_uint_eq(mock.rip, 0x100002);
    ck_assert_uint_eq(mock.injects, 1);
    expect_injected(0, VM_EVENT_EXCEPTION, EVENT_VECTOR_DB);
    ck_assert(!mock.injected[0].has_error);
}
END_TEST

/* A fault goes in with RFLAGS.RF set in the frame, as the CPU pushes it for a
 * fault it raises itself; a trap (the single-step #DB) leaves RFLAGS alone. */
START_TEST(injected_fault_sets_rf_a_trap_does_not)
{
    table.handler[VM_EXIT_RDMSR] = h_npf_gp;
    mock_add_exit(VM_EXIT_RDMSR, 2, 0x7C);
    run_to_poweroff();
    expect_injected(0, VM_EVENT_EXCEPTION, EVENT_VECTOR_GP);
    ck_assert_uint_eq(mock.rflags_written & (1u << 16), 1u << 16);
    setup();
    table.handler[VM_EXIT_CPUID] = h_cpuid_single_step;
    mock_add_exit(VM_EXIT_CPUID, 2, 0x0A);
    run_to_poweroff();
    expect_injected(0, VM_EVENT_EXCEPTION, EVENT_VECTOR_DB);
    ck_assert_uint_eq(mock.rflags_written & (1u << 16), 0);
}
END_TEST

/* A backend without event operations: an idle queue must not need them. */
START_TEST(backend_without_event_ops)
{
    struct backend_ops old = mock_backend;
    old.get_interruptibility = NULL;
    old.set_event_windows = NULL;
    vcpu.backend = &old;
    mock_add_exit(VM_EXIT_CPUID, 2, 0x0A);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 0);

    mock_reset();
    memset(&vcpu, 0, sizeof(vcpu));
    vcpu.backend = &old;
    mock_add_exit(VM_EXIT_VMCALL, 3, 0x12); /* something to deliver, no way to */
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);     /* never reached */
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_str_eq(vcpu.stop_reason, "the mock backend cannot deliver events (chapter 08)");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vcpu_events");
    TCase *t = tcase_create("re-delivery");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, interrupt_cut_short_by_npf_is_delivered_exactly_once);
    tcase_add_test(t, injected_interrupt_cut_short_is_injected_again_once);
    tcase_add_test(t, fault_first_then_the_cut_short_interrupt);
    tcase_add_test(t, cut_short_page_fault_is_redelivered_as_it_was);
    tcase_add_test(t, gp_during_page_fault_delivery_is_a_double_fault);
    tcase_add_test(t, gp_during_double_fault_delivery_stops_the_guest);
    tcase_add_test(t, cut_short_software_interrupts_run_again);
    tcase_add_test(t, unknown_delivery_type_stops_the_guest);
    tcase_add_test(t, nmi_cut_short_goes_in_again_at_once);
    suite_add_tcase(s, t);

    t = tcase_create("priority");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, exception_nmi_interrupt_in_that_order);
    tcase_add_test(t, if_clear_waits_for_the_interrupt_window);
    tcase_add_test(t, second_nmi_waits_for_the_nmi_window);
    tcase_add_test(t, hardware_nmi_blocking_opens_the_nmi_window);
    tcase_add_test(t, interrupts_go_in_highest_vector_first);
    tcase_add_test(t, nothing_pending_opens_no_window);
    tcase_add_test(t, trap_moves_rip_before_it_goes_in);
    tcase_add_test(t, backend_without_event_ops);
    tcase_add_test(t, injected_fault_sets_rf_a_trap_does_not);
    suite_add_tcase(s, t);
    return unit_run_suite(s);
}
