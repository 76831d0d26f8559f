/*
 * Fuzz target for the Linux boot protocol loader's pure steps
 * (common/loader/linux_probe.c, linux_plan.c, linux_boot_params.c;
 * chapter 12): any bytes, as a bzImage. linux_probe() reads them; what it
 * accepts is planned in two fixed guest maps (a 128 MiB machine with
 * bookvisor's 16 MiB region reserved at 46 MiB, and a 6 MiB one with too
 * little room) with three initrd and command-line sizes each, and the zero
 * page is filled from it. Invariants, checked with abort():
 *  - an accepted image describes only bytes of the input: the setup header
 *    and the protected-mode kernel end within it (AddressSanitizer also
 *    catches any read past the input, the zero page's header copy included);
 *  - every refusal, of the probe or of the plan, has a name;
 *  - a plan places the kernel's whole span, the boot block and the initrd
 *    in available RAM of the map, never over bookvisor's region, never over
 *    each other; the boot block's parts are inside it; the initrd ends at or
 *    below its limit; the entry is the load address (+ 0x200 for 64 bits).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/loader/linux.h"

#define VMM_BASE (46 * MIB)
#define VMM_SIZE (16 * MIB)

/* What the firmware reports for the big machine; bookvisor's region is cut
 * out of it at run time, as guest_load() does. */
static const struct phys_range firmware_big[] = {
    { 0, 0x9FC00, 1 },
    { 0x9FC00, 0x400, 2 },
    { 0xF0000, 0x10000, 2 },
    { MIB, 127 * MIB, 1 },
    { 0xFEC00000, 0x1000, 2 },
};

static const struct phys_range firmware_small[] = {
    { 0, 0x9FC00, 1 },
    { MIB, 5 * MIB, 1 },
};

static const struct phys_range vmm_region = { VMM_BASE, VMM_SIZE, 2 };

#define MAP_MAX 16

/* Is [base, base + len) inside one available entry of the firmware map, and
 * clear of bookvisor's region? Checked against the firmware's own map, not
 * the cut one the plan used, so a mistake in the cutting shows too. */
static bool in_ram(const struct phys_range *fw, size_t n, u64 base, u64 len)
{
    if (!len || base + len < base)
        return false;
    if (base < VMM_BASE + VMM_SIZE && VMM_BASE < base + len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (fw[i].type == 1 && base >= fw[i].base && base + len <= fw[i].base + fw[i].length)
            return true;
    return false;
}

static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

static void check_named(int err)
{
    if (strcmp(linux_error_name(err), "LINUX_ERR_?") == 0)
        abort();
}

static void check_plan(const struct linux_image *img, const struct phys_range *fw, size_t nfw,
                       const struct linux_plan_input *in, const struct linux_plan *p)
{
    if (!in_ram(fw, nfw, p->kernel_addr, p->kernel_span) || p->kernel_span < img->kernel_size ||
        p->kernel_span < img->init_size)
        abort();
    if (!in_ram(fw, nfw, p->boot_addr, p->boot_size) || p->zero_page != p->boot_addr)
        abort();
    u64 boot_end = p->boot_addr + p->boot_size;
    if (p->gdt < p->boot_addr || p->gdt + LINUX_GDT_SIZE > boot_end ||
        p->rsdp != p->gdt + LINUX_RSDP_OFFSET ||
        p->page_tables < p->boot_addr || p->page_tables + LINUX_PT_PAGES * 4096ull > boot_end ||
        p->cmdline < p->boot_addr || p->cmdline + in->cmdline_len + 1 > boot_end)
        abort();
    if (overlap(p->kernel_addr, p->kernel_span, p->boot_addr, p->boot_size))
        abort();
    if (in->initrd_size) {
        if (!in_ram(fw, nfw, p->initrd_addr, in->initrd_size) ||
            p->initrd_addr + in->initrd_size - 1 > p->initrd_limit ||
            overlap(p->initrd_addr, in->initrd_size, p->kernel_addr, p->kernel_span) ||
            overlap(p->initrd_addr, in->initrd_size, p->boot_addr, p->boot_size))
            abort();
    }
    if (in->cmdline_len > img->cmdline_size)
        abort(); /* should have been LINUX_ERR_CMDLINE_TOO_LONG */
    if (p->entry != p->kernel_addr + (img->entry64 ? 0x200 : 0))
        abort();
    if (p->kernel_addr + p->kernel_span > 0x100000000ull)
        abort(); /* the 32-bit entry and the identity tables need it below 4 GiB */
}

static void plan_in(const struct linux_image *img, const struct phys_range *fw, size_t nfw)
{
    static const u64 initrd_sizes[] = { 0, 9728, 40 * MIB };
    static const u64 cmdline_lens[] = { 0, 30, 3000 };
    struct phys_range map[MAP_MAX];
    size_t n = vmm_layout_cut_holes(fw, nfw, &vmm_region, 1, map, MAP_MAX);
    if (n > MAP_MAX)
        abort();
    for (size_t i = 0; i < 3; i++) {
        const struct linux_plan_input in = {
            .usable = map,
            .usable_len = n,
            .initrd_size = initrd_sizes[i],
            .cmdline_len = cmdline_lens[i],
        };
        struct linux_plan p;
        memset(&p, 0xA5, sizeof(p));
        int err = linux_plan(img, &in, &p);
        check_named(err);
        if (err == LINUX_OK)
            check_plan(img, fw, nfw, &in, &p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct linux_image img;
    int err = linux_probe(data, size, &img);
    check_named(err);
    if (err != LINUX_OK)
        return 0;
    if (img.header_end > size || img.header_end < LINUX_HDR_START ||
        img.kernel_offset > size || img.kernel_size > size - img.kernel_offset ||
        img.setup_sects == 0 || img.kernel_alignment < 4096 ||
        (img.kernel_alignment & (img.kernel_alignment - 1)) != 0 ||
        img.init_size < img.kernel_size || img.version < LINUX_MIN_VERSION)
        abort();

    plan_in(&img, firmware_big, sizeof(firmware_big) / sizeof(firmware_big[0]));
    plan_in(&img, firmware_small, sizeof(firmware_small) / sizeof(firmware_small[0]));

    static u8 zero_page[LINUX_BP_SIZE];
    memset(zero_page, 0, sizeof(zero_page));
    const struct linux_boot_facts facts = { 16 * MIB, 0x11000, 0x7000000, 9728, 0x10040 };
    linux_fill_boot_params(zero_page, data, &img, &facts);
    if (img.header_end >= LINUX_HDR_MAGIC + 4 &&
        linux_rd32(zero_page + LINUX_HDR_MAGIC) != LINUX_HDRS_MAGIC)
        abort(); /* the header copied is the one the probe accepted */
    return 0;
}
