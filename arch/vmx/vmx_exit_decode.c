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

enum vm_exit_kind vmx_exit_kind_of(u32 basic_reason)
{
    switch (basic_reason) {
    case VMX_EXIT_EXCEPTION_NMI:
        return VM_EXIT_EXCEPTION;
    case VMX_EXIT_EXTERNAL_INTERRUPT:
        return VM_EXIT_EXTERNAL_INTERRUPT;
    case VMX_EXIT_TRIPLE_FAULT:
        return VM_EXIT_SHUTDOWN;
    case VMX_EXIT_INIT:
        return VM_EXIT_INIT;
    case VMX_EXIT_SIPI:
        return VM_EXIT_SIPI;
    case VMX_EXIT_INTERRUPT_WINDOW:
        return VM_EXIT_INTERRUPT_WINDOW;
    case VMX_EXIT_NMI_WINDOW:
        return VM_EXIT_NMI_WINDOW;
    case VMX_EXIT_TASK_SWITCH:
        return VM_EXIT_TASK_SWITCH;
    case VMX_EXIT_CPUID:
        return VM_EXIT_CPUID;
    case VMX_EXIT_HLT:
        return VM_EXIT_HLT;
    case VMX_EXIT_INVD:
        return VM_EXIT_INVD;
    case VMX_EXIT_VMCALL:
        return VM_EXIT_VMCALL;
    case VMX_EXIT_VMCLEAR:
    case VMX_EXIT_VMLAUNCH:
    case VMX_EXIT_VMPTRLD:
    case VMX_EXIT_VMPTRST:
    case VMX_EXIT_VMREAD:
    case VMX_EXIT_VMRESUME:
    case VMX_EXIT_VMWRITE:
    case VMX_EXIT_VMXOFF:
    case VMX_EXIT_VMXON:
    case VMX_EXIT_INVEPT:
    case VMX_EXIT_INVVPID:
        /* The guest was told there is no VMX: common code answers #UD. */
        return VM_EXIT_VIRT_INSN;
    case VMX_EXIT_CR_ACCESS:
        return VM_EXIT_CR_ACCESS;
    case VMX_EXIT_IO:
        return VM_EXIT_IO;
    case VMX_EXIT_RDMSR:
        return VM_EXIT_RDMSR;
    case VMX_EXIT_WRMSR:
        return VM_EXIT_WRMSR;
    case VMX_EXIT_EPT_VIOLATION:
        return VM_EXIT_NESTED_PAGE_FAULT;
    case VMX_EXIT_XSETBV:
        return VM_EXIT_XSETBV;
    default:
        return VM_EXIT_UNKNOWN;
    }
}

bool vmx_decode_io(u64 qual, struct vmx_io_qual *out)
{
    u32 size_code = (u32)qual & 7;

    out->port = (u16)(qual >> 16);
    out->in = bit(qual, 3);
    out->string = bit(qual, 4);
    out->rep = bit(qual, 5);
    out->imm_operand = bit(qual, 6);
    /* 0, 1 and 3 encode 1, 2 and 4 bytes; the other values are unused. */
    out->size = (size_code == 0 || size_code == 1 || size_code == 3)
                    ? (u8)(size_code + 1)
                    : 0;
    return out->size != 0;
}

bool vmx_decode_cr(u64 qual, struct vmx_cr_qual *out)
{
    out->cr = (u8)(qual & 0xF);
    out->type = (enum vmx_cr_access_type)((qual >> 4) & 3);
    out->lmsw_memory = bit(qual, 6);
    out->gpr = (u8)((qual >> 8) & 0xF);
    out->lmsw_data = (u16)(qual >> 16);
    return out->cr == 0 || out->cr == 3 || out->cr == 4 || out->cr == 8;
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

void vmx_io_to_generic(const struct vmx_io_qual *q, struct vm_exit_io *out)
{
    out->port = q->port;
    out->size = q->size;
    out->in = q->in;
    out->string = q->string;
    out->rep = q->rep;
}

void vmx_cr_to_generic(const struct vmx_cr_qual *q, struct vm_exit_cr *out)
{
    out->lmsw_data = 0;
    out->gpr_unknown = false; /* VT-x always names the register */
    switch (q->type) {
    case VMX_CR_MOV_TO:
    case VMX_CR_MOV_FROM:
        out->cr = q->cr;
        out->write = q->type == VMX_CR_MOV_TO;
        out->gpr = q->gpr;
        out->access = q->type == VMX_CR_MOV_TO ? VM_CR_MOV_TO : VM_CR_MOV_FROM;
        break;
    default:
        out->cr = 0;
        out->write = true;
        out->gpr = 0;
        out->access = q->type == VMX_CR_CLTS ? VM_CR_CLTS : VM_CR_LMSW;
        out->lmsw_data = q->lmsw_data;
        break;
    }
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
