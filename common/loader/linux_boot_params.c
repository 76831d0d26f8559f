/*
 * common/loader/linux_boot_params.c - what a Linux kernel reads at its
 * entry: the zero page with its E820 table, the GDT, identity page tables
 * (pure; see linux.h).
 */
#include "common/loader/linux.h"

int linux_build_e820(const struct phys_range *map, size_t n, u8 *table, u32 *count)
{
    /* LAB 7 BEGIN: write the zero page's E820 table from the guest's memory map */
    /* LAB 7 FALLBACK: u32 used = 0; for (size_t i = 0; i < n; i++) { if (!map[i].length) continue; if (used == LINUX_E820_MAX) { *count = used; return LINUX_ERR_E820_TOO_LONG; } u8 *e = table + used++ * LINUX_E820_ENTRY_SIZE; linux_wr64(e, map[i].base); linux_wr64(e + 8, map[i].length); linux_wr32(e + 16, map[i].type); } *count = used; return LINUX_OK; */
    u32 used = 0;
    u64 last_end = 0;
    u32 last_type = 0;

    for (size_t i = 0; i < n; i++) {
        const struct phys_range *r = &map[i];
        if (!r->length)
            continue;
        if (used && r->type == last_type && r->base == last_end) {
            u8 *prev = table + (used - 1) * LINUX_E820_ENTRY_SIZE;
            linux_wr64(prev + 8, linux_rd64(prev + 8) + r->length);
        } else {
            if (used == LINUX_E820_MAX) {
                *count = used;
                return LINUX_ERR_E820_TOO_LONG;
            }
            u8 *e = table + used++ * LINUX_E820_ENTRY_SIZE;
            linux_wr64(e, r->base);
            linux_wr64(e + 8, r->length);
            linux_wr32(e + 16, r->type);
        }
        last_end = r->base + r->length;
        last_type = r->type;
    }
    *count = used;
    return LINUX_OK;
    /* LAB 7 END */
}

void linux_fill_boot_params(u8 *bp, const u8 *image, const struct linux_image *img,
                            const struct linux_boot_facts *f)
{
    memcpy(bp + LINUX_HDR_START, image + LINUX_HDR_START, img->header_end - LINUX_HDR_START);
    bp[LINUX_BP_SENTINEL] = 0;
    bp[LINUX_HDR_TYPE_OF_LOADER] = LINUX_TYPE_OF_LOADER_OTHER;
    /* No real-mode setup code runs, so it has no heap to be told about. */
    bp[LINUX_HDR_LOADFLAGS] = (u8)((img->loadflags | LINUX_LOADFLAG_LOADED_HIGH) &
                                   ~LINUX_LOADFLAG_CAN_USE_HEAP);
    linux_wr32(bp + LINUX_HDR_CODE32_START, (u32)f->kernel_addr);
    linux_wr32(bp + LINUX_HDR_CMD_LINE_PTR, (u32)f->cmdline);
    linux_wr32(bp + LINUX_BP_EXT_CMD_LINE_PTR, (u32)(f->cmdline >> 32));
    if (f->initrd_size) {
        linux_wr32(bp + LINUX_HDR_RAMDISK_IMAGE, (u32)f->initrd_addr);
        linux_wr32(bp + LINUX_BP_EXT_RAMDISK_IMAGE, (u32)(f->initrd_addr >> 32));
        linux_wr32(bp + LINUX_HDR_RAMDISK_SIZE, (u32)f->initrd_size);
        linux_wr32(bp + LINUX_BP_EXT_RAMDISK_SIZE, (u32)(f->initrd_size >> 32));
    }
    if (img->version >= 0x020E) /* acpi_rsdp_addr is read from 2.14 on */
        linux_wr64(bp + LINUX_BP_ACPI_RSDP_ADDR, f->rsdp);
}

/* Flat 4 GiB descriptors: limit 0xFFFFF in 4 KiB units, base 0, accessed. */
#define DESC_CODE64 0x00AF9B000000FFFFull /* P, S, execute/read; G, L */
#define DESC_CODE32 0x00CF9B000000FFFFull /* P, S, execute/read; G, D */
#define DESC_DATA 0x00CF93000000FFFFull   /* P, S, read/write; G, B */

void linux_build_gdt(u8 gdt[LINUX_GDT_SIZE], bool long64)
{
    memset(gdt, 0, LINUX_GDT_SIZE);
    linux_wr64(gdt + LINUX_BOOT_CS, long64 ? DESC_CODE64 : DESC_CODE32);
    linux_wr64(gdt + LINUX_BOOT_DS, DESC_DATA);
}

#define PTE_PRESENT_WRITE 0x3ull
#define PTE_LARGE 0x80ull

void linux_build_identity_tables(u8 *tables, u64 gpa)
{
    memset(tables, 0, LINUX_PT_PAGES * 4096);
    u8 *pml4 = tables, *pdpt = tables + 4096;
    linux_wr64(pml4, (gpa + 4096) | PTE_PRESENT_WRITE);
    for (u64 g = 0; g < 4; g++) {
        u64 pd_gpa = gpa + (2 + g) * 4096;
        u8 *pd = tables + (2 + g) * 4096;
        linux_wr64(pdpt + g * 8, pd_gpa | PTE_PRESENT_WRITE);
        for (u64 i = 0; i < 512; i++)
            linux_wr64(pd + i * 8, (g * GIB + i * 2 * MIB) | PTE_PRESENT_WRITE | PTE_LARGE);
    }
}
