/* test_outcome.c -- R12: what a win-back campaign returned. */
#include "wb_test.h"

/* A: bought on days 100 and 130 (twice), was contacted on 350 and came
 * back on 400 (twice) and 420. B never came back. C came back 10 days
 * after the contact. Amounts in cents. */
static const int32_t A_DAYS[] = {100, 130, 130, 400, 400, 420};
static const int64_t A_AMOUNTS[] = {1000, 2000, 500, 3000, 1000, 1500};
static const int32_t B_DAYS[] = {100};
static const int64_t B_AMOUNTS[] = {1000};
static const int32_t C_DAYS[] = {200, 360};
static const int64_t C_AMOUNTS[] = {1000, 700};

static wb_contact_result outcome(const int32_t *d, const int64_t *a, size_t n,
                                 int32_t contact)
{
    wb_contact_result r;
    assert_int_equal(wb_contact_outcome(d, a, n, contact, 90, 600, &r), WB_OK);
    return r;
}

static void one_customer_against_the_contact(void **state)
{
    (void)state;
    wb_contact_result r = outcome(A_DAYS, A_AMOUNTS, 6, 350);
    assert_int_equal(r.returned, 1);            /* rule 11: an order */
    assert_int_equal(r.days_to_return, 50);
    assert_int_equal(r.trial_order, 4000);      /* both orders of day 400 */
    assert_int_equal(r.spend_before, 3500);
    assert_int_equal(r.orders_before, 2);       /* distinct days */
    assert_int_equal(r.spend_after, 5500);
    assert_int_equal(r.orders_after, 2);
    assert_int_equal(r.volume_after, 5500);     /* days 400..489 */
    assert_int_equal(r.volume_before, 3500);    /* days 41..130 */
    assert_int_equal(r.window_complete, 1);
    r = outcome(B_DAYS, B_AMOUNTS, 1, 350);
    assert_int_equal(r.returned, 0);
    assert_int_equal(r.days_to_return, -1);
    assert_int_equal(r.trial_order + r.volume_after + r.volume_before, 0);
    /* An order on the contact day is not a return; the window's last day
     * is (350 + 90 = 440). */
    const int32_t edge[] = {100, 350, 440};
    const int64_t amt[] = {1, 2, 3};
    r = outcome(edge, amt, 3, 350);
    assert_int_equal(r.days_to_return, 90);
    assert_int_equal(r.spend_before, 3);
    const int32_t late[] = {100, 441};
    r = outcome(late, amt, 2, 350);
    assert_int_equal(r.returned, 0);
    /* The data ends before the window does. */
    r = outcome(C_DAYS, C_AMOUNTS, 2, 550);
    assert_int_equal(r.window_complete, 0);
    /* Never bought: nothing before, nothing after. */
    assert_int_equal(wb_contact_outcome(NULL, NULL, 0, 350, 90, 600, &r), WB_OK);
    assert_int_equal(r.returned + r.orders_before, 0);
}

static void campaign_figures(void **state)
{
    (void)state;
    wb_contact_result r[3] = {outcome(A_DAYS, A_AMOUNTS, 6, 350),
                              outcome(B_DAYS, B_AMOUNTS, 1, 350),
                              outcome(C_DAYS, C_AMOUNTS, 2, 350)};
    wb_campaign_stats s;
    assert_int_equal(wb_campaign_outcome(r, 3, 300, 10000, &s), WB_OK);
    assert_int_equal(s.contacted, 3);
    assert_int_equal(s.returned, 2);
    assert_int_equal(s.return_rate_bp, 6667);
    /* Days back {10, 50}, nearest rank: q1 and median 10, q3 50. */
    assert_int_equal(s.days_q1, 10);
    assert_int_equal(s.days_median, 10);
    assert_int_equal(s.days_q3, 50);
    assert_int_equal(s.trial_total, 4700);
    assert_int_equal(s.spend_before, 5500);
    assert_int_equal(s.orders_before, 4);
    assert_int_equal(s.spend_after, 6200);
    assert_int_equal(s.orders_after, 3);
    assert_int_equal(s.volume_before, 4500);
    assert_int_equal(s.volume_after, 6200);
    assert_int_equal(s.volume_restored_bp, 13778);
    assert_int_equal(s.income, 6200);
    assert_int_equal(s.romi_known, 1);
    assert_int_equal(s.romi_bp, 196667);        /* (62 - 3) / 3 */
    /* [Rules]: $285 of trigger e-mails brought back $8 325 (R5). */
    wb_contact_result big = {.returned = 1, .days_to_return = 5, .window_complete = 1,
                             .spend_after = 832500};
    assert_int_equal(wb_campaign_outcome(&big, 1, 28500, 10000, &s), WB_OK);
    assert_int_equal(s.romi_bp, 282105);
    /* On a 40 % margin; no cost: no ROMI. */
    assert_int_equal(wb_campaign_outcome(r, 3, 300, 4000, &s), WB_OK);
    assert_int_equal(s.income, 2480);
    assert_int_equal(wb_campaign_outcome(r, 3, 0, 10000, &s), WB_OK);
    assert_int_equal(s.romi_known, 0);
    /* Nobody came back: no quartiles. */
    assert_int_equal(wb_campaign_outcome(&r[1], 1, 100, 10000, &s), WB_OK);
    assert_int_equal(s.days_median, -1);
    assert_int_equal(s.return_rate_bp, 0);
    /* Quartiles of 1..8 days: ranks 2, 4, 6. */
    wb_contact_result eight[8];
    for (int i = 0; i < 8; i++)
        eight[i] = (wb_contact_result){.returned = 1, .days_to_return = 8 - i};
    assert_int_equal(wb_campaign_outcome(eight, 8, 0, 10000, &s), WB_OK);
    assert_int_equal(s.days_q1, 2);
    assert_int_equal(s.days_median, 4);
    assert_int_equal(s.days_q3, 6);
    assert_int_equal(wb_campaign_outcome(NULL, 0, 0, 10000, &s), WB_OK);
    assert_int_equal(s.contacted, 0);
}

static void bad_input(void **state)
{
    (void)state;
    wb_contact_result r, before;
    memset(&r, 0x5A, sizeof r);
    before = r;
    const int32_t unsorted[] = {20, 10};
    const int64_t amounts[] = {1, 1};
    const int64_t negative[] = {1, -1};
    const int32_t sorted[] = {10, 20};
    assert_int_equal(wb_contact_outcome(sorted, amounts, 2, 601, 90, 600, &r), WB_EFUTURE);
    assert_int_equal(wb_contact_outcome(sorted, amounts, 2, 300, 0, 600, &r), WB_EINVAL);
    assert_int_equal(wb_contact_outcome(sorted, amounts, 2, 300, 36501, 600, &r), WB_EINVAL);
    assert_int_equal(wb_contact_outcome(unsorted, amounts, 2, 300, 90, 600, &r), WB_EORDER);
    assert_int_equal(wb_contact_outcome(sorted, negative, 2, 300, 90, 600, &r), WB_EINVAL);
    assert_int_equal(wb_contact_outcome(NULL, amounts, 2, 300, 90, 600, &r), WB_EMISUSE);
    assert_int_equal(wb_contact_outcome(sorted, amounts, 2, 300, 90, WB_DAY_MAX + 1, &r), WB_EDATE);
    const int64_t huge[] = {INT64_MAX, 1};
    assert_int_equal(wb_contact_outcome(sorted, huge, 2, 300, 90, 600, &r), WB_ERANGE);
    assert_memory_equal(&r, &before, sizeof r);
    assert_int_equal(wb_contact_outcome(sorted, amounts, 2, 300, 90, 600, NULL), WB_EMISUSE);
    wb_campaign_stats s, s_before;
    memset(&s, 0x5A, sizeof s);
    s_before = s;
    wb_contact_result odd = {.returned = 1, .days_to_return = -1};
    assert_int_equal(wb_campaign_outcome(&odd, 1, 0, 10000, &s), WB_EINVAL);
    r = outcome(A_DAYS, A_AMOUNTS, 6, 350);
    assert_int_equal(wb_campaign_outcome(&r, 1, -1, 10000, &s), WB_EINVAL);
    assert_int_equal(wb_campaign_outcome(&r, 1, 0, 10001, &s), WB_EINVAL);
    wb_contact_result two[2] = {r, r};
    two[0].spend_after = two[1].spend_after = INT64_MAX / 2 + 1;
    assert_int_equal(wb_campaign_outcome(two, 2, 0, 10000, &s), WB_ERANGE);
    assert_memory_equal(&s, &s_before, sizeof s);
    assert_int_equal(wb_campaign_outcome(NULL, 1, 0, 10000, &s), WB_EMISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_customer_against_the_contact),
        cmocka_unit_test(campaign_figures),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
