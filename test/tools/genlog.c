/*
 * genlog.c -- a deterministic synthetic purchase log of any size.
 *
 *   genlog ROWS CUSTOMERS [SEED] > log.csv
 *
 * Writes "customer_id,date,amount" and ROWS rows: ids C0000001.. (CUSTOMERS
 * of them), ISO dates over three years from 2023-01-01, amounts with two
 * decimals. The same arguments always give the same bytes (xorshift64*), so
 * tests and benchmarks can regenerate their input instead of storing it.
 * Test tooling: it formats its dates with the library's own calendar.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "winback/core.h"

static uint64_t state;

static uint64_t next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: genlog ROWS CUSTOMERS [SEED]\n");
        return 2;
    }
    unsigned long long rows = strtoull(argv[1], NULL, 10);
    unsigned long long customers = strtoull(argv[2], NULL, 10);
    state = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    if (customers == 0 || customers > 9999999 || state == 0) {
        fprintf(stderr, "genlog: CUSTOMERS 1..9999999, SEED non-zero\n");
        return 2;
    }
    const int32_t first = 19358, span = 3 * 365 + 1;   /* 2023-01-01, 3 years */
    printf("customer_id,date,amount\n");
    for (unsigned long long i = 0; i < rows; i++) {
        char date[WB_DATE_BUFSIZE];
        uint64_t r = next();
        unsigned long long id = i < customers ? i + 1 : r % customers + 1;
        int32_t day = first + (int32_t)((r >> 20) % (uint64_t)span);
        if (wb_day_format(day, date, sizeof date) != WB_OK)
            return 1;                   /* cannot happen: the span is fixed */
        unsigned long long cents = 100 + (r >> 40) % 20000;   /* 1.00 .. 200.99 */
        printf("C%07llu,%s,%llu.%02llu\n", id, date, cents / 100, cents % 100);
    }
    return ferror(stdout) ? 1 : 0;
}
