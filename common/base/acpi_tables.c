/*
 * common/base/acpi_tables.c - FADT fields and the sleep types of \_S1 to \_S5.
 */
#include "common/base/acpi_tables.h"
#include "common/lib/kstring.h"

static u16 rd16(const u8 *p) { return (u16)(p[0] | (p[1] << 8)); }
static u32 rd32(const u8 *p) { return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24); }
static u64 rd64(const u8 *p) { return rd32(p) | ((u64)rd32(p + 4) << 32); }

u8 acpi_checksum(const void *p, size_t len)
{
    const u8 *b = p;
    u8 sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (u8)(sum + b[i]);
    return sum;
}

u64 acpi_rsdp_root(const u8 *rsdp, size_t len, bool *xsdt_out)
{
    *xsdt_out = false;
    if (len < 20 || KSTR(memcmp)(rsdp, "RSD PTR ", 8) != 0 || acpi_checksum(rsdp, 20) != 0)
        return 0;
    u8 revision = rsdp[15];
    if (revision >= 2 && len >= 36) {
        u32 length = rd32(rsdp + 20);
        u64 xsdt = rd64(rsdp + 24);
        if (length >= 36 && length <= len && acpi_checksum(rsdp, length) == 0 && xsdt) {
            *xsdt_out = true;
            return xsdt;
        }
    }
    return rd32(rsdp + 16);
}

/* FADT offsets (ACPI spec, "Fixed ACPI Description Table"). */
enum {
    FADT_DSDT = 40, FADT_SMI_CMD = 48, FADT_ACPI_ENABLE = 52,
    FADT_PM1A_CNT = 64, FADT_PM1B_CNT = 68, FADT_PM_TMR = 76, FADT_PM1_CNT_LEN = 89,
    FADT_FLAGS = 112, FADT_RESET_REG = 116, FADT_RESET_VALUE = 128,
    FADT_X_DSDT = 140, FADT_X_PM1A_CNT = 172, FADT_X_PM1B_CNT = 184, FADT_X_PM_TMR = 208,
};
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define FADT_FLAG_TMR_VAL_EXT (1u << 8)

bool acpi_parse_fadt(const u8 *fadt, size_t len, struct acpi_power_info *out)
{
    if (len < 72 || KSTR(memcmp)(fadt, "FACP", 4) != 0)
        return false;
    u32 table_len = rd32(fadt + 4);
    if (table_len < len)
        len = table_len;
    out->dsdt = rd32(fadt + FADT_DSDT);
    out->smi_cmd = rd32(fadt + FADT_SMI_CMD);
    out->acpi_enable = fadt[FADT_ACPI_ENABLE];
    out->pm1a_cnt = (u16)rd32(fadt + FADT_PM1A_CNT);
    out->pm1b_cnt = (u16)rd32(fadt + FADT_PM1B_CNT);
    /* ACPI 2.0+: 64-bit fields win when present (address space 1 = I/O). */
    if (len >= FADT_X_DSDT + 8 && rd64(fadt + FADT_X_DSDT))
        out->dsdt = rd64(fadt + FADT_X_DSDT);
    if (len >= FADT_X_PM1A_CNT + 12 && fadt[FADT_X_PM1A_CNT] == 1 && rd64(fadt + FADT_X_PM1A_CNT + 4))
        out->pm1a_cnt = (u16)rd64(fadt + FADT_X_PM1A_CNT + 4);
    if (len >= FADT_X_PM1B_CNT + 12 && fadt[FADT_X_PM1B_CNT] == 1 && rd64(fadt + FADT_X_PM1B_CNT + 4))
        out->pm1b_cnt = (u16)rd64(fadt + FADT_X_PM1B_CNT + 4);
    out->pm1_cnt_len = len > FADT_PM1_CNT_LEN && fadt[FADT_PM1_CNT_LEN] >= 2 ? fadt[FADT_PM1_CNT_LEN] : 2;
    /* The PM timer (3.579545 MHz, 24 bits or with TMR_VAL_EXT 32): the clock's reference. */
    out->pm_tmr = len >= FADT_PM_TMR + 4 ? (u16)rd32(fadt + FADT_PM_TMR) : 0;
    if (len >= FADT_X_PM_TMR + 12 && fadt[FADT_X_PM_TMR] == 1 && rd64(fadt + FADT_X_PM_TMR + 4))
        out->pm_tmr = (u16)rd64(fadt + FADT_X_PM_TMR + 4);
    out->pm_tmr_bits = len >= FADT_FLAGS + 4 && (rd32(fadt + FADT_FLAGS) & FADT_FLAG_TMR_VAL_EXT) ? 32 : 24;
    /* ACPI 2.0+: the reset register (a Generic Address Structure) and its value. */
    out->reset_valid = false;
    if (len > FADT_RESET_VALUE && (rd32(fadt + FADT_FLAGS) & FADT_FLAG_RESET_REG_SUP) &&
        rd64(fadt + FADT_RESET_REG + 4)) {
        out->reset_valid = true;
        out->reset_space = fadt[FADT_RESET_REG];
        out->reset_addr = rd64(fadt + FADT_RESET_REG + 4);
        out->reset_value = fadt[FADT_RESET_VALUE];
    }
    out->valid = out->pm1a_cnt != 0;
    return out->valid;
}

/* Decode one small integer of a package: ZeroOp, OneOp, BytePrefix n, WordPrefix n. */
static bool aml_small_int(const u8 *p, const u8 *end, u16 *value, const u8 **next)
{
    if (p >= end)
        return false;
    switch (p[0]) {
    case 0x00: *value = 0; *next = p + 1; return true;
    case 0x01: *value = 1; *next = p + 1; return true;
    case 0x0A:
        if (p + 2 > end)
            return false;
        *value = p[1]; *next = p + 2; return true;
    case 0x0B:
        if (p + 3 > end)
            return false;
        *value = rd16(p + 1); *next = p + 3; return true;
    default:
        return false;
    }
}

/* One \_Sn package at p (its name): fill state n, return true if it parsed. */
static bool sleep_package(const u8 *dsdt, const u8 *p, const u8 *end, unsigned n,
                          struct acpi_power_info *out)
{
    /* Expect NameOp (0x08) before the name, optionally with a root prefix. */
    bool named = (p - dsdt >= 1 && p[-1] == 0x08) || (p - dsdt >= 2 && p[-1] == '\\' && p[-2] == 0x08);
    const u8 *q = p + 4;
    if (!named || q >= end || *q != 0x12) /* PackageOp */
        return false;
    q++;
    if (q >= end)
        return false;
    unsigned lead = *q;
    q += 1 + (lead >> 6); /* PkgLength: extra bytes in bits 7:6 */
    q++;                  /* NumElements */
    u16 a, b;
    const u8 *next;
    if (!aml_small_int(q, end, &a, &next))
        return false;
    if (!aml_small_int(next, end, &b, &next))
        b = a;
    out->slp_typ_a[n] = a;
    out->slp_typ_b[n] = b;
    out->sleep_found |= (u8)(1u << n);
    return true;
}

bool acpi_find_sleep_types(const u8 *dsdt, size_t len, struct acpi_power_info *out)
{
    const u8 *end = dsdt + len;
    for (const u8 *p = dsdt + 36; p + 4 <= end; p++) {
        /* "_S1_" ... "_S5_"; the first package of each name counts. */
        if (p[0] != '_' || p[1] != 'S' || p[2] < '1' || p[2] > '5' || p[3] != '_')
            continue;
        unsigned n = (unsigned)(p[2] - '0');
        if (!((out->sleep_found >> n) & 1))
            sleep_package(dsdt, p, end, n, out);
    }
    return acpi_s5_known(out);
}
