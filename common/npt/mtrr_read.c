/*
 * common/npt/mtrr_read.c - the firmware's MTRR settings, as a snapshot.
 */
#include "common/npt/mtrr_read.h"
#include "arch/x86/cpu.h"
#include "common/lib/kstring.h"

bool mtrr_host_cap(u64 *cap)
{
    bool has = (cpuid(1, 0).edx >> 12) & 1;
    *cap = has ? rdmsr(MTRR_MSR_CAP) : 0;
    return has;
}

void mtrr_read_host(struct mtrr_state *st)
{
    u64 cap;
    memset(st, 0, sizeof(*st));
    if (!mtrr_host_cap(&cap)) { /* no MTRRs: everything write-back */
        mtrr_state_init_uniform(st, MTRR_TYPE_WB);
        return;
    }
    mtrr_state_set_def_type(st, cap, rdmsr(MTRR_MSR_DEF_TYPE));
    if (cap & (1u << 8)) {
        st->fixed[0] = rdmsr(MTRR_MSR_FIX64K_00000);
        st->fixed[1] = rdmsr(MTRR_MSR_FIX16K_80000);
        st->fixed[2] = rdmsr(MTRR_MSR_FIX16K_A0000);
        for (int i = 0; i < 8; i++)
            st->fixed[3 + i] = rdmsr(MTRR_MSR_FIX4K_C0000 + i);
    }
    unsigned n = cap & 0xFF;
    if (n > MTRR_MAX_VARIABLE)
        n = MTRR_MAX_VARIABLE;
    st->nvar = n;
    for (unsigned i = 0; i < n; i++) {
        st->var[i].base = rdmsr(MTRR_MSR_PHYSBASE0 + 2 * i);
        st->var[i].mask = rdmsr(MTRR_MSR_PHYSMASK0 + 2 * i);
    }
}
