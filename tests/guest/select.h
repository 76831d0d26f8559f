/**
 * @file tests/guest/select.h
 * @brief Which checks to run, from `tests=` on the command line.
 *
 * `tests=all` (or no `tests=` word) runs every check that is part of all.
 * Otherwise `tests=` is a comma list; a name selects a check whose full name
 * equals it, or whose group (the part before the first '-') equals it:
 * `tests=cpuid,msr` runs the cpuid-* checks and msr-rw. Some checks are
 * reached only by their group (`tests=hostile`) or only by their full name.
 */
#ifndef GUEST_SELECT_H
#define GUEST_SELECT_H

#include "gtypes.h"

/** Most names in one `tests=` list. */
#define SELECT_MAX_NAMES 16
/** Longest name kept, NUL included. */
#define SELECT_NAME_SIZE 32

/** The parsed `tests=` list. */
struct test_selection {
    bool all; /**< run every check */
    u32 count; /**< names in names[] */
    char names[SELECT_MAX_NAMES][SELECT_NAME_SIZE]; /**< requested names */
    bool used[SELECT_MAX_NAMES]; /**< name matched some check */
    u32 dropped; /**< names beyond SELECT_MAX_NAMES */
};

/** Parse the `tests=` word of @p cmdline (space-separated words) into @p sel. */
void selection_parse(const char *cmdline, struct test_selection *sel);

/** Which selections reach a check. */
enum check_reach {
    CHECK_IN_ALL, /**< `tests=all`, its group or its name */
    CHECK_BY_GROUP, /**< its group or its name, not `all` (the hostile-* checks) */
    CHECK_BY_NAME, /**< its full name only: it stops the guest, so it gets a boot of its own */
};

/**
 * True if @p check_name, reached as @p reach says, is selected; marks the
 * names that matched as used.
 */
bool selection_wants(struct test_selection *sel, const char *check_name, enum check_reach reach);

/**
 * The value of the last word of @p cmdline that starts with @p key (e.g.
 * "pci.absent="): a pointer just after the key, its length up to the next
 * blank in @p len. NULL when no word starts with the key.
 */
const char *cmdline_value(const char *cmdline, const char *key, u32 *len);

#endif
