/*
 * net/net_vmm.c - the NIC sink, the stack's start and the network thread
 * (see net_vmm.h).
 */
#include "net/net_vmm.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/base/options.h"
#include "common/base/thread.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"
#include "common/lib/spinlock.h"
#include "common/lib/version.h"
#include "drivers/nic_sink.h"
#include "net/ip_text.h"
#include "net/lwip/bv_echo.h"
#include "net/lwip/bv_ip.h"
#include "net/lwip/bv_status.h"
#include "net/net_frame_queue.h"
#include "net/net_status.h"
#include "net/netapi.h"
#include "net/syslog_vmm.h"

/* The NICs the sink registered; written at boot (PCI binding), then only
 * used by the network thread. */
static struct net_nic nics[NETAPI_MAX_NICS];
static struct net_nic_ops nic_ops[NETAPI_MAX_NICS];
/* Each NIC's driver line for `net` (struct nic_offer's status), or NULL. */
static void (*nic_status[NETAPI_MAX_NICS])(void *ctx, char *line, size_t size);
static unsigned nnics;
static bool thread_started, stack_started;
static struct net_nic *stack_nic; /* the NIC the stack runs on, or NULL */
/* The log's NIC has no stack on it (pass, tty=1): its frames are bookvisor's own. */
static bool log_by_frames;
/* The stack's NIC is a `log` NIC: it sends the log and offers no service. */
static bool stack_log_only;
static const char log_only_reason[] = "the stack's NIC carries only the log (net=log)";
/* Requests from other threads (the shell). THREAD_1CPU threads never run at
 * the same time, so the queue needs no lock today; it is there so that lwIP
 * is called from the network thread only (chapter 10 says why). */
static struct net_request_queue requests;
static u64 requests_dropped;
/* Set by wake() (a NIC's interrupt handler, any CPU), taken by the network
 * thread before it sleeps: a wake-up while the thread runs is not lost. Its
 * address is also the event the sleeping thread waits for. */
static u32 wake_pending;
/* ippass: frames for the stack wait here, since a guest's exit may find them
 * (net_frame_queue.h); the lock is for exits on other processors. */
static struct net_frame_queue stack_frames;
static struct spinlock stack_frames_lock;
static struct net_endpoint stack_direct; /* lwIP's own endpoint, fed from the queue */
static bool stack_queued;

static const char *check_use(const char *value)
{
    return netapi_module_find(value) ? NULL : "not a network module (ip, ippass, pass, null, filter, log)";
}

static u64 now_ms(void)
{
    return clock_now_us() / 1000;
}

static void stack_log(const char *line)
{
    kprintf("bookvisor: ip: %s\n", line);
}

/* The status service's reply (net_status.c), with this moment's figures. */
static u32 status_reply(const char *req, u32 len, char *out, u32 size)
{
    struct net_status s = { BOOKVISOR_VERSION_STRING, clock_now_us(), 0, 0 };

    for (unsigned i = 0; i < nnics; i++) {
        s.frames_in += nics[i].count.nic_in;
        s.frames_out += nics[i].count.nic_out;
    }
    return net_status_reply(req, len, &s, out, size);
}

/* One option: true with *out set, or false after saying why. */
static bool ip_option(const char *key, const char *text, u32 *out)
{
    if (ip_text_parse(text, out))
        return true;
    kprintf("bookvisor: ip: %s=%s is not an IPv4 address (a.b.c.d)\n", key, text);
    return false;
}

/* bookvisor's addresses from the options; DHCP when asked or when no address is given. */
static bool stack_config(struct bv_ip_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->use_dhcp = vmm_options.ip_use_dhcp || !vmm_options.ip_addr[0];
    if (cfg->use_dhcp)
        return true;
    if (!ip_option("ip.ipaddr", vmm_options.ip_addr, &cfg->ipaddr) ||
        !ip_option("ip.netmask", vmm_options.ip_netmask, &cfg->netmask))
        return false;
    return !vmm_options.ip_gateway[0] ||
           ip_option("ip.gateway", vmm_options.ip_gateway, &cfg->gateway);
}

/* The stack's endpoint on a shared NIC: called wherever the NIC was polled. */
static void stack_enqueue(void *ctx, const u8 *frame, size_t len)
{
    (void)ctx;
    spin_lock(&stack_frames_lock);
    (void)net_frame_queue_push(&stack_frames, frame, len);
    spin_unlock(&stack_frames_lock);
}

/* From the network thread: hand the queued frames to lwIP. */
static void stack_drain(void)
{
    static u8 frame[NET_FRAME_QUEUE_BYTES];
    size_t len = 0;
    bool got;

    do {
        spin_lock(&stack_frames_lock);
        got = net_frame_queue_pop(&stack_frames, frame, &len);
        spin_unlock(&stack_frames_lock);
        if (got)
            stack_direct.deliver(stack_direct.ctx, frame, len);
    } while (got);
}

static void start_stack(struct net_nic *nic)
{
    struct bv_ip_config cfg;

    if (stack_started) {
        kprintf("bookvisor: ip: %s: the stack runs on another NIC already; "
                "this one gets none\n", nic->name);
        return;
    }
    if (!stack_config(&cfg)) {
        kprintf("bookvisor: ip: %s: no stack (bad address options)\n", nic->name);
        return;
    }
    if (bv_ip_attach(nic, &cfg, now_ms, stack_log) != 0) {
        kprintf("bookvisor: ip: %s: lwIP refused the interface\n", nic->name);
        return;
    }
    stack_started = true;
    stack_nic = nic;
    stack_log_only = nic->module->log_only;
    if (strcmp(nic->module->name, "ippass") == 0) {
        stack_direct = nic->stack;
        nic->stack = (struct net_endpoint){ stack_enqueue, NULL };
        stack_queued = true;
    }
    if (cfg.use_dhcp)
        kprintf("bookvisor: ip: %s: asking DHCP for an address\n", nic->name);
    else
        kprintf("bookvisor: ip: %s: address %u.%u.%u.%u\n", nic->name, cfg.ipaddr >> 24,
                (cfg.ipaddr >> 16) & 0xff, (cfg.ipaddr >> 8) & 0xff, cfg.ipaddr & 0xff);
}

static void run_request(const struct net_request *r)
{
    switch (r->kind) {
    case NET_REQ_SERVER_START:
        if (bv_echo_start(r->port, stack_log) != 0)
            kprintf("bookvisor: ip: echoctl: no echo server on port %u (one runs already, "
                    "or lwIP refused the port)\n", r->port);
        break;
    case NET_REQ_SERVER_STOP:
        if (bv_echo_stop() != 0)
            kprintf("bookvisor: ip: echoctl: no echo server runs\n");
        break;
    case NET_REQ_CLIENT_CONNECT:
        if (bv_echo_client_connect(r->ip, r->port, stack_log) != 0)
            kprintf("bookvisor: ip: echoctl: the client is connected already, or lwIP refused\n");
        else
            kprintf("bookvisor: ip: echo client: connecting to %u.%u.%u.%u port %u\n", r->ip >> 24,
                    (r->ip >> 16) & 0xff, (r->ip >> 8) & 0xff, r->ip & 0xff, r->port);
        break;
    case NET_REQ_CLIENT_SEND:
        if (bv_echo_client_send(r->text) != 0)
            kprintf("bookvisor: ip: echoctl: the client is not connected (or has no room)\n");
        else
            kprintf("bookvisor: ip: echo client: sent %s\n", r->text);
        break;
    case NET_REQ_CLIENT_CLOSE:
        if (bv_echo_client_close() != 0)
            kprintf("bookvisor: ip: echoctl: the client has no connection\n");
        break;
    }
}

const char *net_post(const struct net_request *r)
{
    if (!stack_started)
        return "no network stack (no NIC with net=ip, net=ippass, net=filter or net=log)";
    if (stack_log_only)
        return log_only_reason;
    if (!net_request_push(&requests, r)) {
        requests_dropped++;
        return "the network thread's queue is full; try again";
    }
    return NULL;
}

void net_print_state(void (*print)(const char *line))
{
    char line[200];
    u32 ip = stack_started ? bv_ip_address() : 0;

    for (unsigned i = 0; i < nnics; i++) {
        const struct net_nic *n = &nics[i];
        const struct net_nic_counters *c = &n->count;
        ksnprintf(line, sizeof(line), "%s: module %s, mac %02x:%02x:%02x:%02x:%02x:%02x", n->name,
                  n->module ? n->module->name : "?", n->mac[0], n->mac[1], n->mac[2], n->mac[3],
                  n->mac[4], n->mac[5]);
        if (n->module && strcmp(n->module->name, "ippass") == 0)
            ksnprintf(line + strlen(line), sizeof(line) - strlen(line),
                      ", the stack's %02x:%02x:%02x:%02x:%02x:%02x", n->stack_mac[0],
                      n->stack_mac[1], n->stack_mac[2], n->stack_mac[3], n->stack_mac[4],
                      n->stack_mac[5]);
        if (n->log && n->module && !n->module->log_only)
            ksnprintf(line + strlen(line), sizeof(line) - strlen(line), ", carries the log (tty=1)");
        print(line);
        ksnprintf(line, sizeof(line), "%s: nic-in=%llu nic-out=%llu to-stack=%llu from-stack=%llu "
                  "to-guest=%llu from-guest=%llu dropped=%llu send-failed=%llu", n->name,
                  (unsigned long long)c->nic_in, (unsigned long long)c->nic_out,
                  (unsigned long long)c->to_stack, (unsigned long long)c->from_stack,
                  (unsigned long long)c->to_guest, (unsigned long long)c->from_guest,
                  (unsigned long long)c->dropped, (unsigned long long)c->send_failed);
        print(line);
        if (nic_status[i]) {
            size_t at = (size_t)ksnprintf(line, sizeof(line), "%s: ", n->name);
            nic_status[i](n->ctx, line + at, sizeof(line) - at);
            print(line);
        }
        if (n->module && strcmp(n->module->name, "filter") == 0) {
            size_t at = (size_t)ksnprintf(line, sizeof(line), "%s: filter: ", n->name);
            net_filter_format(&n->filter, line + at, sizeof(line) - at);
            print(line);
        }
    }
    if (!nnics)
        print("no NICs");
    if (!stack_started)
        ksnprintf(line, sizeof(line), "stack: none");
    else
        ksnprintf(line, sizeof(line), "stack: address %u.%u.%u.%u, requests waiting %u, dropped %llu",
                  ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff, requests.count,
                  (unsigned long long)requests_dropped);
    if (stack_queued)
        ksnprintf(line + strlen(line), sizeof(line) - strlen(line),
                  ", frames queued for it dropped %llu", (unsigned long long)stack_frames.dropped);
    print(line);
    if (vmm_options.ip_syslog[0]) {
        u64 dropped, failed;
        syslog_counts(&dropped, &failed);
        ksnprintf(line, sizeof(line), "syslog to %s: chunks dropped %llu, datagrams refused %llu%s",
                  vmm_options.ip_syslog, (unsigned long long)dropped, (unsigned long long)failed,
                  log_by_frames ? ", in frames of bookvisor's own" : "");
        print(line);
    }
}

/*
 * The one thread that touches the network: NICs are polled and lwIP's
 * timers run only here, so neither needs a lock (chapter 10).
 */
static void net_thread(void *arg)
{
    (void)arg;
    /* Every NIC is attached by now. The log's NIC without the stack on it
     * (pass): bookvisor builds the log's frames itself, and the stack (on
     * another NIC, if any) sends no log. */
    struct net_nic *log_nic = netapi_log_nic();
    if (log_nic && log_nic != stack_nic) {
        log_by_frames = true;
        syslog_start_frames(log_nic);
    }
    /* Services are started here, not at boot: every lwIP call from this thread. */
    if (stack_log_only && (vmm_options.ip_echo_port || vmm_options.ip_status_port)) {
        kprintf("bookvisor: ip: %s; no echo server or status service\n", log_only_reason);
    } else if (stack_started && vmm_options.ip_echo_port) {
        if (vmm_options.ip_echo_port > 0xffff)
            kprintf("bookvisor: ip: ip.echo_port=%llu is not a TCP port; no echo server\n",
                    (unsigned long long)vmm_options.ip_echo_port);
        else if (bv_echo_start((u16)vmm_options.ip_echo_port, stack_log) != 0)
            kprintf("bookvisor: ip: lwIP refused the echo server's port %llu\n",
                    (unsigned long long)vmm_options.ip_echo_port);
    }
    if (stack_started && !stack_log_only && vmm_options.ip_status_port) {
        if (vmm_options.ip_status_port > 0xffff)
            kprintf("bookvisor: ip: ip.status_port=%llu is not a TCP port; no status service\n",
                    (unsigned long long)vmm_options.ip_status_port);
        else if (bv_status_start((u16)vmm_options.ip_status_port, status_reply, stack_log) != 0)
            kprintf("bookvisor: ip: lwIP refused the status service's port %llu\n",
                    (unsigned long long)vmm_options.ip_status_port);
    }
    for (;;) {
        struct net_request r;

        /* This round looks at every NIC: interrupts before it are served by it. */
        (void)__atomic_exchange_n(&wake_pending, 0, __ATOMIC_SEQ_CST);
        netapi_poll_all();
        if (stack_queued)
            stack_drain();
        bv_ip_poll();
        /* Requests wait for an address: a client cannot connect before DHCP answered. */
        if (log_by_frames) {
            syslog_drain();
        } else if (stack_started && bv_ip_address()) {
            syslog_start(); /* once: the log goes out from the next line on */
            syslog_drain();
        }
        while (stack_started && bv_ip_address() && net_request_peek(&requests)) {
            /* What follows a connect waits until the connection is made or failed. */
            enum net_request_kind k = net_request_peek(&requests)->kind;
            if ((k == NET_REQ_CLIENT_SEND || k == NET_REQ_CLIENT_CLOSE) &&
                bv_echo_client_connecting())
                break;
            net_request_pop(&requests, &r);
            run_request(&r);
        }
        /* A NIC interrupted while this round ran: poll again after the
         * others had their turn. Else sleep, woken early by the next one. */
        if (__atomic_load_n(&wake_pending, __ATOMIC_ACQUIRE))
            thread_yield();
        else
            thread_sleep_us_or_wait(NET_POLL_US, &wake_pending);
    }
}

/*
 * The driver's tty= (chapter 09): 1 makes the NIC the log's whatever its
 * module (tty=1 alone came as net=log, which is the log's already); 0 is
 * the default, and beside net=log it changes nothing, which is said.
 */
static void tty_option(struct net_nic *nic, const char *tty)
{
    const struct net_nic *holder = netapi_log_nic();

    if (strcmp(tty, "1") != 0) {
        if (nic->module->log_only)
            kprintf("bookvisor: net: %s: tty=0 beside net=log: a log NIC carries the log "
                    "whatever tty= says\n", nic->name);
        return;
    }
    switch (netapi_nic_take_log(nic)) {
    case 0:
        kprintf("bookvisor: net: %s carries the log (tty=1)\n", nic->name);
        break;
    case -1:
        kprintf("bookvisor: net: %s: tty=1, but %s carries the log already; this NIC does not\n",
                nic->name, holder ? holder->name : "another NIC");
        break;
    default:
        kprintf("bookvisor: net: %s: tty=1 with net=%s, which drops every frame, the log's "
                "too; no log on this NIC\n", nic->name, nic->module->name);
        break;
    }
}

static void *attach(const struct nic_offer *offer, bool *hide)
{
    const struct net_module *m = netapi_module_find(offer->use);
    struct net_nic *nic;
    int err;

    if (!m) {
        kprintf("bookvisor: net: %s: net=%s is not a module (%s)\n", offer->name, offer->use,
                netapi_module_names());
        return NULL;
    }
    if (strcmp(m->name, "ippass") == 0 && offer->can_share && !offer->accept_mac) {
        kprintf("bookvisor: net: %s: net=ippass needs a second MAC in the device's receive "
                "filter, which this driver cannot set; the device stays the guest's\n",
                offer->name);
        return NULL;
    }
    if (!m->hides_nic && (!offer->can_share || !offer->to_guest)) {
        kprintf("bookvisor: net: %s: net=%s leaves the NIC to the guest, which this driver "
                "cannot mediate yet; the device stays the guest's\n",
                offer->name, offer->use);
        return NULL;
    }
    if (nnics == NETAPI_MAX_NICS) {
        kprintf("bookvisor: net: %s: more than %u NICs\n", offer->name, NETAPI_MAX_NICS);
        return NULL;
    }
    nic = &nics[nnics];
    memset(nic, 0, sizeof(*nic));
    kstrlcpy(nic->name, offer->name, sizeof(nic->name));
    memcpy(nic->mac, offer->mac, 6);
    nic_ops[nnics] = (struct net_nic_ops){ offer->send, offer->poll };
    nic->ops = &nic_ops[nnics];
    nic_status[nnics] = offer->status;
    nic->ctx = offer->ctx;
    if (!m->hides_nic)
        nic->guest = (struct net_endpoint){ offer->to_guest, offer->ctx };
    /* ippass: the stack's own MAC beside the guest's (chapter 09 says why). */
    if (strcmp(m->name, "ippass") == 0) {
        net_stack_mac(offer->mac, nic->stack_mac);
        offer->accept_mac(offer->ctx, nic->stack_mac);
    }
    err = netapi_nic_register(nic, offer->use);
    if (err) {
        kprintf("bookvisor: net: %s: not registered (error %d)\n", offer->name, err);
        return NULL;
    }
    nnics++;
    *hide = m->hides_nic;
    kprintf("bookvisor: net: %s registered, module %s\n", nic->name, m->name);
    if (offer->tty)
        tty_option(nic, offer->tty);
    if (nic->log && !vmm_options.ip_syslog[0])
        kprintf("bookvisor: net: %s: %s without ip.syslog: the NIC has nothing to carry\n",
                nic->name, m->log_only ? "net=log" : "tty=1");
    if (strcmp(m->name, "ip") == 0 || strcmp(m->name, "ippass") == 0 ||
        strcmp(m->name, "filter") == 0 || m->log_only)
        start_stack(nic);
    if (!thread_started) {
        thread_create("net", net_thread, NULL);
        thread_started = true;
    }
    return nic;
}

static void receive(void *handle, const u8 *frame, size_t len)
{
    netapi_nic_receive(handle, frame, len);
}

static void guest_send(void *handle, const u8 *frame, size_t len)
{
    netapi_guest_send(handle, frame, len);
}

static void wake(void *handle)
{
    (void)handle; /* one thread polls every NIC */
    __atomic_store_n(&wake_pending, 1, __ATOMIC_RELEASE);
    thread_signal(&wake_pending);
}

static const struct nic_sink net_sink = { check_use, attach, receive, guest_send, wake };

void net_init(void)
{
    nic_sink_set(&net_sink);
}
