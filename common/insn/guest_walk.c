/**
 * @file common/insn/guest_walk.c
 * @brief Software walk of the guest's page tables (see guest_walk.h).
 *
 * Bit positions follow the Intel SDM vol. 3 chapter 4 ("Paging") and the AMD
 * APM vol. 2 chapter 5 ("Page Translation and Protection").
 */
#include "common/insn/guest_walk.h"

#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

#define PTE_P (1ULL << 0)
#define PTE_PS (1ULL << 7)
#define PTE_XD (1ULL << 63)

#define PAGE_SIZE_4K 0x1000ULL
#define PAGE_OFFSET_4K (PAGE_SIZE_4K - 1)

/* Physical-address field of a 64-bit entry: bits 51:12. */
#define ENTRY_ADDR_MASK 0x000FFFFFFFFFF000ULL

/* 32-bit paging: 20-bit frame numbers, 10-bit indexes. */
#define ENTRY32_ADDR_MASK 0xFFFFF000ULL
#define PDE32_4M_BASE_MASK 0xFFC00000ULL
#define PDE32_4M_OFFSET 0x003FFFFFULL
#define PDE32_PSE36_SHIFT 13 /* bits 20:13 hold physical bits 39:32 */
#define PDE32_PSE36_MASK 0xFFULL
#define PDE32_4M_RESERVED (1ULL << 21)

/* PAE paging (outside long mode). CR3 points at a 32-byte aligned PDPT. */
#define CR3_PAE_PDPT_MASK 0xFFFFFFE0ULL
/*
 * PDPTE: bits 2:1 and 8:6 are reserved, and so is everything above bit 51;
 * bits 11:9 are ignored. Bit 5 is reserved too by the SDM (table 4-8) and the
 * APM, but QEMU's TCG sets it, as the accessed bit of the other levels, in
 * PDPTEs the CPU has already loaded and checked (MOV to CR3). The walk reads
 * memory for an instruction that ran, so it takes what the CPU took.
 */
#define PDPTE_PAE_ACCESSED (1ULL << 5)
#define PDPTE_PAE_RESERVED ((0xFFF0000000000000ULL | 0x1E6ULL) & ~PDPTE_PAE_ACCESSED)
/* PAE PDE/PTE: bits 62:52 are reserved (in long mode they are ignored). */
#define ENTRY_PAE_HIGH_RESERVED 0x7FF0000000000000ULL

/** Which paging format the walk is in, for the checks that differ. */
enum walk_format {
    FORMAT_PAE, /**< 3-level PAE paging, compatibility with 32-bit */
    FORMAT_LONG, /**< 4- or 5-level paging (EFER.LMA) */
};

/** Read one little-endian paging entry of size 4 or 8 bytes. */
static bool read_entry(guest_read_phys_fn rd, void *ctx, u64 gpa, size_t size, u64 *entry)
{
    u8 bytes[8];
    u64 value = 0;

    if (!rd(ctx, gpa, bytes, size))
        return false;
    for (size_t i = size; i > 0; i--)
        value = (value << 8) | bytes[i - 1];
    *entry = value;
    return true;
}

/** 32-bit (non-PAE) two-level paging. la is already truncated to 32 bits. */
static enum guest_walk_status walk_32bit(const struct guest_paging *p, u64 la,
                                         guest_read_phys_fn rd, void *ctx, u64 *gpa)
{
    u64 pde, pte;
    u64 pde_addr = (p->cr3 & ENTRY32_ADDR_MASK) | (((la >> 22) & 0x3FF) << 2);

    if (!read_entry(rd, ctx, pde_addr, 4, &pde))
        return GUEST_WALK_BAD_PHYS;
    if (!(pde & PTE_P))
        return GUEST_WALK_NOT_PRESENT;

    /* Without CR4.PSE the PS bit is ignored and the PDE always points at a table. */
    if ((p->cr4 & CR4_PSE) && (pde & PTE_PS)) {
        u64 high = (pde >> PDE32_PSE36_SHIFT) & PDE32_PSE36_MASK;

        if (pde & PDE32_4M_RESERVED)
            return GUEST_WALK_RESERVED_BIT;
        *gpa = (high << 32) | (pde & PDE32_4M_BASE_MASK) | (la & PDE32_4M_OFFSET);
        return GUEST_WALK_OK;
    }

    u64 pte_addr = (pde & ENTRY32_ADDR_MASK) | (((la >> 12) & 0x3FF) << 2);

    if (!read_entry(rd, ctx, pte_addr, 4, &pte))
        return GUEST_WALK_BAD_PHYS;
    if (!(pte & PTE_P))
        return GUEST_WALK_NOT_PRESENT;
    *gpa = (pte & ENTRY32_ADDR_MASK) | (la & PAGE_OFFSET_4K);
    return GUEST_WALK_OK;
}

/**
 * Walk 64-bit entries from level `level` (5 = PML5 ... 1 = page table) down,
 * starting at the table at `table`. Shared by PAE (from the page directory)
 * and long mode (from the PML4 or PML5).
 */
static enum guest_walk_status walk_64bit_levels(const struct guest_paging *p, u64 la, u64 table,
                                                unsigned level, enum walk_format format,
                                                guest_read_phys_fn rd, void *ctx, u64 *gpa)
{
    for (;; level--) {
        unsigned shift = 12 + 9 * (level - 1);
        u64 entry;

        if (!read_entry(rd, ctx, table + (((la >> shift) & 0x1FF) << 3), 8, &entry))
            return GUEST_WALK_BAD_PHYS;
        if (!(entry & PTE_P))
            return GUEST_WALK_NOT_PRESENT;
        /* XD is a reserved bit unless EFER.NXE turned it on. */
        if ((entry & PTE_XD) && !(p->efer & EFER_NXE))
            return GUEST_WALK_RESERVED_BIT;
        if (format == FORMAT_PAE && (entry & ENTRY_PAE_HIGH_RESERVED))
            return GUEST_WALK_RESERVED_BIT;

        if (level == 1) {
            *gpa = (entry & ENTRY_ADDR_MASK) | (la & PAGE_OFFSET_4K);
            return GUEST_WALK_OK;
        }
        if (entry & PTE_PS) {
            u64 page_size = 1ULL << shift;

            /* PML4Es and PML5Es cannot map pages: their PS bit is reserved. */
            if (level > 3)
                return GUEST_WALK_RESERVED_BIT;
            /* Bit 12 is PAT; bits shift-1..13 must be zero in a large-page entry. */
            if (entry & (page_size - 1) & ~((1ULL << 13) - 1))
                return GUEST_WALK_RESERVED_BIT;
            *gpa = (entry & ENTRY_ADDR_MASK & ~(page_size - 1)) | (la & (page_size - 1));
            return GUEST_WALK_OK;
        }
        table = entry & ENTRY_ADDR_MASK;
    }
}

/** PAE paging outside long mode: a 4-entry PDPT, then the shared 64-bit levels. */
static enum guest_walk_status walk_pae(const struct guest_paging *p, u64 la, guest_read_phys_fn rd,
                                       void *ctx, u64 *gpa)
{
    u64 pdpte;
    u64 pdpte_addr = (p->cr3 & CR3_PAE_PDPT_MASK) | (((la >> 30) & 3) << 3);

    /*
     * The CPU caches the four PDPTEs when CR3 is loaded; reading them from
     * memory now gives the same answer unless the guest changed them since.
     */
    if (!read_entry(rd, ctx, pdpte_addr, 8, &pdpte))
        return GUEST_WALK_BAD_PHYS;
    if (!(pdpte & PTE_P))
        return GUEST_WALK_NOT_PRESENT;
    if (pdpte & PDPTE_PAE_RESERVED)
        return GUEST_WALK_RESERVED_BIT;
    return walk_64bit_levels(p, la, pdpte & ENTRY_ADDR_MASK, 2, FORMAT_PAE, rd, ctx, gpa);
}

enum guest_walk_status guest_walk(const struct guest_paging *p, u64 la, guest_read_phys_fn rd,
                                  void *ctx, u64 *gpa_out)
{
    enum guest_walk_status status;
    u64 gpa = 0;
    bool long_mode = (p->efer & EFER_LMA) != 0;

    if (!long_mode)
        la &= 0xFFFFFFFFULL;

    if (!(p->cr0 & CR0_PG)) {
        gpa = la;
        status = GUEST_WALK_OK;
    } else if (long_mode) {
        /* Canonical-address checks are the CPU's job (#GP), not the walk's. */
        unsigned top = (p->cr4 & CR4_LA57) ? 5 : 4;

        status =
            walk_64bit_levels(p, la, p->cr3 & ENTRY_ADDR_MASK, top, FORMAT_LONG, rd, ctx, &gpa);
    } else if (p->cr4 & CR4_PAE) {
        status = walk_pae(p, la, rd, ctx, &gpa);
    } else {
        status = walk_32bit(p, la, rd, ctx, &gpa);
    }

    if (status == GUEST_WALK_OK && gpa_out)
        *gpa_out = gpa;
    return status;
}

enum guest_walk_status guest_read_linear(const struct guest_paging *p, u64 la, void *buf,
                                         size_t len, guest_read_phys_fn rd, void *ctx)
{
    u8 *out = buf;

    while (len > 0) {
        /* Walk per 4 KiB page: the smallest unit that is surely contiguous. */
        u64 room = PAGE_SIZE_4K - (la & PAGE_OFFSET_4K);
        size_t chunk = len < room ? len : (size_t)room;
        u64 gpa;
        enum guest_walk_status status = guest_walk(p, la, rd, ctx, &gpa);

        if (status != GUEST_WALK_OK)
            return status;
        if (!rd(ctx, gpa, out, chunk))
            return GUEST_WALK_BAD_PHYS;
        out += chunk;
        la += chunk;
        len -= chunk;
    }
    return GUEST_WALK_OK;
}

const char *guest_walk_status_name(enum guest_walk_status s)
{
    switch (s) {
    case GUEST_WALK_OK: return "ok";
    case GUEST_WALK_NOT_PRESENT: return "not present";
    case GUEST_WALK_BAD_PHYS: return "bad guest-physical address";
    case GUEST_WALK_RESERVED_BIT: return "reserved bit set";
    }
    return "unknown";
}
