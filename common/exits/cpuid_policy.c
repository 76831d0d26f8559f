/*
 * common/exits/cpuid_policy.c - the guest's view of CPUID.
 */
#include "common/exits/cpuid_policy.h"
#include "common/lib/version.h"

#define LEAF1_ECX_VMX (1u << 5)
#define LEAF1_ECX_HYPERVISOR (1u << 31)
#define EXT1_ECX_SVM (1u << 2)

void cpuid_policy_apply(u32 leaf, u32 subleaf, struct cpuid_result *r)
{
    (void)subleaf;
    /* LAB 2 BEGIN: write the CPUID policy (hide VMX/SVM, announce bookvisor) */
    /* Basic leaves first: one compare sends every basic leaf but leaf 1 home,
     * the common case on the exit path (chapter 02, "The fast path"). */
    if (leaf < CPUID_HV_BASE) {
        if (leaf == 1) {
            r->ecx &= ~LEAF1_ECX_VMX;
            r->ecx |= LEAF1_ECX_HYPERVISOR;
        }
    } else if (leaf == 0x80000001u) {
        r->ecx &= ~EXT1_ECX_SVM;
    } else if (leaf == 0x8000000Au) {
        r->eax = r->ebx = r->ecx = r->edx = 0;
    } else if (leaf == CPUID_HV_BASE) {
        r->eax = CPUID_HV_MAX_LEAF;
        r->ebx = 'b' | ('o' << 8) | ('o' << 16) | ((u32)'k' << 24);
        r->ecx = 'v' | ('i' << 8) | ('s' << 16) | ((u32)'o' << 24);
        r->edx = 'r';
    } else if (leaf == CPUID_HV_BASE + 1) {
        r->eax = BOOKVISOR_VERSION_CPUID;
        r->ebx = r->ecx = r->edx = 0;
    } else if (leaf <= CPUID_HV_BASE + 0xFF) {
        r->eax = r->ebx = r->ecx = r->edx = 0;
    }
    /* LAB 2 END */
}

/*
 * Stable: the vendor and highest leaves, the brand string, the address
 * sizes, bookvisor's own leaves, and leaf 1 where its remembered OSXSAVE bit
 * follows CR4.OSXSAVE (a change exits, or the backend copies the bit at each
 * answer). Leaf 0's highest-leaf answer changes with IA32_MISC_ENABLE's
 * "limit CPUID maxval" bit on Intel, so writes to that MSR empty the memo
 * (on_wrmsr). Everything with a bit that follows guest state (leaf 1's
 * OSXSAVE where it could go stale; 7: OSPKE; 0xB; 0xD: XCR0) or a subleaf is
 * never remembered.
 */
bool cpuid_policy_stable_leaf(u32 leaf, bool osxsave_writes_exit)
{
    /* LAB 2 BEGIN: part 2: decide which CPUID answers the memo may keep */
    /* LAB 2 FALLBACK: return false; */
    switch (leaf) {
    case 0x1: /* its APIC ID is the vCPU's CPU's, which never changes */
        return osxsave_writes_exit;
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
    /* LAB 2 END */
}
