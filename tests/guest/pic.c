/**
 * @file tests/guest/pic.c
 * @brief 8259A programming: ICW1-ICW4 remap, OCW1 masks, OCW2 EOI, OCW3 ISR.
 */
#include "pic.h"
#include "cpu.h"
#include "trap.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define ICW1_INIT_ICW4 0x11 /* edge triggered, cascade, ICW4 follows */
#define ICW4_8086 0x01
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0B
#define CASCADE_IRQ 2

/* A write to port 0x80 gives old PICs time between initialisation words. */
static void io_delay(void)
{
    outb(0x80, 0);
}

void pic_init(void)
{
    pic_init_at(IRQ_VECTOR_BASE);
}

void pic_init_at(u8 master_base)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    io_delay();
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    io_delay();
    outb(PIC1_DATA, master_base);
    io_delay();
    outb(PIC2_DATA, IRQ_VECTOR_BASE + 8);
    io_delay();
    outb(PIC1_DATA, 1 << CASCADE_IRQ); /* slave sits on master line 2 */
    io_delay();
    outb(PIC2_DATA, CASCADE_IRQ); /* slave's identity */
    io_delay();
    outb(PIC1_DATA, ICW4_8086);
    io_delay();
    outb(PIC2_DATA, ICW4_8086);
    io_delay();
    pic_mask_all();
    irq_set_master_base(master_base);
}

void pic_unmask(u32 irq)
{
    if (irq < 8) {
        outb(PIC1_DATA, inb(PIC1_DATA) & (u8) ~(1u << irq));
    } else {
        outb(PIC2_DATA, inb(PIC2_DATA) & (u8) ~(1u << (irq - 8)));
        outb(PIC1_DATA, inb(PIC1_DATA) & (u8) ~(1u << CASCADE_IRQ));
    }
}

void pic_mask(u32 irq)
{
    if (irq < 8)
        outb(PIC1_DATA, inb(PIC1_DATA) | (u8)(1u << irq));
    else
        outb(PIC2_DATA, inb(PIC2_DATA) | (u8)(1u << (irq - 8)));
}

void pic_mask_all(void)
{
    outb(PIC1_DATA, 0xFF);
    outb(PIC2_DATA, 0xFF);
}

bool pic_is_spurious(u32 irq)
{
    u16 cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;
    if ((irq & 7) != 7)
        return false;
    outb(cmd, OCW3_READ_ISR);
    return (inb(cmd) & 0x80) == 0;
}

void pic_eoi(u32 irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, OCW2_EOI);
    outb(PIC1_CMD, OCW2_EOI);
}

#define OCW3_POLL 0x0C
#define POLL_INTERRUPT 0x80

void pic_drain(void)
{
    for (u32 i = 0; i < 16; i++) {
        outb(PIC1_CMD, OCW3_POLL);
        u8 poll = inb(PIC1_CMD);
        if (!(poll & POLL_INTERRUPT))
            break;
        u32 irq = poll & 7;
        if (irq == CASCADE_IRQ) {
            outb(PIC2_CMD, OCW3_POLL);
            irq = 8 + (inb(PIC2_CMD) & 7);
        }
        pic_eoi(irq);
    }
}
