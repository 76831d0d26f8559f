/*
 * tests/thirdparty/linux_init.c - the whole user space of the linux-boot
 * emulator test: Linux runs it as /init from the initramfs. It says that
 * init was reached on the console, then asks the kernel to power the machine
 * off (ACPI S5, which bookvisor turns into its status=ok stop). A static
 * x86-64 program without libc: three system calls.
 */
#define SYS_WRITE 1
#define SYS_OPEN 2
#define SYS_IOCTL 16
#define SYS_REBOOT 169
#define O_RDWR 2
#define TCSBRK 0x5409 /* with argument 1: wait until the output is sent (tcdrain) */
#define REBOOT_MAGIC1 0xfee1deadL
#define REBOOT_MAGIC2 672274793L
#define REBOOT_CMD_POWER_OFF 0x4321fedcL

static long syscall4(long n, long a, long b, long c, long d)
{
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return ret;
}

static void say(long fd, const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    syscall4(SYS_WRITE, fd, (long)s, n, 0);
}

void _start(void)
{
    /* The kernel opens /dev/console for init when the initramfs has it; open
     * it again in case it did not, so the line is never lost. */
    long fd = syscall4(SYS_OPEN, (long)"/dev/console", O_RDWR, 0, 0);
    if (fd < 0)
        fd = 1;
    say(fd, "linux-init: init reached under bookvisor, powering off\n");
    /* Let the UART send the whole line before the kernel's power-off
     * messages, which would otherwise cut into it, and before the machine
     * goes off under the last bytes. */
    syscall4(SYS_IOCTL, fd, TCSBRK, 1, 0);
    syscall4(SYS_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_POWER_OFF, 0);
    say(fd, "linux-init: power-off failed\n");
    for (;;)
        __asm__ volatile("pause");
}
