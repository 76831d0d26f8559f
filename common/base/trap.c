/*
 * common/base/trap.c - what a trap taken by the VMM means (isr.S calls trap_dispatch()).
 *
 * Exceptions in the VMM are bugs: print everything useful and panic, with
 * two exceptions of the rule: a #GP of a fault-safe instruction, and a #DB
 * that single-stepping guest leaves behind at an entry instruction
 * (trap_note_guest_step_site()). External interrupts arrive in the VMM only
 * in an interrupt window (arch/x86/desc.h: while it halts on behalf of a
 * guest, or right after an exit an interrupt caused): a vector the VMM owns
 * is handled at once (common/base/irq.h); any other is remembered, not
 * acknowledged, so the exit handler can reflect it into the guest, whose
 * handler sends the EOI.
 */
#include "common/base/trap.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/percpu.h"
#include "common/lib/shootdown.h"
#include "common/base/irq.h"
#include "common/base/kprintf.h"
#include "common/base/panic.h"

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound", "#UD invalid opcode", "#NM no math", "#DF double fault",
    "coprocessor overrun", "#TS invalid TSS", "#NP not present", "#SS stack fault",
    "#GP general protection", "#PF page fault", "reserved 15", "#MF x87 error",
    "#AC alignment", "#MC machine check", "#XM SIMD", "#VE virtualization",
    "#CP control protection", "reserved 22", "reserved 23", "reserved 24",
    "reserved 25", "reserved 26", "reserved 27", "#HV", "#VC", "#SX", "reserved 31",
};

#define TRAP_STEP_SITES 4
#define DR6_BS (1ULL << 14)

/* Written by the backends while bookvisor starts, before any guest runs;
 * only read afterwards (trap handlers take no lock). */
static u64 step_sites[TRAP_STEP_SITES];
static unsigned step_site_count;
static u64 stray_steps;

void trap_note_guest_step_site(const void *rip)
{
    for (unsigned i = 0; i < step_site_count; i++)
        if (step_sites[i] == (u64)(uintptr_t)rip)
            return;
    if (step_site_count < TRAP_STEP_SITES)
        step_sites[step_site_count++] = (u64)(uintptr_t)rip;
}

static bool is_guest_step(const struct trap_frame *tf)
{
    if (!(read_dr6() & DR6_BS))
        return false;
    for (unsigned i = 0; i < step_site_count; i++)
        if (tf->rip == step_sites[i])
            return true;
    return false;
}

void trap_dispatch(struct trap_frame *tf);

void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector & DESC_WAIT_VECTOR_FLAG) { /* an interrupt window: the VMM's or the guest's */
        u8 vector = (u8)tf->vector;
        if (irq_dispatch(vector))
            desc_note_vmm_vector();
        else
            desc_note_guest_vector(vector);
        return;
    }
    /* wrmsr_safe(), xsetbv_safe(): the guest's value refused; not a VMM bug. */
    if (desc_fixup_safe_insn(tf))
        return;
    if (tf->vector >= 32) {
        if (!irq_dispatch((u8)tf->vector))
            desc_note_guest_vector((u8)tf->vector);
        return;
    }
    if (tf->vector == 2) {
        /* Another CPU's shootdown (common/vm/vm_shootdown.h): the VMM's, like
         * a VMM vector (a halt for the guest halts again). */
        if (shootdown_nmi_claim(&this_cpu()->shootdown_nmi)) {
            __atomic_store_n(&this_cpu()->shootdown_nmi_in_host, 1, __ATOMIC_RELAXED);
            desc_note_vmm_vector();
            return;
        }
        desc_note_nmi();
        kprintf("bookvisor: NMI in the VMM at rip=0x%llx (ignored)\n", (unsigned long long)tf->rip);
        return;
    }
    /* The single step of a guest instruction the VMM intercepted, delivered
     * to the host by an emulator after the exit (chapter 03, "Single-stepping
     * guests"): the guest's, and the exit path gives the guest its #DB. */
    if (tf->vector == 1 && is_guest_step(tf)) {
        write_dr6(0xFFFF0FF0ULL); /* its reset value: the next #DB starts clean */
        if (stray_steps++ == 0)
            kprintf("bookvisor: a guest's single-step #DB reached the VMM at rip=0x%llx "
                    "(the emulator's; ignored, the guest gets its own)\n",
                    (unsigned long long)tf->rip);
        return;
    }
    panic_trap(tf, exception_names[tf->vector]);
}
