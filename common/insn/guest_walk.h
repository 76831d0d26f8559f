/**
 * @file common/insn/guest_walk.h
 * @brief Walk the guest's own page tables in software (pure).
 *
 * The VMM sometimes has to read memory the way the guest sees it: the bytes
 * of the instruction at CS.base+RIP (to find its length when AMD-V gives no
 * next-RIP, or to decode an MMIO access). Those are guest-linear addresses,
 * so the VMM translates them through the guest's paging structures, read
 * through a callback that only reaches real guest memory.
 *
 * Supported modes: paging off (identity), 32-bit two-level paging (4 KiB,
 * and 4 MiB pages with CR4.PSE, including the PSE-36 high address bits),
 * PAE three-level paging (4 KiB and 2 MiB pages), four-level long-mode
 * paging (4 KiB, 2 MiB and 1 GiB pages) and five-level paging (CR4.LA57).
 *
 * Only what decides whether the page can be reached is checked: the present
 * bit and the reserved bits that do not depend on the CPU's MAXPHYADDR.
 * There are no permission checks (U/S, R/W, NX, SMEP...): the VMM reads on
 * behalf of an instruction that has already executed or faulted. Accessed and
 * dirty bits are never written.
 */
#ifndef BOOKVISOR_COMMON_INSN_GUEST_WALK_H
#define BOOKVISOR_COMMON_INSN_GUEST_WALK_H

#include "common/lib/types.h"

/** Guest paging state needed for a walk (raw register values). */
struct guest_paging {
    u64 cr0; /**< CR0: PG (bit 31) turns paging on */
    u64 cr3; /**< CR3: root of the paging structures */
    u64 cr4; /**< CR4: PSE (bit 4), PAE (bit 5), LA57 (bit 12) */
    u64 efer; /**< EFER: NXE (bit 11), LMA (bit 10) */
};

/**
 * Reads guest-physical memory. Returns false if gpa..gpa+len is not readable
 * guest memory (e.g. VMM memory or unbacked).
 */
typedef bool (*guest_read_phys_fn)(void *ctx, u64 gpa, void *buf, size_t len);

/** Outcome of a walk or a linear read. */
enum guest_walk_status {
    GUEST_WALK_OK, /**< translated (and read) */
    GUEST_WALK_NOT_PRESENT, /**< a paging entry has P = 0 */
    GUEST_WALK_BAD_PHYS, /**< a table or the data is not readable guest memory */
    GUEST_WALK_RESERVED_BIT, /**< a paging entry sets a reserved bit */
};

/**
 * Translate a guest-linear address to a guest-physical address.
 *
 * Paging off: identity. 32-bit 2-level with 4 MiB PSE pages incl. PSE-36
 * high bits; PAE 3-level with 2 MiB pages; 4-level long mode (EFER.LMA) with
 * 2 MiB and 1 GiB pages; 5-level if CR4.LA57. Outside long mode the linear
 * address is truncated to 32 bits. Only presence and reserved bits that
 * matter for reaching the page are checked, no permissions.
 *
 * @param p       the guest's CR0, CR3, CR4 and EFER
 * @param la      guest-linear address
 * @param rd      reads guest-physical memory (the paging entries)
 * @param ctx     passed to rd
 * @param gpa_out receives the guest-physical address on GUEST_WALK_OK
 *                (may be NULL); untouched otherwise
 */
enum guest_walk_status guest_walk(const struct guest_paging *p, u64 la, guest_read_phys_fn rd,
                                  void *ctx, u64 *gpa_out);

/**
 * Read len bytes at guest-linear address la, crossing page boundaries (each
 * 4 KiB linear page is walked separately, so the physical pages need not be
 * contiguous). On failure buf may be partly filled.
 */
enum guest_walk_status guest_read_linear(const struct guest_paging *p, u64 la, void *buf,
                                         size_t len, guest_read_phys_fn rd, void *ctx);

/** Name of a status, e.g. "not present"; "unknown" for bad values. */
const char *guest_walk_status_name(enum guest_walk_status s);

#endif
