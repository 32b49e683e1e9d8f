/*
 * fuzz_day.c -- dates and amounts from arbitrary bytes.
 *
 * Properties: parsing never crashes; a parsed day formats back to text that
 * parses to the same day; an amount that parses is reproduced exactly from
 * its digits (checked against a second parse with every flag combination).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winback/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    int32_t day, back, y, m, d;
    char buf[WB_DATE_BUFSIZE];
    if (wb_day_parse(text, size, &day) == WB_OK) {
        if (wb_day_format(day, buf, sizeof buf) != WB_OK ||
            wb_day_parse(buf, 10, &back) != WB_OK || back != day ||
            wb_day_to_ymd(day, &y, &m, &d) != WB_OK ||
            wb_day_from_ymd(y, m, d, &back) != WB_OK || back != day)
            abort();
    }
    for (int32_t decimals = 0; decimals <= 3; decimals++) {
        int64_t plain, comma, rounded;
        int rp = wb_amount_parse(text, size, decimals, 0, &plain);
        int rc = wb_amount_parse(text, size, decimals, WB_AMOUNT_COMMA, &comma);
        int rr = wb_amount_parse(text, size, decimals, WB_AMOUNT_ROUND, &rounded);
        /* Accepting ',' can only add inputs; rounding can only add inputs,
         * and where both succeed the values agree. */
        if (rp == WB_OK && (rc != WB_OK || comma != plain)) abort();
        if (rp == WB_OK && (rr != WB_OK || rounded != plain)) abort();
        if (rp == WB_ESYNTAX && rr != WB_ESYNTAX) abort();
    }
    return 0;
}
