/*
 * common/loader/loader.c - guest memory as loaders see it, and the choice
 * of a loader (pure; see loader.h).
 */
#include "common/loader/loader.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

bool guest_memory_is_ram(const struct guest_memory *m, u64 gpa, u64 len)
{
    if (!vmm_layout_is_ram(m->map, m->map_len, gpa, len, NULL))
        return false;
    for (size_t i = 0; i < m->busy_len; i++)
        if (m->busy[i].length && gpa < m->busy[i].base + m->busy[i].length &&
            m->busy[i].base < gpa + len)
            return false;
    return true;
}

u8 *guest_memory_span(const struct guest_memory *m, u64 gpa, size_t len)
{
    if (!len || !guest_memory_is_ram(m, gpa, len))
        return NULL;
    return m->host_ptr(m->ctx, gpa, len);
}

bool guest_memory_write(const struct guest_memory *m, u64 gpa, const void *src, size_t len)
{
    if (!len)
        return true;
    u8 *dst = guest_memory_span(m, gpa, len);
    if (dst)
        memcpy(dst, src, len);
    return dst != NULL;
}

bool guest_memory_zero(const struct guest_memory *m, u64 gpa, size_t len)
{
    if (!len)
        return true;
    u8 *dst = guest_memory_span(m, gpa, len);
    if (dst)
        memset(dst, 0, len);
    return dst != NULL;
}

const struct guest_loader *loader_choose(const struct guest_loader *const *table, size_t n,
                                         const u8 *image, size_t len, char *why, size_t wlen)
{
    size_t at = 0;

    if (why && wlen)
        why[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char answer[96] = "";
        if (table[i]->probe(image, len, answer, sizeof(answer)) == 0)
            return table[i];
        if (why && at < wlen) {
            ksnprintf(why + at, wlen - at, "%s %s: %s", i ? ", nor" : "is not", table[i]->kind,
                      answer[0] ? answer : "refused");
            at += strlen(why + at);
        }
    }
    return NULL;
}

void loader_module_name(u32 number, char out[LOADER_MODULE_NAME_SIZE])
{
    ksnprintf(out, LOADER_MODULE_NAME_SIZE, "%s%u", LOADER_MODULE_NAME, number);
}
