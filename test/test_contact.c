/* test_contact.c -- R8 approach and contact cadence. */
#include "wb_test.h"

static void approach_by_reason(void **state)
{
    int32_t a = -1;
    const int32_t expected[WB_REASON_COUNT] = {
        WB_APPROACH_ASK_WHY, WB_APPROACH_PRICE_MATCH, WB_APPROACH_PERSONAL_CALL,
        WB_APPROACH_REMINDER, WB_APPROACH_RELATED_PRODUCTS,
        WB_APPROACH_SHOW_CHANGES, WB_APPROACH_KEEP_IN_TOUCH,
        WB_APPROACH_KEEP_IN_TOUCH, WB_APPROACH_PERSONAL_CALL,
        WB_APPROACH_PERSONAL_CALL};
    (void)state;
    for (int32_t r = 0; r < WB_REASON_COUNT; r++) {
        assert_int_equal(wb_reason_approach(r, 0, &a), WB_OK);
        assert_int_equal(a, expected[r]);
    }
    /* [Rules]: the office moved to a city we serve. */
    assert_int_equal(wb_reason_approach(WB_REASON_MOVED, 1, &a), WB_OK);
    assert_int_equal(a, WB_APPROACH_REMINDER);
    assert_int_equal(wb_reason_approach(WB_REASON_PRICE, 1, &a), WB_OK);
    assert_int_equal(a, WB_APPROACH_PRICE_MATCH);
    assert_int_equal(wb_reason_approach(WB_REASON_COUNT, 0, &a), WB_EINVAL);
    assert_int_equal(wb_reason_approach(-1, 0, &a), WB_EINVAL);
    assert_int_equal(wb_reason_approach(1, 0, NULL), WB_EMISUSE);
}

static void repeat_call_cadence(void **state)
{
    int32_t next = 0, now = -1, as_of = D("2026-11-23");
    /* Called two days ago: not yet, allowed the day after tomorrow... */
    assert_int_equal(wb_next_contact(POLICY, as_of - 2, as_of, &next, &now), WB_OK);
    assert_int_equal(next, as_of + 1);
    assert_int_equal(now, 0);
    /* ...exactly 3 days ago: allowed today. */
    assert_int_equal(wb_next_contact(POLICY, as_of - 3, as_of, &next, &now), WB_OK);
    assert_int_equal(next, as_of);
    assert_int_equal(now, 1);
    assert_int_equal(wb_next_contact(POLICY, WB_DAY_NONE, as_of, &next, NULL), WB_OK);
    assert_int_equal(next, as_of);
    assert_int_equal(wb_next_contact(POLICY, as_of, as_of, &next, &now), WB_OK);
    assert_int_equal(next, as_of + 3);
    assert_int_equal(wb_next_contact(POLICY, as_of + 1, as_of, &next, &now), WB_EFUTURE);
    assert_int_equal(wb_next_contact(POLICY, WB_DAY_MAX, WB_DAY_MAX, &next, &now), WB_EDATE);
    assert_int_equal(wb_next_contact(POLICY, 0, WB_DAY_MAX + 1, &next, &now), WB_EDATE);
    assert_int_equal(wb_next_contact(POLICY, WB_DAY_MIN - 1, 0, &next, &now), WB_EDATE);
    assert_int_equal(wb_next_contact(POLICY, 0, 0, NULL, &now), WB_EMISUSE);
}

static void cart_and_newsletter_reminders(void **state)
{
    int32_t day = 0, cart = D("2026-11-23");
    assert_int_equal(wb_cart_reminder_day(POLICY, cart, 0, &day), WB_OK);
    assert_int_equal(day, cart);          /* right away */
    assert_int_equal(wb_cart_reminder_day(POLICY, cart, 1, &day), WB_OK);
    assert_int_equal(day, cart + 1);      /* the next day */
    assert_int_equal(wb_cart_reminder_day(POLICY, cart, 2, &day), WB_OK);
    assert_int_equal(day, cart + 5);      /* after 5..7 days */
    assert_int_equal(wb_cart_reminder_day(POLICY, cart, 3, &day), WB_EINVAL);
    assert_int_equal(wb_cart_reminder_day(POLICY, cart, -1, &day), WB_EINVAL);
    assert_int_equal(wb_cart_reminder_day(POLICY, WB_DAY_MAX, 2, &day), WB_EDATE);
    assert_int_equal(wb_newsletter_day(POLICY, cart, &day), WB_OK);
    assert_int_equal(day, cart + 60);
    assert_int_equal(wb_newsletter_day(POLICY, WB_DAY_NONE, &day), WB_EDATE);
    assert_int_equal(wb_newsletter_day(POLICY, 0, NULL), WB_EMISUSE);
    assert_int_equal(wb_cart_reminder_day(POLICY, 0, 0, NULL), WB_EMISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(approach_by_reason),
        cmocka_unit_test_setup(repeat_call_cadence, policy_setup),
        cmocka_unit_test_setup(cart_and_newsletter_reminders, policy_setup),
    };
    return cmocka_run_group_tests_name("contact", tests, NULL, NULL);
}
