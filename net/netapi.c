/*
 * net/netapi.c - the NIC table, the checks on the way in, and the modules
 * (chapter 09).
 */
#include "net/netapi.h"
#include "common/lib/kstring.h"

static struct net_nic *nics[NETAPI_MAX_NICS];
static unsigned nic_count;

/* A checked frame to an endpoint, or dropped when there is none. */
static void deliver(struct net_nic *nic, const struct net_endpoint *ep, u64 *counter,
                    const u8 *frame, size_t len)
{
    if (!ep->deliver) {
        nic->count.dropped++;
        return;
    }
    (*counter)++;
    ep->deliver(ep->ctx, frame, len);
}

/* 0, or -1 (counted) when the NIC had no room. */
static int to_wire(struct net_nic *nic, const u8 *frame, size_t len)
{
    nic->count.nic_out++;
    if (nic->ops->send(nic->ctx, frame, len) == 0)
        return 0;
    nic->count.send_failed++;
    return -1;
}

/* pass: the guest keeps the NIC; bookvisor sees every frame and lets it by. */
static void pass_from_nic(struct net_nic *nic, const u8 *frame, size_t len,
                          const struct net_frame_info *f)
{
    (void)f;
    deliver(nic, &nic->guest, &nic->count.to_guest, frame, len);
}

static void pass_from_guest(struct net_nic *nic, const u8 *frame, size_t len)
{
    to_wire(nic, frame, len);
}

static void drop_nic(struct net_nic *nic, const u8 *frame, size_t len, const struct net_frame_info *f)
{
    (void)frame, (void)len, (void)f;
    nic->count.dropped++;
}

static void drop_side(struct net_nic *nic, const u8 *frame, size_t len)
{
    (void)frame, (void)len;
    nic->count.dropped++;
}

/* ip: the NIC is bookvisor's alone. */
static void ip_from_nic(struct net_nic *nic, const u8 *frame, size_t len,
                        const struct net_frame_info *f)
{
    (void)f;
    deliver(nic, &nic->stack, &nic->count.to_stack, frame, len);
}

static void stack_to_wire(struct net_nic *nic, const u8 *frame, size_t len)
{
    to_wire(nic, frame, len);
}

/* ippass: shared; received frames sorted by MAC and IP. */
static void ippass_from_nic(struct net_nic *nic, const u8 *frame, size_t len,
                            const struct net_frame_info *f)
{
    enum net_frame_to to = net_frame_classify(f, nic->stack_mac, nic->stack_ip);
    if (to & NET_TO_STACK)
        deliver(nic, &nic->stack, &nic->count.to_stack, frame, len);
    if (to & NET_TO_GUEST)
        deliver(nic, &nic->guest, &nic->count.to_guest, frame, len);
}

static bool addressed_to(const struct net_frame_info *f, const u8 mac[6])
{
    for (int i = 0; i < 6; i++)
        if (f->dst[i] != mac[i])
            return false;
    return true;
}

/*
 * ippass, the two senders on the NIC: a frame one sends to the other never
 * comes back from the wire (a switch does not send a frame out of the port
 * it came in by; QEMU's user network answers only for itself), so it is
 * handed over here: to the other's MAC, there only; a broadcast or
 * multicast, to the other and the wire. The guest's MAC is the NIC's.
 */
/* One side's frame: to the other side when addressed to it (to_mac) or sent
 * to many, and to the wire unless only the other side is meant. */
static void ippass_hand_over(struct net_nic *nic, const u8 *frame, size_t len, const u8 *to_mac,
                             const struct net_endpoint *to, u64 *to_count)
{
    struct net_frame_info f;

    /* Checked on the way in already; parsed again only to be described. */
    if (net_frame_parse(frame, len, &f) != NET_FRAME_OK) {
        nic->count.dropped++;
        return;
    }
    if (f.multicast || addressed_to(&f, to_mac))
        deliver(nic, to, to_count, frame, len);
    if (!addressed_to(&f, to_mac))
        to_wire(nic, frame, len);
}

static void ippass_from_guest(struct net_nic *nic, const u8 *frame, size_t len)
{
    ippass_hand_over(nic, frame, len, nic->stack_mac, &nic->stack, &nic->count.to_stack);
}

static void ippass_from_stack(struct net_nic *nic, const u8 *frame, size_t len)
{
    ippass_hand_over(nic, frame, len, nic->mac, &nic->guest, &nic->count.to_guest);
}

/* filter: ip with a guard between the NIC and the stack (net_filter.c). */
static void filter_from_nic(struct net_nic *nic, const u8 *frame, size_t len,
                            const struct net_frame_info *f)
{
    if (net_filter_judge(&nic->filter, NET_FILTER_IN, f, nic->mac) == NET_FILTER_DROP) {
        nic->count.dropped++;
        return;
    }
    deliver(nic, &nic->stack, &nic->count.to_stack, frame, len);
}

static void filter_from_stack(struct net_nic *nic, const u8 *frame, size_t len)
{
    struct net_frame_info f;

    /* Checked on the way in already; parsed again only to be described. */
    if (net_frame_parse(frame, len, &f) != NET_FRAME_OK ||
        net_filter_judge(&nic->filter, NET_FILTER_OUT, &f, nic->mac) == NET_FILTER_DROP) {
        nic->count.dropped++;
        return;
    }
    to_wire(nic, frame, len);
}

/*
 * log: the NIC carries bookvisor's log and nothing else. The log's datagrams
 * come from the stack (syslog over UDP, chapter 10), and the stack needs ARP
 * and DHCP (UDP) to send them; so ARP and IPv4 UDP cross, both ways, and
 * everything else is dropped: no ping is answered and no TCP service (echo,
 * status) can be reached through a log NIC.
 */
static bool log_carries(const struct net_frame_info *f)
{
    return f->ethertype == NET_ETHERTYPE_ARP ||
           (f->ethertype == NET_ETHERTYPE_IPV4 && f->ipv4_protocol == NET_IP_PROTO_UDP);
}

static void log_from_nic(struct net_nic *nic, const u8 *frame, size_t len,
                         const struct net_frame_info *f)
{
    if (!log_carries(f)) {
        nic->count.dropped++;
        return;
    }
    deliver(nic, &nic->stack, &nic->count.to_stack, frame, len);
}

static void log_from_stack(struct net_nic *nic, const u8 *frame, size_t len)
{
    struct net_frame_info f;

    /* Checked on the way in already; parsed again only to be described. */
    if (net_frame_parse(frame, len, &f) != NET_FRAME_OK || !log_carries(&f)) {
        nic->count.dropped++;
        return;
    }
    to_wire(nic, frame, len);
}

static const struct net_module modules[] = {
    { "pass", false, false, pass_from_nic, pass_from_guest, drop_side },
    { "null", false, false, drop_nic, drop_side, drop_side },
    { "ip", true, false, ip_from_nic, drop_side, stack_to_wire },
    { "ippass", false, false, ippass_from_nic, ippass_from_guest, ippass_from_stack },
    { "filter", true, false, filter_from_nic, drop_side, filter_from_stack },
    { "log", true, true, log_from_nic, drop_side, log_from_stack },
};

const struct net_module *netapi_module_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(modules); i++)
        if (KSTR(strcmp)(modules[i].name, name) == 0)
            return &modules[i];
    return NULL;
}

const char *netapi_module_names(void)
{
    return "pass null ip ippass filter log";
}

int netapi_nic_register(struct net_nic *nic, const char *module_name)
{
    const struct net_module *m = netapi_module_find(module_name);
    if (!m)
        return -2;
    if (nic_count >= NETAPI_MAX_NICS)
        return -1;
    nic->module = m;
    if (m->log_only)
        nic->log = true; /* tty=1 implied */
    nics[nic_count++] = nic;
    return 0;
}

struct net_nic *netapi_nic(unsigned index)
{
    return index < nic_count ? nics[index] : NULL;
}

struct net_nic *netapi_log_nic(void)
{
    for (unsigned i = 0; i < nic_count; i++)
        if (nics[i]->log)
            return nics[i];
    return NULL;
}

/* The one check on the way in; false (and counted) when the frame must go. */
static bool checked(struct net_nic *nic, const u8 *frame, size_t len, struct net_frame_info *f)
{
    enum net_frame_error e = net_frame_parse(frame, len, f);
    if (e == NET_FRAME_OK)
        return true;
    if ((size_t)e < ARRAY_SIZE(nic->count.malformed))
        nic->count.malformed[e]++;
    return false;
}

int netapi_nic_take_log(struct net_nic *nic)
{
    struct net_nic *holder = netapi_log_nic();

    if (nic->log)
        return 0;
    /* null drops every frame: a log it carried would be dropped too. */
    if (KSTR(strcmp)(nic->module->name, "null") == 0)
        return -2;
    if (holder)
        return -1;
    nic->log = true;
    return 0;
}

int netapi_log_send(struct net_nic *nic, const u8 *frame, size_t len)
{
    struct net_frame_info f;

    if (!nic->log)
        return -1;
    nic->count.from_log++;
    if (!checked(nic, frame, len, &f))
        return -1;
    return to_wire(nic, frame, len);
}

void netapi_nic_receive(struct net_nic *nic, const u8 *frame, size_t len)
{
    struct net_frame_info f;
    nic->count.nic_in++;
    if (checked(nic, frame, len, &f))
        nic->module->from_nic(nic, frame, len, &f);
}

void netapi_guest_send(struct net_nic *nic, const u8 *frame, size_t len)
{
    struct net_frame_info f;
    nic->count.from_guest++;
    if (checked(nic, frame, len, &f))
        nic->module->from_guest(nic, frame, len);
}

void netapi_stack_send(struct net_nic *nic, const u8 *frame, size_t len)
{
    struct net_frame_info f;
    nic->count.from_stack++;
    if (checked(nic, frame, len, &f))
        nic->module->from_stack(nic, frame, len);
}

void netapi_poll_all(void)
{
    for (unsigned i = 0; i < nic_count; i++)
        if (nics[i]->ops->poll)
            nics[i]->ops->poll(nics[i]->ctx);
}

void netapi_reset(void)
{
    for (unsigned i = 0; i < NETAPI_MAX_NICS; i++)
        nics[i] = NULL;
    nic_count = 0;
}
