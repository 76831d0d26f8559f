/*
 * common/vm/vcpu_owner.c - the report of a vCPU used on a CPU that does not own it.
 */
#include "common/vm/vcpu_owner.h"
#include "common/vm/backend.h"
#include "common/base/panic.h"

void vcpu_wrong_cpu(const struct vcpu *v, const char *op)
{
    const struct cpu *me = this_cpu();
    const char *name = v->backend ? v->backend->name : "backend";
    if (!v->cpu)
        panic("%s %s on vCPU %u, which has no native state yet (vcpu_init not run); "
              "this is CPU %u", name, op, v->id, me->index);
    panic("%s %s on vCPU %u, which belongs to CPU %u (APIC ID %u), called on CPU %u "
          "(APIC ID %u): only the owner may use a vCPU's native state",
          name, op, v->id, v->cpu->index, v->cpu->apic_id, me->index, me->apic_id);
}
