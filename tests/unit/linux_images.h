/*
 * tests/unit/linux_images.h - crafting small bzImages in memory: a boot
 * sector with a setup header of the protocol version asked for, setup
 * sectors, and a protected-mode "kernel" of numbered bytes. Shared by the
 * test_linux_*.c files; included by test files only.
 */
#ifndef BOOKVISOR_TESTS_UNIT_LINUX_IMAGES_H
#define BOOKVISOR_TESTS_UNIT_LINUX_IMAGES_H

#include <string.h>

#include "common/loader/linux.h"

/** What a crafted bzImage says about itself. */
struct test_bzimage {
    u16 version;          /* boot protocol */
    u8 setup_sects;       /* 0 means 4, as in the header */
    u32 kernel_bytes;     /* protected-mode kernel, a multiple of 16 */
    u16 xloadflags;
    u8 relocatable;
    u32 kernel_alignment;
    u64 pref_address;
    u32 init_size;
    u32 initrd_addr_max;
    u32 cmdline_size;
};

/* The defaults: a 2.15 64-bit relocatable kernel preferring 4 MiB. */
static inline struct test_bzimage test_bzimage_default(void)
{
    return (struct test_bzimage){
        .version = 0x020F, .setup_sects = 3, .kernel_bytes = 0x3000,
        .xloadflags = LINUX_XLF_KERNEL_64, .relocatable = 1, .kernel_alignment = 2 * MIB,
        .pref_address = 4 * MIB, .init_size = 0x200000, .initrd_addr_max = 0x7FFFFFFF,
        .cmdline_size = 2047,
    };
}

/* Write the image into buf (zeroed first); returns its length. */
static inline size_t test_bzimage_make(u8 *buf, size_t cap, const struct test_bzimage *t)
{
    u32 sects = t->setup_sects ? t->setup_sects : 4;
    size_t koff = ((size_t)sects + 1) * 512, len = koff + t->kernel_bytes;
    if (len > cap)
        return 0;
    memset(buf, 0, len);
    buf[LINUX_HDR_SETUP_SECTS] = t->setup_sects;
    linux_wr32(buf + LINUX_HDR_SYSSIZE, t->kernel_bytes / 16);
    buf[LINUX_HDR_BOOT_FLAG] = 0x55;
    buf[LINUX_HDR_BOOT_FLAG + 1] = 0xAA;
    buf[LINUX_HDR_JUMP] = 0xEB;
    buf[LINUX_HDR_JUMP + 1] = 0x6A; /* the header ends at 0x26C, as in 2.15 */
    linux_wr32(buf + LINUX_HDR_MAGIC, LINUX_HDRS_MAGIC);
    buf[LINUX_HDR_VERSION] = (u8)t->version;
    buf[LINUX_HDR_VERSION + 1] = (u8)(t->version >> 8);
    buf[LINUX_HDR_LOADFLAGS] = LINUX_LOADFLAG_LOADED_HIGH;
    linux_wr32(buf + LINUX_HDR_CODE32_START, 0x100000);
    linux_wr32(buf + LINUX_HDR_INITRD_ADDR_MAX, t->initrd_addr_max);
    linux_wr32(buf + LINUX_HDR_KERNEL_ALIGNMENT, t->kernel_alignment);
    buf[LINUX_HDR_RELOCATABLE] = t->relocatable;
    buf[LINUX_HDR_XLOADFLAGS] = (u8)t->xloadflags;
    buf[LINUX_HDR_XLOADFLAGS + 1] = (u8)(t->xloadflags >> 8);
    linux_wr32(buf + LINUX_HDR_CMDLINE_SIZE, t->cmdline_size);
    linux_wr64(buf + LINUX_HDR_PREF_ADDRESS, t->pref_address);
    linux_wr32(buf + LINUX_HDR_INIT_SIZE, t->init_size);
    for (size_t i = 0; i < t->kernel_bytes; i++)
        buf[koff + i] = (u8)(i * 7 + 1);
    return len;
}

#endif
