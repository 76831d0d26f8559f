/*
 * Unit tests for common/vm/vcpu_state.c: the three starting states and the
 * check that tells them apart (whether VT-x and AMD-V accept them is tested
 * with each backend's rules in test_vmx_check.c and test_svm_guest_state.c).
 *
 * unit-sources: common/vm/vcpu_state.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "common/vm/vcpu_state.h"
#include "tests/unit/unit_main.h"

static struct vcpu_init_state st;
static char why[96];

/* A BIOS boot sector's start: 0000:7C00, 16-bit segments whose bases are
 * selector * 16, protection and paging off, the IVT as IDT. */
START_TEST(real_mode_at_cs_ip)
{
    vcpu_state_real_mode(&st, 0x07C0, 0x0010);
    ck_assert_uint_eq(st.cs.selector, 0x07C0);
    ck_assert_uint_eq(st.cs.base, 0x7C00);
    ck_assert_uint_eq(st.cs.limit, 0xFFFF);
    ck_assert_uint_eq(st.cs.attr & (VCPU_SEG_L | VCPU_SEG_DB), 0);
    ck_assert_uint_eq(st.rip, 0x10);
    ck_assert_uint_eq(st.cr0 & (VCPU_CR0_PE | VCPU_CR0_PG), 0);
    ck_assert_uint_eq(st.efer, 0);
    ck_assert_uint_eq(st.ss.base, 0);
    ck_assert_uint_eq(st.ss.limit, 0xFFFF);
    ck_assert_uint_eq(st.idtr.base, 0);
    ck_assert_uint_eq(st.idtr.limit, 0x3FF);
    ck_assert_uint_eq(st.rflags, 0x2); /* IF clear */
    ck_assert_int_eq(vcpu_state_mode(&st, why, sizeof(why)), VCPU_MODE_REAL);
    ck_assert_str_eq(why, "");
}
END_TEST

/* The Multiboot machine state: flat 4 GiB 32-bit segments, CR0 = PE|ET. */
START_TEST(protected32_is_the_multiboot_state)
{
    vcpu_state_protected32(&st, 0x100010);
    ck_assert_uint_eq(st.rip, 0x100010);
    ck_assert_uint_eq(st.cr0, 0x11);
    ck_assert_uint_eq(st.cs.selector, 0x08);
    ck_assert_uint_eq(st.cs.attr, 0xC9B);
    ck_assert_uint_eq(st.cs.limit, 0xFFFFFFFF);
    ck_assert_uint_eq(st.ds.attr, 0xC93);
    ck_assert_uint_eq(st.ss.attr, 0xC93);
    ck_assert_uint_eq(st.ds.base, 0);
    ck_assert_uint_eq(st.efer, 0);
    ck_assert_uint_eq(st.rflags & (1u << 9), 0);
    ck_assert_int_eq(vcpu_state_mode(&st, why, sizeof(why)), VCPU_MODE_PROTECTED32);
}
END_TEST

/* Linux's 64-bit entry: paging on with the loader's tables, EFER.LME and
 * LMA, a 64-bit code segment. */
START_TEST(long64_with_paging)
{
    vcpu_state_long64(&st, 0x1000200, 0x9000);
    ck_assert_uint_eq(st.rip, 0x1000200);
    ck_assert_uint_eq(st.cr3, 0x9000);
    ck_assert_uint_ne(st.cr0 & VCPU_CR0_PG, 0);
    ck_assert_uint_ne(st.cr0 & VCPU_CR0_PE, 0);
    ck_assert_uint_ne(st.cr4 & VCPU_CR4_PAE, 0);
    ck_assert_uint_eq(st.efer, VCPU_EFER_LME | VCPU_EFER_LMA);
    ck_assert_uint_ne(st.cs.attr & VCPU_SEG_L, 0);
    ck_assert_uint_eq(st.cs.attr & VCPU_SEG_DB, 0);
    ck_assert_int_eq(vcpu_state_mode(&st, why, sizeof(why)), VCPU_MODE_LONG64);
}
END_TEST

/* Each rule of vcpu_state_mode(), broken once. */
START_TEST(inconsistent_states_are_named)
{
    static const struct {
        u64 cr0_set, cr0_clear, efer_clear, cr4_clear;
        u16 cs_set, cs_clear;
        const char *rule;
    } rows[] = {
        { 1ULL << 32, 0, 0, 0, 0, 0, "CR0 bits 63:32" },
        { VCPU_CR0_PG, VCPU_CR0_PE, 0, 0, 0, 0, "CR0.PG is set without CR0.PE" },
        { 0, VCPU_CR0_PG, 0, 0, 0, 0, "EFER.LMA is not" },
        { 0, 0, VCPU_EFER_LME, 0, 0, 0, "EFER.LMA is not" },
        { 0, 0, 0, VCPU_CR4_PAE, 0, 0, "without CR4.PAE" },
        { 0, 0, 0, 0, VCPU_SEG_DB, 0, "CS.L and CS.D" },
        { 0, 0, 0, 0, 0, VCPU_SEG_L, "CS.L clear" },
    };
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        vcpu_state_long64(&st, 0x1000, 0x2000);
        st.cr0 = (st.cr0 | rows[i].cr0_set) & ~rows[i].cr0_clear;
        st.efer &= ~rows[i].efer_clear;
        st.cr4 &= ~rows[i].cr4_clear;
        st.cs.attr = (u16)((st.cs.attr | rows[i].cs_set) & ~rows[i].cs_clear);
        ck_assert_msg(vcpu_state_mode(&st, why, sizeof(why)) == VCPU_MODE_INVALID, "row %u", i);
        ck_assert_msg(strstr(why, rows[i].rule), "row %u: %s", i, why);
    }
    vcpu_state_real_mode(&st, 0, 0x7C00);
    st.cs.attr |= VCPU_SEG_L;
    ck_assert_int_eq(vcpu_state_mode(&st, why, sizeof(why)), VCPU_MODE_INVALID);
    ck_assert_str_eq(why, "CS.L is set in real mode");
    vcpu_state_protected32(&st, 0x1000);
    st.rflags = 0;
    ck_assert_int_eq(vcpu_state_mode(&st, NULL, 0), VCPU_MODE_INVALID);
    ck_assert_str_eq(vcpu_mode_name(VCPU_MODE_LONG64), "long64");
    ck_assert_str_eq(vcpu_mode_name(VCPU_MODE_INVALID), "invalid");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vcpu_state");
    TCase *tc = tcase_create("modes");
    tcase_add_test(tc, real_mode_at_cs_ip);
    tcase_add_test(tc, protected32_is_the_multiboot_state);
    tcase_add_test(tc, long64_with_paging);
    tcase_add_test(tc, inconsistent_states_are_named);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
