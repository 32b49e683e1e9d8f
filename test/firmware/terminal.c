/*
 * terminal.c -- what a point-of-sale terminal links: the decision call and
 * everything around it at the till. The policy is configured by key from
 * the terminal's settings, the customer's record is stored as text (dates
 * and amounts), and the cashier's screen shows the action, the class, the
 * reasons, the first contact day and channel, the offer's expiry and the
 * discounted basket, or the error.
 * `make firmware` checks that this image carries at most 4.5 KiB of
 * libwinback code on Cortex-M0+ (docs/embedded.md).
 */
#include "winback/core.h"

/* Stand-ins for the terminal's storage and screen. */
static const char *const settings[][2] = {{"ladder_tier1_bp", "1000"},
                                          {"tier1_days", "90"}};
volatile const char *screen_line;
volatile int64_t screen_amount;

static void show(const char *text)
{
    screen_line = text;
}

static int configure(wb_policy *p)
{
    int rc = wb_policy_init(p);
    for (unsigned i = 0; rc == WB_OK && i < sizeof settings / sizeof settings[0]; i++) {
        const char *v = settings[i][1];
        size_t len = 0;
        int64_t value;
        while (v[len] != '\0')
            len++;
        rc = wb_amount_parse(v, len, 0, 0, &value);
        if (rc == WB_OK)
            rc = wb_policy_set(p, settings[i][0], value);
    }
    return rc;
}

static int serve(const wb_policy *p, int32_t today, int64_t basket)
{
    wb_customer c;
    wb_plan plan;
    char date[WB_DATE_BUFSIZE], expires[WB_DATE_BUFSIZE];
    int64_t discount, to_pay;
    int rc = wb_customer_init(&c);
    if (rc == WB_OK)
        rc = wb_day_parse("2026-03-14", 10, &c.last_purchase);
    if (rc == WB_OK)
        rc = wb_amount_parse("42.50", 5, 2, 0, &c.avg_check);
    c.purchases_per_year_x100 = 400;
    c.expected_years = 3;
    if (rc == WB_OK)
        rc = wb_decide(p, &c, today, &plan);
    if (rc == WB_OK)
        rc = wb_discount_apply(basket, plan.discount_bp, p->rounding,
                               &discount, &to_pay);
    if (rc == WB_OK && plan.earliest_contact != WB_DAY_NONE)
        rc = wb_day_format(plan.earliest_contact, date, sizeof date);
    if (rc == WB_OK && plan.offer_expires != WB_DAY_NONE)
        rc = wb_day_format(plan.offer_expires, expires, sizeof expires);
    if (rc != WB_OK) {
        show(wb_strerror(rc));
        return rc;
    }
    show(wb_action_name(plan.action));
    show(wb_class_name(plan.cls));
    for (uint32_t bit = 1; bit != 0; bit <<= 1)
        if (plan.reasons & bit)
            show(wb_exclusion_name(bit));
    if (plan.earliest_contact != WB_DAY_NONE) {
        show(date);
        show(wb_channel_name(plan.channel));
    }
    if (plan.offer_expires != WB_DAY_NONE)
        show(expires);              /* "offer valid until" */
    screen_amount = to_pay;
    return WB_OK;
}

int main(void)
{
    wb_policy p;
    int32_t today;
    int rc = configure(&p);
    if (rc == WB_OK)
        rc = wb_day_parse("2026-11-23", 10, &today);
    if (rc == WB_OK)
        rc = serve(&p, today, 129900);
    if (rc != WB_OK)
        show(wb_strerror(rc));
    return rc == WB_OK ? 0 : 1;
}
