/*
 * Unit tests for arch/vmx/vmx_check.c, the software VM-entry checker.
 *
 * Method: build valid snapshots (a multiboot-style 32-bit protected-mode
 * guest with unrestricted guest and EPT, a paged 32-bit guest without
 * unrestricted guest, a 64-bit guest, a virtual-8086 guest; all with a
 * 64-bit host), assert they pass, then for every check corrupt one field
 * (two or three only where the rule relates fields) and assert that exactly
 * that check fails. A check made at several places (the segment rules, for
 * CS, SS, the data segments, TR and LDTR) has a row for each place.
 *
 * The "entry states" case does what vmx_vcpu_init() does with each starting
 * mode of common/vm/vcpu_state.h (vmx_guest_state_encode()) and asks the
 * checker whether VM entry would accept the result.
 *
 * unit-sources: arch/vmx/vmx_check.c arch/vmx/vmx_caps.c arch/vmx/vmx_controls.c arch/vmx/vmx_guest_state.c common/vm/vcpu_state.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmx_check.h"
#include "arch/vmx/vmx_controls.h"
#include "arch/vmx/vmx_guest_state.h"
#include "common/vm/vcpu_state.h"

#define EPTP_VALID (0x20000ull | 6 | (3 << 3) | (1 << 6)) /* WB, 4 levels, A/D */
#define PAT_DEFAULT 0x0007040600070406ull
#define NONCANON 0x0000800000000000ull
#define INTR(type, vec) (VMX_INTR_INFO_VALID | ((u32)(type) << 8) | (vec))

static struct vmx_cap_msrs skylake_msrs(void)
{
    struct vmx_cap_msrs m = {
        .basic = 0x00DA040000000004ull,
        .pinbased = 0x0000007F00000016ull,
        .procbased = 0xFFF9FFFE0401E172ull,
        .exit = 0x01FFFFFF00036DFFull,
        .entry = 0x0003FFFF000011FFull,
        .misc = 0x200401E5ull,
        .cr0_fixed0 = 0x80000021ull,
        .cr0_fixed1 = 0xFFFFFFFFull,
        .cr4_fixed0 = 0x2000ull,
        .cr4_fixed1 = 0x3767FFull,
        .procbased2 = 0x00D7FFFF00000000ull,
        .ept_vpid_cap = 0x00000F0106734141ull,
        .true_pinbased = 0x0000007F00000016ull,
        .true_procbased = 0xFFF9FFFE04006172ull,
        .true_exit = 0x01FFFFFF00036DFBull,
        .true_entry = 0x0003FFFF000011FBull,
        .vmfunc = 1,
    };
    return m;
}

static struct vmx_segment seg(u16 sel, u64 base, u32 limit, u32 ar)
{
    struct vmx_segment s = { .sel = sel, .base = base, .limit = limit, .ar = ar };
    return s;
}

/* A multiboot guest at its entry point: flat 32-bit protected mode, paging
 * off (legal thanks to unrestricted guest), EPT and VPID on; 64-bit host. */
static void valid_ug32(struct vmx_vmcs_snapshot *s)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_policy policy;
    struct vmx_control_set ctl;

    memset(s, 0, sizeof(*s));
    ck_assert(vmx_caps_decode(&m, &s->caps));
    vmx_policy_default(&policy);
    ck_assert(vmx_controls_choose(&s->caps, &policy, &ctl, NULL, 0));

    s->cpu.maxphyaddr = 39;
    s->cpu.linear_bits = 48;
    s->cpu.in_ia32e = true;

    s->ctl.pin = ctl.pin;
    s->ctl.proc = ctl.proc;
    s->ctl.proc2 = ctl.proc2;
    s->ctl.exit = ctl.exit;
    s->ctl.entry = ctl.entry;
    s->ctl.io_bitmap_a = 0x10000;
    s->ctl.io_bitmap_b = 0x11000;
    s->ctl.msr_bitmap = 0x12000;
    s->ctl.eptp = EPTP_VALID;
    s->ctl.vpid = 1;

    s->host.cr0 = 0x80050033;
    s->host.cr3 = 0x1000;
    s->host.cr4 = 0x26A0;
    s->host.cs = 0x08;
    s->host.ss = s->host.ds = s->host.es = 0x10;
    s->host.tr = 0x18;
    s->host.gs_base = 0xFFFFFFFF80200000ull;
    s->host.tr_base = 0xFFFFFFFF80300000ull;
    s->host.gdtr_base = 0xFFFFFFFF80301000ull;
    s->host.idtr_base = 0xFFFFFFFF80302000ull;
    s->host.efer = 0xD01;
    s->host.pat = PAT_DEFAULT;
    s->host.rsp = 0xFFFFFFFF80400000ull;
    s->host.rip = 0xFFFFFFFF80100000ull;

    s->guest.cr0 = 0x31; /* PE, ET, NE */
    s->guest.cr4 = 0x2000;
    s->guest.dr7 = 0x400;
    s->guest.rip = 0x100000;
    s->guest.rflags = 0x2;
    s->guest.cs = seg(0x08, 0, 0xFFFFFFFF, 0xC09B);
    s->guest.ss = seg(0x10, 0, 0xFFFFFFFF, 0xC093);
    s->guest.ds = s->guest.es = s->guest.fs = s->guest.gs = s->guest.ss;
    s->guest.ldtr = seg(0, 0, 0, VMX_AR_UNUSABLE);
    s->guest.tr = seg(0, 0, 0xFFFF, 0x8B);
    s->guest.gdtr_base = 0x1000;
    s->guest.gdtr_limit = 0x17;
    s->guest.idtr_limit = 0x3FF;
    s->guest.pat = PAT_DEFAULT;
    s->guest.link_pointer = ~0ull;
}

/* A paged 32-bit guest without unrestricted guest, with an LDT. */
static void valid_pg32(struct vmx_vmcs_snapshot *s)
{
    valid_ug32(s);
    s->ctl.proc2 &= ~VMX_PROC2_UNRESTRICTED_GUEST;
    s->guest.cr0 |= 0x80000000;
    s->guest.cr3 = 0x3000;
    s->guest.ldtr = seg(0x28, 0x5000, 0xFF, 0x82);
}

/* A 64-bit guest (IA-32e mode, 64-bit code segment). */
static void valid_lm64(struct vmx_vmcs_snapshot *s)
{
    valid_ug32(s);
    s->ctl.entry |= VMX_ENTRY_IA32E_MODE_GUEST;
    s->guest.cr0 |= 0x80000000;
    s->guest.cr3 = 0x4000;
    s->guest.cr4 |= 0x20;
    s->guest.efer = 0xD01;
    s->guest.cs.ar = 0xA09B;
    s->guest.rip = 0xFFFFFFFF81000000ull;
}

/* A virtual-8086 task inside the protected-mode guest: every segment is
 * selector * 16, 64 KiB, rights 0xF3. */
static void valid_v86(struct vmx_vmcs_snapshot *s)
{
    valid_ug32(s);
    s->guest.rflags |= 1 << 17;
    s->guest.rip = 0x0100;
    s->guest.cs = seg(0x1000, 0x10000, 0xFFFF, 0xF3);
    s->guest.ss = seg(0x2000, 0x20000, 0xFFFF, 0xF3);
    s->guest.ds = seg(0x3000, 0x30000, 0xFFFF, 0xF3);
    s->guest.es = s->guest.fs = s->guest.gs = seg(0, 0, 0xFFFF, 0xF3);
}

enum base { UG32, PG32, LM64, V86 };
enum op { SET, OR, CLR };

struct edit {
    size_t off;  /* 0 size means unused */
    size_t size;
    enum op op;
    u64 v;
};

#define E(field, op, v)                                                                   \
    { offsetof(struct vmx_vmcs_snapshot, field),                                          \
      sizeof(((struct vmx_vmcs_snapshot *)0)->field), op, (u64)(v) }

struct corruption {
    enum base base;
    struct edit e[3];
    enum vmx_check_id expect;
};

static const struct corruption rows[] = {
    /* controls */
    { UG32, { E(ctl.pin, OR, 1u << 8) }, VMX_CHECK_CTL_PIN_RESERVED },
    { UG32, { E(ctl.proc, CLR, 1u << 1) }, VMX_CHECK_CTL_PROC_RESERVED },
    { UG32, { E(ctl.proc2, OR, 1u << 31) }, VMX_CHECK_CTL_PROC2_RESERVED },
    { UG32, { E(ctl.exit, CLR, 1u << 0) }, VMX_CHECK_CTL_EXIT_RESERVED },
    { UG32, { E(ctl.entry, OR, 1u << 31) }, VMX_CHECK_CTL_ENTRY_RESERVED },
    { UG32, { E(ctl.cr3_target_count, SET, 5) }, VMX_CHECK_CTL_CR3_TARGET_COUNT },
    { UG32, { E(ctl.io_bitmap_b, OR, 0x800) }, VMX_CHECK_CTL_IO_BITMAP_ADDR },
    { UG32, { E(ctl.io_bitmap_a, SET, 1ull << 39) }, VMX_CHECK_CTL_IO_BITMAP_ADDR },
    { UG32, { E(ctl.msr_bitmap, SET, 1ull << 40) }, VMX_CHECK_CTL_MSR_BITMAP_ADDR },
    /* bookvisor runs with NMI exiting and virtual NMIs (the NMI window): take them away. */
    { UG32, { E(ctl.pin, CLR, VMX_PIN_NMI_EXITING) }, VMX_CHECK_CTL_VIRTUAL_NMIS },
    { UG32, { E(ctl.pin, CLR, VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS),
              E(ctl.proc, OR, VMX_PROC_NMI_WINDOW_EXITING) }, VMX_CHECK_CTL_NMI_WINDOW },
    { UG32, { E(ctl.proc2, OR, VMX_PROC2_APIC_REG_VIRT) }, VMX_CHECK_CTL_TPR_SHADOW_DEPS },
    { UG32, { E(ctl.vpid, SET, 0) }, VMX_CHECK_CTL_VPID_ZERO },
    { UG32, { E(ctl.eptp, SET, 0x20000 | 3 | (3 << 3) | (1 << 6)) }, VMX_CHECK_CTL_EPTP_MEMTYPE },
    { UG32, { E(ctl.eptp, SET, 0x20000 | 6 | (1 << 3) | (1 << 6)) }, VMX_CHECK_CTL_EPTP_WALK },
    { UG32, { E(caps.ept_ad, SET, 0) }, VMX_CHECK_CTL_EPTP_AD },
    { UG32, { E(ctl.eptp, OR, 1 << 8) }, VMX_CHECK_CTL_EPTP_RESERVED },
    { UG32, { E(ctl.eptp, OR, 1ull << 45) }, VMX_CHECK_CTL_EPTP_RESERVED },
    { UG32, { E(ctl.proc2, CLR, VMX_PROC2_EPT) }, VMX_CHECK_CTL_UG_WITHOUT_EPT },
    { UG32, { E(ctl.pin, CLR, VMX_PIN_PREEMPTION_TIMER),
              E(ctl.exit, OR, VMX_EXIT_SAVE_PREEMPTION_TIMER) }, VMX_CHECK_CTL_SAVE_TIMER },
    { UG32, { E(ctl.entry_msr_load_count, SET, 1),
              E(ctl.entry_msr_load_addr, SET, 0x30008) }, VMX_CHECK_CTL_MSR_AREA_ADDR },
    { UG32, { E(ctl.exit_msr_store_count, SET, 2),
              E(ctl.exit_msr_store_addr, SET, (1ull << 39) - 16) }, VMX_CHECK_CTL_MSR_AREA_ADDR },
    { UG32, { E(ctl.entry, OR, VMX_ENTRY_TO_SMM) }, VMX_CHECK_CTL_ENTRY_SMM },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(1, 0x20)) }, VMX_CHECK_CTL_EVENT_TYPE },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(3, 40)) }, VMX_CHECK_CTL_EVENT_VECTOR },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(2, 3)) }, VMX_CHECK_CTL_EVENT_VECTOR },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(3, 13)) }, VMX_CHECK_CTL_EVENT_ERRCODE_FLAG },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(3, 6) | VMX_INTR_INFO_DELIVER_ERROR) },
      VMX_CHECK_CTL_EVENT_ERRCODE_FLAG },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(2, 2) | (1u << 20)) }, VMX_CHECK_CTL_EVENT_RESERVED },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(3, 13) | VMX_INTR_INFO_DELIVER_ERROR),
              E(ctl.entry_error_code, SET, 0x10000) }, VMX_CHECK_CTL_EVENT_ERRCODE_VALUE },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(4, 0x80)) }, VMX_CHECK_CTL_EVENT_INSN_LEN },

    /* host state */
    { UG32, { E(host.cr0, CLR, 0x20) }, VMX_CHECK_HOST_CR0_FIXED },
    { UG32, { E(host.cr4, CLR, 0x2000) }, VMX_CHECK_HOST_CR4_FIXED },
    { UG32, { E(host.cr3, OR, 1ull << 45) }, VMX_CHECK_HOST_CR3_WIDTH },
    { UG32, { E(cpu.in_ia32e, SET, 0) }, VMX_CHECK_HOST_ASZ_MODE },
    { UG32, { E(host.cr4, CLR, 0x20) }, VMX_CHECK_HOST_CR4_PAE },
    { UG32, { E(host.rip, SET, 0x0000900000000000ull) }, VMX_CHECK_HOST_RIP },
    { UG32, { E(host.ds, OR, 3) }, VMX_CHECK_HOST_SEL_RPL_TI },
    { UG32, { E(host.tr, OR, 4) }, VMX_CHECK_HOST_SEL_RPL_TI },
    { UG32, { E(host.cs, SET, 0) }, VMX_CHECK_HOST_CS_NULL },
    { UG32, { E(host.tr, SET, 0) }, VMX_CHECK_HOST_TR_NULL },
    { UG32, { E(host.gs_base, SET, 0x0000900000000000ull) }, VMX_CHECK_HOST_BASE_CANONICAL },
    { UG32, { E(host.idtr_base, SET, NONCANON) }, VMX_CHECK_HOST_BASE_CANONICAL },
    { UG32, { E(host.sysenter_eip, SET, 0x8000000000000000ull) }, VMX_CHECK_HOST_SYSENTER_CANONICAL },
    { UG32, { E(host.pat, SET, 0x0007040600070402ull) }, VMX_CHECK_HOST_PAT },
    { UG32, { E(host.efer, OR, 1 << 2) }, VMX_CHECK_HOST_EFER_RESERVED },
    { UG32, { E(host.efer, CLR, 1 << 10) }, VMX_CHECK_HOST_EFER_LM },

    /* guest control registers and MSRs */
    { UG32, { E(guest.cr0, CLR, 0x20) }, VMX_CHECK_GUEST_CR0_FIXED },
    { PG32, { E(guest.cr0, CLR, 0x80000000) }, VMX_CHECK_GUEST_CR0_FIXED },
    { UG32, { E(guest.cr4, CLR, 0x2000) }, VMX_CHECK_GUEST_CR4_FIXED },
    { UG32, { E(guest.cr0, SET, 0x80000030) }, VMX_CHECK_GUEST_CR0_PG_PE },
    { LM64, { E(guest.cr0, CLR, 0x80000000) }, VMX_CHECK_GUEST_IA32E_PG },
    { LM64, { E(guest.cr4, CLR, 0x20) }, VMX_CHECK_GUEST_IA32E_PAE },
    { UG32, { E(guest.cr4, OR, 1 << 17) }, VMX_CHECK_GUEST_PCIDE },
    { UG32, { E(guest.cr3, OR, 1ull << 40) }, VMX_CHECK_GUEST_CR3_WIDTH },
    { UG32, { E(guest.debugctl, OR, 1 << 3) }, VMX_CHECK_GUEST_DEBUGCTL },
    { UG32, { E(guest.dr7, OR, 1ull << 32) }, VMX_CHECK_GUEST_DR7 },
    { UG32, { E(guest.sysenter_esp, SET, NONCANON) }, VMX_CHECK_GUEST_SYSENTER_CANONICAL },
    { UG32, { E(guest.pat, SET, 0x0007040600070403ull) }, VMX_CHECK_GUEST_PAT },
    { UG32, { E(guest.efer, OR, 1 << 1) }, VMX_CHECK_GUEST_EFER_RESERVED },
    { UG32, { E(guest.efer, OR, 1 << 10) }, VMX_CHECK_GUEST_EFER_LMA },
    { LM64, { E(guest.efer, CLR, 1 << 8) }, VMX_CHECK_GUEST_EFER_LME },

    /* guest segments */
    { UG32, { E(guest.tr.sel, OR, 4) }, VMX_CHECK_GUEST_TR_TI },
    { PG32, { E(guest.ldtr.sel, OR, 4) }, VMX_CHECK_GUEST_LDTR_TI },
    { PG32, { E(guest.cs.sel, OR, 3) }, VMX_CHECK_GUEST_SS_CS_RPL },
    { UG32, { E(guest.rflags, OR, 1 << 17) }, VMX_CHECK_GUEST_V86_SEGMENTS },
    { V86, { E(guest.cs.base, SET, 0) }, VMX_CHECK_GUEST_V86_SEGMENTS },
    { V86, { E(guest.ss.limit, SET, 0xFFFFF) }, VMX_CHECK_GUEST_V86_SEGMENTS },
    { V86, { E(guest.ds.ar, SET, 0xF1) }, VMX_CHECK_GUEST_V86_SEGMENTS },
    { V86, { E(guest.gs.sel, SET, 0x10) }, VMX_CHECK_GUEST_V86_SEGMENTS },
    { UG32, { E(guest.fs.base, SET, NONCANON) }, VMX_CHECK_GUEST_BASE_CANONICAL },
    { UG32, { E(guest.gs.base, SET, NONCANON) }, VMX_CHECK_GUEST_BASE_CANONICAL },
    { UG32, { E(guest.tr.base, SET, NONCANON) }, VMX_CHECK_GUEST_BASE_CANONICAL },
    { PG32, { E(guest.ldtr.base, SET, NONCANON) }, VMX_CHECK_GUEST_BASE_CANONICAL },
    { UG32, { E(guest.cs.base, SET, 1ull << 32) }, VMX_CHECK_GUEST_BASE_HIGH },
    { UG32, { E(guest.ss.base, SET, 1ull << 32) }, VMX_CHECK_GUEST_BASE_HIGH },
    { UG32, { E(guest.ds.base, SET, 1ull << 63) }, VMX_CHECK_GUEST_BASE_HIGH },
    { UG32, { E(guest.es.base, SET, 1ull << 40) }, VMX_CHECK_GUEST_BASE_HIGH },
    { PG32, { E(guest.cs.ar, SET, 0xC098) }, VMX_CHECK_GUEST_CS_TYPE },
    { PG32, { E(guest.cs.ar, SET, 0xC093) }, VMX_CHECK_GUEST_CS_TYPE },
    { UG32, { E(guest.cs.ar, SET, 0xC091) }, VMX_CHECK_GUEST_CS_TYPE }, /* UG: accessed data only */
    { UG32, { E(guest.ss.ar, SET, 0xC091) }, VMX_CHECK_GUEST_SS_TYPE },
    { UG32, { E(guest.ss.ar, SET, 0xC09B) }, VMX_CHECK_GUEST_SS_TYPE },
    { UG32, { E(guest.ds.ar, SET, 0xC092) }, VMX_CHECK_GUEST_DATA_TYPE },
    { UG32, { E(guest.es.ar, SET, 0xC098) }, VMX_CHECK_GUEST_DATA_TYPE },
    { UG32, { E(guest.gs.ar, SET, 0xC099) }, VMX_CHECK_GUEST_DATA_TYPE },
    { UG32, { E(guest.cs.ar, SET, 0xC08B) }, VMX_CHECK_GUEST_SEG_S },
    { UG32, { E(guest.ss.ar, SET, 0xC083) }, VMX_CHECK_GUEST_SEG_S },
    { UG32, { E(guest.ds.ar, SET, 0xC083) }, VMX_CHECK_GUEST_SEG_S },
    { UG32, { E(guest.es.ar, CLR, VMX_AR_S) }, VMX_CHECK_GUEST_SEG_S },
    { PG32, { E(guest.cs.ar, SET, 0xC0FB) }, VMX_CHECK_GUEST_CS_DPL },
    { PG32, { E(guest.cs.ar, SET, 0xC0FF) }, VMX_CHECK_GUEST_CS_DPL }, /* conforming, DPL > SS.DPL */
    { UG32, { E(guest.cs.ar, SET, 0xC0B3) }, VMX_CHECK_GUEST_CS_DPL }, /* data CS needs DPL 0 */
    { PG32, { E(guest.ss.sel, OR, 3), E(guest.cs.sel, OR, 3) }, VMX_CHECK_GUEST_SS_DPL_RPL },
    { UG32, { E(guest.cs.ar, SET, 0xC093), E(guest.ss.ar, SET, 0xC0F3) },
      VMX_CHECK_GUEST_SS_DPL_ZERO },
    { PG32, { E(guest.ds.sel, OR, 3) }, VMX_CHECK_GUEST_DATA_DPL },
    { PG32, { E(guest.gs.sel, OR, 1) }, VMX_CHECK_GUEST_DATA_DPL },
    /* CS.P clear is what the emulator test entry-check does (test.corrupt=guest-cs). */
    { UG32, { E(guest.cs.ar, CLR, VMX_AR_P) }, VMX_CHECK_GUEST_SEG_PRESENT },
    { UG32, { E(guest.ss.ar, CLR, VMX_AR_P) }, VMX_CHECK_GUEST_SEG_PRESENT },
    { UG32, { E(guest.ds.ar, SET, 0xC013) }, VMX_CHECK_GUEST_SEG_PRESENT },
    { UG32, { E(guest.fs.ar, CLR, VMX_AR_P) }, VMX_CHECK_GUEST_SEG_PRESENT },
    { UG32, { E(guest.ds.ar, OR, 0x100) }, VMX_CHECK_GUEST_SEG_AR_RESERVED },
    { UG32, { E(guest.cs.ar, OR, 1u << 20) }, VMX_CHECK_GUEST_SEG_AR_RESERVED },
    { UG32, { E(guest.ss.ar, OR, 0x800) }, VMX_CHECK_GUEST_SEG_AR_RESERVED },
    { UG32, { E(guest.gs.ar, OR, 1u << 17) }, VMX_CHECK_GUEST_SEG_AR_RESERVED },
    { UG32, { E(guest.tr.ar, OR, 0x400) }, VMX_CHECK_GUEST_SEG_AR_RESERVED },
    { PG32, { E(guest.ldtr.ar, OR, 1u << 31) }, VMX_CHECK_GUEST_SEG_AR_RESERVED },
    { LM64, { E(guest.cs.ar, OR, VMX_AR_DB) }, VMX_CHECK_GUEST_CS_L_D },
    { UG32, { E(guest.ds.ar, CLR, VMX_AR_G) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { UG32, { E(guest.cs.limit, SET, 0xFFFFF000u) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { UG32, { E(guest.cs.ar, CLR, VMX_AR_G) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { UG32, { E(guest.ss.ar, CLR, VMX_AR_G) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { UG32, { E(guest.es.limit, SET, 0xFFFFF000u) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { UG32, { E(guest.tr.limit, SET, 0x100000) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { PG32, { E(guest.ldtr.ar, OR, VMX_AR_G) }, VMX_CHECK_GUEST_SEG_GRANULARITY },
    { UG32, { E(guest.tr.ar, SET, 0x89) }, VMX_CHECK_GUEST_TR_TYPE },
    { LM64, { E(guest.tr.ar, SET, 0x83) }, VMX_CHECK_GUEST_TR_TYPE },
    { UG32, { E(guest.tr.ar, SET, 0x0B) }, VMX_CHECK_GUEST_TR_FLAGS },
    { UG32, { E(guest.tr.ar, OR, VMX_AR_UNUSABLE) }, VMX_CHECK_GUEST_TR_FLAGS },
    { PG32, { E(guest.ldtr.ar, SET, 0x83) }, VMX_CHECK_GUEST_LDTR },

    /* descriptor tables, RIP, RFLAGS */
    { UG32, { E(guest.gdtr_base, SET, NONCANON) }, VMX_CHECK_GUEST_DTR_BASE },
    { UG32, { E(guest.idtr_limit, SET, 0x10000) }, VMX_CHECK_GUEST_DTR_LIMIT },
    { UG32, { E(guest.rip, SET, 1ull << 32) }, VMX_CHECK_GUEST_RIP },
    { LM64, { E(guest.rip, SET, NONCANON) }, VMX_CHECK_GUEST_RIP },
    { UG32, { E(guest.rflags, CLR, 2) }, VMX_CHECK_GUEST_RFLAGS_RESERVED },
    { UG32, { E(guest.rflags, OR, 1 << 3) }, VMX_CHECK_GUEST_RFLAGS_RESERVED },
    { LM64, { E(guest.rflags, OR, 1 << 17) }, VMX_CHECK_GUEST_RFLAGS_VM },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(0, 0x30)) }, VMX_CHECK_GUEST_RFLAGS_IF },

    /* non-register state */
    { UG32, { E(guest.activity, SET, 4) }, VMX_CHECK_GUEST_ACTIVITY },
    { LM64, { E(guest.activity, SET, 1), E(guest.ss.ar, SET, 0xC0F3),
              E(guest.cs.ar, SET, 0xA0FB) }, VMX_CHECK_GUEST_ACTIVITY_HLT_DPL },
    { UG32, { E(guest.activity, SET, 1), E(guest.interruptibility, SET, 2) },
      VMX_CHECK_GUEST_ACTIVITY_BLOCKING },
    { UG32, { E(guest.interruptibility, SET, 1 << 5) }, VMX_CHECK_GUEST_INTR_RESERVED },
    { UG32, { E(guest.rflags, OR, 1 << 9), E(guest.interruptibility, SET, 3) },
      VMX_CHECK_GUEST_INTR_STI_MOVSS },
    { UG32, { E(guest.interruptibility, SET, 1) }, VMX_CHECK_GUEST_INTR_STI_IF },
    { UG32, { E(ctl.entry_intr_info, SET, INTR(2, 2)), E(guest.interruptibility, SET, 2) },
      VMX_CHECK_GUEST_INTR_INJECTION },
    { UG32, { E(guest.interruptibility, SET, 4) }, VMX_CHECK_GUEST_INTR_SMI },
    { UG32, { E(guest.pending_dbg, SET, 1 << 4) }, VMX_CHECK_GUEST_PENDING_DBG_RESERVED },
    { UG32, { E(guest.interruptibility, SET, 2), E(guest.rflags, OR, 1 << 8) },
      VMX_CHECK_GUEST_PENDING_DBG_BS },
    { UG32, { E(guest.link_pointer, SET, 0) }, VMX_CHECK_GUEST_LINK_POINTER },
};

static void build(enum base base, struct vmx_vmcs_snapshot *s)
{
    switch (base) {
    case UG32:
        valid_ug32(s);
        break;
    case PG32:
        valid_pg32(s);
        break;
    case LM64:
        valid_lm64(s);
        break;
    case V86:
        valid_v86(s);
        break;
    }
}

static void apply(struct vmx_vmcs_snapshot *s, const struct edit *e)
{
    u8 *p = (u8 *)s + e->off;
    u64 v = 0;

    ck_assert(e->size <= sizeof(v));
    memcpy(&v, p, e->size); /* little-endian host: low bytes first */
    switch (e->op) {
    case SET:
        v = e->v;
        break;
    case OR:
        v |= e->v;
        break;
    case CLR:
        v &= ~e->v;
        break;
    }
    memcpy(p, &v, e->size);
}

static void dump(const struct vmx_check_report *r)
{
    char line[200];
    unsigned i;

    for (i = 0; i < r->stored; i++) {
        vmx_check_format(&r->failures[i], line, sizeof(line));
        fprintf(stderr, "  %s\n", line);
    }
}

/* ---- the valid baselines ---- */

static void assert_passes(enum base base)
{
    struct vmx_vmcs_snapshot s;
    struct vmx_check_report r;

    build(base, &s);
    if (vmx_check_vmcs(&s, &r) != 0)
        dump(&r);
    ck_assert_uint_eq(r.count, 0);
    ck_assert_uint_eq(r.stored, 0);
}

START_TEST(valid_multiboot_guest_passes)
{
    assert_passes(UG32);
}
END_TEST

START_TEST(valid_paged_guest_passes)
{
    assert_passes(PG32);
}
END_TEST

START_TEST(valid_64bit_guest_passes)
{
    assert_passes(LM64);
}
END_TEST

START_TEST(valid_v86_guest_passes)
{
    assert_passes(V86);
}
END_TEST

/* The SS and data-segment rules apply only to usable segments: an unusable
 * one may hold anything (but SS.DPL, which is checked regardless). */
START_TEST(unusable_segments_are_not_checked)
{
    struct vmx_vmcs_snapshot s;
    struct vmx_check_report r;
    struct vmx_segment junk = seg(0x1234, 1ull << 40, 0x12345, VMX_AR_UNUSABLE | 0x0F06);

    valid_pg32(&s);
    s.guest.ss = s.guest.ds = s.guest.es = s.guest.fs = s.guest.gs = junk;
    s.guest.ldtr = junk;
    s.guest.ss.sel = 0x10; /* SS.RPL still has to match CS.RPL and SS.DPL */
    if (vmx_check_vmcs(&s, &r) != 0)
        dump(&r);
    ck_assert_uint_eq(r.count, 0);

    /* Usable again, the same junk breaks the rules. */
    s.guest.ds.ar &= ~VMX_AR_UNUSABLE;
    ck_assert_uint_gt(vmx_check_vmcs(&s, &r), 0);
    ck_assert(vmx_check_report_has(&r, VMX_CHECK_GUEST_SEG_PRESENT));
    ck_assert(vmx_check_report_has(&r, VMX_CHECK_GUEST_BASE_HIGH));
}
END_TEST

/* ---- one corruption per check ---- */

START_TEST(single_corruption)
{
    const struct corruption *row = &rows[_i];
    struct vmx_vmcs_snapshot s;
    struct vmx_check_report r;
    unsigned k, n;

    build(row->base, &s);
    for (k = 0; k < ARRAY_SIZE(row->e); k++) {
        if (row->e[k].size)
            apply(&s, &row->e[k]);
    }
    n = vmx_check_vmcs(&s, &r);
    if (n != 1 || r.failures[0].id != row->expect) {
        fprintf(stderr, "row %d: expected only %s, got %u failure(s):\n", _i,
                vmx_check_code(row->expect), n);
        dump(&r);
    }
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(r.stored, 1);
    ck_assert_int_eq(r.failures[0].id, row->expect);
    ck_assert(vmx_check_report_has(&r, row->expect));
}
END_TEST

START_TEST(every_check_has_a_corruption)
{
    unsigned id, i;

    for (id = 0; id < VMX_CHECK_COUNT; id++) {
        bool found = false;

        for (i = 0; i < ARRAY_SIZE(rows); i++)
            found |= rows[i].expect == (enum vmx_check_id)id;
        if (!found)
            fprintf(stderr, "no test row for %s\n", vmx_check_code(id));
        ck_assert(found);
    }
}
END_TEST

/* ---- report mechanics ---- */

START_TEST(offending_value_is_reported)
{
    struct vmx_vmcs_snapshot s;
    struct vmx_check_report r;
    char line[200];

    valid_lm64(&s);
    s.guest.cs.ar |= VMX_AR_DB;
    ck_assert_uint_eq(vmx_check_vmcs(&s, &r), 1);
    ck_assert_uint_eq(r.failures[0].value, 0xE09B);
    vmx_check_format(&r.failures[0], line, sizeof(line));
    ck_assert_str_eq(line, "guest.cs_l_d: guest CS.L and CS.D not both set in an IA-32e "
                           "mode guest (value 0xe09b)");

    valid_ug32(&s);
    s.ctl.pin |= 1u << 8;
    ck_assert_uint_eq(vmx_check_vmcs(&s, &r), 1);
    ck_assert_uint_eq(r.failures[0].value, 1u << 8);
}
END_TEST

START_TEST(null_report_still_counts)
{
    struct vmx_vmcs_snapshot s;

    valid_ug32(&s);
    s.host.cs = 0;
    s.guest.link_pointer = 0;
    ck_assert_uint_eq(vmx_check_vmcs(&s, NULL), 2);
}
END_TEST

START_TEST(each_check_reported_once)
{
    struct vmx_vmcs_snapshot s;
    struct vmx_check_report r;

    valid_ug32(&s);
    s.host.fs_base = s.host.gs_base = s.host.tr_base = NONCANON;
    ck_assert_uint_eq(vmx_check_vmcs(&s, &r), 1);
    ck_assert_int_eq(r.failures[0].id, VMX_CHECK_HOST_BASE_CANONICAL);
}
END_TEST

/* Fill n bytes with xorshift output. */
static void scramble(void *dst, size_t n, u64 *x)
{
    u8 *p = dst;
    size_t i;

    for (i = 0; i < n; i++) {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        p[i] = (u8)*x;
    }
}

START_TEST(garbage_snapshots_never_crash)
{
    struct vmx_vmcs_snapshot s;
    struct vmx_cap_msrs m;
    struct vmx_check_report r;
    u64 x = 0x243F6A8885A308D3ull;
    int round;

    /* All ones everywhere (bool members kept valid by decoding caps). */
    memset(&s, 0xFF, sizeof(s));
    memset(&m, 0xFF, sizeof(m));
    vmx_caps_decode(&m, &s.caps);
    s.cpu.in_ia32e = true;
    ck_assert_uint_gt(vmx_check_vmcs(&s, &r), VMX_CHECK_MAX_FAILURES);
    ck_assert_uint_eq(r.stored, VMX_CHECK_MAX_FAILURES);

    memset(&s, 0, sizeof(s));
    ck_assert_uint_gt(vmx_check_vmcs(&s, &r), 0);

    for (round = 0; round < 3000; round++) {
        unsigned n;

        valid_ug32(&s);
        if (round & 1) {
            scramble(&m, sizeof(m), &x);
            vmx_caps_decode(&m, &s.caps);
        }
        /* ctl, host and guest hold only integers: any bytes are valid. */
        scramble(&s.ctl, sizeof(s.ctl), &x);
        scramble(&s.host, sizeof(s.host), &x);
        scramble(&s.guest, sizeof(s.guest), &x);
        scramble(&s.cpu.maxphyaddr, 1, &x);
        scramble(&s.cpu.linear_bits, 1, &x);
        n = vmx_check_vmcs(&s, &r);
        ck_assert_uint_eq(n, r.count);
        ck_assert_uint_le(r.stored, VMX_CHECK_MAX_FAILURES);
        ck_assert_uint_le(r.stored, n);
    }
}
END_TEST

/* ---- names ---- */

START_TEST(check_codes_unique_and_named)
{
    unsigned a, b;

    for (a = 0; a < VMX_CHECK_COUNT; a++) {
        ck_assert_uint_gt(strlen(vmx_check_code(a)), 4);
        ck_assert_uint_gt(strlen(vmx_check_name(a)), 10);
        for (b = a + 1; b < VMX_CHECK_COUNT; b++)
            ck_assert_str_ne(vmx_check_code(a), vmx_check_code(b));
    }
    ck_assert_str_eq(vmx_check_code(VMX_CHECK_COUNT), "?");
    ck_assert_str_eq(vmx_check_name((enum vmx_check_id)-1), "?");
}
END_TEST

START_TEST(instruction_error_names)
{
    ck_assert_str_eq(vmx_instruction_error_name(7), "VM entry with invalid control field(s)");
    ck_assert_str_eq(vmx_instruction_error_name(8), "VM entry with invalid host-state field(s)");
    ck_assert_str_eq(vmx_instruction_error_name(28), "invalid operand to INVEPT/INVVPID");
    ck_assert_str_eq(vmx_instruction_error_name(0), "unknown VM-instruction error");
    ck_assert_str_eq(vmx_instruction_error_name(14), "unknown VM-instruction error");
    ck_assert_str_eq(vmx_instruction_error_name(0xFFFFFFFFu), "unknown VM-instruction error");
}
END_TEST

START_TEST(exit_reason_names)
{
    ck_assert_str_eq(vmx_exit_reason_name(0), "exception or NMI");
    ck_assert_str_eq(vmx_exit_reason_name(30), "I/O instruction");
    ck_assert_str_eq(vmx_exit_reason_name(33), "VM-entry failure: invalid guest state");
    ck_assert_str_eq(vmx_exit_reason_name(48), "EPT violation");
    ck_assert_str_eq(vmx_exit_reason_name(52), "VMX-preemption timer expired");
    ck_assert_str_eq(vmx_exit_reason_name(69), "LOADIWKEY");
    ck_assert_str_eq(vmx_exit_reason_name(35), "unknown exit reason");
    ck_assert_str_eq(vmx_exit_reason_name(70), "unknown exit reason");
    ck_assert_str_eq(vmx_exit_reason_name(0x80000021u), "unknown exit reason");
}
END_TEST

/* ------------------------------------------------------------------ */
/* The states vmx_vcpu_init() builds                                   */

/* The controls and host state of valid_ug32(), the guest part from st as
 * vmx_vcpu_init() computes it; the checker must find nothing wrong. */
static void assert_entry_accepts(const struct vcpu_init_state *st, struct vmx_vmcs_snapshot *s)
{
    struct vmx_check_report report;
    char why[96] = "", line[160] = "";

    valid_ug32(s);
    ck_assert_msg(vmx_guest_state_encode(st, &s->caps, s->ctl.proc2, s, why, sizeof(why)), "%s", why);
    if (vmx_check_vmcs(s, &report) && report.stored)
        vmx_check_format(&report.failures[0], line, sizeof(line));
    ck_assert_msg(report.count == 0, "%u failures, first: %s", report.count, line);
}

/* A BIOS boot sector's start: real mode, legal with unrestricted guest only. */
START_TEST(entry_state_real_mode)
{
    struct vmx_vmcs_snapshot s;
    struct vcpu_init_state st;
    char why[96];

    vcpu_state_real_mode(&st, 0, 0x7C00);
    assert_entry_accepts(&st, &s);
    ck_assert_uint_eq(s.guest.cr0 & 1, 0); /* PE stays clear: the guest's own */
    ck_assert_uint_ne(s.guest.cr0 & (1u << 5), 0); /* NE forced by VMX */
    ck_assert_uint_eq(s.ctl.entry & VMX_ENTRY_IA32E_MODE_GUEST, 0);
    ck_assert(!vmx_guest_state_encode(&st, &s.caps, s.ctl.proc2 & ~VMX_PROC2_UNRESTRICTED_GUEST,
                                      &s, why, sizeof(why)));
    ck_assert_str_eq(why, "VT-x: starting with CR0.PE clear needs unrestricted guest");
}
END_TEST

/* The Multiboot state (what bookvisor starts today). */
START_TEST(entry_state_protected32)
{
    struct vmx_vmcs_snapshot s;
    struct vcpu_init_state st;

    vcpu_state_protected32(&st, 0x100000);
    assert_entry_accepts(&st, &s);
    ck_assert_uint_eq(s.guest.cs.ar, 0xC09B);
    ck_assert_uint_eq(s.guest.ldtr.ar, 0x82);
}
END_TEST

/* 64-bit long mode: the "IA-32e mode guest" control follows EFER.LMA. */
START_TEST(entry_state_long64)
{
    struct vmx_vmcs_snapshot s;
    struct vcpu_init_state st;

    vcpu_state_long64(&st, 0x1000000, 0x9000);
    assert_entry_accepts(&st, &s);
    ck_assert_uint_ne(s.ctl.entry & VMX_ENTRY_IA32E_MODE_GUEST, 0);
    ck_assert_uint_ne(s.guest.cs.ar & VMX_AR_L, 0);
    /* Entering long mode without the control is what the checker refuses. */
    s.ctl.entry &= ~(u32)VMX_ENTRY_IA32E_MODE_GUEST;
    ck_assert_uint_gt(vmx_check_vmcs(&s, NULL), 0);
}
END_TEST

/* CR4 bits the guest's CPU lacks are the VMM's even where VMX would let the
 * guest have them (SMXE here), so that setting one exits and bookvisor's
 * rules refuse it; the bits the guest may change freely stay its own. */
START_TEST(cr4_mask_owns_what_the_guest_lacks)
{
    struct vmx_vmcs_snapshot s;
    struct vmx_cr_masks m;
    valid_ug32(&s);
    u64 guest = 0x3767FFull & ~(1ull << 13) & ~(1ull << 14); /* no VMXE, no SMXE */
    vmx_cr_masks_compute(&s.caps, s.ctl.proc2, guest, &m);
    ck_assert_uint_ne(m.cr4_mask & (1ull << 13), 0); /* VMXE: forced and lacking */
    ck_assert_uint_ne(m.cr4_mask & (1ull << 14), 0); /* SMXE: fixed1 allows it, the guest lacks it */
    ck_assert_uint_ne(m.cr4_mask & (1ull << 11), 0); /* UMIP: neither has it */
    ck_assert_uint_ne(m.cr4_mask & (1ull << 40), 0); /* bits 63:32 too */
    ck_assert_uint_eq(m.cr4_mask & guest, 1ull << 18); /* PGE, PAE...: the guest's; OSXSAVE exits */
    ck_assert_uint_eq(m.cr0_mask, 0x20);              /* CR0: NE only (unrestricted guest) */
    vmx_cr_masks_compute(&s.caps, s.ctl.proc2, ~0ull, &m);
    ck_assert_uint_eq(m.cr4_mask, 0x42000ull | (~0x3767FFull & 0xFFFFFFFFull));
}
END_TEST

static Suite *vmx_check_suite(void)
{
    Suite *s = suite_create("vmx_check");
    TCase *t = tcase_create("baselines");

    tcase_add_test(t, valid_multiboot_guest_passes);
    tcase_add_test(t, valid_paged_guest_passes);
    tcase_add_test(t, valid_64bit_guest_passes);
    tcase_add_test(t, valid_v86_guest_passes);
    tcase_add_test(t, unusable_segments_are_not_checked);
    suite_add_tcase(s, t);

    t = tcase_create("corruptions");
    tcase_add_loop_test(t, single_corruption, 0, (int)ARRAY_SIZE(rows));
    tcase_add_test(t, every_check_has_a_corruption);
    suite_add_tcase(s, t);

    t = tcase_create("report");
    tcase_add_test(t, offending_value_is_reported);
    tcase_add_test(t, null_report_still_counts);
    tcase_add_test(t, each_check_reported_once);
    tcase_add_test(t, garbage_snapshots_never_crash);
    suite_add_tcase(s, t);

    t = tcase_create("entry states");
    tcase_add_test(t, entry_state_real_mode);
    tcase_add_test(t, entry_state_protected32);
    tcase_add_test(t, entry_state_long64);
    tcase_add_test(t, cr4_mask_owns_what_the_guest_lacks);
    suite_add_tcase(s, t);

    t = tcase_create("names");
    tcase_add_test(t, check_codes_unique_and_named);
    tcase_add_test(t, instruction_error_names);
    tcase_add_test(t, exit_reason_names);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(vmx_check_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
