/*
 * net/net_request.c - echoctl's words as requests, and their queue (see net_request.h).
 */
#include "net/net_request.h"
#include "common/lib/kstring.h"
#include "net/ip_text.h"

static bool parse_port(const char *text, u16 *port)
{
    u32 v = 0;

    if (!*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return false;
        v = v * 10 + (u32)(*text - '0');
        if (v > 0xffff)
            return false;
    }
    if (!v)
        return false;
    *port = (u16)v;
    return true;
}

static const char *parse_server(int argc, char **argv, struct net_request *out)
{
    if (KSTR(strcmp)(argv[2], "start") == 0) {
        if (argc != 4 || !parse_port(argv[3], &out->port))
            return "server start takes a TCP port, 1-65535";
        out->kind = NET_REQ_SERVER_START;
        return NULL;
    }
    if (KSTR(strcmp)(argv[2], "stop") == 0 && argc == 3) {
        out->kind = NET_REQ_SERVER_STOP;
        return NULL;
    }
    return "server takes start <port> or stop";
}

static const char *parse_client(int argc, char **argv, struct net_request *out)
{
    if (KSTR(strcmp)(argv[2], "connect") == 0) {
        if (argc != 5 || !ip_text_parse(argv[3], &out->ip) || !parse_port(argv[4], &out->port))
            return "client connect takes an IPv4 address and a TCP port";
        out->kind = NET_REQ_CLIENT_CONNECT;
        return NULL;
    }
    if (KSTR(strcmp)(argv[2], "send") == 0) {
        size_t len = 0;

        if (argc < 4)
            return "client send takes some text";
        for (int i = 3; i < argc; i++) {
            size_t n = KSTR(strlen)(argv[i]);
            if (len + n + (i > 3) >= sizeof(out->text))
                return "client send: text too long";
            if (i > 3)
                out->text[len++] = ' ';
            KSTR(memcpy)(out->text + len, argv[i], n);
            len += n;
        }
        out->text[len] = '\0';
        out->kind = NET_REQ_CLIENT_SEND;
        return NULL;
    }
    if (KSTR(strcmp)(argv[2], "close") == 0 && argc == 3) {
        out->kind = NET_REQ_CLIENT_CLOSE;
        return NULL;
    }
    return "client takes connect <ip> <port>, send <text> or close";
}

const char *echoctl_parse(int argc, char **argv, struct net_request *out)
{
    KSTR(memset)(out, 0, sizeof(*out));
    if (argc < 3)
        return "echoctl takes server ... or client ...";
    if (KSTR(strcmp)(argv[1], "server") == 0)
        return parse_server(argc, argv, out);
    if (KSTR(strcmp)(argv[1], "client") == 0)
        return parse_client(argc, argv, out);
    return "echoctl takes server ... or client ...";
}

bool net_request_push(struct net_request_queue *q, const struct net_request *r)
{
    if (q->count == NET_REQUEST_SLOTS)
        return false;
    q->slot[(q->head + q->count) % NET_REQUEST_SLOTS] = *r;
    q->count++;
    return true;
}

const struct net_request *net_request_peek(const struct net_request_queue *q)
{
    return q->count ? &q->slot[q->head] : NULL;
}

bool net_request_pop(struct net_request_queue *q, struct net_request *out)
{
    if (!q->count)
        return false;
    *out = q->slot[q->head];
    q->head = (q->head + 1) % NET_REQUEST_SLOTS;
    q->count--;
    return true;
}
