/*
 * net/log_ring.c - log lines cut into datagram-sized chunks (see log_ring.h).
 */
#include "net/log_ring.h"

/* The line so far becomes a chunk in the ring (or a drop when it is full). */
static void commit(struct log_ring *r)
{
    if (!r->partial.len)
        return;
    if (r->count == LOG_RING_SLOTS)
        r->dropped++;
    else
        r->slot[(r->head + r->count++) % LOG_RING_SLOTS] = r->partial;
    r->partial.len = 0;
}

void log_ring_write(struct log_ring *r, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            commit(r);
        } else if (text[i] != '\r') {
            r->partial.text[r->partial.len++] = text[i];
            if (r->partial.len == LOG_RING_CHUNK)
                commit(r);
        }
    }
}

bool log_ring_take(struct log_ring *r, struct log_chunk *out)
{
    if (!r->count)
        return false;
    *out = r->slot[r->head];
    r->head = (r->head + 1) % LOG_RING_SLOTS;
    r->count--;
    return true;
}
