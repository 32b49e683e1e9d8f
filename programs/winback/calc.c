/*
 * calc.c -- one-off calculators: winback clv, romi, discount.
 */
#include <string.h>

#include "tool.h"

typedef struct calc {
    const char *avg, *per_year, *income, *spend, *price, *policy_file;
    long years, margin, days, bp, rounding;
} calc;

static int calc_usage(const char *what)
{
    fprintf(stderr, "winback: %s\n", what);
    return EXIT_USAGE;
}

static int parse_calc(int argc, char **argv, calc *c)
{
    memset(c, 0, sizeof *c);
    c->years = 1;
    c->margin = 10000;
    c->days = c->bp = -1;
    for (int i = 2; i < argc; i++) {
        const char *k = argv[i];
        if (i + 1 >= argc)
            return calc_usage("every calculator option takes a value");
        const char *v = argv[++i];
        long *num = NULL, lo = 0, hi = 0;
        if (strcmp(k, "--avg") == 0) c->avg = v;
        else if (strcmp(k, "--per-year") == 0) c->per_year = v;
        else if (strcmp(k, "--income") == 0) c->income = v;
        else if (strcmp(k, "--spend") == 0) c->spend = v;
        else if (strcmp(k, "--price") == 0) c->price = v;
        else if (strcmp(k, "--policy") == 0) c->policy_file = v;
        else if (strcmp(k, "--years") == 0) { num = &c->years; hi = 1000; }
        else if (strcmp(k, "--margin") == 0) { num = &c->margin; lo = -10000; hi = 10000; }
        else if (strcmp(k, "--days") == 0) { num = &c->days; hi = WB_DAY_MAX - WB_DAY_MIN; }
        else if (strcmp(k, "--bp") == 0) { num = &c->bp; hi = 10000; }
        else if (strcmp(k, "--rounding") == 0) {
            if (strcmp(v, "half-up") == 0) c->rounding = WB_ROUND_HALF_UP;
            else if (strcmp(v, "down") == 0) c->rounding = WB_ROUND_DOWN;
            else if (strcmp(v, "up") == 0) c->rounding = WB_ROUND_UP;
            else return calc_usage("--rounding is half-up, down or up");
        } else {
            fprintf(stderr, "winback: unknown option '%s'\n", k);
            return EXIT_USAGE;
        }
        if (num != NULL && parse_int_arg(v, lo, hi, num) != WB_OK) {
            fprintf(stderr, "winback: bad value for %s: '%s'\n", k, v);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

static int money(const char *name, const char *text, int64_t *out)
{
    if (text == NULL) {
        fprintf(stderr, "winback: %s is required\n", name);
        return EXIT_USAGE;
    }
    if (parse_money_arg(text, 2, out) != WB_OK || *out < 0) {
        fprintf(stderr, "winback: %s: bad amount '%s'\n", name, text);
        return EXIT_USAGE;
    }
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
static int run_clv(const calc *c)
{
    int64_t avg, rate, clv;
    char buf[32];
    int rc = money("--avg", c->avg, &avg);
    if (rc == EXIT_OK)
        rc = money("--per-year", c->per_year, &rate);  /* hundredths */
    if (rc != EXIT_OK)
        return rc;
    if (rate > INT32_MAX)
        return calc_usage("--per-year is too large");
    rc = wb_clv_centi(avg, (int32_t)rate, (int32_t)c->years, &clv);
    if (rc == WB_OK)
        rc = wb_apply_margin(clv, (int32_t)c->margin, &clv);
    if (rc != WB_OK)
        return report("clv", rc);
    format_money(clv, 2, buf, sizeof buf);
    printf("clv %s\n", buf);
    return EXIT_OK;
}

/* ROMI = (income - spend) / spend (R5). */
static int run_romi(const calc *c)
{
    int64_t income, spend, romi;
    int rc = money("--income", c->income, &income);
    if (rc == EXIT_OK)
        rc = money("--spend", c->spend, &spend);
    if (rc != EXIT_OK)
        return rc;
    if (c->margin < 0)
        return calc_usage("--margin for ROMI is 0..10000");
    rc = wb_romi_bp(income, spend, (int32_t)c->margin, &romi);
    if (rc != WB_OK)
        return report("romi", rc);
    printf("romi %lld bp (%s%lld.%02lld %%)\n", (long long)romi, romi < 0 ? "-" : "",
           (long long)((romi < 0 ? -romi : romi) / 100),
           (long long)((romi < 0 ? -romi : romi) % 100));
    return EXIT_OK;
}

/* The ladder's discount for --days since the last purchase, or --bp. */
static int run_discount(const calc *c)
{
    wb_policy p;
    int64_t price, amount, final;
    int32_t bp = (int32_t)c->bp, cls = -1;
    char a[32], f[32];
    int rc = money("--price", c->price, &price);
    if (rc != EXIT_OK)
        return rc;
    if ((c->days < 0) == (c->bp < 0))
        return calc_usage("give exactly one of --days and --bp");
    if (wb_policy_init(&p) != WB_OK)
        return EXIT_INTERNAL;
    if (c->policy_file != NULL && (rc = load_policy_file(c->policy_file, &p)) != EXIT_OK)
        return rc;
    if (c->days >= 0) {
        rc = wb_classify(&p, 0, (int32_t)c->days, &cls, NULL);
        if (rc == WB_OK)
            rc = wb_ladder_bp(&p, cls, &bp);
        if (rc != WB_OK)
            return report("discount", rc);
    }
    rc = wb_discount_apply(price, bp, c->policy_file ? p.rounding : (int32_t)c->rounding,
                           &amount, &final);
    if (rc != WB_OK)
        return report("discount", rc);
    format_money(amount, 2, a, sizeof a);
    format_money(final, 2, f, sizeof f);
    if (cls >= 0)
        printf("class %s, ", wb_class_name(cls));
    printf("discount %d bp: %s off, pay %s\n", (int)bp, a, f);
    return EXIT_OK;
}

int run_calculator(int argc, char **argv);
int run_calculator(int argc, char **argv)
{
    calc c;
    const char *cmd = argv[1];
    int is_clv = strcmp(cmd, "clv") == 0, is_romi = strcmp(cmd, "romi") == 0,
        is_disc = strcmp(cmd, "discount") == 0;
    if (!is_clv && !is_romi && !is_disc) {
        fprintf(stderr, "winback: unknown command '%s' (try --help)\n", cmd);
        return EXIT_USAGE;
    }
    int rc = parse_calc(argc, argv, &c);
    if (rc != EXIT_OK)
        return rc;
    return is_clv ? run_clv(&c) : is_romi ? run_romi(&c) : run_discount(&c);
}
