/*
 * genlog.c -- a deterministic synthetic purchase log of any size.
 *
 *   genlog ROWS CUSTOMERS [SEED] > log.csv
 *
 * Writes "customer_id,date,amount" and ROWS rows: ids C0000001.. (CUSTOMERS
 * of them), ISO dates over three years from 2023-01-01, amounts with two
 * decimals. The same arguments always give the same bytes (xorshift64*), so
 * tests and benchmarks can regenerate their input instead of storing it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static uint64_t next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

/* Civil date of day number d (days since 1970-01-01), proleptic Gregorian. */
static void civil(long d, int *y, int *m, int *dd)
{
    d += 719468;
    long era = d / 146097, doe = d - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    *dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
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
    const long first = 19358, span = 3 * 365 + 1;   /* 2023-01-01, 3 years */
    printf("customer_id,date,amount\n");
    for (unsigned long long i = 0; i < rows; i++) {
        int y, m, d;
        uint64_t r = next();
        unsigned long long id = i < customers ? i + 1 : r % customers + 1;
        civil(first + (long)((r >> 20) % (uint64_t)span), &y, &m, &d);
        unsigned long long cents = 100 + (r >> 40) % 20000;   /* 1.00 .. 200.99 */
        printf("C%07llu,%04d-%02d-%02d,%llu.%02llu\n", id, y, m, d,
               cents / 100, cents % 100);
    }
    return ferror(stdout) ? 1 : 0;
}
