/**
 * @file arch/vmx/vmx_caps.c
 * @brief Decode the VT-x capability MSRs (pure logic, host-testable).
 */
#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmcs_fields.h"

/** May the control with this bit be set, according to capability value cap? */
static bool allowed1(u64 cap, u32 bit)
{
    return ((cap >> 32) & bit) != 0;
}

/** May the control with this bit be cleared? */
static bool allowed0(u64 cap, u32 bit)
{
    return ((u32)cap & bit) == 0;
}

bool vmx_caps_msr_exists(const struct vmx_cap_msrs *msrs, u32 index)
{
    bool secondary = allowed1(msrs->procbased, VMX_PROC_SECONDARY_CONTROLS);
    u64 proc2 = secondary ? msrs->procbased2 : 0;

    if (index >= MSR_IA32_VMX_BASIC && index <= MSR_IA32_VMX_CR4_FIXED1)
        return true;
    switch (index) {
    case MSR_IA32_VMX_VMCS_ENUM:
        return true;
    case MSR_IA32_VMX_PROCBASED_CTLS2:
        return secondary;
    case MSR_IA32_VMX_EPT_VPID_CAP:
        /* Exists when either EPT or VPID may be enabled. */
        return allowed1(proc2, VMX_PROC2_EPT) || allowed1(proc2, VMX_PROC2_VPID);
    case MSR_IA32_VMX_TRUE_PINBASED_CTLS:
    case MSR_IA32_VMX_TRUE_PROCBASED_CTLS:
    case MSR_IA32_VMX_TRUE_EXIT_CTLS:
    case MSR_IA32_VMX_TRUE_ENTRY_CTLS:
        return (msrs->basic >> 55) & 1;
    case MSR_IA32_VMX_VMFUNC:
        return allowed1(proc2, VMX_PROC2_VMFUNC);
    default:
        return false;
    }
}

bool vmx_caps_decode(const struct vmx_cap_msrs *msrs, struct vmx_caps *out)
{
    /* LAB 1 BEGIN: decode the VT-x capability MSRs */
    const u64 basic = msrs->basic;
    const u64 misc = msrs->misc;
    u64 ept_cap;
    u32 msr_list_factor;

    *out = (struct vmx_caps){ 0 };
    out->msr = *msrs;

    /* IA32_VMX_BASIC: revision in 30:0, region size in 44:32, flags above. */
    out->vmcs_revision = (u32)basic & 0x7FFFFFFFu;
    out->vmcs_size = (u32)(basic >> 32) & 0x1FFFu;
    out->addr_32bit_only = (basic >> 48) & 1;
    out->vmcs_memtype = (u8)((basic >> 50) & 0xF);
    out->ins_outs_info = (basic >> 54) & 1;
    out->true_controls = (basic >> 55) & 1;
    out->no_errcode_check = (basic >> 56) & 1;

    /* The TRUE_* MSRs report the same allowed-1 bits but may clear some
     * "default1" bits from allowed-0; prefer them when they exist. */
    out->pin_ctl = out->true_controls ? msrs->true_pinbased : msrs->pinbased;
    out->proc_ctl = out->true_controls ? msrs->true_procbased : msrs->procbased;
    out->exit_ctl = out->true_controls ? msrs->true_exit : msrs->exit;
    out->entry_ctl = out->true_controls ? msrs->true_entry : msrs->entry;

    out->secondary = allowed1(out->proc_ctl, VMX_PROC_SECONDARY_CONTROLS);
    out->proc2_ctl = out->secondary ? msrs->procbased2 : 0;

    out->io_bitmaps = allowed1(out->proc_ctl, VMX_PROC_IO_BITMAPS);
    out->msr_bitmaps = allowed1(out->proc_ctl, VMX_PROC_MSR_BITMAPS);
    out->cr3_exiting_optional =
        allowed0(out->proc_ctl, VMX_PROC_CR3_LOAD_EXITING) &&
        allowed0(out->proc_ctl, VMX_PROC_CR3_STORE_EXITING);
    out->virtual_nmis = allowed1(out->pin_ctl, VMX_PIN_VIRTUAL_NMIS);
    out->preemption_timer = allowed1(out->pin_ctl, VMX_PIN_PREEMPTION_TIMER);
    out->preemption_timer_rate = (u8)(misc & 0x1F);

    /* EPT_VPID_CAP only exists when EPT or VPID can be enabled. */
    ept_cap = (allowed1(out->proc2_ctl, VMX_PROC2_EPT) ||
               allowed1(out->proc2_ctl, VMX_PROC2_VPID))
                  ? msrs->ept_vpid_cap
                  : 0;
    out->ept_walk4 = ept_cap & VMX_EPT_CAP_WALK_4;
    out->ept_walk5 = ept_cap & VMX_EPT_CAP_WALK_5;
    out->ept_wb = ept_cap & VMX_EPT_CAP_WB;
    out->ept_uc = ept_cap & VMX_EPT_CAP_UC;
    out->ept_2m = ept_cap & VMX_EPT_CAP_2M;
    out->ept_1g = ept_cap & VMX_EPT_CAP_1G;
    out->ept_ad = ept_cap & VMX_EPT_CAP_AD;
    out->ept_exec_only = ept_cap & VMX_EPT_CAP_EXEC_ONLY;
    out->invept = ept_cap & VMX_EPT_CAP_INVEPT;
    out->invept_single = out->invept && (ept_cap & VMX_EPT_CAP_INVEPT_SINGLE);
    out->invept_all = out->invept && (ept_cap & VMX_EPT_CAP_INVEPT_ALL);
    /* bookvisor builds 4-level tables, so EPT counts only with that walk
     * and a memory type it can use for the tables. */
    out->ept = allowed1(out->proc2_ctl, VMX_PROC2_EPT) && out->ept_walk4 &&
               (out->ept_wb || out->ept_uc);
    out->unrestricted_guest = allowed1(out->proc2_ctl, VMX_PROC2_UNRESTRICTED_GUEST);
    out->vpid = allowed1(out->proc2_ctl, VMX_PROC2_VPID);
    out->invvpid = out->vpid && (ept_cap & VMX_VPID_CAP_INVVPID);
    out->invvpid_single = out->invvpid && (ept_cap & VMX_VPID_CAP_INVVPID_SINGLE);
    out->invvpid_all = out->invvpid && (ept_cap & VMX_VPID_CAP_INVVPID_ALL);
    out->rdtscp = allowed1(out->proc2_ctl, VMX_PROC2_RDTSCP);
    out->invpcid = allowed1(out->proc2_ctl, VMX_PROC2_INVPCID);
    out->xsaves = allowed1(out->proc2_ctl, VMX_PROC2_XSAVES);
    out->vmfunc = allowed1(out->proc2_ctl, VMX_PROC2_VMFUNC);

    out->exit_save_efer = allowed1(out->exit_ctl, VMX_EXIT_SAVE_EFER);
    out->exit_load_efer = allowed1(out->exit_ctl, VMX_EXIT_LOAD_EFER);
    out->exit_save_pat = allowed1(out->exit_ctl, VMX_EXIT_SAVE_PAT);
    out->exit_load_pat = allowed1(out->exit_ctl, VMX_EXIT_LOAD_PAT);
    out->entry_load_efer = allowed1(out->entry_ctl, VMX_ENTRY_LOAD_EFER);
    out->entry_load_pat = allowed1(out->entry_ctl, VMX_ENTRY_LOAD_PAT);

    /* IA32_VMX_MISC. */
    out->exit_stores_lma = (misc >> 5) & 1;
    out->activity_states = (u8)(((misc >> 6) & 7) << 1);
    out->cr3_target_max = (u16)((misc >> 16) & 0x1FF);
    msr_list_factor = (u32)((misc >> 25) & 7);
    out->msr_list_max = 512u * (msr_list_factor + 1);
    out->vmwrite_any_field = (misc >> 29) & 1;
    out->zero_len_injection = (misc >> 30) & 1;

    return (basic & (1ull << 31)) == 0 && out->vmcs_size != 0 &&
           out->vmcs_size <= 4096;
    /* LAB 1 END */
}

/** Append word (with a separating space) if it fits whole; track full length. */
static void append_word(char *buf, size_t len, size_t *used, bool *stopped,
                        const char *word)
{
    size_t wlen = 0;
    size_t need;
    size_t i;

    while (word[wlen])
        wlen++;
    need = wlen + (*used ? 1 : 0);
    if (!*stopped && len > 0 && *used + need < len) {
        size_t pos = *used;

        if (pos)
            buf[pos++] = ' ';
        for (i = 0; i < wlen; i++)
            buf[pos + i] = word[i];
        buf[pos + wlen] = '\0';
        *used += need;
        return;
    }
    /* Once one word is dropped, drop the rest too so the list never has
     * holes; keep counting what the full list would need. */
    *stopped = true;
    *used += need;
}

size_t vmx_caps_feature_string(const struct vmx_caps *caps, char *buf, size_t len)
{
    const struct {
        bool on;
        const char *word;
    } words[] = {
        { caps->true_controls, "truectl" },
        { caps->ept, "ept" },
        { caps->ept && caps->ept_2m, "ept2m" },
        { caps->ept && caps->ept_1g, "ept1g" },
        { caps->ept && caps->ept_ad, "eptad" },
        { caps->invept, "invept" },
        { caps->unrestricted_guest, "ug" },
        { caps->vpid, "vpid" },
        { caps->invvpid, "invvpid" },
        { caps->preemption_timer, "preempt" },
        { caps->msr_bitmaps, "msrbm" },
        { caps->io_bitmaps, "iobm" },
        { caps->virtual_nmis, "vnmi" },
        { caps->rdtscp, "rdtscp" },
        { caps->invpcid, "invpcid" },
        { caps->xsaves, "xsaves" },
        { caps->vmfunc, "vmfunc" },
    };
    size_t used = 0;
    bool stopped = false;
    size_t i;

    if (len > 0)
        buf[0] = '\0';
    for (i = 0; i < ARRAY_SIZE(words); i++) {
        if (words[i].on)
            append_word(buf, len, &used, &stopped, words[i].word);
    }
    return used;
}

void vmx_caps_cpuid_hidden(const struct vmx_caps *caps, struct cpuid_hide *out)
{
    out->ext1_edx = caps->rdtscp ? 0 : CPUID_EXT1_EDX_RDTSCP;
    out->leaf7_ebx = caps->invpcid ? 0 : CPUID_7_EBX_INVPCID;
    out->leafd1_eax = caps->xsaves ? 0 : CPUID_D1_EAX_XSAVES;
}
