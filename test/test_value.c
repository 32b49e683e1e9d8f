/* test_value.c -- R3 CLV, R4 the 150 % gate, R5 ROMI. */
#include <math.h>

#include "wb_test.h"
#include "core/internal.h"   /* the exact mul-div, tested directly */

static void seed_003_clv_examples(void **state)
{
    int64_t clv = 0, base = 0;
    (void)state;
    /* 500 a book x 10 books a year x 5 years = 25 000. */
    assert_int_equal(wb_clv_simple(500, 10, 5, &clv), WB_OK);
    assert_int_equal(clv, 25000);
    assert_int_equal(wb_clv_centi(500, 1000, 5, &clv), WB_OK);
    assert_int_equal(clv, 25000);
    /* 100 lost customers x 25 000 = 2 500 000. */
    assert_int_equal(wb_clv_lost_base(100, 25000, &base), WB_OK);
    assert_int_equal(base, 2500000);
}

static void seed_002_value_to_date(void **state)
{
    /* 2 orders of 2 500 = 5 000 over the customer's time with us. */
    const int64_t orders[] = {2500, 2500};
    int64_t total = -1;
    (void)state;
    assert_int_equal(wb_value_to_date(orders, 2, &total), WB_OK);
    assert_int_equal(total, 5000);
    assert_int_equal(wb_value_to_date(NULL, 0, &total), WB_OK);
    assert_int_equal(total, 0);
    assert_int_equal(wb_value_to_date(NULL, 1, &total), WB_EMISUSE);
    const int64_t negative[] = {100, -1};
    assert_int_equal(wb_value_to_date(negative, 2, &total), WB_EINVAL);
    const int64_t huge[] = {INT64_MAX, 1};
    assert_int_equal(wb_value_to_date(huge, 2, &total), WB_ERANGE);
    assert_int_equal(wb_value_to_date(huge, 1, &total), WB_OK);
    assert_int_equal(total, INT64_MAX);
}

static void clv_fractional_rate_and_margin(void **state)
{
    int64_t clv;
    (void)state;
    /* 2.35 purchases a year of 33.33 for 2 years = 156.651 -> 156.65. */
    assert_int_equal(wb_clv_centi(3333, 235, 2, &clv), WB_OK);
    assert_int_equal(clv, 15665);
    /* 0.5 rounds half up: 1 x 0.5 x 1 = 0.5 -> 1. */
    assert_int_equal(wb_clv_centi(1, 50, 1, &clv), WB_OK);
    assert_int_equal(clv, 1);
    /* On a 30 % margin: 25 000 -> 7 500; rounding half away from zero. */
    assert_int_equal(wb_apply_margin(25000, 3000, &clv), WB_OK);
    assert_int_equal(clv, 7500);
    assert_int_equal(wb_apply_margin(5, 1000, &clv), WB_OK);     /* 0.5 */
    assert_int_equal(clv, 1);
    assert_int_equal(wb_apply_margin(5, -1000, &clv), WB_OK);
    assert_int_equal(clv, -1);
    assert_int_equal(wb_apply_margin(-5, 1000, &clv), WB_OK);
    assert_int_equal(clv, -1);
    assert_int_equal(wb_apply_margin(INT64_MAX, 10000, &clv), WB_OK);
    assert_int_equal(clv, INT64_MAX);
    /* INT64_MIN itself is a result; its negation is not. */
    assert_int_equal(wb_apply_margin(INT64_MIN, 10000, &clv), WB_OK);
    assert_true(clv == INT64_MIN);
    assert_int_equal(wb_apply_margin(INT64_MIN, -10000, &clv), WB_ERANGE);
    assert_int_equal(wb_apply_margin(INT64_MIN, -9999, &clv), WB_OK);
    assert_true(clv == INT64_C(9222449699651090330));   /* 2^63 * 0.9999, .4192 */
    assert_int_equal(wb_apply_margin(INT64_MIN + 1, 10000, &clv), WB_OK);
    assert_int_equal(clv, INT64_MIN + 1);
    assert_int_equal(wb_apply_margin(100, 10001, &clv), WB_EINVAL);   /* > 100 % */
    assert_int_equal(wb_apply_margin(100, -10001, &clv), WB_EINVAL);
    assert_int_equal(wb_apply_margin(100, 100, NULL), WB_EMISUSE);
}

static void clv_errors_and_int64_limits(void **state)
{
    int64_t clv = 42;
    (void)state;
    assert_int_equal(wb_clv_simple(-1, 10, 5, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_simple(500, -1, 5, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_simple(500, 10, -1, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_simple(500, 10, 5, NULL), WB_EMISUSE);
    assert_int_equal(wb_clv_centi(500, 10, 5, NULL), WB_EMISUSE);
    assert_int_equal(wb_clv_centi(500, -10, 5, &clv), WB_EINVAL);
    assert_int_equal(clv, 42);
    assert_int_equal(wb_clv_simple(INT64_MAX, 1, 1, &clv), WB_OK);
    assert_int_equal(clv, INT64_MAX);
    assert_int_equal(wb_clv_simple(INT64_MAX, 2, 1, &clv), WB_ERANGE);
    assert_int_equal(wb_clv_simple(INT64_MAX / 4 + 1, 2, 2, &clv), WB_ERANGE);
    assert_int_equal(wb_clv_simple(INT64_MAX / 4, 2, 2, &clv), WB_OK);
    assert_int_equal(clv, INT64_MAX / 4 * 4);
    assert_int_equal(wb_clv_simple(1, INT32_MAX, INT32_MAX, &clv), WB_OK);
    assert_int_equal(clv, (int64_t)INT32_MAX * INT32_MAX);
    assert_int_equal(wb_clv_simple(3, INT32_MAX, INT32_MAX, &clv), WB_ERANGE);
    assert_int_equal(wb_clv_centi(INT64_MAX, 100, 1, &clv), WB_OK);
    assert_int_equal(clv, INT64_MAX);
    assert_int_equal(wb_clv_centi(INT64_MAX, 101, 1, &clv), WB_ERANGE);
    assert_int_equal(wb_clv_simple(0, INT32_MAX, INT32_MAX, &clv), WB_OK);
    assert_int_equal(clv, 0);
    assert_int_equal(wb_clv_lost_base(INT64_MAX, 2, &clv), WB_ERANGE);
    assert_int_equal(wb_clv_lost_base(-1, 2, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_lost_base(1, -2, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_lost_base(1, 2, NULL), WB_EMISUSE);
}

static void seed_002_not_worth_it(void **state)
{
    int32_t worth = -1;
    (void)state;
    /* Worth 5 000 to date, but the future profit is at most 1 500 against a
     * cost of 2 000: 1 500 < 150 % x 2 000 = 3 000, so not worth it. */
    assert_int_equal(wb_winback_worth(1500, 2000, 15000, &worth), WB_OK);
    assert_int_equal(worth, 0);
    /* Judging by value to date would wrongly say yes. */
    assert_int_equal(wb_winback_worth(5000, 2000, 15000, &worth), WB_OK);
    assert_int_equal(worth, 1);
    /* Exactly 150 % is enough; one unit less is not. */
    assert_int_equal(wb_winback_worth(3000, 2000, 15000, &worth), WB_OK);
    assert_int_equal(worth, 1);
    assert_int_equal(wb_winback_worth(2999, 2000, 15000, &worth), WB_OK);
    assert_int_equal(worth, 0);
    /* A fractional bar: 150 % of 3 = 4.5; 4 fails, 5 passes. */
    assert_int_equal(wb_winback_worth(4, 3, 15000, &worth), WB_OK);
    assert_int_equal(worth, 0);
    assert_int_equal(wb_winback_worth(5, 3, 15000, &worth), WB_OK);
    assert_int_equal(worth, 1);
    /* Free win-backs are always worth it unless CLV is negative. */
    assert_int_equal(wb_winback_worth(0, 0, 15000, &worth), WB_OK);
    assert_int_equal(worth, 1);
    assert_int_equal(wb_winback_worth(-1, 0, 15000, &worth), WB_OK);
    assert_int_equal(worth, 0);
}

static void worth_at_int64_limits(void **state)
{
    int32_t worth;
    (void)state;
    /* cost * ratio far beyond 64 bits: compared exactly, not wrapped. */
    assert_int_equal(wb_winback_worth(INT64_MAX, INT64_MAX, 15000, &worth), WB_OK);
    assert_int_equal(worth, 0);
    assert_int_equal(wb_winback_worth(INT64_MAX, INT64_MAX, 10000, &worth), WB_OK);
    assert_int_equal(worth, 1);
    assert_int_equal(wb_winback_worth(INT64_MAX - 1, INT64_MAX, 10000, &worth), WB_OK);
    assert_int_equal(worth, 0);
    /* 2/3 of INT64_MAX is the bar at 15000 bp: just below and at it. */
    int64_t cost = INT64_MAX / 3 * 2; /* bar = cost * 1.5 = INT64_MAX - 1 */
    assert_int_equal(wb_winback_worth(INT64_MAX - 1, cost, 15000, &worth), WB_OK);
    assert_int_equal(worth, 1);
    assert_int_equal(wb_winback_worth(INT64_MAX - 2, cost, 15000, &worth), WB_OK);
    assert_int_equal(worth, 0);
    assert_int_equal(wb_winback_worth(1, -1, 15000, &worth), WB_EINVAL);
    assert_int_equal(wb_winback_worth(1, 1, -1, &worth), WB_EINVAL);
    assert_int_equal(wb_winback_worth(1, 1, 15000, NULL), WB_EMISUSE);
}

static void seed_003_romi(void **state)
{
    int64_t romi = 0;
    double r = 0;
    (void)state;
    /* $285 of trigger e-mails brought back $8 325: (8325-285)/285 =
     * 28.2105... = 282105 bp. */
    assert_int_equal(wb_romi_bp(832500, 28500, 10000, &romi), WB_OK);
    assert_int_equal(romi, 282105);
    /* $285 -> $3 840: 3555/285 = 12.47368... = 124737 bp (half up). */
    assert_int_equal(wb_romi_bp(384000, 28500, 10000, &romi), WB_OK);
    assert_int_equal(romi, 124737);
    assert_int_equal(wb_romi_ratio(832500, 28500, 10000, &r), WB_OK);
    assert_true(fabs(r - 8040.0 / 285.0) < 1e-12);
    /* "Good trigger e-mails earn 4x what they cost": ROMI 300 %. */
    assert_int_equal(wb_romi_bp(400, 100, 10000, &romi), WB_OK);
    assert_int_equal(romi, 30000);
    /* On a 25 % gross margin, $8 325 is $2 081.25 of profit. */
    assert_int_equal(wb_romi_bp(832500, 28500, 2500, &romi), WB_OK);
    assert_int_equal(romi, 63026);      /* (2081.25-285)/285 = 6.30263 */
}

static void romi_signs_and_rounding(void **state)
{
    int64_t romi;
    (void)state;
    assert_int_equal(wb_romi_bp(0, 100, 10000, &romi), WB_OK);
    assert_int_equal(romi, -10000);     /* lost everything */
    assert_int_equal(wb_romi_bp(100, 100, 10000, &romi), WB_OK);
    assert_int_equal(romi, 0);
    /* -1/3 = -3333.33 bp -> -3333; -2/3 = -6666.67 -> -6667. */
    assert_int_equal(wb_romi_bp(2, 3, 10000, &romi), WB_OK);
    assert_int_equal(romi, -3333);
    assert_int_equal(wb_romi_bp(1, 3, 10000, &romi), WB_OK);
    assert_int_equal(romi, -6667);
    /* Exactly half a basis point, both signs: away from zero. */
    assert_int_equal(wb_romi_bp(20001, 20000, 10000, &romi), WB_OK);
    assert_int_equal(romi, 1);          /* +0.5 bp */
    assert_int_equal(wb_romi_bp(19999, 20000, 10000, &romi), WB_OK);
    assert_int_equal(romi, -1);         /* -0.5 bp */
    assert_int_equal(wb_romi_bp(100, 0, 10000, &romi), WB_EZERO);
    assert_int_equal(wb_romi_bp(-1, 10, 10000, &romi), WB_EINVAL);
    assert_int_equal(wb_romi_bp(1, -10, 10000, &romi), WB_EINVAL);
    assert_int_equal(wb_romi_bp(1, 10, 10001, &romi), WB_EINVAL);
    assert_int_equal(wb_romi_bp(1, 10, -1, &romi), WB_EINVAL);
    assert_int_equal(wb_romi_bp(1, 10, 10000, NULL), WB_EMISUSE);
    double r;
    assert_int_equal(wb_romi_ratio(1, 0, 10000, &r), WB_EZERO);
    assert_int_equal(wb_romi_ratio(1, 1, 10000, NULL), WB_EMISUSE);
    assert_int_equal(wb_romi_ratio(-1, 1, 10000, &r), WB_EINVAL);
}

static void romi_at_int64_limits(void **state)
{
    int64_t romi;
    (void)state;
    assert_int_equal(wb_romi_bp(INT64_MAX, INT64_MAX, 10000, &romi), WB_OK);
    assert_int_equal(romi, 0);
    assert_int_equal(wb_romi_bp(0, INT64_MAX, 10000, &romi), WB_OK);
    assert_int_equal(romi, -10000);
    /* INT64_MAX / 1 * 10000 bp does not fit: reported, not wrapped. */
    assert_int_equal(wb_romi_bp(INT64_MAX, 1, 10000, &romi), WB_ERANGE);
    /* income * 10000 / spend = INT64_MAX exactly: the largest ROMI. */
    assert_int_equal(wb_romi_bp(INT64_MAX, 10000, 10000, &romi), WB_OK);
    assert_int_equal(romi, INT64_MAX - 10000);
    /* INT64_MAX / 3 leaves a third of a basis point: rounds down. */
    assert_int_equal(wb_romi_bp(INT64_MAX, 30000, 10000, &romi), WB_OK);
    assert_int_equal(romi, INT64_MAX / 3 - 10000);
    assert_int_equal(wb_romi_bp(INT64_MAX, INT64_MAX / 2, 10000, &romi), WB_OK);
    assert_int_equal(romi, 10000);      /* 2.0000000...2 - 1 */
}

/* 128-bit reference arithmetic built from 32-bit halves. It only
 * multiplies, adds and compares -- the library divides bit by bit -- so it
 * checks the library independently, and it runs on every target, 32-bit
 * ARM included, where there is no __int128. */
typedef struct u128 { uint64_t hi, lo; } u128;

static u128 mul64(uint64_t a, uint64_t b)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    u128 r = {p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32),
              (mid << 32) | (uint32_t)p00};
    return r;
}

static u128 add128(u128 a, u128 b)
{
    u128 r = {a.hi + b.hi, a.lo + b.lo};
    r.hi += r.lo < a.lo;
    return r;
}

static u128 sub128(u128 a, u128 b)          /* a >= b */
{
    u128 r = {a.hi - b.hi - (a.lo < b.lo), a.lo - b.lo};
    return r;
}

static int cmp128(u128 a, u128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static u128 twice(u128 a)
{
    u128 r = {a.hi << 1 | a.lo >> 63, a.lo << 1};
    return r;
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

/* (rc, out) must be N / c rounded half away from zero, N = (neg ? -1 : 1) *
 * mag, or WB_ERANGE exactly when that does not fit int64. With O = |result|:
 * O = floor((2 mag + c) / 2c), i.e. 2 O c <= 2 mag + c < 2 (O + 1) c. */
static void check_rounded(int neg, u128 mag, uint64_t c, int rc, int64_t out)
{
    u128 twice_mag_c = add128(twice(mag), mul64(c, 1));
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (rc == WB_ERANGE) {      /* O >= limit + 1 */
        assert_true(cmp128(twice_mag_c, twice(mul64(limit + 1, c))) >= 0);
        return;
    }
    assert_int_equal(rc, WB_OK);
    uint64_t o = magnitude(out);
    assert_true(out == 0 || (out < 0) == neg);
    assert_true(cmp128(twice(mul64(o, c)), twice_mag_c) <= 0);
    assert_true(cmp128(twice_mag_c, twice(mul64(o + 1, c))) < 0);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void)
{
    return xorshift64(&rng);
}
/* A spread of magnitudes: shift off a random number of bits. */
static int64_t next_i64(void)
{
    uint64_t x = next_u64();
    return (int64_t)((x >> 1) >> (x % 63));
}
/* Either sign, INT64_MIN and INT64_MAX included now and then. */
static int64_t next_signed(void)
{
    uint64_t pick = next_u64() % 64;
    if (pick == 0)
        return INT64_MIN;
    if (pick == 1)
        return INT64_MAX;
    int64_t v = next_i64();
    return pick % 2 ? -v : v;
}

/* CLV, margin, the gate and ROMI on many inputs, against the reference:
 * each returns the exact value or WB_ERANGE, never a wrong number. */
static void exact_or_overflow_against_reference(void **state)
{
    (void)state;
    for (int i = 0; i < 200000; i++) {
        int64_t a = next_i64(), b = next_i64() % 1000000 + 1, s = next_signed();
        int32_t m = (int32_t)(next_i64() % 10001), y = (int32_t)(next_i64() % 100);
        int32_t f = (int32_t)(next_i64() % 100000);
        int64_t out = 0;
        int32_t w;

        u128 product = mul64((uint64_t)a, (uint64_t)f * (uint64_t)y);
        int rc = wb_clv_simple(a, f, y, &out);
        if (product.hi != 0 || product.lo > INT64_MAX) assert_int_equal(rc, WB_ERANGE);
        else { assert_int_equal(rc, WB_OK); assert_true((uint64_t)out == product.lo); }

        rc = wb_clv_centi(a, f, y, &out);
        check_rounded(0, product, 100, rc, out);

        int32_t sm = i % 2 ? m : -m;
        rc = wb_apply_margin(s, sm, &out);
        check_rounded((s < 0) != (sm < 0),
                      mul64(magnitude(s), magnitude(sm)), 10000, rc, out);

        assert_int_equal(wb_winback_worth(s, b, m * 3, &w), WB_OK);
        assert_int_equal(w, s >= 0 && cmp128(mul64((uint64_t)s, 10000),
                                             mul64((uint64_t)b, (uint64_t)m * 3)) >= 0);

        int64_t spend = (i % 2) ? b : next_i64() + 1;
        u128 gain = mul64((uint64_t)a, (uint64_t)m), cost = mul64((uint64_t)spend, 10000);
        int loss = cmp128(gain, cost) < 0;
        rc = wb_romi_bp(a, spend, m, &out);
        check_rounded(loss, loss ? sub128(cost, gain) : sub128(gain, cost),
                      (uint64_t)spend, rc, out);
    }
}

/* The bit-by-bit mul-div itself, on the whole int64 range of every
 * argument: q * c + r == a * b with 0 <= r < c, or WB_ERANGE exactly when
 * the quotient does not fit. The public functions reach it only when the
 * product overflows 64 bits (hosts) -- firmware builds use it for all. */
static void exact_muldiv_against_reference(void **state)
{
    (void)state;
    for (int i = 0; i < 200000; i++) {
        int64_t a = i % 5 ? next_i64() : INT64_MAX - (int64_t)(next_u64() % 3);
        int64_t b = next_i64(), c = next_i64() | 1, q = -1, r = -1, rounded = 0;
        u128 ab = mul64((uint64_t)a, (uint64_t)b);
        int rc = wb__muldiv_exact(a, b, c, &q, &r);
        if (rc == WB_ERANGE) {      /* a * b >= 2^63 * c */
            assert_true(cmp128(ab, mul64((uint64_t)INT64_MAX + 1, (uint64_t)c)) >= 0);
        } else {
            assert_int_equal(rc, WB_OK);
            assert_true(q >= 0 && r >= 0 && r < c);
            assert_true(cmp128(add128(mul64((uint64_t)q, (uint64_t)c),
                                      mul64((uint64_t)r, 1)), ab) == 0);
        }
        int64_t sa = i % 2 ? -a : a;
        if (i % 7 == 0)
            sa = INT64_MIN;
        rc = wb__muldiv_round_exact(sa, b, c, &rounded);
        check_rounded(sa < 0, mul64(magnitude(sa), (uint64_t)b), (uint64_t)c, rc, rounded);
    }
    /* Boundaries: results of exactly INT64_MAX and INT64_MIN, one past. */
    int64_t q, r, v;
    assert_int_equal(wb__muldiv_exact(INT64_MAX, INT64_MAX, INT64_MAX, &q, &r), WB_OK);
    assert_true(q == INT64_MAX && r == 0);
    assert_int_equal(wb__muldiv_exact(INT64_MAX, 2, 1, &q, &r), WB_ERANGE);
    assert_int_equal(wb__muldiv_exact(INT64_MAX, INT64_MAX, 1, &q, &r), WB_ERANGE);
    assert_int_equal(wb__muldiv_exact(0, INT64_MAX, 7, &q, &r), WB_OK);
    assert_true(q == 0 && r == 0);
    assert_int_equal(wb__muldiv_round_exact(INT64_MIN, 1, 1, &v), WB_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(wb__muldiv_round_exact(INT64_MIN, 3, 3, &v), WB_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(wb__muldiv_round_exact(INT64_MIN, 2, 1, &v), WB_ERANGE);
    assert_int_equal(wb__muldiv_round_exact(INT64_MAX, 1, 1, &v), WB_OK);
    assert_true(v == INT64_MAX);
    /* (2^64 - 1) / 2 = 2^63 - 0.5 rounds away from zero to 2^63: out of
     * range when positive, INT64_MIN when negative. */
    const int64_t third = INT64_C(6148914691236517205);     /* (2^64-1)/3 */
    assert_int_equal(wb__muldiv_round_exact(third, 3, 2, &v), WB_ERANGE);
    assert_int_equal(wb__muldiv_round_exact(-third, 3, 2, &v), WB_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(wb__muldiv_round_exact(third - 1, 3, 2, &v), WB_OK);
    assert_true(v == INT64_MAX - 1);                  /* (2^64 - 4) / 2 */
    assert_int_equal(wb__muldiv_round_exact(-INT64_MAX, 2, 2, &v), WB_OK);
    assert_true(v == -INT64_MAX);
}

/* Products beyond 64 bits, negative values and quotients that overflow:
 * the general mul-div paths, checked against hand-computed values. */
static void wide_arithmetic_paths(void **state)
{
    int64_t v;
    (void)state;
    /* Quotient beyond uint64: INT64_MAX * (2^31-1)^2 / 100. */
    assert_int_equal(wb_clv_centi(INT64_MAX, INT32_MAX, INT32_MAX, &v), WB_ERANGE);
    /* Negative and wide: -(2^63-1) * 9999 / 10000 = -9222449699651090329.4193 */
    assert_int_equal(wb_apply_margin(INT64_MIN + 1, 9999, &v), WB_OK);
    assert_true(v == INT64_C(-9222449699651090329));
    /* ... with a remainder of exactly one half: -(2^63-1) * 5000 / 10000. */
    assert_int_equal(wb_apply_margin(INT64_MIN + 1, 5000, &v), WB_OK);
    assert_true(v == INT64_C(-4611686018427387904));
    assert_int_equal(wb_apply_margin(INT64_MIN + 1, -5000, &v), WB_OK);
    assert_true(v == INT64_C(4611686018427387904));
    /* Small negatives take the wide path too (the fast one is for a >= 0). */
    assert_int_equal(wb_apply_margin(-15, 5000, &v), WB_OK);
    assert_int_equal(v, -8);                 /* -7.5 away from zero */
    assert_int_equal(wb_apply_margin(-14, 5000, &v), WB_OK);
    assert_int_equal(v, -7);
    /* Products within half a divisor of 2^64: the fast path adds c/2 to
     * round, which would wrap; the wide path takes them. 2^64 - 1 / 100: */
    assert_int_equal(wb_clv_centi(INT64_C(6148914691236517205), 3, 1, &v), WB_OK);
    assert_true(v == INT64_C(184467440737095516));            /* .15: down */
    /* 2^64 - 1616 over 10000, exact; and 5000 below it, a half: up. */
    assert_int_equal(wb_apply_margin(INT64_C(3689348814741910), 5000, &v), WB_OK);
    assert_true(v == INT64_C(1844674407370955));
    assert_int_equal(wb_apply_margin(INT64_C(3689348814741909), 5000, &v), WB_OK);
    assert_true(v == INT64_C(1844674407370955));
}

static void discounted_clv_extra(void **state)
{
    double clv = 0;
    (void)state;
    /* One period: just the margin. */
    assert_int_equal(wb_clv_discounted(100.0, 0.8, 0.1, 1, &clv), WB_OK);
    assert_true(fabs(clv - 100.0) < 1e-12);
    /* Three periods: 100 (1 + 0.8/1.1 + (0.8/1.1)^2). */
    double k = 0.8 / 1.1;
    assert_int_equal(wb_clv_discounted(100.0, 0.8, 0.1, 3, &clv), WB_OK);
    assert_true(fabs(clv - 100.0 * (1 + k + k * k)) < 1e-9);
    /* Infinite horizon m (1 + d) / (1 + d - r) = 100 * 1.1 / 0.3. */
    assert_int_equal(wb_clv_discounted(100.0, 0.8, 0.1, 0, &clv), WB_OK);
    assert_true(fabs(clv - 110.0 / 0.3) < 1e-9);
    /* A long horizon converges to the infinite one. */
    assert_int_equal(wb_clv_discounted(100.0, 0.8, 0.1, 100000, &clv), WB_OK);
    assert_true(fabs(clv - 110.0 / 0.3) < 1e-9);
    assert_int_equal(wb_clv_discounted(100.0, 1.0, 0.1, 3, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_discounted(100.0, -0.1, 0.1, 3, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_discounted(100.0, 0.5, -0.1, 3, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_discounted(100.0, NAN, 0.1, 3, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_discounted(INFINITY, 0.5, 0.1, 3, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_discounted(100.0, 0.5, 0.1, -1, &clv), WB_EINVAL);
    assert_int_equal(wb_clv_discounted(100.0, 0.5, 0.1, 1, NULL), WB_EMISUSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_003_clv_examples),
        cmocka_unit_test(seed_002_value_to_date),
        cmocka_unit_test(clv_fractional_rate_and_margin),
        cmocka_unit_test(clv_errors_and_int64_limits),
        cmocka_unit_test(seed_002_not_worth_it),
        cmocka_unit_test(worth_at_int64_limits),
        cmocka_unit_test(seed_003_romi),
        cmocka_unit_test(romi_signs_and_rounding),
        cmocka_unit_test(romi_at_int64_limits),
        cmocka_unit_test(exact_or_overflow_against_reference),
        cmocka_unit_test(exact_muldiv_against_reference),
        cmocka_unit_test(wide_arithmetic_paths),
        cmocka_unit_test(discounted_clv_extra),
    };
    return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
