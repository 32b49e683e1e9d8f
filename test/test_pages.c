/* test_pages.c -- the program's page allocator (programs/winback/pages.c):
 * pooled pages are reused, never handed to two blocks at once, and go back
 * to the kernel when pooling ends; a freed block's untouched tail is not
 * kept; once a log has loaded, a block is built of several pooled ranges;
 * blocks keep their bytes as they grow, shrink and move, from several
 * threads at once. */
#define _DEFAULT_SOURCE 1   /* mincore */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tool.h"
#include "wb_test.h"

#define MIB ((size_t)1 << 20)

/* mincore of the page at p: 0 and *in set, or -1 with errno (ENOMEM for
 * an unmapped page). */
static int probe(const void *p, unsigned char *in)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    *in = 0;
    return mincore((void *)((uintptr_t)p / page * page), page, in);
}

/* Is the page at p mapped? */
static int mapped(const void *p)
{
    unsigned char in;
    return probe(p, &in) == 0 || errno != ENOMEM;
}

/* Is the page at p in memory (mapped and touched)? */
static int resident(const void *p)
{
    unsigned char in;
    return probe(p, &in) == 0 && (in & 1);
}

static void *alloc(size_t n)
{
    const wb_allocator *a = page_allocator();
    void *p = a->alloc(a->ud, n);
    assert_non_null(p);
    return p;
}

static void release(void *p, size_t n)
{
    const wb_allocator *a = page_allocator();
    a->free(a->ud, p, n);
}

/* Not pooling, a freed block leaves at once; pooling, its pages serve the
 * next blocks, cut from the front of the smallest range that holds each,
 * until pooling ends. */
static void pooled_pages_are_reused(void **state)
{
    (void)state;
    char *a = alloc(MIB);
    release(a, MIB);
    assert_false(mapped(a));
    pages_pool(POOL_LOADING);
    a = alloc(MIB);
    memset(a, 1, MIB);
    release(a, MIB);
    assert_true(mapped(a));
    char *b = alloc(MIB / 4);
    char *c = alloc(MIB / 2);
    assert_ptr_equal(b, a);                 /* the smallest range that holds it */
    assert_ptr_equal(c, a + MIB / 4);
    char *d = alloc(MIB);                   /* only MIB / 4 left: a new mapping */
    assert_true(d < a || d >= a + MIB);
    release(b, MIB / 4);
    release(c, MIB / 2);
    char *e = alloc(MIB / 2);               /* c's range: b's and the rest too small */
    assert_ptr_equal(e, a + MIB / 4);
    release(e, MIB / 2);
    release(d, MIB);
    pages_pool(POOL_OFF);
    assert_false(mapped(a));
    assert_false(mapped(a + MIB - 1));
    assert_false(mapped(d));
}

/* Of a freed block, the pool keeps the pages up to the last one touched:
 * the rest would count as pooled while a block cut from it faults in new
 * pages. */
static void untouched_tails_are_not_kept(void **state)
{
    (void)state;
    pages_pool(POOL_LOADING);
    char *a = alloc(MIB);
    memset(a, 1, MIB / 8);
    release(a, MIB);
    assert_true(mapped(a + MIB / 8 - 1));
    assert_false(mapped(a + MIB / 8));
    char *b = alloc(MIB / 4);               /* more than was kept */
    assert_true(b < a || b >= a + MIB / 8); /* (maybe in the tail's hole) */
    char *c = alloc(MIB / 8);               /* what was kept */
    assert_ptr_equal(c, a);
    char *d = alloc(MIB / 4);               /* never touched: nothing kept */
    release(d, MIB / 4);
    assert_false(mapped(d));
    release(b, MIB / 4);
    release(c, MIB / 8);
    pages_pool(POOL_OFF);
}

/* Once the log has loaded (POOL_KEEP), a block larger than any pooled
 * range is built of them, their pages moved into place by the kernel
 * (not copied, not new), the rest new pages; it grows, by copy, keeping
 * its bytes. */
static void blocks_built_of_ranges(void **state)
{
    const wb_allocator *a = page_allocator();
    (void)state;
    pages_pool(POOL_KEEP);
    char *x = alloc(MIB), *y = alloc(MIB / 2);
    memset(x, 1, MIB);
    memset(y, 2, MIB / 2);
    release(x, MIB);
    release(y, MIB / 2);
    char *z = alloc(2 * MIB);
    assert_false(mapped(x));                /* moved into z */
    assert_false(mapped(y));
    assert_true(resident(z));
    assert_true(resident(z + 3 * MIB / 2 - 1));
    memset(z, 3, 2 * MIB);
    char *fresh = alloc(MIB / 8);           /* the pool is spent */
    assert_true(fresh < z || fresh >= z + 2 * MIB);
    z = a->realloc(a->ud, z, 2 * MIB, 5 * MIB);
    assert_non_null(z);
    for (size_t i = 0; i < 2 * MIB; i += 4093)
        assert_int_equal(z[i], 3);
    release(z, 5 * MIB);
    release(fresh, MIB / 8);
    pages_pool(POOL_OFF);
    assert_false(mapped(z));
}

/* Grown into a pooled range, by the kernel, or shrunk, a block keeps its
 * bytes; a shrunk block's tail leaves the process even when pooling. */
static void blocks_keep_their_bytes(void **state)
{
    const wb_allocator *a = page_allocator();
    (void)state;
    pages_pool(POOL_LOADING);
    char *spare = alloc(4 * MIB);
    memset(spare, 1, 4 * MIB);              /* else it is not kept */
    release(spare, 4 * MIB);
    char *p = alloc(100000);
    for (size_t i = 0; i < 100000; i++)
        p[i] = (char)(i * 7);
    p = a->realloc(a->ud, p, 100000, 3 * MIB);     /* from the pool */
    assert_non_null(p);
    p = a->realloc(a->ud, p, 3 * MIB, 6 * MIB);    /* beyond it */
    assert_non_null(p);
    p = a->realloc(a->ud, p, 6 * MIB, 200000);     /* shrunk in place */
    assert_non_null(p);
    assert_false(mapped(p + MIB));
    for (size_t i = 0; i < 100000; i++)
        assert_int_equal(p[i], (char)(i * 7));
    p = a->realloc(a->ud, p, 200000, 1000);        /* now malloc's */
    assert_non_null(p);
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(p[i], (char)(i * 7));
    a->free(a->ud, p, 1000);
    pages_pool(POOL_OFF);
}

/* Threads allocating, growing, shrinking and freeing blocks of up to
 * 3 MiB at once, each block marked with its own byte (every 4093rd and
 * the last, so every page) and checked before every change: a page given
 * to two blocks shows as another's byte. */
#define THREADS 4
#define BLOCKS 32
#define STEPS 3000

typedef struct churn {
    unsigned seed;
    int bad;
} churn;

#define STRIDE 4093

static void mark(unsigned char *p, size_t from, size_t n, unsigned char v)
{
    for (size_t i = (from + STRIDE - 1) / STRIDE * STRIDE; i < n; i += STRIDE)
        p[i] = v;
    p[n - 1] = v;
}

/* The marks below n; with last, p[n - 1] too. */
static int intact(const unsigned char *p, size_t n, int last, unsigned char v)
{
    for (size_t i = 0; i < n; i += STRIDE)
        if (p[i] != v)
            return 0;
    return !last || p[n - 1] == v;
}

static void *churn_blocks(void *arg)
{
    churn *c = arg;
    const wb_allocator *a = page_allocator();
    unsigned char *blk[BLOCKS] = {0}, fill[BLOCKS] = {0};
    size_t size[BLOCKS] = {0};
    for (int step = 0; step < STEPS && !c->bad; step++) {
        int i = rand_r(&c->seed) % BLOCKS;
        size_t n = 1000 + (size_t)rand_r(&c->seed) % (2 * MIB);
        if (blk[i] != NULL && !intact(blk[i], size[i], 1, fill[i])) {
            c->bad = 1;
        } else if (blk[i] == NULL) {
            blk[i] = a->alloc(a->ud, n);
            c->bad = blk[i] == NULL;
            fill[i] = (unsigned char)rand_r(&c->seed);
            if (!c->bad)
                mark(blk[i], 0, size[i] = n, fill[i]);
        } else if (rand_r(&c->seed) % 3 == 0) {
            a->free(a->ud, blk[i], size[i]);
            blk[i] = NULL;
        } else {
            unsigned char *p = a->realloc(a->ud, blk[i], size[i], n);
            /* a shrunk block's last byte is a new one */
            c->bad = p == NULL || !intact(p, n < size[i] ? n : size[i], n >= size[i], fill[i]);
            if (!c->bad)
                mark(p, size[i] < n ? size[i] : n - 1, n, fill[i]);
            blk[i] = p;
            size[i] = n;
        }
    }
    for (int i = 0; i < BLOCKS; i++)
        if (blk[i] != NULL)
            a->free(a->ud, blk[i], size[i]);
    return NULL;
}

static void churn_in_mode(int mode)
{
    pthread_t t[THREADS];
    churn c[THREADS];
    pages_pool(mode);
    for (int k = 0; k < THREADS; k++) {
        c[k].seed = (unsigned)k + 1;
        c[k].bad = 0;
        assert_int_equal(pthread_create(&t[k], NULL, churn_blocks, &c[k]), 0);
    }
    for (int k = 0; k < THREADS; k++) {
        assert_int_equal(pthread_join(t[k], NULL), 0);
        assert_int_equal(c[k].bad, 0);
    }
    pages_pool(POOL_OFF);
}

static void threads_share_the_pool(void **state)
{
    (void)state;
    churn_in_mode(POOL_LOADING);
}

/* The same once loaded: blocks built of several ranges, grown by copy. */
static void threads_share_the_kept_pool(void **state)
{
    (void)state;
    churn_in_mode(POOL_KEEP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pooled_pages_are_reused),
        cmocka_unit_test(untouched_tails_are_not_kept),
        cmocka_unit_test(blocks_keep_their_bytes),
        cmocka_unit_test(threads_share_the_pool),
        /* last: once a block is built of ranges, mremap grows none */
        cmocka_unit_test(blocks_built_of_ranges),
        cmocka_unit_test(threads_share_the_kept_pool),
    };
    return cmocka_run_group_tests_name("pages", tests, NULL, NULL);
}
