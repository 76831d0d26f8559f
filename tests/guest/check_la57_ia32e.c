/**
 * @file tests/guest/check_la57_ia32e.c
 * @brief CR4.LA57 may not change in IA-32e mode: the write raises #GP.
 *
 * The guest is 32-bit, but the rule needs only IA-32e mode, not 64-bit
 * code: la57_ia32e.S turns long mode on with the 32-bit code segment still
 * loaded (compatibility mode) and writes CR4 with LA57 flipped once. The CPU
 * refuses that with #GP (Intel SDM vol. 2B, MOV to CR), and so must
 * bookvisor wherever a CR4 write exits to it (on QEMU, every one): before the
 * rule, bookvisor took the value and the guest went on with five-level
 * paging (issue 10). Needs a CPU with LA57 and long mode (QEMU with +la57:
 * tests/emu/la57-ia32e.test); elsewhere it skips.
 */
#include "check.h"
#include "cpu.h"

#define CR4_LA57 (1u << 12)
#define CR4_PAE (1u << 5)
#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)
#define TWO_MIB 0x200000ull
#define SEL_CODE64 0x20            /* boot.S: a 64-bit code segment */
#define GATE_INT64 0x8E            /* present, DPL 0, 64-bit interrupt gate */
#define VECTOR_GP 13
#define VECTORS 32

u32 ia32e_try_cr4(u32 pml4, const void *idtr64, u32 cr4_value, u32 *cr4_after);
void ia32e_gp_handler(void);
void ia32e_stray_handler(void);

/* The first GiB by identity in 2 MiB pages: the guest, its stack and data
 * live there. */
static u64 pml4[512] __attribute__((aligned(4096)));
static u64 pdpt[512] __attribute__((aligned(4096)));
static u64 pd[512] __attribute__((aligned(4096)));

struct gate64 {
    u16 offset_low;
    u16 selector;
    u8 ist;
    u8 type;
    u16 offset_mid;
    u32 offset_high;
    u32 reserved;
} __attribute__((packed));

static struct gate64 idt64[VECTORS] __attribute__((aligned(16)));

static struct {
    u16 limit;
    u32 base_low;
    u32 base_high;
} __attribute__((packed)) idtr64;

static void gate_set(u32 vector, void (*handler)(void))
{
    u32 at = (u32)handler;
    idt64[vector] = (struct gate64){ (u16)at, SEL_CODE64, 0, GATE_INT64, (u16)(at >> 16), 0, 0 };
}

static void tables_build(void)
{
    for (u32 i = 0; i < 512; i++) {
        pd[i] = (u64)i * TWO_MIB | PTE_P | PTE_RW | PTE_PS;
        pdpt[i] = 0;
        pml4[i] = 0;
    }
    pdpt[0] = (u32)pd | PTE_P | PTE_RW;
    pml4[0] = (u32)pdpt | PTE_P | PTE_RW;
    for (u32 v = 0; v < VECTORS; v++)
        gate_set(v, v == VECTOR_GP ? ia32e_gp_handler : ia32e_stray_handler);
    idtr64.limit = sizeof(idt64) - 1;
    idtr64.base_low = (u32)idt64;
    idtr64.base_high = 0;
}

void check_la57_ia32e(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    if (!(cpuid(0x80000001u).edx & (1u << 29))) {
        check_skip(res, "the CPU has no long mode");
        return;
    }
    if (!(cpuid(7).ecx & (1u << 16))) {
        check_skip(res, "the CPU has no LA57 (QEMU: -cpu ...,+la57)");
        return;
    }
    tables_build();
    u32 before = read_cr4();
    u32 value = (before | CR4_PAE) ^ CR4_LA57;
    u32 after = 0;
    u32 faults = ia32e_try_cr4((u32)pml4, &idtr64, value, &after);
    if (read_cr4() != before) {
        check_fail(res, "CR4 is 0x%x after the check, 0x%x before", read_cr4(), before);
        return;
    }
    if (faults != 1) {
        check_fail(res, "CR4.LA57 %s in IA-32e mode without #GP (CR4 0x%x after writing 0x%x)",
                   (after ^ value) & CR4_LA57 ? "did not change" : "changed", after, value);
        return;
    }
    if ((after ^ (before | CR4_PAE)) & CR4_LA57) {
        check_fail(res, "#GP raised, yet CR4.LA57 changed (CR4 0x%x)", after);
        return;
    }
    check_note(res, "#GP on flipping CR4.LA57 in IA-32e mode; CR4 0x%x kept", after);
}
