/**
 * @file common/base/cmdline.c
 * @brief Table-driven command-line parser (see common/base/cmdline.h).
 *
 * The parser splits the line into items, finds each item's key in the
 * caller's table and converts the value by the key's type. It only reads the
 * line, writes only into the destinations the table names, and reports
 * every problem as a message, so no input can make it crash or stop early.
 */
#include "common/base/cmdline.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

/** Longest part of an item quoted in an error message. */
#define QUOTE_MAX 80

/** One item of the line, as pointers into the line (nothing is copied). */
struct item {
    const char *text; /**< the whole item, for messages */
    size_t text_len;
    const char *key;
    size_t key_len;
    const char *value; /**< NULL for a bare key */
    size_t value_len;
};

/** Where errors go and how many there were. */
struct reporter {
    cmdline_error_fn on_error;
    void *ctx;
    unsigned errors;
};

/**
 * Report one error; the item is quoted with "'%.*s%s'" and ITEM_TEXT(),
 * which cuts long items with "...".
 */
__attribute__((format(printf, 2, 3))) static void report(struct reporter *r, const char *fmt, ...)
{
    char message[256];
    va_list ap;

    r->errors++;
    if (!r->on_error)
        return;
    va_start(ap, fmt);
    kvsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    r->on_error(r->ctx, message);
}

/** Arguments that print the item text, cut to QUOTE_MAX characters. */
#define ITEM_TEXT(it) \
    (int)((it)->text_len < QUOTE_MAX ? (it)->text_len : QUOTE_MAX), (it)->text, \
        ((it)->text_len > QUOTE_MAX ? "..." : "")

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/** True when text[0..len) equals the NUL-terminated word exactly. */
static bool span_equals(const char *text, size_t len, const char *word)
{
    return KSTR(strlen)(word) == len && KSTR(memcmp)(text, word, len) == 0;
}

static const struct cmdline_key *find_key(const struct cmdline_key *keys, size_t nkeys,
                                          const char *name, size_t len)
{
    for (size_t i = 0; keys && i < nkeys && keys[i].name; i++) {
        if (span_equals(name, len, keys[i].name))
            return &keys[i];
    }
    return NULL;
}

/** Write "a|b|c" (the words of a NULL-terminated list) into buf. */
static void join_choices(const char *const *choices, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; choices && choices[i]; i++) {
        int n = ksnprintf(buf + used, size - used, "%s%s", i ? "|" : "", choices[i]);

        if (n < 0 || (size_t)n >= size - used)
            break; /* the list is cut; the message stays readable */
        used += (size_t)n;
    }
}

/**
 * Parse a number with an optional K/M/G suffix (binary multiples).
 * @return false on an empty or bad number, or overflow.
 */
static bool parse_u64(const char *s, size_t len, u64 *out)
{
    unsigned shift = 0;
    u64 value;

    if (len > 0) {
        switch (s[len - 1]) {
        case 'K':
        case 'k': shift = 10; break;
        case 'M':
        case 'm': shift = 20; break;
        case 'G':
        case 'g': shift = 30; break;
        default: break;
        }
        if (shift)
            len--;
    }
    if (!kstr_to_u64(s, len, 0, &value))
        return false;
    if (value > (UINT64_MAX >> shift))
        return false;
    *out = value << shift;
    return true;
}

static bool parse_bool(const char *s, size_t len, bool *out)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (span_equals(s, len, yes[i])) {
            *out = true;
            return true;
        }
        if (span_equals(s, len, no[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

static void store_string(struct reporter *r, const struct item *it, struct cmdline_string *dest)
{
    size_t n = it->value_len;

    if (!dest->buf || dest->size == 0) {
        report(r, "cmdline: '%.*s%s': no room to store the value (ignored)", ITEM_TEXT(it));
        return;
    }
    if (n >= dest->size) {
        n = dest->size - 1;
        report(r, "cmdline: '%.*s%s': value too long (truncated to %zu characters)", ITEM_TEXT(it),
               n);
    }
    KSTR(memcpy)(dest->buf, it->value, n);
    dest->buf[n] = '\0';
}

static void append_list(struct reporter *r, const struct item *it, struct cmdline_string *dest)
{
    size_t used = dest->buf && dest->size ? KSTR(strlen)(dest->buf) : 0;

    /* The value, its newline and the final NUL must all fit: a cut command is worse than none. */
    if (!dest->buf || used + it->value_len + 2 > dest->size) {
        report(r, "cmdline: '%.*s%s': no room left for this value (ignored)", ITEM_TEXT(it));
        return;
    }
    KSTR(memcpy)(dest->buf + used, it->value, it->value_len);
    dest->buf[used + it->value_len] = '\n';
    dest->buf[used + it->value_len + 1] = '\0';
}

static void store_choice(struct reporter *r, const struct item *it, const struct cmdline_key *key)
{
    char list[128];

    for (int i = 0; key->choices && key->choices[i]; i++) {
        if (span_equals(it->value, it->value_len, key->choices[i])) {
            *(int *)key->dest = i;
            return;
        }
    }
    join_choices(key->choices, list, sizeof(list));
    report(r, "cmdline: '%.*s%s': expected one of %s (ignored)", ITEM_TEXT(it), list);
}

/** Convert and store the value of one item whose key is known. */
static void apply_item(struct reporter *r, const struct item *it, const struct cmdline_key *key)
{
    if (!key->dest) {
        report(r, "cmdline: '%.*s%s': key has no destination (ignored)", ITEM_TEXT(it));
        return;
    }
    if (!it->value && key->type != CMDLINE_BOOL) {
        report(r, "cmdline: '%.*s%s': missing value (ignored)", ITEM_TEXT(it));
        return;
    }
    switch (key->type) {
    case CMDLINE_STRING: store_string(r, it, key->dest); break;
    case CMDLINE_LIST: append_list(r, it, key->dest); break;
    case CMDLINE_U64: {
        u64 value;

        if (parse_u64(it->value, it->value_len, &value))
            *(u64 *)key->dest = value;
        else
            report(r, "cmdline: '%.*s%s': not a number or too large (ignored)", ITEM_TEXT(it));
        break;
    }
    case CMDLINE_BOOL: {
        bool value = true;

        if (!it->value || parse_bool(it->value, it->value_len, &value))
            *(bool *)key->dest = value;
        else
            report(r, "cmdline: '%.*s%s': expected 1/0, true/false, yes/no or on/off (ignored)",
                   ITEM_TEXT(it));
        break;
    }
    case CMDLINE_CHOICE: store_choice(r, it, key); break;
    default:
        report(r, "cmdline: '%.*s%s': key has an unknown type (ignored)", ITEM_TEXT(it));
        break;
    }
}

unsigned cmdline_parse(const char *line, const struct cmdline_key *keys, size_t nkeys,
                       cmdline_error_fn on_error, void *ctx)
{
    struct reporter r = { .on_error = on_error, .ctx = ctx, .errors = 0 };
    const char *p = line;

    if (!p)
        return 0;
    for (;;) {
        struct item it = { 0 };

        while (is_blank(*p))
            p++;
        if (*p == '\0')
            break;
        it.text = it.key = p;
        while (*p && *p != '=' && !is_blank(*p))
            p++;
        it.key_len = (size_t)(p - it.key);
        if (*p == '=') {
            p++;
            /* A value may be quoted with "..." to hold blanks. GRUB puts a
             * backslash before each quote it passes on, so \"...\" counts too. */
            bool esc = p[0] == '\\' && p[1] == '"';
            if (*p == '"' || esc) {
                const char *open = p;
                p += esc ? 2 : 1;
                const char *start = p;

                while (*p && !(esc ? (p[0] == '\\' && p[1] == '"') : *p == '"'))
                    p++;
                if (*p == '\0') {
                    /* Without its closing quote we cannot know where the
                     * value ends; drop up to the next blank and go on. */
                    for (p = open; *p && !is_blank(*p); p++)
                        ;
                    it.text_len = (size_t)(p - it.text);
                    report(&r, "cmdline: '%.*s%s': unterminated quote (ignored)", ITEM_TEXT(&it));
                    continue;
                }
                it.value = start;
                it.value_len = (size_t)(p - it.value);
                p += esc ? 2 : 1; /* the closing quote */
                if (*p && !is_blank(*p)) {
                    while (*p && !is_blank(*p))
                        p++;
                    it.text_len = (size_t)(p - it.text);
                    report(&r, "cmdline: '%.*s%s': text after the closing quote (ignored)",
                           ITEM_TEXT(&it));
                    continue;
                }
            } else {
                it.value = p;
                while (*p && !is_blank(*p))
                    p++;
                it.value_len = (size_t)(p - it.value);
            }
        }
        it.text_len = (size_t)(p - it.text);

        if (it.key_len == 0) {
            report(&r, "cmdline: '%.*s%s': empty key (ignored)", ITEM_TEXT(&it));
            continue;
        }
        const struct cmdline_key *key = find_key(keys, nkeys, it.key, it.key_len);

        if (!key) {
            /* Quote just the key: that is the part that is wrong. */
            struct item k = it;

            k.text_len = k.key_len;
            report(&r, "cmdline: unknown key '%.*s%s' (ignored)", ITEM_TEXT(&k));
            continue;
        }
        apply_item(&r, &it, key);
    }
    return r.errors;
}

int cmdline_help_line(const struct cmdline_key *key, char *buf, size_t size)
{
    char value[160];
    const char *help;

    if (!key || !key->name)
        return ksnprintf(buf, size, "%s", "");
    help = key->help ? key->help : "";
    switch (key->type) {
    case CMDLINE_STRING: return ksnprintf(buf, size, "  %s=<text>  %s", key->name, help);
    case CMDLINE_LIST: return ksnprintf(buf, size, "  %s=<text> (repeatable)  %s", key->name, help);
    case CMDLINE_U64: return ksnprintf(buf, size, "  %s=<number>  %s", key->name, help);
    case CMDLINE_BOOL: return ksnprintf(buf, size, "  %s[=<bool>]  %s", key->name, help);
    case CMDLINE_CHOICE:
        join_choices(key->choices, value, sizeof(value));
        return ksnprintf(buf, size, "  %s=<%s>  %s", key->name, value, help);
    default: return ksnprintf(buf, size, "  %s  %s", key->name, help);
    }
}
