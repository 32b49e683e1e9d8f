/*
 * contact.c -- R8 approach by reason and contact cadence.
 *
 * Pushiness is a mistake ([Nenakhov]): every cadence function answers with
 * the day a contact becomes allowed, so the host can say "not yet, on ...".
 */
#include "core/internal.h"

int wb_reason_approach(int32_t reason, int32_t reachable, int32_t *approach)
{
    WB_RETURN_IF(approach == NULL, WB_EMISUSE);
    WB_RETURN_IF(reason < 0 || reason >= WB_REASON_COUNT, WB_EINVAL);
    *approach = wb__approach_of(reason, reachable);
    return WB_OK;
}

int wb_next_contact(const wb_policy *p, int32_t last_contact, int32_t as_of,
                    int32_t *next_day, int32_t *allowed_now)
{
    WB_RETURN_IF(next_day == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__next_contact(p, last_contact, as_of, next_day, allowed_now);
}

int wb__next_contact(const wb_policy *p, int32_t last_contact, int32_t as_of,
                     int32_t *next_day, int32_t *allowed_now)
{
    int32_t next = as_of;
    WB_RETURN_IF(!wb__day_ok(as_of), WB_EDATE);
    if (last_contact != WB_DAY_NONE) {
        WB_RETURN_IF(!wb__day_ok(last_contact), WB_EDATE);
        WB_RETURN_IF(last_contact > as_of, WB_EFUTURE);
        int32_t after = last_contact + p->min_recontact_days;
        WB_RETURN_IF(after > WB_DAY_MAX, WB_EDATE);    /* days <= 36500 */
        if (after > next)
            next = after;
    }
    *next_day = next;
    if (allowed_now != NULL)
        *allowed_now = next == as_of;
    return WB_OK;
}

int wb_cart_reminder_day(const wb_policy *p, int32_t abandoned_day, int32_t n,
                         int32_t *day)
{
    WB_RETURN_IF(day == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    WB_RETURN_IF(n < 0 || n > 2, WB_EINVAL);
    return wb__day_offset(abandoned_day, p->cart_reminder_days[n], day);
}

int wb_newsletter_day(const wb_policy *p, int32_t last_sent, int32_t *day)
{
    WB_RETURN_IF(day == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__day_offset(last_sent, p->newsletter_days, day);
}
