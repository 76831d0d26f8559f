/**
 * @file net/net_vmm.h
 * @brief The network inside the VMM: NIC drivers meet the network API, and
 *        one VMM thread runs it with lwIP (VMM only; chapters 09 and 10).
 *
 * net_init() gives the drivers their NIC sink (drivers/nic_sink.h) before
 * PCI binds devices. When a driver offers a NIC, the sink registers it with
 * the network API under the driver's `net=` module; the first NIC whose
 * module feeds bookvisor's stack (`ip`, `ippass`) gets lwIP, addressed by
 * the options `ip.ipaddr`, `ip.netmask`, `ip.gateway` and `ip.use_dhcp`.
 * The first NIC also starts the network thread, which polls every NIC and
 * runs lwIP's timers about once a millisecond of bookvisor's clock (as
 * often as the guest's exits let the VMM run).
 */
#ifndef BOOKVISOR_NET_NET_VMM_H
#define BOOKVISOR_NET_NET_VMM_H

#include "common/lib/types.h"
#include "net/net_request.h"

/** Give the NIC drivers the network API as their sink; call once before pci_init(). */
void net_init(void);

/** How often the network thread looks at the NICs and lwIP's timers, in microseconds. */
#define NET_POLL_US 1000

/**
 * Hand a request (`echoctl`) to the network thread, which carries it out
 * once the stack has an address; what happens is logged from there.
 * @return NULL, or why it was refused (no stack, queue full)
 */
const char *net_post(const struct net_request *r);

/** Print the NICs, their modules and counters, and the stack's address (the shell's `net`). */
void net_print_state(void (*print)(const char *line));

#endif
