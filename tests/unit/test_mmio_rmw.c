/*
 * Unit tests for read-modify-write emulation (common/insn/mmio_rmw.c): the
 * value written back, the register each instruction updates and the flags,
 * for OR, AND, XADD and CMPXCHG at every size, compared with what the CPU
 * itself computes (the same instructions run on the host).
 *
 * unit-sources: common/insn/mmio_rmw.c common/insn/mmio_decode.c common/insn/insn_len.c
 */
#include <check.h>
#include <stdlib.h>

#include "common/insn/mmio_rmw.h"
#include "tests/unit/unit_main.h"

#define NBYTES(...) ((u8)sizeof((u8[]){ __VA_ARGS__ }))
#define DECODE(mode, ...) decode((const u8[]){ __VA_ARGS__ }, NBYTES(__VA_ARGS__), mode)
#define ARITH (RFLAGS_CF | RFLAGS_PF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF | RFLAGS_AF)

static struct mmio_access decode(const u8 *bytes, size_t n, enum insn_mode mode)
{
    struct mmio_access a;

    ck_assert_int_eq(mmio_decode(bytes, n, mode, &a), MMIO_DECODE_OK);
    ck_assert_int_eq(a.form, MMIO_FORM_RMW);
    return a;
}

/* What the host CPU's flags say after `op` on a 32-bit memory operand. */
static u64 host_or32(u32 *mem, u32 src)
{
    u64 f;
    __asm__ volatile("orl %2, %0; pushfq; popq %1" : "+m"(*mem), "=r"(f) : "r"(src) : "cc");
    return f;
}

static u64 host_xadd32(u32 *mem, u32 *src)
{
    u64 f;
    __asm__ volatile("xaddl %1, %0; pushfq; popq %2" : "+m"(*mem), "+r"(*src), "=r"(f) : : "cc");
    return f;
}

static u64 host_cmpxchg8(u8 *mem, u8 *al, u8 src)
{
    u64 f;
    __asm__ volatile("cmpxchgb %3, %0; pushfq; popq %2"
                     : "+m"(*mem), "+a"(*al), "=r"(f)
                     : "q"(src)
                     : "cc");
    return f;
}

START_TEST(or_and_results_and_flags)
{
    struct mmio_access a = DECODE(INSN_MODE_64, 0xf0, 0x09, 0x07); /* lock or [rdi], eax */
    struct mmio_rmw_result r;

    mmio_rmw_apply(&a, 0x80000000, 0xAAAA000000000001ULL, 0, RFLAGS_CF | RFLAGS_OF | 0x2, &r);
    ck_assert_uint_eq(r.write_value, 0x80000001);
    ck_assert(!r.reg_written);
    /* CF and OF cleared, SF set, PF of 0x01 (one bit: odd) clear, other bits kept. */
    ck_assert_uint_eq(r.rflags & (ARITH & ~RFLAGS_AF), RFLAGS_SF);
    ck_assert_uint_eq(r.rflags & 0x2, 0x2);

    a = DECODE(INSN_MODE_64, 0x80, 0x27, 0x0f); /* and byte [rdi], 0x0f */
    mmio_rmw_apply(&a, 0xF0, 0, 0, 0, &r);
    ck_assert_uint_eq(r.write_value, 0);
    ck_assert_uint_eq(r.rflags & ~RFLAGS_AF, RFLAGS_ZF | RFLAGS_PF);
    /* Only the low size bytes of memory and source count. */
    a = DECODE(INSN_MODE_64, 0x66, 0x21, 0x07); /* and [rdi], ax */
    mmio_rmw_apply(&a, 0xFFFFFFFF, 0x1234, 0, 0, &r);
    ck_assert_uint_eq(r.write_value, 0x1234);
}
END_TEST

/* Against the host CPU: OR over a spread of values. */
START_TEST(or_flags_match_the_cpu)
{
    static const u32 values[] = { 0, 1, 0x7F, 0x80, 0xFF, 0x8000, 0x7FFFFFFF, 0x80000000,
                                  0xFFFFFFFF, 0x12345678 };
    struct mmio_access a = DECODE(INSN_MODE_64, 0x09, 0x07);

    for (unsigned i = 0; i < ARRAY_SIZE(values); i++) {
        for (unsigned j = 0; j < ARRAY_SIZE(values); j++) {
            u32 mem = values[i];
            u64 f = host_or32(&mem, values[j]);
            struct mmio_rmw_result r;

            mmio_rmw_apply(&a, values[i], values[j], 0, f & ~ARITH, &r);
            ck_assert_uint_eq(r.write_value, mem);
            ck_assert_uint_eq(r.rflags & (ARITH & ~RFLAGS_AF), f & (ARITH & ~RFLAGS_AF));
        }
    }
}
END_TEST

START_TEST(xadd_matches_the_cpu)
{
    static const u32 values[] = { 0, 1, 0xF, 0x10, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                                  0x12345678, 0x8000000F };
    struct mmio_access a = DECODE(INSN_MODE_64, 0xf0, 0x0f, 0xc1, 0x17); /* lock xadd [rdi], edx */

    for (unsigned i = 0; i < ARRAY_SIZE(values); i++) {
        for (unsigned j = 0; j < ARRAY_SIZE(values); j++) {
            u32 mem = values[i], src = values[j];
            u64 f = host_xadd32(&mem, &src);
            struct mmio_rmw_result r;

            mmio_rmw_apply(&a, values[i], 0xDEAD000000000000ULL | values[j], 0, 0, &r);
            ck_assert_uint_eq(r.write_value, mem);
            ck_assert(r.reg_written);
            ck_assert_uint_eq(r.reg, 2);
            /* 32-bit result in 64-bit mode: zero-extended. */
            ck_assert_uint_eq(r.reg_value, src);
            ck_assert_uint_eq(r.rflags & ARITH, f & ARITH);
        }
    }
}
END_TEST

START_TEST(cmpxchg_matches_the_cpu)
{
    static const u8 values[] = { 0, 1, 0x7F, 0x80, 0xFF, 0x10, 0x0F };
    struct mmio_access a = DECODE(INSN_MODE_32, 0x0f, 0xb0, 0x0b); /* cmpxchg [ebx], cl */

    for (unsigned i = 0; i < ARRAY_SIZE(values); i++) {
        for (unsigned j = 0; j < ARRAY_SIZE(values); j++) {
            u8 mem = values[i], al = values[j];
            u64 f = host_cmpxchg8(&mem, &al, 0x5A);
            struct mmio_rmw_result r;

            mmio_rmw_apply(&a, values[i], 0x5A, 0xAABBCC00u | values[j], 0, &r);
            ck_assert_uint_eq(r.write_value, mem);
            ck_assert_uint_eq(r.rflags & ARITH, f & ARITH);
            if (values[i] == values[j]) {
                ck_assert(!r.reg_written);
            } else {
                ck_assert(r.reg_written);
                ck_assert_uint_eq(r.reg, 0);
                ck_assert_uint_eq(r.reg_value, 0xAABBCC00u | al);
            }
        }
    }
}
END_TEST

START_TEST(cmpxchg_failure_loads_the_accumulator)
{
    struct mmio_access a = DECODE(INSN_MODE_64, 0xf0, 0x48, 0x0f, 0xb1, 0x0f); /* rcx */
    struct mmio_rmw_result r;

    /* Equal: memory gets RCX, RAX untouched, ZF set. */
    mmio_rmw_apply(&a, 0x1111, 0x2222, 0x1111, 0, &r);
    ck_assert_uint_eq(r.write_value, 0x2222);
    ck_assert(!r.reg_written);
    ck_assert(r.rflags & RFLAGS_ZF);
    /* Different: memory written back unchanged, RAX gets it, ZF clear. */
    mmio_rmw_apply(&a, 0x1111, 0x2222, 0x3333, RFLAGS_ZF, &r);
    ck_assert_uint_eq(r.write_value, 0x1111);
    ck_assert(r.reg_written);
    ck_assert_uint_eq(r.reg, 0);
    ck_assert_uint_eq(r.reg_value, 0x1111);
    ck_assert(!(r.rflags & RFLAGS_ZF));
    /* 32-bit operand outside 64-bit mode keeps RAX's upper half. */
    a = DECODE(INSN_MODE_32, 0x0f, 0xb1, 0x0b);
    mmio_rmw_apply(&a, 5, 7, 0x9999999900000006ULL, 0, &r);
    ck_assert_uint_eq(r.reg_value, 0x9999999900000005ULL);
}
END_TEST

START_TEST(xadd_into_a_high_byte_register)
{
    struct mmio_access a = DECODE(INSN_MODE_32, 0x0f, 0xc0, 0x23); /* xadd [ebx], ah */
    struct mmio_rmw_result r;

    mmio_rmw_apply(&a, 0x10, 0x1234, 0, 0, &r);
    ck_assert_uint_eq(r.write_value, 0x22);
    ck_assert(r.reg_high_byte);
    ck_assert_uint_eq(r.reg_value, 0x1034);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mmio_rmw");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, or_and_results_and_flags);
    tcase_add_test(tc, or_flags_match_the_cpu);
    tcase_add_test(tc, xadd_matches_the_cpu);
    tcase_add_test(tc, cmpxchg_matches_the_cpu);
    tcase_add_test(tc, cmpxchg_failure_loads_the_accumulator);
    tcase_add_test(tc, xadd_into_a_high_byte_register);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
