/*
 * common/vm/vm_shootdown.c - the other vCPUs flush before a map change is relied on.
 */
#include "common/vm/vm_shootdown.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/lapic_regs.h"
#include "arch/x86/percpu.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/vm/vcpu_entry.h"
#include "common/vm/vm_nested.h"
#include "common/vm/vm_vcpus.h"

void guest_vm_shootdown_begin(struct guest_vm *vm)
{
    unsigned n = guest_vm_vcpu_count(vm);
    if (n < 2)
        return;
    struct cpu *me = this_cpu();
    for (unsigned i = 0; i < n; i++) {
        if (vm->vcpus[i]->cpu == me) {
            vcpu_request_work(vm->vcpus[i], VCPU_WORK_SHOOTDOWN);
            return;
        }
    }
}

void vcpu_shootdown_idle(struct vcpu *v)
{
    /* An NMI the host took while idle has no exit left to explain. */
    shootdown_nmi_claim(&v->cpu->shootdown_nmi_in_host);
    shootdown_ack(&v->shootdown, shootdown_seen(&v->shootdown));
}

void vcpu_shootdown_retire(struct vcpu *v)
{
    shootdown_retire(&v->shootdown);
}

bool vcpu_shootdown_nmi_ours(struct vcpu *v)
{
    struct cpu *c = v->cpu;
    return shootdown_nmi_exit_ours(&c->shootdown_nmi, &c->shootdown_nmi_in_host,
                                   v->backend->nmi_exit_reaches_host);
}

/* Make t flush for request gen, or give up after the timeout; false if given up. */
static bool wait_for(struct vcpu *self, struct vcpu *t, u64 gen, u64 start)
{
    while (!shootdown_acked(&t->shootdown, gen)) {
        /* Another CPU may be waiting for this one meanwhile. */
        vcpu_shootdown_idle(self);
        /* Its bit again (a vCPU added while the request was made may have
         * missed it), then an NMI unless one is on its way: in the guest it
         * exits; an NMI the host took just before an entry is sent again. */
        vcpu_request_nested_flush(t);
        if (shootdown_nmi_arm(&t->cpu->shootdown_nmi) &&
            !lapic_send_ipi(t->cpu->apic_id, lapic_nmi_icr()))
            shootdown_nmi_claim(&t->cpu->shootdown_nmi);
        if (clock_now_us() - start > SHOOTDOWN_TIMEOUT_US)
            return false;
        cpu_pause();
    }
    return true;
}

static void shootdown_wait(struct vcpu *self)
{
    struct guest_vm *vm = guest_vm_of(self);
    u64 gen = shootdown_seen(&self->shootdown);
    u64 start = clock_now_us();
    unsigned n = guest_vm_vcpu_count(vm);
    for (unsigned i = 0; i < n; i++) {
        struct vcpu *t = vm->vcpus[i];
        /* No CPU yet: it has run no guest code, so holds nothing stale. */
        if (t == self || !t->cpu || t->cpu == self->cpu)
            continue;
        if (!wait_for(self, t, gen, start))
            kprintf("bookvisor: shootdown: vCPU %u has not flushed its nested TLB after %u ms; "
                    "going on (it flushes at its next exit)\n",
                    (unsigned)t->id, (unsigned)(SHOOTDOWN_TIMEOUT_US / 1000));
    }
}

void vm_shootdown_init(void)
{
    vcpu_shootdown_wait = shootdown_wait;
    guest_vm_shootdown_begin_fn = guest_vm_shootdown_begin;
}
