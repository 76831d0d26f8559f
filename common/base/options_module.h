/**
 * @file common/base/options_module.h
 * @brief bookvisor's options from a GRUB module instead of the command line.
 *
 * A module whose GRUB command line starts with the word `bookvisor-config`
 * is not given to the guest: its text holds bookvisor options, one per line
 * (`key=value` or a bare flag; blank lines and lines starting with `#` are
 * skipped). A value may contain blanks without quotes, which is what long
 * PCI configuration strings want:
 *
 *     # bookvisor.conf
 *     vmm.driver.pci=class=02*, driver=conceal, and, slot=00:00.0, driver=pcidebug, line=5a
 *     vmm.pci.list
 *
 * Options from the module are applied first, the command line's after them,
 * so the command line wins where both set a key. Pure code: host-tested in
 * tests/unit/test_options_module.c.
 */
#ifndef BOOKVISOR_COMMON_BASE_OPTIONS_MODULE_H
#define BOOKVISOR_COMMON_BASE_OPTIONS_MODULE_H

#include "common/base/cmdline.h"
#include "common/lib/types.h"

/** The first word of a configuration module's GRUB command line. */
#define CONFIG_MODULE_WORD "bookvisor-config"

/** Is a module with this GRUB command line (may be NULL) a configuration module? */
bool options_module_is(const char *module_cmdline);

/**
 * Turn the text of a configuration module into one command line that
 * cmdline_parse() reads the same way: each option becomes one item, quoted
 * when its value has blanks. Lines that cannot be carried (a value with a
 * double quote, a flag with blanks, or no room left in @p out) are reported
 * as `config module line N: ...` and left out; the rest still counts.
 *
 * @param text      the module's bytes (need not be NUL-terminated; a NUL ends it)
 * @param len       their number
 * @param out       receives the command line, always NUL-terminated
 * @param size      bytes available in out (at least 1)
 * @param on_error  called once per problem; may be NULL
 * @param ctx       passed to on_error
 * @return the number of problems reported
 */
unsigned options_module_to_cmdline(const char *text, size_t len, char *out, size_t size,
                                  cmdline_error_fn on_error, void *ctx);

#endif
