/**
 * @file net/lwip/bv_ip.h
 * @brief bookvisor's TCP/IP stack: lwIP on a network-API NIC (chapter 10).
 *
 * The rest of bookvisor sees only this header, never lwIP's: lwIP's names
 * (mem_init, netif, ...) would clash with bookvisor's, so every file that
 * includes lwIP lives in net/lwip/ and is compiled with its own flags (the
 * Makefile renames lwIP's few clashing symbols). lwIP runs in NO_SYS mode:
 * its calls all come from one thread, which calls bv_ip_poll() often.
 */
#ifndef BOOKVISOR_NET_LWIP_BV_IP_H
#define BOOKVISOR_NET_LWIP_BV_IP_H

#include "common/lib/types.h"
#include "net/netapi.h"

/** The stack's address on its NIC: `ip.ipaddr`, `ip.netmask`, `ip.gateway`, `ip.use_dhcp`. */
struct bv_ip_config {
    u32 ipaddr;    /**< a.b.c.d as (a << 24) | (b << 16) | (c << 8) | d; 0 with DHCP */
    u32 netmask;   /**< the same form */
    u32 gateway;   /**< the same form, 0 = none */
    bool use_dhcp; /**< ask a DHCP server for all three */
};

/**
 * Start the stack on nic: its endpoint becomes nic->stack, it sends with
 * netapi_stack_send(). Only one NIC has the stack (the seed's rule).
 * @param nic     a registered NIC whose module gives the stack frames (`ip`, `ippass`)
 * @param cfg     its addresses
 * @param now_ms  the clock lwIP's timers run on (milliseconds)
 * @param log     where a line such as "IP address changed: 0.0.0.0 -> 10.0.2.15" goes
 * @return 0, or -1 when the stack runs already or lwIP refused the interface
 */
int bv_ip_attach(struct net_nic *nic, const struct bv_ip_config *cfg, u64 (*now_ms)(void),
                 void (*log)(const char *line));

/** Run lwIP's due timers (ARP, DHCP, TCP retransmissions); call often from the stack's thread. */
void bv_ip_poll(void);

/** The stack's IPv4 address now, in the form of struct bv_ip_config; 0 before it has one. */
u32 bv_ip_address(void);

/** Forget the stack (for tests: lwIP is initialised again by the next attach). */
void bv_ip_detach(void);

#endif
