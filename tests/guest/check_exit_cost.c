/**
 * @file tests/guest/check_exit_cost.c
 * @brief What each common exit costs: the minimum `rdtsc; <instruction>; rdtsc`.
 *
 * On Bochs the TSC counts instructions, so each minimum is the number of
 * instructions one round trip costs, bookvisor's code included (bare Bochs:
 * 6 for a CPUID). `make bench` reads the note (tests/bench.py, chapter 14).
 * Only when named (`tests=exit-cost`): it is a measurement, and its CR and
 * EFER writes exit on one backend and not on the other.
 *
 * The check fails only when an instruction it times does not do what it
 * must (a hypercall that does not answer, a write that does not read back),
 * so a broken exit is never reported as a fast one.
 */
#include "check.h"
#include "cpu.h"
#include "hypercall.h"

#define ROUNDS 64
#define MSR_EFER 0xC0000080u
#define CR0_NE (1u << 5)
#define CR4_PGE (1u << 7)
#define PORT_SYS_CTRL_A 0x92

static inline u32 tsc_low(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    (void)hi;
    return lo;
}

/* The low 32 bits of the TSC are enough: one round trip is far shorter than a wrap. */
static void keep_min(u32 *best, u32 t0, u32 t1)
{
    if (t1 - t0 < *best)
        *best = t1 - t0;
}

static u32 cost_cpuid(u32 leaf)
{
    u32 best = ~0u;
    for (int i = 0; i < ROUNDS; i++) {
        u32 a = leaf, b, c = 0, d;
        u32 t0 = tsc_low();
        __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
        u32 t1 = tsc_low();
        keep_min(&best, t0, t1);
    }
    return best;
}

static u32 cost_io_read(void)
{
    u32 best = ~0u;
    for (int i = 0; i < ROUNDS; i++) {
        u32 t0 = tsc_low();
        (void)inb(PORT_SYS_CTRL_A);
        u32 t1 = tsc_low();
        keep_min(&best, t0, t1);
    }
    return best;
}

/* One timed ping, the set-up of its registers outside the timed part (the
 * compiler would put its own instructions between the two RDTSCs). */
#define TIMED_PING(insn_bytes)                                                                 \
    __asm__ volatile("mov %[fn], %%edi\n\t"                                                   \
                     "rdtsc\n\t"                                                              \
                     "mov %%eax, %%esi\n\t"                                                   \
                     "mov %%edi, %%eax\n\t"                                                   \
                     ".byte " insn_bytes "\n\t"                                               \
                     "mov %%eax, %%edi\n\t"                                                   \
                     "rdtsc"                                                                  \
                     : "=&S"(t0), "=&D"(answer), "=&a"(t1), "+b"(b), "=&c"(c), "=&d"(d)          \
                     : [fn] "i"(BOOKVISOR_HC_PING)                                            \
                     : "memory")

/* A ping; false if bookvisor did not answer it. */
static bool cost_hypercall(bool amd, u32 *out)
{
    u32 best = ~0u;
    for (int i = 0; i < ROUNDS; i++) {
        u32 b = (u32)i, c, d, t0, t1, answer;
        if (amd)
            TIMED_PING("0x0f, 0x01, 0xd9");
        else
            TIMED_PING("0x0f, 0x01, 0xc1");
        (void)c;
        (void)d;
        if (answer != BOOKVISOR_PING_MAGIC || b != (u32)i + 1)
            return false;
        keep_min(&best, t0, t1);
    }
    *out = best;
    return true;
}

/* WRMSR of EFER with the value it holds: bookvisor sees every EFER write. */
static u32 cost_efer_write(void)
{
    u64 efer = rdmsr(MSR_EFER);
    u32 best = ~0u;
    for (int i = 0; i < ROUNDS; i++) {
        u32 t0 = tsc_low();
        wrmsr(MSR_EFER, efer);
        u32 t1 = tsc_low();
        keep_min(&best, t0, t1);
    }
    return best;
}

/* Each write flips one bit; false if a write did not read back. */
static bool cost_cr_toggle(unsigned cr, u32 bit, u32 *out)
{
    u32 orig = cr == 0 ? read_cr0() : read_cr4();
    u32 best = ~0u;
    for (int i = 0; i < 2 * ROUNDS; i++) {
        u32 value = (i & 1) ? orig : orig ^ bit;
        u32 t0 = tsc_low();
        if (cr == 0)
            __asm__ volatile("mov %0, %%cr0" : : "r"(value) : "memory");
        else
            __asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
        u32 t1 = tsc_low();
        if ((cr == 0 ? read_cr0() : read_cr4()) != value)
            return false;
        keep_min(&best, t0, t1);
    }
    *out = best;
    return true;
}

/* A load from bookvisor's MMIO test page: a nested page fault, decoded and emulated. */
static u32 cost_mmio_read(u32 page)
{
    u32 best = ~0u;
    for (int i = 0; i < ROUNDS; i++) {
        u32 v;
        u32 t0 = tsc_low();
        __asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(page) : "memory");
        u32 t1 = tsc_low();
        (void)v;
        keep_min(&best, t0, t1);
    }
    return best;
}

extern const u8 _kernel_start[];
extern const u8 _kernel_end[];

/*
 * Read one byte of every page of the guest's own image, so that bookvisor has
 * mapped them all before anything is timed: the first round of a loop whose
 * code crosses into a page not yet touched would time a nested page fault
 * besides its exit. That first round is the only one through C for a CPUID
 * leaf bookvisor then remembers, and it is what the exit profile measures
 * (tests/exit_profile.py; Bochs's debugger also cannot show an instruction of
 * a page that nested paging does not map yet).
 */
static void touch_own_image(void)
{
    /* Both ends are page-aligned (tests/guest/linker.ld). */
    for (uintptr_t a = (uintptr_t)_kernel_start; a < (uintptr_t)_kernel_end; a += 4096)
        (void)*(const volatile u8 *)a;
}

void check_exit_cost(const struct check_context *ctx, struct check_result *res)
{
    (void)ctx;
    touch_own_image();
    struct hypercall_regs r = { BOOKVISOR_HC_TEST_PAGE, 0, 0, 0 };
    if (!hypercall(&r)) {
        check_skip(res, "no hypervisor (hypercall #UD)");
        return;
    }
    u32 page = r.eax;
    bool amd = hypercall_insn_name()[2] == 'M'; /* "VMMCALL" */
    u32 leaf0 = cost_cpuid(0), leaf1 = cost_cpuid(1), io = cost_io_read();
    u32 vmcall, cr0, cr4;
    if (!cost_hypercall(amd, &vmcall)) {
        check_fail(res, "the ping hypercall did not answer");
        return;
    }
    u32 msr = cost_efer_write();
    if (!cost_cr_toggle(0, CR0_NE, &cr0) || !cost_cr_toggle(4, CR4_PGE, &cr4)) {
        check_fail(res, "a CR0.NE or CR4.PGE write did not read back");
        return;
    }
    if (page && *(volatile u32 *)page != 0x6B6F6F62u) {
        check_fail(res, "the MMIO test page does not read 'book'");
        return;
    }
    check_note(res, "cpuid0=%u cpuid1=%u io=%u vmcall=%u msr=%u cr0=%u cr4=%u mmio=%u", leaf0,
               leaf1, io, vmcall, msr, cr0, cr4, page ? cost_mmio_read(page) : 0);
}
