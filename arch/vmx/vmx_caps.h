/**
 * @file arch/vmx/vmx_caps.h
 * @brief The VT-x capability MSRs and what they say the CPU can do.
 *
 * The backend reads the IA32_VMX_* MSRs once (that part touches hardware and
 * lives elsewhere) and hands the raw values to vmx_caps_decode(). Everything
 * later - choosing controls, checking a VMCS, printing the banner - works
 * from the decoded struct, so it can be tested on the host with the MSR
 * values of any CPU (SDM vol. 3D, appendix A).
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_CAPS_H
#define BOOKVISOR_ARCH_VMX_VMX_CAPS_H

#include "common/lib/cpuid_hide.h"
#include "common/lib/types.h"

/** @name Capability MSR indices (SDM appendix A) */
/** @{ */
#define MSR_IA32_VMX_BASIC 0x480u               /**< VMCS revision id, region size, memory type, TRUE_* support */
#define MSR_IA32_VMX_PINBASED_CTLS 0x481u       /**< allowed pin-based control settings */
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482u      /**< allowed primary processor-based control settings */
#define MSR_IA32_VMX_EXIT_CTLS 0x483u           /**< allowed VM-exit control settings */
#define MSR_IA32_VMX_ENTRY_CTLS 0x484u          /**< allowed VM-entry control settings */
#define MSR_IA32_VMX_MISC 0x485u                /**< timer rate, activity states, CR3 targets, MSR-list size */
#define MSR_IA32_VMX_CR0_FIXED0 0x486u          /**< CR0 bits that must be 1 in VMX operation */
#define MSR_IA32_VMX_CR0_FIXED1 0x487u          /**< CR0 bits that may be 1 in VMX operation */
#define MSR_IA32_VMX_CR4_FIXED0 0x488u          /**< CR4 bits that must be 1 in VMX operation */
#define MSR_IA32_VMX_CR4_FIXED1 0x489u          /**< CR4 bits that may be 1 in VMX operation */
#define MSR_IA32_VMX_VMCS_ENUM 0x48Au           /**< highest VMCS field index (bits 9:1) */
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48Bu     /**< allowed secondary processor-based control settings */
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48Cu        /**< EPT and VPID features (VMX_EPT_CAP_*, VMX_VPID_CAP_*) */
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48Du  /**< pin-based settings; default1 bits may be 0 */
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48Eu /**< primary processor-based settings; default1 bits may be 0 */
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48Fu      /**< VM-exit settings; default1 bits may be 0 */
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490u     /**< VM-entry settings; default1 bits may be 0 */
#define MSR_IA32_VMX_VMFUNC 0x491u              /**< VM functions that may be enabled */
/** @} */

/** @name IA32_VMX_EPT_VPID_CAP bits */
/** @{ */
#define VMX_EPT_CAP_EXEC_ONLY (1ull << 0)                     /**< execute-only EPT translations allowed */
#define VMX_EPT_CAP_WALK_4 (1ull << 6)                        /**< 4-level EPT page walk */
#define VMX_EPT_CAP_WALK_5 (1ull << 7)                        /**< 5-level EPT page walk */
#define VMX_EPT_CAP_UC (1ull << 8)                            /**< EPT paging structures may be uncacheable */
#define VMX_EPT_CAP_WB (1ull << 14)                           /**< EPT paging structures may be write-back */
#define VMX_EPT_CAP_2M (1ull << 16)                           /**< EPT PDEs may map 2 MiB pages */
#define VMX_EPT_CAP_1G (1ull << 17)                           /**< EPT PDPTEs may map 1 GiB pages */
#define VMX_EPT_CAP_INVEPT (1ull << 20)                       /**< INVEPT supported */
#define VMX_EPT_CAP_AD (1ull << 21)                           /**< EPT accessed and dirty flags */
#define VMX_EPT_CAP_ADV_EXIT_INFO (1ull << 22)                /**< advanced exit information for EPT violations */
#define VMX_EPT_CAP_SSS (1ull << 23)                          /**< supervisor shadow-stack control in EPT entries */
#define VMX_EPT_CAP_INVEPT_SINGLE (1ull << 25)                /**< single-context INVEPT */
#define VMX_EPT_CAP_INVEPT_ALL (1ull << 26)                   /**< all-context INVEPT */
#define VMX_VPID_CAP_INVVPID (1ull << 32)                     /**< INVVPID supported */
#define VMX_VPID_CAP_INVVPID_ADDR (1ull << 40)                /**< individual-address INVVPID */
#define VMX_VPID_CAP_INVVPID_SINGLE (1ull << 41)              /**< single-context INVVPID */
#define VMX_VPID_CAP_INVVPID_ALL (1ull << 42)                 /**< all-context INVVPID */
#define VMX_VPID_CAP_INVVPID_SINGLE_KEEP_GLOBALS (1ull << 43) /**< single-context INVVPID keeping global translations */
/** @} */

/**
 * Raw values of the capability MSRs, as read by the caller.
 *
 * An MSR that does not exist on this CPU must be left 0:
 * vmx_caps_msr_exists() tells which ones may be read, given the ones read
 * before it (read them in index order).
 */
struct vmx_cap_msrs {
    u64 basic;          /**< IA32_VMX_BASIC (0x480) */
    u64 pinbased;       /**< IA32_VMX_PINBASED_CTLS (0x481) */
    u64 procbased;      /**< IA32_VMX_PROCBASED_CTLS (0x482) */
    u64 exit;           /**< IA32_VMX_EXIT_CTLS (0x483) */
    u64 entry;          /**< IA32_VMX_ENTRY_CTLS (0x484) */
    u64 misc;           /**< IA32_VMX_MISC (0x485) */
    u64 cr0_fixed0;     /**< IA32_VMX_CR0_FIXED0 (0x486): 1 = CR0 bit must be 1 */
    u64 cr0_fixed1;     /**< IA32_VMX_CR0_FIXED1 (0x487): 0 = CR0 bit must be 0 */
    u64 cr4_fixed0;     /**< IA32_VMX_CR4_FIXED0 (0x488) */
    u64 cr4_fixed1;     /**< IA32_VMX_CR4_FIXED1 (0x489) */
    u64 procbased2;     /**< IA32_VMX_PROCBASED_CTLS2 (0x48B) */
    u64 ept_vpid_cap;   /**< IA32_VMX_EPT_VPID_CAP (0x48C) */
    u64 true_pinbased;  /**< IA32_VMX_TRUE_PINBASED_CTLS (0x48D) */
    u64 true_procbased; /**< IA32_VMX_TRUE_PROCBASED_CTLS (0x48E) */
    u64 true_exit;      /**< IA32_VMX_TRUE_EXIT_CTLS (0x48F) */
    u64 true_entry;     /**< IA32_VMX_TRUE_ENTRY_CTLS (0x490) */
    u64 vmfunc;         /**< IA32_VMX_VMFUNC (0x491) */
};

/**
 * What the capability MSRs say, decoded once.
 *
 * The *_ctl members are the capability values to derive each control field
 * from: the TRUE_* MSR when IA32_VMX_BASIC bit 55 says those exist (they
 * allow clearing some "default1" bits, such as CR3-load exiting), else the
 * original MSR; 0 for the secondary controls when the CPU has none. Low 32
 * bits: bits that must be 1; high 32 bits: bits that may be 1.
 */
struct vmx_caps {
    struct vmx_cap_msrs msr; /**< the raw values this was decoded from */

    u32 vmcs_revision;       /**< revision id to write into VMXON/VMCS regions */
    u32 vmcs_size;           /**< bytes to allocate for a VMCS region (<= 4096) */
    u8 vmcs_memtype;         /**< memory type for VMCS access (6 = WB) */
    bool addr_32bit_only;    /**< VMXON/VMCS/bitmap addresses limited to 32 bits */
    bool ins_outs_info;      /**< exit instruction info reported for INS/OUTS */
    bool true_controls;      /**< TRUE_* control MSRs exist (BASIC bit 55) */
    bool no_errcode_check;   /**< injected exceptions may carry any error-code setting (bit 56) */

    u64 pin_ctl;             /**< effective pin-based capability */
    u64 proc_ctl;            /**< effective primary processor-based capability */
    u64 proc2_ctl;           /**< secondary processor-based capability (0 if none) */
    u64 exit_ctl;            /**< effective VM-exit capability */
    u64 entry_ctl;           /**< effective VM-entry capability */

    bool secondary;          /**< "activate secondary controls" may be 1 */
    bool io_bitmaps;         /**< "use I/O bitmaps" may be 1 */
    bool msr_bitmaps;        /**< "use MSR bitmaps" may be 1 */
    bool cr3_exiting_optional; /**< CR3-load and CR3-store exiting may both be 0 */
    bool virtual_nmis;       /**< "virtual NMIs" may be 1 */
    bool preemption_timer;   /**< "activate VMX-preemption timer" may be 1 */
    u8 preemption_timer_rate; /**< timer counts down every 2^rate TSC ticks */

    bool ept;                /**< "enable EPT" may be 1 and a 4-level walk with WB or UC exists */
    bool ept_walk4;          /**< 4-level EPT page walk supported */
    bool ept_walk5;          /**< 5-level EPT page walk supported */
    bool ept_wb;             /**< EPT paging structures may be WB */
    bool ept_uc;             /**< EPT paging structures may be UC */
    bool ept_2m;             /**< EPT PDEs may map 2 MiB pages */
    bool ept_1g;             /**< EPT PDPTEs may map 1 GiB pages */
    bool ept_ad;             /**< EPT accessed and dirty flags */
    bool ept_exec_only;      /**< execute-only EPT translations */
    bool invept;             /**< INVEPT supported */
    bool invept_single;      /**< single-context INVEPT */
    bool invept_all;         /**< all-context INVEPT */
    bool unrestricted_guest; /**< "unrestricted guest" may be 1 (needs EPT too) */
    bool vpid;               /**< "enable VPID" may be 1 */
    bool invvpid;            /**< INVVPID supported */
    bool invvpid_single;     /**< single-context INVVPID */
    bool invvpid_all;        /**< all-context INVVPID */
    bool rdtscp;             /**< "enable RDTSCP" may be 1 */
    bool invpcid;            /**< "enable INVPCID" may be 1 */
    bool xsaves;             /**< "enable XSAVES/XRSTORS" may be 1 */
    bool vmfunc;             /**< "enable VM functions" may be 1 */

    bool exit_save_efer;     /**< VM exit can save IA32_EFER */
    bool exit_load_efer;     /**< VM exit can load IA32_EFER */
    bool exit_save_pat;      /**< VM exit can save IA32_PAT */
    bool exit_load_pat;      /**< VM exit can load IA32_PAT */
    bool entry_load_efer;    /**< VM entry can load IA32_EFER */
    bool entry_load_pat;     /**< VM entry can load IA32_PAT */

    bool exit_stores_lma;    /**< VM exit stores EFER.LMA into "IA-32e mode guest" (MISC bit 5) */
    u8 activity_states;      /**< supported non-active states: bit 1 HLT, 2 shutdown, 3 wait-for-SIPI */
    u16 cr3_target_max;      /**< CR3-target values supported (MISC bits 24:16) */
    u32 msr_list_max;        /**< recommended maximum MSR-list entries */
    bool vmwrite_any_field;  /**< VMWRITE may write exit-information fields (MISC bit 29) */
    bool zero_len_injection; /**< software events may be injected with instruction length 0 */
};

/**
 * Whether a capability MSR may be read on this CPU, given the ones already
 * read into msrs (read in index order: BASIC, the four controls, MISC, the
 * fixed-bit MSRs, then this says about 0x48B-0x491). Reading a missing one
 * would \#GP.
 */
bool vmx_caps_msr_exists(const struct vmx_cap_msrs *msrs, u32 index);

/**
 * Decode the raw MSR values into out (which also keeps a copy of them).
 * @return false when BASIC does not describe a usable VMCS (bit 31 set,
 *         size 0 or above 4 KiB); out is filled anyway.
 */
bool vmx_caps_decode(const struct vmx_cap_msrs *msrs, struct vmx_caps *out);

/**
 * Write a short space-separated feature list for the boot banner, e.g.
 * "truectl ept ept2m ept1g eptad ug vpid preempt msrbm iobm". Always
 * NUL-terminated when len > 0; cut at a word boundary when too small.
 * @return the length of the full list (so a result >= len means truncated).
 */
size_t vmx_caps_feature_string(const struct vmx_caps *caps, char *buf, size_t len);

/**
 * The CPUID feature bits the guest must not be told of on a CPU with these
 * capabilities: RDTSCP, INVPCID and XSAVES when their "enable" control may
 * not be set (bookvisor sets each one that may: vmx_controls_choose()), since
 * the guest would get \#UD for them.
 */
void vmx_caps_cpuid_hidden(const struct vmx_caps *caps, struct cpuid_hide *out);

#endif
