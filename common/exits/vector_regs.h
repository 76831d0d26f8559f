/**
 * @file common/exits/vector_regs.h
 * @brief The guest's MMX and XMM registers, reached from the VMM (VMM only; chapter 05).
 *
 * bookvisor is built without SSE or MMX (-mno-sse -mno-mmx) and switches no
 * floating-point state: while it handles an exit, the guest's MMX and XMM
 * registers are still in the CPU, untouched. So an emulated MOVQ or MOVDQU
 * can read or write them with the same kind of instruction, here and
 * nowhere else. The guest's own instruction got as far as its memory access,
 * so nothing is pending in the x87 unit and no SIMD exception can come;
 * the VMM's CR0.TS and CR0.EM are cleared and CR4.OSFXSR set for the
 * instruction and put back after it. An MMX move marks the x87 registers
 * valid and sets the stack top to 0, exactly as the guest's instruction
 * would have. XMM8-XMM15 exist only in 64-bit mode.
 */
#ifndef BOOKVISOR_COMMON_EXITS_VECTOR_REGS_H
#define BOOKVISOR_COMMON_EXITS_VECTOR_REGS_H

#include "common/insn/mmio_decode.h"
#include "common/lib/types.h"

/** Copy the whole register (8 bytes of MMn, 16 of XMMn) to out. */
void vector_reg_read(enum mmio_vec_file file, u8 reg, u8 out[16]);

/** Load the whole register (8 bytes of MMn, 16 of XMMn) from in. */
void vector_reg_write(enum mmio_vec_file file, u8 reg, const u8 in[16]);

#endif
