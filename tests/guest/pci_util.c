/**
 * @file tests/guest/pci_util.c
 * @brief Slots, the ECAM window and parsing for the PCI checks (see pci_util.h).
 */
#include "pci_util.h"
#include "acpi.h"

bool pci_find_ecam(struct pci_ecam *out)
{
    u32 mcfg = acpi_find_table("MCFG");
    if (!mcfg)
        return false;
    u32 length = *(const volatile u32 *)(mcfg + 4);
    for (u32 off = 44; off + 16 <= length; off += 16) {
        const volatile u8 *e = (const volatile u8 *)(mcfg + off);
        u32 lo = *(const volatile u32 *)e, hi = *(const volatile u32 *)(e + 4);
        u16 segment = *(const volatile u16 *)(e + 8);
        if (segment != 0 || hi != 0 || lo == 0 || e[11] < e[10])
            continue;
        if ((u64)lo + ((u64)(e[11] - e[10] + 1) << 20) > FOUR_GIB)
            continue;
        out->base = lo;
        out->start = e[10];
        out->end = e[11];
        return true;
    }
    return false;
}

volatile u8 *pci_ecam_ptr(const struct pci_ecam *w, struct slot s, u32 off)
{
    if (s.bus < w->start || s.bus > w->end)
        return NULL;
    return (volatile u8 *)(w->base + ((u32)(s.bus - w->start) << 20) + ((u32)s.dev << 15) +
                           ((u32)s.fn << 12) + off);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool parse_hex(const char *s, u32 n, u32 *out)
{
    u32 v = 0;
    for (u32 i = 0; i < n; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return false;
        v = v * 16 + (u32)d;
    }
    *out = v;
    return true;
}

bool parse_slot(const char *s, struct slot *out)
{
    u32 bus, dev, fn;
    if (!parse_hex(s, 2, &bus) || s[2] != ':' || !parse_hex(s + 3, 2, &dev) || s[5] != '.' ||
        !parse_hex(s + 6, 1, &fn) || dev > 31 || fn > 7)
        return false;
    out->bus = (u8)bus;
    out->dev = (u8)dev;
    out->fn = (u8)fn;
    return true;
}

bool parse_slot_list(const char *v, u32 len, struct slot *out, u32 *n, u32 max,
                     struct check_result *res, const char *key)
{
    *n = 0;
    for (u32 i = 0; i < len;) {
        if (len - i < 7 || *n == max || !parse_slot(v + i, &out[*n]) ||
            (i + 7 < len && v[i + 7] != ',')) {
            check_fail(res, "%s: bad slot list (want bb:dd.f,...)", key);
            return false;
        }
        (*n)++;
        i += 8;
    }
    return true;
}
