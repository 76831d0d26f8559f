/**
 * @file arch/vmx/vmx_check.h
 * @brief A software VM-entry checker: explain why VMLAUNCH would fail.
 *
 * When VM entry fails the CPU reports only "invalid control field",
 * "invalid host-state field" (VM-instruction errors 7 and 8) or exit reason
 * 33 "invalid guest state" - never which field. This module re-runs a large
 * subset of the SDM's entry checks (vol. 3C, "Checks on VMX Controls and
 * Host-State Area" and "Checking and Loading Guest State") on a snapshot of
 * the VMCS and names every rule that is broken.
 *
 * The checks follow the SDM's order: controls, host state, guest state. A
 * real CPU may stop at the first failure; this checker lists all of them.
 * Checks that need memory (PDPTEs, the link-pointer VMCS) are not done.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_CHECK_H
#define BOOKVISOR_ARCH_VMX_VMX_CHECK_H

#include "arch/vmx/vmx_caps.h"
#include "common/lib/types.h"

/** Segment-register state as the VMCS holds it. */
struct vmx_segment {
    u16 sel;   /**< selector */
    u64 base;  /**< base address */
    u32 limit; /**< limit in bytes (already scaled by granularity) */
    u32 ar;    /**< access rights in VMCS format: descriptor bits 7:0 and
                    15:12 at 7:0 and 15:12, bit 16 = unusable */
};

/** @name Access-rights bits (struct vmx_segment::ar) */
/** @{ */
#define VMX_AR_TYPE_MASK 0xFu      /**< bits 3:0: segment type */
#define VMX_AR_S (1u << 4)         /**< bit 4: descriptor type, 1 = code or data segment */
#define VMX_AR_DPL_SHIFT 5         /**< shift of the DPL, bits 6:5 */
#define VMX_AR_P (1u << 7)         /**< bit 7: segment present */
#define VMX_AR_AVL (1u << 12)      /**< bit 12: available for system software */
#define VMX_AR_L (1u << 13)        /**< bit 13: 64-bit code segment (CS only) */
#define VMX_AR_DB (1u << 14)       /**< bit 14: default operation size, 1 = 32-bit */
#define VMX_AR_G (1u << 15)        /**< bit 15: granularity, 1 = limit in 4 KiB units */
#define VMX_AR_UNUSABLE (1u << 16) /**< bit 16: segment unusable (VMCS-only bit, like a null selector) */
/** @} */

/**
 * Everything the entry checks read, as values (no pointers), so the caller
 * fills it with VMREADs (or by hand in a test) and the checker never
 * touches hardware.
 */
struct vmx_vmcs_snapshot {
    /** Decoded capability MSRs: allowed control settings, fixed CR bits. */
    struct vmx_caps caps;

    /** Facts about the CPU the VMCS does not hold. */
    struct {
        u8 maxphyaddr;   /**< physical-address width (CPUID 80000008h); 0 = assume 52 */
        u8 linear_bits;  /**< linear-address width, 48 or 57; 0 = 48 */
        bool in_ia32e;   /**< the VMM runs in IA-32e mode (EFER.LMA = 1) */
    } cpu;

    /** VM-execution, VM-exit and VM-entry control fields. */
    struct {
        u32 pin;                  /**< pin-based controls */
        u32 proc;                 /**< primary processor-based controls */
        u32 proc2;                /**< secondary controls (ignored unless activated) */
        u32 exit;                 /**< VM-exit controls */
        u32 entry;                /**< VM-entry controls */
        u32 cr3_target_count;     /**< CR3-target count */
        u64 io_bitmap_a;          /**< I/O bitmap A address */
        u64 io_bitmap_b;          /**< I/O bitmap B address */
        u64 msr_bitmap;           /**< MSR bitmap address */
        u64 eptp;                 /**< EPT pointer */
        u16 vpid;                 /**< virtual-processor identifier */
        u32 exit_msr_store_count; /**< VM-exit MSR-store count */
        u64 exit_msr_store_addr;  /**< VM-exit MSR-store address */
        u32 exit_msr_load_count;  /**< VM-exit MSR-load count */
        u64 exit_msr_load_addr;   /**< VM-exit MSR-load address */
        u32 entry_msr_load_count; /**< VM-entry MSR-load count */
        u64 entry_msr_load_addr;  /**< VM-entry MSR-load address */
        u32 entry_intr_info;      /**< VM-entry interruption-information field */
        u32 entry_error_code;     /**< VM-entry exception error code */
        u32 entry_insn_len;       /**< VM-entry instruction length */
    } ctl;

    /** Host-state area (loaded on every VM exit). */
    struct {
        u64 cr0, cr3, cr4;                 /**< control registers */
        u16 es, cs, ss, ds, fs, gs, tr;    /**< selectors */
        u64 fs_base, gs_base, tr_base;     /**< segment bases */
        u64 gdtr_base, idtr_base;          /**< descriptor-table bases */
        u32 sysenter_cs;                   /**< IA32_SYSENTER_CS */
        u64 sysenter_esp, sysenter_eip;    /**< IA32_SYSENTER_ESP/EIP */
        u64 efer;                          /**< IA32_EFER (with "load IA32_EFER") */
        u64 pat;                           /**< IA32_PAT (with "load IA32_PAT") */
        u64 rsp, rip;                      /**< stack and entry point of the exit handler */
    } host;

    /** Guest-state area. */
    struct {
        u64 cr0, cr3, cr4, dr7;            /**< control and debug registers */
        u64 rsp, rip, rflags;              /**< RSP, RIP, RFLAGS */
        struct vmx_segment es, cs, ss, ds, fs, gs, ldtr, tr; /**< segment registers */
        u64 gdtr_base, idtr_base;          /**< descriptor-table bases */
        u32 gdtr_limit, idtr_limit;        /**< descriptor-table limits */
        u64 debugctl;                      /**< IA32_DEBUGCTL */
        u32 sysenter_cs;                   /**< IA32_SYSENTER_CS */
        u64 sysenter_esp, sysenter_eip;    /**< IA32_SYSENTER_ESP/EIP */
        u64 efer;                          /**< IA32_EFER */
        u64 pat;                           /**< IA32_PAT */
        u32 activity;                      /**< activity state */
        u32 interruptibility;              /**< interruptibility state */
        u64 pending_dbg;                   /**< pending debug exceptions */
        u64 link_pointer;                  /**< VMCS link pointer */
    } guest;
};

/**
 * The checks, as X(ID, "short.id", "what must hold"). IDs and short ids are
 * stable: add new checks at the end of their group only.
 */
#define VMX_CHECK_LIST(X)                                                                  \
    X(CTL_PIN_RESERVED, "ctl.pin_reserved", "pin-based controls respect the allowed 0/1 settings") \
    X(CTL_PROC_RESERVED, "ctl.proc_reserved", "primary processor-based controls respect the allowed settings") \
    X(CTL_PROC2_RESERVED, "ctl.proc2_reserved", "secondary processor-based controls respect the allowed settings") \
    X(CTL_EXIT_RESERVED, "ctl.exit_reserved", "VM-exit controls respect the allowed settings") \
    X(CTL_ENTRY_RESERVED, "ctl.entry_reserved", "VM-entry controls respect the allowed settings") \
    X(CTL_CR3_TARGET_COUNT, "ctl.cr3_target_count", "CR3-target count is at most 4")             \
    X(CTL_IO_BITMAP_ADDR, "ctl.io_bitmap_addr", "I/O bitmap addresses are 4 KiB aligned and within the physical-address width") \
    X(CTL_MSR_BITMAP_ADDR, "ctl.msr_bitmap_addr", "MSR bitmap address is 4 KiB aligned and within the physical-address width") \
    X(CTL_VIRTUAL_NMIS, "ctl.virtual_nmis", "virtual NMIs only with NMI exiting")               \
    X(CTL_NMI_WINDOW, "ctl.nmi_window", "NMI-window exiting only with virtual NMIs")             \
    X(CTL_TPR_SHADOW_DEPS, "ctl.tpr_shadow_deps", "x2APIC/APIC-register virtualization and virtual-interrupt delivery only with the TPR shadow") \
    X(CTL_VPID_ZERO, "ctl.vpid_zero", "VPID is not 0 when VPID is enabled")                       \
    X(CTL_EPTP_MEMTYPE, "ctl.eptp_memtype", "EPTP memory type is a supported UC or WB")           \
    X(CTL_EPTP_WALK, "ctl.eptp_walk", "EPTP page-walk length is a supported 4 or 5 levels")      \
    X(CTL_EPTP_AD, "ctl.eptp_ad", "EPTP accessed/dirty enable only when the CPU supports it")    \
    X(CTL_EPTP_RESERVED, "ctl.eptp_reserved", "EPTP reserved bits (11:7, above the address width) are 0") \
    X(CTL_UG_WITHOUT_EPT, "ctl.ug_without_ept", "unrestricted guest only with EPT")             \
    X(CTL_SAVE_TIMER, "ctl.save_timer", "save preemption-timer value only with the preemption timer active") \
    X(CTL_MSR_AREA_ADDR, "ctl.msr_area_addr", "MSR load/store areas are 16-byte aligned and within the physical-address width") \
    X(CTL_ENTRY_SMM, "ctl.entry_smm", "entry to SMM and deactivate dual-monitor treatment are 0 outside SMM") \
    X(CTL_EVENT_TYPE, "ctl.event_type", "injected event type is not reserved")                  \
    X(CTL_EVENT_VECTOR, "ctl.event_vector", "injected event vector fits its type (NMI 2, exception <= 31, other 0)") \
    X(CTL_EVENT_ERRCODE_FLAG, "ctl.event_errcode_flag", "deliver-error-code set exactly for protected-mode exceptions that push one") \
    X(CTL_EVENT_RESERVED, "ctl.event_reserved", "interruption-information bits 30:12 are 0")   \
    X(CTL_EVENT_ERRCODE_VALUE, "ctl.event_errcode_value", "injected error code has bits 31:16 clear") \
    X(CTL_EVENT_INSN_LEN, "ctl.event_insn_len", "software event injection has instruction length 1..15") \
    X(HOST_CR0_FIXED, "host.cr0_fixed", "host CR0 respects the VMX fixed bits")                 \
    X(HOST_CR4_FIXED, "host.cr4_fixed", "host CR4 respects the VMX fixed bits")                 \
    X(HOST_CR3_WIDTH, "host.cr3_width", "host CR3 has no bits above the physical-address width") \
    X(HOST_ASZ_MODE, "host.asz_mode", "host address-space size matches the VMM's IA-32e mode")  \
    X(HOST_CR4_PAE, "host.cr4_pae", "64-bit host has CR4.PAE set")                              \
    X(HOST_RIP, "host.rip", "host RIP is canonical (64-bit host) or 32-bit")                    \
    X(HOST_SEL_RPL_TI, "host.sel_rpl_ti", "host selectors have RPL 0 and TI 0")                 \
    X(HOST_CS_NULL, "host.cs_null", "host CS selector is not 0")                                \
    X(HOST_TR_NULL, "host.tr_null", "host TR selector is not 0")                                \
    X(HOST_BASE_CANONICAL, "host.base_canonical", "host FS/GS/TR/GDTR/IDTR bases are canonical") \
    X(HOST_SYSENTER_CANONICAL, "host.sysenter_canonical", "host SYSENTER_ESP/EIP are canonical") \
    X(HOST_PAT, "host.pat", "host PAT holds only valid memory types")                           \
    X(HOST_EFER_RESERVED, "host.efer_reserved", "host EFER reserved bits are 0")                \
    X(HOST_EFER_LM, "host.efer_lm", "host EFER.LMA and LME equal the host address-space size")  \
    X(GUEST_CR0_FIXED, "guest.cr0_fixed", "guest CR0 respects the VMX fixed bits (PE/PG free with unrestricted guest)") \
    X(GUEST_CR4_FIXED, "guest.cr4_fixed", "guest CR4 respects the VMX fixed bits")              \
    X(GUEST_CR0_PG_PE, "guest.cr0_pg_pe", "guest CR0.PG only with CR0.PE")                       \
    X(GUEST_IA32E_PG, "guest.ia32e_pg", "IA-32e mode guest has CR0.PG set")                      \
    X(GUEST_IA32E_PAE, "guest.ia32e_pae", "IA-32e mode guest has CR4.PAE set")                   \
    X(GUEST_PCIDE, "guest.pcide", "guest CR4.PCIDE only in IA-32e mode")                        \
    X(GUEST_CR3_WIDTH, "guest.cr3_width", "guest CR3 has no bits above the physical-address width") \
    X(GUEST_DEBUGCTL, "guest.debugctl", "guest IA32_DEBUGCTL reserved bits are 0")              \
    X(GUEST_DR7, "guest.dr7", "guest DR7 bits 63:32 are 0")                                     \
    X(GUEST_SYSENTER_CANONICAL, "guest.sysenter_canonical", "guest SYSENTER_ESP/EIP are canonical") \
    X(GUEST_PAT, "guest.pat", "guest PAT holds only valid memory types")                        \
    X(GUEST_EFER_RESERVED, "guest.efer_reserved", "guest EFER reserved bits are 0")             \
    X(GUEST_EFER_LMA, "guest.efer_lma", "guest EFER.LMA equals the IA-32e mode guest control")   \
    X(GUEST_EFER_LME, "guest.efer_lme", "guest EFER.LME equals EFER.LMA when CR0.PG is set")     \
    X(GUEST_TR_TI, "guest.tr_ti", "guest TR selector has TI 0")                                 \
    X(GUEST_LDTR_TI, "guest.ldtr_ti", "usable guest LDTR selector has TI 0")                    \
    X(GUEST_SS_CS_RPL, "guest.ss_cs_rpl", "guest SS.RPL equals CS.RPL (without unrestricted guest)") \
    X(GUEST_V86_SEGMENTS, "guest.v86_segments", "virtual-8086 segments have base = selector * 16, limit 0xFFFF, rights 0xF3") \
    X(GUEST_BASE_CANONICAL, "guest.base_canonical", "guest FS/GS/TR/LDTR bases are canonical")  \
    X(GUEST_BASE_HIGH, "guest.base_high", "guest CS/SS/DS/ES bases have bits 63:32 clear")     \
    X(GUEST_CS_TYPE, "guest.cs_type", "guest CS type is accessed code (or accessed data with unrestricted guest)") \
    X(GUEST_SS_TYPE, "guest.ss_type", "usable guest SS type is accessed read/write data")      \
    X(GUEST_DATA_TYPE, "guest.data_type", "usable guest DS/ES/FS/GS are accessed and not execute-only code") \
    X(GUEST_SEG_S, "guest.seg_s", "guest CS and usable SS/DS/ES/FS/GS are code/data descriptors (S=1)") \
    X(GUEST_CS_DPL, "guest.cs_dpl", "guest CS.DPL fits its type and SS.DPL")                     \
    X(GUEST_SS_DPL_RPL, "guest.ss_dpl_rpl", "guest SS.DPL equals SS.RPL (without unrestricted guest)") \
    X(GUEST_SS_DPL_ZERO, "guest.ss_dpl_zero", "guest SS.DPL is 0 in real mode or with a data-type CS") \
    X(GUEST_DATA_DPL, "guest.data_dpl", "usable guest DS/ES/FS/GS DPL >= RPL (without unrestricted guest)") \
    X(GUEST_SEG_PRESENT, "guest.seg_present", "guest CS and usable SS/DS/ES/FS/GS are present") \
    X(GUEST_SEG_AR_RESERVED, "guest.seg_ar_reserved", "guest segment access-rights bits 11:8 and 31:17 are 0") \
    X(GUEST_CS_L_D, "guest.cs_l_d", "guest CS.L and CS.D not both set in an IA-32e mode guest")     \
    X(GUEST_SEG_GRANULARITY, "guest.seg_granularity", "guest segment G flag agrees with the limit") \
    X(GUEST_TR_TYPE, "guest.tr_type", "guest TR is a busy TSS (64-bit busy in IA-32e mode)")    \
    X(GUEST_TR_FLAGS, "guest.tr_flags", "guest TR is usable, present and a system descriptor")  \
    X(GUEST_LDTR, "guest.ldtr", "usable guest LDTR is a present LDT system descriptor")         \
    X(GUEST_DTR_BASE, "guest.dtr_base", "guest GDTR/IDTR bases are canonical")                 \
    X(GUEST_DTR_LIMIT, "guest.dtr_limit", "guest GDTR/IDTR limits have bits 31:16 clear")      \
    X(GUEST_RIP, "guest.rip", "guest RIP fits the guest mode (32-bit, or canonical in 64-bit code)") \
    X(GUEST_RFLAGS_RESERVED, "guest.rflags_reserved", "guest RFLAGS reserved bits are 0 and bit 1 is 1") \
    X(GUEST_RFLAGS_VM, "guest.rflags_vm", "guest RFLAGS.VM is 0 in IA-32e mode and real mode")  \
    X(GUEST_RFLAGS_IF, "guest.rflags_if", "guest RFLAGS.IF is 1 when an external interrupt is injected") \
    X(GUEST_ACTIVITY, "guest.activity", "guest activity state is one the CPU supports")        \
    X(GUEST_ACTIVITY_HLT_DPL, "guest.activity_hlt_dpl", "HLT activity state only with SS.DPL 0") \
    X(GUEST_ACTIVITY_BLOCKING, "guest.activity_blocking", "STI/MOV SS blocking only in the active state") \
    X(GUEST_INTR_RESERVED, "guest.intr_reserved", "guest interruptibility bits 31:5 are 0")    \
    X(GUEST_INTR_STI_MOVSS, "guest.intr_sti_movss", "blocking by STI and by MOV SS not both set") \
    X(GUEST_INTR_STI_IF, "guest.intr_sti_if", "blocking by STI only with RFLAGS.IF set")        \
    X(GUEST_INTR_INJECTION, "guest.intr_injection", "no STI/MOV SS blocking for an injected interrupt, no MOV SS blocking for an injected NMI") \
    X(GUEST_INTR_SMI, "guest.intr_smi", "blocking by SMI is 0 outside SMM")                     \
    X(GUEST_PENDING_DBG_RESERVED, "guest.pending_dbg_reserved", "guest pending debug exceptions reserved bits are 0") \
    X(GUEST_PENDING_DBG_BS, "guest.pending_dbg_bs", "pending BS agrees with RFLAGS.TF and DEBUGCTL.BTF while blocked or halted") \
    X(GUEST_LINK_POINTER, "guest.link_pointer", "VMCS link pointer is all ones (bookvisor uses no shadow VMCS)")

/**
 * @def VMX_CHECK_ENUM(id, code, name)
 * Expands one VMX_CHECK_LIST() entry into its enumerator VMX_CHECK_ plus id;
 * defined only while enum vmx_check_id is built.
 */

/** Identifiers of the checks (VMX_CHECK_<ID>). */
enum vmx_check_id {
#define VMX_CHECK_ENUM(id, code, name) VMX_CHECK_##id,
    VMX_CHECK_LIST(VMX_CHECK_ENUM)
#undef VMX_CHECK_ENUM
    VMX_CHECK_COUNT /**< number of checks */
};

/** One failed check. */
struct vmx_check_failure {
    enum vmx_check_id id; /**< which rule */
    u64 value;            /**< the offending value (a field, or the bad bits of it) */
};

/** Most failures a report stores; more are counted but not kept. */
#define VMX_CHECK_MAX_FAILURES 32

/** The result of vmx_check_vmcs(). */
struct vmx_check_report {
    unsigned count;  /**< failed checks in total */
    unsigned stored; /**< entries filled in failures[] (<= VMX_CHECK_MAX_FAILURES) */
    struct vmx_check_failure failures[VMX_CHECK_MAX_FAILURES]; /**< in check order */
};

/**
 * Run every check on snap. Each rule is reported at most once.
 * @param snap   the VMCS fields and CPU facts to check
 * @param report receives the failures; may be NULL when only the count matters
 * @return the number of failed checks (0: the VMCS passes all of them)
 */
unsigned vmx_check_vmcs(const struct vmx_vmcs_snapshot *snap, struct vmx_check_report *report);

/** Did the report record check id? */
bool vmx_check_report_has(const struct vmx_check_report *report, enum vmx_check_id id);

/** Stable short id of a check, e.g. "guest.cs_l_d"; "?" when out of range. */
const char *vmx_check_code(enum vmx_check_id id);

/** Human description of what the check requires; "?" when out of range. */
const char *vmx_check_name(enum vmx_check_id id);

/**
 * Format one failure as "short.id: description (value 0x...)".
 * @return the length of the full line (like ksnprintf).
 */
int vmx_check_format(const struct vmx_check_failure *failure, char *buf, size_t len);

/** Text of a VM-instruction error number (SDM "VM-Instruction Error Numbers"). */
const char *vmx_instruction_error_name(u32 error);

/** Text of a basic exit reason (bits 15:0 of the exit-reason field). */
const char *vmx_exit_reason_name(u32 basic_reason);

#endif
