/**
 * @file common/base/boot_info.c
 * @brief Bounds-checked walk over GRUB's Multiboot2 boot information.
 *
 * Every read is preceded by a check against `end`, the smaller of total_size
 * and the caller's max_len. Fields are assembled byte by byte (little endian)
 * so the code does not depend on the alignment of anything but the header.
 */
#include "common/base/boot_info.h"
#include "common/lib/kstring.h"

/* Sizes of the fixed parts of the tags we decode (bytes, header included). */
#define TAG_HDR_SIZE 8u
#define MODULE_TAG_MIN (TAG_HDR_SIZE + 8u + 1u) /* two u32 and an empty string */
#define MEMINFO_TAG_MIN (TAG_HDR_SIZE + 8u)
#define MMAP_TAG_MIN (TAG_HDR_SIZE + 8u)
#define MMAP_ENTRY_MIN 24u
#define FB_TAG_MIN 32u /* common part: GRUB lays out u8 bpp, u8 type, u16 pad */
#define FB_RGB_TAG_MIN (FB_TAG_MIN + 6u)
#define LOAD_BASE_TAG_MIN (TAG_HDR_SIZE + 4u)
#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u

static u32 rd32(const u8 *p)
{
    return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

static u64 rd64(const u8 *p)
{
    return (u64)rd32(p) | ((u64)rd32(p + 4) << 32);
}

/* A string occupying body[0..len): it must contain its NUL terminator. */
static int take_string(const u8 *body, size_t len, const char **str, size_t *str_len)
{
    size_t n = KSTR(strnlen)((const char *)body, len);

    if (n == len)
        return BOOT_INFO_ERR_STRING;
    *str = (const char *)body;
    *str_len = n;
    return BOOT_INFO_OK;
}

static int parse_module(const u8 *tag, u32 size, struct boot_info *out)
{
    struct boot_module *m;

    if (size < MODULE_TAG_MIN)
        return BOOT_INFO_ERR_TAG_SIZE;
    if (out->module_count >= BOOT_INFO_MAX_MODULES)
        return BOOT_INFO_ERR_TOO_MANY_MODULES;
    m = &out->modules[out->module_count];
    m->start = rd32(tag + 8);
    m->end = rd32(tag + 12);
    if (take_string(tag + 16, size - 16, &m->cmdline, &m->cmdline_len))
        return BOOT_INFO_ERR_STRING;
    out->module_count++;
    return BOOT_INFO_OK;
}

static int parse_mmap(const u8 *tag, u32 size, struct boot_info *out)
{
    u32 entry_size, off;

    if (size < MMAP_TAG_MIN)
        return BOOT_INFO_ERR_TAG_SIZE;
    entry_size = rd32(tag + 8);
    if (entry_size < MMAP_ENTRY_MIN)
        return BOOT_INFO_ERR_MMAP_ENTRY_SIZE;
    /* Entries start after entry_size and entry_version; a partial trailing
     * entry is ignored, never read. */
    for (off = MMAP_TAG_MIN; size - off >= entry_size; off += entry_size) {
        struct mb2_mmap_entry *e;

        if (out->mmap_count >= BOOT_INFO_MAX_MMAP)
            return BOOT_INFO_ERR_TOO_MANY_MMAP;
        e = &out->mmap[out->mmap_count++];
        e->base = rd64(tag + off);
        e->length = rd64(tag + off + 8);
        e->type = rd32(tag + off + 16);
    }
    return BOOT_INFO_OK;
}

static int parse_framebuffer(const u8 *tag, u32 size, struct boot_info *out)
{
    struct mb2_framebuffer *fb = &out->framebuffer;

    if (size < FB_TAG_MIN)
        return BOOT_INFO_ERR_TAG_SIZE;
    KSTR(memset)(fb, 0, sizeof(*fb));
    fb->addr = rd64(tag + 8);
    fb->pitch = rd32(tag + 16);
    fb->width = rd32(tag + 20);
    fb->height = rd32(tag + 24);
    fb->bpp = tag[28];
    fb->type = tag[29];
    if (fb->type == MB_FB_RGB) {
        if (size < FB_RGB_TAG_MIN)
            return BOOT_INFO_ERR_TAG_SIZE;
        KSTR(memcpy)(fb->rgb, tag + FB_TAG_MIN, sizeof(fb->rgb));
    }
    out->has_framebuffer = true;
    return BOOT_INFO_OK;
}

/* Decode one tag whose header and whole body lie inside the structure. */
static int parse_tag(const u8 *tag, u32 type, u32 size, struct boot_info *out)
{
    const u8 *body = tag + TAG_HDR_SIZE;
    size_t body_len = size - TAG_HDR_SIZE;

    switch (type) {
    case MB2_TAG_CMDLINE: return take_string(body, body_len, &out->cmdline, &out->cmdline_len);
    case MB2_TAG_LOADER_NAME:
        return take_string(body, body_len, &out->loader_name, &out->loader_name_len);
    case MB2_TAG_MODULE: return parse_module(tag, size, out);
    case MB2_TAG_BASIC_MEMINFO:
        if (size < MEMINFO_TAG_MIN)
            return BOOT_INFO_ERR_TAG_SIZE;
        out->has_meminfo = true;
        out->mem_lower = rd32(body);
        out->mem_upper = rd32(body + 4);
        return BOOT_INFO_OK;
    case MB2_TAG_MMAP: return parse_mmap(tag, size, out);
    case MB2_TAG_FRAMEBUFFER: return parse_framebuffer(tag, size, out);
    case MB2_TAG_ACPI_OLD:
        if (body_len < RSDP_V1_LEN)
            return BOOT_INFO_ERR_TAG_SIZE;
        out->rsdp_old = body;
        out->rsdp_old_len = body_len;
        return BOOT_INFO_OK;
    case MB2_TAG_ACPI_NEW:
        if (body_len < RSDP_V2_LEN)
            return BOOT_INFO_ERR_TAG_SIZE;
        out->rsdp_new = body;
        out->rsdp_new_len = body_len;
        return BOOT_INFO_OK;
    case MB2_TAG_LOAD_BASE_ADDR:
        if (size < LOAD_BASE_TAG_MIN)
            return BOOT_INFO_ERR_TAG_SIZE;
        out->has_load_base = true;
        out->load_base_addr = rd32(body);
        return BOOT_INFO_OK;
    default:
        /* Tags bookvisor has no use for are skipped, as the spec allows. */
        return BOOT_INFO_OK;
    }
}

int boot_info_parse(const void *mbi, size_t max_len, struct boot_info *out)
{
    const u8 *base = mbi;
    size_t end, off;

    if (!mbi || !out)
        return BOOT_INFO_ERR_NULL;
    KSTR(memset)(out, 0, sizeof(*out));
    if ((uintptr_t)mbi & 7)
        return BOOT_INFO_ERR_MISALIGNED;
    if (max_len < TAG_HDR_SIZE)
        return BOOT_INFO_ERR_TRUNCATED;
    out->total_size = rd32(base);
    if (out->total_size < 2 * TAG_HDR_SIZE)
        return BOOT_INFO_ERR_TOTAL_SIZE;
    if (out->total_size > max_len)
        return BOOT_INFO_ERR_TRUNCATED;
    end = out->total_size;

    for (off = TAG_HDR_SIZE; end - off >= TAG_HDR_SIZE;) {
        u32 type = rd32(base + off);
        u32 size = rd32(base + off + 4);
        int err;

        out->error_offset = off;
        if (size < TAG_HDR_SIZE || size > end - off)
            return BOOT_INFO_ERR_TAG_SIZE;
        if (type == MB2_TAG_END) {
            out->error_offset = 0;
            return BOOT_INFO_OK;
        }
        err = parse_tag(base + off, type, size, out);
        if (err)
            return err;
        /* size <= end - off, so off + ALIGN_UP(size, 8) cannot wrap. */
        off += ALIGN_UP((size_t)size, 8);
        if (off > end)
            break;
    }
    out->error_offset = off;
    return BOOT_INFO_ERR_NO_END_TAG;
}

const char *boot_info_error_name(int err)
{
    switch (err) {
    case BOOT_INFO_OK: return "BOOT_INFO_OK";
    case BOOT_INFO_ERR_NULL: return "BOOT_INFO_ERR_NULL";
    case BOOT_INFO_ERR_MISALIGNED: return "BOOT_INFO_ERR_MISALIGNED";
    case BOOT_INFO_ERR_TRUNCATED: return "BOOT_INFO_ERR_TRUNCATED";
    case BOOT_INFO_ERR_TOTAL_SIZE: return "BOOT_INFO_ERR_TOTAL_SIZE";
    case BOOT_INFO_ERR_TAG_SIZE: return "BOOT_INFO_ERR_TAG_SIZE";
    case BOOT_INFO_ERR_NO_END_TAG: return "BOOT_INFO_ERR_NO_END_TAG";
    case BOOT_INFO_ERR_STRING: return "BOOT_INFO_ERR_STRING";
    case BOOT_INFO_ERR_TOO_MANY_MODULES: return "BOOT_INFO_ERR_TOO_MANY_MODULES";
    case BOOT_INFO_ERR_TOO_MANY_MMAP: return "BOOT_INFO_ERR_TOO_MANY_MMAP";
    case BOOT_INFO_ERR_MMAP_ENTRY_SIZE: return "BOOT_INFO_ERR_MMAP_ENTRY_SIZE";
    default: return "unknown";
    }
}

const struct boot_module *boot_info_guest_kernel(const struct boot_info *info)
{
    if (!info || info->module_count == 0)
        return NULL;
    return &info->modules[0];
}
