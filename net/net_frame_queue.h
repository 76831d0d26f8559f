/**
 * @file net/net_frame_queue.h
 * @brief A bounded queue of received frames for bookvisor's stack on a NIC
 *        it shares with the guest (pure; chapter 09).
 *
 * Under `ippass` the guest's exits poll the NIC too (its ICR reads, so that
 * its own frames reach it at once), on any processor, and a frame for
 * bookvisor's stack may turn up there. lwIP is called from the network
 * thread only (chapter 10), so such a frame is copied into this queue and
 * the network thread hands it to lwIP on its next round. Who pushes and who
 * pops is the caller's business (net/net_vmm.c holds a lock around both).
 * Host-tested in tests/unit/test_net_frame_queue.c.
 */
#ifndef BOOKVISOR_NET_NET_FRAME_QUEUE_H
#define BOOKVISOR_NET_NET_FRAME_QUEUE_H

#include "common/lib/types.h"

/** Frames the queue holds before it drops more. */
#define NET_FRAME_QUEUE_SLOTS 16
/** Longest frame it takes: the stack's MTU of 1500 bytes, an Ethernet header and a VLAN tag. */
#define NET_FRAME_QUEUE_BYTES 1518

/** The queue: a ring of fixed slots. */
struct net_frame_queue {
    u8 frame[NET_FRAME_QUEUE_SLOTS][NET_FRAME_QUEUE_BYTES]; /**< the frames' bytes */
    u16 len[NET_FRAME_QUEUE_SLOTS];                         /**< each one's length */
    unsigned head;                                          /**< the oldest */
    unsigned count;                                         /**< how many wait */
    u64 dropped;                                            /**< frames refused: full, or too long */
};

/** Queue a copy of len bytes; false (and counted in dropped) when full or too long. */
bool net_frame_queue_push(struct net_frame_queue *q, const u8 *frame, size_t len);

/**
 * Take the oldest frame: copied into out (NET_FRAME_QUEUE_BYTES bytes), its
 * length in *len. @return false when none waits.
 */
bool net_frame_queue_pop(struct net_frame_queue *q, u8 *out, size_t *len);

#endif
