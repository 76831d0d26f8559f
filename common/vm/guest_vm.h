/**
 * @file common/vm/guest_vm.h
 * @brief The one virtual machine bookvisor runs: its memory and its vCPU (VMM only).
 */
#ifndef BOOKVISOR_COMMON_VM_GUEST_VM_H
#define BOOKVISOR_COMMON_VM_GUEST_VM_H

#include "common/vm/exit_dispatch.h"
#include "common/npt/npt.h"
#include "common/npt/npt_pool.h"
#include "common/insn/guest_walk.h"
#include "common/vm/hooks.h"

/** Everything about the guest that is not per-vCPU. */
struct guest_vm {
    u64 vmm_base;                /**< VMM region start (hidden from the guest) */
    u64 vmm_size;                /**< VMM region size */
    struct npt map;            /**< nested page tables */
    struct npt_layout layout;  /**< what each guest-physical range is */
    struct npt_pool pool;      /**< pages for the nested tables */
    u64 private_accesses;        /**< guest accesses to VMM or unbacked memory */
    u64 mtrr_cap;                /**< IA32_MTRRCAP, to recognise MTRR writes */
    u8 maxphyaddr;               /**< physical-address width */
    u64 mtrr_updates;            /**< guest MTRR writes applied to the nested map */
    struct vcpu *boot_vcpu;      /**< vCPU 0 (NULL until created) */
    struct io_hook io_hooks[HOOKS_MAX];     /**< claimed port ranges */
    unsigned n_io_hooks;                    /**< used entries of io_hooks */
    struct mmio_hook mmio_hooks[HOOKS_MAX]; /**< claimed guest-physical ranges */
    unsigned n_mmio_hooks;                  /**< used entries of mmio_hooks */
};

/** The exit handlers bookvisor installs (common/exits/exit_handlers.c). */
extern const struct exit_handler_table guest_exit_handlers;

/** The guest VM of a vCPU. */
struct guest_vm *guest_vm_of(struct vcpu *v);

/** Paging state of the vCPU, for walks of guest page tables. */
void guest_vm_paging(struct vcpu *v, struct guest_paging *out);

/**
 * Read guest-physical memory if it is guest RAM or pass-through memory;
 * refuses VMM memory and unbacked addresses (a guest_read_phys_fn).
 */
bool guest_vm_read_phys(void *vm, u64 gpa, void *buf, size_t len);

/**
 * Fetch up to 15 instruction bytes at CS.base + RIP.
 * @return the number of bytes read (0 when the address is not readable).
 */
size_t guest_vm_fetch_insn(struct vcpu *v, u8 *buf, size_t max);

/** The instruction-decoder mode (16/32/64) the vCPU is in now. */
int guest_vm_insn_mode(struct vcpu *v);

/** Fill the VMM's canary with its pattern (before the guest runs). */
void vmm_canary_fill(void);

/** Is the canary still intact? */
bool vmm_canary_intact(void);

#endif
