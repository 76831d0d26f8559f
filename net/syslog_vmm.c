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

/* Spins a writer waits for the ring before it drops its text. */
#define SYSLOG_SPINS 10000

static struct log_ring ring;
/* A flag, not a ticket lock: a writer gives up after SYSLOG_SPINS (an NMI's
 * or a panic's line must not hang on a holder that will never release). */
static u8 ring_busy;
static u64 busy_drops, send_failed;
static bool started;

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

void syslog_drain(void)
{
    static const char tag[] = "<14>bookvisor: ";
    const size_t tag_len = sizeof(tag) - 1;
    char datagram[sizeof(tag) + LOG_RING_CHUNK];
    struct log_chunk c;

    for (;;) {
        /* Out of the ring under the flag; sent without it, since sending may log. */
        if (!ring_lock())
            return;
        bool got = log_ring_take(&ring, &c);
        ring_unlock();
        if (!got)
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
        if (bv_syslog_send(datagram, (u16)(tag_len + len)) != 0)
            send_failed++;
    }
}

void syslog_counts(u64 *dropped, u64 *failed)
{
    *dropped = ring.dropped + __atomic_load_n(&busy_drops, __ATOMIC_RELAXED);
    *failed = send_failed;
}
