/**
 * @file common/lib/version.h
 * @brief bookvisor's version (also reported to guests by CPUID 0x40000001).
 */
#ifndef BOOKVISOR_COMMON_LIB_VERSION_H
#define BOOKVISOR_COMMON_LIB_VERSION_H

#define BOOKVISOR_VERSION_MAJOR 0 /**< major version */
#define BOOKVISOR_VERSION_MINOR 1 /**< minor version */
/** Version as text. */
#define BOOKVISOR_VERSION_STRING "0.1"
/** Version as CPUID 0x40000001 EAX reports it: major in 31:16, minor in 15:0. */
#define BOOKVISOR_VERSION_CPUID ((BOOKVISOR_VERSION_MAJOR << 16) | BOOKVISOR_VERSION_MINOR)

#endif
