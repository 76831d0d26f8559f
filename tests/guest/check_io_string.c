/**
 * @file tests/guest/check_io_string.c
 * @brief String I/O (INS, OUTS) to ports bookvisor intercepts.
 *
 * bookvisor watches System Control Port A (0x92) and the ACPI PM1a control
 * register on every target (a write there could reset or suspend the
 * machine), so string I/O to them exits, and bookvisor carries it out
 * element by element. Once it stopped the guest instead ("string I/O ... is
 * not supported"), and real guests use `rep insw` for disks. The check:
 *
 * - `rep insb` from 0x92 forwards and backwards (DF=1): every byte is what
 *   `inb` reads; `insw`/`insl` from PM1a_CNT match `inw`/`inl`;
 * - 300 words by `rep insw` (more than bookvisor does in one exit: it
 *   resumes the instruction with the registers moved on);
 * - `rep outsw` of PM1a_CNT's own value and `rep outsb` of 0x92's (bit 0
 *   clear): no sleep, no reset, the registers keep their values;
 * - `fs rep outsb`: FS has base 0x10000; the bytes at the offset alone would
 *   set 0x92's reset bit, the bytes at base + offset do not. Reading the
 *   wrong ones resets the machine;
 * - `rep insb` with PAE paging on, into a linear window that maps the
 *   buffer elsewhere: the bytes must land through the guest's page tables.
 */
#include "acpi.h"
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "paging.h"

#define PORT_SYS_CTRL_A 0x92
#define SEL_FS_TEST 0x18
#define SEL_DATA 0x10
#define FS_BASE 0x10000u
#define WINDOW_LA 0xA0000000u
#define TWO_MIB 0x200000u

static u16 words[300];
/* A 64 KiB + 16 buffer: the first bytes are what FS: must not read. */
static u8 far_apart[FS_BASE + 16];

static bool ins_from_0x92(struct check_result *res)
{
    u8 buf[8], want = inb(PORT_SYS_CTRL_A);
    void *d = buf;
    u32 n = sizeof(buf);

    memset(buf, 0x5A ^ want, sizeof(buf));
    __asm__ volatile("cld; rep insb" : "+D"(d), "+c"(n) : "d"(PORT_SYS_CTRL_A) : "memory");
    for (u32 i = 0; i < sizeof(buf); i++) {
        if (buf[i] != want) {
            check_fail(res, "rep insb from 0x92: byte %u is 0x%02x, inb says 0x%02x", i, buf[i],
                       want);
            return false;
        }
    }
    memset(buf, 0x5A ^ want, sizeof(buf));
    d = buf + 7, n = 8;
    __asm__ volatile("std; rep insb; cld" : "+D"(d), "+c"(n) : "d"(PORT_SYS_CTRL_A) : "memory");
    if (buf[0] != want || buf[7] != want || (u8 *)d + 1 != buf) {
        check_fail(res, "std; rep insb from 0x92: 0x%02x .. 0x%02x", buf[0], buf[7]);
        return false;
    }
    return true;
}

static bool ins_from_pm1(struct check_result *res, u16 pm1)
{
    u16 w = 0;
    u32 l = 0;
    void *d = &w;

    __asm__ volatile("cld; insw" : "+D"(d) : "d"(pm1) : "memory");
    if (w != inw(pm1)) {
        check_fail(res, "insw from PM1a_CNT 0x%x read 0x%04x, inw 0x%04x", pm1, w, inw(pm1));
        return false;
    }
    d = &l;
    __asm__ volatile("cld; insl" : "+D"(d) : "d"(pm1) : "memory");
    if (l != inl(pm1)) {
        check_fail(res, "insl from PM1a_CNT 0x%x read 0x%08x, inl 0x%08x", pm1, l, inl(pm1));
        return false;
    }
    u32 n = 300;
    d = words;
    memset(words, 0xA5, sizeof(words));
    __asm__ volatile("cld; rep insw" : "+D"(d), "+c"(n) : "d"(pm1) : "memory");
    if (n != 0 || d != words + 300 || words[0] != w || words[299] != w) {
        check_fail(res, "rep insw of 300 words: ECX %u, last 0x%04x", n, words[299]);
        return false;
    }
    return true;
}

static bool outs_to_watched_ports(struct check_result *res, u16 pm1)
{
    u16 cnt = inw(pm1);
    u16 same[3] = { cnt, cnt, cnt };
    const void *s = same;
    u32 n = 3;

    __asm__ volatile("cld; rep outsw" : "+S"(s), "+c"(n) : "d"(pm1) : "memory");
    if (inw(pm1) != cnt) {
        check_fail(res, "rep outsw of PM1a_CNT's value changed it to 0x%04x", inw(pm1));
        return false;
    }
    u8 quiet = (u8)(inb(PORT_SYS_CTRL_A) & ~1u);
    memset(far_apart, quiet | 1, 16);              /* at the offset alone: reset */
    memset(far_apart + FS_BASE, quiet, 16);        /* at FS base + offset: harmless */
    s = far_apart, n = 16;
    __asm__ volatile("movw %w3, %%fs; cld; rep outsb %%fs:(%%esi), (%%dx); movw %w4, %%fs"
                     : "+S"(s), "+c"(n)
                     : "d"(PORT_SYS_CTRL_A), "r"(SEL_FS_TEST), "r"(SEL_DATA)
                     : "memory");
    if (n != 0 || s != far_apart + 16 || inb(PORT_SYS_CTRL_A) != quiet) {
        check_fail(res, "fs: rep outsb to 0x92: ECX %u, port 0x%02x", n, inb(PORT_SYS_CTRL_A));
        return false;
    }
    return true;
}

static bool ins_through_page_tables(struct check_result *res)
{
    static u8 target[16];
    u32 pa = (u32)target, la = WINDOW_LA + (pa & (TWO_MIB - 1)), n = sizeof(target);
    void *d = (void *)la;
    u8 want = inb(PORT_SYS_CTRL_A);

    memset(target, want ^ 0xFF, sizeof(target));
    paging_pae_on(WINDOW_LA, pa & ~(TWO_MIB - 1));
    __asm__ volatile("cld; rep insb" : "+D"(d), "+c"(n) : "d"(PORT_SYS_CTRL_A) : "memory");
    paging_off();
    if (target[0] != want || target[15] != want) {
        check_fail(res, "rep insb through a paged window: 0x%02x .. 0x%02x, want 0x%02x",
                   target[0], target[15], want);
        return false;
    }
    return true;
}

void check_io_string(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    struct acpi_s5_info a;
    char why[96];

    if (!acpi_find_s5(&a, why, sizeof(why))) {
        check_fail(res, "ACPI: %s", why);
        return;
    }
    u16 pm1 = (u16)a.pm1a_cnt;
    if (!ins_from_0x92(res) || !ins_from_pm1(res, pm1) || !outs_to_watched_ports(res, pm1) ||
        !ins_through_page_tables(res))
        return;
    check_note(res, "0x92 and PM1a_CNT 0x%x", pm1);
}
