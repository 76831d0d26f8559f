/*
 * Unit tests for common/loader/linux_probe.c: what a bzImage's setup header
 * says (version, setup sectors, where the kernel starts, the 64-bit entry,
 * relocation, pref_address, init_size, the limits), and the three refusals
 * of the header itself: not a bzImage, too old a protocol, a truncated file.
 *
 * unit-sources: common/loader/linux_probe.c common/lib/kstring.c
 */
#include <check.h>

#include "tests/unit/linux_images.h"
#include "tests/unit/unit_main.h"

static u8 img[0x8000];
static struct linux_image li;

START_TEST(reads_the_header)
{
    struct test_bzimage t = test_bzimage_default();
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert_uint_eq(li.version, 0x020F);
    ck_assert_uint_eq(li.setup_sects, 3);
    ck_assert_uint_eq(li.kernel_offset, 4 * 512);
    ck_assert_uint_eq(li.kernel_size, 0x3000);
    ck_assert_uint_eq(li.header_end, 0x26C);
    ck_assert(li.entry64);
    ck_assert(li.relocatable);
    ck_assert_uint_eq(li.kernel_alignment, 2 * MIB);
    ck_assert_uint_eq(li.pref_address, 4 * MIB);
    ck_assert_uint_eq(li.init_size, 0x200000);
    ck_assert_uint_eq(li.initrd_addr_max, 0x7FFFFFFF);
    ck_assert_uint_eq(li.cmdline_size, 2047);
}
END_TEST

START_TEST(zero_setup_sects_means_four)
{
    struct test_bzimage t = test_bzimage_default();
    t.setup_sects = 0;
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert_uint_eq(li.kernel_offset, 5 * 512);
}
END_TEST

START_TEST(no_64bit_entry_before_2_12_or_without_the_flag)
{
    struct test_bzimage t = test_bzimage_default();
    t.version = 0x020B; /* 2.11 has no xloadflags: the bits there mean nothing */
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert(!li.entry64);
    t = test_bzimage_default();
    t.xloadflags = 0;
    len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert(!li.entry64);
}
END_TEST

START_TEST(old_protocols_get_the_old_defaults)
{
    struct test_bzimage t = test_bzimage_default();
    t.version = 0x0206; /* no pref_address nor init_size yet */
    t.initrd_addr_max = 0;
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert_uint_eq(li.pref_address, 0x100000);
    ck_assert_uint_eq(li.init_size, 4 * 0x3000);
    ck_assert_uint_eq(li.initrd_addr_max, 0x37FFFFFF);
    /* An alignment that is no power of two makes the kernel fixed. */
    t = test_bzimage_default();
    t.kernel_alignment = 0x300000;
    len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert(!li.relocatable);
}
END_TEST

START_TEST(refuses_what_is_not_a_bzimage)
{
    struct test_bzimage t = test_bzimage_default();
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    img[LINUX_HDR_MAGIC] = 'X';
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_ERR_NOT_BZIMAGE);
    len = test_bzimage_make(img, sizeof(img), &t);
    img[LINUX_HDR_BOOT_FLAG] = 0;
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_ERR_NOT_BZIMAGE);
    len = test_bzimage_make(img, sizeof(img), &t);
    img[LINUX_HDR_LOADFLAGS] = 0; /* a zImage */
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_ERR_NOT_BZIMAGE);
    ck_assert_int_eq(linux_probe(img, 0x100, &li), LINUX_ERR_NOT_BZIMAGE);
    ck_assert_int_eq(linux_probe(NULL, 0, &li), LINUX_ERR_NOT_BZIMAGE);
    ck_assert_str_eq(linux_error_name(LINUX_ERR_NOT_BZIMAGE), "LINUX_ERR_NOT_BZIMAGE");
}
END_TEST

START_TEST(refuses_a_protocol_too_old)
{
    struct test_bzimage t = test_bzimage_default();
    t.version = 0x0205;
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_ERR_TOO_OLD);
    ck_assert_uint_eq(li.version, 0x0205); /* for the message */
    ck_assert_str_eq(linux_error_name(LINUX_ERR_TOO_OLD), "LINUX_ERR_TOO_OLD");
}
END_TEST

START_TEST(refuses_a_truncated_image)
{
    struct test_bzimage t = test_bzimage_default();
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    /* The kernel cut short: syssize says more than the file has. */
    ck_assert_int_eq(linux_probe(img, len - 16, &li), LINUX_ERR_TRUNCATED);
    ck_assert_uint_eq(li.found_len, len);
    /* Cut inside the setup sectors. */
    ck_assert_int_eq(linux_probe(img, 0x300, &li), LINUX_ERR_TRUNCATED);
    /* setup_sects pointing past the end. */
    img[LINUX_HDR_SETUP_SECTS] = 200;
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_ERR_TRUNCATED);
    /* A header claiming to run past its own sector. */
    len = test_bzimage_make(img, sizeof(img), &t);
    img[LINUX_HDR_JUMP + 1] = 0xFF;
    ck_assert_int_eq(linux_probe(img, 0x280, &li), LINUX_ERR_TRUNCATED);
    ck_assert_str_eq(linux_error_name(LINUX_ERR_TRUNCATED), "LINUX_ERR_TRUNCATED");
    ck_assert_str_eq(linux_error_name(42), "LINUX_ERR_?");
}
END_TEST

START_TEST(syssize_is_rounded_up_to_paragraphs)
{
    struct test_bzimage t = test_bzimage_default();
    size_t len = test_bzimage_make(img, sizeof(img), &t);
    /* A file that ends inside its last paragraph is whole (memtest86+ 6.10
     * ends 8 bytes before what syssize implies); the copy stops at its end. */
    ck_assert_int_eq(linux_probe(img, len - 8, &li), LINUX_OK);
    ck_assert_uint_eq(li.kernel_size, len - 8 - li.kernel_offset);
    ck_assert_int_eq(linux_probe(img, len - 15, &li), LINUX_OK);
    ck_assert_uint_eq(li.kernel_offset + li.kernel_size, len - 15);
    /* A whole paragraph missing is a truncated file. */
    ck_assert_int_eq(linux_probe(img, len - 16, &li), LINUX_ERR_TRUNCATED);
    /* A file longer than syssize says: only syssize bytes are the kernel. */
    ck_assert_int_eq(linux_probe(img, len, &li), LINUX_OK);
    ck_assert_uint_eq(li.kernel_offset + li.kernel_size, len);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("linux_probe");
    TCase *tc = tcase_create("probe");
    tcase_add_test(tc, reads_the_header);
    tcase_add_test(tc, zero_setup_sects_means_four);
    tcase_add_test(tc, no_64bit_entry_before_2_12_or_without_the_flag);
    tcase_add_test(tc, old_protocols_get_the_old_defaults);
    tcase_add_test(tc, refuses_what_is_not_a_bzimage);
    tcase_add_test(tc, refuses_a_protocol_too_old);
    tcase_add_test(tc, refuses_a_truncated_image);
    tcase_add_test(tc, syssize_is_rounded_up_to_paragraphs);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
