/**
 * @file common/exits/io_exit.h
 * @brief I/O exits: IN, OUT, INS and OUTS to an intercepted port (VMM only; chapter 02).
 */
#ifndef BOOKVISOR_COMMON_EXITS_IO_EXIT_H
#define BOOKVISOR_COMMON_EXITS_IO_EXIT_H

#include "common/vm/vcpu.h"

/**
 * An access to an intercepted port: IN and OUT go to the hook that holds
 * the port (or another port of the access; common/vm/hooks.h); INS and OUTS,
 * with or without REP, at any size and in either direction (RFLAGS.DF), are
 * carried out element by element (common/exits/emul_string.h), their memory
 * through the guest's page tables and never in bookvisor's memory. IN and
 * OUT are io_exit_port() (common/vm/io_ports.h).
 */
enum exit_action io_exit(struct vcpu *v, struct vm_exit *e);

#endif
