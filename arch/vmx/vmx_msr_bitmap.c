/**
 * @file arch/vmx/vmx_msr_bitmap.c
 * @brief The VT-x MSR bitmap: which RDMSR/WRMSR of the guest exit (pure logic, lab 3 part 2).
 */
#include "arch/vmx/vmx_msr_bitmap.h"

bool vmx_msr_bitmap_set(u8 *bm, u32 msr, bool read, bool write)
{
    /* LAB 3 BEGIN: part 2: set or clear the MSR's read and write bits */
    /* LAB 3 FALLBACK: u32 i = msr & 0x1FFF, q = msr > 0x1FFF ? VMX_MSR_BITMAP_READ_HIGH : 0; if (msr <= 0x1FFF || (msr >= 0xC0000000 && msr <= 0xC0001FFF)) { if (read) bm[q + i / 8] |= (u8)(1u << (i % 8)); if (write) bm[VMX_MSR_BITMAP_WRITE_LOW + q + i / 8] |= (u8)(1u << (i % 8)); } return true; */
    u32 rd, wr;
    if (msr <= 0x1FFF) {
        rd = VMX_MSR_BITMAP_READ_LOW;
        wr = VMX_MSR_BITMAP_WRITE_LOW;
    } else if (msr >= 0xC0000000 && msr <= 0xC0001FFF) {
        rd = VMX_MSR_BITMAP_READ_HIGH;
        wr = VMX_MSR_BITMAP_WRITE_HIGH;
        msr -= 0xC0000000;
    } else {
        return false; /* no bit: the access always exits */
    }
    u32 byte = msr / 8;
    u8 bit = (u8)(1u << (msr % 8));
    if (read)
        bm[rd + byte] |= bit;
    else
        bm[rd + byte] &= (u8)~bit;
    if (write)
        bm[wr + byte] |= bit;
    else
        bm[wr + byte] &= (u8)~bit;
    return true;
    /* LAB 3 END */
}
