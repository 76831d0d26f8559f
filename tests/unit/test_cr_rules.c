/*
 * Unit tests for common/exits/cr_rules.c: the features a CPU's CPUID answers
 * give, each #GP rule of CR0, CR4, EFER and XCR0 with legal values next to it,
 * and the decoding of MOV to CR and LMSW.
 * unit-sources: common/exits/cr_rules.c common/insn/insn_len.c
 */
#include <check.h>
#include <string.h>
#include "common/exits/cr_rules.h"
#include "tests/unit/unit_main.h"

#define PE 0x1ULL
#define ET 0x10ULL
#define NE 0x20ULL
#define WP (1ULL << 16)
#define NW (1ULL << 29)
#define CD (1ULL << 30)
#define PG (1ULL << 31)
#define VME 0x1ULL
#define PVI 0x2ULL
#define PSE (1ULL << 4)
#define PAE (1ULL << 5)
#define PGE (1ULL << 7)
#define PCE (1ULL << 8)
#define OSFXSR (1ULL << 9)
#define UMIP (1ULL << 11)
#define LA57 (1ULL << 12)
#define VMXE (1ULL << 13)
#define SMXE (1ULL << 14)
#define FSGSBASE (1ULL << 16)
#define PCIDE (1ULL << 17)
#define OSXSAVE (1ULL << 18)
#define KL (1ULL << 19)
#define SMEP (1ULL << 20)
#define PKE (1ULL << 22)
#define CET (1ULL << 23)
#define PKS (1ULL << 24)
#define UINTR (1ULL << 25)
#define SCE 0x1ULL
#define LME (1ULL << 8)
#define LMA (1ULL << 10)
#define NXE (1ULL << 11)
#define SVME (1ULL << 12)
#define LMSLE (1ULL << 13)
#define FFXSR (1ULL << 14)
#define TCE (1ULL << 15)

/* Every CR4 feature the rules know, and every EFER one. */
static const struct cr_features all = { .cr4 = (1ULL << 26) - 1 - (1ULL << 15) - VMXE,
                                        .efer = SCE | LME | LMA | NXE | FFXSR | TCE };
/* A CPU without UMIP, LA57, SMXE, KL, PKE, CET, PKS, UINTR (a Skylake without them). */
static const struct cr_features skylake = {
    .cr4 = VME | PVI | 0x4 | 0x8 | PSE | PAE | 0x40 | PGE | PCE | OSFXSR | 0x400 | FSGSBASE |
           PCIDE | OSXSAVE | SMEP | (1ULL << 21),
    .efer = SCE | LME | LMA | NXE,
};

static struct cr_state state(u64 cr0, u64 cr4, u64 efer)
{
    struct cr_state s = { .cr0 = cr0, .cr3 = 0, .cr4 = cr4, .efer = efer, .cs_l = false };
    return s;
}

/* 32-bit protected mode without paging, as the test guest runs. */
static const struct cr_state flat32 = { .cr0 = PE | ET | NE, .cr4 = 0, .efer = 0 };
/* 64-bit mode: paging on, LMA, CS.L. */
static const struct cr_state long64 = { .cr0 = PE | PG | WP | ET | NE, .cr4 = PAE | PGE,
                                        .efer = SCE | LME | LMA | NXE, .cs_l = true };

static void assert_fault(const char *why, const char *fragment)
{
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, fragment), "\"%s\" does not say \"%s\"", why, fragment);
}

static const char *cr0(const struct cr_state *s, u64 value)
{
    return cr_write_fault(&all, s, 0, value);
}

START_TEST(features_follow_cpuid)
{
    struct cr_cpuid_answers c;
    struct cr_features f;
    memset(&c, 0, sizeof(c));
    cr_features_from_cpuid(&c, &f);
    ck_assert_uint_eq(f.cr4, PCE); /* no flag announces it: always there */
    ck_assert_uint_eq(f.efer, 0);

    c.leaf1.edx = (1u << 1) | (1u << 6) | (1u << 13) | (1u << 24); /* VME PAE PGE FXSR */
    c.leaf1.ecx = (1u << 5) | (1u << 17) | (1u << 26);             /* VMX PCID XSAVE */
    c.leaf7.ebx = (1u << 0) | (1u << 7);                          /* FSGSBASE SMEP */
    c.leaf7.ecx = (1u << 2) | (1u << 16) | (1u << 23) | (1u << 31); /* UMIP LA57 KL PKS */
    c.leaf7.edx = (1u << 5) | (1u << 20);                         /* UINTR CET_IBT */
    c.ext1.edx = (1u << 20) | (1u << 29);                          /* NX LM */
    c.ext1.ecx = (1u << 2) | (1u << 17);                           /* SVM TCE */
    cr_features_from_cpuid(&c, &f);
    ck_assert_uint_eq(f.cr4, VME | PVI | PAE | PGE | PCE | OSFXSR | VMXE | PCIDE | OSXSAVE |
                                 FSGSBASE | SMEP | UMIP | LA57 | KL | PKS | UINTR | CET);
    /* SCE comes with long mode; SVME with SVM; LMSLE never. */
    ck_assert_uint_eq(f.efer, SCE | LME | LMA | NXE | SVME | TCE);

    memset(&c, 0, sizeof(c));
    c.leaf7.ecx = 1u << 7; /* CET_SS alone brings CR4.CET too */
    c.ext1.edx = 1u << 11; /* SYSCALL without long mode */
    c.ext21.eax = 1u << 8; /* automatic IBRS */
    cr_features_from_cpuid(&c, &f);
    ck_assert_uint_eq(f.cr4, PCE | CET);
    ck_assert_uint_eq(f.efer, SCE | (1ULL << 21));
}
END_TEST

START_TEST(cr0_legal_values)
{
    struct cr_state real = state(ET, 0, 0);
    ck_assert_ptr_null(cr0(&flat32, PE | ET | NE));
    ck_assert_ptr_null(cr0(&flat32, ET));                  /* back to real mode */
    ck_assert_ptr_null(cr0(&real, PE | ET));               /* into protected mode */
    ck_assert_ptr_null(cr0(&flat32, PE | PG | ET));        /* 32-bit paging */
    ck_assert_ptr_null(cr0(&flat32, PE | CD | NW | ET));   /* caches off */
    struct cr_state entering = state(PE | ET, PAE, LME);
    ck_assert_ptr_null(cr0(&entering, PE | PG | ET));      /* entering long mode */
    struct cr_state compat = long64;
    compat.cs_l = false;
    ck_assert_ptr_null(cr0(&compat, PE | ET | NE));        /* leaving it from compatibility mode */
    ck_assert_ptr_null(cr0(&long64, long64.cr0 | CD));     /* caches off in 64-bit mode */
}
END_TEST

START_TEST(cr0_faults)
{
    assert_fault(cr0(&flat32, (1ULL << 32) | PE), "63:32");
    assert_fault(cr0(&flat32, PG | ET), "PG set without CR0.PE");
    assert_fault(cr0(&flat32, PE | NW), "NW set without CR0.CD");
    struct cr_state no_pae = state(PE | ET, 0, LME);
    assert_fault(cr0(&no_pae, PE | PG), "without CR4.PAE");
    struct cr_state cs_l = state(PE | ET, PAE, LME);
    cs_l.cs_l = true;
    assert_fault(cr0(&cs_l, PE | PG), "CS.L");
    assert_fault(cr0(&long64, PE | ET | NE), "cleared in 64-bit mode");
    struct cr_state compat_pcid = long64;
    compat_pcid.cs_l = false;
    compat_pcid.cr4 |= PCIDE;
    assert_fault(cr0(&compat_pcid, PE | ET | NE), "PCIDE");
    struct cr_state cet = state(PE | WP | ET, CET, 0);
    assert_fault(cr0(&cet, PE | ET), "WP cleared");
}
END_TEST

START_TEST(cr4_legal_values)
{
    ck_assert_ptr_null(cr_write_fault(&all, &flat32, 4, 0));
    ck_assert_ptr_null(cr_write_fault(&all, &flat32, 4, PAE | PGE | OSFXSR));
    ck_assert_ptr_null(cr_write_fault(&all, &long64, 4, PAE));
    ck_assert_ptr_null(cr_write_fault(&all, &flat32, 4, UINTR | SMXE | FSGSBASE));
    ck_assert_ptr_null(cr_write_fault(&all, &flat32, 4, LA57)); /* LA57 may change outside IA-32e mode */
    struct cr_state pcid = long64;
    pcid.cr3 = 0x1000;
    ck_assert_ptr_null(cr_write_fault(&all, &pcid, 4, PAE | PCIDE));
    pcid.cr4 |= PCIDE;
    pcid.cr3 = 0x1005; /* PCID 5 in use: keeping PCIDE set is fine */
    ck_assert_ptr_null(cr_write_fault(&all, &pcid, 4, PAE | PCIDE | PGE));
    struct cr_state wp = state(PE | WP, 0, 0);
    ck_assert_ptr_null(cr_write_fault(&all, &wp, 4, CET));
}
END_TEST

START_TEST(cr4_faults)
{
    assert_fault(cr_write_fault(&all, &flat32, 4, VMXE), "VMXE");
    assert_fault(cr_write_fault(&all, &long64, 4, PAE | VMXE), "VMXE");
    assert_fault(cr_write_fault(&all, &flat32, 4, 1ULL << 15), "reserved");
    assert_fault(cr_write_fault(&all, &flat32, 4, 1ULL << 26), "reserved");
    assert_fault(cr_write_fault(&all, &flat32, 4, 1ULL << 63), "reserved");
    assert_fault(cr_write_fault(&all, &long64, 4, PGE), "PAE cleared");
    assert_fault(cr_write_fault(&all, &long64, 4, PAE | PGE | LA57), "LA57 changed");
    struct cr_state la57 = long64;
    la57.cr4 |= LA57;
    assert_fault(cr_write_fault(&all, &la57, 4, PAE | PGE), "LA57 changed");
    assert_fault(cr_write_fault(&all, &flat32, 4, PCIDE), "outside IA-32e");
    struct cr_state pcid = long64;
    pcid.cr3 = 0x1005;
    assert_fault(cr_write_fault(&all, &pcid, 4, PAE | PCIDE), "CR3[11:0]");
    assert_fault(cr_write_fault(&all, &flat32, 4, CET), "WP is clear");
}
END_TEST

/* Each CR4 bit a CPU lacks is refused, by name, and the legal rest stays legal. */
START_TEST(cr4_bits_the_cpu_lacks)
{
    static const struct {
        u64 bit;
        const char *name;
    } lacking[] = {
        { UMIP, "UMIP" }, { LA57, "LA57" }, { SMXE, "SMXE" }, { PKE, "PKE" },
        { CET, "CET" },   { PKS, "PKS" },   { UINTR, "UINTR" }, { KL, "KL" },
    };
    struct cr_state wp = state(PE | WP | ET, 0, 0); /* CET's mode rule out of the way */
    for (size_t i = 0; i < sizeof(lacking) / sizeof(lacking[0]); i++) {
        ck_assert_ptr_null(cr_write_fault(&all, &wp, 4, lacking[i].bit));
        assert_fault(cr_write_fault(&skylake, &wp, 4, lacking[i].bit), lacking[i].name);
        assert_fault(cr_write_fault(&skylake, &wp, 4, PAE | PGE | lacking[i].bit), "the CPU has no");
    }
    ck_assert_ptr_null(cr_write_fault(&skylake, &wp, 4, skylake.cr4 & ~PCIDE));
}
END_TEST

/* When the rules do not ask for CR3 or CS.L, their answer does not depend on
 * them: the handler may leave them unread. Every value below, from states in
 * and out of long mode, with and without PCIDE, is judged both ways. */
START_TEST(unread_parts_never_matter)
{
    static const struct cr_state base[] = {
        { .cr0 = PE | ET | NE },
        { .cr0 = PE | PG | WP | ET, .cr4 = PAE | PGE, .efer = LME | LMA },
        { .cr0 = PE | PG | WP | ET, .cr4 = PAE | PCIDE, .efer = LME | LMA },
        { .cr0 = PE | ET, .cr4 = PAE, .efer = LME },
    };
    static const u64 values[] = { 0, PE, PE | PG, PE | PG | WP, PE | NW | CD, PAE, PAE | PCIDE,
                                  PAE | PGE | PCIDE, PCIDE, PAE | LA57, PAE | CET, PE | ET | NE | WP };
    for (size_t b = 0; b < ARRAY_SIZE(base); b++)
        for (unsigned cr = 0; cr <= 4; cr += 4)
            for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
                struct cr_state lo = base[b], hi = base[b];
                lo.cr3 = 0;
                lo.cs_l = false;
                hi.cr3 = 0xFFF;
                hi.cs_l = true;
                unsigned need = cr_write_state_needed(cr, &lo, values[i]);
                ck_assert_uint_eq(need, cr_write_state_needed(cr, &hi, values[i]));
                if (need & CR_STATE_CR3)
                    hi.cr3 = lo.cr3;
                if (need & CR_STATE_CS_L)
                    hi.cs_l = lo.cs_l;
                const char *a = cr_write_fault(&all, &lo, cr, values[i]);
                const char *z = cr_write_fault(&all, &hi, cr, values[i]);
                ck_assert_msg((a == NULL) == (z == NULL) && (!a || !strcmp(a, z)),
                              "state %zu CR%u value 0x%llx: \"%s\" vs \"%s\"", b, cr,
                              (unsigned long long)values[i], a ? a : "legal", z ? z : "legal");
            }
    /* and where they are asked for, they do matter */
    struct cr_state pcid = long64;
    ck_assert_uint_eq(cr_write_state_needed(4, &pcid, PAE | PCIDE), CR_STATE_CR3);
    ck_assert_uint_eq(cr_write_state_needed(0, &long64, PE | ET), CR_STATE_CS_L);
    ck_assert_uint_eq(cr_write_state_needed(0, &long64, long64.cr0 | CD), 0);
}
END_TEST

/* Only a change of a bit that takes part in translation costs a nested flush. */
START_TEST(flush_only_for_translation_bits)
{
    const u64 cr0 = PE | ET | NE | WP | PG;
    ck_assert(!cr_write_flushes_tlb(0, cr0, cr0 ^ NE));
    ck_assert(!cr_write_flushes_tlb(0, cr0, cr0 | CD | NW));
    ck_assert(!cr_write_flushes_tlb(0, cr0, cr0));
    ck_assert(cr_write_flushes_tlb(0, cr0, cr0 & ~PG));
    ck_assert(cr_write_flushes_tlb(0, cr0, cr0 & ~WP));
    ck_assert(cr_write_flushes_tlb(0, ET, ET | PE));
    const u64 cr4 = PAE | PGE | OSXSAVE;
    ck_assert(!cr_write_flushes_tlb(4, cr4, cr4 ^ OSXSAVE));
    ck_assert(!cr_write_flushes_tlb(4, cr4, cr4 | VME));
    static const u64 paging[] = { PSE, PAE, PGE, PCIDE, SMEP, PKE, LA57, 1ULL << 21 /* SMAP */ };
    for (size_t i = 0; i < ARRAY_SIZE(paging); i++)
        ck_assert(cr_write_flushes_tlb(4, cr4, cr4 ^ paging[i]));
    ck_assert(cr_write_flushes_tlb(3, 0x1000, 0x1000)); /* a MOV to CR3 always does */
}
END_TEST

/* An EFER write judged without CR0 (left 0) where efer_write_state_needed()
 * does not ask for it gets the same answer as with the real CR0; where it
 * asks (LME changes), CR0 decides. */
START_TEST(efer_state_needed)
{
    static const u64 cr0s[] = { 0, PE, PE | PG, PE | ET | NE | WP | PG };
    static const u64 efers[] = { 0, SCE, LME, LME | LMA, SCE | NXE | LME | LMA, SVME };
    static const u64 values[] = { 0, SCE, LME, LME | NXE, LME | LMA, SVME, TCE, 1ULL << 20 };
    unsigned asked = 0;
    for (size_t c = 0; c < ARRAY_SIZE(cr0s); c++)
        for (size_t e = 0; e < ARRAY_SIZE(efers); e++)
            for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
                struct cr_state real = { .cr0 = cr0s[c], .efer = efers[e] };
                struct cr_state lean = { .efer = efers[e] };
                unsigned need = efer_write_state_needed(&lean, values[i]);
                ck_assert_uint_eq(need & ~(unsigned)CR_STATE_CR0, 0);
                if (need & CR_STATE_CR0) {
                    asked++;
                    continue;
                }
                ck_assert_ptr_eq(efer_write_fault(&all, &lean, values[i]),
                                 efer_write_fault(&all, &real, values[i]));
            }
    ck_assert_uint_gt(asked, 0);
    struct cr_state paging = { .cr0 = PE | PG, .efer = LME | LMA };
    ck_assert_uint_eq(efer_write_state_needed(&paging, 0), CR_STATE_CR0);
    ck_assert_ptr_nonnull(efer_write_fault(&all, &paging, 0));
    ck_assert_uint_eq(efer_write_state_needed(&paging, LME | NXE), 0);
}
END_TEST

START_TEST(efer_rules)
{
    const struct cr_features amd = { .cr4 = all.cr4, .efer = all.efer | SVME };
    ck_assert_ptr_null(efer_write_fault(&all, &flat32, SCE | NXE | LME | FFXSR | TCE));
    ck_assert_ptr_null(efer_write_fault(&all, &flat32, 0));
    ck_assert_ptr_null(efer_write_fault(&amd, &flat32, SVME)); /* a host set may have it */
    assert_fault(efer_write_fault(&all, &flat32, SVME), "SVME");
    assert_fault(efer_write_fault(&all, &flat32, LMSLE), "does not have");
    assert_fault(efer_write_fault(&all, &flat32, 1ULL << 9), "does not have");
    assert_fault(efer_write_fault(&all, &flat32, 1ULL << 63), "does not have");
    assert_fault(efer_write_fault(&skylake, &flat32, FFXSR), "does not have");
    assert_fault(efer_write_fault(&skylake, &flat32, TCE), "does not have");
    /* LME is fixed while paging is on, in long mode or not */
    assert_fault(efer_write_fault(&all, &long64, SCE | LMA | NXE), "LME changed");
    struct cr_state paged32 = state(PE | PG, 0, 0);
    assert_fault(efer_write_fault(&all, &paged32, LME), "LME changed");
    ck_assert_ptr_null(efer_write_fault(&all, &long64, LME | LMA)); /* SCE and NXE off */
    /* LMA is read-only: written or not, the current value stays */
    ck_assert_ptr_null(efer_write_fault(&all, &long64, LME));
    ck_assert_uint_eq(efer_write_value(&long64, LME), LME | LMA);
    ck_assert_uint_eq(efer_write_value(&flat32, LME | LMA | NXE), LME | NXE);
    ck_assert_ptr_null(efer_write_fault(&all, &flat32, LMA));
}
END_TEST

/* Decode bytes, then read the control-register write out of them. */
static enum cr_write_insn decode(const u8 *bytes, size_t n, enum insn_mode mode, u8 *cr, u8 *gpr)
{
    struct insn_info info;
    ck_assert_int_eq(insn_decode_length(bytes, n, mode, &info), INSN_OK);
    return cr_write_decode(&info, cr, gpr);
}

START_TEST(cr_write_decoding)
{
    static const u8 cr4_eax[] = { 0x0f, 0x22, 0xe0 };        /* mov cr4, eax */
    static const u8 cr0_esi[] = { 0x0f, 0x22, 0xc6 };        /* mov cr0, esi */
    static const u8 cr4_r9[] = { 0x41, 0x0f, 0x22, 0xe1 };   /* mov cr4, r9 */
    static const u8 cr8_rax[] = { 0x44, 0x0f, 0x22, 0xc0 };  /* mov cr8, rax */
    static const u8 from_cr4[] = { 0x0f, 0x20, 0xe0 };       /* mov eax, cr4 */
    static const u8 lmsw_ax[] = { 0x0f, 0x01, 0xf0 };        /* lmsw ax */
    static const u8 lmsw_r10[] = { 0x41, 0x0f, 0x01, 0xf2 }; /* lmsw r10w */
    static const u8 lmsw_mem[] = { 0x0f, 0x01, 0x33 };       /* lmsw [ebx] */
    static const u8 smsw_ax[] = { 0x0f, 0x01, 0xe0 };        /* smsw ax */
    static const u8 cpuid[] = { 0x0f, 0xa2 };
    u8 cr = 0xFF, gpr = 0xFF;
    ck_assert_int_eq(decode(cr4_eax, sizeof(cr4_eax), INSN_MODE_32, &cr, &gpr), CR_WRITE_MOV);
    ck_assert_uint_eq(cr, 4);
    ck_assert_uint_eq(gpr, 0);
    ck_assert_int_eq(decode(cr0_esi, sizeof(cr0_esi), INSN_MODE_16, &cr, &gpr), CR_WRITE_MOV);
    ck_assert_uint_eq(cr, 0);
    ck_assert_uint_eq(gpr, 6);
    ck_assert_int_eq(decode(cr4_r9, sizeof(cr4_r9), INSN_MODE_64, &cr, &gpr), CR_WRITE_MOV);
    ck_assert_uint_eq(cr, 4);
    ck_assert_uint_eq(gpr, 9);
    ck_assert_int_eq(decode(cr8_rax, sizeof(cr8_rax), INSN_MODE_64, &cr, &gpr), CR_WRITE_MOV);
    ck_assert_uint_eq(cr, 8);
    ck_assert_uint_eq(gpr, 0);
    ck_assert_int_eq(decode(lmsw_ax, sizeof(lmsw_ax), INSN_MODE_16, &cr, &gpr), CR_WRITE_LMSW);
    ck_assert_uint_eq(cr, 0);
    ck_assert_uint_eq(gpr, 0);
    ck_assert_int_eq(decode(lmsw_r10, sizeof(lmsw_r10), INSN_MODE_64, &cr, &gpr), CR_WRITE_LMSW);
    ck_assert_uint_eq(gpr, 10);
    ck_assert_int_eq(decode(lmsw_mem, sizeof(lmsw_mem), INSN_MODE_32, &cr, &gpr), CR_WRITE_LMSW_MEM);
    ck_assert_int_eq(decode(smsw_ax, sizeof(smsw_ax), INSN_MODE_32, &cr, &gpr), CR_WRITE_NONE);
    ck_assert_int_eq(decode(from_cr4, sizeof(from_cr4), INSN_MODE_32, &cr, &gpr), CR_WRITE_NONE);
    ck_assert_int_eq(decode(cpuid, sizeof(cpuid), INSN_MODE_32, &cr, &gpr), CR_WRITE_NONE);
}
END_TEST

/* The plain MOV to CR read from its bytes agrees with the general decoder
 * for every ModRM byte, with and without each REX in 64-bit mode, in every
 * mode; anything else (a prefix, another opcode, REX outside 64-bit mode,
 * too few bytes) is left to the general decoder. */
START_TEST(cr_write_plain_agrees)
{
    static const enum insn_mode modes[] = { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };
    unsigned agreed = 0;
    for (unsigned m = 0; m < 3; m++) {
        for (unsigned rex = 0x3F; rex <= 0x4F; rex++) {
            if (rex != 0x3F && modes[m] != INSN_MODE_64)
                continue;
            for (unsigned modrm = 0; modrm < 256; modrm++) {
                u8 b[16] = { 0 };
                size_t k = 0;
                if (rex != 0x3F)
                    b[k++] = (u8)rex;
                b[k++] = 0x0F;
                b[k++] = 0x22;
                b[k++] = (u8)modrm;
                u8 cr = 0xFF, gpr = 0xFF, cr2 = 0xEE, gpr2 = 0xEE;
                ck_assert_int_eq(cr_write_decode_plain(b, sizeof(b), modes[m] == INSN_MODE_64,
                                                       &cr, &gpr), CR_WRITE_MOV);
                ck_assert_int_eq(decode(b, sizeof(b), modes[m], &cr2, &gpr2), CR_WRITE_MOV);
                ck_assert_uint_eq(cr, cr2);
                ck_assert_uint_eq(gpr, gpr2);
                /* Cut one byte short: not read past what was fetched. */
                ck_assert_int_eq(cr_write_decode_plain(b, k - 1, modes[m] == INSN_MODE_64,
                                                       &cr, &gpr), CR_WRITE_NONE);
                agreed++;
            }
        }
    }
    ck_assert_uint_eq(agreed, 256 * (1 + 1 + 17));
    static const u8 others[][4] = {
        { 0x66, 0x0f, 0x22, 0xc0 }, /* operand-size prefix */
        { 0xf0, 0x0f, 0x22, 0xc0 }, /* LOCK: CR8 on AMD */
        { 0x2e, 0x0f, 0x22, 0xc0 }, /* segment prefix */
        { 0x0f, 0x20, 0xc0, 0x90 }, /* mov eax, cr0 */
        { 0x0f, 0x01, 0xf0, 0x90 }, /* lmsw ax */
        { 0x41, 0x0f, 0x22, 0xc0 }, /* inc ecx outside 64-bit mode */
        { 0x48, 0x48, 0x0f, 0x22 }, /* two REX */
    };
    for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        u8 cr, gpr;
        ck_assert_int_eq(cr_write_decode_plain(others[i], 4, i < 5 || i == 6, &cr, &gpr),
                         CR_WRITE_NONE);
    }
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
    tcase_add_test(tc, features_follow_cpuid);
    tcase_add_test(tc, cr0_legal_values);
    tcase_add_test(tc, cr0_faults);
    tcase_add_test(tc, cr4_legal_values);
    tcase_add_test(tc, cr4_faults);
    tcase_add_test(tc, cr4_bits_the_cpu_lacks);
    tcase_add_test(tc, unread_parts_never_matter);
    tcase_add_test(tc, flush_only_for_translation_bits);
    tcase_add_test(tc, efer_rules);
    tcase_add_test(tc, cr_write_decoding);
    tcase_add_test(tc, cr_write_plain_agrees);
    tcase_add_test(tc, efer_state_needed);
    tcase_add_test(tc, xcr0_legal_values);
    tcase_add_test(tc, xcr0_faults);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
