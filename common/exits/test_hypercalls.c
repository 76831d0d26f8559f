/*
 * common/exits/test_hypercalls.c - the levers of the event and VMM-vector tests.
 */
#include "common/exits/test_hypercalls.h"
#include "common/base/options.h"
#include "common/exits/hypercall.h"
#include "common/platform/test_timer.h"
#include "common/platform/test_vmm_vector.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vcpu_events.h"
#include "common/vm/vm_nested.h"

static bool event_lever(struct vcpu *v, u32 function)
{
    struct guest_vm *vm = guest_vm_of(v);
    switch (function) {
    case HC_TEST_NESTED_PAGE:
        v->gprs.rax = guest_vm_test_unmap_page(vm, (u32)v->gprs.rbx, v->gprs.rcx & 1) ? 1 : 0;
        return true;
    case HC_TEST_GP_ON_NEXT_NPF:
        vm->test_gp_on_next_npf = true;
        v->gprs.rax = 1;
        return true;
    case HC_TEST_QUEUE_INTERRUPT:
        if ((u32)v->gprs.rbx < 16 || (u32)v->gprs.rbx > 255) {
            v->gprs.rax = 0; /* 0-15 are not interrupt vectors */
            return true;
        }
        vcpu_queue_interrupt(v, (u8)v->gprs.rbx);
        v->gprs.rax = 1;
        return true;
    case HC_TEST_QUEUE_NMI:
        vcpu_queue_nmi(v);
        v->gprs.rax = 1;
        return true;
    default:
        return false;
    }
}

static bool vector_lever(struct vcpu *v, u32 function)
{
    switch (function) {
    case HC_TEST_VMM_IPI:
        v->gprs.rax = test_vmm_vector_send() ? 1 : 0;
        return true;
    case HC_TEST_VMM_IRQ_COUNT:
        v->gprs.rax = (u32)test_vmm_vector_count();
        return true;
    default:
        return false;
    }
}

static bool timer_lever(struct vcpu *v, u32 function)
{
    u64 late;
    switch (function) {
    case HC_TEST_TIMER_COUNT:
        v->gprs.rax = (u32)test_timer_count();
        return true;
    case HC_TEST_TIMER_LATE:
        late = test_timer_take_late();
        v->gprs.rax = late > 0xFFFFFFFEu ? 0xFFFFFFFEu : (u32)late; /* ~0 means "unknown" */
        return true;
    default:
        return false;
    }
}

bool test_hypercall(struct vcpu *v, u32 function)
{
    return (vmm_options.test_events && event_lever(v, function)) ||
           (vmm_options.test_vmm_vector && vector_lever(v, function)) ||
           ((vmm_options.test_timer || vmm_options.test_timer_thread) && timer_lever(v, function));
}
