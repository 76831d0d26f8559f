/*
 * Unit tests for arch/svm/svm_exit_decode.c: native VMCB exits in, generic exits out.
 * unit-sources: arch/svm/svm_exit_decode.c common/lib/kstring.c
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "arch/svm/svm_exit_decode.h"
#include "arch/svm/vmcb.h"
#include "tests/unit/unit_main.h"

START_TEST(cpuid_with_and_without_nrips)
{
    struct vm_exit e;
    svm_exit_decode(SVM_EXIT_CPUID, 0, 0, 0x1000, 0x1002, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_CPUID);
    ck_assert_uint_eq(e.insn_len, 2);
    ck_assert_uint_eq(e.native_code, 0x72);
    svm_exit_decode(SVM_EXIT_CPUID, 0, 0, 0x1000, 0, &e);
    ck_assert_uint_eq(e.insn_len, 0); /* no next-RIP: the backend must decode */
    svm_exit_decode(SVM_EXIT_CPUID, 0, 0, 0x1000, 0x2000, &e);
    ck_assert_uint_eq(e.insn_len, 0); /* implausible next-RIP is not trusted */
}
END_TEST

START_TEST(ioio_fields_and_next_rip_from_info2)
{
    struct vm_exit e;
    /* IN AL, DX from port 0x3F8: type=1, SZ8, port in 31:16; EXITINFO2 = next RIP */
    svm_exit_decode(SVM_EXIT_IOIO, (0x3F8ULL << 16) | (1 << 4) | 1, 0x2001, 0x2000, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_IO);
    ck_assert(e.details.io.in);
    ck_assert_uint_eq(e.details.io.size, 1);
    ck_assert_uint_eq(e.details.io.port, 0x3F8);
    ck_assert(!e.details.io.string && !e.details.io.rep);
    ck_assert_uint_eq(e.insn_len, 1);
    /* REP OUTSW to 0x1F0 with a 66 prefix: 3 bytes */
    svm_exit_decode(SVM_EXIT_IOIO, (0x1F0ULL << 16) | (1 << 5) | (1 << 3) | (1 << 2), 0x3003, 0x3000, 0, &e);
    ck_assert(!e.details.io.in);
    ck_assert(e.details.io.string && e.details.io.rep);
    ck_assert_uint_eq(e.details.io.size, 2);
    ck_assert_uint_eq(e.insn_len, 3);
    /* OUT DX, EAX */
    svm_exit_decode(SVM_EXIT_IOIO, (0x604ULL << 16) | (1 << 6), 0x10, 0xF, 0, &e);
    ck_assert_uint_eq(e.details.io.size, 4);
}
END_TEST

START_TEST(msr_direction)
{
    struct vm_exit e;
    svm_exit_decode(SVM_EXIT_MSR, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_RDMSR);
    svm_exit_decode(SVM_EXIT_MSR, 1, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_WRMSR);
}
END_TEST

START_TEST(npf_error_code)
{
    struct vm_exit e;
    svm_exit_decode(SVM_EXIT_NPF, (1ULL << 32) | 0x2, 0x3D800010, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_NESTED_PAGE_FAULT);
    ck_assert_uint_eq(e.details.npf.gpa, 0x3D800010);
    ck_assert(e.details.npf.write && !e.details.npf.read && !e.details.npf.fetch);
    ck_assert(!e.details.npf.present);
    svm_exit_decode(SVM_EXIT_NPF, 0x11, 0x1000, 0, 0, &e);
    ck_assert(e.details.npf.fetch && e.details.npf.present && !e.details.npf.read);
    svm_exit_decode(SVM_EXIT_NPF, 0x0, 0x1000, 0, 0, &e);
    ck_assert(e.details.npf.read);
}
END_TEST

START_TEST(cr_exception_and_others)
{
    struct vm_exit e;
    svm_exit_decode(SVM_EXIT_CR0_WRITE + 4, (1ULL << 63) | 3, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_CR_ACCESS);
    ck_assert_uint_eq(e.details.cr.cr, 4);
    ck_assert(e.details.cr.write);
    ck_assert_uint_eq(e.details.cr.gpr, 3);
    ck_assert(!e.details.cr.gpr_unknown);
    /* The selective CR0 write: a CR0 write whose register (or LMSW) common code decodes. */
    svm_exit_decode(SVM_EXIT_CR0_SEL_WRITE, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_CR_ACCESS);
    ck_assert_uint_eq(e.details.cr.cr, 0);
    ck_assert(e.details.cr.write && e.details.cr.gpr_unknown);
    ck_assert_int_eq(e.details.cr.access, VM_CR_MOV_TO);
    svm_exit_decode(SVM_EXIT_CR0_SEL_WRITE, (1ULL << 63) | 6, 0, 0, 0, &e);
    ck_assert(!e.details.cr.gpr_unknown);
    ck_assert_uint_eq(e.details.cr.gpr, 6);
    svm_exit_decode(SVM_EXIT_EXCEPTION_BASE + 14, 0x6, 0xCAFE, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_EXCEPTION);
    ck_assert_uint_eq(e.details.exception.vector, 14);
    ck_assert_uint_eq(e.details.exception.error_code, 6);
    ck_assert(e.details.exception.has_error);
    svm_exit_decode(SVM_EXIT_EXCEPTION_BASE + 6, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.details.exception.vector, 6);
    ck_assert(!e.details.exception.has_error); /* #UD pushes no error code */
    svm_exit_decode(SVM_EXIT_EXCEPTION_BASE + 8, 0, 0, 0, 0, &e);
    ck_assert(e.details.exception.has_error);  /* #DF does */
    svm_exit_decode(SVM_EXIT_VMMCALL, 0, 0, 0x10, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_VMCALL);
    ck_assert_uint_eq(e.insn_len, 3);
    svm_exit_decode(SVM_EXIT_HLT, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_HLT);
    svm_exit_decode(SVM_EXIT_INVD, 0, 0, 0x20, 0x22, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_INVD);
    ck_assert_uint_eq(e.insn_len, 2);
    svm_exit_decode(SVM_EXIT_SHUTDOWN, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_SHUTDOWN);
    svm_exit_decode(SVM_EXIT_INVALID, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_INVALID_STATE);
    svm_exit_decode(0xFFFFFFFFULL, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_INVALID_STATE);
    svm_exit_decode(SVM_EXIT_INIT, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_INIT);
    svm_exit_decode(SVM_EXIT_VMRUN, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_VIRT_INSN);
    svm_exit_decode(0x85 /* CLGI */, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_VIRT_INSN);
    svm_exit_decode(0x8A /* MONITOR */, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_UNKNOWN);
    ck_assert_uint_eq(e.native_code, 0x8A);
}
END_TEST

/* The window exits: VINTR is the interrupt window, IRET the start of AMD-V's NMI window. */
START_TEST(window_exits)
{
    struct vm_exit e;
    svm_exit_decode(SVM_EXIT_VINTR, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_INTERRUPT_WINDOW);
    svm_exit_decode(SVM_EXIT_IRET, 0, 0, 0x1000, 0x1001, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_IRET);
    ck_assert_uint_eq(e.native_code, 0x74);
    e.details.interrupt.left_pending = true;
    svm_exit_decode(SVM_EXIT_INTR, 0, 0, 0, 0, &e);
    ck_assert_int_eq(e.kind, VM_EXIT_EXTERNAL_INTERRUPT);
    ck_assert(!e.details.interrupt.left_pending);
}
END_TEST

/* EXITINTINFO: the event an exit cut short, for the event model. */
static const struct {
    u64 info;
    enum vm_delivery delivery;
    u8 vector;
    bool has_error;
    u32 error;
} cut_samples[] = {
    { 0, VM_DELIVERY_NONE, 0, false, 0 },
    { 0x30, VM_DELIVERY_NONE, 0x30, false, 0 },                     /* valid bit clear */
    { 0x80000041, VM_DELIVERY_EXTERNAL_INTERRUPT, 0x41, false, 0 },
    { 0x80000202, VM_DELIVERY_NMI, 2, false, 0 },
    { 0x0000001480000B0Eull, VM_DELIVERY_HW_EXCEPTION, 14, true, 0x14 }, /* #PF, error 0x14 */
    { 0x80000301, VM_DELIVERY_HW_EXCEPTION, 1, false, 0 },          /* #DB (or INT1: AMD-V cannot tell) */
    { 0x80000303, VM_DELIVERY_SW_EXCEPTION, 3, false, 0 },          /* INT3 comes as exception 3 */
    { 0x80000304, VM_DELIVERY_SW_EXCEPTION, 4, false, 0 },          /* INTO as exception 4 */
    { 0x80000480, VM_DELIVERY_SW_INTERRUPT, 0x80, false, 0 },       /* INT 0x80 */
    { 0x80000320, VM_DELIVERY_EXTERNAL_INTERRUPT, 0x20, false, 0 }, /* QEMU 7.2: an interrupt as "exception" 0x20 */
    { 0x80000302, VM_DELIVERY_NMI, 2, false, 0 },                   /* no exception has vector 2 */
    { 0x80000130, VM_DELIVERY_INVALID, 0x30, false, 0 },            /* type 1 is reserved */
    { 0x80000730, VM_DELIVERY_INVALID, 0x30, false, 0 },
};

START_TEST(cut_short_decode)
{
    struct vm_cut_short_event c;
    svm_cut_short_decode(cut_samples[_i].info, &c);
    ck_assert_int_eq(c.delivery, cut_samples[_i].delivery);
    ck_assert_uint_eq(c.vector, cut_samples[_i].vector);
    ck_assert_int_eq(c.has_error, cut_samples[_i].has_error);
    ck_assert_uint_eq(c.error_code, cut_samples[_i].error);
}
END_TEST

/* The backend's inline CPUID path must agree with the full decoder, field by field. */
START_TEST(hot_path_matches_full_decode)
{
    static const u64 codes[] = { SVM_EXIT_CPUID, SVM_EXIT_HLT, SVM_EXIT_NPF, SVM_EXIT_IOIO };
    static const u64 next[] = { 0, 0x1002, 0x1010, 0x2000 };
    for (unsigned c = 0; c < 4; c++) {
        for (unsigned n = 0; n < 4; n++) {
            struct vm_exit full, hot;
            memset(&full, 0, sizeof(full));
            memset(&hot, 0, sizeof(hot));
            svm_exit_decode(codes[c], 0x11, 0x1003, 0x1000, next[n], &full);
            svm_exit_decode_hot(codes[c], 0x11, 0x1003, 0x1000, next[n], &hot);
            ck_assert_int_eq(hot.kind, full.kind);
            ck_assert_uint_eq(hot.native_code, full.native_code);
            ck_assert_uint_eq(hot.insn_len, full.insn_len);
            ck_assert_uint_eq(hot.raw_info1, full.raw_info1);
            ck_assert_uint_eq(hot.raw_info2, full.raw_info2);
            if (codes[c] == SVM_EXIT_CPUID) /* an instruction exit interrupts no delivery */
                ck_assert_int_eq(hot.cut_short.delivery, VM_DELIVERY_NONE);
        }
    }
}
END_TEST

/* next-RIP gives a length of 1 to 15 only: not when missing (0, a CPU
 * without NRIPS), behind RIP or too far on, wherever RIP is. */
START_TEST(next_rip_len_bounds)
{
    u64 len = 99;
    ck_assert(svm_next_rip_len(0x1000, 0x1001, &len) && len == 1);
    ck_assert(svm_next_rip_len(0x1000, 0x100F, &len) && len == 15);
    ck_assert(!svm_next_rip_len(0x1000, 0x1010, &len));
    ck_assert(!svm_next_rip_len(0x1000, 0x1000, &len));
    ck_assert(!svm_next_rip_len(0x1000, 0xFFF, &len));
    ck_assert(!svm_next_rip_len(0x1000, 0, &len));
    /* In the last 15 bytes of the address space, 0 is still "no next-RIP":
     * the direct path must leave such an exit to the full one. */
    for (u64 back = 1; back <= 15; back++) {
        ck_assert(!svm_next_rip_len(0 - back, 0, &len));
        ck_assert_uint_eq(svm_insn_len_from(0 - back, 0), 0);
    }
    ck_assert(svm_next_rip_len(0xFFFFFFFFFFFFFFF0ULL, 0xFFFFFFFFFFFFFFF3ULL, &len) && len == 3);
    ck_assert_uint_eq(svm_insn_len_from(0x1000, 0x1003), 3);
}
END_TEST

/* The one IOIO decoder: what svm_exit_decode() puts in the exit, for every
 * combination of the low bits, the size bits' precedence included. */
START_TEST(ioio_decode_shared)
{
    for (u32 low = 0; low < 0x80; low++) {
        u32 info1 = (0x92u << 16) | low;
        struct vm_exit e;
        struct vm_exit_io io;
        svm_exit_decode(SVM_EXIT_IOIO, info1, 0, 0, 0, &e);
        svm_ioio_decode(info1, &io);
        ck_assert_uint_eq(io.port, 0x92);
        ck_assert_uint_eq(io.port, e.details.io.port);
        ck_assert_uint_eq(io.size, e.details.io.size);
        ck_assert_int_eq(io.in, e.details.io.in);
        ck_assert_int_eq(io.string, e.details.io.string);
        ck_assert_int_eq(io.rep, e.details.io.rep);
        ck_assert_uint_eq(io.size, (low & 0x10) ? 1 : (low & 0x20) ? 2 : 4);
        ck_assert_int_eq(io.in, low & 1);
    }
}
END_TEST

/* A VMMCALL's CPL is SS.DPL, bits 6:5 of the save area's SS attributes. */
START_TEST(vmmcall_cpl)
{
    ck_assert_uint_eq(svm_cpl_from_ss(0x0093), 0); /* present, DPL 0, data */
    ck_assert_uint_eq(svm_cpl_from_ss(0x00F3), 3);
    ck_assert_uint_eq(svm_cpl_from_ss(0x0CB3), 1); /* G and DB set, DPL 1 */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("svm_exit_decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, cpuid_with_and_without_nrips);
    tcase_add_test(tc, ioio_fields_and_next_rip_from_info2);
    tcase_add_test(tc, msr_direction);
    tcase_add_test(tc, npf_error_code);
    tcase_add_test(tc, cr_exception_and_others);
    tcase_add_test(tc, hot_path_matches_full_decode);
    tcase_add_test(tc, window_exits);
    tcase_add_test(tc, next_rip_len_bounds);
    tcase_add_test(tc, ioio_decode_shared);
    tcase_add_test(tc, vmmcall_cpl);
    tcase_add_loop_test(tc, cut_short_decode, 0, (int)ARRAY_SIZE(cut_samples));
    suite_add_tcase(s, tc);
    return unit_run_suite(s);
}
