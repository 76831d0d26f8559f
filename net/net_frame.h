/**
 * @file net/net_frame.h
 * @brief Ethernet frames as the network API sees them: checked, and sorted
 *        between bookvisor's own stack and the guest (pure; chapter 09).
 *
 * Every frame that crosses the network API is checked once, on its way in,
 * by net_frame_parse(): at least an Ethernet header, at most a jumbo frame,
 * and for ARP and IPv4 the headers the classifier reads must be whole. A
 * frame that fails is dropped and counted; nothing after the check reads
 * beyond what it proved is there. net_frame_classify() decides, for a NIC
 * shared by the guest and bookvisor (the `ippass` module), who gets a
 * received frame: bookvisor's stack (its MAC, or ARP and IPv4 for its
 * address), the guest (everything else), or both (broadcasts and
 * multicasts).
 */
#ifndef BOOKVISOR_NET_NET_FRAME_H
#define BOOKVISOR_NET_NET_FRAME_H

#include "common/lib/types.h"

/** Bytes of an Ethernet header (destination, source, type). */
#define NET_ETH_HEADER 14
/** Shortest frame the API accepts (a header; the NIC strips padding rules). */
#define NET_FRAME_MIN NET_ETH_HEADER
/** Longest frame the API accepts: a 9000-byte jumbo payload, header and VLAN tag. */
#define NET_FRAME_MAX 9018
/** EtherType of IPv4. */
#define NET_ETHERTYPE_IPV4 0x0800
/** EtherType of ARP. */
#define NET_ETHERTYPE_ARP 0x0806
/** EtherType of an 802.1Q VLAN tag. */
#define NET_ETHERTYPE_VLAN 0x8100

/** What a frame is, as far as the API needs to know. */
struct net_frame_info {
    const u8 *dst;      /**< destination MAC (6 bytes in the frame) */
    const u8 *src;      /**< source MAC */
    u16 ethertype;      /**< after a VLAN tag, if any */
    size_t l3_offset;   /**< where the payload starts */
    bool broadcast;     /**< destination ff:ff:ff:ff:ff:ff */
    bool multicast;     /**< destination's group bit set (broadcast included) */
    bool has_ipv4_dst;  /**< ipv4_dst is valid: an IPv4 header or an ARP request/reply for IPv4 */
    u32 ipv4_dst;       /**< IPv4 destination (IPv4) or target protocol address (ARP), network order as a number */
    u8 ipv4_protocol;   /**< IPv4's protocol field (NET_IP_PROTO_UDP...); 0 for other frames */
};
/** IPv4 protocol number of UDP. */
#define NET_IP_PROTO_UDP 17

/** Why a frame was refused. */
enum net_frame_error {
    NET_FRAME_OK = 0,
    NET_FRAME_TOO_SHORT,   /**< shorter than an Ethernet header (or its VLAN tag) */
    NET_FRAME_TOO_LONG,    /**< longer than NET_FRAME_MAX */
    NET_FRAME_BAD_IPV4,    /**< IPv4 with a header shorter than 20 bytes, not version 4, or cut off */
    NET_FRAME_BAD_ARP,     /**< ARP cut off, or its lengths are not Ethernet/IPv4 */
};

/**
 * Check a frame and describe it.
 * @return NET_FRAME_OK and *out filled, or why the frame must be dropped
 */
enum net_frame_error net_frame_parse(const u8 *frame, size_t len, struct net_frame_info *out);

/** A short name for an error, for counters and logs. */
const char *net_frame_error_name(enum net_frame_error e);

/** Who gets a frame received on a shared NIC. */
enum net_frame_to {
    NET_TO_GUEST = 1, /**< only the guest */
    NET_TO_STACK = 2, /**< only bookvisor's stack */
    NET_TO_BOTH = 3,  /**< both (broadcast, multicast) */
};

/**
 * Sort a checked frame for a NIC that bookvisor's stack shares with the
 * guest: to the stack when it is addressed to stack_mac, or is ARP or IPv4
 * for stack_ip (when stack_ip is not 0) and not a broadcast; to both when
 * it is a broadcast or multicast; to the guest otherwise.
 */
enum net_frame_to net_frame_classify(const struct net_frame_info *f, const u8 stack_mac[6],
                                     u32 stack_ip);

/**
 * The MAC bookvisor's stack uses on a NIC it shares with the guest
 * (`ippass`), derived from the NIC's own: the locally administered bit set,
 * the group bit clear, and the lowest bit of the last byte flipped, so that
 * it differs from the NIC's even when that is locally administered already
 * (QEMU's 52:54:00:12:34:56 gives 52:54:00:12:34:57).
 */
void net_stack_mac(const u8 nic_mac[6], u8 out[6]);

#endif
