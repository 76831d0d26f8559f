/**
 * @file pci/pci_cfgspace.c
 * @brief Configuration-space arithmetic (see pci/pci_cfgspace.h).
 */
#include "pci/pci_cfgspace.h"

bool pci_cf8_decode(u32 cf8, u16 port, struct pci_cfgspace_addr *out)
{
    if (!(cf8 & PCI_CF8_ENABLE))
        return false;
    out->bus = (u8)(cf8 >> 16);
    out->device = (u8)((cf8 >> 11) & 0x1f);
    out->function = (u8)((cf8 >> 8) & 7);
    out->offset = (u16)(((cf8 >> 16) & 0xf00) | (cf8 & 0xfc) | (port & 3));
    return true;
}

u32 pci_cf8_encode(const struct pci_cfgspace_addr *a)
{
    return PCI_CF8_ENABLE | ((u32)(a->offset & 0xf00) << 16) | ((u32)a->bus << 16) |
        ((u32)(a->device & 0x1f) << 11) | ((u32)(a->function & 7) << 8) | (a->offset & 0xfc);
}

u64 pci_ecam_offset(u8 start_bus, const struct pci_cfgspace_addr *a)
{
    return ((u64)(u8)(a->bus - start_bus) << 20) | ((u64)(a->device & 0x1f) << 15) |
        ((u64)(a->function & 7) << 12) | (a->offset & 0xfff);
}

bool pci_ecam_decode(u8 start_bus, u8 end_bus, u64 off, struct pci_cfgspace_addr *out)
{
    u64 bus = (off >> 20) + start_bus;

    if (end_bus < start_bus || bus > end_bus)
        return false;
    out->bus = (u8)bus;
    out->device = (u8)((off >> 15) & 0x1f);
    out->function = (u8)((off >> 12) & 7);
    out->offset = (u16)(off & 0xfff);
    return true;
}

/* Mask of the bytes of a size-byte access at lane, within the dword. */
static u32 lane_mask(u16 offset, u8 size)
{
    u32 lane = offset & 3;
    u32 bytes = size > 4 - lane ? 4 - lane : size;

    return (bytes >= 4 ? 0xffffffffu : ((1u << (8 * bytes)) - 1)) << (8 * lane);
}

u32 pci_cfgspace_extract(u32 dword, u16 offset, u8 size)
{
    return (dword & lane_mask(offset, size)) >> (8 * (offset & 3));
}

u32 pci_cfgspace_merge(u32 dword, u16 offset, u8 size, u32 value)
{
    u32 mask = lane_mask(offset, size);

    return (dword & ~mask) | ((value << (8 * (offset & 3))) & mask);
}

u32 pci_cfgspace_all_ones(u8 size)
{
    return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

bool pci_bar_is_64(u32 lo)
{
    return !(lo & 1) && ((lo >> 1) & 3) == 2;
}

u32 pci_bar_probe_value(const struct pci_bar *bars, u32 nbars, u32 i, u32 hw)
{
    if (i >= nbars)
        return 0;
    const struct pci_bar *b = &bars[i];
    if (b->kind == PCI_BAR_NONE) {
        const struct pci_bar *lo = i > 0 ? &bars[i - 1] : NULL;
        return lo && lo->kind == PCI_BAR_MEM64 && lo->size ? (u32)(~(lo->size - 1) >> 32) : 0;
    }
    if (b->size == 0)
        return 0;
    u32 flags = b->kind == PCI_BAR_IO ? 0x3u : 0xFu;
    return ((u32)~(b->size - 1) & ~flags) | (hw & flags);
}

u32 pci_bar_decode(u32 lo_orig, u32 lo_probe, u32 hi_orig, u32 hi_probe, struct pci_bar *out)
{
    out->kind = PCI_BAR_NONE;
    out->prefetchable = false;
    out->base = 0;
    out->size = 0;
    if (lo_orig & 1) {
        /* I/O: bits 1:0 are flags; only the low 16 bits can decode on x86 */
        u32 mask = lo_probe & 0xfffffffcu;

        if (!mask)
            return 1;
        mask |= 0xffff0000u; /* upper bits may read 0 on 16-bit decoders */
        out->kind = PCI_BAR_IO;
        out->base = lo_orig & 0xfffffffcu;
        out->size = (u64)(~mask + 1) & 0xffffffffu;
        return 1;
    }
    if (pci_bar_is_64(lo_orig)) {
        u64 mask = ((u64)hi_probe << 32) | (lo_probe & 0xfffffff0u);

        out->prefetchable = (lo_orig >> 3) & 1;
        if (!mask)
            return 2;
        out->kind = PCI_BAR_MEM64;
        out->base = ((u64)hi_orig << 32) | (lo_orig & 0xfffffff0u);
        out->size = ~mask + 1;
        return 2;
    }
    out->prefetchable = (lo_orig >> 3) & 1;
    if (!(lo_probe & 0xfffffff0u))
        return 1;
    out->kind = PCI_BAR_MEM32;
    out->base = lo_orig & 0xfffffff0u;
    out->size = (u64)(~(lo_probe & 0xfffffff0u) + 1) & 0xffffffffu;
    return 1;
}

/* Little-endian loads that need no alignment. */
static u64 le(const u8 *p, u32 bytes)
{
    u64 v = 0;

    for (u32 i = bytes; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

bool pci_mcfg_parse(const u8 *table, size_t len, struct pci_ecam_window *out)
{
    const size_t first = 44, entry = 16;
    u64 declared;

    if (len < first || table[0] != 'M' || table[1] != 'C' || table[2] != 'F' || table[3] != 'G')
        return false;
    declared = le(table + 4, 4);
    if (declared < len)
        len = (size_t)declared;
    for (size_t off = first; off + entry <= len; off += entry) {
        const u8 *e = table + off;
        u64 base = le(e, 8);
        u16 segment = (u16)le(e + 8, 2);

        if (segment != 0 || base == 0 || e[11] < e[10])
            continue;
        out->base = base;
        out->segment = segment;
        out->start_bus = e[10];
        out->end_bus = e[11];
        return true;
    }
    return false;
}
