/*
 * Unit tests for common/base/boot_info.c: parsing GRUB's Multiboot2 boot information.
 *
 * unit-sources: common/base/boot_info.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/base/boot_info.h"

/* A boot information structure assembled the way GRUB lays it out. */
struct info_builder {
    _Alignas(8) u8 buf[8192];
    size_t pos;
};

static void ib_start(struct info_builder *b)
{
    memset(b->buf, 0, sizeof(b->buf));
    b->pos = 8;
}

static void put32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
    memcpy(p, &v, 8);
}

/* Add a tag with the given body; returns the tag's offset. */
static size_t ib_tag(struct info_builder *b, u32 type, const void *body, size_t len)
{
    size_t off = b->pos;

    put32(b->buf + off, type);
    put32(b->buf + off + 4, (u32)(8 + len));
    if (len)
        memcpy(b->buf + off + 8, body, len);
    b->pos = (off + 8 + len + 7) & ~(size_t)7;
    return off;
}

static size_t ib_string(struct info_builder *b, u32 type, const char *s)
{
    return ib_tag(b, type, s, strlen(s) + 1);
}

static void ib_module(struct info_builder *b, u32 start, u32 end, const char *cmd)
{
    u8 body[128];

    put32(body, start);
    put32(body + 4, end);
    strcpy((char *)body + 8, cmd);
    ib_tag(b, MB2_TAG_MODULE, body, 8 + strlen(cmd) + 1);
}

struct test_range {
    u64 base, len;
    u32 type;
};

static void ib_mmap(struct info_builder *b, u32 entry_size, const struct test_range *r, size_t n)
{
    u8 body[1024] = { 0 };
    size_t i;

    put32(body, entry_size);
    put32(body + 4, 0);
    for (i = 0; i < n; i++) {
        u8 *e = body + 8 + i * entry_size;

        put64(e, r[i].base);
        put64(e + 8, r[i].len);
        put32(e + 16, r[i].type);
    }
    ib_tag(b, MB2_TAG_MMAP, body, 8 + n * entry_size);
}

static size_t ib_finish(struct info_builder *b)
{
    ib_tag(b, MB2_TAG_END, NULL, 0);
    put32(b->buf, (u32)b->pos);
    return b->pos;
}

static const struct test_range grub_map[] = {
    { 0x0, 0x9fc00, MB_MMAP_AVAILABLE },       { 0x9fc00, 0x400, MB_MMAP_RESERVED },
    { 0xf0000, 0x10000, MB_MMAP_RESERVED },    { 0x100000, 0x7ee0000, MB_MMAP_AVAILABLE },
    { 0xfffc0000, 0x40000, MB_MMAP_RESERVED },
};

static const u8 rsdp_v1[20] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R',  ' ',  0x42, 'B',
                                'O', 'C', 'H', 'S', ' ', 0,   0x00, 0x10, 0xfe, 0x07 };

/* A full GRUB-like structure: every tag bookvisor reads plus an unknown one. */
static size_t build_grub_info(struct info_builder *b)
{
    u8 meminfo[8], fb[30], base[4];
    u8 unknown[5] = { 1, 2, 3, 4, 5 };

    ib_start(b);
    ib_string(b, MB2_TAG_CMDLINE, "serial=com1 log=debug");
    ib_string(b, MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
    ib_module(b, 0x200000, 0x2c3000, "/boot/guest.elf root=/dev/sda1");
    ib_module(b, 0x2c3000, 0x2c4000, "");
    put32(meminfo, 639);
    put32(meminfo + 4, 130944);
    ib_tag(b, MB2_TAG_BASIC_MEMINFO, meminfo, sizeof(meminfo));
    ib_tag(b, 99, unknown, sizeof(unknown));
    ib_mmap(b, 24, grub_map, 5);
    ib_tag(b, MB2_TAG_ACPI_OLD, rsdp_v1, sizeof(rsdp_v1));
    memset(fb, 0, sizeof(fb));
    put64(fb, 0xfd000000);
    put32(fb + 8, 4096);
    put32(fb + 12, 1024);
    put32(fb + 16, 768);
    fb[20] = 32;
    fb[21] = MB_FB_RGB;
    fb[24] = 16;
    fb[25] = 8;
    fb[26] = 8;
    fb[27] = 8;
    fb[28] = 0;
    fb[29] = 8;
    ib_tag(b, MB2_TAG_FRAMEBUFFER, fb, sizeof(fb));
    put32(base, 0x1000000);
    ib_tag(b, MB2_TAG_LOAD_BASE_ADDR, base, sizeof(base));
    return ib_finish(b);
}

static struct info_builder b;
static struct boot_info info;

START_TEST(test_full_grub_info)
{
    size_t total = build_grub_info(&b);

    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_OK);
    ck_assert_uint_eq(info.total_size, total);
    ck_assert_str_eq(info.cmdline, "serial=com1 log=debug");
    ck_assert_uint_eq(info.cmdline_len, strlen("serial=com1 log=debug"));
    ck_assert_str_eq(info.loader_name, "GRUB 2.06-13+deb12u1");

    ck_assert_uint_eq(info.module_count, 2);
    ck_assert_uint_eq(info.modules[0].start, 0x200000);
    ck_assert_uint_eq(info.modules[0].end, 0x2c3000);
    ck_assert_str_eq(info.modules[0].cmdline, "/boot/guest.elf root=/dev/sda1");
    ck_assert_uint_eq(info.modules[1].start, 0x2c3000);
    ck_assert_str_eq(info.modules[1].cmdline, "");
    ck_assert_uint_eq(info.modules[1].cmdline_len, 0);
    ck_assert_ptr_eq(boot_info_guest_kernel(&info), &info.modules[0]);

    ck_assert(info.has_meminfo);
    ck_assert_uint_eq(info.mem_lower, 639);
    ck_assert_uint_eq(info.mem_upper, 130944);

    ck_assert_uint_eq(info.mmap_count, 5);
    ck_assert_uint_eq(info.mmap[3].base, 0x100000);
    ck_assert_uint_eq(info.mmap[3].length, 0x7ee0000);
    ck_assert_uint_eq(info.mmap[3].type, MB_MMAP_AVAILABLE);
    ck_assert_uint_eq(info.mmap[4].base, 0xfffc0000);
    ck_assert_uint_eq(info.mmap[4].type, MB_MMAP_RESERVED);

    ck_assert_ptr_nonnull(info.rsdp_old);
    ck_assert_uint_eq(info.rsdp_old_len, 20);
    ck_assert_int_eq(memcmp(info.rsdp_old, rsdp_v1, 20), 0);
    ck_assert_ptr_null(info.rsdp_new);

    ck_assert(info.has_framebuffer);
    ck_assert_uint_eq(info.framebuffer.addr, 0xfd000000);
    ck_assert_uint_eq(info.framebuffer.pitch, 4096);
    ck_assert_uint_eq(info.framebuffer.width, 1024);
    ck_assert_uint_eq(info.framebuffer.height, 768);
    ck_assert_uint_eq(info.framebuffer.bpp, 32);
    ck_assert_uint_eq(info.framebuffer.type, MB_FB_RGB);
    ck_assert_uint_eq(info.framebuffer.rgb[0], 16);
    ck_assert_uint_eq(info.framebuffer.rgb[5], 8);

    ck_assert(info.has_load_base);
    ck_assert_uint_eq(info.load_base_addr, 0x1000000);
}
END_TEST

START_TEST(test_minimal_info)
{
    ib_start(&b);
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, 16, &info), BOOT_INFO_OK);
    ck_assert_ptr_null(info.cmdline);
    ck_assert_uint_eq(info.module_count, 0);
    ck_assert_uint_eq(info.mmap_count, 0);
    ck_assert(!info.has_meminfo && !info.has_framebuffer && !info.has_load_base);
    ck_assert_ptr_null(boot_info_guest_kernel(&info));
}
END_TEST

START_TEST(test_mmap_larger_entries)
{
    /* A future loader may append fields: entries are entry_size apart. */
    ib_start(&b);
    ib_mmap(&b, 32, grub_map, 5);
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_OK);
    ck_assert_uint_eq(info.mmap_count, 5);
    ck_assert_uint_eq(info.mmap[2].base, 0xf0000);
    ck_assert_uint_eq(info.mmap[3].length, 0x7ee0000);
}
END_TEST

START_TEST(test_mmap_entry_too_small)
{
    ib_start(&b);
    ib_mmap(&b, 16, grub_map, 2);
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_MMAP_ENTRY_SIZE);
}
END_TEST

START_TEST(test_tag_size_below_header)
{
    size_t off;

    ib_start(&b);
    ib_string(&b, MB2_TAG_CMDLINE, "x");
    off = ib_string(&b, MB2_TAG_LOADER_NAME, "y");
    ib_finish(&b);
    put32(b.buf + off + 4, 4);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TAG_SIZE);
    ck_assert_uint_eq(info.error_offset, off);
}
END_TEST

START_TEST(test_tag_size_past_total)
{
    size_t off;

    ib_start(&b);
    off = ib_string(&b, MB2_TAG_CMDLINE, "abc");
    ib_finish(&b);
    put32(b.buf + off + 4, 0x1000); /* inside max_len but past total_size */
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TAG_SIZE);
    put32(b.buf + off + 4, 0xfffffff8u); /* would wrap a careless sum */
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TAG_SIZE);
}
END_TEST

START_TEST(test_fixed_tag_too_short)
{
    u8 small[4] = { 0 };

    ib_start(&b);
    ib_tag(&b, MB2_TAG_BASIC_MEMINFO, small, sizeof(small));
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TAG_SIZE);

    ib_start(&b);
    ib_tag(&b, MB2_TAG_ACPI_NEW, rsdp_v1, sizeof(rsdp_v1)); /* 20 < 36 */
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TAG_SIZE);
}
END_TEST

START_TEST(test_total_size_checks)
{
    ib_start(&b);
    ib_string(&b, MB2_TAG_CMDLINE, "abc");
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, b.pos - 1, &info), BOOT_INFO_ERR_TRUNCATED);
    ck_assert_int_eq(boot_info_parse(b.buf, 4, &info), BOOT_INFO_ERR_TRUNCATED);
    put32(b.buf, 8);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TOTAL_SIZE);
}
END_TEST

START_TEST(test_missing_end_tag)
{
    ib_start(&b);
    ib_string(&b, MB2_TAG_CMDLINE, "abcdefg"); /* tag ends on an 8-byte boundary */
    put32(b.buf, (u32)b.pos);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_NO_END_TAG);
}
END_TEST

START_TEST(test_string_without_nul)
{
    size_t off;

    ib_start(&b);
    off = ib_tag(&b, MB2_TAG_CMDLINE, "abcdefgh", 8);
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_STRING);
    ck_assert_uint_eq(info.error_offset, off);
}
END_TEST

START_TEST(test_too_many_modules)
{
    int i;

    ib_start(&b);
    for (i = 0; i < BOOT_INFO_MAX_MODULES; i++)
        ib_module(&b, 0x100000 * (u32)i, 0x100000 * (u32)i + 0x1000, "m");
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_OK);
    ck_assert_uint_eq(info.module_count, BOOT_INFO_MAX_MODULES);

    b.pos -= 8; /* drop the end tag, add one more module */
    ib_module(&b, 0x7000000, 0x7001000, "one too many");
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(b.buf, sizeof(b.buf), &info), BOOT_INFO_ERR_TOO_MANY_MODULES);
}
END_TEST

START_TEST(test_null_and_misaligned)
{
    ib_start(&b);
    ib_finish(&b);
    ck_assert_int_eq(boot_info_parse(NULL, 16, &info), BOOT_INFO_ERR_NULL);
    ck_assert_int_eq(boot_info_parse(b.buf, 16, NULL), BOOT_INFO_ERR_NULL);
    ck_assert_int_eq(boot_info_parse(b.buf + 4, 16, &info), BOOT_INFO_ERR_MISALIGNED);
}
END_TEST

/* Mutated copies of a real structure, placed so that its last byte is the
 * last byte before an inaccessible page: any read past total_size faults. */
START_TEST(test_mutations_never_read_past_end)
{
    long page = sysconf(_SC_PAGESIZE);
    u8 *area =
        mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    size_t total = build_grub_info(&b);
    u8 *copy;
    u32 seed = 12345;
    int i, ok = 0;

    ck_assert_ptr_ne(area, MAP_FAILED);
    ck_assert_int_eq(mprotect(area + page, (size_t)page, PROT_NONE), 0);
    ck_assert_uint_le(total, (size_t)page);
    copy = area + page - total;
    for (i = 0; i < 20000; i++) {
        int r, k;

        memcpy(copy, b.buf, total);
        for (k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[8 + (seed >> 8) % (total - 8)] ^= (u8)(1u << ((seed >> 4) & 7));
        }
        r = boot_info_parse(copy, total, &info);
        ck_assert_int_le(r, 0);
        ck_assert_int_ge(r, BOOT_INFO_ERR_MMAP_ENTRY_SIZE);
        ok += r == BOOT_INFO_OK;
    }
    ck_assert_int_gt(ok, 0); /* some flips hit only data bytes */
    munmap(area, (size_t)page * 2);
}
END_TEST

START_TEST(test_error_names)
{
    int e;

    for (e = BOOT_INFO_OK; e >= BOOT_INFO_ERR_MMAP_ENTRY_SIZE; e--)
        ck_assert_str_ne(boot_info_error_name(e), "unknown");
    ck_assert_str_eq(boot_info_error_name(BOOT_INFO_ERR_TAG_SIZE), "BOOT_INFO_ERR_TAG_SIZE");
    ck_assert_str_eq(boot_info_error_name(-100), "unknown");
}
END_TEST

static Suite *boot_info_suite(void)
{
    Suite *s = suite_create("boot_info");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_full_grub_info);
    tcase_add_test(tc, test_minimal_info);
    tcase_add_test(tc, test_mmap_larger_entries);
    tcase_add_test(tc, test_mmap_entry_too_small);
    tcase_add_test(tc, test_tag_size_below_header);
    tcase_add_test(tc, test_tag_size_past_total);
    tcase_add_test(tc, test_fixed_tag_too_short);
    tcase_add_test(tc, test_total_size_checks);
    tcase_add_test(tc, test_missing_end_tag);
    tcase_add_test(tc, test_string_without_nul);
    tcase_add_test(tc, test_too_many_modules);
    tcase_add_test(tc, test_null_and_misaligned);
    tcase_add_test(tc, test_mutations_never_read_past_end);
    tcase_add_test(tc, test_error_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(boot_info_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
