/*
 * pci/pci_vmm.c - PCI at boot: enumerate, bind, list, intercept (chapter 06).
 */
#include "pci/pci.h"
#include "common/base/kprintf.h"
#include "common/base/options.h"
#include "pci/pci_access.h"
#include "pci/pci_drivers.h"
#include "pci/pci_intercept.h"

static struct pci_device devices[PCI_MAX_FUNCTIONS];
static u32 ndevices;

static u32 fill_devices(void)
{
    static struct pci_function found[PCI_MAX_FUNCTIONS];
    struct pci_enum_result r = pci_enumerate(&pci_hw_ops, found, PCI_MAX_FUNCTIONS);

    if (r.truncated)
        kprintf("bookvisor: pci: more than %u functions; the rest pass through unseen\n",
                PCI_MAX_FUNCTIONS);
    for (u32 i = 0; i < r.count; i++)
        devices[i].fn = found[i];
    return r.count;
}

void pci_init(struct guest_vm *vm, const struct pci_driver *const *drivers, u32 ndrivers)
{
    const struct pci_ecam_window *w;
    u32 bound = 0, concealed = 0;

    pci_access_init();
    w = pci_ecam_window();
    ndevices = fill_devices();
    pci_drivers_bind(devices, ndevices, drivers, ndrivers, vmm_options.pci_config);
    for (u32 i = 0; i < ndevices; i++) {
        bound += devices[i].binding.kind == PCI_BIND_DRIVER;
        concealed += devices[i].binding.kind == PCI_BIND_CONCEAL || devices[i].hidden;
    }
    if (w)
        kprintf("bookvisor: pci: %u functions, ECAM at 0x%llx (buses %02x-%02x), "
                "%u bound, %u concealed\n",
                ndevices, (unsigned long long)w->base, w->start_bus, w->end_bus, bound, concealed);
    else
        kprintf("bookvisor: pci: %u functions, ports 0xCF8/0xCFC only, "
                "%u bound, %u concealed\n",
                ndevices, bound, concealed);
    if (vmm_options.pci_list)
        pci_drivers_print_list(devices, ndevices);
    pci_intercept_install(vm, devices, ndevices);
}

u32 pci_print_list(void)
{
    /* devices[] is written once, before the guest and the shell run. */
    pci_drivers_print_list(devices, ndevices);
    return ndevices;
}
