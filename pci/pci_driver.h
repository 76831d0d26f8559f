/**
 * @file pci/pci_driver.h
 * @brief What a PCI driver inside bookvisor sees: its callbacks and its device (VMM only).
 *
 * A driver is a struct pci_driver (pci/pci_config.h: name, longname,
 * default selector, option names) whose ops point to a struct
 * pci_driver_ops. Every driver is listed in the static table
 * the driver table (drivers/drivers.h): drivers always register, and the
 * `vmm.driver.pci=` string decides which device each one takes.
 *
 * Once a device is bound, every guest configuration access to it, through
 * 0xCF8/0xCFC or through its ECAM page, goes to the driver's config_read
 * or config_write first. A callback that returns PCI_CONFIG_PASS lets the
 * access reach the hardware as if nothing were bound.
 */
#ifndef BOOKVISOR_PCI_PCI_DRIVER_H
#define BOOKVISOR_PCI_PCI_DRIVER_H

#include "common/lib/types.h"
#include "pci/pci_config.h"
#include "pci/pci_enum.h"

/**
 * A driver's mediation of one of its device's memory BARs (a NIC under
 * `net=pass`), and optionally of one I/O BAR: the guest keeps seeing the
 * device, but every access it makes to those BARs goes to the driver
 * instead of the device, and the device's other BARs are dark to the guest
 * (pci/pci_mediate.h).
 */
struct pci_mediator {
    u32 bar; /**< the memory BAR's index */
    /**
     * The guest accesses size (1, 2, 4 or 8) bytes at offset in the BAR,
     * offset a multiple of size. A read stores the result in *value.
     * @param driver_data the device's driver_data
     */
    void (*access)(void *driver_data, u64 offset, u8 size, bool write, u64 *value);
    u32 io_bar; /**< the I/O BAR's index, when io_access is set */
    /**
     * The guest accesses size (1, 2 or 4) bytes at offset in the I/O BAR (the
     * whole access inside it). NULL: the I/O BAR is dark like the others.
     */
    void (*io_access)(void *driver_data, u32 offset, u8 size, bool write, u32 *value);
};

/** A function bookvisor found, with its binding. */
struct pci_device {
    struct pci_function fn; /**< what enumeration read: IDs, BARs, capabilities */
    struct pci_binding binding; /**< what the configuration decided */
    void *driver_data; /**< the bound driver's own state */
    /**
     * Set by the driver's new_device when it owns the device alone (a NIC
     * under `net=ip`): the guest then sees the function as absent and its
     * BARs dark, exactly as with `driver=conceal`.
     */
    bool hidden;
    /** Set by the driver's new_device to mediate a BAR the guest keeps seeing; NULL: none. */
    const struct pci_mediator *mediator;
};

/** What a config callback did with the access. */
enum pci_config_result {
    PCI_CONFIG_PASS, /**< not handled: bookvisor does the access on the hardware */
    PCI_CONFIG_DONE, /**< handled (a read has stored *value) */
};

/** A driver's callbacks. Any may be NULL. */
struct pci_driver_ops {
    /**
     * A device was bound to the driver, before the guest runs.
     * @param options the option values in the driver's declared order, NULL where not given
     * @return false to refuse the device (it then stays unbound and passes through)
     */
    bool (*new_device)(struct pci_device *dev, const char *const *options, u32 noptions);
    /** The guest reads size (1, 2 or 4) bytes at offset. */
    enum pci_config_result (*config_read)(struct pci_device *dev, u16 offset, u8 size, u32 *value);
    /** The guest writes size (1, 2 or 4) bytes at offset. */
    enum pci_config_result (*config_write)(struct pci_device *dev, u16 offset, u8 size, u32 value);
};

/** Read the device's configuration space on the hardware (for drivers). */
u32 pci_device_read(const struct pci_device *dev, u16 offset, u8 size);

/** Write the device's configuration space on the hardware (for drivers). */
void pci_device_write(const struct pci_device *dev, u16 offset, u8 size, u32 value);

/** "bb:dd.f" of the device into buf (at least 8 bytes); returns buf. */
const char *pci_device_slot(const struct pci_device *dev, char *buf);

#endif
