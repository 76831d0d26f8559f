/*
 * Unit tests for common/loader/multiboot_info.c and multiboot.c: the boot
 * information of both versions (the v2 information is checked by parsing it
 * back with common/base/boot_info.c), command lines with an image name
 * first, the buffer and address checks; the boot magic and the result names.
 *
 * unit-sources: common/loader/multiboot_info.c common/loader/multiboot.c common/base/boot_info.c common/base/vmm_layout.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "common/base/boot_info.h"
#include "common/loader/multiboot.h"
#include "tests/unit/multiboot_images.h"
#include "tests/unit/unit_main.h"

static const struct phys_range guest_map[] = {
    { 0x0, 0x9fc00, MB_MMAP_AVAILABLE },        { 0x9fc00, 0x400, MB_MMAP_RESERVED },
    { 0xf0000, 0x10000, MB_MMAP_RESERVED },     { 0x100000, 0x7f00000, MB_MMAP_AVAILABLE },
    { 0x8000000, 0x1000000, MB_MMAP_RESERVED }, /* the VMM */
};

static const struct multiboot_module guest_mods[] = {
    { 0x300000, 0x350000, "initrd.img", NULL },
    { 0x350000, 0x351000, NULL, NULL },
};

static u8 rsdp_old[20], rsdp_new[36];

static struct multiboot_info_input make_input(void)
{
    struct multiboot_info_input in = { 0 };
    size_t i;

    for (i = 0; i < sizeof(rsdp_old); i++)
        rsdp_old[i] = (u8)(i + 1);
    for (i = 0; i < sizeof(rsdp_new); i++)
        rsdp_new[i] = (u8)(0x80 + i);
    in.cmdline = "console=ttyS0 root=/dev/sda1";
    in.loader_name = "bookvisor";
    in.mmap = guest_map;
    in.mmap_count = 5;
    in.modules = guest_mods;
    in.module_count = 2;
    in.rsdp_old = rsdp_old;
    in.rsdp_old_len = sizeof(rsdp_old);
    in.rsdp_new = rsdp_new;
    in.rsdp_new_len = sizeof(rsdp_new);
    return in;
}

static _Alignas(8) u8 info_buf[4096];
#define INFO_BASE 0x200000u

/* Pointer inside info_buf for a guest-physical address the builder wrote. */
static const u8 *gpa_ptr(u32 gpa, size_t used)
{
    ck_assert_uint_ge(gpa, INFO_BASE);
    ck_assert_uint_lt(gpa, INFO_BASE + used);
    return info_buf + (gpa - INFO_BASE);
}

START_TEST(test_v1_info)
{
    struct multiboot_info_input in = make_input();
    size_t used = 0, off;
    const u8 *mods, *mmap;
    u32 flags, mmap_len, n = 0;

    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_gt(used, 116);
    ck_assert_uint_eq(used % 8, 0);
    flags = get32(info_buf);
    ck_assert_uint_eq(flags,
                      MULTIBOOT1_INFO_MEMORY | MULTIBOOT1_INFO_CMDLINE | MULTIBOOT1_INFO_MODS |
                          MULTIBOOT1_INFO_MMAP | MULTIBOOT1_INFO_LOADER_NAME);
    ck_assert_uint_eq(get32(info_buf + 4), 639); /* 0x9fc00 / 1024 */
    ck_assert_uint_eq(get32(info_buf + 8), 0x7f00000 / 1024); /* up to the VMM */
    ck_assert_str_eq((const char *)gpa_ptr(get32(info_buf + 16), used),
                     "console=ttyS0 root=/dev/sda1");
    ck_assert_str_eq((const char *)gpa_ptr(get32(info_buf + 64), used), "bookvisor");

    ck_assert_uint_eq(get32(info_buf + 20), 2);
    mods = gpa_ptr(get32(info_buf + 24), used);
    ck_assert_uint_eq(get32(mods), 0x300000);
    ck_assert_uint_eq(get32(mods + 4), 0x350000);
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 8), used), "initrd.img");
    ck_assert_uint_eq(get32(mods + 12), 0);
    ck_assert_uint_eq(get32(mods + 16), 0x350000);
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 24), used), "");

    /* Walk the mmap the way a kernel does: size field, then size bytes. */
    mmap_len = get32(info_buf + 44);
    ck_assert_uint_eq(mmap_len, 5 * 24);
    mmap = gpa_ptr(get32(info_buf + 48), used);
    for (off = 0; off < mmap_len; off += get32(mmap + off) + 4, n++) {
        ck_assert_uint_eq(get32(mmap + off), 20);
        ck_assert_uint_eq(get64(mmap + off + 4), guest_map[n].base);
        ck_assert_uint_eq(get64(mmap + off + 12), guest_map[n].length);
        ck_assert_uint_eq(get32(mmap + off + 20), guest_map[n].type);
    }
    ck_assert_uint_eq(n, 5);
    /* boot device, syms, drives, config, apm, vbe: absent and zero */
    ck_assert_uint_eq(get32(info_buf + 12), 0);
    ck_assert_uint_eq(get32(info_buf + 72), 0);
}
END_TEST

START_TEST(test_v1_info_no_modules_and_framebuffer)
{
    struct multiboot_info_input in = make_input();
    struct multiboot_framebuffer fb = {
        .addr = 0xb8000, .pitch = 160, .width = 80, .height = 25, .bpp = 16, .type = MB_FB_EGA_TEXT
    };
    size_t used;

    in.modules = NULL;
    in.module_count = 0;
    in.cmdline = NULL;
    in.framebuffer = &fb;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_eq(get32(info_buf) & MULTIBOOT1_INFO_CMDLINE, 0);
    ck_assert_uint_ne(get32(info_buf) & MULTIBOOT1_INFO_MODS, 0);
    ck_assert_uint_eq(get32(info_buf + 20), 0);
    ck_assert_uint_ne(get32(info_buf) & MULTIBOOT1_INFO_FRAMEBUFFER, 0);
    ck_assert_uint_eq(get64(info_buf + 88), 0xb8000);
    ck_assert_uint_eq(get32(info_buf + 96), 160);
    ck_assert_uint_eq(get32(info_buf + 100), 80);
    ck_assert_uint_eq(get32(info_buf + 104), 25);
    ck_assert_uint_eq(info_buf[108], 16);
    ck_assert_uint_eq(info_buf[109], MB_FB_EGA_TEXT);
}
END_TEST

START_TEST(test_v2_info_round_trip)
{
    struct multiboot_info_input in = make_input();
    struct multiboot_framebuffer fb = { .addr = 0xfd000000,
                                        .pitch = 4096,
                                        .width = 1024,
                                        .height = 768,
                                        .bpp = 32,
                                        .type = MB_FB_RGB,
                                        .rgb = { 16, 8, 8, 8, 0, 8 } };
    static struct boot_info parsed;
    size_t used = 0;
    u32 i;

    in.framebuffer = &fb;
    in.has_load_base = true;
    in.load_base_addr = 0x100000;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_eq(get32(info_buf), used);
    ck_assert_uint_eq(get32(info_buf + 4), 0);
    ck_assert_uint_eq(used % 8, 0);
    ck_assert_int_eq(boot_info_parse(info_buf, used, &parsed), BOOT_INFO_OK);

    ck_assert_str_eq(parsed.cmdline, "console=ttyS0 root=/dev/sda1");
    ck_assert_str_eq(parsed.loader_name, "bookvisor");
    ck_assert_uint_eq(parsed.module_count, 2);
    ck_assert_uint_eq(parsed.modules[0].start, 0x300000);
    ck_assert_uint_eq(parsed.modules[0].end, 0x350000);
    ck_assert_str_eq(parsed.modules[0].cmdline, "initrd.img");
    ck_assert_str_eq(parsed.modules[1].cmdline, "");
    ck_assert(parsed.has_meminfo);
    ck_assert_uint_eq(parsed.mem_lower, 639);
    ck_assert_uint_eq(parsed.mem_upper, 0x7f00000 / 1024);
    ck_assert_uint_eq(parsed.mmap_count, 5);
    for (i = 0; i < 5; i++) {
        ck_assert_uint_eq(parsed.mmap[i].base, guest_map[i].base);
        ck_assert_uint_eq(parsed.mmap[i].length, guest_map[i].length);
        ck_assert_uint_eq(parsed.mmap[i].type, guest_map[i].type);
    }
    ck_assert_uint_eq(parsed.rsdp_old_len, 20);
    ck_assert_int_eq(memcmp(parsed.rsdp_old, rsdp_old, 20), 0);
    ck_assert_uint_eq(parsed.rsdp_new_len, 36);
    ck_assert_int_eq(memcmp(parsed.rsdp_new, rsdp_new, 36), 0);
    ck_assert(parsed.has_framebuffer);
    ck_assert_uint_eq(parsed.framebuffer.addr, 0xfd000000);
    ck_assert_uint_eq(parsed.framebuffer.width, 1024);
    ck_assert_uint_eq(parsed.framebuffer.type, MB_FB_RGB);
    ck_assert_int_eq(memcmp(parsed.framebuffer.rgb, fb.rgb, 6), 0);
    ck_assert(parsed.has_load_base);
    ck_assert_uint_eq(parsed.load_base_addr, 0x100000);
}
END_TEST

START_TEST(test_v2_mmap_tag_layout)
{
    struct multiboot_info_input in = make_input();
    size_t used, off = 8;
    bool seen = false;

    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    while (off < used) {
        u32 type = get32(info_buf + off), size = get32(info_buf + off + 4);

        ck_assert_uint_eq(off % 8, 0);
        if (type == MB2_TAG_MMAP) {
            ck_assert_uint_eq(size, 16 + 5 * 24);
            ck_assert_uint_eq(get32(info_buf + off + 8), 24); /* entry_size */
            ck_assert_uint_eq(get32(info_buf + off + 12), 0); /* entry_version */
            ck_assert_uint_eq(get32(info_buf + off + 16 + 24 + 20), 0); /* reserved */
            seen = true;
        }
        if (type == MB2_TAG_END) {
            ck_assert_uint_eq(size, 8);
            ck_assert_uint_eq(off + 8, used);
        }
        off += (size + 7) & ~7u;
    }
    ck_assert(seen);
}
END_TEST

START_TEST(test_info_buffer_too_small)
{
    struct multiboot_info_input in = make_input();
    size_t need = 0, used = 0;

    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, NULL, 0, &need),
                     MULTIBOOT_ERR_BUF_TOO_SMALL);
    ck_assert_uint_gt(need, 0);
    memset(info_buf, 0xAA, sizeof(info_buf));
    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, need - 8, &used),
                     MULTIBOOT_ERR_BUF_TOO_SMALL);
    ck_assert_uint_eq(used, need);
    ck_assert_uint_eq(info_buf[need - 8], 0xAA); /* nothing written past buf_size */
    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, need, &used),
                     MULTIBOOT_OK);
    ck_assert_uint_eq(used, need);

    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, NULL, 0, &need),
                     MULTIBOOT_ERR_BUF_TOO_SMALL);
    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, need, &used),
                     MULTIBOOT_OK);
}
END_TEST

START_TEST(test_info_address_checks)
{
    struct multiboot_info_input in = make_input();
    struct multiboot_module high = { 0x100000000ULL, 0x100001000ULL, "x", NULL };
    size_t used;

    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE + 4, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ARG);
    /* A few hundred bytes fit below 4 GiB at 0xFFFFF000, not at 0xFFFFFF00. */
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, 0xFFFFF000u, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, 0xFFFFFF00u, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ABOVE_4G);
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, 0x100000000ULL, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ABOVE_4G);
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_NONE, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ARG);
    in.modules = &high;
    in.module_count = 1;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ABOVE_4G);
}
END_TEST

/* Command lines as GRUB Legacy writes them: "name args", "name" alone
 * without arguments, the arguments alone without a name; in both versions,
 * for the kernel and for each module. */
START_TEST(test_image_names_lead_command_lines)
{
    static const struct multiboot_module named[] = {
        { 0x300000, 0x350000, "root=/dev/sda1", "guest-module1" },
        { 0x350000, 0x351000, NULL, "guest-module2" },
        { 0x351000, 0x352000, "plain", NULL },
    };
    struct multiboot_info_input in = make_input();
    static struct boot_info parsed;
    size_t used;
    const u8 *mods;

    in.image_name = "guest-kernel";
    in.modules = named;
    in.module_count = 3;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_int_eq(boot_info_parse(info_buf, used, &parsed), BOOT_INFO_OK);
    ck_assert_str_eq(parsed.cmdline, "guest-kernel console=ttyS0 root=/dev/sda1");
    ck_assert_str_eq(parsed.modules[0].cmdline, "guest-module1 root=/dev/sda1");
    ck_assert_str_eq(parsed.modules[1].cmdline, "guest-module2");
    ck_assert_str_eq(parsed.modules[2].cmdline, "plain");
    ck_assert_str_eq(parsed.loader_name, "bookvisor");

    in.cmdline = NULL; /* a name and no arguments is still a command line */
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_ne(get32(info_buf) & MULTIBOOT1_INFO_CMDLINE, 0);
    ck_assert_str_eq((const char *)gpa_ptr(get32(info_buf + 16), used), "guest-kernel");
    mods = gpa_ptr(get32(info_buf + 24), used);
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 8), used), "guest-module1 root=/dev/sda1");
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 16 + 8), used), "guest-module2");
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 32 + 8), used), "plain");
}
END_TEST

START_TEST(test_magic_and_names)
{
    int e;

    ck_assert_uint_eq(multiboot_boot_magic(MULTIBOOT_V1), 0x2BADB002u);
    ck_assert_uint_eq(multiboot_boot_magic(MULTIBOOT_V2), 0x36d76289u);
    ck_assert_uint_eq(multiboot_boot_magic(MULTIBOOT_NONE), 0);
    for (e = MULTIBOOT_OK; e >= MULTIBOOT_ERR_V2_PREFERRED; e--)
        ck_assert_str_ne(multiboot_error_name(e), "unknown");
    ck_assert_str_eq(multiboot_error_name(MULTIBOOT_ERR_NOT_IN_RAM), "MULTIBOOT_ERR_NOT_IN_RAM");
    ck_assert_str_eq(multiboot_error_name(1), "unknown");
}
END_TEST

static Suite *multiboot_info_suite(void)
{
    Suite *s = suite_create("multiboot_info");
    TCase *tc = tcase_create("boot_info");

    tcase_add_test(tc, test_v1_info);
    tcase_add_test(tc, test_v1_info_no_modules_and_framebuffer);
    tcase_add_test(tc, test_v2_info_round_trip);
    tcase_add_test(tc, test_v2_mmap_tag_layout);
    tcase_add_test(tc, test_info_buffer_too_small);
    tcase_add_test(tc, test_info_address_checks);
    tcase_add_test(tc, test_image_names_lead_command_lines);
    tcase_add_test(tc, test_magic_and_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(multiboot_info_suite());
}
