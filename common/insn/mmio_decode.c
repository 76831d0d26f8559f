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

/* Immediate of group 1 (80 81 83) widened to size bytes. */
static u64 group1_imm(const struct insn_info *info, u8 size)
{
    if (info->opcode[0] == 0x83) /* imm8, sign-extended to the operand size */
        return sign_extend_to_64(info->imm, 1) & low_bytes_mask(size);
    if (size == 8) /* imm32, sign-extended */
        return sign_extend_to_64(info->imm, 4);
    return info->imm & low_bytes_mask(size);
}

/* OR and AND, with a register (08 09 20 21) or an immediate (80 81 83 /1 /4). */
static bool decode_logic(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[0];
    u8 size = (op & 1) ? info->operand_size : 1;

    if (insn_modrm_mod(info) == 3)
        return false;
    access->form = MMIO_FORM_RMW;
    access->dir = MMIO_WRITE;
    access->size = size;
    if (op >= 0x80) {
        u8 reg = insn_modrm_reg(info);

        if (reg != 1 && reg != 4)
            return false; /* ADD ADC SBB SUB XOR CMP: not emulated */
        access->rmw_op = reg == 1 ? MMIO_RMW_OR : MMIO_RMW_AND;
        access->reg_size = size;
        access->uses_imm = true;
        access->imm = group1_imm(info, size);
        return true;
    }
    access->rmw_op = op < 0x20 ? MMIO_RMW_OR : MMIO_RMW_AND;
    set_modrm_reg_operand(access, info, size);
    return true;
}

/* MOVS STOS LODS INS OUTS; REPNE is refused (its meaning there is not architectural). */
static bool decode_string(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[0];
    bool wide = op & 1;

    if (info->repne)
        return false;
    access->form = MMIO_FORM_STRING;
    access->rep = info->rep;
    access->reg = 0; /* rAX for STOS and LODS */
    switch (op & ~1) {
    case 0xa4: access->string_op = MMIO_STR_MOVS; access->dir = MMIO_READ; break;
    case 0xaa: access->string_op = MMIO_STR_STOS; access->dir = MMIO_WRITE; break;
    case 0xac: access->string_op = MMIO_STR_LODS; access->dir = MMIO_READ; break;
    case 0x6c: access->string_op = MMIO_STR_INS; access->dir = MMIO_WRITE; break;
    default: access->string_op = MMIO_STR_OUTS; access->dir = MMIO_READ; break;
    }
    access->size = wide ? info->operand_size : 1;
    /* Port I/O has no 64-bit form: REX.W leaves INSD/OUTSD at 4 bytes. */
    if ((access->string_op == MMIO_STR_INS || access->string_op == MMIO_STR_OUTS) && wide)
        access->size = info->operand_size == 2 ? 2 : 4;
    access->reg_size = access->size;
    return true;
}

/* PUSH r, POP r: 64 bits by default in 64-bit mode. */
static bool decode_stack(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[0];
    u8 size = info->operand_size;

    if (access->mode == INSN_MODE_64)
        size = info->opsize_override ? 2 : 8;
    access->form = MMIO_FORM_STACK;
    access->dir = op < 0x58 ? MMIO_WRITE : MMIO_READ;
    access->size = size;
    access->reg_size = size;
    access->reg = (u8)((op & 7) | ((info->rex & 0x01) ? 8 : 0)); /* REX.B */
    return true;
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
    case 0x08: case 0x09: case 0x20: case 0x21: /* OR, AND r/m, r */
    case 0x80: case 0x81: case 0x83: /* group 1 r/m, imm */
        return decode_logic(info, access);
    case 0xa4: case 0xa5: case 0xaa: case 0xab: case 0xac: case 0xad: /* MOVS STOS LODS */
    case 0x6c: case 0x6d: case 0x6e: case 0x6f: /* INS OUTS */
        return decode_string(info, access);
    case 0x50 ... 0x5f: /* PUSH r, POP r */
        return decode_stack(info, access);
    default: return false;
    }
}

/* Vector moves: opcode and mandatory prefix (none, 66 or F3) name the form. */
static bool decode_vector(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[1];
    u8 prefix = info->repne ? 0xf2 : info->rep ? 0xf3 : info->opsize_override ? 0x66 : 0;
    bool wide = info->rex & 0x08; /* REX.W: MOVQ instead of MOVD */
    bool load, xmm = prefix != 0, zero = false;
    u8 size;

    if (insn_modrm_mod(info) == 3 || prefix == 0xf2)
        return false;
    switch (op) {
    case 0x6e: /* MOVD/MOVQ mm|xmm, r/m */
        if (prefix == 0xf3)
            return false;
        load = true, size = wide ? 8 : 4, zero = true;
        break;
    case 0x7e: /* MOVD/MOVQ r/m, mm|xmm; F3: MOVQ xmm, m64 */
        if (prefix == 0xf3)
            load = true, size = 8, zero = true;
        else
            load = false, size = wide ? 8 : 4;
        break;
    case 0x6f: /* MOVQ mm, m64; MOVDQA (66), MOVDQU (F3) xmm, m128 */
    case 0x7f: /* and the stores */
        load = op == 0x6f, size = xmm ? 16 : 8;
        break;
    case 0xd6: /* MOVQ m64, xmm (66 only) */
        if (prefix != 0x66)
            return false;
        load = false, size = 8;
        break;
    case 0x10: case 0x11: /* MOVUPS (none), MOVUPD (66) */
    case 0x28: case 0x29: /* MOVAPS (none), MOVAPD (66) */
        if (prefix == 0xf3)
            return false; /* MOVSS, CVTSI2SS: not plain moves of the register */
        load = !(op & 1), size = 16, xmm = true;
        break;
    default: return false;
    }
    access->form = MMIO_FORM_VECTOR;
    access->dir = load ? MMIO_READ : MMIO_WRITE;
    access->size = size;
    access->reg_size = size;
    access->vec_file = xmm ? MMIO_VEC_XMM : MMIO_VEC_MMX;
    access->vec_reg = (u8)(insn_modrm_reg(info) | ((xmm && (info->rex & 0x04)) ? 8 : 0));
    access->vec_zero_upper = zero && load;
    return true;
}

/* MOVZX/MOVSX, XADD, CMPXCHG and the vector moves; false for any other two-byte opcode. */
static bool decode_two_byte(const struct insn_info *info, struct mmio_access *access)
{
    u8 op = info->opcode[1];

    if (insn_modrm_mod(info) == 3)
        return false;
    switch (op) {
    case 0xb6: case 0xb7: case 0xbe: case 0xbf: /* MOVZX, MOVSX */
        access->dir = MMIO_READ;
        access->size = (op & 1) ? 2 : 1;
        access->extend = (op & 8) ? MMIO_EXTEND_SIGN : MMIO_EXTEND_ZERO;
        /* The destination is never a byte register, so no AH..BH case. */
        set_modrm_reg_operand(access, info, info->operand_size);
        return true;
    case 0xc0: case 0xc1: /* XADD r/m, r */
    case 0xb0: case 0xb1: /* CMPXCHG r/m, r */
        access->form = MMIO_FORM_RMW;
        access->dir = MMIO_WRITE;
        access->rmw_op = op >= 0xc0 ? MMIO_RMW_XADD : MMIO_RMW_CMPXCHG;
        access->size = (op & 1) ? info->operand_size : 1;
        set_modrm_reg_operand(access, info, access->size);
        return true;
    default:
        return decode_vector(info, access);
    }
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
    access.mode = mode;
    if (info.opcode_len == 1)
        ok = decode_one_byte(&info, &access);
    else
        ok = decode_two_byte(&info, &access);
    /* LOCK is legal on the read-modify-write forms only (elsewhere: #UD). */
    if (!ok || (info.lock && access.form != MMIO_FORM_RMW))
        return MMIO_DECODE_UNSUPPORTED;

    access.length = info.length;
    access.seg_override = info.seg_override;
    access.mode = mode;
    access.lock = info.lock;
    access.insn = info;
    *out = access;
    return MMIO_DECODE_OK;
}

u64 mmio_reg_merge(u64 old_value, u64 data, u8 size, bool high_byte, enum insn_mode mode)
{
    u64 value = data & low_bytes_mask(size);

    switch (size) {
    case 1:
        if (high_byte)
            return (old_value & ~0xff00ULL) | (value << 8);
        return (old_value & ~0xffULL) | value;
    case 2: return (old_value & ~0xffffULL) | value;
    case 4:
        /* 64-bit mode zero-extends 32-bit results; elsewhere the
         * upper half is invisible to the guest, so leave it alone. */
        if (mode == INSN_MODE_64)
            return value;
        return (old_value & ~0xffffffffULL) | value;
    default: return value;
    }
}

u64 mmio_read_result_apply(const struct mmio_access *access, u64 old_value, u64 data)
{
    u64 value = data & low_bytes_mask(access->size);

    if (access->extend == MMIO_EXTEND_SIGN)
        value = sign_extend_to_64(value, access->size);
    return mmio_reg_merge(old_value, value, access->reg_size, access->reg_high_byte, access->mode);
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
