/*
 * arch/vmx/vmx_report.c - what bookvisor prints when VM entry fails or the
 * guest stops: the entry checker's findings and the guest's VMCS state.
 * Cold code, kept out of the backend proper (chapter 04, "When VM entry fails").
 */
#include "arch/vmx/vmx_report.h"
#include "arch/vmx/vmcs_fields.h"
#include "arch/vmx/vmx_check.h"
#include "arch/vmx/vmx_enter.h"
#include "arch/vmx/vmx_exit_decode.h"
#include "arch/vmx/vmx_insn.h"
#include "arch/x86/cpu.h"
#include "common/base/kprintf.h"
#include "common/lib/kstring.h"

/* The instruction a vmx_run_loop() failure code names. */
const char *vmx_failed_insn_name(int rc)
{
    static const char *const what[] = { "", "VMLAUNCH", "VMRESUME", "VMWRITE of HOST_RSP" };
    return what[rc & VMX_RUN_INSN_MASK];
}

/* Fill a snapshot of the current VMCS for the entry checker. */
static void take_snapshot(const struct vmx_caps *caps, struct vmx_vmcs_snapshot *s)
{
    memset(s, 0, sizeof(*s));
    s->caps = *caps;
    s->cpu.maxphyaddr = cpuid(0x80000008, 0).eax & 0xFF;
    s->cpu.linear_bits = 48;
    s->cpu.in_ia32e = true;
    s->ctl.pin = (u32)vmread(VMCS_PIN_CONTROLS);
    s->ctl.proc = (u32)vmread(VMCS_PROC_CONTROLS);
    s->ctl.proc2 = (s->ctl.proc & VMX_PROC_SECONDARY_CONTROLS) ? (u32)vmread(VMCS_PROC2_CONTROLS) : 0;
    s->ctl.exit = (u32)vmread(VMCS_EXIT_CONTROLS);
    s->ctl.entry = (u32)vmread(VMCS_ENTRY_CONTROLS);
    s->ctl.cr3_target_count = (u32)vmread(VMCS_CR3_TARGET_COUNT);
    s->ctl.io_bitmap_a = vmread(VMCS_IO_BITMAP_A);
    s->ctl.io_bitmap_b = vmread(VMCS_IO_BITMAP_B);
    s->ctl.msr_bitmap = vmread(VMCS_MSR_BITMAP);
    /* bookvisor uses no MSR lists (counts 0), but a student's VMCS may. */
    s->ctl.exit_msr_store_count = (u32)vmread(VMCS_EXIT_MSR_STORE_COUNT);
    s->ctl.exit_msr_store_addr = vmread(VMCS_EXIT_MSR_STORE_ADDR);
    s->ctl.exit_msr_load_count = (u32)vmread(VMCS_EXIT_MSR_LOAD_COUNT);
    s->ctl.exit_msr_load_addr = vmread(VMCS_EXIT_MSR_LOAD_ADDR);
    s->ctl.entry_msr_load_count = (u32)vmread(VMCS_ENTRY_MSR_LOAD_COUNT);
    s->ctl.entry_msr_load_addr = vmread(VMCS_ENTRY_MSR_LOAD_ADDR);
    if (s->ctl.proc2 & VMX_PROC2_EPT)
        s->ctl.eptp = vmread(VMCS_EPT_POINTER);
    if (s->ctl.proc2 & VMX_PROC2_VPID)
        s->ctl.vpid = (u16)vmread(VMCS_VPID);
    s->ctl.entry_intr_info = (u32)vmread(VMCS_ENTRY_INTR_INFO);
    s->ctl.entry_error_code = (u32)vmread(VMCS_ENTRY_EXCEPTION_ERROR);
    s->ctl.entry_insn_len = (u32)vmread(VMCS_ENTRY_INSN_LEN);

    s->host.cr0 = vmread(VMCS_HOST_CR0);
    s->host.cr3 = vmread(VMCS_HOST_CR3);
    s->host.cr4 = vmread(VMCS_HOST_CR4);
    s->host.es = (u16)vmread(VMCS_HOST_ES_SEL);
    s->host.cs = (u16)vmread(VMCS_HOST_CS_SEL);
    s->host.ss = (u16)vmread(VMCS_HOST_SS_SEL);
    s->host.ds = (u16)vmread(VMCS_HOST_DS_SEL);
    s->host.fs = (u16)vmread(VMCS_HOST_FS_SEL);
    s->host.gs = (u16)vmread(VMCS_HOST_GS_SEL);
    s->host.tr = (u16)vmread(VMCS_HOST_TR_SEL);
    s->host.fs_base = vmread(VMCS_HOST_FS_BASE);
    s->host.gs_base = vmread(VMCS_HOST_GS_BASE);
    s->host.tr_base = vmread(VMCS_HOST_TR_BASE);
    s->host.gdtr_base = vmread(VMCS_HOST_GDTR_BASE);
    s->host.idtr_base = vmread(VMCS_HOST_IDTR_BASE);
    s->host.sysenter_cs = (u32)vmread(VMCS_HOST_SYSENTER_CS);
    s->host.sysenter_esp = vmread(VMCS_HOST_SYSENTER_ESP);
    s->host.sysenter_eip = vmread(VMCS_HOST_SYSENTER_EIP);
    if (s->ctl.exit & VMX_EXIT_LOAD_EFER)
        s->host.efer = vmread(VMCS_HOST_EFER);
    if (s->ctl.exit & VMX_EXIT_LOAD_PAT)
        s->host.pat = vmread(VMCS_HOST_PAT);
    s->host.rsp = vmread(VMCS_HOST_RSP);
    s->host.rip = vmread(VMCS_HOST_RIP);

#define SEG(name, NAME)                                             \
    s->guest.name.sel = (u16)vmread(VMCS_GUEST_##NAME##_SEL);       \
    s->guest.name.base = vmread(VMCS_GUEST_##NAME##_BASE);          \
    s->guest.name.limit = (u32)vmread(VMCS_GUEST_##NAME##_LIMIT);   \
    s->guest.name.ar = (u32)vmread(VMCS_GUEST_##NAME##_AR);
    SEG(es, ES) SEG(cs, CS) SEG(ss, SS) SEG(ds, DS) SEG(fs, FS) SEG(gs, GS)
    SEG(ldtr, LDTR) SEG(tr, TR)
#undef SEG
    s->guest.cr0 = vmread(VMCS_GUEST_CR0);
    s->guest.cr3 = vmread(VMCS_GUEST_CR3);
    s->guest.cr4 = vmread(VMCS_GUEST_CR4);
    s->guest.dr7 = vmread(VMCS_GUEST_DR7);
    s->guest.rsp = vmread(VMCS_GUEST_RSP);
    s->guest.rip = vmread(VMCS_GUEST_RIP);
    s->guest.rflags = vmread(VMCS_GUEST_RFLAGS);
    s->guest.gdtr_base = vmread(VMCS_GUEST_GDTR_BASE);
    s->guest.idtr_base = vmread(VMCS_GUEST_IDTR_BASE);
    s->guest.gdtr_limit = (u32)vmread(VMCS_GUEST_GDTR_LIMIT);
    s->guest.idtr_limit = (u32)vmread(VMCS_GUEST_IDTR_LIMIT);
    s->guest.debugctl = vmread(VMCS_GUEST_DEBUGCTL);
    s->guest.sysenter_cs = (u32)vmread(VMCS_GUEST_SYSENTER_CS);
    s->guest.sysenter_esp = vmread(VMCS_GUEST_SYSENTER_ESP);
    s->guest.sysenter_eip = vmread(VMCS_GUEST_SYSENTER_EIP);
    s->guest.efer = vmread(VMCS_GUEST_EFER);
    s->guest.pat = vmread(VMCS_GUEST_PAT);
    s->guest.activity = (u32)vmread(VMCS_GUEST_ACTIVITY_STATE);
    s->guest.interruptibility = (u32)vmread(VMCS_GUEST_INTERRUPTIBILITY);
    s->guest.pending_dbg = vmread(VMCS_GUEST_PENDING_DBG);
    s->guest.link_pointer = vmread(VMCS_LINK_POINTER);
}

void vmx_report_entry_checks(const struct vmx_caps *caps)
{
    static struct vmx_vmcs_snapshot snap;
    static struct vmx_check_report report;
    take_snapshot(caps, &snap);
    unsigned failed = vmx_check_vmcs(&snap, &report);
    kprintf("bookvisor: VM-entry checker: %u rule(s) broken\n", failed);
    for (unsigned i = 0; i < report.stored; i++) {
        char line[200];
        vmx_check_format(&report.failures[i], line, sizeof(line));
        kprintf("bookvisor:   check failed: %s\n", line);
    }
    if (!failed)
        kprintf("bookvisor:   (no rule the checker knows is broken; see the SDM's entry checks)\n");
}

static void print_gprs(const struct vcpu *v)
{
    kprintf("bookvisor:   rax=0x%llx rbx=0x%llx rcx=0x%llx rdx=0x%llx\n",
            (unsigned long long)v->gprs.rax, (unsigned long long)v->gprs.rbx,
            (unsigned long long)v->gprs.rcx, (unsigned long long)v->gprs.rdx);
}

void vmx_report_state(const struct vcpu *v, const struct vmx_caps *caps, int entry_fail,
                      u32 insn_error)
{
    if (entry_fail & VMX_RUN_FAIL_INVALID) {
        /* No current VMCS: every VMREAD fails, so neither the checker nor the
         * guest-state fields have anything true to show. */
        kprintf("bookvisor: guest state: %s failed with VMfailInvalid: no current VMCS, "
                "no field to read\n", vmx_failed_insn_name(entry_fail));
        print_gprs(v);
        return;
    }
    if (entry_fail || (vmread(VMCS_EXIT_REASON) & (1u << 31)))
        vmx_report_entry_checks(caps);
    if (entry_fail) {
        kprintf("bookvisor: guest state: %s failed with VM-instruction error %u (%s)\n",
                vmx_failed_insn_name(entry_fail), insn_error,
                vmx_instruction_error_name(insn_error));
    } else {
        u32 reason = (u32)vmread(VMCS_EXIT_REASON);
        kprintf("bookvisor: guest state: exit reason %u (%s)%s qualification=0x%llx\n",
                reason & 0xFFFF, vmx_exit_reason_name(reason & 0xFFFF),
                (reason & (1u << 31)) ? " [entry failure]" : "",
                (unsigned long long)vmread(VMCS_EXIT_QUALIFICATION));
    }
    /* A failed VM entry saves no guest state (SDM vol. 3, "VM-Entry Failures
     * During or After Loading Guest State"; Bochs does the same): the fields
     * are what bookvisor wrote, which is what the entry was given. */
    if (entry_fail || (vmread(VMCS_EXIT_REASON) & (1u << 31)))
        kprintf("bookvisor:   the entry failed, nothing of the guest's was saved: the fields "
                "below are as bookvisor wrote them\n");
    kprintf("bookvisor:   rip=0x%llx rsp=0x%llx rflags=0x%llx\n",
            (unsigned long long)vmread(VMCS_GUEST_RIP), (unsigned long long)vmread(VMCS_GUEST_RSP),
            (unsigned long long)vmread(VMCS_GUEST_RFLAGS));
    /* CR0 and CR4 as the guest sees them (its read shadows where the VMM owns
     * a bit), then as the VMCS holds them, with the bits VMX forces. */
    u64 cr0 = vmread(VMCS_GUEST_CR0), cr4 = vmread(VMCS_GUEST_CR4);
    u64 cr0_mask = vmread(VMCS_CR0_GUEST_HOST_MASK), cr4_mask = vmread(VMCS_CR4_GUEST_HOST_MASK);
    kprintf("bookvisor:   cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx (in the VMCS: cr0=0x%llx "
            "cr4=0x%llx)\n",
            (unsigned long long)((cr0 & ~cr0_mask) | (vmread(VMCS_CR0_READ_SHADOW) & cr0_mask)),
            (unsigned long long)vmread(VMCS_GUEST_CR3),
            (unsigned long long)((cr4 & ~cr4_mask) | (vmread(VMCS_CR4_READ_SHADOW) & cr4_mask)),
            (unsigned long long)vmread(VMCS_GUEST_EFER), (unsigned long long)cr0,
            (unsigned long long)cr4);
    kprintf("bookvisor:   cs=%04llx ar=0x%llx base=0x%llx ss=%04llx ar=0x%llx\n",
            (unsigned long long)vmread(VMCS_GUEST_CS_SEL), (unsigned long long)vmread(VMCS_GUEST_CS_AR),
            (unsigned long long)vmread(VMCS_GUEST_CS_BASE), (unsigned long long)vmread(VMCS_GUEST_SS_SEL),
            (unsigned long long)vmread(VMCS_GUEST_SS_AR));
    print_gprs(v);
}

