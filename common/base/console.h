/**
 * @file common/base/console.h
 * @brief Where bookvisor's own log goes (command-line option `console=`).
 */
#ifndef BOOKVISOR_COMMON_BASE_CONSOLE_H
#define BOOKVISOR_COMMON_BASE_CONSOLE_H

#include "common/lib/types.h"

/** Console choices, in the order of the `console=` option's values. */
enum console_target { CONSOLE_COM1, CONSOLE_COM2, CONSOLE_E9 };

/** Select and initialise the console. May be called again to switch. */
void console_init(enum console_target target);

/**
 * Also hand every write to tap (NULL: none), after the console has it: how
 * the log reaches syslog (net/syslog_vmm.h). The tap must never wait long
 * nor write to the console itself.
 */
void console_set_tap(void (*tap)(const char *s, size_t n));

/** Write n bytes; "\n" becomes "\r\n" on serial ports. */
void console_write(const char *s, size_t n);

#endif
