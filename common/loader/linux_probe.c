/*
 * common/loader/linux_probe.c - what a bzImage's setup header says, checked
 * (pure; see linux.h and Documentation/x86/boot.rst for the facts).
 */
#include "common/loader/linux.h"

/* Before 2.10 the header has no init_size: the decompressor needs room
 * for the compressed and the decompressed kernel, so assume four times
 * the image (a guess the kernel cannot contradict; chapter 12). */
#define OLD_INIT_SIZE_FACTOR 4u

static bool power_of_two_from_page(u32 a)
{
    return a >= 4096 && (a & (a - 1)) == 0;
}

int linux_probe(const u8 *image, size_t len, struct linux_image *out)
{
    memset(out, 0, sizeof(*out));
    if (!image || len < LINUX_HDR_VERSION + 2 ||
        linux_rd16(image + LINUX_HDR_BOOT_FLAG) != LINUX_BOOT_FLAG ||
        linux_rd32(image + LINUX_HDR_MAGIC) != LINUX_HDRS_MAGIC)
        return LINUX_ERR_NOT_BZIMAGE;
    out->version = linux_rd16(image + LINUX_HDR_VERSION);
    if (out->version < LINUX_MIN_VERSION)
        return LINUX_ERR_TOO_OLD;

    /* The header's own end, the setup sectors, then the kernel: each must be in the file. */
    out->header_end = 0x202u + image[LINUX_HDR_JUMP + 1];
    out->setup_sects = image[LINUX_HDR_SETUP_SECTS] ? image[LINUX_HDR_SETUP_SECTS] : 4u;
    out->kernel_offset = ((u64)out->setup_sects + 1) * 512;
    u64 syssize = (u64)linux_rd32(image + LINUX_HDR_SYSSIZE) * LINUX_SYSSIZE_UNIT;
    out->found_len = out->kernel_offset + syssize;
    /* syssize counts 16-byte paragraphs, rounded up: a file may end up to
     * 15 bytes before what it implies (memtest86+ 6.10 does). */
    if (out->header_end > len || out->header_end > out->kernel_offset ||
        out->kernel_offset >= len || out->found_len > (u64)len + LINUX_SYSSIZE_UNIT - 1)
        return LINUX_ERR_TRUNCATED;
    out->kernel_size = len - out->kernel_offset;
    if (syssize && syssize < out->kernel_size)
        out->kernel_size = syssize;

    out->loadflags = image[LINUX_HDR_LOADFLAGS];
    if (!(out->loadflags & LINUX_LOADFLAG_LOADED_HIGH))
        return LINUX_ERR_NOT_BZIMAGE; /* a zImage: its kernel wants 0x10000, below 1 MiB */
    if (out->version >= LINUX_XLOADFLAGS_VERSION && out->header_end > LINUX_HDR_XLOADFLAGS + 1)
        out->xloadflags = linux_rd16(image + LINUX_HDR_XLOADFLAGS);
    out->entry64 = out->xloadflags & LINUX_XLF_KERNEL_64;
    out->kernel_alignment = linux_rd32(image + LINUX_HDR_KERNEL_ALIGNMENT);
    out->relocatable = image[LINUX_HDR_RELOCATABLE] && power_of_two_from_page(out->kernel_alignment);
    if (!out->relocatable)
        out->kernel_alignment = 4096;
    out->initrd_addr_max = linux_rd32(image + LINUX_HDR_INITRD_ADDR_MAX);
    if (!out->initrd_addr_max)
        out->initrd_addr_max = LINUX_DEFAULT_INITRD_MAX;
    out->cmdline_size = linux_rd32(image + LINUX_HDR_CMDLINE_SIZE);

    if (out->version >= 0x020A && out->header_end >= LINUX_HDR_INIT_SIZE + 4) {
        out->pref_address = linux_rd64(image + LINUX_HDR_PREF_ADDRESS);
        out->init_size = linux_rd32(image + LINUX_HDR_INIT_SIZE);
    } else {
        out->pref_address = LINUX_OLD_LOAD_ADDRESS;
        out->init_size = out->kernel_size * OLD_INIT_SIZE_FACTOR;
    }
    if (out->init_size < out->kernel_size)
        out->init_size = out->kernel_size;
    return LINUX_OK;
}

const char *linux_error_name(int err)
{
    switch (err) {
    case LINUX_OK: return "LINUX_OK";
    case LINUX_ERR_NOT_BZIMAGE: return "LINUX_ERR_NOT_BZIMAGE";
    case LINUX_ERR_TOO_OLD: return "LINUX_ERR_TOO_OLD";
    case LINUX_ERR_TRUNCATED: return "LINUX_ERR_TRUNCATED";
    case LINUX_ERR_NO_ROOM_KERNEL: return "LINUX_ERR_NO_ROOM_KERNEL";
    case LINUX_ERR_NO_ROOM_BOOT: return "LINUX_ERR_NO_ROOM_BOOT";
    case LINUX_ERR_INITRD_TOO_BIG: return "LINUX_ERR_INITRD_TOO_BIG";
    case LINUX_ERR_CMDLINE_TOO_LONG: return "LINUX_ERR_CMDLINE_TOO_LONG";
    case LINUX_ERR_E820_TOO_LONG: return "LINUX_ERR_E820_TOO_LONG";
    case LINUX_ERR_TOO_MANY_MODULES: return "LINUX_ERR_TOO_MANY_MODULES";
    default: return "LINUX_ERR_?";
    }
}
