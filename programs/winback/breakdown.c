/*
 * breakdown.c -- `winback summary --by month|quarter|COLUMN`: R13's loss
 * statistics ([Lost-customers], step 2).
 *
 * Per period: the customers who became lost in it (crossed the lost
 * threshold: wb_history_events dates each loss), those who returned in it
 * (their first purchase after a loss), and the value lost (the CLV of each
 * customer who became lost, as the plan computes it). Per group of a
 * --customers column: the same losses, returns and value over the whole
 * history, with the group's customers and those lost now. The two
 * breakdowns add up to the same totals.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Month number (year * 12 + month - 1) or quarter number of a day. */
static int32_t period_of(int mode, int32_t day)
{
    int32_t y, m, d;
    if (wb_day_to_ymd(day, &y, &m, &d) != WB_OK)
        return 0;
    return mode == BY_MONTH ? y * 12 + m - 1 : y * 4 + (m - 1) / 3;
}

void period_name(int mode, int32_t period, char *buf, size_t size)
{
    if (mode == BY_MONTH)
        snprintf(buf, size, "%04d-%02d", (int)(period / 12), (int)(period % 12 + 1));
    else
        snprintf(buf, size, "%04d-Q%d", (int)(period / 4), (int)(period % 4 + 1));
}

/* The bucket of a period or a group value, made when first seen. */
static bucket *bucket_for(breakdown *bd, int32_t period, const char *key)
{
    for (size_t i = 0; i < bd->n; i++)
        if (key ? strcmp(bd->b[i].key, key) == 0 : bd->b[i].period == period)
            return &bd->b[i];
    if (bd->n == bd->cap) {
        size_t cap = bd->cap ? bd->cap * 2 : 64;
        bucket *bigger = realloc(bd->b, cap * sizeof *bigger);
        RETURN_IF(bigger == NULL, NULL);
        bd->b = bigger;
        bd->cap = cap;
    }
    bucket *x = &bd->b[bd->n];
    memset(x, 0, sizeof *x);
    x->period = period;
    if (key != NULL && (x->key = strdup(key)) == NULL)
        return NULL;
    bd->n++;
    return x;
}

/* The customer's loss events into bd->ev; their number into *count. */
static int events(const options *o, const base *b, const member *m,
                  breakdown *bd, size_t *count)
{
    const int32_t *days;
    size_t n;
    *count = 0;
    if (m->ledger_index < 0)
        return WB_OK;                   /* never bought: never lost */
    FORWARD(wb_ledger_days(b->ledger, (size_t)m->ledger_index, &days, &n));
    if (n + 1 > bd->ev_cap) {
        wb_loss_event *bigger = realloc(bd->ev, (n + 1) * sizeof *bigger);
        RETURN_IF(bigger == NULL, WB_ENOMEM);
        bd->ev = bigger;
        bd->ev_cap = n + 1;
    }
    return wb_history_events(&o->policy, days, n, o->as_of, bd->ev, bd->ev_cap, count);
}

static int add_money(int64_t *sum, int64_t v)
{
    return __builtin_add_overflow(*sum, v, sum) ? WB_ERANGE : WB_OK;
}

/* One customer into the buckets. A failure part-way (an overflow, no
 * memory) stops the command: the figures would no longer add up. */
static int add(const options *o, const base *b, size_t k, breakdown *bd)
{
    member m;
    wb_plan p;
    size_t count;
    FORWARD(base_member(o, b, k, &m));
    FORWARD(wb_decide(&o->policy, &m.c, o->as_of, &p));
    FORWARD(events(o, b, &m, bd, &count));
    if (bd->mode == BY_COLUMN) {
        const char *key = m.crm && m.crm->dims && m.crm->dims[bd->dim][0]
                              ? m.crm->dims[bd->dim] : "(none)";
        bucket *x = bucket_for(bd, 0, key);
        RETURN_IF(x == NULL, WB_ENOMEM);
        x->customers++;
        x->lost_now += m.ledger_index >= 0 && m.lc.history.currently_lost;
        for (size_t e = 0; bd->ev != NULL && e < count; e++) {
            x->lost++;
            x->returned += bd->ev[e].returned_day != WB_DAY_NONE;
            FORWARD(add_money(&x->value_lost, p.clv));
        }
        return WB_OK;
    }
    for (size_t e = 0; bd->ev != NULL && e < count; e++) {
        bucket *x = bucket_for(bd, period_of(bd->mode, bd->ev[e].lost_day), NULL);
        RETURN_IF(x == NULL, WB_ENOMEM);
        x->lost++;
        FORWARD(add_money(&x->value_lost, p.clv));
        if (bd->ev[e].returned_day != WB_DAY_NONE) {
            x = bucket_for(bd, period_of(bd->mode, bd->ev[e].returned_day), NULL);
            RETURN_IF(x == NULL, WB_ENOMEM);
            x->returned++;
        }
    }
    return WB_OK;
}

static int by_key(const void *a, const void *b)
{
    const bucket *x = a, *y = b;
    if (x->key != NULL)
        return strcmp(x->key, y->key);
    return (x->period > y->period) - (x->period < y->period);
}

/* Every period from the first to the as-of day's, losses or not: a month
 * without losses is a figure too. */
static int fill_periods(const options *o, breakdown *bd)
{
    if (bd->mode == BY_COLUMN || bd->n == 0)
        return WB_OK;
    int32_t first = bd->b[0].period, last = period_of(bd->mode, o->as_of);
    for (size_t i = 1; i < bd->n; i++)
        if (bd->b[i].period < first)
            first = bd->b[i].period;
    for (int32_t q = first; q <= last; q++)
        RETURN_IF(bucket_for(bd, q, NULL) == NULL, WB_ENOMEM);
    return WB_OK;
}

static void print(const options *o, const breakdown *bd, const char *dim_name)
{
    int groups = bd->mode == BY_COLUMN;
    const char *head = groups ? dim_name : "period";
    if (o->format == FORMAT_CSV)
        printf("%s,%scustomers_lost,returned,value_lost\n", head,
               groups ? "customers,lost_now," : "");
    else if (o->format == FORMAT_JSON)
        printf("[\n");
    else
        printf("%-16s %s%14s %10s %14s\n", head, groups ? "  customers   lost_now" : "",
               "became_lost", "returned", "value_lost");
    for (size_t i = 0; i < bd->n; i++) {
        const bucket *x = &bd->b[i];
        char key[24], money[32];
        if (!groups)
            period_name(bd->mode, x->period, key, sizeof key);
        const char *k = groups ? x->key : key;
        format_money(x->value_lost, o->decimals, money, sizeof money);
        if (o->format == FORMAT_CSV) {
            print_csv_text(stdout, k);
            if (groups)
                printf(",%llu,%llu", (unsigned long long)x->customers,
                       (unsigned long long)x->lost_now);
            printf(",%llu,%llu,%s\n", (unsigned long long)x->lost,
                   (unsigned long long)x->returned, money);
        } else if (o->format == FORMAT_JSON) {
            printf("%s  {\"%s\": ", i ? ",\n" : "", groups ? "group" : "period");
            print_json_text(stdout, k);
            if (groups)
                printf(", \"customers\": %llu, \"lost_now\": %llu",
                       (unsigned long long)x->customers, (unsigned long long)x->lost_now);
            printf(", \"customers_lost\": %llu, \"returned\": %llu, \"value_lost\": %s}",
                   (unsigned long long)x->lost, (unsigned long long)x->returned, money);
        } else {
            printf("%-16.16s", k);
            if (groups)
                printf(" %10llu %10llu", (unsigned long long)x->customers,
                       (unsigned long long)x->lost_now);
            printf(" %14llu %10llu %14s\n", (unsigned long long)x->lost,
                   (unsigned long long)x->returned, money);
        }
    }
    if (o->format == FORMAT_JSON)
        printf("%s]\n", bd->n ? "\n" : "");
}

void breakdown_free(breakdown *bd)
{
    for (size_t i = 0; i < bd->n; i++)
        free(bd->b[i].key);
    free(bd->b);
    free(bd->ev);
}

int run_breakdown(const options *o, const base *b)
{
    breakdown bd;
    memset(&bd, 0, sizeof bd);
    bd.mode = strcmp(o->by, "month") == 0 ? BY_MONTH
            : strcmp(o->by, "quarter") == 0 ? BY_QUARTER : BY_COLUMN;
    if (bd.mode == BY_COLUMN) {
        bd.dim = b->crm ? crm_dimension(b->crm, o->by) : -1;
        if (bd.dim < 0) {
            fprintf(stderr, "winback: --by %s: not month, quarter or a column of "
                    "--customers%s\n", o->by, b->crm ? "" : " (none given)");
            return EXIT_USAGE;
        }
    }
    int rc = breakdown_collect(o, b, &bd);
    if (rc == WB_OK) {
        if (!o->quiet) {
            char asof[WB_DATE_BUFSIZE];
            format_day(o->as_of, asof);
            fprintf(stderr, "winback: losses by %s as of %s; a loss is dated by the "
                    "day the customer crossed the lost threshold\n", o->by, asof);
        }
        print(o, &bd, bd.mode == BY_COLUMN ? b->crm->dim_names[bd.dim] : "period");
    }
    breakdown_free(&bd);
    if (rc != WB_OK)
        return rc == WB_ENOMEM ? EXIT_INTERNAL : EXIT_DATA;
    return ferror(stdout) ? EXIT_IO : EXIT_OK;
}

/* Every customer into the buckets, sorted; a customer that fails stops it
 * (said on stderr): the figures would not add up. */
int breakdown_collect(const options *o, const base *b, breakdown *bd)
{
    int rc = WB_OK;
    for (size_t k = 0; rc == WB_OK && k < b->n; k++) {
        rc = add(o, b, k, bd);
        if (rc != WB_OK) {
            const char *id;
            size_t len;
            base_id(o, b, k, &id, &len);
            fprintf(stderr, "winback: customer %.*s: %s; the breakdown stops (its "
                    "figures would not add up)\n", (int)len, id, wb_strerror(rc));
        }
    }
    if (rc == WB_OK)
        rc = fill_periods(o, bd);
    if (rc == WB_OK && bd->n > 0)
        qsort(bd->b, bd->n, sizeof *bd->b, by_key);
    return rc;
}
