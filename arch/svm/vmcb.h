/**
 * @file arch/svm/vmcb.h
 * @brief The Virtual Machine Control Block (AMD APM vol. 2, appendix B).
 *
 * One 4 KiB page: the control area (what to intercept, how the last exit
 * happened) at offset 0 and the guest state save area at 0x400. Offsets are
 * checked at compile time against the APM's table.
 */
#ifndef BOOKVISOR_ARCH_SVM_VMCB_H
#define BOOKVISOR_ARCH_SVM_VMCB_H

#include "common/lib/types.h"

/** A segment in the VMCB state save area. */
struct vmcb_segment {
    u16 selector; /**< selector */
    u16 attrib;   /**< type,S,DPL,P in 7:0; AVL,L,DB,G in 11:8 */
    u32 limit;    /**< expanded (byte-granular) limit */
    u64 base;     /**< base */
} __attribute__((packed));

/** VMCB control area (offset 0x000). */
struct vmcb_control {
    u32 intercept_cr;          /**< 0x000: bits 15:0 CR reads, 31:16 CR writes */
    u32 intercept_dr;          /**< 0x004: DR reads / writes */
    u32 intercept_exceptions;  /**< 0x008: one bit per vector */
    u32 intercept_misc1;       /**< 0x00C: INTR..SHUTDOWN (SVM_INTERCEPT1_*) */
    u32 intercept_misc2;       /**< 0x010: VMRUN..XSETBV (SVM_INTERCEPT2_*) */
    u32 intercept_misc3;       /**< 0x014 */
    u8 reserved1[0x03C - 0x018]; /**< not used by bookvisor; keeps later offsets right */
    u16 pause_filter_threshold; /**< 0x03C */
    u16 pause_filter_count;     /**< 0x03E */
    u64 iopm_base_pa;          /**< 0x040: I/O permission map (12 KiB) */
    u64 msrpm_base_pa;         /**< 0x048: MSR permission map (8 KiB) */
    u64 tsc_offset;            /**< 0x050 */
    u32 guest_asid;            /**< 0x058 */
    u8 tlb_control;            /**< 0x05C */
    u8 reserved2[3]; /**< not used by bookvisor; keeps later offsets right */
    u64 vintr;                 /**< 0x060: V_TPR, V_IRQ, V_INTR_MASKING... */
    u64 interrupt_shadow;      /**< 0x068: bit 0 = guest in an interrupt shadow */
    u64 exitcode;              /**< 0x070 */
    u64 exitinfo1;             /**< 0x078 */
    u64 exitinfo2;             /**< 0x080 */
    u64 exitintinfo;           /**< 0x088: event being delivered when the exit happened */
    u64 np_enable;             /**< 0x090: bit 0 = nested paging */
    u64 avic_apic_bar;         /**< 0x098 */
    u64 ghcb_pa;               /**< 0x0A0 */
    u64 eventinj;              /**< 0x0A8: event to inject on VMRUN */
    u64 n_cr3;                 /**< 0x0B0: nested page table root */
    u64 lbr_virt_enable;       /**< 0x0B8 */
    u32 clean_bits;            /**< 0x0C0: VMCB fields unchanged since last VMRUN */
    u32 reserved3; /**< not used by bookvisor; keeps later offsets right */
    u64 next_rip;              /**< 0x0C8: next sequential RIP (if NRIPS) */
    u8 insn_bytes_fetched;     /**< 0x0D0 (decode assists) */
    u8 insn_bytes[15];         /**< 0x0D1 */
    u8 reserved4[0x400 - 0x0E0]; /**< not used by bookvisor; keeps later offsets right */
} __attribute__((packed));

/** VMCB state save area (offset 0x400). */
struct vmcb_save {
    /**@{*/
    /** segment, 16 bytes each from offset 0x400 */
    struct vmcb_segment es, cs, ss, ds, fs, gs;
    /**@}*/
    /**@{*/
    /** descriptor table or system segment, 16 bytes each from offset 0x460 */
    struct vmcb_segment gdtr, ldtr, idtr, tr;
    /**@}*/
    u8 reserved1[0x4CB - 0x4A0]; /**< not used by bookvisor; keeps later offsets right */
    u8 cpl;                    /**< 0x4CB */
    u32 reserved2; /**< not used by bookvisor; keeps later offsets right */
    u64 efer;                  /**< 0x4D0 */
    u8 reserved3[0x548 - 0x4D8]; /**< not used by bookvisor; keeps later offsets right */
    u64 cr4;                   /**< 0x548 */
    u64 cr3;                   /**< 0x550 */
    u64 cr0;                   /**< 0x558 */
    u64 dr7;                   /**< 0x560 */
    u64 dr6;                   /**< 0x568 */
    u64 rflags;                /**< 0x570 */
    u64 rip;                   /**< 0x578 */
    u8 reserved4[0x5D8 - 0x580]; /**< not used by bookvisor; keeps later offsets right */
    u64 rsp;                   /**< 0x5D8 */
    u8 reserved5[0x5F8 - 0x5E0]; /**< not used by bookvisor; keeps later offsets right */
    u64 rax;                   /**< 0x5F8 */
    u64 star;                  /**< 0x600 */
    u64 lstar;                 /**< 0x608 */
    u64 cstar;                 /**< 0x610 */
    u64 sfmask;                /**< 0x618 */
    u64 kernel_gs_base;        /**< 0x620 */
    u64 sysenter_cs;           /**< 0x628 */
    u64 sysenter_esp;          /**< 0x630 */
    u64 sysenter_eip;          /**< 0x638 */
    u64 cr2;                   /**< 0x640 */
    u8 reserved6[0x668 - 0x648]; /**< not used by bookvisor; keeps later offsets right */
    u64 g_pat;                 /**< 0x668 */
    u64 dbgctl;                /**< 0x670 */
    u8 reserved7[0x1000 - 0x678]; /**< not used by bookvisor; keeps later offsets right */
} __attribute__((packed));

/** The whole VMCB page. */
struct vmcb {
    struct vmcb_control control; /**< control area */
    struct vmcb_save save;       /**< guest state */
} __attribute__((packed));

_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(__builtin_offsetof(struct vmcb_control, exitcode) == 0x70, "exitcode");
_Static_assert(__builtin_offsetof(struct vmcb_control, n_cr3) == 0xB0, "n_cr3");
_Static_assert(__builtin_offsetof(struct vmcb_control, next_rip) == 0xC8, "next_rip");
_Static_assert(__builtin_offsetof(struct vmcb, save.cpl) == 0x4CB, "cpl");
_Static_assert(__builtin_offsetof(struct vmcb, save.efer) == 0x4D0, "efer");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr4) == 0x548, "cr4");
_Static_assert(__builtin_offsetof(struct vmcb, save.rip) == 0x578, "rip");
_Static_assert(__builtin_offsetof(struct vmcb, save.rsp) == 0x5D8, "rsp");
_Static_assert(__builtin_offsetof(struct vmcb, save.rax) == 0x5F8, "rax");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr2) == 0x640, "cr2");
_Static_assert(__builtin_offsetof(struct vmcb, save.g_pat) == 0x668, "g_pat");

/** @name intercept_misc1 bits */
/**@{*/
#define SVM_INTERCEPT1_INTR (1u << 0) /**< physical maskable interrupt */
#define SVM_INTERCEPT1_NMI (1u << 1) /**< physical NMI */
#define SVM_INTERCEPT1_SMI (1u << 2) /**< system management interrupt */
#define SVM_INTERCEPT1_INIT (1u << 3) /**< INIT signal */
#define SVM_INTERCEPT1_VINTR (1u << 4) /**< the virtual interrupt (V_IRQ) is taken: the interrupt window */
#define SVM_INTERCEPT1_CR0_SEL_WRITE (1u << 5) /**< CR0 writes (MOV, LMSW) changing a bit other than TS and MP */
#define SVM_INTERCEPT1_CPUID (1u << 18) /**< CPUID instruction */
#define SVM_INTERCEPT1_IRET (1u << 20) /**< IRET instruction: the end of an NMI handler */
#define SVM_INTERCEPT1_INVD (1u << 22) /**< INVD instruction */
/** intercept_cr bit for writes of CR @p n (reads are bits 15:0). */
#define SVM_INTERCEPT_CR_WRITE(n) (1u << (16 + (n)))
#define SVM_INTERCEPT1_HLT (1u << 24) /**< HLT instruction */
#define SVM_INTERCEPT1_IOIO (1u << 27) /**< IN/OUT, filtered by the I/O permission map */
#define SVM_INTERCEPT1_MSR (1u << 28) /**< RDMSR/WRMSR, filtered by the MSR permission map */
#define SVM_INTERCEPT1_SHUTDOWN (1u << 31) /**< shutdown (triple fault) */
/**@}*/

/** @name intercept_misc2 bits */
/**@{*/
#define SVM_INTERCEPT2_VMRUN (1u << 0) /**< VMRUN (must be set, or VMRUN fails its checks) */
#define SVM_INTERCEPT2_VMMCALL (1u << 1) /**< VMMCALL: the hypercall */
#define SVM_INTERCEPT2_VMLOAD (1u << 2) /**< VMLOAD */
#define SVM_INTERCEPT2_VMSAVE (1u << 3) /**< VMSAVE */
#define SVM_INTERCEPT2_STGI (1u << 4) /**< STGI */
#define SVM_INTERCEPT2_CLGI (1u << 5) /**< CLGI */
#define SVM_INTERCEPT2_SKINIT (1u << 6) /**< SKINIT */
#define SVM_INTERCEPT2_XSETBV (1u << 13) /**< XSETBV */
/**@}*/

/** @name Exit codes (APM appendix C) */
/**@{*/
#define SVM_EXIT_CR0_READ 0x000 /**< read of CR0 (CRn read is 0x000 + n) */
#define SVM_EXIT_CR0_WRITE 0x010 /**< write of CR0 (CRn write is 0x010 + n) */
#define SVM_EXIT_EXCEPTION_BASE 0x040 /**< exception vector v exits with 0x040 + v */
#define SVM_EXIT_INTR 0x060 /**< physical interrupt */
#define SVM_EXIT_NMI 0x061 /**< physical NMI */
#define SVM_EXIT_SMI 0x062 /**< system management interrupt */
#define SVM_EXIT_INIT 0x063 /**< INIT signal */
#define SVM_EXIT_VINTR 0x064 /**< virtual interrupt: the interrupt window is open */
#define SVM_EXIT_CR0_SEL_WRITE 0x065 /**< selective CR0 write: MOV or LMSW changing a bit other than TS, MP */
#define SVM_EXIT_CPUID 0x072 /**< CPUID */
#define SVM_EXIT_IRET 0x074 /**< IRET (before it executes) */
#define SVM_EXIT_INVD 0x076 /**< INVD */
#define SVM_EXIT_HLT 0x078 /**< HLT */
#define SVM_EXIT_IOIO 0x07B /**< port I/O (EXITINFO1 describes it, EXITINFO2 = next RIP) */
#define SVM_EXIT_MSR 0x07C /**< RDMSR (EXITINFO1 = 0) or WRMSR (EXITINFO1 = 1) */
#define SVM_EXIT_SHUTDOWN 0x07F /**< shutdown (triple fault) */
#define SVM_EXIT_VMRUN 0x080 /**< VMRUN */
#define SVM_EXIT_VMMCALL 0x081 /**< VMMCALL */
#define SVM_EXIT_XSETBV 0x08D /**< XSETBV */
#define SVM_EXIT_NPF 0x400 /**< nested page fault (EXITINFO1 = error code, EXITINFO2 = guest-physical address) */
#define SVM_EXIT_INVALID ((u64)-1) /**< VMRUN refused the VMCB: invalid guest state */
/**@}*/

/** @name EVENTINJ fields */
/**@{*/
#define SVM_EVENTINJ_VALID (1ULL << 31) /**< inject the event */
#define SVM_EVENTINJ_ERROR_VALID (1ULL << 11) /**< push the error code in bits 63:32 */
#define SVM_EVENTINJ_TYPE_INTR (0ULL << 8) /**< type: external interrupt */
#define SVM_EVENTINJ_TYPE_NMI (2ULL << 8) /**< type: NMI */
#define SVM_EVENTINJ_TYPE_EXCEPTION (3ULL << 8) /**< type: exception */
#define SVM_EVENTINJ_TYPE_SOFT_INTR (4ULL << 8) /**< type: software interrupt (INT n), EXITINTINFO only here */
#define SVM_EVENTINJ_TYPE_MASK (7ULL << 8) /**< the type field (EXITINTINFO has the same layout) */
/**@}*/

/** @name VINTR field (control.vintr) */
/**@{*/
#define SVM_VINTR_V_IRQ (1ULL << 8) /**< a virtual interrupt is pending */
#define SVM_VINTR_PRIO_SHIFT 16 /**< V_INTR_PRIO, bits 19:16 */
#define SVM_VINTR_V_IGN_TPR (1ULL << 20) /**< ignore V_TPR when deciding whether it can be taken */
#define SVM_VINTR_V_TPR_MASK 0xFULL /**< V_TPR, bits 3:0: the guest's CR8 while V_INTR_MASKING is set */
#define SVM_VINTR_V_INTR_MASKING (1ULL << 24) /**< the host's IF masks physical interrupts; CR8 is V_TPR */
/**@}*/


#endif
