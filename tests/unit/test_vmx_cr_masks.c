/*
 * Unit tests for vmx_cr_masks_compute() (arch/vmx/vmx_guest_state.c): which
 * CR0 and CR4 bits the guest owns under VT-x (chapter 04, "guest/host mask").
 *
 * Method: CPUs described only by their CR fixed MSRs (a Skylake-like one,
 * one whose CR0_FIXED1 forbids CD and NW, one whose CR4_FIXED1 forbids more),
 * with and without unrestricted guest, and guests whose CPUID promises more
 * or fewer CR4 bits. Each mask is compared whole, and separately the bits
 * that must stay the guest's are checked: owning every bit is safe but makes
 * every write exit, which is not the answer.
 *
 * unit-sources: arch/vmx/vmx_guest_state.c common/vm/vcpu_state.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmx_guest_state.h"
#include "common/vm/vcpu_state.h"

#define CR0_NE (1ull << 5)
#define CR0_TS (1ull << 3)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR4_PSE (1ull << 4)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_UMIP (1ull << 11)
#define CR4_SMXE (1ull << 14)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_SMEP (1ull << 20)

#define SKYLAKE_CR4_FIXED1 0x3767FFull
#define LOW32 0xFFFFFFFFull

/* What IA32_VMX_CR{0,4}_FIXED{0,1} say on a Skylake: PE, NE, PG and VMXE
 * must be 1, every CR0 bit may be 1, CR4 bits up to PKE as the CPU has them. */
static struct vmx_caps skylake(void)
{
    struct vmx_caps c;

    memset(&c, 0, sizeof(c));
    c.msr.cr0_fixed0 = 0x80000021ull;
    c.msr.cr0_fixed1 = LOW32;
    c.msr.cr4_fixed0 = VCPU_CR4_VMXE;
    c.msr.cr4_fixed1 = SKYLAKE_CR4_FIXED1;
    return c;
}

/* A guest CPU with the usual CR4 bits and XSAVE, without VMX, SMX or UMIP. */
static const u64 guest_cr4 = SKYLAKE_CR4_FIXED1 & ~(VCPU_CR4_VMXE | CR4_SMXE | CR4_UMIP);

/* Unrestricted guest frees PE and PG; NE stays forced and owned. */
START_TEST(cr0_unrestricted_owns_ne_only)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST | VMX_PROC2_EPT, guest_cr4, &m);
    ck_assert_uint_eq(m.cr0_mask, CR0_NE);
    ck_assert_uint_eq(m.cr0_forced, CR0_NE);
}
END_TEST

/* Without it, PE and PG are forced too, so the guest may not clear them. */
START_TEST(cr0_restricted_owns_pe_pg_ne)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    vmx_cr_masks_compute(&c, VMX_PROC2_EPT, guest_cr4, &m);
    ck_assert_uint_eq(m.cr0_mask, VCPU_CR0_PE | CR0_NE | VCPU_CR0_PG);
    ck_assert_uint_eq(m.cr0_forced, VCPU_CR0_PE | CR0_NE | VCPU_CR0_PG);
}
END_TEST

/* A bit CR0_FIXED1 forbids is owned, so that setting it exits rather than
 * failing the next VM entry; bits 63:32 of CR0 are not (the CPU faults on
 * them itself, before any exit). */
START_TEST(cr0_forbidden_bits_owned)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    c.msr.cr0_fixed1 = LOW32 & ~(VCPU_CR0_CD | VCPU_CR0_NW);
    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST, guest_cr4, &m);
    ck_assert_uint_eq(m.cr0_mask, CR0_NE | VCPU_CR0_CD | VCPU_CR0_NW);
    vmx_cr_masks_compute(&c, 0, guest_cr4, &m);
    ck_assert_uint_eq(m.cr0_mask, VCPU_CR0_PE | CR0_NE | VCPU_CR0_PG | VCPU_CR0_CD | VCPU_CR0_NW);
}
END_TEST

/* The bits the guest changes all the time stay its own: a write of TS, WP,
 * AM, PGE or PCIDE must not exit. */
START_TEST(guest_keeps_its_bits)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST, guest_cr4, &m);
    ck_assert_uint_eq(m.cr0_mask & (CR0_TS | CR0_WP | CR0_AM | VCPU_CR0_PE | VCPU_CR0_PG), 0);
    ck_assert_uint_eq(m.cr4_mask & (CR4_PSE | VCPU_CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_FSGSBASE |
                                    CR4_PCIDE | CR4_SMEP), 0);
    /* Of the guest's bits, only OSXSAVE is owned (CPUID leaf 1 mirrors it). */
    ck_assert_uint_eq(m.cr4_mask & guest_cr4, VCPU_CR4_OSXSAVE);
}
END_TEST

/* CR4: the forced bit (VMXE), the bits CR4_FIXED1 forbids, every bit the
 * guest's CPUID does not promise (SMXE here, which VMX would allow; bits
 * 63:32 too) and OSXSAVE. */
START_TEST(cr4_mask_whole)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST, guest_cr4, &m);
    ck_assert_uint_eq(m.cr4_mask, ~guest_cr4 | VCPU_CR4_OSXSAVE);
    ck_assert_uint_ne(m.cr4_mask & CR4_SMXE, 0);
    ck_assert_uint_ne(m.cr4_mask & (1ull << 40), 0);
    ck_assert_uint_ne(m.cr4_mask & (1ull << 63), 0);
    ck_assert_uint_eq(m.cr4_forced, VCPU_CR4_VMXE);
}
END_TEST

/* A guest that would be allowed everything: the CPU's limits still hold. */
START_TEST(cr4_cpu_limits_without_guest_limits)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST, ~0ull, &m);
    ck_assert_uint_eq(m.cr4_mask, VCPU_CR4_VMXE | VCPU_CR4_OSXSAVE | (~SKYLAKE_CR4_FIXED1 & LOW32));
    /* A CPU that forbids SMEP: owned, though the guest's CPUID promises it. */
    c.msr.cr4_fixed1 = SKYLAKE_CR4_FIXED1 & ~CR4_SMEP;
    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST, guest_cr4, &m);
    ck_assert_uint_ne(m.cr4_mask & CR4_SMEP, 0);
    ck_assert_uint_eq(m.cr4_mask & guest_cr4, VCPU_CR4_OSXSAVE | CR4_SMEP);
}
END_TEST

/* What the masks are for: the real CR0 the CPU runs with keeps the forced
 * bits whatever the guest wrote, and the guest's value shows through where
 * it owns the bit. */
START_TEST(real_value_under_the_masks)
{
    struct vmx_caps c = skylake();
    struct vmx_cr_masks m;

    vmx_cr_masks_compute(&c, VMX_PROC2_UNRESTRICTED_GUEST, guest_cr4, &m);
    ck_assert_uint_eq(vmx_cr0_real(&c, &m, 0x10), 0x30);
    ck_assert_uint_eq(vmx_cr4_real(&c, &m, VCPU_CR4_PAE), VCPU_CR4_PAE | VCPU_CR4_VMXE);
}
END_TEST

static Suite *cr_masks_suite(void)
{
    Suite *s = suite_create("vmx_cr_masks");
    TCase *t = tcase_create("masks");

    tcase_add_test(t, cr0_unrestricted_owns_ne_only);
    tcase_add_test(t, cr0_restricted_owns_pe_pg_ne);
    tcase_add_test(t, cr0_forbidden_bits_owned);
    tcase_add_test(t, guest_keeps_its_bits);
    tcase_add_test(t, cr4_mask_whole);
    tcase_add_test(t, cr4_cpu_limits_without_guest_limits);
    tcase_add_test(t, real_value_under_the_masks);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(cr_masks_suite());
    int failed;

    srunner_run_all(r, CK_NORMAL);
    failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
