/**
 * @file common/lib/kstring.h
 * @brief Memory and string helpers for freestanding code.
 *
 * In the VMM these are bookvisor's own implementations (the compiler may also
 * emit calls to memcpy/memset/memmove/memcmp for struct copies). In host unit
 * tests (BOOKVISOR_HOST) the standard names come from the C library, and our
 * implementations are reachable under a kstr_ prefix so they can be tested.
 */
#ifndef BOOKVISOR_COMMON_LIB_KSTRING_H
#define BOOKVISOR_COMMON_LIB_KSTRING_H

#include "common/lib/types.h"

#ifdef BOOKVISOR_HOST
#include <string.h>
/** Name of a kstring function as compiled in this build. */
#define KSTR(name) kstr_##name
#else
/** Name of a kstring function as compiled in this build. */
#define KSTR(name) name
#endif

/** Copy n bytes; the areas must not overlap. */
void *KSTR(memcpy)(void *dst, const void *src, size_t n);
/** Copy n bytes; the areas may overlap. */
void *KSTR(memmove)(void *dst, const void *src, size_t n);
/** Fill n bytes with the byte c. */
void *KSTR(memset)(void *dst, int c, size_t n);
/** Compare n bytes; <0, 0 or >0 like the C library. */
int KSTR(memcmp)(const void *a, const void *b, size_t n);
/** Length of a NUL-terminated string. */
size_t KSTR(strlen)(const char *s);
/** Length of s, at most max. */
size_t KSTR(strnlen)(const char *s, size_t max);
/** Compare two strings. */
int KSTR(strcmp)(const char *a, const char *b);
/** Compare at most n characters of two strings. */
int KSTR(strncmp)(const char *a, const char *b, size_t n);
/** First occurrence of c in s, or NULL. */
char *KSTR(strchr)(const char *s, int c);
/**
 * C's strtol: blanks, an optional sign, then digits in base (2 to 36, or 0:
 * a 0x prefix means 16, a leading 0 means 8, else 10). *end (if end is not
 * NULL) points after the last digit used, or at s when there is none. Out of
 * range values give LONG_MAX or LONG_MIN. (lwIP's netif.c calls atoi(),
 * which the C library header defines through strtol.)
 */
long KSTR(strtol)(const char *s, char **end, int base);
/**
 * C's atoi: strtol(s, NULL, 10) as an int. (At -O2 the C library header
 * inlines lwIP's atoi() calls into strtol(); at -O0, `make DEBUG=1`, they
 * stay calls.)
 */
int KSTR(atoi)(const char *s);

/**
 * Copy a string into a buffer of size bytes, always NUL-terminating (when
 * size > 0). Returns strlen(src), so truncation shows as a result >= size.
 */
size_t kstrlcpy(char *dst, const char *src, size_t size);

/**
 * Parse an unsigned number from s[0..len). base 0 accepts 0x/0 prefixes like
 * C; base 10 or 16 are fixed. The whole span must be digits.
 * @return true and *out set on success; false on empty, bad digit or overflow.
 */
bool kstr_to_u64(const char *s, size_t len, unsigned base, u64 *out);

#endif
