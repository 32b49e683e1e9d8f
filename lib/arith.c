/*
 * arith.c -- exact multiply-then-divide for money and basis points.
 *
 * Money is int64 and rates are basis points, so the everyday operation is
 * a * b / c where the product a * b may not fit 64 bits even though the
 * result does (a price near INT64_MAX times 1500 bp). wb__muldiv_exact is
 * exact for every input without a 128-bit type, which 32-bit firmware
 * targets lack, and without a library division routine: it forms the
 * product and divides it one bit at a time. That takes two loops of 64
 * steps, so hosts use the inline fast path of internal.h whenever the
 * product fits 64 bits and come here only for the rest; size-first builds
 * come here always. It is one leaf function, so that firmware has one copy
 * of it and the deepest call chains end in one small stack frame.
 */
#include "internal.h"

int wb__muldiv_exact(int64_t a, int64_t b, int64_t c, int64_t *q, int64_t *r)
{
    int negative = a < 0;           /* only when rounding (r == NULL) */
    /* |a| fits uint64 even for INT64_MIN. */
    uint64_t ua = negative ? 0 - (uint64_t)a : (uint64_t)a;
    uint64_t ub = (uint64_t)b, uc = (uint64_t)c, hi = 0, lo = 0;
    /* The 128-bit product hi:lo, by shift-and-add over the bits of b. */
    for (int i = 0; i < 64; i++, ub <<= 1) {
        hi = hi << 1 | lo >> 63;
        lo <<= 1;
        if (ub >> 63) {
            lo += ua;
            hi += lo < ua;                    /* the carry */
        }
    }
    WB_RETURN_IF(hi >= uc, WB_ERANGE);        /* quotient >= 2^64 */
    /* Restoring division: shift hi:lo left, the remainder in hi, the
     * quotient bits filling lo from the right as the product's leave it.
     * hi < c <= INT64_MAX, so 2 * hi + 1 never carries out of 64 bits. */
    for (int i = 0; i < 64; i++) {
        hi = hi << 1 | lo >> 63;
        lo <<= 1;
        if (hi >= uc) {
            hi -= uc;
            lo |= 1;
        }
    }
    /* Quotient lo, remainder hi. A negative rounded result may reach 2^63
     * in magnitude: INT64_MIN. */
    uint64_t limit = (uint64_t)INT64_MAX + (uint64_t)negative;
    WB_RETURN_IF(lo > limit, WB_ERANGE);
    if (r != NULL) {
        *q = (int64_t)lo;
        *r = (int64_t)hi;                     /* hi < c: fits */
        return WB_OK;
    }
    lo += hi >= uc - hi;                      /* at least half: away from 0 */
    WB_RETURN_IF(lo > limit, WB_ERANGE);
    if (!negative)
        *q = (int64_t)lo;
    else        /* -lo; for lo = 2^63 that is INT64_MIN, which -lo cannot reach */
        *q = lo > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)lo;
    return WB_OK;
}
