/**
 * @file common/lib/kstring.c
 * @brief bookvisor's own memory and string helpers (see common/lib/kstring.h).
 *
 * In the VMM these are the real memcpy/memset/... (GCC emits calls to them for
 * struct copies even with -ffreestanding). In host tests KSTR() renames them to
 * kstr_memcpy etc. so they can be tested beside the C library's versions.
 *
 * The byte loops below look exactly like what GCC's loop-pattern optimisation
 * turns into a call to memset/memcpy, which inside memset itself would be
 * endless recursion; the attribute keeps the loops as loops.
 */
#include "common/lib/kstring.h"

/** Stop GCC from replacing our loops by calls to the functions we define. */
#ifdef __clang__
#define KSTR_NO_PATTERNS
#else
#define KSTR_NO_PATTERNS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

KSTR_NO_PATTERNS
void *KSTR(memcpy)(void *dst, const void *src, size_t n)
{
#ifndef BOOKVISOR_HOST
    /* One instruction, fast on every x86 since "fast strings". */
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
#else
    u8 *d = dst;
    const u8 *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
#endif
}

KSTR_NO_PATTERNS
void *KSTR(memmove)(void *dst, const void *src, size_t n)
{
    u8 *d = dst;
    const u8 *s = src;

    if (d == s || n == 0)
        return dst;
    /* Copy from the end when dst starts inside src, so src bytes are read
     * before they are overwritten. */
    if ((uintptr_t)d > (uintptr_t)s && (uintptr_t)d - (uintptr_t)s < n) {
        while (n--)
            d[n] = s[n];
    } else {
        while (n--)
            *d++ = *s++;
    }
    return dst;
}

KSTR_NO_PATTERNS
void *KSTR(memset)(void *dst, int c, size_t n)
{
#ifndef BOOKVISOR_HOST
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
#else
    u8 *d = dst;

    while (n--)
        *d++ = (u8)c;
    return dst;
#endif
}

int KSTR(memcmp)(const void *a, const void *b, size_t n)
{
    const u8 *x = a;
    const u8 *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t KSTR(strlen)(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t KSTR(strnlen)(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int KSTR(strcmp)(const char *a, const char *b)
{
    /* Compare as unsigned char, as the C library does. */
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (*x > *y) - (*x < *y);
}

int KSTR(strncmp)(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
        if (x[i] == '\0')
            return 0;
    }
    return 0;
}

char *KSTR(strchr)(const char *s, int c)
{
    char wanted = (char)c;

    /* The terminating NUL counts as part of the string (strchr(s, 0)). */
    for (;; s++) {
        if (*s == wanted)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

size_t kstrlcpy(char *dst, const char *src, size_t size)
{
    size_t len = KSTR(strlen)(src);

    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;

        KSTR(memcpy)(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/** Value of one digit character, or 255 if it is not a digit in any base. */
static unsigned digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'z')
        return (unsigned)(c - 'a') + 10;
    if (c >= 'A' && c <= 'Z')
        return (unsigned)(c - 'A') + 10;
    return 255;
}

bool kstr_to_u64(const char *s, size_t len, unsigned base, u64 *out)
{
    size_t i = 0;
    u64 value = 0;

    if (!s || len == 0)
        return false;
    if (base == 0) {
        /* C rules: 0x/0X means hex, a leading 0 means octal. */
        if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
            base = 16;
            i = 2;
        } else if (len > 1 && s[0] == '0') {
            base = 8;
            i = 1;
        } else {
            base = 10;
        }
    } else if (base < 2 || base > 36) {
        return false;
    } else if (base == 16 && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        i = 2; /* like strtoul, base 16 tolerates the 0x prefix */
    }
    for (; i < len; i++) {
        unsigned d = digit_value(s[i]);

        if (d >= base)
            return false;
        if (value > (UINT64_MAX - d) / base)
            return false;
        value = value * base + d;
    }
    if (out)
        *out = value;
    return true;
}

static int strtol_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

long KSTR(strtol)(const char *s, char **end, int base)
{
    const char *p = s;
    bool negative = false, any = false, overflow = false;
    unsigned long value = 0;
    /* the magnitude allowed: LONG_MAX, or LONG_MAX + 1 for a negative value */
    unsigned long limit;

    if (end)
        *end = (char *)s;
    if (base < 0 || base == 1 || base > 36)
        return 0;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        strtol_digit(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    limit = negative ? (unsigned long)__LONG_MAX__ + 1 : (unsigned long)__LONG_MAX__;
    for (; strtol_digit(*p) < base; p++) {
        unsigned long d = (unsigned long)strtol_digit(*p);

        any = true;
        if (overflow || value > (limit - d) / (unsigned long)base)
            overflow = true;
        else
            value = value * (unsigned long)base + d;
    }
    if (!any)
        return 0;
    if (end)
        *end = (char *)p;
    if (overflow)
        return negative ? -__LONG_MAX__ - 1 : __LONG_MAX__;
    return negative ? (long)(0 - value) : (long)value;
}

int KSTR(atoi)(const char *s)
{
    return (int)KSTR(strtol)(s, NULL, 10);
}
