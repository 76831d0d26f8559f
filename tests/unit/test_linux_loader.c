/*
 * Unit tests for common/loader/linux_loader.c: a crafted bzImage loaded
 * into a fake guest RAM through struct guest_memory. The kernel bytes, the
 * initrd, the zero page (header, command line, initrd, E820, RSDP), the GDT
 * and page tables are where the plan says; the vCPU starts in long mode at
 * the 64-bit entry (or in protected mode at the 32-bit one) with the boot
 * protocol's selectors and RSI = the zero page; nothing is written into
 * "the VMM" or the busy range holding the modules; every refusal is named.
 * The table tries Linux after the two Multiboot loaders.
 *
 * unit-sources: common/loader/linux_loader.c common/loader/linux_probe.c common/loader/linux_plan.c common/loader/linux_boot_params.c common/loader/loader.c common/loader/loaders.c common/loader/multiboot_loader.c common/loader/multiboot.c common/loader/multiboot_probe.c common/loader/multiboot_plan.c common/loader/multiboot_info.c common/vm/vcpu_state.c common/base/vmm_layout.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>

#include "common/loader/linux_loader.h"
#include "common/loader/loaders.h"
#include "common/vm/vcpu_state.h"
#include "tests/unit/linux_images.h"
#include "tests/unit/unit_main.h"

#define RAM_BYTES (32 * MIB)
#define VMM_BASE (24 * MIB)
#define VMM_SIZE (2 * MIB)
#define BUSY_BASE (28 * MIB)
#define BUSY_SIZE (2 * MIB)

static const struct phys_range map[] = {
    { 0x0, 0x9fc00, 1 },        { 0x9fc00, 0x400, 2 },       { 0xf0000, 0x10000, 2 },
    { MIB, VMM_BASE - MIB, 1 }, { VMM_BASE, VMM_SIZE, 2 }, /* the VMM */
    { VMM_BASE + VMM_SIZE, RAM_BYTES - VMM_BASE - VMM_SIZE, 1 },
};
static const struct phys_range busy = { BUSY_BASE, BUSY_SIZE, 1 };
static u8 ram[RAM_BYTES];
static u8 img[0x8000];
static struct loader_result res;
static char why[200];

static u8 *fake_host_ptr(void *ctx, u64 gpa, size_t len)
{
    (void)ctx;
    ck_assert_uint_le(gpa + len, RAM_BYTES);
    return ram + gpa;
}

static const struct guest_memory mem = {
    .map = map, .map_len = ARRAY_SIZE(map), .host_ptr = fake_host_ptr, .busy = &busy, .busy_len = 1,
};

static const u8 initrd[5000] = { 0xA5, [4999] = 0x5A };
static const u8 rsdp[20] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ', 0x42 };
static const struct loader_module one_initrd[] = { { initrd, sizeof(initrd), NULL } };

static void setup(void)
{
    memset(ram, 0xEE, sizeof(ram));
    memset(why, 0, sizeof(why));
    memset(&res, 0, sizeof(res));
}

static void assert_untouched(u64 base, u64 size)
{
    for (u64 a = base; a < base + size; a += 8)
        ck_assert_msg(linux_rd64(ram + a) == 0xEEEEEEEEEEEEEEEEull, "byte 0x%llx written",
                      (unsigned long long)a);
}

static struct loader_request request(const struct test_bzimage *t, const char *cmdline)
{
    size_t len = test_bzimage_make(img, sizeof(img), t);
    return (struct loader_request){
        .kernel = { img, len, cmdline },
        .modules = one_initrd,
        .module_count = 1,
        .loader_name = "bookvisor test",
        .rsdp_old = rsdp,
        .rsdp_old_len = sizeof(rsdp),
    };
}

START_TEST(the_table_tries_linux_after_multiboot)
{
    struct test_bzimage t = test_bzimage_default();
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_ptr_eq(loader_choose(guest_loaders, guest_loader_count, img, len, why, sizeof(why)),
                     &linux_loader);
    ck_assert_ptr_eq(guest_loaders[guest_loader_count - 1], &linux_loader);
    img[LINUX_HDR_MAGIC] = 0;
    ck_assert_ptr_null(loader_choose(guest_loaders, guest_loader_count, img, len, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, ", nor a Linux bzImage: LINUX_ERR_NOT_BZIMAGE"));
}
END_TEST

START_TEST(loads_a_64bit_kernel)
{
    struct test_bzimage t = test_bzimage_default();
    struct loader_request req = request(&t, "console=ttyS0 rdinit=/init");
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    /* The kernel at its preferred 4 MiB, byte for byte. */
    ck_assert_int_eq(memcmp(ram + 4 * MIB, img + 4 * 512, t.kernel_bytes), 0);
    /* The initrd at the highest page that is neither busy nor the VMM. */
    const u64 initrd_at = RAM_BYTES - 8192;
    ck_assert_int_eq(memcmp(ram + initrd_at, initrd, sizeof(initrd)), 0);
    /* The zero page at 64 KiB. */
    const u8 *bp = ram + 0x10000;
    ck_assert_uint_eq(res.state.gprs.rsi, 0x10000);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_MAGIC), LINUX_HDRS_MAGIC);
    ck_assert_uint_eq(bp[LINUX_HDR_TYPE_OF_LOADER], 0xFF);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_CODE32_START), 4 * MIB);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_RAMDISK_IMAGE), initrd_at);
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_RAMDISK_SIZE), sizeof(initrd));
    u32 cmd = linux_rd32(bp + LINUX_HDR_CMD_LINE_PTR);
    ck_assert_str_eq((const char *)ram + cmd, "console=ttyS0 rdinit=/init"); /* no image name */
    /* The E820 map: the guest's, the VMM reserved, the busy range RAM. */
    ck_assert_uint_eq(bp[LINUX_BP_E820_ENTRIES], 6);
    const u8 *e = bp + LINUX_BP_E820_TABLE + 4 * LINUX_E820_ENTRY_SIZE;
    ck_assert_uint_eq(linux_rd64(e), VMM_BASE);
    ck_assert_uint_eq(linux_rd32(e + 16), 2);
    ck_assert_uint_eq(linux_rd64(e + LINUX_E820_ENTRY_SIZE + 8), RAM_BYTES - VMM_BASE - VMM_SIZE);
    /* The RSDP copy where acpi_rsdp_addr says. */
    u64 rsdp_at = linux_rd64(bp + LINUX_BP_ACPI_RSDP_ADDR);
    ck_assert_uint_eq(rsdp_at, 0x11000 + LINUX_RSDP_OFFSET);
    ck_assert_int_eq(memcmp(ram + rsdp_at, rsdp, sizeof(rsdp)), 0);
    /* The start: long mode at the 64-bit entry, the protocol's selectors, our GDT. */
    const struct vcpu_init_state *s = &res.state;
    ck_assert_int_eq(vcpu_state_mode(s, NULL, 0), VCPU_MODE_LONG64);
    ck_assert_uint_eq(s->rip, 4 * MIB + 0x200);
    ck_assert_uint_eq(s->cs.selector, LINUX_BOOT_CS);
    ck_assert_uint_eq(s->ds.selector, LINUX_BOOT_DS);
    ck_assert_uint_eq(s->ss.selector, LINUX_BOOT_DS);
    ck_assert_uint_eq(s->es.selector, LINUX_BOOT_DS);
    ck_assert_uint_eq(s->gdtr.base, 0x11000);
    ck_assert_uint_eq(s->gdtr.limit, LINUX_GDT_SIZE - 1);
    ck_assert_uint_eq(linux_rd64(ram + 0x11000 + LINUX_BOOT_CS), 0x00AF9B000000FFFFull);
    ck_assert_uint_eq(s->cr3, 0x12000);
    ck_assert_uint_eq(linux_rd64(ram + 0x12000) & ~0xFFFull, 0x13000); /* PML4 -> PDPT */
    ck_assert_uint_eq(s->rflags & (1u << 9), 0); /* interrupts off */
    ck_assert_ptr_nonnull(strstr(res.summary, "boot protocol 2.15, kernel at 0x400000"));
    ck_assert_ptr_nonnull(strstr(res.summary, "64-bit entry 0x400200"));
    assert_untouched(VMM_BASE, VMM_SIZE);
    assert_untouched(BUSY_BASE, BUSY_SIZE);
}
END_TEST

START_TEST(loads_a_32bit_kernel_without_initrd)
{
    struct test_bzimage t = test_bzimage_default();
    t.xloadflags = 0;
    struct loader_request req = request(&t, NULL);
    req.module_count = 0;
    req.rsdp_old = NULL;
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), 0);
    const struct vcpu_init_state *s = &res.state;
    ck_assert_int_eq(vcpu_state_mode(s, NULL, 0), VCPU_MODE_PROTECTED32);
    ck_assert_uint_eq(s->rip, 4 * MIB);
    ck_assert_uint_eq(s->gprs.rsi, 0x10000);
    ck_assert_uint_eq(s->cs.selector, LINUX_BOOT_CS);
    ck_assert_uint_eq(linux_rd64(ram + 0x11000 + LINUX_BOOT_CS), 0x00CF9B000000FFFFull);
    const u8 *bp = ram + 0x10000;
    ck_assert_uint_eq(linux_rd32(bp + LINUX_HDR_RAMDISK_IMAGE), 0);
    ck_assert_uint_eq(linux_rd64(bp + LINUX_BP_ACPI_RSDP_ADDR), 0);
    ck_assert_str_eq((const char *)ram + linux_rd32(bp + LINUX_HDR_CMD_LINE_PTR), "");
    assert_untouched(VMM_BASE, VMM_SIZE);
}
END_TEST

START_TEST(refusals_are_named)
{
    struct test_bzimage t = test_bzimage_default();
    t.version = 0x0205;
    struct loader_request req = request(&t, NULL);
    ck_assert_int_eq(linux_loader.probe(img, req.kernel.len, why, sizeof(why)), 0);
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), LINUX_ERR_TOO_OLD);
    ck_assert_str_eq(why, "LINUX_ERR_TOO_OLD: Linux boot protocol 2.05 is too old; bookvisor needs 2.06 or later");

    t = test_bzimage_default();
    req = request(&t, NULL);
    req.kernel.len -= 0x100;
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), LINUX_ERR_TRUNCATED);
    ck_assert_str_eq(why, "LINUX_ERR_TRUNCATED: the bzImage is truncated: its setup header implies 14336 bytes, the module has 14080");

    t.cmdline_size = 5;
    req = request(&t, "console=ttyS0");
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), LINUX_ERR_CMDLINE_TOO_LONG);
    ck_assert_str_eq(why, "LINUX_ERR_CMDLINE_TOO_LONG: the command line has 13 bytes; this kernel takes at most 5");

    t = test_bzimage_default();
    t.initrd_addr_max = 0x3FFFFF; /* below 4 MiB: only low RAM and [1, 4) MiB */
    req = request(&t, NULL);
    static const u8 big[4 * MIB];
    const struct loader_module big_initrd[] = { { big, sizeof(big), NULL } };
    req.modules = big_initrd;
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), LINUX_ERR_INITRD_TOO_BIG);
    ck_assert_str_eq(why, "LINUX_ERR_INITRD_TOO_BIG: no room for the initrd (4194304 bytes) in guest RAM below 0x400000");

    t = test_bzimage_default();
    req = request(&t, NULL);
    const struct loader_module two[] = { { initrd, 10, NULL }, { initrd, 10, NULL } };
    req.modules = two;
    req.module_count = 2;
    ck_assert_int_eq(linux_loader.load(&req, &mem, &res, why, sizeof(why)), LINUX_ERR_TOO_MANY_MODULES);
    ck_assert_str_eq(why, "LINUX_ERR_TOO_MANY_MODULES: 2 modules after the kernel; Linux takes one, the initrd");

    ck_assert_int_ne(linux_loader.probe((const u8 *)"not a kernel", 12, why, sizeof(why)), 0);
    ck_assert_str_eq(why, "LINUX_ERR_NOT_BZIMAGE (no setup header, or a zImage)");
    /* Nothing of any refused load reached the VMM or the busy range. */
    assert_untouched(VMM_BASE, VMM_SIZE);
    assert_untouched(BUSY_BASE, BUSY_SIZE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linux_loader");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, the_table_tries_linux_after_multiboot);
    tcase_add_test(tc, loads_a_64bit_kernel);
    tcase_add_test(tc, loads_a_32bit_kernel_without_initrd);
    tcase_add_test(tc, refusals_are_named);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
