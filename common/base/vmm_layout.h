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
 * Build the guest's memory map: the firmware map with every hole (the VMM
 * region; a page bookvisor turns into a device, ...) removed from the
 * available ranges (split where needed) and given the reserved type, so the
 * guest never treats that memory as RAM. Entries keep the map's order; an
 * entry is split in address order. Holes may overlap each other; empty
 * holes are ignored.
 * @return the number of entries written to out, or out_max + 1 when they do
 *         not all fit (out then holds the first out_max).
 */
size_t vmm_layout_cut_holes(const struct phys_range *map, size_t nmap,
                            const struct phys_range *holes, size_t nholes,
                            struct phys_range *out, size_t out_max);

/**
 * Is [start, start + size) available RAM in map? Several adjacent available
 * entries may cover it together; a range that wraps never is.
 * @param map   the memory map (type 1 = available RAM)
 * @param nmap  entries in map
 * @param start first byte of the range
 * @param size  bytes in the range (0: always true)
 * @param bad   when not NULL and the answer is false: the first address
 *              that is not available RAM
 */
bool vmm_layout_is_ram(const struct phys_range *map, size_t nmap, u64 start, u64 size, u64 *bad);

#endif
