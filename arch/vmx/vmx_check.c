/**
 * @file arch/vmx/vmx_check.c
 * @brief Software VM-entry checks on a VMCS snapshot (pure logic).
 *
 * Every rule below is one of the SDM's entry checks, written as "fail when
 * ...". The snapshot is only read; shifts use clamped widths, so no input
 * can make the checker misbehave.
 */
#include "arch/vmx/vmx_check.h"
#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_controls.h"
#include "common/lib/format.h"

/** @name Architectural register bits the checks look at */
/** @{ */
#define CR0_PE (1ull << 0)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_PCIDE (1ull << 17)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_VM (1ull << 17)
#define DEBUGCTL_BTF (1ull << 1)
#define PENDING_DBG_BS (1ull << 14)
/** @} */

/** Bits of IA32_EFER an Intel CPU lets software set: SCE, LME, LMA, NXE. */
#define EFER_VALID (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
/** IA32_DEBUGCTL bits 5:2 and 63:16 are reserved. */
#define DEBUGCTL_RESERVED (0x3Cull | ~0xFFFFull)
/** Pending debug exceptions: only B3-B0, enabled breakpoint, BS and RTM. */
#define PENDING_DBG_VALID (0xFull | (1ull << 12) | PENDING_DBG_BS | (1ull << 16))
/** RFLAGS bits that must be 0: 63:22, 15, 5 and 3. */
#define RFLAGS_RESERVED (~0x3FFFFFull | (1ull << 15) | (1ull << 5) | (1ull << 3))

static const char *const check_codes[VMX_CHECK_COUNT] = {
#define VMX_CHECK_CODE(id, code, name) [VMX_CHECK_##id] = code,
    VMX_CHECK_LIST(VMX_CHECK_CODE)
#undef VMX_CHECK_CODE
};

static const char *const check_names[VMX_CHECK_COUNT] = {
#define VMX_CHECK_NAME(id, code, name) [VMX_CHECK_##id] = name,
    VMX_CHECK_LIST(VMX_CHECK_NAME)
#undef VMX_CHECK_NAME
};

/** State shared by the checks of one run. */
struct ctx {
    const struct vmx_vmcs_snapshot *s;
    struct vmx_check_report *report;
    unsigned count;
    bool seen[VMX_CHECK_COUNT];
    unsigned phys_bits;   /**< clamped physical-address width */
    unsigned lin_bits;    /**< clamped linear-address width */
    unsigned bitmap_bits; /**< width for VMCS-referenced structures */
    u32 proc2;            /**< secondary controls as the CPU sees them */
    bool ug;              /**< unrestricted guest */
    bool ia32e;           /**< IA-32e mode guest */
    bool asz;             /**< 64-bit host */
    bool v86;             /**< guest will be in virtual-8086 mode */
    bool inject;          /**< an event is injected */
    u32 inject_type;
    u32 inject_vector;
};

/** Record a failure of check id with the offending value (once per id). */
static void fail(struct ctx *c, enum vmx_check_id id, u64 value)
{
    if (c->seen[id])
        return;
    c->seen[id] = true;
    c->count++;
    if (c->report && c->report->stored < VMX_CHECK_MAX_FAILURES) {
        c->report->failures[c->report->stored].id = id;
        c->report->failures[c->report->stored].value = value;
        c->report->stored++;
    }
}

static void check(struct ctx *c, bool bad, enum vmx_check_id id, u64 value)
{
    if (bad)
        fail(c, id, value);
}

/** Is addr canonical for the linear-address width? */
static bool canonical(const struct ctx *c, u64 addr)
{
    u64 top = addr >> (c->lin_bits - 1);
    u64 all = ~0ull >> (c->lin_bits - 1);

    return top == 0 || top == all;
}

/** Does addr have bits at or above the physical-address width? */
static bool beyond_width(unsigned bits, u64 addr)
{
    return (addr >> bits) != 0;
}

/** Is every byte of a PAT value a memory type WRMSR accepts? */
static bool pat_valid(u64 pat)
{
    unsigned i;

    for (i = 0; i < 8; i++) {
        u8 type = (u8)(pat >> (i * 8));

        if (type == 2 || type == 3 || type > 7)
            return false;
    }
    return true;
}

/** Bits of cr that break the fixed-0/fixed-1 MSR pair. */
static u64 fixed_bad_bits(u64 cr, u64 fixed0, u64 fixed1)
{
    return (fixed0 & ~cr) | (cr & ~fixed1);
}

static bool usable(const struct vmx_segment *seg)
{
    return (seg->ar & VMX_AR_UNUSABLE) == 0;
}

static u32 seg_type(const struct vmx_segment *seg)
{
    return seg->ar & VMX_AR_TYPE_MASK;
}

static u32 seg_dpl(const struct vmx_segment *seg)
{
    return (seg->ar >> VMX_AR_DPL_SHIFT) & 3;
}

/* ---- VM-execution, VM-exit and VM-entry controls (SDM 26.2.1) ---- */

static void check_ept_pointer(struct ctx *c)
{
    const struct vmx_caps *caps = &c->s->caps;
    u64 eptp = c->s->ctl.eptp;
    u32 memtype = (u32)eptp & 7;
    u32 walk = (u32)(eptp >> 3) & 7;
    u64 reserved = 0xF00ull;

    check(c, !((memtype == 0 && caps->ept_uc) || (memtype == 6 && caps->ept_wb)),
          VMX_CHECK_CTL_EPTP_MEMTYPE, eptp);
    check(c, !((walk == 3 && caps->ept_walk4) || (walk == 4 && caps->ept_walk5)),
          VMX_CHECK_CTL_EPTP_WALK, eptp);
    check(c, (eptp & (1ull << 6)) && !caps->ept_ad, VMX_CHECK_CTL_EPTP_AD, eptp);
    /* Bit 7 enables supervisor shadow-stack control, only where supported. */
    if (!(caps->msr.ept_vpid_cap & VMX_EPT_CAP_SSS))
        reserved |= 1ull << 7;
    check(c, (eptp & reserved) || beyond_width(c->phys_bits, eptp),
          VMX_CHECK_CTL_EPTP_RESERVED, eptp);
}

/** A 4 KiB bitmap page must be aligned and addressable. */
static bool bitmap_addr_bad(const struct ctx *c, u64 addr)
{
    return (addr & 0xFFF) || beyond_width(c->bitmap_bits, addr);
}

/** An MSR list of count 16-byte entries must be aligned and addressable. */
static bool msr_area_bad(const struct ctx *c, u32 count, u64 addr)
{
    u64 last;

    if (count == 0)
        return false;
    last = addr + (u64)count * 16 - 1;
    return (addr & 0xF) || last < addr || beyond_width(c->bitmap_bits, last);
}

static void check_event_injection(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    u32 info = s->ctl.entry_intr_info;
    u32 type = c->inject_type;
    u32 vector = c->inject_vector;
    bool mtf_supported = (s->caps.proc_ctl >> 32) & VMX_PROC_MONITOR_TRAP_FLAG;
    bool has_err = info & VMX_INTR_INFO_DELIVER_ERROR;
    bool protected_mode = !c->ug || (s->guest.cr0 & CR0_PE);
    bool pushes_err;

    if (!c->inject)
        return;
    check(c, type == 1 || (type == VMX_INTR_TYPE_OTHER_EVENT && !mtf_supported),
          VMX_CHECK_CTL_EVENT_TYPE, info);
    check(c, (type == VMX_INTR_TYPE_NMI && vector != 2) ||
                 (type == VMX_INTR_TYPE_HW_EXCEPTION && vector > 31) ||
                 (type == VMX_INTR_TYPE_OTHER_EVENT && vector != 0),
          VMX_CHECK_CTL_EVENT_VECTOR, info);

    /* #DF, #TS, #NP, #SS, #GP, #PF, #AC and #CP push an error code, but
     * only in protected mode. */
    pushes_err = vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 ||
                 vector == 21;
    if (s->caps.no_errcode_check)
        check(c, has_err && !(protected_mode && type == VMX_INTR_TYPE_HW_EXCEPTION),
              VMX_CHECK_CTL_EVENT_ERRCODE_FLAG, info);
    else
        check(c, has_err != (protected_mode && type == VMX_INTR_TYPE_HW_EXCEPTION &&
                             pushes_err),
              VMX_CHECK_CTL_EVENT_ERRCODE_FLAG, info);

    check(c, (info & 0x7FFFF000u) != 0, VMX_CHECK_CTL_EVENT_RESERVED, info);
    /* Bits 31:16 (older SDM editions: 31:15, before SGX used bit 15). */
    check(c, has_err && (s->ctl.entry_error_code & 0xFFFF0000u),
          VMX_CHECK_CTL_EVENT_ERRCODE_VALUE, s->ctl.entry_error_code);
    if (type == VMX_INTR_TYPE_SW_INTR || type == VMX_INTR_TYPE_PRIV_SW_EXCEPTION ||
        type == VMX_INTR_TYPE_SW_EXCEPTION) {
        u32 len = s->ctl.entry_insn_len;

        check(c, len > 15 || (len == 0 && !s->caps.zero_len_injection),
              VMX_CHECK_CTL_EVENT_INSN_LEN, len);
    }
}

static void check_controls(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    const struct vmx_caps *caps = &s->caps;
    u32 bad;

    bad = vmx_control_bad_bits(caps->pin_ctl, s->ctl.pin);
    check(c, bad != 0, VMX_CHECK_CTL_PIN_RESERVED, bad);
    bad = vmx_control_bad_bits(caps->proc_ctl, s->ctl.proc);
    check(c, bad != 0, VMX_CHECK_CTL_PROC_RESERVED, bad);
    if (s->ctl.proc & VMX_PROC_SECONDARY_CONTROLS) {
        bad = vmx_control_bad_bits(caps->proc2_ctl, s->ctl.proc2);
        check(c, bad != 0, VMX_CHECK_CTL_PROC2_RESERVED, bad);
    }
    bad = vmx_control_bad_bits(caps->exit_ctl, s->ctl.exit);
    check(c, bad != 0, VMX_CHECK_CTL_EXIT_RESERVED, bad);
    bad = vmx_control_bad_bits(caps->entry_ctl, s->ctl.entry);
    check(c, bad != 0, VMX_CHECK_CTL_ENTRY_RESERVED, bad);

    check(c, s->ctl.cr3_target_count > 4, VMX_CHECK_CTL_CR3_TARGET_COUNT,
          s->ctl.cr3_target_count);

    if (s->ctl.proc & VMX_PROC_IO_BITMAPS) {
        check(c, bitmap_addr_bad(c, s->ctl.io_bitmap_a), VMX_CHECK_CTL_IO_BITMAP_ADDR,
              s->ctl.io_bitmap_a);
        check(c, bitmap_addr_bad(c, s->ctl.io_bitmap_b), VMX_CHECK_CTL_IO_BITMAP_ADDR,
              s->ctl.io_bitmap_b);
    }
    if (s->ctl.proc & VMX_PROC_MSR_BITMAPS)
        check(c, bitmap_addr_bad(c, s->ctl.msr_bitmap), VMX_CHECK_CTL_MSR_BITMAP_ADDR,
              s->ctl.msr_bitmap);

    check(c, (s->ctl.pin & VMX_PIN_VIRTUAL_NMIS) && !(s->ctl.pin & VMX_PIN_NMI_EXITING),
          VMX_CHECK_CTL_VIRTUAL_NMIS, s->ctl.pin);
    check(c, (s->ctl.proc & VMX_PROC_NMI_WINDOW_EXITING) &&
                 !(s->ctl.pin & VMX_PIN_VIRTUAL_NMIS),
          VMX_CHECK_CTL_NMI_WINDOW, s->ctl.proc);
    if (!(s->ctl.proc & VMX_PROC_TPR_SHADOW)) {
        u32 needs_tpr = c->proc2 & (VMX_PROC2_VIRT_X2APIC | VMX_PROC2_APIC_REG_VIRT |
                                    VMX_PROC2_VIRT_INTR_DELIVERY);

        check(c, needs_tpr != 0, VMX_CHECK_CTL_TPR_SHADOW_DEPS, needs_tpr);
    }
    check(c, (c->proc2 & VMX_PROC2_VPID) && s->ctl.vpid == 0, VMX_CHECK_CTL_VPID_ZERO, 0);
    if (c->proc2 & VMX_PROC2_EPT)
        check_ept_pointer(c);
    check(c, (c->proc2 & VMX_PROC2_UNRESTRICTED_GUEST) && !(c->proc2 & VMX_PROC2_EPT),
          VMX_CHECK_CTL_UG_WITHOUT_EPT, c->proc2);

    check(c, (s->ctl.exit & VMX_EXIT_SAVE_PREEMPTION_TIMER) &&
                 !(s->ctl.pin & VMX_PIN_PREEMPTION_TIMER),
          VMX_CHECK_CTL_SAVE_TIMER, s->ctl.exit);
    check(c, msr_area_bad(c, s->ctl.exit_msr_store_count, s->ctl.exit_msr_store_addr),
          VMX_CHECK_CTL_MSR_AREA_ADDR, s->ctl.exit_msr_store_addr);
    check(c, msr_area_bad(c, s->ctl.exit_msr_load_count, s->ctl.exit_msr_load_addr),
          VMX_CHECK_CTL_MSR_AREA_ADDR, s->ctl.exit_msr_load_addr);
    check(c, msr_area_bad(c, s->ctl.entry_msr_load_count, s->ctl.entry_msr_load_addr),
          VMX_CHECK_CTL_MSR_AREA_ADDR, s->ctl.entry_msr_load_addr);

    /* The VMM never runs in SMM, so these two must stay 0. */
    check(c, (s->ctl.entry & (VMX_ENTRY_TO_SMM | VMX_ENTRY_DEACT_DUAL_MONITOR)) != 0,
          VMX_CHECK_CTL_ENTRY_SMM, s->ctl.entry);
    check_event_injection(c);
}

/* ---- Host state (SDM 26.2.2, 26.2.3, 26.2.4) ---- */

static void check_host(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    const struct vmx_cap_msrs *m = &s->caps.msr;
    u64 bad;
    u16 sels[7];
    unsigned i;

    bad = fixed_bad_bits(s->host.cr0, m->cr0_fixed0, m->cr0_fixed1);
    check(c, bad != 0, VMX_CHECK_HOST_CR0_FIXED, bad);
    bad = fixed_bad_bits(s->host.cr4, m->cr4_fixed0, m->cr4_fixed1);
    check(c, bad != 0, VMX_CHECK_HOST_CR4_FIXED, bad);
    check(c, beyond_width(c->phys_bits, s->host.cr3), VMX_CHECK_HOST_CR3_WIDTH, s->host.cr3);

    check(c, s->cpu.in_ia32e != c->asz, VMX_CHECK_HOST_ASZ_MODE, s->ctl.exit);
    check(c, c->asz && !(s->host.cr4 & CR4_PAE), VMX_CHECK_HOST_CR4_PAE, s->host.cr4);
    check(c, c->asz ? !canonical(c, s->host.rip) : (s->host.rip >> 32) != 0,
          VMX_CHECK_HOST_RIP, s->host.rip);

    sels[0] = s->host.es;
    sels[1] = s->host.cs;
    sels[2] = s->host.ss;
    sels[3] = s->host.ds;
    sels[4] = s->host.fs;
    sels[5] = s->host.gs;
    sels[6] = s->host.tr;
    for (i = 0; i < ARRAY_SIZE(sels); i++)
        check(c, (sels[i] & 7) != 0, VMX_CHECK_HOST_SEL_RPL_TI, sels[i]);
    check(c, s->host.cs == 0, VMX_CHECK_HOST_CS_NULL, 0);
    check(c, s->host.tr == 0, VMX_CHECK_HOST_TR_NULL, 0);

    check(c, !canonical(c, s->host.fs_base), VMX_CHECK_HOST_BASE_CANONICAL, s->host.fs_base);
    check(c, !canonical(c, s->host.gs_base), VMX_CHECK_HOST_BASE_CANONICAL, s->host.gs_base);
    check(c, !canonical(c, s->host.tr_base), VMX_CHECK_HOST_BASE_CANONICAL, s->host.tr_base);
    check(c, !canonical(c, s->host.gdtr_base), VMX_CHECK_HOST_BASE_CANONICAL,
          s->host.gdtr_base);
    check(c, !canonical(c, s->host.idtr_base), VMX_CHECK_HOST_BASE_CANONICAL,
          s->host.idtr_base);
    check(c, !canonical(c, s->host.sysenter_esp), VMX_CHECK_HOST_SYSENTER_CANONICAL,
          s->host.sysenter_esp);
    check(c, !canonical(c, s->host.sysenter_eip), VMX_CHECK_HOST_SYSENTER_CANONICAL,
          s->host.sysenter_eip);

    if (s->ctl.exit & VMX_EXIT_LOAD_PAT)
        check(c, !pat_valid(s->host.pat), VMX_CHECK_HOST_PAT, s->host.pat);
    if (s->ctl.exit & VMX_EXIT_LOAD_EFER) {
        u64 efer = s->host.efer;

        check(c, (efer & ~EFER_VALID) != 0, VMX_CHECK_HOST_EFER_RESERVED, efer);
        check(c, ((efer & EFER_LMA) != 0) != c->asz || ((efer & EFER_LME) != 0) != c->asz,
              VMX_CHECK_HOST_EFER_LM, efer);
    }
}

/* ---- Guest control registers, debug registers and MSRs (SDM 26.3.1.1) ---- */

static void check_guest_regs(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    const struct vmx_cap_msrs *m = &s->caps.msr;
    u64 cr0_fixed0 = m->cr0_fixed0;
    u64 cr0_fixed1 = m->cr0_fixed1 | CR0_NW | CR0_CD;
    u64 bad;

    /* NW and CD are never checked (entry does not load them); PE and PG
     * are free when the guest is unrestricted. */
    cr0_fixed0 &= ~(CR0_NW | CR0_CD);
    if (c->ug)
        cr0_fixed0 &= ~(CR0_PE | CR0_PG);
    bad = fixed_bad_bits(s->guest.cr0, cr0_fixed0, cr0_fixed1);
    check(c, bad != 0, VMX_CHECK_GUEST_CR0_FIXED, bad);
    bad = fixed_bad_bits(s->guest.cr4, m->cr4_fixed0, m->cr4_fixed1);
    check(c, bad != 0, VMX_CHECK_GUEST_CR4_FIXED, bad);
    check(c, (s->guest.cr0 & CR0_PG) && !(s->guest.cr0 & CR0_PE), VMX_CHECK_GUEST_CR0_PG_PE,
          s->guest.cr0);
    check(c, c->ia32e && !(s->guest.cr0 & CR0_PG), VMX_CHECK_GUEST_IA32E_PG, s->guest.cr0);
    check(c, c->ia32e && !(s->guest.cr4 & CR4_PAE), VMX_CHECK_GUEST_IA32E_PAE, s->guest.cr4);
    check(c, !c->ia32e && (s->guest.cr4 & CR4_PCIDE), VMX_CHECK_GUEST_PCIDE, s->guest.cr4);
    check(c, beyond_width(c->phys_bits, s->guest.cr3), VMX_CHECK_GUEST_CR3_WIDTH,
          s->guest.cr3);

    if (s->ctl.entry & VMX_ENTRY_LOAD_DEBUG_CONTROLS) {
        check(c, (s->guest.debugctl & DEBUGCTL_RESERVED) != 0, VMX_CHECK_GUEST_DEBUGCTL,
              s->guest.debugctl);
        check(c, (s->guest.dr7 >> 32) != 0, VMX_CHECK_GUEST_DR7, s->guest.dr7);
    }
    check(c, !canonical(c, s->guest.sysenter_esp), VMX_CHECK_GUEST_SYSENTER_CANONICAL,
          s->guest.sysenter_esp);
    check(c, !canonical(c, s->guest.sysenter_eip), VMX_CHECK_GUEST_SYSENTER_CANONICAL,
          s->guest.sysenter_eip);
    if (s->ctl.entry & VMX_ENTRY_LOAD_PAT)
        check(c, !pat_valid(s->guest.pat), VMX_CHECK_GUEST_PAT, s->guest.pat);
    if (s->ctl.entry & VMX_ENTRY_LOAD_EFER) {
        u64 efer = s->guest.efer;
        bool lma = efer & EFER_LMA;

        check(c, (efer & ~EFER_VALID) != 0, VMX_CHECK_GUEST_EFER_RESERVED, efer);
        check(c, lma != c->ia32e, VMX_CHECK_GUEST_EFER_LMA, efer);
        check(c, (s->guest.cr0 & CR0_PG) && ((efer & EFER_LME) != 0) != lma,
              VMX_CHECK_GUEST_EFER_LME, efer);
    }
}

/* ---- Guest segment registers (SDM 26.3.1.2) ---- */

/** G must be 0 unless limit bits 11:0 are all 1, and 1 if bits 31:20 are not 0. */
static bool granularity_bad(const struct vmx_segment *seg)
{
    bool g = seg->ar & VMX_AR_G;

    return ((seg->limit & 0xFFF) != 0xFFF && g) || ((seg->limit & 0xFFF00000u) && !g);
}

static bool ar_reserved_bad(const struct vmx_segment *seg)
{
    return (seg->ar & 0xF00u) || (seg->ar & 0xFFFE0000u);
}

static void check_v86_segment(struct ctx *c, const struct vmx_segment *seg)
{
    check(c, seg->base != (u64)seg->sel << 4 || seg->limit != 0xFFFF || seg->ar != 0xF3,
          VMX_CHECK_GUEST_V86_SEGMENTS, seg->ar);
}

/** Checks common to DS, ES, FS and GS outside virtual-8086 mode. */
static void check_data_segment(struct ctx *c, const struct vmx_segment *seg)
{
    u32 type = seg_type(seg);

    if (!usable(seg))
        return;
    check(c, !(type & 1) || ((type & 8) && !(type & 2)), VMX_CHECK_GUEST_DATA_TYPE, seg->ar);
    check(c, !(seg->ar & VMX_AR_S), VMX_CHECK_GUEST_SEG_S, seg->ar);
    /* Conforming code segments (types 12-15) may have any DPL. */
    check(c, !c->ug && type <= 11 && seg_dpl(seg) < (seg->sel & 3u), VMX_CHECK_GUEST_DATA_DPL,
          seg->ar);
    check(c, !(seg->ar & VMX_AR_P), VMX_CHECK_GUEST_SEG_PRESENT, seg->ar);
    check(c, ar_reserved_bad(seg), VMX_CHECK_GUEST_SEG_AR_RESERVED, seg->ar);
    check(c, granularity_bad(seg), VMX_CHECK_GUEST_SEG_GRANULARITY, seg->limit);
}

static void check_cs_ss(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    const struct vmx_segment *cs = &s->guest.cs;
    const struct vmx_segment *ss = &s->guest.ss;
    u32 cs_type = seg_type(cs);
    bool cs_type_ok = cs_type == 9 || cs_type == 11 || cs_type == 13 || cs_type == 15 ||
                      (c->ug && cs_type == 3);

    check(c, !cs_type_ok, VMX_CHECK_GUEST_CS_TYPE, cs->ar);
    check(c, !(cs->ar & VMX_AR_S), VMX_CHECK_GUEST_SEG_S, cs->ar);
    if (cs_type == 3)
        check(c, seg_dpl(cs) != 0, VMX_CHECK_GUEST_CS_DPL, cs->ar);
    else if (cs_type == 9 || cs_type == 11)
        check(c, seg_dpl(cs) != seg_dpl(ss), VMX_CHECK_GUEST_CS_DPL, cs->ar);
    else if (cs_type == 13 || cs_type == 15)
        check(c, seg_dpl(cs) > seg_dpl(ss), VMX_CHECK_GUEST_CS_DPL, cs->ar);
    check(c, !(cs->ar & VMX_AR_P), VMX_CHECK_GUEST_SEG_PRESENT, cs->ar);
    check(c, ar_reserved_bad(cs), VMX_CHECK_GUEST_SEG_AR_RESERVED, cs->ar);
    check(c, c->ia32e && (cs->ar & VMX_AR_L) && (cs->ar & VMX_AR_DB), VMX_CHECK_GUEST_CS_L_D,
          cs->ar);
    check(c, granularity_bad(cs), VMX_CHECK_GUEST_SEG_GRANULARITY, cs->limit);

    /* SS.DPL rules hold whether or not SS is usable. */
    check(c, !c->ug && seg_dpl(ss) != (ss->sel & 3u), VMX_CHECK_GUEST_SS_DPL_RPL, ss->ar);
    check(c, (cs_type == 3 || !(s->guest.cr0 & CR0_PE)) && seg_dpl(ss) != 0,
          VMX_CHECK_GUEST_SS_DPL_ZERO, ss->ar);
    if (usable(ss)) {
        check(c, seg_type(ss) != 3 && seg_type(ss) != 7, VMX_CHECK_GUEST_SS_TYPE, ss->ar);
        check(c, !(ss->ar & VMX_AR_S), VMX_CHECK_GUEST_SEG_S, ss->ar);
        check(c, !(ss->ar & VMX_AR_P), VMX_CHECK_GUEST_SEG_PRESENT, ss->ar);
        check(c, ar_reserved_bad(ss), VMX_CHECK_GUEST_SEG_AR_RESERVED, ss->ar);
        check(c, granularity_bad(ss), VMX_CHECK_GUEST_SEG_GRANULARITY, ss->limit);
    }
}

static void check_tr_ldtr(struct ctx *c)
{
    const struct vmx_segment *tr = &c->s->guest.tr;
    const struct vmx_segment *ldtr = &c->s->guest.ldtr;
    u32 tr_type = seg_type(tr);

    check(c, tr->sel & 4, VMX_CHECK_GUEST_TR_TI, tr->sel);
    check(c, !canonical(c, tr->base), VMX_CHECK_GUEST_BASE_CANONICAL, tr->base);
    /* A 16-bit busy TSS (type 3) cannot be used by a 64-bit guest. */
    check(c, !(tr_type == 11 || (!c->ia32e && tr_type == 3)), VMX_CHECK_GUEST_TR_TYPE, tr->ar);
    check(c, (tr->ar & VMX_AR_S) || !(tr->ar & VMX_AR_P) || !usable(tr),
          VMX_CHECK_GUEST_TR_FLAGS, tr->ar);
    check(c, ar_reserved_bad(tr), VMX_CHECK_GUEST_SEG_AR_RESERVED, tr->ar);
    check(c, granularity_bad(tr), VMX_CHECK_GUEST_SEG_GRANULARITY, tr->limit);

    if (!usable(ldtr))
        return;
    check(c, ldtr->sel & 4, VMX_CHECK_GUEST_LDTR_TI, ldtr->sel);
    check(c, !canonical(c, ldtr->base), VMX_CHECK_GUEST_BASE_CANONICAL, ldtr->base);
    check(c, seg_type(ldtr) != 2 || (ldtr->ar & VMX_AR_S) || !(ldtr->ar & VMX_AR_P),
          VMX_CHECK_GUEST_LDTR, ldtr->ar);
    check(c, ar_reserved_bad(ldtr), VMX_CHECK_GUEST_SEG_AR_RESERVED, ldtr->ar);
    check(c, granularity_bad(ldtr), VMX_CHECK_GUEST_SEG_GRANULARITY, ldtr->limit);
}

static void check_guest_segments(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    const struct vmx_segment *data[4] = { &s->guest.ds, &s->guest.es, &s->guest.fs,
                                          &s->guest.gs };
    unsigned i;

    check(c, !c->v86 && !c->ug && (s->guest.ss.sel & 3) != (s->guest.cs.sel & 3),
          VMX_CHECK_GUEST_SS_CS_RPL, s->guest.ss.sel);

    /* Bases: FS and GS feed 64-bit addressing; CS, SS, DS, ES only 32 bits. */
    check(c, !canonical(c, s->guest.fs.base), VMX_CHECK_GUEST_BASE_CANONICAL, s->guest.fs.base);
    check(c, !canonical(c, s->guest.gs.base), VMX_CHECK_GUEST_BASE_CANONICAL, s->guest.gs.base);
    check(c, (s->guest.cs.base >> 32) != 0, VMX_CHECK_GUEST_BASE_HIGH, s->guest.cs.base);
    check(c, usable(&s->guest.ss) && (s->guest.ss.base >> 32) != 0, VMX_CHECK_GUEST_BASE_HIGH,
          s->guest.ss.base);
    check(c, usable(&s->guest.ds) && (s->guest.ds.base >> 32) != 0, VMX_CHECK_GUEST_BASE_HIGH,
          s->guest.ds.base);
    check(c, usable(&s->guest.es) && (s->guest.es.base >> 32) != 0, VMX_CHECK_GUEST_BASE_HIGH,
          s->guest.es.base);

    if (c->v86) {
        check_v86_segment(c, &s->guest.cs);
        check_v86_segment(c, &s->guest.ss);
        for (i = 0; i < ARRAY_SIZE(data); i++)
            check_v86_segment(c, data[i]);
    } else {
        check_cs_ss(c);
        for (i = 0; i < ARRAY_SIZE(data); i++)
            check_data_segment(c, data[i]);
    }
    check_tr_ldtr(c);
}

/* ---- Descriptor tables, RIP, RFLAGS (SDM 26.3.1.3, 26.3.1.4) ---- */

static void check_guest_dtr_rip_rflags(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    u64 rflags = s->guest.rflags;
    bool long_code = c->ia32e && (s->guest.cs.ar & VMX_AR_L);

    check(c, !canonical(c, s->guest.gdtr_base), VMX_CHECK_GUEST_DTR_BASE, s->guest.gdtr_base);
    check(c, !canonical(c, s->guest.idtr_base), VMX_CHECK_GUEST_DTR_BASE, s->guest.idtr_base);
    check(c, (s->guest.gdtr_limit >> 16) != 0, VMX_CHECK_GUEST_DTR_LIMIT, s->guest.gdtr_limit);
    check(c, (s->guest.idtr_limit >> 16) != 0, VMX_CHECK_GUEST_DTR_LIMIT, s->guest.idtr_limit);

    check(c, long_code ? !canonical(c, s->guest.rip) : (s->guest.rip >> 32) != 0,
          VMX_CHECK_GUEST_RIP, s->guest.rip);
    check(c, (rflags & RFLAGS_RESERVED) || !(rflags & 2), VMX_CHECK_GUEST_RFLAGS_RESERVED,
          rflags);
    check(c, (rflags & RFLAGS_VM) && (c->ia32e || !(s->guest.cr0 & CR0_PE)),
          VMX_CHECK_GUEST_RFLAGS_VM, rflags);
    check(c, c->inject && c->inject_type == VMX_INTR_TYPE_EXT_INTR && !(rflags & RFLAGS_IF),
          VMX_CHECK_GUEST_RFLAGS_IF, rflags);
}

/* ---- Non-register state (SDM 26.3.1.5) ---- */

static void check_guest_nonreg(struct ctx *c)
{
    const struct vmx_vmcs_snapshot *s = c->s;
    u32 act = s->guest.activity;
    u32 intr = s->guest.interruptibility;
    bool sti = intr & VMX_INTERRUPTIBILITY_STI;
    bool movss = intr & VMX_INTERRUPTIBILITY_MOV_SS;
    u64 pdbg = s->guest.pending_dbg;

    check(c, act > 3 || (act != 0 && !(s->caps.activity_states & (1u << act))),
          VMX_CHECK_GUEST_ACTIVITY, act);
    check(c, act == VMX_ACTIVITY_HLT && seg_dpl(&s->guest.ss) != 0,
          VMX_CHECK_GUEST_ACTIVITY_HLT_DPL, s->guest.ss.ar);
    check(c, (sti || movss) && act != VMX_ACTIVITY_ACTIVE, VMX_CHECK_GUEST_ACTIVITY_BLOCKING,
          intr);

    check(c, (intr & ~0x1Fu) != 0, VMX_CHECK_GUEST_INTR_RESERVED, intr);
    check(c, sti && movss, VMX_CHECK_GUEST_INTR_STI_MOVSS, intr);
    check(c, sti && !(s->guest.rflags & RFLAGS_IF), VMX_CHECK_GUEST_INTR_STI_IF, intr);
    check(c, c->inject && ((c->inject_type == VMX_INTR_TYPE_EXT_INTR && (sti || movss)) ||
                           (c->inject_type == VMX_INTR_TYPE_NMI && movss)),
          VMX_CHECK_GUEST_INTR_INJECTION, intr);
    check(c, (intr & VMX_INTERRUPTIBILITY_SMI) != 0, VMX_CHECK_GUEST_INTR_SMI, intr);

    check(c, (pdbg & ~PENDING_DBG_VALID) != 0, VMX_CHECK_GUEST_PENDING_DBG_RESERVED, pdbg);
    if (sti || movss || act == VMX_ACTIVITY_HLT) {
        /* A pending single-step trap must be recorded exactly when TF
         * single-stepping (not branch-stepping) is on. */
        bool single_step = (s->guest.rflags & RFLAGS_TF) && !(s->guest.debugctl & DEBUGCTL_BTF);

        check(c, ((pdbg & PENDING_DBG_BS) != 0) != single_step,
              VMX_CHECK_GUEST_PENDING_DBG_BS, pdbg);
    }
    check(c, s->guest.link_pointer != ~0ull, VMX_CHECK_GUEST_LINK_POINTER,
          s->guest.link_pointer);
}

unsigned vmx_check_vmcs(const struct vmx_vmcs_snapshot *snap, struct vmx_check_report *report)
{
    struct ctx c = { 0 };
    unsigned phys = snap->cpu.maxphyaddr;

    c.s = snap;
    c.report = report;
    if (report) {
        report->count = 0;
        report->stored = 0;
    }
    c.phys_bits = (phys == 0 || phys > 52) ? 52 : phys;
    c.lin_bits = snap->cpu.linear_bits == 57 ? 57 : 48;
    c.bitmap_bits = snap->caps.addr_32bit_only && c.phys_bits > 32 ? 32 : c.phys_bits;
    /* With "activate secondary controls" clear the CPU treats them as 0. */
    c.proc2 = (snap->ctl.proc & VMX_PROC_SECONDARY_CONTROLS) ? snap->ctl.proc2 : 0;
    c.ug = c.proc2 & VMX_PROC2_UNRESTRICTED_GUEST;
    c.ia32e = snap->ctl.entry & VMX_ENTRY_IA32E_MODE_GUEST;
    c.asz = snap->ctl.exit & VMX_EXIT_HOST_ADDR_SPACE_SIZE;
    /* RFLAGS.VM with IA-32e mode or CR0.PE = 0 is reported by its own
     * check; the virtual-8086 segment rules only apply to a sane V86 guest. */
    c.v86 = (snap->guest.rflags & RFLAGS_VM) && !c.ia32e && (snap->guest.cr0 & CR0_PE);
    c.inject = snap->ctl.entry_intr_info & VMX_INTR_INFO_VALID;
    c.inject_type = (snap->ctl.entry_intr_info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT;
    c.inject_vector = snap->ctl.entry_intr_info & VMX_INTR_INFO_VECTOR_MASK;

    check_controls(&c);
    check_host(&c);
    check_guest_regs(&c);
    check_guest_segments(&c);
    check_guest_dtr_rip_rflags(&c);
    check_guest_nonreg(&c);

    if (report)
        report->count = c.count;
    return c.count;
}

bool vmx_check_report_has(const struct vmx_check_report *report, enum vmx_check_id id)
{
    unsigned i;

    if (!report)
        return false;
    for (i = 0; i < report->stored && i < VMX_CHECK_MAX_FAILURES; i++) {
        if (report->failures[i].id == id)
            return true;
    }
    return false;
}

const char *vmx_check_code(enum vmx_check_id id)
{
    return (unsigned)id < VMX_CHECK_COUNT ? check_codes[id] : "?";
}

const char *vmx_check_name(enum vmx_check_id id)
{
    return (unsigned)id < VMX_CHECK_COUNT ? check_names[id] : "?";
}

int vmx_check_format(const struct vmx_check_failure *failure, char *buf, size_t len)
{
    return ksnprintf(buf, len, "%s: %s (value 0x%llx)", vmx_check_code(failure->id),
                     vmx_check_name(failure->id), (unsigned long long)failure->value);
}

/* ---- Names for the CPU's own error reports ---- */

static const char *const insn_errors[] = {
    [1] = "VMCALL executed in VMX root operation",
    [2] = "VMCLEAR with invalid physical address",
    [3] = "VMCLEAR with VMXON pointer",
    [4] = "VMLAUNCH with non-clear VMCS",
    [5] = "VMRESUME with non-launched VMCS",
    [6] = "VMRESUME after VMXOFF",
    [7] = "VM entry with invalid control field(s)",
    [8] = "VM entry with invalid host-state field(s)",
    [9] = "VMPTRLD with invalid physical address",
    [10] = "VMPTRLD with VMXON pointer",
    [11] = "VMPTRLD with incorrect VMCS revision identifier",
    [12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
    [13] = "VMWRITE to read-only VMCS component",
    [15] = "VMXON executed in VMX root operation",
    [16] = "VM entry with invalid executive-VMCS pointer",
    [17] = "VM entry with non-launched executive VMCS",
    [18] = "VM entry with executive-VMCS pointer not VMXON pointer",
    [19] = "VMCALL with non-clear VMCS",
    [20] = "VMCALL with invalid VM-exit control fields",
    [22] = "VMCALL with incorrect MSEG revision identifier",
    [23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
    [24] = "VMCALL with invalid SMM-monitor features",
    [25] = "VM entry with invalid VM-execution control fields in executive VMCS",
    [26] = "VM entry with events blocked by MOV SS",
    [28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_instruction_error_name(u32 error)
{
    if (error < ARRAY_SIZE(insn_errors) && insn_errors[error])
        return insn_errors[error];
    return "unknown VM-instruction error";
}

static const char *const exit_reasons[] = {
    [0] = "exception or NMI",
    [1] = "external interrupt",
    [2] = "triple fault",
    [3] = "INIT signal",
    [4] = "start-up IPI",
    [5] = "I/O SMI",
    [6] = "other SMI",
    [7] = "interrupt window",
    [8] = "NMI window",
    [9] = "task switch",
    [10] = "CPUID",
    [11] = "GETSEC",
    [12] = "HLT",
    [13] = "INVD",
    [14] = "INVLPG",
    [15] = "RDPMC",
    [16] = "RDTSC",
    [17] = "RSM",
    [18] = "VMCALL",
    [19] = "VMCLEAR",
    [20] = "VMLAUNCH",
    [21] = "VMPTRLD",
    [22] = "VMPTRST",
    [23] = "VMREAD",
    [24] = "VMRESUME",
    [25] = "VMWRITE",
    [26] = "VMXOFF",
    [27] = "VMXON",
    [28] = "control-register access",
    [29] = "MOV DR",
    [30] = "I/O instruction",
    [31] = "RDMSR",
    [32] = "WRMSR",
    [33] = "VM-entry failure: invalid guest state",
    [34] = "VM-entry failure: MSR loading",
    [36] = "MWAIT",
    [37] = "monitor trap flag",
    [39] = "MONITOR",
    [40] = "PAUSE",
    [41] = "VM-entry failure: machine-check event",
    [43] = "TPR below threshold",
    [44] = "APIC access",
    [45] = "virtualized EOI",
    [46] = "access to GDTR or IDTR",
    [47] = "access to LDTR or TR",
    [48] = "EPT violation",
    [49] = "EPT misconfiguration",
    [50] = "INVEPT",
    [51] = "RDTSCP",
    [52] = "VMX-preemption timer expired",
    [53] = "INVVPID",
    [54] = "WBINVD or WBNOINVD",
    [55] = "XSETBV",
    [56] = "APIC write",
    [57] = "RDRAND",
    [58] = "INVPCID",
    [59] = "VMFUNC",
    [60] = "ENCLS",
    [61] = "RDSEED",
    [62] = "page-modification log full",
    [63] = "XSAVES",
    [64] = "XRSTORS",
    [65] = "PCONFIG",
    [66] = "SPP-related event",
    [67] = "UMWAIT",
    [68] = "TPAUSE",
    [69] = "LOADIWKEY",
};

const char *vmx_exit_reason_name(u32 basic_reason)
{
    if (basic_reason < ARRAY_SIZE(exit_reasons) && exit_reasons[basic_reason])
        return exit_reasons[basic_reason];
    return "unknown exit reason";
}
