/*
 * dues.c -- R11, money owed by a returning customer and when it falls due:
 * the share of a debt written off on return, and the reminder before a
 * due date.
 */
#include "core/internal.h"

int wb_debt_writeoff(const wb_policy *p, int64_t debt, int32_t score_bp,
                     int64_t *writeoff)
{
    WB_RETURN_IF(writeoff == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    WB_RETURN_IF(debt < 0 || score_bp < 0 || score_bp > WB_BP_ONE, WB_EINVAL);
    /* share = min + (max - min) * score, kept in bp^2 so that only the
     * final division rounds: writeoff = debt * share_bp2 / 10^8. */
    int64_t span = p->writeoff_max_bp - p->writeoff_min_bp;
    int64_t share = (int64_t)p->writeoff_min_bp * WB_BP_ONE + span * score_bp;
    return wb__muldiv_round(debt, share, (int64_t)WB_BP_ONE * WB_BP_ONE,
                            writeoff);
}

int wb_due_reminder_day(const wb_policy *p, int32_t due_day, int32_t *day)
{
    WB_RETURN_IF(day == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__day_offset(due_day, -p->reminder_lead_days, day);
}
