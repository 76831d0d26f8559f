/**
 * @file tests/guest/check_triple_fault.c
 * @brief Deliberately triple-fault (only when named: `tests=triple-fault`).
 *
 * Loads an empty IDT and raises #BP: the #BP cannot be delivered (#GP), the
 * #GP cannot either (#DF), nor the #DF: shutdown. On bare metal the machine
 * resets; under bookvisor the VMM must report the guest's triple fault and
 * stop with a failure status. Nothing after the INT3 runs.
 */
#include "check.h"

void check_triple_fault(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    static const struct __attribute__((packed)) {
        u16 limit;
        u32 base;
    } empty_idt = { 0, 0 };

    __asm__ volatile("cli; lidt %0; int3" : : "m"(empty_idt) : "memory");
    check_fail(res, "still running after a triple fault");
}
