/* test_money_text.c -- the program's amounts as text (programs/winback/
 * util.c): format_money and put_money, which writes the digits in place
 * two at a time, against an independent definition (printf of the whole
 * and fraction parts) for every --decimals value, the extremes of the
 * money type and a spread of magnitudes; and format_money's cut to its
 * buffer, as snprintf cuts. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"
#include "wb_test.h"

/* The text by definition: sign, whole part, point and `places` digits. */
static void reference(int64_t minor, int places, char *out, size_t size)
{
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    uint64_t unit = 1;
    for (int i = 0; i < places; i++)
        unit *= 10;
    if (places == 0)
        snprintf(out, size, "%s%" PRIu64, minor < 0 ? "-" : "", mag);
    else
        snprintf(out, size, "%s%" PRIu64 ".%0*" PRIu64, minor < 0 ? "-" : "",
                 mag / unit, places, mag % unit);
}

static void same_text(int64_t minor, int places)
{
    char want[64], got[64], put[64];
    reference(minor, places, want, sizeof want);
    size_t n = format_money(minor, places, got, sizeof got);
    assert_string_equal(got, want);
    assert_int_equal(n, strlen(want));
    char *end = put_money(put, minor, places);
    assert_int_equal((size_t)(end - put), n);
    assert_true(n <= MONEY_TEXT_MAX);
    assert_memory_equal(put, want, n);
}

static void amounts_as_defined(void **state)
{
    (void)state;
    const int64_t edge[] = {0, 1, -1, 5, 9, 10, 11, 50, 99, 100, 101, -100, 999, 1000,
                            123456789012345678, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    uint64_t s = 88172645463325252u;
    for (int places = 0; places <= 9; places++) {
        for (size_t k = 0; k < sizeof edge / sizeof edge[0]; k++)
            same_text(edge[k], places);
        for (int i = 0; i < 100000; i++) {          /* every magnitude */
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            same_text((int64_t)s >> (s % 64), places);
        }
    }
}

static void cut_as_snprintf(void **state)
{
    (void)state;
    char buf[8] = "xxxxxxx";
    assert_int_equal(format_money(-123456, 2, buf, 5), 4);
    assert_string_equal(buf, "-123");
    assert_int_equal(format_money(7, 2, buf, 0), 0);
    assert_string_equal(buf, "-123");               /* nothing written */
    assert_int_equal(format_money(7, 2, buf, sizeof buf), 4);
    assert_string_equal(buf, "0.07");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_as_defined),
        cmocka_unit_test(cut_as_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
