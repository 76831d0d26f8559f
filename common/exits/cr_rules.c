/*
 * common/exits/cr_rules.c - the #GP rules of MOV to CR0/CR4 and of XSETBV that bookvisor enforces.
 *
 * Not every rule of the SDM: the ones a guest can break through an exiting
 * write without the hardware noticing first, and the one the CPUID policy
 * creates (the guest was told there is no VMX, so CR4.VMXE does not exist).
 */
#include "common/exits/cr_rules.h"

#define CR0_PE (1ULL << 0)
#define CR0_NW (1ULL << 29)
#define CR0_CD (1ULL << 30)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define CR4_VMXE (1ULL << 13)
/* Bit 15 and bits 63:26 are reserved (SDM vol. 3, "Control Registers"); a
 * port to a CPU with newer CR4 bits (LAM, FRED) moves this line. */
#define CR4_RESERVED ((1ULL << 15) | ~((1ULL << 26) - 1))
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

bool cr_mov_to_decode(const struct insn_info *info, u8 *cr, u8 *gpr)
{
    /* MOV to CR ignores ModRM.mod: the operand is always a register. */
    if (info->opcode_len != 2 || info->opcode[0] != 0x0F || info->opcode[1] != 0x22 ||
        !info->has_modrm)
        return false;
    *cr = (u8)(((info->modrm >> 3) & 7) | ((info->rex & 0x4) ? 8 : 0));
    *gpr = (u8)((info->modrm & 7) | ((info->rex & 0x1) ? 8 : 0));
    return true;
}

const char *cr_write_fault(unsigned cr, u64 value, u64 cr4, u64 efer)
{
    if (cr == 0) {
        if (value >> 32)
            return "CR0 bits 63:32 set";
        if ((value & CR0_PG) && !(value & CR0_PE))
            return "CR0.PG set without CR0.PE";
        if ((value & CR0_NW) && !(value & CR0_CD))
            return "CR0.NW set without CR0.CD";
        if ((value & CR0_PG) && (efer & EFER_LME) && !(cr4 & CR4_PAE))
            return "CR0.PG set with EFER.LME but without CR4.PAE";
        return NULL;
    }
    if (cr == 4) {
        if (value & CR4_VMXE)
            return "CR4.VMXE set (the guest has no VMX)";
        if (value & CR4_RESERVED)
            return "a reserved CR4 bit set";
        if ((efer & EFER_LMA) && !(value & CR4_PAE))
            return "CR4.PAE cleared in IA-32e mode";
        return NULL;
    }
    return NULL;
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
