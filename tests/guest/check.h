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
void check_hlt_timer(const struct check_context *ctx, struct check_result *res);
void check_vmcall(const struct check_context *ctx, struct check_result *res);
void check_memory_all(const struct check_context *ctx, struct check_result *res);
void check_vmm_memory_protected(const struct check_context *ctx, struct check_result *res);
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
/** realmode-gp: a \#GP injected into real-mode code reaches its handler, once. */
void check_realmode_gp(const struct check_context *ctx, struct check_result *res);
void check_cpuid_memo(const struct check_context *ctx, struct check_result *res);
void check_pci(const struct check_context *ctx, struct check_result *res);
void check_cr_write(const struct check_context *ctx, struct check_result *res);
void check_triple_fault(const struct check_context *ctx, struct check_result *res);
/** exit-cost (named only): the instructions each common exit costs, as a note for `make bench`. */
void check_exit_cost(const struct check_context *ctx, struct check_result *res);
/** @} */

/** True if CPUID 0x40000000 carries the "bookvisor" signature. */
bool cpuid_is_bookvisor(void);

#endif
