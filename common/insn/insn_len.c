/**
 * @file common/insn/insn_len.c
 * @brief x86 instruction-length decoder: prefixes, opcode tables, ModRM/SIB.
 *
 * An instruction is: legacy prefixes, an optional REX byte (64-bit mode),
 * one or two opcode bytes, an optional ModRM byte with an optional SIB byte
 * and displacement, then an optional immediate. The opcode decides whether a
 * ModRM byte and which immediate follow; the tables below say so for every
 * opcode we accept. They were written from the opcode maps in the Intel SDM
 * Vol. 2 appendix A and the AMD APM Vol. 3 appendix A.
 */
#include "common/insn/insn_len.h"

/* Immediate kinds, kept in the low four bits of a table entry. */
enum imm_kind {
    IMM_NONE,
    IMM_B, /* 1 byte (also rel8) */
    IMM_W, /* 2 bytes */
    IMM_Z, /* 2 bytes with 16-bit operand size, else 4 */
    IMM_V, /* operand size: 2, 4 or 8 (MOV r, imm only) */
    IMM_MOFFS, /* address size: 2, 4 or 8 (MOV A0..A3) */
    IMM_REL_Z, /* near branch displacement, like IMM_Z */
    IMM_ENTER, /* ENTER: 2 bytes then 1 byte */
    IMM_FAR_PTR, /* far pointer: IMM_Z offset then 2-byte selector */
    IMM_GRP3, /* F6/F7: /0 has IMM_B or IMM_Z, other /r have none */
};

#define IMM_MASK 0x000f
#define F_MODRM 0x0010 /* a ModRM byte follows the opcode */
#define F_I64 0x0020 /* invalid in 64-bit mode */
#define F_VALID 0x0040 /* the entry exists; zero entries are unsupported */
#define F_CHECK 0x0080 /* opcode-specific check in check_*_byte() */
#define F_MODRM_REG 0x0100 /* mod is ignored: always a register operand */

/* One entry: valid, plus the given flags and immediate kind. */
#define OP(flags) ((u16)(F_VALID | (flags)))
/* The eight ALU families (ADD OR ADC SBB AND SUB XOR CMP) share one layout. */
#define ALU_FAMILY(base) \
    [(base) + 0 ...(base) + 3] = OP(F_MODRM), [(base) + 4] = OP(IMM_B), [(base) + 5] = OP(IMM_Z)

/*
 * One-byte opcode map. Prefix bytes (26 2E 36 3E 64 65 66 67 F0 F2 F3, and
 * 40..4F in 64-bit mode) are consumed before this table is consulted; 0F is
 * the escape to the two-byte map.
 */
static const u16 one_byte_map[256] = {
    ALU_FAMILY(0x00),
    [0x06] = OP(F_I64), /* PUSH ES */
    [0x07] = OP(F_I64), /* POP ES */
    ALU_FAMILY(0x08),
    [0x0e] = OP(F_I64), /* PUSH CS */
    ALU_FAMILY(0x10),
    [0x16] = OP(F_I64), /* PUSH SS */
    [0x17] = OP(F_I64), /* POP SS */
    ALU_FAMILY(0x18),
    [0x1e] = OP(F_I64), /* PUSH DS */
    [0x1f] = OP(F_I64), /* POP DS */
    ALU_FAMILY(0x20),
    [0x27] = OP(F_I64), /* DAA */
    ALU_FAMILY(0x28),
    [0x2f] = OP(F_I64), /* DAS */
    ALU_FAMILY(0x30),
    [0x37] = OP(F_I64), /* AAA */
    ALU_FAMILY(0x38),
    [0x3f] = OP(F_I64), /* AAS */
    [0x40 ... 0x4f] = OP(0), /* INC/DEC r (REX in 64-bit mode) */
    [0x50 ... 0x5f] = OP(0), /* PUSH/POP r */
    [0x60] = OP(F_I64), /* PUSHA */
    [0x61] = OP(F_I64), /* POPA */
    [0x62] = OP(F_I64 | F_MODRM | F_CHECK), /* BOUND; EVEX if mod = 3 */
    [0x63] = OP(F_MODRM), /* ARPL / MOVSXD */
    [0x68] = OP(IMM_Z), /* PUSH imm */
    [0x69] = OP(F_MODRM | IMM_Z), /* IMUL r, r/m, imm */
    [0x6a] = OP(IMM_B), /* PUSH imm8 */
    [0x6b] = OP(F_MODRM | IMM_B), /* IMUL r, r/m, imm8 */
    [0x6c ... 0x6f] = OP(0), /* INS, OUTS */
    [0x70 ... 0x7f] = OP(IMM_B), /* Jcc rel8 */
    [0x80] = OP(F_MODRM | IMM_B), /* group 1 r/m8, imm8 */
    [0x81] = OP(F_MODRM | IMM_Z), /* group 1 r/m, imm */
    [0x82] = OP(F_I64 | F_MODRM | IMM_B), /* group 1 alias of 80 */
    [0x83] = OP(F_MODRM | IMM_B), /* group 1 r/m, imm8 */
    [0x84 ... 0x8e] = OP(F_MODRM), /* TEST XCHG MOV LEA MOV-Sreg */
    [0x8f] = OP(F_MODRM | F_CHECK), /* POP r/m; XOP if reg != 0 */
    [0x90 ... 0x99] = OP(0), /* XCHG/NOP/PAUSE, CBW, CWD */
    [0x9a] = OP(F_I64 | IMM_FAR_PTR), /* CALL far */
    [0x9b ... 0x9f] = OP(0), /* FWAIT PUSHF POPF SAHF LAHF */
    [0xa0 ... 0xa3] = OP(IMM_MOFFS), /* MOV AL/rAX <-> moffs */
    [0xa4 ... 0xa7] = OP(0), /* MOVS, CMPS */
    [0xa8] = OP(IMM_B), /* TEST AL, imm8 */
    [0xa9] = OP(IMM_Z), /* TEST rAX, imm */
    [0xaa ... 0xaf] = OP(0), /* STOS, LODS, SCAS */
    [0xb0 ... 0xb7] = OP(IMM_B), /* MOV r8, imm8 */
    [0xb8 ... 0xbf] = OP(IMM_V), /* MOV r, imm */
    [0xc0 ... 0xc1] = OP(F_MODRM | IMM_B), /* group 2 shifts by imm8 */
    [0xc2] = OP(IMM_W), /* RET imm16 */
    [0xc3] = OP(0), /* RET */
    [0xc4 ... 0xc5] = OP(F_I64 | F_MODRM | F_CHECK), /* LES/LDS; VEX */
    [0xc6] = OP(F_MODRM | IMM_B | F_CHECK), /* MOV r/m8, imm8; XABORT */
    [0xc7] = OP(F_MODRM | IMM_Z | F_CHECK), /* MOV r/m, imm; XBEGIN */
    [0xc8] = OP(IMM_ENTER), /* ENTER */
    [0xc9] = OP(0), /* LEAVE */
    [0xca] = OP(IMM_W), /* RETF imm16 */
    [0xcb ... 0xcc] = OP(0), /* RETF, INT3 */
    [0xcd] = OP(IMM_B), /* INT imm8 */
    [0xce] = OP(F_I64), /* INTO */
    [0xcf] = OP(0), /* IRET */
    [0xd0 ... 0xd3] = OP(F_MODRM), /* group 2 shifts by 1/CL */
    [0xd4 ... 0xd5] = OP(F_I64 | IMM_B), /* AAM, AAD */
    [0xd7] = OP(0), /* XLAT */
    [0xd8 ... 0xdf] = OP(F_MODRM), /* x87 escapes */
    [0xe0 ... 0xe3] = OP(IMM_B), /* LOOPcc, JrCXZ */
    [0xe4 ... 0xe7] = OP(IMM_B), /* IN/OUT with imm8 port */
    [0xe8 ... 0xe9] = OP(IMM_REL_Z), /* CALL, JMP near */
    [0xea] = OP(F_I64 | IMM_FAR_PTR), /* JMP far */
    [0xeb] = OP(IMM_B), /* JMP rel8 */
    [0xec ... 0xef] = OP(0), /* IN/OUT with DX port */
    [0xf1] = OP(0), /* INT1 */
    [0xf4 ... 0xf5] = OP(0), /* HLT, CMC */
    [0xf6 ... 0xf7] = OP(F_MODRM | IMM_GRP3 | F_CHECK), /* group 3 */
    [0xf8 ... 0xfd] = OP(0), /* CLC STC CLI STI CLD STD */
    [0xfe ... 0xff] = OP(F_MODRM | F_CHECK), /* groups 4 and 5 */
};

/* Two-byte opcode map (the byte after 0F). */
static const u16 two_byte_map[256] = {
    [0x00] = OP(F_MODRM | F_CHECK), /* group 6: SLDT STR LLDT LTR VERR VERW */
    [0x01] = OP(F_MODRM | F_CHECK), /* group 7: see check_0f01() */
    [0x02 ... 0x03] = OP(F_MODRM), /* LAR, LSL */
    [0x05 ... 0x09] = OP(0), /* SYSCALL CLTS SYSRET INVD WBINVD */
    [0x0b] = OP(0), /* UD2 */
    [0x0d] = OP(F_MODRM), /* PREFETCH/PREFETCHW */
    [0x10 ... 0x17] = OP(F_MODRM), /* SSE moves */
    [0x18 ... 0x1f] = OP(F_MODRM), /* prefetch, hint NOPs */
    [0x20 ... 0x23] = OP(F_MODRM | F_MODRM_REG), /* MOV CR/DR */
    [0x28 ... 0x2f] = OP(F_MODRM), /* SSE moves/converts */
    [0x30 ... 0x35] = OP(0), /* WRMSR RDTSC RDMSR RDPMC SYSENTER SYSEXIT */
    [0x37] = OP(0), /* GETSEC */
    [0x40 ... 0x4f] = OP(F_MODRM), /* CMOVcc */
    [0x50 ... 0x6f] = OP(F_MODRM), /* SSE/MMX arithmetic */
    [0x70 ... 0x73] = OP(F_MODRM | IMM_B), /* PSHUF*, shift groups 12-14 */
    [0x74 ... 0x76] = OP(F_MODRM), /* PCMPEQ* */
    [0x77] = OP(0), /* EMMS */
    [0x78 ... 0x79] = OP(F_MODRM | F_CHECK), /* VMREAD, VMWRITE */
    [0x7c ... 0x7f] = OP(F_MODRM), /* HADD/HSUB, MOVD/MOVQ */
    [0x80 ... 0x8f] = OP(IMM_REL_Z), /* Jcc rel16/32 */
    [0x90 ... 0x9f] = OP(F_MODRM), /* SETcc */
    [0xa0 ... 0xa2] = OP(0), /* PUSH FS, POP FS, CPUID */
    [0xa3] = OP(F_MODRM), /* BT */
    [0xa4] = OP(F_MODRM | IMM_B), /* SHLD imm8 */
    [0xa5] = OP(F_MODRM), /* SHLD CL */
    [0xa8 ... 0xaa] = OP(0), /* PUSH GS, POP GS, RSM */
    [0xab] = OP(F_MODRM), /* BTS */
    [0xac] = OP(F_MODRM | IMM_B), /* SHRD imm8 */
    [0xad ... 0xaf] = OP(F_MODRM), /* SHRD CL, group 15, IMUL */
    [0xb0 ... 0xb7] = OP(F_MODRM), /* CMPXCHG LSS BTR LFS LGS MOVZX */
    [0xb8] = OP(F_MODRM | F_CHECK), /* POPCNT (F3 only) */
    [0xba] = OP(F_MODRM | IMM_B | F_CHECK), /* group 8: BT* imm8 */
    [0xbb ... 0xbf] = OP(F_MODRM), /* BTC BSF BSR MOVSX */
    [0xc0 ... 0xc1] = OP(F_MODRM), /* XADD */
    [0xc2] = OP(F_MODRM | IMM_B), /* CMPPS */
    [0xc3] = OP(F_MODRM), /* MOVNTI */
    [0xc4 ... 0xc6] = OP(F_MODRM | IMM_B), /* PINSRW PEXTRW SHUFPS */
    [0xc7] = OP(F_MODRM), /* group 9 */
    [0xc8 ... 0xcf] = OP(0), /* BSWAP */
    [0xd0 ... 0xfe] = OP(F_MODRM), /* SSE/MMX arithmetic */
};

/* Register forms (mod = 3) of 0F 01 that we know; each is three bytes. */
static bool is_known_0f01_register_form(u8 modrm, enum insn_mode mode)
{
    switch (modrm) {
    case 0xc0 ... 0xc4: /* ENCLV VMCALL VMLAUNCH VMRESUME VMXOFF */
    case 0xc8 ... 0xcb: /* MONITOR MWAIT CLAC STAC */
    case 0xcf: /* ENCLS */
    case 0xd0 ... 0xd1: /* XGETBV XSETBV */
    case 0xd4 ... 0xd7: /* VMFUNC XEND XTEST ENCLU */
    case 0xd8 ... 0xdf: /* VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT INVLPGA */
    case 0xe0 ... 0xe7: /* SMSW r */
    case 0xe8: /* SERIALIZE */
    case 0xee ... 0xef: /* RDPKRU WRPKRU */
    case 0xf0 ... 0xf7: /* LMSW r */
    case 0xf9 ... 0xfd: /* RDTSCP MONITORX MWAITX CLZERO RDPRU */ return true;
    case 0xf8: /* SWAPGS exists only in 64-bit mode */ return mode == INSN_MODE_64;
    default: return false;
    }
}

/* Opcode-specific validity for one-byte opcodes flagged F_CHECK. */
static bool one_byte_is_valid(const struct insn_info *info)
{
    u8 reg = insn_modrm_reg(info);

    switch (info->opcode[0]) {
    case 0x62: /* BOUND needs memory; mod = 3 is EVEX */
    case 0xc4: /* LES/LDS need memory; mod = 3 is VEX */
    case 0xc5: return insn_modrm_mod(info) != 3;
    case 0x8f: /* only POP r/m; other reg values are AMD XOP */ return reg == 0;
    case 0xc6: /* MOV /0, or XABORT/XBEGIN as the exact byte F8 */
    case 0xc7: return reg == 0 || info->modrm == 0xf8;
    case 0xf6: /* /1 is an undocumented TEST alias: not guessed at */
    case 0xf7: return reg != 1;
    case 0xfe: /* INC, DEC */ return reg <= 1;
    case 0xff: /* INC DEC CALL CALLF JMP JMPF PUSH */ return reg <= 6;
    default: return false;
    }
}

/* Opcode-specific validity for two-byte opcodes flagged F_CHECK. */
static bool two_byte_is_valid(const struct insn_info *info, enum insn_mode mode)
{
    u8 reg = insn_modrm_reg(info);

    switch (info->opcode[1]) {
    case 0x00: return reg <= 5;
    case 0x01:
        if (insn_modrm_mod(info) == 3)
            return is_known_0f01_register_form(info->modrm, mode);
        return reg != 5; /* memory /5 needs an F3 prefix: not decoded */
    case 0x78: /* with 66 or F2 these are AMD EXTRQ/INSERTQ (extra imm) */
    case 0x79: return !info->opsize_override && !info->repne;
    case 0xb8: /* without F3 this is JMPE, not POPCNT */ return info->rep;
    case 0xba: /* only BT BTS BTR BTC (/4../7) */ return reg >= 4;
    default: return false;
    }
}

/* Can bytes [0, end) be read? Enforces the 15-byte limit first. */
static enum insn_status need_bytes(size_t end, size_t avail)
{
    if (end > INSN_MAX_LEN)
        return INSN_TOO_LONG;
    if (end > avail)
        return INSN_TRUNCATED;
    return INSN_OK;
}

/* Little-endian value of n bytes (n <= 8). */
static u64 read_le(const u8 *p, unsigned n)
{
    u64 value = 0;

    for (unsigned i = 0; i < n; i++)
        value |= (u64)p[i] << (8 * i);
    return value;
}

/* Sign-extend the low n bytes (1, 2 or 4) of value. */
static s64 sign_extend(u64 value, unsigned n)
{
    switch (n) {
    case 1: return (s8)value;
    case 2: return (s16)value;
    case 4: return (s32)value;
    default: return (s64)value;
    }
}

/* Record one legacy prefix; false if b is not a legacy prefix. */
static bool take_legacy_prefix(u8 b, struct insn_info *info)
{
    switch (b) {
    case 0x26:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x64:
    case 0x65: info->seg_override = b; return true;
    case 0x66: info->opsize_override = true; return true;
    case 0x67: info->addrsize_override = true; return true;
    case 0xf0: info->lock = true; return true;
    case 0xf2: info->repne = true; return true;
    case 0xf3: info->rep = true; return true;
    default: return false;
    }
}

/* Effective operand and address sizes from mode, prefixes and REX.W. */
static void compute_sizes(struct insn_info *info, enum insn_mode mode)
{
    switch (mode) {
    case INSN_MODE_16:
        info->operand_size = info->opsize_override ? 4 : 2;
        info->address_size = info->addrsize_override ? 4 : 2;
        break;
    case INSN_MODE_32:
        info->operand_size = info->opsize_override ? 2 : 4;
        info->address_size = info->addrsize_override ? 2 : 4;
        break;
    case INSN_MODE_64:
        if (info->rex & 0x08) /* REX.W beats 66 */
            info->operand_size = 8;
        else
            info->operand_size = info->opsize_override ? 2 : 4;
        info->address_size = info->addrsize_override ? 4 : 8;
        break;
    }
}

/* Parse SIB and displacement after the ModRM byte at bytes[*pos - 1]. */
static enum insn_status parse_memory_operand(const u8 *bytes, size_t avail, size_t *pos,
                                             enum insn_mode mode, struct insn_info *info)
{
    u8 mod = insn_modrm_mod(info);
    u8 rm = insn_modrm_rm(info);
    enum insn_status st;

    if (mod == 3)
        return INSN_OK;

    if (info->address_size == 2) {
        /* 16-bit forms: no SIB; rm = 110 with mod = 00 is [disp16]. */
        if (mod == 0 && rm == 6)
            info->disp_len = 2;
        else if (mod == 1)
            info->disp_len = 1;
        else if (mod == 2)
            info->disp_len = 2;
    } else {
        if (rm == 4) {
            st = need_bytes(*pos + 1, avail);
            if (st != INSN_OK)
                return st;
            info->has_sib = true;
            info->sib = bytes[(*pos)++];
            /* SIB base = 101 with mod = 00: no base, disp32. */
            if (mod == 0 && (info->sib & 7) == 5)
                info->disp_len = 4;
        } else if (mod == 0 && rm == 5) {
            /* [disp32]; in 64-bit mode it is relative to RIP. */
            info->disp_len = 4;
            info->rip_relative = mode == INSN_MODE_64;
        }
        if (mod == 1)
            info->disp_len = 1;
        else if (mod == 2)
            info->disp_len = 4;
    }

    st = need_bytes(*pos + info->disp_len, avail);
    if (st != INSN_OK)
        return st;
    info->disp = sign_extend(read_le(bytes + *pos, info->disp_len), info->disp_len);
    *pos += info->disp_len;
    return INSN_OK;
}

/*
 * Sizes of the immediate parts for an opcode's immediate kind. Returns false
 * when the size depends on the CPU vendor (66-prefixed near branches in
 * 64-bit mode are rel16 on AMD but rel32 on Intel).
 */
static bool immediate_sizes(enum imm_kind kind, const struct insn_info *info, enum insn_mode mode,
                            u8 *first, u8 *second)
{
    u8 z = info->operand_size == 2 ? 2 : 4;

    *first = 0;
    *second = 0;
    switch (kind) {
    case IMM_NONE: break;
    case IMM_B: *first = 1; break;
    case IMM_W: *first = 2; break;
    case IMM_Z: *first = z; break;
    case IMM_V: *first = info->operand_size; break;
    case IMM_MOFFS: *first = info->address_size; break;
    case IMM_REL_Z:
        if (mode == INSN_MODE_64 && info->operand_size == 2)
            return false;
        *first = z;
        break;
    case IMM_ENTER:
        *first = 2;
        *second = 1;
        break;
    case IMM_FAR_PTR:
        *first = z;
        *second = 2;
        break;
    case IMM_GRP3:
        if (insn_modrm_reg(info) == 0)
            *first = (info->opcode[0] & 1) ? z : 1;
        break;
    }
    return true;
}

enum insn_status insn_decode_length(const u8 *bytes, size_t avail, enum insn_mode mode,
                                    struct insn_info *out)
{
    struct insn_info info = { 0 };
    enum insn_status st;
    size_t pos = 0;
    u16 entry;
    u8 imm_first, imm_second;

    /* Prefixes. A REX byte only counts when the opcode follows it. */
    for (;;) {
        st = need_bytes(pos + 1, avail);
        if (st != INSN_OK)
            return st;
        if (take_legacy_prefix(bytes[pos], &info)) {
            info.rex = 0;
        } else if (mode == INSN_MODE_64 && (bytes[pos] & 0xf0) == 0x40) {
            info.rex = bytes[pos];
        } else {
            break;
        }
        pos++;
    }
    info.prefix_len = (u8)pos;
    compute_sizes(&info, mode);

    /* Opcode. */
    info.opcode[0] = bytes[pos++];
    if (info.opcode[0] == 0x0f) {
        st = need_bytes(pos + 1, avail);
        if (st != INSN_OK)
            return st;
        info.opcode[1] = bytes[pos++];
        info.opcode_len = 2;
        entry = two_byte_map[info.opcode[1]];
    } else {
        info.opcode_len = 1;
        entry = one_byte_map[info.opcode[0]];
    }
    if (!(entry & F_VALID))
        return INSN_UNSUPPORTED;
    if ((entry & F_I64) && mode == INSN_MODE_64)
        return INSN_UNSUPPORTED;

    /* ModRM, SIB, displacement. */
    if (entry & F_MODRM) {
        st = need_bytes(pos + 1, avail);
        if (st != INSN_OK)
            return st;
        info.has_modrm = true;
        info.modrm = bytes[pos++];
        if (entry & F_CHECK) {
            bool ok =
                info.opcode_len == 1 ? one_byte_is_valid(&info) : two_byte_is_valid(&info, mode);
            if (!ok)
                return INSN_UNSUPPORTED;
        }
        if (!(entry & F_MODRM_REG)) {
            st = parse_memory_operand(bytes, avail, &pos, mode, &info);
            if (st != INSN_OK)
                return st;
        }
    }

    /* Immediate(s). */
    if (!immediate_sizes((enum imm_kind)(entry & IMM_MASK), &info, mode, &imm_first, &imm_second))
        return INSN_UNSUPPORTED;
    st = need_bytes(pos + imm_first + imm_second, avail);
    if (st != INSN_OK)
        return st;
    info.imm = read_le(bytes + pos, imm_first);
    info.imm2 = (u16)read_le(bytes + pos + imm_first, imm_second);
    info.imm_len = (u8)(imm_first + imm_second);
    pos += info.imm_len;

    info.length = (u8)pos;
    *out = info;
    return INSN_OK;
}

const char *insn_status_name(enum insn_status status)
{
    switch (status) {
    case INSN_OK: return "ok";
    case INSN_TRUNCATED: return "truncated";
    case INSN_TOO_LONG: return "too long";
    case INSN_UNSUPPORTED: return "unsupported";
    }
    return "?";
}
