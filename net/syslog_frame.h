/**
 * @file net/syslog_frame.h
 * @brief One syslog datagram as a whole Ethernet frame, built by bookvisor
 *        itself (pure; chapter 09).
 *
 * On a NIC that carries the log (`tty=1`) but has no stack of bookvisor's
 * on it (`net=pass`: the guest keeps the NIC), nothing finds the peer's MAC
 * or gives bookvisor an address; the options say them, and this file puts
 * the datagram into Ethernet II, IPv4 (20-byte header, its checksum, TTL
 * 64, no fragments) and UDP (its checksum over the pseudo-header). Host-
 * tested in tests/unit/test_syslog_frame.c.
 */
#ifndef BOOKVISOR_NET_SYSLOG_FRAME_H
#define BOOKVISOR_NET_SYSLOG_FRAME_H

#include "common/lib/types.h"
#include "net/log_ring.h"

/** Ethernet, IPv4 and UDP headers in front of the text. */
#define SYSLOG_FRAME_HEADERS (14 + 20 + 8)
/** The most text one frame carries: a priority and tag of up to 16 bytes and one log chunk. */
#define SYSLOG_FRAME_TEXT_MAX (16 + LOG_RING_CHUNK)
/** The shortest Ethernet frame without its CRC; shorter ones are padded with zeros. */
#define SYSLOG_FRAME_MIN 60
/** The longest frame syslog_frame_build() writes. */
#define SYSLOG_FRAME_MAX (SYSLOG_FRAME_HEADERS + SYSLOG_FRAME_TEXT_MAX)

/** Where the log's frames go, and from where (addresses as ip_text_parse() gives them). */
struct syslog_frame_addr {
    u8 dst_mac[6]; /**< `ip.syslog_mac`, by default the broadcast address */
    u8 src_mac[6]; /**< the NIC's own */
    u32 src_ip;    /**< `ip.ipaddr` */
    u32 dst_ip;    /**< `ip.syslog`'s address */
    u16 src_port;  /**< the UDP source port */
    u16 dst_port;  /**< `ip.syslog`'s port (514 by default) */
};

/**
 * Build one frame carrying text (the whole datagram: priority, tag and
 * line) into out.
 * @param a     the addresses
 * @param ip_id the IPv4 identification (the caller counts)
 * @param text  the datagram's bytes
 * @param len   how many: 0 to SYSLOG_FRAME_TEXT_MAX
 * @param out   where the frame goes
 * @param size  bytes in out
 * @return the frame's length (at least SYSLOG_FRAME_MIN), or 0 when len is
 *         over SYSLOG_FRAME_TEXT_MAX or the frame does not fit in size
 */
size_t syslog_frame_build(const struct syslog_frame_addr *a, u16 ip_id, const char *text,
                          size_t len, u8 *out, size_t size);

#endif
