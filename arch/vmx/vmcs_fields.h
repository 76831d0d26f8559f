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
/** @name Values of VMCS_FIELD_WIDTH() */
/** @{ */
#define VMCS_WIDTH_16 0u      /**< 16-bit field */
#define VMCS_WIDTH_64 1u      /**< 64-bit field (encoding + 1 accesses the high 32 bits) */
#define VMCS_WIDTH_32 2u      /**< 32-bit field */
#define VMCS_WIDTH_NATURAL 3u /**< natural-width field (64 bits on 64-bit CPUs) */
/** @} */

/** @name 16-bit control fields */
/** @{ */
#define VMCS_VPID 0x0000u                      /**< virtual-processor identifier tagging guest TLB entries */
#define VMCS_POSTED_INTR_NOTIFY_VECTOR 0x0002u /**< vector that signals a posted interrupt */
#define VMCS_EPTP_INDEX 0x0004u                /**< current entry of the EPTP list (EPTP switching, \#VE) */
/** @} */

/** @name 16-bit guest-state fields: segment selectors and friends */
/** @{ */
#define VMCS_GUEST_ES_SEL 0x0800u      /**< guest ES selector */
#define VMCS_GUEST_CS_SEL 0x0802u      /**< guest CS selector */
#define VMCS_GUEST_SS_SEL 0x0804u      /**< guest SS selector */
#define VMCS_GUEST_DS_SEL 0x0806u      /**< guest DS selector */
#define VMCS_GUEST_FS_SEL 0x0808u      /**< guest FS selector */
#define VMCS_GUEST_GS_SEL 0x080Au      /**< guest GS selector */
#define VMCS_GUEST_LDTR_SEL 0x080Cu    /**< guest LDTR selector */
#define VMCS_GUEST_TR_SEL 0x080Eu      /**< guest TR selector */
#define VMCS_GUEST_INTR_STATUS 0x0810u /**< guest interrupt status (RVI, SVI), virtual-interrupt delivery */
#define VMCS_GUEST_PML_INDEX 0x0812u   /**< next free entry in the page-modification log */
/** @} */

/** @name 16-bit host-state fields: segment selectors loaded on VM exit */
/** @{ */
#define VMCS_HOST_ES_SEL 0x0C00u /**< host ES selector */
#define VMCS_HOST_CS_SEL 0x0C02u /**< host CS selector */
#define VMCS_HOST_SS_SEL 0x0C04u /**< host SS selector */
#define VMCS_HOST_DS_SEL 0x0C06u /**< host DS selector */
#define VMCS_HOST_FS_SEL 0x0C08u /**< host FS selector */
#define VMCS_HOST_GS_SEL 0x0C0Au /**< host GS selector */
#define VMCS_HOST_TR_SEL 0x0C0Cu /**< host TR selector */
/** @} */

/** @name 64-bit control fields (physical addresses and offsets) */
/** @{ */
#define VMCS_IO_BITMAP_A 0x2000u            /**< physical address of I/O bitmap A (ports 0000h-7FFFh) */
#define VMCS_IO_BITMAP_B 0x2002u            /**< physical address of I/O bitmap B (ports 8000h-FFFFh) */
#define VMCS_MSR_BITMAP 0x2004u             /**< physical address of the 4 KiB MSR bitmaps */
#define VMCS_EXIT_MSR_STORE_ADDR 0x2006u    /**< VM-exit MSR-store list address */
#define VMCS_EXIT_MSR_LOAD_ADDR 0x2008u     /**< VM-exit MSR-load list address */
#define VMCS_ENTRY_MSR_LOAD_ADDR 0x200Au    /**< VM-entry MSR-load list address */
#define VMCS_EXECUTIVE_VMCS_PTR 0x200Cu     /**< executive-VMCS pointer (SMM dual-monitor treatment) */
#define VMCS_PML_ADDR 0x200Eu               /**< page-modification log address */
#define VMCS_TSC_OFFSET 0x2010u             /**< value added to the TSC the guest reads */
#define VMCS_VIRTUAL_APIC_ADDR 0x2012u      /**< virtual-APIC page address (TPR shadow) */
#define VMCS_APIC_ACCESS_ADDR 0x2014u       /**< APIC-access page address */
#define VMCS_POSTED_INTR_DESC_ADDR 0x2016u  /**< posted-interrupt descriptor address */
#define VMCS_VMFUNC_CONTROLS 0x2018u        /**< VM-function controls (which VMFUNC leaves are enabled) */
#define VMCS_EPT_POINTER 0x201Au            /**< EPT pointer: PML4 (or PML5) address, memory type, walk length */
#define VMCS_EOI_EXIT_BITMAP0 0x201Cu       /**< EOI-exit bitmap for vectors 0-63 */
#define VMCS_EOI_EXIT_BITMAP1 0x201Eu       /**< EOI-exit bitmap for vectors 64-127 */
#define VMCS_EOI_EXIT_BITMAP2 0x2020u       /**< EOI-exit bitmap for vectors 128-191 */
#define VMCS_EOI_EXIT_BITMAP3 0x2022u       /**< EOI-exit bitmap for vectors 192-255 */
#define VMCS_EPTP_LIST_ADDR 0x2024u         /**< EPTP-list address (EPTP switching) */
#define VMCS_VMREAD_BITMAP 0x2026u          /**< VMREAD-bitmap address (VMCS shadowing) */
#define VMCS_VMWRITE_BITMAP 0x2028u         /**< VMWRITE-bitmap address (VMCS shadowing) */
#define VMCS_VE_INFO_ADDR 0x202Au           /**< virtualization-exception information address */
#define VMCS_XSS_EXITING_BITMAP 0x202Cu     /**< XSS-exiting bitmap (XSAVES/XRSTORS) */
#define VMCS_ENCLS_EXITING_BITMAP 0x202Eu   /**< ENCLS-exiting bitmap (SGX leaves that exit) */
#define VMCS_TSC_MULTIPLIER 0x2032u         /**< TSC multiplier (TSC scaling) */
#define VMCS_TERTIARY_PROC_CONTROLS 0x2034u /**< tertiary processor-based VM-execution controls */
/** @} */

/** @name 64-bit read-only data fields */
/** @{ */
#define VMCS_GUEST_PHYSICAL_ADDR 0x2400u /**< guest-physical address of an EPT violation/misconfig */
/** @} */

/** @name 64-bit guest-state fields */
/** @{ */
#define VMCS_LINK_POINTER 0x2800u           /**< VMCS link pointer (all ones when no shadow VMCS) */
#define VMCS_GUEST_DEBUGCTL 0x2802u         /**< guest IA32_DEBUGCTL */
#define VMCS_GUEST_PAT 0x2804u              /**< guest IA32_PAT */
#define VMCS_GUEST_EFER 0x2806u             /**< guest IA32_EFER */
#define VMCS_GUEST_PERF_GLOBAL_CTRL 0x2808u /**< guest IA32_PERF_GLOBAL_CTRL */
#define VMCS_GUEST_PDPTE0 0x280Au           /**< guest PDPTE 0 (PAE paging with EPT) */
#define VMCS_GUEST_PDPTE1 0x280Cu           /**< guest PDPTE 1 */
#define VMCS_GUEST_PDPTE2 0x280Eu           /**< guest PDPTE 2 */
#define VMCS_GUEST_PDPTE3 0x2810u           /**< guest PDPTE 3 */
#define VMCS_GUEST_BNDCFGS 0x2812u          /**< guest IA32_BNDCFGS (MPX) */
#define VMCS_GUEST_RTIT_CTL 0x2814u         /**< guest IA32_RTIT_CTL (processor trace) */
/** @} */

/** @name 64-bit host-state fields */
/** @{ */
#define VMCS_HOST_PAT 0x2C00u              /**< host IA32_PAT */
#define VMCS_HOST_EFER 0x2C02u             /**< host IA32_EFER */
#define VMCS_HOST_PERF_GLOBAL_CTRL 0x2C04u /**< host IA32_PERF_GLOBAL_CTRL */
/** @} */

/** @name 32-bit control fields */
/** @{ */
#define VMCS_PIN_CONTROLS 0x4000u          /**< pin-based VM-execution controls */
#define VMCS_PROC_CONTROLS 0x4002u         /**< primary processor-based VM-execution controls */
#define VMCS_EXCEPTION_BITMAP 0x4004u      /**< one bit per exception vector: 1 = the exception exits */
#define VMCS_PF_ERROR_MASK 0x4006u         /**< page-fault error-code mask (filters page-fault exits) */
#define VMCS_PF_ERROR_MATCH 0x4008u        /**< page-fault error-code match */
#define VMCS_CR3_TARGET_COUNT 0x400Au      /**< number of valid CR3-target values */
#define VMCS_EXIT_CONTROLS 0x400Cu         /**< primary VM-exit controls */
#define VMCS_EXIT_MSR_STORE_COUNT 0x400Eu  /**< entries in the VM-exit MSR-store list */
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010u   /**< entries in the VM-exit MSR-load list */
#define VMCS_ENTRY_CONTROLS 0x4012u        /**< VM-entry controls */
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014u  /**< entries in the VM-entry MSR-load list */
#define VMCS_ENTRY_INTR_INFO 0x4016u       /**< VM-entry interruption information (event to inject) */
#define VMCS_ENTRY_EXCEPTION_ERROR 0x4018u /**< error code of the injected exception */
#define VMCS_ENTRY_INSN_LEN 0x401Au        /**< instruction length for injected software events */
#define VMCS_TPR_THRESHOLD 0x401Cu         /**< TPR threshold (TPR-shadow exits below it) */
#define VMCS_PROC2_CONTROLS 0x401Eu        /**< secondary processor-based VM-execution controls */
#define VMCS_PLE_GAP 0x4020u               /**< PAUSE-loop exiting: most cycles between PAUSEs of one loop */
#define VMCS_PLE_WINDOW 0x4022u            /**< PAUSE-loop exiting: cycles a loop may spin before it exits */
/** @} */

/** @name 32-bit read-only data fields (exit information) */
/** @{ */
#define VMCS_INSN_ERROR 0x4400u          /**< VM-instruction error number of the last VMfailValid */
#define VMCS_EXIT_REASON 0x4402u         /**< exit reason: basic reason in bits 15:0, entry failure in bit 31 */
#define VMCS_EXIT_INTR_INFO 0x4404u      /**< VM-exit interruption information */
#define VMCS_EXIT_INTR_ERROR 0x4406u     /**< VM-exit interruption error code */
#define VMCS_IDT_VECTORING_INFO 0x4408u  /**< IDT-vectoring information (event being delivered at exit) */
#define VMCS_IDT_VECTORING_ERROR 0x440Au /**< IDT-vectoring error code */
#define VMCS_EXIT_INSN_LEN 0x440Cu       /**< length of the instruction that caused the exit */
#define VMCS_EXIT_INSN_INFO 0x440Eu      /**< VM-exit instruction information (operand details) */
/** @} */

/** @name 32-bit guest-state fields: limits, access rights, event state */
/** @{ */
#define VMCS_GUEST_ES_LIMIT 0x4800u         /**< guest ES limit */
#define VMCS_GUEST_CS_LIMIT 0x4802u         /**< guest CS limit */
#define VMCS_GUEST_SS_LIMIT 0x4804u         /**< guest SS limit */
#define VMCS_GUEST_DS_LIMIT 0x4806u         /**< guest DS limit */
#define VMCS_GUEST_FS_LIMIT 0x4808u         /**< guest FS limit */
#define VMCS_GUEST_GS_LIMIT 0x480Au         /**< guest GS limit */
#define VMCS_GUEST_LDTR_LIMIT 0x480Cu       /**< guest LDTR limit */
#define VMCS_GUEST_TR_LIMIT 0x480Eu         /**< guest TR limit */
#define VMCS_GUEST_GDTR_LIMIT 0x4810u       /**< guest GDTR limit */
#define VMCS_GUEST_IDTR_LIMIT 0x4812u       /**< guest IDTR limit */
#define VMCS_GUEST_ES_AR 0x4814u            /**< guest ES access rights */
#define VMCS_GUEST_CS_AR 0x4816u            /**< guest CS access rights */
#define VMCS_GUEST_SS_AR 0x4818u            /**< guest SS access rights */
#define VMCS_GUEST_DS_AR 0x481Au            /**< guest DS access rights */
#define VMCS_GUEST_FS_AR 0x481Cu            /**< guest FS access rights */
#define VMCS_GUEST_GS_AR 0x481Eu            /**< guest GS access rights */
#define VMCS_GUEST_LDTR_AR 0x4820u          /**< guest LDTR access rights */
#define VMCS_GUEST_TR_AR 0x4822u            /**< guest TR access rights */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u /**< blocking by STI, MOV SS, SMI, NMI */
#define VMCS_GUEST_ACTIVITY_STATE 0x4826u   /**< active, HLT, shutdown or wait-for-SIPI */
#define VMCS_GUEST_SMBASE 0x4828u           /**< guest SMBASE */
#define VMCS_GUEST_SYSENTER_CS 0x482Au      /**< guest IA32_SYSENTER_CS */
#define VMCS_PREEMPTION_TIMER_VALUE 0x482Eu /**< VMX-preemption timer value (counts down while the guest runs) */
/** @} */

/** @name 32-bit host-state field */
/** @{ */
#define VMCS_HOST_SYSENTER_CS 0x4C00u /**< host IA32_SYSENTER_CS */
/** @} */

/** @name Natural-width control fields: CR masks, shadows, CR3 targets */
/** @{ */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000u /**< CR0 bits owned by the host (guest writes to them exit) */
#define VMCS_CR4_GUEST_HOST_MASK 0x6002u /**< CR4 bits owned by the host */
#define VMCS_CR0_READ_SHADOW 0x6004u     /**< what the guest reads for host-owned CR0 bits */
#define VMCS_CR4_READ_SHADOW 0x6006u     /**< what the guest reads for host-owned CR4 bits */
#define VMCS_CR3_TARGET0 0x6008u         /**< CR3-target value 0 (MOV to CR3 with it does not exit) */
#define VMCS_CR3_TARGET1 0x600Au         /**< CR3-target value 1 */
#define VMCS_CR3_TARGET2 0x600Cu         /**< CR3-target value 2 */
#define VMCS_CR3_TARGET3 0x600Eu         /**< CR3-target value 3 */
/** @} */

/** @name Natural-width read-only data fields */
/** @{ */
#define VMCS_EXIT_QUALIFICATION 0x6400u /**< exit qualification (layout depends on the exit reason) */
#define VMCS_IO_RCX 0x6402u             /**< RCX of an I/O instruction just before an SMI (SMM VM exits) */
#define VMCS_IO_RSI 0x6404u             /**< RSI of an I/O instruction just before an SMI */
#define VMCS_IO_RDI 0x6406u             /**< RDI of an I/O instruction just before an SMI */
#define VMCS_IO_RIP 0x6408u             /**< RIP of an I/O instruction just before an SMI */
#define VMCS_GUEST_LINEAR_ADDR 0x640Au  /**< guest-linear address of the access that exited */
/** @} */

/** @name Natural-width guest-state fields */
/** @{ */
#define VMCS_GUEST_CR0 0x6800u          /**< guest CR0 */
#define VMCS_GUEST_CR3 0x6802u          /**< guest CR3 */
#define VMCS_GUEST_CR4 0x6804u          /**< guest CR4 */
#define VMCS_GUEST_ES_BASE 0x6806u      /**< guest ES base */
#define VMCS_GUEST_CS_BASE 0x6808u      /**< guest CS base */
#define VMCS_GUEST_SS_BASE 0x680Au      /**< guest SS base */
#define VMCS_GUEST_DS_BASE 0x680Cu      /**< guest DS base */
#define VMCS_GUEST_FS_BASE 0x680Eu      /**< guest FS base */
#define VMCS_GUEST_GS_BASE 0x6810u      /**< guest GS base */
#define VMCS_GUEST_LDTR_BASE 0x6812u    /**< guest LDTR base */
#define VMCS_GUEST_TR_BASE 0x6814u      /**< guest TR base */
#define VMCS_GUEST_GDTR_BASE 0x6816u    /**< guest GDTR base */
#define VMCS_GUEST_IDTR_BASE 0x6818u    /**< guest IDTR base */
#define VMCS_GUEST_DR7 0x681Au          /**< guest DR7 */
#define VMCS_GUEST_RSP 0x681Cu          /**< guest RSP */
#define VMCS_GUEST_RIP 0x681Eu          /**< guest RIP */
#define VMCS_GUEST_RFLAGS 0x6820u       /**< guest RFLAGS */
#define VMCS_GUEST_PENDING_DBG 0x6822u  /**< guest pending debug exceptions */
#define VMCS_GUEST_SYSENTER_ESP 0x6824u /**< guest IA32_SYSENTER_ESP */
#define VMCS_GUEST_SYSENTER_EIP 0x6826u /**< guest IA32_SYSENTER_EIP */
/** @} */

/** @name Natural-width host-state fields */
/** @{ */
#define VMCS_HOST_CR0 0x6C00u          /**< host CR0 */
#define VMCS_HOST_CR3 0x6C02u          /**< host CR3 */
#define VMCS_HOST_CR4 0x6C04u          /**< host CR4 */
#define VMCS_HOST_FS_BASE 0x6C06u      /**< host FS base */
#define VMCS_HOST_GS_BASE 0x6C08u      /**< host GS base */
#define VMCS_HOST_TR_BASE 0x6C0Au      /**< host TR base */
#define VMCS_HOST_GDTR_BASE 0x6C0Cu    /**< host GDTR base */
#define VMCS_HOST_IDTR_BASE 0x6C0Eu    /**< host IDTR base */
#define VMCS_HOST_SYSENTER_ESP 0x6C10u /**< host IA32_SYSENTER_ESP */
#define VMCS_HOST_SYSENTER_EIP 0x6C12u /**< host IA32_SYSENTER_EIP */
#define VMCS_HOST_RSP 0x6C14u          /**< host RSP loaded on VM exit */
#define VMCS_HOST_RIP 0x6C16u          /**< host RIP loaded on VM exit (the exit handler entry) */
/** @} */

/** @name Pin-based VM-execution controls (VMCS_PIN_CONTROLS) */
/** @{ */
#define VMX_PIN_EXT_INTR_EXITING (1u << 0) /**< external interrupts cause VM exits */
#define VMX_PIN_NMI_EXITING (1u << 3)      /**< NMIs cause VM exits */
#define VMX_PIN_VIRTUAL_NMIS (1u << 5)     /**< track NMI blocking for virtual NMIs */
#define VMX_PIN_PREEMPTION_TIMER (1u << 6) /**< activate the VMX-preemption timer */
#define VMX_PIN_POSTED_INTR (1u << 7)      /**< process posted interrupts */
/** @} */

/** @name Primary processor-based VM-execution controls (VMCS_PROC_CONTROLS) */
/** @{ */
#define VMX_PROC_INTR_WINDOW_EXITING (1u << 2) /**< exit as soon as the guest can take an interrupt */
#define VMX_PROC_TSC_OFFSETTING (1u << 3)      /**< add VMCS_TSC_OFFSET to guest TSC reads */
#define VMX_PROC_HLT_EXITING (1u << 7)         /**< HLT causes a VM exit */
#define VMX_PROC_INVLPG_EXITING (1u << 9)      /**< INVLPG causes a VM exit */
#define VMX_PROC_MWAIT_EXITING (1u << 10)      /**< MWAIT causes a VM exit */
#define VMX_PROC_RDPMC_EXITING (1u << 11)      /**< RDPMC causes a VM exit */
#define VMX_PROC_RDTSC_EXITING (1u << 12)      /**< RDTSC (and RDTSCP) cause VM exits */
#define VMX_PROC_CR3_LOAD_EXITING (1u << 15)   /**< MOV to CR3 exits (unless a CR3-target value) */
#define VMX_PROC_CR3_STORE_EXITING (1u << 16)  /**< MOV from CR3 causes a VM exit */
#define VMX_PROC_TERTIARY_CONTROLS (1u << 17)  /**< activate the tertiary controls */
#define VMX_PROC_CR8_LOAD_EXITING (1u << 19)   /**< MOV to CR8 causes a VM exit */
#define VMX_PROC_CR8_STORE_EXITING (1u << 20)  /**< MOV from CR8 causes a VM exit */
#define VMX_PROC_TPR_SHADOW (1u << 21)         /**< use the TPR shadow in the virtual-APIC page */
#define VMX_PROC_NMI_WINDOW_EXITING (1u << 22) /**< exit as soon as there is no virtual-NMI blocking */
#define VMX_PROC_MOV_DR_EXITING (1u << 23)     /**< MOV to or from a debug register causes a VM exit */
#define VMX_PROC_UNCOND_IO_EXITING (1u << 24)  /**< every I/O instruction exits (ignored with I/O bitmaps) */
#define VMX_PROC_IO_BITMAPS (1u << 25)         /**< use the I/O bitmaps to pick which ports exit */
#define VMX_PROC_MONITOR_TRAP_FLAG (1u << 27)  /**< monitor trap flag: exit after one guest instruction */
#define VMX_PROC_MSR_BITMAPS (1u << 28)        /**< use the MSR bitmaps to pick which RDMSR/WRMSR exit */
#define VMX_PROC_MONITOR_EXITING (1u << 29)    /**< MONITOR causes a VM exit */
#define VMX_PROC_PAUSE_EXITING (1u << 30)      /**< PAUSE causes a VM exit */
#define VMX_PROC_SECONDARY_CONTROLS (1u << 31) /**< activate the secondary controls */
/** @} */

/** @name Secondary processor-based VM-execution controls (VMCS_PROC2_CONTROLS) */
/** @{ */
#define VMX_PROC2_VIRT_APIC_ACCESSES (1u << 0)   /**< virtualize accesses to the APIC-access page */
#define VMX_PROC2_EPT (1u << 1)                  /**< enable EPT */
#define VMX_PROC2_DESC_TABLE_EXITING (1u << 2)   /**< LGDT, LIDT, LLDT, LTR, SGDT, SIDT, SLDT, STR exit */
#define VMX_PROC2_RDTSCP (1u << 3)               /**< enable RDTSCP (else it raises \#UD in the guest) */
#define VMX_PROC2_VIRT_X2APIC (1u << 4)          /**< virtualize x2APIC mode */
#define VMX_PROC2_VPID (1u << 5)                 /**< enable VPID */
#define VMX_PROC2_WBINVD_EXITING (1u << 6)       /**< WBINVD and WBNOINVD cause VM exits */
#define VMX_PROC2_UNRESTRICTED_GUEST (1u << 7)   /**< unrestricted guest: real mode and unpaged mode run natively */
#define VMX_PROC2_APIC_REG_VIRT (1u << 8)        /**< APIC-register virtualization */
#define VMX_PROC2_VIRT_INTR_DELIVERY (1u << 9)   /**< virtual-interrupt delivery */
#define VMX_PROC2_PAUSE_LOOP_EXITING (1u << 10)  /**< exit on PAUSE loops longer than VMCS_PLE_WINDOW */
#define VMX_PROC2_RDRAND_EXITING (1u << 11)      /**< RDRAND causes a VM exit */
#define VMX_PROC2_INVPCID (1u << 12)             /**< enable INVPCID (else it raises \#UD in the guest) */
#define VMX_PROC2_VMFUNC (1u << 13)              /**< enable VM functions */
#define VMX_PROC2_VMCS_SHADOWING (1u << 14)      /**< VMCS shadowing */
#define VMX_PROC2_ENCLS_EXITING (1u << 15)       /**< ENCLS exits as selected by the ENCLS-exiting bitmap */
#define VMX_PROC2_RDSEED_EXITING (1u << 16)      /**< RDSEED causes a VM exit */
#define VMX_PROC2_PML (1u << 17)                 /**< enable the page-modification log */
#define VMX_PROC2_EPT_VE (1u << 18)              /**< EPT violations may raise a virtualization exception instead */
#define VMX_PROC2_PT_CONCEAL (1u << 19)          /**< conceal VMX from processor trace */
#define VMX_PROC2_XSAVES (1u << 20)              /**< enable XSAVES/XRSTORS (else they raise \#UD in the guest) */
#define VMX_PROC2_MODE_BASED_EPT_EXEC (1u << 22) /**< mode-based execute control for EPT (user/supervisor) */
#define VMX_PROC2_SUBPAGE_WRITE (1u << 23)       /**< sub-page write permissions for EPT */
#define VMX_PROC2_TSC_SCALING (1u << 25)         /**< use TSC scaling (VMCS_TSC_MULTIPLIER) */
#define VMX_PROC2_USER_WAIT_PAUSE (1u << 26)     /**< enable user wait and pause (TPAUSE, UMONITOR, UMWAIT) */
/** @} */

/** @name Primary VM-exit controls (VMCS_EXIT_CONTROLS) */
/** @{ */
#define VMX_EXIT_SAVE_DEBUG_CONTROLS (1u << 2)    /**< save guest DR7 and IA32_DEBUGCTL on exit */
#define VMX_EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)   /**< host runs in 64-bit mode after the exit */
#define VMX_EXIT_LOAD_PERF_GLOBAL_CTRL (1u << 12) /**< load host IA32_PERF_GLOBAL_CTRL on exit */
#define VMX_EXIT_ACK_INTR_ON_EXIT (1u << 15)      /**< acknowledge the interrupt controller and store the vector on exit */
#define VMX_EXIT_SAVE_PAT (1u << 18)              /**< save guest IA32_PAT on exit */
#define VMX_EXIT_LOAD_PAT (1u << 19)              /**< load host IA32_PAT on exit */
#define VMX_EXIT_SAVE_EFER (1u << 20)             /**< save guest IA32_EFER on exit */
#define VMX_EXIT_LOAD_EFER (1u << 21)             /**< load host IA32_EFER on exit */
#define VMX_EXIT_SAVE_PREEMPTION_TIMER (1u << 22) /**< save the preemption timer value on exit */
/** @} */

/** @name VM-entry controls (VMCS_ENTRY_CONTROLS) */
/** @{ */
#define VMX_ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)    /**< load guest DR7 and IA32_DEBUGCTL on entry */
#define VMX_ENTRY_IA32E_MODE_GUEST (1u << 9)       /**< guest is in IA-32e mode after entry (EFER.LMA) */
#define VMX_ENTRY_TO_SMM (1u << 10)                /**< entry to SMM (dual-monitor treatment only) */
#define VMX_ENTRY_DEACT_DUAL_MONITOR (1u << 11)    /**< deactivate dual-monitor treatment */
#define VMX_ENTRY_LOAD_PERF_GLOBAL_CTRL (1u << 13) /**< load guest IA32_PERF_GLOBAL_CTRL on entry */
#define VMX_ENTRY_LOAD_PAT (1u << 14)              /**< load guest IA32_PAT on entry */
#define VMX_ENTRY_LOAD_EFER (1u << 15)             /**< load guest IA32_EFER on entry */
/** @} */

/** @name VM-entry interruption-information field (VMCS_ENTRY_INTR_INFO) */
/** @{ */
#define VMX_INTR_INFO_VECTOR_MASK 0xFFu        /**< bits 7:0: vector of the interrupt or exception */
#define VMX_INTR_INFO_TYPE_SHIFT 8             /**< position of the event type (bits 10:8) */
#define VMX_INTR_INFO_TYPE_MASK (7u << 8)      /**< bits 10:8: event type, one of VMX_INTR_TYPE_* */
#define VMX_INTR_INFO_DELIVER_ERROR (1u << 11) /**< bit 11: push VMCS_ENTRY_EXCEPTION_ERROR as error code */
#define VMX_INTR_INFO_VALID (1u << 31)         /**< bit 31: the field holds an event to inject */
#define VMX_INTR_TYPE_EXT_INTR 0u              /**< external interrupt */
#define VMX_INTR_TYPE_NMI 2u                   /**< non-maskable interrupt */
#define VMX_INTR_TYPE_HW_EXCEPTION 3u          /**< hardware exception (faults, aborts, most traps) */
#define VMX_INTR_TYPE_SW_INTR 4u               /**< software interrupt (INT n) */
#define VMX_INTR_TYPE_PRIV_SW_EXCEPTION 5u     /**< privileged software exception (INT1) */
#define VMX_INTR_TYPE_SW_EXCEPTION 6u          /**< software exception (INT3, INTO) */
#define VMX_INTR_TYPE_OTHER_EVENT 7u           /**< other event (pending monitor trap flag exit) */
/** @} */

/** @name Guest interruptibility state (VMCS_GUEST_INTERRUPTIBILITY) */
/** @{ */
#define VMX_INTERRUPTIBILITY_STI (1u << 0)     /**< blocking by STI (the instruction after STI) */
#define VMX_INTERRUPTIBILITY_MOV_SS (1u << 1)  /**< blocking by MOV SS or POP SS */
#define VMX_INTERRUPTIBILITY_SMI (1u << 2)     /**< blocking by SMI (guest is in SMM) */
#define VMX_INTERRUPTIBILITY_NMI (1u << 3)     /**< blocking by NMI (an NMI handler is running) */
#define VMX_INTERRUPTIBILITY_ENCLAVE (1u << 4) /**< enclave interruption (exit happened inside an SGX enclave) */
/** @} */

/** @name Guest activity states (VMCS_GUEST_ACTIVITY_STATE) */
/** @{ */
#define VMX_ACTIVITY_ACTIVE 0u    /**< executing instructions normally */
#define VMX_ACTIVITY_HLT 1u       /**< halted by HLT */
#define VMX_ACTIVITY_SHUTDOWN 2u  /**< shut down after a triple fault */
#define VMX_ACTIVITY_WAIT_SIPI 3u /**< waiting for a startup IPI */
/** @} */

#endif
