/**
 * @file common/exits/cr_rules.h
 * @brief Would a write of CR0, CR4 or EFER, or an XSETBV, fault on the CPU the guest was promised?
 *
 * Pure: used by the exit handlers (common/exits/exit_handlers.c) so that a
 * value the CPU would refuse with \#GP is refused with \#GP, instead of being
 * written into a read shadow or making the next VM entry fail. What is legal
 * is decided by the CPU's feature set as the guest was told it (the CPUID
 * answers after bookvisor's policy: a CR4 or EFER bit whose feature CPUID
 * does not announce is reserved), plus the mode rules of the SDM and the APM
 * (chapter 02, "Control registers"). Host-tested (tests/unit/test_cr_rules.c).
 */
#ifndef BOOKVISOR_COMMON_EXITS_CR_RULES_H
#define BOOKVISOR_COMMON_EXITS_CR_RULES_H

#include "common/insn/insn_len.h"
#include "common/lib/cpuid_result.h"
#include "common/lib/types.h"
#include "common/vm/cr_features.h"

/** The CPUID answers the features are read from (all zero for a leaf the CPU lacks). */
struct cr_cpuid_answers {
    struct cpuid_result leaf1;  /**< leaf 1: VME ... PGE, FXSR, SSE (EDX); SMX, PCID, XSAVE (ECX) */
    struct cpuid_result leaf7;  /**< leaf 7, subleaf 0: FSGSBASE, SMEP, SMAP (EBX); UMIP ... PKS (ECX); UINTR, CET_IBT (EDX) */
    struct cpuid_result ext1;   /**< leaf 8000_0001h: SYSCALL, NX, FFXSR, LM (EDX); TCE (ECX) */
    struct cpuid_result ext21;  /**< leaf 8000_0021h: automatic IBRS (EAX) */
};

/**
 * The CR4 and EFER bits a CPU with these CPUID answers has. Every CR4 bit
 * up to UINTR (25) and every EFER bit up to AIBRSE (21) follows its CPUID
 * feature flag (CR4.VMXE the VMX flag, EFER.SVME the SVM flag: bookvisor's
 * policy hides both, so the guest's CPU has neither), except: CR4.PCE, which
 * no flag announces (every CPU with a CR4 has it); EFER.LMSLE, never (Intel
 * never had it, AMD's CPUs since Zen lack it, no emulator target models it);
 * EFER.SCE with long mode even where SYSCALL is not announced (Intel reports
 * SYSCALL only to 64-bit code). CR4 bits 26 and up are not known here:
 * reserved (a port to a CPU with LASS, LAM or FRED adds them, chapter 15).
 */
void cr_features_from_cpuid(const struct cr_cpuid_answers *c, struct cr_features *out);

/** The guest's state a write of CR0, CR4 or EFER is judged against. */
struct cr_state {
    u64 cr0;   /**< CR0 as the guest sees it */
    u64 cr3;   /**< CR3 (its PCID bits, for CR4.PCIDE) */
    u64 cr4;   /**< CR4 as the guest sees it */
    u64 efer;  /**< EFER (LME, LMA) */
    bool cs_l; /**< CS.L: 64-bit code when EFER.LMA is set */
};

/** Parts of struct cr_state only some writes are judged by (cr_write_state_needed()). */
enum cr_state_part {
    CR_STATE_CR3 = 1,  /**< cr3: a write that sets CR4.PCIDE */
    CR_STATE_CS_L = 2, /**< cs_l: a write that changes CR0.PG */
    CR_STATE_CR0 = 4,  /**< cr0: an EFER write that changes LME (efer_write_state_needed()) */
};

/**
 * Which of cr3 and cs_l the rules of this write read (cr0, cr4 and efer
 * they always may): the exit handler reads the others from the backend only
 * when asked, each read costing a VMREAD on VT-x.
 * @return a mask of enum cr_state_part
 */
unsigned cr_write_state_needed(unsigned cr, const struct cr_state *now, u64 value);

/**
 * Must the guest's cached translations go after this write? A MOV to CR3,
 * and a change of a CR0 or CR4 bit that takes part in address translation
 * (CR0.PE, WP, PG; CR4.PSE, PAE, PGE, PCIDE, SMEP, SMAP, PKE, LA57),
 * flushes the TLB on a real CPU, and a value bookvisor writes into the VMCS
 * or VMCB for the guest does not: the exit handler then asks for a nested
 * flush. A change of any other bit (CR0.NE, TS, CD; CR4.OSXSAVE, ...)
 * leaves the translations as they are, and costs no flush.
 * @param cr    0, 3 or 4
 * @param old   the register's value before the write
 * @param value the value written
 */
bool cr_write_flushes_tlb(unsigned cr, u64 old, u64 value);

/**
 * Check a value the guest moves into CR0 or CR4.
 * @param f     the features of the guest's CPU (CR4 bits it may set)
 * @param now   the guest's state before the write
 * @param cr    0 or 4 (any other number: no rule, NULL)
 * @param value the value being written (all 64 bits)
 * @return NULL if the write is legal, else why it raises \#GP (a short phrase).
 */
const char *cr_write_fault(const struct cr_features *f, const struct cr_state *now, unsigned cr,
                           u64 value);

/**
 * Check a WRMSR of IA32_EFER: every bit the CPU lacks is reserved (SVME
 * for the guest, which has no SVM), and LME may not change while CR0.PG is
 * set. EFER.LMA is read-only: its written value is ignored (the caller keeps
 * the current one, efer_write_value()). Of now, only cr0 and efer are read.
 * @return NULL if legal, else why it raises \#GP.
 */
const char *efer_write_fault(const struct cr_features *f, const struct cr_state *now, u64 value);

/**
 * Which parts of struct cr_state besides efer efer_write_fault() reads for
 * this write: CR_STATE_CR0 when it changes EFER.LME, else nothing (with cr0
 * left 0 the answer is the same): the WRMSR handler reads CR0 from the
 * backend only then (chapter 14).
 */
unsigned efer_write_state_needed(const struct cr_state *now, u64 value);

/** The EFER a legal write leaves: the written bits, with the current LMA. */
u64 efer_write_value(const struct cr_state *now, u64 value);

/**
 * Check an XSETBV the guest executes (SDM vol. 1, 13.3 "Enabling the XSAVE
 * feature set"; vol. 2, XSETBV): the register index must be 0 (XCR0), x87
 * state (bit 0) always on, no bit the CPU does not offer (supported, from
 * CPUID.(EAX=0Dh,ECX=0):EDX:EAX), AVX (bit 2) only with SSE (bit 1), the MPX
 * pair (bits 3 and 4) equal, the AVX-512 trio (bits 5 to 7) all on or all
 * off and only with SSE and AVX, the AMX pair (bits 17 and 18) equal.
 * @param index   ECX: the extended control register
 * @param value   EDX:EAX
 * @param supported the XCR0 bits the CPU supports
 * @return NULL if legal, else why it raises \#GP (a short phrase).
 */
const char *xcr0_write_fault(u32 index, u64 value, u64 supported);

/** What a decoded control-register write is (cr_write_decode()). */
enum cr_write_insn {
    CR_WRITE_NONE,     /**< not a register-form MOV to CRn nor an LMSW */
    CR_WRITE_MOV,      /**< MOV to CRn from a general register */
    CR_WRITE_LMSW,     /**< LMSW from a general register (its low 16 bits) */
    CR_WRITE_LMSW_MEM, /**< LMSW from memory: not emulated (the caller stops the guest) */
};

/**
 * Read a control-register write out of a decoded instruction, for a backend
 * that could not name the register (AMD-V without decode assists): "MOV to
 * CRn, reg" (0F 22 /r) or LMSW (0F 01 /6, CR0's low four bits).
 * @param info  insn_decode_length()'s result for the guest's bytes
 * @param cr    out: the control register number (ModRM.reg, REX.R extends; 0 for LMSW)
 * @param gpr   out: the source register number 0..15 (ModRM.rm, REX.B extends)
 * @return what the instruction is; cr and gpr are set for CR_WRITE_MOV and CR_WRITE_LMSW.
 */
enum cr_write_insn cr_write_decode(const struct insn_info *info, u8 *cr, u8 *gpr);

/**
 * The common MOV to CR, read straight from the guest's bytes without the
 * general decoder (chapter 14: the decoder is most of an AMD-V CR exit
 * without decode assists): 0F 22 /r with no prefix, or with one REX in
 * 64-bit mode. Any other form says CR_WRITE_NONE, and the caller decodes it
 * with insn_decode_length() and cr_write_decode(), which agree with this.
 * @param bytes  the guest's instruction bytes
 * @param n      how many were fetched (fewer than the form needs: CR_WRITE_NONE)
 * @param mode64 the guest runs 64-bit code (REX exists)
 * @param cr     out: as cr_write_decode()
 * @param gpr    out: as cr_write_decode()
 * @return CR_WRITE_MOV with cr and gpr set, or CR_WRITE_NONE.
 */
enum cr_write_insn cr_write_decode_plain(const u8 *bytes, size_t n, bool mode64, u8 *cr, u8 *gpr);

#endif
