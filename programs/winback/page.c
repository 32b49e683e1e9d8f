/*
 * page.c -- `winback report LOG -o report.html`: one self-contained page.
 *
 * Well-formed XHTML with inline SVG: no script, no style sheet or font to
 * fetch, nothing from the network, so it opens anywhere and can be mailed.
 * Its numbers come from the functions summary and plan use (totals_add,
 * breakdown_collect, rank_customers), so they are the same numbers; the
 * key figures carry ids (n-customers, class-lapsed-1, action-winback,
 * lost-now, ...) that make check reads back.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define HIST_BINS 19            /* 30-day recency bins; the last is 540+ */
#define ALIVE_BINS 10
#define GRID_X 16               /* frequency 0..15 repeat purchases */
#define GRID_T 12               /* recency bins */

static const char *const COLOR[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                    "#59a14f", "#edc948", "#b07aa1"};

typedef struct page {
    const options *o;
    FILE *f;
    totals t;
    breakdown months;
    uint64_t recency[HIST_BINS];
    uint64_t alive[ALIVE_BINS];
    model_fit fit;
    int model;
} page;

/* Text for XML: &, <, >, " escaped; bytes that are not valid UTF-8, and
 * control bytes XML 1.0 forbids, shown as U+FFFD. */
static void text(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_length(p + i, n - i);
        if (len == 0 || (p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f) {
            fputs("\xEF\xBF\xBD", f);
            i++;
        } else if (p[i] == '&') { fputs("&amp;", f); i++; }
        else if (p[i] == '<') { fputs("&lt;", f); i++; }
        else if (p[i] == '>') { fputs("&gt;", f); i++; }
        else if (p[i] == '"') { fputs("&quot;", f); i++; }
        else { fwrite(p + i, 1, len, f); i += len; }
    }
}

static void str(FILE *f, const char *s)
{
    text(f, s, strlen(s));
}

static void money(const page *pg, int64_t v, char *buf, size_t size)
{
    format_money(v, pg->o->decimals, buf, size);
}

/* ---- charts ------------------------------------------------------------ */

/* Horizontal bars: one per label, the value at the bar's end. */
static void bars(page *pg, const char *title, const char *const *labels,
                 const uint64_t *v, size_t n, const char *id_prefix)
{
    FILE *f = pg->f;
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (v[i] > max) max = v[i];
    int h = 26 * (int)n + 10;
    fprintf(f, "<figure><figcaption>");
    str(f, title);
    fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" "
            "height=\"%d\" role=\"img\">\n", h);
    for (size_t i = 0; i < n; i++) {
        double w = 360.0 * (double)v[i] / (double)max;
        int y = 5 + 26 * (int)i;
        fprintf(f, "<text x=\"110\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">", y + 15);
        str(f, labels[i]);
        fprintf(f, "</text><rect x=\"116\" y=\"%d\" width=\"%.1f\" height=\"20\" "
                "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" font-size=\"13\" id=\"%s-%s\">"
                "%llu</text>\n", y, w, COLOR[i % 7], 122 + w, y + 15, id_prefix,
                labels[i], (unsigned long long)v[i]);
    }
    fprintf(f, "</svg></figure>\n");
}

/* Vertical bars of a histogram, labels under every `every`-th bar. */
static void histogram(page *pg, const char *title, const uint64_t *v, size_t n,
                      const char *const *labels, const char *xlabel)
{
    FILE *f = pg->f;
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (v[i] > max) max = v[i];
    double bw = 520.0 / (double)n;
    fprintf(f, "<figure><figcaption>");
    str(f, title);
    fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"580\" "
            "height=\"260\" role=\"img\">\n<line x1=\"40\" y1=\"210\" x2=\"565\" y2=\"210\" "
            "stroke=\"#333\"/>\n<text x=\"36\" y=\"24\" text-anchor=\"end\" font-size=\"11\">"
            "%llu</text>\n", (unsigned long long)max);
    for (size_t i = 0; i < n; i++) {
        double h = 180.0 * (double)v[i] / (double)max;
        double x = 44 + bw * (double)i;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>%s: %llu</title></rect>\n", x, 210 - h, bw - 2, h, COLOR[0],
                labels[i], (unsigned long long)v[i]);
        if (i % (n > 12 ? 3 : 1) == 0)
            fprintf(f, "<text x=\"%.1f\" y=\"226\" font-size=\"10\">%s</text>\n", x, labels[i]);
    }
    fprintf(f, "<text x=\"300\" y=\"250\" text-anchor=\"middle\" font-size=\"12\">");
    str(f, xlabel);
    fprintf(f, "</text></svg></figure>\n");
}

/* Losses and returns per month, side by side. */
static void monthly(page *pg)
{
    FILE *f = pg->f;
    const breakdown *bd = &pg->months;
    uint64_t max = 1;
    for (size_t i = 0; i < bd->n; i++) {
        if (bd->b[i].lost > max) max = bd->b[i].lost;
        if (bd->b[i].returned > max) max = bd->b[i].returned;
    }
    double bw = bd->n ? 640.0 / (double)bd->n : 1;
    fprintf(f, "<figure><figcaption>Customers who became lost (crossed the lost threshold) "
            "and who returned, per month</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
            "width=\"700\" height=\"280\" role=\"img\">\n<line x1=\"44\" y1=\"220\" x2=\"690\" "
            "y2=\"220\" stroke=\"#333\"/>\n<text x=\"40\" y=\"34\" text-anchor=\"end\" "
            "font-size=\"11\">%llu</text>\n", (unsigned long long)max);
    for (size_t i = 0; i < bd->n; i++) {
        char name[24];
        period_name(BY_MONTH, bd->b[i].period, name, sizeof name);
        double x = 48 + bw * (double)i;
        double hl = 180.0 * (double)bd->b[i].lost / (double)max;
        double hr = 180.0 * (double)bd->b[i].returned / (double)max;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>%s lost: %llu</title></rect>\n", x, 220 - hl, bw / 2 - 1, hl, COLOR[2],
                name, (unsigned long long)bd->b[i].lost);
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                "<title>%s returned: %llu</title></rect>\n", x + bw / 2, 220 - hr, bw / 2 - 1,
                hr, COLOR[4], name, (unsigned long long)bd->b[i].returned);
        if (i % 3 == 0)
            fprintf(f, "<text x=\"%.1f\" y=\"236\" font-size=\"10\">%s</text>\n", x, name);
    }
    fprintf(f, "<rect x=\"60\" y=\"256\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"78\" "
            "y=\"266\" font-size=\"12\">became lost</text><rect x=\"180\" y=\"256\" width=\"12\" "
            "height=\"12\" fill=\"%s\"/><text x=\"198\" y=\"266\" font-size=\"12\">returned"
            "</text></svg></figure>\n", COLOR[2], COLOR[4]);
}

/* Expected purchases over the horizon for each frequency and recency, as
 * lifetimes draws it: a customer seen for the longest T in the base. */
static void matrix(page *pg, double T)
{
    FILE *f = pg->f;
    double e[GRID_T][GRID_X], max = 1e-9;
    for (int r = 0; r < GRID_T; r++)
        for (int x = 0; x < GRID_X; x++) {
            wb_rfm c = {x, x ? T * (r + 0.5) / GRID_T : 0, T, 0};
            if (wb_bgnbd_expected(&pg->fit.bgnbd, &c, pg->o->horizon, &e[r][x]) != WB_OK)
                e[r][x] = 0;
            if (e[r][x] > max) max = e[r][x];
        }
    fprintf(f, "<figure><figcaption>Expected purchases in the next %g %s by frequency "
            "(repeat purchases) and recency (time of the last purchase, T = %.0f)</figcaption>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"%d\" role=\"img\">\n",
            pg->o->horizon, pg->o->unit_days == 7 ? "weeks" : "days", T, 30 * GRID_T + 60);
    for (int r = 0; r < GRID_T; r++) {
        int y = 10 + 30 * (GRID_T - 1 - r);
        fprintf(f, "<text x=\"60\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%.0f</text>\n",
                y + 19, T * (r + 0.5) / GRID_T);
        for (int x = 0; x < GRID_X; x++) {
            double s = e[r][x] / max;
            int c = (int)(255 - 200 * s);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"34\" height=\"29\" fill=\"rgb(%d,%d,255)\">"
                    "<title>x %d, t_x %.0f: %.3f</title></rect>\n", 64 + 35 * x, y, c, c, x,
                    T * (r + 0.5) / GRID_T, e[r][x]);
        }
    }
    for (int x = 0; x < GRID_X; x++)
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%d</text>\n", 76 + 35 * x,
                30 * GRID_T + 26, x);
    fprintf(f, "<text x=\"340\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">frequency; "
            "darker: more purchases expected (at most %.2f)</text></svg></figure>\n",
            30 * GRID_T + 48, max);
}

/* ---- the data ---------------------------------------------------------- */

static int collect(page *pg, const base *b, double *T)
{
    const options *o = pg->o;
    uint64_t failed = 0;
    *T = 0;
    for (size_t k = 0; k < b->n; k++) {
        row r;
        member mb;
        int rc = totals_add(o, b, k, &pg->t);
        if (rc == WB_OK)
            rc = plan_row(o, b, pg->model ? &pg->fit.bgnbd : NULL, k, &r, &mb);
        if (rc != WB_OK) {
            const char *id;
            size_t len;
            base_id(o, b, k, &id, &len);
            RETURN_IF(customer_failed(o, id, len, rc, &failed) != EXIT_OK, STOP_CUSTOMER);
            continue;
        }
        if (r.cls != WB_CLASS_NEVER) {
            int bin = r.days_since / 30;
            pg->recency[bin < HIST_BINS ? bin : HIST_BINS - 1]++;
        }
        if (pg->model && mb.ledger_index >= 0) {
            int bin = (int)(r.p_alive * ALIVE_BINS);
            pg->alive[bin < ALIVE_BINS ? bin : ALIVE_BINS - 1]++;
            double t = (double)(o->as_of - mb.lc.first_day) / o->unit_days;
            if (t > *T) *T = t;
        }
    }
    report_failed(failed);
    pg->months.mode = BY_MONTH;
    return breakdown_collect(o, b, &pg->months);
}

/* ---- the page ------------------------------------------------------------ */

static void figure_row(FILE *f, const char *label, const char *id, const char *value)
{
    fprintf(f, "<tr><th>%s</th><td id=\"%s\">%s</td></tr>\n", label, id, value);
}

static void key_figures(page *pg)
{
    FILE *f = pg->f;
    const totals *t = &pg->t;
    char buf[64], lost[32], rev[32];
    money(pg, t->lost_value, lost, sizeof lost);
    money(pg, t->revenue, rev, sizeof rev);
    fprintf(f, "<table class=\"figures\">\n");
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)t->customers);
    figure_row(f, "customers", "n-customers", buf);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)t->purchases);
    figure_row(f, "purchases", "n-purchases", buf);
    figure_row(f, "revenue to date", "revenue", rev);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)t->lost_now);
    figure_row(f, "lost now", "lost-now", buf);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)t->twice_lost);
    figure_row(f, "of them lost twice or more", "twice-lost", buf);
    figure_row(f, "value of the lost base (CLV)", "lost-value", lost);
    fprintf(f, "</table>\n");
}

static void top_table(page *pg, const base *b)
{
    const options *o = pg->o;
    FILE *f = pg->f;
    ranked *rows;
    size_t n;
    if (rank_customers(o, b, pg->model ? &pg->fit.bgnbd : NULL, &rows, &n) != WB_OK)
        return;
    size_t shown = o->top >= 0 && (size_t)o->top < n ? (size_t)o->top : (n < 20 ? n : 20);
    fprintf(f, "<h2>The top %zu of the plan</h2>\n<table class=\"plan\">\n<tr><th>id</th>"
            "<th>last purchase</th><th>class</th><th>action</th><th>discount</th><th>CLV</th>"
            "<th>approach</th><th>contact</th><th>channel</th><th>offer expires</th>"
            "<th>priority</th></tr>\n", shown);
    for (size_t i = 0; i < shown; i++) {
        row r;
        row_text t;
        member mb;
        char disc[32];
        if (plan_row(o, b, pg->model ? &pg->fit.bgnbd : NULL, rows[i].index, &r, &mb) != WB_OK)
            continue;
        row_to_text(o, &r, &t);
        format_percent(t.dbp, disc, sizeof disc);
        fprintf(f, "<tr><td>");
        text(f, mb.id, mb.id_len);
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s %%</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", t.last, t.cls, t.act,
                disc, t.clv, t.app, t.earliest, t.chan, t.expires, t.prio);
    }
    fprintf(f, "</table>\n");
    free(rows);
}

static void head(page *pg)
{
    char asof[WB_DATE_BUFSIZE];
    format_day(pg->o->as_of, asof);
    fprintf(pg->f,
            "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
            "<head><meta charset=\"utf-8\"/><title>Win-back report as of %s</title>\n"
            "<style>body{font-family:sans-serif;margin:2em;max-width:1000px;color:#222}"
            "table{border-collapse:collapse}th,td{padding:2px 8px;text-align:right;"
            "border-bottom:1px solid #ddd;white-space:nowrap}table.plan{font-size:90%%}"
            "table.plan td:first-child,th{text-align:left}"
            "figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px}"
            ".note{color:#555;font-size:90%%}</style></head>\n<body>\n"
            "<h1>Win-back report as of %s</h1>\n<p class=\"note\">Log: ", asof, asof);
    str(pg->f, pg->o->log);
    if (pg->o->customers_file) {
        fprintf(pg->f, "; customers: ");
        str(pg->f, pg->o->customers_file);
    }
    fprintf(pg->f, ". Made by winback %s (libwinback %s); the numbers are winback summary's "
            "and winback plan's.</p>\n", WB_VERSION_STRING, wb_version_string());
}

static void body(page *pg, const base *b, double T)
{
    FILE *f = pg->f;
    const char *classes[WB_CLASS_TIER3 + 1], *actions[WB_ACTION_EXCLUDE + 1];
    int first = pg->t.per_class[WB_CLASS_NEVER] ? WB_CLASS_NEVER : WB_CLASS_ACTIVE;
    for (int c = 0; c <= WB_CLASS_TIER3; c++)
        classes[c] = wb_class_name(c);
    for (int a = 0; a <= WB_ACTION_EXCLUDE; a++)
        actions[a] = wb_action_name(a);
    key_figures(pg);
    fprintf(f, "<h2>The base</h2>\n");
    bars(pg, "Customers per recency class", classes + first, pg->t.per_class + first,
         (size_t)(WB_CLASS_TIER3 + 1 - first), "class");
    bars(pg, "Customers per plan action", actions, pg->t.per_action,
         WB_ACTION_EXCLUDE + 1, "action");
    static const char *const rlabels[HIST_BINS] = {
        "0", "30", "60", "90", "120", "150", "180", "210", "240", "270", "300", "330",
        "360", "390", "420", "450", "480", "510", "540+"};
    histogram(pg, "Days since the last purchase (30-day bins)", pg->recency, HIST_BINS,
              rlabels, "days since the last purchase");
    fprintf(f, "<h2>Losses and returns</h2>\n");
    monthly(pg);
    if (pg->model) {
        static const char *const alabels[ALIVE_BINS] = {"0.0", "0.1", "0.2", "0.3", "0.4",
                                                        "0.5", "0.6", "0.7", "0.8", "0.9"};
        fprintf(f, "<h2>BG/NBD: who is only asleep</h2>\n<p class=\"note\">r %.4f, alpha "
                "%.4f, a %.4f, b %.4f (log-likelihood %.2f).</p>\n", pg->fit.bgnbd.r,
                pg->fit.bgnbd.alpha, pg->fit.bgnbd.a, pg->fit.bgnbd.b, pg->fit.ll);
        histogram(pg, "P(alive) of the customers in the log", pg->alive, ALIVE_BINS,
                  alabels, "probability that the customer is still alive");
        fprintf(f, "<p class=\"note\">Under BG/NBD a customer who never bought again "
                "cannot have dropped out after a repeat purchase: P(alive) is 1 for them, "
                "which fills the last bar. A lapsed customer with P(alive) of at least "
                "sleeping_p_alive_bp is sleeping: a reminder, not a discount.</p>\n");
        matrix(pg, T);
    }
    top_table(pg, b);
    fprintf(f, "</body>\n</html>\n");
}

int run_report(const options *o, const wb_ledger *l, const base *b)
{
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.o = o;
    pg.model = o->model;
    if (pg.model) {
        int rc = fit_models(o, l, &pg.fit);
        if (rc != WB_OK) {
            if (rc != WB_EMODEL)
                die_status("BG/NBD fit", rc);
            return EXIT_DATA;
        }
    }
    double T;
    int rc = collect(&pg, b, &T);
    if (rc == STOP_CUSTOMER) {
        breakdown_free(&pg.months);
        return EXIT_DATA;
    }
    if (rc != WB_OK) {
        breakdown_free(&pg.months);
        die_status("report", rc);
        return rc == WB_ENOMEM ? EXIT_INTERNAL : EXIT_DATA;
    }
    pg.f = fopen(o->output_file, "w");
    if (pg.f == NULL) {
        perror(o->output_file);
        breakdown_free(&pg.months);
        return EXIT_IO;
    }
    head(&pg);
    body(&pg, b, T);
    breakdown_free(&pg.months);
    int bad = ferror(pg.f);
    if ((fclose(pg.f) != 0) | bad) {
        fprintf(stderr, "winback: %s: cannot write the report\n", o->output_file);
        return EXIT_IO;
    }
    if (!o->quiet)
        fprintf(stderr, "winback: report written to %s\n", o->output_file);
    return EXIT_OK;
}
