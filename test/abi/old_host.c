/*
 * old_host.c -- a host written against an older header, run against this
 * library: the structs that cross the API must keep their layout, and the
 * sizes an older host passes must still be accepted.
 *
 * Built twice by `make abicheck`: with -DOLD_HEADER against
 * test/abi/winback-0.1.h (the header of release 0.1.0, kept verbatim) and
 * against the current <winback.h>; both builds link the current library
 * and must print the same lines. It uses only what 0.1 declared.
 */
#include <stdio.h>
#include <string.h>

#ifdef OLD_HEADER
#include "winback-0.1.h"
#else
#include "winback.h"
#endif

static const char LOG[] =
    "id,date,amount\n"
    "A,2026-01-10,10.00\n"
    "A,2026-05-02,12.50\n"
    "B,2025-02-01,99.99\n"
    "B,2025-03-01,5.00\n"
    "B,2025-04-01,5.00\n"
    "bad,2026-02-30,1.00\n";

static int add(void *ud, const wb_record *r)
{
    if (r->reject != WB_REJECT_NONE) {
        printf("reject line %lu: %s\n", (unsigned long)r->line, wb_reject_name(r->reject));
        return 0;
    }
    return wb_ledger_add((wb_ledger *)ud, r->id, r->id_len, r->day, r->amount);
}

static void print_plan(const char *who, const wb_plan *p)
{
    printf("%s: class %s action %s discount %d escalation %s approach %s "
           "contact %ld reasons %u signals %u clv %lld priority %lld sensitive %d\n",
           who, wb_class_name(p->cls), wb_action_name(p->action), (int)p->discount_bp,
           wb_escalation_name(p->escalation), wb_approach_name(p->approach),
           (long)p->earliest_contact, (unsigned)p->reasons, (unsigned)p->signals,
           (long long)p->clv, (long long)p->priority, (int)p->sensitive);
}

static int decide_some(const wb_policy *policy, int32_t today)
{
    wb_customer c;
    wb_plan plan;
    int rc = wb_customer_init(&c);
    c.last_purchase = today - 200;
    c.reason = WB_REASON_PRICE;
    c.clv = 30000;
    c.winback_cost = 2000;
    if (rc == WB_OK && (rc = wb_decide(policy, &c, today, &plan)) == WB_OK)
        print_plan("price, 200 days", &plan);
    c.reason = WB_REASON_SERVICE;
    c.severity = 3;
    c.incident_day = today - 210;
    c.flags = WB_CUST_HUMAN_FACTOR;
    c.lost_by_employee = 77;
    if (rc == WB_OK && (rc = wb_decide(policy, &c, today, &plan)) == WB_OK)
        print_plan("service, severity 3", &plan);
    c.returns = 1;
    c.nps = 3;
    if (rc == WB_OK && (rc = wb_decide(policy, &c, today, &plan)) == WB_OK)
        print_plan("returned once", &plan);
    return rc;
}

static int read_log(const wb_policy *policy, int32_t today)
{
    wb_reader_config cfg;
    wb_reader *reader = NULL;
    wb_ledger *ledger = NULL;
    wb_ledger_customer lc;
    size_t n = 0;
    int rc = wb_reader_config_init(&cfg);
    if (rc == WB_OK)
        rc = wb_ledger_new(NULL, &ledger);
    if (rc == WB_OK)
        rc = wb_reader_new(&cfg, NULL, add, ledger, &reader);
    if (rc == WB_OK)
        rc = wb_reader_feed(reader, LOG, sizeof LOG - 1);
    if (rc == WB_OK)
        rc = wb_reader_finish(reader);
    wb_reader_free(reader);
    if (rc == WB_OK)
        rc = wb_ledger_finish(ledger);
    if (rc == WB_OK)
        rc = wb_ledger_count(ledger, &n, NULL);
    for (size_t i = 0; rc == WB_OK && i < n; i++)
        if ((rc = wb_ledger_at(ledger, policy, today, i, &lc)) == WB_OK)
            printf("%.*s: %d purchases, total %lld, avg %lld, first %ld, last %ld, "
                   "returns %d, lost now %d\n", (int)lc.id_len, lc.id, (int)lc.purchases,
                   (long long)lc.total, (long long)lc.avg_check, (long)lc.first_day,
                   (long)lc.last_day, (int)lc.history.returns,
                   (int)lc.history.currently_lost);
    wb_ledger_free(ledger);
    return rc;
}

int main(void)
{
    wb_policy policy;
    int32_t today;
    int64_t v;
    int rc = wb_policy_init(&policy);
    printf("header %s, library %s\n", WB_VERSION_STRING, wb_version_string());
    if (rc == WB_OK)
        rc = wb_day_parse("2026-11-23", 10, &today);
    if (rc == WB_OK)
        rc = wb_policy_set(&policy, "tier1_days", 91);
    if (rc == WB_OK)
        rc = wb_policy_get(&policy, "lost_twice_count", &v);
    if (rc == WB_OK)
        rc = decide_some(&policy, today);
    if (rc == WB_OK)
        rc = read_log(&policy, today);
    if (rc != WB_OK)
        printf("failed: %s\n", wb_strerror(rc));
    return rc == WB_OK ? 0 : 1;
}
