/*
 * Unit tests for common/insn/guest_walk.c: software walks of synthetic guest page
 * tables built in a host byte array that stands in for guest memory.
 *
 * unit-sources: common/insn/guest_walk.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/insn/guest_walk.h"

#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

#define P (1ULL << 0)
#define RW (1ULL << 1)
#define PS (1ULL << 7)
#define XD (1ULL << 63)

/** Marker that a failed walk must leave *gpa_out alone. */
#define UNTOUCHED 0xDEADBEEFULL

/** Size of the fake guest memory; anything above is "not guest memory". */
#define MEM_SIZE (2 * MIB)

static u8 mem[MEM_SIZE];
static unsigned phys_reads;

/** The read callback: guest memory is exactly mem[0..MEM_SIZE). */
static bool read_phys(void *ctx, u64 gpa, void *buf, size_t len)
{
    (void)ctx;
    phys_reads++;
    if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
        return false;
    memcpy(buf, mem + gpa, len);
    return true;
}

static void reset_mem(void)
{
    memset(mem, 0, sizeof(mem));
    phys_reads = 0;
}

static void set32(u64 table, unsigned index, u32 value)
{
    u64 at = table + 4ULL * index;

    for (unsigned i = 0; i < 4; i++)
        mem[at + i] = (u8)(value >> (8 * i));
}

static void set64(u64 table, unsigned index, u64 value)
{
    u64 at = table + 8ULL * index;

    for (unsigned i = 0; i < 8; i++)
        mem[at + i] = (u8)(value >> (8 * i));
}

/** Walk and return the status; *gpa gets the result or stays UNTOUCHED. */
static enum guest_walk_status walk(const struct guest_paging *p, u64 la, u64 *gpa)
{
    *gpa = UNTOUCHED;
    return guest_walk(p, la, read_phys, NULL, gpa);
}

/* ---- paging off ---------------------------------------------------------- */

START_TEST(test_paging_off_is_identity)
{
    struct guest_paging p = { .cr0 = 0x11, .cr3 = 0x123000, .cr4 = 0, .efer = 0 };
    u64 gpa;
    u8 buf[3];

    reset_mem();
    ck_assert_int_eq(walk(&p, 0x1234, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x1234);
    /* No paging structures are read. */
    ck_assert_uint_eq(phys_reads, 0);
    /* Outside long mode the linear address is 32 bits wide. */
    ck_assert_int_eq(walk(&p, 0x500001234ULL, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x1234);

    mem[0x7000] = 1;
    mem[0x7001] = 2;
    mem[0x7002] = 3;
    ck_assert_int_eq(guest_read_linear(&p, 0x7000, buf, 3, read_phys, NULL), GUEST_WALK_OK);
    ck_assert_int_eq(buf[0], 1);
    ck_assert_int_eq(buf[2], 3);
    /* The data itself outside guest memory. */
    ck_assert_int_eq(guest_read_linear(&p, MEM_SIZE - 1, buf, 2, read_phys, NULL),
                     GUEST_WALK_BAD_PHYS);
}
END_TEST

/* ---- 32-bit two-level paging -------------------------------------------- */

/* la 0x00403123: PDE index 1, PTE index 3, offset 0x123. */
#define LA32 0x00403123ULL

static struct guest_paging setup_32bit(void)
{
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr3 = 0x1000, .cr4 = 0, .efer = 0 };

    reset_mem();
    set32(0x1000, 1, 0x2000 | P | RW);
    set32(0x2000, 3, 0x5000 | P);
    return p;
}

START_TEST(test_32bit_4k)
{
    struct guest_paging p = setup_32bit();
    u64 gpa;

    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x5123);
    /* CR3's low bits (PWT/PCD) are not part of the address. */
    p.cr3 |= 0x18;
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x5123);
}
END_TEST

START_TEST(test_32bit_truncates_linear_address)
{
    struct guest_paging p = setup_32bit();
    u64 gpa;

    ck_assert_int_eq(walk(&p, 0xFFFFFFFF00000000ULL | LA32, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x5123);
}
END_TEST

START_TEST(test_32bit_4m_pse36)
{
    struct guest_paging p = setup_32bit();
    u64 gpa;

    p.cr4 = CR4_PSE;
    /* PDE 2: a 4 MiB page at 0x00800000 with PSE-36 bits 20:13 = 0x05. */
    set32(0x1000, 2, 0x00800000 | (0x05 << 13) | PS | P);
    ck_assert_int_eq(walk(&p, 0x00812345, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x500812345ULL);

    /* All eight PSE-36 bits. */
    set32(0x1000, 2, 0xFFC00000 | (0xFFu << 13) | PS | P);
    ck_assert_int_eq(walk(&p, 0x00812345, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0xFFFFC12345ULL);

    /* The 4 KiB path still works next to it. */
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x5123);

    /* Bit 21 of a 4 MiB PDE is reserved. */
    set32(0x1000, 2, 0x00800000 | (1u << 21) | PS | P);
    ck_assert_int_eq(walk(&p, 0x00812345, &gpa), GUEST_WALK_RESERVED_BIT);
    ck_assert_uint_eq(gpa, UNTOUCHED);
}
END_TEST

START_TEST(test_32bit_ps_ignored_without_pse)
{
    struct guest_paging p = setup_32bit();
    u64 gpa;

    /* PDE 2 has PS set and (read as a table pointer) points at 0x6000. */
    set32(0x1000, 2, 0x6000 | PS | P);
    set32(0x6000, 0x12, 0x7000 | P);

    ck_assert_int_eq(walk(&p, 0x00812345, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x7345);

    /* With CR4.PSE the same PDE is a 4 MiB page: 0x6000 means PSE-36 bits = 3. */
    p.cr4 = CR4_PSE;
    ck_assert_int_eq(walk(&p, 0x00812345, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x300012345ULL);

    /* A PS "table" outside guest memory is a bad physical address without PSE. */
    p.cr4 = 0;
    set32(0x1000, 2, 0x00800000 | PS | P);
    ck_assert_int_eq(walk(&p, 0x00812345, &gpa), GUEST_WALK_BAD_PHYS);
}
END_TEST

START_TEST(test_32bit_not_present)
{
    struct guest_paging p = setup_32bit();
    u64 gpa;

    set32(0x2000, 3, 0x5000);
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_NOT_PRESENT);
    ck_assert_uint_eq(gpa, UNTOUCHED);
    set32(0x1000, 1, 0x2000 | RW);
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_NOT_PRESENT);
    /* A non-present 4 MiB PDE. */
    p.cr4 = CR4_PSE;
    set32(0x1000, 1, 0x00400000 | PS);
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_NOT_PRESENT);
}
END_TEST

START_TEST(test_32bit_bad_phys)
{
    struct guest_paging p = setup_32bit();
    u64 gpa;

    /* The page directory itself is outside guest memory. */
    p.cr3 = 0xFFFFF000;
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_BAD_PHYS);
    ck_assert_uint_eq(gpa, UNTOUCHED);
    /* The page table is outside guest memory. */
    p.cr3 = 0x1000;
    set32(0x1000, 1, 0x80000000 | P);
    ck_assert_int_eq(walk(&p, LA32, &gpa), GUEST_WALK_BAD_PHYS);
}
END_TEST

START_TEST(test_32bit_read_wraps_at_4g)
{
    struct guest_paging p = setup_32bit();
    u8 buf[4];

    /* la 0xFFFFF000 -> 0xA000 and la 0 -> 0xB000. */
    set32(0x1000, 0x3FF, 0x2000 | P);
    set32(0x2000, 0x3FF, 0xA000 | P);
    set32(0x1000, 0, 0x3000 | P);
    set32(0x3000, 0, 0xB000 | P);
    mem[0xAFFE] = 0x11;
    mem[0xAFFF] = 0x22;
    mem[0xB000] = 0x33;
    mem[0xB001] = 0x44;
    ck_assert_int_eq(guest_read_linear(&p, 0xFFFFFFFE, buf, 4, read_phys, NULL), GUEST_WALK_OK);
    ck_assert_int_eq(buf[0], 0x11);
    ck_assert_int_eq(buf[1], 0x22);
    ck_assert_int_eq(buf[2], 0x33);
    ck_assert_int_eq(buf[3], 0x44);
}
END_TEST

/* ---- PAE paging ----------------------------------------------------------- */

/* la 0x40604123: PDPTE 1, PDE 3, PTE 4, offset 0x123. */
#define LA_PAE 0x40604123ULL

static struct guest_paging setup_pae(void)
{
    /* The PDPT is only 32-byte aligned: put it at 0x1020. */
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr3 = 0x1020, .cr4 = CR4_PAE, .efer = 0 };

    reset_mem();
    set64(0x1020, 1, 0x2000 | P);
    set64(0x2000, 3, 0x3000 | P | RW);
    set64(0x3000, 4, 0x9000 | P | RW);
    return p;
}

START_TEST(test_pae_4k)
{
    struct guest_paging p = setup_pae();
    u64 gpa;

    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    /* Truncation applies to PAE paging too. */
    ck_assert_int_eq(walk(&p, 0x1200000000ULL | LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    /* Physical addresses above 4 GiB. */
    set64(0x3000, 4, 0xABCDE000ULL << 8 | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, (0xABCDE000ULL << 8) | 0x123);
}
END_TEST

START_TEST(test_pae_2m)
{
    struct guest_paging p = setup_pae();
    u64 gpa;

    set64(0x2000, 3, 0x00400000 | PS | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x404123);
    /* Bit 12 (PAT) is not part of the 2 MiB frame. */
    set64(0x2000, 3, 0x00401000 | PS | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x404123);
    /* Bits 20:13 are reserved in a 2 MiB PDE. */
    set64(0x2000, 3, 0x00402000 | PS | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
}
END_TEST

START_TEST(test_pae_reserved_bits)
{
    struct guest_paging p = setup_pae();
    u64 gpa;

    /* PDPTE bit 1 (R/W in other levels) is reserved in PAE paging. */
    set64(0x1020, 1, 0x2000 | RW | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
    ck_assert_uint_eq(gpa, UNTOUCHED);
    /* So is a PS bit in a PDPTE (no 1 GiB pages outside long mode). */
    set64(0x1020, 1, 0x2000 | PS | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
    /* Bits 6 and 8 are reserved as well, and bit 63 even with EFER.NXE. */
    set64(0x1020, 1, 0x2000 | (1ULL << 6) | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
    set64(0x1020, 1, 0x2000 | (1ULL << 8) | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
    p.efer = EFER_NXE;
    set64(0x1020, 1, 0x2000 | XD | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
    p.efer = 0;
    set64(0x1020, 1, 0x2000 | P);

    /* XD is reserved unless EFER.NXE. */
    set64(0x3000, 4, 0x9000 | XD | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
    p.efer = EFER_NXE;
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);

    /* Bits 62:52 are reserved in PAE entries. */
    set64(0x2000, 3, 0x3000 | (1ULL << 52) | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_RESERVED_BIT);
}
END_TEST

/*
 * QEMU's TCG sets bit 5 (accessed) in PAE PDPTEs it has walked, and bits
 * 11:9 are ignored: the walk must go on through such entries (a 32-bit PAE
 * guest stopped at its first exit that needed decoding on qemu-svm).
 */
START_TEST(test_pae_pdpte_accessed_and_ignored_bits)
{
    struct guest_paging p = setup_pae();
    u64 gpa;

    set64(0x1020, 1, 0x2000 | (1ULL << 5) | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    set64(0x1020, 1, 0x2000 | (7ULL << 9) | (1ULL << 5) | (1ULL << 4) | (1ULL << 3) | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
}
END_TEST

START_TEST(test_pae_not_present_and_bad_phys)
{
    struct guest_paging p = setup_pae();
    u64 gpa;

    set64(0x3000, 4, 0x9000);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_NOT_PRESENT);
    set64(0x2000, 3, 0x3000);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_NOT_PRESENT);
    /* A non-present PDPTE with reserved bits set is still "not present". */
    set64(0x1020, 1, 0x2000 | RW);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_NOT_PRESENT);

    p = setup_pae();
    set64(0x1020, 1, 0x40000000ULL | P);
    ck_assert_int_eq(walk(&p, LA_PAE, &gpa), GUEST_WALK_BAD_PHYS);
    ck_assert_uint_eq(gpa, UNTOUCHED);
}
END_TEST

/* ---- 4- and 5-level paging ----------------------------------------------- */

/* Indexes PML4 1, PDPT 2, PD 3, PT 4, offset 0x123. */
#define LA64 ((1ULL << 39) | (2ULL << 30) | (3ULL << 21) | (4ULL << 12) | 0x123)

static struct guest_paging setup_long(void)
{
    struct guest_paging p = {
        .cr0 = CR0_PG | 1,
        .cr3 = 0x1000,
        .cr4 = CR4_PAE,
        .efer = EFER_LME | EFER_LMA,
    };

    reset_mem();
    set64(0x1000, 1, 0x2000 | P | RW);
    set64(0x2000, 2, 0x3000 | P | RW);
    set64(0x3000, 3, 0x4000 | P | RW);
    set64(0x4000, 4, 0x9000 | P | RW);
    return p;
}

START_TEST(test_long_4k)
{
    struct guest_paging p = setup_long();
    u64 gpa;

    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    ck_assert_uint_eq(phys_reads, 4);
    /* CR3's PCID/PWT/PCD bits and entry bits 62:52 are not address bits. */
    p.cr3 |= 0xFFF;
    set64(0x4000, 4, 0x9000 | (0x7FFULL << 52) | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    /* Bit 7 of a PTE is PAT, not a page size. */
    set64(0x4000, 4, 0x9000 | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    /* gpa_out may be NULL. */
    ck_assert_int_eq(guest_walk(&p, LA64, read_phys, NULL, NULL), GUEST_WALK_OK);
}
END_TEST

START_TEST(test_long_no_truncation)
{
    struct guest_paging p = setup_long();
    u64 gpa;

    /* Only the low 32 bits of LA64 select PML4E 0, which is empty. */
    ck_assert_int_eq(walk(&p, LA64 & 0xFFFFFFFFULL, &gpa), GUEST_WALK_NOT_PRESENT);
    /* Bits above 47 (no LA57) do not select anything. */
    ck_assert_int_eq(walk(&p, 0xFFFF000000000000ULL | LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
}
END_TEST

START_TEST(test_long_2m)
{
    struct guest_paging p = setup_long();
    u64 gpa;

    set64(0x3000, 3, 0x12600000ULL | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x12604123ULL);
    ck_assert_uint_eq(phys_reads, 3);
    /* Bits 20:13 are reserved. */
    set64(0x3000, 3, 0x12600000ULL | (1ULL << 20) | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_RESERVED_BIT);
}
END_TEST

START_TEST(test_long_1g)
{
    struct guest_paging p = setup_long();
    u64 gpa;

    set64(0x2000, 2, 0x1C0000000ULL | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x1C0000000ULL | (3ULL << 21) | (4ULL << 12) | 0x123);
    /* Bit 12 is PAT. */
    set64(0x2000, 2, 0x1C0001000ULL | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x1C0000000ULL | (3ULL << 21) | (4ULL << 12) | 0x123);
    /* Bits 29:13 are reserved. */
    set64(0x2000, 2, 0x1C0000000ULL | (1ULL << 29) | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_RESERVED_BIT);
    set64(0x2000, 2, 0x1C0000000ULL | (1ULL << 13) | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_RESERVED_BIT);
}
END_TEST

START_TEST(test_long_reserved_bits)
{
    struct guest_paging p = setup_long();
    u64 gpa;

    /* PS in a PML4E is reserved. */
    set64(0x1000, 1, 0x2000 | PS | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_RESERVED_BIT);
    ck_assert_uint_eq(gpa, UNTOUCHED);
    set64(0x1000, 1, 0x2000 | P);
    /* XD without EFER.NXE, at an upper level. */
    set64(0x2000, 2, 0x3000 | XD | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_RESERVED_BIT);
    p.efer |= EFER_NXE;
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
}
END_TEST

/* Clear P at one level (loop index 0 = PML4 .. 3 = PT). */
START_TEST(test_long_not_present_each_level)
{
    static const u64 tables[] = { 0x1000, 0x2000, 0x3000, 0x4000 };
    static const unsigned indexes[] = { 1, 2, 3, 4 };
    static const u64 targets[] = { 0x2000, 0x3000, 0x4000, 0x9000 };
    struct guest_paging p = setup_long();
    u64 gpa;

    set64(tables[_i], indexes[_i], targets[_i] | RW);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_NOT_PRESENT);
    ck_assert_uint_eq(gpa, UNTOUCHED);
    /* The walk stopped at the non-present entry. */
    ck_assert_uint_eq(phys_reads, (unsigned)_i + 1);
}
END_TEST

START_TEST(test_long_bad_phys)
{
    struct guest_paging p = setup_long();
    u64 gpa;
    u8 buf[4];

    /* A PDPT outside guest memory. */
    set64(0x1000, 1, 0x7FFFF000ULL | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_BAD_PHYS);
    ck_assert_uint_eq(gpa, UNTOUCHED);
    /* CR3 outside guest memory. */
    p = setup_long();
    p.cr3 = 0x100000000ULL;
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_BAD_PHYS);
    /* A data page outside guest memory translates, but cannot be read. */
    p = setup_long();
    set64(0x4000, 4, 0x7FFFF000ULL | P);
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x7FFFF123ULL);
    ck_assert_int_eq(guest_read_linear(&p, LA64, buf, sizeof(buf), read_phys, NULL),
                     GUEST_WALK_BAD_PHYS);
}
END_TEST

START_TEST(test_5level)
{
    struct guest_paging p = setup_long();
    u64 la = (3ULL << 48) | LA64;
    u64 gpa;

    p.cr4 |= CR4_LA57;
    p.cr3 = 0x5000;
    set64(0x5000, 3, 0x1000 | P);
    ck_assert_int_eq(walk(&p, la, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
    ck_assert_uint_eq(phys_reads, 5);
    /* Non-present PML5E. */
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_NOT_PRESENT);
    /* PS in a PML5E is reserved. */
    set64(0x5000, 3, 0x1000 | PS | P);
    ck_assert_int_eq(walk(&p, la, &gpa), GUEST_WALK_RESERVED_BIT);
    /* Without LA57 the same tables are a 4-level walk from CR3. */
    p.cr4 &= ~CR4_LA57;
    p.cr3 = 0x1000;
    ck_assert_int_eq(walk(&p, LA64, &gpa), GUEST_WALK_OK);
    ck_assert_uint_eq(gpa, 0x9123);
}
END_TEST

/* ---- reads across pages --------------------------------------------------- */

START_TEST(test_read_crosses_page_boundary)
{
    struct guest_paging p = setup_long();
    u64 la = LA64 - 0x123 + 0xFFC; /* 4 bytes before the end of PT entry 4's page */
    u8 buf[8];

    /* The next linear page maps to a lower, unrelated physical page. */
    set64(0x4000, 5, 0x7000 | P);
    memcpy(mem + 0x9FFC, "abcd", 4);
    memcpy(mem + 0x7000, "efgh", 4);
    memcpy(mem + 0xA000, "XXXX", 4); /* what a contiguous read would see */

    ck_assert_int_eq(guest_read_linear(&p, la, buf, 8, read_phys, NULL), GUEST_WALK_OK);
    ck_assert_mem_eq(buf, "abcdefgh", 8);

    /* A read that ends exactly at the boundary walks one page. */
    memset(buf, 0, sizeof(buf));
    ck_assert_int_eq(guest_read_linear(&p, la, buf, 4, read_phys, NULL), GUEST_WALK_OK);
    ck_assert_mem_eq(buf, "abcd", 4);

    /* Zero bytes: nothing to do, always fine. */
    ck_assert_int_eq(guest_read_linear(&p, 0, buf, 0, read_phys, NULL), GUEST_WALK_OK);

    /* The second page missing fails the whole read. */
    set64(0x4000, 5, 0x7000);
    ck_assert_int_eq(guest_read_linear(&p, la, buf, 8, read_phys, NULL), GUEST_WALK_NOT_PRESENT);
}
END_TEST

START_TEST(test_read_within_large_page)
{
    struct guest_paging p = setup_long();
    u8 buf[6];

    /* A 2 MiB page at gpa 0: crossing a 4 KiB boundary inside it. */
    set64(0x3000, 3, 0 | PS | P);
    memcpy(mem + 0x4FFD, "123456", 6);
    ck_assert_int_eq(guest_read_linear(&p, LA64 - 0x123 + 0xFFD, buf, 6, read_phys, NULL),
                     GUEST_WALK_OK);
    ck_assert_mem_eq(buf, "123456", 6);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(guest_walk_status_name(GUEST_WALK_OK), "ok");
    ck_assert_str_eq(guest_walk_status_name(GUEST_WALK_NOT_PRESENT), "not present");
    ck_assert_str_eq(guest_walk_status_name(GUEST_WALK_BAD_PHYS), "bad guest-physical address");
    ck_assert_str_eq(guest_walk_status_name(GUEST_WALK_RESERVED_BIT), "reserved bit set");
    ck_assert_str_eq(guest_walk_status_name((enum guest_walk_status)99), "unknown");
}
END_TEST

static Suite *guest_walk_suite(void)
{
    Suite *s = suite_create("guest_walk");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_paging_off_is_identity);
    tcase_add_test(tc, test_32bit_4k);
    tcase_add_test(tc, test_32bit_truncates_linear_address);
    tcase_add_test(tc, test_32bit_4m_pse36);
    tcase_add_test(tc, test_32bit_ps_ignored_without_pse);
    tcase_add_test(tc, test_32bit_not_present);
    tcase_add_test(tc, test_32bit_bad_phys);
    tcase_add_test(tc, test_32bit_read_wraps_at_4g);
    tcase_add_test(tc, test_pae_4k);
    tcase_add_test(tc, test_pae_2m);
    tcase_add_test(tc, test_pae_reserved_bits);
    tcase_add_test(tc, test_pae_pdpte_accessed_and_ignored_bits);
    tcase_add_test(tc, test_pae_not_present_and_bad_phys);
    tcase_add_test(tc, test_long_4k);
    tcase_add_test(tc, test_long_no_truncation);
    tcase_add_test(tc, test_long_2m);
    tcase_add_test(tc, test_long_1g);
    tcase_add_test(tc, test_long_reserved_bits);
    tcase_add_loop_test(tc, test_long_not_present_each_level, 0, 4);
    tcase_add_test(tc, test_long_bad_phys);
    tcase_add_test(tc, test_5level);
    tcase_add_test(tc, test_read_crosses_page_boundary);
    tcase_add_test(tc, test_read_within_large_page);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(guest_walk_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
