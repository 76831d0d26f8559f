/*
 * common/vm/cpuid_memo.c - which CPUID answers may be remembered, and the memo itself.
 */
#include "common/vm/cpuid_memo.h"
#include "common/lib/kstring.h"

_Static_assert(sizeof(struct cpuid_answer) == 1u << CPUID_MEMO_SLOT_SHIFT, "answer size");
_Static_assert(__builtin_offsetof(struct cpuid_answer, eax) == CPUID_ANSWER_EAX, "eax");
_Static_assert(__builtin_offsetof(struct cpuid_answer, ebx) == CPUID_ANSWER_EBX, "ebx");
_Static_assert(__builtin_offsetof(struct cpuid_answer, ecx) == CPUID_ANSWER_ECX, "ecx");
_Static_assert(__builtin_offsetof(struct cpuid_answer, edx) == CPUID_ANSWER_EDX, "edx");
_Static_assert((CPUID_MEMO_SLOTS & (CPUID_MEMO_SLOTS - 1)) == 0, "slots: a power of two");

unsigned cpuid_memo_slot(u32 leaf)
{
    return (leaf + (leaf >> 28)) & (CPUID_MEMO_SLOTS - 1);
}

/* Slot i empty holds leaf i + 1, which lives in slot i + 1 (slot 0 for the
 * last): no leaf is ever found in a slot it does not map to. */
void cpuid_memo_clear(struct cpuid_memo *m)
{
    for (unsigned i = 0; i < CPUID_MEMO_SLOTS; i++)
        m->slot[i].leaf = i + 1;
}

void cpuid_memo_put(struct cpuid_memo *m, u32 leaf, const struct cpuid_result *r)
{
    struct cpuid_answer *a = &m->slot[cpuid_memo_slot(leaf)];
    a->leaf = leaf;
    a->eax = r->eax;
    a->ebx = r->ebx;
    a->ecx = r->ecx;
    a->edx = r->edx;
}

const struct cpuid_answer *cpuid_memo_get(const struct cpuid_memo *m, u32 leaf)
{
    const struct cpuid_answer *a = &m->slot[cpuid_memo_slot(leaf)];
    return a->leaf == leaf ? a : NULL;
}
