/*
 * history.c -- R6: losses and returns derived from a purchase history.
 */
#include "core/internal.h"

int wb_history_losses(const wb_policy *p, const int32_t *days, size_t n,
                      int32_t as_of, wb_history *out)
{
    WB_RETURN_IF(out == NULL || (days == NULL && n > 0), WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    WB_RETURN_IF(!wb__day_ok(as_of), WB_EDATE);

    const int32_t lost = wb__class_floor(p, p->lost_class);
    int64_t returns = 0;
    for (size_t i = 0; i < n; i++) {
        WB_RETURN_IF(!wb__day_ok(days[i]), WB_EDATE);
        WB_RETURN_IF(days[i] > as_of, WB_EFUTURE);
        if (i == 0)
            continue;
        WB_RETURN_IF(days[i] < days[i - 1], WB_EORDER);
        /* A new order after a gap of at least the threshold is a return
         * (rule 11): a promise or an opened e-mail is not an order. */
        if (days[i] - days[i - 1] >= lost)
            returns++;
    }
    /* Gaps are at least 1 day, so returns <= WB_DAY_MAX - WB_DAY_MIN. */
    out->returns = (int32_t)returns;
    out->currently_lost = n > 0 && as_of - days[n - 1] >= lost;
    out->losses = out->returns + out->currently_lost;
    out->sensitive = out->returns > 0;
    return WB_OK;
}
