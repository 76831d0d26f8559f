/*
 * Unit tests for common/base/acpi_madt.c: the processors of hand-made MADTs,
 * and the page chosen for the processors' start-up code.
 * unit-sources: common/base/acpi_madt.c common/base/vmm_layout.c
 */
#include <check.h>
#include <string.h>
#include "common/base/acpi_madt.h"
#include "tests/unit/unit_main.h"

static u8 t[2048];
static size_t tlen;

static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }

/* A MADT header with no entries yet; entries are appended, the length follows. */
static void madt_begin(void)
{
    memset(t, 0, sizeof(t));
    memcpy(t, "APIC", 4);
    put32(t + 36, 0xFEE00000);
    tlen = 44;
    put32(t + 4, (u32)tlen);
}

static void add_lapic(u8 apic_id, u32 flags)
{
    u8 *e = t + tlen;
    e[0] = 0;
    e[1] = 8;
    e[2] = apic_id; /* the ACPI processor ID: any */
    e[3] = apic_id;
    put32(e + 4, flags);
    tlen += 8;
    put32(t + 4, (u32)tlen);
}

static void add_x2apic(u32 apic_id, u32 flags)
{
    u8 *e = t + tlen;
    e[0] = 9;
    e[1] = 16;
    put32(e + 4, apic_id);
    put32(e + 8, flags);
    tlen += 16;
    put32(t + 4, (u32)tlen);
}

/* An I/O APIC entry: not a processor, skipped. */
static void add_ioapic(void)
{
    u8 *e = t + tlen;
    e[0] = 1;
    e[1] = 12;
    tlen += 12;
    put32(t + 4, (u32)tlen);
}

START_TEST(enabled_processors_in_order)
{
    struct madt_cpus c;
    madt_begin();
    add_lapic(0, 1);
    add_ioapic();
    add_lapic(1, 1);
    add_lapic(2, 0);      /* disabled: not started */
    add_lapic(3, 2);      /* online-capable only (hot-plug): not started */
    add_x2apic(0x100, 1); /* an ID an xAPIC cannot name */
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_OK);
    ck_assert_uint_eq(c.count, 3);
    ck_assert_uint_eq(c.apic_id[0], 0);
    ck_assert_uint_eq(c.apic_id[1], 1);
    ck_assert_uint_eq(c.apic_id[2], 0x100);
    ck_assert_uint_eq(c.disabled, 2);
    ck_assert_uint_eq(c.dropped, 0);
    ck_assert_uint_eq(c.lapic_base, 0xFEE00000);
}
END_TEST

START_TEST(an_id_listed_twice_counts_once)
{
    struct madt_cpus c;
    madt_begin();
    add_lapic(0, 1);
    add_lapic(1, 1);
    add_x2apic(1, 1);
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_OK);
    ck_assert_uint_eq(c.count, 2);
}
END_TEST

START_TEST(more_than_the_maximum_are_counted)
{
    struct madt_cpus c;
    madt_begin();
    for (u32 i = 0; i < MADT_MAX_CPUS + 3; i++)
        add_x2apic(i, 1);
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_OK);
    ck_assert_uint_eq(c.count, MADT_MAX_CPUS);
    ck_assert_uint_eq(c.dropped, 3);
    ck_assert_uint_eq(c.apic_id[MADT_MAX_CPUS - 1], MADT_MAX_CPUS - 1);
}
END_TEST

START_TEST(bad_tables_are_refused)
{
    struct madt_cpus c;
    madt_begin();
    add_lapic(0, 1);
    ck_assert_int_eq(madt_read_cpus(t, 3, &c), MADT_NOT_MADT);
    memcpy(t, "FACP", 4);
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_NOT_MADT);
    memcpy(t, "APIC", 4);
    ck_assert_int_eq(madt_read_cpus(t, 40, &c), MADT_TOO_SHORT);
    /* The length field says more than the bytes given. */
    ck_assert_int_eq(madt_read_cpus(t, tlen - 1, &c), MADT_TOO_SHORT);
    /* An entry of length 0 would loop forever; one running past the end reads too far. */
    t[45] = 0;
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_BAD_ENTRY);
    t[45] = 9;
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_BAD_ENTRY);
    /* A lone byte after the last entry. */
    madt_begin();
    add_lapic(0, 1);
    tlen += 1;
    put32(t + 4, (u32)tlen);
    ck_assert_int_eq(madt_read_cpus(t, tlen, &c), MADT_BAD_ENTRY);
}
END_TEST

START_TEST(startup_page_is_the_highest_free_below_640k)
{
    /* QEMU's map: RAM to 0x9FC00 (the EBDA above), then from 1 MiB. */
    const struct phys_range qemu[] = {
        { 0x0, 0x9FC00, 1 }, { 0x9FC00, 0x400, 2 }, { 0xF0000, 0x10000, 2 }, { 0x100000, 0x7EE0000, 1 },
    };
    u64 page = 0;
    ck_assert(madt_startup_page(qemu, 4, &page));
    ck_assert_uint_eq(page, 0x9E000);
    /* Only page 0 and RAM above 1 MiB: no page a start-up IPI can name. */
    const struct phys_range none[] = { { 0x0, 0x1000, 1 }, { 0x100000, 0x100000, 1 } };
    ck_assert(!madt_startup_page(none, 2, &page));
    /* A hole: the page below it. */
    const struct phys_range holed[] = { { 0x0, 0x8000, 1 }, { 0x8000, 0x98000, 2 } };
    ck_assert(madt_startup_page(holed, 2, &page));
    ck_assert_uint_eq(page, 0x7000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("acpi_madt");
    TCase *tc = tcase_create("madt");
    tcase_add_test(tc, enabled_processors_in_order);
    tcase_add_test(tc, an_id_listed_twice_counts_once);
    tcase_add_test(tc, more_than_the_maximum_are_counted);
    tcase_add_test(tc, bad_tables_are_refused);
    tcase_add_test(tc, startup_page_is_the_highest_free_below_640k);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
