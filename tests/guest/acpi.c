/**
 * @file tests/guest/acpi.c
 * @brief Walking RSDP -> RSDT/XSDT -> FADT -> DSDT with paging off.
 */
#include "acpi.h"
#include "aml_s5.h"
#include "cpu.h"
#include "gstring.h"
#include "print.h"

#define EBDA_SEGMENT_PTR 0x40E
#define EBDA_SCAN_BYTES 1024
#define BIOS_AREA_START 0xE0000
#define BIOS_AREA_END 0x100000
#define RSDP_V1_SIZE 20
#define RSDP_V2_SIZE 36
#define SDT_HEADER_SIZE 36
#define MAX_TABLE_SIZE (4 * 1024 * 1024) /* sanity bound for a DSDT */

/* FADT field offsets (ACPI spec, table "FADT format"). */
#define FADT_DSDT 40
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT 172
#define FADT_X_PM1B_CNT 184
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_RESET_REG_SUP (1u << 10)
#define GAS_SIZE 12
#define GAS_SPACE_IO 1

#define PM1_SCI_EN (1u << 0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN (1u << 13)
/* ACPI gives firmware up to a few seconds to switch modes; each poll is a
 * port read of about 1 us on real hardware. */
#define SCI_EN_POLLS 3000000u
#define AFTER_SLEEP_POLLS 3000000u

static u32 rd32(u32 addr)
{
    return *(const volatile u32 *)addr;
}

static u64 rd64(u32 addr)
{
    return rd32(addr) | ((u64)rd32(addr + 4) << 32);
}

static bool checksum_ok(u32 addr, u32 length)
{
    const volatile u8 *p = (const volatile u8 *)addr;
    u8 sum = 0;
    for (u32 i = 0; i < length; i++)
        sum = (u8)(sum + p[i]);
    return sum == 0;
}

static u32 scan_rsdp(u32 start, u32 end)
{
    for (u32 a = start; a + RSDP_V1_SIZE <= end; a += 16) {
        if (memcmp((const void *)a, "RSD PTR ", 8) != 0)
            continue;
        if (!checksum_ok(a, RSDP_V1_SIZE))
            continue;
        u8 revision = *(const volatile u8 *)(a + 15);
        if (revision >= 2 && !checksum_ok(a, RSDP_V2_SIZE))
            continue;
        return a;
    }
    return 0;
}

static u32 find_rsdp(void)
{
    u32 ebda = (u32)phys_read16(EBDA_SEGMENT_PTR) << 4;
    u32 found = 0;
    if (ebda >= 0x400 && ebda < BIOS_AREA_START)
        found = scan_rsdp(ebda, ebda + EBDA_SCAN_BYTES);
    if (!found)
        found = scan_rsdp(BIOS_AREA_START, BIOS_AREA_END);
    return found;
}

/* A table we can reach, of sane size, with a good checksum. */
static bool table_ok(u64 addr, const char *signature)
{
    if (addr == 0 || addr + SDT_HEADER_SIZE > FOUR_GIB)
        return false;
    u32 a = (u32)addr;
    u32 length = rd32(a + 4);
    if (signature && memcmp((const void *)a, signature, 4) != 0)
        return false;
    if (length < SDT_HEADER_SIZE || length > MAX_TABLE_SIZE || addr + length > FOUR_GIB)
        return false;
    return checksum_ok(a, length);
}

/*
 * Walk XSDT (8-byte entries) or RSDT (4-byte entries) for a table with
 * this signature. Returns 0 when there is none; *why then says what is
 * missing (*why untouched on success).
 */
static u32 find_table(u32 rsdp, const char *signature, char *why, u32 why_size)
{
    u8 revision = *(const volatile u8 *)(rsdp + 15);
    u64 xsdt = revision >= 2 ? rd64(rsdp + 24) : 0;
    u32 rsdt = rd32(rsdp + 16);
    u64 root;
    u32 entry_size;

    if (table_ok(xsdt, "XSDT")) {
        root = xsdt;
        entry_size = 8;
    } else if (table_ok(rsdt, "RSDT")) {
        root = rsdt;
        entry_size = 4;
    } else {
        gsnprintf(why, why_size, "no valid RSDT/XSDT (RSDP at 0x%x)", rsdp);
        return 0;
    }
    u32 length = rd32((u32)root + 4);
    for (u32 off = SDT_HEADER_SIZE; off + entry_size <= length; off += entry_size) {
        u32 entry = (u32)root + off;
        u64 table = entry_size == 8 ? rd64(entry) : rd32(entry);
        if (table_ok(table, signature))
            return (u32)table;
    }
    char name[5] = { signature[0], signature[1], signature[2], signature[3], 0 };
    gsnprintf(why, why_size, "no valid %s in %s", name, entry_size == 8 ? "XSDT" : "RSDT");
    return 0;
}

static u32 find_fadt(u32 rsdp, char *why, u32 why_size)
{
    return find_table(rsdp, "FACP", why, why_size);
}

u32 acpi_find_table(const char *signature)
{
    char why[80];
    u32 rsdp = find_rsdp();
    return rsdp ? find_table(rsdp, signature, why, sizeof(why)) : 0;
}

/* The 32-bit port field, or the I/O-space extended one if that is all there is. */
static u32 pm1_port(u32 fadt, u32 fadt_length, u32 legacy_off, u32 gas_off)
{
    u32 port = rd32(fadt + legacy_off);
    if (port == 0 && fadt_length >= gas_off + GAS_SIZE &&
        *(const volatile u8 *)(fadt + gas_off) == GAS_SPACE_IO)
        port = (u32)rd64(fadt + gas_off + 4);
    return port;
}

bool acpi_find_s5(struct acpi_s5_info *info, char *why, u32 why_size)
{
    memset(info, 0, sizeof(*info));
    u32 rsdp = find_rsdp();
    if (!rsdp) {
        gsnprintf(why, why_size, "no RSDP in EBDA or 0xE0000-0xFFFFF");
        return false;
    }
    u32 fadt = find_fadt(rsdp, why, why_size);
    if (!fadt)
        return false;
    u32 fadt_length = rd32(fadt + 4);

    info->pm1a_cnt = pm1_port(fadt, fadt_length, FADT_PM1A_CNT, FADT_X_PM1A_CNT);
    info->pm1b_cnt = pm1_port(fadt, fadt_length, FADT_PM1B_CNT, FADT_X_PM1B_CNT);
    info->smi_cmd = rd32(fadt + FADT_SMI_CMD);
    info->acpi_enable = *(const volatile u8 *)(fadt + FADT_ACPI_ENABLE);
    if (info->pm1a_cnt == 0 || info->pm1a_cnt > 0xFFFF) {
        gsnprintf(why, why_size, "FADT has no usable PM1a_CNT (0x%x)", info->pm1a_cnt);
        return false;
    }
    if (info->pm1b_cnt > 0xFFFF)
        info->pm1b_cnt = 0;

    u64 dsdt = 0;
    if (fadt_length >= FADT_X_DSDT + 8)
        dsdt = rd64(fadt + FADT_X_DSDT);
    if (!table_ok(dsdt, "DSDT"))
        dsdt = rd32(fadt + FADT_DSDT);
    if (!table_ok(dsdt, "DSDT")) {
        gsnprintf(why, why_size, "no valid DSDT");
        return false;
    }
    u32 dsdt_length = rd32((u32)dsdt + 4);
    for (u32 n = 1; n <= 4; n++) {
        u8 b;
        if (aml_find_sleep_type((const u8 *)(u32)dsdt + SDT_HEADER_SIZE,
                                dsdt_length - SDT_HEADER_SIZE, n, &info->sleep_typa[n], &b))
            info->sleep_found |= (u8)(1u << n);
    }
    /* ACPI 2.0+: the reset register, when the flags say it is there (I/O space only). */
    if (fadt_length > FADT_RESET_VALUE && (rd32(fadt + FADT_FLAGS) & FADT_RESET_REG_SUP) &&
        *(const volatile u8 *)(fadt + FADT_RESET_REG) == GAS_SPACE_IO) {
        info->reset_reg = true;
        info->reset_port = (u16)rd64(fadt + FADT_RESET_REG + 4);
        info->reset_value = *(const volatile u8 *)(fadt + FADT_RESET_VALUE);
    }
    if (!aml_find_s5((const u8 *)(u32)dsdt + SDT_HEADER_SIZE, dsdt_length - SDT_HEADER_SIZE,
                     &info->slp_typa, &info->slp_typb)) {
        gsnprintf(why, why_size, "no \\_S5_ package in the DSDT");
        return false;
    }
    return true;
}

static void enable_acpi_mode(const struct acpi_s5_info *info)
{
    if (inw((u16)info->pm1a_cnt) & PM1_SCI_EN)
        return;
    if (info->smi_cmd == 0 || info->smi_cmd > 0xFFFF || info->acpi_enable == 0)
        return; /* nothing we can do; try anyway */
    outb((u16)info->smi_cmd, info->acpi_enable);
    for (u32 i = 0; i < SCI_EN_POLLS; i++) {
        if (inw((u16)info->pm1a_cnt) & PM1_SCI_EN)
            return;
    }
    gprintf("guest: acpi: SCI_EN still clear after ACPI_ENABLE\n");
}

void acpi_enter_s5(const struct acpi_s5_info *info)
{
    enable_acpi_mode(info);
    outw((u16)info->pm1a_cnt, (u16)(((info->slp_typa & 7u) << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
    if (info->pm1b_cnt)
        outw((u16)info->pm1b_cnt, (u16)(((info->slp_typb & 7u) << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN));
    /* Power does not drop instantly on real machines. */
    for (u32 i = 0; i < AFTER_SLEEP_POLLS; i++)
        (void)inw((u16)info->pm1a_cnt);
}
