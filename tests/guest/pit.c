/**
 * @file tests/guest/pit.c
 * @brief Programming PIT channel 0 (ports 0x40, 0x43).
 */
#include "pit.h"
#include "cpu.h"

#define PIT_CH0 0x40
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
