/*
 * rank_sort.c -- the plan's order: priority, highest first, and equal
 * priorities in id order.
 *
 * A least-significant-digit radix sort on the priority, over only the
 * bits that differ between the keys (the OR and the AND of the keys,
 * which the plan's threads gather as they make the priorities: cents
 * leave most of the 64 alike). Those bits are cut into as few digits of
 * at most 11 bits as cover them -- two for priorities below 2^22 -- and
 * each digit is one stable pass: the threads count their slices, each
 * bucket's place is cut in slice order, and each scatters its slice. The
 * input comes in id order, so stability keeps ties in id order, as qsort
 * with by_priority does. For the 500 000 customers of the 5 M-row plan:
 * qsort 47 ms, eight byte passes 15 ms, two digits 7.4 ms on one thread
 * and 4.5 ms on two (docs/performance.md, steps 34 and 42).
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Digits of at most this many bits: a thread's counts (16 KiB) stay in
 * the first-level cache. */
#define DIGIT_BITS_MAX 11

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

/* One thread's share of a pass: [lo, hi) of `from`, its digit k counted
 * into count[], or scattered to `to` from the places count[] then holds. */
typedef struct rank_share {
    const ranked *from;
    ranked *to;
    size_t lo, hi;
    const digits *d;
    size_t *count;
    unsigned k;
    int scatter;
} rank_share;

static void *run_share(void *arg)
{
    const rank_share *s = arg;
    if (!s->scatter) {
        memset(s->count, 0, ((size_t)1 << s->d->width) * sizeof *s->count);
        for (size_t i = s->lo; i < s->hi; i++)
            s->count[digit(s->d, s->k, s->from[i].priority)]++;
        return NULL;
    }
    for (size_t i = s->lo; i < s->hi; i++)
        s->to[s->count[digit(s->d, s->k, s->from[i].priority)]++] = s->from[i];
    return NULL;
}

/* One stable pass on digit k, `shares` threads at once: each counts its
 * slice, then each bucket's place is cut in slice order, then each
 * scatters its slice. */
static void radix_pass(const ranked *from, ranked *to, size_t n, const digits *d,
                       unsigned k, size_t *counts, unsigned shares)
{
    rank_share s[WB_THREADS_MAX];
    size_t buckets = (size_t)1 << d->width;
    for (unsigned t = 0; t < shares; t++) {
        rank_share one = {from, to, n * t / shares, n * (t + 1) / shares, d,
                          counts + t * buckets, k, 0};
        s[t] = one;
    }
    run_spread(run_share, s, sizeof *s, shares);
    for (size_t b = 0, at = 0; b < buckets; b++)
        for (unsigned t = 0; t < shares; t++) {
            size_t c = s[t].count[b];
            s[t].count[b] = at;
            at += c;
        }
    for (unsigned t = 0; t < shares; t++)
        s[t].scatter = 1;
    run_spread(run_share, s, sizeof *s, shares);
}

void sort_by_priority(ranked *rows, size_t n)
{
    priority_bits bits = PRIORITY_BITS_NONE;
    for (size_t i = 0; i < n; i++)
        priority_bits_add(&bits, rows[i].priority);
    sort_ranked(rows, n, &bits, 1);
}

/* rows[] (in index order) into the plan's order. Without memory for the
 * second buffer it falls back to qsort, which gives the same order. */
void sort_ranked(ranked *rows, size_t n, const priority_bits *bits, unsigned threads)
{
    digits d = digits_of(bits->any & ~bits->all);
    if (n < 2 || d.count == 0)
        return;                 /* one priority: index order is the order */
    unsigned shares = threads < 1 ? 1 : threads > WB_THREADS_MAX ? WB_THREADS_MAX : threads;
    ranked *tmp = pages_alloc(n * sizeof *tmp);
    size_t *counts = malloc(shares * ((size_t)1 << d.width) * sizeof *counts);
    if (tmp == NULL || counts == NULL) {
        if (tmp != NULL)
            pages_free(tmp, n * sizeof *tmp);
        free(counts);
        qsort(rows, n, sizeof *rows, by_priority);
        return;
    }
    ranked *from = rows, *to = tmp;
    for (unsigned k = 0; k < d.count; k++) {
        radix_pass(from, to, n, &d, k, counts, shares);
        ranked *t = from;
        from = to;
        to = t;
    }
    if (from != rows)
        memcpy(rows, from, n * sizeof *rows);
    free(counts);
    pages_free(tmp, n * sizeof *tmp);
}
