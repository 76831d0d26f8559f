/*
 * common/base/trap.c - what a trap taken by the VMM means (isr.S calls trap_dispatch()).
 *
 * Exceptions in the VMM are bugs: print everything useful and panic.
 * External interrupts arrive in the VMM only while it halts on behalf of a
 * guest (HLT exit, desc_wait_for_interrupt()); the vector is remembered, not
 * acknowledged, so the exit handler can reflect it into the guest, whose
 * handler sends the EOI.
 */
#include "arch/x86/desc.h"
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

void trap_dispatch(struct trap_frame *tf);

void trap_dispatch(struct trap_frame *tf)
{
    if (tf->vector & DESC_WAIT_VECTOR_FLAG) { /* the halt window: an interrupt for the guest */
        desc_note_host_vector((int)(tf->vector & 0xFF));
        return;
    }
    /* wrmsr_safe(), xsetbv_safe(): the guest's value refused; not a VMM bug. */
    if (desc_fixup_safe_insn(tf))
        return;
    if (tf->vector >= 32) {
        desc_note_host_vector((int)tf->vector);
        return;
    }
    if (tf->vector == 2) {
        kprintf("bookvisor: NMI in the VMM at rip=0x%llx (ignored)\n", (unsigned long long)tf->rip);
        return;
    }
    panic_trap(tf, exception_names[tf->vector]);
}
