/*
 * Unit tests for common/base/irq_vectors.c: the VMM's vector range (0x10 to
 * 0x1F but 0x12), registration and lookup; and arch/x86/lapic_regs.h: the
 * local APIC's mode and the values bookvisor writes to it.
 * unit-sources: common/base/irq_vectors.c
 */
#include <check.h>
#include <string.h>
#include "arch/x86/lapic_regs.h"
#include "common/base/irq_vectors.h"
#include "tests/unit/unit_main.h"

static struct irq_table table;
static int calls;

static void handler_a(void *ctx, u8 vector)
{
    (void)ctx;
    (void)vector;
    calls++;
}

static void handler_b(void *ctx, u8 vector)
{
    (void)ctx;
    (void)vector;
}

static void setup(void)
{
    memset(&table, 0, sizeof(table));
    calls = 0;
}

START_TEST(the_range_is_0x10_to_0x1f_without_machine_check)
{
    for (unsigned v = 0; v < 256; v++)
        ck_assert_msg(irq_vector_is_vmm((u8)v) == (v >= 0x10 && v <= 0x1F && v != 0x12),
                      "vector 0x%x", v);
}
END_TEST

START_TEST(register_and_find)
{
    static int ctx;
    ck_assert(!irq_table_any(&table));
    ck_assert_ptr_null(irq_table_owner(&table, 0x1E));
    ck_assert_int_eq(irq_table_register(&table, 0x1E, handler_a, &ctx), IRQ_REGISTERED);
    ck_assert(irq_table_any(&table));
    const struct irq_owner *o = irq_table_owner(&table, 0x1E);
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_eq(o->ctx, &ctx);
    o->handler(o->ctx, 0x1E);
    ck_assert_int_eq(calls, 1);
    /* Its neighbours, and the same number outside the range, stay the guest's. */
    ck_assert_ptr_null(irq_table_owner(&table, 0x1D));
    ck_assert_ptr_null(irq_table_owner(&table, 0x1F));
    ck_assert_ptr_null(irq_table_owner(&table, 0x3E));
}
END_TEST

START_TEST(refusals_say_why)
{
    ck_assert_int_eq(irq_table_register(&table, 0x20, handler_a, NULL), IRQ_NOT_VMM_VECTOR);
    ck_assert_int_eq(irq_table_register(&table, 0x0F, handler_a, NULL), IRQ_NOT_VMM_VECTOR);
    ck_assert_int_eq(irq_table_register(&table, 0x12, handler_a, NULL), IRQ_MACHINE_CHECK);
    ck_assert_int_eq(irq_table_register(&table, 0x10, NULL, NULL), IRQ_NO_HANDLER);
    ck_assert(!irq_table_any(&table));
    ck_assert_int_eq(irq_table_register(&table, 0x10, handler_a, NULL), IRQ_REGISTERED);
    ck_assert_int_eq(irq_table_register(&table, 0x10, handler_b, NULL), IRQ_TAKEN);
    ck_assert_ptr_eq(irq_table_owner(&table, 0x10)->handler, handler_a); /* the first stays */
    ck_assert_str_eq(irq_register_result_name(IRQ_MACHINE_CHECK), "0x12 is #MC's number");
    ck_assert_str_eq(irq_register_result_name(IRQ_TAKEN), "already registered");
}
END_TEST

START_TEST(every_vmm_vector_can_be_owned)
{
    unsigned owned = 0;
    for (unsigned v = 0; v < 256; v++)
        owned += irq_table_register(&table, (u8)v, handler_b, NULL) == IRQ_REGISTERED;
    ck_assert_uint_eq(owned, 15);
}
END_TEST

START_TEST(free_vectors_from_the_bottom_without_machine_check)
{
    u8 v = 0;
    ck_assert_uint_eq(irq_table_mask(&table), 0);
    ck_assert_int_eq(irq_table_register_free(&table, NULL, NULL, &v), IRQ_NO_HANDLER);
    ck_assert_int_eq(irq_table_register(&table, 0x10, handler_a, NULL), IRQ_REGISTERED);
    ck_assert_int_eq(irq_table_register_free(&table, handler_b, NULL, &v), IRQ_REGISTERED);
    ck_assert_uint_eq(v, 0x11);
    ck_assert_uint_eq(irq_table_mask(&table), 0x30000u); /* IRR0's bits 16 and 17 */
    ck_assert_int_eq(irq_table_register_free(&table, handler_b, NULL, &v), IRQ_REGISTERED);
    ck_assert_uint_eq(v, 0x13); /* 0x12 is #MC's, never handed out */
    ck_assert_ptr_eq(irq_table_owner(&table, 0x13)->handler, handler_b);
    unsigned got = 3;
    while (irq_table_register_free(&table, handler_a, NULL, &v) == IRQ_REGISTERED)
        got++;
    ck_assert_uint_eq(got, IRQ_VMM_VECTORS - 1);
    ck_assert_int_eq(irq_table_register_free(&table, handler_a, NULL, &v), IRQ_NONE_FREE);
    ck_assert_uint_eq(irq_table_mask(&table), 0xFFFB0000u); /* 0x10-0x1F but 0x12 */
    ck_assert_str_eq(irq_register_result_name(IRQ_NONE_FREE), "every VMM vector is taken");
}
END_TEST

START_TEST(lapic_mode_follows_apic_base)
{
    ck_assert_int_eq(lapic_mode_of(0xFEE00000), LAPIC_MODE_OFF);
    ck_assert_int_eq(lapic_mode_of(0xFEE00000 | LAPIC_BASE_ENABLE), LAPIC_MODE_XAPIC);
    ck_assert_int_eq(lapic_mode_of(0xFEE00900 | LAPIC_BASE_ENABLE | LAPIC_BASE_EXTD),
                     LAPIC_MODE_X2APIC);
    ck_assert_int_eq(lapic_mode_of(0xFEE00000 | LAPIC_BASE_EXTD), LAPIC_MODE_OFF); /* invalid: off */
    ck_assert_uint_eq(lapic_mmio_base(0xFEE00900), 0xFEE00000);
    ck_assert_uint_eq(lapic_mmio_base(0x0000000FFEE00D00ull), 0x0000000FFEE00000ull);
}
END_TEST

START_TEST(lapic_register_values)
{
    ck_assert_uint_eq(lapic_x2apic_msr(LAPIC_REG_EOI), 0x80B);
    ck_assert_uint_eq(lapic_x2apic_msr(LAPIC_REG_ICR_LOW), 0x830);
    /* Fixed, edge, to itself by shorthand: bits 19:18 = 01, delivery mode 000. */
    ck_assert_uint_eq(lapic_self_ipi_icr(0x1E), 0x4001E);
}
END_TEST

/* The start-up sequence's words (Intel SDM vol. 3 10.6.1 and 8.4.4.1). */
START_TEST(lapic_start_up_values)
{
    /* INIT: delivery mode 101, level assert, physical, no shorthand. */
    ck_assert_uint_eq(lapic_init_icr(), 0x4500);
    /* SIPI to page 0x9F000: delivery mode 110, the vector is the page number. */
    ck_assert_uint_eq(lapic_startup_icr(0x9F), 0x469F);
    /* x2APIC: one 64-bit write, the 32-bit destination in the high half. */
    ck_assert_uint_eq(lapic_x2apic_icr(0x101, 0x469F), 0x000001010000469Full);
    ck_assert_uint_eq(lapic_x2apic_icr(3, lapic_init_icr()), 0x0000000300004500ull);
    /* xAPIC: an 8-bit destination in bits 24-31 of the high word. */
    ck_assert_uint_eq(lapic_xapic_icr_high(3), 0x03000000);
    ck_assert_uint_eq(lapic_xapic_icr_high(0x1FF), 0xFF000000);
}
END_TEST

/* A shorthand names the processors by itself: the destination field is not read. */
START_TEST(lapic_icr_shorthand_wins_over_the_destination)
{
    ck_assert(!lapic_icr_reaches(0xC4500, 0x01000000, 1, 1)); /* all but self, self named */
    ck_assert(lapic_icr_reaches(0xC4500, 0x01000000, 1, 2));
    ck_assert(lapic_icr_reaches(0x84608, 0x02000000, 0, 1));  /* all, another named */
    ck_assert(!lapic_icr_reaches(0x44500, 0x01000000, 0, 1)); /* self, another named */
    ck_assert(lapic_icr_reaches(0x44500, 0x01000000, 0, 0));
    /* The destination is the high word's top byte, nothing below it. */
    ck_assert(!lapic_icr_reaches(0x4500, 0x00000001, 0, 1));
    ck_assert(lapic_icr_reaches(0x4500, 0x0300FFFF, 0, 3));
    ck_assert(!lapic_icr_reaches(0x4500, 0x0300FFFF, 0, 0xFF));
    /* A physical destination may be the sender itself. */
    ck_assert(lapic_icr_reaches(0x4500, 0x02000000, 2, 2));
}
END_TEST

/* INIT, SIPI, SIPI as a held processor takes them (chapter 08, "SMP start-up"). */
START_TEST(lapic_start_steps)
{
    /* The recipe: INIT, then the first SIPI starts it; the second is ignored. */
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_INIT, false, false), LAPIC_START_INIT);
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_STARTUP, true, false), LAPIC_START_RUN);
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_STARTUP, true, true), LAPIC_START_IGNORE);
    /* A SIPI before any INIT: the processor is not waiting for one. */
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_STARTUP, false, false),
                     LAPIC_START_IGNORE);
    /* A second INIT before the SIPI is an INIT again. */
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_INIT, true, false), LAPIC_START_INIT);
    /* A started processor is not restarted by an INIT. */
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_INIT, true, true), LAPIC_START_IGNORE);
    /* Other delivery modes start nothing, even after an INIT. */
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_FIXED, true, false), LAPIC_START_IGNORE);
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_NMI, true, false), LAPIC_START_IGNORE);
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_FIXED, false, false), LAPIC_START_IGNORE);
    ck_assert_int_eq(lapic_start_step_of(LAPIC_ICR_MODE_NMI, false, false), LAPIC_START_IGNORE);
    /* Mode 7 (reserved) and 1 (lowest priority) are no start commands either. */
    ck_assert_int_eq(lapic_start_step_of((enum lapic_icr_mode)7, true, false), LAPIC_START_IGNORE);
    ck_assert_int_eq(lapic_start_step_of((enum lapic_icr_mode)1, false, false), LAPIC_START_IGNORE);
}
END_TEST

/* What bookvisor reads in a guest's ICR write (chapter 08, "SMP start-up"). */
START_TEST(lapic_icr_decoding)
{
    ck_assert_int_eq(lapic_icr_mode_of(0x4500), LAPIC_ICR_MODE_INIT);
    ck_assert_int_eq(lapic_icr_mode_of(0x4608), LAPIC_ICR_MODE_STARTUP);
    ck_assert_int_eq(lapic_icr_mode_of(0x4030), LAPIC_ICR_MODE_FIXED);
    ck_assert_int_eq(lapic_icr_mode_of(0x400), LAPIC_ICR_MODE_NMI);
    /* Linux's INIT de-assert: level trigger, level 0. */
    ck_assert(lapic_icr_is_init_deassert(0x8500));
    ck_assert(!lapic_icr_is_init_deassert(0xC500));
    ck_assert(!lapic_icr_is_init_deassert(0x4500));
    /* Physical destination 1 from CPU 0. */
    ck_assert(lapic_icr_reaches(0x4500, 0x01000000, 0, 1));
    ck_assert(!lapic_icr_reaches(0x4500, 0x02000000, 0, 1));
    /* Broadcast destination, and the shorthands. */
    ck_assert(lapic_icr_reaches(0x4500, 0xFF000000, 0, 3));
    ck_assert(lapic_icr_reaches(0xC4500, 0, 0, 1));   /* all but self */
    ck_assert(!lapic_icr_reaches(0xC4500, 0, 1, 1));
    ck_assert(lapic_icr_reaches(0x84500, 0, 1, 1));   /* all */
    ck_assert(lapic_icr_reaches(0x44500, 0, 2, 2));   /* self */
    ck_assert(!lapic_icr_reaches(0x44500, 0, 2, 1));
    /* Logical destinations reach nobody bookvisor starts. */
    ck_assert(!lapic_icr_reaches(0x4D00, 0x01000000, 0, 1));
    /* A shootdown's NMI: delivery mode NMI, asserted, physical, no shorthand. */
    ck_assert_uint_eq(lapic_nmi_icr(), 0x4400);
    ck_assert_int_eq(lapic_icr_mode_of(lapic_nmi_icr()), LAPIC_ICR_MODE_NMI);
    ck_assert_int_eq(lapic_icr_shorthand_of(lapic_nmi_icr()), LAPIC_ICR_TO_DEST);
}
END_TEST

/* The x2APIC ICR: a 32-bit destination, all ones the broadcast. */
START_TEST(lapic_x2apic_icr_decoding)
{
    ck_assert(lapic_x2apic_icr_reaches(lapic_x2apic_icr(1, 0x4500), 0, 1));
    ck_assert(!lapic_x2apic_icr_reaches(lapic_x2apic_icr(2, 0x4500), 0, 1));
    /* IDs over 255 are whole: 0x101 is not 1, as an xAPIC's 8 bits would read it. */
    ck_assert(lapic_x2apic_icr_reaches(lapic_x2apic_icr(0x101, 0x4608), 0, 0x101));
    ck_assert(!lapic_x2apic_icr_reaches(lapic_x2apic_icr(0x101, 0x4608), 0, 1));
    /* 0xFF is an ID in x2APIC mode, not the broadcast; all ones is. */
    ck_assert(!lapic_x2apic_icr_reaches(lapic_x2apic_icr(0xFF, 0x4500), 0, 3));
    ck_assert(lapic_x2apic_icr_reaches(lapic_x2apic_icr(0xFFFFFFFFu, 0x4500), 0, 3));
    /* Shorthands ignore the destination. */
    ck_assert(lapic_x2apic_icr_reaches(lapic_x2apic_icr(7, 0xC4500), 0, 1));
    ck_assert(!lapic_x2apic_icr_reaches(lapic_x2apic_icr(1, 0xC4500), 1, 1));
    /* Logical destinations reach nobody bookvisor starts. */
    ck_assert(!lapic_x2apic_icr_reaches(lapic_x2apic_icr(1, 0x4D00), 0, 1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("irq_vectors");
    TCase *t = tcase_create("vectors");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, the_range_is_0x10_to_0x1f_without_machine_check);
    tcase_add_test(t, register_and_find);
    tcase_add_test(t, refusals_say_why);
    tcase_add_test(t, every_vmm_vector_can_be_owned);
    tcase_add_test(t, free_vectors_from_the_bottom_without_machine_check);
    suite_add_tcase(s, t);
    t = tcase_create("lapic");
    tcase_add_test(t, lapic_mode_follows_apic_base);
    tcase_add_test(t, lapic_register_values);
    tcase_add_test(t, lapic_start_up_values);
    tcase_add_test(t, lapic_icr_shorthand_wins_over_the_destination);
    tcase_add_test(t, lapic_start_steps);
    tcase_add_test(t, lapic_icr_decoding);
    tcase_add_test(t, lapic_x2apic_icr_decoding);
    suite_add_tcase(s, t);
    return unit_run_suite(s);
}
