/*
 * net/ip_text.c - dotted quads (see ip_text.h).
 */
#include "net/ip_text.h"

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
