/*
 * Unit tests for pci/pci_chipset.c: which host bridge has a guarded ECAM
 * register, and which accesses touch it.
 * unit-sources: pci/pci_chipset.c
 */
#include <check.h>
#include "pci/pci_chipset.h"
#include "tests/unit/unit_main.h"

START_TEST(q35_pciexbar_known_others_not)
{
    const struct pci_guarded_reg *g = pci_chipset_ecam_register(0x8086, 0x29C0);
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(g->offset, 0x60);
    ck_assert_uint_eq(g->len, 8);
    ck_assert_ptr_null(pci_chipset_ecam_register(0x8086, 0x1237)); /* i440fx: no ECAM */
    ck_assert_ptr_null(pci_chipset_ecam_register(0x1022, 0x29C0));
}
END_TEST

START_TEST(overlap_at_the_edges)
{
    const struct pci_guarded_reg *g = pci_chipset_ecam_register(0x8086, 0x29C0);
    ck_assert(pci_guard_overlaps(g, 0x60, 4));
    ck_assert(pci_guard_overlaps(g, 0x64, 4));
    ck_assert(pci_guard_overlaps(g, 0x67, 1));
    ck_assert(pci_guard_overlaps(g, 0x5C, 8)); /* an 8-byte ECAM access across it */
    ck_assert(pci_guard_overlaps(g, 0x5E, 4));
    ck_assert(!pci_guard_overlaps(g, 0x5C, 4));
    ck_assert(!pci_guard_overlaps(g, 0x68, 4));
    ck_assert(!pci_guard_overlaps(g, 0x3C, 1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pci_chipset");
    TCase *tc = tcase_create("guard");
    tcase_add_test(tc, q35_pciexbar_known_others_not);
    tcase_add_test(tc, overlap_at_the_edges);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
