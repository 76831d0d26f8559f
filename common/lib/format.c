/**
 * @file common/lib/format.c
 * @brief printf-style formatting without floating point (see common/lib/format.h).
 *
 * One core, kvformat(), walks the format string and hands pieces of output
 * to a callback; kvsnprintf() is that core with a callback that fills a
 * buffer. The VMM is built without SSE, so there is no %f on purpose.
 */
#include "common/lib/format.h"

/** How one conversion was written: flags, width, precision, length. */
struct conv_spec {
    bool left; /**< '-': pad on the right */
    bool zero; /**< '0': pad numbers with zeros */
    u32 width; /**< minimum field width */
    s32 precision; /**< -1 when absent */
    u32 length; /**< size in bytes of the integer argument */
};

/** The output side: the callback and how much went through it. */
struct sink {
    void (*emit)(void *ctx, const char *s, size_t n);
    void *ctx;
    size_t total;
};

static void put(struct sink *out, const char *s, size_t n)
{
    if (n == 0)
        return;
    out->emit(out->ctx, s, n);
    out->total += n;
}

/** Emit n copies of c, in chunks, so padding costs few callbacks. */
static void put_repeat(struct sink *out, char c, size_t n)
{
    char chunk[32];
    size_t fill = n < sizeof(chunk) ? n : sizeof(chunk);

    for (size_t i = 0; i < fill; i++)
        chunk[i] = c;
    while (n > 0) {
        size_t step = n < sizeof(chunk) ? n : sizeof(chunk);

        put(out, chunk, step);
        n -= step;
    }
}

/** Emit text padded with spaces to the field width. */
static void put_padded(struct sink *out, const struct conv_spec *spec, const char *s, size_t n)
{
    size_t pad = spec->width > n ? spec->width - n : 0;

    if (!spec->left)
        put_repeat(out, ' ', pad);
    put(out, s, n);
    if (spec->left)
        put_repeat(out, ' ', pad);
}

/**
 * Emit a number: prefix (sign or "0x"), then digits, padded to the width.
 * Zero padding goes between the prefix and the digits, as in C.
 */
static void put_number(struct sink *out, const struct conv_spec *spec, const char *prefix,
                       u64 value, unsigned base, bool upper)
{
    const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24]; /* 22 octal digits is the most a u64 needs */
    size_t ndigits = 0;
    size_t nprefix = 0;
    size_t min_digits, body, pad;

    while (prefix[nprefix])
        nprefix++;
    do {
        digits[sizeof(digits) - 1 - ndigits++] = digit_set[value % base];
        value /= base;
    } while (value != 0);

    /* C rule: an explicit precision is a minimum digit count and
     * disables the '0' flag; precision 0 prints nothing for the value 0. */
    min_digits = spec->precision >= 0 ? (size_t)spec->precision : 1;
    if (min_digits == 0 && ndigits == 1 && digits[sizeof(digits) - 1] == '0')
        ndigits = 0;
    body = nprefix + (min_digits > ndigits ? min_digits : ndigits);
    pad = spec->width > body ? spec->width - body : 0;

    if (spec->zero && !spec->left && spec->precision < 0) {
        min_digits = (ndigits > min_digits ? ndigits : min_digits) + pad;
        pad = 0;
    }
    if (!spec->left)
        put_repeat(out, ' ', pad);
    put(out, prefix, nprefix);
    if (min_digits > ndigits)
        put_repeat(out, '0', min_digits - ndigits);
    put(out, digits + sizeof(digits) - ndigits, ndigits);
    if (spec->left)
        put_repeat(out, ' ', pad);
}

/** Fetch a signed integer argument of the size the length modifier says. */
static s64 arg_signed(va_list *ap, u32 length)
{
    switch (length) {
    case 1: return (s8)va_arg(*ap, int);
    case 2: return (s16)va_arg(*ap, int);
    case 8: return va_arg(*ap, s64);
    default: return va_arg(*ap, int);
    }
}

/** Fetch an unsigned integer argument of the size the length modifier says. */
static u64 arg_unsigned(va_list *ap, u32 length)
{
    switch (length) {
    case 1: return (u8)va_arg(*ap, unsigned int);
    case 2: return (u16)va_arg(*ap, unsigned int);
    case 8: return va_arg(*ap, u64);
    default: return va_arg(*ap, unsigned int);
    }
}

/**
 * Read flags, width, precision and length of one conversion starting just
 * after the '%'. Returns the position of the conversion character.
 */
static const char *parse_spec(const char *p, struct conv_spec *spec, va_list *ap)
{
    spec->left = false;
    spec->zero = false;
    spec->width = 0;
    spec->precision = -1;
    spec->length = sizeof(int);

    for (;; p++) {
        if (*p == '-')
            spec->left = true;
        else if (*p == '0')
            spec->zero = true;
        else
            break;
    }
    if (*p == '*') {
        int w = va_arg(*ap, int);

        /* A negative '*' width means left-justified, as in C. */
        if (w < 0) {
            spec->left = true;
            w = w == -2147483647 - 1 ? 2147483647 : -w;
        }
        spec->width = (u32)w;
        p++;
    } else {
        while (*p >= '0' && *p <= '9') {
            if (spec->width < 100000000)
                spec->width = spec->width * 10 + (u32)(*p - '0');
            p++;
        }
    }
    if (*p == '.') {
        p++;
        spec->precision = 0;
        if (*p == '*') {
            int prec = va_arg(*ap, int);

            spec->precision = prec < 0 ? -1 : prec; /* negative: as if absent */
            p++;
        } else {
            while (*p >= '0' && *p <= '9') {
                if (spec->precision < 100000000)
                    spec->precision = spec->precision * 10 + (*p - '0');
                p++;
            }
        }
    }
    if (p[0] == 'h' && p[1] == 'h') {
        spec->length = 1;
        p += 2;
    } else if (p[0] == 'h') {
        spec->length = 2;
        p++;
    } else if (p[0] == 'l' && p[1] == 'l') {
        spec->length = 8;
        p += 2;
    } else if (p[0] == 'l') {
        spec->length = sizeof(long);
        p++;
    } else if (p[0] == 'z') {
        spec->length = sizeof(size_t);
        p++;
    }
    return p;
}

/** Emit one %s argument, honouring precision (a maximum length) and width. */
static void put_string(struct sink *out, const struct conv_spec *spec, const char *s)
{
    size_t n = 0;

    if (!s)
        s = "(null)";
    /* Never read past the precision: the string need not be terminated. */
    while ((spec->precision < 0 || n < (size_t)spec->precision) && s[n])
        n++;
    put_padded(out, spec, s, n);
}

int kvformat(void (*emit)(void *ctx, const char *s, size_t n), void *ctx, const char *fmt,
             va_list ap)
{
    struct sink out = { .emit = emit, .ctx = ctx, .total = 0 };
    struct conv_spec spec;
    va_list args;
    const char *p = fmt;

    if (!emit || !fmt)
        return 0;
    /* A copy lets helpers take &args portably (va_list may be an array). */
    va_copy(args, ap);
    while (*p) {
        const char *start = p;

        while (*p && *p != '%')
            p++;
        put(&out, start, (size_t)(p - start));
        if (*p == '\0')
            break;
        start = p++; /* start: the '%', for echoing unknown conversions */
        p = parse_spec(p, &spec, &args);
        switch (*p) {
        case 'd':
        case 'i': {
            s64 v = arg_signed(&args, spec.length);
            /* Negate as unsigned so the most negative value works too. */
            u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

            put_number(&out, &spec, v < 0 ? "-" : "", mag, 10, false);
            break;
        }
        case 'u': put_number(&out, &spec, "", arg_unsigned(&args, spec.length), 10, false); break;
        case 'x':
        case 'X':
            put_number(&out, &spec, "", arg_unsigned(&args, spec.length), 16, *p == 'X');
            break;
        case 'o': put_number(&out, &spec, "", arg_unsigned(&args, spec.length), 8, false); break;
        case 'p':
            spec.precision = -1;
            put_number(&out, &spec, "0x", (u64)(uintptr_t)va_arg(args, void *), 16, false);
            break;
        case 's': put_string(&out, &spec, va_arg(args, const char *)); break;
        case 'c': {
            char c = (char)va_arg(args, int);

            put_padded(&out, &spec, &c, 1);
            break;
        }
        case '%': put(&out, "%", 1); break;
        case '\0':
            /* A lone '%' at the end: show it rather than drop it. */
            put(&out, start, (size_t)(p - start));
            continue;
        default:
            /* Unknown conversion: echo it so the mistake is visible. */
            put(&out, start, (size_t)(p - start) + 1);
            break;
        }
        p++;
    }
    va_end(args);
    return out.total > 0x7fffffff ? 0x7fffffff : (int)out.total;
}

/** State of kvsnprintf(): where the next byte goes and the room left. */
struct buffer_sink {
    char *buf;
    size_t size;
    size_t used;
};

static void buffer_emit(void *ctx, const char *s, size_t n)
{
    struct buffer_sink *b = ctx;

    /* Keep one byte for the NUL; drop what does not fit but keep counting
     * in kvformat() so the caller learns the full length. */
    if (b->size == 0 || b->used >= b->size - 1)
        return;
    if (n > b->size - 1 - b->used)
        n = b->size - 1 - b->used;
    for (size_t i = 0; i < n; i++)
        b->buf[b->used + i] = s[i];
    b->used += n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer_sink b = { .buf = buf, .size = buf ? size : 0, .used = 0 };
    int total = kvformat(buffer_emit, &b, fmt, ap);

    if (b.size > 0)
        buf[b.used] = '\0';
    return total;
}

int ksnappendf(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    if (*pos < size)
        n = kvsnprintf(buf + *pos, size - *pos, fmt, ap);
    else
        n = kvsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        *pos += (size_t)n;
    return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int total;

    va_start(ap, fmt);
    total = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return total;
}
