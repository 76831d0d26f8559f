/*
 * common/platform/power_guard.c - the guest sleeps, switches off or resets the
 * machine; bookvisor stops instead (the rules: power_rules.c).
 */
#include "common/platform/power_guard.h"
#include "arch/x86/io.h"
#include "arch/x86/phys.h"
#include "common/base/acpi_power.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/platform/power_rules.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"

#define PORT_KBC_DATA 0x60
#define PORT_KBC_CMD 0x64
#define PORT_SYS_CTRL_A 0x92
#define PORT_RESET_CTRL 0xCF9

/* What the guards of one VM remember between accesses. */
struct power_guard {
    const struct acpi_power_info *pi;
    struct kbc_watch kbc;
};

static enum exit_action passthrough(struct vcpu *v, u16 port, u8 size, bool write, u32 *value)
{
    (void)v;
    if (write)
        io_write(port, size, *value);
    else
        *value = io_read(port, size);
    return EXIT_SKIP;
}

/* The guest's request never reaches the hardware: the guest stops here. */
static enum exit_action stop_for_reset(struct vcpu *v, const char *how, u64 where, u32 value)
{
    return vcpu_stop(v, VCPU_STOP_POWEROFF,
                     "the guest reset the machine (%s: 0x%x at 0x%llx); switched off instead: "
                     "after a reset the firmware runs without bookvisor",
                     how, value, (unsigned long long)where);
}

/* PM1a_CNT or PM1b_CNT, reached by any access that overlaps it. */
static enum exit_action pm1_cnt_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                       u32 *value)
{
    const struct power_guard *g = ctx;
    const struct acpi_power_info *pi = g->pi;
    if (!write)
        return passthrough(v, port, size, write, value);
    bool block_b = pi->pm1b_cnt && port + size > pi->pm1b_cnt && port < pi->pm1b_cnt + pi->pm1_cnt_len;
    u16 reg = block_b ? pi->pm1b_cnt : pi->pm1a_cnt;
    u32 cnt;
    if (io_write_merge(reg, 2, io_read(reg, 2), port, size, *value, &cnt)) {
        int state = pm1_sleep_state(pi, block_b, cnt);
        if (state == 5)
            return vcpu_stop(v, VCPU_STOP_POWEROFF, "the guest switched the machine off (ACPI S5)");
        if (state > 0)
            return vcpu_stop(v, VCPU_STOP_ERROR,
                             "the guest asked for ACPI sleep state S%d (SLP_TYP %u in PM1%c_CNT): "
                             "bookvisor cannot suspend, the firmware would resume the guest alone", state, (cnt >> PM1_CNT_SLP_TYP_SHIFT) & 7,
                             block_b ? 'b' : 'a');
        if (state < 0)
            return vcpu_stop(v, VCPU_STOP_ERROR,
                             "the guest asked the machine to sleep with SLP_TYP %u in PM1%c_CNT, "
                             "a type no \\_Sn package names; stopping",
                             (cnt >> PM1_CNT_SLP_TYP_SHIFT) & 7, block_b ? 'b' : 'a');
    }
    return passthrough(v, port, size, write, value);
}

/* Is this byte write the FADT's reset register and value? */
static bool fadt_reset_io(const struct acpi_power_info *pi, u16 port, u8 size, u32 value)
{
    return pi->reset_valid && pi->reset_space == ACPI_SPACE_IO && pi->reset_addr == port &&
           size == 1 && (u8)value == pi->reset_value;
}

/* 0xCF9, 0x92, 0x60/0x64 and the FADT's reset port (when it is another). */
static enum exit_action reset_port_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                          u32 *value)
{
    struct power_guard *g = ctx;
    if (!write)
        return passthrough(v, port, size, write, value);
    u8 byte = (u8)*value;
    if (fadt_reset_io(g->pi, port, size, *value))
        return stop_for_reset(v, "the FADT's reset register", port, byte);
    /* 0xCF9 decodes byte accesses only: a dword at 0xCF8 is PCI's address register. */
    if (port == PORT_RESET_CTRL && size == 1 && cf9_write_resets(byte))
        return stop_for_reset(v, "reset control register", port, byte);
    if (port == PORT_SYS_CTRL_A && port92_write_resets((u8)io_read(port, 1), byte))
        return stop_for_reset(v, "System Control Port A fast reset", port, byte);
    if ((port == PORT_KBC_CMD || port == PORT_KBC_DATA) && kbc_write_resets(&g->kbc, port, byte))
        return stop_for_reset(v, "keyboard controller", port, byte);
    return passthrough(v, port, size, write, value);
}

/* The page of a memory-space reset register: every access is repeated on
 * the hardware, except the write of the reset value to the register. */
static enum exit_action reset_mmio_access(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                          u64 *value)
{
    const struct power_guard *g = ctx;
    volatile u8 *p = phys_to_virt(gpa);
    if (write && g->pi->reset_addr >= gpa && g->pi->reset_addr < gpa + size &&
        (u8)(*value >> (8 * (g->pi->reset_addr - gpa))) == g->pi->reset_value)
        return stop_for_reset(v, "the FADT's reset register", g->pi->reset_addr,
                              g->pi->reset_value);
    switch (size) {
    case 1: if (write) *p = (u8)*value; else *value = *p; break;
    case 2: if (write) *(volatile u16 *)p = (u16)*value; else *value = *(volatile u16 *)p; break;
    case 4: if (write) *(volatile u32 *)p = (u32)*value; else *value = *(volatile u32 *)p; break;
    default: if (write) *(volatile u64 *)p = *value; else *value = *(volatile u64 *)p; break;
    }
    return EXIT_SKIP;
}

static enum exit_action smi_cmd_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                       u32 *value)
{
    (void)ctx;
    return passthrough(v, port, size, write, value);
}

static void hook_port(struct guest_vm *vm, u16 port, u16 count, io_hook_fn fn, void *ctx)
{
    if (io_hook_register(vm, port, count, fn, ctx) != 0)
        kprintf("bookvisor: power: cannot watch port 0x%x (hook table full or taken): the guest "
                "could sleep or reset the machine through it\n", port);
}

void power_guard_install(struct guest_vm *vm)
{
    const struct acpi_power_info *pi = acpi_power_info();
    struct power_guard *g = kzalloc(sizeof(*g));
    g->pi = pi;
    if (pi->valid) {
        hook_port(vm, pi->pm1a_cnt, pi->pm1_cnt_len, pm1_cnt_access, g);
        if (pi->pm1b_cnt)
            hook_port(vm, pi->pm1b_cnt, pi->pm1_cnt_len, pm1_cnt_access, g);
        if (pi->smi_cmd && pi->smi_cmd < 0x10000)
            hook_port(vm, (u16)pi->smi_cmd, 1, smi_cmd_access, NULL);
    } else {
        kprintf("bookvisor: power: no ACPI PM1 control port found: the guest's sleep requests "
                "cannot be watched\n");
    }
    static const u16 reset_ports[] = { PORT_KBC_DATA, PORT_KBC_CMD, PORT_SYS_CTRL_A, PORT_RESET_CTRL };
    for (unsigned i = 0; i < ARRAY_SIZE(reset_ports); i++)
        hook_port(vm, reset_ports[i], 1, reset_port_access, g);
    if (!pi->reset_valid)
        return;
    if (pi->reset_space == ACPI_SPACE_IO && pi->reset_addr < 0x10000) {
        u16 port = (u16)pi->reset_addr;
        if (!io_hook_find(vm, port, 1, NULL))
            hook_port(vm, port, 1, reset_port_access, g);
    } else if (pi->reset_space == ACPI_SPACE_MEMORY) {
        if (mmio_hook_register(vm, pi->reset_addr & ~0xFFFULL, 4096, reset_mmio_access, g) != 0)
            kprintf("bookvisor: power: cannot watch the reset register at 0x%llx\n",
                    (unsigned long long)pi->reset_addr);
    } else {
        kprintf("bookvisor: power: the FADT's reset register is in address space %u, which "
                "bookvisor does not watch\n", pi->reset_space);
    }
}
