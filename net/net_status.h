/**
 * @file net/net_status.h
 * @brief The status service's reply to one request line (pure; chapter 10, lab 11).
 *
 * The status service (net/lwip/bv_status.c, option ip.status_port) reads one
 * line from a TCP client, writes one reply line and closes. What the reply
 * says is decided here, apart from lwIP, so that it is tested on the host.
 */
#ifndef BOOKVISOR_NET_NET_STATUS_H
#define BOOKVISOR_NET_NET_STATUS_H

#include "common/lib/types.h"

/** What a status reply reports, gathered by the caller. */
struct net_status {
    const char *version; /**< bookvisor's version, e.g. "0.1" */
    u64 uptime_us;       /**< microseconds since bookvisor started */
    u64 frames_in;       /**< frames its NICs received, all NICs together */
    u64 frames_out;      /**< frames its NICs sent, all NICs together */
};

/**
 * The reply to one request (the contract is labs/lab11/README.md's).
 *
 * The request is the bytes of @p req before its first '\\n' (all @p len bytes
 * when there is none), less one '\\r' just before that end. It is compared
 * whole and exactly, byte for byte (it is not a C string: it may hold NULs):
 * - "status" gets `bookvisor <version> up <s> s frames in <in> out <out>\\n`,
 *   with s the whole seconds of uptime (rounded down);
 * - "version" gets `bookvisor <version>\\n`;
 * - anything else, the empty request included, gets `error: unknown request\\n`
 *   (the request itself is never repeated to the peer).
 *
 * @param req  the request's bytes (need not be NUL-terminated)
 * @param len  how many bytes @p req holds
 * @param s    the figures a status line reports
 * @param out  where the reply goes, NUL-terminated
 * @param size the size of @p out in bytes
 * @return the reply's length without the NUL; 0 (and out[0] = '\\0' when
 *         @p size > 0) when the whole reply and its NUL do not fit: a peer
 *         never gets half a line
 */
u32 net_status_reply(const char *req, u32 len, const struct net_status *s, char *out, u32 size);

#endif
