/*
 * common/start/main.c - what bookvisor does from the first C instruction on.
 *
 * The order matters and is the story of chapter 01: read the boot
 * information, take a region at the top of RAM and move there, set up
 * memory and descriptor tables, find out what the CPU can do, then start
 * the guest.
 */
#include "common/base/acpi_power.h"
#include "common/base/clock.h"
#include "arch/x86/boot_defs.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/relocate.h"
#include "common/vm/backend.h"
#include "common/vm/bench_ticks.h"
#include "common/base/options_module.h"
#include "common/base/console.h"
#include "common/start/guest_boot.h"
#include "common/start/smp_boot.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "common/base/boot_info.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "common/base/panic.h"
#include "arch/x86/phys.h"
#include "common/lib/version.h"
#include "common/base/vmm_layout.h"

u64 kernel_phys_base = BOOT_PHYS;

static struct boot_info boot_info;
static struct phys_range firmware_map[BOOT_INFO_MAX_MMAP];
static size_t firmware_map_len;

void boot_main(u32 magic, u32 mbi_pa);

static void report_option(void *ctx, const char *msg)
{
    (void)ctx;
    kprintf("bookvisor: %s\n", msg);
}

/* The options of every configuration module, in module order, as one line. */
static char config_line[2048];
static unsigned options_modules, config_problems;

static void collect_config_modules(cmdline_error_fn report)
{
    size_t at = 0;
    options_modules = config_problems = 0;
    config_line[0] = '\0';
    for (u32 i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        if (!options_module_is(m->cmdline))
            continue;
        options_modules++;
        if (at)
            config_line[at++] = ' ';
        config_problems += options_module_to_cmdline(phys_to_virt(m->start), m->end - m->start,
                                                    config_line + at, sizeof(config_line) - at,
                                                    report, NULL);
        at += strlen(config_line + at);
    }
}

/* cmdline_parse() says "cmdline: ..."; for the module's options say where they came from. */
static void report_config_option(void *ctx, const char *msg)
{
    (void)ctx;
    if (strncmp(msg, "cmdline: ", 9) == 0)
        msg += 9;
    kprintf("bookvisor: config module: %s\n", msg);
}

static void parse_boot_info(u32 magic, u32 mbi_pa)
{
    if (magic != MB2_BOOT_MAGIC)
        panic("not started by a multiboot2 loader (eax=0x%x)", magic);
    const u32 *mbi = phys_to_virt(mbi_pa);
    int err = boot_info_parse(mbi, mbi[0], &boot_info);
    if (err)
        panic("bad multiboot2 information: %s at offset %zu", boot_info_error_name(err),
              boot_info.error_offset);
    for (u32 i = 0; i < boot_info.mmap_count; i++) {
        firmware_map[i].base = boot_info.mmap[i].base;
        firmware_map[i].length = boot_info.mmap[i].length;
        firmware_map[i].type = boot_info.mmap[i].type;
    }
    firmware_map_len = boot_info.mmap_count;
    if (!firmware_map_len)
        panic("the boot loader gave no memory map");
}

/* Everything GRUB left in memory that must survive until copied. */
static size_t collect_obstacles(u32 mbi_pa, struct phys_range *out, size_t max)
{
    size_t n = 0;
    out[n++] = (struct phys_range){ 0, 1 * MIB, 2 };
    out[n++] = (struct phys_range){ relocate_load_base(), relocate_image_size(), 2 };
    out[n++] = (struct phys_range){ mbi_pa, boot_info.total_size, 2 };
    for (u32 i = 0; i < boot_info.module_count && n < max; i++)
        out[n++] = (struct phys_range){ boot_info.modules[i].start,
                                        boot_info.modules[i].end - boot_info.modules[i].start, 2 };
    return n;
}

/* The end of the highest memory bookvisor may need to reach: RAM and ACPI
 * memory, at least 4 GiB (devices live below it). Reserved ranges do not
 * count: QEMU reports AMD's HyperTransport hole at 1 TiB as reserved, and
 * mapping up to it cost 2 MiB of page tables inside bookvisor's region. */
static u64 top_of_memory(void)
{
    u64 top = 4 * GIB;
    for (size_t i = 0; i < firmware_map_len; i++) {
        if (firmware_map[i].type == 2)
            continue;
        u64 end = firmware_map[i].base + firmware_map[i].length;
        if (end > top)
            top = end;
    }
    return top > 512 * GIB ? 512 * GIB : top;
}

static u64 modules_bytes(void)
{
    u64 total = 0;
    for (u32 i = 0; i < boot_info.module_count; i++)
        total += ALIGN_UP((u64)(boot_info.modules[i].end - boot_info.modules[i].start), 4096);
    return total;
}

/*
 * The modules' new home while the guest is loaded: the highest RAM below
 * 4 GiB that overlaps neither bookvisor's region nor anything GRUB left
 * (the modules themselves among it), so copying them there is safe. It is
 * guest RAM: the loaders copy the modules on to their guest places and
 * leave the staging area to the guest. High, because the kernels' own
 * places are low (Multiboot kernels at their link addresses, Linux at
 * 16 MiB). Returns its size; 0 when there are no modules.
 */
static u64 choose_staging(const struct phys_range *obstacles, size_t nobst, u64 *base)
{
    u64 size = modules_bytes();
    if (!size)
        return 0;
    if (!vmm_layout_choose(firmware_map, firmware_map_len, obstacles, nobst, size, 4096, 4 * GIB,
                           base))
        panic("no room below 4 GiB to stage the %u module(s) (%llu KiB)", boot_info.module_count,
              (unsigned long long)(size >> 10));
    return size;
}

/*
 * Copy the boot information into the VMM region (the guest may overwrite
 * GRUB's) and the modules to the staging area (outside the region: the
 * guest's kernel and initrd are not bookvisor's to keep), then parse the
 * copy again with the module entries pointing at the staged bytes.
 */
static void keep_boot_info(u32 mbi_pa, u64 dst, u64 staging)
{
    u8 *p = phys_to_virt(dst);
    u32 mbi_len = boot_info.total_size;
    memcpy(p, phys_to_virt(mbi_pa), mbi_len);
    u64 cursor = staging;
    int err = boot_info_parse(p, mbi_len, &boot_info);
    if (err)
        panic("copy of the boot information does not parse: %s", boot_info_error_name(err));
    /* The copy's module entries still name the originals: move the bytes and patch them. */
    u8 *tag = p + 8;
    while (tag < p + mbi_len) {
        u32 type = *(u32 *)tag, size = *(u32 *)(tag + 4);
        if (type == 0 || size < 8)
            break;
        if (type == MB2_TAG_MODULE) {
            u32 *range = (u32 *)(tag + 8);
            u32 len = range[1] - range[0];
            memcpy(phys_to_virt(cursor), phys_to_virt(range[0]), len);
            range[0] = (u32)cursor;
            range[1] = (u32)(cursor + len);
            cursor = ALIGN_UP(cursor + len, 4096);
        }
        tag += ALIGN_UP(size, 8);
    }
    err = boot_info_parse(p, mbi_len, &boot_info);
    if (err)
        panic("patched boot information does not parse: %s", boot_info_error_name(err));
}

static const struct backend_ops *choose_backend(const struct cpu_info *cpu, char *features,
                                                size_t flen)
{
    char why_svm[96] = "", why_vmx[96] = "";
    bool want_svm = vmm_options.backend != OPT_BACKEND_VMX;
    bool want_vmx = vmm_options.backend != OPT_BACKEND_SVM;

    if (want_svm && svm_backend.probe(cpu, features, flen, why_svm, sizeof(why_svm)))
        return &svm_backend;
    if (want_vmx && vmx_backend.probe(cpu, features, flen, why_vmx, sizeof(why_vmx)))
        return &vmx_backend;
    kprintf("bookvisor: cpu=%s: no usable virtualization support\n", cpu->vendor_str);
    if (want_svm)
        kprintf("bookvisor:   AMD-V: %s\n", why_svm[0] ? why_svm : "not present");
    if (want_vmx)
        kprintf("bookvisor:   VT-x: %s\n", why_vmx[0] ? why_vmx : "not present");
    return NULL;
}

struct bench_boot_ticks bench_boot_ticks;

void boot_main(u32 magic, u32 mbi_pa)
{
    u64 ticks_at_start = BENCH_TICKS_NOW(); /* 0 outside a bench build */
    console_init(CONSOLE_COM1);
    percpu_start_boot_cpu(); /* GDT, TSS, IDT and GS: this_cpu() works from here */
    parse_boot_info(magic, mbi_pa);

    /* Once quietly to learn where the console is, then again to report.
     * Configuration modules first, the command line after: it wins. */
    collect_config_modules(NULL);
    options_parse_layers(config_line, NULL, NULL, boot_info.cmdline, NULL, NULL);
    console_init((enum console_target)vmm_options.console);
    kprintf("bookvisor %s: starting (command line: \"%s\")\n", BOOKVISOR_VERSION_STRING,
            boot_info.cmdline ? boot_info.cmdline : "");
    collect_config_modules(report_option);
    if (options_modules)
        kprintf("bookvisor: %u config module(s): \"%s\"\n", options_modules, config_line);
    unsigned bad = config_problems + options_parse_layers(config_line, report_config_option, NULL,
                                                          boot_info.cmdline, report_option, NULL);
    if (bad)
        kprintf("bookvisor: %u command-line problem(s) above were ignored\n", bad);

    /* Take the VMM region at the top of RAM below 4 GiB and move there. */
    u64 image = ALIGN_UP(relocate_image_size(), 2 * MIB);
    u64 identity_limit = top_of_memory();
    u64 tables = relocate_tables_size(identity_limit);
    u64 keep = ALIGN_UP((u64)boot_info.total_size, 4096);
    u64 region = ALIGN_UP(image + tables + keep + vmm_options.vmm_mem, 2 * MIB);
    struct phys_range obstacles[5 + BOOT_INFO_MAX_MODULES];
    size_t nobst = collect_obstacles(mbi_pa, obstacles, ARRAY_SIZE(obstacles) - 1);
    u64 base;
    if (!vmm_layout_choose(firmware_map, firmware_map_len, obstacles, nobst, region, 2 * MIB,
                           4 * GIB, &base))
        panic("no room for bookvisor's %llu MiB below 4 GiB", (unsigned long long)(region >> 20));
    obstacles[nobst++] = (struct phys_range){ base, region, 2 };
    u64 staging = 0, staging_size = choose_staging(obstacles, nobst, &staging);
    relocate_image(base, base + image, identity_limit);
    keep_boot_info(mbi_pa, base + image + tables, staging);
    u64 pool = base + image + tables + keep;
    mem_init(pool, base + region - pool);
    bench_boot_ticks.start = ticks_at_start; /* after the move: the image was copied */
    kprintf("bookvisor: memory: VMM region [0x%llx, 0x%llx) (%llu MiB), %llu MiB free for the VMM\n",
            (unsigned long long)base, (unsigned long long)(base + region),
            (unsigned long long)(region >> 20), (unsigned long long)(mem_free_bytes() >> 20));
    if (staging_size)
        kprintf("bookvisor: memory: %u module(s) staged in guest RAM at [0x%llx, 0x%llx), "
                "outside the VMM region\n", boot_info.module_count, (unsigned long long)staging,
                (unsigned long long)(staging + staging_size));
    struct phys_range staged = { staging, staging_size, 1 };

    if (boot_info.rsdp_new)
        acpi_power_init(boot_info.rsdp_new, boot_info.rsdp_new_len);
    else
        acpi_power_init(boot_info.rsdp_old, boot_info.rsdp_old_len);
    clock_init(vmm_options.test_clock_start);

    struct cpu_info cpu;
    char features[160] = "";
    cpu_identify(&cpu);
    const struct backend_ops *backend = choose_backend(&cpu, features, sizeof(features));
    if (!backend) {
        kprintf("bookvisor: cannot run a guest on this CPU; stopping\n");
        machine_stop(MACHINE_STATUS_FAILURE);
    }
    kprintf("bookvisor: cpu=%s backend=%s features=%s\n", cpu.vendor_str, backend->name, features);
    if (vmm_options.test_crash)
        __asm__ volatile("ud2");
    if (vmm_options.test_wrmsr_safe) {
        /* A non-canonical base: CPUs (and Bochs) refuse it with #GP. */
        int r = wrmsr_safe(MSR_KERNEL_GS_BASE, 0x8000000000000000ULL);
        kprintf("bookvisor: test.wrmsr_safe: a non-canonical KERNEL_GS_BASE %s\n",
                r ? "was refused (#GP caught, -1 returned)" : "was taken: no #GP?");
    }
    if (vmm_options.test_panic)
        panic("test.panic: stopping on purpose after the banner (backend %s)", backend->name);

    /* Every other processor under bookvisor before the guest can wake one (chapter 08). */
    smp_boot_start_cpus(backend, firmware_map, firmware_map_len);

    struct guest_boot_params gp = {
        .backend = backend,
        .info = &boot_info,
        .firmware_map = firmware_map,
        .firmware_map_len = firmware_map_len,
        .vmm_base = base,
        .vmm_size = region,
        .staged = staged,
        .cpu = &cpu,
    };
    guest_boot(&gp);
}
