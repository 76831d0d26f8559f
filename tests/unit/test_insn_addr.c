/*
 * Unit tests for the memory operand's segment and offset
 * (common/insn/insn_addr.c): every ModRM form of the three address sizes,
 * the default segments (SS for rBP/rSP bases), prefixes, RIP-relative
 * operands, string operands, linear addresses and pointer updates.
 *
 * unit-sources: common/insn/insn_addr.c common/insn/insn_len.c
 */
#include <check.h>
#include <stdlib.h>

#include "common/insn/insn_addr.h"
#include "tests/unit/unit_main.h"

#define NBYTES(...) ((u8)sizeof((u8[]){ __VA_ARGS__ }))

/* Registers with recognisable values: RAX=0x1000 RCX=0x2000 ... R15=0x10000. */
static struct insn_regs regs(void)
{
    struct insn_regs r = { .rip = 0x400000 };
    for (unsigned i = 0; i < 16; i++)
        r.gpr[i] = 0x1000ULL * (i + 1);
    return r;
}

static struct insn_info info_of(const u8 *bytes, size_t n, enum insn_mode mode)
{
    struct insn_info info;
    ck_assert_int_eq(insn_decode_length(bytes, n, mode, &info), INSN_OK);
    return info;
}

struct addr_case {
    const char *name;
    enum insn_mode mode;
    u8 bytes[15];
    u8 count;
    enum insn_seg seg;
    u64 offset;
};

#define CASE(name, mode, seg, offset, ...) \
    { name, mode, { __VA_ARGS__ }, NBYTES(__VA_ARGS__), seg, offset }
#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64
#define ES INSN_SEG_ES
#define CS INSN_SEG_CS
#define SS INSN_SEG_SS
#define DS INSN_SEG_DS
#define FS INSN_SEG_FS
#define GS INSN_SEG_GS

/* RAX 0x1000 RCX 0x2000 RDX 0x3000 RBX 0x4000 RSP 0x5000 RBP 0x6000 RSI 0x7000 RDI 0x8000,
 * R8 0x9000 ... R12 0xD000 R13 0xE000. */
static const struct addr_case cases[] = {
    CASE("mov [rdi], eax", M64, DS, 0x8000, 0x89, 0x07),
    CASE("mov [rdi+0x10], eax", M64, DS, 0x8010, 0x89, 0x47, 0x10),
    CASE("mov [rdi-0x10], eax", M64, DS, 0x7FF0, 0x89, 0x47, 0xF0),
    CASE("mov [rax+rbx*8], r9", M64, DS, 0x1000 + 0x4000 * 8, 0x4c, 0x89, 0x0c, 0xd8),
    CASE("mov [rbp+8], eax", M64, SS, 0x6008, 0x89, 0x45, 0x08),
    CASE("mov [rsp], eax", M64, SS, 0x5000, 0x89, 0x04, 0x24),
    CASE("mov [r12], eax", M64, DS, 0xD000, 0x41, 0x89, 0x04, 0x24),
    CASE("mov [r13+0], eax", M64, DS, 0xE000, 0x41, 0x89, 0x45, 0x00),
    CASE("mov [r8+r9*2+4], eax", M64, DS, 0x9000 + 0xA000 * 2 + 4, 0x43, 0x89, 0x44, 0x48, 0x04),
    CASE("mov [rbx+rsp*1] (no index)", M64, DS, 0x4000, 0x89, 0x04, 0x23),
    CASE("mov [rbx+r12*1] (REX.X index)", M64, DS, 0x4000 + 0xD000, 0x42, 0x89, 0x04, 0x23),
    CASE("mov [d32] via SIB", M64, DS, 0x12345678, 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12),
    CASE("mov [d32 sign-extended]", M64, DS, 0xFFFFFFFFFFFFFFF0ULL, 0x8b, 0x04, 0x25, 0xf0, 0xff,
         0xff, 0xff),
    /* RIP-relative: from the next instruction (0x400000 + 6). */
    CASE("mov ecx, [rip+0x100]", M64, DS, 0x400106, 0x8b, 0x0d, 0x00, 0x01, 0x00, 0x00),
    CASE("mov eax, fs:[rax]", M64, FS, 0x1000, 0x64, 0x8b, 0x00),
    CASE("mov gs:[rbp], rcx", M64, GS, 0x6000, 0x65, 0x48, 0x89, 0x4d, 0x00),
    CASE("67: mov [edi], eax", M64, DS, 0x8000, 0x67, 0x89, 0x07),

    CASE("mov [ebx+esi*4+0x10] 32", M32, DS, 0x4000 + 0x7000 * 4 + 0x10, 0x89, 0x44, 0xb3, 0x10),
    CASE("mov [ebp-4] 32", M32, SS, 0x5FFC, 0x89, 0x45, 0xfc),
    CASE("mov [esp+8] 32", M32, SS, 0x5008, 0x89, 0x44, 0x24, 0x08),
    CASE("mov [d32] 32", M32, DS, 0xFEE000F0, 0x89, 0x05, 0xf0, 0x00, 0xe0, 0xfe),
    CASE("es: mov [ebx], eax 32", M32, ES, 0x4000, 0x26, 0x89, 0x03),
    CASE("ss: mov [ebx], eax 32", M32, SS, 0x4000, 0x36, 0x89, 0x03),
    CASE("ds: mov [ebp], eax 32", M32, DS, 0x6000, 0x3e, 0x89, 0x45, 0x00),
    CASE("cs: mov eax, [ebx] 32", M32, CS, 0x4000, 0x2e, 0x8b, 0x03),
    CASE("67: mov [bx+si] in 32", M32, DS, 0x4000 + 0x7000, 0x67, 0x89, 0x00),

    CASE("mov [bx+si] 16", M16, DS, 0xB000, 0x89, 0x00),
    CASE("mov [bx+di] 16", M16, DS, 0xC000, 0x89, 0x01),
    CASE("mov [bp+si] 16", M16, SS, 0xD000, 0x89, 0x02),
    CASE("mov [bp+di+0x1234] 16", M16, SS, 0xE000 + 0x1234, 0x89, 0x83, 0x34, 0x12),
    CASE("mov [si] 16", M16, DS, 0x7000, 0x89, 0x04),
    CASE("mov [di] 16", M16, DS, 0x8000, 0x89, 0x05),
    CASE("mov [d16] 16", M16, DS, 0x1234, 0x89, 0x06, 0x34, 0x12),
    CASE("mov [bp+0] 16", M16, SS, 0x6000, 0x89, 0x46, 0x00),
    CASE("mov [bx] 16", M16, DS, 0x4000, 0x89, 0x07),
    CASE("mov [bx+si+0xF000] wraps 16", M16, DS, 0xB000 + 0xF000 - 0x10000, 0x89, 0x80, 0x00,
         0xf0),
    CASE("mov [bx-1] 16", M16, DS, 0x3FFF, 0x89, 0x47, 0xff),
    CASE("fs: mov [bx] 16", M16, FS, 0x4000, 0x64, 0x89, 0x07),
};

START_TEST(modrm_forms)
{
    const struct addr_case *c = &cases[_i];
    struct insn_info info = info_of(c->bytes, c->count, c->mode);
    struct insn_regs r = regs();
    struct insn_mem_ref ref;

    ck_assert_msg(insn_modrm_address(&info, &r, &ref), "%s: no memory operand", c->name);
    ck_assert_msg(ref.seg == c->seg, "%s: segment %d, expected %d", c->name, ref.seg, c->seg);
    ck_assert_msg(ref.offset == c->offset, "%s: offset %#llx, expected %#llx", c->name,
                  (unsigned long long)ref.offset, (unsigned long long)c->offset);
}
END_TEST

START_TEST(no_memory_operand)
{
    struct insn_regs r = regs();
    struct insn_mem_ref ref;
    struct insn_info reg_form = info_of((const u8[]){ 0x89, 0xc8 }, 2, M64);
    struct insn_info no_modrm = info_of((const u8[]){ 0x90 }, 1, M64);

    ck_assert(!insn_modrm_address(&reg_form, &r, &ref));
    ck_assert(!insn_modrm_address(&no_modrm, &r, &ref));
}
END_TEST

START_TEST(wraps_to_the_address_size)
{
    struct insn_regs r = regs();
    struct insn_mem_ref ref;
    struct insn_info info;

    /* 32-bit: EBX + 0xFFFFF000 wraps at 4 GiB. */
    r.gpr[3] = 0x2000;
    info = info_of((const u8[]){ 0x89, 0x83, 0x00, 0xf0, 0xff, 0xff }, 6, M32);
    ck_assert(insn_modrm_address(&info, &r, &ref));
    ck_assert_uint_eq(ref.offset, 0x1000);
    /* 67 in 64-bit mode: 32-bit address, upper half of RDI ignored. */
    r.gpr[7] = 0xFFFF000000008000ULL;
    info = info_of((const u8[]){ 0x67, 0x89, 0x07 }, 3, M64);
    ck_assert(insn_modrm_address(&info, &r, &ref));
    ck_assert_uint_eq(ref.offset, 0x8000);
}
END_TEST

START_TEST(moffs_and_strings)
{
    struct insn_regs r = regs();
    struct insn_mem_ref ref;
    struct insn_info info;

    info = info_of((const u8[]){ 0x64, 0xa1, 0x00, 0x10, 0xe0, 0xfe }, 6, M32);
    ref = insn_moffs_address(&info);
    ck_assert_int_eq(ref.seg, FS);
    ck_assert_uint_eq(ref.offset, 0xFEE01000);

    /* rep movsd: DS:ESI to ES:EDI; a prefix moves the source only. */
    info = info_of((const u8[]){ 0xf3, 0xa5 }, 2, M32);
    ref = insn_string_source(&info, &r);
    ck_assert_int_eq(ref.seg, DS);
    ck_assert_uint_eq(ref.offset, 0x7000);
    ref = insn_string_dest(&info, &r);
    ck_assert_int_eq(ref.seg, ES);
    ck_assert_uint_eq(ref.offset, 0x8000);
    info = info_of((const u8[]){ 0x65, 0xf3, 0xa4 }, 3, M32);
    ck_assert_int_eq(insn_string_source(&info, &r).seg, GS);
    ck_assert_int_eq(insn_string_dest(&info, &r).seg, ES);
    /* 16-bit addresses use SI and DI. */
    r.gpr[6] = 0x12345678;
    r.gpr[7] = 0x9ABCDEF0;
    info = info_of((const u8[]){ 0xa4 }, 1, M16);
    ck_assert_uint_eq(insn_string_source(&info, &r).offset, 0x5678);
    ck_assert_uint_eq(insn_string_dest(&info, &r).offset, 0xDEF0);
    /* 64-bit addresses use all of RSI. */
    r.gpr[6] = 0x123456789ULL;
    info = info_of((const u8[]){ 0x6e }, 1, M64);
    ck_assert_uint_eq(insn_string_source(&info, &r).offset, 0x123456789ULL);
}
END_TEST

START_TEST(linear_addresses)
{
    struct insn_mem_ref ds = { DS, 0x1000 }, fs = { FS, 0x1000 }, es = { ES, 0xFFFFF000 };

    /* 64-bit mode: only FS and GS have a base. */
    ck_assert_uint_eq(insn_linear_address(M64, &ds, 0x7000000), 0x1000);
    ck_assert_uint_eq(insn_linear_address(M64, &fs, 0x7000000), 0x7001000);
    /* Elsewhere every base counts, and the sum wraps at 4 GiB. */
    ck_assert_uint_eq(insn_linear_address(M32, &ds, 0x7000000), 0x7001000);
    ck_assert_uint_eq(insn_linear_address(M32, &es, 0x2000), 0x1000);
    ck_assert_uint_eq(insn_linear_address(M16, &ds, 0x70000), 0x71000);
}
END_TEST

START_TEST(pointer_updates)
{
    ck_assert_uint_eq(insn_reg_add(0x1111222233334444ULL, 4, 8, M64), 0x1111222233334448ULL);
    /* 32-bit address in 64-bit mode: zero-extended. */
    ck_assert_uint_eq(insn_reg_add(0x11112222FFFFFFFEULL, 4, 4, M64), 2);
    /* 32-bit address elsewhere: bits 63:32 stay. */
    ck_assert_uint_eq(insn_reg_add(0x11112222FFFFFFFEULL, 4, 4, M32), 0x1111222200000002ULL);
    /* 16-bit: wraps in 16 bits, the rest stays. */
    ck_assert_uint_eq(insn_reg_add(0x1234FFFF, 1, 2, M16), 0x12340000);
    ck_assert_uint_eq(insn_reg_add(0x12340000, -2, 2, M32), 0x1234FFFE);
    ck_assert_uint_eq(insn_reg_low(0x12345678, 2), 0x5678);
    ck_assert_int_eq(insn_seg_of_prefix(0x2e, DS), CS);
    ck_assert_int_eq(insn_seg_of_prefix(0, SS), SS);
    ck_assert_int_eq(insn_seg_of_prefix(0x66, DS), DS);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("insn_addr");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, modrm_forms, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, no_memory_operand);
    tcase_add_test(tc, wraps_to_the_address_size);
    tcase_add_test(tc, moffs_and_strings);
    tcase_add_test(tc, linear_addresses);
    tcase_add_test(tc, pointer_updates);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
