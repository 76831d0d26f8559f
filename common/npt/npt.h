/**
 * @file common/npt/npt.h
 * @brief The guest-physical map: one nested-page-table builder for EPT and NPT.
 *
 * bookvisor maps guest-physical addresses to the same host-physical addresses
 * (identity), except pages the guest must not reach directly. A struct
 * npt_layout says what each guest-physical range is; a struct npt holds
 * the tables that implement it in one entry format (common/npt/npt_format.h).
 *
 * Page sizes. Every mapping uses the largest page the layout allows
 * (npt_largest_size()): a 2 MiB or 1 GiB block may be one entry only if it
 * is all RAM or all pass-through MMIO, holds no hooked page and no VMM page,
 * and has one memory type over its whole span. Otherwise 4 KiB pages are
 * used, so a hooked page never drags its neighbours into the hook.
 *
 * Faults. Tables may be built eagerly (npt_build_identity()) or on demand
 * (npt_handle_fault() on each EPT violation / nested page fault), or both:
 * pages dropped by reclaim come back through the fault path.
 *
 * VMM memory. An access to a VMM_PRIVATE page is never mapped; the fault
 * handler reports NPT_FAULT_VMM_PRIVATE and the caller decides what the
 * access does (bookvisor emulates an empty bus: reads return all ones,
 * writes are dropped; see common/exits/exit_handlers.c and chapter 02).
 * The guest touching the hypervisor's own memory is a bug or an attack, and
 * silently giving it a zero page would hide either.
 *
 * Table memory and reclaim. Table pages come from a struct npt_mem and that
 * source may run dry. The builder never throws the whole map away. When an
 * allocation fails it reclaims one table and retries:
 *  1. a page table (4 KiB leaves) under some other 2 MiB region, chosen by a
 *     clock hand that sweeps guest-physical space in address order from where
 *     the last reclaim stopped (so recently built tables are taken last,
 *     without per-table bookkeeping);
 *  2. if there is none, a page directory (with its page tables) under some
 *     other 1 GiB region, same clock order.
 * The search starts at npt.reclaim_hand and, finding nothing from there to
 * the end of the space, once more from 0. The hand then moves to the end of
 * the victim's region (its 2 MiB or 1 GiB; modulo NPT_ADDR_LIMIT), each
 * reclaim counts in stats.reclaims and the removal sets flush_needed.
 * The region being mapped is never a victim. Reclaimed addresses are not
 * present again and fault back in lazily. When nothing can be reclaimed the
 * operation fails with NPT_ERR_NO_MEMORY and the map stays consistent.
 *
 * TLBs. Pure code cannot flush. Whenever a present entry is changed or
 * removed, npt.flush_needed is set; the backend must then invalidate
 * (INVEPT single-context, or the VMCB TLB control) before the guest runs
 * again and clear the flag (npt_take_flush()).
 *
 * Concurrency. None inside: callers serialise all calls on one map.
 */
#ifndef BOOKVISOR_COMMON_NPT_NPT_H
#define BOOKVISOR_COMMON_NPT_NPT_H

#include "common/lib/types.h"
#include "common/npt/mtrr.h"
#include "common/npt/npt_format.h"

/** Page sizes the builder uses. */
#define NPT_4K 0x1000ULL
#define NPT_2M 0x200000ULL /**< 2 MiB */
#define NPT_1G 0x40000000ULL /**< 1 GiB */
/** First guest-physical address a 4-level table cannot reach. */
#define NPT_ADDR_LIMIT (1ULL << 48)

/**
 * Where table pages come from. The VMM's source maps physical to virtual by
 * identity; host tests use a fake arena (common/npt/npt_pool.h serves both).
 */
struct npt_mem {
    void *ctx; /**< passed to each function */
    /** A 4 KiB-aligned table page's physical address, or 0 when none is left. */
    u64 (*alloc_table)(void *ctx);
    /** Return a page from alloc_table. */
    void (*free_table)(void *ctx, u64 pa);
    /** Where the table page at @p pa can be read and written. */
    void *(*table_ptr)(void *ctx, u64 pa);
};

/** What a guest-physical range is. */
enum npt_kind {
    NPT_KIND_NOT_BACKED = 0, /**< nothing there (gaps between ranges) */
    NPT_KIND_RAM, /**< memory the guest owns: mapped */
    NPT_KIND_MMIO, /**< device memory passed through: mapped */
    NPT_KIND_VMM_PRIVATE, /**< the VMM's memory: never mapped */
    NPT_KIND_HOOKED, /**< not present; accesses go to an MMIO hook */
};

/** Most ranges a layout holds; each hooked page may add two. */
#define NPT_LAYOUT_MAX_RANGES 128

/** One range of a layout: [start, end). */
struct npt_range {
    u64 start; /**< first byte (4 KiB aligned) */
    u64 end; /**< one past the last byte (4 KiB aligned) */
    u8 kind; /**< enum npt_kind */
    /** For HOOKED ranges, the kind npt_unhook_page() restores. */
    u8 hooked_over;
};

/** @name Layout flags */
/**@{*/
/** The CPU supports 1 GiB nested pages (EPT cap bit 17 / CPUID Page1GB). */
#define NPT_ALLOW_1G (1u << 0)
/** Use only 4 KiB pages (to measure what large pages buy). */
#define NPT_FORCE_4K (1u << 1)
/**@}*/

/**
 * Guest-physical space: sorted, non-overlapping ranges (gaps are
 * NOT_BACKED), the MTRR snapshot that gives memory types, and flags.
 * Change ranges only with npt_layout_set() or the hook functions.
 */
struct npt_layout {
    unsigned nranges; /**< used entries */
    struct npt_range ranges[NPT_LAYOUT_MAX_RANGES]; /**< sorted by start */
    struct mtrr_state mtrr; /**< memory types */
    u32 flags; /**< NPT_ALLOW_1G ... */
};

/** Results of builder operations. */
enum npt_status {
    NPT_OK = 0,
    NPT_ERR_NO_MEMORY, /**< no table page, even after reclaim */
    NPT_ERR_LAYOUT_FULL, /**< NPT_LAYOUT_MAX_RANGES reached */
    NPT_ERR_BAD_ARG, /**< address beyond NPT_ADDR_LIMIT, bad kind ... */
    NPT_ERR_VMM_PRIVATE, /**< the page is VMM memory (cannot be hooked) */
    NPT_ERR_NOT_HOOKED, /**< unhook of a page that is not hooked */
};

/** What npt_handle_fault() found and did. */
enum npt_fault_result {
    NPT_FAULT_MAPPED, /**< mapped now: resume the guest */
    NPT_FAULT_HOOKED, /**< hooked page: run the MMIO hook */
    NPT_FAULT_VMM_PRIVATE, /**< VMM memory: never mapped; the caller emulates the access */
    NPT_FAULT_NOT_BACKED, /**< nothing there: caller's policy */
    NPT_FAULT_NO_MEMORY, /**< could not get a table page: stop */
};

/** Counters, for the status tool and the book's measurements. */
struct npt_stats {
    u64 leaves_4k; /**< present 4 KiB leaves now */
    u64 leaves_2m; /**< present 2 MiB leaves now */
    u64 leaves_1g; /**< present 1 GiB leaves now */
    u64 tables; /**< table pages in use now, root included */
    u64 tables_peak; /**< most table pages ever in use */
    u64 reclaims; /**< tables reclaimed because allocation failed */
    u64 alloc_failures; /**< allocations that failed even after reclaim */
    u64 lazy_maps; /**< faults resolved by npt_handle_fault() */
    u64 nested_faults; /**< EPT violations / NPFs: incremented by the VMM */
};

/**
 * One guest-physical map.
 */
struct npt {
    const struct npt_format *fmt; /**< entry format */
    struct npt_mem mem; /**< table page source (a copy) */
    u64 root_pa; /**< PML4: goes into EPTP or nCR3 */
    u64 reclaim_hand; /**< where the next reclaim search starts */
    bool flush_needed; /**< a present entry changed since last flush */
    struct npt_stats stats; /**< counters */
};

/* ---- layout ---- */

/**
 * Empty layout (all NOT_BACKED) with a copy of @p mtrr and @p flags.
 */
void npt_layout_init(struct npt_layout *layout, const struct mtrr_state *mtrr, u32 flags);

/**
 * Make [start, start + len) of kind @p kind, overriding what was there
 * (the span is widened to 4 KiB boundaries). NOT_BACKED removes.
 * Setting HOOKED records the kind found at @p start, which
 * npt_unhook_page() restores.
 * Only the layout changes; call npt_update_range() to apply it to a map.
 */
enum npt_status npt_layout_set(struct npt_layout *layout, u64 start, u64 len, enum npt_kind kind);

/** Index of the first range of @p layout that ends after @p gpa (nranges if none). */
unsigned npt_layout_range_index(const struct npt_layout *layout, u64 gpa);

/** The range of @p layout that holds @p gpa, or NULL (not backed). */
const struct npt_range *npt_layout_range_at(const struct npt_layout *layout, u64 gpa);

/** Kind of the page holding @p gpa. */
enum npt_kind npt_layout_kind_at(const struct npt_layout *layout, u64 gpa);

/**
 * Kinds of the pages holding @p first and @p last (first <= last), as two
 * npt_layout_kind_at() calls would say, with one search when one range
 * holds both (a fetched instruction, an emulated access: chapter 14).
 */
void npt_layout_kinds_at(const struct npt_layout *layout, u64 first, u64 last,
                         enum npt_kind *kind_first, enum npt_kind *kind_last);

/**
 * Largest page that may map @p gpa under @p layout: NPT_1G, NPT_2M or
 * NPT_4K in bytes, or 0 if @p gpa must not be mapped at all (not backed,
 * hooked, VMM private). The aligned block of that size around @p gpa
 * satisfies every rule, so it may be mapped as one entry.
 */
u64 npt_largest_size(const struct npt_layout *layout, u64 gpa);

/* ---- the map ---- */

/**
 * Start an empty map in @p fmt with table pages from @p mem (copied).
 * @return NPT_OK, or NPT_ERR_NO_MEMORY if there is no page for the root.
 */
enum npt_status npt_init(struct npt *map, const struct npt_format *fmt, const struct npt_mem *mem);

/** Free every table page, root included. The map must be re-initialised to be used. */
void npt_destroy(struct npt *map);

/**
 * Make the tables agree with @p layout over [gpa, gpa + len), eagerly:
 * mappable pages are mapped by identity with the largest allowed page (which
 * may reach beyond the span to the edges of that page), other pages are made
 * not present, splitting a larger page around them so neighbours stay
 * mapped. Leaves carry RWX (RAM and pass-through MMIO alike) and the MTRR
 * memory type of their span.
 */
enum npt_status npt_map_range(struct npt *map, const struct npt_layout *layout, u64 gpa, u64 len);

/** npt_map_range() over every RAM and MMIO range of @p layout. */
enum npt_status npt_build_identity(struct npt *map, const struct npt_layout *layout);

/**
 * Re-apply @p layout to [gpa, gpa + len) after it changed (an MTRR write, a
 * range's kind): entries there are split, merged, retyped or removed as the
 * rules now say. Unlike npt_map_range(), blocks with nothing present stay
 * not present (they fault in later with the new rules).
 */
enum npt_status npt_update_range(struct npt *map, const struct npt_layout *layout, u64 gpa,
                                 u64 len);

/**
 * Handle an EPT violation / nested page fault at @p gpa: map its page if
 * the layout says it is mappable, otherwise say why not. Does not touch
 * stats.nested_faults (the VMM counts those).
 */
enum npt_fault_result npt_handle_fault(struct npt *map, const struct npt_layout *layout, u64 gpa);

/**
 * Hook the 4 KiB page holding @p gpa: mark it HOOKED in @p layout and make it
 * not present, splitting a large page around it. Hooking a hooked page is a
 * no-op; VMM memory cannot be hooked.
 */
enum npt_status npt_hook_page(struct npt *map, struct npt_layout *layout, u64 gpa);

/**
 * Undo npt_hook_page(): restore the kind that was there and map the page
 * directly again, merging back into a large page when the rules allow.
 */
enum npt_status npt_unhook_page(struct npt *map, struct npt_layout *layout, u64 gpa);

/**
 * Make the 4 KiB page holding @p gpa not present, splitting a large page
 * around it so its neighbours stay mapped, without changing the layout: the
 * next access faults it back in (npt_handle_fault()). A test aid (the
 * event-model tests need a page whose first touch is a nested fault).
 * NPT_ERR_BAD_ARG beyond NPT_ADDR_LIMIT.
 */
enum npt_status npt_unmap_page(struct npt *map, u64 gpa);

/**
 * Walk the tables for @p gpa.
 * @param map  the map to walk
 * @param gpa  guest-physical address to look up
 * @param hpa  if not NULL, the host-physical address @p gpa maps to
 * @param size if not NULL, the size of the leaf that maps it
 * @return true if mapped.
 */
bool npt_translate(const struct npt *map, u64 gpa, u64 *hpa, u64 *size);

/**
 * The raw leaf entry mapping @p gpa and its level (1..3), for tests and
 * debugging. @return false if @p gpa is not mapped.
 */
bool npt_leaf_entry(const struct npt *map, u64 gpa, u64 *entry, unsigned *level);

/** Return whether a TLB flush is needed, and clear the flag. */
bool npt_take_flush(struct npt *map);

#endif
