/*
 * Unit tests for net/net_frame_queue.c: frames come out in the order they
 * went in, whole; a full queue and a frame too long are refused and counted;
 * the ring wraps.
 *
 * unit-sources: net/net_frame_queue.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "net/net_frame_queue.h"

static struct net_frame_queue q;

START_TEST(test_fifo_whole_frames)
{
    u8 in[NET_FRAME_QUEUE_BYTES], out[NET_FRAME_QUEUE_BYTES];
    size_t len = 0;

    memset(&q, 0, sizeof(q));
    ck_assert(!net_frame_queue_pop(&q, out, &len));
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < NET_FRAME_QUEUE_SLOTS; i++) {
            memset(in, (int)(i + round), sizeof(in));
            ck_assert(net_frame_queue_push(&q, in, 60 + i));
        }
        ck_assert(!net_frame_queue_push(&q, in, 60)); /* full */
        for (unsigned i = 0; i < NET_FRAME_QUEUE_SLOTS; i++) {
            ck_assert(net_frame_queue_pop(&q, out, &len));
            ck_assert_uint_eq(len, 60 + i);
            ck_assert_uint_eq(out[0], (u8)(i + round));
            ck_assert_uint_eq(out[len - 1], (u8)(i + round));
        }
        ck_assert(!net_frame_queue_pop(&q, out, &len));
        /* Move head off a multiple of the size, so the next round wraps. */
        ck_assert(net_frame_queue_push(&q, in, 14));
        ck_assert(net_frame_queue_pop(&q, out, &len));
    }
    ck_assert_uint_eq(q.dropped, 3);
}
END_TEST

START_TEST(test_refuses_too_long_and_empty)
{
    static u8 big[NET_FRAME_QUEUE_BYTES + 1];
    u8 out[NET_FRAME_QUEUE_BYTES];
    size_t len;

    memset(&q, 0, sizeof(q));
    ck_assert(!net_frame_queue_push(&q, big, sizeof(big)));
    ck_assert(!net_frame_queue_push(&q, big, 0));
    ck_assert(net_frame_queue_push(&q, big, NET_FRAME_QUEUE_BYTES));
    ck_assert_uint_eq(q.dropped, 2);
    ck_assert(net_frame_queue_pop(&q, out, &len));
    ck_assert_uint_eq(len, NET_FRAME_QUEUE_BYTES);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("net_frame_queue");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_fifo_whole_frames);
    tcase_add_test(tc, test_refuses_too_long_and_empty);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
