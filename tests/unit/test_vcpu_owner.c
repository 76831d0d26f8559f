/*
 * Unit tests for the owner check of common/vm/vcpu_owner.h and for this_cpu()
 * (arch/x86/percpu.h), on the host: a Linux thread may set its own GS base
 * (arch_prctl), so this_cpu() reads a made-up struct cpu exactly as the VMM
 * reads its own. vcpu_wrong_cpu(), which panics in the VMM, is replaced here
 * by a recorder that jumps back into the test.
 *
 * unit-sources:
 */
#include <asm/prctl.h>
#include <check.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/vm/vcpu_owner.h"
#include "tests/unit/unit_main.h"

static struct cpu cpu0, cpu1;
static jmp_buf back;
static const char *refused_op;
static const struct vcpu *refused_vcpu;

void vcpu_wrong_cpu(const struct vcpu *v, const char *op)
{
    refused_op = op;
    refused_vcpu = v;
    longjmp(back, 1);
}

/* Make c the CPU this thread "runs on", as percpu_start() does in the VMM. */
static void run_on(struct cpu *c)
{
    c->self = c;
    ck_assert_int_eq(syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)c), 0);
}

START_TEST(this_cpu_reads_the_gs_base_structure)
{
    run_on(&cpu0);
    ck_assert_ptr_eq(this_cpu(), &cpu0);
    run_on(&cpu1);
    ck_assert_ptr_eq(this_cpu(), &cpu1);
}
END_TEST

START_TEST(owner_passes_any_other_cpu_is_refused)
{
    struct vcpu v = { .id = 3, .cpu = &cpu0 };
    refused_op = NULL;
    run_on(&cpu0);
    if (setjmp(back) == 0)
        vcpu_assert_own_cpu(&v, "get_reg");
    ck_assert_ptr_null(refused_op);

    run_on(&cpu1);
    if (setjmp(back) == 0) {
        vcpu_assert_own_cpu(&v, "set_reg");
        ck_abort_msg("a vCPU of CPU 0 was used on CPU 1 without a word");
    }
    ck_assert_str_eq(refused_op, "set_reg");
    ck_assert_ptr_eq(refused_vcpu, &v);
}
END_TEST

START_TEST(vcpu_without_native_state_is_refused)
{
    struct vcpu v = { .id = 1, .cpu = NULL }; /* vcpu_init has not run */
    refused_op = NULL;
    run_on(&cpu0);
    if (setjmp(back) == 0)
        vcpu_assert_own_cpu(&v, "run");
    ck_assert_str_eq(refused_op, "run");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vcpu_owner");
    TCase *tc = tcase_create("owner");
    tcase_add_test(tc, this_cpu_reads_the_gs_base_structure);
    tcase_add_test(tc, owner_passes_any_other_cpu_is_refused);
    tcase_add_test(tc, vcpu_without_native_state_is_refused);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
