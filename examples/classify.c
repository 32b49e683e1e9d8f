/*
 * classify.c -- the first program a CRM vendor should read.
 *
 * Five customers as a CRM knows them, one policy with the defaults of the
 * rules, and one call per customer that returns the whole win-back plan.
 * Build: cc classify.c $(pkg-config --cflags --libs winback)
 */
#include <stdio.h>
#include <string.h>

#include "winback.h"

/* Converts an ISO date, stopping the program on a typo in this file. */
static int32_t day_of(const char *iso)
{
    int32_t day;
    if (wb_day_parse(iso, strlen(iso), &day) != WB_OK) {
        fprintf(stderr, "bad date in the example: %s\n", iso);
        return WB_DAY_NONE;
    }
    return day;
}

static void print_reasons(uint32_t reasons)
{
    uint32_t bit;
    const char *sep = "";
    if (reasons == 0)
        fputs("-", stdout);
    for (bit = 1; bit != 0 && bit <= WB_EXCL_ALL_MASK; bit <<= 1) {
        if (reasons & bit) {
            printf("%s%s", sep, wb_exclusion_name(bit));
            sep = ",";
        }
    }
}

static int print_plan(const wb_policy *policy, const char *name,
                      const wb_customer *c, int32_t as_of)
{
    wb_plan plan;
    char contact[WB_DATE_BUFSIZE] = "-";
    int rc = wb_decide(policy, c, as_of, &plan);
    if (rc != WB_OK) {
        printf("%-10s error: %s\n", name, wb_strerror(rc));
        return rc;
    }
    if (plan.earliest_contact != WB_DAY_NONE &&
        wb_day_format(plan.earliest_contact, contact, sizeof contact) != WB_OK)
        return 1;
    printf("%-10s %4d days  %-8s %-8s %2d.%02d%%  %-18s %-16s %s  prio %lld  ",
           name, (int)plan.days_since, wb_class_name(plan.cls),
           wb_action_name(plan.action), (int)(plan.discount_bp / 100),
           (int)(plan.discount_bp % 100), wb_escalation_name(plan.escalation),
           wb_approach_name(plan.approach), contact, (long long)plan.priority);
    print_reasons(plan.reasons);
    putchar('\n');
    return WB_OK;
}

int main(void)
{
    wb_policy policy;
    wb_customer c;
    int32_t as_of = day_of("2026-11-23");
    int failures = 0;

    /* The header the program was compiled with must match the library. */
    if (wb_version_number() != WB_VERSION_NUMBER) {
        fprintf(stderr, "header %s, library %s\n", WB_VERSION_STRING,
                wb_version_string());
        return 1;
    }
    if (wb_policy_init(&policy) != WB_OK)
        return 1;

    /* A price-driven lapse 200 days ago: worth 2.5 orders a year of 80.00
     * for 3 more years, on a 40 % margin; the win-back costs 15.00. */
    if (wb_customer_init(&c) != WB_OK)
        return 1;
    c.last_purchase = as_of - 200;
    c.reason = WB_REASON_PRICE;
    c.avg_check = 8000;
    c.purchases_per_year_x100 = 250;
    c.expected_years = 3;
    c.margin_bp = 4000;
    c.winback_cost = 1500;
    failures += print_plan(&policy, "price", &c, as_of) != WB_OK;

    /* The same customer, but they already came back once before. */
    c.returns = 1;
    failures += print_plan(&policy, "twice", &c, as_of) != WB_OK;

    /* A rude manager (severity 2, a person's failure) 100 days ago, and we
     * called two days ago: the next call waits for the cadence. */
    if (wb_customer_init(&c) != WB_OK)
        return 1;
    c.last_purchase = as_of - 100;
    c.reason = WB_REASON_SERVICE;
    c.severity = 2;
    c.flags = WB_CUST_HUMAN_FACTOR;
    c.incident_day = as_of - 100;
    c.last_contact = as_of - 2;
    c.clv = 250000;
    c.winback_cost = 20000;
    c.lost_by_employee = 17;
    failures += print_plan(&policy, "service", &c, as_of) != WB_OK;

    /* A catastrophe: no active win-back, a cooling-off pause. */
    c.severity = 5;
    failures += print_plan(&policy, "disaster", &c, as_of) != WB_OK;

    /* Gone quiet for 45 days: watch, do not discount yet. */
    if (wb_customer_init(&c) != WB_OK)
        return 1;
    c.last_purchase = as_of - 45;
    failures += print_plan(&policy, "quiet", &c, as_of) != WB_OK;

    return failures == 0 ? 0 : 1;
}
