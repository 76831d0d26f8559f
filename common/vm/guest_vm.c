/*
 * common/vm/guest_vm.c - the VM object: making it and its vCPUs, and helpers
 * that look at the guest through a vCPU.
 */
#include "common/vm/guest_vm.h"
#include "common/vm/backend.h"
#include "common/vm/vm_vcpus.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/insn/insn_len.h"
#include "common/lib/kstring.h"
#include "arch/x86/phys.h"

#define CANARY_BYTES 4096
static u8 vmm_canary[CANARY_BYTES];

static u8 canary_byte(unsigned i)
{
    return (u8)(i * 7 + 0x5A);
}

void vmm_canary_fill(void)
{
    for (unsigned i = 0; i < CANARY_BYTES; i++)
        vmm_canary[i] = canary_byte(i);
}

bool vmm_canary_intact(void)
{
    for (unsigned i = 0; i < CANARY_BYTES; i++)
        if (vmm_canary[i] != canary_byte(i))
            return false;
    return true;
}

struct guest_vm *guest_vm_create(const struct backend_ops *backend)
{
    struct guest_vm *vm = kzalloc(sizeof(*vm));
    vm->backend = backend;
    return vm;
}

struct vcpu *guest_vm_add_vcpu(struct guest_vm *vm)
{
    struct vcpu *v = kzalloc(sizeof(*v));
    if (guest_vm_attach_vcpu(vm, v))
        return v;
    kfree(v);
    kprintf("bookvisor: the VM holds %u vCPUs already: no more\n", GUEST_VM_MAX_VCPUS);
    return NULL;
}

int guest_vm_init_vcpu(struct guest_vm *vm, struct vcpu *v, const struct vcpu_init_state *st)
{
    if (vm->backend->vcpu_init(v, st) != 0)
        return -1;
    u64 root;
    spin_lock(&vm->npt_lock);
    root = vm->map.root_pa;
    spin_unlock(&vm->npt_lock);
    if (root)
        vm->backend->set_nested_root(v, root);
    hooks_vcpu_ready(vm, v);
    return 0;
}

void guest_vm_paging(struct vcpu *v, struct guest_paging *out)
{
    out->cr0 = v->backend->get_reg(v, VCPU_REG_CR0);
    out->cr3 = v->backend->get_reg(v, VCPU_REG_CR3);
    out->cr4 = v->backend->get_reg(v, VCPU_REG_CR4);
    out->efer = v->backend->get_reg(v, VCPU_REG_EFER);
}

bool guest_vm_read_phys(void *ctx, u64 gpa, void *buf, size_t len)
{
    struct guest_vm *vm = ctx;
    if (len == 0)
        return true;
    if (gpa + len < gpa)
        return false;
    /* Both ends are in readable memory and nothing between is VMM memory. */
    u64 last = gpa + len - 1;
    spin_lock(&vm->npt_lock); /* the layout changes when hooks do */
    enum npt_kind a, b;
    npt_layout_kinds_at(&vm->layout, gpa, last, &a, &b);
    spin_unlock(&vm->npt_lock);
    if ((a != NPT_KIND_RAM && a != NPT_KIND_MMIO) || (b != NPT_KIND_RAM && b != NPT_KIND_MMIO))
        return false;
    if (gpa < vm->vmm_base + vm->vmm_size && vm->vmm_base <= last)
        return false;
    memcpy(buf, phys_to_virt(gpa), len);
    return true;
}

static int insn_mode_of(u64 cs_attr, u64 efer, u64 cr0)
{
    if ((efer & (1u << 10)) && (cs_attr & (1u << 9)))
        return INSN_MODE_64;
    if ((cr0 & 1) && (cs_attr & (1u << 10)))
        return INSN_MODE_32;
    return INSN_MODE_16;
}

int guest_vm_insn_mode(struct vcpu *v)
{
    u64 cs_attr = v->backend->get_reg(v, VCPU_REG_CS_ATTR);
    return insn_mode_of(cs_attr, v->backend->get_reg(v, VCPU_REG_EFER),
                        v->backend->get_reg(v, VCPU_REG_CR0));
}

int guest_vm_insn_mode_in(struct vcpu *v, const struct guest_paging *pg)
{
    return insn_mode_of(v->backend->get_reg(v, VCPU_REG_CS_ATTR), pg->efer, pg->cr0);
}

size_t guest_vm_fetch_insn_from(struct vcpu *v, const struct guest_paging *pg, int mode,
                                u64 cs_base, u64 rip, u8 *buf, size_t max)
{
    u64 la = mode == INSN_MODE_64 ? rip : (cs_base + rip) & 0xFFFFFFFF;
    /* Read as much as possible: an instruction at the end of a page may
     * have its tail on an unmapped one; shrink until the read works. */
    for (size_t n = max; n > 0; n--)
        if (guest_read_linear(pg, la, buf, n, guest_vm_read_phys, v->vm) == GUEST_WALK_OK)
            return n;
    return 0;
}

size_t guest_vm_fetch_insn(struct vcpu *v, u8 *buf, size_t max, int *mode)
{
    struct guest_paging pg;
    guest_vm_paging(v, &pg);
    int m = guest_vm_insn_mode_in(v, &pg);
    if (mode)
        *mode = m;
    u64 cs_base = m == INSN_MODE_64 ? 0 : v->backend->get_reg(v, VCPU_REG_CS_BASE);
    return guest_vm_fetch_insn_from(v, &pg, m, cs_base, v->backend->get_reg(v, VCPU_REG_RIP), buf,
                                    max);
}
