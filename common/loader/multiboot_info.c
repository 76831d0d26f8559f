/**
 * @file common/loader/multiboot_info.c
 * @brief The boot information of a Multiboot (v1) or Multiboot2 guest, laid out
 *        for its guest-physical address (see common/loader/multiboot.h).
 */
#include "common/loader/multiboot.h"
#include "common/loader/multiboot_internal.h"
#include "common/lib/kstring.h"

/* Little-endian writes (no alignment assumed). */
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

        if (m->start >= MULTIBOOT_FOUR_GIB || m->end >= MULTIBOOT_FOUR_GIB || m->end < m->start)
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

        if (m->start >= MULTIBOOT_FOUR_GIB || m->end >= MULTIBOOT_FOUR_GIB || m->end < m->start)
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
    if (base_gpa >= MULTIBOOT_FOUR_GIB || w.pos > MULTIBOOT_FOUR_GIB - base_gpa)
        return MULTIBOOT_ERR_ABOVE_4G;
    if (w.pos > buf_size)
        return MULTIBOOT_ERR_BUF_TOO_SMALL;
    return MULTIBOOT_OK;
}
