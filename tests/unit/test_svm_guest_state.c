/*
 * Unit tests for arch/svm/svm_guest_state.c: each starting mode of
 * common/vm/vcpu_state.h, encoded as svm_vcpu_init() encodes it, passes the
 * VMRUN consistency checks; each check fails on its own broken field.
 *
 * unit-sources: arch/svm/svm_guest_state.c common/vm/vcpu_state.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "arch/svm/svm_guest_state.h"
#include "common/vm/vcpu_state.h"
#include "tests/unit/unit_main.h"

static struct vmcb vmcb;

/* The control area as svm_vcpu_init() leaves it, the save area from st. */
static void encode(const struct vcpu_init_state *st)
{
    memset(&vmcb, 0, sizeof(vmcb));
    vmcb.control.intercept_misc2 = SVM_INTERCEPT2_VMRUN;
    vmcb.control.guest_asid = 1;
    svm_guest_state_encode(st, &vmcb.save);
}

static void assert_vmrun_accepts(void)
{
    u32 bad = svm_state_check(&vmcb);
    for (unsigned r = 0; r < SVM_RULE_COUNT; r++)
        ck_assert_msg(!(bad & (1u << r)), "broken: %s", svm_state_rule_name(r));
}

START_TEST(real_mode_enters)
{
    struct vcpu_init_state st;
    vcpu_state_real_mode(&st, 0x07C0, 0);
    encode(&st);
    assert_vmrun_accepts();
    ck_assert_uint_eq(vmcb.save.cs.base, 0x7C00);
    ck_assert_uint_eq(vmcb.save.cr0 & 1, 0);
    ck_assert_uint_eq(vmcb.save.cpl, 0);
    ck_assert_uint_ne(vmcb.save.efer & (1u << 12), 0); /* SVME, which VMRUN demands */
}
END_TEST

START_TEST(protected32_enters)
{
    struct vcpu_init_state st;
    vcpu_state_protected32(&st, 0x100000);
    st.gprs.rax = 0x2BADB002;
    encode(&st);
    assert_vmrun_accepts();
    ck_assert_uint_eq(vmcb.save.rip, 0x100000);
    ck_assert_uint_eq(vmcb.save.rax, 0x2BADB002);
    ck_assert_uint_eq(vmcb.save.cs.attrib, 0xC9B);
    ck_assert_uint_eq(vmcb.save.g_pat, 0x0007040600070406ull);
}
END_TEST

START_TEST(long64_enters)
{
    struct vcpu_init_state st;
    vcpu_state_long64(&st, 0x1000000, 0x9000);
    encode(&st);
    assert_vmrun_accepts();
    ck_assert_uint_eq(vmcb.save.efer & 0x500, 0x500); /* LME and LMA as given */
    ck_assert_uint_eq(vmcb.save.cr3, 0x9000);
}
END_TEST

/* Each rule, broken once from a valid long-mode VMCB. */
START_TEST(each_rule_fails_alone)
{
    struct vcpu_init_state st;
    static const struct {
        enum svm_state_rule rule;
        u64 cr0_set, cr0_clear, cr4_set, cr4_clear, efer_set, efer_clear, dr7_set;
        u16 cs_set;
    } rows[] = {
        { SVM_RULE_EFER_SVME, 0, 0, 0, 0, 0, 1u << 12, 0, 0 },
        { SVM_RULE_CR0_CD_NW, 1u << 29, 0, 0, 0, 0, 0, 0, 0 },
        { SVM_RULE_CR0_HIGH, 1ull << 40, 0, 0, 0, 0, 0, 0, 0 },
        { SVM_RULE_CR4_RESERVED, 0, 0, 1u << 13, 0, 0, 0, 0, 0 },
        { SVM_RULE_DR_HIGH, 0, 0, 0, 0, 0, 0, 1ull << 32, 0 },
        { SVM_RULE_EFER_RESERVED, 0, 0, 0, 0, 1u << 9, 0, 0, 0 },
        { SVM_RULE_LONG_PAE, 0, 0, 0, 1u << 5, 0, 0, 0, 0 },
        { SVM_RULE_LONG_PE, 0, 1, 0, 0, 0, 0, 0, 0 },
        { SVM_RULE_LONG_CS, 0, 0, 0, 0, 0, 0, 0, VCPU_SEG_DB },
    };
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        vcpu_state_long64(&st, 0x1000000, 0x9000);
        encode(&st);
        vmcb.save.cr0 = (vmcb.save.cr0 | rows[i].cr0_set) & ~rows[i].cr0_clear;
        vmcb.save.cr4 = (vmcb.save.cr4 | rows[i].cr4_set) & ~rows[i].cr4_clear;
        vmcb.save.efer = (vmcb.save.efer | rows[i].efer_set) & ~rows[i].efer_clear;
        vmcb.save.dr7 |= rows[i].dr7_set;
        vmcb.save.cs.attrib |= rows[i].cs_set;
        ck_assert_msg(svm_state_check(&vmcb) == 1u << rows[i].rule, "row %u: 0x%x", i,
                      svm_state_check(&vmcb));
    }
    encode(&st);
    vmcb.control.intercept_misc2 = 0;
    vmcb.control.guest_asid = 0;
    ck_assert_uint_eq(svm_state_check(&vmcb),
                      (1u << SVM_RULE_VMRUN_INTERCEPT) | (1u << SVM_RULE_ASID));
    ck_assert_str_eq(svm_state_rule_name(SVM_RULE_EFER_SVME), "guest EFER.SVME is set");
    ck_assert_str_eq(svm_state_rule_name(SVM_RULE_COUNT), "?");
}
END_TEST

/* The record keeps what VMRUN was given, whatever the save area holds
 * after a failure, and stands for the guest only for the entry after it. */
START_TEST(entry_record_survives_the_save_area)
{
    struct vcpu_init_state st;
    struct svm_entry_record r;
    memset(&r, 0, sizeof(r));
    ck_assert(!svm_entry_record_describes(&r, 1)); /* none taken yet */
    vcpu_state_protected32(&st, 0x10000C);
    encode(&st);
    vmcb.save.efer &= ~(1ull << 12); /* test.corrupt's broken rule */
    svm_entry_record_take(&r, &vmcb.save, 0x2BADB002, 0);
    /* A failed VMRUN on Bochs: the host's state lands in the save area. */
    vmcb.save.rip = 0xFFFFFFFF8020A07Full;
    vmcb.save.rsp = 0xFFFFFFFF8023C020ull;
    vmcb.save.cr3 = 0x5C00000;
    vmcb.save.efer = 0x1500;
    vmcb.save.cs.attrib = 0xA9B;
    ck_assert(svm_entry_record_describes(&r, 1)); /* the first entry failed */
    ck_assert_uint_eq(r.rip, 0x10000C);
    ck_assert_uint_eq(r.rsp, st.rsp);
    ck_assert_uint_eq(r.cr3, 0);
    ck_assert_uint_eq(r.efer, 0);
    ck_assert_uint_eq(r.rax, 0x2BADB002);
    ck_assert_uint_eq(r.cs.attrib, 0xC9B);
    ck_assert_uint_eq(r.cpl, 0);
    /* A failure after later exits with no write by bookvisor: not this entry. */
    ck_assert(!svm_entry_record_describes(&r, 7));
    svm_entry_record_take(&r, &vmcb.save, 0, 6);
    ck_assert(svm_entry_record_describes(&r, 7));
}
END_TEST

/* The EFER a VMCB gets: LMA follows paging (bookvisor, not the CPU, carries
 * out a CR0 write that turns paging on), SVME always, and LME held back while
 * neither PAE nor paging is set. */
START_TEST(efer_for_vmcb)
{
    const u64 LME = 1u << 8, LMA = 1u << 10, NXE = 1u << 11, SVME = 1u << 12;
    const u64 PE = 1, PG = 1ull << 31, PAE = 1u << 5;
    bool held = true;
    ck_assert_uint_eq(svm_efer_for_vmcb(NXE, PE, 0, &held), NXE | SVME);
    ck_assert(!held);
    /* LME written in 32-bit unpaged code without PAE: held */
    ck_assert_uint_eq(svm_efer_for_vmcb(LME, PE, 0, &held), SVME);
    ck_assert(held);
    /* PAE set: put back, still no LMA */
    ck_assert_uint_eq(svm_efer_for_vmcb(LME, PE, PAE, &held), LME | SVME);
    ck_assert(!held);
    /* paging on: long mode is active */
    ck_assert_uint_eq(svm_efer_for_vmcb(LME, PE | PG, PAE, &held), LME | LMA | SVME);
    ck_assert(!held);
    /* paging off again: LMA goes, a stale LMA written by the guest is ignored */
    ck_assert_uint_eq(svm_efer_for_vmcb(LME | LMA, PE, PAE, &held), LME | SVME);
    /* 32-bit paging without LME: no LMA */
    ck_assert_uint_eq(svm_efer_for_vmcb(NXE | LMA, PE | PG, 0, &held), NXE | SVME);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("svm_guest_state");
    TCase *tc = tcase_create("modes");
    tcase_add_test(tc, real_mode_enters);
    tcase_add_test(tc, protected32_enters);
    tcase_add_test(tc, long64_enters);
    tcase_add_test(tc, each_rule_fails_alone);
    tcase_add_test(tc, entry_record_survives_the_save_area);
    tcase_add_test(tc, efer_for_vmcb);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
