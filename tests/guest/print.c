/**
 * @file tests/guest/print.c
 * @brief A small printf for the guest: no libc, no 64-bit division helpers.
 */
#include "print.h"
#include "serial.h"

/* Output cursor into a bounded buffer; keeps one byte for the NUL. */
struct out {
    char *buf;
    u32 size;
    u32 len;
};

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* Divide by 10 with shifts and subtraction: i386 has no 64-bit divide and
 * the guest links without libgcc. */
static u64 divmod10(u64 n, u32 *rem)
{
    u64 q = 0;
    u64 r = 0;
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((n >> bit) & 1);
        if (r >= 10) {
            r -= 10;
            q |= 1ULL << bit;
        }
    }
    *rem = (u32)r;
    return q;
}

static void out_number(struct out *o, u64 value, u32 base, bool upper, bool negative, u32 width,
                       char pad)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    u32 n = 0;

    do {
        u32 d;
        if (base == 16) {
            d = (u32)(value & 0xF);
            value >>= 4;
        } else {
            value = divmod10(value, &d);
        }
        tmp[n++] = digits[d];
    } while (value != 0);

    u32 used = n + (negative ? 1 : 0);
    if (negative && pad == '0')
        out_char(o, '-');
    for (; used < width; used++)
        out_char(o, pad);
    if (negative && pad != '0')
        out_char(o, '-');
    while (n > 0)
        out_char(o, tmp[--n]);
}

u32 gvsnprintf(char *buf, u32 size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        u32 width = 0;
        int longs = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (u32)(*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            u32 len = 0;
            if (!s)
                s = "(null)";
            for (const char *p = s; *p; p++)
                len++;
            for (; len < width; len++)
                out_char(&o, ' ');
            while (*s)
                out_char(&o, *s++);
            break;
        }
        case 'c': out_char(&o, (char)va_arg(ap, int)); break;
        case 'd': {
            s32 v32 = 0;
            long long v;
            if (longs >= 2) {
                v = va_arg(ap, long long);
            } else {
                v32 = va_arg(ap, s32);
                v = v32;
            }
            bool neg = v < 0;
            u64 mag = neg ? (u64)0 - (u64)v : (u64)v;
            out_number(&o, mag, 10, false, neg, width, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = longs >= 2 ? va_arg(ap, u64) : va_arg(ap, u32);
            out_number(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', false, width, pad);
            break;
        }
        case '%': out_char(&o, '%'); break;
        case '\0':
            fmt--; /* let the loop see the end */
            break;
        default:
            out_char(&o, '%');
            out_char(&o, *fmt);
            break;
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len < size ? o.len : (size ? size - 1 : 0);
}

u32 gsnprintf(char *buf, u32 size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    u32 n = gvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void gprintf(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    gvsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    serial_puts(line);
}
