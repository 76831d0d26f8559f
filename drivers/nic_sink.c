/*
 * drivers/nic_sink.c - where NIC drivers hand their NICs (see nic_sink.h).
 */
#include "drivers/nic_sink.h"

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
