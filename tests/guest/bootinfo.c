/**
 * @file tests/guest/bootinfo.c
 * @brief Reading the multiboot v1 information structure.
 */
#include "bootinfo.h"
#include "gstring.h"

/* Byte offsets in the multiboot info structure (multiboot spec 0.6.96, 3.3). */
#define MBI_FLAGS 0
#define MBI_CMDLINE 16
#define MBI_MODS_COUNT 20
#define MBI_MODS_ADDR 24
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR 48
#define MBI_LOADER_NAME 64
#define MBI_SIZE 88 /* through the VBE fields; framebuffer info follows */
#define MBI_SIZE_FB 116 /* with the framebuffer fields (flags bit 12) */
#define MB_INFO_FRAMEBUFFER (1u << 12)
#define MOD_ENTRY_SIZE 16 /* mod_start, mod_end, string, reserved */
#define MAX_MODULES 8 /* bound: do not trust a huge mods_count */
#define MAX_STRING 4096 /* bound for walking loader strings */

extern const u8 _kernel_start[];
extern const u8 _kernel_end[];

static u32 read32(u32 addr)
{
    return *(const volatile u32 *)addr;
}

static void add_keepout(struct boot_info *bi, u64 start, u64 end)
{
    if (end <= start || bi->keepout_count >= BOOTINFO_MAX_KEEPOUT)
        return;
    bi->keepout[bi->keepout_count].start = start;
    bi->keepout[bi->keepout_count].end = end;
    bi->keepout_count++;
}

/* Keep out a loader string, NUL included. */
static void add_string_keepout(struct boot_info *bi, u32 addr)
{
    const volatile char *s = (const volatile char *)addr;
    u32 n = 0;
    if (addr == 0)
        return;
    while (n < MAX_STRING && s[n])
        n++;
    add_keepout(bi, addr, (u64)addr + n + 1);
}

static void copy_cmdline(struct boot_info *bi, u32 addr)
{
    const volatile char *s = (const volatile char *)addr;
    u32 n = 0;
    if (addr != 0) {
        while (n + 1 < BOOTINFO_CMDLINE_SIZE && s[n]) {
            bi->cmdline[n] = s[n];
            n++;
        }
    }
    bi->cmdline[n] = '\0';
    add_string_keepout(bi, addr);
}

static void copy_mmap(struct boot_info *bi, u32 addr, u32 length)
{
    u32 off = 0;
    add_keepout(bi, addr, (u64)addr + length);
    /* Each entry starts with its own size, not counting the size field. */
    while (off + 4 <= length) {
        u32 size = read32(addr + off);
        if (size < 20 || off + 4 + size > length)
            break; /* malformed: stop rather than loop or overrun */
        if (bi->mmap_count < BOOTINFO_MAX_MMAP) {
            struct mmap_entry *e = &bi->mmap[bi->mmap_count++];
            u32 p = addr + off + 4;
            e->base = read32(p) | ((u64)read32(p + 4) << 32);
            e->length = read32(p + 8) | ((u64)read32(p + 12) << 32);
            e->type = read32(p + 16);
        } else {
            bi->mmap_dropped++;
        }
        off += 4 + size;
    }
}

static void keep_out_modules(struct boot_info *bi, u32 count, u32 addr)
{
    if (count > MAX_MODULES)
        count = MAX_MODULES;
    add_keepout(bi, addr, (u64)addr + count * MOD_ENTRY_SIZE);
    for (u32 i = 0; i < count; i++) {
        u32 entry = addr + i * MOD_ENTRY_SIZE;
        add_keepout(bi, read32(entry), read32(entry + 4));
        add_string_keepout(bi, read32(entry + 8));
    }
}

void bootinfo_collect(u32 magic, u32 mbi_addr, struct boot_info *out)
{
    memset(out, 0, sizeof(*out));
    out->magic = magic;
    out->mbi_addr = mbi_addr;
    out->multiboot = magic == MULTIBOOT_LOADER_MAGIC && mbi_addr != 0;
    add_keepout(out, (u32)_kernel_start, (u32)_kernel_end);
    if (!out->multiboot)
        return;

    u32 flags = read32(mbi_addr + MBI_FLAGS);
    out->flags = flags;
    add_keepout(out, mbi_addr,
                (u64)mbi_addr + ((flags & MB_INFO_FRAMEBUFFER) ? MBI_SIZE_FB : MBI_SIZE));
    if (flags & MB_INFO_CMDLINE) {
        out->has_cmdline = true;
        copy_cmdline(out, read32(mbi_addr + MBI_CMDLINE));
    }
    if (flags & MB_INFO_MMAP) {
        out->has_mmap = true;
        copy_mmap(out, read32(mbi_addr + MBI_MMAP_ADDR), read32(mbi_addr + MBI_MMAP_LENGTH));
    }
    if (flags & MB_INFO_MODS)
        keep_out_modules(out, read32(mbi_addr + MBI_MODS_COUNT), read32(mbi_addr + MBI_MODS_ADDR));
    if (flags & MB_INFO_LOADER_NAME)
        add_string_keepout(out, read32(mbi_addr + MBI_LOADER_NAME));
}
