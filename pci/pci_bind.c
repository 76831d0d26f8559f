/*
 * pci/pci_bind.c - from a parsed configuration to what each device gets, and
 * the device-list line (chapter 06). Pure: the parser is pci/pci_config.c;
 * both are declared in pci/pci_config.h.
 */
#include "common/lib/format.h"
#include "common/lib/kstring.h"
#include "pci/pci_config.h"

void pci_config_device_names(const struct pci_config *cfg, const struct pci_device_desc *dev,
                             struct pci_device_names *names)
{
    names->count = 0;
    for (u32 i = 0; i < cfg->ndrivers && i < PCI_MAX_DRIVERS; i++) {
        const struct pci_config_driver *d = &cfg->drivers[i];

        if (d->defaults.count > 0 && pci_selector_match_plain(&d->defaults, dev, NULL))
            names->names[names->count++] = d->driver->name;
    }
}

/** Set b to "driver d with these options". */
static void bind_driver(struct pci_binding *b, const struct pci_config_driver *d,
                        const char *const *options)
{
    b->kind = PCI_BIND_DRIVER;
    b->driver = d->driver;
    b->noptions = d->noptions;
    for (u32 i = 0; i < d->noptions; i++)
        b->options[i] = options ? options[i] : NULL;
}

void pci_config_bind(const struct pci_config *cfg, const struct pci_device_desc *devs, u32 ndevs,
                     struct pci_binding *out)
{
    u32 counts[PCI_CONFIG_MAX_ENTRIES] = { 0 };
    struct pci_device_names names;

    for (u32 n = 0; n < ndevs; n++) {
        const struct pci_device_desc *dev = &devs[n];
        struct pci_binding *b = &out[n];

        KSTR(memset)(b, 0, sizeof(*b));
        b->kind = PCI_BIND_UNBOUND;
        b->entry = -1;
        if (cfg->use_defaults) {
            for (u32 i = 0; i < cfg->ndrivers; i++) {
                const struct pci_config_driver *d = &cfg->drivers[i];

                if (d->defaults.count > 0 && pci_selector_match_plain(&d->defaults, dev, NULL)) {
                    bind_driver(b, d, NULL);
                    break;
                }
            }
            continue;
        }
        pci_config_device_names(cfg, dev, &names);
        /* every entry counts every device it selects, even once bound,
         * so `number` does not depend on the entries before it */
        for (u32 e = 0; e < cfg->nentries; e++) {
            const struct pci_config_entry *entry = &cfg->entries[e];
            const struct pci_selector *sel = &entry->selector;

            if (!pci_selector_has_plain_items(sel)) {
                if (entry->kind != PCI_BIND_DRIVER)
                    continue;
                sel = &cfg->drivers[entry->driver].defaults;
                if (sel->count == 0)
                    continue;
            }
            if (!pci_selector_match_plain(sel, dev, &names))
                continue;
            if (!pci_selector_match_number(&entry->selector, counts[e]++))
                continue;
            if (b->kind != PCI_BIND_UNBOUND)
                continue;
            b->entry = (s32)e;
            if (entry->kind == PCI_BIND_DRIVER)
                bind_driver(b, &cfg->drivers[entry->driver], entry->options);
            else
                b->kind = entry->kind;
        }
    }
}

int pci_format_device_line(char *buf, size_t size, const struct pci_config *cfg,
                           const struct pci_device_desc *dev, const struct pci_binding *binding)
{
    struct pci_device_names names;
    size_t pos = 0;

    if (size > 0)
        buf[0] = '\0';
    pci_config_device_names(cfg, dev, &names);
    ksnappendf(buf, size, &pos, "[%02x:%02x.%u] %06x: %04X:%04X (", dev->bus, dev->device,
               dev->function & 7u, dev->class_code & 0xffffffu, dev->vendor_id, dev->device_id);
    for (u32 i = 0; i < names.count; i++)
        ksnappendf(buf, size, &pos, "%s%s", i ? " " : "", names.names[i]);
    ksnappendf(buf, size, &pos, ")");
    if (binding && binding->kind == PCI_BIND_DRIVER && binding->driver)
        ksnappendf(buf, size, &pos, " %s", binding->driver->name);
    else if (binding && binding->kind == PCI_BIND_NONE)
        ksnappendf(buf, size, &pos, " none");
    else if (binding && binding->kind == PCI_BIND_CONCEAL)
        ksnappendf(buf, size, &pos, " conceal");
    return (int)pos;
}
