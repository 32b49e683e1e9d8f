/*
 * winback_sqlite.c -- libwinback as an SQLite loadable extension
 * (docs/sqlite.md): `.load winback` in the sqlite3 shell, or
 * load_extension('winback').
 *
 * Money is integer minor units; dates are 'YYYY-MM-DD' text, as SQLite
 * keeps them. Errors are SQL errors with the library's message; NULL in is
 * NULL out where "not known" makes sense (a never-bought customer's last
 * purchase), an error where it does not.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "winback.h"

/* A text argument as a day, or an SQL error; NULL is WB_DAY_NONE. */
static int day_arg(sqlite3_context *ctx, sqlite3_value *v, int32_t *day)
{
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        *day = WB_DAY_NONE;
        return 1;
    }
    const char *t = (const char *)sqlite3_value_text(v);
    if (t != NULL && wb_day_parse(t, strlen(t), day) == WB_OK)
        return 1;
    char *msg = sqlite3_mprintf("winback: not a date (YYYY-MM-DD): %s", t ? t : "?");
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
    return 0;
}

static int ok(sqlite3_context *ctx, int status, const char *what)
{
    if (status == WB_OK)
        return 1;
    char *msg = sqlite3_mprintf("winback: %s: %s", what, wb_strerror(status));
    sqlite3_result_error(ctx, msg, -1);
    sqlite3_free(msg);
    return 0;
}

/* winback_class(last_purchase, as_of) and winback_discount_bp(...). */
static void classify(sqlite3_context *ctx, int argc, sqlite3_value **argv, int want_bp)
{
    wb_policy p;
    int32_t last, as_of, cls, since, bp;
    (void)argc;
    if (!ok(ctx, wb_policy_init(&p), "policy") || !day_arg(ctx, argv[0], &last) ||
        !day_arg(ctx, argv[1], &as_of))
        return;
    if (as_of == WB_DAY_NONE) {
        sqlite3_result_error(ctx, "winback: the as-of day is required", -1);
        return;
    }
    if (!ok(ctx, wb_classify(&p, last, as_of, &cls, &since), "class") ||
        !ok(ctx, wb_ladder_bp(&p, cls, &bp), "discount"))
        return;
    if (want_bp)
        sqlite3_result_int(ctx, bp);
    else
        sqlite3_result_text(ctx, wb_class_name(cls), -1, SQLITE_STATIC);
}

static void class_fn(sqlite3_context *c, int n, sqlite3_value **v) { classify(c, n, v, 0); }
static void discount_fn(sqlite3_context *c, int n, sqlite3_value **v) { classify(c, n, v, 1); }

static int any_null(int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; i++)
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            return 1;
    return 0;
}

/* winback_clv(avg_check, purchases_per_year_x100, years[, margin_bp]) */
static void clv_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t clv, out;
    if (any_null(argc, argv)) {
        sqlite3_result_error(ctx, "winback_clv: no argument may be NULL", -1);
        return;
    }
    int32_t margin = argc > 3 ? sqlite3_value_int(argv[3]) : 10000;
    if (ok(ctx, wb_clv_centi(sqlite3_value_int64(argv[0]), sqlite3_value_int(argv[1]),
                             sqlite3_value_int(argv[2]), &clv), "clv") &&
        ok(ctx, wb_apply_margin(clv, margin, &out), "clv"))
        sqlite3_result_int64(ctx, out);
}

/* winback_romi_bp(income, spend[, margin_bp]) */
static void romi_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    int64_t r;
    if (any_null(argc, argv)) {
        sqlite3_result_error(ctx, "winback_romi_bp: no argument may be NULL", -1);
        return;
    }
    if (ok(ctx, wb_romi_bp(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1]),
                           argc > 2 ? sqlite3_value_int(argv[2]) : 10000, &r), "romi"))
        sqlite3_result_int64(ctx, r);
}

/* winback_summary(date, amount, as_of): per customer, JSON with the facts
 * the decision needs (first and last purchase, rows, purchase days, total,
 * average check, R6 returns, lost now). The days are kept to count the
 * distinct ones and the losses. */
typedef struct agg {
    int32_t as_of, n, cap;
    int32_t *days;
    int64_t total;
    int failed;
} agg;

static void summary_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    agg *a = sqlite3_aggregate_context(ctx, sizeof *a);
    int32_t day, as_of;
    (void)argc;
    if (a == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (a->failed)
        return;
    if (any_null(3, argv)) {
        a->failed = 1;
        sqlite3_result_error(ctx, "winback_summary: a purchase needs a date, an amount "
                             "and the as-of day", -1);
        return;
    }
    if (!day_arg(ctx, argv[0], &day) || !day_arg(ctx, argv[2], &as_of)) {
        a->failed = 1;
        return;
    }
    sqlite3_int64 amount = sqlite3_value_int64(argv[1]);
    const char *bad = amount < 0 ? "winback_summary: a negative amount"
                    : day > as_of ? "winback_summary: a purchase after the as-of day"
                    : a->n > 0 && a->as_of != as_of
                          ? "winback_summary: the as-of day must be the same for every row"
                          : NULL;
    if (bad == NULL && __builtin_add_overflow(a->total, amount, &a->total))
        bad = "winback_summary: the total is beyond 64-bit money";
    if (bad != NULL) {
        a->failed = 1;
        sqlite3_result_error(ctx, bad, -1);
        return;
    }
    if (a->n == a->cap) {
        int32_t cap = a->cap ? a->cap * 2 : 8;
        int32_t *bigger = sqlite3_realloc(a->days, cap * (int)sizeof(int32_t));
        if (bigger == NULL) {
            a->failed = 1;
            sqlite3_result_error_nomem(ctx);
            return;
        }
        a->days = bigger;
        a->cap = cap;
    }
    a->as_of = as_of;
    a->days[a->n++] = day;
}

static int by_day(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

static void summary_final(sqlite3_context *ctx)
{
    agg *a = sqlite3_aggregate_context(ctx, 0);
    wb_policy p;
    wb_history h;
    char first[WB_DATE_BUFSIZE], last[WB_DATE_BUFSIZE];
    if (a == NULL || a->n == 0 || a->failed) {
        if (a != NULL)
            sqlite3_free(a->days);
        if (a == NULL || !a->failed)
            sqlite3_result_null(ctx);
        return;
    }
    qsort(a->days, (size_t)a->n, sizeof(int32_t), by_day);
    int32_t distinct = 0;
    for (int32_t i = 0; i < a->n; i++)
        distinct += i == 0 || a->days[i] != a->days[i - 1];
    if (ok(ctx, wb_policy_init(&p), "summary") &&
        ok(ctx, wb_history_losses(&p, a->days, (size_t)a->n, a->as_of, &h), "summary") &&
        ok(ctx, wb_day_format(a->days[0], first, sizeof first), "summary") &&
        ok(ctx, wb_day_format(a->days[a->n - 1], last, sizeof last), "summary")) {
        char *json = sqlite3_mprintf(
            "{\"first_purchase\": \"%s\", \"last_purchase\": \"%s\", \"purchases\": %d, "
            "\"purchase_days\": %d, \"total\": %lld, \"avg_check\": %lld, \"returns\": %d, "
            "\"lost\": %s}", first, last, a->n, distinct, (long long)a->total,
            (long long)((a->total + distinct / 2) / distinct), h.returns,
            h.currently_lost ? "true" : "false");
        sqlite3_result_text(ctx, json, -1, sqlite3_free);
    }
    sqlite3_free(a->days);
}

/* winback_decide(last_purchase, as_of, avg_check, purchases_per_year_x100,
 * returns, cost): the plan of a till's customer as JSON. */
static void decide_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    wb_policy p;
    wb_customer c;
    wb_plan pl;
    int32_t as_of;
    char contact[WB_DATE_BUFSIZE] = "", expires[WB_DATE_BUFSIZE] = "";
    (void)argc;
    if (!ok(ctx, wb_policy_init(&p), "policy") || !ok(ctx, wb_customer_init(&c), "decide") ||
        !day_arg(ctx, argv[0], &c.last_purchase) || !day_arg(ctx, argv[1], &as_of))
        return;
    if (as_of == WB_DAY_NONE || any_null(4, argv + 2)) {
        sqlite3_result_error(ctx, "winback_decide: only the last purchase may be NULL", -1);
        return;
    }
    c.avg_check = sqlite3_value_int64(argv[2]);
    c.purchases_per_year_x100 = sqlite3_value_int(argv[3]);
    c.expected_years = 3;
    c.returns = sqlite3_value_int(argv[4]);
    c.winback_cost = sqlite3_value_int64(argv[5]);
    if (!ok(ctx, wb_decide(&p, &c, as_of, &pl), "decide"))
        return;
    /* Days the library made are valid: formatting them cannot fail. */
    if (pl.earliest_contact != WB_DAY_NONE &&
        !ok(ctx, wb_day_format(pl.earliest_contact, contact, sizeof contact), "decide"))
        return;
    if (pl.offer_expires != WB_DAY_NONE &&
        !ok(ctx, wb_day_format(pl.offer_expires, expires, sizeof expires), "decide"))
        return;
    char *json = sqlite3_mprintf(
        "{\"class\": \"%s\", \"action\": \"%s\", \"discount_bp\": %d, \"clv\": %lld, "
        "\"approach\": \"%s\", \"channel\": \"%s\", \"earliest_contact\": %s%s%s, "
        "\"offer_expires\": %s%s%s, \"priority\": %lld}",
        wb_class_name(pl.cls), wb_action_name(pl.action), pl.discount_bp, (long long)pl.clv,
        wb_approach_name(pl.approach), wb_channel_name(pl.channel),
        contact[0] ? "\"" : "", contact[0] ? contact : "null", contact[0] ? "\"" : "",
        expires[0] ? "\"" : "", expires[0] ? expires : "null", expires[0] ? "\"" : "",
        (long long)pl.priority);
    sqlite3_result_text(ctx, json, -1, sqlite3_free);
}

/* The entry point SQLite looks for: sqlite3_<file name>_init. */
int sqlite3_winback_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);
#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_winback_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    (void)err;
    const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function(db, "winback_class", 2, det, NULL, class_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_discount_bp", 2, det, NULL, discount_fn,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_clv", 3, det, NULL, clv_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_clv", 4, det, NULL, clv_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_romi_bp", 2, det, NULL, romi_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_romi_bp", 3, det, NULL, romi_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_decide", 6, det, NULL, decide_fn, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "winback_summary", 3, det, NULL, NULL, summary_step,
                                     summary_final);
    return rc;
}
