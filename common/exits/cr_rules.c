/*
 * common/exits/cr_rules.c - the #GP rules of writes to CR0, CR4, EFER and XCR0 that bookvisor enforces.
 *
 * Two kinds of rule: a bit the CPU lacks is reserved (the CPU's features,
 * read once from the CPUID answers the guest gets), and the mode rules that
 * tie the registers together (SDM vol. 2, MOV to/from control registers and
 * WRMSR; APM vol. 2, 3.1). Every rule is here that a guest can break through
 * a write that exits, because such a write never meets the CPU's own checks:
 * bookvisor writes the value into a read shadow, the VMCS or the VMCB.
 */
#include "common/exits/cr_rules.h"

#define BIT(n) (1ULL << (n))

#define CR0_PE BIT(0)
#define CR0_WP BIT(16)
#define CR0_NW BIT(29)
#define CR0_CD BIT(30)
#define CR0_PG BIT(31)

#define CR4_VME BIT(0)
#define CR4_PVI BIT(1)
#define CR4_TSD BIT(2)
#define CR4_DE BIT(3)
#define CR4_PSE BIT(4)
#define CR4_PAE BIT(5)
#define CR4_MCE BIT(6)
#define CR4_PGE BIT(7)
#define CR4_PCE BIT(8)
#define CR4_OSFXSR BIT(9)
#define CR4_OSXMMEXCPT BIT(10)
#define CR4_UMIP BIT(11)
#define CR4_LA57 BIT(12)
#define CR4_VMXE BIT(13)
#define CR4_SMXE BIT(14)
#define CR4_FSGSBASE BIT(16)
#define CR4_PCIDE BIT(17)
#define CR4_OSXSAVE BIT(18)
#define CR4_KL BIT(19)
#define CR4_SMEP BIT(20)
#define CR4_SMAP BIT(21)
#define CR4_PKE BIT(22)
#define CR4_CET BIT(23)
#define CR4_PKS BIT(24)
#define CR4_UINTR BIT(25)

#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_NXE BIT(11)
#define EFER_SVME BIT(12)
#define EFER_FFXSR BIT(14)
#define EFER_TCE BIT(15)
#define EFER_AIBRSE BIT(21)

/* One CPUID feature flag and the CR4 or EFER bits it brings. */
struct feature_bit {
    u8 reg;      /* which answer: see answer() */
    u8 flag;     /* bit number in that register */
    u64 bits;    /* what the flag brings */
};

enum { L1_ECX, L1_EDX, L7_EBX, L7_ECX, L7_EDX, X1_ECX, X1_EDX, X21_EAX };

static u32 answer(const struct cr_cpuid_answers *c, u8 reg)
{
    switch (reg) {
    case L1_ECX: return c->leaf1.ecx;
    case L1_EDX: return c->leaf1.edx;
    case L7_EBX: return c->leaf7.ebx;
    case L7_ECX: return c->leaf7.ecx;
    case L7_EDX: return c->leaf7.edx;
    case X1_ECX: return c->ext1.ecx;
    case X1_EDX: return c->ext1.edx;
    default: return c->ext21.eax;
    }
}

/* SDM vol. 3, 2.5 "Control Registers" and vol. 2, CPUID; APM vol. 3, CPUID. */
static const struct feature_bit cr4_flags[] = {
    { L1_EDX, 1, CR4_VME | CR4_PVI }, { L1_EDX, 4, CR4_TSD },      { L1_EDX, 2, CR4_DE },
    { L1_EDX, 3, CR4_PSE },           { L1_EDX, 6, CR4_PAE },      { L1_EDX, 7, CR4_MCE },
    { L1_EDX, 13, CR4_PGE },          { L1_EDX, 24, CR4_OSFXSR },  { L1_EDX, 25, CR4_OSXMMEXCPT },
    { L7_ECX, 2, CR4_UMIP },          { L7_ECX, 16, CR4_LA57 },    { L1_ECX, 5, CR4_VMXE },
    { L1_ECX, 6, CR4_SMXE },          { L7_EBX, 0, CR4_FSGSBASE }, { L1_ECX, 17, CR4_PCIDE },
    { L1_ECX, 26, CR4_OSXSAVE },      { L7_ECX, 23, CR4_KL },      { L7_EBX, 7, CR4_SMEP },
    { L7_EBX, 20, CR4_SMAP },         { L7_ECX, 3, CR4_PKE },      { L7_ECX, 7, CR4_CET },
    { L7_EDX, 20, CR4_CET },          { L7_ECX, 31, CR4_PKS },     { L7_EDX, 5, CR4_UINTR },
};

static const struct feature_bit efer_flags[] = {
    { X1_EDX, 11, EFER_SCE },                       { X1_EDX, 29, EFER_SCE | EFER_LME | EFER_LMA },
    { X1_EDX, 20, EFER_NXE },                       { X1_ECX, 2, EFER_SVME },
    { X1_EDX, 25, EFER_FFXSR },                     { X1_ECX, 17, EFER_TCE },
    { X21_EAX, 8, EFER_AIBRSE },
};

static u64 collect(const struct cr_cpuid_answers *c, const struct feature_bit *t, size_t n)
{
    u64 bits = 0;
    for (size_t i = 0; i < n; i++)
        if ((answer(c, t[i].reg) >> t[i].flag) & 1)
            bits |= t[i].bits;
    return bits;
}

void cr_features_from_cpuid(const struct cr_cpuid_answers *c, struct cr_features *out)
{
    out->cr4 = collect(c, cr4_flags, ARRAY_SIZE(cr4_flags)) | CR4_PCE;
    out->efer = collect(c, efer_flags, ARRAY_SIZE(efer_flags));
}

/* Why a CR4 bit the CPU lacks is refused, by bit number. */
static const char *const cr4_lacking[26] = {
    [0] = "CR4.VME set: the CPU has no VME",
    [1] = "CR4.PVI set: the CPU has no VME",
    [2] = "CR4.TSD set: the CPU has no TSC",
    [3] = "CR4.DE set: the CPU has no debugging extensions",
    [4] = "CR4.PSE set: the CPU has no PSE",
    [5] = "CR4.PAE set: the CPU has no PAE",
    [6] = "CR4.MCE set: the CPU has no machine-check exception",
    [7] = "CR4.PGE set: the CPU has no global pages",
    [9] = "CR4.OSFXSR set: the CPU has no FXSAVE",
    [10] = "CR4.OSXMMEXCPT set: the CPU has no SSE",
    [11] = "CR4.UMIP set: the CPU has no UMIP",
    [12] = "CR4.LA57 set: the CPU has no 5-level paging",
    [13] = "CR4.VMXE set (the guest has no VMX)",
    [14] = "CR4.SMXE set: the CPU has no SMX",
    [16] = "CR4.FSGSBASE set: the CPU has no FSGSBASE",
    [17] = "CR4.PCIDE set: the CPU has no PCID",
    [18] = "CR4.OSXSAVE set: the CPU has no XSAVE",
    [19] = "CR4.KL set: the CPU has no Key Locker",
    [20] = "CR4.SMEP set: the CPU has no SMEP",
    [21] = "CR4.SMAP set: the CPU has no SMAP",
    [22] = "CR4.PKE set: the CPU has no protection keys",
    [23] = "CR4.CET set: the CPU has no CET",
    [24] = "CR4.PKS set: the CPU has no supervisor protection keys",
    [25] = "CR4.UINTR set: the CPU has no user interrupts",
};

static const char *cr4_bit_lacking(u64 bits)
{
    unsigned n = (unsigned)__builtin_ctzll(bits);
    if (n < ARRAY_SIZE(cr4_lacking) && cr4_lacking[n])
        return cr4_lacking[n];
    return "a reserved CR4 bit set";
}

static const char *cr0_fault(const struct cr_state *now, u64 value)
{
    bool lma = now->efer & EFER_LMA;
    if (value >> 32)
        return "CR0 bits 63:32 set";
    if ((value & CR0_PG) && !(value & CR0_PE))
        return "CR0.PG set without CR0.PE";
    if ((value & CR0_NW) && !(value & CR0_CD))
        return "CR0.NW set without CR0.CD";
    if (!(value & CR0_WP) && (now->cr4 & CR4_CET))
        return "CR0.WP cleared while CR4.CET is set";
    if ((value & CR0_PG) && (now->efer & EFER_LME) && !(now->cr4 & CR4_PAE))
        return "CR0.PG set with EFER.LME but without CR4.PAE";
    if ((value & CR0_PG) && !(now->cr0 & CR0_PG) && (now->efer & EFER_LME) && now->cs_l)
        return "CR0.PG set with EFER.LME while CS.L is set";
    if (!(value & CR0_PG) && (now->cr0 & CR0_PG)) {
        if (lma && now->cs_l)
            return "CR0.PG cleared in 64-bit mode";
        if (now->cr4 & CR4_PCIDE)
            return "CR0.PG cleared while CR4.PCIDE is set";
    }
    return NULL;
}

static const char *cr4_fault(const struct cr_features *f, const struct cr_state *now, u64 value)
{
    bool lma = now->efer & EFER_LMA;
    if (value & ~f->cr4)
        return cr4_bit_lacking(value & ~f->cr4);
    if (lma && !(value & CR4_PAE))
        return "CR4.PAE cleared in IA-32e mode";
    if (lma && ((value ^ now->cr4) & CR4_LA57))
        return "CR4.LA57 changed in IA-32e mode";
    if ((value & CR4_PCIDE) && !lma)
        return "CR4.PCIDE set outside IA-32e mode";
    if ((value & CR4_PCIDE) && !(now->cr4 & CR4_PCIDE) && (now->cr3 & 0xFFF))
        return "CR4.PCIDE set while CR3[11:0] is not zero";
    if ((value & CR4_CET) && !(now->cr0 & CR0_WP))
        return "CR4.CET set while CR0.WP is clear";
    return NULL;
}

unsigned cr_write_state_needed(unsigned cr, const struct cr_state *now, u64 value)
{
    if (cr == 0)
        return ((value ^ now->cr0) & CR0_PG) ? CR_STATE_CS_L : 0;
    if (cr == 4)
        return ((value & CR4_PCIDE) && !(now->cr4 & CR4_PCIDE)) ? CR_STATE_CR3 : 0;
    return 0;
}

bool cr_write_flushes_tlb(unsigned cr, u64 old, u64 value)
{
    const u64 cr0_paging = CR0_PE | CR0_WP | CR0_PG;
    const u64 cr4_paging = CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_SMAP |
                           CR4_PKE | CR4_LA57;
    if (cr == 0)
        return ((old ^ value) & cr0_paging) != 0;
    if (cr == 4)
        return ((old ^ value) & cr4_paging) != 0;
    return true;
}

const char *cr_write_fault(const struct cr_features *f, const struct cr_state *now, unsigned cr,
                           u64 value)
{
    if (cr == 0)
        return cr0_fault(now, value);
    if (cr == 4)
        return cr4_fault(f, now, value);
    return NULL;
}

const char *efer_write_fault(const struct cr_features *f, const struct cr_state *now, u64 value)
{
    u64 lacking = value & ~f->efer & ~EFER_LMA;
    if (lacking & EFER_SVME)
        return "EFER.SVME set (the guest has no SVM)";
    if (lacking)
        return "an EFER bit the CPU does not have";
    if ((now->cr0 & CR0_PG) && ((value ^ now->efer) & EFER_LME))
        return "EFER.LME changed while CR0.PG is set";
    return NULL;
}

unsigned efer_write_state_needed(const struct cr_state *now, u64 value)
{
    return ((value ^ now->efer) & EFER_LME) ? CR_STATE_CR0 : 0;
}

u64 efer_write_value(const struct cr_state *now, u64 value)
{
    return (value & ~EFER_LMA) | (now->efer & EFER_LMA);
}

enum cr_write_insn cr_write_decode(const struct insn_info *info, u8 *cr, u8 *gpr)
{
    if (info->opcode_len != 2 || info->opcode[0] != 0x0F || !info->has_modrm)
        return CR_WRITE_NONE;
    u8 rm = (u8)(insn_modrm_rm(info) | ((info->rex & 0x1) ? 8 : 0));
    if (info->opcode[1] == 0x22) {
        /* MOV to CR ignores ModRM.mod: the operand is always a register. */
        *cr = (u8)(insn_modrm_reg(info) | ((info->rex & 0x4) ? 8 : 0));
        *gpr = rm;
        return CR_WRITE_MOV;
    }
    if (info->opcode[1] == 0x01 && insn_modrm_reg(info) == 6) {
        if (insn_modrm_mod(info) != 3)
            return CR_WRITE_LMSW_MEM;
        *cr = 0;
        *gpr = rm;
        return CR_WRITE_LMSW;
    }
    return CR_WRITE_NONE;
}

enum cr_write_insn cr_write_decode_plain(const u8 *bytes, size_t n, bool mode64, u8 *cr, u8 *gpr)
{
    /* In 64-bit mode 40..4F is REX and must come right before the opcode;
     * elsewhere it is INC/DEC, and any other prefix is the decoder's job. */
    u8 rex = mode64 && n > 0 && (bytes[0] & 0xF0) == 0x40 ? bytes[0] : 0;
    const u8 *op = rex ? bytes + 1 : bytes;
    if (n < (rex ? 4u : 3u) || op[0] != 0x0F || op[1] != 0x22)
        return CR_WRITE_NONE;
    *cr = (u8)(((op[2] >> 3) & 7) | ((rex & 0x4) ? 8 : 0));
    *gpr = (u8)((op[2] & 7) | ((rex & 0x1) ? 8 : 0));
    return CR_WRITE_MOV;
}

#define XCR0_X87 (1ULL << 0)
#define XCR0_SSE (1ULL << 1)
#define XCR0_AVX (1ULL << 2)
#define XCR0_MPX (3ULL << 3)     /* BNDREGS, BNDCSR */
#define XCR0_AVX512 (7ULL << 5)  /* opmask, ZMM_Hi256, Hi16_ZMM */
#define XCR0_AMX (3ULL << 17)    /* XTILECFG, XTILEDATA */

/* Every rule below is checked, not left to the CPU: on VT-x XSETBV always
 * exits and bookvisor executes it for the guest, so a value the CPU refuses
 * would fault in the VMM. (on_xsetbv() runs it fault-safe all the same.) */
const char *xcr0_write_fault(u32 index, u64 value, u64 supported)
{
    if (index != 0)
        return "XSETBV of an XCR other than XCR0";
    if (!(value & XCR0_X87))
        return "XCR0 without x87 state (bit 0)";
    if (value & ~supported)
        return "an XCR0 bit the CPU does not support";
    if ((value & XCR0_AVX) && !(value & XCR0_SSE))
        return "XCR0.AVX without XCR0.SSE";
    if ((value & XCR0_MPX) && (value & XCR0_MPX) != XCR0_MPX)
        return "XCR0.BNDREGS and XCR0.BNDCSR differ";
    if ((value & XCR0_AVX512) && (value & XCR0_AVX512) != XCR0_AVX512)
        return "only part of the AVX-512 state in XCR0 (bits 7:5)";
    if ((value & XCR0_AVX512) && (value & (XCR0_SSE | XCR0_AVX)) != (XCR0_SSE | XCR0_AVX))
        return "AVX-512 state without SSE and AVX state";
    if ((value & XCR0_AMX) && (value & XCR0_AMX) != XCR0_AMX)
        return "XCR0.XTILECFG and XCR0.XTILEDATA differ";
    return NULL;
}
