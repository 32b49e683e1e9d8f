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
 * of it, and it works on 32-bit words: on Cortex-M0+ that halves its stack
 * frame against the same loops on uint64_t, which the compiler spills.
 */
#include "core/internal.h"

int wb__muldiv_exact(int64_t a, int64_t b, int64_t c, int64_t *q, int64_t *r)
{
    int negative = a < 0;           /* only when rounding (r == NULL) */
    uint64_t ua = negative ? 0 - (uint64_t)a : (uint64_t)a;   /* |INT64_MIN| fits */
    uint32_t a1 = (uint32_t)(ua >> 32), a0 = (uint32_t)ua;
    /* The 128-bit product h1:h0:l1:l0, by shift-and-add from the low bit
     * of b: b starts in l1:l0 and leaves from the right as the product
     * enters from the left. The high half h stays below 2^63 before each
     * addition and a <= 2^63, so h + a never carries out of 64 bits. */
    uint32_t h1 = 0, h0 = 0, l1 = (uint32_t)((uint64_t)b >> 32), l0 = (uint32_t)b;
    for (int i = 0; i < 64; i++) {
        if (l0 & 1) {                         /* h += a */
            h0 += a0;
            h1 += a1 + (h0 < a0);
        }
        l0 = l0 >> 1 | l1 << 31;
        l1 = l1 >> 1 | h0 << 31;
        h0 = h0 >> 1 | h1 << 31;
        h1 >>= 1;
    }
    /* c is read only now, to keep registers free for the loop above. */
    uint32_t c1 = (uint32_t)((uint64_t)c >> 32), c0 = (uint32_t)c;
    if (r == NULL) {
        /* Rounding half away from zero of |a| b / c is the floor of
         * (|a| b + floor(c / 2)) / c, for odd and even c alike. The high
         * half is below 2^63 here, so the sum cannot overflow. */
        uint32_t half0 = c0 >> 1 | c1 << 31, half1 = c1 >> 1;
        l0 += half0;
        uint32_t carry = l0 < half0;
        l1 += carry;
        carry = l1 < carry;
        l1 += half1;
        carry += l1 < half1;
        h0 += carry;
        h1 += h0 < carry;
    }
    /* A quotient of 2^64 or more: the high half is at least c. */
    WB_RETURN_IF(h1 > c1 || (h1 == c1 && h0 >= c0), WB_ERANGE);
    /* Restoring division: shift the product left, the remainder in h1:h0,
     * the quotient bits filling l1:l0 from the right. The remainder stays
     * below c <= INT64_MAX, so doubling it never carries out of h1. */
    for (int i = 0; i < 64; i++) {
        h1 = h1 << 1 | h0 >> 31;
        h0 = h0 << 1 | l1 >> 31;
        l1 = l1 << 1 | l0 >> 31;
        l0 <<= 1;
        if (h1 > c1 || (h1 == c1 && h0 >= c0)) {
            h1 -= c1 + (h0 < c0);
            h0 -= c0;
            l0 |= 1;
        }
    }
    /* The quotient l1:l0 must fit int64; a negative one may reach 2^63 in
     * magnitude, INT64_MIN. */
    WB_RETURN_IF(l1 >> 31 && !(negative && l1 == 0x80000000u && l0 == 0),
                 WB_ERANGE);
    uint64_t quot = (uint64_t)l1 << 32 | l0;
    /* -quot computed as -(quot - 1) - 1, which reaches INT64_MIN. */
    *q = negative && quot != 0 ? -(int64_t)(quot - 1) - 1 : (int64_t)quot;
    if (r != NULL)
        *r = (int64_t)((uint64_t)h1 << 32 | h0);      /* < c: fits */
    return WB_OK;
}
