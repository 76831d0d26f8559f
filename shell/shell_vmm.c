/*
 * shell/shell_vmm.c - the debug shell's thread and its commands (see shell_vmm.h).
 */
#include "shell/shell_vmm.h"
#include "arch/x86/io.h"
#include "arch/x86/serial.h"
#include "common/base/console.h"
#include "common/base/heap.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "common/base/thread.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vcpu.h"
#include "net/net_vmm.h"
#include "pci/pci.h"
#include "shell/shell_core.h"

#define UART_RBR 0 /* receive buffer */
#define UART_LSR 5 /* line status */
#define UART_LSR_DATA_READY 0x01

static struct guest_vm *shell_vm;

static void log_line(const char *text)
{
    kprintf("bookvisor: shell: %s\n", text);
}

static void out_line(void *ctx, const char *text)
{
    (void)ctx;
    log_line(text);
}

static enum shell_status cmd_exits(int argc, char **argv, const struct shell_out *out)
{
    char line[64];
    u64 total = 0;

    (void)argv;
    if (argc != 1)
        return SHELL_USAGE;
    /* Read while the vCPUs run: each counter is one aligned word, read whole. */
    unsigned n = __atomic_load_n(&shell_vm->n_vcpus, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++) {
        const struct vcpu *v = shell_vm->vcpus[i];
        ksnprintf(line, sizeof(line), "vcpu %u:", v->id);
        out->line(out->ctx, line);
        vcpu_print_counters(v, log_line);
        total += vcpu_exit_total(v);
    }
    ksnprintf(line, sizeof(line), "exits of all %u vCPUs: total=%llu", n, (unsigned long long)total);
    out->line(out->ctx, line);
    return SHELL_OK;
}

static enum shell_status cmd_pci(int argc, char **argv, const struct shell_out *out)
{
    char line[48];

    (void)argv;
    if (argc != 1)
        return SHELL_USAGE;
    ksnprintf(line, sizeof(line), "%u PCI functions", pci_print_list());
    out->line(out->ctx, line);
    return SHELL_OK;
}

static enum shell_status cmd_threads(int argc, char **argv, const struct shell_out *out)
{
    char line[48];

    (void)argv;
    if (argc != 1)
        return SHELL_USAGE;
    thread_list(log_line);
    ksnprintf(line, sizeof(line), "%u threads", thread_count());
    out->line(out->ctx, line);
    return SHELL_OK;
}

static enum shell_status cmd_mem(int argc, char **argv, const struct shell_out *out)
{
    struct heap_stats h;
    char line[160];

    (void)argv;
    if (argc != 1)
        return SHELL_USAGE;
    mem_heap_stats(&h);
    ksnprintf(line, sizeof(line), "pool %llu KiB, free pages %llu KiB",
              (unsigned long long)(vmm_options.vmm_mem >> 10),
              (unsigned long long)(mem_free_bytes() >> 10));
    out->line(out->ctx, line);
    ksnprintf(line, sizeof(line), "heap %zu KiB from pages, %zu bytes in %zu blocks in use, "
              "%zu bytes free", h.bytes_from_pages >> 10, h.bytes_in_use, h.allocations,
              h.bytes_free);
    out->line(out->ctx, line);
    return SHELL_OK;
}

static enum shell_status cmd_net(int argc, char **argv, const struct shell_out *out)
{
    (void)argv;
    (void)out;
    if (argc != 1)
        return SHELL_USAGE;
    net_print_state(log_line);
    return SHELL_OK;
}

static enum shell_status cmd_echoctl(int argc, char **argv, const struct shell_out *out)
{
    struct net_request r;
    char line[128];
    const char *err = echoctl_parse(argc, argv, &r);

    if (err) {
        out->line(out->ctx, err);
        return SHELL_USAGE;
    }
    /* lwIP belongs to the network thread: it carries the request out and logs it. */
    err = net_post(&r);
    if (err) {
        ksnprintf(line, sizeof(line), "echoctl: %s", err);
        out->line(out->ctx, line);
    }
    return SHELL_OK;
}

static const struct shell_command commands[] = {
    { "exits", "", "exit counters per vCPU and in total", cmd_exits },
    { "pci", "", "the PCI functions and what owns each", cmd_pci },
    { "threads", "", "bookvisor's threads", cmd_threads },
    { "mem", "", "bookvisor's memory use", cmd_mem },
    { "net", "", "NICs, counters and the stack's address", cmd_net },
    { "echoctl", "server start <port> | server stop | client connect <ip> <port> | "
                 "client send <text> | client close", "the TCP echo server and client", cmd_echoctl },
};

static void run_line(char *line)
{
    static const struct shell_out out = { out_line, NULL };

    shell_execute(commands, sizeof(commands) / sizeof(commands[0]), line, &out);
}

/* The shell= options, one command per line. */
static void run_startup_commands(void)
{
    const char *p = vmm_options.shell_commands;

    while (*p) {
        char line[SHELL_LINE_MAX];
        size_t n = 0;

        while (p[n] && p[n] != '\n')
            n++;
        if (n >= sizeof(line)) {
            log_line("a shell= command longer than a shell line; skipped");
        } else {
            memcpy(line, p, n);
            line[n] = '\0';
            kprintf("bookvisor: shell: > %s\n", line);
            run_line(line);
        }
        p += n + (p[n] == '\n');
    }
}

static void echo_com2(const char *s)
{
    for (; *s; s++)
        serial_putc(SERIAL_COM2, *s);
}

static void shell_thread(void *arg)
{
    static struct shell_line editor;
    char echo[5];

    (void)arg;
    run_startup_commands();
    if (!vmm_options.shell_listen)
        return;
    log_line("listening on COM2 ('help' lists the commands)");
    for (;;) {
        while (inb(SERIAL_COM2 + UART_LSR) & UART_LSR_DATA_READY) {
            char c = (char)inb(SERIAL_COM2 + UART_RBR);
            if (shell_line_feed(&editor, c, echo)) {
                echo_com2(echo);
                run_line(editor.buf);
            } else {
                echo_com2(echo);
            }
        }
        thread_sleep_us(SHELL_POLL_US);
    }
}

void shell_start(struct guest_vm *vm)
{
    if (!vmm_options.shell_listen && !vmm_options.shell_commands[0])
        return;
    shell_vm = vm;
    if (vmm_options.shell_listen && vmm_options.console != CONSOLE_COM2)
        serial_init(SERIAL_COM2);
    thread_create("shell", shell_thread, NULL);
}
