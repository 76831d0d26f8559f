/*
 * common/platform/acpi_hooks.c - the guest switches the machine off; bookvisor notices.
 */
#include "common/platform/acpi_hooks.h"
#include "common/base/acpi_power.h"
#include "arch/x86/io.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"

static enum exit_action pm1_cnt_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                       u32 *value)
{
    const struct acpi_power_info *pi = ctx;
    if (!write) {
        *value = io_read(port, size);
        return EXIT_SKIP;
    }
    bool whole = (port == pi->pm1a_cnt || port == pi->pm1b_cnt) && size >= 2;
    if (whole && (*value & (1u << 13))) { /* SLP_EN */
        u16 typ = (*value >> 10) & 7;
        u16 s5 = port == pi->pm1a_cnt ? pi->slp_typ_s5a : pi->slp_typ_s5b;
        if (!pi->s5_found || typ == s5)
            return vcpu_stop(v, VCPU_STOP_POWEROFF, "the guest switched the machine off (ACPI S5)");
    }
    io_write(port, size, *value);
    return EXIT_SKIP;
}

static enum exit_action passthrough_access(void *ctx, struct vcpu *v, u16 port, u8 size,
                                           bool write, u32 *value)
{
    (void)ctx;
    (void)v;
    if (write)
        io_write(port, size, *value);
    else
        *value = io_read(port, size);
    return EXIT_SKIP;
}

void acpi_hooks_install(struct guest_vm *vm)
{
    const struct acpi_power_info *pi = acpi_power_info();
    if (!pi->valid)
        return;
    io_hook_register(vm, pi->pm1a_cnt, 2, pm1_cnt_access, (void *)pi);
    if (pi->pm1b_cnt)
        io_hook_register(vm, pi->pm1b_cnt, 2, pm1_cnt_access, (void *)pi);
    if (pi->smi_cmd && pi->smi_cmd < 0x10000)
        io_hook_register(vm, (u16)pi->smi_cmd, 1, passthrough_access, NULL);
}
