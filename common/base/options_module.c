/*
 * common/base/options_module.c - from a configuration module's lines to one command line.
 */
#include "common/base/options_module.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

bool options_module_is(const char *cmdline)
{
    size_t n = sizeof(CONFIG_MODULE_WORD) - 1;
    if (!cmdline)
        return false;
    while (is_blank(*cmdline))
        cmdline++;
    return KSTR(strncmp)(cmdline, CONFIG_MODULE_WORD, n) == 0 &&
           (cmdline[n] == '\0' || is_blank(cmdline[n]));
}

static void problem(cmdline_error_fn on_error, void *ctx, unsigned line, const char *why)
{
    char msg[96];
    if (!on_error)
        return;
    ksnprintf(msg, sizeof(msg), "config module line %u: %s (ignored)", line, why);
    on_error(ctx, msg);
}

/* Append [s, s + n) to out at *at if it fits with a NUL after it. */
static bool append(char *out, size_t size, size_t *at, const char *s, size_t n)
{
    if (*at + n + 1 > size)
        return false;
    KSTR(memcpy)(out + *at, s, n);
    *at += n;
    out[*at] = '\0';
    return true;
}

unsigned options_module_to_cmdline(const char *text, size_t len, char *out, size_t size,
                                  cmdline_error_fn on_error, void *ctx)
{
    unsigned problems = 0, line = 0;
    size_t at = 0, pos = 0;

    out[0] = '\0';
    while (pos < len && text[pos] != '\0') {
        size_t start = pos, end;
        while (pos < len && text[pos] != '\0' && text[pos] != '\n')
            pos++;
        end = pos;
        if (pos < len && text[pos] == '\n')
            pos++;
        line++;
        while (start < end && is_blank(text[start]))
            start++;
        while (end > start && is_blank(text[end - 1]))
            end--;
        if (start == end || text[start] == '#')
            continue;

        const char *item = text + start;
        size_t n = end - start, eq = 0, i;
        bool key_blank = false, value_blank = false, quote = false;
        while (eq < n && item[eq] != '=')
            eq++;
        for (i = 0; i < n; i++) {
            if (is_blank(item[i]))
                *(i < eq ? &key_blank : &value_blank) = true;
            quote |= item[i] == '"';
        }
        const char *why = quote ? "no double quotes in a config module: write the value as it is"
                        : eq == 0 ? "no key before '='"
                        : key_blank ? "a key with blanks" : NULL;
        if (why) {
            problems++;
            problem(on_error, ctx, line, why);
            continue;
        }
        size_t mark = at;
        bool ok = (at == 0 || append(out, size, &at, " ", 1));
        if (ok && value_blank) /* key="value with blanks" */
            ok = append(out, size, &at, item, eq + 1) && append(out, size, &at, "\"", 1) &&
                 append(out, size, &at, item + eq + 1, n - eq - 1) &&
                 append(out, size, &at, "\"", 1);
        else if (ok)
            ok = append(out, size, &at, item, n);
        if (!ok) {
            at = mark;
            out[at] = '\0';
            problems++;
            problem(on_error, ctx, line, "the options are too long for bookvisor's buffer");
        }
    }
    return problems;
}
