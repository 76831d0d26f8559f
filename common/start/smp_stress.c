/*
 * common/start/smp_stress.c - the page allocator and the heap from every CPU
 * at once (test.alloc_stress; chapter 08, "SMP start-up"). The original
 * hypervisor's buddy allocator changed a block's state outside its lock and
 * merged buddies inside it: two CPUs could merge one block twice. Under one
 * lock for every change (common/base/mem.c) that cannot happen; this test
 * would show it: a block handed out twice has its pattern overwritten.
 */
#include "common/start/smp_stress.h"
#include "arch/x86/cpu.h"
#include "arch/x86/phys.h"
#include "common/base/heap.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"

#define STRESS_ROUNDS 3000
#define STRESS_SLOTS 24

/* One live allocation: pages (order >= 0) or a heap block (order < 0). */
struct stress_slot {
    void *p;
    int order;
    u32 words;
    u32 pattern;
};

static volatile u32 stress_go, stress_done, stress_damaged;
static volatile u64 stress_allocs;

static u32 next_random(u32 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void fill(struct stress_slot *sl)
{
    u32 *w = sl->p;
    for (u32 i = 0; i < sl->words; i++)
        w[i] = sl->pattern ^ i;
}

/* Check the pattern and free; a damaged block is counted. */
static void check_and_free(struct stress_slot *sl)
{
    const u32 *w = sl->p;
    for (u32 i = 0; i < sl->words; i++) {
        if (w[i] != (sl->pattern ^ i)) {
            __atomic_fetch_add(&stress_damaged, 1, __ATOMIC_RELAXED);
            break;
        }
    }
    if (sl->order >= 0)
        mem_free_pages(virt_to_phys(sl->p), (unsigned)sl->order);
    else
        kfree(sl->p);
    sl->p = NULL;
}

static void stress_run(u32 index)
{
    struct stress_slot slots[STRESS_SLOTS] = { 0 };
    u32 seed = 0x9E3779B9u ^ (index * 0x85EBCA6Bu), allocs = 0;
    for (u32 round = 0; round < STRESS_ROUNDS; round++) {
        struct stress_slot *sl = &slots[next_random(&seed) % STRESS_SLOTS];
        if (sl->p) {
            check_and_free(sl);
            continue;
        }
        u32 r = next_random(&seed);
        if (r & 1) {
            sl->order = (int)((r >> 1) % 3);
            sl->p = phys_to_virt(mem_alloc_pages((unsigned)sl->order));
            sl->words = (4096u << sl->order) / 4;
        } else {
            sl->order = -1;
            sl->words = 4 + (r >> 1) % 256;
            sl->p = kzalloc(sl->words * 4);
        }
        sl->pattern = (index << 24) ^ round ^ r;
        fill(sl);
        allocs++;
    }
    for (u32 i = 0; i < STRESS_SLOTS; i++)
        if (slots[i].p)
            check_and_free(&slots[i]);
    __atomic_fetch_add(&stress_allocs, allocs, __ATOMIC_RELAXED);
    __atomic_fetch_add(&stress_done, 1, __ATOMIC_RELEASE);
}

void smp_stress_join(u32 index)
{
    while (!__atomic_load_n(&stress_go, __ATOMIC_ACQUIRE))
        cpu_pause();
    stress_run(index);
}

void smp_stress_run_boot(u32 others)
{
    struct heap_stats before, after;
    mem_heap_stats(&before);
    u64 free_before = mem_free_bytes();
    __atomic_store_n(&stress_go, 1, __ATOMIC_RELEASE);
    stress_run(0);
    while (__atomic_load_n(&stress_done, __ATOMIC_ACQUIRE) < others + 1)
        cpu_pause();
    mem_heap_stats(&after);
    /* The heap keeps the pages it grew by: count them as still free. */
    u64 free_after = mem_free_bytes() + (after.bytes_from_pages - before.bytes_from_pages);
    bool leaked = free_after != free_before || after.allocations != before.allocations ||
                  after.bytes_in_use != before.bytes_in_use;
    if (leaked || stress_damaged)
        kprintf("bookvisor: test.alloc_stress: FAILED on %u CPUs: %u damaged block(s), pages free "
                "%llu then %llu, heap blocks %llu then %llu\n", others + 1, stress_damaged,
                (unsigned long long)free_before, (unsigned long long)free_after,
                (unsigned long long)before.allocations, (unsigned long long)after.allocations);
    else
        kprintf("bookvisor: test.alloc_stress: %u CPUs, %llu page and heap allocations at once: "
                "nothing leaked, every pattern intact\n", others + 1, (unsigned long long)stress_allocs);
}
