/**
 * @file common/base/cmdline.h
 * @brief Table-driven parser for bookvisor's own command line (pure).
 *
 * The line is a list of items separated by blanks (space, tab, CR, LF). Each
 * item is `key=value` or a bare `key` (a flag). The first '=' ends the key;
 * the value is taken untouched, so it may itself contain '=', '*', '|', ','.
 * A value that starts with '"' runs to the next '"' and may contain blanks;
 * the quotes are removed. Keys may contain dots (`vmm.driver.pci=...`).
 *
 * The caller describes the keys it knows in an array of struct cmdline_key.
 * Every problem (unknown key, bad number, bad choice, missing value, value
 * too long, unterminated quote) is reported once through the error callback
 * with the offending item quoted, and parsing goes on with the next item.
 * A key given twice takes the last value.
 */
#ifndef BOOKVISOR_COMMON_BASE_CMDLINE_H
#define BOOKVISOR_COMMON_BASE_CMDLINE_H

#include "common/lib/types.h"

/** How a key's value is parsed and where it is stored. */
enum cmdline_type {
    /** Text; dest is a struct cmdline_string. `key=` gives "". */
    CMDLINE_STRING,
    /**
     * Unsigned number; dest is a u64. Decimal, 0x hex or 0 octal, with an
     * optional binary suffix K, M or G (either case): `mem=64M`.
     */
    CMDLINE_U64,
    /**
     * Flag; dest is a bool. A bare key means true; values 1/0, true/false,
     * yes/no, on/off are accepted.
     */
    CMDLINE_BOOL,
    /** One word of a list; dest is an int set to the word's index. */
    CMDLINE_CHOICE,
    /**
     * Repeatable text; dest is a struct cmdline_string. Each occurrence of the
     * key appends its value and a newline (`shell=help shell=exits`); a value
     * that does not fit whole is reported and left out.
     */
    CMDLINE_LIST,
};

/** Caller-provided storage for a CMDLINE_STRING value. */
struct cmdline_string {
    char *buf; /**< receives the value, always NUL-terminated */
    size_t size; /**< bytes available in buf, NUL included */
};

/** One key the caller understands. */
struct cmdline_key {
    const char *name; /**< the key, e.g. "vmm.mem"; NULL ends the table early */
    enum cmdline_type type; /**< how the value is parsed */
    void *dest; /**< where it goes; see enum cmdline_type */
    const char *const *choices; /**< CMDLINE_CHOICE: NULL-terminated word list */
    const char *help; /**< one line for the help text */
};

/** Receives one complete, human-readable error message (no newline). */
typedef void (*cmdline_error_fn)(void *ctx, const char *message);

/**
 * Parse line against keys[0..nkeys) and store the values found.
 *
 * Never fails on any input: NULL or empty line means nothing to do, NULL
 * keys means every item is unknown, a NULL on_error just counts errors.
 * On an error the item's destination is left unchanged, except that a
 * too-long string is stored truncated.
 *
 * @param line      the command line (NUL-terminated) or NULL
 * @param keys      the known keys
 * @param nkeys     number of entries in keys
 * @param on_error  called once per problem with a message such as
 *                  `cmdline: unknown key 'foo' (ignored)`; may be NULL
 * @param ctx       passed to on_error
 * @return the number of errors reported
 */
unsigned cmdline_parse(const char *line, const struct cmdline_key *keys, size_t nkeys,
                       cmdline_error_fn on_error, void *ctx);

/**
 * Write one help line for key into buf, e.g. `  vmm.mem=<number>  memory for the VMM`
 * (choices are listed as `<a|b|c>`).
 * @return the length the full line would have had (like ksnprintf()).
 */
int cmdline_help_line(const struct cmdline_key *key, char *buf, size_t size);

#endif
