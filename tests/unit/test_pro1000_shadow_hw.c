/*
 * Unit tests for drivers/pro1000_shadow_hw.c: which registers net=pass keeps
 * virtual (the 82542 aliases among them), the guest's ring as numbers (what
 * counts as a ring, how many descriptors wait, where one is), the transmit
 * descriptor formats, the guest's buffer size and the receive control
 * bookvisor writes instead, a frame spread over several receive descriptors,
 * RS and the legacy descriptor's checksum insertion (IC), and the frame
 * check sequence.
 * unit-sources: drivers/pro1000_shadow_hw.c drivers/pro1000_hw.c drivers/pro1000_offload.c common/lib/inet_sum.c common/lib/kstring.c
 */
#include <check.h>
#include <string.h>
#include "drivers/pro1000_shadow_hw.h"
#include "tests/unit/unit_main.h"

/* Offsets and the class each must have. */
static const struct {
    u32 offset;
    enum pro1000_vreg want;
} classes[] = {
    { PRO1000_RDBAL, PRO1000_VREG_RDBAL }, { PRO1000_RDBAH, PRO1000_VREG_RDBAH },
    { PRO1000_RDLEN, PRO1000_VREG_RDLEN }, { PRO1000_RDH, PRO1000_VREG_RDH },
    { PRO1000_RDT, PRO1000_VREG_RDT },     { PRO1000_TDBAL, PRO1000_VREG_TDBAL },
    { PRO1000_TDBAH, PRO1000_VREG_TDBAH }, { PRO1000_TDLEN, PRO1000_VREG_TDLEN },
    { PRO1000_TDH, PRO1000_VREG_TDH },     { PRO1000_TDT, PRO1000_VREG_TDT },
    /* the 82542's offsets reach the same registers */
    { 0x110, PRO1000_VREG_RDBAL },         { 0x128, PRO1000_VREG_RDT },
    { 0x420, PRO1000_VREG_TDBAL },         { 0x438, PRO1000_VREG_TDT },
    /* a byte inside a register is that register */
    { PRO1000_TDBAL + 3, PRO1000_VREG_TDBAL },
    /* CTRL, RCTL, TCTL and the stack's RAL15/RAH15 are watched; the rest is the device's,
     * holes between ring registers too, and the other receive address entries */
    { PRO1000_CTRL, PRO1000_VREG_CTRL },   { PRO1000_RCTL, PRO1000_VREG_RCTL },
    { PRO1000_ICR, PRO1000_VREG_PASS },    { PRO1000_TCTL, PRO1000_VREG_TCTL },
    { 0x5478, PRO1000_VREG_RAL_STACK },    { 0x547C, PRO1000_VREG_RAH_STACK },
    { 0x547E, PRO1000_VREG_RAH_STACK },    { 0x5470, PRO1000_VREG_PASS },
    { 0x5480, PRO1000_VREG_PASS },         { PRO1000_RAH0, PRO1000_VREG_PASS },
    { PRO1000_RAL0, PRO1000_VREG_PASS },   { 0x280C, PRO1000_VREG_PASS },
    { 0x3814, PRO1000_VREG_PASS },         { 0x3828, PRO1000_VREG_PASS },
};

START_TEST(ring_registers_are_virtual_the_rest_passes)
{
    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
        ck_assert_msg(pro1000_vreg_of(classes[i].offset) == classes[i].want, "offset 0x%x",
                      classes[i].offset);
    for (enum pro1000_vreg r = PRO1000_VREG_RDBAL; r <= PRO1000_VREG_TDT; r++)
        ck_assert(pro1000_vreg_is_ring(r));
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_PASS));
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_CTRL));
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_RCTL));
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_TCTL));
    ck_assert(!pro1000_vreg_is_ring(PRO1000_VREG_RAH_STACK));
}
END_TEST

START_TEST(a_ring_is_a_multiple_of_128_bytes_on_16)
{
    struct pro1000_vring r = { 0x1000, 0x1, 256, 0, 0 };

    ck_assert_uint_eq(pro1000_vring_base(&r), 0x100001000ULL);
    ck_assert_uint_eq(pro1000_vring_count(&r), 16);
    ck_assert_uint_eq(pro1000_vring_desc_addr(&r, 3), 0x100001030ULL);
    r.len = 0;
    ck_assert_uint_eq(pro1000_vring_count(&r), 0);
    r.len = 200;
    ck_assert_uint_eq(pro1000_vring_count(&r), 0);
    r.len = 128;
    r.bal = 0x1008;
    ck_assert_uint_eq(pro1000_vring_count(&r), 0);
}
END_TEST

START_TEST(pending_counts_from_head_to_tail_and_wraps)
{
    struct pro1000_vring r = { 0x1000, 0, 128, 0, 0 }; /* 8 descriptors */

    ck_assert_uint_eq(pro1000_vring_pending(&r), 0);
    r.tail = 7;
    ck_assert_uint_eq(pro1000_vring_pending(&r), 7);
    r.head = 6;
    r.tail = 2;
    ck_assert_uint_eq(pro1000_vring_pending(&r), 4);
    /* an index beyond the ring, or no ring: nothing is pending */
    r.tail = 8;
    ck_assert_uint_eq(pro1000_vring_pending(&r), 0);
    r.tail = 2;
    r.head = 9;
    ck_assert_uint_eq(pro1000_vring_pending(&r), 0);
    r.head = 0;
    r.len = 0;
    ck_assert_uint_eq(pro1000_vring_pending(&r), 0);
}
END_TEST

START_TEST(transmit_descriptors_in_all_three_formats)
{
    struct pro1000_tx_desc d;
    u64 addr = 0;
    u32 len = 0;
    bool eop = false;

    memset(&d, 0, sizeof(d));
    d.addr = 0x2000;
    d.length = 60;
    d.cmd = PRO1000_TXD_EOP | PRO1000_TXD_RS;
    ck_assert_int_eq(pro1000_txd_parse(&d, &addr, &len, &eop), PRO1000_TXD_DATA);
    ck_assert_uint_eq(addr, 0x2000);
    ck_assert_uint_eq(len, 60);
    ck_assert(eop);
    d.cmd = PRO1000_TXD_RS;
    pro1000_txd_parse(&d, &addr, &len, &eop);
    ck_assert(!eop);
    /* extended data: 20-bit length over bytes 8-10, type 1 in byte 10's high nibble */
    d.length = 0x2345;
    d.cso = 0x10 | 0x1;
    d.cmd = PRO1000_TXD_DEXT | PRO1000_TXD_EOP;
    ck_assert_int_eq(pro1000_txd_parse(&d, &addr, &len, &eop), PRO1000_TXD_DATA);
    ck_assert_uint_eq(len, 0x12345);
    ck_assert(eop);
    /* extended context: no bytes */
    d.cso = 0x00;
    ck_assert_int_eq(pro1000_txd_parse(&d, &addr, &len, &eop), PRO1000_TXD_CONTEXT);
    /* an unknown type */
    d.cso = 0x30;
    ck_assert_int_eq(pro1000_txd_parse(&d, &addr, &len, &eop), PRO1000_TXD_BAD);
    d.status = 0;
    pro1000_txd_complete(&d);
    ck_assert_uint_eq(d.status & PRO1000_TXD_DD, PRO1000_TXD_DD);
    ck_assert_uint_eq(((const u8 *)&d)[12] & 1, 1); /* the byte the guest reads */
}
END_TEST

START_TEST(receive_buffer_sizes_and_the_device_rctl)
{
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(0), 2048);
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(1u << 16), 1024);
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(2u << 16), 512);
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(3u << 16), 256);
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(PRO1000_RCTL_BSEX), 0); /* reserved */
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(PRO1000_RCTL_BSEX | 1u << 16), 16384);
    ck_assert_uint_eq(pro1000_rctl_buf_bytes(PRO1000_RCTL_BSEX | 3u << 16), 4096);
    /* the device always fills bookvisor's 2048-byte buffers, CRC stripped */
    u32 guest = PRO1000_RCTL_EN | PRO1000_RCTL_BAM | PRO1000_RCTL_BSEX | 1u << 16;
    ck_assert_uint_eq(pro1000_rctl_for_device(guest),
                      PRO1000_RCTL_EN | PRO1000_RCTL_BAM | PRO1000_RCTL_SECRC);
    /* shared with the stack (ippass): on, with broadcasts, even if the guest has it off */
    ck_assert_uint_eq(pro1000_rctl_for_shared_device(0),
                      PRO1000_RCTL_EN | PRO1000_RCTL_BAM | PRO1000_RCTL_SECRC);
    ck_assert_uint_eq(pro1000_rctl_for_shared_device((1u << 3) | 2u << 16), /* UPE */
                      (1u << 3) | PRO1000_RCTL_EN | PRO1000_RCTL_BAM | PRO1000_RCTL_SECRC);
}
END_TEST

START_TEST(receive_descriptor_done_whole_or_in_pieces)
{
    struct pro1000_rx_desc d;
    u16 len = 0;

    memset(&d, 0xAB, sizeof(d));
    d.addr = 0x5000;
    pro1000_rxd_complete(&d, 64);
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_FRAME);
    ck_assert_uint_eq(len, 64);
    ck_assert_uint_eq(d.addr, 0x5000);
    /* no checksum computed: the guest must not trust the checksum bits */
    ck_assert_uint_eq(d.status & PRO1000_RXD_IXSM, PRO1000_RXD_IXSM);
    ck_assert_uint_eq(d.errors, 0);
    /* a piece of a frame spread over several: EOP only on the last */
    pro1000_rxd_complete_piece(&d, 256, false);
    ck_assert_uint_eq(d.status, PRO1000_RXD_DD | PRO1000_RXD_IXSM);
    ck_assert_uint_eq(d.length, 256);
    ck_assert_uint_eq(d.addr, 0x5000);
    /* bookvisor's own receive path drops such a piece: it is part of a frame */
    ck_assert_int_eq(pro1000_rx_parse(&d, &len), PRO1000_RX_PARTIAL);
    pro1000_rxd_complete_piece(&d, 82, true);
    ck_assert_uint_eq(d.status, PRO1000_RXD_DD | PRO1000_RXD_EOP | PRO1000_RXD_IXSM);
    ck_assert_uint_eq(d.length, 82);
}
END_TEST

START_TEST(a_long_frame_takes_several_receive_descriptors)
{
    ck_assert_uint_eq(pro1000_rx_descs_for(60, 2048), 1);
    ck_assert_uint_eq(pro1000_rx_descs_for(2048, 2048), 1);
    ck_assert_uint_eq(pro1000_rx_descs_for(256, 256), 1);
    ck_assert_uint_eq(pro1000_rx_descs_for(257, 256), 2);
    ck_assert_uint_eq(pro1000_rx_descs_for(594, 256), 3); /* a DHCP offer with its CRC */
    ck_assert_uint_eq(pro1000_rx_descs_for(1518, 256), 6);
    ck_assert_uint_eq(pro1000_rx_descs_for(1518, 512), 3);
    ck_assert_uint_eq(pro1000_rx_descs_for(1518, 1024), 2);
    /* a reserved buffer size takes nothing; nor does an empty frame */
    ck_assert_uint_eq(pro1000_rx_descs_for(60, 0), 0);
    ck_assert_uint_eq(pro1000_rx_descs_for(0, 256), 0);
}
END_TEST

START_TEST(rs_asks_for_status_in_every_format)
{
    struct pro1000_tx_desc d;

    memset(&d, 0, sizeof(d));
    d.cmd = PRO1000_TXD_EOP | PRO1000_TXD_IFCS;
    ck_assert(!pro1000_txd_reports(&d));
    d.cmd |= PRO1000_TXD_RS;
    ck_assert(pro1000_txd_reports(&d));
    /* extended data and context descriptors keep RS in the same bit */
    d.cmd = PRO1000_TXD_DEXT | PRO1000_TXD_RS;
    ck_assert(pro1000_txd_reports(&d));
    d.cmd = PRO1000_TXD_DEXT;
    ck_assert(!pro1000_txd_reports(&d));
}
END_TEST

START_TEST(legacy_ic_inserts_a_checksum_from_css_to_the_end)
{
    /* A textbook IPv4 header behind an Ethernet header: its checksum is 0xb861. */
    u8 frame[34] = { [12] = 0x08, [13] = 0x00,
                     0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                     0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    struct pro1000_tx_desc d;
    struct pro1000_offload_ctx c;

    memset(&d, 0, sizeof(d));
    d.cmd = PRO1000_TXD_EOP | PRO1000_TXD_RS;
    ck_assert(!pro1000_txd_legacy_checksum(&d, &c)); /* IC not set */
    d.cmd |= PRO1000_TXD_IC;
    d.css = 14;
    d.cso = 24;
    ck_assert(pro1000_txd_legacy_checksum(&d, &c));
    ck_assert_int_eq(pro1000_offload_checksums(frame, sizeof(frame), &c, PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_OK);
    ck_assert_uint_eq(frame[24], 0xb8);
    ck_assert_uint_eq(frame[25], 0x61);
    /* a place outside the frame is refused, nothing written */
    d.cso = 40;
    ck_assert(pro1000_txd_legacy_checksum(&d, &c));
    ck_assert_int_eq(pro1000_offload_checksums(frame, sizeof(frame), &c, PRO1000_POPTS_TXSM),
                     PRO1000_OFFLOAD_BAD_RANGE);
    /* an extended descriptor's bytes 10 and 13 are something else: no legacy checksum */
    d.cmd = PRO1000_TXD_DEXT | PRO1000_TXD_IC;
    ck_assert(!pro1000_txd_legacy_checksum(&d, &c));
}
END_TEST

START_TEST(fcs_is_ieee_crc32)
{
    /* The CRC-32 check value of "123456789". */
    ck_assert_uint_eq(pro1000_fcs((const u8 *)"123456789", 9), 0xCBF43926u);
    ck_assert_uint_eq(pro1000_fcs(NULL, 0), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pro1000_shadow_hw");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, ring_registers_are_virtual_the_rest_passes);
    tcase_add_test(tc, a_ring_is_a_multiple_of_128_bytes_on_16);
    tcase_add_test(tc, pending_counts_from_head_to_tail_and_wraps);
    tcase_add_test(tc, transmit_descriptors_in_all_three_formats);
    tcase_add_test(tc, receive_buffer_sizes_and_the_device_rctl);
    tcase_add_test(tc, receive_descriptor_done_whole_or_in_pieces);
    tcase_add_test(tc, a_long_frame_takes_several_receive_descriptors);
    tcase_add_test(tc, rs_asks_for_status_in_every_format);
    tcase_add_test(tc, legacy_ic_inserts_a_checksum_from_css_to_the_end);
    tcase_add_test(tc, fcs_is_ieee_crc32);
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
