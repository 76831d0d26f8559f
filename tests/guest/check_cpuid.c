/**
 * @file tests/guest/check_cpuid.c
 * @brief What CPUID tells the guest about bookvisor and about virtualization.
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "recover.h"
#include "trap.h"

#define LEAF_FEATURES 0x1u
#define LEAF_HV_BASE 0x40000000u
#define LEAF_HV_VERSION 0x40000001u
#define LEAF_EXT_MAX 0x80000000u
#define LEAF_EXT_FEATURES 0x80000001u
#define ECX_VMX (1u << 5) /* CPUID.1:ECX */
#define ECX_HYPERVISOR (1u << 31) /* CPUID.1:ECX */
#define ECX_SVM (1u << 2) /* CPUID.80000001h:ECX */
#define ECX_XSAVE (1u << 26) /* CPUID.1:ECX */
#define ECX_OSXSAVE (1u << 27) /* CPUID.1:ECX: mirrors CR4.OSXSAVE */
#define CR4_OSXSAVE (1u << 18)

/* EBX, ECX, EDX of leaf 0x40000000: "book" "viso" "r\0\0\0". */
static const char bookvisor_signature[12] = "bookvisor";

static void signature_of(struct cpuid_result r, char out[12])
{
    memcpy(out + 0, &r.ebx, 4);
    memcpy(out + 4, &r.ecx, 4);
    memcpy(out + 8, &r.edx, 4);
}

bool cpuid_is_bookvisor(void)
{
    char sig[12];
    signature_of(cpuid(LEAF_HV_BASE), sig);
    return memcmp(sig, bookvisor_signature, sizeof(sig)) == 0;
}

void check_cpuid_hypervisor_bit(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 ecx = cpuid(LEAF_FEATURES).ecx;
    if (!(ecx & ECX_HYPERVISOR))
        check_fail(res, "CPUID.1:ECX bit 31 clear (ecx=0x%08x)", ecx);
}

void check_cpuid_signature(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    struct cpuid_result r = cpuid(LEAF_HV_BASE);
    char sig[12];
    char shown[13];

    signature_of(r, sig);
    if (memcmp(sig, bookvisor_signature, sizeof(sig)) != 0) {
        /* Show what was there, unprintable bytes as '.'. */
        for (u32 i = 0; i < 12; i++)
            shown[i] = (sig[i] >= 0x20 && sig[i] < 0x7F) ? sig[i] : '.';
        shown[12] = '\0';
        check_fail(res, "signature \"%s\" is not \"bookvisor\"", shown);
        return;
    }
    if (r.eax != LEAF_HV_VERSION) /* exactly: bookvisor has two leaves */
        check_fail(res, "max hypervisor leaf 0x%08x, not 0x40000001", r.eax);
}

void check_cpuid_version(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!cpuid_is_bookvisor()) {
        check_fail(res, "no bookvisor signature at CPUID 0x40000000");
        return;
    }
    u32 max = cpuid(LEAF_HV_BASE).eax;
    if (max < LEAF_HV_VERSION) {
        check_fail(res, "leaf 0x40000001 not offered (max 0x%08x)", max);
        return;
    }
    u32 version = cpuid(LEAF_HV_VERSION).eax;
    if (version == 0)
        check_fail(res, "CPUID 0x40000001 EAX is 0");
    else
        check_note(res, "0x%08x", version);
}

void check_cpuid_virt_hidden(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    bool vmx = (cpuid(LEAF_FEATURES).ecx & ECX_VMX) != 0;
    bool svm = false;
    if (cpuid(LEAF_EXT_MAX).eax >= LEAF_EXT_FEATURES)
        svm = (cpuid(LEAF_EXT_FEATURES).ecx & ECX_SVM) != 0;

    if (vmx && svm)
        check_fail(res, "VMX (CPUID.1:ECX[5]) and SVM (CPUID.80000001h:ECX[2]) visible");
    else if (vmx)
        check_fail(res, "VMX visible (CPUID.1:ECX[5] set)");
    else if (svm)
        check_fail(res, "SVM visible (CPUID.80000001h:ECX[2] set)");
}

/*
 * CPUID with prefixes in front (2E, 66, F3 66): legal, and the hypervisor must
 * step over all of them. Without next-RIP (QEMU's TCG) bookvisor finds the
 * length by decoding; a wrong length would resume in the middle of the
 * instruction and run its last byte (A2, a store) as code. After each one
 * the marker in ESI must be intact and the answer must be bookvisor's.
 */
/* One prefixed CPUID of leaf 0x40000000; true if the answer is bookvisor's and
 * ESI (which no CPUID writes) still holds its marker afterwards. */
#define PREFIXED_CPUID(bytes) \
    static bool cpuid_##bytes(void) \
    { \
        u32 a = LEAF_HV_BASE, b, c = 0, d, marker = 0x5EC0DE; \
        char sig[12]; \
        __asm__ volatile(".byte " BYTES_##bytes \
                         : "+a"(a), "=b"(b), "+c"(c), "=d"(d), "+S"(marker) \
                         : \
                         : "memory"); \
        signature_of((struct cpuid_result){ a, b, c, d }, sig); \
        return marker == 0x5EC0DE && memcmp(sig, bookvisor_signature, sizeof(sig)) == 0; \
    }
#define BYTES_cs "0x2e, 0x0f, 0xa2"
#define BYTES_opsize "0x66, 0x0f, 0xa2"
#define BYTES_rep_opsize "0xf3, 0x66, 0x0f, 0xa2"
PREFIXED_CPUID(cs)
PREFIXED_CPUID(opsize)
PREFIXED_CPUID(rep_opsize)

void check_cpuid_prefixed(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    static const struct {
        bool (*run)(void);
        const char *bytes;
    } forms[] = {
        { cpuid_cs, "2E 0F A2" },
        { cpuid_opsize, "66 0F A2" },
        { cpuid_rep_opsize, "F3 66 0F A2" },
    };
    for (u32 i = 0; i < ARRAY_SIZE(forms); i++) {
        if (!forms[i].run()) {
            check_fail(res, "%s: wrong answer or resumed at the wrong place", forms[i].bytes);
            return;
        }
    }
}

u32 realmode_cpuid(u32 leaf, u32 *ebx_out);

/*
 * CPUID in real mode (tests/guest/realmode.S): the guest leaves protected
 * mode, asks for bookvisor's signature twice (plain and 66-prefixed) at CS
 * base 0x7000, and comes back. The VMM must handle exits from 16-bit real-mode
 * code: fetch at the segment base, find the length in 16-bit mode, step RIP.
 */
void check_cpuid_realmode(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 ebx_prefixed = 0;
    u32 ebx = realmode_cpuid(LEAF_HV_BASE, &ebx_prefixed);
    u32 want;
    memcpy(&want, bookvisor_signature, 4);
    if (ebx != want || ebx_prefixed != want)
        check_fail(res, "real-mode CPUID 0x40000000 gave EBX %08x and %08x, not %08x", ebx,
                   ebx_prefixed, want);
}

u32 realmode_rdmsr_gp(u32 msr);

/*
 * A fault the VMM gives a real-mode guest (tests/guest/realmode.S): RDMSR of
 * IA32_VMX_BASIC, which bookvisor intercepts and refuses with #GP, executed
 * in real mode. The real-mode #GP handler must run exactly once: a real-mode
 * exception carries no error code, and an injection that asked for one fails
 * VM entry on VT-x (unrestricted guest) instead of reaching the guest.
 */
void check_realmode_gp(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 runs = realmode_rdmsr_gp(0x480);
    if (runs != 1)
        check_fail(res, "the real-mode #GP handler ran %u times, not once", runs);
}

#define MSR_MISC_ENABLE 0x1A0
#define MISC_ENABLE_LIMIT_CPUID (1ULL << 22)
#define VECTOR_GP 13

/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point misc_probe;

static bool same_regs(struct cpuid_result a, struct cpuid_result b)
{
    return a.eax == b.eax && a.ebx == b.ebx && a.ecx == b.ecx && a.edx == b.edx;
}

/*
 * bookvisor answers repeated CPUIDs of a few stable leaves from a memo in its
 * exit assembly (common/vm/cpuid_memo.h). The answers must stay exactly what the
 * full path gives, and must follow IA32_MISC_ENABLE's "limit CPUID maxval"
 * bit on Intel: set, leaf 0 says 2 at most; cleared, it says the real maximum.
 */
void check_cpuid_memo(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    static const u32 leaves[] = { 0, LEAF_HV_BASE, LEAF_HV_VERSION, LEAF_EXT_MAX, 0x80000002u };
    for (u32 i = 0; i < ARRAY_SIZE(leaves); i++) {
        struct cpuid_result first = cpuid(leaves[i]);
        for (u32 k = 0; k < 3; k++)
            if (!same_regs(cpuid(leaves[i]), first)) {
                check_fail(res, "leaf 0x%x answered differently the %u. time", leaves[i], k + 2);
                return;
            }
    }
    struct cpuid_result zero = cpuid(0);
    if (zero.ebx != 0x756e6547u || zero.eax <= 2) { /* not "Genu...", or nothing to limit */
        check_note(res, "stable; no MISC_ENABLE limit to try");
        return;
    }
    u64 misc = 0;
    trap_expect(VECTOR_GP, &misc_probe);
    if (recover_save(&misc_probe) != 0) {
        check_note(res, "stable; MISC_ENABLE not readable");
        return;
    }
    misc = rdmsr(MSR_MISC_ENABLE);
    wrmsr(MSR_MISC_ENABLE, misc | MISC_ENABLE_LIMIT_CPUID);
    trap_expect(0, NULL);
    u32 limited = cpuid(0).eax;
    bool took = (rdmsr(MSR_MISC_ENABLE) & MISC_ENABLE_LIMIT_CPUID) != 0;
    wrmsr(MSR_MISC_ENABLE, misc & ~MISC_ENABLE_LIMIT_CPUID);
    u32 again = cpuid(0).eax;
    wrmsr(MSR_MISC_ENABLE, misc);
    if (!took)
        check_note(res, "stable; this CPU has no CPUID limit bit");
    else if (limited > 2)
        check_fail(res, "leaf 0 still says max 0x%x with the CPUID limit set (a stale answer)",
                   limited);
    else if (again != zero.eax)
        check_fail(res, "leaf 0 says max 0x%x after the limit was cleared, not 0x%x", again,
                   zero.eax);
    else
        check_note(res, "stable; follows the MISC_ENABLE limit");
}

/* One CPUID of leaf, its ECX, and how long it took: on Bochs, where the TSC
 * counts instructions, what the round trip through bookvisor costs. */
static u32 timed_cpuid(u32 leaf, u32 *ecx)
{
    u32 a = leaf, b, c = 0, d;
    u64 t0 = rdtsc();
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    u64 t1 = rdtsc();
    *ecx = c;
    return (u32)(t1 - t0);
}

/*
 * CPUID.1:ECX.OSXSAVE (bit 27) mirrors CR4.OSXSAVE. The bit is flipped four
 * times and leaf 1 asked OSXSAVE_ASKS times in each state: where bookvisor
 * remembers leaf 1 (both backends, wherever their exit assembly answers; not
 * under QEMU's AMD-V, which gives no next-RIP), the later answers come from
 * its memo, so a remembered answer that did not follow the write would show
 * the old bit. The note says whether leaf 1 was remembered in every
 * state: its slowest state's fastest later answer took less than half what
 * leaf 0x80000001, which is never remembered, takes through the whole exit
 * path (on Bochs about 50 instructions against 250).
 */
#define OSXSAVE_ASKS 4

void check_cpuid_osxsave(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!(cpuid(LEAF_FEATURES).ecx & ECX_XSAVE)) {
        check_skip(res, "the CPU has no XSAVE");
        return;
    }
    u32 cr4 = read_cr4(), slowest = 0, full = ~0u, ecx;
    for (u32 round = 0; round < 4; round++) {
        bool on = round & 1;
        u32 best = ~0u;
        write_cr4(on ? cr4 | CR4_OSXSAVE : cr4 & ~CR4_OSXSAVE);
        for (u32 ask = 1; ask <= OSXSAVE_ASKS; ask++) {
            u32 took = timed_cpuid(LEAF_FEATURES, &ecx);
            bool says = (ecx & ECX_OSXSAVE) != 0;
            if (says != on) {
                write_cr4(cr4);
                check_fail(res, "CPUID.1:ECX.OSXSAVE is %u with CR4.OSXSAVE %u (asked %u. time)",
                           says, on, ask);
                return;
            }
            if (ask > 1 && took < best) /* the first may be the one that fills the memo */
                best = took;
        }
        if (best > slowest)
            slowest = best;
    }
    write_cr4(cr4);
    for (u32 ask = 0; ask < OSXSAVE_ASKS; ask++) {
        u32 took = timed_cpuid(LEAF_EXT_FEATURES, &ecx);
        if (took < full)
            full = took;
    }
    check_note(res, "leaf 1 %s: %u TSC ticks, leaf 0x80000001 %u",
               slowest < full / 2 ? "remembered" : "not remembered", slowest, full);
}
