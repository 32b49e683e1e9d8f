/* test_ledger_limits.c -- the ledger's bound on rows, with the ledger built
 * for this test to hold at most ROWS rows (WB_LEDGER_ROWS_MAX, set by the
 * Makefile for this test alone), so that the bound is reached in a few
 * rows instead of 2^31-1: a part may hold up to the bound, the ledger in
 * all too, which its finish checks. */
#include <stdio.h>

#include "wb_test.h"

enum { ROWS = 12, POLICY_DAY = 11500 };

/* An id of part `part` of l: "c0", "c1", ... the first that falls there. */
static void id_in_part(const wb_ledger *l, unsigned part, char *id, size_t cap)
{
    for (int k = 0;; k++) {
        snprintf(id, cap, "c%d", k);
        if (wb_ledger_part_of(l, id, strlen(id)) == part)
            return;
    }
}

static void add_n(wb_ledger *l, const char *id, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(wb_ledger_add(l, id, strlen(id), 10000 + i, 100), WB_OK);
}

/* The bound is the test build's, not the default. */
static void the_bound_is_this_builds(void **state)
{
    wb_ledger *l;
    (void)state;
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    add_n(l, "a", ROWS);
    assert_int_equal(wb_ledger_add(l, "a", 1, 9000, 1), WB_ERANGE);
    assert_int_equal(wb_ledger_add(l, "b", 1, 9000, 1), WB_ERANGE);
    size_t n, rows;
    assert_int_equal(wb_ledger_count(l, &n, &rows), WB_OK);
    assert_int_equal(n, 1);                     /* unchanged by the refusals */
    assert_int_equal(rows, ROWS);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    wb_ledger_free(l);
}

/* One customer may hold more than the bound over the parts: in 8 parts,
 * 2 * ROWS / 8 rows would have been refused when each part had an eighth. */
static void one_part_may_hold_the_whole_bound(void **state)
{
    wb_ledger *l;
    wb_ledger_customer c;
    char id[16];
    assert_int_equal(wb_ledger_new_parts(NULL, 8, &l), WB_OK);
    id_in_part(l, 3, id, sizeof id);
    add_n(l, id, ROWS);
    assert_int_equal(wb_ledger_add(l, id, strlen(id), 9000, 1), WB_ERANGE);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_find(l, POLICY, id, strlen(id), POLICY_DAY, &c), WB_OK);
    assert_int_equal(c.purchases, ROWS);
    assert_int_equal(c.first_day, 10000);
    assert_int_equal(c.last_day, 10000 + ROWS - 1);
    wb_ledger_free(l);
}

/* Parts within the bound whose sum is beyond it: each add is taken, the
 * finish refuses with WB_ERANGE and builds nothing; fewer rows finish. */
static void the_sum_is_bounded_at_finish(void **state)
{
    wb_ledger *l, *two;
    wb_ledger_customer c;
    char a[16], b[16];
    const wb_purchase bulk = {"x", 1, 10000, 0, 1};
    size_t added = 0;
    assert_int_equal(wb_ledger_new_parts(NULL, 2, &l), WB_OK);
    id_in_part(l, 0, a, sizeof a);
    id_in_part(l, 1, b, sizeof b);
    add_n(l, a, ROWS / 2 + 1);
    add_n(l, b, ROWS / 2);
    assert_int_equal(wb_ledger_finish(l), WB_ERANGE);
    assert_int_equal(wb_ledger_at(l, POLICY, POLICY_DAY, 0, &c), WB_EMISUSE);
    assert_int_equal(wb_ledger_seal(l), WB_ERANGE);
    /* add_part is the same bound, part by part */
    assert_int_equal(wb_ledger_new_parts(NULL, 2, &two), WB_OK);
    unsigned px = wb_ledger_part_of(two, "x", 1);
    for (int i = 0; i < ROWS; i++)
        assert_int_equal(wb_ledger_add_part(two, px, &bulk, 1, &added), WB_OK);
    assert_int_equal(wb_ledger_add_part(two, px, &bulk, 1, &added), WB_ERANGE);
    assert_int_equal(added, 0);
    assert_int_equal(wb_ledger_finish(two), WB_OK);
    /* merged: the sum is beyond the bound again */
    assert_int_equal(wb_ledger_merge(two, l), WB_ERANGE);   /* part px full */
    wb_ledger_free(two);
    /* one row fewer in l: it finishes */
    wb_ledger_free(l);
    assert_int_equal(wb_ledger_new_parts(NULL, 2, &l), WB_OK);
    add_n(l, a, ROWS / 2);
    add_n(l, b, ROWS / 2);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_find(l, POLICY, a, strlen(a), POLICY_DAY, &c), WB_OK);
    assert_int_equal(c.purchases, ROWS / 2);
    wb_ledger_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_bound_is_this_builds),
        cmocka_unit_test_setup(one_part_may_hold_the_whole_bound, policy_setup),
        cmocka_unit_test_setup(the_sum_is_bounded_at_finish, policy_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
