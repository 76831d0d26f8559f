/*
 * Unit tests for the rules of the event model (common/vm/event.c): the
 * double-fault table, the queue, re-delivery of cut-short events, and the
 * decision before each entry (lab 6). tests/unit/test_vcpu_events.c runs the
 * same rules through a mock backend.
 * unit-sources: common/vm/event.c
 */
#include <check.h>
#include <string.h>
#include "common/vm/event.h"
#include "tests/unit/unit_main.h"

static struct event_queue q;
static struct event_interruptibility open_guest; /* IF=1, no shadow, no NMI blocking */

static void setup(void)
{
    memset(&q, 0, sizeof(q));
    open_guest = (struct event_interruptibility){ .interrupts_enabled = true };
}

static struct event_exception fault(u8 vector)
{
    bool error = event_exception_class(vector) != EVENT_CLASS_BENIGN;
    return (struct event_exception){ .vector = vector, .has_error = error, .error_code = error ? 0x18 : 0 };
}

static enum event_combination queue_fault(u8 vector)
{
    struct event_exception ex = fault(vector);
    return event_queue_exception(&q, &ex);
}

/* ---- the double-fault table ---- */

START_TEST(classes_of_every_vector)
{
    static const u8 contributory[] = { 0, 10, 11, 12, 13, 21 };
    static const u8 page_faults[] = { 14, 20 };
    unsigned n_contributory = 0, n_page = 0, n_df = 0;
    for (unsigned v = 0; v < 256; v++) {
        switch (event_exception_class((u8)v)) {
        case EVENT_CLASS_CONTRIBUTORY: n_contributory++; break;
        case EVENT_CLASS_PAGE_FAULT: n_page++; break;
        case EVENT_CLASS_DOUBLE_FAULT: n_df++; ck_assert_uint_eq(v, 8); break;
        case EVENT_CLASS_BENIGN: break;
        }
    }
    for (unsigned i = 0; i < ARRAY_SIZE(contributory); i++)
        ck_assert_int_eq(event_exception_class(contributory[i]), EVENT_CLASS_CONTRIBUTORY);
    for (unsigned i = 0; i < ARRAY_SIZE(page_faults); i++)
        ck_assert_int_eq(event_exception_class(page_faults[i]), EVENT_CLASS_PAGE_FAULT);
    ck_assert_uint_eq(n_contributory, ARRAY_SIZE(contributory));
    ck_assert_uint_eq(n_page, ARRAY_SIZE(page_faults));
    ck_assert_uint_eq(n_df, 1);
    /* The benign ones the SDM lists, and external-interrupt vectors. */
    static const u8 benign[] = { 1, 2, 3, 4, 5, 6, 7, 9, 16, 17, 18, 19, 32, 0x80, 255 };
    for (unsigned i = 0; i < ARRAY_SIZE(benign); i++)
        ck_assert_int_eq(event_exception_class(benign[i]), EVENT_CLASS_BENIGN);
}
END_TEST

/* Every cell of table 6-5, plus the #DF row, for every vector of each class. */
START_TEST(every_row_of_the_double_fault_table)
{
    static const u8 benign[] = { 1, 3, 6, 7, 17 };
    static const u8 contributory[] = { 0, 10, 11, 12, 13, 21 };
    static const u8 page_fault[] = { 14, 20 };
    static const u8 double_fault[] = { 8 };
    static const struct { const u8 *v; unsigned n; } cls[4] = {
        { benign, ARRAY_SIZE(benign) }, { contributory, ARRAY_SIZE(contributory) },
        { page_fault, ARRAY_SIZE(page_fault) }, { double_fault, 1 },
    };
    /* rows: first (benign, contributory, page fault, #DF); columns: second */
    static const enum event_combination expect[4][3] = {
        { EVENT_SERIAL, EVENT_SERIAL, EVENT_SERIAL },
        { EVENT_SERIAL, EVENT_DOUBLE_FAULT, EVENT_SERIAL },
        { EVENT_SERIAL, EVENT_DOUBLE_FAULT, EVENT_DOUBLE_FAULT },
        { EVENT_SERIAL, EVENT_TRIPLE_FAULT, EVENT_TRIPLE_FAULT },
    };
    for (unsigned row = 0; row < 4; row++)
        for (unsigned col = 0; col < 3; col++)
            for (unsigned i = 0; i < cls[row].n; i++)
                for (unsigned j = 0; j < cls[col].n; j++) {
                    u8 first = cls[row].v[i], second = cls[col].v[j];
                    ck_assert_msg(event_combine(first, second) == expect[row][col],
                                  "first %u then %u: got %d, want %d", first, second,
                                  event_combine(first, second), expect[row][col]);
                }
}
END_TEST

START_TEST(double_fault_raised_directly)
{
    ck_assert_int_eq(event_combine(EVENT_VECTOR_UD, EVENT_VECTOR_DF), EVENT_SERIAL);
    ck_assert_int_eq(event_combine(EVENT_VECTOR_GP, EVENT_VECTOR_DF), EVENT_DOUBLE_FAULT);
    ck_assert_int_eq(event_combine(EVENT_VECTOR_DF, EVENT_VECTOR_DF), EVENT_TRIPLE_FAULT);
}
END_TEST

/* ---- the exception slot ---- */

START_TEST(lone_exception_waits_as_it_is)
{
    struct event_exception db = { .vector = EVENT_VECTOR_DB, .trap = true };
    ck_assert_int_eq(event_queue_exception(&q, &db), EVENT_SERIAL);
    ck_assert(q.exception_pending);
    ck_assert_uint_eq(q.exception.vector, 1);
    ck_assert(q.exception.trap);
    ck_assert(!q.exception.has_error);
}
END_TEST

START_TEST(page_fault_then_gp_becomes_double_fault)
{
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_PF), EVENT_SERIAL);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_GP), EVENT_DOUBLE_FAULT);
    ck_assert(q.exception_pending);
    ck_assert_uint_eq(q.exception.vector, EVENT_VECTOR_DF);
    ck_assert(q.exception.has_error);
    ck_assert_uint_eq(q.exception.error_code, 0);
    ck_assert(!q.exception.trap);
}
END_TEST

START_TEST(double_fault_then_page_fault_shuts_down)
{
    queue_fault(EVENT_VECTOR_SS);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_NP), EVENT_DOUBLE_FAULT);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_PF), EVENT_TRIPLE_FAULT);
    ck_assert(!q.exception_pending);
    ck_assert(event_queue_idle(&q));
}
END_TEST

START_TEST(benign_second_replaces_the_first)
{
    queue_fault(EVENT_VECTOR_GP);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_UD), EVENT_SERIAL);
    ck_assert_uint_eq(q.exception.vector, EVENT_VECTOR_UD);
    ck_assert(!q.exception.has_error);
    /* and after #DF a benign one is delivered on its own, too */
    queue_fault(EVENT_VECTOR_PF);
    queue_fault(EVENT_VECTOR_PF);
    ck_assert_uint_eq(q.exception.vector, EVENT_VECTOR_DF);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_MF), EVENT_SERIAL);
    ck_assert_uint_eq(q.exception.vector, EVENT_VECTOR_MF);
}
END_TEST

/* ---- external interrupts and NMIs ---- */

START_TEST(interrupt_set_counts_each_vector_once)
{
    ck_assert_int_eq(event_highest_interrupt(&q), -1);
    event_queue_interrupt(&q, 0x41);
    event_queue_interrupt(&q, 0x41);
    ck_assert_uint_eq(q.interrupt_count, 1);
    static const u8 edges[] = { 0, 63, 64, 127, 128, 191, 192, 255 };
    for (unsigned i = 0; i < ARRAY_SIZE(edges); i++) {
        event_queue_interrupt(&q, edges[i]);
        ck_assert_int_eq(event_highest_interrupt(&q), edges[i] > 0x41 ? edges[i] : 0x41);
    }
    ck_assert_uint_eq(q.interrupt_count, 9);
}
END_TEST

START_TEST(one_nmi_stands_for_many)
{
    event_queue_nmi(&q);
    event_queue_nmi(&q);
    struct event_decision d = event_decide(&q, &open_guest);
    ck_assert(d.inject);
    ck_assert_int_eq(d.event.type, VM_EVENT_NMI);
    ck_assert_uint_eq(d.event.vector, 2);
    event_injected(&q, &d);
    ck_assert(!q.nmi_pending);
    ck_assert(q.nmi_blocked);
    ck_assert(!event_decide(&q, &open_guest).inject);
}
END_TEST

/* ---- what an exit cut short ---- */

static enum event_take_back_result take_back(enum vm_delivery how, u8 vector, bool has_error, u32 error)
{
    struct vm_cut_short_event cut = { .delivery = how, .vector = vector, .has_error = has_error,
                                      .error_code = error };
    return event_take_back(&q, &cut);
}

START_TEST(cut_short_interrupt_and_nmi_go_back)
{
    q.nmi_blocked = true; /* the VMM injected the NMI: blocked until its handler returns */
    ck_assert_int_eq(take_back(VM_DELIVERY_NMI, 2, false, 0), EVENT_TAKEN_BACK);
    ck_assert_int_eq(take_back(VM_DELIVERY_EXTERNAL_INTERRUPT, 0x30, false, 0), EVENT_TAKEN_BACK);
    ck_assert(q.nmi_pending);
    ck_assert(!q.nmi_blocked); /* its handler never ran */
    ck_assert_int_eq(event_highest_interrupt(&q), 0x30);
    ck_assert_uint_eq(q.interrupt_count, 1);
}
END_TEST

START_TEST(cut_short_exception_comes_back_as_it_was)
{
    ck_assert_int_eq(take_back(VM_DELIVERY_HW_EXCEPTION, EVENT_VECTOR_PF, true, 6), EVENT_TAKEN_BACK);
    struct event_decision d = event_decide(&q, &open_guest);
    ck_assert(d.inject);
    ck_assert_int_eq(d.event.type, VM_EVENT_EXCEPTION);
    ck_assert_uint_eq(d.event.vector, EVENT_VECTOR_PF);
    ck_assert(d.event.has_error);
    ck_assert_uint_eq(d.event.error_code, 6);
}
END_TEST

START_TEST(cut_short_exception_combines_with_a_new_one)
{
    take_back(VM_DELIVERY_HW_EXCEPTION, EVENT_VECTOR_PF, true, 6);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_GP), EVENT_DOUBLE_FAULT);
    ck_assert_uint_eq(q.exception.vector, EVENT_VECTOR_DF);
    memset(&q, 0, sizeof(q));
    take_back(VM_DELIVERY_HW_EXCEPTION, EVENT_VECTOR_GP, true, 0);
    ck_assert_int_eq(queue_fault(EVENT_VECTOR_UD), EVENT_SERIAL);
    ck_assert_uint_eq(q.exception.vector, EVENT_VECTOR_UD);
    memset(&q, 0, sizeof(q));
    queue_fault(EVENT_VECTOR_DF);
    ck_assert_int_eq(take_back(VM_DELIVERY_HW_EXCEPTION, EVENT_VECTOR_GP, true, 0),
                     EVENT_TAKE_BACK_TRIPLE_FAULT);
}
END_TEST

START_TEST(cut_short_software_events_run_again)
{
    ck_assert_int_eq(take_back(VM_DELIVERY_SW_INTERRUPT, 0x80, false, 0), EVENT_REEXECUTED);
    ck_assert_int_eq(take_back(VM_DELIVERY_SW_EXCEPTION, EVENT_VECTOR_BP, false, 0), EVENT_REEXECUTED);
    ck_assert_int_eq(take_back(VM_DELIVERY_PRIV_SW_EXCEPTION, EVENT_VECTOR_DB, false, 0),
                     EVENT_REEXECUTED);
    ck_assert_int_eq(take_back(VM_DELIVERY_NONE, 0, false, 0), EVENT_TAKEN_BACK);
    ck_assert(event_queue_idle(&q));
    ck_assert_int_eq(take_back((enum vm_delivery)42, 0, false, 0), EVENT_TAKE_BACK_BAD_TYPE);
    ck_assert(event_queue_idle(&q));
}
END_TEST

/* ---- the decision (lab 6) ---- */

START_TEST(nothing_pending_asks_for_nothing)
{
    for (unsigned bits = 0; bits < 8; bits++) {
        struct event_interruptibility g = { .interrupts_enabled = bits & 1, .shadow = bits & 2,
                                            .nmi_blocked = bits & 4 };
        struct event_decision d = event_decide(&q, &g);
        ck_assert(!d.inject);
        ck_assert(!d.interrupt_window);
        ck_assert(!d.nmi_window);
    }
    q.nmi_blocked = true; /* blocking alone is not something waiting */
    struct event_decision d = event_decide(&q, &open_guest);
    ck_assert(!d.inject && !d.interrupt_window && !d.nmi_window);
    ck_assert(event_queue_idle(&q));
}
END_TEST

START_TEST(exception_then_nmi_then_interrupt)
{
    event_queue_interrupt(&q, 0x30);
    event_queue_nmi(&q);
    queue_fault(EVENT_VECTOR_GP);

    struct event_decision d = event_decide(&q, &open_guest);
    ck_assert(d.inject);
    ck_assert_int_eq(d.event.type, VM_EVENT_EXCEPTION);
    ck_assert_uint_eq(d.event.vector, EVENT_VECTOR_GP);
    ck_assert(d.event.has_error);
    ck_assert_uint_eq(d.event.error_code, 0x18);
    ck_assert(d.nmi_window && d.interrupt_window); /* both still wait */
    event_injected(&q, &d);

    d = event_decide(&q, &open_guest);
    ck_assert_int_eq(d.event.type, VM_EVENT_NMI);
    ck_assert(!d.nmi_window && d.interrupt_window);
    event_injected(&q, &d);

    d = event_decide(&q, &open_guest);
    ck_assert(d.inject);
    ck_assert_int_eq(d.event.type, VM_EVENT_EXTERNAL_INTERRUPT);
    ck_assert_uint_eq(d.event.vector, 0x30);
    ck_assert(!d.nmi_window && !d.interrupt_window);
    event_injected(&q, &d);
    ck_assert_uint_eq(q.interrupt_count, 0);
    ck_assert_int_eq(event_highest_interrupt(&q), -1);
}
END_TEST

START_TEST(exception_goes_in_whatever_blocks_the_rest)
{
    struct event_interruptibility closed = { .interrupts_enabled = false, .shadow = true,
                                             .nmi_blocked = true };
    queue_fault(EVENT_VECTOR_UD);
    struct event_decision d = event_decide(&q, &closed);
    ck_assert(d.inject);
    ck_assert_uint_eq(d.event.vector, EVENT_VECTOR_UD);
    ck_assert(!d.event.has_error);
}
END_TEST

START_TEST(if_clear_waits_for_the_interrupt_window)
{
    struct event_interruptibility g = { .interrupts_enabled = false };
    event_queue_interrupt(&q, 0x50);
    struct event_decision d = event_decide(&q, &g);
    ck_assert(!d.inject);
    ck_assert(d.interrupt_window);
    ck_assert(!d.nmi_window);
    /* an NMI is not masked by IF */
    event_queue_nmi(&q);
    d = event_decide(&q, &g);
    ck_assert(d.inject);
    ck_assert_int_eq(d.event.type, VM_EVENT_NMI);
    ck_assert(d.interrupt_window);
}
END_TEST

START_TEST(shadow_holds_back_nmi_and_interrupt)
{
    struct event_interruptibility g = { .interrupts_enabled = true, .shadow = true };
    event_queue_interrupt(&q, 0x50);
    event_queue_nmi(&q);
    struct event_decision d = event_decide(&q, &g);
    ck_assert(!d.inject);
    ck_assert(d.interrupt_window);
    ck_assert(d.nmi_window);
}
END_TEST

START_TEST(nmi_blocking_waits_for_the_nmi_window)
{
    struct event_interruptibility g = { .interrupts_enabled = true, .nmi_blocked = true };
    event_queue_nmi(&q);
    struct event_decision d = event_decide(&q, &g);
    ck_assert(!d.inject);
    ck_assert(d.nmi_window);
    ck_assert(!d.interrupt_window);
    /* the VMM's own record blocks the same way (AMD-V keeps none) */
    q.nmi_blocked = true;
    d = event_decide(&q, &open_guest);
    ck_assert(!d.inject && d.nmi_window);
    /* a blocked NMI does not hold back an interrupt */
    event_queue_interrupt(&q, 0x61);
    d = event_decide(&q, &open_guest);
    ck_assert(d.inject);
    ck_assert_uint_eq(d.event.vector, 0x61);
    ck_assert(d.nmi_window && !d.interrupt_window);
    event_nmi_unblocked(&q);
    ck_assert_int_eq(event_decide(&q, &open_guest).event.type, VM_EVENT_NMI);
}
END_TEST

START_TEST(interrupts_highest_vector_first)
{
    static const u8 in[] = { 0x30, 0xEF, 0x41, 0x80, 0x20 };
    static const u8 out[] = { 0xEF, 0x80, 0x41, 0x30, 0x20 };
    for (unsigned i = 0; i < ARRAY_SIZE(in); i++)
        event_queue_interrupt(&q, in[i]);
    for (unsigned i = 0; i < ARRAY_SIZE(out); i++) {
        struct event_decision d = event_decide(&q, &open_guest);
        ck_assert(d.inject);
        ck_assert_uint_eq(d.event.vector, out[i]);
        ck_assert(d.interrupt_window == (i + 1 < ARRAY_SIZE(out))); /* open while more wait */
        event_injected(&q, &d);
    }
    ck_assert(event_queue_idle(&q));
}
END_TEST

START_TEST(vector_names)
{
    ck_assert_str_eq(event_vector_name(EVENT_VECTOR_GP), "#GP");
    ck_assert_str_eq(event_vector_name(EVENT_VECTOR_DF), "#DF");
    ck_assert_str_eq(event_vector_name(EVENT_VECTOR_CP), "#CP");
    ck_assert_str_eq(event_vector_name(15), "vector");
    ck_assert_str_eq(event_vector_name(0x80), "vector");
}
END_TEST

/* Which exceptions are faults (SDM vol. 3 table 6-1): they get RF in their frame. */
START_TEST(faults_are_the_faults_of_table_6_1)
{
    static const u8 faults[] = { 0, 5, 6, 7, 10, 11, 12, 13, 14, 16, 17, 19, 20, 21 };
    static const u8 others[] = { 1, 2, 3, 4, 8, 18, 32, 255 };
    for (unsigned i = 0; i < sizeof(faults); i++)
        ck_assert_msg(event_exception_is_fault(faults[i]), "vector %u", faults[i]);
    for (unsigned i = 0; i < sizeof(others); i++)
        ck_assert_msg(!event_exception_is_fault(others[i]), "vector %u", others[i]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("event");
    TCase *t = tcase_create("double-fault");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, classes_of_every_vector);
    tcase_add_test(t, faults_are_the_faults_of_table_6_1);
    tcase_add_test(t, every_row_of_the_double_fault_table);
    tcase_add_test(t, double_fault_raised_directly);
    tcase_add_test(t, lone_exception_waits_as_it_is);
    tcase_add_test(t, page_fault_then_gp_becomes_double_fault);
    tcase_add_test(t, double_fault_then_page_fault_shuts_down);
    tcase_add_test(t, benign_second_replaces_the_first);
    suite_add_tcase(s, t);

    t = tcase_create("queue");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, interrupt_set_counts_each_vector_once);
    tcase_add_test(t, one_nmi_stands_for_many);
    tcase_add_test(t, cut_short_interrupt_and_nmi_go_back);
    tcase_add_test(t, cut_short_exception_comes_back_as_it_was);
    tcase_add_test(t, cut_short_exception_combines_with_a_new_one);
    tcase_add_test(t, cut_short_software_events_run_again);
    tcase_add_test(t, vector_names);
    suite_add_tcase(s, t);

    t = tcase_create("decide");
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, nothing_pending_asks_for_nothing);
    tcase_add_test(t, exception_then_nmi_then_interrupt);
    tcase_add_test(t, exception_goes_in_whatever_blocks_the_rest);
    tcase_add_test(t, if_clear_waits_for_the_interrupt_window);
    tcase_add_test(t, shadow_holds_back_nmi_and_interrupt);
    tcase_add_test(t, nmi_blocking_waits_for_the_nmi_window);
    tcase_add_test(t, interrupts_highest_vector_first);
    suite_add_tcase(s, t);
    return unit_run_suite(s);
}
