/**
 * @file tests/guest/test_page.c
 * @brief Finding bookvisor's MMIO test page (see test_page.h).
 */
#include "test_page.h"
#include "hypercall.h"

u32 test_page_find(struct check_result *res)
{
    struct hypercall_regs r = { BOOKVISOR_HC_TEST_PAGE, 0, 0, 0 };
    if (!hypercall(&r)) {
        check_skip(res, "no hypervisor (hypercall #UD)");
        return 0;
    }
    if (r.eax == 0)
        check_skip(res, "no MMIO test page (bookvisor option test.mmio_page)");
    return r.eax;
}

u32 test_page_pattern(u32 off, unsigned size)
{
    u32 v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (u32)(((off + i) ^ 0xA5) & 0xFF) << (8 * i);
    return v;
}
