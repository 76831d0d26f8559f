/*
 * Unit tests for common/loader/multiboot.c: Multiboot guest kernel probe, load plan
 * and boot information (the v2 information is checked by parsing it back
 * with common/base/boot_info.c).
 *
 * unit-sources: common/loader/multiboot.c common/base/boot_info.c common/base/vmm_layout.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/loader/elf.h"
#include "common/loader/multiboot.h"
#include "common/base/boot_info.h"
#include "tests/unit/multiboot_images.h"

#define IMG_SIZE 0x10000

static _Alignas(8) u8 img[IMG_SIZE];
static struct multiboot_image hdr;
static struct multiboot_plan plan;

/* Guest RAM: low 640 KiB minus the EBDA, then 1 MiB .. 64 MiB split in two
 * adjacent regions, and a reserved hole above. */
static const struct phys_range ram[] = {
    { 0x0, 0x9fc00, MB_MMAP_AVAILABLE },        { 0x9fc00, 0x400, MB_MMAP_RESERVED },
    { 0x100000, 0x100000, MB_MMAP_AVAILABLE },  { 0x200000, 0x3e00000, MB_MMAP_AVAILABLE },
    { 0x4000000, 0x1000000, MB_MMAP_RESERVED },
};

/* Higher-half ELF32 kernel: text at 0x100000 (v1 header inside it), data
 * plus bss at 0x101000. Image is 0x2080 bytes. */
static const struct test_phdr elf32_segments[] = {
    { ELF_PT_LOAD, 0x1000, 0xC0100000, 0x100000, 0x100, 0x100 },
    { 4 /* PT_NOTE, ignored */, 0x1100, 0, 0, 0x10, 0x10 },
    { ELF_PT_LOAD, 0x2000, 0xC0101000, 0x101000, 0x80, 0x1000 },
};
#define ELF32_LEN 0x2080

static void make_elf32_v1(void)
{
    memset(img, 0, sizeof(img));
    elf32(img, 0xC0100010, elf32_segments, 3);
    v1_header(img + 0x1000, MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO);
}

/* ------------------------------------------------------------------ */
/* Probe and plan                                                      */

START_TEST(test_elf32_v1)
{
    make_elf32_v1();
    ck_assert_int_eq(multiboot_probe(img, ELF32_LEN, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V1);
    ck_assert_uint_eq(hdr.header_offset, 0x1000);
    ck_assert(hdr.is_elf);
    ck_assert(hdr.page_align_modules);
    ck_assert(hdr.wants_meminfo);
    ck_assert(!hdr.has_address && !hdr.wants_video);

    ck_assert_int_eq(multiboot_plan(img, ELF32_LEN, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.segment_count, 2);
    ck_assert_uint_eq(plan.segments[0].file_offset, 0x1000);
    ck_assert_uint_eq(plan.segments[0].file_size, 0x100);
    ck_assert_uint_eq(plan.segments[0].dest, 0x100000);
    ck_assert_uint_eq(plan.segments[0].mem_size, 0x100);
    ck_assert_uint_eq(plan.segments[1].file_offset, 0x2000);
    ck_assert_uint_eq(plan.segments[1].file_size, 0x80);
    ck_assert_uint_eq(plan.segments[1].dest, 0x101000);
    ck_assert_uint_eq(plan.segments[1].mem_size, 0x1000);
    /* e_entry is virtual; the loader must hand the CPU the physical one. */
    ck_assert_uint_eq(plan.entry, 0x100010);
    ck_assert_uint_eq(plan.load_base, 0x100000);
    ck_assert_uint_eq(plan.load_end, 0x102000);
}
END_TEST

START_TEST(test_v2_aout_address_and_entry)
{
    struct v2_writer w;
    const u32 addr[] = { 0x100040, 0x100000, 0x102000, 0x105000 };
    const u32 entry[] = { 0x100080 };

    memset(img, 0, sizeof(img));
    v2_begin(&w, img + 0x40);
    v2_tag(&w, MULTIBOOT2_HTAG_ADDRESS, 0, addr, 4);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, entry, 1);
    v2_end(&w, 0);

    ck_assert_int_eq(multiboot_probe(img, 0x3000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V2);
    ck_assert_uint_eq(hdr.header_offset, 0x40);
    ck_assert(!hdr.is_elf);
    ck_assert(hdr.has_address && hdr.has_entry);
    ck_assert_uint_eq(hdr.bss_end_addr, 0x105000);

    ck_assert_int_eq(multiboot_plan(img, 0x3000, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.segment_count, 1);
    ck_assert_uint_eq(plan.segments[0].file_offset, 0);
    ck_assert_uint_eq(plan.segments[0].file_size, 0x2000);
    ck_assert_uint_eq(plan.segments[0].dest, 0x100000);
    ck_assert_uint_eq(plan.segments[0].mem_size, 0x5000);
    ck_assert_uint_eq(plan.entry, 0x100080);
    ck_assert_uint_eq(plan.load_end, 0x105000);
}
END_TEST

START_TEST(test_v2_aout_load_from_file_start)
{
    struct v2_writer w;
    const u32 addr[] = { 0x300040, 0xFFFFFFFFu, 0, 0 };
    const u32 entry[] = { 0x300100 };

    memset(img, 0, sizeof(img));
    v2_begin(&w, img + 0x40);
    v2_tag(&w, MULTIBOOT2_HTAG_ADDRESS, 0, addr, 4);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, entry, 1);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1800, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1800, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.segments[0].file_offset, 0);
    ck_assert_uint_eq(plan.segments[0].file_size, 0x1800);
    ck_assert_uint_eq(plan.segments[0].dest, 0x300000);
    ck_assert_uint_eq(plan.segments[0].mem_size, 0x1800);
}
END_TEST

START_TEST(test_v1_aout_kludge)
{
    memset(img, 0, sizeof(img));
    v1_header(img + 0x20, MULTIBOOT1_AOUT_KLUDGE);
    /* text starts 0x10 bytes into the file; the rest of the file is loaded */
    v1_addresses(img + 0x20, 0x200010, 0x200000, 0, 0x210000, 0x200030);
    ck_assert_int_eq(multiboot_probe(img, 0x4000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V1);
    ck_assert(hdr.has_address && hdr.has_entry);
    ck_assert_int_eq(multiboot_plan(img, 0x4000, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.segment_count, 1);
    ck_assert_uint_eq(plan.segments[0].file_offset, 0x10);
    ck_assert_uint_eq(plan.segments[0].file_size, 0x4000 - 0x10);
    ck_assert_uint_eq(plan.segments[0].dest, 0x200000);
    ck_assert_uint_eq(plan.segments[0].mem_size, 0x10000);
    ck_assert_uint_eq(plan.entry, 0x200030);
}
END_TEST

START_TEST(test_v1_aout_kludge_wins_over_elf)
{
    make_elf32_v1();
    v1_header(img + 0x1000, MULTIBOOT1_AOUT_KLUDGE);
    v1_addresses(img + 0x1000, 0x100000, 0x100000, 0x100100, 0, 0x100004);
    ck_assert_int_eq(multiboot_probe(img, ELF32_LEN, &hdr), MULTIBOOT_OK);
    ck_assert(hdr.is_elf);
    ck_assert_int_eq(multiboot_plan(img, ELF32_LEN, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.segment_count, 1);
    ck_assert_uint_eq(plan.segments[0].file_offset, 0x1000);
    ck_assert_uint_eq(plan.segments[0].file_size, 0x100);
    ck_assert_uint_eq(plan.entry, 0x100004);
}
END_TEST

START_TEST(test_aout_inconsistent_addresses)
{
    memset(img, 0, sizeof(img));
    v1_header(img + 0x20, MULTIBOOT1_AOUT_KLUDGE);
    /* load_addr above header_addr */
    v1_addresses(img + 0x20, 0x200000, 0x200010, 0, 0, 0x200010);
    ck_assert_int_eq(multiboot_probe(img, 0x1000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1000, &hdr, ram, 5, &plan), MULTIBOOT_ERR_AOUT_ADDRS);
    /* text would start before the file does */
    v1_addresses(img + 0x20, 0x200100, 0x200000, 0, 0, 0x200100);
    ck_assert_int_eq(multiboot_probe(img, 0x1000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1000, &hdr, ram, 5, &plan), MULTIBOOT_ERR_AOUT_ADDRS);
    /* bss ends before the loaded data does */
    v1_addresses(img + 0x20, 0x200020, 0x200000, 0x200800, 0x200400, 0x200020);
    ck_assert_int_eq(multiboot_probe(img, 0x1000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1000, &hdr, ram, 5, &plan), MULTIBOOT_ERR_AOUT_ADDRS);
    /* load_end beyond the file */
    v1_addresses(img + 0x20, 0x200020, 0x200000, 0x202000, 0, 0x200020);
    ck_assert_int_eq(multiboot_probe(img, 0x1000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1000, &hdr, ram, 5, &plan), MULTIBOOT_ERR_SEGMENT_FILE);
}
END_TEST

START_TEST(test_elf64_v2)
{
    const struct test_phdr ph[] = {
        { ELF_PT_LOAD, 0x1000, 0xFFFFFFFF80200000ULL, 0x200000, 0x200, 0x400 },
    };
    const u32 requests[] = { MB2_TAG_CMDLINE, MB2_TAG_MMAP };
    const u32 optional[] = { MB2_TAG_ELF_SECTIONS, MB2_TAG_FRAMEBUFFER };
    const u32 console[] = { 3 };
    struct v2_writer w;

    memset(img, 0, sizeof(img));
    elf64(img, 0xFFFFFFFF80200100ULL, ph, 1);
    v2_begin(&w, img + 0x1000);
    v2_tag(&w, MULTIBOOT2_HTAG_INFO_REQUEST, 0, requests, 2);
    v2_tag(&w, MULTIBOOT2_HTAG_INFO_REQUEST, 1, optional, 2);
    v2_tag(&w, MULTIBOOT2_HTAG_CONSOLE, 0, console, 1);
    v2_tag(&w, MULTIBOOT2_HTAG_MODULE_ALIGN, 0, NULL, 0);
    v2_end(&w, 0);

    ck_assert_int_eq(multiboot_probe(img, 0x1200, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V2);
    ck_assert(hdr.is_elf);
    ck_assert(hdr.page_align_modules);
    ck_assert_uint_eq(hdr.info_required_mask, (1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_MMAP));
    ck_assert_uint_eq(hdr.info_optional_mask,
                      (1u << MB2_TAG_ELF_SECTIONS) | (1u << MB2_TAG_FRAMEBUFFER));
    ck_assert(hdr.has_console_flags);
    ck_assert_uint_eq(hdr.console_flags, 3);

    ck_assert_int_eq(multiboot_plan(img, 0x1200, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.segment_count, 1);
    ck_assert_uint_eq(plan.segments[0].file_offset, 0x1000);
    ck_assert_uint_eq(plan.segments[0].file_size, 0x200);
    ck_assert_uint_eq(plan.segments[0].dest, 0x200000);
    ck_assert_uint_eq(plan.segments[0].mem_size, 0x400);
    ck_assert_uint_eq(plan.entry, 0x200100);
}
END_TEST

START_TEST(test_elf_entry_physical_and_tag_override)
{
    const struct test_phdr ph[] = { { ELF_PT_LOAD, 0x1000, 0xC0200000, 0x200000, 0x100, 0x100 } };
    const u32 entry[] = { 0x200020 };
    struct v2_writer w;

    /* e_entry given as a physical address still works. */
    memset(img, 0, sizeof(img));
    elf32(img, 0x200010, ph, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.entry, 0x200010);

    /* A v2 entry tag overrides e_entry. */
    memset(img, 0, sizeof(img));
    elf32(img, 0xC0200010, ph, 1);
    v2_begin(&w, img + 0x1000);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, entry, 1);
    v2_end(&w, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_OK);
    ck_assert_uint_eq(plan.entry, 0x200020);
}
END_TEST

START_TEST(test_entry_outside_segments)
{
    const struct test_phdr ph[] = { { ELF_PT_LOAD, 0x1000, 0xC0200000, 0x200000, 0x100, 0x100 } };

    memset(img, 0, sizeof(img));
    elf32(img, 0xC0300000, ph, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ENTRY_OUTSIDE);
    ck_assert_uint_eq(plan.error_addr, 0xC0300000);
}
END_TEST

START_TEST(test_bad_checksum)
{
    make_elf32_v1();
    put32(img + 0x1008, get32(img + 0x1008) + 1);
    ck_assert_int_eq(multiboot_probe(img, ELF32_LEN, &hdr), MULTIBOOT_ERR_BAD_CHECKSUM);
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

START_TEST(test_segment_outside_ram)
{
    const struct test_phdr ph[] = { { ELF_PT_LOAD, 0x1000, 0x1fff00, 0x1fff00, 0x100, 0x200 } };
    const struct test_phdr low[] = { { ELF_PT_LOAD, 0x1000, 0x9f000, 0x9f000, 0x100, 0x1000 } };
    const struct test_phdr big[] = { { ELF_PT_LOAD, 0x1000, 0x3fff000, 0x3fff000, 0x100, 0x2000 } };

    /* Spans two adjacent available regions: fine. */
    memset(img, 0, sizeof(img));
    elf32(img, 0x1fff00, ph, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_OK);

    /* Without the second region it runs off the end of RAM at 0x200000. */
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 3, &plan), MULTIBOOT_ERR_NOT_IN_RAM);
    ck_assert_uint_eq(plan.error_addr, 0x200000);

    /* Into the reserved EBDA. */
    memset(img, 0, sizeof(img));
    elf32(img, 0x9f000, low, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_NOT_IN_RAM);
    ck_assert_uint_eq(plan.error_addr, 0x9fc00);

    /* Into the reserved (VMM) region at 64 MiB. */
    memset(img, 0, sizeof(img));
    elf32(img, 0x3fff000, big, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_NOT_IN_RAM);
    ck_assert_uint_eq(plan.error_addr, 0x4000000);
}
END_TEST

START_TEST(test_segment_above_4g)
{
    const struct test_phdr ph[] = { { ELF_PT_LOAD, 0x1000, 0x100000000ULL, 0x100000000ULL, 0x100,
                                      0x100 } };
    const struct phys_range big_ram[] = { { 0, 0x200000000ULL, MB_MMAP_AVAILABLE } };

    memset(img, 0, sizeof(img));
    elf64(img, 0x100000000ULL, ph, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, big_ram, 1, &plan), MULTIBOOT_ERR_ABOVE_4G);
    ck_assert_uint_eq(plan.error_addr, 0x100000000ULL);
}
END_TEST

START_TEST(test_truncated_program_headers)
{
    make_elf32_v1();
    ck_assert_int_eq(multiboot_probe(img, ELF32_LEN, &hdr), MULTIBOOT_OK);
    /* A len that excludes the header found by the probe is a caller bug. */
    ck_assert_int_eq(multiboot_plan(img, 140, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ARG);
    /* Table of 3 x 32 bytes starting 40 bytes before the end of the file. */
    put32(img + 28, ELF32_LEN - 40);
    ck_assert_int_eq(multiboot_plan(img, ELF32_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_PHDRS);
    put32(img + 28, 0xFFFFFFF0u);
    ck_assert_int_eq(multiboot_plan(img, ELF32_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_PHDRS);
    /* e_phentsize smaller than a program header */
    make_elf32_v1();
    put16(img + 42, 16);
    ck_assert_int_eq(multiboot_plan(img, ELF32_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_PHDRS);
}
END_TEST

START_TEST(test_segment_file_range)
{
    struct test_phdr ph[] = { { ELF_PT_LOAD, 0x5000, 0x200000, 0x200000, 0x100, 0x100 } };

    /* p_offset past the end of the image */
    memset(img, 0, sizeof(img));
    elf32(img, 0x200000, ph, 1);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_SEGMENT_FILE);
    ck_assert_uint_eq(plan.error_addr, 0x5000);

    /* p_offset inside, p_offset + p_filesz past the end (and wrapping) */
    ph[0].offset = 0x1000;
    ph[0].filesz = 0xFFFFF800u;
    ph[0].memsz = 0xFFFFF800u;
    elf32(img, 0x200000, ph, 1);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_SEGMENT_FILE);

    /* p_filesz > p_memsz */
    ph[0].filesz = 0x80;
    ph[0].memsz = 0x40;
    elf32(img, 0x200000, ph, 1);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_SEGMENT_SIZE);
}
END_TEST

START_TEST(test_overlapping_segments)
{
    const struct test_phdr ph[] = {
        { ELF_PT_LOAD, 0x1000, 0x200000, 0x200000, 0x100, 0x2000 },
        { ELF_PT_LOAD, 0x1000, 0x201000, 0x201000, 0x100, 0x100 },
    };

    memset(img, 0, sizeof(img));
    elf32(img, 0x200000, ph, 2);
    v1_header(img + 0x1000, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1100, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1100, &hdr, ram, 5, &plan), MULTIBOOT_ERR_OVERLAP);
    ck_assert_uint_eq(plan.error_addr, 0x201000);
}
END_TEST

START_TEST(test_not_elf_without_addresses)
{
    memset(img, 0, sizeof(img));
    v1_header(img + 0x40, 0);
    ck_assert_int_eq(multiboot_probe(img, 0x1000, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, 0x1000, &hdr, ram, 5, &plan), MULTIBOOT_ERR_NOT_ELF);

    /* ELF magic but a 64-bit big-endian file */
    make_elf32_v1();
    img[ELF_EI_DATA] = 2;
    ck_assert_int_eq(multiboot_probe(img, ELF32_LEN, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, ELF32_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_HEADER);
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

/* Flip random bits of valid images placed right before an inaccessible
 * page: probe and plan must return (any result) without reading past len. */
static void mutate_and_run(const u8 *orig, size_t len, u32 seed)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t area_len = ((len + (size_t)page - 1) / (size_t)page + 1) * (size_t)page;
    u8 *area = mmap(NULL, area_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    u8 *copy;
    int i, planned = 0;

    ck_assert_ptr_ne(area, MAP_FAILED);
    ck_assert_int_eq(mprotect(area + area_len - (size_t)page, (size_t)page, PROT_NONE), 0);
    copy = area + area_len - (size_t)page - len;
    for (i = 0; i < 5000; i++) {
        int k, r;
        size_t at;

        memcpy(copy, orig, len);
        for (k = 0; k < 2; k++) {
            /* Aim most flips at the headers, where the pointers are. */
            seed = seed * 1103515245u + 12345u;
            at = (seed >> 8) % ((seed & 1) ? 256 : len);
            if (seed & 2)
                at = 0x1000 + (at & 0x3f);
            if (at < len)
                copy[at] ^= (u8)(1u << ((seed >> 4) & 7));
        }
        if (multiboot_probe(copy, len, &hdr) != MULTIBOOT_OK)
            continue;
        r = multiboot_plan(copy, len, &hdr, ram, 5, &plan);
        ck_assert_int_le(r, 0);
        if (r == MULTIBOOT_OK) {
            u32 j;

            planned++;
            for (j = 0; j < plan.segment_count; j++)
                ck_assert_uint_le(plan.segments[j].file_offset + plan.segments[j].file_size, len);
        }
    }
    ck_assert_int_gt(planned, 0);
    munmap(area, area_len);
}

START_TEST(test_mutated_images_stay_in_bounds)
{
    static u8 orig[ELF32_LEN];
    const struct test_phdr ph[] = {
        { ELF_PT_LOAD, 0x1000, 0xFFFFFFFF80200000ULL, 0x200000, 0x200, 0x400 },
    };
    const u32 req[] = { MB2_TAG_CMDLINE };
    const u32 addr[] = { 0x201000, 0x200000, 0x201100, 0x203000 };
    const u32 entry[] = { 0x201010 };
    struct v2_writer w;

    make_elf32_v1();
    memcpy(orig, img, ELF32_LEN);
    mutate_and_run(orig, ELF32_LEN, 1);

    memset(img, 0, sizeof(img));
    elf64(img, 0xFFFFFFFF80200100ULL, ph, 1);
    v2_begin(&w, img + 0x1000);
    v2_tag(&w, MULTIBOOT2_HTAG_INFO_REQUEST, 0, req, 1);
    v2_end(&w, 0);
    memcpy(orig, img, 0x1200);
    mutate_and_run(orig, 0x1200, 2);

    memset(img, 0, sizeof(img));
    v2_begin(&w, img + 0x1000);
    v2_tag(&w, MULTIBOOT2_HTAG_ADDRESS, 0, addr, 4);
    v2_tag(&w, MULTIBOOT2_HTAG_ENTRY, 0, entry, 1);
    v2_end(&w, 0);
    memcpy(orig, img, 0x1100);
    mutate_and_run(orig, 0x1100, 3);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Boot information                                                    */

static const struct phys_range guest_map[] = {
    { 0x0, 0x9fc00, MB_MMAP_AVAILABLE },        { 0x9fc00, 0x400, MB_MMAP_RESERVED },
    { 0xf0000, 0x10000, MB_MMAP_RESERVED },     { 0x100000, 0x7f00000, MB_MMAP_AVAILABLE },
    { 0x8000000, 0x1000000, MB_MMAP_RESERVED }, /* the VMM */
};

static const struct multiboot_module guest_mods[] = {
    { 0x300000, 0x350000, "initrd.img", NULL },
    { 0x350000, 0x351000, NULL, NULL },
};

static u8 rsdp_old[20], rsdp_new[36];

static struct multiboot_info_input make_input(void)
{
    struct multiboot_info_input in = { 0 };
    size_t i;

    for (i = 0; i < sizeof(rsdp_old); i++)
        rsdp_old[i] = (u8)(i + 1);
    for (i = 0; i < sizeof(rsdp_new); i++)
        rsdp_new[i] = (u8)(0x80 + i);
    in.cmdline = "console=ttyS0 root=/dev/sda1";
    in.loader_name = "bookvisor";
    in.mmap = guest_map;
    in.mmap_count = 5;
    in.modules = guest_mods;
    in.module_count = 2;
    in.rsdp_old = rsdp_old;
    in.rsdp_old_len = sizeof(rsdp_old);
    in.rsdp_new = rsdp_new;
    in.rsdp_new_len = sizeof(rsdp_new);
    return in;
}

static _Alignas(8) u8 info_buf[4096];
#define INFO_BASE 0x200000u

/* Pointer inside info_buf for a guest-physical address the builder wrote. */
static const u8 *gpa_ptr(u32 gpa, size_t used)
{
    ck_assert_uint_ge(gpa, INFO_BASE);
    ck_assert_uint_lt(gpa, INFO_BASE + used);
    return info_buf + (gpa - INFO_BASE);
}

START_TEST(test_v1_info)
{
    struct multiboot_info_input in = make_input();
    size_t used = 0, off;
    const u8 *mods, *mmap;
    u32 flags, mmap_len, n = 0;

    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_gt(used, 116);
    ck_assert_uint_eq(used % 8, 0);
    flags = get32(info_buf);
    ck_assert_uint_eq(flags,
                      MULTIBOOT1_INFO_MEMORY | MULTIBOOT1_INFO_CMDLINE | MULTIBOOT1_INFO_MODS |
                          MULTIBOOT1_INFO_MMAP | MULTIBOOT1_INFO_LOADER_NAME);
    ck_assert_uint_eq(get32(info_buf + 4), 639); /* 0x9fc00 / 1024 */
    ck_assert_uint_eq(get32(info_buf + 8), 0x7f00000 / 1024); /* up to the VMM */
    ck_assert_str_eq((const char *)gpa_ptr(get32(info_buf + 16), used),
                     "console=ttyS0 root=/dev/sda1");
    ck_assert_str_eq((const char *)gpa_ptr(get32(info_buf + 64), used), "bookvisor");

    ck_assert_uint_eq(get32(info_buf + 20), 2);
    mods = gpa_ptr(get32(info_buf + 24), used);
    ck_assert_uint_eq(get32(mods), 0x300000);
    ck_assert_uint_eq(get32(mods + 4), 0x350000);
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 8), used), "initrd.img");
    ck_assert_uint_eq(get32(mods + 12), 0);
    ck_assert_uint_eq(get32(mods + 16), 0x350000);
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 24), used), "");

    /* Walk the mmap the way a kernel does: size field, then size bytes. */
    mmap_len = get32(info_buf + 44);
    ck_assert_uint_eq(mmap_len, 5 * 24);
    mmap = gpa_ptr(get32(info_buf + 48), used);
    for (off = 0; off < mmap_len; off += get32(mmap + off) + 4, n++) {
        ck_assert_uint_eq(get32(mmap + off), 20);
        ck_assert_uint_eq(get64(mmap + off + 4), guest_map[n].base);
        ck_assert_uint_eq(get64(mmap + off + 12), guest_map[n].length);
        ck_assert_uint_eq(get32(mmap + off + 20), guest_map[n].type);
    }
    ck_assert_uint_eq(n, 5);
    /* boot device, syms, drives, config, apm, vbe: absent and zero */
    ck_assert_uint_eq(get32(info_buf + 12), 0);
    ck_assert_uint_eq(get32(info_buf + 72), 0);
}
END_TEST

START_TEST(test_v1_info_no_modules_and_framebuffer)
{
    struct multiboot_info_input in = make_input();
    struct multiboot_framebuffer fb = {
        .addr = 0xb8000, .pitch = 160, .width = 80, .height = 25, .bpp = 16, .type = MB_FB_EGA_TEXT
    };
    size_t used;

    in.modules = NULL;
    in.module_count = 0;
    in.cmdline = NULL;
    in.framebuffer = &fb;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_eq(get32(info_buf) & MULTIBOOT1_INFO_CMDLINE, 0);
    ck_assert_uint_ne(get32(info_buf) & MULTIBOOT1_INFO_MODS, 0);
    ck_assert_uint_eq(get32(info_buf + 20), 0);
    ck_assert_uint_ne(get32(info_buf) & MULTIBOOT1_INFO_FRAMEBUFFER, 0);
    ck_assert_uint_eq(get64(info_buf + 88), 0xb8000);
    ck_assert_uint_eq(get32(info_buf + 96), 160);
    ck_assert_uint_eq(get32(info_buf + 100), 80);
    ck_assert_uint_eq(get32(info_buf + 104), 25);
    ck_assert_uint_eq(info_buf[108], 16);
    ck_assert_uint_eq(info_buf[109], MB_FB_EGA_TEXT);
}
END_TEST

START_TEST(test_v2_info_round_trip)
{
    struct multiboot_info_input in = make_input();
    struct multiboot_framebuffer fb = { .addr = 0xfd000000,
                                        .pitch = 4096,
                                        .width = 1024,
                                        .height = 768,
                                        .bpp = 32,
                                        .type = MB_FB_RGB,
                                        .rgb = { 16, 8, 8, 8, 0, 8 } };
    static struct boot_info parsed;
    size_t used = 0;
    u32 i;

    in.framebuffer = &fb;
    in.has_load_base = true;
    in.load_base_addr = 0x100000;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_eq(get32(info_buf), used);
    ck_assert_uint_eq(get32(info_buf + 4), 0);
    ck_assert_uint_eq(used % 8, 0);
    ck_assert_int_eq(boot_info_parse(info_buf, used, &parsed), BOOT_INFO_OK);

    ck_assert_str_eq(parsed.cmdline, "console=ttyS0 root=/dev/sda1");
    ck_assert_str_eq(parsed.loader_name, "bookvisor");
    ck_assert_uint_eq(parsed.module_count, 2);
    ck_assert_uint_eq(parsed.modules[0].start, 0x300000);
    ck_assert_uint_eq(parsed.modules[0].end, 0x350000);
    ck_assert_str_eq(parsed.modules[0].cmdline, "initrd.img");
    ck_assert_str_eq(parsed.modules[1].cmdline, "");
    ck_assert(parsed.has_meminfo);
    ck_assert_uint_eq(parsed.mem_lower, 639);
    ck_assert_uint_eq(parsed.mem_upper, 0x7f00000 / 1024);
    ck_assert_uint_eq(parsed.mmap_count, 5);
    for (i = 0; i < 5; i++) {
        ck_assert_uint_eq(parsed.mmap[i].base, guest_map[i].base);
        ck_assert_uint_eq(parsed.mmap[i].length, guest_map[i].length);
        ck_assert_uint_eq(parsed.mmap[i].type, guest_map[i].type);
    }
    ck_assert_uint_eq(parsed.rsdp_old_len, 20);
    ck_assert_int_eq(memcmp(parsed.rsdp_old, rsdp_old, 20), 0);
    ck_assert_uint_eq(parsed.rsdp_new_len, 36);
    ck_assert_int_eq(memcmp(parsed.rsdp_new, rsdp_new, 36), 0);
    ck_assert(parsed.has_framebuffer);
    ck_assert_uint_eq(parsed.framebuffer.addr, 0xfd000000);
    ck_assert_uint_eq(parsed.framebuffer.width, 1024);
    ck_assert_uint_eq(parsed.framebuffer.type, MB_FB_RGB);
    ck_assert_int_eq(memcmp(parsed.framebuffer.rgb, fb.rgb, 6), 0);
    ck_assert(parsed.has_load_base);
    ck_assert_uint_eq(parsed.load_base_addr, 0x100000);
}
END_TEST

START_TEST(test_v2_mmap_tag_layout)
{
    struct multiboot_info_input in = make_input();
    size_t used, off = 8;
    bool seen = false;

    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    while (off < used) {
        u32 type = get32(info_buf + off), size = get32(info_buf + off + 4);

        ck_assert_uint_eq(off % 8, 0);
        if (type == MB2_TAG_MMAP) {
            ck_assert_uint_eq(size, 16 + 5 * 24);
            ck_assert_uint_eq(get32(info_buf + off + 8), 24); /* entry_size */
            ck_assert_uint_eq(get32(info_buf + off + 12), 0); /* entry_version */
            ck_assert_uint_eq(get32(info_buf + off + 16 + 24 + 20), 0); /* reserved */
            seen = true;
        }
        if (type == MB2_TAG_END) {
            ck_assert_uint_eq(size, 8);
            ck_assert_uint_eq(off + 8, used);
        }
        off += (size + 7) & ~7u;
    }
    ck_assert(seen);
}
END_TEST

START_TEST(test_info_buffer_too_small)
{
    struct multiboot_info_input in = make_input();
    size_t need = 0, used = 0;

    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, NULL, 0, &need),
                     MULTIBOOT_ERR_BUF_TOO_SMALL);
    ck_assert_uint_gt(need, 0);
    memset(info_buf, 0xAA, sizeof(info_buf));
    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, need - 8, &used),
                     MULTIBOOT_ERR_BUF_TOO_SMALL);
    ck_assert_uint_eq(used, need);
    ck_assert_uint_eq(info_buf[need - 8], 0xAA); /* nothing written past buf_size */
    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, need, &used),
                     MULTIBOOT_OK);
    ck_assert_uint_eq(used, need);

    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, NULL, 0, &need),
                     MULTIBOOT_ERR_BUF_TOO_SMALL);
    ck_assert_int_eq(multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, need, &used),
                     MULTIBOOT_OK);
}
END_TEST

START_TEST(test_info_address_checks)
{
    struct multiboot_info_input in = make_input();
    struct multiboot_module high = { 0x100000000ULL, 0x100001000ULL, "x", NULL };
    size_t used;

    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE + 4, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ARG);
    /* A few hundred bytes fit below 4 GiB at 0xFFFFF000, not at 0xFFFFFF00. */
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, 0xFFFFF000u, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, 0xFFFFFF00u, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ABOVE_4G);
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, 0x100000000ULL, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ABOVE_4G);
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_NONE, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ARG);
    in.modules = &high;
    in.module_count = 1;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_ERR_ABOVE_4G);
}
END_TEST

/* Command lines as GRUB Legacy writes them: "name args", "name" alone
 * without arguments, the arguments alone without a name; in both versions,
 * for the kernel and for each module. */
START_TEST(test_image_names_lead_command_lines)
{
    static const struct multiboot_module named[] = {
        { 0x300000, 0x350000, "root=/dev/sda1", "guest-module1" },
        { 0x350000, 0x351000, NULL, "guest-module2" },
        { 0x351000, 0x352000, "plain", NULL },
    };
    struct multiboot_info_input in = make_input();
    static struct boot_info parsed;
    size_t used;
    const u8 *mods;

    in.image_name = "guest-kernel";
    in.modules = named;
    in.module_count = 3;
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V2, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_int_eq(boot_info_parse(info_buf, used, &parsed), BOOT_INFO_OK);
    ck_assert_str_eq(parsed.cmdline, "guest-kernel console=ttyS0 root=/dev/sda1");
    ck_assert_str_eq(parsed.modules[0].cmdline, "guest-module1 root=/dev/sda1");
    ck_assert_str_eq(parsed.modules[1].cmdline, "guest-module2");
    ck_assert_str_eq(parsed.modules[2].cmdline, "plain");
    ck_assert_str_eq(parsed.loader_name, "bookvisor");

    in.cmdline = NULL; /* a name and no arguments is still a command line */
    ck_assert_int_eq(
        multiboot_build_info(MULTIBOOT_V1, &in, INFO_BASE, info_buf, sizeof(info_buf), &used),
        MULTIBOOT_OK);
    ck_assert_uint_ne(get32(info_buf) & MULTIBOOT1_INFO_CMDLINE, 0);
    ck_assert_str_eq((const char *)gpa_ptr(get32(info_buf + 16), used), "guest-kernel");
    mods = gpa_ptr(get32(info_buf + 24), used);
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 8), used), "guest-module1 root=/dev/sda1");
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 16 + 8), used), "guest-module2");
    ck_assert_str_eq((const char *)gpa_ptr(get32(mods + 32 + 8), used), "plain");
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

START_TEST(test_magic_and_names)
{
    int e;

    ck_assert_uint_eq(multiboot_boot_magic(MULTIBOOT_V1), 0x2BADB002u);
    ck_assert_uint_eq(multiboot_boot_magic(MULTIBOOT_V2), 0x36d76289u);
    ck_assert_uint_eq(multiboot_boot_magic(MULTIBOOT_NONE), 0);
    for (e = MULTIBOOT_OK; e >= MULTIBOOT_ERR_V2_PREFERRED; e--)
        ck_assert_str_ne(multiboot_error_name(e), "unknown");
    ck_assert_str_eq(multiboot_error_name(MULTIBOOT_ERR_NOT_IN_RAM), "MULTIBOOT_ERR_NOT_IN_RAM");
    ck_assert_str_eq(multiboot_error_name(1), "unknown");
}
END_TEST

static Suite *multiboot_suite(void)
{
    Suite *s = suite_create("multiboot");
    TCase *probe = tcase_create("probe_and_plan");
    TCase *info = tcase_create("boot_info");

    tcase_add_test(probe, test_elf32_v1);
    tcase_add_test(probe, test_v2_aout_address_and_entry);
    tcase_add_test(probe, test_v2_aout_load_from_file_start);
    tcase_add_test(probe, test_v1_aout_kludge);
    tcase_add_test(probe, test_v1_aout_kludge_wins_over_elf);
    tcase_add_test(probe, test_aout_inconsistent_addresses);
    tcase_add_test(probe, test_elf64_v2);
    tcase_add_test(probe, test_elf_entry_physical_and_tag_override);
    tcase_add_test(probe, test_entry_outside_segments);
    tcase_add_test(probe, test_bad_checksum);
    tcase_add_test(probe, test_header_beyond_window);
    tcase_add_test(probe, test_v1_flags);
    tcase_add_test(probe, test_v2_refusals);
    tcase_add_test(probe, test_v1_fallback_when_v2_refused);
    tcase_add_test(probe, test_segment_outside_ram);
    tcase_add_test(probe, test_segment_above_4g);
    tcase_add_test(probe, test_truncated_program_headers);
    tcase_add_test(probe, test_segment_file_range);
    tcase_add_test(probe, test_overlapping_segments);
    tcase_add_test(probe, test_not_elf_without_addresses);
    tcase_add_test(probe, test_no_header);
    tcase_add_test(probe, test_probe_one_version);
    tcase_add_test(probe, test_mutated_images_stay_in_bounds);
    suite_add_tcase(s, probe);

    tcase_add_test(info, test_v1_info);
    tcase_add_test(info, test_v1_info_no_modules_and_framebuffer);
    tcase_add_test(info, test_v2_info_round_trip);
    tcase_add_test(info, test_v2_mmap_tag_layout);
    tcase_add_test(info, test_info_buffer_too_small);
    tcase_add_test(info, test_info_address_checks);
    tcase_add_test(info, test_image_names_lead_command_lines);
    tcase_add_test(info, test_magic_and_names);
    suite_add_tcase(s, info);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(multiboot_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
