/**
 * @file tests/guest/check_invd.c
 * @brief INVD in the guest neither stops it nor loses memory.
 *
 * VT-x exits on INVD unconditionally and bookvisor intercepts it on AMD-V
 * too: run as is, it would drop the VMM's dirty cache lines along with the
 * guest's. bookvisor performs WBINVD instead. The check writes a value,
 * executes WBINVD (so that even without a hypervisor nothing of the guest's
 * is lost) and INVD, and reads the value back; the emulator test also
 * expects bookvisor to count one `invd` exit.
 */
#include "check.h"

static volatile u32 sentinel;

void check_invd(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    sentinel = 0x1BADCAFE;
    __asm__ volatile("wbinvd; invd" ::: "memory");
    if (sentinel != 0x1BADCAFE)
        check_fail(res, "a value written before INVD reads back as 0x%08x", sentinel);
}
