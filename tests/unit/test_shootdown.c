/*
 * Unit tests for common/lib/shootdown.c: the bookkeeping of a cross-processor
 * flush of the shared nested map (requests, acknowledgements, the NMI in
 * flight to a CPU).
 * unit-sources: common/lib/shootdown.c
 */
#include <check.h>
#include "common/lib/shootdown.h"
#include "tests/unit/unit_main.h"

START_TEST(no_map_nothing_asked)
{
    struct shootdown_target t = { 0 };
    ck_assert_uint_eq(shootdown_seen(&t), 0);
    ck_assert(shootdown_acked(&t, 0));
    ck_assert(!shootdown_acked(&t, 1));
}
END_TEST

START_TEST(a_request_waits_for_the_flush_that_saw_it)
{
    u64 requested = 0;
    struct shootdown_target a = { &requested, 0 }, b = { &requested, 0 };
    u64 g1 = shootdown_request(&requested);
    ck_assert_uint_eq(g1, 1);
    ck_assert(!shootdown_acked(&a, g1));
    /* a reads the counter, flushes, acknowledges what it read. */
    u64 seen = shootdown_seen(&a);
    shootdown_ack(&a, seen);
    ck_assert(shootdown_acked(&a, g1));
    ck_assert(!shootdown_acked(&b, g1));
    /* A second change: a must flush again; b's one flush answers both. */
    u64 g2 = shootdown_request(&requested);
    ck_assert_uint_eq(g2, 2);
    ck_assert(!shootdown_acked(&a, g2));
    shootdown_ack(&b, shootdown_seen(&b));
    ck_assert(shootdown_acked(&b, g1));
    ck_assert(shootdown_acked(&b, g2));
}
END_TEST

START_TEST(an_ack_never_goes_back)
{
    u64 requested = 5;
    struct shootdown_target t = { &requested, 0 };
    shootdown_ack(&t, 5);
    shootdown_ack(&t, 3); /* an older read, acknowledged late */
    ck_assert(shootdown_acked(&t, 5));
}
END_TEST

START_TEST(a_retired_target_never_holds_anyone_up)
{
    u64 requested = 0;
    struct shootdown_target t = { &requested, 0 };
    shootdown_retire(&t);
    for (int i = 0; i < 3; i++)
        ck_assert(shootdown_acked(&t, shootdown_request(&requested)));
    shootdown_ack(&t, shootdown_seen(&t)); /* and a late ack does not undo it */
    ck_assert(shootdown_acked(&t, ~0ULL));
}
END_TEST

START_TEST(one_nmi_in_flight_and_claimed_once)
{
    u32 in_flight = 0;
    /* Nothing armed: an NMI is the guest's. */
    ck_assert(!shootdown_nmi_claim(&in_flight));
    ck_assert(shootdown_nmi_arm(&in_flight));
    /* A second sender does not send: the two would merge into one NMI. */
    ck_assert(!shootdown_nmi_arm(&in_flight));
    ck_assert(shootdown_nmi_claim(&in_flight));
    /* The next NMI is the guest's again, and a sender may send another. */
    ck_assert(!shootdown_nmi_claim(&in_flight));
    ck_assert(shootdown_nmi_arm(&in_flight));
}
END_TEST

START_TEST(amd_v_exit_leaves_the_next_nmi_armed)
{
    u32 in_flight = 0, in_host = 0;
    /* Sent; the guest exits; at STGI the host's handler claims it and notes it. */
    ck_assert(shootdown_nmi_arm(&in_flight));
    ck_assert(shootdown_nmi_claim(&in_flight));
    in_host = 1;
    /* The waiting CPU sees the word clear and arms its next NMI before the exit is handled. */
    ck_assert(shootdown_nmi_arm(&in_flight));
    ck_assert(shootdown_nmi_exit_ours(&in_flight, &in_host, true));
    ck_assert_uint_eq(in_host, 0);
    /* The next NMI still finds its word when it lands (the exit's handler used to claim
     * it here, and that NMI then found the word clear: chapter 08). */
    ck_assert(shootdown_nmi_claim(&in_flight));
    /* An NMI exit with nothing taken by the host is the guest's, the word untouched. */
    ck_assert(shootdown_nmi_arm(&in_flight));
    ck_assert(!shootdown_nmi_exit_ours(&in_flight, &in_host, true));
    ck_assert(shootdown_nmi_claim(&in_flight));
}
END_TEST

START_TEST(vt_x_exit_claims_its_nmi)
{
    u32 in_flight = 0, in_host = 0;
    /* The exit consumed the NMI: its word is claimed, and the next may be sent. */
    ck_assert(shootdown_nmi_arm(&in_flight));
    ck_assert(shootdown_nmi_exit_ours(&in_flight, &in_host, false));
    ck_assert(!shootdown_nmi_claim(&in_flight));
    /* One the host took before is ours too; both words end clear. */
    in_host = 1;
    ck_assert(shootdown_nmi_exit_ours(&in_flight, &in_host, false));
    ck_assert_uint_eq(in_host, 0);
    ck_assert_uint_eq(in_flight, 0);
    /* Nothing armed, nothing taken: the guest's. */
    ck_assert(!shootdown_nmi_exit_ours(&in_flight, &in_host, false));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shootdown");
    TCase *t = tcase_create("bookkeeping");
    tcase_add_test(t, no_map_nothing_asked);
    tcase_add_test(t, a_request_waits_for_the_flush_that_saw_it);
    tcase_add_test(t, an_ack_never_goes_back);
    tcase_add_test(t, a_retired_target_never_holds_anyone_up);
    tcase_add_test(t, one_nmi_in_flight_and_claimed_once);
    tcase_add_test(t, amd_v_exit_leaves_the_next_nmi_armed);
    tcase_add_test(t, vt_x_exit_claims_its_nmi);
    suite_add_tcase(s, t);
    return unit_run_suite(s);
}
