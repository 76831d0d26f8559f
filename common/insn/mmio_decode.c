/**
 * @file common/insn/mmio_decode.c
 * @brief MMIO access decoding on top of the instruction-length decoder.
 *
 * insn_decode_length() already parsed prefixes, REX, ModRM, displacement and
 * immediate. Here we only decide whether the opcode is one of the accepted
 * data moves and turn its operands into a struct mmio_access.
 */
#include "common/insn/mmio_decode.h"

/* Mask covering the low size bytes (size 1, 2, 4 or 8). */
static u64 low_bytes_mask(u8 size)
{
    return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Sign-extend the low size bytes of value to 64 bits. */
static u64 sign_extend_to_64(u64 value, u8 size)
{
    switch (size) {
    case 1: return (u64)(s64)(s8)value;
    case 2: return (u64)(s64)(s16)value;
    case 4: return (u64)(s64)(s32)value;
    default: return value;
    }
}

/*
 * Fill in the register operand named by ModRM.reg (extended by REX.R). For
 * byte operands without any REX prefix, 4..7 name AH CH DH BH; with a REX
 * prefix they name SPL BPL SIL DIL instead.
 */
static void set_modrm_reg_operand(struct mmio_access *access, const struct insn_info *info,
                                  u8 reg_size)
{
    u8 reg = insn_modrm_reg(info);

    if (info->rex & 0x04) /* REX.R */
        reg |= 8;
    access->reg_size = reg_size;
    if (reg_size == 1 && info->rex == 0 && reg >= 4) {
        access->reg = (u8)(reg - 4);
        access->reg_high_byte = true;
    } else {
        access->reg = reg;
    }
}

/* The accepted one-byte opcodes; false for anything else. */
static bool decode_one_byte(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[0];
    u8 size = (op & 1) ? info->operand_size : 1;

    switch (op) {
    case 0x88: /* MOV r/m8, r8 */
    case 0x89: /* MOV r/m, r */
    case 0x8a: /* MOV r8, r/m8 */
    case 0x8b: /* MOV r, r/m */
        if (insn_modrm_mod(info) == 3)
            return false; /* register to register: no memory access */
        access->dir = (op & 2) ? MMIO_READ : MMIO_WRITE;
        access->size = size;
        set_modrm_reg_operand(access, info, size);
        return true;
    case 0xc6: /* MOV r/m8, imm8 */
    case 0xc7: /* MOV r/m, imm16/32 (sign-extended to 64 with REX.W) */
        if (insn_modrm_mod(info) == 3 || insn_modrm_reg(info) != 0)
            return false;
        access->dir = MMIO_WRITE;
        access->size = size;
        access->reg_size = size;
        access->uses_imm = true;
        access->imm =
            size == 8 ? sign_extend_to_64(info->imm, 4) : info->imm & low_bytes_mask(size);
        return true;
    case 0xa0: /* MOV AL, moffs8 */
    case 0xa1: /* MOV rAX, moffs */
    case 0xa2: /* MOV moffs8, AL */
    case 0xa3: /* MOV moffs, rAX */
        access->dir = (op & 2) ? MMIO_WRITE : MMIO_READ;
        access->size = size;
        access->reg_size = size;
        access->reg = 0;
        access->has_moffs = true;
        access->moffs = info->imm;
        return true;
    default: return false;
    }
}

/* MOVZX/MOVSX (0F B6 B7 BE BF); false for any other two-byte opcode. */
static bool decode_two_byte(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[1];

    if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
        return false;
    if (insn_modrm_mod(info) == 3)
        return false;
    access->dir = MMIO_READ;
    access->size = (op & 1) ? 2 : 1;
    access->extend = (op & 8) ? MMIO_EXTEND_SIGN : MMIO_EXTEND_ZERO;
    /* The destination is never a byte register, so no AH..BH case. */
    set_modrm_reg_operand(access, info, info->operand_size);
    return true;
}

enum mmio_decode_status mmio_decode(const u8 *bytes, size_t avail, enum insn_mode mode,
                                    struct mmio_access *out)
{
    struct insn_info info;
    struct mmio_access access = { 0 };
    bool ok;

    switch (insn_decode_length(bytes, avail, mode, &info)) {
    case INSN_OK: break;
    case INSN_TRUNCATED: return MMIO_DECODE_TRUNCATED;
    case INSN_TOO_LONG: return MMIO_DECODE_TOO_LONG;
    case INSN_UNSUPPORTED: return MMIO_DECODE_UNSUPPORTED;
    }
    /* LOCK on a MOV raises #UD, so it never reaches an MMIO fault. */
    if (info.lock)
        return MMIO_DECODE_UNSUPPORTED;

    if (info.opcode_len == 1)
        ok = decode_one_byte(&info, &access);
    else
        ok = decode_two_byte(&info, &access);
    if (!ok)
        return MMIO_DECODE_UNSUPPORTED;

    access.length = info.length;
    access.seg_override = info.seg_override;
    access.mode = mode;
    *out = access;
    return MMIO_DECODE_OK;
}

u64 mmio_read_result_apply(const struct mmio_access *access, u64 old_value, u64 data)
{
    u64 value = data & low_bytes_mask(access->size);

    if (access->extend == MMIO_EXTEND_SIGN)
        value = sign_extend_to_64(value, access->size);
    value &= low_bytes_mask(access->reg_size);

    switch (access->reg_size) {
    case 1:
        if (access->reg_high_byte)
            return (old_value & ~0xff00ULL) | (value << 8);
        return (old_value & ~0xffULL) | value;
    case 2: return (old_value & ~0xffffULL) | value;
    case 4:
        /* 64-bit mode zero-extends 32-bit results; elsewhere the
         * upper half is invisible to the guest, so leave it alone. */
        if (access->mode == INSN_MODE_64)
            return value;
        return (old_value & ~0xffffffffULL) | value;
    default: return value;
    }
}

u64 mmio_write_value(const struct mmio_access *access, u64 reg_value)
{
    u64 source;

    if (access->uses_imm)
        source = access->imm;
    else if (access->reg_high_byte)
        source = reg_value >> 8;
    else
        source = reg_value;
    return source & low_bytes_mask(access->size);
}

const char *mmio_decode_status_name(enum mmio_decode_status status)
{
    switch (status) {
    case MMIO_DECODE_OK: return "ok";
    case MMIO_DECODE_TRUNCATED: return "truncated";
    case MMIO_DECODE_TOO_LONG: return "too long";
    case MMIO_DECODE_UNSUPPORTED: return "unsupported";
    }
    return "?";
}
