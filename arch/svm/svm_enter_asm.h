/**
 * @file arch/svm/svm_enter_asm.h
 * @brief VMCB offsets, exit codes and bits svm_enter.S uses (its fast path,
 *        and the choice of the C entry).
 *
 * Checked against struct vmcb (arch/svm/vmcb.h) by _Static_assert in
 * arch/svm/svm_backend.c and arch/svm/svm_exit_direct.c: a change of layout
 * breaks the build.
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_ENTER_ASM_H
#define BOOKVISOR_ARCH_SVM_SVM_ENTER_ASM_H

#define SVM_ASM_TLB_CONTROL 0x05C      /**< control.tlb_control (one byte) */
#define SVM_ASM_INTERRUPT_SHADOW 0x068 /**< control.interrupt_shadow */
#define SVM_ASM_EXITCODE 0x070         /**< control.exitcode */
#define SVM_ASM_EVENTINJ 0x0A8         /**< control.eventinj */
#define SVM_ASM_NEXT_RIP 0x0C8         /**< control.next_rip */
#define SVM_ASM_CR4 0x548              /**< save.cr4 (the guest's, at every \#VMEXIT) */
#define SVM_ASM_RFLAGS 0x570           /**< save.rflags (TF is bit 0 of its second byte) */
#define SVM_ASM_RIP 0x578              /**< save.rip */
#define SVM_ASM_RAX 0x5F8              /**< save.rax */
#define SVM_ASM_EXIT_CPUID 0x72        /**< the CPUID exit code */
#define SVM_ASM_CR4_OSXSAVE_BIT 18     /**< CR4.OSXSAVE */
#define SVM_ASM_LEAF1_OSXSAVE_BIT 27   /**< CPUID.1:ECX.OSXSAVE, which mirrors it */
#define SVM_ASM_EXIT_IOIO 0x7B         /**< the IOIO exit code (svm_exit_io()) */
#define SVM_ASM_EXIT_VMMCALL 0x81      /**< the VMMCALL exit code (svm_exit_vmmcall()) */

#endif
