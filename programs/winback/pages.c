/*
 * pages.c -- the ledger's allocator: large blocks mapped from the kernel.
 *
 * The ledger's large blocks -- customer slabs, bucket arrays, the rows,
 * the index -- come and go while it loads and seals. From malloc, a block
 * freed among live ones stays resident as free heap, where the command's
 * own later blocks (mapped, being larger still) do not reuse it: the
 * freed rows of a 64-part ledger stayed as 44 MiB of the plan's peak.
 * Mapped one by one, each goes back to the kernel when freed. Small
 * blocks stay with malloc. Stateless, so any thread may use it.
 */
#define _GNU_SOURCE 1       /* MAP_ANONYMOUS, mremap */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tool.h"

#define LARGE (64u << 10)   /* bytes from which a block is mapped */

/* ThreadSanitizer does not intercept mremap: the range a block moved from
 * keeps its accesses, and a later block mapped there by another thread is
 * reported as a race (google/sanitizers#1099). Under it, blocks move by
 * copy. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NO_MREMAP 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define NO_MREMAP 1
#endif

static void *map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void *page_alloc(void *ud, size_t size)
{
    (void)ud;
    return size >= LARGE ? map(size) : malloc(size);
}

static void page_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    if (ptr != NULL && size >= LARGE)
        munmap(ptr, size);
    else
        free(ptr);
}

static void *page_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    if (old_size < LARGE && new_size < LARGE)
        return realloc(ptr, new_size);
#if defined(MREMAP_MAYMOVE) && !defined(NO_MREMAP)
    if (old_size >= LARGE && new_size >= LARGE) {
        void *p = mremap(ptr, old_size, new_size, MREMAP_MAYMOVE);
        return p == MAP_FAILED ? NULL : p;
    }
#endif
    void *p = page_alloc(ud, new_size);
    if (p != NULL) {
        memcpy(p, ptr, old_size < new_size ? old_size : new_size);
        page_free(ud, ptr, old_size);
    }
    return p;
}

const wb_allocator *page_allocator(void)
{
    static const wb_allocator pages = {page_alloc, page_realloc, page_free, NULL};
    return &pages;
}
