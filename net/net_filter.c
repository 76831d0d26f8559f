/*
 * net/net_filter.c - the `filter` module's core: count every frame by
 * direction and kind, drop what bookvisor's stack cannot use (chapter 09,
 * lab 10).
 */
#include "net/net_filter.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

enum net_filter_kind net_filter_kind_of(const struct net_frame_info *f)
{
    if (f->ethertype == NET_ETHERTYPE_IPV4)
        return NET_FILTER_IPV4;
    if (f->ethertype == NET_ETHERTYPE_ARP)
        return NET_FILTER_ARP;
    return NET_FILTER_OTHER;
}

static bool same_mac(const u8 *a, const u8 *b)
{
    return KSTR(memcmp)(a, b, 6) == 0;
}

enum net_filter_verdict net_filter_judge(struct net_filter_counts *c, enum net_filter_dir dir,
                                         const struct net_frame_info *f, const u8 nic_mac[6])
{
    /* LAB 10 BEGIN: count the frame by direction and kind, then apply the drop rule */
    enum net_filter_kind kind = net_filter_kind_of(f);
    bool drop;

    /* Counted before the verdict: the counters say what arrived, not what survived. */
    c->frames[dir][kind]++;
    /* A VLAN tag pushes the payload past the plain header; lwIP would misread it. */
    drop = kind == NET_FILTER_OTHER || f->l3_offset != NET_ETH_HEADER;
    if (dir == NET_FILTER_IN)
        /* Broadcast carries ARP and DHCP, which the stack needs; other groups it never joined. */
        drop = drop || same_mac(f->src, nic_mac) || (f->multicast && !f->broadcast);
    else
        drop = drop || !same_mac(f->src, nic_mac);
    if (!drop)
        return NET_FILTER_PASS;
    c->dropped[dir]++;
    return NET_FILTER_DROP;
    /* LAB 10 END */
}

size_t net_filter_format(const struct net_filter_counts *c, char *buf, size_t size)
{
    static const char *const dir_names[NET_FILTER_DIRS] = { "in", "out" };
    size_t pos = 0;

    if (size)
        buf[0] = '\0';
    for (unsigned d = 0; d < NET_FILTER_DIRS; d++)
        ksnappendf(buf, size, &pos, "%s%s ipv4=%llu arp=%llu other=%llu dropped=%llu",
                   d ? "; " : "", dir_names[d], (unsigned long long)c->frames[d][NET_FILTER_IPV4],
                   (unsigned long long)c->frames[d][NET_FILTER_ARP],
                   (unsigned long long)c->frames[d][NET_FILTER_OTHER],
                   (unsigned long long)c->dropped[d]);
    return pos < size ? pos : (size ? size - 1 : 0);
}
