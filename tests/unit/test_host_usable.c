/*
 * Unit tests for arch/svm/svm_usable.c and arch/vmx/vmx_usable.c: whether a
 * CPU can host bookvisor, every reason it cannot, which reason wins when
 * several apply, and the exact sentences (lab 1 part 2).
 *
 * unit-sources: arch/svm/svm_usable.c arch/vmx/vmx_usable.c arch/vmx/vmx_feature_control.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arch/svm/svm_usable.h"
#include "arch/vmx/vmx_feature_control.h"
#include "arch/vmx/vmx_usable.h"
#include "tests/unit/unit_main.h"

/* QEMU's EPYC under TCG: SVM on, nested paging, 16 ASIDs. */
static struct svm_caps svm_good(void)
{
    struct svm_caps c;
    memset(&c, 0, sizeof(c));
    c.svm = true;
    c.npt = true;
    c.nasid = 16;
    c.revision = 1;
    return c;
}

/* A CPU with everything bookvisor needs from VT-x. */
static struct vmx_caps vmx_good(void)
{
    struct vmx_caps c;
    memset(&c, 0, sizeof(c));
    c.vmcs_size = 4096;
    c.ept = c.ept_walk4 = c.ept_wb = c.ept_uc = true;
    c.unrestricted_guest = true;
    c.vpid = true;
    return c;
}

static const u64 fc_on = VMX_FEATURE_CONTROL_LOCK | VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX;

START_TEST(svm_usable_cpu)
{
    struct svm_caps c = svm_good();
    ck_assert_int_eq(svm_usable(&c, 0), SVM_USABLE);
    /* The lock alone changes nothing: SVMDIS is what turns SVM off. */
    ck_assert_int_eq(svm_usable(&c, SVM_VM_CR_LOCK), SVM_USABLE);
    /* Optional features do not matter. */
    c.nrip_save = c.decode_assists = c.vmcb_clean = true;
    ck_assert_int_eq(svm_usable(&c, 0), SVM_USABLE);
}
END_TEST

START_TEST(svm_no_svm)
{
    struct svm_caps c = svm_good();
    c.svm = false;
    ck_assert_int_eq(svm_usable(&c, 0), SVM_NO_SVM);
    /* No SVM wins over everything else reported. */
    c.disabled_by_bios = true;
    c.npt = false;
    c.nasid = 0;
    ck_assert_int_eq(svm_usable(&c, SVM_VM_CR_LOCK | SVM_VM_CR_SVMDIS), SVM_NO_SVM);
}
END_TEST

START_TEST(svm_disabled_by_firmware)
{
    struct svm_caps c = svm_good();
    c.disabled_by_bios = true;
    ck_assert_int_eq(svm_usable(&c, SVM_VM_CR_LOCK | SVM_VM_CR_SVMDIS), SVM_DISABLED_LOCKED);
    ck_assert_int_eq(svm_usable(&c, SVM_VM_CR_SVMDIS), SVM_DISABLED_UNLOCKED);
    /* Disabled wins over a missing feature. */
    c.npt = false;
    c.nasid = 1;
    ck_assert_int_eq(svm_usable(&c, SVM_VM_CR_LOCK | SVM_VM_CR_SVMDIS), SVM_DISABLED_LOCKED);
    ck_assert_int_eq(svm_usable(&c, SVM_VM_CR_SVMDIS), SVM_DISABLED_UNLOCKED);
}
END_TEST

START_TEST(svm_no_npt)
{
    struct svm_caps c = svm_good();
    c.npt = false;
    ck_assert_int_eq(svm_usable(&c, 0), SVM_NO_NPT);
    c.nasid = 1; /* no nested paging is said first */
    ck_assert_int_eq(svm_usable(&c, 0), SVM_NO_NPT);
}
END_TEST

START_TEST(svm_asids)
{
    struct svm_caps c = svm_good();
    c.nasid = 0;
    ck_assert_int_eq(svm_usable(&c, 0), SVM_TOO_FEW_ASIDS);
    c.nasid = 1; /* only the host's ASID 0 */
    ck_assert_int_eq(svm_usable(&c, 0), SVM_TOO_FEW_ASIDS);
    c.nasid = 2; /* one for a guest: enough */
    ck_assert_int_eq(svm_usable(&c, 0), SVM_USABLE);
}
END_TEST

START_TEST(svm_messages)
{
    ck_assert_str_eq(svm_verdict_message(SVM_USABLE), "usable");
    ck_assert_str_eq(svm_verdict_message(SVM_NO_SVM),
                     "the CPU has no SVM (CPUID 8000_0001h ECX bit 2)");
    ck_assert_str_eq(svm_verdict_message(SVM_DISABLED_LOCKED),
                     "SVM is disabled by the firmware and locked (VM_CR.SVMDIS, VM_CR.LOCK)");
    ck_assert_str_eq(svm_verdict_message(SVM_DISABLED_UNLOCKED),
                     "SVM is disabled by the firmware (VM_CR.SVMDIS); enable it in the "
                     "firmware setup");
    ck_assert_str_eq(svm_verdict_message(SVM_NO_NPT),
                     "SVM without nested paging is not supported");
    ck_assert_str_eq(svm_verdict_message(SVM_TOO_FEW_ASIDS),
                     "SVM has fewer than 2 ASIDs: none left for a guest");
    ck_assert_str_eq(svm_verdict_message((enum svm_verdict)99), "unknown verdict");
}
END_TEST

START_TEST(vmx_usable_cpu)
{
    struct vmx_caps c = vmx_good();
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_USABLE);
    /* Unlocked: bookvisor locks it itself with VMX on. */
    ck_assert_int_eq(vmx_usable(true, 0, true, &c), VMX_USABLE);
    ck_assert_int_eq(vmx_usable(true, VMX_FEATURE_CONTROL_VMX_INSIDE_SMX, true, &c), VMX_USABLE);
    /* Write-back alone is enough; VPID is optional. */
    c.ept_uc = false;
    c.vpid = false;
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_USABLE);
}
END_TEST

START_TEST(vmx_no_vmx)
{
    /* Without VMX the MSRs cannot be read: caps must not be looked at. */
    ck_assert_int_eq(vmx_usable(false, 0, false, NULL), VMX_NO_VMX);
    ck_assert_int_eq(vmx_usable(false, VMX_FEATURE_CONTROL_LOCK, false, NULL), VMX_NO_VMX);
}
END_TEST

START_TEST(vmx_locked_off)
{
    struct vmx_caps c = vmx_good();
    ck_assert_int_eq(vmx_usable(true, VMX_FEATURE_CONTROL_LOCK, true, &c), VMX_LOCKED_OFF);
    /* VMX inside SMX only: bookvisor never enters SMX. */
    ck_assert_int_eq(vmx_usable(true, VMX_FEATURE_CONTROL_LOCK |
                                VMX_FEATURE_CONTROL_VMX_INSIDE_SMX, true, &c), VMX_LOCKED_OFF);
    /* The firmware is said first, before anything the MSRs lack. */
    c.ept = c.ept_wb = c.unrestricted_guest = false;
    ck_assert_int_eq(vmx_usable(true, VMX_FEATURE_CONTROL_LOCK, false, &c), VMX_LOCKED_OFF);
}
END_TEST

START_TEST(vmx_bad_vmcs)
{
    struct vmx_caps c = vmx_good();
    ck_assert_int_eq(vmx_usable(true, fc_on, false, &c), VMX_BAD_VMCS);
    c.ept = false;
    ck_assert_int_eq(vmx_usable(true, 0, false, &c), VMX_BAD_VMCS);
}
END_TEST

START_TEST(vmx_no_ept)
{
    struct vmx_caps c = vmx_good();
    c.ept = false;
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_NO_EPT);
    /* Unrestricted guest needs EPT: no EPT is the reason to give. */
    c.unrestricted_guest = false;
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_NO_EPT);
}
END_TEST

START_TEST(vmx_no_ept_wb)
{
    struct vmx_caps c = vmx_good();
    c.ept_wb = false; /* EPT with uncacheable tables only */
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_NO_EPT_WB);
    c.unrestricted_guest = false;
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_NO_EPT_WB);
}
END_TEST

START_TEST(vmx_no_unrestricted_guest)
{
    struct vmx_caps c = vmx_good();
    c.unrestricted_guest = false;
    ck_assert_int_eq(vmx_usable(true, fc_on, true, &c), VMX_NO_UNRESTRICTED_GUEST);
    ck_assert_int_eq(vmx_usable(true, 0, true, &c), VMX_NO_UNRESTRICTED_GUEST);
}
END_TEST

START_TEST(vmx_messages)
{
    ck_assert_str_eq(vmx_verdict_message(VMX_USABLE), "usable");
    ck_assert_str_eq(vmx_verdict_message(VMX_NO_VMX), "the CPU has no VMX (CPUID.1:ECX bit 5)");
    ck_assert_str_eq(vmx_verdict_message(VMX_LOCKED_OFF),
                     "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked)");
    ck_assert_str_eq(vmx_verdict_message(VMX_BAD_VMCS), "IA32_VMX_BASIC describes no usable VMCS");
    ck_assert_str_eq(vmx_verdict_message(VMX_NO_EPT),
                     "VT-x without EPT (4-level walk) is not supported");
    ck_assert_str_eq(vmx_verdict_message(VMX_NO_EPT_WB),
                     "EPT paging structures cannot be write-back on this CPU");
    ck_assert_str_eq(vmx_verdict_message(VMX_NO_UNRESTRICTED_GUEST),
                     "VT-x without unrestricted guest is not supported");
    ck_assert_str_eq(vmx_verdict_message((enum vmx_verdict)99), "unknown verdict");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("host_usable");
    TCase *svm = tcase_create("svm");
    tcase_add_test(svm, svm_usable_cpu);
    tcase_add_test(svm, svm_no_svm);
    tcase_add_test(svm, svm_disabled_by_firmware);
    tcase_add_test(svm, svm_no_npt);
    tcase_add_test(svm, svm_asids);
    tcase_add_test(svm, svm_messages);
    suite_add_tcase(s, svm);
    TCase *vmx = tcase_create("vmx");
    tcase_add_test(vmx, vmx_usable_cpu);
    tcase_add_test(vmx, vmx_no_vmx);
    tcase_add_test(vmx, vmx_locked_off);
    tcase_add_test(vmx, vmx_bad_vmcs);
    tcase_add_test(vmx, vmx_no_ept);
    tcase_add_test(vmx, vmx_no_ept_wb);
    tcase_add_test(vmx, vmx_no_unrestricted_guest);
    tcase_add_test(vmx, vmx_messages);
    suite_add_tcase(s, vmx);
    return unit_run_suite(s);
}
