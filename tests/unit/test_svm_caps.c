/*
 * Unit tests for arch/svm/svm_caps.c.
 * unit-sources: arch/svm/svm_caps.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "arch/svm/svm_caps.h"
#include "tests/unit/unit_main.h"

START_TEST(no_svm_bit)
{
    u32 a[4] = { 1, 16, 0, 0xFFFFFFFF };
    struct svm_caps c;
    svm_caps_decode(0, a, 0, &c);
    ck_assert(!c.svm);
    ck_assert(!c.npt);
    ck_assert_uint_eq(c.nasid, 0);
}
END_TEST

START_TEST(qemu_tcg_like)
{
    /* QEMU TCG EPYC,+svm,+npt: NPT but no next-RIP save. */
    u32 a[4] = { 1, 16, 0, 1 };
    struct svm_caps c;
    char buf[64];
    svm_caps_decode(1u << 2, a, 0, &c);
    ck_assert(c.svm && c.npt && !c.nrip_save && !c.decode_assists);
    ck_assert_uint_eq(c.nasid, 16);
    ck_assert_uint_eq(c.revision, 1);
    svm_caps_features(&c, buf, sizeof(buf));
    ck_assert_str_eq(buf, "npt asid=16");
}
END_TEST

START_TEST(bochs_ryzen_like)
{
    u32 a[4] = { 1, 64, 0, (1u << 0) | (1u << 3) | (1u << 5) | (1u << 7) };
    struct svm_caps c;
    char buf[64];
    svm_caps_decode(1u << 2, a, 1u << 4, &c);
    ck_assert(c.npt && c.nrip_save && c.decode_assists && c.vmcb_clean);
    ck_assert(c.disabled_by_bios);
    svm_caps_features(&c, buf, sizeof(buf));
    ck_assert_str_eq(buf, "npt nrips decode clean asid=64");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("svm_caps");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, no_svm_bit);
    tcase_add_test(tc, qemu_tcg_like);
    tcase_add_test(tc, bochs_ryzen_like);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
