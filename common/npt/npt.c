/**
 * @file common/npt/npt.c
 * @brief The guest-physical map builder (see common/npt/npt.h).
 *
 * Two parts: the page-size rule (npt_largest_size) and the tables (walk,
 * split, merge, reclaim). The layout they read, a sorted range list, is
 * common/npt/npt_layout.c.
 * Table levels follow the hardware: 4 = PML4 ... 1 = PT; "a table at level L"
 * holds entries of level L, each covering npt_level_size(L) bytes.
 */
#include "common/npt/npt.h"
#include "common/lib/kstring.h"

#define ENTRIES_PER_TABLE 512
#define TABLE_BYTES 4096

/* ==== the layout's questions the page-size rule asks (the rest: npt_layout.c) ==== */

/* Is [base, base + size) covered, without gaps, by ranges of one kind? */
static bool block_is_one_kind(const struct npt_layout *layout, u64 base, u64 size,
                              enum npt_kind kind)
{
    unsigned i = npt_layout_range_index(layout, base);
    u64 pos = base, end = base + size;

    while (pos < end) {
        const struct npt_range *r = &layout->ranges[i];

        if (i >= layout->nranges || r->start > pos || r->kind != kind)
            return false;
        pos = r->end;
        i++;
    }
    return true;
}

/* ==== the page-size rule ==== */

u64 npt_largest_size(const struct npt_layout *layout, u64 gpa)
{
    /* LAB 4 BEGIN: decide the largest page size that can map gpa */
    /* LAB 4 FALLBACK: return gpa < NPT_ADDR_LIMIT && (npt_layout_kind_at(layout, gpa) == NPT_KIND_RAM || npt_layout_kind_at(layout, gpa) == NPT_KIND_MMIO) ? NPT_4K : 0; */
    static const u64 large_sizes[] = { NPT_1G, NPT_2M };
    enum npt_kind kind = npt_layout_kind_at(layout, gpa);
    unsigned i;

    /* Only guest RAM and pass-through MMIO are mapped at all. */
    if (gpa >= NPT_ADDR_LIMIT || (kind != NPT_KIND_RAM && kind != NPT_KIND_MMIO))
        return 0;
    if (layout->flags & NPT_FORCE_4K)
        return NPT_4K;

    for (i = 0; i < ARRAY_SIZE(large_sizes); i++) {
        u64 size = large_sizes[i];
        u64 base = ALIGN_DOWN(gpa, size);

        if (size == NPT_1G && !(layout->flags & NPT_ALLOW_1G))
            continue;
        /* One kind end to end: no hole, hooked page or VMM page inside. */
        if (!block_is_one_kind(layout, base, size, kind))
            continue;
        /* One memory type end to end, or a single entry would lie. */
        if (mtrr_type_of_range(&layout->mtrr, base, size) == MTRR_TYPE_MIXED)
            continue;
        return size;
    }
    return NPT_4K;
    /* LAB 4 END */
}

/* ==== tables ==== */

static u64 *table_at(const struct npt *map, u64 pa)
{
    return map->mem.table_ptr(map->mem.ctx, pa);
}

static void count_leaves(struct npt *map, unsigned level, s64 delta)
{
    if (level == 1)
        map->stats.leaves_4k += (u64)delta;
    else if (level == 2)
        map->stats.leaves_2m += (u64)delta;
    else
        map->stats.leaves_1g += (u64)delta;
}

static void free_table_page(struct npt *map, u64 pa)
{
    map->mem.free_table(map->mem.ctx, pa);
    map->stats.tables--;
}

/* Free the table at pa (holding level-`level` entries) and everything under it. */
static void free_subtree(struct npt *map, u64 pa, unsigned level)
{
    const struct npt_format *fmt = map->fmt;
    u64 *t = table_at(map, pa);
    unsigned i;

    for (i = 0; i < ENTRIES_PER_TABLE; i++) {
        u64 e = t[i];

        if (!fmt->is_present(e))
            continue;
        if (fmt->is_leaf(e, level))
            count_leaves(map, level, -1);
        else
            free_subtree(map, fmt->entry_addr(e, level), level - 1);
    }
    free_table_page(map, pa);
}

/* Make *slot (a level-`level` entry) not present, freeing what it pointed to. */
static void drop_entry(struct npt *map, u64 *slot, unsigned level)
{
    const struct npt_format *fmt = map->fmt;
    u64 e = *slot;

    if (!fmt->is_present(e))
        return;
    *slot = 0; /* unlink first: the hardware must never see a freed table */
    map->flush_needed = true;
    if (fmt->is_leaf(e, level))
        count_leaves(map, level, -1);
    else
        free_subtree(map, fmt->entry_addr(e, level), level - 1);
}

/* The existing level-`level` entry for gpa; the tables above must exist. */
static u64 *existing_slot(struct npt *map, u64 gpa, unsigned level)
{
    u64 pa = map->root_pa;
    unsigned l;

    for (l = 4; l > level; l--)
        pa = map->fmt->entry_addr(table_at(map, pa)[npt_level_index(gpa, l)], l);
    return &table_at(map, pa)[npt_level_index(gpa, level)];
}

/*
 * Reclaim search: the first level-`victim` table at or after guest-physical
 * address `from`, not covering `keep`. `pa` is a table at `level` whose first
 * entry maps `base`.
 */
static bool find_victim(struct npt *map, u64 pa, unsigned level, u64 base, u64 from, u64 keep,
                        unsigned victim, u64 *found)
{
    const struct npt_format *fmt = map->fmt;
    u64 span = npt_level_size(level);
    u64 *t = table_at(map, pa);
    unsigned i = from > base ? npt_level_index(from, level) : 0;

    for (; i < ENTRIES_PER_TABLE; i++) {
        u64 e = t[i];
        u64 ebase = base + (u64)i * span;

        if (!fmt->is_present(e) || fmt->is_leaf(e, level))
            continue;
        if (level == victim + 1) {
            if (ALIGN_DOWN(keep, span) == ebase)
                continue; /* the region being worked on */
            *found = ebase;
            return true;
        }
        if (find_victim(map, fmt->entry_addr(e, level), level - 1, ebase, from, keep, victim,
                        found))
            return true;
    }
    return false;
}

/* Free one table not needed to map `keep` (policy: see npt.h). */
static bool reclaim_one(struct npt *map, u64 keep)
{
    /* LAB 4 BEGIN: part 2: reclaim one table (clock hand, page tables before directories) */
    /* LAB 4 FALLBACK: return false; */
    unsigned victim;

    for (victim = 1; victim <= 2; victim++) {
        u64 found;
        unsigned parent = victim + 1;

        if (!find_victim(map, map->root_pa, 4, 0, map->reclaim_hand, keep, victim, &found) &&
            !find_victim(map, map->root_pa, 4, 0, 0, keep, victim, &found))
            continue;
        drop_entry(map, existing_slot(map, found, parent), parent);
        map->reclaim_hand = (found + npt_level_size(parent)) % NPT_ADDR_LIMIT;
        map->stats.reclaims++;
        return true;
    }
    return false;
    /* LAB 4 END */
}

/* A zeroed table page, reclaiming others (never keep's) if the source is dry. */
static u64 alloc_table(struct npt *map, u64 keep)
{
    u64 pa = map->mem.alloc_table(map->mem.ctx);

    while (pa == 0 && reclaim_one(map, keep))
        pa = map->mem.alloc_table(map->mem.ctx);
    if (pa == 0) {
        map->stats.alloc_failures++;
        return 0;
    }
    memset(table_at(map, pa), 0, TABLE_BYTES);
    map->stats.tables++;
    if (map->stats.tables > map->stats.tables_peak)
        map->stats.tables_peak = map->stats.tables;
    return pa;
}

/* Replace the large leaf *slot by a table of 512 leaves one level down with
 * the same translation, permissions and memory type. */
static enum npt_status split_leaf(struct npt *map, u64 *slot, unsigned level, u64 keep)
{
    const struct npt_format *fmt = map->fmt;
    u64 e = *slot;
    u64 base = fmt->entry_addr(e, level);
    unsigned perms = fmt->leaf_perms(e);
    u8 memtype = fmt->leaf_memtype(e);
    u64 child_size = npt_level_size(level - 1);
    u64 pa = alloc_table(map, keep);
    u64 *child;
    unsigned i;

    if (pa == 0)
        return NPT_ERR_NO_MEMORY;
    child = table_at(map, pa);
    for (i = 0; i < ENTRIES_PER_TABLE; i++)
        child[i] = fmt->make_leaf(base + i * child_size, level - 1, perms, memtype);
    *slot = fmt->make_table_entry(pa);
    count_leaves(map, level, -1);
    count_leaves(map, level - 1, ENTRIES_PER_TABLE);
    map->flush_needed = true;
    return NPT_OK;
}

/* The level-`level` entry for gpa, creating tables and splitting large
 * leaves above it as needed. */
static enum npt_status walk_create(struct npt *map, u64 gpa, unsigned level, u64 **slot_out)
{
    const struct npt_format *fmt = map->fmt;
    u64 pa = map->root_pa;
    unsigned l;

    for (l = 4; l > level; l--) {
        u64 *slot = &table_at(map, pa)[npt_level_index(gpa, l)];

        if (!fmt->is_present(*slot)) {
            u64 child = alloc_table(map, gpa);

            if (child == 0)
                return NPT_ERR_NO_MEMORY;
            *slot = fmt->make_table_entry(child);
        } else if (fmt->is_leaf(*slot, l)) {
            enum npt_status st = split_leaf(map, slot, l, gpa);

            if (st != NPT_OK)
                return st;
        }
        pa = fmt->entry_addr(*slot, l);
    }
    *slot_out = &table_at(map, pa)[npt_level_index(gpa, level)];
    return NPT_OK;
}

/* Install `leaf` as the level-`level` entry for gpa; a table that was there
 * (smaller pages) is freed, which is how regions merge into a large page. */
static enum npt_status set_leaf(struct npt *map, u64 gpa, unsigned level, u64 leaf)
{
    const struct npt_format *fmt = map->fmt;
    u64 *slot;
    u64 old;
    enum npt_status st = walk_create(map, gpa, level, &slot);

    if (st != NPT_OK)
        return st;
    old = *slot;
    if (old == leaf)
        return NPT_OK;
    *slot = leaf;
    count_leaves(map, level, 1);
    if (fmt->is_present(old)) {
        map->flush_needed = true;
        if (fmt->is_leaf(old, level))
            count_leaves(map, level, -1);
        else
            free_subtree(map, fmt->entry_addr(old, level), level - 1);
    }
    return NPT_OK;
}

static unsigned level_of_size(u64 size)
{
    return size == NPT_1G ? 3 : size == NPT_2M ? 2 : 1;
}

/* Map the block of `size` bytes holding gpa by identity. */
static enum npt_status map_block(struct npt *map, const struct npt_layout *layout, u64 gpa,
                                 u64 size)
{
    u64 base = ALIGN_DOWN(gpa, size);
    unsigned level = level_of_size(size);
    int type = mtrr_type_of_range(&layout->mtrr, base, size);
    u8 memtype = type == MTRR_TYPE_MIXED ? MTRR_TYPE_UC : (u8)type;

    return set_leaf(map, base, level, map->fmt->make_leaf(base, level, NPT_PERM_RWX, memtype));
}

/*
 * Make [s, e) not present in the table at pa (level `level`, first entry at
 * base). A large leaf partly inside is split so the rest stays mapped; if no
 * table page can be had, the whole leaf goes (its other pages fault back in).
 */
static void clear_in_table(struct npt *map, u64 pa, unsigned level, u64 base, u64 s, u64 e)
{
    const struct npt_format *fmt = map->fmt;
    u64 span = npt_level_size(level);
    u64 end = base + span * ENTRIES_PER_TABLE;
    u64 gpa;

    for (gpa = ALIGN_DOWN(s > base ? s : base, span); gpa < e && gpa < end; gpa += span) {
        u64 *slot = &table_at(map, pa)[npt_level_index(gpa, level)];
        u64 lo = s > gpa ? s : gpa;
        u64 hi = e < gpa + span ? e : gpa + span;

        if (!fmt->is_present(*slot))
            continue;
        if (lo == gpa && hi == gpa + span) {
            drop_entry(map, slot, level);
            continue;
        }
        if (fmt->is_leaf(*slot, level) && split_leaf(map, slot, level, lo) != NPT_OK) {
            drop_entry(map, slot, level);
            continue;
        }
        clear_in_table(map, fmt->entry_addr(*slot, level), level - 1, gpa, lo, hi);
    }
}

static void clear_range(struct npt *map, u64 s, u64 e)
{
    clear_in_table(map, map->root_pa, 4, 0, s, e);
}

/* Does anything map into [gpa, gpa + size)? (A table there counts.) */
static bool block_has_mapping(const struct npt *map, u64 gpa, u64 size)
{
    const struct npt_format *fmt = map->fmt;
    u64 pa = map->root_pa;
    unsigned l;

    for (l = 4; l >= 1; l--) {
        u64 e = table_at(map, pa)[npt_level_index(gpa, l)];

        if (!fmt->is_present(e))
            return false;
        if (fmt->is_leaf(e, l) || npt_level_size(l) <= size)
            return true;
        pa = fmt->entry_addr(e, l);
    }
    return false;
}

/* End of the unmappable stretch starting at gpa, at most e. */
static u64 unmappable_end(const struct npt_layout *layout, u64 gpa, u64 e)
{
    unsigned i = npt_layout_range_index(layout, gpa);
    u64 next = NPT_ADDR_LIMIT;

    if (i < layout->nranges)
        next = layout->ranges[i].start <= gpa ? layout->ranges[i].end : layout->ranges[i].start;
    return next < e ? next : e;
}

/* Bring [s, e) in line with the layout; `eager` maps blocks with nothing
 * present too. */
static enum npt_status sync_range(struct npt *map, const struct npt_layout *layout, u64 s, u64 e,
                                  bool eager)
{
    u64 cur = s;

    while (cur < e) {
        u64 size = npt_largest_size(layout, cur);
        u64 base;

        if (size == 0) {
            u64 next = unmappable_end(layout, cur, e);

            if (next <= cur) /* defensive: always make progress */
                next = cur + NPT_4K;
            clear_range(map, cur, next);
            cur = next;
            continue;
        }
        base = ALIGN_DOWN(cur, size);
        if (eager || block_has_mapping(map, base, size)) {
            enum npt_status st = map_block(map, layout, base, size);

            if (st != NPT_OK)
                return st;
        }
        cur = base + size;
    }
    return NPT_OK;
}

/* Round [gpa, gpa + len) out to pages and check it fits the tables. */
static bool page_span(u64 gpa, u64 len, u64 *s, u64 *e)
{
    if (gpa >= NPT_ADDR_LIMIT || gpa + len < gpa)
        return false;
    *s = ALIGN_DOWN(gpa, NPT_4K);
    *e = gpa + len > NPT_ADDR_LIMIT ? NPT_ADDR_LIMIT : ALIGN_UP(gpa + len, NPT_4K);
    return true;
}

/* ==== public map operations ==== */

enum npt_status npt_init(struct npt *map, const struct npt_format *fmt, const struct npt_mem *mem)
{
    memset(map, 0, sizeof(*map));
    map->fmt = fmt;
    map->mem = *mem;
    map->root_pa = mem->alloc_table(mem->ctx);
    if (map->root_pa == 0)
        return NPT_ERR_NO_MEMORY;
    memset(table_at(map, map->root_pa), 0, TABLE_BYTES);
    map->stats.tables = 1;
    map->stats.tables_peak = 1;
    return NPT_OK;
}

void npt_destroy(struct npt *map)
{
    if (map->root_pa)
        free_subtree(map, map->root_pa, 4);
    map->root_pa = 0;
    map->flush_needed = true;
}

enum npt_status npt_map_range(struct npt *map, const struct npt_layout *layout, u64 gpa, u64 len)
{
    u64 s, e;

    if (len == 0)
        return NPT_OK;
    if (!page_span(gpa, len, &s, &e))
        return NPT_ERR_BAD_ARG;
    return sync_range(map, layout, s, e, true);
}

enum npt_status npt_build_identity(struct npt *map, const struct npt_layout *layout)
{
    unsigned i;

    for (i = 0; i < layout->nranges; i++) {
        const struct npt_range *r = &layout->ranges[i];
        enum npt_status st;

        if (r->kind != NPT_KIND_RAM && r->kind != NPT_KIND_MMIO)
            continue;
        if (r->start >= NPT_ADDR_LIMIT)
            break;
        st = npt_map_range(map, layout, r->start, r->end - r->start);
        if (st != NPT_OK)
            return st;
    }
    return NPT_OK;
}

enum npt_status npt_update_range(struct npt *map, const struct npt_layout *layout, u64 gpa, u64 len)
{
    u64 s, e;

    if (len == 0)
        return NPT_OK;
    if (!page_span(gpa, len, &s, &e))
        return NPT_ERR_BAD_ARG;
    return sync_range(map, layout, s, e, false);
}

enum npt_fault_result npt_handle_fault(struct npt *map, const struct npt_layout *layout, u64 gpa)
{
    u64 size = npt_largest_size(layout, gpa);

    if (size != 0) {
        if (map_block(map, layout, gpa, size) != NPT_OK)
            return NPT_FAULT_NO_MEMORY;
        map->stats.lazy_maps++;
        return NPT_FAULT_MAPPED;
    }
    switch (npt_layout_kind_at(layout, gpa)) {
    case NPT_KIND_HOOKED: return NPT_FAULT_HOOKED;
    case NPT_KIND_VMM_PRIVATE: return NPT_FAULT_VMM_PRIVATE;
    default: return NPT_FAULT_NOT_BACKED;
    }
}

enum npt_status npt_hook_page(struct npt *map, struct npt_layout *layout, u64 gpa)
{
    u64 page = ALIGN_DOWN(gpa, NPT_4K);
    enum npt_kind kind;
    enum npt_status st;

    if (gpa >= NPT_ADDR_LIMIT)
        return NPT_ERR_BAD_ARG;
    kind = npt_layout_kind_at(layout, page);
    if (kind == NPT_KIND_VMM_PRIVATE)
        return NPT_ERR_VMM_PRIVATE;
    if (kind == NPT_KIND_HOOKED)
        return NPT_OK;
    st = npt_layout_set(layout, page, NPT_4K, NPT_KIND_HOOKED);
    if (st != NPT_OK)
        return st;
    clear_range(map, page, page + NPT_4K);
    return NPT_OK;
}

enum npt_status npt_unhook_page(struct npt *map, struct npt_layout *layout, u64 gpa)
{
    u64 page = ALIGN_DOWN(gpa, NPT_4K);
    const struct npt_range *r;
    enum npt_status st;
    u64 size;

    if (gpa >= NPT_ADDR_LIMIT)
        return NPT_ERR_BAD_ARG;
    r = npt_layout_range_at(layout, page);
    if (!r || r->kind != NPT_KIND_HOOKED)
        return NPT_ERR_NOT_HOOKED;
    st = npt_layout_set(layout, page, NPT_4K, (enum npt_kind)r->hooked_over);
    if (st != NPT_OK)
        return st;
    /* Mapping the largest block around the page also merges its
     * neighbours back into one large page when the rules allow. */
    size = npt_largest_size(layout, page);
    return size ? map_block(map, layout, page, size) : NPT_OK;
}

enum npt_status npt_unmap_page(struct npt *map, u64 gpa)
{
    u64 page = ALIGN_DOWN(gpa, NPT_4K);

    if (gpa >= NPT_ADDR_LIMIT)
        return NPT_ERR_BAD_ARG;
    clear_range(map, page, page + NPT_4K);
    return NPT_OK;
}

bool npt_leaf_entry(const struct npt *map, u64 gpa, u64 *entry, unsigned *level)
{
    const struct npt_format *fmt = map->fmt;
    u64 pa = map->root_pa;
    unsigned l;

    if (gpa >= NPT_ADDR_LIMIT || pa == 0)
        return false;
    for (l = 4; l >= 1; l--) {
        u64 e = table_at(map, pa)[npt_level_index(gpa, l)];

        if (!fmt->is_present(e))
            return false;
        if (fmt->is_leaf(e, l)) {
            if (entry)
                *entry = e;
            if (level)
                *level = l;
            return true;
        }
        pa = fmt->entry_addr(e, l);
    }
    return false;
}

bool npt_translate(const struct npt *map, u64 gpa, u64 *hpa, u64 *size)
{
    u64 e;
    unsigned level;
    u64 leaf_size;

    if (!npt_leaf_entry(map, gpa, &e, &level))
        return false;
    leaf_size = npt_level_size(level);
    if (hpa)
        *hpa = map->fmt->entry_addr(e, level) + (gpa & (leaf_size - 1));
    if (size)
        *size = leaf_size;
    return true;
}

bool npt_take_flush(struct npt *map)
{
    bool was = map->flush_needed;

    map->flush_needed = false;
    return was;
}
