/*
 * batch.c -- the decision and the classes over arrays, for FFI hosts.
 *
 * A binding in Python or JavaScript pays about a microsecond per foreign
 * call, 25 times what a decision costs; these take whole arrays in one
 * call. The policy is validated once per call; each customer gets its own
 * status, so one bad row does not fail the table. The caller owns every
 * array; nothing is allocated or kept.
 */
#include "core/internal.h"

int wb_decide_many(const wb_policy *p, const wb_customer *customers, size_t n,
                   int32_t as_of, wb_plan *plans, int32_t *status, size_t *failed)
{
    WB_RETURN_IF((n > 0 && (customers == NULL || plans == NULL || status == NULL)),
                 WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    size_t bad = wb__decide_each(p, customers, n, as_of, plans, status);
    if (failed != NULL)
        *failed = bad;
    return WB_OK;
}

int wb_classify_many(const wb_policy *p, const int32_t *last_purchase, size_t n,
                     int32_t as_of, int32_t *cls, int32_t *days_since,
                     int32_t *discount_bp, int32_t *status, size_t *failed)
{
    size_t bad = 0;
    WB_RETURN_IF(n > 0 && (last_purchase == NULL || cls == NULL || status == NULL),
                 WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    for (size_t i = 0; i < n; i++) {
        int32_t c = WB_CLASS_NEVER, d = -1, bp = 0;
        status[i] = wb__classify(p, last_purchase[i], as_of, &c, &d);
        if (status[i] == WB_OK)
            status[i] = wb__ladder_bp(p, c, &bp);
        if (status[i] != WB_OK) {
            bad++;
            continue;                   /* the outputs stay as they were */
        }
        cls[i] = c;
        if (days_since != NULL)
            days_since[i] = d;
        if (discount_bp != NULL)
            discount_bp[i] = bp;
    }
    if (failed != NULL)
        *failed = bad;
    return WB_OK;
}
