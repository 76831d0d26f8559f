/**
 * @file tests/guest/check_virt_insn.c
 * @brief The guest was told there is no VMX/SVM: their instructions must #UD.
 *
 * Under bookvisor the real CPU does have them, so each use exits to the VMM,
 * which must answer with #UD exactly as a CPU without the feature would.
 * On AMD the probe is VMRUN (0F 01 D8), on Intel VMXOFF (0F 01 C4); both are
 * 3 bytes, and the #UD hook in hypercall.c steps over them.
 */
#include "check.h"
#include "hypercall.h"

void check_virt_insn(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    bool amd = hypercall_insn_name()[2] == 'M'; /* "VMMCALL" vs "VMCALL" */
    u32 scratch = 0;

    hypercall_clear_fault();
    if (amd)
        __asm__ volatile(".byte 0x0f, 0x01, 0xd8" : "+a"(scratch) : : "memory"); /* VMRUN */
    else
        __asm__ volatile(".byte 0x0f, 0x01, 0xc4" : : : "memory"); /* VMXOFF */
    if (!hypercall_faulted_last())
        check_fail(res, "%s did not raise #UD", amd ? "VMRUN" : "VMXOFF");
    else
        check_note(res, "%s raised #UD", amd ? "VMRUN" : "VMXOFF");
}
