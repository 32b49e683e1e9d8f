/*
 * main.c -- the smallest firmware that uses the decision call: the size
 * and stack figures of `make firmware` are for what it links.
 */
#include "winback/core.h"

volatile int64_t sink;

int main(void)
{
    wb_policy p;
    wb_customer c;
    wb_plan plan;
    int32_t today;
    if (wb_policy_init(&p) != WB_OK || wb_customer_init(&c) != WB_OK ||
        wb_day_parse("2026-11-23", 10, &today) != WB_OK)
        return 1;
    c.last_purchase = today - 200;
    c.clv = 30000;
    if (wb_decide(&p, &c, today, &plan) != WB_OK)
        return 1;
    sink = plan.priority + plan.discount_bp;
    return 0;
}
