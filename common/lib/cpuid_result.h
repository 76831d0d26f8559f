/**
 * @file common/lib/cpuid_result.h
 * @brief The four registers one CPUID leaf returns (pure; chapter 02).
 *
 * One type for every user: arch/x86's cpuid(), the CPUID policy, the memo of
 * stable answers and the host-side unit tests.
 */
#ifndef BOOKVISOR_COMMON_LIB_CPUID_RESULT_H
#define BOOKVISOR_COMMON_LIB_CPUID_RESULT_H

#include "common/lib/types.h"

/** Four CPUID output registers. */
struct cpuid_result {
    u32 eax; /**< EAX */
    u32 ebx; /**< EBX */
    u32 ecx; /**< ECX */
    u32 edx; /**< EDX */
};

#endif
