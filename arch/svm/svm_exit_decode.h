/**
 * @file arch/svm/svm_exit_decode.h
 * @brief Turning a VMCB exit record into a struct vm_exit (pure, host-testable).
 */
#ifndef BOOKVISOR_ARCH_SVM_SVM_EXIT_DECODE_H
#define BOOKVISOR_ARCH_SVM_SVM_EXIT_DECODE_H

#include "arch/svm/vmcb.h"
#include "common/vm/vm_exit.h"

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
 * The instruction's length from the guest RIP and the next-RIP value the
 * CPU reported, into *len (1 to 15); false, with *len unspecified, when
 * next_rip is missing (0) or implausible (not above rip, or more than 15
 * bytes on).
 */
static inline __attribute__((always_inline)) bool svm_next_rip_len(u64 rip, u64 next_rip, u64 *len)
{
    /* A borrow means next_rip is below rip; 0 wraps round to the largest value. */
    return !__builtin_sub_overflow(next_rip, rip, len) && *len - 1 < 15;
}

/**
 * Instruction length from the guest RIP and the next-RIP value the CPU
 * reported: 0 (unknown) when next_rip is missing or implausible.
 */
static inline u8 svm_insn_len_from(u64 rip, u64 next_rip)
{
    u64 len;
    return svm_next_rip_len(rip, next_rip, &len) ? (u8)len : 0;
}

#define SVM_IOIO_IN (1u << 0) /**< EXITINFO1 of IOIO: an IN (else an OUT) */
#define SVM_IOIO_STRING (1u << 2) /**< EXITINFO1 of IOIO: INS or OUTS */
/**
 * EXITINFO1 of IOIO, its low byte for an IN of one byte, not a string, in
 * 32- or 64-bit code (bits 0 and 4; bit 7, 16-bit addressing, clear).
 */
#define SVM_IOIO_IN_BYTE 0x11u

/**
 * IOIO's EXITINFO1 (its low half; 63:32 are reserved): bit 0 IN, bit 2 a
 * string instruction, bit 3 REP, bits 4 to 6 the size (one-hot: 1, 2 or 4
 * bytes), bits 31:16 the port. The one decoding of it: svm_exit_decode()
 * and the direct path for I/O exits (arch/svm/svm_exit_direct.c) use it.
 */
static inline __attribute__((always_inline)) void svm_ioio_decode(u32 info1, struct vm_exit_io *io)
{
    io->in = info1 & SVM_IOIO_IN;
    io->string = (info1 & SVM_IOIO_STRING) != 0;
    io->rep = (info1 >> 3) & 1;
    io->size = (info1 & (1 << 4)) ? 1 : (info1 & (1 << 5)) ? 2 : 4;
    io->port = (u16)(info1 >> 16);
}

/** The CPL a VMMCALL ran at: SS.DPL, from the save area's SS attributes (bits 6:5). */
static inline u8 svm_cpl_from_ss(u16 ss_attrib)
{
    return (u8)((ss_attrib >> 5) & 3);
}

/** A CR access: with decode assists EXITINFO1 bit 63 says "MOV CRn" and
 * bits 3:0 name the register; without them (or for LMSW) common code
 * decodes the instruction. */
static inline void svm_cr_access_decode(unsigned cr, bool write, u64 info1, struct vm_exit *out)
{
    out->kind = VM_EXIT_CR_ACCESS;
    out->details.cr.cr = (u8)cr;
    out->details.cr.write = write;
    out->details.cr.gpr = (info1 >> 63) ? (u8)(info1 & 0xF) : 0;
    out->details.cr.gpr_unknown = !(info1 >> 63);
    out->details.cr.access = write ? VM_CR_MOV_TO : VM_CR_MOV_FROM;
    out->details.cr.lmsw_data = 0;
}

/**
 * Decode an exit (all but cut_short, which svm_cut_short_decode() fills).
 * @param exitcode   VMCB EXITCODE
 * @param info1      EXITINFO1
 * @param info2      EXITINFO2
 * @param rip        guest RIP at the exit
 * @param next_rip   VMCB next-RIP field, or 0 when the CPU has no NRIPS
 * @param out        filled; insn_len is 0 when the length is unknown
 */
static inline __attribute__((always_inline)) void svm_exit_decode(u64 exitcode, u64 info1, u64 info2, u64 rip, u64 next_rip,
                     struct vm_exit *out)
{
    /* No memset, and inline: this runs on every exit. Each case fills the details its
     * kind defines; handlers read only those. */
    out->native_code = (u32)exitcode;
    out->raw_info1 = info1;
    out->raw_info2 = info2;
    out->insn_len = svm_insn_len_from(rip, next_rip);
    /* VMEXIT_INVALID is -1; some implementations store it as a 32-bit -1. */
    if (exitcode == 0xFFFFFFFFULL)
        exitcode = SVM_EXIT_INVALID;

    switch (exitcode) {
    case SVM_EXIT_CPUID:
        out->kind = VM_EXIT_CPUID;
        break;
    case SVM_EXIT_MSR:
        out->kind = (info1 & 1) ? VM_EXIT_WRMSR : VM_EXIT_RDMSR;
        break;
    case SVM_EXIT_IOIO:
        out->kind = VM_EXIT_IO;
        svm_ioio_decode((u32)info1, &out->details.io);
        /* IOIO always reports the next RIP in EXITINFO2, NRIPS or not. */
        out->insn_len = svm_insn_len_from(rip, info2);
        break;
    case SVM_EXIT_HLT:
        out->kind = VM_EXIT_HLT;
        break;
    case SVM_EXIT_INVD:
        out->kind = VM_EXIT_INVD;
        break;
    case SVM_EXIT_VMMCALL:
        out->kind = VM_EXIT_VMCALL;
        if (!out->insn_len)
            out->insn_len = 3; /* 0F 01 D9 has no prefixes that change it */
        break;
    case SVM_EXIT_NPF:
        out->kind = VM_EXIT_NESTED_PAGE_FAULT;
        out->details.npf.gpa = info2;
        out->details.npf.gla = 0;
        out->details.npf.present = info1 & 1;
        out->details.npf.write = (info1 >> 1) & 1;
        out->details.npf.fetch = (info1 >> 4) & 1;
        out->details.npf.read = !out->details.npf.write && !out->details.npf.fetch;
        break;
    case SVM_EXIT_VMRUN:
    case SVM_EXIT_VMRUN + 2: /* VMLOAD */
    case SVM_EXIT_VMRUN + 3: /* VMSAVE */
    case SVM_EXIT_VMRUN + 4: /* STGI */
    case SVM_EXIT_VMRUN + 5: /* CLGI */
    case SVM_EXIT_VMRUN + 6: /* SKINIT */
        out->kind = VM_EXIT_VIRT_INSN;
        break;
    case SVM_EXIT_XSETBV:
        out->kind = VM_EXIT_XSETBV;
        break;
    case SVM_EXIT_INTR:
        out->kind = VM_EXIT_EXTERNAL_INTERRUPT;
        /* AMD-V takes a physical interrupt only when the guest could (its
         * RFLAGS.IF, with V_INTR_MASKING clear): takeable now. Under the
         * bound (V_INTR_MASKING set) svm_bound_exit() decides. */
        out->details.interrupt.left_pending = false;
        break;
    case SVM_EXIT_VINTR:
        out->kind = VM_EXIT_INTERRUPT_WINDOW;
        break;
    case SVM_EXIT_IRET:
        out->kind = VM_EXIT_IRET;
        break;
    case SVM_EXIT_NMI:
        out->kind = VM_EXIT_NMI;
        break;
    case SVM_EXIT_INIT:
        out->kind = VM_EXIT_INIT;
        break;
    case SVM_EXIT_SHUTDOWN:
        out->kind = VM_EXIT_SHUTDOWN;
        break;
    case SVM_EXIT_INVALID:
        out->kind = VM_EXIT_INVALID_STATE;
        break;
    case SVM_EXIT_CR0_SEL_WRITE:
        svm_cr_access_decode(0, true, info1, out);
        break;
    default:
        if (exitcode < 0x20) {
            svm_cr_access_decode(exitcode & 0xF, exitcode >= SVM_EXIT_CR0_WRITE, info1, out);
        } else if (exitcode >= SVM_EXIT_EXCEPTION_BASE && exitcode < SVM_EXIT_EXCEPTION_BASE + 32) {
            out->kind = VM_EXIT_EXCEPTION;
            out->details.exception.vector = (u8)(exitcode - SVM_EXIT_EXCEPTION_BASE);
            out->details.exception.error_code = (u32)info1;
            /* The vectors for which the CPU pushes an error code (EXITINFO1 holds it). */
            out->details.exception.has_error =
                (0x60227D00u >> out->details.exception.vector) & 1; /* 8, 10-14, 17, 21, 29, 30 */
        } else {
            out->kind = VM_EXIT_UNKNOWN;
        }
        break;
    }
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
