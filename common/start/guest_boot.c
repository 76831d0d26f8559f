/*
 * common/start/guest_boot.c - from a GRUB module to a running guest (chapter 12).
 *
 * The order of things, one job per step and one file per job: the guest's
 * memory map (here), loading (guest_load.c, with the loaders of
 * common/loader), the nested map (nested_map.c), the devices bookvisor
 * watches (guest_devices.c), the vCPU with the intercept policy
 * (common/exits/intercepts.c), then the run and the report (guest_report.c).
 */
#include "common/start/guest_boot.h"
#include "common/base/kprintf.h"
#include "common/base/options.h"
#include "common/base/panic.h"
#include "common/exits/bios_int15.h"
#include "common/exits/cpu_features.h"
#include "common/exits/intercepts.h"
#include "common/platform/test_mmio_page.h"
#include "common/start/guest_devices.h"
#include "common/start/guest_load.h"
#include "common/start/guest_report.h"
#include "common/start/nested_map.h"
#include "common/start/smp_guest_start.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vcpu_selftest.h"

#define GUEST_MAP_MAX 160

static struct phys_range guest_map[GUEST_MAP_MAX];
static size_t guest_map_len;

void guest_boot_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("bookvisor: cannot start the guest: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    machine_stop(MACHINE_STATUS_FAILURE);
}

/* The firmware's map with bookvisor's region reserved, the MMIO test page
 * too when it is hooked (a device now, not RAM), and the KiB of the BIOS
 * INT 15h stub (common/exits/bios_int15.h). */
static void build_guest_map(const struct guest_boot_params *p, const struct phys_range *bios_stub)
{
    const struct phys_range holes[] = {
        { p->vmm_base, p->vmm_size, 2 },
        { TEST_MMIO_PAGE_GPA, vmm_options.test_mmio_page ? 4096 : 0, 2 },
        *bios_stub,
    };
    size_t n = vmm_layout_cut_holes(p->firmware_map, p->firmware_map_len, holes, ARRAY_SIZE(holes),
                                    guest_map, GUEST_MAP_MAX);
    if (n > GUEST_MAP_MAX)
        guest_boot_fail("memory map too long (%zu entries)", n);
    guest_map_len = n;
}

void guest_boot(const struct guest_boot_params *p)
{
    bool bios_boot = vmm_options.boot_drive != OPT_BOOT_NONE;
    if (guest_load_kernel_index(p->info) < 0 && !bios_boot) {
        kprintf("bookvisor: no guest module was given (add a module2 line in GRUB, or boot= "
                "for BIOS chain boot); no guest is started\n");
        machine_stop(MACHINE_STATUS_OK);
    }
    if (bios_boot && guest_load_kernel_index(p->info) >= 0)
        guest_boot_fail("boot=0x%llx asks for BIOS chain boot, but a guest module was given too: "
                        "choose one", (unsigned long long)vmm_options.boot_drive);
    if (bios_boot && vmm_options.boot_drive > 0xFF)
        guest_boot_fail("boot=0x%llx is no BIOS drive number (0x00-0xff; 0x80 is the first hard disk)",
                        (unsigned long long)vmm_options.boot_drive);
    /* The VM and its first vCPU: nothing here is a global (chapter 01, "Many CPUs"). */
    struct guest_vm *vm = guest_vm_create(p->backend);
    struct vcpu *vcpu0 = guest_vm_add_vcpu(vm);
    vm->vmm_base = p->vmm_base;
    vm->vmm_size = p->vmm_size;
    /* What CPUID must not announce because the backend cannot give it (chapter 15). */
    if (p->backend->cpuid_hidden)
        p->backend->cpuid_hidden(&vm->cpuid_hide);
    /* What the guest's control-register writes may set: before any vCPU (VT-x's masks read it). */
    cpu_features_read(true, &vm->cr_features);

    struct phys_range bios_stub;
    bios_int15_plan(&bios_stub);
    build_guest_map(p, &bios_stub);
    vm->memory_map = guest_map;
    vm->memory_map_len = guest_map_len;
    struct vcpu_init_state st;
    if (bios_boot) {
        vm->bios_boot_drive = (u8)vmm_options.boot_drive;
        guest_load_bios(p, guest_map, guest_map_len, vm->bios_boot_drive, &st);
    } else {
        guest_load(p, guest_map, guest_map_len, &st);
    }
    bios_int15_install(vm, &bios_stub);
    nested_map_build(vm, p->backend, guest_map, guest_map_len);
    guest_devices_start(vm);

    if (p->backend->enable_cpu() != 0)
        guest_boot_fail("the %s backend could not enable virtualization on this CPU", p->backend->name);
    if (p->backend->vcpu_init(vcpu0, &st) != 0)
        guest_boot_fail("the %s backend could not create the vCPU", p->backend->name);
    p->backend->set_nested_root(vcpu0, vm->map.root_pa);
    char why[128];
    if (intercepts_apply(vcpu0, p->cpu, why, sizeof(why)) != 0)
        guest_boot_fail("%s", why);
    if (vmm_options.test_vcpus)
        vcpu_selftest_run(vm, &st, vmm_options.test_vcpus);
    if (vmm_options.test_no_fast_path) /* a work bit never cleared: every exit through C */
        vcpu_request_work(vcpu0, VCPU_WORK_NO_FAST_PATH);
    smp_guest_start_init(vm, p->cpu); /* the guest's INIT and SIPIs start the other processors */
    vmm_canary_fill();
    kprintf("bookvisor: starting the guest\n");
    guest_run_and_report(vcpu0);
}
