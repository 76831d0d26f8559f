/*
 * common/exits/cpu_features.c - the CR4 and EFER features a CPU has, read
 * from CPUID, as the hardware answers or as the guest is told.
 */
#include "common/exits/cpu_features.h"
#include "arch/x86/cpu.h"
#include "common/exits/cpuid_policy.h"
#include "common/exits/cr_rules.h"
#include "common/lib/kstring.h"

/* One leaf, zero when the CPU does not have it, through the policy for the guest. */
static struct cpuid_result leaf(u32 number, u32 highest, bool for_guest)
{
    struct cpuid_result r = { 0, 0, 0, 0 };
    if (number > highest)
        return r;
    r = cpuid(number, 0);
    if (for_guest)
        cpuid_policy_apply(number, 0, &r);
    return r;
}

/*
 * The EFER bits of candidates this CPU's WRMSR takes. CPUID is not the
 * whole truth here: Bochs 2.7 announces TCE on its ryzen model but its
 * EFER refuses the bit, and VMRUN then refuses a VMCB that has it. Each bit
 * not set already is tried fault-safe and the old value written back (LME
 * and LMA are not tried: long mode is on, they are set).
 */
static u64 efer_bits_taken(u64 candidates)
{
    u64 efer = rdmsr(MSR_IA32_EFER), taken = candidates & efer;
    for (u64 rest = candidates & ~efer; rest; rest &= rest - 1) {
        u64 bit = rest & -rest;
        if (wrmsr_safe(MSR_IA32_EFER, efer | bit) == 0) {
            taken |= bit;
            wrmsr(MSR_IA32_EFER, efer);
        }
    }
    return taken;
}

void cpu_features_read(bool for_guest, struct cr_features *out)
{
    u32 max = cpuid(0, 0).eax, max_ext = cpuid(0x80000000, 0).eax;
    if (max_ext < 0x80000000)
        max_ext = 0; /* no extended leaves at all */
    struct cr_cpuid_answers a;
    memset(&a, 0, sizeof(a));
    a.leaf1 = leaf(1, max, for_guest);
    a.leaf7 = leaf(7, max, for_guest);
    a.ext1 = leaf(0x80000001, max_ext, for_guest);
    a.ext21 = leaf(0x80000021, max_ext, for_guest);
    cr_features_from_cpuid(&a, out);
    out->efer = efer_bits_taken(out->efer);
}
