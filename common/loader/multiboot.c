/**
 * @file common/loader/multiboot.c
 * @brief Multiboot v1 / Multiboot2 guest kernel probe, load plan and boot
 *        information builder (see common/loader/multiboot.h).
 *
 * The image is untrusted input: every offset read from it is checked against
 * len before use, with comparisons written so they cannot wrap.
 */
#include "common/loader/multiboot.h"
#include "common/loader/elf.h"
#include "common/lib/kstring.h"

#define FOUR_GIB (1ULL << 32)

/* ------------------------------------------------------------------ */
/* Little-endian access to byte buffers (no alignment assumed).        */

static u16 rd16(const u8 *p)
{
    return (u16)(p[0] | (p[1] << 8));
}

static u32 rd32(const u8 *p)
{
    return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

static void le32(u8 *p, u32 v)
{
    p[0] = (u8)v;
    p[1] = (u8)(v >> 8);
    p[2] = (u8)(v >> 16);
    p[3] = (u8)(v >> 24);
}

static void le64(u8 *p, u64 v)
{
    le32(p, (u32)v);
    le32(p + 4, (u32)(v >> 32));
}

/* ------------------------------------------------------------------ */
/* Header probe                                                        */

/* v1 header: magic, flags, checksum; +12..+31 address fields (flag 16);
 * +32..+47 video fields (flag 2). */
#define MB1_HDR_BASIC 12u
#define MB1_HDR_WITH_ADDR 32u
#define MB1_HDR_WITH_VIDEO 48u
/* Bits 0-15 are requirements; we understand 0, 1 and 2. */
#define MB1_REQUIRED_MASK 0xFFFFu
#define MB1_KNOWN_REQUIRED (MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO | MULTIBOOT1_VIDEO_MODE)

/* v2 header: magic, architecture, header_length, checksum, then tags. */
#define MB2_HDR_FIXED 16u
#define MB2_HTAG_HDR 8u
#define MB2_HTAG_OPTIONAL 1u
#define MB2_ARCH_I386 0u

/* Info tag types multiboot_build_info() can produce (request bitmask). */
#define BOOT_INFO_WE_GIVE \
    ((1u << MB2_TAG_END) | (1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) | \
     (1u << MB2_TAG_MODULE) | (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_MMAP) | \
     (1u << MB2_TAG_FRAMEBUFFER) | (1u << MB2_TAG_ACPI_OLD) | (1u << MB2_TAG_ACPI_NEW) | \
     (1u << MB2_TAG_LOAD_BASE_ADDR))

static bool has_elf_magic(const u8 *image, size_t len)
{
    return len >= 4 && image[0] == ELF_MAG0 && image[1] == ELF_MAG1 && image[2] == ELF_MAG2 &&
        image[3] == ELF_MAG3;
}

static int probe_v1(const u8 *image, size_t len, struct multiboot_image *out)
{
    size_t window = len < MULTIBOOT1_SEARCH_BYTES ? len : MULTIBOOT1_SEARCH_BYTES;
    bool saw_bad_checksum = false;
    size_t off;

    for (off = 0; window >= MB1_HDR_BASIC && off <= window - MB1_HDR_BASIC; off += 4) {
        const u8 *h = image + off;
        u32 flags, need;

        if (rd32(h) != MULTIBOOT1_HEADER_MAGIC)
            continue;
        flags = rd32(h + 4);
        if ((u32)(MULTIBOOT1_HEADER_MAGIC + flags + rd32(h + 8)) != 0) {
            saw_bad_checksum = true;
            continue;
        }
        need = MB1_HDR_BASIC;
        if (flags & MULTIBOOT1_AOUT_KLUDGE)
            need = MB1_HDR_WITH_ADDR;
        if (flags & MULTIBOOT1_VIDEO_MODE)
            need = MB1_HDR_WITH_VIDEO;
        if (need > window - off)
            return MULTIBOOT_ERR_HEADER_TRUNCATED;
        if (flags & MB1_REQUIRED_MASK & ~MB1_KNOWN_REQUIRED)
            return MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS;

        out->version = MULTIBOOT_V1;
        out->header_offset = (u32)off;
        out->v1_flags = flags;
        out->page_align_modules = flags & MULTIBOOT1_PAGE_ALIGN;
        out->wants_meminfo = flags & MULTIBOOT1_MEMORY_INFO;
        if (flags & MULTIBOOT1_AOUT_KLUDGE) {
            out->has_address = true;
            out->header_addr = rd32(h + 12);
            out->load_addr = rd32(h + 16);
            out->load_end_addr = rd32(h + 20);
            out->bss_end_addr = rd32(h + 24);
            out->has_entry = true;
            out->entry_addr = rd32(h + 28);
        }
        if (flags & MULTIBOOT1_VIDEO_MODE) {
            out->wants_video = true;
            out->video_mode_type = rd32(h + 32);
            out->video_width = rd32(h + 36);
            out->video_height = rd32(h + 40);
            out->video_depth = rd32(h + 44);
        }
        return MULTIBOOT_OK;
    }
    return saw_bad_checksum ? MULTIBOOT_ERR_BAD_CHECKSUM : MULTIBOOT_ERR_NO_HEADER;
}

static int v2_info_request(const u8 *tag, u32 size, bool optional, struct multiboot_image *out)
{
    u32 i, count = (size - MB2_HTAG_HDR) / 4;

    for (i = 0; i < count; i++) {
        u32 type = rd32(tag + MB2_HTAG_HDR + 4 * i);
        bool we_give = type < 32 && (BOOT_INFO_WE_GIVE & (1u << type));

        if (!optional && !we_give)
            return MULTIBOOT_ERR_V2_UNSUPPORTED_INFO;
        if (type < 32) {
            if (optional)
                out->info_optional_mask |= 1u << type;
            else
                out->info_required_mask |= 1u << type;
        }
    }
    return MULTIBOOT_OK;
}

/* Decode one v2 header tag; size is known to fit in the header. */
static int v2_tag(const u8 *tag, u16 type, bool optional, u32 size, struct multiboot_image *out)
{
    switch (type) {
    case MULTIBOOT2_HTAG_INFO_REQUEST: return v2_info_request(tag, size, optional, out);
    case MULTIBOOT2_HTAG_ADDRESS:
        if (size < 24)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        out->has_address = true;
        out->header_addr = rd32(tag + 8);
        out->load_addr = rd32(tag + 12);
        out->load_end_addr = rd32(tag + 16);
        out->bss_end_addr = rd32(tag + 20);
        return MULTIBOOT_OK;
    case MULTIBOOT2_HTAG_ENTRY:
        if (size < 12)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        out->has_entry = true;
        out->entry_addr = rd32(tag + 8);
        return MULTIBOOT_OK;
    case MULTIBOOT2_HTAG_CONSOLE:
        if (size < 12)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        out->has_console_flags = true;
        out->console_flags = rd32(tag + 8);
        return MULTIBOOT_OK;
    case MULTIBOOT2_HTAG_FRAMEBUFFER:
        if (size < 20)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        out->wants_video = true;
        out->video_width = rd32(tag + 8);
        out->video_height = rd32(tag + 12);
        out->video_depth = rd32(tag + 16);
        return MULTIBOOT_OK;
    case MULTIBOOT2_HTAG_MODULE_ALIGN: out->page_align_modules = true; return MULTIBOOT_OK;
    case MULTIBOOT2_HTAG_EFI_BS:
        /* We start the guest like a BIOS loader: no boot services. */
        return optional ? MULTIBOOT_OK : MULTIBOOT_ERR_EFI_REQUIRED;
    case MULTIBOOT2_HTAG_EFI32_ENTRY:
    case MULTIBOOT2_HTAG_EFI64_ENTRY:
        if (size < 12)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        out->has_efi_entry = true;
        return MULTIBOOT_OK;
    case MULTIBOOT2_HTAG_RELOCATABLE:
        if (size < 24)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        out->has_relocatable = true;
        out->reloc_min_addr = rd32(tag + 8);
        out->reloc_max_addr = rd32(tag + 12);
        out->reloc_align = rd32(tag + 16);
        out->reloc_preference = rd32(tag + 20);
        return MULTIBOOT_OK;
    default: return optional ? MULTIBOOT_OK : MULTIBOOT_ERR_V2_UNSUPPORTED_TAG;
    }
}

/* Check and decode a v2 header at off whose checksum is already right. */
static int parse_v2(const u8 *image, size_t off, size_t window, struct multiboot_image *out)
{
    const u8 *h = image + off;
    u32 hlen = rd32(h + 8);
    size_t pos, end;

    if (rd32(h + 4) != MB2_ARCH_I386)
        return MULTIBOOT_ERR_V2_ARCH;
    if (hlen > window - off)
        return MULTIBOOT_ERR_HEADER_TRUNCATED;
    if (hlen < MB2_HDR_FIXED + MB2_HTAG_HDR)
        return MULTIBOOT_ERR_V2_BAD_TAG;
    out->version = MULTIBOOT_V2;
    out->header_offset = (u32)off;

    end = off + hlen;
    for (pos = off + MB2_HDR_FIXED; end - pos >= MB2_HTAG_HDR;) {
        u16 type = rd16(image + pos);
        bool optional = rd16(image + pos + 2) & MB2_HTAG_OPTIONAL;
        u32 size = rd32(image + pos + 4);
        int err;

        if (size < MB2_HTAG_HDR || size > end - pos)
            return MULTIBOOT_ERR_V2_BAD_TAG;
        if (type == MULTIBOOT2_HTAG_END)
            return MULTIBOOT_OK;
        err = v2_tag(image + pos, type, optional, size, out);
        if (err)
            return err;
        pos += ALIGN_UP((size_t)size, 8);
        if (pos > end)
            break;
    }
    return MULTIBOOT_ERR_V2_BAD_TAG; /* no end tag */
}

static int probe_v2(const u8 *image, size_t len, struct multiboot_image *out)
{
    size_t window = len < MULTIBOOT2_SEARCH_BYTES ? len : MULTIBOOT2_SEARCH_BYTES;
    bool saw_bad_checksum = false;
    size_t off;

    for (off = 0; window >= MB2_HDR_FIXED && off <= window - MB2_HDR_FIXED; off += 8) {
        const u8 *h = image + off;
        u32 sum;

        if (rd32(h) != MULTIBOOT2_HEADER_MAGIC)
            continue;
        sum = MULTIBOOT2_HEADER_MAGIC + rd32(h + 4) + rd32(h + 8) + rd32(h + 12);
        if (sum != 0) {
            saw_bad_checksum = true;
            continue;
        }
        return parse_v2(image, off, window, out);
    }
    return saw_bad_checksum ? MULTIBOOT_ERR_BAD_CHECKSUM : MULTIBOOT_ERR_NO_HEADER;
}

/* A real header that we refused says more than "bad checksum", which says
 * more than "nothing found". */
static bool header_was_found(int err)
{
    return err != MULTIBOOT_ERR_NO_HEADER && err != MULTIBOOT_ERR_BAD_CHECKSUM;
}

int multiboot_probe_version(const u8 *image, size_t len, enum multiboot_version v,
                            struct multiboot_image *out)
{
    int err;

    if (!image || !out || (v != MULTIBOOT_V1 && v != MULTIBOOT_V2))
        return MULTIBOOT_ERR_ARG;
    KSTR(memset)(out, 0, sizeof(*out));
    err = v == MULTIBOOT_V2 ? probe_v2(image, len, out) : probe_v1(image, len, out);
    if (err)
        return err;
    out->is_elf = has_elf_magic(image, len);
    return MULTIBOOT_OK;
}

int multiboot_probe(const u8 *image, size_t len, struct multiboot_image *out)
{
    struct multiboot_image v2 = { 0 }, v1 = { 0 };
    int err2, err1;

    if (!image || !out)
        return MULTIBOOT_ERR_ARG;
    KSTR(memset)(out, 0, sizeof(*out));

    err2 = probe_v2(image, len, &v2);
    if (err2 == MULTIBOOT_OK) {
        *out = v2;
    } else {
        err1 = probe_v1(image, len, &v1);
        if (err1 == MULTIBOOT_OK)
            *out = v1;
        else if (header_was_found(err2))
            return err2;
        else if (header_was_found(err1))
            return err1;
        else if (err2 == MULTIBOOT_ERR_BAD_CHECKSUM)
            return err2;
        else
            return err1;
    }
    out->is_elf = has_elf_magic(image, len);
    return MULTIBOOT_OK;
}

/* ------------------------------------------------------------------ */
/* Load plan                                                           */

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
    if (dest >= FOUR_GIB || mem_size > FOUR_GIB - dest) {
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

    if (len < ELF_NIDENT || !has_elf_magic(image, len) || image[ELF_EI_DATA] != ELF_DATA2LSB ||
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

/* ------------------------------------------------------------------ */
/* Boot information                                                    */

/* Writes into the caller's buffer only where they fit; the position keeps
 * counting, so one pass both builds and measures. */
struct info_writer {
    u8 *buf;
    size_t size;
    size_t pos;
};

static void put_bytes(struct info_writer *w, size_t off, const void *src, size_t n)
{
    if (w->buf && off <= w->size && n <= w->size - off)
        KSTR(memcpy)(w->buf + off, src, n);
}

static void put8(struct info_writer *w, size_t off, u8 v)
{
    put_bytes(w, off, &v, 1);
}

static void put32(struct info_writer *w, size_t off, u32 v)
{
    u8 b[4];

    le32(b, v);
    put_bytes(w, off, b, sizeof(b));
}

static void put64(struct info_writer *w, size_t off, u64 v)
{
    u8 b[8];

    le64(b, v);
    put_bytes(w, off, b, sizeof(b));
}

/*
 * A command line as GRUB Legacy hands one over: the image name, one blank,
 * the arguments (only the name when there are no arguments, only the
 * arguments when there is no name). Written at off when it fits; returns its
 * size with the NUL either way.
 */
static size_t put_command_line(struct info_writer *w, size_t off, const char *name,
                               const char *args)
{
    size_t nlen = name ? KSTR(strlen)(name) : 0, alen = args ? KSTR(strlen)(args) : 0;
    size_t at = off;

    if (nlen)
        put_bytes(w, at, name, nlen);
    at += nlen;
    if (nlen && alen)
        put8(w, at++, ' ');
    if (alen)
        put_bytes(w, at, args, alen);
    at += alen;
    put8(w, at++, 0);
    return at - off;
}

/* Append a command line (or, without a name, a plain string) at w->pos;
 * return its offset. */
static size_t append_command_line(struct info_writer *w, const char *name, const char *args)
{
    size_t off = w->pos;

    w->pos += put_command_line(w, off, name, args);
    return off;
}

/* End of the run of available RAM that contains start (start if none). */
static u64 available_run_end(const struct phys_range *map, u32 n, u64 start)
{
    u64 bad;

    /* vmm_layout_is_ram() stops at the first uncovered byte; ask for everything. */
    if (vmm_layout_is_ram(map, n, start, ~0ULL - start, &bad))
        return ~0ULL;
    return bad;
}

/* Basic meminfo in KiB: lower from 0 (at most 640 KiB), upper from 1 MiB. */
static void meminfo(const struct multiboot_info_input *in, u32 *lower, u32 *upper)
{
    u64 low_end = available_run_end(in->mmap, in->mmap_count, 0);
    u64 up_end = available_run_end(in->mmap, in->mmap_count, MIB);
    u64 up_kib = (up_end - MIB) / KIB;

    if (low_end > 640 * KIB)
        low_end = 640 * KIB;
    *lower = (u32)(low_end / KIB);
    *upper = up_kib > 0xFFFFFFFFu ? 0xFFFFFFFFu : (u32)up_kib;
}

static bool framebuffer_passable(const struct multiboot_framebuffer *fb)
{
    return fb && (fb->type == MB_FB_RGB || fb->type == MB_FB_EGA_TEXT);
}

/* struct multiboot_info offsets (Multiboot 0.6.96 section 3.3). */
enum mb1_info_offset {
    MB1I_FLAGS = 0,
    MB1I_MEM_LOWER = 4,
    MB1I_MEM_UPPER = 8,
    MB1I_CMDLINE = 16,
    MB1I_MODS_COUNT = 20,
    MB1I_MODS_ADDR = 24,
    MB1I_MMAP_LENGTH = 44,
    MB1I_MMAP_ADDR = 48,
    MB1I_LOADER_NAME = 64,
    MB1I_FB_ADDR = 88,
    MB1I_FB_PITCH = 96,
    MB1I_FB_WIDTH = 100,
    MB1I_FB_HEIGHT = 104,
    MB1I_FB_BPP = 108,
    MB1I_FB_TYPE = 109,
    MB1I_FB_COLOR = 110,
    MB1I_SIZE = 116,
};
#define MB1_MMAP_ENTRY 24u /* u32 size (= 20), u64 base, u64 length, u32 type */
#define MB1_MODULE_ENTRY 16u /* mod_start, mod_end, string, reserved */

static int build_v1(const struct multiboot_info_input *in, u64 base, struct info_writer *w)
{
    u32 flags = MULTIBOOT1_INFO_MODS, lower, upper, i;
    size_t mmap_off, mods_off;

    w->pos = ALIGN_UP((size_t)MB1I_SIZE, 8);

    mmap_off = w->pos;
    for (i = 0; i < in->mmap_count; i++) {
        size_t e = mmap_off + (size_t)i * MB1_MMAP_ENTRY;

        put32(w, e, MB1_MMAP_ENTRY - 4); /* size excludes itself */
        put64(w, e + 4, in->mmap[i].base);
        put64(w, e + 12, in->mmap[i].length);
        put32(w, e + 20, in->mmap[i].type);
    }
    w->pos += (size_t)in->mmap_count * MB1_MMAP_ENTRY;
    if (in->mmap_count) {
        flags |= MULTIBOOT1_INFO_MEMORY | MULTIBOOT1_INFO_MMAP;
        meminfo(in, &lower, &upper);
        put32(w, MB1I_MEM_LOWER, lower);
        put32(w, MB1I_MEM_UPPER, upper);
        put32(w, MB1I_MMAP_LENGTH, in->mmap_count * MB1_MMAP_ENTRY);
        /* mmap_addr points at the first entry's size field. */
        put32(w, MB1I_MMAP_ADDR, (u32)(base + mmap_off));
    }

    mods_off = w->pos;
    w->pos += (size_t)in->module_count * MB1_MODULE_ENTRY;
    for (i = 0; i < in->module_count; i++) {
        const struct multiboot_module *m = &in->modules[i];
        size_t e = mods_off + (size_t)i * MB1_MODULE_ENTRY;

        if (m->start >= FOUR_GIB || m->end >= FOUR_GIB || m->end < m->start)
            return MULTIBOOT_ERR_ABOVE_4G;
        put32(w, e, (u32)m->start);
        put32(w, e + 4, (u32)m->end);
        put32(w, e + 8, (u32)(base + append_command_line(w, m->name, m->cmdline)));
    }
    put32(w, MB1I_MODS_COUNT, in->module_count);
    put32(w, MB1I_MODS_ADDR, (u32)(base + mods_off));

    if (in->cmdline || in->image_name) {
        flags |= MULTIBOOT1_INFO_CMDLINE;
        put32(w, MB1I_CMDLINE, (u32)(base + append_command_line(w, in->image_name, in->cmdline)));
    }
    if (in->loader_name) {
        flags |= MULTIBOOT1_INFO_LOADER_NAME;
        put32(w, MB1I_LOADER_NAME, (u32)(base + append_command_line(w, NULL, in->loader_name)));
    }
    if (framebuffer_passable(in->framebuffer)) {
        const struct multiboot_framebuffer *fb = in->framebuffer;

        flags |= MULTIBOOT1_INFO_FRAMEBUFFER;
        put64(w, MB1I_FB_ADDR, fb->addr);
        put32(w, MB1I_FB_PITCH, fb->pitch);
        put32(w, MB1I_FB_WIDTH, fb->width);
        put32(w, MB1I_FB_HEIGHT, fb->height);
        put8(w, MB1I_FB_BPP, fb->bpp);
        put8(w, MB1I_FB_TYPE, fb->type);
        if (fb->type == MB_FB_RGB)
            put_bytes(w, MB1I_FB_COLOR, fb->rgb, sizeof(fb->rgb));
    }
    put32(w, MB1I_FLAGS, flags);
    w->pos = ALIGN_UP(w->pos, 8);
    return MULTIBOOT_OK;
}

/* Start a v2 tag at w->pos with body_len bytes to follow; return the body
 * offset and move pos past the (8-byte padded) tag. */
static size_t v2_tag_begin(struct info_writer *w, u32 type, size_t body_len)
{
    size_t off = w->pos;

    put32(w, off, type);
    put32(w, off + 4, (u32)(8 + body_len));
    w->pos = ALIGN_UP(off + 8 + body_len, 8);
    return off + 8;
}

/* A string tag: the command line (name and arguments) or the loader name
 * (no name). */
static void v2_string_tag(struct info_writer *w, u32 type, const char *name, const char *s)
{
    struct info_writer measure = { .buf = NULL, .size = 0, .pos = 0 };
    size_t body = v2_tag_begin(w, type, put_command_line(&measure, 0, name, s));

    put_command_line(w, body, name, s);
}

static int build_v2(const struct multiboot_info_input *in, struct info_writer *w)
{
    size_t body;
    u32 i;

    w->pos = 8; /* total_size, reserved */
    if (in->cmdline || in->image_name)
        v2_string_tag(w, MB2_TAG_CMDLINE, in->image_name, in->cmdline);
    if (in->loader_name)
        v2_string_tag(w, MB2_TAG_LOADER_NAME, NULL, in->loader_name);
    for (i = 0; i < in->module_count; i++) {
        const struct multiboot_module *m = &in->modules[i];
        struct info_writer measure = { .buf = NULL, .size = 0, .pos = 0 };
        size_t n = put_command_line(&measure, 0, m->name, m->cmdline);

        if (m->start >= FOUR_GIB || m->end >= FOUR_GIB || m->end < m->start)
            return MULTIBOOT_ERR_ABOVE_4G;
        body = v2_tag_begin(w, MB2_TAG_MODULE, 8 + n);
        put32(w, body, (u32)m->start);
        put32(w, body + 4, (u32)m->end);
        put_command_line(w, body + 8, m->name, m->cmdline);
    }
    if (in->mmap_count) {
        u32 lower, upper;

        meminfo(in, &lower, &upper);
        body = v2_tag_begin(w, MB2_TAG_BASIC_MEMINFO, 8);
        put32(w, body, lower);
        put32(w, body + 4, upper);

        body = v2_tag_begin(w, MB2_TAG_MMAP, 8 + (size_t)in->mmap_count * 24);
        put32(w, body, 24); /* entry_size */
        put32(w, body + 4, 0); /* entry_version */
        for (i = 0; i < in->mmap_count; i++) {
            size_t e = body + 8 + (size_t)i * 24;

            put64(w, e, in->mmap[i].base);
            put64(w, e + 8, in->mmap[i].length);
            put32(w, e + 16, in->mmap[i].type);
            put32(w, e + 20, 0);
        }
    }
    if (framebuffer_passable(in->framebuffer)) {
        const struct multiboot_framebuffer *fb = in->framebuffer;
        bool rgb = fb->type == MB_FB_RGB;

        /* Common part as GRUB lays it out: u8 bpp, u8 type, u16 reserved. */
        body = v2_tag_begin(w, MB2_TAG_FRAMEBUFFER, 24 + (rgb ? sizeof(fb->rgb) : 0));
        put64(w, body, fb->addr);
        put32(w, body + 8, fb->pitch);
        put32(w, body + 12, fb->width);
        put32(w, body + 16, fb->height);
        put8(w, body + 20, fb->bpp);
        put8(w, body + 21, fb->type);
        if (rgb)
            put_bytes(w, body + 24, fb->rgb, sizeof(fb->rgb));
    }
    if (in->rsdp_old && in->rsdp_old_len) {
        body = v2_tag_begin(w, MB2_TAG_ACPI_OLD, in->rsdp_old_len);
        put_bytes(w, body, in->rsdp_old, in->rsdp_old_len);
    }
    if (in->rsdp_new && in->rsdp_new_len) {
        body = v2_tag_begin(w, MB2_TAG_ACPI_NEW, in->rsdp_new_len);
        put_bytes(w, body, in->rsdp_new, in->rsdp_new_len);
    }
    if (in->has_load_base) {
        body = v2_tag_begin(w, MB2_TAG_LOAD_BASE_ADDR, 4);
        put32(w, body, in->load_base_addr);
    }
    v2_tag_begin(w, MB2_TAG_END, 0);
    put32(w, 0, (u32)w->pos);
    put32(w, 4, 0);
    return MULTIBOOT_OK;
}

int multiboot_build_info(enum multiboot_version v, const struct multiboot_info_input *in,
                         u64 base_gpa, u8 *buf, size_t buf_size, size_t *used)
{
    struct info_writer w = { .buf = buf, .size = buf ? buf_size : 0, .pos = 0 };
    int err;

    if (used)
        *used = 0;
    if (!in || !used || (!buf && buf_size) || (base_gpa & 7) || (in->mmap_count && !in->mmap) ||
        (in->module_count && !in->modules))
        return MULTIBOOT_ERR_ARG;
    if (buf)
        KSTR(memset)(buf, 0, buf_size); /* padding and unused fields are 0 */

    if (v == MULTIBOOT_V1)
        err = build_v1(in, base_gpa, &w);
    else if (v == MULTIBOOT_V2)
        err = build_v2(in, &w);
    else
        err = MULTIBOOT_ERR_ARG;
    if (err)
        return err;
    *used = w.pos;
    if (base_gpa >= FOUR_GIB || w.pos > FOUR_GIB - base_gpa)
        return MULTIBOOT_ERR_ABOVE_4G;
    if (w.pos > buf_size)
        return MULTIBOOT_ERR_BUF_TOO_SMALL;
    return MULTIBOOT_OK;
}

u32 multiboot_boot_magic(enum multiboot_version v)
{
    switch (v) {
    case MULTIBOOT_V1: return MULTIBOOT1_BOOTLOADER_MAGIC;
    case MULTIBOOT_V2: return MULTIBOOT2_BOOTLOADER_MAGIC;
    default: return 0;
    }
}

const char *multiboot_error_name(int err)
{
    switch (err) {
    case MULTIBOOT_OK: return "MULTIBOOT_OK";
    case MULTIBOOT_ERR_ARG: return "MULTIBOOT_ERR_ARG";
    case MULTIBOOT_ERR_NO_HEADER: return "MULTIBOOT_ERR_NO_HEADER";
    case MULTIBOOT_ERR_BAD_CHECKSUM: return "MULTIBOOT_ERR_BAD_CHECKSUM";
    case MULTIBOOT_ERR_HEADER_TRUNCATED: return "MULTIBOOT_ERR_HEADER_TRUNCATED";
    case MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS: return "MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS";
    case MULTIBOOT_ERR_V2_ARCH: return "MULTIBOOT_ERR_V2_ARCH";
    case MULTIBOOT_ERR_V2_BAD_TAG: return "MULTIBOOT_ERR_V2_BAD_TAG";
    case MULTIBOOT_ERR_V2_UNSUPPORTED_TAG: return "MULTIBOOT_ERR_V2_UNSUPPORTED_TAG";
    case MULTIBOOT_ERR_V2_UNSUPPORTED_INFO: return "MULTIBOOT_ERR_V2_UNSUPPORTED_INFO";
    case MULTIBOOT_ERR_EFI_REQUIRED: return "MULTIBOOT_ERR_EFI_REQUIRED";
    case MULTIBOOT_ERR_NOT_ELF: return "MULTIBOOT_ERR_NOT_ELF";
    case MULTIBOOT_ERR_ELF_HEADER: return "MULTIBOOT_ERR_ELF_HEADER";
    case MULTIBOOT_ERR_ELF_PHDRS: return "MULTIBOOT_ERR_ELF_PHDRS";
    case MULTIBOOT_ERR_SEGMENT_FILE: return "MULTIBOOT_ERR_SEGMENT_FILE";
    case MULTIBOOT_ERR_SEGMENT_SIZE: return "MULTIBOOT_ERR_SEGMENT_SIZE";
    case MULTIBOOT_ERR_TOO_MANY_SEGMENTS: return "MULTIBOOT_ERR_TOO_MANY_SEGMENTS";
    case MULTIBOOT_ERR_NO_SEGMENTS: return "MULTIBOOT_ERR_NO_SEGMENTS";
    case MULTIBOOT_ERR_NOT_IN_RAM: return "MULTIBOOT_ERR_NOT_IN_RAM";
    case MULTIBOOT_ERR_OVERLAP: return "MULTIBOOT_ERR_OVERLAP";
    case MULTIBOOT_ERR_ABOVE_4G: return "MULTIBOOT_ERR_ABOVE_4G";
    case MULTIBOOT_ERR_AOUT_ADDRS: return "MULTIBOOT_ERR_AOUT_ADDRS";
    case MULTIBOOT_ERR_NO_ENTRY: return "MULTIBOOT_ERR_NO_ENTRY";
    case MULTIBOOT_ERR_ENTRY_OUTSIDE: return "MULTIBOOT_ERR_ENTRY_OUTSIDE";
    case MULTIBOOT_ERR_BUF_TOO_SMALL: return "MULTIBOOT_ERR_BUF_TOO_SMALL";
    case MULTIBOOT_ERR_V2_PREFERRED: return "MULTIBOOT_ERR_V2_PREFERRED";
    default: return "unknown";
    }
}
