/**
 * @file common/exits/emul_access.h
 * @brief The guest's memory as an emulated instruction sees it (VMM only; chapter 05).
 *
 * When bookvisor carries out an instruction for the guest (an access to a
 * hooked page, to its own memory, a string I/O instruction), every byte
 * goes where the guest's own CPU would have sent it: from segment and offset
 * to a linear address, through the guest's page tables
 * (common/insn/guest_walk.h) to a guest-physical address, and then, piece
 * by naturally aligned piece (common/lib/access_split.h), to whatever is
 * there: a hooked page's handler, the guest's RAM or passed-through device
 * memory, or for bookvisor's own memory and addresses with nothing behind
 * them the empty bus: reads give all ones, writes are dropped. The guest
 * can never read or write bookvisor's memory this way.
 */
#ifndef BOOKVISOR_COMMON_EXITS_EMUL_ACCESS_H
#define BOOKVISOR_COMMON_EXITS_EMUL_ACCESS_H

#include "common/insn/guest_walk.h"
#include "common/insn/insn_addr.h"
#include "common/vm/vcpu.h"

/** What an emulation needs to see the guest's memory and registers. */
struct emul_view {
    struct vcpu *v; /**< the vCPU whose instruction is emulated */
    struct guest_paging pg; /**< its paging state */
    enum insn_mode mode; /**< its code segment's mode */
    u64 seg_base[INSN_SEG_COUNT]; /**< ES CS SS DS FS GS bases, those in seg_known (emul_seg_base()) */
    u8 seg_known; /**< bit s: seg_base[s] has been read from the backend */
    struct insn_regs regs; /**< general registers with RSP, and RIP */
};

/** Read the vCPU's paging state, mode and registers; segment bases are read when first used. */
void emul_view_init(struct vcpu *v, struct emul_view *w);

/** The instruction at the view's RIP, as guest_vm_fetch_insn() reads it, with no register read again. */
size_t emul_fetch_insn(struct emul_view *w, u8 *buf, size_t max);

/** emul_seg_base()'s first read of segment s's base, from the backend. */
u64 emul_seg_base_read(struct emul_view *w, unsigned s);

/**
 * The base of segment s (enum insn_seg), read from the backend the first
 * time it is asked for: an access uses one or two of the six (chapter 14).
 */
static inline u64 emul_seg_base(struct emul_view *w, unsigned s)
{
    if (s < INSN_SEG_COUNT && (w->seg_known & (1u << s)))
        return w->seg_base[s];
    return emul_seg_base_read(w, s);
}

/** The linear address of a memory reference. */
u64 emul_linear(struct emul_view *w, const struct insn_mem_ref *ref);

/** Write general register index (0..15; 4 is RSP) in the vCPU and in the view. */
void emul_set_gpr(struct emul_view *w, u8 index, u64 value);

/**
 * Translate a linear address through the guest's page tables.
 * @return false, with the guest stopped and the reason given, when the walk fails
 */
bool emul_translate(struct emul_view *w, u64 la, u64 *gpa);

/**
 * Carry out size (1 to 8) bytes at linear address la: cut into naturally
 * aligned pieces, each translated and sent where its page says.
 * @return EXIT_SKIP when done, EXIT_STOP when a walk failed or a hook stopped the guest
 */
enum exit_action emul_linear_access(struct emul_view *w, u64 la, u8 size, bool write,
                                    u64 *value);

/** As emul_linear_access() for 1 to 16 bytes in a buffer (little endian). */
enum exit_action emul_linear_bytes(struct emul_view *w, u64 la, u8 size, bool write, u8 *buf);

/**
 * One naturally aligned piece of size 1, 2, 4 or 8 bytes at a guest-physical
 * address, sent where its page says: the hook of a hooked page, the guest's
 * RAM or device memory directly, the empty bus for everything else.
 */
enum exit_action emul_phys_access(struct vcpu *v, u64 gpa, u8 size, bool write, u64 *value);

/**
 * Does the access of size bytes at la touch the 4 KiB page of gpa? An
 * emulation checks the nested fault it answers this way: a fault its
 * instruction does not explain (the CPU's own walk of page tables in memory
 * the guest may not use) is not emulated.
 */
bool emul_touches_page(struct emul_view *w, u64 la, unsigned size, u64 gpa);

/** Step over the emulated instruction of len bytes; EXIT_STOP if the backend cannot. */
enum exit_action emul_finish(struct vcpu *v, const struct vm_exit *e, u8 len);

#endif
