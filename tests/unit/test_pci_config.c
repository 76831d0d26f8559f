/*
 * Unit tests for pci/pci_config.c: the configuration string, binding,
 * errors with positions, driver declarations and the device-list line.
 *
 * unit-sources: pci/pci_config.c pci/pci_bind.c pci/pci_match.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_config.h"
#include "tests/unit/pci_config_machine.h"

/* ---- default binding ---------------------------------------------------- */

static void expect_defaults(void)
{
    ck_assert(cfg.use_defaults);
    expect_bound(DEV_HOST, "-");
    expect_bound(DEV_NIC0, "pro1000");
    expect_bound(DEV_EHCI0, "ehci");
    expect_bound(DEV_EHCI1, "ehci");
    expect_bound(DEV_AHCI, "-");
    expect_bound(DEV_IDE, "ata");
    expect_bound(DEV_VGA, "vga");
    expect_bound(DEV_NIC1, "pro1000");
    expect_bound(DEV_RTL, "-");
    ck_assert_uint_eq(bind[DEV_NIC0].noptions, 2);
    expect_option(DEV_NIC0, 0, NULL);
    expect_option(DEV_NIC0, 1, NULL);
    ck_assert_int_eq(bind[DEV_NIC0].entry, -1);
}

START_TEST(test_no_string_binds_defaults)
{
    ck_assert_uint_eq(run(NULL), 0);
    expect_defaults();
    ck_assert_uint_eq(run(""), 0);
    expect_defaults();
    ck_assert_uint_eq(run(" \t "), 0);
    expect_defaults();
}
END_TEST

START_TEST(test_defaults_first_driver_in_table_order)
{
    static const struct pci_driver *const order[] = { &drv_anynic, &drv_pro1000 };

    ck_assert_uint_eq(run_with(NULL, order, 2), 0);
    expect_bound(DEV_NIC0, "anynic");
    expect_bound(DEV_RTL, "anynic");
    ck_assert_uint_eq(bind[DEV_NIC0].noptions, 1);
}
END_TEST

/* ---- the talk's examples ------------------------------------------------- */

START_TEST(test_example_driver_list_with_conceal)
{
    ck_assert_uint_eq(run("driver=ata, and, driver=ehci, and, driver=pro1000, net=vpn, "
                          "and, class=02*, driver=conceal"),
                      0);
    ck_assert(!cfg.use_defaults);
    ck_assert_uint_eq(cfg.nentries, 4);
    expect_bound(DEV_IDE, "ata");
    expect_bound(DEV_AHCI, "-");
    expect_bound(DEV_EHCI0, "ehci");
    expect_bound(DEV_EHCI1, "ehci");
    expect_bound(DEV_NIC0, "pro1000");
    expect_bound(DEV_NIC1, "pro1000");
    expect_option(DEV_NIC0, 0, NULL);
    expect_option(DEV_NIC0, 1, "vpn");
    expect_option(DEV_NIC1, 1, "vpn");
    expect_bound(DEV_RTL, "conceal");
    ck_assert_int_eq(bind[DEV_RTL].entry, 3);
    /* a string lists what runs: vga is not listed, so it stays unbound */
    expect_bound(DEV_VGA, "-");
    expect_bound(DEV_HOST, "-");
}
END_TEST

START_TEST(test_example_first_nic_only)
{
    ck_assert_uint_eq(run("device=pro1000, number=0, driver=pro1000, net=vpn"), 0);
    expect_bound(DEV_NIC0, "pro1000");
    expect_option(DEV_NIC0, 1, "vpn");
    expect_bound(DEV_NIC1, "-");
    expect_bound(DEV_RTL, "-");

    ck_assert_uint_eq(run("device=pro1000, number=1, driver=pro1000, net=vpn"), 0);
    expect_bound(DEV_NIC0, "-");
    expect_bound(DEV_NIC1, "pro1000");
}
END_TEST

START_TEST(test_example_force_ata_by_slot)
{
    ck_assert_uint_eq(run("slot=00:1f.2, driver=ata"), 0);
    expect_bound(DEV_AHCI, "ata");
    expect_bound(DEV_IDE, "-");
    ck_assert_uint_eq(bind[DEV_AHCI].noptions, 0);
}
END_TEST

START_TEST(test_example_nic_for_log)
{
    ck_assert_uint_eq(run("slot=03:00.0, device=pro1000, driver=pro1000, tty=1"), 0);
    expect_bound(DEV_NIC1, "pro1000");
    expect_option(DEV_NIC1, 0, "1");
    expect_option(DEV_NIC1, 1, NULL);
    expect_bound(DEV_NIC0, "-");
}
END_TEST

START_TEST(test_example_nic_for_log_and_guest)
{
    ck_assert_uint_eq(run("slot=03:00.0, device=pro1000, driver=pro1000, net=pass, tty=1"), 0);
    expect_bound(DEV_NIC1, "pro1000");
    /* declared order "tty,net", whatever order the string used */
    ck_assert_uint_eq(bind[DEV_NIC1].noptions, 2);
    expect_option(DEV_NIC1, 0, "1");
    expect_option(DEV_NIC1, 1, "pass");
}
END_TEST

/* ---- keys ----------------------------------------------------------------- */

START_TEST(test_every_key_in_a_config)
{
    static const struct {
        const char *text;
        u32 dev; /* the one device the selector takes */
        u32 matches; /* how many devices it takes in all */
    } cases[] = {
        { "slot=00:1a.7, driver=ehci", DEV_EHCI0, 1 },
        { "class=0c03, driver=ehci", DEV_EHCI0, 2 },
        { "id=8086:293c, driver=ehci", DEV_EHCI1, 1 },
        { "subsystem=17aa:20f1, driver=ehci", DEV_EHCI0, 2 },
        { "revision=0c, driver=pro1000", DEV_RTL, 1 },
        { "rev=06, driver=pro1000", DEV_NIC1, 1 },
        { "programming_interface=8f, driver=ata", DEV_IDE, 1 },
        { "if=01, driver=ata", DEV_AHCI, 1 },
        { "class_code=030000, driver=vga", DEV_VGA, 1 },
        { "header_type=80, driver=pro1000", DEV_EHCI1, 2 },
        { "device=vga, driver=vga", DEV_VGA, 1 },
        { "device=ehci, number=1, driver=ehci", DEV_EHCI1, 1 },
        { "slot=00:1?.?, class=0?0?, rev=0[2], driver=ata", NDEVS, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        u32 matches = 0;
        u32 nerr = run(cases[i].text);

        if (cases[i].dev == NDEVS) {
            /* last case: '[' is no wildcard, so it is a bad character */
            ck_assert_uint_eq(nerr, 1);
            ck_assert_int_eq(errs.code[0], PCI_ERR_BAD_VALUE);
            continue;
        }
        ck_assert_msg(nerr == 0, "%s: %s", cases[i].text, errs.message[0]);
        ck_assert_msg(bind[cases[i].dev].kind == PCI_BIND_DRIVER, "%s", cases[i].text);
        for (u32 d = 0; d < NDEVS; d++)
            matches += bind[d].kind != PCI_BIND_UNBOUND;
        ck_assert_msg(matches == cases[i].matches, "%s: %u matches", cases[i].text, matches);
    }
}
END_TEST

START_TEST(test_wildcards_in_config)
{
    ck_assert_uint_eq(run("slot=00:1?.7, driver=ehci"), 0);
    expect_bound(DEV_EHCI0, "ehci");
    expect_bound(DEV_EHCI1, "ehci");

    ck_assert_uint_eq(run("id=8086:*, class=02*, driver=pro1000"), 0);
    expect_bound(DEV_NIC0, "pro1000");
    expect_bound(DEV_NIC1, "pro1000");
    expect_bound(DEV_RTL, "-");

    ck_assert_uint_eq(run("slot=00:19.0|04:00.0, driver=pro1000"), 0);
    expect_bound(DEV_NIC0, "pro1000");
    expect_bound(DEV_NIC1, "-");
    expect_bound(DEV_RTL, "pro1000");

    /* all items must match: right class, wrong slot */
    ck_assert_uint_eq(run("class=0200, slot=02:*, driver=pro1000"), 0);
    for (u32 d = 0; d < NDEVS; d++)
        expect_bound(d, "-");
}
END_TEST

START_TEST(test_number_counts_other_items)
{
    /* number counts the devices matching the entry's other items */
    ck_assert_uint_eq(run("class=0200, number=2, driver=pro1000"), 0);
    expect_bound(DEV_RTL, "pro1000");
    expect_bound(DEV_NIC0, "-");

    ck_assert_uint_eq(run("class=0200, number=0|2, driver=pro1000"), 0);
    expect_bound(DEV_NIC0, "pro1000");
    expect_bound(DEV_NIC1, "-");
    expect_bound(DEV_RTL, "pro1000");

    /* only number: the driver's default selector supplies the devices */
    ck_assert_uint_eq(run("number=1, driver=pro1000"), 0);
    expect_bound(DEV_NIC0, "-");
    expect_bound(DEV_NIC1, "pro1000");

    /* counted whether or not an earlier entry took the device */
    ck_assert_uint_eq(run("slot=00:19.0, driver=none, and, device=pro1000, number=0, "
                          "driver=pro1000"),
                      0);
    expect_bound(DEV_NIC0, "none");
    expect_bound(DEV_NIC1, "-");
}
END_TEST

START_TEST(test_device_with_several_candidates)
{
    ck_assert_uint_eq(run_with("device=anynic, driver=pro1000", extra_drivers, 5), 0);
    expect_bound(DEV_NIC0, "pro1000");
    expect_bound(DEV_NIC1, "pro1000");
    expect_bound(DEV_RTL, "pro1000");

    ck_assert_uint_eq(
        run_with("device=pro1000, driver=anynic, mac=02:00:00:00:00:01", extra_drivers, 5), 0);
    expect_bound(DEV_NIC0, "anynic");
    expect_bound(DEV_RTL, "-");
    ck_assert_uint_eq(bind[DEV_NIC0].noptions, 1);
    expect_option(DEV_NIC0, 0, "02:00:00:00:00:01");

    ck_assert_uint_eq(run_with("device=any*|ata, class=0200, driver=anynic", extra_drivers, 5), 0);
    expect_bound(DEV_RTL, "anynic");

    struct pci_device_names names;

    pci_config_device_names(&cfg, &devs[DEV_NIC1], &names);
    ck_assert_uint_eq(names.count, 2);
    ck_assert_str_eq(names.names[0], "pro1000");
    ck_assert_str_eq(names.names[1], "anynic");
    pci_config_device_names(&cfg, &devs[DEV_HOST], &names);
    ck_assert_uint_eq(names.count, 0);
}
END_TEST

START_TEST(test_first_entry_wins)
{
    ck_assert_uint_eq(run("class=0200, driver=none, and, driver=pro1000"), 0);
    expect_bound(DEV_NIC0, "none");
    expect_bound(DEV_NIC1, "none");
    ck_assert_int_eq(bind[DEV_NIC1].entry, 0);

    ck_assert_uint_eq(run("driver=pro1000, tty=0, and, slot=03:00.0, driver=pro1000, tty=9"), 0);
    expect_option(DEV_NIC1, 0, "0");
    ck_assert_int_eq(bind[DEV_NIC1].entry, 0);
}
END_TEST

START_TEST(test_blanks_are_ignored)
{
    ck_assert_uint_eq(run("  slot = 00:1f.2 ,driver= ata ,\tand\t,driver=pro1000 ,net = a b "), 0);
    expect_bound(DEV_AHCI, "ata");
    expect_option(DEV_NIC0, 1, "a b"); /* inner blanks belong to the value */
    expect_option(DEV_NIC0, 0, NULL);
}
END_TEST

START_TEST(test_case_sensitive)
{
    /* 'and' and keys are case-sensitive words */
    ck_assert_uint_eq(run("DRIVER=ata"), 1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_UNKNOWN_KEY);
    ck_assert_uint_eq(run("driver=ATA"), 1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_UNKNOWN_DRIVER);
}
END_TEST

/* ---- error table ---------------------------------------------------------- */

struct bad_case {
    const char *text;
    enum pci_config_errcode code;
    u32 column;
    const char *fragment;
    u32 nentries; /* valid entries that must remain */
    u32 dev; /* a device a valid entry must still bind ... */
    const char *driver; /* ... to this driver ("-" = check nothing) */
};

static const struct bad_case bad_cases[] = {
    { "and, driver=ehci", PCI_ERR_EMPTY_ENTRY, 1, "'and' at the start", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and", PCI_ERR_EMPTY_ENTRY, 14, "'and' at the end", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, and, driver=ata", PCI_ERR_EMPTY_ENTRY, 19, "'and' follows another 'and'",
      2, DEV_IDE, "ata" },
    { "driver=ehci, and, clas=0c03, driver=ata", PCI_ERR_UNKNOWN_KEY, 19,
      "unknown key 'clas'; entry 2 dropped", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=foo", PCI_ERR_UNKNOWN_DRIVER, 26, "unknown driver 'foo'", 1,
      DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=pro1000, vpn=1", PCI_ERR_UNKNOWN_OPTION, 35,
      "driver 'pro1000' has no option 'vpn'", 1, DEV_EHCI1, "ehci" },
    { "driver=ehci, and, class=0200", PCI_ERR_MISSING_DRIVER, 19, "entry has no driver=NAME", 1,
      DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=ata, driver=ata", PCI_ERR_DUPLICATE_DRIVER, 31,
      "second driver= in one entry (first at column 19)", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class, driver=ata", PCI_ERR_NO_EQUALS, 19, "'class' is not key=value", 1,
      DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class=, driver=ata", PCI_ERR_EMPTY_VALUE, 25, "'class' has no value", 1,
      DEV_EHCI0, "ehci" },
    { "driver=ehci, and, =0200, driver=ata", PCI_ERR_EMPTY_KEY, 19, "missing key before '='", 1,
      DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class=0101,, driver=ata", PCI_ERR_EMPTY_ITEM, 30, "empty item", 1,
      DEV_EHCI0, "ehci" },
    { "driver=ehci,, and, driver=ata", PCI_ERR_EMPTY_ITEM, 13, "empty item", 1, DEV_IDE, "ata" },
    { "driver=ata, and, driver=ehci,", PCI_ERR_EMPTY_ITEM, 30, "empty item", 1, DEV_IDE, "ata" },
    { ",driver=ata, and, driver=ehci", PCI_ERR_EMPTY_ITEM, 1, "empty item", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class=0200|, driver=pro1000", PCI_ERR_BAD_VALUE, 30,
      "empty alternative in class value '0200|'", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class=02, driver=pro1000", PCI_ERR_BAD_VALUE, 25,
      "'02' can never match: class values have 4 characters", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, id=8086:10F5, driver=pro1000", PCI_ERR_BAD_VALUE, 29,
      "uppercase hex digit", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, number=x, driver=pro1000", PCI_ERR_BAD_VALUE, 26,
      "character 'x' cannot appear in a number value", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, slot=0:1f.2, driver=ata", PCI_ERR_BAD_VALUE, 24,
      "slot values have 7 characters", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, device=pro100, driver=pro1000", PCI_ERR_UNKNOWN_DEVICE, 26,
      "device 'pro100' is not the name of any driver", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=pro1000, net=a, net=b", PCI_ERR_DUPLICATE_OPTION, 42,
      "option 'net' given twice", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class=0200, driver=none, tty=1", PCI_ERR_NO_OPTIONS, 44,
      "driver=none takes no options", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=conceal", PCI_ERR_NEEDS_SELECTOR, 19,
      "driver=conceal needs selector items", 1, DEV_EHCI0, "ehci" },
    { "net=vpn, driver=pro1000, and, driver=ehci", PCI_ERR_UNKNOWN_KEY, 1,
      "unknown key 'net' (options go after driver=)", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=pro1000, slot=00:19.0", PCI_ERR_UNKNOWN_OPTION, 35,
      "(selector items go before driver=)", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, driver=ata, AND", PCI_ERR_NO_EQUALS, 31,
      "'AND' is not key=value (nor 'and')", 1, DEV_EHCI0, "ehci" },
    { "driver=ehci, and, class=0200, driver=pro1000, tty", PCI_ERR_NO_EQUALS, 47,
      "'tty' is not key=value", 1, DEV_NIC0, "-" },
};

START_TEST(test_error_table)
{
    const struct bad_case *c = &bad_cases[_i];

    ck_assert_msg(run(c->text) == 1, "'%s': %u errors", c->text, errs.count);
    ck_assert_msg(errs.code[0] == c->code, "'%s': code %d, want %d\n%s", c->text, errs.code[0],
                  c->code, errs.message[0]);
    ck_assert_msg(errs.column[0] == c->column, "'%s': column %u, want %u\n%s", c->text,
                  errs.column[0], c->column, errs.message[0]);
    ck_assert_msg(strstr(errs.message[0], c->fragment) != NULL, "'%s': message lacks '%s':\n%s",
                  c->text, c->fragment, errs.message[0]);
    /* the message echoes the string (short ones whole) */
    ck_assert_msg(strstr(errs.message[0], c->text) != NULL, "%s", errs.message[0]);
    ck_assert_uint_eq(cfg.nentries, c->nentries);
    if (strcmp(c->driver, "-") != 0)
        expect_bound(c->dev, c->driver);
    else
        expect_bound(c->dev, "-");
}
END_TEST

START_TEST(test_error_message_caret)
{
    ck_assert_uint_eq(run("driver=ehci, and, clas=0c03, driver=ata"), 1);
    ck_assert_str_eq(errs.message[0],
                     "pci config: column 19: unknown key 'clas'; entry 2 dropped\n"
                     "  driver=ehci, and, clas=0c03, driver=ata\n"
                     "                    ^");
    ck_assert_int_eq(errs.entry[0], 1);
}
END_TEST

START_TEST(test_one_error_per_entry_and_several_entries)
{
    ck_assert_uint_eq(run("clas=1, driver=foo, and, driver=ehci, and, driver=bar, x=1"), 2);
    ck_assert_int_eq(errs.code[0], PCI_ERR_UNKNOWN_KEY);
    ck_assert_int_eq(errs.code[1], PCI_ERR_UNKNOWN_DRIVER);
    ck_assert_int_eq(errs.entry[1], 2);
    ck_assert_uint_eq(cfg.nentries, 1);
    expect_bound(DEV_EHCI1, "ehci");
    ck_assert(!cfg.use_defaults);
}
END_TEST

/* A driver that checks its option values while the string is parsed. */
static const char *checked_mac(u32 index, const char *value)
{
    return index == 0 && strlen(value) != 12 ? "want 12 hex digits" : NULL;
}

START_TEST(test_option_value_refused_with_column)
{
    static const struct pci_driver drv_checked = { "anynic",     "any Ethernet card",
                                                   "class=0200", "mac",
                                                   NULL,         checked_mac };
    static const struct pci_driver *const drivers[] = { &drv_ehci, &drv_checked };

    ck_assert_uint_eq(run_with("slot=03:00.0, driver=anynic, mac=12ab, and, "
                               "slot=04:00.0, driver=anynic, mac=0011223344ff",
                               drivers, 2),
                      1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_BAD_OPTION_VALUE);
    ck_assert_uint_eq(errs.column[0], 34); /* the value, 1-based */
    ck_assert_int_eq(errs.entry[0], 0);
    ck_assert_ptr_nonnull(strstr(
        errs.message[0], "driver 'anynic' refuses mac=12ab: want 12 hex digits; entry 1 dropped"));
    expect_bound(DEV_NIC1, "-"); /* the refused entry is dropped... */
    expect_bound(DEV_RTL, "anynic"); /* ...the good one binds, with its value */
    expect_option(DEV_RTL, 0, "0011223344ff");
}
END_TEST

START_TEST(test_null_callback_counts)
{
    u32 n = pci_config_parse(&cfg, "and, clas=1, driver=ata, and", basic_drivers, 4, NULL, NULL);

    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(cfg.nentries, 0);
}
END_TEST

START_TEST(test_too_long_keeps_earlier_entries)
{
    static char text[PCI_CONFIG_MAX_LEN + 200];
    size_t n;

    strcpy(text, "driver=ehci, and, slot=00:19.0, driver=pro1000, net=");
    n = strlen(text);
    memset(text + n, 'v', sizeof(text) - n - 1);
    text[sizeof(text) - 1] = '\0';
    ck_assert_uint_eq(run(text), 1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_TOO_LONG);
    ck_assert_uint_eq(errs.column[0], PCI_CONFIG_MAX_LEN + 1);
    ck_assert_ptr_nonnull(strstr(errs.message[0], "longer than 1023"));
    /* a window of the string, not all of it, with the caret inside */
    ck_assert(strlen(errs.message[0]) < PCI_CONFIG_MESSAGE_MAX - 1);
    ck_assert_ptr_nonnull(strstr(errs.message[0], "...vvvv"));
    ck_assert_uint_eq(cfg.nentries, 1);
    expect_bound(DEV_EHCI0, "ehci");
    expect_bound(DEV_NIC0, "-");

    /* exactly the limit is fine */
    text[PCI_CONFIG_MAX_LEN] = '\0';
    ck_assert_uint_eq(run(text), 0);
    ck_assert_uint_eq(strlen(bind[DEV_NIC0].options[1]), PCI_CONFIG_MAX_LEN - n);
}
END_TEST

START_TEST(test_error_window_on_long_string)
{
    static char text[600];
    size_t n;
    const char *caret_line;
    const char *echo_line;

    memset(text, 0, sizeof(text));
    for (n = 0; n < 14; n++)
        strcat(text, "class=0200, ");
    strcat(text, "driver=bogus");
    ck_assert_uint_eq(run(text), 1);
    /* caret sits under the 'b' of bogus in the window */
    echo_line = strchr(errs.message[0], '\n') + 1;
    caret_line = strchr(echo_line, '\n') + 1;
    ck_assert_ptr_nonnull(strchr(caret_line, '^'));
    ck_assert_int_eq(echo_line[strchr(caret_line, '^') - caret_line], 'b');
    ck_assert(strncmp(echo_line, "  ...", 5) == 0);
}
END_TEST

START_TEST(test_long_first_line_keeps_caret)
{
    static char text[300];

    strcpy(text, "driver=ehci, and, slot=00:1f.2, programming_interface=");
    memset(text + strlen(text), 'A', 120);
    strcat(text, ", driver=ata");
    ck_assert_uint_eq(run(text), 1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_BAD_VALUE);
    ck_assert(strlen(errs.message[0]) < PCI_CONFIG_MESSAGE_MAX - 1);
    /* the caret line always survives: the message ends with the caret */
    ck_assert_int_eq(errs.message[0][strlen(errs.message[0]) - 1], '^');
    ck_assert_uint_eq(cfg.nentries, 1);
}
END_TEST

START_TEST(test_too_many_entries)
{
    static char text[PCI_CONFIG_MAX_LEN + 1];

    text[0] = '\0';
    for (int i = 0; i < PCI_CONFIG_MAX_ENTRIES + 1; i++)
        strcat(text, i ? ", and, driver=ata" : "driver=ata");
    ck_assert_uint_eq(run(text), 1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_TOO_MANY_ENTRIES);
    ck_assert_int_eq(errs.entry[0], PCI_CONFIG_MAX_ENTRIES);
    ck_assert_uint_eq(cfg.nentries, PCI_CONFIG_MAX_ENTRIES);
    expect_bound(DEV_IDE, "ata");
}
END_TEST

START_TEST(test_too_many_items)
{
    static char text[PCI_CONFIG_MAX_LEN + 1];

    text[0] = '\0';
    for (int i = 0; i < PCI_SEL_MAX_ITEMS + 1; i++)
        strcat(text, "class=01*, ");
    strcat(text, "driver=ata, and, driver=ehci");
    ck_assert_uint_eq(run(text), 1);
    ck_assert_int_eq(errs.code[0], PCI_ERR_TOO_MANY_ITEMS);
    ck_assert_uint_eq(errs.column[0], 1 + 11 * PCI_SEL_MAX_ITEMS);
    expect_bound(DEV_EHCI0, "ehci");
    expect_bound(DEV_IDE, "-");

    /* exactly the limit is fine */
    text[0] = '\0';
    for (int i = 0; i < PCI_SEL_MAX_ITEMS; i++)
        strcat(text, "class=01*, ");
    strcat(text, "driver=ata");
    ck_assert_uint_eq(run(text), 0);
    expect_bound(DEV_IDE, "ata");
}
END_TEST

/* ---- driver declarations -------------------------------------------------- */

START_TEST(test_bad_declarations_are_left_out)
{
    static const struct pci_driver bad_key = { "badkey", "", "clas=0200", NULL, NULL, NULL };
    static const struct pci_driver uses_device = { "usesdev", "", "device=ata", NULL, NULL, NULL };
    static const struct pci_driver bad_value = { "badval", "", "class=02", NULL, NULL, NULL };
    static const struct pci_driver bad_opts = { "badopts", "", "class=0200", "a,,b", NULL, NULL };
    static const struct pci_driver reserved = { "conceal", "", "class=0200", NULL, NULL, NULL };
    static const struct pci_driver dup = { "ata", "again", "class=0200", NULL, NULL, NULL };
    static const struct pci_driver no_sel = { "nosel", "explicit only", NULL, "x", NULL, NULL };
    const struct pci_driver *table[] = {
        &drv_ata, &bad_key, &uses_device, &bad_value, &bad_opts, &reserved, &dup, NULL, &no_sel,
    };

    ck_assert_uint_eq(run_with("driver=badkey, and, driver=ata", table, 9), 8);
    for (u32 i = 0; i < 7; i++) {
        ck_assert_int_eq(errs.code[i], PCI_ERR_BAD_DECLARATION);
        ck_assert_int_eq(errs.entry[i], -1);
    }
    ck_assert_ptr_nonnull(strstr(errs.message[0],
                                 "pci driver 'badkey': device column 1: "
                                 "unknown key 'clas'; driver left out"));
    ck_assert_ptr_nonnull(strstr(errs.message[1], "not allowed in a default selector"));
    ck_assert_ptr_nonnull(strstr(errs.message[3], "empty option name"));
    ck_assert_uint_eq(errs.column[3], 3);
    ck_assert_ptr_nonnull(strstr(errs.message[4], "not none/conceal/and"));
    ck_assert_ptr_nonnull(strstr(errs.message[5], "exists"));
    /* the NULL pointer is the 7th problem; the 8th is the unknown driver= */
    ck_assert_ptr_nonnull(strstr(errs.message[6], "(unnamed)"));
    ck_assert_uint_eq(cfg.ndrivers, 2);
    ck_assert_int_eq(errs.code[7], PCI_ERR_UNKNOWN_DRIVER);
    ck_assert_uint_eq(cfg.nentries, 1);
    expect_bound(DEV_IDE, "ata");
    /* nosel has no default selector, so it binds only where asked */
    expect_bound(DEV_NIC0, "-");

    ck_assert_uint_eq(run_with("slot=00:19.0, driver=nosel, x=1", table, 9), 7);
    expect_bound(DEV_NIC0, "nosel");
    expect_option(DEV_NIC0, 0, "1");
    ck_assert_uint_eq(run_with(NULL, table, 9), 7);
    expect_bound(DEV_NIC0, "-");
    expect_bound(DEV_IDE, "ata");
}
END_TEST

START_TEST(test_too_many_drivers)
{
    static struct pci_driver many[PCI_MAX_DRIVERS + 1];
    static char names[PCI_MAX_DRIVERS + 1][16];
    const struct pci_driver *table[PCI_MAX_DRIVERS + 1];

    for (int i = 0; i < PCI_MAX_DRIVERS + 1; i++) {
        snprintf(names[i], sizeof(names[i]), "d%u", (unsigned)i);
        many[i].name = names[i];
        many[i].device = "class=0200";
        table[i] = &many[i];
    }
    ck_assert_uint_eq(run_with(NULL, table, PCI_MAX_DRIVERS + 1), 1);
    ck_assert_ptr_nonnull(strstr(errs.message[0], "'d16'"));
    ck_assert_uint_eq(cfg.ndrivers, PCI_MAX_DRIVERS);
    expect_bound(DEV_NIC0, "d0");
}
END_TEST

/* ---- the device list line --------------------------------------------- */

START_TEST(test_device_line)
{
    char line[128];
    int n;

    run(NULL);
    n = pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_NIC0], &bind[DEV_NIC0]);
    ck_assert_str_eq(line, "[00:19.0] 020000: 8086:10F5 (pro1000) pro1000");
    ck_assert_int_eq(n, (int)strlen(line));
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_EHCI1], &bind[DEV_EHCI1]);
    ck_assert_str_eq(line, "[00:1d.7] 0c0320: 8086:293C (ehci) ehci");
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_RTL], &bind[DEV_RTL]);
    ck_assert_str_eq(line, "[04:00.0] 020000: 10EC:8168 ()");
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_RTL], NULL);
    ck_assert_str_eq(line, "[04:00.0] 020000: 10EC:8168 ()");

    run("class=0200, slot=04:*, driver=conceal, and, slot=00:00.0, driver=none");
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_RTL], &bind[DEV_RTL]);
    ck_assert_str_eq(line, "[04:00.0] 020000: 10EC:8168 () conceal");
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_HOST], &bind[DEV_HOST]);
    ck_assert_str_eq(line, "[00:00.0] 060000: 8086:29C0 () none");
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_NIC1], &bind[DEV_NIC1]);
    ck_assert_str_eq(line, "[03:00.0] 020000: 8086:105E (pro1000)");

    run_with("device=anynic, driver=pro1000", extra_drivers, 5);
    pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_NIC1], &bind[DEV_NIC1]);
    ck_assert_str_eq(line, "[03:00.0] 020000: 8086:105E (pro1000 anynic) pro1000");
}
END_TEST

START_TEST(test_device_line_truncates)
{
    char line[12];
    int n;

    memset(line, 'x', sizeof(line));
    run(NULL);
    n = pci_format_device_line(line, sizeof(line), &cfg, &devs[DEV_NIC0], &bind[DEV_NIC0]);
    ck_assert_int_eq(n, (int)strlen("[00:19.0] 020000: 8086:10F5 (pro1000) pro1000"));
    ck_assert_str_eq(line, "[00:19.0] 0");
    ck_assert_int_eq(pci_format_device_line(NULL, 0, &cfg, &devs[DEV_NIC0], &bind[DEV_NIC0]), n);
}
END_TEST

static Suite *pci_config_suite(void)
{
    Suite *s = suite_create("pci_config");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_no_string_binds_defaults);
    tcase_add_test(tc, test_defaults_first_driver_in_table_order);
    tcase_add_test(tc, test_example_driver_list_with_conceal);
    tcase_add_test(tc, test_example_first_nic_only);
    tcase_add_test(tc, test_example_force_ata_by_slot);
    tcase_add_test(tc, test_example_nic_for_log);
    tcase_add_test(tc, test_example_nic_for_log_and_guest);
    tcase_add_test(tc, test_every_key_in_a_config);
    tcase_add_test(tc, test_wildcards_in_config);
    tcase_add_test(tc, test_number_counts_other_items);
    tcase_add_test(tc, test_device_with_several_candidates);
    tcase_add_test(tc, test_first_entry_wins);
    tcase_add_test(tc, test_blanks_are_ignored);
    tcase_add_test(tc, test_case_sensitive);
    tcase_add_loop_test(tc, test_error_table, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, test_error_message_caret);
    tcase_add_test(tc, test_one_error_per_entry_and_several_entries);
    tcase_add_test(tc, test_option_value_refused_with_column);
    tcase_add_test(tc, test_null_callback_counts);
    tcase_add_test(tc, test_too_long_keeps_earlier_entries);
    tcase_add_test(tc, test_error_window_on_long_string);
    tcase_add_test(tc, test_long_first_line_keeps_caret);
    tcase_add_test(tc, test_too_many_entries);
    tcase_add_test(tc, test_too_many_items);
    tcase_add_test(tc, test_bad_declarations_are_left_out);
    tcase_add_test(tc, test_too_many_drivers);
    tcase_add_test(tc, test_device_line);
    tcase_add_test(tc, test_device_line_truncates);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pci_config_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
