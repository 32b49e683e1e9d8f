/*
 * fit.c -- `winback fit`: BG/NBD and Gamma-Gamma fitted to a log.
 */
#include <stdlib.h>
#include <time.h>

#include "tool.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Every customer's summary as of o->as_of, in o->unit_days; spend in major
 * units, so the Gamma-Gamma scale reads as in the literature. */
static int summaries(const options *o, const wb_ledger *l, wb_rfm **out,
                     size_t *n)
{
    double major = 1.0;
    for (int32_t i = 0; i < o->decimals; i++)
        major *= 10.0;
    FORWARD(wb_ledger_count(l, n, NULL));
    *out = malloc((*n ? *n : 1) * sizeof **out);
    RETURN_IF(*out == NULL, WB_ENOMEM);
    for (size_t i = 0; i < *n; i++) {
        wb_ledger_customer lc;
        int rc = wb_ledger_at(l, &o->policy, o->as_of, i, &lc);
        if (rc == WB_OK)
            rc = wb_rfm_from_ledger(&lc, o->as_of, o->unit_days, &(*out)[i]);
        if (rc != WB_OK) {
            free(*out);
            return rc;
        }
        (*out)[i].m /= major;
    }
    return WB_OK;
}

static int by_history(const void *pa, const void *pb)
{
    const wb_rfm *a = pa, *b = pb;
    if (a->x != b->x) return a->x < b->x ? -1 : 1;
    if (a->t_x != b->t_x) return a->t_x < b->t_x ? -1 : 1;
    return (a->T > b->T) - (a->T < b->T);
}

/* Why the log cannot identify BG/NBD, from what the log holds: no repeat
 * buyer, or too few customers whose histories differ. Sorts c. */
static void explain_unidentified(wb_rfm *c, size_t n)
{
    size_t repeat = 0, distinct = n > 0;
    for (size_t i = 0; i < n; i++)
        repeat += c[i].x > 0.0;
    qsort(c, n, sizeof *c, by_history);
    for (size_t i = 1; i < n; i++)
        distinct += by_history(&c[i - 1], &c[i]) != 0;
    fprintf(stderr, "winback: BG/NBD fit: the log cannot identify the model: "
            "%zu customers, %zu with repeat purchases, %zu distinct purchase "
            "histories (x, t_x, T). ", n, repeat, distinct);
    if (repeat == 0)
        fprintf(stderr, "Nobody bought twice, so nothing tells how often "
                "customers buy.\n");
    else
        fprintf(stderr, "The best fit runs to the edge of the parameters: the "
                "customers do not differ enough in how often they buy or when "
                "they stop. A longer log or more customers may help.\n");
}

int fit_models(const options *o, const wb_ledger *l, model_fit *fit)
{
    wb_rfm *c;
    size_t n;
    FORWARD(summaries(o, l, &c, &n));
    if (n == 0) {
        char day[WB_DATE_BUFSIZE];
        format_day(o->as_of, day);
        fprintf(stderr, "winback: BG/NBD fit: no purchase on or before %s, the "
                "calibration end: nothing to fit (choose a later "
                "--calibration-end)\n", day);
        free(c);
        return WB_EMODEL;
    }
    double t0 = now_ms();
    int rc = wb_bgnbd_fit(c, n, NULL, &fit->bgnbd, &fit->ll);
    if (rc == WB_OK) {
        fit->gg_ok = wb_gg_fit(c, n, NULL, &fit->gg, &fit->gg_ll) == WB_OK;
        fit->ms = now_ms() - t0;
        fit->customers = n;
        fit->repeat_buyers = 0;
        for (size_t i = 0; i < n; i++)
            fit->repeat_buyers += c[i].x > 0.0;
    } else if (rc == WB_EMODEL) {
        explain_unidentified(c, n);
    }
    free(c);
    return rc;
}

int run_fit(const options *o, const wb_ledger *l)
{
    model_fit f;
    char day[WB_DATE_BUFSIZE];
    int rc = fit_models(o, l, &f);
    if (rc != WB_OK) {
        if (rc != WB_EMODEL)            /* that one fit_models explained */
            die_status("fit", rc);
        return EXIT_DATA;
    }
    format_day(o->as_of, day);
    printf("customers %zu (%zu repeat buyers), calibration to %s, time in %s\n",
           f.customers, f.repeat_buyers, day, o->unit_days == 7 ? "weeks" : "days");
    printf("BG/NBD       r %.6f  alpha %.6f  a %.6f  b %.6f  log-likelihood %.4f\n",
           f.bgnbd.r, f.bgnbd.alpha, f.bgnbd.a, f.bgnbd.b, f.ll);
    if (f.gg_ok)
        printf("Gamma-Gamma  p %.6f  q %.6f  gamma %.6f  log-likelihood %.4f\n",
               f.gg.p, f.gg.q, f.gg.gamma, f.gg_ll);
    else
        printf("Gamma-Gamma  not fitted: no repeat buyer with a positive spend\n");
    printf("fit time     %.1f ms\n", f.ms);
    return ferror(stdout) ? EXIT_IO : EXIT_OK;
}
