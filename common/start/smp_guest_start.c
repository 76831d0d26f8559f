/*
 * common/start/smp_guest_start.c - the guest's INIT and start-up IPIs,
 * taken at its local APIC's interrupt command register and turned into the
 * start of a vCPU on a processor bookvisor holds (chapter 08, "SMP start-up").
 */
#include "common/start/smp_guest_start.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic_regs.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/base/options.h"
#include "common/base/panic.h"
#include "common/exits/intercepts.h"
#include "common/lib/kstring.h"
#include "common/start/guest_report.h"
#include "common/start/smp_ap.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "common/vm/vcpu_state.h"

#define MSR_APIC_BASE 0x1B

/* Deliver an INIT or a SIPI the guest sent to the processors it reaches. */
static void take_start_command(u32 icr_low, u32 icr_high)
{
    enum lapic_icr_mode mode = lapic_icr_mode_of(icr_low);
    u32 sender = this_cpu()->apic_id;
    for (u32 i = 0; i < smp_ap_count(); i++) {
        struct ap_start *a = smp_ap(i);
        if (!lapic_icr_reaches(icr_low, icr_high, sender, a->apic_id))
            continue;
        bool init_seen = __atomic_load_n(&a->init_seen, __ATOMIC_ACQUIRE);
        bool started = __atomic_load_n(&a->vector, __ATOMIC_ACQUIRE) != AP_NO_VECTOR;
        enum lapic_start_step step = lapic_start_step_of(mode, init_seen, started);
        if (step == LAPIC_START_INIT) {
            __atomic_store_n(&a->init_seen, 1, __ATOMIC_RELEASE);
        } else if (step == LAPIC_START_RUN) {
            /* Two vCPUs may send at once: the first SIPI written wins, once. */
            u32 none = AP_NO_VECTOR;
            __atomic_compare_exchange_n(&a->vector, &none, icr_low & 0xFF, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE);
        }
    }
}

/* Does the command reach a processor bookvisor holds? Then it is taken, not sent. */
static bool reaches_a_held_cpu(u32 icr_low, u32 icr_high)
{
    u32 sender = this_cpu()->apic_id;
    for (u32 i = 0; i < smp_ap_count(); i++)
        if (lapic_icr_reaches(icr_low, icr_high, sender, smp_ap(i)->apic_id))
            return true;
    return false;
}

/*
 * Every access to the local APIC's page. The page is the one of the CPU that
 * runs the vCPU, so reading and writing its physical address reaches that
 * CPU's own local APIC, as the guest's access would have.
 */
static enum exit_action apic_page_access(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                         u64 *value)
{
    (void)ctx;
    (void)v;
    if (!write) {
        *value = phys_read(gpa, size);
        return EXIT_SKIP;
    }
    if ((gpa & 0xFFF) == LAPIC_REG_ICR_LOW && size == 4) {
        u32 low = (u32)*value;
        enum lapic_icr_mode mode = lapic_icr_mode_of(low);
        if ((mode == LAPIC_ICR_MODE_INIT || mode == LAPIC_ICR_MODE_STARTUP) &&
            !lapic_icr_is_init_deassert(low)) {
            /* The destination was written to the APIC before: read it back. */
            u32 high = (u32)phys_read(gpa - LAPIC_REG_ICR_LOW + LAPIC_REG_ICR_HIGH, 4);
            if (reaches_a_held_cpu(low, high)) {
                take_start_command(low, high);
                return EXIT_SKIP;
            }
        }
    }
    phys_write(gpa, size, *value);
    return EXIT_SKIP;
}

void smp_ap_wait_for_guest(struct ap_start *a)
{
    a->backend->hold_init();
    while (!a->vm || __atomic_load_n(&a->vector, __ATOMIC_ACQUIRE) == AP_NO_VECTOR)
        cpu_pause();
    struct guest_vm *vm = a->vm;
    u32 vector = a->vector;
    struct vcpu_init_state st;
    memset(&st, 0, sizeof(st));
    vcpu_state_real_mode(&st, (u16)(vector << 8), 0);
    struct vcpu *v = guest_vm_add_vcpu(vm);
    char why[128] = "the VM is full";
    if (!v || guest_vm_init_vcpu(vm, v, &st) != 0 ||
        intercepts_apply(v, a->cpu_info, why, sizeof(why)) != 0) {
        kprintf("bookvisor: smp: cpu %u: the guest's start-up IPI found no vCPU: %s\n", a->index,
                why);
        a->backend->park_cpu();
    }
    if (vmm_options.test_no_fast_path)
        vcpu_request_work(v, VCPU_WORK_NO_FAST_PATH);
    kprintf("bookvisor: smp: the guest started cpu %u (APIC id %u) as vCPU %u at 0x%x:0000\n",
            a->index, a->apic_id, v->id, vector << 8);
    guest_run_and_report(v);
}

void smp_guest_start_init(struct guest_vm *vm, const struct cpu_info *cpu)
{
    if (!smp_ap_count())
        return;
    u64 apic_page = lapic_mmio_base(rdmsr(MSR_APIC_BASE));
    if (mmio_hook_register(vm, apic_page, 4096, apic_page_access, NULL) != 0)
        panic("smp: cannot hook the local APIC's page at 0x%llx", (unsigned long long)apic_page);
    for (u32 i = 0; i < smp_ap_count(); i++) {
        struct ap_start *a = smp_ap(i);
        a->cpu_info = cpu;
        __atomic_store_n(&a->vm, vm, __ATOMIC_RELEASE);
    }
    kprintf("bookvisor: smp: the guest's INIT and start-up IPIs are taken at its local APIC (page 0x%llx)\n",
            (unsigned long long)apic_page);
}
