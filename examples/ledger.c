/*
 * ledger.c -- the io tier: a purchase log in, per-customer facts out.
 *
 * A few rows of CSV, one of them broken, go through the log reader into a
 * customer ledger; every row is accounted for (read = accepted +
 * rejected), and each customer's facts, losses included, come back in id
 * order. Build: cc ledger.c $(pkg-config --cflags --libs winback)
 */
#include <stdio.h>
#include <string.h>

#include "winback/io.h"

static const char LOG[] =
    "customer_id,date,amount\n"
    "anna,2025-01-10,12.50\n"
    "boris,2025-03-02,40.00\n"
    "anna,2025-06-20,8.00\n"
    "carl,2025-02-30,5.00\n"          /* no such day: rejected, with its line */
    "boris,2026-09-15,22.10\n";

/* Each accepted row goes into the ledger; each rejected one is reported. */
static int on_row(void *ud, const wb_record *r)
{
    if (r->reject != WB_REJECT_NONE) {
        printf("line %lu rejected: %s\n", (unsigned long)r->line,
               wb_reject_name(r->reject));
        return 0;
    }
    return wb_ledger_add((wb_ledger *)ud, r->id, r->id_len, r->day, r->amount);
}

static int read_log(wb_ledger *ledger)
{
    wb_reader_config cfg;
    wb_reader *reader = NULL;
    uint64_t read, accepted, rejected;
    int rc = wb_reader_config_init(&cfg);
    if (rc == WB_OK)
        rc = wb_reader_new(&cfg, NULL, on_row, ledger, &reader);
    if (rc == WB_OK)
        rc = wb_reader_feed(reader, LOG, sizeof LOG - 1);
    if (rc == WB_OK)
        rc = wb_reader_finish(reader);
    wb_reader_counts(reader, &read, &accepted, &rejected);
    printf("read %lu, accepted %lu, rejected %lu\n", (unsigned long)read,
           (unsigned long)accepted, (unsigned long)rejected);
    wb_reader_free(reader);
    return rc;
}

int main(void)
{
    wb_policy policy;
    wb_ledger *ledger = NULL;
    wb_ledger_customer c;
    int32_t as_of = 0;
    size_t n = 0, i;
    int rc = wb_policy_init(&policy);
    if (rc == WB_OK)
        rc = wb_day_parse("2026-11-23", 10, &as_of);
    if (rc == WB_OK)
        rc = wb_ledger_new(NULL, &ledger);
    if (rc == WB_OK)
        rc = read_log(ledger);
    if (rc == WB_OK)
        rc = wb_ledger_finish(ledger);
    if (rc == WB_OK)
        rc = wb_ledger_count(ledger, &n, NULL);
    for (i = 0; rc == WB_OK && i < n; i++) {
        char last[WB_DATE_BUFSIZE];
        rc = wb_ledger_at(ledger, &policy, as_of, i, &c);
        if (rc == WB_OK)
            rc = wb_day_format(c.last_day, last, sizeof last);
        if (rc == WB_OK)
            printf("%.*s: %d purchases, last %s, total %lld, lost now %d, "
                   "returned %d times\n", (int)c.id_len, c.id, (int)c.purchases,
                   last, (long long)c.total, (int)c.history.currently_lost,
                   (int)c.history.returns);
    }
    wb_ledger_free(ledger);
    if (rc != WB_OK)
        fprintf(stderr, "ledger example: %s\n", wb_strerror(rc));
    return rc == WB_OK ? 0 : 1;
}
