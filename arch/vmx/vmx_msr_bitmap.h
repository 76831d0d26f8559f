/**
 * @file arch/vmx/vmx_msr_bitmap.h
 * @brief The VT-x MSR bitmap: which RDMSR/WRMSR of the guest exit (pure logic, lab 3 part 2).
 *
 * With "use MSR bitmaps" set, the CPU consults one 4 KiB page at each RDMSR
 * and WRMSR of the guest (SDM vol. 3, "MSR-Bitmap Address"): four 1 KiB
 * quarters of one bit per MSR, a set bit makes the access exit.
 */
#ifndef BOOKVISOR_ARCH_VMX_VMX_MSR_BITMAP_H
#define BOOKVISOR_ARCH_VMX_VMX_MSR_BITMAP_H

#include "common/lib/types.h"

/** Size of the MSR bitmap page in bytes. */
#define VMX_MSR_BITMAP_SIZE       4096u
/** Offset of the read bitmap for the low MSRs 0x0-0x1FFF. */
#define VMX_MSR_BITMAP_READ_LOW   0x000u
/** Offset of the read bitmap for the high MSRs 0xC0000000-0xC0001FFF. */
#define VMX_MSR_BITMAP_READ_HIGH  0x400u
/** Offset of the write bitmap for the low MSRs. */
#define VMX_MSR_BITMAP_WRITE_LOW  0x800u
/** Offset of the write bitmap for the high MSRs. */
#define VMX_MSR_BITMAP_WRITE_HIGH 0xC00u

/**
 * Say whether the guest's RDMSR and WRMSR of one MSR exit.
 *
 * Sets (true) or clears (false) the MSR's bit in the read half and,
 * independently, in the write half, leaving every other bit of the page as
 * it was. An MSR outside 0x0-0x1FFF and 0xC0000000-0xC0001FFF has no bit:
 * its accesses always exit, the page is left alone and the answer is false.
 *
 * @param bm    the 4 KiB MSR bitmap
 * @param msr   the MSR's index (ECX of RDMSR/WRMSR)
 * @param read  true: RDMSR of it exits
 * @param write true: WRMSR of it exits
 * @return true if the MSR is in the bitmap (its bits were set as asked)
 */
bool vmx_msr_bitmap_set(u8 *bm, u32 msr, bool read, bool write);

#endif
