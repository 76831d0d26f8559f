"""tests/labs/wrong/cases.py - wrong solutions a student might plausibly write.

Each case is one small replacement inside a lab's solution region (`old` must
occur exactly once in `file`, between the lab's BEGIN and END lines). The runner
(tests/labs/wrong/run) applies it to a copy of the full tree, runs the lab's
grader on the check named by `caught_by` (a key of `labs/grade.py --list`; the
cheapest check that catches the mistake) and expects that check to FAIL.

A case that every check lets through is a hole in the grader: strengthen a
check (a unit test first), then add the case here.

`emu` names emulator checks that must fail as well: they show that the guest
sees the mistake too, and take minutes, so only `tests/labs/wrong/run --emu`
(`make test-long`) runs them.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Wrong:
    lab: int
    name: str          # short, file-name-like: lab<N>-<name> in the output
    what: str          # the mistake, in words
    file: str
    old: str
    new: str
    caught_by: str     # the grader check (key) that must fail
    emu: tuple = ()    # emulator checks (keys) that must fail too: `run --emu` only
    part: int = 1      # the lab's part the region belongs to (labs/grade.py Part())


CASES = [
    # ---- lab 1: decode the capabilities -------------------------------------
    Wrong(1, "svm-nrip-bit", "reads next-RIP save from bit 2 (that is SVM lock)",
          "arch/svm/svm_caps.c",
          "out->nrip_save = (edx >> 3) & 1;", "out->nrip_save = (edx >> 2) & 1;",
          "test_svm_caps"),
    Wrong(1, "svm-bios-bit", "takes VM_CR.SVMDIS from bit 3 (the LOCK bit)",
          "arch/svm/svm_caps.c",
          "out->disabled_by_bios = (vm_cr >> 4) & 1;",
          "out->disabled_by_bios = (vm_cr >> 3) & 1;",
          "test_svm_caps"),
    Wrong(1, "svm-npt-without-svm", "decodes leaf 8000_000Ah even when SVM is absent",
          "arch/svm/svm_caps.c",
          "    if (!out->svm)\n        return;\n", "",
          "test_svm_caps"),
    Wrong(1, "svm-npt-bit", "reads nested paging from bit 1 (that is LBR virtualization)",
          "arch/svm/svm_caps.c",
          "out->npt = edx & 1;", "out->npt = (edx >> 1) & 1;",
          "test_svm_caps", emu=("boot-banner@qemu-svm",)),
    Wrong(1, "vmx-no-true-controls", "ignores the TRUE_* capability MSRs",
          "arch/vmx/vmx_caps.c",
          "out->pin_ctl = out->true_controls ? msrs->true_pinbased : msrs->pinbased;",
          "out->pin_ctl = msrs->pinbased;",
          "test_vmx_controls:caps"),
    Wrong(1, "vmx-size-12-bits", "reads the VMCS size from 12 bits instead of 13 (44:32)",
          "arch/vmx/vmx_caps.c",
          "out->vmcs_size = (u32)(basic >> 32) & 0x1FFFu;",
          "out->vmcs_size = (u32)(basic >> 32) & 0xFFFu;",
          "test_vmx_controls:caps"),
    Wrong(1, "vmx-ept-any-walk", "counts EPT as usable without the 4-level walk",
          "arch/vmx/vmx_caps.c",
          "out->ept = allowed1(out->proc2_ctl, VMX_PROC2_EPT) && out->ept_walk4 &&",
          "out->ept = allowed1(out->proc2_ctl, VMX_PROC2_EPT) &&",
          "test_vmx_controls:caps"),

    # ---- lab 1 part 2: can this CPU host bookvisor --------------------------
    Wrong(1, "svm-lock-refuses", "refuses whenever VM_CR.LOCK is set, SVMDIS or not",
          "arch/svm/svm_usable.c",
          "    if (caps->disabled_by_bios)\n        return (vm_cr & SVM_VM_CR_LOCK)",
          "    if (caps->disabled_by_bios || (vm_cr & SVM_VM_CR_LOCK))\n"
          "        return (vm_cr & SVM_VM_CR_LOCK)",
          "test_host_usable", part=2),
    Wrong(1, "svm-lock-bit", "tells locked from unlocked by VM_CR bit 4 (SVMDIS), not bit 3",
          "arch/svm/svm_usable.c",
          "return (vm_cr & SVM_VM_CR_LOCK) ? SVM_DISABLED_LOCKED : SVM_DISABLED_UNLOCKED;",
          "return (vm_cr & SVM_VM_CR_SVMDIS) ? SVM_DISABLED_LOCKED : SVM_DISABLED_UNLOCKED;",
          "test_host_usable", part=2),
    Wrong(1, "svm-npt-ignored", "never checks for nested paging",
          "arch/svm/svm_usable.c",
          "    if (!caps->npt)\n        return SVM_NO_NPT;\n", "",
          "test_host_usable", emu=("no-npt@qemu-svm",), part=2),
    Wrong(1, "svm-one-asid", "counts ASID 0, the host's, as one for a guest",
          "arch/svm/svm_usable.c",
          "if (caps->nasid < SVM_MIN_ASIDS)", "if (caps->nasid < 1)",
          "test_host_usable", part=2),
    Wrong(1, "svm-npt-before-disabled", "says \"no nested paging\" before \"disabled\"",
          "arch/svm/svm_usable.c",
          "    if (caps->disabled_by_bios)\n",
          "    if (!caps->npt)\n        return SVM_NO_NPT;\n    if (caps->disabled_by_bios)\n",
          "test_host_usable", part=2),
    Wrong(1, "vmx-smx-counts", "accepts a locked IA32_FEATURE_CONTROL with VMX inside SMX only",
          "arch/vmx/vmx_usable.c",
          "    if (vmx_feature_control_decide(feature_control).action == VMX_FC_REFUSE)",
          "    if ((feature_control & VMX_FEATURE_CONTROL_LOCK) &&\n"
          "        !(feature_control & (VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX |\n"
          "                             VMX_FEATURE_CONTROL_VMX_INSIDE_SMX)))",
          "test_host_usable", part=2),
    Wrong(1, "vmx-unlocked-refused", "refuses an unlocked IA32_FEATURE_CONTROL",
          "arch/vmx/vmx_usable.c",
          "    if (vmx_feature_control_decide(feature_control).action == VMX_FC_REFUSE)",
          "    if (!(feature_control & VMX_FEATURE_CONTROL_VMX_OUTSIDE_SMX))",
          "test_host_usable", part=2),
    Wrong(1, "vmx-ug-ignored", "never checks for unrestricted guest",
          "arch/vmx/vmx_usable.c",
          "    if (!caps->unrestricted_guest)\n        return VMX_NO_UNRESTRICTED_GUEST;\n", "",
          "test_host_usable", part=2),

    # ---- lab 2: the CPUID policy --------------------------------------------
    Wrong(2, "vmx-shown", "forgets to hide VMX in leaf 1",
          "common/exits/cpuid_policy.c",
          "            r->ecx &= ~LEAF1_ECX_VMX;\n", "",
          "test_cpuid_policy"),
    Wrong(2, "svm-in-edx", "clears the SVM bit in EDX of 8000_0001h instead of ECX",
          "common/exits/cpuid_policy.c",
          "r->ecx &= ~EXT1_ECX_SVM;", "r->edx &= ~EXT1_ECX_SVM;",
          "test_cpuid_policy", emu=("guest-checks@qemu-svm",)),
    Wrong(2, "signature-reversed", "writes the signature's bytes in reading order into EBX",
          "common/exits/cpuid_policy.c",
          "r->ebx = 'b' | ('o' << 8) | ('o' << 16) | ((u32)'k' << 24);",
          "r->ebx = ((u32)'b' << 24) | ('o' << 16) | ('o' << 8) | 'k';",
          "test_cpuid_policy"),
    Wrong(2, "hv-range-leaks", "passes the host's answer for the unused hypervisor leaves",
          "common/exits/cpuid_policy.c",
          "    } else if (leaf <= CPUID_HV_BASE + 0xFF) {\n"
          "        r->eax = r->ebx = r->ecx = r->edx = 0;\n",
          "",
          "test_cpuid_policy"),
    Wrong(2, "leaf-a-kept", "leaves the SVM feature leaf 8000_000Ah as the host says",
          "common/exits/cpuid_policy.c",
          "    } else if (leaf == 0x8000000Au) {\n"
          "        r->eax = r->ebx = r->ecx = r->edx = 0;\n",
          "",
          "test_cpuid_policy"),

    # ---- lab 2 part 2: the memo's stable leaves ------------------------------
    # Both backends keep a remembered leaf 1's OSXSAVE bit current, so no
    # emulator target passes false: only the unit test sees this one.
    Wrong(2, "memo-leaf1-always", "remembers leaf 1 even where its OSXSAVE bit could "
          "go stale",
          "common/exits/cpuid_policy.c",
          "        return osxsave_writes_exit;\n",
          "        return osxsave_writes_exit || true;\n",
          "test_cpuid_stable", part=2),
    Wrong(2, "memo-leaf1-never", "never remembers leaf 1, though the backends keep its "
          "OSXSAVE bit current (slow, not wrong: the guest sees the cost)",
          "common/exits/cpuid_policy.c",
          "        return osxsave_writes_exit;\n",
          "        (void)osxsave_writes_exit; /* OSXSAVE follows CR4 */\n        return false;\n",
          "test_cpuid_stable", emu=("cpuid-memo@bochs-svm",), part=2),
    Wrong(2, "memo-leaf7", "remembers leaf 7, whose OSPKE bit follows CR4.PKE",
          "common/exits/cpuid_policy.c",
          "    case 0x0:\n", "    case 0x0:\n    case 0x7:\n",
          "test_cpuid_stable", part=2),
    Wrong(2, "memo-no-version", "leaves bookvisor's version leaf 0x40000001 out",
          "common/exits/cpuid_policy.c",
          "    case CPUID_HV_BASE + 1:\n", "",
          "test_cpuid_stable", part=2),
    Wrong(2, "memo-whole-hv-range", "remembers every 0x400000xx leaf, not only "
          "bookvisor's two",
          "common/exits/cpuid_policy.c",
          "    default:\n        return false;\n",
          "    default:\n        return leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_BASE + 0xFF;\n",
          "test_cpuid_stable", part=2),

    # ---- lab 3: the VMCS execution controls ---------------------------------
    Wrong(3, "ug-without-ept", "allows unrestricted guest without EPT",
          "arch/vmx/vmx_controls.c",
          "caps->unrestricted_guest && use_ept,", "caps->unrestricted_guest,",
          "test_vmx_controls"),
    Wrong(3, "no-secondary", "never turns on the secondary controls",
          "arch/vmx/vmx_controls.c",
          "    if ((proc2_want | proc2_opt) && caps->secondary)\n"
          "        proc_want |= VMX_PROC_SECONDARY_CONTROLS;\n",
          "",
          "test_vmx_controls"),
    Wrong(3, "vnmi-without-nmi-exiting", "asks for virtual NMIs without NMI exiting",
          "arch/vmx/vmx_controls.c",
          "pin_want |= VMX_PIN_NMI_EXITING | VMX_PIN_VIRTUAL_NMIS;",
          "pin_want |= VMX_PIN_VIRTUAL_NMIS;",
          "test_vmx_controls", emu=("guest-checks@bochs-vmx",)),
    Wrong(3, "no-efer-switch", "does not switch EFER on exit",
          "arch/vmx/vmx_controls.c",
          "VMX_EXIT_SAVE_EFER | VMX_EXIT_LOAD_EFER | VMX_EXIT_SAVE_PAT |",
          "VMX_EXIT_SAVE_PAT |",
          "test_vmx_controls"),

    # ---- lab 3 part 2: the MSR bitmap ---------------------------------------
    Wrong(3, "high-in-low-quarters", "puts the high MSRs' bits in the low quarters (no 0x400)",
          "arch/vmx/vmx_msr_bitmap.c",
          "        rd = VMX_MSR_BITMAP_READ_HIGH;\n        wr = VMX_MSR_BITMAP_WRITE_HIGH;\n",
          "        rd = VMX_MSR_BITMAP_READ_LOW;\n        wr = VMX_MSR_BITMAP_WRITE_LOW;\n",
          "test_vmx_msr_bitmap", emu=("guest-checks@bochs-vmx-part2",), part=2),
    Wrong(3, "write-at-0x400", "takes the low MSRs' write bitmap to be at 0x400",
          "arch/vmx/vmx_msr_bitmap.c",
          "        wr = VMX_MSR_BITMAP_WRITE_LOW;\n",
          "        wr = VMX_MSR_BITMAP_READ_HIGH;\n",
          "test_vmx_msr_bitmap", emu=("guest-checks@bochs-vmx-part2",), part=2),
    Wrong(3, "clear-whole-byte", "clears the whole byte to stop one MSR's reads exiting",
          "arch/vmx/vmx_msr_bitmap.c",
          "        bm[rd + byte] &= (u8)~bit;", "        bm[rd + byte] = 0;",
          "test_vmx_msr_bitmap", part=2),
    Wrong(3, "high-not-rebased", "indexes a high MSR's bit from 0, not from 0xC0000000",
          "arch/vmx/vmx_msr_bitmap.c",
          "        msr -= 0xC0000000;\n", "",
          "test_vmx_msr_bitmap", part=2),
    Wrong(3, "low-edge-0x2000", "counts MSR 0x2000 as a low MSR",
          "arch/vmx/vmx_msr_bitmap.c",
          "if (msr <= 0x1FFF) {", "if (msr <= 0x2000) {",
          "test_vmx_msr_bitmap", part=2),
    Wrong(3, "outside-true", "answers true for an MSR outside both ranges",
          "arch/vmx/vmx_msr_bitmap.c",
          "        return false; /* no bit: the access always exits */",
          "        return true; /* no bit: the access always exits */",
          "test_vmx_msr_bitmap", part=2),

    # ---- lab 4: the largest page --------------------------------------------
    Wrong(4, "maps-vmm", "maps bookvisor's memory into the guest (answers a size for "
          "NPT_KIND_VMM)",
          "common/npt/npt.c",
          "(kind != NPT_KIND_RAM && kind != NPT_KIND_MMIO)",
          "kind == NPT_KIND_NOT_BACKED",
          "test_npt", emu=("guest-checks@qemu-svm",)),
    Wrong(4, "mtrr-ignored", "uses a large page across two memory types",
          "common/npt/npt.c",
          "        if (mtrr_type_of_range(&layout->mtrr, base, size) == MTRR_TYPE_MIXED)\n"
          "            continue;\n",
          "",
          "test_npt"),
    Wrong(4, "1g-always", "uses 1 GiB pages without NPT_ALLOW_1G",
          "common/npt/npt.c",
          "        if (size == NPT_1G && !(layout->flags & NPT_ALLOW_1G))\n"
          "            continue;\n",
          "",
          "test_npt"),
    Wrong(4, "alignment-only", "checks the kind of the block's first page only",
          "common/npt/npt.c",
          "if (!block_is_one_kind(layout, base, size, kind))",
          "if (!block_is_one_kind(layout, base, NPT_4K, kind))",
          "test_npt"),

    # ---- lab 4 part 2: reclaim ----------------------------------------------
    Wrong(4, "reclaim-directories-first", "gives up a whole page directory while a page "
          "table would do",
          "common/npt/npt.c",
          "for (victim = 1; victim <= 2; victim++)",
          "for (victim = 2; victim >= 1; victim--)",
          "test_npt_reclaim", part=2),
    Wrong(4, "reclaim-no-wrap", "searches only from the hand to the end, never from 0 again",
          "common/npt/npt.c",
          "        if (!find_victim(map, map->root_pa, 4, 0, map->reclaim_hand, keep, victim, "
          "&found) &&\n"
          "            !find_victim(map, map->root_pa, 4, 0, 0, keep, victim, &found))\n",
          "        if (!find_victim(map, map->root_pa, 4, 0, map->reclaim_hand, keep, victim, "
          "&found))\n",
          "test_npt_reclaim", emu=("npt-reclaim@qemu-svm",), part=2),
    Wrong(4, "reclaim-hand-stays", "never moves the clock hand, so the newest table can go "
          "first",
          "common/npt/npt.c",
          "        map->reclaim_hand = (found + npt_level_size(parent)) % NPT_ADDR_LIMIT;\n",
          "",
          "test_npt_reclaim", part=2),
    Wrong(4, "reclaim-no-flush", "unlinks and frees the table itself and forgets that the "
          "TLB must be flushed",
          "common/npt/npt.c",
          "        drop_entry(map, existing_slot(map, found, parent), parent);\n",
          "        u64 *slot = existing_slot(map, found, parent);\n"
          "        u64 table = map->fmt->entry_addr(*slot, parent);\n"
          "\n"
          "        *slot = 0;\n"
          "        free_subtree(map, table, victim);\n",
          "test_npt_reclaim", part=2),
    Wrong(4, "reclaim-uncounted", "does not count the reclaim in stats.reclaims",
          "common/npt/npt.c",
          "        map->stats.reclaims++;\n", "",
          "test_npt_reclaim", part=2),

    # ---- lab 5: the selector matcher ----------------------------------------
    Wrong(5, "no-alternatives", "treats '|' as an ordinary character",
          "pci/pci_match.c",
          "if (end < plen && pattern[end] != '|')", "if (end < plen)",
          "test_pci_match"),
    Wrong(5, "star-no-backtrack", "after a mismatch past a '*', goes on from the mismatch instead of going back",
          "pci/pci_match.c",
          "            } else if (star != (size_t)-1) {\n"
          "                p = star + 1;\n"
          "                t = ++star_text;\n",
          "            } else if (star != (size_t)-1) {\n"
          "                p = star + 1;\n"
          "                star_text++;\n"
          "                t++;\n",
          "test_pci_match"),
    Wrong(5, "star-literal", "treats '*' as an ordinary character",
          "pci/pci_match.c",
          "            if (p < n && pat[p] == '*') {",
          "            if (p < n && pat[p] == '*' && t == tlen) {",
          "test_pci_match", emu=("pci-conceal@qemu-svm",)),
    Wrong(5, "prefix-match", "accepts a text that the pattern only begins",
          "pci/pci_match.c",
          "        while (t < tlen) {", "        while (t < tlen && p < n) {",
          "test_pci_match"),
    Wrong(5, "trailing-star", "does not let a trailing '*' match nothing",
          "pci/pci_match.c",
          "        while (matched && p < n && pat[p] == '*')\n            p++;\n", "",
          "test_pci_match"),

    # ---- lab 5 part 2: the capability key ----------------------------------
    Wrong(5, "caps-without-status-bit", "walks from offset 0x34 even when the Status "
          "register says there is no list",
          "pci/pci_enum.c",
          "    if (!(rd(ops, where, PCI_REG_STATUS, 2) & PCI_STATUS_CAP_LIST))\n"
          "        return;\n", "",
          "test_pci_caps", part=2),
    Wrong(5, "caps-pointer-unmasked", "follows the first pointer with its reserved low "
          "bits",
          "pci/pci_enum.c",
          "    at = (u8)rd(ops, where, first, 1) & 0xfc;\n",
          "    at = (u8)rd(ops, where, first, 1);\n",
          "test_pci_caps", part=2),
    Wrong(5, "caps-header-with-mf-bit", "compares the header type with its "
          "multi-function bit still set, so a multi-function CardBus bridge reads 0x34",
          "pci/pci_enum.c",
          "    u8 type = (u8)rd(ops, where, PCI_REG_HEADER_TYPE, 1) & 0x7f;\n",
          "    u8 type = (u8)rd(ops, where, PCI_REG_HEADER_TYPE, 1);\n",
          "test_pci_caps", part=2),
    Wrong(5, "caps-repeats", "records a repeated ID again (two vendor-specific "
          "capabilities fill two places)",
          "pci/pci_enum.c",
          "            seen |= desc->cap_ids[j] == id;\n",
          "            seen |= false;\n",
          "test_pci_caps", part=2),
    Wrong(5, "cap-first-only", "answers with the first ID's comparison instead of "
          "trying them all",
          "pci/pci_match.c",
          "        if (pci_wildcard_match(item->value, item->value_len, id, 2))\n"
          "            return true;\n",
          "        return pci_wildcard_match(item->value, item->value_len, id, 2);\n",
          "test_pci_caps", emu=("pci-capability@qemu-svm",), part=2),
    Wrong(5, "cap-past-ncaps", "matches every slot of cap_ids, not only the ncaps "
          "recorded",
          "pci/pci_match.c",
          "    u32 n = dev->ncaps < PCI_DESC_MAX_CAPS ? dev->ncaps : PCI_DESC_MAX_CAPS;\n",
          "    u32 n = PCI_DESC_MAX_CAPS;\n",
          "test_pci_caps", part=2),

    # ---- lab 6: the next event ----------------------------------------------
    Wrong(6, "interrupt-before-nmi", "injects an interrupt ahead of a pending NMI",
          "common/vm/event.c",
          "    } else if (q->nmi_pending && nmi_can_go) {\n"
          "        d.inject = true;\n"
          "        d.event = (struct vm_event){ .type = VM_EVENT_NMI, .vector = EVENT_VECTOR_NMI };\n"
          "    } else if (vector >= 0 && interrupt_can_go) {\n"
          "        d.inject = true;\n"
          "        d.event = (struct vm_event){ .type = VM_EVENT_EXTERNAL_INTERRUPT, .vector = (u8)vector };\n"
          "    }\n",
          "    } else if (vector >= 0 && interrupt_can_go) {\n"
          "        d.inject = true;\n"
          "        d.event = (struct vm_event){ .type = VM_EVENT_EXTERNAL_INTERRUPT, .vector = (u8)vector };\n"
          "    } else if (q->nmi_pending && nmi_can_go) {\n"
          "        d.inject = true;\n"
          "        d.event = (struct vm_event){ .type = VM_EVENT_NMI, .vector = EVENT_VECTOR_NMI };\n"
          "    }\n",
          "test_event"),
    Wrong(6, "shadow-ignored", "injects an interrupt inside an STI/MOV SS shadow",
          "common/vm/event.c",
          "bool interrupt_can_go = g->interrupts_enabled && !g->shadow;",
          "bool interrupt_can_go = g->interrupts_enabled;",
          "test_event"),
    Wrong(6, "nmi-blocking-ignored", "injects an NMI while NMIs are blocked",
          "common/vm/event.c",
          "bool nmi_can_go = !g->nmi_blocked && !q->nmi_blocked && !g->shadow;",
          "bool nmi_can_go = !g->shadow;",
          "test_event", emu=("events@qemu-svm",)),
    Wrong(6, "window-off-by-one", "opens no interrupt window for a second waiting interrupt",
          "common/vm/event.c",
          "d.interrupt_window = q->interrupt_count > (interrupt_goes_now ? 1u : 0u);",
          "d.interrupt_window = q->interrupt_count > 0 && !interrupt_goes_now;",
          "test_event"),
    # ---- lab 7: the zero page's E820 table -----------------------------------
    Wrong(7, "no-merge", "writes one entry per range and never merges adjacent ones",
          "common/loader/linux_boot_params.c",
          "if (used && r->type == last_type && r->base == last_end) {",
          "if (used && r->type == last_type && r->base == last_end && false) {",
          "test_linux_boot_params"),
    Wrong(7, "merge-any-type", "merges adjacent ranges of different types",
          "common/loader/linux_boot_params.c",
          "r->type == last_type && r->base == last_end",
          "(r->type == last_type || true) && r->base == last_end",
          "test_linux_boot_params"),
    Wrong(7, "keep-empty", "keeps ranges of length 0 as entries",
          "common/loader/linux_boot_params.c",
          "        if (!r->length)\n            continue;\n", "",
          "test_linux_boot_params"),
    Wrong(7, "truncate-ok", "stops at 128 entries and says all went well",
          "common/loader/linux_boot_params.c",
          "                return LINUX_ERR_E820_TOO_LONG;", "                return LINUX_OK;",
          "test_linux_boot_params"),
    Wrong(7, "len-32bit", "writes the length as 32 bits",
          "common/loader/linux_boot_params.c",
          "linux_wr64(e + 8, r->length);", "linux_wr32(e + 8, (u32)r->length);",
          "test_linux_boot_params"),

    # ---- lab 7 part 2: the BIOS's E820 answer -------------------------------
    Wrong(7, "e820-next-skips", "gives EBX + 2 as the continuation, so every other entry "
          "is never asked for",
          "common/base/bios_memmap.c",
          "                *next = index + 1;", "                *next = index + 2;",
          "test_bios_memmap", emu=("bios-memmap@qemu-svm",), part=2),
    Wrong(7, "e820-last-not-zero", "gives the last entry a continuation like any other, "
          "so the guest's next call is refused instead of the list ending",
          "common/base/bios_memmap.c",
          "        *next = 0;\n        for (size_t j = i + 1; j < n; j++)\n"
          "            if (map[j].length) {\n                *next = index + 1;\n"
          "                break;\n            }\n",
          "        *next = index + 1;\n",
          "test_bios_memmap", emu=("bios-memmap@qemu-svm",), part=2),
    Wrong(7, "e820-all-ram", "reports every entry as RAM, bookvisor's reserved range "
          "included",
          "common/base/bios_memmap.c",
          "        out->type = map[i].type;", "        out->type = 1;",
          "test_bios_memmap", emu=("bios-memmap@qemu-svm",), part=2),
    Wrong(7, "e820-count-empty", "numbers the map's ranges, empty ones included, so EBX "
          "no longer counts the entries given",
          "common/base/bios_memmap.c",
          "        if (map[i].length == 0)\n            continue;\n        if (seen++ != index)",
          "        if (seen++ != index)",
          "test_bios_memmap", part=2),
    Wrong(7, "e820-merge", "merges a range into the entry before it when they touch "
          "with one type, as the zero page's table does (the boot map keeps them apart)",
          "common/base/bios_memmap.c",
          "        out->length = map[i].length;\n",
          "        out->length = map[i].length;\n"
          "        while (i + 1 < n && map[i + 1].type == map[i].type &&\n"
          "               map[i + 1].base == out->base + out->length)\n"
          "            out->length += map[++i].length;\n",
          "test_bios_memmap", part=2),
    Wrong(7, "e820-attrs-clear", "leaves the extended attributes 0 (\"ignore this entry\")",
          "common/base/bios_memmap.c",
          "        out->attrs = 1;", "        out->attrs = 0;",
          "test_bios_memmap", part=2),
    Wrong(7, "e820-size-24-short", "answers a 24-byte buffer with 20 bytes (> instead of >=)",
          "common/base/bios_memmap.c",
          "buffer_size >= BIOS_E820_ENTRY_SIZE_EXT ?", "buffer_size > BIOS_E820_ENTRY_SIZE_EXT ?",
          "test_bios_memmap", part=2),
    Wrong(7, "e820-size-small-buffer", "writes a 20-byte entry into a buffer smaller than "
          "one",
          "common/base/bios_memmap.c",
          "    if (buffer_size < BIOS_E820_ENTRY_SIZE)\n        return 0;\n", "",
          "test_bios_memmap", part=2),

    # ---- lab 8: the scheduler's next thread and its sleepers ------------------
    Wrong(8, "ties-reversed", "puts a sleeper before those with the same wake time",
          "common/lib/thread_sched.c",
          "    while (*p && (*p)->wake_at <= until)\n",
          "    while (*p && (*p)->wake_at < until)\n",
          "test_thread_sched"),
    Wrong(8, "wakes-one", "wakes one due sleeper per pick, not all that are due",
          "common/lib/thread_sched.c",
          "    while (s->sleepers && s->sleepers->wake_at <= now) {\n",
          "    if (s->sleepers && s->sleepers->wake_at <= now) {\n",
          "test_thread_sched"),
    Wrong(8, "wakes-late", "wakes a sleeper only after its wake time, not at it",
          "common/lib/thread_sched.c",
          "    while (s->sleepers && s->sleepers->wake_at <= now) {\n",
          "    while (s->sleepers && s->sleepers->wake_at < now) {\n",
          "test_thread_sched"),
    Wrong(8, "woken-first", "puts a woken sleeper at the head of the run queue",
          "common/lib/thread_sched.c",
          "        run_append(s, t); /* behind",
          "        t->state = THREAD_RUNNABLE;\n"
          "        t->next = s->run_head;\n"
          "        s->run_head = t;\n"
          "        if (!s->run_tail)\n"
          "            s->run_tail = t;\n"
          "        /* behind",
          "test_thread_sched"),
    Wrong(8, "stale-tail", "leaves the run queue's tail on the thread it took last",
          "common/lib/thread_sched.c",
          "    if (!s->run_head)\n        s->run_tail = NULL;\n", "",
          "test_thread_sched"),
    Wrong(8, "wakes-early", "compares the wrong way round: wakes the sleepers not due yet",
          "common/lib/thread_sched.c",
          "    while (s->sleepers && s->sleepers->wake_at <= now) {\n",
          "    while (s->sleepers && s->sleepers->wake_at >= now) {\n",
          "test_thread_sched", emu=("threads@qemu-svm",)),

    # ---- lab 9: the guest's start-up IPIs -----------------------------------
    Wrong(9, "all-others-self", "lets \"all but self\" reach the sender too",
          "arch/x86/lapic_regs.h",
          "case LAPIC_ICR_TO_ALL_OTHERS: return target != sender;",
          "case LAPIC_ICR_TO_ALL_OTHERS: return true;",
          "test_irq_vectors"),
    Wrong(9, "no-broadcast", "takes destination 0xFF as an APIC ID, not the broadcast",
          "arch/x86/lapic_regs.h",
          "return (icr_high >> 24) == 0xFF || (icr_high >> 24) == target;",
          "return (icr_high >> 24) == target;",
          "test_irq_vectors"),
    Wrong(9, "logical-as-physical", "reads a logical destination as a physical APIC ID",
          "arch/x86/lapic_regs.h",
          "    if (icr_low & LAPIC_ICR_LOGICAL)\n        return false;\n", "",
          "test_irq_vectors"),
    Wrong(9, "dest-low-byte", "reads the destination from the high word's low byte",
          "arch/x86/lapic_regs.h",
          "return (icr_high >> 24) == 0xFF || (icr_high >> 24) == target;",
          "return (icr_high & 0xFF) == 0xFF || (icr_high & 0xFF) == target;",
          "test_irq_vectors", emu=("smp-2@qemu-svm",)),
    Wrong(9, "sipi-without-init", "starts a processor not started yet at any SIPI, INIT or "
          "not",
          "arch/x86/lapic_regs.h",
          "if (mode == LAPIC_ICR_MODE_STARTUP && init_seen)",
          "if (mode == LAPIC_ICR_MODE_STARTUP && (init_seen || !started))",
          "test_irq_vectors"),
    Wrong(9, "second-sipi-runs", "keeps a started processor from INIT only, and takes the "
          "recipe's second SIPI as a start again",
          "arch/x86/lapic_regs.h",
          "    if (started)\n", "    if (started && mode == LAPIC_ICR_MODE_INIT)\n",
          "test_irq_vectors"),
    Wrong(9, "any-mode-runs", "after an INIT, starts the processor at any command",
          "arch/x86/lapic_regs.h",
          "if (mode == LAPIC_ICR_MODE_STARTUP && init_seen)",
          "if (init_seen)",
          "test_irq_vectors"),
    Wrong(9, "init-ignored", "ignores the INIT, so that no SIPI ever finds the processor waiting",
          "arch/x86/lapic_regs.h",
          "        return LAPIC_START_INIT;", "        return LAPIC_START_IGNORE;",
          "test_irq_vectors", emu=("smp-2@qemu-svm",)),
    # ---- lab 10: the filter module's core ------------------------------------
    Wrong(10, "other-not-counted", "counts only IPv4 and ARP, so the frames it drops for "
          "their type vanish from the counters",
          "net/net_filter.c",
          "    c->frames[dir][kind]++;\n",
          "    if (kind != NET_FILTER_OTHER)\n        c->frames[dir][kind]++;\n",
          "test_net_filter"),
    Wrong(10, "broadcast-dropped", "drops every multicast destination, the broadcast "
          "address (ARP, DHCP) included",
          "net/net_filter.c",
          "(f->multicast && !f->broadcast)", "f->multicast",
          "test_net_filter", emu=("net-filter@qemu-svm",)),
    Wrong(10, "vlan-let-through", "judges a tagged frame by its inner type only and lets "
          "it through",
          "net/net_filter.c",
          "drop = kind == NET_FILTER_OTHER || f->l3_offset != NET_ETH_HEADER;",
          "drop = kind == NET_FILTER_OTHER;",
          "test_net_filter"),
    Wrong(10, "in-rules-on-out", "applies the way-in rules to the stack's own frames too "
          "(its own MAC dropped, another sender's passed)",
          "net/net_filter.c",
          "drop = drop || !same_mac(f->src, nic_mac);",
          "drop = drop || same_mac(f->src, nic_mac) || (f->multicast && !f->broadcast);",
          "test_net_filter", emu=("net-filter@qemu-svm",)),
    Wrong(10, "drops-one-counter", "counts every drop as a drop on the way in",
          "net/net_filter.c",
          "c->dropped[dir]++;", "c->dropped[NET_FILTER_IN]++;",
          "test_net_filter"),
    # ---- lab 11: the status service's reply ------------------------------------
    Wrong(11, "prefix-match", "compares only the word's own bytes, so \"statusx\" and "
          "\"status\\0junk\" are taken for \"status\"",
          "net/net_status.c",
          "if (n == 6 && KSTR(memcmp)(req, \"status\", 6) == 0)",
          "if (n >= 6 && KSTR(memcmp)(req, \"status\", 6) == 0)",
          "test_net_status"),
    Wrong(11, "cr-kept", "cuts the line at its newline but keeps telnet's \"\\r\", so "
          "\"status\\r\\n\" is unknown",
          "net/net_status.c",
          "    if (n > 0 && req[n - 1] == '\\r')\n        n--;\n", "",
          "test_net_status"),
    Wrong(11, "uptime-rounded", "rounds the uptime to the nearest second instead of down",
          "net/net_status.c",
          "(s->uptime_us / 1000000)", "((s->uptime_us + 500000) / 1000000)",
          "test_net_status"),
    Wrong(11, "half-line", "returns ksnprintf's length even when the line was cut, so "
          "the glue sends bytes past what was written",
          "net/net_status.c",
          "    if (need < 0 || (u32)need >= size) {\n        if (size)\n            out[0] = '\\0';\n"
          "        return 0;\n    }\n",
          "    if (need < 0)\n        return 0;\n",
          "test_net_status"),
    Wrong(11, "no-newline", "ends the status line without its newline",
          "net/net_status.c",
          "frames in %llu out %llu\\n\"", "frames in %llu out %llu\"",
          "test_net_status"),
    # ---- lab 11 part 2: the status service's receive callback ---------------------
    Wrong(11, "segment-is-request", "takes each segment as a whole request, so a line "
          "that arrives in two pieces is answered on its first piece",
          "net/lwip/bv_status.c",
          "    if (complete && !c->answered)\n", "    if (!c->answered)\n",
          "test_bv_status", part=2),
    Wrong(11, "window-kept", "frees the chain but never calls tcp_recved(), so the "
          "window closes after a few kilobytes",
          "net/lwip/bv_status.c",
          "    tcp_recved(pcb, p->tot_len);\n    pbuf_free(p);\n    if (complete",
          "    pbuf_free(p);\n    if (complete",
          "test_bv_status", part=2),
    Wrong(11, "chain-leaked", "gives the window back but never frees the pbuf chain",
          "net/lwip/bv_status.c",
          "    tcp_recved(pcb, p->tot_len);\n    pbuf_free(p);\n    if (complete",
          "    tcp_recved(pcb, p->tot_len);\n    if (complete",
          "test_bv_status", part=2),
    Wrong(11, "close-at-once", "closes as soon as the reply is written, before the peer "
          "acknowledged it",
          "net/lwip/bv_status.c",
          "    if (c->answered && !c->unacked) {\n",
          "    if (c->answered) {\n",
          "test_bv_status", part=2),
]
