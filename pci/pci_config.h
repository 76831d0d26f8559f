/**
 * @file pci/pci_config.h
 * @brief The PCI driver configuration string: parse it, bind devices to drivers (pure).
 *
 * Drivers always register; the configuration string (`vmm.driver.pci=...`)
 * decides which driver takes which device. Grammar, items separated by commas
 * (blanks around items and around `=` are ignored):
 *
 *     config   = entry { ", and, " entry }
 *     entry    = { selector-item } "driver=" NAME { option-item }
 *     selector-item = KEY "=" PATTERN       (keys: see pci/pci_match.h)
 *     option-item   = OPTION "=" VALUE      (OPTION declared by driver NAME)
 *
 * `driver=none` binds nothing and `driver=conceal` hides the device from the
 * guest; both need selector items and take no options. An entry whose only
 * selector items are `number` items (or that has none) selects what the
 * named driver's own default selector matches.
 *
 * Binding: devices are taken in enumeration order and each binds to the
 * first entry that selects it; an entry binds every device it selects. The
 * `number` of a device for an entry is its index among the devices that
 * match that entry's other selector items (or the driver's default selector),
 * counted over all devices whether or not an earlier entry took them, so
 * `device=pro1000, number=0` is always the machine's first pro1000 device.
 * Devices no entry selects stay unbound. With no string at all (NULL, empty
 * or blanks only) every device binds to the first driver, in table order,
 * whose default selector matches it.
 *
 * Errors: every problem is reported once through a callback with the column
 * and a caret line under the string; the entry holding it is dropped (one
 * message per entry: the first problem) and the other entries stay in force.
 * A driver whose declaration is wrong (bad default selector or option list,
 * bad or duplicate name) is reported the same way and left out of the table.
 *
 * No heap: everything lives in a caller-provided struct pci_config (about
 * 18 KiB; keep it static, not on a small stack). Chapter 06 explains this.
 */
#ifndef BOOKVISOR_PCI_PCI_CONFIG_H
#define BOOKVISOR_PCI_PCI_CONFIG_H

#include "common/lib/types.h"
#include "pci/pci_match.h"

/** Longest configuration string; longer ones lose the entries past this. */
#define PCI_CONFIG_MAX_LEN 1023
/** Most entries (parts between `and`) kept from one string. */
#define PCI_CONFIG_MAX_ENTRIES 32
/** Most options one driver may declare. */
#define PCI_DRIVER_MAX_OPTIONS 8
/** Size of the buffer every error message is built in, NUL included. */
#define PCI_CONFIG_MESSAGE_MAX 400

/** Callbacks of a driver (new, config_read, config_write); defined by the VMM layer. */
struct pci_driver_ops;

/** A driver's declaration, as it registers with the PCI layer. */
struct pci_driver {
    const char *name; /**< short name, also the device name in `device=` */
    const char *longname; /**< one-line description for humans */
    const char *device; /**< default selector, e.g. "class_code=0c0320"; NULL = none */
    const char *driver_options; /**< option names, e.g. "tty,net"; NULL = none */
    const struct pci_driver_ops *ops; /**< callbacks; opaque to this module */
    /**
     * Optional: why option number @p index (in driver_options order) cannot
     * take @p value, or NULL if it can. Called while the string is parsed, so
     * a bad value is reported with its column and its entry dropped, like any
     * other mistake, instead of surfacing later without a position.
     */
    const char *(*check_option)(u32 index, const char *value);
};

/** What a configuration entry (or binding) does with a device. */
enum pci_bind_kind {
    PCI_BIND_UNBOUND, /**< nothing selected the device */
    PCI_BIND_DRIVER, /**< a driver takes the device */
    PCI_BIND_NONE, /**< `driver=none`: explicitly nothing */
    PCI_BIND_CONCEAL, /**< `driver=conceal`: hidden from the guest */
};

/** Kinds of problems, so tests and tools need not parse message text. */
enum pci_config_errcode {
    PCI_ERR_TOO_LONG, /**< string longer than PCI_CONFIG_MAX_LEN */
    PCI_ERR_EMPTY_ITEM, /**< `,,`, or a comma at either end */
    PCI_ERR_NO_EQUALS, /**< an item that is neither `key=value` nor `and` */
    PCI_ERR_EMPTY_KEY, /**< `=value` */
    PCI_ERR_EMPTY_VALUE, /**< `key=` */
    PCI_ERR_UNKNOWN_KEY, /**< selector key not in the table */
    PCI_ERR_BAD_VALUE, /**< pattern that can never match (see pci_sel_check_value()) */
    PCI_ERR_UNKNOWN_DEVICE, /**< `device=` names no driver */
    PCI_ERR_TOO_MANY_ITEMS, /**< more than PCI_SEL_MAX_ITEMS selector items */
    PCI_ERR_UNKNOWN_DRIVER, /**< `driver=` names no driver */
    PCI_ERR_DUPLICATE_DRIVER, /**< second `driver=` in one entry */
    PCI_ERR_MISSING_DRIVER, /**< entry without `driver=` */
    PCI_ERR_UNKNOWN_OPTION, /**< option the driver did not declare */
    PCI_ERR_DUPLICATE_OPTION, /**< option given twice */
    PCI_ERR_NO_OPTIONS, /**< option after `driver=none` or `driver=conceal` */
    PCI_ERR_NEEDS_SELECTOR, /**< `driver=none`/`conceal` without selector items */
    PCI_ERR_EMPTY_ENTRY, /**< `and` at the start, at the end, or doubled */
    PCI_ERR_TOO_MANY_ENTRIES, /**< more than PCI_CONFIG_MAX_ENTRIES entries */
    PCI_ERR_BAD_DECLARATION, /**< a driver's declaration is wrong; driver left out */
    PCI_ERR_BAD_OPTION_VALUE, /**< the driver's check_option() refused a value */
};

/** One reported problem. */
struct pci_config_error {
    /** what kind of problem; every declaration problem is PCI_ERR_BAD_DECLARATION */
    enum pci_config_errcode code;
    /**
     * 1-based column in the string shown: the start of the offending item or
     * key, or the offending character of a value; for a missing value the
     * column just after '=' (may be length + 1)
     */
    u32 column;
    s32 entry; /**< 0-based entry index in the config string; -1 for declarations */
    const char *driver; /**< the driver's name for PCI_ERR_BAD_DECLARATION, else NULL */
    /**
     * Three lines joined by '\n' (no final newline): the message, the string
     * (or a window of it, with "..."), and a caret under the column, e.g.
     * `pci config: column 12: unknown key 'clas'; entry 1 dropped`.
     * Valid only during the callback.
     */
    const char *message;
};

/** Receives each problem found by pci_config_parse(). */
typedef void (*pci_config_error_fn)(void *ctx, const struct pci_config_error *err);

/** One valid entry of the configuration string. */
struct pci_config_entry {
    struct pci_selector selector; /**< the selector items written before `driver=` */
    enum pci_bind_kind kind; /**< DRIVER, NONE or CONCEAL */
    u32 driver; /**< index in pci_config.drivers when kind is DRIVER */
    u32 column; /**< 1-based column where the entry starts */
    /** option values in the driver's declared order, NULL where not given */
    const char *options[PCI_DRIVER_MAX_OPTIONS];
};

/** A usable driver with its parsed declaration. */
struct pci_config_driver {
    const struct pci_driver *driver; /**< the declaration */
    struct pci_selector defaults; /**< its default selector; empty = matches nothing */
    u32 noptions; /**< declared options */
    const char *option_names[PCI_DRIVER_MAX_OPTIONS]; /**< into driver_options, not terminated */
    u16 option_lens[PCI_DRIVER_MAX_OPTIONS]; /**< lengths of option_names */
};

/**
 * Everything pci_config_parse() produces. Holds pointers into itself and
 * into the drivers' strings: do not copy it, keep the drivers alive.
 */
struct pci_config {
    u32 ndrivers; /**< usable drivers */
    struct pci_config_driver drivers[PCI_MAX_DRIVERS]; /**< in registration order */
    bool use_defaults; /**< no string: default binding */
    u32 nentries; /**< valid entries */
    struct pci_config_entry entries[PCI_CONFIG_MAX_ENTRIES]; /**< in string order */
    u32 nerrors; /**< problems reported */
    /** copy of the string; option values point into it (NUL-terminated) */
    char text[PCI_CONFIG_MAX_LEN + 1];
};

/** The outcome for one device. */
struct pci_binding {
    enum pci_bind_kind kind; /**< what happens to the device */
    const struct pci_driver *driver; /**< the driver when kind is DRIVER, else NULL */
    s32 entry; /**< index in pci_config.entries; -1 if none */
    u32 noptions; /**< the driver's declared option count */
    /** option values in declared order, NULL where not given (point into the config) */
    const char *options[PCI_DRIVER_MAX_OPTIONS];
};

/**
 * Check the driver declarations and parse the configuration string.
 * Never fails as a whole: bad entries and bad drivers are reported and left
 * out, the rest is kept.
 * @param cfg      receives the result (fully overwritten)
 * @param text     the configuration string; NULL, "" or blanks = default binding
 * @param drivers  the registered drivers, in registration order (NULL entries are skipped with an error)
 * @param ndrivers number of pointers in drivers
 * @param on_error called once per problem; may be NULL
 * @param ctx      passed to on_error
 * @return the number of problems reported (also in cfg->nerrors)
 */
u32 pci_config_parse(struct pci_config *cfg, const char *text,
                     const struct pci_driver *const *drivers, u32 ndrivers,
                     pci_config_error_fn on_error, void *ctx);

/**
 * The device's candidate names: every usable driver whose default selector
 * matches it, in table order.
 */
void pci_config_device_names(const struct pci_config *cfg, const struct pci_device_desc *dev,
                             struct pci_device_names *names);

/**
 * Decide the binding of every device (see the file comment for the rules).
 * @param cfg  the parsed configuration
 * @param ndevs number of devices
 * @param devs the devices in enumeration order
 * @param out  ndevs bindings, one per device
 */
void pci_config_bind(const struct pci_config *cfg, const struct pci_device_desc *devs, u32 ndevs,
                     struct pci_binding *out);

/**
 * Format one line of the device list, without a newline:
 * `[00:19.0] 020000: 8086:10F5 (pro1000) pro1000` = slot, class code,
 * vendor:device in uppercase hex, the candidate names separated by single
 * spaces inside parentheses (`()` when there are none), then the bound
 * driver's name, `none` or `conceal` (nothing, and no space, when unbound
 * or binding is NULL).
 * @return the length the full line would have had (like ksnprintf())
 */
int pci_format_device_line(char *buf, size_t size, const struct pci_config *cfg,
                           const struct pci_device_desc *dev, const struct pci_binding *binding);

#endif
