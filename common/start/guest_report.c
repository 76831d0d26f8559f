/*
 * common/start/guest_report.c - the guest's run and bookvisor's last words
 * about it (chapter 02, "Counters").
 */
#include "common/start/guest_report.h"
#include "arch/x86/percpu.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/base/panic.h"
#include "common/base/thread.h"
#include "common/base/timer.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vcpu_entry.h"
#include "common/vm/vm_shootdown.h"
#include "net/netapi.h"
#include "net/net_vmm.h"

static void print_line(const char *line)
{
    kprintf("bookvisor: %s\n", line);
}

static void print_net_line(const char *line)
{
    kprintf("bookvisor: net: %s\n", line);
}

static unsigned printing_vcpu;

static void print_vcpu_line(const char *line)
{
    kprintf("bookvisor: vcpu %u %s\n", printing_vcpu, line);
}

/* The counters of every other vCPU that ran (the processors the guest
 * started), then the exits of all together. Read while they may still run:
 * each count is one aligned word, read whole. */
static void print_other_vcpus(struct guest_vm *vm, const struct vcpu *stopped)
{
    unsigned n = __atomic_load_n(&vm->n_vcpus, __ATOMIC_ACQUIRE), ran = 0;
    u64 total = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct vcpu *o = vm->vcpus[i];
        u64 t = vcpu_exit_total(o);
        total += t;
        if (o == stopped || !t)
            continue;
        ran++;
        printing_vcpu = o->id;
        vcpu_print_counters(o, print_vcpu_line);
    }
    if (ran)
        kprintf("bookvisor: exits of all %u vCPUs: total=%llu\n", n, (unsigned long long)total);
}

/* A bench build's TSC sums (common/vm/bench_ticks.h), all vCPUs together,
 * for tests/bench.py: on Bochs each tick is an instruction, or a tick the
 * CPU spent halted. */
static void print_bench_ticks(struct guest_vm *vm, u64 stop)
{
    struct bench_ticks sum = { 0, 0, 0 };
    u64 exits = 0;
    unsigned n = __atomic_load_n(&vm->n_vcpus, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++) {
        sum.in_exits += vm->vcpus[i]->bench.in_exits;
        sum.halted += vm->vcpus[i]->bench.halted;
        sum.timed += vm->vcpus[i]->bench.timed;
        exits += vcpu_exit_total(vm->vcpus[i]);
    }
    kprintf("bookvisor: bench ticks: start=%llu first-entry=%llu stop=%llu in-exits=%llu "
            "halted=%llu timed=%llu exits=%llu\n",
            (unsigned long long)bench_boot_ticks.start,
            (unsigned long long)bench_boot_ticks.first_entry, (unsigned long long)stop,
            (unsigned long long)sum.in_exits, (unsigned long long)sum.halted,
            (unsigned long long)sum.timed, (unsigned long long)exits);
}

/* The VMM's own work before an entry: due timers, then a batch of threads.
 * True while either still waits. */
static bool vmm_work_run(void)
{
    bool timers = timer_run_due_and_pending();
    bool threads = thread_run_batch();
    return timers || threads;
}

/* The TSC by which the VMM's own work is due on this CPU: its earliest timer
 * and, on the boot CPU while threads live, the threads' next batch (a
 * sleeper's wake time; one processor suffices for the batch, THREAD_1CPU).
 * The hook before entry bounds the guest's run by it and a halted guest's
 * wait ends by it (chapter 07), so a thread wakes on time whether the guest
 * exits, spins or halts. No thread: one load, and only the timers count. */
static u64 vmm_work_deadline_tsc(void)
{
    u64 deadline = timer_next_deadline_tsc();
    struct cpu *c = this_cpu();
    c->deadline_is_timer = deadline != ~0ULL;
    if (thread_count() && c->index == 0) {
        u64 due_us = thread_next_due_us();
        u64 due = due_us == ~0ULL ? ~0ULL : clock_us_to_tsc(due_us);
        if (due < deadline)
            deadline = due;
    }
    return deadline;
}

void guest_run_and_report(struct vcpu *v)
{
    /* VMM timers and threads run from the hook before entry of the vCPU on this CPU. */
    vcpu_timers_run = vmm_work_run;
    vcpu_timer_deadline_tsc = vmm_work_deadline_tsc;
    vcpu_idle_deadline_tsc = vmm_work_deadline_tsc;
    vm_shootdown_init();
    timer_attach_work(&v->work_pending);
    if (thread_count())
        timer_kick();
    bench_boot_ticks.first_entry = BENCH_TICKS_NOW();
    enum vcpu_stop_kind stop = vcpu_run(v, &guest_exit_handlers);
    u64 ticks_at_stop = BENCH_TICKS_NOW();
    timer_attach_work(NULL);
    struct guest_vm *vm = guest_vm_of(v);

    /* Only a guest that switched the machine off ended well; every other
     * stop (a dead guest halted with interrupts off included) is a failure
     * and gets the state dump. */
    bool ok = stop == VCPU_STOP_POWEROFF;
    kprintf("bookvisor: guest stopped: %s\n", v->stop_reason);
    if (!ok)
        v->backend->dump_state(v);
    vcpu_print_counters(v, print_line);
    print_other_vcpus(vm, v);
    kprintf("bookvisor: nested paging: faults=%llu maps4k=%llu maps2m=%llu maps1g=%llu tables=%llu reclaims=%llu mtrr-writes=%llu\n",
            (unsigned long long)vm->map.stats.nested_faults,
            (unsigned long long)vm->map.stats.leaves_4k, (unsigned long long)vm->map.stats.leaves_2m,
            (unsigned long long)vm->map.stats.leaves_1g, (unsigned long long)vm->map.stats.tables,
            (unsigned long long)vm->map.stats.reclaims, (unsigned long long)vm->mtrr_updates);
    /* What crossed each NIC: under net=pass, the guest's whole traffic (chapter 09). */
    if (netapi_nic(0))
        net_print_state(print_net_line);
    if (BENCH_TICKS_ON)
        print_bench_ticks(vm, ticks_at_stop);
    bool canary = vmm_canary_intact();
    kprintf("bookvisor: VMM memory canary %s\n", canary ? "intact" : "CORRUPTED");
    machine_stop(ok && canary ? MACHINE_STATUS_OK : MACHINE_STATUS_FAILURE);
}
