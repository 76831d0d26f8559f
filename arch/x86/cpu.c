/*
 * arch/x86/cpu.c - identify the boot CPU.
 */
#include "arch/x86/cpu.h"
#include "common/lib/kstring.h"

void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void cpu_identify(struct cpu_info *out)
{
    struct cpuid_result r = cpuid(0, 0);

    memset(out, 0, sizeof(*out));
    out->max_leaf = r.eax;
    memcpy(out->vendor_str, &r.ebx, 4);
    memcpy(out->vendor_str + 4, &r.edx, 4);
    memcpy(out->vendor_str + 8, &r.ecx, 4);
    out->vendor_str[12] = '\0';
    if (strcmp(out->vendor_str, "GenuineIntel") == 0)
        out->vendor = CPU_VENDOR_INTEL;
    else if (strcmp(out->vendor_str, "AuthenticAMD") == 0)
        out->vendor = CPU_VENDOR_AMD;

    if (out->max_leaf >= 1) {
        r = cpuid(1, 0);
        out->has_vmx = (r.ecx >> 5) & 1;
        out->has_x2apic = (r.ecx >> 21) & 1;
    }
    r = cpuid(0x80000000, 0);
    out->max_ext_leaf = r.eax;
    if (out->max_ext_leaf >= 0x80000001) {
        r = cpuid(0x80000001, 0);
        out->has_svm = (r.ecx >> 2) & 1;
        out->has_1g_pages = (r.edx >> 26) & 1;
    }
    out->phys_addr_bits = 36;
    if (out->max_ext_leaf >= 0x80000008)
        out->phys_addr_bits = cpuid(0x80000008, 0).eax & 0xFF;
}
