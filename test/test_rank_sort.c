/* test_rank_sort.c -- the plan's order (programs/winback/rank_sort.c):
 * priority highest first, ties in index order, whatever bits the
 * priorities differ in and however many threads share the passes, checked
 * against qsort with the same comparison; bits gathered in pieces and
 * joined sort as bits gathered at once. */
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "wb_test.h"

/* The order by definition: higher priority first, then lower index. */
static int reference(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

/* A 64-bit pseudo-random number (xorshift64*), the same on every run. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

/* n rows in index order with priorities from make(k, state). */
static ranked *rows_of(size_t n, int64_t (*make)(size_t, uint64_t *), uint64_t seed)
{
    ranked *r = malloc((n ? n : 1) * sizeof *r);
    assert_non_null(r);
    for (size_t i = 0; i < n; i++) {
        r[i].priority = make(i, &seed);
        r[i].index = (uint32_t)i;
    }
    return r;
}

/* Sorts a copy both ways and compares them row by row. */
static void sorts_as_qsort(size_t n, int64_t (*make)(size_t, uint64_t *), uint64_t seed)
{
    ranked *got = rows_of(n, make, seed), *want = rows_of(n, make, seed);
    sort_by_priority(got, n);
    qsort(want, n, sizeof *want, reference);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(got[i].index, want[i].index);
        assert_true(got[i].priority == want[i].priority);
    }
    free(got);
    free(want);
}

/* Cents of a few thousand: two digits of ten bits. */
static int64_t cents(size_t k, uint64_t *s) { (void)k; return (int64_t)(next(s) % 400000); }
/* Any 64-bit value, the extremes among them: six digits. */
static int64_t any(size_t k, uint64_t *s)
{
    if (k % 97 == 0) return INT64_MIN;
    if (k % 89 == 0) return INT64_MAX;
    return (int64_t)next(s);
}
/* Both signs around zero, many ties. */
static int64_t signs(size_t k, uint64_t *s) { (void)k; return (int64_t)(next(s) % 21) - 10; }
/* Bits far from the bottom: the digits start above bit 0. */
static int64_t high(size_t k, uint64_t *s) { (void)k; return (int64_t)(next(s) % 5000) << 40; }
/* One bit that differs: one digit of one bit. */
static int64_t two(size_t k, uint64_t *s) { (void)k; return next(s) % 2 ? 7 : 5; }
/* All alike: index order. */
static int64_t same(size_t k, uint64_t *s) { (void)k; (void)s; return -42; }
/* Falling with the index: every row moves. */
static int64_t falling(size_t k, uint64_t *s) { (void)s; return 1000000 - (int64_t)k; }

static void priorities_of_every_kind(void **state)
{
    (void)state;
    int64_t (*kinds[])(size_t, uint64_t *) = {cents, any, signs, high, two, same, falling};
    size_t sizes[] = {0, 1, 2, 3, 100, 4096, 100003};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
            sorts_as_qsort(sizes[z], kinds[k], 0x9E3779B97F4A7C15u + k);
}

/* Each pass cut between threads keeps the order: slices of every size,
 * even more threads than rows. */
static void threads_sort_alike(void **state)
{
    (void)state;
    const size_t sizes[] = {2, 3, 7, 4096, 100003};
    const unsigned threads[] = {2, 3, 8};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            size_t n = sizes[z];
            ranked *got = rows_of(n, any, 5 + z), *want = rows_of(n, any, 5 + z);
            priority_bits bits = PRIORITY_BITS_NONE;
            for (size_t i = 0; i < n; i++)
                priority_bits_add(&bits, got[i].priority);
            sort_ranked(got, n, &bits, threads[t]);
            qsort(want, n, sizeof *want, reference);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(got[i].index, want[i].index);
            free(got);
            free(want);
        }
}

/* Halves of JOINED rows whose priorities differ in different bits: low
 * (the last ten), high (ten bits from bit 40), and low above a constant
 * high part. Joined, each pair differs in bits that neither half's own
 * OR or AND alone shows. */
#define JOINED 50000
static int64_t low(uint64_t *s) { return (int64_t)(next(s) % 1000); }
static int64_t high_bits(uint64_t *s) { return low(s) << 40; }
static int64_t low_above(uint64_t *s) { return ((int64_t)1023 << 40) + low(s); }
static int64_t (*first_half)(uint64_t *), (*second_half)(uint64_t *);
static int64_t halves(size_t k, uint64_t *s)
{
    return k < JOINED / 2 ? first_half(s) : second_half(s);
}

/* The plan gathers the bits on each thread and joins them. */
static void joined_bits_sort_alike(void **state)
{
    (void)state;
    int64_t (*pairs[][2])(uint64_t *) = {{high_bits, low_above}, {low_above, low}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        first_half = pairs[k][0];
        second_half = pairs[k][1];
        size_t n = JOINED;
        ranked *got = rows_of(n, halves, 7 + k), *want = rows_of(n, halves, 7 + k);
        priority_bits all = PRIORITY_BITS_NONE, part[2] = {PRIORITY_BITS_NONE,
                                                           PRIORITY_BITS_NONE};
        for (size_t i = 0; i < n; i++)
            priority_bits_add(&part[i < n / 2 ? 0 : 1], got[i].priority);
        priority_bits_join(&all, &part[0]);
        priority_bits_join(&all, &part[1]);
        sort_ranked(got, n, &all, 1);
        qsort(want, n, sizeof *want, reference);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(got[i].index, want[i].index);
        free(got);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(priorities_of_every_kind),
        cmocka_unit_test(joined_bits_sort_alike),
        cmocka_unit_test(threads_sort_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
