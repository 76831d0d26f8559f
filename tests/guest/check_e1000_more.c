/**
 * @file tests/guest/check_e1000_more.c
 * @brief e1000-split and e1000-burst: what the guest's 82540EM driver sees
 *        of frames longer than a receive buffer and of a transmit burst
 *        longer than bookvisor's own ring, under `net=pass` (chapter 09).
 *
 * - e1000-split (by name): the receive buffers are 256 bytes (RCTL.BSIZE)
 *   and the CRC is kept (SECRC clear). The guest asks the user network's
 *   DHCP server for an offer, whose 590-byte frame (594 with its CRC) the
 *   device spreads over three descriptors: 256, 256 and the rest, EOP only
 *   on the last. The offer must arrive so, with the guest's own xid.
 * - e1000-burst (by name): 48 ARP requests queued with one TDT write in a
 *   ring of 64, more than bookvisor's ring of 32 holds; only the last asks
 *   for its status (RS). TDH must reach 48, DD must come back in the last
 *   descriptor and in no other (the device writes DD only where RS asks),
 *   and ICR must show TXDW. That every frame reached the wire is for the
 *   test to see in bookvisor's counters (net-pass-more).
 */
#include "check.h"
#include "e1000_drv.h"
#include "gstring.h"

#define WAIT_MS 5000
#define RESEND_MS 500
#define SPLIT_BUF 256
#define DHCP_IP_BYTES 576 /* an IP datagram of the size BOOTP servers expect at least */
#define DHCP_FRAME (14 + DHCP_IP_BYTES)
#define DHCP_XID 0x42564431u /* "BVD1" */
#define BURST 48
#define BURST_RING 64

static struct e1000_txd burst_ring[BURST_RING] __attribute__((aligned(128)));
static u8 offer[E1000_BUF];

static void put16(u8 *p, u16 v)
{
    p[0] = (u8)(v >> 8);
    p[1] = (u8)v;
}

static u16 get16(const u8 *p)
{
    return (u16)(p[0] << 8 | p[1]);
}

/* The IPv4 header's checksum: ones' complement of the ones'-complement sum of its words. */
static u16 ip_checksum(const u8 *h, u32 len)
{
    u32 sum = 0;

    for (u32 i = 0; i + 1 < len; i += 2)
        sum += get16(h + i);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (u16)~sum;
}

/* A DHCPDISCOVER from the NIC's MAC, broadcast, in e1000_tx_buf (DHCP_FRAME bytes). */
static void dhcp_discover(const struct e1000_nic *n)
{
    u8 *f = e1000_tx_buf, *ip = f + 14, *udp = ip + 20, *boot = udp + 8;

    memset(f, 0, DHCP_FRAME);
    memset(f, 0xFF, 6);
    memcpy(f + 6, n->mac, 6);
    put16(f + 12, 0x0800);
    ip[0] = 0x45;
    put16(ip + 2, DHCP_IP_BYTES);
    ip[8] = 64;
    ip[9] = 17; /* UDP */
    memset(ip + 16, 0xFF, 4);
    put16(ip + 10, ip_checksum(ip, 20));
    put16(udp, 68);
    put16(udp + 2, 67);
    put16(udp + 4, DHCP_IP_BYTES - 20); /* its checksum 0: none */
    boot[0] = 1; /* BOOTREQUEST, Ethernet, 6-byte addresses */
    boot[1] = 1;
    boot[2] = 6;
    boot[4] = (u8)(DHCP_XID >> 24);
    boot[5] = (u8)(DHCP_XID >> 16);
    boot[6] = (u8)(DHCP_XID >> 8);
    boot[7] = (u8)DHCP_XID;
    boot[10] = 0x80; /* answer by broadcast */
    memcpy(boot + 28, n->mac, 6);
    static const u8 options[] = { 99, 130, 83, 99, 53, 1, 1, 255 }; /* cookie, DISCOVER, end */
    memcpy(boot + 236, options, sizeof(options));
}

static bool is_offer(const u8 *f, u32 len)
{
    const u8 *ip = f + 14, *udp = ip + 20, *boot = udp + 8;

    return len >= 14 + 20 + 8 + 240 && get16(f + 12) == 0x0800 && ip[9] == 17 &&
           get16(udp) == 67 && get16(udp + 2) == 68 && boot[0] == 2 &&
           (u32)(boot[4] << 24 | boot[5] << 16 | boot[6] << 8 | boot[7]) == DHCP_XID;
}

/* What one frame taken from the receive ring looked like. */
struct taken {
    u32 len;     /* bytes in all its descriptors */
    u32 pieces;  /* its descriptors */
    bool uneven; /* a descriptor before the last held less than a whole buffer */
};

/*
 * Take the frame at the guest's next receive descriptor, if one is done:
 * its pieces up to EOP into offer[], each descriptor given back.
 */
static bool take_frame(struct e1000_nic *n, struct taken *t)
{
    memset(t, 0, sizeof(*t));
    if (!(((volatile struct e1000_rxd *)&e1000_rx_ring[n->rx_next])->status & E1000_RXD_DD))
        return false;
    for (u32 i = 0; i < E1000_RING; i++) {
        volatile struct e1000_rxd *d = &e1000_rx_ring[n->rx_next];
        u8 status = d->status;
        u32 len = d->length < SPLIT_BUF ? d->length : SPLIT_BUF;

        if (!(status & E1000_RXD_DD))
            break; /* a frame's descriptors come back together: not reached */
        if (t->len + len <= sizeof(offer))
            memcpy(offer + t->len, e1000_rx_buf[n->rx_next], len);
        t->len += len;
        t->pieces++;
        if (!(status & E1000_RXD_EOP) && d->length != SPLIT_BUF)
            t->uneven = true;
        d->status = 0;
        e1000_wr(n, E1000_RDT, n->rx_next);
        n->rx_next = (n->rx_next + 1) % E1000_RING;
        if (status & E1000_RXD_EOP)
            break;
    }
    return true;
}

void check_e1000_split(const struct check_context *ctx, struct check_result *res)
{
    struct e1000_nic n;
    struct taken t;
    u64 start = 0, now = 0, last = 0;
    u32 sent = 0, frames = 0;

    /* SECRC flipped off (the CRC kept, as Linux's e1000 keeps it), 256-byte buffers. */
    if (!e1000_open(ctx, res, &n, E1000_RCTL_SECRC | E1000_RCTL_BSIZE_256) || !clock_read(&start))
        return;
    for (now = start; now - start < (u64)WAIT_MS * 1000; (void)clock_read(&now)) {
        n.icr_seen |= e1000_rd(&n, E1000_ICR);
        if (sent == 0 || now - last >= (u64)RESEND_MS * 1000) {
            dhcp_discover(&n);
            (void)e1000_send(&n, (u32)e1000_tx_buf, DHCP_FRAME);
            sent++;
            last = now;
        }
        if (!take_frame(&n, &t))
            continue;
        frames++;
        if (!is_offer(offer, t.len))
            continue;
        u32 want = 14 + get16(offer + 16) + 4; /* the IP datagram and the CRC */
        if (t.len != want || t.pieces != (want + SPLIT_BUF - 1) / SPLIT_BUF || t.uneven) {
            check_fail(res, "the offer came as %u bytes in %u descriptors%s; want %u in %u",
                       t.len, t.pieces, t.uneven ? ", one short before EOP" : "", want,
                       (want + SPLIT_BUF - 1) / SPLIT_BUF);
            return;
        }
        check_note(res, "DHCP offer of %u bytes with its CRC in %u descriptors of %u bytes, "
                   "after %u ms", t.len, t.pieces, SPLIT_BUF, (u32)(now - start) / 1000);
        return;
    }
    check_fail(res, "no DHCP offer in %u ms (%u discovers, %u other frames, RDH %u)", WAIT_MS,
               sent, frames, e1000_rd(&n, E1000_RDH));
}

void check_e1000_burst(const struct check_context *ctx, struct check_result *res)
{
    struct e1000_nic n;
    u64 start = 0, now = 0;
    u32 reported = 0;

    if (!e1000_open(ctx, res, &n, 0) || !clock_read(&start))
        return;
    e1000_arp_request(&n);
    memset(burst_ring, 0, sizeof(burst_ring));
    for (u32 i = 0; i < BURST; i++) {
        burst_ring[i].addr = (u32)e1000_tx_buf;
        burst_ring[i].length = 42;
        burst_ring[i].cmd = E1000_TXD_EOP | E1000_TXD_IFCS | (i == BURST - 1 ? E1000_TXD_RS : 0);
    }
    e1000_wr(&n, E1000_TDBAL, (u32)burst_ring);
    e1000_wr(&n, E1000_TDLEN, sizeof(burst_ring));
    e1000_wr(&n, E1000_TDH, 0);
    e1000_wr(&n, E1000_TDT, BURST);
    volatile struct e1000_txd *tail = &burst_ring[BURST - 1];
    /* Every ICR read exits: bookvisor polls, and sends what waited for room. */
    for (now = start; !(tail->status & 1) && now - start < (u64)WAIT_MS * 1000;
         (void)clock_read(&now))
        n.icr_seen |= e1000_rd(&n, E1000_ICR);
    n.icr_seen |= e1000_rd(&n, E1000_ICR);
    u32 tdh = e1000_rd(&n, E1000_TDH);
    if (!(tail->status & 1) || tdh != BURST) {
        check_fail(res, "%u frames queued at once: TDH %u after %u ms, the last %sdone", BURST,
                   tdh, WAIT_MS, tail->status & 1 ? "" : "not ");
        return;
    }
    for (u32 i = 0; i < BURST - 1; i++)
        reported += ((volatile struct e1000_txd *)&burst_ring[i])->status & 1;
    if (reported || !(n.icr_seen & E1000_ICR_TXDW)) {
        check_fail(res, "DD written into %u descriptors without RS; ICR seen 0x%x", reported,
                   n.icr_seen);
        return;
    }
    check_note(res, "%u frames queued at once, done after %u ms, DD only where RS asked, TXDW",
               BURST, (u32)(now - start) / 1000);
}
