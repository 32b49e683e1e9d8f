/* test_contract.c -- "outputs are written only on success", for every
 * public function with an out-parameter: each output is filled with a
 * sentinel, each documented error is forced, and the sentinel must survive.
 */
#include <math.h>

#include "wb_test.h"

#define SENTINEL 0xA5

/* Four output areas, aligned for any type. */
static union area {
    max_align_t align;
    unsigned char bytes[512];
} out[4];

#define O(i, T) ((T *)(void *)out[i].bytes)

static void fill(void)
{
    memset(out, SENTINEL, sizeof out);
}

static int untouched(void)
{
    for (size_t i = 0; i < sizeof out; i++)
        if (((const unsigned char *)out)[i] != SENTINEL)
            return 0;
    return 1;
}

/* The call must fail with `status` and leave every output as it was. */
#define EXPECT(call, status)                                   \
    do {                                                       \
        fill();                                                \
        assert_int_equal((call), (status));                    \
        if (!untouched())                                      \
            fail_msg("%s wrote an output on error", #call);    \
    } while (0)

static void core_days_and_amounts(void **state)
{
    (void)state;
    EXPECT(wb_day_from_ymd(2025, 2, 29, O(0, int32_t)), WB_EDATE);
    EXPECT(wb_day_to_ymd(WB_DAY_MAX + 1, O(0, int32_t), O(1, int32_t), O(2, int32_t)), WB_EDATE);
    EXPECT(wb_day_parse("2025-02-29", 10, O(0, int32_t)), WB_EDATE);
    EXPECT(wb_day_parse("tomorrow", 8, O(0, int32_t)), WB_ESYNTAX);
    EXPECT(wb_day_format(0, O(0, char), 5), WB_EBUFFER);
    EXPECT(wb_day_format(WB_DAY_MAX + 1, O(0, char), 64), WB_EDATE);
    EXPECT(wb_amount_parse("1.005", 5, 2, 0, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_amount_parse("99999999999999999999", 20, 2, 0, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_amount_parse("1e3", 3, 2, 0, O(0, int64_t)), WB_ESYNTAX);
    EXPECT(wb_amount_parse("1", 1, 10, 0, O(0, int64_t)), WB_EINVAL);
}

static void core_policy(void **state)
{
    wb_policy before;
    EXPECT(wb_policy_get(POLICY, "no_such_key", O(0, int64_t)), WB_EKEY);
    EXPECT(wb_policy_range("no_such_key", O(0, int64_t), O(1, int64_t)), WB_EKEY);
    before = *POLICY;
    EXPECT(wb_policy_set(POLICY, "tier1_days", -1), WB_EPOLICY);
    assert_memory_equal(&before, POLICY, sizeof before);
    EXPECT(wb_policy_set(POLICY, "no_such_key", 1), WB_EKEY);
    assert_memory_equal(&before, POLICY, sizeof before);
}

static void core_rules(void **state)
{
    static const int64_t too_much[] = {INT64_MAX, 1};
    static const int64_t negative[] = {-1};
    static const int32_t unsorted[] = {20, 10};
    EXPECT(wb_classify(POLICY, 10, 5, O(0, int32_t), O(1, int32_t)), WB_EFUTURE);
    EXPECT(wb_ladder_bp(POLICY, 99, O(0, int32_t)), WB_EINVAL);
    EXPECT(wb_discount_apply(-1, 100, 0, O(0, int64_t), O(1, int64_t)), WB_EINVAL);
    EXPECT(wb_discount_apply(100, 10001, 0, O(0, int64_t), O(1, int64_t)), WB_EINVAL);
    EXPECT(wb_clv_simple(INT64_MAX, 2, 1, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_clv_simple(-1, 2, 1, O(0, int64_t)), WB_EINVAL);
    EXPECT(wb_clv_centi(INT64_MAX, 200, 1, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_apply_margin(INT64_MIN, -10000, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_apply_margin(1, 10001, O(0, int64_t)), WB_EINVAL);
    EXPECT(wb_value_to_date(too_much, 2, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_value_to_date(negative, 1, O(0, int64_t)), WB_EINVAL);
    EXPECT(wb_clv_lost_base(2, INT64_MAX, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_clv_lost_base(-1, 1, O(0, int64_t)), WB_EINVAL);
    EXPECT(wb_winback_worth(1, -1, 1, O(0, int32_t)), WB_EINVAL);
    EXPECT(wb_romi_bp(1, 0, 10000, O(0, int64_t)), WB_EZERO);
    EXPECT(wb_romi_bp(INT64_MAX, 1, 10000, O(0, int64_t)), WB_ERANGE);
    EXPECT(wb_history_losses(POLICY, unsorted, 2, 30, O(0, wb_history)), WB_EORDER);
    EXPECT(wb_history_losses(POLICY, unsorted, 1, 5, O(0, wb_history)), WB_EFUTURE);
    EXPECT(wb_severity_escalation(POLICY, 6, O(0, int32_t)), WB_ESEVERITY);
    EXPECT(wb_difficulty_bp(POLICY, 3, 0, -1, O(0, int32_t)), WB_EINVAL);
    EXPECT(wb_reason_approach(99, 0, O(0, int32_t)), WB_EINVAL);
    EXPECT(wb_next_contact(POLICY, 10, 5, O(0, int32_t), O(1, int32_t)), WB_EFUTURE);
    EXPECT(wb_cart_reminder_day(POLICY, 0, 3, O(0, int32_t)), WB_EINVAL);
    EXPECT(wb_cart_reminder_day(POLICY, WB_DAY_MAX, 2, O(0, int32_t)), WB_EDATE);
    EXPECT(wb_newsletter_day(POLICY, WB_DAY_MAX, O(0, int32_t)), WB_EDATE);
    EXPECT(wb_base_health(POLICY, 0, 0, O(0, int32_t), O(1, int32_t)), WB_EZERO);
    EXPECT(wb_base_health(POLICY, 10, 11, O(0, int32_t), O(1, int32_t)), WB_EINVAL);
    EXPECT(wb_debt_writeoff(POLICY, -1, 0, O(0, int64_t)), WB_EINVAL);
    EXPECT(wb_due_reminder_day(POLICY, WB_DAY_MIN, O(0, int32_t)), WB_EDATE);
}

static void core_decision(void **state)
{
    wb_customer c;
    int32_t as_of = D("2026-11-23");
    assert_int_equal(wb_customer_init(&c), WB_OK);
    c.last_purchase = as_of + 1;
    EXPECT(wb_decide(POLICY, &c, as_of, O(0, wb_plan)), WB_EFUTURE);
    c.last_purchase = as_of - 200;
    c.severity = 6;
    EXPECT(wb_decide(POLICY, &c, as_of, O(0, wb_plan)), WB_ESEVERITY);
    c.severity = 0;
    c.complaints = -1;
    EXPECT(wb_decide(POLICY, &c, as_of, O(0, wb_plan)), WB_EINVAL);
    c.complaints = 0;
    c.avg_check = INT64_MAX;                  /* the computed CLV overflows */
    c.purchases_per_year_x100 = 1000;
    c.expected_years = 10;
    EXPECT(wb_decide(POLICY, &c, as_of, O(0, wb_plan)), WB_ERANGE);
}

static void io_ledger_and_reader(void **state)
{
    wb_ledger *l;
    wb_reader_config cfg;
    int32_t day = D("2024-01-01");
    wb_allocator half = {NULL, NULL, NULL, NULL};
    (void)state;
    EXPECT(wb_ledger_new(&half, O(0, wb_ledger *)), WB_EINVAL);
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    assert_int_equal(wb_ledger_add(l, "A", 1, day, 100), WB_OK);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    EXPECT(wb_ledger_find(l, POLICY, "B", 1, day, O(0, wb_ledger_customer)), WB_ENOTFOUND);
    EXPECT(wb_ledger_at(l, POLICY, day, 1, O(0, wb_ledger_customer)), WB_ENOTFOUND);
    EXPECT(wb_ledger_at(l, POLICY, day - 1, 0, O(0, wb_ledger_customer)), WB_EFUTURE);
    EXPECT(wb_ledger_days(l, 1, O(0, const int32_t *), O(1, size_t)), WB_ENOTFOUND);
    wb_ledger_free(l);
    assert_int_equal(wb_reader_config_init(&cfg), WB_OK);
    cfg.decimals = 10;
    EXPECT(wb_reader_new(&cfg, NULL, NULL, NULL, O(0, wb_reader *)), WB_EMISUSE);
}

static int ignore(void *ud, const wb_record *r)
{
    (void)ud;
    (void)r;
    return 0;
}

static void io_reader_config(void **state)
{
    wb_reader_config cfg;
    (void)state;
    assert_int_equal(wb_reader_config_init(&cfg), WB_OK);
    cfg.decimals = 10;
    EXPECT(wb_reader_new(&cfg, NULL, ignore, NULL, O(0, wb_reader *)), WB_EINVAL);
    cfg.decimals = 2;
    cfg.size = 1;
    EXPECT(wb_reader_new(&cfg, NULL, ignore, NULL, O(0, wb_reader *)), WB_ESTRUCT);
}

static void extras(void **state)
{
    static const int32_t days[] = {10, 20};
    static const wb_rfm once[] = {{0, 0, 10, 0}, {0, 0, 5, 0}};
    static const wb_rfm bad = {1, 20, 10, 0};     /* t_x > T */
    const wb_bgnbd m = {0.24, 4.4, 0.79, 2.4}, nan_m = {NAN, 4.4, 0.79, 2.4};
    const wb_gg q_low = {6.25, 0.5, 15.4};
    const wb_rfm c = {2, 20, 30, 10};
    wb_ledger_customer lc;
    (void)state;
    memset(&lc, 0, sizeof lc);
    lc.first_day = 10;
    lc.last_day = 20;
    lc.purchase_days = 2;
    EXPECT(wb_romi_ratio(1, 0, 10000, O(0, double)), WB_EZERO);
    EXPECT(wb_clv_discounted(1, 1.0, 0, 0, O(0, double)), WB_EINVAL);
    EXPECT(wb_clv_gupta_lehmann(1, 1.0, 0, O(0, double)), WB_EINVAL);
    EXPECT(wb_rfm_from_days(days, NULL, 0, 30, 7, O(0, wb_rfm)), WB_EINVAL);
    EXPECT(wb_rfm_from_days(days, NULL, 2, 5, 7, O(0, wb_rfm)), WB_EINVAL);
    EXPECT(wb_rfm_from_ledger(&lc, 15, 7, O(0, wb_rfm)), WB_EINVAL);
    EXPECT(wb_bgnbd_loglik(&nan_m, &c, 1, O(0, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_loglik(&m, &bad, 1, O(0, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_gradient(&nan_m, &c, 1, O(0, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_fit(once, 2, NULL, O(0, wb_bgnbd), O(1, double)), WB_EMODEL);
    EXPECT(wb_bgnbd_fit(&bad, 1, NULL, O(0, wb_bgnbd), O(1, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_p_alive(&nan_m, &c, O(0, double), O(1, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_expected(&m, &c, -1, O(0, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_expected_new(&m, -1, O(0, double)), WB_EINVAL);
    EXPECT(wb_bgnbd_clv(&m, &c, 10, 0, 4, 0.01, O(0, double)), WB_EINVAL);
    EXPECT(wb_gg_loglik(&q_low, &bad, 1, O(0, double), O(1, size_t)), WB_EINVAL);
    EXPECT(wb_gg_fit(once, 2, NULL, O(0, wb_gg), O(1, double)), WB_EMODEL);
    EXPECT(wb_gg_expected_spend(&q_low, &once[0], O(0, double)), WB_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(core_days_and_amounts),
        cmocka_unit_test_setup(core_policy, policy_setup),
        cmocka_unit_test_setup(core_rules, policy_setup),
        cmocka_unit_test_setup(core_decision, policy_setup),
        cmocka_unit_test_setup(io_ledger_and_reader, policy_setup),
        cmocka_unit_test(io_reader_config),
        cmocka_unit_test(extras),
    };
    return cmocka_run_group_tests_name("contract", tests, NULL, NULL);
}
