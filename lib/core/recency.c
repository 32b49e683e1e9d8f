/*
 * recency.c -- R1 recency classes and the R2 discount ladder.
 */
#include "core/internal.h"

int wb__classify(const wb_policy *p, int32_t last_purchase, int32_t as_of,
                 int32_t *cls, int32_t *days_since)
{
    WB_RETURN_IF(!wb__day_ok(as_of), WB_EDATE);
    if (last_purchase == WB_DAY_NONE) {
        *cls = WB_CLASS_NEVER;
        if (days_since != NULL)
            *days_since = -1;
        return WB_OK;
    }
    WB_RETURN_IF(!wb__day_ok(last_purchase), WB_EDATE);
    WB_RETURN_IF(last_purchase > as_of, WB_EFUTURE);

    int32_t d = as_of - last_purchase;   /* both in range: cannot overflow */
    *cls = wb__class_of_days(p, d);
    if (days_since != NULL)
        *days_since = d;
    return WB_OK;
}

int wb_classify(const wb_policy *p, int32_t last_purchase, int32_t as_of,
                int32_t *cls, int32_t *days_since)
{
    WB_RETURN_IF(cls == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__classify(p, last_purchase, as_of, cls, days_since);
}

int wb__ladder_bp(const wb_policy *p, int32_t cls, int32_t *discount_bp)
{
    WB_RETURN_IF(cls < WB_CLASS_NEVER || cls > WB_CLASS_TIER3, WB_EINVAL);
    *discount_bp = wb__ladder_of(p, cls);
    return WB_OK;
}

int wb_ladder_bp(const wb_policy *p, int32_t cls, int32_t *discount_bp)
{
    WB_RETURN_IF(discount_bp == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__ladder_bp(p, cls, discount_bp);
}

int wb_discount_apply(int64_t price, int32_t discount_bp, int32_t rounding,
                      int64_t *discount, int64_t *final_price)
{
    int64_t q, r, amount;
    WB_RETURN_IF(discount == NULL && final_price == NULL, WB_EMISUSE);
    WB_RETURN_IF(price < 0 || discount_bp < 0 || discount_bp > WB_BP_ONE,
                 WB_EINVAL);
    WB_RETURN_IF(rounding < WB_ROUND_HALF_UP || rounding > WB_ROUND_UP,
                 WB_EINVAL);
    /* price * bp / 10000 <= price: the quotient always fits. */
    WB_FORWARD(wb__muldiv(price, discount_bp, WB_BP_ONE, &q, &r));
    amount = q;
    if ((rounding == WB_ROUND_HALF_UP && 2 * r >= WB_BP_ONE) ||
        (rounding == WB_ROUND_UP && r > 0))
        amount++;                 /* q < price when r > 0: no overflow */
    if (discount != NULL)
        *discount = amount;
    if (final_price != NULL)
        *final_price = price - amount;
    return WB_OK;
}
