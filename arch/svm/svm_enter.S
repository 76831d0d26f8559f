/*
 * arch/svm/svm_enter.S - the AMD-V run loop: VMRUN and the way back.
 *
 * void svm_run_loop(struct vcpu *v, u64 guest_vmcb_pa, u64 host_vmcb_pa, struct vmcb *vmcb)
 *
 * Enters the guest, and at every #VMEXIT saves the guest's general registers
 * into v->gprs (at offset 0 of struct vcpu) and calls svm_on_exit(v) on this
 * same stack, or for an IOIO or VMMCALL exit the direct path's entry
 * (svm_exit_io(v, vmcb), svm_exit_vmmcall(v, vmcb); chapter 14); while that
 * returns nonzero, enters again without leaving this frame, so the host's
 * callee-saved registers are pushed once per loop, not once per exit
 * (chapter 02, "The fast path"). RAX travels in the VMCB: the C entries move
 * it between the VMCB and v->gprs.
 *
 * VMRUN itself switches only part of the state; VMLOAD/VMSAVE move the rest
 * (FS, GS, TR, LDTR, KernelGSBase, STAR family, SYSENTER). GIF is cleared
 * around the switch so no interrupt lands half-way. VMRUN runs at IF = 1,
 * still inside CLGI: while a VMM timer bounds the guest's run
 * (V_INTR_MASKING set, arch/svm/svm_bound.c) the host's IF is what masks
 * physical interrupts in the guest, so that they exit whatever the guest's
 * IF (APM vol. 2, "Physical interrupt masking"); with the bit clear the
 * guest's IF masks them and the host's is not looked at. An STI costs less
 * than testing the bit. The exit gives IF = 1 back: it is cleared before
 * STGI, so that interrupts still reach the VMM only in its windows; the fast
 * path re-enters with it, as the next full entry would.
 *
 * The fast path, right after VMRUN returns (GIF still 0, the guest's FS/GS/
 * TR/... still loaded, which nothing here uses): a CPUID exit whose leaf
 * common code answered before and marked stable (common/vm/cpuid_memo.h), with
 * next-RIP given, no interrupt shadow and no single-step (RFLAGS.TF), while
 * common code has no work pending before an entry (v->work_pending is 0:
 * no event to deliver, no window open, no flush asked for; chapter 02), is
 * answered from v->cpuid_memo and the guest entered again at once, without
 * VMSAVE/VMLOAD, without saving its registers and without C. Anything else
 * takes the full path, which ends in vcpu_before_entry(). Leaf 1 is
 * remembered too: its OSXSAVE bit mirrors the guest's CR4.OSXSAVE, whose
 * writes do not exit where CR4 writes are not intercepted, so the answer
 * takes that bit from the VMCB's CR4 each time (v->osxsave_writes_exit).
 */
#include "arch/svm/svm_enter_asm.h"
#include "arch/x86/gprs_asm.h"
#include "common/vm/cpuid_memo_asm.h"
#include "gen/vcpu_asm_offsets.h"

    .text
    .code64
    .globl svm_run_loop
svm_run_loop:
    PUSH_HOST_CALLEE_SAVED      /* RBP first: 40(%rsp) after it is our frame */
    leaq 40(%rsp), %rbp         /* a frame for backtraces: saved RBP, then the return address */
    pushq %rdi              /* 32(%rsp): v */
    pushq %rdx              /* 24(%rsp): host VMCB */
    pushq %rsi              /* 16(%rsp): guest VMCB */
    pushq %rcx              /* 8(%rsp): the guest VMCB's virtual address */
    subq $8, %rsp           /* 0(%rsp): padding; the stack is 16-byte aligned */
.Lenter:
    movq 32(%rsp), %rax
    clgi
    sti                     /* GIF = 0 holds interrupts until VMRUN; see above */
    LOAD_GUEST_GPRS_EXCEPT_RAX
    movq 16(%rsp), %rax     /* VMRUN's operand; the guest's RAX is in the VMCB */
    vmload %rax
.Lvmrun:
    vmrun %rax
    .globl svm_vmrun_return
svm_vmrun_return:               /* trap_note_guest_step_site(): a guest's stray #DB lands here */
    /* Fast path. RAX is the guest VMCB's address again; RCX/RDX are borrowed. */
    pushq %rcx
    pushq %rdx
    movq 24(%rsp), %rcx                     /* the VMCB */
    cmpq $SVM_ASM_EXIT_CPUID, SVM_ASM_EXITCODE(%rcx)
    jne .Lfull_path
    movq 48(%rsp), %rax                     /* v */
    cmpl $0, VCPU_OFF_WORK_PENDING(%rax)    /* work before the entry: the full path */
    jne .Lfull_path
    cmpq $0, SVM_ASM_NEXT_RIP(%rcx)         /* no next-RIP: the full path decodes */
    je .Lfull_path
    testb $1, SVM_ASM_INTERRUPT_SHADOW(%rcx) /* a shadow to clear: the full path */
    jnz .Lfull_path
    testb $1, SVM_ASM_RFLAGS + 1(%rcx)      /* TF: a single-step #DB is due, the full path */
    jnz .Lfull_path
    movl SVM_ASM_RAX(%rcx), %eax            /* the leaf */
    CPUID_MEMO_SLOT_OFFSET(%eax, %edx)      /* the leaf's slot in the memo */
    addq 48(%rsp), %rdx                     /* + v */
    cmpl VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_LEAF(%rdx), %eax
    jne .Lfull_path
    /* Leaf 1: its OSXSAVE bit is the guest's CR4.OSXSAVE, which may have
     * changed without an exit; the memo's bit becomes CR4's as it is now. */
    cmpl $1, %eax
    jne .Lanswer
    movl SVM_ASM_CR4(%rcx), %eax
    shll $(SVM_ASM_LEAF1_OSXSAVE_BIT - SVM_ASM_CR4_OSXSAVE_BIT), %eax /* to leaf 1's place */
    xorl VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_ECX(%rdx), %eax
    andl $(1 << SVM_ASM_LEAF1_OSXSAVE_BIT), %eax  /* set where CR4 and the memo differ */
    xorl %eax, VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_ECX(%rdx)
.Lanswer:
    movq SVM_ASM_NEXT_RIP(%rcx), %rax
    movq %rax, SVM_ASM_RIP(%rcx)
    movb $0, SVM_ASM_TLB_CONTROL(%rcx)
    movq $0, SVM_ASM_EVENTINJ(%rcx)
    movl VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_EAX(%rdx), %eax
    movq %rax, SVM_ASM_RAX(%rcx)
    movq 48(%rsp), %rax
    incq VCPU_OFF_CPUID_COUNT(%rax)
    movl VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_EBX(%rdx), %ebx
    movl VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_ECX(%rdx), %ecx
    movl VCPU_OFF_CPUID_MEMO + CPUID_ANSWER_EDX(%rdx), %edx
    addq $16, %rsp
    movq 16(%rsp), %rax
    jmp .Lvmrun
.Lfull_path:
    popq %rdx               /* the guest's RDX and RCX again */
    popq %rcx
    movq 16(%rsp), %rax
    vmsave %rax             /* the guest's FS/GS/TR/... into its VMCB */
    movq 24(%rsp), %rax
    vmload %rax
    cli                     /* a bounded VMRUN ran at IF = 1; interrupts wait for a window */
    stgi
    movq 32(%rsp), %rax
    SAVE_GUEST_GPRS_EXCEPT_RAX
    leaq 80(%rsp), %rbp         /* not the guest's RBP: backtraces walk from here */
    movq %rax, %rdi
    movq 8(%rsp), %rsi          /* the VMCB: its exit code picks the C entry, nothing else */
    cmpq $SVM_ASM_EXIT_IOIO, SVM_ASM_EXITCODE(%rsi)
    je .Lexit_io
    cmpq $SVM_ASM_EXIT_VMMCALL, SVM_ASM_EXITCODE(%rsi)
    je .Lexit_vmmcall
    call svm_on_exit
    testl %eax, %eax
    jnz .Lenter
.Lleave:
    addq $40, %rsp
    POP_HOST_CALLEE_SAVED
    ret
.Lexit_io:                      /* the direct path (svm_exit_direct.c) */
    call svm_exit_io
    testl %eax, %eax
    jnz .Lenter
    jmp .Lleave
.Lexit_vmmcall:
    call svm_exit_vmmcall
    testl %eax, %eax
    jnz .Lenter
    jmp .Lleave

    .section .note.GNU-stack, "", @progbits
