/**
 * @file tests/guest/check_cr_illegal.c
 * @brief Control-register and EFER values the guest's CPU refuses raise #GP
 *        and change nothing; the features it has can be switched on and off.
 *
 * What is legal is what CPUID tells the guest: a CR4 or EFER bit whose
 * feature CPUID does not announce is reserved, and writing it must raise
 * #GP, whether the write exits to bookvisor (VT-x: the bits its CR4 mask
 * owns; AMD-V: CR0 writes, EFER writes, and CR4 writes where bookvisor
 * intercepts them) or the CPU answers itself. The table below reads CPUID
 * as the guest sees it and is written independently of bookvisor's
 * (common/exits/cr_rules.c). Before, on QEMU an EFER or CR4 bit the CPU
 * lacks ended in a failed VM entry, on Bochs VT-x a CR4 bit the CPU lacks
 * (UMIP on corei7_skylake_x) was silently accepted, and on Bochs AMD-V
 * `mov cr0` with PG set and PE clear went through and the guest triple-faulted.
 *
 * A bit CPUID announces must go on and off again, except in EFER, which may
 * also refuse it with #GP and stay as it was: Bochs 2.7 announces TCE on
 * its ryzen model and its EFER refuses the bit, and bookvisor follows the
 * CPU (the note lists such bits after "refused:").
 *
 * The mode rule of CR4.LA57 (no change in IA-32e mode) is not probed here,
 * where the guest is in protected mode: check_la57_ia32e.c probes it from
 * compatibility mode, on QEMU with +la57 (tests/emu/la57-ia32e.test).
 */
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "recover.h"
#include "trap.h"

#define VECTOR_GP 13
#define MSR_EFER 0xC0000080u
#define CR0_PE (1u << 0)
#define CR0_NW (1u << 29)
#define CR0_PG (1u << 31)

enum reg { EAX, EBX, ECX, EDX };

/* One feature flag: CPUID leaf, register, bit. */
struct flag {
    u32 leaf;
    u8 reg;
    u8 bit;
};

/* A CR4 or EFER bit and the flags that announce it (any of them; none: never). */
struct feature {
    u8 bit;
    const char *name;
    struct flag flags[2];
    u8 nflags;
    bool risky; /* legal only in a mode this guest is not in: never set here */
};

/* SDM vol. 3, 2.5 "Control Registers"; CPUID flags from the SDM and the APM. */
static const struct feature cr4_features[] = {
    { 0, "VME", { { 1, EDX, 1 } }, 1, false },
    { 1, "PVI", { { 1, EDX, 1 } }, 1, false },
    { 2, "TSD", { { 1, EDX, 4 } }, 1, false },
    { 3, "DE", { { 1, EDX, 2 } }, 1, false },
    { 4, "PSE", { { 1, EDX, 3 } }, 1, false },
    { 5, "PAE", { { 1, EDX, 6 } }, 1, false },
    { 6, "MCE", { { 1, EDX, 7 } }, 1, false },
    { 7, "PGE", { { 1, EDX, 13 } }, 1, false },
    { 9, "OSFXSR", { { 1, EDX, 24 } }, 1, false },
    { 10, "OSXMMEXCPT", { { 1, EDX, 25 } }, 1, false },
    { 11, "UMIP", { { 7, ECX, 2 } }, 1, false },
    { 12, "LA57", { { 7, ECX, 16 } }, 1, false },
    { 13, "VMXE", { { 1, ECX, 5 } }, 1, false },
    { 14, "SMXE", { { 1, ECX, 6 } }, 1, false },
    { 16, "FSGSBASE", { { 7, EBX, 0 } }, 1, false },
    { 17, "PCIDE", { { 1, ECX, 17 } }, 1, true }, /* only in IA-32e mode */
    { 18, "OSXSAVE", { { 1, ECX, 26 } }, 1, false },
    { 19, "KL", { { 7, ECX, 23 } }, 1, false },
    { 20, "SMEP", { { 7, EBX, 7 } }, 1, false },
    { 21, "SMAP", { { 7, EBX, 20 } }, 1, false },
    { 22, "PKE", { { 7, ECX, 3 } }, 1, false },
    { 23, "CET", { { 7, ECX, 7 }, { 7, EDX, 20 } }, 2, true }, /* only with CR0.WP */
    { 24, "PKS", { { 7, ECX, 31 } }, 1, false },
    { 25, "UINTR", { { 7, EDX, 5 } }, 1, false },
    { 15, "bit 15", { { 0, 0, 0 } }, 0, false },
    { 26, "bit 26", { { 0, 0, 0 } }, 0, false },
    { 31, "bit 31", { { 0, 0, 0 } }, 0, false },
};

/* EFER: LMA (10) is read-only and left out; LMSLE (13) no target models. */
static const struct feature efer_features[] = {
    { 0, "SCE", { { 0x80000001, EDX, 11 }, { 0x80000001, EDX, 29 } }, 2, false },
    { 8, "LME", { { 0x80000001, EDX, 29 } }, 1, false },
    { 11, "NXE", { { 0x80000001, EDX, 20 } }, 1, false },
    { 12, "SVME", { { 0x80000001, ECX, 2 } }, 1, false },
    { 14, "FFXSR", { { 0x80000001, EDX, 25 } }, 1, false },
    { 15, "TCE", { { 0x80000001, ECX, 17 } }, 1, false },
    { 1, "bit 1", { { 0, 0, 0 } }, 0, false },
    { 9, "bit 9", { { 0, 0, 0 } }, 0, false },
    { 13, "LMSLE", { { 0, 0, 0 } }, 0, false },
    { 63, "bit 63", { { 0, 0, 0 } }, 0, false },
};

static bool announced(const struct feature *f)
{
    for (u8 i = 0; i < f->nflags; i++) {
        const struct flag *fl = &f->flags[i];
        u32 top = cpuid(fl->leaf & 0x80000000u).eax;
        if (fl->leaf > top)
            continue;
        struct cpuid_result r = cpuid(fl->leaf);
        u32 v = fl->reg == EAX ? r.eax : fl->reg == EBX ? r.ebx : fl->reg == ECX ? r.ecx : r.edx;
        if ((v >> fl->bit) & 1)
            return true;
    }
    return false;
}

/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point probe_point;

/* Write value to CR0 or CR4 (cr 0 or 4) or to EFER (cr 'e'); did it raise #GP? */
static bool write_faults(unsigned cr, u64 value)
{
    trap_expect(VECTOR_GP, &probe_point);
    if (recover_save(&probe_point) == 0) {
        if (cr == 0)
            __asm__ volatile("mov %0, %%cr0" : : "r"((u32)value) : "memory");
        else if (cr == 4)
            __asm__ volatile("mov %0, %%cr4" : : "r"((u32)value) : "memory");
        else
            wrmsr(MSR_EFER, value);
        trap_expect(0, NULL);
        return false;
    }
    return true;
}

static u64 read_reg(unsigned cr)
{
    return cr == 0 ? read_cr0() : cr == 4 ? read_cr4() : rdmsr(MSR_EFER);
}

/* A write that must raise #GP and leave the register as it was. */
static bool refused(struct check_result *res, unsigned cr, const char *reg, const char *what,
                    u64 value)
{
    u64 before = read_reg(cr);
    if (!write_faults(cr, value)) {
        check_fail(res, "%s: %s did not raise #GP", reg, what);
        return false;
    }
    if (read_reg(cr) != before) {
        check_fail(res, "%s: after the refused %s it reads 0x%llx, not 0x%llx", reg, what,
                   (unsigned long long)read_reg(cr), (unsigned long long)before);
        return false;
    }
    return true;
}

/* Append a word to a blank-separated list, if it fits. */
static void list_add(char *list, u32 size, const char *word)
{
    u32 at = strlen(list), len = strlen(word);
    if (at + len + 2 >= size)
        return;
    if (at)
        list[at++] = ' ';
    memcpy(list + at, word, len + 1);
}

/* What the note names: the features the CPU lacks, and EFER bits announced but refused. */
struct names {
    char lacking[112];
    char refusing[32];
};

/* Each bit the CPU lacks is refused; each it has goes on and off again. */
static bool probe_bits(struct check_result *res, unsigned cr, const char *reg,
                       const struct feature *t, u32 n, struct names *names)
{
    u64 orig = read_reg(cr);
    for (u32 i = 0; i < n; i++) {
        u64 bit = 1ULL << t[i].bit;
        if (!announced(&t[i])) {
            if (!refused(res, cr, reg, t[i].name, orig | bit))
                return false;
            if (t[i].nflags)
                list_add(names->lacking, sizeof(names->lacking), t[i].name);
            continue;
        }
        if (t[i].risky || (orig & bit))
            continue;
        if (cr == 'e' && write_faults(cr, orig | bit) && read_reg(cr) == orig) {
            list_add(names->refusing, sizeof(names->refusing), t[i].name);
            continue;
        }
        if ((cr != 'e' && write_faults(cr, orig | bit)) || read_reg(cr) != (orig | bit)) {
            check_fail(res, "%s: setting %s, which CPUID announces, failed", reg, t[i].name);
            return false;
        }
        if (write_faults(cr, orig) || read_reg(cr) != orig) {
            check_fail(res, "%s: clearing %s again failed", reg, t[i].name);
            return false;
        }
    }
    return true;
}

void check_cr_illegal(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 cr0 = read_cr0();
    static struct names names;
    names.lacking[0] = names.refusing[0] = '\0';

    if (!refused(res, 0, "CR0", "PG without PE", (cr0 | CR0_PG) & ~CR0_PE) ||
        !refused(res, 0, "CR0", "NW without CD", cr0 | CR0_NW))
        return;
    if (!probe_bits(res, 4, "CR4", cr4_features, ARRAY_SIZE(cr4_features), &names))
        return;
    if (cpuid(0x80000000).eax >= 0x80000001 &&
        !probe_bits(res, 'e', "EFER", efer_features, ARRAY_SIZE(efer_features), &names))
        return;
    check_note(res, "lacking: %s%s%s", names.lacking[0] ? names.lacking : "none",
               names.refusing[0] ? "; refused: " : "", names.refusing);
}
