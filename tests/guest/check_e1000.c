/**
 * @file tests/guest/check_e1000.c
 * @brief e1000-pass and e1000-dma: the guest drives an 82540EM or an 82574L
 *        itself while bookvisor mediates it (`net=pass`, chapter 09).
 *
 * A driver of the smallest kind: reset (through the I/O window, as Linux's
 * e1000 resets an 82540EM), the MAC from RAL0/RAH0, the other receive
 * addresses cleared (as a driver may at its start; they must read back 0), one
 * transmit and one receive ring of 8 legacy descriptors in the guest's own
 * memory, polled. bookvisor's `pass` module shadows the rings, so what the
 * guest sees must be what a bare device would show.
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
 * The device's slot is `e1000.slot=bb:dd.f` (default 00:02.0). On an 82574L
 * (QEMU's e1000e) the I/O window is whichever BAR is an I/O one (BAR2 there),
 * and `e1000.rx=ext` makes the receive ring one of *extended* descriptors
 * (RFCTL.EXSTEN, as Linux's e1000e has it): the driver reads the write-back
 * format (status and errors in bytes 8-11, the length in 12-13) and gives
 * each descriptor its buffer address again; ICR must then also have shown
 * the queue causes TXQ0 and RXQ0, which the 82574L's MSI-X vectors follow.
 *
 * - e1000-msix (by name, an 82574L): the guest's own MSI-X: table entry 0
 *   aimed at this CPU's local APIC on a test vector, entry 1 aimed at
 *   bookvisor's range (both read back as written; before that, MSI aimed
 *   there reads back on, as written), MSI-X on, IVAR mapping
 *   RxQ0, TxQ0 and Other to entry 0, IMS the two queue causes; then the
 *   ARP exchange again with interrupts on: the reply must come and the
 *   vector must have been taken. Under `pass` bookvisor guards the table
 *   (entry 1 stays masked on the device, MSI off, each said); without that the
 *   table's BAR is dark and no interrupt comes.
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "hypercall.h"
#include "pci_util.h"
#include "trap.h"

#define REG_CTRL 0x0000
#define REG_ICR 0x00C0
#define REG_IMC 0x00D8
#define REG_RCTL 0x0100
#define REG_TCTL 0x0400
#define REG_TIPG 0x0410
#define REG_RDBAL 0x2800
#define REG_RDBAH 0x2804
#define REG_RDLEN 0x2808
#define REG_RDH 0x2810
#define REG_RDT 0x2818
#define REG_TDBAL 0x3800
#define REG_TDBAH 0x3804
#define REG_TDLEN 0x3808
#define REG_TDH 0x3810
#define REG_TDT 0x3818
#define REG_RAL0 0x5400
#define REG_RAH0 0x5404
#define REG_RFCTL 0x5008

#define ID_82540EM 0x100E8086u
#define ID_82574L 0x10D38086u
#define RFCTL_EXSTEN (1u << 15)
#define ICR_TXQ0 (1u << 22)
#define ICR_RXQ0 (1u << 20)

#define CTRL_RST (1u << 26)
#define CTRL_SLU (1u << 6)
#define CTRL_ASDE (1u << 5)
#define ICR_TXDW (1u << 0)
#define ICR_RXT0 (1u << 7)
#define RING 8 /* descriptors per ring: 128 bytes, the smallest length allowed */
#define BUF 2048
#define WAIT_MS 5000
#define RESEND_MS 500

struct txd {
    u64 addr;
    u16 length;
    u8 cso, cmd, status, css;
    u16 special;
} __attribute__((packed));

struct rxd {
    u64 addr;
    u16 length, checksum;
    u8 status, errors;
    u16 special;
} __attribute__((packed));

static struct txd tx_ring[RING] __attribute__((aligned(128)));
static struct rxd rx_ring[RING] __attribute__((aligned(128)));
static u8 tx_buf[BUF] __attribute__((aligned(16)));
static u8 rx_buf[RING][BUF] __attribute__((aligned(16)));

/* The device as this check drives it. */
struct nic {
    volatile u8 *regs;
    u16 io; /* the I/O window (IOADDR, IODATA), 0: none */
    u8 mac[6];
    u32 tx_next, rx_next; /* the next descriptor to fill, to look at */
    u32 icr_seen;         /* every cause ICR showed */
    bool ext;             /* the receive ring holds extended descriptors (82574L) */
    bool is_82574l;
};

/* The receive ring's current format: every look at a descriptor goes through these. */
static bool rx_extended;

static bool rx_done(u32 i)
{
    const volatile u8 *b = (const volatile u8 *)&rx_ring[i];

    return b[rx_extended ? 8 : 12] & 1;
}

static u16 rx_len(u32 i)
{
    const volatile u8 *b = (const volatile u8 *)&rx_ring[i];
    u32 at = rx_extended ? 12 : 8;

    return (u16)(b[at] | b[at + 1] << 8);
}

static u8 rx_errors(u32 i)
{
    /* Extended: the errors are bits 31:24 of the status/error dword, in the legacy order. */
    return ((const volatile u8 *)&rx_ring[i])[rx_extended ? 11 : 13];
}

/* Give descriptor i its buffer again: extended write-back overwrote the address. */
static void rx_give(u32 i, u64 addr)
{
    volatile u8 *b = (volatile u8 *)&rx_ring[i];

    for (u32 k = 0; k < 16; k++)
        b[k] = k < 8 ? (u8)(addr >> (8 * k)) : 0;
}

static u32 rd(struct nic *n, u32 reg)
{
    return *(volatile u32 *)(n->regs + reg);
}

static void wr(struct nic *n, u32 reg, u32 value)
{
    *(volatile u32 *)(n->regs + reg) = value;
}

/* A register through the I/O window, as Linux's e1000 resets an 82540EM. */
static void io_wr(struct nic *n, u32 reg, u32 value)
{
    outl(n->io, reg);
    outl((u16)(n->io + 4), value);
}

static u32 io_rd(struct nic *n, u32 reg)
{
    outl(n->io, reg);
    return inl((u16)(n->io + 4));
}

static u32 cfg_read(struct slot s, u32 off)
{
    outl(0xCF8, 0x80000000u | (u32)s.bus << 16 | (u32)s.dev << 11 | (u32)s.fn << 8 | off);
    return inl(0xCFC);
}

static void cfg_write(struct slot s, u32 off, u32 value)
{
    outl(0xCF8, 0x80000000u | (u32)s.bus << 16 | (u32)s.dev << 11 | (u32)s.fn << 8 | off);
    outl(0xCFC, value);
}

static void rings_setup(struct nic *n, u32 rx_base, u32 tx_base)
{
    memset(tx_ring, 0, sizeof(tx_ring));
    for (u32 i = 0; i < RING; i++)
        rx_give(i, (u32)rx_buf[i]);
    wr(n, REG_TDBAL, tx_base);
    wr(n, REG_TDBAH, 0);
    wr(n, REG_TDLEN, sizeof(tx_ring));
    wr(n, REG_TDH, 0);
    wr(n, REG_TDT, 0);
    wr(n, REG_RDBAL, rx_base);
    wr(n, REG_RDBAH, 0);
    wr(n, REG_RDLEN, sizeof(rx_ring));
    wr(n, REG_RDH, 0);
    wr(n, REG_RDT, RING - 1);
    n->tx_next = n->rx_next = 0;
}

/* The device's slot from e1000.slot= (default 00:02.0); false with the reason in res. */
static bool nic_slot(const struct check_context *ctx, struct check_result *res, struct slot *s)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    u32 len = 0;
    const char *v = cmdline_value(cmdline, "e1000.slot=", &len);

    *s = (struct slot){ 0, 2, 0 };
    if (v && (len != 7 || !parse_slot(v, s))) {
        check_fail(res, "e1000.slot: want bb:dd.f");
        return false;
    }
    return true;
}

/* e1000.rx=ext: extended receive descriptors, an 82574L's only; false with the reason in res. */
static bool rx_mode(const struct check_context *ctx, struct check_result *res, struct nic *n)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    u32 len = 0;
    const char *v = cmdline_value(cmdline, "e1000.rx=", &len);

    n->ext = v && len == 3 && memcmp(v, "ext", 3) == 0;
    if (v && !n->ext && !(len == 6 && memcmp(v, "legacy", 6) == 0)) {
        check_fail(res, "e1000.rx: want ext or legacy");
        return false;
    }
    if (n->ext && !n->is_82574l) {
        check_fail(res, "e1000.rx=ext needs an 82574L");
        return false;
    }
    return true;
}

/* Find, reset and start the device; false with the reason in res. */
static bool nic_open(const struct check_context *ctx, struct check_result *res, struct nic *n)
{
    struct slot s;

    memset(n, 0, sizeof(*n));
    if (!nic_slot(ctx, res, &s))
        return false;
    u32 id = cfg_read(s, 0);
    if (id != ID_82540EM && id != ID_82574L) {
        check_fail(res, "no 82540EM or 82574L at %02x:%02x.%x (id 0x%08x)", s.bus, s.dev, s.fn,
                   id);
        return false;
    }
    n->is_82574l = id == ID_82574L;
    if (!rx_mode(ctx, res, n))
        return false;
    cfg_write(s, 0x04, cfg_read(s, 0x04) | 0x7); /* I/O and memory decoding, bus mastering */
    n->regs = (volatile u8 *)(cfg_read(s, 0x10) & ~0xFu);
    for (u32 bar = 0x14; bar <= 0x24 && !n->io; bar += 4) /* QEMU: BAR1 (e1000), BAR2 (e1000e) */
        if (cfg_read(s, bar) & 1)
            n->io = (u16)(cfg_read(s, bar) & ~3u);
    if (!n->io) {
        check_fail(res, "no I/O BAR: no I/O window");
        return false;
    }
    wr(n, REG_IMC, ~0u);
    io_wr(n, REG_CTRL, io_rd(n, REG_CTRL) | CTRL_RST);
    for (u32 i = 0; rd(n, REG_CTRL) & CTRL_RST; i++) {
        if (i > 1000000) {
            check_fail(res, "the reset did not finish");
            return false;
        }
    }
    wr(n, REG_IMC, ~0u);
    (void)rd(n, REG_ICR);
    u32 ral = rd(n, REG_RAL0), rah = rd(n, REG_RAH0);
    if (!(rah & (1u << 31))) {
        check_fail(res, "RAH0 has no valid address after the reset");
        return false;
    }
    for (int i = 0; i < 4; i++)
        n->mac[i] = (u8)(ral >> (8 * i));
    n->mac[4] = (u8)rah;
    n->mac[5] = (u8)(rah >> 8);
    /* The other receive address entries cleared, as a driver may at its start: under
     * ippass, bookvisor's stack keeps its MAC in the last one all the same. */
    for (u32 i = 1; i < 16; i++) {
        wr(n, REG_RAL0 + 8 * i, 0);
        wr(n, REG_RAH0 + 8 * i, 0);
    }
    if (rd(n, REG_RAH0 + 8 * 15) != 0) {
        check_fail(res, "RAH15 reads 0x%x after the guest cleared it", rd(n, REG_RAH0 + 8 * 15));
        return false;
    }
    wr(n, REG_CTRL, rd(n, REG_CTRL) | CTRL_SLU | CTRL_ASDE);
    if (n->ext)
        wr(n, REG_RFCTL, rd(n, REG_RFCTL) | RFCTL_EXSTEN);
    rx_extended = n->ext;
    rings_setup(n, (u32)rx_ring, (u32)tx_ring);
    wr(n, REG_TIPG, 10u | (8u << 10) | (6u << 20));
    wr(n, REG_TCTL, (1u << 1) | (1u << 3) | (0x0Fu << 4) | (0x40u << 12)); /* EN, PSP */
    wr(n, REG_RCTL, (1u << 1) | (1u << 15) | (1u << 26)); /* EN, BAM, SECRC; 2 KiB */
    return true;
}

/* Queue one frame of len bytes at buffer address addr; true once its descriptor is done. */
static bool nic_send(struct nic *n, u32 addr, u16 len)
{
    struct txd *d = &tx_ring[n->tx_next];

    d->addr = addr;
    d->length = len;
    d->cmd = 0x01 | 0x02 | 0x08; /* EOP, IFCS, RS */
    d->status = 0;
    n->tx_next = (n->tx_next + 1) % RING;
    wr(n, REG_TDT, n->tx_next);
    for (u32 i = 0; i < 100000; i++) {
        n->icr_seen |= rd(n, REG_ICR);
        if (((volatile struct txd *)d)->status & 1)
            return true;
    }
    return false;
}

static void arp_request(const struct nic *n)
{
    static const u8 head[] = { 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1 };
    static const u8 ips[] = { 10, 0, 2, 15 };
    static const u8 target[] = { 10, 0, 2, 2 };

    memset(tx_buf, 0, 60);
    memset(tx_buf, 0xFF, 6);
    memcpy(tx_buf + 6, n->mac, 6);
    memcpy(tx_buf + 12, head, sizeof(head));
    memcpy(tx_buf + 22, n->mac, 6);
    memcpy(tx_buf + 28, ips, 4);
    memcpy(tx_buf + 38, target, 4);
}

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
static volatile struct rxd *wait_rx(struct nic *n, bool (*want)(u32 i), u32 *ms, u32 *sent)
{
    u64 start = 0, now = 0, last = 0;

    if (!clock_read(&start))
        return NULL;
    for (now = start; now - start < (u64)WAIT_MS * 1000; (void)clock_read(&now)) {
        volatile struct rxd *d = &rx_ring[n->rx_next];
        n->icr_seen |= rd(n, REG_ICR);
        if (*sent == 0 || now - last >= (u64)RESEND_MS * 1000) {
            arp_request(n);
            (void)nic_send(n, (u32)tx_buf, 42);
            (*sent)++;
            last = now;
        }
        if (!rx_done(n->rx_next))
            continue;
        if (want(n->rx_next)) {
            /* The cause may have come with the frame, after this round's ICR read. */
            n->icr_seen |= rd(n, REG_ICR);
            *ms = (u32)(now - start) / 1000; /* under WAIT_MS: 32 bits hold it */
            return d;
        }
        /* Someone else's frame: give the descriptor back. */
        rx_give(n->rx_next, (u32)rx_buf[n->rx_next]);
        wr(n, REG_RDT, n->rx_next);
        n->rx_next = (n->rx_next + 1) % RING;
    }
    return NULL;
}

static bool want_reply(u32 i)
{
    return rx_errors(i) == 0 && is_arp_reply(rx_buf[i], rx_len(i));
}

void check_e1000_pass(const struct check_context *ctx, struct check_result *res)
{
    struct nic n;
    u32 ms = 0, sent = 0;

    if (!nic_open(ctx, res, &n))
        return;
    arp_request(&n);
    if (!nic_send(&n, (u32)tx_buf, 42)) {
        check_fail(res, "the first transmit descriptor never came back done (TDH %u)",
                   rd(&n, REG_TDH));
        return;
    }
    sent = 1;
    volatile struct rxd *d = wait_rx(&n, want_reply, &ms, &sent);
    if (!d) {
        check_fail(res, "no ARP reply from 10.0.2.2 in %u ms (%u requests, RDH %u, ICR seen 0x%x)",
                   WAIT_MS, sent, rd(&n, REG_RDH), n.icr_seen);
        return;
    }
    const u8 *f = rx_buf[n.rx_next];
    u32 causes = ICR_TXDW | ICR_RXT0 | (n.ext ? ICR_TXQ0 | ICR_RXQ0 : 0);
    if ((n.icr_seen & causes) != causes) {
        check_fail(res, "ICR never showed %s (seen 0x%x)",
                   n.ext ? "TXDW, RXT0, TXQ0 and RXQ0" : "TXDW and RXT0", n.icr_seen);
        return;
    }
    check_note(res, "ARP reply from 10.0.2.2 (%02x:%02x:%02x:%02x:%02x:%02x) after %u ms, "
               "%u requests, ICR %s%s",
               f[22], f[23], f[24], f[25], f[26], f[27], ms, sent,
               n.ext ? "TXDW, RXT0, TXQ0 and RXQ0" : "TXDW and RXT0",
               n.ext ? ", extended receive descriptors" : "");
}

/* A descriptor done with an error and nothing stored: bookvisor refused its buffer. */
static bool want_refused(u32 i)
{
    return rx_errors(i) != 0 && rx_len(i) == 0;
}

/*
 * BAR0 stays where bookvisor mediates it: sizing reads the size mask (128 KiB),
 * moving it is dropped, and bus mastering stays on when the guest clears it.
 */
static bool bar_stays(const struct check_context *ctx, struct check_result *res)
{
    struct slot s;

    if (!nic_slot(ctx, res, &s))
        return false;
    u32 bar = cfg_read(s, 0x10), cmd = cfg_read(s, 0x04) & 0xFFFF;
    cfg_write(s, 0x10, ~0u);
    u32 mask = cfg_read(s, 0x10);
    cfg_write(s, 0x10, bar);
    cfg_write(s, 0x10, bar + 0x100000);
    u32 moved = cfg_read(s, 0x10);
    cfg_write(s, 0x04, cmd & ~0x4u);
    u32 master = cfg_read(s, 0x04) & 0x4;
    cfg_write(s, 0x04, cmd);
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
    struct nic n;
    u32 ms = 0, sent = 0;

    if (!hypercall(&r) || r.eax == BOOKVISOR_HC_UNKNOWN || r.edx != 0) {
        check_skip(res, "no VMM range below 4 GiB to aim at");
        return;
    }
    u32 vmm = r.eax;
    if (!nic_open(ctx, res, &n) || !bar_stays(ctx, res))
        return;
    /* 1. The transmit ring itself in bookvisor's memory, set through the I/O window:
     *    nothing may be taken from it. */
    io_wr(&n, REG_TDBAL, vmm);
    if (rd(&n, REG_TDBAL) != vmm) {
        check_fail(res, "TDBAL written through the I/O window reads 0x%x by BAR0",
                   rd(&n, REG_TDBAL));
        return;
    }
    wr(&n, REG_TDT, 1);
    if (rd(&n, REG_TDH) != 0) {
        check_fail(res, "TDH moved to %u over a ring at 0x%x, bookvisor's", rd(&n, REG_TDH), vmm);
        return;
    }
    /* 2. A good ring, a frame in bookvisor's memory: done, but not sent. */
    rings_setup(&n, (u32)rx_ring, (u32)tx_ring);
    if (!nic_send(&n, vmm + 0x1000, 64)) {
        check_fail(res, "a descriptor with a buffer at 0x%x never came back done", vmm + 0x1000);
        return;
    }
    /* 3. The receive ring in bookvisor's memory (refused when RDT is written). */
    wr(&n, REG_RDBAL, vmm + 0x2000);
    wr(&n, REG_RDT, 3);
    /* 4. A good receive ring whose first buffer is bookvisor's: the reply is refused. */
    rings_setup(&n, (u32)rx_ring, (u32)tx_ring);
    rx_give(0, vmm + 0x3000);
    volatile struct rxd *d = wait_rx(&n, want_refused, &ms, &sent);
    if (!d) {
        check_fail(res, "no receive descriptor came back refused in %u ms (first: done %u "
                   "errors 0x%x length %u)",
                   WAIT_MS, rx_done(0), rx_errors(0), rx_len(0));
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
    u8 at = (u8)(cfg_read(s, 0x34) & 0xFC);

    for (u32 hops = 0; at && hops < 48; hops++) {
        u32 v = cfg_read(s, at);
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
    struct nic n;
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
    if (!nic_open(ctx, res, &n) || !nic_slot(ctx, res, &s))
        return;
    u8 cap = find_capability(s, PCI_CAP_MSIX);
    if (!n.is_82574l || !cap) {
        check_fail(res, "needs an 82574L with an MSI-X capability");
        return;
    }
    u32 where = cfg_read(s, cap + 4u);
    volatile u32 *table = (volatile u32 *)((cfg_read(s, 0x10 + 4 * (where & 7)) & ~0xFu) +
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
        cfg_write(s, msi + 4u, r.eax);
        cfg_write(s, msi, cfg_read(s, msi) | MSI_ENABLE);
        bool on = cfg_read(s, msi) & MSI_ENABLE;
        cfg_write(s, msi, cfg_read(s, msi) & ~MSI_ENABLE);
        if (!on || cfg_read(s, msi + 4u) != r.eax) {
            check_fail(res, "MSI at 0x%x reads back %s at 0x%x", r.eax, on ? "on" : "off",
                       cfg_read(s, msi + 4u));
            return;
        }
    }
    trap_set_hook(MSIX_VECTOR, msix_vector_taken);
    cfg_write(s, cap, (cfg_read(s, cap) & ~MSIX_FN_MASK) | MSIX_ENABLE);
    wr(&n, REG_IVAR, IVAR_ALL_TO_ENTRY0);
    wr(&n, REG_IMS, ICR_RXQ0 | ICR_TXQ0);
    msix_taken = 0;
    __asm__ volatile("sti" ::: "memory");
    volatile struct rxd *d = wait_rx(&n, want_reply, &ms, &sent);
    for (u32 i = 0; i < 200000; i++)
        cpu_relax();
    cli();
    wr(&n, REG_IMC, ~0u);
    cfg_write(s, cap, cfg_read(s, cap) & ~MSIX_ENABLE);
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
