/**
 * @file tests/guest/check_msr.c
 * @brief The guest can write and read back harmless MSRs, and cannot touch
 * the ones that belong to the hypervisor.
 */
#include "check.h"
#include "cpu.h"
#include "recover.h"
#include "trap.h"

#define EFLAGS_RF (1u << 16)
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175

/* Values are 32-bit (EDX=0) so they are valid on every CPU: SYSENTER_CS
 * only keeps a selector, and on some AMD parts SYSENTER_ESP only 32 bits. */
struct msr_pattern {
    u32 msr;
    u64 values[2];
};

static const struct msr_pattern patterns[] = {
    { MSR_SYSENTER_CS, { 0x1234, 0x00A8 } },
    { MSR_SYSENTER_ESP, { 0xDEADBEE0, 0x12345678 } },
};

void check_msr_rw(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    for (u32 i = 0; i < ARRAY_SIZE(patterns); i++) {
        const struct msr_pattern *p = &patterns[i];
        u64 saved = rdmsr(p->msr);
        for (u32 k = 0; k < ARRAY_SIZE(p->values); k++) {
            wrmsr(p->msr, p->values[k]);
            u64 got = rdmsr(p->msr);
            if (got != p->values[k])
                check_fail(res, "MSR 0x%x: wrote 0x%llx, read 0x%llx", p->msr, p->values[k], got);
        }
        wrmsr(p->msr, saved);
        u64 restored = rdmsr(p->msr);
        if (restored != saved)
            check_fail(res, "MSR 0x%x: restore 0x%llx read 0x%llx", p->msr, saved, restored);
    }
}

#define VECTOR_GP 13
#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_VMFUNC 0x491
#define MSR_VM_HSAVE_PA 0xC0010117

/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point probe_point;

/* Does RDMSR (or, with @p write, WRMSR of @p value) of @p msr raise #GP? */
static bool msr_faults(u32 msr, bool write, u64 value)
{
    trap_expect(VECTOR_GP, &probe_point);
    if (recover_save(&probe_point) == 0) {
        if (write)
            wrmsr(msr, value);
        else
            (void)rdmsr(msr);
        trap_expect(0, NULL);
        return false;
    }
    return true;
}

void check_msr_vmm_hidden(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    /* CPUID said "no VMX, no SVM": their MSRs must fault as on such a CPU. */
    for (u32 msr = MSR_IA32_VMX_BASIC; msr <= MSR_IA32_VMX_VMFUNC; msr++)
        if (!msr_faults(msr, false, 0))
            check_fail(res, "RDMSR 0x%x (VMX capability) did not raise #GP", msr);
    if (!msr_faults(MSR_VM_HSAVE_PA, false, 0))
        check_fail(res, "RDMSR VM_HSAVE_PA did not raise #GP");
    /* A fault's frame has RFLAGS.RF set (SDM vol. 3, "Resume Flag"), so that an
     * instruction breakpoint does not fire again when the handler returns to
     * the instruction; the #GP bookvisor injects for it must look the same. */
    else if (!(trap_last()->eflags & EFLAGS_RF))
        check_fail(res, "the #GP of RDMSR VM_HSAVE_PA was pushed with RFLAGS.RF clear (0x%x)",
                   trap_last()->eflags);
    /* On AMD this is where the CPU saves host state at VMRUN: a guest that
     * could move it could make the CPU write into any memory. */
    if (!msr_faults(MSR_VM_HSAVE_PA, true, 0x100000))
        check_fail(res, "WRMSR VM_HSAVE_PA did not raise #GP");
}
