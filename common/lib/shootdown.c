/*
 * common/lib/shootdown.c - requests and acknowledgements of the flushes of a shared map.
 */
#include "common/lib/shootdown.h"

u64 shootdown_request(u64 *requested)
{
    /* Sequentially consistent: ordered after the flush bits set before it. */
    return __atomic_add_fetch(requested, 1, __ATOMIC_SEQ_CST);
}

u64 shootdown_seen(const struct shootdown_target *t)
{
    return t->requested ? __atomic_load_n(t->requested, __ATOMIC_SEQ_CST) : 0;
}

void shootdown_ack(struct shootdown_target *t, u64 seen)
{
    /* Only the owner writes: a plain comparison is enough, the store
     * releases the flush before it to the waiting CPU. */
    if (seen > __atomic_load_n(&t->acked, __ATOMIC_RELAXED))
        __atomic_store_n(&t->acked, seen, __ATOMIC_RELEASE);
}

bool shootdown_acked(const struct shootdown_target *t, u64 gen)
{
    return __atomic_load_n(&t->acked, __ATOMIC_ACQUIRE) >= gen;
}

void shootdown_retire(struct shootdown_target *t)
{
    __atomic_store_n(&t->acked, ~0ULL, __ATOMIC_RELEASE);
}

bool shootdown_nmi_arm(u32 *in_flight)
{
    return __atomic_exchange_n(in_flight, 1, __ATOMIC_SEQ_CST) == 0;
}

bool shootdown_nmi_claim(u32 *in_flight)
{
    return __atomic_exchange_n(in_flight, 0, __ATOMIC_SEQ_CST) != 0;
}

bool shootdown_nmi_exit_ours(u32 *in_flight, u32 *in_host, bool host_took_exit_nmi)
{
    bool taken_by_host = shootdown_nmi_claim(in_host);
    if (host_took_exit_nmi)
        return taken_by_host;
    bool armed = shootdown_nmi_claim(in_flight);
    return armed || taken_by_host;
}
