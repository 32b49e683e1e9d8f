/*
 * winback/core.h -- libwinback, tier 1: the integer core.
 *
 * The rules R1..R11 and the decision call. Freestanding: no heap, no FPU,
 * no libm, no stdio, no global state; this is all a firmware image needs.
 * Hosts normally include <winback.h>, which includes every tier.
 *
 * Units, everywhere in libwinback:
 *   day    int32_t, days since 1970-01-01 in the proleptic Gregorian
 *          calendar. Valid days are WB_DAY_MIN (0001-01-01) .. WB_DAY_MAX
 *          (9999-12-31); WB_DAY_NONE means "no such day" (never bought,
 *          never contacted).
 *   money  int64_t in minor units (cents, kopecks). Never floating point.
 *   rate   int32_t basis points: 10000 bp = 100 %, 1500 bp = 15 %.
 *
 * Conventions:
 *   - Every fallible function returns a wb_status: WB_OK (0) or an error
 *     code. Results come back through out-parameters, which are written only
 *     on success. A NULL pointer where one is required is WB_EMISUSE; the
 *     library never aborts, exits, prints or allocates in the integer core.
 *   - Every function is reentrant and thread safe: the library has no global
 *     mutable state. Objects passed in (policies, customers) are only read;
 *     share them between threads freely as long as nobody writes them.
 *   - Floating point appears only in the extras tier (<winback/extras.h>);
 *     the integer core needs no FPU or libm.
 *
 * ABI: while WB_VERSION_MAJOR is 0, each minor version is its own ABI (the
 * soname is libwinback.so.0.MINOR); from 1.0 on, the same major version
 * means the same ABI. Structs that cross the API start with a `size` field
 * that the *_init functions set; a later minor version may append fields
 * and will still accept the older size.
 *
 * The rules behind every number are in docs/ (docs/overview.md maps each
 * rule R1..R11 to its functions and to its source, docs/sources.md lists
 * the sources).
 */
#ifndef WINBACK_CORE_H
#define WINBACK_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Version
 * --------------------------------------------------------------------- */
#define WB_VERSION_MAJOR 0
#define WB_VERSION_MINOR 2
#define WB_VERSION_PATCH 0
#define WB_VERSION_NUMBER \
    (WB_VERSION_MAJOR * 10000 + WB_VERSION_MINOR * 100 + WB_VERSION_PATCH)
#define WB_STRINGIFY_(x) #x
#define WB_STRINGIFY(x) WB_STRINGIFY_(x)
#define WB_VERSION_STRING                                   \
    WB_STRINGIFY(WB_VERSION_MAJOR) "." WB_STRINGIFY(WB_VERSION_MINOR) "." \
    WB_STRINGIFY(WB_VERSION_PATCH)

/* ------------------------------------------------------------------------
 * Portability macros
 * --------------------------------------------------------------------- */
#if defined(_WIN32) && defined(WB_BUILD_SHARED)
#  define WB_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#  define WB_API __attribute__((visibility("default")))
#else
#  define WB_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define WB_NODISCARD __attribute__((warn_unused_result))
#else
#  define WB_NODISCARD
#endif

/* nonnull helps callers catch a literal NULL at compile time. The library
 * itself is built without it (WB_NO_NONNULL) so that the compiler keeps its
 * NULL checks: a NULL still gets WB_EMISUSE at run time. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(WB_NO_NONNULL)
#  define WB_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#else
#  define WB_NONNULL(...)
#endif

/* ------------------------------------------------------------------------
 * Status codes
 *
 * Values are pinned and documented in docs/errors.md; new codes may be added
 * in any release, so treat an unknown non-zero value as a generic failure.
 * X(name, value, message)
 * --------------------------------------------------------------------- */
#define WB_STATUS_MAP(X)                                                      \
    X(OK,       0,  "success")                                                \
    X(EMISUSE,  1,  "API misuse: a required pointer is NULL")                 \
    X(ESTRUCT,  2,  "struct size field does not match this library")          \
    X(EINVAL,   10, "argument outside its documented range")                  \
    X(EDATE,    11, "impossible or out-of-range calendar date")               \
    X(ESYNTAX,  12, "malformed text")                                         \
    X(EFUTURE,  13, "event after the as-of day")                              \
    X(EORDER,   14, "days are not in ascending order")                        \
    X(ESEVERITY, 15, "severity outside 1..5")                                 \
    X(EHEADER,  16, "header row lacks a required column, or has two for one")  \
    X(EPOLICY,  20, "invalid policy")                                         \
    X(EKEY,     21, "unknown policy key")                                     \
    X(ERANGE,   30, "result does not fit the 64-bit money type")              \
    X(EZERO,    31, "division by zero (for example a spend of 0)")            \
    X(EMODEL,   32, "the data cannot identify the model: no interior optimum") \
    X(ENOMEM,   40, "out of memory")                                          \
    X(EBUFFER,  41, "output buffer too small")                                \
    X(ETOOLONG, 42, "identifier longer than the maximum")                     \
    X(ENOTFOUND, 43, "no such entry")                                         \
    X(EIO,      44, "input/output error")

typedef enum wb_status {
#define WB_STATUS_ENUM_(name, value, msg) WB_##name = (value),
    WB_STATUS_MAP(WB_STATUS_ENUM_)
#undef WB_STATUS_ENUM_
    WB_STATUS_END_ /* not a status; keeps the list comma-safe */
} wb_status;

/* A static, human-readable message for a status code; "unknown status" for
 * a value this version does not know. Never NULL. */
WB_API const char *wb_strerror(int status);
/* The code's name without prefix ("EINVAL"), or "UNKNOWN". Never NULL. */
WB_API const char *wb_error_name(int status);

/* Runtime version, to compare with WB_VERSION_NUMBER / WB_VERSION_STRING. */
WB_API unsigned wb_version_number(void);
WB_API const char *wb_version_string(void);

/* ------------------------------------------------------------------------
 * Days (units of R1)
 * --------------------------------------------------------------------- */
#define WB_DAY_MIN (-719162)   /* 0001-01-01 */
#define WB_DAY_MAX 2932896     /* 9999-12-31 */
#define WB_DAY_NONE INT32_MIN  /* no such day: never bought, never contacted */
#define WB_DATE_BUFSIZE 11     /* "YYYY-MM-DD" and its NUL */

/* Day number of a calendar date; year 1..9999, month 1..12, day 1..31 and
 * valid for that month (29 February only in leap years).
 * Errors: WB_EMISUSE (day NULL), WB_EDATE. */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_day_from_ymd(int32_t year, int32_t month, int32_t mday, int32_t *day);

/* Calendar date of a day number in WB_DAY_MIN..WB_DAY_MAX.
 * Errors: WB_EMISUSE, WB_EDATE (day out of range). */
WB_API WB_NODISCARD WB_NONNULL(2, 3, 4)
int wb_day_to_ymd(int32_t day, int32_t *year, int32_t *month, int32_t *mday);

/* Parses exactly `len` bytes as "YYYY-MM-DD" or "YYYYMMDD" (no sign, no
 * spaces, ASCII digits only). Errors: WB_EMISUSE, WB_ESYNTAX (not one of
 * the two shapes), WB_EDATE (shape right, date impossible, e.g. 2025-02-29
 * or 2024-13-01, or year 0000). */
WB_API WB_NODISCARD WB_NONNULL(1, 3)
int wb_day_parse(const char *text, size_t len, int32_t *day);

/* Writes "YYYY-MM-DD" and a NUL into buf (at least WB_DATE_BUFSIZE bytes).
 * Errors: WB_EMISUSE, WB_EBUFFER (size too small), WB_EDATE. */
WB_API WB_NODISCARD WB_NONNULL(2)
int wb_day_format(int32_t day, char *buf, size_t size);

/* ------------------------------------------------------------------------
 * Enumerations. Stored as int32_t in structs so their size is fixed.
 * --------------------------------------------------------------------- */

/* R1 recency classes, in order of time since the last purchase. */
enum wb_class {
    WB_CLASS_NEVER = 0,   /* no purchase at all */
    WB_CLASS_ACTIVE = 1,  /* d < watch_days */
    WB_CLASS_WATCH = 2,   /* watch_days <= d < tier1_days */
    WB_CLASS_TIER1 = 3,   /* tier1_days <= d < tier2_days */
    WB_CLASS_TIER2 = 4,   /* tier2_days <= d < tier3_days */
    WB_CLASS_TIER3 = 5    /* d >= tier3_days */
};

/* R2 rounding of a discount amount to the minor unit. */
enum wb_rounding {
    WB_ROUND_HALF_UP = 0, /* half a minor unit and more rounds up (default) */
    WB_ROUND_DOWN = 1,    /* towards zero: the smaller discount */
    WB_ROUND_UP = 2       /* away from zero: the larger discount */
};

/* R7 escalation: who makes the contact. Never the employee who lost the
 * customer (the plan names that employee in avoid_employee). */
enum wb_escalation {
    WB_ESCALATE_AUTOMATED = 1,      /* an automated message */
    WB_ESCALATE_OTHER_MANAGER = 2,  /* another account manager */
    WB_ESCALATE_HEAD_OF_DEPT = 3,   /* the head of department */
    WB_ESCALATE_COMPANY_HEAD = 4,   /* the head of the company */
    WB_ESCALATE_NO_ACTIVE = 5       /* no active win-back: cool off, soft contact */
};

/* R8/R9 reasons for leaving. */
enum wb_reason {
    WB_REASON_UNKNOWN = 0,
    WB_REASON_PRICE = 1,
    WB_REASON_SERVICE = 2,
    WB_REASON_FORGOT = 3,
    WB_REASON_LOST_INTEREST = 4,
    WB_REASON_QUALITY = 5,
    WB_REASON_MOVED = 6,            /* moved where the company does not serve */
    WB_REASON_BUSINESS_CHANGED = 7, /* closed or changed the business */
    WB_REASON_MANAGER_CHANGED = 8,  /* their manager or ours changed */
    WB_REASON_CONFLICT = 9          /* a conflict with staff */
};
#define WB_REASON_COUNT 10

/* R8 approach: what the contact offers. */
enum wb_approach {
    WB_APPROACH_NONE = 0,             /* nothing to do */
    WB_APPROACH_ASK_WHY = 1,          /* reason unknown: find out first */
    WB_APPROACH_PRICE_MATCH = 2,      /* price-match offer and the ladder */
    WB_APPROACH_PERSONAL_CALL = 3,    /* manager's call, apology, free delivery */
    WB_APPROACH_REMINDER = 4,         /* reminder with what is new */
    WB_APPROACH_RELATED_PRODUCTS = 5, /* related products */
    WB_APPROACH_SHOW_CHANGES = 6,     /* show what changed: certificates, visit */
    WB_APPROACH_KEEP_IN_TOUCH = 7,    /* soft contact only, no campaign */
    WB_APPROACH_APOLOGY = 8           /* lost twice: one letter of apology, no offer */
};

/* R8 channel (revision 2): how the contact is made. The policy maps each
 * escalation, and the lost-twice apology, to one (docs/decision.md). */
enum wb_channel {
    WB_CHANNEL_NONE = 0,    /* no contact is due */
    WB_CHANNEL_EMAIL = 1,   /* an e-mail (automated messages, newsletters) */
    WB_CHANNEL_PHONE = 2,   /* a phone call; a voicemail naming the superior */
    WB_CHANNEL_LETTER = 3,  /* a personal letter, signed by whoever escalates */
    WB_CHANNEL_MEETING = 4  /* a personal meeting */
};

/* What the plan says to do. */
enum wb_action {
    WB_ACTION_NONE = 0,    /* active customer: nothing to do */
    WB_ACTION_MONITOR = 1, /* watch class: start monitoring */
    WB_ACTION_WINBACK = 2, /* active win-back */
    WB_ACTION_SOFT = 3,    /* soft contact only (see the soft reasons) */
    WB_ACTION_EXCLUDE = 4  /* do not win back (see the hard reasons) */
};

/* R8 reasons not to win back, as bits of wb_plan.reasons. Hard reasons
 * exclude the customer; soft ones allow a soft "keep in touch" contact only. */
#define WB_EXCL_LOST_TWICE     (1u << 0)  /* hard: lost, returned, lost again */
#define WB_EXCL_TOXIC          (1u << 1)  /* hard: host flag or complaint pattern */
#define WB_EXCL_UNECONOMIC     (1u << 2)  /* hard: CLV below the R4 ratio */
#define WB_EXCL_NO_MARGIN      (1u << 3)  /* hard: zero or negative margin */
#define WB_EXCL_BAD_PAYER      (1u << 4)  /* hard: chronic bad payer */
#define WB_EXCL_OUT_OF_TARGET  (1u << 5)  /* hard: outside the target audience */
#define WB_EXCL_OUT_OF_AREA    (1u << 6)  /* soft: left for reasons outside our control */
#define WB_EXCL_COOLING_OFF    (1u << 7)  /* soft: severity 5, cooling-off pause */
#define WB_EXCL_HARD_MASK      0x3Fu
#define WB_EXCL_ALL_MASK       0xFFu

/* R9 signals of a lost customer, as bits of wb_plan.signals. */
#define WB_SIGNAL_RECENCY        (1u << 0) /* at or past the policy's lost threshold */
#define WB_SIGNAL_DETRACTOR      (1u << 1) /* NPS 0..nps_detractor_max */
#define WB_SIGNAL_CONFLICT       (1u << 2) /* a conflict with staff */
#define WB_SIGNAL_REQUESTS       (1u << 3) /* the customer's own requests: more
                                              than N, and no purchase (revision 2) */
#define WB_SIGNAL_IGNORED_CONTACTS WB_SIGNAL_REQUESTS /* 0.1's name for the bit */

/* Customer flags (wb_customer.flags). */
#define WB_CUST_HUMAN_FACTOR  (1u << 0) /* the incident was a person's failure */
#define WB_CUST_TOXIC         (1u << 1) /* host: rude or abusive, do not contact */
#define WB_CUST_OUT_OF_AREA   (1u << 2) /* outside the area the company serves */
#define WB_CUST_REACHABLE     (1u << 3) /* still reachable despite moving/closing */
#define WB_CUST_BAD_PAYER     (1u << 4) /* chronic bad payer */
#define WB_CUST_OUT_OF_TARGET (1u << 5) /* outside the target audience */
#define WB_CUST_STAFF_CONFLICT (1u << 6) /* had a conflict with staff (R9) */
#define WB_CUST_STRATEGIC     (1u << 7) /* strategic, for the company's image: no
                                           R4 gate, weighted priority (R8, 0.2) */
#define WB_CUST_ALL_MASK      0xFFu

/* R10 health of the base. */
enum wb_health {
    WB_HEALTH_NORMAL = 0,   /* churn <= churn_normal_max_bp */
    WB_HEALTH_ELEVATED = 1, /* between the two thresholds */
    WB_HEALTH_ACT = 2       /* churn >= churn_act_min_bp: a reason to act */
};

/* Names for the enumerations above: static strings, never NULL; "unknown"
 * for a value outside the enumeration. wb_exclusion_name takes one bit. */
WB_API const char *wb_class_name(int cls);
WB_API const char *wb_escalation_name(int level);
WB_API const char *wb_reason_name(int reason);
WB_API const char *wb_approach_name(int approach);
WB_API const char *wb_channel_name(int channel);
WB_API const char *wb_action_name(int action);
WB_API const char *wb_exclusion_name(uint32_t bit);
WB_API const char *wb_signal_name(uint32_t bit);
WB_API const char *wb_severity_name(int severity);
WB_API const char *wb_health_name(int health);

/* ------------------------------------------------------------------------
 * Policy: every number of the rules, changeable by the host.
 *
 * Build one with wb_policy_init() (the rules' defaults), change fields or
 * use wb_policy_set() by key, and check it with wb_policy_validate(). Every
 * function that takes a policy validates it and returns WB_EPOLICY for a
 * bad one; none falls back to a default silently.
 * The defaults, ranges and sources are written once, in the library's
 * field table; docs/policy.md lists them (checked against the table by
 * make check), and wb_policy_get / wb_policy_range report them at run time.
 * FFI users who do not want the layout: allocate wb_policy_size() bytes and
 * use wb_policy_init / wb_policy_set / wb_policy_get by key name.
 * --------------------------------------------------------------------- */
typedef struct wb_policy {
    uint32_t size;                /* sizeof(wb_policy), set by wb_policy_init */
    /* R1 recency windows (days), strictly increasing, 1..WB_POLICY_MAX_DAYS */
    int32_t watch_days;           /* start monitoring */
    int32_t tier1_days;           /* win-back tiers 1, 2 and 3 start here */
    int32_t tier2_days;
    int32_t tier3_days;
    int32_t lost_class;           /* wb_class whose lower bound is "lost" (R6, R9) */
    /* R2 discount ladder (bp), non-decreasing, 0..10000 */
    int32_t ladder_tier1_bp;
    int32_t ladder_tier2_bp;
    int32_t ladder_tier3_bp;
    int32_t rounding;             /* wb_rounding of a discount amount */
    uint32_t discount_reasons;    /* bit (1 << reason) where the ladder applies */
    /* R4 */
    int32_t min_clv_ratio_bp;     /* CLV must be at least this share of the cost */
    /* R6 */
    int32_t lost_twice_count;     /* losses that exclude for good */
    /* R7 difficulty and escalation */
    int32_t severity_difficulty_bp[5]; /* difficulty of severity 1..5 */
    int32_t human_factor_bp;      /* multiplier when a person failed */
    int32_t incident_age_bp_per_30d; /* added per 30 days since the incident */
    int32_t escalation[5];        /* severity 1..5 -> wb_escalation */
    int32_t cooling_off_days;     /* pause after a severity-5 incident */
    /* R8 */
    int32_t toxic_complaints;     /* complaints ... */
    int32_t toxic_discount_demands; /* ... and discount demands: toxic */
    int32_t min_recontact_days;   /* a repeat contact no sooner */
    int32_t cart_reminder_days[3]; /* the three abandoned-cart reminders */
    int32_t newsletter_days;      /* between two newsletters */
    /* R9 */
    int32_t nps_detractor_max;    /* NPS 0..this is a detractor */
    int32_t max_contacts_without_purchase; /* more of the customer's own requests
                                     (wb_customer.requests), no purchase: lost */
    /* R10 (bp of the base per year) */
    int32_t churn_normal_max_bp;  /* churn up to this is normal */
    int32_t churn_act_min_bp;     /* churn from this on is a reason to act */
    /* R11 */
    int32_t writeoff_min_bp;      /* share of a debt written off on return, */
    int32_t writeoff_max_bp;      /* from the lowest score to the highest */
    int32_t reminder_lead_days;   /* a reminder this long before a due date */
    /* Used with the extras tier's BG/NBD model */
    int32_t sleeping_p_alive_bp;  /* a lapsed customer still alive with at
                                     least this probability is "sleeping":
                                     a reminder, not a discount */
    /* R6, revision 2 (appended in 0.2, in what was reserved space) */
    int32_t loss_rhythm_factor;   /* a completed gap is a loss only when it is
                                     also this many times the median of the
                                     customer's other gaps; 0: threshold only */
    /* R7, revision 2 */
    int32_t unrated_escalation;   /* wb_escalation when no severity is recorded
                                     but the reason is service or conflict, or
                                     a person failed (WB_CUST_HUMAN_FACTOR) */
    /* R9, revision 2 */
    int32_t lost_by_signal;       /* 1: a customer not lapsed by recency who is a
                                     detractor, had a conflict or made too many
                                     requests is lost and gets a win-back plan */
    /* R8, revision 2 (0.1's reserved[5]: the size is unchanged) */
    int32_t priority_decay_days;  /* the priority halves this many days past
                                     the lost threshold (D / (D + days past));
                                     0: no decay */
    int32_t offer_valid_days;     /* a win-back offer expires this many days
                                     after the earliest contact */
    int32_t strategic_weight_bp;  /* a strategic customer's priority counts
                                     their whole CLV times this, cost not
                                     subtracted */
    uint8_t channel[8];           /* wb_channel of escalations 1..4 (automated,
                                     other manager, head of department, company
                                     head), then of the apology; [5..7] zero */
} wb_policy;

#define WB_POLICY_MAX_DAYS 36500  /* no window beyond 100 years */

/* Sets every field to its default (docs/policy.md). Errors: WB_EMISUSE. */
WB_API WB_NODISCARD WB_NONNULL(1) int wb_policy_init(wb_policy *policy);
/* sizeof(wb_policy) for FFI users. */
WB_API size_t wb_policy_size(void);

/* Checks every field's range and the cross-field rules (windows strictly
 * increasing, ladder and escalation non-decreasing, thresholds ordered).
 * On WB_EPOLICY, *bad_key (if bad_key is not NULL) names the first
 * offending field as its wb_policy_set key. Errors: WB_EMISUSE, WB_ESTRUCT
 * (size field wrong: not made by wb_policy_init), WB_EPOLICY. */
WB_API WB_NODISCARD WB_NONNULL(1)
int wb_policy_validate(const wb_policy *policy, const char **bad_key);

/* Sets or reads one field by its key, e.g. "tier1_days",
 * "ladder_tier2_bp", "severity3_difficulty_bp", "escalation5",
 * "cart_reminder2_days". wb_policy_set checks the field's own range (not
 * the cross-field rules: validate after the last set). The key list is in
 * docs/policy.md and enumerable with wb_policy_key().
 * Errors: WB_EMISUSE, WB_ESTRUCT, WB_EKEY (unknown key), WB_EPOLICY (value
 * outside the field's range; the policy is unchanged). */
WB_API WB_NODISCARD WB_NONNULL(1, 2)
int wb_policy_set(wb_policy *policy, const char *key, int64_t value);
WB_API WB_NODISCARD WB_NONNULL(1, 2, 3)
int wb_policy_get(const wb_policy *policy, const char *key, int64_t *value);

/* The i-th key (0-based) or NULL past the last one. */
WB_API const char *wb_policy_key(size_t index);

/* The range a field accepts on its own (cross-field rules aside), so that
 * a host can build a policy editor without repeating the table.
 * Errors: WB_EMISUSE, WB_EKEY. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 3)
int wb_policy_range(const char *key, int64_t *min, int64_t *max);

/* ------------------------------------------------------------------------
 * R1 recency and R2 discount ladder
 * --------------------------------------------------------------------- */

/* Class of a customer whose last purchase was `last_purchase` (or
 * WB_DAY_NONE: WB_CLASS_NEVER) as of day `as_of`. *days_since gets
 * as_of - last_purchase, or -1 for WB_CLASS_NEVER; days_since may be NULL.
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_EDATE (a day outside
 * WB_DAY_MIN..WB_DAY_MAX), WB_EFUTURE (last_purchase > as_of). */
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_classify(const wb_policy *policy, int32_t last_purchase, int32_t as_of,
                int32_t *cls, int32_t *days_since);

/* The ladder's discount for a class: tier1/2/3 -> the policy's ladder,
 * every other class -> 0. Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT,
 * WB_EINVAL (not a wb_class). */
WB_API WB_NODISCARD WB_NONNULL(1, 3)
int wb_ladder_bp(const wb_policy *policy, int32_t cls, int32_t *discount_bp);

/* Applies a discount of `discount_bp` (0..10000) to `price` (>= 0, minor
 * units): *discount = price * bp / 10000 rounded by `rounding`,
 * *final_price = price - *discount. Exact for every int64 price; either
 * out-pointer may be NULL, not both. Errors: WB_EMISUSE, WB_EINVAL
 * (negative price, bp or rounding out of range). */
WB_API WB_NODISCARD
int wb_discount_apply(int64_t price, int32_t discount_bp, int32_t rounding,
                      int64_t *discount, int64_t *final_price);

/* ------------------------------------------------------------------------
 * R3 customer lifetime value, R4 the 150 % gate, R5 ROMI
 * All products are exact or WB_ERANGE; nothing wraps.
 * --------------------------------------------------------------------- */

/* avg_check * purchases_per_year * years ([Rules]: 500 * 10 * 5 = 25 000).
 * Errors: WB_EMISUSE, WB_EINVAL (any input negative), WB_ERANGE. */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_clv_simple(int64_t avg_check, int32_t purchases_per_year,
                  int32_t years, int64_t *clv);

/* The same with a fractional purchase rate in hundredths per year
 * (235 = 2.35 purchases a year), rounded half up to the minor unit. */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_clv_centi(int64_t avg_check, int32_t purchases_per_year_x100,
                 int32_t years, int64_t *clv);

/* value * margin_bp / 10000, rounded half away from zero: CLV on margin.
 * margin_bp -10000..10000; any value, INT64_MIN included. Errors:
 * WB_EMISUSE, WB_EINVAL, WB_ERANGE (only INT64_MIN at -10000: 2^63). */
WB_API WB_NODISCARD WB_NONNULL(3)
int wb_apply_margin(int64_t value, int32_t margin_bp, int64_t *out);

/* Value to date: the sum of what the customer paid (amounts >= 0).
 * n = 0 gives 0; amounts may be NULL only when n = 0.
 * Errors: WB_EMISUSE, WB_EINVAL (negative amount), WB_ERANGE. */
WB_API WB_NODISCARD WB_NONNULL(3)
int wb_value_to_date(const int64_t *amounts, size_t n, int64_t *total);

/* Value of a lost base: lost_customers * clv ([Rules]: 100 * 25 000).
 * Errors: WB_EMISUSE, WB_EINVAL (negative), WB_ERANGE. */
WB_API WB_NODISCARD WB_NONNULL(3)
int wb_clv_lost_base(int64_t lost_customers, int64_t clv, int64_t *value);

/* R4: *worth = 1 when clv * 10000 >= cost * min_ratio_bp, else 0, compared
 * exactly (no overflow for any int64). cost >= 0, min_ratio_bp >= 0.
 * Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_winback_worth(int64_t clv, int64_t cost, int32_t min_ratio_bp,
                     int32_t *worth);

/* R5: ROMI = (income * margin_bp / 10000 - spend) / spend, in basis points
 * rounded half away from zero. income >= 0, spend > 0, margin_bp 0..10000
 * (10000: income is revenue). Exact for every int64 input.
 * Errors: WB_EMISUSE, WB_EINVAL, WB_EZERO (spend 0), WB_ERANGE (ROMI above
 * INT64_MAX bp). */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_romi_bp(int64_t income, int64_t spend, int32_t margin_bp,
               int64_t *romi_bp);

/* ------------------------------------------------------------------------
 * R6 losses from a purchase history
 * --------------------------------------------------------------------- */
typedef struct wb_history {
    int32_t returns;        /* completed gaps that were losses: lost, then came back */
    int32_t currently_lost; /* 1 when as_of - last >= the lost threshold */
    int32_t losses;         /* returns + currently_lost */
    int32_t sensitive;      /* 1 when returned at least once (rule 12) */
} wb_history;

/* Derives losses from purchase days sorted ascending (equal days are one
 * visit), by R6 of revision 2. A completed gap -- between two consecutive
 * distinct purchase days -- is a loss followed by a return when it is at
 * least the policy's lost threshold (the lower bound of lost_class) AND at
 * least loss_rhythm_factor times the median of the customer's OTHER
 * completed gaps (for an even number of them, the mean of the middle two),
 * compared exactly. So a customer who buys every four months is not "lost
 * and won back" three times a year: a gap is a loss only against the
 * customer's own rhythm. With a single completed gap the rhythm is unknown
 * and no gap counts; a factor of 0 gives the threshold-only count. The
 * current gap, to as_of, is a current loss when it reaches the threshold.
 * A seasonal buyer's yearly gaps are its rhythm, not losses; a host with
 * its own loss record passes it in wb_customer.returns instead.
 * n = 0 gives all zeros (never bought is not lost). Needs no memory: the
 * order statistics are found by bisection over the gaps, O(n log range).
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_EDATE, WB_EORDER,
 * WB_EFUTURE (a purchase after as_of). */
WB_API WB_NODISCARD WB_NONNULL(1, 5)
int wb_history_losses(const wb_policy *policy, const int32_t *days, size_t n,
                      int32_t as_of, wb_history *out);

/* R13 (0.2): when each of those losses happened. A loss is dated by the
 * day the customer crossed the lost threshold: the purchase before the gap
 * plus the threshold's days. */
typedef struct wb_loss_event {
    int32_t last_purchase;  /* the purchase before the gap */
    int32_t lost_day;       /* last_purchase + the lost threshold */
    int32_t returned_day;   /* the purchase that ended the gap (rule 11), or
                               WB_DAY_NONE: still lost as of as_of */
    int32_t reserved;       /* zero */
} wb_loss_event;

/* The losses wb_history_losses counts, in order: one event per completed
 * gap that is a loss and a return, then the current loss if there is one.
 * Writes the first min(count, cap) events and sets *count to how many
 * there are (events may be NULL when cap is 0, to count them first): a
 * history of n days has at most n events. Same input rules and errors as
 * wb_history_losses; needs no memory. */
WB_API WB_NODISCARD WB_NONNULL(1, 7)
int wb_history_events(const wb_policy *policy, const int32_t *days, size_t n,
                      int32_t as_of, wb_loss_event *events, size_t cap,
                      size_t *count);

/* ------------------------------------------------------------------------
 * R7 severity 1..5
 * --------------------------------------------------------------------- */

/* Who should make the contact for a severity (policy's escalation).
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_ESEVERITY. */
WB_API WB_NODISCARD WB_NONNULL(1, 3)
int wb_severity_escalation(const wb_policy *policy, int32_t severity,
                           int32_t *level);

/* How hard the return will be, 0..10000 bp:
 *   min(10000, severity_difficulty_bp[severity] * (human ? human_factor_bp
 *        : 10000) / 10000 + incident_age_bp_per_30d * days_since / 30).
 * days_since_incident >= 0 (0 when unknown). The weights are project
 * defaults (docs/severity.md). Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT,
 * WB_ESEVERITY, WB_EINVAL (negative days). */
WB_API WB_NODISCARD WB_NONNULL(1, 5)
int wb_difficulty_bp(const wb_policy *policy, int32_t severity,
                     int32_t human_factor, int32_t days_since_incident,
                     int32_t *difficulty_bp);

/* ------------------------------------------------------------------------
 * R8 approach and contact cadence, R9 signals
 * --------------------------------------------------------------------- */

/* The approach for a reason for leaving; `reachable` matters only for
 * MOVED and BUSINESS_CHANGED (KEEP_IN_TOUCH unless reachable).
 * Errors: WB_EMISUSE, WB_EINVAL (not a wb_reason). */
WB_API WB_NODISCARD WB_NONNULL(3)
int wb_reason_approach(int32_t reason, int32_t reachable, int32_t *approach);

/* Earliest day a repeat contact is allowed: max(as_of, last_contact +
 * min_recontact_days); last_contact may be WB_DAY_NONE (never contacted:
 * as_of). *allowed_now = 1 when that day is as_of (may be NULL).
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_EDATE, WB_EFUTURE (the last
 * contact after as_of). */
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_next_contact(const wb_policy *policy, int32_t last_contact,
                    int32_t as_of, int32_t *next_day, int32_t *allowed_now);

/* Day of the n-th (0, 1, 2) abandoned-cart reminder. Errors: WB_EMISUSE,
 * WB_EPOLICY, WB_ESTRUCT, WB_EINVAL (n), WB_EDATE. */
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_cart_reminder_day(const wb_policy *policy, int32_t abandoned_day,
                         int32_t n, int32_t *day);

/* Day of the next newsletter after `last_sent` (newsletter_days later).
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_EDATE. */
WB_API WB_NODISCARD WB_NONNULL(1, 3)
int wb_newsletter_day(const wb_policy *policy, int32_t last_sent, int32_t *day);

/* ------------------------------------------------------------------------
 * R10 health of the base, R11 money owed (write-off, due dates)
 * --------------------------------------------------------------------- */

/* Churn over a year: lost / customers_at_start in bp (rounded half up) and
 * its health class. 0 <= lost <= customers_at_start, customers_at_start > 0.
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_EINVAL, WB_EZERO. */
WB_API WB_NODISCARD WB_NONNULL(1, 4, 5)
int wb_base_health(const wb_policy *policy, int64_t customers_at_start,
                   int64_t lost, int32_t *churn_bp, int32_t *health);

/* Debt written off on return: debt * (writeoff_min_bp + (writeoff_max_bp -
 * writeoff_min_bp) * score_bp / 10000) / 10000, rounded half up. The host's
 * score 0..10000 combines tenure, volume and payment record ([Rules] names
 * them, gives no formula). Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT,
 * WB_EINVAL (debt < 0, score out of range). */
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_debt_writeoff(const wb_policy *policy, int64_t debt, int32_t score_bp,
                     int64_t *writeoff);

/* Day to remind a customer of a due date: due_day - reminder_lead_days.
 * Errors: WB_EMISUSE, WB_EPOLICY, WB_ESTRUCT, WB_EDATE. */
WB_API WB_NODISCARD WB_NONNULL(1, 3)
int wb_due_reminder_day(const wb_policy *policy, int32_t due_day, int32_t *day);

/* ------------------------------------------------------------------------
 * The decision call: what a CRM knows about one customer -> the whole plan
 * --------------------------------------------------------------------- */
#define WB_MONEY_NONE INT64_MIN /* "not known": compute it instead */
#define WB_NPS_NONE (-1)

typedef struct wb_customer {
    uint32_t size;            /* sizeof(wb_customer), set by wb_customer_init */
    uint32_t flags;           /* WB_CUST_* bits */
    int32_t last_purchase;    /* day, or WB_DAY_NONE (never bought) */
    int32_t returns;          /* times lost and returned (R6), >= 0 */
    int32_t severity;         /* 0 = no incident recorded, else 1..5 */
    int32_t incident_day;     /* day of the incident, or WB_DAY_NONE */
    int32_t reason;           /* wb_reason */
    int32_t complaints;       /* complaints made, >= 0 */
    int32_t discount_demands; /* discount demands made, >= 0 */
    int32_t nps;              /* 0..10, or WB_NPS_NONE */
    int32_t contacts_since_purchase; /* our contacts since the last purchase */
    int32_t margin_bp;        /* -10000..10000; 10000 (default): CLV is revenue */
    int32_t purchases_per_year_x100; /* >= 0, hundredths: 250 = 2.5 a year */
    int32_t expected_years;   /* >= 0, remaining lifetime for CLV */
    int32_t last_contact;     /* day of our last contact, or WB_DAY_NONE */
    int32_t requests;         /* the customer's own requests (calls, quotes,
                                 visits) since the last purchase, >= 0 (R9,
                                 revision 2; 0.1's reserved0) */
    int64_t avg_check;        /* >= 0, minor units */
    int64_t clv;              /* >= 0 to use the host's own CLV (on margin);
                                 WB_MONEY_NONE (default): computed */
    int64_t winback_cost;     /* >= 0, what this win-back costs */
    int64_t lost_by_employee; /* id of who lost the customer, 0 = unknown */
    int64_t reserved[4];      /* zero */
} wb_customer;

typedef struct wb_plan {
    uint32_t size;            /* sizeof(wb_plan) */
    uint32_t reasons;         /* WB_EXCL_* bits: every reason found */
    uint32_t signals;         /* WB_SIGNAL_* bits */
    int32_t cls;              /* wb_class */
    int32_t days_since;       /* days since the last purchase, -1 if never */
    int32_t action;           /* wb_action */
    int32_t discount_bp;      /* 0 unless action is WINBACK and the ladder applies */
    int32_t escalation;       /* wb_escalation */
    int32_t approach;         /* wb_approach */
    int32_t earliest_contact; /* day, or WB_DAY_NONE when no contact is due */
    int32_t sensitive;        /* 1: returned before, handle with care (rule 12) */
    int32_t difficulty_bp;    /* 0..10000 (wb_difficulty_bp) */
    int64_t clv;              /* the CLV used for the gate (on margin) */
    int64_t priority;         /* ranking score, larger first; 0 unless WINBACK */
    int64_t avoid_employee;   /* must not make the contact; 0 = unknown */
    int32_t channel;          /* wb_channel; WB_CHANNEL_NONE when no contact is due
                                 (0.2, in what was reserved) */
    int32_t offer_expires;    /* day the WINBACK offer expires, or WB_DAY_NONE */
    int64_t reserved[1];
} wb_plan;

/* Fills a customer with "nothing known": never bought, no incident, reason
 * unknown, NPS unknown, margin 10000, CLV computed, all counts 0.
 * Errors: WB_EMISUSE. */
WB_API WB_NODISCARD WB_NONNULL(1) int wb_customer_init(wb_customer *customer);
WB_API size_t wb_customer_size(void);
WB_API size_t wb_plan_size(void);

/* The whole plan for one customer as of `as_of` (docs/decision.md).
 * Order of evaluation:
 *  1. class and days since (R1);
 *  2. CLV: customer->clv, or avg_check * rate * years on margin (R3);
 *  3. difficulty and escalation (R7; no severity but a service or conflict
 *     reason, or a person failed: unrated_escalation);
 *  4. signals (R9); a customer not lapsed by recency with a detractor,
 *     conflict or requests signal is lost by signal (lost_by_signal);
 *  5. every exclusion reason (R8), for lost customers only: hard ones make
 *     the action EXCLUDE, soft ones SOFT; the R4 gate never excludes a
 *     WB_CUST_STRATEGIC customer;
 *  6. otherwise ACTIVE -> NONE, WATCH -> MONITOR, lost -> WINBACK;
 *  7. the contact, for WINBACK, SOFT and rule 13's apology to a lost-twice
 *     customer who is not toxic: earliest contact (cadence, cooling-off
 *     pause), approach, channel (the policy's map); for WINBACK also the
 *     ladder's discount (reason in discount_reasons), the offer's expiry
 *     (earliest contact + offer_valid_days) and the priority: the net value
 *     (a strategic customer's CLV times strategic_weight_bp), times 1 -
 *     difficulty, times D / (D + days past the lost threshold); a score in
 *     minor units that saturates at INT64_MAX.
 * On error *plan is unchanged. Errors: WB_EMISUSE, WB_ESTRUCT, WB_EPOLICY,
 * WB_EDATE (a day the plan would name past 9999-12-31), WB_EFUTURE (last
 * purchase, incident or contact after as_of), WB_ESEVERITY, WB_EINVAL (any
 * other field out of range), WB_ERANGE (the CLV overflows). Reentrant: reads
 * the policy and the customer, writes only *plan, allocates nothing. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 4)
int wb_decide(const wb_policy *policy, const wb_customer *customer,
              int32_t as_of, wb_plan *plan);

/* ------------------------------------------------------------------------
 * Batch calls, for FFI hosts (0.2; docs/ffi.md)
 *
 * One call over whole arrays: the policy is validated once, and each row
 * gets its own status in status[i] (a wb_status), so one bad row does not
 * fail the table. The caller owns every array, sized n; nothing is kept.
 * The call itself fails only for a bad policy (WB_EPOLICY, WB_ESTRUCT) or
 * missing arrays (WB_EMISUSE), before writing anything; *failed (may be
 * NULL) counts the rows whose status is not WB_OK. Reentrant.
 * --------------------------------------------------------------------- */

/* wb_decide for customers[i] into plans[i]; plans[i] is written only when
 * status[i] is WB_OK. */
WB_API WB_NODISCARD
int wb_decide_many(const wb_policy *policy, const wb_customer *customers,
                   size_t n, int32_t as_of, wb_plan *plans, int32_t *status,
                   size_t *failed);

/* wb_classify and wb_ladder_bp for each last purchase day (WB_DAY_NONE:
 * never bought); cls required, days_since and discount_bp may be NULL;
 * row i's outputs are written only when status[i] is WB_OK. */
WB_API WB_NODISCARD
int wb_classify_many(const wb_policy *policy, const int32_t *last_purchase,
                     size_t n, int32_t as_of, int32_t *cls, int32_t *days_since,
                     int32_t *discount_bp, int32_t *status, size_t *failed);

/* ------------------------------------------------------------------------
 * Layout check, for bindings (0.2; docs/ffi.md)
 *
 * A binding that declares wb_customer and wb_plan in its own language calls
 * these once at load time and refuses a library whose layout differs from
 * the one it was written for, instead of corrupting memory.
 * --------------------------------------------------------------------- */
#define WB_LAYOUT_VERSION 2   /* changes whenever a field of wb_customer or
                                 wb_plan moves, grows or changes meaning */
WB_API uint32_t wb_layout_version(void);
/* sizeof the struct named `type` ("wb_customer", "wb_plan").
 * Errors: WB_EMISUSE, WB_ENOTFOUND (another name). */
WB_API WB_NODISCARD int wb_layout_size(const char *type, size_t *size);
/* The index-th field of `type`, in declaration order: its name (a static
 * string), byte offset and size. WB_ENOTFOUND past the last field.
 * Errors: WB_EMISUSE, WB_ENOTFOUND. */
WB_API WB_NODISCARD int wb_layout_field(const char *type, size_t index,
                                        const char **name, size_t *offset,
                                        size_t *size);

/* ------------------------------------------------------------------------
 * Amounts in text
 * --------------------------------------------------------------------- */
#define WB_AMOUNT_COMMA 1u /* accept ',' as the decimal separator too */
#define WB_AMOUNT_ROUND 2u /* round extra decimals half up instead of failing */

/* Parses exactly `len` bytes as a decimal amount into minor units with
 * `decimals` (0..9) digits after the separator: "12.5" with 2 -> 1250.
 * An optional sign, digits, optionally '.' (or ',' with WB_AMOUNT_COMMA)
 * and digits; no spaces, no thousands separators, no exponent. No floating
 * point is involved, so the result is exact.
 * Errors: WB_EMISUSE, WB_EINVAL (decimals or flags), WB_ESYNTAX, WB_ERANGE
 * (beyond int64, or more decimals than `decimals` without WB_AMOUNT_ROUND). */
WB_API WB_NODISCARD WB_NONNULL(1, 5)
int wb_amount_parse(const char *text, size_t len, int32_t decimals,
                    uint32_t flags, int64_t *minor);

#ifdef __cplusplus
}
#endif
#endif /* WINBACK_CORE_H */
