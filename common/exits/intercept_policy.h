/**
 * @file common/exits/intercept_policy.h
 * @brief Every MSR and every instruction bookvisor intercepts, and why (pure).
 *
 * The one list of what bookvisor wants to see. common/exits/intercepts.c
 * applies it through the backend operations (set_intercept,
 * set_msr_intercept); the backends add only what their hardware demands
 * (AMD-V: the VMRUN intercept, and EFER, whose SVME bit must stay set).
 * Ports are not listed here: a port is intercepted exactly when an I/O hook
 * claims it (common/vm/hooks.h). Chapter 02 explains each entry.
 */
#ifndef BOOKVISOR_COMMON_EXITS_INTERCEPT_POLICY_H
#define BOOKVISOR_COMMON_EXITS_INTERCEPT_POLICY_H

#include "common/lib/types.h"
#include "common/vm/backend.h"

/** What the MSR part of the policy depends on. */
struct intercept_facts {
    bool intel;    /**< an Intel CPU: IA32_MISC_ENABLE has a CPUID limit bit */
    bool has_vmx;  /**< the CPU has VMX: IA32_FEATURE_CONTROL controls it */
    bool has_svm;  /**< the CPU has SVM: VM_CR controls it */
    bool has_mtrr; /**< CPUID.1:EDX.MTRR */
    u64 mtrr_cap;  /**< IA32_MTRRCAP when has_mtrr: VCNT in 7:0, FIX in bit 8 */
    /** CR4 bits the CPU has but the guest was not told of (CPU features minus the guest's) */
    u64 cr4_hidden;
    /** CPUID.1:ECX.hypervisor: bookvisor's own CPU is virtual (an emulator or another hypervisor) */
    bool virtual_cpu;
};

/** MSRs [first, last] bookvisor intercepts, and why. */
struct msr_intercept {
    u32 first;       /**< first MSR */
    u32 last;        /**< last MSR (inclusive) */
    bool read;       /**< RDMSR exits */
    bool write;      /**< WRMSR exits */
    const char *why; /**< the reason, for people */
};

/** An instruction or event bookvisor intercepts, and why. */
struct insn_intercept {
    enum vm_intercept what; /**< which */
    const char *name;       /**< e.g. "HLT" */
    const char *why;        /**< the reason, for people */
    /** On which CPUs (intercept_policy_insn_wanted()); NULL: on every CPU. */
    bool (*wanted)(const struct intercept_facts *f);
};

/** Most MSR rules intercept_policy_msrs() writes. */
#define INTERCEPT_POLICY_MAX_MSR_RULES 16

/**
 * The MSR rules for a CPU with these facts, in a fixed order; no two
 * overlap.
 * @return the number written (at most max; INTERCEPT_POLICY_MAX_MSR_RULES
 *         is always enough)
 */
size_t intercept_policy_msrs(const struct intercept_facts *f, struct msr_intercept *out, size_t max);

/**
 * The instruction and event rules; *count gets their number. Some apply on
 * some CPUs only: ask intercept_policy_insn_wanted().
 */
const struct insn_intercept *intercept_policy_insns(size_t *count);

/** Does the rule apply on a CPU with these facts? */
bool intercept_policy_insn_wanted(const struct insn_intercept *rule, const struct intercept_facts *f);

/**
 * The event intercepts, which depend on the VMM itself rather than on the
 * CPU: external interrupts exit exactly while the VMM owns a vector of its
 * own (common/base/irq.h), since its interrupts must reach it; otherwise
 * they go straight to the guest, which owns the interrupt controllers.
 * (NMIs are the backends' business: VT-x needs NMI exiting for its NMI
 * window, AMD-V intercepts the IRET; chapter 08.)
 * @param vmm_owns_vectors whether any VMM vector is registered
 * @param why              receives the reason, for people
 * @return whether to intercept external interrupts
 */
bool intercept_policy_external_interrupts(bool vmm_owns_vectors, const char **why);

/**
 * Look one MSR up in the rules for f.
 * @return true when it is intercepted; *read and *write (may be NULL) say how
 */
bool intercept_policy_msr(const struct intercept_facts *f, u32 msr, bool *read, bool *write);

#endif
