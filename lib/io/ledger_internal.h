/*
 * io/ledger_internal.h -- the ledger's layout, shared by its two halves:
 * ledger.c (parts, customers, adding, merging) and ledger_index.c (the read
 * index that wb_ledger_finish builds, and the queries on it). Internal to
 * the io tier, not installed.
 *
 * A ledger is split into parts by a hash of the customer id. Each part is
 * a ledger of its own -- uthash table, customer slabs, id arena, purchase
 * rows, allocation count -- so that threads adding to distinct parts share
 * nothing. The index ranks every customer of every part by id.
 */
#ifndef WB_LEDGER_INTERNAL_H
#define WB_LEDGER_INTERNAL_H

#include "io/alloc.h"
#include "io/bytes.h"
#include "io/id_hash.h"

/* Customers per slab and bytes per id block. A build may shrink them (the
 * fuzzer does, so each run allocates little); results do not change. */
#ifndef WB_LEDGER_SLAB
#define WB_LEDGER_SLAB 4096u
#endif
#ifndef WB_LEDGER_ID_BLOCK
#define WB_LEDGER_ID_BLOCK 65536u
#endif
/* Rows a ledger holds in all (checked when it is finished) and a part
 * alone (checked as they are added). A test build shrinks it. */
#ifndef WB_LEDGER_ROWS_MAX
#define WB_LEDGER_ROWS_MAX ((uint32_t)INT32_MAX)
#endif
#ifndef WB_LEDGER_LOAD
#define WB_LEDGER_LOAD 1u         /* customers a bucket before doubling */
#endif
#define WB_LEDGER_INLINE_ID 16u   /* ids up to this long live in the customer */

struct wb_part;
void *wb__part_alloc(struct wb_part *pt, size_t size);
void wb__part_free(struct wb_part *pt, void *ptr, size_t size);

/* uthash allocates through the part in scope, named L at every use. */
#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) wb__part_alloc(L, sz)
#define uthash_free(ptr, sz) wb__part_free(L, ptr, sz)
#define uthash_nonfatal_oom(obj) (L->oom = 1)
#define HASH_KEYCMP(a, b, n) wb__bytes_differ((a), (b), (n))
#define HASH_FUNCTION(key, len, hashv) ((hashv) = wb__hash_id((key), (len)))

#include <uthash.h>

typedef struct wb_cust {
    UT_hash_handle hh;        /* key: id[] or, for longer ids, the arena */
    int64_t total;
    int64_t first_spend;      /* spent on first_day: repeat spend = total - it */
    int32_t first_day;        /* earliest day seen, whatever the row order */
    uint32_t tag;             /* local index * nparts + part */
    char id[WB_LEDGER_INLINE_ID]; /* next to the handle: one cache miss less */
} wb_cust;

/* The handle first: a chain's handle is its customer (find_hashed). */
_Static_assert(offsetof(wb_cust, hh) == 0, "the handle starts the customer");

typedef struct wb_pair {
    uint32_t cust;            /* the customer's index within its part */
    int32_t day;
} wb_pair;

typedef struct wb_part {
    wb_allocator a;
    size_t bytes;             /* held from the allocator by this part */
    int oom;                  /* set by uthash on a failed allocation */
    wb_cust *hash;
    /* The table's buckets and their count less one, as last synced
     * (wb__sync_buckets) after any change of the table: a lookup reads
     * them from here, not through the table's header. With no table, one
     * empty bucket. */
    const UT_hash_bucket *bkt;
    unsigned mask;
    void **slabs;             /* as allocated: see wb__slab_first */
    size_t nslabs, slabs_cap;
    uint32_t ncust;
    char **blocks;
    size_t nblocks, blocks_cap, block_used;
    wb_pair *pairs;
    size_t npairs, pairs_cap;
    wb_cust *last;            /* the last customer added to: logs sorted by
                                 customer hit it row after row */
} wb_part;

struct wb_ledger {
    wb_allocator a;
    size_t bytes;             /* the ledger's own and its index's */
    unsigned nparts;
    uint32_t max_cust;        /* per part, so that tags and the sum fit int32 */
    wb_part *parts;
    /* The read index, built by wb_ledger_finish for index_ncust customers
     * and index_npairs rows; by_rank is NULL when not built. */
    const wb_cust **by_rank;  /* customers in id order */
    uint32_t *offsets;        /* by rank: where its days start in days[] */
    int32_t *days;            /* grouped by rank, sorted within */
    uint32_t index_ncust;
    size_t index_npairs;
    int sealed;               /* read only: the rows live in the index alone */
};

#define WB_LEDGER_PARTS_MAX 512u

/* A slab is allocated a cache line larger than its customers and they
 * start at its first line boundary: a customer (96 bytes) then spans two
 * lines, never three, and a lookup's prefetch of two lines covers it. */
#define WB_LEDGER_LINE 64u
#define WB_LEDGER_SLAB_BYTES (WB_LEDGER_SLAB * sizeof(wb_cust) + WB_LEDGER_LINE)

static inline wb_cust *wb__slab_first(void *raw)
{
    size_t pad = (WB_LEDGER_LINE - ((uintptr_t)raw & (WB_LEDGER_LINE - 1))) &
                 (WB_LEDGER_LINE - 1);
    return (wb_cust *)(void *)((char *)raw + pad);
}

static inline wb_cust *wb__cust_at(const wb_part *pt, uint32_t local)
{
    return &wb__slab_first(pt->slabs[local / WB_LEDGER_SLAB])[local % WB_LEDGER_SLAB];
}

/* A customer's tag is its index in its part times nparts, plus its part;
 * nparts is at least 1 from wb_ledger_new_parts on. */
static inline unsigned wb__tag_part(const wb_ledger *l, uint32_t tag)
{
    return tag % l->nparts; /* NOLINT(clang-analyzer-core.DivideZero): nparts >= 1 */
}

static inline uint32_t wb__tag_local(const wb_ledger *l, uint32_t tag)
{
    return tag / l->nparts; /* NOLINT(clang-analyzer-core.DivideZero): nparts >= 1 */
}

/* Points the part's bucket view at its table as it is now; called after
 * every change of the table (adds, deletes, clearing). */
void wb__sync_buckets(wb_part *pt);

/* Customers and rows over all parts. */
void wb__ledger_sizes(const wb_ledger *l, size_t *customers, size_t *purchases);

/* Drops the read index, if any (the next finish builds it again). */
void wb__ledger_drop_index(wb_ledger *l);

/* The part of a hash value: its high bits, as the low ones pick the
 * bucket within the part's table. */
static inline unsigned wb__part_of_hash(const wb_ledger *l, unsigned hashv)
{
    return (unsigned)(((uint64_t)hashv * l->nparts) >> 32);
}

#endif
