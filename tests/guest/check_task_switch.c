/**
 * @file tests/guest/check_task_switch.c
 * @brief task-switch (its own boot): a hardware task switch there and back.
 *
 * A far JMP to a TSS descriptor switches tasks: the CPU saves the running
 * task into its TSS and loads the next one from its own. VT-x makes every
 * task switch exit, whatever the VMM asks for, and bookvisor does not
 * emulate them (chapter 04 says why): on VT-x bookvisor must stop the guest
 * and say so. AMD-V lets the CPU do it: there the second task runs, sets a
 * marker, jumps back to the first, and the check passes.
 *
 * Named only (`tests=task-switch`): it builds a GDT of its own with two TSS
 * descriptors, and leaves the task register pointing at the first.
 */
#include "check.h"
#include "gstring.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS1 0x20
#define SEL_TSS2 0x28
#define TSS_SIZE 104

struct dtr {
    u16 limit;
    u32 base;
} __attribute__((packed));

static u64 gdt[6] __attribute__((aligned(8)));
static u32 tss1[TSS_SIZE / 4], tss2[TSS_SIZE / 4];
static u8 stack2[1024] __attribute__((aligned(16)));
static volatile u32 task2_ran;

/* The second task: mark, then jump back to the first (its saved state resumes). */
void task2_entry(void);
__asm__(".text\n"
        ".globl task2_entry\n"
        "task2_entry:\n"
        "    movl $0x7A5C, task2_ran\n"
        "    ljmp $0x20, $0\n"
        "    jmp task2_entry\n");

static u64 tss_descriptor(const void *tss)
{
    u64 base = (u32)tss, limit = TSS_SIZE - 1;
    return (limit & 0xFFFF) | (base & 0xFFFF) << 16 | ((base >> 16) & 0xFF) << 32 |
           (u64)0x89 << 40 | ((limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
}

void check_task_switch(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    struct dtr old, now;
    u32 cr3;

    __asm__ volatile("sgdt %0" : "=m"(old));
    memcpy(gdt, (const void *)old.base, 4 * sizeof(u64));
    gdt[4] = tss_descriptor(tss1);
    gdt[5] = tss_descriptor(tss2);
    memset(tss1, 0, sizeof(tss1));
    memset(tss2, 0, sizeof(tss2));
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    tss1[0x64 / 4] = tss2[0x64 / 4] = (u32)TSS_SIZE << 16; /* no I/O bitmap */
    tss2[0x1C / 4] = cr3;
    tss2[0x20 / 4] = (u32)task2_entry;
    tss2[0x24 / 4] = 0x2; /* EFLAGS: interrupts off */
    tss2[0x38 / 4] = (u32)(stack2 + sizeof(stack2));
    tss2[0x48 / 4] = tss2[0x50 / 4] = tss2[0x54 / 4] = SEL_DATA;
    tss2[0x58 / 4] = tss2[0x5C / 4] = SEL_DATA;
    tss2[0x4C / 4] = SEL_CODE;
    now.limit = sizeof(gdt) - 1;
    now.base = (u32)gdt;
    task2_ran = 0;
    __asm__ volatile("lgdt %0\n\t"
                     "movw %1, %%ax\n\t"
                     "ltr %%ax\n\t"
                     "ljmp $0x28, $0\n\t"
                     :
                     : "m"(now), "i"(SEL_TSS1)
                     : "eax", "ecx", "edx", "memory");
    __asm__ volatile("lgdt %0" : : "m"(old) : "memory");
    if (task2_ran != 0x7A5C)
        check_fail(res, "came back without the second task having run");
    else
        check_note(res, "a JMP to a TSS and back");
}
