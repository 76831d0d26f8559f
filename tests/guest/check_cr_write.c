/**
 * @file tests/guest/check_cr_write.c
 * @brief Ordinary control-register changes work and read back as written.
 *
 * Under VT-x, CR0.NE and CR4.VMXE belong to the VMM (fixed by VMX operation);
 * the guest sees its own values through the read shadows, and a write that
 * changes an owned bit exits and is emulated. Under AMD-V the CR0.NE writes
 * exit (bookvisor intercepts CR0 writes that change a bit other than TS and
 * MP), and the CR4 writes where bookvisor intercepts CR4 writes (QEMU).
 * Either way the guest must read back exactly what it wrote.
 */
#include "check.h"
#include "paging.h"
#include "recover.h"
#include "trap.h"
#include "cpu.h"

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
