/**
 * @file tests/guest/test_page.h
 * @brief bookvisor's MMIO test page, as the checks find and read it.
 *
 * With the `test.mmio_page` option bookvisor hooks one page
 * (common/platform/test_mmio_page.h): offset 0 reads 'book', 0x08 the last
 * value written, 0x10 the offset of that write, 0x18 the number of writes,
 * any other offset o the bytes (o + i) ^ 0xA5.
 */
#ifndef GUEST_TEST_PAGE_H
#define GUEST_TEST_PAGE_H

#include "check.h"

/** Offset of the last value written. */
#define TEST_PAGE_VALUE 0x08
/** Offset of the last write's offset. */
#define TEST_PAGE_OFFSET 0x10
/** Offset of the number of writes. */
#define TEST_PAGE_COUNT 0x18
/** What offset 0 reads: "book". */
#define TEST_PAGE_MAGIC 0x6B6F6F62u

/**
 * The test page's guest-physical address, or 0 with @p res skipped (no
 * hypervisor, or bookvisor runs without `test.mmio_page`).
 */
u32 test_page_find(struct check_result *res);

/** What size bytes at offset off read (any offset but 0, 0x08, 0x10, 0x18). */
u32 test_page_pattern(u32 off, unsigned size);

#endif
