/**
 * @file common/loader/multiboot_probe.c
 * @brief Finding and checking a kernel's Multiboot (v1) or Multiboot2 header
 *        (see common/loader/multiboot.h).
 *
 * The image is untrusted input: every offset read from it is checked against
 * len before use, with comparisons written so they cannot wrap.
 */
#include "common/loader/multiboot.h"
#include "common/loader/multiboot_internal.h"
#include "common/lib/kstring.h"

/* Little-endian reads from the image (no alignment assumed). */
static u16 rd16(const u8 *p)
{
    return (u16)(p[0] | (p[1] << 8));
}

static u32 rd32(const u8 *p)
{
    return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

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
        bool we_give = type < 32 && (MULTIBOOT2_INFO_TAGS_GIVEN & (1u << type));

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
    out->is_elf = multiboot_has_elf_magic(image, len);
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
    out->is_elf = multiboot_has_elf_magic(image, len);
    return MULTIBOOT_OK;
}
