/**
 * @file tests/guest/hypercall.c
 * @brief Hypercall instruction choice and the #UD fallback.
 */
#include "hypercall.h"
#include "cpu.h"
#include "gstring.h"

/* Set by the #UD hook; volatile because it changes behind the compiler. */
static volatile bool hypercall_faulted;

static bool cpu_is_amd(void)
{
    struct cpuid_result r = cpuid(0);
    char vendor[13];
    memcpy(vendor + 0, &r.ebx, 4);
    memcpy(vendor + 4, &r.edx, 4);
    memcpy(vendor + 8, &r.ecx, 4);
    vendor[12] = '\0';
    return memcmp(vendor, "AuthenticAMD", 12) == 0 || memcmp(vendor, "HygonGenuine", 12) == 0;
}

const char *hypercall_insn_name(void)
{
    return cpu_is_amd() ? "VMMCALL" : "VMCALL";
}

bool hypercall_faulted_last(void)
{
    return hypercall_faulted;
}

void hypercall_clear_fault(void)
{
    hypercall_faulted = false;
}

bool hypercall(struct hypercall_regs *regs)
{
    u32 a = regs->eax, b = regs->ebx, c = regs->ecx, d = regs->edx;

    hypercall_faulted = false;
    if (cpu_is_amd())
        __asm__ volatile(".byte 0x0f, 0x01, 0xd9" /* VMMCALL */
                         : "+a"(a), "+b"(b), "+c"(c), "+d"(d)
                         :
                         : "memory");
    else
        __asm__ volatile(".byte 0x0f, 0x01, 0xc1" /* VMCALL */
                         : "+a"(a), "+b"(b), "+c"(c), "+d"(d)
                         :
                         : "memory");
    regs->eax = a;
    regs->ebx = b;
    regs->ecx = c;
    regs->edx = d;
    return !hypercall_faulted;
}

bool hypercall_step_over_ud(struct trap_frame *frame)
{
    const u8 *insn = (const u8 *)frame->eip;
    /* VMMCALL, VMCALL, and the probes of check_virt_insn.c: VMRUN (0F 01 D8)
     * and VMXOFF (0F 01 C4), all three bytes long. */
    if (insn[0] != 0x0F || insn[1] != 0x01 ||
        (insn[2] != 0xD9 && insn[2] != 0xC1 && insn[2] != 0xD8 && insn[2] != 0xC4))
        return false;
    hypercall_faulted = true;
    frame->eip += 3;
    return true;
}
