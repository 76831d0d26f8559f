/**
 * @file tests/guest/pci_util.h
 * @brief What the PCI checks share: slots, the ECAM window, parsing slots and hex.
 */
#ifndef GUEST_PCI_UTIL_H
#define GUEST_PCI_UTIL_H

#include "check.h"
#include "gtypes.h"

/** A function's address. */
struct slot {
    u8 bus; /**< bus number */
    u8 dev; /**< device number, 0..31 */
    u8 fn; /**< function number, 0..7 */
};

/** The segment-0 ECAM window of the MCFG table. */
struct pci_ecam {
    u32 base; /**< physical address of bus start's configuration space */
    u8 start; /**< first bus */
    u8 end; /**< last bus */
};

/** Find the segment-0 window below 4 GiB; false when there is no MCFG table or none fits. */
bool pci_find_ecam(struct pci_ecam *out);

/** Where byte off of slot s's configuration space is in the window, NULL outside it. */
volatile u8 *pci_ecam_ptr(const struct pci_ecam *w, struct slot s, u32 off);

/** Parse n hex digits at s into *out; false on a non-digit. */
bool parse_hex(const char *s, u32 n, u32 *out);

/** "bb:dd.f" at s (7 characters). */
bool parse_slot(const char *s, struct slot *out);

/**
 * A comma list of at most max slots; false (with the reason in @p res,
 * naming @p key) on a malformed one.
 */
bool parse_slot_list(const char *v, u32 len, struct slot *out, u32 *n, u32 max,
                     struct check_result *res, const char *key);

#endif
