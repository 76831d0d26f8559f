/*
 * common/platform/test_vmm_vector.c - one VMM vector, counted, for the tests.
 */
#include "common/platform/test_vmm_vector.h"
#include "arch/x86/lapic.h"
#include "common/base/irq.h"
#include "common/base/kprintf.h"

/* Written by the handler in an interrupt window, read by a hypercall on the
 * same CPU afterwards. */
static volatile u64 test_vector_hits;

static void test_vector_handler(void *ctx, u8 vector)
{
    (void)ctx;
    (void)vector;
    test_vector_hits++;
}

void test_vmm_vector_install(void)
{
    if (irq_register(TEST_VMM_VECTOR, test_vector_handler, NULL) == 0)
        kprintf("bookvisor: test.vmm_vector: vector 0x%x is the VMM's; external interrupts exit\n",
                TEST_VMM_VECTOR);
}

bool test_vmm_vector_send(void)
{
    return lapic_self_ipi(TEST_VMM_VECTOR);
}

u64 test_vmm_vector_count(void)
{
    return test_vector_hits;
}
