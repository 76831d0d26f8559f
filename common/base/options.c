/*
 * common/base/options.c - the table of bookvisor's command-line keys.
 */
#include "common/base/options.h"
#include "common/base/cmdline.h"
#include "common/lib/kstring.h"

struct vmm_options vmm_options;

static const char *const console_choices[] = { "com1", "com2", "e9", NULL };
static const char *const backend_choices[] = { "auto", "svm", "vmx", NULL };
static const char *const corrupt_choices[] = { "none", "guest-cs", "control", NULL };
static const char *const smi_choices[] = { "replay", "guest", NULL };

unsigned options_parse(const char *cmdline, void (*report)(void *ctx, const char *msg), void *ctx)
{
    return options_parse_layers(NULL, NULL, NULL, cmdline, report, ctx);
}

unsigned options_parse_layers(const char *config, void (*config_report)(void *ctx, const char *msg),
                              void *config_ctx, const char *cmdline,
                              void (*report)(void *ctx, const char *msg), void *ctx)
{
    static struct cmdline_string pci = { vmm_options.pci_config, sizeof(vmm_options.pci_config) };
    static struct cmdline_string ipaddr = { vmm_options.ip_addr, sizeof(vmm_options.ip_addr) };
    static struct cmdline_string netmask = { vmm_options.ip_netmask, sizeof(vmm_options.ip_netmask) };
    static struct cmdline_string gateway = { vmm_options.ip_gateway, sizeof(vmm_options.ip_gateway) };
    static struct cmdline_string syslog = { vmm_options.ip_syslog, sizeof(vmm_options.ip_syslog) };
    static struct cmdline_string syslog_mac = { vmm_options.ip_syslog_mac,
                                                sizeof(vmm_options.ip_syslog_mac) };
    static struct cmdline_string shell = { vmm_options.shell_commands,
                                           sizeof(vmm_options.shell_commands) };
    const struct cmdline_key keys[] = {
        { "console", CMDLINE_CHOICE, &vmm_options.console, console_choices,
          "where bookvisor logs (default com1)" },
        { "vmm_mem", CMDLINE_U64, &vmm_options.vmm_mem, NULL,
          "RAM kept by bookvisor for its pool, e.g. 12M (default)" },
        { "backend", CMDLINE_CHOICE, &vmm_options.backend, backend_choices,
          "force a backend (default auto)" },
        { "smi", CMDLINE_CHOICE, &vmm_options.smi, smi_choices,
          "SMI_CMD writes: replay (bookvisor writes, default: what the emulators need) or guest" },
        { "boot", CMDLINE_U64, &vmm_options.boot_drive, NULL,
          "no guest module: boot this BIOS drive in real mode, e.g. 0x80 (chapter 12)" },
        { "npt4k", CMDLINE_BOOL, &vmm_options.npt_4k_only, NULL,
          "map guest memory with 4 KiB pages only (for measurement)" },
        { "test.corrupt", CMDLINE_CHOICE, &vmm_options.test_corrupt, corrupt_choices,
          "break the guest state on purpose (tests of the entry checks)" },
        { "test.crash", CMDLINE_BOOL, &vmm_options.test_crash, NULL,
          "execute UD2 in the VMM after the banner (tests of the panic path)" },
        { "test.panic", CMDLINE_BOOL, &vmm_options.test_panic, NULL,
          "call panic() after the banner (tests of the panic report)" },
        { "test.wrmsr_safe", CMDLINE_BOOL, &vmm_options.test_wrmsr_safe, NULL,
          "write a bad value with wrmsr_safe() after the banner (tests of its #GP fixup)" },
        { "test.threads", CMDLINE_BOOL, &vmm_options.test_threads, NULL,
          "run three VMM threads that yield, sleep and wait, and log what they do" },
        { "test.timer", CMDLINE_BOOL, &vmm_options.test_timer, NULL,
          "run a 10 ms VMM timer that counts, and the hypercall that reads the count" },
        { "test.timer_thread", CMDLINE_BOOL, &vmm_options.test_timer_thread, NULL,
          "the same count from a VMM thread that sleeps 10 ms between runs (not a timer)" },
        { "test.clock_start", CMDLINE_U64, &vmm_options.test_clock_start, NULL,
          "start bookvisor's microsecond clock at this value (tests of its range)" },
        { "test.mmio_page", CMDLINE_BOOL, &vmm_options.test_mmio_page, NULL,
          "hook the MMIO test page at 0xF00000 (tests of MMIO hooks)" },
        { "test.npt_pool", CMDLINE_U64, &vmm_options.test_npt_pool, NULL,
          "give the nested page tables only N pool pages (4 to 1024), so that reclaim runs" },
        { "test.vcpus", CMDLINE_U64, &vmm_options.test_vcpus, NULL,
          "make N vCPUs and check that each backend op acts on the vCPU it is given" },
        { "test.no_fast_path", CMDLINE_BOOL, &vmm_options.test_no_fast_path, NULL,
          "answer no exit in the backends' assembly (to measure what the fast path saves)" },
        { "test.alloc_stress", CMDLINE_BOOL, &vmm_options.test_alloc_stress, NULL,
          "at boot, every CPU allocates and frees pages and heap blocks at once; leaks and damage are reported" },
        { "test.events", CMDLINE_BOOL, &vmm_options.test_events, NULL,
          "the event-model test hypercalls: unmap a page, queue an interrupt or NMI, #GP on a fault" },
        { "test.vmm_vector", CMDLINE_BOOL, &vmm_options.test_vmm_vector, NULL,
          "own a VMM vector (0x1e), count its interrupts, send it on a hypercall" },
        { "test.pro1000_tx_hold", CMDLINE_BOOL, &vmm_options.test_pro1000_tx_hold, NULL,
          "pro1000 tells the device of new frames only when it polls, so its transmit ring can fill" },
        { "vmm.driver.pci", CMDLINE_STRING, &pci, NULL, "PCI driver configuration" },
        { "vmm.pci.list", CMDLINE_BOOL, &vmm_options.pci_list, NULL,
          "print the PCI device list after drivers bind" },
        { "ip.ipaddr", CMDLINE_STRING, &ipaddr, NULL,
          "bookvisor's IPv4 address on its NIC (net=ip), e.g. 10.0.2.15; none: DHCP" },
        { "ip.netmask", CMDLINE_STRING, &netmask, NULL, "its netmask (default 255.255.255.0)" },
        { "ip.gateway", CMDLINE_STRING, &gateway, NULL, "its default gateway (default none)" },
        { "ip.use_dhcp", CMDLINE_BOOL, &vmm_options.ip_use_dhcp, NULL,
          "ask a DHCP server for the address (the default without ip.ipaddr)" },
        { "ip.echo_port", CMDLINE_U64, &vmm_options.ip_echo_port, NULL,
          "run a TCP echo server on this port of bookvisor's address, e.g. 7 (default none)" },
        { "ip.status_port", CMDLINE_U64, &vmm_options.ip_status_port, NULL,
          "answer 'status' and 'version' lines on this TCP port, e.g. 79 (default none)" },
        { "ip.syslog", CMDLINE_STRING, &syslog, NULL,
          "send the log as syslog datagrams over UDP to a.b.c.d[:port] (default port 514)" },
        { "ip.syslog_mac", CMDLINE_STRING, &syslog_mac, NULL,
          "the log's frames on a NIC with no stack (net=pass, tty=1) go to this MAC (default broadcast)" },
        { "vmm.shell", CMDLINE_BOOL, &vmm_options.shell_listen, NULL,
          "run the debug shell on COM2 (chapter 13)" },
        { "shell", CMDLINE_LIST, &shell, NULL,
          "a debug-shell command to run at start-up, e.g. shell=\"echoctl server start 7\"" },
    };
    vmm_options.console = 0;
    vmm_options.vmm_mem = 12ULL << 20;
    vmm_options.backend = OPT_BACKEND_AUTO;
    vmm_options.boot_drive = OPT_BOOT_NONE;
    vmm_options.smi = OPT_SMI_REPLAY;
    vmm_options.npt_4k_only = false;
    vmm_options.test_corrupt = OPT_CORRUPT_NONE;
    vmm_options.test_mmio_page = false;
    vmm_options.test_clock_start = 0;
    vmm_options.test_timer = false;
    vmm_options.test_timer_thread = false;
    vmm_options.test_threads = false;
    vmm_options.test_vcpus = 0;
    vmm_options.test_npt_pool = 0;
    vmm_options.test_no_fast_path = false;
    vmm_options.test_alloc_stress = false;
    vmm_options.test_events = false;
    vmm_options.test_vmm_vector = false;
    vmm_options.test_pro1000_tx_hold = false;
    vmm_options.test_crash = false;
    vmm_options.test_panic = false;
    vmm_options.test_wrmsr_safe = false;
    vmm_options.pci_config[0] = '\0';
    vmm_options.pci_list = false;
    vmm_options.ip_addr[0] = '\0';
    kstrlcpy(vmm_options.ip_netmask, "255.255.255.0", sizeof(vmm_options.ip_netmask));
    vmm_options.ip_gateway[0] = '\0';
    vmm_options.ip_use_dhcp = false;
    vmm_options.ip_echo_port = 0;
    vmm_options.ip_status_port = 0;
    vmm_options.shell_commands[0] = '\0';
    vmm_options.shell_listen = false;
    vmm_options.ip_syslog[0] = '\0';
    vmm_options.ip_syslog_mac[0] = '\0';
    unsigned bad = 0;
    if (config) /* first, so that the command line wins */
        bad += cmdline_parse(config, keys, sizeof(keys) / sizeof(keys[0]), config_report, config_ctx);
    return bad + cmdline_parse(cmdline, keys, sizeof(keys) / sizeof(keys[0]), report, ctx);
}
