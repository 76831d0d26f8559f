/*
 * tests/unit/unit_main.h - the one way every unit test binary runs its suite.
 */
#ifndef BOOKVISOR_TESTS_UNIT_UNIT_MAIN_H
#define BOOKVISOR_TESTS_UNIT_UNIT_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Run every test of s; EXIT_FAILURE if any failed (tests/run-unit sums the checks). */
static inline int unit_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
