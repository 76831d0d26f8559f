/*
 * shell/shell_core.c - the debug shell's line editor and parser (see shell_core.h).
 * Pure: no hardware, no kprintf.
 */
#include "shell/shell_core.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

bool shell_line_feed(struct shell_line *l, char c, char echo[5])
{
    echo[0] = '\0';
    if (l->done) { /* the previous call ended a line: start afresh */
        l->len = 0;
        l->done = false;
    }
    if (c == '\r' || c == '\n') {
        kstrlcpy(echo, "\r\n", 5);
        l->buf[l->len] = '\0';
        l->done = true; /* kept in buf until the next call */
        return true;
    }
    if (c == '\b' || c == 0x7f) {
        if (l->len) {
            l->len--;
            l->buf[l->len] = '\0';
            kstrlcpy(echo, "\b \b", 5); /* step back, blank the character, step back */
        }
        return false;
    }
    if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e || l->len + 1 >= SHELL_LINE_MAX)
        return false;
    l->buf[l->len++] = c;
    l->buf[l->len] = '\0';
    echo[0] = c;
    echo[1] = '\0';
    return false;
}

void shell_print_usage(const struct shell_command *cmd, const struct shell_out *out)
{
    char text[SHELL_LINE_MAX + 32];

    ksnprintf(text, sizeof(text), "usage: %s%s%s", cmd->name, cmd->usage[0] ? " " : "", cmd->usage);
    out->line(out->ctx, text);
}

static void print_help(const struct shell_command *cmds, size_t ncmds, const struct shell_out *out)
{
    char text[160];

    out->line(out->ctx, "commands:");
    out->line(out->ctx, "  help  this list");
    for (size_t i = 0; i < ncmds; i++) {
        ksnprintf(text, sizeof(text), "  %s%s%s  %s", cmds[i].name, cmds[i].usage[0] ? " " : "",
                  cmds[i].usage, cmds[i].help);
        out->line(out->ctx, text);
    }
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

enum shell_status shell_execute(const struct shell_command *cmds, size_t ncmds, char *line,
                                const struct shell_out *out)
{
    char *argv[SHELL_MAX_ARGS + 1];
    int argc = 0;
    char text[SHELL_LINE_MAX + 48];

    for (char *p = line; *p;) {
        while (is_blank(*p))
            *p++ = '\0';
        if (!*p)
            break;
        if (argc == SHELL_MAX_ARGS) {
            ksnprintf(text, sizeof(text), "usage: at most %u words on a line", SHELL_MAX_ARGS);
            out->line(out->ctx, text);
            return SHELL_USAGE;
        }
        argv[argc++] = p;
        while (*p && !is_blank(*p))
            p++;
    }
    argv[argc] = NULL;
    if (!argc)
        return SHELL_OK;
    if (KSTR(strcmp)(argv[0], "help") == 0) {
        if (argc == 1) {
            print_help(cmds, ncmds, out);
            return SHELL_OK;
        }
        out->line(out->ctx, "usage: help");
        return SHELL_USAGE;
    }
    for (size_t i = 0; i < ncmds; i++) {
        if (KSTR(strcmp)(argv[0], cmds[i].name) != 0)
            continue;
        if (cmds[i].run(argc, argv, out) == SHELL_OK)
            return SHELL_OK;
        shell_print_usage(&cmds[i], out);
        return SHELL_USAGE;
    }
    ksnprintf(text, sizeof(text), "usage: '%.40s' is not a command; 'help' lists them", argv[0]);
    out->line(out->ctx, text);
    return SHELL_USAGE;
}

bool shell_parse_uint(const char *text, u32 max, u32 *value)
{
    u64 v = 0;

    if (!text || !*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return false;
        v = v * 10 + (u64)(*text - '0');
        if (v > max)
            return false;
    }
    *value = (u32)v;
    return true;
}
