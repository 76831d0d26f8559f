/**
 * @file shell/shell_core.h
 * @brief The debug shell's pure part: the line editor, the parser and the command table (chapter 13).
 *
 * Nothing here touches hardware: characters come in through shell_line_feed(),
 * lines go out through a struct shell_out, so the same code runs in the VMM
 * (COM2, shell/shell_vmm.c) and in host unit tests (tests/unit/test_shell_core.c).
 */
#ifndef BOOKVISOR_SHELL_SHELL_CORE_H
#define BOOKVISOR_SHELL_SHELL_CORE_H

#include "common/lib/types.h"

/** Longest line the editor keeps (longer input is refused character by character). */
#define SHELL_LINE_MAX 128
/** Most words a command line may have, the command included. */
#define SHELL_MAX_ARGS 8

/** Where a command's output goes: one line at a time, without its newline. */
struct shell_out {
    void (*line)(void *ctx, const char *text); /**< prints one line */
    void *ctx;                                 /**< passed to line */
};

/** What a command returns. */
enum shell_status {
    SHELL_OK,    /**< done */
    SHELL_USAGE, /**< bad arguments: the shell prints the command's usage line */
};

/** One command of the table. */
struct shell_command {
    const char *name;  /**< the first word, e.g. "exits" */
    const char *usage; /**< its arguments, e.g. "server start <port>" ("" for none) */
    const char *help;  /**< one line for `help` */
    /** Run it: argv[0] is the name; returns enum shell_status. */
    enum shell_status (*run)(int argc, char **argv, const struct shell_out *out);
};

/** The line editor's state: the line typed so far. */
struct shell_line {
    char buf[SHELL_LINE_MAX]; /**< the characters, NUL-terminated */
    size_t len;               /**< how many */
    bool done;                /**< the line was given out: the next character starts a new one */
};

/**
 * Feed one typed character to the editor. Printable characters are added,
 * backspace (0x08) and DEL (0x7f) remove the last one, CR or LF ends the line;
 * other control characters are ignored.
 * @param l     the editor
 * @param c     the character
 * @param echo  receives what to send back to the terminal (at most 4 bytes, NUL-terminated)
 * @return true when a line is complete: it is in l->buf until the next call,
 *         which starts a new line
 */
bool shell_line_feed(struct shell_line *l, char c, char echo[5]);

/**
 * Split @p line into words (blanks separate them; it is changed in place)
 * and run the command named by the first. `help` is built in: it lists the
 * table. An unknown command, too many words or a command's SHELL_USAGE print
 * a usage line. An empty line does nothing.
 * @return SHELL_OK, or SHELL_USAGE when a usage line was printed
 */
enum shell_status shell_execute(const struct shell_command *cmds, size_t ncmds, char *line,
                                const struct shell_out *out);

/** Print "usage: <name> <usage>" for one command. */
void shell_print_usage(const struct shell_command *cmd, const struct shell_out *out);

/**
 * Parse a decimal number of at most @p max (for ports and counts).
 * @return true with *value set, or false when @p text is not such a number
 */
bool shell_parse_uint(const char *text, u32 max, u32 *value);

#endif
