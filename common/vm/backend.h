/**
 * @file common/vm/backend.h
 * @brief The contract every virtualization backend implements (chapter 02).
 *
 * A backend is one constant table of operations. Backends know hardware,
 * not policy: they translate native exits into struct vm_exit and apply the
 * action common code returns. arch/svm implements it for AMD-V and arch/vmx
 * for VT-x; tests/unit implements a mock.
 */
#ifndef BOOKVISOR_COMMON_VM_BACKEND_H
#define BOOKVISOR_COMMON_VM_BACKEND_H

#include "common/lib/types.h"
#include "common/vm/vcpu.h"

struct cpu_info;
struct npt_format;

/** Kinds of event a backend can inject. */
enum vm_event_type {
    VM_EVENT_EXTERNAL_INTERRUPT, /**< maskable interrupt with a vector */
    VM_EVENT_NMI,                /**< non-maskable interrupt */
    VM_EVENT_EXCEPTION,          /**< hardware exception, maybe with error code */
};

/** An event to deliver to the guest on the next entry. */
struct vm_event {
    enum vm_event_type type; /**< kind */
    u8 vector;               /**< vector */
    bool has_error;          /**< push an error code */
    u32 error_code;          /**< the error code */
};

/**
 * Things bookvisor may ask a backend to make exit. Which ones it asks for,
 * and why, is the intercept policy (common/exits/intercept_policy.h); each
 * backend knows what they mean in its hardware (some exit on VT-x whatever
 * the VMM wants).
 */
enum vm_intercept {
    VM_INTERCEPT_CPUID,      /**< the CPUID instruction */
    VM_INTERCEPT_HLT,        /**< the HLT instruction */
    VM_INTERCEPT_INVD,       /**< the INVD instruction */
    VM_INTERCEPT_HYPERCALL,  /**< VMMCALL (AMD) or VMCALL (Intel) */
    VM_INTERCEPT_VIRT_INSNS, /**< the vendor's other virtualization instructions */
    VM_INTERCEPT_CR4_WRITE,  /**< MOV to CR4, at least every write that sets a bit the CPU must refuse */
    VM_INTERCEPT_SHUTDOWN,   /**< a triple fault (shutdown) */
    VM_INTERCEPT_INIT,       /**< an INIT signal */
    VM_INTERCEPT_COUNT       /**< number of kinds */
};

/** The operations of one backend. */
struct backend_ops {
    /** "svm" or "vmx". */
    const char *name;
    /**
     * Can this CPU run this backend? Fills a short feature list for the
     * banner, or a reason why not. No state is changed.
     */
    bool (*probe)(const struct cpu_info *cpu, char *features, size_t flen, char *why, size_t wlen);
    /** Turn virtualization on for this CPU (EFER.SVME / VMXON). 0 or -1 with a message printed. */
    int (*enable_cpu)(void);
    /** Create the native structures of v from an initial state. 0 or -1. */
    int (*vcpu_init)(struct vcpu *v, const struct vcpu_init_state *state);
    /**
     * Enter the guest, and at every exit decode it into a struct vm_exit and
     * pass it to vcpu_handle_exit() (or vcpu_handle_exit_inline()); enter
     * again while that returns true. Returns when it returns false, or after
     * setting v->stop itself when entry fails.
     */
    void (*run)(struct vcpu *v);
    /** Read a non-GPR guest register. */
    u64 (*get_reg)(struct vcpu *v, enum vcpu_reg reg);
    /** Write a non-GPR guest register. */
    void (*set_reg)(struct vcpu *v, enum vcpu_reg reg, u64 value);
    /**
     * Advance RIP past the exiting instruction (len from the exit, or 0 if
     * the backend must find it) and clear the interrupt shadow. Returns false
     * when the length cannot be determined.
     */
    bool (*skip_instruction)(struct vcpu *v, const struct vm_exit *exit);
    /** Deliver an event on the next entry. */
    void (*inject)(struct vcpu *v, const struct vm_event *event);
    /** Make what exit (it stays intercepted); false if this CPU cannot. */
    bool (*set_intercept)(struct vcpu *v, enum vm_intercept what);
    /** Intercept (or stop intercepting) one I/O port. */
    void (*set_io_intercept)(struct vcpu *v, u16 port, bool on);
    /** Intercept reads and/or writes of one MSR. */
    void (*set_msr_intercept)(struct vcpu *v, u32 msr, bool read, bool write);
    /** Install the nested page table root (NPT CR3 / EPTP address). */
    void (*set_nested_root)(struct vcpu *v, u64 root_pa);
    /** May nested page tables map 1 GiB pages on this CPU? (valid after probe) */
    bool (*nested_1g_pages)(void);
    /** Print a summary of the guest state (for failures). */
    void (*dump_state)(struct vcpu *v);
    /** Is the guest's hypercall instruction VMMCALL (true) or VMCALL (false)? */
    bool uses_vmmcall;
    /** The hardware's name for people: "AMD-V" or "VT-x". */
    const char *hardware;
    /** The entry format of its nested page tables (common/npt/npt_format.h). */
    const struct npt_format *nested_format;
};

/** The AMD-V backend (arch/svm). */
extern const struct backend_ops svm_backend;
/** The VT-x backend (arch/vmx). */
extern const struct backend_ops vmx_backend;

#endif
