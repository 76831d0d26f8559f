/**
 * @file common/start/smp_stress.h
 * @brief test.alloc_stress: the page allocator and the heap from every CPU at once (VMM only, chapter 08).
 */
#ifndef BOOKVISOR_COMMON_START_SMP_STRESS_H
#define BOOKVISOR_COMMON_START_SMP_STRESS_H

#include "common/lib/types.h"

/**
 * On a processor bookvisor started, under test.alloc_stress: wait for the
 * boot CPU's signal, then allocate and free as smp_stress_run_boot() says.
 * @param index the processor's CPU number (seeds its choices)
 */
void smp_stress_join(u32 index);

/**
 * On the boot CPU, once @p others processors wait in smp_stress_join():
 * note the free pages and the heap's numbers, let every CPU loose at once
 * (the boot CPU too), each allocating pages and heap blocks of random sizes,
 * filling each with a pattern of its own and checking it before the free;
 * wait for all; then the numbers must be back where they were. Prints one
 * line: what ran and that nothing leaked or was damaged, or what went wrong.
 */
void smp_stress_run_boot(u32 others);

#endif
