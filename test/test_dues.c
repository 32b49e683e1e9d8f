/* test_dues.c -- R11 money owed: debt write-off and due-date reminders. */
#include "wb_test.h"

static void debt_writeoff(void **state)
{
    int64_t w = 0;
    /* 10 % for the weakest score, 50 % for the best, linear between. */
    assert_int_equal(wb_debt_writeoff(POLICY, 100000, 0, &w), WB_OK);
    assert_int_equal(w, 10000);
    assert_int_equal(wb_debt_writeoff(POLICY, 100000, 10000, &w), WB_OK);
    assert_int_equal(w, 50000);
    assert_int_equal(wb_debt_writeoff(POLICY, 100000, 5000, &w), WB_OK);
    assert_int_equal(w, 30000);
    assert_int_equal(wb_debt_writeoff(POLICY, 5, 0, &w), WB_OK);
    assert_int_equal(w, 1);               /* 0.5 rounds half up */
    assert_int_equal(wb_debt_writeoff(POLICY, INT64_MAX, 10000, &w), WB_OK);
    assert_int_equal(w, INT64_MAX / 2 + 1);
    assert_int_equal(wb_debt_writeoff(POLICY, -1, 0, &w), WB_EINVAL);
    assert_int_equal(wb_debt_writeoff(POLICY, 1, 10001, &w), WB_EINVAL);
    assert_int_equal(wb_debt_writeoff(POLICY, 1, -1, &w), WB_EINVAL);
    assert_int_equal(wb_debt_writeoff(POLICY, 1, 0, NULL), WB_EMISUSE);
}

static void due_reminder(void **state)
{
    int32_t day = 0;
    /* [Retention]: a reminder about two weeks before the next check-up. */
    assert_int_equal(wb_due_reminder_day(POLICY, D("2027-05-23"), &day), WB_OK);
    assert_int_equal(day, D("2027-05-09"));
    assert_int_equal(wb_due_reminder_day(POLICY, WB_DAY_MIN, &day), WB_EDATE);
    assert_int_equal(wb_due_reminder_day(POLICY, 0, NULL), WB_EMISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(debt_writeoff, policy_setup),
        cmocka_unit_test_setup(due_reminder, policy_setup),
    };
    return cmocka_run_group_tests_name("dues", tests, NULL, NULL);
}
