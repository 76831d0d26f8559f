/**
 * @file net/netapi.h
 * @brief The network API: NIC drivers on one side, modules on the other
 *        (pure; chapter 09).
 *
 * A NIC driver knows its hardware and nothing of what the frames are for; a
 * module knows what to do with frames and nothing of hardware. The API joins
 * any NIC to any module:
 *
 * - **NIC side.** A driver fills a struct net_nic (name, MAC, ops to send
 *   and to poll, its context) and registers it; it hands every received
 *   frame to netapi_nic_receive().
 * - **Guest side.** Where the guest keeps the NIC (`pass`, `ippass`), the
 *   driver's mediation of the guest's own rings calls netapi_guest_send()
 *   for each frame the guest sends, and gives the API an endpoint
 *   (struct net_endpoint) through which frames reach the guest.
 * - **Stack side.** bookvisor's TCP/IP stack (lwIP, chapter 10) attaches an
 *   endpoint for what it receives and sends with netapi_stack_send().
 * - **Modules.** Chosen per NIC by the PCI grammar's driver option `net=`
 *   (`device=pro1000, driver=pro1000, net=ip`), one of:
 *   | module | NIC to | guest to | stack to | guest sees the NIC |
 *   |---|---|---|---|---|
 *   | `pass` | guest | NIC | (none) | yes |
 *   | `null` | dropped | dropped | dropped | yes, but nothing flows |
 *   | `ip` | stack | (none) | NIC | no: the NIC is hidden |
 *   | `ippass` | stack, guest or both (net_frame_classify()) | NIC; stack if to its MAC | NIC; guest if to its MAC | yes |
 *   | `filter` | stack, if net_filter_judge() passes it | (none) | NIC, if it passes | no |
 *   | `log` | stack, ARP and UDP only | (none) | NIC, ARP and UDP only | no |
 *   `log` carries bookvisor's log (syslog over UDP, chapter 10) and nothing
 *   else: the stack runs on the NIC only to send it.
 * - **The log.** One NIC carries bookvisor's log (its `log` flag): the `log`
 *   module's, or one whose driver was given the seed's option `tty=1`
 *   (netapi_nic_take_log()). Where the stack runs on that NIC the log leaves
 *   through it; where none does (`pass`), bookvisor builds the datagrams
 *   itself and sends them with netapi_log_send(), beside the module.
 *
 * Every frame is checked once on its way in (net/net_frame.h); a malformed
 * one is dropped and counted by cause, never passed on. Counters per NIC say
 * what went where. The API holds no lock: each NIC's frames are handled by
 * the one VMM thread that owns the network (chapter 10).
 */
#ifndef BOOKVISOR_NET_NETAPI_H
#define BOOKVISOR_NET_NETAPI_H

#include "common/lib/types.h"
#include "net/net_filter.h"
#include "net/net_frame.h"

/** Most NICs the API knows. */
#define NETAPI_MAX_NICS 8

/** Where frames are delivered: the guest's side of a NIC, or bookvisor's stack. */
struct net_endpoint {
    /** Take one checked frame (the bytes are only valid during the call). */
    void (*deliver)(void *ctx, const u8 *frame, size_t len);
    void *ctx; /**< passed to deliver */
};

/** What a NIC driver gives the API. */
struct net_nic_ops {
    /** Send one frame on the wire; 0, or negative when the NIC could not take it. */
    int (*send)(void *ctx, const u8 *frame, size_t len);
    /** Look for received frames and hand them to netapi_nic_receive() (may be NULL for NICs with interrupts only). */
    void (*poll)(void *ctx);
};

/** Frames counted by a NIC, by path. */
struct net_nic_counters {
    u64 nic_in;        /**< frames the NIC received */
    u64 to_guest;      /**< frames delivered to the guest */
    u64 to_stack;      /**< frames delivered to bookvisor's stack */
    u64 from_guest;    /**< frames the guest sent */
    u64 from_stack;    /**< frames bookvisor's stack sent */
    u64 nic_out;       /**< frames given to the NIC to send */
    u64 send_failed;   /**< frames the NIC refused */
    u64 dropped;       /**< frames a module dropped on purpose (null, no endpoint) */
    u64 from_log;      /**< log frames bookvisor built itself (netapi_log_send()) */
    u64 malformed[5];  /**< frames refused by net_frame_parse(), by enum net_frame_error */
};

struct net_module;

/** A NIC as the API knows it; the driver owns the structure. */
struct net_nic {
    char name[16];                   /**< e.g. "pro1000.0" */
    u8 mac[6];                       /**< its MAC address */
    const struct net_nic_ops *ops;   /**< the driver's operations */
    void *ctx;                       /**< the driver's context for ops */
    const struct net_module *module; /**< set by netapi_nic_bind() */
    struct net_endpoint guest;       /**< the guest's side (deliver NULL: none) */
    struct net_endpoint stack;       /**< bookvisor's stack (deliver NULL: none) */
    u8 stack_mac[6];                 /**< the stack's MAC on this NIC (ippass sorts by it) */
    u32 stack_ip;                    /**< the stack's IPv4 address, 0 = none yet */
    bool log;                        /**< carries bookvisor's log: `net=log`, or `tty=1` (netapi_nic_take_log()) */
    struct net_nic_counters count;   /**< what went where */
    struct net_filter_counts filter; /**< the `filter` module's counters (zero for the others) */
};

/** One module: what frames do from each side. */
struct net_module {
    const char *name;      /**< as in `net=` */
    bool hides_nic;        /**< the guest must not see the NIC (its driver conceals the device) */
    bool log_only;         /**< the NIC carries bookvisor's log only (`log`): no services on its stack */
    /** A frame the NIC received (checked). */
    void (*from_nic)(struct net_nic *nic, const u8 *frame, size_t len, const struct net_frame_info *f);
    /** A frame the guest sent (checked). */
    void (*from_guest)(struct net_nic *nic, const u8 *frame, size_t len);
    /** A frame bookvisor's stack sent (checked). */
    void (*from_stack)(struct net_nic *nic, const u8 *frame, size_t len);
};

/** The module called name (`pass`, `null`, `ip`, `ippass`, `filter`, `log`), or NULL. */
const struct net_module *netapi_module_find(const char *name);

/** The names of all modules, separated by blanks, for messages. */
const char *netapi_module_names(void);

/**
 * Register nic (name, mac, ops, ctx filled; the rest zero) and bind it to
 * the module called module_name; a `log` NIC gets nic->log set.
 * @return 0; -1 when the table is full; -2 when no module has that name
 */
int netapi_nic_register(struct net_nic *nic, const char *module_name);

/** The registered NIC number index (0 first), or NULL. */
struct net_nic *netapi_nic(unsigned index);

/** The first NIC that carries bookvisor's log (`net=log` or `tty=1`), or NULL. */
struct net_nic *netapi_log_nic(void);

/**
 * Make a registered NIC the log's (the NIC option `tty=1`), whatever its
 * module; one NIC carries the log.
 * @return 0 (also when it is the log's already); -1 when another NIC
 *         carries it; -2 when its module is `null`, which would drop the log
 */
int netapi_nic_take_log(struct net_nic *nic);

/**
 * Send a frame of bookvisor's log that it built itself (no stack on the
 * NIC: `pass, tty=1`) straight to the wire, whatever the module: checked
 * and counted like any other (`from_log`, `nic_out`).
 * @return 0; -1 when nic is not the log's, the frame is malformed or the
 *         NIC had no room (then the caller may try again later)
 */
int netapi_log_send(struct net_nic *nic, const u8 *frame, size_t len);

/** Driver: the NIC received a frame. */
void netapi_nic_receive(struct net_nic *nic, const u8 *frame, size_t len);

/** Guest side: the guest sent a frame through nic. */
void netapi_guest_send(struct net_nic *nic, const u8 *frame, size_t len);

/** bookvisor's stack sends a frame through nic. */
void netapi_stack_send(struct net_nic *nic, const u8 *frame, size_t len);

/** Ask every NIC's driver to look for received frames (from the network thread). */
void netapi_poll_all(void);

/** Forget every NIC (for tests; the VMM never unregisters). */
void netapi_reset(void);

#endif
