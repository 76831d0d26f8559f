/*
 * Unit tests for common/loader/multiboot_loader.c: the two Multiboot loaders
 * load kernels, modules and boot information into a fake guest RAM through
 * struct guest_memory, start the vCPU in 32-bit protected mode with the
 * magic and the information's address, put an image name first on every
 * command line, and never write outside available RAM (here: never into
 * "the VMM" at 8 MiB).
 *
 * unit-sources: common/loader/multiboot_loader.c common/loader/loader.c common/loader/multiboot.c common/loader/multiboot_probe.c common/loader/multiboot_plan.c common/loader/multiboot_info.c common/vm/vcpu_state.c common/base/boot_info.c common/base/vmm_layout.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "common/base/boot_info.h"
#include "common/loader/multiboot_loader.h"
#include "common/vm/vcpu_state.h"
#include "tests/unit/multiboot_images.h"
#include "tests/unit/unit_main.h"

#define RAM_BYTES (12 * MIB)
#define VMM_BASE (8 * MIB)
#define VMM_SIZE MIB

static const struct phys_range map[] = {
    { 0x0, 0x9fc00, 1 },        { 0x9fc00, 0x400, 2 },       { 0xf0000, 0x10000, 2 },
    { MIB, VMM_BASE - MIB, 1 }, { VMM_BASE, VMM_SIZE, 2 }, /* the VMM */
    { VMM_BASE + VMM_SIZE, RAM_BYTES - VMM_BASE - VMM_SIZE, 1 },
};
static u8 ram[RAM_BYTES];
static _Alignas(8) u8 img[0x4000];
static struct loader_result res;
static char why[200];

static u8 *fake_host_ptr(void *ctx, u64 gpa, size_t len)
{
    (void)ctx;
    ck_assert_uint_le(gpa + len, RAM_BYTES);
    return ram + gpa;
}

static const struct guest_memory mem = { map, 6, fake_host_ptr, NULL, NULL, 0 };

static const u8 initrd[5000] = { 0xA5, [4999] = 0x5A };
static const u8 config[100] = { 'c' };
static const struct loader_module two_modules[] = {
    { initrd, sizeof(initrd), "root=/dev/ram0" },
    { config, sizeof(config), NULL },
};

static void setup(void)
{
    memset(ram, 0xEE, sizeof(ram));
    memset(why, 0, sizeof(why));
}

static void assert_vmm_untouched(void)
{
    for (u64 a = VMM_BASE; a < VMM_BASE + VMM_SIZE; a += 8)
        ck_assert_msg(get64(ram + a) == 0xEEEEEEEEEEEEEEEEull, "VMM byte 0x%llx written",
                      (unsigned long long)a);
}

/* An ELF32 Multiboot v1 kernel: text at 1 MiB, data and bss above it. */
static size_t make_v1_elf(void)
{
    static const struct test_phdr ph[] = {
        { ELF_PT_LOAD, 0x1000, 0x100000, 0x100000, 0x100, 0x100 },
        { ELF_PT_LOAD, 0x2000, 0x101000, 0x101000, 0x80, 0x1000 },
    };
    memset(img, 0, sizeof(img));
    elf32(img, 0x100010, ph, 2);
    v1_header(img + 0x1000, MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO);
    for (unsigned i = 0; i < 0x80; i++)
        img[0x2000 + i] = (u8)(i + 1);
    return 0x2080;
}

/* A Multiboot2 kernel placed by its address tag at 2 MiB, entry at +0x80. */
static size_t make_v2_aout(void)
{
    struct v2_writer w;
    const u32 addr[] = { 0x200000, 0x200000, 0x201000, 0x203000 };
    const u32 entry[] = { 0x200080 };

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_ADDRESS, 0, addr, 4);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, entry, 1);
    v2_end(&w, 0);
    return 0x1000;
}

START_TEST(v1_kernel_modules_and_information)
{
    struct loader_request req = { .kernel = { img, make_v1_elf(), "console=com1 quiet" },
                                  .modules = two_modules,
                                  .module_count = 2,
                                  .loader_name = "bookvisor 0.1 on VT-x" };
    char mode_why[64];

    ck_assert_int_eq(multiboot1_loader.probe(img, req.kernel.len, why, sizeof(why)), 0);
    ck_assert_int_eq(multiboot1_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    /* The image: segments copied, bss zeroed. */
    ck_assert_int_eq(memcmp(ram + 0x100000, img + 0x1000, 0x100), 0);
    ck_assert_int_eq(memcmp(ram + 0x101000, img + 0x2000, 0x80), 0);
    for (u32 a = 0x101080; a < 0x102000; a++)
        ck_assert_uint_eq(ram[a], 0);
    /* Modules on 4 KiB boundaries after the kernel, the information after them. */
    ck_assert_uint_eq(ram[0x102000], 0xA5);
    ck_assert_uint_eq(ram[0x102000 + 4999], 0x5A);
    ck_assert_uint_eq(ram[0x104000], 'c');
    ck_assert_uint_eq(res.state.gprs.rbx, 0x105000);
    ck_assert_uint_eq(res.state.gprs.rax, MULTIBOOT1_BOOTLOADER_MAGIC);
    ck_assert_int_eq(vcpu_state_mode(&res.state, mode_why, sizeof(mode_why)), VCPU_MODE_PROTECTED32);
    ck_assert_uint_eq(res.state.rip, 0x100010);
    ck_assert_str_eq(res.summary, "multiboot kernel, 2 segment(s) at [0x100000, 0x102000), entry 0x100010");

    const u8 *info = ram + 0x105000;
    ck_assert_uint_ne(get32(info) & MULTIBOOT1_INFO_CMDLINE, 0);
    ck_assert_str_eq((const char *)ram + get32(info + 16), "guest-kernel console=com1 quiet");
    ck_assert_str_eq((const char *)ram + get32(info + 64), "bookvisor 0.1 on VT-x");
    ck_assert_uint_eq(get32(info + 20), 2);
    const u8 *mods = ram + get32(info + 24);
    ck_assert_uint_eq(get32(mods), 0x102000);
    ck_assert_uint_eq(get32(mods + 4), 0x102000 + 5000);
    ck_assert_str_eq((const char *)ram + get32(mods + 8), "guest-module1 root=/dev/ram0");
    ck_assert_uint_eq(get32(mods + 16), 0x104000);
    ck_assert_str_eq((const char *)ram + get32(mods + 24), "guest-module2");
    /* The memory map handed over is the one given: the VMM is reserved. */
    ck_assert_uint_eq(get32(info + 44), 6 * 24);
    ck_assert_uint_eq(get64(ram + get32(info + 48) + 4 + 4 * 24), VMM_BASE);
    ck_assert_uint_eq(get32(ram + get32(info + 48) + 20 + 4 * 24), 2);
    assert_vmm_untouched();
}
END_TEST

START_TEST(v2_kernel_information_parses_back)
{
    struct loader_request req = { .kernel = { img, make_v2_aout(), "hello world=1" },
                                  .loader_name = "bookvisor 0.1 on AMD-V" };
    static struct boot_info parsed;

    ck_assert_int_eq(multiboot2_loader.probe(img, req.kernel.len, why, sizeof(why)), 0);
    ck_assert_int_eq(multiboot2_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    ck_assert_uint_eq(res.state.rip, 0x200080);
    ck_assert_uint_eq(res.state.gprs.rax, MULTIBOOT2_BOOTLOADER_MAGIC);
    ck_assert_uint_eq(res.state.gprs.rbx, 0x203000);
    ck_assert_uint_eq(res.state.cr0, 0x11);
    const u8 *info = ram + res.state.gprs.rbx;
    ck_assert_int_eq(boot_info_parse(info, get32(info), &parsed), BOOT_INFO_OK);
    ck_assert_str_eq(parsed.cmdline, "guest-kernel hello world=1");
    ck_assert_str_eq(parsed.loader_name, "bookvisor 0.1 on AMD-V");
    ck_assert_uint_eq(parsed.module_count, 0);
    ck_assert_uint_eq(parsed.mmap_count, 6);
    ck_assert_str_eq(res.summary, "multiboot2 kernel, 1 segment(s) at [0x200000, 0x203000), entry 0x200080");
    assert_vmm_untouched();
}
END_TEST

/* No arguments at all: the command line is the image name alone. */
START_TEST(no_arguments_still_a_name)
{
    struct loader_request req = { .kernel = { img, make_v2_aout(), NULL } };
    static struct boot_info parsed;

    ck_assert_int_eq(multiboot2_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    const u8 *info = ram + res.state.gprs.rbx;
    ck_assert_int_eq(boot_info_parse(info, get32(info), &parsed), BOOT_INFO_OK);
    ck_assert_str_eq(parsed.cmdline, "guest-kernel");
    ck_assert_ptr_null(parsed.loader_name);
}
END_TEST

/* What does not fit is refused with where, and nothing reaches the VMM. */
START_TEST(refusals_name_the_address)
{
    static u8 big[VMM_BASE];
    struct loader_module huge = { big, VMM_BASE - 0x203000 + 1, NULL };
    struct loader_module fits = { big, VMM_BASE - 0x203000 - 0x10, NULL };
    struct loader_request req = { .kernel = { img, make_v2_aout(), NULL }, .modules = &huge,
                                  .module_count = 1 };

    ck_assert_int_ne(multiboot2_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "no guest RAM for module 1 (6279169 bytes at 0x203000)");
    /* The module fits, the information behind it does not. */
    req.modules = &fits;
    ck_assert_int_ne(multiboot2_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "no guest RAM for the boot information at 0x800000");
    assert_vmm_untouched();
    /* A kernel linked into the VMM's range. */
    const u32 addr[] = { VMM_BASE, VMM_BASE, VMM_BASE + 0x1000, VMM_BASE + 0x1000 };
    const u32 entry[] = { VMM_BASE };
    struct v2_writer w;
    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_ADDRESS, 0, addr, 4);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, entry, 1);
    v2_end(&w, 0);
    req.kernel.len = 0x1000;
    req.module_count = 0;
    ck_assert_int_ne(multiboot2_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "cannot load the guest kernel: MULTIBOOT_ERR_NOT_IN_RAM (address 0x800000)");
    assert_vmm_untouched();
    /* More modules than a loader hands over. */
    req.kernel.len = make_v2_aout();
    req.modules = two_modules;
    req.module_count = LOADER_MAX_MODULES + 1;
    ck_assert_int_ne(multiboot2_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "17 modules; at most 16 can be handed over");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("multiboot_loader");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, v1_kernel_modules_and_information);
    tcase_add_test(tc, v2_kernel_information_parses_back);
    tcase_add_test(tc, no_arguments_still_a_name);
    tcase_add_test(tc, refusals_name_the_address);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
