/*
 * common/exits/intercepts.c - the intercept policy, applied once per vCPU
 * through the backend operations (the list and the reasons are in
 * intercept_policy.c).
 */
#include "common/exits/intercepts.h"
#include "arch/x86/cpu.h"
#include "common/base/irq.h"
#include "common/exits/cpu_features.h"
#include "common/exits/intercept_policy.h"
#include "common/lib/format.h"
#include "common/npt/mtrr_read.h"
#include "common/vm/guest_vm.h"

int intercepts_apply(struct vcpu *v, const struct cpu_info *cpu, char *why, size_t wlen)
{
    const struct backend_ops *b = v->backend;
    struct intercept_facts facts = {
        .intel = cpu->vendor == CPU_VENDOR_INTEL,
        .has_vmx = cpu->has_vmx,
        .has_svm = cpu->has_svm,
        .virtual_cpu = (cpuid(1, 0).ecx >> 31) & 1,
    };
    struct cr_features host;
    cpu_features_read(false, &host);
    facts.cr4_hidden = host.cr4 & ~guest_vm_of(v)->cr_features.cr4;
    facts.has_mtrr = mtrr_host_cap(&facts.mtrr_cap);

    size_t n;
    const struct insn_intercept *insns = intercept_policy_insns(&n);
    for (size_t i = 0; i < n; i++) {
        if (!intercept_policy_insn_wanted(&insns[i], &facts))
            continue;
        if (!b->set_intercept(v, insns[i].what)) {
            ksnprintf(why, wlen, "the %s backend cannot intercept %s on this CPU", b->name,
                      insns[i].name);
            return -1;
        }
    }

    const char *why_extint;
    if (intercept_policy_external_interrupts(irq_vmm_owns_vectors(), &why_extint) &&
        !b->set_intercept(v, VM_INTERCEPT_EXTERNAL_INTERRUPT)) {
        ksnprintf(why, wlen, "the %s backend cannot intercept external interrupts on this CPU",
                  b->name);
        return -1;
    }

    /* Other processors run vCPUs: an NMI must make this one exit for a
     * flush of the shared nested map (chapter 08, "Shootdown"). */
    if (guest_vm_of(v)->nmi_shootdowns && !b->set_intercept(v, VM_INTERCEPT_NMI)) {
        ksnprintf(why, wlen, "the %s backend cannot intercept NMIs on this CPU", b->name);
        return -1;
    }

    struct msr_intercept msrs[INTERCEPT_POLICY_MAX_MSR_RULES];
    n = intercept_policy_msrs(&facts, msrs, ARRAY_SIZE(msrs));
    for (size_t i = 0; i < n && i < ARRAY_SIZE(msrs); i++)
        for (u64 msr = msrs[i].first; msr <= msrs[i].last; msr++)
            b->set_msr_intercept(v, (u32)msr, msrs[i].read, msrs[i].write);

    hooks_apply_io_intercepts(guest_vm_of(v));
    return 0;
}
