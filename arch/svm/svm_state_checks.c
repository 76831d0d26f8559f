/*
 * arch/svm/svm_state_checks.c - the pages and the state AMD-V writes on its own,
 * checked (see svm_internal.h; chapter 08, "Linux on two processors").
 */
#include "arch/svm/svm_internal.h"
#include "arch/svm/svm_pages.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "common/base/kprintf.h"
#include "common/base/panic.h"
#include "common/lib/kstring.h"
#include "common/vm/guest_vm.h"
#include "common/vm/vm_vcpus.h"

/*
 * Pages AMD-V writes on its own (svm_pages.h): VMRUN saves the host's state
 * into the host save area in VMCB layout, so a VMCB that were also one would
 * give its guest bookvisor's state (chapter 08, "Linux on two processors").
 * Checked when a vCPU is made: its VMCB against every vCPU's VMCB and every
 * processor's host pages, in the VM it joins.
 */
void svm_check_pages_distinct(struct vcpu *v)
{
    struct svm_page pages[3 * GUEST_VM_MAX_VCPUS];
    const struct cpu *cpus[GUEST_VM_MAX_VCPUS];
    size_t n = 0, ncpus = 0, a, b;
    struct guest_vm *vm = guest_vm_of(v);
    unsigned count = vm ? guest_vm_vcpu_count(vm) : 0;
    for (unsigned i = 0; i <= count; i++) {
        struct vcpu *o = i < count ? vm->vcpus[i] : v;
        const struct svm_vcpu *os = o->arch;
        if (!os || !o->cpu || (i == count && count))
            continue; /* not made yet, or v was in the list */
        pages[n++] = (struct svm_page){ os->vmcb_pa, SVM_PAGE_VMCB, o->id };
        size_t c = 0;
        while (c < ncpus && cpus[c] != o->cpu)
            c++;
        if (c < ncpus || ncpus == ARRAY_SIZE(cpus))
            continue;
        const struct svm_cpu *sc = o->cpu->backend;
        cpus[ncpus++] = o->cpu;
        pages[n++] = (struct svm_page){ sc->host_save_area_pa, SVM_PAGE_HOST_SAVE, o->cpu->index };
        pages[n++] = (struct svm_page){ sc->host_vmcb_pa, SVM_PAGE_HOST_VMCB, o->cpu->index };
    }
    if (!svm_pages_distinct(pages, n, &a, &b))
        panic("svm: vCPU %u: the %s of %s %u is at 0x%llx, %s%s %s %u: AMD-V would overwrite one with "
              "the other", v->id, svm_page_kind_name(pages[b].kind),
              pages[b].kind == SVM_PAGE_VMCB ? "vCPU" : "CPU", pages[b].owner,
              (unsigned long long)pages[b].pa, a == b ? "not a page of its own" : "as is the ",
              a == b ? "" : svm_page_kind_name(pages[a].kind),
              a == b ? "" : pages[a].kind == SVM_PAGE_VMCB ? "of vCPU" : "of CPU", pages[a].owner);
}

/*
 * The processor's VM_HSAVE_PA at each entry into the run loop: an INIT
 * resets it (QEMU's TCG takes INIT whatever GIF says), and the next VMRUN
 * would then save the host's state wherever it points.
 */
void svm_check_host_save_area(const struct vcpu *v, const struct svm_cpu *sc)
{
    u64 msr = rdmsr(MSR_VM_HSAVE_PA);
    if (__builtin_expect(msr != sc->host_save_area_pa, 0))
        panic("svm: CPU %u (vCPU %u): VM_HSAVE_PA is 0x%llx, not its host save area 0x%llx",
              v->cpu->index, v->id, (unsigned long long)msr,
              (unsigned long long)sc->host_save_area_pa);
}

/*
 * A guest state that is bookvisor's own, as VMRUN saves it: RIP right after
 * VMRUN and bookvisor's CR3. Reported once, with where each page is, before
 * the exit is handled (the nested map then refuses the guest's first access
 * to bookvisor's memory and the guest stops; a guest that jumped there
 * itself is stopped the same way). "entry": the VMCB held it before VMRUN;
 * "exit": seen first at an exit, whose code says whether the guest ran with
 * it (a nested page fault at that RIP) or the #VMEXIT stored it.
 */
void __attribute__((noinline, cold)) svm_report_host_state(struct vcpu *v, const char *when)
{
    static bool reported;
    const struct svm_vcpu *s = v->arch;
    const struct vmcb *vmcb = s->vmcb;
    if (vmcb->save.cr3 != read_cr3() || __atomic_exchange_n(&reported, true, __ATOMIC_RELAXED))
        return;
    const struct svm_cpu *sc = v->cpu->backend;
    kprintf("bookvisor: svm: at the %s of vCPU %u on CPU %u, its VMCB (0x%llx) holds bookvisor's "
            "own state: rip=0x%llx cr3=0x%llx exitcode=0x%llx; VM_HSAVE_PA=0x%llx (host save "
            "area 0x%llx, host VMCB 0x%llx)\n",
            when, v->id, v->cpu->index, (unsigned long long)s->vmcb_pa,
            (unsigned long long)vmcb->save.rip, (unsigned long long)vmcb->save.cr3,
            (unsigned long long)vmcb->control.exitcode, (unsigned long long)rdmsr(MSR_VM_HSAVE_PA),
            (unsigned long long)sc->host_save_area_pa, (unsigned long long)sc->host_vmcb_pa);
    struct guest_vm *vm = guest_vm_of(v);
    unsigned count = vm ? guest_vm_vcpu_count(vm) : 0;
    for (unsigned i = 0; i < count; i++) {
        const struct vcpu *o = vm->vcpus[i];
        const struct svm_vcpu *os = o->arch;
        if (!os || !o->cpu || o == v)
            continue;
        const struct svm_cpu *oc = o->cpu->backend;
        kprintf("bookvisor: svm:   vCPU %u on CPU %u: VMCB 0x%llx, host save area 0x%llx, host "
                "VMCB 0x%llx\n", o->id, o->cpu->index, (unsigned long long)os->vmcb_pa,
                (unsigned long long)oc->host_save_area_pa, (unsigned long long)oc->host_vmcb_pa);
    }
}
