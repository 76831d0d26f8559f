/**
 * @file tests/guest/check_smp.c
 * @brief smp: the guest starts its other processors, and each runs under bookvisor.
 *
 * The guest reads its processors from the MADT and wakes each other one as
 * an operating system does: INIT, 10 ms, a start-up IPI, 200 us, a second
 * one, through its local APIC's interrupt command register (xAPIC). Each
 * processor runs ap_blob.S in real mode and reports through memory.
 *
 * `smp.x2apic`: the guest first switches its local APIC to x2APIC mode and
 * sends the same commands by WRMSR to the ICR (MSR 0x830), one 64-bit write
 * each with the 32-bit destination in the high half; bookvisor takes those
 * too (skipped on a CPU without x2APIC).
 *
 * `smp.expect=run` (the default): every processor must answer within a
 * second, with CPUID's hypervisor bit and bookvisor's signature (it runs
 * under bookvisor, not beside it) and the cookie's complement (memory shared
 * with the boot processor). `smp.expect=parked`: no processor may answer;
 * bookvisor keeps it parked where the guest's INIT and SIPIs cannot start it
 * (AMD-V until bookvisor intercepts the ICR). Before bookvisor started the
 * processors itself, the guest's SIPI started them natively: this check saw
 * them answer without bookvisor's signature.
 *
 * `smp.shootdown=1` (with bookvisor's `test.events`): each processor, once
 * it has answered, spins reading page 0x9000 with no exit; the boot
 * processor has bookvisor take that page out of the nested map
 * (BOOKVISOR_HC_TEST_NESTED_PAGE) and then watches it: the spinning
 * processor's next read must be a nested page fault, which maps the page
 * again, within SHOOTDOWN_SEE_US. A processor that kept the translation in
 * its nested TLB would read on, and the page would stay unmapped.
 */
#include "acpi.h"
#include "check.h"
#include "cpu.h"
#include "gstring.h"
#include "hypercall.h"
#include "print.h"

#define AP_PAGE 0x8000u           /* the start-up page: vector 0x08 */
#define MSR_APIC_BASE 0x1B
#define APIC_EN (1u << 11)
#define APIC_EXTD (1u << 10)
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define ICR_PENDING (1u << 12)
#define MSR_X2APIC_ICR 0x830
#define ICR_INIT 0x4500u          /* INIT, level assert */
#define ICR_STARTUP 0x4600u       /* start-up, level assert; | vector */
#define MADT_LOCAL_APIC 0
#define MADT_LOCAL_X2APIC 9
#define MAX_APS 16
#define ANSWER_US 1000000         /* a processor's time to answer */
#define PARKED_WAIT_US 300000     /* how long a parked processor is watched */
#define WATCH_PAGE (AP_PAGE + 0x1000) /* the page a spinning processor reads */
#define SHOOTDOWN_SEE_US 100000   /* the most its next read of it may take */

extern const u8 ap_blob_start[], ap_blob_end[];
extern u32 ap_cookie[], ap_answer[], ap_ecx1[], ap_sig[], ap_apic_id[], ap_done[];
extern u32 ap_spin[], ap_spins[], ap_stop[];

/* A field of the blob, in its copy at AP_PAGE. */
static volatile u32 *field(const u32 *sym)
{
    return (volatile u32 *)(AP_PAGE + ((const u8 *)sym - ap_blob_start));
}

static bool clock_us(u64 *us)
{
    struct hypercall_regs r = { BOOKVISOR_HC_CLOCK, 0, 0, 0 };
    if (!hypercall(&r) || (r.eax == BOOKVISOR_HC_UNKNOWN && r.edx == 0))
        return false;
    *us = ((u64)r.edx << 32) | r.eax;
    return true;
}

/* Wait until *done is set or us microseconds have passed; true if it was set. */
static bool wait_done(u64 us)
{
    u64 start, now;
    if (!clock_us(&start))
        return false;
    do {
        if (*field(ap_done))
            return true;
        cpu_relax();
    } while (clock_us(&now) && now - start < us);
    return *field(ap_done) != 0;
}

static bool use_x2apic;

static void apic_send(u32 base, u32 apic_id, u32 icr)
{
    if (use_x2apic) { /* no delivery status to wait for in x2APIC mode */
        wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | icr);
        return;
    }
    volatile u32 *low = (volatile u32 *)(base + APIC_ICR_LOW);
    *(volatile u32 *)(base + APIC_ICR_HIGH) = apic_id << 24;
    *low = icr;
    for (u32 i = 0; i < 1000000 && (*low & ICR_PENDING); i++)
        cpu_relax();
}

/* The enabled processors of the MADT but this one; how many. */
static u32 madt_others(u32 self, u32 *ids, u32 max)
{
    u32 madt = acpi_find_table("APIC");
    if (!madt)
        return 0;
    const u8 *t = (const u8 *)madt;
    u32 len = *(const u32 *)(t + 4), n = 0;
    for (u32 at = 44; at + 2 <= len && t[at + 1] >= 2; at += t[at + 1]) {
        u32 id, flags;
        if (t[at] == MADT_LOCAL_APIC && t[at + 1] >= 8) {
            id = t[at + 3];
            flags = *(const u32 *)(t + at + 4);
        } else if (t[at] == MADT_LOCAL_X2APIC && t[at + 1] >= 16) {
            id = *(const u32 *)(t + at + 4);
            flags = *(const u32 *)(t + at + 8);
        } else {
            continue;
        }
        if ((flags & 1) && id != self && n < max)
            ids[n++] = id;
    }
    return n;
}

/* Start one processor through AP_PAGE; true if it answered. */
static bool start_ap(u32 base, u32 apic_id, u32 cookie, u64 wait_us, bool spin)
{
    memcpy((void *)AP_PAGE, ap_blob_start, (size_t)(ap_blob_end - ap_blob_start));
    *field(ap_cookie) = cookie;
    *field(ap_spin) = spin;
    u64 t0, now;
    apic_send(base, apic_id, ICR_INIT);
    if (clock_us(&t0))
        while (clock_us(&now) && now - t0 < 10000)
            cpu_relax();
    /* The second start-up IPI is sent whatever happened to the first, as
     * the recipe says; a processor that is running ignores it. */
    apic_send(base, apic_id, ICR_STARTUP | (AP_PAGE >> 12));
    wait_done(200);
    apic_send(base, apic_id, ICR_STARTUP | (AP_PAGE >> 12));
    return wait_done(wait_us);
}

/* BOOKVISOR_HC_TEST_NESTED_PAGE: take the page out (query 0), or is it mapped (query 1)? */
static bool nested_page(u32 page, u32 query)
{
    struct hypercall_regs r = { BOOKVISOR_HC_TEST_NESTED_PAGE, page, query, 0 };
    return hypercall(&r) && r.eax == 1;
}

/* Has the spin counter moved within us microseconds? */
static bool spinning(u64 us)
{
    u32 before = *field(ap_spins);
    u64 start, now;
    if (!clock_us(&start))
        return false;
    while (clock_us(&now) && now - start < us)
        if (*field(ap_spins) != before)
            return true;
    return *field(ap_spins) != before;
}

/* The processor spins on WATCH_PAGE: does it see the page leave the nested map? */
static bool shootdown_seen(u32 apic_id, struct check_result *res)
{
    u64 t0, now;
    if (!spinning(ANSWER_US)) {
        check_fail(res, "APIC id %u does not spin", apic_id);
        return false;
    }
    /* Only the spinning processor touches the page: mapped again means it
     * faulted. (By the time the hypercall returns it may have: bookvisor
     * waits for its flush before this processor goes on.) */
    if (!nested_page(WATCH_PAGE, 0)) {
        check_fail(res, "bookvisor did not take page 0x%x out of the nested map (test.events?)",
                   WATCH_PAGE);
        return false;
    }
    if (!clock_us(&t0))
        return false;
    while (!nested_page(WATCH_PAGE, 1)) {
        if (!clock_us(&now) || now - t0 > SHOOTDOWN_SEE_US) {
            check_fail(res, "APIC id %u read page 0x%x through a stale nested TLB: still "
                       "unmapped %u ms after it was taken out", apic_id, WATCH_PAGE,
                       SHOOTDOWN_SEE_US / 1000);
            return false;
        }
        cpu_relax();
    }
    if (!spinning(ANSWER_US)) {
        check_fail(res, "APIC id %u stopped spinning after its nested page fault", apic_id);
        return false;
    }
    gprintf("guest: smp: APIC id %u took a nested page fault at its next read of page 0x%x "
            "after bookvisor unmapped it\n", apic_id, WATCH_PAGE);
    return true;
}

void check_smp(const struct check_context *ctx, struct check_result *res)
{
    u32 len = 0;
    const char *v = cmdline_value(ctx->boot->cmdline, "smp.expect=", &len);
    bool expect_parked = v && len == 6 && memcmp(v, "parked", 6) == 0;
    v = cmdline_value(ctx->boot->cmdline, "smp.shootdown=", &len);
    bool shootdown = v && len == 1 && v[0] == '1' && !expect_parked;
    u64 apic_base = rdmsr(MSR_APIC_BASE);
    if (!(apic_base & APIC_EN) || (apic_base & APIC_EXTD)) {
        check_skip(res, "the local APIC is off or in x2APIC mode");
        return;
    }
    use_x2apic = cmdline_value(ctx->boot->cmdline, "smp.x2apic", &len) != NULL;
    if (use_x2apic) {
        if (!(cpuid(1).ecx & (1u << 21))) {
            check_skip(res, "no x2APIC on this CPU");
            return;
        }
        wrmsr(MSR_APIC_BASE, apic_base | APIC_EXTD);
        if (!(rdmsr(MSR_APIC_BASE) & APIC_EXTD)) {
            check_fail(res, "the local APIC did not switch to x2APIC mode");
            return;
        }
        gprintf("guest: smp: local APIC in x2APIC mode; commands by WRMSR to 0x830\n");
    }
    u64 t;
    if (!clock_us(&t)) {
        check_fail(res, "no clock hypercall: not under bookvisor?");
        return;
    }
    u32 base = (u32)apic_base & ~0xFFFu;
    u32 self = cpuid(1).ebx >> 24;
    u32 ids[MAX_APS];
    u32 n = madt_others(self, ids, MAX_APS);
    if (n == 0) {
        check_skip(res, "one processor");
        return;
    }
    for (u32 i = 0; i < n; i++) {
        u32 cookie = 0x5EED0000u + ids[i];
        bool answered = start_ap(base, ids[i], cookie, expect_parked ? PARKED_WAIT_US : ANSWER_US,
                                 shootdown);
        if (expect_parked) {
            if (answered) {
                check_fail(res, "the processor with APIC id %u ran guest code (parked expected)",
                           ids[i]);
                return;
            }
            gprintf("guest: smp: APIC id %u stayed parked\n", ids[i]);
            continue;
        }
        if (!answered) {
            check_fail(res, "the processor with APIC id %u did not answer", ids[i]);
            return;
        }
        char sig[13];
        for (u32 w = 0; w < 3; w++)
            memcpy(sig + 4 * w, (const void *)field(ap_sig + w), 4);
        sig[12] = '\0';
        for (u32 c = 0; c < 12 && sig[c]; c++) /* printable, whatever a foreign hypervisor says */
            if (sig[c] < 0x20 || sig[c] > 0x7E)
                sig[c] = '?';
        if (!(*field(ap_ecx1) & (1u << 31)) || memcmp(sig, "bookvisor", 10) != 0) {
            check_fail(res, "APIC id %u ran outside bookvisor: hypervisor bit %u, signature \"%s\"",
                       ids[i], (*field(ap_ecx1) >> 31) & 1, sig);
            return;
        }
        if (*field(ap_answer) != ~cookie || *field(ap_apic_id) != ids[i]) {
            check_fail(res, "APIC id %u answered 0x%x to cookie 0x%x as APIC id %u", ids[i],
                       *field(ap_answer), cookie, *field(ap_apic_id));
            return;
        }
        gprintf("guest: smp: APIC id %u ran under bookvisor: hypervisor bit, signature \"%s\", "
                "memory ok\n", ids[i], sig);
        if (shootdown) {
            bool seen = shootdown_seen(ids[i], res);
            *field(ap_stop) = 1; /* it halts, parked for good */
            if (!seen)
                return;
        }
    }
    check_note(res, "%u other processor(s) %s%s", n, expect_parked ? "stayed parked" : "ran under bookvisor",
               use_x2apic ? ", x2APIC" : "");
}
