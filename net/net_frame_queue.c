/*
 * net/net_frame_queue.c - received frames waiting for the network thread
 * (see net_frame_queue.h).
 */
#include "net/net_frame_queue.h"
#include "common/lib/kstring.h"

bool net_frame_queue_push(struct net_frame_queue *q, const u8 *frame, size_t len)
{
    if (q->count == NET_FRAME_QUEUE_SLOTS || len == 0 || len > NET_FRAME_QUEUE_BYTES) {
        q->dropped++;
        return false;
    }
    unsigned at = (q->head + q->count) % NET_FRAME_QUEUE_SLOTS;
    memcpy(q->frame[at], frame, len);
    q->len[at] = (u16)len;
    q->count++;
    return true;
}

bool net_frame_queue_pop(struct net_frame_queue *q, u8 *out, size_t *len)
{
    if (q->count == 0)
        return false;
    *len = q->len[q->head];
    memcpy(out, q->frame[q->head], *len);
    q->head = (q->head + 1) % NET_FRAME_QUEUE_SLOTS;
    q->count--;
    return true;
}
