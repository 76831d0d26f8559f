/*
 * drivers/nic_sink.c - where NIC drivers hand their NICs (see nic_sink.h).
 */
#include "drivers/nic_sink.h"
#include "common/lib/kstring.h"

/* Set once at boot before any driver binds; only read afterwards. */
static const struct nic_sink *the_sink;

void nic_sink_set(const struct nic_sink *sink)
{
    the_sink = sink;
}

const struct nic_sink *nic_sink_get(void)
{
    return the_sink;
}

const char *nic_tty_check(const char *value)
{
    if (KSTR(strcmp)(value, "0") == 0 || KSTR(strcmp)(value, "1") == 0)
        return NULL;
    return "tty= takes 0 or 1";
}

const char *nic_offer_module(const char *net, const char *tty)
{
    if (net)
        return net;
    /* One code path: tty=1 alone is net=log (chapter 09). */
    return tty && KSTR(strcmp)(tty, "1") == 0 ? "log" : NULL;
}
