/*
 * day.c -- calendar dates <-> day numbers (days since 1970-01-01).
 *
 * The proleptic Gregorian calendar in closed form: the year is shifted to
 * start on 1 March so the leap day falls at the end, and 400-year eras of
 * 146097 days make the arithmetic the same for every era. Only integer
 * arithmetic; years 1..9999.
 */
#include "core/internal.h"

static int is_leap(int32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int32_t days_in_month(int32_t y, int32_t m)
{
    static const int8_t len[12] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

int wb_day_from_ymd(int32_t year, int32_t month, int32_t mday, int32_t *day)
{
    WB_RETURN_IF(day == NULL, WB_EMISUSE);
    WB_RETURN_IF(year < 1 || year > 9999 || month < 1 || month > 12,
                 WB_EDATE);
    WB_RETURN_IF(mday < 1 || mday > days_in_month(year, month), WB_EDATE);

    int32_t y = year - (month <= 2);           /* years start in March */
    int32_t era = y / 400;                     /* y >= 0 here */
    int32_t yoe = y - era * 400;               /* 0..399 */
    int32_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + mday - 1;
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *day = era * 146097 + doe - 719468;        /* 719468: 0000-03-01 */
    return WB_OK;
}

int wb_day_to_ymd(int32_t day, int32_t *year, int32_t *month, int32_t *mday)
{
    WB_RETURN_IF(year == NULL || month == NULL || mday == NULL, WB_EMISUSE);
    WB_RETURN_IF(!wb__day_ok(day), WB_EDATE);

    int32_t z = day + 719468;                  /* >= 306 for WB_DAY_MIN */
    int32_t era = z / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;          /* 0 = March */
    int32_t m = mp < 10 ? mp + 3 : mp - 9;
    *mday = doy - (153 * mp + 2) / 5 + 1;
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
    return WB_OK;
}

/* Reads `n` ASCII digits; -1 if any byte is not a digit. */
static int32_t digits(const char *s, int n)
{
    int32_t v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int wb_day_parse(const char *text, size_t len, int32_t *day)
{
    int32_t y, m, d;
    WB_RETURN_IF(text == NULL || day == NULL, WB_EMISUSE);
    if (len == 10 && text[4] == '-' && text[7] == '-') {
        y = digits(text, 4);
        m = digits(text + 5, 2);
        d = digits(text + 8, 2);
    } else if (len == 8) {
        y = digits(text, 4);
        m = digits(text + 4, 2);
        d = digits(text + 6, 2);
    } else {
        return WB_ESYNTAX;
    }
    WB_RETURN_IF(y < 0 || m < 0 || d < 0, WB_ESYNTAX);
    return wb_day_from_ymd(y, m, d, day);
}

static void put_digits(char *s, int32_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        s[i] = (char)('0' + v % 10);
}

int wb_day_format(int32_t day, char *buf, size_t size)
{
    int32_t y, m, d;
    WB_RETURN_IF(buf == NULL, WB_EMISUSE);
    WB_RETURN_IF(size < WB_DATE_BUFSIZE, WB_EBUFFER);
    WB_FORWARD(wb_day_to_ymd(day, &y, &m, &d));
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
    return WB_OK;
}
