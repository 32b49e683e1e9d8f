/*
 * bench.c -- micro benchmarks of libwinback.
 *
 *   bench                 every benchmark, medians of repeated runs, a table
 *   bench PREFIX          only the benchmarks whose names start with PREFIX
 *   bench NAME N          run NAME for N calls once (for callgrind counts)
 *
 * Times are medians over REPEATS runs of a loop over 1024 varied inputs,
 * so no single cached input flatters a result. Not part of make check: a
 * shared machine is too noisy for timing asserts; make bench prints, it
 * does not judge.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "winback.h"

#define INPUTS 1024
#define REPEATS 7

static volatile int64_t sink;     /* keeps results alive */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng = 88172645463325252u;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Inputs, made once. */
static char dates[INPUTS][11];
static int32_t days[INPUTS], as_of;
static wb_customer customers[INPUTS];
static int64_t money[INPUTS];
static char amounts[INPUTS][16];
static wb_policy policy;

static void make_inputs(void)
{
    if (wb_policy_init(&policy) != WB_OK || wb_day_parse("2026-11-23", 10, &as_of) != WB_OK)
        exit(1);
    for (int i = 0; i < INPUTS; i++) {
        int32_t d = as_of - (int32_t)(next() % 800);
        days[i] = d;
        if (wb_day_format(d, dates[i], sizeof dates[i]) != WB_OK)
            exit(1);
        money[i] = (int64_t)(next() % 10000000);
        snprintf(amounts[i], sizeof amounts[i], "%lld.%02lld",
                 (long long)(money[i] / 100), (long long)(money[i] % 100));
        wb_customer *c = &customers[i];
        if (wb_customer_init(c) != WB_OK)
            exit(1);
        c->last_purchase = d;
        c->reason = (int32_t)(next() % WB_REASON_COUNT);
        c->severity = (int32_t)(next() % 6);
        c->incident_day = c->severity ? d : WB_DAY_NONE;
        c->returns = (int32_t)(next() % 3 == 0);
        c->avg_check = money[i] / 10;
        c->purchases_per_year_x100 = 250;
        c->expected_years = 3;
        c->margin_bp = 3000;
        c->winback_cost = 2000;
        c->last_contact = next() % 4 ? WB_DAY_NONE : as_of - 2;
    }
}

typedef void (*bench_fn)(long n);

static void b_day_parse(long n)
{
    int32_t d, acc = 0;
    for (long i = 0; i < n; i++) {
        if (wb_day_parse(dates[i & (INPUTS - 1)], 10, &d) == WB_OK)
            acc += d;
    }
    sink = acc;
}

static void b_classify_ladder(long n)
{
    int32_t cls, bp, acc = 0;
    for (long i = 0; i < n; i++) {
        if (wb_classify(&policy, days[i & (INPUTS - 1)], as_of, &cls, NULL) == WB_OK &&
            wb_ladder_bp(&policy, cls, &bp) == WB_OK)
            acc += bp;
    }
    sink = acc;
}

static void b_decide(long n)
{
    wb_plan p;
    int64_t acc = 0;
    for (long i = 0; i < n; i++)
        if (wb_decide(&policy, &customers[i & (INPUTS - 1)], as_of, &p) == WB_OK)
            acc += p.priority;
    sink = acc;
}

/* The decision over arrays: one wb_decide_many call per 1024 customers,
 * the policy validated once per call. */
static void b_decide_many(long n)
{
    static wb_plan plans[INPUTS];
    static int32_t status[INPUTS];
    int64_t acc = 0;
    for (long i = 0; i < n; i += INPUTS) {
        size_t m = (size_t)(n - i < INPUTS ? n - i : INPUTS);
        if (wb_decide_many(&policy, customers, m, as_of, plans, status, NULL) != WB_OK)
            exit(1);
        acc += plans[m - 1].priority;
    }
    sink = acc;
}

static void b_clv(long n)
{
    int64_t v, acc = 0;
    for (long i = 0; i < n; i++)
        if (wb_clv_centi(money[i & (INPUTS - 1)], 250, 3, &v) == WB_OK &&
            wb_apply_margin(v, 3000, &v) == WB_OK)
            acc += v;
    sink = acc;
}

static void b_romi(long n)
{
    int64_t v, acc = 0;
    for (long i = 0; i < n; i++)
        if (wb_romi_bp(money[i & (INPUTS - 1)], 28500, 10000, &v) == WB_OK)
            acc += v;
    sink = acc;
}

static void b_amount_parse(long n)
{
    int64_t v, acc = 0;
    for (long i = 0; i < n; i++) {
        const char *s = amounts[i & (INPUTS - 1)];
        if (wb_amount_parse(s, strlen(s), 2, 0, &v) == WB_OK)
            acc += v;
    }
    sink = acc;
}

/* Ledger inserts: n rows over `distinct` customers with ids C00000001..
 * Each customer's first row comes first, then rows of random customers;
 * the rows' ids are laid out before the clock starts, one after another
 * in row order, as a reader hands them over from the log (reading them
 * from a table of the distinct ids instead would time a cache miss of the
 * benchmark's own on every row). */
#define ID_LEN 9
static long distinct;
static char *ids;          /* every row's id of ID_LEN bytes, in row order */
static long prepared_distinct = -1, prepared_rows;

static void prepare_ledger(long n)
{
    if (prepared_distinct == distinct && prepared_rows >= n)
        return;
    free(ids);
    ids = malloc((size_t)n * ID_LEN + 1);
    if (ids == NULL)
        exit(1);
    for (long i = 0; i < n; i++) {
        char buf[16];
        long c = i < distinct ? i : (long)(next() % (uint64_t)distinct);
        snprintf(buf, sizeof buf, "C%08ld", c + 1);
        memcpy(ids + (size_t)i * ID_LEN, buf, ID_LEN);
    }
    prepared_distinct = distinct;
    prepared_rows = n;
}

static void b_ledger(long n)
{
    wb_ledger *l;
    prepare_ledger(n);   /* cached: only the first run pays */
    if (wb_ledger_new(NULL, &l) != WB_OK)
        exit(1);
    for (long i = 0; i < n; i++)
        if (wb_ledger_add(l, ids + (size_t)i * ID_LEN, ID_LEN,
                          days[i & (INPUTS - 1)], 100) != WB_OK)
            exit(1);
    sink = (int64_t)wb_ledger_memory(l);
    wb_ledger_free(l);
}

/* The same rows through wb_ledger_add_many, 1024 at a time. */
static void b_ledger_many(long n)
{
    enum { BATCH = 1024 };
    static wb_purchase batch[BATCH];
    wb_ledger *l;
    prepare_ledger(n);
    if (wb_ledger_new(NULL, &l) != WB_OK)
        exit(1);
    for (long i = 0; i < n; i += BATCH) {
        size_t m = (size_t)(n - i < BATCH ? n - i : BATCH);
        for (size_t k = 0; k < m; k++) {
            batch[k].id = ids + (size_t)(i + (long)k) * ID_LEN;
            batch[k].id_len = ID_LEN;
            batch[k].day = days[(i + (long)k) & (INPUTS - 1)];
            batch[k].amount = 100;
        }
        if (wb_ledger_add_many(l, batch, m, NULL) != WB_OK)
            exit(1);
    }
    sink = (int64_t)wb_ledger_memory(l);
    wb_ledger_free(l);
}

/* The same rows into a ledger of two parts, one thread per part (each
 * thread takes its part's rows from the same pick list, as `winback
 * --threads 2` does from the log). */
typedef struct part_fill {
    wb_ledger *l;
    unsigned part;
    long n;
} part_fill;

static void *fill_one_part(void *arg)
{
    enum { BATCH = 1024 };
    part_fill *f = arg;
    wb_purchase batch[BATCH];
    size_t m = 0;
    for (long i = 0; i < f->n; i++) {
        const char *id = ids + (size_t)i * ID_LEN;
        if (wb_ledger_part_of(f->l, id, ID_LEN) != f->part)
            continue;
        wb_purchase r = {id, ID_LEN, days[i & (INPUTS - 1)], 0, 100};
        batch[m++] = r;
        if (m == BATCH || i + 1 == f->n) {
            if (wb_ledger_add_part(f->l, f->part, batch, m, NULL) != WB_OK)
                exit(1);
            m = 0;
        }
    }
    if (m > 0 && wb_ledger_add_part(f->l, f->part, batch, m, NULL) != WB_OK)
        exit(1);
    return NULL;
}

static void b_ledger_parts2(long n)
{
    wb_ledger *l;
    pthread_t t;
    prepare_ledger(n);
    if (wb_ledger_new_parts(NULL, 2, &l) != WB_OK)
        exit(1);
    part_fill f[2] = {{l, 0, n}, {l, 1, n}};
    if (pthread_create(&t, NULL, fill_one_part, &f[1]) != 0)
        exit(1);
    fill_one_part(&f[0]);
    pthread_join(t, NULL);
    sink = (int64_t)wb_ledger_memory(l);
    wb_ledger_free(l);
}

/* The same rows on one thread, added the way `winback` adds a log and as
 * issue 18 suggests: gathered by ledger part first (each row's id and day
 * copied, 16 bytes a row, as the program holds them), then each part added
 * whole, its table of 8 k customers staying in cache. The clock counts the
 * gathering. 128 parts: 21.4-22.1 M rows/s, 64 parts (16 k customers a
 * part): 19.6-20.2, 256: 21.4-21.9. At most 256, so that a part fits a
 * byte. */
#define PARTED 128
typedef struct held_row {
    char id[12];
    int32_t day;
} held_row;

static void b_ledger_parted(long n)
{
    enum { BATCH = 1024 };
    static wb_purchase batch[BATCH];
    wb_ledger *l;
    size_t start[PARTED + 1] = {0}, at[PARTED];
    prepare_ledger(n);
    held_row *held = malloc((size_t)n * sizeof *held);
    unsigned char *part = malloc((size_t)n);
    if (held == NULL || part == NULL || wb_ledger_new_parts(NULL, PARTED, &l) != WB_OK)
        exit(1);
    for (long i = 0; i < n; i++) {
        part[i] = (unsigned char)wb_ledger_part_of(l, ids + (size_t)i * ID_LEN, ID_LEN);
        start[part[i] + 1]++;
    }
    for (unsigned p = 0; p < PARTED; p++)
        start[p + 1] += start[p];
    for (unsigned p = 0; p < PARTED; p++)
        at[p] = start[p];
    for (long i = 0; i < n; i++) {
        held_row *h = &held[at[part[i]]++];
        memcpy(h->id, ids + (size_t)i * ID_LEN, ID_LEN);
        h->day = days[i & (INPUTS - 1)];
    }
    for (unsigned p = 0; p < PARTED; p++)
        for (size_t i = start[p]; i < start[p + 1]; i += BATCH) {
            size_t m = start[p + 1] - i < BATCH ? start[p + 1] - i : BATCH;
            for (size_t k = 0; k < m; k++) {
                batch[k].id = held[i + k].id;
                batch[k].id_len = ID_LEN;
                batch[k].day = held[i + k].day;
                batch[k].amount = 100;
            }
            if (wb_ledger_add_part(l, p, batch, m, NULL) != WB_OK)
                exit(1);
        }
    sink = (int64_t)wb_ledger_memory(l);
    wb_ledger_free(l);
    free(held);
    free(part);
}

/* BG/NBD: the fit on the CDNOW calibration summary (2 357 customers), and
 * P(alive) + expected purchases for a million synthetic customers. */
static wb_rfm cdnow[2400];
static size_t ncdnow;

static void load_cdnow(void)
{
    char line[256];
    FILE *f = fopen("test/data/cdnow_customers_summary_with_transactions.csv", "r");
    if (f == NULL || fgets(line, sizeof line, f) == NULL)
        exit(1);
    while (ncdnow < 2400 && fgets(line, sizeof line, f) != NULL) {
        wb_rfm *r = &cdnow[ncdnow];
        int id;
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &r->x, &r->t_x, &r->T, &r->m) == 5)
            ncdnow++;
    }
    fclose(f);
}

static void b_bgnbd_fit(long n)
{
    wb_bgnbd m;
    double ll = 0;
    if (ncdnow == 0)
        load_cdnow();
    for (long i = 0; i < n; i++)
        if (wb_bgnbd_fit(cdnow, ncdnow, NULL, &m, &ll) != WB_OK)
            exit(1);
    sink = (int64_t)ll;
}

/* The whole CDNOW log (23 570 customers, to 1998-06-30, in weeks), the
 * fit the batch-job issue times: read through the ledger once. */
static wb_rfm *cdnow_all;
static size_t ncdnow_all;

static void load_cdnow_all(void)
{
    char id[32];
    long date;
    int cds;
    double amount;
    wb_ledger *l;
    int32_t day, as_of_all;
    char header[128];
    FILE *f = fopen("examples/data/CDNOW_master.txt", "r");
    if (f == NULL || fgets(header, sizeof header, f) == NULL ||
        wb_ledger_new(NULL, &l) != WB_OK || wb_day_from_ymd(1998, 6, 30, &as_of_all) != WB_OK)
        exit(1);
    while (fscanf(f, "%31s %ld %d %lf", id, &date, &cds, &amount) == 4)
        if (wb_day_from_ymd((int32_t)(date / 10000), (int32_t)(date / 100 % 100),
                            (int32_t)(date % 100), &day) != WB_OK ||
            wb_ledger_add(l, id, strlen(id), day, (int64_t)(amount * 100 + 0.5)) != WB_OK)
            exit(1);
    fclose(f);
    if (wb_ledger_finish(l) != WB_OK || wb_ledger_count(l, &ncdnow_all, NULL) != WB_OK)
        exit(1);
    double *x = malloc(ncdnow_all * sizeof *x), *t_x = malloc(ncdnow_all * sizeof *t_x),
           *T = malloc(ncdnow_all * sizeof *T);
    cdnow_all = malloc(ncdnow_all * sizeof *cdnow_all);
    wb_ledger_columns cols = {sizeof cols, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                              NULL, NULL, NULL, x, t_x, T, NULL};
    if (!x || !t_x || !T || !cdnow_all || wb_ledger_export(l, NULL, as_of_all, 7, &cols) != WB_OK)
        exit(1);
    for (size_t i = 0; i < ncdnow_all; i++) {
        wb_rfm r = {x[i], t_x[i], T[i], 0.0};
        cdnow_all[i] = r;
    }
    free(x);
    free(t_x);
    free(T);
    wb_ledger_free(l);
}

static void b_bgnbd_fit_all(long n)
{
    wb_bgnbd m;
    double ll = 0;
    if (cdnow_all == NULL)
        load_cdnow_all();
    for (long i = 0; i < n; i++)
        if (wb_bgnbd_fit(cdnow_all, ncdnow_all, NULL, &m, &ll) != WB_OK)
            exit(1);
    sink = (int64_t)ll;
}

/* Three million customers: the CDNOW summaries repeated with their ages
 * shifted by a few days, so that no two copies are the same. The fit must
 * converge (the program stops with an error otherwise). */
static void b_bgnbd_fit_3m(long n)
{
    enum { N3 = 3000000 };
    static wb_rfm *big;
    wb_bgnbd m;
    double ll = 0;
    if (ncdnow == 0)
        load_cdnow();
    if (big == NULL) {
        big = malloc(N3 * sizeof *big);
        if (big == NULL)
            exit(1);
        for (size_t i = 0; i < N3; i++) {
            big[i] = cdnow[i % ncdnow];
            big[i].T += (double)(i / ncdnow % 13) / 7.0;
        }
    }
    for (long i = 0; i < n; i++)
        if (wb_bgnbd_fit(big, N3, NULL, &m, &ll) != WB_OK || !(ll < 0)) {
            fprintf(stderr, "bench: the 3 M-customer fit failed\n");
            exit(1);
        }
    sink = (int64_t)ll;
}

static void b_bgnbd_score(long n)
{
    static const wb_bgnbd m = {0.242593, 4.413532, 0.792886, 2.425752};
    double acc = 0;
    for (long i = 0; i < n; i++) {
        wb_rfm c = {(double)(i % 30), 0, 40.0, 10.0};
        double p, e;
        c.t_x = c.x > 0 ? (double)(i % 40) : 0.0;
        if (wb_bgnbd_p_alive(&m, &c, &p, NULL) != WB_OK ||
            wb_bgnbd_expected(&m, &c, 52.0, &e) != WB_OK)
            exit(1);
        acc += p + e;
    }
    sink = (int64_t)acc;
}

typedef struct bench {
    const char *name;
    bench_fn fn;
    long calls;        /* per timed run */
    long distinct;     /* ledger benchmarks only */
    const char *unit;  /* "ns" per call, or "M/s" */
} bench;

static const bench benches[] = {
    {"day_parse", b_day_parse, 2000000, 0, "ns"},
    {"classify_ladder", b_classify_ladder, 2000000, 0, "ns"},
    {"decide", b_decide, 2000000, 0, "ns"},
    {"decide_many", b_decide_many, 2000000, 0, "ns"},
    {"clv_margin", b_clv, 2000000, 0, "ns"},
    {"romi", b_romi, 2000000, 0, "ns"},
    {"amount_parse", b_amount_parse, 2000000, 0, "ns"},
    {"ledger_10k", b_ledger, 10000000, 10000, "M/s"},
    {"ledger_1M", b_ledger, 10000000, 1000000, "M/s"},
    {"ledger_10M", b_ledger, 10000000, 10000000, "M/s"},
    {"ledger_many_10k", b_ledger_many, 10000000, 10000, "M/s"},
    {"ledger_many_1M", b_ledger_many, 10000000, 1000000, "M/s"},
    {"ledger_many_10M", b_ledger_many, 10000000, 10000000, "M/s"},
    {"ledger_parts2_1M", b_ledger_parts2, 10000000, 1000000, "M/s"},
    {"ledger_parted_1M", b_ledger_parted, 10000000, 1000000, "M/s"},
    {"bgnbd_fit_cdnow", b_bgnbd_fit, 3, 0, "ms"},
    {"bgnbd_fit_cdnow_all", b_bgnbd_fit_all, 3, 0, "ms"},
    {"bgnbd_fit_3M", b_bgnbd_fit_3m, 1, 0, "ms"},
    {"bgnbd_score_1M", b_bgnbd_score, 1000000, 0, "ns"},
};
#define NBENCH (sizeof benches / sizeof benches[0])

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_ns_per_call(const bench *b, int repeats)
{
    double t[REPEATS];
    distinct = b->distinct;
    if (distinct)
        prepare_ledger(b->calls);
    for (int r = 0; r < repeats; r++) {
        double t0 = now_ns();
        b->fn(b->calls);
        t[r] = (now_ns() - t0) / (double)b->calls;
    }
    qsort(t, (size_t)repeats, sizeof t[0], cmp_double);
    return t[repeats / 2];
}

int main(int argc, char **argv)
{
    make_inputs();
    /* One benchmark, N calls, for callgrind; with a third argument, only
     * its inputs for N calls are made (the baseline callgrind.sh subtracts). */
    if (argc == 3 || argc == 4) {
        for (size_t i = 0; i < NBENCH; i++)
            if (strcmp(argv[1], benches[i].name) == 0) {
                distinct = benches[i].distinct;
                if (distinct)
                    prepare_ledger(atol(argv[2]));
                if (argc == 3)
                    benches[i].fn(atol(argv[2]));
                return 0;
            }
        fprintf(stderr, "bench: no benchmark '%s'\n", argv[1]);
        return 2;
    }
    printf("%-16s %12s %12s\n", "benchmark", "median", "unit");
    for (size_t i = 0; i < NBENCH; i++) {
        const bench *b = &benches[i];
        if (argc == 2 && strncmp(b->name, argv[1], strlen(argv[1])) != 0)
            continue;
        double ns = median_ns_per_call(b, b->distinct || b->unit[0] == 'm' ? 3 : REPEATS);
        if (b->unit[0] == 'M')
            printf("%-16s %12.1f %12s\n", b->name, 1e3 / ns, "M inserts/s");
        else if (b->unit[0] == 'm')
            printf("%-16s %12.1f %12s\n", b->name, ns / 1e6, "ms/fit");
        else
            printf("%-16s %12.1f %12s\n", b->name, ns, "ns/call");
        fflush(stdout);
    }
    return 0;
}
