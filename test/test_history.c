/* test_history.c -- R6 losses and returns from a purchase history. */
#include <stdlib.h>

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
    POLICY->loss_rhythm_factor = 0;       /* the threshold alone, as before */
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

/* Revision 2: a gap is a loss only against the customer's own rhythm. */
static void a_steady_rhythm_is_no_loss(void **state)
{
    /* Every four months: 120-day gaps, each far past the 90-day threshold,
     * used to make three "losses and returns" a year. */
    const int32_t every_120[] = {0, 120, 240, 360, 480};
    wb_history h = losses(state, every_120, 5, 500);
    assert_int_equal(h.returns, 0);
    assert_int_equal(h.sensitive, 0);
    /* A yearly buyer: its rhythm is a year, so 365 days is no loss. */
    const int32_t yearly[] = {0, 365, 730, 1095};
    h = losses(state, yearly, 4, 1100);
    assert_int_equal(h.returns, 0);
    /* Factor 0: the threshold-only count of revision 1. */
    POLICY->loss_rhythm_factor = 0;
    assert_int_equal(losses(state, every_120, 5, 500).returns, 4);
    assert_int_equal(losses(state, yearly, 4, 1100).returns, 3);
}

static void a_gap_against_the_median_of_the_others(void **state)
{
    /* Other gaps 30, 40, 50 (median 40): 120 = 3 x 40 is a loss, 119 not. */
    const int32_t at[] = {0, 30, 70, 120, 240};
    const int32_t under[] = {0, 30, 70, 120, 239};
    assert_int_equal(losses(state, at, 5, 240).returns, 1);
    assert_int_equal(losses(state, under, 5, 239).returns, 0);
    /* An even number of other gaps, 30 and 51: their median is 40.5, and
     * 3 x 40.5 = 121.5 is compared exactly: 122 is a loss, 121 is not. */
    const int32_t even_at[] = {0, 30, 81, 203};
    const int32_t even_under[] = {0, 30, 81, 202};
    assert_int_equal(losses(state, even_at, 4, 203).returns, 1);
    assert_int_equal(losses(state, even_under, 4, 202).returns, 0);
    /* Both tests: 3 x the rhythm but under the lost threshold is no loss. */
    const int32_t quick[] = {0, 10, 20, 30, 89};       /* 59 = 5.9 x 10 < 90 */
    assert_int_equal(losses(state, quick, 5, 89).returns, 0);
    /* Two gaps: each is compared with the other. */
    const int32_t two[] = {0, 200, 210};
    wb_history h = losses(state, two, 3, 210);
    assert_int_equal(h.returns, 1);          /* 200 >= 3 x 10 and >= 90 */
    /* Same-day purchases are one visit: gaps 30, 30, 140. */
    const int32_t same_day[] = {0, 0, 30, 30, 60, 200};
    assert_int_equal(losses(state, same_day, 6, 200).returns, 1);
}

static void one_completed_gap_has_no_rhythm(void **state)
{
    /* One gap of 400 days: nothing to compare it with, so only the current
     * lapse can count. */
    const int32_t once[] = {0, 400};
    wb_history h = losses(state, once, 2, 400 + 90);
    assert_int_equal(h.returns, 0);
    assert_int_equal(h.currently_lost, 1);
    assert_int_equal(h.losses, 1);
    POLICY->loss_rhythm_factor = 0;
    assert_int_equal(losses(state, once, 2, 400).returns, 1);
}

/* Property: with any factor, returns never exceed the threshold-only count:
 * the rhythm only removes losses. */
static void rhythm_only_removes_losses(void **state)
{
    uint64_t seed = 42;
    int32_t d[40];
    for (int round = 0; round < 2000; round++) {
        size_t n = 1 + xorshift64(&seed) % 40;
        d[0] = 0;
        for (size_t i = 1; i < n; i++)
            d[i] = d[i - 1] + (int32_t)(xorshift64(&seed) % 300);
        POLICY->loss_rhythm_factor = 0;
        int32_t plain = losses(state, d, n, d[n - 1]).returns;
        POLICY->loss_rhythm_factor = (int32_t)(1 + xorshift64(&seed) % 5);
        int32_t rhythm = losses(state, d, n, d[n - 1]).returns;
        assert_true(rhythm <= plain);
    }
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

/* R13: when the losses happened. [Lost-customers] step 2 counts losses by
 * month: each is dated by the day the customer crossed the threshold. */
static void loss_events_are_dated(void **state)
{
    /* Lost on day 10 + 90 = 100, back on 200; lost again on 210 + 90. */
    const int32_t days[] = {0, 10, 200, 210};
    wb_loss_event ev[4];
    size_t n = 99;
    POLICY->loss_rhythm_factor = 0;
    assert_int_equal(wb_history_events(POLICY, days, 4, 300, ev, 4, &n), WB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].last_purchase, 10);
    assert_int_equal(ev[0].lost_day, 100);
    assert_int_equal(ev[0].returned_day, 200);
    assert_int_equal(ev[1].last_purchase, 210);
    assert_int_equal(ev[1].lost_day, 300);          /* exactly 90 days: lost */
    assert_int_equal(ev[1].returned_day, WB_DAY_NONE);
    assert_int_equal(ev[0].reserved | ev[1].reserved, 0);
    /* One day earlier the second loss has not happened yet. */
    assert_int_equal(wb_history_events(POLICY, days, 4, 299, ev, 4, &n), WB_OK);
    assert_int_equal(n, 1);
    /* Counting first: no array, and a short array gets the first ones. */
    assert_int_equal(wb_history_events(POLICY, days, 4, 300, NULL, 0, &n), WB_OK);
    assert_int_equal(n, 2);
    memset(ev, 0x3C, sizeof ev);
    assert_int_equal(wb_history_events(POLICY, days, 4, 300, ev, 1, &n), WB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].lost_day, 100);
    assert_int_equal(ev[1].lost_day, 0x3C3C3C3C);  /* not written */
    /* The rhythm test applies as in wb_history_losses: a buyer every 120
     * days has no loss until the current lapse. */
    POLICY->loss_rhythm_factor = 3;
    const int32_t steady[] = {0, 120, 240, 360};
    assert_int_equal(wb_history_events(POLICY, steady, 4, 500, ev, 4, &n), WB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].lost_day, 450);
    assert_int_equal(wb_history_events(POLICY, NULL, 0, 500, ev, 4, &n), WB_OK);
    assert_int_equal(n, 0);
    /* Errors as wb_history_losses's. */
    const int32_t unsorted[] = {10, 5};
    assert_int_equal(wb_history_events(POLICY, unsorted, 2, 100, ev, 4, &n), WB_EORDER);
    assert_int_equal(wb_history_events(POLICY, days, 4, 100, ev, 4, &n), WB_EFUTURE);
    assert_int_equal(wb_history_events(POLICY, days, 4, 300, NULL, 4, &n), WB_EMISUSE);
    assert_int_equal(wb_history_events(POLICY, days, 4, 300, ev, 4, NULL), WB_EMISUSE);
}

/* Property: the events are exactly the losses wb_history_losses counts,
 * returned ones first, each dated threshold days after its purchase. */
static void events_match_the_counts(void **state)
{
    uint64_t seed = 7;
    int32_t d[40];
    wb_loss_event ev[41];
    for (int round = 0; round < 2000; round++) {
        size_t n = 1 + xorshift64(&seed) % 40, count;
        d[0] = 0;
        for (size_t i = 1; i < n; i++)
            d[i] = d[i - 1] + (int32_t)(xorshift64(&seed) % 300);
        POLICY->loss_rhythm_factor = (int32_t)(xorshift64(&seed) % 4);
        int32_t as_of = d[n - 1] + (int32_t)(xorshift64(&seed) % 200);
        wb_history h = losses(state, d, n, as_of);
        assert_int_equal(wb_history_events(POLICY, d, n, as_of, ev, 41, &count), WB_OK);
        assert_int_equal(count, (size_t)h.losses);
        for (size_t k = 0; k < count; k++) {
            assert_int_equal(ev[k].lost_day, ev[k].last_purchase + 90);
            assert_true(k + 1 < count || !h.currently_lost
                            ? ev[k].returned_day > ev[k].lost_day - 1
                            : ev[k].returned_day == WB_DAY_NONE);
        }
    }
}

static int by_int(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The rule's words, naively: a completed gap is a return when it is at
 * least the threshold and at least factor x the median of the OTHER gaps
 * (between distinct days). */
static int32_t reference_returns(const int32_t *d, size_t n, int32_t lost, int32_t factor)
{
    int32_t gaps[400], others[400], m = 0, returns = 0;
    for (size_t i = 1; i < n; i++)
        if (d[i] > d[i - 1])
            gaps[m++] = d[i] - d[i - 1];
    if (m < 2)
        return 0;
    for (int32_t i = 0; i < m; i++) {
        if (gaps[i] < lost)
            continue;
        int32_t k = 0;
        for (int32_t j = 0; j < m; j++)
            if (j != i)
                others[k++] = gaps[j];
        qsort(others, (size_t)k, sizeof others[0], by_int);
        int32_t twice_median = k % 2 ? 2 * others[k / 2] : others[k / 2 - 1] + others[k / 2];
        returns += 2 * gaps[i] >= factor * twice_median;
    }
    return returns;
}

/* Property: the library's rhythm test is the rule's, for histories short
 * and long (hosts sort up to 32 gaps and select up to 256, then bisect;
 * firmware always bisects: all must agree). Gaps drawn from a few values
 * make ties around the median, which selection must get right. */
static void rhythm_equals_the_rule(void **state)
{
    uint64_t seed = 99;
    int32_t d[400];
    POLICY->loss_rhythm_factor = 3;
    for (int round = 0; round < 3000; round++) {
        size_t n = 2 + xorshift64(&seed) % (round % 3 ? 62 : 398);
        d[0] = 0;
        int32_t span = round % 2 ? 400 : 60, step = 1;
        if (round % 10 == 0) {      /* gaps of 0, 50, 100 or 150 days: ties */
            span = 4;
            step = 50;
        }
        for (size_t i = 1; i < n; i++)
            d[i] = d[i - 1] + (int32_t)(xorshift64(&seed) % (uint64_t)span) * step;
        int32_t want = reference_returns(d, n, 90, 3);
        if (losses(state, d, n, d[n - 1]).returns != want)
            fail_msg("round %d, %zu days: %d returns, the rule says %d", round, n,
                     losses(state, d, n, d[n - 1]).returns, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(never_bought_is_not_lost, policy_setup),
        cmocka_unit_test_setup(steady_buyer, policy_setup),
        cmocka_unit_test_setup(lost_once_and_returned, policy_setup),
        cmocka_unit_test_setup(lost_returned_lost_again, policy_setup),
        cmocka_unit_test_setup(same_day_purchases_and_threshold_from_policy, policy_setup),
        cmocka_unit_test_setup(a_steady_rhythm_is_no_loss, policy_setup),
        cmocka_unit_test_setup(a_gap_against_the_median_of_the_others, policy_setup),
        cmocka_unit_test_setup(one_completed_gap_has_no_rhythm, policy_setup),
        cmocka_unit_test_setup(rhythm_only_removes_losses, policy_setup),
        cmocka_unit_test_setup(bad_histories, policy_setup),
        cmocka_unit_test_setup(loss_events_are_dated, policy_setup),
        cmocka_unit_test_setup(events_match_the_counts, policy_setup),
        cmocka_unit_test_setup(rhythm_equals_the_rule, policy_setup),
    };
    return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
