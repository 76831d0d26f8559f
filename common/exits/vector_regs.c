/*
 * common/exits/vector_regs.c - MMX and XMM registers, one instruction each way.
 *
 * An instruction names its register in its encoding, so each register has
 * its own line: the tables below are built by a macro from the register
 * number.
 */
#include "common/exits/vector_regs.h"
#include "arch/x86/cpu.h"

#define CR0_MP (1ULL << 1)
#define CR0_EM (1ULL << 2)
#define CR0_TS (1ULL << 3)
#define CR4_OSFXSR (1ULL << 9)

/* Make SSE and MMX instructions legal in the VMM for one instruction. */
struct simd_on {
    u64 cr0, cr4;
};

static void simd_enable(struct simd_on *s)
{
    s->cr0 = read_cr0();
    s->cr4 = read_cr4();
    if (s->cr0 & (CR0_EM | CR0_TS))
        write_cr0((s->cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP);
    if (!(s->cr4 & CR4_OSFXSR))
        write_cr4(s->cr4 | CR4_OSFXSR);
}

static void simd_restore(const struct simd_on *s)
{
    if (read_cr4() != s->cr4)
        write_cr4(s->cr4);
    if (read_cr0() != s->cr0)
        write_cr0(s->cr0);
}

#define XMM_READ(n) case n: __asm__ volatile("movdqu %%xmm" #n ", (%0)" : : "r"(out) : "memory"); break;
#define XMM_WRITE(n) case n: __asm__ volatile("movdqu (%0), %%xmm" #n : : "r"(in) : "memory"); break;
#define MM_READ(n) case n: __asm__ volatile("movq %%mm" #n ", (%0)" : : "r"(out) : "memory"); break;
#define MM_WRITE(n) case n: __asm__ volatile("movq (%0), %%mm" #n : : "r"(in) : "memory"); break;
#define EIGHT(m) m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7)
#define SIXTEEN(m) EIGHT(m) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)

void vector_reg_read(enum mmio_vec_file file, u8 reg, u8 out[16])
{
    struct simd_on s;

    simd_enable(&s);
    if (file == MMIO_VEC_XMM) {
        switch (reg & 15) { SIXTEEN(XMM_READ) }
    } else {
        switch (reg & 7) { EIGHT(MM_READ) }
        for (unsigned i = 8; i < 16; i++)
            out[i] = 0;
    }
    simd_restore(&s);
}

void vector_reg_write(enum mmio_vec_file file, u8 reg, const u8 in[16])
{
    struct simd_on s;

    simd_enable(&s);
    if (file == MMIO_VEC_XMM) {
        switch (reg & 15) { SIXTEEN(XMM_WRITE) }
    } else {
        switch (reg & 7) { EIGHT(MM_WRITE) }
    }
    simd_restore(&s);
}
