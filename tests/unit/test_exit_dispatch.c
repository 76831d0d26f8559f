/*
 * Unit tests for common/vm/exit_dispatch.c, driven by the mock backend of
 * tests/unit/mock_backend.h: synthetic exits go in, handler results and
 * backend calls come out.
 * unit-sources: common/vm/exit_dispatch.c common/vm/vcpu_entry.c common/vm/vcpu_events.c common/vm/event.c common/vm/cpuid_memo.c common/lib/format.c common/lib/kstring.c common/lib/shootdown.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "common/vm/exit_dispatch.h"
#include "tests/unit/mock_backend.h"
#include "tests/unit/unit_main.h"

/* The mock backend's run loop: every exit goes to vcpu_handle_exit until it says stop. */
static void mock_run(struct vcpu *v)
{
    mock_run_to_stop(v);
}

/* ---- handlers under test ---- */
static enum exit_action h_skip(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    v->gprs.rax = 0x1234;
    return EXIT_SKIP;
}

static enum exit_action h_poweroff(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    return vcpu_stop(v, VCPU_STOP_POWEROFF, "powered off by port 0x%x", 0x604);
}

static enum exit_action h_stop_silently(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_STOP;
}

static struct exit_handler_table table;
static struct vcpu vcpu;

static void setup(void)
{
    memset(&table, 0, sizeof(table));
    memset(&vcpu, 0, sizeof(vcpu));
    mock_reset();
    vcpu.backend = &mock_backend;
    table.handler[VM_EXIT_CPUID] = h_skip;
    table.handler[VM_EXIT_RDMSR] = mock_handler_gp;
    table.handler[VM_EXIT_VMCALL] = mock_handler_ud;
    table.handler[VM_EXIT_IO] = h_poweroff;
}

START_TEST(skip_advances_rip_and_counts)
{
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_CPUID, 2, 0x72);
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_POWEROFF);
    ck_assert_uint_eq(vcpu.exit_counts[VM_EXIT_CPUID], 2);
    ck_assert_uint_eq(vcpu.exit_counts[VM_EXIT_IO], 1);
    ck_assert_uint_eq(mock.skips, 2);
    ck_assert_uint_eq(mock.rip, 0x100004);
    ck_assert_uint_eq(vcpu.gprs.rax, 0x1234);
    ck_assert_str_eq(vcpu.stop_reason, "powered off by port 0x604");
}
END_TEST

START_TEST(inject_gp_and_ud)
{
    mock_add_exit(VM_EXIT_RDMSR, 2, 0x7C);
    mock_add_exit(VM_EXIT_VMCALL, 3, 0x81);
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);
    vcpu_run(&vcpu, &table);
    ck_assert_uint_eq(mock.injects, 2);
    ck_assert_uint_eq(mock.injected[0].vector, 13);
    ck_assert(mock.injected[0].has_error);
    ck_assert_uint_eq(mock.injected[0].error_code, 0);
    ck_assert_uint_eq(mock.injected[1].vector, 6);
    ck_assert(!mock.injected[1].has_error);
    ck_assert_uint_eq(mock.rip, 0x100000); /* injection does not skip */
}
END_TEST

/* #GP carries an error code in protected mode and none in real mode (CR0.PE = 0),
 * where VM entry would refuse one. */
START_TEST(inject_gp_error_code_follows_cr0_pe)
{
    mock_add_exit(VM_EXIT_RDMSR, 2, 0x7C);
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);
    vcpu_run(&vcpu, &table);
    ck_assert_uint_eq(mock.injects, 1);
    ck_assert_uint_eq(mock.injected[0].vector, 13);
    ck_assert(mock.injected[0].has_error);
    setup();
    mock.cr0 = 0x10; /* real mode */
    mock_add_exit(VM_EXIT_RDMSR, 2, 0x7C);
    mock_add_exit(VM_EXIT_IO, 1, 0x7B);
    vcpu_run(&vcpu, &table);
    ck_assert_uint_eq(mock.injects, 1);
    ck_assert_uint_eq(mock.injected[0].vector, 13);
    ck_assert(!mock.injected[0].has_error);
}
END_TEST

START_TEST(unhandled_exit_stops_with_native_code_and_rip)
{
    mock.rip = 0xDEAD0;
    mock_add_exit(VM_EXIT_XSETBV, 3, 0x8D);
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "unhandled exit xsetbv"));
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "native code 0x8d"));
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "rip=0xdead0"));
    ck_assert_uint_eq(vcpu.exit_counts[VM_EXIT_XSETBV], 1);
}
END_TEST

START_TEST(bad_kind_stops)
{
    struct vm_exit e = { .kind = (enum vm_exit_kind)999, .native_code = 5 };
    ck_assert_int_eq(exit_dispatch(&table, &vcpu, &e), EXIT_STOP);
    ck_assert_int_eq(vcpu.stop, VCPU_STOP_ERROR);
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "bad exit kind 999"));
}
END_TEST

START_TEST(unknown_length_stops)
{
    mock_add_exit(VM_EXIT_CPUID, 0, 0x72);
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "cannot find the length of the cpuid"));
}
END_TEST

START_TEST(stop_without_reason_gets_one)
{
    table.handler[VM_EXIT_HLT] = h_stop_silently;
    mock_add_exit(VM_EXIT_HLT, 1, 0x78);
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "without a reason"));
}
END_TEST

/* A backend whose run loop returns without any handler having stopped the guest. */
static void broken_run(struct vcpu *v)
{
    (void)v;
}

START_TEST(backend_leaving_its_loop_without_reason_is_an_error)
{
    struct backend_ops broken = mock_backend;
    broken.run = broken_run;
    vcpu.backend = &broken;
    ck_assert_int_eq(vcpu_run(&vcpu, &table), VCPU_STOP_ERROR);
    ck_assert_ptr_nonnull(strstr(vcpu.stop_reason, "mock backend left its run loop"));
}
END_TEST

START_TEST(handle_exit_says_go_on_then_stop)
{
    vcpu.handlers = &table;
    struct vm_exit cpuid = { .kind = VM_EXIT_CPUID, .insn_len = 2 };
    struct vm_exit io = { .kind = VM_EXIT_IO, .insn_len = 1 };
    ck_assert(vcpu_handle_exit(&vcpu, &cpuid));
    ck_assert_uint_eq(mock.rip, 0x100002);
    ck_assert(!vcpu_handle_exit(&vcpu, &io));
    ck_assert_int_eq(vcpu.stop, VCPU_STOP_POWEROFF);
}
END_TEST

static char printed[8][96];
static unsigned nprinted;
static void collect(const char *line)
{
    if (nprinted < 8)
        strcpy(printed[nprinted++], line);
}

START_TEST(counters_print_nonzero_kinds)
{
    vcpu.exit_counts[VM_EXIT_CPUID] = 7;
    vcpu.exit_counts[VM_EXIT_NESTED_PAGE_FAULT] = 3;
    nprinted = 0;
    vcpu_print_counters(&vcpu, collect);
    ck_assert_uint_eq(nprinted, 3);
    ck_assert_str_eq(printed[0], "exits: total=10");
    ck_assert_str_eq(printed[1], "exits: cpuid=7");
    ck_assert_str_eq(printed[2], "exits: npf=3");
    ck_assert_str_eq(vm_exit_kind_name(VM_EXIT_SHUTDOWN), "shutdown");
    ck_assert_str_eq(vm_exit_kind_name((enum vm_exit_kind)77), "bad-kind");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exit_dispatch");
    TCase *tc = tcase_create("mock backend");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, skip_advances_rip_and_counts);
    tcase_add_test(tc, inject_gp_and_ud);
    tcase_add_test(tc, inject_gp_error_code_follows_cr0_pe);
    tcase_add_test(tc, unhandled_exit_stops_with_native_code_and_rip);
    tcase_add_test(tc, bad_kind_stops);
    tcase_add_test(tc, unknown_length_stops);
    tcase_add_test(tc, stop_without_reason_gets_one);
    tcase_add_test(tc, counters_print_nonzero_kinds);
    tcase_add_test(tc, backend_leaving_its_loop_without_reason_is_an_error);
    tcase_add_test(tc, handle_exit_says_go_on_then_stop);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
