/**
 * @file net/net_filter.h
 * @brief The `filter` module's core: frames counted by direction and kind,
 *        and the rule that drops the ones bookvisor's stack must not see or
 *        send (pure; chapter 09, lab 10).
 *
 * The `filter` module hides the NIC from the guest like `ip` and stands
 * between the NIC and bookvisor's stack. Every checked frame that crosses it
 * is judged by net_filter_judge(): counted by its direction and its kind
 * (IPv4, ARP, anything else), then passed on or dropped. The rule is the
 * stack's own view of what it can use: untagged IPv4 and ARP, unicast to
 * the NIC or broadcast, and never a frame that claims to come from the NIC
 * itself on the way in, nor one that claims another sender on the way out.
 */
#ifndef BOOKVISOR_NET_NET_FILTER_H
#define BOOKVISOR_NET_NET_FILTER_H

#include "common/lib/types.h"
#include "net/net_frame.h"

/** Which way a frame crosses the filter. */
enum net_filter_dir {
    NET_FILTER_IN = 0,  /**< received by the NIC, on its way to the stack */
    NET_FILTER_OUT = 1, /**< sent by the stack, on its way to the NIC */
    NET_FILTER_DIRS = 2 /**< how many directions */
};

/** What a frame carries, by its EtherType (after a VLAN tag, if any). */
enum net_filter_kind {
    NET_FILTER_IPV4 = 0,  /**< EtherType 0x0800 */
    NET_FILTER_ARP = 1,   /**< EtherType 0x0806 */
    NET_FILTER_OTHER = 2, /**< any other EtherType */
    NET_FILTER_KINDS = 3  /**< how many kinds */
};

/** What the filter decided. */
enum net_filter_verdict {
    NET_FILTER_PASS = 0, /**< hand the frame on */
    NET_FILTER_DROP = 1, /**< drop it (counted in dropped) */
};

/** The filter's counters for one NIC (zero at start). */
struct net_filter_counts {
    u64 frames[NET_FILTER_DIRS][NET_FILTER_KINDS]; /**< every frame judged, by direction and kind */
    u64 dropped[NET_FILTER_DIRS];                  /**< frames dropped, by direction */
};

/** The kind of a checked frame. */
enum net_filter_kind net_filter_kind_of(const struct net_frame_info *f);

/**
 * Judge one checked frame (f from net_frame_parse()) that crosses the filter
 * in direction dir on the NIC whose MAC is nic_mac, and count it in c.
 *
 * Every frame is counted once in c->frames[dir][kind], whatever the verdict.
 * A frame is dropped (and counted once in c->dropped[dir]) when any of these
 * holds, and passed otherwise:
 * - its kind is NET_FILTER_OTHER (the stack speaks IPv4 and ARP only);
 * - it carries a VLAN tag (the stack uses no VLANs);
 * - in: its source MAC is nic_mac (the NIC's own frame come back: a loop);
 * - in: its destination is a multicast group, not the broadcast address (the
 *   stack joins no group);
 * - out: its source MAC is not nic_mac (the stack never sends as another).
 */
enum net_filter_verdict net_filter_judge(struct net_filter_counts *c, enum net_filter_dir dir,
                                         const struct net_frame_info *f, const u8 nic_mac[6]);

/**
 * The counters as one line, e.g.
 * `in ipv4=5 arp=1 other=0 dropped=0; out ipv4=4 arp=2 other=0 dropped=0`.
 * @return the length written (cut to fit size, always terminated)
 */
size_t net_filter_format(const struct net_filter_counts *c, char *buf, size_t size);

#endif
