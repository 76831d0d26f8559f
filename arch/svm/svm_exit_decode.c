/*
 * arch/svm/svm_exit_decode.c - VMCB exit code and EXITINFO -> struct vm_exit.
 */
#include "arch/svm/svm_exit_decode.h"
#include "arch/svm/vmcb.h"
#include "common/lib/kstring.h"

void svm_cut_short_decode(u64 exitintinfo, struct vm_cut_short_event *out)
{
    out->vector = (u8)exitintinfo;
    out->has_error = (exitintinfo & SVM_EVENTINJ_ERROR_VALID) != 0;
    out->error_code = out->has_error ? (u32)(exitintinfo >> 32) : 0;
    if (!(exitintinfo & SVM_EVENTINJ_VALID)) {
        out->delivery = VM_DELIVERY_NONE;
        return;
    }
    switch (exitintinfo & SVM_EVENTINJ_TYPE_MASK) {
    case SVM_EVENTINJ_TYPE_INTR:
        out->delivery = VM_DELIVERY_EXTERNAL_INTERRUPT;
        break;
    case SVM_EVENTINJ_TYPE_NMI:
        out->delivery = VM_DELIVERY_NMI;
        break;
    case SVM_EVENTINJ_TYPE_EXCEPTION:
        /* INT3 and INTO come as exceptions 3 and 4: their instruction is
         * still at RIP and runs again, like INT n. No exception has vector 2
         * or one above 31: QEMU 7.2 reports the NMIs and the interrupts it
         * was delivering as exceptions; injected back as exceptions, VMRUN
         * refuses them (chapter 03). */
        if (out->vector == 3 || out->vector == 4)
            out->delivery = VM_DELIVERY_SW_EXCEPTION;
        else if (out->vector == 2)
            out->delivery = VM_DELIVERY_NMI;
        else if (out->vector >= 32)
            out->delivery = VM_DELIVERY_EXTERNAL_INTERRUPT;
        else
            out->delivery = VM_DELIVERY_HW_EXCEPTION;
        break;
    case SVM_EVENTINJ_TYPE_SOFT_INTR:
        out->delivery = VM_DELIVERY_SW_INTERRUPT;
        break;
    default: /* 1 and 5 to 7 are reserved */
        out->delivery = VM_DELIVERY_INVALID;
        break;
    }
}
