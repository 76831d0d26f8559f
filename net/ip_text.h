/**
 * @file net/ip_text.h
 * @brief IPv4 addresses as text, for the options `ip.ipaddr`, `ip.netmask` and
 *        `ip.gateway` (pure; chapter 10).
 */
#ifndef BOOKVISOR_NET_IP_TEXT_H
#define BOOKVISOR_NET_IP_TEXT_H

#include "common/lib/types.h"

/**
 * Parse a dotted quad "a.b.c.d" (four decimal numbers 0-255, no blanks,
 * no leading '+', at most three digits each) into
 * (a << 24) | (b << 16) | (c << 8) | d.
 * @return true, or false (and *out untouched) for anything else
 */
bool ip_text_parse(const char *s, u32 *out);

#endif
