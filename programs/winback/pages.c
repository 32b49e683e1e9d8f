/*
 * pages.c -- the ledger's allocator: large blocks mapped from the kernel,
 * and kept once freed for the blocks that follow.
 *
 * The ledger's large blocks -- customer slabs, bucket arrays, the rows,
 * the index -- come and go while it loads and seals. From malloc, a block
 * freed among live ones stays resident as free heap, where the command's
 * own later blocks (mapped, being larger still) do not reuse it: the
 * freed rows of a 64-part ledger stayed as 44 MiB of the plan's peak.
 * Mapped one by one, each goes back to the kernel when freed.
 *
 * But pages new to the process cost: the kernel clears and accounts each
 * on its first touch. While a log loads, the held rows' chunks (spill.c)
 * are freed part by part just as the ledger's parts grow by as much, so
 * there, with pages_pool(POOL_LOADING), a freed block's pages join a pool
 * of free address ranges and the next block is cut from the front of the
 * smallest range that holds it: the 5 M-row plan's adding phase took
 * 0.10 s instead of 0.13 (docs/performance.md, step 28). Once the rows are
 * in (POOL_KEEP), the pool serves the index and the commands' own arrays
 * too: a block larger than any one range is built of several, the kernel
 * moving their pages into one new mapping (mremap), so that the sealed
 * ledger's 40 MB of rows become the plan's rows instead of going back to
 * the kernel as new pages come in (step 29). A freed block's untouched
 * tail is not kept, so the pool holds resident pages only and the peak
 * stays where it was. pages_pool(POOL_OFF) gives the pool back. Blocks are
 * whole pages, so that a block cut from a range holds no page another one
 * uses. Small blocks stay with malloc. Any thread may use it: the pool has
 * a lock, taken a few hundred times a run.
 */
#define _GNU_SOURCE 1       /* MAP_ANONYMOUS, mremap */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tool.h"

#define LARGE (64u << 10)   /* bytes from which a block is mapped */
/* Free ranges kept; beyond, a range is unmapped. A ledger of 512 parts
 * frees thousands of blocks as it loads and seals: with 256 kept, the
 * 50 M-row plan faulted 456 k pages instead of 340 k and took 0.1 to
 * 0.2 s longer; the 5 M-row plan's peak is 0.6 MB higher with 4 096. */
#define POOL_RANGES 4096

/* ThreadSanitizer does not intercept mremap: the range a block moved from
 * keeps its accesses, and a later block mapped there by another thread is
 * reported as a race (google/sanitizers#1099). Under it, blocks move by
 * copy. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NO_MREMAP 1
#endif
#if __has_feature(address_sanitizer)
#define POOL_POISON 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define NO_MREMAP 1
#endif
#if defined(__SANITIZE_ADDRESS__)
#define POOL_POISON 1
#endif

/* Under AddressSanitizer a pooled range is poisoned, so that a use of a
 * block after its free is reported as with malloc's; a block cut from the
 * pool is filled with a pattern, as malloc's would hold garbage. */
#ifdef POOL_POISON
#include <sanitizer/asan_interface.h>
#define POOLED(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOOLED(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define REUSED(p, n) (UNPOOLED((p), (n)), memset((p), 0xA5, (n)))
#else
#define POOLED(p, n) ((void)0)
#define UNPOOLED(p, n) ((void)0)
#define REUSED(p, n) ((void)0)
#endif

typedef struct range {
    char *p;
    size_t n;               /* bytes, whole pages */
} range;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static range pool[POOL_RANGES];
static size_t npool;
static int pooling;          /* POOL_OFF, POOL_LOADING or POOL_KEEP */
static int spliced;          /* a block was built of several mappings */

static size_t whole_pages(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (size + page - 1) / page * page;
}

static void *map(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The first n bytes of the smallest pooled range that holds them, or
 * NULL. Called with the lock held. */
static char *take_one(size_t n)
{
    size_t best = npool;
    for (size_t i = 0; i < npool; i++)
        if (pool[i].n >= n && (best == npool || pool[i].n < pool[best].n))
            best = i;
    if (best == npool)
        return NULL;
    char *p = pool[best].p;
    pool[best].p += n;
    pool[best].n -= n;
    if (pool[best].n == 0)
        pool[best] = pool[--npool];
    return p;
}

/* The largest pooled range, or npool with none. */
static size_t largest(void)
{
    size_t big = npool;
    for (size_t i = 0; i < npool; i++)
        if (big == npool || pool[i].n > pool[big].n)
            big = i;
    return big;
}

/* Moves the first k bytes of pooled range i to dst, the kernel moving the
 * pages themselves (no copy, no fault); without mremap, by copy. Should
 * the move fail, the range's bytes are dropped and dst gets new pages
 * instead (a failed MREMAP_FIXED may have unmapped both places). */
static void move_front(size_t i, char *dst, size_t k)
{
    range *r = &pool[i];
    UNPOOLED(r->p, k);      /* the next mapping at its old place is clean */
#if defined(MREMAP_FIXED) && !defined(NO_MREMAP)
    if (mremap(r->p, k, k, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED) {
        munmap(r->p, k);
        if (mmap(dst, k, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            abort();        /* dst was ours: the kernel gives it back */
    }
#else
    memcpy(dst, r->p, k);
    munmap(r->p, k);
#endif
    r->p += k;
    r->n -= k;
    if (r->n == 0)
        pool[i] = pool[--npool];
}

/* A new mapping of n bytes whose front is built of pooled ranges, largest
 * first, moved into place; the rest is new pages. Called with the lock
 * held, once the ledger has loaded (POOL_KEEP): a block built so spans
 * several kernel mappings, which mremap cannot grow (grow_large). */
static char *assemble(size_t n)
{
    char *dst = map(n);
    for (size_t at = 0, i; dst != NULL && at < n && (i = largest()) < npool;) {
        size_t k = pool[i].n < n - at ? pool[i].n : n - at;
        move_front(i, dst + at, k);
        at += k;
        spliced = 1;
    }
    return dst;
}

/* A block of n bytes (whole pages) from the pool: from one range when one
 * holds it; after loading, built of several when none does. NULL when the
 * pool has nothing for it. */
static char *take(size_t n)
{
    pthread_mutex_lock(&pool_lock);
    char *p = take_one(n);              /* npool read under the lock */
    if (p == NULL && pooling == POOL_KEEP && npool > 0)
        p = assemble(n);
    pthread_mutex_unlock(&pool_lock);
    if (p != NULL)
        REUSED(p, n);
    return p;
}

/* The bytes of [p, p + n) up to its last page in memory: a block's tail
 * is often never touched (a growing array's room, a spill's last chunk).
 * Pooled, such pages would count as the pool's while a block cut from them
 * faults in new ones, and the pool's resident pages beside it raise the
 * peak; unmapped, they cost nothing. */
static size_t touched(char *p, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char in[256];
    while (n > 0) {
        size_t pages = n / page < sizeof in ? n / page : sizeof in;
        char *from = p + n - pages * page;
        if (mincore(from, pages * page, in) != 0)
            return n;               /* cannot tell: keep it all */
        while (pages > 0 && !(in[pages - 1] & 1))
            pages--;
        if (pages > 0)
            return (size_t)(from - p) + pages * page;
        n = (size_t)(from - p);
    }
    return 0;
}

/* Pools the range [p, p + n); unmaps it when not pooling or when the pool
 * is full. Ranges are not joined to their neighbours: then each block lies
 * within one mapping, which mremap needs (grow_large). Joined, they saved
 * 4 k of the 5 M-row plan's 58 k page faults; but a block cut across two
 * mappings makes mremap fail, and qemu's user mode (check-cross) unmaps
 * the block when it does. */
static void give(char *p, size_t n)
{
    int kept = 0;
    size_t used = touched(p, n);
    if (used < n)                   /* never touched: nothing to keep */
        munmap(p + used, n - used);
    if (used == 0)
        return;
    n = used;
    pthread_mutex_lock(&pool_lock);
    if (pooling && npool < POOL_RANGES) {
        pool[npool].p = p;
        pool[npool++].n = n;
        kept = 1;
        POOLED(p, n);       /* before another thread may take it */
    }
    pthread_mutex_unlock(&pool_lock);
    if (!kept)
        munmap(p, n);
}

void pages_pool(int mode)
{
    pthread_mutex_lock(&pool_lock);
    pooling = mode;
    for (; mode == POOL_OFF && npool > 0; npool--) {
        range *r = &pool[npool - 1];
        UNPOOLED(r->p, r->n);       /* the next mapping there is clean */
        munmap(r->p, r->n);
    }
    pthread_mutex_unlock(&pool_lock);
}

static void *page_alloc(void *ud, size_t size)
{
    (void)ud;
    if (size < LARGE)
        return malloc(size);
    size_t n = whole_pages(size);
    char *p = take(n);
    return p != NULL ? p : map(n);
}

static void page_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    if (ptr != NULL && size >= LARGE)
        give(ptr, whole_pages(size));
    else
        free(ptr);
}

#if defined(MREMAP_MAYMOVE) && !defined(NO_MREMAP)
/* Whether mremap may grow a block: not once a block was built of several
 * mappings (assemble), as the block, or one cut from it once freed, may
 * span them: mremap then fails, and qemu's user mode unmaps the block when
 * it does. */
static int may_remap(void)
{
    pthread_mutex_lock(&pool_lock);
    int may = !spliced;
    pthread_mutex_unlock(&pool_lock);
    return may;
}
#endif

/* A large block grown: into a pooled range when one holds it (its pages
 * are already the process's), else where the kernel can move it, else
 * (out of address space there) into a new mapping. */
static void *grow_large(void *ptr, size_t old_n, size_t new_n)
{
    char *p = take(new_n);
#if defined(MREMAP_MAYMOVE) && !defined(NO_MREMAP)
    if (p == NULL && may_remap()) {
        void *moved = mremap(ptr, old_n, new_n, MREMAP_MAYMOVE);
        if (moved != MAP_FAILED)
            return moved;
    }
#endif
    if (p == NULL)
        p = map(new_n);
    if (p == NULL)
        return NULL;
    memcpy(p, ptr, old_n);
    give(ptr, old_n);
    return p;
}

static void *page_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    if (old_size < LARGE && new_size < LARGE)
        return realloc(ptr, new_size);
    if (old_size >= LARGE && new_size >= LARGE) {
        size_t old_n = whole_pages(old_size), new_n = whole_pages(new_size);
        if (new_n > old_n)
            return grow_large(ptr, old_n, new_n);
        /* Shrunk: the ledger gives its slack back before it builds the
         * index, so the tail leaves the process even when pooling. */
        if (new_n < old_n)
            munmap((char *)ptr + new_n, old_n - new_n);
        return ptr;
    }
    void *p = page_alloc(ud, new_size);
    if (p != NULL) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        page_free(ud, ptr, old_size);
    }
    return p;
}

void *pages_alloc(size_t size)
{
    return page_alloc(NULL, size);
}

void pages_free(void *ptr, size_t size)
{
    page_free(NULL, ptr, size);
}

const wb_allocator *page_allocator(void)
{
    static const wb_allocator pages = {page_alloc, page_realloc, page_free, NULL};
    return &pages;
}
