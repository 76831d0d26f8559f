/**
 * @file pci/pci_intercept.h
 * @brief Intercepting the guest's configuration accesses and hiding concealed BARs (VMM only).
 */
#ifndef BOOKVISOR_PCI_PCI_INTERCEPT_H
#define BOOKVISOR_PCI_PCI_INTERCEPT_H

#include "pci/pci_driver.h"

struct guest_vm;

/**
 * Route the guest's configuration accesses for the bound and concealed
 * devices of devs (see pci/pci_route.h). When there are any, ports 0xCF8
 * (the address register, shadowed) and 0xCFC-0xCFF are hooked, and so is
 * the 4 KiB ECAM page of each such function; other functions' ECAM pages
 * stay mapped directly. The BARs of concealed functions are hooked too:
 * memory BARs read all ones and drop writes, and so do I/O BARs.
 * Problems (hook tables full) are printed; what could be installed stays.
 * devs must stay alive while the guest runs.
 */
void pci_intercept_install(struct guest_vm *vm, struct pci_device *devs, u32 ndevs);

#endif
