/*
 * arch/vmx/vmx_enter.S - the VT-x run loop: VMLAUNCH/VMRESUME and the way back.
 *
 * int vmx_run_loop(struct vcpu *v, int launched)
 *
 * Enters the guest, and at every VM exit saves the guest's general registers
 * into v->gprs (at offset 0 of struct vcpu) and calls vmx_on_exit(v, the
 * exit reason), or a direct entry (below), on this same stack. While that returns nonzero the
 * loop enters again with VMRESUME, without ever leaving this frame: the
 * host's callee-saved registers are pushed once per loop, not once per exit
 * (chapter 02, "The fast path").
 *
 * Returns (codes in vmx_enter.h) 0 when vmx_on_exit() said stop, 1 when
 * VMLAUNCH failed, 2 when VMRESUME failed, 3 when the VMWRITE of HOST_RSP
 * failed; nothing ran then. A failure code is VMfailValid (ZF set: the
 * caller reads the VM-instruction error), or has 4 added for VMfailInvalid
 * (CF set: there is no current VMCS, so there is no error field to read).
 * The flag is tested only after a failure, at .Lvmfail: the exit path and
 * a successful VMRESUME run no extra instruction.
 *
 * HOST_RSP is this frame, written once per call; HOST_RIP is vmx_exit_point.
 *
 * The fast path: a CPUID exit whose leaf common code has answered before and
 * marked stable (common/vm/cpuid_memo.h) is answered here, without saving the
 * guest's registers or calling C: look the leaf up in v->cpuid_memo, step RIP
 * over the instruction, count the exit as vcpu_handle_exit() would, load the
 * answer, VMRESUME. Anything unusual (work pending before an entry in
 * v->work_pending, another exit, a miss, an STI or MOV SS shadow to clear, a
 * single-step to deliver, RIP crossing a 4 GiB line) takes the full path,
 * which ends in vcpu_before_entry() (chapter 02).
 *
 * The direct path (chapter 14): every other exit saves all the guest's
 * registers, and then the exit reason, still in EDX, picks the C function:
 * vmx_exit_io() for an I/O exit, vmx_exit_vmcall() for a VMCALL, which do
 * only what their kind needs, and vmx_on_exit() for the rest. Which exits
 * those two take on, and which they hand to vmx_on_exit(), is theirs to say.
 */
#define VMCS_HOST_RSP 0x6C14

#include "arch/vmx/vmx_enter.h"
#include "arch/x86/gprs_asm.h"
#include "common/vm/cpuid_memo_asm.h"
#include "gen/vcpu_asm_offsets.h"

    .text
    .code64
    .globl vmx_run_loop, vmx_exit_point
vmx_run_loop:
    PUSH_HOST_CALLEE_SAVED      /* RBP first: 40(%rsp) after it is our frame */
    leaq 40(%rsp), %rbp         /* a frame for backtraces: saved RBP, then the return address */
    pushq %rdi                  /* 0(%rsp): v; the stack is now 16-byte aligned */
    movq $VMCS_HOST_RSP, %rax
    vmwrite %rsp, %rax
    jbe .Lhost_rsp_failed
    testl %esi, %esi
    jnz .Lresume
    movq %rdi, %rax
    LOAD_GUEST_GPRS_EXCEPT_RAX
    movq 0(%rax), %rax
    vmlaunch
    movl $VMX_RUN_VMLAUNCH_FAILED, %eax /* VMfail: the guest never ran; MOV keeps CF */
    jmp .Lvmfail

vmx_exit_point:
    pushq %rax                  /* guest RAX; v is at 8(%rsp) */
    pushq %rcx                  /* two scratch registers for the fast path; v at 24(%rsp) */
    pushq %rdx
    movl $VMX_ASM_EXIT_REASON, %ecx
    vmread %rcx, %rdx
    cmpl $VMX_ASM_REASON_CPUID, %edx
    jne .Lfull_path
    movq 24(%rsp), %rcx
    cmpl $0, VCPU_OFF_WORK_PENDING(%rcx) /* work before the entry: the full path */
    jne .Lfull_path             /* EDX still holds the reason; from here on it does not */
    CPUID_MEMO_SLOT_OFFSET(%eax, %edx)      /* the leaf's slot in the memo */
    leaq VCPU_OFF_CPUID_MEMO(%rcx,%rdx), %rdx
    cmpl CPUID_ANSWER_LEAF(%rdx), %eax
    jne .Lcpuid_slow
    movl $VMX_ASM_GUEST_INTERRUPTIBILITY, %eax
    vmread %rax, %rax
    testl $3, %eax              /* blocking by STI or MOV SS: the full path clears it */
    jnz .Lcpuid_slow
    movl $VMX_ASM_GUEST_RFLAGS, %eax
    vmread %rax, %rax
    testl $0x100, %eax          /* TF: a single-step #DB is due, the full path */
    jnz .Lcpuid_slow
    movl $VMX_ASM_EXIT_INSN_LEN, %eax
    vmread %rax, %rax
    movl $VMX_ASM_GUEST_RIP, %ecx
    vmread %rcx, %rcx
    addq %rcx, %rax             /* the next RIP */
    xorq %rax, %rcx
    shrq $32, %rcx              /* crossed a 4 GiB line (maybe a 32-bit wrap): full path */
    jnz .Lcpuid_slow
    movl $VMX_ASM_GUEST_RIP, %ecx
    vmwrite %rax, %rcx
    movq 24(%rsp), %rcx
    incq VCPU_OFF_CPUID_COUNT(%rcx)
    movl CPUID_ANSWER_EAX(%rdx), %eax
    movl CPUID_ANSWER_EBX(%rdx), %ebx
    movl CPUID_ANSWER_ECX(%rdx), %ecx
    movl CPUID_ANSWER_EDX(%rdx), %edx
    addq $24, %rsp
    vmresume
    movl $VMX_RUN_VMRESUME_FAILED, %eax
    jmp .Lvmfail
.Lcpuid_slow:                   /* a CPUID the fast path leaves to C: EDX was reused */
    movl $VMX_ASM_REASON_CPUID, %edx
.Lfull_path:                    /* EDX: the exit reason */
    movq 24(%rsp), %rax         /* v */
    SAVE_GUEST_GPRS_FROM_RBX    /* RCX and RDX are scratch here: */
    popq 16(%rax)               /* the guest's RDX, RCX and RAX */
    popq 8(%rax)
    popq 0(%rax)
    leaq 48(%rsp), %rbp         /* not the guest's RBP: backtraces walk from here */
    movq %rax, %rdi
    cmpl $VMX_ASM_REASON_IO, %edx   /* the whole reason: a failed entry (bit 31) never matches */
    je .Lio
    cmpl $VMX_ASM_REASON_VMCALL, %edx
    je .Lvmcall
    movl %edx, %esi
    call vmx_on_exit
    testl %eax, %eax
    jz .Lout                    /* eax = 0 (VMX_RUN_STOPPED): stop */
.Lresume:
    movq 0(%rsp), %rax
    LOAD_GUEST_GPRS_EXCEPT_RAX
    movq 0(%rax), %rax
    vmresume
    movl $VMX_RUN_VMRESUME_FAILED, %eax
    jmp .Lvmfail
.Lio:                           /* the direct path (chapter 14): C picks up from here */
    call vmx_exit_io
    testl %eax, %eax
    jnz .Lresume
    jmp .Lout
.Lvmcall:
    call vmx_exit_vmcall
    testl %eax, %eax
    jnz .Lresume
    jmp .Lout
.Lhost_rsp_failed:
    movl $VMX_RUN_HOST_RSP_FAILED, %eax
.Lvmfail:                       /* CF still from the failed instruction */
    jnc .Lout                   /* VMfailValid (ZF) */
    addl $VMX_RUN_FAIL_INVALID, %eax
.Lout:
    addq $8, %rsp
    POP_HOST_CALLEE_SAVED
    ret

    .section .note.GNU-stack, "", @progbits
