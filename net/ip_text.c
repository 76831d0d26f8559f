/*
 * net/ip_text.c - dotted quads (see ip_text.h).
 */
#include "net/ip_text.h"
#include "common/lib/kstring.h"

bool ip_text_parse(const char *s, u32 *out)
{
    u32 value = 0;

    if (!s)
        return false;
    for (int part = 0; part < 4; part++) {
        u32 n = 0, digits = 0;

        while (*s >= '0' && *s <= '9' && digits < 4) {
            n = n * 10 + (u32)(*s - '0');
            s++;
            digits++;
        }
        if (digits == 0 || digits > 3 || n > 255)
            return false;
        value = value << 8 | n;
        if (part < 3 && *s++ != '.')
            return false;
    }
    if (*s)
        return false;
    *out = value;
    return true;
}

bool ip_text_parse_endpoint(const char *s, u32 *ip, u16 *port, u16 default_port)
{
    char addr[16];
    size_t n = 0;
    u32 p = default_port;

    if (!s)
        return false;
    while (s[n] && s[n] != ':') {
        if (n + 1 >= sizeof(addr))
            return false;
        addr[n] = s[n];
        n++;
    }
    addr[n] = '\0';
    if (s[n] == ':') {
        const char *d = s + n + 1;
        p = 0;
        if (!*d)
            return false;
        for (; *d; d++) {
            if (*d < '0' || *d > '9')
                return false;
            p = p * 10 + (u32)(*d - '0');
            if (p > 0xffff)
                return false;
        }
    }
    if (p == 0 || !ip_text_parse(addr, ip))
        return false;
    *port = (u16)p;
    return true;
}

bool ip_text_parse_mac(const char *s, u8 out[6])
{
    u8 mac[6];

    if (!s)
        return false;
    for (int i = 0; i < 6; i++) {
        u64 byte;
        /* Two hex digits exactly: strnlen stops a short string at its end. */
        if (strnlen(s, 2) < 2 || !kstr_to_u64(s, 2, 16, &byte) || (i < 5 && s[2] != ':'))
            return false;
        mac[i] = (u8)byte;
        s += i < 5 ? 3 : 2;
    }
    if (*s)
        return false;
    for (int i = 0; i < 6; i++)
        out[i] = mac[i];
    return true;
}
