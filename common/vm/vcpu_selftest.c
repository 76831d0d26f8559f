/*
 * common/vm/vcpu_selftest.c - test.vcpus: every backend op on its own vCPU.
 */
#include "common/vm/vcpu_selftest.h"
#include "common/vm/backend.h"
#include "common/base/kprintf.h"
#include "common/base/panic.h"

/* The registers checked, with their names for the messages. */
static const struct {
    enum vcpu_reg reg;
    const char *name;
} regs[] = {
    { VCPU_REG_RIP, "rip" }, { VCPU_REG_RSP, "rsp" }, { VCPU_REG_RFLAGS, "rflags" },
    { VCPU_REG_CR0, "cr0" }, { VCPU_REG_CR2, "cr2" }, { VCPU_REG_CR3, "cr3" },
    { VCPU_REG_CR4, "cr4" }, { VCPU_REG_EFER, "efer" }, { VCPU_REG_CS_BASE, "cs.base" },
    { VCPU_REG_CS_ATTR, "cs.attr" }, { VCPU_REG_SS_ATTR, "ss.attr" },
    { VCPU_REG_ES_BASE, "es.base" }, { VCPU_REG_SS_BASE, "ss.base" },
    { VCPU_REG_DS_BASE, "ds.base" }, { VCPU_REG_FS_BASE, "fs.base" },
    { VCPU_REG_GS_BASE, "gs.base" },
};
#define NREGS ARRAY_SIZE(regs)

/* The registers the test writes: one new value each, for vCPU i. */
static const enum vcpu_reg written[] = { VCPU_REG_RIP, VCPU_REG_RSP, VCPU_REG_RFLAGS,
                                         VCPU_REG_CR2, VCPU_REG_CR3 };

struct selftest {
    unsigned checks; /* how many values were compared */
};

/* vCPU i's own initial state: vCPU 0's, with every register the test
 * checks made different from vCPU 0's and from the other vCPUs'. */
static void state_of(unsigned i, const struct vcpu_init_state *base, struct vcpu_init_state *s)
{
    *s = *base;
    s->rip = 0x200000 + 0x1010 * i;
    s->rsp = 0x9F000 - 0x100 * i;
    s->rflags = 0x2 | (i & 1 ? 0x41 : 0x84); /* CF ZF, or PF SF: bits any code may set */
    s->cr0 = base->cr0 | (i & 1 ? 0x8 : 0x2); /* and TS or MP */
    s->cr3 = 0x1000ull * (0x40 + i);
    s->cr4 = base->cr4 ^ 0x10;               /* PSE the other way */
    s->cs.base = base->cs.base + 0x10000ull * i;
    /* Each data segment's base its own, so a swapped one shows. */
    s->es.base = base->es.base + 0x11000ull * i;
    s->ss.base = base->ss.base + 0x12000ull * i;
    s->ds.base = base->ds.base + 0x13000ull * i;
    s->fs.base = base->fs.base + 0x14000ull * i;
    s->gs.base = base->gs.base + 0x15000ull * i;
}

/* What vCPU i's registers hold after state_of(). CR2 starts at 0. */
static u64 initial_value(const struct vcpu_init_state *s, enum vcpu_reg r)
{
    switch (r) {
    case VCPU_REG_RIP: return s->rip;
    case VCPU_REG_RSP: return s->rsp;
    case VCPU_REG_RFLAGS: return s->rflags;
    case VCPU_REG_CR0: return s->cr0;
    case VCPU_REG_CR3: return s->cr3;
    case VCPU_REG_CR4: return s->cr4;
    case VCPU_REG_EFER: return s->efer;
    case VCPU_REG_CS_BASE: return s->cs.base;
    case VCPU_REG_CS_ATTR: return s->cs.attr;
    case VCPU_REG_SS_ATTR: return s->ss.attr;
    case VCPU_REG_ES_BASE: return s->es.base;
    case VCPU_REG_SS_BASE: return s->ss.base;
    case VCPU_REG_DS_BASE: return s->ds.base;
    case VCPU_REG_FS_BASE: return s->fs.base;
    case VCPU_REG_GS_BASE: return s->gs.base;
    default: return 0;
    }
}

static u64 written_value(unsigned i, enum vcpu_reg r)
{
    switch (r) {
    case VCPU_REG_RIP: return 0x300000 + 0x10 * i;
    case VCPU_REG_RSP: return 0x7C00 - 0x20 * i;
    case VCPU_REG_RFLAGS: return 0x2 | (i & 1 ? 0x4 : 0x1);
    case VCPU_REG_CR2: return 0xCAFE0000ull + i;
    case VCPU_REG_CR3: return 0x1000ull * (0x80 + i);
    default: return 0;
    }
}

static const char *reg_name(enum vcpu_reg r)
{
    for (unsigned k = 0; k < NREGS; k++)
        if (regs[k].reg == r)
            return regs[k].name;
    return "?";
}

/* One check; a wrong value stops the machine with the facts. */
static void expect(struct selftest *t, struct vcpu *v, enum vcpu_reg r, u64 want, const char *when)
{
    u64 got = v->backend->get_reg(v, r);
    t->checks++;
    if (got == want)
        return;
    kprintf("bookvisor: test.vcpus: FAILED: vCPU %u %s reads 0x%llx, expected 0x%llx (%s): "
            "a backend op acted on another vCPU\n", v->id, reg_name(r), (unsigned long long)got,
            (unsigned long long)want, when);
    machine_stop(MACHINE_STATUS_FAILURE);
}

void vcpu_selftest_run(struct guest_vm *vm, const struct vcpu_init_state *base, u64 count)
{
    if (count < 2 || count > GUEST_VM_MAX_VCPUS) {
        kprintf("bookvisor: test.vcpus=%llu: give 2 to %u vCPUs (ignored, nothing tested)\n",
                (unsigned long long)count, GUEST_VM_MAX_VCPUS);
        return;
    }
    struct selftest t = { 0 };
    struct vcpu *v0 = vm->vcpus[0];
    u64 v0_regs[NREGS];
    for (unsigned k = 0; k < NREGS; k++)
        v0_regs[k] = v0->backend->get_reg(v0, regs[k].reg);

    /* Make the others. On VT-x the last one's VMCS is current afterwards. */
    struct vcpu_init_state st;
    for (unsigned i = 1; i < count; i++) {
        struct vcpu *v = guest_vm_add_vcpu(vm);
        state_of(i, base, &st);
        if (!v || guest_vm_init_vcpu(vm, v, &st) != 0) {
            kprintf("bookvisor: test.vcpus: FAILED: could not make vCPU %u of %llu\n", i,
                    (unsigned long long)count);
            machine_stop(MACHINE_STATUS_FAILURE);
        }
    }

    /* vCPU 0 first (its VMCS current again), then each other one, each
     * register of each compared with what it was made with. */
    for (unsigned k = 0; k < NREGS; k++)
        expect(&t, v0, regs[k].reg, v0_regs[k], "after the other vCPUs were made");
    for (unsigned i = 1; i < count; i++) {
        state_of(i, base, &st);
        for (unsigned k = 0; k < NREGS; k++)
            expect(&t, vm->vcpus[i], regs[k].reg, initial_value(&st, regs[k].reg),
                   "as it was made");
    }

    /* Writes, going back and forth: each write to vCPU i right after a read
     * of vCPU 0 (whose VMCS is then current). */
    for (unsigned i = 1; i < count; i++)
        for (unsigned w = 0; w < ARRAY_SIZE(written); w++) {
            expect(&t, v0, VCPU_REG_RIP, v0_regs[0], "between writes to another vCPU");
            struct vcpu *v = vm->vcpus[i];
            v->backend->set_reg(v, written[w], written_value(i, written[w]));
        }

    /* vCPU 0 untouched; each other vCPU holds what was written to it. */
    for (unsigned k = 0; k < NREGS; k++)
        expect(&t, v0, regs[k].reg, v0_regs[k], "after writes to the other vCPUs");
    for (unsigned i = 1; i < count; i++)
        for (unsigned w = 0; w < ARRAY_SIZE(written); w++)
            expect(&t, vm->vcpus[i], written[w], written_value(i, written[w]), "as written");

    kprintf("bookvisor: test.vcpus: %llu vCPUs, %u register checks through the %s backend: "
            "every op acted on the vCPU it was given\n", (unsigned long long)count, t.checks,
            v0->backend->name);
}
