/* test_day.c -- calendar dates <-> day numbers. */
#include <stdio.h>

#include "wb_test.h"

static void epoch_and_limits(void **state)
{
    int32_t d, y, m, md;
    (void)state;
    assert_int_equal(wb_day_from_ymd(1970, 1, 1, &d), WB_OK);
    assert_int_equal(d, 0);
    assert_int_equal(wb_day_from_ymd(1969, 12, 31, &d), WB_OK);
    assert_int_equal(d, -1);
    assert_int_equal(wb_day_from_ymd(1, 1, 1, &d), WB_OK);
    assert_int_equal(d, WB_DAY_MIN);
    assert_int_equal(wb_day_from_ymd(9999, 12, 31, &d), WB_OK);
    assert_int_equal(d, WB_DAY_MAX);
    assert_int_equal(wb_day_to_ymd(WB_DAY_MIN, &y, &m, &md), WB_OK);
    assert_true(y == 1 && m == 1 && md == 1);
    assert_int_equal(wb_day_to_ymd(WB_DAY_MAX, &y, &m, &md), WB_OK);
    assert_true(y == 9999 && m == 12 && md == 31);
    assert_int_equal(wb_day_to_ymd(WB_DAY_MIN - 1, &y, &m, &md), WB_EDATE);
    assert_int_equal(wb_day_to_ymd(WB_DAY_MAX + 1, &y, &m, &md), WB_EDATE);
    assert_int_equal(wb_day_to_ymd(WB_DAY_NONE, &y, &m, &md), WB_EDATE);
    assert_int_equal(wb_day_to_ymd(INT32_MAX, &y, &m, &md), WB_EDATE);
}

static void known_dates(void **state)
{
    (void)state;
    /* Independent anchors: 2000-03-01 is day 11017, 2026-11-23 is 20780,
     * CDNOW's first and last days. */
    assert_int_equal(D("2000-03-01"), 11017);
    assert_int_equal(D("2026-11-23"), 20780);
    assert_int_equal(D("19970101"), 9862);
    assert_int_equal(D("1998-06-30"), 10407);
    assert_int_equal(D("2038-01-19"), 24855);
}

static void leap_days(void **state)
{
    int32_t d;
    (void)state;
    assert_int_equal(wb_day_from_ymd(2024, 2, 29, &d), WB_OK);
    assert_int_equal(D("2024-03-01") - d, 1);
    assert_int_equal(wb_day_from_ymd(2000, 2, 29, &d), WB_OK);    /* /400 */
    assert_int_equal(wb_day_from_ymd(1900, 2, 29, &d), WB_EDATE); /* /100 */
    assert_int_equal(wb_day_from_ymd(2025, 2, 29, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(2100, 2, 29, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(2400, 2, 29, &d), WB_OK);
    /* A leap year has 366 days, a common one 365. */
    assert_int_equal(D("2025-01-01") - D("2024-01-01"), 366);
    assert_int_equal(D("2026-01-01") - D("2025-01-01"), 365);
    assert_int_equal(D("2000-01-01") - D("1900-01-01"), 36524);
}

static void impossible_dates(void **state)
{
    int32_t d = 12345;
    (void)state;
    assert_int_equal(wb_day_from_ymd(2024, 13, 1, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(2024, 0, 1, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(2024, 4, 31, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(2024, 1, 0, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(2024, 1, 32, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(0, 1, 1, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(10000, 1, 1, &d), WB_EDATE);
    assert_int_equal(wb_day_from_ymd(-5, 1, 1, &d), WB_EDATE);
    assert_int_equal(d, 12345); /* untouched on error */
    assert_int_equal(wb_day_from_ymd(2024, 1, 1, NULL), WB_EMISUSE);
}

static void parse_shapes(void **state)
{
    int32_t d = 7;
    (void)state;
    assert_int_equal(wb_day_parse("2024-02-29", 10, &d), WB_OK);
    assert_int_equal(d, D("20240229"));
    assert_int_equal(wb_day_parse("2025-02-29", 10, &d), WB_EDATE);
    assert_int_equal(wb_day_parse("20250229", 8, &d), WB_EDATE);
    assert_int_equal(wb_day_parse("2024-13-01", 10, &d), WB_EDATE);
    assert_int_equal(wb_day_parse("0000-01-01", 10, &d), WB_EDATE);
    assert_int_equal(wb_day_parse("2024/01/01", 10, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("2024-1-01", 9, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("2024-01-0a", 10, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("+2024-01-01", 11, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("2024-01-01", 8, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("2024 101", 8, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("-2024101", 8, &d), WB_ESYNTAX);
    assert_int_equal(wb_day_parse("", 0, &d), WB_ESYNTAX);
    /* Only `len` bytes are read: the trailing text is not looked at. */
    assert_int_equal(wb_day_parse("2024-01-01T00:00", 10, &d), WB_OK);
    assert_int_equal(wb_day_parse(NULL, 10, &d), WB_EMISUSE);
    assert_int_equal(wb_day_parse("2024-01-01", 10, NULL), WB_EMISUSE);
}

static void format_round_trip(void **state)
{
    char buf[WB_DATE_BUFSIZE];
    (void)state;
    assert_int_equal(wb_day_format(0, buf, sizeof buf), WB_OK);
    assert_string_equal(buf, "1970-01-01");
    assert_int_equal(wb_day_format(WB_DAY_MIN, buf, sizeof buf), WB_OK);
    assert_string_equal(buf, "0001-01-01");
    assert_int_equal(wb_day_format(WB_DAY_MAX, buf, sizeof buf), WB_OK);
    assert_string_equal(buf, "9999-12-31");
    assert_int_equal(wb_day_format(0, buf, WB_DATE_BUFSIZE - 1), WB_EBUFFER);
    assert_int_equal(wb_day_format(WB_DAY_MAX + 1, buf, sizeof buf), WB_EDATE);
    assert_int_equal(wb_day_format(0, NULL, 11), WB_EMISUSE);
}

/* Every day from 0001-01-01 to 9999-12-31 converts to a date and back, and
 * consecutive days are consecutive dates. */
static void every_day_round_trips(void **state)
{
    int32_t y, m, md, back, py = 0, pm = 12, pd = 31;
    char buf[WB_DATE_BUFSIZE];
    (void)state;
    for (int32_t d = WB_DAY_MIN; d <= WB_DAY_MAX; d++) {
        assert_int_equal(wb_day_to_ymd(d, &y, &m, &md), WB_OK);
        assert_int_equal(wb_day_from_ymd(y, m, md, &back), WB_OK);
        if (back != d)
            fail_msg("day %d -> %d-%d-%d -> %d", d, y, m, md, back);
        /* Next date after (py, pm, pd). */
        int new_month = md == 1, new_year = new_month && m == 1;
        if (!new_month && !(y == py && m == pm && md == pd + 1))
            fail_msg("day %d is not the day after", d);
        if (new_year && !(y == py + 1 && pm == 12 && pd == 31))
            fail_msg("year change at %d", d);
        py = y; pm = m; pd = md;
        if (d % 99991 == 0) { /* spot-check text formatting too */
            assert_int_equal(wb_day_format(d, buf, sizeof buf), WB_OK);
            assert_int_equal(wb_day_parse(buf, 10, &back), WB_OK);
            assert_int_equal(back, d);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(epoch_and_limits),
        cmocka_unit_test(known_dates),
        cmocka_unit_test(leap_days),
        cmocka_unit_test(impossible_dates),
        cmocka_unit_test(parse_shapes),
        cmocka_unit_test(format_round_trip),
        cmocka_unit_test(every_day_round_trips),
    };
    return cmocka_run_group_tests_name("day", tests, NULL, NULL);
}
