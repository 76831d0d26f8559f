/**
 * @file common/vm/vcpu.h
 * @brief The virtual CPU as common code sees it.
 *
 * General registers live here in one layout for both backends; the asm entry
 * loops save and restore them. Everything else (RIP, RSP, RFLAGS, control
 * registers, segments) lives in the backend's native structure (VMCB or
 * VMCS) and is reached through the backend's get/set operations.
 */
#ifndef BOOKVISOR_COMMON_VM_VCPU_H
#define BOOKVISOR_COMMON_VM_VCPU_H

#include "common/vm/bench_ticks.h"
#include "common/vm/cpuid_memo.h"
#include "common/base/timer.h"
#include "common/lib/shootdown.h"
#include "common/lib/types.h"
#include "common/vm/event.h"
#include "common/vm/hooks.h"
#include "common/vm/vm_exit.h"

/** General-purpose registers in the order the asm loops save them. */
struct vcpu_gprs {
    /**@{*/
    /** register number 0 to 7 in instruction encodings (RSP itself lives in the VMCB/VMCS) */
    u64 rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
    /**@}*/
    /**@{*/
    /** register number 8 to 15 */
    u64 r8, r9, r10, r11, r12, r13, r14, r15;
    /**@}*/
};

/**
 * Guest state that is not a general register. The segment bases (read
 * only) let common code find the memory of an instruction it emulates
 * (common/insn/insn_addr.h); set_reg ignores them.
 */
enum vcpu_reg {
    VCPU_REG_RIP, VCPU_REG_RSP, VCPU_REG_RFLAGS,
    VCPU_REG_CR0, VCPU_REG_CR2, VCPU_REG_CR3, VCPU_REG_CR4, VCPU_REG_EFER,
    VCPU_REG_CS_BASE, VCPU_REG_CS_ATTR, VCPU_REG_SS_ATTR,
    VCPU_REG_DR6, /**< the guest's DR6: a single-step \#DB sets its BS bit (chapter 08) */
    VCPU_REG_ES_BASE, VCPU_REG_SS_BASE, VCPU_REG_DS_BASE, VCPU_REG_FS_BASE, VCPU_REG_GS_BASE,
    VCPU_REG_COUNT
};

/** A segment register in the AMD "attrib" layout (type, S, DPL, P, AVL, L, D/B, G). */
struct vcpu_segment {
    u16 selector; /**< visible selector */
    u16 attr;     /**< bits 0-7: type,S,DPL,P; bits 8-11: AVL,L,DB,G; 0 = unusable */
    u32 limit;    /**< byte-granular limit */
    u64 base;     /**< linear base */
};

/** A descriptor-table register. */
struct vcpu_dtr {
    u64 base;   /**< linear base */
    u32 limit;  /**< limit */
};

/** The architectural state a vCPU starts from; a loader fills it (common/vm/vcpu_state.h builds the modes). */
struct vcpu_init_state {
    struct vcpu_gprs gprs;                    /**< initial general registers */
    /**@{*/
    /** instruction pointer, stack pointer or flags */
    u64 rip, rsp, rflags;
    /**@}*/
    /**@{*/
    /** control state */
    u64 cr0, cr3, cr4, efer;
    /**@}*/
    /**@{*/
    /** a segment register */
    struct vcpu_segment cs, ds, es, fs, gs, ss, tr, ldtr;
    /**@}*/
    /**@{*/
    /** a descriptor-table register */
    struct vcpu_dtr gdtr, idtr;
    /**@}*/
};

/** Why a guest stopped. */
enum vcpu_stop_kind {
    VCPU_RUNNING,        /**< not stopped */
    VCPU_STOP_POWEROFF,  /**< the guest switched the machine off: success */
    VCPU_STOP_ERROR,     /**< guest error, dead guest or unhandled event: failure */
};

struct backend_ops;
struct exit_handler_table;
struct cpu;

/** One virtual CPU. */
struct vcpu {
    struct vcpu_gprs gprs;                    /**< general registers (hot: first) */
    const struct backend_ops *backend;        /**< the backend running it */
    const struct exit_handler_table *handlers; /**< what handles its exits (set by vcpu_run) */
    void *arch;                               /**< backend-private state (VMCB/VMCS pages) */
    void *vm;                                 /**< the VM this vCPU belongs to (struct guest_vm) */
    u32 id;                                   /**< its index in the VM: 0 for the boot vCPU */
    enum vcpu_stop_kind stop;                 /**< set by a handler returning EXIT_STOP */
    char stop_reason[160];                    /**< human-readable reason */
    u64 exit_counts[VM_EXIT_KIND_COUNT];      /**< exits by kind */
    /**
     * Work to do before the next entry, one bit per kind (VCPU_WORK_*): the
     * one word the backends' exit assembly tests before it takes its fast
     * path, and vcpu_before_entry() before anything else. Any CPU may set a
     * bit (vcpu_request_work()); only the owner clears them.
     */
    u32 work_pending;
    /** The CPU that created the vCPU (backend vcpu_init): only it runs the vCPU
     *  and uses its native state (VMCB/VMCS); common/vm/vcpu_owner.h. */
    struct cpu *cpu;
    /** A remembered answer to CPUID leaf 1 always shows the guest's current
     *  CR4.OSXSAVE, which that leaf mirrors, so it may be remembered
     *  (cpuid_policy_stable_leaf()). Set by the backend that makes it so: on
     *  VT-x a write that changes the bit exits (the CR4 mask owns it) and
     *  empties the memo; on AMD-V, where CR4 writes may stay in the guest, the
     *  exit assembly copies the bit from the VMCB's CR4 into each answer.
     *  (The name is from when the exit was the only way.) */
    bool osxsave_writes_exit;
    /** Answers the backends' exit assembly may give without common code
     *  (common/vm/cpuid_memo.h); filled by on_cpuid(), emptied by vcpu_run()
     *  (AMD-V's assembly rewrites leaf 1's OSXSAVE bit in it as it answers). */
    struct cpuid_memo cpuid_memo __attribute__((aligned(32)));
    /** The events this vCPU owes its guest (common/vm/event.h, chapter 08). */
    struct event_queue events;
    /** The flushes of the shared nested map it has done (chapter 08, "Shootdown"). */
    struct shootdown_target shootdown;
    /** Where its TSC went, in a bench build only (common/vm/bench_ticks.h). */
    struct bench_ticks bench;
    /** The I/O hooks this vCPU's exits found (common/vm/hooks.h, chapter 14). */
    struct io_hook_memo io_hooks;
};

/** @name Bits of struct vcpu's work_pending */
/**@{*/
/** v->events holds something, or a window is open: the event model runs before the entry. */
#define VCPU_WORK_EVENTS (1u << 0)
/** Nested mappings changed: flush the TLB's nested translations before the entry. */
#define VCPU_WORK_NESTED_FLUSH (1u << 1)
/** Never answer an exit in the backend's assembly (test.no_fast_path, for measurements). */
#define VCPU_WORK_NO_FAST_PATH (1u << 2)
/** A VMM timer waits on this CPU: run the due ones (common/base/timer.h). While
 *  the bit is set every exit goes through C, so timers are checked at each. */
#define VCPU_WORK_TIMERS TIMER_WORK_BIT
/** This CPU changed the shared nested map: wait until every other vCPU has flushed (chapter 08). */
#define VCPU_WORK_SHOOTDOWN (1u << 4)
/**@}*/

/** "No deadline" for backend_ops.bound_run and vcpu_timer_deadline_tsc. */
#define VCPU_NO_DEADLINE (~0ULL)

/**
 * Ask for work before v's next entry (VCPU_WORK_* bits); safe from any CPU.
 * The backends' assembly then takes the full path, which runs
 * vcpu_before_entry().
 */
static inline void vcpu_request_work(struct vcpu *v, u32 bits)
{
    __atomic_fetch_or(&v->work_pending, bits, __ATOMIC_RELEASE);
}

/** Ask for a nested TLB flush before v's next entry; safe from any CPU. */
static inline void vcpu_request_nested_flush(struct vcpu *v)
{
    vcpu_request_work(v, VCPU_WORK_NESTED_FLUSH);
}

/**
 * The owner, before an entry: was a nested flush asked for? Clears the
 * request; one made meanwhile by another CPU is never lost.
 */
static inline bool vcpu_take_nested_flush(struct vcpu *v)
{
    if (!(__atomic_load_n(&v->work_pending, __ATOMIC_RELAXED) & VCPU_WORK_NESTED_FLUSH))
        return false;
    return __atomic_fetch_and(&v->work_pending, ~VCPU_WORK_NESTED_FLUSH, __ATOMIC_ACQ_REL) &
           VCPU_WORK_NESTED_FLUSH;
}

/** Record why the guest stops; returns EXIT_STOP for convenient tail calls. */
enum exit_action vcpu_stop(struct vcpu *v, enum vcpu_stop_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** All exits of a vCPU so far, every kind (the backends' fast paths included). */
u64 vcpu_exit_total(const struct vcpu *v);

/** Print the exit counters of a vCPU (one line per non-zero kind). */
void vcpu_print_counters(const struct vcpu *v, void (*print)(const char *line));

#endif
