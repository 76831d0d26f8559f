/*
 * Unit tests for common/loader/linux_plan.c: the kernel at its preferred
 * address when that is RAM, else at the lowest aligned RAM (relocatable
 * kernels only); the boot block low, clear of the kernel; the initrd at the
 * highest page below its limit, clear of both; the command-line limit.
 *
 * unit-sources: common/loader/linux_plan.c common/loader/linux_probe.c common/base/vmm_layout.c common/lib/kstring.c
 */
#include <check.h>

#include "tests/unit/linux_images.h"
#include "tests/unit/unit_main.h"

static u8 img[0x8000];
static struct linux_image li;
static struct linux_plan plan;

/* 256 MiB: low RAM, the BIOS hole, RAM from 1 MiB, a reserved range at 100 MiB. */
static const struct phys_range ram[] = {
    { 0, 0x9FC00, 1 },
    { 0x9FC00, 0x60400, 2 },
    { MIB, 99 * MIB, 1 },
    { 100 * MIB, 2 * MIB, 2 },
    { 102 * MIB, 154 * MIB, 1 },
};

static struct linux_plan_input input(u64 initrd, u64 cmdline)
{
    return (struct linux_plan_input){ ram, ARRAY_SIZE(ram), initrd, cmdline };
}

static void probe(const struct test_bzimage *t)
{
    size_t len = test_bzimage_make(img, sizeof(img), t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
}

static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
    return a < b + blen && b < a + alen;
}

START_TEST(kernel_at_its_preferred_address)
{
    struct test_bzimage t = test_bzimage_default();
    probe(&t);
    struct linux_plan_input in = input(5000, 20);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.kernel_addr, 4 * MIB);
    ck_assert_uint_eq(plan.kernel_span, 0x200000);
    ck_assert_uint_eq(plan.entry, 4 * MIB + 0x200);
    /* The boot block: low, page aligned, in the order the header says. */
    ck_assert_uint_eq(plan.boot_addr, 64 * KIB);
    ck_assert_uint_eq(plan.zero_page, plan.boot_addr);
    ck_assert_uint_eq(plan.gdt, plan.boot_addr + 4096);
    ck_assert_uint_eq(plan.rsdp, plan.gdt + LINUX_RSDP_OFFSET);
    ck_assert_uint_eq(plan.page_tables, plan.boot_addr + 2 * 4096);
    ck_assert_uint_eq(plan.cmdline, plan.page_tables + LINUX_PT_PAGES * 4096);
    ck_assert_uint_eq(plan.boot_size, (2 + LINUX_PT_PAGES + 1) * 4096);
    /* The initrd: the highest page of RAM, below initrd_addr_max. */
    ck_assert_uint_eq(plan.initrd_addr, 256 * MIB - 8192);
    ck_assert_uint_eq(plan.initrd_limit, 0x80000000ull);
}
END_TEST

START_TEST(relocatable_kernel_moves_when_its_place_is_not_ram)
{
    struct test_bzimage t = test_bzimage_default();
    t.pref_address = 99 * MIB; /* runs into the reserved range at 100 MiB */
    probe(&t);
    struct linux_plan_input in = input(0, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.kernel_addr, 2 * MIB); /* the lowest 2 MiB boundary from 1 MiB */
    ck_assert_uint_eq(plan.entry, 2 * MIB + 0x200);
    ck_assert_uint_eq(plan.initrd_addr, 0);
    /* A kernel too big for any RAM below 4 GiB. */
    t.init_size = 200 * MIB;
    probe(&t);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_ERR_NO_ROOM_KERNEL);
}
END_TEST

START_TEST(fixed_kernel_stays_or_is_refused)
{
    struct test_bzimage t = test_bzimage_default();
    t.relocatable = 0;
    t.pref_address = 99 * MIB;
    probe(&t);
    struct linux_plan_input in = input(0, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_ERR_NO_ROOM_KERNEL);
    t.pref_address = 16 * MIB;
    probe(&t);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.kernel_addr, 16 * MIB);
}
END_TEST

START_TEST(thirty_two_bit_entry_at_the_load_address)
{
    struct test_bzimage t = test_bzimage_default();
    t.xloadflags = 0;
    probe(&t);
    struct linux_plan_input in = input(0, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.entry, plan.kernel_addr);
}
END_TEST

START_TEST(initrd_below_its_limit_and_clear_of_the_kernel)
{
    struct test_bzimage t = test_bzimage_default();
    t.initrd_addr_max = 6 * MIB - 1; /* the last byte it may occupy */
    probe(&t);
    /* Below 6 MiB, and the kernel takes [4 MiB, 6 MiB): under the kernel. */
    struct linux_plan_input in = input(MIB, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.initrd_addr, 3 * MIB);
    ck_assert(!overlap(plan.initrd_addr, MIB, plan.kernel_addr, plan.kernel_span));
    ck_assert(!overlap(plan.initrd_addr, MIB, plan.boot_addr, plan.boot_size));
    /* Odd sizes still start on a page. */
    in = input(12345, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.initrd_addr % 4096, 0);
    ck_assert_uint_le(plan.initrd_addr + 12345, 6 * MIB);
    /* Too big for the room below the limit: a refusal that says the limit. */
    in = input(4 * MIB, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_ERR_INITRD_TOO_BIG);
    ck_assert_uint_eq(plan.initrd_limit, 6 * MIB);
    /* Bigger than all RAM. */
    t = test_bzimage_default();
    probe(&t);
    in = input(300 * MIB, 0);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_ERR_INITRD_TOO_BIG);
}
END_TEST

START_TEST(initrd_above_4g_only_with_the_flag)
{
    static const struct phys_range big[] = { { 0, 0x9FC00, 1 }, { MIB, 3 * GIB - MIB, 1 },
                                              { 4 * GIB, 4 * GIB, 1 } };
    struct test_bzimage t = test_bzimage_default();
    t.initrd_addr_max = 0xFFFFFFFF;
    probe(&t);
    struct linux_plan_input in = { big, 3, MIB, 0 };
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.initrd_addr, 3 * GIB - MIB);
    t.xloadflags |= LINUX_XLF_CAN_BE_LOADED_ABOVE_4G;
    probe(&t);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.initrd_addr, 8 * GIB - MIB);
}
END_TEST

START_TEST(command_line_limit)
{
    struct test_bzimage t = test_bzimage_default();
    t.cmdline_size = 100;
    probe(&t);
    struct linux_plan_input in = input(0, 100);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    in = input(0, 101);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_ERR_CMDLINE_TOO_LONG);
    /* A long one that is allowed gets its pages in the boot block. */
    t.cmdline_size = 10000;
    probe(&t);
    in = input(0, 9000);
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.boot_size, (2 + LINUX_PT_PAGES + 3) * 4096);
}
END_TEST

START_TEST(boot_block_avoids_the_kernel)
{
    /* Only RAM from 1 MiB: the boot block must go after the kernel. */
    static const struct phys_range high[] = { { MIB, 63 * MIB, 1 } };
    struct test_bzimage t = test_bzimage_default();
    t.pref_address = MIB;
    t.kernel_alignment = 4096;
    probe(&t);
    struct linux_plan_input in = { high, 1, 0, 0 };
    ck_assert_int_eq(linux_plan(&li, &in, &plan), LINUX_OK);
    ck_assert_uint_eq(plan.kernel_addr, MIB);
    ck_assert_uint_eq(plan.boot_addr, MIB + 0x200000);
    /* No RAM at all for it. */
    static const struct phys_range tight[] = { { MIB, 0x200000, 1 } };
    struct linux_plan_input in2 = { tight, 1, 0, 0 };
    ck_assert_int_eq(linux_plan(&li, &in2, &plan), LINUX_ERR_NO_ROOM_BOOT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linux_plan");
    TCase *tc = tcase_create("plan");
    tcase_add_test(tc, kernel_at_its_preferred_address);
    tcase_add_test(tc, relocatable_kernel_moves_when_its_place_is_not_ram);
    tcase_add_test(tc, fixed_kernel_stays_or_is_refused);
    tcase_add_test(tc, thirty_two_bit_entry_at_the_load_address);
    tcase_add_test(tc, initrd_below_its_limit_and_clear_of_the_kernel);
    tcase_add_test(tc, initrd_above_4g_only_with_the_flag);
    tcase_add_test(tc, command_line_limit);
    tcase_add_test(tc, boot_block_avoids_the_kernel);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
