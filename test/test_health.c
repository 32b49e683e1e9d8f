/* test_health.c -- R10 churn of the base and its health class. */
#include "wb_test.h"

static void base_health(void **state)
{
    int32_t churn = 0, health = -1;
    /* [Rules]: 5..10 % a year is normal, 20 % and more a reason to act. */
    assert_int_equal(wb_base_health(POLICY, 1000, 50, &churn, &health), WB_OK);
    assert_int_equal(churn, 500);
    assert_int_equal(health, WB_HEALTH_NORMAL);
    assert_int_equal(wb_base_health(POLICY, 1000, 100, &churn, &health), WB_OK);
    assert_int_equal(health, WB_HEALTH_NORMAL);
    assert_int_equal(wb_base_health(POLICY, 1000, 101, &churn, &health), WB_OK);
    assert_int_equal(health, WB_HEALTH_ELEVATED);
    assert_int_equal(wb_base_health(POLICY, 1000, 199, &churn, &health), WB_OK);
    assert_int_equal(health, WB_HEALTH_ELEVATED);
    assert_int_equal(wb_base_health(POLICY, 1000, 200, &churn, &health), WB_OK);
    assert_int_equal(churn, 2000);
    assert_int_equal(health, WB_HEALTH_ACT);
    assert_int_equal(wb_base_health(POLICY, 3, 1, &churn, &health), WB_OK);
    assert_int_equal(churn, 3333);
    assert_int_equal(wb_base_health(POLICY, INT64_MAX, INT64_MAX, &churn, &health), WB_OK);
    assert_int_equal(churn, 10000);
    assert_int_equal(wb_base_health(POLICY, 0, 0, &churn, &health), WB_EZERO);
    assert_int_equal(wb_base_health(POLICY, 10, 11, &churn, &health), WB_EINVAL);
    assert_int_equal(wb_base_health(POLICY, 10, -1, &churn, &health), WB_EINVAL);
    assert_int_equal(wb_base_health(POLICY, -10, 1, &churn, &health), WB_EINVAL);
    assert_int_equal(wb_base_health(POLICY, 10, 1, NULL, &health), WB_EMISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(base_health, policy_setup),
    };
    return cmocka_run_group_tests_name("health", tests, NULL, NULL);
}
