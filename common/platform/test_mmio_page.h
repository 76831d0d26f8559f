/**
 * @file common/platform/test_mmio_page.h
 * @brief A hooked MMIO page for tests (option test.mmio_page; chapter 05).
 *
 * At guest-physical TEST_MMIO_PAGE_GPA (15 MiB, inside RAM on every target)
 * bookvisor hooks one 4 KiB page and removes it from the guest's RAM map.
 * Offset 0x00 reads 0x6B6F6F62 ('book'); 0x08 reads the last value written
 * anywhere in the page; 0x10 the offset of that write; 0x18 the number of
 * writes; any other offset o reads the bytes (o + i) ^ 0xA5. Writes change
 * nothing but those records. The bytes around the page stay ordinary RAM.
 */
#ifndef BOOKVISOR_COMMON_PLATFORM_TEST_MMIO_PAGE_H
#define BOOKVISOR_COMMON_PLATFORM_TEST_MMIO_PAGE_H

#include "common/lib/types.h"

/** Where the test page is. */
#define TEST_MMIO_PAGE_GPA 0xF00000ULL

struct guest_vm;

/** Register the test page's MMIO hook. */
void test_mmio_page_install(struct guest_vm *vm);

#endif
