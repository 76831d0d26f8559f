/*
 * common/base/panic.c - the ways bookvisor stops.
 */
#include "common/base/panic.h"
#include "common/base/acpi_power.h"
#include "arch/x86/boot_defs.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "common/base/kprintf.h"

static volatile int panicking;

static u32 this_cpu_apic_id(void)
{
    return cpuid(1, 0).ebx >> 24;
}

static void print_backtrace(u64 rbp)
{
    kprintf("backtrace:\n");
    /* Frame pointers are kept (-fno-omit-frame-pointer); stop at anything odd. */
    for (int depth = 0; depth < 16 && rbp >= KERNEL_VBASE && (rbp & 7) == 0; depth++) {
        u64 *frame = (u64 *)(uintptr_t)rbp;
        u64 ret = frame[1];
        if (ret < KERNEL_VBASE)
            break;
        kprintf("  #%d 0x%llx\n", depth, (unsigned long long)ret);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

void machine_stop(enum machine_status status)
{
    kprintf("bookvisor: machine stopped (status=%s)\n",
            status == MACHINE_STATUS_OK ? "ok" : "failure");
    acpi_power_off();
    cpu_halt_forever();
}

void panic(const char *fmt, ...)
{
    cpu_cli();
    if (panicking++)
        cpu_halt_forever();
    va_list ap;
    va_start(ap, fmt);
    kprintf("\nbookvisor: PANIC: ");
    kvprintf(fmt, ap);
    va_end(ap);
    u64 rbp;
    __asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
    kprintf("\ncpu=%u rip=0x%llx\n", this_cpu_apic_id(),
            (unsigned long long)(uintptr_t)__builtin_return_address(0));
    print_backtrace(rbp);
    machine_stop(MACHINE_STATUS_FAILURE);
}

void panic_trap(const struct trap_frame *tf, const char *what)
{
    cpu_cli();
    if (panicking++)
        cpu_halt_forever();
    kprintf("\nbookvisor: PANIC: exception %s (vector %llu) in the VMM\n", what,
            (unsigned long long)tf->vector);
    kprintf("cpu=%u rip=0x%llx error=0x%llx cr2=0x%llx rsp=0x%llx\n", this_cpu_apic_id(),
            (unsigned long long)tf->rip, (unsigned long long)tf->error_code,
            (unsigned long long)read_cr2(), (unsigned long long)tf->rsp);
    kprintf("rax=0x%llx rbx=0x%llx rcx=0x%llx rdx=0x%llx\n", (unsigned long long)tf->rax,
            (unsigned long long)tf->rbx, (unsigned long long)tf->rcx,
            (unsigned long long)tf->rdx);
    print_backtrace(tf->rbp);
    machine_stop(MACHINE_STATUS_FAILURE);
}
