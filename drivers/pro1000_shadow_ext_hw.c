/*
 * drivers/pro1000_shadow_ext_hw.c - the 82574L's registers, receive
 * descriptor formats and queue causes for net=pass (see pro1000_shadow_ext_hw.h).
 */
#include "drivers/pro1000_shadow_ext_hw.h"

/* Bytes of a queue-1 ring block: RDBAL1 (0x00) up to the end of RDT1 (0x18). */
#define QUEUE1_BYTES (4 * PRO1000_QUEUE1_REGS)

enum pro1000_vreg pro1000_vreg_of_82574l(u32 offset)
{
    u32 reg = offset & ~3u;

    if (reg == PRO1000_RFCTL)
        return PRO1000_VREG_RFCTL;
    if (reg == PRO1000_MRQC)
        return PRO1000_VREG_MRQC;
    if (reg >= PRO1000_RDBAL1 && reg < PRO1000_RDBAL1 + QUEUE1_BYTES)
        return PRO1000_VREG_RX1;
    if (reg >= PRO1000_TDBAL1 && reg < PRO1000_TDBAL1 + QUEUE1_BYTES)
        return PRO1000_VREG_TX1;
    return pro1000_vreg_of(reg);
}

enum pro1000_rx_format pro1000_rx_format_of(u32 rctl, u32 rfctl)
{
    if ((rctl & PRO1000_RCTL_DTYP) != 0)
        return PRO1000_RX_SPLIT; /* 01 split; 10 and 11 are reserved: refused the same */
    return rfctl & PRO1000_RFCTL_EXSTEN ? PRO1000_RX_EXTENDED : PRO1000_RX_LEGACY;
}

u32 pro1000_rx_buf_bytes_82574l(u32 rctl)
{
    u32 kib = (rctl & PRO1000_RCTL_FLXBUF) >> 27;

    return kib ? kib * 1024 : pro1000_rctl_buf_bytes(rctl);
}

u32 pro1000_rctl_for_82574l(u32 device_rctl)
{
    return device_rctl & ~(PRO1000_RCTL_DTYP | PRO1000_RCTL_FLXBUF);
}

u32 pro1000_rfctl_for_device(u32 guest_rfctl)
{
    return guest_rfctl & ~PRO1000_RFCTL_EXSTEN;
}

u32 pro1000_mrqc_for_device(u32 guest_mrqc)
{
    return guest_mrqc & ~PRO1000_MRQC_ENABLE;
}

u32 pro1000_causes_82574l(u32 causes)
{
    if (causes & PRO1000_ICR_TXDW)
        causes |= PRO1000_ICR_TXQ0;
    if (causes & PRO1000_ICR_RXT0)
        causes |= PRO1000_ICR_RXQ0;
    return causes;
}

void pro1000_rxd_to_extended(struct pro1000_rx_desc *d)
{
    u32 status_error = (u32)d->status | (u32)d->errors << 24;
    u16 length = d->length, vlan = d->special;
    u8 *b = (u8 *)d;

    /* Byte by byte: the layout is the device's (little-endian), not the compiler's. */
    for (int i = 0; i < 8; i++)
        b[i] = 0; /* MRQ (RSS type, queue) and the RSS hash or IP id/checksum */
    for (int i = 0; i < 4; i++)
        b[8 + i] = (u8)(status_error >> (8 * i));
    b[12] = (u8)length;
    b[13] = (u8)(length >> 8);
    b[14] = (u8)vlan;
    b[15] = (u8)(vlan >> 8);
}
