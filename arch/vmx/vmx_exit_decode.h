/**
 * @file arch/vmx/vmx_exit_decode.h
 * @brief Decode VT-x exit reasons and exit qualifications (pure logic).
 *
 * The VMCS reports an exit as a 32-bit exit reason plus a 64-bit exit
 * qualification whose layout depends on the reason (SDM vol. 3C, "Exit
 * Qualification for ..." tables in the VM-exits chapter). These functions
 * turn the packed bits into named fields, and fill the generic
 * struct vm_exit details that common code understands.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_EXIT_DECODE_H
#define BOOKVISOR_ARCH_VMX_VMX_EXIT_DECODE_H

#include "common/lib/types.h"
#include "common/vm/vm_exit.h"

/** Bit n of an exit qualification (for the inline decoders below). */
static inline bool vmx_qual_bit(u64 qual, unsigned n)
{
    return (qual >> n) & 1;
}

/** Basic exit reasons (SDM appendix C); only the ones bookvisor names. */
enum vmx_exit_reason_code {
    VMX_EXIT_EXCEPTION_NMI = 0,
    VMX_EXIT_EXTERNAL_INTERRUPT = 1,
    VMX_EXIT_TRIPLE_FAULT = 2,
    VMX_EXIT_INIT = 3,
    VMX_EXIT_SIPI = 4,
    VMX_EXIT_INTERRUPT_WINDOW = 7,
    VMX_EXIT_NMI_WINDOW = 8,
    VMX_EXIT_TASK_SWITCH = 9,
    VMX_EXIT_CPUID = 10,
    VMX_EXIT_GETSEC = 11,
    VMX_EXIT_HLT = 12,
    VMX_EXIT_INVD = 13,
    VMX_EXIT_INVLPG = 14,
    VMX_EXIT_RDPMC = 15,
    VMX_EXIT_RDTSC = 16,
    VMX_EXIT_VMCALL = 18,
    VMX_EXIT_VMCLEAR = 19,
    VMX_EXIT_VMLAUNCH = 20,
    VMX_EXIT_VMPTRLD = 21,
    VMX_EXIT_VMPTRST = 22,
    VMX_EXIT_VMREAD = 23,
    VMX_EXIT_VMRESUME = 24,
    VMX_EXIT_VMWRITE = 25,
    VMX_EXIT_VMXOFF = 26,
    VMX_EXIT_VMXON = 27,
    VMX_EXIT_CR_ACCESS = 28,
    VMX_EXIT_DR_ACCESS = 29,
    VMX_EXIT_IO = 30,
    VMX_EXIT_RDMSR = 31,
    VMX_EXIT_WRMSR = 32,
    VMX_EXIT_INVALID_GUEST_STATE = 33,
    VMX_EXIT_MSR_LOADING = 34,
    VMX_EXIT_MWAIT = 36,
    VMX_EXIT_MONITOR_TRAP_FLAG = 37,
    VMX_EXIT_MONITOR = 39,
    VMX_EXIT_PAUSE = 40,
    VMX_EXIT_MACHINE_CHECK = 41,
    VMX_EXIT_EPT_VIOLATION = 48,
    VMX_EXIT_EPT_MISCONFIG = 49,
    VMX_EXIT_INVEPT = 50,
    VMX_EXIT_RDTSCP = 51,
    VMX_EXIT_PREEMPTION_TIMER = 52,
    VMX_EXIT_INVVPID = 53,
    VMX_EXIT_WBINVD = 54,
    VMX_EXIT_XSETBV = 55,
    VMX_EXIT_RDRAND = 57,
    VMX_EXIT_INVPCID = 58,
    VMX_EXIT_RDSEED = 61,
    VMX_EXIT_XSAVES = 63,
    VMX_EXIT_XRSTORS = 64,
};

/** The exit-reason field split into its parts. */
struct vmx_exit_reason {
    u16 basic;           /**< basic exit reason, bits 15:0 */
    bool enclave;        /**< bit 27: the exit happened inside an SGX enclave */
    bool pending_mtf;    /**< bit 28: a monitor-trap-flag exit is pending */
    bool from_vmx_root;  /**< bit 29: exit from VMX root operation (SMM monitor) */
    bool entry_failure;  /**< bit 31: VM entry failed; guest never ran */
};

/** Split a raw exit-reason field. */
void vmx_exit_reason_split(u32 raw, struct vmx_exit_reason *out);

/**
 * The generic kind of an exit, from its basic reason alone.
 *
 * Some kinds need more than the reason, and the caller refines those:
 * reason 0 comes back as VM_EXIT_EXCEPTION and is an NMI when the exit
 * interruption information says so; an I/O or control-register exit whose
 * qualification does not decode becomes VM_EXIT_UNKNOWN. A failed VM entry
 * is told by bit 31 of the full exit reason, not here (33 and 34 alone map
 * to VM_EXIT_UNKNOWN).
 * @param basic_reason bits 15:0 of the exit-reason field
 * @return the kind common code dispatches on; VM_EXIT_UNKNOWN for every
 *         reason bookvisor does not handle
 */
static inline enum vm_exit_kind vmx_exit_kind_of(u32 basic_reason)
{
    switch (basic_reason) {
    case VMX_EXIT_EXCEPTION_NMI:
        return VM_EXIT_EXCEPTION;
    case VMX_EXIT_EXTERNAL_INTERRUPT:
        return VM_EXIT_EXTERNAL_INTERRUPT;
    case VMX_EXIT_TRIPLE_FAULT:
        return VM_EXIT_SHUTDOWN;
    case VMX_EXIT_INIT:
        return VM_EXIT_INIT;
    case VMX_EXIT_SIPI:
        return VM_EXIT_SIPI;
    case VMX_EXIT_INTERRUPT_WINDOW:
        return VM_EXIT_INTERRUPT_WINDOW;
    case VMX_EXIT_NMI_WINDOW:
        return VM_EXIT_NMI_WINDOW;
    case VMX_EXIT_TASK_SWITCH:
        return VM_EXIT_TASK_SWITCH;
    case VMX_EXIT_CPUID:
        return VM_EXIT_CPUID;
    case VMX_EXIT_HLT:
        return VM_EXIT_HLT;
    case VMX_EXIT_INVD:
        return VM_EXIT_INVD;
    case VMX_EXIT_VMCALL:
        return VM_EXIT_VMCALL;
    case VMX_EXIT_VMCLEAR:
    case VMX_EXIT_VMLAUNCH:
    case VMX_EXIT_VMPTRLD:
    case VMX_EXIT_VMPTRST:
    case VMX_EXIT_VMREAD:
    case VMX_EXIT_VMRESUME:
    case VMX_EXIT_VMWRITE:
    case VMX_EXIT_VMXOFF:
    case VMX_EXIT_VMXON:
    case VMX_EXIT_INVEPT:
    case VMX_EXIT_INVVPID:
        /* The guest was told there is no VMX: common code answers #UD. */
        return VM_EXIT_VIRT_INSN;
    case VMX_EXIT_CR_ACCESS:
        return VM_EXIT_CR_ACCESS;
    case VMX_EXIT_IO:
        return VM_EXIT_IO;
    case VMX_EXIT_RDMSR:
        return VM_EXIT_RDMSR;
    case VMX_EXIT_WRMSR:
        return VM_EXIT_WRMSR;
    case VMX_EXIT_EPT_VIOLATION:
        return VM_EXIT_NESTED_PAGE_FAULT;
    case VMX_EXIT_XSETBV:
        return VM_EXIT_XSETBV;
    case VMX_EXIT_PREEMPTION_TIMER:
        return VM_EXIT_VMM_TIMER;
    default:
        return VM_EXIT_UNKNOWN;
    }
}

/** Decoded exit qualification of an I/O instruction exit (reason 30). */
struct vmx_io_qual {
    u16 port;         /**< port number, bits 31:16 */
    u8 size;          /**< access size in bytes: 1, 2 or 4 (bits 2:0 hold size - 1) */
    bool in;          /**< bit 3: IN/INS (else OUT/OUTS) */
    bool string;      /**< bit 4: INS/OUTS */
    bool rep;         /**< bit 5: REP prefix */
    bool imm_operand; /**< bit 6: port given as an immediate (else in DX) */
};

/**
 * Decode an I/O instruction exit qualification.
 * @return false (out still filled, size 0) when the size field is not one
 *         of the three legal encodings.
 */
static inline bool vmx_decode_io(u64 qual, struct vmx_io_qual *out)
{
    u32 size_code = (u32)qual & 7;

    out->port = (u16)(qual >> 16);
    out->in = vmx_qual_bit(qual, 3);
    out->string = vmx_qual_bit(qual, 4);
    out->rep = vmx_qual_bit(qual, 5);
    out->imm_operand = vmx_qual_bit(qual, 6);
    /* 0, 1 and 3 encode 1, 2 and 4 bytes; the other values are unused. */
    out->size = (size_code == 0 || size_code == 1 || size_code == 3)
                    ? (u8)(size_code + 1)
                    : 0;
    return out->size != 0;
}

/**
 * Bits 4:0 of an I/O qualification (string, IN, size - 1) as an index, one
 * bit per value: set for IN or OUT, not a string one, of 1, 2 or 4 bytes
 * (size codes 0, 1 and 3, bit 4 clear).
 */
#define VMX_IO_PLAIN_FORMS 0x0B0Bu

/**
 * vmx_decode_io() for the direct path (chapter 14), with one test: decode
 * the qualification of an IN or OUT, not a string one, of a size the field
 * encodes.
 * @return false (out not filled) for INS, OUTS and an unused size; else true,
 *         out filled as vmx_decode_io() fills it
 */
static inline bool vmx_decode_io_plain(u64 qual, struct vmx_io_qual *out)
{
    if (!((VMX_IO_PLAIN_FORMS >> (qual & 0x1F)) & 1))
        return false;
    out->port = (u16)(qual >> 16);
    out->size = (u8)((qual & 7) + 1);
    out->in = vmx_qual_bit(qual, 3);
    out->string = false;
    out->rep = vmx_qual_bit(qual, 5);
    out->imm_operand = vmx_qual_bit(qual, 6);
    return true;
}

/** Kind of control-register access (exit qualification bits 5:4). */
enum vmx_cr_access_type {
    VMX_CR_MOV_TO = 0,   /**< MOV to CR */
    VMX_CR_MOV_FROM = 1, /**< MOV from CR */
    VMX_CR_CLTS = 2,     /**< CLTS (clears CR0.TS) */
    VMX_CR_LMSW = 3,     /**< LMSW (writes CR0 bits 3:0) */
};

/** Decoded exit qualification of a control-register access (reason 28). */
struct vmx_cr_qual {
    u8 cr;                        /**< bits 3:0: the control register (0 for CLTS/LMSW) */
    enum vmx_cr_access_type type; /**< bits 5:4 */
    bool lmsw_memory;             /**< bit 6: LMSW operand came from memory */
    u8 gpr;                       /**< bits 11:8: general register for MOV CR (0 = RAX ... 15 = R15) */
    u16 lmsw_data;                /**< bits 31:16: LMSW source data */
};

/**
 * Decode a control-register access exit qualification.
 * @return false when the CR number cannot cause this exit (only CR0, CR3,
 *         CR4 and CR8 can); out is filled anyway.
 */
static inline bool vmx_decode_cr(u64 qual, struct vmx_cr_qual *out)
{
    out->cr = (u8)(qual & 0xF);
    out->type = (enum vmx_cr_access_type)((qual >> 4) & 3);
    out->lmsw_memory = vmx_qual_bit(qual, 6);
    out->gpr = (u8)((qual >> 8) & 0xF);
    out->lmsw_data = (u16)(qual >> 16);
    return out->cr == 0 || out->cr == 3 || out->cr == 4 || out->cr == 8;
}

/** Decoded exit qualification of an EPT violation (reason 48). */
struct vmx_ept_qual {
    bool read;             /**< bit 0: a data read */
    bool write;            /**< bit 1: a data write */
    bool fetch;            /**< bit 2: an instruction fetch */
    bool entry_read;       /**< bit 3: the translation allowed reads */
    bool entry_write;      /**< bit 4: the translation allowed writes */
    bool entry_exec;       /**< bit 5: the translation allowed (supervisor) execution */
    bool entry_user_exec;  /**< bit 6: user-mode execution allowed (mode-based control) */
    bool gla_valid;        /**< bit 7: the guest-linear-address field is valid */
    bool gla_translation;  /**< bit 8: the access was to the translated address itself,
                                not to a guest paging-structure entry (only if gla_valid) */
    bool nmi_unblocking;   /**< bit 12: NMI unblocking due to IRET */
};

/** Decode an EPT violation exit qualification. */
void vmx_decode_ept(u64 qual, struct vmx_ept_qual *out);

/**
 * Decode the IDT-vectoring information (and its error code), the event
 * whose delivery the exit cut short, for the event model
 * (common/vm/event.h): VM_DELIVERY_NONE when its valid bit is clear, a
 * reserved type as VM_DELIVERY_INVALID. Bit 12 (undefined here) is ignored.
 */
void vmx_cut_short_decode(u32 idt_info, u32 error_code, struct vm_cut_short_event *out);

/** Fill the generic I/O details from a decoded qualification. */
static inline void vmx_io_to_generic(const struct vmx_io_qual *q, struct vm_exit_io *out)
{
    out->port = q->port;
    out->size = q->size;
    out->in = q->in;
    out->string = q->string;
    out->rep = q->rep;
}

/**
 * Fill the generic CR-access details. CLTS and LMSW both write CR0, so they
 * come out as writes to CR0 with gpr 0; callers that care use the VT-x form.
 */
static inline void vmx_cr_to_generic(const struct vmx_cr_qual *q, struct vm_exit_cr *out)
{
    out->lmsw_data = 0;
    out->gpr_unknown = false; /* VT-x always names the register */
    switch (q->type) {
    case VMX_CR_MOV_TO:
    case VMX_CR_MOV_FROM:
        out->cr = q->cr;
        out->write = q->type == VMX_CR_MOV_TO;
        out->gpr = q->gpr;
        out->access = q->type == VMX_CR_MOV_TO ? VM_CR_MOV_TO : VM_CR_MOV_FROM;
        break;
    default:
        out->cr = 0;
        out->write = true;
        out->gpr = 0;
        out->access = q->type == VMX_CR_CLTS ? VM_CR_CLTS : VM_CR_LMSW;
        out->lmsw_data = q->lmsw_data;
        break;
    }
}

/**
 * Fill the generic nested-page-fault details.
 * @param q   the decoded EPT-violation qualification
 * @param gpa the guest-physical address field of the VMCS
 * @param gla the guest-linear address field (used only when q->gla_valid)
 * @param out receives the access kind, addresses and whether a mapping existed
 */
void vmx_ept_to_generic(const struct vmx_ept_qual *q, u64 gpa, u64 gla,
                        struct vm_exit_npf *out);

#endif
