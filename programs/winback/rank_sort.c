/*
 * rank_sort.c -- the plan's order: priority, highest first, and equal
 * priorities in id order.
 *
 * A least-significant-byte radix sort on the priority: eight counting
 * passes at most, each stable, and a pass whose byte is the same in every
 * key is skipped (priorities in cents leave five of the eight bytes
 * alike). The input comes in id order, so stability keeps ties in id
 * order, as qsort with by_priority does. qsort of 500 000 customers took
 * 47 ms of the 5M-row plan.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Highest first, then the lower index: the order every ranking uses. */
static int by_priority(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

/* The key that sorts ascending as the priority sorts descending: the
 * sign bit flipped makes signed order unsigned, the complement reverses. */
static uint64_t descending_key(int64_t priority)
{
    return ~((uint64_t)priority ^ (UINT64_C(1) << 63));
}

/* One stable counting pass on byte `shift / 8`; 0 when every key has the
 * same byte there and nothing moved. */
static int radix_pass(const ranked *from, ranked *to, size_t n, unsigned shift)
{
    size_t count[256] = {0};
    for (size_t i = 0; i < n; i++)
        count[(descending_key(from[i].priority) >> shift) & 0xFF]++;
    for (int b = 0; b < 256; b++)
        if (count[b] == n)
            return 0;
    for (size_t b = 0, at = 0; b < 256; b++) {
        size_t c = count[b];
        count[b] = at;
        at += c;
    }
    for (size_t i = 0; i < n; i++)
        to[count[(descending_key(from[i].priority) >> shift) & 0xFF]++] = from[i];
    return 1;
}

/* rows[] (in index order) into the plan's order. Without memory for the
 * second buffer it falls back to qsort, which gives the same order. */
void sort_by_priority(ranked *rows, size_t n)
{
    ranked *tmp = n > 1 ? pages_alloc(n * sizeof *tmp) : NULL;
    if (tmp == NULL) {
        if (n > 1)
            qsort(rows, n, sizeof *rows, by_priority);
        return;
    }
    ranked *from = rows, *to = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8)
        if (radix_pass(from, to, n, shift)) {
            ranked *t = from;
            from = to;
            to = t;
        }
    if (from != rows)
        memcpy(rows, from, n * sizeof *rows);
    pages_free(tmp, n * sizeof *tmp);
}
