/*
 * arch/x86/desc.c - GDT, TSS and IDT, and the interrupt windows.
 *
 * What a trap means is decided above this layer (common/base/trap.c, which
 * isr.S calls): this file only builds the tables, runs the interrupt windows
 * and keeps what a window caught, in the CPU's own struct cpu.
 */
#include "arch/x86/desc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"

_Static_assert(sizeof(struct desc_tss) == 104, "64-bit TSS");

struct idt_gate {
    u16 offset_lo;
    u16 selector;
    u8 ist;
    u8 type_attr;
    u16 offset_mid;
    u32 offset_hi;
    u32 reserved;
} __attribute__((packed));

struct table_ptr {
    u16 limit;
    u64 base;
} __attribute__((packed));

/* One IDT for every CPU, written only by desc_idt_build() on the boot CPU
 * before any other CPU starts: its gates name IST slots, and each CPU's own
 * TSS gives each slot that CPU's own stack (desc.h). */
static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct idt_gate wait_idt[256] __attribute__((aligned(16))); /* the interrupt windows' */

extern char isr_table_start[];
extern char wrmsr_safe_insn[], wrmsr_safe_fault[], xsetbv_safe_insn[], xsetbv_safe_fault[];
extern char wait_table_start[];

#define VECTOR_NMI 2
#define VECTOR_MC 18

static void gdt_build(u64 *gdt, const struct desc_tss *tss)
{
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFFULL; /* 64-bit code, DPL 0 */
    gdt[2] = 0x00CF92000000FFFFULL; /* data */
    u64 base = (u64)(uintptr_t)tss;
    u64 limit = sizeof(*tss) - 1;
    gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ULL << 40) |
             (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[4] = base >> 32;
}

static void gate_set(struct idt_gate *g, const char *stub, u8 ist)
{
    u64 addr = (u64)(uintptr_t)stub;
    g->offset_lo = addr & 0xFFFF;
    g->selector = SEL_CODE64;
    g->ist = ist;
    g->type_attr = 0x8E; /* present, interrupt gate */
    g->offset_mid = (addr >> 16) & 0xFFFF;
    g->offset_hi = addr >> 32;
    g->reserved = 0;
}

void desc_idt_build(void)
{
    for (int v = 0; v < 256; v++) {
        /* #DF, NMI and #MC on stacks of their own: they can come when the
         * current stack is unusable (or, for an NMI, at any instruction). */
        u8 ist = v == 8 ? DESC_IST_DOUBLE_FAULT : v == VECTOR_NMI ? DESC_IST_NMI
               : v == VECTOR_MC ? DESC_IST_MACHINE_CHECK : 0;
        gate_set(&idt[v], isr_table_start + 16 * v, ist);
        /* NMI and #MC are never an interrupt controller's: keep their real handlers. */
        if (v == VECTOR_NMI || v == VECTOR_MC)
            wait_idt[v] = idt[v];
        else
            gate_set(&wait_idt[v], wait_table_start + 16 * v, 0);
    }
}

void desc_load_cpu(struct cpu *c)
{
    for (int i = 0; i < DESC_IST_STACKS; i++)
        c->tss.ist[i] = (u64)(uintptr_t)(c->ist_stacks[i] + PERCPU_IST_STACK_SIZE);
    c->tss.iomap_base = sizeof(c->tss);
    gdt_build(c->gdt, &c->tss);

    struct table_ptr gp = { sizeof(c->gdt) - 1, (u64)(uintptr_t)c->gdt };
    struct table_ptr ip = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %2\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movw %w3, %%ax\n\t"
        "movw %%ax, %%ds\n\t"
        "movw %%ax, %%es\n\t"
        "movw %%ax, %%ss\n\t"
        "movw %w4, %%ax\n\t"
        "ltr %%ax\n\t"
        "lidt %1"
        :
        : "m"(gp), "m"(ip), "i"((u64)SEL_CODE64), "i"(SEL_DATA), "i"(SEL_TSS)
        : "rax", "memory");
}

void desc_get_host_tables(const struct cpu *c, struct desc_table_reg *g,
                          struct desc_table_reg *i, u64 *tss_base)
{
    g->base = (u64)(uintptr_t)c->gdt;
    g->limit = sizeof(c->gdt) - 1;
    i->base = (u64)(uintptr_t)idt;
    i->limit = sizeof(idt) - 1;
    *tss_base = (u64)(uintptr_t)&c->tss;
}

/* Open a window: the second IDT, IF = 1 for `body`, then the VMM's IDT again. */
#define DESC_WINDOW(body)                                                                \
    __asm__ volatile("lidt %0\n\t" body "\n\tcli\n\tlidt %1"                          \
                     :                                                                   \
                     : "m"(wait), "m"(host)                                              \
                     : "memory")

static void interrupt_window(struct desc_caught *out, bool halt)
{
    struct table_ptr wait = { sizeof(wait_idt) - 1, (u64)(uintptr_t)wait_idt };
    struct table_ptr host = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
    struct cpu *c = this_cpu();
    c->caught = (struct desc_caught){ .nmi = false };
    if (halt)
        DESC_WINDOW("sti\n\thlt"); /* STI's shadow makes STI;HLT atomic: nothing slips in between */
    else
        DESC_WINDOW("sti\n\tnop"); /* pending interrupts are taken after the NOP, before the CLI */
    *out = c->caught;
}

void desc_wait_for_interrupt(struct desc_caught *out)
{
    interrupt_window(out, true);
}

bool desc_wait_for_interrupt_until(struct desc_caught *out, u64 tsc_deadline)
{
    struct table_ptr wait = { sizeof(wait_idt) - 1, (u64)(uintptr_t)wait_idt };
    struct table_ptr host = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
    struct cpu *c = this_cpu();
    c->caught = (struct desc_caught){ .nmi = false };
    bool came = false;
    __asm__ volatile("lidt %0\n\tsti" : : "m"(wait) : "memory");
    /* The stubs of the second IDT write c->caught and return here; PAUSE's
     * memory clobber makes each round read it again. */
    while (!came && rdtsc() < tsc_deadline) {
        __asm__ volatile("pause" ::: "memory");
        came = c->caught.vmm_vector || c->caught.nmi || c->caught.vectors[0] ||
               c->caught.vectors[1] || c->caught.vectors[2] || c->caught.vectors[3];
    }
    __asm__ volatile("cli\n\tlidt %0" : : "m"(host) : "memory");
    *out = c->caught;
    return came || out->vmm_vector || out->nmi || out->vectors[0] || out->vectors[1] ||
           out->vectors[2] || out->vectors[3];
}

void desc_take_interrupts(struct desc_caught *out)
{
    interrupt_window(out, false);
}

void desc_note_guest_vector(u8 vector)
{
    this_cpu()->caught.vectors[vector / 64] |= 1ULL << (vector % 64);
}

void desc_note_vmm_vector(void)
{
    this_cpu()->caught.vmm_vector = true;
}

void desc_note_nmi(void)
{
    this_cpu()->caught.nmi = true;
}

void desc_unblock_nmi(void)
{
    /* The frame an interrupt would have pushed, returning to label 1. */
    __asm__ volatile("movq %%rsp, %%rax\n\t"
                     "pushq %0\n\t"
                     "pushq %%rax\n\t"
                     "pushfq\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "iretq\n"
                     "1:"
                     :
                     : "i"((u64)SEL_DATA), "i"((u64)SEL_CODE64)
                     : "rax", "memory");
}

bool desc_fixup_safe_insn(struct trap_frame *tf)
{
    /* Each fault-safe instruction of arch/x86/insn_safe.S and where it resumes. */
    static const struct {
        const char *insn, *fault;
    } safe[] = {
        { wrmsr_safe_insn, wrmsr_safe_fault },
        { xsetbv_safe_insn, xsetbv_safe_fault },
    };
    if (tf->vector != 13)
        return false;
    for (unsigned i = 0; i < ARRAY_SIZE(safe); i++)
        if (tf->rip == (u64)(uintptr_t)safe[i].insn) {
            tf->rip = (u64)(uintptr_t)safe[i].fault;
            return true;
        }
    return false;
}
