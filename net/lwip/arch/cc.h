/*
 * net/lwip/arch/cc.h - what lwIP needs to know about bookvisor as a
 * platform (chapter 10): byte order, no <ctype.h> or <inttypes.h> (bookvisor
 * is freestanding), and where diagnostics and assertions go.
 */
#ifndef BOOKVISOR_LWIP_ARCH_CC_H
#define BOOKVISOR_LWIP_ARCH_CC_H

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_INTTYPES_H 1
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* Printf-like, its arguments in one pair of parentheses (lwIP's convention). */
void bv_ip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An lwIP assertion failed: bookvisor stops with the message. */
void bv_ip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));

#define LWIP_PLATFORM_DIAG(x) do { bv_ip_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) bv_ip_assert((x), __FILE__, __LINE__)

#endif
