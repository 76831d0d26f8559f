/*
 * Unit tests for common/base/bios_memmap.c: the BIOS memory-size answers
 * bookvisor gives from the guest's map.
 * unit-sources: common/base/bios_memmap.c common/base/vmm_layout.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "common/base/bios_memmap.h"
#include "tests/unit/unit_main.h"

/* A 512 MiB QEMU machine as GRUB saw it. */
static const struct phys_range firmware[] = {
    { 0x0, 0x9FC00, 1 },
    { 0x9FC00, 0x400, 2 },
    { 0xF0000, 0x10000, 2 },
    { 0x100000, 0x1FEE0000 - 0x100000, 1 },
    { 0x1FEE0000, 0x120000, 2 },
    { 0xFFFC0000, 0x40000, 2 },
};

#define VMM_BASE 0x1DE00000ULL
#define VMM_SIZE 0x2000000ULL

/* The guest's map: bookvisor's range and the stub's KiB cut out. */
static size_t guest_map(struct phys_range *out, size_t max)
{
    const struct phys_range holes[] = { { VMM_BASE, VMM_SIZE, 2 }, { 0x9F800, 0x400, 2 } };
    return vmm_layout_cut_holes(firmware, ARRAY_SIZE(firmware), holes, 2, out, max);
}

START_TEST(e820_walks_every_entry_and_ends_with_zero)
{
    struct phys_range map[16];
    size_t n = guest_map(map, 16);
    u32 ebx = 0, calls = 0;
    bool vmm_reserved = false;
    do {
        struct bios_e820_entry e;
        u32 next = 0xDEAD;
        ck_assert(bios_e820_entry(map, n, ebx, &e, &next));
        ck_assert_uint_eq(next, calls + 1 < n ? calls + 1 : 0);
        ck_assert_uint_eq(e.base, map[calls].base);
        ck_assert_uint_eq(e.length, map[calls].length);
        ck_assert_uint_eq(e.type, map[calls].type);
        ck_assert_uint_eq(e.attrs, 1);
        /* No RAM entry overlaps bookvisor. */
        if (e.type == 1)
            ck_assert(e.base + e.length <= VMM_BASE || e.base >= VMM_BASE + VMM_SIZE);
        if (e.base <= VMM_BASE && e.base + e.length >= VMM_BASE + VMM_SIZE && e.type == 2)
            vmm_reserved = true;
        calls++;
        ebx = next;
    } while (ebx != 0 && calls < 32);
    ck_assert_uint_eq(calls, n);
    ck_assert(vmm_reserved);
}
END_TEST

START_TEST(e820_refuses_an_index_past_the_end_and_skips_empty_entries)
{
    const struct phys_range map[] = { { 0, 0x1000, 1 }, { 0x1000, 0, 1 }, { 0x2000, 0x1000, 2 } };
    struct bios_e820_entry e;
    u32 next;
    ck_assert(bios_e820_entry(map, 3, 1, &e, &next));
    ck_assert_uint_eq(e.base, 0x2000);
    ck_assert_uint_eq(next, 0);
    ck_assert(!bios_e820_entry(map, 3, 2, &e, &next));
    ck_assert(!bios_e820_entry(map, 0, 0, &e, &next));
    ck_assert_uint_eq(sizeof(struct bios_e820_entry), BIOS_E820_ENTRY_SIZE_EXT);
}
END_TEST

/* Walks the map with EBX as a guest would; returns the number of calls. */
static u32 e820_walk(const struct phys_range *map, size_t n, struct bios_e820_entry *got, u32 max)
{
    u32 ebx = 0, calls = 0;
    do {
        u32 next = 0xDEAD;
        ck_assert_msg(bios_e820_entry(map, n, ebx, &got[calls], &next),
                      "E820 call with EBX=%u refused", ebx);
        ck_assert_msg(next == 0 || next == ebx + 1, "after EBX=%u the next EBX is %u", ebx, next);
        calls++;
        ebx = next;
    } while (ebx != 0 && calls < max);
    ck_assert_msg(ebx == 0, "the walk did not end within %u calls", max);
    return calls;
}

START_TEST(e820_keeps_neighbours_apart_and_in_order)
{
    /* Adjacent RAM of one type stays two entries (the guest's boot map has two),
     * and the map's order is kept even where it is not sorted. */
    const struct phys_range map[] = { { 0x0, 0x1000, 1 }, { 0x1000, 0x1000, 1 },
                                      { 0x5000, 0x1000, 2 }, { 0x2000, 0x3000, 1 },
                                      { 0x6000, 0x1000, 2 } };
    struct bios_e820_entry got[8];
    ck_assert_uint_eq(e820_walk(map, 5, got, 8), 5);
    for (u32 i = 0; i < 5; i++) {
        ck_assert_uint_eq(got[i].base, map[i].base);
        ck_assert_uint_eq(got[i].length, map[i].length);
        ck_assert_uint_eq(got[i].type, map[i].type);
        ck_assert_uint_eq(got[i].attrs, 1);
    }
}
END_TEST

START_TEST(e820_continuation_counts_entries_with_a_length)
{
    /* Empty ranges first, in the middle and last: EBX numbers only the others,
     * and the last of those already answers EBX = 0. */
    const struct phys_range map[] = { { 0x0, 0, 1 }, { 0x0, 0x9F000, 1 }, { 0x9F000, 0, 2 },
                                      { 0x9F000, 0, 2 }, { 0x9F000, 0x1000, 2 },
                                      { 0x100000, 0x700000, 1 }, { 0x800000, 0, 1 } };
    struct bios_e820_entry e;
    u32 next = 0xDEAD;
    ck_assert(bios_e820_entry(map, 7, 0, &e, &next));
    ck_assert_uint_eq(e.base, 0x0);
    ck_assert_uint_eq(e.length, 0x9F000);
    ck_assert_uint_eq(next, 1);
    next = 0xDEAD;
    ck_assert(bios_e820_entry(map, 7, 1, &e, &next));
    ck_assert_uint_eq(e.base, 0x9F000);
    ck_assert_uint_eq(e.length, 0x1000);
    ck_assert_uint_eq(e.type, 2);
    ck_assert_uint_eq(next, 2);
    next = 0xDEAD;
    ck_assert(bios_e820_entry(map, 7, 2, &e, &next));
    ck_assert_uint_eq(e.base, 0x100000);
    ck_assert_uint_eq(e.length, 0x700000);
    ck_assert_uint_eq(e.type, 1);
    ck_assert_uint_eq(e.attrs, 1);
    ck_assert_uint_eq(next, 0);
    ck_assert(!bios_e820_entry(map, 7, 3, &e, &next));
    ck_assert(!bios_e820_entry(map, 7, 7, &e, &next));
    ck_assert(!bios_e820_entry(map, 7, 0xFFFFFFFFu, &e, &next));
    struct bios_e820_entry got[8];
    ck_assert_uint_eq(e820_walk(map, 7, got, 8), 3);
}
END_TEST

START_TEST(e820_entry_above_4g_keeps_all_its_bits)
{
    /* The exact bytes the guest receives: base, length, type, attributes. */
    const struct phys_range map[] = { { 0x0, 0x9FC00, 1 }, { 0x123400000ULL, 0x180000000ULL, 1 } };
    struct bios_e820_entry e;
    u32 next = 0xDEAD;
    ck_assert(bios_e820_entry(map, 2, 1, &e, &next));
    ck_assert_uint_eq(next, 0);
    u8 bytes[BIOS_E820_ENTRY_SIZE_EXT];
    memcpy(bytes, &e, sizeof(bytes));
    const u8 want[BIOS_E820_ENTRY_SIZE_EXT] = { 0x00, 0x00, 0x40, 0x23, 0x01, 0, 0, 0,
                                                0x00, 0x00, 0x00, 0x80, 0x01, 0, 0, 0,
                                                1, 0, 0, 0, 1, 0, 0, 0 };
    ck_assert_mem_eq(bytes, want, sizeof(want));
}
END_TEST

START_TEST(e820_answer_size_follows_the_buffer)
{
    ck_assert_uint_eq(bios_e820_answer_size(0), 0);
    ck_assert_uint_eq(bios_e820_answer_size(16), 0);
    ck_assert_uint_eq(bios_e820_answer_size(19), 0);
    ck_assert_uint_eq(bios_e820_answer_size(20), 20);
    ck_assert_uint_eq(bios_e820_answer_size(23), 20);
    ck_assert_uint_eq(bios_e820_answer_size(24), 24);
    ck_assert_uint_eq(bios_e820_answer_size(25), 24);
    ck_assert_uint_eq(bios_e820_answer_size(4096), 24);
    ck_assert_uint_eq(bios_e820_answer_size(0xFFFFFFFFu), 24);
}
END_TEST

START_TEST(e801_stops_below_bookvisor)
{
    struct phys_range map[16];
    size_t n = guest_map(map, 16);
    struct bios_e801_answer a = bios_e801_answer(map, n);
    ck_assert_uint_eq(a.kib_1m_to_16m, 15 * 1024);
    ck_assert_uint_eq(a.blocks_above_16m, (VMM_BASE - 0x1000000) >> 16);
    /* Bare, the firmware's own answer reaches into what is bookvisor's. */
    struct bios_e801_answer bare = bios_e801_answer(firmware, ARRAY_SIZE(firmware));
    ck_assert_uint_gt(0x1000000ULL + ((u64)bare.blocks_above_16m << 16), VMM_BASE);
}
END_TEST

START_TEST(e801_counts_above_an_isa_hole)
{
    const struct phys_range map[] = { { 0x100000, 0xE00000, 1 }, { 0xF00000, 0x100000, 2 },
                                      { 0x1000000, 0x3000000, 1 } };
    struct bios_e801_answer a = bios_e801_answer(map, 3);
    ck_assert_uint_eq(a.kib_1m_to_16m, 14 * 1024);
    ck_assert_uint_eq(a.blocks_above_16m, 0x3000000 >> 16);
}
END_TEST

START_TEST(e801_caps_at_4g_and_88_caps_at_ffff)
{
    const struct phys_range big[] = { { 0x100000, 0x200000000ULL, 1 } };
    struct bios_e801_answer a = bios_e801_answer(big, 1);
    ck_assert_uint_eq(a.kib_1m_to_16m, 0x3C00);
    ck_assert_uint_eq(a.blocks_above_16m, 0xFF00); /* (4 GiB - 16 MiB) / 64 KiB */
    ck_assert_uint_eq(bios_88_answer(big, 1), 0xFFFF);
    const struct phys_range none[] = { { 0, 0x9FC00, 1 } };
    a = bios_e801_answer(none, 1);
    ck_assert_uint_eq(a.kib_1m_to_16m, 0);
    ck_assert_uint_eq(a.blocks_above_16m, 0);
    ck_assert_uint_eq(bios_88_answer(none, 1), 0);
}
END_TEST

START_TEST(e88_stops_below_a_low_bookvisor)
{
    const struct phys_range map[] = { { 0x100000, 0x1F00000, 1 }, { 0x2000000, 0x2000000, 2 },
                                      { 0x4000000, 0x4000000, 1 } };
    ck_assert_uint_eq(bios_88_answer(map, 3), 0x1F00000 >> 10);
}
END_TEST

START_TEST(ram_end_follows_unsorted_adjacent_entries)
{
    const struct phys_range map[] = { { 0x300000, 0x100000, 1 }, { 0x100000, 0x100000, 1 },
                                      { 0x200000, 0x100000, 1 }, { 0x400000, 0x1000, 2 } };
    ck_assert_uint_eq(bios_ram_end_from(map, 4, 0x100000), 0x400000);
    ck_assert_uint_eq(bios_ram_end_from(map, 4, 0x400000), 0x400000);
}
END_TEST

START_TEST(stub_place_and_bytes)
{
    u64 pa = 0;
    ck_assert(bios_stub_place(639, &pa));
    ck_assert_uint_eq(pa, 0x9F800);
    ck_assert(!bios_stub_place(0, &pa));
    ck_assert(!bios_stub_place(641, &pa));
    ck_assert(!bios_stub_place(63, &pa));
    u8 b[BIOS_STUB_SIZE];
    bios_stub_bytes(b, false, 0xF000, 0xF859);
    /* push ebp; mov ebp, "I15!"; vmcall | pop ebp; iret | pop ebp; jmp f000:f859 */
    const u8 vmx[BIOS_STUB_SIZE] = { 0x66, 0x55, 0x66, 0xBD, 0x49, 0x31, 0x35, 0x21, 0x0F, 0x01, 0xC1,
                                     0x66, 0x5D, 0xCF, 0x66, 0x5D, 0xEA, 0x59, 0xF8, 0x00, 0xF0 };
    ck_assert_mem_eq(b, vmx, BIOS_STUB_SIZE);
    ck_assert_uint_eq(b[BIOS_STUB_HYPERCALL_OFFSET], 0x0F);
    ck_assert_uint_eq(b[BIOS_STUB_RETURN_OFFSET], 0x66);
    ck_assert_uint_eq(b[BIOS_STUB_RETURN_OFFSET + 2], 0xCF);
    ck_assert_uint_eq(b[BIOS_STUB_CHAIN_OFFSET + 2], 0xEA);
    u32 mark;
    memcpy(&mark, b + 4, 4);
    ck_assert_uint_eq(mark, BIOS_STUB_MARK);
    bios_stub_bytes(b, true, 0xF000, 0xF859);
    ck_assert_uint_eq(b[BIOS_STUB_HYPERCALL_OFFSET + 2], 0xD9);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bios_memmap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, e820_walks_every_entry_and_ends_with_zero);
    tcase_add_test(tc, e820_refuses_an_index_past_the_end_and_skips_empty_entries);
    tcase_add_test(tc, e820_keeps_neighbours_apart_and_in_order);
    tcase_add_test(tc, e820_continuation_counts_entries_with_a_length);
    tcase_add_test(tc, e820_entry_above_4g_keeps_all_its_bits);
    tcase_add_test(tc, e820_answer_size_follows_the_buffer);
    tcase_add_test(tc, e801_stops_below_bookvisor);
    tcase_add_test(tc, e801_counts_above_an_isa_hole);
    tcase_add_test(tc, e801_caps_at_4g_and_88_caps_at_ffff);
    tcase_add_test(tc, e88_stops_below_a_low_bookvisor);
    tcase_add_test(tc, ram_end_follows_unsorted_adjacent_entries);
    tcase_add_test(tc, stub_place_and_bytes);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
