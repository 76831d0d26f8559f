/*
 * common/start/guest_devices.c - ACPI, PCI and test-page start-up.
 */
#include "common/start/guest_devices.h"
#include "common/base/options.h"
#include "common/platform/power_guard.h"
#include "common/platform/test_mmio_page.h"
#include "common/platform/test_threads.h"
#include "common/platform/test_timer.h"
#include "common/platform/test_vmm_vector.h"
#include "drivers/drivers.h"
#include "net/net_vmm.h"
#include "pci/pci.h"
#include "shell/shell_vmm.h"

void guest_devices_start(struct guest_vm *vm)
{
    power_guard_install(vm);
    net_init(); /* before PCI binds: NIC drivers hand their NICs to the network API */
    pci_init(vm, pci_driver_table, pci_driver_table_len);
    if (vmm_options.test_mmio_page)
        test_mmio_page_install(vm);
    if (vmm_options.test_vmm_vector)
        test_vmm_vector_install();
    if (vmm_options.test_timer)
        test_timer_install();
    else if (vmm_options.test_timer_thread)
        test_timer_install_thread();
    if (vmm_options.test_threads)
        test_threads_install();
    shell_start(vm); /* after PCI and the network: its commands report them */
}
