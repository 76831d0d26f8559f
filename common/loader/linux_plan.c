/*
 * common/loader/linux_plan.c - where the parts of a Linux load go in guest
 * RAM (pure; see linux.h). Chapter 12 explains each choice.
 */
#include "common/loader/linux.h"

#define PAGE 4096ull
/* The boot block starts no lower than this: the page at 0 holds the BIOS's
 * interrupt vectors and data area, which Linux reads. */
#define BOOT_BLOCK_MIN (64 * KIB)
/* Everything but the initrd stays below 4 GiB: cmd_line_ptr and the 32-bit
 * entry are 32-bit, and the identity tables cover 4 GiB. */
#define LOW_LIMIT (4 * GIB)

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
    return a < b + blen && b < a + alen;
}

/* The lowest align-aligned base >= min with [base, base + size) inside one
 * usable entry, ending at or below LOW_LIMIT, clear of avoid (a range of
 * avoid_len bytes; 0 = nothing to avoid). */
static bool lowest_fit(const struct linux_plan_input *in, u64 size, u64 align, u64 min,
                       u64 avoid, u64 avoid_len, u64 *out)
{
    bool found = false;
    for (size_t i = 0; i < in->usable_len; i++) {
        const struct phys_range *r = &in->usable[i];
        u64 end = r->base + r->length;
        if (r->type != 1 || end < r->base)
            continue;
        if (end > LOW_LIMIT)
            end = LOW_LIMIT;
        u64 cand = ALIGN_UP(r->base > min ? r->base : min, align);
        if (avoid_len && overlaps(cand, size, avoid, avoid_len))
            cand = ALIGN_UP(avoid + avoid_len, align);
        if (cand < end && size <= end - cand && (!found || cand < *out)) {
            *out = cand;
            found = true;
        }
    }
    return found;
}

static int place_kernel(const struct linux_image *img, const struct linux_plan_input *in,
                        struct linux_plan *out)
{
    u64 pref = img->pref_address;
    out->kernel_span = ALIGN_UP(img->init_size, PAGE);
    if (pref >= MIB && pref < LOW_LIMIT && out->kernel_span <= LOW_LIMIT - pref &&
        vmm_layout_is_ram(in->usable, in->usable_len, pref, out->kernel_span, NULL)) {
        out->kernel_addr = pref;
        return LINUX_OK;
    }
    if (img->relocatable &&
        lowest_fit(in, out->kernel_span, img->kernel_alignment, MIB, 0, 0, &out->kernel_addr))
        return LINUX_OK;
    return LINUX_ERR_NO_ROOM_KERNEL;
}

static int place_boot_block(const struct linux_plan_input *in, struct linux_plan *out)
{
    u64 cmdline_bytes = ALIGN_UP(in->cmdline_len + 1, PAGE);
    out->boot_size = 2 * PAGE + LINUX_PT_PAGES * PAGE + cmdline_bytes;
    if (!lowest_fit(in, out->boot_size, PAGE, BOOT_BLOCK_MIN, out->kernel_addr, out->kernel_span,
                    &out->boot_addr))
        return LINUX_ERR_NO_ROOM_BOOT;
    out->zero_page = out->boot_addr;
    out->gdt = out->boot_addr + PAGE;
    out->rsdp = out->gdt + LINUX_RSDP_OFFSET;
    out->page_tables = out->gdt + PAGE;
    out->cmdline = out->page_tables + LINUX_PT_PAGES * PAGE;
    return LINUX_OK;
}

static int place_initrd(const struct linux_image *img, const struct linux_plan_input *in,
                        struct linux_plan *out)
{
    const struct phys_range avoid[] = {
        { out->kernel_addr, out->kernel_span, 2 },
        { out->boot_addr, out->boot_size, 2 },
    };
    out->initrd_limit = (img->xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G)
                            ? ~0ull
                            : (u64)img->initrd_addr_max + 1;
    if (!in->initrd_size)
        return LINUX_OK;
    if (!vmm_layout_choose(in->usable, in->usable_len, avoid, ARRAY_SIZE(avoid),
                           ALIGN_UP(in->initrd_size, PAGE), PAGE, out->initrd_limit,
                           &out->initrd_addr))
        return LINUX_ERR_INITRD_TOO_BIG;
    return LINUX_OK;
}

int linux_plan(const struct linux_image *img, const struct linux_plan_input *in,
               struct linux_plan *out)
{
    memset(out, 0, sizeof(*out));
    if (in->cmdline_len > img->cmdline_size)
        return LINUX_ERR_CMDLINE_TOO_LONG;
    int err = place_kernel(img, in, out);
    if (!err)
        err = place_boot_block(in, out);
    if (!err)
        err = place_initrd(img, in, out);
    if (!err)
        out->entry = img->entry64 ? out->kernel_addr + LINUX_ENTRY64_OFFSET : out->kernel_addr;
    return err;
}
