/*
 * Unit tests for drivers/pro1000_hw.c: ring indexes wrap and keep one slot
 * free; receive descriptors are read as frames only when whole and good;
 * transmit descriptors ask for the CRC and a status; the MAC comes out of
 * the EEPROM words and RAL/RAH in wire order.
 * unit-sources: drivers/pro1000_hw.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "drivers/pro1000_hw.h"
#include "tests/unit/unit_main.h"

START_TEST(ring_indexes_wrap_and_keep_a_slot_free)
{
    ck_assert_uint_eq(pro1000_ring_next(0, 32), 1);
    ck_assert_uint_eq(pro1000_ring_next(31, 32), 0);
    /* empty ring: all but one free */
    ck_assert_uint_eq(pro1000_ring_free(0, 0, 32), 31);
    ck_assert_uint_eq(pro1000_ring_free(5, 5, 32), 31);
    /* tail ahead of clean */
    ck_assert_uint_eq(pro1000_ring_free(0, 10, 32), 21);
    /* tail wrapped behind clean */
    ck_assert_uint_eq(pro1000_ring_free(30, 2, 32), 27);
    /* full: tail just before clean */
    ck_assert_uint_eq(pro1000_ring_free(5, 4, 32), 0);
    ck_assert_uint_eq(pro1000_ring_free(0, 31, 32), 0);
    /* nonsense indexes (a device that wrote garbage) give nothing */
    ck_assert_uint_eq(pro1000_ring_free(40, 0, 32), 0);
    ck_assert_uint_eq(pro1000_ring_free(0, 0, 0), 0);
}
END_TEST

START_TEST(rx_descriptor_is_a_frame_only_when_whole_and_good)
{
    struct pro1000_rx_desc d;
    u16 len = 0;

    pro1000_rx_reset(&d, 0x123000);
    ck_assert_uint_eq(d.addr, 0x123000);
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_EMPTY);
    d.length = 60;
    d.status = PRO1000_RXD_DD | PRO1000_RXD_EOP;
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_FRAME);
    ck_assert_uint_eq(len, 60);
    d.status = PRO1000_RXD_DD;
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_PARTIAL);
    d.status = PRO1000_RXD_DD | PRO1000_RXD_EOP;
    d.errors = 0x80;
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_ERROR);
    d.errors = 0;
    d.length = 0;
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_BAD_LEN);
    d.length = PRO1000_RX_BUF_BYTES + 1;
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_BAD_LEN);
    /* given back: empty again, same buffer */
    pro1000_rx_reset(&d, 0x123000);
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_EMPTY);
}
END_TEST

START_TEST(tx_descriptor_asks_for_crc_and_status)
{
    struct pro1000_tx_desc d;

    memset(&d, 0, sizeof(d));
    ck_assert(pro1000_tx_done(&d)); /* never used */
    pro1000_tx_fill(&d, 0xabc000, 342);
    ck_assert_uint_eq(d.addr, 0xabc000);
    ck_assert_uint_eq(d.length, 342);
    ck_assert_uint_eq(d.cmd, PRO1000_TXD_EOP | PRO1000_TXD_IFCS | PRO1000_TXD_RS);
    ck_assert(!pro1000_tx_done(&d));
    d.status = PRO1000_TXD_DD;
    ck_assert(pro1000_tx_done(&d));
    /* the layout the device reads */
    const u8 *b = (const u8 *)&d;
    ck_assert_uint_eq(b[8], 342 & 0xff);
    ck_assert_uint_eq(b[9], 342 >> 8);
    ck_assert_uint_eq(b[11], d.cmd);
    ck_assert_uint_eq(b[12], PRO1000_TXD_DD);
}
END_TEST

START_TEST(mac_from_eeprom_and_ral_in_wire_order)
{
    static const u8 qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    const u16 words[3] = { 0x5452, 0x1200, 0x5634 };
    u8 mac[6];
    u32 ral, rah;

    pro1000_mac_from_eeprom(words, mac);
    ck_assert_mem_eq(mac, qemu_mac, 6);
    pro1000_mac_to_ral(qemu_mac, &ral, &rah);
    ck_assert_uint_eq(ral, 0x12005452u);
    ck_assert_uint_eq(rah, 0x80005634u);
    memset(mac, 0, 6);
    ck_assert(pro1000_mac_from_ral(ral, rah, mac));
    ck_assert_mem_eq(mac, qemu_mac, 6);
    ck_assert(!pro1000_mac_from_ral(ral, rah & ~PRO1000_RAH_AV, mac));
}
END_TEST

START_TEST(eerd_read_waits_for_done)
{
    u16 w = 0;

    const struct pro1000_model *em = pro1000_model_of(0x100E);

    ck_assert_ptr_nonnull(em);
    ck_assert_uint_eq(pro1000_eerd_start(em, 2), 0x201);
    ck_assert(!pro1000_eerd_word(em, 0x5634020Fu & ~(1u << 4), &w));
    ck_assert(pro1000_eerd_word(em, 0x56340211u, &w));
    ck_assert_uint_eq(w, 0x5634);
}
END_TEST

/* The 82574L moved EERD's address to bits 15:2 and its done bit to bit 1. */
START_TEST(eerd_of_the_82574l)
{
    const struct pro1000_model *l = pro1000_model_of(0x10D3);
    u16 w = 0;

    ck_assert_ptr_nonnull(l);
    ck_assert_str_eq(l->name, "82574L");
    ck_assert_uint_eq(pro1000_eerd_start(l, 2), 0x9);
    ck_assert(!pro1000_eerd_word(l, 0xBEEF0011u, &w)); /* bit 4 is not its done bit */
    ck_assert(pro1000_eerd_word(l, 0xBEEF000Bu, &w));
    ck_assert_uint_eq(w, 0xBEEF);
}
END_TEST

/* Which models the driver knows; both can be shared, the 82574L with its own registers. */
START_TEST(models_known_and_shareable)
{
    ck_assert(pro1000_model_of(0x100E)->can_share);
    ck_assert(!pro1000_model_of(0x100E)->ext_regs);
    ck_assert(pro1000_model_of(0x10D3)->can_share);
    ck_assert(pro1000_model_of(0x10D3)->ext_regs);
    ck_assert_ptr_null(pro1000_model_of(0x10D2));
    ck_assert_ptr_null(pro1000_model_of(0));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pro1000_hw");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, ring_indexes_wrap_and_keep_a_slot_free);
    tcase_add_test(tc, rx_descriptor_is_a_frame_only_when_whole_and_good);
    tcase_add_test(tc, tx_descriptor_asks_for_crc_and_status);
    tcase_add_test(tc, mac_from_eeprom_and_ral_in_wire_order);
    tcase_add_test(tc, eerd_read_waits_for_done);
    tcase_add_test(tc, eerd_of_the_82574l);
    tcase_add_test(tc, models_known_and_shareable);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
