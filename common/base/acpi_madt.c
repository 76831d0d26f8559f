/*
 * common/base/acpi_madt.c - the processors of the MADT, and where their
 * start-up code may go (chapter 08, "SMP start-up").
 */
#include "common/base/acpi_madt.h"

#define MADT_FIXED_BYTES 44  /* header (36), local APIC address, flags */
#define MADT_LOCAL_APIC 0    /* entry: processor local APIC, 8 bytes */
#define MADT_LOCAL_X2APIC 9  /* entry: processor local x2APIC, 16 bytes */
#define MADT_CPU_ENABLED 1u  /* flags bit 0 */

static u32 rd32(const u8 *p)
{
    return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

static void add_cpu(struct madt_cpus *out, u32 apic_id, u32 flags)
{
    if (!(flags & MADT_CPU_ENABLED)) {
        out->disabled++;
        return;
    }
    for (u32 i = 0; i < out->count; i++)
        if (out->apic_id[i] == apic_id)
            return;
    if (out->count == MADT_MAX_CPUS) {
        out->dropped++;
        return;
    }
    out->apic_id[out->count++] = apic_id;
}

enum madt_result madt_read_cpus(const u8 *madt, size_t len, struct madt_cpus *out)
{
    *out = (struct madt_cpus){ 0 };
    if (len < 4 || madt[0] != 'A' || madt[1] != 'P' || madt[2] != 'I' || madt[3] != 'C')
        return MADT_NOT_MADT;
    if (len < MADT_FIXED_BYTES || rd32(madt + 4) < MADT_FIXED_BYTES || rd32(madt + 4) > len)
        return MADT_TOO_SHORT;
    size_t end = rd32(madt + 4);
    out->lapic_base = rd32(madt + 36);
    for (size_t at = MADT_FIXED_BYTES; at < end;) {
        if (end - at < 2 || madt[at + 1] < 2 || madt[at + 1] > end - at)
            return MADT_BAD_ENTRY;
        const u8 *e = madt + at;
        if (e[0] == MADT_LOCAL_APIC && e[1] >= 8)
            add_cpu(out, e[3], rd32(e + 4));
        else if (e[0] == MADT_LOCAL_X2APIC && e[1] >= 16)
            add_cpu(out, rd32(e + 4), rd32(e + 8));
        at += e[1];
    }
    return MADT_OK;
}

const char *madt_result_name(enum madt_result r)
{
    switch (r) {
    case MADT_OK: return "ok";
    case MADT_NOT_MADT: return "not a MADT";
    case MADT_TOO_SHORT: return "too short";
    case MADT_BAD_ENTRY: return "an entry of a bad length";
    }
    return "?";
}

bool madt_startup_page(const struct phys_range *map, size_t nmap, u64 *page_out)
{
    bool found = false;
    for (u64 page = 0x1000; page < 0xA0000; page += 0x1000) {
        if (vmm_layout_is_ram(map, nmap, page, 0x1000, NULL)) {
            *page_out = page;
            found = true;
        }
    }
    return found;
}
