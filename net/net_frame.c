/*
 * net/net_frame.c - checking and sorting Ethernet frames (chapter 09).
 * Facts from IEEE 802.3 (header), 802.1Q (the tag), RFC 791 (IPv4) and
 * RFC 826 (ARP).
 */
#include "net/net_frame.h"

#define IPV4_MIN_HEADER 20
#define ARP_IPV4_LENGTH 28 /* Ethernet/IPv4 ARP: 8 bytes of header, 2 x (6 + 4) addresses */
#define ARP_TARGET_IP 24   /* offset of the target protocol address */

static u16 be16(const u8 *p)
{
    return (u16)(p[0] << 8 | p[1]);
}

static u32 be32(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

enum net_frame_error net_frame_parse(const u8 *frame, size_t len, struct net_frame_info *out)
{
    if (len < NET_FRAME_MIN)
        return NET_FRAME_TOO_SHORT;
    if (len > NET_FRAME_MAX)
        return NET_FRAME_TOO_LONG;
    *out = (struct net_frame_info){ 0 };
    out->dst = frame;
    out->src = frame + 6;
    out->ethertype = be16(frame + 12);
    out->l3_offset = NET_ETH_HEADER;
    if (out->ethertype == NET_ETHERTYPE_VLAN) {
        if (len < NET_ETH_HEADER + 4)
            return NET_FRAME_TOO_SHORT;
        out->ethertype = be16(frame + 16);
        out->l3_offset = NET_ETH_HEADER + 4;
    }
    out->multicast = frame[0] & 1;
    out->broadcast = true;
    for (int i = 0; i < 6; i++)
        if (frame[i] != 0xFF)
            out->broadcast = false;

    const u8 *l3 = frame + out->l3_offset;
    size_t l3_len = len - out->l3_offset;
    if (out->ethertype == NET_ETHERTYPE_IPV4) {
        if (l3_len < IPV4_MIN_HEADER || (l3[0] >> 4) != 4)
            return NET_FRAME_BAD_IPV4;
        size_t ihl = (size_t)(l3[0] & 0xF) * 4;
        if (ihl < IPV4_MIN_HEADER || ihl > l3_len)
            return NET_FRAME_BAD_IPV4;
        out->has_ipv4_dst = true;
        out->ipv4_dst = be32(l3 + 16);
        out->ipv4_protocol = l3[9];
    } else if (out->ethertype == NET_ETHERTYPE_ARP) {
        /* Hardware type 1 (Ethernet), protocol IPv4, lengths 6 and 4. */
        if (l3_len < ARP_IPV4_LENGTH)
            return NET_FRAME_BAD_ARP;
        if (be16(l3) != 1 || be16(l3 + 2) != NET_ETHERTYPE_IPV4 || l3[4] != 6 || l3[5] != 4)
            return NET_FRAME_BAD_ARP;
        out->has_ipv4_dst = true;
        out->ipv4_dst = be32(l3 + ARP_TARGET_IP);
    }
    return NET_FRAME_OK;
}

const char *net_frame_error_name(enum net_frame_error e)
{
    switch (e) {
    case NET_FRAME_OK: return "ok";
    case NET_FRAME_TOO_SHORT: return "too short";
    case NET_FRAME_TOO_LONG: return "too long";
    case NET_FRAME_BAD_IPV4: return "bad IPv4 header";
    case NET_FRAME_BAD_ARP: return "bad ARP";
    }
    return "unknown";
}

enum net_frame_to net_frame_classify(const struct net_frame_info *f, const u8 stack_mac[6],
                                     u32 stack_ip)
{
    if (f->multicast)
        return NET_TO_BOTH;
    bool to_stack_mac = true;
    for (int i = 0; i < 6; i++)
        if (f->dst[i] != stack_mac[i])
            to_stack_mac = false;
    if (to_stack_mac)
        return NET_TO_STACK;
    if (stack_ip && f->has_ipv4_dst && f->ipv4_dst == stack_ip)
        return NET_TO_STACK;
    return NET_TO_GUEST;
}

void net_stack_mac(const u8 nic_mac[6], u8 out[6])
{
    for (int i = 0; i < 6; i++)
        out[i] = nic_mac[i];
    /* IEEE 802: bit 1 of the first byte says "locally administered", bit 0 "group". */
    out[0] = (u8)((out[0] | 0x02) & ~0x01);
    out[5] ^= 0x01;
}
