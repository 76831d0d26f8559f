/**
 * @file arch/svm/svm_exit_decode.h
 * @brief Turning a VMCB exit record into a struct vm_exit (pure, host-testable).
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_EXIT_DECODE_H
#define BOOKVISOR_ARCH_SVM_SVM_EXIT_DECODE_H

#include "common/vm_exit.h"

/**
 * Decode an exit.
 * @param exitcode   VMCB EXITCODE
 * @param info1      EXITINFO1
 * @param info2      EXITINFO2
 * @param rip        guest RIP at the exit
 * @param next_rip   VMCB next-RIP field, or 0 when the CPU has no NRIPS
 * @param out        filled; insn_len is 0 when the length is unknown
 */
void svm_exit_decode(u64 exitcode, u64 info1, u64 info2, u64 rip, u64 next_rip,
                     struct vm_exit *out);

#endif
