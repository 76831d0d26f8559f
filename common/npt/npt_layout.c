/**
 * @file common/npt/npt_layout.c
 * @brief The guest-physical layout (see common/npt/npt.h): a sorted list of
 *        ranges, each of one kind, that the map builder (common/npt/npt.c)
 *        reads. Pure: the VMM and the unit tests compile the same file.
 */
#include "common/npt/npt.h"
#include "common/lib/kstring.h"

/* Index of the first range ending after gpa (nranges if none). */
unsigned npt_layout_range_index(const struct npt_layout *layout, u64 gpa)
{
    unsigned lo = 0, hi = layout->nranges;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (layout->ranges[mid].end > gpa)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

const struct npt_range *npt_layout_range_at(const struct npt_layout *layout, u64 gpa)
{
    unsigned i = npt_layout_range_index(layout, gpa);

    if (i < layout->nranges && layout->ranges[i].start <= gpa)
        return &layout->ranges[i];
    return NULL;
}

void npt_layout_init(struct npt_layout *layout, const struct mtrr_state *mtrr, u32 flags)
{
    layout->nranges = 0;
    layout->mtrr = *mtrr;
    layout->flags = flags;
}

enum npt_kind npt_layout_kind_at(const struct npt_layout *layout, u64 gpa)
{
    const struct npt_range *r = npt_layout_range_at(layout, gpa);

    return r ? (enum npt_kind)r->kind : NPT_KIND_NOT_BACKED;
}

void npt_layout_kinds_at(const struct npt_layout *layout, u64 first, u64 last,
                         enum npt_kind *kind_first, enum npt_kind *kind_last)
{
    unsigned i = npt_layout_range_index(layout, first);
    const struct npt_range *r = i < layout->nranges ? &layout->ranges[i] : NULL;

    *kind_first = r && r->start <= first ? (enum npt_kind)r->kind : NPT_KIND_NOT_BACKED;
    /* The ranges are sorted: below r's end, last is in r or in the gap before it. */
    if (r && last < r->end) {
        *kind_last = r->start <= last ? (enum npt_kind)r->kind : NPT_KIND_NOT_BACKED;
        return;
    }
    *kind_last = npt_layout_kind_at(layout, last);
}

/* Cut the range holding x in two at x, so no range straddles x. */
static void split_range_at(struct npt_layout *layout, u64 x)
{
    unsigned i = npt_layout_range_index(layout, x);
    struct npt_range *r = &layout->ranges[i];

    if (i >= layout->nranges || r->start >= x)
        return;
    memmove(r + 1, r, (layout->nranges - i) * sizeof(*r));
    layout->nranges++;
    r[0].end = x;
    r[1].start = x;
}

/* Join neighbours that touch and say the same thing. */
static void merge_ranges(struct npt_layout *layout)
{
    unsigned in, out = 0;

    for (in = 0; in < layout->nranges; in++) {
        struct npt_range *cur = &layout->ranges[in];
        struct npt_range *prev = out ? &layout->ranges[out - 1] : NULL;

        if (prev && prev->end == cur->start && prev->kind == cur->kind &&
            prev->hooked_over == cur->hooked_over) {
            prev->end = cur->end;
            continue;
        }
        layout->ranges[out++] = *cur;
    }
    layout->nranges = out;
}

enum npt_status npt_layout_set(struct npt_layout *layout, u64 start, u64 len, enum npt_kind kind)
{
    u64 s = ALIGN_DOWN(start, NPT_4K);
    u64 e = ALIGN_UP(start + len, NPT_4K);
    u8 under = NPT_KIND_NOT_BACKED;
    unsigned first, last;

    if (len == 0)
        return NPT_OK;
    if (kind > NPT_KIND_HOOKED || start + len < start || e == 0)
        return NPT_ERR_BAD_ARG;
    /* Splitting adds at most two ranges before anything is removed. */
    if (layout->nranges + 2 > NPT_LAYOUT_MAX_RANGES)
        return NPT_ERR_LAYOUT_FULL;

    if (kind == NPT_KIND_HOOKED) {
        const struct npt_range *r = npt_layout_range_at(layout, s);

        if (r)
            under = r->kind == NPT_KIND_HOOKED ? r->hooked_over : r->kind;
    }

    split_range_at(layout, s);
    split_range_at(layout, e);
    first = npt_layout_range_index(layout, s);
    for (last = first; last < layout->nranges && layout->ranges[last].start < e; last++)
        ;
    /* Ranges first..last-1 lie inside [s, e): replace them with one. */
    memmove(&layout->ranges[first], &layout->ranges[last],
            (layout->nranges - last) * sizeof(layout->ranges[0]));
    layout->nranges -= last - first;
    if (kind != NPT_KIND_NOT_BACKED) {
        struct npt_range *r = &layout->ranges[first];

        memmove(r + 1, r, (layout->nranges - first) * sizeof(*r));
        layout->nranges++;
        r->start = s;
        r->end = e;
        r->kind = (u8)kind;
        r->hooked_over = kind == NPT_KIND_HOOKED ? under : NPT_KIND_NOT_BACKED;
    }
    merge_ranges(layout);
    return NPT_OK;
}
