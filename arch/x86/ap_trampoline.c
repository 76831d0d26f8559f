/*
 * arch/x86/ap_trampoline.c - filling in the trampoline's fields (chapter 08).
 */
#include "arch/x86/ap_trampoline.h"
#include "arch/x86/boot_defs.h"
#include "arch/x86/cpu.h"
#include "arch/x86/phys.h"
#include "common/lib/kstring.h"

/* arch/x86/ap_trampoline.S: the code, and its fields the CPU reads. */
extern const u8 ap_trampoline_start[], ap_trampoline_end[];
extern const u8 ap_tramp_gdt[], ap_tramp_gdt_desc[], ap_tramp_far32[], ap_tramp_far64[];
extern const u8 ap_tramp_pm32[], ap_tramp_lm64[];
extern const u8 ap_tramp_cr3[], ap_tramp_cr4[], ap_tramp_cr0[], ap_tramp_efer[];
extern const u8 ap_tramp_stack[], ap_tramp_arg[], ap_tramp_entry[];

#define CR4_PGE (1u << 7)

/* The offset of a trampoline symbol in the page. */
static u32 off(const u8 *sym)
{
    return (u32)(sym - ap_trampoline_start);
}

static void put32(u8 *page, const u8 *field, u32 value)
{
    memcpy(page + off(field), &value, sizeof(value));
}

static void put64(u8 *page, const u8 *field, u64 value)
{
    memcpy(page + off(field), &value, sizeof(value));
}

u8 ap_trampoline_install(u64 page_pa, u64 stack_top, void (*entry)(void *), void *arg)
{
    u8 *page = phys_to_virt(page_pa);
    memcpy(page, ap_trampoline_start, (size_t)(ap_trampoline_end - ap_trampoline_start));
    put32(page, ap_tramp_gdt_desc + 2, (u32)page_pa + off(ap_tramp_gdt));
    put32(page, ap_tramp_far32, (u32)page_pa + off(ap_tramp_pm32));
    put32(page, ap_tramp_far64, (u32)page_pa + off(ap_tramp_lm64));
    /* The boot CPU's tables lie below 4 GiB (the VMM region): a 32-bit MOV to CR3 reaches them. */
    put64(page, ap_tramp_cr3, read_cr3());
    /* PAE for long mode, PGE as the boot CPU has it; nothing a 32-bit CPU would refuse. */
    put64(page, ap_tramp_cr4, CR4_PAE | (read_cr4() & CR4_PGE));
    put64(page, ap_tramp_cr0, (read_cr0() & ~(u64)(CR0_CD | CR0_NW)) | CR0_PG | CR0_PE);
    put64(page, ap_tramp_efer, rdmsr(MSR_IA32_EFER) & (EFER_LME | EFER_NXE));
    put64(page, ap_tramp_stack, stack_top);
    put64(page, ap_tramp_arg, (u64)(uintptr_t)arg);
    put64(page, ap_tramp_entry, (u64)(uintptr_t)entry);
    __asm__ volatile("" ::: "memory");
    return (u8)(page_pa >> 12);
}
