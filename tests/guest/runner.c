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
    { "cpuid-hypervisor-bit", check_cpuid_hypervisor_bit },
    { "cpuid-signature", check_cpuid_signature },
    { "cpuid-version", check_cpuid_version },
    { "cpuid-virt-hidden", check_cpuid_virt_hidden },
    { "msr-rw", check_msr_rw },
    { "io-passthrough", check_io_passthrough },
    { "hlt-timer", check_hlt_timer },
    { "vmcall", check_vmcall },
    { "memory-all", check_memory_all },
    { "vmm-memory-protected", check_vmm_memory_protected },
    { "mmio-hook", check_mmio_hook },
    { "virt-insn", check_virt_insn },
    { "cr-write", check_cr_write },
    { "cpuid-cost", check_cpuid_cost },
    { "hlt-low-vector", check_hlt_low_vector },
    { "msr-vmm-hidden", check_msr_vmm_hidden },
    { "invd", check_invd },
    { "cpuid-prefixed", check_cpuid_prefixed },
    { "cr-illegal", check_cr_illegal },
    { "mtrr-write", check_mtrr_write },
    { "cpuid-realmode", check_cpuid_realmode },
    { "cpuid-memo", check_cpuid_memo },
    { "realmode-gp", check_realmode_gp },
    { "xsetbv-rules", check_xsetbv_rules },
    { "apic-base", check_apic_base },
    { "pci", check_pci },
    { "triple-fault", check_triple_fault },
    { "mmio-unsupported", check_mmio_unsupported },
    { "power", check_power_escape },
    { "exit-cost", check_exit_cost },
};

/* Checks that need their own command-line words: `tests=all` leaves them out. */
static const char *const named_only[] = { "pci", "triple-fault", "mmio-unsupported", "power",
                                          "exit-cost" };

static bool is_named_only(const char *name)
{
    for (u32 i = 0; i < ARRAY_SIZE(named_only); i++)
        if (strlen(named_only[i]) == strlen(name) && memcmp(named_only[i], name, strlen(name)) == 0)
            return true;
    return false;
}

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
        if (sel.all && is_named_only(checks[i].name))
            continue;
        if (selection_wants(&sel, checks[i].name))
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
