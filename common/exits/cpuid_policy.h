/**
 * @file common/exits/cpuid_policy.h
 * @brief What CPUID tells the guest (pure, host-testable; chapter 02, lab 2).
 */
#ifndef BOOKVISOR_COMMON_EXITS_CPUID_POLICY_H
#define BOOKVISOR_COMMON_EXITS_CPUID_POLICY_H

#include "common/lib/cpuid_result.h"
#include "common/lib/types.h"

/** First hypervisor leaf. */
#define CPUID_HV_BASE 0x40000000u
/** The highest hypervisor leaf: EAX of leaf 0x40000000, exactly this. */
#define CPUID_HV_MAX_LEAF 0x40000001u
/** The 12-byte signature in EBX, ECX, EDX of leaf 0x40000000. */
#define CPUID_HV_SIGNATURE "bookvisor\0\0\0"

/**
 * Turn the host's answer for (leaf, subleaf), already in *r, into the
 * guest's answer: host values pass through except that the VMX and SVM
 * feature bits are hidden (bookvisor offers no nested virtualization), the
 * SVM leaf 8000_000Ah is empty, the hypervisor-present bit (leaf 1 ECX bit 31)
 * is set, leaf 0x40000000 gives EAX = CPUID_HV_MAX_LEAF (0x40000001) and
 * the signature in EBX, ECX, EDX, 0x40000001 gives EAX =
 * BOOKVISOR_VERSION_CPUID and EBX = ECX = EDX = 0, and the other
 * 0x4000_00xx leaves up to 0x400000FF are all zero.
 */
void cpuid_policy_apply(u32 leaf, u32 subleaf, struct cpuid_result *r);

/**
 * Is the answer to leaf the same until the exit handlers forget it (the
 * subleaf ignored)? Those answers may be remembered in the vCPU's CPUID memo
 * and given by the backends' exit assembly (common/vm/cpuid_memo.h).
 * Exactly these leaves are (lab 2 part 2; chapter 02 says why): 0 and
 * 0x80000000 (vendor, highest leaves), 0x80000002 to 0x80000004 (brand
 * string), 0x80000008 (address sizes), bookvisor's 0x40000000 and 0x40000001,
 * and leaf 1 only when @p osxsave_writes_exit. No other leaf is: those with a
 * bit that follows guest state (7: OSPKE; 0xB; 0xD: XCR0), with subleaves
 * (4, 7, 0xB, 0xD...), or that nobody asks twice.
 * @param leaf                the leaf
 * @param osxsave_writes_exit a remembered leaf 1 always shows the guest's
 *                            current CR4.OSXSAVE, which it mirrors (struct
 *                            vcpu: the write exits and the handler forgets
 *                            the answer, or the backend's exit assembly
 *                            copies the bit into it): leaf 1 is then stable
 *                            too, the handlers forgetting it at the MSR
 *                            writes that change it (IA32_APIC_BASE,
 *                            IA32_MISC_ENABLE)
 */
bool cpuid_policy_stable_leaf(u32 leaf, bool osxsave_writes_exit);

#endif
