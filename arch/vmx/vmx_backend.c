/*
 * arch/vmx/vmx_backend.c - VT-x behind the backend interface (chapter 04).
 *
 * Mirrors arch/svm/svm_backend.c: it builds a VMCS from the generic initial
 * state with every control derived from the capability MSRs, runs the guest,
 * and applies common code's decisions. When VM entry fails it runs the
 * entry checker (vmx_check.c) over a snapshot of the VMCS and prints each
 * broken rule by name. This file holds the probe, the vCPU's VMCS set-up and
 * intercepts, registers, run and the operations table; the per-CPU side, the
 * event side and the exit path have files of their own (vmx_internal.h).
 */
#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_enter.h"
#include "arch/vmx/vmx_insn.h"
#include "arch/vmx/vmx_internal.h"
#include "arch/vmx/vmx_msr_bitmap.h"
#include "arch/vmx/vmx_report.h"
#include "arch/vmx/vmx_usable.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "common/base/panic.h"
#include "common/lib/format.h"
#include "common/lib/kstring.h"
#include "common/npt/npt_format.h"
#include "common/vm/exit_dispatch.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vcpu_entry.h"

/* Both filled by vmx_probe() on the boot CPU, read-only afterwards (vmx_internal.h). */
struct vmx_caps vmx_machine_caps;
struct vmx_control_set vmx_machine_controls;

extern char vmx_exit_point[];

/* Read and decode the capability MSRs; false when BASIC describes no usable VMCS. */
static bool read_cap_msrs(void)
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
    return vmx_caps_decode(&m, &vmx_machine_caps);
}

static bool vmx_probe(const struct cpu_info *cpu, char *features, size_t flen, char *why,
                      size_t wlen)
{
    struct vmx_caps *caps = &vmx_machine_caps;
    struct vmx_control_set *controls = &vmx_machine_controls;
    /* One decision, pure and unit-tested (lab 1 part 2): read, then ask. The
     * MSRs exist whenever CPUID says VMX, locked by the firmware or not; an
     * unlocked FEATURE_CONTROL is fine: vmx_enable_cpu() locks it with VMX on. */
    u64 feature_control = 0;
    bool vmcs_ok = false;
    if (cpu->has_vmx) {
        feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
        vmcs_ok = read_cap_msrs();
    }
    enum vmx_verdict verdict = vmx_usable(cpu->has_vmx, feature_control, vmcs_ok, caps);
    if (verdict != VMX_USABLE) {
        ksnprintf(why, wlen, "%s", vmx_verdict_message(verdict));
        return false;
    }
    struct vmx_policy policy;
    vmx_policy_default(&policy);
    /* Not in the controls every entry uses: vmx_bound_run() turns it on
     * only while a VMM timer waits (a zero timer would exit at once). */
    policy.preemption_timer = VMX_WANT_OFF;
    if (!vmx_controls_choose(caps, &policy, controls, why, wlen))
        return false;
    vmx_caps_feature_string(caps, features, flen);
    if (!caps->preemption_timer)
        kprintf("bookvisor: vmx: no VMX-preemption timer: a guest that never exits delays "
                "the VMM's timers until it does\n");
    return true;
}

static void write_segment(u64 sel, u64 base, u64 limit, u64 ar, const struct vmx_segment *s)
{
    vmwrite(sel, s->sel);
    vmwrite(base, s->base);
    vmwrite(limit, s->limit);
    vmwrite(ar, s->ar);
}

/* The bitmaps are memory the CPU reads at each access check, not VMCS
 * fields: any CPU may change them, with no VMCS current. */
static void vmx_set_msr_intercept(struct vcpu *v, u32 msr, bool read, bool write)
{
    /* An MSR outside the bitmap has no bit: it exits whatever is asked. */
    (void)vmx_msr_bitmap_set(((struct vmx_vcpu *)v->arch)->msr_bitmap, msr, read, write);
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
    u64 field = VMCS_PROC_CONTROLS, cap = vmx_machine_caps.proc_ctl;
    u32 bit = VMX_PROC_HLT_EXITING;
    switch (what) {
    case VM_INTERCEPT_CPUID: case VM_INTERCEPT_INVD: case VM_INTERCEPT_HYPERCALL:
    case VM_INTERCEPT_VIRT_INSNS: case VM_INTERCEPT_SHUTDOWN: case VM_INTERCEPT_INIT:
    case VM_INTERCEPT_CR0_WRITE: case VM_INTERCEPT_CR4_WRITE:
        return true; /* the CR masks: see vmx_cr_masks_compute() */
    case VM_INTERCEPT_HLT:
        break;
    case VM_INTERCEPT_EXTERNAL_INTERRUPT:
        field = VMCS_PIN_CONTROLS, cap = vmx_machine_caps.pin_ctl, bit = VMX_PIN_EXT_INTR_EXITING;
        break;
    case VM_INTERCEPT_NMI: /* on already with virtual NMIs (vmx_controls.c) */
        field = VMCS_PIN_CONTROLS, cap = vmx_machine_caps.pin_ctl, bit = VMX_PIN_NMI_EXITING;
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
    const struct vmx_control_set *controls = &vmx_machine_controls;
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
    if (controls->exit & VMX_EXIT_LOAD_EFER)
        vmwrite(VMCS_HOST_EFER, rdmsr(MSR_IA32_EFER));
    if (controls->exit & VMX_EXIT_LOAD_PAT)
        vmwrite(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
    vmwrite(VMCS_HOST_RIP, (u64)(uintptr_t)vmx_exit_point);
}

/* CR0 and CR4 as the guest wrote them go to the read shadows; the real
 * registers get the bits VMX operation needs (vmx_guest_state.h). */
static void write_cr0_guest(struct vmx_vcpu *x, u64 value)
{
    vmwrite(VMCS_CR0_READ_SHADOW, value);
    vmwrite(VMCS_GUEST_CR0, vmx_cr0_real(&vmx_machine_caps, &x->cr, value));
}

static void write_cr4_guest(struct vmx_vcpu *x, u64 value)
{
    vmwrite(VMCS_CR4_READ_SHADOW, value);
    vmwrite(VMCS_GUEST_CR4, vmx_cr4_real(&vmx_machine_caps, &x->cr, value));
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
    const struct vmx_caps *caps = &vmx_machine_caps;
    const struct vmx_control_set *controls = &vmx_machine_controls;
    struct vmx_vmcs_snapshot g; /* only its guest part and entry controls are used */
    char why[96];

    memset(&g, 0, sizeof(g));
    g.ctl.entry = controls->entry;
    if (!vmx_guest_state_encode(st, caps, controls->proc2, &g, why, sizeof(why))) {
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
    if ((controls->proc2 & VMX_PROC2_VPID) && !(vpid = vmx_vpid_alloc())) {
        kprintf("bookvisor: vmx: vCPU %u: all %u VPIDs are in use\n", v->id, VMX_VPID_COUNT);
        return -1;
    }
    struct vmx_vcpu *x = kzalloc(sizeof(*x));
    x->vpid = vpid;
    v->arch = x;
    v->cpu = me;
    v->gprs = st->gprs;
    x->vmcs_pa = mem_alloc_pages(0);
    *(u32 *)phys_to_virt(x->vmcs_pa) = caps->vmcs_revision;
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
    vmx_cr_masks_compute(caps, controls->proc2, guest_vm_of(v)->cr_features.cr4, &x->cr);
    v->osxsave_writes_exit = true; /* the mask owns CR4.OSXSAVE: CPUID leaf 1 may be remembered */

    vmwrite(VMCS_PIN_CONTROLS, controls->pin);
    vmwrite(VMCS_PROC_CONTROLS, controls->proc);
    if (controls->proc & VMX_PROC_SECONDARY_CONTROLS)
        vmwrite(VMCS_PROC2_CONTROLS, controls->proc2);
    vmwrite(VMCS_EXIT_CONTROLS, controls->exit);
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
    if (controls->proc2 & VMX_PROC2_VPID)
        vmwrite(VMCS_VPID, x->vpid);
    /* XSAVES/XRSTORS run in the guest without exits: no IA32_XSS bit is
     * bookvisor's. Written, not left to the zeroed page (the field exists
     * only with the control). */
    if (controls->proc2 & VMX_PROC2_XSAVES)
        vmwrite(VMCS_XSS_EXITING_BITMAP, 0);
    write_host_state(me);
    write_guest_state(&g);

    /* test.corrupt=guest-cs: break one rule on purpose (tests of the checker). */
    if (vmm_options.test_corrupt == OPT_CORRUPT_GUEST_CS)
        vmwrite(VMCS_GUEST_CS_AR, vmread(VMCS_GUEST_CS_AR) & ~VMX_AR_P);
    /* test.corrupt=control: set a primary control the CPU does not allow. */
    if (vmm_options.test_corrupt == OPT_CORRUPT_CONTROL) {
        u32 not_allowed = ~(u32)(caps->proc_ctl >> 32);
        if (not_allowed)
            vmwrite(VMCS_PROC_CONTROLS, controls->proc | (not_allowed & -not_allowed));
    }
    return 0;
}

/* get_reg once v's VMCS is current; inline in both callers below. */
static inline __attribute__((always_inline)) u64 read_reg(struct vcpu *v, enum vcpu_reg r)
{
    struct vmx_vcpu *x = v->arch;
    switch (r) {
    case VCPU_REG_RIP: return vmread(VMCS_GUEST_RIP);
    case VCPU_REG_RSP: return vmread(VMCS_GUEST_RSP);
    case VCPU_REG_RFLAGS: return vmread(VMCS_GUEST_RFLAGS);
    case VCPU_REG_CR0:
        return (vmread(VMCS_GUEST_CR0) & ~x->cr.cr0_mask) | (vmread(VMCS_CR0_READ_SHADOW) & x->cr.cr0_mask);
    case VCPU_REG_CR2: return vmx_cr2_read(v);
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

/* Cold: v's VMCS is not current (or v is not this CPU's: vmcs_use() panics). */
static u64 __attribute__((noinline, cold)) get_reg_slow(struct vcpu *v, enum vcpu_reg r)
{
    vmcs_use(v, "get_reg");
    return read_reg(v, r);
}

/* Handlers call it several times per exit: the common case has no call in
 * it, so it needs no saved registers (chapter 14). */
static u64 vmx_get_reg(struct vcpu *v, enum vcpu_reg r)
{
    if (__builtin_expect(!vmcs_is_current(v), 0))
        return get_reg_slow(v, r);
    return read_reg(v, r);
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
        u64 was = vmread(VMCS_GUEST_EFER), efer = was;
        if ((efer & EFER_LME) && (value & CR0_PG))
            efer |= EFER_LMA;
        else if (!(value & CR0_PG))
            efer &= ~(u64)EFER_LMA;
        if (efer != was) { /* only a change of paging moves LMA: then the entry control follows */
            vmwrite(VMCS_GUEST_EFER, efer);
            set_ia32e(efer & EFER_LMA);
        }
        write_cr0_guest(x, value);
        break;
    }
    case VCPU_REG_CR2: vmx_cr2_write(v, value); break;
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

/* Nested mappings changed: flush what the TLB cached of them (v's VMCS is current). */
static void vmx_flush_nested_tlb(struct vcpu *v)
{
    vmcs_use(v, "flush_nested_tlb");
    struct vmx_vcpu *x = v->arch;
    invept(vmx_machine_caps.invept_single ? 1 : 2, x->eptp);
}

static void vmx_run(struct vcpu *v)
{
    vmcs_use(v, "run");
    struct vmx_vcpu *x = v->arch;
    struct vmx_cpu *vc = v->cpu->backend;
    vmx_cr2_claim(vc, v);
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

/*
 * Bound the guest's run by a VMM timer's deadline (chapter 07): the
 * VMX-preemption timer, on only while a timer waits, so an idle VMM leaves
 * every entry as it was. The hook before entry calls this before each entry
 * that needs the bound, and the value is written each time: the "save
 * VMX-preemption timer value" exit control is not needed, what the field
 * holds after an exit is never used. Without the timer (said at start-up)
 * nothing is bounded.
 */
static void vmx_bound_run(struct vcpu *v, u64 tsc_deadline)
{
    const struct vmx_caps *caps = &vmx_machine_caps;
    struct vmx_vcpu *x = v->arch;
    bool on = tsc_deadline != VCPU_NO_DEADLINE && caps->preemption_timer;
    if (!on && !x->run_bounded)
        return;
    vmcs_use(v, "bound_run");
    if (on)
        vmwrite(VMCS_PREEMPTION_TIMER_VALUE,
                vmx_preemption_timer_value(rdtsc(), tsc_deadline, caps->preemption_timer_rate));
    if (on != x->run_bounded) {
        u64 pin = vmread(VMCS_PIN_CONTROLS);
        vmwrite(VMCS_PIN_CONTROLS, on ? pin | VMX_PIN_PREEMPTION_TIMER
                                      : pin & ~(u64)VMX_PIN_PREEMPTION_TIMER);
        x->run_bounded = on;
    }
}

static void vmx_cpuid_hidden(struct cpuid_hide *out)
{
    vmx_caps_cpuid_hidden(&vmx_machine_caps, out);
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
    return vmx_machine_caps.ept_1g;
}

static void vmx_dump_state(struct vcpu *v)
{
    vmcs_use(v, "dump_state");
    const struct vmx_vcpu *x = v->arch;
    vmx_report_state(v, &vmx_machine_caps, x->entry_fail, x->insn_error);
}

const struct backend_ops vmx_backend = {
    .name = "vmx",
    .probe = vmx_probe,
    .enable_cpu = vmx_enable_cpu,
    .park_cpu = vmx_park_cpu,
    .hold_init = vmx_hold_init,
    .vcpu_init = vmx_vcpu_init,
    .run = vmx_run,
    .get_reg = vmx_get_reg,
    .set_reg = vmx_set_reg,
    .skip_instruction = vmx_skip_instruction_op,
    .inject = vmx_inject,
    .get_interruptibility = vmx_get_interruptibility,
    .set_event_windows = vmx_set_event_windows,
    .flush_nested_tlb = vmx_flush_nested_tlb,
    .cpuid_hidden = vmx_cpuid_hidden,
    .bound_run = vmx_bound_run,
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
