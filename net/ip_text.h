/**
 * @file net/ip_text.h
 * @brief IPv4 and MAC addresses as text, for the options `ip.ipaddr`,
 *        `ip.netmask`, `ip.gateway`, `ip.syslog` and `ip.syslog_mac` (pure; chapter 10).
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

/**
 * Parse "a.b.c.d" or "a.b.c.d:port" (the `ip.syslog` option).
 * @param s            the text
 * @param ip           receives the address, as ip_text_parse() gives it
 * @param port         receives the port (1-65535), or @p default_port without ":port"
 * @param default_port the port when none is given, e.g. 514
 * @return false, leaving *ip and *port alone, when @p s is not of that form
 */
bool ip_text_parse_endpoint(const char *s, u32 *ip, u16 *port, u16 default_port);

/**
 * Parse a MAC address "xx:xx:xx:xx:xx:xx" (six pairs of hexadecimal digits,
 * either case, colons between; the `ip.syslog_mac` option).
 * @return true, or false (and out untouched) for anything else
 */
bool ip_text_parse_mac(const char *s, u8 out[6]);

#endif
