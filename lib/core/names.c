/*
 * names.c -- printable names of the public enumerations.
 *
 * Every function returns a static string, "unknown" for a value outside its
 * enumeration, so a host can print whatever a plan holds without checks.
 */
#include "core/internal.h"

#define WB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup(const char *const *names, size_t count, int value)
{
    if (value < 0 || (size_t)value >= count || names[value] == NULL)
        return "unknown";
    return names[value];
}

/* Index of the single set bit, or -1 when not exactly one bit is set. */
static int bit_index(uint32_t bit)
{
    if (bit == 0 || (bit & (bit - 1)) != 0)
        return -1;
    int i = 0;
    while ((bit >>= 1) != 0)
        i++;
    return i;
}

const char *wb_class_name(int cls)
{
    static const char *const n[] = {"never", "active", "watch",
                                    "lapsed-1", "lapsed-2", "lapsed-3"};
    return lookup(n, WB_COUNT(n), cls);
}

const char *wb_escalation_name(int level)
{
    static const char *const n[] = {NULL, "automated", "other-manager",
                                    "head-of-department", "company-head",
                                    "no-active-winback"};
    return lookup(n, WB_COUNT(n), level);
}

const char *wb_reason_name(int reason)
{
    static const char *const n[] = {"unknown", "price", "service", "forgot",
                                    "lost-interest", "quality", "moved",
                                    "business-changed", "manager-changed",
                                    "conflict"};
    return lookup(n, WB_COUNT(n), reason);
}

const char *wb_approach_name(int approach)
{
    static const char *const n[] = {"none", "ask-why", "price-match",
                                    "personal-call", "reminder",
                                    "related-products", "show-changes",
                                    "keep-in-touch", "apology-letter"};
    return lookup(n, WB_COUNT(n), approach);
}

const char *wb_channel_name(int channel)
{
    static const char *const n[] = {"none", "e-mail", "phone-call",
                                    "personal-letter", "meeting"};
    return lookup(n, WB_COUNT(n), channel);
}

const char *wb_action_name(int action)
{
    static const char *const n[] = {"none", "monitor", "winback", "soft",
                                    "exclude"};
    return lookup(n, WB_COUNT(n), action);
}

const char *wb_exclusion_name(uint32_t bit)
{
    static const char *const n[] = {"lost-twice", "toxic", "uneconomic",
                                    "no-margin", "bad-payer", "out-of-target",
                                    "out-of-area", "cooling-off"};
    return lookup(n, WB_COUNT(n), bit_index(bit));
}

const char *wb_signal_name(uint32_t bit)
{
    static const char *const n[] = {"recency", "detractor", "conflict",
                                    "requests-without-purchase"};
    return lookup(n, WB_COUNT(n), bit_index(bit));
}

const char *wb_severity_name(int severity)
{
    static const char *const n[] = {NULL, "trifle", "small-problem",
                                    "problem", "catastrophe",
                                    "end-of-the-world"};
    return lookup(n, WB_COUNT(n), severity);
}

const char *wb_health_name(int health)
{
    static const char *const n[] = {"normal", "elevated", "act"};
    return lookup(n, WB_COUNT(n), health);
}
