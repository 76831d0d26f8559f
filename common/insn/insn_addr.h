/**
 * @file common/insn/insn_addr.h
 * @brief Where a decoded instruction's memory operand is: segment and offset (pure).
 *
 * A nested page fault names one guest-physical address, and not always the
 * first byte of the access (an access that crosses a page may fault on its
 * second page, or be reported aligned down). A string instruction touches
 * two places, one of which never faulted. So to emulate an access bookvisor
 * computes, from the instruction and the registers, which segment and which
 * offset it uses, as the CPU does (Intel SDM vol. 2 section 2.1.5, "Addressing-
 * Mode Encoding"; AMD APM vol. 3 section 1.4), then the linear address, and
 * walks the guest's page tables from there (common/insn/guest_walk.h).
 *
 * Segment limits and access rights are not checked: the CPU checked them
 * before the access faulted or exited.
 */
#ifndef BOOKVISOR_COMMON_INSN_INSN_ADDR_H
#define BOOKVISOR_COMMON_INSN_INSN_ADDR_H

#include "common/insn/insn_len.h"
#include "common/lib/types.h"

/** The segment registers, in their encoding order (ModRM.reg of MOV Sreg). */
enum insn_seg {
    INSN_SEG_ES, /**< ES: the destination of string instructions */
    INSN_SEG_CS, /**< CS */
    INSN_SEG_SS, /**< SS: the stack, and addresses based on rBP or rSP */
    INSN_SEG_DS, /**< DS: the default for data */
    INSN_SEG_FS, /**< FS */
    INSN_SEG_GS, /**< GS */
    INSN_SEG_COUNT /**< number of segment registers */
};

/** A memory operand: which segment, and the offset in it. */
struct insn_mem_ref {
    enum insn_seg seg; /**< the segment the access goes through */
    u64 offset; /**< the effective address, wrapped to the address size */
};

/** The guest's general registers, in encoding order (RAX RCX RDX RBX RSP RBP RSI RDI R8..R15). */
struct insn_regs {
    u64 gpr[16]; /**< the sixteen registers; RSP included */
    u64 rip; /**< the address of the instruction (its offset in CS) */
};

/** The segment a prefix byte (26 2E 36 3E 64 65) names; dflt for 0 or anything else. */
enum insn_seg insn_seg_of_prefix(u8 prefix, enum insn_seg dflt);

/**
 * The ModRM memory operand of a decoded instruction: base, index times
 * scale and displacement, RIP-relative in 64-bit mode, or the 16-bit forms
 * (BX+SI ... BP+disp). The default segment is SS when the base is rBP or
 * rSP (BP in 16-bit forms), else DS; a segment prefix replaces it.
 * @return false when the instruction has no memory operand (no ModRM, or mod = 3)
 */
bool insn_modrm_address(const struct insn_info *info, const struct insn_regs *r,
                        struct insn_mem_ref *out);

/** The moffs operand of MOV A0..A3: the immediate, in DS or the prefix's segment. */
struct insn_mem_ref insn_moffs_address(const struct insn_info *info);

/** The source of MOVS, LODS and OUTS: rSI (wrapped to the address size), DS or the prefix's segment. */
struct insn_mem_ref insn_string_source(const struct insn_info *info, const struct insn_regs *r);

/** The destination of MOVS, STOS and INS: rDI in ES, whatever the prefixes say. */
struct insn_mem_ref insn_string_dest(const struct insn_info *info, const struct insn_regs *r);

/**
 * The linear address of a reference: segment base plus offset. In 64-bit
 * mode the bases of ES, CS, SS and DS count as 0 (only FS and GS have one);
 * outside it the sum wraps at 4 GiB.
 */
u64 insn_linear_address(enum insn_mode mode, const struct insn_mem_ref *ref, u64 seg_base);

/**
 * Add delta to the low size bytes of reg (a pointer or counter register of
 * a string instruction, whose address size is size): 2 keeps bits 63:16, 4
 * zero-extends in 64-bit mode and keeps bits 63:32 elsewhere, 8 is plain.
 */
u64 insn_reg_add(u64 reg, s64 delta, u8 size, enum insn_mode mode);

/** The low size bytes of reg (the part a 2-, 4- or 8-byte address uses). */
u64 insn_reg_low(u64 reg, u8 size);

#endif
