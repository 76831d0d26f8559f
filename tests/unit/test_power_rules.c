/*
 * Unit tests for common/platform/power_rules.c: every width and alignment of a
 * PM1 control write, the sleep state it asks for, and each reset path.
 * unit-sources: common/platform/power_rules.c
 */
#include <check.h>
#include <string.h>
#include "common/platform/power_rules.h"
#include "tests/unit/unit_main.h"

#define PM1A 0x604

/* QEMU's q35 tables: \_S3 = 1, \_S4 = 2, \_S5 = 0 (PM1a and PM1b alike). */
static struct acpi_power_info qemu_like(void)
{
    struct acpi_power_info pi;
    memset(&pi, 0, sizeof(pi));
    pi.valid = true;
    pi.pm1a_cnt = PM1A;
    pi.pm1_cnt_len = 2;
    pi.slp_typ_a[3] = pi.slp_typ_b[3] = 1;
    pi.slp_typ_a[4] = pi.slp_typ_b[4] = 2;
    pi.slp_typ_a[5] = pi.slp_typ_b[5] = 0;
    pi.sleep_found = (1u << 3) | (1u << 4) | (1u << 5);
    return pi;
}

static u32 sleep_word(unsigned typ)
{
    return (typ << PM1_CNT_SLP_TYP_SHIFT) | PM1_CNT_SLP_EN;
}

START_TEST(merge_every_width_and_alignment)
{
    u32 out;
    /* a word at the register */
    ck_assert(io_write_merge(PM1A, 2, 0x0001, PM1A, 2, 0x2401, &out));
    ck_assert_uint_eq(out, 0x2401);
    /* the high byte alone keeps the low byte (SCI_EN) */
    ck_assert(io_write_merge(PM1A, 2, 0x0001, PM1A + 1, 1, 0x24, &out));
    ck_assert_uint_eq(out, 0x2401);
    /* the low byte alone keeps the high byte */
    ck_assert(io_write_merge(PM1A, 2, 0x2400, PM1A, 1, 0x01, &out));
    ck_assert_uint_eq(out, 0x2401);
    /* a dword from two ports below: its upper half is the register */
    ck_assert(io_write_merge(PM1A, 2, 0x0001, PM1A - 2, 4, 0x2401FFFF, &out));
    ck_assert_uint_eq(out, 0x2401);
    /* a dword at the register: its lower half */
    ck_assert(io_write_merge(PM1A, 2, 0x0000, PM1A, 4, 0xABCD2401, &out));
    ck_assert_uint_eq(out, 0x2401);
    /* a word ending at the register's first byte */
    ck_assert(io_write_merge(PM1A, 2, 0x2000, PM1A - 1, 2, 0x01FF, &out));
    ck_assert_uint_eq(out, 0x2001);
    /* accesses that miss it */
    ck_assert(!io_write_merge(PM1A, 2, 0x0001, PM1A - 2, 2, 0xFFFF, &out));
    ck_assert(!io_write_merge(PM1A, 2, 0x0001, PM1A + 2, 4, 0xFFFFFFFF, &out));
    ck_assert_uint_eq(out, 0x0001);
}
END_TEST

START_TEST(sleep_states)
{
    struct acpi_power_info pi = qemu_like();
    ck_assert_int_eq(pm1_sleep_state(&pi, false, 0x0001), 0);              /* no SLP_EN */
    ck_assert_int_eq(pm1_sleep_state(&pi, false, 1u << 10), 0);            /* a type without SLP_EN */
    ck_assert_int_eq(pm1_sleep_state(&pi, false, sleep_word(0)), 5);
    ck_assert_int_eq(pm1_sleep_state(&pi, false, sleep_word(1)), 3);
    ck_assert_int_eq(pm1_sleep_state(&pi, false, sleep_word(2)), 4);
    ck_assert_int_eq(pm1_sleep_state(&pi, false, sleep_word(7)), -1);      /* no \_Sn says 7 */
    /* PM1b has its own types (the second package element) */
    pi.slp_typ_b[3] = 6;
    ck_assert_int_eq(pm1_sleep_state(&pi, true, sleep_word(6)), 3);
    ck_assert_int_eq(pm1_sleep_state(&pi, true, sleep_word(1)), -1);
    /* one type for S4 and S5: the deeper reading, power-off */
    pi.slp_typ_a[4] = 0;
    ck_assert_int_eq(pm1_sleep_state(&pi, false, sleep_word(0)), 5);
    /* no sleep package known at all: any sleep is unknown, never "nothing" */
    memset(pi.slp_typ_a, 0, sizeof(pi.slp_typ_a));
    pi.sleep_found = 0;
    ck_assert_int_eq(pm1_sleep_state(&pi, false, sleep_word(0)), -1);
}
END_TEST

START_TEST(reset_ports)
{
    ck_assert(!cf9_write_resets(0x02)); /* SYS_RST alone only chooses the kind */
    ck_assert(cf9_write_resets(0x06));
    ck_assert(cf9_write_resets(0x0E));
    ck_assert(!port92_write_resets(0x02, 0x02)); /* A20 only */
    ck_assert(port92_write_resets(0x02, 0x03));
    ck_assert(!port92_write_resets(0x03, 0x03)); /* already set: no edge */
    struct kbc_watch w = { false };
    ck_assert(kbc_write_resets(&w, 0x64, 0xFE));
    ck_assert(kbc_write_resets(&w, 0x64, 0xF0));
    ck_assert(!kbc_write_resets(&w, 0x64, 0xFF)); /* pulses nothing */
    ck_assert(!kbc_write_resets(&w, 0x64, 0xAE)); /* enable keyboard */
    ck_assert(!kbc_write_resets(&w, 0x60, 0xFE)); /* data for the keyboard, not a command */
    /* 0xD1: the next data byte is the output port; bit 0 clear resets */
    ck_assert(!kbc_write_resets(&w, 0x64, 0xD1));
    ck_assert(!kbc_write_resets(&w, 0x60, 0xDF)); /* A20 on, reset line high */
    ck_assert(!kbc_write_resets(&w, 0x60, 0xDE)); /* the 0xD1 was used up */
    ck_assert(!kbc_write_resets(&w, 0x64, 0xD1));
    ck_assert(kbc_write_resets(&w, 0x60, 0xDE));
    /* another command in between cancels the 0xD1 */
    ck_assert(!kbc_write_resets(&w, 0x64, 0xD1));
    ck_assert(!kbc_write_resets(&w, 0x64, 0xAE));
    ck_assert(!kbc_write_resets(&w, 0x60, 0xDE));
}
END_TEST

/* Every width at every offset that reaches port 0x92 (and some that do not). */
START_TEST(lanes_of_wide_writes)
{
    u8 byte = 0;
    for (u16 port = 0x8C; port <= 0x93; port++) {
        for (u8 size = 1; size <= 4; size *= 2) {
            bool covers = port <= 0x92 && port + size > 0x92;
            ck_assert_int_eq(io_lane_byte(port, size, 0x44332211, 0x92, &byte), covers);
            if (covers)
                ck_assert_uint_eq(byte, 0x11 + 0x11 * (0x92 - port));
        }
    }
    /* A word at 0x91 with bit 0 of its high byte set is a fast reset of port 0x92. */
    ck_assert(io_lane_byte(0x91, 2, 0x0100, 0x92, &byte));
    ck_assert(port92_write_resets(0x02, byte | 0x02));
    ck_assert(io_is_pci_config_address(0xCF8, 4));
    ck_assert(!io_is_pci_config_address(0xCF8, 2));
    ck_assert(!io_is_pci_config_address(0xCF9, 4));
    ck_assert(!io_is_pci_config_address(0xCF7, 4));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("power_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, merge_every_width_and_alignment);
    tcase_add_test(tc, sleep_states);
    tcase_add_test(tc, reset_ports);
    tcase_add_test(tc, lanes_of_wide_writes);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
