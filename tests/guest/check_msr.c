/**
 * @file tests/guest/check_msr.c
 * @brief The guest can write and read back harmless MSRs.
 */
#include "check.h"
#include "cpu.h"

#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175

/* Values are 32-bit (EDX=0) so they are valid on every CPU: SYSENTER_CS
 * only keeps a selector, and on some AMD parts SYSENTER_ESP only 32 bits. */
struct msr_pattern {
	u32 msr;
	u64 values[2];
};

static const struct msr_pattern patterns[] = {
	{ MSR_SYSENTER_CS, { 0x1234, 0x00A8 } },
	{ MSR_SYSENTER_ESP, { 0xDEADBEE0, 0x12345678 } },
};

void check_msr_rw(const struct check_context *ctx, struct check_result *res)
{
	(void)ctx;
	for (u32 i = 0; i < ARRAY_SIZE(patterns); i++) {
		const struct msr_pattern *p = &patterns[i];
		u64 saved = rdmsr(p->msr);
		for (u32 k = 0; k < ARRAY_SIZE(p->values); k++) {
			wrmsr(p->msr, p->values[k]);
			u64 got = rdmsr(p->msr);
			if (got != p->values[k])
				check_fail(res, "MSR 0x%x: wrote 0x%llx, read 0x%llx",
					   p->msr, p->values[k], got);
		}
		wrmsr(p->msr, saved);
		u64 restored = rdmsr(p->msr);
		if (restored != saved)
			check_fail(res, "MSR 0x%x: restore 0x%llx read 0x%llx",
				   p->msr, saved, restored);
	}
}
