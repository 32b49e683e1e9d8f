/*
 * internal.h -- helpers shared by the library's files; not installed.
 *
 * Internal non-static names use the wb__ prefix. Nothing here allocates,
 * touches floating point or keeps state.
 */
#ifndef WB_INTERNAL_H
#define WB_INTERNAL_H

#include "winback.h"

/* Return early with an error; forward an error from a call. */
#define WB_RETURN_IF(cond, status) \
    do { if (cond) return (status); } while (0)
#define WB_FORWARD(expr) \
    do { int wb__rc_ = (expr); if (wb__rc_ != WB_OK) return wb__rc_; } while (0)

#define WB_BP_ONE 10000

/* 1 when day is a valid day number (WB_DAY_MIN..WB_DAY_MAX). */
static inline int wb__day_ok(int32_t day)
{
    return day >= WB_DAY_MIN && day <= WB_DAY_MAX;
}

/* Checked int64 arithmetic: return WB_ERANGE instead of wrapping. */
static inline int wb__add(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_add_overflow(a, b, out) ? WB_ERANGE : WB_OK;
}
static inline int wb__mul(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_mul_overflow(a, b, out) ? WB_ERANGE : WB_OK;
}

/* The general case of wb__muldiv, when a * b does not fit 64 bits. */
int wb__muldiv_wide(int64_t a, int64_t b, int64_t c, int64_t *q, int64_t *r);
/* The general case of wb__muldiv_round (a negative, or a * b wide). */
int wb__muldiv_round_wide(int64_t a, int64_t b, int64_t c, int64_t *out);

/* floor(a * b / c) for a, b >= 0 and c > 0, exact for every int64 input,
 * as quotient *q and remainder *r (0 <= r < c). WB_ERANGE when the quotient
 * does not fit int64. Inline so that a constant c (100, 10000) becomes a
 * multiplication: this sits on the decision call's hot path. */
static inline int wb__muldiv(int64_t a, int64_t b, int64_t c, int64_t *q,
                             int64_t *r)
{
    uint64_t p;
    if (a >= 0 && b >= 0 && c > 0 &&
        !__builtin_mul_overflow((uint64_t)a, (uint64_t)b, &p)) {
        uint64_t quot = p / (uint64_t)c;
        if (quot <= (uint64_t)INT64_MAX) {
            *q = (int64_t)quot;
            *r = (int64_t)(p - quot * (uint64_t)c);
            return WB_OK;
        }
    }
    return wb__muldiv_wide(a, b, c, q, r);
}

/* a * b / c rounded half away from zero; b >= 0, c > 0, a any sign.
 * WB_ERANGE when the result does not fit int64. */
static inline int wb__muldiv_round(int64_t a, int64_t b, int64_t c,
                                   int64_t *out)
{
    uint64_t p;
    if (a >= 0 && b >= 0 && c > 0 &&
        !__builtin_mul_overflow((uint64_t)a, (uint64_t)b, &p)) {
        uint64_t quot = p / (uint64_t)c, rem = p - quot * (uint64_t)c;
        quot += rem >= (uint64_t)c - rem;      /* at least half: round up */
        if (quot <= (uint64_t)INT64_MAX) {
            *out = (int64_t)quot;
            return WB_OK;
        }
    }
    return wb__muldiv_round_wide(a, b, c, out);
}

/* Validates a policy: WB_OK, WB_EMISUSE, WB_ESTRUCT or WB_EPOLICY. */
int wb__policy_check(const wb_policy *policy);

/* The rule functions without their policy check, for callers that have
 * validated the policy once already (wb_decide). Same contracts otherwise;
 * out-pointers must not be NULL. */
int wb__classify(const wb_policy *policy, int32_t last_purchase,
                 int32_t as_of, int32_t *cls, int32_t *days_since);
int wb__ladder_bp(const wb_policy *policy, int32_t cls, int32_t *discount_bp);
int wb__severity_escalation(const wb_policy *policy, int32_t severity,
                            int32_t *level);
int wb__difficulty_bp(const wb_policy *policy, int32_t severity,
                      int32_t human_factor, int32_t days_since_incident,
                      int32_t *difficulty_bp);
int wb__next_contact(const wb_policy *policy, int32_t last_contact,
                     int32_t as_of, int32_t *next_day, int32_t *allowed_now);

/* Lower bound in days of a class under a policy (ACTIVE: 0). */
int32_t wb__class_floor(const wb_policy *policy, int32_t cls);

#endif /* WB_INTERNAL_H */
