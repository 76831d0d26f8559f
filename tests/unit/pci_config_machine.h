/*
 * tests/unit/pci_config_machine.h - the synthetic machine, stand-in drivers and
 * helpers shared by the pci_config unit tests (test_pci_config.c and
 * test_pci_config_wildcards.c). Included by test files only.
 */
#ifndef BOOKVISOR_TESTS_UNIT_PCI_CONFIG_MACHINE_H
#define BOOKVISOR_TESTS_UNIT_PCI_CONFIG_MACHINE_H

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "pci/pci_config.h"

/* ---- a synthetic machine ------------------------------------------------ */

enum {
    DEV_HOST, /* 00:00.0 host bridge */
    DEV_NIC0, /* 00:19.0 Intel GbE, pro1000 */
    DEV_EHCI0, /* 00:1a.7 EHCI */
    DEV_EHCI1, /* 00:1d.7 EHCI */
    DEV_AHCI, /* 00:1f.2 SATA in AHCI mode: not ata's default */
    DEV_IDE, /* 00:1f.5 IDE: ata's default */
    DEV_VGA, /* 02:00.0 display */
    DEV_NIC1, /* 03:00.0 Intel GbE, pro1000 */
    DEV_RTL, /* 04:00.0 Realtek NIC, no driver */
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
    "pro1000",
    "Intel PRO/1000",
    "class_code=020000, id=8086:105e|8086:1081|8086:10f5",
    "tty,net",
    NULL,
    NULL
};
static const struct pci_driver drv_vga = { "vga", "display", "id=1234:*, class_code=030000",
                                           NULL,  NULL,      NULL };
static const struct pci_driver drv_anynic = { "anynic",     "any Ethernet card",
                                              "class=0200", "mac",
                                              NULL,         NULL };

static const struct pci_driver *const basic_drivers[] = {
    &drv_ata,
    &drv_ehci,
    &drv_pro1000,
    &drv_vga,
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

static inline void capture(void *ctx, const struct pci_config_error *err)
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
static inline u32 run_with(const char *text, const struct pci_driver *const *drivers, u32 n)
{
    u32 nerr;

    memset(&errs, 0, sizeof(errs));
    nerr = pci_config_parse(&cfg, text, drivers, n, capture, &errs);
    ck_assert_uint_eq(nerr, errs.count);
    ck_assert_uint_eq(nerr, cfg.nerrors);
    pci_config_bind(&cfg, devs, NDEVS, bind);
    return nerr;
}

static inline u32 run(const char *text)
{
    return run_with(text, basic_drivers, 4);
}

static inline const char *bound_name(u32 dev)
{
    switch (bind[dev].kind) {
    case PCI_BIND_DRIVER: return bind[dev].driver->name;
    case PCI_BIND_NONE: return "none";
    case PCI_BIND_CONCEAL: return "conceal";
    default: return "-";
    }
}

static inline void expect_bound(u32 dev, const char *name)
{
    ck_assert_msg(strcmp(bound_name(dev), name) == 0, "device %u: got %s, want %s", dev,
                  bound_name(dev), name);
}

static inline void expect_option(u32 dev, u32 i, const char *value)
{
    if (!value)
        ck_assert_msg(bind[dev].options[i] == NULL, "device %u option %u not NULL", dev, i);
    else
        ck_assert_msg(bind[dev].options[i] && strcmp(bind[dev].options[i], value) == 0,
                      "device %u option %u: want %s", dev, i, value);
}

#endif
