/**
 * @file tests/guest/check_power.c
 * @brief The guest tries to sleep or reset the machine behind bookvisor's back.
 *
 * Named only (`tests=power power.try=WAY`): each way hands the machine back to
 * the firmware, so bookvisor must stop the guest first and report it; the
 * emulator test expects that report. If the write returns and the machine goes
 * on, the check fails. WAY is one of:
 *
 * - `s3`, `s4`: SLP_TYP of \_S3 (\_S4) with SLP_EN, a word write to PM1a_CNT
 *   (a type no \_S5 uses when the tables have no such package);
 * - `s3-byte`: the same through the register's high byte alone;
 * - `s3-dword`: a dword write two ports below, whose upper half is PM1a_CNT;
 * - `cf9`: the reset control register (0x02, then 0x06);
 * - `kbc`: keyboard controller command 0xFE (pulse the reset line);
 * - `kbc-d1`: command 0xD1, then an output-port byte with the reset bit low;
 * - `port92`: System Control Port A's fast reset bit;
 * - `fadt-reset`: the FADT's reset value to its reset register;
 * - `port92-word`, `cf9-word`, `kbc-word`: the same resets by a word write that
 *   starts one port below the register (0x91, 0xCF8, 0x63), its high byte the
 *   reset value;
 * - `port92-outs`: `rep outsb` to 0x92 whose third byte sets the reset bit.
 */
#include "acpi.h"
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "select.h"

#define PM1_SLP_EN (1u << 13)
#define PM1_SLP_TYP_SHIFT 10
#define SPIN_AFTER 2000000u

/* A sleep type for state n: \_Sn's, or one that \_S5 does not use. */
static u8 sleep_type(const struct acpi_s5_info *a, u32 n)
{
    if ((a->sleep_found >> n) & 1)
        return a->sleep_typa[n];
    return (u8)((a->slp_typa + 1) & 7);
}

static void kbc_wait_input_empty(void)
{
    for (u32 i = 0; i < 100000 && (inb(0x64) & 2); i++)
        cpu_relax();
}

void check_power_escape(const struct check_context *ctx, struct check_result *res)
{
    u32 len = 0;
    const char *way = cmdline_value(ctx->boot->cmdline, "power.try=", &len);
    char why[96];
    struct acpi_s5_info a;
    if (!way || len == 0) {
        check_fail(res, "no power.try= on the command line");
        return;
    }
    if (!acpi_find_s5(&a, why, sizeof(why))) {
        check_fail(res, "ACPI: %s", why);
        return;
    }
    u16 pm1 = (u16)a.pm1a_cnt;
    u16 keep = (u16)(inw(pm1) & 1); /* SCI_EN stays as it is */
#define WAY(name) (len == sizeof(name) - 1 && memcmp(way, name, len) == 0)
    if (WAY("s3")) {
        outw(pm1, (u16)(keep | (sleep_type(&a, 3) << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
    } else if (WAY("s4")) {
        outw(pm1, (u16)(keep | (sleep_type(&a, 4) << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
    } else if (WAY("s3-byte")) {
        outb((u16)(pm1 + 1), (u8)(((sleep_type(&a, 3) << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN) >> 8));
    } else if (WAY("s3-dword")) {
        u32 below = inw((u16)(pm1 - 2)); /* PM1_EN on the chipsets we know: written back as is */
        outl((u16)(pm1 - 2), below | ((u32)(keep | (sleep_type(&a, 3) << PM1_SLP_TYP_SHIFT) |
                                            PM1_SLP_EN) << 16));
    } else if (WAY("cf9")) {
        outb(0xCF9, 0x02);
        outb(0xCF9, 0x06);
    } else if (WAY("kbc")) {
        kbc_wait_input_empty();
        outb(0x64, 0xFE);
    } else if (WAY("kbc-d1")) {
        kbc_wait_input_empty();
        outb(0x64, 0xD1);
        kbc_wait_input_empty();
        outb(0x60, 0xDE); /* A20 on, reset line (bit 0) low */
    } else if (WAY("port92")) {
        outb(0x92, (u8)(inb(0x92) | 1));
    } else if (WAY("port92-word")) {
        outw(0x91, (u16)(inb(0x91) | (inb(0x92) | 1) << 8));
    } else if (WAY("cf9-word")) {
        outw(0xCF8, 0x0600);
    } else if (WAY("kbc-word")) {
        kbc_wait_input_empty();
        outw(0x63, 0xFE00);
    } else if (WAY("port92-outs")) {
        u8 quiet = (u8)(inb(0x92) & ~1u);
        u8 bytes[3] = { quiet, quiet, (u8)(quiet | 1) };
        const void *s = bytes;
        u32 n = 3;
        __asm__ volatile("cld; rep outsb" : "+S"(s), "+c"(n) : "d"(0x92) : "memory");
    } else if (WAY("fadt-reset")) {
        if (!a.reset_reg) {
            check_fail(res, "the FADT names no I/O reset register");
            return;
        }
        outb(a.reset_port, a.reset_value);
    } else {
        check_fail(res, "unknown power.try= value");
        return;
    }
#undef WAY
    for (u32 i = 0; i < SPIN_AFTER; i++)
        cpu_relax();
    check_fail(res, "the machine went on after the request: bookvisor did not stop it");
}
