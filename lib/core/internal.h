/*
 * core/internal.h -- helpers shared by the library's files; not installed.
 *
 * Internal non-static names use the wb__ prefix. Nothing here allocates,
 * touches floating point or keeps state.
 */
#ifndef WB_INTERNAL_H
#define WB_INTERNAL_H

#include "winback/core.h"

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

/* day + offset when the result is a valid day, else WB_EDATE. Offsets
 * come from a valid policy (|offset| <= WB_POLICY_MAX_DAYS), so int32
 * cannot overflow. */
static inline int wb__day_offset(int32_t day, int32_t offset, int32_t *out)
{
    WB_RETURN_IF(!wb__day_ok(day) || !wb__day_ok(day + offset), WB_EDATE);
    *out = day + offset;
    return WB_OK;
}

/* Checked int64 arithmetic: return WB_ERANGE instead of wrapping, and
 * leave *out alone then (the builtins store the wrapped value). */
static inline int wb__add(int64_t a, int64_t b, int64_t *out)
{
    int64_t v;
    WB_RETURN_IF(__builtin_add_overflow(a, b, &v), WB_ERANGE);
    *out = v;
    return WB_OK;
}

/* Size-first builds trade speed for code: no inline fast paths, table-
 * driven checks. On by default when the compiler optimises for size (-Os,
 * as firmware is built); -DWB_SMALL_CODE=0 or =1 overrides. */
#ifndef WB_SMALL_CODE
#  ifdef __OPTIMIZE_SIZE__
#    define WB_SMALL_CODE 1
#  else
#    define WB_SMALL_CODE 0
#  endif
#endif

#if defined(__GNUC__)
#  define WB_NOINLINE __attribute__((noinline))
#  define WB_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#  define WB_NOINLINE
#  define WB_ALWAYS_INLINE inline
#endif

#if !WB_SMALL_CODE
/* The common amount -- digits, then at most one '.' and at most
 * `decimals` (0..9) digits, 18 digits in all once scaled, which cannot
 * overflow -- in one pass without the per-digit range checks. 1 when it
 * applied, with *minor set as wb_amount_parse would; 0 leaves the text to
 * wb_amount_parse's general loop, which gives the same value or the error
 * (a sign, a comma, ".5", "5." and rounding all go there). The reader
 * calls it before wb_amount_parse, whose argument checks its own config
 * has passed. */
static inline int wb__plain_amount(const char *s, size_t len, int32_t decimals,
                                   int64_t *minor)
{
    int64_t v = 0;
    int frac = -1;                 /* digits after the '.'; -1: no '.' yet */
    if (len == 0 || len > 18)
        return 0;
    /* Cents, as most logs write them: the loop below, but for the digits
     * before the '.' alone (about a third of its instructions). */
    if (decimals == 2 && len >= 4 && s[len - 3] == '.') {
        unsigned tens = (unsigned)(unsigned char)s[len - 2] - '0';
        unsigned ones = (unsigned)(unsigned char)s[len - 1] - '0';
        size_t i = 0;
        for (; i < len - 3; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d >= 10)
                break;
            v = v * 10 + (int64_t)d;
        }
        if (i == len - 3 && tens < 10 && ones < 10) {
            *minor = v * 100 + (int64_t)(tens * 10 + ones);
            return 1;
        }
        v = 0;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d < 10) {
            v = v * 10 + (int64_t)d;
            frac += frac >= 0;
        } else if (s[i] == '.' && frac < 0 && i > 0 && i + 1 < len) {
            frac = 0;
        } else {
            return 0;
        }
    }
    int scale = decimals - (frac > 0 ? frac : 0);
    if (scale < 0 || len - (frac >= 0) + (size_t)scale > 18)
        return 0;
    while (scale-- > 0)
        v *= 10;
    *minor = v;
    return 1;
}
#endif

/* Exact for every input, in arith.c (no 128-bit type, no division
 * routine), with b >= 0 and 0 < c <= INT64_MAX:
 *  - r != NULL: floor(a * b / c) as quotient *q and remainder *r
 *    (0 <= r < c), for a >= 0;
 *  - r == NULL: a * b / c rounded half away from zero into *q, any a.
 * WB_ERANGE when the result does not fit int64 (INT64_MIN does). */
int wb__muldiv_exact(int64_t a, int64_t b, int64_t c, int64_t *q, int64_t *r);

static inline int wb__muldiv_round_exact(int64_t a, int64_t b, int64_t c,
                                         int64_t *out)
{
    return wb__muldiv_exact(a, b, c, out, NULL);
}

/* The two above, with an inline fast path for when a >= 0 and a * b fits
 * 64 bits: a constant c (100, 10000) then becomes a multiplication. This
 * sits on the decision call's hot path on hosts; size-first builds call
 * the exact forms directly. */
static inline int wb__muldiv(int64_t a, int64_t b, int64_t c, int64_t *q,
                             int64_t *r)
{
#if !WB_SMALL_CODE
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
#endif
    return wb__muldiv_exact(a, b, c, q, r);
}

static inline int wb__muldiv_round(int64_t a, int64_t b, int64_t c,
                                   int64_t *out)
{
#if !WB_SMALL_CODE
    uint64_t p;
    /* Half up: (p + c/2) / c rounds up exactly when the remainder is at
     * least c - c/2, i.e. at least half of c, odd or even. */
    if (a >= 0 && b >= 0 && c > 0 &&
        !__builtin_mul_overflow((uint64_t)a, (uint64_t)b, &p) &&
        !__builtin_add_overflow(p, (uint64_t)c / 2, &p)) {
        uint64_t quot = p / (uint64_t)c;
        if (quot <= (uint64_t)INT64_MAX) {
            *out = (int64_t)quot;
            return WB_OK;
        }
    }
#endif
    return wb__muldiv_round_exact(a, b, c, out);
}

/* a * b for a, b >= 0, or WB_ERANGE. Size-first builds reuse the mul-div:
 * Thumb-1 expands a checked 64-bit multiplication to ~200 bytes a site. */
static inline int wb__mul(int64_t a, int64_t b, int64_t *out)
{
#if WB_SMALL_CODE
    int64_t zero;
    return wb__muldiv_exact(a, b, 1, out, &zero);
#else
    int64_t v;
    WB_RETURN_IF(__builtin_mul_overflow(a, b, &v), WB_ERANGE);
    *out = v;
    return WB_OK;
#endif
}

/* Validates a policy: WB_OK, WB_EMISUSE, WB_ESTRUCT or WB_EPOLICY. */
int wb__policy_check(const wb_policy *policy);

/* The rule functions without their policy check, for callers that have
 * validated the policy once already (the batch calls). Same contracts
 * otherwise; out-pointers must not be NULL. The decision, which has also
 * checked the customer, applies the unchecked inline forms further down. */
/* wb_decide without the policy check, for each of customers[0..n) into
 * plans[i] and status[i]: the batch call, which makes the check once.
 * Returns how many failed. */
size_t wb__decide_each(const wb_policy *policy, const wb_customer *customers,
                       size_t n, int32_t as_of, wb_plan *plans, int32_t *status);
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
/* wb_history_losses for the ledger's reads, of days it holds valid and in
 * order: without the policy check, which they make once a call
 * (wb_ledger_at_many), nor each day's (only as_of and the last day). */
int wb__history_losses(const wb_policy *policy, const int32_t *days, size_t n,
                       int32_t as_of, wb_history *out);

/* The R4 gate of wb_winback_worth, for cost >= 0 and min_ratio_bp >= 0:
 * 1 when clv >= cost * min_ratio_bp / 10000 exactly, else 0. Inline: the
 * decision applies it to every customer. */
static inline int wb__winback_worth(int64_t clv, int64_t cost,
                                    int32_t min_ratio_bp)
{
    int64_t q, r;
    /* clv >= cost * ratio / 10000 exactly, with the bar as q + r/10000;
     * a bar beyond int64 (WB_ERANGE) exceeds every CLV. */
    if (wb__muldiv(cost, min_ratio_bp, WB_BP_ONE, &q, &r) != WB_OK)
        return 0;
    return clv > q || (clv == q && r == 0);
}

/* The class of a customer whose last purchase was d >= 0 days ago. Lower
 * bounds are inclusive (exactly tier1_days is tier 1) and a valid policy's
 * rise strictly, so the class is ACTIVE plus the bounds reached: four
 * compares, no loop or branch, for the decision's every customer. */
static inline int32_t wb__class_of_days(const wb_policy *p, int32_t d)
{
    return WB_CLASS_ACTIVE + (d >= p->watch_days) + (d >= p->tier1_days) +
           (d >= p->tier2_days) + (d >= p->tier3_days);
}

/* wb_difficulty_bp for a severity of 1..5 and days_since_incident >= 0,
 * unchecked: inline, as the decision applies it to every customer with an
 * incident. */
static inline int32_t wb__difficulty_of(const wb_policy *p, int32_t severity,
                                        int32_t human_factor,
                                        int32_t days_since_incident)
{
    int32_t d, rate = p->incident_age_bp_per_30d;
    /* Rule 7: the base grows with severity. Rule 8: people's failures are
     * harder to forgive than machines'. Rule 6: the later, the harder.
     * int32 suffices (no 64-bit helper on small targets): a base of at
     * most 10000 bp times a human factor of at most 100000 bp is 1e9. */
    d = p->severity_difficulty_bp[severity - 1];
    if (human_factor)
        d = d * p->human_factor_bp / WB_BP_ONE;
    /* rate * days / 30 as whole 30-day periods plus the rest, exactly;
     * after 10000 periods the age alone reaches 100 %. The age and the
     * rate are >= 0: unsigned division by 30 needs no sign fix-up. */
    uint32_t age = (uint32_t)days_since_incident, urate = (uint32_t)rate;
    int32_t periods = (int32_t)(age / 30), rest = (int32_t)(age % 30);
    if (rate > 0 && periods >= WB_BP_ONE)
        d = WB_BP_ONE;
    else
        d += periods * rate + (int32_t)((uint32_t)rest * urate / 30);
    return d > WB_BP_ONE ? WB_BP_ONE : d;
}

/* wb_reason_approach for a valid reason, unchecked: inline, for the
 * decision's every win-back. */
static inline int32_t wb__approach_of(int32_t reason, int32_t reachable)
{
    static const uint8_t by_reason[WB_REASON_COUNT] = {
        [WB_REASON_UNKNOWN] = WB_APPROACH_ASK_WHY,
        [WB_REASON_PRICE] = WB_APPROACH_PRICE_MATCH,
        [WB_REASON_SERVICE] = WB_APPROACH_PERSONAL_CALL,
        [WB_REASON_FORGOT] = WB_APPROACH_REMINDER,
        [WB_REASON_LOST_INTEREST] = WB_APPROACH_RELATED_PRODUCTS,
        [WB_REASON_QUALITY] = WB_APPROACH_SHOW_CHANGES,
        [WB_REASON_MOVED] = WB_APPROACH_KEEP_IN_TOUCH,
        [WB_REASON_BUSINESS_CHANGED] = WB_APPROACH_KEEP_IN_TOUCH,
        [WB_REASON_MANAGER_CHANGED] = WB_APPROACH_PERSONAL_CALL,
        [WB_REASON_CONFLICT] = WB_APPROACH_PERSONAL_CALL,
    };
    /* [Rules]: the office moved to a city we serve -- reach out as to a
     * customer who simply forgot us. */
    if (reachable && (reason == WB_REASON_MOVED ||
                      reason == WB_REASON_BUSINESS_CHANGED))
        return WB_APPROACH_REMINDER;
    return by_reason[reason];
}

/* The ladder's discount of a valid class, unchecked: inline, for the
 * decision's every win-back. */
static inline int32_t wb__ladder_of(const wb_policy *p, int32_t cls)
{
    switch (cls) {
    case WB_CLASS_TIER1: return p->ladder_tier1_bp;
    case WB_CLASS_TIER2: return p->ladder_tier2_bp;
    case WB_CLASS_TIER3: return p->ladder_tier3_bp;
    default: return 0;          /* NEVER, ACTIVE, WATCH */
    }
}

/* Lower bound in days of a class under a policy (ACTIVE: 0). */
static inline int32_t wb__class_floor(const wb_policy *p, int32_t cls)
{
    switch (cls) {
    case WB_CLASS_WATCH: return p->watch_days;
    case WB_CLASS_TIER1: return p->tier1_days;
    case WB_CLASS_TIER2: return p->tier2_days;
    case WB_CLASS_TIER3: return p->tier3_days;
    default: return 0;
    }
}

#endif /* WB_INTERNAL_H */
