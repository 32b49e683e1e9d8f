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
    WB_RETURN_IF(severity < 1 || severity > 5, WB_ESEVERITY);
    WB_RETURN_IF(days_since_incident < 0, WB_EINVAL);
    *difficulty_bp = wb__difficulty_of(p, severity, human_factor,
                                       days_since_incident);
    return WB_OK;
}
