/*
 * common/exits/emul_access.c - the guest's memory, byte for byte as its CPU sees it.
 */
#include "common/exits/emul_access.h"
#include "common/vm/exit_dispatch.h"
#include "arch/x86/phys.h"
#include "common/base/kprintf.h"
#include "common/lib/access_split.h"
#include "common/vm/backend.h"
#include "common/vm/guest_vm.h"

static const enum vcpu_reg seg_base_reg[INSN_SEG_COUNT] = {
    VCPU_REG_ES_BASE, VCPU_REG_CS_BASE, VCPU_REG_SS_BASE,
    VCPU_REG_DS_BASE, VCPU_REG_FS_BASE, VCPU_REG_GS_BASE,
};

void emul_view_init(struct vcpu *v, struct emul_view *w)
{
    w->v = v;
    guest_vm_paging(v, &w->pg);
    w->mode = (enum insn_mode)guest_vm_insn_mode_in(v, &w->pg);
    w->seg_known = 0;
    const u64 *gpr = (const u64 *)&v->gprs;
#pragma GCC unroll 16 /* a load and a store each, no loop (chapter 14) */
    for (unsigned i = 0; i < 16; i++)
        w->regs.gpr[i] = gpr[i];
    w->regs.gpr[4] = v->backend->get_reg(v, VCPU_REG_RSP); /* RSP lives in the VMCB/VMCS */
    w->regs.rip = v->backend->get_reg(v, VCPU_REG_RIP);
}

u64 emul_seg_base_read(struct emul_view *w, unsigned s)
{
    if (s >= INSN_SEG_COUNT) /* the decoder names only the six */
        return 0;
    w->seg_base[s] = w->v->backend->get_reg(w->v, seg_base_reg[s]);
    w->seg_known |= (u8)(1u << s);
    return w->seg_base[s];
}

size_t emul_fetch_insn(struct emul_view *w, u8 *buf, size_t max)
{
    /* In 64-bit mode CS's base is 0 whatever the register holds. */
    u64 cs_base = w->mode == INSN_MODE_64 ? 0 : emul_seg_base(w, INSN_SEG_CS);
    return guest_vm_fetch_insn_from(w->v, &w->pg, w->mode, cs_base, w->regs.rip, buf, max);
}

u64 emul_linear(struct emul_view *w, const struct insn_mem_ref *ref)
{
    /* In 64-bit mode only FS and GS have a base (insn_linear_address() ignores the rest). */
    bool based = w->mode != INSN_MODE_64 || ref->seg == INSN_SEG_FS || ref->seg == INSN_SEG_GS;
    return insn_linear_address(w->mode, ref, based ? emul_seg_base(w, ref->seg) : 0);
}

void emul_set_gpr(struct emul_view *w, u8 index, u64 value)
{
    index &= 15;
    w->regs.gpr[index] = value;
    if (index == 4)
        w->v->backend->set_reg(w->v, VCPU_REG_RSP, value);
    else
        ((u64 *)&w->v->gprs)[index] = value;
}

bool emul_translate(struct emul_view *w, u64 la, u64 *gpa)
{
    enum guest_walk_status st = guest_walk(&w->pg, la, guest_vm_read_phys, w->v->vm, gpa);
    if (st == GUEST_WALK_OK)
        return true;
    vcpu_stop(w->v, VCPU_STOP_ERROR,
              "emulated access at linear 0x%llx (rip=0x%llx): guest page walk: %s "
              "(bookvisor injects no page faults)",
              (unsigned long long)la, (unsigned long long)w->regs.rip, guest_walk_status_name(st));
    return false;
}

/* Bookvisor's memory and addresses with nothing behind them read as nothing. */
static enum exit_action empty_bus(struct vcpu *v, u64 gpa, bool write, u64 *value,
                                  const char *what)
{
    struct guest_vm *vm = guest_vm_of(v);
    if (vm->private_accesses++ < 4)
        kprintf("bookvisor: guest %s %s at gpa 0x%llx (%s)\n", write ? "write" : "read", what,
                (unsigned long long)gpa, write ? "dropped" : "reads as all ones");
    if (!write)
        *value = ~0ULL;
    return EXIT_SKIP;
}

/* Guest RAM or device memory the guest owns: the access itself, at its width. */
static void direct_access(u64 gpa, u8 size, bool write, u64 *value)
{
    if (write)
        phys_write(gpa, size, *value);
    else
        *value = phys_read(gpa, size);
}

enum exit_action emul_phys_access(struct vcpu *v, u64 gpa, u8 size, bool write, u64 *value)
{
    struct guest_vm *vm = guest_vm_of(v);
    struct mmio_hook h;

    /* The hook first: a page is hooked exactly while its hook is registered. */
    if (mmio_hook_find(vm, gpa, &h))
        return h.fn(h.ctx, v, gpa, size, write, value);
    spin_lock(&vm->npt_lock);
    enum npt_kind kind = npt_layout_kind_at(&vm->layout, gpa);
    spin_unlock(&vm->npt_lock);
    bool vmm = gpa < vm->vmm_base + vm->vmm_size && vm->vmm_base < gpa + size;
    if ((kind == NPT_KIND_RAM || kind == NPT_KIND_MMIO) && !vmm) {
        direct_access(gpa, size, write, value);
        return EXIT_SKIP;
    }
    return empty_bus(v, gpa, write, value,
                     vmm || kind == NPT_KIND_VMM_PRIVATE ? "VMM memory"
                     : kind == NPT_KIND_HOOKED            ? "a hooked page without a handler"
                                                          : "unbacked memory");
}

enum exit_action emul_linear_access(struct emul_view *w, u64 la, u8 size, bool write,
                                    u64 *value)
{
    struct access_piece pieces[ACCESS_SPLIT_MAX];
    unsigned n = access_split(la, size > 8 ? 8 : size, pieces);
    u64 result = 0;

    for (unsigned i = 0; i < n; i++) {
        u64 gpa, part = access_bytes_get(*value, pieces[i].offset, pieces[i].size);
        u64 pla = w->mode == INSN_MODE_64 ? pieces[i].addr : pieces[i].addr & 0xFFFFFFFFULL;
        if (!emul_translate(w, pla, &gpa))
            return EXIT_STOP;
        enum exit_action a = emul_phys_access(w->v, gpa, pieces[i].size, write, &part);
        if (a != EXIT_SKIP)
            return a;
        result = access_bytes_put(result, pieces[i].offset, pieces[i].size, part);
    }
    if (!write)
        *value = result;
    return EXIT_SKIP;
}

enum exit_action emul_linear_bytes(struct emul_view *w, u64 la, u8 size, bool write, u8 *buf)
{
    for (u8 done = 0; done < size; done += 8) {
        u8 part = size - done < 8 ? (u8)(size - done) : 8;
        u64 value = 0;
        for (u8 i = 0; i < part; i++)
            value |= (u64)buf[done + i] << (8 * i);
        enum exit_action a = emul_linear_access(w, la + done, part, write, &value);
        if (a != EXIT_SKIP)
            return a;
        for (u8 i = 0; !write && i < part; i++)
            buf[done + i] = (u8)(value >> (8 * i));
    }
    return EXIT_SKIP;
}

bool emul_touches_page(struct emul_view *w, u64 la, unsigned size, u64 gpa)
{
    if (size == 0)
        return false;
    /* At most 16 bytes: the pages of the first and the last byte are all it touches. */
    u64 mask = w->mode == INSN_MODE_64 ? ~0ULL : 0xFFFFFFFFULL;
    u64 ends[2] = { la & mask, (la + (size > 16 ? 16 : size) - 1) & mask };
    unsigned n = (ends[0] >> 12) == (ends[1] >> 12) ? 1 : 2;

    for (unsigned i = 0; i < n; i++) {
        u64 at;
        if (guest_walk(&w->pg, ends[i], guest_vm_read_phys, w->v->vm, &at) == GUEST_WALK_OK &&
            (at >> 12) == (gpa >> 12))
            return true;
    }
    return false;
}

enum exit_action emul_finish(struct vcpu *v, const struct vm_exit *e, u8 len)
{
    struct vm_exit skip = *e;
    skip.insn_len = len;
    /* vcpu_skip(): a single-stepping guest gets its #DB after the instruction. */
    return vcpu_skip(v, &skip) ? EXIT_RESUME : EXIT_STOP;
}
