/*
 * amount.c -- decimal text to minor units, without floating point.
 *
 * "12.34" is read as the integer 1234 directly: binary floating point
 * cannot represent most decimal fractions, and money must be exact.
 */
#include "core/internal.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Appends one digit to *v >= 0 (v * 10 + d), or WB_ERANGE. Compared with
 * constants rather than checked arithmetic: on Thumb-1 that is a fraction
 * of the code. */
static int push_digit(int64_t *v, int d)
{
    const int64_t top = INT64_MAX / 10;    /* ...580; INT64_MAX ends in 7 */
    WB_RETURN_IF(*v > top || (*v == top && d > INT64_MAX % 10), WB_ERANGE);
    *v = *v * 10 + d;
    return WB_OK;
}

int wb_amount_parse(const char *s, size_t len, int32_t decimals,
                    uint32_t flags, int64_t *minor)
{
    size_t i = 0;
    int negative = 0, digits = 0, frac = 0, round_up = 0, separator = 0;
    int excess = 0;           /* digits beyond `decimals`, without ROUND */
    int64_t v = 0;
    WB_RETURN_IF(s == NULL || minor == NULL, WB_EMISUSE);
    WB_RETURN_IF(decimals < 0 || decimals > 9, WB_EINVAL);
    WB_RETURN_IF((flags & ~(WB_AMOUNT_COMMA | WB_AMOUNT_ROUND)) != 0, WB_EINVAL);
#if !WB_SMALL_CODE
    if (wb__plain_amount(s, len, decimals, minor))
        return WB_OK;
#endif
    if (i < len && (s[i] == '-' || s[i] == '+'))
        negative = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            digits++;
            if (!separator || frac < decimals) {
                WB_FORWARD(push_digit(&v, c - '0'));
                frac += separator;
            } else if (!(flags & WB_AMOUNT_ROUND)) {
                excess = 1;     /* reported once the syntax is known good */
            } else if (frac == decimals) {  /* first dropped digit decides */
                round_up = c >= '5';
                frac++;
            }
        } else if (!separator && (c == '.' || (c == ',' && (flags & WB_AMOUNT_COMMA)))) {
            separator = 1;
            WB_RETURN_IF(i + 1 == len, WB_ESYNTAX);   /* "5." */
        } else {
            return WB_ESYNTAX;
        }
    }
    WB_RETURN_IF(digits == 0, WB_ESYNTAX);
    WB_RETURN_IF(excess, WB_ERANGE);        /* more precision than we keep */
    for (; frac < decimals; frac++)             /* "12.5" -> 1250 */
        WB_FORWARD(push_digit(&v, 0));
    if (round_up) {
        WB_RETURN_IF(v == INT64_MAX, WB_ERANGE);
        v++;
    }
    *minor = negative ? -v : v;
    return WB_OK;
}
