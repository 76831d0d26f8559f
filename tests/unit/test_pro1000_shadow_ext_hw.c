/*
 * Unit tests for drivers/pro1000_shadow_ext_hw.c: the 82574L's registers
 * under net=pass (RFCTL, MRQC and the second queue's rings virtual, the
 * 82540EM's classes kept), the guest's receive format, its buffer size with
 * FLXBUF, what the device gets of RCTL, RFCTL and MRQC, the queue causes,
 * and the extended write-back format, byte by byte as the guest reads it.
 * unit-sources: drivers/pro1000_shadow_ext_hw.c drivers/pro1000_shadow_hw.c drivers/pro1000_hw.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "drivers/pro1000_shadow_ext_hw.h"
#include "tests/unit/unit_main.h"

START_TEST(the_82574l_registers_and_the_82540em_ones)
{
    static const struct {
        u32 offset;
        enum pro1000_vreg want;
    } classes[] = {
        { PRO1000_RFCTL, PRO1000_VREG_RFCTL }, { PRO1000_RFCTL + 2, PRO1000_VREG_RFCTL },
        { PRO1000_MRQC, PRO1000_VREG_MRQC },
        /* queue 1: RDBAL1 to RDT1 and TDBAL1 to TDT1, the holes between them too */
        { 0x2900, PRO1000_VREG_RX1 }, { 0x2904, PRO1000_VREG_RX1 }, { 0x2908, PRO1000_VREG_RX1 },
        { 0x290C, PRO1000_VREG_RX1 }, { 0x2910, PRO1000_VREG_RX1 }, { 0x2918, PRO1000_VREG_RX1 },
        { 0x3900, PRO1000_VREG_TX1 }, { 0x3918, PRO1000_VREG_TX1 }, { 0x391B, PRO1000_VREG_TX1 },
        /* just past them: RXDCTL1, TXDCTL1 are the device's */
        { 0x291C, PRO1000_VREG_PASS }, { 0x2928, PRO1000_VREG_PASS }, { 0x3928, PRO1000_VREG_PASS },
        /* the 82540EM's classes stay */
        { PRO1000_RDBAL, PRO1000_VREG_RDBAL }, { PRO1000_TDT, PRO1000_VREG_TDT },
        { PRO1000_RCTL, PRO1000_VREG_RCTL }, { PRO1000_CTRL, PRO1000_VREG_CTRL },
        { 0x5478, PRO1000_VREG_RAL_STACK },
        /* IVAR, IAM, EIAC, CTRL_EXT, RXDCTL, TXDCTL, RXCSUM, ICS, IMS pass on */
        { 0x00E4, PRO1000_VREG_PASS }, { 0x00E0, PRO1000_VREG_PASS }, { 0x00DC, PRO1000_VREG_PASS },
        { 0x0018, PRO1000_VREG_PASS }, { 0x2828, PRO1000_VREG_PASS }, { 0x3828, PRO1000_VREG_PASS },
        { 0x5000, PRO1000_VREG_PASS }, { PRO1000_ICS, PRO1000_VREG_PASS },
        { PRO1000_IMS, PRO1000_VREG_PASS },
    };

    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
        ck_assert_msg(pro1000_vreg_of_82574l(classes[i].offset) == classes[i].want,
                      "offset 0x%x", classes[i].offset);
    /* the 82540EM's own table knows none of the 82574L's */
    ck_assert_int_eq(pro1000_vreg_of(PRO1000_RFCTL), PRO1000_VREG_PASS);
    ck_assert_int_eq(pro1000_vreg_of(0x2900), PRO1000_VREG_PASS);
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_RX1));
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_RFCTL));
}
END_TEST

START_TEST(receive_format_from_rctl_and_rfctl)
{
    ck_assert_int_eq(pro1000_rx_format_of(0, 0), PRO1000_RX_LEGACY);
    ck_assert_int_eq(pro1000_rx_format_of(0, PRO1000_RFCTL_EXSTEN), PRO1000_RX_EXTENDED);
    ck_assert_int_eq(pro1000_rx_format_of(1u << 10, 0), PRO1000_RX_SPLIT);
    ck_assert_int_eq(pro1000_rx_format_of(1u << 10, PRO1000_RFCTL_EXSTEN), PRO1000_RX_SPLIT);
    /* DTYP 10 and 11 are reserved: refused like split */
    ck_assert_int_eq(pro1000_rx_format_of(2u << 10, PRO1000_RFCTL_EXSTEN), PRO1000_RX_SPLIT);
    ck_assert_int_eq(pro1000_rx_format_of(~PRO1000_RCTL_DTYP, ~0u), PRO1000_RX_EXTENDED);
}
END_TEST

START_TEST(buffer_size_and_what_the_device_gets)
{
    ck_assert_uint_eq(pro1000_rx_buf_bytes_82574l(0), 2048);
    ck_assert_uint_eq(pro1000_rx_buf_bytes_82574l(3u << 16), 256);
    ck_assert_uint_eq(pro1000_rx_buf_bytes_82574l(PRO1000_RCTL_BSEX | 3u << 16), 4096);
    /* FLXBUF overrides BSIZE: 1 to 15 KiB */
    ck_assert_uint_eq(pro1000_rx_buf_bytes_82574l(1u << 27), 1024);
    ck_assert_uint_eq(pro1000_rx_buf_bytes_82574l(15u << 27 | 3u << 16), 15360);
    /* the device: legacy descriptors, no flexible size; the rest as the 82540EM's rules say */
    u32 guest = PRO1000_RCTL_EN | PRO1000_RCTL_BAM | 1u << 10 | 9u << 27 | 3u << 16;
    u32 dev = pro1000_rctl_for_82574l(pro1000_rctl_for_device(guest));
    ck_assert_uint_eq(dev, PRO1000_RCTL_EN | PRO1000_RCTL_BAM | PRO1000_RCTL_SECRC);
    ck_assert_uint_eq(pro1000_rfctl_for_device(PRO1000_RFCTL_EXSTEN | 0x4000 | 0x3), 0x4003);
    ck_assert_uint_eq(pro1000_mrqc_for_device(0x003F0001u), 0x003F0000u);
    ck_assert_uint_eq(pro1000_mrqc_for_device(0x2u), 0);
}
END_TEST

START_TEST(queue_causes_go_with_the_legacy_ones)
{
    ck_assert_uint_eq(pro1000_causes_82574l(PRO1000_ICR_TXDW),
                      PRO1000_ICR_TXDW | PRO1000_ICR_TXQ0);
    ck_assert_uint_eq(pro1000_causes_82574l(PRO1000_ICR_RXT0),
                      PRO1000_ICR_RXT0 | PRO1000_ICR_RXQ0);
    ck_assert_uint_eq(pro1000_causes_82574l(PRO1000_ICR_RXO), PRO1000_ICR_RXO);
    ck_assert_uint_eq(pro1000_causes_82574l(0), 0);
    /* the bits MSI-X's IVAR entries name: RxQ0 is ICR bit 20, TxQ0 bit 22 */
    ck_assert_uint_eq(PRO1000_ICR_RXQ0, 0x00100000u);
    ck_assert_uint_eq(PRO1000_ICR_TXQ0, 0x00400000u);
}
END_TEST

START_TEST(extended_write_back_as_the_guest_reads_it)
{
    struct pro1000_rx_desc d;
    const u8 *b = (const u8 *)&d;

    memset(&d, 0xAB, sizeof(d));
    d.addr = 0x1122334455667788ULL;
    pro1000_rxd_complete(&d, 0x05EA);
    d.special = 0x0123;
    pro1000_rxd_to_extended(&d);
    for (int i = 0; i < 8; i++) /* MRQ and RSS: no hash, no queue; the address is gone */
        ck_assert_uint_eq(b[i], 0);
    /* status/error dword: DD, EOP, IXSM; no error */
    ck_assert_uint_eq(b[8], PRO1000_RXD_DD | PRO1000_RXD_EOP | PRO1000_RXD_IXSM);
    ck_assert_uint_eq(b[9], 0);
    ck_assert_uint_eq(b[10], 0);
    ck_assert_uint_eq(b[11], 0);
    ck_assert_uint_eq(b[12], 0xEA); /* length, little-endian */
    ck_assert_uint_eq(b[13], 0x05);
    ck_assert_uint_eq(b[14], 0x23); /* VLAN tag */
    ck_assert_uint_eq(b[15], 0x01);

    /* a refused buffer: done, RXE (extended error bit 31), length 0 */
    memset(&d, 0, sizeof(d));
    pro1000_rxd_complete(&d, 0);
    d.errors = PRO1000_RXD_RXE;
    pro1000_rxd_to_extended(&d);
    ck_assert_uint_eq(b[8] & PRO1000_RXD_DD, PRO1000_RXD_DD);
    ck_assert_uint_eq(b[11], 0x80);
    ck_assert_uint_eq(b[12] | b[13], 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pro1000_shadow_ext_hw");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, the_82574l_registers_and_the_82540em_ones);
    tcase_add_test(tc, receive_format_from_rctl_and_rfctl);
    tcase_add_test(tc, buffer_size_and_what_the_device_gets);
    tcase_add_test(tc, queue_causes_go_with_the_legacy_ones);
    tcase_add_test(tc, extended_write_back_as_the_guest_reads_it);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
