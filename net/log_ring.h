/**
 * @file net/log_ring.h
 * @brief Log lines waiting to go out as syslog datagrams: a bounded ring of chunks (chapter 10).
 *
 * bookvisor's log arrives in pieces (kprintf() writes a line in several
 * parts); the ring puts them together into lines and cuts a line longer
 * than LOG_RING_CHUNK bytes into several chunks, each to be sent as one
 * datagram. When the ring is full a new chunk is dropped and counted: the
 * log must never wait for the network. Pure code (the caller locks);
 * host-tested in tests/unit/test_log_ring.c.
 */
#ifndef BOOKVISOR_NET_LOG_RING_H
#define BOOKVISOR_NET_LOG_RING_H

#include "common/lib/types.h"

/** Most bytes of a line one chunk (one datagram) carries. */
#define LOG_RING_CHUNK 80
/** Chunks the ring holds. */
#define LOG_RING_SLOTS 64

/** One chunk: a whole line or an 80-byte part of one, without its newline. */
struct log_chunk {
    u8 len;                     /**< bytes in text */
    char text[LOG_RING_CHUNK];  /**< not NUL-terminated */
};

/** The ring, and the line being put together. Zero it to start. */
struct log_ring {
    struct log_chunk slot[LOG_RING_SLOTS]; /**< the chunks waiting */
    unsigned head;                         /**< the oldest */
    unsigned count;                        /**< how many wait */
    struct log_chunk partial;              /**< the line so far (not yet in the ring) */
    u64 dropped;                           /**< chunks that found the ring full */
};

/**
 * Add log text: each newline ends a line, and every LOG_RING_CHUNK bytes
 * without one end a chunk. Carriage returns are left out.
 */
void log_ring_write(struct log_ring *r, const char *text, size_t len);

/** Take the oldest chunk into *out. @return false when none waits. */
bool log_ring_take(struct log_ring *r, struct log_chunk *out);

#endif
