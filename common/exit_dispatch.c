/*
 * common/exit_dispatch.c - the one loop every exit goes round (chapter 02).
 */
#include "common/exit_dispatch.h"
#include "common/format.h"

static const char *const kind_names[VM_EXIT_KIND_COUNT] = {
    [VM_EXIT_CPUID] = "cpuid", [VM_EXIT_RDMSR] = "rdmsr", [VM_EXIT_WRMSR] = "wrmsr",
    [VM_EXIT_IO] = "io", [VM_EXIT_HLT] = "hlt", [VM_EXIT_VMCALL] = "vmcall",
    [VM_EXIT_NESTED_PAGE_FAULT] = "npf", [VM_EXIT_CR_ACCESS] = "cr",
    [VM_EXIT_XSETBV] = "xsetbv", [VM_EXIT_EXTERNAL_INTERRUPT] = "extint",
    [VM_EXIT_NMI] = "nmi", [VM_EXIT_EXCEPTION] = "exception", [VM_EXIT_INIT] = "init",
    [VM_EXIT_SIPI] = "sipi", [VM_EXIT_SHUTDOWN] = "shutdown",
    [VM_EXIT_INVALID_STATE] = "invalid-state", [VM_EXIT_VIRT_INSN] = "virt-insn",
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

void vcpu_print_counters(const struct vcpu *v, void (*print)(const char *line))
{
    char line[96];
    u64 total = 0;
    for (unsigned k = 0; k < VM_EXIT_KIND_COUNT; k++)
        total += v->exit_counts[k];
    ksnprintf(line, sizeof(line), "exits: total=%llu", (unsigned long long)total);
    print(line);
    for (unsigned k = 0; k < VM_EXIT_KIND_COUNT; k++) {
        if (!v->exit_counts[k])
            continue;
        ksnprintf(line, sizeof(line), "exits: %s=%llu", kind_names[k],
                  (unsigned long long)v->exit_counts[k]);
        print(line);
    }
}

/* Out of line: the messages for a bad kind or a missing handler. */
static enum exit_action __attribute__((noinline, cold))
dispatch_refuse(struct vcpu *v, const struct vm_exit *e)
{
    if ((unsigned)e->kind >= VM_EXIT_KIND_COUNT)
        return vcpu_stop(v, VCPU_STOP_ERROR, "backend returned a bad exit kind %u (native 0x%x)",
                         (unsigned)e->kind, e->native_code);
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "unhandled exit %s (native code 0x%x) at guest rip=0x%llx",
                     kind_names[e->kind], e->native_code,
                     (unsigned long long)v->backend->get_reg(v, VCPU_REG_RIP));
}

/*
 * The dispatcher proper. Always inlined into vcpu_run(), so the hot loop
 * makes one indirect call (the handler) instead of three nested calls;
 * exit_dispatch() below is the same code out of line, for tests and callers.
 */
static inline __attribute__((always_inline)) enum exit_action
dispatch_one(const struct exit_handler_table *t, struct vcpu *v, struct vm_exit *e)
{
    unsigned kind = (unsigned)e->kind;
    if (__builtin_expect(kind >= VM_EXIT_KIND_COUNT, 0))
        return dispatch_refuse(v, e);
    v->exit_counts[kind]++; /* counted even when unhandled: the counters tell the story */
    exit_handler_fn fn = t->handler[kind];
    if (__builtin_expect(!fn, 0))
        return dispatch_refuse(v, e);
    return fn(v, e);
}

enum exit_action exit_dispatch(const struct exit_handler_table *t, struct vcpu *v,
                               struct vm_exit *e)
{
    return dispatch_one(t, v, e);
}

/* Out of line: EXIT_SKIP whose instruction length could not be found. */
static bool __attribute__((noinline, cold)) skip_failed(struct vcpu *v, const struct vm_exit *e)
{
    vcpu_stop(v, VCPU_STOP_ERROR,
              "cannot find the length of the %s instruction at guest rip=0x%llx",
              vm_exit_kind_name(e->kind),
              (unsigned long long)v->backend->get_reg(v, VCPU_REG_RIP));
    return false;
}

bool exit_apply_action(struct vcpu *v, const struct vm_exit *e, enum exit_action a)
{
    struct vm_event ev = { .type = VM_EVENT_EXCEPTION };

    switch (a) {
    case EXIT_RESUME:
        return true;
    case EXIT_SKIP:
        if (v->backend->skip_instruction(v, e))
            return true;
        return skip_failed(v, e);
    case EXIT_INJECT_GP:
        ev.vector = 13;
        ev.has_error = true;
        ev.error_code = 0;
        v->backend->inject(v, &ev);
        return true;
    case EXIT_INJECT_UD:
        ev.vector = 6;
        v->backend->inject(v, &ev);
        return true;
    case EXIT_STOP:
        if (v->stop == VCPU_RUNNING)
            vcpu_stop(v, VCPU_STOP_ERROR, "a handler stopped the guest without a reason");
        return false;
    }
    vcpu_stop(v, VCPU_STOP_ERROR, "bad exit action %d", (int)a);
    return false;
}

enum vcpu_stop_kind vcpu_run(struct vcpu *v, const struct exit_handler_table *t)
{
    /* The backend's table is constant for the vCPU's life: load the two hot
     * operations once. EXIT_SKIP and EXIT_RESUME are handled here; the rare
     * actions go through exit_apply_action(). */
    void (*run)(struct vcpu *, struct vm_exit *) = v->backend->run;
    bool (*skip)(struct vcpu *, const struct vm_exit *) = v->backend->skip_instruction;
    struct vm_exit e;
    v->stop = VCPU_RUNNING;
    for (;;) {
        run(v, &e);
        enum exit_action a = dispatch_one(t, v, &e);
        if (__builtin_expect(a == EXIT_SKIP, 1)) {
            if (__builtin_expect(skip(v, &e), 1))
                continue;
            skip_failed(v, &e);
            return v->stop;
        }
        if (!exit_apply_action(v, &e, a))
            return v->stop;
    }
}
