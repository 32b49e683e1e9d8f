/*
 * fuzz_customers.c -- the --customers reader on arbitrary bytes.
 *
 * Properties: no crash, no leak, no hang; every row is accounted for (read
 * = accepted + rejected); the accepted rows are sorted by id with no id
 * twice; and every accepted row, laid over a customer who bought today,
 * is one the decision call accepts: the reader's range checks are the
 * library's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../programs/winback/tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_customers_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) { close(fd); unlink(path); return 0; }
    close(fd);
    options o;
    memset(&o, 0, sizeof o);
    if (wb_policy_init(&o.policy) != WB_OK) abort();
    o.customers_file = path;
    o.decimals = 2;
    o.quiet = 1;
    o.years = 3;
    o.margin_bp = 10000;
    if (wb_day_parse("2026-11-23", 10, &o.as_of) != WB_OK) abort();
    /* stderr quiet: the reader names bad rows there even under --quiet
     * for fatal errors, which is what it should do. */
    crm_table t;
    int rc = crm_load(&o, &t);
    unlink(path);
    if (rc != EXIT_OK) {
        if (rc != EXIT_DATA && rc != EXIT_IO && rc != EXIT_INTERNAL) abort();
        return 0;
    }
    if (t.read != t.n + t.rejected) abort();
    for (size_t i = 0; i < t.n; i++) {
        const crm_row *r = &t.rows[i];
        if (r->id_len == 0 || r->id_len > WB_ID_MAX) abort();
        if (i > 0 && id_compare(t.rows[i - 1].id, t.rows[i - 1].id_len, r->id, r->id_len) >= 0)
            abort();
        wb_customer c;
        wb_plan p;
        if (wb_customer_init(&c) != WB_OK) abort();
        c.last_purchase = o.as_of;
        crm_apply(r, &o, &c);
        if (wb_decide(&o.policy, &c, o.as_of, &p) != WB_OK) abort();
    }
    crm_free(&t);
    return 0;
}
