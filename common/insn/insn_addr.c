/**
 * @file common/insn/insn_addr.c
 * @brief Segment and offset of an instruction's memory operand (see insn_addr.h).
 */
#include "common/insn/insn_addr.h"

#define REG_RSP 4
#define REG_RBP 5
#define REG_RSI 6
#define REG_RDI 7

u64 insn_reg_low(u64 reg, u8 size)
{
    return size >= 8 ? reg : reg & ((1ULL << (8 * size)) - 1);
}

u64 insn_reg_add(u64 reg, s64 delta, u8 size, enum insn_mode mode)
{
    u64 sum = insn_reg_low(reg + (u64)delta, size);

    if (size >= 8 || (size == 4 && mode == INSN_MODE_64))
        return sum;
    return (reg & ~insn_reg_low(~0ULL, size)) | sum;
}

enum insn_seg insn_seg_of_prefix(u8 prefix, enum insn_seg dflt)
{
    switch (prefix) {
    case 0x26: return INSN_SEG_ES;
    case 0x2e: return INSN_SEG_CS;
    case 0x36: return INSN_SEG_SS;
    case 0x3e: return INSN_SEG_DS;
    case 0x64: return INSN_SEG_FS;
    case 0x65: return INSN_SEG_GS;
    default: return dflt;
    }
}

/* The 16-bit forms: rm selects a fixed pair of base and index registers. */
static u64 modrm16_offset(const struct insn_info *info, const struct insn_regs *r,
                          enum insn_seg *seg)
{
    static const s8 base16[8] = { 3, 3, REG_RBP, REG_RBP, -1, -1, REG_RBP, 3 };
    static const s8 index16[8] = { REG_RSI, REG_RDI, REG_RSI, REG_RDI, REG_RSI, REG_RDI, -1, -1 };
    u8 mod = insn_modrm_mod(info), rm = insn_modrm_rm(info);
    u64 sum = (u64)info->disp;

    if (mod == 0 && rm == 6) /* [disp16] */
        return sum;
    if (base16[rm] >= 0)
        sum += r->gpr[base16[rm]] & 0xFFFF;
    if (index16[rm] >= 0)
        sum += r->gpr[index16[rm]] & 0xFFFF;
    *seg = base16[rm] == REG_RBP ? INSN_SEG_SS : INSN_SEG_DS;
    return sum;
}

/* The 32- and 64-bit forms: SIB, RIP-relative, [disp32]. */
static u64 modrm32_offset(const struct insn_info *info, const struct insn_regs *r,
                          enum insn_seg *seg)
{
    u8 mod = insn_modrm_mod(info), rm = insn_modrm_rm(info);
    u64 sum = (u64)info->disp;
    int base = -1;

    if (info->rip_relative)
        return sum + r->rip + info->length;
    if (info->has_sib) {
        u8 index = (u8)((info->sib >> 3) & 7) | ((info->rex & 0x02) ? 8 : 0); /* REX.X */
        u8 scale = (u8)(info->sib >> 6);
        u8 b = info->sib & 7;

        if (index != REG_RSP) /* index 100 without REX.X means none */
            sum += r->gpr[index] << scale;
        if (!(b == 5 && mod == 0))
            base = b | ((info->rex & 0x01) ? 8 : 0); /* REX.B */
    } else if (!(mod == 0 && rm == 5)) {
        base = rm | ((info->rex & 0x01) ? 8 : 0);
    }
    if (base >= 0)
        sum += r->gpr[base];
    *seg = (base == REG_RSP || base == REG_RBP) ? INSN_SEG_SS : INSN_SEG_DS;
    return sum;
}

bool insn_modrm_address(const struct insn_info *info, const struct insn_regs *r,
                        struct insn_mem_ref *out)
{
    enum insn_seg seg = INSN_SEG_DS;
    u64 offset;

    if (!info->has_modrm || insn_modrm_mod(info) == 3)
        return false;
    if (info->address_size == 2)
        offset = modrm16_offset(info, r, &seg);
    else
        offset = modrm32_offset(info, r, &seg);
    out->seg = insn_seg_of_prefix(info->seg_override, seg);
    out->offset = insn_reg_low(offset, info->address_size);
    return true;
}

struct insn_mem_ref insn_moffs_address(const struct insn_info *info)
{
    struct insn_mem_ref ref = { insn_seg_of_prefix(info->seg_override, INSN_SEG_DS),
                                insn_reg_low(info->imm, info->address_size) };
    return ref;
}

struct insn_mem_ref insn_string_source(const struct insn_info *info, const struct insn_regs *r)
{
    struct insn_mem_ref ref = { insn_seg_of_prefix(info->seg_override, INSN_SEG_DS),
                                insn_reg_low(r->gpr[REG_RSI], info->address_size) };
    return ref;
}

struct insn_mem_ref insn_string_dest(const struct insn_info *info, const struct insn_regs *r)
{
    struct insn_mem_ref ref = { INSN_SEG_ES, insn_reg_low(r->gpr[REG_RDI], info->address_size) };
    return ref;
}

u64 insn_linear_address(enum insn_mode mode, const struct insn_mem_ref *ref, u64 seg_base)
{
    if (mode == INSN_MODE_64)
        return (ref->seg == INSN_SEG_FS || ref->seg == INSN_SEG_GS) ? seg_base + ref->offset
                                                                    : ref->offset;
    return (seg_base + ref->offset) & 0xFFFFFFFFULL;
}
