/*
 * common/base/bios_memmap.c - E820, E801 and 88h answers from the guest's
 * memory map, and the INT 15h stub (chapter 12).
 */
#include "common/base/bios_memmap.h"

#define MIB_1 0x100000ULL
#define MIB_16 0x1000000ULL
#define GIB_4 0x100000000ULL

bool bios_e820_entry(const struct phys_range *map, size_t n, u32 index,
                     struct bios_e820_entry *out, u32 *next)
{
    /* LAB 7 BEGIN: part 2: answer INT 15h E820h (the entry for a continuation value, the next one, the end) */
    /* LAB 7 FALLBACK: if (index < n) { *out = (struct bios_e820_entry){ map[index].base, map[index].length, map[index].type, 1 }; *next = index + 1 < n ? index + 1 : 0; return true; } return false; */
    u32 seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (map[i].length == 0)
            continue;
        if (seen++ != index)
            continue;
        out->base = map[i].base;
        out->length = map[i].length;
        out->type = map[i].type;
        out->attrs = 1;
        /* Is there a further entry with a length? */
        *next = 0;
        for (size_t j = i + 1; j < n; j++)
            if (map[j].length) {
                *next = index + 1;
                break;
            }
        return true;
    }
    return false;
    /* LAB 7 END */
}

u32 bios_e820_answer_size(u32 buffer_size)
{
    /* LAB 7 BEGIN: part 2: how many bytes an E820 answer writes to ES:DI */
    /* LAB 7 FALLBACK: return buffer_size < BIOS_E820_ENTRY_SIZE ? 0 : BIOS_E820_ENTRY_SIZE; */
    if (buffer_size < BIOS_E820_ENTRY_SIZE)
        return 0;
    return buffer_size >= BIOS_E820_ENTRY_SIZE_EXT ? BIOS_E820_ENTRY_SIZE_EXT : BIOS_E820_ENTRY_SIZE;
    /* LAB 7 END */
}

u64 bios_ram_end_from(const struct phys_range *map, size_t n, u64 start)
{
    u64 end = start;
    /* Each pass extends end through one entry; the map may be unsorted. */
    for (bool grew = true; grew;) {
        grew = false;
        for (size_t i = 0; i < n; i++) {
            u64 b = map[i].base, e = map[i].base + map[i].length;
            if (map[i].type == 1 && e > b && b <= end && e > end) {
                end = e;
                grew = true;
            }
        }
    }
    return end;
}

struct bios_e801_answer bios_e801_answer(const struct phys_range *map, size_t n)
{
    struct bios_e801_answer a = { 0, 0 };
    u64 low_end = bios_ram_end_from(map, n, MIB_1);
    if (low_end > MIB_16)
        low_end = MIB_16;
    a.kib_1m_to_16m = (u16)((low_end - MIB_1) >> 10);
    /* Counted on its own, as BIOSes do: an ISA hole at 15 MiB does not hide
     * the RAM above 16 MiB, but any reserved range above 16 MiB ends it. */
    u64 high_end = bios_ram_end_from(map, n, MIB_16);
    if (high_end > GIB_4)
        high_end = GIB_4;
    u64 blocks = (high_end - MIB_16) >> 16;
    a.blocks_above_16m = (u16)(blocks > 0xFFFF ? 0xFFFF : blocks);
    return a;
}

u16 bios_88_answer(const struct phys_range *map, size_t n)
{
    u64 kib = (bios_ram_end_from(map, n, MIB_1) - MIB_1) >> 10;
    return (u16)(kib > 0xFFFF ? 0xFFFF : kib);
}

bool bios_stub_place(u16 base_kib, u64 *stub_pa)
{
    if (base_kib < 64 || base_kib > 640)
        return false;
    *stub_pa = ((u64)base_kib - 1) << 10;
    return true;
}

void bios_stub_bytes(u8 out[BIOS_STUB_SIZE], bool vmmcall, u16 old_seg, u16 old_off)
{
    static const u8 code[BIOS_STUB_SIZE] = {
        0x66, 0x55,                         /* push ebp */
        0x66, 0xBD, 0x49, 0x31, 0x35, 0x21, /* mov ebp, BIOS_STUB_MARK */
        0x0F, 0x01, 0xC1,                   /* vmcall (or vmmcall: 0F 01 D9) */
        0x66, 0x5D, 0xCF,                   /* 11: pop ebp; iret */
        0x66, 0x5D, 0xEA, 0, 0, 0, 0,       /* 14: pop ebp; jmp old_seg:old_off */
    };
    for (unsigned i = 0; i < BIOS_STUB_SIZE; i++)
        out[i] = code[i];
    if (vmmcall)
        out[10] = 0xD9;
    out[17] = (u8)old_off;
    out[18] = (u8)(old_off >> 8);
    out[19] = (u8)old_seg;
    out[20] = (u8)(old_seg >> 8);
}
