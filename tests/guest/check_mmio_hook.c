/**
 * @file tests/guest/check_mmio_hook.c
 * @brief bookvisor's MMIO test page answers reads and records writes, while
 *        the bytes next to it behave like RAM.
 *
 * The page (BOOKVISOR_HC_TEST_PAGE gives its address; bookvisor hooks it with
 * the test.mmio_page option) is defined in common/platform/test_mmio_page.h: offset 0
 * reads 'book', 0x08 the last value written, 0x10 the offset of the last
 * write, 0x18 the number of writes, any other offset o reads bytes
 * (o + i) ^ 0xA5. Each access below uses a different instruction form the
 * VMM must decode.
 */
#include "check.h"
#include "hypercall.h"
#include "test_page.h"

#define pattern test_page_pattern

void check_mmio_hook(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 base = test_page_find(res);
    if (!base)
        return;
    volatile u8 *page = (volatile u8 *)base;
    u32 v32, count0;
    u16 v16;
    u8 v8;

    /* 32-bit load: MOV r32, m32 (8B). */
    __asm__ volatile("movl (%1), %0" : "=r"(v32) : "r"(page) : "memory");
    if (v32 != 0x6B6F6F62u) {
        check_fail(res, "magic read 0x%08x, expected 0x6b6f6f62", v32);
        return;
    }
    count0 = *(volatile u32 *)(page + 0x18);
    /* 16-bit store: MOV m16, r16 (66 89), then read back the record. */
    v16 = 0xBEEF;
    __asm__ volatile("movw %0, 0x40(%1)" : : "r"(v16), "r"(page) : "memory");
    v32 = *(volatile u32 *)(page + 0x08);
    if (v32 != 0xBEEF || *(volatile u32 *)(page + 0x10) != 0x40) {
        check_fail(res, "16-bit write recorded as 0x%x at 0x%x", v32,
                   *(volatile u32 *)(page + 0x10));
        return;
    }
    /* Immediate store: MOV m32, imm32 (C7 /0). */
    __asm__ volatile("movl $0x12345678, 0x80(%0)" : : "r"(page) : "memory");
    if (*(volatile u32 *)(page + 0x08) != 0x12345678u) {
        check_fail(res, "imm32 write recorded as 0x%x", *(volatile u32 *)(page + 0x08));
        return;
    }
    /* Byte store from a high-byte register: MOV m8, AH (88 /r). */
    __asm__ volatile("movl $0x5A00, %%eax; movb %%ah, 0x81(%0)" : : "r"(page) : "eax", "memory");
    if ((*(volatile u32 *)(page + 0x08) & 0xFF) != 0x5A) {
        check_fail(res, "AH write recorded as 0x%x", *(volatile u32 *)(page + 0x08));
        return;
    }
    /* Byte load (8A), zero-extending load (0F B6), sign-extending load (0F BF). */
    __asm__ volatile("movb 0x23(%1), %0" : "=q"(v8) : "r"(page) : "memory");
    if (v8 != (u8)pattern(0x23, 1)) {
        check_fail(res, "byte read 0x%02x, expected 0x%02x", v8, pattern(0x23, 1));
        return;
    }
    __asm__ volatile("movzbl 0x24(%1), %0" : "=r"(v32) : "r"(page) : "memory");
    if (v32 != pattern(0x24, 1)) {
        check_fail(res, "movzx read 0x%08x", v32);
        return;
    }
    __asm__ volatile("movswl 0x26(%1), %0" : "=r"(v32) : "r"(page) : "memory");
    if (v32 != (u32)(int)(short)pattern(0x26, 2)) {
        check_fail(res, "movsx read 0x%08x, expected 0x%08x", v32,
                   (u32)(int)(short)pattern(0x26, 2));
        return;
    }
    u32 count1 = *(volatile u32 *)(page + 0x18);
    if (count1 != count0 + 3) {
        check_fail(res, "write count went from %u to %u, expected +3", count0, count1);
        return;
    }
    /* The neighbours are plain RAM: what is written reads back. */
    volatile u8 *below = page - 1, *above = page + 4096;
    u8 save_b = *below, save_a = *above;
    *below = 0x3C;
    *above = 0xC3;
    if (*below != 0x3C || *above != 0xC3) {
        check_fail(res, "bytes next to the page do not behave like RAM");
        return;
    }
    *below = save_b;
    *above = save_a;
    /* Unhooking gives the page back to direct mapping: it is RAM again. */
    struct hypercall_regs u = { BOOKVISOR_HC_TEST_PAGE_UNHOOK, 0, 0, 0 };
    if (!hypercall(&u) || u.eax != 1) {
        check_fail(res, "unhook hypercall answered 0x%x", u.eax);
        return;
    }
    *(volatile u32 *)(page + 0x100) = 0xFEEDC0DEu;
    v32 = *(volatile u32 *)(page + 0x100);
    if (v32 != 0xFEEDC0DEu || *(volatile u32 *)page == 0x6B6F6F62u) {
        check_fail(res, "after unhook the page does not behave like RAM (read 0x%08x)", v32);
        return;
    }
    check_note(res, "page at 0x%08x", base);
}

/*
 * Named only (tests=mmio-unsupported): a read-modify-write on the hooked page,
 * ADD m32, r32 (01 /r), which the VMM's MMIO decoder does not emulate. The
 * VMM must stop the guest and name the instruction's bytes, never guess;
 * the guest prints its "ok" only if it comes back, which is the failure.
 */
void check_mmio_unsupported(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 page = test_page_find(res);
    if (!page)
        return;
    u32 one = 1;
    __asm__ volatile("addl %0, 0x40(%1)" : : "r"(one), "r"(page) : "memory");
    check_fail(res, "ADD to the hooked page came back: the VMM emulated or ignored it");
}
