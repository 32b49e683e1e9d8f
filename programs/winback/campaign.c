/*
 * campaign.c -- `winback outcome LOG --contacted FILE`: what a win-back
 * campaign returned (R12), per campaign or variant and in total.
 *
 * The contacted file is read first, so that the log's reader can keep the
 * purchases of those customers, with their amounts, as it goes (the
 * ledger sums amounts and keeps only days). The library does the counting
 * (wb_contact_outcome per customer, wb_campaign_outcome per group); this
 * file reads, groups and formats.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define MAX_SHOWN 10

enum { C_ID, C_DAY, C_GROUP, C_COST, C_COUNT };
static const char *const NAMES[C_COUNT][5] = {
    {"id", "customer_id", "customer", "client_id"},
    {"contact_day", "contact_date", "contacted", "day", "date"},
    {"campaign", "variant", "group"},
    {"cost"},
};

typedef struct contact {
    char *id, *group;
    size_t id_len;
    uint64_t line;
    int32_t day;
    int64_t cost;
} contact;

typedef struct purchase {
    uint32_t who;               /* index into the contacts, by id */
    int32_t day;
    int64_t amount;
} purchase;

typedef struct campaign {
    const options *o;
    contact *c;
    size_t n;
    uint64_t read, rejected;
    purchase *p;
    size_t np, pcap;
    int oom;
} campaign;

static void reject(campaign *k, const char *path, uint64_t line, const char *why)
{
    if (++k->rejected <= MAX_SHOWN && !k->o->quiet)
        fprintf(stderr, "winback: %s:%llu: %s\n", path, (unsigned long long)line, why);
}

static int header(csv *f, int col[C_COUNT], int *ncols)
{
    uint64_t line;
    int nf = csv_next(f, &line);
    if (nf <= 0) {
        fprintf(stderr, "winback: %s: %s\n", f->path, nf == 0
                ? "empty: a header row naming the columns is needed"
                : "the header row is not valid CSV");
        return EXIT_DATA;
    }
    for (int k = 0; k < C_COUNT; k++)
        col[k] = -1;
    for (int i = 0; i < nf; i++) {
        char key[128];
        csv_text(&f->f[i], key, sizeof key);
        csv_key(key, '_');
        for (int k = 0; k < C_COUNT; k++)
            for (int s = 0; s < 5 && NAMES[k][s]; s++)
                if (strcmp(key, NAMES[k][s]) == 0) {
                    if (col[k] >= 0) {
                        fprintf(stderr, "winback: %s: columns %d and %d are both %s\n",
                                f->path, col[k] + 1, i + 1, NAMES[k][0]);
                        return EXIT_DATA;
                    }
                    col[k] = i;
                }
    }
    if (col[C_ID] < 0 || col[C_DAY] < 0) {
        fprintf(stderr, "winback: %s: the columns id and contact_day are needed\n",
                f->path);
        return EXIT_DATA;
    }
    *ncols = nf;
    return EXIT_OK;
}

/* One row into *c; NULL, or why it is rejected. */
static const char *parse_row(const options *o, const csv *f, int nf, int ncols,
                             const int col[C_COUNT], contact *c, char *why, size_t size)
{
    char v[128];
    memset(c, 0, sizeof *c);
    c->cost = o->amount[MONEY_COST];
    if (nf != ncols) {
        snprintf(why, size, "%d fields, the header has %d", nf, ncols);
        return why;
    }
    for (int i = 0; i < nf; i++)
        if (!csv_valid_utf8(&f->f[i])) {
            snprintf(why, size, "column %d is not valid UTF-8", i + 1);
            return why;
        }
    const csv_field *id = &f->f[col[C_ID]];
    RETURN_IF(id->n == 0, "the id is empty");
    RETURN_IF(id->n > WB_ID_MAX, "the id is longer than 64 bytes");
    csv_text(&f->f[col[C_DAY]], v, sizeof v);
    RETURN_IF(wb_day_parse(v, strlen(v), &c->day) != WB_OK,
              "contact_day: not a date (YYYY-MM-DD)");
    if (col[C_COST] >= 0 && csv_text(&f->f[col[C_COST]], v, sizeof v)[0] != '\0') {
        if (parse_money_arg(v, o->decimals, &c->cost) != WB_OK || c->cost < 0) {
            snprintf(why, size, "cost: not an amount of 0 or more with at most %d "
                     "decimals", (int)o->decimals);
            return why;
        }
    }
    const char *group = col[C_GROUP] >= 0 ? csv_text(&f->f[col[C_GROUP]], v, sizeof v) : "";
    c->group = strdup(group[0] ? group : "-");
    c->id = malloc(id->n);
    RETURN_IF(c->group == NULL || c->id == NULL, "out of memory");
    memcpy(c->id, id->p, id->n);
    c->id_len = id->n;
    return NULL;
}

static void free_contacts(campaign *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->c[i].id);
        free(k->c[i].group);
    }
    free(k->c);
    free(k->p);
}

static int by_id(const void *x, const void *y)
{
    const contact *a = x, *b = y;
    int c = id_compare(a->id, a->id_len, b->id, b->id_len);
    return c != 0 ? c : (a->line > b->line) - (a->line < b->line);
}

static int load_contacts(const options *o, campaign *k)
{
    csv f;
    int col[C_COUNT], ncols = 0;
    size_t cap = 0;
    FORWARD(csv_open(o->contacted_file, &f));
    int rc = header(&f, col, &ncols);
    for (;;) {
        uint64_t line;
        int nf = rc == EXIT_OK ? csv_next(&f, &line) : 0;
        if (nf == 0)
            break;
        k->read++;
        if (nf < 0) {
            reject(k, f.path, line, "not valid CSV: a quote left open, or too many fields");
            continue;
        }
        if (k->n == cap) {
            cap = cap ? 2 * cap : 256;
            contact *bigger = realloc(k->c, cap * sizeof *bigger);
            if (bigger == NULL) { rc = EXIT_INTERNAL; break; }
            k->c = bigger;
        }
        char why[128];
        const char *bad = parse_row(o, &f, nf, ncols, col, &k->c[k->n], why, sizeof why);
        k->c[k->n].line = line;
        if (bad != NULL) {
            free(k->c[k->n].id);
            free(k->c[k->n].group);
            reject(k, f.path, line, bad);
        } else {
            k->n++;
        }
    }
    csv_close(&f);
    if (rc != EXIT_OK)
        return rc;
    if (k->n > 0)
        qsort(k->c, k->n, sizeof *k->c, by_id);
    for (size_t i = 1; i < k->n; i++)
        if (id_compare(k->c[i].id, k->c[i].id_len, k->c[i - 1].id, k->c[i - 1].id_len) == 0) {
            fprintf(stderr, "winback: %s:%llu: id %.*s is already on line %llu\n",
                    o->contacted_file, (unsigned long long)k->c[i].line,
                    (int)k->c[i].id_len, k->c[i].id, (unsigned long long)k->c[i - 1].line);
            return EXIT_DATA;
        }
    return EXIT_OK;
}

/* The reader's hook: keeps the purchases of contacted customers. */
static void keep_purchase(void *ud, const char *id, size_t len, int32_t day, int64_t amount)
{
    campaign *k = ud;
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = id_compare(k->c[mid].id, k->c[mid].id_len, id, len);
        if (c == 0) {
            if (k->np == k->pcap) {
                size_t cap = k->pcap ? 2 * k->pcap : 1024;
                purchase *bigger = realloc(k->p, cap * sizeof *bigger);
                if (bigger == NULL) { k->oom = 1; return; }
                k->p = bigger;
                k->pcap = cap;
            }
            k->p[k->np++] = (purchase){(uint32_t)mid, day, amount};
            return;
        }
        if (c < 0) lo = mid + 1; else hi = mid;
    }
}

static int by_who_day(const void *x, const void *y)
{
    const purchase *a = x, *b = y;
    if (a->who != b->who)
        return a->who < b->who ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

/* Contact days after the as-of day are rejected now that it is known. */
static void check_days(const options *o, campaign *k)
{
    size_t kept = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (k->c[i].day > o->as_of) {
            char why[96], day[WB_DATE_BUFSIZE];
            format_day(k->c[i].day, day);
            snprintf(why, sizeof why, "contact_day: %s is after the as-of day", day);
            reject(k, o->contacted_file, k->c[i].line, why);
            free(k->c[i].id);
            free(k->c[i].group);
            continue;
        }
        k->c[kept++] = k->c[i];
    }
    k->n = kept;
}

typedef struct result_row {
    const char *group;
    wb_contact_result r;
    int64_t cost;
} result_row;

static int by_group(const void *x, const void *y)
{
    return strcmp(((const result_row *)x)->group, ((const result_row *)y)->group);
}

static void money(const options *o, int64_t v, char *buf, size_t size)
{
    format_money(v, o->decimals, buf, size);
}

/* a / b as money, rounded half up; "-" when b is 0. */
static void ratio_money(const options *o, int64_t a, int64_t b, char *buf, size_t size)
{
    if (b <= 0 || a < 0) {
        snprintf(buf, size, "-");
        return;
    }
    int64_t q = a / b, rem = a % b;
    money(o, q + (rem >= b - rem), buf, size);   /* half up, no overflow */
}

static void print_stats(const options *o, const char *group, const wb_campaign_stats *s,
                        int first)
{
    char rate[32], trial[32], before[32], after[32], vb[32], va[32], vr[32],
         cost[32], income[32], romi[32];
    format_percent(s->return_rate_bp, rate, sizeof rate);
    ratio_money(o, s->trial_total, s->returned, trial, sizeof trial);
    ratio_money(o, s->spend_before, s->orders_before, before, sizeof before);
    ratio_money(o, s->spend_after, s->orders_after, after, sizeof after);
    money(o, s->volume_before, vb, sizeof vb);
    money(o, s->volume_after, va, sizeof va);
    format_percent(s->volume_restored_bp, vr, sizeof vr);
    money(o, s->cost, cost, sizeof cost);
    money(o, s->income, income, sizeof income);
    if (s->romi_known)
        format_percent(s->romi_bp, romi, sizeof romi);
    else
        snprintf(romi, sizeof romi, "-");
    char romi_bp[32] = "";           /* CSV: empty, JSON: null, without a cost */
    if (s->romi_known)
        snprintf(romi_bp, sizeof romi_bp, "%lld", (long long)s->romi_bp);
    if (o->format == FORMAT_CSV) {
        print_csv_text(stdout, group);
        printf(",%lld,%lld,%lld,%d,%d,%d,%s,%s,%s,%s,%s,%lld,%s,%s,%s,%lld\n",
               (long long)s->contacted, (long long)s->returned, (long long)s->return_rate_bp,
               s->days_q1, s->days_median, s->days_q3, trial, before, after, vb, va,
               (long long)s->volume_restored_bp, cost, income, romi_bp,
               (long long)s->window_incomplete);
        return;
    }
    if (o->format == FORMAT_JSON) {
        if (!s->romi_known)
            snprintf(romi_bp, sizeof romi_bp, "null");
        printf("%s  {\"campaign\": ", first ? "" : ",\n");
        print_json_text(stdout, group);
        printf(", \"contacted\": %lld, \"returned\": %lld, "
               "\"return_rate_bp\": %lld, \"days_q1\": %d, \"days_median\": %d, "
               "\"days_q3\": %d, \"trial_order_mean\": %s, \"avg_check_before\": %s, "
               "\"avg_check_after\": %s, \"volume_before\": %s, \"volume_after\": %s, "
               "\"volume_restored_bp\": %lld, \"cost\": %s, \"income\": %s, "
               "\"romi_bp\": %s, \"window_incomplete\": %lld}",
               (long long)s->contacted, (long long)s->returned,
               (long long)s->return_rate_bp, s->days_q1, s->days_median, s->days_q3,
               strcmp(trial, "-") ? trial : "null", strcmp(before, "-") ? before : "null",
               strcmp(after, "-") ? after : "null", vb, va,
               (long long)s->volume_restored_bp, cost, income,
               romi_bp, (long long)s->window_incomplete);
        return;
    }
    printf("%s\n", group);
    printf("  %-36s %lld\n", "contacted", (long long)s->contacted);
    printf("  %-36s %lld (%s %%)\n", "returned (an order in the window)",
           (long long)s->returned, rate);
    if (s->returned > 0)
        printf("  %-36s %d / %d / %d\n", "days to the repeat: q1 / median / q3",
               s->days_q1, s->days_median, s->days_q3);
    printf("  %-36s %s\n", "trial order (mean)", trial);
    printf("  %-36s %s / %s\n", "average check before / after", before, after);
    printf("  %-36s %s of %s (%s %%)\n", "volume restored", va, vb, vr);
    printf("  %-36s %s / %s\n", "cost / income", cost, income);
    printf("  %-36s %s%s\n", "ROMI", romi, s->romi_known ? " %" : " (no cost given)");
    if (s->window_incomplete)
        printf("  %-36s %lld\n", "windows cut short by the data", (long long)s->window_incomplete);
}

/* The figures of rows[from, to) under `group`. */
static int report_group(const options *o, const result_row *rows, size_t from,
                        size_t to, const char *group, int first)
{
    wb_contact_result *r = malloc((to - from + 1) * sizeof *r);
    int64_t cost = 0;
    RETURN_IF(r == NULL, WB_ENOMEM);
    for (size_t i = from; i < to; i++) {
        r[i - from] = rows[i].r;
        if (__builtin_add_overflow(cost, rows[i].cost, &cost)) {
            free(r);
            return WB_ERANGE;
        }
    }
    wb_campaign_stats s;
    int rc = wb_campaign_outcome(r, to - from, cost, o->margin_bp, &s);
    free(r);
    if (rc == WB_OK)
        print_stats(o, group, &s, first);
    return rc;
}

static int report(const options *o, campaign *k)
{
    result_row *rows = malloc((k->n + 1) * sizeof *rows);
    int32_t *days = malloc((k->np + 1) * sizeof *days);
    int64_t *amounts = malloc((k->np + 1) * sizeof *amounts);
    int rc = rows && days && amounts ? WB_OK : WB_ENOMEM;
    for (size_t i = 0; rc == WB_OK && i < k->np; i++) {
        days[i] = k->p[i].day;
        amounts[i] = k->p[i].amount;
    }
    size_t at = 0, never = 0;
    for (size_t i = 0; rc == WB_OK && i < k->n; i++) {
        size_t from = at;
        while (at < k->np && k->p[at].who == i)
            at++;
        never += at == from;
        rows[i].group = k->c[i].group;
        rows[i].cost = k->c[i].cost;
        rc = wb_contact_outcome(days + from, amounts + from, at - from, k->c[i].day,
                                o->window, o->as_of, &rows[i].r);
        if (rc != WB_OK)
            fprintf(stderr, "winback: customer %.*s: %s\n", (int)k->c[i].id_len,
                    k->c[i].id, wb_strerror(rc));
    }
    free(days);
    free(amounts);
    if (rc == WB_OK && never > 0 && !o->quiet)
        fprintf(stderr, "winback: %zu contacted customers have no purchase in the log\n", never);
    if (rc == WB_OK) {
        if (k->n > 0)
            qsort(rows, k->n, sizeof *rows, by_group);
        if (o->format == FORMAT_CSV)
            printf("campaign,contacted,returned,return_rate_bp,days_q1,days_median,days_q3,"
                   "trial_order_mean,avg_check_before,avg_check_after,volume_before,"
                   "volume_after,volume_restored_bp,cost,income,romi_bp,window_incomplete\n");
        else if (o->format == FORMAT_JSON)
            printf("[\n");
        int first = 1;
        for (size_t i = 0; rc == WB_OK && i < k->n;) {
            size_t j = i;
            while (j < k->n && strcmp(rows[j].group, rows[i].group) == 0)
                j++;
            rc = report_group(o, rows, i, j, rows[i].group, first);
            first = 0;
            i = j;
        }
        if (rc == WB_OK)
            rc = report_group(o, rows, 0, k->n, "total", first);
        if (o->format == FORMAT_JSON)
            printf("\n]\n");
    }
    free(rows);
    if (rc != WB_OK)
        die_status("outcome", rc);
    return rc == WB_OK ? EXIT_OK : rc == WB_ENOMEM ? EXIT_INTERNAL : EXIT_DATA;
}

int run_outcome(options *o)
{
    campaign k;
    wb_ledger *ledger = NULL;
    memset(&k, 0, sizeof k);
    k.o = o;
    int rc = load_contacts(o, &k);
    row_hook hook = {keep_purchase, &k};
    if (rc == EXIT_OK)
        rc = load_log(o, &ledger, &hook);
    if (rc == EXIT_OK && k.oom) {
        fprintf(stderr, "winback: out of memory keeping the contacted customers' purchases\n");
        rc = EXIT_INTERNAL;
    }
    if (rc == EXIT_OK && o->as_of == WB_DAY_NONE)
        rc = default_as_of(o, ledger, 0);
    if (rc == EXIT_OK) {
        check_days(o, &k);
        if (!o->quiet)
            fprintf(stderr, "winback: contacted %s: read %llu, accepted %zu, rejected %llu\n",
                    o->contacted_file, (unsigned long long)k.read, k.n,
                    (unsigned long long)k.rejected);
        if (k.rejected > MAX_SHOWN && !o->quiet)
            fprintf(stderr, "winback: %llu more rejected rows not shown\n",
                    (unsigned long long)(k.rejected - MAX_SHOWN));
        if (o->strict && k.rejected > 0)
            rc = EXIT_DATA;
    }
    if (rc == EXIT_OK) {
        if (k.np > 0)
            qsort(k.p, k.np, sizeof *k.p, by_who_day);
        if (!o->quiet) {
            char asof[WB_DATE_BUFSIZE];
            format_day(o->as_of, asof);
            fprintf(stderr, "winback: returns within %d days of the contact, purchases "
                    "to %s\n", (int)o->window, asof);
        }
        rc = report(o, &k);
    }
    free_contacts(&k);
    wb_ledger_free(ledger);
    return rc == EXIT_OK && ferror(stdout) ? EXIT_IO : rc;
}
