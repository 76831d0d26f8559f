/*
 * Unit tests for arch/vmx/vmx_exit_decode.c: exit-reason split, the basic
 * reason to generic kind mapping, and the I/O, control-register and
 * EPT-violation exit qualifications, driven by tables of samples.
 *
 * unit-sources: arch/vmx/vmx_exit_decode.c
 */
#include <check.h>
#include <stdlib.h>

#include "arch/vmx/vmx_exit_decode.h"

/* ---- exit reason ---- */

static const struct {
    u32 raw;
    u16 basic;
    bool enclave, pending_mtf, from_root, entry_failure;
} reason_samples[] = {
    { 0x0000000A, VMX_EXIT_CPUID, false, false, false, false },
    { 0x80000021, VMX_EXIT_INVALID_GUEST_STATE, false, false, false, true },
    { 0x80000022, VMX_EXIT_MSR_LOADING, false, false, false, true },
    { 0x10000030, VMX_EXIT_EPT_VIOLATION, false, true, false, false },
    { 0x08000001, VMX_EXIT_EXTERNAL_INTERRUPT, true, false, false, false },
    { 0x20000012, VMX_EXIT_VMCALL, false, false, true, false },
    { 0xB800FFFF, 0xFFFF, true, true, true, true },
};

START_TEST(exit_reason_split)
{
    struct vmx_exit_reason r;

    vmx_exit_reason_split(reason_samples[_i].raw, &r);
    ck_assert_uint_eq(r.basic, reason_samples[_i].basic);
    ck_assert_int_eq(r.enclave, reason_samples[_i].enclave);
    ck_assert_int_eq(r.pending_mtf, reason_samples[_i].pending_mtf);
    ck_assert_int_eq(r.from_vmx_root, reason_samples[_i].from_root);
    ck_assert_int_eq(r.entry_failure, reason_samples[_i].entry_failure);
}
END_TEST

/* ---- basic reason to generic kind ---- */

/* Every reason the backend handles; any reason not listed must be UNKNOWN. */
static const struct {
    u32 basic;
    enum vm_exit_kind kind;
} kind_samples[] = {
    { 0, VM_EXIT_EXCEPTION }, /* and NMI: the backend splits them by interruption type */
    { 1, VM_EXIT_EXTERNAL_INTERRUPT },
    { 2, VM_EXIT_SHUTDOWN },  /* triple fault */
    { 3, VM_EXIT_INIT },
    { 4, VM_EXIT_SIPI },
    { 9, VM_EXIT_TASK_SWITCH }, /* common code stops the guest and says why (chapter 04) */
    { 10, VM_EXIT_CPUID },
    { 12, VM_EXIT_HLT },
    { 13, VM_EXIT_INVD },
    { 18, VM_EXIT_VMCALL },
    { 19, VM_EXIT_VIRT_INSN }, /* VMCLEAR */
    { 20, VM_EXIT_VIRT_INSN }, /* VMLAUNCH */
    { 21, VM_EXIT_VIRT_INSN }, /* VMPTRLD */
    { 22, VM_EXIT_VIRT_INSN }, /* VMPTRST */
    { 23, VM_EXIT_VIRT_INSN }, /* VMREAD */
    { 24, VM_EXIT_VIRT_INSN }, /* VMRESUME */
    { 25, VM_EXIT_VIRT_INSN }, /* VMWRITE */
    { 26, VM_EXIT_VIRT_INSN }, /* VMXOFF */
    { 27, VM_EXIT_VIRT_INSN }, /* VMXON */
    { 7, VM_EXIT_INTERRUPT_WINDOW },
    { 8, VM_EXIT_NMI_WINDOW },
    { 28, VM_EXIT_CR_ACCESS },
    { 30, VM_EXIT_IO },
    { 31, VM_EXIT_RDMSR },
    { 32, VM_EXIT_WRMSR },
    { 48, VM_EXIT_NESTED_PAGE_FAULT },
    { 50, VM_EXIT_VIRT_INSN }, /* INVEPT */
    { 53, VM_EXIT_VIRT_INSN }, /* INVVPID */
    { 55, VM_EXIT_XSETBV },
    { 52, VM_EXIT_VMM_TIMER }, /* the VMX-preemption timer: the VMM's own deadline (chapter 07) */
    /* Handled nowhere: common code reports them as unknown. */
    { 5, VM_EXIT_UNKNOWN },   /* I/O SMI */
    { 33, VM_EXIT_UNKNOWN },  /* entry failures are told by bit 31, not the reason */
    { 49, VM_EXIT_UNKNOWN },  /* EPT misconfiguration */
    { 0xFFFF, VM_EXIT_UNKNOWN },
    { 0x8000000A, VM_EXIT_UNKNOWN }, /* not a basic reason: bits above 15 are flags */
};

START_TEST(exit_kind_of_reason)
{
    ck_assert_int_eq(vmx_exit_kind_of(kind_samples[_i].basic), kind_samples[_i].kind);
}
END_TEST

START_TEST(exit_kind_unlisted_reasons_are_unknown)
{
    u32 basic;
    unsigned i;

    for (basic = 0; basic <= 0xFFFF; basic++) {
        bool listed = false;

        for (i = 0; i < ARRAY_SIZE(kind_samples); i++)
            listed |= kind_samples[i].basic == basic;
        if (!listed)
            ck_assert_msg(vmx_exit_kind_of(basic) == VM_EXIT_UNKNOWN,
                          "basic reason %u maps to kind %d but has no sample", basic,
                          (int)vmx_exit_kind_of(basic));
    }
}
END_TEST

/* ---- I/O instructions ---- */

static const struct {
    u64 qual;
    bool ok;
    u16 port;
    u8 size;
    bool in, string, rep, imm;
} io_samples[] = {
    /* out dx, al to COM1 (0x3F8) */
    { 0x03F80000, true, 0x3F8, 1, false, false, false, false },
    /* in al, 0x60 (immediate port) */
    { 0x00600048, true, 0x60, 1, true, false, false, true },
    /* in ax, dx from 0x1F0 */
    { 0x01F00009, true, 0x1F0, 2, true, false, false, false },
    /* out dx, eax to PCI config data 0xCFC */
    { 0x0CFC0003, true, 0xCFC, 4, false, false, false, false },
    /* rep insw from 0x1F0 */
    { 0x01F00039, true, 0x1F0, 2, true, true, true, false },
    /* outsb to 0xE9 without rep */
    { 0x00E90010, true, 0xE9, 1, false, true, false, false },
    /* highest port, dword, in */
    { 0xFFFF000B, true, 0xFFFF, 4, true, false, false, false },
    /* bits above 31 are ignored */
    { 0xFFFFFFFF00800000ull, true, 0x80, 1, false, false, false, false },
    /* size encodings 2 and 4..7 are not used */
    { 0x00800002, false, 0x80, 0, false, false, false, false },
    { 0x00800007, false, 0x80, 0, false, false, false, false },
};

START_TEST(io_qualification)
{
    struct vmx_io_qual q;
    struct vm_exit_io g;

    ck_assert_int_eq(vmx_decode_io(io_samples[_i].qual, &q), io_samples[_i].ok);
    ck_assert_uint_eq(q.port, io_samples[_i].port);
    ck_assert_uint_eq(q.size, io_samples[_i].size);
    ck_assert_int_eq(q.in, io_samples[_i].in);
    ck_assert_int_eq(q.string, io_samples[_i].string);
    ck_assert_int_eq(q.rep, io_samples[_i].rep);
    ck_assert_int_eq(q.imm_operand, io_samples[_i].imm);

    vmx_io_to_generic(&q, &g);
    ck_assert_uint_eq(g.port, q.port);
    ck_assert_uint_eq(g.size, q.size);
    ck_assert_int_eq(g.in, q.in);
    ck_assert_int_eq(g.string, q.string);
    ck_assert_int_eq(g.rep, q.rep);
}
END_TEST

/* The direct path's decoder agrees with vmx_decode_io() on every form of the
 * low seven bits (size, IN, string, REP, immediate): it takes exactly the
 * IN and OUT that are no string and have a legal size, and decodes them alike. */
START_TEST(io_qualification_plain)
{
    for (u64 low = 0; low < 128; low++) {
        u64 qual = 0xABCD0000ull | low;
        struct vmx_io_qual full, plain;
        bool full_ok = vmx_decode_io(qual, &full);
        bool plain_ok = vmx_decode_io_plain(qual, &plain);
        ck_assert_msg(plain_ok == (full_ok && !full.string), "bits 6:0 = 0x%02x", (unsigned)low);
        if (!plain_ok)
            continue;
        ck_assert_uint_eq(plain.port, full.port);
        ck_assert_uint_eq(plain.size, full.size);
        ck_assert_int_eq(plain.in, full.in);
        ck_assert_int_eq(plain.string, full.string);
        ck_assert_int_eq(plain.rep, full.rep);
        ck_assert_int_eq(plain.imm_operand, full.imm_operand);
    }
}
END_TEST

/* ---- control-register accesses ---- */

static const struct {
    u64 qual;
    bool ok;
    u8 cr;
    enum vmx_cr_access_type type;
    u8 gpr;
    bool lmsw_mem;
    u16 lmsw_data;
    /* expected generic form */
    u8 g_cr;
    bool g_write;
    u8 g_gpr;
} cr_samples[] = {
    /* mov cr0, rax */
    { 0x00000000, true, 0, VMX_CR_MOV_TO, 0, false, 0, 0, true, 0 },
    /* mov cr3, rbx */
    { 0x00000303, true, 3, VMX_CR_MOV_TO, 3, false, 0, 3, true, 3 },
    /* mov r15, cr4 */
    { 0x00000F14, true, 4, VMX_CR_MOV_FROM, 15, false, 0, 4, false, 15 },
    /* mov cr8, rcx */
    { 0x00000108, true, 8, VMX_CR_MOV_TO, 1, false, 0, 8, true, 1 },
    /* clts */
    { 0x00000020, true, 0, VMX_CR_CLTS, 0, false, 0, 0, true, 0 },
    /* lmsw ax with ax = 0x0011 */
    { 0x00110030, true, 0, VMX_CR_LMSW, 0, false, 0x0011, 0, true, 0 },
    /* lmsw [mem] with data 0x000F */
    { 0x000F0070, true, 0, VMX_CR_LMSW, 0, true, 0x000F, 0, true, 0 },
    /* CR2 accesses never exit: flagged invalid */
    { 0x00000002, false, 2, VMX_CR_MOV_TO, 0, false, 0, 2, true, 0 },
};

START_TEST(cr_qualification)
{
    struct vmx_cr_qual q;
    struct vm_exit_cr g;

    ck_assert_int_eq(vmx_decode_cr(cr_samples[_i].qual, &q), cr_samples[_i].ok);
    ck_assert_uint_eq(q.cr, cr_samples[_i].cr);
    ck_assert_int_eq(q.type, cr_samples[_i].type);
    ck_assert_uint_eq(q.gpr, cr_samples[_i].gpr);
    ck_assert_int_eq(q.lmsw_memory, cr_samples[_i].lmsw_mem);
    ck_assert_uint_eq(q.lmsw_data, cr_samples[_i].lmsw_data);

    vmx_cr_to_generic(&q, &g);
    ck_assert_uint_eq(g.cr, cr_samples[_i].g_cr);
    ck_assert_int_eq(g.write, cr_samples[_i].g_write);
    ck_assert_uint_eq(g.gpr, cr_samples[_i].g_gpr);
}
END_TEST

/* ---- EPT violations ---- */

static const struct {
    u64 qual;
    bool r, w, x;          /* access */
    bool er, ew, ex, eux;  /* entry permissions */
    bool gla_valid, gla_translation, nmi_unblocking;
    bool present;          /* generic: translation existed */
} ept_samples[] = {
    /* read of an unmapped page through a linear address */
    { 0x181, true, false, false, false, false, false, false, true, true, false, false },
    /* write to a read-only page (an MMIO hook or a protected page) */
    { 0x18A, false, true, false, true, false, false, false, true, true, false, true },
    /* fetch from a non-executable page */
    { 0x19C, false, false, true, true, true, false, false, true, true, false, true },
    /* guest page-table walk hit an unmapped page (bit 8 clear) */
    { 0x083, true, true, false, false, false, false, false, true, false, false, false },
    /* no linear address (e.g. a physical access); bit 8 ignored then */
    { 0x101, true, false, false, false, false, false, false, false, false, false, false },
    /* NMI unblocking due to IRET, user-exec permission only */
    { 0x1041, true, false, false, false, false, false, true, false, false, true, true },
    /* all permissions and access bits set */
    { 0x11FF, true, true, true, true, true, true, true, true, true, true, true },
};

START_TEST(ept_qualification)
{
    struct vmx_ept_qual q;
    struct vm_exit_npf g;

    vmx_decode_ept(ept_samples[_i].qual, &q);
    ck_assert_int_eq(q.read, ept_samples[_i].r);
    ck_assert_int_eq(q.write, ept_samples[_i].w);
    ck_assert_int_eq(q.fetch, ept_samples[_i].x);
    ck_assert_int_eq(q.entry_read, ept_samples[_i].er);
    ck_assert_int_eq(q.entry_write, ept_samples[_i].ew);
    ck_assert_int_eq(q.entry_exec, ept_samples[_i].ex);
    ck_assert_int_eq(q.entry_user_exec, ept_samples[_i].eux);
    ck_assert_int_eq(q.gla_valid, ept_samples[_i].gla_valid);
    ck_assert_int_eq(q.gla_translation, ept_samples[_i].gla_translation);
    ck_assert_int_eq(q.nmi_unblocking, ept_samples[_i].nmi_unblocking);

    vmx_ept_to_generic(&q, 0xFEE00000ull, 0xC0001000ull, &g);
    ck_assert_uint_eq(g.gpa, 0xFEE00000ull);
    ck_assert_uint_eq(g.gla, q.gla_valid ? 0xC0001000ull : 0);
    ck_assert_int_eq(g.read, q.read);
    ck_assert_int_eq(g.write, q.write);
    ck_assert_int_eq(g.fetch, q.fetch);
    ck_assert_int_eq(g.present, ept_samples[_i].present);
}
END_TEST

/* IDT-vectoring information: the event an exit cut short, for the event model. */
static const struct {
    u32 info;
    u32 error;
    enum vm_delivery delivery;
    u8 vector;
    bool has_error;
} cut_samples[] = {
    { 0, 0x55, VM_DELIVERY_NONE, 0, false },
    { 0x00000041, 0, VM_DELIVERY_NONE, 0x41, false },              /* valid bit clear */
    { 0x80000041, 0, VM_DELIVERY_EXTERNAL_INTERRUPT, 0x41, false },
    { 0x80000202, 0, VM_DELIVERY_NMI, 2, false },
    { 0x80000B0E, 0x14, VM_DELIVERY_HW_EXCEPTION, 14, true },      /* #PF with its error code */
    { 0x80001B0D, 0, VM_DELIVERY_HW_EXCEPTION, 13, true },         /* bit 12 is undefined: ignored */
    { 0x80000480, 0, VM_DELIVERY_SW_INTERRUPT, 0x80, false },
    { 0x80000501, 0, VM_DELIVERY_PRIV_SW_EXCEPTION, 1, false },    /* INT1 */
    { 0x80000603, 0, VM_DELIVERY_SW_EXCEPTION, 3, false },         /* INT3 */
    { 0x80000130, 0, VM_DELIVERY_INVALID, 0x30, false },           /* type 1 is reserved */
    { 0x80000700, 0, VM_DELIVERY_INVALID, 0, false },              /* type 7 is no IDT event */
};

START_TEST(cut_short_decode)
{
    struct vm_cut_short_event c;
    vmx_cut_short_decode(cut_samples[_i].info, cut_samples[_i].error, &c);
    ck_assert_int_eq(c.delivery, cut_samples[_i].delivery);
    ck_assert_uint_eq(c.vector, cut_samples[_i].vector);
    ck_assert_int_eq(c.has_error, cut_samples[_i].has_error);
    ck_assert_uint_eq(c.error_code, cut_samples[_i].has_error ? cut_samples[_i].error : 0);
}
END_TEST

static Suite *vmx_exit_decode_suite(void)
{
    Suite *s = suite_create("vmx_exit_decode");
    TCase *t = tcase_create("qualifications");

    tcase_add_loop_test(t, exit_reason_split, 0, (int)ARRAY_SIZE(reason_samples));
    tcase_add_loop_test(t, exit_kind_of_reason, 0, (int)ARRAY_SIZE(kind_samples));
    tcase_add_test(t, exit_kind_unlisted_reasons_are_unknown);
    tcase_add_loop_test(t, io_qualification, 0, (int)ARRAY_SIZE(io_samples));
    tcase_add_test(t, io_qualification_plain);
    tcase_add_loop_test(t, cr_qualification, 0, (int)ARRAY_SIZE(cr_samples));
    tcase_add_loop_test(t, ept_qualification, 0, (int)ARRAY_SIZE(ept_samples));
    tcase_add_loop_test(t, cut_short_decode, 0, (int)ARRAY_SIZE(cut_samples));
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(vmx_exit_decode_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
