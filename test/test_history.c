/* test_history.c -- R6 losses and returns from a purchase history. */
#include "wb_test.h"

static wb_history losses(void **state, const int32_t *days, size_t n,
                         int32_t as_of)
{
    wb_history h;
    memset(&h, 0xAB, sizeof h);
    assert_int_equal(wb_history_losses(POLICY, days, n, as_of, &h), WB_OK);
    return h;
}

static void never_bought_is_not_lost(void **state)
{
    wb_history h = losses(state, NULL, 0, 1000);
    assert_int_equal(h.returns, 0);
    assert_int_equal(h.currently_lost, 0);
    assert_int_equal(h.losses, 0);
    assert_int_equal(h.sensitive, 0);
}

static void steady_buyer(void **state)
{
    const int32_t days[] = {0, 30, 60, 89, 150, 200};
    wb_history h = losses(state, days, 6, 230);
    assert_int_equal(h.returns, 0);       /* largest gap 61 < 90 */
    assert_int_equal(h.currently_lost, 0);
}

static void lost_once_and_returned(void **state)
{
    /* A gap of exactly 90 days is a loss; the order after it a return. */
    const int32_t days[] = {0, 10, 100, 120};
    wb_history h = losses(state, days, 4, 150);
    assert_int_equal(h.returns, 1);
    assert_int_equal(h.currently_lost, 0);
    assert_int_equal(h.losses, 1);
    assert_int_equal(h.sensitive, 1);     /* rule 12 */
    /* 89 days is not. */
    const int32_t days2[] = {0, 10, 99, 120};
    h = losses(state, days2, 4, 150);
    assert_int_equal(h.returns, 0);
    assert_int_equal(h.sensitive, 0);
}

static void lost_returned_lost_again(void **state)
{
    /* Lost, came back, lost again: the lost-twice customer of rule 13. */
    const int32_t days[] = {0, 200, 210};
    wb_history h = losses(state, days, 3, 210 + 90);
    assert_int_equal(h.returns, 1);
    assert_int_equal(h.currently_lost, 1);
    assert_int_equal(h.losses, 2);
    h = losses(state, days, 3, 210 + 89);
    assert_int_equal(h.losses, 1);        /* one day short of the second */
}

static void same_day_purchases_and_threshold_from_policy(void **state)
{
    const int32_t days[] = {0, 0, 0, 180, 180};
    wb_history h = losses(state, days, 5, 180);
    assert_int_equal(h.returns, 1);
    POLICY->lost_class = WB_CLASS_TIER2;  /* [Lost-customers]: 6 months */
    h = losses(state, days, 5, 180);
    assert_int_equal(h.returns, 1);       /* 180 >= 180 */
    const int32_t days2[] = {0, 179};
    h = losses(state, days2, 2, 179 + 180);
    assert_int_equal(h.returns, 0);
    assert_int_equal(h.currently_lost, 1);
}

static void bad_histories(void **state)
{
    wb_history h;
    const int32_t unsorted[] = {10, 5};
    const int32_t future[] = {10, 50};
    const int32_t out_of_range[] = {WB_DAY_MIN - 1};
    memset(&h, 0x5A, sizeof h);
    wb_history before = h;
    assert_int_equal(wb_history_losses(POLICY, unsorted, 2, 100, &h), WB_EORDER);
    assert_int_equal(wb_history_losses(POLICY, future, 2, 40, &h), WB_EFUTURE);
    assert_int_equal(wb_history_losses(POLICY, out_of_range, 1, 40, &h), WB_EDATE);
    assert_int_equal(wb_history_losses(POLICY, future, 2, WB_DAY_MAX + 1, &h), WB_EDATE);
    assert_int_equal(wb_history_losses(POLICY, NULL, 2, 100, &h), WB_EMISUSE);
    assert_int_equal(wb_history_losses(POLICY, future, 2, 100, NULL), WB_EMISUSE);
    assert_memory_equal(&h, &before, sizeof h);
    POLICY->tier2_days = 10;
    assert_int_equal(wb_history_losses(POLICY, future, 2, 100, &h), WB_EPOLICY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(never_bought_is_not_lost, policy_setup),
        cmocka_unit_test_setup(steady_buyer, policy_setup),
        cmocka_unit_test_setup(lost_once_and_returned, policy_setup),
        cmocka_unit_test_setup(lost_returned_lost_again, policy_setup),
        cmocka_unit_test_setup(same_day_purchases_and_threshold_from_policy, policy_setup),
        cmocka_unit_test_setup(bad_histories, policy_setup),
    };
    return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
