/*
 * summary.c -- `winback summary`: the health of the base (R10).
 */
#include <string.h>

#include "tool.h"


/* Was the customer active (not lost) on day `start`? Days are sorted. */
static int active_on(const int32_t *days, size_t n, int32_t start,
                     int32_t lost_days)
{
    int32_t last = WB_DAY_NONE;
    for (size_t i = 0; i < n && days[i] <= start; i++)
        last = days[i];
    return last != WB_DAY_NONE && start - last < lost_days;
}

static int lost_threshold(const wb_policy *p)
{
    switch (p->lost_class) {
    case WB_CLASS_WATCH: return p->watch_days;
    case WB_CLASS_TIER2: return p->tier2_days;
    case WB_CLASS_TIER3: return p->tier3_days;
    default: return p->tier1_days;
    }
}

/* One customer into the totals; on error the totals are unchanged. A
 * customer known only to --customers has never bought: counted, no
 * revenue, no loss. The CRM's own loss count, when given, is the one that
 * says who is lost twice (rule 6). */
static int add_decided(const options *o, const base *b, const member *m,
                       const wb_plan *p, totals *t)
{
    const int32_t *days = NULL;
    size_t n = 0;
    const int32_t lost_days = lost_threshold(&o->policy);
    int in_log = m->ledger_index >= 0;
    if (in_log)
        FORWARD(wb_ledger_days(b->ledger, (size_t)m->ledger_index, &days, &n));
    int lost = in_log && m->lc.history.currently_lost;
    /* The money sums first, into locals: a customer whose sums overflow
     * changes nothing, so the caller can leave it out. */
    int64_t revenue, lost_value = t->lost_value, eligible_clv = t->eligible_clv;
    RETURN_IF(__builtin_add_overflow(t->revenue, in_log ? m->lc.total : 0, &revenue),
              WB_ERANGE);
    RETURN_IF(lost && __builtin_add_overflow(lost_value, p->clv, &lost_value), WB_ERANGE);
    RETURN_IF(p->action == WB_ACTION_WINBACK &&
              __builtin_add_overflow(eligible_clv, p->clv, &eligible_clv), WB_ERANGE);
    t->revenue = revenue;
    t->lost_value = lost_value;
    t->eligible_clv = eligible_clv;
    t->customers++;
    t->purchases += in_log ? (uint64_t)m->lc.purchases : 0;
    t->per_class[p->cls]++;
    t->per_action[p->action]++;
    t->twice_lost += (uint64_t)(lost && m->c.returns + 1 >= o->policy.lost_twice_count);
    t->lost_now += (uint64_t)lost;
    if (active_on(days, n, o->as_of - 365, lost_days)) {
        t->year_base++;
        t->year_lost += (uint64_t)lost;
    }
    return WB_OK;
}

int totals_add(const options *o, const base *b, size_t k, totals *t)
{
    member m;
    wb_plan p;
    FORWARD(base_member(o, b, k, &m));
    FORWARD(wb_decide(&o->policy, &m.c, o->as_of, &p));
    return add_decided(o, b, &m, &p, t);
}

static void print_money_line(const options *o, const char *label, int64_t v)
{
    char buf[32];
    format_money(v, o->decimals, buf, sizeof buf);
    printf("  %-34s %s\n", label, buf);
}

static void print_churn(const options *o, const totals *t)
{
    int32_t churn, health;
    char start[WB_DATE_BUFSIZE];
    format_day(o->as_of - 365, start);
    printf("annual churn (active on %s, lost now)\n", start);
    if (wb_base_health(&o->policy, (int64_t)t->year_base, (int64_t)t->year_lost,
                       &churn, &health) != WB_OK) {
        printf("  no customer was active a year ago\n");
        return;
    }
    char pct[32];
    format_percent(churn, pct, sizeof pct);
    printf("  %llu of %llu = %s %%: %s\n", (unsigned long long)t->year_lost,
           (unsigned long long)t->year_base, pct, wb_health_name(health));
}

/* Cost and return of winning back every eligible customer. */
static void print_projection(const options *o, const totals *t)
{
    uint64_t eligible = t->per_action[WB_ACTION_WINBACK];
    int64_t spend, income, romi;
    char pct[32];
    format_percent(o->return_rate_bp, pct, sizeof pct);
    printf("win-back of the %llu eligible customers (return rate %s %%)\n",
           (unsigned long long)eligible, pct);
    if (__builtin_mul_overflow((int64_t)eligible, o->amount[MONEY_COST], &spend) ||
        wb_apply_margin(t->eligible_clv, o->return_rate_bp, &income) != WB_OK) {
        printf("  beyond the range of 64-bit money\n");
        return;
    }
    print_money_line(o, "projected spend", spend);
    print_money_line(o, "projected income (CLV x rate)", income);
    if (wb_romi_bp(income, spend, 10000, &romi) == WB_OK) {
        format_percent(romi, pct, sizeof pct);
        printf("  %-34s %s %%\n", "projected ROMI", pct);
    } else
        printf("  %-34s n/a (spend is 0: set --cost)\n", "projected ROMI");
}

static void print_summary(const options *o, const totals *t)
{
    char asof[WB_DATE_BUFSIZE];
    format_day(o->as_of, asof);
    printf("base as of %s: %llu customers, %llu purchases\n", asof,
           (unsigned long long)t->customers, (unsigned long long)t->purchases);
    print_money_line(o, "revenue to date", t->revenue);
    printf("customers per class\n");
    for (int c = t->per_class[WB_CLASS_NEVER] ? WB_CLASS_NEVER : WB_CLASS_ACTIVE;
         c <= WB_CLASS_TIER3; c++)
        printf("  %-34s %llu\n", wb_class_name(c), (unsigned long long)t->per_class[c]);
    printf("plans\n");
    for (int a = WB_ACTION_NONE; a <= WB_ACTION_EXCLUDE; a++)
        printf("  %-34s %llu\n", wb_action_name(a), (unsigned long long)t->per_action[a]);
    print_churn(o, t);
    printf("lost now: %llu customers, of them lost twice or more: %llu\n",
           (unsigned long long)t->lost_now, (unsigned long long)t->twice_lost);
    print_money_line(o, "value of the lost base (CLV)", t->lost_value);
    print_projection(o, t);
}

/* Customers [from, to) of the base into totals of their own. A range is
 * clean when every customer went in and none took a money sum down; then
 * its sums, added to the others in any order, give the serial pass's. */
typedef struct summary_job {
    const options *o;
    const base *b;
    size_t from, to;
    totals t;
    int clean;
} summary_job;

static void *summarize_range(void *arg)
{
    summary_job *j = arg;
    member mb[DECIDE_BLOCK];
    wb_plan plans[DECIDE_BLOCK];
    int status[DECIDE_BLOCK];
    memset(&j->t, 0, sizeof j->t);
    j->clean = 1;
    for (size_t at = j->from; at < j->to && j->clean; at += DECIDE_BLOCK) {
        size_t n = j->to - at;
        if (n > DECIDE_BLOCK)
            n = DECIDE_BLOCK;
        base_decide(j->o, j->b, at, n, mb, plans, status);
        for (size_t i = 0; i < n && j->clean; i++) {
            int64_t lost = j->t.lost_value, clv = j->t.eligible_clv;
            j->clean = status[i] == WB_OK &&
                       add_decided(j->o, j->b, &mb[i], &plans[i], &j->t) == WB_OK &&
                       j->t.lost_value >= lost && j->t.eligible_clv >= clv;
        }
    }
    return NULL;
}

static int add_money(int64_t *to, int64_t v)
{
    return !__builtin_add_overflow(*to, v, to);
}

/* The ranges' totals into t; 0 when a range is not clean or a sum leaves
 * the range of 64-bit money, for the serial pass to say where. */
static int combine(const summary_job *jobs, unsigned n, totals *t)
{
    memset(t, 0, sizeof *t);
    for (unsigned k = 0; k < n; k++) {
        const totals *u = &jobs[k].t;
        if (!jobs[k].clean || !add_money(&t->revenue, u->revenue) ||
            !add_money(&t->lost_value, u->lost_value) ||
            !add_money(&t->eligible_clv, u->eligible_clv))
            return 0;
        for (size_t c = 0; c < sizeof t->per_class / sizeof t->per_class[0]; c++)
            t->per_class[c] += u->per_class[c];
        for (size_t a = 0; a < sizeof t->per_action / sizeof t->per_action[0]; a++)
            t->per_action[a] += u->per_action[a];
        t->customers += u->customers;
        t->purchases += u->purchases;
        t->twice_lost += u->twice_lost;
        t->lost_now += u->lost_now;
        t->year_base += u->year_base;
        t->year_lost += u->year_lost;
    }
    return 1;
}

/* The totals on one range per thread, like the plan. Where a customer
 * fails or a sum overflows, the serial pass below does the work again:
 * it says each failure in id order, and a customer whose sums overflow
 * is left out exactly where the running sums overflow. */
static int summarize_spread(const options *o, const base *b, totals *t)
{
    summary_job jobs[WB_THREADS_MAX];
    unsigned n = range_threads(o, b->n);
    if (n < 2)
        return 0;
    memset(jobs, 0, sizeof jobs);
    for (unsigned k = 0; k < n; k++) {
        jobs[k].o = o;
        jobs[k].b = b;
        jobs[k].from = b->n * k / n;
        jobs[k].to = b->n * (k + 1) / n;
    }
    run_spread(summarize_range, jobs, sizeof *jobs, n);
    return combine(jobs, n, t);
}

/* Every customer in id order on this thread, each failure said (and
 * fatal under --strict): EXIT_DATA then. */
static int summarize_serial(const options *o, const base *b, totals *t,
                            uint64_t *failed)
{
    member mb[DECIDE_BLOCK];
    wb_plan plans[DECIDE_BLOCK];
    int status[DECIDE_BLOCK];
    memset(t, 0, sizeof *t);
    for (size_t at = 0; at < b->n; at += DECIDE_BLOCK) {
        size_t n = b->n - at;
        if (n > DECIDE_BLOCK)
            n = DECIDE_BLOCK;
        base_decide(o, b, at, n, mb, plans, status);
        for (size_t i = 0; i < n; i++) {
            /* add_decided changes t only on success */
            int crc = status[i] != WB_OK ? status[i]
                                         : add_decided(o, b, &mb[i], &plans[i], t);
            const char *id;
            size_t id_len;
            if (crc == WB_OK)
                continue;
            base_id(o, b, at + i, &id, &id_len);
            if (customer_failed(o, id, id_len, crc, failed) != EXIT_OK)
                return EXIT_DATA;
        }
    }
    return EXIT_OK;
}

int run_summary(const options *o, const wb_ledger *l, const base *b)
{
    totals t;
    uint64_t failed = 0;
    (void)l;
    if (o->by != NULL)
        return run_breakdown(o, b);
    if (!summarize_spread(o, b, &t) &&
        summarize_serial(o, b, &t, &failed) != EXIT_OK)
        return EXIT_DATA;
    report_failed(failed);
    print_summary(o, &t);
    return ferror(stdout) ? EXIT_IO : EXIT_OK;
}
