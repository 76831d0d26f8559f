/**
 * @file common/insn/mmio_rmw.c
 * @brief OR, AND, XADD and CMPXCHG on a value read from a device (see mmio_rmw.h).
 */
#include "common/insn/mmio_rmw.h"

#define ARITH_FLAGS (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)

static u64 mask_of(u8 size)
{
    return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static u64 sign_bit(u8 size)
{
    return 1ULL << (8 * size - 1);
}

/* SF, ZF and PF of a result (PF: even number of ones in the low byte). */
static u64 szp_flags(u64 result, u8 size)
{
    u64 f = 0;
    u8 low = (u8)result, ones = 0;

    if (!(result & mask_of(size)))
        f |= RFLAGS_ZF;
    if (result & sign_bit(size))
        f |= RFLAGS_SF;
    for (unsigned i = 0; i < 8; i++)
        ones += (low >> i) & 1;
    if (!(ones & 1))
        f |= RFLAGS_PF;
    return f;
}

/* Flags of a + b (size bytes), as ADD sets them. */
static u64 add_flags(u64 a, u64 b, u8 size)
{
    u64 m = mask_of(size), sum = (a + b) & m;
    u64 f = szp_flags(sum, size);

    if (sum < (a & m))
        f |= RFLAGS_CF;
    if (((a ^ sum) & (b ^ sum)) & sign_bit(size))
        f |= RFLAGS_OF;
    if ((a ^ b ^ sum) & 0x10)
        f |= RFLAGS_AF;
    return f;
}

/* Flags of a - b (size bytes), as CMP and SUB set them. */
static u64 sub_flags(u64 a, u64 b, u8 size)
{
    u64 m = mask_of(size), diff = (a - b) & m;
    u64 f = szp_flags(diff, size);

    if ((a & m) < (b & m))
        f |= RFLAGS_CF;
    if (((a ^ b) & (a ^ diff)) & sign_bit(size))
        f |= RFLAGS_OF;
    if ((a ^ b ^ diff) & 0x10)
        f |= RFLAGS_AF;
    return f;
}

void mmio_rmw_apply(const struct mmio_access *access, u64 mem, u64 reg_full, u64 rax, u64 rflags,
                    struct mmio_rmw_result *out)
{
    u8 size = access->size;
    u64 m = mask_of(size);
    u64 src = access->uses_imm ? access->imm : mmio_write_value(access, reg_full);
    u64 kept = rflags & ~ARITH_FLAGS;

    mem &= m;
    out->reg_written = false;
    out->reg = access->reg;
    out->reg_high_byte = access->reg_high_byte;
    out->reg_value = reg_full;
    switch (access->rmw_op) {
    case MMIO_RMW_OR:
    case MMIO_RMW_AND:
        out->write_value = access->rmw_op == MMIO_RMW_OR ? (mem | src) & m : mem & src & m;
        /* CF and OF cleared; AF is undefined: left as it was. */
        out->rflags = kept | (rflags & RFLAGS_AF) | szp_flags(out->write_value, size);
        break;
    case MMIO_RMW_XADD:
        out->write_value = (mem + src) & m;
        out->rflags = kept | add_flags(mem, src, size);
        out->reg_written = true;
        out->reg_value = mmio_reg_merge(reg_full, mem, size, access->reg_high_byte, access->mode);
        break;
    case MMIO_RMW_CMPXCHG:
        out->rflags = kept | sub_flags(rax, mem, size);
        if ((rax & m) == mem) {
            out->write_value = src & m;
        } else {
            /* The destination is written back unchanged (the CPU always
             * writes it), and the accumulator gets what memory held. */
            out->write_value = mem;
            out->reg_written = true;
            out->reg = 0;
            out->reg_high_byte = false;
            out->reg_value = mmio_reg_merge(rax, mem, size, false, access->mode);
        }
        break;
    }
}
