/* test_recency.c -- R1 classes and R2 ladder and discounts. */
#include "wb_test.h"

static int32_t class_at(void **state, int32_t days)
{
    int32_t cls = -1, since = -2, as_of = D("2026-11-23");
    assert_int_equal(wb_classify(POLICY, as_of - days, as_of, &cls, &since), WB_OK);
    assert_int_equal(since, days);
    return cls;
}

static void boundaries_are_inclusive_lower_bounds(void **state)
{
    assert_int_equal(class_at(state, 0), WB_CLASS_ACTIVE);
    assert_int_equal(class_at(state, 29), WB_CLASS_ACTIVE);
    assert_int_equal(class_at(state, 30), WB_CLASS_WATCH);
    assert_int_equal(class_at(state, 89), WB_CLASS_WATCH);
    assert_int_equal(class_at(state, 90), WB_CLASS_TIER1);   /* exactly 90 */
    assert_int_equal(class_at(state, 179), WB_CLASS_TIER1);
    assert_int_equal(class_at(state, 180), WB_CLASS_TIER2);
    assert_int_equal(class_at(state, 359), WB_CLASS_TIER2);
    assert_int_equal(class_at(state, 360), WB_CLASS_TIER3);
    assert_int_equal(class_at(state, 5000), WB_CLASS_TIER3);
}

static void across_a_leap_day(void **state)
{
    int32_t cls, since;
    /* 2023-12-01 -> 2024-02-29 is 90 days: the leap day counts. */
    assert_int_equal(wb_classify(POLICY, D("2023-12-01"), D("2024-02-29"), &cls, &since), WB_OK);
    assert_int_equal(since, 90);
    assert_int_equal(cls, WB_CLASS_TIER1);
    assert_int_equal(wb_classify(POLICY, D("2024-12-01"), D("2025-02-28"), &cls, &since), WB_OK);
    assert_int_equal(since, 89);
    assert_int_equal(cls, WB_CLASS_WATCH);
}

static void never_future_and_far_days(void **state)
{
    int32_t cls = 99, since = 99;
    assert_int_equal(wb_classify(POLICY, WB_DAY_NONE, D("2026-11-23"), &cls, &since), WB_OK);
    assert_int_equal(cls, WB_CLASS_NEVER);
    assert_int_equal(since, -1);
    cls = 99;
    assert_int_equal(wb_classify(POLICY, D("2026-11-24"), D("2026-11-23"), &cls, NULL), WB_EFUTURE);
    assert_int_equal(cls, 99);
    assert_int_equal(wb_classify(POLICY, WB_DAY_MIN, WB_DAY_MAX, &cls, &since), WB_OK);
    assert_int_equal(cls, WB_CLASS_TIER3);
    assert_int_equal(since, WB_DAY_MAX - WB_DAY_MIN);
    assert_int_equal(wb_classify(POLICY, WB_DAY_MIN - 1, 0, &cls, NULL), WB_EDATE);
    assert_int_equal(wb_classify(POLICY, 0, WB_DAY_MAX + 1, &cls, NULL), WB_EDATE);
    assert_int_equal(wb_classify(POLICY, 0, WB_DAY_NONE, &cls, NULL), WB_EDATE);
    assert_int_equal(wb_classify(POLICY, 0, 0, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_classify(NULL, 0, 0, &cls, NULL), WB_EMISUSE);
}

static void custom_windows_and_bad_policy(void **state)
{
    wb_policy p = *POLICY;
    int32_t cls;
    (void)state;
    /* [Rules]: a dating service starts after one month. */
    p.watch_days = 7;
    p.tier1_days = 30;
    assert_int_equal(wb_classify(&p, 0, 30, &cls, NULL), WB_OK);
    assert_int_equal(cls, WB_CLASS_TIER1);
    p.tier2_days = 30;  /* not strictly increasing */
    assert_int_equal(wb_classify(&p, 0, 30, &cls, NULL), WB_EPOLICY);
}

/* The class changes exactly at the thresholds, and only there. */
static void class_changes_only_at_thresholds(void **state)
{
    int32_t prev = WB_CLASS_ACTIVE, cls;
    for (int32_t d = 0; d <= 4000; d++) {
        assert_int_equal(wb_classify(POLICY, 1000, 1000 + d, &cls, NULL), WB_OK);
        int at_threshold = d == 30 || d == 90 || d == 180 || d == 360;
        assert_int_equal(cls != prev, at_threshold);
        prev = cls;
    }
}

static void ladder(void **state)
{
    int32_t bp = -1;
    assert_int_equal(wb_ladder_bp(POLICY, WB_CLASS_NEVER, &bp), WB_OK);
    assert_int_equal(bp, 0);
    assert_int_equal(wb_ladder_bp(POLICY, WB_CLASS_ACTIVE, &bp), WB_OK);
    assert_int_equal(bp, 0);
    assert_int_equal(wb_ladder_bp(POLICY, WB_CLASS_WATCH, &bp), WB_OK);
    assert_int_equal(bp, 0);
    assert_int_equal(wb_ladder_bp(POLICY, WB_CLASS_TIER1, &bp), WB_OK);
    assert_int_equal(bp, 1000);
    assert_int_equal(wb_ladder_bp(POLICY, WB_CLASS_TIER2, &bp), WB_OK);
    assert_int_equal(bp, 1500);
    assert_int_equal(wb_ladder_bp(POLICY, WB_CLASS_TIER3, &bp), WB_OK);
    assert_int_equal(bp, 2000);
    assert_int_equal(wb_ladder_bp(POLICY, 6, &bp), WB_EINVAL);
    assert_int_equal(wb_ladder_bp(POLICY, -1, &bp), WB_EINVAL);
    assert_int_equal(wb_ladder_bp(POLICY, 1, NULL), WB_EMISUSE);
}

/* The discount never decreases as the days since the last purchase grow. */
static void discount_is_monotonic_in_days(void **state)
{
    int32_t cls, bp, prev = 0;
    for (int32_t d = 0; d <= 2000; d++) {
        assert_int_equal(wb_classify(POLICY, 0, d, &cls, NULL), WB_OK);
        assert_int_equal(wb_ladder_bp(POLICY, cls, &bp), WB_OK);
        assert_true(bp >= prev);
        prev = bp;
    }
    assert_int_equal(prev, 2000);
}

static void discount_rounding(void **state)
{
    int64_t amount = -1, final = -1;
    (void)state;
    /* 15 % of 10.00 = 1.50 exactly. */
    assert_int_equal(wb_discount_apply(1000, 1500, WB_ROUND_HALF_UP, &amount, &final), WB_OK);
    assert_int_equal(amount, 150);
    assert_int_equal(final, 850);
    /* 15 % of 0.10 = 0.015: half up -> 0.02, down -> 0.01, up -> 0.02. */
    assert_int_equal(wb_discount_apply(10, 1500, WB_ROUND_HALF_UP, &amount, &final), WB_OK);
    assert_int_equal(amount, 2);
    assert_int_equal(final, 8);
    assert_int_equal(wb_discount_apply(10, 1500, WB_ROUND_DOWN, &amount, NULL), WB_OK);
    assert_int_equal(amount, 1);
    assert_int_equal(wb_discount_apply(10, 1500, WB_ROUND_UP, NULL, &final), WB_OK);
    assert_int_equal(final, 8);
    /* 10 % of 0.04 = 0.004: half up -> 0, up -> 0.01. */
    assert_int_equal(wb_discount_apply(4, 1000, WB_ROUND_HALF_UP, &amount, NULL), WB_OK);
    assert_int_equal(amount, 0);
    assert_int_equal(wb_discount_apply(4, 1000, WB_ROUND_UP, &amount, NULL), WB_OK);
    assert_int_equal(amount, 1);
    /* 0 % and 100 %. */
    assert_int_equal(wb_discount_apply(12345, 0, WB_ROUND_UP, &amount, &final), WB_OK);
    assert_int_equal(amount, 0);
    assert_int_equal(final, 12345);
    assert_int_equal(wb_discount_apply(12345, 10000, WB_ROUND_DOWN, &amount, &final), WB_OK);
    assert_int_equal(amount, 12345);
    assert_int_equal(final, 0);
}

static void discount_at_int64_limits(void **state)
{
    int64_t amount, final;
    (void)state;
    /* INT64_MAX * 2000 overflows 64 bits; the result is still exact:
     * 9223372036854775807 * 0.2 = 1844674407370955161.4 -> ...161. */
    assert_int_equal(wb_discount_apply(INT64_MAX, 2000, WB_ROUND_HALF_UP, &amount, &final), WB_OK);
    assert_int_equal(amount, INT64_C(1844674407370955161));
    assert_int_equal(final, INT64_MAX - INT64_C(1844674407370955161));
    assert_int_equal(wb_discount_apply(INT64_MAX, 2000, WB_ROUND_UP, &amount, NULL), WB_OK);
    assert_int_equal(amount, INT64_C(1844674407370955162));
    /* 50 %: 4611686018427387903.5 -> half up ...904. */
    assert_int_equal(wb_discount_apply(INT64_MAX, 5000, WB_ROUND_HALF_UP, &amount, &final), WB_OK);
    assert_int_equal(amount, INT64_C(4611686018427387904));
    assert_int_equal(final, INT64_C(4611686018427387903));
    assert_int_equal(wb_discount_apply(INT64_MAX, 10000, WB_ROUND_HALF_UP, &amount, &final), WB_OK);
    assert_int_equal(amount, INT64_MAX);
    assert_int_equal(final, 0);
}

static void discount_errors(void **state)
{
    int64_t amount = 77;
    (void)state;
    assert_int_equal(wb_discount_apply(-1, 1000, 0, &amount, NULL), WB_EINVAL);
    assert_int_equal(wb_discount_apply(INT64_MIN, 1000, 0, &amount, NULL), WB_EINVAL);
    assert_int_equal(wb_discount_apply(100, -1, 0, &amount, NULL), WB_EINVAL);
    assert_int_equal(wb_discount_apply(100, 10001, 0, &amount, NULL), WB_EINVAL);
    assert_int_equal(wb_discount_apply(100, 1000, 3, &amount, NULL), WB_EINVAL);
    assert_int_equal(wb_discount_apply(100, 1000, -1, &amount, NULL), WB_EINVAL);
    assert_int_equal(wb_discount_apply(100, 1000, 0, NULL, NULL), WB_EMISUSE);
    assert_int_equal(amount, 77);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(boundaries_are_inclusive_lower_bounds, policy_setup),
        cmocka_unit_test_setup(across_a_leap_day, policy_setup),
        cmocka_unit_test_setup(never_future_and_far_days, policy_setup),
        cmocka_unit_test_setup(custom_windows_and_bad_policy, policy_setup),
        cmocka_unit_test_setup(class_changes_only_at_thresholds, policy_setup),
        cmocka_unit_test_setup(ladder, policy_setup),
        cmocka_unit_test_setup(discount_is_monotonic_in_days, policy_setup),
        cmocka_unit_test(discount_rounding),
        cmocka_unit_test(discount_at_int64_limits),
        cmocka_unit_test(discount_errors),
    };
    return cmocka_run_group_tests_name("recency", tests, NULL, NULL);
}
