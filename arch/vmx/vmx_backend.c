/*
 * arch/vmx/vmx_backend.c - VT-x behind the backend interface (chapter 04).
 *
 * Mirrors arch/svm/svm_backend.c: it builds a VMCS from the generic initial
 * state with every control derived from the capability MSRs, runs the guest,
 * translates exits, and applies common code's decisions. When VM entry
 * fails it runs the entry checker (vmx_check.c) over a snapshot of the VMCS
 * and prints each broken rule by name.
 *
 * VMREAD and VMWRITE act on the CPU's *current* VMCS, not on a VMCS named in
 * the instruction. So each CPU remembers which VMCS is current (struct
 * vmx_cpu), and every operation on a vCPU first makes that vCPU's VMCS
 * current (vmcs_use(): VMPTRLD only when it is not already). The exit path
 * needs no such step: the VMCS that exited is current by construction.
 */
#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_caps.h"
#include "arch/vmx/vmx_check.h"
#include "arch/vmx/vmx_controls.h"
#include "arch/vmx/vmx_enter.h"
#include "arch/vmx/vmx_exit_decode.h"
#include "arch/vmx/vmx_feature_control.h"
#include "arch/vmx/vmx_guest_state.h"
#include "arch/vmx/vmx_insn.h"
#include "arch/vmx/vmx_report.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/percpu.h"
#include "common/base/panic.h"
#include "common/lib/id_pool.h"
#include "common/lib/spinlock.h"
#include "common/vm/backend.h"
#include "common/vm/vcpu_owner.h"
#include "common/vm/exit_dispatch.h"
#include "common/vm/vcpu_entry.h"
#include "common/vm/vcpu_events.h"
#include "common/vm/guest_vm.h"
#include "common/lib/format.h"
#include "common/npt/npt_format.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "arch/x86/phys.h"

/* vmx_enter.S's fast path spells these without vmcs_fields.h. */
_Static_assert(VMX_ASM_EXIT_REASON == VMCS_EXIT_REASON, "exit reason field");
_Static_assert(VMX_ASM_EXIT_INSN_LEN == VMCS_EXIT_INSN_LEN, "instruction length field");
_Static_assert(VMX_ASM_GUEST_RIP == VMCS_GUEST_RIP, "guest RIP field");
_Static_assert(VMX_ASM_GUEST_RFLAGS == VMCS_GUEST_RFLAGS, "guest RFLAGS field");
_Static_assert(VMX_ASM_GUEST_INTERRUPTIBILITY == VMCS_GUEST_INTERRUPTIBILITY, "interruptibility");
_Static_assert(VMX_ASM_REASON_CPUID == VMX_EXIT_CPUID, "CPUID exit reason");

#define CR4_VMXE (1ULL << 13)
#define RFLAGS_TF (1ULL << 8)
#define RFLAGS_IF (1ULL << 9)
#define VMX_BLOCKING_SHADOW (VMX_INTERRUPTIBILITY_STI | VMX_INTERRUPTIBILITY_MOV_SS)

/** Per-vCPU VT-x state. */
struct vmx_vcpu {
    u64 vmcs_pa;
    u8 *io_bitmap;     /* A (ports 0-0x7FFF) then B (0x8000-0xFFFF), 8 KiB */
    u8 *msr_bitmap;    /* 4 KiB: read low, read high, write low, write high */
    struct vmx_cr_masks cr;   /* CR0/CR4 bits the VMM owns, and those it forces */
    u64 eptp;
    u64 cr2;                  /* the guest's CR2 while the CPU's register holds another's */
    u16 vpid;                 /* its TLB tag (0: VPID is off) */
    bool launched;
    int entry_fail;           /* vmx_run_loop() code of a failed entry, 0 if none; then the VMCS holds no exit */
    bool extint_deferred;     /* external-interrupt exiting is off until the interrupt window (defer_interrupt()) */
    u32 insn_error;           /* VM-instruction error of a VMfailValid (0 after a VMfailInvalid) */
};

/** Per-CPU VT-x state (struct cpu's backend pointer), made by vmx_enable_cpu(). */
struct vmx_cpu {
    u64 vmxon_pa;           /* the VMXON region */
    u64 current_vmcs;       /* what VMPTRLD made current; VMX_NO_VMCS for none */
    struct vcpu *running;   /* the vCPU in vmx_run_loop() now, or NULL */
    struct vcpu *cr2_owner; /* the vCPU whose CR2 the CPU's register holds, or NULL */
};

#define VMX_NO_VMCS (~0ULL) /* the current-VMCS pointer of a CPU with none */

/* Read by vmx_probe() on the boot CPU; every CPU of a machine is the same
 * model, so the capabilities and controls are the same for all. */
static struct vmx_caps caps;
static struct vmx_control_set controls;
static bool caps_read;

/* VPIDs tag a vCPU's TLB entries wherever it runs: one space for the whole
 * machine, 1 to 65535 (0 is the host's), shared by all CPUs under a lock. */
#define VPID_COUNT 65535
static struct spinlock vpid_lock;
static struct id_pool vpids;
static u64 vpid_words[ID_POOL_WORDS(VPID_COUNT)];

static u16 vpid_alloc(void)
{
    spin_lock(&vpid_lock);
    if (!vpids.count)
        id_pool_init(&vpids, 1, VPID_COUNT, vpid_words, ARRAY_SIZE(vpid_words));
    u32 vpid = id_pool_alloc(&vpids);
    spin_unlock(&vpid_lock);
    return (u16)vpid;
}

extern char vmx_exit_point[];

static void read_cap_msrs(void)
{
    struct vmx_cap_msrs m;
    memset(&m, 0, sizeof(m));
    /* Read in order: whether an MSR exists depends on the ones before it. */
    static const u32 order[] = {
        MSR_IA32_VMX_BASIC, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_PROCBASED_CTLS,
        MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_MISC,
        MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1, MSR_IA32_VMX_CR4_FIXED0,
        MSR_IA32_VMX_CR4_FIXED1, MSR_IA32_VMX_PROCBASED_CTLS2, MSR_IA32_VMX_EPT_VPID_CAP,
        MSR_IA32_VMX_TRUE_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
        MSR_IA32_VMX_TRUE_EXIT_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS, MSR_IA32_VMX_VMFUNC,
    };
    u64 *slot[] = { &m.basic, &m.pinbased, &m.procbased, &m.exit, &m.entry, &m.misc,
                    &m.cr0_fixed0, &m.cr0_fixed1, &m.cr4_fixed0, &m.cr4_fixed1,
                    &m.procbased2, &m.ept_vpid_cap, &m.true_pinbased, &m.true_procbased,
                    &m.true_exit, &m.true_entry, &m.vmfunc };
    for (unsigned i = 0; i < ARRAY_SIZE(order); i++)
        if (vmx_caps_msr_exists(&m, order[i]))
            *slot[i] = rdmsr(order[i]);
    vmx_caps_decode(&m, &caps);
    caps_read = true;
}

static bool vmx_probe(const struct cpu_info *cpu, char *features, size_t flen, char *why,
                      size_t wlen)
{
    if (!cpu->has_vmx) {
        ksnprintf(why, wlen, "the CPU has no VMX (CPUID.1:ECX bit 5)");
        return false;
    }
    /* An unlocked MSR is fine here: vmx_enable_cpu() locks it with VMX on. */
    struct vmx_feature_control_decision fc =
        vmx_feature_control_decide(rdmsr(MSR_IA32_FEATURE_CONTROL));
    if (fc.action == VMX_FC_REFUSE) {
        ksnprintf(why, wlen, "%s", fc.reason);
        return false;
    }
    read_cap_msrs();
    struct vmx_policy policy;
    vmx_policy_default(&policy);
    policy.preemption_timer = VMX_WANT_OFF; /* nothing uses it yet; a zero timer exits at once */
    if (!vmx_controls_choose(&caps, &policy, &controls, why, wlen))
        return false;
    if (!caps.ept_wb) {
        /* npt_ept_pointer() asks for write-back paging structures. */
        ksnprintf(why, wlen, "EPT paging structures cannot be write-back on this CPU");
        return false;
    }
    vmx_caps_feature_string(&caps, features, flen);
    return true;
}

/* On the calling CPU: VMXON with a region of its own. */
static int vmx_enable_cpu(void)
{
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
    write_cr0((read_cr0() | caps.msr.cr0_fixed0) & caps.msr.cr0_fixed1);
    write_cr4((read_cr4() | caps.msr.cr4_fixed0 | CR4_VMXE) & caps.msr.cr4_fixed1);
    struct vmx_cpu *vc = kzalloc(sizeof(*vc));
    vc->vmxon_pa = mem_alloc_pages(0);
    vc->current_vmcs = VMX_NO_VMCS;
    *(u32 *)phys_to_virt(vc->vmxon_pa) = caps.vmcs_revision;
    if (!vmxon(vc->vmxon_pa)) {
        kprintf("bookvisor: VMXON failed on CPU %u\n", c->index);
        return -1;
    }
    c->backend = vc;
    return 0;
}

/* Cold: make v's VMCS current. Not while another vCPU is in its run loop on
 * this CPU: it would resume on the wrong VMCS after the exit being handled. */
static void __attribute__((noinline, cold)) vmcs_load(struct vmx_cpu *vc, struct vcpu *v,
                                                      const char *op)
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
 * Before any VMREAD/VMWRITE for v outside the exit path: v must be this
 * CPU's, and its VMCS current. The common case costs two compares.
 */
static inline void vmcs_use(struct vcpu *v, const char *op)
{
    vcpu_assert_own_cpu(v, op);
    struct vmx_cpu *vc = v->cpu->backend;
    if (__builtin_expect(vc->current_vmcs != ((struct vmx_vcpu *)v->arch)->vmcs_pa, 0))
        vmcs_load(vc, v, op);
}

/*
 * The guest's CR2 is not in the VMCS: while a guest runs, and after its
 * exits, the CPU's own CR2 holds it (the VMM takes no page fault). With
 * several vCPUs on a CPU, the register belongs to the last one run
 * (vc->cr2_owner); the others keep theirs in x->cr2.
 */
static u64 cr2_read(struct vcpu *v)
{
    const struct vmx_cpu *vc = v->cpu->backend;
    return vc->cr2_owner == v ? read_cr2() : ((struct vmx_vcpu *)v->arch)->cr2;
}

static void cr2_write(struct vcpu *v, u64 value)
{
    const struct vmx_cpu *vc = v->cpu->backend;
    if (vc->cr2_owner == v)
        write_cr2(value);
    else
        ((struct vmx_vcpu *)v->arch)->cr2 = value;
}

/* Before v runs: the register takes v's CR2, the previous owner keeps its own. */
static void cr2_claim(struct vmx_cpu *vc, struct vcpu *v)
{
    if (vc->cr2_owner == v)
        return;
    if (vc->cr2_owner)
        ((struct vmx_vcpu *)vc->cr2_owner->arch)->cr2 = read_cr2();
    write_cr2(((struct vmx_vcpu *)v->arch)->cr2);
    vc->cr2_owner = v;
}

static void write_segment(u64 sel, u64 base, u64 limit, u64 ar, const struct vmx_segment *s)
{
    vmwrite(sel, s->sel);
    vmwrite(base, s->base);
    vmwrite(limit, s->limit);
    vmwrite(ar, s->ar);
}

static void msr_bitmap_set(u8 *bm, u32 msr, bool read, bool write)
{
    u32 off;
    if (msr <= 0x1FFF)
        off = 0;
    else if (msr >= 0xC0000000 && msr <= 0xC0001FFF)
        off = 0x400, msr -= 0xC0000000;
    else
        return; /* outside the bitmap: always exits */
    u8 bit = (u8)(1u << (msr % 8));
    if (read)
        bm[off + msr / 8] |= bit;
    else
        bm[off + msr / 8] &= (u8)~bit;
    if (write)
        bm[0x800 + off + msr / 8] |= bit;
    else
        bm[0x800 + off + msr / 8] &= (u8)~bit;
}

/* The bitmaps are memory the CPU reads at each access check, not VMCS
 * fields: any CPU may change them, with no VMCS current. */
static void vmx_set_msr_intercept(struct vcpu *v, u32 msr, bool read, bool write)
{
    msr_bitmap_set(((struct vmx_vcpu *)v->arch)->msr_bitmap, msr, read, write);
}

/*
 * What each generic intercept means on VT-x. Most of them exit whatever the
 * VMM wants (SDM vol. 3, "Instructions That Cause VM Exits Unconditionally":
 * CPUID, INVD, VMCALL and the other VMX instructions; a triple fault and
 * INIT always exit too); CR0 and CR4 writes that change a bit VMX owns or
 * the guest's CPU lacks exit through the guest/host masks, and the CPU
 * checks the rest itself. HLT and external interrupts have a control of
 * their own; the interrupt is not acknowledged at the exit (no "acknowledge
 * interrupt on exit"): it stays pending until the VMM takes it with its own
 * IDT (desc_take_interrupt()).
 */
static bool vmx_set_intercept(struct vcpu *v, enum vm_intercept what)
{
    u64 field = VMCS_PROC_CONTROLS, cap = caps.proc_ctl;
    u32 bit = VMX_PROC_HLT_EXITING;
    switch (what) {
    case VM_INTERCEPT_CPUID: case VM_INTERCEPT_INVD: case VM_INTERCEPT_HYPERCALL:
    case VM_INTERCEPT_VIRT_INSNS: case VM_INTERCEPT_SHUTDOWN: case VM_INTERCEPT_INIT:
    case VM_INTERCEPT_CR0_WRITE: case VM_INTERCEPT_CR4_WRITE:
        return true; /* the CR masks: see vmx_cr_masks_compute() */
    case VM_INTERCEPT_HLT:
        break;
    case VM_INTERCEPT_EXTERNAL_INTERRUPT:
        field = VMCS_PIN_CONTROLS, cap = caps.pin_ctl, bit = VMX_PIN_EXT_INTR_EXITING;
        break;
    default:
        return false;
    }
    vmcs_use(v, "set_intercept");
    u32 value = (u32)vmread(field) | bit;
    if (vmx_control_bad_bits(cap, value) & bit)
        return false;
    vmwrite(field, value);
    return true;
}

static void vmx_set_io_intercept(struct vcpu *v, u16 port, bool on)
{
    u8 *bm = ((struct vmx_vcpu *)v->arch)->io_bitmap;
    if (on)
        bm[port / 8] |= (u8)(1u << (port % 8));
    else
        bm[port / 8] &= (u8)~(1u << (port % 8));
}

/* The host state of a VMCS of CPU c: what every exit loads. Written once,
 * when the VMCS is made: it is used on c only (v->cpu). */
static void write_host_state(const struct cpu *c)
{
    struct desc_table_reg gdt, idt;
    u64 tss;
    desc_get_host_tables(c, &gdt, &idt, &tss);
    vmwrite(VMCS_HOST_CR0, read_cr0());
    vmwrite(VMCS_HOST_CR3, read_cr3());
    vmwrite(VMCS_HOST_CR4, read_cr4());
    vmwrite(VMCS_HOST_CS_SEL, SEL_CODE64);
    vmwrite(VMCS_HOST_SS_SEL, SEL_DATA);
    vmwrite(VMCS_HOST_DS_SEL, SEL_DATA);
    vmwrite(VMCS_HOST_ES_SEL, SEL_DATA);
    vmwrite(VMCS_HOST_FS_SEL, 0);
    vmwrite(VMCS_HOST_GS_SEL, 0);
    vmwrite(VMCS_HOST_TR_SEL, SEL_TSS);
    vmwrite(VMCS_HOST_FS_BASE, 0);
    vmwrite(VMCS_HOST_GS_BASE, (u64)(uintptr_t)c); /* this_cpu() after every exit */
    vmwrite(VMCS_HOST_TR_BASE, tss);
    vmwrite(VMCS_HOST_GDTR_BASE, gdt.base);
    vmwrite(VMCS_HOST_IDTR_BASE, idt.base);
    vmwrite(VMCS_HOST_SYSENTER_CS, 0);
    vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
    vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
    if (controls.exit & VMX_EXIT_LOAD_EFER)
        vmwrite(VMCS_HOST_EFER, rdmsr(MSR_IA32_EFER));
    if (controls.exit & VMX_EXIT_LOAD_PAT)
        vmwrite(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
    vmwrite(VMCS_HOST_RIP, (u64)(uintptr_t)vmx_exit_point);
}

/* CR0 and CR4 as the guest wrote them go to the read shadows; the real
 * registers get the bits VMX operation needs (vmx_guest_state.h). */
static void write_cr0_guest(struct vmx_vcpu *x, u64 value)
{
    vmwrite(VMCS_CR0_READ_SHADOW, value);
    vmwrite(VMCS_GUEST_CR0, vmx_cr0_real(&caps, &x->cr, value));
}

static void write_cr4_guest(struct vmx_vcpu *x, u64 value)
{
    vmwrite(VMCS_CR4_READ_SHADOW, value);
    vmwrite(VMCS_GUEST_CR4, vmx_cr4_real(&caps, &x->cr, value));
}

/* The guest-state area, as vmx_guest_state_encode() computed it. */
static void write_guest_state(const struct vmx_vmcs_snapshot *g)
{
    write_segment(VMCS_GUEST_CS_SEL, VMCS_GUEST_CS_BASE, VMCS_GUEST_CS_LIMIT, VMCS_GUEST_CS_AR, &g->guest.cs);
    write_segment(VMCS_GUEST_DS_SEL, VMCS_GUEST_DS_BASE, VMCS_GUEST_DS_LIMIT, VMCS_GUEST_DS_AR, &g->guest.ds);
    write_segment(VMCS_GUEST_ES_SEL, VMCS_GUEST_ES_BASE, VMCS_GUEST_ES_LIMIT, VMCS_GUEST_ES_AR, &g->guest.es);
    write_segment(VMCS_GUEST_FS_SEL, VMCS_GUEST_FS_BASE, VMCS_GUEST_FS_LIMIT, VMCS_GUEST_FS_AR, &g->guest.fs);
    write_segment(VMCS_GUEST_GS_SEL, VMCS_GUEST_GS_BASE, VMCS_GUEST_GS_LIMIT, VMCS_GUEST_GS_AR, &g->guest.gs);
    write_segment(VMCS_GUEST_SS_SEL, VMCS_GUEST_SS_BASE, VMCS_GUEST_SS_LIMIT, VMCS_GUEST_SS_AR, &g->guest.ss);
    write_segment(VMCS_GUEST_TR_SEL, VMCS_GUEST_TR_BASE, VMCS_GUEST_TR_LIMIT, VMCS_GUEST_TR_AR, &g->guest.tr);
    write_segment(VMCS_GUEST_LDTR_SEL, VMCS_GUEST_LDTR_BASE, VMCS_GUEST_LDTR_LIMIT, VMCS_GUEST_LDTR_AR,
                  &g->guest.ldtr);
    vmwrite(VMCS_GUEST_GDTR_BASE, g->guest.gdtr_base);
    vmwrite(VMCS_GUEST_GDTR_LIMIT, g->guest.gdtr_limit);
    vmwrite(VMCS_GUEST_IDTR_BASE, g->guest.idtr_base);
    vmwrite(VMCS_GUEST_IDTR_LIMIT, g->guest.idtr_limit);
    vmwrite(VMCS_GUEST_CR0, g->guest.cr0);
    vmwrite(VMCS_GUEST_CR4, g->guest.cr4);
    vmwrite(VMCS_GUEST_CR3, g->guest.cr3);
    vmwrite(VMCS_GUEST_DR7, g->guest.dr7);
    vmwrite(VMCS_GUEST_RSP, g->guest.rsp);
    vmwrite(VMCS_GUEST_RIP, g->guest.rip);
    vmwrite(VMCS_GUEST_RFLAGS, g->guest.rflags);
    vmwrite(VMCS_GUEST_DEBUGCTL, g->guest.debugctl);
    vmwrite(VMCS_GUEST_SYSENTER_CS, g->guest.sysenter_cs);
    vmwrite(VMCS_GUEST_SYSENTER_ESP, g->guest.sysenter_esp);
    vmwrite(VMCS_GUEST_SYSENTER_EIP, g->guest.sysenter_eip);
    vmwrite(VMCS_GUEST_EFER, g->guest.efer);
    vmwrite(VMCS_GUEST_PAT, g->guest.pat);
    vmwrite(VMCS_GUEST_ACTIVITY_STATE, g->guest.activity);
    vmwrite(VMCS_GUEST_INTERRUPTIBILITY, g->guest.interruptibility);
    vmwrite(VMCS_GUEST_PENDING_DBG, g->guest.pending_dbg);
    vmwrite(VMCS_LINK_POINTER, g->guest.link_pointer);
}

static int vmx_vcpu_init(struct vcpu *v, const struct vcpu_init_state *st)
{
    struct vmx_vmcs_snapshot g; /* only its guest part and entry controls are used */
    char why[96];

    memset(&g, 0, sizeof(g));
    g.ctl.entry = controls.entry;
    if (!vmx_guest_state_encode(st, &caps, controls.proc2, &g, why, sizeof(why))) {
        kprintf("bookvisor: %s\n", why);
        return -1;
    }
    struct cpu *me = this_cpu();
    struct vmx_cpu *vc = me->backend;
    if (!vc) {
        kprintf("bookvisor: vmx: vCPU %u: VMX is not on on CPU %u\n", v->id, me->index);
        return -1;
    }
    u16 vpid = 0;
    if ((controls.proc2 & VMX_PROC2_VPID) && !(vpid = vpid_alloc())) {
        kprintf("bookvisor: vmx: vCPU %u: all %u VPIDs are in use\n", v->id, VPID_COUNT);
        return -1;
    }
    struct vmx_vcpu *x = kzalloc(sizeof(*x));
    x->vpid = vpid;
    v->arch = x;
    v->cpu = me;
    v->gprs = st->gprs;
    x->vmcs_pa = mem_alloc_pages(0);
    *(u32 *)phys_to_virt(x->vmcs_pa) = caps.vmcs_revision;
    u64 io_pa = mem_alloc_pages(1);
    u64 msr_pa = mem_alloc_pages(0);
    x->io_bitmap = phys_to_virt(io_pa);
    x->msr_bitmap = phys_to_virt(msr_pa);
    if (vc->running)
        panic("vmx vcpu_init of vCPU %u during an exit of vCPU %u on this CPU", v->id,
              vc->running->id);
    if (!vmclear(x->vmcs_pa) || !vmptrld(x->vmcs_pa)) {
        kprintf("bookvisor: VMCLEAR/VMPTRLD failed\n");
        return -1;
    }
    vc->current_vmcs = x->vmcs_pa;
    vmx_cr_masks_compute(&caps, controls.proc2, guest_vm_of(v)->cr_features.cr4, &x->cr);

    vmwrite(VMCS_PIN_CONTROLS, controls.pin);
    vmwrite(VMCS_PROC_CONTROLS, controls.proc);
    if (controls.proc & VMX_PROC_SECONDARY_CONTROLS)
        vmwrite(VMCS_PROC2_CONTROLS, controls.proc2);
    vmwrite(VMCS_EXIT_CONTROLS, controls.exit);
    vmwrite(VMCS_ENTRY_CONTROLS, g.ctl.entry); /* "IA-32e mode guest" = EFER.LMA */
    vmwrite(VMCS_EXCEPTION_BITMAP, 0);
    vmwrite(VMCS_CR3_TARGET_COUNT, 0);
    vmwrite(VMCS_IO_BITMAP_A, io_pa);
    vmwrite(VMCS_IO_BITMAP_B, io_pa + 4096);
    vmwrite(VMCS_MSR_BITMAP, msr_pa);
    vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
    vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
    vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
    vmwrite(VMCS_ENTRY_INTR_INFO, 0);
    vmwrite(VMCS_CR0_GUEST_HOST_MASK, x->cr.cr0_mask);
    vmwrite(VMCS_CR4_GUEST_HOST_MASK, x->cr.cr4_mask);
    vmwrite(VMCS_CR0_READ_SHADOW, st->cr0);
    vmwrite(VMCS_CR4_READ_SHADOW, st->cr4);
    if (controls.proc2 & VMX_PROC2_VPID)
        vmwrite(VMCS_VPID, x->vpid);
    write_host_state(me);
    write_guest_state(&g);

    /* test.corrupt=guest-cs: break one rule on purpose (tests of the checker). */
    if (vmm_options.test_corrupt == OPT_CORRUPT_GUEST_CS)
        vmwrite(VMCS_GUEST_CS_AR, vmread(VMCS_GUEST_CS_AR) & ~VMX_AR_P);
    /* test.corrupt=control: set a primary control the CPU does not allow. */
    if (vmm_options.test_corrupt == OPT_CORRUPT_CONTROL) {
        u32 not_allowed = ~(u32)(caps.proc_ctl >> 32);
        if (not_allowed)
            vmwrite(VMCS_PROC_CONTROLS, controls.proc | (not_allowed & -not_allowed));
    }
    return 0;
}

static u64 vmx_get_reg(struct vcpu *v, enum vcpu_reg r)
{
    vmcs_use(v, "get_reg");
    struct vmx_vcpu *x = v->arch;
    switch (r) {
    case VCPU_REG_RIP: return vmread(VMCS_GUEST_RIP);
    case VCPU_REG_RSP: return vmread(VMCS_GUEST_RSP);
    case VCPU_REG_RFLAGS: return vmread(VMCS_GUEST_RFLAGS);
    case VCPU_REG_CR0:
        return (vmread(VMCS_GUEST_CR0) & ~x->cr.cr0_mask) | (vmread(VMCS_CR0_READ_SHADOW) & x->cr.cr0_mask);
    case VCPU_REG_CR2: return cr2_read(v);
    case VCPU_REG_CR3: return vmread(VMCS_GUEST_CR3);
    case VCPU_REG_CR4:
        return (vmread(VMCS_GUEST_CR4) & ~x->cr.cr4_mask) | (vmread(VMCS_CR4_READ_SHADOW) & x->cr.cr4_mask);
    case VCPU_REG_EFER: return vmread(VMCS_GUEST_EFER);
    case VCPU_REG_CS_BASE: return vmread(VMCS_GUEST_CS_BASE);
    case VCPU_REG_CS_ATTR: {
        u64 ar = vmread(VMCS_GUEST_CS_AR);
        return (ar & 0xFF) | ((ar >> 4) & 0xF00); /* generic (AMD) layout */
    }
    case VCPU_REG_SS_ATTR: {
        u64 ar = vmread(VMCS_GUEST_SS_AR);
        return (ar & 0xFF) | ((ar >> 4) & 0xF00);
    }
    /* DR6 is not in the VMCS: VT-x leaves the register to the guest, and
     * the VMM uses none (with several vCPUs on a CPU it would need
     * switching, as CR2 does). */
    case VCPU_REG_DR6: return read_dr6();
    case VCPU_REG_ES_BASE: return vmread(VMCS_GUEST_ES_BASE);
    case VCPU_REG_SS_BASE: return vmread(VMCS_GUEST_SS_BASE);
    case VCPU_REG_DS_BASE: return vmread(VMCS_GUEST_DS_BASE);
    case VCPU_REG_FS_BASE: return vmread(VMCS_GUEST_FS_BASE);
    case VCPU_REG_GS_BASE: return vmread(VMCS_GUEST_GS_BASE);
    default: return 0;
    }
}

static void set_ia32e(bool on)
{
    u64 entry = vmread(VMCS_ENTRY_CONTROLS);
    entry = on ? (entry | VMX_ENTRY_IA32E_MODE_GUEST) : (entry & ~(u64)VMX_ENTRY_IA32E_MODE_GUEST);
    vmwrite(VMCS_ENTRY_CONTROLS, entry);
}

static void vmx_set_reg(struct vcpu *v, enum vcpu_reg r, u64 value)
{
    vmcs_use(v, "set_reg");
    struct vmx_vcpu *x = v->arch;
    switch (r) {
    case VCPU_REG_RIP: vmwrite(VMCS_GUEST_RIP, value); break;
    case VCPU_REG_RSP: vmwrite(VMCS_GUEST_RSP, value); break;
    case VCPU_REG_RFLAGS: vmwrite(VMCS_GUEST_RFLAGS, value); break;
    case VCPU_REG_CR0: {
        /* Paging switched by an emulated write: EFER.LMA follows, as in hardware. */
        u64 efer = vmread(VMCS_GUEST_EFER);
        if ((efer & EFER_LME) && (value & CR0_PG))
            efer |= EFER_LMA;
        else if (!(value & CR0_PG))
            efer &= ~(u64)EFER_LMA;
        vmwrite(VMCS_GUEST_EFER, efer);
        set_ia32e(efer & EFER_LMA);
        write_cr0_guest(x, value);
        break;
    }
    case VCPU_REG_CR2: cr2_write(v, value); break;
    case VCPU_REG_CR3: vmwrite(VMCS_GUEST_CR3, value); break;
    case VCPU_REG_CR4: write_cr4_guest(x, value); break;
    case VCPU_REG_EFER:
        vmwrite(VMCS_GUEST_EFER, value);
        set_ia32e(value & EFER_LMA);
        break;
    case VCPU_REG_DR6: write_dr6(value); break;
    default: break;
    }
}

static void decode_exit(struct vcpu *v, struct vm_exit *e)
{
    /* Hot path: read only the fields this exit needs, and no memset. Each
     * case fills the details its kind defines; handlers read only those. */
    u32 raw = (u32)vmread(VMCS_EXIT_REASON);
    struct vmx_exit_reason reason;
    vmx_exit_reason_split(raw, &reason);
    e->native_code = reason.basic;
    e->raw_info2 = 0;
    if (reason.entry_failure) {
        e->kind = VM_EXIT_INVALID_STATE;
        e->native_code = raw;
        e->raw_info1 = vmread(VMCS_EXIT_QUALIFICATION);
        return;
    }
    e->insn_len = (u8)vmread(VMCS_EXIT_INSN_LEN);
    e->kind = vmx_exit_kind_of(reason.basic);
    u64 qual = 0;
    switch (e->kind) {
    case VM_EXIT_IO: case VM_EXIT_CR_ACCESS: case VM_EXIT_NESTED_PAGE_FAULT: case VM_EXIT_SIPI:
        qual = vmread(VMCS_EXIT_QUALIFICATION);
        break;
    default:
        break;
    }
    e->raw_info1 = qual;
    /* The kind is known; fill its details, and refine the kinds the reason
     * alone cannot settle (vmx_exit_kind_of() says which). */
    switch (e->kind) {
    case VM_EXIT_RDMSR: case VM_EXIT_WRMSR: e->details.msr = (u32)v->gprs.rcx; break;
    case VM_EXIT_SIPI: e->details.vector = qual & 0xFF; break;
    case VM_EXIT_IO: {
        struct vmx_io_qual q;
        if (!vmx_decode_io(qual, &q))
            e->kind = VM_EXIT_UNKNOWN;
        vmx_io_to_generic(&q, &e->details.io);
        break;
    }
    case VM_EXIT_CR_ACCESS: {
        struct vmx_cr_qual q;
        if (!vmx_decode_cr(qual, &q))
            e->kind = VM_EXIT_UNKNOWN;
        vmx_cr_to_generic(&q, &e->details.cr);
        break;
    }
    case VM_EXIT_NESTED_PAGE_FAULT: {
        struct vmx_ept_qual q;
        vmx_decode_ept(qual, &q);
        e->raw_info2 = vmread(VMCS_GUEST_PHYSICAL_ADDR);
        vmx_ept_to_generic(&q, e->raw_info2, q.gla_valid ? vmread(VMCS_GUEST_LINEAR_ADDR) : 0,
                           &e->details.npf);
        break;
    }
    case VM_EXIT_EXCEPTION: {
        /* Reason 0 covers both: the interruption type tells an NMI apart. */
        u32 info = (u32)vmread(VMCS_EXIT_INTR_INFO);
        if (((info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT) == VMX_INTR_TYPE_NMI) {
            /* A physical NMI (NMI exiting): the guest's to have, through the
             * event model; this CPU stays NMI-blocked until an IRET. */
            e->kind = VM_EXIT_NMI;
            desc_unblock_nmi();
        } else {
            e->details.exception.vector = info & 0xFF;
            e->details.exception.has_error = info & VMX_INTR_INFO_DELIVER_ERROR;
            e->details.exception.error_code = (u32)vmread(VMCS_EXIT_INTR_ERROR);
        }
        break;
    }
    default:
        break;
    }
}

/* The entry instruction failed (VMfail): nothing ran. Out of line: cold. */
static void __attribute__((noinline, cold)) report_entry_failure(struct vmx_cpu *vc,
                                                                 struct vmx_vcpu *x, int rc,
                                                                 struct vm_exit *e)
{
    int insn = rc & VMX_RUN_INSN_MASK;
    bool invalid = rc & VMX_RUN_FAIL_INVALID;
    x->entry_fail = rc;
    if (invalid) /* the CPU has no current VMCS, whatever was loaded */
        vc->current_vmcs = VMX_NO_VMCS;
    if (insn != VMX_RUN_HOST_RSP_FAILED) /* a failed VMWRITE of HOST_RSP leaves the launch state as it was */
        x->launched = insn == VMX_RUN_VMRESUME_FAILED;
    /* VMfailInvalid: there is no current VMCS, hence no error field (its VMREAD would fail too). */
    x->insn_error = invalid ? 0 : (u32)vmread(VMCS_INSN_ERROR);
    memset(e, 0, sizeof(*e));
    e->kind = VM_EXIT_INVALID_STATE;
    e->native_code = VM_EXIT_NATIVE_ENTRY_INSN_ERROR | x->insn_error; /* 0: no error number */
    if (invalid)
        kprintf("bookvisor: %s failed: VMfailInvalid: no current VMCS\n", vmx_failed_insn_name(rc));
    else
        kprintf("bookvisor: %s failed: VM-instruction error %u (%s)\n", vmx_failed_insn_name(rc),
                x->insn_error, vmx_instruction_error_name(x->insn_error));
}

/*
 * Interrupt-window exiting is on while common code asks for the window or
 * the backend waits for it itself (defer_interrupt()).
 */
static void write_interrupt_window(struct vcpu *v)
{
    const struct vmx_vcpu *x = v->arch;
    u32 proc = (u32)vmread(VMCS_PROC_CONTROLS) & ~VMX_PROC_INTR_WINDOW_EXITING;
    if (v->events.interrupt_window_open || x->extint_deferred)
        proc |= VMX_PROC_INTR_WINDOW_EXITING;
    vmwrite(VMCS_PROC_CONTROLS, proc);
}

/*
 * External-interrupt exiting makes an interrupt exit whatever the guest's
 * RFLAGS.IF says. Taken now, it would be acknowledged at the controller
 * before the guest could take it, at whatever vector the controller has at
 * this moment (a guest still booting may reprogram it before its STI, and on
 * bare metal it would then come at the new vector, or not at all). So while
 * the guest cannot take an interrupt, leave it pending: external-interrupt
 * exiting goes off and the interrupt window on; at the window exit exiting
 * comes back, and the interrupt, if still pending, exits at once, now
 * takeable (chapter 04, "External interrupts").
 */
static void defer_interrupt(struct vcpu *v, struct vm_exit *e)
{
    struct vmx_vcpu *x = v->arch;
    bool can_take = (vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF) &&
                    !(vmread(VMCS_GUEST_INTERRUPTIBILITY) & VMX_BLOCKING_SHADOW);
    e->details.interrupt.left_pending = !can_take;
    if (can_take)
        return;
    x->extint_deferred = true;
    vmwrite(VMCS_PIN_CONTROLS, vmread(VMCS_PIN_CONTROLS) & ~(u64)VMX_PIN_EXT_INTR_EXITING);
    write_interrupt_window(v);
}

/* The window the backend waited for itself: external-interrupt exiting again. */
static void end_deferral(struct vcpu *v)
{
    struct vmx_vcpu *x = v->arch;
    x->extint_deferred = false;
    vmwrite(VMCS_PIN_CONTROLS, vmread(VMCS_PIN_CONTROLS) | VMX_PIN_EXT_INTR_EXITING);
    write_interrupt_window(v);
}

/*
 * Every exit but CPUID: full decode, and the event whose delivery the exit
 * cut short, for common code to take back (chapter 08). Two NMI rules of
 * the SDM (vol. 3, 27.2.3 and 27.3.4) are kept here, where the fields are
 * read: a cut-short NMI left virtual-NMI blocking set, which must go (the
 * NMI was never delivered, and an entry that injects an NMI requires it
 * clear); and an EPT violation during an IRET that had ended the blocking
 * (exit qualification bit 12) runs the IRET again, so the blocking is put
 * back until it does.
 */
static void __attribute__((noinline)) decode_exit_slow(struct vcpu *v, struct vm_exit *e)
{
    decode_exit(v, e);
    if (e->kind == VM_EXIT_EXTERNAL_INTERRUPT)
        defer_interrupt(v, e);
    else if (e->kind == VM_EXIT_INTERRUPT_WINDOW && ((struct vmx_vcpu *)v->arch)->extint_deferred)
        end_deferral(v);
    u32 idt = (u32)vmread(VMCS_IDT_VECTORING_INFO);
    u32 err = (idt & VMX_INTR_INFO_DELIVER_ERROR) ? (u32)vmread(VMCS_IDT_VECTORING_ERROR) : 0;
    vmx_cut_short_decode(idt, err, &e->cut_short);
    bool iret_unblocked = e->kind == VM_EXIT_NESTED_PAGE_FAULT && (e->raw_info1 & (1u << 12));
    if (e->cut_short.delivery == VM_DELIVERY_NMI || (iret_unblocked && !(idt & VMX_INTR_INFO_VALID))) {
        u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
        if (e->cut_short.delivery == VM_DELIVERY_NMI)
            intr &= ~(u64)VMX_INTERRUPTIBILITY_NMI;
        else
            intr |= VMX_INTERRUPTIBILITY_NMI;
        vmwrite(VMCS_GUEST_INTERRUPTIBILITY, intr);
    }
}

/* Inlined into the hot path; the ops table gets an out-of-line copy. */
static inline __attribute__((always_inline)) enum vm_skip vmx_skip_instruction(struct vcpu *v,
                                                                              const struct vm_exit *e)
{
    (void)v;
    if (!e->insn_len)
        return VM_SKIP_FAILED;
    u64 rip = vmread(VMCS_GUEST_RIP) + e->insn_len;
    /* Only a RIP that crosses 4 GiB needs the mode: outside 64-bit code EIP wraps. */
    if ((rip >> 32) && !((vmread(VMCS_GUEST_EFER) & EFER_LMA) && (vmread(VMCS_GUEST_CS_AR) & VMX_AR_L)))
        rip &= 0xFFFFFFFF;
    vmwrite(VMCS_GUEST_RIP, rip);
    u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
    if (intr & VMX_BLOCKING_SHADOW)
        vmwrite(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(u64)VMX_BLOCKING_SHADOW);
    return __builtin_expect(vmread(VMCS_GUEST_RFLAGS) & RFLAGS_TF, 0) ? VM_SKIP_DONE_SINGLE_STEP
                                                                     : VM_SKIP_DONE;
}

/* The ops table's copy, for callers outside the exit path: v's VMCS first. */
static enum vm_skip vmx_skip_instruction_op(struct vcpu *v, const struct vm_exit *e)
{
    vmcs_use(v, "skip_instruction");
    return vmx_skip_instruction(v, e);
}

/* Nested mappings changed: flush what the TLB cached of them (v's VMCS is current). */
static void vmx_flush_nested_tlb(struct vcpu *v)
{
    vmcs_use(v, "flush_nested_tlb");
    struct vmx_vcpu *x = v->arch;
    invept(caps.invept_single ? 1 : 2, x->eptp);
}

/*
 * Hot path: vmx_run_loop calls this at every exit. Things it does NOT do,
 * and why that is right:
 * - clear VMCS_ENTRY_INTR_INFO: every VM exit clears its valid bit (SDM vol. 3,
 *   "Updating VM-entry control fields"), except a failed entry, which stops
 *   the guest anyway;
 * - read the IDT-vectoring information for a CPUID exit: an exit caused by
 *   executing an instruction cannot happen while an event is being delivered.
 */
bool vmx_on_exit(struct vcpu *v)
{
    struct vm_exit e;
    u64 reason = vmread(VMCS_EXIT_REASON);
    if (__builtin_expect(reason == VMX_EXIT_CPUID, 1)) {
        e.kind = VM_EXIT_CPUID;
        e.native_code = VMX_EXIT_CPUID;
        e.insn_len = (u8)vmread(VMCS_EXIT_INSN_LEN);
        e.raw_info1 = 0;
        e.raw_info2 = 0;
        e.cut_short.delivery = VM_DELIVERY_NONE;
    } else {
        decode_exit_slow(v, &e);
    }
    return vcpu_handle_exit_inline(v, &e, vmx_skip_instruction);
}

static void vmx_run(struct vcpu *v)
{
    vmcs_use(v, "run");
    struct vmx_vcpu *x = v->arch;
    struct vmx_cpu *vc = v->cpu->backend;
    cr2_claim(vc, v);
    vc->running = v;
    if (!vcpu_before_entry(v)) {
        vc->running = NULL;
        return;
    }
    int rc = vmx_run_loop(v, x->launched);
    vc->running = NULL;
    if (rc == VMX_RUN_STOPPED) {
        x->launched = true; /* it exited at least once: the next entry resumes */
        return;
    }
    struct vm_exit e;
    report_entry_failure(vc, x, rc, &e);
    vcpu_handle_exit(v, &e);
}

static void vmx_get_interruptibility(struct vcpu *v, struct event_interruptibility *out)
{
    vmcs_use(v, "get_interruptibility");
    u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
    out->interrupts_enabled = (vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF) != 0;
    out->shadow = (intr & VMX_BLOCKING_SHADOW) != 0;
    out->nmi_blocked = (intr & VMX_INTERRUPTIBILITY_NMI) != 0; /* virtual-NMI blocking */
}

/*
 * The two windows are processor-based controls: interrupt-window exiting
 * exits before the first instruction at which RFLAGS.IF = 1 and no shadow
 * blocks; NMI-window exiting (which needs virtual NMIs, vmx_controls_choose())
 * before the first at which there is no virtual-NMI blocking. Both are
 * allowed by every CPU that has virtual NMIs, and refused here otherwise.
 */
static void vmx_set_event_windows(struct vcpu *v, bool interrupt_window, bool nmi_window)
{
    vmcs_use(v, "set_event_windows");
    const u32 both = VMX_PROC_INTR_WINDOW_EXITING | VMX_PROC_NMI_WINDOW_EXITING;
    u32 proc = (u32)vmread(VMCS_PROC_CONTROLS) & ~both;
    if (interrupt_window || ((struct vmx_vcpu *)v->arch)->extint_deferred)
        proc |= VMX_PROC_INTR_WINDOW_EXITING;
    if (nmi_window)
        proc |= VMX_PROC_NMI_WINDOW_EXITING;
    if (vmx_control_bad_bits(caps.proc_ctl, proc) & both)
        panic("vmx: this CPU refuses the %s window control", interrupt_window ? "interrupt" : "NMI");
    vmwrite(VMCS_PROC_CONTROLS, proc);
}

static void vmx_inject(struct vcpu *v, const struct vm_event *ev)
{
    vmcs_use(v, "inject");
    u32 type = ev->type == VM_EVENT_EXTERNAL_INTERRUPT ? VMX_INTR_TYPE_EXT_INTR
             : ev->type == VM_EVENT_NMI ? VMX_INTR_TYPE_NMI : VMX_INTR_TYPE_HW_EXCEPTION;
    u32 info = ev->vector | (type << VMX_INTR_INFO_TYPE_SHIFT) | VMX_INTR_INFO_VALID;
    /* Real mode has no error codes, and VM entry refuses one there. The real
     * CR0, not the read shadow: with unrestricted guest PE is the guest's own
     * bit, outside the mask, so the shadow keeps whatever was written last. */
    bool pm = vmread(VMCS_GUEST_CR0) & CR0_PE;
    if (ev->has_error && pm) {
        info |= VMX_INTR_INFO_DELIVER_ERROR;
        vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, ev->error_code);
    }
    vmwrite(VMCS_ENTRY_INTR_INFO, info);
}

static void vmx_set_nested_root(struct vcpu *v, u64 root_pa)
{
    vmcs_use(v, "set_nested_root");
    struct vmx_vcpu *x = v->arch;
    x->eptp = npt_ept_pointer(root_pa, false);
    vmwrite(VMCS_EPT_POINTER, x->eptp);
    vcpu_request_nested_flush(v);
}

static bool vmx_nested_1g_pages(void)
{
    return caps.ept_1g;
}

static void vmx_dump_state(struct vcpu *v)
{
    vmcs_use(v, "dump_state");
    const struct vmx_vcpu *x = v->arch;
    vmx_report_state(v, &caps, x->entry_fail, x->insn_error);
}

const struct backend_ops vmx_backend = {
    .name = "vmx",
    .probe = vmx_probe,
    .enable_cpu = vmx_enable_cpu,
    .vcpu_init = vmx_vcpu_init,
    .run = vmx_run,
    .get_reg = vmx_get_reg,
    .set_reg = vmx_set_reg,
    .skip_instruction = vmx_skip_instruction_op,
    .inject = vmx_inject,
    .get_interruptibility = vmx_get_interruptibility,
    .set_event_windows = vmx_set_event_windows,
    .flush_nested_tlb = vmx_flush_nested_tlb,
    .set_io_intercept = vmx_set_io_intercept,
    .set_msr_intercept = vmx_set_msr_intercept,
    .set_intercept = vmx_set_intercept,
    .set_nested_root = vmx_set_nested_root,
    .nested_1g_pages = vmx_nested_1g_pages,
    .dump_state = vmx_dump_state,
    .uses_vmmcall = false,
    .hardware = "VT-x",
    .nested_format = &npt_format_ept,
};
