/*
 * arch/svm/svm_exit_direct.c - the direct path: IOIO and VMMCALL exits
 * without the generic decode and dispatch (chapter 14, "The direct path").
 *
 * svm_enter.S calls svm_exit_io() or svm_exit_vmmcall() by the exit code,
 * with the guest's registers saved as for every exit. Each does for its one
 * kind what svm_on_exit() and vcpu_handle_exit_inline() would, with
 * bookvisor's own handler: RAX from the VMCB, TLB_CONTROL and EVENTINJ
 * cleared, the exit counted, the handler, the skip (the shadow and a guest's
 * TF with it), vcpu_before_entry(), RAX back and the record of a written
 * state (prepare_entry()), and the look for host state at the entry.
 * What it leaves out cannot apply to these kinds: both are instruction
 * intercepts, which never interrupt the delivery of an event, so EXITINTINFO
 * holds nothing to take back (as for CPUID in svm_on_exit()); and neither is
 * the IRET or #DB of the NMI window's step.
 *
 * Anything else goes to svm_on_exit() before a thing has changed, and it
 * reads the exit again: no next-RIP (QEMU's TCG), a bounded run (the bound's
 * work at the exit, svm_bound_exit()), a VMCB holding bookvisor's own state
 * (svm_on_exit() reports it), a string I/O, or a handler table that is not
 * bookvisor's (a test's).
 */
#include "arch/svm/svm_internal.h"
#include "arch/svm/svm_enter_asm.h"
#include "arch/svm/svm_exit_decode.h"
#include "arch/svm/vmcb.h"
#include "common/vm/bench_ticks.h"
#include "common/vm/exit_dispatch.h"
#include "common/vm/guest_vm.h"
#include "common/vm/io_ports.h"
#include "common/vm/vcpu_entry.h"

/* svm_enter.S picks the entry by these codes. */
_Static_assert(SVM_ASM_EXIT_IOIO == SVM_EXIT_IOIO, "IOIO exit code");
_Static_assert(SVM_ASM_EXIT_VMMCALL == SVM_EXIT_VMMCALL, "VMMCALL exit code");

/*
 * The handler's action done otherwise than by a plain skip (out of line):
 * the exit is decoded as svm_on_exit() would have, with the length found
 * before the skip, for exit_skip_unusual() (the #DB a single-stepping guest
 * is owed) or exit_apply_action(); then the hook before the entry.
 */
static bool __attribute__((noinline, cold)) direct_unusual(struct vcpu *v, u64 code, u8 len,
                                                           enum exit_action a, enum vm_skip r)
{
    const struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->vmcb;
    struct vm_exit e;
    svm_exit_decode(code, vmcb->control.exitinfo1, vmcb->control.exitinfo2, 0, 0, &e);
    e.insn_len = len;
    e.cut_short.delivery = VM_DELIVERY_NONE;
    if (code == SVM_EXIT_VMMCALL)
        e.details.cpl = svm_cpl_from_ss(vmcb->save.ss.attrib);
    bool go = a == EXIT_SKIP ? exit_skip_unusual(v, &e, r) : exit_apply_action(v, &e, a);
    return go && vcpu_before_entry(v);
}

/* IN or OUT, not a string one, described by info1 (svm_ioio_decode()):
 * io_exit_port(), which the table's I/O handler runs for it (io_port_direct). */
static inline __attribute__((always_inline)) enum exit_action direct_io(struct vcpu *v, u32 info1)
{
    struct vm_exit_io io;
    svm_ioio_decode(info1, &io);
    v->exit_counts[VM_EXIT_IO]++;
    return io_exit_port(v, io.port, io.size, io.in);
}

/* The table's own handler, given the fields it reads. */
static inline __attribute__((always_inline)) enum exit_action
direct_vmmcall(struct vcpu *v, const struct vmcb *vmcb, u8 len)
{
    struct vm_exit e;
    e.kind = VM_EXIT_VMCALL;
    e.native_code = SVM_EXIT_VMMCALL;
    e.insn_len = len;
    e.details.cpl = svm_cpl_from_ss(vmcb->save.ss.attrib);
    e.cut_short.delivery = VM_DELIVERY_NONE;
    v->exit_counts[VM_EXIT_VMCALL]++;
    return guest_exit_handlers.handler[VM_EXIT_VMCALL](v, &e);
}

/* From RAX to vcpu_before_entry(), as svm_on_exit() and vcpu_handle_exit_inline() have it. */
static inline __attribute__((always_inline)) bool direct_handle(struct vcpu *v, struct vmcb *vmcb,
                                                                u64 code, u8 len, u32 info1)
{
    v->gprs.rax = vmcb->save.rax;
    vmcb->control.tlb_control = 0; /* the flush it asked for is done */
    vmcb->control.eventinj = 0; /* delivered: an instruction exit interrupts no delivery */
    enum exit_action a = code == SVM_EXIT_IOIO ? direct_io(v, info1) : direct_vmmcall(v, vmcb, len);
    enum vm_skip r = VM_SKIP_DONE;
    if (__builtin_expect(a == EXIT_SKIP, 1))
        r = svm_skip_len(v->arch, len); /* the VMCB again from v: cheaper than keeping it */
    if (__builtin_expect(a == EXIT_SKIP && r == VM_SKIP_DONE, 1))
        return vcpu_before_entry(v);
    return direct_unusual(v, code, len, a, r);
}

/*
 * One body for both kinds; code is a constant in each caller. The length
 * comes from next-RIP (for IOIO the same value as EXITINFO2, which
 * svm_on_exit() reads): a CPU without NRIPS (QEMU's TCG) leaves the field as
 * bookvisor left it, 0, which gives none (svm_next_rip_len()), so its exits
 * all take svm_on_exit(), as they skip the fast path in svm_enter.S.
 */
static inline __attribute__((always_inline)) bool direct_exit(struct vcpu *v, struct vmcb *vmcb,
                                                              u64 code, u32 info1)
{
    struct svm_vcpu *s = v->arch;
    u64 rip = vmcb->save.rip, len;
    /*
     * A handler table of a test's, not bookvisor's own, takes the generic
     * path; so do the rest, which svm_on_exit() checks or reports. The I/O
     * table's flag is read last, and as the byte it is: as a bool known true,
     * GCC kept it in a register of its own to the end to return it (a push
     * and a pop).
     */
    if (__builtin_expect((code == SVM_EXIT_VMMCALL && v->handlers != &guest_exit_handlers) ||
                             (code == SVM_EXIT_IOIO && (info1 & SVM_IOIO_STRING)) ||
                             !svm_next_rip_len(rip, vmcb->control.next_rip, &len) ||
                             s->bound.on || rip == (u64)(uintptr_t)svm_vmrun_return ||
                             (code == SVM_EXIT_IOIO && !*(const u8 *)&v->handlers->io_port_direct),
                         0))
        return svm_on_exit(v);

    BENCH_TICKS_BEGIN(t0); /* nothing outside a bench build (bench_ticks.h) */
    bool go = direct_handle(v, vmcb, code, len, info1);
    BENCH_TICKS_ADD(v, in_exits, t0);
    BENCH_TICKS_COUNT(v);
    if (__builtin_expect(!go, 0))
        return false;
    vmcb = ((struct svm_vcpu *)v->arch)->vmcb;
    prepare_entry(v, vmcb);
    check_guest_state(v, vmcb, "entry");
    return true;
}

/* An IN of another form: a word, a doubleword, a string, in 16-bit code
 * (out of line: svm_exit_io()'s frame holds only what its copies need). */
static bool __attribute__((noinline)) direct_io_any(struct vcpu *v, struct vmcb *vmcb)
{
    return direct_exit(v, vmcb, SVM_EXIT_IOIO, (u32)vmcb->control.exitinfo1);
}

/*
 * Two inline copies of the whole path, in which the decode is partly
 * constant: an IN of one byte, the common form (port 0x92's, a UART's),
 * told in 32- or 64-bit code by EXITINFO1's low byte alone, with the string
 * test and RAX's merge constants; and an OUT of any size (no merge; its size
 * matters only to the hook). direct_io_any() takes the other INs.
 */
bool svm_exit_io(struct vcpu *v, struct vmcb *vmcb)
{
    u32 info1 = (u32)vmcb->control.exitinfo1;
    /* Each copy is given the bits it was tested for as constants. */
    if (__builtin_expect((u8)info1 == SVM_IOIO_IN_BYTE, 1))
        return direct_exit(v, vmcb, SVM_EXIT_IOIO, (info1 & ~0xFFu) | SVM_IOIO_IN_BYTE);
    if (!(info1 & SVM_IOIO_IN))
        return direct_exit(v, vmcb, SVM_EXIT_IOIO, info1 & ~SVM_IOIO_IN);
    return direct_io_any(v, vmcb);
}

bool svm_exit_vmmcall(struct vcpu *v, struct vmcb *vmcb)
{
    return direct_exit(v, vmcb, SVM_EXIT_VMMCALL, 0);
}
