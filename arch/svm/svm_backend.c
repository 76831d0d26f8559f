/*
 * arch/svm/svm_backend.c - AMD-V behind the backend interface (chapter 03).
 *
 * This file knows the VMCB and nothing about policy: it builds the VMCB from
 * a generic initial state, runs the guest, translates each #VMEXIT into a
 * struct vm_exit, and applies what common code decided.
 */
#include "arch/svm/svm_internal.h"
#include "arch/svm/svm_caps.h"
#include "arch/svm/svm_usable.h"
#include "arch/svm/svm_exit_decode.h"
#include "arch/svm/svm_guest_state.h"
#include "arch/svm/vmcb.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "common/lib/id_pool.h"
#include "common/vm/backend.h"
#include "common/vm/vcpu_owner.h"
#include "common/vm/vcpu_state.h"
#include "common/vm/exit_dispatch.h"
#include "common/vm/vcpu_entry.h"
#include "common/vm/vcpu_events.h"
#include "common/lib/format.h"
#include "common/npt/npt_format.h"
#include "common/vm/guest_vm.h"
#include "common/insn/insn_len.h"
#include "common/base/kprintf.h"
#include "common/base/trap.h"
#include "common/lib/kstring.h"
#include "common/base/mem.h"
#include "common/base/options.h"
#include "arch/x86/phys.h"
#include "arch/svm/svm_enter_asm.h"

/* svm_enter.S's fast path spells these without struct vmcb. */
_Static_assert(__builtin_offsetof(struct vmcb, control.tlb_control) == SVM_ASM_TLB_CONTROL, "tlb");
_Static_assert(__builtin_offsetof(struct vmcb, control.interrupt_shadow) == SVM_ASM_INTERRUPT_SHADOW,
               "interrupt shadow");
_Static_assert(__builtin_offsetof(struct vmcb, control.exitcode) == SVM_ASM_EXITCODE, "exitcode");
_Static_assert(__builtin_offsetof(struct vmcb, control.eventinj) == SVM_ASM_EVENTINJ, "eventinj");
_Static_assert(__builtin_offsetof(struct vmcb, control.next_rip) == SVM_ASM_NEXT_RIP, "next_rip");
_Static_assert(__builtin_offsetof(struct vmcb, save.rflags) == SVM_ASM_RFLAGS, "rflags");
_Static_assert(__builtin_offsetof(struct vmcb, save.rip) == SVM_ASM_RIP, "rip");
_Static_assert(__builtin_offsetof(struct vmcb, save.rax) == SVM_ASM_RAX, "rax");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr4) == SVM_ASM_CR4, "cr4");
_Static_assert((1ULL << SVM_ASM_CR4_OSXSAVE_BIT) == VCPU_CR4_OSXSAVE, "CR4.OSXSAVE");
_Static_assert(SVM_ASM_EXIT_CPUID == SVM_EXIT_CPUID, "CPUID exit code");

#define RFLAGS_IF (1ULL << 9)

/* Read by svm_probe() on the boot CPU. */
struct svm_caps svm_cpu_caps;

void svm_run_loop(struct vcpu *v, u64 guest_vmcb_pa, u64 host_vmcb_pa, struct vmcb *vmcb);

/* Decode the capabilities into svm_cpu_caps; returns VM_CR as read (0 without SVM). */
static u64 read_caps(const struct cpu_info *cpu)
{
    u32 a[4] = { 0, 0, 0, 0 };
    u64 vm_cr = cpu->has_svm ? rdmsr(MSR_VM_CR) : 0;
    if (cpu->has_svm && cpu->max_ext_leaf >= 0x8000000A) {
        struct cpuid_result r = cpuid(0x8000000A, 0);
        a[0] = r.eax;
        a[1] = r.ebx;
        a[2] = r.ecx;
        a[3] = r.edx;
    }
    svm_caps_decode(cpu->has_svm ? (1u << 2) : 0, a, vm_cr, &svm_cpu_caps);
    return vm_cr;
}

static bool svm_probe(const struct cpu_info *cpu, char *features, size_t flen, char *why,
                      size_t wlen)
{
    /* One decision, pure and unit-tested (lab 1 part 2): read, then ask. */
    enum svm_verdict verdict = svm_usable(&svm_cpu_caps, read_caps(cpu));
    if (verdict != SVM_USABLE) {
        ksnprintf(why, wlen, "%s", svm_verdict_message(verdict));
        return false;
    }
    svm_caps_features(&svm_cpu_caps, features, flen);
    /* Bochs' AMD-V model delivers a single-stepping guest's #DB of an
     * intercepted instruction to the host, right after VMRUN (chapter 03). */
    trap_note_guest_step_site(svm_vmrun_return);
    svm_bound_calibrate();
    return true;
}

/* On the calling CPU: its host save area, its host VMCB and its ASID space. */
static int svm_enable_cpu(void)
{
    struct cpu *c = this_cpu();
    if (c->backend) /* on already */
        return 0;
    u32 nasid = cpuid(0x8000000A, 0).ebx;
    if (nasid < SVM_MIN_ASIDS) {
        kprintf("bookvisor: CPU %u has %u ASID(s): none left for a guest\n", c->index, nasid);
        return -1;
    }
    struct svm_cpu *sc = kzalloc(sizeof(*sc));
    sc->nasid = nasid;
    size_t words = ID_POOL_WORDS(nasid - 1);
    if (!id_pool_init(&sc->asids, 1, nasid - 1, kzalloc(words * sizeof(u64)), words)) {
        kprintf("bookvisor: CPU %u: bad ASID count %u\n", c->index, nasid);
        return -1;
    }
    wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_SVME);
    sc->host_save_area_pa = mem_alloc_pages(0);
    wrmsr(MSR_VM_HSAVE_PA, sc->host_save_area_pa);
    sc->host_vmcb_pa = mem_alloc_pages(0);
    /* Capture the host's FS/GS/TR/LDTR/SYSENTER state once; VMLOAD restores it
     * after each exit. GS must be this CPU's by now (percpu_start()): the GS
     * base saved here is what every exit gives back to this_cpu(). */
    __asm__ volatile("vmsave %%rax" : : "a"(sc->host_vmcb_pa) : "memory");
    c->backend = sc;
    return 0;
}

/* An INIT with GIF set would reset the CPU into the guest's hands, and its
 * start-up IPI would then run guest code outside SVM: GIF clear holds INIT
 * (and every interrupt, NMI and SMI) pending. QEMU's TCG holds all but INIT
 * (chapter 08, "Linux on two processors"): no INIT may reach a held CPU. */
static void svm_park_cpu(void)
{
    __asm__ volatile("cli; clgi" ::: "memory");
    for (;;)
        __asm__ volatile("hlt" ::: "memory");
}

static void svm_hold_init(void)
{
    __asm__ volatile("clgi" ::: "memory");
}

static void msrpm_set(u8 *msrpm, u32 msr, bool read, bool write)
{
    u32 base;
    if (msr <= 0x1FFF)
        base = 0;
    else if (msr >= 0xC0000000 && msr <= 0xC0001FFF)
        base = 0x800 * 8, msr -= 0xC0000000;
    else if (msr >= 0xC0010000 && msr <= 0xC0011FFF)
        base = 0x1000 * 8, msr -= 0xC0010000;
    else
        return; /* outside the map: always intercepted by hardware */
    u32 bit = base + msr * 2;
    msrpm[bit / 8] = (u8)((msrpm[bit / 8] & ~(3u << (bit % 8))) |
                          ((read ? 1u : 0u) << (bit % 8)) | ((write ? 2u : 0u) << (bit % 8)));
}

/* The permission maps are memory the CPU reads at each intercept check: any
 * CPU may change them (clean_bits is always 0 here, so the write of 0 is a
 * no-op for a VMCB in use). */
static void svm_set_msr_intercept(struct vcpu *v, u32 msr, bool read, bool write)
{
    struct svm_vcpu *s = v->arch;
    msrpm_set(s->msrpm, msr, read, write);
    s->vmcb->control.clean_bits = 0;
}

static void svm_set_io_intercept(struct vcpu *v, u16 port, bool on)
{
    struct svm_vcpu *s = v->arch;
    if (on)
        s->iopm[port / 8] |= (u8)(1u << (port % 8));
    else
        s->iopm[port / 8] &= (u8)~(1u << (port % 8));
    s->vmcb->control.clean_bits = 0;
}

static int svm_vcpu_init(struct vcpu *v, const struct vcpu_init_state *st)
{
    struct cpu *me = this_cpu();
    struct svm_cpu *sc = me->backend;
    if (!sc) {
        kprintf("bookvisor: svm: vCPU %u: SVM is not enabled on CPU %u\n", v->id, me->index);
        return -1;
    }
    u32 asid = id_pool_alloc(&sc->asids);
    if (!asid) {
        kprintf("bookvisor: svm: vCPU %u: no ASID left on CPU %u (it has %u)\n", v->id,
                me->index, sc->nasid);
        return -1;
    }
    v->cpu = me;
    struct svm_vcpu *s = kzalloc(sizeof(*s));
    s->vmcb_pa = mem_alloc_pages(0);
    s->vmcb = phys_to_virt(s->vmcb_pa);
    u64 iopm_pa = mem_alloc_pages(2);   /* 16 KiB allocated, 12 KiB used */
    u64 msrpm_pa = mem_alloc_pages(1);
    s->iopm = phys_to_virt(iopm_pa);
    s->msrpm = phys_to_virt(msrpm_pa);
    v->arch = s;
    v->gprs = st->gprs;
    svm_check_pages_distinct(v);

    /* Only what the hardware demands; what bookvisor wants to see comes
     * later through svm_set_intercept() (common/exits/intercepts.c). */
    struct vmcb_control *c = &s->vmcb->control;
    c->intercept_misc1 = SVM_INTERCEPT1_IOIO | SVM_INTERCEPT1_MSR; /* the maps below decide */
    c->intercept_misc2 = SVM_INTERCEPT2_VMRUN; /* VMRUN refuses a VMCB without it */
    c->iopm_base_pa = iopm_pa;
    c->msrpm_base_pa = msrpm_pa;
    c->guest_asid = asid; /* its own TLB tag on the CPU that owns it */
    c->tlb_control = 1; /* flush everything on the first entry (the ASID may have been used before) */
    c->np_enable = 1;
    /* svm_enter.S copies CR4.OSXSAVE into a remembered leaf 1 at each answer. */
    v->osxsave_writes_exit = true;
    /* EFER.SVME must stay set in the guest's EFER: keep the guest away from it. */
    msrpm_set(s->msrpm, MSR_IA32_EFER, true, true);

    svm_guest_state_encode(st, &s->vmcb->save);
    s->state_written = true;
    /* test.corrupt: break a VMRUN consistency rule on purpose (EFER.SVME must be 1). */
    if (vmm_options.test_corrupt != OPT_CORRUPT_NONE)
        s->vmcb->save.efer &= ~(u64)EFER_SVME;
    return 0;
}

/* What each generic intercept means in the VMCB. */
static bool svm_set_intercept(struct vcpu *v, enum vm_intercept what)
{
    struct vmcb_control *c = &((struct svm_vcpu *)v->arch)->vmcb->control;
    switch (what) {
    case VM_INTERCEPT_CPUID: c->intercept_misc1 |= SVM_INTERCEPT1_CPUID; break;
    case VM_INTERCEPT_HLT: c->intercept_misc1 |= SVM_INTERCEPT1_HLT; break;
    case VM_INTERCEPT_INVD: c->intercept_misc1 |= SVM_INTERCEPT1_INVD; break;
    case VM_INTERCEPT_SHUTDOWN: c->intercept_misc1 |= SVM_INTERCEPT1_SHUTDOWN; break;
    case VM_INTERCEPT_INIT: c->intercept_misc1 |= SVM_INTERCEPT1_INIT; break;
    case VM_INTERCEPT_HYPERCALL: c->intercept_misc2 |= SVM_INTERCEPT2_VMMCALL; break;
    case VM_INTERCEPT_VIRT_INSNS:
        c->intercept_misc2 |= SVM_INTERCEPT2_VMLOAD | SVM_INTERCEPT2_VMSAVE | SVM_INTERCEPT2_STGI |
                              SVM_INTERCEPT2_CLGI | SVM_INTERCEPT2_SKINIT;
        break;
    /* The selective intercept: CLTS and MOVs that change only TS or MP stay in the guest. */
    case VM_INTERCEPT_CR0_WRITE: c->intercept_misc1 |= SVM_INTERCEPT1_CR0_SEL_WRITE; break;
    case VM_INTERCEPT_CR4_WRITE: c->intercept_cr |= SVM_INTERCEPT_CR_WRITE(4); break;
    /* The interrupt stays pending at the exit; the VMM takes it with its
     * own IDT (desc_take_interrupt()). */
    case VM_INTERCEPT_EXTERNAL_INTERRUPT: c->intercept_misc1 |= SVM_INTERCEPT1_INTR; break;
    /* The NMI stays pending at the exit and reaches the host's IDT at STGI. */
    case VM_INTERCEPT_NMI: c->intercept_misc1 |= SVM_INTERCEPT1_NMI; break;
    default: return false;
    }
    c->clean_bits = 0;
    return true;
}

static u64 svm_get_reg(struct vcpu *v, enum vcpu_reg r)
{
    vcpu_assert_own_cpu(v, "get_reg");
    struct vmcb_save *g = &((struct svm_vcpu *)v->arch)->vmcb->save;
    switch (r) {
    case VCPU_REG_RIP: return g->rip;
    case VCPU_REG_RSP: return g->rsp;
    case VCPU_REG_RFLAGS: return g->rflags;
    case VCPU_REG_CR0: return g->cr0;
    case VCPU_REG_CR2: return g->cr2;
    case VCPU_REG_CR3: return g->cr3;
    case VCPU_REG_CR4: return g->cr4;
    case VCPU_REG_EFER: /* the guest never sees SVME, and always its own LME */
        return (g->efer & ~(u64)EFER_SVME) |
               (((struct svm_vcpu *)v->arch)->lme_held ? VCPU_EFER_LME : 0);
    case VCPU_REG_CS_BASE: return g->cs.base;
    case VCPU_REG_CS_ATTR: return g->cs.attrib;
    case VCPU_REG_SS_ATTR: return g->ss.attrib;
    case VCPU_REG_DR6: return g->dr6;
    case VCPU_REG_ES_BASE: return g->es.base;
    case VCPU_REG_SS_BASE: return g->ss.base;
    case VCPU_REG_DS_BASE: return g->ds.base;
    case VCPU_REG_FS_BASE: return g->fs.base;
    case VCPU_REG_GS_BASE: return g->gs.base;
    default: return 0;
    }
}

/*
 * After an emulated write of CR0, CR4 or EFER: the EFER the VMCB gets for
 * the guest's own (guest_efer, SVME aside). EFER.LMA follows paging, as the
 * CPU would set it (VMRUN takes LMA from the VMCB as given). And the guest's
 * LME is held back while neither CR4.PAE nor CR0.PG is set: a #VMEXIT from
 * such a guest takes QEMU 7.2's TCG through a host CR0 reload that it skips
 * (it restores CR0 before EFER, and the guest's LME without PAE makes it
 * refuse "entering long mode"), and the host then runs with paging off. LME
 * does nothing until paging is turned on, which always exits (the selective
 * CR0 intercept): the held LME is put back there, or when PAE is set.
 */
static void efer_in_vmcb(struct svm_vcpu *s, u64 guest_efer)
{
    struct vmcb_save *g = &s->vmcb->save;
    g->efer = svm_efer_for_vmcb(guest_efer, g->cr0, g->cr4, &s->lme_held);
}

static void svm_set_reg(struct vcpu *v, enum vcpu_reg r, u64 value)
{
    vcpu_assert_own_cpu(v, "set_reg");
    struct svm_vcpu *s = v->arch;
    struct vmcb_save *g = &s->vmcb->save;
    u64 efer = (g->efer & ~(u64)EFER_SVME) | (s->lme_held ? VCPU_EFER_LME : 0);
    switch (r) {
    case VCPU_REG_RIP: g->rip = value; break;
    case VCPU_REG_RSP: g->rsp = value; break;
    case VCPU_REG_RFLAGS: g->rflags = value; break;
    case VCPU_REG_CR0: g->cr0 = value; efer_in_vmcb(s, efer); break;
    case VCPU_REG_CR2: g->cr2 = value; break;
    case VCPU_REG_CR3: g->cr3 = value; break;
    case VCPU_REG_CR4: g->cr4 = value; efer_in_vmcb(s, efer); break;
    case VCPU_REG_EFER: efer_in_vmcb(s, value); break;
    case VCPU_REG_DR6: g->dr6 = value; break;
    default: break;
    }
    s->state_written = true;
    s->vmcb->control.clean_bits = 0;
}

/* Without next-RIP, find the length by decoding the guest's instruction.
 * Out of line, so the common case of svm_skip_instruction() needs no frame. */
static u8 __attribute__((noinline)) decode_length(struct vcpu *v)
{
    u8 bytes[INSN_MAX_LEN];
    int mode;
    size_t n = guest_vm_fetch_insn(v, bytes, sizeof(bytes), &mode);
    struct insn_info info;
    if (n == 0 || insn_decode_length(bytes, n, (enum insn_mode)mode, &info) != INSN_OK)
        return 0;
    return info.length;
}

/* Inlined into the hot path; the ops table gets an out-of-line copy. */
static inline __attribute__((always_inline)) enum vm_skip svm_skip_instruction(struct vcpu *v,
                                                                              const struct vm_exit *exit)
{
    u8 len = exit->insn_len;
    if (__builtin_expect(!len, 0) && !(len = decode_length(v)))
        return VM_SKIP_FAILED;
    return svm_skip_len(v->arch, len);
}

/* The ops table's copy, for callers outside the exit path: the owner only. */
static enum vm_skip svm_skip_instruction_op(struct vcpu *v, const struct vm_exit *exit)
{
    vcpu_assert_own_cpu(v, "skip_instruction");
    return svm_skip_instruction(v, exit);
}

/* Begin the NMI window's single step (enum svm_step above). */
static void step_begin(struct svm_vcpu *s, enum svm_step kind)
{
    struct vmcb *vmcb = s->vmcb;
    if (s->step == SVM_STEP_NONE) {
        s->step_guest_tf = (vmcb->save.rflags & SVM_RFLAGS_TF) != 0;
        s->step_dr6 = vmcb->save.dr6;
    }
    s->step = kind;
    vmcb->save.rflags |= SVM_RFLAGS_TF;
    vmcb->control.intercept_exceptions |= 1u << EVENT_VECTOR_DB;
}

/* End it: the guest's TF (unless an IRET loaded its own) and DR6 come
 * back. Returns whether the guest single-stepped too, and so is owed the #DB. */
static bool step_end(struct svm_vcpu *s)
{
    struct vmcb *vmcb = s->vmcb;
    bool guest_steps = s->step_guest_tf;
    if (s->step == SVM_STEP_ONE && !guest_steps)
        vmcb->save.rflags &= ~SVM_RFLAGS_TF;
    vmcb->save.dr6 = s->step_dr6;
    vmcb->control.intercept_exceptions &= ~(1u << EVENT_VECTOR_DB);
    s->step = SVM_STEP_NONE;
    return guest_steps;
}

/* The backend's own exits of the NMI window: the IRET it intercepted and
 * the #DB its step caused. */
static void __attribute__((noinline)) nmi_window_exit(struct vcpu *v, struct vm_exit *e)
{
    struct svm_vcpu *s = v->arch;
    struct vmcb_control *c = &s->vmcb->control;
    if (e->kind == VM_EXIT_IRET) {
        /* The IRET has not run yet: step over it; the window opens after. */
        c->intercept_misc1 &= ~SVM_INTERCEPT1_IRET;
        step_begin(s, SVM_STEP_AFTER_IRET);
    } else if (s->step != SVM_STEP_NONE) { /* the #DB of the step */
        if (step_end(s))
            vcpu_single_step_trap(v);
        e->kind = VM_EXIT_NMI_WINDOW;
    }
}

/* Every exit but CPUID: full decode (inline: the instruction exits are
 * frequent), and the event whose delivery the exit cut short (e.g. a fault
 * while delivering an interrupt through the guest's IDT), for common code
 * to take back (chapter 08): one test of EXITINTINFO's valid bit when there
 * is none, as for every instruction exit. */
static inline __attribute__((always_inline)) void decode_exit(struct vcpu *v, struct vmcb *vmcb,
                                                              u64 code, struct vm_exit *e)
{
    svm_exit_decode(code, vmcb->control.exitinfo1, vmcb->control.exitinfo2, vmcb->save.rip,
                    svm_cpu_caps.nrip_save ? vmcb->control.next_rip : 0, e);
    u64 cut_short = vmcb->control.exitintinfo;
    if (__builtin_expect(cut_short & SVM_EVENTINJ_VALID, 0))
        svm_cut_short_decode(cut_short, &e->cut_short);
    else
        e->cut_short.delivery = VM_DELIVERY_NONE;
    if (code == SVM_EXIT_MSR)
        e->details.msr = (u32)v->gprs.rcx;
    else if (code == SVM_EXIT_VMMCALL)
        e->details.cpl = svm_cpl_from_ss(vmcb->save.ss.attrib);
    else if (code == SVM_EXIT_IRET || code == SVM_EXIT_EXCEPTION_BASE + EVENT_VECTOR_DB)
        nmi_window_exit(v, e);
}

/* Out of line: bookvisor wrote guest state, which only then can make VMRUN
 * fail; the report needs it as given (svm_entry_record). */
void __attribute__((noinline, cold)) svm_record_entry(struct vcpu *v, struct svm_vcpu *s)
{
    s->state_written = false;
    svm_entry_record_take(&s->entered, &s->vmcb->save, v->gprs.rax, vcpu_exit_total(v));
}

/*
 * Hot path: svm_run_loop calls this at every #VMEXIT but the direct path's
 * (svm_exit_direct.c), which hands it those it does not take. A CPUID exit
 * is an instruction intercept, which never interrupts the delivery of an
 * event: it has nothing to take back. EVENTINJ is cleared after every exit:
 * the event it held was delivered, or EXITINTINFO reports it.
 */

bool svm_on_exit(struct vcpu *v)
{
    struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->vmcb;
    struct vm_exit e;

    u64 code = vmcb->control.exitcode;
    v->gprs.rax = vmcb->save.rax;
    vmcb->control.tlb_control = 0;
    vmcb->control.eventinj = 0;
    if (__builtin_expect(code == SVM_EXIT_CPUID, 1))
        svm_exit_decode_hot(code, vmcb->control.exitinfo1, vmcb->control.exitinfo2,
                            vmcb->save.rip, svm_cpu_caps.nrip_save ? vmcb->control.next_rip : 0, &e);
    else {
        check_guest_state(v, vmcb, "exit");
        decode_exit(v, vmcb, code, &e);
    }
    struct svm_vcpu *s = v->arch;
    if (__builtin_expect(s->bound.on, 0)) /* a VMM timer waits: the one test on the way */
        svm_bound_exit(&s->bound, v, vmcb, &e);
    if (!vcpu_handle_exit_inline(v, &e, svm_skip_instruction))
        return false;
    prepare_entry(v, vmcb);
    check_guest_state(v, vmcb, "entry");
    return true;
}

/* VMRUN refuses a bad VMCB with one word, "invalid"; say which rules it
 * breaks before entering (after the failure some CPUs, Bochs among them,
 * have overwritten the save area with the host's state). Once per run. */
static void __attribute__((cold, noinline)) report_broken_rules(u32 bad)
{
    for (unsigned r = 0; r < SVM_RULE_COUNT; r++)
        if (bad & (1u << r))
            kprintf("bookvisor: VMRUN check failed: %s\n", svm_state_rule_name((enum svm_state_rule)r));
}

static void svm_run(struct vcpu *v)
{
    vcpu_assert_own_cpu(v, "run");
    struct svm_vcpu *s = v->arch;
    const struct svm_cpu *sc = v->cpu->backend;
    u32 bad = svm_state_check(s->vmcb);
    if (bad)
        report_broken_rules(bad);
    if (!vcpu_before_entry(v))
        return;
    prepare_entry(v, s->vmcb);
    svm_check_host_save_area(v, sc);
    check_guest_state(v, s->vmcb, "entry");
    svm_run_loop(v, s->vmcb_pa, sc->host_vmcb_pa, s->vmcb);
}

static void svm_inject(struct vcpu *v, const struct vm_event *ev)
{
    vcpu_assert_own_cpu(v, "inject");
    struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->vmcb;
    u64 e = ev->vector | SVM_EVENTINJ_VALID;
    switch (ev->type) {
    case VM_EVENT_EXTERNAL_INTERRUPT: e |= SVM_EVENTINJ_TYPE_INTR; break;
    case VM_EVENT_NMI:
        /* Watch for the end of its handler, so that the VMM's record of the
         * guest's NMI blocking ends with it (an NMI window exit), asked for
         * or not: a record left standing would hold the next NMI back until
         * some later IRET. */
        e |= SVM_EVENTINJ_TYPE_NMI;
        vmcb->control.intercept_misc1 |= SVM_INTERCEPT1_IRET;
        break;
    case VM_EVENT_EXCEPTION: e |= SVM_EVENTINJ_TYPE_EXCEPTION; break;
    }
    if (ev->has_error)
        e |= SVM_EVENTINJ_ERROR_VALID | ((u64)ev->error_code << 32);
    vmcb->control.eventinj = e;
}

static void svm_get_interruptibility(struct vcpu *v, struct event_interruptibility *out)
{
    vcpu_assert_own_cpu(v, "get_interruptibility");
    const struct svm_vcpu *s = v->arch;
    out->interrupts_enabled = (s->vmcb->save.rflags & RFLAGS_IF) != 0;
    out->shadow = s->vmcb->control.interrupt_shadow & 1;
    out->nmi_blocked = false; /* the VMCB keeps none: v->events.nmi_blocked is the record */
}

/*
 * The interrupt window is a virtual interrupt: V_IRQ with the VINTR
 * intercept exits as soon as the guest could take it (RFLAGS.IF = 1, no
 * shadow); V_IGN_TPR so that the guest's task priority does not hold it
 * back. The NMI window is a single step (enum svm_step): over the IRET of the
 * NMI handler when the VMM's record says one runs (the IRET is intercepted
 * first: svm_inject() watches it from the NMI's injection on), else over the
 * one instruction in the shadow, or the one the event injected at this entry
 * returns to.
 */
static void svm_set_event_windows(struct vcpu *v, bool interrupt_window, bool nmi_window)
{
    vcpu_assert_own_cpu(v, "set_event_windows");
    struct svm_vcpu *s = v->arch;
    struct vmcb_control *c = &s->vmcb->control;
    const u64 virq = SVM_VINTR_V_IRQ | SVM_VINTR_V_IGN_TPR | (0xFULL << SVM_VINTR_PRIO_SHIFT);
    /* The bound may wait for the window too (a deferred interrupt, svm_bound.c). */
    if (interrupt_window || s->bound.deferred) {
        c->vintr |= virq;
        c->intercept_misc1 |= SVM_INTERCEPT1_VINTR;
    } else {
        c->vintr &= ~virq;
        c->intercept_misc1 &= ~SVM_INTERCEPT1_VINTR;
    }
    bool was_open = s->nmi_window;
    s->nmi_window = nmi_window;
    if (nmi_window && !was_open && s->step == SVM_STEP_NONE) {
        if (v->events.nmi_blocked) /* an injected NMI's handler runs: its IRET is watched */
            c->intercept_misc1 |= SVM_INTERCEPT1_IRET;
        else
            step_begin(s, SVM_STEP_ONE);
    } else if (!nmi_window && was_open) {
        if (!v->events.nmi_blocked) /* else the IRET of the NMI just injected is watched */
            c->intercept_misc1 &= ~SVM_INTERCEPT1_IRET;
        if (s->step == SVM_STEP_ONE && step_end(s))
            vcpu_single_step_trap(v);
    }
    c->clean_bits = 0;
}

/*
 * The bound on the guest's run while a VMM timer waits (chapter 07):
 * arch/svm/svm_bound.c. With no deadline and no bound in place, nothing.
 */
static void svm_bound_run(struct vcpu *v, u64 tsc_deadline)
{
    vcpu_assert_own_cpu(v, "bound_run");
    struct svm_vcpu *s = v->arch;
    if (tsc_deadline == VCPU_NO_DEADLINE && !s->bound.on)
        return;
    svm_bound_set(&s->bound, v, s->vmcb, tsc_deadline);
}

/* TLB_CONTROL 1: flush everything of this ASID at the next VMRUN (cleared after the exit). */
static void svm_flush_nested_tlb(struct vcpu *v)
{
    vcpu_assert_own_cpu(v, "flush_nested_tlb");
    ((struct svm_vcpu *)v->arch)->vmcb->control.tlb_control = 1;
}

static void svm_set_nested_root(struct vcpu *v, u64 root_pa)
{
    vcpu_assert_own_cpu(v, "set_nested_root");
    struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->vmcb;
    vmcb->control.n_cr3 = root_pa;
    vmcb->control.np_enable = 1;
    vmcb->control.tlb_control = 1;
}

/* NPT walks ordinary long-mode tables: 1 GiB pages when the CPU has them. */
static bool svm_nested_1g_pages(void)
{
    return (cpuid(0x80000001, 0).edx >> 26) & 1;
}

static void print_registers(u64 rip, u64 rsp, u64 rflags, unsigned cpl, u64 cr0, u64 cr3, u64 cr4,
                            u64 efer, const struct vmcb_segment *cs, const struct vmcb_segment *ss)
{
    kprintf("bookvisor:   rip=0x%llx rsp=0x%llx rflags=0x%llx cpl=%u\n", (unsigned long long)rip,
            (unsigned long long)rsp, (unsigned long long)rflags, cpl);
    kprintf("bookvisor:   cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx\n", (unsigned long long)cr0,
            (unsigned long long)cr3, (unsigned long long)cr4, (unsigned long long)efer);
    kprintf("bookvisor:   cs=%04x/%03x base=0x%llx limit=0x%x ss=%04x/%03x\n", cs->selector,
            cs->attrib, (unsigned long long)cs->base, cs->limit, ss->selector, ss->attrib);
}

/*
 * After a failed VMRUN the save area is not the guest's: Bochs and QEMU
 * store the host's state there (the whole area on Bochs, on QEMU when an
 * early check fails). Only what bookvisor gave VMRUN is printed, and only
 * when it is known to be the failed entry's; RBX, RCX and RDX are the
 * guest's either way (VMRUN does not touch them), RAX travels in the VMCB.
 */
static void dump_failed_vmrun(struct vcpu *v, const struct svm_vcpu *s)
{
    const struct svm_entry_record *r = &s->entered;
    if (!svm_entry_record_describes(r, vcpu_exit_total(v))) {
        kprintf("bookvisor:   VMRUN failed: the save area holds what the CPU left there, not the "
                "guest's; bookvisor wrote no guest register for this entry: not known\n");
        kprintf("bookvisor:   rbx=0x%llx rcx=0x%llx rdx=0x%llx\n", (unsigned long long)v->gprs.rbx,
                (unsigned long long)v->gprs.rcx, (unsigned long long)v->gprs.rdx);
        return;
    }
    kprintf("bookvisor:   VMRUN failed: the save area holds what the CPU left there, not the "
            "guest's; what bookvisor gave VMRUN:\n");
    print_registers(r->rip, r->rsp, r->rflags, r->cpl, r->cr0, r->cr3, r->cr4, r->efer, &r->cs, &r->ss);
    kprintf("bookvisor:   rax=0x%llx rbx=0x%llx rcx=0x%llx rdx=0x%llx\n", (unsigned long long)r->rax,
            (unsigned long long)v->gprs.rbx, (unsigned long long)v->gprs.rcx,
            (unsigned long long)v->gprs.rdx);
}

static void svm_dump_state(struct vcpu *v)
{
    vcpu_assert_own_cpu(v, "dump_state");
    const struct svm_vcpu *s = v->arch;
    const struct vmcb *vmcb = s->vmcb;
    const struct vmcb_save *g = &vmcb->save;
    kprintf("bookvisor: guest state: exitcode=0x%llx info1=0x%llx info2=0x%llx exitintinfo=0x%llx\n",
            (unsigned long long)vmcb->control.exitcode, (unsigned long long)vmcb->control.exitinfo1,
            (unsigned long long)vmcb->control.exitinfo2, (unsigned long long)vmcb->control.exitintinfo);
    if (vmcb->control.exitcode == SVM_EXIT_INVALID || vmcb->control.exitcode == 0xFFFFFFFFULL) {
        dump_failed_vmrun(v, s);
        return;
    }
    print_registers(g->rip, g->rsp, g->rflags, g->cpl, g->cr0, g->cr3, g->cr4, g->efer, &g->cs, &g->ss);
    kprintf("bookvisor:   rax=0x%llx rbx=0x%llx rcx=0x%llx rdx=0x%llx\n",
            (unsigned long long)g->rax, (unsigned long long)v->gprs.rbx,
            (unsigned long long)v->gprs.rcx, (unsigned long long)v->gprs.rdx);
}

const struct backend_ops svm_backend = {
    .name = "svm",
    .probe = svm_probe,
    .enable_cpu = svm_enable_cpu,
    .park_cpu = svm_park_cpu,
    .hold_init = svm_hold_init,
    .vcpu_init = svm_vcpu_init,
    .run = svm_run,
    .get_reg = svm_get_reg,
    .set_reg = svm_set_reg,
    .skip_instruction = svm_skip_instruction_op,
    .inject = svm_inject,
    .get_interruptibility = svm_get_interruptibility,
    .set_event_windows = svm_set_event_windows,
    .flush_nested_tlb = svm_flush_nested_tlb,
    .bound_run = svm_bound_run,
    .set_io_intercept = svm_set_io_intercept,
    .set_msr_intercept = svm_set_msr_intercept,
    .set_intercept = svm_set_intercept,
    .set_nested_root = svm_set_nested_root,
    .nested_1g_pages = svm_nested_1g_pages,
    .dump_state = svm_dump_state,
    .uses_vmmcall = true,
    .nmi_exit_reaches_host = true, /* the NMI intercept leaves it pending until STGI */
    .hardware = "AMD-V",
    .nested_format = &npt_format_amd,
};
