/**
 * @file tests/guest/idt.c
 * @brief The interrupt descriptor table: 64 interrupt gates into isr.S.
 */
#include "trap.h"

#define IDT_ENTRIES 64
#define SEL_CODE 0x08
/* Present, DPL 0, 32-bit interrupt gate (clears IF on entry). */
#define GATE_INTERRUPT32 0x8E

/* One 8-byte gate descriptor. */
struct idt_gate {
    u16 offset_low;
    u16 selector;
    u8 zero;
    u8 type_attr;
    u16 offset_high;
} __attribute__((packed));

struct idt_pointer {
    u16 limit;
    u32 base;
} __attribute__((packed));

extern const u32 isr_stub_table[IDT_ENTRIES];

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(8)));

void idt_init(void)
{
    for (u32 v = 0; v < IDT_ENTRIES; v++) {
        u32 handler = isr_stub_table[v];
        idt[v].offset_low = (u16)handler;
        idt[v].selector = SEL_CODE;
        idt[v].zero = 0;
        idt[v].type_attr = GATE_INTERRUPT32;
        idt[v].offset_high = (u16)(handler >> 16);
    }
    /* Vectors above 63 are outside the limit: a stray one becomes #GP,
     * which the exception path reports. */
    struct idt_pointer ptr = { sizeof(idt) - 1, (u32)idt };
    __asm__ volatile("lidt %0" : : "m"(ptr));
}
