/**
 * @file tests/guest/check_vmcall.c
 * @brief BOOKVISOR_HC_PING answers.
 */
#include "check.h"
#include "hypercall.h"

#define PING_ARGUMENT 0x12345678u

void check_vmcall(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    struct hypercall_regs r = { BOOKVISOR_HC_PING, PING_ARGUMENT, 0, 0 };

    if (!hypercall(&r)) {
        check_fail(res, "#UD (no hypervisor?)");
        return;
    }
    if (r.eax != BOOKVISOR_PING_MAGIC)
        check_fail(res, "%s ping: EAX=0x%08x, expected 0x%08x", hypercall_insn_name(), r.eax,
                   BOOKVISOR_PING_MAGIC);
    else if (r.ebx != PING_ARGUMENT + 1)
        check_fail(res, "%s ping: EBX=0x%08x, expected 0x%08x", hypercall_insn_name(), r.ebx,
                   PING_ARGUMENT + 1);
}
