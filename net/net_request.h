/**
 * @file net/net_request.h
 * @brief Requests for the network thread (`echoctl`), and the bounded queue that carries them (chapter 10).
 *
 * lwIP runs in NO_SYS mode and is not thread-safe, so only the network
 * thread calls it; other threads (the debug shell) post a request here and
 * the network thread carries it out on its next round. Pure code:
 * host-tested in tests/unit/test_net_request.c.
 */
#ifndef BOOKVISOR_NET_NET_REQUEST_H
#define BOOKVISOR_NET_NET_REQUEST_H

#include "common/lib/types.h"

/** Bytes of text one `echoctl client send` carries, NUL included. */
#define NET_REQUEST_TEXT 96
/** Requests the queue holds before it refuses more. */
#define NET_REQUEST_SLOTS 8

/** What the network thread is asked to do. */
enum net_request_kind {
    NET_REQ_SERVER_START,   /**< start the TCP echo server on port */
    NET_REQ_SERVER_STOP,    /**< stop it */
    NET_REQ_CLIENT_CONNECT, /**< connect the echo client to ip:port */
    NET_REQ_CLIENT_SEND,    /**< send text (and a newline) on the client's connection */
    NET_REQ_CLIENT_CLOSE,   /**< close the client's connection */
};

/** One request. */
struct net_request {
    enum net_request_kind kind; /**< what */
    u32 ip;                     /**< NET_REQ_CLIENT_CONNECT: a.b.c.d as (a << 24) | ... */
    u16 port;                   /**< NET_REQ_SERVER_START, NET_REQ_CLIENT_CONNECT */
    char text[NET_REQUEST_TEXT]; /**< NET_REQ_CLIENT_SEND */
};

/** A bounded ring of requests (one writer and one reader at a time). */
struct net_request_queue {
    struct net_request slot[NET_REQUEST_SLOTS]; /**< the ring */
    unsigned head;                              /**< next to take */
    unsigned count;                             /**< how many wait */
};

/**
 * Turn `echoctl` words into a request: `server start <port>`, `server stop`,
 * `client connect <a.b.c.d> <port>`, `client send <text...>` (the words joined
 * by blanks), `client close`.
 * @param argc  the number of words, argv[0] being "echoctl"
 * @param argv  the words
 * @param out   receives the request
 * @return NULL, or what was wrong (for a usage line)
 */
const char *echoctl_parse(int argc, char **argv, struct net_request *out);

/** Queue a copy of r. @return false when the queue is full (r is dropped). */
bool net_request_push(struct net_request_queue *q, const struct net_request *r);

/** The oldest request, left in the queue; NULL when none waits. */
const struct net_request *net_request_peek(const struct net_request_queue *q);

/** Take the oldest request into *out. @return false when none waits. */
bool net_request_pop(struct net_request_queue *q, struct net_request *out);

#endif
