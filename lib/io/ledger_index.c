/*
 * ledger_index.c -- per-customer facts out: the read index of a ledger and
 * the queries on it.
 *
 * wb_ledger_finish ranks every customer of every part by id, then groups
 * the purchase days by rank with a counting sort and sorts each group, so
 * that reading the customers in id order reads the days in memory order.
 * wb_ledger_finish_run cuts the sorting of the customers, the counting and
 * placing of the days (by part) and their ordering (by range of ranks)
 * into jobs that the caller's threads run; the index is the same whatever
 * the jobs.
 */
#include <stdlib.h>
#include <string.h>

#include "io/ledger_internal.h"

/* Sizes of the index arrays; +1 keeps every allocation non-empty. */
static const size_t RANK_ELEM = sizeof(const wb_cust *); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
static size_t cust_bytes(size_t n, size_t elem) { return n * elem + 1; }

/* Frees whichever index arrays exist (all of them once built, some after
 * a failed build) for n customers and rows rows. */
static void free_index(wb_ledger *l, size_t n, size_t rows)
{
    void **arr[3] = {(void **)&l->by_rank, (void **)&l->offsets, (void **)&l->days};
    size_t sizes[3] = {cust_bytes(n, RANK_ELEM), cust_bytes(n + 1, sizeof *l->offsets),
                       cust_bytes(rows, sizeof *l->days)};
    for (int i = 0; i < 3; i++)
        if (*arr[i] != NULL) {
            l->a.free(l->a.ud, *arr[i], sizes[i]);
            l->bytes -= sizes[i];
            *arr[i] = NULL;
        }
}

void wb__ledger_drop_index(wb_ledger *l)
{
    if (l->by_rank != NULL)
        free_index(l, l->index_ncust, l->index_npairs);
}

static void *index_alloc(wb_ledger *l, size_t bytes)
{
    void *p = l->a.alloc(l->a.ud, bytes);
    if (p != NULL)
        l->bytes += bytes;
    return p;
}

/* Gives back the slack of the doubling growth (up to half the rows' memory)
 * before the index is built, which lowers the peak. A refusal is harmless:
 * the array stays as it was. */
static void shrink_pairs(wb_part *pt)
{
    if (pt->npairs == 0 || pt->pairs_cap == pt->npairs)
        return;
    size_t old_bytes = pt->pairs_cap * sizeof *pt->pairs;
    size_t new_bytes = pt->npairs * sizeof *pt->pairs;
    wb_pair *p = pt->a.realloc(pt->a.ud, pt->pairs, old_bytes, new_bytes);
    if (p == NULL)
        return;
    pt->pairs = p;
    pt->pairs_cap = pt->npairs;
    pt->bytes -= old_bytes - new_bytes;
}

/* A customer to sort, with the first 8 bytes of its id as a big-endian
 * number, so that most comparisons need not follow the pointer, and its
 * slot: where its cursor is (part_base[part] + index in the part). */
typedef struct sort_key {
    uint64_t prefix;
    const wb_cust *c;
    uint32_t slot;
} sort_key;

static uint64_t id_prefix(const wb_cust *c)
{
    const unsigned char *k = c->hh.key;
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v = v << 8 | (i < c->hh.keylen ? k[i] : 0u);
    return v;
}

/* Ascending byte order, shorter first on a common prefix. */
static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    unsigned nx = x->c->hh.keylen, ny = y->c->hh.keylen;
    int c = memcmp(x->c->hh.key, y->c->hh.key, nx < ny ? nx : ny);
    if (c != 0)
        return c;
    return (nx > ny) - (nx < ny);
}

/* Sorts keys[0..n) by prefix with a radix sort (LSD, so equal prefixes
 * keep their order) over only the bits in which the prefixes differ, in
 * digits of at most RADIX_BITS: ids of up to six digits differ in 46 bits
 * of their eight bytes, five passes where a byte at a time took six (the
 * finish of the 5 M-row log 0.032 -> 0.030 s). tmp holds n keys. The
 * result ends up in keys. */
#define RADIX_BITS 11
static void radix_by_prefix(sort_key *keys, sort_key *tmp, size_t n)
{
    sort_key *from = keys, *to = tmp;
    uint64_t any = 0, all = ~(uint64_t)0;
    if (n < 2)
        return;                               /* sorted; keys[0] may be another job's */
    for (size_t i = 0; i < n; i++) {
        any |= keys[i].prefix;
        all &= keys[i].prefix;
    }
    uint64_t varying = any & ~all;
    if (varying == 0)
        return;                               /* one prefix: nothing moves */
    unsigned low = (unsigned)__builtin_ctzll(varying);
    unsigned bits = 64 - (unsigned)__builtin_clzll(varying) - low;
    unsigned passes = (bits + RADIX_BITS - 1) / RADIX_BITS;
    unsigned width = (bits + passes - 1) / passes;
    uint64_t mask = ((uint64_t)1 << width) - 1;
    for (unsigned k = 0; k < passes; k++) {
        unsigned shift = low + k * width;
        uint32_t count[(1u << RADIX_BITS) + 1] = {0};   /* n < 2^31 */
        for (size_t i = 0; i < n; i++)
            count[((from[i].prefix >> shift) & mask) + 1]++;
        for (size_t b = 0; b < mask + 1; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            to[count[(from[i].prefix >> shift) & mask]++] = from[i];
        sort_key *swap = from;
        from = to;
        to = swap;
    }
    if (from != keys)
        memcpy(keys, from, n * sizeof *keys);
}

/* Runs of equal prefix (ids that agree on their first 8 bytes) in full
 * byte order. */
static void sort_ties(sort_key *keys, size_t n)
{
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && keys[j].prefix == keys[i].prefix; j++)
            ;
        if (j - i > 1)
            qsort(keys + i, j - i, sizeof *keys, cmp_key);
    }
}

/* The work of one finish, shared by its jobs: job k of `jobs` sorts the
 * k-th slice of the customers, merges the k-th range of ranks from the
 * sorted slices, counts and then places the days of parts k, k + jobs,
 * ..., and sorts the days of the k-th range of ranks. No two jobs write
 * the same bytes. */
enum { STAGE_SORT, STAGE_MERGE, STAGE_COUNT, STAGE_PLACE, STAGE_ORDER };
typedef struct finish_work {
    wb_ledger *l;
    unsigned jobs;
    int stage;
    sort_key *keys, *tmp;       /* tmp NULL: no room for it, one slice */
    const sort_key *runs;       /* the last two sorted runs, [0, mid) and
                                   [mid, n), which STAGE_MERGE merges */
    size_t mid;
    uint32_t *cursor;           /* by part_base[part] + index in the part: a
                                   customer's count of days, then where its
                                   next day goes */
    const uint32_t *part_base;
} finish_work;

/* The k-th of `jobs` even slices of [0, n). */
static size_t slice_at(size_t n, unsigned k, unsigned jobs)
{
    return (size_t)((uint64_t)n * k / jobs);
}

/* Keys of customers [from, to), counted over the parts in order. */
static void fill_keys(const wb_ledger *l, sort_key *keys, size_t from, size_t to)
{
    size_t base = 0;
    for (unsigned p = 0; p < l->nparts && base < to; base += l->parts[p++].ncust) {
        const wb_part *pt = &l->parts[p];
        size_t lo = from > base ? from - base : 0;
        size_t hi = to - base < pt->ncust ? to - base : pt->ncust;
        for (size_t i = lo; i < hi; i++) {
            keys[base + i].c = wb__cust_at(pt, (uint32_t)i);
            keys[base + i].prefix = id_prefix(keys[base + i].c);
            keys[base + i].slot = (uint32_t)(base + i);
        }
    }
}

/* Customers [from, to) in id order: the radix sort takes 135 ms of
 * finishing 5 M rows where qsort's comparisons took 190; without memory
 * for its second array, qsort does the work alone. */
static void sort_slice(const finish_work *w, size_t from, size_t to)
{
    fill_keys(w->l, w->keys, from, to);
    if (w->tmp != NULL) {
        radix_by_prefix(w->keys + from, w->tmp + from, to - from);
        sort_ties(w->keys + from, to - from);
    } else {
        qsort(w->keys + from, to - from, sizeof *w->keys, cmp_key);
    }
}

/* The sorted runs [a, m) and [m, b) of `from` as one run in `to`; on a
 * tie (which distinct ids never are) the first run's key goes first. */
static void merge_runs(const sort_key *from, sort_key *to, size_t a, size_t m,
                       size_t b)
{
    size_t i = a, j = m, o = a;
    while (i < m && j < b)
        to[o++] = cmp_key(&from[j], &from[i]) < 0 ? from[j++] : from[i++];
    while (i < m)
        to[o++] = from[i++];
    while (j < b)
        to[o++] = from[j++];
}

/* The jobs' sorted slices merged two by two until two runs are left, the
 * first ending at *mid; returns the array that holds them, keys or tmp. */
static const sort_key *merge_slices(sort_key *keys, sort_key *tmp, size_t n,
                                    unsigned slices, size_t *mid)
{
    sort_key *from = keys, *to = tmp;
    unsigned width = 1;
    for (; 2 * width < slices; width *= 2) {
        for (unsigned k = 0; k < slices; k += 2 * width) {
            unsigned half = k + width < slices ? k + width : slices;
            unsigned end = k + 2 * width < slices ? k + 2 * width : slices;
            merge_runs(from, to, slice_at(n, k, slices), slice_at(n, half, slices),
                       slice_at(n, end, slices));
        }
        sort_key *swap = from;
        from = to;
        to = swap;
    }
    *mid = slice_at(n, width, slices);
    return from;
}

/* Where the first d keys of the merge of a = runs[0, m) and b = runs[m, n)
 * come from: a[0, i) and b[0, d - i), i returned. Ties go to a first, as
 * in merge_runs: i is the least with b[d - i - 1] before a[i]. */
static size_t merge_split(const sort_key *runs, size_t m, size_t n, size_t d)
{
    const sort_key *a = runs, *b = runs + m;
    size_t lo = d > n - m ? d - (n - m) : 0, hi = d < m ? d : m;
    while (lo < hi) {
        size_t i = lo + (hi - lo) / 2;
        if (cmp_key(&b[d - i - 1], &a[i]) < 0)
            hi = i;
        else
            lo = i + 1;
    }
    return lo;
}

/* Ranks [from, to) of the merge of the last two runs, written as the
 * ranks' customers and (for start_groups) slots: each job its share, so
 * that the last merge, once a tenth of the finish on one thread, is on
 * all of them. */
static void merge_ranks(const finish_work *w, size_t from, size_t to)
{
    wb_ledger *l = w->l;
    size_t m = w->mid, n = l->index_ncust;
    size_t i = merge_split(w->runs, m, n, from), j = m + (from - i);
    for (size_t r = from; r < to; r++) {
        const sort_key *k = i < m && (j >= n || cmp_key(&w->runs[j], &w->runs[i]) >= 0)
                                ? &w->runs[i++] : &w->runs[j++];
        l->by_rank[r] = k->c;
        l->offsets[r] = k->slot;          /* for start_groups */
    }
}

/* Insertion sort: most customers have a few rows, for which qsort's calls
 * cost more than the sort (the caller takes qsort past 64 rows). */
static void sort_days(int32_t *d, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        int32_t v = d[i];
        uint32_t j = i;
        for (; j > 0 && d[j - 1] > v; j--)
            d[j] = d[j - 1];
        d[j] = v;
    }
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The days of part p to their groups, in the part's row order. */
static void place_part(const finish_work *w, unsigned p)
{
    wb_ledger *l = w->l;
    const wb_part *pt = &l->parts[p];
    uint32_t *cursor = w->cursor + w->part_base[p];
    for (size_t i = 0; i < pt->npairs; i++)
        l->days[cursor[pt->pairs[i].cust]++] = pt->pairs[i].day;
}

static void order_days(const finish_work *w, uint32_t lo, uint32_t hi)
{
    wb_ledger *l = w->l;
    for (uint32_t r = lo; r < hi; r++) {
        uint32_t k = l->offsets[r + 1] - l->offsets[r];
        if (k > 64)
            qsort(l->days + l->offsets[r], k, sizeof *l->days, cmp_day);
        else
            sort_days(l->days + l->offsets[r], k);
    }
}

/* Each customer's days of part p, counted in the part's own block, which
 * a part of a few hundred thousand customers keeps in cache; counted by
 * rank, each day cost a random read of its rank and a random increment
 * over all customers. */
static void count_part(const finish_work *w, unsigned p)
{
    const wb_part *pt = &w->l->parts[p];
    uint32_t *count = w->cursor + w->part_base[p];
    for (size_t i = 0; i < pt->npairs; i++)
        count[pt->pairs[i].cust]++;
}

static void finish_job(void *arg, unsigned k)
{
    const finish_work *w = arg;
    size_t n = w->l->index_ncust;
    uint32_t lo = (uint32_t)slice_at(n, k, w->jobs), hi = (uint32_t)slice_at(n, k + 1, w->jobs);
    if (w->stage == STAGE_SORT)
        sort_slice(w, lo, hi);
    else if (w->stage == STAGE_MERGE)
        merge_ranks(w, lo, hi);
    else if (w->stage == STAGE_COUNT)
        for (unsigned p = k; p < w->l->nparts; p += w->jobs)
            count_part(w, p);
    else if (w->stage == STAGE_PLACE)
        for (unsigned p = k; p < w->l->nparts; p += w->jobs)
            place_part(w, p);
    else
        order_days(w, lo, hi);
}

static void run_here(void *runner, wb_job_fn job, void *arg, unsigned n)
{
    (void)runner;
    for (unsigned k = 0; k < n; k++)
        job(arg, k);
}

/* by_rank: every customer in id order, each job sorting a slice, the
 * slices then merged. Without room for the radix sort's second array
 * (which the merge uses too) one slice is sorted by qsort. */
static int rank_customers(finish_work *w, wb_run_fn run, void *runner, size_t n)
{
    wb_ledger *l = w->l;
    size_t bytes;
    unsigned jobs = w->jobs;
    WB_FORWARD(wb__array_bytes(n, sizeof(sort_key), &bytes));
    w->keys = l->a.alloc(l->a.ud, bytes + 1);
    WB_RETURN_IF(w->keys == NULL, WB_ENOMEM);
    w->tmp = n > 1 ? l->a.alloc(l->a.ud, bytes) : NULL;
    if (w->tmp == NULL)
        w->jobs = 1;
    w->stage = STAGE_SORT;
    run(runner, finish_job, w, w->jobs);
    /* One slice is one run: merged with none, it is copied. */
    w->runs = w->tmp != NULL ? merge_slices(w->keys, w->tmp, n, w->jobs, &w->mid) : w->keys;
    if (w->tmp == NULL || w->jobs == 1)
        w->mid = n;
    w->stage = STAGE_MERGE;
    run(runner, finish_job, w, w->jobs);
    if (w->tmp != NULL)
        l->a.free(l->a.ud, w->tmp, bytes);
    l->a.free(l->a.ud, w->keys, bytes + 1);
    w->jobs = jobs;
    return WB_OK;
}

/* Where each part's customers start in the cursors, by part. */
static void part_bases(const wb_ledger *l, uint32_t *part_base)
{
    part_base[0] = 0;
    for (unsigned p = 0; p < l->nparts; p++)
        part_base[p + 1] = part_base[p] + l->parts[p].ncust;
}

/* The groups' starts in rank order: each customer's count becomes the
 * offset of its group (by rank) and its cursor (by slot). offsets[r]
 * holds the slot of rank r's customer until then (rank_customers), so
 * that no customer is read: they are anywhere in memory, and reading them
 * in rank order took 12 ms of finishing 5 M rows. */
static void start_groups(finish_work *w)
{
    wb_ledger *l = w->l;
    uint32_t start = 0, n = l->index_ncust;
    for (uint32_t r = 0; r < n; r++) {
        uint32_t *at = &w->cursor[l->offsets[r]];
        uint32_t count = *at;
        l->offsets[r] = start;
        *at = start;
        start += count;        /* at most the rows, which fit int32 */
    }
    l->offsets[l->index_ncust] = start;
}

/* Counting sort of the days by rank, then each group by day: the days
 * counted by part, the groups started in rank order, the days placed by
 * part (each customer's cursor is in its part's block, so a part's jobs
 * need no rank), then each group sorted. */
static void group_days(finish_work *w, wb_run_fn run, void *runner)
{
    memset(w->cursor, 0, (size_t)w->l->index_ncust * sizeof *w->cursor);
    w->stage = STAGE_COUNT;
    run(runner, finish_job, w, w->jobs);
    start_groups(w);
    w->stage = STAGE_PLACE;
    run(runner, finish_job, w, w->jobs);
    w->stage = STAGE_ORDER;
    run(runner, finish_job, w, w->jobs);
}

/* The index's arrays, ranked customers and their offsets first (sorting
 * needs its own temporary memory; the rest is allocated after it, to keep
 * the peak low). */
static int build_index(finish_work *w, wb_run_fn run, void *runner, size_t n,
                       size_t rows)
{
    wb_ledger *l = w->l;
    uint32_t part_base[WB_LEDGER_PARTS_MAX + 1] = {0};
    l->by_rank = index_alloc(l, cust_bytes(n, RANK_ELEM));
    l->offsets = index_alloc(l, cust_bytes(n + 1, sizeof *l->offsets));
    WB_RETURN_IF(l->by_rank == NULL || l->offsets == NULL, WB_ENOMEM);
    WB_FORWARD(rank_customers(w, run, runner, n));
    l->days = index_alloc(l, cust_bytes(rows, sizeof *l->days));
    uint32_t *cursor = l->a.alloc(l->a.ud, cust_bytes(n, sizeof *cursor));
    if (l->days == NULL || cursor == NULL) {
        if (cursor != NULL)
            l->a.free(l->a.ud, cursor, cust_bytes(n, sizeof *cursor));
        return WB_ENOMEM;
    }
    part_bases(l, part_base);
    w->cursor = cursor;
    w->part_base = part_base;
    group_days(w, run, runner);
    w->cursor = NULL;                   /* neither outlives this call */
    w->part_base = NULL;
    l->a.free(l->a.ud, cursor, cust_bytes(n, sizeof *cursor));
    return WB_OK;
}

int wb_ledger_finish_run(wb_ledger *l, unsigned jobs, wb_run_fn run, void *runner)
{
    size_t n, rows;
    WB_RETURN_IF(l == NULL || jobs == 0 || jobs > WB_LEDGER_JOBS_MAX, WB_EMISUSE);
    if (l->by_rank != NULL)
        return WB_OK;                     /* already finished */
    for (unsigned p = 0; p < l->nparts; p++)
        shrink_pairs(&l->parts[p]);
    wb__ledger_sizes(l, &n, &rows);
    /* Each part's rows are bounded as they are added, their sum only
     * here: a bound of INT32_MAX / parts on each part refused a customer's
     * rows past 4 M in a ledger of 512 parts. */
    WB_RETURN_IF(rows > WB_LEDGER_ROWS_MAX, WB_ERANGE);
    /* Counts are bounded by INT32_MAX, so these sizes cannot overflow. */
    l->index_ncust = (uint32_t)n;
    l->index_npairs = rows;
    finish_work w = {l, jobs, STAGE_SORT, NULL, NULL, NULL, 0, NULL, NULL};
    int rc = build_index(&w, run != NULL ? run : run_here, runner, n, rows);
    if (rc != WB_OK)
        free_index(l, n, rows);
    return rc;
}

int wb_ledger_finish(wb_ledger *l)
{
    return wb_ledger_finish_run(l, 1, NULL, NULL);
}

int wb_ledger_seal(wb_ledger *l)
{
    WB_RETURN_IF(l == NULL, WB_EMISUSE);
    WB_FORWARD(wb_ledger_finish(l));
    for (unsigned p = 0; p < l->nparts; p++) {
        wb_part *pt = &l->parts[p];
        /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
        wb_part *L = pt;
        wb__part_free(pt, pt->pairs, pt->pairs_cap * sizeof *pt->pairs);
        pt->pairs = NULL;                 /* npairs still counts them */
        pt->pairs_cap = 0;
        /* Only adding looks customers up by hash (finding searches the
         * ranks), so the tables go: 16 bytes a customer. The customers
         * keep their handles, whose keys the ranks read. */
        HASH_CLEAR(hh, pt->hash);
        wb__sync_buckets(pt);
        pt->last = NULL;
    }
    l->sealed = 1;
    return WB_OK;
}

/* Facts of the customer of rank r from the finished index; the caller has
 * checked the policy. */
static int describe(const wb_ledger *l, const wb_policy *p, int32_t as_of,
                    uint32_t r, wb_ledger_customer *out)
{
    const wb_cust *c = l->by_rank[r];
    const int32_t *d = l->days + l->offsets[r];
    uint32_t n = l->offsets[r + 1] - l->offsets[r];
    wb_ledger_customer x;
    WB_FORWARD(wb__history_losses(p, d, n, as_of, &x.history));
    x.id = c->hh.key;
    x.id_len = c->hh.keylen;
    x.first_day = d[0];                   /* every customer has a row */
    x.last_day = d[n - 1];
    x.purchases = (int32_t)n;
    x.purchase_days = 1;
    for (uint32_t i = 1; i < n; i++)
        x.purchase_days += d[i] != d[i - 1];
    x.total = c->total;
    x.first_day_spend = c->first_spend;
    WB_FORWARD(wb__muldiv_round(c->total, 1, x.purchase_days, &x.avg_check));
    *out = x;
    return WB_OK;
}

/* Readers mostly walk the ranks in order; the customers are scattered over
 * the slabs, so fetch a few ahead, both lines of one: a customer takes 96
 * bytes, and describe reads its id's address (first line) and its totals
 * (first or second). With the second line too, and eight ahead, the 5 M-row
 * plan's decisions took 0.050 s instead of 0.067 s. */
#define AHEAD 8

/* A macro, not a function: GCC deems a function that only prefetches free
 * of effects and deletes its calls (as in ledger.c). */
#define FETCH_CUSTOMER(l, rank)                                             \
    do {                                                                    \
        if ((rank) < (l)->index_ncust) {                                    \
            __builtin_prefetch((l)->by_rank[rank]);                         \
            __builtin_prefetch((const char *)(l)->by_rank[rank] + 64);      \
        }                                                                   \
    } while (0)

int wb_ledger_at(const wb_ledger *l, const wb_policy *p, int32_t as_of,
                 size_t index, wb_ledger_customer *out)
{
    WB_RETURN_IF(l == NULL || out == NULL || l->by_rank == NULL, WB_EMISUSE);
    WB_RETURN_IF(index >= l->index_ncust, WB_ENOTFOUND);
    WB_FORWARD(wb__policy_check(p));
    FETCH_CUSTOMER(l, index + AHEAD);
    return describe(l, p, as_of, (uint32_t)index, out);
}

/* The policy is checked once for the n customers: wb_ledger_at checks it
 * for each, about 250 instructions, a fifth of what reading a customer
 * costs. */
int wb_ledger_at_many(const wb_ledger *l, const wb_policy *p, int32_t as_of,
                      size_t from, size_t n, wb_ledger_customer *out,
                      int32_t *status, size_t *failed)
{
    size_t bad = 0;
    WB_RETURN_IF(l == NULL || l->by_rank == NULL ||
                 (n > 0 && (out == NULL || status == NULL)), WB_EMISUSE);
    WB_RETURN_IF(from > l->index_ncust || n > l->index_ncust - from, WB_ENOTFOUND);
    WB_FORWARD(wb__policy_check(p));
    for (size_t i = from; i < from + n; i++) {
        FETCH_CUSTOMER(l, i + AHEAD);
        status[i - from] = describe(l, p, as_of, (uint32_t)i, &out[i - from]);
        bad += status[i - from] != WB_OK;
    }
    if (failed != NULL)
        *failed = bad;
    return WB_OK;
}

/* Byte order of an id against a customer's, shorter first on a common
 * prefix: the order of the ranks. */
static int cmp_id(const char *id, size_t len, const wb_cust *c)
{
    size_t n = c->hh.keylen;
    int k = memcmp(id, c->hh.key, len < n ? len : n);
    return k != 0 ? k : (len > n) - (len < n);
}

/* The rank of an id: a binary search of the ranks, which are in id order.
 * No hash table is needed, so a sealed ledger gives its tables back. */
static int rank_of_id(const wb_ledger *l, const char *id, size_t len,
                      uint32_t *rank)
{
    uint32_t lo = 0, hi = l->index_ncust;       /* the rank is in [lo, hi) */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int k = cmp_id(id, len, l->by_rank[mid]);
        if (k == 0) {
            *rank = mid;
            return WB_OK;
        }
        if (k < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return WB_ENOTFOUND;
}

int wb_ledger_find(const wb_ledger *l, const wb_policy *p, const char *id,
                   size_t id_len, int32_t as_of, wb_ledger_customer *out)
{
    uint32_t rank;
    WB_RETURN_IF(l == NULL || id == NULL || out == NULL || l->by_rank == NULL,
                 WB_EMISUSE);
    WB_RETURN_IF(id_len == 0 || id_len > WB_ID_MAX, WB_ENOTFOUND);
    WB_FORWARD(rank_of_id(l, id, id_len, &rank));
    WB_FORWARD(wb__policy_check(p));
    return describe(l, p, as_of, rank, out);
}

int wb_ledger_days(const wb_ledger *l, size_t index, const int32_t **days,
                   size_t *n)
{
    WB_RETURN_IF(l == NULL || days == NULL || n == NULL || l->by_rank == NULL,
                 WB_EMISUSE);
    WB_RETURN_IF(index >= l->index_ncust, WB_ENOTFOUND);
    *days = l->days + l->offsets[index];
    *n = l->offsets[index + 1] - l->offsets[index];
    return WB_OK;
}

int wb_ledger_id_at(const wb_ledger *l, size_t index, const char **id,
                    size_t *id_len)
{
    WB_RETURN_IF(l == NULL || id == NULL || id_len == NULL || l->by_rank == NULL,
                 WB_EMISUSE);
    WB_RETURN_IF(index >= l->index_ncust, WB_ENOTFOUND);
    *id = l->by_rank[index]->hh.key;
    *id_len = l->by_rank[index]->hh.keylen;
    return WB_OK;
}
