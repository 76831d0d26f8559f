/*
 * Unit tests for net/net_request.c (echoctl's words and the network thread's queue).
 *
 * unit-sources: net/net_request.c net/ip_text.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "net/net_request.h"

static const char *parse(const char *text, struct net_request *r)
{
    static char buf[256];
    char *argv[16];
    int argc = 0;

    strcpy(buf, text);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
        argv[argc++] = w;
    return echoctl_parse(argc, argv, r);
}

START_TEST(test_echoctl_good)
{
    struct net_request r;

    ck_assert_ptr_null(parse("echoctl server start 7", &r));
    ck_assert_int_eq(r.kind, NET_REQ_SERVER_START);
    ck_assert_uint_eq(r.port, 7);
    ck_assert_ptr_null(parse("echoctl server stop", &r));
    ck_assert_int_eq(r.kind, NET_REQ_SERVER_STOP);
    ck_assert_ptr_null(parse("echoctl client connect 10.0.2.2 5555", &r));
    ck_assert_int_eq(r.kind, NET_REQ_CLIENT_CONNECT);
    ck_assert_uint_eq(r.ip, 0x0a000202u);
    ck_assert_uint_eq(r.port, 5555);
    ck_assert_ptr_null(parse("echoctl client send hello  from bookvisor", &r));
    ck_assert_int_eq(r.kind, NET_REQ_CLIENT_SEND);
    ck_assert_str_eq(r.text, "hello from bookvisor");
    ck_assert_ptr_null(parse("echoctl client close", &r));
    ck_assert_int_eq(r.kind, NET_REQ_CLIENT_CLOSE);
}
END_TEST

START_TEST(test_echoctl_bad)
{
    struct net_request r;
    char longer[200] = "echoctl client send ";

    ck_assert_ptr_nonnull(parse("echoctl", &r));
    ck_assert_ptr_nonnull(parse("echoctl server", &r));
    ck_assert_ptr_nonnull(parse("echoctl server start", &r));
    ck_assert_ptr_nonnull(parse("echoctl server start 0", &r));
    ck_assert_ptr_nonnull(parse("echoctl server start 65536", &r));
    ck_assert_ptr_nonnull(parse("echoctl server start 7x", &r));
    ck_assert_ptr_nonnull(parse("echoctl server stop now", &r));
    ck_assert_ptr_nonnull(parse("echoctl client connect 10.0.2 7", &r));
    ck_assert_ptr_nonnull(parse("echoctl client connect 10.0.2.2", &r));
    ck_assert_ptr_nonnull(parse("echoctl client send", &r));
    ck_assert_ptr_nonnull(parse("echoctl client open", &r));
    ck_assert_ptr_nonnull(parse("echoctl router start 7", &r));
    memset(longer + strlen(longer), 'x', 120);
    ck_assert_ptr_nonnull(parse(longer, &r));
}
END_TEST

START_TEST(test_queue_bounded_fifo)
{
    struct net_request_queue q;
    struct net_request r = { .kind = NET_REQ_SERVER_START }, got;

    memset(&q, 0, sizeof(q));
    ck_assert(!net_request_pop(&q, &got));
    ck_assert_ptr_null(net_request_peek(&q));
    for (unsigned round = 0; round < 3; round++) {
        for (u16 i = 0; i < NET_REQUEST_SLOTS; i++) {
            r.port = (u16)(100 * round + i);
            ck_assert(net_request_push(&q, &r));
        }
        ck_assert(!net_request_push(&q, &r));
        for (u16 i = 0; i < NET_REQUEST_SLOTS; i++) {
            ck_assert_uint_eq(net_request_peek(&q)->port, 100 * round + i);
            ck_assert(net_request_pop(&q, &got));
            ck_assert_uint_eq(got.port, 100 * round + i);
        }
        ck_assert(!net_request_pop(&q, &got));
        ck_assert(net_request_push(&q, &r)); /* move head off zero for the next round */
        ck_assert(net_request_pop(&q, &got));
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("net_request");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_echoctl_good);
    tcase_add_test(tc, test_echoctl_bad);
    tcase_add_test(tc, test_queue_bounded_fifo);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
