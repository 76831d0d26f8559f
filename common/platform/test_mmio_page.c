/*
 * common/platform/test_mmio_page.c - a tiny device for the MMIO-hook tests.
 */
#include "common/platform/test_mmio_page.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "common/base/kprintf.h"

struct test_page {
    u64 last_value;
    u64 last_offset;
    u64 writes;
};

static struct test_page test_page;

static enum exit_action test_page_access(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                         u64 *value)
{
    struct test_page *t = ctx;
    u64 off = gpa - TEST_MMIO_PAGE_GPA;
    (void)v;
    if (write) {
        t->last_value = *value;
        t->last_offset = off;
        t->writes++;
        return EXIT_SKIP;
    }
    switch (off) {
    case 0x00: *value = 0x6B6F6F62; break;
    case 0x08: *value = t->last_value; break;
    case 0x10: *value = t->last_offset; break;
    case 0x18: *value = t->writes; break;
    default: {
        u64 r = 0;
        for (unsigned i = 0; i < size; i++)
            r |= (u64)(((off + i) ^ 0xA5) & 0xFF) << (8 * i);
        *value = r;
    }
    }
    return EXIT_SKIP;
}

void test_mmio_page_install(struct guest_vm *vm)
{
    if (mmio_hook_register(vm, TEST_MMIO_PAGE_GPA, 4096, test_page_access, &test_page) != 0)
        kprintf("bookvisor: could not hook the MMIO test page at 0x%llx\n",
                (unsigned long long)TEST_MMIO_PAGE_GPA);
    else
        kprintf("bookvisor: MMIO test page hooked at 0x%llx\n",
                (unsigned long long)TEST_MMIO_PAGE_GPA);
}
