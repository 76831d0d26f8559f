/**
 * @file arch/vmx/vmx_exit_decode.c
 * @brief Decode VT-x exit reasons and qualifications (pure logic).
 */
#include "arch/vmx/vmx_exit_decode.h"
#include "arch/vmx/vmcs_fields.h"

static bool bit(u64 v, unsigned n)
{
    return (v >> n) & 1;
}

void vmx_exit_reason_split(u32 raw, struct vmx_exit_reason *out)
{
    out->basic = (u16)raw;
    out->enclave = bit(raw, 27);
    out->pending_mtf = bit(raw, 28);
    out->from_vmx_root = bit(raw, 29);
    out->entry_failure = bit(raw, 31);
}

void vmx_decode_ept(u64 qual, struct vmx_ept_qual *out)
{
    out->read = bit(qual, 0);
    out->write = bit(qual, 1);
    out->fetch = bit(qual, 2);
    out->entry_read = bit(qual, 3);
    out->entry_write = bit(qual, 4);
    out->entry_exec = bit(qual, 5);
    out->entry_user_exec = bit(qual, 6);
    out->gla_valid = bit(qual, 7);
    /* Bit 8 is only defined when bit 7 is set. */
    out->gla_translation = out->gla_valid && bit(qual, 8);
    out->nmi_unblocking = bit(qual, 12);
}

void vmx_ept_to_generic(const struct vmx_ept_qual *q, u64 gpa, u64 gla,
                        struct vm_exit_npf *out)
{
    out->gpa = gpa;
    out->gla = q->gla_valid ? gla : 0;
    out->read = q->read;
    out->write = q->write;
    out->fetch = q->fetch;
    /* Any permission bit set means a translation existed: the fault is
     * about rights, not a missing mapping. */
    out->present = q->entry_read || q->entry_write || q->entry_exec || q->entry_user_exec;
}

void vmx_cut_short_decode(u32 idt_info, u32 error_code, struct vm_cut_short_event *out)
{
    out->vector = (u8)(idt_info & VMX_INTR_INFO_VECTOR_MASK);
    out->has_error = (idt_info & VMX_INTR_INFO_DELIVER_ERROR) != 0;
    out->error_code = out->has_error ? error_code : 0;
    if (!(idt_info & VMX_INTR_INFO_VALID)) {
        out->delivery = VM_DELIVERY_NONE;
        return;
    }
    switch ((idt_info & VMX_INTR_INFO_TYPE_MASK) >> VMX_INTR_INFO_TYPE_SHIFT) {
    case VMX_INTR_TYPE_EXT_INTR: out->delivery = VM_DELIVERY_EXTERNAL_INTERRUPT; break;
    case VMX_INTR_TYPE_NMI: out->delivery = VM_DELIVERY_NMI; break;
    case VMX_INTR_TYPE_HW_EXCEPTION: out->delivery = VM_DELIVERY_HW_EXCEPTION; break;
    case VMX_INTR_TYPE_SW_INTR: out->delivery = VM_DELIVERY_SW_INTERRUPT; break;
    case VMX_INTR_TYPE_PRIV_SW_EXCEPTION: out->delivery = VM_DELIVERY_PRIV_SW_EXCEPTION; break;
    case VMX_INTR_TYPE_SW_EXCEPTION: out->delivery = VM_DELIVERY_SW_EXCEPTION; break;
    default: out->delivery = VM_DELIVERY_INVALID; break; /* 1 is reserved, 7 never an IDT event */
    }
}
