/*
 * common/vm/exit_dispatch.c - the one loop every exit goes round (chapter 02).
 */
#include "common/vm/exit_dispatch.h"
#include "common/lib/format.h"

/* The backends' entry loops address the guest's registers from the vCPU
 * pointer itself (arch/x86/gprs_asm.h); every other offset their assembly
 * uses is computed by the build (common/vm/vcpu_asm_offsets.c). */
_Static_assert(__builtin_offsetof(struct vcpu, gprs) == 0, "gprs first");

static const char *const kind_names[VM_EXIT_KIND_COUNT] = {
    [VM_EXIT_CPUID] = "cpuid", [VM_EXIT_RDMSR] = "rdmsr", [VM_EXIT_WRMSR] = "wrmsr",
    [VM_EXIT_IO] = "io", [VM_EXIT_HLT] = "hlt", [VM_EXIT_VMCALL] = "vmcall",
    [VM_EXIT_NESTED_PAGE_FAULT] = "npf", [VM_EXIT_CR_ACCESS] = "cr",
    [VM_EXIT_XSETBV] = "xsetbv", [VM_EXIT_EXTERNAL_INTERRUPT] = "extint",
    [VM_EXIT_NMI] = "nmi", [VM_EXIT_EXCEPTION] = "exception", [VM_EXIT_INIT] = "init",
    [VM_EXIT_SIPI] = "sipi", [VM_EXIT_SHUTDOWN] = "shutdown",
    [VM_EXIT_INVALID_STATE] = "invalid-state", [VM_EXIT_VIRT_INSN] = "virt-insn", [VM_EXIT_INVD] = "invd",
    [VM_EXIT_INTERRUPT_WINDOW] = "intr-window", [VM_EXIT_NMI_WINDOW] = "nmi-window",
    [VM_EXIT_IRET] = "iret",
    [VM_EXIT_TASK_SWITCH] = "task-switch",
    [VM_EXIT_VMM_TIMER] = "vmm-timer",
    [VM_EXIT_UNKNOWN] = "unknown",
};

const char *vm_exit_kind_name(enum vm_exit_kind kind)
{
    if ((unsigned)kind >= VM_EXIT_KIND_COUNT)
        return "bad-kind";
    return kind_names[kind];
}

enum exit_action vcpu_stop(struct vcpu *v, enum vcpu_stop_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(v->stop_reason, sizeof(v->stop_reason), fmt, ap);
    va_end(ap);
    v->stop = kind;
    return EXIT_STOP;
}

u64 vcpu_exit_total(const struct vcpu *v)
{
    u64 total = 0;
#pragma GCC unroll 32 /* AMD-V takes it at every entry after a state write */
    for (unsigned k = 0; k < VM_EXIT_KIND_COUNT; k++)
        total += v->exit_counts[k];
    return total;
}

void vcpu_print_counters(const struct vcpu *v, void (*print)(const char *line))
{
    char line[96];
    ksnprintf(line, sizeof(line), "exits: total=%llu", (unsigned long long)vcpu_exit_total(v));
    print(line);
    for (unsigned k = 0; k < VM_EXIT_KIND_COUNT; k++) {
        if (!v->exit_counts[k])
            continue;
        ksnprintf(line, sizeof(line), "exits: %s=%llu", kind_names[k],
                  (unsigned long long)v->exit_counts[k]);
        print(line);
    }
}

enum exit_action __attribute__((noinline, cold))
exit_refuse(struct vcpu *v, const struct vm_exit *e)
{
    if ((unsigned)e->kind >= VM_EXIT_KIND_COUNT)
        return vcpu_stop(v, VCPU_STOP_ERROR, "backend returned a bad exit kind %u (native 0x%x)",
                         (unsigned)e->kind, e->native_code);
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "unhandled exit %s (native code 0x%x) at guest rip=0x%llx",
                     kind_names[e->kind], e->native_code,
                     (unsigned long long)v->backend->get_reg(v, VCPU_REG_RIP));
}

enum exit_action exit_dispatch(const struct exit_handler_table *t, struct vcpu *v,
                               struct vm_exit *e)
{
    return exit_dispatch_inline(t, v, e);
}

bool __attribute__((noinline, cold)) exit_skip_failed(struct vcpu *v, const struct vm_exit *e)
{
    vcpu_stop(v, VCPU_STOP_ERROR,
              "cannot find the length of the %s instruction at guest rip=0x%llx",
              vm_exit_kind_name(e->kind),
              (unsigned long long)v->backend->get_reg(v, VCPU_REG_RIP));
    return false;
}

bool __attribute__((noinline, cold)) exit_skip_unusual(struct vcpu *v, const struct vm_exit *e,
                                                       enum vm_skip r)
{
    switch (r) {
    case VM_SKIP_DONE:
        return true;
    case VM_SKIP_DONE_SINGLE_STEP:
        vcpu_single_step_trap(v);
        return true;
    case VM_SKIP_FAILED:
        break;
    }
    return exit_skip_failed(v, e);
}

bool vcpu_skip(struct vcpu *v, const struct vm_exit *e)
{
    enum vm_skip r = v->backend->skip_instruction(v, e);
    return r == VM_SKIP_DONE || exit_skip_unusual(v, e, r);
}

bool exit_apply_action(struct vcpu *v, const struct vm_exit *e, enum exit_action a)
{
    struct event_exception ud = { .vector = EVENT_VECTOR_UD };

    switch (a) {
    case EXIT_RESUME:
        return true;
    case EXIT_SKIP:
        return vcpu_skip(v, e);
    case EXIT_INJECT_GP:
        /* Faults: RIP stays at the instruction, the queue delivers them. */
        return vcpu_raise_gp(v) != EXIT_STOP;
    case EXIT_INJECT_UD:
        return vcpu_raise_exception(v, &ud) != EXIT_STOP;
    case EXIT_STOP:
        if (v->stop == VCPU_RUNNING)
            vcpu_stop(v, VCPU_STOP_ERROR, "a handler stopped the guest without a reason");
        return false;
    }
    vcpu_stop(v, VCPU_STOP_ERROR, "bad exit action %d", (int)a);
    return false;
}

bool vcpu_handle_exit(struct vcpu *v, struct vm_exit *e)
{
    return vcpu_handle_exit_inline(v, e, v->backend->skip_instruction);
}

/*
 * The loop itself lives in the backend (its assembly enters the guest, and
 * at each exit calls vcpu_handle_exit), so an exit costs one trip through
 * C and no save/restore of the host's callee-saved registers. Chapter 02,
 * "The fast path", tells why.
 */
enum vcpu_stop_kind vcpu_run(struct vcpu *v, const struct exit_handler_table *t)
{
    v->handlers = t;
    v->stop = VCPU_RUNNING;
    cpuid_memo_clear(&v->cpuid_memo);
    /* Whatever was queued before the run goes in at the first entry. */
    vcpu_request_work(v, VCPU_WORK_EVENTS);
    v->backend->run(v);
    if (v->stop == VCPU_RUNNING)
        vcpu_stop(v, VCPU_STOP_ERROR, "the %s backend left its run loop without a reason",
                  v->backend->name);
    return v->stop;
}
