/*
 * common/exits/emul_string.c - MOVS STOS LODS INS OUTS, element by element.
 */
#include "common/exits/emul_string.h"
#include "common/vm/backend.h"
#include "common/vm/io_ports.h"

#define RFLAGS_DF (1ULL << 10)
#define REG_RAX 0
#define REG_RCX 1
#define REG_RDX 2
#define REG_RSI 6
#define REG_RDI 7

static bool reads_source(enum mmio_string_op op)
{
    return op == MMIO_STR_MOVS || op == MMIO_STR_LODS || op == MMIO_STR_OUTS;
}

static bool writes_dest(enum mmio_string_op op)
{
    return op == MMIO_STR_MOVS || op == MMIO_STR_STOS || op == MMIO_STR_INS;
}

/* One element: read its source (memory, port or rAX), write its destination. */
static enum exit_action one_element(struct emul_view *w, const struct mmio_access *acc, u64 src,
                                    u64 dst)
{
    enum mmio_string_op op = acc->string_op;
    u8 size = acc->size;
    u64 value = w->regs.gpr[REG_RAX];
    u32 port_value = 0;
    u16 port = (u16)w->regs.gpr[REG_RDX];
    enum exit_action a = EXIT_SKIP;

    if (reads_source(op))
        a = emul_linear_access(w, src, size, false, &value);
    else if (op == MMIO_STR_INS && (a = io_port_access(w->v, port, size, false, &port_value)) ==
                                       EXIT_SKIP)
        value = port_value;
    if (a != EXIT_SKIP)
        return a;
    if (writes_dest(op))
        return emul_linear_access(w, dst, size, true, &value);
    if (op == MMIO_STR_OUTS) {
        port_value = (u32)value;
        return io_port_access(w->v, port, size, true, &port_value);
    }
    emul_set_gpr(w, REG_RAX, mmio_reg_merge(w->regs.gpr[REG_RAX], value, size, false, w->mode));
    return EXIT_SKIP;
}

enum exit_action emul_string(struct emul_view *w, const struct mmio_access *acc,
                             const struct vm_exit *e, u64 fault_gpa, bool check_fault)
{
    struct vcpu *v = w->v;
    u8 asz = acc->insn.address_size;
    u64 count = acc->rep ? insn_reg_low(w->regs.gpr[REG_RCX], asz) : 1;
    s64 step = (v->backend->get_reg(v, VCPU_REG_RFLAGS) & RFLAGS_DF) ? -(s64)acc->size
                                                                     : (s64)acc->size;
    u64 todo = count > EMUL_STRING_CHUNK ? EMUL_STRING_CHUNK : count;

    for (u64 i = 0; i < todo; i++) {
        struct insn_mem_ref sref = insn_string_source(&acc->insn, &w->regs);
        struct insn_mem_ref dref = insn_string_dest(&acc->insn, &w->regs);
        u64 src = emul_linear(w, &sref), dst = emul_linear(w, &dref);

        if (i == 0 && check_fault &&
            !(reads_source(acc->string_op) && emul_touches_page(w, src, acc->size, fault_gpa)) &&
            !(writes_dest(acc->string_op) && emul_touches_page(w, dst, acc->size, fault_gpa)))
            return vcpu_stop(v, VCPU_STOP_ERROR,
                             "a nested page fault at gpa 0x%llx that the string instruction at "
                             "rip=0x%llx does not explain: not emulated",
                             (unsigned long long)fault_gpa, (unsigned long long)w->regs.rip);
        enum exit_action a = one_element(w, acc, src, dst);
        if (a != EXIT_SKIP)
            return a;
        if (reads_source(acc->string_op))
            emul_set_gpr(w, REG_RSI, insn_reg_add(w->regs.gpr[REG_RSI], step, asz, w->mode));
        if (writes_dest(acc->string_op))
            emul_set_gpr(w, REG_RDI, insn_reg_add(w->regs.gpr[REG_RDI], step, asz, w->mode));
        if (acc->rep)
            emul_set_gpr(w, REG_RCX, insn_reg_add(w->regs.gpr[REG_RCX], -1, asz, w->mode));
    }
    if (todo < count)
        return EXIT_RESUME; /* the same instruction again, with the registers moved on */
    return emul_finish(v, e, acc->length);
}
