/*
 * arith.c -- exact multiply-then-divide for money and basis points.
 *
 * Money is int64 and rates are basis points, so the everyday operation is
 * a * b / c where the product a * b may not fit 64 bits even though the
 * result does (a price near INT64_MAX times 1500 bp). These helpers keep the
 * product in a quotient/remainder pair so they are exact for every input
 * without a 128-bit type, which 32-bit firmware targets lack. The common
 * case (the product fits 64 bits) is inline in internal.h; these are the
 * general forms it falls back to.
 */
#include "internal.h"

/* Adds (aq, ar) -- meaning aq + ar/c -- to (*q, *r), keeping *r < c. */
static int add_qr(uint64_t *q, uint64_t *r, uint64_t aq, uint64_t ar,
                  uint64_t c)
{
    if (*q > UINT64_MAX - aq)
        return WB_ERANGE;
    *q += aq;
    *r += ar;                 /* both < c <= 2^63: no wrap */
    if (*r >= c) {
        *r -= c;
        if (*q == UINT64_MAX)
            return WB_ERANGE;
        *q += 1;
    }
    return WB_OK;
}

/* Shift-and-add over the bits of b, carrying a/c as quotient + remainder. */
static int muldiv_slow(uint64_t a, uint64_t b, uint64_t c, uint64_t *q,
                       uint64_t *r)
{
    uint64_t aq = a / c, ar = a % c, Q = 0, R = 0;
    for (int bit = 63; bit >= 0; --bit) {
        WB_FORWARD(add_qr(&Q, &R, Q, R, c));           /* double */
        if ((b >> bit) & 1u)
            WB_FORWARD(add_qr(&Q, &R, aq, ar, c));     /* add a/c */
    }
    *q = Q;
    *r = R;
    return WB_OK;
}

int wb__muldiv_wide(int64_t a, int64_t b, int64_t c, int64_t *q, int64_t *r)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b, uc = (uint64_t)c, Q, R;
    if (a < 0 || b < 0 || c <= 0)
        return WB_EINVAL;
    if (ub == 0 || ua <= UINT64_MAX / ub) {  /* fast path: product fits */
        Q = ua * ub / uc;
        R = ua * ub % uc;
    } else {
        WB_FORWARD(muldiv_slow(ua, ub, uc, &Q, &R));
    }
    if (Q > (uint64_t)INT64_MAX)
        return WB_ERANGE;
    *q = (int64_t)Q;
    *r = (int64_t)R;
    return WB_OK;
}

int wb__muldiv_round_wide(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    int64_t q, r;
    int negative = a < 0;
    /* |INT64_MIN| does not fit int64; its magnitude is handled as -(a+1)+1. */
    int64_t mag = negative ? -(a + 1) : a;
    if (b < 0 || c <= 0)
        return WB_EINVAL;
    WB_FORWARD(wb__muldiv(mag, b, c, &q, &r));
    if (negative) {                  /* add back the 1 taken off: + b/c */
        uint64_t sum = (uint64_t)r + (uint64_t)(b % c); /* < 2c < 2^64 */
        WB_FORWARD(wb__add(q, b / c, &q));
        if (sum >= (uint64_t)c) {
            sum -= (uint64_t)c;
            WB_FORWARD(wb__add(q, 1, &q));
        }
        r = (int64_t)sum;
    }
    if (r >= c - r)                  /* remainder at least half of c */
        WB_FORWARD(wb__add(q, 1, &q));
    *out = negative ? -q : q;
    return WB_OK;
}
