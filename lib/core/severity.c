/*
 * severity.c -- R7: how bad the cause of leaving was, and who calls.
 */
#include "core/internal.h"

int wb__severity_escalation(const wb_policy *p, int32_t severity,
                            int32_t *level)
{
    WB_RETURN_IF(severity < 1 || severity > 5, WB_ESEVERITY);
    *level = p->escalation[severity - 1];
    return WB_OK;
}

int wb_severity_escalation(const wb_policy *p, int32_t severity,
                           int32_t *level)
{
    WB_RETURN_IF(level == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__severity_escalation(p, severity, level);
}

int wb_difficulty_bp(const wb_policy *p, int32_t severity,
                     int32_t human_factor, int32_t days_since_incident,
                     int32_t *difficulty_bp)
{
    WB_RETURN_IF(difficulty_bp == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    return wb__difficulty_bp(p, severity, human_factor, days_since_incident,
                             difficulty_bp);
}

int wb__difficulty_bp(const wb_policy *p, int32_t severity,
                      int32_t human_factor, int32_t days_since_incident,
                      int32_t *difficulty_bp)
{
    int32_t d, rate = p->incident_age_bp_per_30d;
    WB_RETURN_IF(severity < 1 || severity > 5, WB_ESEVERITY);
    WB_RETURN_IF(days_since_incident < 0, WB_EINVAL);
    /* Rule 7: the base grows with severity. Rule 8: people's failures are
     * harder to forgive than machines'. Rule 6: the later, the harder.
     * int32 suffices (no 64-bit helper on small targets): a base of at
     * most 10000 bp times a human factor of at most 100000 bp is 1e9. */
    d = p->severity_difficulty_bp[severity - 1];
    if (human_factor)
        d = d * p->human_factor_bp / WB_BP_ONE;
    /* rate * days / 30 as whole 30-day periods plus the rest, exactly;
     * after 10000 periods the age alone reaches 100 %. */
    int32_t periods = days_since_incident / 30, rest = days_since_incident % 30;
    if (rate > 0 && periods >= WB_BP_ONE)
        d = WB_BP_ONE;
    else
        d += periods * rate + rest * rate / 30;
    *difficulty_bp = d > WB_BP_ONE ? WB_BP_ONE : d;
    return WB_OK;
}
