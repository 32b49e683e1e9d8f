/* test_policy.c -- defaults, validation, access by key. */
#include "wb_test.h"

static void defaults_are_the_spec_numbers(void **state)
{
    wb_policy p;
    (void)state;
    assert_int_equal(wb_policy_init(&p), WB_OK);
    assert_int_equal(p.size, sizeof p);
    assert_int_equal(wb_policy_size(), sizeof p);
    assert_int_equal(p.watch_days, 30);
    assert_int_equal(p.tier1_days, 90);
    assert_int_equal(p.tier2_days, 180);
    assert_int_equal(p.tier3_days, 360);
    assert_int_equal(p.lost_class, WB_CLASS_TIER1);
    assert_int_equal(p.ladder_tier1_bp, 1000);
    assert_int_equal(p.ladder_tier2_bp, 1500);
    assert_int_equal(p.ladder_tier3_bp, 2000);
    assert_int_equal(p.min_clv_ratio_bp, 15000);
    assert_int_equal(p.lost_twice_count, 2);
    assert_int_equal(p.min_recontact_days, 3);
    assert_int_equal(p.cart_reminder_days[0], 0);
    assert_int_equal(p.cart_reminder_days[1], 1);
    assert_int_equal(p.cart_reminder_days[2], 5);
    assert_int_equal(p.nps_detractor_max, 6);
    assert_int_equal(p.max_contacts_without_purchase, 3);
    assert_int_equal(p.churn_normal_max_bp, 1000);
    assert_int_equal(p.churn_act_min_bp, 2000);
    assert_int_equal(p.writeoff_min_bp, 1000);
    assert_int_equal(p.writeoff_max_bp, 5000);
    assert_int_equal(p.reminder_lead_days, 14);
    /* Revision 2's R8: offers valid six months ([Strategies]'s coupon);
     * channels as the spec maps them; the two project defaults. */
    assert_int_equal(p.offer_valid_days, 180);
    assert_int_equal(p.priority_decay_days, 90);
    assert_int_equal(p.strategic_weight_bp, 20000);
    assert_int_equal(p.channel[0], WB_CHANNEL_EMAIL);
    assert_int_equal(p.channel[1], WB_CHANNEL_PHONE);
    assert_int_equal(p.channel[2], WB_CHANNEL_PHONE);
    assert_int_equal(p.channel[3], WB_CHANNEL_LETTER);
    assert_int_equal(p.channel[4], WB_CHANNEL_LETTER);
    assert_int_equal(p.channel[5] | p.channel[6] | p.channel[7], 0);
    assert_int_equal(wb_policy_validate(&p, NULL), WB_OK);
    assert_int_equal(wb_policy_init(NULL), WB_EMISUSE);
}

/* Sets `key` to an in-range `value` that breaks a rule tying two fields
 * together, and expects validation to blame `blamed`. */
static void expect_invalid(const char *key, int64_t value, const char *blamed)
{
    wb_policy p;
    const char *bad = NULL;
    assert_int_equal(wb_policy_init(&p), WB_OK);
    assert_int_equal(wb_policy_set(&p, key, value), WB_OK);
    assert_int_equal(wb_policy_validate(&p, &bad), WB_EPOLICY);
    assert_non_null(bad);
    assert_string_equal(bad, blamed);
}

static void cross_field_rules(void **state)
{
    (void)state;
    expect_invalid("tier1_days", 30, "tier1_days");     /* equal: not increasing */
    expect_invalid("tier1_days", 20, "tier1_days");
    expect_invalid("tier2_days", 90, "tier2_days");
    expect_invalid("tier3_days", 100, "tier3_days");
    expect_invalid("watch_days", 95, "tier1_days");
    expect_invalid("ladder_tier2_bp", 900, "ladder_tier2_bp"); /* decreasing */
    expect_invalid("ladder_tier3_bp", 1400, "ladder_tier3_bp");
    expect_invalid("escalation3", 1, "escalation3");
    expect_invalid("severity2_difficulty_bp", 10, "severity2_difficulty_bp");
    expect_invalid("cart_reminder2_days", 9, "cart_reminder3_days");
    expect_invalid("churn_act_min_bp", 500, "churn_act_min_bp");
    expect_invalid("writeoff_max_bp", 500, "writeoff_max_bp");
}

/* Every ordering rule, broken on its own: by raising the lower field past
 * the upper one (to equal it, for the strict rules) or, where that leaves
 * the lower field's range, by lowering the upper one. Either breaks only
 * this rule, and the upper field is blamed. */
static void every_order_rule_blames_its_upper_field(void **state)
{
    static const struct { const char *lower, *upper; int strict; } rules[] = {
        {"watch_days", "tier1_days", 1}, {"tier1_days", "tier2_days", 1},
        {"tier2_days", "tier3_days", 1},
        {"ladder_tier1_bp", "ladder_tier2_bp", 0},
        {"ladder_tier2_bp", "ladder_tier3_bp", 0},
        {"escalation1", "escalation2", 0}, {"escalation2", "escalation3", 0},
        {"escalation3", "escalation4", 0}, {"escalation4", "escalation5", 0},
        {"severity1_difficulty_bp", "severity2_difficulty_bp", 0},
        {"severity2_difficulty_bp", "severity3_difficulty_bp", 0},
        {"severity3_difficulty_bp", "severity4_difficulty_bp", 0},
        {"severity4_difficulty_bp", "severity5_difficulty_bp", 0},
        {"cart_reminder1_days", "cart_reminder2_days", 0},
        {"cart_reminder2_days", "cart_reminder3_days", 0},
        {"churn_normal_max_bp", "churn_act_min_bp", 0},
        {"writeoff_min_bp", "writeoff_max_bp", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        wb_policy p;
        int64_t lower, upper;
        const char *bad = NULL;
        assert_int_equal(wb_policy_init(&p), WB_OK);
        assert_int_equal(wb_policy_get(&p, rules[i].lower, &lower), WB_OK);
        assert_int_equal(wb_policy_get(&p, rules[i].upper, &upper), WB_OK);
        /* Allowed at the bound: equal, or one apart for the strict rules. */
        if (wb_policy_set(&p, rules[i].lower, upper - rules[i].strict) != WB_OK)
            assert_int_equal(wb_policy_set(&p, rules[i].upper, lower + rules[i].strict), WB_OK);
        assert_int_equal(wb_policy_validate(&p, &bad), WB_OK);
        /* One past it. */
        assert_int_equal(wb_policy_init(&p), WB_OK);
        if (wb_policy_set(&p, rules[i].lower, upper + 1 - rules[i].strict) != WB_OK)
            assert_int_equal(wb_policy_set(&p, rules[i].upper, lower - 1 + rules[i].strict), WB_OK);
        if (wb_policy_validate(&p, &bad) != WB_EPOLICY || strcmp(bad, rules[i].upper) != 0)
            fail_msg("rule %s <= %s: blamed %s", rules[i].lower, rules[i].upper,
                     bad ? bad : "nothing");
    }
}

static void field_ranges_in_the_struct(void **state)
{
    wb_policy p;
    const char *bad = NULL;
    (void)state;
    struct { int32_t *field; int32_t value; const char *key; } cases[] = {
        {&p.watch_days, 0, "watch_days"},
        {&p.tier3_days, WB_POLICY_MAX_DAYS + 1, "tier3_days"},
        {&p.ladder_tier1_bp, -1, "ladder_tier1_bp"},
        {&p.ladder_tier3_bp, 10001, "ladder_tier3_bp"},     /* over 100 % */
        {&p.lost_class, WB_CLASS_ACTIVE, "lost_class"},
        {&p.rounding, 3, "rounding"},
        {&p.min_clv_ratio_bp, -1, "min_clv_ratio_bp"},
        {&p.lost_twice_count, 0, "lost_twice_count"},
        {&p.human_factor_bp, 9999, "human_factor_bp"},
        {&p.escalation[4], 6, "escalation5"},
        {&p.escalation[0], 0, "escalation1"},
        {&p.nps_detractor_max, 11, "nps_detractor_max"},
        {&p.newsletter_days, 0, "newsletter_days"},
        {&p.priority_decay_days, -1, "priority_decay_days"},
        {&p.offer_valid_days, 0, "offer_valid_days"},
        {&p.offer_valid_days, WB_POLICY_MAX_DAYS + 1, "offer_valid_days"},
        {&p.strategic_weight_bp, 1000001, "strategic_weight_bp"},
    };
    /* The channel map is bytes: 0 (no channel) and 5 are out of range, and
     * the three bytes after the apology's are reserved. */
    struct { uint8_t *field; uint8_t value; const char *key; } bytes[] = {
        {&p.channel[0], WB_CHANNEL_NONE, "channel_automated"},
        {&p.channel[3], WB_CHANNEL_MEETING + 1, "channel_company_head"},
        {&p.channel[4], 255, "channel_apology"},
        {&p.channel[5], 1, "reserved"},
        {&p.channel[7], 1, "reserved"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(wb_policy_init(&p), WB_OK);
        *cases[i].field = cases[i].value;
        bad = NULL;
        assert_int_equal(wb_policy_validate(&p, &bad), WB_EPOLICY);
        assert_string_equal(bad, cases[i].key);
    }
    for (size_t i = 0; i < sizeof bytes / sizeof bytes[0]; i++) {
        assert_int_equal(wb_policy_init(&p), WB_OK);
        *bytes[i].field = bytes[i].value;
        bad = NULL;
        assert_int_equal(wb_policy_validate(&p, &bad), WB_EPOLICY);
        assert_string_equal(bad, bytes[i].key);
    }
    assert_int_equal(wb_policy_init(&p), WB_OK);
    p.discount_reasons = 1u << WB_REASON_COUNT;
    assert_int_equal(wb_policy_validate(&p, &bad), WB_EPOLICY);
    assert_string_equal(bad, "discount_reasons");
}

static void size_field_and_null(void **state)
{
    wb_policy p;
    int64_t v;
    (void)state;
    assert_int_equal(wb_policy_validate(NULL, NULL), WB_EMISUSE);
    memset(&p, 0, sizeof p);   /* not made by wb_policy_init */
    assert_int_equal(wb_policy_validate(&p, NULL), WB_ESTRUCT);
    assert_int_equal(wb_policy_set(&p, "tier1_days", 90), WB_ESTRUCT);
    assert_int_equal(wb_policy_get(&p, "tier1_days", &v), WB_ESTRUCT);
    assert_int_equal(wb_policy_init(&p), WB_OK);
    assert_int_equal(wb_policy_set(NULL, "tier1_days", 90), WB_EMISUSE);
    assert_int_equal(wb_policy_set(&p, NULL, 90), WB_EMISUSE);
    assert_int_equal(wb_policy_get(&p, "tier1_days", NULL), WB_EMISUSE);
}

static void set_and_get_by_key(void **state)
{
    wb_policy p;
    int64_t v = 0;
    size_t n = 0;
    (void)state;
    assert_int_equal(wb_policy_init(&p), WB_OK);
    /* [Rules]: a water-delivery company calls after 45 days. */
    assert_int_equal(wb_policy_set(&p, "tier1_days", 45), WB_OK);
    assert_int_equal(p.tier1_days, 45);
    assert_int_equal(wb_policy_get(&p, "tier1_days", &v), WB_OK);
    assert_int_equal(v, 45);
    assert_int_equal(wb_policy_validate(&p, NULL), WB_OK);
    assert_int_equal(wb_policy_set(&p, "escalation4", 5), WB_OK);
    assert_int_equal(p.escalation[3], 5);
    /* A byte of the channel map, written alone: its neighbours keep theirs. */
    assert_int_equal(wb_policy_set(&p, "channel_head_of_dept", WB_CHANNEL_MEETING), WB_OK);
    assert_int_equal(p.channel[2], WB_CHANNEL_MEETING);
    assert_int_equal(p.channel[1], WB_CHANNEL_PHONE);
    assert_int_equal(p.channel[3], WB_CHANNEL_LETTER);
    assert_int_equal(wb_policy_get(&p, "channel_head_of_dept", &v), WB_OK);
    assert_int_equal(v, WB_CHANNEL_MEETING);
    assert_int_equal(wb_policy_set(&p, "channel_apology", 5), WB_EPOLICY);
    assert_int_equal(p.channel[4], WB_CHANNEL_LETTER);
    assert_int_equal(wb_policy_set(&p, "cart_reminder3_days", 7), WB_OK);
    assert_int_equal(p.cart_reminder_days[2], 7);
    assert_int_equal(wb_policy_get(&p, "discount_reasons", &v), WB_OK);
    assert_int_equal(v, (1 << WB_REASON_PRICE) | (1 << WB_REASON_UNKNOWN));
    assert_int_equal(wb_policy_set(&p, "discount_reasons", 0x3FF), WB_OK);
    assert_int_equal(wb_policy_get(&p, "discount_reasons", &v), WB_OK);
    assert_int_equal(v, 0x3FF);
    assert_int_equal(wb_policy_set(&p, "no_such_key", 1), WB_EKEY);
    assert_int_equal(wb_policy_get(&p, "Tier1_days", &v), WB_EKEY);
    assert_int_equal(wb_policy_set(&p, "tier1_days", (int64_t)1 << 40), WB_EPOLICY);
    assert_int_equal(wb_policy_set(&p, "tier1_days", -1), WB_EPOLICY);
    assert_int_equal(p.tier1_days, 45); /* unchanged after the refusals */
    assert_int_equal(wb_policy_set(&p, "ladder_tier1_bp", 10001), WB_EPOLICY);
    /* Every key round-trips through get and set with its default value. */
    for (n = 0; wb_policy_key(n) != NULL; n++) {
        assert_int_equal(wb_policy_get(&p, wb_policy_key(n), &v), WB_OK);
        assert_int_equal(wb_policy_set(&p, wb_policy_key(n), v), WB_OK);
    }
    assert_int_equal(n, 51);
    assert_null(wb_policy_key(n));
    assert_null(wb_policy_key((size_t)-1));
}

/* The channel map is bytes; every field before it is 32 bits. */
#define BYTES_FROM offsetof(wb_policy, channel)
static size_t width_at(size_t off)
{
    return off >= BYTES_FROM ? 1 : 4;
}

/* Byte offset of a key's field, found by setting it through the API. */
static size_t offset_of(const char *key)
{
    wb_policy a, b;
    int64_t v, lo, hi;
    assert_int_equal(wb_policy_init(&a), WB_OK);
    b = a;
    assert_int_equal(wb_policy_get(&a, key, &v), WB_OK);
    assert_int_equal(wb_policy_range(key, &lo, &hi), WB_OK);
    assert_int_equal(wb_policy_set(&b, key, v == lo ? hi : lo), WB_OK);
    for (size_t off = 0; off < sizeof a; off += width_at(off))
        if (memcmp((char *)&a + off, (char *)&b + off, width_at(off)) != 0)
            return off;
    fail_msg("no field changed for %s", key);
    return 0;
}

/* Every field, both bounds: set accepts them and refuses one past, and a
 * value one past written into the struct is blamed on exactly that key. */
static void every_field_at_both_bounds(void **state)
{
    (void)state;
    for (size_t i = 0; wb_policy_key(i) != NULL; i++) {
        const char *key = wb_policy_key(i), *bad = NULL;
        int64_t lo, hi;
        wb_policy p;
        size_t off = offset_of(key);
        assert_int_equal(wb_policy_range(key, &lo, &hi), WB_OK);
        assert_true(lo < hi);
        assert_int_equal(wb_policy_init(&p), WB_OK);
        assert_int_equal(wb_policy_set(&p, key, lo), WB_OK);
        assert_int_equal(wb_policy_set(&p, key, hi), WB_OK);
        assert_int_equal(wb_policy_set(&p, key, lo - 1), WB_EPOLICY);
        assert_int_equal(wb_policy_set(&p, key, hi + 1), WB_EPOLICY);
        const int64_t outside[2] = {lo - 1, hi + 1};
        for (int k = 0; k < 2; k++) {
            int32_t raw = (int32_t)outside[k];
            uint8_t byte = (uint8_t)outside[k];     /* -1 is 255: too big */
            assert_int_equal(wb_policy_init(&p), WB_OK);
            if (width_at(off) == 1)
                memcpy((char *)&p + off, &byte, 1);
            else
                memcpy((char *)&p + off, &raw, 4);
            assert_int_equal(wb_policy_validate(&p, &bad), WB_EPOLICY);
            assert_string_equal(bad, key);
        }
    }
    int64_t lo, hi;
    assert_int_equal(wb_policy_range("tier1_days", &lo, &hi), WB_OK);
    assert_true(lo == 1 && hi == WB_POLICY_MAX_DAYS);
    assert_int_equal(wb_policy_range("nope", &lo, &hi), WB_EKEY);
    assert_int_equal(wb_policy_range(NULL, &lo, &hi), WB_EMISUSE);
    assert_int_equal(wb_policy_range("tier1_days", NULL, &hi), WB_EMISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_spec_numbers),
        cmocka_unit_test(cross_field_rules),
        cmocka_unit_test(every_order_rule_blames_its_upper_field),
        cmocka_unit_test(field_ranges_in_the_struct),
        cmocka_unit_test(size_field_and_null),
        cmocka_unit_test(set_and_get_by_key),
        cmocka_unit_test(every_field_at_both_bounds),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
