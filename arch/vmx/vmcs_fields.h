/**
 * @file arch/vmx/vmcs_fields.h
 * @brief VMCS field encodings (Intel SDM vol. 3D, appendix B).
 *
 * A field encoding is the 32-bit operand of VMREAD/VMWRITE. Its bits say
 * what kind of field it is: bit 0 "high" (access the upper half of a 64-bit
 * field), bits 9:1 the index, bits 11:10 the type (0 control, 1 read-only
 * exit information, 2 guest state, 3 host state) and bits 14:13 the width
 * (0 16-bit, 1 64-bit, 2 32-bit, 3 natural width). The groups below follow
 * that order: width first, then type. Only the fields bookvisor uses or
 * reports are listed; the layout makes the rest easy to add.
 *
 * The second half names the bits inside the five control fields (SDM
 * 25.6 and 25.7/25.8) and the entry interruption-information field, since
 * every module that writes or checks those fields needs the same names.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMCS_FIELDS_H
#define BOOKVISOR_ARCH_VMX_VMCS_FIELDS_H

/** Width of a field from its encoding (bits 14:13). */
#define VMCS_FIELD_WIDTH(enc) (((enc) >> 13) & 3u)
/** Type of a field from its encoding (bits 11:10). */
#define VMCS_FIELD_TYPE(enc) (((enc) >> 10) & 3u)
/** Values of VMCS_FIELD_WIDTH(). */
#define VMCS_WIDTH_16 0u
#define VMCS_WIDTH_64 1u
#define VMCS_WIDTH_32 2u
#define VMCS_WIDTH_NATURAL 3u

/** @name 16-bit control fields */
/** @{ */
#define VMCS_VPID 0x0000u
#define VMCS_POSTED_INTR_NOTIFY_VECTOR 0x0002u
#define VMCS_EPTP_INDEX 0x0004u
/** @} */

/** @name 16-bit guest-state fields: segment selectors and friends */
/** @{ */
#define VMCS_GUEST_ES_SEL 0x0800u
#define VMCS_GUEST_CS_SEL 0x0802u
#define VMCS_GUEST_SS_SEL 0x0804u
#define VMCS_GUEST_DS_SEL 0x0806u
#define VMCS_GUEST_FS_SEL 0x0808u
#define VMCS_GUEST_GS_SEL 0x080Au
#define VMCS_GUEST_LDTR_SEL 0x080Cu
#define VMCS_GUEST_TR_SEL 0x080Eu
#define VMCS_GUEST_INTR_STATUS 0x0810u
#define VMCS_GUEST_PML_INDEX 0x0812u
/** @} */

/** @name 16-bit host-state fields: segment selectors loaded on VM exit */
/** @{ */
#define VMCS_HOST_ES_SEL 0x0C00u
#define VMCS_HOST_CS_SEL 0x0C02u
#define VMCS_HOST_SS_SEL 0x0C04u
#define VMCS_HOST_DS_SEL 0x0C06u
#define VMCS_HOST_FS_SEL 0x0C08u
#define VMCS_HOST_GS_SEL 0x0C0Au
#define VMCS_HOST_TR_SEL 0x0C0Cu
/** @} */

/** @name 64-bit control fields (physical addresses and offsets) */
/** @{ */
#define VMCS_IO_BITMAP_A 0x2000u
#define VMCS_IO_BITMAP_B 0x2002u
#define VMCS_MSR_BITMAP 0x2004u
#define VMCS_EXIT_MSR_STORE_ADDR 0x2006u
#define VMCS_EXIT_MSR_LOAD_ADDR 0x2008u
#define VMCS_ENTRY_MSR_LOAD_ADDR 0x200Au
#define VMCS_EXECUTIVE_VMCS_PTR 0x200Cu
#define VMCS_PML_ADDR 0x200Eu
#define VMCS_TSC_OFFSET 0x2010u
#define VMCS_VIRTUAL_APIC_ADDR 0x2012u
#define VMCS_APIC_ACCESS_ADDR 0x2014u
#define VMCS_POSTED_INTR_DESC_ADDR 0x2016u
#define VMCS_VMFUNC_CONTROLS 0x2018u
#define VMCS_EPT_POINTER 0x201Au
#define VMCS_EOI_EXIT_BITMAP0 0x201Cu
#define VMCS_EOI_EXIT_BITMAP1 0x201Eu
#define VMCS_EOI_EXIT_BITMAP2 0x2020u
#define VMCS_EOI_EXIT_BITMAP3 0x2022u
#define VMCS_EPTP_LIST_ADDR 0x2024u
#define VMCS_VMREAD_BITMAP 0x2026u
#define VMCS_VMWRITE_BITMAP 0x2028u
#define VMCS_VE_INFO_ADDR 0x202Au
#define VMCS_XSS_EXITING_BITMAP 0x202Cu
#define VMCS_ENCLS_EXITING_BITMAP 0x202Eu
#define VMCS_TSC_MULTIPLIER 0x2032u
#define VMCS_TERTIARY_PROC_CONTROLS 0x2034u
/** @} */

/** @name 64-bit read-only data fields */
/** @{ */
#define VMCS_GUEST_PHYSICAL_ADDR 0x2400u
/** @} */

/** @name 64-bit guest-state fields */
/** @{ */
#define VMCS_LINK_POINTER 0x2800u
#define VMCS_GUEST_DEBUGCTL 0x2802u
#define VMCS_GUEST_PAT 0x2804u
#define VMCS_GUEST_EFER 0x2806u
#define VMCS_GUEST_PERF_GLOBAL_CTRL 0x2808u
#define VMCS_GUEST_PDPTE0 0x280Au
#define VMCS_GUEST_PDPTE1 0x280Cu
#define VMCS_GUEST_PDPTE2 0x280Eu
#define VMCS_GUEST_PDPTE3 0x2810u
#define VMCS_GUEST_BNDCFGS 0x2812u
#define VMCS_GUEST_RTIT_CTL 0x2814u
/** @} */

/** @name 64-bit host-state fields */
/** @{ */
#define VMCS_HOST_PAT 0x2C00u
#define VMCS_HOST_EFER 0x2C02u
#define VMCS_HOST_PERF_GLOBAL_CTRL 0x2C04u
/** @} */

/** @name 32-bit control fields */
/** @{ */
#define VMCS_PIN_CONTROLS 0x4000u
#define VMCS_PROC_CONTROLS 0x4002u
#define VMCS_EXCEPTION_BITMAP 0x4004u
#define VMCS_PF_ERROR_MASK 0x4006u
#define VMCS_PF_ERROR_MATCH 0x4008u
#define VMCS_CR3_TARGET_COUNT 0x400Au
#define VMCS_EXIT_CONTROLS 0x400Cu
#define VMCS_EXIT_MSR_STORE_COUNT 0x400Eu
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010u
#define VMCS_ENTRY_CONTROLS 0x4012u
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014u
#define VMCS_ENTRY_INTR_INFO 0x4016u
#define VMCS_ENTRY_EXCEPTION_ERROR 0x4018u
#define VMCS_ENTRY_INSN_LEN 0x401Au
#define VMCS_TPR_THRESHOLD 0x401Cu
#define VMCS_PROC2_CONTROLS 0x401Eu
#define VMCS_PLE_GAP 0x4020u
#define VMCS_PLE_WINDOW 0x4022u
/** @} */

/** @name 32-bit read-only data fields (exit information) */
/** @{ */
#define VMCS_INSN_ERROR 0x4400u
#define VMCS_EXIT_REASON 0x4402u
#define VMCS_EXIT_INTR_INFO 0x4404u
#define VMCS_EXIT_INTR_ERROR 0x4406u
#define VMCS_IDT_VECTORING_INFO 0x4408u
#define VMCS_IDT_VECTORING_ERROR 0x440Au
#define VMCS_EXIT_INSN_LEN 0x440Cu
#define VMCS_EXIT_INSN_INFO 0x440Eu
/** @} */

/** @name 32-bit guest-state fields: limits, access rights, event state */
/** @{ */
#define VMCS_GUEST_ES_LIMIT 0x4800u
#define VMCS_GUEST_CS_LIMIT 0x4802u
#define VMCS_GUEST_SS_LIMIT 0x4804u
#define VMCS_GUEST_DS_LIMIT 0x4806u
#define VMCS_GUEST_FS_LIMIT 0x4808u
#define VMCS_GUEST_GS_LIMIT 0x480Au
#define VMCS_GUEST_LDTR_LIMIT 0x480Cu
#define VMCS_GUEST_TR_LIMIT 0x480Eu
#define VMCS_GUEST_GDTR_LIMIT 0x4810u
#define VMCS_GUEST_IDTR_LIMIT 0x4812u
#define VMCS_GUEST_ES_AR 0x4814u
#define VMCS_GUEST_CS_AR 0x4816u
#define VMCS_GUEST_SS_AR 0x4818u
#define VMCS_GUEST_DS_AR 0x481Au
#define VMCS_GUEST_FS_AR 0x481Cu
#define VMCS_GUEST_GS_AR 0x481Eu
#define VMCS_GUEST_LDTR_AR 0x4820u
#define VMCS_GUEST_TR_AR 0x4822u
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY_STATE 0x4826u
#define VMCS_GUEST_SMBASE 0x4828u
#define VMCS_GUEST_SYSENTER_CS 0x482Au
#define VMCS_PREEMPTION_TIMER_VALUE 0x482Eu
/** @} */

/** @name 32-bit host-state field */
/** @{ */
#define VMCS_HOST_SYSENTER_CS 0x4C00u
/** @} */

/** @name Natural-width control fields: CR masks, shadows, CR3 targets */
/** @{ */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000u
#define VMCS_CR4_GUEST_HOST_MASK 0x6002u
#define VMCS_CR0_READ_SHADOW 0x6004u
#define VMCS_CR4_READ_SHADOW 0x6006u
#define VMCS_CR3_TARGET0 0x6008u
#define VMCS_CR3_TARGET1 0x600Au
#define VMCS_CR3_TARGET2 0x600Cu
#define VMCS_CR3_TARGET3 0x600Eu
/** @} */

/** @name Natural-width read-only data fields */
/** @{ */
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_IO_RCX 0x6402u
#define VMCS_IO_RSI 0x6404u
#define VMCS_IO_RDI 0x6406u
#define VMCS_IO_RIP 0x6408u
#define VMCS_GUEST_LINEAR_ADDR 0x640Au
/** @} */

/** @name Natural-width guest-state fields */
/** @{ */
#define VMCS_GUEST_CR0 0x6800u
#define VMCS_GUEST_CR3 0x6802u
#define VMCS_GUEST_CR4 0x6804u
#define VMCS_GUEST_ES_BASE 0x6806u
#define VMCS_GUEST_CS_BASE 0x6808u
#define VMCS_GUEST_SS_BASE 0x680Au
#define VMCS_GUEST_DS_BASE 0x680Cu
#define VMCS_GUEST_FS_BASE 0x680Eu
#define VMCS_GUEST_GS_BASE 0x6810u
#define VMCS_GUEST_LDTR_BASE 0x6812u
#define VMCS_GUEST_TR_BASE 0x6814u
#define VMCS_GUEST_GDTR_BASE 0x6816u
#define VMCS_GUEST_IDTR_BASE 0x6818u
#define VMCS_GUEST_DR7 0x681Au
#define VMCS_GUEST_RSP 0x681Cu
#define VMCS_GUEST_RIP 0x681Eu
#define VMCS_GUEST_RFLAGS 0x6820u
#define VMCS_GUEST_PENDING_DBG 0x6822u
#define VMCS_GUEST_SYSENTER_ESP 0x6824u
#define VMCS_GUEST_SYSENTER_EIP 0x6826u
/** @} */

/** @name Natural-width host-state fields */
/** @{ */
#define VMCS_HOST_CR0 0x6C00u
#define VMCS_HOST_CR3 0x6C02u
#define VMCS_HOST_CR4 0x6C04u
#define VMCS_HOST_FS_BASE 0x6C06u
#define VMCS_HOST_GS_BASE 0x6C08u
#define VMCS_HOST_TR_BASE 0x6C0Au
#define VMCS_HOST_GDTR_BASE 0x6C0Cu
#define VMCS_HOST_IDTR_BASE 0x6C0Eu
#define VMCS_HOST_SYSENTER_ESP 0x6C10u
#define VMCS_HOST_SYSENTER_EIP 0x6C12u
#define VMCS_HOST_RSP 0x6C14u
#define VMCS_HOST_RIP 0x6C16u
/** @} */

/** @name Pin-based VM-execution controls (VMCS_PIN_CONTROLS) */
/** @{ */
#define VMX_PIN_EXT_INTR_EXITING (1u << 0)
#define VMX_PIN_NMI_EXITING (1u << 3)
#define VMX_PIN_VIRTUAL_NMIS (1u << 5)
#define VMX_PIN_PREEMPTION_TIMER (1u << 6)
#define VMX_PIN_POSTED_INTR (1u << 7)
/** @} */

/** @name Primary processor-based VM-execution controls (VMCS_PROC_CONTROLS) */
/** @{ */
#define VMX_PROC_INTR_WINDOW_EXITING (1u << 2)
#define VMX_PROC_TSC_OFFSETTING (1u << 3)
#define VMX_PROC_HLT_EXITING (1u << 7)
#define VMX_PROC_INVLPG_EXITING (1u << 9)
#define VMX_PROC_MWAIT_EXITING (1u << 10)
#define VMX_PROC_RDPMC_EXITING (1u << 11)
#define VMX_PROC_RDTSC_EXITING (1u << 12)
#define VMX_PROC_CR3_LOAD_EXITING (1u << 15)
#define VMX_PROC_CR3_STORE_EXITING (1u << 16)
#define VMX_PROC_TERTIARY_CONTROLS (1u << 17)
#define VMX_PROC_CR8_LOAD_EXITING (1u << 19)
#define VMX_PROC_CR8_STORE_EXITING (1u << 20)
#define VMX_PROC_TPR_SHADOW (1u << 21)
#define VMX_PROC_NMI_WINDOW_EXITING (1u << 22)
#define VMX_PROC_MOV_DR_EXITING (1u << 23)
#define VMX_PROC_UNCOND_IO_EXITING (1u << 24)
#define VMX_PROC_IO_BITMAPS (1u << 25)
#define VMX_PROC_MONITOR_TRAP_FLAG (1u << 27)
#define VMX_PROC_MSR_BITMAPS (1u << 28)
#define VMX_PROC_MONITOR_EXITING (1u << 29)
#define VMX_PROC_PAUSE_EXITING (1u << 30)
#define VMX_PROC_SECONDARY_CONTROLS (1u << 31)
/** @} */

/** @name Secondary processor-based VM-execution controls (VMCS_PROC2_CONTROLS) */
/** @{ */
#define VMX_PROC2_VIRT_APIC_ACCESSES (1u << 0)
#define VMX_PROC2_EPT (1u << 1)
#define VMX_PROC2_DESC_TABLE_EXITING (1u << 2)
#define VMX_PROC2_RDTSCP (1u << 3)
#define VMX_PROC2_VIRT_X2APIC (1u << 4)
#define VMX_PROC2_VPID (1u << 5)
#define VMX_PROC2_WBINVD_EXITING (1u << 6)
#define VMX_PROC2_UNRESTRICTED_GUEST (1u << 7)
#define VMX_PROC2_APIC_REG_VIRT (1u << 8)
#define VMX_PROC2_VIRT_INTR_DELIVERY (1u << 9)
#define VMX_PROC2_PAUSE_LOOP_EXITING (1u << 10)
#define VMX_PROC2_RDRAND_EXITING (1u << 11)
#define VMX_PROC2_INVPCID (1u << 12)
#define VMX_PROC2_VMFUNC (1u << 13)
#define VMX_PROC2_VMCS_SHADOWING (1u << 14)
#define VMX_PROC2_ENCLS_EXITING (1u << 15)
#define VMX_PROC2_RDSEED_EXITING (1u << 16)
#define VMX_PROC2_PML (1u << 17)
#define VMX_PROC2_EPT_VE (1u << 18)
#define VMX_PROC2_PT_CONCEAL (1u << 19)
#define VMX_PROC2_XSAVES (1u << 20)
#define VMX_PROC2_MODE_BASED_EPT_EXEC (1u << 22)
#define VMX_PROC2_SUBPAGE_WRITE (1u << 23)
#define VMX_PROC2_TSC_SCALING (1u << 25)
#define VMX_PROC2_USER_WAIT_PAUSE (1u << 26)
/** @} */

/** @name Primary VM-exit controls (VMCS_EXIT_CONTROLS) */
/** @{ */
#define VMX_EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define VMX_EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define VMX_EXIT_LOAD_PERF_GLOBAL_CTRL (1u << 12)
#define VMX_EXIT_ACK_INTR_ON_EXIT (1u << 15)
#define VMX_EXIT_SAVE_PAT (1u << 18)
#define VMX_EXIT_LOAD_PAT (1u << 19)
#define VMX_EXIT_SAVE_EFER (1u << 20)
#define VMX_EXIT_LOAD_EFER (1u << 21)
#define VMX_EXIT_SAVE_PREEMPTION_TIMER (1u << 22)
/** @} */

/** @name VM-entry controls (VMCS_ENTRY_CONTROLS) */
/** @{ */
#define VMX_ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define VMX_ENTRY_IA32E_MODE_GUEST (1u << 9)
#define VMX_ENTRY_TO_SMM (1u << 10)
#define VMX_ENTRY_DEACT_DUAL_MONITOR (1u << 11)
#define VMX_ENTRY_LOAD_PERF_GLOBAL_CTRL (1u << 13)
#define VMX_ENTRY_LOAD_PAT (1u << 14)
#define VMX_ENTRY_LOAD_EFER (1u << 15)
/** @} */

/** @name VM-entry interruption-information field (VMCS_ENTRY_INTR_INFO) */
/** @{ */
#define VMX_INTR_INFO_VECTOR_MASK 0xFFu
#define VMX_INTR_INFO_TYPE_SHIFT 8
#define VMX_INTR_INFO_TYPE_MASK (7u << 8)
#define VMX_INTR_INFO_DELIVER_ERROR (1u << 11)
#define VMX_INTR_INFO_VALID (1u << 31)
#define VMX_INTR_TYPE_EXT_INTR 0u
#define VMX_INTR_TYPE_NMI 2u
#define VMX_INTR_TYPE_HW_EXCEPTION 3u
#define VMX_INTR_TYPE_SW_INTR 4u
#define VMX_INTR_TYPE_PRIV_SW_EXCEPTION 5u
#define VMX_INTR_TYPE_SW_EXCEPTION 6u
#define VMX_INTR_TYPE_OTHER_EVENT 7u
/** @} */

/** @name Guest interruptibility state (VMCS_GUEST_INTERRUPTIBILITY) */
/** @{ */
#define VMX_INTERRUPTIBILITY_STI (1u << 0)
#define VMX_INTERRUPTIBILITY_MOV_SS (1u << 1)
#define VMX_INTERRUPTIBILITY_SMI (1u << 2)
#define VMX_INTERRUPTIBILITY_NMI (1u << 3)
#define VMX_INTERRUPTIBILITY_ENCLAVE (1u << 4)
/** @} */

/** @name Guest activity states (VMCS_GUEST_ACTIVITY_STATE) */
/** @{ */
#define VMX_ACTIVITY_ACTIVE 0u
#define VMX_ACTIVITY_HLT 1u
#define VMX_ACTIVITY_SHUTDOWN 2u
#define VMX_ACTIVITY_WAIT_SIPI 3u
/** @} */

#endif
