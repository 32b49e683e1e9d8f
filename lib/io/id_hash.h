/*
 * io/id_hash.h -- the hash of a customer id, for the ledger's tables.
 *
 * uthash's default (Bob Jenkins' hash) takes the key a byte at a time in
 * its tail and spent about 90 instructions on a 9-byte id, a fifth of an
 * add. This one reads the id 8 bytes at a time -- the last word
 * overlapping the one before, so short ids need one or two reads -- and
 * ends with SplitMix64's finaliser, so that the low bits (the bucket) and
 * the high bits (the part) are both well mixed. Words are read little-
 * endian whatever the machine, so an id has the same hash and the same
 * part everywhere. It is not keyed: like the default, it makes no claim
 * against ids chosen to collide.
 *
 * Internal to the io tier, not installed.
 */
#ifndef WB_ID_HASH_H
#define WB_ID_HASH_H

#include <stddef.h>
#include <stdint.h>

#define WB_HASH_MUL 0x9E3779B97F4A7C15u   /* 2^64 / golden ratio, odd */

static inline uint64_t wb__le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t wb__le32(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24;
}

/* Every byte of an id shorter than 8, in one word; distinct ids of one
 * length give distinct words. */
static inline uint64_t wb__short_word(const unsigned char *p, size_t len)
{
    if (len >= 4)
        return wb__le32(p) << 32 | wb__le32(p + len - 4);
    return (uint64_t)p[0] << 16 | (uint64_t)p[len >> 1] << 8 | p[len - 1];
}

static inline unsigned wb__hash_id(const void *key, size_t len)
{
    const unsigned char *p = key;
    /* The length enters as a multiple of the constant, not xor-ed in raw:
     * a small length and a short id's word would cancel ("ab", "abc"). */
    uint64_t h = (uint64_t)(len + 1) * WB_HASH_MUL;
    if (len < 8) {
        h = (h ^ (len > 0 ? wb__short_word(p, len) : 0)) * WB_HASH_MUL;
    } else {
        for (; len > 8; len -= 8, p += 8) {
            h = (h ^ wb__le64(p)) * WB_HASH_MUL;
            h ^= h >> 29;
        }
        h = (h ^ wb__le64(p + len - 8)) * WB_HASH_MUL;  /* overlaps the last */
    }
    h ^= h >> 30;                      /* SplitMix64's finaliser */
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBu;
    h ^= h >> 31;
    return (unsigned)h;
}

#endif
