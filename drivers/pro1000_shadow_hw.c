/*
 * drivers/pro1000_shadow_hw.c - register classes, guest rings and
 * descriptors for net=pass (see pro1000_shadow_hw.h).
 */
#include "drivers/pro1000_shadow_hw.h"

/* The 82542's offsets of the ring registers, which later parts still decode. */
#define ALIAS_RX_BASE 0x0110u
#define ALIAS_TX_BASE 0x0420u

/* Ring registers by their distance from the ring's first one (RDBAL or TDBAL). */
static enum pro1000_vreg ring_reg(u32 delta, bool tx)
{
    switch (delta) {
    case 0x00: return tx ? PRO1000_VREG_TDBAL : PRO1000_VREG_RDBAL;
    case 0x04: return tx ? PRO1000_VREG_TDBAH : PRO1000_VREG_RDBAH;
    case 0x08: return tx ? PRO1000_VREG_TDLEN : PRO1000_VREG_RDLEN;
    case 0x10: return tx ? PRO1000_VREG_TDH : PRO1000_VREG_RDH;
    case 0x18: return tx ? PRO1000_VREG_TDT : PRO1000_VREG_RDT;
    default: return PRO1000_VREG_PASS;
    }
}

enum pro1000_vreg pro1000_vreg_of(u32 offset)
{
    u32 reg = offset & ~3u;

    if (reg == PRO1000_CTRL)
        return PRO1000_VREG_CTRL;
    if (reg == PRO1000_RCTL)
        return PRO1000_VREG_RCTL;
    if (reg == PRO1000_TCTL)
        return PRO1000_VREG_TCTL;
    if (reg == PRO1000_RAL_STACK)
        return PRO1000_VREG_RAL_STACK;
    if (reg == PRO1000_RAH_STACK)
        return PRO1000_VREG_RAH_STACK;
    if (reg >= PRO1000_RDBAL && reg <= PRO1000_RDT)
        return ring_reg(reg - PRO1000_RDBAL, false);
    if (reg >= PRO1000_TDBAL && reg <= PRO1000_TDT)
        return ring_reg(reg - PRO1000_TDBAL, true);
    if (reg >= ALIAS_RX_BASE && reg <= ALIAS_RX_BASE + 0x18)
        return ring_reg(reg - ALIAS_RX_BASE, false);
    if (reg >= ALIAS_TX_BASE && reg <= ALIAS_TX_BASE + 0x18)
        return ring_reg(reg - ALIAS_TX_BASE, true);
    return PRO1000_VREG_PASS;
}

bool pro1000_vreg_is_ring(enum pro1000_vreg r)
{
    return r >= PRO1000_VREG_RDBAL && r <= PRO1000_VREG_TDT;
}

u64 pro1000_vring_base(const struct pro1000_vring *r)
{
    return (u64)r->bah << 32 | r->bal;
}

u32 pro1000_vring_count(const struct pro1000_vring *r)
{
    if (r->len == 0 || r->len % 128 != 0 || pro1000_vring_base(r) % 16 != 0)
        return 0;
    return r->len / 16;
}

u32 pro1000_vring_pending(const struct pro1000_vring *r)
{
    u32 n = pro1000_vring_count(r);

    if (n == 0 || r->head >= n || r->tail >= n)
        return 0;
    return (r->tail + n - r->head) % n;
}

u64 pro1000_vring_desc_addr(const struct pro1000_vring *r, u32 i)
{
    return pro1000_vring_base(r) + (u64)i * 16;
}

enum pro1000_txd_kind pro1000_txd_parse(const struct pro1000_tx_desc *d, u64 *addr, u32 *len,
                                        bool *eop)
{
    /* Bytes 8-11 of an extended descriptor: length (20 bits), type (4), command (8). */
    u32 word = (u32)d->length | (u32)d->cso << 16 | (u32)d->cmd << 24;
    u32 type = (word >> 20) & 0xF;

    if (!(d->cmd & PRO1000_TXD_DEXT)) {
        *addr = d->addr;
        *len = d->length;
        *eop = d->cmd & PRO1000_TXD_EOP;
        return PRO1000_TXD_DATA;
    }
    if (type == 0)
        return PRO1000_TXD_CONTEXT;
    if (type != 1)
        return PRO1000_TXD_BAD;
    *addr = d->addr;
    *len = word & 0xFFFFF;
    *eop = d->cmd & PRO1000_TXD_EOP;
    return PRO1000_TXD_DATA;
}

void pro1000_txd_complete(struct pro1000_tx_desc *d)
{
    d->status |= PRO1000_TXD_DD;
}

bool pro1000_txd_reports(const struct pro1000_tx_desc *d)
{
    return d->cmd & PRO1000_TXD_RS;
}

bool pro1000_txd_legacy_checksum(const struct pro1000_tx_desc *d, struct pro1000_offload_ctx *c)
{
    if ((d->cmd & PRO1000_TXD_DEXT) || !(d->cmd & PRO1000_TXD_IC))
        return false;
    /* TCP's rule for the result: a legacy checksum is stored as computed, 0 included. */
    *c = (struct pro1000_offload_ctx){ .valid = true, .tucss = d->css, .tucso = d->cso,
                                       .tucse = 0, .tucmd = PRO1000_TUCMD_TCP };
    return true;
}

u32 pro1000_rctl_buf_bytes(u32 rctl)
{
    static const u32 plain[4] = { 2048, 1024, 512, 256 };
    /* With BSEX, the 82540EM multiplies by 16; size 0 is reserved there. */
    static const u32 extended[4] = { 0, 16384, 8192, 4096 };
    u32 field = (rctl & PRO1000_RCTL_BSIZE) >> 16;

    return rctl & PRO1000_RCTL_BSEX ? extended[field] : plain[field];
}

u32 pro1000_rctl_for_device(u32 guest_rctl)
{
    return (guest_rctl & ~(PRO1000_RCTL_BSIZE | PRO1000_RCTL_BSEX)) | PRO1000_RCTL_SECRC;
}

u32 pro1000_rctl_for_shared_device(u32 guest_rctl)
{
    return pro1000_rctl_for_device(guest_rctl) | PRO1000_RCTL_EN | PRO1000_RCTL_BAM;
}

void pro1000_rxd_complete(struct pro1000_rx_desc *d, u16 len)
{
    pro1000_rxd_complete_piece(d, len, true);
}

void pro1000_rxd_complete_piece(struct pro1000_rx_desc *d, u16 len, bool last)
{
    d->length = len;
    d->checksum = 0;
    d->errors = 0;
    d->special = 0;
    d->status = PRO1000_RXD_DD | PRO1000_RXD_IXSM | (last ? PRO1000_RXD_EOP : 0);
}

u32 pro1000_rx_descs_for(u32 total, u32 buf_bytes)
{
    if (buf_bytes == 0)
        return 0;
    return total / buf_bytes + (total % buf_bytes != 0);
}

u32 pro1000_fcs(const u8 *frame, size_t len)
{
    u32 crc = ~0u;

    /* Bit by bit, reflected polynomial: slow, but a frame is at most 2 KiB here. */
    for (size_t i = 0; i < len; i++) {
        crc ^= frame[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}
