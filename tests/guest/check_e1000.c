/**
 * @file tests/guest/check_e1000.c
 * @brief e1000-pass, e1000-dma and e1000-msix: the guest drives an 82540EM or
 *        an 82574L itself while bookvisor mediates it (`net=pass`, chapter 09).
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
 * - With `e1000.rx=ext` (an 82574L: extended receive descriptors) ICR must
 *   also have shown the queue causes TXQ0 and RXQ0 in e1000-pass, which the
 *   82574L's MSI-X vectors follow.
 * - e1000-msix (by name, an 82574L): the guest's own MSI-X: table entry 0
 *   aimed at this CPU's local APIC on a test vector, entry 1 aimed at
 *   bookvisor's range (both read back as written; before that, MSI aimed
 *   there reads back on, as written), MSI-X on, IVAR mapping RxQ0, TxQ0 and
 *   Other to entry 0, IMS the two queue causes; then the ARP exchange again
 *   with interrupts on: the reply must come and the vector must have been
 *   taken. Under `pass` bookvisor guards the table (entry 1 stays masked on
 *   the device, MSI off, each said); without that the table's BAR is dark
 *   and no interrupt comes.
 *
 * - e1000-ps (by name, an 82574L): a packet-split receive ring (RCTL.DTYP
 *   01), which bookvisor refuses to fill: no descriptor may come back done.
 *
 * The device's slot is `e1000.slot=bb:dd.f` (default 00:02.0).
 */
#include "check.h"
#include "cpu.h"
#include "e1000_drv.h"
#include "gstring.h"
#include "hypercall.h"
#include "pci_util.h"
#include "trap.h"

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
static volatile struct e1000_rxd *wait_rx(struct e1000_nic *n, bool (*want)(u32 i), u32 *ms,
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
        if (!e1000_rx_done(n->rx_next))
            continue;
        if (want(n->rx_next)) {
            /* The cause may have come with the frame, after this round's ICR read. */
            n->icr_seen |= e1000_rd(n, E1000_ICR);
            *ms = (u32)(now - start) / 1000; /* under WAIT_MS: 32 bits hold it */
            return d;
        }
        /* Someone else's frame: give the descriptor back. */
        e1000_rx_give(n->rx_next, (u32)e1000_rx_buf[n->rx_next]);
        e1000_wr(n, E1000_RDT, n->rx_next);
        n->rx_next = (n->rx_next + 1) % E1000_RING;
    }
    return NULL;
}

static bool want_reply(u32 i)
{
    return e1000_rx_errors(i) == 0 && is_arp_reply(e1000_rx_buf[i], e1000_rx_len(i));
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
    const u8 *f = e1000_rx_buf[n.rx_next];
    u32 causes = E1000_ICR_TXDW | E1000_ICR_RXT0 | (n.ext ? E1000_ICR_TXQ0 | E1000_ICR_RXQ0 : 0);
    const char *named = n.ext ? "TXDW, RXT0, TXQ0 and RXQ0" : "TXDW and RXT0";
    if ((n.icr_seen & causes) != causes) {
        check_fail(res, "ICR never showed %s (seen 0x%x)", named, n.icr_seen);
        return;
    }
    check_note(res, "ARP reply from 10.0.2.2 (%02x:%02x:%02x:%02x:%02x:%02x) after %u ms, "
               "%u requests, ICR %s%s",
               f[22], f[23], f[24], f[25], f[26], f[27], ms, sent, named,
               n.ext ? ", extended receive descriptors" : "");
}

/* A descriptor done with an error and nothing stored: bookvisor refused its buffer. */
static bool want_refused(u32 i)
{
    return e1000_rx_errors(i) != 0 && e1000_rx_len(i) == 0;
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
    e1000_rx_give(0, vmm + 0x3000);
    volatile struct e1000_rxd *d = wait_rx(&n, want_refused, &ms, &sent);
    if (!d) {
        check_fail(res, "no receive descriptor came back refused in %u ms (first: done %u "
                   "errors 0x%x length %u)",
                   WAIT_MS, e1000_rx_done(0), e1000_rx_errors(0), e1000_rx_len(0));
        return;
    }
    struct hypercall_regs c = { BOOKVISOR_HC_CHECK_CANARY, 0, 0, 0 };
    if (!hypercall(&c) || c.eax != 1) {
        check_fail(res, "bookvisor's canary is not intact");
        return;
    }
    check_note(res, "BAR0 stays, rings and buffers at 0x%x refused, canary intact", vmm);
}

/* e1000-msix: the guest's own MSI-X on an 82574L (see the file's comment). */
#define REG_IMS 0x00D0
#define REG_IVAR 0x00E4
#define PCI_CAP_MSIX 0x11
#define PCI_CAP_MSI 0x05
#define MSI_ENABLE (1u << 16)   /* in the capability's first dword: control bit 0 */
#define MSIX_ENABLE (1u << 31)  /* in the capability's first dword: control bit 15 */
#define MSIX_FN_MASK (1u << 30) /* control bit 14 */
#define MSIX_VECTOR (TEST_VECTOR_BASE + 8)
/* IVAR: RxQ0, TxQ0 and Other to table entry 0, each with its valid bit (3, 11, 19). */
#define IVAR_ALL_TO_ENTRY0 0x00080808u
#define MSR_APIC_BASE 0x1B
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2APIC (1u << 10)
#define APIC_ID 0x20
#define APIC_EOI 0xB0
#define APIC_SVR 0xF0

static volatile u32 msix_taken;
static u32 apic_mmio;

static bool msix_vector_taken(struct trap_frame *frame)
{
    (void)frame;
    msix_taken++;
    *(volatile u32 *)(apic_mmio + APIC_EOI) = 0;
    return true;
}

static u8 find_capability(struct slot s, u8 id)
{
    u8 at = (u8)(e1000_cfg_read(s, 0x34) & 0xFC);

    for (u32 hops = 0; at && hops < 48; hops++) {
        u32 v = e1000_cfg_read(s, at);
        if ((v & 0xFF) == id)
            return at;
        at = (u8)((v >> 8) & 0xFC);
    }
    return 0;
}

void check_e1000_msix(const struct check_context *ctx, struct check_result *res)
{
    struct hypercall_regs r = { BOOKVISOR_HC_VMM_RANGE, 0, 0, 0 };
    u64 apic = rdmsr(MSR_APIC_BASE);
    struct e1000_nic n;
    struct slot s;
    u32 ms = 0, sent = 0;

    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN || r.edx != 0) {
        check_skip(res, "no VMM range below 4 GiB to aim at");
        return;
    }
    if (!(apic & APIC_BASE_ENABLE) || (apic & APIC_BASE_X2APIC)) {
        check_skip(res, "the local APIC is off or in x2APIC mode");
        return;
    }
    if (!e1000_open(ctx, res, &n, 0) || !e1000_slot(ctx, res, &s))
        return;
    u8 cap = find_capability(s, PCI_CAP_MSIX);
    if (!n.is_82574l || !cap) {
        check_fail(res, "needs an 82574L with an MSI-X capability");
        return;
    }
    u32 where = e1000_cfg_read(s, cap + 4u);
    volatile u32 *table = (volatile u32 *)((e1000_cfg_read(s, 0x10 + 4 * (where & 7)) & ~0xFu) +
                                           (where & ~7u));
    apic_mmio = (u32)apic & 0xFFFFF000u;
    *(volatile u32 *)(apic_mmio + APIC_SVR) |= 0x100; /* software-enabled */
    u32 id = *(volatile u32 *)(apic_mmio + APIC_ID) >> 24;
    /* Entry 0: this CPU, MSIX_VECTOR. Entry 1: aimed at bookvisor's memory, unmasked. */
    table[0] = 0xFEE00000u | id << 12;
    table[1] = 0;
    table[2] = MSIX_VECTOR;
    table[3] = 0;
    table[4] = r.eax;
    table[5] = 0;
    table[6] = MSIX_VECTOR + 1;
    table[7] = 0;
    if (table[4] != r.eax || table[2] != MSIX_VECTOR) {
        check_fail(res, "the MSI-X table reads 0x%x, 0x%x back", table[4], table[2]);
        return;
    }
    /* MSI aimed at bookvisor too: it reads back on, but stays off on the device. */
    u8 msi = find_capability(s, PCI_CAP_MSI);
    if (msi) {
        e1000_cfg_write(s, msi + 4u, r.eax);
        e1000_cfg_write(s, msi, e1000_cfg_read(s, msi) | MSI_ENABLE);
        bool on = e1000_cfg_read(s, msi) & MSI_ENABLE;
        e1000_cfg_write(s, msi, e1000_cfg_read(s, msi) & ~MSI_ENABLE);
        if (!on || e1000_cfg_read(s, msi + 4u) != r.eax) {
            check_fail(res, "MSI at 0x%x reads back %s at 0x%x", r.eax, on ? "on" : "off",
                       e1000_cfg_read(s, msi + 4u));
            return;
        }
    }
    trap_set_hook(MSIX_VECTOR, msix_vector_taken);
    e1000_cfg_write(s, cap, (e1000_cfg_read(s, cap) & ~MSIX_FN_MASK) | MSIX_ENABLE);
    e1000_wr(&n, REG_IVAR, IVAR_ALL_TO_ENTRY0);
    e1000_wr(&n, REG_IMS, E1000_ICR_RXQ0 | E1000_ICR_TXQ0);
    msix_taken = 0;
    __asm__ volatile("sti" ::: "memory");
    volatile struct e1000_rxd *d = wait_rx(&n, want_reply, &ms, &sent);
    for (u32 i = 0; i < 200000; i++)
        cpu_relax();
    cli();
    e1000_wr(&n, E1000_IMC, ~0u);
    e1000_cfg_write(s, cap, e1000_cfg_read(s, cap) & ~MSIX_ENABLE);
    trap_set_hook(MSIX_VECTOR, NULL);
    if (!d) {
        check_fail(res, "no ARP reply from 10.0.2.2 in %u ms (%u requests, %u interrupts)",
                   WAIT_MS, sent, msix_taken);
        return;
    }
    if (msix_taken == 0) {
        check_fail(res, "no interrupt on vector 0x%x from MSI-X entry 0 (ICR seen 0x%x)",
                   MSIX_VECTOR, n.icr_seen);
        return;
    }
    check_note(res, "ARP reply with %u interrupts on vector 0x%x by MSI-X entry 0 (IVAR), "
               "entry 1 at 0x%x kept from the device",
               msix_taken, MSIX_VECTOR, r.eax);
}

/*
 * e1000-ps: a receive ring of packet-split descriptors (RCTL.DTYP 01, an
 * 82574L's) is one bookvisor does not fill: for WAIT_MS of ARP requests no
 * descriptor may come back done (bookvisor says so and counts the frames).
 */
void check_e1000_ps(const struct check_context *ctx, struct check_result *res)
{
    struct e1000_nic n;
    u32 ms = 0, sent = 0;

    if (!e1000_open(ctx, res, &n, E1000_RCTL_DTYP_SPLIT))
        return;
    if (!n.is_82574l) {
        check_fail(res, "needs an 82574L (packet split)");
        return;
    }
    (void)wait_rx(&n, want_reply, &ms, &sent);
    /* Nothing may have been written back, in any format: bytes 8-15 stay as given (0). */
    const volatile u8 *first = (const volatile u8 *)&e1000_rx_ring[0];
    for (u32 k = 8; k < 16; k++) {
        if (first[k] != 0) {
            check_fail(res, "a frame landed in a packet-split ring (byte %u: 0x%x)", k, first[k]);
            return;
        }
    }
    check_note(res, "%u ARP requests, nothing in the packet-split ring", sent);
}
