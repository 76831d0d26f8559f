/*
 * common/base/console.c - the VMM log sink.
 */
#include "common/base/console.h"
#include "arch/x86/io.h"
#include "arch/x86/serial.h"

static enum console_target console_target = CONSOLE_COM1;
static bool console_ready;
static void (*console_tap)(const char *s, size_t n);

void console_set_tap(void (*tap)(const char *s, size_t n))
{
    __atomic_store_n(&console_tap, tap, __ATOMIC_RELEASE);
}

void console_init(enum console_target target)
{
    console_target = target;
    if (target == CONSOLE_COM1)
        serial_init(SERIAL_COM1);
    else if (target == CONSOLE_COM2)
        serial_init(SERIAL_COM2);
    console_ready = true;
}

static void console_putc(char c)
{
    switch (console_target) {
    case CONSOLE_COM1:
        serial_putc(SERIAL_COM1, c);
        break;
    case CONSOLE_COM2:
        serial_putc(SERIAL_COM2, c);
        break;
    case CONSOLE_E9:
        outb(DEBUGCON_PORT, (u8)c);
        break;
    }
}

void console_write(const char *s, size_t n)
{
    if (!console_ready)
        console_init(CONSOLE_COM1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && console_target != CONSOLE_E9)
            console_putc('\r');
        console_putc(s[i]);
    }
    void (*tap)(const char *, size_t) = __atomic_load_n(&console_tap, __ATOMIC_ACQUIRE);
    if (tap)
        tap(s, n);
}
