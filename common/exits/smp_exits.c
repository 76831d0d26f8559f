/*
 * common/exits/smp_exits.c - INIT and halts of the guest's other processors
 * (chapter 08, "SMP start-up").
 */
#include "common/exits/smp_exits.h"
#include "common/vm/backend.h"
#include "common/vm/vm_shootdown.h"

bool smp_vcpu_is_ap(const struct vcpu *v)
{
    return v->id != 0;
}

enum exit_action smp_exit_on_init(struct vcpu *v, struct vm_exit *e)
{
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "INIT to the running vCPU %u (native 0x%x): restarting a processor is not "
                     "supported yet", v->id, e->native_code);
}

bool smp_exit_halt_for_good(struct vcpu *v, struct vm_exit *e)
{
    if (!smp_vcpu_is_ap(v) || !vcpu_skip(v, e))
        return false;
    vcpu_shootdown_retire(v); /* no guest code again: no CPU waits for its flushes */
    v->backend->park_cpu();
    return true; /* not reached */
}
