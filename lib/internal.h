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

/* floor(a * b / c) for a, b >= 0 and c > 0, exact for every int64 input,
 * as quotient *q and remainder *r (0 <= r < c). WB_ERANGE when the quotient
 * does not fit int64. */
int wb__muldiv(int64_t a, int64_t b, int64_t c, int64_t *q, int64_t *r);

/* a * b / c rounded half away from zero; b >= 0, c > 0, a any sign.
 * WB_ERANGE when the result does not fit int64. */
int wb__muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out);

/* Validates a policy: WB_OK, WB_EMISUSE, WB_ESTRUCT or WB_EPOLICY. */
int wb__policy_check(const wb_policy *policy);

/* Lower bound in days of a class under a policy (ACTIVE: 0). */
int32_t wb__class_floor(const wb_policy *policy, int32_t cls);

#endif /* WB_INTERNAL_H */
