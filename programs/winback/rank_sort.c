/*
 * rank_sort.c -- the plan's order: priority, highest first, and equal
 * priorities in id order.
 *
 * A least-significant-digit radix sort on the priority, over only the
 * bits that differ between the keys (one pass of OR and AND finds them:
 * priorities in cents leave most of the 64 alike). Those bits are cut
 * into as few digits of at most 11 bits as cover them -- two for
 * priorities below 2^22 -- whose counts are taken in one read, then one
 * stable scattering pass each. The input comes in id order, so stability
 * keeps ties in id order, as qsort with by_priority does. qsort of
 * 500 000 customers took 47 ms of the 5M-row plan; eight byte passes,
 * 15 ms; this, about a third of that (docs/performance.md, step 34).
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Digits of at most this many bits: their counts (16 KiB) stay in the
 * first-level cache. */
#define DIGIT_BITS_MAX 11
#define DIGITS_MAX ((64 + DIGIT_BITS_MAX - 1) / DIGIT_BITS_MAX)

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

void priority_bits_add(priority_bits *b, int64_t priority)
{
    uint64_t k = descending_key(priority);
    b->any |= k;
    b->all &= k;
}

void priority_bits_join(priority_bits *into, const priority_bits *b)
{
    into->any |= b->any;
    into->all &= b->all;
}

/* The digits that cover the varying bits: digit d is `width` bits from
 * bit low + d * width. */
typedef struct digits {
    unsigned count, low, width;
} digits;

static digits digits_of(uint64_t varying)
{
    digits d = {0, 0, 0};
    if (varying == 0)
        return d;
    d.low = (unsigned)__builtin_ctzll(varying);
    unsigned bits = 64 - (unsigned)__builtin_clzll(varying) - d.low;
    d.count = (bits + DIGIT_BITS_MAX - 1) / DIGIT_BITS_MAX;
    d.width = (bits + d.count - 1) / d.count;
    return d;
}

static unsigned digit(const digits *d, unsigned k, int64_t priority)
{
    uint64_t mask = (UINT64_C(1) << d->width) - 1;    /* width <= 11 */
    return (unsigned)((descending_key(priority) >> (d->low + k * d->width)) & mask);
}

/* Each digit's counts in one read of the keys, turned into the place its
 * first key goes. */
static void place_digits(const ranked *rows, size_t n, const digits *d,
                         size_t (*start)[1u << DIGIT_BITS_MAX])
{
    size_t buckets = (size_t)1 << d->width;
    for (unsigned k = 0; k < d->count; k++)
        memset(start[k], 0, buckets * sizeof start[k][0]);
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < d->count; k++)
            start[k][digit(d, k, rows[i].priority)]++;
    for (unsigned k = 0; k < d->count; k++)
        for (size_t b = 0, at = 0; b < buckets; b++) {
            size_t c = start[k][b];
            start[k][b] = at;
            at += c;
        }
}

void sort_by_priority(ranked *rows, size_t n)
{
    priority_bits bits = PRIORITY_BITS_NONE;
    for (size_t i = 0; i < n; i++)
        priority_bits_add(&bits, rows[i].priority);
    sort_ranked(rows, n, &bits);
}

/* rows[] (in index order) into the plan's order. Without memory for the
 * second buffer it falls back to qsort, which gives the same order. */
void sort_ranked(ranked *rows, size_t n, const priority_bits *bits)
{
    digits d = digits_of(bits->any & ~bits->all);
    if (n < 2 || d.count == 0)
        return;                 /* one priority: index order is the order */
    ranked *tmp = pages_alloc(n * sizeof *tmp);
    size_t (*start)[1u << DIGIT_BITS_MAX] = malloc(d.count * sizeof *start);
    if (tmp == NULL || start == NULL) {
        if (tmp != NULL)
            pages_free(tmp, n * sizeof *tmp);
        free(start);
        qsort(rows, n, sizeof *rows, by_priority);
        return;
    }
    place_digits(rows, n, &d, start);
    ranked *from = rows, *to = tmp;
    for (unsigned k = 0; k < d.count; k++) {
        for (size_t i = 0; i < n; i++)
            to[start[k][digit(&d, k, from[i].priority)]++] = from[i];
        ranked *t = from;
        from = to;
        to = t;
    }
    if (from != rows)
        memcpy(rows, from, n * sizeof *rows);
    free(start);
    pages_free(tmp, n * sizeof *tmp);
}
