/**
 * @file common/base/options.h
 * @brief bookvisor's command-line options (the `multiboot2` line in GRUB).
 */
#ifndef BOOKVISOR_COMMON_BASE_OPTIONS_H
#define BOOKVISOR_COMMON_BASE_OPTIONS_H

#include "common/lib/types.h"

/** boot_drive when `boot=` was not given: no BIOS chain boot. */
#define OPT_BOOT_NONE (~0ULL)

/** All options, with their defaults filled by options_parse(). */
struct vmm_options {
    int console;            /**< enum console_target: console=com1|com2|e9 */
    u64 vmm_mem;            /**< vmm_mem=SIZE: bytes of RAM bookvisor keeps for its pool (default 12M) */
    int backend;            /**< backend=auto|svm|vmx */
    int smi;                /**< smi=replay|guest: who takes the SMI of a guest's SMI_CMD write (common/platform/power_guard.h) */
    u64 boot_drive;         /**< boot=DRIVE: BIOS chain boot of that drive (0x80: first hard disk); OPT_BOOT_NONE: off */
    bool npt_4k_only;       /**< npt4k: map guest memory with 4 KiB pages only */
    int test_corrupt;       /**< test.corrupt=none|guest-cs|control: break the VMCS/VMCB on purpose */
    bool test_crash;        /**< test.crash: fault inside the VMM on purpose (tests of panic) */
    bool test_panic;        /**< test.panic: call panic() on purpose (tests of its report) */
    bool test_wrmsr_safe;   /**< test.wrmsr_safe: make wrmsr_safe() meet a \#GP (tests of its fixup) */
    bool test_threads;      /**< test.threads: three VMM threads that yield, sleep and wait (common/platform/test_threads.h) */
    bool test_timer;        /**< test.timer: a 10 ms VMM timer and its count hypercall (common/platform/test_timer.h) */
    bool test_timer_thread; /**< test.timer_thread: the same count from a VMM thread that sleeps 10 ms (common/platform/test_timer.h) */
    u64 test_clock_start;   /**< test.clock_start=US: the clock's value at boot (common/base/clock.h; default 0) */
    bool test_mmio_page;    /**< test.mmio_page: hook the test page (common/platform/test_mmio_page.h) */
    u64 test_npt_pool;      /**< test.npt_pool=N: the nested tables get only N pool pages, so that reclaim runs (common/start/nested_map.c; 0: all 1024) */
    u64 test_vcpus;         /**< test.vcpus=N: check the backend ops on N vCPUs before the guest runs (common/vm/vcpu_selftest.h; 0: off) */
    bool test_no_fast_path; /**< test.no_fast_path: every exit through C (VCPU_WORK_NO_FAST_PATH; for measurements) */
    bool test_alloc_stress; /**< test.alloc_stress: every CPU allocates and frees pages and heap blocks at once, at boot (common/start/smp_stress.h) */
    bool test_events;       /**< test.events: the event-model test hypercalls (common/exits/test_hypercalls.h) */
    bool test_vmm_vector;   /**< test.vmm_vector: register a VMM vector, count its interrupts (common/platform/test_vmm_vector.h) */
    bool test_pro1000_tx_hold; /**< test.pro1000_tx_hold: pro1000 tells the device of new frames only at its poll, so its transmit ring can fill (drivers/pro1000.c) */
    /** vmm.driver.pci=...: the PCI driver configuration. One byte longer than the
     *  PCI parser takes (PCI_CONFIG_MAX_LEN), so an over-long value reaches it
     *  over-long: it then reports it and drops the entry that was cut. */
    char pci_config[1025];
    bool pci_list;          /**< vmm.pci.list: print the PCI device list after binding */
    char ip_addr[16];       /**< ip.ipaddr=a.b.c.d: bookvisor's own IPv4 address (net/net_vmm.h); "" = none */
    char ip_netmask[16];    /**< ip.netmask=a.b.c.d (default 255.255.255.0) */
    char ip_gateway[16];    /**< ip.gateway=a.b.c.d; "" = none */
    bool ip_use_dhcp;       /**< ip.use_dhcp: ask a DHCP server (also when ip.ipaddr is not given) */
    u64 ip_echo_port;       /**< ip.echo_port=N: a TCP echo server on port N of bookvisor's stack (0: none) */
    u64 ip_status_port;     /**< ip.status_port=N: the status service on port N (net/lwip/bv_status.h; 0: none) */
    char ip_syslog[24];     /**< ip.syslog=a.b.c.d[:port]: send the log there as syslog datagrams (net/syslog_vmm.h); "" = none */
    /** ip.syslog_mac=xx:xx:xx:xx:xx:xx: where the log's own frames go on a NIC with no
     *  stack (`net=pass, tty=1`; net/syslog_vmm.h); "" = the broadcast address */
    char ip_syslog_mac[24];
    bool shell_listen;      /**< vmm.shell: the debug shell reads commands from COM2 (shell/shell_vmm.h) */
    /** shell=COMMAND (repeatable): debug-shell commands run at start-up, one per line (shell/shell_vmm.h) */
    char shell_commands[1024];
};

/** Values of vmm_options.backend. */
enum { OPT_BACKEND_AUTO, OPT_BACKEND_SVM, OPT_BACKEND_VMX };
/** Values of vmm_options.test_corrupt. */
enum { OPT_CORRUPT_NONE, OPT_CORRUPT_GUEST_CS, OPT_CORRUPT_CONTROL };
/** Values of smi=: bookvisor replays SMI_CMD writes (emulators), or the guest's own write raises the SMI (real hardware). */
enum { OPT_SMI_REPLAY, OPT_SMI_GUEST };

/** The options in force (filled once at boot). */
extern struct vmm_options vmm_options;

/**
 * Parse a command line into vmm_options, reporting each problem through
 * report(message). Unknown keys and bad values are reported and ignored.
 * @return number of problems.
 */
unsigned options_parse(const char *cmdline, void (*report)(void *ctx, const char *msg), void *ctx);

/**
 * Like options_parse(), with the options of configuration modules first
 * (common/base/options_module.h; already turned into one command line, or NULL):
 * defaults, then @p config, then @p cmdline, so the command line wins.
 * Problems in each are reported through its own callback (may be NULL).
 * @return the number of problems in both
 */
unsigned options_parse_layers(const char *config, void (*config_report)(void *ctx, const char *msg),
                              void *config_ctx, const char *cmdline,
                              void (*report)(void *ctx, const char *msg), void *ctx);

#endif
