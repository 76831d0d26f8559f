/*
 * Unit tests for pci/pci_config.c: the configuration string, binding,
 * errors with positions, driver declarations and the device-list line.
 *
 * unit-sources: pci/pci_config.c pci/pci_match.c common/format.c common/kstring.c
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/pci_config.h"

/* ---- a synthetic machine ------------------------------------------------ */

enum {
	DEV_HOST,      /* 00:00.0 host bridge */
	DEV_NIC0,      /* 00:19.0 Intel GbE, pro1000 */
	DEV_EHCI0,     /* 00:1a.7 EHCI */
	DEV_EHCI1,     /* 00:1d.7 EHCI */
	DEV_AHCI,      /* 00:1f.2 SATA in AHCI mode: not ata's default */
	DEV_IDE,       /* 00:1f.5 IDE: ata's default */
	DEV_VGA,       /* 02:00.0 display */
	DEV_NIC1,      /* 03:00.0 Intel GbE, pro1000 */
	DEV_RTL,       /* 04:00.0 Realtek NIC, no driver */
	NDEVS
};

static const struct pci_device_desc devs[NDEVS] = {
	[DEV_HOST] = { 0x00, 0x00, 0, 0x02, 0x8086, 0x29c0, 0x060000, 0x00, 0x8086, 0x5044 },
	[DEV_NIC0] = { 0x00, 0x19, 0, 0x02, 0x8086, 0x10f5, 0x020000, 0x00, 0x17aa, 0x20ee },
	[DEV_EHCI0] = { 0x00, 0x1a, 7, 0x02, 0x8086, 0x293a, 0x0c0320, 0x00, 0x17aa, 0x20f1 },
	[DEV_EHCI1] = { 0x00, 0x1d, 7, 0x02, 0x8086, 0x293c, 0x0c0320, 0x80, 0x17aa, 0x20f1 },
	[DEV_AHCI] = { 0x00, 0x1f, 2, 0x03, 0x8086, 0x2922, 0x010601, 0x00, 0x17aa, 0x20f8 },
	[DEV_IDE] = { 0x00, 0x1f, 5, 0x03, 0x8086, 0x2926, 0x01018f, 0x00, 0x17aa, 0x20f8 },
	[DEV_VGA] = { 0x02, 0x00, 0, 0x01, 0x1234, 0x1111, 0x030000, 0x00, 0x1af4, 0x1100 },
	[DEV_NIC1] = { 0x03, 0x00, 0, 0x06, 0x8086, 0x105e, 0x020000, 0x80, 0x103c, 0x7044 },
	[DEV_RTL] = { 0x04, 0x00, 0, 0x0c, 0x10ec, 0x8168, 0x020000, 0x00, 0x1043, 0x8432 },
};

static const struct pci_driver drv_ata = {
	"ata", "ATA/IDE disk encryption", "class_code=0101*", NULL, NULL, NULL
};
static const struct pci_driver drv_ehci = {
	"ehci", "USB 2.0 host controller", "class_code=0c0320", NULL, NULL, NULL
};
static const struct pci_driver drv_pro1000 = {
	"pro1000", "Intel PRO/1000", "class_code=020000, id=8086:105e|8086:1081|8086:10f5",
	"tty,net", NULL, NULL
};
static const struct pci_driver drv_vga = {
	"vga", "display", "id=1234:*, class_code=030000", NULL, NULL, NULL
};
static const struct pci_driver drv_anynic = {
	"anynic", "any Ethernet card", "class=0200", "mac", NULL, NULL
};

static const struct pci_driver *const basic_drivers[] = {
	&drv_ata, &drv_ehci, &drv_pro1000, &drv_vga,
};
static const struct pci_driver *const extra_drivers[] = {
	&drv_ata, &drv_ehci, &drv_pro1000, &drv_vga, &drv_anynic,
};

/* ---- error capture ------------------------------------------------------ */

#define MAX_CAPTURED 8

struct captured {
	u32 count;
	enum pci_config_errcode code[MAX_CAPTURED];
	u32 column[MAX_CAPTURED];
	s32 entry[MAX_CAPTURED];
	char message[MAX_CAPTURED][PCI_CONFIG_MESSAGE_MAX];
};

static void capture(void *ctx, const struct pci_config_error *err)
{
	struct captured *c = ctx;

	if (c->count < MAX_CAPTURED) {
		c->code[c->count] = err->code;
		c->column[c->count] = err->column;
		c->entry[c->count] = err->entry;
		snprintf(c->message[c->count], PCI_CONFIG_MESSAGE_MAX, "%s", err->message);
	}
	c->count++;
}

static struct pci_config cfg;
static struct pci_binding bind[NDEVS];
static struct captured errs;

/* Parse with the basic drivers and bind the synthetic machine. */
static u32 run_with(const char *text, const struct pci_driver *const *drivers, u32 n)
{
	u32 nerr;

	memset(&errs, 0, sizeof(errs));
	nerr = pci_config_parse(&cfg, text, drivers, n, capture, &errs);
	ck_assert_uint_eq(nerr, errs.count);
	ck_assert_uint_eq(nerr, cfg.nerrors);
	pci_config_bind(&cfg, devs, NDEVS, bind);
	return nerr;
}

static u32 run(const char *text)
{
	return run_with(text, basic_drivers, 4);
}

static const char *bound_name(u32 dev)
{
	switch (bind[dev].kind) {
	case PCI_BIND_DRIVER: return bind[dev].driver->name;
	case PCI_BIND_NONE: return "none";
	case PCI_BIND_CONCEAL: return "conceal";
	default: return "-";
	}
}

static void expect_bound(u32 dev, const char *name)
{
	ck_assert_msg(strcmp(bound_name(dev), name) == 0, "device %u: got %s, want %s",
		      dev, bound_name(dev), name);
}

static void expect_option(u32 dev, u32 i, const char *value)
{
	if (!value)
		ck_assert_msg(bind[dev].options[i] == NULL, "device %u option %u not NULL", dev, i);
	else
		ck_assert_msg(bind[dev].options[i] && strcmp(bind[dev].options[i], value) == 0,
			      "device %u option %u: want %s", dev, i, value);
}

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
			      "and, class=02*, driver=conceal"), 0);
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
	ck_assert_uint_eq(run("slot=03:00.0, device=pro1000, driver=pro1000, net=pass, tty=1"),
			  0);
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
		u32 dev;      /* the one device the selector takes */
		u32 matches;  /* how many devices it takes in all */
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
		ck_assert_msg(matches == cases[i].matches, "%s: %u matches", cases[i].text,
			      matches);
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
	const char *key;  /* the key (or alias) the row is about */
	const char *text; /* one entry using that key with ?, * or | */
	const char *want; /* what every selected device binds to */
	u32 devs;         /* BIT() of exactly the devices selected; 0 = none */
};

static const struct wild_case wild_cases[] = {
	{ "slot", "slot=00:1?.7, driver=conceal", "conceal", BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
	{ "slot", "slot=00:1f.*, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
	{ "slot", "slot=02:00.0|04:00.0, driver=conceal", "conceal", BIT(DEV_VGA) | BIT(DEV_RTL) },
	{ "slot", "slot=*.7|?5:00.0, driver=conceal", "conceal",
	  BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
	{ "slot", "slot=0?:1e.*|00:00.1, driver=conceal", "conceal", 0 },

	{ "class", "class=01??, driver=conceal", "conceal", BIT(DEV_AHCI) | BIT(DEV_IDE) },
	{ "class", "class=*3, driver=conceal", "conceal", BIT(DEV_EHCI0) | BIT(DEV_EHCI1) },
	{ "class", "class=0600|0300, driver=conceal", "conceal", BIT(DEV_HOST) | BIT(DEV_VGA) },
	{ "class", "class=0*, driver=conceal", "conceal", ALL_DEVS },
	{ "class", "class=ff*|0?04, driver=conceal", "conceal", 0 },

	{ "id", "id=8086:29??, driver=conceal", "conceal",
	  BIT(DEV_HOST) | BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_AHCI) | BIT(DEV_IDE) },
	{ "id", "id=*:1*, driver=conceal", "conceal",
	  BIT(DEV_NIC0) | BIT(DEV_VGA) | BIT(DEV_NIC1) },
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
	{ "class_code", "class_code=01????, driver=conceal", "conceal",
	  BIT(DEV_AHCI) | BIT(DEV_IDE) },
	{ "class_code", "class_code=0c0320|030000, driver=conceal", "conceal",
	  BIT(DEV_EHCI0) | BIT(DEV_EHCI1) | BIT(DEV_VGA) },
	{ "class_code", "class_code=*00, driver=conceal", "conceal",
	  BIT(DEV_HOST) | BIT(DEV_NIC0) | BIT(DEV_VGA) | BIT(DEV_NIC1) | BIT(DEV_RTL) },
	{ "class_code", "class_code=0c03?1|ff*, driver=conceal", "conceal", 0 },

	{ "header_type", "header_type=8?, driver=conceal", "conceal",
	  BIT(DEV_EHCI1) | BIT(DEV_NIC1) },
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

	{ "number", "class=0200, number=1|2, driver=conceal", "conceal",
	  BIT(DEV_NIC1) | BIT(DEV_RTL) },
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

		ck_assert_msg(strcmp(bound_name(d), want) == 0, "'%s': device %u got %s, want %s",
			      c->text, d, bound_name(d), want);
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
		"slot", "class", "id", "subsystem", "revision", "rev",
		"programming_interface", "if", "class_code", "header_type", "device", "number",
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
			ck_assert_msg(memchr(v, '?', len) || memchr(v, '*', len) ||
				      memchr(v, '|', len),
				      "'%s': no wildcard in %s", c->text, c->key);
			q |= memchr(v, '?', len) != NULL;
			star |= memchr(v, '*', len) != NULL;
			bar |= memchr(v, '|', len) != NULL;
			if (c->devs)
				hits++;
			else
				misses++;
		}
		ck_assert_msg(hits > 0 && misses > 0, "%s: %u rows that select, %u that do not",
			      keys[k], hits, misses);
		/* and every key, each alias too, is tried with all three operators */
		ck_assert_msg(q && star && bar, "%s: ? %d * %d | %d", keys[k], q, star, bar);
	}
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
			      "driver=pro1000"), 0);
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

	ck_assert_uint_eq(run_with("device=pro1000, driver=anynic, mac=02:00:00:00:00:01",
				   extra_drivers, 5), 0);
	expect_bound(DEV_NIC0, "anynic");
	expect_bound(DEV_RTL, "-");
	ck_assert_uint_eq(bind[DEV_NIC0].noptions, 1);
	expect_option(DEV_NIC0, 0, "02:00:00:00:00:01");

	ck_assert_uint_eq(run_with("device=any*|ata, class=0200, driver=anynic",
				   extra_drivers, 5), 0);
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

	ck_assert_uint_eq(run("driver=pro1000, tty=0, and, slot=03:00.0, driver=pro1000, tty=9"),
			  0);
	expect_option(DEV_NIC1, 0, "0");
	ck_assert_int_eq(bind[DEV_NIC1].entry, 0);
}
END_TEST

START_TEST(test_blanks_are_ignored)
{
	ck_assert_uint_eq(run("  slot = 00:1f.2 ,driver= ata ,\tand\t,driver=pro1000 ,net = a b "),
			  0);
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
	u32 nentries;       /* valid entries that must remain */
	u32 dev;            /* a device a valid entry must still bind ... */
	const char *driver; /* ... to this driver ("-" = check nothing) */
};

static const struct bad_case bad_cases[] = {
	{ "and, driver=ehci", PCI_ERR_EMPTY_ENTRY, 1, "'and' at the start", 1,
	  DEV_EHCI0, "ehci" },
	{ "driver=ehci, and", PCI_ERR_EMPTY_ENTRY, 14, "'and' at the end", 1,
	  DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, and, driver=ata", PCI_ERR_EMPTY_ENTRY, 19,
	  "'and' follows another 'and'", 2, DEV_IDE, "ata" },
	{ "driver=ehci, and, clas=0c03, driver=ata", PCI_ERR_UNKNOWN_KEY, 19,
	  "unknown key 'clas'; entry 2 dropped", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, driver=foo", PCI_ERR_UNKNOWN_DRIVER, 26, "unknown driver 'foo'",
	  1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, driver=pro1000, vpn=1", PCI_ERR_UNKNOWN_OPTION, 35,
	  "driver 'pro1000' has no option 'vpn'", 1, DEV_EHCI1, "ehci" },
	{ "driver=ehci, and, class=0200", PCI_ERR_MISSING_DRIVER, 19,
	  "entry has no driver=NAME", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, driver=ata, driver=ata", PCI_ERR_DUPLICATE_DRIVER, 31,
	  "second driver= in one entry (first at column 19)", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, class, driver=ata", PCI_ERR_NO_EQUALS, 19,
	  "'class' is not key=value", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, class=, driver=ata", PCI_ERR_EMPTY_VALUE, 25,
	  "'class' has no value", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, =0200, driver=ata", PCI_ERR_EMPTY_KEY, 19,
	  "missing key before '='", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci, and, class=0101,, driver=ata", PCI_ERR_EMPTY_ITEM, 30,
	  "empty item", 1, DEV_EHCI0, "ehci" },
	{ "driver=ehci,, and, driver=ata", PCI_ERR_EMPTY_ITEM, 13, "empty item", 1,
	  DEV_IDE, "ata" },
	{ "driver=ata, and, driver=ehci,", PCI_ERR_EMPTY_ITEM, 30, "empty item", 1,
	  DEV_IDE, "ata" },
	{ ",driver=ata, and, driver=ehci", PCI_ERR_EMPTY_ITEM, 1, "empty item", 1,
	  DEV_EHCI0, "ehci" },
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
	ck_assert_msg(errs.code[0] == c->code, "'%s': code %d, want %d\n%s", c->text,
		      errs.code[0], c->code, errs.message[0]);
	ck_assert_msg(errs.column[0] == c->column, "'%s': column %u, want %u\n%s", c->text,
		      errs.column[0], c->column, errs.message[0]);
	ck_assert_msg(strstr(errs.message[0], c->fragment) != NULL,
		      "'%s': message lacks '%s':\n%s", c->text, c->fragment, errs.message[0]);
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
	static const struct pci_driver drv_checked = {
		"anynic", "any Ethernet card", "class=0200", "mac", NULL, checked_mac
	};
	static const struct pci_driver *const drivers[] = { &drv_ehci, &drv_checked };

	ck_assert_uint_eq(run_with("slot=03:00.0, driver=anynic, mac=12ab, and, "
				   "slot=04:00.0, driver=anynic, mac=0011223344ff", drivers, 2), 1);
	ck_assert_int_eq(errs.code[0], PCI_ERR_BAD_OPTION_VALUE);
	ck_assert_uint_eq(errs.column[0], 34); /* the value, 1-based */
	ck_assert_int_eq(errs.entry[0], 0);
	ck_assert_ptr_nonnull(strstr(errs.message[0],
				     "driver 'anynic' refuses mac=12ab: want 12 hex digits; entry 1 dropped"));
	expect_bound(DEV_NIC1, "-");      /* the refused entry is dropped... */
	expect_bound(DEV_RTL, "anynic");  /* ...the good one binds, with its value */
	expect_option(DEV_RTL, 0, "0011223344ff");
}
END_TEST

START_TEST(test_null_callback_counts)
{
	u32 n = pci_config_parse(&cfg, "and, clas=1, driver=ata, and", basic_drivers, 4,
				 NULL, NULL);

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
		&drv_ata, &bad_key, &uses_device, &bad_value, &bad_opts, &reserved, &dup,
		NULL, &no_sel,
	};

	ck_assert_uint_eq(run_with("driver=badkey, and, driver=ata", table, 9), 8);
	for (u32 i = 0; i < 7; i++) {
		ck_assert_int_eq(errs.code[i], PCI_ERR_BAD_DECLARATION);
		ck_assert_int_eq(errs.entry[i], -1);
	}
	ck_assert_ptr_nonnull(strstr(errs.message[0], "pci driver 'badkey': device column 1: "
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
	ck_assert_int_eq(pci_format_device_line(NULL, 0, &cfg, &devs[DEV_NIC0], &bind[DEV_NIC0]),
			 n);
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
	tcase_add_loop_test(tc, test_wildcard_table, 0,
			    (int)(sizeof(wild_cases) / sizeof(wild_cases[0])));
	tcase_add_test(tc, test_wildcard_table_covers_every_key);
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
