/**
 * @file arch/x86/ap_trampoline.h
 * @brief The real-mode code where another CPU starts (VMM only, chapter 08).
 *
 * A start-up IPI starts a CPU in real mode at a page below 1 MiB. bookvisor
 * copies a small trampoline there (arch/x86/ap_trampoline.S) that switches the
 * CPU to protected mode, then to long mode on the boot CPU's page tables, and
 * calls a C function on a stack of the CPU's own. The page is bookvisor's only
 * while it starts the CPUs, before the guest is loaded.
 */
#ifndef BOOKVISOR_ARCH_X86_AP_TRAMPOLINE_H
#define BOOKVISOR_ARCH_X86_AP_TRAMPOLINE_H

#include "common/lib/types.h"

/**
 * Copy the trampoline to the 4 KiB page at @p page_pa (below 1 MiB) and fill
 * in what the next CPU to start needs: the calling CPU's paging state, and
 * @p entry to call with @p arg on the stack whose top is @p stack_top
 * (16-byte aligned). @p entry never returns. Install again for each CPU, once
 * the one before has left the trampoline.
 * @return the start-up IPI's vector: @p page_pa >> 12
 */
u8 ap_trampoline_install(u64 page_pa, u64 stack_top, void (*entry)(void *), void *arg);

#endif
