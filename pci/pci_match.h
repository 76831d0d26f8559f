/**
 * @file pci/pci_match.h
 * @brief Device selectors of the PCI driver grammar: wildcards and matching (pure).
 *
 * A selector is a list of `key=value` items; a device matches when every
 * item matches (case-sensitive). Before matching, the device's field named by
 * the key is printed in a fixed format (`class` is `%04x` of class_code >> 8,
 * `id` is `%04x:%04x`, ...); the value is a pattern over that text where `?`
 * is any one character, `*` is any run of characters (even none) and `|`
 * separates alternatives. Chapter 06 of the book walks through this file.
 *
 * Three keys are not single fields of the device:
 * - `device` matches the names of the drivers whose own default selector
 *   matches the device (its "candidate" names); any one may match.
 * - `capability` (alias `cap`) matches the IDs of the device's capability
 *   list (pci_device_desc.cap_ids), each printed `%02x`; it matches when any
 *   one ID matches the pattern. A device without capabilities matches no
 *   `capability` item, not even `*`.
 * - `number` matches the device's index (`%d`: 0, 1, 2, ...) among the devices,
 *   in enumeration order, that match the other items of the same selector.
 *   The caller counts; pci_selector_match_number() only compares.
 */
#ifndef BOOKVISOR_PCI_PCI_MATCH_H
#define BOOKVISOR_PCI_PCI_MATCH_H

#include "common/lib/types.h"

/** Most items one selector holds (a config entry or a driver's default). */
#define PCI_SEL_MAX_ITEMS 16
/** Most drivers a driver table holds (and so most candidate names of a device). */
#define PCI_MAX_DRIVERS 16
/** Size of a buffer that holds any formatted key value, NUL included. */
#define PCI_SEL_VALUE_MAX 16
/** Most capability IDs one device records (pci_device_desc.cap_ids). */
#define PCI_DESC_MAX_CAPS 16

/**
 * What the enumeration code knows about one PCI function. Pure data: the
 * matcher reads nothing else, so tests can build devices by hand.
 */
struct pci_device_desc {
    u8 bus; /**< bus number */
    u8 device; /**< device number, 0..31 */
    u8 function; /**< function number, 0..7 */
    u8 revision; /**< revision ID (config offset 0x08) */
    u16 vendor_id; /**< vendor ID (offset 0x00) */
    u16 device_id; /**< device ID (offset 0x02) */
    u32 class_code; /**< 24-bit class code: base, sub-class, programming interface */
    u8 header_type; /**< header type (offset 0x0e), bit 7 = multi-function */
    u16 subsys_vendor; /**< subsystem vendor ID (type 0 header, offset 0x2c) */
    u16 subsys_id; /**< subsystem ID (type 0 header, offset 0x2e) */
    u8 ncaps; /**< capability IDs recorded in cap_ids */
    /** The distinct IDs of the capability list, in list order (pci_read_capability_ids()). */
    u8 cap_ids[PCI_DESC_MAX_CAPS];
};

/** The programming interface: the low byte of the class code. */
static inline u8 pci_device_prog_if(const struct pci_device_desc *dev)
{
    return (u8)(dev->class_code & 0xff);
}

/** The selector keys. Aliases (`rev`, `if`) map to the same key. */
enum pci_sel_key {
    PCI_KEY_SLOT, /**< `slot`: bus, device, function as bb:dd.f (two, two, one hex digits) */
    PCI_KEY_CLASS, /**< `class`: `%04x` class_code >> 8 */
    PCI_KEY_ID, /**< `id`: `%04x:%04x` vendor, device */
    PCI_KEY_SUBSYSTEM, /**< `subsystem`: `%04x:%04x` subsystem vendor, id */
    PCI_KEY_REVISION, /**< `revision`, `rev`: `%02x` */
    PCI_KEY_PROG_IF, /**< `programming_interface`, `if`: `%02x` */
    PCI_KEY_CLASS_CODE, /**< `class_code`: `%06x` */
    PCI_KEY_HEADER_TYPE, /**< `header_type`: `%02x` */
    PCI_KEY_DEVICE, /**< `device`: a candidate driver name */
    PCI_KEY_NUMBER, /**< `number`: `%d` index among matching devices */
    PCI_KEY_CAPABILITY, /**< `capability`, `cap`: any ID of the capability list, `%02x` */
    PCI_KEY_COUNT /**< number of keys; not a key */
};

/** One `key=value` item. value need not be NUL-terminated. */
struct pci_sel_item {
    const char *value; /**< the pattern */
    u16 value_len; /**< its length in bytes */
    u16 column; /**< 1-based column of the item in its source string */
    u8 key; /**< an enum pci_sel_key */
};

/** A parsed selector: every item must match. */
struct pci_selector {
    u32 count; /**< items in use */
    struct pci_sel_item items[PCI_SEL_MAX_ITEMS]; /**< the items, in source order */
};

/** The candidate driver names of one device, for the `device` key. */
struct pci_device_names {
    u32 count; /**< names in use */
    const char *names[PCI_MAX_DRIVERS]; /**< NUL-terminated driver names */
};

/** Why a value pattern can never be right for its key (see pci_sel_check_value()). */
enum pci_value_problem {
    PCI_VALUE_OK, /**< nothing wrong */
    PCI_VALUE_EMPTY, /**< the whole value is empty */
    PCI_VALUE_EMPTY_ALTERNATIVE, /**< `|` at either end or `||` */
    PCI_VALUE_UPPERCASE_HEX, /**< `A`..`F`: values are printed in lowercase */
    PCI_VALUE_BAD_CHAR, /**< a character the formatted value never has */
    PCI_VALUE_WRONG_WIDTH, /**< an alternative without `*` of the wrong length */
};

/**
 * Match text against a pattern with `?`, `*` and `|` alternatives.
 * Runs without recursion in O(plen * tlen) at worst, so hostile patterns
 * such as `*a*a*a*a*b` cannot blow up the time or the stack.
 * @return true if any alternative matches the whole text
 */
bool pci_wildcard_match(const char *pattern, size_t plen, const char *text, size_t tlen);

/**
 * Look a key name up (exact, case-sensitive, aliases included).
 * @return true and *key set, or false for an unknown name
 */
bool pci_sel_key_lookup(const char *name, size_t len, enum pci_sel_key *key);

/** The canonical name of a key (e.g. "revision" for `rev`), or "?" if invalid. */
const char *pci_sel_key_name(enum pci_sel_key key);

/**
 * Length in characters of every formatted value of a fixed-width key
 * (7 for slot, 4 for class, 2 for each capability ID, ...), or 0 for `device`
 * and `number`.
 */
u32 pci_sel_key_width(enum pci_sel_key key);

/**
 * Print the device field that key names, as matching sees it.
 * @param key which field
 * @param dev the device
 * @param buf at least PCI_SEL_VALUE_MAX bytes
 * @return the length written, or 0 for `device`, `number`, `capability` (a
 *         list, not one value) and invalid keys
 */
size_t pci_sel_format(enum pci_sel_key key, const struct pci_device_desc *dev, char *buf);

/**
 * Check that a value pattern could ever match for its key: no empty
 * alternative, only characters the printed value can have (lowercase hex
 * digits, colons and dots where the format has them, digits for `number`, plus
 * the wildcards), and a length equal to the key's width for alternatives
 * without `*`. `device` values are only checked for empty alternatives.
 * @param key    the key the value is for
 * @param value  the pattern (need not be NUL-terminated)
 * @param len    its length
 * @param bad_at receives the offset in value of the first wrong character
 *               (or of the wrong alternative); may be NULL
 */
enum pci_value_problem pci_sel_check_value(enum pci_sel_key key, const char *value, size_t len,
                                           size_t *bad_at);

/**
 * True if every item except `number` items matches dev. An empty selector,
 * or one with only `number` items, matches every device.
 * @param sel   the selector
 * @param dev   the device
 * @param names candidate names for `device` items; NULL = no candidates
 */
bool pci_selector_match_plain(const struct pci_selector *sel, const struct pci_device_desc *dev,
                              const struct pci_device_names *names);

/** True if every `number` item matches index (true when there are none). */
bool pci_selector_match_number(const struct pci_selector *sel, u32 index);

/** True if the selector has at least one item other than `number`. */
bool pci_selector_has_plain_items(const struct pci_selector *sel);

#endif
