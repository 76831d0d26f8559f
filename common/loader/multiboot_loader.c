/*
 * common/loader/multiboot_loader.c - the two Multiboot loaders (pure; see
 * multiboot_loader.h and, for the protocol itself, multiboot.h).
 */
#include "common/loader/multiboot_loader.h"
#include "common/lib/format.h"
#include "common/loader/multiboot.h"
#include "common/vm/vcpu_state.h"

static int refuse(int err, char *why, size_t wlen)
{
    ksnprintf(why, wlen, "%s", multiboot_error_name(err));
    return err;
}

static int probe_v1(const u8 *image, size_t len, char *why, size_t wlen)
{
    struct multiboot_image hdr;
    int err = multiboot_probe_version(image, len, MULTIBOOT_V1, &hdr);
    if (!err && multiboot_probe_version(image, len, MULTIBOOT_V2, &hdr) == MULTIBOOT_OK)
        err = MULTIBOOT_ERR_V2_PREFERRED; /* it gets more through Multiboot2 (RSDP, ...) */
    return err ? refuse(err, why, wlen) : 0;
}

static int probe_v2(const u8 *image, size_t len, char *why, size_t wlen)
{
    struct multiboot_image hdr;
    int err = multiboot_probe_version(image, len, MULTIBOOT_V2, &hdr);
    return err ? refuse(err, why, wlen) : 0;
}

/* Copy each segment of the plan; the plan was made against the same map. */
static bool place_segments(const struct multiboot_plan *plan, const u8 *image,
                           const struct guest_memory *mem)
{
    for (u32 i = 0; i < plan->segment_count; i++) {
        const struct multiboot_segment *s = &plan->segments[i];
        if (!guest_memory_write(mem, s->dest, image + s->file_offset, s->file_size) ||
            !guest_memory_zero(mem, s->dest + s->file_size, s->mem_size - s->file_size))
            return false;
    }
    return true;
}

/* The further modules, each on a 4 KiB boundary from cursor on (every
 * kernel may rely on that, whether or not it asked). Returns the end. */
static int place_modules(const struct loader_request *req, const struct guest_memory *mem,
                         u64 cursor, struct multiboot_module *mods,
                         char names[][LOADER_MODULE_NAME_SIZE], u64 *end, char *why, size_t wlen)
{
    for (u32 i = 0; i < req->module_count; i++) {
        const struct loader_module *m = &req->modules[i];
        cursor = ALIGN_UP(cursor, 4096);
        if (!guest_memory_write(mem, cursor, m->bytes, m->len)) {
            ksnprintf(why, wlen, "no guest RAM for module %u (%llu bytes at 0x%llx)", i + 1,
                      (unsigned long long)m->len, (unsigned long long)cursor);
            return -1;
        }
        loader_module_name(i + 1, names[i]);
        mods[i] = (struct multiboot_module){ cursor, cursor + m->len, m->cmdline, names[i] };
        cursor += m->len;
    }
    *end = cursor;
    return 0;
}

static int load(enum multiboot_version v, const struct loader_request *req,
                const struct guest_memory *mem, struct loader_result *out, char *why, size_t wlen)
{
    const struct loader_module *k = &req->kernel;
    struct multiboot_image hdr;
    struct multiboot_plan plan = { 0 };
    struct multiboot_module mods[LOADER_MAX_MODULES];
    char names[LOADER_MAX_MODULES][LOADER_MODULE_NAME_SIZE];
    u64 cursor;

    int err = multiboot_probe_version(k->bytes, k->len, v, &hdr);
    if (!err)
        err = multiboot_plan(k->bytes, k->len, &hdr, mem->map, mem->map_len, &plan);
    if (err) {
        ksnprintf(why, wlen, "cannot load the guest kernel: %s (address 0x%llx)",
                  multiboot_error_name(err), (unsigned long long)plan.error_addr);
        return err;
    }
    if (req->module_count > LOADER_MAX_MODULES) {
        ksnprintf(why, wlen, "%u modules; at most %u can be handed over", req->module_count,
                  LOADER_MAX_MODULES);
        return MULTIBOOT_ERR_ARG;
    }
    if (!place_segments(&plan, k->bytes, mem)) {
        ksnprintf(why, wlen, "no guest RAM for the kernel at [0x%llx, 0x%llx)",
                  (unsigned long long)plan.load_base, (unsigned long long)plan.load_end);
        return MULTIBOOT_ERR_NOT_IN_RAM;
    }
    if (place_modules(req, mem, plan.load_end, mods, names, &cursor, why, wlen))
        return MULTIBOOT_ERR_NOT_IN_RAM;

    /* The boot information after the modules: measure, check, build. */
    u64 info_gpa = ALIGN_UP(cursor, 4096);
    struct multiboot_info_input in = {
        .cmdline = k->cmdline,
        .image_name = LOADER_KERNEL_NAME,
        .loader_name = req->loader_name,
        .mmap = mem->map,
        .mmap_count = (u32)mem->map_len,
        .modules = req->module_count ? mods : NULL,
        .module_count = req->module_count,
        .rsdp_old = req->rsdp_old,
        .rsdp_old_len = req->rsdp_old_len,
        .rsdp_new = req->rsdp_new,
        .rsdp_new_len = req->rsdp_new_len,
    };
    size_t used = 0;
    multiboot_build_info(v, &in, info_gpa, NULL, 0, &used);
    u8 *info = used ? guest_memory_span(mem, info_gpa, used) : NULL;
    if (!info) {
        ksnprintf(why, wlen, "no guest RAM for the boot information at 0x%llx",
                  (unsigned long long)info_gpa);
        return MULTIBOOT_ERR_NOT_IN_RAM;
    }
    err = multiboot_build_info(v, &in, info_gpa, info, used, &used);
    if (err) {
        ksnprintf(why, wlen, "cannot build the guest's boot information: %s",
                  multiboot_error_name(err));
        return err;
    }

    vcpu_state_protected32(&out->state, plan.entry);
    out->state.gprs.rax = multiboot_boot_magic(v);
    out->state.gprs.rbx = info_gpa;
    ksnprintf(out->summary, sizeof(out->summary),
              "multiboot%s kernel, %u segment(s) at [0x%llx, 0x%llx), entry 0x%x",
              v == MULTIBOOT_V2 ? "2" : "", plan.segment_count, (unsigned long long)plan.load_base,
              (unsigned long long)plan.load_end, plan.entry);
    return 0;
}

static int load_v1(const struct loader_request *req, const struct guest_memory *mem,
                   struct loader_result *out, char *why, size_t wlen)
{
    return load(MULTIBOOT_V1, req, mem, out, why, wlen);
}

static int load_v2(const struct loader_request *req, const struct guest_memory *mem,
                   struct loader_result *out, char *why, size_t wlen)
{
    return load(MULTIBOOT_V2, req, mem, out, why, wlen);
}

const struct guest_loader multiboot1_loader = {
    .name = "multiboot",
    .kind = "a multiboot kernel",
    .probe = probe_v1,
    .load = load_v1,
};

const struct guest_loader multiboot2_loader = {
    .name = "multiboot2",
    .kind = "a multiboot2 kernel",
    .probe = probe_v2,
    .load = load_v2,
};
