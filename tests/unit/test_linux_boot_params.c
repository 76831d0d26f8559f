/*
 * Unit tests for common/loader/linux_boot_params.c: the E820 table from a
 * memory map (merged, empty entries left out, at most 128), the zero page's
 * fields, the boot GDT and the identity page tables.
 *
 * unit-sources: common/loader/linux_boot_params.c common/loader/linux_probe.c common/lib/kstring.c
 */
#include <check.h>

#include "tests/unit/linux_images.h"
#include "tests/unit/unit_main.h"

static u8 table[LINUX_E820_MAX * LINUX_E820_ENTRY_SIZE];

static void assert_entry(u32 i, u64 base, u64 len, u32 type)
{
    const u8 *e = table + i * LINUX_E820_ENTRY_SIZE;
    ck_assert_uint_eq(linux_rd64(e), base);
    ck_assert_uint_eq(linux_rd64(e + 8), len);
    ck_assert_uint_eq(linux_rd32(e + 16), type);
}

START_TEST(e820_from_the_map_merged)
{
    /* RAM split at 16 MiB (adjacent, same type: one entry), bookvisor's
     * range reserved next to a firmware reservation (merged too), ACPI. */
    static const struct phys_range map[] = {
        { 0, 0x9FC00, 1 }, { 0x9FC00, 0x400, 2 }, { 0xF0000, 0x10000, 2 },
        { MIB, 15 * MIB, 1 }, { 16 * MIB, 100 * MIB, 1 }, { 116 * MIB, 0, 1 },
        { 116 * MIB, 8 * MIB, 2 }, { 124 * MIB, 3 * MIB, 2 }, { 127 * MIB, MIB, 3 },
    };
    u32 n = 0;
    ck_assert_int_eq(linux_build_e820(map, ARRAY_SIZE(map), table, &n), LINUX_OK);
    ck_assert_uint_eq(n, 6);
    assert_entry(0, 0, 0x9FC00, 1);
    assert_entry(1, 0x9FC00, 0x400, 2);
    assert_entry(2, 0xF0000, 0x10000, 2);
    assert_entry(3, MIB, 115 * MIB, 1);
    assert_entry(4, 116 * MIB, 11 * MIB, 2);
    assert_entry(5, 127 * MIB, MIB, 3);
}
END_TEST

START_TEST(e820_at_most_128)
{
    static struct phys_range map[129];
    for (unsigned i = 0; i < 129; i++)
        map[i] = (struct phys_range){ i * 2 * MIB, MIB, 1 + (i & 1) };
    u32 n = 0;
    ck_assert_int_eq(linux_build_e820(map, 128, table, &n), LINUX_OK);
    ck_assert_uint_eq(n, 128);
    n = 0;
    ck_assert_int_eq(linux_build_e820(map, 129, table, &n), LINUX_ERR_E820_TOO_LONG);
    ck_assert_uint_eq(n, 128);
}
END_TEST

START_TEST(e820_empty_entries_change_nothing)
{
    /* An empty entry first, and one of another type between two adjacent
     * RAM entries: both are left out, and the RAM still merges. */
    static const struct phys_range map[] = {
        { 0, 0, 2 }, { 0, 0x9FC00, 1 }, { MIB, 3 * MIB, 1 }, { 4 * MIB, 0, 2 },
        { 4 * MIB, 4 * MIB, 1 }, { 8 * MIB, 0, 3 },
    };
    u32 n = 0;
    ck_assert_int_eq(linux_build_e820(map, ARRAY_SIZE(map), table, &n), LINUX_OK);
    ck_assert_uint_eq(n, 2);
    assert_entry(0, 0, 0x9FC00, 1);
    assert_entry(1, MIB, 7 * MIB, 1);
}
END_TEST

START_TEST(e820_entry_layout_64bit)
{
    /* 20 packed little-endian bytes: base, length (both 64-bit), type. */
    static const struct phys_range map[] = {
        { 0x9FC00, 0x400, 2 }, { 0x123456789000ull, 0x234567000ull, 1 },
    };
    memset(table, 0xAA, sizeof(table));
    u32 n = 0;
    ck_assert_int_eq(linux_build_e820(map, ARRAY_SIZE(map), table, &n), LINUX_OK);
    ck_assert_uint_eq(n, 2);
    static const u8 want[2 * LINUX_E820_ENTRY_SIZE] = {
        0x00, 0xFC, 0x09, 0, 0, 0, 0, 0, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
        0x00, 0x90, 0x78, 0x56, 0x34, 0x12, 0, 0, 0x00, 0x70, 0x56, 0x34, 0x02, 0, 0, 0,
        1, 0, 0, 0,
    };
    ck_assert_mem_eq(table, want, sizeof(want));
    /* Nothing is written past the last entry. */
    ck_assert_uint_eq(table[sizeof(want)], 0xAA);
}
END_TEST

START_TEST(e820_limit_counts_merged_entries)
{
    /* 300 adjacent RAM entries are one E820 entry: far below the limit. */
    static struct phys_range map[300];
    for (unsigned i = 0; i < 300; i++)
        map[i] = (struct phys_range){ i * MIB, MIB, 1 };
    u32 n = 0;
    ck_assert_int_eq(linux_build_e820(map, 300, table, &n), LINUX_OK);
    ck_assert_uint_eq(n, 1);
    assert_entry(0, 0, 300 * MIB, 1);
    /* 127 separate entries and then 100 that merge into one: 128, fine. */
    for (unsigned i = 0; i < 300; i++)
        map[i] = (struct phys_range){ i * 2 * MIB, MIB, 1 };
    for (unsigned i = 127; i < 227; i++)
        map[i] = (struct phys_range){ 254 * MIB + (i - 127) * MIB, MIB, 2 };
    ck_assert_int_eq(linux_build_e820(map, 227, table, &n), LINUX_OK);
    ck_assert_uint_eq(n, 128);
    assert_entry(127, 254 * MIB, 100 * MIB, 2);
}
END_TEST

START_TEST(zero_page_fields)
{
    static u8 img[0x8000], bp[LINUX_BP_SIZE];
    struct test_bzimage t = test_bzimage_default();
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    img[LINUX_HDR_LOADFLAGS] |= LINUX_LOADFLAG_CAN_USE_HEAP;
    struct linux_image li;
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    const struct linux_boot_facts f = { 16 * MIB, 0x12000, 0x1234567000ull, 0x100000123ull, 0xE0040 };
    memset(bp, 0, sizeof(bp));
    linux_fill_boot_params(bp, img, &li, &f);
    /* The header is copied: the magic and the version at their places. */
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_MAGIC), LINUX_HDRS_MAGIC);
    ck_assert_uint_eq(linux_rd16(bp + LINUX_HDR_VERSION), 0x020F);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_CMDLINE_SIZE), 2047);
    ck_assert_uint_eq(bp[LINUX_BP_SENTINEL], 0);
    ck_assert_uint_eq(bp[LINUX_HDR_TYPE_OF_LOADER], 0xFF);
    ck_assert_uint_eq(bp[LINUX_HDR_LOADFLAGS], LINUX_LOADFLAG_LOADED_HIGH);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_CODE32_START), 16 * MIB);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_CMD_LINE_PTR), 0x12000);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_BP_EXT_CMD_LINE_PTR), 0);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_RAMDISK_IMAGE), 0x34567000);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_BP_EXT_RAMDISK_IMAGE), 0x12);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_RAMDISK_SIZE), 0x123);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_BP_EXT_RAMDISK_SIZE), 1);
    ck_assert_uint_eq(linux_rd64(bp + LINUX_BP_ACPI_RSDP_ADDR), 0xE0040);
    /* Before 2.14 acpi_rsdp_addr is not read, so not written; nothing past the header either. */
    t.version = 0x020D;
    len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    memset(bp, 0, sizeof(bp));
    linux_fill_boot_params(bp, img, &li, &f);
    ck_assert_uint_eq(linux_rd64(bp + LINUX_BP_ACPI_RSDP_ADDR), 0);
    for (unsigned i = 0x26C; i < LINUX_BP_SIZE; i++)
        ck_assert_uint_eq(bp[i], 0);
}
END_TEST

START_TEST(gdt_for_both_entries)
{
    u8 gdt[LINUX_GDT_SIZE];
    linux_build_gdt(gdt, true);
    ck_assert_uint_eq(linux_rd64(gdt), 0);
    ck_assert_uint_eq(linux_rd64(gdt + 8), 0);
    ck_assert_uint_eq(linux_rd64(gdt + LINUX_BOOT_CS), 0x00AF9B000000FFFFull);
    ck_assert_uint_eq(linux_rd64(gdt + LINUX_BOOT_DS), 0x00CF93000000FFFFull);
    linux_build_gdt(gdt, false);
    ck_assert_uint_eq(linux_rd64(gdt + LINUX_BOOT_CS), 0x00CF9B000000FFFFull);
}
END_TEST

/* Walk the tables for va as the CPU would (4-level, 2 MiB leaves). */
static u64 walk(const u8 *tables, u64 gpa, u64 va)
{
    u64 e = linux_rd64(tables + ((va >> 39) & 511) * 8);
    if (!(e & 1))
        return ~0ull;
    e = linux_rd64(tables + ((e & ~0xFFFull) - gpa) + ((va >> 30) & 511) * 8);
    if (!(e & 1))
        return ~0ull;
    e = linux_rd64(tables + ((e & ~0xFFFull) - gpa) + ((va >> 21) & 511) * 8);
    if (!(e & 1) || !(e & 0x80))
        return ~0ull;
    return (e & ~0x1FFFFFull & 0x000FFFFFFFFFF000ull) + (va & 0x1FFFFF);
}

START_TEST(identity_tables_cover_4g)
{
    static u8 tables[LINUX_PT_PAGES * 4096];
    const u64 gpa = 0x10000;
    memset(tables, 0xEE, sizeof(tables));
    linux_build_identity_tables(tables, gpa);
    const u64 probes[] = { 0, 0x1000200, 0x40000000, 0xC0001234, 0xFFFFFFFF };
    for (unsigned i = 0; i < ARRAY_SIZE(probes); i++)
        ck_assert_uint_eq(walk(tables, gpa, probes[i]), probes[i]);
    ck_assert_uint_eq(walk(tables, gpa, 4 * GIB), ~0ull);
    ck_assert_uint_eq(linux_rd64(tables + 8), 0); /* only one PML4 entry */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linux_boot_params");
    TCase *tc = tcase_create("boot_params");
    tcase_add_test(tc, e820_from_the_map_merged);
    tcase_add_test(tc, e820_at_most_128);
    tcase_add_test(tc, e820_empty_entries_change_nothing);
    tcase_add_test(tc, e820_entry_layout_64bit);
    tcase_add_test(tc, e820_limit_counts_merged_entries);
    tcase_add_test(tc, zero_page_fields);
    tcase_add_test(tc, gdt_for_both_entries);
    tcase_add_test(tc, identity_tables_cover_4g);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
