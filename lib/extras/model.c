/*
 * model.c -- BG/NBD and Gamma-Gamma in double precision (extras tier).
 *
 * Everything that can overflow is computed in logs (lgamma, log-sum-exp),
 * probabilities through log1p/expm1, and the hypergeometric series in the
 * Euler-transformed form whose parameters do not grow with the customer's
 * purchase count. The fits minimise the negative log-likelihood over the
 * logs of the parameters (so they stay positive): BG/NBD by BFGS with the
 * analytic gradient, falling back to Nelder-Mead; Gamma-Gamma by
 * Nelder-Mead (optimise.c).
 */
#define _DEFAULT_SOURCE 1   /* lgamma_r: lgamma writes a global (signgam) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "extras/extras.h"

static double lgam(double x)
{
    int sign;
    return lgamma_r(x, &sign);
}

static int finite_pos(double v)
{
    return isfinite(v) && v > 0.0;
}

static int bgnbd_ok(const wb_bgnbd *m)
{
    return finite_pos(m->r) && finite_pos(m->alpha) && finite_pos(m->a) &&
           finite_pos(m->b);
}

static int rfm_ok(const wb_rfm *c)
{
    return isfinite(c->x) && isfinite(c->t_x) && isfinite(c->T) &&
           isfinite(c->m) && c->x >= 0.0 && c->t_x >= 0.0 && c->t_x <= c->T &&
           c->m >= 0.0 && (c->x > 0.0 || c->t_x == 0.0);
}

/* ---- the customer summary ------------------------------------------ */

int wb_rfm_from_days(const int32_t *days, const int64_t *amounts, size_t n,
                     int32_t cal_end, int32_t unit_days, wb_rfm *out)
{
    WB_RETURN_IF(days == NULL || out == NULL, WB_EMISUSE);
    WB_RETURN_IF(n == 0 || unit_days < 1, WB_EINVAL);
    WB_RETURN_IF(!wb__day_ok(cal_end), WB_EDATE);
    WB_RETURN_IF(days[0] > cal_end, WB_EINVAL);
    double unit = unit_days, repeat_spend = 0.0;
    int64_t x = 0;
    int32_t last = days[0];
    for (size_t i = 0; i < n; i++) {
        WB_RETURN_IF(!wb__day_ok(days[i]), WB_EDATE);
        WB_RETURN_IF(i > 0 && days[i] < days[i - 1], WB_EORDER);
        if (days[i] > cal_end)
            break;
        if (days[i] != last) {
            x++;
            last = days[i];
        }
        if (days[i] != days[0] && amounts != NULL)
            repeat_spend += (double)amounts[i];
    }
    out->x = (double)x;
    out->t_x = (last - days[0]) / unit;
    out->T = (cal_end - days[0]) / unit;
    out->m = x > 0 ? repeat_spend / (double)x : 0.0;
    return WB_OK;
}

int wb_rfm_from_ledger(const wb_ledger_customer *lc, int32_t as_of,
                       int32_t unit_days, wb_rfm *out)
{
    WB_RETURN_IF(lc == NULL || out == NULL, WB_EMISUSE);
    WB_RETURN_IF(unit_days < 1 || lc->purchase_days < 1 ||
                 as_of < lc->last_day || lc->last_day < lc->first_day, WB_EINVAL);
    double unit = unit_days, x = lc->purchase_days - 1;
    out->x = x;
    out->t_x = (lc->last_day - lc->first_day) / unit;
    out->T = (as_of - lc->first_day) / unit;
    out->m = x > 0 ? (double)(lc->total - lc->first_day_spend) / x : 0.0;
    return WB_OK;
}

/* ---- BG/NBD --------------------------------------------------------- */

/* The Stirling remainder of lgamma for z >= 30: lgamma(z) = (z - 1/2)
 * log z - z + log(2 pi)/2 + omega(z); the first omitted term is below
 * 1e-14 / z^7 there. */
static double stirling_rest(double z)
{
    double f = 1.0 / (z * z);
    return (1.0 / 12 + f * (-1.0 / 360 + f * (1.0 / 1260 + f * (-1.0 / 1680)))) / z;
}

/* lgamma(s + x) - lgamma(s) for s > 0, x >= 0, without the cancellation
 * of two huge lgamma values: for s = 3.7e13 each is near 1e15, where a
 * double's step is 0.125, and their difference lost everything. From
 * Stirling, with log1p for log(s + x) - log(s):
 *   (s - 1/2) log1p(x / s) + x log(s + x) - x + omega(s + x) - omega(s). */
static double lgamma_diff(double s, double x)
{
    if (x == 0.0)
        return 0.0;
    if (s < 30.0)                     /* both small: no large cancellation */
        return lgam(s + x) - lgam(s);
    return (s - 0.5) * log1p(x / s) + x * log(s + x) - x +
           (stirling_rest(s + x) - stirling_rest(s));
}

/* The terms of one customer's log-likelihood that depend on x and the
 * parameters' gammas only: log [Gamma(r+x)/Gamma(r)] + log [Gamma(b+x)/
 * Gamma(b)] - log [Gamma(a+b+x)/Gamma(a+b)], and log(b+x-1). */
typedef struct xterms {
    double lg, log_b1;
} xterms;

static xterms xterms_of(const wb_bgnbd *m, double x)
{
    xterms t;
    t.lg = lgamma_diff(m->r, x) + lgamma_diff(m->b, x) -
           lgamma_diff(m->a + m->b, x);
    t.log_b1 = x > 0.0 ? log(m->b + x - 1.0) : 0.0;
    return t;
}

/* Log-likelihood of one customer, given its x-terms: the two branches of
 * the likelihood with r log alpha taken into each, as -r log1p(T/alpha),
 * so that a huge r does not cancel against a huge r log alpha:
 *   a3 = -r log1p(T/alpha) - x log(alpha+T)
 *   a4 = log a - log(b+x-1) - r log1p(t_x/alpha) - x log(alpha+t_x). */
/* log1p(t/alpha) given log(alpha+t) and log(alpha): their difference,
 * exact enough once t/alpha is not small (the bits lost are about
 * log2(log(alpha+t) / log1p(t/alpha)), at most 4 from 1/4 on), and one
 * logarithm fewer per row; log1p below, where the difference cancels. */
static double log1p_ratio(double t, double alpha, double l_sum, double l_alpha)
{
    return t > 0.25 * alpha ? l_sum - l_alpha : log1p(t / alpha);
}

/* The terms of one customer that depend on T alone: log(alpha+T) and
 * log1p(T/alpha). Customers share few ages (CDNOW's first purchases fall
 * on 84 days), so the sums compute them once per run of equal T. */
typedef struct tterms {
    double T, lT, l1p;
} tterms;

static void tterms_at(const wb_bgnbd *m, double T, double la, tterms *t)
{
    if (t->T == T)
        return;
    t->T = T;
    t->lT = log(m->alpha + T);
    t->l1p = log1p_ratio(T, m->alpha, t->lT, la);
}

/* log(alpha + t_x) per distinct t_x, for one evaluation: recency is whole
 * days over the time unit, so a log of years has a few hundred values
 * among thousands of customers (CDNOW: 546 in 11 104 rows), and a
 * logarithm costs more than looking one up. Direct-mapped on the double's
 * bits; no t_x is negative, so -1 marks an empty slot. */
#define TX_CACHE 1024

typedef struct tx_cache {
    double key[TX_CACHE], val[TX_CACHE];
} tx_cache;

static void tx_cache_clear(tx_cache *tc)
{
    for (size_t i = 0; i < TX_CACHE; i++)
        tc->key[i] = -1.0;
}

static double log_alpha_plus(tx_cache *tc, double alpha, double t)
{
    uint64_t bits;
    memcpy(&bits, &t, sizeof bits);
    size_t h = (size_t)((bits * 0x9E3779B97F4A7C15u) >> 54);   /* 10 bits */
    if (tc->key[h] != t) {
        tc->key[h] = t;
        tc->val[h] = log(alpha + t);
    }
    return tc->val[h];
}

/* The log-likelihood of one row and the weight w of its "still alive"
 * branch, from the same logarithms: the log-sum-exp's exp gives w too. */
typedef struct row_ll {
    double ll, w, lT, ltx;
} row_ll;

static row_ll bgnbd_row(const wb_bgnbd *m, const wb_rfm *c, xterms t, double log_a,
                        const tterms *tt, double la, tx_cache *tc)
{
    row_ll o;
    o.lT = tt->lT;
    o.ltx = 0.0;
    o.w = 1.0;
    double a3 = -m->r * tt->l1p - c->x * o.lT;   /* tt: this row's T */
    if (c->x <= 0.0) {
        o.ll = t.lg + a3;
        return o;
    }
    o.ltx = log_alpha_plus(tc, m->alpha, c->t_x);
    double a4 = log_a - t.log_b1 - m->r * log1p_ratio(c->t_x, m->alpha, o.ltx, la) -
                c->x * o.ltx;
    double hi = a3 > a4 ? a3 : a4, e = exp((a3 > a4 ? a4 : a3) - hi);
    /* log(1 + e), not log1p: e is in (0, 1] and the term is added to
     * hi, so an absolute error of one rounding is all that matters, and
     * log costs half of log1p here (a quarter of a fit's time was log1p). */
    /* cppcheck-suppress unpreciseMathCall ; on purpose, as said above */
    o.ll = t.lg + hi + log(1.0 + e);
    o.w = a3 > a4 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    return o;
}

/* Purchase counts repeat across customers (CDNOW's 2 357 have 30 distinct
 * values of x), so the three lgamma of each x are computed once per
 * evaluation for small whole x: a fit evaluates the sum hundreds of times. */
#define XCACHE 256

/* The summed log-likelihood; each row counted w[i] times (w NULL: once),
 * so that the fit can evaluate each distinct (x, t_x, T) once. */
static double bgnbd_sum(const wb_bgnbd *m, const wb_rfm *c, const double *w, size_t n)
{
    xterms cache[XCACHE];
    unsigned char have[XCACHE] = {0};
    double log_a = log(m->a), la = log(m->alpha);
    double sum = 0.0, carry = 0.0;        /* Kahan: millions of terms */
    tterms tt = {-1.0, 0.0, 0.0};         /* no T is negative */
    tx_cache tc;
    tx_cache_clear(&tc);
    for (size_t i = 0; i < n; i++) {
        double x = c[i].x;
        xterms t;
        tterms_at(m, c[i].T, la, &tt);
        if (x < XCACHE && x == floor(x)) {
            size_t k = (size_t)x;
            if (!have[k]) {
                cache[k] = xterms_of(m, x);
                have[k] = 1;
            }
            t = cache[k];
        } else {
            t = xterms_of(m, x);
        }
        double y = (w ? w[i] : 1.0) * bgnbd_row(m, &c[i], t, log_a, &tt, la, &tc).ll - carry;
        double s2 = sum + y;
        carry = (s2 - sum) - y;
        sum = s2;
    }
    return sum;
}

static int all_rfm_ok(const wb_rfm *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!rfm_ok(&c[i]))
            return 0;
    return 1;
}

int wb_bgnbd_loglik(const wb_bgnbd *m, const wb_rfm *c, size_t n, double *ll)
{
    WB_RETURN_IF(m == NULL || c == NULL || ll == NULL, WB_EMISUSE);
    WB_RETURN_IF(!bgnbd_ok(m) || !all_rfm_ok(c, n), WB_EINVAL);
    *ll = bgnbd_sum(m, c, NULL, n);
    return WB_OK;
}

/* Log of the odds "gone : alive" after a customer's history. */
static double log_gone_odds(const wb_bgnbd *m, const wb_rfm *c)
{
    return log(m->a) - log(m->b + c->x - 1.0) +
           (m->r + c->x) * (log(m->alpha + c->T) - log(m->alpha + c->t_x));
}

int wb_bgnbd_p_alive(const wb_bgnbd *m, const wb_rfm *c, double *p,
                     double *log_p)
{
    WB_RETURN_IF(m == NULL || c == NULL || (p == NULL && log_p == NULL),
                 WB_EMISUSE);
    WB_RETURN_IF(!bgnbd_ok(m) || !rfm_ok(c), WB_EINVAL);
    double lp = 0.0;                     /* x = 0: never seen to drop out */
    if (c->x > 0.0) {
        double o = log_gone_odds(m, c);  /* P = 1 / (1 + e^o) */
        lp = o > 0.0 ? -o - log1p(exp(-o)) : -log1p(exp(o));
    }
    if (p != NULL)
        *p = exp(lp);
    if (log_p != NULL)
        *log_p = lp;
    return WB_OK;
}

/* 1 - (1 - z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z), the bracket of both
 * expectations. Euler's transformation turns it into
 * 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose first two
 * parameters do not grow with x; the leading 1 of the series is taken out
 * exactly with expm1/log1p, so a small t loses no digits. */
static int bracket(const wb_bgnbd *m, double x, double z, double *out)
{
    double f;
    double A = m->a + m->b - 1.0 - m->r, B = m->a - 1.0, C = m->a + m->b + x - 1.0;
    /* A horizon so long that z rounds to 1: the series cannot converge
     * (the contract's WB_ERANGE, not an invalid argument). */
    WB_RETURN_IF(!(z < 1.0), WB_ERANGE);
    WB_FORWARD(wb__hyp2f1(A, B, C, z, &f));
    double pw = exp(B * log1p(-z));                  /* (1 - z)^(a - 1) */
    *out = -expm1(B * log1p(-z)) - pw * (f - 1.0);
    return WB_OK;
}

int wb_bgnbd_expected(const wb_bgnbd *m, const wb_rfm *c, double t, double *e)
{
    double br, lp;
    WB_RETURN_IF(m == NULL || c == NULL || e == NULL, WB_EMISUSE);
    WB_RETURN_IF(!bgnbd_ok(m) || !rfm_ok(c) || !(t >= 0.0 && isfinite(t)) ||
                 m->a == 1.0, WB_EINVAL);
    double z = t / (m->alpha + c->T + t);
    WB_FORWARD(bracket(m, c->x, z, &br));
    WB_FORWARD(wb_bgnbd_p_alive(m, c, NULL, &lp));
    double scale = (m->a + m->b + c->x - 1.0) / (m->a - 1.0);
    double v = scale * br * exp(lp);
    WB_RETURN_IF(!isfinite(v), WB_ERANGE);   /* never an infinity, never NaN */
    *e = v;
    return WB_OK;
}

int wb_bgnbd_expected_new(const wb_bgnbd *m, double t, double *e)
{
    double br;
    WB_RETURN_IF(m == NULL || e == NULL, WB_EMISUSE);
    WB_RETURN_IF(!bgnbd_ok(m) || !(t >= 0.0 && isfinite(t)) || m->a == 1.0,
                 WB_EINVAL);
    /* E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1;
     * t/(alpha+t))]: the same bracket with x = 0 and T = 0. */
    WB_FORWARD(bracket(m, 0.0, t / (m->alpha + t), &br));
    double v = (m->a + m->b - 1.0) / (m->a - 1.0) * br;
    WB_RETURN_IF(!isfinite(v), WB_ERANGE);
    *e = v;
    return WB_OK;
}

int wb_bgnbd_clv(const wb_bgnbd *m, const wb_rfm *c, double spend,
                 int32_t periods, double period_len, double d, double *clv)
{
    WB_RETURN_IF(m == NULL || c == NULL || clv == NULL, WB_EMISUSE);
    WB_RETURN_IF(!isfinite(spend) || periods < 1 || periods > 100000 ||
                 !(period_len > 0.0 && isfinite(period_len)) ||
                 !(d >= 0.0 && isfinite(d)), WB_EINVAL);
    double prev = 0.0, sum = 0.0, factor = 1.0;
    for (int32_t i = 1; i <= periods; i++) {
        double e;
        WB_FORWARD(wb_bgnbd_expected(m, c, period_len * i, &e));
        factor /= 1.0 + d;
        sum += (e - prev) * factor;
        prev = e;
    }
    WB_RETURN_IF(!isfinite(sum * spend), WB_ERANGE);
    *clv = sum * spend;
    return WB_OK;
}

/* ---- the gradient --------------------------------------------------- */

/* Digamma for x > 0: the recurrence up to x >= 6, then the asymptotic
 * series, whose first omitted term is below 1e-16 there. */
static double digamma(double x)
{
    double acc = 0.0;
    while (x < 6.0) {
        acc -= 1.0 / x;
        x += 1.0;
    }
    double f = 1.0 / (x * x);
    double tail = f * (-1.0 / 12 + f * (1.0 / 120 + f * (-1.0 / 252 +
                  f * (1.0 / 240 + f * (-1.0 / 132)))));
    return acc + log(x) - 0.5 / x + tail;
}

/* Gradient of the summed log-likelihood with respect to log r, log alpha,
 * log a, log b (the fit's coordinates), and the log-likelihood itself.
 * With w the weight of the "still alive" term in the log-sum-exp:
 *   d/dr     = psi(r+x) - psi(r) + log(alpha) - w log(alpha+T) - (1-w) log(alpha+t_x)
 *   d/dalpha = r/alpha - (r+x) (w/(alpha+T) + (1-w)/(alpha+t_x))
 *   d/da     = psi(a+b) - psi(a+b+x) + (1-w)/a
 *   d/db     = psi(a+b) - psi(b) + psi(b+x) - psi(a+b+x) - (1-w)/(b+x-1)
 * each times its parameter. */
/* The digamma terms of one purchase count: psi(r+x), psi(a+b+x), psi(b+x). */
typedef struct psiterms {
    double rx, abx, bx;
} psiterms;

static psiterms psiterms_of(const wb_bgnbd *m, double x)
{
    psiterms t = {digamma(m->r + x), digamma(m->a + m->b + x), digamma(m->b + x)};
    return t;
}

/* The summed log-likelihood and its gradient in one pass over the rows:
 * the value and the gradient share every logarithm, which halves the cost
 * of an evaluation against computing them apart. */
static double bgnbd_sum_grad(const wb_bgnbd *m, const wb_rfm *c, const double *wt,
                             size_t n, double g[4])
{
    double la = log(m->alpha), log_a = log(m->a), pr = digamma(m->r),
           pab = digamma(m->a + m->b), pb = digamma(m->b);
    double d[4] = {0, 0, 0, 0}, sum = 0.0, carry = 0.0;
    xterms xcache[XCACHE];
    psiterms pcache[XCACHE];
    unsigned char have[XCACHE] = {0};
    tterms tt = {-1.0, 0.0, 0.0};
    tx_cache tc;
    tx_cache_clear(&tc);
    for (size_t i = 0; i < n; i++) {
        double x = c[i].x, rx = m->r + x, k = wt ? wt[i] : 1.0;
        xterms t;
        psiterms p;
        tterms_at(m, c[i].T, la, &tt);
        if (x < XCACHE && x == floor(x)) {     /* once per purchase count */
            size_t j = (size_t)x;
            if (!have[j]) {
                xcache[j] = xterms_of(m, x);
                pcache[j] = psiterms_of(m, x);
                have[j] = 1;
            }
            t = xcache[j];
            p = pcache[j];
        } else {
            t = xterms_of(m, x);
            p = psiterms_of(m, x);
        }
        row_ll o = bgnbd_row(m, &c[i], t, log_a, &tt, la, &tc);
        double y = k * o.ll - carry, s2 = sum + y;  /* Kahan, as bgnbd_sum */
        carry = (s2 - sum) - y;
        sum = s2;
        double w = o.w, u = 1.0 - w;
        d[0] += k * (p.rx - pr + la - w * o.lT - u * o.ltx);
        d[1] += k * (m->r / m->alpha - rx * (w / (m->alpha + c[i].T) +
                                             (x > 0.0 ? u / (m->alpha + c[i].t_x) : 0.0)));
        d[2] += k * (pab - p.abx + u / m->a);
        d[3] += k * (pab - pb + p.bx - p.abx - (x > 0.0 ? u / (m->b + x - 1.0) : 0.0));
    }
    g[0] = d[0] * m->r;
    g[1] = d[1] * m->alpha;
    g[2] = d[2] * m->a;
    g[3] = d[3] * m->b;
    return sum;
}

int wb_bgnbd_gradient(const wb_bgnbd *m, const wb_rfm *c, size_t n,
                      double gradient[4])
{
    WB_RETURN_IF(m == NULL || c == NULL || gradient == NULL, WB_EMISUSE);
    WB_RETURN_IF(!bgnbd_ok(m) || !all_rfm_ok(c, n), WB_EINVAL);
    (void)bgnbd_sum_grad(m, c, NULL, n, gradient);
    return WB_OK;
}

/* What the fit's objective sums: n rows, row i counted w[i] times (w
 * NULL: once), total counts in all. */
typedef struct sample {
    const wb_rfm *c;
    const double *w;
    size_t n;
    double total;
} sample;

/* Negative mean log-likelihood at exp(theta); +inf where undefined. */
static double bgnbd_objective(const double *theta, const void *data)
{
    const sample *s = data;
    wb_bgnbd m = {exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3])};
    if (!bgnbd_ok(&m))
        return HUGE_VAL;
    double ll = bgnbd_sum(&m, s->c, s->w, s->n) / s->total;
    return isfinite(ll) ? -ll : HUGE_VAL;
}

/* Negative mean log-likelihood and its gradient in log-parameters. */
static double bgnbd_value_grad(const double *theta, const void *data,
                               double *g)
{
    const sample *s = data;
    wb_bgnbd m = {exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3])};
    g[0] = g[1] = g[2] = g[3] = 0.0;
    if (!bgnbd_ok(&m))
        return HUGE_VAL;
    double ll = bgnbd_sum_grad(&m, s->c, s->w, s->n, g);
    for (int k = 0; k < 4; k++)
        g[k] = -g[k] / s->total;
    return isfinite(ll) ? -ll / s->total : HUGE_VAL;
}

/* Is the minimum f at theta not interior? It is not when moving ten units
 * of log (a factor of 22 000) along one parameter, or along r and alpha
 * together (the gamma of purchase rates collapsing to one rate) or a and b
 * together (the beta of dropout collapsing), loses no likelihood: the
 * optimum lies at the edge of the parameter space, or along a ridge the
 * data cannot tell apart. Also when a parameter is already beyond e^40. */
static int bgnbd_at_edge(const sample *s, const double theta[4], double f)
{
    static const double dirs[6][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0},
                                      {0, 0, 0, 1}, {1, 1, 0, 0}, {0, 0, 1, 1}};
    for (int k = 0; k < 4; k++)
        if (fabs(theta[k]) > 40.0)
            return 1;
    for (int d = 0; d < 6; d++)
        for (int sign = -1; sign <= 1; sign += 2) {
            double th[4];
            for (int k = 0; k < 4; k++)
                th[k] = theta[k] + 10.0 * sign * dirs[d][k];
            if (bgnbd_objective(th, s) <= f + 1e-9 * (fabs(f) + 1.0))
                return 1;
        }
    return 0;
}

static int by_rfm(const void *a, const void *b)
{
    const wb_rfm *x = a, *y = b;     /* T first: the sums reuse T's logs */
    if (x->T != y->T) return x->T < y->T ? -1 : 1;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    return (x->t_x > y->t_x) - (x->t_x < y->t_x);
}

/* Customers with the same (x, t_x, T) have the same likelihood: the fit
 * evaluates each distinct one once, counted as often as it occurs (CDNOW's
 * 23 570 customers are 9 318 distinct rows). Without memory for the copy,
 * *s stays the customers themselves: slower, the same answer. */
static void group_rows(const wb_rfm *c, size_t n, wb_rfm **rows, double **weights,
                       sample *s)
{
    *rows = malloc(n * sizeof **rows);
    *weights = malloc(n * sizeof **weights);
    if (*rows == NULL || *weights == NULL) {
        free(*rows);
        free(*weights);
        *rows = NULL;
        *weights = NULL;
        return;
    }
    memcpy(*rows, c, n * sizeof *c);
    for (size_t i = 0; i < n; i++)
        (*rows)[i].m = 0.0;                 /* spend plays no part in BG/NBD */
    qsort(*rows, n, sizeof **rows, by_rfm);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && by_rfm(&(*rows)[k - 1], &(*rows)[i]) == 0) {
            (*weights)[k - 1] += 1.0;
            continue;
        }
        (*rows)[k] = (*rows)[i];
        (*weights)[k++] = 1.0;
    }
    s->c = *rows;
    s->w = *weights;
    s->n = k;
}

int wb_bgnbd_fit(const wb_rfm *c, size_t n, const wb_bgnbd *start,
                 wb_bgnbd *fitted, double *ll)
{
    WB_RETURN_IF(c == NULL || fitted == NULL, WB_EMISUSE);
    WB_RETURN_IF(n == 0 || !all_rfm_ok(c, n), WB_EINVAL);
    WB_RETURN_IF(start != NULL && !bgnbd_ok(start), WB_EINVAL);
    int repeat = 0;
    for (size_t i = 0; i < n && !repeat; i++)
        repeat = c[i].x > 0.0;
    WB_RETURN_IF(!repeat, WB_EMODEL);
    double theta[4] = {0, 0, 0, 0};
    if (start != NULL) {
        theta[0] = log(start->r);
        theta[1] = log(start->alpha);
        theta[2] = log(start->a);
        theta[3] = log(start->b);
    }
    sample s = {c, NULL, n, (double)n};
    wb_rfm *rows = NULL;
    double *weights = NULL;
    group_rows(c, n, &rows, &weights, &s);
    /* BFGS with the analytic gradient gets there in tens of evaluations;
     * Nelder-Mead, which cannot be misled by a bad curvature estimate,
     * takes over whenever BFGS does not end at a point whose gradient
     * vanishes, and its answer is polished by BFGS again. */
    const double keep[4] = {theta[0], theta[1], theta[2], theta[3]};
    double g[4];
    double f = wb__bfgs(bgnbd_value_grad, &s, theta, 4);
    if (!(isfinite(f) && bgnbd_value_grad(theta, &s, g) == f &&
          sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]) < 1e-7)) {
        for (int k = 0; k < 4; k++)
            theta[k] = keep[k];
        f = wb__nelder_mead(bgnbd_objective, &s, theta, 4);
        double polished[4] = {theta[0], theta[1], theta[2], theta[3]};
        double fp = wb__bfgs(bgnbd_value_grad, &s, polished, 4);
        if (isfinite(fp) && fp <= f)
            for (int k = 0; k < 4; k++)
                theta[k] = polished[k];
    }
    /* An answer only from an interior optimum where the gradient vanishes:
     * anything else is data that cannot identify the model, said as such
     * rather than returned as parameters running off to infinity. */
    f = bgnbd_value_grad(theta, &s, g);
    int interior = isfinite(f) &&
                   sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]) <= 1e-5 &&
                   !bgnbd_at_edge(&s, theta, f);
    wb_bgnbd m = {exp(theta[0]), exp(theta[1]), exp(theta[2]), exp(theta[3])};
    int ok = interior && bgnbd_ok(&m);
    if (ok && ll != NULL)
        *ll = bgnbd_sum(&m, s.c, s.w, s.n);   /* the grouped rows: the same sum */
    free(rows);
    free(weights);
    WB_RETURN_IF(!ok, WB_EMODEL);
    *fitted = m;
    return WB_OK;
}

/* ---- Gamma-Gamma ----------------------------------------------------- */

static int gg_ok(const wb_gg *g)
{
    return finite_pos(g->p) && finite_pos(g->q) && finite_pos(g->gamma);
}

/* lgamma(p x + q) - lgamma(p x): the two lgamma of a customer depend on
 * x alone, and purchase counts repeat, so small whole x are computed once
 * per evaluation (as bgnbd_sum does): the same values, the same sum. */
static double gg_lgdiff(const wb_gg *g, double px)
{
    return lgam(px + g->q) - lgam(px);
}

static double gg_sum(const wb_gg *g, const wb_rfm *c, size_t n, size_t *used)
{
    double sum = 0.0, lg_q = lgam(g->q), lq = g->q * log(g->gamma);
    double cache[XCACHE];
    unsigned char have[XCACHE] = {0};
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double x = c[i].x, m = c[i].m, px = g->p * x, lgd;
        if (!(x > 0.0 && m > 0.0))
            continue;
        k++;
        if (x < XCACHE && x == floor(x)) {
            if (!have[(size_t)x]) {
                cache[(size_t)x] = gg_lgdiff(g, px);
                have[(size_t)x] = 1;
            }
            lgd = cache[(size_t)x];
        } else {
            lgd = gg_lgdiff(g, px);
        }
        sum += lgd - lg_q + lq + (px - 1.0) * log(m) +
               px * log(x) - (px + g->q) * log(x * m + g->gamma);
    }
    if (used != NULL)
        *used = k;
    return sum;
}

int wb_gg_loglik(const wb_gg *g, const wb_rfm *c, size_t n, double *ll,
                 size_t *used)
{
    WB_RETURN_IF(g == NULL || c == NULL || ll == NULL, WB_EMISUSE);
    WB_RETURN_IF(!gg_ok(g) || !all_rfm_ok(c, n), WB_EINVAL);
    *ll = gg_sum(g, c, n, used);
    return WB_OK;
}

static double gg_objective(const double *theta, const void *data)
{
    const sample *s = data;
    wb_gg g = {exp(theta[0]), exp(theta[1]), exp(theta[2])};
    if (!gg_ok(&g))
        return HUGE_VAL;
    double ll = gg_sum(&g, s->c, s->n, NULL) / (double)s->n;
    return isfinite(ll) ? -ll : HUGE_VAL;
}

int wb_gg_fit(const wb_rfm *c, size_t n, const wb_gg *start, wb_gg *fitted,
              double *ll)
{
    size_t used = 0;
    WB_RETURN_IF(c == NULL || fitted == NULL, WB_EMISUSE);
    WB_RETURN_IF(n == 0 || !all_rfm_ok(c, n), WB_EINVAL);
    WB_RETURN_IF(start != NULL && !gg_ok(start), WB_EINVAL);
    wb_gg one = {1.0, 1.0, 1.0};
    (void)gg_sum(&one, c, n, &used);
    WB_RETURN_IF(used == 0, WB_EMODEL);
    double theta[3] = {0, 0, 0};
    if (start != NULL) {
        theta[0] = log(start->p);
        theta[1] = log(start->q);
        theta[2] = log(start->gamma);
    }
    sample s = {c, NULL, n, (double)n};
    double f = wb__nelder_mead(gg_objective, &s, theta, 3);
    wb_gg g = {exp(theta[0]), exp(theta[1]), exp(theta[2])};
    /* Parameters past e^30: spends that do not vary enough to fit. */
    WB_RETURN_IF(!isfinite(f) || !gg_ok(&g) || fabs(theta[0]) > 30.0 ||
                 fabs(theta[1]) > 30.0 || fabs(theta[2]) > 30.0, WB_EMODEL);
    *fitted = g;
    if (ll != NULL)
        *ll = gg_sum(&g, c, n, NULL);
    return WB_OK;
}

int wb_gg_expected_spend(const wb_gg *g, const wb_rfm *c, double *spend)
{
    WB_RETURN_IF(g == NULL || c == NULL || spend == NULL, WB_EMISUSE);
    WB_RETURN_IF(!gg_ok(g) || !rfm_ok(c), WB_EINVAL);
    double den = g->p * c->x + g->q - 1.0;
    WB_RETURN_IF(!(den > 0.0), WB_EINVAL);          /* x = 0 needs q > 1 */
    *spend = g->p * (g->gamma + c->x * c->m) / den;
    return WB_OK;
}
