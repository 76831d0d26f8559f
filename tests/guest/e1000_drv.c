/*
 * tests/guest/e1000_drv.c - the test guest's own small 82540EM driver (see
 * e1000_drv.h).
 */
#include "e1000_drv.h"
#include "cpu.h"
#include "gstring.h"
#include "pci_util.h"
#include "select.h"

#define CTRL_RST (1u << 26)
#define CTRL_SLU (1u << 6)
#define CTRL_ASDE (1u << 5)

struct e1000_txd e1000_tx_ring[E1000_RING] __attribute__((aligned(128)));
struct e1000_rxd e1000_rx_ring[E1000_RING] __attribute__((aligned(128)));
u8 e1000_tx_buf[E1000_BUF] __attribute__((aligned(16)));
u8 e1000_rx_buf[E1000_RING][E1000_BUF] __attribute__((aligned(16)));

/* The receive ring's format: every look at a descriptor goes through the accessors. */
static bool rx_extended;

bool e1000_rx_done(u32 i)
{
    const volatile u8 *b = (const volatile u8 *)&e1000_rx_ring[i];

    return b[rx_extended ? 8 : 12] & E1000_RXD_DD;
}

u16 e1000_rx_len(u32 i)
{
    const volatile u8 *b = (const volatile u8 *)&e1000_rx_ring[i];
    u32 at = rx_extended ? 12 : 8;

    return (u16)(b[at] | b[at + 1] << 8);
}

u8 e1000_rx_errors(u32 i)
{
    return ((const volatile u8 *)&e1000_rx_ring[i])[rx_extended ? 11 : 13];
}

void e1000_rx_give(u32 i, u64 addr)
{
    volatile u8 *b = (volatile u8 *)&e1000_rx_ring[i];

    for (u32 k = 0; k < 16; k++)
        b[k] = k < 8 ? (u8)(addr >> (8 * k)) : 0;
}

u32 e1000_rd(struct e1000_nic *n, u32 reg)
{
    return *(volatile u32 *)(n->regs + reg);
}

void e1000_wr(struct e1000_nic *n, u32 reg, u32 value)
{
    *(volatile u32 *)(n->regs + reg) = value;
}

/* A register through the I/O window, as Linux's e1000 resets an 82540EM. */
void e1000_io_wr(struct e1000_nic *n, u32 reg, u32 value)
{
    outl(n->io, reg);
    outl((u16)(n->io + 4), value);
}

u32 e1000_io_rd(struct e1000_nic *n, u32 reg)
{
    outl(n->io, reg);
    return inl((u16)(n->io + 4));
}

u32 e1000_cfg_read(struct slot s, u32 off)
{
    outl(0xCF8, 0x80000000u | (u32)s.bus << 16 | (u32)s.dev << 11 | (u32)s.fn << 8 | off);
    return inl(0xCFC);
}

void e1000_cfg_write(struct slot s, u32 off, u32 value)
{
    outl(0xCF8, 0x80000000u | (u32)s.bus << 16 | (u32)s.dev << 11 | (u32)s.fn << 8 | off);
    outl(0xCFC, value);
}

void e1000_rings_setup(struct e1000_nic *n, u32 rx_base, u32 tx_base)
{
    memset(e1000_tx_ring, 0, sizeof(e1000_tx_ring));
    for (u32 i = 0; i < E1000_RING; i++)
        e1000_rx_give(i, (u32)e1000_rx_buf[i]);
    e1000_wr(n, E1000_TDBAL, tx_base);
    e1000_wr(n, E1000_TDBAH, 0);
    e1000_wr(n, E1000_TDLEN, sizeof(e1000_tx_ring));
    e1000_wr(n, E1000_TDH, 0);
    e1000_wr(n, E1000_TDT, 0);
    e1000_wr(n, E1000_RDBAL, rx_base);
    e1000_wr(n, E1000_RDBAH, 0);
    e1000_wr(n, E1000_RDLEN, sizeof(e1000_rx_ring));
    e1000_wr(n, E1000_RDH, 0);
    e1000_wr(n, E1000_RDT, E1000_RING - 1);
    n->tx_next = n->rx_next = 0;
}

bool e1000_slot(const struct check_context *ctx, struct check_result *res, struct slot *s)
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
static bool rx_mode(const struct check_context *ctx, struct check_result *res,
                    struct e1000_nic *n)
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

bool e1000_open(const struct check_context *ctx, struct check_result *res, struct e1000_nic *n,
                u32 rctl_change)
{
    struct slot s;

    memset(n, 0, sizeof(*n));
    if (!e1000_slot(ctx, res, &s))
        return false;
    u32 id = e1000_cfg_read(s, 0);
    if (id != E1000_ID_82540EM && id != E1000_ID_82574L) {
        check_fail(res, "no 82540EM or 82574L at %02x:%02x.%x (id 0x%08x)", s.bus, s.dev, s.fn,
                   id);
        return false;
    }
    n->is_82574l = id == E1000_ID_82574L;
    if (!rx_mode(ctx, res, n))
        return false;
    /* I/O and memory decoding, bus mastering */
    e1000_cfg_write(s, 0x04, e1000_cfg_read(s, 0x04) | 0x7);
    n->regs = (volatile u8 *)(e1000_cfg_read(s, 0x10) & ~0xFu);
    for (u32 bar = 0x14; bar <= 0x24 && !n->io; bar += 4) /* QEMU: BAR1 (e1000), BAR2 (e1000e) */
        if (e1000_cfg_read(s, bar) & 1)
            n->io = (u16)(e1000_cfg_read(s, bar) & ~3u);
    if (!n->io) {
        check_fail(res, "no I/O BAR: no I/O window");
        return false;
    }
    e1000_wr(n, E1000_IMC, ~0u);
    e1000_io_wr(n, E1000_CTRL, e1000_io_rd(n, E1000_CTRL) | CTRL_RST);
    for (u32 i = 0; e1000_rd(n, E1000_CTRL) & CTRL_RST; i++) {
        if (i > 1000000) {
            check_fail(res, "the reset did not finish");
            return false;
        }
    }
    e1000_wr(n, E1000_IMC, ~0u);
    (void)e1000_rd(n, E1000_ICR);
    u32 ral = e1000_rd(n, E1000_RAL0), rah = e1000_rd(n, E1000_RAH0);
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
        e1000_wr(n, E1000_RAL0 + 8 * i, 0);
        e1000_wr(n, E1000_RAH0 + 8 * i, 0);
    }
    if (e1000_rd(n, E1000_RAH0 + 8 * 15) != 0) {
        check_fail(res, "RAH15 reads 0x%x after the guest cleared it",
                   e1000_rd(n, E1000_RAH0 + 8 * 15));
        return false;
    }
    e1000_wr(n, E1000_CTRL, e1000_rd(n, E1000_CTRL) | CTRL_SLU | CTRL_ASDE);
    if (n->ext)
        e1000_wr(n, E1000_RFCTL, e1000_rd(n, E1000_RFCTL) | E1000_RFCTL_EXSTEN);
    rx_extended = n->ext;
    e1000_rings_setup(n, (u32)e1000_rx_ring, (u32)e1000_tx_ring);
    e1000_wr(n, E1000_TIPG, 10u | (8u << 10) | (6u << 20));
    e1000_wr(n, E1000_TCTL, (1u << 1) | (1u << 3) | (0x0Fu << 4) | (0x40u << 12)); /* EN, PSP */
    /* EN, BAM, SECRC; 2 KiB buffers; the caller's changes */
    e1000_wr(n, E1000_RCTL, ((1u << 1) | (1u << 15) | E1000_RCTL_SECRC) ^ rctl_change);
    return true;
}

bool e1000_send(struct e1000_nic *n, u32 addr, u16 len)
{
    struct e1000_txd *d = &e1000_tx_ring[n->tx_next];

    d->addr = addr;
    d->length = len;
    d->cmd = E1000_TXD_EOP | E1000_TXD_IFCS | E1000_TXD_RS;
    d->status = 0;
    n->tx_next = (n->tx_next + 1) % E1000_RING;
    e1000_wr(n, E1000_TDT, n->tx_next);
    for (u32 i = 0; i < 100000; i++) {
        n->icr_seen |= e1000_rd(n, E1000_ICR);
        if (((volatile struct e1000_txd *)d)->status & 1)
            return true;
    }
    return false;
}

void e1000_arp_request(const struct e1000_nic *n)
{
    static const u8 head[] = { 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1 };
    static const u8 ips[] = { 10, 0, 2, 15 };
    static const u8 target[] = { 10, 0, 2, 2 };

    memset(e1000_tx_buf, 0, 60);
    memset(e1000_tx_buf, 0xFF, 6);
    memcpy(e1000_tx_buf + 6, n->mac, 6);
    memcpy(e1000_tx_buf + 12, head, sizeof(head));
    memcpy(e1000_tx_buf + 22, n->mac, 6);
    memcpy(e1000_tx_buf + 28, ips, 4);
    memcpy(e1000_tx_buf + 38, target, 4);
}

