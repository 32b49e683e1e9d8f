/*
 * value.c -- R3 lifetime value, R4 the worth-it gate, R5 ROMI.
 *
 * Money products are checked: each either returns the exact value or
 * WB_ERANGE. Rates apply through wb__muldiv, which is exact even where the
 * intermediate product exceeds 64 bits.
 */
#include "core/internal.h"

int wb_clv_centi(int64_t avg_check, int32_t per_year_x100, int32_t years,
                 int64_t *clv)
{
    int64_t rate_years;
    WB_RETURN_IF(clv == NULL, WB_EMISUSE);
    WB_RETURN_IF(avg_check < 0 || per_year_x100 < 0 || years < 0, WB_EINVAL);
    /* int32 * int32 fits int64; then one exact mul-div by 100. */
    rate_years = (int64_t)per_year_x100 * years;
    return wb__muldiv_round(avg_check, rate_years, 100, clv);
}

int wb_clv_simple(int64_t avg_check, int32_t purchases_per_year,
                  int32_t years, int64_t *clv)
{
    WB_RETURN_IF(clv == NULL, WB_EMISUSE);
    WB_RETURN_IF(avg_check < 0 || purchases_per_year < 0 || years < 0,
                 WB_EINVAL);
    /* Two int32 below 2^31 multiply to below 2^62: no check needed. */
    return wb__mul(avg_check, (int64_t)purchases_per_year * years, clv);
}

int wb_apply_margin(int64_t value, int32_t margin_bp, int64_t *out)
{
    WB_RETURN_IF(out == NULL, WB_EMISUSE);
    WB_RETURN_IF(margin_bp < -WB_BP_ONE || margin_bp > WB_BP_ONE, WB_EINVAL);
    int64_t v;
    /* |margin| <= 100 %, so |v| <= |value|; only INT64_MIN on a margin of
     * -100 % has no negation. */
    WB_FORWARD(wb__muldiv_round(value, margin_bp < 0 ? -margin_bp : margin_bp,
                                WB_BP_ONE, &v));
    if (margin_bp < 0) {
        WB_RETURN_IF(v == INT64_MIN, WB_ERANGE);
        v = -v;
    }
    *out = v;
    return WB_OK;
}

int wb_value_to_date(const int64_t *amounts, size_t n, int64_t *total)
{
    int64_t sum = 0;
    WB_RETURN_IF(total == NULL || (amounts == NULL && n > 0), WB_EMISUSE);
    for (size_t i = 0; i < n; i++) {
        WB_RETURN_IF(amounts[i] < 0, WB_EINVAL);
        WB_FORWARD(wb__add(sum, amounts[i], &sum));
    }
    *total = sum;
    return WB_OK;
}

int wb_clv_lost_base(int64_t lost_customers, int64_t clv, int64_t *value)
{
    WB_RETURN_IF(value == NULL, WB_EMISUSE);
    WB_RETURN_IF(lost_customers < 0 || clv < 0, WB_EINVAL);
    return wb__mul(lost_customers, clv, value);
}

int wb_winback_worth(int64_t clv, int64_t cost, int32_t min_ratio_bp,
                     int32_t *worth)
{
    WB_RETURN_IF(worth == NULL, WB_EMISUSE);
    WB_RETURN_IF(cost < 0 || min_ratio_bp < 0, WB_EINVAL);
    *worth = wb__winback_worth(clv, cost, min_ratio_bp);
    return WB_OK;
}

int wb_romi_bp(int64_t income, int64_t spend, int32_t margin_bp,
               int64_t *romi_bp)
{
    int64_t q, r;
    WB_RETURN_IF(romi_bp == NULL, WB_EMISUSE);
    WB_RETURN_IF(income < 0 || spend < 0, WB_EINVAL);
    WB_RETURN_IF(margin_bp < 0 || margin_bp > WB_BP_ONE, WB_EINVAL);
    WB_RETURN_IF(spend == 0, WB_EZERO);
    /* (income*m/10000 - spend) / spend in bp is income*m/spend - 10000:
     * one exact mul-div, q + r/spend, then the constant. No intermediate
     * rounding, so the result is exact for every input. */
    WB_FORWARD(wb__muldiv(income, margin_bp, spend, &q, &r));
    int64_t whole = q - WB_BP_ONE;  /* q >= 0: cannot overflow */
    int over_half = r > spend - r;  /* fraction r/spend > 1/2 */
    int half = r == spend - r;      /* exactly 1/2 */
    if (whole >= 0)
        *romi_bp = whole + ((over_half || half) ? 1 : 0);
    else                            /* -(|whole| - f), rounded away from 0 */
        *romi_bp = whole + (over_half ? 1 : 0);
    return WB_OK;
}
