/**
 * @file common/vm/guest_vm.h
 * @brief The one virtual machine bookvisor runs: its memory and its vCPUs (VMM only).
 *
 * What the vCPUs of the VM share is guarded by the VM's locks, always taken
 * in this order (a lock may be taken while holding one above it, never one
 * below; chapter 01, "Locks"):
 *
 *   1. hooks_lock: the I/O and MMIO hook tables (common/vm/hooks.c)
 *   2. npt_lock:   the nested map, its layout (MTRR snapshot included) and
 *                  its table pool (common/vm/vm_nested.h)
 *   3. vcpus_lock: adding a vCPU (common/vm/vm_vcpus.h; readers take none)
 *
 * and below them the VMM-wide locks of the backends (the VPID space) and
 * of common/base/mem.c (heap, then pages).
 */
#ifndef BOOKVISOR_COMMON_VM_GUEST_VM_H
#define BOOKVISOR_COMMON_VM_GUEST_VM_H

#include "common/vm/cr_features.h"
#include "common/vm/exit_dispatch.h"
#include "common/base/vmm_layout.h"
#include "common/lib/spinlock.h"
#include "common/npt/npt.h"
#include "common/npt/npt_pool.h"
#include "common/insn/guest_walk.h"
#include "common/vm/hooks.h"

/** Most vCPUs a VM can hold. */
#define GUEST_VM_MAX_VCPUS 64

/** Everything about the guest that is not per-vCPU. */
struct guest_vm {
    const struct backend_ops *backend; /**< the backend all its vCPUs run on */
    u64 vmm_base;                /**< VMM region start (hidden from the guest) */
    u64 vmm_size;                /**< VMM region size */
    struct npt map;            /**< nested page tables */
    struct npt_layout layout;  /**< what each guest-physical range is */
    struct npt_pool pool;      /**< pages for the nested tables */
    u64 private_accesses;        /**< guest accesses to VMM or unbacked memory */
    u64 refused_writes;          /**< CR0, CR4, EFER and IA32_APIC_BASE writes refused with \#GP (the first few are logged) */
    u64 mtrr_cap;                /**< IA32_MTRRCAP, to recognise MTRR writes */
    u8 maxphyaddr;               /**< physical-address width */
    u64 mtrr_updates;            /**< guest MTRR writes applied to the nested map */
    /** The guest's memory map (bookvisor's range reserved), as its boot
     *  information and the BIOS's memory-size answers give it
     *  (common/exits/bios_int15.h). Set once before the guest runs. */
    const struct phys_range *memory_map;
    size_t memory_map_len;       /**< entries in memory_map */
    /** Where the INT 15h stub is (common/exits/bios_int15.h); 0 = none. */
    u64 bios_stub_pa;
    /** The drive of BIOS chain boot (common/loader/bios_boot.h), for its messages. */
    u8 bios_boot_drive;
    /** test.events: the next nested fault that maps a page also raises \#GP(0)
     *  (common/exits/test_hypercalls.c); owner's vCPU only, cleared when used. */
    bool test_gp_on_next_npf;
    /** The CR4 and EFER bits of the CPU the guest was told of (CPUID after the
     *  policy): what its control-register writes may set. Written once before
     *  the first vCPU is made, read-only afterwards: no lock. */
    struct cr_features cr_features;
    /** Feature bits the backend cannot give the guest, cleared from every CPUID answer. */
    struct cpuid_hide cpuid_hide;
    /** vCPU i for i < n_vcpus; entries are never removed or moved. */
    struct vcpu *vcpus[GUEST_VM_MAX_VCPUS];
    /** Used entries of vcpus: stored with release after the entry, read with acquire. */
    unsigned n_vcpus;
    struct spinlock vcpus_lock;  /**< serialises guest_vm_attach_vcpu() */
    struct spinlock npt_lock;    /**< map, layout, pool, mtrr_updates */
    struct spinlock hooks_lock;  /**< io_hooks, io_port_hook, mmio_hooks, msr_hooks and their counts */
    struct io_hook io_hooks[HOOKS_MAX];     /**< claimed port ranges */
    unsigned n_io_hooks;                    /**< used entries of io_hooks */
    /** For each port, 1 + the index in io_hooks of the hook holding it, 0 for
     *  none: io_hook_find() looks a port up directly, whatever the number of
     *  hooks (an I/O exit's hot path, chapter 14). Under hooks_lock. */
    u8 io_port_hook[0x10000];
    struct mmio_hook mmio_hooks[HOOKS_MAX]; /**< claimed guest-physical ranges */
    unsigned n_mmio_hooks;                  /**< used entries of mmio_hooks */
    struct msr_write_hook msr_hooks[MSR_HOOKS_MAX]; /**< claimed MSR writes */
    unsigned n_msr_hooks;                           /**< used entries of msr_hooks */
    /** Changes of the nested map that need a flush, counted (common/lib/shootdown.h):
     *  raised under npt_lock, read by every vCPU without a lock. */
    u64 shootdown_requested;
    /** Other processors run vCPUs: AMD-V intercepts NMIs, which make them
     *  exit for a shootdown (VT-x's NMI exiting is on anyway). Set once, by
     *  the boot CPU, before any other vCPU exists. */
    bool nmi_shootdowns;
};

/** The exit handlers bookvisor installs (common/exits/exit_handlers.c). */
extern const struct exit_handler_table guest_exit_handlers;

/**
 * A new, empty VM whose vCPUs will run on backend (zeroed: no vCPU, no hook,
 * no nested map yet; every lock free). Panics when the heap is exhausted.
 */
struct guest_vm *guest_vm_create(const struct backend_ops *backend);

/**
 * A new vCPU of vm, with the next index as its id and no native state yet:
 * the backend's vcpu_init() (or guest_vm_init_vcpu()) makes it, on the CPU
 * that is to own it. NULL when the VM already holds GUEST_VM_MAX_VCPUS.
 */
struct vcpu *guest_vm_add_vcpu(struct guest_vm *vm);

/**
 * Make v's native state on the calling CPU (which will own v) from st, give
 * it the VM's nested map and the intercepts of every hook registered so far.
 * @return 0, or -1 when the backend could not (it printed why)
 */
int guest_vm_init_vcpu(struct guest_vm *vm, struct vcpu *v, const struct vcpu_init_state *st);

/** The guest VM of a vCPU (inline: exit handlers ask for it on every exit). */
static inline struct guest_vm *guest_vm_of(struct vcpu *v)
{
    return v->vm;
}

/** Paging state of the vCPU, for walks of guest page tables. */
void guest_vm_paging(struct vcpu *v, struct guest_paging *out);

/**
 * Read guest-physical memory if it is guest RAM or pass-through memory;
 * refuses VMM memory and unbacked addresses (a guest_read_phys_fn).
 */
bool guest_vm_read_phys(void *vm, u64 gpa, void *buf, size_t len);

/**
 * Fetch up to 15 instruction bytes at CS.base + RIP.
 * @param v     the vCPU, on the CPU that owns it
 * @param buf   where the bytes go
 * @param max   the most bytes to read (at most 15)
 * @param mode  if not NULL, set to the instruction-decoder mode (enum
 *              insn_mode) the bytes are to be decoded in
 * @return the number of bytes read (0 when the address is not readable).
 */
size_t guest_vm_fetch_insn(struct vcpu *v, u8 *buf, size_t max, int *mode);

/**
 * guest_vm_fetch_insn() for a caller that has read the paging state, the
 * mode, CS.base and RIP already (an emulated access's view of the vCPU):
 * no register is read again.
 */
size_t guest_vm_fetch_insn_from(struct vcpu *v, const struct guest_paging *pg, int mode,
                                u64 cs_base, u64 rip, u8 *buf, size_t max);

/** The instruction-decoder mode (16/32/64) the vCPU is in now. */
int guest_vm_insn_mode(struct vcpu *v);

/** guest_vm_insn_mode() with CR0 and EFER taken from pg (read by guest_vm_paging()). */
int guest_vm_insn_mode_in(struct vcpu *v, const struct guest_paging *pg);

/** Fill the VMM's canary with its pattern (before the guest runs). */
void vmm_canary_fill(void);

/** Is the canary still intact? */
bool vmm_canary_intact(void);

#endif
