/* test_amount.c -- decimal text to minor units. */
#include "wb_test.h"

/* The same parser built without its fast path (as -Os firmware builds
 * it), under another name: the library's answer must equal this one's on
 * every input, the fast path's and the general loop's alike. */
int general_amount_parse(const char *s, size_t len, int32_t decimals,
                         uint32_t flags, int64_t *minor);
#define WB_SMALL_CODE 1
#define wb_amount_parse general_amount_parse
#include "core/amount.c"
#undef wb_amount_parse

static int64_t amt(const char *s, int32_t decimals, uint32_t flags, int expect)
{
    int64_t v = -777;
    assert_int_equal(wb_amount_parse(s, strlen(s), decimals, flags, &v), expect);
    return v;
}

static void plain_amounts(void **state)
{
    (void)state;
    assert_int_equal(amt("12.34", 2, 0, WB_OK), 1234);
    assert_int_equal(amt("12.3", 2, 0, WB_OK), 1230);
    assert_int_equal(amt("12", 2, 0, WB_OK), 1200);
    assert_int_equal(amt("0.00", 2, 0, WB_OK), 0);
    assert_int_equal(amt(".5", 2, 0, WB_OK), 50);
    assert_int_equal(amt("-3.10", 2, 0, WB_OK), -310);
    assert_int_equal(amt("+3.10", 2, 0, WB_OK), 310);
    assert_int_equal(amt("1286.01", 2, 0, WB_OK), 128601);
    assert_int_equal(amt("7", 0, 0, WB_OK), 7);
    assert_int_equal(amt("0.123456789", 9, 0, WB_OK), 123456789);
    /* 0.1 + 0.2 in binary floating point is not 0.3; here it is exact. */
    assert_int_equal(amt("0.30", 2, 0, WB_OK), 30);
}

static void comma_decimals(void **state)
{
    (void)state;
    assert_int_equal(amt("12,5", 2, WB_AMOUNT_COMMA, WB_OK), 1250);
    amt("12,5", 2, 0, WB_ESYNTAX);                 /* not without the flag */
    amt("1.234,50", 2, WB_AMOUNT_COMMA, WB_ESYNTAX); /* no thousands separators */
    amt("1,234.50", 2, WB_AMOUNT_COMMA, WB_ESYNTAX);
}

static void precision_and_rounding(void **state)
{
    (void)state;
    amt("1.005", 2, 0, WB_ERANGE);                 /* more than the currency has */
    assert_int_equal(amt("1.005", 2, WB_AMOUNT_ROUND, WB_OK), 101);
    assert_int_equal(amt("1.0049", 2, WB_AMOUNT_ROUND, WB_OK), 100);
    assert_int_equal(amt("1.0099", 2, WB_AMOUNT_ROUND, WB_OK), 101);
    assert_int_equal(amt("-1.005", 2, WB_AMOUNT_ROUND, WB_OK), -101);
    assert_int_equal(amt("0.995", 2, WB_AMOUNT_ROUND, WB_OK), 100);
    assert_int_equal(amt("1.5", 0, WB_AMOUNT_ROUND, WB_OK), 2);
}

static void int64_limits(void **state)
{
    (void)state;
    assert_true(amt("92233720368547758.07", 2, 0, WB_OK) == INT64_MAX);
    amt("92233720368547758.08", 2, 0, WB_ERANGE);
    assert_true(amt("-92233720368547758.07", 2, 0, WB_OK) == -INT64_MAX);
    amt("99999999999999999999", 0, 0, WB_ERANGE);
    amt("92233720368547758.07", 2, WB_AMOUNT_ROUND, WB_OK);
    amt("92233720368547758.075", 2, WB_AMOUNT_ROUND, WB_ERANGE);
}

static void malformed(void **state)
{
    int64_t v;
    (void)state;
    const char *bad[] = {"", "-", "+", ".", "5.", "1.2.3", "1 2", " 12", "12 ",
                         "1e5", "0x10", "$5", "--1", "12a", "NaN", "inf"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (wb_amount_parse(bad[i], strlen(bad[i]), 2, 0, &v) != WB_ESYNTAX)
            fail_msg("'%s' was accepted", bad[i]);
    assert_int_equal(wb_amount_parse("1", 1, -1, 0, &v), WB_EINVAL);
    assert_int_equal(wb_amount_parse("1", 1, 10, 0, &v), WB_EINVAL);
    assert_int_equal(wb_amount_parse("1", 1, 2, 4, &v), WB_EINVAL);
    assert_int_equal(wb_amount_parse(NULL, 1, 2, 0, &v), WB_EMISUSE);
    assert_int_equal(wb_amount_parse("1", 1, 2, 0, NULL), WB_EMISUSE);
    /* Only `len` bytes are read. */
    assert_int_equal(wb_amount_parse("12.34xyz", 5, 2, 0, &v), WB_OK);
    assert_int_equal(v, 1234);
}

/* Status and value of both builds, for one text. */
static void same_as_general(const char *s, size_t len)
{
    for (int32_t decimals = 0; decimals <= 9; decimals++)
        for (uint32_t flags = 0; flags < 4; flags++) {
            int64_t fast = -1, slow = -1;
            int a = wb_amount_parse(s, len, decimals, flags, &fast);
            int b = general_amount_parse(s, len, decimals, flags, &slow);
            if (a != b || (a == WB_OK && fast != slow))
                fail_msg("\"%.*s\" decimals %d flags %u: %d %lld, general %d %lld",
                         (int)len, s, (int)decimals, (unsigned)flags, a,
                         (long long)fast, b, (long long)slow);
        }
}

/* Every text of up to 4 bytes over digits, '.', ',', '-' and a space;
 * then digit runs of 12..22 with a '.' anywhere, around the 18 digits
 * where the fast path hands over to the checked loop. */
static void fast_path_agrees(void **state)
{
    static const char alphabet[] = "0159.,- ";
    char s[32];
    (void)state;
    for (size_t len = 1; len <= 4; len++) {
        size_t total = 1;
        for (size_t k = 0; k < len; k++)
            total *= sizeof alphabet - 1;
        for (size_t x = 0; x < total; x++) {
            size_t y = x;
            for (size_t k = 0; k < len; k++, y /= sizeof alphabet - 1)
                s[k] = alphabet[y % (sizeof alphabet - 1)];
            same_as_general(s, len);
        }
    }
    for (size_t len = 12; len <= 22; len++)
        for (size_t dot = 0; dot <= len; dot++) {
            for (size_t k = 0; k < len; k++)
                s[k] = (char)('9' - (k % 3 == 0));
            if (dot < len)
                s[dot] = '.';
            same_as_general(s, len);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_amounts),
        cmocka_unit_test(comma_decimals),
        cmocka_unit_test(precision_and_rounding),
        cmocka_unit_test(int64_limits),
        cmocka_unit_test(malformed),
        cmocka_unit_test(fast_path_agrees),
    };
    return cmocka_run_group_tests_name("amount", tests, NULL, NULL);
}
