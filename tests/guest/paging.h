/**
 * @file tests/guest/paging.h
 * @brief Paging for the checks that need it: PAE with an identity map of the
 *        first 4 GiB, and optionally one 2 MiB alias window.
 *
 * The guest normally runs with paging off. A check that wants bookvisor to
 * walk its page tables (to fetch an instruction, or to find the memory of a
 * string instruction) turns PAE paging on, does its work and turns it off
 * again, with interrupts disabled throughout. Linear = physical everywhere,
 * except in the alias window.
 */
#ifndef GUEST_PAGING_H
#define GUEST_PAGING_H

#include "cpu.h"
#include "gtypes.h"

/** CR0.PG: paging on. */
#define CR0_PG (1u << 31)
/** CR4.PAE: 64-bit paging entries. */
#define CR4_PAE (1u << 5)
/** CR4.OSFXSR: SSE instructions allowed. */
#define CR4_OSFXSR (1u << 9)

/**
 * Turn on PAE paging: the first 4 GiB identity-mapped with 2 MiB pages,
 * except the 2 MiB at linear @p alias_la (2 MiB aligned; 0 for none),
 * which maps physical @p alias_pa (2 MiB aligned) instead.
 */
void paging_pae_on(u32 alias_la, u64 alias_pa);

/** Turn paging off again (CR0.PG and CR4.PAE clear). */
void paging_off(void);

/** PDPTE @p i (0..3) as it is in memory now (the CPU may have set bits in it). */
u64 paging_pdpte(u32 i);

#endif
