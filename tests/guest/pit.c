/**
 * @file tests/guest/pit.c
 * @brief Programming PIT channel 0 (ports 0x40, 0x43).
 */
#include "pit.h"
#include "cpu.h"

#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PORT_SPEAKER 0x61
#define PIT_50MS 59659 /* 1.193182 MHz * 50 ms */
#define PIT_CMD 0x43
#define PIT_INPUT_HZ 1193182u
/* Channel 0, low byte then high byte, binary. */
#define PIT_CH0_LOHI 0x30
#define PIT_MODE_ONESHOT (0 << 1)
#define PIT_MODE_RATE (2 << 1)

static void pit_program(u8 mode, u16 count)
{
    outb(PIT_CMD, PIT_CH0_LOHI | mode);
    outb(PIT_CH0, (u8)count);
    outb(PIT_CH0, (u8)(count >> 8));
}

void pit_start_periodic(u32 hz)
{
    u32 divisor = PIT_INPUT_HZ / (hz ? hz : 1);
    if (divisor < 2)
        divisor = 2;
    if (divisor > 0xFFFF)
        divisor = 0xFFFF;
    pit_program(PIT_MODE_RATE, (u16)divisor);
}

void pit_stop(void)
{
    pit_program(PIT_MODE_ONESHOT, 0xFFFF);
}

void pit_one_shot(u16 count)
{
    pit_program(PIT_MODE_ONESHOT, count);
}

/* Channel 2 in mode 0, gated on through port 0x61: its output (bit 5 there)
 * goes high at the end of the count. */
u64 pit_tsc_per_second(void)
{
    u64 t0 = rdtsc();
    if (!pit_wait_50ms())
        return 0;
    return (rdtsc() - t0) * (1000 / 50);
}

bool pit_wait_50ms(void)
{
    u8 gate = inb(PORT_SPEAKER);
    outb(PORT_SPEAKER, (u8)((gate & ~0x02) | 0x01));
    outb(PIT_CMD, 0xB0);
    outb(PIT_CH2, PIT_50MS & 0xFF);
    outb(PIT_CH2, PIT_50MS >> 8);
    bool done = false;
    for (u32 spins = 0; spins < 200000000u && !done; spins++)
        done = inb(PORT_SPEAKER) & 0x20;
    outb(PORT_SPEAKER, gate);
    return done;
}
