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

size_t vmm_layout_guest_map(const struct phys_range *map, size_t nmap, u64 hole_base,
                            u64 hole_size, struct phys_range *out, size_t out_max)
{
    size_t n = 0;
    u64 hole_end = hole_base + hole_size;

    for (size_t i = 0; i < nmap; i++) {
        u64 b = map[i].base, e = map[i].base + map[i].length;
        if (map[i].type != 1 || !overlaps(b, map[i].length, hole_base, hole_size)) {
            n = emit(out, n, out_max, b, map[i].length, map[i].type);
            continue;
        }
        if (b < hole_base)
            n = emit(out, n, out_max, b, hole_base - b, 1);
        u64 rb = b > hole_base ? b : hole_base;
        u64 re = e < hole_end ? e : hole_end;
        n = emit(out, n, out_max, rb, re - rb, 2);
        if (e > hole_end)
            n = emit(out, n, out_max, hole_end, e - hole_end, 1);
    }
    return n > out_max ? out_max + 1 : n;
}
