/*
 * tests/unit/multiboot_images.h - crafting Multiboot kernel images in memory:
 * v1 and v2 headers, ELF32/ELF64 program headers, little-endian access.
 * Shared by test_multiboot_probe.c, test_multiboot_plan.c and
 * test_multiboot_loader.c; included by test files only.
 */
#ifndef BOOKVISOR_TESTS_UNIT_MULTIBOOT_IMAGES_H
#define BOOKVISOR_TESTS_UNIT_MULTIBOOT_IMAGES_H

#include <string.h>

#include "common/loader/elf.h"
#include "common/loader/multiboot.h"

static inline void put16(u8 *p, u16 v)
{
    memcpy(p, &v, 2);
}

static inline void put32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
}

static inline u32 get32(const u8 *p)
{
    u32 v;

    memcpy(&v, p, 4);
    return v;
}

static inline u64 get64(const u8 *p)
{
    u64 v;

    memcpy(&v, p, 8);
    return v;
}

static inline void v1_header(u8 *at, u32 flags)
{
    put32(at, MULTIBOOT1_HEADER_MAGIC);
    put32(at + 4, flags);
    put32(at + 8, -(MULTIBOOT1_HEADER_MAGIC + flags));
}

static inline void v1_addresses(u8 *at, u32 header_addr, u32 load, u32 load_end, u32 bss_end, u32 entry)
{
    put32(at + 12, header_addr);
    put32(at + 16, load);
    put32(at + 20, load_end);
    put32(at + 24, bss_end);
    put32(at + 28, entry);
}

/* v2 header writer: tags appended at pos, checksum fixed at the end. */
struct v2_writer {
    u8 *h;
    size_t pos;
};

static inline void v2_begin(struct v2_writer *w, u8 *at)
{
    w->h = at;
    w->pos = 16;
}

static inline void v2_tag(struct v2_writer *w, u16 type, u16 flags, const u32 *words, size_t nwords)
{
    size_t i, size = 8 + 4 * nwords;

    put16(w->h + w->pos, type);
    put16(w->h + w->pos + 2, flags);
    put32(w->h + w->pos + 4, (u32)size);
    for (i = 0; i < nwords; i++)
        put32(w->h + w->pos + 8 + 4 * i, words[i]);
    w->pos += (size + 7) & ~(size_t)7;
}

static inline void v2_end(struct v2_writer *w, u32 arch)
{
    v2_tag(w, MULTIBOOT2_HTAG_END, 0, NULL, 0);
    put32(w->h, MULTIBOOT2_HEADER_MAGIC);
    put32(w->h + 4, arch);
    put32(w->h + 8, (u32)w->pos);
    put32(w->h + 12, -(MULTIBOOT2_HEADER_MAGIC + arch + (u32)w->pos));
}

struct test_phdr {
    u32 type;
    u64 offset, vaddr, paddr, filesz, memsz;
};

static inline void elf32(u8 *at, u32 entry, const struct test_phdr *ph, u16 n)
{
    struct elf32_ehdr eh = { 0 };
    u16 i;

    memcpy(eh.e_ident,
           "\x7f"
           "ELF",
           4);
    eh.e_ident[ELF_EI_CLASS] = ELF_CLASS32;
    eh.e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
    eh.e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
    eh.e_type = ELF_ET_EXEC;
    eh.e_machine = ELF_EM_386;
    eh.e_version = ELF_EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(struct elf32_phdr);
    eh.e_phnum = n;
    memcpy(at, &eh, sizeof(eh));
    for (i = 0; i < n; i++) {
        struct elf32_phdr p = { .p_type = ph[i].type,
                                .p_offset = (u32)ph[i].offset,
                                .p_vaddr = (u32)ph[i].vaddr,
                                .p_paddr = (u32)ph[i].paddr,
                                .p_filesz = (u32)ph[i].filesz,
                                .p_memsz = (u32)ph[i].memsz,
                                .p_flags = 7,
                                .p_align = 0x1000 };
        memcpy(at + sizeof(eh) + i * sizeof(p), &p, sizeof(p));
    }
}

static inline void elf64(u8 *at, u64 entry, const struct test_phdr *ph, u16 n)
{
    struct elf64_ehdr eh = { 0 };
    u16 i;

    memcpy(eh.e_ident,
           "\x7f"
           "ELF",
           4);
    eh.e_ident[ELF_EI_CLASS] = ELF_CLASS64;
    eh.e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
    eh.e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
    eh.e_type = ELF_ET_EXEC;
    eh.e_machine = ELF_EM_X86_64;
    eh.e_version = ELF_EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(struct elf64_phdr);
    eh.e_phnum = n;
    memcpy(at, &eh, sizeof(eh));
    for (i = 0; i < n; i++) {
        struct elf64_phdr p = { .p_type = ph[i].type,
                                .p_flags = 7,
                                .p_offset = ph[i].offset,
                                .p_vaddr = ph[i].vaddr,
                                .p_paddr = ph[i].paddr,
                                .p_filesz = ph[i].filesz,
                                .p_memsz = ph[i].memsz,
                                .p_align = 0x1000 };
        memcpy(at + sizeof(eh) + i * sizeof(p), &p, sizeof(p));
    }
}


/* Size of the kernel elf32_v1_kernel() makes. */
#define ELF32_V1_LEN 0x2080

/* A higher-half ELF32 kernel with a v1 header (page-aligned modules, memory
 * information) into img (size bytes, zeroed first): text at 0x100000 (the v1
 * header inside it, at file offset 0x1000), data plus bss at 0x101000, a
 * PT_NOTE between them; entry 0xC0100010. The image is ELF32_V1_LEN bytes. */
static inline void elf32_v1_kernel(u8 *img, size_t size)
{
    static const struct test_phdr segments[] = {
        { ELF_PT_LOAD, 0x1000, 0xC0100000, 0x100000, 0x100, 0x100 },
        { 4 /* PT_NOTE, ignored */, 0x1100, 0, 0, 0x10, 0x10 },
        { ELF_PT_LOAD, 0x2000, 0xC0101000, 0x101000, 0x80, 0x1000 },
    };

    memset(img, 0, size);
    elf32(img, 0xC0100010, segments, 3);
    v1_header(img + 0x1000, MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO);
}

#endif
