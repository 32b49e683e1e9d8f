/*
 * calc.c -- one-off calculators: winback clv, romi, discount.
 */
#include <string.h>

#include "tool.h"

/* A required amount: given, or a usage error naming the option. */
static int required(const options *o, int which, const char *name, int64_t *out)
{
    if (o->money[which] == NULL) {
        fprintf(stderr, "winback: %s is required\n", name);
        return EXIT_USAGE;
    }
    *out = o->amount[which];
    return EXIT_OK;
}

static int report(const char *what, int rc)
{
    if (rc == WB_OK)
        return EXIT_OK;
    die_status(what, rc);
    return EXIT_DATA;
}

/* CLV = average check x purchases a year x years, on margin (R3). */
static int run_clv(const options *o)
{
    int64_t avg, rate, clv;
    char buf[32];
    FORWARD(required(o, MONEY_AVG, "--avg", &avg));
    FORWARD(required(o, MONEY_PER_YEAR, "--per-year", &rate));  /* hundredths */
    if (rate > INT32_MAX)
        return usage_error("--per-year is too large", o->money[MONEY_PER_YEAR]);
    int rc = wb_clv_centi(avg, (int32_t)rate, o->years, &clv);
    if (rc == WB_OK)
        rc = wb_apply_margin(clv, o->margin_bp, &clv);
    if (rc != WB_OK)
        return report("clv", rc);
    format_money(clv, o->decimals, buf, sizeof buf);
    printf("clv %s\n", buf);
    return EXIT_OK;
}

/* ROMI = (income - spend) / spend (R5). */
static int run_romi(const options *o)
{
    int64_t income, spend, romi;
    FORWARD(required(o, MONEY_INCOME, "--income", &income));
    FORWARD(required(o, MONEY_SPEND, "--spend", &spend));
    if (o->margin_bp < 0)
        return usage_error("--margin for ROMI is 0..10000", NULL);
    int rc = wb_romi_bp(income, spend, o->margin_bp, &romi);
    if (rc != WB_OK)
        return report("romi", rc);
    char pct[32];
    format_percent(romi, pct, sizeof pct);
    printf("romi %lld bp (%s %%)\n", (long long)romi, pct);
    return EXIT_OK;
}

/* The ladder's discount for --days since the last purchase, or --bp. */
/* The policy's rounding applies, or --rounding where given (options.c). */
static int run_discount(const options *o)
{
    const wb_policy *p = &o->policy;
    int64_t price, amount, final;
    int32_t bp = (int32_t)o->bp, cls = -1;
    char a[32], f[32];
    FORWARD(required(o, MONEY_PRICE, "--price", &price));
    if (o->days < 0 && o->bp < 0)
        return usage_error("give one of --days and --bp", NULL);
    int rc = WB_OK;
    if (o->days >= 0) {
        rc = wb_classify(p, 0, (int32_t)o->days, &cls, NULL);
        if (rc == WB_OK)
            rc = wb_ladder_bp(p, cls, &bp);
        if (rc != WB_OK)
            return report("discount", rc);
    }
    rc = wb_discount_apply(price, bp, p->rounding, &amount, &final);
    if (rc != WB_OK)
        return report("discount", rc);
    format_money(amount, o->decimals, a, sizeof a);
    format_money(final, o->decimals, f, sizeof f);
    if (cls >= 0)
        printf("class %s, ", wb_class_name(cls));
    printf("discount %d bp: %s off, pay %s\n", (int)bp, a, f);
    return EXIT_OK;
}

int run_calculator(const options *o)
{
    return o->command == CMD_CLV    ? run_clv(o)
           : o->command == CMD_ROMI ? run_romi(o)
                                    : run_discount(o);
}
