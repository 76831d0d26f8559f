/*
 * common/cpuid_memo.c - which CPUID answers may be remembered, and the memo itself.
 */
#include "common/cpuid_memo.h"
#include "common/kstring.h"

_Static_assert(sizeof(struct cpuid_answer) == 1u << CPUID_MEMO_SLOT_SHIFT, "answer size");
_Static_assert(__builtin_offsetof(struct cpuid_answer, eax) == CPUID_ANSWER_EAX, "eax");
_Static_assert(__builtin_offsetof(struct cpuid_answer, ebx) == CPUID_ANSWER_EBX, "ebx");
_Static_assert(__builtin_offsetof(struct cpuid_answer, ecx) == CPUID_ANSWER_ECX, "ecx");
_Static_assert(__builtin_offsetof(struct cpuid_answer, edx) == CPUID_ANSWER_EDX, "edx");
_Static_assert((CPUID_MEMO_SLOTS & (CPUID_MEMO_SLOTS - 1)) == 0, "slots: a power of two");

/*
 * Stable: the vendor and highest leaves, the brand string, the address
 * sizes, and bookvisor's own leaves. Leaf 0's highest-leaf answer changes
 * with IA32_MISC_ENABLE's "limit CPUID maxval" bit on Intel, so writes to
 * that MSR empty the memo (on_wrmsr). Everything with a bit that follows
 * guest state (leaf 1: APIC ID, OSXSAVE; 7: OSPKE; 0xB; 0xD: XCR0) or a
 * subleaf is never remembered.
 */
bool cpuid_memo_stable_leaf(u32 leaf)
{
    switch (leaf) {
    case 0x0:
    case CPUID_HV_BASE:
    case CPUID_HV_BASE + 1:
    case 0x80000000u:
    case 0x80000002u:
    case 0x80000003u:
    case 0x80000004u:
    case 0x80000008u:
        return true;
    default:
        return false;
    }
}

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
    if (!cpuid_memo_stable_leaf(leaf))
        return;
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
