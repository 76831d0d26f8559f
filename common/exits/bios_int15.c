/*
 * common/exits/bios_int15.c - the INT 15h stub and bookvisor's answers to
 * the BIOS's memory-size calls (chapter 12).
 */
#include "common/exits/bios_int15.h"
#include "arch/x86/phys.h"
#include "common/base/bios_memmap.h"
#include "common/base/kprintf.h"
#include "common/exits/emul_access.h"
#include "common/vm/backend.h"

#define BDA_BASE_MEMORY_KIB 0x413 /* BIOS data area: conventional memory in KiB */
#define IVT_INT15 (0x15 * 4)      /* the real-mode vector table's INT 15h entry */
#define RFLAGS_CF 1u
#define SEG_ATTR_DB (1u << 10)
#define ERR_UNSUPPORTED 0x86 /* AH on a call the BIOS does not support */

void bios_int15_plan(struct phys_range *hole)
{
    u16 kib = (u16)phys_read(BDA_BASE_MEMORY_KIB, 2);
    u64 pa;
    *hole = (struct phys_range){ 0, 0, 2 };
    if (!bios_stub_place(kib, &pa)) {
        kprintf("bookvisor: warning: the BIOS data area says %u KiB of conventional memory; "
                "the BIOS's memory-size calls are left unanswered (they report bookvisor's "
                "range as RAM)\n", kib);
        return;
    }
    *hole = (struct phys_range){ pa, 1024, 2 };
}

void bios_int15_install(struct guest_vm *vm, const struct phys_range *hole)
{
    if (!hole->length)
        return;
    u16 old_off = (u16)phys_read(IVT_INT15, 2);
    u16 old_seg = (u16)phys_read(IVT_INT15 + 2, 2);
    u8 stub[BIOS_STUB_SIZE];
    bios_stub_bytes(stub, vm->backend->uses_vmmcall, old_seg, old_off);
    for (unsigned i = 0; i < BIOS_STUB_SIZE; i++)
        phys_write(hole->base + i, 1, stub[i]);
    /* The stub at segment base:0, so that its IP is its offset. */
    phys_write(IVT_INT15, 2, 0);
    phys_write(IVT_INT15 + 2, 2, hole->base >> 4);
    phys_write(BDA_BASE_MEMORY_KIB, 2, hole->base >> 10);
    vm->bios_stub_pa = hole->base;
    kprintf("bookvisor: INT 15h memory-size calls answered at %04llx:0000 (BIOS handler %04x:%04x)\n",
            (unsigned long long)(hole->base >> 4), old_seg, old_off);
}

static u64 get(struct vcpu *v, enum vcpu_reg r)
{
    return v->backend->get_reg(v, r);
}

bool bios_int15_is_stub_call(struct vcpu *v)
{
    u64 stub = guest_vm_of(v)->bios_stub_pa;
    if (!stub || (get(v, VCPU_REG_CR0) & CR0_PE))
        return false;
    return get(v, VCPU_REG_CS_BASE) + (get(v, VCPU_REG_RIP) & 0xFFFF) ==
           stub + BIOS_STUB_HYPERCALL_OFFSET;
}

/* The carry flag in the FLAGS the INT pushed (IP, CS, FLAGS above the
 * stub's saved EBP at SS:SP): the stub's IRET restores it. */
static enum exit_action set_saved_carry(struct emul_view *w, bool carry)
{
    u64 sp = w->regs.gpr[4];
    if (!(w->v->backend->get_reg(w->v, VCPU_REG_SS_ATTR) & SEG_ATTR_DB))
        sp &= 0xFFFF;
    /* The stub's saved EBP, then the INT's IP and CS, then FLAGS. */
    u64 la = emul_seg_base(w, INSN_SEG_SS) + ((sp + BIOS_STUB_STACK_BYTES + 4) & 0xFFFF);
    u64 flags = 0;
    enum exit_action a = emul_linear_access(w, la, 2, false, &flags);
    if (a != EXIT_SKIP)
        return a;
    flags = carry ? (flags | RFLAGS_CF) : (flags & ~(u64)RFLAGS_CF);
    return emul_linear_access(w, la, 2, true, &flags);
}

static void set_ah(struct vcpu *v, u8 ah)
{
    v->gprs.rax = (v->gprs.rax & ~0xFF00ULL) | ((u64)ah << 8);
}

static void set_low16(u64 *reg, u16 value)
{
    *reg = (*reg & ~0xFFFFULL) | value;
}

static enum exit_action answer_e820(struct emul_view *w)
{
    struct vcpu *v = w->v;
    struct guest_vm *vm = guest_vm_of(v);
    struct bios_e820_entry e;
    u32 next;
    u32 size = bios_e820_answer_size((u32)v->gprs.rcx);
    /* Any other size (0: a buffer too small) is refused rather than written. */
    if ((u32)v->gprs.rdx != BIOS_E820_SMAP || size < BIOS_E820_ENTRY_SIZE ||
        size > BIOS_E820_ENTRY_SIZE_EXT ||
        !bios_e820_entry(vm->memory_map, vm->memory_map_len, (u32)v->gprs.rbx, &e, &next)) {
        set_ah(v, ERR_UNSUPPORTED);
        return set_saved_carry(w, true);
    }
    u64 la = emul_seg_base(w, INSN_SEG_ES) + (v->gprs.rdi & 0xFFFF);
    const u8 *bytes = (const u8 *)&e;
    enum exit_action a = emul_linear_bytes(w, la, 16, true, (u8 *)bytes);
    if (a == EXIT_SKIP)
        a = emul_linear_bytes(w, la + 16, (u8)(size - 16), true, (u8 *)bytes + 16);
    if (a != EXIT_SKIP)
        return a;
    v->gprs.rax = BIOS_E820_SMAP;
    v->gprs.rcx = size;
    v->gprs.rbx = next;
    return set_saved_carry(w, false);
}

enum exit_action bios_int15_answer(struct vcpu *v)
{
    struct guest_vm *vm = guest_vm_of(v);
    struct emul_view w;
    emul_view_init(v, &w);
    u16 ax = (u16)v->gprs.rax;
    if (ax == 0xE820)
        return answer_e820(&w);
    if (ax == 0xE801) {
        struct bios_e801_answer a = bios_e801_answer(vm->memory_map, vm->memory_map_len);
        set_low16(&v->gprs.rax, a.kib_1m_to_16m);
        set_low16(&v->gprs.rcx, a.kib_1m_to_16m);
        set_low16(&v->gprs.rbx, a.blocks_above_16m);
        set_low16(&v->gprs.rdx, a.blocks_above_16m);
        return set_saved_carry(&w, false);
    }
    if ((ax >> 8) == 0x88) {
        set_low16(&v->gprs.rax, bios_88_answer(vm->memory_map, vm->memory_map_len));
        return set_saved_carry(&w, false);
    }
    /* Not ours: on to the far jump, and the BIOS answers. */
    u64 ip = get(v, VCPU_REG_RIP) - BIOS_STUB_HYPERCALL_OFFSET + BIOS_STUB_CHAIN_OFFSET;
    v->backend->set_reg(v, VCPU_REG_RIP, ip & 0xFFFF);
    return EXIT_RESUME;
}
