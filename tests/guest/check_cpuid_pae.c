/**
 * @file tests/guest/check_cpuid_pae.c
 * @brief CPUID under 32-bit PAE paging: bookvisor walks PAE tables to fetch it.
 *
 * On qemu-svm there is no next-RIP: to step over a CPUID bookvisor reads the
 * instruction through the guest's page tables (common/insn/guest_walk.c).
 * QEMU sets bit 5 (accessed) in the PAE PDPTEs it walks, a bit the walk once
 * took for a reserved one, and every 32-bit PAE guest stopped at its first
 * CPUID ("cannot find the length of the cpuid instruction"). The check turns
 * PAE paging on (identity map), runs CPUID 0x40000000 plain and with a CS
 * prefix, and reads the signature back; the note says whether the CPU set
 * the accessed bit in the PDPTE.
 */
#include "check.h"
#include "cpu.h"
#include "paging.h"

#define LEAF_HV_BASE 0x40000000u
#define SIG_BOOK 0x6B6F6F62u /* "book" */
#define CPUID1_EDX_PAE (1u << 6)
#define PDPTE_ACCESSED (1ull << 5)

void check_cpuid_pae(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 plain, prefixed, marker = 0x5EED1234u;

    if (!(cpuid(1).edx & CPUID1_EDX_PAE)) {
        check_skip(res, "no PAE");
        return;
    }
    paging_pae_on(0, 0);
    plain = cpuid(LEAF_HV_BASE).ebx;
    __asm__ volatile(".byte 0x2e\n\tcpuid"
                     : "=b"(prefixed), "+S"(marker)
                     : "a"(LEAF_HV_BASE), "c"(0)
                     : "edx");
    u64 pdpte = paging_pdpte(0);
    paging_off();
    if (plain != SIG_BOOK || prefixed != SIG_BOOK) {
        check_fail(res, "CPUID 0x40000000 EBX 0x%08x, with CS prefix 0x%08x", plain, prefixed);
        return;
    }
    if (marker != 0x5EED1234u) {
        check_fail(res, "a register changed across the prefixed CPUID");
        return;
    }
    check_note(res, "PDPTE accessed bit %s", (pdpte & PDPTE_ACCESSED) ? "set by the CPU" : "clear");
}
