/**
 * @file common/vm/backend.h
 * @brief The contract every virtualization backend implements (chapter 02).
 *
 * A backend is one constant table of operations. Backends know hardware,
 * not policy: they translate native exits into struct vm_exit and apply the
 * action common code returns. arch/svm implements it for AMD-V and arch/vmx
 * for VT-x; tests/unit implements a mock.
 *
 * CPUs and vCPUs: enable_cpu() acts on the CPU that calls it (its struct
 * cpu, arch/x86/percpu.h), and vcpu_init() makes the vCPU's native state on
 * the calling CPU, which owns the vCPU from then on (v->cpu). Every other
 * operation acts on the vCPU it is given, whatever other vCPU's state was
 * used last (VT-x: it makes v's VMCS current first). The operations that use
 * the native state (run, get_reg, set_reg, skip_instruction, inject,
 * get_interruptibility, set_event_windows, flush_nested_tlb, set_nested_root,
 * dump_state) may be called only on the owning CPU; on any
 * other they panic (common/vm/vcpu_owner.h). set_io_intercept and
 * set_msr_intercept change only the permission bitmaps, memory the CPU reads
 * at each access: any CPU may call them.
 */
#ifndef BOOKVISOR_COMMON_VM_BACKEND_H
#define BOOKVISOR_COMMON_VM_BACKEND_H

#include "common/lib/cpuid_hide.h"
#include "common/lib/types.h"
#include "common/vm/vcpu.h"

struct cpu_info;
struct npt_format;

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
    VM_INTERCEPT_CR0_WRITE,  /**< MOV to CR0 and LMSW, at least every write that changes a bit other than TS and MP */
    VM_INTERCEPT_CR4_WRITE,  /**< MOV to CR4, at least every write that sets a bit the CPU must refuse */
    VM_INTERCEPT_SHUTDOWN,   /**< a triple fault (shutdown) */
    VM_INTERCEPT_INIT,       /**< an INIT signal */
    /** Physical external interrupts (on while the VMM owns a vector, chapter 08) */
    VM_INTERCEPT_EXTERNAL_INTERRUPT,
    /** Physical NMIs (on VT-x always; on AMD-V while other processors run vCPUs: chapter 08, "Shootdown") */
    VM_INTERCEPT_NMI,
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
    /**
     * Turn virtualization on for the calling CPU (EFER.SVME and its host save
     * area / VMXON and its region) and hang the backend's per-CPU data on its
     * struct cpu; nothing when it is on already. 0 or -1 with a message printed.
     */
    int (*enable_cpu)(void);
    /**
     * Hold the calling CPU (enable_cpu() done, no vCPU of its own yet) where
     * neither an INIT nor a start-up IPI from the guest can take it out of
     * bookvisor's control, with interrupts off; never returns (chapter 08,
     * "SMP start-up"). VT-x: HLT in VMX root operation, which blocks INIT
     * and ignores start-up IPIs; AMD-V: HLT with GIF clear, which holds INIT
     * pending.
     */
    void (*park_cpu)(void);
    /**
     * Before the calling CPU waits in bookvisor, interrupts off, for the
     * guest to start it: hold INIT signals pending, so that none can reset
     * it into the guest's hands. VT-x: nothing (VMX root operation blocks
     * INIT); AMD-V: GIF cleared (VMRUN sets it again).
     */
    void (*hold_init)(void);
    /**
     * Create the native structures of v from an initial state, on the calling
     * CPU (enable_cpu() done), which becomes v's owner (v->cpu); v gets its
     * own TLB tag (ASID / VPID). 0, or -1 with a message printed.
     */
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
     * the backend must find it) and clear the interrupt shadow. Returns
     * VM_SKIP_FAILED when the length cannot be determined, and
     * VM_SKIP_DONE_SINGLE_STEP when the guest runs with RFLAGS.TF set (common
     * code then queues the single-step \#DB, vcpu_skip()).
     */
    enum vm_skip (*skip_instruction)(struct vcpu *v, const struct vm_exit *exit);
    /**
     * Deliver an event on the next entry. Only the event model calls it, at
     * most once per entry (vcpu_event_prepare_entry(), chapter 08); the
     * backend never writes a cut-short event back by itself.
     */
    void (*inject)(struct vcpu *v, const struct vm_event *event);
    /**
     * Read the guest's interruptibility before an entry: RFLAGS.IF, the
     * STI/MOV SS shadow, and NMI blocking where the hardware keeps it (VT-x:
     * the guest interruptibility state, with virtual NMIs; AMD-V reports
     * false and the VMM keeps its own, struct event_queue). After an exit
     * during an IRET that unblocked NMIs (VT-x exit qualification bit 12),
     * the IRET runs again, so the blocking counts as still there.
     */
    void (*get_interruptibility)(struct vcpu *v, struct event_interruptibility *out);
    /**
     * Open or close the two window exits; the backend reports them as
     * VM_EXIT_INTERRUPT_WINDOW and VM_EXIT_NMI_WINDOW, and changes them only
     * when told. VT-x: the interrupt-window and NMI-window exiting controls
     * (the latter needs NMI exiting and virtual NMIs). AMD-V: a virtual
     * interrupt (V_IRQ) with the VINTR intercept; for NMIs, which AMD-V has
     * no window for, the IRET intercept, reporting the window once the IRET
     * has completed (chapter 03, "Windows").
     */
    void (*set_event_windows)(struct vcpu *v, bool interrupt_window, bool nmi_window);
    /**
     * Drop the guest's nested translations from the TLB before the next
     * entry (AMD-V: TLB_CONTROL for the next VMRUN; VT-x: INVEPT). Called by
     * vcpu_before_entry() when a flush was asked for (VCPU_WORK_NESTED_FLUSH).
     */
    void (*flush_nested_tlb)(struct vcpu *v);
    /**
     * The CPUID feature bits this backend cannot let the guest use on this
     * CPU (common/lib/cpuid_hide.h), written to *out; NULL when there are
     * none. Asked once, before the guest's first CPUID.
     */
    void (*cpuid_hidden)(struct cpuid_hide *out);
    /**
     * Bound the guest's next runs: get control back by the time the TSC
     * reaches tsc_deadline even if the guest never exits by itself, then
     * report VM_EXIT_VMM_TIMER; VCPU_NO_DEADLINE takes the bound away.
     * Called by vcpu_before_entry() before each entry while a VMM timer
     * waits on this CPU, and once with VCPU_NO_DEADLINE when none waits any
     * more (chapter 07). VT-x: the VMX-preemption timer; AMD-V: the local
     * APIC timer, borrowed while the guest leaves it idle, with physical
     * interrupts exiting whatever the guest's IF. NULL: the backend has no
     * such bound, and a guest that never exits delays the VMM's timers.
     */
    void (*bound_run)(struct vcpu *v, u64 tsc_deadline);
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
    /** Does a physical NMI that made the guest exit stay pending and reach the host's
     *  NMI handler after the exit (AMD-V, at STGI: true), or did the exit consume it
     *  (VT-x: false)? Decides who claims a shootdown's NMI (common/lib/shootdown.h). */
    bool nmi_exit_reaches_host;
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
