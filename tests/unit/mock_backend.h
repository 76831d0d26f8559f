/*
 * tests/unit/mock_backend.h - a backend for unit tests: it replays a script of
 * exits and records what common code asks of it (skips, injections, window
 * changes), and answers with the guest state a test sets. Each test file
 * defines mock_run(), the run loop, with the steps around an exit it tests.
 */
#ifndef BOOKVISOR_TESTS_UNIT_MOCK_BACKEND_H
#define BOOKVISOR_TESTS_UNIT_MOCK_BACKEND_H

#include <check.h>
#include <string.h>
#include "common/vm/exit_dispatch.h"

#define MOCK_SCRIPT_MAX 16
#define MOCK_INJECT_MAX 16

/* What the mock answers and what it was asked; mock_reset() empties it. */
struct mock_backend_state {
    struct vm_exit script[MOCK_SCRIPT_MAX]; /* the exits run() replays, in order */
    unsigned script_len, script_pos;
    u64 rip;
    u64 cr0;                                /* what get_reg(VCPU_REG_CR0) reads (protected mode) */
    u64 rflags_written;                     /* the last RFLAGS set_reg() wrote, 0 if none */
    bool skip_fails;                        /* skip_instruction() cannot find lengths */
    unsigned skips;
    struct event_interruptibility guest;    /* what get_interruptibility() reads */
    struct vm_event injected[MOCK_INJECT_MAX];
    unsigned injects;
    bool interrupt_window, nmi_window;      /* as set_event_windows() last left them */
    unsigned window_changes;                /* calls of set_event_windows() */
    bool trap_flag;                         /* the guest single-steps: skips say so */
    u64 dr6;                                /* what get_reg(VCPU_REG_DR6) reads */
    unsigned flushes;                       /* calls of flush_nested_tlb() */
};

static struct mock_backend_state mock;

/* The run loop: each test file writes its own. */
static void mock_run(struct vcpu *v);

static void mock_reset(void)
{
    memset(&mock, 0, sizeof(mock));
    mock.rip = 0x100000;
    mock.cr0 = 0x11;
}

/* Append an exit to the script; the test may fill in more of it. */
static struct vm_exit *mock_add_exit(enum vm_exit_kind kind, u8 len, u32 native)
{
    ck_assert_uint_lt(mock.script_len, MOCK_SCRIPT_MAX);
    struct vm_exit *e = &mock.script[mock.script_len++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->insn_len = len;
    e->native_code = native;
    return e;
}

/* The next exit of the script; the loop must stop before the script ends. */
static struct vm_exit *mock_next_exit(void)
{
    ck_assert_uint_lt(mock.script_pos, mock.script_len);
    return &mock.script[mock.script_pos++];
}

static u64 mock_get_reg(struct vcpu *v, enum vcpu_reg r)
{
    (void)v;
    if (r == VCPU_REG_RIP)
        return mock.rip;
    if (r == VCPU_REG_RFLAGS)
        return mock.guest.interrupts_enabled ? 0x202 : 0x2;
    if (r == VCPU_REG_CR0)
        return mock.cr0;
    if (r == VCPU_REG_DR6)
        return mock.dr6;
    return 0;
}

static void mock_set_reg(struct vcpu *v, enum vcpu_reg r, u64 value)
{
    (void)v;
    if (r == VCPU_REG_RIP)
        mock.rip = value;
    if (r == VCPU_REG_DR6)
        mock.dr6 = value;
    if (r == VCPU_REG_RFLAGS)
        mock.rflags_written = value;
}

static enum vm_skip mock_skip(struct vcpu *v, const struct vm_exit *e)
{
    (void)v;
    if (mock.skip_fails || e->insn_len == 0)
        return VM_SKIP_FAILED;
    mock.rip += e->insn_len;
    mock.guest.shadow = false; /* as the backends do: the shadow ends with the instruction */
    mock.skips++;
    return mock.trap_flag ? VM_SKIP_DONE_SINGLE_STEP : VM_SKIP_DONE;
}

static void mock_inject(struct vcpu *v, const struct vm_event *ev)
{
    (void)v;
    ck_assert_uint_lt(mock.injects, MOCK_INJECT_MAX);
    mock.injected[mock.injects++] = *ev;
}

static void mock_get_interruptibility(struct vcpu *v, struct event_interruptibility *out)
{
    (void)v;
    *out = mock.guest;
}

static void mock_set_event_windows(struct vcpu *v, bool interrupt_window, bool nmi_window)
{
    (void)v;
    mock.interrupt_window = interrupt_window;
    mock.nmi_window = nmi_window;
    mock.window_changes++;
}

static void mock_flush_nested_tlb(struct vcpu *v)
{
    (void)v;
    mock.flushes++;
}

static const struct backend_ops mock_backend = {
    .name = "mock",
    .run = mock_run,
    .get_reg = mock_get_reg,
    .set_reg = mock_set_reg,
    .skip_instruction = mock_skip,
    .inject = mock_inject,
    .get_interruptibility = mock_get_interruptibility,
    .set_event_windows = mock_set_event_windows,
    .flush_nested_tlb = mock_flush_nested_tlb,
};

/* ---- what the mock's tests share ---- */

/* The loop of every backend: the hook before the first entry, then each
 * exit start to end (take back, handle, the hook before the next entry). */
static void __attribute__((unused)) mock_run_to_stop(struct vcpu *v)
{
    if (!vcpu_before_entry(v))
        return;
    while (vcpu_handle_exit(v, mock_next_exit()))
        ;
}

/* Handlers: an emulated instruction, the guest's power-off, the two faults. */
static enum exit_action __attribute__((unused)) mock_handler_skip(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_SKIP;
}

static enum exit_action __attribute__((unused)) mock_handler_poweroff(struct vcpu *v,
                                                                      struct vm_exit *e)
{
    (void)e;
    return vcpu_stop(v, VCPU_STOP_POWEROFF, "powered off");
}

static enum exit_action __attribute__((unused)) mock_handler_gp(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_INJECT_GP;
}

static enum exit_action __attribute__((unused)) mock_handler_ud(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_INJECT_UD;
}

#endif
