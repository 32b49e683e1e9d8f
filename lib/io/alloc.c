/*
 * alloc.c -- the host's allocator, or the C library's by default.
 *
 * Only the ledger and the reader allocate; the integer core never calls
 * into this file.
 */
#include <stdlib.h>

#include "io/alloc.h"

static void *std_alloc(void *ud, size_t size)
{
    (void)ud;
    return malloc(size);
}

static void *std_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    (void)old_size;
    return realloc(ptr, new_size);
}

static void std_free(void *ud, void *ptr, size_t size)
{
    (void)ud;
    (void)size;
    free(ptr);
}

int wb__allocator_pick(const wb_allocator *given, wb_allocator *out)
{
    static const wb_allocator std = {std_alloc, std_realloc, std_free, NULL};
    if (given == NULL) {
        *out = std;
        return WB_OK;
    }
    WB_RETURN_IF(given->alloc == NULL || given->realloc == NULL ||
                 given->free == NULL, WB_EINVAL);
    *out = *given;
    return WB_OK;
}

/* Multiplies a count by an element size, or reports that it overflows. */
int wb__array_bytes(size_t count, size_t elem, size_t *bytes)
{
    WB_RETURN_IF(elem != 0 && count > SIZE_MAX / elem, WB_ENOMEM);
    *bytes = count * elem;
    return WB_OK;
}
