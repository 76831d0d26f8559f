/**
 * @file tests/guest/check.h
 * @brief What a check is and how it reports its outcome.
 *
 * A check fills a struct check_result; the runner prints the TAP-like line
 * (`ok N - name`, `ok N - name (note)`, `ok N - name # SKIP why` or
 * `not ok N - name: why`), so numbering and counting live in one place.
 */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include "bootinfo.h"
#include "gtypes.h"
#include "select.h"

/** Outcome of one check. */
enum check_status {
    CHECK_PASS = 0, /**< passed (the default) */
    CHECK_FAIL, /**< failed; text says why */
    CHECK_SKIP, /**< not applicable here; text says why */
};

/** Longest result text, NUL included. */
#define CHECK_TEXT_SIZE 160

/** Result a check hands back to the runner. */
struct check_result {
    enum check_status status; /**< pass, fail or skip */
    char text[CHECK_TEXT_SIZE]; /**< reason, or a note for a pass */
};

/** Read-only facts every check may use. */
struct check_context {
    const struct boot_info *boot; /**< the multiboot hand-off */
};

/** Signature of a check's body. */
typedef void (*check_fn)(const struct check_context *ctx, struct check_result *res);

/** A named check. */
struct check {
    const char *name; /**< stable short name, e.g. "msr-rw" */
    check_fn run; /**< body */
    enum check_reach reach; /**< which `tests=` selections run it (select.h) */
};

/** Mark @p res failed with a reason; the first failure wins. */
void check_fail(struct check_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Mark @p res skipped with a reason. */
void check_skip(struct check_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Attach a note to a passing @p res, printed in parentheses. */
void check_note(struct check_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** @name The checks, in run order (bodies in check_*.c). */
/** @{ */
void check_cpuid_hypervisor_bit(const struct check_context *ctx, struct check_result *res);
void check_cpuid_signature(const struct check_context *ctx, struct check_result *res);
void check_cpuid_version(const struct check_context *ctx, struct check_result *res);
void check_cpuid_virt_hidden(const struct check_context *ctx, struct check_result *res);
void check_msr_rw(const struct check_context *ctx, struct check_result *res);
void check_io_passthrough(const struct check_context *ctx, struct check_result *res);
/** io-width: IN AL and IN AX from a watched port leave the rest of EAX alone. */
void check_io_width(const struct check_context *ctx, struct check_result *res);
void check_hlt_timer(const struct check_context *ctx, struct check_result *res);
void check_vmcall(const struct check_context *ctx, struct check_result *res);
void check_memory_all(const struct check_context *ctx, struct check_result *res);
void check_vmm_memory_protected(const struct check_context *ctx, struct check_result *res);
/** mmio-forms: string, read-modify-write, segment-override, SSE/MMX and page-edge accesses to the MMIO test page. */
void check_mmio_forms(const struct check_context *ctx, struct check_result *res);
void check_mmio_hook(const struct check_context *ctx, struct check_result *res);
void check_virt_insn(const struct check_context *ctx, struct check_result *res);
void check_cpuid_cost(const struct check_context *ctx, struct check_result *res);
void check_hlt_low_vector(const struct check_context *ctx, struct check_result *res);
void check_msr_vmm_hidden(const struct check_context *ctx, struct check_result *res);
void check_invd(const struct check_context *ctx, struct check_result *res);
void check_mmio_unsupported(const struct check_context *ctx, struct check_result *res);
void check_cpuid_prefixed(const struct check_context *ctx, struct check_result *res);
void check_cr_illegal(const struct check_context *ctx, struct check_result *res);
void check_mtrr_write(const struct check_context *ctx, struct check_result *res);
void check_cpuid_realmode(const struct check_context *ctx, struct check_result *res);
/** power (named only): the guest sleeps or resets the machine as `power.try=` says; bookvisor must stop it. */
void check_power_escape(const struct check_context *ctx, struct check_result *res);
/** apic-base: moving the local APIC over bookvisor's memory raises \#GP; a legal move works. */
void check_apic_base(const struct check_context *ctx, struct check_result *res);
/** xsetbv-rules: XSETBV of illegal XCR0 values raises \#GP, without OSXSAVE \#UD. */
void check_xsetbv_rules(const struct check_context *ctx, struct check_result *res);
void check_cpuid_osxsave(const struct check_context *ctx, struct check_result *res);
/** realmode-gp: a \#GP injected into real-mode code reaches its handler, once. */
void check_realmode_gp(const struct check_context *ctx, struct check_result *res);
/** bios-memmap: INT 15h E820h, E801h and 88h from real mode hide bookvisor's range; other calls reach the BIOS. */
void check_bios_memmap(const struct check_context *ctx, struct check_result *res);
/** clock: bookvisor's microsecond clock is monotonic and measures 50 ms of the PIT. */
void check_clock(const struct check_context *ctx, struct check_result *res);
/** vmm-timer: the VMM's periodic test timer runs from the hook before entry while the guest exits. */
void check_vmm_timer(const struct check_context *ctx, struct check_result *res);
/** vmm-timer-spin: the VMM's 10 ms timer keeps time while the guest spins a second without exits. */
void check_vmm_timer_spin(const struct check_context *ctx, struct check_result *res);
/** vmm-timer-halt: the same while the guest halts a second, woken only by a 19 Hz PIT tick. */
void check_vmm_timer_halt(const struct check_context *ctx, struct check_result *res);
/** bookvisor's clock (BOOKVISOR_HC_CLOCK) in us; false when not answered (check_clock.c). */
bool clock_read(u64 *us);
/** cpuid-pae: CPUID under PAE paging (bookvisor may walk the PAE tables to step over it). */
void check_cpuid_pae(const struct check_context *ctx, struct check_result *res);
/** io-string: INS/OUTS (REP, both directions, FS:, through paging) to ports bookvisor watches. */
void check_io_string(const struct check_context *ctx, struct check_result *res);
void check_cpuid_memo(const struct check_context *ctx, struct check_result *res);
void check_pci(const struct check_context *ctx, struct check_result *res);
void check_cr_write(const struct check_context *ctx, struct check_result *res);
/** hostile-msr-sweep: every MSR of four ranges reads a value or \#GP; the virtualization MSRs stay hidden. */
void check_hostile_msr_sweep(const struct check_context *ctx, struct check_result *res);
/** hostile-cpuid-sweep: every leaf of the basic, hypervisor and extended ranges answers the same twice, sanely. */
void check_hostile_cpuid_sweep(const struct check_context *ctx, struct check_result *res);
/** hostile-storm: a million CPUID exits, every answer right. */
void check_hostile_storm(const struct check_context *ctx, struct check_result *res);
/** hostile-io-abuse: every hooked port at every width and straddling offset, in and out. */
void check_hostile_io_abuse(const struct check_context *ctx, struct check_result *res);
/** hostile-vmm-forms: bookvisor's memory by strings, string I/O, a stack and a paged window: all ones, nothing written. */
void check_hostile_vmm_forms(const struct check_context *ctx, struct check_result *res);
/** hostile-holes: memory nothing backs, through a paged window: all ones, writes dropped. */
void check_hostile_holes(const struct check_context *ctx, struct check_result *res);
/** hostile-vmm-exec (by name): a CALL into bookvisor's memory; bookvisor must stop the guest. */
void check_hostile_vmm_exec(const struct check_context *ctx, struct check_result *res);
/** task-switch (by name): a hardware task switch there and back; VT-x exits on it and bookvisor stops the guest. */
void check_task_switch(const struct check_context *ctx, struct check_result *res);
/** hostile-ecam-edge: every width at every offset of an ECAM page's edge; concealed bytes read all ones. */
void check_hostile_ecam_edge(const struct check_context *ctx, struct check_result *res);
void check_triple_fault(const struct check_context *ctx, struct check_result *res);
/** event-npf-irq: a timer interrupt whose delivery a nested page fault cuts short arrives once. */
void check_event_npf_irq(const struct check_context *ctx, struct check_result *res);
/** event-npf-hlt: the same for the interrupt bookvisor injects after a HLT. */
void check_event_npf_hlt(const struct check_context *ctx, struct check_result *res);
/** event-fault-then-irq: a \#GP raised by that nested fault first, then the interrupt, each once. */
void check_event_fault_then_irq(const struct check_context *ctx, struct check_result *res);
/** event-nmi-window: an NMI asked for inside an NMI handler arrives once, after its IRET. */
void check_event_nmi_window(const struct check_context *ctx, struct check_result *res);
/** event-irq-after-sti: an interrupt queued while IF = 0 arrives right after STI, and ends a HLT. */
void check_event_irq_after_sti(const struct check_context *ctx, struct check_result *res);
/** event-nmi-ipi: an NMI the guest sends itself through its local APIC arrives once. */
void check_event_nmi_ipi(const struct check_context *ctx, struct check_result *res);
/** vmm-vector: the VMM's own vector reaches the VMM, the guest's timer the guest. */
void check_vmm_vector(const struct check_context *ctx, struct check_result *res);
/** step-cpuid: single-stepping over CPUID (an exit bookvisor emulates) gives one \#DB after it. */
void check_step_cpuid(const struct check_context *ctx, struct check_result *res);
/** step-io: the same over an intercepted port read. */
void check_step_io(const struct check_context *ctx, struct check_result *res);
/** step-vmcall: the same over the ping hypercall. */
void check_step_vmcall(const struct check_context *ctx, struct check_result *res);
/** exit-cost (named only): the instructions each common exit costs, as a note for `make bench`. */
void check_exit_cost(const struct check_context *ctx, struct check_result *res);
/** smp: the guest starts its other processors (INIT, SIPI, SIPI); each runs under bookvisor. */
void check_smp(const struct check_context *ctx, struct check_result *res);
/** net-wait: exit steadily for net.wait_ms of bookvisor's clock (its network thread runs meanwhile). */
void check_net_wait(const struct check_context *ctx, struct check_result *res);
/** la57-ia32e: CR4.LA57 flipped in IA-32e (compatibility) mode raises #GP. */
void check_la57_ia32e(const struct check_context *ctx, struct check_result *res);
/** e1000-pass: drive the 82540EM (ARP to 10.0.2.2 and its reply) through bookvisor's shadow rings. */
void check_e1000_pass(const struct check_context *ctx, struct check_result *res);
/** e1000-dma: rings and buffers aimed at bookvisor's memory are refused; the canary stays intact. */
void check_e1000_dma(const struct check_context *ctx, struct check_result *res);
/** e1000-msix: on an 82574L, the guest's own MSI-X entry takes its queue causes; one aimed at bookvisor is kept masked. */
void check_e1000_msix(const struct check_context *ctx, struct check_result *res);
/** e1000-ps: on an 82574L, a packet-split receive ring is never filled (bookvisor refuses it). */
void check_e1000_ps(const struct check_context *ctx, struct check_result *res);
/** e1000-split: with 256-byte receive buffers a DHCP offer arrives spread over three descriptors. */
void check_e1000_split(const struct check_context *ctx, struct check_result *res);
/** e1000-burst: 48 frames queued at once all go; DD comes back only where RS asked. */
void check_e1000_burst(const struct check_context *ctx, struct check_result *res);
/** net-spin: spin net.spin_ms=N ms with IF = 0 and no exits, while the host talks to bookvisor. */
void check_net_spin(const struct check_context *ctx, struct check_result *res);

/** net-halt: halt net.halt_ms=N ms (woken by the PIT at 19 Hz), while the host talks to bookvisor. */
void check_net_halt(const struct check_context *ctx, struct check_result *res);
/** @} */

/**
 * The timer rounds of hlt-timer (check_timer.c): a first tick in a bounded
 * busy wait, then five `sti; hlt` each ended by one; fails @p res otherwise.
 */
void timer_hlt_rounds(struct check_result *res);

/** True if CPUID 0x40000000 carries the "bookvisor" signature. */
bool cpuid_is_bookvisor(void);

#endif
