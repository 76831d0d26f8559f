/*
 * Unit tests for common/exits/cr_rules.c: each #GP rule of CR0, CR4 and XCR0, and legal values next to it.
 * unit-sources: common/exits/cr_rules.c common/insn/insn_len.c
 */
#include <check.h>
#include <string.h>
#include "common/exits/cr_rules.h"
#include "tests/unit/unit_main.h"

#define PE 0x1ULL
#define ET 0x10ULL
#define NE 0x20ULL
#define NW (1ULL << 29)
#define CD (1ULL << 30)
#define PG (1ULL << 31)
#define PAE (1ULL << 5)
#define PGE (1ULL << 7)
#define OSFXSR (1ULL << 9)
#define VMXE (1ULL << 13)
#define LME (1ULL << 8)
#define LMA (1ULL << 10)

static void assert_fault(const char *why, const char *fragment)
{
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, fragment));
}

START_TEST(cr0_legal_values)
{
    ck_assert_ptr_null(cr_write_fault(0, PE | ET | NE, 0, 0));
    ck_assert_ptr_null(cr_write_fault(0, ET, 0, 0));                 /* real mode */
    ck_assert_ptr_null(cr_write_fault(0, PE | PG | ET, 0, 0));       /* 32-bit paging */
    ck_assert_ptr_null(cr_write_fault(0, PE | CD | NW | ET, 0, 0));  /* caches off */
    ck_assert_ptr_null(cr_write_fault(0, PE | PG, PAE, LME));        /* entering long mode */
}
END_TEST

START_TEST(cr0_faults)
{
    assert_fault(cr_write_fault(0, (1ULL << 32) | PE, 0, 0), "63:32");
    assert_fault(cr_write_fault(0, PG | ET, 0, 0), "PG set without CR0.PE");
    assert_fault(cr_write_fault(0, PE | NW, 0, 0), "NW set without CR0.CD");
    assert_fault(cr_write_fault(0, PE | PG, 0, LME), "without CR4.PAE");
}
END_TEST

START_TEST(cr4_legal_values)
{
    ck_assert_ptr_null(cr_write_fault(4, 0, 0, 0));
    ck_assert_ptr_null(cr_write_fault(4, PAE | PGE | OSFXSR, 0, 0));
    ck_assert_ptr_null(cr_write_fault(4, PAE | PGE, 0, LME | LMA));
    ck_assert_ptr_null(cr_write_fault(4, (1ULL << 25) | (1ULL << 14) | (1ULL << 16), 0, 0));
}
END_TEST

START_TEST(cr4_faults)
{
    assert_fault(cr_write_fault(4, VMXE, 0, 0), "VMXE");
    assert_fault(cr_write_fault(4, PAE | VMXE, 0, LME | LMA), "VMXE");
    assert_fault(cr_write_fault(4, 1ULL << 15, 0, 0), "reserved");
    assert_fault(cr_write_fault(4, 1ULL << 26, 0, 0), "reserved");
    assert_fault(cr_write_fault(4, 1ULL << 63, 0, 0), "reserved");
    assert_fault(cr_write_fault(4, PGE, 0, LME | LMA), "PAE cleared");
}
END_TEST

START_TEST(other_registers_have_no_rules)
{
    ck_assert_ptr_null(cr_write_fault(3, ~0ULL, 0, 0));
    ck_assert_ptr_null(cr_write_fault(8, ~0ULL, 0, 0));
}
END_TEST

/* Decode bytes, then read the MOV to CR out of them. */
static bool mov_to(const u8 *bytes, size_t n, enum insn_mode mode, u8 *cr, u8 *gpr)
{
    struct insn_info info;
    ck_assert_int_eq(insn_decode_length(bytes, n, mode, &info), INSN_OK);
    return cr_mov_to_decode(&info, cr, gpr);
}

START_TEST(mov_to_cr_decoding)
{
    static const u8 cr4_eax[] = { 0x0f, 0x22, 0xe0 };        /* mov cr4, eax */
    static const u8 cr0_esi[] = { 0x0f, 0x22, 0xc6 };        /* mov cr0, esi */
    static const u8 cr4_r9[] = { 0x41, 0x0f, 0x22, 0xe1 };   /* mov cr4, r9 */
    static const u8 cr8_rax[] = { 0x44, 0x0f, 0x22, 0xc0 };  /* mov cr8, rax */
    static const u8 from_cr4[] = { 0x0f, 0x20, 0xe0 };       /* mov eax, cr4 */
    static const u8 cpuid[] = { 0x0f, 0xa2 };
    u8 cr = 0xFF, gpr = 0xFF;
    ck_assert(mov_to(cr4_eax, sizeof(cr4_eax), INSN_MODE_32, &cr, &gpr));
    ck_assert_uint_eq(cr, 4);
    ck_assert_uint_eq(gpr, 0);
    ck_assert(mov_to(cr0_esi, sizeof(cr0_esi), INSN_MODE_32, &cr, &gpr));
    ck_assert_uint_eq(cr, 0);
    ck_assert_uint_eq(gpr, 6);
    ck_assert(mov_to(cr4_r9, sizeof(cr4_r9), INSN_MODE_64, &cr, &gpr));
    ck_assert_uint_eq(cr, 4);
    ck_assert_uint_eq(gpr, 9);
    ck_assert(mov_to(cr8_rax, sizeof(cr8_rax), INSN_MODE_64, &cr, &gpr));
    ck_assert_uint_eq(cr, 8);
    ck_assert_uint_eq(gpr, 0);
    ck_assert(!mov_to(from_cr4, sizeof(from_cr4), INSN_MODE_32, &cr, &gpr));
    ck_assert(!mov_to(cpuid, sizeof(cpuid), INSN_MODE_32, &cr, &gpr));
}
END_TEST

/* Skylake-SP with AVX-512 and MPX, PKRU: x87 SSE AVX BNDREGS BNDCSR opmask ZMM_Hi256 Hi16_ZMM PKRU */
#define XCR0_SKX 0x2FFULL
/* Sapphire Rapids adds the AMX pair */
#define XCR0_SPR (XCR0_SKX | (3ULL << 17))

START_TEST(xcr0_legal_values)
{
    ck_assert_ptr_null(xcr0_write_fault(0, 0x1, XCR0_SKX));   /* x87 only */
    ck_assert_ptr_null(xcr0_write_fault(0, 0x3, XCR0_SKX));   /* + SSE */
    ck_assert_ptr_null(xcr0_write_fault(0, 0x7, XCR0_SKX));   /* + AVX */
    ck_assert_ptr_null(xcr0_write_fault(0, 0x1F, XCR0_SKX));  /* + MPX pair */
    ck_assert_ptr_null(xcr0_write_fault(0, 0xE7, XCR0_SKX));  /* + AVX-512 trio */
    ck_assert_ptr_null(xcr0_write_fault(0, 0x2FF, XCR0_SKX)); /* everything */
    ck_assert_ptr_null(xcr0_write_fault(0, 0x60007, XCR0_SPR)); /* AMX pair */
}
END_TEST

START_TEST(xcr0_faults)
{
    assert_fault(xcr0_write_fault(1, 0x1, XCR0_SKX), "other than XCR0");
    assert_fault(xcr0_write_fault(0, 0x0, XCR0_SKX), "x87");
    assert_fault(xcr0_write_fault(0, 0x2, XCR0_SKX), "x87");
    assert_fault(xcr0_write_fault(0, 0x7, 0x3), "does not support");      /* no AVX */
    assert_fault(xcr0_write_fault(0, 1ULL << 63, ~0ULL), "x87");          /* bit 0 first */
    assert_fault(xcr0_write_fault(0, 0x1ULL | (1ULL << 8), XCR0_SKX), "does not support");
    assert_fault(xcr0_write_fault(0, 0x5, XCR0_SKX), "AVX without");
    assert_fault(xcr0_write_fault(0, 0xB, XCR0_SKX), "BNDREGS");           /* bit 3 alone */
    assert_fault(xcr0_write_fault(0, 0x13, XCR0_SKX), "BNDREGS");          /* bit 4 alone */
    /* the value that used to panic the VMM on Bochs: opmask without the other two */
    assert_fault(xcr0_write_fault(0, 0x27, XCR0_SKX), "part of the AVX-512");
    assert_fault(xcr0_write_fault(0, 0x67, XCR0_SKX), "part of the AVX-512");
    assert_fault(xcr0_write_fault(0, 0xC7, XCR0_SKX), "part of the AVX-512");
    assert_fault(xcr0_write_fault(0, 0xE3, XCR0_SKX), "without SSE and AVX");
    assert_fault(xcr0_write_fault(0, 0x20007, XCR0_SPR), "XTILE");
    assert_fault(xcr0_write_fault(0, 0x40007, XCR0_SPR), "XTILE");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cr_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, cr0_legal_values);
    tcase_add_test(tc, cr0_faults);
    tcase_add_test(tc, cr4_legal_values);
    tcase_add_test(tc, cr4_faults);
    tcase_add_test(tc, other_registers_have_no_rules);
    tcase_add_test(tc, mov_to_cr_decoding);
    tcase_add_test(tc, xcr0_legal_values);
    tcase_add_test(tc, xcr0_faults);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
