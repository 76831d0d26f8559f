/*
 * arch/svm/svm_guest_state.c - the VMCB save area from a generic initial
 * state, and the VMRUN checks it must pass (pure; see svm_guest_state.h).
 */
#include "arch/svm/svm_guest_state.h"
#include "common/vm/vcpu_state.h"

#define EFER_MBZ (0xFFFFFFFF00000000ULL | (1ULL << 9) | 0xFEULL)
#define HIGH32 0xFFFFFFFF00000000ULL

static void segment(struct vmcb_segment *d, const struct vcpu_segment *s)
{
    d->selector = s->selector;
    d->attrib = s->attr;
    d->limit = s->limit;
    d->base = s->base;
}

void svm_guest_state_encode(const struct vcpu_init_state *st, struct vmcb_save *g)
{
    segment(&g->cs, &st->cs);
    segment(&g->ds, &st->ds);
    segment(&g->es, &st->es);
    segment(&g->fs, &st->fs);
    segment(&g->gs, &st->gs);
    segment(&g->ss, &st->ss);
    segment(&g->tr, &st->tr);
    segment(&g->ldtr, &st->ldtr);
    g->gdtr.base = st->gdtr.base;
    g->gdtr.limit = st->gdtr.limit;
    g->idtr.base = st->idtr.base;
    g->idtr.limit = st->idtr.limit;
    g->cpl = (st->ss.attr >> 5) & 3;
    g->efer = st->efer | VCPU_EFER_SVME;
    g->cr0 = st->cr0;
    g->cr3 = st->cr3;
    g->cr4 = st->cr4;
    g->dr6 = 0xFFFF0FF0;
    g->dr7 = 0x400;
    g->rflags = st->rflags;
    g->rip = st->rip;
    g->rsp = st->rsp;
    g->rax = st->gprs.rax;
    g->g_pat = 0x0007040600070406ULL; /* power-on PAT */
}

u32 svm_state_check(const struct vmcb *vmcb)
{
    const struct vmcb_save *g = &vmcb->save;
    bool long_mode = (g->efer & VCPU_EFER_LME) && (g->cr0 & VCPU_CR0_PG);
    u32 bad = 0;

    bad |= (u32)!(g->efer & VCPU_EFER_SVME) << SVM_RULE_EFER_SVME;
    bad |= (u32)((g->cr0 & VCPU_CR0_NW) && !(g->cr0 & VCPU_CR0_CD)) << SVM_RULE_CR0_CD_NW;
    bad |= (u32)!!(g->cr0 & HIGH32) << SVM_RULE_CR0_HIGH;
    bad |= (u32)!!(g->cr4 & (HIGH32 | VCPU_CR4_VMXE)) << SVM_RULE_CR4_RESERVED;
    bad |= (u32)!!((g->dr6 | g->dr7) & HIGH32) << SVM_RULE_DR_HIGH;
    bad |= (u32)!!(g->efer & EFER_MBZ) << SVM_RULE_EFER_RESERVED;
    bad |= (u32)(long_mode && !(g->cr4 & VCPU_CR4_PAE)) << SVM_RULE_LONG_PAE;
    bad |= (u32)(long_mode && !(g->cr0 & VCPU_CR0_PE)) << SVM_RULE_LONG_PE;
    bad |= (u32)(long_mode && (g->cr4 & VCPU_CR4_PAE) && (g->cs.attrib & VCPU_SEG_L) &&
                 (g->cs.attrib & VCPU_SEG_DB)) << SVM_RULE_LONG_CS;
    bad |= (u32)!(vmcb->control.intercept_misc2 & SVM_INTERCEPT2_VMRUN) << SVM_RULE_VMRUN_INTERCEPT;
    bad |= (u32)(vmcb->control.guest_asid == 0) << SVM_RULE_ASID;
    return bad;
}

u64 svm_efer_for_vmcb(u64 guest_efer, u64 cr0, u64 cr4, bool *lme_held)
{
    bool paging = cr0 & VCPU_CR0_PG;
    *lme_held = (guest_efer & VCPU_EFER_LME) && !paging && !(cr4 & VCPU_CR4_PAE);
    u64 efer = guest_efer & ~(VCPU_EFER_LMA | (*lme_held ? VCPU_EFER_LME : 0));
    if ((efer & VCPU_EFER_LME) && paging)
        efer |= VCPU_EFER_LMA;
    return efer | VCPU_EFER_SVME;
}

void svm_entry_record_take(struct svm_entry_record *r, const struct vmcb_save *g, u64 rax,
                           u64 exits)
{
    r->taken = true;
    r->exits = exits;
    r->rip = g->rip;
    r->rsp = g->rsp;
    r->rflags = g->rflags;
    r->rax = rax;
    r->cr0 = g->cr0;
    r->cr3 = g->cr3;
    r->cr4 = g->cr4;
    r->efer = g->efer;
    r->cs = g->cs;
    r->ss = g->ss;
    r->cpl = g->cpl;
}

bool svm_entry_record_describes(const struct svm_entry_record *r, u64 exits_now)
{
    return r->taken && r->exits + 1 == exits_now;
}

const char *svm_state_rule_name(enum svm_state_rule r)
{
    static const char *const names[SVM_RULE_COUNT] = {
        [SVM_RULE_EFER_SVME] = "guest EFER.SVME is set",
        [SVM_RULE_CR0_CD_NW] = "guest CR0.NW only with CR0.CD",
        [SVM_RULE_CR0_HIGH] = "guest CR0 bits 63:32 are zero",
        [SVM_RULE_CR4_RESERVED] = "guest CR4 reserved bits (63:32, VMXE) are zero",
        [SVM_RULE_DR_HIGH] = "guest DR6 and DR7 bits 63:32 are zero",
        [SVM_RULE_EFER_RESERVED] = "guest EFER reserved bits are zero",
        [SVM_RULE_LONG_PAE] = "guest EFER.LME with CR0.PG needs CR4.PAE",
        [SVM_RULE_LONG_PE] = "guest EFER.LME with CR0.PG needs CR0.PE",
        [SVM_RULE_LONG_CS] = "guest CS.L and CS.D not both set in long mode",
        [SVM_RULE_VMRUN_INTERCEPT] = "the VMRUN intercept is set",
        [SVM_RULE_ASID] = "the guest ASID is not 0",
    };
    return (unsigned)r < SVM_RULE_COUNT ? names[r] : "?";
}
