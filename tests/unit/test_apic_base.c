/*
 * Unit tests for common/exits/apic_base.c: which moves of the local APIC are refused.
 * unit-sources: common/exits/apic_base.c
 */
#include <check.h>
#include "common/exits/apic_base.h"
#include "tests/unit/unit_main.h"

START_TEST(address_from_the_msr)
{
    ck_assert_uint_eq(apic_base_address(0xFEE00900ULL, 36), 0xFEE00000ULL); /* BSP | EN */
    ck_assert_uint_eq(apic_base_address(0xFEE00D00ULL, 36), 0xFEE00000ULL); /* + EXTD */
    /* bits at and above MAXPHYADDR are not part of the address */
    ck_assert_uint_eq(apic_base_address(0x1000FEE00900ULL, 40), 0xFEE00000ULL);
    ck_assert_uint_eq(apic_base_address(0x1000FEE00900ULL, 48), 0x1000FEE00000ULL);
}
END_TEST

START_TEST(only_pages_the_guest_may_map)
{
    const u64 on = APIC_BASE_EN | 0x7F00000ULL;
    ck_assert_ptr_null(apic_base_write_fault(on, NPT_KIND_MMIO)); /* the default place */
    ck_assert_ptr_null(apic_base_write_fault(on, NPT_KIND_RAM));  /* over its own RAM: its business */
    ck_assert_ptr_nonnull(apic_base_write_fault(on, NPT_KIND_VMM_PRIVATE));
    ck_assert_ptr_nonnull(apic_base_write_fault(on, NPT_KIND_HOOKED));
    ck_assert_ptr_nonnull(apic_base_write_fault(on, NPT_KIND_NOT_BACKED));
    /* a disabled APIC decodes no page: nothing to refuse (EN is checked when set again) */
    ck_assert_ptr_null(apic_base_write_fault(0x7F00000ULL, NPT_KIND_VMM_PRIVATE));
    /* nor does one in x2APIC mode: its registers are MSRs */
    ck_assert_ptr_null(apic_base_write_fault(on | APIC_BASE_EXTD, NPT_KIND_VMM_PRIVATE));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("apic_base");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, address_from_the_msr);
    tcase_add_test(tc, only_pages_the_guest_may_map);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
