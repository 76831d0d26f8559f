/*
 * common/exits/intercept_policy.c - what bookvisor intercepts, and why (pure).
 */
#include "common/exits/intercept_policy.h"
#include "common/npt/mtrr.h"

#define MSR_IA32_APIC_BASE 0x1Bu
#define MSR_IA32_FEATURE_CONTROL 0x3Au
#define MSR_IA32_MISC_ENABLE 0x1A0u
#define MSR_VMX_CAPS_FIRST 0x480u /* IA32_VMX_BASIC */
#define MSR_VMX_CAPS_LAST 0x493u  /* up to IA32_VMX_PROCBASED_CTLS3 and beyond */
#define MSR_EFER 0xC0000080u
#define MSR_VM_CR 0xC0010114u
#define MSR_VM_HSAVE_PA 0xC0010117u

static const char why_mtrr[] =
    "the nested map follows the guest's memory types: writes are checked, done and re-mapped "
    "(reads go to the hardware)";
static const char why_no_vmx[] =
    "the guest was told there is no VMX: its MSRs raise #GP as on a CPU without it";

/*
 * CR4 writes need bookvisor's checks when the CPU would accept a bit the
 * guest's CPU lacks (a feature the CPUID policy hides: VMXE on Intel), or
 * when bookvisor's own CPU is virtual: QEMU's TCG ends a reserved CR4 write
 * of an AMD-V guest in a failed VMRUN instead of a #GP. Elsewhere (AMD-V on
 * hardware, or on Bochs) the CPU refuses exactly what the guest's CPU
 * would, and the write, which Linux does for every global TLB flush, stays
 * in the guest.
 */
static bool cr4_checks_needed(const struct intercept_facts *f)
{
    return f->cr4_hidden || f->virtual_cpu;
}

static const struct insn_intercept insns[] = {
    { VM_INTERCEPT_CPUID, "CPUID",
      "the CPUID policy: hide VMX and SVM, announce bookvisor (leaves 0x400000xx)", NULL },
    { VM_INTERCEPT_HLT, "HLT",
      "halt the real CPU for the guest and reflect the interrupt that wakes it; a HLT with "
      "interrupts off ends a dead guest", NULL },
    { VM_INTERCEPT_INVD, "INVD",
      "it would drop the VMM's dirty cache lines too: done as WBINVD", NULL },
    { VM_INTERCEPT_HYPERCALL, "VMMCALL/VMCALL", "the hypercalls (common/exits/hypercall.h)", NULL },
    { VM_INTERCEPT_VIRT_INSNS, "VMLOAD, VMSAVE, STGI, CLGI, SKINIT / VMX instructions",
      "the guest was told there is no SVM or VMX: they raise #UD", NULL },
    { VM_INTERCEPT_CR0_WRITE, "MOV to CR0 and LMSW (changing a bit other than TS and MP)",
      "a value the CPU must refuse (PG without PE, NW without CD, ...) gets #GP: Bochs lets an "
      "AMD-V guest set PG without PE, and a value written for the guest meets no CPU check", NULL },
    { VM_INTERCEPT_CR4_WRITE, "MOV to CR4",
      "a bit the guest's CPU lacks or a broken mode rule gets #GP, never a failed VM entry; "
      "needed where the CPU's own checks are not the guest's", cr4_checks_needed },
    { VM_INTERCEPT_SHUTDOWN, "shutdown",
      "a guest triple fault is reported with a state dump, not a reset of the machine", NULL },
    { VM_INTERCEPT_INIT, "INIT", "a reset request is reported, never taken under the VMM", NULL },
};

const struct insn_intercept *intercept_policy_insns(size_t *count)
{
    *count = ARRAY_SIZE(insns);
    return insns;
}

bool intercept_policy_insn_wanted(const struct insn_intercept *rule, const struct intercept_facts *f)
{
    return !rule->wanted || rule->wanted(f);
}

static size_t add(struct msr_intercept *out, size_t n, size_t max, u32 first, u32 last, bool read,
                  bool write, const char *why)
{
    if (n < max)
        out[n] = (struct msr_intercept){ first, last, read, write, why };
    return n + 1;
}

size_t intercept_policy_msrs(const struct intercept_facts *f, struct msr_intercept *out, size_t max)
{
    size_t n = 0;

    if (f->has_mtrr) {
        u32 nvar = (u32)(f->mtrr_cap & 0xFF);
        /* The architecture has room for 40 pairs before the fixed ranges
         * (0x200-0x24F); a larger VCNT is a broken report. */
        if (nvar > (MTRR_MSR_FIX64K_00000 - MTRR_MSR_PHYSBASE0) / 2)
            nvar = (MTRR_MSR_FIX64K_00000 - MTRR_MSR_PHYSBASE0) / 2;
        if (nvar)
            n = add(out, n, max, MTRR_MSR_PHYSBASE0, MTRR_MSR_PHYSBASE0 + 2 * nvar - 1, false, true,
                    why_mtrr);
        if (f->mtrr_cap & (1u << 8)) {
            n = add(out, n, max, MTRR_MSR_FIX64K_00000, MTRR_MSR_FIX64K_00000, false, true, why_mtrr);
            n = add(out, n, max, MTRR_MSR_FIX16K_80000, MTRR_MSR_FIX16K_A0000, false, true, why_mtrr);
            n = add(out, n, max, MTRR_MSR_FIX4K_C0000, MTRR_MSR_FIX4K_C0000 + 7, false, true, why_mtrr);
        }
        n = add(out, n, max, MTRR_MSR_DEF_TYPE, MTRR_MSR_DEF_TYPE, false, true, why_mtrr);
    }
    n = add(out, n, max, MSR_IA32_APIC_BASE, MSR_IA32_APIC_BASE, false, true,
            "moving the local APIC moves it for the VMM too: writes are done for the guest, "
            "never onto a page it may not map (bookvisor's memory, a hooked page)");
    n = add(out, n, max, MSR_VMX_CAPS_FIRST, MSR_VMX_CAPS_LAST, true, true, why_no_vmx);
    n = add(out, n, max, MSR_EFER, MSR_EFER, f->has_svm, true,
            "an EFER bit the guest's CPU lacks, or LME changed under paging, gets #GP, never a "
            "failed VM entry; with SVM reads too: the guest must never see SVME");
    if (f->has_vmx)
        n = add(out, n, max, MSR_IA32_FEATURE_CONTROL, MSR_IA32_FEATURE_CONTROL, true, true,
                "the guest was told there is no VMX: it reads as locked with VMX off, writes "
                "are ignored");
    if (f->intel)
        n = add(out, n, max, MSR_IA32_MISC_ENABLE, MSR_IA32_MISC_ENABLE, false, true,
                "its CPUID limit bit changes leaf 0, which the backends remember: writes are "
                "done for the guest and empty the memo");
    if (f->has_svm)
        n = add(out, n, max, MSR_VM_CR, MSR_VM_CR, true, true,
                "the guest was told there is no SVM: it reads as locked with SVM disabled, "
                "writes are ignored");
    n = add(out, n, max, MSR_VM_HSAVE_PA, MSR_VM_HSAVE_PA, true, true,
            "where AMD-V saves host state at VMRUN: a guest that moved it could make the CPU "
            "write anywhere; #GP, as without SVM");
    return n;
}

bool intercept_policy_msr(const struct intercept_facts *f, u32 msr, bool *read, bool *write)
{
    struct msr_intercept rules[INTERCEPT_POLICY_MAX_MSR_RULES];
    size_t n = intercept_policy_msrs(f, rules, ARRAY_SIZE(rules));

    for (size_t i = 0; i < n && i < ARRAY_SIZE(rules); i++) {
        if (msr < rules[i].first || msr > rules[i].last)
            continue;
        if (read)
            *read = rules[i].read;
        if (write)
            *write = rules[i].write;
        return true;
    }
    return false;
}

bool intercept_policy_external_interrupts(bool vmm_owns_vectors, const char **why)
{
    *why = vmm_owns_vectors
               ? "the VMM owns a vector: every external interrupt exits, the VMM's are handled, "
                 "the guest's reflected through the event queue"
               : "the guest owns the interrupt controllers: its interrupts go straight to it";
    return vmm_owns_vectors;
}
