/* test_severity.c -- R7 severity, difficulty and escalation. */
#include "wb_test.h"

static void escalation_defaults(void **state)
{
    int32_t level = 0;
    const int32_t expected[6] = {0, WB_ESCALATE_AUTOMATED,
        WB_ESCALATE_OTHER_MANAGER, WB_ESCALATE_HEAD_OF_DEPT,
        WB_ESCALATE_COMPANY_HEAD, WB_ESCALATE_NO_ACTIVE};
    for (int32_t s = 1; s <= 5; s++) {
        assert_int_equal(wb_severity_escalation(POLICY, s, &level), WB_OK);
        assert_int_equal(level, expected[s]);
    }
    level = 99;
    assert_int_equal(wb_severity_escalation(POLICY, 0, &level), WB_ESEVERITY);
    assert_int_equal(wb_severity_escalation(POLICY, 6, &level), WB_ESEVERITY);
    assert_int_equal(wb_severity_escalation(POLICY, -1, &level), WB_ESEVERITY);
    assert_int_equal(level, 99);
    assert_int_equal(wb_severity_escalation(POLICY, 1, NULL), WB_EMISUSE);
    POLICY->escalation[0] = 3;  /* decreasing into escalation2 */
    assert_int_equal(wb_severity_escalation(POLICY, 1, &level), WB_EPOLICY);
}

static void difficulty_grows_with_severity_people_and_time(void **state)
{
    int32_t d = 0, prev = -1;
    /* Rule 7: the smaller the problem, the easier. */
    for (int32_t s = 1; s <= 5; s++) {
        assert_int_equal(wb_difficulty_bp(POLICY, s, 0, 0, &d), WB_OK);
        assert_true(d > prev);
        prev = d;
    }
    assert_int_equal(wb_difficulty_bp(POLICY, 1, 0, 0, &d), WB_OK);
    assert_int_equal(d, 1000);
    /* Rule 8: a rude guard (severity 2, people) vs a late truck: 1.5x. */
    assert_int_equal(wb_difficulty_bp(POLICY, 2, 1, 0, &d), WB_OK);
    assert_int_equal(d, 4500);
    /* Rule 6: 60 days later, +2 x 5 %. */
    assert_int_equal(wb_difficulty_bp(POLICY, 2, 1, 60, &d), WB_OK);
    assert_int_equal(d, 5500);
    assert_int_equal(wb_difficulty_bp(POLICY, 2, 1, 59, &d), WB_OK);
    assert_int_equal(d, 5483);            /* 500 * 59 / 30 = 983 */
    /* Capped at 100 %. */
    assert_int_equal(wb_difficulty_bp(POLICY, 4, 1, 0, &d), WB_OK);
    assert_int_equal(d, 10000);
    assert_int_equal(wb_difficulty_bp(POLICY, 1, 1, INT32_MAX, &d), WB_OK);
    assert_int_equal(d, 10000);
}

/* The formula of the header in int64, against the library's int32 form,
 * over every policy weight's range (bounds included) and days from 0 to
 * INT32_MAX: equal everywhere, and never above 10000. */
static void difficulty_matches_the_formula(void **state)
{
    uint64_t rng = 0x2545F4914F6CDD1Du;
    for (int i = 0; i < 300000; i++) {
        xorshift64(&rng);
        int32_t base = (int32_t)(rng % 10001), human = (int32_t)((rng >> 14) % 90001) + 10000;
        int32_t rate = (int32_t)((rng >> 31) % 10001);
        int32_t days = (int32_t)((rng >> 33) >> ((rng >> 20) % 31));
        if (i % 97 == 0) { base = 10000; human = 100000; rate = 10000; }
        if (i % 89 == 0) days = INT32_MAX - (int32_t)(rng % 30);
        for (int k = 0; k < 5; k++)
            POLICY->severity_difficulty_bp[k] = base;
        POLICY->human_factor_bp = human;
        POLICY->incident_age_bp_per_30d = rate;
        int32_t h = (int32_t)(rng >> 63), d = -1;
        int64_t want = h ? (int64_t)base * human / 10000 : base;
        want += (int64_t)rate * days / 30;
        if (want > 10000)
            want = 10000;
        assert_int_equal(wb_difficulty_bp(POLICY, 3, h, days, &d), WB_OK);
        assert_int_equal(d, want);
    }
}

static void difficulty_errors(void **state)
{
    int32_t d = 7;
    assert_int_equal(wb_difficulty_bp(POLICY, 0, 0, 0, &d), WB_ESEVERITY);
    assert_int_equal(wb_difficulty_bp(POLICY, 6, 0, 0, &d), WB_ESEVERITY);
    assert_int_equal(wb_difficulty_bp(POLICY, 3, 0, -1, &d), WB_EINVAL);
    assert_int_equal(wb_difficulty_bp(POLICY, 3, 0, 0, NULL), WB_EMISUSE);
    assert_int_equal(wb_difficulty_bp(NULL, 3, 0, 0, &d), WB_EMISUSE);
    assert_int_equal(d, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(escalation_defaults, policy_setup),
        cmocka_unit_test_setup(difficulty_grows_with_severity_people_and_time, policy_setup),
        cmocka_unit_test_setup(difficulty_matches_the_formula, policy_setup),
        cmocka_unit_test_setup(difficulty_errors, policy_setup),
    };
    return cmocka_run_group_tests_name("severity", tests, NULL, NULL);
}
