/**
 * @file tests/guest/check_mmio_forms.c
 * @brief The instruction forms real drivers use on device memory, on bookvisor's MMIO test page.
 *
 * On bookvisor's MMIO test page (`test.mmio_page`; test_page.h) every access below is one bookvisor must carry out for the guest, each a
 * form it once refused (or got wrong):
 *
 * - `rep movsb` from the page, `rep movsw` backwards (DF=1), `rep movsd` and
 *   `rep stosd` to the page, `lodsd` from it;
 * - `lock or`, `lock and` (flags too), `lock xadd`, `lock cmpxchg` (equal and
 *   not), each one read and one write of the device;
 * - an FS segment override (the guest's GDT entry 0x18 has base 0x10000);
 * - SSE moves (MOVDQU, MOVD, MOVQ, MOVAPS; loads and stores) and an MMX MOVQ;
 * - a dword that starts two bytes below the page and one that ends two
 *   bytes above it: the RAM side is RAM, the page side the device's.
 *
 * Before `mmio-hook`, which unhooks the page at its end.
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "paging.h"
#include "test_page.h"

#define REC_VALUE TEST_PAGE_VALUE
#define REC_OFFSET TEST_PAGE_OFFSET
#define REC_COUNT TEST_PAGE_COUNT
#define FS_BASE 0x10000u
#define SEL_FS_TEST 0x18
#define SEL_DATA 0x10
#define MAGIC TEST_PAGE_MAGIC
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_MP (1u << 1)
#define EFLAGS_ZF (1u << 6)
#define EFLAGS_SF (1u << 7)
#define EFLAGS_CF (1u << 0)

static u32 page;

static u8 pattern_byte(u32 off)
{
    return (u8)((off ^ 0xA5) & 0xFF);
}

#define pattern test_page_pattern

static u32 reg_at(u32 off)
{
    return *(volatile u32 *)(page + off);
}

static bool strings(struct check_result *res)
{
    u8 buf[80];
    void *s, *d;
    u32 n;

    memset(buf, 0, sizeof(buf));
    s = (void *)(page + 0x40), d = buf, n = 64;
    __asm__ volatile("cld; rep movsb" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
    for (u32 i = 0; i < 64; i++) {
        if (buf[i] != pattern_byte(0x40 + i)) {
            check_fail(res, "rep movsb from the page: byte %u is 0x%02x", i, buf[i]);
            return false;
        }
    }
    if (n != 0 || s != (void *)(page + 0x80) || d != buf + 64) {
        check_fail(res, "rep movsb left ECX=%u ESI=%p EDI=%p", n, s, d);
        return false;
    }
    /* Backwards: 16 words from offset 0x7E down into buf[30..31], buf[28..29], ... */
    memset(buf, 0, sizeof(buf));
    s = (void *)(page + 0x7E), d = buf + 30, n = 16;
    __asm__ volatile("std; rep movsw; cld" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
    for (u32 k = 0; k < 16; k++) {
        u16 got = (u16)(buf[30 - 2 * k] | buf[31 - 2 * k] << 8);
        if (got != pattern(0x7E - 2 * k, 2)) {
            check_fail(res, "std; rep movsw: word %u is 0x%04x", k, got);
            return false;
        }
    }
    if (s != (void *)(page + 0x5E) || (u8 *)d + 2 != buf) {
        check_fail(res, "std; rep movsw left ESI=%p EDI=%p", s, d);
        return false;
    }
    /* To the page: every element is one write the device records. */
    u32 words[8] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444,
                     0x55555555, 0x66666666, 0x77777777, 0x88888888 };
    u32 count0 = reg_at(REC_COUNT);
    s = words, d = (void *)(page + 0x200), n = 8;
    __asm__ volatile("cld; rep movsl" : "+S"(s), "+D"(d), "+c"(n) : : "memory");
    if (reg_at(REC_COUNT) != count0 + 8 || reg_at(REC_VALUE) != 0x88888888u ||
        reg_at(REC_OFFSET) != 0x21C) {
        check_fail(res, "rep movsd to the page: %u writes, last 0x%x at 0x%x", reg_at(REC_COUNT) -
                   count0, reg_at(REC_VALUE), reg_at(REC_OFFSET));
        return false;
    }
    count0 = reg_at(REC_COUNT);
    d = (void *)(page + 0x300), n = 4;
    __asm__ volatile("cld; rep stosl" : "+D"(d), "+c"(n) : "a"(0xC0FFEE00u) : "memory");
    if (reg_at(REC_COUNT) != count0 + 4 || reg_at(REC_VALUE) != 0xC0FFEE00u ||
        reg_at(REC_OFFSET) != 0x30C) {
        check_fail(res, "rep stosd to the page: %u writes, last 0x%x at 0x%x",
                   reg_at(REC_COUNT) - count0, reg_at(REC_VALUE), reg_at(REC_OFFSET));
        return false;
    }
    u32 v;
    s = (void *)(page + 0x44);
    __asm__ volatile("cld; lodsl" : "=a"(v), "+S"(s) : : "memory");
    if (v != pattern(0x44, 4) || s != (void *)(page + 0x48)) {
        check_fail(res, "lodsd from the page read 0x%08x", v);
        return false;
    }
    return true;
}

static bool read_modify_write(struct check_result *res)
{
    u32 flags, v, count0 = reg_at(REC_COUNT);
    volatile u32 *p40 = (volatile u32 *)(page + 0x40);

    __asm__ volatile("lock orl %2, %1; pushfl; popl %0"
                     : "=r"(flags), "+m"(*p40)
                     : "r"(0x80000000u)
                     : "cc", "memory");
    if (reg_at(REC_VALUE) != (pattern(0x40, 4) | 0x80000000u) || reg_at(REC_OFFSET) != 0x40 ||
        reg_at(REC_COUNT) != count0 + 1 || !(flags & EFLAGS_SF) || (flags & EFLAGS_ZF)) {
        check_fail(res, "lock or: wrote 0x%x, %u writes, flags 0x%x", reg_at(REC_VALUE),
                   reg_at(REC_COUNT) - count0, flags);
        return false;
    }
    /* An AND whose result is 0: ZF set, CF clear. */
    __asm__ volatile("stc; lock andl %2, %1; pushfl; popl %0"
                     : "=r"(flags), "+m"(*p40)
                     : "ri"(~pattern(0x40, 4))
                     : "cc", "memory");
    if (reg_at(REC_VALUE) != 0 || !(flags & EFLAGS_ZF) || (flags & EFLAGS_CF)) {
        check_fail(res, "lock and: wrote 0x%x, flags 0x%x", reg_at(REC_VALUE), flags);
        return false;
    }
    v = 0x100;
    __asm__ volatile("lock xaddl %0, %1" : "+r"(v), "+m"(*(volatile u32 *)(page + 0x48))
                     : : "cc", "memory");
    if (v != pattern(0x48, 4) || reg_at(REC_VALUE) != pattern(0x48, 4) + 0x100) {
        check_fail(res, "lock xadd: register 0x%x, wrote 0x%x", v, reg_at(REC_VALUE));
        return false;
    }
    /* CMPXCHG equal: the device gets ECX; not equal: EAX gets the device's value. */
    u32 eax = pattern(0x4C, 4);
    count0 = reg_at(REC_COUNT);
    __asm__ volatile("lock cmpxchgl %3, %1; pushfl; popl %2"
                     : "+a"(eax), "+m"(*(volatile u32 *)(page + 0x4C)), "=r"(flags)
                     : "r"(0x12345678u)
                     : "cc", "memory");
    if (!(flags & EFLAGS_ZF) || reg_at(REC_VALUE) != 0x12345678u) {
        check_fail(res, "lock cmpxchg (equal): ZF %u, wrote 0x%x", (flags >> 6) & 1,
                   reg_at(REC_VALUE));
        return false;
    }
    eax = 0;
    __asm__ volatile("lock cmpxchgl %3, %1; pushfl; popl %2"
                     : "+a"(eax), "+m"(*(volatile u32 *)(page + 0x4C)), "=r"(flags)
                     : "r"(0x12345678u)
                     : "cc", "memory");
    if ((flags & EFLAGS_ZF) || eax != pattern(0x4C, 4) || reg_at(REC_VALUE) != eax ||
        reg_at(REC_COUNT) != count0 + 2) {
        check_fail(res, "lock cmpxchg (not equal): ZF %u, EAX 0x%x, wrote 0x%x",
                   (flags >> 6) & 1, eax, reg_at(REC_VALUE));
        return false;
    }
    return true;
}

static bool segment_override(struct check_result *res)
{
    u32 v, off = page - FS_BASE;

    __asm__ volatile("movw %w2, %%fs; movl %%fs:(%1), %0; movl $0x5A5A0001, %%fs:0x40(%1); "
                     "movw %w3, %%fs"
                     : "=&r"(v)
                     : "r"(off), "r"(SEL_FS_TEST), "r"(SEL_DATA)
                     : "memory");
    if (v != MAGIC || reg_at(REC_VALUE) != 0x5A5A0001u || reg_at(REC_OFFSET) != 0x40) {
        check_fail(res, "fs: override read 0x%08x, wrote 0x%x at 0x%x", v, reg_at(REC_VALUE),
                   reg_at(REC_OFFSET));
        return false;
    }
    return true;
}

static bool vector_moves(struct check_result *res)
{
    u8 buf[16] __attribute__((aligned(16)));
    u32 cr0 = read_cr0(), cr4 = read_cr4(), v, count0;
    bool ok = false;

    write_cr0((cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP);
    write_cr4(cr4 | CR4_OSFXSR);
    __asm__ volatile("movdqu 0x40(%0), %%xmm1; movdqu %%xmm1, (%1)" : : "r"(page), "r"(buf)
                     : "memory");
    for (u32 i = 0; i < 16; i++) {
        if (buf[i] != pattern_byte(0x40 + i)) {
            check_fail(res, "movdqu load: byte %u is 0x%02x", i, buf[i]);
            goto out;
        }
    }
    memset(buf, 0xEE, sizeof(buf));
    __asm__ volatile("movd 0x50(%1), %%xmm2; movd %%xmm2, %0; movdqu %%xmm2, (%2)"
                     : "=r"(v) : "r"(page), "r"(buf) : "memory");
    if (v != pattern(0x50, 4) || buf[4] != 0 || buf[15] != 0) {
        check_fail(res, "movd load: 0x%08x, upper bytes 0x%02x 0x%02x", v, buf[4], buf[15]);
        goto out;
    }
    __asm__ volatile("movq 0x58(%1), %%xmm3; movd %%xmm3, %0" : "=r"(v) : "r"(page) : "memory");
    if (v != pattern(0x58, 4)) {
        check_fail(res, "movq load: low dword 0x%08x", v);
        goto out;
    }
    __asm__ volatile("movaps 0x60(%0), %%xmm4; movdqu %%xmm4, (%1)" : : "r"(page), "r"(buf)
                     : "memory");
    if (buf[0] != pattern_byte(0x60) || buf[15] != pattern_byte(0x6F)) {
        check_fail(res, "movaps load: bytes 0x%02x .. 0x%02x", buf[0], buf[15]);
        goto out;
    }
    /* A 16-byte store reaches the device as two quadwords, low one first. */
    count0 = reg_at(REC_COUNT);
    __asm__ volatile("movdqu %%xmm1, 0x400(%0)" : : "r"(page) : "memory");
    if (reg_at(REC_COUNT) != count0 + 2 || reg_at(REC_OFFSET) != 0x408 ||
        reg_at(REC_VALUE) != pattern(0x48, 4)) {
        check_fail(res, "movdqu store: %u writes, last 0x%x at 0x%x", reg_at(REC_COUNT) - count0,
                   reg_at(REC_VALUE), reg_at(REC_OFFSET));
        goto out;
    }
    __asm__ volatile("movd %%xmm2, 0x500(%0)" : : "r"(page) : "memory");
    if (reg_at(REC_VALUE) != pattern(0x50, 4) || reg_at(REC_OFFSET) != 0x500) {
        check_fail(res, "movd store: 0x%x at 0x%x", reg_at(REC_VALUE), reg_at(REC_OFFSET));
        goto out;
    }
    __asm__ volatile("movq %%xmm3, 0x508(%0)" : : "r"(page) : "memory");
    if (reg_at(REC_VALUE) != pattern(0x58, 4) || reg_at(REC_OFFSET) != 0x508) {
        check_fail(res, "movq store: 0x%x at 0x%x", reg_at(REC_VALUE), reg_at(REC_OFFSET));
        goto out;
    }
    /* MMX: MOVQ load, then MOVD store. */
    __asm__ volatile("movq 0x40(%1), %%mm0; movd %%mm0, 0x600(%1); movd %%mm0, %0; emms"
                     : "=r"(v) : "r"(page) : "memory");
    if (v != pattern(0x40, 4) || reg_at(REC_VALUE) != v || reg_at(REC_OFFSET) != 0x600) {
        check_fail(res, "MMX movq/movd: 0x%x, device got 0x%x at 0x%x", v, reg_at(REC_VALUE),
                   reg_at(REC_OFFSET));
        goto out;
    }
    ok = true;
out:
    write_cr4(cr4);
    write_cr0(cr0);
    return ok;
}

/* A dword across each edge of the page: one part RAM, the other the device. */
static bool across_the_edges(struct check_result *res)
{
    volatile u8 *below = (volatile u8 *)(page - 2), *above = (volatile u8 *)(page + 0x1000);
    u8 keep[4] = { below[0], below[1], above[0], above[1] };
    u32 v;
    bool ok = false;

    below[0] = 0x11, below[1] = 0x22, above[0] = 0x33, above[1] = 0x44;
    __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(page - 2) : "memory");
    if (v != (0x2211u | (MAGIC & 0xFFFF) << 16)) {
        check_fail(res, "dword at the page's start - 2 read 0x%08x", v);
        goto out;
    }
    __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(page + 0xFFE) : "memory");
    if (v != (pattern(0xFFE, 2) | 0x44330000u)) {
        check_fail(res, "dword at the page's end - 2 read 0x%08x", v);
        goto out;
    }
    __asm__ volatile("movl %0, (%1)" : : "r"(0xAABBCCDDu), "r"(page - 2) : "memory");
    if (below[0] != 0xDD || below[1] != 0xCC || reg_at(REC_VALUE) != 0xAABB ||
        reg_at(REC_OFFSET) != 0) {
        check_fail(res, "dword written at the page's start - 2: RAM 0x%02x%02x, device 0x%x at "
                   "0x%x", below[1], below[0], reg_at(REC_VALUE), reg_at(REC_OFFSET));
        goto out;
    }
    ok = true;
out:
    below[0] = keep[0], below[1] = keep[1], above[0] = keep[2], above[1] = keep[3];
    return ok;
}

void check_mmio_forms(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    page = test_page_find(res);
    if (!page)
        return;
    if (!strings(res) || !read_modify_write(res) || !segment_override(res))
        return;
    if (!(cpuid(1).edx & (1u << 26))) {
        check_skip(res, "no SSE2 (the other forms passed)");
        return;
    }
    if (!vector_moves(res) || !across_the_edges(res))
        return;
    check_note(res, "strings, lock rmw, fs:, SSE/MMX, page edges");
}
