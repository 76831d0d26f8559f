/*
 * Unit tests for pci/pci_msi.c: where the MSI capability's registers are
 * (32- or 64-bit address, with or without mask bits), the message for one
 * CPU on one vector, and the enable word.
 * unit-sources: pci/pci_msi.c
 */
#include <check.h>
#include "pci/pci_msi.h"
#include "tests/unit/unit_main.h"

START_TEST(layout_32bit_without_mask)
{
    struct pci_msi_layout l;
    pci_msi_layout_of(0x50, 0x0000, &l);
    ck_assert_uint_eq(l.control, 0x52);
    ck_assert_uint_eq(l.addr_lo, 0x54);
    ck_assert_uint_eq(l.addr_hi, 0);
    ck_assert_uint_eq(l.data, 0x58);
    ck_assert_uint_eq(l.mask, 0);
}
END_TEST

START_TEST(layout_64bit_and_masks)
{
    struct pci_msi_layout l;
    /* The 82574L's: 64-bit, no mask bits, at 0xD0 (QEMU's e1000e). */
    pci_msi_layout_of(0xD0, PCI_MSI_CONTROL_64BIT, &l);
    ck_assert_uint_eq(l.addr_lo, 0xD4);
    ck_assert_uint_eq(l.addr_hi, 0xD8);
    ck_assert_uint_eq(l.data, 0xDC);
    ck_assert_uint_eq(l.mask, 0);
    pci_msi_layout_of(0xD0, PCI_MSI_CONTROL_64BIT | PCI_MSI_CONTROL_MASKABLE, &l);
    ck_assert_uint_eq(l.data, 0xDC);
    ck_assert_uint_eq(l.mask, 0xE0);
    pci_msi_layout_of(0x40, PCI_MSI_CONTROL_MASKABLE, &l);
    ck_assert_uint_eq(l.addr_hi, 0);
    ck_assert_uint_eq(l.data, 0x48);
    ck_assert_uint_eq(l.mask, 0x4C);
}
END_TEST

START_TEST(message_fixed_edge_physical)
{
    struct pci_msi_message m;
    ck_assert(pci_msi_compose(0, 0x10, &m));
    ck_assert_uint_eq(m.address_lo, 0xFEE00000u);
    ck_assert_uint_eq(m.address_hi, 0);
    ck_assert_uint_eq(m.data, 0x0010); /* fixed, edge: only the vector */
    ck_assert(pci_msi_compose(3, 0x1F, &m));
    ck_assert_uint_eq(m.address_lo, 0xFEE03000u);
    ck_assert_uint_eq(m.data, 0x001F);
    ck_assert(pci_msi_compose(0xFF, 0x11, &m));
    ck_assert_uint_eq(m.address_lo, 0xFEEFF000u); /* RH and DM (bits 3, 2) stay 0 */
}
END_TEST

START_TEST(message_refused_beyond_8_bit_ids_and_low_vectors)
{
    struct pci_msi_message m = { 1, 2, 3 };
    ck_assert(!pci_msi_compose(0x100, 0x10, &m)); /* an x2APIC ID no MSI address can hold */
    ck_assert(!pci_msi_compose(0xFFFFFFFFu, 0x10, &m));
    ck_assert(!pci_msi_compose(0, 0x0F, &m));
    ck_assert_uint_eq(m.address_lo, 1); /* untouched */
    ck_assert_uint_eq(m.address_hi, 2);
    ck_assert_uint_eq(m.data, 3);
}
END_TEST

START_TEST(enable_word_one_vector)
{
    /* Asks for 4 vectors (MMC 2), 64-bit: one granted, enabled, read-only bits kept. */
    u16 c = (u16)(2u << 1 | PCI_MSI_CONTROL_64BIT);
    ck_assert_uint_eq(pci_msi_control_enabled(c), c | PCI_MSI_CONTROL_ENABLE);
    ck_assert_uint_eq(pci_msi_control_enabled((u16)(c | 3u << 4)), c | PCI_MSI_CONTROL_ENABLE);
    ck_assert_uint_eq(pci_msi_control_enabled(0x0181), 0x0181);
}
END_TEST

START_TEST(a_guest_message_only_into_the_apic_window)
{
    ck_assert(pci_msi_address_safe(0xFEE00000u, 0));
    ck_assert(pci_msi_address_safe(0xFEEFF00Cu, 0));
    ck_assert(!pci_msi_address_safe(0xFEF00000u, 0));
    ck_assert(!pci_msi_address_safe(0xFED00000u, 0));
    ck_assert(!pci_msi_address_safe(0x01000000u, 0)); /* RAM: bookvisor's, say */
    ck_assert(!pci_msi_address_safe(0xFEE00000u, 1)); /* above 4 GiB */
    /* MSI: the enable cleared while the address is not safe, nothing else */
    ck_assert_uint_eq(pci_msi_control_for_device(0x0081, 0xFEE01000u, 0), 0x0081);
    ck_assert_uint_eq(pci_msi_control_for_device(0x0081, 0x00100000u, 0), 0x0080);
    ck_assert_uint_eq(pci_msi_control_for_device(0x0080, 0xFEE00000u, 7), 0x0080);
    /* MSI-X: the entry masked while its address is not safe */
    u32 good[4] = { 0xFEE00000u, 0, 0x4041, 0 }, bad[4] = { 0x3EE00000u, 0, 0x4041, 0 };
    ck_assert_uint_eq(pci_msix_control_for_device(good), 0);
    ck_assert_uint_eq(pci_msix_control_for_device(bad), PCI_MSIX_ENTRY_MASKED);
    good[3] = PCI_MSIX_ENTRY_MASKED;
    ck_assert_uint_eq(pci_msix_control_for_device(good), PCI_MSIX_ENTRY_MASKED);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pci_msi");
    TCase *t = tcase_create("msi");
    tcase_add_test(t, layout_32bit_without_mask);
    tcase_add_test(t, layout_64bit_and_masks);
    tcase_add_test(t, message_fixed_edge_physical);
    tcase_add_test(t, message_refused_beyond_8_bit_ids_and_low_vectors);
    tcase_add_test(t, enable_word_one_vector);
    tcase_add_test(t, a_guest_message_only_into_the_apic_window);
    suite_add_tcase(s, t);
    return unit_run_suite(s);
}
