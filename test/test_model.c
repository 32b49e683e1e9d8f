/* test_model.c -- BG/NBD and Gamma-Gamma against 40-digit references and
 * the CDNOW results of the literature. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "wb_test.h"
#include "extras/extras.h"   /* wb__hyp2f1, tested directly */
#include "ref/model_expected.h"

#define N_REF (sizeof ref_customers / sizeof ref_customers[0])
#define DATA(f) "test/data/" f

static void assert_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fabs(want);
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, want %.17g (rel %.3g)", what, got, want,
                 fabs(got - want) / fabs(want));
}

static wb_bgnbd ref_model(void)
{
    wb_bgnbd m = {ref_params[0], ref_params[1], ref_params[2], ref_params[3]};
    return m;
}

static void formulas_match_40_digit_references(void **state)
{
    wb_bgnbd m = ref_model();
    wb_gg g = {ref_gg[0], ref_gg[1], ref_gg[2]};
    (void)state;
    for (size_t i = 0; i < N_REF; i++) {
        const struct ref_customer *r = &ref_customers[i];
        wb_rfm c = {r->x, r->t_x, r->T, r->m};
        double ll, p, lp, e, gl, sp;
        size_t used;
        assert_int_equal(wb_bgnbd_loglik(&m, &c, 1, &ll), WB_OK);
        assert_close(ll, r->ll, 1e-9, r->name);
        assert_int_equal(wb_bgnbd_p_alive(&m, &c, &p, &lp), WB_OK);
        if (r->log_p_alive != 0.0)
            assert_close(lp, r->log_p_alive, 1e-9, r->name);
        else
            assert_true(lp == 0.0 && p == 1.0);
        if (r->p_alive > 1e-300)
            assert_close(p, r->p_alive, 1e-9, r->name);
        else
            assert_true(p >= 0.0 && p < 1e-300);      /* underflow, not NaN */
        assert_int_equal(wb_bgnbd_expected(&m, &c, r->t, &e), WB_OK);
        if (r->expected > 1e-290)
            assert_close(e, r->expected, 1e-9, r->name);
        else
            assert_true(e >= 0.0 && e < 1e-290);
        assert_int_equal(wb_gg_loglik(&g, &c, 1, &gl, &used), WB_OK);
        assert_int_equal(used, r->x > 0 && r->m > 0);
        if (used)
            assert_close(gl, r->gg_ll, 1e-9, r->name);
        assert_int_equal(wb_gg_expected_spend(&g, &c, &sp), WB_OK);
        assert_close(sp, r->gg_spend, 1e-9, r->name);
    }
    wb_rfm c1 = {2, 30.43, 38.86, 22.35};
    double clv;
    assert_int_equal(wb_bgnbd_clv(&m, &c1, 24.66, 12, 4.35, 0.01, &clv), WB_OK);
    assert_close(clv, ref_clv, 1e-9, "discounted clv");
    assert_int_equal(wb_bgnbd_clv(&m, &c1, 24.66, 0, 4.35, 0.01, &clv), WB_EINVAL);
    assert_int_equal(wb_bgnbd_clv(&m, &c1, 24.66, 12, 0, 0.01, &clv), WB_EINVAL);
    assert_int_equal(wb_bgnbd_clv(&m, &c1, 24.66, 12, 4.35, -1, &clv), WB_EINVAL);
    for (int i = 0; i < 4; i++) {
        double e;
        assert_int_equal(wb_bgnbd_expected_new(&m, ref_new[i][0], &e), WB_OK);
        assert_close(e, ref_new[i][1], 1e-9, "expected_new");
    }
    for (size_t i = 0; i < sizeof ref_hyp / sizeof ref_hyp[0]; i++) {
        double v;
        assert_int_equal(wb__hyp2f1(ref_hyp[i][0], ref_hyp[i][1], ref_hyp[i][2],
                                   ref_hyp[i][3], &v), WB_OK);
        assert_close(v, ref_hyp[i][4], 1e-12, "hyp2f1");
    }
}

/* The calibration summary of the 2 357-customer CDNOW sample. */
static wb_rfm *load_summary(size_t *n)
{
    static wb_rfm c[2400];
    char line[256];
    FILE *f = fopen(DATA("cdnow_customers_summary_with_transactions.csv"), "r");
    assert_non_null(f);
    *n = 0;
    assert_non_null(fgets(line, sizeof line, f));         /* header */
    while (fgets(line, sizeof line, f) != NULL && *n < 2400) {
        int id;
        wb_rfm *r = &c[*n];
        if (sscanf(line, "%d,%lf,%lf,%lf,%lf", &id, &r->x, &r->t_x, &r->T, &r->m) == 5)
            ++*n;
    }
    fclose(f);
    assert_int_equal(*n, 2357);
    return c;
}

/* The log-likelihood against 80-digit mpmath at random and extreme
 * parameters: at r = 3.7e13, b = 1.7e19 (where a runaway fit went) the
 * difference of two lgamma values near 1e15 once gave +131 065 instead of
 * -1.0000000000000135. */
static void loglik_at_extreme_parameters(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ref_ll_points / sizeof ref_ll_points[0]; i++) {
        const double *p = ref_ll_points[i];
        wb_bgnbd m = {p[0], p[1], p[2], p[3]};
        wb_rfm c = {p[4], p[5], p[6], 0.0};
        double ll;
        char what[64];
        snprintf(what, sizeof what, "loglik at point %zu", i);
        assert_int_equal(wb_bgnbd_loglik(&m, &c, 1, &ll), WB_OK);
        if (!(fabs(ll - p[7]) <= 1e-9 * fmax(1.0, fabs(p[7]))))
            fail_msg("%s: got %.17g, want %.17g", what, ll, p[7]);
    }
}

/* 1000 customers who each bought on two days a week apart, calibration to
 * the second: every customer alike, so purchase rates cannot vary and the
 * fit ran to r = 3.7e13 with a log-likelihood of +131 065 000. Now: the
 * data cannot identify the model, said as WB_EMODEL. */
static void identical_customers_cannot_identify_the_model(void **state)
{
    static wb_rfm c[1000];
    wb_bgnbd m;
    double ll;
    (void)state;
    for (size_t i = 0; i < 1000; i++) {
        c[i].x = 1;
        c[i].t_x = 1;
        c[i].T = 1;
    }
    assert_int_equal(wb_bgnbd_fit(c, 1000, NULL, &m, &ll), WB_EMODEL);
    assert_string_equal(wb_error_name(WB_EMODEL), "EMODEL");
}

static double uniform(uint64_t *s)
{
    return ((double)(xorshift64(s) >> 11) + 0.5) / 9007199254740992.0;
}

/* Gamma(shape k, scale 1), Marsaglia and Tsang; k < 1 through k + 1. */
static double gamma_draw(uint64_t *s, double k)
{
    if (k < 1.0)
        return gamma_draw(s, k + 1.0) * pow(uniform(s), 1.0 / k);
    double d = k - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {                                  /* a normal by Box-Muller */
            x = sqrt(-2.0 * log(uniform(s))) * cos(6.283185307179586 * uniform(s));
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        if (log(uniform(s)) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v;
    }
}

/* One customer of a BG/NBD population over T weeks: a Poisson rate from
 * Gamma(r, alpha), a dropout probability from Beta(a, b), tried after
 * each purchase. */
static wb_rfm simulate(uint64_t *s, const wb_bgnbd *m, double T)
{
    double lambda = gamma_draw(s, m->r) / m->alpha;
    double ga = gamma_draw(s, m->a), p = ga / (ga + gamma_draw(s, m->b));
    wb_rfm c = {0, 0, T, 0};
    for (double t = -log(uniform(s)) / lambda; t <= T; t += -log(uniform(s)) / lambda) {
        c.x += 1;
        c.t_x = t;
        if (uniform(s) < p)
            break;
    }
    return c;
}

/* A fit either reaches an interior optimum where the gradient vanishes,
 * or says WB_EMODEL: never parameters running off to infinity. Over 40
 * simulated populations of 40..400 customers with random parameters, and
 * the fit must succeed on most (the test would pass vacuously otherwise). */
static void a_fit_is_interior_or_an_error(void **state)
{
    static wb_rfm c[400];
    uint64_t s = 20261123;
    int ok = 0;
    (void)state;
    for (int k = 0; k < 40; k++) {
        wb_bgnbd truth = {0.2 + 2.0 * uniform(&s), 1.0 + 20.0 * uniform(&s),
                          0.3 + 2.0 * uniform(&s), 0.5 + 5.0 * uniform(&s)}, m;
        size_t n = 40 + (size_t)(uniform(&s) * 360.0);
        double ll, g[4];
        for (size_t i = 0; i < n; i++)
            c[i] = simulate(&s, &truth, 20.0 + 32.0 * uniform(&s));
        int rc = wb_bgnbd_fit(c, n, NULL, &m, &ll);
        assert_true(rc == WB_OK || rc == WB_EMODEL);
        if (rc != WB_OK)
            continue;
        ok++;
        assert_int_equal(wb_bgnbd_gradient(&m, c, n, g), WB_OK);
        if (!(sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]) / (double)n <= 1e-5))
            fail_msg("population %d: a fit whose gradient does not vanish", k);
        assert_true(fabs(log(m.r)) < 40 && fabs(log(m.alpha)) < 40 &&
                    fabs(log(m.a)) < 40 && fabs(log(m.b)) < 40);
        assert_true(isfinite(ll));
    }
    if (ok < 20)
        fail_msg("only %d of 40 simulated populations fitted", ok);
    print_message("%d of 40 simulated populations fitted, the rest WB_EMODEL\n", ok);
}

static void cdnow_fit_reproduces_the_paper(void **state)
{
    size_t n;
    wb_rfm *c = load_summary(&n);
    wb_bgnbd m, again;
    double ll, ll2;
    (void)state;
    /* Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793,
     * b = 2.426, log-likelihood -9582.4. */
    assert_int_equal(wb_bgnbd_fit(c, n, NULL, &m, &ll), WB_OK);
    assert_close(m.r, 0.243, 2e-3, "r");
    assert_close(m.alpha, 4.414, 2e-3, "alpha");
    assert_close(m.a, 0.793, 2e-3, "a");
    assert_close(m.b, 2.426, 2e-3, "b");
    assert_close(ll, -9582.4, 1e-5, "ll");
    /* The same optimum from far-away starting points. */
    const wb_bgnbd starts[] = {{0.01, 100, 0.1, 10}, {5, 0.5, 5, 0.1}, {1, 1, 1, 1}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(wb_bgnbd_fit(c, n, &starts[i], &again, &ll2), WB_OK);
        assert_close(ll2, ll, 1e-10, "ll from another start");
        assert_close(again.r, m.r, 1e-4, "r from another start");
        assert_close(again.alpha, m.alpha, 1e-4, "alpha from another start");
        assert_close(again.a, m.a, 1e-4, "a from another start");
        assert_close(again.b, m.b, 1e-4, "b from another start");
    }
    /* A maximum: central differences of the log-likelihood in each log-
     * parameter are zero to within their own truncation error. */
    double *theta[4] = {&m.r, &m.alpha, &m.a, &m.b};
    for (int k = 0; k < 4; k++) {
        double h = 1e-4, keep = *theta[k], up, down;
        *theta[k] = keep * exp(h);
        assert_int_equal(wb_bgnbd_loglik(&m, c, n, &up), WB_OK);
        *theta[k] = keep * exp(-h);
        assert_int_equal(wb_bgnbd_loglik(&m, c, n, &down), WB_OK);
        *theta[k] = keep;
        assert_true(fabs((up - down) / (2 * h)) < 1e-2);   /* vs |ll| ~ 1e4 */
        assert_true(up < ll && down < ll);
    }
}

/* The analytic gradient agrees with central differences of the
 * log-likelihood, at the optimum's neighbourhood and far from it. */
static void gradient_matches_finite_differences(void **state)
{
    size_t n;
    wb_rfm *c = load_summary(&n);
    const wb_bgnbd points[] = {{0.24, 4.4, 0.79, 2.4}, {1, 1, 1, 1},
                               {0.05, 20, 3, 0.7}, {2.5, 0.3, 0.2, 9}};
    (void)state;
    for (size_t p = 0; p < 4; p++) {
        double g[4];
        wb_bgnbd m = points[p];
        assert_int_equal(wb_bgnbd_gradient(&m, c, n, g), WB_OK);
        double *par[4] = {&m.r, &m.alpha, &m.a, &m.b};
        for (int k = 0; k < 4; k++) {
            double h = 1e-5, keep = *par[k], up, down;
            *par[k] = keep * exp(h);
            assert_int_equal(wb_bgnbd_loglik(&m, c, n, &up), WB_OK);
            *par[k] = keep * exp(-h);
            assert_int_equal(wb_bgnbd_loglik(&m, c, n, &down), WB_OK);
            *par[k] = keep;
            double fd = (up - down) / (2 * h);
            /* central differences are good to ~h^2 |f'''| + eps |f| / h */
            if (!(fabs(g[k] - fd) <= 1e-5 * fabs(fd) + 1e-4))
                fail_msg("point %zu, parameter %d: analytic %.12g, differences %.12g", p, k, g[k], fd);
        }
    }
    double g[4];
    wb_bgnbd bad = {0, 1, 1, 1};
    assert_int_equal(wb_bgnbd_gradient(&bad, c, n, g), WB_EINVAL);
    assert_int_equal(wb_bgnbd_gradient(&points[0], c, n, NULL), WB_EMISUSE);
}

static void cdnow_gamma_gamma(void **state)
{
    size_t n, used;
    wb_rfm *c = load_summary(&n);
    wb_gg g;
    double ll, ll1;
    (void)state;
    /* The lifetimes documentation's fit of the same data: p = 6.25,
     * q = 3.74, gamma (v) = 15.45, on the 946 repeat buyers. */
    assert_int_equal(wb_gg_fit(c, n, NULL, &g, &ll), WB_OK);
    assert_close(g.p, 6.25, 2e-3, "p");
    assert_close(g.q, 3.74, 2e-3, "q");
    assert_close(g.gamma, 15.45, 2e-3, "gamma");
    assert_int_equal(wb_gg_loglik(&g, c, n, &ll1, &used), WB_OK);
    assert_int_equal(used, 946);
    assert_close(ll1, ll, 1e-12, "gg ll");
}

/* The summaries re-derived from the raw sample log reproduce the published
 * ones: x exactly, t_x, T and the mean spend to their 2-decimal rounding. */
typedef struct rows {
    int32_t day[2400][64];
    int64_t amount[2400][64];
    int n[2400];
} rows;

static int on_row(void *ud, const wb_record *r)
{
    rows *R = ud;
    char id[8];
    if (r->reject != WB_REJECT_NONE || r->id_len > 6)
        return 1;
    memcpy(id, r->id, r->id_len);
    id[r->id_len] = '\0';
    int k = atoi(id) - 1;
    if (k < 0 || k >= 2400 || R->n[k] >= 64)
        return 1;
    /* The sample is sorted by customer and date; keep it that way. */
    R->day[k][R->n[k]] = r->day;
    R->amount[k][R->n[k]] = r->amount;
    R->n[k]++;
    return 0;
}

static void summaries_from_the_raw_log(void **state)
{
    static rows R;
    wb_reader_config cfg;
    wb_reader *rd;
    char buf[4096];
    size_t n, got;
    wb_rfm *want = load_summary(&n);
    (void)state;
    assert_int_equal(wb_reader_config_init(&cfg), WB_OK);
    cfg.delimiter = WB_DELIM_WHITESPACE;
    cfg.header = 0;
    cfg.id_column = 1;
    cfg.date_column = 2;
    cfg.amount_column = 4;
    assert_int_equal(wb_reader_new(&cfg, NULL, on_row, &R, &rd), WB_OK);
    FILE *f = fopen(DATA("CDNOW_sample.txt"), "rb");
    assert_non_null(f);
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(wb_reader_feed(rd, buf, got), WB_OK);
    fclose(f);
    assert_int_equal(wb_reader_finish(rd), WB_OK);
    wb_reader_free(rd);
    int32_t cal_end = D("1997-09-30");
    /* The ledger's route gives the same summaries (rows up to cal_end). */
    wb_ledger *l;
    wb_policy pol;
    char id[8];
    assert_int_equal(wb_policy_init(&pol), WB_OK);
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    for (size_t i = 0; i < n; i++)
        for (int k = R.n[i] - 1; k >= 0; k--)          /* any order will do */
            if (R.day[i][k] <= cal_end) {
                snprintf(id, sizeof id, "%04zu", i + 1);
                assert_int_equal(wb_ledger_add(l, id, 4, R.day[i][k], R.amount[i][k]), WB_OK);
            }
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    for (size_t i = 0; i < n; i++) {
        wb_ledger_customer lc;
        wb_rfm c;
        assert_int_equal(wb_ledger_at(l, &pol, cal_end, i, &lc), WB_OK);  /* ids sort as numbers */
        assert_int_equal(wb_rfm_from_ledger(&lc, cal_end, 7, &c), WB_OK);
        assert_true(c.x == want[i].x);
        assert_true(fabs(c.t_x - want[i].t_x) <= 0.005 + 1e-9);
        assert_true(fabs(c.T - want[i].T) <= 0.005 + 1e-9);
        assert_true(fabs(c.m / 100.0 - want[i].m) <= 0.005 + 1e-9);
    }
    wb_ledger_customer none = {0};
    wb_rfm r;
    assert_int_equal(wb_rfm_from_ledger(&none, cal_end, 7, &r), WB_EINVAL);
    wb_ledger_free(l);
    for (size_t i = 0; i < n; i++) {
        wb_rfm c;
        assert_int_equal(wb_rfm_from_days(R.day[i], R.amount[i], (size_t)R.n[i],
                                          cal_end, 7, &c), WB_OK);
        assert_true(c.x == want[i].x);
        assert_true(fabs(c.t_x - want[i].t_x) <= 0.005 + 1e-9);
        assert_true(fabs(c.T - want[i].T) <= 0.005 + 1e-9);
        /* minor units (cents) against dollars */
        assert_true(fabs(c.m / 100.0 - want[i].m) <= 0.005 + 1e-9);
    }
}

static void no_nan_across_the_range(void **state)
{
    wb_bgnbd m = ref_model();
    (void)state;
    const double xs[] = {0, 1, 2, 10, 100, 1000, 10000};
    const double ts[] = {0, 1e-6, 1, 39, 1e3, 1e5};
    for (size_t i = 0; i < 7; i++)
        for (double frac = 0.0; frac <= 1.0; frac += 0.25)
            for (size_t k = 0; k < 6; k++) {
                double T = 40.0 + xs[i] / 10.0;
                wb_rfm c = {xs[i], xs[i] > 0 ? frac * T : 0.0, T, 10.0};
                double p, lp, e;
                assert_int_equal(wb_bgnbd_p_alive(&m, &c, &p, &lp), WB_OK);
                assert_true(isfinite(lp) && p >= 0.0 && p <= 1.0);
                assert_int_equal(wb_bgnbd_expected(&m, &c, ts[k], &e), WB_OK);
                assert_true(isfinite(e) && e >= 0.0);
            }
}

/* Expected purchases are finite or an error, at any parameters (the ones
 * here that make the series run to its limit of terms are left out: each
 * takes half a second to say WB_ERANGE). */
static void expectations_are_finite_or_an_error(void **state)
{
    static const double r[] = {1e-12, 0.24, 1e3, 1e10}, alpha[] = {4.4, 1e12},
                        a[] = {0.79, 1.0000001, 2.0, 1e8}, b[] = {2.4, 1e-9};
    const wb_rfm cs[] = {{0, 0, 52, 0}, {2, 10, 20, 5}, {300, 51, 52, 9}};
    const double ts[] = {0, 1, 52, 1e6, 1e300};
    (void)state;
    for (size_t i = 0; i < 4; i++) for (size_t j = 0; j < 2; j++)
    for (size_t k = 0; k < 4; k++) for (size_t l = 0; l < 2; l++) {
        wb_bgnbd m = {r[i], alpha[j], a[k], b[l]};
        for (size_t u = 0; u < 3; u++) for (size_t w = 0; w < 5; w++) {
            double e = NAN;
            int rc = wb_bgnbd_expected(&m, &cs[u], ts[w], &e);
            assert_true(rc == WB_OK || rc == WB_ERANGE || rc == WB_EINVAL);
            if (rc == WB_OK && !isfinite(e))
                fail_msg("r %g alpha %g a %g b %g t %g: %g with WB_OK", m.r, m.alpha, m.a, m.b, ts[w], e);
            rc = wb_bgnbd_expected_new(&m, ts[w], &e);
            if (rc == WB_OK && !isfinite(e))
                fail_msg("new: r %g alpha %g a %g b %g t %g: %g with WB_OK", m.r, m.alpha, m.a, m.b, ts[w], e);
        }
    }
}

static void bad_input(void **state)
{
    wb_bgnbd m = ref_model(), bad = m, out;
    wb_rfm ok = {2, 10, 20, 5}, c = ok;
    wb_gg g = {1, 2, 3};
    double v;
    (void)state;
    bad.a = 0;
    assert_int_equal(wb_bgnbd_loglik(&bad, &ok, 1, &v), WB_EINVAL);
    bad = m;
    bad.r = NAN;
    assert_int_equal(wb_bgnbd_p_alive(&bad, &ok, &v, NULL), WB_EINVAL);
    c.t_x = 30;                                      /* after T */
    assert_int_equal(wb_bgnbd_p_alive(&m, &c, &v, NULL), WB_EINVAL);
    c = ok;
    c.x = 0;                                         /* x = 0 but t_x > 0 */
    assert_int_equal(wb_bgnbd_expected(&m, &c, 1, &v), WB_EINVAL);
    assert_int_equal(wb_bgnbd_expected(&m, &ok, -1, &v), WB_EINVAL);
    assert_int_equal(wb_bgnbd_expected(&m, &ok, INFINITY, &v), WB_EINVAL);
    /* A finite but astronomic horizon: z rounds to 1, the series cannot
     * converge: the contract's WB_ERANGE (it was WB_EINVAL). */
    assert_int_equal(wb_bgnbd_expected(&m, &ok, 1e300, &v), WB_ERANGE);
    assert_int_equal(wb_bgnbd_expected_new(&m, 1e300, &v), WB_ERANGE);
    assert_int_equal(wb_bgnbd_p_alive(&m, &ok, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_fit(&ok, 0, NULL, &out, &v), WB_EINVAL);
    wb_rfm none[2] = {{0, 0, 10, 0}, {0, 0, 20, 0}}; /* no repeat buyer */
    assert_int_equal(wb_bgnbd_fit(none, 2, NULL, &out, &v), WB_EMODEL);
    assert_int_equal(wb_gg_fit(none, 2, NULL, &g, &v), WB_EMODEL);
    assert_int_equal(wb__hyp2f1(1, 1, 2, 1.0, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, 1, -2, 0.5, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, 1, 2, 0.5, NULL), WB_EMISUSE);
    /* log(1 - z) / -z: 2F1(1, 1; 2; z) */
    assert_int_equal(wb__hyp2f1(1, 1, 2, 0.5, &v), WB_OK);
    assert_close(v, -log(0.5) / 0.5, 1e-14, "2F1(1,1;2;z)");
    wb_gg q1 = {1, 1, 1};                            /* x = 0 needs q > 1 */
    wb_rfm zero = {0, 0, 10, 0};
    assert_int_equal(wb_gg_expected_spend(&q1, &zero, &v), WB_EINVAL);
    assert_int_equal(wb_clv_gupta_lehmann(100, 0.8, 0.1, &v), WB_OK);
    assert_close(v, 100 * 0.8 / 0.3, 1e-14, "gupta-lehmann");
    assert_int_equal(wb_clv_gupta_lehmann(100, 1.0, 0.1, &v), WB_EINVAL);
    assert_int_equal(wb_clv_gupta_lehmann(100, 0.8, -0.1, &v), WB_EINVAL);
    int32_t days[3] = {10, 5, 20};
    wb_rfm r;
    assert_int_equal(wb_rfm_from_days(days, NULL, 3, 30, 7, &r), WB_EORDER);
    assert_int_equal(wb_rfm_from_days(days, NULL, 1, 5, 7, &r), WB_EINVAL);
    assert_int_equal(wb_rfm_from_days(days, NULL, 1, 30, 0, &r), WB_EINVAL);
    assert_int_equal(wb_rfm_from_days(days, NULL, 0, 30, 7, &r), WB_EINVAL);
}

/* Every parameter and every customer field, made NaN, infinite, zero or
 * negative in turn, is refused by every function that takes it. */
static void every_invalid_argument(void **state)
{
    const wb_bgnbd good = ref_model();
    const wb_rfm ok = {3, 10, 20, 5};
    const wb_gg gg = {2, 3, 4};
    const double bad_values[] = {NAN, INFINITY, -INFINITY, 0.0, -1.0};
    double v, v2;
    wb_bgnbd out;
    wb_gg gout;
    (void)state;
    for (int f = 0; f < 4; f++)
        for (size_t k = 0; k < 5; k++) {
            wb_bgnbd m = good;
            double *field[4] = {&m.r, &m.alpha, &m.a, &m.b};
            *field[f] = bad_values[k];
            assert_int_equal(wb_bgnbd_loglik(&m, &ok, 1, &v), WB_EINVAL);
            assert_int_equal(wb_bgnbd_p_alive(&m, &ok, &v, &v2), WB_EINVAL);
            assert_int_equal(wb_bgnbd_expected(&m, &ok, 1, &v), WB_EINVAL);
            assert_int_equal(wb_bgnbd_expected_new(&m, 1, &v), WB_EINVAL);
            assert_int_equal(wb_bgnbd_clv(&m, &ok, 1, 2, 1, 0, &v), WB_EINVAL);
            assert_int_equal(wb_bgnbd_fit(&ok, 1, &m, &out, &v), WB_EINVAL);
            if (f < 3) {
                wb_gg g = gg;
                double *gf[3] = {&g.p, &g.q, &g.gamma};
                *gf[f] = bad_values[k];
                assert_int_equal(wb_gg_loglik(&g, &ok, 1, &v, NULL), WB_EINVAL);
                assert_int_equal(wb_gg_expected_spend(&g, &ok, &v), WB_EINVAL);
                assert_int_equal(wb_gg_fit(&ok, 1, &g, &gout, &v), WB_EINVAL);
            }
        }
    for (int f = 0; f < 4; f++)
        for (size_t k = 0; k < 3; k++) {                /* NaN and infinities */
            wb_rfm c = ok;
            double *field[4] = {&c.x, &c.t_x, &c.T, &c.m};
            *field[f] = bad_values[k];
            assert_int_equal(wb_bgnbd_loglik(&good, &c, 1, &v), WB_EINVAL);
            assert_int_equal(wb_bgnbd_p_alive(&good, &c, &v, NULL), WB_EINVAL);
            assert_int_equal(wb_gg_loglik(&gg, &c, 1, &v, NULL), WB_EINVAL);
            assert_int_equal(wb_bgnbd_fit(&c, 1, NULL, &out, &v), WB_EINVAL);
            assert_int_equal(wb_gg_fit(&c, 1, NULL, &gout, &v), WB_EINVAL);
        }
    /* Zero-spend repeat buyers carry no spend information: skipped, counted. */
    wb_rfm spend[3] = {{3, 10, 20, 0.0}, {2, 5, 20, 12.5}, {0, 0, 20, 0.0}};
    size_t used = 9;
    assert_int_equal(wb_gg_loglik(&gg, spend, 3, &v, &used), WB_OK);
    assert_int_equal(used, 1);
    assert_true(isfinite(v));
    assert_int_equal(wb_gg_expected_spend(&gg, &spend[0], &v), WB_OK);
    assert_close(v, 2.0 * 4.0 / (2.0 * 3 + 3 - 1), 1e-15, "zero-spend expected spend");
    wb_rfm neg = ok;
    neg.m = -1;
    assert_int_equal(wb_gg_expected_spend(&gg, &neg, &v), WB_EINVAL);
    neg = ok;
    neg.x = -1;
    assert_int_equal(wb_bgnbd_p_alive(&good, &neg, &v, NULL), WB_EINVAL);
    /* NULL pointers */
    assert_int_equal(wb_bgnbd_loglik(NULL, &ok, 1, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_loglik(&good, NULL, 1, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_loglik(&good, &ok, 1, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_p_alive(NULL, &ok, &v, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_p_alive(&good, NULL, &v, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_p_alive(&good, &ok, NULL, &v), WB_OK);  /* log only */
    assert_int_equal(wb_bgnbd_expected(NULL, &ok, 1, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected(&good, NULL, 1, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected(&good, &ok, 1, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected_new(NULL, 1, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected_new(&good, 1, NULL), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_expected_new(&good, -1, &v), WB_EINVAL);
    assert_int_equal(wb_bgnbd_clv(NULL, &ok, 1, 2, 1, 0, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv(&good, &ok, NAN, 2, 1, 0, &v), WB_EINVAL);
    assert_int_equal(wb_bgnbd_clv(&good, &ok, 1, 100001, 1, 0, &v), WB_EINVAL);
    assert_int_equal(wb_bgnbd_fit(NULL, 1, NULL, &out, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_fit(&ok, 1, NULL, NULL, &v), WB_EMISUSE);
    assert_int_equal(wb_gg_loglik(NULL, &ok, 1, &v, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_fit(NULL, 1, NULL, &gout, &v), WB_EMISUSE);
    assert_int_equal(wb_gg_fit(&ok, 0, NULL, &gout, &v), WB_EINVAL);
    assert_int_equal(wb_gg_expected_spend(NULL, &ok, &v), WB_EMISUSE);
    assert_int_equal(wb_clv_gupta_lehmann(NAN, 0.5, 0.1, &v), WB_EINVAL);
    assert_int_equal(wb_clv_gupta_lehmann(1, 0.5, 0.1, NULL), WB_EMISUSE);
    assert_int_equal(wb__hyp2f1(NAN, 1, 2, 0.5, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, 1, 2, -1.0, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(0, 1, 2, 0.5, &v), WB_OK);   /* terminates */
    assert_true(v == 1.0);
    /* More NULLs, NaNs and the series' own limits. */
    assert_int_equal(wb_bgnbd_clv(&good, NULL, 1, 2, 1, 0, &v), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_clv(&good, &ok, 1, 2, 1, 0, NULL), WB_EMISUSE);
    double g4[4];
    assert_int_equal(wb_bgnbd_gradient(&good, NULL, 1, g4), WB_EMISUSE);
    assert_int_equal(wb_bgnbd_gradient(NULL, &ok, 1, g4), WB_EMISUSE);
    assert_int_equal(wb_gg_loglik(&gg, NULL, 1, &v, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_loglik(&gg, &ok, 1, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_gg_fit(&ok, 1, NULL, NULL, &v), WB_EMISUSE);
    assert_int_equal(wb_gg_expected_spend(&gg, NULL, &v), WB_EMISUSE);
    assert_int_equal(wb_gg_expected_spend(&gg, &ok, NULL), WB_EMISUSE);
    assert_int_equal(wb_clv_gupta_lehmann(1, NAN, 0.1, &v), WB_EINVAL);
    assert_int_equal(wb_clv_gupta_lehmann(1, 0.5, INFINITY, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, NAN, 2, 0.5, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, 1, NAN, 0.5, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, 1, 0, 0.5, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1, 1, 2, NAN, &v), WB_EINVAL);
    assert_int_equal(wb__hyp2f1(1e300, 1e300, 1, 0.5, &v), WB_ERANGE);   /* overflows */
    /* A horizon so long that z is within 1e-12 of 1: for a one-time buyer
     * the series' terms fall like k^-1.4 and would need billions of terms,
     * and that is said rather than answered wrongly. A repeat buyer's terms
     * fall like k^-(1.4 + x): the same horizon converges. */
    wb_rfm once = {0, 0, 20, 0};
    assert_int_equal(wb_bgnbd_expected(&good, &once, 1e13, &v), WB_ERANGE);
    assert_int_equal(wb_bgnbd_expected_new(&good, 1e13, &v), WB_ERANGE);
    assert_int_equal(wb_bgnbd_expected(&good, &ok, 1e13, &v), WB_OK);
    assert_true(isfinite(v) && v > 0);
    /* A non-integer purchase count (a host's weighted summary) is fine. */
    wb_rfm frac = {2.5, 10, 20, 5};
    assert_int_equal(wb_bgnbd_loglik(&good, &frac, 1, &v), WB_OK);
    assert_true(isfinite(v));
    /* wb_rfm_from_days: amounts, days out of range, misuse */
    int32_t days[4] = {100, 100, 107, 200};
    int64_t amounts[4] = {500, 250, 1000, 3000};
    wb_rfm r;
    assert_int_equal(wb_rfm_from_days(days, amounts, 4, 150, 7, &r), WB_OK);
    assert_true(r.x == 1 && r.t_x == 1.0 && fabs(r.T - 50.0 / 7) < 1e-15 && r.m == 1000);
    assert_int_equal(wb_rfm_from_days(days, NULL, 4, 300, 1, &r), WB_OK);
    assert_true(r.x == 2 && r.t_x == 100 && r.T == 200 && r.m == 0);
    int32_t far[2] = {100, WB_DAY_MAX + 1};
    assert_int_equal(wb_rfm_from_days(far, NULL, 2, 300, 1, &r), WB_EDATE);
    assert_int_equal(wb_rfm_from_days(days, NULL, 4, WB_DAY_MAX + 1, 1, &r), WB_EDATE);
    assert_int_equal(wb_rfm_from_days(NULL, NULL, 4, 300, 1, &r), WB_EMISUSE);
    assert_int_equal(wb_rfm_from_days(days, NULL, 4, 300, 1, NULL), WB_EMISUSE);
    wb_ledger_customer lc = {0};
    lc.purchase_days = 1;
    lc.first_day = lc.last_day = 10;
    assert_int_equal(wb_rfm_from_ledger(&lc, 9, 7, &r), WB_EINVAL);   /* as_of before */
    assert_int_equal(wb_rfm_from_ledger(&lc, 10, 0, &r), WB_EINVAL);
    assert_int_equal(wb_rfm_from_ledger(NULL, 10, 7, &r), WB_EMISUSE);
    assert_int_equal(wb_rfm_from_ledger(&lc, 10, 7, &r), WB_OK);
    assert_true(r.x == 0 && r.t_x == 0 && r.T == 0 && r.m == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formulas_match_40_digit_references),
        cmocka_unit_test(loglik_at_extreme_parameters),
        cmocka_unit_test(identical_customers_cannot_identify_the_model),
        cmocka_unit_test(a_fit_is_interior_or_an_error),
        cmocka_unit_test(cdnow_fit_reproduces_the_paper),
        cmocka_unit_test(gradient_matches_finite_differences),
        cmocka_unit_test(cdnow_gamma_gamma),
        cmocka_unit_test(summaries_from_the_raw_log),
        cmocka_unit_test(no_nan_across_the_range),
        cmocka_unit_test(expectations_are_finite_or_an_error),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(every_invalid_argument),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
