/* test_decide.c -- the decision call over a table of realistic customers. */
#include "wb_test.h"

#define AS_OF D("2026-11-23")

/* A customer worth deciding about: 2 orders a year of 50.00 for 3 more
 * years on a 100 % margin (CLV 300.00), win-back cost 20.00. */
static wb_customer lapsed(int32_t days_ago)
{
    wb_customer c;
    assert_int_equal(wb_customer_init(&c), WB_OK);
    c.last_purchase = AS_OF - days_ago;
    c.avg_check = 5000;
    c.purchases_per_year_x100 = 200;
    c.expected_years = 3;
    c.winback_cost = 2000;
    return c;
}

static wb_plan decide(void **state, const wb_customer *c)
{
    wb_plan plan;
    assert_int_equal(wb_decide(POLICY, c, AS_OF, &plan), WB_OK);
    assert_int_equal(plan.size, sizeof plan);
    return plan;
}

static void price_lapse_at_200_days(void **state)
{
    wb_customer c = lapsed(200);
    c.reason = WB_REASON_PRICE;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.cls, WB_CLASS_TIER2);
    assert_int_equal(p.days_since, 200);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.reasons, 0);
    assert_int_equal(p.discount_bp, 1500);
    assert_int_equal(p.approach, WB_APPROACH_PRICE_MATCH);
    assert_int_equal(p.escalation, WB_ESCALATE_AUTOMATED);
    assert_int_equal(p.earliest_contact, AS_OF);
    assert_int_equal(p.clv, 30000);
    /* (300 - 20) x (1 - 0), decayed by 90 / (90 + 110 days past 90). */
    assert_int_equal(p.priority, 12600);
    assert_int_equal(p.signals, WB_SIGNAL_RECENCY);
    assert_int_equal(p.sensitive, 0);
    assert_int_equal(p.channel, WB_CHANNEL_EMAIL);
    assert_int_equal(p.offer_expires, AS_OF + 180);
}

static void ladder_follows_the_tiers(void **state)
{
    const struct { int32_t days, cls, action, bp; } rows[] = {
        {0, WB_CLASS_ACTIVE, WB_ACTION_NONE, 0},
        {29, WB_CLASS_ACTIVE, WB_ACTION_NONE, 0},
        {30, WB_CLASS_WATCH, WB_ACTION_MONITOR, 0},
        {89, WB_CLASS_WATCH, WB_ACTION_MONITOR, 0},
        {90, WB_CLASS_TIER1, WB_ACTION_WINBACK, 1000},
        {179, WB_CLASS_TIER1, WB_ACTION_WINBACK, 1000},
        {180, WB_CLASS_TIER2, WB_ACTION_WINBACK, 1500},
        {360, WB_CLASS_TIER3, WB_ACTION_WINBACK, 2000},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        wb_customer c = lapsed(rows[i].days);
        wb_plan p = decide(state, &c);
        assert_int_equal(p.cls, rows[i].cls);
        assert_int_equal(p.action, rows[i].action);
        assert_int_equal(p.discount_bp, rows[i].bp);
        if (p.action != WB_ACTION_WINBACK) {
            assert_int_equal(p.earliest_contact, WB_DAY_NONE);
            assert_int_equal(p.priority, 0);
            assert_int_equal(p.approach, WB_APPROACH_NONE);
        }
    }
}

static void discount_only_where_a_discount_helps(void **state)
{
    /* [Strategies]: a discount does not fix bad service or poor quality. */
    wb_customer c = lapsed(200);
    c.reason = WB_REASON_SERVICE;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.discount_bp, 0);
    assert_int_equal(p.approach, WB_APPROACH_PERSONAL_CALL);
    c.reason = WB_REASON_QUALITY;
    p = decide(state, &c);
    assert_int_equal(p.discount_bp, 0);
    assert_int_equal(p.approach, WB_APPROACH_SHOW_CHANGES);
    c.reason = WB_REASON_UNKNOWN;         /* the default ladder */
    p = decide(state, &c);
    assert_int_equal(p.discount_bp, 1500);
    assert_int_equal(p.approach, WB_APPROACH_ASK_WHY);
    POLICY->discount_reasons = 1u << WB_REASON_PRICE;
    p = decide(state, &c);
    assert_int_equal(p.discount_bp, 0);
}

static void twice_lost_is_excluded(void **state)
{
    wb_customer c = lapsed(120);
    c.returns = 1;                         /* lost before, came back */
    c.reason = WB_REASON_PRICE;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_EXCLUDE);
    assert_int_equal(p.reasons, WB_EXCL_LOST_TWICE);
    assert_int_equal(p.discount_bp, 0);
    assert_int_equal(p.priority, 0);
    assert_int_equal(p.sensitive, 1);
    /* Rule 13: "write a penitent letter and leave it to fate": one apology,
     * no offer, on the first day a contact is allowed. */
    assert_int_equal(p.approach, WB_APPROACH_APOLOGY);
    assert_string_equal(wb_approach_name(p.approach), "apology-letter");
    assert_int_equal(p.earliest_contact, AS_OF);
    c.last_contact = AS_OF - 1;             /* the cadence still holds */
    assert_int_equal(decide(state, &c).earliest_contact, AS_OF - 1 + 3);
    c.last_contact = WB_DAY_NONE;
    c.flags = WB_CUST_TOXIC;                /* toxic too: not even a letter */
    p = decide(state, &c);
    assert_int_equal(p.approach, WB_APPROACH_NONE);
    assert_int_equal(p.earliest_contact, WB_DAY_NONE);
    c.flags = 0;
    /* Returned once and active again: sensitive, but nothing to exclude. */
    c = lapsed(10);
    c.returns = 1;
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_NONE);
    assert_int_equal(p.sensitive, 1);
    /* The count includes this loss: at lost_twice_count = 1000, 999 earlier
     * returns and a lapse make 1000; 998 do not. No sum can wrap. */
    POLICY->lost_twice_count = 1000;
    c = lapsed(120);
    c.returns = 999;
    assert_int_equal(decide(state, &c).reasons, WB_EXCL_LOST_TWICE);
    c.returns = 998;
    assert_int_equal(decide(state, &c).reasons, 0);
    c.returns = INT32_MAX;
    assert_int_equal(decide(state, &c).reasons, WB_EXCL_LOST_TWICE);
    POLICY->lost_twice_count = 1;             /* the first loss is the last */
    c.returns = 0;
    assert_int_equal(decide(state, &c).reasons, WB_EXCL_LOST_TWICE);
}

static void toxic_customers(void **state)
{
    /* [Strategies]: complained again and again, demanded discounts, left. */
    wb_customer c = lapsed(150);
    c.complaints = 3;
    c.discount_demands = 2;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_EXCLUDE);
    assert_int_equal(p.reasons, WB_EXCL_TOXIC);
    c.discount_demands = 1;               /* complaints alone: not toxic */
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    c = lapsed(150);
    c.flags = WB_CUST_TOXIC;              /* the host's do-not-contact flag */
    p = decide(state, &c);
    assert_int_equal(p.reasons, WB_EXCL_TOXIC);
}

static void severity_5_catastrophe(void **state)
{
    wb_customer c = lapsed(100);
    c.severity = 5;
    c.incident_day = AS_OF - 100;
    c.reason = WB_REASON_SERVICE;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_SOFT);
    assert_int_equal(p.reasons, WB_EXCL_COOLING_OFF);
    assert_int_equal(p.escalation, WB_ESCALATE_NO_ACTIVE);
    assert_int_equal(p.approach, WB_APPROACH_KEEP_IN_TOUCH);
    assert_int_equal(p.discount_bp, 0);
    assert_int_equal(p.priority, 0);
    assert_int_equal(p.difficulty_bp, 10000);
    assert_int_equal(p.earliest_contact, AS_OF);   /* 100 days > 90 pause */
    c.incident_day = AS_OF - 20;          /* pause runs for 70 more days */
    p = decide(state, &c);
    assert_int_equal(p.earliest_contact, AS_OF + 70);
    c.incident_day = WB_DAY_NONE;         /* from when they left */
    c.last_purchase = AS_OF - 95;
    p = decide(state, &c);
    assert_int_equal(p.earliest_contact, AS_OF);
}

static void uneconomic_and_no_margin(void **state)
{
    /* [Strategies] in minor units: future profit 1 500 against a cost of 2 000. */
    wb_customer c = lapsed(548);          /* left 18 months ago */
    c.clv = 150000;
    c.winback_cost = 200000;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_EXCLUDE);
    assert_int_equal(p.reasons, WB_EXCL_UNECONOMIC);
    assert_int_equal(p.clv, 150000);
    c.clv = 300000;                        /* exactly 150 %: worth it */
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.priority, 16420);   /* 1 000.00 x 1642 bp: 90 / (90 + 458) */
    /* A zero margin makes the CLV 0: both reasons are reported. */
    c = lapsed(200);
    c.margin_bp = 0;
    p = decide(state, &c);
    assert_int_equal(p.reasons, WB_EXCL_NO_MARGIN | WB_EXCL_UNECONOMIC);
    assert_int_equal(p.clv, 0);
    c.margin_bp = -500;
    p = decide(state, &c);
    assert_int_equal(p.clv, -1500);
    assert_true(p.reasons & WB_EXCL_NO_MARGIN);
}

static void contacted_two_days_ago(void **state)
{
    wb_customer c = lapsed(200);
    c.last_contact = AS_OF - 2;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.earliest_contact, AS_OF + 1);  /* "not yet" */
}

static void out_of_area_and_reachable(void **state)
{
    wb_customer c = lapsed(200);
    c.reason = WB_REASON_MOVED;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_SOFT);
    assert_int_equal(p.reasons, WB_EXCL_OUT_OF_AREA);
    assert_int_equal(p.approach, WB_APPROACH_KEEP_IN_TOUCH);
    assert_int_equal(p.discount_bp, 0);
    /* [Rules]: the office moved to a city the company serves. */
    c.flags = WB_CUST_REACHABLE;
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.approach, WB_APPROACH_REMINDER);
    c = lapsed(200);
    c.flags = WB_CUST_OUT_OF_AREA;
    p = decide(state, &c);
    assert_int_equal(p.reasons, WB_EXCL_OUT_OF_AREA);
    /* A hard reason wins over a soft one. */
    c.flags |= WB_CUST_BAD_PAYER | WB_CUST_OUT_OF_TARGET;
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_EXCLUDE);
    assert_int_equal(p.reasons, WB_EXCL_OUT_OF_AREA | WB_EXCL_BAD_PAYER |
                                WB_EXCL_OUT_OF_TARGET);
}

/* Revision 2 of R7: no severity recorded, but the reason is service or a
 * conflict, or a person failed: the head of department contacts, not an
 * automated message. Only no incident, no such reason and no such flag is
 * automated. */
static void no_severity_but_people_failed(void **state)
{
    wb_customer c = lapsed(120);
    c.reason = WB_REASON_SERVICE;
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_HEAD_OF_DEPT);
    c.reason = WB_REASON_CONFLICT;
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_HEAD_OF_DEPT);
    c.reason = WB_REASON_PRICE;
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_AUTOMATED);
    c.flags = WB_CUST_HUMAN_FACTOR;
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_HEAD_OF_DEPT);
    c.flags = 0;
    c.reason = WB_REASON_UNKNOWN;
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_AUTOMATED);
    /* A recorded severity decides as before, whatever the reason. */
    c.reason = WB_REASON_SERVICE;
    c.severity = 1;
    c.incident_day = AS_OF - 130;
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_AUTOMATED);
    /* The level is a policy field, 1..4 (5 would be a cooling-off pause). */
    c.severity = 0;
    c.incident_day = WB_DAY_NONE;
    assert_int_equal(wb_policy_set(POLICY, "unrated_escalation", 2), WB_OK);
    assert_int_equal(decide(state, &c).escalation, WB_ESCALATE_OTHER_MANAGER);
    assert_int_equal(wb_policy_set(POLICY, "unrated_escalation", 5), WB_EPOLICY);
}

static void rude_manager_escalates_and_is_avoided(void **state)
{
    wb_customer c = lapsed(120);
    c.reason = WB_REASON_CONFLICT;
    c.severity = 2;
    c.flags = WB_CUST_HUMAN_FACTOR;
    c.incident_day = AS_OF - 120;
    c.lost_by_employee = 4242;
    c.nps = 3;
    c.requests = 4;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.escalation, WB_ESCALATE_OTHER_MANAGER);
    assert_int_equal(p.approach, WB_APPROACH_PERSONAL_CALL);
    assert_int_equal(p.avoid_employee, 4242);
    assert_int_equal(p.discount_bp, 0);
    /* 3000 x 1.5 + 500 x 120 / 30 = 6500 bp; (300-20) x 35 % = 98.00. */
    assert_int_equal(p.difficulty_bp, 6500);
    assert_int_equal(p.priority, 7350);   /* decayed by 90 / (90 + 30) */
    assert_int_equal(p.channel, WB_CHANNEL_PHONE);
    assert_int_equal(p.signals, WB_SIGNAL_RECENCY | WB_SIGNAL_DETRACTOR |
                                WB_SIGNAL_CONFLICT | WB_SIGNAL_REQUESTS);
}

/* R9, revision 2: [Lost-customers] counts as lost, besides the lapsed, a
 * detractor, a customer who had a conflict, and one who approached the
 * company more than 3 times and still bought nothing. Not lapsed by
 * recency, such a customer gets a win-back plan without the time ladder. */
static void lost_by_signal_without_the_ladder(void **state)
{
    wb_customer c = lapsed(40);
    c.nps = 7;                             /* passive, not a detractor */
    c.requests = 3;                        /* exactly 3: not more than 3 */
    c.contacts_since_purchase = 9;         /* ours: cadence, not a signal */
    c.reason = WB_REASON_PRICE;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_MONITOR);
    assert_int_equal(p.signals, 0);
    c.requests = 4;                        /* 4: lost by signal */
    p = decide(state, &c);
    assert_int_equal(p.signals, WB_SIGNAL_REQUESTS);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.cls, WB_CLASS_WATCH);   /* its class stays */
    assert_int_equal(p.discount_bp, 0);        /* no time ladder */
    assert_int_equal(p.approach, WB_APPROACH_PRICE_MATCH);
    assert_int_equal(p.escalation, WB_ESCALATE_AUTOMATED);
    assert_int_equal(p.earliest_contact, AS_OF);
    c.requests = 0;
    c.nps = 6;                             /* a detractor */
    assert_int_equal(decide(state, &c).action, WB_ACTION_WINBACK);
    c.nps = WB_NPS_NONE;
    c.flags = WB_CUST_STAFF_CONFLICT;      /* a conflict: a people failure */
    p = decide(state, &c);
    assert_int_equal(p.signals, WB_SIGNAL_CONFLICT);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.escalation, WB_ESCALATE_HEAD_OF_DEPT);
    /* Lost by signal, so checked for exclusions like a lapsed customer. */
    c.flags = WB_CUST_STAFF_CONFLICT | WB_CUST_TOXIC;
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_EXCLUDE);
    assert_int_equal(p.reasons, WB_EXCL_TOXIC);
    /* The policy switch turns it off: signals inform only, as in 0.1. */
    c.flags = WB_CUST_STAFF_CONFLICT;
    POLICY->lost_by_signal = 0;
    p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_MONITOR);
    assert_int_equal(p.reasons, 0);
    /* Never bought is never lost, whatever the signals. */
    POLICY->lost_by_signal = 1;
    c = lapsed(0);
    c.last_purchase = WB_DAY_NONE;
    c.nps = 0;
    assert_int_equal(decide(state, &c).action, WB_ACTION_NONE);
}

static void never_bought(void **state)
{
    wb_customer c;
    assert_int_equal(wb_customer_init(&c), WB_OK);
    wb_plan p = decide(state, &c);
    assert_int_equal(p.cls, WB_CLASS_NEVER);
    assert_int_equal(p.days_since, -1);
    assert_int_equal(p.action, WB_ACTION_NONE);
    assert_int_equal(p.signals, 0);
}

static void priority_ranks_the_better_bet_first(void **state)
{
    wb_customer easy = lapsed(100), hard = lapsed(100), poor = lapsed(100);
    hard.severity = 3;
    hard.incident_day = AS_OF - 100;
    poor.avg_check = 3000;
    wb_plan pe = decide(state, &easy), ph = decide(state, &hard),
            pp = decide(state, &poor);
    assert_true(pe.priority > pp.priority);
    assert_true(pe.priority > ph.priority);
    assert_int_equal(ph.difficulty_bp, 5000 + 1666);
}

static void host_clv_and_int64_limits(void **state)
{
    wb_customer c = lapsed(200);
    c.clv = INT64_MAX;
    c.winback_cost = INT64_MAX / 2;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    /* 2^62 x 90 / 200, exactly, rounded half up. */
    assert_true(p.priority == INT64_C(2075258708292324557));
    c.winback_cost = INT64_MAX;            /* 150 % of it is beyond int64 */
    p = decide(state, &c);
    assert_int_equal(p.reasons, WB_EXCL_UNECONOMIC);
    c = lapsed(200);
    c.avg_check = INT64_MAX;               /* CLV overflows: an error */
    wb_plan before;
    memset(&before, 0x77, sizeof before);
    p = before;
    assert_int_equal(wb_decide(POLICY, &c, AS_OF, &p), WB_ERANGE);
    assert_memory_equal(&p, &before, sizeof p);
}

static void bad_input_is_an_error(void **state)
{
    wb_plan p;
    wb_customer c;
    const struct { int field; int64_t value; int rc; } rows[] = {
        {0, 6, WB_ESEVERITY}, {0, -1, WB_ESEVERITY},
        {1, 11, WB_EINVAL}, {1, -2, WB_EINVAL},
        {2, 10001, WB_EINVAL}, {2, -10001, WB_EINVAL},
        {3, -1, WB_EINVAL}, {4, -1, WB_EINVAL}, {5, WB_REASON_COUNT, WB_EINVAL},
        {6, 1 << 20, WB_EINVAL}, {7, -1, WB_EINVAL}, {8, -2, WB_EINVAL},
        {9, 1, WB_EFUTURE}, {10, 1, WB_EFUTURE}, {11, 1, WB_EFUTURE},
        {12, 1, WB_EINVAL}, {13, -1, WB_EINVAL}, {14, -1, WB_EINVAL},
        {15, -1, WB_EINVAL}, {16, -1, WB_EINVAL}, {17, 1, WB_EINVAL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        c = lapsed(200);
        switch (rows[i].field) {
        case 0: c.severity = (int32_t)rows[i].value; break;
        case 1: c.nps = (int32_t)rows[i].value; break;
        case 2: c.margin_bp = (int32_t)rows[i].value; break;
        case 3: c.returns = (int32_t)rows[i].value; break;
        case 4: c.complaints = (int32_t)rows[i].value; break;
        case 5: c.reason = (int32_t)rows[i].value; break;
        case 6: c.flags = (uint32_t)rows[i].value; break;
        case 7: c.avg_check = rows[i].value; break;
        case 8: c.clv = rows[i].value; break;
        case 9: c.last_purchase = AS_OF + 1; break;
        case 10: c.incident_day = AS_OF + 1; break;
        case 11: c.last_contact = AS_OF + 1; break;
        case 12: c.requests = -1; break;
        case 13: c.winback_cost = rows[i].value; break;
        case 14: c.purchases_per_year_x100 = (int32_t)rows[i].value; break;
        case 15: c.expected_years = (int32_t)rows[i].value; break;
        case 16: c.contacts_since_purchase = (int32_t)rows[i].value; break;
        case 17: c.reserved[2] = rows[i].value; break;
        }
        if (wb_decide(POLICY, &c, AS_OF, &p) != rows[i].rc)
            fail_msg("row %zu: got %s", i, wb_error_name(wb_decide(POLICY, &c, AS_OF, &p)));
    }
    c = lapsed(200);
    assert_int_equal(wb_decide(POLICY, &c, WB_DAY_MAX + 1, &p), WB_EDATE);
    /* Days a plan would name past 9999-12-31: an error, the plan untouched,
     * whatever the action would have been. */
    wb_plan before;
    memset(&before, 0x3C, sizeof before);
    p = before;
    c = lapsed(200);
    c.last_purchase = WB_DAY_MAX - 200;
    c.last_contact = WB_DAY_MAX - 1;          /* next call on day MAX + 2 */
    assert_int_equal(wb_decide(POLICY, &c, WB_DAY_MAX, &p), WB_EDATE);
    assert_memory_equal(&p, &before, sizeof p);
    /* An offer made on the first allowed day expires 180 days later. */
    int32_t as_of = WB_DAY_MAX - 183;
    c.last_purchase = as_of - 200;
    c.last_contact = as_of;                   /* call on as_of + 3 */
    assert_int_equal(wb_decide(POLICY, &c, as_of, &p), WB_OK);
    assert_int_equal(p.earliest_contact, WB_DAY_MAX - 180);
    assert_int_equal(p.offer_expires, WB_DAY_MAX);   /* 9999-12-31: fine */
    p = before;
    c.last_contact = as_of + 1;               /* one day later: MAX + 1 */
    assert_int_equal(wb_decide(POLICY, &c, as_of + 1, &p), WB_EDATE);
    assert_memory_equal(&p, &before, sizeof p);
    c = lapsed(10);                           /* active, severity 5 */
    c.last_purchase = WB_DAY_MAX - 10;
    c.severity = 5;
    c.incident_day = WB_DAY_MAX - 10;          /* pause to MAX + 80 */
    p = before;
    assert_int_equal(wb_decide(POLICY, &c, WB_DAY_MAX, &p), WB_EDATE);
    assert_memory_equal(&p, &before, sizeof p);
    assert_int_equal(wb_decide(POLICY, NULL, AS_OF, &p), WB_EMISUSE);
    assert_int_equal(wb_decide(POLICY, &c, AS_OF, NULL), WB_EMISUSE);
    assert_int_equal(wb_decide(NULL, &c, AS_OF, &p), WB_EMISUSE);
    c.size = 8;
    assert_int_equal(wb_decide(POLICY, &c, AS_OF, &p), WB_ESTRUCT);
    c = lapsed(200);
    POLICY->ladder_tier3_bp = 1;
    assert_int_equal(wb_decide(POLICY, &c, AS_OF, &p), WB_EPOLICY);
    assert_int_equal(wb_customer_init(NULL), WB_EMISUSE);
    assert_int_equal(wb_customer_size(), sizeof(wb_customer));
    assert_int_equal(wb_plan_size(), sizeof(wb_plan));
}

/* R8, revision 2: a strategic customer -- [Strategies]'s "high image
 * potential even if their orders are small" -- is not excluded by the R4
 * gate, and ranks by their whole CLV times strategic_weight_bp. Margin and
 * payment still exclude: they lose money on every order. */
static void strategic_customer_under_the_gate(void **state)
{
    wb_customer c = lapsed(90);            /* just lost: no decay */
    c.clv = 150000;                        /* [Strategies]: 1 500 against 2 000 */
    c.winback_cost = 200000;
    assert_int_equal(decide(state, &c).reasons, WB_EXCL_UNECONOMIC);
    c.flags = WB_CUST_STRATEGIC;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.reasons, 0);
    assert_int_equal(p.priority, 300000);  /* 1 500.00 x 2, cost not subtracted */
    /* Above the gate too, the weight replaces the net value. */
    c.winback_cost = 2000;
    assert_int_equal(decide(state, &c).priority, 300000);
    c.flags = 0;
    assert_int_equal(decide(state, &c).priority, 148000);
    c.flags = WB_CUST_STRATEGIC;
    assert_int_equal(wb_policy_set(POLICY, "strategic_weight_bp", 0), WB_OK);
    assert_int_equal(decide(state, &c).priority, 0);
    assert_int_equal(wb_policy_set(POLICY, "strategic_weight_bp", 100000), WB_OK);
    assert_int_equal(decide(state, &c).priority, 1500000);    /* x 10, the most */
    assert_int_equal(wb_policy_set(POLICY, "strategic_weight_bp", 100001), WB_EPOLICY);
    /* A weighted CLV beyond int64 saturates: first in line, not an error. */
    c.clv = INT64_MAX / 4;
    assert_true(decide(state, &c).priority == INT64_MAX);
    c.clv = 150000;
    c.margin_bp = 0;
    p = decide(state, &c);
    assert_int_equal(p.reasons, WB_EXCL_NO_MARGIN);  /* not UNECONOMIC */
    c.margin_bp = 10000;
    c.flags = WB_CUST_STRATEGIC | WB_CUST_BAD_PAYER;
    assert_int_equal(decide(state, &c).reasons, WB_EXCL_BAD_PAYER);
}

/* R8, revision 2: the priority falls with the days since the customer
 * crossed the lost threshold, as D / (D + days past), D = 90 by default. */
static void recent_leavers_first(void **state)
{
    const struct { int32_t days; int64_t priority; } rows[] = {
        {90, 28000},        /* crossed today: the whole value */
        {91, 27692},        /* 28000 x 9890 bp: 90 / 91 = 0.98901 */
        {180, 14000},       /* D days past: half */
        {179, 14078},       /* 28000 x 5028 bp: 90 / 179 = 0.50279 */
        {360, 7000},        /* 270 days past: a quarter */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        wb_customer c = lapsed(rows[i].days);
        if (decide(state, &c).priority != rows[i].priority)
            fail_msg("%d days: priority %lld", (int)rows[i].days,
                     (long long)decide(state, &c).priority);
    }
    /* No decay: the older rule. */
    assert_int_equal(wb_policy_set(POLICY, "priority_decay_days", 0), WB_OK);
    wb_customer c = lapsed(360);
    assert_int_equal(decide(state, &c).priority, 28000);
    /* The threshold is the policy's lost class: from tier 2 (180 days), a
     * customer 200 days gone is 20 days past it. */
    assert_int_equal(wb_policy_set(POLICY, "priority_decay_days", 90), WB_OK);
    assert_int_equal(wb_policy_set(POLICY, "lost_class", WB_CLASS_TIER2), WB_OK);
    c = lapsed(200);
    assert_int_equal(decide(state, &c).priority, 22910);  /* 28000 x 8182 bp: 90 / 110 */
    /* Lost by a signal before any threshold: nothing to decay. */
    assert_int_equal(wb_policy_set(POLICY, "lost_class", WB_CLASS_TIER1), WB_OK);
    c = lapsed(10);
    c.nps = 2;
    wb_plan p = decide(state, &c);
    assert_int_equal(p.action, WB_ACTION_WINBACK);
    assert_int_equal(p.priority, 28000);
}

/* R8, revision 2: an offer carries its expiry ([Nenakhov]'s coupon: six
 * months), counted from the first day it can be made; plans without an
 * offer carry none. */
static void offers_expire(void **state)
{
    wb_customer c = lapsed(120);
    assert_int_equal(decide(state, &c).offer_expires, AS_OF + 180);
    c.last_contact = AS_OF - 1;            /* next contact in 2 days */
    wb_plan p = decide(state, &c);
    assert_int_equal(p.earliest_contact, AS_OF + 2);
    assert_int_equal(p.offer_expires, AS_OF + 2 + 180);
    assert_int_equal(wb_policy_set(POLICY, "offer_valid_days", 30), WB_OK);
    assert_int_equal(decide(state, &c).offer_expires, AS_OF + 2 + 30);
    assert_int_equal(wb_policy_set(POLICY, "offer_valid_days", 0), WB_EPOLICY);
    c = lapsed(40);                        /* monitor */
    assert_int_equal(decide(state, &c).offer_expires, WB_DAY_NONE);
    c = lapsed(120);
    c.reason = WB_REASON_MOVED;            /* soft: keep in touch, no offer */
    assert_int_equal(decide(state, &c).offer_expires, WB_DAY_NONE);
    c.reason = WB_REASON_PRICE;
    c.returns = 1;                         /* apology: no offer */
    assert_int_equal(decide(state, &c).offer_expires, WB_DAY_NONE);
}

/* R8, revision 2: the channel follows who makes the contact, by the
 * policy's map: automated -> e-mail ([Rules]: trigger e-mails), a manager
 * -> a phone call ([Strategies]), the head of the company -> a personal
 * letter ([Rules]: from the CEO); the lost-twice apology -> a letter. */
static void channel_follows_the_escalation(void **state)
{
    const struct { int32_t severity, reason, returns, channel; } rows[] = {
        {0, WB_REASON_PRICE, 0, WB_CHANNEL_EMAIL},       /* automated */
        {0, WB_REASON_SERVICE, 0, WB_CHANNEL_PHONE},     /* unrated: head of dept */
        {2, WB_REASON_SERVICE, 0, WB_CHANNEL_PHONE},     /* other manager */
        {3, WB_REASON_SERVICE, 0, WB_CHANNEL_PHONE},     /* head of dept */
        {4, WB_REASON_QUALITY, 0, WB_CHANNEL_LETTER},    /* company head */
        {5, WB_REASON_SERVICE, 0, WB_CHANNEL_EMAIL},     /* cooling off: soft */
        {0, WB_REASON_MOVED, 0, WB_CHANNEL_EMAIL},       /* soft: newsletter */
        {0, WB_REASON_PRICE, 1, WB_CHANNEL_LETTER},      /* apology */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        wb_customer c = lapsed(120);
        c.severity = rows[i].severity;
        c.incident_day = rows[i].severity ? AS_OF - 120 : WB_DAY_NONE;
        c.reason = rows[i].reason;
        c.returns = rows[i].returns;
        wb_plan p = decide(state, &c);
        if (p.channel != rows[i].channel)
            fail_msg("row %zu: %s", i, wb_channel_name(p.channel));
    }
    wb_customer c = lapsed(120);
    c.severity = 4;
    c.incident_day = AS_OF - 120;
    assert_int_equal(wb_policy_set(POLICY, "channel_company_head", WB_CHANNEL_MEETING), WB_OK);
    assert_int_equal(decide(state, &c).channel, WB_CHANNEL_MEETING);
    assert_string_equal(wb_channel_name(WB_CHANNEL_MEETING), "meeting");
    c = lapsed(10);                        /* nothing due: no channel */
    assert_int_equal(decide(state, &c).channel, WB_CHANNEL_NONE);
    c = lapsed(40);
    assert_int_equal(decide(state, &c).channel, WB_CHANNEL_NONE);
    c = lapsed(120);
    c.flags = WB_CUST_TOXIC;               /* excluded: no channel */
    assert_int_equal(decide(state, &c).channel, WB_CHANNEL_NONE);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, policy_setup)
    const struct CMUnitTest tests[] = {
        T(price_lapse_at_200_days),
        T(ladder_follows_the_tiers),
        T(discount_only_where_a_discount_helps),
        T(twice_lost_is_excluded),
        T(toxic_customers),
        T(severity_5_catastrophe),
        T(uneconomic_and_no_margin),
        T(contacted_two_days_ago),
        T(out_of_area_and_reachable),
        T(no_severity_but_people_failed),
        T(rude_manager_escalates_and_is_avoided),
        T(lost_by_signal_without_the_ladder),
        T(never_bought),
        T(priority_ranks_the_better_bet_first),
        T(strategic_customer_under_the_gate),
        T(recent_leavers_first),
        T(offers_expire),
        T(channel_follows_the_escalation),
        T(host_clv_and_int64_limits),
        T(bad_input_is_an_error),
    };
    return cmocka_run_group_tests_name("decide", tests, NULL, NULL);
}
