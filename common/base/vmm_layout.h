/**
 * @file common/base/vmm_layout.h
 * @brief Where bookvisor puts itself, and what memory the guest gets (pure).
 *
 * bookvisor takes one contiguous, 2 MiB-aligned region as high as possible
 * below 4 GiB (its 32-bit entry and the page-table window need that) and
 * leaves all other RAM to the guest, whose memory map is the firmware's map
 * with that region cut out. Chapter 01 draws the picture.
 */
#ifndef BOOKVISOR_COMMON_BASE_VMM_LAYOUT_H
#define BOOKVISOR_COMMON_BASE_VMM_LAYOUT_H

#include "common/lib/types.h"

/** A physical range [base, base + length) with a multiboot memory type. */
struct phys_range {
    u64 base;   /**< first byte */
    u64 length; /**< bytes */
    u32 type;   /**< 1 = available RAM; other values as in the multiboot map */
};

/**
 * Choose the VMM's region: the highest base, aligned to align, such that
 * [base, base + size) lies inside one available range, ends at or below
 * limit, and overlaps none of the avoid ranges.
 * @return true and *base_out set, or false if nothing fits.
 */
bool vmm_layout_choose(const struct phys_range *map, size_t nmap,
                       const struct phys_range *avoid, size_t navoid,
                       u64 size, u64 align, u64 limit, u64 *base_out);

/**
 * Build the guest's memory map: the firmware map with [hole_base,
 * hole_base + hole_size) removed from available ranges (split where needed)
 * and given the reserved type, so the guest never treats VMM memory as RAM.
 * @return the number of entries written to out (at most out_max; excess
 *         entries are dropped and reported by returning out_max + 1).
 */
size_t vmm_layout_guest_map(const struct phys_range *map, size_t nmap, u64 hole_base,
                            u64 hole_size, struct phys_range *out, size_t out_max);

#endif
