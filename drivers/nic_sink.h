/**
 * @file drivers/nic_sink.h
 * @brief How a NIC driver hands its NIC up to the network API without
 *        including it (VMM only; chapter 09).
 *
 * The network API (net/) sits above the drivers in the layer table, so a
 * driver cannot call netapi_nic_register() by name. Instead the layer above
 * gives the drivers a struct nic_sink before PCI binds devices
 * (nic_sink_set(), from common/start), and a NIC driver offers each NIC it
 * owns to it: the sink decides, from the driver's `net=` value, whether the
 * guest may still see the device, and takes every received frame.
 */
#ifndef BOOKVISOR_DRIVERS_NIC_SINK_H
#define BOOKVISOR_DRIVERS_NIC_SINK_H

#include "common/lib/types.h"

/** A NIC a driver offers: what it is and how to drive it. */
struct nic_offer {
    const char *name; /**< e.g. "pro1000.0" */
    const u8 *mac;    /**< its MAC address (6 bytes) */
    const char *use;  /**< the module: the driver's `net=` value, e.g. "ip" (nic_offer_module()) */
    const char *tty;  /**< the driver's `tty=` value ("0" or "1"), NULL when not given */
    /** The driver can leave the NIC to the guest and still see its frames (mediated rings). */
    bool can_share;
    /**
     * With can_share: put one frame into the guest's receive ring (the
     * guest's endpoint of the NIC; the bytes are only valid during the call).
     */
    void (*to_guest)(void *ctx, const u8 *frame, size_t len);
    /**
     * With can_share: make the device accept frames for a second unicast
     * MAC, bookvisor's stack's on a shared NIC (`ippass`), whatever the
     * guest writes to the receive filter (NULL: the driver cannot).
     */
    void (*accept_mac)(void *ctx, const u8 mac[6]);
    /** The driver's own counters as one line of text for the shell's `net` (NULL: none). */
    void (*status)(void *ctx, char *line, size_t size);
    /** Send one frame; 0, or negative when the NIC could not take it. */
    int (*send)(void *ctx, const u8 *frame, size_t len);
    /** Look for received frames and hand each to nic_sink.receive(). */
    void (*poll)(void *ctx);
    void *ctx; /**< the driver's, for send and poll */
};

/** What the layer above the drivers gives them. */
struct nic_sink {
    /** Why `net=value` cannot be used, or NULL when it can (called while the PCI string is parsed). */
    const char *(*check_use)(const char *value);
    /**
     * Take the NIC. Sets *hide when the guest must not see the device (the
     * driver then owns it alone). A module that leaves the NIC to the guest
     * is refused unless the offer can_share.
     * @return the handle for receive(), or NULL when refused (the sink said why)
     */
    void *(*attach)(const struct nic_offer *offer, bool *hide);
    /** The NIC behind handle received a frame (the bytes are only valid during the call). */
    void (*receive)(void *handle, const u8 *frame, size_t len);
    /** The guest sent a frame through the NIC behind handle (its mediated transmit ring). */
    void (*guest_send)(void *handle, const u8 *frame, size_t len);
    /**
     * The NIC behind handle interrupted (a frame came): poll it at once,
     * not at the next tick. Callable from an interrupt handler on any CPU;
     * it touches no ring, it only wakes the thread that polls.
     */
    void (*wake)(void *handle);
};

/**
 * Why a NIC driver's `tty=` value cannot be used (it is "0", the default,
 * or "1": the NIC carries bookvisor's log), or NULL when it can. For the
 * driver's check_option, while the PCI string is parsed.
 */
const char *nic_tty_check(const char *value);

/**
 * The module a NIC driver offers its NIC under: its `net=` value, or `log`
 * when only `tty=1` is given (the seed's `driver=pro1000, tty=1`: a NIC
 * hidden and used for the log, which is what `net=log` is).
 * @return the module's name, or NULL when neither says one
 */
const char *nic_offer_module(const char *net, const char *tty);

/** Give the drivers their sink; once, at boot, before PCI binds (read-only afterwards: no lock). */
void nic_sink_set(const struct nic_sink *sink);

/** The sink, or NULL when the VMM has none (no network). */
const struct nic_sink *nic_sink_get(void);

#endif
