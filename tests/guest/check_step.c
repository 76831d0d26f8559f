/**
 * @file tests/guest/check_step.c
 * @brief Single-stepping over an instruction bookvisor emulates gives the #DB bare metal gives.
 *
 * With RFLAGS.TF set, the CPU raises a debug trap (#DB, DR6.BS set) after
 * each instruction. An instruction that exits to the VMM never completes in
 * the guest, so no CPU raises that trap: the VMM must, after it emulates
 * the instruction (chapter 08). QEMU lost it; Bochs' AMD-V model even
 * delivered it to bookvisor, which panicked with "exception #DB". Each
 * check sets TF with POPF (the trap then follows the *next* instruction),
 * runs one intercepted instruction, and expects exactly one #DB whose
 * return address is the instruction after it, with DR6.BS. The handler
 * clears TF in the frame, so stepping ends there.
 *
 * - step-cpuid: CPUID of leaf 0 (which bookvisor answers from its memo, in
 *   the backends' assembly, when nobody steps) and of leaf 1.
 * - step-io: IN from the ACPI PM1a control port, which bookvisor
 *   intercepts (it reads the real port for the guest).
 * - step-vmcall: the ping hypercall (VMCALL, or VMMCALL on AMD), which the
 *   backends carry out on a path of its own (chapter 14, "The direct path").
 */
#include "acpi.h"
#include "check.h"
#include "cpu.h"
#include "hypercall.h"
#include "trap.h"

#define VECTOR_DB 1
#define RFLAGS_TF 0x100u
#define DR6_BS (1u << 14)
#define DR6_INIT 0xFFFF0FF0u

static volatile u32 db_count, db_eip, db_dr6;

static bool on_db(struct trap_frame *f)
{
    u32 dr6;
    __asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
    db_count++;
    db_eip = f->eip;
    db_dr6 = dr6;
    f->eflags &= ~RFLAGS_TF; /* one step is enough */
    return true;
}

static void step_reset(void)
{
    __asm__ volatile("mov %0, %%dr6" : : "r"(DR6_INIT));
    db_count = 0;
    db_eip = 0;
    db_dr6 = 0;
    trap_set_hook(VECTOR_DB, on_db);
}

/* Exactly one #DB, right after the instruction, a single step. */
static void step_expect(struct check_result *res, const char *what, u32 after)
{
    trap_set_hook(VECTOR_DB, NULL);
    if (db_count != 1)
        check_fail(res, "%s: %u #DB, expected 1", what, db_count);
    else if (db_eip != after)
        check_fail(res, "%s: #DB at 0x%08x, expected 0x%08x (after it)", what, db_eip, after);
    else if (!(db_dr6 & DR6_BS))
        check_fail(res, "%s: DR6=0x%08x, BS (bit 14) clear", what, db_dr6);
}

extern const char after_step_cpuid[], after_step_in[];

static void __attribute__((noinline)) step_over_cpuid(u32 leaf)
{
    u32 a = leaf, b, c = 0, d;
    __asm__ volatile("pushfl\n\t"
                     "orl $0x100, (%%esp)\n\t"
                     "popfl\n\t"
                     "cpuid\n"
                     ".globl after_step_cpuid\n"
                     "after_step_cpuid:\n\t"
                     "nop"
                     : "+a"(a), "=b"(b), "+c"(c), "=d"(d)
                     :
                     : "memory", "cc");
}

static void __attribute__((noinline)) step_over_in(u16 port)
{
    u16 value;
    __asm__ volatile("pushfl\n\t"
                     "orl $0x100, (%%esp)\n\t"
                     "popfl\n\t"
                     "inw %%dx, %%ax\n"
                     ".globl after_step_in\n"
                     "after_step_in:\n\t"
                     "nop"
                     : "=a"(value)
                     : "d"(port)
                     : "memory", "cc");
    (void)value;
}

#define PING_ARGUMENT 0x5EEDu

/* The ping with TF set: 0F 01 and the third byte of the hypercall
 * instruction, the address right after it into AFTER. */
#define STEP_OVER_PING(third, a, b, after)                                                 \
    __asm__ volatile("movl $1f, %2\n\t"                                                  \
                     "pushfl\n\t"                                                        \
                     "orl $0x100, (%%esp)\n\t"                                           \
                     "popfl\n\t"                                                         \
                     ".byte 0x0f, 0x01, " third "\n"                                      \
                     "1:\n\t"                                                            \
                     "nop"                                                               \
                     : "+a"(a), "+b"(b), "=&S"(after)                                    \
                     :                                                                   \
                     : "ecx", "edx", "memory", "cc")

/* The ping with TF set (VMMCALL on AMD, else VMCALL); true when it answered
 * as a ping does. *after: the address right after the instruction. */
static bool __attribute__((noinline)) step_over_ping(bool amd, u32 *after)
{
    u32 a = BOOKVISOR_HC_PING, b = PING_ARGUMENT;
    if (amd)
        STEP_OVER_PING("0xd9", a, b, *after);
    else
        STEP_OVER_PING("0xc1", a, b, *after);
    return a == BOOKVISOR_PING_MAGIC && b == PING_ARGUMENT + 1;
}

void check_step_cpuid(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    step_reset();
    step_over_cpuid(0);
    step_expect(res, "CPUID leaf 0", (u32)after_step_cpuid);
    step_reset();
    step_over_cpuid(1);
    step_expect(res, "CPUID leaf 1", (u32)after_step_cpuid);
}

void check_step_io(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    struct acpi_s5_info acpi;
    char why[96];
    if (!acpi_find_s5(&acpi, why, sizeof(why)) || !acpi.pm1a_cnt) {
        check_skip(res, "no PM1a control port: %s", why);
        return;
    }
    step_reset();
    step_over_in((u16)acpi.pm1a_cnt);
    step_expect(res, "IN from PM1a_CNT", (u32)after_step_in);
    if (res->status == CHECK_PASS)
        check_note(res, "port 0x%x", acpi.pm1a_cnt);
}

void check_step_vmcall(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    bool amd = hypercall_insn_name()[2] == 'M'; /* "VMMCALL" */
    u32 after;
    step_reset();
    bool answered = step_over_ping(amd, &after);
    step_expect(res, hypercall_insn_name(), after);
    if (res->status == CHECK_PASS && !answered)
        check_fail(res, "the %s ping did not answer", hypercall_insn_name());
}
