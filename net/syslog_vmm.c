/*
 * net/syslog_vmm.c - the log tap and the syslog sender (see syslog_vmm.h).
 */
#include "net/syslog_vmm.h"
#include "common/base/console.h"
#include "common/base/kprintf.h"
#include "common/base/options.h"
#include "common/lib/kstring.h"
#include "net/ip_text.h"
#include "net/log_ring.h"
#include "net/lwip/bv_syslog.h"
#include "net/netapi.h"
#include "net/syslog_frame.h"

/* Spins a writer waits for the ring before it drops its text. */
#define SYSLOG_SPINS 10000
/* Frames of its own the log sends per round of the network thread: a
 * quarter of the pro1000's transmit ring, so that a burst of log lines
 * never fills the ring the guest sends on (under pass, tty=1). */
#define SYSLOG_FRAMES_PER_ROUND 8

static struct log_ring ring;
/* A flag, not a ticket lock: a writer gives up after SYSLOG_SPINS (an NMI's
 * or a panic's line must not hang on a holder that will never release). */
static u8 ring_busy;
static u64 busy_drops, send_failed;
static bool started;
/* The frames' way out (pass, tty=1): the NIC, the addresses and the chunk
 * that found the NIC's ring full, sent again at the next round. */
static struct net_nic *frames_nic;
static struct syslog_frame_addr frames_to;
static u16 frames_ip_id;
static struct log_chunk held;
static bool holding;

static bool ring_lock(void)
{
    for (unsigned i = 0; i < SYSLOG_SPINS; i++) {
        if (!__atomic_exchange_n(&ring_busy, 1, __ATOMIC_ACQUIRE))
            return true;
        __builtin_ia32_pause();
    }
    return false;
}

static void ring_unlock(void)
{
    __atomic_store_n(&ring_busy, 0, __ATOMIC_RELEASE);
}

static void tap(const char *s, size_t n)
{
    if (!ring_lock()) {
        __atomic_fetch_add(&busy_drops, 1, __ATOMIC_RELAXED);
        return;
    }
    log_ring_write(&ring, s, n);
    ring_unlock();
}

void syslog_start(void)
{
    u32 ip;
    u16 port;

    if (started || !vmm_options.ip_syslog[0])
        return;
    started = true;
    if (!ip_text_parse_endpoint(vmm_options.ip_syslog, &ip, &port, SYSLOG_DEFAULT_PORT)) {
        kprintf("bookvisor: ip: ip.syslog=%s is not <a.b.c.d>[:<port>]; no syslog\n",
                vmm_options.ip_syslog);
        return;
    }
    if (bv_syslog_open(ip, port) != 0) {
        kprintf("bookvisor: ip: syslog: lwIP has no UDP socket left; no syslog\n");
        return;
    }
    kprintf("bookvisor: ip: syslog: sending the log to %u.%u.%u.%u port %u\n", ip >> 24,
            (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff, port);
    console_set_tap(tap); /* from the next line on */
}

/* The frames' way's options: each missing or bad one said; false if any. */
static bool frames_config(struct net_nic *nic, struct syslog_frame_addr *a)
{
    const char *mac = vmm_options.ip_syslog_mac;
    bool ok = true;

    if (!ip_text_parse_endpoint(vmm_options.ip_syslog, &a->dst_ip, &a->dst_port,
                                SYSLOG_DEFAULT_PORT)) {
        kprintf("bookvisor: net: syslog: ip.syslog=%s is not <a.b.c.d>[:<port>]\n",
                vmm_options.ip_syslog);
        ok = false;
    }
    if (!ip_text_parse(vmm_options.ip_addr, &a->src_ip)) {
        kprintf("bookvisor: net: syslog: %s has no stack (net=%s), so the log's frames need "
                "their source address in ip.ipaddr=a.b.c.d (given: '%s')\n",
                nic->name, nic->module->name, vmm_options.ip_addr);
        ok = false;
    }
    if (!mac[0]) {
        memset(a->dst_mac, 0xff, 6);
    } else if (!ip_text_parse_mac(mac, a->dst_mac)) {
        kprintf("bookvisor: net: syslog: ip.syslog_mac=%s is not xx:xx:xx:xx:xx:xx\n", mac);
        ok = false;
    }
    if (!ok) {
        kprintf("bookvisor: net: syslog: %s: no syslog\n", nic->name);
        return false;
    }
    memcpy(a->src_mac, nic->mac, 6);
    a->src_port = SYSLOG_DEFAULT_PORT;
    return true;
}

void syslog_start_frames(struct net_nic *nic)
{
    struct syslog_frame_addr *a = &frames_to;

    if (started || !vmm_options.ip_syslog[0])
        return;
    started = true;
    if (!frames_config(nic, a))
        return;
    frames_nic = nic;
    kprintf("bookvisor: net: syslog: sending the log to %u.%u.%u.%u port %u in frames of its "
            "own on %s, from %u.%u.%u.%u to %02x:%02x:%02x:%02x:%02x:%02x\n", a->dst_ip >> 24,
            (a->dst_ip >> 16) & 0xff, (a->dst_ip >> 8) & 0xff, a->dst_ip & 0xff, a->dst_port,
            nic->name, a->src_ip >> 24, (a->src_ip >> 16) & 0xff, (a->src_ip >> 8) & 0xff,
            a->src_ip & 0xff, a->dst_mac[0], a->dst_mac[1], a->dst_mac[2], a->dst_mac[3],
            a->dst_mac[4], a->dst_mac[5]);
    console_set_tap(tap); /* from the next line on */
}

/* One datagram the frames' way: 0 sent; 1 the NIC had no room (try again); -1 lost. */
static int send_frame(const char *text, size_t len)
{
    static u8 frame[SYSLOG_FRAME_MAX];
    size_t n = syslog_frame_build(&frames_to, frames_ip_id++, text, len, frame, sizeof(frame));

    if (!n)
        return -1;
    return netapi_log_send(frames_nic, frame, n) == 0 ? 0 : 1;
}

/* The next chunk: the one held back, or the ring's oldest. */
static bool next_chunk(struct log_chunk *c)
{
    if (holding) {
        *c = held;
        holding = false;
        return true;
    }
    /* Out of the ring under the flag; sent without it, since sending may log. */
    if (!ring_lock())
        return false;
    bool got = log_ring_take(&ring, c);
    ring_unlock();
    return got;
}

void syslog_drain(void)
{
    static const char tag[] = "<14>bookvisor: ";
    const size_t tag_len = sizeof(tag) - 1;
    char datagram[sizeof(tag) + LOG_RING_CHUNK];
    struct log_chunk c;

    for (unsigned sent = 0; !frames_nic || sent < SYSLOG_FRAMES_PER_ROUND; sent++) {
        if (!next_chunk(&c))
            return;
        const char *text = c.text;
        size_t len = c.len;
        /* The log's own "bookvisor: " is the tag already. */
        if (len >= tag_len - 4 && memcmp(text, tag + 4, tag_len - 4) == 0) {
            text += tag_len - 4;
            len -= tag_len - 4;
        }
        memcpy(datagram, tag, tag_len);
        memcpy(datagram + tag_len, text, len);
        if (!frames_nic) {
            if (bv_syslog_send(datagram, (u16)(tag_len + len)) != 0)
                send_failed++;
            continue;
        }
        int r = send_frame(datagram, tag_len + len);
        if (r > 0) { /* the guest's frames fill the ring: this one waits for the next round */
            held = c;
            holding = true;
            return;
        }
        if (r < 0)
            send_failed++;
    }
}

void syslog_counts(u64 *dropped, u64 *failed)
{
    *dropped = ring.dropped + __atomic_load_n(&busy_drops, __ATOMIC_RELAXED);
    *failed = send_failed;
}
