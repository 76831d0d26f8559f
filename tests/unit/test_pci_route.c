/*
 * Unit tests for pci/pci_route.c: which guest configuration accesses go to
 * the hardware, to a driver, or are concealed.
 *
 * unit-sources: pci/pci_route.c pci/pci_cfgspace.c
 */
#include <check.h>

#include "pci/pci_route.h"
#include "tests/unit/unit_main.h"

START_TEST(test_route_for_binding)
{
    ck_assert_int_eq(pci_route_for_binding(PCI_BIND_UNBOUND), PCI_ROUTE_PASS);
    ck_assert_int_eq(pci_route_for_binding(PCI_BIND_NONE), PCI_ROUTE_PASS);
    ck_assert_int_eq(pci_route_for_binding(PCI_BIND_DRIVER), PCI_ROUTE_DRIVER);
    ck_assert_int_eq(pci_route_for_binding(PCI_BIND_CONCEAL), PCI_ROUTE_CONCEAL);
}
END_TEST

START_TEST(test_table)
{
    struct pci_route_table t = { 0 };
    struct pci_cfgspace_addr a = { 0, 2, 0, 0 };
    u32 index = 99;

    ck_assert(pci_route_add(&t, 0, 2, 0, PCI_ROUTE_CONCEAL, 4));
    ck_assert(pci_route_add(&t, 0, 0, 0, PCI_ROUTE_DRIVER, 0));
    /* PASS adds nothing; a function cannot be added twice */
    ck_assert(pci_route_add(&t, 0, 5, 0, PCI_ROUTE_PASS, 7));
    ck_assert_uint_eq(t.count, 2);
    ck_assert(!pci_route_add(&t, 0, 2, 0, PCI_ROUTE_DRIVER, 1));
    ck_assert_int_eq(pci_route_lookup(&t, &a, &index), PCI_ROUTE_CONCEAL);
    ck_assert_uint_eq(index, 4);
    a.device = 0;
    ck_assert_int_eq(pci_route_lookup(&t, &a, &index), PCI_ROUTE_DRIVER);
    ck_assert_uint_eq(index, 0);
    /* another function of the same device, and another bus: hardware */
    a.function = 1;
    ck_assert_int_eq(pci_route_lookup(&t, &a, &index), PCI_ROUTE_PASS);
    a.function = 0;
    a.bus = 1;
    ck_assert_int_eq(pci_route_lookup(&t, &a, &index), PCI_ROUTE_PASS);
}
END_TEST

START_TEST(test_table_full)
{
    struct pci_route_table t = { 0 };

    for (u32 i = 0; i < PCI_ROUTE_MAX; i++)
        ck_assert(pci_route_add(&t, 1, (u8)(i % 32), (u8)(i / 32), PCI_ROUTE_CONCEAL, i));
    ck_assert(!pci_route_add(&t, 2, 0, 0, PCI_ROUTE_CONCEAL, 0));
    ck_assert_uint_eq(t.count, PCI_ROUTE_MAX);
}
END_TEST

START_TEST(test_cf8_routing)
{
    struct pci_route_table t = { 0 };
    struct pci_cfgspace_addr a;
    u32 index = 0;

    ck_assert(pci_route_add(&t, 0, 0x1f, 3, PCI_ROUTE_CONCEAL, 6));
    /* 00:1f.3 register 0x40, lane 1 */
    ck_assert_int_eq(pci_route_cf8(&t, 0x8000fb40u, 0xCFD, &a, &index), PCI_ROUTE_CONCEAL);
    ck_assert_uint_eq(index, 6);
    ck_assert_uint_eq(a.offset, 0x41);
    /* 00:1f.2: hardware */
    ck_assert_int_eq(pci_route_cf8(&t, 0x8000fa00u, 0xCFC, &a, &index), PCI_ROUTE_PASS);
    /* enable bit clear: not configuration space at all, hardware */
    ck_assert_int_eq(pci_route_cf8(&t, 0x0000fb40u, 0xCFC, &a, &index), PCI_ROUTE_PASS);
}
END_TEST

START_TEST(test_conceal_access)
{
    u32 v = 0x12345678;

    pci_route_conceal_access(1, false, &v);
    ck_assert_uint_eq(v, 0xff);
    pci_route_conceal_access(2, false, &v);
    ck_assert_uint_eq(v, 0xffff);
    pci_route_conceal_access(4, false, &v);
    ck_assert_uint_eq(v, 0xffffffffu);
    /* a write is dropped: nothing changes, and the vendor ID reads 0xFFFF */
    v = 0xabcd;
    pci_route_conceal_access(2, true, &v);
    ck_assert_uint_eq(v, 0xabcd);
}
END_TEST

static Suite *pci_route_suite(void)
{
    Suite *s = suite_create("pci_route");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_route_for_binding);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_table_full);
    tcase_add_test(tc, test_cf8_routing);
    tcase_add_test(tc, test_conceal_access);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(pci_route_suite());
}
