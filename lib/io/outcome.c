/*
 * outcome.c -- R12: what a win-back campaign returned.
 *
 * Two steps, both without memory of their own: wb_contact_outcome reads
 * one contacted customer's purchases against the contact day, and
 * wb_campaign_outcome folds an array of those into the figures R12 lists
 * (docs/outcome.md). Only an order counts as a return ([Rules] rule 11),
 * within the window after the contact.
 */
#include "io/alloc.h"          /* the io header, and wb__add, wb__muldiv_round */

/* The purchases must be a history: valid days, sorted, amounts >= 0. */
static int check_purchases(const int32_t *days, const int64_t *amounts,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        WB_RETURN_IF(!wb__day_ok(days[i]), WB_EDATE);
        WB_RETURN_IF(i > 0 && days[i] < days[i - 1], WB_EORDER);
        WB_RETURN_IF(amounts[i] < 0, WB_EINVAL);
    }
    return WB_OK;
}

/* Spend and distinct purchase days of the purchases with from <= day <= to. */
static int spend_between(const int32_t *days, const int64_t *amounts, size_t n,
                         int32_t from, int32_t to, int64_t *spend, int32_t *orders)
{
    *spend = 0;
    *orders = 0;
    for (size_t i = 0; i < n; i++) {
        if (days[i] < from || days[i] > to)
            continue;
        WB_FORWARD(wb__add(*spend, amounts[i], spend));
        *orders += i == 0 || days[i] != days[i - 1] || days[i - 1] < from;
    }
    return WB_OK;
}

/* The first purchase day after the contact, within the window and the
 * data: its index, or n. */
static size_t first_return(const int32_t *days, size_t n, int32_t contact,
                           int32_t until)
{
    for (size_t i = 0; i < n; i++)
        if (days[i] > contact && days[i] <= until)
            return i;
    return n;
}

int wb_contact_outcome(const int32_t *days, const int64_t *amounts, size_t n,
                       int32_t contact_day, int32_t window_days, int32_t as_of,
                       wb_contact_result *out)
{
    wb_contact_result r = {0};
    WB_RETURN_IF(out == NULL || ((days == NULL || amounts == NULL) && n > 0),
                 WB_EMISUSE);
    WB_RETURN_IF(!wb__day_ok(contact_day) || !wb__day_ok(as_of), WB_EDATE);
    WB_RETURN_IF(contact_day > as_of, WB_EFUTURE);
    WB_RETURN_IF(window_days < 1 || window_days > WB_POLICY_MAX_DAYS, WB_EINVAL);
    WB_FORWARD(check_purchases(days, amounts, n));
    int32_t end = contact_day + window_days;        /* <= WB_DAY_MAX + 36500 */
    r.window_complete = end <= as_of;
    if (end > as_of)
        end = as_of;
    /* Before the contact: the customer's history up to the contact day. */
    WB_FORWARD(spend_between(days, amounts, n, WB_DAY_MIN, contact_day,
                             &r.spend_before, &r.orders_before));
    WB_FORWARD(spend_between(days, amounts, n, contact_day + 1, end,
                             &r.spend_after, &r.orders_after));
    r.days_to_return = -1;
    size_t k = first_return(days, n, contact_day, end);
    if (k < n) {
        int32_t back = days[k], last = WB_DAY_NONE, orders;
        r.returned = 1;
        r.days_to_return = back - contact_day;
        WB_FORWARD(spend_between(days, amounts, n, back, back, &r.trial_order, &orders));
        /* Volume restored: the spend of the same number of days after the
         * return and before the loss (up to the last purchase before the
         * contact), as many as the data has after the return. */
        int32_t span = as_of - back + 1 < window_days ? as_of - back + 1 : window_days;
        for (size_t i = 0; i < n && days[i] <= contact_day; i++)
            last = days[i];
        WB_FORWARD(spend_between(days, amounts, n, back, back + span - 1,
                                 &r.volume_after, &orders));
        if (last != WB_DAY_NONE)
            WB_FORWARD(spend_between(days, amounts, n, last - span + 1, last,
                                     &r.volume_before, &orders));
    }
    *out = r;
    return WB_OK;
}

/* Returned customers back within at most d days. */
static int64_t back_within(const wb_contact_result *r, size_t n, int32_t d)
{
    int64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += r[i].returned && r[i].days_to_return <= d;
    return k;
}

/* The least d with at least `rank` returned customers back within d days:
 * the rank-th smallest days_to_return, by bisection (no memory to sort). */
static int32_t days_rank(const wb_contact_result *r, size_t n, int64_t rank)
{
    int32_t lo = 1, hi = WB_POLICY_MAX_DAYS;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (back_within(r, n, mid) >= rank)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* a / b in basis points, rounded half up; 0 when b is 0. */
static int share_bp(int64_t a, int64_t b, int64_t *bp)
{
    if (b == 0) {
        *bp = 0;
        return WB_OK;
    }
    return wb__muldiv_round(a, WB_BP_ONE, b, bp);
}

static int add_result(wb_campaign_stats *s, const wb_contact_result *r)
{
    WB_RETURN_IF(r->returned != (r->days_to_return >= 0) || r->spend_before < 0 ||
                 r->spend_after < 0 || r->trial_order < 0 || r->volume_before < 0 ||
                 r->volume_after < 0, WB_EINVAL);
    s->contacted++;
    s->window_incomplete += !r->window_complete;
    s->orders_before += r->orders_before;
    s->orders_after += r->orders_after;
    WB_FORWARD(wb__add(s->spend_before, r->spend_before, &s->spend_before));
    WB_FORWARD(wb__add(s->spend_after, r->spend_after, &s->spend_after));
    if (!r->returned)
        return WB_OK;
    s->returned++;
    WB_FORWARD(wb__add(s->trial_total, r->trial_order, &s->trial_total));
    WB_FORWARD(wb__add(s->income, r->spend_after, &s->income));
    WB_FORWARD(wb__add(s->volume_before, r->volume_before, &s->volume_before));
    return wb__add(s->volume_after, r->volume_after, &s->volume_after);
}

int wb_campaign_outcome(const wb_contact_result *results, size_t n, int64_t cost,
                        int32_t margin_bp, wb_campaign_stats *out)
{
    wb_campaign_stats s = {0};
    WB_RETURN_IF(out == NULL || (results == NULL && n > 0), WB_EMISUSE);
    WB_RETURN_IF(cost < 0 || margin_bp < 0 || margin_bp > WB_BP_ONE, WB_EINVAL);
    for (size_t i = 0; i < n; i++)
        WB_FORWARD(add_result(&s, &results[i]));
    s.cost = cost;
    WB_FORWARD(wb__muldiv_round(s.income, margin_bp, WB_BP_ONE, &s.income));
    WB_FORWARD(share_bp(s.returned, s.contacted, &s.return_rate_bp));
    WB_FORWARD(share_bp(s.volume_after, s.volume_before, &s.volume_restored_bp));
    s.days_q1 = s.days_median = s.days_q3 = -1;
    if (s.returned > 0) {
        /* Nearest rank: the ceil(p * returned)-th smallest. */
        s.days_q1 = days_rank(results, n, (s.returned + 3) / 4);
        s.days_median = days_rank(results, n, (s.returned + 1) / 2);
        s.days_q3 = days_rank(results, n, (3 * s.returned + 3) / 4);
    }
    s.romi_bp = 0;
    s.romi_known = cost > 0;
    if (cost > 0)
        WB_FORWARD(wb_romi_bp(s.income, cost, WB_BP_ONE, &s.romi_bp));
    *out = s;
    return WB_OK;
}
