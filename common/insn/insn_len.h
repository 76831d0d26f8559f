/**
 * @file common/insn/insn_len.h
 * @brief x86 instruction-length decoder (pure, host-testable).
 *
 * AMD-V saves the next RIP on intercepts only when the CPU has the
 * NRIP-save feature; QEMU TCG does not. Without it the VMM reads up to 15
 * bytes at the guest RIP and asks this decoder how long the instruction is,
 * so it can step over it. The decoder also reports what it saw on the way
 * (prefixes, REX, ModRM, SIB, displacement, immediate) so that higher-level
 * decoders such as common/insn/mmio_decode.c need not parse them again.
 *
 * The opcode tables cover the one-byte map and the two-byte (0F) map. The
 * three-byte maps (0F 38, 0F 3A), 3DNow!, VEX, EVEX and XOP are not decoded:
 * they return INSN_UNSUPPORTED, as does every encoding whose length differs
 * between Intel and AMD. The decoder never guesses.
 */
#ifndef BOOKVISOR_COMMON_INSN_INSN_LEN_H
#define BOOKVISOR_COMMON_INSN_INSN_LEN_H

#include "common/lib/types.h"

/** Architectural limit on the length of one instruction. */
#define INSN_MAX_LEN 15

/** Default operand/address size the guest's code segment selects. */
enum insn_mode {
    INSN_MODE_16, /**< real mode, or protected mode with CS.D = 0 */
    INSN_MODE_32, /**< protected/compatibility mode with CS.D = 1 */
    INSN_MODE_64, /**< long mode with CS.L = 1 */
};

/** Outcome of insn_decode_length(). */
enum insn_status {
    INSN_OK, /**< decoded; *out is filled in */
    INSN_TRUNCATED, /**< the instruction continues past the avail bytes */
    INSN_TOO_LONG, /**< it would be longer than INSN_MAX_LEN bytes (\#GP) */
    INSN_UNSUPPORTED, /**< opcode not in the tables, or invalid in this mode */
};

/** What the decoder found in one instruction. */
struct insn_info {
    u8 length; /**< total bytes, 1..15 */
    u8 prefix_len; /**< legacy prefix bytes plus the REX byte, if any */
    u8 opcode_len; /**< 1 (one-byte map) or 2 (0F xx) */
    u8 opcode[3]; /**< opcode bytes, opcode_len of them are valid */

    bool rep; /**< an F3 prefix was present */
    bool repne; /**< an F2 prefix was present */
    bool lock; /**< an F0 prefix was present */
    /** Last segment prefix byte (2E 36 3E 26 64 65), 0 if none. */
    u8 seg_override;
    bool opsize_override; /**< a 66 prefix was present */
    bool addrsize_override; /**< a 67 prefix was present */
    u8 rex; /**< REX byte in effect (0x40..0x4F), 0 if none */

    /**
     * Effective operand-size attribute in bytes (2, 4 or 8) from the mode,
     * 66 and REX.W. Byte-sized opcodes and instructions that default to 64
     * bits (PUSH, POP, near branches) are not special-cased here.
     */
    u8 operand_size;
    u8 address_size; /**< effective address size in bytes (2, 4 or 8) */

    bool has_modrm; /**< a ModRM byte follows the opcode */
    u8 modrm; /**< the ModRM byte (valid when has_modrm) */
    bool has_sib; /**< a SIB byte follows the ModRM byte */
    u8 sib; /**< the SIB byte (valid when has_sib) */
    bool rip_relative; /**< memory operand is RIP/EIP-relative (64-bit mode) */
    u8 disp_len; /**< displacement bytes: 0, 1, 2 or 4 */
    s64 disp; /**< displacement, sign-extended */

    u8 imm_len; /**< total immediate bytes (moffs counts as immediate) */
    u64 imm; /**< first immediate (or moffs), zero-extended raw value */
    u16 imm2; /**< second immediate: ENTER's ib, a far pointer's selector */
};

/**
 * Find the length of the instruction at bytes[0..avail).
 *
 * @param bytes  instruction bytes as fetched from guest memory
 * @param avail  how many of them are valid (callers normally fetch 15)
 * @param mode   default operand/address size of the code segment
 * @param out    filled in on INSN_OK; not written otherwise
 * @return INSN_OK, or why the length cannot be given. INSN_TOO_LONG wins
 *         over INSN_TRUNCATED when the 15-byte limit is reached first.
 */
enum insn_status insn_decode_length(const u8 *bytes, size_t avail, enum insn_mode mode,
                                    struct insn_info *out);

/** ModRM.mod field (bits 7:6) of a decoded instruction. */
static inline u8 insn_modrm_mod(const struct insn_info *info)
{
    return (u8)(info->modrm >> 6);
}

/** ModRM.reg field (bits 5:3), without the REX.R extension. */
static inline u8 insn_modrm_reg(const struct insn_info *info)
{
    return (u8)((info->modrm >> 3) & 7);
}

/** ModRM.rm field (bits 2:0), without the REX.B extension. */
static inline u8 insn_modrm_rm(const struct insn_info *info)
{
    return (u8)(info->modrm & 7);
}

/** Short name of a status, for log messages ("ok", "truncated", ...). */
const char *insn_status_name(enum insn_status status);

#endif
