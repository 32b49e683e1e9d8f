/*
 * optimise.c -- the two general-purpose minimisers of the extras tier:
 * Nelder-Mead (needs no gradient, cannot be misled by a curvature
 * estimate) and BFGS (tens of evaluations where a gradient is known).
 * The models (model.c) minimise their negative log-likelihoods with them
 * over the logs of their parameters, so the parameters stay positive.
 */
#include <math.h>

#include "extras/extras.h"

/* Minimises f from theta (dimension d) in place; returns the minimum. A
 * standard Nelder-Mead (reflection 1, expansion 2, contraction 1/2,
 * shrink 1/2), stopped when the simplex's values agree to 1e-13 relative
 * or after 20000 iterations. */
static double nelder_mead(wb__objective f, const void *data, double *theta, int d)
{
    double s[WB_OPT_MAX_DIM + 1][WB_OPT_MAX_DIM] = {{0}}, v[WB_OPT_MAX_DIM + 1] = {0};
    for (int i = 0; i <= d; i++) {
        for (int j = 0; j < d; j++)
            s[i][j] = theta[j] + (i == j + 1 ? 0.5 : 0.0);
        v[i] = f(s[i], data);
    }
    for (int iter = 0; iter < 20000; iter++) {
        int lo = 0, hi = 0, nh = 0;
        for (int i = 1; i <= d; i++) {
            if (v[i] < v[lo]) lo = i;
            if (v[i] > v[hi]) hi = i;
        }
        nh = lo;
        for (int i = 0; i <= d; i++)
            if (i != hi && v[i] > v[nh]) nh = i;
        if (fabs(v[hi] - v[lo]) <= 1e-13 * (fabs(v[lo]) + 1e-300))
            break;
        double cen[WB_OPT_MAX_DIM] = {0}, xr[WB_OPT_MAX_DIM];
        for (int i = 0; i <= d; i++)
            for (int j = 0; j < d && i != hi; j++)
                cen[j] += s[i][j] / d;
        for (int j = 0; j < d; j++)
            xr[j] = cen[j] + (cen[j] - s[hi][j]);
        double fr = f(xr, data);
        if (fr < v[lo]) {                   /* expand */
            double xe[WB_OPT_MAX_DIM];
            for (int j = 0; j < d; j++)
                xe[j] = cen[j] + 2.0 * (cen[j] - s[hi][j]);
            double fe = f(xe, data);
            const double *best = fe < fr ? xe : xr;
            for (int j = 0; j < d; j++) s[hi][j] = best[j];
            v[hi] = fe < fr ? fe : fr;
        } else if (fr < v[nh]) {
            for (int j = 0; j < d; j++) s[hi][j] = xr[j];
            v[hi] = fr;
        } else {                            /* contract, or shrink */
            double xc[WB_OPT_MAX_DIM];
            const double *from = fr < v[hi] ? xr : s[hi];
            for (int j = 0; j < d; j++)
                xc[j] = cen[j] + 0.5 * (from[j] - cen[j]);
            double fc = f(xc, data);
            if (fc < (fr < v[hi] ? fr : v[hi])) {
                for (int j = 0; j < d; j++) s[hi][j] = xc[j];
                v[hi] = fc;
            } else {                        /* shrink towards the best */
                for (int i = 0; i <= d; i++) {
                    if (i == lo) continue;
                    for (int j = 0; j < d; j++)
                        s[i][j] = s[lo][j] + 0.5 * (s[i][j] - s[lo][j]);
                    v[i] = f(s[i], data);
                }
            }
        }
    }
    int lo = 0;
    for (int i = 1; i <= d; i++)
        if (v[i] < v[lo]) lo = i;
    for (int j = 0; j < d; j++)
        theta[j] = s[lo][j];
    return v[lo];
}

/* Restarting from its own optimum is the usual guard against a simplex
 * that collapsed early. */
double wb__nelder_mead(wb__objective f, const void *data, double *theta,
                       int d)
{
    double best = nelder_mead(f, data, theta, d);
    for (int round = 0; round < 20; round++) {
        double again = nelder_mead(f, data, theta, d);
        if (!(again < best - 1e-13 * fabs(best)))
            return again < best ? again : best;
        best = again;
    }
    return best;
}

static void identity(double H[WB_OPT_MAX_DIM][WB_OPT_MAX_DIM], int d)
{
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++)
            H[i][j] = i == j;
}

double wb__bfgs(wb__objective_grad f_grad, const void *data, double *theta,
                int d)
{
    double H[WB_OPT_MAX_DIM][WB_OPT_MAX_DIM];
    double g[WB_OPT_MAX_DIM], f = f_grad(theta, data, g);
    identity(H, d);
    for (int iter = 0; iter < 200 && isfinite(f); iter++) {
        double p[WB_OPT_MAX_DIM], gn = 0.0, slope = 0.0;
        for (int i = 0; i < d; i++) {
            gn += g[i] * g[i];
            p[i] = 0.0;
            for (int j = 0; j < d; j++)
                p[i] -= H[i][j] * g[j];
            slope += p[i] * g[i];
        }
        if (sqrt(gn) < 1e-9)
            break;
        if (slope >= 0.0) {                 /* not a descent: reset H */
            identity(H, d);
            continue;
        }
        double th2[WB_OPT_MAX_DIM], g2[WB_OPT_MAX_DIM], f2 = HUGE_VAL;
        for (int k = 0; k < 40; k++) {
            double step = ldexp(1.0, -k);   /* 1, 1/2, 1/4, ... */
            for (int i = 0; i < d; i++)
                th2[i] = theta[i] + step * p[i];
            f2 = f_grad(th2, data, g2);
            if (isfinite(f2) && f2 <= f + 1e-4 * step * slope)
                break;
        }
        if (!(f2 < f))
            break;                          /* no progress left */
        double sv[WB_OPT_MAX_DIM], yv[WB_OPT_MAX_DIM], sy = 0.0;
        for (int i = 0; i < d; i++) {
            sv[i] = th2[i] - theta[i];
            yv[i] = g2[i] - g[i];
            sy += sv[i] * yv[i];
            theta[i] = th2[i];
            g[i] = g2[i];
        }
        f = f2;
        if (sy <= 1e-300)
            continue;
        /* The BFGS update of the inverse Hessian. */
        double Hy[WB_OPT_MAX_DIM], yHy = 0.0;
        for (int i = 0; i < d; i++) {
            Hy[i] = 0.0;
            for (int j = 0; j < d; j++)
                Hy[i] += H[i][j] * yv[j];
            yHy += yv[i] * Hy[i];
        }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                H[i][j] += ((sy + yHy) * sv[i] * sv[j]) / (sy * sy) -
                           (Hy[i] * sv[j] + sv[i] * Hy[j]) / sy;
    }
    return f;
}
