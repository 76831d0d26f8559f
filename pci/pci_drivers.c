/*
 * pci/pci_drivers.c - the configuration string meets the devices.
 *
 * The parsed configuration stays in a static struct pci_config: bindings
 * point into it (option values), and so must outlive the guest.
 */
#include "pci/pci_drivers.h"
#include "common/lib/format.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "pci/pci_access.h"

static struct pci_config config;

/* Print each line of a three-line message behind the common prefix. */
static void print_problem(void *ctx, const struct pci_config_error *err)
{
    const char *line = err->message;

    (void)ctx;
    /* "pci config: ..." reads better as "bookvisor: pci: config: ..." */
    if (strncmp(line, "pci ", 4) == 0)
        line += 4;
    while (*line) {
        const char *end = line;

        while (*end && *end != '\n')
            end++;
        kprintf("bookvisor: pci: %.*s\n", (int)(end - line), line);
        line = *end ? end + 1 : end;
    }
}

u32 pci_drivers_bind(struct pci_device *devs, u32 ndevs, const struct pci_driver *const *drivers,
                     u32 ndrivers, const char *text)
{
    static struct pci_device_desc descs[PCI_MAX_FUNCTIONS];
    static struct pci_binding bindings[PCI_MAX_FUNCTIONS];
    char slot[8];
    u32 problems;

    problems = pci_config_parse(&config, text, drivers, ndrivers, print_problem, NULL);
    if (problems)
        kprintf("bookvisor: pci: %u problem(s) in the driver configuration; "
                "the valid entries are used\n",
                problems);
    if (ndevs > PCI_MAX_FUNCTIONS)
        ndevs = PCI_MAX_FUNCTIONS;
    for (u32 i = 0; i < ndevs; i++)
        descs[i] = devs[i].fn.desc;
    pci_config_bind(&config, descs, ndevs, bindings);
    for (u32 i = 0; i < ndevs; i++) {
        struct pci_device *dev = &devs[i];
        const struct pci_driver_ops *ops;

        dev->binding = bindings[i];
        dev->driver_data = NULL;
        dev->hidden = false;
        pci_device_slot(dev, slot);
        if (dev->binding.kind == PCI_BIND_CONCEAL)
            kprintf("bookvisor: pci: conceal %s class %06x %04x:%04x\n", slot,
                    dev->fn.desc.class_code, dev->fn.desc.vendor_id, dev->fn.desc.device_id);
        if (dev->binding.kind != PCI_BIND_DRIVER)
            continue;
        ops = dev->binding.driver->ops;
        if (ops && ops->new_device &&
            !ops->new_device(dev, dev->binding.options, dev->binding.noptions)) {
            kprintf("bookvisor: pci: %s: driver %s refused the device\n", slot,
                    dev->binding.driver->name);
            memset(&dev->binding, 0, sizeof(dev->binding));
            dev->binding.kind = PCI_BIND_UNBOUND;
            dev->binding.entry = -1;
            dev->hidden = false;
        } else if (dev->hidden) {
            kprintf("bookvisor: pci: conceal %s class %06x %04x:%04x (driver %s owns it)\n", slot,
                    dev->fn.desc.class_code, dev->fn.desc.vendor_id, dev->fn.desc.device_id,
                    dev->binding.driver->name);
        }
    }
    return problems;
}

void pci_drivers_print_list(const struct pci_device *devs, u32 ndevs)
{
    char line[160];

    for (u32 i = 0; i < ndevs; i++) {
        pci_format_device_line(line, sizeof(line), &config, &devs[i].fn.desc, &devs[i].binding);
        kprintf("bookvisor: pci: %s\n", line);
    }
}

u32 pci_device_read(const struct pci_device *dev, u16 offset, u8 size)
{
    struct pci_cfgspace_addr a = { dev->fn.desc.bus, dev->fn.desc.device, dev->fn.desc.function,
                                   offset };

    return pci_hw_read(&a, size);
}

void pci_device_write(const struct pci_device *dev, u16 offset, u8 size, u32 value)
{
    struct pci_cfgspace_addr a = { dev->fn.desc.bus, dev->fn.desc.device, dev->fn.desc.function,
                                   offset };

    pci_hw_write(&a, size, value);
}

const char *pci_device_slot(const struct pci_device *dev, char *buf)
{
    ksnprintf(buf, 8, "%02x:%02x.%u", dev->fn.desc.bus, dev->fn.desc.device,
              dev->fn.desc.function & 7u);
    return buf;
}
