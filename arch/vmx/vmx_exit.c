/*
 * arch/vmx/vmx_exit.c - the VT-x exit path (chapters 02 and 04): vmx_on_exit(),
 * which vmx_run_loop() calls at every exit, the VMCS exit record read into a
 * generic struct vm_exit, the event an exit cut short with the NMI rules
 * that go with it, and skipping the exiting instruction; and the direct
 * path for I/O and VMCALL exits (chapter 14), vmx_exit_io() and
 * vmx_exit_vmcall(), which vmx_run_loop() calls instead for those.
 *
 * The exit path uses no vmcs_use(): the VMCS that exited is current by
 * construction. What vmx_on_exit() runs on a CPUID exit is in this file or
 * inline in a header (vmx_skip_instruction(), vcpu_handle_exit_inline()), so
 * it is compiled into vmx_on_exit() with no call: keep it so (make bench).
 */
#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_enter.h"
#include "arch/vmx/vmx_insn.h"
#include "arch/vmx/vmx_internal.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "common/vm/io_ports.h"
#include "common/vm/exit_dispatch.h"

/* vmx_enter.S's fast path spells these without vmcs_fields.h. */
_Static_assert(VMX_ASM_EXIT_REASON == VMCS_EXIT_REASON, "exit reason field");
_Static_assert(VMX_ASM_EXIT_INSN_LEN == VMCS_EXIT_INSN_LEN, "instruction length field");
_Static_assert(VMX_ASM_GUEST_RIP == VMCS_GUEST_RIP, "guest RIP field");
_Static_assert(VMX_ASM_GUEST_RFLAGS == VMCS_GUEST_RFLAGS, "guest RFLAGS field");
_Static_assert(VMX_ASM_GUEST_INTERRUPTIBILITY == VMCS_GUEST_INTERRUPTIBILITY, "interruptibility");
_Static_assert(VMX_ASM_REASON_CPUID == VMX_EXIT_CPUID, "CPUID exit reason");
_Static_assert(VMX_ASM_REASON_IO == VMX_EXIT_IO, "I/O exit reason");
_Static_assert(VMX_ASM_REASON_VMCALL == VMX_EXIT_VMCALL, "VMCALL exit reason");

#define RFLAGS_TF (1ULL << 8)

/* Exits the guest's own instruction caused (its intercept): they never
 * interrupt the delivery of an event, so their IDT-vectoring information is
 * never valid and is not read (SDM vol. 3, 28.2.4: only exceptions, EPT
 * violations and misconfigurations, task switches, APIC accesses and the
 * like can happen during delivery). One bit per enum vm_exit_kind. */
#define INSN_EXIT_KINDS                                                                        \
    ((1u << VM_EXIT_CPUID) | (1u << VM_EXIT_RDMSR) | (1u << VM_EXIT_WRMSR) |                   \
     (1u << VM_EXIT_IO) | (1u << VM_EXIT_HLT) | (1u << VM_EXIT_VMCALL) |                       \
     (1u << VM_EXIT_CR_ACCESS) | (1u << VM_EXIT_XSETBV) | (1u << VM_EXIT_VIRT_INSN) |          \
     (1u << VM_EXIT_INVD))
_Static_assert(VM_EXIT_KIND_COUNT <= 32, "one bit per kind");

#define EXIT_REASON_ENTRY_FAILURE (1u << 31)

/* The guest's CPL, which a VMCALL handler needs (the call is privileged): SS.DPL. */
static inline u8 vmcall_cpl(void)
{
    return (vmread(VMCS_GUEST_SS_AR) >> 5) & 3;
}

/* Inlined into vmx_on_exit(): read only the fields this exit needs, no
 * memset, and no call for the instruction exits. Each case fills the
 * details its kind defines; handlers read only those. */
static inline __attribute__((always_inline)) void decode_exit(struct vcpu *v, struct vm_exit *e,
                                                              u32 raw)
{
    e->native_code = raw & 0xFFFF;
    e->raw_info2 = 0;
    e->insn_len = (u8)vmread(VMCS_EXIT_INSN_LEN);
    e->kind = vmx_exit_kind_of(raw & 0xFFFF);
    e->raw_info1 = 0;
    /* The kind is known; fill its details (one switch: one jump), and
     * refine the kinds the reason alone cannot settle (vmx_exit_kind_of()
     * says which). Only I/O, CR-access, EPT and SIPI exits have a
     * qualification bookvisor reads. */
    switch (e->kind) {
    case VM_EXIT_RDMSR: case VM_EXIT_WRMSR: e->details.msr = (u32)v->gprs.rcx; break;
    case VM_EXIT_VMCALL: e->details.cpl = vmcall_cpl(); break;
    case VM_EXIT_SIPI:
        e->raw_info1 = vmread(VMCS_EXIT_QUALIFICATION);
        e->details.vector = e->raw_info1 & 0xFF;
        break;
    case VM_EXIT_IO: {
        struct vmx_io_qual q;
        e->raw_info1 = vmread(VMCS_EXIT_QUALIFICATION);
        if (!vmx_decode_io(e->raw_info1, &q))
            e->kind = VM_EXIT_UNKNOWN;
        vmx_io_to_generic(&q, &e->details.io);
        break;
    }
    case VM_EXIT_CR_ACCESS: {
        struct vmx_cr_qual q;
        e->raw_info1 = vmread(VMCS_EXIT_QUALIFICATION);
        if (!vmx_decode_cr(e->raw_info1, &q))
            e->kind = VM_EXIT_UNKNOWN;
        vmx_cr_to_generic(&q, &e->details.cr);
        break;
    }
    case VM_EXIT_NESTED_PAGE_FAULT: {
        struct vmx_ept_qual q;
        e->raw_info1 = vmread(VMCS_EXIT_QUALIFICATION);
        vmx_decode_ept(e->raw_info1, &q);
        e->raw_info2 = vmread(VMCS_GUEST_PHYSICAL_ADDR);
        vmx_ept_to_generic(&q, e->raw_info2, q.gla_valid ? vmread(VMCS_GUEST_LINEAR_ADDR) : 0,
                           &e->details.npf);
        break;
    }
    case VM_EXIT_EXCEPTION: {
        /* Reason 0 covers both: the interruption type tells an NMI apart. */
        u32 info = (u32)vmread(VMCS_EXIT_INTR_INFO);
        if (((info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT) == VMX_INTR_TYPE_NMI) {
            /* A physical NMI (NMI exiting): the guest's to have, through the
             * event model; this CPU stays NMI-blocked until an IRET. */
            e->kind = VM_EXIT_NMI;
            desc_unblock_nmi();
        } else {
            e->details.exception.vector = info & 0xFF;
            e->details.exception.has_error = info & VMX_INTR_INFO_DELIVER_ERROR;
            e->details.exception.error_code = (u32)vmread(VMCS_EXIT_INTR_ERROR);
        }
        break;
    }
    default:
        break;
    }
}

/* A failed VM entry: the guest never ran; the reason's bit 31 says so. */
static void __attribute__((noinline, cold)) decode_entry_failure(struct vm_exit *e, u32 raw)
{
    e->kind = VM_EXIT_INVALID_STATE;
    e->native_code = raw;
    e->raw_info1 = vmread(VMCS_EXIT_QUALIFICATION);
    e->raw_info2 = 0;
    e->insn_len = 0;
    e->cut_short.delivery = VM_DELIVERY_NONE;
}

/*
 * Every exit an instruction did not cause: the event whose delivery the
 * exit cut short, for common code to take back (chapter 08), and the
 * deferral of external interrupts. Two NMI rules of the SDM (vol. 3,
 * 27.2.3 and 27.3.4) are kept here, where the fields are read: a cut-short
 * NMI left virtual-NMI blocking set, which must go (the NMI was never
 * delivered, and an entry that injects an NMI requires it clear); and an
 * EPT violation during an IRET that had ended the blocking (exit
 * qualification bit 12) runs the IRET again, so the blocking is put back
 * until it does.
 */
static void __attribute__((noinline)) decode_event_exit(struct vcpu *v, struct vm_exit *e)
{
    if (e->kind == VM_EXIT_EXTERNAL_INTERRUPT)
        vmx_defer_interrupt(v, e);
    else if (e->kind == VM_EXIT_INTERRUPT_WINDOW && ((struct vmx_vcpu *)v->arch)->extint_deferred)
        vmx_end_deferral(v);
    u32 idt = (u32)vmread(VMCS_IDT_VECTORING_INFO);
    u32 err = (idt & VMX_INTR_INFO_DELIVER_ERROR) ? (u32)vmread(VMCS_IDT_VECTORING_ERROR) : 0;
    vmx_cut_short_decode(idt, err, &e->cut_short);
    bool iret_unblocked = e->kind == VM_EXIT_NESTED_PAGE_FAULT && (e->raw_info1 & (1u << 12));
    if (e->cut_short.delivery == VM_DELIVERY_NMI || (iret_unblocked && !(idt & VMX_INTR_INFO_VALID))) {
        u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
        if (e->cut_short.delivery == VM_DELIVERY_NMI)
            intr &= ~(u64)VMX_INTERRUPTIBILITY_NMI;
        else
            intr |= VMX_INTERRUPTIBILITY_NMI;
        vmwrite(VMCS_GUEST_INTERRUPTIBILITY, intr);
    }
}

/* Step RIP over the len bytes of the instruction, end an STI or MOV SS
 * shadow, and say whether a single-step trap is due: the skip of the
 * generic and of the direct path (inline in both). */
static inline __attribute__((always_inline)) enum vm_skip skip_by(u64 len)
{
    if (__builtin_expect(!len, 0))
        return VM_SKIP_FAILED;
    u64 rip = vmread(VMCS_GUEST_RIP) + len;
    /* Only a RIP that crosses 4 GiB needs the mode: outside 64-bit code EIP wraps. */
    if ((rip >> 32) && !((vmread(VMCS_GUEST_EFER) & EFER_LMA) && (vmread(VMCS_GUEST_CS_AR) & VMX_AR_L)))
        rip &= 0xFFFFFFFF;
    vmwrite(VMCS_GUEST_RIP, rip);
    u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
    if (intr & VMX_BLOCKING_SHADOW)
        vmwrite(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(u64)VMX_BLOCKING_SHADOW);
    return __builtin_expect(vmread(VMCS_GUEST_RFLAGS) & RFLAGS_TF, 0) ? VM_SKIP_DONE_SINGLE_STEP
                                                                     : VM_SKIP_DONE;
}

/* Inlined into the hot path; the ops table gets an out-of-line copy. */
static inline __attribute__((always_inline)) enum vm_skip vmx_skip_instruction(struct vcpu *v,
                                                                              const struct vm_exit *e)
{
    (void)v;
    return skip_by(e->insn_len);
}

/* The ops table's copy, for callers outside the exit path: v's VMCS first. */
enum vm_skip vmx_skip_instruction_op(struct vcpu *v, const struct vm_exit *e)
{
    vmcs_use(v, "skip_instruction");
    return vmx_skip_instruction(v, e);
}

/*
 * Hot path: vmx_run_loop calls this at every exit the direct path does not
 * take, with the exit reason it read. Things it does NOT do, and why that
 * is right:
 * - clear VMCS_ENTRY_INTR_INFO: every VM exit clears its valid bit (SDM vol. 3,
 *   "Updating VM-entry control fields"), except a failed entry, which stops
 *   the guest anyway;
 * - read the IDT-vectoring information of an instruction exit (CPUID, I/O,
 *   VMCALL, MSR and CR accesses, ...): an exit caused by executing an
 *   instruction cannot happen while an event is being delivered.
 */
bool vmx_on_exit(struct vcpu *v, u32 raw)
{
    struct vm_exit e;
    if (__builtin_expect(raw == VMX_EXIT_CPUID, 1)) {
        e.kind = VM_EXIT_CPUID;
        e.native_code = VMX_EXIT_CPUID;
        e.insn_len = (u8)vmread(VMCS_EXIT_INSN_LEN);
        e.raw_info1 = 0;
        e.raw_info2 = 0;
        e.cut_short.delivery = VM_DELIVERY_NONE;
    } else if (__builtin_expect(raw & EXIT_REASON_ENTRY_FAILURE, 0)) {
        decode_entry_failure(&e, raw);
    } else {
        decode_exit(v, &e, raw);
        e.cut_short.delivery = VM_DELIVERY_NONE;
        if (!((INSN_EXIT_KINDS >> e.kind) & 1))
            decode_event_exit(v, &e);
    }
    return vcpu_handle_exit_inline(v, &e, vmx_skip_instruction);
}

/*
 * The direct path (chapter 14): for an I/O exit (reason 30) and a VMCALL
 * (18), vmx_run_loop calls vmx_exit_io() or vmx_exit_vmcall() instead of
 * vmx_on_exit(), with the guest's registers saved as always. Each reads only
 * what its kind needs and does what vcpu_handle_exit_inline() would: count,
 * handler, skip, vcpu_before_entry(). Nothing is cut short by an instruction
 * exit, so there is nothing to take back; a failed entry (bit 31) is never
 * reason 30 or 18, so it never comes here. What the direct path does not
 * cover goes to vmx_on_exit() before anything has changed, to be decoded
 * from the start.
 */

/* The rare ends of the direct path, out of line: an action other than
 * EXIT_SKIP, or a skip that did more than VM_SKIP_DONE, carried out by the
 * generic code with the whole exit read into a struct vm_exit (the VMCS's
 * exit fields stay until the next entry; the generic skip reads the VMCS
 * after the handler too). */
static bool __attribute__((noinline, cold)) direct_unusual(struct vcpu *v, u32 raw,
                                                           enum exit_action a, enum vm_skip r)
{
    struct vm_exit e;
    decode_exit(v, &e, raw);
    e.cut_short.delivery = VM_DELIVERY_NONE;
    return a == EXIT_SKIP ? exit_skip_unusual(v, &e, r) : exit_apply_action(v, &e, a);
}

/* After the handler, as vcpu_handle_exit_inline() ends: len is the
 * instruction's length (the skip's). */
static inline __attribute__((always_inline)) bool direct_end(struct vcpu *v, u32 raw,
                                                             enum exit_action a, u64 len)
{
    bool go;
    if (__builtin_expect(a == EXIT_SKIP, 1)) {
        enum vm_skip r = skip_by(len);
        go = __builtin_expect(r == VM_SKIP_DONE, 1) ? true : direct_unusual(v, raw, a, r);
    } else {
        go = direct_unusual(v, raw, a, VM_SKIP_DONE);
    }
    return go && vcpu_before_entry(v);
}

/* IN or OUT, not a string one, where the handler table says its I/O handler
 * is io_exit_port() (io_port_direct): straight to the hook that holds the port.
 * A string access, a size the qualification does not encode, or another
 * handler table (a test's) take the generic path. */
bool vmx_exit_io(struct vcpu *v)
{
    u64 qual = vmread(VMCS_EXIT_QUALIFICATION);
    struct vmx_io_qual q;
    if (__builtin_expect(!v->handlers->io_port_direct ||
                             !vmx_decode_io_plain(qual, &q),
                         0))
        return vmx_on_exit(v, VMX_EXIT_IO);
    BENCH_TICKS_BEGIN(t0); /* nothing outside a bench build (bench_ticks.h) */
    v->exit_counts[VM_EXIT_IO]++;
    /* An inline copy of io_exit_port() for each size of IN, and one for OUT:
     * none tests the direction again, and an IN merges into RAX with a
     * constant mask. */
    enum exit_action a;
    if (!q.in)
        a = io_exit_port(v, q.port, q.size, false);
    else if (q.size == 1)
        a = io_exit_port(v, q.port, 1, true);
    else if (q.size == 2)
        a = io_exit_port(v, q.port, 2, true);
    else
        a = io_exit_port(v, q.port, 4, true);
    bool go = direct_end(v, VMX_EXIT_IO, a, vmread(VMCS_EXIT_INSN_LEN));
    BENCH_TICKS_ADD(v, in_exits, t0);
    BENCH_TICKS_COUNT(v);
    return go;
}

/* VMCALL: the few fields a hypercall handler reads (the CPL with them), and
 * the table's handler called as the dispatcher would call it; a table
 * without one takes the generic path, which refuses the exit. */
bool vmx_exit_vmcall(struct vcpu *v)
{
    exit_handler_fn fn = v->handlers->handler[VM_EXIT_VMCALL];
    if (__builtin_expect(!fn, 0))
        return vmx_on_exit(v, VMX_EXIT_VMCALL);
    BENCH_TICKS_BEGIN(t0);
    struct vm_exit e;
    e.kind = VM_EXIT_VMCALL;
    e.native_code = VMX_EXIT_VMCALL;
    e.insn_len = (u8)vmread(VMCS_EXIT_INSN_LEN);
    e.details.cpl = vmcall_cpl();
    e.raw_info1 = 0;
    e.raw_info2 = 0;
    e.cut_short.delivery = VM_DELIVERY_NONE;
    v->exit_counts[VM_EXIT_VMCALL]++;
    enum exit_action a = fn(v, &e);
    bool go = direct_end(v, VMX_EXIT_VMCALL, a, e.insn_len);
    BENCH_TICKS_ADD(v, in_exits, t0);
    BENCH_TICKS_COUNT(v);
    return go;
}
