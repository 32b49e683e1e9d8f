/* test_ledger.c -- the customer ledger: facts, order, merge, memory. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "wb_test.h"

/* An allocator that fails its n-th allocation and counts live bytes. */
typedef struct faulty {
    long calls, fail_at;  /* fail_at 0: never fail */
    long long live;
} faulty;

static void *f_alloc(void *ud, size_t size)
{
    faulty *f = ud;
    if (++f->calls == f->fail_at) return NULL;
    f->live += (long long)size;
    return malloc(size);
}

static void *f_realloc(void *ud, void *p, size_t old, size_t size)
{
    faulty *f = ud;
    if (++f->calls == f->fail_at) return NULL;
    void *q = realloc(p, size);
    if (q) f->live += (long long)size - (long long)old;
    return q;
}

static void f_free(void *ud, void *p, size_t size)
{
    faulty *f = ud;
    f->live -= (long long)size;
    free(p);
}

static wb_allocator faulty_allocator(faulty *f)
{
    wb_allocator a = {f_alloc, f_realloc, f_free, f};
    return a;
}

typedef struct row { const char *id; int32_t day; int64_t amount; } row;

static void add_rows(wb_ledger *l, const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(wb_ledger_add(l, rows[i].id, strlen(rows[i].id),
                                       rows[i].day, rows[i].amount), WB_OK);
}

/* FNV-1a over every fact of every customer, in the ledger's order. */
static uint64_t fingerprint(wb_ledger *l, const wb_policy *p, int32_t as_of)
{
    uint64_t h = 1469598103934665603u;
    size_t n, rows;
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_count(l, &n, &rows), WB_OK);
#define MIX(v) do { uint64_t x_ = (uint64_t)(v); for (int b_ = 0; b_ < 8; b_++) { h ^= (x_ >> (8 * b_)) & 0xFF; h *= 1099511628211u; } } while (0)
    MIX(n);
    MIX(rows);
    for (size_t i = 0; i < n; i++) {
        wb_ledger_customer c;
        assert_int_equal(wb_ledger_at(l, p, as_of, i, &c), WB_OK);
        for (size_t k = 0; k < c.id_len; k++) MIX(c.id[k]);
        MIX(c.first_day); MIX(c.last_day); MIX(c.purchases);
        MIX(c.purchase_days); MIX(c.total); MIX(c.avg_check); MIX(c.first_day_spend);
        MIX(c.history.returns); MIX(c.history.currently_lost);
    }
#undef MIX
    return h;
}

static void facts_of_one_customer(void **state)
{
    wb_ledger *l;
    wb_ledger_customer c;
    const row rows[] = {
        {"C-000123", 100, 2500}, {"C-000123", 10, 1000}, {"C-000123", 100, 500},
        {"C-000123", 400, 0}, {"other", 50, 1},
    };
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    add_rows(l, rows, 5);
    assert_int_equal(wb_ledger_find(l, POLICY, "C-000123", 8, 500, &c), WB_EMISUSE);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_find(l, POLICY, "C-000123", 8, 500, &c), WB_OK);
    assert_int_equal(c.id_len, 8);
    assert_memory_equal(c.id, "C-000123", 8);
    assert_int_equal(c.first_day, 10);
    assert_int_equal(c.last_day, 400);
    assert_int_equal(c.purchases, 4);
    assert_int_equal(c.purchase_days, 3);      /* two rows on day 100 */
    assert_int_equal(c.total, 4000);
    assert_int_equal(c.avg_check, 1333);       /* 4000 / 3 days */
    assert_int_equal(c.first_day_spend, 1000);  /* day 10 */
    /* Gaps 90 and 300, 100 days now. By the customer's rhythm (R6,
     * revision 2) 300 >= 3 x 90 is a loss and a return, 90 < 3 x 300 is
     * not: one return; the current gap reaches the threshold. */
    assert_int_equal(c.history.returns, 1);
    assert_int_equal(c.history.currently_lost, 1);
    assert_int_equal(c.history.losses, 2);
    assert_int_equal(wb_ledger_find(l, POLICY, "C-000124", 8, 500, &c), WB_ENOTFOUND);
    assert_int_equal(wb_ledger_find(l, POLICY, "C-000123", 8, 399, &c), WB_EFUTURE);
    assert_int_equal(wb_ledger_find(l, POLICY, "C-000123", 8, 400, &c), WB_OK);
    assert_int_equal(wb_ledger_find(l, POLICY, "C-000123", 8, WB_DAY_MAX + 1, &c), WB_EDATE);
    const int32_t *days;
    size_t n;
    assert_int_equal(wb_ledger_days(l, 0, &days, &n), WB_OK);
    assert_int_equal(n, 4);
    assert_true(days[0] == 10 && days[1] == 100 && days[2] == 100 && days[3] == 400);
    assert_int_equal(wb_ledger_days(l, 2, &days, &n), WB_ENOTFOUND);
    wb_ledger_free(l);
}

/* The n customers of a finished ledger, rank by rank, in ascending byte
 * order of their ids, shorter first on a common prefix. */
static void ranks_in_byte_order(void **state, const wb_ledger *l, size_t n)
{
    wb_ledger_customer prev, cur;
    assert_int_equal(wb_ledger_at(l, POLICY, 10, 0, &prev), WB_OK);
    for (size_t i = 1; i < n; i++) {
        assert_int_equal(wb_ledger_at(l, POLICY, 10, i, &cur), WB_OK);
        size_t m = prev.id_len < cur.id_len ? prev.id_len : cur.id_len;
        int order = memcmp(prev.id, cur.id, m);
        assert_true(order < 0 || (order == 0 && prev.id_len < cur.id_len));
        prev = cur;
    }
}

static void ids_in_byte_order(void **state)
{
    wb_ledger *l;
    wb_ledger_customer c;
    const char *ids[] = {"C2", "C10", "C1", "B", "C1\xff", "c1"};
    const char *sorted[] = {"B", "C1", "C10", "C1\xff", "C2", "c1"};
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    for (int i = 0; i < 6; i++)
        assert_int_equal(wb_ledger_add(l, ids[i], strlen(ids[i]), 5, 1), WB_OK);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(wb_ledger_at(l, POLICY, 10, i, &c), WB_OK);
        assert_int_equal(c.id_len, strlen(sorted[i]));
        assert_memory_equal(c.id, sorted[i], c.id_len);
    }
    assert_int_equal(wb_ledger_at(l, POLICY, 10, 6, &c), WB_ENOTFOUND);
    wb_ledger_free(l);
    /* The index sorts on the first 8 bytes, then settles ties in full:
     * ids that share those 8 bytes, ids with NUL bytes (a zero byte and
     * the end of a short id look alike in the 8 bytes), and a byte past
     * 0x7f, which must count as large. */
    static const struct { const char *p; size_t n; } hard[] = {
        {"ABCDEFGH", 8}, {"ABCDEFGH\x01", 9}, {"ABCDEFGHZ", 9}, {"ABCDEFGHA", 9},
        {"AB\0\0", 4}, {"AB\0", 3}, {"AB", 2}, {"A", 1}, {"\x80", 1}, {"\x7f", 1},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26}, {"ABCDEFGHIJKLMNOPQRSTUVWXYY", 26}};
    const size_t nh = sizeof hard / sizeof hard[0];
    for (unsigned parts = 1; parts <= 3; parts += 2) {
        assert_int_equal(wb_ledger_new_parts(NULL, parts, &l), WB_OK);
        for (size_t i = 0; i < nh; i++)
            assert_int_equal(wb_ledger_add(l, hard[i].p, hard[i].n, 5, 1), WB_OK);
        assert_int_equal(wb_ledger_finish(l), WB_OK);
        ranks_in_byte_order(state, l, nh);
        wb_ledger_free(l);
    }
}

/* Ranks in byte order for ids of every kind at once: lengths 1 to 20,
 * bytes from a narrow alphabet (many shared prefixes) or any byte, so
 * that the sort's digits fall on every span of the first 8 bytes; on
 * one job and on three. */
static void random_ids_in_byte_order(void **state)
{
    enum { K = 6000 };
    static char ids[K][20];
    static size_t lens[K];
    uint64_t seed = 77;
    for (unsigned jobs = 1; jobs <= 3; jobs += 2) {
        wb_ledger *l;
        assert_int_equal(wb_ledger_new_parts(NULL, 3, &l), WB_OK);
        for (size_t i = 0; i < K; i++) {
            lens[i] = 1 + xorshift64(&seed) % 20;
            for (size_t b = 0; b < lens[i]; b++) {
                uint64_t x = xorshift64(&seed);
                ids[i][b] = (char)(i % 3 == 0 ? (unsigned char)x : (unsigned char)('0' + x % 4));
            }
            assert_int_equal(wb_ledger_add(l, ids[i], lens[i], 5, 1), WB_OK);
        }
        assert_int_equal(wb_ledger_finish_run(l, jobs, NULL, NULL), WB_OK);
        size_t n = 0;
        assert_int_equal(wb_ledger_count(l, &n, NULL), WB_OK);
        ranks_in_byte_order(state, l, n);
        wb_ledger_free(l);
    }
}

/* A pseudo-random log: n rows over k customers. */
static row *random_rows(size_t n, size_t k, uint64_t seed, char (*ids)[24])
{
    row *r = malloc(n * sizeof *r);
    for (size_t i = 0; i < k; i++)
        snprintf(ids[i], 24, "C%07zu", i);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        r[i].id = ids[(seed >> 33) % k];
        r[i].day = (int32_t)(10000 + (seed >> 13) % 1000);
        r[i].amount = (int64_t)((seed >> 40) % 100000);
    }
    return r;
}

/* The same rows as wb_purchase, for add_many and add_part. */
static void as_purchases(const row *rows, wb_purchase *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        wb_purchase p = {rows[i].id, strlen(rows[i].id), rows[i].day, 0, rows[i].amount};
        out[i] = p;
    }
}

static void order_and_split_do_not_matter(void **state)
{
    enum { N = 20000, K = 1500 };
    static char ids[K][24];
    row *rows = random_rows(N, K, 42, ids);
    wb_ledger *one, *a, *b, *shuffled;
    assert_int_equal(wb_ledger_new(NULL, &one), WB_OK);
    add_rows(one, rows, N);
    uint64_t want = fingerprint(one, POLICY, 11500);
    /* Reversed and interleaved order. */
    assert_int_equal(wb_ledger_new(NULL, &shuffled), WB_OK);
    for (size_t i = 0; i < N; i += 2) add_rows(shuffled, &rows[N - 1 - i], 1);
    for (size_t i = 1; i < N; i += 2) add_rows(shuffled, &rows[N - 1 - i], 1);
    assert_true(fingerprint(shuffled, POLICY, 11500) == want);
    /* Split at several points, merged back. */
    const size_t cuts[] = {0, 1, 777, N / 2, N - 1, N};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        assert_int_equal(wb_ledger_new(NULL, &a), WB_OK);
        assert_int_equal(wb_ledger_new(NULL, &b), WB_OK);
        add_rows(a, rows, cuts[c]);
        add_rows(b, rows + cuts[c], N - cuts[c]);
        assert_int_equal(wb_ledger_finish(a), WB_OK);  /* merge drops it */
        assert_int_equal(wb_ledger_merge(a, b), WB_OK);
        assert_true(fingerprint(a, POLICY, 11500) == want);
        assert_int_equal(wb_ledger_merge(b, b), WB_EMISUSE);
        wb_ledger_free(a);
        wb_ledger_free(b);
    }
    wb_ledger_free(one);
    wb_ledger_free(shuffled);
    free(rows);
}

/* add_many is n adds: same facts, and it stops at the first bad row. */
static void add_many_is_many_adds(void **state)
{
    enum { N = 5000, K = 700 };
    static char ids[K][24];
    static wb_purchase batch[N];
    row *rows = random_rows(N, K, 99, ids);
    wb_ledger *one, *many;
    size_t added = 12345;
    as_purchases(rows, batch, N);
    assert_int_equal(wb_ledger_new(NULL, &one), WB_OK);
    assert_int_equal(wb_ledger_new(NULL, &many), WB_OK);
    add_rows(one, rows, N);
    assert_int_equal(wb_ledger_add_many(many, batch, N, &added), WB_OK);
    assert_int_equal(added, N);
    assert_true(fingerprint(one, POLICY, 12000) == fingerprint(many, POLICY, 12000));
    /* A bad row in the middle: the rows before it are in, it and the rest not. */
    wb_ledger *part, *ref;
    assert_int_equal(wb_ledger_new(NULL, &part), WB_OK);
    assert_int_equal(wb_ledger_new(NULL, &ref), WB_OK);
    batch[1234].day = WB_DAY_MAX + 1;
    assert_int_equal(wb_ledger_add_many(part, batch, N, &added), WB_EDATE);
    assert_int_equal(added, 1234);
    add_rows(ref, rows, 1234);
    assert_true(fingerprint(part, POLICY, 12000) == fingerprint(ref, POLICY, 12000));
    batch[0].id_len = WB_ID_MAX + 1;
    assert_int_equal(wb_ledger_add_many(part, batch, 1, &added), WB_ETOOLONG);
    assert_int_equal(added, 0);
    assert_int_equal(wb_ledger_add_many(part, NULL, 1, &added), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_many(part, NULL, 0, NULL), WB_OK);
    wb_ledger_free(one);
    wb_ledger_free(many);
    wb_ledger_free(part);
    wb_ledger_free(ref);
    free(rows);
}

static void misuse_and_limits(void **state)
{
    wb_ledger *a, *b;
    wb_ledger_customer c;
    const int32_t *days;
    size_t n = 9, m = 9;
    char long_id[WB_ID_MAX + 1];
    memset(long_id, 'q', sizeof long_id);
    assert_int_equal(wb_ledger_new(NULL, &a), WB_OK);
    assert_int_equal(wb_ledger_new(NULL, &b), WB_OK);
    /* Before finish, the read functions are misuse. */
    assert_int_equal(wb_ledger_at(a, POLICY, 100, 0, &c), WB_EMISUSE);
    assert_int_equal(wb_ledger_days(a, 0, &days, &n), WB_EMISUSE);
    assert_int_equal(wb_ledger_add(a, "x", 1, 10, INT64_MAX - 5), WB_OK);
    assert_int_equal(wb_ledger_add(b, "x", 1, 11, 6), WB_OK);
    assert_int_equal(wb_ledger_add(b, "y", 1, 12, 1), WB_OK);
    /* Merging would overflow x's total: refused, nothing changes. */
    uint64_t before = fingerprint(a, POLICY, 100);
    assert_int_equal(wb_ledger_merge(a, b), WB_ERANGE);
    assert_true(fingerprint(a, POLICY, 100) == before);
    assert_int_equal(wb_ledger_count(a, &n, &m), WB_OK);
    assert_true(n == 1 && m == 1);
    assert_int_equal(wb_ledger_count(a, NULL, NULL), WB_OK);
    assert_int_equal(wb_ledger_count(NULL, &n, &m), WB_EMISUSE);
    assert_int_equal(wb_ledger_memory(NULL), 0);
    assert_true(wb_ledger_memory(a) > 0);
    assert_int_equal(wb_ledger_find(a, POLICY, long_id, sizeof long_id, 100, &c), WB_ENOTFOUND);
    assert_int_equal(wb_ledger_find(a, POLICY, NULL, 1, 100, &c), WB_EMISUSE);
    assert_int_equal(wb_ledger_find(a, POLICY, "x", 1, 100, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_at(NULL, POLICY, 100, 0, &c), WB_EMISUSE);
    assert_int_equal(wb_ledger_at(a, POLICY, 100, 0, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_days(a, 0, NULL, &n), WB_EMISUSE);
    assert_int_equal(wb_ledger_days(NULL, 0, &days, &n), WB_EMISUSE);
    assert_int_equal(wb_ledger_finish(a), WB_OK);   /* again: a no-op */
    /* A bad policy is reported by the read functions. */
    POLICY->tier1_days = 1;
    assert_int_equal(wb_ledger_at(a, POLICY, 100, 0, &c), WB_EPOLICY);
    wb_ledger_free(a);
    wb_ledger_free(b);
}

/* Ids of up to 16 bytes live in the customer, longer ones in the arena:
 * both kinds, and ids that differ only past byte 8 or 16. */
static void short_and_long_ids(void **state)
{
    wb_ledger *l;
    wb_ledger_customer c;
    const char *ids[] = {"abcdefgh1", "abcdefgh2", "0123456789abcdef",
                         "0123456789abcdefX", "0123456789abcdefY",
                         "x", "0123456789012345678901234567890123456789"};
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < 7; i++)
            assert_int_equal(wb_ledger_add(l, ids[i], strlen(ids[i]), 100 + r, i + 1), WB_OK);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    size_t n;
    assert_int_equal(wb_ledger_count(l, &n, NULL), WB_OK);
    assert_int_equal(n, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(wb_ledger_find(l, POLICY, ids[i], strlen(ids[i]), 200, &c), WB_OK);
        assert_int_equal(c.total, 3 * (i + 1));
        assert_int_equal(c.purchases, 3);
    }
    wb_ledger_free(l);
}

static void bad_rows_are_refused_and_change_nothing(void **state)
{
    wb_ledger *l;
    char long_id[WB_ID_MAX + 2];
    memset(long_id, 'x', sizeof long_id);
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    assert_int_equal(wb_ledger_add(l, "a", 1, 0, INT64_MAX), WB_OK);
    uint64_t before = fingerprint(l, POLICY, 1000);
    assert_int_equal(wb_ledger_add(l, "a", 1, 0, 1), WB_ERANGE);    /* total */
    assert_int_equal(wb_ledger_add(l, "", 0, 0, 1), WB_EINVAL);
    assert_int_equal(wb_ledger_add(l, "b", 1, 0, -1), WB_EINVAL);
    assert_int_equal(wb_ledger_add(l, long_id, WB_ID_MAX + 1, 0, 1), WB_ETOOLONG);
    assert_int_equal(wb_ledger_add(l, "b", 1, WB_DAY_MAX + 1, 1), WB_EDATE);
    assert_int_equal(wb_ledger_add(l, "b", 1, WB_DAY_NONE, 1), WB_EDATE);
    assert_int_equal(wb_ledger_add(NULL, "b", 1, 0, 1), WB_EMISUSE);
    assert_int_equal(wb_ledger_add(l, NULL, 1, 0, 1), WB_EMISUSE);
    assert_true(fingerprint(l, POLICY, 1000) == before);
    /* Exactly WB_ID_MAX bytes is fine. */
    assert_int_equal(wb_ledger_add(l, long_id, WB_ID_MAX, 0, 1), WB_OK);
    assert_int_equal(wb_ledger_new(NULL, NULL), WB_EMISUSE);
    wb_allocator half = {f_alloc, NULL, f_free, NULL};
    wb_ledger *x;
    assert_int_equal(wb_ledger_new(&half, &x), WB_EINVAL);
    assert_int_equal(wb_ledger_merge(l, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_finish(NULL), WB_EMISUSE);
    wb_ledger_free(l);
    wb_ledger_free(NULL);    /* a harmless no-op */
}

enum { OP_MERGE, OP_FINISH, OP_FINISH_JOBS };

/* Runs one operation on `l` (whose allocator is `f`) with its k-th
 * allocation failing; returns its status and how many allocations it made. */
static int run_op(int op, wb_ledger *l, wb_ledger *other, faulty *f, long k,
                  long *calls)
{
    int rc = WB_OK;
    f->calls = 0;
    f->fail_at = k;
    if (op == OP_MERGE)
        rc = wb_ledger_merge(l, other);
    else if (op == OP_FINISH)
        rc = wb_ledger_finish(l);
    else
        rc = wb_ledger_finish_run(l, 3, NULL, NULL);
    *calls = f->calls;
    f->fail_at = 0;
    return rc;
}

/* Fails every allocation of a merge and of a finish (in one job and in
 * three) in turn: each failure must be reported, leave the ledger as it
 * was, and leak nothing; a finish that succeeds without the radix sort's
 * array (qsort, one slice) builds the same index. (Adds are covered by
 * failed_add_is_atomic.) */
static void allocation_failures(void **state)
{
    enum { N = 4000, K = 5000 };
    static char ids[K][24];
    row *rows = random_rows(N, K, 7, ids);
    wb_ledger *ref;
    assert_int_equal(wb_ledger_new(NULL, &ref), WB_OK);
    add_rows(ref, rows, N / 2);
    assert_int_equal(wb_ledger_add(ref, "fresh", 5, 10500, 1), WB_OK);
    const uint64_t finished = fingerprint(ref, POLICY, 20000);
    wb_ledger_free(ref);
    for (int op = OP_MERGE; op <= OP_FINISH_JOBS; op++) {
        long failures = 0, calls = 0;
        for (long k = 1;; k++) {
            faulty f = {0, 0, 0}, g = {0, 0, 0};
            wb_allocator fa = faulty_allocator(&f), ga = faulty_allocator(&g);
            wb_ledger *l, *other;
            assert_int_equal(wb_ledger_new(&fa, &l), WB_OK);
            assert_int_equal(wb_ledger_new(&ga, &other), WB_OK);
            add_rows(l, rows, N / 2);
            add_rows(other, rows + N / 2, N - N / 2);
            int finish = op != OP_MERGE;
            uint64_t before = finish ? 0 : fingerprint(l, POLICY, 20000);
            if (finish)                /* an unfinished ledger */
                assert_int_equal(wb_ledger_add(l, "fresh", 5, 10500, 1), WB_OK);
            int rc = run_op(op, l, other, &f, k, &calls);
            if (rc == WB_ENOMEM) {
                failures++;
                if (!finish)
                    assert_true(fingerprint(l, POLICY, 20000) == before);
                else
                    assert_int_equal(wb_ledger_finish(l), WB_OK);  /* still usable */
            } else {
                assert_int_equal(rc, WB_OK);
            }
            if (finish)
                assert_true(fingerprint(l, POLICY, 20000) == finished);
            wb_ledger_free(l);
            wb_ledger_free(other);
            assert_int_equal(f.live, 0);
            assert_int_equal(g.live, 0);
            if (rc == WB_OK && calls < k)
                break;                 /* every allocation has been failed once */
        }
        assert_true(failures >= 2);
    }
    free(rows);
}

/* One add that fails leaves exactly the ledger before it, in a ledger of
 * one part and of three (whose parts allocate, and double their buckets,
 * each on their own; a failed doubling is no failure of the add). */
static void failed_add_is_atomic_in(void **state, unsigned parts, long tries)
{
    enum { K = 5000 };
    static char ids[K][24];
    for (size_t i = 0; i < K; i++)
        snprintf(ids[i], 24, "id%zu", i);
    long hit = 0;
    for (long k = 1; k < tries; k++) {
        faulty f = {0, 0, 0};
        wb_allocator fa = faulty_allocator(&f);
        wb_ledger *l;
        assert_int_equal(wb_ledger_new_parts(&fa, parts, &l), WB_OK);
        size_t i = 0;
        f.fail_at = k + 2;            /* somewhere in the adds below */
        int rc = WB_OK;
        for (; i < K && rc == WB_OK; i++) {
            rc = wb_ledger_add(l, ids[i], strlen(ids[i]), (int32_t)i, 1);
        }
        if (rc == WB_ENOMEM) {
            hit++;
            f.fail_at = 0;
            /* Rebuild the expected state: the first i-1 adds. */
            wb_ledger *ref;
            assert_int_equal(wb_ledger_new(NULL, &ref), WB_OK);
            for (size_t j = 0; j + 1 < i; j++)
                assert_int_equal(wb_ledger_add(ref, ids[j], strlen(ids[j]), (int32_t)j, 1), WB_OK);
            assert_true(fingerprint(l, POLICY, 10000) == fingerprint(ref, POLICY, 10000));
            wb_ledger_free(ref);
        } else {
            assert_int_equal(rc, WB_OK);
            size_t n;
            assert_int_equal(wb_ledger_count(l, &n, NULL), WB_OK);
            assert_int_equal(n, K);   /* a failed doubling is harmless */
        }
        f.fail_at = 0;
        wb_ledger_free(l);
        assert_int_equal(f.live, 0);
    }
    assert_true(hit > 5);
}

static void failed_add_is_atomic(void **state)
{
    failed_add_is_atomic_in(state, 1, 40);
    failed_add_is_atomic_in(state, 3, 120);
    /* And a ledger that cannot be made is reported, leaking nothing. */
    for (long k = 1; k <= 2; k++) {
        faulty f = {0, k, 0};
        wb_allocator fa = faulty_allocator(&f);
        wb_ledger *l = NULL;
        assert_int_equal(wb_ledger_new_parts(&fa, 4, &l), WB_ENOMEM);
        assert_int_equal(f.live, 0);
    }
}

/* Bytes per customer and per purchase stay small (docs/ledger.md). */
static void memory_per_customer_and_purchase(void **state)
{
    enum { K = 100000, PER = 10 };
    wb_ledger *l;
    char id[24];
    (void)state;
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    size_t empty = wb_ledger_memory(l);
    for (int i = 0; i < K; i++) {
        snprintf(id, sizeof id, "C%07d", i);
        assert_int_equal(wb_ledger_add(l, id, 8, 1000, 100), WB_OK);
    }
    size_t one = wb_ledger_memory(l);
    for (int r = 1; r < PER; r++)
        for (int i = 0; i < K; i++) {
            snprintf(id, sizeof id, "C%07d", i);
            assert_int_equal(wb_ledger_add(l, id, 8, 1000 + r, 100), WB_OK);
        }
    size_t many = wb_ledger_memory(l);
    double per_purchase = (double)(many - one) / ((double)K * (PER - 1));
    double per_customer = (double)(one - empty) / K - per_purchase;
    print_message("ledger: %.1f bytes per customer, %.1f per purchase\n",
                  per_customer, per_purchase);
    assert_true(per_customer < 130.0);   /* docs/ledger.md: 121.6 */
    assert_true(per_purchase <= 10.0);    /* 8 bytes + array doubling slack */
    wb_ledger_free(l);
}

/* The same rows in ledgers of 1, 2, 3, 7, 64 and 512 parts: the same
 * facts, in the same order, whether added row by row, in batches, or part
 * by part. */
static void parts_do_not_change_results(void **state)
{
    enum { N = 20000, K = 3000 };
    static char ids[K][24];
    static wb_purchase batch[N];
    row *rows = random_rows(N, K, 5, ids);
    wb_ledger *one;
    (void)state;
    assert_int_equal(wb_ledger_new(NULL, &one), WB_OK);
    assert_int_equal(wb_ledger_parts(one), 1);
    add_rows(one, rows, N);
    uint64_t want = fingerprint(one, POLICY, 11500);
    as_purchases(rows, batch, N);
    const unsigned counts[] = {1, 2, 3, 7, 64, 512};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        wb_ledger *a, *b, *m;
        assert_int_equal(wb_ledger_new_parts(NULL, counts[c], &a), WB_OK);
        assert_int_equal(wb_ledger_new_parts(NULL, counts[c], &b), WB_OK);
        assert_int_equal(wb_ledger_parts(a), counts[c]);
        add_rows(a, rows, N);
        assert_true(fingerprint(a, POLICY, 11500) == want);
        /* Part by part, each part's rows in log order. */
        unsigned used = 0;
        for (unsigned p = 0; p < counts[c]; p++) {
            size_t k = 0, added;
            static wb_purchase mine[N];
            for (size_t i = 0; i < N; i++)
                if (wb_ledger_part_of(b, batch[i].id, batch[i].id_len) == p)
                    mine[k++] = batch[i];
            used += k > 0;
            assert_int_equal(wb_ledger_add_part(b, p, mine, k, &added), WB_OK);
            assert_int_equal(added, k);
        }
        /* the hash spreads the ids: 3 000 leave a few of 512 parts empty */
        assert_true(used == counts[c] || (counts[c] == 512 && used > 500));
        assert_true(fingerprint(b, POLICY, 11500) == want);
        /* Merged into a ledger of another number of parts. */
        assert_int_equal(wb_ledger_new_parts(NULL, 5, &m), WB_OK);
        assert_int_equal(wb_ledger_merge(m, b), WB_OK);
        assert_true(fingerprint(m, POLICY, 11500) == want);
        /* find agrees with at */
        wb_ledger_customer x, y;
        assert_int_equal(wb_ledger_at(a, POLICY, 11500, 17, &x), WB_OK);
        assert_int_equal(wb_ledger_find(a, POLICY, x.id, x.id_len, 11500, &y), WB_OK);
        assert_true(x.id == y.id && x.total == y.total && x.purchases == y.purchases);
        wb_ledger_free(a);
        wb_ledger_free(b);
        wb_ledger_free(m);
    }
    wb_ledger_free(one);
    free(rows);
}

static void parts_misuse(void **state)
{
    wb_ledger *l;
    wb_purchase r = {"abc", 3, 10000, 0, 5};
    size_t added = 99;
    (void)state;
    assert_int_equal(wb_ledger_new_parts(NULL, 0, &l), WB_EINVAL);
    assert_int_equal(wb_ledger_new_parts(NULL, 513, &l), WB_EINVAL);
    assert_int_equal(wb_ledger_new_parts(NULL, 1, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_parts(NULL), 0);
    assert_int_equal(wb_ledger_new_parts(NULL, 4, &l), WB_OK);
    assert_int_equal(wb_ledger_part_of(NULL, "abc", 3), 0);
    assert_int_equal(wb_ledger_part_of(l, "", 0), 0);
    unsigned p = wb_ledger_part_of(l, "abc", 3);
    assert_true(p < 4);
    const char *id;
    size_t id_len;
    assert_int_equal(wb_ledger_add_part(NULL, 0, &r, 1, &added), WB_EMISUSE);
    assert_int_equal(wb_ledger_id_at(l, 0, &id, &id_len), WB_EMISUSE);   /* not finished */
    assert_int_equal(wb_ledger_add_part(l, 4, &r, 1, &added), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_part(l, p, NULL, 1, &added), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_part(l, (p + 1) % 4, &r, 1, &added), WB_EMISUSE);
    assert_int_equal(added, 0);
    r.amount = -1;                            /* a bad row: the usual error */
    assert_int_equal(wb_ledger_add_part(l, p, &r, 1, &added), WB_EINVAL);
    r.amount = 5;
    assert_int_equal(wb_ledger_add_part(l, p, &r, 1, &added), WB_OK);
    assert_int_equal(added, 1);
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_id_at(l, 0, &id, &id_len), WB_OK);
    assert_true(id_len == 3 && memcmp(id, "abc", 3) == 0);
    assert_int_equal(wb_ledger_id_at(l, 1, &id, &id_len), WB_ENOTFOUND);
    assert_int_equal(wb_ledger_id_at(NULL, 0, &id, &id_len), WB_EMISUSE);
    assert_int_equal(wb_ledger_id_at(l, 0, NULL, &id_len), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_part(l, p, &r, 1, &added), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_many(l, &r, 1, &added), WB_OK);  /* drops the index */
    assert_int_equal(wb_ledger_add_part(l, p, &r, 1, &added), WB_OK);
    size_t n, rows;
    assert_int_equal(wb_ledger_count(l, &n, &rows), WB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows, 3);
    wb_ledger_free(l);
}

/* A sealed ledger answers every query as the finished one did, holds less,
 * and refuses to change. */
static void sealed_ledger_is_read_only(void **state)
{
    enum { N = 5000, K = 400 };
    static char ids[K][24];
    row *rows = random_rows(N, K, 11, ids);
    wb_ledger *l, *other;
    wb_purchase r = {"abc", 3, 10000, 0, 5};
    (void)state;
    assert_int_equal(wb_ledger_new_parts(NULL, 2, &l), WB_OK);
    assert_int_equal(wb_ledger_new(NULL, &other), WB_OK);
    add_rows(l, rows, N);
    uint64_t want = fingerprint(l, POLICY, 11500);
    size_t before = wb_ledger_memory(l);
    assert_int_equal(wb_ledger_seal(l), WB_OK);
    assert_int_equal(wb_ledger_seal(l), WB_OK);
    assert_true(wb_ledger_memory(l) + N * 8 <= before);
    assert_true(fingerprint(l, POLICY, 11500) == want);
    const int32_t *days;
    size_t n, count, purchases;
    assert_int_equal(wb_ledger_days(l, 0, &days, &n), WB_OK);
    assert_int_equal(wb_ledger_count(l, &count, &purchases), WB_OK);
    assert_int_equal(purchases, N);
    assert_int_equal(wb_ledger_add(l, "abc", 3, 10000, 5), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_many(l, &r, 1, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_add_part(l, 0, &r, 1, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_merge(l, other), WB_EMISUSE);
    assert_int_equal(wb_ledger_merge(other, l), WB_EMISUSE);
    assert_true(fingerprint(l, POLICY, 11500) == want);
    assert_int_equal(wb_ledger_seal(NULL), WB_EMISUSE);
    wb_ledger_customer c;
    const char *id;
    assert_int_equal(wb_ledger_find(l, POLICY, NULL, 3, 11500, &c), WB_EMISUSE);
    assert_int_equal(wb_ledger_find(l, POLICY, "C0000001", 8, 11500, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_find(l, POLICY, "nobody", 6, 11500, &c), WB_ENOTFOUND);
    /* Sealed, find searches the ranks: every id is found at its own rank,
     * and an id one byte shorter or longer than a customer's is not. */
    for (size_t k = 0; k < count; k++) {
        wb_ledger_customer at;
        size_t id_len;
        char longer[WB_ID_MAX + 1];
        assert_int_equal(wb_ledger_id_at(l, k, &id, &id_len), WB_OK);
        assert_int_equal(wb_ledger_at(l, POLICY, 11500, k, &at), WB_OK);
        assert_int_equal(wb_ledger_find(l, POLICY, id, id_len, 11500, &c), WB_OK);
        assert_true(c.id == at.id && c.total == at.total && c.purchases == at.purchases);
        assert_int_equal(wb_ledger_find(l, POLICY, id, id_len - 1, 11500, &c),
                         WB_ENOTFOUND);     /* every id here has 8 bytes */
        memcpy(longer, id, id_len);
        longer[id_len] = '~';
        assert_int_equal(wb_ledger_find(l, POLICY, longer, id_len + 1, 11500, &c),
                         WB_ENOTFOUND);
    }
    assert_int_equal(wb_ledger_days(l, 0, NULL, &n), WB_EMISUSE);
    assert_int_equal(wb_ledger_days(l, 0, &days, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_days(l, count, &days, &n), WB_ENOTFOUND);
    assert_int_equal(wb_ledger_id_at(l, 0, &id, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_merge(NULL, other), WB_EMISUSE);
    assert_int_equal(wb_ledger_merge(other, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_memory(NULL), 0);
    assert_int_equal(wb_ledger_id_bytes(NULL), 0);
    assert_int_equal(wb_ledger_part_of(l, "x", WB_ID_MAX + 1), 0);
    assert_int_equal(wb_ledger_part_of(l, NULL, 1), 0);
    /* Sealing runs out of memory where finishing does: reported, and the
     * ledger is as it was, still open to adds. */
    for (long k = 1; k <= 6; k++) {
        faulty f = {0, 0, 0};
        wb_allocator fa = faulty_allocator(&f);
        wb_ledger *m;
        assert_int_equal(wb_ledger_new_parts(&fa, 2, &m), WB_OK);
        add_rows(m, rows, 50);
        f.calls = 0;
        f.fail_at = k;
        int rc = wb_ledger_seal(m);
        f.fail_at = 0;
        if (rc == WB_ENOMEM)
            assert_int_equal(wb_ledger_add(m, "later", 5, 10000, 1), WB_OK);
        else
            assert_int_equal(rc, WB_OK);
        wb_ledger_free(m);
        assert_int_equal(f.live, 0);
    }
    wb_ledger_free(l);
    wb_ledger_free(other);
    free(rows);
}

/* Two threads fill the two parts at once (run under TSan by
 * make check-sanitize): the same facts as one thread. */
typedef struct part_job {
    wb_ledger *l;
    unsigned part;
    const wb_purchase *rows;
    size_t n;
    int rc;
} part_job;

static void *fill_part(void *arg)
{
    part_job *j = arg;
    for (size_t i = 0; i < j->n && j->rc == WB_OK; i += 64)
        j->rc = wb_ledger_add_part(j->l, j->part, j->rows + i,
                                   j->n - i < 64 ? j->n - i : 64, NULL);
    return NULL;
}

static void parts_fill_concurrently(void **state)
{
    enum { N = 40000, K = 6000 };
    static char ids[K][24];
    static wb_purchase mine[2][N];
    size_t k[2] = {0, 0};
    row *rows = random_rows(N, K, 23, ids);
    wb_ledger *one, *two;
    (void)state;
    assert_int_equal(wb_ledger_new(NULL, &one), WB_OK);
    add_rows(one, rows, N);
    assert_int_equal(wb_ledger_new_parts(NULL, 2, &two), WB_OK);
    for (size_t i = 0; i < N; i++) {
        wb_purchase r = {rows[i].id, strlen(rows[i].id), rows[i].day, 0, rows[i].amount};
        unsigned p = wb_ledger_part_of(two, r.id, r.id_len);
        mine[p][k[p]++] = r;
    }
    part_job jobs[2] = {{two, 0, mine[0], k[0], WB_OK}, {two, 1, mine[1], k[1], WB_OK}};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fill_part, &jobs[1]), 0);
    fill_part(&jobs[0]);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(jobs[0].rc, WB_OK);
    assert_int_equal(jobs[1].rc, WB_OK);
    assert_true(fingerprint(two, POLICY, 11500) == fingerprint(one, POLICY, 11500));
    wb_ledger_free(one);
    wb_ledger_free(two);
    free(rows);
}

/* Runners for wb_ledger_finish_run: one after another backwards, and one
 * thread a job. Each counts the jobs it ran into its runner. */
typedef struct runner_log {
    unsigned runs, jobs, most;
} runner_log;

static void run_backwards(void *runner, wb_job_fn job, void *arg, unsigned n)
{
    runner_log *log = runner;
    log->runs++;
    log->most = n > log->most ? n : log->most;
    for (unsigned k = n; k-- > 0;) {
        job(arg, k);
        log->jobs++;
    }
}

typedef struct thread_job {
    wb_job_fn job;
    void *arg;
    unsigned k;
} thread_job;

static void *thread_main(void *p)
{
    const thread_job *t = p;
    t->job(t->arg, t->k);
    return NULL;
}

static void run_threads(void *runner, wb_job_fn job, void *arg, unsigned n)
{
    runner_log *log = runner;
    pthread_t th[WB_LEDGER_JOBS_MAX];
    thread_job tj[WB_LEDGER_JOBS_MAX];
    for (unsigned k = 0; k < n; k++) {
        thread_job t = {job, arg, k};
        tj[k] = t;
        assert_int_equal(pthread_create(&th[k], NULL, thread_main, &tj[k]), 0);
    }
    for (unsigned k = 0; k < n; k++)
        assert_int_equal(pthread_join(th[k], NULL), 0);
    log->runs++;
    log->jobs += n;
    log->most = n > log->most ? n : log->most;
}

/* The index of a finish in jobs is the plain finish's, whatever the jobs,
 * the runner and the parts, even with more jobs than customers and with
 * ids that agree on their first 8 bytes (merged by their whole bytes);
 * the runner is handed each share once. */
static void finish_in_jobs_is_finish(void **state)
{
    enum { N = 20000, K = 3000 };
    static char ids[K][24];
    row *rows = random_rows(N, K, 31, ids);
    const unsigned jobs[] = {1, 2, 3, 5, 7, WB_LEDGER_JOBS_MAX};
    const wb_run_fn runners[] = {NULL, run_backwards, run_threads};
    const size_t sizes[] = {N, 5, N};         /* 5 rows: fewer customers than jobs */
    (void)state;
    for (size_t z = 0; z < 3; z++) {
        if (z == 2)                           /* the rows point at these */
            for (size_t i = 0; i < K; i++)
                snprintf(ids[i], sizeof ids[i], "customer-%07zu", (i * 7919) % K);
        for (unsigned parts = 1; parts <= 3; parts += 2) {
            wb_ledger *one;
            assert_int_equal(wb_ledger_new_parts(NULL, parts, &one), WB_OK);
            add_rows(one, rows, sizes[z]);
            uint64_t want = fingerprint(one, POLICY, 11500);
            wb_ledger_free(one);
            for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++)
                for (size_t r = 0; r < 3; r++) {
                    wb_ledger *l;
                    runner_log log = {0, 0, 0};
                    assert_int_equal(wb_ledger_new_parts(NULL, parts, &l), WB_OK);
                    add_rows(l, rows, sizes[z]);
                    assert_int_equal(wb_ledger_finish_run(l, jobs[j], runners[r], &log), WB_OK);
                    if (runners[r] != NULL) {   /* sort, merge, count, place, order */
                        assert_int_equal(log.runs, 5);
                        assert_int_equal(log.jobs, 5 * jobs[j]);
                        assert_int_equal(log.most, jobs[j]);
                    }
                    assert_true(fingerprint(l, POLICY, 11500) == want);
                    wb_ledger_free(l);
                }
        }
    }
    free(rows);
}

static void finish_run_misuse(void **state)
{
    wb_ledger *l;
    wb_ledger_customer c;
    (void)state;
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    assert_int_equal(wb_ledger_add(l, "A", 1, 100, 5), WB_OK);
    assert_int_equal(wb_ledger_finish_run(NULL, 1, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_finish_run(l, 0, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_finish_run(l, WB_LEDGER_JOBS_MAX + 1, NULL, NULL), WB_EMISUSE);
    assert_int_equal(wb_ledger_at(l, POLICY, 200, 0, &c), WB_EMISUSE);   /* unfinished */
    assert_int_equal(wb_ledger_finish_run(l, 2, NULL, NULL), WB_OK);
    assert_int_equal(wb_ledger_at(l, POLICY, 200, 0, &c), WB_OK);
    assert_int_equal(wb_ledger_finish_run(l, 2, NULL, NULL), WB_OK);      /* already */
    wb_ledger_free(l);
}

/* wb_ledger_at_many is wb_ledger_at for a run of customers, each with its
 * own status (a purchase after as_of fails its customer only), and fails
 * whole, writing nothing, for a bad call. */
static void at_many_is_at(void **state)
{
    enum { N = 6000, K = 900 };
    static char ids[K][24];
    static wb_ledger_customer got[K], one;
    static int32_t status[K];
    row *rows = random_rows(N, K, 43, ids);
    wb_ledger *l;
    size_t n, failed = 99, want_failed = 0;
    const int32_t as_of = 10900;              /* days run to 10999: some fail */
    assert_int_equal(wb_ledger_new(NULL, &l), WB_OK);
    add_rows(l, rows, N);
    assert_int_equal(wb_ledger_at_many(l, POLICY, as_of, 0, 1, got, status, NULL),
                     WB_EMISUSE);             /* unfinished */
    assert_int_equal(wb_ledger_finish(l), WB_OK);
    assert_int_equal(wb_ledger_count(l, &n, NULL), WB_OK);
    assert_int_equal(wb_ledger_at_many(l, POLICY, as_of, 0, n, got, status, &failed), WB_OK);
    for (size_t i = 0; i < n; i++) {
        int rc = wb_ledger_at(l, POLICY, as_of, i, &one);
        assert_int_equal(status[i], rc);
        want_failed += rc != WB_OK;
        if (rc == WB_OK)
            assert_memory_equal(&got[i], &one, sizeof one);
    }
    assert_true(want_failed > 0 && want_failed < n);
    assert_int_equal(failed, want_failed);
    /* A run in the middle, and the empty ones at both ends. */
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, 100, 7, got, status, NULL), WB_OK);
    assert_int_equal(wb_ledger_at(l, POLICY, 20000, 103, &one), WB_OK);
    assert_memory_equal(&got[3], &one, sizeof one);
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, 0, 0, NULL, NULL, NULL), WB_OK);
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, n, 0, NULL, NULL, NULL), WB_OK);
    /* Bad calls write nothing. */
    status[0] = 12345;
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, n - 2, 3, got, status, NULL),
                     WB_ENOTFOUND);
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, n + 1, 0, got, status, NULL),
                     WB_ENOTFOUND);
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, 0, 2, NULL, status, NULL),
                     WB_EMISUSE);
    assert_int_equal(wb_ledger_at_many(l, POLICY, 20000, 0, 2, got, NULL, NULL),
                     WB_EMISUSE);
    assert_int_equal(wb_ledger_at_many(NULL, POLICY, 20000, 0, 0, NULL, NULL, NULL),
                     WB_EMISUSE);
    wb_policy bad = *POLICY;
    bad.tier1_days = bad.watch_days;          /* tiers must grow */
    assert_int_equal(wb_ledger_at_many(l, &bad, 20000, 0, 2, got, status, NULL), WB_EPOLICY);
    assert_int_equal(wb_ledger_at(l, &bad, 20000, 0, &one), WB_EPOLICY);
    assert_int_equal(status[0], 12345);
    wb_ledger_free(l);
    free(rows);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, policy_setup)
    const struct CMUnitTest tests[] = {
        T(facts_of_one_customer),
        T(ids_in_byte_order),
        T(order_and_split_do_not_matter),
        T(add_many_is_many_adds),
        T(short_and_long_ids),
        T(misuse_and_limits),
        T(bad_rows_are_refused_and_change_nothing),
        T(allocation_failures),
        T(failed_add_is_atomic),
        T(memory_per_customer_and_purchase),
        T(parts_do_not_change_results),
        T(parts_misuse),
        T(sealed_ledger_is_read_only),
        T(parts_fill_concurrently),
        T(finish_in_jobs_is_finish),
        T(finish_run_misuse),
        T(random_ids_in_byte_order),
        T(at_many_is_at),
    };
    return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
