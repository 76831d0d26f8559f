/*
 * drivers/pro1000_hw.c - pro1000 ring arithmetic and descriptors (see pro1000_hw.h).
 */
#include "drivers/pro1000_hw.h"
#include "common/lib/kstring.h"

_Static_assert(sizeof(struct pro1000_rx_desc) == 16, "the device reads 16-byte descriptors");
_Static_assert(sizeof(struct pro1000_tx_desc) == 16, "the device reads 16-byte descriptors");

u32 pro1000_ring_next(u32 i, u32 n)
{
    return i + 1 >= n ? 0 : i + 1;
}

u32 pro1000_ring_free(u32 clean, u32 tail, u32 n)
{
    if (n == 0 || clean >= n || tail >= n)
        return 0;
    /* used = tail - clean (mod n); one slot is kept empty */
    return n - 1 - (tail + n - clean) % n;
}

enum pro1000_rx_result pro1000_rx_parse(const struct pro1000_rx_desc *d, u16 *len)
{
    if (!(d->status & PRO1000_RXD_DD))
        return PRO1000_RX_EMPTY;
    if (!(d->status & PRO1000_RXD_EOP))
        return PRO1000_RX_PARTIAL;
    if (d->errors)
        return PRO1000_RX_ERROR;
    if (d->length == 0 || d->length > PRO1000_RX_BUF_BYTES)
        return PRO1000_RX_BAD_LEN;
    *len = d->length;
    return PRO1000_RX_FRAME;
}

void pro1000_rx_reset(struct pro1000_rx_desc *d, u64 buf_pa)
{
    d->addr = buf_pa;
    d->length = 0;
    d->checksum = 0;
    d->status = 0;
    d->errors = 0;
    d->special = 0;
}

void pro1000_tx_fill(struct pro1000_tx_desc *d, u64 buf_pa, u16 len)
{
    d->addr = buf_pa;
    d->length = len;
    d->cso = 0;
    d->cmd = PRO1000_TXD_EOP | PRO1000_TXD_IFCS | PRO1000_TXD_RS;
    d->status = 0;
    d->css = 0;
    d->special = 0;
}

bool pro1000_tx_done(const struct pro1000_tx_desc *d)
{
    return d->cmd == 0 || (d->status & PRO1000_TXD_DD);
}

void pro1000_mac_from_eeprom(const u16 words[3], u8 mac[6])
{
    for (int i = 0; i < 3; i++) {
        mac[2 * i] = (u8)words[i];
        mac[2 * i + 1] = (u8)(words[i] >> 8);
    }
}

bool pro1000_mac_from_ral(u32 ral, u32 rah, u8 mac[6])
{
    if (!(rah & PRO1000_RAH_AV))
        return false;
    for (int i = 0; i < 4; i++)
        mac[i] = (u8)(ral >> (8 * i));
    mac[4] = (u8)rah;
    mac[5] = (u8)(rah >> 8);
    return true;
}

void pro1000_mac_to_ral(const u8 mac[6], u32 *ral, u32 *rah)
{
    *ral = (u32)mac[0] | (u32)mac[1] << 8 | (u32)mac[2] << 16 | (u32)mac[3] << 24;
    *rah = (u32)mac[4] | (u32)mac[5] << 8 | PRO1000_RAH_AV;
}

/* 8254x manual, EERD: address in bits 15:8, done bit 4; 82574 datasheet, EERD:
 * address in bits 15:2, done bit 1. Data in bits 31:16 on both. */
static const struct pro1000_model models[] = {
    { 0x100E, "82540EM", 8, 1u << 4, true, false },
    { 0x10D3, "82574L", 2, 1u << 1, true, true },
};

const struct pro1000_model *pro1000_model_of(u16 device_id)
{
    for (u32 i = 0; i < sizeof(models) / sizeof(models[0]); i++)
        if (models[i].device_id == device_id)
            return &models[i];
    return NULL;
}

u32 pro1000_eerd_start(const struct pro1000_model *m, u8 addr)
{
    return ((u32)addr << m->eerd_addr_shift) | PRO1000_EERD_START;
}

bool pro1000_eerd_word(const struct pro1000_model *m, u32 eerd, u16 *word)
{
    if (!(eerd & m->eerd_done))
        return false;
    *word = (u16)(eerd >> 16);
    return true;
}
