/*
 * finance.c -- money in double precision: ROMI as a ratio, discounted CLV
 * and the Gupta-Lehmann CLV.
 *
 * The extras tier, so the integer core links without an FPU or libm.
 * Nothing here needs libm.
 */
#include <math.h>

#include "winback/extras.h"
#include "core/internal.h"

int wb_romi_ratio(int64_t income, int64_t spend, int32_t margin_bp,
                  double *romi)
{
    WB_RETURN_IF(romi == NULL, WB_EMISUSE);
    WB_RETURN_IF(income < 0 || spend < 0, WB_EINVAL);
    WB_RETURN_IF(margin_bp < 0 || margin_bp > WB_BP_ONE, WB_EINVAL);
    WB_RETURN_IF(spend == 0, WB_EZERO);
    /* income/spend first keeps the magnitudes small before scaling. */
    *romi = ((double)income / (double)spend) * (margin_bp / 10000.0) - 1.0;
    return WB_OK;
}

int wb_clv_discounted(double margin, double retention, double rate,
                      int32_t periods, double *clv)
{
    WB_RETURN_IF(clv == NULL, WB_EMISUSE);
    /* Written so that NaN fails every comparison and is rejected. */
    WB_RETURN_IF(!(retention >= 0.0 && retention < 1.0), WB_EINVAL);
    WB_RETURN_IF(!(rate >= 0.0 && rate <= 10.0), WB_EINVAL);
    WB_RETURN_IF(!(margin >= -1e300 && margin <= 1e300), WB_EINVAL);
    WB_RETURN_IF(periods < 0, WB_EINVAL);
    if (periods == 0) {             /* infinite horizon: geometric series */
        *clv = margin * (1.0 + rate) / (1.0 + rate - retention);
        return WB_OK;
    }
    double factor = retention / (1.0 + rate), term = 1.0, sum = 0.0;
    for (int32_t t = 0; t < periods && term > 0.0; t++) {
        sum += term;
        term *= factor;             /* underflows to 0 and stops the loop */
    }
    *clv = margin * sum;
    return WB_OK;
}

int wb_clv_gupta_lehmann(double margin, double retention, double discount,
                         double *clv)
{
    WB_RETURN_IF(clv == NULL, WB_EMISUSE);
    WB_RETURN_IF(!isfinite(margin) || !(retention >= 0.0 && retention < 1.0) ||
                 !(discount >= 0.0 && isfinite(discount)), WB_EINVAL);
    *clv = margin * retention / (1.0 + discount - retention);
    return WB_OK;
}
