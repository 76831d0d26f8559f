/**
 * @file common/vm/vcpu_state.h
 * @brief The architectural state a guest starts in: real mode, 32-bit
 *        protected mode, 64-bit long mode (pure).
 *
 * A loader (common/loader/loader.h) describes where its guest starts with a
 * struct vcpu_init_state; these builders give the three starting points the
 * boot protocols need, with every field a backend's vcpu_init() reads set to
 * a value both VT-x and AMD-V accept:
 *
 * | mode | who starts there | CR0 | EFER | CS |
 * |---|---|---|---|---|
 * | real | BIOS chain boot's start-up (common/loader/bios_boot.h) | ET | 0 | selector:IP, base = selector * 16, 16-bit |
 * | protected, 32-bit | Multiboot v1 and v2 | PE, ET | 0 | flat 32-bit code |
 * | long, 64-bit | Linux's 64-bit entry (planned) | PE, ET, PG | LME, LMA | flat 64-bit code |
 *
 * Segments use the AMD "attrib" layout of struct vcpu_segment. Interrupts
 * are off (RFLAGS.IF clear) in all three; general registers are zero for the
 * loader to fill.
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_STATE_H
#define BOOKVISOR_COMMON_VM_VCPU_STATE_H

#include "common/lib/types.h"
#include "common/vm/vcpu.h"

/** @name Architectural bits of the initial state (also for the backends' checks) */
/**@{*/
#define VCPU_CR0_PE (1ULL << 0)   /**< protection enable */
#define VCPU_CR0_ET (1ULL << 4)   /**< extension type (always 1 on modern CPUs) */
#define VCPU_CR0_NW (1ULL << 29)  /**< not write-through (only with CD) */
#define VCPU_CR0_CD (1ULL << 30)  /**< cache disable */
#define VCPU_CR0_PG (1ULL << 31)  /**< paging */
#define VCPU_CR4_PAE (1ULL << 5)  /**< physical-address extension (needed by long mode) */
#define VCPU_CR4_VMXE (1ULL << 13) /**< VMX enable (reserved on AMD) */
#define VCPU_CR4_OSXSAVE (1ULL << 18) /**< XSAVE enabled by the OS: CPUID leaf 1 mirrors it */
#define VCPU_EFER_LME (1ULL << 8) /**< long mode enable */
#define VCPU_EFER_LMA (1ULL << 10) /**< long mode active */
#define VCPU_EFER_SVME (1ULL << 12) /**< SVM enable (set under AMD-V, hidden from the guest) */
#define VCPU_RFLAGS_FIXED 0x2ULL  /**< RFLAGS bit 1 always reads 1 */
#define VCPU_SEG_L (1u << 9)      /**< attr: 64-bit code segment */
#define VCPU_SEG_DB (1u << 10)    /**< attr: 32-bit default operand size */
/**@}*/

/** The modes a guest can start in. */
enum vcpu_mode {
    VCPU_MODE_INVALID,     /**< a combination no CPU allows (vcpu_state_mode() says why) */
    VCPU_MODE_REAL,        /**< CR0.PE = 0: 16-bit real mode */
    VCPU_MODE_PROTECTED32, /**< CR0.PE = 1, not long mode (paging on or off) */
    VCPU_MODE_LONG64,      /**< EFER.LMA = 1 and a 64-bit code segment */
};

/**
 * Real mode at CS:IP, as a BIOS leaves the CPU for a boot sector: CR0 = ET
 * (caches on, no protection), data segments and SS at 0 with 64 KiB limits,
 * the interrupt vector table at 0 (IDTR limit 0x3FF).
 */
void vcpu_state_real_mode(struct vcpu_init_state *s, u16 cs, u16 ip);

/**
 * 32-bit protected mode without paging at eip: flat code (selector 0x08)
 * and data (0x10) segments of 4 GiB, CR0 = PE | ET. The Multiboot machine
 * state (common/loader/multiboot.h).
 */
void vcpu_state_protected32(struct vcpu_init_state *s, u32 eip);

/**
 * 64-bit long mode with paging at rip: CR0 = PE | ET | PG, CR4 = PAE, EFER =
 * LME | LMA, a 64-bit code segment (selector 0x08), flat data (0x10), CR3 =
 * the guest's page tables (the loader builds them; they must map rip).
 */
void vcpu_state_long64(struct vcpu_init_state *s, u64 rip, u64 cr3);

/**
 * Which mode s describes, after checking that its control registers, EFER
 * and CS agree (the rules VM entry and VMRUN enforce for these fields).
 * @param s   the state to classify
 * @param why receives the first broken rule when the answer is
 *            VCPU_MODE_INVALID (may be NULL)
 * @param wlen bytes at why
 */
enum vcpu_mode vcpu_state_mode(const struct vcpu_init_state *s, char *why, size_t wlen);

/** "real", "protected32", "long64" or "invalid". */
const char *vcpu_mode_name(enum vcpu_mode m);

#endif
