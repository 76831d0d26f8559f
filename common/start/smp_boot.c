/*
 * common/start/smp_boot.c - the other processors, started by bookvisor at
 * boot and parked under its control (chapter 08, "SMP start-up").
 */
#include "common/start/smp_boot.h"
#include "arch/x86/ap_trampoline.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"
#include "common/base/acpi_madt.h"
#include "common/base/acpi_power.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/base/panic.h"
#include "common/base/options.h"
#include "common/start/smp_ap.h"
#include "common/start/smp_stress.h"
#include "common/vm/backend.h"

/* The processors started, in order: the boot CPU's list, written at boot. */
static struct ap_start *started_aps[MADT_MAX_CPUS];
static u32 n_started_aps;

struct ap_start *smp_ap(u32 i)
{
    return started_aps[i];
}

u32 smp_ap_count(void)
{
    return n_started_aps;
}

/* Microseconds as the TSC counts them (clock_init() ran). */
static void delay_us(u64 us)
{
    u64 end = clock_now_us() + us;
    while (clock_now_us() < end)
        cpu_pause();
}

/* Wait up to us microseconds for a->state to reach at least want. */
static bool wait_state(const struct ap_start *a, u32 want, u64 us)
{
    u64 end = clock_now_us() + us;
    while (a->state < want) {
        if (clock_now_us() >= end)
            return false;
        cpu_pause();
    }
    return true;
}

/* The first C function of another processor, from the trampoline; never returns. */
static void ap_main(void *arg)
{
    struct ap_start *a = arg;
    percpu_start(a->cpu, a->index, a->stack_top);
    __atomic_store_n(&a->state, AP_IN_C, __ATOMIC_RELEASE);
    int err = a->backend->enable_cpu();
    kprintf("bookvisor: smp: cpu %u (APIC id %u) up, %s %s\n", a->index, a->cpu->apic_id,
            a->backend->hardware, err ? "NOT on" : "on");
    __atomic_store_n(&a->state, err ? AP_FAILED : AP_WAITING, __ATOMIC_RELEASE);
    if (err) /* parked even without virtualization: the boot CPU stops the machine */
        a->backend->park_cpu();
    if (vmm_options.test_alloc_stress)
        smp_stress_join(a->index);
    smp_ap_wait_for_guest(a);
}

static unsigned order_for(size_t bytes)
{
    unsigned order = 0;
    while ((4096ul << order) < bytes)
        order++;
    return order;
}

/* Start the processor apic_id as CPU index; false, said why, when it did not come up. */
static bool start_one(const struct backend_ops *backend, u64 page, u32 apic_id, u32 index)
{
    struct ap_start *a = kzalloc(sizeof(*a));
    a->cpu = phys_to_virt(mem_alloc_pages(order_for(sizeof(struct cpu))));
    a->index = index;
    a->apic_id = apic_id;
    a->backend = backend;
    a->state = AP_SENT;
    a->vector = AP_NO_VECTOR;
    a->stack_top = (u64)(uintptr_t)phys_to_virt(mem_alloc_pages(order_for(KERNEL_STACK_SIZE))) +
                   KERNEL_STACK_SIZE;
    started_aps[n_started_aps++] = a;
    u8 vector = ap_trampoline_install(page, a->stack_top, ap_main, a);

    /* INIT, 10 ms, start-up IPI; a second one 200 us later if the first was
     * lost (Intel SDM vol. 3 8.4.4.1): a processor started already ignores it. */
    if (!lapic_send_ipi(apic_id, lapic_init_icr())) {
        kprintf("bookvisor: smp: cannot send an IPI to APIC id %u (local APIC mode %u)\n", apic_id,
                (unsigned)lapic_mode());
        return false;
    }
    delay_us(10000);
    lapic_send_ipi(apic_id, lapic_startup_icr(vector));
    if (!wait_state(a, AP_IN_C, 200))
        lapic_send_ipi(apic_id, lapic_startup_icr(vector));
    if (!wait_state(a, AP_IN_C, 100000)) {
        /* Back to waiting for a start-up IPI, not halfway through the
         * trampoline in a page the guest will own. */
        lapic_send_ipi(apic_id, lapic_init_icr());
        kprintf("bookvisor: smp: the processor with APIC id %u did not start\n", apic_id);
        return false;
    }
    if (!wait_state(a, AP_WAITING, 1000000)) {
        kprintf("bookvisor: smp: cpu %u (APIC id %u) did not finish starting\n", index, apic_id);
        return false;
    }
    return a->state == AP_WAITING;
}

void smp_boot_start_cpus(const struct backend_ops *backend, const struct phys_range *map, size_t n)
{
    u64 madt_pa = acpi_find_table("APIC");
    if (!madt_pa) {
        kprintf("bookvisor: smp: no MADT: only the boot CPU is known and used\n");
        return;
    }
    const u8 *madt = phys_to_virt(madt_pa);
    static struct madt_cpus cpus;
    enum madt_result r = madt_read_cpus(madt, *(const u32 *)(madt + 4), &cpus);
    if (r != MADT_OK) {
        kprintf("bookvisor: smp: the MADT is unreadable (%s): only the boot CPU is used\n",
                madt_result_name(r));
        return;
    }
    if (cpus.dropped)
        panic("smp: the MADT lists %u processors, bookvisor can run %u: the others would be the "
              "guest's, outside bookvisor", cpus.count + cpus.dropped, MADT_MAX_CPUS);
    u32 self = this_cpu()->apic_id, started = 0;
    if (cpus.count <= 1) {
        kprintf("bookvisor: smp: 1 CPU\n");
        if (vmm_options.test_alloc_stress)
            smp_stress_run_boot(0);
        return;
    }
    u64 page;
    if (!madt_startup_page(map, n, &page))
        panic("smp: no free page below 640 KiB for the processors' start-up code");
    kprintf("bookvisor: smp: %u CPUs in the MADT; starting the others through page 0x%llx\n",
            cpus.count, (unsigned long long)page);
    for (u32 i = 0; i < cpus.count; i++) {
        if (cpus.apic_id[i] == self)
            continue;
        if (!start_one(backend, page, cpus.apic_id[i], ++started))
            panic("smp: the processor with APIC id %u is not under bookvisor's control; stopping "
                  "rather than leave it to the guest", cpus.apic_id[i]);
    }
    kprintf("bookvisor: smp: %u CPUs under bookvisor\n", started + 1);
    if (vmm_options.test_alloc_stress)
        smp_stress_run_boot(started);
}
