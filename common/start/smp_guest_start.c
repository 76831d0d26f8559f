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

/* Does the command reach the CPU with this APIC ID? icr_high is the xAPIC
 * destination word; in x2APIC mode the destination is the high half of the
 * 64-bit ICR. */
static bool command_reaches(bool x2apic, u32 icr_low, u32 icr_high, u32 target)
{
    u32 sender = this_cpu()->apic_id;
    if (x2apic)
        return lapic_x2apic_icr_reaches(((u64)icr_high << 32) | icr_low, sender, target);
    return lapic_icr_reaches(icr_low, icr_high, sender, target);
}

/* Deliver an INIT or a SIPI the guest sent to the processors it reaches. */
static void take_start_command(bool x2apic, u32 icr_low, u32 icr_high)
{
    enum lapic_icr_mode mode = lapic_icr_mode_of(icr_low);
    for (u32 i = 0; i < smp_ap_count(); i++) {
        struct ap_start *a = smp_ap(i);
        if (!command_reaches(x2apic, icr_low, icr_high, a->apic_id))
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
static bool reaches_a_held_cpu(bool x2apic, u32 icr_low, u32 icr_high)
{
    for (u32 i = 0; i < smp_ap_count(); i++)
        if (command_reaches(x2apic, icr_low, icr_high, smp_ap(i)->apic_id))
            return true;
    return false;
}

/* Is this an INIT or start-up command that bookvisor takes? */
static bool is_start_command(u32 icr_low)
{
    enum lapic_icr_mode mode = lapic_icr_mode_of(icr_low);
    return (mode == LAPIC_ICR_MODE_INIT || mode == LAPIC_ICR_MODE_STARTUP) &&
           !lapic_icr_is_init_deassert(icr_low);
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
        if (is_start_command(low)) {
            /* The destination was written to the APIC before: read it back. */
            u32 high = (u32)phys_read(gpa - LAPIC_REG_ICR_LOW + LAPIC_REG_ICR_HIGH, 4);
            if (reaches_a_held_cpu(false, low, high)) {
                take_start_command(false, low, high);
                return EXIT_SKIP;
            }
        }
    }
    phys_write(gpa, size, *value);
    return EXIT_SKIP;
}

/*
 * The guest's writes of the x2APIC's ICR (MSR 0x830, one 64-bit write with
 * the destination in its high half): the same commands as at the xAPIC's
 * page. Every other command is the guest's own and goes to its APIC; a write
 * the CPU refuses (the APIC not in x2APIC mode, reserved bits) is the guest's
 * #GP, as without bookvisor.
 */
static enum exit_action x2apic_icr_write(void *ctx, struct vcpu *v, u32 msr, u64 value)
{
    (void)ctx;
    (void)v;
    u32 low = (u32)value, high = (u32)(value >> 32);
    u64 base = rdmsr(MSR_APIC_BASE);
    if (lapic_mode_of(base) == LAPIC_MODE_X2APIC && is_start_command(low) &&
        reaches_a_held_cpu(true, low, high)) {
        take_start_command(true, low, high);
        return EXIT_SKIP;
    }
    return wrmsr_safe(msr, value) == 0 ? EXIT_SKIP : EXIT_INJECT_GP;
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
    /* The processors the guest starts share the nested map: a change of it
     * reaches them by NMI, which the boot vCPU (made already) must now
     * intercept as theirs will (intercepts_apply()). */
    vm->nmi_shootdowns = true;
    if (!vm->backend->set_intercept(vm->vcpus[0], VM_INTERCEPT_NMI))
        panic("smp: the %s backend cannot intercept NMIs on this CPU", vm->backend->name);
    u64 apic_page = lapic_mmio_base(rdmsr(MSR_APIC_BASE));
    if (mmio_hook_register(vm, apic_page, 4096, apic_page_access, NULL) != 0)
        panic("smp: cannot hook the local APIC's page at 0x%llx", (unsigned long long)apic_page);
    /* With an x2APIC the guest may switch to it and send by MSR instead. */
    bool x2apic = cpu->has_x2apic;
    if (x2apic && msr_write_hook_register(vm, lapic_x2apic_msr(LAPIC_REG_ICR_LOW), x2apic_icr_write,
                                          NULL) != 0)
        panic("smp: cannot hook the x2APIC's ICR");
    for (u32 i = 0; i < smp_ap_count(); i++) {
        struct ap_start *a = smp_ap(i);
        a->cpu_info = cpu;
        __atomic_store_n(&a->vm, vm, __ATOMIC_RELEASE);
    }
    kprintf("bookvisor: smp: the guest's INIT and start-up IPIs are taken at its local APIC (page 0x%llx%s)\n",
            (unsigned long long)apic_page, x2apic ? ", and x2APIC MSR 0x830" : "");
}
