/*
 * Unit tests for the MMIO access decoder and its register-merge rules: plain
 * MOVs, string instructions, read-modify-writes, vector and stack moves, and
 * what stays refused.
 * unit-sources: common/insn/mmio_decode.c common/insn/insn_len.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/insn/mmio_decode.h"

#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64
#define R MMIO_READ
#define W MMIO_WRITE
#define EXT_NONE MMIO_EXTEND_NONE
#define EXT_ZERO MMIO_EXTEND_ZERO
#define EXT_SIGN MMIO_EXTEND_SIGN

/** Expected decode of one accepted instruction (its bytes, all of them). */
struct decode_case {
    const char *name;
    enum insn_mode mode;
    u8 bytes[16];
    u8 count;
    enum mmio_dir dir;
    u8 size;
    u8 reg_size;
    enum mmio_extend extend;
    u8 reg; /* ignored for immediates */
    bool high_byte; /* AH..BH */
    bool uses_imm;
    u64 imm;
    bool has_moffs;
    u64 moffs;
    u8 seg;
};

#define NBYTES(...) ((u8)sizeof((u8[]){ __VA_ARGS__ }))
#define BYTES(...) { __VA_ARGS__ }, NBYTES(__VA_ARGS__)

/* Register operand: MOV to or from a register, MOVZX/MOVSX. */
#define REG(name, mode, bytes, dir, size, reg_size, ext, reg, high) \
    { \
        name, mode, bytes, dir, size, reg_size, ext, reg, high, false, 0, false, 0, 0 \
    }
/* Immediate written to memory. */
#define IMM(name, mode, bytes, size, imm) \
    { \
        name, mode, bytes, W, size, size, EXT_NONE, 0, false, true, imm, false, 0, 0 \
    }
/* MOV AL/rAX <-> moffs. */
#define MOFFS(name, mode, bytes, dir, size, moffs) \
    { \
        name, mode, bytes, dir, size, size, EXT_NONE, 0, false, false, 0, true, moffs, 0 \
    }
/* Register operand with a segment override. */
#define SEG(name, mode, bytes, dir, size, reg, seg) \
    { \
        name, mode, bytes, dir, size, size, EXT_NONE, reg, false, false, 0, false, 0, seg \
    }

#define D32 0x78, 0x56, 0x34, 0x12
#define D16 0x34, 0x12
#define A64 0x00, 0x10, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00

static const struct decode_case decode_cases[] = {
    /* 64-bit mode stores from registers. */
    REG("mov [rdi], eax", M64, BYTES(0x89, 0x07), W, 4, 4, EXT_NONE, 0, false),
    REG("mov [rdi], rax", M64, BYTES(0x48, 0x89, 0x07), W, 8, 8, EXT_NONE, 0, false),
    REG("mov [rdi], ax", M64, BYTES(0x66, 0x89, 0x07), W, 2, 2, EXT_NONE, 0, false),
    REG("mov [rdi], r8d", M64, BYTES(0x44, 0x89, 0x07), W, 4, 4, EXT_NONE, 8, false),
    REG("mov [r15], eax", M64, BYTES(0x41, 0x89, 0x07), W, 4, 4, EXT_NONE, 0, false),
    REG("mov [rdi], r15", M64, BYTES(0x4c, 0x89, 0x3f), W, 8, 8, EXT_NONE, 15, false),
    REG("mov [rdi+8], edx", M64, BYTES(0x89, 0x57, 0x08), W, 4, 4, EXT_NONE, 2, false),
    REG("mov [rip+d], esi", M64, BYTES(0x89, 0x35, D32), W, 4, 4, EXT_NONE, 6, false),
    REG("mov [rdi], al", M64, BYTES(0x88, 0x07), W, 1, 1, EXT_NONE, 0, false),
    REG("mov [rdi], ah", M64, BYTES(0x88, 0x27), W, 1, 1, EXT_NONE, 0, true),
    REG("mov [rdi], bh", M64, BYTES(0x88, 0x3f), W, 1, 1, EXT_NONE, 3, true),
    REG("mov [rdi], spl", M64, BYTES(0x40, 0x88, 0x27), W, 1, 1, EXT_NONE, 4, false),
    REG("mov [rdi], r12b", M64, BYTES(0x44, 0x88, 0x27), W, 1, 1, EXT_NONE, 12, false),
    REG("rep mov [rdi], eax", M64, BYTES(0xf3, 0x89, 0x07), W, 4, 4, EXT_NONE, 0, false),

    /* 64-bit mode loads into registers. */
    REG("mov eax, [rdi+16]", M64, BYTES(0x8b, 0x47, 0x10), R, 4, 4, EXT_NONE, 0, false),
    REG("mov ecx, [rip+d]", M64, BYTES(0x8b, 0x0d, D32), R, 4, 4, EXT_NONE, 1, false),
    REG("mov rax, [rdi+d32]", M64, BYTES(0x48, 0x8b, 0x87, D32), R, 8, 8, EXT_NONE, 0, false),
    REG("mov r9, [rax+rbx*8]", M64, BYTES(0x4c, 0x8b, 0x0c, 0xd8), R, 8, 8, EXT_NONE, 9, false),
    REG("mov eax, [d32]", M64, BYTES(0x8b, 0x04, 0x25, D32), R, 4, 4, EXT_NONE, 0, false),
    REG("mov dx, [rsi]", M64, BYTES(0x66, 0x8b, 0x16), R, 2, 2, EXT_NONE, 2, false),
    REG("mov al, [rsi]", M64, BYTES(0x8a, 0x06), R, 1, 1, EXT_NONE, 0, false),
    REG("mov ah, [rsi]", M64, BYTES(0x8a, 0x26), R, 1, 1, EXT_NONE, 0, true),
    REG("mov dil, [rsi]", M64, BYTES(0x40, 0x8a, 0x3e), R, 1, 1, EXT_NONE, 7, false),
    REG("mov r10b, [rsi]", M64, BYTES(0x44, 0x8a, 0x16), R, 1, 1, EXT_NONE, 10, false),

    /* Immediates. */
    IMM("mov byte [rdi], imm8", M64, BYTES(0xc6, 0x07, 0xab), 1, 0xab),
    IMM("mov dword [rdi], imm32", M64, BYTES(0xc7, 0x07, D32), 4, 0x12345678),
    IMM("mov word [rdi], imm16", M64, BYTES(0x66, 0xc7, 0x07, D16), 2, 0x1234),
    IMM("mov qword [rdi], -16", M64, BYTES(0x48, 0xc7, 0x07, 0xf0, 0xff, 0xff, 0xff), 8,
        0xfffffffffffffff0ULL),
    IMM("mov qword [rdi], imm32", M64, BYTES(0x48, 0xc7, 0x07, D32), 8, 0x12345678),
    IMM("mov dword [rax+d32], imm", M64,
        BYTES(0xc7, 0x80, 0x00, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff), 4, 0xffffffff),
    IMM("mov dword [r12], imm32", M64, BYTES(0x41, 0xc7, 0x04, 0x24, D32), 4, 0x12345678),

    /* moffs forms. */
    MOFFS("mov al, moffs", M64, BYTES(0xa0, A64), R, 1, 0xfee01000),
    MOFFS("mov eax, moffs", M64, BYTES(0xa1, A64), R, 4, 0xfee01000),
    MOFFS("mov rax, moffs", M64, BYTES(0x48, 0xa1, A64), R, 8, 0xfee01000),
    MOFFS("mov moffs, al", M64, BYTES(0xa2, A64), W, 1, 0xfee01000),
    MOFFS("mov moffs, ax", M64, BYTES(0x66, 0xa3, A64), W, 2, 0xfee01000),
    MOFFS("mov eax, moffs32", M64, BYTES(0x67, 0xa1, D32), R, 4, 0x12345678),
    MOFFS("mov eax, moffs 32", M32, BYTES(0xa1, 0x00, 0x00, 0xc0, 0xfe), R, 4, 0xfec00000),
    MOFFS("mov moffs, eax 32", M32, BYTES(0xa3, D32), W, 4, 0x12345678),
    MOFFS("mov ax, moffs 16", M16, BYTES(0xa1, D16), R, 2, 0x1234),
    MOFFS("mov moffs, eax 16", M16, BYTES(0x66, 0xa3, D16), W, 4, 0x1234),

    /* MOVZX / MOVSX. */
    REG("movzx eax, byte", M64, BYTES(0x0f, 0xb6, 0x07), R, 1, 4, EXT_ZERO, 0, false),
    REG("movzx esp, byte", M64, BYTES(0x0f, 0xb6, 0x27), R, 1, 4, EXT_ZERO, 4, false),
    REG("movzx rcx, word", M64, BYTES(0x48, 0x0f, 0xb7, 0x0f), R, 2, 8, EXT_ZERO, 1, false),
    REG("movzx ax, byte", M64, BYTES(0x66, 0x0f, 0xb6, 0x07), R, 1, 2, EXT_ZERO, 0, false),
    REG("movsx eax, byte", M64, BYTES(0x0f, 0xbe, 0x07), R, 1, 4, EXT_SIGN, 0, false),
    REG("movsx r8, word", M64, BYTES(0x4c, 0x0f, 0xbf, 0x07), R, 2, 8, EXT_SIGN, 8, false),
    REG("movsx r11d, byte [rip]", M64, BYTES(0x44, 0x0f, 0xbe, 0x1d, D32), R, 1, 4, EXT_SIGN, 11,
        false),

    /* Segment overrides. */
    SEG("mov eax, fs:[rax]", M64, BYTES(0x64, 0x8b, 0x00), R, 4, 0, 0x64),
    SEG("mov gs:[rax], rcx", M64, BYTES(0x65, 0x48, 0x89, 0x08), W, 8, 1, 0x65),
    SEG("mov es:[ebx], eax 32", M32, BYTES(0x26, 0x89, 0x03), W, 4, 0, 0x26),

    /* 32-bit mode. */
    REG("mov [edx], eax 32", M32, BYTES(0x89, 0x02), W, 4, 4, EXT_NONE, 0, false),
    REG("mov [edx], ax 32", M32, BYTES(0x66, 0x89, 0x02), W, 2, 2, EXT_NONE, 0, false),
    REG("mov ecx, [d32] 32", M32, BYTES(0x8b, 0x0d, D32), R, 4, 4, EXT_NONE, 1, false),
    REG("mov eax, [d16] a16 32", M32, BYTES(0x67, 0x8b, 0x06, D16), R, 4, 4, EXT_NONE, 0, false),
    REG("mov [eax], dh 32", M32, BYTES(0x88, 0x30), W, 1, 1, EXT_NONE, 2, true),
    IMM("mov dword [d32], imm 32", M32, BYTES(0xc7, 0x05, D32, D32), 4, 0x12345678),
    REG("movzx eax, word 32", M32, BYTES(0x0f, 0xb7, 0x00), R, 2, 4, EXT_ZERO, 0, false),

    /* 16-bit mode. */
    REG("mov [bx], ax 16", M16, BYTES(0x89, 0x07), W, 2, 2, EXT_NONE, 0, false),
    REG("mov [bx], eax 16", M16, BYTES(0x66, 0x89, 0x07), W, 4, 4, EXT_NONE, 0, false),
    REG("mov ah, [bx] 16", M16, BYTES(0x8a, 0x27), R, 1, 1, EXT_NONE, 0, true),
    REG("mov cx, [bp+di+d16] 16", M16, BYTES(0x8b, 0x8b, D16), R, 2, 2, EXT_NONE, 1, false),
    IMM("mov word [d16], imm16 16", M16, BYTES(0xc7, 0x06, D16, 0x78, 0x56), 2, 0x5678),
    IMM("mov dword [d16], imm32 16", M16, BYTES(0x66, 0xc7, 0x06, D16, D32), 4, 0x12345678),
    REG("movzx ax, byte 16", M16, BYTES(0x0f, 0xb6, 0x07), R, 1, 2, EXT_ZERO, 0, false),
    REG("movsx eax, word 16", M16, BYTES(0x66, 0x0f, 0xbf, 0x07), R, 2, 4, EXT_SIGN, 0, false),
};

START_TEST(test_decode_table)
{
    const struct decode_case c = decode_cases[_i];
    struct mmio_access a;
    enum mmio_decode_status st;

    st = mmio_decode(c.bytes, c.count, c.mode, &a);
    ck_assert_msg(st == MMIO_DECODE_OK, "%s: %s", c.name, mmio_decode_status_name(st));
    ck_assert_msg(a.length == c.count, "%s: length %u", c.name, a.length);
    ck_assert_msg(a.dir == c.dir, "%s: direction", c.name);
    ck_assert_msg(a.size == c.size, "%s: size %u", c.name, a.size);
    ck_assert_msg(a.reg_size == c.reg_size, "%s: reg_size %u", c.name, a.reg_size);
    ck_assert_msg(a.extend == c.extend, "%s: extend", c.name);
    ck_assert_msg(a.uses_imm == c.uses_imm, "%s: uses_imm", c.name);
    if (c.uses_imm)
        ck_assert_msg(a.imm == c.imm, "%s: imm %#llx", c.name, (unsigned long long)a.imm);
    else
        ck_assert_msg(a.reg == c.reg && a.reg_high_byte == c.high_byte, "%s: reg %u high %d",
                      c.name, a.reg, a.reg_high_byte);
    ck_assert_msg(a.has_moffs == c.has_moffs, "%s: has_moffs", c.name);
    if (c.has_moffs)
        ck_assert_msg(a.moffs == c.moffs, "%s: moffs %#llx", c.name, (unsigned long long)a.moffs);
    ck_assert_msg(a.seg_override == c.seg, "%s: seg %#x", c.name, a.seg_override);
    ck_assert_msg(a.mode == c.mode, "%s: mode", c.name);
}
END_TEST

/** A sequence mmio_decode() must refuse, and with which status. */
struct refuse_case {
    const char *name;
    enum insn_mode mode;
    u8 bytes[20];
    u8 count;
    enum mmio_decode_status status;
};

#define REFUSE(name, mode, status, ...) \
    { \
        name, mode, { __VA_ARGS__ }, NBYTES(__VA_ARGS__), status \
    }
#define UNSUP MMIO_DECODE_UNSUPPORTED

static const struct refuse_case refuse_cases[] = {
    REFUSE("mov eax, ecx", M64, UNSUP, 0x89, 0xc8),
    REFUSE("mov ecx, eax", M64, UNSUP, 0x8b, 0xc8),
    REFUSE("mov al, imm8 c6 reg", M64, UNSUP, 0xc6, 0xc0, 0x12),
    REFUSE("mov eax, imm32 c7 reg", M64, UNSUP, 0xc7, 0xc0, D32),
    REFUSE("movzx eax, cl", M64, UNSUP, 0x0f, 0xb6, 0xc1),
    REFUSE("xabort", M64, UNSUP, 0xc6, 0xf8, 0x01),
    REFUSE("c7 /1", M64, UNSUP, 0xc7, 0x08, D32),
    REFUSE("lock mov", M64, UNSUP, 0xf0, 0x89, 0x07),
    REFUSE("add [rdi], eax", M64, UNSUP, 0x01, 0x07),
    REFUSE("xor [rdi], imm8", M64, UNSUP, 0x83, 0x37, 0x01),
    REFUSE("sub [rdi], imm32", M64, UNSUP, 0x81, 0x2f, D32),
    REFUSE("cmp [rdi], eax", M64, UNSUP, 0x39, 0x07),
    REFUSE("lock add [rdi], eax", M64, UNSUP, 0xf0, 0x01, 0x07),
    REFUSE("or eax, ecx (no memory)", M64, UNSUP, 0x09, 0xc8),
    REFUSE("lock or eax, ecx", M64, UNSUP, 0xf0, 0x09, 0xc8),
    REFUSE("xadd eax, ecx (no memory)", M64, UNSUP, 0x0f, 0xc1, 0xc8),
    REFUSE("lock movsb", M64, UNSUP, 0xf0, 0xa4),
    REFUSE("repne movsb", M64, UNSUP, 0xf2, 0xa4),
    REFUSE("cmpsb", M64, UNSUP, 0xa6),
    REFUSE("scasd", M64, UNSUP, 0xaf),
    REFUSE("push imm32", M64, UNSUP, 0x68, D32),
    REFUSE("push [rdi]", M64, UNSUP, 0xff, 0x37),
    REFUSE("lock push rax", M64, UNSUP, 0xf0, 0x50),
    REFUSE("movss xmm0, [rdi]", M64, UNSUP, 0xf3, 0x0f, 0x10, 0x07),
    REFUSE("movsd xmm0, [rdi]", M64, UNSUP, 0xf2, 0x0f, 0x10, 0x07),
    REFUSE("movd xmm0, eax (no memory)", M64, UNSUP, 0x66, 0x0f, 0x6e, 0xc0),
    REFUSE("movq mm0, mm1 (no memory)", M64, UNSUP, 0x0f, 0x6f, 0xc1),
    REFUSE("movnti [rdi], eax", M64, UNSUP, 0x0f, 0xc3, 0x07),
    REFUSE("movntdq [rdi], xmm0", M64, UNSUP, 0x66, 0x0f, 0xe7, 0x07),
    REFUSE("lock movdqu", M64, UNSUP, 0xf0, 0xf3, 0x0f, 0x6f, 0x07),
    REFUSE("paddd xmm0, [rdi]", M64, UNSUP, 0x66, 0x0f, 0xfe, 0x07),
    REFUSE("xchg [rdi], eax", M64, UNSUP, 0x87, 0x07),
    REFUSE("test byte [rdi], 1", M64, UNSUP, 0xf6, 0x07, 0x01),
    REFUSE("movsxd", M64, UNSUP, 0x48, 0x63, 0x07),
    REFUSE("mov eax, imm32", M64, UNSUP, 0xb8, D32),
    REFUSE("vmmcall", M64, UNSUP, 0x0f, 0x01, 0xd9),
    REFUSE("bt [rdi], 3", M64, UNSUP, 0x0f, 0xba, 0x27, 0x03),
    REFUSE("vmovdqu", M64, UNSUP, 0xc5, 0xfe, 0x6f, 0x07),
    REFUSE("truncated disp", M64, MMIO_DECODE_TRUNCATED, 0x8b, 0x87, 0x00),
    REFUSE("truncated imm", M64, MMIO_DECODE_TRUNCATED, 0xc7, 0x07, 0x00),
    REFUSE("truncated moffs", M64, MMIO_DECODE_TRUNCATED, 0xa1, D32),
    REFUSE("empty", M64, MMIO_DECODE_TRUNCATED),
    REFUSE("too long", M64, MMIO_DECODE_TOO_LONG, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
           0x2e, 0x2e, 0xc7, 0x07, D32),
};

START_TEST(test_refuse_table)
{
    const struct refuse_case *c = &refuse_cases[_i];
    struct mmio_access a, untouched;
    enum mmio_decode_status st;

    memset(&a, 0xa5, sizeof(a));
    memcpy(&untouched, &a, sizeof(a));
    st = mmio_decode(c->bytes, c->count, c->mode, &a);
    ck_assert_msg(st == c->status, "%s: got %s, expected %s", c->name, mmio_decode_status_name(st),
                  mmio_decode_status_name(c->status));
    ck_assert_msg(memcmp(&a, &untouched, sizeof(a)) == 0, "%s: output written on failure", c->name);
}
END_TEST

/* Decode bytes that must be accepted. */
static struct mmio_access decode(const u8 *bytes, size_t n, enum insn_mode mode)
{
    struct mmio_access a;

    ck_assert_int_eq(mmio_decode(bytes, n, mode, &a), MMIO_DECODE_OK);
    return a;
}

#define DECODE(mode, ...) decode((const u8[]){ __VA_ARGS__ }, NBYTES(__VA_ARGS__), mode)

#define OLD 0x1111222233334444ULL

START_TEST(test_read_merge_plain_mov)
{
    struct mmio_access a;

    /* 32-bit load: zero-extends in 64-bit mode ... */
    a = DECODE(M64, 0x8b, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, ~0ULL, 0x12345678), 0x12345678ULL);
    /* ... and only the low four bytes of the data count. */
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0xaabbccdd12345678ULL), 0x12345678ULL);
    /* ... keeps bits 63:32 outside 64-bit mode. */
    a = DECODE(M32, 0x8b, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, 0xaaaaaaaabbbbbbbbULL, 0x12345678),
                      0xaaaaaaaa12345678ULL);
    /* 16-bit load keeps the other 48 bits. */
    a = DECODE(M64, 0x66, 0x8b, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0xffffbeef), 0x111122223333beefULL);
    a = DECODE(M16, 0x8b, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0xbeef), 0x111122223333beefULL);
    /* 8-bit load into AL keeps the other 56 bits. */
    a = DECODE(M64, 0x8a, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x12ef), 0x11112222333344efULL);
    /* 8-bit load into AH replaces bits 15:8 only. */
    a = DECODE(M64, 0x8a, 0x27);
    ck_assert(a.reg_high_byte);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0xab), 0x111122223333ab44ULL);
    /* 8-bit load into SPL (REX) is a low byte. */
    a = DECODE(M64, 0x40, 0x8a, 0x27);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0xab), 0x11112222333344abULL);
    /* 64-bit load replaces everything. */
    a = DECODE(M64, 0x48, 0x8b, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x8877665544332211ULL),
                      0x8877665544332211ULL);
    /* moffs load into AL. */
    a = DECODE(M64, 0xa0, A64);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x99), 0x1111222233334499ULL);
}
END_TEST

START_TEST(test_read_merge_movzx_movsx)
{
    struct mmio_access a;

    /* MOVZX r32 zero-extends all the way in 64-bit mode. */
    a = DECODE(M64, 0x0f, 0xb6, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, ~0ULL, 0x80), 0x80ULL);
    /* Junk above the access size is ignored. */
    ck_assert_uint_eq(mmio_read_result_apply(&a, ~0ULL, 0xff7f), 0x7fULL);
    /* MOVSX r32 sign-extends to 32 bits, then zero-extends to 64. */
    a = DECODE(M64, 0x0f, 0xbe, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x80), 0xffffff80ULL);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x7f), 0x7fULL);
    /* MOVSX r64. */
    a = DECODE(M64, 0x48, 0x0f, 0xbe, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x80), 0xffffffffffffff80ULL);
    a = DECODE(M64, 0x48, 0x0f, 0xbf, 0x0f);
    ck_assert_uint_eq(a.reg, 1);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x8001), 0xffffffffffff8001ULL);
    /* MOVSX r16 keeps bits 63:16. */
    a = DECODE(M64, 0x66, 0x0f, 0xbe, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x80), 0x111122223333ff80ULL);
    /* MOVZX r16 keeps bits 63:16. */
    a = DECODE(M64, 0x66, 0x0f, 0xb6, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, OLD, 0x1ff), 0x11112222333300ffULL);
    /* MOVSX r32 outside 64-bit mode keeps bits 63:32. */
    a = DECODE(M32, 0x0f, 0xbf, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, 0xaaaaaaaa00000000ULL, 0x8001),
                      0xaaaaaaaaffff8001ULL);
    /* MOVZX r32 in 16-bit code with 66. */
    a = DECODE(M16, 0x66, 0x0f, 0xb7, 0x07);
    ck_assert_uint_eq(mmio_read_result_apply(&a, 0xaaaaaaaa00000000ULL, 0xffff8001),
                      0xaaaaaaaa00008001ULL);
}
END_TEST

START_TEST(test_write_value_from_register)
{
    const u64 reg = 0x1122334455667788ULL;
    struct mmio_access a;

    a = DECODE(M64, 0x88, 0x07); /* AL */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x88);
    a = DECODE(M64, 0x88, 0x27); /* AH */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x77);
    a = DECODE(M64, 0x40, 0x88, 0x27); /* SPL */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x88);
    a = DECODE(M64, 0x66, 0x89, 0x07); /* AX */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x7788);
    a = DECODE(M64, 0x89, 0x07); /* EAX */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x55667788);
    a = DECODE(M64, 0x48, 0x89, 0x07); /* RAX */
    ck_assert_uint_eq(mmio_write_value(&a, reg), reg);
    a = DECODE(M64, 0x66, 0xa3, A64); /* moffs, AX */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x7788);
    a = DECODE(M16, 0x89, 0x07); /* AX in 16-bit mode */
    ck_assert_uint_eq(mmio_write_value(&a, reg), 0x7788);
}
END_TEST

START_TEST(test_write_value_from_immediate)
{
    struct mmio_access a;

    a = DECODE(M64, 0xc6, 0x07, 0xab);
    ck_assert_uint_eq(mmio_write_value(&a, ~0ULL), 0xab);
    a = DECODE(M64, 0x66, 0xc7, 0x07, 0xfe, 0xff);
    ck_assert_uint_eq(mmio_write_value(&a, 0), 0xfffe);
    a = DECODE(M64, 0xc7, 0x07, 0xf0, 0xff, 0xff, 0xff);
    ck_assert_uint_eq(mmio_write_value(&a, 0), 0xfffffff0ULL);
    /* REX.W: imm32 sign-extended to 64 bits. */
    a = DECODE(M64, 0x48, 0xc7, 0x07, 0xf0, 0xff, 0xff, 0xff);
    ck_assert_uint_eq(mmio_write_value(&a, 0), 0xfffffffffffffff0ULL);
    a = DECODE(M64, 0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80);
    ck_assert_uint_eq(mmio_write_value(&a, 0), 0xffffffff80000000ULL);
    a = DECODE(M64, 0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x70);
    ck_assert_uint_eq(mmio_write_value(&a, 0), 0x70000000ULL);
}
END_TEST

/* ---- The forms beyond plain MOV ------------------------------------------ */

START_TEST(test_string_forms)
{
    struct mmio_access a;

    a = DECODE(M64, 0xa4); /* movsb */
    ck_assert_int_eq(a.form, MMIO_FORM_STRING);
    ck_assert_int_eq(a.string_op, MMIO_STR_MOVS);
    ck_assert_uint_eq(a.size, 1);
    ck_assert(!a.rep);
    ck_assert_uint_eq(a.length, 1);
    a = DECODE(M64, 0xf3, 0x48, 0xa5); /* rep movsq */
    ck_assert_int_eq(a.string_op, MMIO_STR_MOVS);
    ck_assert_uint_eq(a.size, 8);
    ck_assert(a.rep);
    ck_assert_uint_eq(a.length, 3);
    a = DECODE(M32, 0x66, 0xf3, 0xa5); /* rep movsw */
    ck_assert_uint_eq(a.size, 2);
    ck_assert(a.rep);
    a = DECODE(M32, 0xf3, 0xab); /* rep stosd */
    ck_assert_int_eq(a.string_op, MMIO_STR_STOS);
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 4);
    ck_assert_uint_eq(a.reg, 0);
    a = DECODE(M16, 0xac); /* lodsb */
    ck_assert_int_eq(a.string_op, MMIO_STR_LODS);
    ck_assert_int_eq(a.dir, MMIO_READ);
    ck_assert_uint_eq(a.size, 1);
    a = DECODE(M16, 0xad); /* lodsw in 16-bit code */
    ck_assert_uint_eq(a.size, 2);
    a = DECODE(M32, 0x64, 0xf3, 0x6e); /* rep outsb fs: */
    ck_assert_int_eq(a.string_op, MMIO_STR_OUTS);
    ck_assert_uint_eq(a.seg_override, 0x64);
    ck_assert_uint_eq(a.size, 1);
    a = DECODE(M64, 0x48, 0x6d); /* insd: REX.W does not make it 8 bytes */
    ck_assert_int_eq(a.string_op, MMIO_STR_INS);
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 4);
    a = DECODE(M32, 0x66, 0x6f); /* outsw */
    ck_assert_uint_eq(a.size, 2);
    /* The address size comes with the instruction. */
    a = DECODE(M32, 0x67, 0xf3, 0xa4);
    ck_assert_uint_eq(a.insn.address_size, 2);
}
END_TEST

START_TEST(test_rmw_forms)
{
    struct mmio_access a;

    a = DECODE(M64, 0xf0, 0x09, 0x07); /* lock or [rdi], eax */
    ck_assert_int_eq(a.form, MMIO_FORM_RMW);
    ck_assert_int_eq(a.rmw_op, MMIO_RMW_OR);
    ck_assert(a.lock);
    ck_assert_uint_eq(a.size, 4);
    ck_assert_uint_eq(a.reg, 0);
    ck_assert(!a.uses_imm);
    a = DECODE(M64, 0x08, 0x27); /* or [rdi], ah */
    ck_assert_uint_eq(a.size, 1);
    ck_assert(a.reg_high_byte);
    ck_assert(!a.lock);
    a = DECODE(M64, 0xf0, 0x48, 0x21, 0x0f); /* lock and [rdi], rcx */
    ck_assert_int_eq(a.rmw_op, MMIO_RMW_AND);
    ck_assert_uint_eq(a.size, 8);
    ck_assert_uint_eq(a.reg, 1);
    a = DECODE(M64, 0xf0, 0x83, 0x0f, 0x80); /* lock or dword [rdi], -128 */
    ck_assert_int_eq(a.rmw_op, MMIO_RMW_OR);
    ck_assert(a.uses_imm);
    ck_assert_uint_eq(a.imm, 0xffffff80);
    a = DECODE(M64, 0x48, 0x83, 0x27, 0xf0); /* and qword [rdi], -16 */
    ck_assert_int_eq(a.rmw_op, MMIO_RMW_AND);
    ck_assert_uint_eq(a.imm, 0xfffffffffffffff0ULL);
    a = DECODE(M32, 0x66, 0x81, 0x0b, 0x34, 0x12); /* or word [ebx], 0x1234 */
    ck_assert_uint_eq(a.size, 2);
    ck_assert_uint_eq(a.imm, 0x1234);
    a = DECODE(M32, 0x80, 0x23, 0xfe); /* and byte [ebx], 0xfe */
    ck_assert_uint_eq(a.size, 1);
    ck_assert_uint_eq(a.imm, 0xfe);
    a = DECODE(M64, 0xf0, 0x0f, 0xc1, 0x17); /* lock xadd [rdi], edx */
    ck_assert_int_eq(a.rmw_op, MMIO_RMW_XADD);
    ck_assert_uint_eq(a.reg, 2);
    ck_assert_uint_eq(a.size, 4);
    a = DECODE(M64, 0xf0, 0x4c, 0x0f, 0xb1, 0x07); /* lock cmpxchg [rdi], r8 */
    ck_assert_int_eq(a.rmw_op, MMIO_RMW_CMPXCHG);
    ck_assert_uint_eq(a.reg, 8);
    ck_assert_uint_eq(a.size, 8);
    a = DECODE(M32, 0x0f, 0xb0, 0x0b); /* cmpxchg [ebx], cl */
    ck_assert_uint_eq(a.size, 1);
    ck_assert_uint_eq(a.reg, 1);
}
END_TEST

START_TEST(test_vector_forms)
{
    struct mmio_access a;

    a = DECODE(M32, 0x0f, 0x6e, 0x03); /* movd mm0, [ebx] */
    ck_assert_int_eq(a.form, MMIO_FORM_VECTOR);
    ck_assert_int_eq(a.vec_file, MMIO_VEC_MMX);
    ck_assert_int_eq(a.dir, MMIO_READ);
    ck_assert_uint_eq(a.size, 4);
    ck_assert(a.vec_zero_upper);
    a = DECODE(M32, 0x0f, 0x7e, 0x1b); /* movd [ebx], mm3 */
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.vec_reg, 3);
    ck_assert_uint_eq(a.size, 4);
    a = DECODE(M32, 0x0f, 0x6f, 0x2b); /* movq mm5, [ebx] */
    ck_assert_int_eq(a.vec_file, MMIO_VEC_MMX);
    ck_assert_uint_eq(a.size, 8);
    ck_assert_uint_eq(a.vec_reg, 5);
    a = DECODE(M32, 0x0f, 0x7f, 0x3b); /* movq [ebx], mm7 */
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 8);
    a = DECODE(M32, 0x66, 0x0f, 0x6e, 0x0b); /* movd xmm1, [ebx] */
    ck_assert_int_eq(a.vec_file, MMIO_VEC_XMM);
    ck_assert_uint_eq(a.vec_reg, 1);
    ck_assert_uint_eq(a.size, 4);
    ck_assert(a.vec_zero_upper);
    a = DECODE(M64, 0x66, 0x48, 0x0f, 0x7e, 0x07); /* movq [rdi], xmm0 */
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 8);
    a = DECODE(M64, 0xf3, 0x0f, 0x7e, 0x07); /* movq xmm0, [rdi] */
    ck_assert_int_eq(a.dir, MMIO_READ);
    ck_assert_uint_eq(a.size, 8);
    ck_assert(a.vec_zero_upper);
    a = DECODE(M64, 0x66, 0x0f, 0xd6, 0x0f); /* movq [rdi], xmm1 */
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 8);
    ck_assert_uint_eq(a.vec_reg, 1);
    a = DECODE(M64, 0xf3, 0x44, 0x0f, 0x6f, 0x17); /* movdqu xmm10, [rdi] */
    ck_assert_uint_eq(a.size, 16);
    ck_assert_uint_eq(a.vec_reg, 10);
    ck_assert(!a.vec_zero_upper);
    a = DECODE(M64, 0x66, 0x0f, 0x7f, 0x07); /* movdqa [rdi], xmm0 */
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 16);
    a = DECODE(M32, 0x0f, 0x28, 0x13); /* movaps xmm2, [ebx] */
    ck_assert_int_eq(a.vec_file, MMIO_VEC_XMM);
    ck_assert_int_eq(a.dir, MMIO_READ);
    ck_assert_uint_eq(a.size, 16);
    a = DECODE(M32, 0x0f, 0x11, 0x13); /* movups [ebx], xmm2 */
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    a = DECODE(M32, 0x66, 0x0f, 0x29, 0x23); /* movapd [ebx], xmm4 */
    ck_assert_uint_eq(a.vec_reg, 4);
    /* The memory operand's address stays available. */
    a = DECODE(M32, 0x0f, 0x10, 0x43, 0x10); /* movups xmm0, [ebx+0x10] */
    ck_assert_uint_eq(a.insn.disp, 0x10);
    ck_assert_uint_eq(a.length, 4);
}
END_TEST

START_TEST(test_stack_forms)
{
    struct mmio_access a;

    a = DECODE(M32, 0x50); /* push eax */
    ck_assert_int_eq(a.form, MMIO_FORM_STACK);
    ck_assert_int_eq(a.dir, MMIO_WRITE);
    ck_assert_uint_eq(a.size, 4);
    ck_assert_uint_eq(a.reg, 0);
    a = DECODE(M32, 0x5b); /* pop ebx */
    ck_assert_int_eq(a.dir, MMIO_READ);
    ck_assert_uint_eq(a.reg, 3);
    a = DECODE(M32, 0x66, 0x5e); /* pop si */
    ck_assert_uint_eq(a.size, 2);
    ck_assert_uint_eq(a.reg, 6);
    a = DECODE(M64, 0x55); /* push rbp: 64 bits by default */
    ck_assert_uint_eq(a.size, 8);
    ck_assert_uint_eq(a.reg, 5);
    a = DECODE(M64, 0x41, 0x5f); /* pop r15 */
    ck_assert_uint_eq(a.size, 8);
    ck_assert_uint_eq(a.reg, 15);
    a = DECODE(M16, 0x51); /* push cx */
    ck_assert_uint_eq(a.size, 2);
}
END_TEST

START_TEST(test_reg_merge)
{
    ck_assert_uint_eq(mmio_reg_merge(OLD, 0xab, 1, true, M64), 0x111122223333ab44ULL);
    ck_assert_uint_eq(mmio_reg_merge(OLD, 0xab, 1, false, M64), 0x11112222333344abULL);
    ck_assert_uint_eq(mmio_reg_merge(OLD, 0x12345678, 4, false, M64), 0x12345678ULL);
    ck_assert_uint_eq(mmio_reg_merge(OLD, 0x12345678, 4, false, M32), 0x1111222212345678ULL);
    ck_assert_uint_eq(mmio_reg_merge(OLD, 0xffffbeef, 2, false, M64), 0x111122223333beefULL);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(mmio_decode_status_name(MMIO_DECODE_OK), "ok");
    ck_assert_str_eq(mmio_decode_status_name(MMIO_DECODE_UNSUPPORTED), "unsupported");
    ck_assert_str_eq(mmio_decode_status_name(MMIO_DECODE_TRUNCATED), "truncated");
    ck_assert_str_eq(mmio_decode_status_name(MMIO_DECODE_TOO_LONG), "too long");
}
END_TEST

static Suite *mmio_decode_suite(void)
{
    Suite *s = suite_create("mmio_decode");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_decode_table, 0, (int)ARRAY_SIZE(decode_cases));
    tcase_add_loop_test(tc, test_refuse_table, 0, (int)ARRAY_SIZE(refuse_cases));
    tcase_add_test(tc, test_read_merge_plain_mov);
    tcase_add_test(tc, test_read_merge_movzx_movsx);
    tcase_add_test(tc, test_write_value_from_register);
    tcase_add_test(tc, test_write_value_from_immediate);
    tcase_add_test(tc, test_string_forms);
    tcase_add_test(tc, test_rmw_forms);
    tcase_add_test(tc, test_vector_forms);
    tcase_add_test(tc, test_stack_forms);
    tcase_add_test(tc, test_reg_merge);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mmio_decode_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
