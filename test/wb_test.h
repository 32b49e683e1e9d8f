/*
 * wb_test.h -- helpers shared by the cmocka tests.
 */
#ifndef WB_TEST_H
#define WB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "winback.h"

/* Day number of an ISO date, failing the test on a typo. */
static inline int32_t D(const char *iso)
{
    int32_t day = 0;
    assert_int_equal(wb_day_parse(iso, strlen(iso), &day), WB_OK);
    return day;
}

/* A policy with the spec's defaults (cmocka setup/teardown style). */
static inline int policy_setup(void **state)
{
    static wb_policy policy; /* one per test binary; tests run serially */
    if (wb_policy_init(&policy) != WB_OK)
        return -1;
    *state = &policy;
    return 0;
}

#define POLICY ((wb_policy *)*state)

/* xorshift64: a fixed, repeatable stream for the property tests. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

#endif
