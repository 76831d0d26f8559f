/**
 * @file arch/svm/svm_guest_state.h
 * @brief The VMCB state save area from a generic initial state, and the
 *        VMRUN consistency checks it must pass (pure).
 *
 * svm_vcpu_init() fills the save area with svm_guest_state_encode(), and
 * svm_run() names any rule svm_state_check() finds broken before entering:
 * VMRUN itself only answers VMEXIT_INVALID. tests/unit/test_svm_guest_state.c
 * runs each starting mode of common/vm/vcpu_state.h through both.
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_GUEST_STATE_H
#define BOOKVISOR_ARCH_SVM_SVM_GUEST_STATE_H

#include "arch/svm/vmcb.h"
#include "common/lib/types.h"
#include "common/vm/vcpu.h"

/**
 * Fill the save area from st: segments, descriptor tables, CPL (SS.DPL),
 * control registers, EFER with SVME set (VMRUN demands it; the guest never
 * sees it), the power-on DR6, DR7 and PAT. RAX is the VMCB's too.
 */
void svm_guest_state_encode(const struct vcpu_init_state *st, struct vmcb_save *g);

/** The VMRUN consistency checks on the fields bookvisor sets (AMD APM vol. 2, "VMRUN"). */
enum svm_state_rule {
    SVM_RULE_EFER_SVME,     /**< EFER.SVME is set */
    SVM_RULE_CR0_CD_NW,     /**< not CR0.NW without CR0.CD */
    SVM_RULE_CR0_HIGH,      /**< CR0 bits 63:32 are zero */
    SVM_RULE_CR4_RESERVED,  /**< CR4 bits 63:32 and VMXE (reserved on AMD) are zero */
    SVM_RULE_DR_HIGH,       /**< DR6 and DR7 bits 63:32 are zero */
    SVM_RULE_EFER_RESERVED, /**< EFER bits 63:32, 9 and 7:1 are zero */
    SVM_RULE_LONG_PAE,      /**< EFER.LME with CR0.PG needs CR4.PAE */
    SVM_RULE_LONG_PE,       /**< EFER.LME with CR0.PG needs CR0.PE */
    SVM_RULE_LONG_CS,       /**< in long mode, CS.L and CS.D are not both set */
    SVM_RULE_VMRUN_INTERCEPT, /**< VMRUN is intercepted */
    SVM_RULE_ASID,          /**< the guest ASID is not 0 */
    SVM_RULE_COUNT          /**< number of rules */
};

/**
 * Check a VMCB against the rules above.
 * @return a bit mask, bit n set = rule n broken (0: VMRUN accepts these fields)
 */
u32 svm_state_check(const struct vmcb *vmcb);

/** What rule r requires, in words ("?" when out of range). */
const char *svm_state_rule_name(enum svm_state_rule r);

/**
 * The EFER the VMCB gets for the guest's own, after a write of CR0, CR4 or
 * EFER that bookvisor carries out: SVME set (VMRUN demands it); LMA =
 * LME and CR0.PG, as the CPU would set it (VMRUN takes LMA as given); and
 * LME held back while neither CR4.PAE nor CR0.PG is set (an exit from
 * such a guest costs QEMU 7.2's host its paging on \#VMEXIT: chapter 03).
 * @param guest_efer the guest's EFER (LME as it wrote it; LMA and SVME ignored)
 * @param cr0        the guest's CR0
 * @param cr4        the guest's CR4
 * @param lme_held   out: LME was held back (the guest's EFER has it, the VMCB not)
 */
u64 svm_efer_for_vmcb(u64 guest_efer, u64 cr0, u64 cr4, bool *lme_held);

/**
 * The save-area fields bookvisor's report prints, as bookvisor gave them to
 * VMRUN. After a VMRUN that fails (VMEXIT_INVALID) the save area holds
 * whatever the CPU stored there: Bochs and QEMU store the host's RIP, RSP,
 * CR3, ... So svm_run and svm_on_exit take this record before an entry
 * whose state bookvisor wrote (a failure needs such a state: what the CPU
 * saved at an exit it can enter again), and the report prints it instead.
 */
struct svm_entry_record {
    bool taken;        /**< false until one is taken */
    u64 exits;         /**< exits counted when it was taken: it is the entry after them */
    /**@{*/
    /** a register as given to VMRUN (RAX from the vCPU's general registers) */
    u64 rip, rsp, rflags, rax, cr0, cr3, cr4, efer;
    /**@}*/
    /**@{*/
    /** a segment as given */
    struct vmcb_segment cs, ss;
    /**@}*/
    u8 cpl;            /**< CPL as given */
};

/** Take the record of an entry made with save area g and RAX, after exits exits. */
void svm_entry_record_take(struct svm_entry_record *r, const struct vmcb_save *g, u64 rax,
                           u64 exits);

/**
 * Is r the state of the entry that failed, exits_now exits having been
 * counted (the failure is one of them)? Only then may it stand for the
 * guest's state; else the guest's registers are not known.
 */
bool svm_entry_record_describes(const struct svm_entry_record *r, u64 exits_now);

#endif
