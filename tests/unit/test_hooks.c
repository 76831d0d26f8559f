/*
 * Unit tests for the hook tables (common/vm/hooks.c): the I/O hook an access
 * reaches, hooks on several vCPUs, and MMIO hooks over a real nested map
 * in host memory: page-by-page hooking remembers what each page was, overlaps
 * and VMM memory are refused, and a registration that fails half-way leaves
 * nothing hooked. With several vCPUs (a mock backend records the intercepts
 * of each): an I/O hook is programmed on every vCPU, a vCPU made later gets
 * every earlier hook, and a change of the shared nested map asks every vCPU
 * for a flush. The VM's vCPU list (common/vm/vm_vcpus.c) and its nested
 * faults (common/vm/vm_nested.c) are tested here too.
 *
 * unit-sources: common/vm/hooks.c common/vm/vm_nested.c common/vm/vm_vcpus.c common/npt/npt.c common/npt/npt_layout.c common/npt/npt_format.c common/npt/npt_pool.c common/npt/mtrr.c common/lib/shootdown.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/hooks.h"
#include "common/vm/vm_nested.h"
#include "common/vm/vm_vcpus.h"
#include "tests/unit/unit_main.h"

#define FAKE_PA 0x100000000000ULL
#define MiB (1ULL << 20)
#define KiB4 4096ULL

static struct guest_vm vm;
static void *arena;
static struct npt_mem mem;

static enum exit_action io_fn(void *ctx, struct vcpu *v, u16 port, u8 size, bool write, u32 *value)
{
    (void)ctx; (void)v; (void)port; (void)size; (void)write; (void)value;
    return EXIT_SKIP;
}

static enum exit_action hook_fn(void *ctx, struct vcpu *v, u64 gpa, u8 size, bool write,
                                u64 *value)
{
    (void)ctx; (void)v; (void)gpa; (void)size; (void)write; (void)value;
    return EXIT_SKIP;
}

/* RAM below 16 MiB, MMIO from 16 to 32 MiB, VMM memory from 32 to 34 MiB. */
static void setup(void)
{
    struct mtrr_state st;
    memset(&vm, 0, sizeof(vm));
    arena = aligned_alloc(4096, 64 * 4096);
    ck_assert_ptr_nonnull(arena);
    npt_pool_init(&vm.pool, arena, FAKE_PA, 64);
    mem = npt_pool_mem(&vm.pool);
    mtrr_state_init_uniform(&st, MTRR_TYPE_WB);
    npt_layout_init(&vm.layout, &st, 0);
    ck_assert_int_eq(npt_layout_set(&vm.layout, 0, 16 * MiB, NPT_KIND_RAM), NPT_OK);
    ck_assert_int_eq(npt_layout_set(&vm.layout, 16 * MiB, 16 * MiB, NPT_KIND_MMIO), NPT_OK);
    ck_assert_int_eq(npt_layout_set(&vm.layout, 32 * MiB, 2 * MiB, NPT_KIND_VMM_PRIVATE),
                     NPT_OK);
    ck_assert_int_eq(npt_init(&vm.map, &npt_format_ept, &mem), NPT_OK);
    /* Map the RAM and MMIO around the boundary (large pages where allowed). */
    ck_assert_int_eq(npt_update_range(&vm.map, &vm.layout, 14 * MiB, 4 * MiB), NPT_OK);
}

static void teardown(void)
{
    free(arena);
}

START_TEST(hook_over_mixed_memory_restores_each_kind)
{
    u64 at = 16 * MiB - KiB4; /* last RAM page and first MMIO page */
    ck_assert_int_eq(mmio_hook_register(&vm, at, 2 * KiB4, hook_fn, NULL), 0);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at), NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at + KiB4), NPT_KIND_HOOKED);
    ck_assert_int_eq(npt_handle_fault(&vm.map, &vm.layout, at), NPT_FAULT_HOOKED);
    ck_assert_int_eq(npt_handle_fault(&vm.map, &vm.layout, at + KiB4), NPT_FAULT_HOOKED);
    struct mmio_hook found;
    ck_assert(mmio_hook_find(&vm, at + KiB4 + 8, &found));
    ck_assert_uint_eq(found.gpa, at); /* a copy of the hook */
    ck_assert_uint_eq(found.len, 2 * KiB4);
    ck_assert_ptr_eq(found.fn, hook_fn);
    /* The neighbours stay what they were. */
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at - KiB4), NPT_KIND_RAM);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at + 2 * KiB4), NPT_KIND_MMIO);

    ck_assert_int_eq(mmio_hook_unregister(&vm, at), 0);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at), NPT_KIND_RAM);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at + KiB4), NPT_KIND_MMIO);
    ck_assert(!mmio_hook_find(&vm, at, NULL));
    ck_assert_uint_eq(vm.n_mmio_hooks, 0);
}
END_TEST

START_TEST(overlap_vmm_memory_and_no_map_are_refused)
{
    ck_assert_int_eq(mmio_hook_register(&vm, 8 * MiB, 3 * KiB4, hook_fn, NULL), 0);
    ck_assert_int_eq(mmio_hook_register(&vm, 8 * MiB + 2 * KiB4, KiB4, hook_fn, NULL), -1);
    ck_assert_int_eq(mmio_hook_register(&vm, 32 * MiB - KiB4, 2 * KiB4, hook_fn, NULL), -1);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, 32 * MiB - KiB4), NPT_KIND_MMIO);
    ck_assert_int_eq(mmio_hook_register(&vm, 9 * MiB, 0, hook_fn, NULL), -1);
    ck_assert_int_eq(mmio_hook_unregister(&vm, 9 * MiB), -1); /* no such hook */
    ck_assert_uint_eq(vm.n_mmio_hooks, 1);
    vm.map.root_pa = 0;
    ck_assert_int_eq(mmio_hook_register(&vm, 10 * MiB, KiB4, hook_fn, NULL), -1);
}
END_TEST

START_TEST(failure_half_way_leaves_nothing_hooked)
{
    /* The second page lies past what nested tables can map: hooking it fails
     * after the first page was hooked, which must then be given back. */
    u64 at = NPT_ADDR_LIMIT - KiB4;
    ck_assert_int_eq(npt_layout_set(&vm.layout, at, KiB4, NPT_KIND_MMIO), NPT_OK);
    ck_assert_int_eq(mmio_hook_register(&vm, at, 2 * KiB4, hook_fn, NULL), -1);
    ck_assert_int_eq(npt_layout_kind_at(&vm.layout, at), NPT_KIND_MMIO);
    ck_assert_uint_eq(vm.n_mmio_hooks, 0);
}
END_TEST

/* ---- several vCPUs: a mock backend records each one's intercepted ports ---- */

#define VCPUS 3
static struct vcpu vcpus[VCPUS];
static bool intercepted[VCPUS][0x10000];
static int native_state[VCPUS]; /* what v->arch points at: "vcpu_init has run" */

static void mock_set_io_intercept(struct vcpu *v, u16 port, bool on)
{
    ck_assert_ptr_eq(v->arch, &native_state[v->id]); /* never a vCPU without native state */
    intercepted[v->id][port] = on;
}

static const struct backend_ops mock_backend = {
    .name = "mock",
    .set_io_intercept = mock_set_io_intercept,
};

/* The nested map of setup(), plus VCPUS vCPUs attached, none with native state. */
static void setup_vcpus(void)
{
    setup();
    vm.backend = &mock_backend;
    memset(vcpus, 0, sizeof(vcpus));
    memset(intercepted, 0, sizeof(intercepted));
    for (unsigned i = 0; i < VCPUS; i++)
        ck_assert(guest_vm_attach_vcpu(&vm, &vcpus[i]));
}

static void give_native_state(unsigned i)
{
    vcpus[i].arch = &native_state[i];
}

START_TEST(attach_numbers_vcpus_and_refuses_past_the_limit)
{
    ck_assert_uint_eq(guest_vm_vcpu_count(&vm), VCPUS);
    for (unsigned i = 0; i < VCPUS; i++) {
        ck_assert_uint_eq(vcpus[i].id, i);
        ck_assert_ptr_eq(vcpus[i].vm, &vm);
        ck_assert_ptr_eq(vcpus[i].backend, &mock_backend);
        ck_assert_ptr_eq(vm.vcpus[i], &vcpus[i]);
    }
    static struct vcpu more[GUEST_VM_MAX_VCPUS];
    unsigned added = 0;
    while (added < GUEST_VM_MAX_VCPUS && guest_vm_attach_vcpu(&vm, &more[added]))
        added++;
    ck_assert_uint_eq(added, GUEST_VM_MAX_VCPUS - VCPUS);
    ck_assert_uint_eq(guest_vm_vcpu_count(&vm), GUEST_VM_MAX_VCPUS);
    ck_assert_ptr_null(more[added].vm); /* the refused one is untouched */
    ck_assert(!spin_is_locked(&vm.vcpus_lock));
}
END_TEST

START_TEST(io_hook_programs_every_vcpu_with_native_state)
{
    give_native_state(0);
    give_native_state(2);
    ck_assert_int_eq(io_hook_register(&vm, 0x604, 2, io_fn, NULL), 0);
    for (u16 p = 0x604; p < 0x606; p++) {
        ck_assert(intercepted[0][p]);
        ck_assert(!intercepted[1][p]); /* not made yet: skipped, not crashed on */
        ck_assert(intercepted[2][p]);
    }
    ck_assert(!intercepted[0][0x603] && !intercepted[0][0x606]);
    struct io_hook h;
    ck_assert(io_hook_find(&vm, 0x605, 1, &h));
    ck_assert_uint_eq(h.port, 0x604);
    ck_assert_uint_eq(h.count, 2);
    ck_assert(!io_hook_find(&vm, 0x606, 1, NULL));
    ck_assert(!spin_is_locked(&vm.hooks_lock));
}
END_TEST

START_TEST(vcpu_made_later_gets_every_earlier_hook)
{
    give_native_state(0);
    ck_assert_int_eq(io_hook_register(&vm, 0xCF8, 1, io_fn, NULL), 0);
    ck_assert_int_eq(io_hook_register(&vm, 0xCFC, 4, io_fn, NULL), 0);
    ck_assert(!intercepted[1][0xCF8]);
    give_native_state(1);
    hooks_vcpu_ready(&vm, &vcpus[1]);
    ck_assert(intercepted[1][0xCF8]);
    for (u16 p = 0xCFC; p < 0xD00; p++)
        ck_assert(intercepted[1][p]);
    ck_assert(!intercepted[2][0xCF8]); /* only the vCPU that became ready */
    /* And the old way, for every vCPU at once. */
    give_native_state(2);
    hooks_apply_io_intercepts(&vm);
    ck_assert(intercepted[2][0xCF8] && intercepted[2][0xCFF]);
}
END_TEST

START_TEST(map_changes_ask_every_vcpu_for_a_flush)
{
    /* Hooking a page inside a mapped 2 MiB page splits it: a present entry
     * changes, and every vCPU, not only the one that asked, must flush. */
    ck_assert_int_eq(guest_vm_nested_fault(&vm, 14 * MiB), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(vm.map.stats.leaves_2m, 1);
    for (unsigned i = 0; i < VCPUS; i++)
        vcpu_take_nested_flush(&vcpus[i]);
    u64 requested = vm.shootdown_requested;
    ck_assert_int_eq(mmio_hook_register(&vm, 15 * MiB, KiB4, hook_fn, NULL), 0);
    ck_assert_uint_eq(vm.map.stats.leaves_2m, 0);
    /* The change is counted: a CPU waiting for the others' flushes waits for
     * this count, and each vCPU sees it through its own target. */
    ck_assert_uint_eq(vm.shootdown_requested, requested + 1);
    for (unsigned i = 0; i < VCPUS; i++) {
        ck_assert_uint_eq(shootdown_seen(&vcpus[i].shootdown), requested + 1);
        ck_assert(!shootdown_acked(&vcpus[i].shootdown, requested + 1));
    }
    for (unsigned i = 0; i < VCPUS; i++)
        ck_assert(vcpu_take_nested_flush(&vcpus[i]));
    for (unsigned i = 0; i < VCPUS; i++)
        ck_assert(!vcpu_take_nested_flush(&vcpus[i])); /* taken once */
    ck_assert(!spin_is_locked(&vm.npt_lock));

    /* A first touch maps a new page: counted, nothing present changed. */
    u64 faults = vm.map.stats.nested_faults;
    ck_assert_int_eq(guest_vm_nested_fault(&vm, 4 * MiB), NPT_FAULT_MAPPED);
    ck_assert_uint_eq(vm.map.stats.nested_faults, faults + 1);
    ck_assert(!vcpu_take_nested_flush(&vcpus[1]));
    ck_assert_uint_eq(vm.shootdown_requested, requested + 1); /* nothing to shoot down */
    ck_assert_int_eq(guest_vm_nested_fault(&vm, 15 * MiB + 8), NPT_FAULT_HOOKED);

    ck_assert_int_eq(mmio_hook_unregister(&vm, 15 * MiB), 0);
    for (unsigned i = 0; i < VCPUS; i++)
        ck_assert(vcpu_take_nested_flush(&vcpus[i]));
    ck_assert(!spin_is_locked(&vm.npt_lock));
    ck_assert(!spin_is_locked(&vm.hooks_lock));
}
END_TEST

/* An access goes to the hook holding its first port, else to one holding any
 * of its other bytes (a dword OUT below a hooked register exits too). */
START_TEST(io_access_finds_the_hook_it_overlaps)
{
    int a, b;
    struct io_hook h;
    ck_assert_int_eq(io_hook_register(&vm, 0x604, 2, io_fn, &a), 0);
    ck_assert_int_eq(io_hook_register(&vm, 0xCF9, 1, io_fn, &b), 0);
    ck_assert_int_eq(io_hook_register(&vm, 0x605, 1, io_fn, &b), -1); /* overlap refused */
    ck_assert(io_hook_find(&vm, 0x604, 2, &h) && h.ctx == &a);
    ck_assert(io_hook_find(&vm, 0x605, 1, &h) && h.ctx == &a);
    ck_assert(io_hook_find(&vm, 0x602, 4, &h) && h.ctx == &a);   /* covers 0x604-0x605 */
    ck_assert(io_hook_find(&vm, 0x603, 2, &h) && h.ctx == &a);   /* covers 0x604 */
    ck_assert(!io_hook_find(&vm, 0x602, 2, NULL));          /* 0x602-0x603 only */
    ck_assert(!io_hook_find(&vm, 0x606, 4, NULL));
    ck_assert(io_hook_find(&vm, 0xCF8, 4, &h) && h.ctx == &b);   /* a dword at 0xCF8 covers 0xCF9 */
    ck_assert(io_hook_find(&vm, 0xCF9, 1, &h) && h.ctx == &b);
    ck_assert(!io_hook_find(&vm, 0xCFA, 2, NULL));
    ck_assert(!io_hook_find(&vm, 0xFFFF, 4, NULL));         /* no wrap past the last port */
}
END_TEST

/* The vCPU's memo gives what io_hook_find() gives: it remembers a hook
 * holding the access's first port (then answers with no lock), never one
 * found through another byte (a later hook may take the first port), and
 * slots that share a hash keep their own ports apart. */
START_TEST(io_memo_agrees_with_the_table)
{
    int a, b, c;
    struct io_hook_memo memo;
    struct io_hook tmp;
    const struct io_hook *h;
    memset(&memo, 0, sizeof(memo));
    ck_assert_int_eq(io_hook_register(&vm, 0x604, 2, io_fn, &a), 0);
    ck_assert_int_eq(io_hook_register(&vm, 0x70, 2, io_fn, &b), 0);
    ck_assert(io_hook_find_memo(&vm, &memo, 0x600, 1, &tmp) == NULL);
    h = io_hook_find_memo(&vm, &memo, 0x603, 2, &tmp);       /* through 0x604 */
    ck_assert(h == &tmp && h->ctx == &a);
    ck_assert_uint_eq(memo.slot[0x603 % IO_HOOK_MEMO_SLOTS].count, 0);
    h = io_hook_find_memo(&vm, &memo, 0x604, 1, &tmp);
    ck_assert(h == &memo.slot[0x604 % IO_HOOK_MEMO_SLOTS] && h->ctx == &a);
    /* Remembered: answered even with the lock taken by someone else. */
    h = io_hook_find_memo(&vm, &memo, 0x605, 4, &tmp); /* a slot of its own */
    ck_assert(h == &memo.slot[0x605 % IO_HOOK_MEMO_SLOTS] && h->ctx == &a);
    spin_lock(&vm.hooks_lock);
    h = io_hook_find_memo(&vm, &memo, 0x604, 2, &tmp);
    ck_assert(h == &memo.slot[0x604 % IO_HOOK_MEMO_SLOTS] && h->ctx == &a);
    h = io_hook_find_memo(&vm, &memo, 0x605, 1, &tmp);
    ck_assert(h == &memo.slot[0x605 % IO_HOOK_MEMO_SLOTS] && h->ctx == &a);
    spin_unlock(&vm.hooks_lock);
    /* 0x70 shares 0x604's slot: it replaces it, and 0x604 is looked up again. */
    ck_assert_uint_eq(0x70 % IO_HOOK_MEMO_SLOTS, 0x604 % IO_HOOK_MEMO_SLOTS);
    h = io_hook_find_memo(&vm, &memo, 0x70, 1, &tmp);
    ck_assert(h != NULL && h->ctx == &b && h->port == 0x70);
    ck_assert(io_hook_find_memo(&vm, &memo, 0x604, 1, &tmp)->ctx == &a);
    ck_assert(io_hook_find_memo(&vm, &memo, 0x608, 1, &tmp) == NULL); /* slot holds 0x604 */
    /* Not remembered through another byte: hooking 0x603 later takes it. */
    ck_assert_int_eq(io_hook_register(&vm, 0x603, 1, io_fn, &c), 0);
    ck_assert(io_hook_find_memo(&vm, &memo, 0x603, 2, &tmp)->ctx == &c);
    ck_assert(!spin_is_locked(&vm.hooks_lock));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hooks");
    TCase *tc = tcase_create("mmio");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, hook_over_mixed_memory_restores_each_kind);
    tcase_add_test(tc, overlap_vmm_memory_and_no_map_are_refused);
    tcase_add_test(tc, failure_half_way_leaves_nothing_hooked);
    tcase_add_test(tc, io_access_finds_the_hook_it_overlaps);
    tcase_add_test(tc, io_memo_agrees_with_the_table);
    suite_add_tcase(s, tc);
    TCase *mv = tcase_create("vcpus");
    tcase_add_checked_fixture(mv, setup_vcpus, teardown);
    tcase_add_test(mv, attach_numbers_vcpus_and_refuses_past_the_limit);
    tcase_add_test(mv, io_hook_programs_every_vcpu_with_native_state);
    tcase_add_test(mv, vcpu_made_later_gets_every_earlier_hook);
    tcase_add_test(mv, map_changes_ask_every_vcpu_for_a_flush);
    suite_add_tcase(s, mv);
    return unit_run_suite(s);
}
