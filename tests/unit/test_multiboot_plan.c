/*
 * Unit tests for common/loader/multiboot_plan.c: the load plan of probed
 * kernels (ELF32, ELF64, v1 and v2 address fields): segments, the physical
 * entry point, and every refusal: outside RAM, above 4 GiB, past the image,
 * overlapping; mutated images never read past their end.
 *
 * unit-sources: common/loader/multiboot_plan.c common/loader/multiboot_probe.c common/base/vmm_layout.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/base/boot_info.h"
#include "common/loader/elf.h"
#include "common/loader/multiboot.h"
#include "tests/unit/multiboot_images.h"
#include "tests/unit/unit_main.h"

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

/* The higher-half ELF32 kernel of multiboot_images.h, in img. */
static void make_elf32_v1(void)
{
    elf32_v1_kernel(img, sizeof(img));
}

START_TEST(test_elf32_v1)
{
    make_elf32_v1();
    ck_assert_int_eq(multiboot_probe(img, ELF32_V1_LEN, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(hdr.version, MULTIBOOT_V1);
    ck_assert_uint_eq(hdr.header_offset, 0x1000);
    ck_assert(hdr.is_elf);
    ck_assert(hdr.page_align_modules);
    ck_assert(hdr.wants_meminfo);
    ck_assert(!hdr.has_address && !hdr.wants_video);

    ck_assert_int_eq(multiboot_plan(img, ELF32_V1_LEN, &hdr, ram, 5, &plan), MULTIBOOT_OK);
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
    ck_assert_int_eq(multiboot_probe(img, ELF32_V1_LEN, &hdr), MULTIBOOT_OK);
    ck_assert(hdr.is_elf);
    ck_assert_int_eq(multiboot_plan(img, ELF32_V1_LEN, &hdr, ram, 5, &plan), MULTIBOOT_OK);
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
    ck_assert_int_eq(multiboot_probe(img, ELF32_V1_LEN, &hdr), MULTIBOOT_OK);
    /* A len that excludes the header found by the probe is a caller bug. */
    ck_assert_int_eq(multiboot_plan(img, 140, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ARG);
    /* Table of 3 x 32 bytes starting 40 bytes before the end of the file. */
    put32(img + 28, ELF32_V1_LEN - 40);
    ck_assert_int_eq(multiboot_plan(img, ELF32_V1_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_PHDRS);
    put32(img + 28, 0xFFFFFFF0u);
    ck_assert_int_eq(multiboot_plan(img, ELF32_V1_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_PHDRS);
    /* e_phentsize smaller than a program header */
    make_elf32_v1();
    put16(img + 42, 16);
    ck_assert_int_eq(multiboot_plan(img, ELF32_V1_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_PHDRS);
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
    ck_assert_int_eq(multiboot_probe(img, ELF32_V1_LEN, &hdr), MULTIBOOT_OK);
    ck_assert_int_eq(multiboot_plan(img, ELF32_V1_LEN, &hdr, ram, 5, &plan), MULTIBOOT_ERR_ELF_HEADER);
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
    static u8 orig[ELF32_V1_LEN];
    const struct test_phdr ph[] = {
        { ELF_PT_LOAD, 0x1000, 0xFFFFFFFF80200000ULL, 0x200000, 0x200, 0x400 },
    };
    const u32 req[] = { MB2_TAG_CMDLINE };
    const u32 addr[] = { 0x201000, 0x200000, 0x201100, 0x203000 };
    const u32 entry[] = { 0x201010 };
    struct v2_writer w;

    make_elf32_v1();
    memcpy(orig, img, ELF32_V1_LEN);
    mutate_and_run(orig, ELF32_V1_LEN, 1);

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

static Suite *multiboot_plan_suite(void)
{
    Suite *s = suite_create("multiboot_plan");
    TCase *tc = tcase_create("plan");

    tcase_add_test(tc, test_elf32_v1);
    tcase_add_test(tc, test_v2_aout_address_and_entry);
    tcase_add_test(tc, test_v2_aout_load_from_file_start);
    tcase_add_test(tc, test_v1_aout_kludge);
    tcase_add_test(tc, test_v1_aout_kludge_wins_over_elf);
    tcase_add_test(tc, test_aout_inconsistent_addresses);
    tcase_add_test(tc, test_elf64_v2);
    tcase_add_test(tc, test_elf_entry_physical_and_tag_override);
    tcase_add_test(tc, test_entry_outside_segments);
    tcase_add_test(tc, test_segment_outside_ram);
    tcase_add_test(tc, test_segment_above_4g);
    tcase_add_test(tc, test_truncated_program_headers);
    tcase_add_test(tc, test_segment_file_range);
    tcase_add_test(tc, test_overlapping_segments);
    tcase_add_test(tc, test_not_elf_without_addresses);
    tcase_add_test(tc, test_mutated_images_stay_in_bounds);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(multiboot_plan_suite());
}
