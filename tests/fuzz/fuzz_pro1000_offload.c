/*
 * Fuzz target for the 82540EM's transmit offloads done in software under
 * net=pass (drivers/pro1000_offload.c; chapter 09): a guest's context
 * descriptor, packet options and frame, all from the input. Invariants,
 * checked with abort():
 *  - checksum insertion either succeeds or leaves the frame as it was;
 *  - the segmenter accepts the frame for exactly the segments
 *    pro1000_tso_check() counted; each segment is the header plus the next
 *    slice of payload (at most MSS bytes, all of it in the end), never longer
 *    than the caller's buffer;
 *  - a refused segment leaves the length untouched.
 * The frame and the output buffer are heap copies of their exact size, so
 * AddressSanitizer catches any byte read or written past either.
 *
 * Input: 16 bytes of context descriptor, one byte of POPTS, one byte that
 * picks the output buffer's size, then the frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/pro1000_offload.h"

static void check_checksums(const uint8_t *in, size_t len, const struct pro1000_offload_ctx *c,
                            u8 popts)
{
    uint8_t *frame = malloc(len ? len : 1), *copy = malloc(len ? len : 1);

    memcpy(frame, in, len);
    memcpy(copy, in, len);
    if (pro1000_offload_checksums(frame, len, c, popts) != PRO1000_OFFLOAD_OK &&
        memcmp(frame, copy, len) != 0)
        abort();
    free(frame);
    free(copy);
}

static void check_segments(const uint8_t *in, size_t len, const struct pro1000_offload_ctx *c,
                           u8 popts, size_t out_size)
{
    uint8_t *frame = malloc(len ? len : 1), *out = malloc(out_size);
    u32 count = 0;
    size_t done = 0;

    memcpy(frame, in, len);
    if (pro1000_tso_check(len, c, &count) != PRO1000_OFFLOAD_OK) {
        size_t seg_len = 12345;
        if (pro1000_tso_segment(frame, len, c, popts, 0, out, out_size, &seg_len) ==
                PRO1000_OFFLOAD_OK || seg_len != 12345)
            abort();
        goto out;
    }
    /* A check that passed proved a header and a payload of PAYLEN bytes. */
    if (count == 0 || len != (size_t)c->hdrlen + c->paylen)
        abort();
    for (u32 i = 0; i < count && i < 64; i++) {
        size_t seg_len = 0;
        if (pro1000_tso_segment(frame, len, c, popts, i, out, out_size, &seg_len) !=
            PRO1000_OFFLOAD_OK)
            continue;
        size_t pay = seg_len - c->hdrlen;
        if (seg_len > out_size || seg_len <= c->hdrlen || pay > c->mss ||
            (i + 1 < count && pay != c->mss))
            abort();
        if (memcmp(out + c->hdrlen, frame + c->hdrlen + (size_t)i * c->mss, pay) != 0)
            abort();
        done += pay;
    }
    /* Past the last segment there is none. */
    size_t seg_len = 777;
    if (pro1000_tso_segment(frame, len, c, popts, count, out, out_size, &seg_len) ==
            PRO1000_OFFLOAD_OK || seg_len != 777)
        abort();
    if (count <= 64 && done > c->paylen)
        abort();
out:
    free(frame);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pro1000_offload_ctx c;

    if (size < 18)
        return 0;
    pro1000_offload_ctx_parse(data, &c);
    u8 popts = data[16];
    size_t out_size = 64 + (size_t)data[17] * 8;
    const uint8_t *frame = data + 18;
    size_t len = size - 18;

    check_checksums(frame, len, &c, popts);
    /* The same context as the device would use it for segmentation, whatever its TSE. */
    c.tucmd |= PRO1000_TUCMD_TSE;
    check_segments(frame, len, &c, popts, out_size);
    return 0;
}
