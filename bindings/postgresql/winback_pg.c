/*
 * winback_pg.c -- libwinback inside PostgreSQL (docs/postgresql.md).
 *
 * Money is bigint minor units (cents) throughout: exact, and what the
 * library computes in. Days are SQL dates, converted to the library's day
 * numbers (days since 1970-01-01) at the boundary. A policy is jsonb: the
 * library's defaults with the given keys overridden, each set and the
 * whole validated by the library; a bad key or value is SQLSTATE 22023
 * naming it. The aggregates keep their state in `internal` with combine,
 * serial and deserial functions, so parallel query (and Citus) can split
 * them.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "winback.h"

PG_MODULE_MAGIC;

/* SQL dates count from 2000-01-01; the library's days from 1970-01-01. */
#define EPOCH_SHIFT 10957

static int32_t to_day(DateADT d)
{
    if (DATE_NOT_FINITE(d))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback: dates must be finite")));
    int64 day = (int64)d + EPOCH_SHIFT;
    if (day < WB_DAY_MIN || day > WB_DAY_MAX)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback: date outside 0001-01-01 .. 9999-12-31")));
    return (int32_t)day;
}

static DateADT sql_date(int32_t day)
{
    return (DateADT)(day - EPOCH_SHIFT);
}

/* A library status as an SQL error, with the library's message. */
static void check(int status, const char *what)
{
    if (status == WB_OK)
        return;
    ereport(ERROR, (errcode(status == WB_ENOMEM ? ERRCODE_OUT_OF_MEMORY
                            : status == WB_ERANGE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE
                            : ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("winback: %s: %s", what, wb_strerror(status))));
}

/* ---- the policy ---------------------------------------------------------- */

/* The defaults, with every key of `j` (a jsonb object of integers) set;
 * NULL gives the defaults. */
static void policy_from(Jsonb *j, wb_policy *p)
{
    check(wb_policy_init(p), "policy");
    if (j == NULL)
        return;
    if (!JB_ROOT_IS_OBJECT(j))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback: a policy is a jsonb object of key: integer")));
    JsonbIterator *it = JsonbIteratorInit(&j->root);
    JsonbValue k, v;
    JsonbIteratorToken t;
    while ((t = JsonbIteratorNext(&it, &k, false)) != WJB_DONE) {
        if (t != WJB_KEY)
            continue;
        char *key = pnstrdup(k.val.string.val, k.val.string.len);
        t = JsonbIteratorNext(&it, &v, true);
        if (v.type != jbvNumeric)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("winback: policy key \"%s\": the value must be a number", key)));
        int64 value = DatumGetInt64(DirectFunctionCall1(numeric_int8,
                                                        NumericGetDatum(v.val.numeric)));
        int rc = wb_policy_set(p, key, value);
        int64_t lo, hi;
        if (rc == WB_EPOLICY && wb_policy_range(key, &lo, &hi) == WB_OK)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("winback: policy key \"%s\": " INT64_FORMAT " is outside "
                                   INT64_FORMAT ".." INT64_FORMAT, key, value, (int64)lo,
                                   (int64)hi)));
        if (rc != WB_OK)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("winback: policy key \"%s\": %s", key, wb_strerror(rc))));
    }
    const char *bad = NULL;
    if (wb_policy_validate(p, &bad) != WB_OK)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback: policy key \"%s\": breaks a rule tying it to "
                               "another field (docs/policy.md)", bad ? bad : "?")));
}

static Jsonb *arg_policy(FunctionCallInfo fcinfo, int n)
{
    return PG_NARGS() > n && !PG_ARGISNULL(n) ? PG_GETARG_JSONB_P(n) : NULL;
}

PG_FUNCTION_INFO_V1(winback_policy);
Datum winback_policy(PG_FUNCTION_ARGS)
{
    wb_policy p;
    StringInfoData s;
    policy_from(arg_policy(fcinfo, 0), &p);
    initStringInfo(&s);
    appendStringInfoChar(&s, '{');
    for (size_t i = 0; wb_policy_key(i) != NULL; i++) {
        int64_t v;
        check(wb_policy_get(&p, wb_policy_key(i), &v), "policy");
        appendStringInfo(&s, "%s\"%s\": " INT64_FORMAT, i ? ", " : "", wb_policy_key(i),
                         (int64)v);
    }
    appendStringInfoChar(&s, '}');
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* ---- recency, ladder, calculators ----------------------------------------- */

PG_FUNCTION_INFO_V1(winback_class);
Datum winback_class(PG_FUNCTION_ARGS)
{
    wb_policy p;
    int32_t cls, since;
    policy_from(arg_policy(fcinfo, 2), &p);
    int32_t last = PG_ARGISNULL(0) ? WB_DAY_NONE : to_day(PG_GETARG_DATEADT(0));
    check(wb_classify(&p, last, to_day(PG_GETARG_DATEADT(1)), &cls, &since), "class");
    PG_RETURN_TEXT_P(cstring_to_text(wb_class_name(cls)));
}

PG_FUNCTION_INFO_V1(winback_discount_bp);
Datum winback_discount_bp(PG_FUNCTION_ARGS)
{
    wb_policy p;
    int32_t cls, since, bp;
    policy_from(arg_policy(fcinfo, 2), &p);
    int32_t last = PG_ARGISNULL(0) ? WB_DAY_NONE : to_day(PG_GETARG_DATEADT(0));
    check(wb_classify(&p, last, to_day(PG_GETARG_DATEADT(1)), &cls, &since), "discount");
    check(wb_ladder_bp(&p, cls, &bp), "discount");
    PG_RETURN_INT32(bp);
}

/* CLV in minor units: avg_check x purchases a year (numeric, hundredths
 * kept exactly) x years, on a margin. */
PG_FUNCTION_INFO_V1(winback_clv);
Datum winback_clv(PG_FUNCTION_ARGS)
{
    int64 avg = PG_GETARG_INT64(0);
    Numeric per_year = PG_GETARG_NUMERIC(1);
    int32 years = PG_GETARG_INT32(2), margin = PG_GETARG_INT32(3);
    Datum x100 = DirectFunctionCall2(numeric_mul, NumericGetDatum(per_year),
                                     DirectFunctionCall1(int4_numeric, Int32GetDatum(100)));
    Datum r = DirectFunctionCall2(numeric_round, x100, Int32GetDatum(0));
    int64 rate = DatumGetInt64(DirectFunctionCall1(numeric_int8, r));
    if (rate < 0 || rate > INT32_MAX)
        check(WB_EINVAL, "clv: purchases a year");
    int64_t clv, out;
    check(wb_clv_centi(avg, (int32_t)rate, years, &clv), "clv");
    check(wb_apply_margin(clv, margin, &out), "clv");
    PG_RETURN_INT64(out);
}

PG_FUNCTION_INFO_V1(winback_romi_bp);
Datum winback_romi_bp(PG_FUNCTION_ARGS)
{
    int64_t r;
    check(wb_romi_bp(PG_GETARG_INT64(0), PG_GETARG_INT64(1), PG_GETARG_INT32(2), &r), "romi");
    PG_RETURN_INT64(r);
}

PG_FUNCTION_INFO_V1(winback_writeoff);
Datum winback_writeoff(PG_FUNCTION_ARGS)
{
    wb_policy p;
    int64_t w;
    policy_from(arg_policy(fcinfo, 2), &p);
    check(wb_debt_writeoff(&p, PG_GETARG_INT64(0), PG_GETARG_INT32(1), &w), "writeoff");
    PG_RETURN_INT64(w);
}

/* ---- the decision ------------------------------------------------------------ */

static const char *const REASON[] = {"unknown", "price", "service", "forgot",
                                     "lost-interest", "quality", "moved",
                                     "business-changed", "manager-changed", "conflict"};
static const struct { const char *name; uint32_t bit; } FLAG[] = {
    {"human-factor", WB_CUST_HUMAN_FACTOR}, {"toxic", WB_CUST_TOXIC},
    {"out-of-area", WB_CUST_OUT_OF_AREA}, {"reachable", WB_CUST_REACHABLE},
    {"bad-payer", WB_CUST_BAD_PAYER}, {"out-of-target", WB_CUST_OUT_OF_TARGET},
    {"staff-conflict", WB_CUST_STAFF_CONFLICT}, {"strategic", WB_CUST_STRATEGIC}};

static int32_t reason_of(text *t)
{
    char *s = text_to_cstring(t);
    for (int r = 0; r < WB_REASON_COUNT; r++)
        if (strcmp(s, REASON[r]) == 0)
            return r;
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("winback: reason \"%s\": not price, service, forgot, "
                           "lost-interest, quality, moved, business-changed, "
                           "manager-changed, conflict or unknown", s)));
    return 0;
}

static uint32_t flags_of(ArrayType *a)
{
    Datum *items;
    bool *nulls;
    int n;
    uint32_t flags = 0;
    deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &n);
    for (int i = 0; i < n; i++) {
        char *s = nulls[i] ? "" : TextDatumGetCString(items[i]);
        size_t k = 0;
        while (k < lengthof(FLAG) && strcmp(s, FLAG[k].name) != 0)
            k++;
        if (k == lengthof(FLAG))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("winback: flag \"%s\": not one of human-factor, toxic, "
                                   "out-of-area, reachable, bad-payer, out-of-target, "
                                   "staff-conflict, strategic", s)));
        flags |= FLAG[k].bit;
    }
    return flags;
}

/* Names of the set bits as text[]. */
static Datum bit_names(uint32_t bits, const char *(*name)(uint32_t), int top)
{
    Datum items[32];
    int n = 0;
    for (int b = 0; b < top; b++)
        if (bits >> b & 1u)
            items[n++] = CStringGetTextDatum(name(1u << b));
    return PointerGetDatum(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static int32_t opt_day(FunctionCallInfo fcinfo, int i)
{
    return PG_ARGISNULL(i) ? WB_DAY_NONE : to_day(PG_GETARG_DATEADT(i));
}

static int32 opt_int(FunctionCallInfo fcinfo, int i, int32 def)
{
    return PG_ARGISNULL(i) ? def : PG_GETARG_INT32(i);
}

/* winback_decide(last_purchase, as_of, avg_check, purchases_per_year,
 *   years, returns, reason, severity, incident_day, flags, nps, complaints,
 *   discount_demands, requests, contacts, last_contact, margin_bp, clv,
 *   cost, lost_by, policy) -> winback_plan. as_of is required; every other
 *   argument may be NULL ("not known"). */
PG_FUNCTION_INFO_V1(winback_decide);
Datum winback_decide(PG_FUNCTION_ARGS)
{
    wb_policy p;
    wb_customer c;
    wb_plan pl;
    TupleDesc desc;
    if (PG_ARGISNULL(1))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("winback: as_of is required")));
    policy_from(arg_policy(fcinfo, 20), &p);
    check(wb_customer_init(&c), "customer");
    int32_t as_of = to_day(PG_GETARG_DATEADT(1));
    c.last_purchase = opt_day(fcinfo, 0);
    c.avg_check = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT64(2);
    if (!PG_ARGISNULL(3)) {
        Datum x100 = DirectFunctionCall2(numeric_mul, PG_GETARG_DATUM(3),
                                         DirectFunctionCall1(int4_numeric, Int32GetDatum(100)));
        int64 rate = DatumGetInt64(DirectFunctionCall1(numeric_int8,
                         DirectFunctionCall2(numeric_round, x100, Int32GetDatum(0))));
        c.purchases_per_year_x100 = rate < 0 || rate > INT32_MAX ? -1 : (int32_t)rate;
    }
    c.expected_years = opt_int(fcinfo, 4, 3);
    c.returns = opt_int(fcinfo, 5, 0);
    if (!PG_ARGISNULL(6))
        c.reason = reason_of(PG_GETARG_TEXT_PP(6));
    c.severity = opt_int(fcinfo, 7, 0);
    c.incident_day = opt_day(fcinfo, 8);
    if (!PG_ARGISNULL(9))
        c.flags = flags_of(PG_GETARG_ARRAYTYPE_P(9));
    c.nps = opt_int(fcinfo, 10, WB_NPS_NONE);
    c.complaints = opt_int(fcinfo, 11, 0);
    c.discount_demands = opt_int(fcinfo, 12, 0);
    c.requests = opt_int(fcinfo, 13, 0);
    c.contacts_since_purchase = opt_int(fcinfo, 14, 0);
    c.last_contact = opt_day(fcinfo, 15);
    c.margin_bp = opt_int(fcinfo, 16, 10000);
    if (!PG_ARGISNULL(17))
        c.clv = PG_GETARG_INT64(17);
    c.winback_cost = PG_ARGISNULL(18) ? 0 : PG_GETARG_INT64(18);
    c.lost_by_employee = PG_ARGISNULL(19) ? 0 : PG_GETARG_INT64(19);
    check(wb_decide(&p, &c, as_of, &pl), "decide");

    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errmsg("winback_decide: the result must be winback_plan")));
    desc = BlessTupleDesc(desc);
    Datum v[13];
    bool n[13] = {false};
    v[0] = CStringGetTextDatum(wb_class_name(pl.cls));
    v[1] = CStringGetTextDatum(wb_action_name(pl.action));
    v[2] = Int32GetDatum(pl.discount_bp);
    v[3] = Int64GetDatum(pl.clv);
    v[4] = bit_names(pl.reasons, wb_exclusion_name, 8);
    v[5] = bit_names(pl.signals, wb_signal_name, 4);
    v[6] = CStringGetTextDatum(wb_escalation_name(pl.escalation));
    v[7] = CStringGetTextDatum(wb_approach_name(pl.approach));
    n[8] = pl.earliest_contact == WB_DAY_NONE;
    v[8] = n[8] ? 0 : DateADTGetDatum(sql_date(pl.earliest_contact));
    v[9] = CStringGetTextDatum(wb_channel_name(pl.channel));
    n[10] = pl.offer_expires == WB_DAY_NONE;
    v[10] = n[10] ? 0 : DateADTGetDatum(sql_date(pl.offer_expires));
    v[11] = Int64GetDatum(pl.priority);
    v[12] = BoolGetDatum(pl.sensitive != 0);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v, n)));
}

/* ---- the summary aggregate ----------------------------------------------- */

/* Per customer: every purchase day (the R6 history and the distinct days
 * need them), the total, and the first day's spend (the Gamma-Gamma
 * model's repeat spend leaves it out). Days are kept unsorted until the
 * final function; combine appends. */
typedef struct summary_state {
    int32_t as_of;
    int32_t first_day;
    int64_t total, first_spend;
    int32_t n, cap;
    int32_t *days;
} summary_state;

static summary_state *state_new(MemoryContext ctx, int32_t as_of)
{
    summary_state *s = MemoryContextAllocZero(ctx, sizeof *s);
    s->as_of = as_of;
    s->first_day = WB_DAY_NONE;
    s->cap = 8;
    s->days = MemoryContextAlloc(ctx, s->cap * sizeof(int32_t));
    return s;
}

static void state_push(summary_state *s, int32_t day)
{
    if (s->n == s->cap) {
        s->cap *= 2;
        s->days = repalloc(s->days, s->cap * sizeof(int32_t));
    }
    s->days[s->n++] = day;
}

static void add_money(int64_t *sum, int64_t v)
{
    if (pg_add_s64_overflow(*sum, v, (int64 *)sum))
        check(WB_ERANGE, "summary: a customer's total");
}

static void note_first(summary_state *s, int32_t day, int64_t spend)
{
    if (s->first_day == WB_DAY_NONE || day < s->first_day) {
        s->first_day = day;
        s->first_spend = spend;
    } else if (day == s->first_day) {
        add_money(&s->first_spend, spend);
    }
}

/* A bytea to read with pq_getmsg*: PostgreSQL 15 has no
 * initReadOnlyStringInfo. */
static void read_only(StringInfo buf, bytea *b)
{
    buf->data = VARDATA_ANY(b);
    buf->len = (int)VARSIZE_ANY_EXHDR(b);
    buf->maxlen = buf->len;
    buf->cursor = 0;
}

static MemoryContext agg_context(FunctionCallInfo fcinfo)
{
    MemoryContext ctx;
    if (!AggCheckCallContext(fcinfo, &ctx))
        ereport(ERROR, (errmsg("winback: called outside an aggregate")));
    return ctx;
}

/* winback_summary_add(state, day, amount, as_of) */
PG_FUNCTION_INFO_V1(winback_summary_add);
Datum winback_summary_add(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    summary_state *s = PG_ARGISNULL(0) ? NULL : (summary_state *)PG_GETARG_POINTER(0);
    if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("winback_summary: a purchase needs a date, an amount and "
                               "the as-of day (none may be NULL)")));
    int32_t day = to_day(PG_GETARG_DATEADT(1)), as_of = to_day(PG_GETARG_DATEADT(3));
    int64 amount = PG_GETARG_INT64(2);
    if (amount < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback_summary: amount " INT64_FORMAT " is negative", amount)));
    if (day > as_of)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback_summary: a purchase after the as-of day")));
    if (s == NULL)
        s = state_new(ctx, as_of);
    else if (s->as_of != as_of)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback_summary: the as-of day must be the same for every row")));
    MemoryContext old = MemoryContextSwitchTo(ctx);
    state_push(s, day);
    MemoryContextSwitchTo(old);
    add_money(&s->total, amount);
    note_first(s, day, amount);
    PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(winback_summary_combine);
Datum winback_summary_combine(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    summary_state *a = PG_ARGISNULL(0) ? NULL : (summary_state *)PG_GETARG_POINTER(0);
    summary_state *b = PG_ARGISNULL(1) ? NULL : (summary_state *)PG_GETARG_POINTER(1);
    if (b == NULL)
        PG_RETURN_POINTER(a);
    if (a == NULL) {
        a = state_new(ctx, b->as_of);
    } else if (a->as_of != b->as_of) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback_summary: the as-of day must be the same for every row")));
    }
    MemoryContext old = MemoryContextSwitchTo(ctx);
    for (int32_t i = 0; i < b->n; i++)
        state_push(a, b->days[i]);
    MemoryContextSwitchTo(old);
    add_money(&a->total, b->total);
    if (b->first_day != WB_DAY_NONE) {
        if (a->first_day == WB_DAY_NONE || b->first_day < a->first_day) {
            a->first_day = b->first_day;
            a->first_spend = b->first_spend;
        } else if (b->first_day == a->first_day) {
            add_money(&a->first_spend, b->first_spend);
        }
    }
    PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(winback_summary_serial);
Datum winback_summary_serial(PG_FUNCTION_ARGS)
{
    summary_state *s = (summary_state *)PG_GETARG_POINTER(0);
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendint32(&buf, s->as_of);
    pq_sendint32(&buf, s->first_day);
    pq_sendint64(&buf, s->total);
    pq_sendint64(&buf, s->first_spend);
    pq_sendint32(&buf, s->n);
    for (int32_t i = 0; i < s->n; i++)
        pq_sendint32(&buf, s->days[i]);
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(winback_summary_deserial);
Datum winback_summary_deserial(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    bytea *b = PG_GETARG_BYTEA_PP(0);
    StringInfoData buf;
    read_only(&buf, b);
    summary_state *s = state_new(ctx, (int32_t)pq_getmsgint(&buf, 4));
    s->first_day = (int32_t)pq_getmsgint(&buf, 4);
    s->total = pq_getmsgint64(&buf);
    s->first_spend = pq_getmsgint64(&buf);
    int32_t n = (int32_t)pq_getmsgint(&buf, 4);
    MemoryContext old = MemoryContextSwitchTo(ctx);
    for (int32_t i = 0; i < n; i++)
        state_push(s, (int32_t)pq_getmsgint(&buf, 4));
    MemoryContextSwitchTo(old);
    pq_getmsgend(&buf);
    PG_RETURN_POINTER(s);
}

static int by_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The same facts as wb_ledger_at and wb_rfm_from_ledger (weeks). */
PG_FUNCTION_INFO_V1(winback_summary_final);
Datum winback_summary_final(PG_FUNCTION_ARGS)
{
    summary_state *s = PG_ARGISNULL(0) ? NULL : (summary_state *)PG_GETARG_POINTER(0);
    TupleDesc desc;
    wb_policy p;
    wb_history h;
    if (s == NULL)
        PG_RETURN_NULL();
    qsort(s->days, s->n, sizeof(int32_t), by_day);
    int32_t distinct = 0;
    for (int32_t i = 0; i < s->n; i++)
        distinct += i == 0 || s->days[i] != s->days[i - 1];
    check(wb_policy_init(&p), "summary");
    check(wb_history_losses(&p, s->days, (size_t)s->n, s->as_of, &h), "summary");
    int64_t avg = (s->total + distinct / 2) / distinct;   /* half up, as the ledger */
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errmsg("winback_summary: the result must be winback_summary")));
    desc = BlessTupleDesc(desc);
    double x = distinct - 1, unit = 7.0;
    Datum v[12];
    bool n[12] = {false};
    v[0] = DateADTGetDatum(sql_date(s->days[0]));
    v[1] = DateADTGetDatum(sql_date(s->days[s->n - 1]));
    v[2] = Int32GetDatum(s->n);
    v[3] = Int32GetDatum(distinct);
    v[4] = Int64GetDatum(s->total);
    v[5] = Int64GetDatum(avg);
    v[6] = Int32GetDatum(h.returns);
    v[7] = BoolGetDatum(h.currently_lost != 0);
    v[8] = Float8GetDatum(x);
    v[9] = Float8GetDatum((s->days[s->n - 1] - s->days[0]) / unit);
    v[10] = Float8GetDatum((s->as_of - s->days[0]) / unit);
    v[11] = Float8GetDatum(x > 0 ? (double)(s->total - s->first_spend) / x : 0.0);
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v, n)));
}

/* ---- the models -------------------------------------------------------------- */

/* The summaries a fit aggregates: (x, t_x, T, m) rows. */
typedef struct rfm_state {
    int32_t n, cap;
    wb_rfm *rows;
} rfm_state;

static void rfm_push(MemoryContext ctx, rfm_state *s, wb_rfm r)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->rows = s->rows ? repalloc(s->rows, s->cap * sizeof(wb_rfm))
                          : MemoryContextAlloc(ctx, s->cap * sizeof(wb_rfm));
    }
    s->rows[s->n++] = r;
}

static rfm_state *rfm_state_of(FunctionCallInfo fcinfo, MemoryContext ctx)
{
    return PG_ARGISNULL(0) ? MemoryContextAllocZero(ctx, sizeof(rfm_state))
                           : (rfm_state *)PG_GETARG_POINTER(0);
}

static double arg_double(FunctionCallInfo fcinfo, int i)
{
    if (PG_ARGISNULL(i))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("winback: a model input is NULL")));
    return PG_GETARG_FLOAT8(i);
}

/* winback_bgnbd_add(state, x, t_x, T) and winback_gg_add(state, x, m). */
PG_FUNCTION_INFO_V1(winback_bgnbd_add);
Datum winback_bgnbd_add(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    rfm_state *s = rfm_state_of(fcinfo, ctx);
    wb_rfm r = {arg_double(fcinfo, 1), arg_double(fcinfo, 2), arg_double(fcinfo, 3), 0};
    rfm_push(ctx, s, r);
    PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(winback_gg_add);
Datum winback_gg_add(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    rfm_state *s = rfm_state_of(fcinfo, ctx);
    wb_rfm r = {arg_double(fcinfo, 1), 0, 0, arg_double(fcinfo, 2)};
    rfm_push(ctx, s, r);
    PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(winback_rfm_combine);
Datum winback_rfm_combine(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    rfm_state *a = PG_ARGISNULL(0) ? NULL : (rfm_state *)PG_GETARG_POINTER(0);
    rfm_state *b = PG_ARGISNULL(1) ? NULL : (rfm_state *)PG_GETARG_POINTER(1);
    if (b == NULL)
        PG_RETURN_POINTER(a);
    if (a == NULL)
        a = MemoryContextAllocZero(ctx, sizeof *a);
    for (int32_t i = 0; i < b->n; i++)
        rfm_push(ctx, a, b->rows[i]);
    PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(winback_rfm_serial);
Datum winback_rfm_serial(PG_FUNCTION_ARGS)
{
    rfm_state *s = (rfm_state *)PG_GETARG_POINTER(0);
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendint32(&buf, s->n);
    for (int32_t i = 0; i < s->n; i++) {
        pq_sendfloat8(&buf, s->rows[i].x);
        pq_sendfloat8(&buf, s->rows[i].t_x);
        pq_sendfloat8(&buf, s->rows[i].T);
        pq_sendfloat8(&buf, s->rows[i].m);
    }
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(winback_rfm_deserial);
Datum winback_rfm_deserial(PG_FUNCTION_ARGS)
{
    MemoryContext ctx = agg_context(fcinfo);
    bytea *b = PG_GETARG_BYTEA_PP(0);
    StringInfoData buf;
    read_only(&buf, b);
    rfm_state *s = MemoryContextAllocZero(ctx, sizeof *s);
    int32_t n = (int32_t)pq_getmsgint(&buf, 4);
    for (int32_t i = 0; i < n; i++) {
        wb_rfm r;
        r.x = pq_getmsgfloat8(&buf);
        r.t_x = pq_getmsgfloat8(&buf);
        r.T = pq_getmsgfloat8(&buf);
        r.m = pq_getmsgfloat8(&buf);
        rfm_push(ctx, s, r);
    }
    pq_getmsgend(&buf);
    PG_RETURN_POINTER(s);
}

static Datum json_of(const char *text)
{
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(text));
}

/* The rows in a canonical order, so that a fit does not depend on the
 * order parallel workers delivered them in: wb_bgnbd_fit groups its rows
 * itself, but sums the returned log-likelihood in the given order, and
 * the Gamma-Gamma fit sums in that order throughout. */
static int by_rfm(const void *a, const void *b)
{
    const wb_rfm *x = a, *y = b;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    if (x->t_x != y->t_x) return x->t_x < y->t_x ? -1 : 1;
    if (x->T != y->T) return x->T < y->T ? -1 : 1;
    return (x->m > y->m) - (x->m < y->m);
}

PG_FUNCTION_INFO_V1(winback_bgnbd_final);
Datum winback_bgnbd_final(PG_FUNCTION_ARGS)
{
    rfm_state *s = PG_ARGISNULL(0) ? NULL : (rfm_state *)PG_GETARG_POINTER(0);
    wb_bgnbd m;
    double ll;
    if (s == NULL)
        PG_RETURN_NULL();
    qsort(s->rows, s->n, sizeof(wb_rfm), by_rfm);
    check(wb_bgnbd_fit(s->rows, (size_t)s->n, NULL, &m, &ll), "BG/NBD fit");
    PG_RETURN_DATUM(json_of(psprintf("{\"model\": \"bgnbd\", \"r\": %.17g, \"alpha\": %.17g, "
                                     "\"a\": %.17g, \"b\": %.17g, \"log_likelihood\": %.17g, "
                                     "\"customers\": %d}", m.r, m.alpha, m.a, m.b, ll, s->n)));
}

PG_FUNCTION_INFO_V1(winback_gg_final);
Datum winback_gg_final(PG_FUNCTION_ARGS)
{
    rfm_state *s = PG_ARGISNULL(0) ? NULL : (rfm_state *)PG_GETARG_POINTER(0);
    wb_gg g;
    double ll;
    if (s == NULL)
        PG_RETURN_NULL();
    qsort(s->rows, s->n, sizeof(wb_rfm), by_rfm);
    check(wb_gg_fit(s->rows, (size_t)s->n, NULL, &g, &ll), "Gamma-Gamma fit");
    PG_RETURN_DATUM(json_of(psprintf("{\"model\": \"gamma-gamma\", \"p\": %.17g, \"q\": %.17g, "
                                     "\"gamma\": %.17g, \"log_likelihood\": %.17g}",
                                     g.p, g.q, g.gamma, ll)));
}

/* A number of a fit's jsonb by key. */
static double fit_param(Jsonb *j, const char *key)
{
    JsonbValue k, *v;
    k.type = jbvString;
    k.val.string.val = (char *)key;
    k.val.string.len = (int)strlen(key);
    v = findJsonbValueFromContainer(&j->root, JB_FOBJECT, &k);
    if (v == NULL || v->type != jbvNumeric)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback: the fit has no number \"%s\"", key)));
    return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

static wb_bgnbd bgnbd_of(Jsonb *j)
{
    wb_bgnbd m = {fit_param(j, "r"), fit_param(j, "alpha"), fit_param(j, "a"), fit_param(j, "b")};
    return m;
}

PG_FUNCTION_INFO_V1(winback_p_alive);
Datum winback_p_alive(PG_FUNCTION_ARGS)
{
    wb_bgnbd m = bgnbd_of(PG_GETARG_JSONB_P(0));
    wb_rfm c = {PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), 0};
    double p;
    check(wb_bgnbd_p_alive(&m, &c, &p, NULL), "P(alive)");
    PG_RETURN_FLOAT8(p);
}

PG_FUNCTION_INFO_V1(winback_expected);
Datum winback_expected(PG_FUNCTION_ARGS)
{
    wb_bgnbd m = bgnbd_of(PG_GETARG_JSONB_P(0));
    wb_rfm c = {PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4), 0};
    double e;
    check(wb_bgnbd_expected(&m, &c, PG_GETARG_FLOAT8(1), &e), "expected purchases");
    PG_RETURN_FLOAT8(e);
}

/* winback_model_clv(bgnbd, gg, x, t_x, T, m, months, discount_rate, margin):
 * lifetimes' CLV, in the model's time unit of weeks. */
PG_FUNCTION_INFO_V1(winback_model_clv);
Datum winback_model_clv(PG_FUNCTION_ARGS)
{
    wb_bgnbd m = bgnbd_of(PG_GETARG_JSONB_P(0));
    Jsonb *gj = PG_GETARG_JSONB_P(1);
    wb_gg g = {fit_param(gj, "p"), fit_param(gj, "q"), fit_param(gj, "gamma")};
    wb_rfm c = {PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
                PG_GETARG_FLOAT8(5)};
    double spend, clv;
    check(wb_gg_expected_spend(&g, &c, &spend), "CLV");
    check(wb_bgnbd_clv(&m, &c, spend * PG_GETARG_FLOAT8(8), PG_GETARG_INT32(6), 4.345,
                       PG_GETARG_FLOAT8(7), &clv), "CLV");
    PG_RETURN_FLOAT8(clv);
}

/* ---- the whole batch job over a table, outside the hash aggregate ------- */

#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "winback/io.h"

#define BATCH 4096

typedef struct batch_rows {
    wb_purchase rows[BATCH];
    char ids[BATCH][WB_ID_MAX];
    size_t n;
} batch_rows;

static AttrNumber column_of(Relation rel, text *name, Oid type)
{
    char *s = text_to_cstring(name);
    AttrNumber a = get_attnum(RelationGetRelid(rel), s);
    if (a == InvalidAttrNumber)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("winback_batch: %s has no column \"%s\"",
                               RelationGetRelationName(rel), s)));
    if (get_atttype(RelationGetRelid(rel), a) != type)
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("winback_batch: column \"%s\" must be %s", s,
                               format_type_be(type))));
    return a;
}

static void flush_rows(wb_ledger *l, batch_rows *b)
{
    size_t added = 0;
    int rc = wb_ledger_add_many(l, b->rows, b->n, &added);
    if (rc != WB_OK)
        ereport(ERROR, (errcode(rc == WB_ENOMEM ? ERRCODE_OUT_OF_MEMORY
                                                : ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("winback_batch: customer %.*s: %s",
                               (int)b->rows[added].id_len, b->rows[added].id,
                               wb_strerror(rc))));
    b->n = 0;
}

/* One table scan into a ledger: no executor hash table, no per-row call. */
static void scan_into(Relation rel, AttrNumber id_col, AttrNumber day_col,
                      AttrNumber cents_col, int32_t as_of, wb_ledger *l)
{
    batch_rows *b = palloc(sizeof *b);
    TupleTableSlot *slot = table_slot_create(rel, NULL);
    TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
    b->n = 0;
    while (table_scan_getnextslot(scan, ForwardScanDirection, slot)) {
        bool null_id, null_day, null_cents;
        Datum id = slot_getattr(slot, id_col, &null_id);
        Datum day = slot_getattr(slot, day_col, &null_day);
        Datum cents = slot_getattr(slot, cents_col, &null_cents);
        if (null_id || null_day || null_cents)
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("winback_batch: a row with a NULL id, day or amount")));
        text *t = DatumGetTextPP(id);
        size_t len = VARSIZE_ANY_EXHDR(t);
        int32_t d = to_day(DatumGetDateADT(day));
        if (len == 0 || len > WB_ID_MAX)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("winback_batch: an id of %zu bytes (1..64)", len)));
        if (d > as_of)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("winback_batch: customer %.*s: a purchase after the "
                                   "as-of day", (int)len, VARDATA_ANY(t))));
        memcpy(b->ids[b->n], VARDATA_ANY(t), len);
        b->rows[b->n] = (wb_purchase){b->ids[b->n], len, d, 0, DatumGetInt64(cents)};
        if (++b->n == BATCH)
            flush_rows(l, b);
    }
    flush_rows(l, b);
    table_endscan(scan);
    ExecDropSingleTupleTableSlot(slot);
    pfree(b);
}

/* winback_batch(tbl, as_of, id, day, cents): the peers' batch job --
 * per customer the first and last purchase, rows, total, class, ladder,
 * losses and lost twice -- in one scan through the library's ledger. */
PG_FUNCTION_INFO_V1(winback_batch);
Datum winback_batch(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
    wb_policy p;
    wb_ledger *l = NULL;
    size_t n;
    check(wb_policy_init(&p), "batch");
    InitMaterializedSRF(fcinfo, 0);
    Relation rel = table_open(PG_GETARG_OID(0), AccessShareLock);
    int32_t as_of = to_day(PG_GETARG_DATEADT(1));
    AttrNumber id_col = column_of(rel, PG_GETARG_TEXT_PP(2), TEXTOID);
    AttrNumber day_col = column_of(rel, PG_GETARG_TEXT_PP(3), DATEOID);
    AttrNumber cents_col = column_of(rel, PG_GETARG_TEXT_PP(4), INT8OID);
    check(wb_ledger_new(NULL, &l), "batch");
    PG_TRY();
    {
        scan_into(rel, id_col, day_col, cents_col, as_of, l);
        check(wb_ledger_seal(l), "batch");   /* read only from here: 8 bytes a row back */
        check(wb_ledger_count(l, &n, NULL), "batch");
        for (size_t i = 0; i < n; i++) {
            wb_ledger_customer c;
            int32_t cls, since, bp;
            check(wb_ledger_at(l, &p, as_of, i, &c), "batch");
            check(wb_classify(&p, c.last_day, as_of, &cls, &since), "batch");
            check(wb_ladder_bp(&p, cls, &bp), "batch");
            Datum v[9];
            bool nulls[9] = {false};
            v[0] = PointerGetDatum(cstring_to_text_with_len(c.id, (int)c.id_len));
            v[1] = DateADTGetDatum(sql_date(c.first_day));
            v[2] = DateADTGetDatum(sql_date(c.last_day));
            v[3] = Int32GetDatum(c.purchases);
            v[4] = Int64GetDatum(c.total);
            v[5] = CStringGetTextDatum(wb_class_name(cls));
            v[6] = Int32GetDatum(bp);
            v[7] = Int32GetDatum(c.history.losses);
            v[8] = BoolGetDatum(c.history.losses >= p.lost_twice_count);
            tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
        }
    }
    PG_FINALLY();
    {
        wb_ledger_free(l);
        table_close(rel, AccessShareLock);
    }
    PG_END_TRY();
    return (Datum)0;
}
