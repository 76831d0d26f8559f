/*
 * common/exits/exit_handlers.c - bookvisor's policy, once for both backends.
 *
 * Each handler gets the generic exit and returns what the backend should do.
 * Backends never see these decisions; tests can drive them through a mock.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/io.h"
#include "common/exits/apic_base.h"
#include "common/exits/cpuid_policy.h"
#include "common/exits/cr_rules.h"
#include "common/exits/io_exit.h"
#include "common/exits/mmio_exit.h"
#include "common/exits/smp_exits.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vm_nested.h"
#include "common/vm/vm_shootdown.h"
#include "common/vm/vcpu_entry.h"
#include "common/base/bios_memmap.h"
#include "common/exits/bios_int15.h"
#include "common/loader/bios_boot.h"
#include "common/exits/hypercall.h"
#include "common/exits/test_hypercalls.h"
#include "common/insn/insn_len.h"
#include "common/base/clock.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"
#include "common/npt/mtrr_write.h"
#include "common/platform/test_mmio_page.h"

#define RFLAGS_IF (1u << 9)
#define CR4_OSXSAVE (1u << 18)
#define CR4_PKE (1u << 22)

static u64 get(struct vcpu *v, enum vcpu_reg r)
{
    return v->backend->get_reg(v, r);
}

static u64 *gpr_ptr(struct vcpu *v, unsigned index)
{
    return &((u64 *)&v->gprs)[index & 15];
}

/* Bits that mirror CR4 must mirror the guest's CR4, not the host's.
 * Out of line: only leaves 1 and 7 need it, and only they pay for it. */
static void __attribute__((noinline)) cpuid_mirror_cr4(struct vcpu *v, struct cpuid_result *r)
{
    u32 leaf = (u32)v->gprs.rax, sub = (u32)v->gprs.rcx;
    if (leaf == 1)
        r->ecx = (r->ecx & ~(1u << 27)) | ((get(v, VCPU_REG_CR4) & CR4_OSXSAVE) ? (1u << 27) : 0);
    else if (leaf == 7 && sub == 0)
        r->ecx = (r->ecx & ~(1u << 4)) | ((get(v, VCPU_REG_CR4) & CR4_PKE) ? (1u << 4) : 0);
}

/* Hot: the CPUID exit is the one the budget is measured on (chapter 02).
 * Only v lives across the calls; leaf and subleaf are read again where needed. */
static enum exit_action on_cpuid(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    struct cpuid_result r;
    u32 leaf = (u32)v->gprs.rax;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"((u32)v->gprs.rcx));
    if (__builtin_expect((leaf | 6) == 7, 0)) /* leaves 1 and 7 (3 and 5 pass through it untouched) */
        cpuid_mirror_cr4(v, &r);
    cpuid_policy_apply(leaf, (u32)v->gprs.rcx, &r);
    cpuid_hide_apply(&guest_vm_of(v)->cpuid_hide, leaf, (u32)v->gprs.rcx, &r);
    if (cpuid_policy_stable_leaf(leaf, v->osxsave_writes_exit))
        cpuid_memo_put(&v->cpuid_memo, leaf, &r); /* the backends answer the next one themselves */
    v->gprs.rax = r.eax;
    v->gprs.rbx = r.ebx;
    v->gprs.rcx = r.ecx;
    v->gprs.rdx = r.edx;
    return EXIT_SKIP;
}

static enum exit_action on_rdmsr(struct vcpu *v, struct vm_exit *e)
{
    u64 value;
    switch (e->details.msr) {
    case MSR_IA32_EFER:
        value = get(v, VCPU_REG_EFER);
        break;
    case MSR_VM_CR:
        value = (1u << 3) | (1u << 4); /* LOCK | SVMDIS: no SVM for the guest */
        break;
    case MSR_IA32_FEATURE_CONTROL:
        value = 1; /* locked, VMX off */
        break;
    default:
        return EXIT_INJECT_GP;
    }
    v->gprs.rax = (u32)value;
    v->gprs.rdx = value >> 32;
    return EXIT_SKIP;
}

/*
 * A guest MTRR write: the guest owns the hardware, so the value goes to the
 * real register once checked, and only the range whose memory type may have
 * changed is re-mapped (large pages split or merge there as the rules say).
 */
static enum exit_action on_mtrr_write(struct vcpu *v, u32 msr, u64 value)
{
    struct guest_vm *vm = guest_vm_of(v);
    u64 start, len;
    spin_lock(&vm->npt_lock); /* the snapshot and the map are the VM's */
    if (mtrr_apply_write(&vm->layout.mtrr, vm->mtrr_cap, msr, value, vm->maxphyaddr, &start,
                         &len) != MTRR_WRITE_OK) {
        spin_unlock(&vm->npt_lock);
        return EXIT_INJECT_GP;
    }
    wrmsr(msr, value);
    vm->mtrr_updates++;
    enum npt_status st = len ? npt_update_range(&vm->map, &vm->layout, start, len) : NPT_OK;
    guest_vm_nested_changed(vm);
    spin_unlock(&vm->npt_lock);
    if (st != NPT_OK)
        return vcpu_stop(v, VCPU_STOP_ERROR, "no memory to re-map after an MTRR write");
    return EXIT_SKIP;
}

/* A write of a control register, EFER or IA32_APIC_BASE the rules refuse:
 * #GP, and the first few are logged. */
static enum exit_action refuse_write(struct vcpu *v, const char *what, u64 value, const char *why)
{
    if (guest_vm_of(v)->refused_writes++ < 8)
        kprintf("bookvisor: guest %s write 0x%llx refused (#GP): %s\n", what,
                (unsigned long long)value, why);
    return EXIT_INJECT_GP;
}

/*
 * IA32_APIC_BASE: the guest owns its local APIC and may move it, but not onto
 * a page it may not map (apic_base_write_fault()): the CPU would decode that
 * page as the APIC for the VMM's own accesses too. The rest of the MSR's rules
 * (reserved bits, x2APIC transitions) are the CPU's: the write runs fault-safe.
 */
static enum exit_action on_apic_base_write(struct vcpu *v, u64 value)
{
    struct guest_vm *vm = guest_vm_of(v);
    spin_lock(&vm->npt_lock);
    enum npt_kind kind = npt_layout_kind_at(&vm->layout, apic_base_address(value, vm->maxphyaddr));
    spin_unlock(&vm->npt_lock);
    const char *why = apic_base_write_fault(value, kind);
    if (why)
        return refuse_write(v, "IA32_APIC_BASE", value, why);
    if (wrmsr_safe(MSR_IA32_APIC_BASE, value) != 0)
        return EXIT_INJECT_GP;
    cpuid_memo_clear(&v->cpuid_memo); /* leaf 1 says whether the APIC is enabled */
    return EXIT_SKIP;
}

/* The guest's control state the rules of common/exits/cr_rules.h always
 * read; CR3 and CS.L are read only when a write's rules ask for them. */
static void cr_state_of(struct vcpu *v, struct cr_state *s)
{
    s->cr0 = get(v, VCPU_REG_CR0);
    s->cr3 = 0;
    s->cr4 = get(v, VCPU_REG_CR4);
    s->efer = get(v, VCPU_REG_EFER);
    s->cs_l = false;
}

/*
 * IA32_EFER: every bit the guest's CPU lacks is reserved (SVME among them:
 * the guest has no SVM), LME is fixed while paging is on, LMA is read-only
 * (efer_write_fault()). On AMD-V the write always exits (the VMCB's EFER
 * carries SVME), on VT-x by the intercept policy: either way no value the
 * CPU would refuse reaches the VMCB or the VMCS.
 */
static enum exit_action on_efer_write(struct vcpu *v, u64 value)
{
    struct cr_state now;
    now.efer = get(v, VCPU_REG_EFER);
    now.cr0 = efer_write_state_needed(&now, value) & CR_STATE_CR0 ? get(v, VCPU_REG_CR0) : 0;
    const char *why = efer_write_fault(&guest_vm_of(v)->cr_features, &now, value);
    if (why)
        return refuse_write(v, "EFER", value, why);
    u64 efer = efer_write_value(&now, value);
    if (efer != now.efer) /* the same value again (a common write) leaves the state alone */
        v->backend->set_reg(v, VCPU_REG_EFER, efer);
    return EXIT_SKIP;
}

static enum exit_action on_wrmsr(struct vcpu *v, struct vm_exit *e)
{
    u64 value = ((v->gprs.rdx & 0xFFFFFFFF) << 32) | (v->gprs.rax & 0xFFFFFFFF);
    if (e->details.msr == MSR_IA32_EFER) /* the frequent one first: no MTRR lookup */
        return on_efer_write(v, value);
    if (mtrr_is_msr(e->details.msr, guest_vm_of(v)->mtrr_cap))
        return on_mtrr_write(v, e->details.msr, value);
    switch (e->details.msr) {
    case MSR_VM_CR:
    case MSR_IA32_FEATURE_CONTROL:
        return EXIT_SKIP; /* ignored: the guest cannot enable virtualization */
    case MSR_IA32_APIC_BASE:
        return on_apic_base_write(v, value);
    case MSR_IA32_MISC_ENABLE:
        /* The guest's write, done for it; it may change what leaf 0 says
         * (limit CPUID maxval), so the remembered answers go. */
        if (wrmsr_safe(MSR_IA32_MISC_ENABLE, value) != 0)
            return EXIT_INJECT_GP;
        cpuid_memo_clear(&v->cpuid_memo);
        return EXIT_SKIP;
    default: {
        /* A register some part of bookvisor claimed (the x2APIC's ICR while
         * it holds processors, chapter 08); any other intercepted write is
         * one the guest may not make. */
        struct msr_write_hook h;
        if (msr_write_hook_find(guest_vm_of(v), e->details.msr, &h))
            return h.fn(h.ctx, v, e->details.msr, value);
        return EXIT_INJECT_GP;
    }
    }
}

/* What an interrupt window caught for the guest goes into its event
 * queue: its vectors, and an NMI (the guest's too: bookvisor sends none). */
static void reflect_caught(struct vcpu *v, const struct desc_caught *c)
{
    for (unsigned word = 0; word < 4; word++)
        for (u64 bits = c->vectors[word]; bits; bits &= bits - 1)
            vcpu_queue_interrupt(v, (u8)(word * 64 + __builtin_ctzll(bits)));
    if (c->nmi)
        vcpu_queue_nmi(v);
}

/*
 * HLT: halt the real CPU on the guest's behalf. Interrupts are not
 * intercepted (unless the VMM owns a vector), so the one that wakes us was
 * meant for the guest: the host stub records its vector without an EOI and
 * we queue it for the guest; the guest's own handler then sends the EOI,
 * exactly as if it had halted on bare metal. An interrupt on one of the
 * VMM's own vectors is handled (and acknowledged) by the VMM, and the CPU
 * halts again: the guest is still waiting.
 */
static enum exit_action on_hlt(struct vcpu *v, struct vm_exit *e)
{
    bool interrupts_on = get(v, VCPU_REG_RFLAGS) & RFLAGS_IF;
    /* Nothing maskable can wake it, and no NMI waits for it: dead. */
    if (!interrupts_on && !v->events.nmi_pending) {
        if (smp_exit_halt_for_good(v, e)) /* a processor the guest does not use */
            return EXIT_RESUME;
        return vcpu_stop(v, VCPU_STOP_ERROR,
                         "the guest halted with interrupts disabled at rip=0x%llx: "
                         "it can never run again",
                         (unsigned long long)get(v, VCPU_REG_RIP));
    }
    if (!vcpu_skip(v, e))
        return EXIT_STOP;
    /* An event the VMM owes the guest ends the halt at once, as a pending
     * interrupt does on bare metal. Otherwise halt the real CPU, again
     * after an interrupt the VMM took for itself. */
    struct desc_caught caught = { .vmm_vector = true };
    while (caught.vmm_vector && !vcpu_event_wakes_halt(v)) {
        /* The VMM's own work waits too (a timer, a thread): wait no longer
         * than it may, then do it, and wait again (chapter 07). */
        u64 until = vcpu_idle_deadline_tsc ? vcpu_idle_deadline_tsc() : VCPU_NO_DEADLINE;
        BENCH_TICKS_BEGIN(t0); /* halted ticks are no instructions (bench_ticks.h) */
        if (until == VCPU_NO_DEADLINE) {
            desc_wait_for_interrupt(&caught);
        } else if (!desc_wait_for_interrupt_until(&caught, until)) {
            BENCH_TICKS_ADD(v, halted, t0);
            if (vcpu_timers_run)
                vcpu_timers_run();
            caught.vmm_vector = true; /* nothing of the guest's came: wait again */
            continue;
        }
        BENCH_TICKS_ADD(v, halted, t0);
        vcpu_shootdown_idle(v); /* halted: it flushes before it runs (chapter 08) */
        reflect_caught(v, &caught);
    }
    return EXIT_RESUME;
}

/*
 * A physical interrupt while the guest ran, intercepted because the VMM owns
 * a vector (chapter 08, "VMM vectors"). It is still pending: take it with
 * the VMM's own IDT. A VMM vector is handled there; any other is the
 * guest's, reflected through the event model. VT-x exits whatever the
 * guest's RFLAGS.IF: then the backend leaves the interrupt at its controller
 * until the guest can take one (left_pending), as bare metal would, instead
 * of acknowledging it early at whatever vector the controller has now.
 */
static enum exit_action on_external_interrupt(struct vcpu *v, struct vm_exit *e)
{
    if (e->details.interrupt.left_pending) /* the guest cannot take it yet: later */
        return EXIT_RESUME;
    struct desc_caught caught;
    desc_take_interrupts(&caught);
    reflect_caught(v, &caught);
    return EXIT_RESUME;
}

/* A physical NMI that exited (VT-x's NMI exiting, on for the NMI window;
 * AMD-V's NMI intercept, on with other processors): another CPU's shootdown
 * (the flush is due before the entry), or the guest's. */
static enum exit_action on_nmi(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    if (vcpu_shootdown_nmi_ours(v))
        return EXIT_RESUME;
    vcpu_queue_nmi(v);
    return EXIT_RESUME;
}

/* AMD-V's NMI window: the backend stepped over the IRET or will; nothing ran. */
static enum exit_action on_iret(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_RESUME;
}

/* The VMM's own deadline came (chapter 07): nothing for the guest; the
 * timers run in the hook before the next entry (VCPU_WORK_TIMERS is set). */
static enum exit_action on_vmm_timer(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_RESUME;
}

/*
 * INVD throws the caches away without writing them back. Run for the guest,
 * it would throw away the VMM's dirty lines too (and VT-x makes it exit
 * unconditionally for that reason). WBINVD keeps every promise INVD makes to
 * the guest (afterwards the caches hold nothing stale) and loses no data.
 */
static enum exit_action on_invd(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    __asm__ volatile("wbinvd" ::: "memory");
    return EXIT_SKIP;
}

/* Every hypercall but the ping: out of line, so that the ping, the one a
 * guest may make often (and the one make bench times), needs no frame. */
static enum exit_action __attribute__((noinline)) hypercall_other(struct vcpu *v, u32 nr)
{
    struct guest_vm *vm = guest_vm_of(v);
    /* The BIOS's INT 15h from real mode, through bookvisor's stub (its
     * EBP holds the stub's mark; common/exits/bios_int15.h). */
    if ((u32)v->gprs.rbp == BIOS_STUB_MARK && bios_int15_is_stub_call(v))
        return bios_int15_answer(v);
    switch (nr) {
    case HC_VMM_RANGE:
        v->gprs.rax = (u32)vm->vmm_base;
        v->gprs.rdx = (u32)(vm->vmm_base >> 32);
        v->gprs.rcx = (u32)(vm->vmm_size >> 10);
        break;
    case HC_CHECK_CANARY:
        v->gprs.rax = vmm_canary_intact() ? 1 : 0;
        break;
    case HC_TEST_PAGE:
        v->gprs.rax = mmio_hook_find(vm, TEST_MMIO_PAGE_GPA, NULL) ? TEST_MMIO_PAGE_GPA : 0;
        break;
    case HC_TEST_PAGE_UNHOOK:
        v->gprs.rax = mmio_hook_unregister(vm, TEST_MMIO_PAGE_GPA) == 0 ? 1 : 0;
        break;
    case HC_CLOCK: {
        u64 now = clock_now_us();
        v->gprs.rax = (u32)now;
        v->gprs.rdx = (u32)(now >> 32);
        break;
    }
    case HC_BIOS_BOOT_FAILED: {
        char why[128];
        bios_boot_failure_text((u32)v->gprs.rbx, why, sizeof(why));
        return vcpu_stop(v, VCPU_STOP_ERROR, "BIOS chain boot of drive 0x%02x failed: %s",
                         vm->bios_boot_drive, why);
    }
    default:
        if (!test_hypercall(v, nr))
            v->gprs.rax = HC_UNKNOWN;
        break;
    }
    return EXIT_SKIP;
}

static enum exit_action on_vmcall(struct vcpu *v, struct vm_exit *e)
{
    if (e->details.cpl) /* the backend read it for the exit */
        return EXIT_INJECT_UD;
    u32 nr = (u32)v->gprs.rax;
    if (__builtin_expect(nr == HC_PING && (u32)v->gprs.rbp != BIOS_STUB_MARK, 1)) {
        v->gprs.rax = HC_PING_MAGIC;
        v->gprs.rbx = (u32)(v->gprs.rbx + 1);
        return EXIT_SKIP;
    }
    return hypercall_other(v, nr);
}

/* AMD-V without decode assists does not say which register a MOV to CR
 * used, nor whether a CR0 write was an LMSW: fetch and decode. */
static enum cr_write_insn cr_access_decode(struct vcpu *v, const struct vm_exit_cr *c,
                                           struct vm_exit_cr *out)
{
    u8 bytes[INSN_MAX_LEN];
    int mode;
    size_t n = guest_vm_fetch_insn(v, bytes, sizeof(bytes), &mode);
    struct insn_info info;
    u8 cr, gpr;
    if (!c->write || n == 0)
        return CR_WRITE_NONE;
    /* The plain MOV needs no general decoder (chapter 14); the rest does. */
    enum cr_write_insn insn = cr_write_decode_plain(bytes, n, mode == INSN_MODE_64, &cr, &gpr);
    if (insn == CR_WRITE_NONE) {
        if (insn_decode_length(bytes, n, (enum insn_mode)mode, &info) != INSN_OK)
            return CR_WRITE_NONE;
        insn = cr_write_decode(&info, &cr, &gpr);
    }
    if ((insn == CR_WRITE_MOV || insn == CR_WRITE_LMSW) && cr != c->cr)
        return CR_WRITE_NONE;
    *out = *c;
    out->gpr = gpr;
    out->access = insn == CR_WRITE_LMSW ? VM_CR_LMSW : VM_CR_MOV_TO;
    out->gpr_unknown = false;
    if (insn == CR_WRITE_LMSW) /* LMSW's operand is the register's low word */
        out->lmsw_data = (u16)(gpr == 4 ? get(v, VCPU_REG_RSP) : *gpr_ptr(v, gpr));
    return insn;
}

/*
 * A write of CR0 or CR4 (CR3 has no rule here): what the CPU would refuse,
 * refuse (cr_write_fault(), by the features of the guest's CPU and the mode
 * rules), never into a read shadow, the VMCS or the VMCB, where it would
 * only make the next VM entry fail.
 */
static enum exit_action cr_write(struct vcpu *v, unsigned cr, enum vcpu_reg reg, u64 value)
{
    struct cr_state now;
    cr_state_of(v, &now);
    if (!(now.efer & EFER_LMA))
        value &= 0xFFFFFFFF;
    unsigned needed = cr_write_state_needed(cr, &now, value);
    if (needed & CR_STATE_CR3)
        now.cr3 = get(v, VCPU_REG_CR3);
    if (needed & CR_STATE_CS_L)
        now.cs_l = (get(v, VCPU_REG_CS_ATTR) >> 9) & 1; /* L, in the generic attribute layout */
    const char *why = cr_write_fault(&guest_vm_of(v)->cr_features, &now, cr, value);
    if (why)
        return refuse_write(v, cr == 0 ? "CR0" : "CR4", value, why);
    u64 old = cr == 0 ? now.cr0 : cr == 4 ? now.cr4 : 0;
    v->backend->set_reg(v, reg, value);
    /* A MOV to CR3, or one that changes a CR0/CR4 bit of address
     * translation, flushes the TLB on real hardware; a value written into
     * the VMCS/VMCB does not. The nested flush (INVEPT single-context, or
     * TLB_CONTROL) drops the guest's translations too. */
    if (cr_write_flushes_tlb(cr, old, value))
        vcpu_request_nested_flush(v);
    if (cr == 4 && ((old ^ value) & CR4_OSXSAVE)) /* CPUID leaf 1 mirrors it */
        cpuid_memo_clear(&v->cpuid_memo);
    return EXIT_SKIP;
}

/*
 * Control-register accesses that exit: on VT-x, writes that change a bit the
 * VMM owns through the CR0/CR4 guest/host masks (CR0.NE, which VMX forces to
 * 1 while the guest may believe it 0; every CR4 bit the guest's CPU lacks);
 * on AMD-V, CR0 writes that change a bit other than TS and MP, and CR4
 * writes where the intercept policy asks for them. The backend's set_reg
 * keeps the real register valid and the read shadow equal to what the guest
 * wrote.
 */
static enum exit_action on_cr_access(struct vcpu *v, struct vm_exit *e)
{
    const struct vm_exit_cr *c = &e->details.cr;
    enum vcpu_reg reg = c->cr == 0 ? VCPU_REG_CR0 : c->cr == 3 ? VCPU_REG_CR3
                      : c->cr == 4 ? VCPU_REG_CR4 : VCPU_REG_COUNT;
    if (reg == VCPU_REG_COUNT)
        return vcpu_stop(v, VCPU_STOP_ERROR, "access to CR%u is not handled (rip=0x%llx)",
                         c->cr, (unsigned long long)get(v, VCPU_REG_RIP));
    struct vm_exit_cr decoded;
    if (c->gpr_unknown) {
        enum cr_write_insn insn = cr_access_decode(v, c, &decoded);
        if (insn == CR_WRITE_LMSW_MEM)
            return vcpu_stop(v, VCPU_STOP_ERROR,
                             "LMSW with a memory operand at rip=0x%llx is not emulated",
                             (unsigned long long)get(v, VCPU_REG_RIP));
        if (insn == CR_WRITE_NONE)
            return vcpu_stop(v, VCPU_STOP_ERROR,
                             "cannot decode the guest's write of CR%u at rip=0x%llx",
                             e->details.cr.cr, (unsigned long long)get(v, VCPU_REG_RIP));
        c = &decoded;
    }
    bool is_rsp = c->gpr == 4;
    switch (c->access) {
    case VM_CR_MOV_TO:
        return cr_write(v, c->cr, reg, is_rsp ? get(v, VCPU_REG_RSP) : *gpr_ptr(v, c->gpr));
    case VM_CR_MOV_FROM:
        if (is_rsp)
            v->backend->set_reg(v, VCPU_REG_RSP, get(v, reg));
        else
            *gpr_ptr(v, c->gpr) = get(v, reg);
        break;
    case VM_CR_CLTS:
        return cr_write(v, 0, VCPU_REG_CR0, get(v, VCPU_REG_CR0) & ~8ULL);
    case VM_CR_LMSW: {
        /* Bits 3:0 only, and PE can be set but not cleared. */
        u64 cr0 = get(v, VCPU_REG_CR0);
        return cr_write(v, 0, VCPU_REG_CR0, (cr0 & ~0xEULL) | (c->lmsw_data & 0xF) | (cr0 & 1));
    }
    }
    return EXIT_SKIP;
}

static enum exit_action on_shutdown(struct vcpu *v, struct vm_exit *e)
{
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "guest triple fault (shutdown), native exit 0x%x, guest rip=0x%llx",
                     e->native_code, (unsigned long long)get(v, VCPU_REG_RIP));
}

/*
 * A hardware task switch: VT-x exits on every one, whatever the controls
 * say (AMD-V does not, and bookvisor does not ask it to). bookvisor does not
 * emulate task switches; chapter 04 says why. The guest stops, and the
 * message says so rather than calling the exit unknown.
 */
static enum exit_action on_task_switch(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "hardware task switch at rip=0x%llx: VT-x exits on every one and bookvisor "
                     "does not emulate task switches (chapter 04)",
                     (unsigned long long)get(v, VCPU_REG_RIP));
}

static enum exit_action on_invalid_state(struct vcpu *v, struct vm_exit *e)
{
    /* guest_run_and_report() prints the backend's state dump (and the VT-x checker) after the stop. */
    if ((e->native_code & 0xFFFF0000u) == VM_EXIT_NATIVE_ENTRY_INSN_ERROR) {
        if (!(e->native_code & 0xFFFF)) /* no error number exists: VMfailInvalid */
            return vcpu_stop(v, VCPU_STOP_ERROR,
                             "VM entry failed: the entry instruction found no current VMCS");
        return vcpu_stop(v, VCPU_STOP_ERROR,
                         "VM entry failed: the entry instruction failed with error %u",
                         e->native_code & 0xFFFF);
    }
    /* No guest RIP here: after a failed VMRUN the VMCB may hold the host's
     * (Bochs, QEMU); the backend's dump says what is known. */
    return vcpu_stop(v, VCPU_STOP_ERROR, "VM entry failed: invalid guest state (native 0x%x)",
                     e->native_code);
}

static enum exit_action on_init(struct vcpu *v, struct vm_exit *e)
{
    if (smp_vcpu_is_ap(v))
        return smp_exit_on_init(v, e);
    return vcpu_stop(v, VCPU_STOP_ERROR, "INIT signal (machine reset requested), native 0x%x",
                     e->native_code);
}

/*
 * XSETBV: VT-x makes it exit whatever the guest's value (AMD-V runs it in the
 * guest). Everything the CPU would refuse is refused here first, as the CPU
 * would refuse it: #UD without the guest's CR4.OSXSAVE, #GP above CPL 0 or for
 * a value breaking an XCR0 rule (xcr0_write_fault()). Then the real XSETBV
 * runs fault-safe, so a rule this code does not know becomes a #GP for the
 * guest, never a VMM panic.
 */
static enum exit_action on_xsetbv(struct vcpu *v, struct vm_exit *e)
{
    (void)e;
    u32 index = (u32)v->gprs.rcx;
    u64 value = ((v->gprs.rdx & 0xFFFFFFFF) << 32) | (u32)v->gprs.rax;
    if (!(get(v, VCPU_REG_CR4) & CR4_OSXSAVE))
        return EXIT_INJECT_UD;
    if ((get(v, VCPU_REG_SS_ATTR) >> 5) & 3)
        return EXIT_INJECT_GP;
    struct cpuid_result xs = cpuid(0xD, 0);
    if (xcr0_write_fault(index, value, ((u64)xs.edx << 32) | xs.eax))
        return EXIT_INJECT_GP;
    write_cr4(read_cr4() | CR4_OSXSAVE); /* XSETBV needs it on the host too */
    if (xsetbv_safe(index, value) != 0)
        return EXIT_INJECT_GP;
    return EXIT_SKIP;
}

/* The guest was told the CPU has no VMX/SVM: behave like such a CPU. */
static enum exit_action on_virt_insn(struct vcpu *v, struct vm_exit *e)
{
    (void)v;
    (void)e;
    return EXIT_INJECT_UD;
}

const struct exit_handler_table guest_exit_handlers = {
    .handler = {
        [VM_EXIT_CPUID] = on_cpuid,
        [VM_EXIT_RDMSR] = on_rdmsr,
        [VM_EXIT_WRMSR] = on_wrmsr,
        [VM_EXIT_IO] = io_exit,
        [VM_EXIT_HLT] = on_hlt,
        [VM_EXIT_VMCALL] = on_vmcall,
        [VM_EXIT_NESTED_PAGE_FAULT] = mmio_exit,
        [VM_EXIT_XSETBV] = on_xsetbv,
        [VM_EXIT_SHUTDOWN] = on_shutdown,
        [VM_EXIT_INVALID_STATE] = on_invalid_state,
        [VM_EXIT_INIT] = on_init,
        [VM_EXIT_VIRT_INSN] = on_virt_insn,
        [VM_EXIT_INVD] = on_invd,
        [VM_EXIT_CR_ACCESS] = on_cr_access,
        [VM_EXIT_EXTERNAL_INTERRUPT] = on_external_interrupt,
        [VM_EXIT_NMI] = on_nmi,
        [VM_EXIT_INTERRUPT_WINDOW] = vcpu_event_window_exit,
        [VM_EXIT_NMI_WINDOW] = vcpu_event_window_exit,
        [VM_EXIT_IRET] = on_iret,
        [VM_EXIT_TASK_SWITCH] = on_task_switch,
        [VM_EXIT_VMM_TIMER] = on_vmm_timer,
    },
    .io_port_direct = true, /* io_exit() runs io_exit_port() for IN and OUT */
};
