/*
 * Unit tests for common/loader/multiboot_probe.c: finding and checking a
 * kernel's Multiboot header: the search windows, checksums, the flags and
 * tags refused, the choice between v1 and v2, each version alone.
 *
 * unit-sources: common/loader/multiboot_probe.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>

#include "common/loader/multiboot.h"
#include "tests/unit/multiboot_images.h"
#include "tests/unit/unit_main.h"

#define IMG_SIZE 0x10000

static _Alignas(8) u8 img[IMG_SIZE];
static struct multiboot_image hdr;

START_TEST(test_bad_checksum)
{
    elf32_v1_kernel(img, sizeof(img));
    put32(img + 0x1008, get32(img + 0x1008) + 1);
    ck_assert_int_eq(multiboot_probe(img, ELF32_V1_LEN, &hdr), MULTIBOOT_ERR_BAD_CHECKSUM);
    ck_assert_int_eq(hdr.version, MULTIBOOT_NONE);
}
END_TEST

START_TEST(test_header_beyond_window)
{
    struct v2_writer w;

    memset(img, 0, sizeof(img));
    v1_header(img + MULTIBOOT1_SEARCH_BYTES, 0);
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_ERR_NO_HEADER);

    /* Header starting inside the window but ending outside it. */
    memset(img, 0, sizeof(img));
    v1_header(img + MULTIBOOT1_SEARCH_BYTES - 8, 0);
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_ERR_NO_HEADER);
    memset(img, 0, sizeof(img));
    v1_header(img + MULTIBOOT1_SEARCH_BYTES - 16, MULTIBOOT1_AOUT_KLUDGE);
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_ERR_HEADER_TRUNCATED);

    /* The same header just inside is found. */
    memset(img, 0, sizeof(img));
    v1_header(img + MULTIBOOT1_SEARCH_BYTES - 12, 0);
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_OK);

    /* v2: the window is 32 KiB. */
    memset(img, 0, sizeof(img));
    v2_begin(&w, img + MULTIBOOT2_SEARCH_BYTES);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_ERR_NO_HEADER);
    memset(img, 0, sizeof(img));
    v2_begin(&w, img + MULTIBOOT2_SEARCH_BYTES - 24);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V2);

    /* Image ends after the fixed part, inside the header's tags. */
    ck_assert_int_eq(multiboot_probe(img, MULTIBOOT2_SEARCH_BYTES - 8, &hdr),
                     MULTIBOOT_ERR_HEADER_TRUNCATED);
}
END_TEST

START_TEST(test_v1_flags)
{
    memset(img, 0, sizeof(img));
    v1_header(img, 1u << 3);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_ERR_V1_UNSUPPORTED_FLAGS);

    /* Unknown optional bits (16-31 other than 16) are fine. */
    v1_header(img, 1u << 20);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_OK);

    /* Video: accepted, the preference is reported. */
    v1_header(img, MULTIBOOT1_VIDEO_MODE);
    put32(img + 32, 0);
    put32(img + 36, 1024);
    put32(img + 40, 768);
    put32(img + 44, 32);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_OK);
    ck_assert(hdr.wants_video);
    ck_assert_uint_eq(hdr.video_width, 1024);
    ck_assert_uint_eq(hdr.video_depth, 32);
}
END_TEST

START_TEST(test_v2_refusals)
{
    const u32 req_elf_sections[] = { MB2_TAG_CMDLINE, MB2_TAG_ELF_SECTIONS };
    const u32 word[] = { 0x1234 };
    struct v2_writer w;

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_INFO_REQUEST, 0, req_elf_sections, 2);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_ERR_V2_UNSUPPORTED_INFO);

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_EFI_BS, 0, NULL, 0);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_ERR_EFI_REQUIRED);

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_EFI_BS, 1, NULL, 0);
    v2_tag(&w, MULTIBOOT2_HTAG_EFI64_ENTRY, 1, word, 1);
    v2_tag(&w, 42, 1, word, 1);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_OK);
    ck_assert(hdr.has_efi_entry);

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, 42, 0, word, 1);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_ERR_V2_UNSUPPORTED_TAG);

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_end(&w, 4); /* MIPS */
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_ERR_V2_ARCH);

    /* Entry tag with a size too small for its field. */
    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, NULL, 0);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x100, &hdr), MULTIBOOT_ERR_V2_BAD_TAG);

    /* Tag size running past header_length. */
    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_MODULE_ALIGN, 0, NULL, 0);
    v2_end(&w, 0);
    put32(img + 16 + 4, 0x100);
    put32(img + 12, -(MULTIBOOT2_HEADER_MAGIC + get32(img + 8)));
    ck_assert_int_eq(multiboot_probe(img, 0x200, &hdr), MULTIBOOT_ERR_V2_BAD_TAG);
}
END_TEST

START_TEST(test_v1_fallback_when_v2_refused)
{
    struct v2_writer w;

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_tag(&w, MULTIBOOT2_HTAG_EFI_BS, 0, NULL, 0);
    v2_end(&w, 0);
    v1_header(img + 0x100, MULTIBOOT1_MEMORY_INFO);
    ck_assert_int_eq(multiboot_probe(img, 0x200, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V1);
    ck_assert_uint_eq(hdr.header_offset, 0x100);
}
END_TEST

START_TEST(test_no_header)
{
    memset(img, 0, sizeof(img));
    ck_assert_int_eq(multiboot_probe(img, IMG_SIZE, &hdr), MULTIBOOT_ERR_NO_HEADER);
    ck_assert_int_eq(multiboot_probe(img, 3, &hdr), MULTIBOOT_ERR_NO_HEADER);
    ck_assert_int_eq(multiboot_probe(NULL, 3, &hdr), MULTIBOOT_ERR_ARG);
}
END_TEST

/* Each version alone: a kernel with both headers answers to both; one with
 * only v1 answers MULTIBOOT_ERR_NO_HEADER to the v2 question. */
START_TEST(test_probe_one_version)
{
    struct v2_writer w;

    memset(img, 0, sizeof(img));
    v2_begin(&w, img);
    v2_end(&w, 0);
    v1_header(img + 0x100, MULTIBOOT1_MEMORY_INFO);
    ck_assert_int_eq(multiboot_probe_version(img, 0x200, MULTIBOOT_V2, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V2);
    ck_assert_int_eq(multiboot_probe_version(img, 0x200, MULTIBOOT_V1, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V1);
    ck_assert_uint_eq(hdr.header_offset, 0x100);
    memset(img, 0, 0x20);
    ck_assert_int_eq(multiboot_probe_version(img, 0x200, MULTIBOOT_V2, &hdr),
                     MULTIBOOT_ERR_NO_HEADER);
    ck_assert_int_eq(multiboot_probe_version(img, 0x200, MULTIBOOT_NONE, &hdr), MULTIBOOT_ERR_ARG);
}
END_TEST

static Suite *multiboot_probe_suite(void)
{
    Suite *s = suite_create("multiboot_probe");
    TCase *tc = tcase_create("probe");

    tcase_add_test(tc, test_bad_checksum);
    tcase_add_test(tc, test_header_beyond_window);
    tcase_add_test(tc, test_v1_flags);
    tcase_add_test(tc, test_v2_refusals);
    tcase_add_test(tc, test_v1_fallback_when_v2_refused);
    tcase_add_test(tc, test_no_header);
    tcase_add_test(tc, test_probe_one_version);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(multiboot_probe_suite());
}
