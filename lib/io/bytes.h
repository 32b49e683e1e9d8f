/*
 * io/bytes.h -- equality of two short byte strings of the same length, for
 * the io tier's hot paths (the ledger's ids, the reader's dates): a libc
 * memcmp call cost more than the compare itself. Strings of 4 bytes and
 * more are compared a word at a time, the last word overlapping the one
 * before it, so up to 16 bytes take one or two compares.
 *
 * Internal to the io tier, not installed.
 */
#ifndef WB_BYTES_H
#define WB_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int wb__words_differ(const unsigned char *x,
                                   const unsigned char *y, size_t n)
{
    uint64_t u, v;
    for (; n > 8; n -= 8, x += 8, y += 8) {
        memcpy(&u, x, 8);
        memcpy(&v, y, 8);
        if (u != v)
            return 1;
    }
    memcpy(&u, x + n - 8, 8);
    memcpy(&v, y + n - 8, 8);
    return u != v;
}

static inline int wb__bytes_differ(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    uint32_t u, v;
    if (n >= 8)
        return wb__words_differ(x, y, n);
    if (n >= 4) {
        memcpy(&u, x, 4);
        memcpy(&v, y, 4);
        if (u != v)
            return 1;
        memcpy(&u, x + n - 4, 4);
        memcpy(&v, y + n - 4, 4);
        return u != v;
    }
    for (; n > 0; n--)
        if (*x++ != *y++)
            return 1;
    return 0;
}

#endif
