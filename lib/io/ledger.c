/*
 * ledger.c -- purchases in, per-customer facts out.
 *
 * Layout, chosen to keep memory small and addresses stable:
 *   - customers live in fixed-size slabs (never moved, so uthash can point
 *     at them), hashed by id with uthash;
 *   - ids of up to 16 bytes are kept in the customer, next to its hash
 *     handle; longer ones in an append-only arena of blocks;
 *   - each purchase is one (customer index, day) pair, 8 bytes; amounts are
 *     summed into the customer at once, so they are not stored.
 * wb_ledger_finish groups the days by customer with a counting sort, sorts
 * each group, and orders the customers by id.
 *
 * Every allocation goes through the host's allocator and may fail: uthash
 * is built with HASH_NONFATAL_OOM, so it reports instead of exiting, and
 * every operation undoes what it did before returning WB_ENOMEM.
 */
#include <stdlib.h>
#include <string.h>

#include "io/alloc.h"

struct wb_ledger;
static void *ledger_alloc(struct wb_ledger *l, size_t size);
static void ledger_free_bytes(struct wb_ledger *l, void *ptr, size_t size);

/* Equality of two ids of n bytes, 8 at a time (uthash only asks "equal?"):
 * a libc memcmp call cost more than the compare on this hot path. */
static inline int key_differs(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n >= 8; n -= 8, x += 8, y += 8) {
        uint64_t u, v;
        memcpy(&u, x, 8);
        memcpy(&v, y, 8);
        if (u != v)
            return 1;
    }
    while (n-- > 0)
        if (*x++ != *y++)
            return 1;
    return 0;
}

/* uthash allocates through the ledger in scope, named L at every use. */
#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) ledger_alloc(L, sz)
#define uthash_free(ptr, sz) ledger_free_bytes(L, ptr, sz)
#define uthash_nonfatal_oom(obj) (L->oom = 1)
#define HASH_KEYCMP(a, b, n) key_differs((a), (b), (n))
#include <uthash.h>

/* Customers per slab and bytes per id block. A build may shrink them (the
 * fuzzer does, so each run allocates little); results do not change. */
#ifndef WB_LEDGER_SLAB
#define WB_LEDGER_SLAB 4096u
#endif
#ifndef WB_LEDGER_ID_BLOCK
#define WB_LEDGER_ID_BLOCK 65536u
#endif
#define SLAB WB_LEDGER_SLAB
#define ID_BLOCK WB_LEDGER_ID_BLOCK
#define INLINE_ID 16u         /* ids up to this long live in the customer */
#define MAX_ROWS ((size_t)INT32_MAX)

typedef struct cust {
    UT_hash_handle hh;        /* key: id[] or, for longer ids, the arena */
    int64_t total;
    int64_t first_spend;      /* spent on first_day: repeat spend = total - it */
    int32_t first_day;        /* earliest day seen, whatever the row order */
    uint32_t index;           /* position in the slabs */
    char id[INLINE_ID];       /* next to the handle: one cache miss less */
} cust;

typedef struct pair {
    uint32_t cust;
    int32_t day;
} pair;

/* What a failed operation must return to. */
typedef struct mark {
    uint32_t ncust;
    size_t nslabs, nblocks, block_used;
} mark;

struct wb_ledger {
    wb_allocator a;
    size_t bytes;             /* held from the allocator */
    int oom;                  /* set by uthash on a failed allocation */
    cust *hash;
    cust **slabs;
    size_t nslabs, slabs_cap;
    uint32_t ncust;
    char **blocks;
    size_t nblocks, blocks_cap, block_used;
    pair *pairs;
    size_t npairs, pairs_cap;
    /* The read index, built by wb_ledger_finish for index_ncust customers
     * and index_npairs rows; NULL when not built. */
    uint32_t *order, *offsets;
    int32_t *days;
    uint32_t index_ncust;
    size_t index_npairs;
    cust *last;               /* the last customer added to: logs sorted by
                                 customer hit it row after row */
};

static void *ledger_alloc(struct wb_ledger *l, size_t size)
{
    void *p = l->a.alloc(l->a.ud, size);
    if (p != NULL)
        l->bytes += size;
    return p;
}

static void ledger_free_bytes(struct wb_ledger *l, void *ptr, size_t size)
{
    if (ptr == NULL)
        return;
    l->a.free(l->a.ud, ptr, size);
    l->bytes -= size;
}

/* Grows an array to hold `need` elements, doubling; unchanged on failure. */
static int grow(wb_ledger *l, void **arr, size_t *cap, size_t need, size_t elem)
{
    size_t new_cap = *cap ? *cap : 16, old_bytes, new_bytes;
    if (need <= *cap)
        return WB_OK;
    while (new_cap < need)
        new_cap = new_cap > SIZE_MAX / 2 ? need : new_cap * 2;
    WB_FORWARD(wb__array_bytes(*cap, elem, &old_bytes));
    WB_FORWARD(wb__array_bytes(new_cap, elem, &new_bytes));
    void *p = *arr == NULL ? l->a.alloc(l->a.ud, new_bytes)
                           : l->a.realloc(l->a.ud, *arr, old_bytes, new_bytes);
    WB_RETURN_IF(p == NULL, WB_ENOMEM);
    l->bytes += new_bytes - old_bytes;
    *arr = p;
    *cap = new_cap;
    return WB_OK;
}

static cust *cust_at(const wb_ledger *l, uint32_t index)
{
    return &l->slabs[index / SLAB][index % SLAB];
}

/* Sizes of the index arrays; +1 keeps every allocation non-empty. */
static size_t order_bytes(size_t ncust) { return ncust * sizeof(uint32_t) + 1; }
static size_t offsets_bytes(size_t ncust) { return (ncust + 1) * sizeof(uint32_t); }
static size_t days_bytes(size_t npairs) { return npairs * sizeof(int32_t) + 1; }

static void drop_index(wb_ledger *l)
{
    ledger_free_bytes(l, l->order, order_bytes(l->index_ncust));
    ledger_free_bytes(l, l->offsets, offsets_bytes(l->index_ncust));
    ledger_free_bytes(l, l->days, days_bytes(l->index_npairs));
    l->order = l->offsets = NULL;
    l->days = NULL;
}

int wb_ledger_new(const wb_allocator *alloc, wb_ledger **out)
{
    wb_allocator a;
    WB_RETURN_IF(out == NULL, WB_EMISUSE);
    WB_FORWARD(wb__allocator_pick(alloc, &a));
    wb_ledger *l = a.alloc(a.ud, sizeof *l);
    WB_RETURN_IF(l == NULL, WB_ENOMEM);
    memset(l, 0, sizeof *l);
    l->a = a;
    l->bytes = sizeof *l;
    *out = l;
    return WB_OK;
}

void wb_ledger_free(wb_ledger *l)
{
    if (l == NULL)
        return;
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_ledger *L = l;
    drop_index(l);
    HASH_CLEAR(hh, l->hash);
    for (size_t i = 0; i < l->nslabs; i++)
        ledger_free_bytes(l, l->slabs[i], SLAB * sizeof(cust));
    for (size_t i = 0; i < l->nblocks; i++)
        ledger_free_bytes(l, l->blocks[i], ID_BLOCK);
    ledger_free_bytes(l, l->slabs, l->slabs_cap * sizeof *l->slabs); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
    ledger_free_bytes(l, l->blocks, l->blocks_cap * sizeof *l->blocks);
    ledger_free_bytes(l, l->pairs, l->pairs_cap * sizeof *l->pairs);
    l->a.free(l->a.ud, l, sizeof *l);
}

static mark take_mark(const wb_ledger *l)
{
    mark m = {l->ncust, l->nslabs, l->nblocks, l->block_used};
    return m;
}

/* Undoes every customer added since the mark: out of the hash, their slabs
 * and id blocks freed. Allocates nothing, so it cannot fail. */
static void rollback(wb_ledger *l, mark m)
{
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_ledger *L = l;
    for (uint32_t i = m.ncust; i < l->ncust; i++) {
        cust *c = cust_at(l, i);
        /* The analyzer cannot see that a customer in the hash means a
         * table exists. */
        HASH_DELETE(hh, l->hash, c); /* NOLINT(clang-analyzer-core.NullDereference) */
    }
    l->ncust = m.ncust;
    if (l->last != NULL && l->last->index >= m.ncust)
        l->last = NULL;
    while (l->nslabs > m.nslabs)
        ledger_free_bytes(l, l->slabs[--l->nslabs], SLAB * sizeof(cust));
    while (l->nblocks > m.nblocks)
        ledger_free_bytes(l, l->blocks[--l->nblocks], ID_BLOCK);
    l->block_used = m.block_used;
}

/* Copies a long id into the arena; the copy never moves. */
static int store_id(wb_ledger *l, const char *id, size_t len, char **copy)
{
    if (l->nblocks == 0 || l->block_used + len > ID_BLOCK) {
        WB_FORWARD(grow(l, (void **)&l->blocks, &l->blocks_cap,
                        l->nblocks + 1, sizeof *l->blocks));
        char *block = ledger_alloc(l, ID_BLOCK);
        WB_RETURN_IF(block == NULL, WB_ENOMEM);
        l->blocks[l->nblocks++] = block;
        l->block_used = 0;
    }
    *copy = l->blocks[l->nblocks - 1] + l->block_used;
    memcpy(*copy, id, len);
    l->block_used += len;
    return WB_OK;
}

/* Adds a new customer with a zero total; on failure the caller rolls back
 * to its mark. */
static int new_customer(wb_ledger *l, const char *id, size_t len,
                        unsigned hashv, cust **out)
{
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_ledger *L = l;
    char *key;
    WB_RETURN_IF(l->ncust >= (uint32_t)INT32_MAX, WB_ERANGE);
    if (l->ncust == l->nslabs * SLAB) {
        WB_FORWARD(grow(l, (void **)&l->slabs, &l->slabs_cap, l->nslabs + 1,
                        sizeof *l->slabs)); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
        cust *slab = ledger_alloc(l, SLAB * sizeof(cust));
        WB_RETURN_IF(slab == NULL, WB_ENOMEM);
        l->slabs[l->nslabs++] = slab;
    }
    cust *c = cust_at(l, l->ncust);
    memset(c, 0, sizeof *c);
    c->first_day = WB_DAY_NONE;
    if (len <= INLINE_ID) {
        memcpy(c->id, id, len);
        key = c->id;
    } else {
        WB_FORWARD(store_id(l, id, len, &key));
    }
    c->index = l->ncust++;
    l->oom = 0;
    HASH_ADD_KEYPTR_BYHASHVALUE(hh, l->hash, key, (unsigned)len, hashv, c);
    if (l->oom) {
        l->ncust--;           /* not in the hash: just forget the slot */
        return WB_ENOMEM;
    }
    *out = c;
    return WB_OK;
}

static unsigned hash_of(const char *id, size_t len)
{
    unsigned hashv;
    HASH_VALUE(id, (unsigned)len, hashv);
    return hashv;
}

static cust *find_hashed(const wb_ledger *l, const char *id, size_t len,
                         unsigned hashv)
{
    cust *c = l->last;
    if (c != NULL && c->hh.hashv == hashv && c->hh.keylen == len &&
        !key_differs(c->hh.key, id, len))
        return c;
    HASH_FIND_BYHASHVALUE(hh, l->hash, id, (unsigned)len, hashv, c);
    return c;
}

static cust *find(const wb_ledger *l, const char *id, size_t len)
{
    return find_hashed(l, id, len, hash_of(id, len));
}

/* Finds the customer, adding it if new; rolls back on failure. */
static int find_or_add(wb_ledger *l, const char *id, size_t len,
                       unsigned hashv, cust **out)
{
    *out = find_hashed(l, id, len, hashv);
    if (*out != NULL)
        return WB_OK;
    mark m = take_mark(l);
    int rc = new_customer(l, id, len, hashv, out);
    if (rc != WB_OK)
        rollback(l, m);
    return rc;
}

static int check_row(const wb_ledger *l, const char *id, size_t id_len,
                     int32_t day, int64_t amount)
{
    WB_RETURN_IF(id == NULL, WB_EMISUSE);
    WB_RETURN_IF(id_len == 0 || amount < 0, WB_EINVAL);
    WB_RETURN_IF(id_len > WB_ID_MAX, WB_ETOOLONG);
    WB_RETURN_IF(!wb__day_ok(day), WB_EDATE);
    WB_RETURN_IF(l->npairs >= MAX_ROWS, WB_ERANGE);
    return WB_OK;
}

/* Keeps the spend of the earliest day, whatever order rows come in: the
 * Gamma-Gamma model wants the mean of the repeat purchases, i.e. without
 * the first day. Cannot overflow: it never exceeds the checked total. */
static void note_first_day(cust *c, int32_t day, int64_t amount)
{
    if (c->first_day == WB_DAY_NONE || day < c->first_day) {
        c->first_day = day;
        c->first_spend = amount;
    } else if (day == c->first_day) {
        c->first_spend += amount;
    }
}

/* One checked row whose id hashes to `hashv`; unchanged on failure. */
static int add_hashed(wb_ledger *l, const char *id, size_t id_len,
                      unsigned hashv, int32_t day, int64_t amount)
{
    int64_t total;
    cust *c = find_hashed(l, id, id_len, hashv);
    WB_RETURN_IF(c != NULL && wb__add(c->total, amount, &total) != WB_OK,
                 WB_ERANGE);
    /* Room for the row first: growing it changes nothing visible. */
    WB_FORWARD(grow(l, (void **)&l->pairs, &l->pairs_cap, l->npairs + 1,
                    sizeof *l->pairs));
    if (c == NULL)
        WB_FORWARD(find_or_add(l, id, id_len, hashv, &c));
    if (l->offsets != NULL)
        drop_index(l);
    note_first_day(c, day, amount);
    c->total += amount;
    l->pairs[l->npairs].cust = c->index;
    l->pairs[l->npairs].day = day;
    l->npairs++;
    l->last = c;
    return WB_OK;
}

int wb_ledger_add(wb_ledger *l, const char *id, size_t id_len, int32_t day,
                  int64_t amount)
{
    WB_RETURN_IF(l == NULL, WB_EMISUSE);
    WB_FORWARD(check_row(l, id, id_len, day, amount));
    return add_hashed(l, id, id_len, hash_of(id, id_len), day, amount);
}

/* Bucket of a hash value in the current table, or NULL with no table. */
static const UT_hash_bucket *bucket_of(const wb_ledger *l, unsigned hashv)
{
    if (l->hash == NULL)
        return NULL;
    const UT_hash_table *t = l->hash->hh.tbl;
    return &t->buckets[hashv & (t->num_buckets - 1u)];
}

static unsigned row_hash(const wb_purchase *r)
{
    return r->id != NULL && r->id_len <= WB_ID_MAX ? hash_of(r->id, r->id_len) : 0;
}

/* A ledger of a million customers spends most of an add waiting for
 * memory: the bucket, then the customer it points to. add_many runs a
 * software pipeline over the rows: while row i is added, the first
 * customer of row i + NEAR's bucket is being fetched, and row i + FAR's
 * bucket, so the waits of many rows overlap instead of adding up. */
#define NEAR 8
#define FAR 16
#define RING 32    /* > FAR, a power of two */

int wb_ledger_add_many(wb_ledger *l, const wb_purchase *rows, size_t n,
                       size_t *added)
{
    unsigned hashv[RING];
    size_t i = 0;
    int rc = WB_OK;
    WB_RETURN_IF(l == NULL || (rows == NULL && n > 0), WB_EMISUSE);
    for (size_t j = 0; j < FAR && j < n; j++)
        hashv[j] = row_hash(&rows[j]);
    for (; i < n && rc == WB_OK; i++) {
        if (i + FAR < n) {
            unsigned h = hashv[(i + FAR) % RING] = row_hash(&rows[i + FAR]);
            const UT_hash_bucket *b = bucket_of(l, h);
            if (b != NULL)
                __builtin_prefetch(b);
        }
        if (i + NEAR < n) {
            const UT_hash_bucket *b = bucket_of(l, hashv[(i + NEAR) % RING]);
            if (b != NULL && b->hh_head != NULL) {
                __builtin_prefetch(b->hh_head);
                __builtin_prefetch((const char *)b->hh_head + 64);
            }
        }
        const wb_purchase *r = &rows[i];
        rc = check_row(l, r->id, r->id_len, r->day, r->amount);
        if (rc == WB_OK)
            rc = add_hashed(l, r->id, r->id_len, hashv[i % RING], r->day, r->amount);
    }
    if (added != NULL)
        *added = rc == WB_OK ? i : i - 1;
    return rc;
}

/* Maps every customer of src to one of dst, adding the missing ones. */
static int map_customers(wb_ledger *dst, const wb_ledger *src, uint32_t *map)
{
    for (uint32_t i = 0; i < src->ncust; i++) {
        const cust *s = cust_at(src, i);
        cust *d;
        WB_FORWARD(find_or_add(dst, s->hh.key, s->hh.keylen, s->hh.hashv, &d));
        int64_t sum;
        WB_FORWARD(wb__add(d->total, s->total, &sum));   /* check only */
        map[i] = d->index;
    }
    return WB_OK;
}

int wb_ledger_merge(wb_ledger *dst, const wb_ledger *src)
{
    size_t bytes;
    WB_RETURN_IF(dst == NULL || src == NULL || dst == src, WB_EMISUSE);
    WB_RETURN_IF(src->npairs > MAX_ROWS - dst->npairs, WB_ERANGE);
    WB_FORWARD(wb__array_bytes(src->ncust, sizeof(uint32_t), &bytes));
    uint32_t *map = ledger_alloc(dst, bytes ? bytes : 1);
    WB_RETURN_IF(map == NULL, WB_ENOMEM);
    mark m = take_mark(dst);
    int rc = map_customers(dst, src, map);
    if (rc == WB_OK)
        rc = grow(dst, (void **)&dst->pairs, &dst->pairs_cap,
                  dst->npairs + src->npairs, sizeof *dst->pairs);
    if (rc != WB_OK) {
        rollback(dst, m);
        ledger_free_bytes(dst, map, bytes ? bytes : 1);
        return rc;
    }
    /* Nothing can fail from here on. */
    drop_index(dst);
    for (uint32_t i = 0; i < src->ncust; i++) {
        cust *d = cust_at(dst, map[i]);
        const cust *s = cust_at(src, i);
        if (s->first_day != WB_DAY_NONE)    /* as if its rows came one by one */
            note_first_day(d, s->first_day, s->first_spend);
        d->total += s->total;
    }
    for (size_t i = 0; i < src->npairs; i++) {
        dst->pairs[dst->npairs].cust = map[src->pairs[i].cust];
        dst->pairs[dst->npairs].day = src->pairs[i].day;
        dst->npairs++;
    }
    ledger_free_bytes(dst, map, bytes ? bytes : 1);
    return WB_OK;
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_cust_id(const void *a, const void *b)
{
    const cust *x = *(const cust *const *)a, *y = *(const cust *const *)b;
    unsigned n = x->hh.keylen < y->hh.keylen ? x->hh.keylen : y->hh.keylen;
    int c = memcmp(x->hh.key, y->hh.key, n);
    if (c != 0)
        return c;
    return (x->hh.keylen > y->hh.keylen) - (x->hh.keylen < y->hh.keylen);
}

/* Counting sort of the days by customer, then each group by day. */
static void group_days(wb_ledger *l, uint32_t *cursor)
{
    memset(l->offsets, 0, ((size_t)l->ncust + 1) * sizeof *l->offsets);
    for (size_t i = 0; i < l->npairs; i++)
        l->offsets[l->pairs[i].cust + 1]++;
    for (uint32_t c = 0; c < l->ncust; c++)
        l->offsets[c + 1] += l->offsets[c];
    memcpy(cursor, l->offsets, (size_t)l->ncust * sizeof *cursor);
    for (size_t i = 0; i < l->npairs; i++)
        l->days[cursor[l->pairs[i].cust]++] = l->pairs[i].day;
    for (uint32_t c = 0; c < l->ncust; c++) {
        uint32_t n = l->offsets[c + 1] - l->offsets[c];
        if (n > 1)
            qsort(l->days + l->offsets[c], n, sizeof *l->days, cmp_day);
    }
}

/* Customer indexes in id order, through a temporary array of pointers. */
static int order_by_id(wb_ledger *l)
{
    size_t bytes;
    WB_FORWARD(wb__array_bytes(l->ncust, sizeof(cust *), &bytes));
    cust **tmp = ledger_alloc(l, bytes ? bytes : 1);
    WB_RETURN_IF(tmp == NULL, WB_ENOMEM);
    for (uint32_t i = 0; i < l->ncust; i++)
        tmp[i] = cust_at(l, i);
    qsort(tmp, l->ncust, sizeof *tmp, cmp_cust_id); /* NOLINT(bugprone-sizeof-expression): pointers are sorted */
    for (uint32_t i = 0; i < l->ncust; i++)
        l->order[i] = tmp[i]->index;
    ledger_free_bytes(l, tmp, bytes ? bytes : 1);
    return WB_OK;
}

/* Gives back the slack of the doubling growth (up to half the rows' memory)
 * before the index is built, which lowers the peak. A refusal is harmless:
 * the array stays as it was. */
static void shrink_pairs(wb_ledger *l)
{
    if (l->npairs == 0 || l->pairs_cap == l->npairs)
        return;
    size_t old_bytes = l->pairs_cap * sizeof *l->pairs;
    size_t new_bytes = l->npairs * sizeof *l->pairs;
    pair *p = l->a.realloc(l->a.ud, l->pairs, old_bytes, new_bytes);
    if (p == NULL)
        return;
    l->pairs = p;
    l->pairs_cap = l->npairs;
    l->bytes -= old_bytes - new_bytes;
}

int wb_ledger_finish(wb_ledger *l)
{
    WB_RETURN_IF(l == NULL, WB_EMISUSE);
    if (l->offsets != NULL)
        return WB_OK;                     /* already finished */
    shrink_pairs(l);
    /* Counts are bounded by INT32_MAX, so these sizes cannot overflow. */
    l->index_ncust = l->ncust;
    l->index_npairs = l->npairs;
    l->order = ledger_alloc(l, order_bytes(l->ncust));
    l->offsets = ledger_alloc(l, offsets_bytes(l->ncust));
    l->days = ledger_alloc(l, days_bytes(l->npairs));
    int rc = (l->order && l->offsets && l->days) ? WB_OK : WB_ENOMEM;
    if (rc == WB_OK) {
        group_days(l, l->order);          /* order doubles as the cursor */
        rc = order_by_id(l);
    }
    if (rc != WB_OK)
        drop_index(l);
    return rc;
}

int wb_ledger_count(const wb_ledger *l, size_t *customers, size_t *purchases)
{
    WB_RETURN_IF(l == NULL, WB_EMISUSE);
    if (customers != NULL)
        *customers = l->ncust;
    if (purchases != NULL)
        *purchases = l->npairs;
    return WB_OK;
}

size_t wb_ledger_id_bytes(const wb_ledger *l)
{
    size_t bytes = 0;
    for (uint32_t i = 0; l != NULL && i < l->ncust; i++)
        bytes += cust_at(l, i)->hh.keylen;
    return bytes;
}

size_t wb_ledger_memory(const wb_ledger *l)
{
    return l == NULL ? 0 : l->bytes;
}

/* Facts of customer `ci` (a slab index) from the finished index. */
static int describe(const wb_ledger *l, const wb_policy *p, int32_t as_of,
                    uint32_t ci, wb_ledger_customer *out)
{
    const cust *c = cust_at(l, ci);
    const int32_t *d = l->days + l->offsets[ci];
    uint32_t n = l->offsets[ci + 1] - l->offsets[ci];
    wb_ledger_customer r;
    WB_FORWARD(wb_history_losses(p, d, n, as_of, &r.history));
    r.id = c->hh.key;
    r.id_len = c->hh.keylen;
    r.first_day = d[0];                   /* every customer has a row */
    r.last_day = d[n - 1];
    r.purchases = (int32_t)n;
    r.purchase_days = 1;
    for (uint32_t i = 1; i < n; i++)
        r.purchase_days += d[i] != d[i - 1];
    r.total = c->total;
    r.first_day_spend = c->first_spend;
    WB_FORWARD(wb__muldiv_round(c->total, 1, r.purchase_days, &r.avg_check));
    *out = r;
    return WB_OK;
}

int wb_ledger_at(const wb_ledger *l, const wb_policy *p, int32_t as_of,
                 size_t index, wb_ledger_customer *out)
{
    WB_RETURN_IF(l == NULL || out == NULL || l->offsets == NULL, WB_EMISUSE);
    WB_RETURN_IF(index >= l->ncust, WB_ENOTFOUND);
    return describe(l, p, as_of, l->order[index], out);
}

int wb_ledger_find(const wb_ledger *l, const wb_policy *p, const char *id,
                   size_t id_len, int32_t as_of, wb_ledger_customer *out)
{
    WB_RETURN_IF(l == NULL || id == NULL || out == NULL || l->offsets == NULL,
                 WB_EMISUSE);
    const cust *c = id_len <= WB_ID_MAX ? find(l, id, id_len) : NULL;
    WB_RETURN_IF(c == NULL, WB_ENOTFOUND);
    return describe(l, p, as_of, c->index, out);
}

int wb_ledger_days(const wb_ledger *l, size_t index, const int32_t **days,
                   size_t *n)
{
    WB_RETURN_IF(l == NULL || days == NULL || n == NULL || l->offsets == NULL,
                 WB_EMISUSE);
    WB_RETURN_IF(index >= l->ncust, WB_ENOTFOUND);
    uint32_t ci = l->order[index];
    *days = l->days + l->offsets[ci];
    *n = l->offsets[ci + 1] - l->offsets[ci];
    return WB_OK;
}
