/*
 * common/base/vmm_layout.c - choosing the VMM region and cutting it out of the map.
 */
#include "common/base/vmm_layout.h"

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
    return a < b + blen && b < a + alen;
}

bool vmm_layout_choose(const struct phys_range *map, size_t nmap,
                       const struct phys_range *avoid, size_t navoid,
                       u64 size, u64 align, u64 limit, u64 *base_out)
{
    bool found = false;
    u64 best = 0;

    if (size == 0 || align == 0 || (align & (align - 1)))
        return false;
    for (size_t i = 0; i < nmap; i++) {
        if (map[i].type != 1 || map[i].length < size)
            continue;
        u64 start = map[i].base;
        u64 end = map[i].base + map[i].length;
        if (end < start) /* wraps */
            continue;
        if (end > limit)
            end = limit;
        if (end < start + size)
            continue;
        /* Walk down from the top, stepping below each obstacle we hit. */
        u64 cand = ALIGN_DOWN(end - size, align);
        while (cand >= start && cand + size <= end) {
            bool clash = false;
            for (size_t j = 0; j < navoid; j++) {
                if (avoid[j].length && overlaps(cand, size, avoid[j].base, avoid[j].length)) {
                    clash = true;
                    if (avoid[j].base < size)
                        cand = 0, clash = true;
                    else
                        cand = ALIGN_DOWN(avoid[j].base - size, align);
                    break;
                }
            }
            if (!clash) {
                if (!found || cand > best)
                    best = cand;
                found = true;
                break;
            }
            if (cand == 0)
                break;
        }
    }
    if (found)
        *base_out = best;
    return found;
}

static size_t emit(struct phys_range *out, size_t n, size_t out_max, u64 base, u64 len, u32 type)
{
    if (len == 0)
        return n;
    if (n < out_max) {
        out[n].base = base;
        out[n].length = len;
        out[n].type = type;
    }
    return n + 1;
}

/* Emit [b, e) of an available range with holes[i..] cut out, in address
 * order: what lies below hole i, the overlap as reserved, what lies above. */
static size_t emit_cut(struct phys_range *out, size_t n, size_t out_max, u64 b, u64 e,
                       const struct phys_range *holes, size_t i, size_t nholes)
{
    for (; i < nholes; i++)
        if (holes[i].length && overlaps(b, e - b, holes[i].base, holes[i].length))
            break;
    if (i == nholes)
        return emit(out, n, out_max, b, e - b, 1);
    u64 hb = holes[i].base, he = holes[i].base + holes[i].length;
    if (b < hb)
        n = emit_cut(out, n, out_max, b, hb, holes, i + 1, nholes);
    u64 rb = b > hb ? b : hb;
    u64 re = e < he ? e : he;
    n = emit(out, n, out_max, rb, re - rb, 2);
    if (e > he)
        n = emit_cut(out, n, out_max, he, e, holes, i + 1, nholes);
    return n;
}

size_t vmm_layout_cut_holes(const struct phys_range *map, size_t nmap,
                            const struct phys_range *holes, size_t nholes,
                            struct phys_range *out, size_t out_max)
{
    size_t n = 0;

    for (size_t i = 0; i < nmap; i++) {
        if (map[i].type != 1)
            n = emit(out, n, out_max, map[i].base, map[i].length, map[i].type);
        else
            n = emit_cut(out, n, out_max, map[i].base, map[i].base + map[i].length, holes, 0,
                         nholes);
    }
    return n > out_max ? out_max + 1 : n;
}

bool vmm_layout_is_ram(const struct phys_range *map, size_t nmap, u64 start, u64 size, u64 *bad)
{
    u64 cur = start, end = start + size;

    if (end < start) { /* wraps: never RAM */
        if (bad)
            *bad = start;
        return false;
    }
    while (cur < end) {
        size_t i;
        for (i = 0; i < nmap; i++) {
            const struct phys_range *r = &map[i];
            if (r->type == 1 && cur >= r->base && cur - r->base < r->length)
                break;
        }
        if (i == nmap) {
            if (bad)
                *bad = cur;
            return false;
        }
        /* Strictly above cur, so the loop makes progress. */
        cur = map[i].length > ~0ULL - map[i].base ? ~0ULL : map[i].base + map[i].length;
    }
    return true;
}
