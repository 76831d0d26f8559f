/*
 * Unit tests for common/loader/bios_boot.c: the real-mode start-up of BIOS
 * chain boot lands where it runs, with its parameters, and the vCPU starts
 * there in real mode; failures read as the BIOS's own words.
 * unit-sources: common/loader/bios_boot.c common/loader/bios_boot_code.S common/loader/loader.c common/vm/vcpu_state.c common/base/vmm_layout.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "common/loader/bios_boot.h"
#include "common/vm/vcpu_state.h"
#include "tests/unit/unit_main.h"

#define RAM_BYTES 0x100000
static const struct phys_range map[] = { { 0x0, 0x9F800, 1 }, { 0x9F800, 0x800, 2 },
                                         { 0xF0000, 0x10000, 2 } };
static u8 ram[RAM_BYTES];
static struct loader_result res;
static char why[200];

static u8 *fake_host_ptr(void *ctx, u64 gpa, size_t len)
{
    (void)ctx;
    ck_assert_uint_le(gpa + len, RAM_BYTES);
    return ram + gpa;
}

START_TEST(start_up_placed_with_its_parameters)
{
    const struct guest_memory mem = { .map = map, .map_len = 3, .host_ptr = fake_host_ptr };
    size_t len = (size_t)(bios_boot_code_end - bios_boot_code);
    memset(ram, 0xEE, sizeof(ram));
    ck_assert_int_eq(bios_boot_load(0x81, true, &mem, &res, why, sizeof(why)), 0);
    const u8 *at = ram + (BIOS_BOOT_CODE_SEG << 4);
    /* A short jump over the two parameter bytes, then the code as assembled. */
    ck_assert_uint_eq(at[0], 0xEB);
    ck_assert_uint_eq(at[1], 2);
    ck_assert_uint_eq(at[BIOS_BOOT_PARAM_DRIVE], 0x81);
    ck_assert_uint_eq(at[BIOS_BOOT_PARAM_VMMCALL], 1);
    ck_assert_mem_eq(at + 4, bios_boot_code + 4, len - 4);
    ck_assert_uint_eq(ram[(BIOS_BOOT_CODE_SEG << 4) + len], 0xEE); /* nothing more */
    ck_assert_uint_lt((BIOS_BOOT_CODE_SEG << 4) + len, 0x7C00 - 0x100); /* below the sector and its stack */
    /* Ends with the far jump to 0000:7C00. */
    const u8 jump[] = { 0xEA, 0x00, 0x7C, 0x00, 0x00 };
    ck_assert_mem_eq(bios_boot_code_end - 5, jump, 5);
    /* Real mode at BIOS_BOOT_CODE_SEG:0. */
    char w[100];
    ck_assert_int_eq(vcpu_state_mode(&res.state, w, sizeof(w)), VCPU_MODE_REAL);
    ck_assert_uint_eq(res.state.cs.selector, BIOS_BOOT_CODE_SEG);
    ck_assert_uint_eq(res.state.cs.base, BIOS_BOOT_CODE_SEG << 4);
    ck_assert_uint_eq(res.state.rip, 0);
    ck_assert_ptr_nonnull(strstr(res.summary, "drive 0x81"));
    ck_assert_int_eq(bios_boot_load(0x80, false, &mem, &res, why, sizeof(why)), 0);
    ck_assert_uint_eq(at[BIOS_BOOT_PARAM_DRIVE], 0x80);
    ck_assert_uint_eq(at[BIOS_BOOT_PARAM_VMMCALL], 0);
}
END_TEST

START_TEST(refused_when_its_place_is_not_ram)
{
    const struct phys_range reserved_low[] = { { 0x0, 0x1000, 2 }, { 0x1000, 0x9E000, 1 } };
    const struct guest_memory mem = { .map = reserved_low, .map_len = 2, .host_ptr = fake_host_ptr };
    memset(ram, 0xEE, sizeof(ram));
    ck_assert_int_ne(bios_boot_load(0x80, false, &mem, &res, why, sizeof(why)), 0);
    ck_assert_ptr_nonnull(strstr(why, "not RAM"));
    ck_assert_uint_eq(ram[BIOS_BOOT_CODE_SEG << 4], 0xEE);
}
END_TEST

START_TEST(failure_texts)
{
    char t[160];
    bios_boot_failure_text(BIOS_BOOT_NO_SIGNATURE, t, sizeof(t));
    ck_assert_str_eq(t, "its first sector has no boot signature (55 AA at offset 510)");
    bios_boot_failure_text(0x01, t, sizeof(t));
    ck_assert_str_eq(t, "the BIOS could not read its first sector (INT 13h status 0x01: bad command or no such drive)");
    bios_boot_failure_text(0x80, t, sizeof(t));
    ck_assert_ptr_nonnull(strstr(t, "0x80: timeout"));
    bios_boot_failure_text(0x77, t, sizeof(t));
    ck_assert_ptr_nonnull(strstr(t, "0x77: unknown status"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bios_boot");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, start_up_placed_with_its_parameters);
    tcase_add_test(tc, refused_when_its_place_is_not_ram);
    tcase_add_test(tc, failure_texts);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
