/**
 * @file common/loader/multiboot_loader.h
 * @brief Multiboot (v1) and Multiboot2 as two guest loaders (pure).
 *
 * Both sit on common/loader/multiboot.h: probe the header, plan the
 * segments, copy them, put the modules after the kernel and the boot
 * information after the modules, and start the vCPU in 32-bit protected
 * mode (vcpu_state_protected32()) with EAX = the magic and EBX = the
 * information's address. A kernel with both headers is Multiboot2's: the v1
 * loader declines it (MULTIBOOT_ERR_V2_PREFERRED) unless its v2 header asks
 * for something bookvisor cannot give.
 */
#ifndef BOOKVISOR_COMMON_LOADER_MULTIBOOT_LOADER_H
#define BOOKVISOR_COMMON_LOADER_MULTIBOOT_LOADER_H

#include "common/loader/loader.h"

/** Multiboot 0.6.96 kernels ("a multiboot kernel"). */
extern const struct guest_loader multiboot1_loader;
/** Multiboot2 1.0 kernels ("a multiboot2 kernel"). */
extern const struct guest_loader multiboot2_loader;

#endif
