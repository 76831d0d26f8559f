/**
 * @file drivers/pro1000_offload.h
 * @brief The 82540EM's transmit offloads carried out in software under
 *        `net=pass`: checksum insertion and TCP segmentation (pure;
 *        chapter 09).
 *
 * A guest driver may ask the device to finish its frames: a TCP/IP context
 * descriptor says where the IP header and the TCP/UDP header start, where
 * their checksums go and (for segmentation, TSE) the MSS and the header's
 * length; a data descriptor's POPTS then asks for the IP checksum (IXSM)
 * and the TCP/UDP checksum (TXSM), and its DCMD.TSE for segmentation. Under
 * `pass` bookvisor gathers the frame itself and sends it through the
 * network API, so it must do what the device would have done. The rules are
 * those of the 8254x Software Developer's Manual (TCP/IP context descriptor
 * layout, checksum offloading, TCP segmentation).
 *
 * A checksum is the Internet one: the ones'-complement sum of the 16-bit
 * big-endian words from a start offset to an inclusive end offset (0: the
 * end of the frame), complemented and stored big-endian at an offset. What
 * the field held before takes part in the sum, as on the device: drivers
 * put 0 there, or the partial sum of the pseudo-header.
 *
 * Every function checks every offset against the frame before it reads or
 * writes a byte, and writes nothing to a frame it refuses.
 */
#ifndef BOOKVISOR_DRIVERS_PRO1000_OFFLOAD_H
#define BOOKVISOR_DRIVERS_PRO1000_OFFLOAD_H

#include "common/lib/types.h"

/** @name Context command (TUCMD), data command (DCMD) and packet options (POPTS) bits */
/** @{ */
#define PRO1000_TUCMD_TCP 0x01  /**< context: the layer-4 header is TCP (else UDP) */
#define PRO1000_TUCMD_IP 0x02   /**< context: the layer-3 header is IPv4 (else IPv6) */
#define PRO1000_TUCMD_TSE 0x04  /**< context: it describes segmentation */
#define PRO1000_DCMD_TSE 0x04   /**< data: segment this frame (extended descriptors only) */
#define PRO1000_POPTS_IXSM 0x01 /**< data: insert the IP checksum */
#define PRO1000_POPTS_TXSM 0x02 /**< data: insert the TCP/UDP checksum */
/** @} */

/** A TCP/IP context descriptor's fields (descriptor type 0 with DEXT). */
struct pro1000_offload_ctx {
    bool valid;  /**< a context descriptor has set it */
    u8 ipcss;    /**< IP checksum start: where the IP header begins */
    u8 ipcso;    /**< where the IP checksum goes */
    u16 ipcse;   /**< the IP checksum's last byte, inclusive; 0: the frame's end */
    u8 tucss;    /**< TCP/UDP checksum start: where the TCP/UDP header begins */
    u8 tucso;    /**< where the TCP/UDP checksum goes */
    u16 tucse;   /**< the TCP/UDP checksum's last byte, inclusive; 0: the frame's end */
    u32 paylen;  /**< segmentation: bytes of payload behind the header (20 bits) */
    u8 tucmd;    /**< PRO1000_TUCMD_* */
    u8 hdrlen;   /**< segmentation: bytes of header repeated in every segment */
    u16 mss;     /**< segmentation: most payload bytes per segment */
};

/** What an offload made of a frame. */
enum pro1000_offload_result {
    PRO1000_OFFLOAD_OK,         /**< done */
    PRO1000_OFFLOAD_NO_CONTEXT, /**< asked for, but no context descriptor came before */
    PRO1000_OFFLOAD_BAD_RANGE,  /**< a checksum's start, end or place is not in the frame */
    PRO1000_OFFLOAD_BAD_TSO,    /**< the context cannot describe segmentation (MSS 0, short header) */
    PRO1000_OFFLOAD_BAD_LENGTH, /**< the frame's payload is not the context's PAYLEN */
    PRO1000_OFFLOAD_TOO_BIG,    /**< a segment would not fit the caller's buffer */
};

/** A short text for a result, for messages ("the MSS or the header is unfit", ...). */
const char *pro1000_offload_result_text(enum pro1000_offload_result r);

/**
 * Read a context descriptor (the 16 bytes as the guest wrote them:
 * IPCSS, IPCSO, IPCSE, TUCSS, TUCSO, TUCSE, then PAYLEN/DTYP/TUCMD, STA,
 * HDRLEN, MSS, little-endian) into *c, which becomes valid.
 */
void pro1000_offload_ctx_parse(const u8 raw[16], struct pro1000_offload_ctx *c);

/**
 * Insert the checksums popts asks for (IXSM, TXSM) into the len-byte frame
 * as the context describes them; the IP checksum first. Nothing is written
 * unless every range fits. A UDP checksum (TUCMD.TCP clear) that comes out
 * 0 is sent as 0xFFFF, since 0 would mean "no checksum".
 */
enum pro1000_offload_result pro1000_offload_checksums(u8 *frame, size_t len,
                                                      const struct pro1000_offload_ctx *c,
                                                      u8 popts);

/**
 * Check that the context can segment the len-byte frame: a segmentation
 * context with an MSS, a header of HDRLEN bytes that holds the IP header
 * (20 bytes for IPv4, 40 for IPv6) at IPCSS, the TCP (20) or UDP (8)
 * header at TUCSS and both checksum places, and exactly PAYLEN (at least
 * one) payload bytes behind it. On success *count is the number of
 * segments, all of MSS payload bytes but the last.
 */
enum pro1000_offload_result pro1000_tso_check(size_t len, const struct pro1000_offload_ctx *c,
                                              u32 *count);

/**
 * Build segment index (from 0) of the len-byte frame into out (out_size
 * bytes; *out_len its length): the header, then the segment's payload,
 * with the header fixed as the device fixes it: the IPv4 total length and
 * identification (+index) or the IPv6 payload length, the TCP sequence
 * number (+index * MSS) with FIN and PSH cleared but in the last segment,
 * or the UDP length; then the checksums popts asks for, the TCP/UDP one
 * with the segment's layer-4 length added to the pseudo-header's partial
 * sum the driver left in the field. Checks as pro1000_tso_check().
 */
enum pro1000_offload_result pro1000_tso_segment(const u8 *frame, size_t len,
                                                const struct pro1000_offload_ctx *c, u8 popts,
                                                u32 index, u8 *out, size_t out_size,
                                                size_t *out_len);

#endif
