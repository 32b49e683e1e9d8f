/*
 * health.c -- R10: churn of the base over a year and its health class.
 */
#include "core/internal.h"

int wb_base_health(const wb_policy *p, int64_t customers_at_start,
                   int64_t lost, int32_t *churn_bp, int32_t *health)
{
    int64_t bp;
    WB_RETURN_IF(churn_bp == NULL || health == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    WB_RETURN_IF(customers_at_start < 0 || lost < 0, WB_EINVAL);
    WB_RETURN_IF(customers_at_start == 0, WB_EZERO);
    WB_RETURN_IF(lost > customers_at_start, WB_EINVAL);
    WB_FORWARD(wb__muldiv_round(lost, WB_BP_ONE, customers_at_start, &bp));
    *churn_bp = (int32_t)bp;        /* lost <= customers: bp <= 10000 */
    if (bp >= p->churn_act_min_bp)
        *health = WB_HEALTH_ACT;
    else if (bp > p->churn_normal_max_bp)
        *health = WB_HEALTH_ELEVATED;
    else
        *health = WB_HEALTH_NORMAL;
    return WB_OK;
}
