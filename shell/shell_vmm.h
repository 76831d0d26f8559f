/**
 * @file shell/shell_vmm.h
 * @brief The debug shell in the VMM: a thread that reads COM2 and runs commands (VMM only; chapter 13).
 *
 * The thread polls the UART's line status register (no interrupts): it
 * echoes what is typed to COM2 and runs each line with shell_execute()
 * (shell/shell_core.h). Answers are log lines (`bookvisor: shell: ...`), so
 * they go wherever the log goes and never cut a log line in two. The
 * `shell=` options run first, at start-up, with no one typing.
 */
#ifndef BOOKVISOR_SHELL_SHELL_VMM_H
#define BOOKVISOR_SHELL_SHELL_VMM_H

#include "common/lib/types.h"

struct guest_vm;

/** How often the shell looks at COM2 for typed characters, in microseconds. */
#define SHELL_POLL_US 10000

/**
 * Start the shell's thread when `vmm.shell` or a `shell=` option asks for
 * it; otherwise nothing (no thread, no polling).
 * @param vm the guest whose vCPUs `exits` reports
 */
void shell_start(struct guest_vm *vm);

#endif
