/**
 * @file common/insn/mmio_rmw.h
 * @brief What a read-modify-write instruction does with the value it read (pure).
 *
 * A driver may change a device register in one instruction: `lock or`,
 * `lock and`, `lock xadd`, `lock cmpxchg`. bookvisor emulates such an
 * instruction on a hooked page as one read and one write of the hook (the
 * hook sees the same two accesses a device sees from the locked bus
 * cycles; with one vCPU per hook handler at a time, nothing comes between
 * them). This file computes the value written, the register the
 * instruction updates, and the arithmetic flags, exactly as the SDM
 * describes each instruction (vol. 2: OR, AND, XADD, CMPXCHG).
 */
#ifndef BOOKVISOR_COMMON_INSN_MMIO_RMW_H
#define BOOKVISOR_COMMON_INSN_MMIO_RMW_H

#include "common/insn/mmio_decode.h"
#include "common/lib/types.h"

/** @name RFLAGS bits the arithmetic instructions set */
/** @{ */
#define RFLAGS_CF (1ULL << 0) /**< carry */
#define RFLAGS_PF (1ULL << 2) /**< parity of the low byte */
#define RFLAGS_AF (1ULL << 4) /**< carry out of bit 3 */
#define RFLAGS_ZF (1ULL << 6) /**< zero */
#define RFLAGS_SF (1ULL << 7) /**< sign */
#define RFLAGS_OF (1ULL << 11) /**< signed overflow */
/** @} */

/** What one read-modify-write does. */
struct mmio_rmw_result {
    u64 write_value; /**< the value written back to memory (low size bytes) */
    bool reg_written; /**< the register operand (or rAX for CMPXCHG) changes */
    u8 reg; /**< which register: the ModRM one, or 0 (rAX) for a failed CMPXCHG */
    bool reg_high_byte; /**< reg is AH, CH, DH or BH */
    u64 reg_value; /**< the register's new full value (already merged) */
    u64 rflags; /**< RFLAGS after the instruction */
};

/**
 * Apply a decoded MMIO_FORM_RMW access to the value read from memory.
 * @param access   the decoded instruction (rmw_op, size, reg or imm)
 * @param mem      the value read (low size bytes)
 * @param reg_full the full value of the ModRM register (ignored for immediates)
 * @param rax      the full value of RAX (the accumulator CMPXCHG compares)
 * @param rflags   RFLAGS before the instruction
 * @param out      what to write, which register changes, the new flags
 */
void mmio_rmw_apply(const struct mmio_access *access, u64 mem, u64 reg_full, u64 rax, u64 rflags,
                    struct mmio_rmw_result *out);

#endif
