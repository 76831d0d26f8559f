/**
 * @file tests/guest/runner.c
 * @brief The check table and the loop that runs it.
 */
#include "runner.h"
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "pic.h"
#include "pit.h"
#include "print.h"
#include "select.h"
#include "trap.h"

/* Run order; names are the stable contract with the test scenarios. */
static const struct check checks[] = {
    { "cpuid-hypervisor-bit", check_cpuid_hypervisor_bit, CHECK_IN_ALL },
    { "cpuid-signature", check_cpuid_signature, CHECK_IN_ALL },
    { "cpuid-version", check_cpuid_version, CHECK_IN_ALL },
    { "cpuid-virt-hidden", check_cpuid_virt_hidden, CHECK_IN_ALL },
    { "msr-rw", check_msr_rw, CHECK_IN_ALL },
    { "io-passthrough", check_io_passthrough, CHECK_IN_ALL },
    { "hlt-timer", check_hlt_timer, CHECK_IN_ALL },
    { "vmcall", check_vmcall, CHECK_IN_ALL },
    { "memory-all", check_memory_all, CHECK_IN_ALL },
    { "vmm-memory-protected", check_vmm_memory_protected, CHECK_IN_ALL },
    { "mmio-forms", check_mmio_forms, CHECK_IN_ALL },
    { "mmio-hook", check_mmio_hook, CHECK_IN_ALL },
    { "virt-insn", check_virt_insn, CHECK_IN_ALL },
    { "cr-write", check_cr_write, CHECK_IN_ALL },
    { "cpuid-cost", check_cpuid_cost, CHECK_IN_ALL },
    { "hlt-low-vector", check_hlt_low_vector, CHECK_IN_ALL },
    { "msr-vmm-hidden", check_msr_vmm_hidden, CHECK_IN_ALL },
    { "invd", check_invd, CHECK_IN_ALL },
    { "cpuid-prefixed", check_cpuid_prefixed, CHECK_IN_ALL },
    { "cr-illegal", check_cr_illegal, CHECK_IN_ALL },
    { "mtrr-write", check_mtrr_write, CHECK_IN_ALL },
    { "cpuid-realmode", check_cpuid_realmode, CHECK_IN_ALL },
    { "cpuid-memo", check_cpuid_memo, CHECK_IN_ALL },
    { "realmode-gp", check_realmode_gp, CHECK_IN_ALL },
    { "bios-memmap", check_bios_memmap, CHECK_IN_ALL },
    { "clock", check_clock, CHECK_IN_ALL },
    { "xsetbv-rules", check_xsetbv_rules, CHECK_IN_ALL },
    { "apic-base", check_apic_base, CHECK_IN_ALL },
    { "cpuid-pae", check_cpuid_pae, CHECK_IN_ALL },
    { "io-string", check_io_string, CHECK_IN_ALL },
    { "step-cpuid", check_step_cpuid, CHECK_IN_ALL },
    { "step-io", check_step_io, CHECK_IN_ALL },
    { "step-vmcall", check_step_vmcall, CHECK_IN_ALL },
    { "cpuid-osxsave", check_cpuid_osxsave, CHECK_IN_ALL },
    { "io-width", check_io_width, CHECK_IN_ALL },
    /* The adversarial suite (tests=hostile): not part of all. */
    { "hostile-msr-sweep", check_hostile_msr_sweep, CHECK_BY_GROUP },
    { "hostile-cpuid-sweep", check_hostile_cpuid_sweep, CHECK_BY_GROUP },
    { "hostile-io-abuse", check_hostile_io_abuse, CHECK_BY_GROUP },
    { "hostile-ecam-edge", check_hostile_ecam_edge, CHECK_BY_GROUP },
    { "hostile-vmm-forms", check_hostile_vmm_forms, CHECK_BY_GROUP },
    { "hostile-holes", check_hostile_holes, CHECK_BY_GROUP },
    { "hostile-storm", check_hostile_storm, CHECK_BY_GROUP },
    /* Not part of all: they need words of their own, or stop the guest. */
    { "pci", check_pci, CHECK_BY_NAME },
    { "triple-fault", check_triple_fault, CHECK_BY_NAME },
    { "vmm-timer", check_vmm_timer, CHECK_BY_NAME },
    { "vmm-timer-spin", check_vmm_timer_spin, CHECK_BY_NAME },
    { "vmm-timer-halt", check_vmm_timer_halt, CHECK_BY_NAME },
    { "mmio-unsupported", check_mmio_unsupported, CHECK_BY_NAME },
    { "power", check_power_escape, CHECK_BY_NAME },
    { "hostile-vmm-exec", check_hostile_vmm_exec, CHECK_BY_NAME },
    { "task-switch", check_task_switch, CHECK_BY_NAME },
    { "event-npf-irq", check_event_npf_irq, CHECK_BY_GROUP },
    { "event-npf-hlt", check_event_npf_hlt, CHECK_BY_GROUP },
    { "event-fault-then-irq", check_event_fault_then_irq, CHECK_BY_GROUP },
    { "event-nmi-window", check_event_nmi_window, CHECK_BY_GROUP },
    { "event-irq-after-sti", check_event_irq_after_sti, CHECK_BY_GROUP },
    { "event-nmi-ipi", check_event_nmi_ipi, CHECK_BY_GROUP },
    { "vmm-vector", check_vmm_vector, CHECK_BY_NAME },
    { "exit-cost", check_exit_cost, CHECK_BY_NAME },
    { "smp", check_smp, CHECK_BY_NAME },
    /* Before net-wait, so that net-wait can keep bookvisor running after them. */
    { "e1000-pass", check_e1000_pass, CHECK_BY_NAME },
    { "e1000-dma", check_e1000_dma, CHECK_BY_NAME },
    { "e1000-msix", check_e1000_msix, CHECK_BY_NAME },
    { "e1000-ps", check_e1000_ps, CHECK_BY_NAME },
    { "e1000-split", check_e1000_split, CHECK_BY_NAME },
    { "e1000-burst", check_e1000_burst, CHECK_BY_NAME },
    { "net-wait", check_net_wait, CHECK_BY_NAME },
    { "la57-ia32e", check_la57_ia32e, CHECK_BY_NAME },
    { "net-spin", check_net_spin, CHECK_BY_NAME },
    { "net-halt", check_net_halt, CHECK_BY_NAME },
};


/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point check_point;
static struct check_result result;

void runner_quiesce(void)
{
    cli();
    pic_mask_all();
    pit_stop();
    for (u32 irq = 0; irq < IRQ_COUNT; irq++)
        irq_set_handler(irq, NULL);
    for (u32 vector = 0; vector < 64; vector++)
        trap_set_hook(vector, NULL);
}

static void report(struct run_totals *t, const char *name, const struct check_result *res)
{
    t->number++;
    switch (res->status) {
    case CHECK_PASS:
        t->passed++;
        if (res->text[0])
            gprintf("ok %u - %s (%s)\n", t->number, name, res->text);
        else
            gprintf("ok %u - %s\n", t->number, name);
        break;
    case CHECK_SKIP:
        t->passed++;
        gprintf("ok %u - %s # SKIP %s\n", t->number, name, res->text);
        break;
    case CHECK_FAIL:
        t->failed++;
        gprintf("not ok %u - %s: %s\n", t->number, name, res->text);
        break;
    }
}

static void run_one(const struct check *check, const struct check_context *ctx,
                    struct run_totals *totals)
{
    const struct recover_point *outer;

    result.status = CHECK_PASS;
    result.text[0] = '\0';
    outer = trap_set_recovery(&check_point);
    if (recover_save(&check_point) == 0) {
        check->run(ctx, &result);
    } else {
        /* Came back from the exception handler: the check is abandoned. */
        const struct trap_info *trap = trap_last();
        runner_quiesce();
        result.status = CHECK_PASS; /* let check_fail() overwrite */
        check_fail(&result, "exception %u at 0x%08x err=0x%x", trap->vector, trap->eip,
                   trap->error);
    }
    trap_set_recovery(outer);
    report(totals, check->name, &result);
}

void runner_run(const struct boot_info *boot, struct run_totals *totals)
{
    static struct test_selection sel;
    struct check_context ctx = { boot };

    selection_parse(boot->cmdline, &sel);
    for (u32 i = 0; i < ARRAY_SIZE(checks); i++) {
        if (selection_wants(&sel, checks[i].name, checks[i].reach))
            run_one(&checks[i], &ctx, totals);
    }
    for (u32 i = 0; i < sel.count; i++) {
        if (sel.used[i])
            continue;
        totals->number++;
        totals->failed++;
        gprintf("not ok %u - tests=%s: unknown test name\n", totals->number, sel.names[i]);
    }
    if (sel.dropped) {
        totals->number++;
        totals->failed++;
        gprintf("not ok %u - tests: %u names beyond the first %u ignored\n", totals->number,
                sel.dropped, SELECT_MAX_NAMES);
    }
}
