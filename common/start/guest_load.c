/*
 * common/start/guest_load.c - the VMM's side of loading the guest: find
 * the kernel among GRUB's modules, give the loaders guest RAM through the
 * direct map, and report (chapter 12). The loaders themselves are pure
 * (common/loader).
 */
#include "common/start/guest_load.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/base/options_module.h"
#include "common/lib/format.h"
#include "common/lib/version.h"
#include "common/loader/bios_boot.h"
#include "common/loader/loaders.h"
#include "common/vm/backend.h"

int guest_load_kernel_index(const struct boot_info *info)
{
    for (u32 i = 0; i < info->module_count; i++)
        if (!options_module_is(info->modules[i].cmdline))
            return (int)i;
    return -1;
}

/* Guest RAM is identity-mapped in bookvisor's direct map (chapter 01); the
 * loader's checks have already confined gpa to RAM of the guest's map. */
static u8 *direct_map(void *ctx, u64 gpa, size_t len)
{
    (void)ctx;
    (void)len;
    return phys_to_virt(gpa);
}

static struct loader_module module_of(const struct boot_module *m)
{
    return (struct loader_module){ phys_to_virt(m->start), m->end - m->start, m->cmdline };
}

void guest_load(const struct guest_boot_params *p, const struct phys_range *map, size_t n,
                struct vcpu_init_state *st)
{
    const struct boot_info *info = p->info;
    int k = guest_load_kernel_index(info);
    struct loader_request req = { .kernel = module_of(&info->modules[k]) };
    char why[320];

    const struct guest_loader *loader =
        loader_choose(guest_loaders, guest_loader_count, req.kernel.bytes, req.kernel.len, why,
                      sizeof(why));
    if (!loader)
        guest_boot_fail("module %d (%zu bytes) %s", k, req.kernel.len, why);

    /* The modules after the kernel's, configuration modules left out. */
    static struct loader_module mods[LOADER_MAX_MODULES];
    for (u32 i = (u32)k + 1; i < info->module_count && req.module_count < LOADER_MAX_MODULES; i++)
        if (!options_module_is(info->modules[i].cmdline))
            mods[req.module_count++] = module_of(&info->modules[i]);
    req.modules = mods;

    /* Who loaded the guest, and on what: a guest may want to know. */
    char name[64];
    ksnprintf(name, sizeof(name), "bookvisor %s on %s", BOOKVISOR_VERSION_STRING,
              p->backend->hardware);
    req.loader_name = name;
    req.rsdp_old = info->rsdp_old;
    req.rsdp_old_len = (u32)info->rsdp_old_len;
    req.rsdp_new = info->rsdp_new;
    req.rsdp_new_len = (u32)info->rsdp_new_len;

    /* The staged modules are guest RAM, but the loader must not write over
     * them while it copies from them. */
    const struct guest_memory mem = {
        .map = map, .map_len = n, .host_ptr = direct_map, .busy = &p->staged, .busy_len = 1,
    };
    static struct loader_result res;
    if (loader->load(&req, &mem, &res, why, sizeof(why)))
        guest_boot_fail("%s", why);
    kprintf("bookvisor: guest: %s\n", res.summary);
    *st = res.state;
}

void guest_load_bios(const struct guest_boot_params *p, const struct phys_range *map, size_t n,
                     u8 drive, struct vcpu_init_state *st)
{
    const struct guest_memory mem = { .map = map, .map_len = n, .host_ptr = direct_map };
    static struct loader_result res;
    char why[160];
    if (bios_boot_load(drive, p->backend->uses_vmmcall, &mem, &res, why, sizeof(why)))
        guest_boot_fail("%s", why);
    kprintf("bookvisor: guest: %s\n", res.summary);
    *st = res.state;
}
