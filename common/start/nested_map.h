/**
 * @file common/start/nested_map.h
 * @brief The guest's nested page tables: what each range is, and an empty root (VMM only).
 */
#ifndef BOOKVISOR_COMMON_START_NESTED_MAP_H
#define BOOKVISOR_COMMON_START_NESTED_MAP_H

#include "common/base/vmm_layout.h"

struct guest_vm;
struct backend_ops;

/**
 * Describe guest-physical space in vm->layout (RAM from map, everything
 * else below the top pass-through device memory, the VMM region private),
 * remember the host's MTRRs and their capabilities in vm, and create an
 * empty nested map in the backend's format. Nothing is mapped yet: each
 * first touch is a nested page fault (chapter 05). Stops the machine when
 * the layout or the root cannot be made.
 */
void nested_map_build(struct guest_vm *vm, const struct backend_ops *b, const struct phys_range *map,
                      size_t n);

#endif
