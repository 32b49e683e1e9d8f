/*
 * fuzz_ledger.c -- ledger operation sequences against a reference model.
 *
 * The input is a program: each 4-byte step adds a row (one of 16 ids, a
 * day, an amount), merges in a second ledger, finishes and compares, or
 * arms an allocation failure. The model is a plain array per id. After a
 * failed operation the ledger must equal the model as it was; at the end
 * every fact of every customer must equal the model's. Both ledgers have
 * 1 to 5 parts, and are finished in 1 to 7 jobs, as the input says; their
 * customers read in one run equal those read one by one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winback/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IDS 16
#define MAX_ROWS 512

typedef struct model {
    int32_t days[IDS][MAX_ROWS];
    int n[IDS];
    int64_t total[IDS];
} model;

typedef struct faulty {
    long calls, fail_at;
} faulty;

static void *f_alloc(void *ud, size_t size)
{
    faulty *f = ud;
    return ++f->calls == f->fail_at ? NULL : malloc(size);
}
static void *f_realloc(void *ud, void *p, size_t old, size_t size)
{
    faulty *f = ud;
    (void)old;
    return ++f->calls == f->fail_at ? NULL : realloc(p, size);
}
static void f_free(void *ud, void *p, size_t size)
{
    (void)ud;
    (void)size;
    free(p);
}

static const char *const names[IDS] = {
    "a", "b", "C0000001", "C0000002", "0123456789abcdef", "0123456789abcdeg",
    "0123456789abcdefghij", "0123456789abcdefghik", "x", "y", "z", "\xff",
    "id with spaces", "C-000123", "00001", "00002"};

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* wb_ledger_at_many reads what wb_ledger_at reads, customer by customer. */
static void compare_runs(const wb_ledger *l, const wb_policy *p, size_t customers)
{
    wb_ledger_customer many[IDS], one;
    int32_t status[IDS];
    if (wb_ledger_at_many(l, p, WB_DAY_MAX, 0, customers, many, status, NULL) != WB_OK)
        abort();
    for (size_t i = 0; i < customers; i++)
        if (status[i] != wb_ledger_at(l, p, WB_DAY_MAX, i, &one) ||
            (status[i] == WB_OK && memcmp(&many[i], &one, sizeof one) != 0))
            abort();
}

/* Every customer of the ledger equals the model, and no other exists. The
 * ledger is finished in `jobs` jobs, run one after another. */
static void compare(wb_ledger *l, const model *m, const wb_policy *p, unsigned jobs)
{
    size_t customers = 0, rows = 0, want_customers = 0, want_rows = 0;
    if (wb_ledger_finish_run(l, jobs, NULL, NULL) != WB_OK) return;   /* an armed failure */
    if (wb_ledger_count(l, &customers, &rows) != WB_OK) abort();
    compare_runs(l, p, customers);
    for (int i = 0; i < IDS; i++) {
        wb_ledger_customer c;
        int rc = wb_ledger_find(l, p, names[i], strlen(names[i]), WB_DAY_MAX, &c);
        if (m->n[i] == 0) {
            if (rc != WB_ENOTFOUND) abort();
            continue;
        }
        want_customers++;
        want_rows += (size_t)m->n[i];
        int32_t sorted[MAX_ROWS];
        memcpy(sorted, m->days[i], sizeof sorted[0] * (size_t)m->n[i]);
        qsort(sorted, (size_t)m->n[i], sizeof sorted[0], cmp_i32);
        int distinct = 1;
        for (int k = 1; k < m->n[i]; k++) distinct += sorted[k] != sorted[k - 1];
        if (rc != WB_OK || c.total != m->total[i] || c.purchases != m->n[i] ||
            c.purchase_days != distinct || c.first_day != sorted[0] ||
            c.last_day != sorted[m->n[i] - 1] || c.id_len != strlen(names[i]) ||
            memcmp(c.id, names[i], c.id_len) != 0)
            abort();
    }
    if (customers != want_customers || rows != want_rows) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static model m, other_m;
    faulty f = {0, 0};
    wb_allocator a = {f_alloc, f_realloc, f_free, &f};
    wb_ledger *l, *other;
    wb_policy p;
    memset(&m, 0, sizeof m);
    memset(&other_m, 0, sizeof other_m);
    if (wb_policy_init(&p) != WB_OK) abort();
    /* The input's last byte picks the number of parts of each ledger:
     * every answer must be the same whatever they are. */
    uint8_t shape = size > 0 ? data[size - 1] : 0;
    unsigned jobs = 1u + shape / 15u % 7u;          /* 1 to 7, for each finish */
    if (wb_ledger_new_parts(&a, 1u + shape % 5u, &l) != WB_OK) abort();
    if (wb_ledger_new_parts(NULL, 1u + shape / 5u % 3u, &other) != WB_OK) abort();
    for (size_t i = 0; i + 4 <= size; i += 4) {
        const uint8_t *s = data + i;
        int id = s[1] % IDS, op = s[0] % 8;
        int32_t day = 10000 + s[2] * 7 % 1000;
        int64_t amount = (int64_t)s[3] * 37;
        if (op <= 3) {                               /* add to l */
            if (m.n[id] >= MAX_ROWS) continue;
            int rc = wb_ledger_add(l, names[id], strlen(names[id]), day, amount);
            if (rc == WB_OK) {
                m.days[id][m.n[id]++] = day;
                m.total[id] += amount;
            } else if (rc != WB_ENOMEM) {
                abort();
            }
        } else if (op == 4) {                        /* add to other */
            if (other_m.n[id] >= MAX_ROWS) continue;
            if (wb_ledger_add(other, names[id], strlen(names[id]), day, amount) != WB_OK) abort();
            other_m.days[id][other_m.n[id]++] = day;
            other_m.total[id] += amount;
        } else if (op == 5) {                        /* merge other into l */
            int fits = 1;
            for (int k = 0; k < IDS; k++) fits &= m.n[k] + other_m.n[k] <= MAX_ROWS;
            if (!fits) continue;
            int rc = wb_ledger_merge(l, other);
            if (rc == WB_OK) {
                for (int k = 0; k < IDS; k++) {
                    memcpy(&m.days[k][m.n[k]], other_m.days[k], sizeof(int32_t) * (size_t)other_m.n[k]);
                    m.n[k] += other_m.n[k];
                    m.total[k] += other_m.total[k];
                }
            } else if (rc != WB_ENOMEM) {
                abort();
            }
        } else if (op == 6) {                        /* arm a failure */
            f.calls = 0;
            f.fail_at = 1 + s[2] % 8;
        } else {
            f.fail_at = 0;
            compare(l, &m, &p, jobs);
        }
    }
    f.fail_at = 0;
    compare(l, &m, &p, jobs);
    wb_ledger_free(l);
    wb_ledger_free(other);
    return 0;
}
