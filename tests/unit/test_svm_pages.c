/*
 * Unit tests for arch/svm/svm_pages.c.
 * unit-sources: arch/svm/svm_pages.c
 */
#include <check.h>
#include <string.h>
#include "arch/svm/svm_pages.h"
#include "tests/unit/unit_main.h"

/* Two processors and two vCPUs, as Linux on two processors has them. */
static struct svm_page two_cpus[] = {
    { 0x3f000000, SVM_PAGE_HOST_SAVE, 0 }, { 0x3f001000, SVM_PAGE_HOST_VMCB, 0 },
    { 0x3f002000, SVM_PAGE_HOST_SAVE, 1 }, { 0x3f003000, SVM_PAGE_HOST_VMCB, 1 },
    { 0x3f004000, SVM_PAGE_VMCB, 0 },      { 0x3f009000, SVM_PAGE_VMCB, 1 },
};

START_TEST(distinct_pages_pass)
{
    size_t a = 99, b = 99;
    ck_assert(svm_pages_distinct(two_cpus, 6, &a, &b));
    ck_assert(svm_pages_distinct(two_cpus, 0, &a, &b));
}
END_TEST

START_TEST(vmcb_that_is_another_cpus_host_save_area)
{
    struct svm_page p[6];
    memcpy(p, two_cpus, sizeof(p));
    p[5].pa = p[2].pa; /* vCPU 1's VMCB = CPU 1's host save area */
    size_t a = 99, b = 99;
    ck_assert(!svm_pages_distinct(p, 6, &a, &b));
    ck_assert_uint_eq(a, 2);
    ck_assert_uint_eq(b, 5);
    ck_assert_str_eq(svm_page_kind_name(p[a].kind), "host save area");
    ck_assert_str_eq(svm_page_kind_name(p[b].kind), "VMCB");
}
END_TEST

START_TEST(shared_host_save_area)
{
    struct svm_page p[6];
    memcpy(p, two_cpus, sizeof(p));
    p[2].pa = p[0].pa; /* both processors save into one page */
    size_t a = 99, b = 99;
    ck_assert(!svm_pages_distinct(p, 6, &a, &b));
    ck_assert_uint_eq(a, 0);
    ck_assert_uint_eq(b, 2);
}
END_TEST

START_TEST(missing_or_unaligned_page)
{
    struct svm_page p[6];
    memcpy(p, two_cpus, sizeof(p));
    p[3].pa = 0; /* never set: VMSAVE would write physical page 0 */
    size_t a = 99, b = 99;
    ck_assert(!svm_pages_distinct(p, 6, &a, &b));
    ck_assert_uint_eq(a, 3);
    ck_assert_uint_eq(b, 3);
    memcpy(p, two_cpus, sizeof(p));
    p[4].pa += 8;
    ck_assert(!svm_pages_distinct(p, 6, &a, &b));
    ck_assert_uint_eq(a, 4);
    ck_assert_uint_eq(b, 4);
}
END_TEST

START_TEST(kind_names)
{
    ck_assert_str_eq(svm_page_kind_name(SVM_PAGE_HOST_VMCB), "host VMCB");
    ck_assert_str_eq(svm_page_kind_name((enum svm_page_kind)7), "page");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("svm_pages");
    TCase *tc = tcase_create("distinct");
    tcase_add_test(tc, distinct_pages_pass);
    tcase_add_test(tc, vmcb_that_is_another_cpus_host_save_area);
    tcase_add_test(tc, shared_host_save_area);
    tcase_add_test(tc, missing_or_unaligned_page);
    tcase_add_test(tc, kind_names);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
