/*
 * common/platform/power_guard.c - the guest sleeps, switches off or resets the
 * machine; bookvisor stops instead (the rules: power_rules.c).
 */
#include "common/platform/power_guard.h"
#include "common/base/options.h"
#include "arch/x86/io.h"
#include "arch/x86/phys.h"
#include "common/base/acpi_power.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/platform/power_rules.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "common/vm/io_ports.h"

#define PORT_KBC_DATA 0x60
#define PORT_KBC_CMD 0x64
#define PORT_SYS_CTRL_A 0x92
#define PORT_RESET_CTRL 0xCF9

/* What the guards of one VM remember between accesses. */
struct power_guard {
    const struct acpi_power_info *pi;
    struct kbc_watch kbc;
};

/* The access goes on as the guest made it; lanes of other hooks reach them. */
static enum exit_action passthrough(struct vcpu *v, io_hook_fn fn, void *ctx, u16 port, u8 size,
                                    bool write, u32 *value)
{
    return io_pass_on(v, fn, ctx, port, size, write, value, IO_OWN_HARDWARE);
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
        return passthrough(v, pm1_cnt_access, ctx, port, size, write, value);
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
    return passthrough(v, pm1_cnt_access, ctx, port, size, write, value);
}

/*
 * Does the write reset the machine through one of the guarded one-byte
 * registers? Every lane is looked at, whatever port the access starts at: a
 * word at 0x91 reaches 0x92, a word at 0xCF8 reaches 0xCF9 (on QEMU, Bochs
 * and real chipsets alike some of these split a wide access into bytes).
 * Only the dword at 0xCF8, PCI's address register, leaves 0xCF9 alone.
 */
static enum exit_action __attribute__((noinline))
reset_write_check(struct power_guard *g, struct vcpu *v, u16 port, u8 size, u32 value)
{
    const struct acpi_power_info *pi = g->pi;
    bool config_address = io_is_pci_config_address(port, size);
    u8 byte;

    if (pi->reset_valid && pi->reset_space == ACPI_SPACE_IO && pi->reset_addr < 0x10000 &&
        io_lane_byte(port, size, value, (u16)pi->reset_addr, &byte) &&
        !(config_address && pi->reset_addr == PORT_RESET_CTRL) && byte == pi->reset_value)
        return stop_for_reset(v, "the FADT's reset register", pi->reset_addr, byte);
    if (io_lane_byte(port, size, value, PORT_RESET_CTRL, &byte) && !config_address &&
        cf9_write_resets(byte))
        return stop_for_reset(v, "reset control register", PORT_RESET_CTRL, byte);
    if (io_lane_byte(port, size, value, PORT_SYS_CTRL_A, &byte) &&
        port92_write_resets((u8)io_read(PORT_SYS_CTRL_A, 1), byte))
        return stop_for_reset(v, "System Control Port A fast reset", PORT_SYS_CTRL_A, byte);
    /* In port order: a command at 0x64 after data at 0x60 in one access. */
    if (io_lane_byte(port, size, value, PORT_KBC_DATA, &byte) &&
        kbc_write_resets(&g->kbc, PORT_KBC_DATA, byte))
        return stop_for_reset(v, "keyboard controller", PORT_KBC_DATA, byte);
    if (io_lane_byte(port, size, value, PORT_KBC_CMD, &byte) &&
        kbc_write_resets(&g->kbc, PORT_KBC_CMD, byte))
        return stop_for_reset(v, "keyboard controller", PORT_KBC_CMD, byte);
    return EXIT_SKIP;
}

static enum exit_action reset_port_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                          u32 *value);

/* Writes, and reads wider than the register's byte: the write's rules,
 * then the access as io_pass_on() splits it. */
static enum exit_action __attribute__((noinline))
reset_port_access_rest(void *ctx, struct vcpu *v, u16 port, u8 size, bool write, u32 *value)
{
    struct power_guard *g = ctx;
    if (write && reset_write_check(g, v, port, size, *value) != EXIT_SKIP)
        return EXIT_STOP;
    /* One-byte registers: a wider access goes on byte by byte, except PCI's
     * address register (a dword at 0xCF8, which must stay one). */
    return io_pass_on(v, reset_port_access, ctx, port, size, write, value,
                      size == 1 || io_is_pci_config_address(port, size) ? IO_OWN_HARDWARE
                                                                        : IO_OWN_BYTES);
}

/* 0xCF9, 0x92, 0x60/0x64 and the FADT's reset port (when it is another).
 * A one-byte read, the common access (firmware and operating systems read
 * 0x92 and the keyboard controller's status often), needs no check and no
 * split: it goes to the hardware here, in a function with no frame, so that
 * an I/O exit through the direct path stays under the exit goal (chapter 14). */
static enum exit_action reset_port_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                          u32 *value)
{
    if (__builtin_expect(size == 1 && !write, 1)) {
        *value = io_read(port, 1);
        return EXIT_SKIP;
    }
    return reset_port_access_rest(ctx, v, port, size, write, value);
}

/* The page of a memory-space reset register: every access is repeated on
 * the hardware, except the write of the reset value to the register. */
static enum exit_action reset_mmio_access(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                          u64 *value)
{
    const struct power_guard *g = ctx;
    if (write && g->pi->reset_addr >= gpa && g->pi->reset_addr < gpa + size &&
        (u8)(*value >> (8 * (g->pi->reset_addr - gpa))) == g->pi->reset_value)
        return stop_for_reset(v, "the FADT's reset register", g->pi->reset_addr,
                              g->pi->reset_value);
    if (write)
        phys_write(gpa, size, *value);
    else
        *value = phys_read(gpa, size);
    return EXIT_SKIP;
}

static enum exit_action smi_cmd_access(void *ctx, struct vcpu *v, u16 port, u8 size, bool write,
                                       u32 *value)
{
    return passthrough(v, smi_cmd_access, ctx, port, size, write, value);
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
        /* Replayed, the SMI is taken with bookvisor's state saved, not the
         * guest's: fine for ACPI_ENABLE, wrong for firmware that changes the
         * saved state (SeaBIOS enters 32-bit mode that way). smi=guest leaves
         * the port to the guest, as real hardware allows (chapter 12). */
        if (pi->smi_cmd && pi->smi_cmd < 0x10000 && vmm_options.smi == OPT_SMI_REPLAY)
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
