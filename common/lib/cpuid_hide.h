/**
 * @file common/lib/cpuid_hide.h
 * @brief Feature bits a backend must keep out of the guest's CPUID (pure; chapter 15).
 *
 * Some instructions reach the guest only through a control of the backend:
 * on VT-x, RDTSCP, INVPCID and XSAVES/XRSTORS raise \#UD in the guest unless
 * their secondary processor-based control is set, and a CPU may have the
 * instruction but not the control. Such a feature must vanish from CPUID
 * too, or a guest told of it gets \#UD when it uses it. The backend says
 * which (backend_ops.cpuid_hidden); the CPUID exit clears them after the
 * policy of common/exits/cpuid_policy.h.
 */
#ifndef BOOKVISOR_COMMON_LIB_CPUID_HIDE_H
#define BOOKVISOR_COMMON_LIB_CPUID_HIDE_H

#include "common/lib/cpuid_result.h"
#include "common/lib/types.h"

/** CPUID.80000001h:EDX bit 27: RDTSCP (and IA32_TSC_AUX). */
#define CPUID_EXT1_EDX_RDTSCP (1u << 27)
/** CPUID.(EAX=7,ECX=0):EBX bit 10: INVPCID. */
#define CPUID_7_EBX_INVPCID (1u << 10)
/** CPUID.(EAX=0Dh,ECX=1):EAX bit 3: XSAVES/XRSTORS and IA32_XSS. */
#define CPUID_D1_EAX_XSAVES (1u << 3)

/** The bits to clear, per register of the leaves that can need it. */
struct cpuid_hide {
    u32 ext1_edx;   /**< cleared from CPUID.80000001h:EDX */
    u32 leaf7_ebx;  /**< cleared from CPUID.(7,0):EBX */
    u32 leafd1_eax; /**< cleared from CPUID.(0Dh,1):EAX */
};

/** Clear h's bits from the answer *r to (leaf, subleaf); other leaves pass. */
void cpuid_hide_apply(const struct cpuid_hide *h, u32 leaf, u32 subleaf, struct cpuid_result *r);

#endif
