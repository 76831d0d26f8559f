/*
 * common/start/guest_boot.c - from a GRUB module to a running guest (chapter 12).
 *
 * bookvisor is a multiboot loader for its guest: it loads the first module
 * exactly as the Multiboot (v1) or Multiboot2 specification says, gives it
 * a memory map without the VMM's region, builds the nested page tables and
 * starts vCPU 0 in 32-bit protected mode with paging off.
 */
#include "common/start/guest_boot.h"
#include "common/base/acpi_power.h"
#include "arch/x86/cpu.h"
#include "common/npt/mtrr_read.h"
#include "common/platform/power_guard.h"
#include "common/vm/backend.h"
#include "common/base/options_module.h"
#include "common/platform/test_mmio_page.h"
#include "drivers/drivers.h"
#include "pci/pci.h"
#include "common/loader/multiboot.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vcpu_selftest.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "common/base/panic.h"
#include "arch/x86/phys.h"

#define GUEST_MAP_MAX 160
#define TABLE_POOL_ORDER 10 /* 4 MiB of nested-table pages */

/* The VM and its first vCPU, made by guest_vm_create() and guest_vm_add_vcpu()
 * in guest_boot(); the code below keeps the names of the objects they were. */
static struct guest_vm *vm_object;
static struct vcpu *vcpu0_object;
#define vm (*vm_object)
#define vcpu0 (*vcpu0_object)
static struct phys_range guest_map[GUEST_MAP_MAX];
static struct guest_mem_region guest_regions[GUEST_MAP_MAX];
static size_t guest_map_len;

__attribute__((noreturn)) static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("bookvisor: cannot start the guest: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    machine_stop(MACHINE_STATUS_FAILURE);
}

static bool range_in_guest_ram(u64 base, u64 len)
{
    for (size_t i = 0; i < guest_map_len; i++)
        if (guest_map[i].type == 1 && base >= guest_map[i].base &&
            base + len <= guest_map[i].base + guest_map[i].length)
            return true;
    return false;
}

static void build_guest_map(const struct guest_boot_params *p)
{
    size_t n = vmm_layout_guest_map(p->firmware_map, p->firmware_map_len, p->vmm_base,
                                    p->vmm_size, guest_map, GUEST_MAP_MAX);
    if (n > GUEST_MAP_MAX)
        fail("memory map too long (%zu entries)", n);
    guest_map_len = n;
    if (vmm_options.test_mmio_page) {
        /* The hooked test page is a device now, not RAM: cut it out of the map. */
        static struct phys_range tmp[GUEST_MAP_MAX];
        memcpy(tmp, guest_map, n * sizeof(tmp[0]));
        n = vmm_layout_guest_map(tmp, n, TEST_MMIO_PAGE_GPA, 4096, guest_map, GUEST_MAP_MAX);
        if (n > GUEST_MAP_MAX)
            fail("memory map too long (%zu entries)", n);
        guest_map_len = n;
    }
    for (size_t i = 0; i < n; i++) {
        guest_regions[i].base = guest_map[i].base;
        guest_regions[i].length = guest_map[i].length;
        guest_regions[i].type = guest_map[i].type;
    }
}

/* The guest kernel: the first module that is not a configuration module
 * (those hold bookvisor's options, common/base/options_module.h). -1 if none. */
static int guest_kernel_index(const struct boot_info *info)
{
    for (u32 i = 0; i < info->module_count; i++)
        if (!options_module_is(info->modules[i].cmdline))
            return (int)i;
    return -1;
}

/* Copy the modules after the kernel's, configuration modules left out, after
 * the kernel; they become the guest's modules. */
static u64 place_modules(const struct boot_info *info, u64 cursor, struct multiboot_module *mods,
                         u32 *count)
{
    *count = 0;
    for (u32 i = (u32)guest_kernel_index(info) + 1;
         i < info->module_count && *count < BOOT_INFO_MAX_MODULES; i++) {
        if (options_module_is(info->modules[i].cmdline))
            continue;
        u64 len = info->modules[i].end - info->modules[i].start;
        cursor = ALIGN_UP(cursor, 4096);
        if (!range_in_guest_ram(cursor, len))
            fail("no guest RAM for module %u (%llu bytes at 0x%llx)", i,
                 (unsigned long long)len, (unsigned long long)cursor);
        memcpy(phys_to_virt(cursor), phys_to_virt(info->modules[i].start), len);
        mods[*count].start = cursor;
        mods[*count].end = cursor + len;
        mods[*count].cmdline = info->modules[i].cmdline;
        (*count)++;
        cursor += len;
    }
    return cursor;
}

static u64 load_kernel(const struct guest_boot_params *p, enum multiboot_version *version)
{
    const struct boot_module *m = &p->info->modules[guest_kernel_index(p->info)];
    const u8 *image = phys_to_virt(m->start);
    size_t len = m->end - m->start;
    struct multiboot_image hdr;
    struct multiboot_plan plan;

    int err = multiboot_probe(image, len, &hdr);
    if (err)
        fail("module 0 (%zu bytes) is not a multiboot kernel: %s", len, multiboot_error_name(err));
    err = multiboot_plan(image, len, &hdr, guest_regions, guest_map_len, &plan);
    if (err)
        fail("cannot load the guest kernel: %s (address 0x%llx)", multiboot_error_name(err),
             (unsigned long long)plan.error_addr);
    for (u32 i = 0; i < plan.segment_count; i++) {
        const struct multiboot_segment *s = &plan.segments[i];
        u8 *dst = phys_to_virt(s->dest);
        memcpy(dst, image + s->file_offset, s->file_size);
        memset(dst + s->file_size, 0, s->mem_size - s->file_size);
    }
    *version = hdr.version;
    kprintf("bookvisor: guest: multiboot%s kernel, %u segment(s) at [0x%llx, 0x%llx), entry 0x%x\n",
            hdr.version == MULTIBOOT_V2 ? "2" : "", plan.segment_count,
            (unsigned long long)plan.load_base, (unsigned long long)plan.load_end, plan.entry);

    /* Modules, then the boot information, after the kernel. */
    struct multiboot_module mods[BOOT_INFO_MAX_MODULES];
    u32 nmods;
    u64 cursor = place_modules(p->info, plan.load_end, mods, &nmods);
    u64 info_gpa = ALIGN_UP(cursor, 4096);
    struct multiboot_info_input in = {
        .cmdline = m->cmdline,
        .loader_name = "bookvisor",
        .mmap = guest_regions,
        .mmap_count = (u32)guest_map_len,
        .modules = nmods ? mods : NULL,
        .module_count = nmods,
        .rsdp_old = p->info->rsdp_old,
        .rsdp_old_len = (u32)p->info->rsdp_old_len,
        .rsdp_new = p->info->rsdp_new,
        .rsdp_new_len = (u32)p->info->rsdp_new_len,
    };
    size_t used = 0;
    multiboot_build_info(hdr.version, &in, info_gpa, NULL, 0, &used);
    if (!used || !range_in_guest_ram(info_gpa, used))
        fail("no guest RAM for the boot information at 0x%llx", (unsigned long long)info_gpa);
    err = multiboot_build_info(hdr.version, &in, info_gpa, phys_to_virt(info_gpa), used, &used);
    if (err)
        fail("cannot build the guest's boot information: %s", multiboot_error_name(err));

    vcpu0.gprs.rax = multiboot_boot_magic(hdr.version);
    vcpu0.gprs.rbx = info_gpa;
    return plan.entry;
}

/* Multiboot machine state: flat 32-bit segments, CR0.PE only, IF clear. */
static void initial_state(struct vcpu_init_state *s, u32 entry)
{
    const struct vcpu_segment code = { 0x08, 0xC9B, 0xFFFFFFFF, 0 };
    const struct vcpu_segment data = { 0x10, 0xC93, 0xFFFFFFFF, 0 };
    memset(s, 0, sizeof(*s));
    s->gprs = vcpu0.gprs;
    s->rip = entry;
    s->rflags = 0x2;
    s->cr0 = 0x11; /* PE | ET */
    s->cs = code;
    s->ds = s->es = s->fs = s->gs = s->ss = data;
    s->tr = (struct vcpu_segment){ 0, 0x8B, 0xFFFF, 0 };
    s->ldtr = (struct vcpu_segment){ 0, 0x82, 0xFFFF, 0 };
    s->gdtr = (struct vcpu_dtr){ 0, 0xFFFF };
    s->idtr = (struct vcpu_dtr){ 0, 0x3FF };
}

static u8 p_cpu_maxphyaddr(void)
{
    if (cpuid(0x80000000, 0).eax >= 0x80000008)
        return cpuid(0x80000008, 0).eax & 0xFF;
    return 36;
}

static void build_nested_map(const struct guest_boot_params *p)
{
    struct mtrr_state mtrr;
    mtrr_read_host(&mtrr);
    u32 flags = vmm_options.npt_4k_only ? NPT_FORCE_4K : 0;
    if (p->backend->nested_1g_pages && p->backend->nested_1g_pages())
        flags |= NPT_ALLOW_1G;
    npt_layout_init(&vm.layout, &mtrr, flags);
    u64 top = 4 * GIB;
    for (size_t i = 0; i < guest_map_len; i++)
        if (guest_map[i].base + guest_map[i].length > top)
            top = guest_map[i].base + guest_map[i].length;
    /* Everything is pass-through device memory except RAM and the VMM. */
    if (npt_layout_set(&vm.layout, 0, ALIGN_UP(top, 2 * MIB), NPT_KIND_MMIO) != NPT_OK)
        fail("nested layout");
    for (size_t i = 0; i < guest_map_len; i++)
        if (guest_map[i].type == 1 &&
            npt_layout_set(&vm.layout, guest_map[i].base, guest_map[i].length, NPT_KIND_RAM) != NPT_OK)
            fail("nested layout: too many RAM ranges");
    if (npt_layout_set(&vm.layout, p->vmm_base, p->vmm_size, NPT_KIND_VMM_PRIVATE) != NPT_OK)
        fail("nested layout: VMM range");

    u64 pool_pa = mem_alloc_pages(TABLE_POOL_ORDER);
    npt_pool_init(&vm.pool, phys_to_virt(pool_pa), pool_pa, 1u << TABLE_POOL_ORDER);
    struct npt_mem mem = npt_pool_mem(&vm.pool);
    const struct npt_format *fmt = p->backend == &svm_backend ? &npt_format_amd : &npt_format_ept;
    if (npt_init(&vm.map, fmt, &mem) != NPT_OK)
        fail("no memory for the nested page table root");
    /* Mapping is lazy: each first touch is a nested page fault that maps the
     * largest page the rules allow (chapter 05 counts them). */
}

/* Writes to the MTRRs exit (reads do not): the nested map follows them. */
static void intercept_mtrr_writes(const struct backend_ops *b)
{
    if (!((cpuid(1, 0).edx >> 12) & 1))
        return;
    vm.mtrr_cap = rdmsr(MSR_IA32_MTRRCAP);
    vm.maxphyaddr = p_cpu_maxphyaddr();
    for (u32 msr = MTRR_MSR_PHYSBASE0; msr < MTRR_MSR_PHYSBASE0 + 2 * (vm.mtrr_cap & 0xFF); msr++)
        b->set_msr_intercept(&vcpu0, msr, false, true);
    static const u32 fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B,
                                 0x26C, 0x26D, 0x26E, 0x26F };
    if (vm.mtrr_cap & (1u << 8))
        for (unsigned i = 0; i < ARRAY_SIZE(fixed); i++)
            b->set_msr_intercept(&vcpu0, fixed[i], false, true);
    b->set_msr_intercept(&vcpu0, MTRR_MSR_DEF_TYPE, false, true);
}

/*
 * The guest was told there is no VMX and no SVM (CPUID policy), so the MSRs
 * of both must behave as on a CPU without them: #GP (on_rdmsr/on_wrmsr's
 * default). Not left to the hardware: the real CPU has them, and emulators
 * quietly read unknown MSRs as 0. VM_HSAVE_PA matters most: where AMD-V saves
 * host state at VMRUN, a guest that moved it could make the CPU write
 * anywhere. (EFER, VM_CR and IA32_FEATURE_CONTROL have answers of their own.)
 */
#define MSR_VMX_CAPS_FIRST 0x480u /* IA32_VMX_BASIC */
#define MSR_VMX_CAPS_LAST 0x493u  /* up to IA32_VMX_PROCBASED_CTLS3 and beyond */
static void intercept_virtualization_msrs(const struct backend_ops *b, const struct cpu_info *cpu)
{
    for (u32 msr = MSR_VMX_CAPS_FIRST; msr <= MSR_VMX_CAPS_LAST; msr++)
        b->set_msr_intercept(&vcpu0, msr, true, true);
    b->set_msr_intercept(&vcpu0, MSR_VM_HSAVE_PA, true, true);
    /* Intel: IA32_MISC_ENABLE can change leaf 0's answer, which the backends
     * remember (common/vm/cpuid_memo.h): its writes come through on_wrmsr(). */
    if (cpu->vendor == CPU_VENDOR_INTEL)
        b->set_msr_intercept(&vcpu0, MSR_IA32_MISC_ENABLE, false, true);
}

static void print_line(const char *line)
{
    kprintf("bookvisor: %s\n", line);
}

void guest_boot(const struct guest_boot_params *p)
{
    if (guest_kernel_index(p->info) < 0) {
        kprintf("bookvisor: no guest module was given (add a module2 line in GRUB); "
                "no guest is started\n");
        machine_stop(MACHINE_STATUS_OK);
    }
    vm_object = guest_vm_create(p->backend);
    vcpu0_object = guest_vm_add_vcpu(vm_object);
    vm.vmm_base = p->vmm_base;
    vm.vmm_size = p->vmm_size;

    build_guest_map(p);
    enum multiboot_version version;
    u64 entry = load_kernel(p, &version);
    build_nested_map(p);
    power_guard_install(&vm);
    pci_init(&vm, pci_driver_table, pci_driver_table_len);
    if (vmm_options.test_mmio_page)
        test_mmio_page_install(&vm);

    if (p->backend->enable_cpu() != 0)
        fail("the %s backend could not enable virtualization on this CPU", p->backend->name);
    struct vcpu_init_state st;
    initial_state(&st, (u32)entry);
    if (p->backend->vcpu_init(&vcpu0, &st) != 0)
        fail("the %s backend could not create the vCPU", p->backend->name);
    p->backend->set_nested_root(&vcpu0, vm.map.root_pa);
    hooks_apply_io_intercepts(&vm);
    intercept_mtrr_writes(p->backend);
    intercept_virtualization_msrs(p->backend, p->cpu);
    if (vmm_options.test_vcpus)
        vcpu_selftest_run(vm_object, &st, vmm_options.test_vcpus);
    vmm_canary_fill();
    kprintf("bookvisor: starting the guest\n");

    enum vcpu_stop_kind stop = vcpu_run(&vcpu0, &guest_exit_handlers);

    bool ok = stop == VCPU_STOP_POWEROFF || stop == VCPU_STOP_HALTED;
    kprintf("bookvisor: guest stopped: %s\n", vcpu0.stop_reason);
    if (!ok)
        p->backend->dump_state(&vcpu0);
    vcpu_print_counters(&vcpu0, print_line);
    kprintf("bookvisor: nested paging: faults=%llu maps4k=%llu maps2m=%llu maps1g=%llu tables=%llu reclaims=%llu mtrr-writes=%llu\n",
            (unsigned long long)vm.map.stats.nested_faults,
            (unsigned long long)vm.map.stats.leaves_4k, (unsigned long long)vm.map.stats.leaves_2m,
            (unsigned long long)vm.map.stats.leaves_1g, (unsigned long long)vm.map.stats.tables,
            (unsigned long long)vm.map.stats.reclaims, (unsigned long long)vm.mtrr_updates);
    bool canary = vmm_canary_intact();
    kprintf("bookvisor: VMM memory canary %s\n", canary ? "intact" : "CORRUPTED");
    machine_stop(ok && canary ? MACHINE_STATUS_OK : MACHINE_STATUS_FAILURE);
}
