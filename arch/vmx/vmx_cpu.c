/*
 * arch/vmx/vmx_cpu.c - the per-CPU side of VT-x (chapter 04): VMXON on each
 * CPU, the CPU's current VMCS (vmcs_use() in vmx_internal.h, vmcs_load()
 * here), the machine's VPID space, and who owns the CPU's CR2 register.
 */
#include "arch/vmx/vmx_feature_control.h"
#include "arch/vmx/vmx_insn.h"
#include "arch/vmx/vmx_internal.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/base/panic.h"
#include "common/lib/id_pool.h"
#include "common/lib/spinlock.h"

#define CR4_VMXE (1ULL << 13)

/* VPIDs tag a vCPU's TLB entries wherever it runs: one space for the whole
 * machine, 1 to 65535 (0 is the host's), shared by all CPUs under a lock. */
static struct spinlock vpid_lock;
static struct id_pool vpids;
static u64 vpid_words[ID_POOL_WORDS(VMX_VPID_COUNT)];

u16 vmx_vpid_alloc(void)
{
    spin_lock(&vpid_lock);
    if (!vpids.count)
        id_pool_init(&vpids, 1, VMX_VPID_COUNT, vpid_words, ARRAY_SIZE(vpid_words));
    u32 vpid = id_pool_alloc(&vpids);
    spin_unlock(&vpid_lock);
    return (u16)vpid;
}

/* On the calling CPU: VMXON with a region of its own. */
int vmx_enable_cpu(void)
{
    const struct vmx_caps *caps = &vmx_machine_caps;
    struct cpu *c = this_cpu();
    if (c->backend) /* on already */
        return 0;
    struct vmx_feature_control_decision fc =
        vmx_feature_control_decide(rdmsr(MSR_IA32_FEATURE_CONTROL));
    if (fc.action == VMX_FC_REFUSE) { /* vmx_probe() refused already; VMXON would #GP */
        kprintf("bookvisor: %s\n", fc.reason);
        return -1;
    }
    if (fc.action == VMX_FC_WRITE)
        wrmsr(MSR_IA32_FEATURE_CONTROL, fc.value);
    /* CR0/CR4 must honour the fixed bits before VMXON. */
    write_cr0((read_cr0() | caps->msr.cr0_fixed0) & caps->msr.cr0_fixed1);
    write_cr4((read_cr4() | caps->msr.cr4_fixed0 | CR4_VMXE) & caps->msr.cr4_fixed1);
    struct vmx_cpu *vc = kzalloc(sizeof(*vc));
    vc->vmxon_pa = mem_alloc_pages(0);
    vc->current_vmcs = VMX_NO_VMCS;
    *(u32 *)phys_to_virt(vc->vmxon_pa) = caps->vmcs_revision;
    if (!vmxon(vc->vmxon_pa)) {
        kprintf("bookvisor: VMXON failed on CPU %u\n", c->index);
        return -1;
    }
    c->backend = vc;
    return 0;
}

/* In VMX root operation INIT is blocked and a start-up IPI is ignored (Intel
 * SDM vol. 3 24.8, 26.6.2): a halted CPU stays bookvisor's. An NMI wakes
 * it; it halts again. */
void vmx_park_cpu(void)
{
    cpu_cli();
    for (;;)
        __asm__ volatile("hlt" ::: "memory");
}

/* Nothing to do: INIT is blocked in VMX root operation already. */
void vmx_hold_init(void)
{
}

/* Cold: make v's VMCS current. Not while another vCPU is in its run loop on
 * this CPU: it would resume on the wrong VMCS after the exit being handled. */
void vmcs_load(struct vmx_cpu *vc, struct vcpu *v, const char *op)
{
    struct vmx_vcpu *x = v->arch;
    if (vc->running && vc->running != v)
        panic("vmx %s on vCPU %u during an exit of vCPU %u on this CPU: an exit handler may "
              "use no VMCS but its own vCPU's", op, v->id, vc->running->id);
    if (!vmptrld(x->vmcs_pa))
        panic("vmx %s: VMPTRLD of vCPU %u's VMCS at 0x%llx failed", op, v->id,
              (unsigned long long)x->vmcs_pa);
    vc->current_vmcs = x->vmcs_pa;
}

/*
 * The guest's CR2 is not in the VMCS: while a guest runs, and after its
 * exits, the CPU's own CR2 holds it (the VMM takes no page fault). With
 * several vCPUs on a CPU, the register belongs to the last one run
 * (vc->cr2_owner); the others keep theirs in x->cr2.
 */
u64 vmx_cr2_read(struct vcpu *v)
{
    const struct vmx_cpu *vc = v->cpu->backend;
    return vc->cr2_owner == v ? read_cr2() : ((struct vmx_vcpu *)v->arch)->cr2;
}

void vmx_cr2_write(struct vcpu *v, u64 value)
{
    const struct vmx_cpu *vc = v->cpu->backend;
    if (vc->cr2_owner == v)
        write_cr2(value);
    else
        ((struct vmx_vcpu *)v->arch)->cr2 = value;
}

void vmx_cr2_claim(struct vmx_cpu *vc, struct vcpu *v)
{
    if (vc->cr2_owner == v)
        return;
    if (vc->cr2_owner)
        ((struct vmx_vcpu *)vc->cr2_owner->arch)->cr2 = read_cr2();
    write_cr2(((struct vmx_vcpu *)v->arch)->cr2);
    vc->cr2_owner = v;
}
