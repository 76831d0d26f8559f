/**
 * @file tests/guest/check_e1000.c
 * @brief e1000-pass and e1000-dma: the guest drives an 82540EM itself
 *        while bookvisor mediates it (`net=pass`, chapter 09).
 *
 * The guest's driver is tests/guest/e1000_drv.c; bookvisor's `pass` module
 * shadows its rings, so what the guest sees must be what a bare device
 * would show.
 *
 * - e1000-pass (by name): send ARP requests for QEMU's gateway 10.0.2.2
 *   from 10.0.2.15 until a reply is in the receive ring (5 s at most);
 *   the transmit descriptors must come back done and ICR must have shown
 *   TXDW and RXT0.
 * - e1000-dma (by name): BAR0 sizes to 128 KiB but cannot be moved, and bus
 *   mastering stays on; then point the transmit ring into bookvisor's range
 *   (its base through the I/O window)
 *   (BOOKVISOR_HC_VMM_RANGE): TDH must not move; a transmit buffer there:
 *   the descriptor is done but nothing is sent; a receive buffer there: the
 *   reply's descriptor comes back done with an error and no length. Then
 *   bookvisor's canary must be intact. A device left raw to the guest would
 *   instead read and write bookvisor's memory.
 *
 * The device's slot is `e1000.slot=bb:dd.f` (default 00:02.0).
 */
#include "check.h"
#include "cpu.h"
#include "e1000_drv.h"
#include "gstring.h"
#include "hypercall.h"
#include "pci_util.h"

#define WAIT_MS 5000
#define RESEND_MS 500

static bool is_arp_reply(const u8 *f, u32 len)
{
    return len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 2 &&
           f[28] == 10 && f[29] == 0 && f[30] == 2 && f[31] == 2;
}

/*
 * Send ARP requests and look at the receive ring until want() accepts a
 * descriptor or WAIT_MS passes. Every look reads ICR, an exit, so bookvisor's
 * network thread gets to run.
 */
static volatile struct e1000_rxd *wait_rx(struct e1000_nic *n,
                                          bool (*want)(volatile struct e1000_rxd *d), u32 *ms,
                                          u32 *sent)
{
    u64 start = 0, now = 0, last = 0;

    if (!clock_read(&start))
        return NULL;
    for (now = start; now - start < (u64)WAIT_MS * 1000; (void)clock_read(&now)) {
        volatile struct e1000_rxd *d = &e1000_rx_ring[n->rx_next];
        n->icr_seen |= e1000_rd(n, E1000_ICR);
        if (*sent == 0 || now - last >= (u64)RESEND_MS * 1000) {
            e1000_arp_request(n);
            (void)e1000_send(n, (u32)e1000_tx_buf, 42);
            (*sent)++;
            last = now;
        }
        if (!(d->status & 1))
            continue;
        if (want(d)) {
            /* The cause may have come with the frame, after this round's ICR read. */
            n->icr_seen |= e1000_rd(n, E1000_ICR);
            *ms = (u32)(now - start) / 1000; /* under WAIT_MS: 32 bits hold it */
            return d;
        }
        /* Someone else's frame: give the descriptor back. */
        d->status = 0;
        e1000_wr(n, E1000_RDT, n->rx_next);
        n->rx_next = (n->rx_next + 1) % E1000_RING;
    }
    return NULL;
}

static bool want_reply(volatile struct e1000_rxd *d)
{
    return d->errors == 0 && is_arp_reply(e1000_rx_buf[d - e1000_rx_ring], d->length);
}

void check_e1000_pass(const struct check_context *ctx, struct check_result *res)
{
    struct e1000_nic n;
    u32 ms = 0, sent = 0;

    if (!e1000_open(ctx, res, &n, 0))
        return;
    e1000_arp_request(&n);
    if (!e1000_send(&n, (u32)e1000_tx_buf, 42)) {
        check_fail(res, "the first transmit descriptor never came back done (TDH %u)",
                   e1000_rd(&n, E1000_TDH));
        return;
    }
    sent = 1;
    volatile struct e1000_rxd *d = wait_rx(&n, want_reply, &ms, &sent);
    if (!d) {
        check_fail(res, "no ARP reply from 10.0.2.2 in %u ms (%u requests, RDH %u, ICR seen 0x%x)",
                   WAIT_MS, sent, e1000_rd(&n, E1000_RDH), n.icr_seen);
        return;
    }
    const u8 *f = e1000_rx_buf[d - e1000_rx_ring];
    if ((n.icr_seen & (E1000_ICR_TXDW | E1000_ICR_RXT0)) != (E1000_ICR_TXDW | E1000_ICR_RXT0)) {
        check_fail(res, "ICR never showed TXDW and RXT0 (seen 0x%x)", n.icr_seen);
        return;
    }
    check_note(res, "ARP reply from 10.0.2.2 (%02x:%02x:%02x:%02x:%02x:%02x) after %u ms, "
               "%u requests, ICR TXDW and RXT0",
               f[22], f[23], f[24], f[25], f[26], f[27], ms, sent);
}

/* A descriptor done with an error and nothing stored: bookvisor refused its buffer. */
static bool want_refused(volatile struct e1000_rxd *d)
{
    return d->errors != 0 && d->length == 0;
}

/*
 * BAR0 stays where bookvisor mediates it: sizing reads the size mask (128 KiB),
 * moving it is dropped, and bus mastering stays on when the guest clears it.
 */
static bool bar_stays(const struct check_context *ctx, struct check_result *res)
{
    struct slot s;

    if (!e1000_slot(ctx, res, &s))
        return false;
    u32 bar = e1000_cfg_read(s, 0x10), cmd = e1000_cfg_read(s, 0x04) & 0xFFFF;
    e1000_cfg_write(s, 0x10, ~0u);
    u32 mask = e1000_cfg_read(s, 0x10);
    e1000_cfg_write(s, 0x10, bar);
    e1000_cfg_write(s, 0x10, bar + 0x100000);
    u32 moved = e1000_cfg_read(s, 0x10);
    e1000_cfg_write(s, 0x04, cmd & ~0x4u);
    u32 master = e1000_cfg_read(s, 0x04) & 0x4;
    e1000_cfg_write(s, 0x04, cmd);
    if (mask != ((0xFFFE0000u) | (bar & 0xF)) || moved != bar || !master) {
        check_fail(res, "BAR0 0x%x sized 0x%x, moved to 0x%x, bus master %s", bar, mask, moved,
                   master ? "on" : "off");
        return false;
    }
    return true;
}

void check_e1000_dma(const struct check_context *ctx, struct check_result *res)
{
    struct hypercall_regs r = { BOOKVISOR_HC_VMM_RANGE, 0, 0, 0 };
    struct e1000_nic n;
    u32 ms = 0, sent = 0;

    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN || r.edx != 0) {
        check_skip(res, "no VMM range below 4 GiB to aim at");
        return;
    }
    u32 vmm = r.eax;
    if (!e1000_open(ctx, res, &n, 0) || !bar_stays(ctx, res))
        return;
    /* 1. The transmit ring itself in bookvisor's memory, set through the I/O window:
     *    nothing may be taken from it. */
    e1000_io_wr(&n, E1000_TDBAL, vmm);
    if (e1000_rd(&n, E1000_TDBAL) != vmm) {
        check_fail(res, "TDBAL written through the I/O window reads 0x%x by BAR0",
                   e1000_rd(&n, E1000_TDBAL));
        return;
    }
    e1000_wr(&n, E1000_TDT, 1);
    if (e1000_rd(&n, E1000_TDH) != 0) {
        check_fail(res, "TDH moved to %u over a ring at 0x%x, bookvisor's", e1000_rd(&n, E1000_TDH), vmm);
        return;
    }
    /* 2. A good ring, a frame in bookvisor's memory: done, but not sent. */
    e1000_rings_setup(&n, (u32)e1000_rx_ring, (u32)e1000_tx_ring);
    if (!e1000_send(&n, vmm + 0x1000, 64)) {
        check_fail(res, "a descriptor with a buffer at 0x%x never came back done", vmm + 0x1000);
        return;
    }
    /* 3. The receive ring in bookvisor's memory (refused when RDT is written). */
    e1000_wr(&n, E1000_RDBAL, vmm + 0x2000);
    e1000_wr(&n, E1000_RDT, 3);
    /* 4. A good receive ring whose first buffer is bookvisor's: the reply is refused. */
    e1000_rings_setup(&n, (u32)e1000_rx_ring, (u32)e1000_tx_ring);
    e1000_rx_ring[0].addr = vmm + 0x3000;
    volatile struct e1000_rxd *d = wait_rx(&n, want_refused, &ms, &sent);
    if (!d) {
        check_fail(res, "no receive descriptor came back refused in %u ms (first: status 0x%x "
                   "errors 0x%x length %u)",
                   WAIT_MS, e1000_rx_ring[0].status, e1000_rx_ring[0].errors, e1000_rx_ring[0].length);
        return;
    }
    struct hypercall_regs c = { BOOKVISOR_HC_CHECK_CANARY, 0, 0, 0 };
    if (!hypercall(&c) || c.eax != 1) {
        check_fail(res, "bookvisor's canary is not intact");
        return;
    }
    check_note(res, "BAR0 stays, rings and buffers at 0x%x refused, canary intact", vmm);
}
