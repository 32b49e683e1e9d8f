/*
 * policy.c -- the policy: defaults, field table, validation, access by key.
 *
 * One list describes every field (key, member, default, range). It
 * becomes the table that wb_policy_init fills from and wb_policy_set and
 * wb_policy_get search for FFI hosts and policy files, and the range checks
 * of wb_policy_validate, which then checks the rules that tie fields
 * together. Every field is a 32-bit integer but the channel map, bytes at
 * the end of the struct (revision 2 had five reserved int32 to fill): the
 * offset tells which, so the list needs no type column.
 */
#include "core/internal.h"

#define MAX_DAYS WB_POLICY_MAX_DAYS
#define REASON_MASK ((1u << WB_REASON_COUNT) - 1u)

typedef struct field {
    const char *key;
    int32_t def, min, max;      /* every range fits int32 */
    uint16_t offset;
} field;

/* Every field once: key, member, default, range. The defaults are the
 * rules' (docs/policy.md gives each one's source; make check compares that
 * table with this one). The list builds
 * the table that wb_policy_init fills from and wb_policy_set/get search,
 * and the straight-line range checks of wb_policy_validate, which every
 * policy-taking call runs (so on hosts it must be cheap: no loop over a
 * table, constants in the code; size-first builds loop over the table). */
#define WB_POLICY_FIELDS(X)                                                   \
    X("watch_days", watch_days, 30, 1, MAX_DAYS)                              \
    X("tier1_days", tier1_days, 90, 1, MAX_DAYS)                              \
    X("tier2_days", tier2_days, 180, 1, MAX_DAYS)                             \
    X("tier3_days", tier3_days, 360, 1, MAX_DAYS)                             \
    X("lost_class", lost_class, WB_CLASS_TIER1, WB_CLASS_WATCH, WB_CLASS_TIER3) \
    X("ladder_tier1_bp", ladder_tier1_bp, 1000, 0, WB_BP_ONE)                 \
    X("ladder_tier2_bp", ladder_tier2_bp, 1500, 0, WB_BP_ONE)                 \
    X("ladder_tier3_bp", ladder_tier3_bp, 2000, 0, WB_BP_ONE)                 \
    X("rounding", rounding, WB_ROUND_HALF_UP, WB_ROUND_HALF_UP, WB_ROUND_UP)  \
    X("discount_reasons", discount_reasons, DEFAULT_REASONS, 0, REASON_MASK)  \
    X("min_clv_ratio_bp", min_clv_ratio_bp, 15000, 0, 1000000) /* 100x */    \
    X("lost_twice_count", lost_twice_count, 2, 1, 1000)                       \
    X("severity1_difficulty_bp", severity_difficulty_bp[0], 1000, 0, WB_BP_ONE) \
    X("severity2_difficulty_bp", severity_difficulty_bp[1], 3000, 0, WB_BP_ONE) \
    X("severity3_difficulty_bp", severity_difficulty_bp[2], 5000, 0, WB_BP_ONE) \
    X("severity4_difficulty_bp", severity_difficulty_bp[3], 7500, 0, WB_BP_ONE) \
    X("severity5_difficulty_bp", severity_difficulty_bp[4], 10000, 0, WB_BP_ONE) \
    X("human_factor_bp", human_factor_bp, 15000, WB_BP_ONE, 100000) /* 10x */ \
    X("incident_age_bp_per_30d", incident_age_bp_per_30d, 500, 0, WB_BP_ONE)  \
    X("escalation1", escalation[0], 1, ESC_MIN, ESC_MAX)                      \
    X("escalation2", escalation[1], 2, ESC_MIN, ESC_MAX)                      \
    X("escalation3", escalation[2], 3, ESC_MIN, ESC_MAX)                      \
    X("escalation4", escalation[3], 4, ESC_MIN, ESC_MAX)                      \
    X("escalation5", escalation[4], 5, ESC_MIN, ESC_MAX)                      \
    X("cooling_off_days", cooling_off_days, 90, 0, MAX_DAYS)                  \
    X("toxic_complaints", toxic_complaints, 2, 1, 1000000)                    \
    X("toxic_discount_demands", toxic_discount_demands, 2, 0, 1000000)        \
    X("min_recontact_days", min_recontact_days, 3, 0, MAX_DAYS)               \
    X("cart_reminder1_days", cart_reminder_days[0], 0, 0, MAX_DAYS)           \
    X("cart_reminder2_days", cart_reminder_days[1], 1, 0, MAX_DAYS)           \
    X("cart_reminder3_days", cart_reminder_days[2], 5, 0, MAX_DAYS)           \
    X("newsletter_days", newsletter_days, 60, 1, MAX_DAYS)                    \
    X("nps_detractor_max", nps_detractor_max, 6, 0, 10)                       \
    X("max_contacts_without_purchase", max_contacts_without_purchase, 3, 0, 1000000) \
    X("churn_normal_max_bp", churn_normal_max_bp, 1000, 0, WB_BP_ONE)         \
    X("churn_act_min_bp", churn_act_min_bp, 2000, 0, WB_BP_ONE)               \
    X("writeoff_min_bp", writeoff_min_bp, 1000, 0, WB_BP_ONE)                 \
    X("writeoff_max_bp", writeoff_max_bp, 5000, 0, WB_BP_ONE)                 \
    X("reminder_lead_days", reminder_lead_days, 14, 0, MAX_DAYS)              \
    X("sleeping_p_alive_bp", sleeping_p_alive_bp, 5000, 0, WB_BP_ONE)       \
    X("loss_rhythm_factor", loss_rhythm_factor, 3, 0, 100)                   \
    X("unrated_escalation", unrated_escalation, WB_ESCALATE_HEAD_OF_DEPT, ESC_MIN, WB_ESCALATE_COMPANY_HEAD) \
    X("lost_by_signal", lost_by_signal, 1, 0, 1)                             \
    X("priority_decay_days", priority_decay_days, 90, 0, MAX_DAYS)            \
    X("offer_valid_days", offer_valid_days, 180, 1, MAX_DAYS)                 \
    X("strategic_weight_bp", strategic_weight_bp, 20000, 0, 100000) /* 10x */   \
    X("channel_automated", channel[0], WB_CHANNEL_EMAIL, CH_MIN, CH_MAX)      \
    X("channel_other_manager", channel[1], WB_CHANNEL_PHONE, CH_MIN, CH_MAX)  \
    X("channel_head_of_dept", channel[2], WB_CHANNEL_PHONE, CH_MIN, CH_MAX)   \
    X("channel_company_head", channel[3], WB_CHANNEL_LETTER, CH_MIN, CH_MAX)  \
    X("channel_apology", channel[4], WB_CHANNEL_LETTER, CH_MIN, CH_MAX)

#define ESC_MIN WB_ESCALATE_AUTOMATED
#define ESC_MAX WB_ESCALATE_NO_ACTIVE
#define CH_MIN WB_CHANNEL_EMAIL
#define CH_MAX WB_CHANNEL_MEETING
#define DEFAULT_REASONS ((1 << WB_REASON_PRICE) | (1 << WB_REASON_UNKNOWN))

#define WB_FIELD_ENTRY_(key, member, def, min, max) \
    {key, def, min, max, offsetof(wb_policy, member)},
static const field fields[] = {WB_POLICY_FIELDS(WB_FIELD_ENTRY_)};
#undef WB_FIELD_ENTRY_
#define FIELD_COUNT (sizeof(fields) / sizeof(fields[0]))

/* A field's storage: a byte from the channel map on, 32 bits before it.
 * discount_reasons, the one unsigned 32-bit field, is read as int32 by the
 * range check, where a value of 2^31 or more turns negative and fails its
 * minimum of 0 as it should. */
#define BYTE_FIELDS offsetof(wb_policy, channel)
static const int32_t *int32_at(const wb_policy *p, size_t offset)
{
    return (const int32_t *)(const void *)((const char *)p + offset);
}
static int32_t load(const wb_policy *p, const field *f)
{
    if (f->offset >= BYTE_FIELDS)
        return ((const uint8_t *)p)[f->offset];
    return *int32_at(p, f->offset);
}
static void store(wb_policy *p, const field *f, int32_t v)
{
    char *at = (char *)p + f->offset;
    if (f->offset >= BYTE_FIELDS)
        *(uint8_t *)at = (uint8_t)v;            /* ranges fit a byte */
    else
        *(int32_t *)(void *)at = v;
}

/* The first field outside its range, or NULL. */
static const char *range_error(const wb_policy *p)
{
#if WB_SMALL_CODE
    for (const field *f = fields; f < fields + FIELD_COUNT; f++) {
        int32_t v = load(p, f);
        if (v < f->min || v > f->max)
            return f->key;
    }
#else
    /* The (int64_t) cast lets the unsigned field compare by value. */
#define WB_FIELD_CHECK_(key, member, def, min, max)                           \
    if ((int64_t)p->member < (min) || (int64_t)p->member > (max)) return key;
    WB_POLICY_FIELDS(WB_FIELD_CHECK_)
#undef WB_FIELD_CHECK_
#endif
    return NULL;
}

static int64_t field_value(const wb_policy *p, const field *f)
{
    int32_t v = load(p, f);
    if (f->offset == offsetof(wb_policy, discount_reasons))
        return (int64_t)(uint32_t)v;        /* the one unsigned field */
    return v;
}

/* Byte equality of two NUL-terminated keys. The core includes no libc
 * header, so that it builds freestanding for any microcontroller. */
static int same_key(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static const field *find(const char *key)
{
    for (size_t i = 0; i < FIELD_COUNT; i++)
        if (same_key(fields[i].key, key))
            return &fields[i];
    return NULL;
}

int wb_policy_init(wb_policy *p)
{
    WB_RETURN_IF(p == NULL, WB_EMISUSE);
    *p = (wb_policy){.size = sizeof(wb_policy)};    /* reserved: zero */
    for (const field *f = fields; f < fields + FIELD_COUNT; f++)
        store(p, f, f->def);
    return WB_OK;
}

size_t wb_policy_size(void)
{
    return sizeof(wb_policy);
}

const char *wb_policy_key(size_t index)
{
    return index < FIELD_COUNT ? fields[index].key : NULL;
}

/* The rules that tie fields together, in the order they are checked: the
 * `lower` field must not exceed the `upper` one (with `strict`, must be
 * below it). A broken rule blames the upper field. */
#define WB_POLICY_ORDER(X)                                                    \
    X(watch_days, tier1_days, 1)                                              \
    X(tier1_days, tier2_days, 1)                                              \
    X(tier2_days, tier3_days, 1)                                              \
    X(ladder_tier1_bp, ladder_tier2_bp, 0)                                    \
    X(ladder_tier2_bp, ladder_tier3_bp, 0)                                    \
    X(escalation[0], escalation[1], 0)                                        \
    X(severity_difficulty_bp[0], severity_difficulty_bp[1], 0)                \
    X(escalation[1], escalation[2], 0)                                        \
    X(severity_difficulty_bp[1], severity_difficulty_bp[2], 0)                \
    X(escalation[2], escalation[3], 0)                                        \
    X(severity_difficulty_bp[2], severity_difficulty_bp[3], 0)                \
    X(escalation[3], escalation[4], 0)                                        \
    X(severity_difficulty_bp[3], severity_difficulty_bp[4], 0)                \
    X(cart_reminder_days[0], cart_reminder_days[1], 0)                        \
    X(cart_reminder_days[1], cart_reminder_days[2], 0)                        \
    X(churn_normal_max_bp, churn_act_min_bp, 0)                               \
    X(writeoff_min_bp, writeoff_max_bp, 0)

/* The key of the field at `offset`; every rule names fields of the list. */
static const char *key_at(size_t offset)
{
    const field *f = fields;
    while (f->offset != offset)
        f++;
    return f->key;
}

#if WB_SMALL_CODE
typedef struct order_rule {
    uint16_t lower, upper;      /* offsets in wb_policy */
    uint8_t strict;
} order_rule;

#define WB_ORDER_ENTRY_(lower, upper, strict) \
    {offsetof(wb_policy, lower), offsetof(wb_policy, upper), strict},
static const order_rule order_rules[] = {WB_POLICY_ORDER(WB_ORDER_ENTRY_)};
#undef WB_ORDER_ENTRY_
#define ORDER_RULE_COUNT (sizeof(order_rules) / sizeof(order_rules[0]))
#endif

/* The first cross-field rule broken, as the key to blame, or NULL. The
 * ranges have been checked first, so the fields are within them here. */
static const char *cross_field_error(const wb_policy *p)
{
#if WB_SMALL_CODE
    for (const order_rule *r = order_rules; r < order_rules + ORDER_RULE_COUNT; r++) {
        int32_t lower = *int32_at(p, r->lower), upper = *int32_at(p, r->upper);
        if (upper < lower || (r->strict && upper == lower))
            return key_at(r->upper);
    }
#else
#define WB_ORDER_CHECK_(lower, upper, strict)                                 \
    if (p->upper < p->lower || ((strict) && p->upper == p->lower))            \
        return key_at(offsetof(wb_policy, upper));
    WB_POLICY_ORDER(WB_ORDER_CHECK_)
#undef WB_ORDER_CHECK_
#endif
    for (int i = 5; i < 8; i++)
        if (p->channel[i] != 0) return "reserved";
    return NULL;
}

int wb_policy_validate(const wb_policy *p, const char **bad_key)
{
    const char *bad = NULL;
    WB_RETURN_IF(p == NULL, WB_EMISUSE);
    WB_RETURN_IF(p->size != sizeof(wb_policy), WB_ESTRUCT);
    bad = range_error(p);
    if (bad == NULL)
        bad = cross_field_error(p);
    if (bad == NULL)
        return WB_OK;
    if (bad_key != NULL)
        *bad_key = bad;
    return WB_EPOLICY;
}

int wb__policy_check(const wb_policy *p)
{
    return wb_policy_validate(p, NULL);
}

int wb_policy_set(wb_policy *p, const char *key, int64_t value)
{
    WB_RETURN_IF(p == NULL || key == NULL, WB_EMISUSE);
    WB_RETURN_IF(p->size != sizeof(wb_policy), WB_ESTRUCT);
    const field *f = find(key);
    WB_RETURN_IF(f == NULL, WB_EKEY);
    WB_RETURN_IF(value < f->min || value > f->max, WB_EPOLICY);
    store(p, f, (int32_t)value);                /* range checked above */
    return WB_OK;
}

int wb_policy_range(const char *key, int64_t *min, int64_t *max)
{
    WB_RETURN_IF(key == NULL || min == NULL || max == NULL, WB_EMISUSE);
    const field *f = find(key);
    WB_RETURN_IF(f == NULL, WB_EKEY);
    *min = f->min;
    *max = f->max;
    return WB_OK;
}

int wb_policy_get(const wb_policy *p, const char *key, int64_t *value)
{
    WB_RETURN_IF(p == NULL || key == NULL || value == NULL, WB_EMISUSE);
    WB_RETURN_IF(p->size != sizeof(wb_policy), WB_ESTRUCT);
    const field *f = find(key);
    WB_RETURN_IF(f == NULL, WB_EKEY);
    *value = field_value(p, f);
    return WB_OK;
}
