/*
 * Unit tests for common/loader/loader.c: guest memory as loaders see it
 * (nothing outside available RAM is ever reachable) and the choice of a
 * loader, with the refusal that names every loader's answer. The real table
 * (common/loader/loaders.c) is checked too.
 *
 * unit-sources: common/loader/loader.c common/loader/loaders.c common/loader/linux_loader.c common/loader/linux_probe.c common/loader/linux_plan.c common/loader/linux_boot_params.c common/loader/multiboot_loader.c common/loader/multiboot.c common/loader/multiboot_probe.c common/loader/multiboot_plan.c common/loader/multiboot_info.c common/vm/vcpu_state.c common/base/vmm_layout.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/loader/loader.h"
#include "common/loader/loaders.h"
#include "common/loader/multiboot_loader.h"
#include "tests/unit/multiboot_images.h"
#include "tests/unit/unit_main.h"

#define RAM_BYTES 0x40000u

/* 0-64 KiB RAM, 64-128 KiB "the VMM", 128-192 KiB RAM in two adjacent
 * entries, 192-256 KiB reserved. */
static const struct phys_range map[] = {
    { 0x0, 0x10000, 1 }, { 0x10000, 0x10000, 2 }, { 0x20000, 0x8000, 1 },
    { 0x28000, 0x8000, 1 }, { 0x30000, 0x10000, 2 },
};
static u8 ram[RAM_BYTES];
static unsigned host_ptr_calls;

static u8 *fake_host_ptr(void *ctx, u64 gpa, size_t len)
{
    ck_assert_ptr_eq(ctx, ram);
    ck_assert_uint_le(gpa + len, RAM_BYTES);
    host_ptr_calls++;
    return ram + gpa;
}

static const struct guest_memory mem = { map, 5, fake_host_ptr, ram, NULL, 0 };

START_TEST(guest_memory_only_reaches_ram)
{
    const u8 bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    memset(ram, 0xEE, sizeof(ram));
    host_ptr_calls = 0;
    ck_assert(guest_memory_write(&mem, 0xFFF8, bytes, 8));
    ck_assert_int_eq(memcmp(ram + 0xFFF8, bytes, 8), 0);
    ck_assert(!guest_memory_write(&mem, 0xFFFC, bytes, 8)); /* runs into the VMM */
    ck_assert(!guest_memory_zero(&mem, 0x10000, 1));
    ck_assert(!guest_memory_write(&mem, 0x2FFFC, bytes, 8)); /* runs into reserved */
    ck_assert(guest_memory_write(&mem, 0x27FFC, bytes, 8));  /* two adjacent RAM entries */
    ck_assert(guest_memory_zero(&mem, 0x20000, 0x10000));
    ck_assert(!guest_memory_span(&mem, ~0ULL - 3, 8)); /* wraps */
    ck_assert(!guest_memory_span(&mem, 0x20000, 0)); /* nothing to give */
    ck_assert(guest_memory_write(&mem, 0x10000, bytes, 0)); /* nothing written, nothing refused */
    for (u32 a = 0x10000; a < 0x20000; a++)
        ck_assert_uint_eq(ram[a], 0xEE);
    for (u32 a = 0x30000; a < RAM_BYTES; a++)
        ck_assert_uint_eq(ram[a], 0xEE);
    ck_assert_uint_eq(host_ptr_calls, 3); /* refused ranges never reach host_ptr */
}
END_TEST

/* Two stand-in loaders: "even" takes modules whose first byte is even. */
static int probe_even(const u8 *image, size_t len, char *why, size_t wlen)
{
    if (len && !(image[0] & 1))
        return 0;
    snprintf(why, wlen, "first byte odd");
    return -1;
}

static int probe_never(const u8 *image, size_t len, char *why, size_t wlen)
{
    (void)image;
    (void)len;
    (void)why;
    (void)wlen;
    return -1; /* and says nothing */
}

static const struct guest_loader even = { "even", "an even image", probe_even, NULL };
static const struct guest_loader never = { "never", "a never image", probe_never, NULL };

/* RAM that holds the modules being loaded is the guest's, yet no loader may write it. */
START_TEST(busy_ram_is_not_reachable)
{
    const struct phys_range busy = { 0x24000, 0x1000, 1 };
    const struct guest_memory m = { map, 5, fake_host_ptr, ram, &busy, 1 };
    const u8 bytes[8] = { 1 };

    memset(ram, 0xEE, sizeof(ram));
    ck_assert(guest_memory_is_ram(&m, 0x20000, 0x4000));
    ck_assert(!guest_memory_is_ram(&m, 0x23FFC, 8)); /* runs into it */
    ck_assert(!guest_memory_write(&m, 0x24FFF, bytes, 8));
    ck_assert(!guest_memory_zero(&m, 0x20000, 0x10000));
    ck_assert(guest_memory_write(&m, 0x25000, bytes, 8)); /* right after it */
    for (u32 a = 0x24000; a < 0x25000; a++)
        ck_assert_uint_eq(ram[a], 0xEE);
    ck_assert(guest_memory_is_ram(&mem, 0x24000, 0x1000)); /* without it: plain RAM */
}
END_TEST

START_TEST(first_accepting_loader_wins)
{
    const struct guest_loader *const table[] = { &never, &even };
    const u8 odd[1] = { 3 }, good[1] = { 2 };
    char why[160];

    ck_assert_ptr_eq(loader_choose(table, 2, good, 1, why, sizeof(why)), &even);
    ck_assert_ptr_null(loader_choose(table, 2, odd, 1, why, sizeof(why)));
    ck_assert_str_eq(why, "is not a never image: refused, nor an even image: first byte odd");
    ck_assert_ptr_null(loader_choose(table, 1, good, 1, NULL, 0));
    ck_assert_ptr_null(loader_choose(table, 2, odd, 1, why, 20)); /* cut, still terminated */
    ck_assert_uint_eq(strlen(why), 19);
}
END_TEST

/* bookvisor's table: a file that is no kernel is refused by both Multiboot
 * loaders and the Linux one, and the line keeps the wording
 * tests/emu/bad-guest.test expects. */
START_TEST(real_table_refuses_a_non_kernel)
{
    static const char text[] = "ENTRY(_start) SECTIONS { . = 2M; .text : { *(.text) } }\n";
    char why[256];

    ck_assert_uint_eq(guest_loader_count, 3);
    ck_assert_ptr_null(loader_choose(guest_loaders, guest_loader_count, (const u8 *)text,
                                     sizeof(text) - 1, why, sizeof(why)));
    ck_assert_str_eq(why, "is not a multiboot kernel: MULTIBOOT_ERR_NO_HEADER, nor a multiboot2 "
                          "kernel: MULTIBOOT_ERR_NO_HEADER, nor a Linux bzImage: "
                          "LINUX_ERR_NOT_BZIMAGE (no setup header, or a zImage)");
}
END_TEST

/* A kernel with both headers goes to the Multiboot2 loader; with a v2
 * header bookvisor cannot serve (EFI boot services), to the v1 loader. */
START_TEST(real_table_prefers_multiboot2)
{
    static _Alignas(8) u8 img[0x200];
    struct v2_writer w;
    char why[160];

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_end(&w, 0);
    v1_header(img + 0x100, MULTIBOOT1_MEMORY_INFO);
    ck_assert_ptr_eq(loader_choose(guest_loaders, guest_loader_count, img, sizeof(img), why,
                                   sizeof(why)),
                     &multiboot2_loader);
    memset(img, 0, 0x100);
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_EFI_BS, 0, NULL, 0);
    v2_end(&w, 0);
    ck_assert_ptr_eq(loader_choose(guest_loaders, guest_loader_count, img, sizeof(img), why,
                                   sizeof(why)),
                     &multiboot1_loader);
    ck_assert_int_eq(multiboot1_loader.probe(img, sizeof(img), why, sizeof(why)), 0);
    memset(img, 0, 0x100);
    v2_begin(&w, img);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot1_loader.probe(img, sizeof(img), why, sizeof(why)),
                     MULTIBOOT_ERR_V2_PREFERRED);
    ck_assert_str_eq(why, "MULTIBOOT_ERR_V2_PREFERRED");
}
END_TEST

START_TEST(module_names)
{
    char name[LOADER_MODULE_NAME_SIZE];

    loader_module_name(1, name);
    ck_assert_str_eq(name, "guest-module1");
    loader_module_name(16, name);
    ck_assert_str_eq(name, "guest-module16");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("interface");
    tcase_add_test(tc, guest_memory_only_reaches_ram);
    tcase_add_test(tc, busy_ram_is_not_reachable);
    tcase_add_test(tc, first_accepting_loader_wins);
    tcase_add_test(tc, real_table_refuses_a_non_kernel);
    tcase_add_test(tc, real_table_prefers_multiboot2);
    tcase_add_test(tc, module_names);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
