/*
 * common/exits/mmio_exit.c - nested page faults, and the accesses bookvisor
 * carries out for the guest when a page is not simply mapped.
 *
 * Decision (chapter 05): the memory of a guest access is found from the
 * instruction itself (segment, offset, the guest's page tables), not from
 * the fault's address alone. The fault names one address in one page, and
 * an access that crosses a page, a string instruction or a stack push has
 * more than that; the fault's page must be one the instruction touches.
 * bookvisor's own memory and addresses with nothing behind them read as
 * nothing: all ones, writes dropped, and the guest goes on.
 */
#include "common/exits/mmio_exit.h"
#include "common/vm/vcpu_events.h"
#include "common/exits/emul_access.h"
#include "common/exits/emul_string.h"
#include "common/exits/vector_regs.h"
#include "common/insn/mmio_rmw.h"
#include "common/lib/format.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vm_nested.h"

#define SS_ATTR_DB (1u << 10) /* a 32-bit stack */

/* The fault must be the instruction's: its page among the access's pages. */
static enum exit_action check_fault(struct emul_view *w, u64 la, unsigned size, u64 gpa)
{
    if (emul_touches_page(w, la, size, gpa))
        return EXIT_SKIP;
    return vcpu_stop(w->v, VCPU_STOP_ERROR,
                     "a nested page fault at gpa 0x%llx that the instruction at rip=0x%llx "
                     "(memory at linear 0x%llx) does not explain: not emulated",
                     (unsigned long long)gpa, (unsigned long long)w->regs.rip,
                     (unsigned long long)la);
}

static u64 mem_operand(struct emul_view *w, const struct mmio_access *acc)
{
    struct insn_mem_ref ref;

    if (acc->has_moffs)
        ref = insn_moffs_address(&acc->insn);
    else
        insn_modrm_address(&acc->insn, &w->regs, &ref); /* the decoder accepted memory forms only */
    return emul_linear(w, &ref);
}

/* MOV, MOVZX, MOVSX: one read into a register or one write of a register or immediate. */
static enum exit_action emulate_mov(struct emul_view *w, const struct mmio_access *acc, u64 la)
{
    u64 regval = w->regs.gpr[acc->reg & 15];
    u64 value = acc->dir == MMIO_WRITE ? mmio_write_value(acc, regval) : 0;
    enum exit_action a = emul_linear_access(w, la, acc->size, acc->dir == MMIO_WRITE, &value);

    if (a == EXIT_SKIP && acc->dir == MMIO_READ)
        emul_set_gpr(w, acc->reg, mmio_read_result_apply(acc, regval, value));
    return a;
}

/* OR, AND, XADD, CMPXCHG: one read, one write, flags and maybe a register. */
static enum exit_action emulate_rmw(struct emul_view *w, const struct mmio_access *acc, u64 la)
{
    struct vcpu *v = w->v;
    struct mmio_rmw_result r;
    u64 mem = 0;
    enum exit_action a = emul_linear_access(w, la, acc->size, false, &mem);

    if (a != EXIT_SKIP)
        return a;
    mmio_rmw_apply(acc, mem, w->regs.gpr[acc->reg & 15], w->regs.gpr[0],
                   v->backend->get_reg(v, VCPU_REG_RFLAGS), &r);
    a = emul_linear_access(w, la, acc->size, true, &r.write_value);
    if (a != EXIT_SKIP)
        return a;
    if (r.reg_written)
        emul_set_gpr(w, r.reg, r.reg_value);
    v->backend->set_reg(v, VCPU_REG_RFLAGS, r.rflags);
    return EXIT_SKIP;
}

/* MOVD, MOVQ, MOVDQA/U, MOVAPS/UPS/APD/UPD between memory and an MMX or XMM register. */
static enum exit_action emulate_vector(struct emul_view *w, const struct mmio_access *acc, u64 la)
{
    u8 reg[16] = { 0 };

    if (acc->vec_file == MMIO_VEC_XMM && acc->vec_reg >= 8 && w->mode != INSN_MODE_64)
        return vcpu_stop(w->v, VCPU_STOP_ERROR, "XMM%u outside 64-bit mode", acc->vec_reg);
    if (acc->dir == MMIO_WRITE) {
        vector_reg_read(acc->vec_file, acc->vec_reg, reg);
        return emul_linear_bytes(w, la, acc->size, true, reg);
    }
    enum exit_action a = emul_linear_bytes(w, la, acc->size, false, reg);
    if (a != EXIT_SKIP)
        return a;
    if (!acc->vec_zero_upper && acc->size < 16 && acc->vec_file == MMIO_VEC_XMM)
        return vcpu_stop(w->v, VCPU_STOP_ERROR, "a partial XMM load is not emulated");
    vector_reg_write(acc->vec_file, acc->vec_reg, reg); /* the bytes above size are zero */
    return EXIT_SKIP;
}

/* The width of the stack pointer: 64-bit mode, else SS.B. */
static u8 stack_width(struct emul_view *w)
{
    if (w->mode == INSN_MODE_64)
        return 8;
    return (w->v->backend->get_reg(w->v, VCPU_REG_SS_ATTR) & SS_ATTR_DB) ? 4 : 2;
}

/* The memory of PUSH r (below rSP) or POP r (at rSP). */
static u64 stack_slot(struct emul_view *w, const struct mmio_access *acc)
{
    u8 width = stack_width(w);
    u64 rsp = w->regs.gpr[4];
    struct insn_mem_ref ref = { INSN_SEG_SS, acc->dir == MMIO_WRITE
                                                 ? insn_reg_low(rsp - acc->size, width)
                                                 : insn_reg_low(rsp, width) };
    return emul_linear(w, &ref);
}

static enum exit_action emulate_stack(struct emul_view *w, const struct mmio_access *acc, u64 la)
{
    u8 width = stack_width(w);
    u64 rsp = w->regs.gpr[4], value = w->regs.gpr[acc->reg & 15];
    s64 delta = acc->dir == MMIO_WRITE ? -(s64)acc->size : (s64)acc->size;
    enum exit_action a = emul_linear_access(w, la, acc->size, acc->dir == MMIO_WRITE, &value);

    if (a != EXIT_SKIP)
        return a;
    emul_set_gpr(w, 4, insn_reg_add(rsp, delta, width, w->mode));
    if (acc->dir == MMIO_READ) /* POP rSP: the popped value wins */
        emul_set_gpr(w, acc->reg,
                     mmio_reg_merge(w->regs.gpr[acc->reg & 15], value, acc->size, false, w->mode));
    return EXIT_SKIP;
}

/* The bytes that could not be emulated, named for the stop message. */
static enum exit_action refuse(struct vcpu *v, const struct vm_exit *e, const u8 *bytes, size_t n,
                               const char *what)
{
    char hex[INSN_MAX_LEN * 3 + 1] = "";
    for (size_t i = 0, at = 0; i < n && i < INSN_MAX_LEN; i++, at = 3 * i - 1)
        ksnprintf(hex + at, sizeof(hex) - at, "%s%02x", i ? " " : "", bytes[i]);
    return vcpu_stop(v, VCPU_STOP_ERROR,
                     "cannot emulate the guest's access to %s at gpa 0x%llx at rip=0x%llx: "
                     "instruction bytes [%s]%s",
                     what, (unsigned long long)e->details.npf.gpa,
                     (unsigned long long)v->backend->get_reg(v, VCPU_REG_RIP), n ? hex : "",
                     n ? "" : " (the instruction could not be fetched)");
}

/* Decode the faulting instruction and carry it out. */
static enum exit_action emulate(struct vcpu *v, struct vm_exit *e, const char *what)
{
    u8 bytes[INSN_MAX_LEN];
    struct mmio_access acc;
    struct emul_view w;
    u64 gpa = e->details.npf.gpa;

    emul_view_init(v, &w);
    /* A fetch: said by the exit, or (QEMU does not say it) RIP in the faulting page. */
    struct insn_mem_ref code = { INSN_SEG_CS, w.regs.rip };
    if (e->details.npf.fetch || emul_touches_page(&w, emul_linear(&w, &code), 1, gpa))
        return vcpu_stop(v, VCPU_STOP_ERROR, "the guest executes %s at gpa 0x%llx", what,
                         (unsigned long long)gpa);
    size_t n = emul_fetch_insn(&w, bytes, sizeof(bytes));
    if (n == 0 || mmio_decode(bytes, n, w.mode, &acc) != MMIO_DECODE_OK)
        return refuse(v, e, bytes, n, what);
    if (acc.form == MMIO_FORM_STRING)
        return emul_string(&w, &acc, e, gpa, true);

    u64 la = acc.form == MMIO_FORM_STACK ? stack_slot(&w, &acc) : mem_operand(&w, &acc);
    enum exit_action a = check_fault(&w, la, acc.size, gpa);
    if (a != EXIT_SKIP)
        return a;
    switch (acc.form) {
    case MMIO_FORM_RMW: a = emulate_rmw(&w, &acc, la); break;
    case MMIO_FORM_VECTOR: a = emulate_vector(&w, &acc, la); break;
    case MMIO_FORM_STACK: a = emulate_stack(&w, &acc, la); break;
    default: a = emulate_mov(&w, &acc, la); break;
    }
    return a == EXIT_SKIP ? emul_finish(v, e, acc.length) : a;
}

enum exit_action mmio_exit(struct vcpu *v, struct vm_exit *e)
{
    struct guest_vm *vm = guest_vm_of(v);
    switch (guest_vm_nested_fault(vm, e->details.npf.gpa)) {
    case NPT_FAULT_MAPPED:
        if (__builtin_expect(vm->test_gp_on_next_npf, 0)) { /* test.events: a fault on top */
            vm->test_gp_on_next_npf = false;
            return vcpu_raise_gp(v);
        }
        return EXIT_RESUME;
    case NPT_FAULT_VMM_PRIVATE:
        return emulate(v, e, "VMM memory");
    case NPT_FAULT_NOT_BACKED:
        return emulate(v, e, "unbacked memory");
    case NPT_FAULT_HOOKED:
        return emulate(v, e, "a hooked page");
    case NPT_FAULT_NO_MEMORY:
    default:
        return vcpu_stop(v, VCPU_STOP_ERROR, "no memory for nested page tables (gpa 0x%llx)",
                         (unsigned long long)e->details.npf.gpa);
    }
}
