/**
 * @file common/vm/vm_exit.h
 * @brief The one generic description of a VM exit (chapter 02).
 *
 * Each backend reads its native exit record (VMCB exit code and EXITINFO
 * fields on AMD-V, exit reason and qualification in the VMCS on VT-x) and
 * fills a struct vm_exit. Common code never looks at native records, so the
 * same handlers serve both backends and can be driven by a mock in tests.
 */
#ifndef BOOKVISOR_COMMON_VM_VM_EXIT_H
#define BOOKVISOR_COMMON_VM_VM_EXIT_H

#include "common/lib/types.h"
#include "common/vm/event.h"

/** What kind of event made the guest exit. */
enum vm_exit_kind {
    VM_EXIT_CPUID,              /**< CPUID executed */
    VM_EXIT_RDMSR,              /**< RDMSR of an intercepted MSR (index in details.msr) */
    VM_EXIT_WRMSR,              /**< WRMSR of an intercepted MSR */
    VM_EXIT_IO,                 /**< IN/OUT/INS/OUTS to an intercepted port */
    VM_EXIT_HLT,                /**< HLT executed */
    VM_EXIT_VMCALL,             /**< VMCALL (VT-x) or VMMCALL (AMD-V): a hypercall */
    VM_EXIT_NESTED_PAGE_FAULT,  /**< EPT violation / NPT fault */
    VM_EXIT_CR_ACCESS,          /**< intercepted control-register access */
    VM_EXIT_XSETBV,             /**< XSETBV executed */
    VM_EXIT_EXTERNAL_INTERRUPT, /**< a physical interrupt arrived while intercepted */
    VM_EXIT_NMI,                /**< a physical NMI */
    VM_EXIT_EXCEPTION,          /**< an intercepted guest exception */
    VM_EXIT_INIT,               /**< INIT signal */
    VM_EXIT_SIPI,               /**< start-up IPI */
    VM_EXIT_SHUTDOWN,           /**< triple fault / shutdown */
    VM_EXIT_INVALID_STATE,      /**< VM entry failed: the guest state is not valid */
    VM_EXIT_VIRT_INSN,          /**< the guest used a VMX/SVM instruction (it was told there are none) */
    VM_EXIT_INVD,               /**< INVD: invalidate caches without writing them back */
    VM_EXIT_INTERRUPT_WINDOW,   /**< the guest can take an external interrupt now (an open interrupt window) */
    VM_EXIT_NMI_WINDOW,         /**< the guest can take an NMI now (an open NMI window) */
    VM_EXIT_IRET,               /**< an intercepted IRET (AMD-V's NMI window, chapter 08): it runs when the guest resumes */
    VM_EXIT_TASK_SWITCH,        /**< a hardware task switch (VT-x exits on every one; chapter 04) */
    VM_EXIT_VMM_TIMER,          /**< the bound backend_ops.bound_run set came (VT-x: the VMX-preemption timer): run the VMM's timers (chapter 07) */
    VM_EXIT_UNKNOWN,            /**< anything the backend does not translate */
    VM_EXIT_KIND_COUNT          /**< number of kinds (array size) */
};

/** Port I/O details. */
struct vm_exit_io {
    u16 port;     /**< port number */
    u8 size;      /**< 1, 2 or 4 bytes */
    bool in;      /**< true for IN/INS, false for OUT/OUTS */
    bool string;  /**< INS/OUTS */
    bool rep;     /**< REP prefix present */
};

/** Nested page fault details. */
struct vm_exit_npf {
    u64 gpa;      /**< faulting guest-physical address */
    u64 gla;      /**< guest-linear address when known, else 0 */
    bool read;    /**< the access was a read */
    bool write;   /**< the access was a write */
    bool fetch;   /**< the access was an instruction fetch */
    bool present; /**< a translation existed (permission fault) */
};

/** Which instruction accessed a control register. */
enum vm_cr_access {
    VM_CR_MOV_TO,   /**< MOV to CRn from a register */
    VM_CR_MOV_FROM, /**< MOV from CRn to a register */
    VM_CR_CLTS,     /**< CLTS: clears CR0.TS */
    VM_CR_LMSW,     /**< LMSW: loads CR0 bits 3:0 (PE can be set, not cleared) */
};

/** Control-register access details. */
struct vm_exit_cr {
    u8 cr;        /**< control register number (0 for CLTS/LMSW) */
    bool write;   /**< the register is written (MOV to CR, CLTS, LMSW) */
    u8 gpr;       /**< general register operand of MOV, 0..15 */
    u8 access;    /**< enum vm_cr_access */
    u16 lmsw_data; /**< LMSW's source operand */
    /** The backend could not tell the register (AMD-V without decode assists):
     *  common code decodes the MOV itself. */
    bool gpr_unknown;
};

/** Exception details. */
struct vm_exit_exception {
    u8 vector;          /**< exception vector */
    bool has_error;     /**< error code valid */
    u32 error_code;     /**< error code */
};

/** External-interrupt exit details. */
struct vm_exit_interrupt {
    /**
     * The backend left the interrupt pending at its controller because the
     * guest cannot take one now (VT-x exits whatever RFLAGS.IF says): it
     * stops intercepting external interrupts until the guest's interrupt
     * window opens, and nothing is to be taken now (chapter 04).
     */
    bool left_pending;
};

/** One VM exit, as common code sees it. */
struct vm_exit {
    enum vm_exit_kind kind; /**< what happened */
    u32 native_code;        /**< the backend's own exit code (for messages) */
    u8 insn_len;            /**< length of the exiting instruction, 0 if unknown */
    union {
        struct vm_exit_io io;               /**< for VM_EXIT_IO */
        u32 msr;                            /**< for VM_EXIT_RDMSR / WRMSR: the index */
        struct vm_exit_npf npf;             /**< for VM_EXIT_NESTED_PAGE_FAULT */
        struct vm_exit_cr cr;               /**< for VM_EXIT_CR_ACCESS */
        struct vm_exit_exception exception; /**< for VM_EXIT_EXCEPTION */
        struct vm_exit_interrupt interrupt; /**< for VM_EXIT_EXTERNAL_INTERRUPT */
        u32 vector;                         /**< for VM_EXIT_SIPI */
        u8 cpl;                             /**< for VM_EXIT_VMCALL: the guest's CPL (the call is privileged) */
    } details;              /**< decoded details, by kind */
    u64 raw_info1;          /**< native detail (exit qualification / EXITINFO1) */
    u64 raw_info2;          /**< native detail (EXITINFO2 / guest-physical address) */
    /**
     * The event whose delivery this exit cut short (VT-x: IDT-vectoring
     * information and error code; AMD-V: EXITINTINFO), for event_take_back().
     * The contract (chapter 08): every exit fills it, VM_DELIVERY_NONE when
     * no delivery was under way (always so for an instruction exit such as
     * CPUID); INT3 and INTO, which AMD-V reports as exceptions 3 and 4, are
     * reported as VM_DELIVERY_SW_EXCEPTION; a backend that reports an NMI
     * also clears the NMI blocking its failed delivery left in the guest
     * state (VT-x sets it, SDM vol. 3 27.1); and the backend never writes the
     * event back into its injection field itself.
     */
    struct vm_cut_short_event cut_short;
};

/**
 * Flag in native_code of a VM_EXIT_INVALID_STATE: the entry instruction
 * itself failed (VT-x VMfail); the low 16 bits hold the instruction error.
 */
#define VM_EXIT_NATIVE_ENTRY_INSN_ERROR 0x10000u

/** What the handler asks the backend to do next. */
enum exit_action {
    EXIT_RESUME,        /**< re-enter the guest at the same RIP */
    EXIT_SKIP,          /**< re-enter after the exiting instruction */
    EXIT_INJECT_GP,     /**< inject \#GP(0) at the instruction */
    EXIT_INJECT_UD,     /**< inject \#UD at the instruction */
    EXIT_STOP,          /**< stop the guest; the reason is in the vCPU */
};

/** What a backend's skip_instruction() did. */
enum vm_skip {
    VM_SKIP_FAILED = 0, /**< the instruction's length could not be found: RIP unchanged */
    VM_SKIP_DONE,       /**< RIP is past the instruction, the interrupt shadow is over */
    /** Done, and the guest runs with RFLAGS.TF = 1: on bare metal a single-step
     *  \#DB would follow the instruction, so common code queues one. */
    VM_SKIP_DONE_SINGLE_STEP,
};

/** Short name of an exit kind ("cpuid", "io", ...). */
const char *vm_exit_kind_name(enum vm_exit_kind kind);

#endif
