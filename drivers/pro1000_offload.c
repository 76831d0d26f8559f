/*
 * drivers/pro1000_offload.c - checksum insertion and TCP segmentation as the
 * 82540EM does them, for net=pass (see pro1000_offload.h).
 */
#include "drivers/pro1000_offload.h"
#include "common/lib/inet_sum.h"
#include "common/lib/kstring.h"

/* Header sizes the fields below need, and the fields' places in them. */
#define IPV4_HEADER 20
#define IPV6_HEADER 40
#define TCP_HEADER 20
#define UDP_HEADER 8
#define IPV4_TOTAL_LENGTH 2
#define IPV4_ID 4
#define IPV6_PAYLOAD_LENGTH 4
#define TCP_SEQ 4
#define TCP_FLAGS 13
#define UDP_LENGTH 4
#define TCP_FIN 0x01
#define TCP_PSH 0x08

const char *pro1000_offload_result_text(enum pro1000_offload_result r)
{
    switch (r) {
    case PRO1000_OFFLOAD_OK: return "done";
    case PRO1000_OFFLOAD_NO_CONTEXT: return "no context descriptor came before it";
    case PRO1000_OFFLOAD_BAD_RANGE: return "a checksum's offsets lie outside the frame";
    case PRO1000_OFFLOAD_BAD_TSO: return "the context's MSS or header cannot segment";
    case PRO1000_OFFLOAD_BAD_LENGTH: return "the payload is not the context's PAYLEN";
    case PRO1000_OFFLOAD_TOO_BIG: return "a segment is longer than a frame";
    }
    return "?";
}

static u16 le16_at(const u8 *p)
{
    return (u16)(p[0] | p[1] << 8);
}

static u16 be16_at(const u8 *p)
{
    return (u16)(p[0] << 8 | p[1]);
}

static void be16_put(u8 *p, u16 v)
{
    p[0] = (u8)(v >> 8);
    p[1] = (u8)v;
}

static u32 be32_at(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void be32_put(u8 *p, u32 v)
{
    be16_put(p, (u16)(v >> 16));
    be16_put(p + 2, (u16)v);
}

void pro1000_offload_ctx_parse(const u8 raw[16], struct pro1000_offload_ctx *c)
{
    u32 word = (u32)raw[8] | (u32)raw[9] << 8 | (u32)raw[10] << 16 | (u32)raw[11] << 24;

    c->valid = true;
    c->ipcss = raw[0];
    c->ipcso = raw[1];
    c->ipcse = le16_at(raw + 2);
    c->tucss = raw[4];
    c->tucso = raw[5];
    c->tucse = le16_at(raw + 6);
    c->paylen = word & 0xFFFFF;
    c->tucmd = (u8)(word >> 24);
    c->hdrlen = raw[13];
    c->mss = le16_at(raw + 14);
}

/* One checksum of a frame: where it starts, where it goes, its last byte (0: the frame's). */
struct sum_range {
    u32 start, place, end;
};

/* Is the range inside a frame of len bytes? Resolves end 0 to the frame's last byte. */
static bool range_fits(struct sum_range *r, size_t len)
{
    if (len == 0)
        return false;
    if (r->end == 0)
        r->end = (u32)(len - 1);
    return r->start <= r->end && r->end < len && (size_t)r->place + 2 <= len;
}

/* The checksum of bytes start..end (inclusive) plus extra, stored at place. */
static void sum_insert(u8 *frame, const struct sum_range *r, u32 extra, bool udp)
{
    u16 check = inet_sum_fold(inet_sum_add(extra, frame + r->start, r->end - r->start + 1));
    if (udp && check == 0)
        check = 0xFFFF;
    be16_put(frame + r->place, check);
}

static struct sum_range ip_range(const struct pro1000_offload_ctx *c)
{
    return (struct sum_range){ c->ipcss, c->ipcso, c->ipcse };
}

static struct sum_range l4_range(const struct pro1000_offload_ctx *c)
{
    return (struct sum_range){ c->tucss, c->tucso, c->tucse };
}

/*
 * Both checksums popts asks for, on a frame of len bytes; extra is added
 * to the TCP/UDP sum (segmentation's layer-4 length). Checks before writing.
 */
static enum pro1000_offload_result insert_all(u8 *frame, size_t len,
                                              const struct pro1000_offload_ctx *c, u8 popts,
                                              u32 extra)
{
    struct sum_range ip = ip_range(c), l4 = l4_range(c);
    bool want_ip = popts & PRO1000_POPTS_IXSM, want_l4 = popts & PRO1000_POPTS_TXSM;

    if ((want_ip && !range_fits(&ip, len)) || (want_l4 && !range_fits(&l4, len)))
        return PRO1000_OFFLOAD_BAD_RANGE;
    if (want_ip)
        sum_insert(frame, &ip, 0, false);
    if (want_l4)
        sum_insert(frame, &l4, extra, !(c->tucmd & PRO1000_TUCMD_TCP));
    return PRO1000_OFFLOAD_OK;
}

enum pro1000_offload_result pro1000_offload_checksums(u8 *frame, size_t len,
                                                      const struct pro1000_offload_ctx *c,
                                                      u8 popts)
{
    if (!(popts & (PRO1000_POPTS_IXSM | PRO1000_POPTS_TXSM)))
        return PRO1000_OFFLOAD_OK;
    if (!c->valid)
        return PRO1000_OFFLOAD_NO_CONTEXT;
    return insert_all(frame, len, c, popts, 0);
}

enum pro1000_offload_result pro1000_tso_check(size_t len, const struct pro1000_offload_ctx *c,
                                              u32 *count)
{
    bool ipv4 = c->tucmd & PRO1000_TUCMD_IP, tcp = c->tucmd & PRO1000_TUCMD_TCP;
    u32 l3 = ipv4 ? IPV4_HEADER : IPV6_HEADER, l4 = tcp ? TCP_HEADER : UDP_HEADER;

    if (!c->valid)
        return PRO1000_OFFLOAD_NO_CONTEXT;
    /* The fields fixed in every segment, and both checksum places, are in the header. */
    if (!(c->tucmd & PRO1000_TUCMD_TSE) || c->mss == 0 || (u32)c->ipcss + l3 > c->hdrlen ||
        (u32)c->tucss + l4 > c->hdrlen || (u32)c->ipcso + 2 > c->hdrlen ||
        (u32)c->tucso + 2 > c->hdrlen)
        return PRO1000_OFFLOAD_BAD_TSO;
    if (len <= c->hdrlen || len - c->hdrlen != c->paylen)
        return PRO1000_OFFLOAD_BAD_LENGTH;
    *count = (c->paylen + c->mss - 1) / c->mss;
    return PRO1000_OFFLOAD_OK;
}

/* The header of segment index (seg_len bytes in all, the last one or not), fixed in place. */
static void fix_header(u8 *seg, u32 seg_len, const struct pro1000_offload_ctx *c, u32 index,
                       bool last)
{
    u8 *ip = seg + c->ipcss, *l4 = seg + c->tucss;

    if (c->tucmd & PRO1000_TUCMD_IP) {
        be16_put(ip + IPV4_TOTAL_LENGTH, (u16)(seg_len - c->ipcss));
        be16_put(ip + IPV4_ID, (u16)(be16_at(ip + IPV4_ID) + index));
    } else {
        be16_put(ip + IPV6_PAYLOAD_LENGTH, (u16)(seg_len - c->ipcss - IPV6_HEADER));
    }
    if (c->tucmd & PRO1000_TUCMD_TCP) {
        be32_put(l4 + TCP_SEQ, be32_at(l4 + TCP_SEQ) + index * (u32)c->mss);
        if (!last)
            l4[TCP_FLAGS] &= (u8)~(TCP_FIN | TCP_PSH);
    } else {
        be16_put(l4 + UDP_LENGTH, (u16)(seg_len - c->tucss));
    }
}

enum pro1000_offload_result pro1000_tso_segment(const u8 *frame, size_t len,
                                                const struct pro1000_offload_ctx *c, u8 popts,
                                                u32 index, u8 *out, size_t out_size,
                                                size_t *out_len)
{
    u32 count = 0;
    enum pro1000_offload_result r = pro1000_tso_check(len, c, &count);

    if (r != PRO1000_OFFLOAD_OK)
        return r;
    if (index >= count)
        return PRO1000_OFFLOAD_BAD_LENGTH;
    u32 from = c->hdrlen + index * (u32)c->mss;
    u32 payload = (u32)len - from < c->mss ? (u32)len - from : c->mss;
    u32 seg_len = c->hdrlen + payload;
    /* Lengths go into 16-bit fields: a segment beyond them is no frame either. */
    if (seg_len > out_size || seg_len > 0xFFFF)
        return PRO1000_OFFLOAD_TOO_BIG;
    memcpy(out, frame, c->hdrlen);
    memcpy(out + c->hdrlen, frame + from, payload);
    fix_header(out, seg_len, c, index, index + 1 == count);
    /* The layer-4 length joins the pseudo-header sum the driver left without it. */
    r = insert_all(out, seg_len, c, popts, seg_len - c->tucss);
    if (r == PRO1000_OFFLOAD_OK)
        *out_len = seg_len;
    return r;
}
