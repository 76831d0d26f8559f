/**
 * @file common/exits/emul_string.h
 * @brief String instructions carried out for the guest (VMM only; chapters 02 and 05).
 *
 * MOVS, STOS, LODS, INS and OUTS reach bookvisor two ways: an INS or OUTS
 * to an intercepted port exits as an I/O exit, and any of them whose memory
 * is a hooked page (or bookvisor's own memory) exits as a nested page
 * fault. Both end here. Each element goes as the CPU would move it: its
 * memory through the guest's page tables (common/exits/emul_access.h), its
 * port through the hooks or to the hardware (common/vm/io_ports.h), rSI
 * and rDI forward or backward as RFLAGS.DF says, rCX counted down.
 *
 * A REP instruction is carried out EMUL_STRING_CHUNK elements at a time:
 * then the guest resumes at the same instruction with its registers
 * updated, exactly as after an interrupt between two iterations, and the
 * CPU goes on (exiting again at the next element that needs bookvisor). A
 * guest cannot hold bookvisor for billions of elements in one exit.
 */
#ifndef BOOKVISOR_COMMON_EXITS_EMUL_STRING_H
#define BOOKVISOR_COMMON_EXITS_EMUL_STRING_H

#include "common/exits/emul_access.h"
#include "common/insn/mmio_decode.h"

/** Most elements of a REP string instruction carried out in one exit. */
#define EMUL_STRING_CHUNK 256

/**
 * Carry out a decoded MMIO_FORM_STRING instruction from the vCPU's registers.
 * @param w           the guest's view (emul_view_init())
 * @param acc         the decoded instruction
 * @param e           the exit (for stepping over the instruction)
 * @param fault_gpa   on a nested page fault: the faulted address, which the
 *                    first element must touch (else the fault is not this
 *                    instruction's and the guest stops)
 * @param check_fault whether fault_gpa is given
 * @return EXIT_RESUME (done or to be continued), or EXIT_STOP
 */
enum exit_action emul_string(struct emul_view *w, const struct mmio_access *acc,
                             const struct vm_exit *e, u64 fault_gpa, bool check_fault);

#endif
