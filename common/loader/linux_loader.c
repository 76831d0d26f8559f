/*
 * common/loader/linux_loader.c - the Linux boot protocol loader (pure; see
 * linux_loader.h, and linux.h for its parts).
 */
#include "common/loader/linux_loader.h"
#include "common/lib/format.h"
#include "common/loader/linux.h"
#include "common/vm/vcpu_state.h"

/* Room for the guest's map with the busy ranges cut out of it. */
#define USABLE_MAX 192

static int probe(const u8 *image, size_t len, char *why, size_t wlen)
{
    struct linux_image img;
    if (linux_probe(image, len, &img) == LINUX_ERR_NOT_BZIMAGE) {
        ksnprintf(why, wlen, "LINUX_ERR_NOT_BZIMAGE (no setup header, or a zImage)");
        return LINUX_ERR_NOT_BZIMAGE;
    }
    return 0; /* an old or truncated bzImage is still Linux's: load() says what is wrong */
}

static int refuse_image(int err, const struct linux_image *img, size_t len, char *why, size_t wlen)
{
    if (err == LINUX_ERR_TOO_OLD)
        ksnprintf(why, wlen, "%s: Linux boot protocol %u.%02u is too old; bookvisor needs %u.%02u or later",
                  linux_error_name(err), img->version >> 8, img->version & 0xFF,
                  LINUX_MIN_VERSION >> 8, LINUX_MIN_VERSION & 0xFF);
    else if (err == LINUX_ERR_TRUNCATED)
        ksnprintf(why, wlen, "%s: the bzImage is truncated: its setup header implies %llu bytes, the module has %zu",
                  linux_error_name(err), (unsigned long long)img->found_len, len);
    else
        ksnprintf(why, wlen, "%s: not a bzImage", linux_error_name(err));
    return err;
}

static int refuse_plan(int err, const struct linux_image *img, const struct linux_plan *plan,
                       const struct linux_plan_input *in, char *why, size_t wlen)
{
    const char *name = linux_error_name(err);
    switch (err) {
    case LINUX_ERR_CMDLINE_TOO_LONG:
        ksnprintf(why, wlen, "%s: the command line has %llu bytes; this kernel takes at most %u",
                  name, (unsigned long long)in->cmdline_len, img->cmdline_size);
        break;
    case LINUX_ERR_INITRD_TOO_BIG:
        ksnprintf(why, wlen, "%s: no room for the initrd (%llu bytes) in guest RAM below 0x%llx",
                  name, (unsigned long long)in->initrd_size, (unsigned long long)plan->initrd_limit);
        break;
    case LINUX_ERR_NO_ROOM_KERNEL:
        ksnprintf(why, wlen, "%s: no guest RAM for the kernel's %llu bytes (%s at 0x%llx)", name,
                  (unsigned long long)img->init_size,
                  img->relocatable ? "preferred" : "fixed", (unsigned long long)img->pref_address);
        break;
    default:
        ksnprintf(why, wlen, "%s: no guest RAM for the zero page and command line", name);
        break;
    }
    return err;
}

/* The zero page, the GDT, the RSDP copy, the page tables and the command
 * line, in the boot block the plan chose. */
static int write_boot_block(const struct loader_request *req, const struct guest_memory *mem,
                            const struct linux_image *img, const struct linux_plan *plan,
                            const char *cmdline, size_t cmdline_len, char *why, size_t wlen)
{
    u8 *b = guest_memory_span(mem, plan->boot_addr, plan->boot_size);
    if (!b) {
        ksnprintf(why, wlen, "%s: the boot block at 0x%llx is not guest RAM",
                  linux_error_name(LINUX_ERR_NO_ROOM_BOOT), (unsigned long long)plan->boot_addr);
        return LINUX_ERR_NO_ROOM_BOOT;
    }
    memset(b, 0, plan->boot_size);
    u8 *bp = b, *gdt = b + (plan->gdt - plan->boot_addr);

    const u8 *rsdp = req->rsdp_new ? req->rsdp_new : req->rsdp_old;
    u32 rsdp_len = req->rsdp_new ? req->rsdp_new_len : req->rsdp_old_len;
    if (rsdp_len > 4096 - LINUX_RSDP_OFFSET)
        rsdp = NULL;
    if (rsdp)
        memcpy(b + (plan->rsdp - plan->boot_addr), rsdp, rsdp_len);
    const struct linux_boot_facts facts = {
        .kernel_addr = plan->kernel_addr,
        .cmdline = plan->cmdline,
        .initrd_addr = plan->initrd_addr,
        .initrd_size = req->module_count ? req->modules[0].len : 0,
        .rsdp = rsdp ? plan->rsdp : 0,
    };
    linux_fill_boot_params(bp, req->kernel.bytes, img, &facts);
    u32 entries = 0;
    int err = linux_build_e820(mem->map, mem->map_len, bp + LINUX_BP_E820_TABLE, &entries);
    if (err) {
        ksnprintf(why, wlen, "%s: the memory map has more than %u entries", linux_error_name(err),
                  LINUX_E820_MAX);
        return err;
    }
    bp[LINUX_BP_E820_ENTRIES] = (u8)entries;
    linux_build_gdt(gdt, img->entry64);
    linux_build_identity_tables(b + (plan->page_tables - plan->boot_addr), plan->page_tables);
    memcpy(b + (plan->cmdline - plan->boot_addr), cmdline, cmdline_len);
    return 0;
}

/* The protocol's start: flat __BOOT_CS and __BOOT_DS from our GDT, RSI = the zero page. */
static void start_state(const struct linux_image *img, const struct linux_plan *plan,
                        struct vcpu_init_state *s)
{
    if (img->entry64)
        vcpu_state_long64(s, plan->entry, plan->page_tables);
    else
        vcpu_state_protected32(s, (u32)plan->entry);
    s->cs.selector = LINUX_BOOT_CS;
    s->ds.selector = s->es.selector = s->ss.selector = LINUX_BOOT_DS;
    s->fs.selector = s->gs.selector = LINUX_BOOT_DS;
    s->gdtr = (struct vcpu_dtr){ plan->gdt, LINUX_GDT_SIZE - 1 };
    s->gprs.rsi = plan->zero_page;
}

static int load(const struct loader_request *req, const struct guest_memory *mem,
                struct loader_result *out, char *why, size_t wlen)
{
    const struct loader_module *k = &req->kernel;
    struct linux_image img;
    int err = linux_probe(k->bytes, k->len, &img);
    if (err)
        return refuse_image(err, &img, k->len, why, wlen);
    if (req->module_count > 1) {
        ksnprintf(why, wlen, "%s: %u modules after the kernel; Linux takes one, the initrd",
                  linux_error_name(LINUX_ERR_TOO_MANY_MODULES), req->module_count);
        return LINUX_ERR_TOO_MANY_MODULES;
    }

    /* Plan in the RAM the loader may write: the guest's, minus the busy ranges. */
    static struct phys_range usable[USABLE_MAX];
    size_t n = vmm_layout_cut_holes(mem->map, mem->map_len, mem->busy, mem->busy_len, usable,
                                    USABLE_MAX);
    if (n > USABLE_MAX)
        n = USABLE_MAX; /* the rest is only less room */
    const char *cmdline = k->cmdline ? k->cmdline : "";
    size_t cmdline_len = strlen(cmdline);
    const struct linux_plan_input in = {
        .usable = usable,
        .usable_len = n,
        .initrd_size = req->module_count ? req->modules[0].len : 0,
        .cmdline_len = cmdline_len,
    };
    struct linux_plan plan;
    err = linux_plan(&img, &in, &plan);
    if (err)
        return refuse_plan(err, &img, &plan, &in, why, wlen);

    if (!guest_memory_write(mem, plan.kernel_addr, k->bytes + img.kernel_offset, img.kernel_size)) {
        ksnprintf(why, wlen, "%s: no guest RAM for the kernel at 0x%llx",
                  linux_error_name(LINUX_ERR_NO_ROOM_KERNEL), (unsigned long long)plan.kernel_addr);
        return LINUX_ERR_NO_ROOM_KERNEL;
    }
    if (in.initrd_size &&
        !guest_memory_write(mem, plan.initrd_addr, req->modules[0].bytes, in.initrd_size)) {
        ksnprintf(why, wlen, "%s: no guest RAM for the initrd at 0x%llx",
                  linux_error_name(LINUX_ERR_INITRD_TOO_BIG), (unsigned long long)plan.initrd_addr);
        return LINUX_ERR_INITRD_TOO_BIG;
    }
    err = write_boot_block(req, mem, &img, &plan, cmdline, cmdline_len, why, wlen);
    if (err)
        return err;
    start_state(&img, &plan, &out->state);
    ksnprintf(out->summary, sizeof(out->summary),
              "Linux bzImage, boot protocol %u.%02u, kernel at 0x%llx (+0x%llx), initrd at 0x%llx (%llu bytes), zero page 0x%llx, %s entry 0x%llx",
              img.version >> 8, img.version & 0xFF, (unsigned long long)plan.kernel_addr,
              (unsigned long long)plan.kernel_span, (unsigned long long)plan.initrd_addr,
              (unsigned long long)in.initrd_size, (unsigned long long)plan.zero_page,
              img.entry64 ? "64-bit" : "32-bit", (unsigned long long)plan.entry);
    return 0;
}

const struct guest_loader linux_loader = {
    .name = "linux",
    .kind = "a Linux bzImage",
    .probe = probe,
    .load = load,
};
