/**
 * @file pci/pci_config.c
 * @brief Parse the PCI driver configuration string and bind devices (see pci/pci_config.h).
 *
 * The parser walks the string once, item by item (items are separated by
 * commas). Items accumulate into the current entry until `and` or the end;
 * then the entry is checked and kept. The first problem in an entry marks
 * it dropped, and its remaining items are skipped silently up to the next
 * `and`, so one typo costs one entry and one message.
 */
#include "pci/pci_config.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"

/* Width of the string window shown under a message. */
#define ECHO_WINDOW 72
/* Room kept for the echo and caret lines: two of "\n  ...<window>...". */
#define ECHO_RESERVE (2 * (ECHO_WINDOW + 9))
_Static_assert(PCI_CONFIG_MESSAGE_MAX >= ECHO_RESERVE + 200, "room for the first line");
/* Longest piece of user text quoted inside a message. */
#define QUOTE_MAX 32

/** A piece [start, end) of the string being parsed. */
struct span {
    size_t start;
    size_t end;
};

/** Walking state of the comma-separated items of one string. */
struct item_walk {
    const char *s;
    size_t len;
    size_t pos;
    bool done;
};

/** Where problems go, and what they are about. */
struct reporter {
    struct pci_config *cfg;
    pci_config_error_fn on_error;
    void *ctx;
    const char *src; /* the string the columns refer to */
    size_t src_len; /* how much of it may be read */
    bool src_cut; /* src goes on past src_len */
    const char *driver; /* non-NULL: a declaration problem of this driver */
    const char *field; /* which declaration field: "device" or "driver_options" */
    s32 entry; /* entry index for config problems */
};

/** The entry being assembled. */
struct entry_build {
    struct pci_config_entry e;
    bool any_item; /* some item (even an empty one) since the last `and` */
    bool dropped; /* a problem was reported; skip to the next `and` */
    bool has_driver; /* `driver=` seen */
    u32 driver_column;
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool span_is(const char *s, struct span sp, const char *word)
{
    size_t n = KSTR(strlen)(word);

    return sp.end - sp.start == n && KSTR(memcmp)(s + sp.start, word, n) == 0;
}

/** Next item, blanks trimmed; false when the string is used up. */
static bool next_item(struct item_walk *w, struct span *item)
{
    size_t i = w->pos;

    if (w->done)
        return false;
    while (i < w->len && w->s[i] != ',')
        i++;
    item->start = w->pos;
    item->end = i;
    if (i < w->len)
        w->pos = i + 1;
    else
        w->done = true;
    while (item->start < item->end && is_blank(w->s[item->start]))
        item->start++;
    while (item->end > item->start && is_blank(w->s[item->end - 1]))
        item->end--;
    return true;
}

/** Copy at most QUOTE_MAX characters of s[sp] into out, unprintables as '.'. */
static const char *quote(char *out, const char *s, struct span sp)
{
    size_t n = sp.end - sp.start;
    size_t k = 0;

    if (n > QUOTE_MAX)
        n = QUOTE_MAX;
    for (size_t i = 0; i < n; i++) {
        char c = s[sp.start + i];

        out[k++] = (c >= 0x20 && c < 0x7f) ? c : '.';
    }
    if (sp.end - sp.start > QUOTE_MAX) {
        out[k++] = '.';
        out[k++] = '.';
        out[k++] = '.';
    }
    out[k] = '\0';
    return out;
}

/** Append the string window around column and a caret line under it. */
static void append_echo(char *buf, size_t size, size_t *pos, const struct reporter *r, u32 column)
{
    size_t at = column > 0 ? column - 1 : 0;
    size_t start = 0, end, caret;
    char line[ECHO_WINDOW + 1];

    if (r->src_len > ECHO_WINDOW && at > ECHO_WINDOW / 2)
        start = at - ECHO_WINDOW / 2;
    if (r->src_len > ECHO_WINDOW && start + ECHO_WINDOW > r->src_len)
        start = r->src_len - ECHO_WINDOW;
    end = start + ECHO_WINDOW < r->src_len ? start + ECHO_WINDOW : r->src_len;
    for (size_t i = start; i < end; i++) {
        char c = r->src[i];

        /* one cell per byte, so the caret stays under its character */
        line[i - start] = (c >= 0x20 && c < 0x7f) ? c : ' ';
    }
    line[end - start] = '\0';
    caret = at - start + (start > 0 ? 3 : 0);
    ksnappendf(buf, size, pos, "\n  %s%s%s\n  %*s^", start > 0 ? "..." : "", line,
               (end < r->src_len || r->src_cut) ? "..." : "", (int)caret, "");
}

/** Report one problem: build the three-line message and call back. */
static void report(struct reporter *r, enum pci_config_errcode code, u32 column, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

static void report(struct reporter *r, enum pci_config_errcode code, u32 column, const char *fmt,
                   ...)
{
    char message[PCI_CONFIG_MESSAGE_MAX];
    /* the first line gets what the echo and caret lines leave, so a long
     * first line is cut rather than the caret */
    const size_t first_max = sizeof(message) - ECHO_RESERVE;
    size_t pos = 0;
    struct pci_config_error err;
    va_list ap;
    int n;

    r->cfg->nerrors++;
    if (!r->on_error)
        return;
    if (r->driver)
        ksnappendf(message, first_max, &pos, "pci driver '%.32s': %s column %u: ", r->driver,
                   r->field, column);
    else
        ksnappendf(message, first_max, &pos, "pci config: column %u: ", column);
    va_start(ap, fmt);
    if (pos < first_max)
        n = kvsnprintf(message + pos, first_max - pos, fmt, ap);
    else
        n = kvsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        pos += (size_t)n;
    if (r->driver)
        ksnappendf(message, first_max, &pos, "; driver left out");
    else if (r->entry >= 0)
        ksnappendf(message, first_max, &pos, "; entry %d dropped", (int)r->entry + 1);
    if (pos >= first_max)
        pos = first_max - 1;
    append_echo(message, sizeof(message), &pos, r, column);

    /* declaration problems share one code; the message says which */
    err.code = r->driver ? PCI_ERR_BAD_DECLARATION : code;
    err.column = column;
    err.entry = r->driver ? -1 : r->entry;
    err.driver = r->driver;
    err.message = message;
    r->on_error(r->ctx, &err);
}

/** Index of the usable driver called name, or -1. */
static s32 find_driver(const struct pci_config *cfg, const char *name, size_t len)
{
    for (u32 i = 0; i < cfg->ndrivers; i++) {
        const char *d = cfg->drivers[i].driver->name;

        if (KSTR(strlen)(d) == len && KSTR(memcmp)(d, name, len) == 0)
            return (s32)i;
    }
    return -1;
}

/** Index of option name in a driver's declared list, or -1. */
static s32 find_option(const struct pci_config_driver *d, const char *name, size_t len)
{
    for (u32 i = 0; i < d->noptions; i++)
        if (d->option_lens[i] == len && KSTR(memcmp)(d->option_names[i], name, len) == 0)
            return (s32)i;
    return -1;
}

/** Is name declared as an option by any usable driver? (for a hint) */
static bool any_driver_option(const struct pci_config *cfg, const char *name, size_t len)
{
    for (u32 i = 0; i < cfg->ndrivers; i++)
        if (find_option(&cfg->drivers[i], name, len) >= 0)
            return true;
    return false;
}

/** Column (1-based) of offset i. */
static u32 col(size_t i)
{
    return (u32)(i + 1);
}

/**
 * Split a non-empty item into key and value, reporting a missing '=', an
 * empty key or an empty value. Returns false after reporting.
 */
static bool split_item(struct reporter *r, const char *s, struct span item, struct span *key,
                       struct span *value)
{
    char q[QUOTE_MAX + 4];
    size_t eq = item.start;

    while (eq < item.end && s[eq] != '=')
        eq++;
    if (eq == item.end) {
        report(r, PCI_ERR_NO_EQUALS, col(item.start), "'%s' is not key=value (nor 'and')",
               quote(q, s, item));
        return false;
    }
    key->start = item.start;
    key->end = eq;
    while (key->end > key->start && is_blank(s[key->end - 1]))
        key->end--;
    value->start = eq + 1;
    value->end = item.end;
    while (value->start < value->end && is_blank(s[value->start]))
        value->start++;
    if (key->start == key->end) {
        report(r, PCI_ERR_EMPTY_KEY, col(item.start), "missing key before '='");
        return false;
    }
    if (value->start == value->end) {
        report(r, PCI_ERR_EMPTY_VALUE, col(eq + 1), "'%s' has no value after '='",
               quote(q, s, *key));
        return false;
    }
    return true;
}

/** Report why a value pattern is wrong for its key; false if it was wrong. */
static bool check_value(struct reporter *r, const char *s, enum pci_sel_key key, struct span value)
{
    char q[QUOTE_MAX + 4];
    size_t bad = 0;
    struct span alt;
    enum pci_value_problem problem =
        pci_sel_check_value(key, s + value.start, value.end - value.start, &bad);
    u32 column = col(value.start + bad);
    const char *name = pci_sel_key_name(key);

    switch (problem) {
    case PCI_VALUE_OK: return true;
    case PCI_VALUE_EMPTY_ALTERNATIVE:
        report(r, PCI_ERR_BAD_VALUE, column, "empty alternative in %s value '%s'", name,
               quote(q, s, value));
        break;
    case PCI_VALUE_UPPERCASE_HEX:
        report(r, PCI_ERR_BAD_VALUE, column,
               "%s value '%s' has an uppercase hex digit (values are lowercase)", name,
               quote(q, s, value));
        break;
    case PCI_VALUE_WRONG_WIDTH:
        alt.start = value.start + bad;
        alt.end = alt.start;
        while (alt.end < value.end && s[alt.end] != '|')
            alt.end++;
        report(r, PCI_ERR_BAD_VALUE, column, "'%s' can never match: %s values have %u characters",
               quote(q, s, alt), name, pci_sel_key_width(key));
        break;
    default:
        report(r, PCI_ERR_BAD_VALUE, column, "character '%c' cannot appear in a %s value",
               (s[value.start + bad] >= 0x20 && s[value.start + bad] < 0x7f) ? s[value.start + bad]
                                                                             : '.',
               name);
        break;
    }
    return false;
}

/**
 * A `device=` alternative without wildcards must name a usable driver; a
 * typo would otherwise silently select nothing.
 */
static bool check_device_names(struct reporter *r, const char *s, struct span value)
{
    char q[QUOTE_MAX + 4];
    struct span alt = { value.start, value.start };

    for (size_t i = value.start; i <= value.end; i++) {
        bool wild = false;

        if (i < value.end && s[i] != '|')
            continue;
        alt.end = i;
        for (size_t k = alt.start; k < alt.end; k++)
            if (s[k] == '*' || s[k] == '?')
                wild = true;
        if (!wild && find_driver(r->cfg, s + alt.start, alt.end - alt.start) < 0) {
            report(r, PCI_ERR_UNKNOWN_DEVICE, col(alt.start),
                   "device '%s' is not the name of any driver", quote(q, s, alt));
            return false;
        }
        alt.start = i + 1;
    }
    return true;
}

/** Characters a driver name may not have: they would not survive the grammar. */
static bool bad_name(const char *name)
{
    if (!name[0])
        return true;
    for (const char *p = name; *p; p++)
        if (*p == ',' || *p == '=' || *p == '|' || *p == '*' || *p == '?' || is_blank(*p) ||
            *p < 0x20 || *p >= 0x7f)
            return true;
    return KSTR(strcmp)(name, "none") == 0 || KSTR(strcmp)(name, "conceal") == 0 ||
        KSTR(strcmp)(name, "and") == 0;
}

/** Parse a driver's option name list into d; false after reporting. */
static bool parse_driver_options(struct reporter *r, struct pci_config_driver *d, const char *list)
{
    char q[QUOTE_MAX + 4];
    struct item_walk w = { list, 0, 0, false };
    struct span item;

    if (!list)
        return true;
    w.len = KSTR(strnlen)(list, PCI_CONFIG_MAX_LEN + 1);
    r->src = list;
    r->src_cut = w.len > PCI_CONFIG_MAX_LEN;
    if (r->src_cut)
        w.len = PCI_CONFIG_MAX_LEN;
    r->src_len = w.len;
    r->field = "driver_options";
    if (r->src_cut) {
        report(r, PCI_ERR_BAD_DECLARATION, col(w.len), "option list longer than %u",
               PCI_CONFIG_MAX_LEN);
        return false;
    }
    if (w.len == 0)
        return true;
    while (next_item(&w, &item)) {
        size_t n = item.end - item.start;

        if (n == 0) {
            report(r, PCI_ERR_BAD_DECLARATION, col(item.start), "empty option name");
            return false;
        }
        for (size_t i = item.start; i < item.end; i++) {
            if (list[i] == '=' || is_blank(list[i])) {
                report(r, PCI_ERR_BAD_DECLARATION, col(i), "option name '%s' has a blank or '='",
                       quote(q, list, item));
                return false;
            }
        }
        if (find_option(d, list + item.start, n) >= 0) {
            report(r, PCI_ERR_BAD_DECLARATION, col(item.start), "option '%s' declared twice",
                   quote(q, list, item));
            return false;
        }
        if (d->noptions == PCI_DRIVER_MAX_OPTIONS || n > 0xffff) {
            report(r, PCI_ERR_BAD_DECLARATION, col(item.start), "more than %u options",
                   PCI_DRIVER_MAX_OPTIONS);
            return false;
        }
        d->option_names[d->noptions] = list + item.start;
        d->option_lens[d->noptions] = (u16)n;
        d->noptions++;
    }
    return true;
}

/** Parse a driver's default selector into d->defaults; false after reporting. */
static bool parse_driver_selector(struct reporter *r, struct pci_config_driver *d, const char *sel)
{
    char q[QUOTE_MAX + 4];
    struct item_walk w = { sel, 0, 0, false };
    struct span item, key, value;
    enum pci_sel_key k;

    if (!sel)
        return true;
    w.len = KSTR(strnlen)(sel, PCI_CONFIG_MAX_LEN + 1);
    r->src = sel;
    r->src_cut = w.len > PCI_CONFIG_MAX_LEN;
    if (r->src_cut)
        w.len = PCI_CONFIG_MAX_LEN;
    r->src_len = w.len;
    r->field = "device";
    if (r->src_cut) {
        report(r, PCI_ERR_BAD_DECLARATION, col(w.len), "selector longer than %u",
               PCI_CONFIG_MAX_LEN);
        return false;
    }
    if (w.len == 0)
        return true;
    while (next_item(&w, &item)) {
        struct pci_sel_item *it;

        if (item.start == item.end) {
            report(r, PCI_ERR_BAD_DECLARATION, col(item.start), "empty item");
            return false;
        }
        if (!split_item(r, sel, item, &key, &value))
            return false;
        if (!pci_sel_key_lookup(sel + key.start, key.end - key.start, &k)) {
            report(r, PCI_ERR_BAD_DECLARATION, col(key.start), "unknown key '%s'",
                   quote(q, sel, key));
            return false;
        }
        /* `device` would make drivers' selectors refer to each other, and
         * `number` needs an entry to count for */
        if (k == PCI_KEY_DEVICE || k == PCI_KEY_NUMBER) {
            report(r, PCI_ERR_BAD_DECLARATION, col(key.start),
                   "key '%s' is not allowed in a default selector", pci_sel_key_name(k));
            return false;
        }
        if (!check_value(r, sel, k, value))
            return false;
        if (d->defaults.count == PCI_SEL_MAX_ITEMS) {
            report(r, PCI_ERR_BAD_DECLARATION, col(item.start), "more than %u items",
                   PCI_SEL_MAX_ITEMS);
            return false;
        }
        it = &d->defaults.items[d->defaults.count++];
        it->value = sel + value.start;
        it->value_len = (u16)(value.end - value.start);
        it->column = (u16)col(item.start);
        it->key = (u8)k;
    }
    return true;
}

/** Check every declaration and fill cfg->drivers with the usable ones. */
static void load_drivers(struct reporter *r, const struct pci_driver *const *drivers, u32 ndrivers)
{
    static const char unnamed[] = "(unnamed)";

    for (u32 i = 0; drivers && i < ndrivers; i++) {
        const struct pci_driver *drv = drivers[i];
        const char *name = drv && drv->name ? drv->name : unnamed;
        struct pci_config_driver *d = &r->cfg->drivers[r->cfg->ndrivers];

        r->driver = name;
        r->src = name;
        r->src_len = KSTR(strnlen)(name, QUOTE_MAX);
        r->src_cut = name[r->src_len] != '\0';
        r->field = "name";
        if (r->cfg->ndrivers == PCI_MAX_DRIVERS) {
            report(r, PCI_ERR_BAD_DECLARATION, 1, "more than %u drivers", PCI_MAX_DRIVERS);
            continue;
        }
        if (!drv || !drv->name || bad_name(drv->name)) {
            report(r, PCI_ERR_BAD_DECLARATION, 1,
                   "a name must be set, not none/conceal/and, without blanks or ,=|*?");
            continue;
        }
        if (find_driver(r->cfg, name, KSTR(strlen)(name)) >= 0) {
            report(r, PCI_ERR_BAD_DECLARATION, 1, "a driver with this name exists");
            continue;
        }
        KSTR(memset)(d, 0, sizeof(*d));
        d->driver = drv;
        if (!parse_driver_options(r, d, drv->driver_options) ||
            !parse_driver_selector(r, d, drv->device))
            continue;
        r->cfg->ndrivers++;
    }
    r->driver = NULL;
}

/** Handle `driver=NAME`. */
static void take_driver(struct reporter *r, struct entry_build *b, struct span item,
                        struct span value)
{
    char q[QUOTE_MAX + 4];
    const char *s = r->cfg->text;
    s32 idx;

    if (b->has_driver) {
        report(r, PCI_ERR_DUPLICATE_DRIVER, col(item.start),
               "second driver= in one entry (first at column %u)", b->driver_column);
        b->dropped = true;
        return;
    }
    b->has_driver = true;
    b->driver_column = col(item.start);
    if (span_is(s, value, "none")) {
        b->e.kind = PCI_BIND_NONE;
    } else if (span_is(s, value, "conceal")) {
        b->e.kind = PCI_BIND_CONCEAL;
    } else {
        idx = find_driver(r->cfg, s + value.start, value.end - value.start);
        if (idx < 0) {
            report(r, PCI_ERR_UNKNOWN_DRIVER, col(value.start), "unknown driver '%s'",
                   quote(q, s, value));
            b->dropped = true;
            return;
        }
        b->e.kind = PCI_BIND_DRIVER;
        b->e.driver = (u32)idx;
    }
}

/** Handle a selector item (before `driver=`). */
static void take_selector(struct reporter *r, struct entry_build *b, struct span item,
                          struct span key, struct span value)
{
    char q[QUOTE_MAX + 4];
    const char *s = r->cfg->text;
    enum pci_sel_key k;
    struct pci_sel_item *it;

    if (!pci_sel_key_lookup(s + key.start, key.end - key.start, &k)) {
        bool is_option = any_driver_option(r->cfg, s + key.start, key.end - key.start);

        report(r, PCI_ERR_UNKNOWN_KEY, col(key.start), "unknown key '%s'%s", quote(q, s, key),
               is_option ? " (options go after driver=)" : "");
        b->dropped = true;
        return;
    }
    if (!check_value(r, s, k, value) || (k == PCI_KEY_DEVICE && !check_device_names(r, s, value))) {
        b->dropped = true;
        return;
    }
    if (b->e.selector.count == PCI_SEL_MAX_ITEMS) {
        report(r, PCI_ERR_TOO_MANY_ITEMS, col(item.start), "more than %u selector items",
               PCI_SEL_MAX_ITEMS);
        b->dropped = true;
        return;
    }
    it = &b->e.selector.items[b->e.selector.count++];
    it->value = s + value.start;
    it->value_len = (u16)(value.end - value.start);
    it->column = (u16)col(item.start);
    it->key = (u8)k;
}

/** Handle an option item (after `driver=`). */
static void take_option(struct reporter *r, struct entry_build *b, struct span item,
                        struct span key, struct span value)
{
    char q[QUOTE_MAX + 4];
    char *s = r->cfg->text;
    const struct pci_config_driver *d = &r->cfg->drivers[b->e.driver];
    enum pci_sel_key k;
    s32 idx;

    if (b->e.kind != PCI_BIND_DRIVER) {
        report(r, PCI_ERR_NO_OPTIONS, col(item.start), "driver=%s takes no options",
               b->e.kind == PCI_BIND_NONE ? "none" : "conceal");
        b->dropped = true;
        return;
    }
    idx = find_option(d, s + key.start, key.end - key.start);
    if (idx < 0) {
        bool is_key = pci_sel_key_lookup(s + key.start, key.end - key.start, &k);

        report(r, PCI_ERR_UNKNOWN_OPTION, col(key.start), "driver '%.32s' has no option '%s'%s",
               d->driver->name, quote(q, s, key),
               is_key ? " (selector items go before driver=)" : "");
        b->dropped = true;
        return;
    }
    if (b->e.options[idx]) {
        report(r, PCI_ERR_DUPLICATE_OPTION, col(key.start), "option '%s' given twice",
               quote(q, s, key));
        b->dropped = true;
        return;
    }
    /* the value ends at or before the item's comma, already passed over */
    s[value.end] = '\0';
    b->e.options[idx] = s + value.start;
    if (d->driver->check_option) {
        const char *why = d->driver->check_option((u32)idx, s + value.start);

        if (why) {
            char qv[QUOTE_MAX + 4];

            report(r, PCI_ERR_BAD_OPTION_VALUE, col(value.start),
                   "driver '%.32s' refuses %s=%s: %.64s", d->driver->name, quote(q, s, key),
                   quote(qv, s, value), why);
            b->dropped = true;
        }
    }
}

/** One non-empty item that is not `and`. */
static void take_item(struct reporter *r, struct entry_build *b, struct span item)
{
    struct span key, value;

    if (!split_item(r, r->cfg->text, item, &key, &value)) {
        b->dropped = true;
        return;
    }
    if (span_is(r->cfg->text, key, "driver"))
        take_driver(r, b, item, value);
    else if (!b->has_driver)
        take_selector(r, b, item, key, value);
    else
        take_option(r, b, item, key, value);
}

/** End of an entry: check it is complete and keep it. */
static void finish_entry(struct reporter *r, struct entry_build *b, u32 entry_column)
{
    if (b->dropped)
        return;
    if (!b->has_driver) {
        report(r, PCI_ERR_MISSING_DRIVER, entry_column, "entry has no driver=NAME");
        return;
    }
    if (b->e.kind != PCI_BIND_DRIVER && !pci_selector_has_plain_items(&b->e.selector)) {
        report(r, PCI_ERR_NEEDS_SELECTOR, b->driver_column,
               "driver=%s needs selector items before it (it has no default selector)",
               b->e.kind == PCI_BIND_NONE ? "none" : "conceal");
        return;
    }
    if (r->cfg->nentries == PCI_CONFIG_MAX_ENTRIES) {
        report(r, PCI_ERR_TOO_MANY_ENTRIES, entry_column, "more than %u entries",
               PCI_CONFIG_MAX_ENTRIES);
        return;
    }
    b->e.column = entry_column;
    r->cfg->entries[r->cfg->nentries++] = b->e;
}

/** Walk the copied configuration string. */
static void parse_text(struct reporter *r, size_t len, bool cut)
{
    struct item_walk w = { r->cfg->text, len, 0, false };
    struct entry_build b;
    struct span item;
    u32 entry_column = 1, last_and_column = 0;

    KSTR(memset)(&b, 0, sizeof(b));
    r->entry = 0;
    while (next_item(&w, &item)) {
        if (!b.any_item)
            entry_column = col(item.start);
        if (span_is(r->cfg->text, item, "and")) {
            if (!b.any_item) {
                report(r, PCI_ERR_EMPTY_ENTRY, col(item.start),
                       r->entry == 0 ? "'and' at the start" : "'and' follows another 'and'");
            } else {
                finish_entry(r, &b, entry_column);
            }
            last_and_column = col(item.start);
            KSTR(memset)(&b, 0, sizeof(b));
            r->entry++;
            continue;
        }
        b.any_item = true;
        if (b.dropped)
            continue;
        if (item.start == item.end) {
            report(r, PCI_ERR_EMPTY_ITEM, col(item.start),
                   "empty item (two commas, or a comma at an end)");
            b.dropped = true;
            continue;
        }
        take_item(r, &b, item);
    }
    if (cut) {
        /* the last entry runs past the limit: it cannot be trusted */
        report(r, PCI_ERR_TOO_LONG, col(len),
               "string longer than %u characters; "
               "the rest is ignored",
               PCI_CONFIG_MAX_LEN);
    } else if (!b.any_item) {
        if (r->entry > 0)
            report(r, PCI_ERR_EMPTY_ENTRY, last_and_column, "'and' at the end");
    } else {
        finish_entry(r, &b, entry_column);
    }
}

u32 pci_config_parse(struct pci_config *cfg, const char *text,
                     const struct pci_driver *const *drivers, u32 ndrivers,
                     pci_config_error_fn on_error, void *ctx)
{
    struct reporter r;
    size_t len = 0;
    bool blank = true;

    KSTR(memset)(cfg, 0, sizeof(*cfg));
    KSTR(memset)(&r, 0, sizeof(r));
    r.cfg = cfg;
    r.on_error = on_error;
    r.ctx = ctx;
    r.entry = -1;
    load_drivers(&r, drivers, ndrivers);

    if (text)
        len = KSTR(strnlen)(text, PCI_CONFIG_MAX_LEN + 1);
    for (size_t i = 0; i < len; i++)
        if (!is_blank(text[i]))
            blank = false;
    if (blank) {
        cfg->use_defaults = true;
        return cfg->nerrors;
    }
    r.src = text;
    r.src_cut = len > PCI_CONFIG_MAX_LEN;
    if (r.src_cut)
        len = PCI_CONFIG_MAX_LEN;
    r.src_len = len;
    KSTR(memcpy)(cfg->text, text, len);
    cfg->text[len] = '\0';
    parse_text(&r, len, r.src_cut);
    return cfg->nerrors;
}
