/*
 * Unit tests for arch/vmx/vmx_caps.c and arch/vmx/vmx_controls.c: decoding
 * the capability MSRs and deriving control fields from them.
 *
 * unit-sources: common/lib/cpuid_hide.c arch/vmx/vmx_caps.c arch/vmx/vmx_controls.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmx_controls.h"

/* Capability MSRs shaped like a Skylake client part's. */
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

static struct vmx_caps decoded(const struct vmx_cap_msrs *m)
{
    struct vmx_caps caps;

    ck_assert(vmx_caps_decode(m, &caps));
    return caps;
}

/* ---- vmx_control_derive / vmx_control_bad_bits ---- */

START_TEST(derive_forces_must1_and_sets_wanted)
{
    u64 cap = ((u64)0x000000FFu << 32) | 0x00000011u;
    u32 out = 0, missing = 0xdead;

    ck_assert(vmx_control_derive(cap, 0x04, 0, &out, &missing));
    ck_assert_uint_eq(out, 0x15);
    ck_assert_uint_eq(missing, 0);
}
END_TEST

START_TEST(derive_reports_missing_wanted)
{
    u64 cap = ((u64)0x0000000Fu << 32) | 0x1u;
    u32 out, missing;

    ck_assert(!vmx_control_derive(cap, 0x30 | 0x2, 0, &out, &missing));
    ck_assert_uint_eq(missing, 0x30);
    /* The settable part is still produced, never the disallowed bits. */
    ck_assert_uint_eq(out, 0x3);
}
END_TEST

START_TEST(derive_drops_unavailable_optional)
{
    u64 cap = ((u64)0x0000000Fu << 32);
    u32 out, missing;

    ck_assert(vmx_control_derive(cap, 0, 0xF0 | 0x4, &out, &missing));
    ck_assert_uint_eq(out, 0x4);
    ck_assert_uint_eq(missing, 0);
}
END_TEST

START_TEST(derive_flags_contradictory_msr)
{
    /* Bit 8 must be 1 but may not be 1. */
    u64 cap = ((u64)0x000000FFu << 32) | 0x100u;
    u32 out, missing;

    ck_assert(!vmx_control_derive(cap, 0, 0, &out, &missing));
    ck_assert_uint_eq(missing, 0x100);
}
END_TEST

START_TEST(derive_never_produces_reserved_setting)
{
    /* Pseudo-random consistent capabilities and wishes: a successful
     * derivation must always be a legal setting containing the wishes. */
    u64 x = 0x9E3779B97F4A7C15ull;
    int i;

    for (i = 0; i < 5000; i++) {
        u32 may1, must1, wanted, optional, out, missing;
        bool ok;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        may1 = (u32)x;
        must1 = (u32)(x >> 32) & may1;
        wanted = (u32)(x >> 16) & (u32)(x >> 40);
        optional = (u32)(x >> 8);
        ok = vmx_control_derive(((u64)may1 << 32) | must1, wanted, optional, &out, &missing);
        ck_assert_int_eq(ok, (wanted & ~may1) == 0);
        ck_assert_uint_eq(missing, wanted & ~may1);
        ck_assert_uint_eq(vmx_control_bad_bits(((u64)may1 << 32) | must1, out), 0);
        ck_assert_uint_eq(out & wanted & may1, wanted & may1);
    }
}
END_TEST

START_TEST(bad_bits_names_both_directions)
{
    u64 cap = ((u64)0x000000F0u << 32) | 0x30u;

    ck_assert_uint_eq(vmx_control_bad_bits(cap, 0x30), 0);
    ck_assert_uint_eq(vmx_control_bad_bits(cap, 0x10), 0x20);  /* must-1 bit clear */
    ck_assert_uint_eq(vmx_control_bad_bits(cap, 0x31), 0x01);  /* bit not allowed */
}
END_TEST

/* ---- vmx_caps_decode ---- */

START_TEST(caps_decode_basic)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);

    ck_assert_uint_eq(c.vmcs_revision, 4);
    ck_assert_uint_eq(c.vmcs_size, 0x400);
    ck_assert_uint_eq(c.vmcs_memtype, 6);
    ck_assert(c.true_controls);
    ck_assert(c.ins_outs_info);
    ck_assert(!c.addr_32bit_only);
    ck_assert(!c.no_errcode_check);
    ck_assert(c.pin_ctl == m.true_pinbased && c.proc_ctl == m.true_procbased);
    ck_assert(c.exit_ctl == m.true_exit && c.entry_ctl == m.true_entry);
    ck_assert(c.proc2_ctl == m.procbased2);
}
END_TEST

START_TEST(caps_prefer_true_msrs)
{
    /* Each TRUE_* MSR may clear "default1" bits of allowed-0 that the old MSR
     * forces: every control field must come from the TRUE_* MSR, not only the
     * ones where a real CPU happens to differ (labs: tests/labs/wrong). */
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;

    m.true_pinbased = m.pinbased & ~0x2ull;
    m.true_procbased = m.procbased & ~0x2ull;
    m.true_exit = m.exit & ~0x4ull;
    m.true_entry = m.entry & ~0x4ull;
    c = decoded(&m);
    ck_assert_uint_eq(c.pin_ctl, m.true_pinbased);
    ck_assert_uint_eq(c.proc_ctl, m.true_procbased);
    ck_assert_uint_eq(c.exit_ctl, m.true_exit);
    ck_assert_uint_eq(c.entry_ctl, m.true_entry);
}
END_TEST

START_TEST(caps_decode_features)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);

    ck_assert(c.secondary && c.io_bitmaps && c.msr_bitmaps);
    ck_assert(c.cr3_exiting_optional);
    ck_assert(c.ept && c.ept_walk4 && !c.ept_walk5 && c.ept_wb && c.ept_uc);
    ck_assert(c.ept_2m && c.ept_1g && c.ept_ad && c.ept_exec_only);
    ck_assert(c.invept && c.invept_single && c.invept_all);
    ck_assert(c.unrestricted_guest && c.vpid && c.invvpid && c.invvpid_single);
    ck_assert(c.preemption_timer);
    ck_assert_uint_eq(c.preemption_timer_rate, 5);
    ck_assert(c.rdtscp && c.invpcid && c.xsaves && c.vmfunc && c.virtual_nmis);
    ck_assert(c.exit_save_efer && c.exit_load_efer && c.exit_load_pat && c.entry_load_efer);
    ck_assert(c.exit_stores_lma);
    ck_assert_uint_eq(c.activity_states, 0xE);
    ck_assert_uint_eq(c.cr3_target_max, 4);
    ck_assert_uint_eq(c.msr_list_max, 512);
    ck_assert(c.vmwrite_any_field);
    ck_assert(!c.zero_len_injection);
}
END_TEST

START_TEST(caps_without_true_msrs_force_cr3_exiting)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;

    m.basic &= ~(1ull << 55);
    c = decoded(&m);
    ck_assert(!c.true_controls);
    ck_assert(c.proc_ctl == m.procbased);
    ck_assert(!c.cr3_exiting_optional);
}
END_TEST

START_TEST(caps_ignore_secondary_when_not_allowed)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;

    m.true_procbased &= ~((u64)VMX_PROC_SECONDARY_CONTROLS << 32);
    c = decoded(&m);
    ck_assert(!c.secondary);
    ck_assert(c.proc2_ctl == 0);
    ck_assert(!c.ept && !c.unrestricted_guest && !c.vpid && !c.xsaves && !c.invept);
}
END_TEST

START_TEST(caps_ept_needs_4level_walk)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;

    m.ept_vpid_cap &= ~VMX_EPT_CAP_WALK_4;
    c = decoded(&m);
    ck_assert(!c.ept);
    ck_assert(c.vpid);
}
END_TEST

START_TEST(caps_decode_rejects_bad_basic)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;

    m.basic |= 1ull << 31;
    ck_assert(!vmx_caps_decode(&m, &c));
    m = skylake_msrs();
    m.basic &= ~(0x1FFFull << 32);
    ck_assert(!vmx_caps_decode(&m, &c));
    m.basic |= 0x1001ull << 32;
    ck_assert(!vmx_caps_decode(&m, &c));
}
END_TEST

START_TEST(caps_msr_exists)
{
    struct vmx_cap_msrs m = skylake_msrs();

    ck_assert(vmx_caps_msr_exists(&m, MSR_IA32_VMX_BASIC));
    ck_assert(vmx_caps_msr_exists(&m, MSR_IA32_VMX_CR4_FIXED1));
    ck_assert(vmx_caps_msr_exists(&m, MSR_IA32_VMX_PROCBASED_CTLS2));
    ck_assert(vmx_caps_msr_exists(&m, MSR_IA32_VMX_EPT_VPID_CAP));
    ck_assert(vmx_caps_msr_exists(&m, MSR_IA32_VMX_TRUE_ENTRY_CTLS));
    ck_assert(vmx_caps_msr_exists(&m, MSR_IA32_VMX_VMFUNC));
    ck_assert(!vmx_caps_msr_exists(&m, 0x492));
    ck_assert(!vmx_caps_msr_exists(&m, 0x47F));
    m.basic &= ~(1ull << 55);
    ck_assert(!vmx_caps_msr_exists(&m, MSR_IA32_VMX_TRUE_PINBASED_CTLS));
    m.procbased &= ~((u64)VMX_PROC_SECONDARY_CONTROLS << 32);
    ck_assert(!vmx_caps_msr_exists(&m, MSR_IA32_VMX_PROCBASED_CTLS2));
    ck_assert(!vmx_caps_msr_exists(&m, MSR_IA32_VMX_EPT_VPID_CAP));
}
END_TEST

START_TEST(feature_string_full)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);
    char buf[256];
    const char *expect = "truectl ept ept2m ept1g eptad invept ug vpid invvpid preempt "
                         "msrbm iobm vnmi rdtscp invpcid xsaves vmfunc";
    size_t n = vmx_caps_feature_string(&c, buf, sizeof(buf));

    ck_assert_str_eq(buf, expect);
    ck_assert_uint_eq(n, strlen(expect));
}
END_TEST

START_TEST(feature_string_truncates_at_word)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);
    char buf[14];
    char big[256];
    size_t full = vmx_caps_feature_string(&c, big, sizeof(big));
    size_t n = vmx_caps_feature_string(&c, buf, sizeof(buf));

    /* "truectl ept" fits in 13 characters, "truectl ept ept2m" does not. */
    ck_assert_str_eq(buf, "truectl ept");
    ck_assert_uint_eq(n, full);
    ck_assert_uint_eq(vmx_caps_feature_string(&c, buf, 0), full);
}
END_TEST

START_TEST(feature_string_empty_caps)
{
    struct vmx_caps c;
    struct vmx_cap_msrs m = { .basic = 0x0000040000000001ull };
    char buf[16] = "junk";

    vmx_caps_decode(&m, &c);
    ck_assert_uint_eq(vmx_caps_feature_string(&c, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "");
}
END_TEST

/* ---- vmx_controls_choose ---- */

static void assert_legal(const struct vmx_caps *c, const struct vmx_control_set *s)
{
    ck_assert_uint_eq(vmx_control_bad_bits(c->pin_ctl, s->pin), 0);
    ck_assert_uint_eq(vmx_control_bad_bits(c->proc_ctl, s->proc), 0);
    if (s->proc & VMX_PROC_SECONDARY_CONTROLS)
        ck_assert_uint_eq(vmx_control_bad_bits(c->proc2_ctl, s->proc2), 0);
    ck_assert_uint_eq(vmx_control_bad_bits(c->exit_ctl, s->exit), 0);
    ck_assert_uint_eq(vmx_control_bad_bits(c->entry_ctl, s->entry), 0);
}

START_TEST(choose_default_policy)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);
    struct vmx_policy p;
    struct vmx_control_set s;
    char err[128] = "x";

    vmx_policy_default(&p);
    ck_assert(vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_str_eq(err, "");
    assert_legal(&c, &s);

    ck_assert_uint_eq(s.pin, 0x16 | VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS |
                                 VMX_PIN_PREEMPTION_TIMER);
    ck_assert_uint_eq(s.proc, 0x04006172u | VMX_PROC_HLT_EXITING | VMX_PROC_IO_BITMAPS |
                                  VMX_PROC_MSR_BITMAPS | VMX_PROC_SECONDARY_CONTROLS);
    ck_assert_uint_eq(s.proc2, VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED_GUEST | VMX_PROC2_VPID |
                                   VMX_PROC2_RDTSCP | VMX_PROC2_INVPCID | VMX_PROC2_XSAVES);
    ck_assert_uint_eq(s.exit, 0x00036DFBu | VMX_EXIT_HOST_ADDR_SPACE_SIZE |
                                  VMX_EXIT_SAVE_DEBUG_CONTROLS | VMX_EXIT_SAVE_EFER |
                                  VMX_EXIT_LOAD_EFER | VMX_EXIT_SAVE_PAT | VMX_EXIT_LOAD_PAT);
    ck_assert_uint_eq(s.entry, 0x000011FBu | VMX_ENTRY_LOAD_DEBUG_CONTROLS |
                                   VMX_ENTRY_LOAD_EFER | VMX_ENTRY_LOAD_PAT);
}
END_TEST

/* External interrupts reach the guest directly; NMIs exit, with virtual NMIs,
 * for the NMI window of the event model (chapter 08). */
START_TEST(choose_keeps_interrupts_with_guest)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);
    struct vmx_policy p;
    struct vmx_control_set s;

    vmx_policy_default(&p);
    ck_assert(vmx_controls_choose(&c, &p, &s, NULL, 0));
    ck_assert_uint_eq(s.pin & VMX_PIN_EXT_INTR_EXITING, 0);
    ck_assert_uint_eq(s.pin & (VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS),
                      VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS);
    ck_assert_uint_eq(s.exit & VMX_EXIT_ACK_INTR_ON_EXIT, 0);
    ck_assert_uint_eq(s.proc & (VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING), 0);
    ck_assert_uint_eq(s.entry & VMX_ENTRY_IA32E_MODE_GUEST, 0);
}
END_TEST

START_TEST(choose_without_true_msrs_keeps_forced_cr3_exiting)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;
    struct vmx_policy p;
    struct vmx_control_set s;

    m.basic &= ~(1ull << 55);
    c = decoded(&m);
    vmx_policy_default(&p);
    ck_assert(vmx_controls_choose(&c, &p, &s, NULL, 0));
    assert_legal(&c, &s);
    ck_assert_uint_eq(s.proc & (VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING),
                      VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING);
    ck_assert(s.exit & VMX_EXIT_SAVE_DEBUG_CONTROLS);
}
END_TEST

START_TEST(choose_fails_without_ept)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;
    struct vmx_policy p;
    struct vmx_control_set s;
    char err[128];

    m.procbased2 &= ~((u64)VMX_PROC2_EPT << 32);
    c = decoded(&m);
    vmx_policy_default(&p);
    ck_assert(!vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "EPT"));
}
END_TEST

START_TEST(choose_optional_features_drop_quietly)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;
    struct vmx_policy p;
    struct vmx_control_set s;

    m.procbased2 &= ~((u64)(VMX_PROC2_VPID | VMX_PROC2_XSAVES | VMX_PROC2_UNRESTRICTED_GUEST)
                      << 32);
    m.true_pinbased &= ~((u64)VMX_PIN_PREEMPTION_TIMER << 32);
    c = decoded(&m);
    vmx_policy_default(&p);
    p.unrestricted_guest = VMX_WANT_IF_ABLE;
    ck_assert(vmx_controls_choose(&c, &p, &s, NULL, 0));
    assert_legal(&c, &s);
    ck_assert_uint_eq(s.proc2, VMX_PROC2_EPT | VMX_PROC2_RDTSCP | VMX_PROC2_INVPCID);
    ck_assert_uint_eq(s.pin & VMX_PIN_PREEMPTION_TIMER, 0);
}
END_TEST

START_TEST(choose_ug_requires_ept_policy)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);
    struct vmx_policy p;
    struct vmx_control_set s;
    char err[128];

    vmx_policy_default(&p);
    p.ept = VMX_WANT_OFF;
    ck_assert(!vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "unrestricted"));
    p.unrestricted_guest = VMX_WANT_IF_ABLE;
    ck_assert(vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_uint_eq(s.proc2 & (VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED_GUEST), 0);
}
END_TEST

START_TEST(choose_no_passthrough_and_no_hlt)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c = decoded(&m);
    struct vmx_policy p;
    struct vmx_control_set s;

    vmx_policy_default(&p);
    p.passthrough_insns = false;
    p.hlt_exiting = false;
    p.vpid = VMX_WANT_OFF;
    p.preemption_timer = VMX_WANT_OFF;
    p.virtual_nmis = VMX_WANT_OFF;
    ck_assert(vmx_controls_choose(&c, &p, &s, NULL, 0));
    ck_assert_uint_eq(s.proc2, VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED_GUEST);
    ck_assert_uint_eq(s.proc & VMX_PROC_HLT_EXITING, 0);
    ck_assert_uint_eq(s.pin, 0x16);
}
END_TEST

/* Without virtual NMIs the VMM could not wait for the guest's NMI window: refused. */
START_TEST(choose_fails_without_virtual_nmis)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;
    struct vmx_policy p;
    struct vmx_control_set s;
    char err[128];

    m.true_pinbased &= ~((u64)VMX_PIN_VIRTUAL_NMIS << 32);
    c = decoded(&m);
    vmx_policy_default(&p);
    ck_assert(!vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "virtual NMIs"));
    p.virtual_nmis = VMX_WANT_IF_ABLE;
    ck_assert(vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    assert_legal(&c, &s);
    ck_assert_uint_eq(s.pin & (VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS), 0);
}
END_TEST

START_TEST(choose_fails_without_efer_controls)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;
    struct vmx_policy p;
    struct vmx_control_set s;
    char err[128];

    m.true_entry &= ~((u64)VMX_ENTRY_LOAD_EFER << 32);
    c = decoded(&m);
    vmx_policy_default(&p);
    ck_assert(!vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "VM-entry"));
    ck_assert_ptr_nonnull(strstr(err, "0x00008000"));
}
END_TEST

START_TEST(choose_required_timer_missing)
{
    struct vmx_cap_msrs m = skylake_msrs();
    struct vmx_caps c;
    struct vmx_policy p;
    struct vmx_control_set s;
    char err[8];

    m.true_pinbased &= ~((u64)VMX_PIN_PREEMPTION_TIMER << 32);
    c = decoded(&m);
    vmx_policy_default(&p);
    p.preemption_timer = VMX_WANT_REQUIRED;
    /* A tiny error buffer is still NUL-terminated. */
    ck_assert(!vmx_controls_choose(&c, &p, &s, err, sizeof(err)));
    ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
}
END_TEST

/* The preemption timer's value for a TSC deadline: never early, never
 * wider than its 32-bit field. */
START_TEST(preemption_value_rounds_up_and_saturates)
{
    /* rate 5: one tick every 32 TSC cycles */
    ck_assert_uint_eq(vmx_preemption_timer_value(1000, 1000 + 64, 5), 2);
    ck_assert_uint_eq(vmx_preemption_timer_value(1000, 1000 + 65, 5), 3);
    ck_assert_uint_eq(vmx_preemption_timer_value(1000, 1000 + 1, 5), 1);
    ck_assert_uint_eq(vmx_preemption_timer_value(0, 1000000, 0), 1000000);
    /* due already, or now: exit before the guest's first instruction */
    ck_assert_uint_eq(vmx_preemption_timer_value(5000, 5000, 5), 0);
    ck_assert_uint_eq(vmx_preemption_timer_value(5000, 4000, 5), 0);
    /* far away: the widest value; the next entry sets the rest */
    ck_assert_uint_eq(vmx_preemption_timer_value(0, ~0ULL, 0), 0xFFFFFFFFu);
    ck_assert_uint_eq(vmx_preemption_timer_value(0, 1ULL << 37, 5), 0xFFFFFFFFu);
    ck_assert_uint_eq(vmx_preemption_timer_value(0, (1ULL << 37) - 32, 5), 0xFFFFFFFFu);
    ck_assert_uint_eq(vmx_preemption_timer_value(0, (1ULL << 36), 5), 1u << 31);
    /* the widest rate the MSR can name */
    ck_assert_uint_eq(vmx_preemption_timer_value(0, 3ULL << 31, 31), 3);
}
END_TEST

/* An instruction whose "enable" control the CPU lacks vanishes from CPUID
 * (chapter 15): the guest would get #UD for it. */
START_TEST(cpuid_hides_what_the_controls_cannot_enable)
{
    struct vmx_caps caps;
    memset(&caps, 0, sizeof(caps));
    struct cpuid_hide h;
    vmx_caps_cpuid_hidden(&caps, &h);
    struct cpuid_result r = { ~0u, ~0u, ~0u, ~0u };
    cpuid_hide_apply(&h, 0x80000001u, 0, &r);
    ck_assert_uint_eq(r.edx, ~CPUID_EXT1_EDX_RDTSCP);
    ck_assert_uint_eq(r.eax, ~0u);
    r = (struct cpuid_result){ ~0u, ~0u, ~0u, ~0u };
    cpuid_hide_apply(&h, 7, 0, &r);
    ck_assert_uint_eq(r.ebx, ~CPUID_7_EBX_INVPCID);
    r = (struct cpuid_result){ ~0u, ~0u, ~0u, ~0u };
    cpuid_hide_apply(&h, 7, 1, &r); /* another subleaf of 7: untouched */
    ck_assert_uint_eq(r.ebx, ~0u);
    r = (struct cpuid_result){ ~0u, ~0u, ~0u, ~0u };
    cpuid_hide_apply(&h, 0xD, 1, &r);
    ck_assert_uint_eq(r.eax, ~CPUID_D1_EAX_XSAVES);
    r = (struct cpuid_result){ ~0u, ~0u, ~0u, ~0u };
    cpuid_hide_apply(&h, 0xD, 0, &r);
    ck_assert_uint_eq(r.eax, ~0u);

    /* With the controls allowed nothing is hidden. */
    caps.rdtscp = caps.invpcid = caps.xsaves = true;
    vmx_caps_cpuid_hidden(&caps, &h);
    ck_assert_uint_eq(h.ext1_edx | h.leaf7_ebx | h.leafd1_eax, 0);
    /* Each one alone. */
    caps.invpcid = false;
    vmx_caps_cpuid_hidden(&caps, &h);
    ck_assert_uint_eq(h.ext1_edx, 0);
    ck_assert_uint_eq(h.leaf7_ebx, CPUID_7_EBX_INVPCID);
    ck_assert_uint_eq(h.leafd1_eax, 0);
}
END_TEST

static Suite *vmx_controls_suite(void)
{
    Suite *s = suite_create("vmx_controls");
    TCase *t = tcase_create("derive");

    tcase_add_test(t, derive_forces_must1_and_sets_wanted);
    tcase_add_test(t, derive_reports_missing_wanted);
    tcase_add_test(t, derive_drops_unavailable_optional);
    tcase_add_test(t, derive_flags_contradictory_msr);
    tcase_add_test(t, derive_never_produces_reserved_setting);
    tcase_add_test(t, bad_bits_names_both_directions);
    suite_add_tcase(s, t);

    t = tcase_create("caps");
    tcase_add_test(t, caps_decode_basic);
    tcase_add_test(t, caps_prefer_true_msrs);
    tcase_add_test(t, caps_decode_features);
    tcase_add_test(t, caps_without_true_msrs_force_cr3_exiting);
    tcase_add_test(t, caps_ignore_secondary_when_not_allowed);
    tcase_add_test(t, caps_ept_needs_4level_walk);
    tcase_add_test(t, caps_decode_rejects_bad_basic);
    tcase_add_test(t, caps_msr_exists);
    tcase_add_test(t, feature_string_full);
    tcase_add_test(t, feature_string_truncates_at_word);
    tcase_add_test(t, feature_string_empty_caps);
    suite_add_tcase(s, t);

    t = tcase_create("choose");
    tcase_add_test(t, choose_default_policy);
    tcase_add_test(t, choose_keeps_interrupts_with_guest);
    tcase_add_test(t, choose_without_true_msrs_keeps_forced_cr3_exiting);
    tcase_add_test(t, choose_fails_without_ept);
    tcase_add_test(t, choose_optional_features_drop_quietly);
    tcase_add_test(t, choose_ug_requires_ept_policy);
    tcase_add_test(t, choose_no_passthrough_and_no_hlt);
    tcase_add_test(t, choose_fails_without_efer_controls);
    tcase_add_test(t, choose_fails_without_virtual_nmis);
    tcase_add_test(t, choose_required_timer_missing);
    tcase_add_test(t, preemption_value_rounds_up_and_saturates);
    tcase_add_test(t, cpuid_hides_what_the_controls_cannot_enable);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(vmx_controls_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
