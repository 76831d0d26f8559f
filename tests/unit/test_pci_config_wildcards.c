/*
 * Unit tests for pci/pci_config.c: every selector key and alias with `?`,
 * `*` and `|` in full configuration strings, over the synthetic machine of
 * pci_config_machine.h: exactly the listed devices bind, nothing else does.
 *
 * unit-sources: pci/pci_config.c pci/pci_bind.c pci/pci_match.c common/lib/format.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/pci_config_machine.h"

/* ---- wildcards and alternatives for every key ---------------------------- */

#define BIT(d) (1u << (d))
#define ALL_DEVS (BIT(NDEVS) - 1)

/*
 * Field values of the synthetic machine, as the selectors see them:
 *
 *   dev    slot     class id         subsystem  rev if  class_code header
 *   HOST   00:00.0  0600  8086:29c0  8086:5044  02  00  060000     00
 *   NIC0   00:19.0  0200  8086:10f5  17aa:20ee  02  00  020000     00
 *   EHCI0  00:1a.7  0c03  8086:293a  17aa:20f1  02  20  0c0320     00
 *   EHCI1  00:1d.7  0c03  8086:293c  17aa:20f1  02  20  0c0320     80
 *   AHCI   00:1f.2  0106  8086:2922  17aa:20f8  03  01  010601     00
 *   IDE    00:1f.5  0101  8086:2926  17aa:20f8  03  8f  01018f     00
 *   VGA    02:00.0  0300  1234:1111  1af4:1100  01  00  030000     00
 *   NIC1   03:00.0  0200  8086:105e  103c:7044  06  00  020000     80
 *   RTL    04:00.0  0200  10ec:8168  1043:8432  0c  00  020000     00
 *
 * Candidate names (basic drivers): NIC0, NIC1 pro1000; EHCI0, EHCI1 ehci;
 * IDE ata; VGA vga; HOST, AHCI and RTL none.
 */
struct wild_case {
    const char *key; /* the key (or alias) the row is about */
    const char *text; /* one entry using that key with ?, * or | */
    const char *want; /* what every selected device binds to */
    u32 devs; /* BIT() of exactly the devices selected; 0 = none */
};

static const struct wild_case wild_cases[] = {
    { "slot", "slot=00:1?.7, driver=conceal", "conceal", BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
    { "slot", "slot=00:1f.*, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "slot", "slot=02:00.0|04:00.0, driver=conceal", "conceal", BIT(DEV_VGA) | BIT(DEV_RTL) },
    { "slot", "slot=*.7|?5:00.0, driver=conceal", "conceal", BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
    { "slot", "slot=0?:1e.*|00:00.1, driver=conceal", "conceal", 0 },

    { "class", "class=01??, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "class", "class=*3, driver=conceal", "conceal", BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
    { "class", "class=0600|0300, driver=conceal", "conceal", BIT(DEV_HOST) | BIT(DEV_VGA) },
    { "class", "class=0*, driver=conceal", "conceal", ALL_DEVS },
    { "class", "class=ff*|0?04, driver=conceal", "conceal", 0 },

    { "id", "id=8086:29??, driver=conceal", "conceal",
      BIT(DEV_HOST) | BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "id", "id=*:1*, driver=conceal", "conceal", BIT(DEV_NIC0) | BIT(DEV_VGA) | BIT(DEV_NIC1) },
    { "id", "id=10ec:8168|1234:1111, driver=conceal", "conceal", BIT(DEV_VGA) | BIT(DEV_RTL) },
    { "id", "id=8086:10f6|*:ffff, driver=conceal", "conceal", 0 },

    { "subsystem", "subsystem=17aa:20f?, driver=conceal", "conceal",
      BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "subsystem", "subsystem=17aa:*, driver=conceal", "conceal",
      BIT(DEV_NIC0) | BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "subsystem", "subsystem=*:*4*, driver=conceal", "conceal",
      BIT(DEV_HOST) | BIT(DEV_NIC1) | BIT(DEV_RTL) },
    { "subsystem", "subsystem=103c:7044|1af4:1100, driver=conceal", "conceal",
      BIT(DEV_VGA) | BIT(DEV_NIC1) },
    { "subsystem", "subsystem=?043:*, driver=conceal", "conceal", BIT(DEV_RTL) },
    /* the devices' own IDs: subsystem must not look at vendor:device */
    { "subsystem", "subsystem=8086:29c0|10ec:8168, driver=conceal", "conceal", 0 },
    { "subsystem", "subsystem=17aa:20f0|0000:*, driver=conceal", "conceal", 0 },

    { "revision", "revision=?3, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "revision", "revision=0c|06, driver=conceal", "conceal", BIT(DEV_NIC1) | BIT(DEV_RTL) },
    { "revision", "revision=*1, driver=conceal", "conceal", BIT(DEV_VGA) },
    { "revision", "revision=1?|*f, driver=conceal", "conceal", 0 },
    { "rev", "rev=?c|01, driver=conceal", "conceal", BIT(DEV_VGA) | BIT(DEV_RTL) },
    { "rev", "rev=0*, driver=conceal", "conceal", ALL_DEVS },
    { "rev", "rev=*6, driver=conceal", "conceal", BIT(DEV_NIC1) },
    /* programming interfaces of the machine: rev must not look at them */
    { "rev", "rev=20|8f, driver=conceal", "conceal", 0 },

    { "programming_interface", "programming_interface=?0, driver=conceal", "conceal",
      ALL_DEVS & ~(BIT(DEV_AHCI) | BIT(DEV_IDE)) },
    { "programming_interface", "programming_interface=8*|01, driver=conceal", "conceal",
      BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "programming_interface", "programming_interface=ff|1?, driver=conceal", "conceal", 0 },
    { "if", "if=2?, driver=conceal", "conceal", BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
    { "if", "if=*f, driver=conceal", "conceal", BIT(DEV_IDE) },
    { "if", "if=01|8f, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
    /* revisions of the machine: if must not look at them */
    { "if", "if=02|03, driver=conceal", "conceal", 0 },
    { "if", "if=*e, driver=conceal", "conceal", 0 },

    { "class_code", "class_code=0101*, driver=conceal", "conceal", BIT(DEV_IDE) },
    { "class_code", "class_code=01????, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
    { "class_code", "class_code=0c0320|030000, driver=conceal", "conceal",
      BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_VGA) },
    { "class_code", "class_code=*00, driver=conceal", "conceal",
      BIT(DEV_HOST) | BIT(DEV_NIC0) | BIT(DEV_VGA) | BIT(DEV_NIC1) | BIT(DEV_RTL) },
    { "class_code", "class_code=0c03?1|ff*, driver=conceal", "conceal", 0 },

    { "header_type", "header_type=8?, driver=conceal", "conceal", BIT(DEV_EHCI1) | BIT(DEV_NIC1) },
    { "header_type", "header_type=0*, driver=conceal", "conceal",
      ALL_DEVS & ~(BIT(DEV_EHCI1) | BIT(DEV_NIC1)) },
    { "header_type", "header_type=01|80, driver=conceal", "conceal",
      BIT(DEV_EHCI1) | BIT(DEV_NIC1) },
    { "header_type", "header_type=?0, driver=conceal", "conceal", ALL_DEVS },
    { "header_type", "header_type=?1|7f, driver=conceal", "conceal", 0 },

    { "device", "device=pro*, driver=conceal", "conceal", BIT(DEV_NIC0) | BIT(DEV_NIC1) },
    { "device", "device=ehci|vga, driver=conceal", "conceal",
      BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_VGA) },
    { "device", "device=?ta, driver=conceal", "conceal", BIT(DEV_IDE) },
    /* devices without any candidate name match no device pattern, even '*' */
    { "device", "device=*, driver=conceal", "conceal",
      ALL_DEVS & ~(BIT(DEV_HOST) | BIT(DEV_AHCI) | BIT(DEV_RTL)) },
    { "device", "device=ata?|x*, driver=conceal", "conceal", 0 },

    { "number", "class=0200, number=1|2, driver=conceal", "conceal", BIT(DEV_NIC1) | BIT(DEV_RTL) },
    { "number", "id=8086:*, number=*6, driver=conceal", "conceal", BIT(DEV_NIC1) },
    { "number", "id=8086:*, number=?, driver=conceal", "conceal",
      BIT(DEV_HOST) | BIT(DEV_NIC0) | BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_AHCI) |
          BIT(DEV_IDE) | BIT(DEV_NIC1) },
    /* only number: the driver's default selector supplies the devices */
    { "number", "number=*, driver=pro1000", "pro1000", BIT(DEV_NIC0) | BIT(DEV_NIC1) },
    { "number", "number=1|5, driver=ehci", "ehci", BIT(DEV_EHCI1) },
    { "number", "id=8086:*, number=7|1?, driver=conceal", "conceal", 0 },
};

START_TEST(test_wildcard_table)
{
    const struct wild_case *c = &wild_cases[_i];

    ck_assert_msg(run(c->text) == 0, "'%s': %s", c->text, errs.message[0]);
    ck_assert_uint_eq(cfg.nentries, 1);
    for (u32 d = 0; d < NDEVS; d++) {
        const char *want = (c->devs & BIT(d)) ? c->want : "-";

        ck_assert_msg(strcmp(bound_name(d), want) == 0, "'%s': device %u got %s, want %s", c->text,
                      d, bound_name(d), want);
        if (c->devs & BIT(d))
            ck_assert_int_eq(bind[d].entry, 0);
    }
}
END_TEST

/* The value of key in text ("key=" at the start or after a blank), or NULL. */
static const char *value_of(const char *text, const char *key, size_t *len)
{
    size_t n = strlen(key);

    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key)) {
        if ((p == text || p[-1] == ' ') && p[n] == '=') {
            *len = strcspn(p + n + 1, ",");
            return p + n + 1;
        }
    }
    return NULL;
}

START_TEST(test_wildcard_table_covers_every_key)
{
    static const char *const keys[] = {
        "slot",
        "class",
        "id",
        "subsystem",
        "revision",
        "rev",
        "programming_interface",
        "if",
        "class_code",
        "header_type",
        "device",
        "number",
    };

    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        u32 hits = 0, misses = 0;
        bool q = false, star = false, bar = false;

        for (size_t i = 0; i < sizeof(wild_cases) / sizeof(wild_cases[0]); i++) {
            const struct wild_case *c = &wild_cases[i];
            const char *v;
            size_t len;

            if (strcmp(c->key, keys[k]) != 0)
                continue;
            v = value_of(c->text, c->key, &len);
            ck_assert_msg(v != NULL, "'%s' does not use %s=", c->text, c->key);
            ck_assert_msg(memchr(v, '?', len) || memchr(v, '*', len) || memchr(v, '|', len),
                          "'%s': no wildcard in %s", c->text, c->key);
            q |= memchr(v, '?', len) != NULL;
            star |= memchr(v, '*', len) != NULL;
            bar |= memchr(v, '|', len) != NULL;
            if (c->devs)
                hits++;
            else
                misses++;
        }
        ck_assert_msg(hits > 0 && misses > 0, "%s: %u rows that select, %u that do not", keys[k],
                      hits, misses);
        /* and every key, each alias too, is tried with all three operators */
        ck_assert_msg(q && star && bar, "%s: ? %d * %d | %d", keys[k], q, star, bar);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pci_config_wildcards");
    TCase *tc = tcase_create("wildcards");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(tc, test_wildcard_table, 0,
                        (int)(sizeof(wild_cases) / sizeof(wild_cases[0])));
    tcase_add_test(tc, test_wildcard_table_covers_every_key);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
