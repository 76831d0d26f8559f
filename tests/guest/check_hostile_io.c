/**
 * @file tests/guest/check_hostile_io.c
 * @brief hostile-io-abuse: every port bookvisor hooks, at every width and straddling offset.
 *
 * The ports bookvisor intercepts are the PCI configuration ports (0xCF8,
 * 0xCFC-0xCFF, when it routes any function), the concealed functions' I/O
 * BARs (`hostile.io-dark=PORT/LEN,...`, hex), and the ports that could sleep
 * or reset the machine (PM1a_CNT from the FADT, SMI_CMD, 0x60, 0x64, 0x92,
 * 0xCF9). For each, every IN of 1, 2 and 4 bytes that starts up to three
 * ports below it or anywhere inside it is made: nothing stops, and every
 * byte that falls in a concealed BAR reads 0xFF. Then the same OUTs, with
 * values that change nothing (each lane gets what a byte read of it gives;
 * 0xCF9, 0x92 and PM1a_CNT never a reset or sleep bit; the keyboard
 * controller and SMI_CMD are only read).
 * Afterwards configuration space still answers through 0xCF8/0xCFC as
 * before, and a concealed BAR still reads all ones.
 */
#include "acpi.h"
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "pci_util.h"
#include "select.h"

#define MAX_RANGES 16
#define MAX_DARK 8

struct port_range {
    u16 port, count;
    bool writable; /* lanes may be written back with what they read */
};

struct dark_bar {
    u32 port, len;
};

static struct dark_bar dark[MAX_DARK];
static u32 ndark;

static bool lane_dark(u32 lane)
{
    for (u32 i = 0; i < ndark; i++)
        if (lane >= dark[i].port && lane < dark[i].port + dark[i].len)
            return true;
    return false;
}

static u32 in_width(u16 port, u32 width)
{
    return width == 4 ? inl(port) : width == 2 ? inw(port) : inb(port);
}

static void out_width(u16 port, u32 width, u32 value)
{
    if (width == 4)
        outl(port, value);
    else if (width == 2)
        outw(port, (u16)value);
    else
        outb(port, (u8)value);
}

/* Ports whose lanes must never be written: a command or an SMI, whatever the value. */
static bool lane_unwritable(u32 lane, u16 smi_cmd)
{
    return lane == 0x60 || lane == 0x64 || (smi_cmd && lane == smi_cmd);
}

static u16 pm1a_cnt;

/*
 * What a lane may be given: what a byte read of it gives (a wide read at an
 * odd port need not show each lane's register), without 0x92's reset bit,
 * 0xCF9's reset bits or PM1a_CNT's SLP_EN (bit 13, which reads as 0 on
 * hardware but not on every emulator).
 */
static u8 harmless(u32 lane)
{
    if (lane == 0xCF9 || lane_dark(lane))
        return 0;
    u8 read = inb((u16)lane);
    if (lane == 0x92)
        return (u8)(read & ~1u);
    if (lane == (u32)pm1a_cnt + 1)
        return (u8)(read & ~0x20u);
    return read;
}

static bool abuse(const struct port_range *r, u16 smi_cmd, struct check_result *res, u32 *ins,
                  u32 *outs)
{
    static const u32 widths[] = { 1, 2, 4 };
    u32 first = r->port >= 3 ? r->port - 3u : 0;

    for (u32 start = first; start < (u32)r->port + r->count; start++) {
        for (u32 w = 0; w < 3; w++) {
            u32 width = widths[w];
            if (start + width > 0x10000)
                continue;
            u32 v = in_width((u16)start, width);
            (*ins)++;
            for (u32 i = 0; i < width; i++) {
                if (lane_dark(start + i) && ((v >> (8 * i)) & 0xFF) != 0xFF) {
                    check_fail(res, "%u-byte IN at 0x%x: port 0x%x of a concealed BAR reads "
                               "0x%02x", width, start, start + i, (v >> (8 * i)) & 0xFF);
                    return false;
                }
            }
            bool writable = r->writable;
            u32 out = 0;
            for (u32 i = 0; i < width; i++)
                writable &= !lane_unwritable(start + i, smi_cmd);
            for (u32 i = 0; writable && i < width; i++)
                out |= (u32)harmless(start + i) << (8 * i);
            if (writable) {
                out_width((u16)start, width, out);
                (*outs)++;
            }
        }
    }
    return true;
}

/* `hostile.io-dark=c000/40,c040/40`: concealed I/O BARs (hex port/length). */
static bool parse_dark(const char *cmdline, struct check_result *res)
{
    u32 len = 0;
    const char *v = cmdline_value(cmdline, "hostile.io-dark=", &len);

    ndark = 0;
    for (u32 i = 0; v && i < len;) {
        u32 start = i, slash = 0;
        while (i < len && v[i] != ',') {
            if (v[i] == '/')
                slash = i;
            i++;
        }
        if (!slash || ndark == MAX_DARK || slash - start > 4 || i - slash - 1 > 4 ||
            !parse_hex(v + start, slash - start, &dark[ndark].port) ||
            !parse_hex(v + slash + 1, i - slash - 1, &dark[ndark].len)) {
            check_fail(res, "hostile.io-dark: want PORT/LEN,... in hex");
            return false;
        }
        ndark++;
        i++;
    }
    return true;
}

void check_hostile_io_abuse(const struct check_context *ctx, struct check_result *res)
{
    const char *cmdline = ctx->boot->has_cmdline ? ctx->boot->cmdline : "";
    struct acpi_s5_info a;
    char why[96];
    struct port_range ranges[MAX_RANGES];
    u32 n = 0, ins = 0, outs = 0;

    if (!parse_dark(cmdline, res))
        return;
    if (!acpi_find_s5(&a, why, sizeof(why))) {
        check_fail(res, "ACPI: %s", why);
        return;
    }
    pm1a_cnt = (u16)a.pm1a_cnt;
    ranges[n++] = (struct port_range){ pm1a_cnt, 2, true };
    if (a.smi_cmd)
        ranges[n++] = (struct port_range){ (u16)a.smi_cmd, 1, true };
    ranges[n++] = (struct port_range){ 0x60, 1, false };
    ranges[n++] = (struct port_range){ 0x64, 1, false };
    ranges[n++] = (struct port_range){ 0x92, 1, true };
    ranges[n++] = (struct port_range){ 0xCF8, 8, true };
    for (u32 i = 0; i < ndark && n < MAX_RANGES; i++)
        ranges[n++] = (struct port_range){ (u16)dark[i].port, (u16)dark[i].len, true };

    /* Configuration space before: the host bridge's IDs, by the ports. */
    outl(0xCF8, 0x80000000u);
    u32 id = inl(0xCFC);
    for (u32 i = 0; i < n; i++) {
        /* The data ports answer for a register that writes cannot change. */
        outl(0xCF8, 0x80000000u);
        if (!abuse(&ranges[i], (u16)a.smi_cmd, res, &ins, &outs))
            return;
    }
    outl(0xCF8, 0x80000000u);
    if (inl(0xCF8) != 0x80000000u || inl(0xCFC) != id) {
        check_fail(res, "afterwards 0xCF8 reads 0x%08x and 00:00.0 0x%08x (was 0x%08x)",
                   inl(0xCF8), inl(0xCFC), id);
        return;
    }
    if (ndark && inl((u16)dark[0].port) != 0xFFFFFFFFu) {
        check_fail(res, "afterwards the concealed BAR at 0x%x reads 0x%08x", dark[0].port,
                   inl((u16)dark[0].port));
        return;
    }
    check_note(res, "%u port ranges: %u INs, %u OUTs", n, ins, outs);
}
