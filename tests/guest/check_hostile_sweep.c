/**
 * @file tests/guest/check_hostile_sweep.c
 * @brief The adversarial suite's sweeps: every MSR and CPUID leaf in some ranges, and a storm.
 *
 * - `hostile-msr-sweep`: RDMSR of every index in 0-0x1FFF, 0x40000000-0x400000FF,
 *   0xC0000000-0xC0001FFF and 0xC0010000-0xC0011FFF. Each read gives a value
 *   or a #GP (caught), never anything else; the VMX capability MSRs
 *   (0x480-0x491) and AMD's VM_HSAVE_PA must #GP, VM_CR must read SVM
 *   disabled and IA32_FEATURE_CONTROL VMX off where they read at all. On
 *   VT-x every index outside the MSR bitmap's ranges exits to bookvisor.
 * - `hostile-cpuid-sweep`: every basic, hypervisor (0x40000000-0x400000FF)
 *   and extended leaf, subleaves 0-3, and leaves no CPU has: each answered
 *   twice the same; the hypervisor bit set, VMX and SVM hidden, bookvisor's
 *   signature at 0x40000000, its unused leaves all zero.
 * - `hostile-storm`: a million CPUID exits, each answer right (bookvisor
 *   answers repeats from its CPUID memo: the fast path must stay right too).
 */
#include "check.h"
#include "cpu.h"
#include "recover.h"
#include "trap.h"

#define VECTOR_GP 13
#define LEAF_HV 0x40000000u
#define SIG_BOOK 0x6B6F6F62u

static struct recover_point probe_point;

/* RDMSR that may #GP: true with *value, or false on the #GP. */
static bool rdmsr_probe(u32 msr, u64 *value)
{
    trap_expect(VECTOR_GP, &probe_point);
    if (recover_save(&probe_point) == 0) {
        *value = rdmsr(msr);
        trap_expect(0, NULL);
        return true;
    }
    return false;
}

static bool msr_rules(u32 msr, bool readable, u64 value, struct check_result *res)
{
    if (msr >= 0x480 && msr <= 0x491 && readable) {
        check_fail(res, "VMX capability MSR 0x%x reads 0x%llx", msr, value);
        return false;
    }
    if (msr == 0xC0010117u && readable) {
        check_fail(res, "VM_HSAVE_PA reads 0x%llx", value);
        return false;
    }
    if (msr == 0xC0010114u && readable && !(value & (1u << 4))) {
        check_fail(res, "VM_CR reads 0x%llx: SVM not disabled", value);
        return false;
    }
    if (msr == 0x3A && readable && (value & (1u << 2))) {
        check_fail(res, "IA32_FEATURE_CONTROL reads 0x%llx: VMX outside SMX enabled", value);
        return false;
    }
    return true;
}

void check_hostile_msr_sweep(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    static const u32 ranges[][2] = {
        { 0x00000000u, 0x00001FFFu }, { 0x40000000u, 0x400000FFu },
        { 0xC0000000u, 0xC0001FFFu }, { 0xC0010000u, 0xC0011FFFu },
    };
    u32 values = 0, faults = 0;

    for (u32 r = 0; r < ARRAY_SIZE(ranges); r++) {
        for (u32 msr = ranges[r][0];; msr++) {
            u64 value = 0;
            bool readable = rdmsr_probe(msr, &value);
            if (readable)
                values++;
            else
                faults++;
            if (!msr_rules(msr, readable, value, res))
                return;
            if (msr == ranges[r][1])
                break;
        }
    }
    check_note(res, "%u MSRs: %u values, %u #GP", values + faults, values, faults);
}

static bool same(struct cpuid_result a, struct cpuid_result b)
{
    return a.eax == b.eax && a.ebx == b.ebx && a.ecx == b.ecx && a.edx == b.edx;
}

static struct cpuid_result cpuid_sub(u32 leaf, u32 sub)
{
    struct cpuid_result r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(sub));
    return r;
}

/* Sanity of what bookvisor changes; false with the reason. */
static bool leaf_rules(u32 leaf, struct cpuid_result r, struct check_result *res)
{
    if (leaf == 1 && (!(r.ecx & (1u << 31)) || (r.ecx & (1u << 5)))) {
        check_fail(res, "leaf 1 ECX 0x%08x: hypervisor bit clear or VMX shown", r.ecx);
        return false;
    }
    if (leaf == 0x80000001u && (r.ecx & (1u << 2))) {
        check_fail(res, "leaf 0x80000001 ECX 0x%08x shows SVM", r.ecx);
        return false;
    }
    if (leaf == LEAF_HV && (r.ebx != SIG_BOOK || r.eax < LEAF_HV + 1)) {
        check_fail(res, "leaf 0x40000000: EAX 0x%08x EBX 0x%08x", r.eax, r.ebx);
        return false;
    }
    if (leaf > LEAF_HV + 1 && leaf <= LEAF_HV + 0xFF && (r.eax | r.ebx | r.ecx | r.edx)) {
        check_fail(res, "unused hypervisor leaf 0x%08x is not all zero", leaf);
        return false;
    }
    return true;
}

void check_hostile_cpuid_sweep(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 max_basic = cpuid(0).eax, max_ext = cpuid(0x80000000u).eax, n = 0;
    if (max_basic > 0x100)
        max_basic = 0x100;
    if (max_ext < 0x80000000u || max_ext > 0x80000100u)
        max_ext = 0x80000100u;
    const u32 ranges[][2] = {
        { 0, max_basic + 4 }, { LEAF_HV, LEAF_HV + 0xFF }, { 0x80000000u, max_ext + 4 },
        { 0x20000000u, 0x20000003u }, { 0x8FFFFFFCu, 0x8FFFFFFFu }, { 0xC0000000u, 0xC0000003u },
        { 0xFFFFFFFCu, 0xFFFFFFFFu },
    };

    for (u32 r = 0; r < ARRAY_SIZE(ranges); r++) {
        for (u32 leaf = ranges[r][0];; leaf++) {
            for (u32 sub = 0; sub < 4; sub++) {
                struct cpuid_result a = cpuid_sub(leaf, sub), b = cpuid_sub(leaf, sub);
                n++;
                if (!same(a, b)) {
                    check_fail(res, "leaf 0x%08x.%u answered 0x%08x/%08x/%08x/%08x, then "
                               "0x%08x/%08x/%08x/%08x", leaf, sub, a.eax, a.ebx, a.ecx, a.edx,
                               b.eax, b.ebx, b.ecx, b.edx);
                    return;
                }
                if (!leaf_rules(leaf, a, res))
                    return;
            }
            if (leaf == ranges[r][1])
                break;
        }
    }
    check_note(res, "%u leaf/subleaf pairs, each asked twice", n);
}

#define STORM 1000000u

void check_hostile_storm(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    for (u32 i = 0; i < STORM; i++) {
        struct cpuid_result r = cpuid_sub(LEAF_HV, i);
        if (r.ebx != SIG_BOOK || r.eax < LEAF_HV + 1) {
            check_fail(res, "CPUID exit %u answered EAX 0x%08x EBX 0x%08x", i, r.eax, r.ebx);
            return;
        }
    }
    check_note(res, "%u CPUID exits answered right", STORM);
}
