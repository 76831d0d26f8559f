/**
 * @file tests/guest/select.c
 * @brief Parsing `tests=a,b,c`.
 */
#include "select.h"
#include "gstring.h"

static const char tests_key[] = "tests=";

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void add_name(struct test_selection *sel, const char *start, u32 len)
{
    if (len == 0)
        return;
    if (len == 3 && memcmp(start, "all", 3) == 0) {
        sel->all = true;
        return;
    }
    if (sel->count >= SELECT_MAX_NAMES) {
        sel->dropped++;
        return;
    }
    if (len >= SELECT_NAME_SIZE)
        len = SELECT_NAME_SIZE - 1;
    memcpy(sel->names[sel->count], start, len);
    sel->names[sel->count][len] = '\0';
    sel->count++;
}

void selection_parse(const char *cmdline, struct test_selection *sel)
{
    const char *value = NULL;
    const u32 key_len = sizeof(tests_key) - 1;

    memset(sel, 0, sizeof(*sel));
    /* Find the last word starting with "tests=" (later words override). */
    for (const char *p = cmdline; *p;) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        if (memcmp(p, tests_key, key_len) == 0)
            value = p + key_len;
        while (*p && !is_space(*p))
            p++;
    }
    if (!value) {
        sel->all = true;
        return;
    }
    const char *start = value;
    for (const char *p = value;; p++) {
        if (*p == ',' || *p == '\0' || is_space(*p)) {
            add_name(sel, start, (u32)(p - start));
            start = p + 1;
            if (*p != ',')
                break;
        }
    }
}

/* The group of "cpuid-signature" is "cpuid". */
static bool matches(const char *wanted, const char *check_name)
{
    u32 n = (u32)strlen(wanted);
    if (memcmp(wanted, check_name, n) != 0)
        return false;
    return check_name[n] == '\0' || check_name[n] == '-';
}

bool selection_wants(struct test_selection *sel, const char *check_name, enum check_reach reach)
{
    bool wanted = sel->all && reach == CHECK_IN_ALL;
    for (u32 i = 0; i < sel->count; i++) {
        bool hit = reach == CHECK_BY_NAME ? strlen(sel->names[i]) == strlen(check_name) &&
                                                memcmp(sel->names[i], check_name,
                                                       strlen(check_name)) == 0
                                          : matches(sel->names[i], check_name);
        if (hit) {
            sel->used[i] = true;
            wanted = true;
        }
    }
    return wanted;
}

/* The value of the last word "key..." of the command line, up to the next blank. */
const char *cmdline_value(const char *cmdline, const char *key, u32 *len)
{
    const char *found = NULL;
    u32 klen = (u32)strlen(key);
    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if ((u32)(p - w) >= klen && memcmp(w, key, klen) == 0) {
            found = w + klen;
            *len = (u32)(p - found);
        }
    }
    return found;
}
