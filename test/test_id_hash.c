/* test_id_hash.c -- the ledger's id hash and id compare (io/id_hash.h,
 * io/ledger_internal.h): the same values on every machine, every byte
 * counted, ids spread over buckets and parts. */
#include <stdio.h>
#include <stdlib.h>

#include "wb_test.h"
#include "io/ledger_internal.h"

/* Values computed once on x86-64; a big-endian or 32-bit build must give
 * the same (the hash reads words little-endian), so that an id is in the
 * same part everywhere. */
static void same_values_everywhere(void **state)
{
    static const struct {
        const char *id;
        unsigned hash;
    } known[] = {
        {"a", 0x6792D511u},
        {"ab", 0x83B5B94Au},
        {"abc", 0xF27730E5u},
        {"abcd", 0xC872FEADu},
        {"12345", 0xE8117D34u},
        {"C0000001", 0x197CF944u},
        {"C00000001", 0xC8A6971Fu},
        {"0123456789abcdef", 0xFD4E7DC0u},
        {"0123456789abcdefg", 0x75F808D9u},
    };
    char longest[WB_ID_MAX];
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_int_equal(wb__hash_id(known[i].id, strlen(known[i].id)), known[i].hash);
    for (int i = 0; i < WB_ID_MAX; i++)
        longest[i] = (char)('A' + i % 26);
    assert_int_equal(wb__hash_id(longest, WB_ID_MAX), 0xDF5547D9u);
}

/* Changing any one byte of an id of any length changes its hash, and an
 * id's hash differs from its prefixes' ("ab" and "abc" once collided). */
static void every_byte_counts(void **state)
{
    char id[WB_ID_MAX];
    (void)state;
    for (size_t len = 1; len <= WB_ID_MAX; len++) {
        for (size_t i = 0; i < len; i++)
            id[i] = (char)('0' + (i * 7) % 10);
        unsigned base = wb__hash_id(id, len);
        for (size_t i = 0; i < len; i++) {
            id[i] ^= 0x01;
            assert_true(wb__hash_id(id, len) != base);
            id[i] ^= 0x01;
        }
        if (len > 1)
            assert_true(wb__hash_id(id, len - 1) != base);
    }
}

/* A million decimal ids -- the commonest kind -- over 2^20 buckets (the
 * low bits) and 64 parts (the high bits): chains as a random hash gives
 * them, and parts within 2 % of even. */
static void ids_spread(void **state)
{
    enum { N = 1000000, BUCKETS = 1 << 20, PARTS = 64 };
    uint8_t *chain = calloc(BUCKETS, 1);
    unsigned parts[PARTS] = {0};
    size_t empty = 0, longest = 0;
    char id[16];
    (void)state;
    assert_non_null(chain);
    for (long i = 0; i < N; i++) {
        unsigned h = wb__hash_id(id, (size_t)snprintf(id, sizeof id, "%ld", i));
        if (chain[h & (BUCKETS - 1)] < 255)
            chain[h & (BUCKETS - 1)]++;
        parts[((uint64_t)h * PARTS) >> 32]++;
    }
    for (size_t b = 0; b < BUCKETS; b++) {
        empty += chain[b] == 0;
        longest = chain[b] > longest ? chain[b] : longest;
    }
    /* Poisson with mean N / BUCKETS: e^-0.954 = 38.5 % of buckets empty. */
    assert_true(empty > BUCKETS * 37 / 100 && empty < BUCKETS * 40 / 100);
    assert_true(longest <= 12);
    for (int p = 0; p < PARTS; p++)
        assert_true(parts[p] > N / PARTS * 98 / 100 && parts[p] < N / PARTS * 102 / 100);
    free(chain);
}

/* The id compare reads words, the last overlapping: every length, a
 * difference at every position, and equal ids. */
static void key_compare(void **state)
{
    char a[WB_ID_MAX], b[WB_ID_MAX];
    (void)state;
    for (size_t len = 1; len <= WB_ID_MAX; len++) {
        for (size_t i = 0; i < len; i++)
            a[i] = b[i] = (char)('a' + i % 26);
        assert_int_equal(wb__bytes_differ(a, b, len), 0);
        for (size_t i = 0; i < len; i++) {
            b[i] = '#';
            assert_int_equal(wb__bytes_differ(a, b, len), 1);
            b[i] = a[i];
        }
    }
    assert_int_equal(wb__bytes_differ("x", "y", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_values_everywhere),
        cmocka_unit_test(every_byte_counts),
        cmocka_unit_test(ids_spread),
        cmocka_unit_test(key_compare),
    };
    return cmocka_run_group_tests_name("id_hash", tests, NULL, NULL);
}
