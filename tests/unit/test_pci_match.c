/*
 * Unit tests for pci/pci_match.c: wildcards, keys, formats, value checks,
 * selector evaluation.
 *
 * unit-sources: pci/pci_match.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_match.h"

static bool wm(const char *pattern, const char *text)
{
    return pci_wildcard_match(pattern, strlen(pattern), text, strlen(text));
}

/* A network card at 03:00.0 with every field set to something distinct. */
static const struct pci_device_desc nic = {
    .bus = 0x03,
    .device = 0x00,
    .function = 0,
    .revision = 0x06,
    .vendor_id = 0x8086,
    .device_id = 0x105e,
    .class_code = 0x020000,
    .header_type = 0x80,
    .subsys_vendor = 0x103c,
    .subsys_id = 0x7044,
};

START_TEST(test_wildcard_literal)
{
    ck_assert(wm("0200", "0200"));
    ck_assert(!wm("0200", "0201"));
    ck_assert(!wm("0200", "020"));
    ck_assert(!wm("020", "0200"));
    ck_assert(wm("", ""));
    ck_assert(!wm("", "a"));
    /* case-sensitive */
    ck_assert(!wm("10f5", "10F5"));
}
END_TEST

START_TEST(test_wildcard_question)
{
    ck_assert(wm("02?0", "0200"));
    ck_assert(wm("02?0", "02a0"));
    ck_assert(!wm("02?0", "020"));
    ck_assert(!wm("02?", "0200"));
    ck_assert(wm("????", "abcd"));
    ck_assert(!wm("?", ""));
}
END_TEST

START_TEST(test_wildcard_question_at_ends)
{
    /* first position */
    ck_assert(wm("?200", "0200"));
    ck_assert(wm("?200", "c200"));
    ck_assert(!wm("?200", "200"));
    ck_assert(!wm("?200", "00200"));
    ck_assert(!wm("?200", "0201"));
    /* last position */
    ck_assert(wm("020?", "0200"));
    ck_assert(wm("020?", "020f"));
    ck_assert(!wm("020?", "020"));
    ck_assert(!wm("020?", "02000"));
    ck_assert(!wm("020?", "0300"));
    /* both, and at the ends of alternatives */
    ck_assert(wm("?:?", "a:b"));
    ck_assert(!wm("?:?", ":b"));
    ck_assert(!wm("?:?", "a:"));
    ck_assert(wm("0c03|?200", "0200"));
    ck_assert(wm("020?|0c03", "0201"));
    ck_assert(!wm("020?|?c03", "0c0"));
    ck_assert(wm("?", "x"));
    ck_assert(!wm("?", "xy"));
}
END_TEST

START_TEST(test_wildcard_star)
{
    ck_assert(wm("02*", "0200"));
    ck_assert(wm("02*", "02"));
    ck_assert(wm("*", ""));
    ck_assert(wm("*", "anything"));
    ck_assert(wm("*00", "0200"));
    ck_assert(!wm("*01", "0200"));
    ck_assert(wm("8086:*", "8086:10f5"));
    ck_assert(!wm("8086:*", "10ec:8168"));
    ck_assert(wm("*:10*", "8086:10f5"));
    ck_assert(wm("a*b*c", "axxbyyc"));
    ck_assert(!wm("a*b*c", "axxbyy"));
    ck_assert(wm("a*b", "abab")); /* the star must take "ba" */
    /* A partial match after a star that fails is retried from one character
     * after where it began, not from where it failed. */
    ck_assert(wm("*ab", "aab"));
    ck_assert(wm("*aab", "aaab"));
    ck_assert(wm("8086:*10f5", "8086:1010f5"));
    ck_assert(wm("**a**", "bab"));
    ck_assert(wm("*?", "x"));
    ck_assert(!wm("*?", ""));
    ck_assert(wm("?*?", "xy"));
}
END_TEST

START_TEST(test_wildcard_alternatives)
{
    ck_assert(wm("8086:105e|8086:1081", "8086:1081"));
    ck_assert(wm("8086:105e|8086:1081", "8086:105e"));
    ck_assert(!wm("8086:105e|8086:1081", "8086:1082"));
    ck_assert(wm("0c03*|02*", "0200"));
    ck_assert(wm("x|y|z", "z"));
    /* an empty alternative matches only the empty text */
    ck_assert(wm("a|", ""));
    ck_assert(!wm("a|", "b"));
}
END_TEST

START_TEST(test_wildcard_empty_alternatives)
{
    /* leading, inner, trailing and lone: each empty piece matches only "" */
    ck_assert(wm("|a", ""));
    ck_assert(wm("|a", "a"));
    ck_assert(!wm("|a", "b"));
    ck_assert(wm("a||b", ""));
    ck_assert(wm("a||b", "a"));
    ck_assert(wm("a||b", "b"));
    ck_assert(!wm("a||b", "ab"));
    ck_assert(!wm("a||b", "|"));
    ck_assert(wm("|", ""));
    ck_assert(!wm("|", "x"));
    ck_assert(!wm("|", "|"));
    ck_assert(wm("||", ""));
    ck_assert(!wm("||", "a"));
    /* the empty pieces never make the others match more */
    ck_assert(!wm("|0200|", "0201"));
    ck_assert(wm("|0200|", "0200"));
    /* a '|' only splits: it is no character of the text */
    ck_assert(!wm("a|b", "a|b"));

    /* the config checker refuses every one of them, pointing at the empty piece */
    size_t bad = 99;

    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_CLASS, "|0200", 5, &bad),
                     PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 0);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_CLASS, "0200||0c03", 10, &bad),
                     PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 5);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_ID, "|", 1, &bad), PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 0);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_NUMBER, "1||2", 4, &bad),
                     PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(pci_sel_check_value(PCI_KEY_DEVICE, "ata|", 4, &bad),
                     PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 4);
}
END_TEST

START_TEST(test_wildcard_hostile_pattern_is_fast)
{
    /* Exponential backtracking would never finish this; the scan takes
     * at most plen * tlen steps. */
    static char text[4001];
    static char pattern[2001];

    memset(text, 'a', sizeof(text) - 1);
    for (size_t i = 0; i + 2 < sizeof(pattern); i += 2) {
        pattern[i] = '*';
        pattern[i + 1] = 'a';
    }
    pattern[sizeof(pattern) - 2] = 'b';
    ck_assert(!pci_wildcard_match(pattern, strlen(pattern), text, strlen(text)));
    pattern[sizeof(pattern) - 2] = '*';
    ck_assert(pci_wildcard_match(pattern, strlen(pattern), text, strlen(text)));
}
END_TEST

START_TEST(test_wildcard_lengths_not_terminators)
{
    /* only plen / tlen bytes are looked at */
    ck_assert(pci_wildcard_match("02XX", 2, "02YY", 2));
    ck_assert(!pci_wildcard_match("02*", 3, "0", 1));
}
END_TEST

START_TEST(test_key_lookup_and_aliases)
{
    static const struct {
        const char *name;
        enum pci_sel_key key;
    } keys[] = {
        { "slot", PCI_KEY_SLOT },
        { "class", PCI_KEY_CLASS },
        { "id", PCI_KEY_ID },
        { "subsystem", PCI_KEY_SUBSYSTEM },
        { "revision", PCI_KEY_REVISION },
        { "rev", PCI_KEY_REVISION },
        { "programming_interface", PCI_KEY_PROG_IF },
        { "if", PCI_KEY_PROG_IF },
        { "class_code", PCI_KEY_CLASS_CODE },
        { "header_type", PCI_KEY_HEADER_TYPE },
        { "device", PCI_KEY_DEVICE },
        { "number", PCI_KEY_NUMBER },
    };
    enum pci_sel_key k;

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        ck_assert_msg(pci_sel_key_lookup(keys[i].name, strlen(keys[i].name), &k), "%s",
                      keys[i].name);
        ck_assert_int_eq(k, keys[i].key);
    }
    ck_assert(!pci_sel_key_lookup("Class", 5, &k));
    ck_assert(!pci_sel_key_lookup("clas", 4, &k));
    ck_assert(!pci_sel_key_lookup("driver", 6, &k));
    ck_assert(!pci_sel_key_lookup("", 0, &k));
    ck_assert(pci_sel_key_lookup("classXX", 5, &k)); /* length counts, not NUL */
    ck_assert_int_eq(k, PCI_KEY_CLASS);
    ck_assert_str_eq(pci_sel_key_name(PCI_KEY_REVISION), "revision");
    ck_assert_str_eq(pci_sel_key_name(PCI_KEY_PROG_IF), "programming_interface");
    ck_assert_str_eq(pci_sel_key_name(PCI_KEY_COUNT), "?");
}
END_TEST

START_TEST(test_format_every_key)
{
    char buf[PCI_SEL_VALUE_MAX];
    struct pci_device_desc d = nic;

    ck_assert_uint_eq(pci_sel_format(PCI_KEY_SLOT, &d, buf), 7);
    ck_assert_str_eq(buf, "03:00.0");
    ck_assert_uint_eq(pci_sel_format(PCI_KEY_CLASS, &d, buf), 4);
    ck_assert_str_eq(buf, "0200");
    ck_assert_uint_eq(pci_sel_format(PCI_KEY_ID, &d, buf), 9);
    ck_assert_str_eq(buf, "8086:105e");
    pci_sel_format(PCI_KEY_SUBSYSTEM, &d, buf);
    ck_assert_str_eq(buf, "103c:7044");
    pci_sel_format(PCI_KEY_REVISION, &d, buf);
    ck_assert_str_eq(buf, "06");
    pci_sel_format(PCI_KEY_CLASS_CODE, &d, buf);
    ck_assert_str_eq(buf, "020000");
    pci_sel_format(PCI_KEY_HEADER_TYPE, &d, buf);
    ck_assert_str_eq(buf, "80");

    d.bus = 0xab;
    d.device = 0x1f;
    d.function = 7;
    d.class_code = 0x0c0320;
    pci_sel_format(PCI_KEY_SLOT, &d, buf);
    ck_assert_str_eq(buf, "ab:1f.7");
    pci_sel_format(PCI_KEY_PROG_IF, &d, buf);
    ck_assert_str_eq(buf, "20");
    ck_assert_uint_eq(pci_device_prog_if(&d), 0x20);
    pci_sel_format(PCI_KEY_CLASS, &d, buf);
    ck_assert_str_eq(buf, "0c03");
    ck_assert_uint_eq(pci_sel_format(PCI_KEY_DEVICE, &d, buf), 0);
    ck_assert_uint_eq(pci_sel_format(PCI_KEY_NUMBER, &d, buf), 0);
}
END_TEST

START_TEST(test_key_widths)
{
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_SLOT), 7);
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_CLASS), 4);
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_ID), 9);
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_CLASS_CODE), 6);
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_HEADER_TYPE), 2);
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_DEVICE), 0);
    ck_assert_uint_eq(pci_sel_key_width(PCI_KEY_NUMBER), 0);
}
END_TEST

static enum pci_value_problem check(enum pci_sel_key key, const char *v, size_t *bad)
{
    return pci_sel_check_value(key, v, strlen(v), bad);
}

START_TEST(test_check_value)
{
    size_t bad = 99;

    ck_assert_int_eq(check(PCI_KEY_CLASS, "0200", &bad), PCI_VALUE_OK);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "02*", &bad), PCI_VALUE_OK);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "02??|0c03", &bad), PCI_VALUE_OK);
    ck_assert_int_eq(check(PCI_KEY_SLOT, "00:1f.2", &bad), PCI_VALUE_OK);
    ck_assert_int_eq(check(PCI_KEY_ID, "8086:*", &bad), PCI_VALUE_OK);
    ck_assert_int_eq(check(PCI_KEY_NUMBER, "12|3*", &bad), PCI_VALUE_OK);
    ck_assert_int_eq(check(PCI_KEY_DEVICE, "Any Thing", &bad), PCI_VALUE_OK);

    ck_assert_int_eq(check(PCI_KEY_CLASS, "", &bad), PCI_VALUE_EMPTY);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "0200|", &bad), PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 5);
    ck_assert_int_eq(check(PCI_KEY_DEVICE, "|x", &bad), PCI_VALUE_EMPTY_ALTERNATIVE);
    ck_assert_uint_eq(bad, 0);
    ck_assert_int_eq(check(PCI_KEY_ID, "8086:10F5", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 7);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "02g0", &bad), PCI_VALUE_BAD_CHAR);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "02:0", &bad), PCI_VALUE_BAD_CHAR);
    ck_assert_int_eq(check(PCI_KEY_NUMBER, "a", &bad), PCI_VALUE_BAD_CHAR);
    ck_assert_int_eq(check(PCI_KEY_NUMBER, "-1", &bad), PCI_VALUE_BAD_CHAR);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "0200|020", &bad), PCI_VALUE_WRONG_WIDTH);
    ck_assert_uint_eq(bad, 5);
    ck_assert_int_eq(check(PCI_KEY_SLOT, "0:1f.2", &bad), PCI_VALUE_WRONG_WIDTH);
    ck_assert_int_eq(check(PCI_KEY_REVISION, "1", NULL), PCI_VALUE_WRONG_WIDTH);
}
END_TEST

static void add_item(struct pci_selector *sel, enum pci_sel_key key, const char *value)
{
    struct pci_sel_item *it = &sel->items[sel->count++];

    it->key = (u8)key;
    it->value = value;
    it->value_len = (u16)strlen(value);
    it->column = 1;
}

START_TEST(test_selector_all_items_must_match)
{
    struct pci_selector sel = { 0 };

    ck_assert(pci_selector_match_plain(&sel, &nic, NULL)); /* empty: everything */
    add_item(&sel, PCI_KEY_CLASS_CODE, "020000");
    ck_assert(pci_selector_match_plain(&sel, &nic, NULL));
    add_item(&sel, PCI_KEY_ID, "8086:105e|8086:1081");
    ck_assert(pci_selector_match_plain(&sel, &nic, NULL));
    add_item(&sel, PCI_KEY_SUBSYSTEM, "103c:*");
    add_item(&sel, PCI_KEY_REVISION, "0?");
    add_item(&sel, PCI_KEY_PROG_IF, "00");
    add_item(&sel, PCI_KEY_HEADER_TYPE, "80");
    add_item(&sel, PCI_KEY_SLOT, "03:*");
    add_item(&sel, PCI_KEY_CLASS, "02*");
    ck_assert(pci_selector_match_plain(&sel, &nic, NULL));
    add_item(&sel, PCI_KEY_SLOT, "00:19.0");
    ck_assert(!pci_selector_match_plain(&sel, &nic, NULL));
}
END_TEST

START_TEST(test_selector_each_key_can_fail)
{
    static const struct {
        enum pci_sel_key key;
        const char *yes, *no;
    } cases[] = {
        { PCI_KEY_SLOT, "03:00.0", "03:00.1" },     { PCI_KEY_CLASS, "0200", "0280" },
        { PCI_KEY_ID, "8086:105e", "8086:105f" },   { PCI_KEY_SUBSYSTEM, "103c:7044", "103c:7045" },
        { PCI_KEY_REVISION, "06", "07" },           { PCI_KEY_PROG_IF, "00", "01" },
        { PCI_KEY_CLASS_CODE, "020000", "020001" }, { PCI_KEY_HEADER_TYPE, "80", "00" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pci_selector yes = { 0 }, no = { 0 };

        add_item(&yes, cases[i].key, cases[i].yes);
        add_item(&no, cases[i].key, cases[i].no);
        ck_assert_msg(pci_selector_match_plain(&yes, &nic, NULL), "%s", cases[i].yes);
        ck_assert_msg(!pci_selector_match_plain(&no, &nic, NULL), "%s", cases[i].no);
    }
}
END_TEST

START_TEST(test_selector_device_names)
{
    struct pci_selector sel = { 0 };
    struct pci_device_names names = { 2, { "pro1000", "anynic" } };
    struct pci_device_names none = { 0, { NULL } };

    add_item(&sel, PCI_KEY_DEVICE, "anynic");
    ck_assert(pci_selector_match_plain(&sel, &nic, &names));
    ck_assert(!pci_selector_match_plain(&sel, &nic, &none));
    ck_assert(!pci_selector_match_plain(&sel, &nic, NULL));
    sel.count = 0;
    add_item(&sel, PCI_KEY_DEVICE, "pro*");
    ck_assert(pci_selector_match_plain(&sel, &nic, &names));
    sel.count = 0;
    add_item(&sel, PCI_KEY_DEVICE, "ehci|ata");
    ck_assert(!pci_selector_match_plain(&sel, &nic, &names));
}
END_TEST

START_TEST(test_selector_number)
{
    struct pci_selector sel = { 0 };

    ck_assert(pci_selector_match_number(&sel, 5)); /* no number item */
    ck_assert(!pci_selector_has_plain_items(&sel));
    add_item(&sel, PCI_KEY_NUMBER, "0");
    ck_assert(!pci_selector_has_plain_items(&sel));
    ck_assert(pci_selector_match_plain(&sel, &nic, NULL)); /* number is ignored there */
    ck_assert(pci_selector_match_number(&sel, 0));
    ck_assert(!pci_selector_match_number(&sel, 1));
    ck_assert(!pci_selector_match_number(&sel, 10));
    sel.count = 0;
    add_item(&sel, PCI_KEY_NUMBER, "1*|3");
    ck_assert(pci_selector_match_number(&sel, 1));
    ck_assert(pci_selector_match_number(&sel, 12));
    ck_assert(pci_selector_match_number(&sel, 3));
    ck_assert(!pci_selector_match_number(&sel, 2));
    ck_assert(pci_selector_match_number(&sel, 4294967295u) == false);
    add_item(&sel, PCI_KEY_CLASS, "0200");
    ck_assert(pci_selector_has_plain_items(&sel));
}
END_TEST

START_TEST(test_hex_case_sensitive)
{
    char buf[PCI_SEL_VALUE_MAX];
    struct pci_device_desc d = nic;
    struct pci_selector sel = { 0 };
    size_t bad = 99;

    /* the matcher folds no case, in literals or next to wildcards */
    ck_assert(!wm("10F5", "10f5"));
    ck_assert(!wm("10f5", "10F5"));
    ck_assert(!wm("*F5", "10f5"));
    ck_assert(!wm("8086:10F?", "8086:10f5"));
    ck_assert(!wm("0C03|0200", "0c03"));
    ck_assert(wm("0C03|0c03", "0c03"));

    /* values are printed in lowercase, for every hex key */
    d.vendor_id = 0xabcd;
    d.device_id = 0xef01;
    d.subsys_vendor = 0xfeed;
    d.subsys_id = 0xbeef;
    d.revision = 0xab;
    d.class_code = 0x0c03ef;
    d.header_type = 0xfe;
    d.bus = 0xcd;
    d.device = 0x1e;
    pci_sel_format(PCI_KEY_ID, &d, buf);
    ck_assert_str_eq(buf, "abcd:ef01");
    pci_sel_format(PCI_KEY_SUBSYSTEM, &d, buf);
    ck_assert_str_eq(buf, "feed:beef");
    pci_sel_format(PCI_KEY_REVISION, &d, buf);
    ck_assert_str_eq(buf, "ab");
    pci_sel_format(PCI_KEY_PROG_IF, &d, buf);
    ck_assert_str_eq(buf, "ef");
    pci_sel_format(PCI_KEY_CLASS_CODE, &d, buf);
    ck_assert_str_eq(buf, "0c03ef");
    pci_sel_format(PCI_KEY_HEADER_TYPE, &d, buf);
    ck_assert_str_eq(buf, "fe");
    pci_sel_format(PCI_KEY_SLOT, &d, buf);
    ck_assert_str_eq(buf, "cd:1e.0");

    /* so an uppercase item (one the checker would refuse) never matches */
    add_item(&sel, PCI_KEY_SUBSYSTEM, "FEED:BEEF");
    ck_assert(!pci_selector_match_plain(&sel, &d, NULL));
    sel.count = 0;
    add_item(&sel, PCI_KEY_SUBSYSTEM, "feed:beef");
    ck_assert(pci_selector_match_plain(&sel, &d, NULL));

    /* the checker names uppercase A-F for what it is, at its offset */
    ck_assert_int_eq(check(PCI_KEY_SLOT, "00:1F.2", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 4);
    ck_assert_int_eq(check(PCI_KEY_CLASS, "0C03", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(check(PCI_KEY_SUBSYSTEM, "17aa:*|17AA:*", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 9);
    ck_assert_int_eq(check(PCI_KEY_REVISION, "?E", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 1);
    ck_assert_int_eq(check(PCI_KEY_PROG_IF, "8F", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_int_eq(check(PCI_KEY_CLASS_CODE, "0c03*B", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 5);
    ck_assert_int_eq(check(PCI_KEY_HEADER_TYPE, "D?", &bad), PCI_VALUE_UPPERCASE_HEX);
    ck_assert_uint_eq(bad, 0);
    /* uppercase past F is just a bad character; numbers have no hex at all */
    ck_assert_int_eq(check(PCI_KEY_CLASS, "0G03", &bad), PCI_VALUE_BAD_CHAR);
    ck_assert_int_eq(check(PCI_KEY_NUMBER, "A", &bad), PCI_VALUE_BAD_CHAR);
    /* device names are free text: case is the user's business */
    ck_assert_int_eq(check(PCI_KEY_DEVICE, "ATA", &bad), PCI_VALUE_OK);
    /* lowercase passes */
    ck_assert_int_eq(check(PCI_KEY_SUBSYSTEM, "feed:beef", &bad), PCI_VALUE_OK);
}
END_TEST

static Suite *pci_match_suite(void)
{
    Suite *s = suite_create("pci_match");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_wildcard_literal);
    tcase_add_test(tc, test_wildcard_question);
    tcase_add_test(tc, test_wildcard_question_at_ends);
    tcase_add_test(tc, test_wildcard_star);
    tcase_add_test(tc, test_wildcard_alternatives);
    tcase_add_test(tc, test_wildcard_empty_alternatives);
    tcase_add_test(tc, test_wildcard_hostile_pattern_is_fast);
    tcase_add_test(tc, test_wildcard_lengths_not_terminators);
    tcase_add_test(tc, test_key_lookup_and_aliases);
    tcase_add_test(tc, test_format_every_key);
    tcase_add_test(tc, test_key_widths);
    tcase_add_test(tc, test_check_value);
    tcase_add_test(tc, test_hex_case_sensitive);
    tcase_add_test(tc, test_selector_all_items_must_match);
    tcase_add_test(tc, test_selector_each_key_can_fail);
    tcase_add_test(tc, test_selector_device_names);
    tcase_add_test(tc, test_selector_number);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pci_match_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
