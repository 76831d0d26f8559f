/*
 * common/vm/vcpu_asm_offsets.c - where the backends' assembly finds the fields of
 * struct vcpu it reads.
 *
 * Never linked into bookvisor. The Makefile compiles this file to assembly
 * and turns each "ASMOFF name value" line the compiler wrote into
 * `#define name value` in build/gen/vcpu_asm_offsets.h, which the .S files
 * include. So the assembly follows struct vcpu wherever its fields move:
 * nobody writes an offset by hand, and no layout is frozen for the assembly's
 * sake. (Only gprs must stay first: the entry loops address the registers
 * from the vCPU pointer itself, common/vm/exit_dispatch.c checks it.)
 */
#include "common/vm/vcpu.h"

/* Emit "ASMOFF name value" into the compiler's assembly output. */
#define ASM_OFFSET(name, value) __asm__ volatile("\n.ascii \"ASMOFF " #name " %c0\"" : : "i"(value))

void vcpu_asm_offsets(void);

void vcpu_asm_offsets(void)
{
    ASM_OFFSET(VCPU_OFF_WORK_PENDING, __builtin_offsetof(struct vcpu, work_pending));
    ASM_OFFSET(VCPU_OFF_CPUID_MEMO, __builtin_offsetof(struct vcpu, cpuid_memo));
    ASM_OFFSET(VCPU_OFF_CPUID_COUNT,
               __builtin_offsetof(struct vcpu, exit_counts) + 8 * VM_EXIT_CPUID);
}
