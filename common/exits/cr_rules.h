/**
 * @file common/exits/cr_rules.h
 * @brief Would a MOV to CR0 or CR4, or an XSETBV, fault on the CPU the guest was promised?
 *
 * Pure: used by the CR-access exit handler (common/exits/exit_handlers.c) so that a
 * value the CPU would refuse with \#GP is refused with \#GP, instead of being
 * written into a read shadow or making the next VM entry fail. Host-tested
 * (tests/unit/test_cr_rules.c).
 */
#ifndef BOOKVISOR_COMMON_EXITS_CR_RULES_H
#define BOOKVISOR_COMMON_EXITS_CR_RULES_H

#include "common/insn/insn_len.h"
#include "common/lib/types.h"

/**
 * Check a value the guest moves into CR0 or CR4.
 * @param cr    0 or 4 (any other number: no rule, NULL)
 * @param value the value being written (all 64 bits)
 * @param cr4   the guest's current CR4 (for CR0's PG rule)
 * @param efer  the guest's EFER (LME, LMA)
 * @return NULL if the write is legal, else why it raises \#GP (a short phrase).
 */
const char *cr_write_fault(unsigned cr, u64 value, u64 cr4, u64 efer);

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

/**
 * Read "MOV to CRn, reg" (0F 22 /r) out of a decoded instruction, for a
 * backend that could not name the register (AMD-V without decode assists).
 * @param info  insn_decode_length()'s result for the guest's bytes
 * @param cr    out: the control register number (ModRM.reg, REX.R extends)
 * @param gpr   out: the source register number 0..15 (ModRM.rm, REX.B extends)
 * @return false if the instruction is not a register-form MOV to a CR.
 */
bool cr_mov_to_decode(const struct insn_info *info, u8 *cr, u8 *gpr);

#endif
