/*
 * common/exits/io_exit.c - the guest's accesses to intercepted ports.
 */
#include "common/exits/io_exit.h"
#include "common/exits/emul_string.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"
#include "common/vm/io_ports.h"

/*
 * INS or OUTS: the exit says port, size and direction; the instruction
 * itself says the rest (its address size, a segment prefix for OUTS, REP),
 * so it is decoded, and must agree with the exit.
 */
static enum exit_action string_io(struct vcpu *v, struct vm_exit *e)
{
    const struct vm_exit_io *io = &e->details.io;
    u8 bytes[INSN_MAX_LEN];
    struct mmio_access acc;
    struct emul_view w;
    emul_view_init(v, &w);
    size_t n = emul_fetch_insn(&w, bytes, sizeof(bytes));
    enum mmio_string_op want = io->in ? MMIO_STR_INS : MMIO_STR_OUTS;

    if (n == 0 || mmio_decode(bytes, n, w.mode, &acc) != MMIO_DECODE_OK ||
        acc.form != MMIO_FORM_STRING || acc.string_op != want || acc.size != io->size)
        return vcpu_stop(v, VCPU_STOP_ERROR,
                         "cannot decode the string I/O (%s, %u bytes) to port 0x%x at rip=0x%llx",
                         io->in ? "INS" : "OUTS", io->size, io->port,
                         (unsigned long long)v->backend->get_reg(v, VCPU_REG_RIP));
    if ((u16)w.regs.gpr[2] != io->port)
        return vcpu_stop(v, VCPU_STOP_ERROR, "string I/O exit for port 0x%x with DX 0x%x",
                         io->port, (unsigned)(u16)w.regs.gpr[2]);
    return emul_string(&w, &acc, e, 0, false);
}

enum exit_action io_exit(struct vcpu *v, struct vm_exit *e)
{
    const struct vm_exit_io *io = &e->details.io;
    if (io->string)
        return string_io(v, e);
    return io_exit_port(v, io->port, io->size, io->in);
}
