/**
 * @file common/insn/mmio_decode.h
 * @brief Decode a guest instruction that touched a hooked MMIO page (pure).
 *
 * When the guest reads or writes an MMIO page the VMM hooks, the nested
 * page fault tells the VMM the address but not the data. The VMM fetches the
 * faulting instruction, decodes it here into "read or write, how many bytes,
 * which register (or which immediate)", performs the access against the
 * emulated device, updates the register with mmio_read_result_apply() and
 * steps RIP by the decoded length.
 *
 * The forms real drivers use are accepted, each as one struct mmio_access:
 *
 * - MMIO_FORM_MOV: MOV r/m,r (88 89), MOV r,r/m (8A 8B), MOV r/m,imm
 *   (C6 /0, C7 /0), MOV AL/rAX <-> moffs (A0..A3), MOVZX (0F B6 B7) and
 *   MOVSX (0F BE BF): one read or one write;
 * - MMIO_FORM_STRING: MOVS, STOS, LODS, INS and OUTS (A4 A5 AA AB AC AD 6C
 *   6D 6E 6F), with or without REP (F3): one element per step, the other
 *   side of MOVS may be RAM or another device;
 * - MMIO_FORM_RMW: OR and AND (08 09 20 21, 80/81/83 /1 and /4), XADD
 *   (0F C0 C1) and CMPXCHG (0F B0 B1), with or without LOCK: one read and
 *   one write of the device, the flags and registers as the CPU sets them
 *   (common/insn/mmio_rmw.h);
 * - MMIO_FORM_VECTOR: MOVD/MOVQ (0F 6E 7E with MMX or 66 XMM, F3 0F 7E,
 *   66 0F D6, 0F 6F 7F), MOVDQA/MOVDQU (66/F3 0F 6F 7F), MOVAPS/MOVUPS
 *   (0F 28 29 10 11) and MOVAPD/MOVUPD (66 0F 28 29 10 11) between an MMX
 *   or XMM register and memory;
 * - MMIO_FORM_STACK: PUSH r and POP r (50..5F), whose memory is SS:rSP.
 *
 * 66, 67, REX and segment prefixes are honoured. Anything else is
 * MMIO_DECODE_UNSUPPORTED: the caller reports the bytes and stops the guest.
 * The decoder only says what the instruction does; where its memory operand
 * is comes from common/insn/insn_addr.h, using the decoded insn field.
 */
#ifndef BOOKVISOR_COMMON_INSN_MMIO_DECODE_H
#define BOOKVISOR_COMMON_INSN_MMIO_DECODE_H

#include "common/insn/insn_len.h"
#include "common/lib/types.h"

/** Outcome of mmio_decode(). */
enum mmio_decode_status {
    MMIO_DECODE_OK, /**< decoded; *out is filled in */
    MMIO_DECODE_TRUNCATED, /**< more instruction bytes are needed */
    MMIO_DECODE_TOO_LONG, /**< longer than 15 bytes */
    MMIO_DECODE_UNSUPPORTED, /**< not one of the accepted data moves */
};

/** Direction of the memory access, seen from the guest. */
enum mmio_dir {
    MMIO_READ, /**< the guest loads from the device into a register */
    MMIO_WRITE, /**< the guest stores a register or immediate to the device */
};

/** How a read value is widened into the destination register. */
enum mmio_extend {
    MMIO_EXTEND_NONE, /**< plain MOV: access size = register size */
    MMIO_EXTEND_ZERO, /**< MOVZX */
    MMIO_EXTEND_SIGN, /**< MOVSX */
};

/** Which family of instruction touched the device. */
enum mmio_form {
    MMIO_FORM_MOV, /**< one read or one write between memory and a register or immediate */
    MMIO_FORM_STRING, /**< MOVS, STOS, LODS, INS, OUTS (string_op), maybe with REP */
    MMIO_FORM_RMW, /**< OR, AND, XADD, CMPXCHG on memory (rmw_op): a read, then a write */
    MMIO_FORM_VECTOR, /**< a move between an MMX or XMM register and memory */
    MMIO_FORM_STACK, /**< PUSH r (dir MMIO_WRITE) or POP r (dir MMIO_READ) */
};

/** The string instructions. */
enum mmio_string_op {
    MMIO_STR_MOVS, /**< memory to memory: [seg:rSI] to ES:[rDI] */
    MMIO_STR_STOS, /**< rAX to ES:[rDI] */
    MMIO_STR_LODS, /**< [seg:rSI] to rAX */
    MMIO_STR_INS, /**< port DX to ES:[rDI] */
    MMIO_STR_OUTS, /**< [seg:rSI] to port DX */
};

/** The read-modify-write operations. */
enum mmio_rmw_op {
    MMIO_RMW_OR, /**< memory |= source */
    MMIO_RMW_AND, /**< memory &= source */
    MMIO_RMW_XADD, /**< memory += register, the register gets the old value */
    MMIO_RMW_CMPXCHG, /**< if rAX == memory: memory = register, else rAX = memory */
};

/** The register file of a vector move. */
enum mmio_vec_file {
    MMIO_VEC_MMX, /**< MM0..MM7 (64 bits) */
    MMIO_VEC_XMM, /**< XMM0..XMM15 (128 bits) */
};

/** One decoded MMIO access. */
struct mmio_access {
    enum mmio_form form; /**< the family; the fields below say which apply */
    enum mmio_dir dir; /**< read or write */
    u8 size; /**< bytes accessed in memory: 1, 2, 4 or 8 */
    enum mmio_extend extend; /**< widening on reads (MOVZX/MOVSX) */
    /**
     * Width of the register operand in bytes (1, 2, 4 or 8). Equals size
     * except for MOVZX/MOVSX, where it is the destination's operand size.
     */
    u8 reg_size;

    bool uses_imm; /**< a write of imm rather than of a register */
    u64 imm; /**< immediate already widened to size bytes */
    /** GPR index 0..15: RAX RCX RDX RBX RSP RBP RSI RDI, then R8..R15. */
    u8 reg;
    /**
     * The register is AH, CH, DH or BH (an 8-bit operand 4..7 without a REX
     * prefix): reg holds 0..3 and the byte is bits 15:8 of that register.
     */
    bool reg_high_byte;

    u8 length; /**< instruction length, for stepping RIP */
    u8 seg_override; /**< segment prefix byte, 0 if none */
    bool has_moffs; /**< A0..A3: the address was in the instruction */
    u64 moffs; /**< that address (valid when has_moffs) */
    /**
     * The decode mode; 32-bit register writes zero-extend to 64 bits only in
     * 64-bit mode.
     */
    enum insn_mode mode;

    enum mmio_string_op string_op; /**< MMIO_FORM_STRING: which one (size = element size) */
    bool rep; /**< MMIO_FORM_STRING: an F3 prefix repeats it rCX times */
    enum mmio_rmw_op rmw_op; /**< MMIO_FORM_RMW: which operation (size, reg or imm = source) */
    bool lock; /**< MMIO_FORM_RMW: an F0 prefix (the emulation is atomic either way) */
    enum mmio_vec_file vec_file; /**< MMIO_FORM_VECTOR: MMX or XMM */
    u8 vec_reg; /**< MMIO_FORM_VECTOR: register number (0..7, or 0..15 for XMM) */
    /**
     * MMIO_FORM_VECTOR loads of 4 or 8 bytes (MOVD, MOVQ): the rest of the
     * register becomes zero. Wider loads and all stores leave it alone.
     */
    bool vec_zero_upper;
    struct insn_info insn; /**< the instruction as decoded (for its memory operand's address) */
};

/**
 * Decode the instruction at bytes[0..avail) as an MMIO access.
 *
 * @param bytes  instruction bytes fetched at the guest RIP
 * @param avail  number of valid bytes (normally 15)
 * @param mode   default operand/address size of the guest code segment
 * @param out    written only on MMIO_DECODE_OK
 * @return MMIO_DECODE_OK or why not. Register-to-register forms, LOCK on
 *         anything but the read-modify-write forms, REPNE on string
 *         instructions and every other opcode are MMIO_DECODE_UNSUPPORTED.
 */
enum mmio_decode_status mmio_decode(const u8 *bytes, size_t avail, enum insn_mode mode,
                                    struct mmio_access *out);

/**
 * New value of the destination register after a read.
 *
 * @param access     a decoded MMIO_READ access
 * @param old_value  the register's full 64-bit value before the instruction
 * @param data       the value read from the device (only the low
 *                   access->size bytes are used)
 * @return the full 64-bit register value the guest must see: 8-bit and
 *         16-bit destinations keep the other bits (AH..BH update bits 15:8),
 *         32-bit destinations zero-extend in 64-bit mode and keep bits 63:32
 *         otherwise, MOVZX/MOVSX widen the data first.
 */
u64 mmio_read_result_apply(const struct mmio_access *access, u64 old_value, u64 data);

/**
 * Value a write stores to the device.
 *
 * @param access     a decoded MMIO_WRITE access
 * @param reg_value  full 64-bit value of access->reg (ignored for immediates)
 * @return the data, in the low access->size bytes, upper bytes zero
 */
u64 mmio_write_value(const struct mmio_access *access, u64 reg_value);

/**
 * New value of a general register that a read writes with a given width:
 * size 1 (bits 15:8 when high_byte), 2, 4 or 8, with the rules of
 * mmio_read_result_apply() for a plain MOV.
 */
u64 mmio_reg_merge(u64 old_value, u64 data, u8 size, bool high_byte, enum insn_mode mode);

/** Short name of a status, for log messages. */
const char *mmio_decode_status_name(enum mmio_decode_status status);

#endif
