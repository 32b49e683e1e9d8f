/*
 * ledger.c -- purchases in: the ledger's parts, customers and rows.
 *
 * Layout, chosen to keep memory small and addresses stable:
 *   - the ledger is one or more parts, a customer's part chosen by the high
 *     bits of its id's hash (io/ledger_internal.h); each part is complete
 *     in itself, so threads may fill distinct parts at once;
 *   - in a part, customers live in fixed-size slabs (never moved, so
 *     uthash can point at them), hashed by id with uthash;
 *   - ids of up to 16 bytes are kept in the customer, next to its hash
 *     handle; longer ones in an append-only arena of blocks;
 *   - each purchase is one (customer index, day) pair, 8 bytes; amounts are
 *     summed into the customer at once, so they are not stored.
 * The read index (ledger_index.c) is built by wb_ledger_finish.
 *
 * Every allocation goes through the host's allocator and may fail: uthash
 * is built with HASH_NONFATAL_OOM, so it reports instead of exiting, and
 * every operation undoes what it did before returning WB_ENOMEM.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "io/ledger_internal.h"

#define SLAB WB_LEDGER_SLAB
#define ID_BLOCK WB_LEDGER_ID_BLOCK

/* What a failed operation must return a part to. */
typedef struct mark {
    uint32_t ncust;
    size_t nslabs, nblocks, block_used;
} mark;

void *wb__part_alloc(wb_part *pt, size_t size)
{
    void *p = pt->a.alloc(pt->a.ud, size);
    if (p != NULL)
        pt->bytes += size;
    return p;
}

void wb__part_free(wb_part *pt, void *ptr, size_t size)
{
    if (ptr == NULL)
        return;
    pt->a.free(pt->a.ud, ptr, size);
    pt->bytes -= size;
}

/* Grows a part's array to hold `need` elements, doubling; unchanged on
 * failure. */
static int grow(wb_part *pt, void **arr, size_t *cap, size_t need, size_t elem)
{
    size_t new_cap = *cap ? *cap : 16, old_bytes, new_bytes;
    if (need <= *cap)
        return WB_OK;
    while (new_cap < need)
        new_cap = new_cap > SIZE_MAX / 2 ? need : new_cap * 2;
    WB_FORWARD(wb__array_bytes(*cap, elem, &old_bytes));
    WB_FORWARD(wb__array_bytes(new_cap, elem, &new_bytes));
    void *p = *arr == NULL ? pt->a.alloc(pt->a.ud, new_bytes)
                           : pt->a.realloc(pt->a.ud, *arr, old_bytes, new_bytes);
    WB_RETURN_IF(p == NULL, WB_ENOMEM);
    pt->bytes += new_bytes - old_bytes;
    *arr = p;
    *cap = new_cap;
    return WB_OK;
}

int wb_ledger_new_parts(const wb_allocator *alloc, unsigned nparts,
                        wb_ledger **out)
{
    wb_allocator a;
    WB_RETURN_IF(out == NULL, WB_EMISUSE);
    WB_RETURN_IF(nparts < 1 || nparts > WB_LEDGER_PARTS_MAX, WB_EINVAL);
    WB_FORWARD(wb__allocator_pick(alloc, &a));
    wb_ledger *l = a.alloc(a.ud, sizeof *l);
    WB_RETURN_IF(l == NULL, WB_ENOMEM);
    memset(l, 0, sizeof *l);
    l->parts = a.alloc(a.ud, nparts * sizeof *l->parts);
    if (l->parts == NULL) {
        a.free(a.ud, l, sizeof *l);
        return WB_ENOMEM;
    }
    memset(l->parts, 0, nparts * sizeof *l->parts);
    for (unsigned i = 0; i < nparts; i++) {
        l->parts[i].a = a;
        wb__sync_buckets(&l->parts[i]);
    }
    l->a = a;
    l->nparts = nparts;
    l->max_cust = (uint32_t)INT32_MAX / nparts;
    l->bytes = sizeof *l + nparts * sizeof *l->parts;
    *out = l;
    return WB_OK;
}

int wb_ledger_new(const wb_allocator *alloc, wb_ledger **out)
{
    return wb_ledger_new_parts(alloc, 1, out);
}

void wb__sync_buckets(wb_part *pt)
{
    static const UT_hash_bucket none[1];
    const UT_hash_table *t = pt->hash != NULL ? pt->hash->hh.tbl : NULL;
    pt->bkt = t != NULL ? t->buckets : none;
    pt->mask = t != NULL ? t->num_buckets - 1u : 0u;
}

unsigned wb_ledger_parts(const wb_ledger *l)
{
    return l == NULL ? 0 : l->nparts;
}

static void free_part(wb_part *pt)
{
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_part *L = pt;
    HASH_CLEAR(hh, pt->hash);
    wb__sync_buckets(pt);
    for (size_t i = 0; i < pt->nslabs; i++)
        wb__part_free(pt, pt->slabs[i], WB_LEDGER_SLAB_BYTES);
    for (size_t i = 0; i < pt->nblocks; i++)
        wb__part_free(pt, pt->blocks[i], ID_BLOCK);
    wb__part_free(pt, pt->slabs, pt->slabs_cap * sizeof *pt->slabs); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
    wb__part_free(pt, pt->blocks, pt->blocks_cap * sizeof *pt->blocks);
    wb__part_free(pt, pt->pairs, pt->pairs_cap * sizeof *pt->pairs);
}

void wb_ledger_free(wb_ledger *l)
{
    if (l == NULL)
        return;
    wb__ledger_drop_index(l);
    for (unsigned i = 0; i < l->nparts; i++)
        free_part(&l->parts[i]);
    l->a.free(l->a.ud, l->parts, l->nparts * sizeof *l->parts);
    l->a.free(l->a.ud, l, sizeof *l);
}

static mark take_mark(const wb_part *pt)
{
    mark m = {pt->ncust, pt->nslabs, pt->nblocks, pt->block_used};
    return m;
}

/* Undoes every customer added to the part since the mark: out of the
 * hash, their slabs and id blocks freed. Allocates nothing, so it cannot
 * fail. */
static void rollback(wb_part *pt, mark m)
{
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_part *L = pt;
    for (uint32_t i = m.ncust; i < pt->ncust; i++) {
        wb_cust *c = wb__cust_at(pt, i);
        /* The analyzer cannot see that a customer in the hash means a
         * table exists. */
        HASH_DELETE(hh, pt->hash, c); /* NOLINT(clang-analyzer-core.NullDereference) */
    }
    wb__sync_buckets(pt);
    pt->ncust = m.ncust;
    pt->last = NULL;
    while (pt->nslabs > m.nslabs)
        wb__part_free(pt, pt->slabs[--pt->nslabs], WB_LEDGER_SLAB_BYTES);
    while (pt->nblocks > m.nblocks)
        wb__part_free(pt, pt->blocks[--pt->nblocks], ID_BLOCK);
    pt->block_used = m.block_used;
}

/* Copies a long id into the part's arena; the copy never moves. */
static int store_id(wb_part *pt, const char *id, size_t len, char **copy)
{
    if (pt->nblocks == 0 || pt->block_used + len > ID_BLOCK) {
        WB_FORWARD(grow(pt, (void **)&pt->blocks, &pt->blocks_cap,
                        pt->nblocks + 1, sizeof *pt->blocks));
        char *block = wb__part_alloc(pt, ID_BLOCK);
        WB_RETURN_IF(block == NULL, WB_ENOMEM);
        pt->blocks[pt->nblocks++] = block;
        pt->block_used = 0;
    }
    *copy = pt->blocks[pt->nblocks - 1] + pt->block_used;
    memcpy(*copy, id, len);
    pt->block_used += len;
    return WB_OK;
}

/* uthash doubles its buckets only when one chain grows past ten, which
 * leaves about two customers a bucket; a lookup then follows a chain of
 * dependent loads, each a cache miss on a large ledger. Doubling whenever
 * the customers outnumber the buckets keeps it nearer one. A failed
 * doubling changes nothing (the table stays as it was), so it is not an
 * error. */
static void keep_chains_short(wb_part *pt)
{
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_part *L = pt;
    UT_hash_table *t = pt->hash->hh.tbl;
    int oomed = 0;
    if (t->num_items > t->num_buckets * WB_LEDGER_LOAD)
        HASH_EXPAND_BUCKETS(hh, t, oomed);
    (void)oomed;
}

/* Adds a new customer with a zero total to part `which`; on failure the
 * caller rolls back to its mark. */
static int new_customer(const wb_ledger *l, unsigned which, const char *id,
                        size_t len, unsigned hashv, wb_cust **out)
{
    wb_part *pt = &l->parts[which];
    /* cppcheck-suppress unreadVariable ; read by uthash's allocation macros */
    wb_part *L = pt;
    char *key;
    WB_RETURN_IF(pt->ncust >= l->max_cust, WB_ERANGE);
    if (pt->ncust == pt->nslabs * SLAB) {
        WB_FORWARD(grow(pt, (void **)&pt->slabs, &pt->slabs_cap, pt->nslabs + 1,
                        sizeof *pt->slabs)); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
        void *slab = wb__part_alloc(pt, WB_LEDGER_SLAB_BYTES);
        WB_RETURN_IF(slab == NULL, WB_ENOMEM);
        pt->slabs[pt->nslabs++] = slab;
    }
    wb_cust *c = wb__cust_at(pt, pt->ncust);
    memset(c, 0, sizeof *c);
    c->first_day = WB_DAY_NONE;
    if (len <= WB_LEDGER_INLINE_ID) {
        memcpy(c->id, id, len);
        key = c->id;
    } else {
        WB_FORWARD(store_id(pt, id, len, &key));
    }
    c->tag = pt->ncust++ * l->nparts + which;
    pt->oom = 0;
    HASH_ADD_KEYPTR_BYHASHVALUE(hh, pt->hash, key, (unsigned)len, hashv, c);
    if (pt->oom) {
        pt->ncust--;          /* not in the hash: just forget the slot */
        wb__sync_buckets(pt);
        return WB_ENOMEM;
    }
    keep_chains_short(pt);
    wb__sync_buckets(pt);
    *out = c;
    return WB_OK;
}

static unsigned hash_of(const char *id, size_t len)
{
    unsigned hashv;
    HASH_VALUE(id, (unsigned)len, hashv);
    return hashv;
}

unsigned wb_ledger_part_of(const wb_ledger *l, const char *id, size_t id_len)
{
    if (l == NULL || id == NULL || id_len == 0 || id_len > WB_ID_MAX)
        return 0;
    return wb__part_of_hash(l, hash_of(id, id_len));
}

static WB_ALWAYS_INLINE wb_cust *find_hashed(const wb_part *pt, const char *id,
                                             size_t len, unsigned hashv)
{
    wb_cust *c = pt->last;
    if (c != NULL && c->hh.hashv == hashv && c->hh.keylen == len &&
        !wb__bytes_differ(c->hh.key, id, len))
        return c;
    /* HASH_FIND_BYHASHVALUE's walk, from the part's synced buckets; a
     * customer's handle is its first member, so the handle is the customer */
    for (UT_hash_handle *h = pt->bkt[hashv & pt->mask].hh_head; h != NULL; h = h->hh_next)
        if (h->hashv == hashv && h->keylen == len && !wb__bytes_differ(h->key, id, len))
            return (wb_cust *)(void *)h;
    return NULL;
}

/* Adds a customer known not to be in part `which`; rolls back on
 * failure. */
static int add_new(const wb_ledger *l, unsigned which, const char *id,
                   size_t len, unsigned hashv, wb_cust **out)
{
    wb_part *pt = &l->parts[which];
    mark m = take_mark(pt);
    int rc = new_customer(l, which, id, len, hashv, out);
    if (rc != WB_OK)
        rollback(pt, m);
    return rc;
}

/* Finds the customer in part `which`, adding it if new. */
static int find_or_add(const wb_ledger *l, unsigned which, const char *id,
                       size_t len, unsigned hashv, wb_cust **out)
{
    *out = find_hashed(&l->parts[which], id, len, hashv);
    return *out != NULL ? WB_OK : add_new(l, which, id, len, hashv, out);
}

static inline int check_row(const wb_part *pt, const char *id, size_t id_len,
                            int32_t day, int64_t amount)
{
    WB_RETURN_IF(id == NULL, WB_EMISUSE);
    WB_RETURN_IF(id_len == 0 || amount < 0, WB_EINVAL);
    WB_RETURN_IF(id_len > WB_ID_MAX, WB_ETOOLONG);
    WB_RETURN_IF(!wb__day_ok(day), WB_EDATE);
    WB_RETURN_IF(pt->npairs >= WB_LEDGER_ROWS_MAX, WB_ERANGE);
    return WB_OK;
}

/* Keeps the spend of the earliest day, whatever order rows come in: the
 * Gamma-Gamma model wants the mean of the repeat purchases, i.e. without
 * the first day. Cannot overflow: it never exceeds the checked total. */
static void note_first_day(wb_cust *c, int32_t day, int64_t amount)
{
    if (c->first_day == WB_DAY_NONE || day < c->first_day) {
        c->first_day = day;
        c->first_spend = amount;
    } else if (day == c->first_day) {
        c->first_spend += amount;
    }
}

/* One checked row of part `which` whose id hashes to `hashv`; unchanged on
 * failure (the index too: it is dropped only once the row is in). */
static WB_ALWAYS_INLINE int add_hashed(wb_ledger *l, unsigned which,
                                       const char *id, size_t id_len,
                                       unsigned hashv, int32_t day,
                                       int64_t amount)
{
    wb_part *pt = &l->parts[which];
    int64_t total;
    wb_cust *c = find_hashed(pt, id, id_len, hashv);
    WB_RETURN_IF(c != NULL && wb__add(c->total, amount, &total) != WB_OK,
                 WB_ERANGE);
    /* Room for the row first: growing it changes nothing visible. */
    if (pt->npairs == pt->pairs_cap)
        WB_FORWARD(grow(pt, (void **)&pt->pairs, &pt->pairs_cap, pt->npairs + 1,
                        sizeof *pt->pairs));
    if (c == NULL)                        /* not found just above */
        WB_FORWARD(add_new(l, which, id, id_len, hashv, &c));
    if (l->by_rank != NULL)
        wb__ledger_drop_index(l);
    note_first_day(c, day, amount);
    c->total += amount;
    pt->pairs[pt->npairs].cust = wb__tag_local(l, c->tag);
    pt->pairs[pt->npairs].day = day;
    pt->npairs++;
    pt->last = c;
    return WB_OK;
}

static unsigned row_hash(const wb_purchase *r)
{
    return r->id != NULL && r->id_len <= WB_ID_MAX ? hash_of(r->id, r->id_len) : 0;
}

/* A ledger of a million customers spends most of an add waiting for
 * memory: the bucket, then the customer it points to, and for about a
 * third of the rows a second customer further down the bucket's chain.
 * add_rows runs a software pipeline over the rows, three stages ahead of
 * the row being added: row i + far's bucket is fetched; row i + mid's
 * first customer; and by row i + near, whose first customer has arrived,
 * the next one in its chain if the first is not it. The waits of many
 * rows then overlap instead of adding up. `only` is the part every row
 * must belong to, or -1 for any.
 *
 * The stages' distance suits where the table is: 6, 12 and 18 rows ahead
 * for a table only memory holds, 1, 3 and 5 for one of up to SMALL_TABLE
 * buckets, which the cache holds: the rows' part's table, or the only
 * part's (the program's parts have a few thousand customers each). The
 * adding of the 5 M-row plan took 0.096 s with the long distances and
 * 0.084 s with the short ones; ledger_many_10k, 45 -> 50 M rows/s. */
typedef struct stages {
    unsigned near, mid, far;
} stages;
static const stages FAR_AHEAD = {6, 12, 18}, NEAR_AHEAD = {1, 3, 5};
#define SMALL_TABLE 16384u
#define RING 32    /* > the farthest stage, a power of two */

/* The bucket of a hash value in its part's table. With `only` >= 0 every
 * row must belong to that part, and the stages below look in its table
 * whatever the hash says: a row of another part is refused when its turn
 * comes, but the stages look rows ahead, and another thread may be
 * growing that part's table: they must not read it. The part's table is
 * then read once a row (own_bkt, own_mask), as adding a customer may move
 * it: three loads of it a row were 2 % of adding. (The prefetches are
 * written in the loop itself: GCC deems a function that only prefetches
 * free of effects and deletes its calls.) */
static const UT_hash_bucket *bucket_in_part(const wb_ledger *l, unsigned h)
{
    const wb_part *pt = &l->parts[wb__part_of_hash(l, h)];
    return &pt->bkt[h & pt->mask];
}

#define BUCKET(h) (in_own ? &own_bkt[(h) & own_mask] : bucket_in_part(l, (h)))

static int add_rows(wb_ledger *l, int only, const wb_purchase *rows,
                    size_t n, size_t *added)
{
    unsigned hashv[RING];
    size_t i = 0;
    int rc = WB_OK;
    const int in_own = only >= 0;       /* every row in part `only` */
    const wb_part *own = &l->parts[in_own ? (unsigned)only : 0];
    const stages ahead = (in_own || l->nparts == 1) && own->mask < SMALL_TABLE ? NEAR_AHEAD
                                                                              : FAR_AHEAD;
    for (size_t j = 0; j < ahead.far && j < n; j++)
        hashv[j] = row_hash(&rows[j]);
    for (; i < n && rc == WB_OK; i++) {
        /* Read once a row: adding a customer may move the table; the
         * third stage is the customer after the first in h's chain, when
         * the first is not h's. */
        const UT_hash_bucket *own_bkt = in_own ? own->bkt : NULL;
        unsigned own_mask = in_own ? own->mask : 0;
        if (i + ahead.far < n) {
            unsigned h = hashv[(i + ahead.far) % RING] = row_hash(&rows[i + ahead.far]);
            __builtin_prefetch(BUCKET(h));
        }
        if (i + ahead.mid < n) {
            const UT_hash_handle *first = BUCKET(hashv[(i + ahead.mid) % RING])->hh_head;
            if (first != NULL) {
                __builtin_prefetch(first);
                __builtin_prefetch((const char *)first + 64);
            }
        }
        if (i + ahead.near < n) {
            unsigned h = hashv[(i + ahead.near) % RING];
            const UT_hash_handle *first = BUCKET(h)->hh_head;
            const UT_hash_handle *next = first != NULL && first->hashv != h ? first->hh_next : NULL;
            if (next != NULL) {
                __builtin_prefetch(next);
                __builtin_prefetch((const char *)next + 64);
            }
        }
        const wb_purchase *r = &rows[i];
        unsigned which = wb__part_of_hash(l, hashv[i % RING]);
        /* A row of another part is refused; its part's row count is not
         * read (another thread may be adding to it). */
        unsigned mine = only >= 0 ? (unsigned)only : which;
        rc = check_row(&l->parts[mine], r->id, r->id_len, r->day, r->amount);
        if (rc == WB_OK && which != mine)
            rc = WB_EMISUSE;
        if (rc == WB_OK)
            rc = add_hashed(l, which, r->id, r->id_len, hashv[i % RING], r->day,
                            r->amount);
    }
    if (added != NULL)
        *added = rc == WB_OK ? i : i - 1;
    return rc;
}
#undef BUCKET

/* One row is a batch of one: the add path (inlined in add_rows) exists
 * once. */
int wb_ledger_add(wb_ledger *l, const char *id, size_t id_len, int32_t day,
                  int64_t amount)
{
    WB_RETURN_IF(l == NULL || id == NULL || l->sealed, WB_EMISUSE);
    wb_purchase row = {id, id_len, day, 0, amount};
    return add_rows(l, -1, &row, 1, NULL);
}

int wb_ledger_add_many(wb_ledger *l, const wb_purchase *rows, size_t n,
                       size_t *added)
{
    WB_RETURN_IF(l == NULL || (rows == NULL && n > 0) || l->sealed, WB_EMISUSE);
    return add_rows(l, -1, rows, n, added);
}

int wb_ledger_add_part(wb_ledger *l, unsigned part, const wb_purchase *rows,
                       size_t n, size_t *added)
{
    WB_RETURN_IF(l == NULL || (rows == NULL && n > 0), WB_EMISUSE);
    /* Dropping the index touches the whole ledger: not from here, where
     * other threads may be adding to other parts. */
    WB_RETURN_IF(part >= l->nparts || l->by_rank != NULL || l->sealed, WB_EMISUSE);
    return add_rows(l, (int)part, rows, n, added);
}

/* Maps every customer of src (part by part, each in its own order) to
 * one of dst, adding the missing ones; counts the rows each dst part will
 * take in need[]. */
static int map_customers(wb_ledger *dst, const wb_ledger *src, uint32_t *map,
                         size_t *need)
{
    for (unsigned p = 0, k = 0; p < src->nparts; p++) {
        const wb_part *sp = &src->parts[p];
        for (uint32_t i = 0; i < sp->ncust; i++, k++) {
            const wb_cust *s = wb__cust_at(sp, i);
            unsigned which = wb__part_of_hash(dst, s->hh.hashv);
            wb_cust *d;
            WB_FORWARD(find_or_add(dst, which, s->hh.key, s->hh.keylen,
                                   s->hh.hashv, &d));
            int64_t sum;
            WB_FORWARD(wb__add(d->total, s->total, &sum));   /* check only */
            map[k] = d->tag;
        }
        for (size_t i = 0; i < sp->npairs; i++)
            need[wb__tag_part(dst, map[k - sp->ncust + sp->pairs[i].cust])]++;
    }
    for (unsigned q = 0; q < dst->nparts; q++) {
        wb_part *dp = &dst->parts[q];
        WB_RETURN_IF(need[q] > WB_LEDGER_ROWS_MAX - dp->npairs, WB_ERANGE);
        WB_FORWARD(grow(dp, (void **)&dp->pairs, &dp->pairs_cap,
                        dp->npairs + need[q], sizeof *dp->pairs));
    }
    return WB_OK;
}

/* Adds src's totals and rows to the customers map[] names; cannot fail. */
static void merge_mapped(wb_ledger *dst, const wb_ledger *src, const uint32_t *map)
{
    for (unsigned p = 0, k = 0; p < src->nparts; p++) {
        const wb_part *sp = &src->parts[p];
        const uint32_t *pm = map + k;
        for (uint32_t i = 0; i < sp->ncust; i++, k++) {
            const wb_cust *s = wb__cust_at(sp, i);
            wb_part *dp = &dst->parts[wb__tag_part(dst, map[k])];
            wb_cust *d = wb__cust_at(dp, wb__tag_local(dst, map[k]));
            note_first_day(d, s->first_day, s->first_spend);  /* as if row by row */
            d->total += s->total;
        }
        for (size_t i = 0; i < sp->npairs; i++) {
            uint32_t tag = pm[sp->pairs[i].cust];
            wb_part *dp = &dst->parts[wb__tag_part(dst, tag)];
            dp->pairs[dp->npairs].cust = wb__tag_local(dst, tag);
            dp->pairs[dp->npairs].day = sp->pairs[i].day;
            dp->npairs++;
        }
    }
}

int wb_ledger_merge(wb_ledger *dst, const wb_ledger *src)
{
    size_t bytes, ncust = 0;
    size_t need[WB_LEDGER_PARTS_MAX] = {0};
    mark marks[WB_LEDGER_PARTS_MAX];
    WB_RETURN_IF(dst == NULL || src == NULL || dst == src, WB_EMISUSE);
    WB_RETURN_IF(dst->sealed || src->sealed, WB_EMISUSE);
    for (unsigned p = 0; p < src->nparts; p++)
        ncust += src->parts[p].ncust;
    WB_FORWARD(wb__array_bytes(ncust, sizeof(uint32_t), &bytes));
    uint32_t *map = dst->a.alloc(dst->a.ud, bytes ? bytes : 1);
    WB_RETURN_IF(map == NULL, WB_ENOMEM);
    for (unsigned q = 0; q < dst->nparts; q++)
        marks[q] = take_mark(&dst->parts[q]);
    int rc = map_customers(dst, src, map, need);
    if (rc != WB_OK) {
        for (unsigned q = 0; q < dst->nparts; q++)
            rollback(&dst->parts[q], marks[q]);
    } else {
        wb__ledger_drop_index(dst);           /* nothing can fail from here on */
        merge_mapped(dst, src, map);
    }
    dst->a.free(dst->a.ud, map, bytes ? bytes : 1);
    return rc;
}

void wb__ledger_sizes(const wb_ledger *l, size_t *customers, size_t *purchases)
{
    *customers = *purchases = 0;
    for (unsigned p = 0; p < l->nparts; p++) {
        *customers += l->parts[p].ncust;
        *purchases += l->parts[p].npairs;
    }
}

int wb_ledger_count(const wb_ledger *l, size_t *customers, size_t *purchases)
{
    size_t nc, np;
    WB_RETURN_IF(l == NULL, WB_EMISUSE);
    wb__ledger_sizes(l, &nc, &np);
    if (customers != NULL)
        *customers = nc;
    if (purchases != NULL)
        *purchases = np;
    return WB_OK;
}

size_t wb_ledger_id_bytes(const wb_ledger *l)
{
    size_t bytes = 0;
    for (unsigned p = 0; l != NULL && p < l->nparts; p++)
        for (uint32_t i = 0; i < l->parts[p].ncust; i++)
            bytes += wb__cust_at(&l->parts[p], i)->hh.keylen;
    return bytes;
}

size_t wb_ledger_memory(const wb_ledger *l)
{
    size_t bytes = l == NULL ? 0 : l->bytes;
    for (unsigned p = 0; l != NULL && p < l->nparts; p++)
        bytes += l->parts[p].bytes;
    return bytes;
}
