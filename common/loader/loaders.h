/**
 * @file common/loader/loaders.h
 * @brief The loaders bookvisor tries, in order (loader_choose()).
 */
#ifndef BOOKVISOR_COMMON_LOADER_LOADERS_H
#define BOOKVISOR_COMMON_LOADER_LOADERS_H

#include "common/loader/loader.h"

/** Every loader, in the order they are tried. */
extern const struct guest_loader *const guest_loaders[];
/** Entries in guest_loaders. */
extern const size_t guest_loader_count;

#endif
