/**
 * @file tests/guest/main.c
 * @brief The test guest's life: set up, run the selected checks, report,
 * power off.
 */
#include "acpi.h"
#include "bootinfo.h"
#include "cpu.h"
#include "pic.h"
#include "print.h"
#include "recover.h"
#include "runner.h"
#include "serial.h"
#include "trap.h"

/* Entry point from boot.S. */
void guest_main(u32 magic, u32 mbi_addr) __attribute__((noreturn));

/* Static: live across recover_jump(). */
static struct boot_info boot;
static struct run_totals totals;
static struct recover_point checks_point;
static struct recover_point poweroff_point;

static void __attribute__((noreturn)) power_off(void)
{
    struct acpi_s5_info s5;
    char why[96];

    if (recover_save(&poweroff_point) == 0) {
        trap_set_recovery(&poweroff_point);
        if (acpi_find_s5(&s5, why, sizeof(why)))
            acpi_enter_s5(&s5);
        else
            gprintf("guest: acpi: %s\n", why);
    }
    trap_set_recovery(NULL);
    gprintf("guest: poweroff failed\n");
    halt_forever();
}

void guest_main(u32 magic, u32 mbi_addr)
{
    serial_init();
    idt_init();
    pic_init(); /* BIOS vectors for IRQs overlap the CPU exceptions */
    bootinfo_collect(magic, mbi_addr, &boot);

    gprintf("guest: start cmdline=\"%s\"\n", boot.cmdline);
    if (!boot.multiboot)
        gprintf("guest: not started by a multiboot loader (eax=0x%08x)\n", magic);
    else if (!boot.has_cmdline)
        gprintf("guest: no command line (multiboot flags bit 2 clear), running all\n");

    if (recover_save(&checks_point) == 0) {
        trap_set_recovery(&checks_point);
        runner_run(&boot, &totals);
    } else {
        /* An exception outside any single check: count it and move on. */
        runner_quiesce();
        totals.failed++;
    }
    trap_set_recovery(NULL);

    gprintf("guest: summary passed=%u failed=%u\n", totals.passed, totals.failed);
    gprintf("guest: done\n");
    power_off();
}
