/* Placeholder until the VT-x backend lands: probe explains why it is unusable. */
#include "common/backend.h"
#include "arch/x86/cpu.h"
#include "common/format.h"
static bool vmx_probe(const struct cpu_info *cpu, char *f, size_t fl, char *why, size_t wl)
{
    (void)f; (void)fl;
    if (!cpu->has_vmx) { ksnprintf(why, wl, "the CPU has no VMX"); return false; }
    ksnprintf(why, wl, "VT-x backend not implemented yet"); return false;
}
const struct backend_ops vmx_backend = { .name = "vmx", .probe = vmx_probe };
