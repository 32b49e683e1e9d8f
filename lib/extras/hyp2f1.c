/*
 * hyp2f1.c -- the Gauss hypergeometric function 2F1(a, b; c; z) by its
 * series, for BG/NBD's conditional expectations (model.c).
 */
#include <math.h>

#include "core/internal.h"
#include "extras/extras.h"

#define MAX_TERMS 10000000L

int wb__hyp2f1(double a, double b, double c, double z, double *value)
{
    WB_RETURN_IF(value == NULL, WB_EMISUSE);
    WB_RETURN_IF(!isfinite(a) || !isfinite(b) || !isfinite(c) ||
                 !(z > -1.0 && z < 1.0), WB_EINVAL);
    WB_RETURN_IF(c <= 0.0 && c == floor(c), WB_EINVAL);
    double term = 1.0, sum = 1.0;
    for (long k = 0; k < MAX_TERMS; k++) {
        double kk = (double)k;
        double ratio = (a + kk) * (b + kk) / ((c + kk) * (kk + 1.0)) * z;
        term *= ratio;
        sum += term;
        WB_RETURN_IF(!isfinite(sum), WB_ERANGE);
        if (term == 0.0)
            break;
        /* Negligible, and past the terms that could still grow: beyond
         * k > |a|, |b| a ratio below 1 stays below 1 (it tends to z). */
        if (fabs(term) <= 1e-17 * fabs(sum) && fabs(ratio) < 1.0 &&
            kk > fabs(a) && kk > fabs(b))
            break;
        WB_RETURN_IF(k + 1 == MAX_TERMS, WB_ERANGE);
    }
    *value = sum;
    return WB_OK;
}
