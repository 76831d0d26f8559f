/*
 * Unit tests for the one hook before every entry (common/vm/vcpu_entry.c)
 * and the work word that drives it, through the mock backend of
 * tests/unit/mock_backend.h: what each VCPU_WORK_* bit makes the hook do,
 * that the word clears itself exactly when nothing is left (the backends'
 * exit assembly answers an exit by itself only then), and the two ways an
 * exit's handler now reaches the event queue: an instruction it emulated
 * while the guest single-steps, and EXIT_INJECT_GP/UD.
 * unit-sources: common/vm/vcpu_entry.c common/vm/vcpu_events.c common/vm/event.c common/vm/exit_dispatch.c common/vm/cpuid_memo.c common/lib/format.c common/lib/kstring.c common/lib/shootdown.c
 */
#include <check.h>
#include <string.h>
#include "common/vm/exit_dispatch.h"
#include "common/vm/vcpu_entry.h"
#include "tests/unit/mock_backend.h"
#include "tests/unit/unit_main.h"

static void mock_run(struct vcpu *v)
{
    mock_run_to_stop(v);
}

static struct exit_handler_table table;
static struct vcpu vcpu;
static unsigned interruptibility_reads;

/* A mapping changed (as on another CPU): flush before the next entry. */
static enum exit_action h_remap(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    vcpu_request_nested_flush(v);
    return EXIT_RESUME;
}

static enum exit_action h_queue_interrupt(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    vcpu_queue_interrupt(v, 0x41);
    return EXIT_SKIP;
}

static enum exit_action h_window(struct vcpu *v, struct vm_exit *e)
{
    mock.guest.interrupts_enabled = true;
    return vcpu_event_window_exit(v, e);
}

/* get_interruptibility, counted: the hook reads it only when events wait. */
static void counting_interruptibility(struct vcpu *v, struct event_interruptibility *out)
{
    interruptibility_reads++;
    mock_get_interruptibility(v, out);
}

static struct backend_ops counting_backend;

/* bound_run, recorded: the deadlines the hook gave, in order. */
static u64 bounds[8];
static unsigned bound_calls;
static void recording_bound_run(struct vcpu *v, u64 tsc_deadline)
{
    (void)v;
    ck_assert_uint_lt(bound_calls, 8);
    bounds[bound_calls++] = tsc_deadline;
}

static void setup(void)
{
    memset(&table, 0, sizeof(table));
    memset(&vcpu, 0, sizeof(vcpu));
    mock_reset();
    mock.guest.interrupts_enabled = true;
    interruptibility_reads = 0;
    counting_backend = mock_backend;
    counting_backend.get_interruptibility = counting_interruptibility;
    counting_backend.bound_run = recording_bound_run;
    bound_calls = 0;
    vcpu.backend = &counting_backend;
    table.handler[VM_EXIT_CPUID] = mock_handler_skip;
    table.handler[VM_EXIT_RDMSR] = mock_handler_gp;
    table.handler[VM_EXIT_VIRT_INSN] = mock_handler_ud;
    table.handler[VM_EXIT_IO] = mock_handler_poweroff;
    table.handler[VM_EXIT_NESTED_PAGE_FAULT] = h_remap;
    table.handler[VM_EXIT_VMCALL] = h_queue_interrupt;
    table.handler[VM_EXIT_INTERRUPT_WINDOW] = h_window;
}

static void run_to_poweroff(void)
{
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_POWEROFF);
    ck_assert_uint_eq(mock.script_pos, mock.script_len);
}

/* ---- the work word ---- */

START_TEST(nothing_pending_costs_nothing)
{
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    run_to_poweroff();
    /* vcpu_run() asks for one look at the queue before the first entry, no more. */
    ck_assert_uint_eq(interruptibility_reads, 0);
    ck_assert_uint_eq(mock.flushes, 0);
    ck_assert_uint_eq(vcpu.work_pending, 0);
}
END_TEST

START_TEST(flush_asked_for_is_done_once_before_the_entry)
{
    vcpu_request_nested_flush(&vcpu); /* before the first entry (a new nested root) */
    mock_add_exit(VM_EXIT_NESTED_PAGE_FAULT, 0, 0x400);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    run_to_poweroff();
    ck_assert_uint_eq(mock.flushes, 2);
    ck_assert_uint_eq(vcpu.work_pending, 0);
    ck_assert(!vcpu_take_nested_flush(&vcpu));
}
END_TEST

START_TEST(events_bit_stays_while_a_window_is_open)
{
    mock.guest.interrupts_enabled = false;
    vcpu.handlers = &table;
    struct vm_exit queue = { .kind = VM_EXIT_VMCALL, .insn_len = 3 };
    ck_assert(vcpu_handle_exit(&vcpu, &queue));
    /* IF = 0: the interrupt waits with its window open, and the word says so,
     * so that the exit assembly sends the next exit through C. */
    ck_assert(mock.interrupt_window);
    ck_assert(vcpu.work_pending & VCPU_WORK_EVENTS);
    struct vm_exit cpuid = { .kind = VM_EXIT_CPUID, .insn_len = 2 };
    ck_assert(vcpu_handle_exit(&vcpu, &cpuid));
    ck_assert(vcpu.work_pending & VCPU_WORK_EVENTS);
    struct vm_exit window = { .kind = VM_EXIT_INTERRUPT_WINDOW };
    ck_assert(vcpu_handle_exit(&vcpu, &window));
    ck_assert_uint_eq(mock.injects, 1);
    ck_assert(!mock.interrupt_window);
    ck_assert_uint_eq(vcpu.work_pending, 0); /* idle again: the fast path may answer */
}
END_TEST

/* The flush answers the shared map's request count it read (chapter 08,
 * "Shootdown"): a CPU waiting for request 2 sees it acknowledged only once
 * the flush is done, and not before. */
START_TEST(flush_acknowledges_the_request_it_saw)
{
    u64 requested = 0;
    vcpu.shootdown.requested = &requested;
    shootdown_request(&requested);
    shootdown_request(&requested);
    vcpu_request_nested_flush(&vcpu);
    ck_assert(!shootdown_acked(&vcpu.shootdown, 2));
    ck_assert(vcpu_before_entry(&vcpu));
    ck_assert_uint_eq(mock.flushes, 1);
    ck_assert(shootdown_acked(&vcpu.shootdown, 2));
    /* No flush asked: nothing acknowledged, nothing flushed. */
    shootdown_request(&requested);
    ck_assert(vcpu_before_entry(&vcpu));
    ck_assert_uint_eq(mock.flushes, 1);
    ck_assert(!shootdown_acked(&vcpu.shootdown, 3));
}
END_TEST

/* A fake wait for the other vCPUs: meanwhile another CPU asks this one for a flush. */
static unsigned waits;
static void fake_shootdown_wait(struct vcpu *v)
{
    waits++;
    ck_assert_uint_eq(v->work_pending & VCPU_WORK_SHOOTDOWN, 0); /* taken first */
    vcpu_request_nested_flush(v);
}

START_TEST(shootdown_wait_comes_first_and_a_flush_asked_meanwhile_is_done)
{
    vcpu_shootdown_wait = fake_shootdown_wait;
    waits = 0;
    vcpu_request_work(&vcpu, VCPU_WORK_SHOOTDOWN);
    ck_assert(vcpu_before_entry(&vcpu));
    vcpu_shootdown_wait = NULL;
    ck_assert_uint_eq(waits, 1);
    ck_assert_uint_eq(mock.flushes, 1);
    ck_assert_uint_eq(vcpu.work_pending, 0);
    /* Once: the next entry neither waits nor flushes. */
    ck_assert(vcpu_before_entry(&vcpu));
    ck_assert_uint_eq(waits, 1);
    ck_assert_uint_eq(mock.flushes, 1);
}
END_TEST

/* A fake timer runner: says "still waiting" twice, then runs dry. */
static unsigned timer_runs;
static bool fake_timers_run(void)
{
    return ++timer_runs < 3;
}

START_TEST(timers_run_at_each_exit_until_none_waits)
{
    vcpu_timers_run = fake_timers_run;
    timer_runs = 0;
    vcpu_request_work(&vcpu, VCPU_WORK_TIMERS);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    run_to_poweroff();
    /* Before the first entry and after each exit until the runner said none waits. */
    ck_assert_uint_eq(timer_runs, 3);
    ck_assert_uint_eq(vcpu.work_pending & VCPU_WORK_TIMERS, 0);
    /* Without a runner (host tests, or before boot sets it) the bit is simply cleared. */
    vcpu_timers_run = NULL;
    vcpu_request_work(&vcpu, VCPU_WORK_TIMERS);
    ck_assert(vcpu_before_entry(&vcpu));
    ck_assert_uint_eq(vcpu.work_pending & VCPU_WORK_TIMERS, 0);
}
END_TEST

/* The VMM's deadline exit: nothing for the guest. */
static enum exit_action h_resume(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_RESUME;
}

/* The earliest deadline, as the VMM would give it: a new one at each call. */
static u64 fake_deadline;
static u64 fake_deadline_tsc(void)
{
    return fake_deadline += 1000;
}

START_TEST(run_bounded_by_the_deadline_while_timers_wait)
{
    vcpu_timers_run = fake_timers_run;
    vcpu_timer_deadline_tsc = fake_deadline_tsc;
    timer_runs = 0;
    fake_deadline = 0;
    vcpu_request_work(&vcpu, VCPU_WORK_TIMERS);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_VMM_TIMER, 0, 52);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    table.handler[VM_EXIT_VMM_TIMER] = h_resume;
    run_to_poweroff();
    /* A bound before each entry while a timer waits (the deadline of that
     * moment), then once none, and no call at all afterwards: an idle VMM
     * costs the entries nothing. */
    ck_assert_uint_eq(bound_calls, 3);
    ck_assert_uint_eq(bounds[0], 1000);
    ck_assert_uint_eq(bounds[1], 2000);
    ck_assert_uint_eq(bounds[2], VCPU_NO_DEADLINE);
    /* Without a deadline source the backend is told "no bound". */
    vcpu_timer_deadline_tsc = NULL;
    timer_runs = 0;
    vcpu_request_work(&vcpu, VCPU_WORK_TIMERS);
    ck_assert(vcpu_before_entry(&vcpu));
    ck_assert_uint_eq(bounds[3], VCPU_NO_DEADLINE);
    vcpu_timers_run = NULL;
}
END_TEST

START_TEST(no_bound_without_timers)
{
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_NESTED_PAGE_FAULT, 0, 0x400);
    run_to_poweroff();
    ck_assert_uint_eq(bound_calls, 0);
}
END_TEST

START_TEST(no_fast_path_bit_is_never_cleared)
{
    vcpu_request_work(&vcpu, VCPU_WORK_NO_FAST_PATH);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_VMCALL, 3, 0x12);
    run_to_poweroff();
    ck_assert_uint_eq(vcpu.work_pending, VCPU_WORK_NO_FAST_PATH);
    ck_assert_uint_eq(mock.injects, 1);
}
END_TEST

/* ---- handlers meet the queue ---- */

START_TEST(single_stepping_guest_gets_its_trap)
{
    mock.trap_flag = true;
    mock.dr6 = 0xFFFF0FF0;
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    run_to_poweroff();
    ck_assert_uint_eq(mock.rip, 0x100002); /* past the CPUID: a trap follows it */
    ck_assert_uint_eq(mock.injects, 1);
    ck_assert_int_eq(mock.injected[0].type, VM_EVENT_EXCEPTION);
    ck_assert_uint_eq(mock.injected[0].vector, EVENT_VECTOR_DB);
    ck_assert(!mock.injected[0].has_error);
    ck_assert_uint_eq(mock.dr6, 0xFFFF0FF0 | VCPU_DR6_BS);
}
END_TEST

START_TEST(not_stepping_no_trap)
{
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 0);
    ck_assert_uint_eq(mock.dr6, 0);
}
END_TEST

/* #GP and #UD of a handler go through the queue: combined with what the
 * exit cut short, the fault first, the interrupt after it. */
START_TEST(inject_actions_go_through_the_queue)
{
    struct vm_exit *e = mock_add_exit(VM_EXIT_RDMSR, 2, 0x7C);
    e->cut_short = (struct vm_cut_short_event){ .delivery = VM_DELIVERY_EXTERNAL_INTERRUPT,
                                                .vector = 0x33 };
    mock_add_exit(VM_EXIT_INTERRUPT_WINDOW, 0, 7);
    mock_add_exit(VM_EXIT_VIRT_INSN, 3, 0x81);
    run_to_poweroff();
    ck_assert_uint_eq(mock.injects, 3);
    ck_assert_uint_eq(mock.injected[0].vector, EVENT_VECTOR_GP);
    ck_assert(mock.injected[0].has_error);
    ck_assert_uint_eq(mock.injected[1].vector, 0x33);
    ck_assert_int_eq(mock.injected[1].type, VM_EVENT_EXTERNAL_INTERRUPT);
    ck_assert_uint_eq(mock.injected[2].vector, EVENT_VECTOR_UD);
    ck_assert_uint_eq(mock.rip, 0x100000); /* faults: RIP stays at the instruction */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vcpu_entry");
    TCase *t = tcase_create("work word");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, nothing_pending_costs_nothing);
    tcase_add_test(t, flush_asked_for_is_done_once_before_the_entry);
    tcase_add_test(t, flush_acknowledges_the_request_it_saw);
    tcase_add_test(t, shootdown_wait_comes_first_and_a_flush_asked_meanwhile_is_done);
    tcase_add_test(t, events_bit_stays_while_a_window_is_open);
    tcase_add_test(t, no_fast_path_bit_is_never_cleared);
    tcase_add_test(t, timers_run_at_each_exit_until_none_waits);
    tcase_add_test(t, run_bounded_by_the_deadline_while_timers_wait);
    tcase_add_test(t, no_bound_without_timers);
    suite_add_tcase(s, t);
    t = tcase_create("handlers");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, single_stepping_guest_gets_its_trap);
    tcase_add_test(t, not_stepping_no_trap);
    tcase_add_test(t, inject_actions_go_through_the_queue);
    suite_add_tcase(s, t);
    return unit_run_suite(s);
}
