/**
 * @file tests/guest/pic.h
 * @brief The two 8259 PICs: remap to 0x20-0x2F, mask, acknowledge.
 */
#ifndef GUEST_PIC_H
#define GUEST_PIC_H

#include "gtypes.h"

/** Remap master to 0x20 and slave to 0x28, then mask every line. */
void pic_init(void);

/**
 * Put the master's IRQ0-7 at @p master_base (a multiple of 8; the slave stays
 * at 0x28), mask every line, and tell the trap code where IRQs now arrive.
 * The BIOS's layout has the master at 8, over the CPU exceptions.
 */
void pic_init_at(u8 master_base);

/** Let PIC line @p irq (0-15) through; unmasks the cascade for 8-15. */
void pic_unmask(u32 irq);

/** Block PIC line @p irq (0-15). */
void pic_mask(u32 irq);

/** Block every PIC line. */
void pic_mask_all(void);

/**
 * True if an interrupt on @p irq (7 or 15) was spurious: its ISR bit is
 * clear. A spurious IRQ15 still needs an EOI to the master (cascade).
 */
bool pic_is_spurious(u32 irq);

/**
 * Acknowledge and end every request the PICs hold now (poll mode, no CPU
 * involved): a stale edge latched while a line was masked would otherwise
 * arrive the moment a check unmasks it.
 */
void pic_drain(void);

/** Send end-of-interrupt for @p irq (to the slave too for 8-15). */
void pic_eoi(u32 irq);

#endif
