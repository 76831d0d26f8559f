/**
 * @file common/loader/multiboot_plan.c
 * @brief The load plan of a probed Multiboot kernel: its ELF program headers
 *        or its address fields as segments in guest RAM (see
 *        common/loader/multiboot.h).
 *
 * The image is untrusted input: every offset read from it is checked against
 * len before use, with comparisons written so they cannot wrap.
 */
#include "common/loader/multiboot.h"
#include "common/loader/multiboot_internal.h"
#include "common/lib/kstring.h"

static int add_segment(struct multiboot_plan *plan, size_t len, const struct phys_range *ram,
                       size_t nram, u64 file_offset, u64 file_size, u64 dest, u64 mem_size)
{
    struct multiboot_segment *s;
    u64 bad;
    u32 i;

    if (file_size > mem_size)
        return MULTIBOOT_ERR_SEGMENT_SIZE;
    if (file_offset > len || file_size > len - file_offset) {
        plan->error_addr = file_offset;
        return MULTIBOOT_ERR_SEGMENT_FILE;
    }
    if (mem_size == 0)
        return MULTIBOOT_OK; /* nothing to place */
    if (dest >= MULTIBOOT_FOUR_GIB || mem_size > MULTIBOOT_FOUR_GIB - dest) {
        plan->error_addr = dest;
        return MULTIBOOT_ERR_ABOVE_4G;
    }
    if (!vmm_layout_is_ram(ram, nram, dest, mem_size, &bad)) {
        plan->error_addr = bad;
        return MULTIBOOT_ERR_NOT_IN_RAM;
    }
    for (i = 0; i < plan->segment_count; i++) {
        const struct multiboot_segment *o = &plan->segments[i];

        if (dest < o->dest + o->mem_size && o->dest < dest + mem_size) {
            plan->error_addr = dest > o->dest ? dest : o->dest;
            return MULTIBOOT_ERR_OVERLAP;
        }
    }
    if (plan->segment_count >= MULTIBOOT_MAX_SEGMENTS)
        return MULTIBOOT_ERR_TOO_MANY_SEGMENTS;

    s = &plan->segments[plan->segment_count++];
    s->file_offset = file_offset;
    s->file_size = file_size;
    s->dest = dest;
    s->mem_size = mem_size;
    if (plan->segment_count == 1 || dest < plan->load_base)
        plan->load_base = dest;
    if (dest + mem_size > plan->load_end)
        plan->load_end = dest + mem_size;
    return MULTIBOOT_OK;
}

static bool addr_in_plan(const struct multiboot_plan *plan, u64 addr)
{
    u32 i;

    for (i = 0; i < plan->segment_count; i++) {
        const struct multiboot_segment *s = &plan->segments[i];

        if (addr >= s->dest && addr - s->dest < s->mem_size)
            return true;
    }
    return false;
}

/* The parts of an ELF32 or ELF64 file the loader uses, widened to 64 bits. */
struct elf_view {
    u8 elf_class;
    u64 entry;
    u64 phoff;
    u32 phentsize;
    u32 phnum;
};

struct elf_load_phdr {
    u32 type;
    u64 offset, vaddr, paddr, filesz, memsz;
};

static int elf_read_header(const u8 *image, size_t len, struct elf_view *v)
{
    u16 type, machine;
    size_t phdr_size;

    if (len < ELF_NIDENT || !multiboot_has_elf_magic(image, len) || image[ELF_EI_DATA] != ELF_DATA2LSB ||
        image[ELF_EI_VERSION] != ELF_EV_CURRENT)
        return MULTIBOOT_ERR_ELF_HEADER;
    v->elf_class = image[ELF_EI_CLASS];
    if (v->elf_class == ELF_CLASS32) {
        struct elf32_ehdr eh;

        if (len < sizeof(eh))
            return MULTIBOOT_ERR_ELF_HEADER;
        KSTR(memcpy)(&eh, image, sizeof(eh));
        type = eh.e_type;
        machine = eh.e_machine;
        v->entry = eh.e_entry;
        v->phoff = eh.e_phoff;
        v->phentsize = eh.e_phentsize;
        v->phnum = eh.e_phnum;
        phdr_size = sizeof(struct elf32_phdr);
    } else if (v->elf_class == ELF_CLASS64) {
        struct elf64_ehdr eh;

        if (len < sizeof(eh))
            return MULTIBOOT_ERR_ELF_HEADER;
        KSTR(memcpy)(&eh, image, sizeof(eh));
        type = eh.e_type;
        machine = eh.e_machine;
        v->entry = eh.e_entry;
        v->phoff = eh.e_phoff;
        v->phentsize = eh.e_phentsize;
        v->phnum = eh.e_phnum;
        phdr_size = sizeof(struct elf64_phdr);
    } else {
        return MULTIBOOT_ERR_ELF_HEADER;
    }
    if (type != ELF_ET_EXEC || (machine != ELF_EM_386 && machine != ELF_EM_X86_64))
        return MULTIBOOT_ERR_ELF_HEADER;
    if (v->phnum == 0)
        return MULTIBOOT_ERR_NO_SEGMENTS;
    /* phnum and phentsize are 16-bit, so the table size cannot overflow. */
    if (v->phentsize < phdr_size || v->phoff > len || (u64)v->phnum * v->phentsize > len - v->phoff)
        return MULTIBOOT_ERR_ELF_PHDRS;
    return MULTIBOOT_OK;
}

/* Program header i; elf_read_header() checked the table lies in the image. */
static void elf_phdr(const u8 *image, const struct elf_view *v, u32 i, struct elf_load_phdr *p)
{
    const u8 *at = image + v->phoff + (u64)i * v->phentsize;

    if (v->elf_class == ELF_CLASS32) {
        struct elf32_phdr ph;

        KSTR(memcpy)(&ph, at, sizeof(ph));
        p->type = ph.p_type;
        p->offset = ph.p_offset;
        p->vaddr = ph.p_vaddr;
        p->paddr = ph.p_paddr;
        p->filesz = ph.p_filesz;
        p->memsz = ph.p_memsz;
    } else {
        struct elf64_phdr ph;

        KSTR(memcpy)(&ph, at, sizeof(ph));
        p->type = ph.p_type;
        p->offset = ph.p_offset;
        p->vaddr = ph.p_vaddr;
        p->paddr = ph.p_paddr;
        p->filesz = ph.p_filesz;
        p->memsz = ph.p_memsz;
    }
}

/* e_entry is virtual; find the PT_LOAD holding it and move it to physical.
 * Kernels whose e_entry is already physical are found by p_paddr. */
static int elf_entry_phys(const u8 *image, const struct elf_view *v, u64 *entry)
{
    struct elf_load_phdr p;
    u32 i;

    for (i = 0; i < v->phnum; i++) {
        elf_phdr(image, v, i, &p);
        if (p.type == ELF_PT_LOAD && v->entry >= p.vaddr && v->entry - p.vaddr < p.memsz) {
            *entry = v->entry - p.vaddr + p.paddr;
            return MULTIBOOT_OK;
        }
    }
    for (i = 0; i < v->phnum; i++) {
        elf_phdr(image, v, i, &p);
        if (p.type == ELF_PT_LOAD && v->entry >= p.paddr && v->entry - p.paddr < p.memsz) {
            *entry = v->entry;
            return MULTIBOOT_OK;
        }
    }
    return MULTIBOOT_ERR_ENTRY_OUTSIDE;
}

static int plan_elf(const u8 *image, size_t len, const struct multiboot_image *hdr,
                    const struct phys_range *ram, size_t nram, struct multiboot_plan *out,
                    u64 *entry)
{
    struct elf_view v;
    struct elf_load_phdr p;
    u32 i;
    int err;

    err = elf_read_header(image, len, &v);
    if (err)
        return err;
    for (i = 0; i < v.phnum; i++) {
        elf_phdr(image, &v, i, &p);
        if (p.type != ELF_PT_LOAD)
            continue;
        if (p.memsz > ~0ULL - p.paddr)
            return MULTIBOOT_ERR_SEGMENT_SIZE;
        err = add_segment(out, len, ram, nram, p.offset, p.filesz, p.paddr, p.memsz);
        if (err)
            return err;
    }
    if (hdr->has_entry) { /* v2 entry address tag overrides e_entry */
        *entry = hdr->entry_addr;
        return MULTIBOOT_OK;
    }
    err = elf_entry_phys(image, &v, entry);
    if (err)
        out->error_addr = v.entry;
    return err;
}

/* a.out kludge: one contiguous piece of the file plus bss. */
static int plan_aout(size_t len, const struct multiboot_image *hdr,
                     const struct phys_range *ram, size_t nram, struct multiboot_plan *out,
                     u64 *entry)
{
    u64 file_off, load, file_size, mem_size;

    if (hdr->version == MULTIBOOT_V2 && hdr->load_addr == 0xFFFFFFFFu) {
        /* v2: load from the file's start; the header pins the address. */
        if (hdr->header_addr < hdr->header_offset)
            return MULTIBOOT_ERR_AOUT_ADDRS;
        file_off = 0;
        load = hdr->header_addr - hdr->header_offset;
    } else {
        u64 delta;

        if (hdr->load_addr > hdr->header_addr)
            return MULTIBOOT_ERR_AOUT_ADDRS;
        delta = hdr->header_addr - hdr->load_addr;
        if (delta > hdr->header_offset)
            return MULTIBOOT_ERR_AOUT_ADDRS;
        file_off = hdr->header_offset - delta;
        load = hdr->load_addr;
    }
    if (hdr->load_end_addr == 0) {
        file_size = len - file_off; /* header_offset < len, so no wrap */
    } else {
        if (hdr->load_end_addr < load)
            return MULTIBOOT_ERR_AOUT_ADDRS;
        file_size = hdr->load_end_addr - load;
    }
    mem_size = file_size;
    if (hdr->bss_end_addr != 0) {
        if (hdr->bss_end_addr < load + file_size)
            return MULTIBOOT_ERR_AOUT_ADDRS;
        mem_size = hdr->bss_end_addr - load;
    }
    if (!hdr->has_entry)
        return MULTIBOOT_ERR_NO_ENTRY;
    *entry = hdr->entry_addr;
    return add_segment(out, len, ram, nram, file_off, file_size, load, mem_size);
}

int multiboot_plan(const u8 *image, size_t len, const struct multiboot_image *hdr,
                   const struct phys_range *ram, size_t nram, struct multiboot_plan *out)
{
    u64 entry = 0;
    int err;

    if (!image || !hdr || !out || (!ram && nram))
        return MULTIBOOT_ERR_ARG;
    KSTR(memset)(out, 0, sizeof(*out));
    if (hdr->version != MULTIBOOT_V1 && hdr->version != MULTIBOOT_V2)
        return MULTIBOOT_ERR_ARG;
    if (hdr->header_offset >= len)
        return MULTIBOOT_ERR_ARG;

    /* Address fields win over ELF (v1 flag 16 / v2 address tag). */
    if (hdr->has_address)
        err = plan_aout(len, hdr, ram, nram, out, &entry);
    else if (hdr->is_elf)
        err = plan_elf(image, len, hdr, ram, nram, out, &entry);
    else
        err = MULTIBOOT_ERR_NOT_ELF;
    if (err)
        return err;
    if (out->segment_count == 0)
        return MULTIBOOT_ERR_NO_SEGMENTS;
    if (!addr_in_plan(out, entry)) {
        out->error_addr = entry;
        return MULTIBOOT_ERR_ENTRY_OUTSIDE;
    }
    out->entry = (u32)entry; /* segments are below 4 GiB, so is entry */
    return MULTIBOOT_OK;
}
