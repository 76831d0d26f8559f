/**
 * @file arch/svm/svm_exit_decode.h
 * @brief Turning a VMCB exit record into a struct vm_exit (pure, host-testable).
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_EXIT_DECODE_H
#define BOOKVISOR_ARCH_SVM_SVM_EXIT_DECODE_H

#include "arch/svm/vmcb.h"
#include "common/vm/vm_exit.h"

/**
 * Decode an exit (all but cut_short, which svm_cut_short_decode() fills).
 * @param exitcode   VMCB EXITCODE
 * @param info1      EXITINFO1
 * @param info2      EXITINFO2
 * @param rip        guest RIP at the exit
 * @param next_rip   VMCB next-RIP field, or 0 when the CPU has no NRIPS
 * @param out        filled; insn_len is 0 when the length is unknown
 */
void svm_exit_decode(u64 exitcode, u64 info1, u64 info2, u64 rip, u64 next_rip,
                     struct vm_exit *out);

/**
 * Decode EXITINTINFO, the event whose delivery the exit cut short, for the
 * event model (common/vm/event.h): VM_DELIVERY_NONE when its valid bit is
 * clear; exceptions 3 and 4 are INT3 and INTO (VM_DELIVERY_SW_EXCEPTION);
 * an "exception" 2 is an NMI and one above 31 an external interrupt (no
 * exception has those vectors; QEMU 7.2 reports NMIs and interrupts so); a
 * reserved type is VM_DELIVERY_INVALID. The error code sits in bits 63:32.
 */
void svm_cut_short_decode(u64 exitintinfo, struct vm_cut_short_event *out);

/**
 * Instruction length from the guest RIP and the next-RIP value the CPU
 * reported: 0 (unknown) when next_rip is missing or implausible.
 */
static inline u8 svm_insn_len_from(u64 rip, u64 next_rip)
{
    if (next_rip <= rip || next_rip - rip > 15)
        return 0;
    return (u8)(next_rip - rip);
}

/**
 * svm_exit_decode() with the most frequent exit, CPUID, decoded inline
 * (the backend's hot path); every other exit goes to svm_exit_decode().
 * The fields svm_exit_decode() fills come out the same for every input; for
 * CPUID it also sets cut_short to VM_DELIVERY_NONE (an instruction exit
 * interrupts no delivery), which other exits take from
 * svm_cut_short_decode().
 */
static inline void svm_exit_decode_hot(u64 exitcode, u64 info1, u64 info2, u64 rip,
                                       u64 next_rip, struct vm_exit *out)
{
    if (__builtin_expect(exitcode != SVM_EXIT_CPUID, 0)) {
        svm_exit_decode(exitcode, info1, info2, rip, next_rip, out);
        return;
    }
    out->kind = VM_EXIT_CPUID;
    out->native_code = SVM_EXIT_CPUID;
    out->cut_short.delivery = VM_DELIVERY_NONE; /* an instruction exit interrupts no delivery */
    out->raw_info1 = info1;
    out->raw_info2 = info2;
    out->insn_len = svm_insn_len_from(rip, next_rip);
}

#endif
