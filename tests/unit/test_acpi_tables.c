/*
 * Unit tests for common/base/acpi_tables.c over hand-made tables.
 * unit-sources: common/base/acpi_tables.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "common/base/acpi_tables.h"
#include "tests/unit/unit_main.h"

static void fix_checksum(u8 *t, size_t len, size_t at)
{
    t[at] = 0;
    t[at] = (u8)(0x100 - acpi_checksum(t, len));
}

static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }

START_TEST(rsdp_v1_and_v2)
{
    u8 r[36] = "RSD PTR ";
    bool x;
    put32(r + 16, 0x7FE1234);
    fix_checksum(r, 20, 8);
    ck_assert_uint_eq(acpi_rsdp_root(r, 20, &x), 0x7FE1234);
    ck_assert(!x);
    r[15] = 2;
    put32(r + 20, 36);
    put64(r + 24, 0x7FE5000);
    fix_checksum(r, 20, 8);
    fix_checksum(r, 36, 32);
    ck_assert_uint_eq(acpi_rsdp_root(r, 36, &x), 0x7FE5000);
    ck_assert(x);
    r[3] = 'X';
    ck_assert_uint_eq(acpi_rsdp_root(r, 36, &x), 0);
}
END_TEST

START_TEST(fadt_fields)
{
    u8 f[244];
    memset(f, 0, sizeof(f));
    memcpy(f, "FACP", 4);
    put32(f + 4, sizeof(f));
    put32(f + 40, 0x7FE0040);  /* DSDT */
    put32(f + 48, 0xB2);       /* SMI_CMD */
    f[52] = 0xF1;              /* ACPI_ENABLE */
    put32(f + 64, 0xB004);     /* PM1a_CNT */
    struct acpi_power_info pi;
    memset(&pi, 0, sizeof(pi));
    ck_assert(acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert_uint_eq(pi.pm1a_cnt, 0xB004);
    ck_assert_uint_eq(pi.pm1b_cnt, 0);
    ck_assert_uint_eq(pi.smi_cmd, 0xB2);
    ck_assert_uint_eq(pi.acpi_enable, 0xF1);
    ck_assert_uint_eq(pi.dsdt, 0x7FE0040);
    /* X_PM1a_CNT (I/O space) and X_DSDT win when present */
    f[172] = 1;
    put64(f + 176, 0x604);
    put64(f + 140, 0x100000000ULL);
    ck_assert(acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert_uint_eq(pi.pm1a_cnt, 0x604);
    ck_assert_uint_eq(pi.dsdt, 0x100000000ULL);
    /* The PM timer: 24 bits unless TMR_VAL_EXT; X_PM_TMR_BLK wins. */
    ck_assert_uint_eq(pi.pm_tmr, 0);
    put32(f + 76, 0xB008);
    ck_assert(acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert_uint_eq(pi.pm_tmr, 0xB008);
    ck_assert_uint_eq(pi.pm_tmr_bits, 24);
    put32(f + 112, 1u << 8);
    f[208] = 1;
    put64(f + 212, 0x608);
    ck_assert(acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert_uint_eq(pi.pm_tmr, 0x608);
    ck_assert_uint_eq(pi.pm_tmr_bits, 32);
    memcpy(f, "APIC", 4);
    ck_assert(!acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert(!acpi_parse_fadt(f, 40, &pi));
}
END_TEST

START_TEST(s5_forms)
{
    /* Name(_S5, Package(4){5, 5, 0, 0}) with BytePrefix; then ZeroOp forms. */
    u8 d[64];
    memset(d, 0, sizeof(d));
    memcpy(d, "DSDT", 4);
    const u8 aml1[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0A, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00 };
    memcpy(d + 40, aml1, sizeof(aml1));
    struct acpi_power_info pi;
    memset(&pi, 0, sizeof(pi));
    ck_assert(acpi_find_sleep_types(d, sizeof(d), &pi));
    ck_assert(acpi_s5_known(&pi));
    ck_assert_uint_eq(pi.slp_typ_a[5], 5);
    ck_assert_uint_eq(pi.slp_typ_b[5], 5);

    const u8 aml2[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x00, 0x01 };
    memset(d + 36, 0, sizeof(d) - 36);
    memcpy(d + 40, aml2, sizeof(aml2));
    memset(&pi, 0, sizeof(pi));
    ck_assert(acpi_find_sleep_types(d, sizeof(d), &pi));
    ck_assert_uint_eq(pi.slp_typ_a[5], 0);
    ck_assert_uint_eq(pi.slp_typ_b[5], 1);

    /* A name that is not a NameOp definition, and a truncated package. */
    const u8 aml3[] = { 0x70, '_', 'S', '5', '_', 0x12 };
    memset(d + 36, 0, sizeof(d) - 36);
    memcpy(d + 40, aml3, sizeof(aml3));
    memset(&pi, 0, sizeof(pi));
    ck_assert(!acpi_find_sleep_types(d, sizeof(d), &pi));
    ck_assert(!acpi_find_sleep_types(d, 46, &pi));
    ck_assert_uint_eq(pi.sleep_found, 0);
}
END_TEST

/* QEMU's DSDT style: \_S3 and \_S4 next to \_S5, each found with its own value;
 * a second \_S3 later does not replace the first. */
START_TEST(sleep_states_s1_to_s5)
{
    u8 d[96];
    memset(d, 0, sizeof(d));
    memcpy(d, "DSDT", 4);
    const u8 aml[] = { 0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00,
                       0x08, '_', 'S', '4', '_', 0x12, 0x08, 0x04, 0x0A, 0x02, 0x0A, 0x02, 0x00, 0x00,
                       0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
                       0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x0A, 0x07, 0x00, 0x00 };
    memcpy(d + 36, aml, sizeof(aml));
    struct acpi_power_info pi;
    memset(&pi, 0, sizeof(pi));
    ck_assert(acpi_find_sleep_types(d, sizeof(d), &pi));
    ck_assert_uint_eq(pi.sleep_found, (1u << 3) | (1u << 4) | (1u << 5));
    ck_assert_uint_eq(pi.slp_typ_a[3], 1);
    ck_assert_uint_eq(pi.slp_typ_a[4], 2);
    ck_assert_uint_eq(pi.slp_typ_a[5], 0);
    /* without \_S5 the answer is false, but the others are kept */
    memset(&pi, 0, sizeof(pi));
    ck_assert(!acpi_find_sleep_types(d, 36 + 26, &pi));
    ck_assert_uint_eq(pi.sleep_found, (1u << 3) | (1u << 4));
}
END_TEST

/* FADT 2.0+: the reset register (I/O port 0xCF9, value 6, as QEMU has it), only
 * with the RESET_REG_SUP flag; PM1_CNT_LEN. */
START_TEST(fadt_reset_register)
{
    u8 f[244];
    memset(f, 0, sizeof(f));
    memcpy(f, "FACP", 4);
    put32(f + 4, sizeof(f));
    put32(f + 64, 0x604);
    f[89] = 2;
    f[116] = 1;              /* I/O space */
    f[117] = 8;              /* bit width */
    put64(f + 120, 0xCF9);
    f[128] = 6;
    struct acpi_power_info pi;
    memset(&pi, 0, sizeof(pi));
    ck_assert(acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert(!pi.reset_valid); /* RESET_REG_SUP clear */
    ck_assert_uint_eq(pi.pm1_cnt_len, 2);
    put32(f + 112, 1u << 10);
    ck_assert(acpi_parse_fadt(f, sizeof(f), &pi));
    ck_assert(pi.reset_valid);
    ck_assert_uint_eq(pi.reset_space, ACPI_SPACE_IO);
    ck_assert_uint_eq(pi.reset_addr, 0xCF9);
    ck_assert_uint_eq(pi.reset_value, 6);
    /* an ACPI 1.0 FADT is too short to have one */
    put32(f + 4, 116);
    ck_assert(acpi_parse_fadt(f, 116, &pi));
    ck_assert(!pi.reset_valid);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("acpi_tables");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, rsdp_v1_and_v2);
    tcase_add_test(tc, fadt_fields);
    tcase_add_test(tc, s5_forms);
    tcase_add_test(tc, sleep_states_s1_to_s5);
    tcase_add_test(tc, fadt_reset_register);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
