/*
 * Unit tests for the `capability` selector key, lab 5's second part: the walk
 * that records a function's capability IDs (pci_read_capability_ids(), over a
 * list the device controls, so hostile lists must end) and the key's matching
 * through pci_selector_match_plain() and the driver grammar's value check.
 *
 * unit-sources: pci/pci_enum.c pci/pci_cfgspace.c pci/pci_match.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "pci/pci_enum.h"
#include "tests/unit/unit_main.h"

/* One fake function's configuration space; reads past it return zeros. */
static u8 cfg[256];
static u32 reads;

static u32 fake_read(void *ctx, const struct pci_cfgspace_addr *a, u8 size)
{
    u32 v = 0;

    (void)ctx;
    reads++;
    for (u32 i = 0; i < size && a->offset + i < sizeof(cfg); i++)
        v |= (u32)cfg[a->offset + i] << (8 * i);
    return v;
}

static void fake_write(void *ctx, const struct pci_cfgspace_addr *a, u8 size, u32 value)
{
    (void)ctx;
    (void)a;
    (void)size;
    (void)value;
    ck_abort_msg("reading the capability list must not write");
}

static const struct pci_cfgspace_ops ops = { fake_read, fake_write, NULL };
static const struct pci_cfgspace_addr here = { 0, 3, 0, 0 };

/* A type-0 function with the capability-list bit set and its first pointer. */
static void start(u8 header, u8 first)
{
    memset(cfg, 0, sizeof(cfg));
    cfg[0x0e] = header;
    cfg[0x06] = 0x10; /* Status: capabilities list */
    cfg[(header & 0x7f) == 2 ? 0x14 : 0x34] = first;
    reads = 0;
}

static void cap_at(u8 at, u8 id, u8 next)
{
    cfg[at] = id;
    cfg[at + 1] = next;
}

/* Walk, checking that the IDs are exactly `want` (n of them). */
static void expect_ids(const u8 *want, u32 n)
{
    struct pci_device_desc d;

    memset(&d, 0xA5, sizeof(d)); /* the walk must set ncaps itself */
    pci_read_capability_ids(&ops, &here, &d);
    ck_assert_uint_eq(d.ncaps, n);
    for (u32 i = 0; i < n; i++)
        ck_assert_msg(d.cap_ids[i] == want[i], "cap_ids[%u] is %02x, want %02x", i,
                      d.cap_ids[i], want[i]);
}

START_TEST(test_walk_in_list_order)
{
    static const u8 want[] = { 0x01, 0x05, 0x10 };

    start(0x00, 0x40);
    cap_at(0x40, 0x01, 0x60);
    cap_at(0x60, 0x05, 0x50); /* lists need not go upwards */
    cap_at(0x50, 0x10, 0x00);
    expect_ids(want, 3);
}
END_TEST

START_TEST(test_no_list_without_status_bit)
{
    start(0x00, 0x40);
    cap_at(0x40, 0x05, 0x00);
    cfg[0x06] = 0; /* a pointer register with junk, but no list */
    expect_ids(NULL, 0);
}
END_TEST

START_TEST(test_pointer_low_bits_ignored)
{
    static const u8 want[] = { 0x09, 0x11 };

    start(0x00, 0x43); /* bits 1:0 are reserved: 0x40 */
    cap_at(0x40, 0x09, 0x82);
    cap_at(0x80, 0x11, 0x00);
    expect_ids(want, 2);
}
END_TEST

START_TEST(test_pointer_into_header_ends)
{
    static const u8 want[] = { 0x05 };

    start(0x00, 0x48);
    cap_at(0x48, 0x05, 0x3c); /* into the header: the end, not an entry */
    cap_at(0x3c, 0x10, 0x00);
    expect_ids(want, 1);
    start(0x00, 0x20);
    cap_at(0x20, 0x05, 0x00);
    expect_ids(NULL, 0);
}
END_TEST

START_TEST(test_cardbus_pointer_register)
{
    static const u8 want[] = { 0x01 };

    start(0x82, 0x80); /* type 2 (multi-function bit set): the pointer is at 0x14 */
    cfg[0x34] = 0x40;
    cap_at(0x40, 0x05, 0x00);
    cap_at(0x80, 0x01, 0x00);
    expect_ids(want, 1);
    start(0x81, 0x40); /* a PCI-to-PCI bridge keeps it at 0x34 */
    cap_at(0x40, 0x0d, 0x00);
    static const u8 bridge[] = { 0x0d };
    expect_ids(bridge, 1);
}
END_TEST

START_TEST(test_loop_ends)
{
    static const u8 want[] = { 0x09, 0x05 };

    start(0x00, 0x40);
    cap_at(0x40, 0x09, 0x50);
    cap_at(0x50, 0x05, 0x40); /* back to the first: a loop */
    expect_ids(want, 2);
    ck_assert_uint_le(reads, 3 + 48); /* header reads, then at most 48 entries */
}
END_TEST

START_TEST(test_repeated_ids_once_and_limit)
{
    u8 want[PCI_DESC_MAX_CAPS];
    u8 at = 0x40;

    start(0x00, at);
    /* vendor-specific (09) twice, then 20 distinct IDs: 16 fit */
    cap_at(at, 0x09, (u8)(at + 4));
    at += 4;
    cap_at(at, 0x09, (u8)(at + 4));
    at += 4;
    want[0] = 0x09;
    for (u8 i = 0; i < 20; i++, at += 4) {
        cap_at(at, (u8)(0x20 + i), i == 19 ? 0 : (u8)(at + 4));
        if (i + 1 < PCI_DESC_MAX_CAPS)
            want[i + 1] = (u8)(0x20 + i);
    }
    expect_ids(want, PCI_DESC_MAX_CAPS);
}
END_TEST

/* ---- the key ---- */

static void item(struct pci_selector *sel, const char *name, const char *value)
{
    struct pci_sel_item *it = &sel->items[sel->count++];
    enum pci_sel_key key;

    ck_assert(pci_sel_key_lookup(name, strlen(name), &key));
    it->key = (u8)key;
    it->value = value;
    it->value_len = (u16)strlen(value);
    it->column = 1;
}

static bool matches(const struct pci_device_desc *d, const char *name, const char *value)
{
    struct pci_selector sel = { 0 };

    item(&sel, name, value);
    return pci_selector_match_plain(&sel, d, NULL);
}

START_TEST(test_key_matches_any_id)
{
    struct pci_device_desc d = { .vendor_id = 0x8086, .device_id = 0x10d3,
                                 .class_code = 0x020000, .ncaps = 4,
                                 .cap_ids = { 0x01, 0x05, 0x10, 0x11 } };

    ck_assert(matches(&d, "capability", "05"));
    ck_assert(matches(&d, "cap", "11")); /* the last one counts too */
    ck_assert(matches(&d, "capability", "01"));
    ck_assert(matches(&d, "cap", "1?"));
    ck_assert(matches(&d, "cap", "12|10"));
    ck_assert(!matches(&d, "cap", "09"));
    ck_assert(!matches(&d, "cap", "0"));   /* whole ID, not a prefix */
    ck_assert(!matches(&d, "cap", "105")); /* one ID, not the list as text */
    ck_assert(!matches(&d, "cap", "0105"));
    /* entries past ncaps are not the device's */
    d.ncaps = 2;
    ck_assert(!matches(&d, "cap", "10"));
    ck_assert(matches(&d, "cap", "05"));
}
END_TEST

START_TEST(test_key_without_capabilities)
{
    struct pci_device_desc d = { .vendor_id = 0x1234, .ncaps = 0, .cap_ids = { 0x05 } };

    ck_assert(!matches(&d, "capability", "*"));
    ck_assert(!matches(&d, "capability", "05"));
    ck_assert(!matches(&d, "capability", "00"));
}
END_TEST

START_TEST(test_key_with_other_items)
{
    struct pci_device_desc d = { .bus = 0, .device = 0x1f, .function = 2,
                                 .class_code = 0x010601, .ncaps = 2,
                                 .cap_ids = { 0x05, 0x12 } };
    struct pci_selector sel = { 0 };

    item(&sel, "class", "0106");
    item(&sel, "cap", "12");
    ck_assert(pci_selector_match_plain(&sel, &d, NULL));
    item(&sel, "cap", "10"); /* every item must match: this one does not */
    ck_assert(!pci_selector_match_plain(&sel, &d, NULL));
}
END_TEST

START_TEST(test_key_names_and_values)
{
    enum pci_sel_key a, b;
    size_t bad;

    ck_assert(pci_sel_key_lookup("capability", 10, &a));
    ck_assert(pci_sel_key_lookup("cap", 3, &b));
    ck_assert_int_eq(a, PCI_KEY_CAPABILITY);
    ck_assert_int_eq(b, PCI_KEY_CAPABILITY);
    ck_assert_str_eq(pci_sel_key_name(PCI_KEY_CAPABILITY), "capability");
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_CAPABILITY), 2);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_CAPABILITY, "05|1?", 5, &bad), PCI_VALUE_OK);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_CAPABILITY, "5", 1, &bad),
                     PCI_VALUE_WRONG_WIDTH);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_CAPABILITY, "1A", 2, &bad),
                     PCI_VALUE_UPPERCASE_HEX);
}
END_TEST

static Suite *pci_caps_suite(void)
{
    Suite *s = suite_create("pci_caps");
    TCase *walk = tcase_create("walk");
    TCase *key = tcase_create("key");

    tcase_add_test(walk, test_walk_in_list_order);
    tcase_add_test(walk, test_no_list_without_status_bit);
    tcase_add_test(walk, test_pointer_low_bits_ignored);
    tcase_add_test(walk, test_pointer_into_header_ends);
    tcase_add_test(walk, test_cardbus_pointer_register);
    tcase_add_test(walk, test_loop_ends);
    tcase_add_test(walk, test_repeated_ids_once_and_limit);
    suite_add_tcase(s, walk);
    tcase_add_test(key, test_key_matches_any_id);
    tcase_add_test(key, test_key_without_capabilities);
    tcase_add_test(key, test_key_with_other_items);
    tcase_add_test(key, test_key_names_and_values);
    suite_add_tcase(s, key);
    return s;
}

int main(void)
{
    return unit_run_suite(pci_caps_suite());
}
