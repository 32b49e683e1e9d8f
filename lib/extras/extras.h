/*
 * extras/extras.h -- helpers shared by the extras tier; not installed.
 */
#ifndef WB_EXTRAS_INTERNAL_H
#define WB_EXTRAS_INTERNAL_H

#include "winback/extras.h"

/* Gauss hypergeometric 2F1(a, b; c; z) for -1 < z < 1 and c not a
 * non-positive integer, by its series summed until the terms stop mattering
 * (at most 10^7 terms). Errors: WB_EMISUSE, WB_EINVAL, WB_ERANGE (the sum
 * overflowed or did not converge). */
int wb__hyp2f1(double a, double b, double c, double z, double *value);

/* The optimisers of optimise.c, over at most WB_OPT_MAX_DIM parameters.
 * An objective returns +HUGE_VAL where it is undefined; neither optimiser
 * steps there. */
#define WB_OPT_MAX_DIM 4
typedef double (*wb__objective)(const double *theta, const void *data);
/* The objective and its gradient g (d entries) at theta. */
typedef double (*wb__objective_grad)(const double *theta, const void *data,
                                     double *g);

/* Nelder-Mead from theta, restarted from its own optimum until a restart
 * gains nothing; theta gets the best point. Returns the minimum. */
double wb__nelder_mead(wb__objective f, const void *data, double *theta,
                       int d);

/* BFGS with a backtracking (Armijo) line search from theta, until the
 * gradient vanishes to 1e-9 or a step gains nothing; theta gets the last
 * point. Returns the minimum, or HUGE_VAL when it left the defined region
 * (a caller then keeps another answer). */
double wb__bfgs(wb__objective_grad f, const void *data, double *theta, int d);

#endif
