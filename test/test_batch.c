/* test_batch.c -- the batch calls and the layout check made for FFI hosts. */
#include "wb_test.h"

#define AS_OF D("2026-11-23")

static void customers(wb_customer *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(wb_customer_init(&c[i]), WB_OK);
        c[i].last_purchase = AS_OF - (int32_t)(i * 37 % 500);
        c[i].avg_check = 1000 + (int64_t)i * 13;
        c[i].purchases_per_year_x100 = 200;
        c[i].expected_years = 3;
        c[i].reason = (int32_t)(i % WB_REASON_COUNT);
        c[i].severity = (int32_t)(i % 6);
        c[i].incident_day = c[i].severity ? AS_OF - 10 : WB_DAY_NONE;
    }
}

/* Each row's plan and status are what wb_decide gives for it alone. */
static void decide_many_equals_decide(void **state)
{
    enum { N = 200 };
    static wb_customer c[N];
    static wb_plan plans[N], one;
    int32_t status[N];
    size_t failed = 99;
    customers(c, N);
    c[7].severity = 9;                      /* a bad row */
    c[8].last_purchase = AS_OF + 1;         /* and another */
    memset(plans, 0x5A, sizeof plans);
    assert_int_equal(wb_decide_many(POLICY, c, N, AS_OF, plans, status, &failed), WB_OK);
    assert_int_equal(failed, 2);
    for (size_t i = 0; i < N; i++) {
        memset(&one, 0x5A, sizeof one);
        assert_int_equal(status[i], wb_decide(POLICY, &c[i], AS_OF, &one));
        assert_memory_equal(&plans[i], &one, sizeof one);   /* untouched when bad */
    }
    assert_int_equal(status[7], WB_ESEVERITY);
    assert_int_equal(status[8], WB_EFUTURE);
    /* The call itself fails only before writing anything. */
    POLICY->tier2_days = 10;
    memset(status, 0x11, sizeof status);
    assert_int_equal(wb_decide_many(POLICY, c, N, AS_OF, plans, status, NULL), WB_EPOLICY);
    assert_int_equal(status[0], 0x11111111);
    assert_int_equal(wb_decide_many(POLICY, NULL, N, AS_OF, plans, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_policy_init(POLICY), WB_OK);
    assert_int_equal(wb_decide_many(POLICY, c, N, AS_OF, plans, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_decide_many(POLICY, NULL, 0, AS_OF, NULL, NULL, &failed), WB_OK);
    assert_int_equal(failed, 0);
}

static void classify_many_equals_classify(void **state)
{
    const int32_t days[] = {AS_OF, AS_OF - 30, AS_OF - 90, AS_OF - 200, AS_OF - 400,
                            WB_DAY_NONE, AS_OF + 1};
    enum { N = sizeof days / sizeof days[0] };
    int32_t cls[N], since[N], bp[N], status[N];
    size_t failed;
    memset(cls, 0x5A, sizeof cls);
    assert_int_equal(wb_classify_many(POLICY, days, N, AS_OF, cls, since, bp, status,
                                      &failed), WB_OK);
    assert_int_equal(failed, 1);
    const int32_t want_cls[] = {WB_CLASS_ACTIVE, WB_CLASS_WATCH, WB_CLASS_TIER1,
                                WB_CLASS_TIER2, WB_CLASS_TIER3, WB_CLASS_NEVER};
    const int32_t want_bp[] = {0, 0, 1000, 1500, 2000, 0};
    for (size_t i = 0; i + 1 < N; i++) {
        assert_int_equal(status[i], WB_OK);
        assert_int_equal(cls[i], want_cls[i]);
        assert_int_equal(bp[i], want_bp[i]);
    }
    assert_int_equal(since[2], 90);
    assert_int_equal(status[N - 1], WB_EFUTURE);
    assert_int_equal(cls[N - 1], 0x5A5A5A5A);           /* untouched */
    assert_int_equal(wb_classify_many(POLICY, days, N, AS_OF, cls, NULL, NULL, status,
                                      NULL), WB_OK);
    assert_int_equal(wb_classify_many(POLICY, days, N, AS_OF, NULL, NULL, NULL, status,
                                      NULL), WB_EMISUSE);
}

/* The layout a binding checks is the compiler's. */
static void layout_is_the_structs(void **state)
{
    const char *name;
    size_t off, size, n;
    (void)state;
    assert_int_equal(wb_layout_version(), WB_LAYOUT_VERSION);
    assert_int_equal(wb_layout_size("wb_customer", &size), WB_OK);
    assert_int_equal(size, sizeof(wb_customer));
    assert_int_equal(wb_layout_size("wb_plan", &size), WB_OK);
    assert_int_equal(size, sizeof(wb_plan));
    assert_int_equal(wb_layout_size("wb_policy", &size), WB_ENOTFOUND);
    assert_int_equal(wb_layout_field("wb_customer", 0, &name, &off, &size), WB_OK);
    assert_string_equal(name, "size");
    assert_int_equal(wb_layout_field("wb_customer", 16, &name, &off, &size), WB_OK);
    assert_string_equal(name, "avg_check");
    assert_int_equal(off, offsetof(wb_customer, avg_check));
    assert_int_equal(size, 8);
    /* Every field in order, touching the next, up to the struct's size. */
    const char *types[] = {"wb_customer", "wb_plan"};
    for (int t = 0; t < 2; t++) {
        size_t end = 0, total;
        assert_int_equal(wb_layout_size(types[t], &total), WB_OK);
        for (n = 0; wb_layout_field(types[t], n, &name, &off, &size) == WB_OK; n++) {
            assert_true(off >= end);
            end = off + size;
        }
        assert_int_equal(end, total);
    }
    assert_int_equal(wb_layout_field("wb_plan", 15, &name, &off, &size), WB_OK);
    assert_string_equal(name, "channel");
    assert_int_equal(off, offsetof(wb_plan, channel));
    assert_int_equal(wb_layout_field("wb_plan", 99, &name, &off, &size), WB_ENOTFOUND);
    assert_int_equal(wb_layout_field("nope", 0, &name, &off, &size), WB_ENOTFOUND);
    assert_int_equal(wb_layout_field(NULL, 0, &name, &off, &size), WB_EMISUSE);
}

static void models_over_arrays(void **state)
{
    const wb_bgnbd m = {0.243, 4.414, 0.793, 2.426};
    const wb_gg g = {6.25, 3.74, 15.44};
    wb_rfm c[4] = {{2, 30.43, 38.86, 22.35}, {0, 0, 38.86, 0}, {6, 37.71, 38.86, 11.77},
                   {1, 50, 40, 5}};                      /* t_x > T: bad */
    double out[4], one;
    int32_t status[4];
    size_t failed;
    (void)state;
    memset(out, 0, sizeof out);
    assert_int_equal(wb_bgnbd_p_alive_many(&m, c, 4, out, status, &failed), WB_OK);
    assert_int_equal(failed, 1);
    assert_int_equal(status[3], WB_EINVAL);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wb_bgnbd_p_alive(&m, &c[i], &one, NULL), WB_OK);
        assert_true(out[i] == one);
    }
    assert_int_equal(wb_bgnbd_expected_many(&m, c, 3, 39, out, status, NULL), WB_OK);
    assert_int_equal(wb_bgnbd_expected(&m, &c[2], 39, &one), WB_OK);
    assert_true(out[2] == one);
    assert_int_equal(wb_gg_expected_spend_many(&g, c, 3, out, status, NULL), WB_OK);
    assert_int_equal(wb_gg_expected_spend(&g, &c[0], &one), WB_OK);
    assert_true(out[0] == one);
    assert_int_equal(wb_bgnbd_clv_many(&m, &g, c, 3, 1.0, 12, 4.345, 0.01, out, status,
                                       &failed), WB_OK);
    double spend;
    assert_int_equal(wb_gg_expected_spend(&g, &c[2], &spend), WB_OK);
    assert_int_equal(wb_bgnbd_clv(&m, &c[2], spend, 12, 4.345, 0.01, &one), WB_OK);
    assert_true(out[2] == one);
    assert_int_equal(wb_bgnbd_p_alive_many(NULL, c, 3, out, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_p_alive_many(&m, c, 3, out, NULL, NULL), WB_EMISUSE);
    /* Every call: a missing model or array is refused before anything is
     * written; no rows need no arrays. */
    assert_int_equal(wb_bgnbd_p_alive_many(&m, NULL, 3, out, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_p_alive_many(&m, c, 3, NULL, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_p_alive_many(&m, NULL, 0, NULL, NULL, NULL), WB_OK);
    assert_int_equal(wb_bgnbd_expected_many(NULL, c, 3, 39, out, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected_many(&m, NULL, 3, 39, out, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected_many(&m, c, 3, 39, NULL, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected_many(&m, c, 3, 39, out, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_expected_spend_many(NULL, c, 3, out, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_expected_spend_many(&g, NULL, 3, out, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_expected_spend_many(&g, c, 3, NULL, status, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_expected_spend_many(&g, c, 3, out, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv_many(NULL, &g, c, 3, 1.0, 12, 4.345, 0.01, out, status, NULL),
                     WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv_many(&m, NULL, c, 3, 1.0, 12, 4.345, 0.01, out, status, NULL),
                     WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv_many(&m, &g, NULL, 3, 1.0, 12, 4.345, 0.01, out, status, NULL),
                     WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv_many(&m, &g, c, 3, 1.0, 12, 4.345, 0.01, NULL, status, NULL),
                     WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv_many(&m, &g, c, 3, 1.0, 12, 4.345, 0.01, out, NULL, NULL),
                     WB_EMISUSE);
    /* A customer the spend model refuses fails its CLV row alone. */
    assert_int_equal(wb_bgnbd_clv_many(&m, &g, c, 4, 1.0, 12, 4.345, 0.01, out, status,
                                       &failed), WB_OK);
    assert_int_equal(failed, 1);
    assert_int_equal(status[3], WB_EINVAL);
}

static void ledger_as_columns(void **state)
{
    wb_ledger *l;
    (void)state;
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    assert_int_equal(wb_ledger_add(l, "B2", 2, 100, 500), WB_OK);
    assert_int_equal(wb_ledger_add(l, "A1", 2, 10, 1000), WB_OK);
    assert_int_equal(wb_ledger_add(l, "A1", 2, 24, 300), WB_OK);
    assert_int_equal(wb_ledger_add(l, "A1", 2, 24, 200), WB_OK);
    assert_int_equal(wb_ledger_add(l, "customer-with-a-long-id", 23, 50, 7), WB_OK);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_id_bytes(l), 27);
    char ids[27];
    uint64_t off[4];
    int32_t first[3], last[3], rows[3], days[3];
    int64_t total[3], avg[3];
    int32_t returns[3], lost[3];
    double x[3], t_x[3], T[3], m[3];
    wb_ledger_columns cols = {sizeof cols, 0, ids, off, first, last, rows, days, total,
                              avg, returns, lost, x, t_x, T, m};
    assert_int_equal(wb_ledger_export(l, NULL, 108, 7, &cols), WB_OK);
    assert_int_equal(avg[0], 750);              /* 1500 over 2 days */
    assert_int_equal(returns[0], 0);
    /* 84, 8 and 58 days since the last purchase: none lost at 90. */
    assert_int_equal(lost[0] | lost[1] | lost[2], 0);
    assert_memory_equal(ids, "A1B2customer-with-a-long-id", 27);
    assert_true(off[0] == 0 && off[1] == 2 && off[2] == 4 && off[3] == 27);
    assert_int_equal(first[0], 10);
    assert_int_equal(last[0], 24);
    assert_int_equal(rows[0], 3);
    assert_int_equal(days[0], 2);
    assert_int_equal(total[0], 1500);
    assert_true(x[0] == 1 && t_x[0] == 2 && T[0] == 14 && m[0] == 500);
    assert_true(x[1] == 0 && m[1] == 0);
    /* Columns may be skipped; the struct's size is checked. */
    wb_ledger_columns some = {sizeof some, 0, NULL, NULL, NULL, last, NULL, NULL, NULL,
                              NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(wb_ledger_export(l, NULL, 108, 7, &some), WB_OK);
    assert_int_equal(last[2], 50);
    /* Under a policy whose lost threshold is 30 days, B2 is lost too. */
    wb_policy p;
    assert_int_equal(wb_policy_init(&p), WB_OK);
    assert_int_equal(wb_policy_set(&p, "lost_class", WB_CLASS_WATCH), WB_OK);
    some.currently_lost = lost;
    assert_int_equal(wb_ledger_export(l, &p, 108, 7, &some), WB_OK);
    assert_int_equal(lost[0] + lost[2], 2);
    p.tier2_days = 1;
    assert_int_equal(wb_ledger_export(l, &p, 108, 7, &some), WB_EPOLICY);
    some.size = 8;
    assert_int_equal(wb_ledger_export(l, NULL, 108, 7, &some), WB_ESTRUCT);
    some.size = sizeof some;
    memset(last, 0x5A, sizeof last);
    assert_int_equal(wb_ledger_export(l, NULL, 99, 7, &some), WB_EFUTURE);
    assert_int_equal(last[0], 0x5A5A5A5A);      /* nothing written */
    assert_int_equal(wb_ledger_export(l, NULL, 108, 0, &some), WB_EINVAL);
    wb_ledger_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(decide_many_equals_decide, policy_setup),
        cmocka_unit_test_setup(classify_many_equals_classify, policy_setup),
        cmocka_unit_test(layout_is_the_structs),
        cmocka_unit_test(models_over_arrays),
        cmocka_unit_test(ledger_as_columns),
    };
    return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
