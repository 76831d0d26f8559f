/*
 * Unit tests for pci/pci_cfgspace.c: CF8 and ECAM addresses, sub-dword access,
 * BAR decoding, the MCFG table, and how an access across a function's ECAM
 * page is cut so that each function answers for its own bytes.
 *
 * unit-sources: pci/pci_cfgspace.c common/lib/access_split.c
 */
#include <check.h>
#include <string.h>

#include "common/lib/access_split.h"
#include "pci/pci_cfgspace.h"
#include "tests/unit/unit_main.h"

START_TEST(test_cf8_decode)
{
    struct pci_cfgspace_addr a;

    /* 00:1f.3, register 0x40, byte lane 2 */
    ck_assert(pci_cf8_decode(0x8000fb40u, 0xCFE, &a));
    ck_assert_uint_eq(a.bus, 0);
    ck_assert_uint_eq(a.device, 0x1f);
    ck_assert_uint_eq(a.function, 3);
    ck_assert_uint_eq(a.offset, 0x42);
    /* bus 0x12; the low two bits of the address register do not count */
    ck_assert(pci_cf8_decode(0x80120803u, 0xCFC, &a));
    ck_assert_uint_eq(a.bus, 0x12);
    ck_assert_uint_eq(a.device, 1);
    ck_assert_uint_eq(a.function, 0);
    ck_assert_uint_eq(a.offset, 0);
    /* AMD extended register bits 27:24 become offset bits 11:8 */
    ck_assert(pci_cf8_decode(0x8a000010u, 0xCFD, &a));
    ck_assert_uint_eq(a.offset, 0xa11);
    /* enable bit clear: not a configuration access */
    ck_assert(!pci_cf8_decode(0x0000fb40u, 0xCFC, &a));
}
END_TEST

START_TEST(test_cf8_round_trip)
{
    for (u32 bus = 0; bus < 256; bus += 51)
        for (u32 dev = 0; dev < 32; dev += 7)
            for (u32 fn = 0; fn < 8; fn += 3)
                for (u32 off = 0; off < 256; off += 0x2d) {
                    struct pci_cfgspace_addr a = { (u8)bus, (u8)dev, (u8)fn, (u16)off }, b;
                    u32 cf8 = pci_cf8_encode(&a);

                    ck_assert(pci_cf8_decode(cf8, (u16)(0xCFC + (off & 3)), &b));
                    ck_assert_uint_eq(b.bus, bus);
                    ck_assert_uint_eq(b.device, dev);
                    ck_assert_uint_eq(b.function, fn);
                    ck_assert_uint_eq(b.offset, off);
                }
}
END_TEST

START_TEST(test_ecam)
{
    struct pci_cfgspace_addr a = { 0x03, 0x1c, 5, 0x104 }, b;

    ck_assert_uint_eq(pci_ecam_offset(0, &a), (3u << 20) | (0x1cu << 15) | (5u << 12) | 0x104);
    /* a window starting at bus 2 */
    ck_assert_uint_eq(pci_ecam_offset(2, &a), (1u << 20) | (0x1cu << 15) | (5u << 12) | 0x104);
    ck_assert(pci_ecam_decode(2, 0x3f, pci_ecam_offset(2, &a), &b));
    ck_assert_uint_eq(b.bus, 3);
    ck_assert_uint_eq(b.device, 0x1c);
    ck_assert_uint_eq(b.function, 5);
    ck_assert_uint_eq(b.offset, 0x104);
    /* past the last bus */
    ck_assert(!pci_ecam_decode(0, 0x3f, 0x40ull << 20, &b));
    ck_assert(pci_ecam_decode(0, 0xff, 0xffull << 20, &b));
    ck_assert_uint_eq(b.bus, 0xff);
}
END_TEST

START_TEST(test_extract_merge)
{
    ck_assert_uint_eq(pci_cfgspace_extract(0x11223344u, 0, 4), 0x11223344u);
    ck_assert_uint_eq(pci_cfgspace_extract(0x11223344u, 2, 2), 0x1122u);
    ck_assert_uint_eq(pci_cfgspace_extract(0x11223344u, 0x3d, 1), 0x33u);
    /* a word at lane 3 is cut at the dword's end */
    ck_assert_uint_eq(pci_cfgspace_extract(0x11223344u, 3, 2), 0x11u);
    ck_assert_uint_eq(pci_cfgspace_merge(0x11223344u, 1, 1, 0xab), 0x1122ab44u);
    ck_assert_uint_eq(pci_cfgspace_merge(0x11223344u, 2, 2, 0xbeef), 0xbeef3344u);
    ck_assert_uint_eq(pci_cfgspace_merge(0x11223344u, 0, 4, 0xcafef00d), 0xcafef00du);
    ck_assert_uint_eq(pci_cfgspace_merge(0x11223344u, 1, 1, 0xffab), 0x1122ab44u);
    ck_assert_uint_eq(pci_cfgspace_all_ones(1), 0xffu);
    ck_assert_uint_eq(pci_cfgspace_all_ones(2), 0xffffu);
    ck_assert_uint_eq(pci_cfgspace_all_ones(4), 0xffffffffu);
}
END_TEST

START_TEST(test_bar_io)
{
    struct pci_bar b;

    ck_assert_uint_eq(pci_bar_decode(0xc001, 0xffffffe1u, 0, 0, &b), 1);
    ck_assert_int_eq(b.kind, PCI_BAR_IO);
    ck_assert_uint_eq(b.base, 0xc000);
    ck_assert_uint_eq(b.size, 0x20);
    /* a 16-bit decoder reads zeros in the upper half */
    ck_assert_uint_eq(pci_bar_decode(0xc041, 0x0000ffc1u, 0, 0, &b), 1);
    ck_assert_uint_eq(b.size, 0x40);
    ck_assert_uint_eq(b.base, 0xc040);
}
END_TEST

START_TEST(test_bar_mem)
{
    struct pci_bar b;

    ck_assert_uint_eq(pci_bar_decode(0xfebc0000u, 0xfffe0000u, 0, 0, &b), 1);
    ck_assert_int_eq(b.kind, PCI_BAR_MEM32);
    ck_assert(!b.prefetchable);
    ck_assert_uint_eq(b.base, 0xfebc0000u);
    ck_assert_uint_eq(b.size, 0x20000);
    /* 64-bit prefetchable, 4 GiB above 4 GiB: takes two registers */
    ck_assert(pci_bar_is_64(0x0000000cu));
    ck_assert_uint_eq(pci_bar_decode(0x0000000cu, 0x0000000cu, 0x1, 0xfffffffeu, &b), 2);
    ck_assert_int_eq(b.kind, PCI_BAR_MEM64);
    ck_assert(b.prefetchable);
    ck_assert_uint_eq(b.base, 0x100000000ull);
    ck_assert_uint_eq(b.size, 0x200000000ull);
    /* 64-bit, small */
    ck_assert_uint_eq(pci_bar_decode(0xfe000004u, 0xffffc004u, 0, 0xffffffffu, &b), 2);
    ck_assert_uint_eq(b.size, 0x4000);
    ck_assert_uint_eq(b.base, 0xfe000000u);
}
END_TEST

START_TEST(test_bar_unimplemented)
{
    struct pci_bar b;

    ck_assert_uint_eq(pci_bar_decode(0, 0, 0, 0, &b), 1);
    ck_assert_int_eq(b.kind, PCI_BAR_NONE);
    ck_assert_uint_eq(b.size, 0);
    ck_assert_uint_eq(pci_bar_decode(1, 1, 0, 0, &b), 1);
    ck_assert_int_eq(b.kind, PCI_BAR_NONE);
    ck_assert(!pci_bar_is_64(0x1));
    ck_assert(!pci_bar_is_64(0x0));
    ck_assert(!pci_bar_is_64(0x5)); /* I/O with bit 2 set */
}
END_TEST

static void put(u8 *p, u64 v, u32 n)
{
    for (u32 i = 0; i < n; i++)
        p[i] = (u8)(v >> (8 * i));
}

static u32 make_mcfg(u8 *t, u32 entries)
{
    u32 len = 44 + 16 * entries;

    memset(t, 0, len);
    memcpy(t, "MCFG", 4);
    put(t + 4, len, 4);
    return len;
}

/* A mediated device's BARs stay put; sizing them must still read the size mask. */
START_TEST(test_bar_probe_value)
{
    struct pci_bar bars[6];

    memset(bars, 0, sizeof(bars));
    bars[0] = (struct pci_bar){ PCI_BAR_MEM32, false, 0xfebc0000u, 0x20000 };
    bars[1] = (struct pci_bar){ PCI_BAR_IO, false, 0xc000, 64 };
    bars[2] = (struct pci_bar){ PCI_BAR_MEM64, true, 0x800000000ULL, 0x200000000ULL };
    /* the mask with the hardware's flag bits (memory: 4, I/O: 2) */
    ck_assert_uint_eq(pci_bar_probe_value(bars, 6, 0, 0xfebc0000u), 0xfffe0000u);
    ck_assert_uint_eq(pci_bar_probe_value(bars, 6, 1, 0xc001u), 0xffffffc1u);
    ck_assert_uint_eq(pci_bar_probe_value(bars, 6, 2, 0x0000000cu), 0x0000000cu);
    /* the upper half of the 64-bit BAR: the mask's high dword */
    ck_assert_uint_eq(pci_bar_probe_value(bars, 6, 3, 0x8), 0xfffffffeu);
    /* unimplemented, or beyond the header's BARs */
    ck_assert_uint_eq(pci_bar_probe_value(bars, 6, 4, 0x1234), 0);
    ck_assert_uint_eq(pci_bar_probe_value(bars, 2, 2, 0xc), 0);
}
END_TEST

START_TEST(test_mcfg)
{
    u8 t[128];
    struct pci_ecam_window w;
    u32 len = make_mcfg(t, 2);

    /* entry 0: segment 1 (ignored); entry 1: segment 0 */
    put(t + 44, 0xc0000000u, 8);
    put(t + 52, 1, 2);
    t[55] = 0x3f;
    put(t + 60, 0xb0000000u, 8);
    t[70] = 0x00;
    t[71] = 0xff;
    ck_assert(pci_mcfg_parse(t, len, &w));
    ck_assert_uint_eq(w.base, 0xb0000000u);
    ck_assert_uint_eq(w.segment, 0);
    ck_assert_uint_eq(w.start_bus, 0);
    ck_assert_uint_eq(w.end_bus, 0xff);
    /* the declared length cuts the second entry off */
    put(t + 4, 60, 4);
    ck_assert(!pci_mcfg_parse(t, len, &w));
    /* wrong signature, too short, end below start */
    put(t + 4, len, 4);
    t[0] = 'X';
    ck_assert(!pci_mcfg_parse(t, len, &w));
    t[0] = 'M';
    ck_assert(!pci_mcfg_parse(t, 40, &w));
    t[70] = 0x10;
    t[71] = 0x0f;
    ck_assert(!pci_mcfg_parse(t, len, &w));
}
END_TEST

/*
 * Every width (1 to 8) at every offset of the last 8 bytes of 00:03.0's page:
 * each piece of the cut access decodes to one function, 00:03.0 for the bytes
 * below 0x1000 and 00:03.1 from offset 0 on, and the offsets follow on.
 */
START_TEST(test_ecam_edge_pieces_stay_in_their_function)
{
    const struct pci_cfgspace_addr f = { 0, 3, 0, 0 };
    u64 page = pci_ecam_offset(0, &f);

    for (unsigned width = 1; width <= 8; width++) {
        for (u64 off = 0xFF8; off <= 0xFFF; off++) {
            struct access_piece p[ACCESS_SPLIT_MAX];
            unsigned n = access_split(page + off, width, p);
            for (unsigned i = 0; i < n; i++) {
                struct pci_cfgspace_addr a;
                u64 at = off + p[i].offset;
                ck_assert(pci_ecam_decode(0, 0xff, p[i].addr, &a));
                ck_assert_uint_eq(a.device, 3);
                ck_assert_uint_eq(a.function, at < 0x1000 ? 0 : 1);
                ck_assert_uint_eq(a.offset, at & 0xFFF);
                ck_assert_uint_le((a.offset & 0xFFF) + p[i].size, 0x1000);
            }
        }
    }
}
END_TEST

static Suite *pci_cfgspace_suite(void)
{
    Suite *s = suite_create("pci_cfgspace");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_cf8_decode);
    tcase_add_test(tc, test_cf8_round_trip);
    tcase_add_test(tc, test_ecam);
    tcase_add_test(tc, test_ecam_edge_pieces_stay_in_their_function);
    tcase_add_test(tc, test_extract_merge);
    tcase_add_test(tc, test_bar_io);
    tcase_add_test(tc, test_bar_mem);
    tcase_add_test(tc, test_bar_unimplemented);
    tcase_add_test(tc, test_bar_probe_value);
    tcase_add_test(tc, test_mcfg);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run_suite(pci_cfgspace_suite());
}
