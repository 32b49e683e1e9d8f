/*
 * layout.c -- the byte layout of the structs a binding maps, read at run
 * time.
 *
 * A binding in another language declares wb_customer and wb_plan itself
 * (a numpy dtype, a koffi struct). If it was written for another release
 * it would read and write the wrong bytes, silently. wb_layout_field lets
 * it check, once at load time, every field it declared -- name, offset and
 * size -- against the library it actually loaded, and refuse a mismatch.
 */
#include "core/internal.h"

typedef struct field_info {
    const char *name;
    uint16_t offset, size;
} field_info;

#define F(type, member) {#member, offsetof(type, member), sizeof(((type *)0)->member)}

static const field_info CUSTOMER[] = {
    F(wb_customer, size), F(wb_customer, flags), F(wb_customer, last_purchase),
    F(wb_customer, returns), F(wb_customer, severity), F(wb_customer, incident_day),
    F(wb_customer, reason), F(wb_customer, complaints), F(wb_customer, discount_demands),
    F(wb_customer, nps), F(wb_customer, contacts_since_purchase), F(wb_customer, margin_bp),
    F(wb_customer, purchases_per_year_x100), F(wb_customer, expected_years),
    F(wb_customer, last_contact), F(wb_customer, requests), F(wb_customer, avg_check),
    F(wb_customer, clv), F(wb_customer, winback_cost), F(wb_customer, lost_by_employee),
    F(wb_customer, reserved),
};

static const field_info PLAN[] = {
    F(wb_plan, size), F(wb_plan, reasons), F(wb_plan, signals), F(wb_plan, cls),
    F(wb_plan, days_since), F(wb_plan, action), F(wb_plan, discount_bp),
    F(wb_plan, escalation), F(wb_plan, approach), F(wb_plan, earliest_contact),
    F(wb_plan, sensitive), F(wb_plan, difficulty_bp), F(wb_plan, clv),
    F(wb_plan, priority), F(wb_plan, avoid_employee), F(wb_plan, channel),
    F(wb_plan, offer_expires), F(wb_plan, reserved),
};
#undef F

static int same(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* The table of a struct by name, and its size. */
static const field_info *table(const char *type, size_t *count, size_t *size)
{
    if (same(type, "wb_customer")) {
        *count = sizeof CUSTOMER / sizeof CUSTOMER[0];
        *size = sizeof(wb_customer);
        return CUSTOMER;
    }
    if (same(type, "wb_plan")) {
        *count = sizeof PLAN / sizeof PLAN[0];
        *size = sizeof(wb_plan);
        return PLAN;
    }
    return NULL;
}

uint32_t wb_layout_version(void)
{
    return WB_LAYOUT_VERSION;
}

int wb_layout_size(const char *type, size_t *size)
{
    size_t count;
    WB_RETURN_IF(type == NULL || size == NULL, WB_EMISUSE);
    WB_RETURN_IF(table(type, &count, size) == NULL, WB_ENOTFOUND);
    return WB_OK;
}

int wb_layout_field(const char *type, size_t index, const char **name,
                    size_t *offset, size_t *size)
{
    size_t count, total;
    WB_RETURN_IF(type == NULL || name == NULL || offset == NULL || size == NULL,
                 WB_EMISUSE);
    const field_info *t = table(type, &count, &total);
    WB_RETURN_IF(t == NULL || index >= count, WB_ENOTFOUND);
    *name = t[index].name;
    *offset = t[index].offset;
    *size = t[index].size;
    return WB_OK;
}
