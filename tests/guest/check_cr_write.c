/**
 * @file tests/guest/check_cr_write.c
 * @brief Ordinary control-register changes work and read back as written.
 *
 * Under VT-x, CR0.NE and CR4.VMXE belong to the VMM (fixed by VMX operation);
 * the guest sees its own values through the read shadows, and a write that
 * changes an owned bit exits and is emulated. Under AMD-V nothing here exits.
 * Either way the guest must read back exactly what it wrote.
 */
#include "check.h"
#include "paging.h"
#include "recover.h"
#include "trap.h"

#define CR0_TS (1u << 3)
#define CR0_NE (1u << 5)
#define CR4_PGE (1u << 7)

void check_cr_write(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 cr0 = read_cr0(), cr4 = read_cr4();

    write_cr0(cr0 ^ CR0_NE);
    if (read_cr0() != (cr0 ^ CR0_NE)) {
        check_fail(res, "CR0 wrote 0x%08x, read 0x%08x", cr0 ^ CR0_NE, read_cr0());
        return;
    }
    write_cr0(cr0 | CR0_TS);
    __asm__ volatile("clts");
    if (read_cr0() & CR0_TS) {
        check_fail(res, "CLTS left CR0.TS set (CR0 0x%08x)", read_cr0());
        return;
    }
    u16 msw = (u16)(cr0 | CR0_TS);
    __asm__ volatile("lmsw %0" : : "r"(msw));
    if (!(read_cr0() & CR0_TS)) {
        check_fail(res, "LMSW did not set CR0.TS (CR0 0x%08x)", read_cr0());
        return;
    }
    write_cr0(cr0);
    write_cr4(cr4 ^ (CR4_PGE | CR4_OSFXSR));
    if (read_cr4() != (cr4 ^ (CR4_PGE | CR4_OSFXSR))) {
        check_fail(res, "CR4 wrote 0x%08x, read 0x%08x", cr4 ^ (CR4_PGE | CR4_OSFXSR), read_cr4());
        return;
    }
    write_cr4(cr4);
    if (read_cr0() != cr0 || read_cr4() != cr4) {
        check_fail(res, "restoring CR0/CR4 read back 0x%08x/0x%08x", read_cr0(), read_cr4());
        return;
    }
    check_note(res, "cr0=0x%08x cr4=0x%08x", cr0, cr4);
}

#define VECTOR_GP 13
#define CR4_VMXE (1u << 13)
#define CR4_RESERVED15 (1u << 15)

/* Static: live across recover_jump(), which restores only callee-saved registers. */
static struct recover_point cr_probe_point;

/* Does writing @p value to CR@p cr (0 or 4) raise #GP? */
static bool cr_write_faults(unsigned cr, u32 value)
{
    trap_expect(VECTOR_GP, &cr_probe_point);
    if (recover_save(&cr_probe_point) == 0) {
        if (cr == 0)
            write_cr0(value);
        else
            write_cr4(value);
        trap_expect(0, NULL);
        return false;
    }
    return true;
}

/*
 * Values a CPU refuses with #GP must be refused under bookvisor too. Both
 * writes below reach bookvisor's cr_write_fault(): on VT-x because CR4.VMXE
 * and the reserved bits are the VMM's (its CR4 mask), on AMD-V because
 * bookvisor intercepts every CR4 write. Each write is followed by a
 * read-back: nothing may have changed. (CR0 is not probed: AMD-V leaves CR0
 * writes to the hardware, and QEMU's TCG does not refuse, e.g., NW without CD.)
 */
void check_cr_illegal(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    u32 cr0 = read_cr0(), cr4 = read_cr4();
    static const struct {
        unsigned cr;
        u32 set;
        const char *what;
    } bad[] = {
        { 4, CR4_VMXE, "CR4.VMXE (no VMX was announced)" },
        { 4, CR4_RESERVED15, "reserved CR4 bit 15" },
    };
    for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
        u32 before = bad[i].cr == 0 ? cr0 : cr4;
        if (!cr_write_faults(bad[i].cr, before | bad[i].set)) {
            check_fail(res, "setting %s did not raise #GP", bad[i].what);
            break;
        }
        u32 after = bad[i].cr == 0 ? read_cr0() : read_cr4();
        if (after != before) {
            check_fail(res, "after the refused write CR%u reads 0x%08x, not 0x%08x", bad[i].cr,
                       after, before);
            break;
        }
    }
    write_cr0(cr0);
    write_cr4(cr4);
}
