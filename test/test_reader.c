/* test_reader.c -- purchase logs to rows: formats and every rejection. */
#include <stdio.h>
#include <stdlib.h>

#include "wb_test.h"

#define MAXR 64

typedef struct got {
    size_t n;
    wb_record r[MAXR];
    char id[MAXR][WB_ID_MAX + 1];
    int stop_at;          /* return non-zero on this row (1-based) */
} got;

static int collect(void *ud, const wb_record *rec)
{
    got *g = ud;
    if (g->n < MAXR) {
        g->r[g->n] = *rec;
        if (rec->reject == WB_REJECT_NONE)
            snprintf(g->id[g->n], sizeof g->id[0], "%.*s", (int)rec->id_len, rec->id);
        g->r[g->n].id = g->id[g->n];
        g->r[g->n].text = NULL;
    }
    g->n++;
    return (int)g->n == g->stop_at ? 77 : 0;
}

/* Reads `text` fed in chunks of `chunk` bytes; returns the final status. */
static int read_text(const wb_reader_config *cfg, const char *text, size_t chunk,
                     got *g)
{
    wb_reader *r;
    int rc = WB_OK;
    size_t len = strlen(text);
    memset(g->r, 0, sizeof g->r);
    g->n = 0;
    assert_int_equal(wb_reader_new(cfg, NULL, collect, g, &r), WB_OK);
    for (size_t i = 0; i < len && rc == WB_OK; i += chunk)
        rc = wb_reader_feed(r, text + i, len - i < chunk ? len - i : chunk);
    if (rc == WB_OK)
        rc = wb_reader_finish(r);
    uint64_t n, a, j;
    wb_reader_counts(r, &n, &a, &j);
    assert_true(n == a + j);                 /* nothing is lost */
    assert_int_equal(n, g->n);
    wb_reader_free(r);
    return rc;
}

static wb_reader_config defaults(void)
{
    wb_reader_config c;
    assert_int_equal(wb_reader_config_init(&c), WB_OK);
    return c;
}

static void csv_basics_in_every_chunking(void **state)
{
    wb_reader_config c = defaults();
    const char *log = "customer_id,date,amount\n"
                      "C-1,2024-02-29,12.50\n"
                      "C-2,20240301,7\n";
    static got g;
    g.stop_at = 0;
    (void)state;
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        assert_int_equal(read_text(&c, log, chunk, &g), WB_OK);
        assert_int_equal(g.n, 2);
        assert_string_equal(g.id[0], "C-1");
        assert_int_equal(g.r[0].day, D("2024-02-29"));
        assert_int_equal(g.r[0].amount, 1250);
        assert_int_equal(g.r[0].line, 2);
        assert_string_equal(g.id[1], "C-2");
        assert_int_equal(g.r[1].amount, 700);
        assert_int_equal(g.r[1].line, 3);
    }
}

static void crlf_bom_and_no_final_newline(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    assert_int_equal(read_text(&c, "\xEF\xBB\xBF" "id,date,amount\r\nA,2024-01-01,1.00\r\nB,2024-01-02,2.00", 7, &g), WB_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.id[0], "A");
    assert_int_equal(g.r[1].amount, 200);
    assert_int_equal(g.r[1].reject, WB_REJECT_NONE);
}

static void empty_and_header_only(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    assert_int_equal(read_text(&c, "", 1, &g), WB_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(read_text(&c, "id,date,amount\n", 4, &g), WB_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(read_text(&c, "id,date,amount", 4, &g), WB_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(read_text(&c, "\n\nid,date,amount\n\n\nA,2024-01-01,1\n\n", 3, &g), WB_OK);
    assert_int_equal(g.n, 1);                /* blank lines are not rows */
    assert_int_equal(g.r[0].line, 6);
}

static void rfc4180_quotes(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    const char *log = "\"customer_id\",\"date\",\"amount\"\n"
                      "\"Smith, J\",2024-01-01,\"1.50\"\n"          /* comma inside */
                      "\"say \"\"hi\"\"\",2024-01-01,2\n"           /* doubled quotes */
                      "\"two\nlines\",2024-01-01,3\n"               /* newline inside */
                      "after,2024-01-02,4\n";
    assert_int_equal(read_text(&c, log, 5, &g), WB_OK);
    assert_int_equal(g.n, 4);
    assert_string_equal(g.id[0], "Smith, J");
    assert_int_equal(g.r[0].amount, 150);
    assert_string_equal(g.id[1], "say \"hi\"");
    assert_string_equal(g.id[2], "two\nlines");
    assert_int_equal(g.r[2].line, 4);
    assert_int_equal(g.r[3].line, 6);        /* line numbers count the inner break */
    const char *bad = "id,date,amount\n"
                      "ab\"c,2024-01-01,1\n"                         /* quote mid-field */
                      "\"ab\"c,2024-01-01,1\n"                       /* text after quote */
                      "\"open,2024-01-01,1\n";                       /* never closed */
    assert_int_equal(read_text(&c, "id,date,amount\nA,2024-01-01,\"1,50\"\n", 9, &g), WB_OK);
    /* "1,50" with a comma delimiter is not a decimal comma: bad amount. */
    assert_int_equal(g.r[0].reject, WB_REJECT_AMOUNT);
    assert_int_equal(read_text(&c, bad, 9, &g), WB_OK);
    assert_int_equal(g.n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(g.r[i].reject, WB_REJECT_QUOTE);
}

static void semicolon_tab_and_decimal_comma(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    assert_int_equal(read_text(&c, "date;amount;client_id\n01.01.2024;1;x\n2024-01-05;12,75;C9\n", 8, &g), WB_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.r[0].reject, WB_REJECT_DATE);
    assert_string_equal(g.id[1], "C9");        /* columns found by name */
    assert_int_equal(g.r[1].amount, 1275);
    assert_int_equal(read_text(&c, "id\tdate\tamount\nA\t2024-01-05\t3,5\n", 8, &g), WB_OK);
    assert_int_equal(g.r[0].amount, 350);
}

static void whitespace_columns_like_cdnow(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    const char *log = " customer_id  date number_of_cds  dollar_value\r\n"
                      " 00001 19970101  1   11.77\r\n"
                      " 00002 19970112  5   77.00\r\n";
    assert_int_equal(read_text(&c, log, 11, &g), WB_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.id[0], "00001");
    assert_int_equal(g.r[0].day, D("1997-01-01"));
    assert_int_equal(g.r[0].amount, 1177);
    assert_int_equal(g.r[1].amount, 7700);
    /* The sample file: no header, columns by number. */
    c.header = 0;
    c.delimiter = WB_DELIM_WHITESPACE;
    c.id_column = 1;
    c.date_column = 2;
    c.amount_column = 4;
    assert_int_equal(read_text(&c, " 00004 0001 19970101  2   29.33\r\n", 4, &g), WB_OK);
    assert_string_equal(g.id[0], "0001");
    assert_int_equal(g.r[0].amount, 2933);
}

static void every_rejection_reason(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    char log[512];
    (void)state;
    snprintf(log, sizeof log,
             "id,date,amount\n"
             "A,2024-01-01\n"                /* 2 FIELDS */
             ",2024-01-01,1\n"               /* 3 ID_EMPTY */
             "%s,2024-01-01,1\n"             /* 4 ID_TOO_LONG */
             "A,2025-02-29,1\n"              /* 5 DATE */
             "A,2024-01-01,12a\n"            /* 6 AMOUNT */
             "A,2024-01-01,1.005\n"          /* 7 PRECISION */
             "A,2024-01-01,-1\n"             /* 8 NEGATIVE */
             "A,2024-01-01,99999999999999999999\n" /* 9 RANGE */
             "A,,1\n"                        /* 10 FIELDS (empty date) */
             "A,2024-01-01,1\n"              /* 11 accepted */
             "\"A,2024-01-01,1\nB,2024-01-01,1\n", /* 12 QUOTE, 13 accepted */
             "0123456789012345678901234567890123456789012345678901234567890123X");
    assert_int_equal(read_text(&c, log, 13, &g), WB_OK);
    const int32_t want[] = {WB_REJECT_FIELDS, WB_REJECT_ID_EMPTY,
        WB_REJECT_ID_TOO_LONG, WB_REJECT_DATE, WB_REJECT_AMOUNT,
        WB_REJECT_PRECISION, WB_REJECT_NEGATIVE, WB_REJECT_RANGE,
        WB_REJECT_FIELDS, WB_REJECT_NONE, WB_REJECT_QUOTE, WB_REJECT_NONE};
    assert_int_equal(g.n, 12);
    for (int i = 0; i < 12; i++) {
        assert_int_equal(g.r[i].reject, want[i]);
        assert_int_equal(g.r[i].line, (uint64_t)i + 2);
    }
    /* The quote left open at the end rejects its own line only. */
    assert_string_equal(wb_reject_name(WB_REJECT_DATE), "bad date");
    assert_string_equal(wb_reject_name(99), "unknown");
    /* With rounding allowed, 1.005 is 1.01. */
    c.amount_flags = WB_AMOUNT_ROUND;
    assert_int_equal(read_text(&c, "id,date,amount\nA,2024-01-01,1.005\nA,2024-01-01,99999999999999999999\n", 64, &g), WB_OK);
    assert_int_equal(g.r[0].amount, 101);
    assert_int_equal(g.r[1].reject, WB_REJECT_RANGE);
}

static void record_too_long(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    size_t n = WB_LINE_MAX + 100;
    char *log = malloc(n + 64);
    strcpy(log, "id,date,amount\nA,2024-01-01,");
    size_t k = strlen(log);
    memset(log + k, '1', n);
    strcpy(log + k + n, "\nB,2024-01-01,2\n");
    assert_int_equal(read_text(&c, log, 4096, &g), WB_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.r[0].reject, WB_REJECT_TOO_LONG);
    assert_string_equal(g.id[1], "B");
    assert_int_equal(g.r[1].line, 3);
    free(log);
}

/* Reads a log in chunks of every size from 1 to 9 and the whole, and
 * checks each time that the rows are those of the whole. */
static void same_in_every_chunking(const wb_reader_config *c, const char *log,
                                   got *whole, got *g)
{
    assert_int_equal(read_text(c, log, strlen(log) + 1, whole), WB_OK);
    for (size_t chunk = 1; chunk <= 9; chunk++) {
        assert_int_equal(read_text(c, log, chunk, g), WB_OK);
        assert_int_equal(g->n, whole->n);
        for (size_t i = 0; i < g->n && i < MAXR; i++) {
            assert_int_equal(g->r[i].line, whole->r[i].line);
            assert_int_equal(g->r[i].reject, whole->r[i].reject);
        }
    }
}

/* A stray quote must not swallow the rest of the log: the record's first
 * line is rejected and reading starts again on the next line. */
static void stray_quote_resynchronises(void **state)
{
    wb_reader_config c = defaults();
    static got g, whole;
    static char log[8192];
    size_t k = 0;
    (void)state;
    g.stop_at = whole.stop_at = 0;
    k += (size_t)snprintf(log + k, sizeof log - k, "id,date,amount\n");
    for (int i = 2; i <= 40; i++)             /* a quote opens on line 21 */
        k += (size_t)snprintf(log + k, sizeof log - k, "%sC%d,2024-01-%02d,1.00\n",
                              i == 21 ? "\"" : "", i, 1 + i % 28);
    same_in_every_chunking(&c, log, &whole, &g);
    assert_int_equal(whole.n, 39);            /* every line after the header */
    for (size_t i = 0; i < whole.n; i++) {
        assert_int_equal(whole.r[i].line, i + 2);
        assert_int_equal(whole.r[i].reject, i + 2 == 21 ? WB_REJECT_QUOTE : WB_REJECT_NONE);
    }
}

/* A quoted field may span WB_RECORD_LINES_MAX lines, and no more. */
static void quoted_line_breaks_are_bounded(void **state)
{
    wb_reader_config c = defaults();
    static got g, whole;
    static char log[4096];
    (void)state;
    g.stop_at = whole.stop_at = 0;
    for (int extra = 0; extra <= 1; extra++) {
        size_t k = (size_t)snprintf(log, sizeof log, "id,date,amount,note\nA,2024-01-01,1,\"note");
        for (int i = 1; i < WB_RECORD_LINES_MAX + extra; i++)
            k += (size_t)snprintf(log + k, sizeof log - k, "\nline %d", i);
        snprintf(log + k, sizeof log - k, "\"\nB,2024-01-02,2\n");
        same_in_every_chunking(&c, log, &whole, &g);
        if (!extra) {                         /* exactly the bound: one record */
            assert_int_equal(whole.n, 2);
            assert_int_equal(whole.r[0].reject, WB_REJECT_NONE);
            assert_int_equal(whole.r[1].line, 2 + WB_RECORD_LINES_MAX);
        } else {                              /* one line more: every line a row */
            assert_int_equal(whole.n, WB_RECORD_LINES_MAX + 2);
            assert_int_equal(whole.r[0].reject, WB_REJECT_QUOTE);
            for (size_t i = 1; i < whole.n; i++)
                assert_int_equal(whole.r[i].line, i + 2);
            assert_int_equal(whole.r[whole.n - 1].reject, WB_REJECT_NONE);
        }
    }
}

/* One byte limit, LF or CRLF; a quote open past it resynchronises too. */
static void byte_limit_is_one_for_lf_and_crlf(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    const char *head = "id,date,amount\nA,2024-01-01,1.";
    size_t h = strlen(head);
    char *log = malloc(WB_LINE_MAX + 64);
    (void)state;
    g.stop_at = 0;
    for (int crlf = 0; crlf <= 1; crlf++) {
        for (size_t len = WB_LINE_MAX; len <= WB_LINE_MAX + 1; len++) {
            size_t digits = len - (h - 15);   /* the record after the header */
            memcpy(log, head, h);
            memset(log + h, '0', digits);
            strcpy(log + h + digits, crlf ? "\r\nB,2024-01-01,2\r\n" : "\nB,2024-01-01,2\n");
            c.amount_flags = WB_AMOUNT_ROUND;
            assert_int_equal(read_text(&c, log, 4096, &g), WB_OK);
            assert_int_equal(g.n, 2);
            assert_int_equal(g.r[0].reject, len == WB_LINE_MAX ? WB_REJECT_NONE
                                                               : WB_REJECT_TOO_LONG);
            assert_int_equal(g.r[1].reject, WB_REJECT_NONE);
        }
    }
    /* A quote opened on a line, then ten lines of 7 000 bytes: fewer lines
     * than the bound, more bytes. Every line is still a row. */
    size_t k = (size_t)snprintf(log, 64, "id,date,amount\n\"A,2024-01-01,1\n");
    char *big = malloc(80000);
    memcpy(big, log, k);
    for (int i = 0; i < 10; i++) {
        memset(big + k, 'x', 6999);
        big[k + 6999] = '\n';
        k += 7000;
    }
    strcpy(big + k, "B,2024-01-01,2\n");
    assert_int_equal(read_text(&c, big, 4096, &g), WB_OK);
    assert_int_equal(g.n, 12);
    assert_int_equal(g.r[0].reject, WB_REJECT_QUOTE);
    assert_int_equal(g.r[0].line, 2);
    for (size_t i = 1; i <= 10; i++) {
        assert_int_equal(g.r[i].reject, WB_REJECT_FIELDS);
        assert_int_equal(g.r[i].line, i + 2);
    }
    assert_int_equal(g.r[11].reject, WB_REJECT_NONE);
    free(big);
    free(log);
}

/* A tab before an opening quote is blank space around a field for the
 * scanner as for the splitter: a quoted line break in such a field is one
 * valid record, not two bad-quote rejects. */
static void tab_before_a_quote(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    (void)state;
    g.stop_at = 0;
    assert_int_equal(read_text(&c, "id,date,amount,note\nA,2024-01-01,1,\t\"two\nlines\"\n"
                                   "B,2024-01-02,2,x\n", 3, &g), WB_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.r[0].reject, WB_REJECT_NONE);
    assert_int_equal(g.r[0].line, 2);
    assert_int_equal(g.r[1].reject, WB_REJECT_NONE);
    assert_int_equal(g.r[1].line, 4);
}

/* Two columns that both look like the amount: refused, naming both,
 * unless the config names one. */
static void ambiguous_header_is_refused(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    wb_reader *r;
    wb_header_info h;
    const char *log = "customer,value,date,total\nA,1,2024-01-01,5\n";
    (void)state;
    g.stop_at = 0;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_OK);
    assert_int_equal(wb_reader_header(r, &h), WB_OK);         /* before: the config's */
    assert_int_equal(h.column[WB_COL_AMOUNT], 2);
    assert_int_equal(h.clash[WB_COL_AMOUNT], -1);
    assert_int_equal(wb_reader_feed(r, log, strlen(log)), WB_EHEADER);
    assert_int_equal(wb_reader_header(r, &h), WB_OK);
    assert_int_equal(h.column[WB_COL_ID], 0);
    assert_int_equal(h.clash[WB_COL_ID], -1);
    assert_int_equal(h.column[WB_COL_DATE], 2);
    assert_int_equal(h.column[WB_COL_AMOUNT], 1);
    assert_int_equal(h.clash[WB_COL_AMOUNT], 3);
    assert_int_equal(wb_reader_header(r, NULL), WB_EMISUSE);
    assert_int_equal(wb_reader_header(NULL, &h), WB_EMISUSE);
    wb_reader_free(r);
    c.amount_name = "total";
    assert_int_equal(read_text(&c, log, 4, &g), WB_OK);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.r[0].amount, 500);
    c.amount_name = "Total";                  /* a name given twice clashes too */
    assert_int_equal(read_text(&c, "id,date,total,TOTAL\nA,2024-01-01,1,2\n", 4, &g), WB_EHEADER);
}

/* latest_day: rows after it are rejected as dated in the future. */
static void latest_day_rejects_the_future(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    wb_reader *r;
    (void)state;
    g.stop_at = 0;
    assert_int_equal(c.latest_day, WB_DAY_NONE);
    c.latest_day = D("2026-11-23");
    assert_int_equal(read_text(&c, "id,date,amount\nA,2026-11-23,1\nB,2026-11-24,1\nC,2098-01-01,1\n", 7, &g), WB_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.r[0].reject, WB_REJECT_NONE);      /* on the day: fine */
    assert_int_equal(g.r[1].reject, WB_REJECT_FUTURE);
    assert_int_equal(g.r[2].reject, WB_REJECT_FUTURE);
    assert_string_equal(wb_reject_name(WB_REJECT_FUTURE), "dated in the future");
    c.latest_day = WB_DAY_MAX + 1;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c.latest_day = WB_DAY_NONE;
    c.reserved = 1;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    /* A config of 0.1's size (before latest_day) is still accepted: the
     * fields it lacks take their defaults, whatever follows it in memory. */
    c.reserved = 0;
    c.latest_day = D("2000-01-01");            /* beyond the old size: ignored */
    c.size = (uint32_t)offsetof(wb_reader_config, latest_day);
    assert_int_equal(read_text(&c, "id,date,amount\nA,2098-01-01,1\n", 5, &g), WB_OK);
    assert_int_equal(g.r[0].reject, WB_REJECT_NONE);
    c.size = (uint32_t)offsetof(wb_reader_config, latest_day) - 1;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_ESTRUCT);
}

static void header_errors_and_stopping(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    assert_int_equal(read_text(&c, "who,when,what\nA,2024-01-01,1\n", 5, &g), WB_EHEADER);
    assert_int_equal(g.n, 0);
    c.id_name = "who";
    c.date_name = "When";
    c.amount_name = "WHAT";
    assert_int_equal(read_text(&c, "who,when,what\nA,2024-01-01,1\n", 5, &g), WB_OK);
    assert_int_equal(g.n, 1);
    /* A callback's non-zero value stops the reader and comes back. */
    c = defaults();
    g.stop_at = 2;
    assert_int_equal(read_text(&c, "id,date,amount\nA,2024-01-01,1\nB,bad,1\nC,2024-01-01,1\n", 3, &g), 77);
    assert_int_equal(g.n, 2);
    g.stop_at = 0;
}

static void config_errors(void **state)
{
    wb_reader_config c = defaults();
    wb_reader *r;
    static got g;
    g.stop_at = 0;
    (void)state;
    c.delimiter = '|';
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c = defaults();
    c.decimals = 10;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c = defaults();
    c.header = 0;
    c.amount_column = -1;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c = defaults();
    c.size = 0;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_ESTRUCT);
    c = defaults();
    assert_int_equal(wb_reader_new(&c, NULL, NULL, &g, &r), WB_EMISUSE);
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, NULL), WB_EMISUSE);
    c = defaults();
    c.header = 2;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c = defaults();
    c.amount_flags = WB_AMOUNT_COMMA;   /* decided by the delimiter, not a flag */
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c = defaults();
    c.header = 0;
    c.id_column = 256;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    c = defaults();
    c.header = 0;
    c.date_column = -1;
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_EINVAL);
    const int32_t fine[] = {',', ';', '\t', WB_DELIM_WHITESPACE, WB_DELIM_AUTO};
    for (int i = 0; i < 5; i++) {
        c = defaults();
        c.delimiter = fine[i];
        assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &r), WB_OK);
        wb_reader_free(r);
    }
    uint64_t n = 7, a = 7, j = 7;
    wb_reader_counts(NULL, &n, &a, &j);
    assert_true(n == 0 && a == 0 && j == 0);
    wb_reader_counts(NULL, NULL, NULL, NULL);
    assert_int_equal(wb_reader_config_init(NULL), WB_EMISUSE);
    assert_int_equal(wb_reader_feed(NULL, "x", 1), WB_EMISUSE);
    assert_int_equal(wb_reader_finish(NULL), WB_EMISUSE);
    wb_reader_free(NULL);
}

/* An allocator that fails its n-th allocation. */
static long calls, fail_at;
static void *f_alloc(void *ud, size_t size)
{
    (void)ud;
    return ++calls == fail_at ? NULL : malloc(size);
}
static void *f_realloc(void *ud, void *p, size_t old, size_t size)
{
    (void)ud;
    (void)old;
    return ++calls == fail_at ? NULL : realloc(p, size);
}
static void f_free(void *ud, void *p, size_t size)
{
    (void)ud;
    (void)size;
    free(p);
}

static void allocation_failures(void **state)
{
    wb_reader_config c = defaults();
    wb_allocator a = {f_alloc, f_realloc, f_free, NULL};
    wb_reader *r = NULL;
    static got g;
    (void)state;
    /* The reader makes two allocations, both in wb_reader_new. */
    for (fail_at = 1; fail_at <= 2; fail_at++) {
        calls = 0;
        assert_int_equal(wb_reader_new(&c, &a, collect, &g, &r), WB_ENOMEM);
    }
    calls = 0;
    fail_at = 3;
    assert_int_equal(wb_reader_new(&c, &a, collect, &g, &r), WB_OK);
    assert_int_equal(wb_reader_feed(r, "id,date,amount\nA,2024-01-01,1\n", 30), WB_OK);
    assert_int_equal(wb_reader_finish(r), WB_OK);
    assert_int_equal(calls, 2);              /* nothing more while reading */
    wb_reader_free(r);
    wb_allocator half = {f_alloc, f_realloc, NULL, NULL};
    assert_int_equal(wb_reader_new(&c, &half, collect, &g, &r), WB_EINVAL);
}

static void delimiter_detection(void **state)
{
    wb_reader_config c = defaults();
    static got g;
    g.stop_at = 0;
    (void)state;
    /* More semicolons than commas outside quotes: semicolons win. */
    assert_int_equal(read_text(&c, "\"a,b,c\";date;amount\nX;2024-01-01;1,5\n", 4, &g), WB_EHEADER);
    assert_int_equal(read_text(&c, "id;date;amount;x,y\nX;2024-01-01;1,5;q\n", 4, &g), WB_OK);
    assert_int_equal(g.r[0].amount, 150);
    /* A quote that opens a header field and never closes: a bad header. */
    assert_int_equal(read_text(&c, "\"id,date,amount\nA,2024-01-01,1\n", 4, &g), WB_EHEADER);
}

/* The fast path reads a whole quote-free line in place; these are the
 * lines it hands back to the byte loop or must treat alike: more fields
 * than the reader keeps, a quote left open at the very end, a line that
 * ends in a later chunk. Every chunking gives the same rows. */
static void fast_path_edges(void **state)
{
    static char wide[2048];
    size_t used = (size_t)snprintf(wide, sizeof wide, "id,date,amount\nA7,2024-01-02,3.50");
    for (int k = 0; k < 300; k++)                 /* 303 fields: the first 256 kept */
        used += (size_t)snprintf(wide + used, sizeof wide - used, ",x");
    snprintf(wide + used, sizeof wide - used, "\nB8,2024-01-03,1.00\n");
    static got whole, g;      /* zeroed: stop_at 0 never stops */
    wb_reader_config c = defaults();
    (void)state;
    same_in_every_chunking(&c, wide, &whole, &g);
    assert_int_equal(whole.n, 2);
    assert_int_equal(whole.r[0].reject, WB_REJECT_NONE);
    assert_string_equal(whole.id[0], "A7");
    assert_int_equal(whole.r[0].amount, 350);
    assert_int_equal(whole.r[1].line, 3);
    /* A quote still open when the input ends, without a final newline. */
    const char *open_end = "id,date,amount\nA7,2024-01-02,3.50\n\"B8,2024-01-03,1.00";
    same_in_every_chunking(&c, open_end, &whole, &g);
    assert_int_equal(whole.n, 2);
    assert_int_equal(whole.r[1].reject, WB_REJECT_QUOTE);
    assert_int_equal(whole.r[1].line, 3);
}

/* Rows as "id|day|amount" or "!reason", one string, for comparing two
 * readings whatever their order. */
static void row_key(const wb_record *r, const char *id, char *out, size_t size)
{
    if (r->reject != WB_REJECT_NONE)
        snprintf(out, size, "!%d", (int)r->reject);
    else
        snprintf(out, size, "%s|%d|%lld", id, (int)r->day, (long long)r->amount);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The log read whole, and read in two at every line break the first
 * reader ended a record at: the same rows, counted once each; where the
 * first reader holds part of a record, wb_reader_pending says so. */
static void split_reading_is_whole_reading(void **state)
{
    static const char *const logs[] = {
        "customer_id;date;amount\n7;2024-01-02;1,50\n8;2024-01-03;2\n"
        "9;bad;3\n\n10;2024-02-01;4,25\n11;2024-02-02;5",
        "x\tdate\tvalue\tid\n0\t2024-03-01\t9.5\tA\n0\t2024-03-02\t-1\tB\n"
        "0\t2024-03-03\t2\t\"C\nD\"\n0\t2024-03-04\t3\tE\n",
    };
    static got whole, left, right;
    char keys[2][MAXR][96];
    wb_reader_config c = defaults();
    (void)state;
    for (size_t t = 0; t < sizeof logs / sizeof logs[0]; t++) {
        const char *log = logs[t];
        size_t len = strlen(log), header = (size_t)(strchr(log, '\n') - log) + 1;
        assert_int_equal(read_text(&c, log, len, &whole), WB_OK);
        for (size_t at = header; at <= len; at++) {
            if (log[at - 1] != '\n' && at != len)
                continue;
            wb_reader *a, *b;
            memset(&left, 0, sizeof left);
            memset(&right, 0, sizeof right);
            assert_int_equal(wb_reader_new(&c, NULL, collect, &left, &a), WB_OK);
            assert_int_equal(wb_reader_feed(a, log, header), WB_OK);
            assert_int_equal(wb_reader_pending(a), 0);
            assert_int_equal(wb_reader_split(a, collect, &right, &b), WB_OK);
            assert_int_equal(wb_reader_feed(a, log + header, at - header), WB_OK);
            /* Pending: inside the quoted "C\nD", or the last line, which
             * has no line break (finish reads it). */
            if (wb_reader_pending(a) != 0 && at < len) {
                assert_true(t == 1 && log[at - 2] == 'C');
                wb_reader_free(a);
                wb_reader_free(b);
                continue;
            }
            assert_int_equal(wb_reader_finish(a), WB_OK);
            assert_int_equal(wb_reader_feed(b, log + at, len - at), WB_OK);
            assert_int_equal(wb_reader_finish(b), WB_OK);
            uint64_t n[2], acc[2], rej[2];
            wb_reader_counts(a, &n[0], &acc[0], &rej[0]);
            wb_reader_counts(b, &n[1], &acc[1], &rej[1]);
            assert_true(n[0] + n[1] == whole.n && n[0] == left.n && n[1] == right.n);
            for (size_t i = 0; i < whole.n; i++) {
                row_key(&whole.r[i], whole.id[i], keys[0][i], sizeof keys[0][i]);
                const got *g = i < left.n ? &left : &right;
                size_t k = i < left.n ? i : i - left.n;
                row_key(&g->r[k], g->id[k], keys[1][i], sizeof keys[1][i]);
            }
            qsort(keys[0], whole.n, sizeof keys[0][0], by_string);
            qsort(keys[1], whole.n, sizeof keys[1][0], by_string);
            for (size_t i = 0; i < whole.n; i++)
                assert_string_equal(keys[0][i], keys[1][i]);
            wb_reader_free(a);
            wb_reader_free(b);
        }
    }
}

/* The short-line path (SSE2 hosts) looks at 64 bytes at once and takes a
 * plain line whole; fed 1 to 9 bytes at a time the reader never has 64
 * bytes in view and goes the general way. Each log of short lines of
 * every awkward kind -- CRLF, blank, spaces or tabs to trim, quotes, too
 * few or too many fields, bad fields, a line break at byte 62, 63, 64 and
 * 65 of a line -- gives the same rows, field for field, either way. */
static void short_lines_read_alike(void **state)
{
    static const char *const logs[] = {
        "id,date,amount\n"
        "A1,2024-01-02,3.50\n" "A2,2024-01-03,4\r\n" "\n" "\r\n" " A3 , 2024-01-04 , 5.25 \n"
        "A4,\t2024-01-05,1\n" "\"A5\",2024-01-06,2\n" "A6,2024-01-07\n" "A7,2024-01-08,9,x\n"
        "A8,2024-01-09,x\n" ",2024-01-10,1\n" "A9,,1\n" "B1,2024-01-11,\n" "B2,2024-13-01,1\n"
        "B3,2024-01-12,-1\n" "B4,2024-01-12,1.234\n"
        "B5,2024-01-13,1.00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"      /* LF at 61 */
        "B6,2024-01-13,1.00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"     /* 62 */
        "B7,2024-01-13,1.00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"    /* 63 */
        "B8,2024-01-13,1.00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"   /* 64 */
        "B9,2024-01-13,1.00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
        "C1,2024-01-14,7 \n" "C2,2024-01-14,\"8\"\n" "C3,2024-01-14,9\n" "C4,2024-01-15,10\n"
        "C5,2024-01-16,11\n" "C6,2024-01-17,12\n" "C7,2024-01-18,13\n" "C8,2024-01-19,14\n",
        "id\tdate\tamount\n"
        "T1\t2024-02-01\t1.5\n" "T2 \t2024-02-02\t2\n" "T3\t2024-02-03\t3\t\n" "\t\t\n"
        "T4\t2024-02-04\t4\n" "T5\t2024-02-05\t5\n" "T6\t2024-02-06\t6\n" "T7\t2024-02-07\t7\n"
        "T8\t2024-02-08\t8\n" "T9\t2024-02-09\t9\n",
        "id;date;amount\n"
        "S1;2024-03-01;1,25\n" "S2;2024-03-02;2,5\n" "S3;2024-03-03; 3\n" "S4;2024-03-04;4\n"
        "S5;2024-03-05;5\n" "S6;2024-03-06;6\n" "S7;2024-03-07;7\n" "S8;2024-03-08;8\n",
    };
    static got whole, g;
    wb_reader_config c = defaults();
    (void)state;
    for (size_t t = 0; t < sizeof logs / sizeof logs[0]; t++) {
        assert_int_equal(read_text(&c, logs[t], strlen(logs[t]), &whole), WB_OK);
        assert_true(whole.n >= 8 && whole.n <= MAXR);
        for (size_t chunk = 1; chunk <= 9; chunk++) {
            assert_int_equal(read_text(&c, logs[t], chunk, &g), WB_OK);
            assert_int_equal(g.n, whole.n);
            for (size_t i = 0; i < g.n; i++) {
                assert_int_equal(g.r[i].line, whole.r[i].line);
                assert_int_equal(g.r[i].reject, whole.r[i].reject);
                assert_int_equal(g.r[i].day, whole.r[i].day);
                assert_int_equal(g.r[i].amount, whole.r[i].amount);
                assert_string_equal(g.id[i], whole.id[i]);
            }
        }
    }
    /* What the rows are, read whole: spaces trimmed, CRLF and a quoted
     * field as in the general path, a long line at the 64-byte edge. */
    assert_int_equal(read_text(&c, logs[0], strlen(logs[0]), &whole), WB_OK);
    assert_string_equal(whole.id[1], "A2");
    assert_int_equal(whole.r[1].amount, 400);
    assert_string_equal(whole.id[2], "A3");
    assert_int_equal(whole.r[2].amount, 525);
    assert_int_equal(whole.r[2].line, 6);
    assert_string_equal(whole.id[4], "A5");
    assert_int_equal(whole.r[5].reject, WB_REJECT_FIELDS);
    assert_string_equal(whole.id[6], "A7");
    assert_int_equal(whole.r[7].reject, WB_REJECT_AMOUNT);
    for (size_t i = 14; i <= 18; i++)               /* B5..B9 */
        assert_int_equal(whole.r[i].reject, WB_REJECT_NONE);
    assert_int_equal(whole.r[18].amount, 100);
    assert_int_equal(whole.r[18].line, 22);
    assert_int_equal(whole.r[19].amount, 700);     /* "7 " */
    assert_int_equal(whole.r[20].amount, 800);     /* "\"8\"" */
    assert_int_equal(whole.r[26].line, 30);
}

/* Amounts as the reader takes them from plain short lines (its own
 * plain-amount path, and short_line's on SSE2 hosts): the value a plain
 * amount has by definition, and for other texts what wb_amount_parse
 * makes of them, over every text of up to 5 bytes over "019.x-", of 6
 * over "09.x", and 50 000 of 6 to 9 bytes, mostly digits, at 0, 2 and 9
 * decimals. */
#define AMOUNT_TEXTS 70000

typedef struct amount_texts {
    char text[AMOUNT_TEXTS][12];
    size_t n, seen;
    int32_t decimals;
    int wrong;              /* 1 + the first text read otherwise, or 0 */
} amount_texts;

static void add_amount(amount_texts *t, const char *s, size_t len)
{
    memcpy(t->text[t->n], s, len);
    t->text[t->n++][len] = '\0';
}

static void every_text(amount_texts *t, const char *alphabet, size_t len)
{
    size_t k = strlen(alphabet), count = 1;
    char s[12];
    for (size_t i = 0; i < len; i++)
        count *= k;
    for (size_t c = 0; c < count; c++) {
        for (size_t i = 0, v = c; i < len; i++, v /= k)
            s[i] = alphabet[v % k];
        add_amount(t, s, len);
    }
}

/* A plain amount's value by the definition, written apart from the
 * library's: digits and at most one '.', neither first nor last; -2 with
 * more than `decimals` digits after it, -1 for any other text. */
static int64_t plain_value(const char *s, int32_t decimals)
{
    size_t n = strlen(s), dot = 0;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' && dot == 0 && i > 0 && i + 1 < n)
            dot = i;
        else if (s[i] >= '0' && s[i] <= '9')
            v = v * 10 + (s[i] - '0');
        else
            return -1;
    }
    int32_t frac = dot > 0 ? (int32_t)(n - 1 - dot) : 0;
    if (frac > decimals)
        return -2;
    for (int32_t k = frac; k < decimals; k++)
        v *= 10;
    return v;
}

/* Each row as the text says: a plain amount accepted with its value (or
 * rejected for its precision); anything else as wb_amount_parse has it. */
static int check_amount(void *ud, const wb_record *rec)
{
    amount_texts *t = ud;
    const char *s = t->text[t->seen];
    int64_t v = plain_value(s, t->decimals);
    int ok = v >= 0;
    if (v == -1)
        ok = wb_amount_parse(s, strlen(s), t->decimals, 0, &v) == WB_OK && v >= 0;
    int same = ok ? rec->reject == WB_REJECT_NONE && rec->amount == v
                  : rec->reject != WB_REJECT_NONE;
    if (!same && !t->wrong)
        t->wrong = 1 + (int)t->seen;
    t->seen++;
    return 0;
}

static void amounts_read_by_definition(void **state)
{
    static amount_texts t;
    static const char more[] = "0123456789012345678901234567890123456789..x-";
    static const int32_t decimals[] = {0, 2, 9};
    unsigned seed = 18;
    (void)state;
    t.n = 0;
    for (size_t len = 1; len <= 5; len++)
        every_text(&t, "019.x-", len);
    every_text(&t, "09.x", 6);
    while (t.n < AMOUNT_TEXTS) {
        char s[12];
        size_t len = 6 + (size_t)rand_r(&seed) % 4;
        for (size_t i = 0; i < len; i++)
            s[i] = more[(size_t)rand_r(&seed) % (sizeof more - 1)];
        add_amount(&t, s, len);
    }
    size_t cap = 16 + t.n * 32, used = 0;
    char *log = malloc(cap);
    assert_non_null(log);
    used += (size_t)snprintf(log, cap, "id,date,amount\n");
    for (size_t i = 0; i < t.n; i++)
        used += (size_t)snprintf(log + used, cap - used, "c%zu,2024-01-02,%s\n", i % 97,
                                 t.text[i]);
    for (size_t d = 0; d < sizeof decimals / sizeof decimals[0]; d++) {
        wb_reader_config c = defaults();
        wb_reader *r;
        c.decimals = decimals[d];
        t.decimals = decimals[d];
        t.seen = 0;
        t.wrong = 0;
        assert_int_equal(wb_reader_new(&c, NULL, check_amount, &t, &r), WB_OK);
        assert_int_equal(wb_reader_feed(r, log, used), WB_OK);
        assert_int_equal(wb_reader_finish(r), WB_OK);
        wb_reader_free(r);
        assert_int_equal(t.seen, t.n);
        if (t.wrong)
            fail_msg("amount \"%s\" at %d decimals", t.text[t.wrong - 1], (int)t.decimals);
    }
    free(log);
}

/* A split needs a reader that has settled its columns, and fails no
 * other way than its allocator. */
static void split_misuse(void **state)
{
    static got g;
    wb_reader *a, *b = NULL;
    wb_reader_config c = defaults();
    (void)state;
    assert_int_equal(wb_reader_pending(NULL), 0);
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &a), WB_OK);
    assert_int_equal(wb_reader_split(a, collect, &g, &b), WB_EMISUSE);  /* no header yet */
    assert_int_equal(wb_reader_feed(a, "id,date,amount\n1,2024-01-01", 27), WB_OK);
    assert_int_equal(wb_reader_pending(a), 12);       /* "1,2024-01-01" */
    assert_int_equal(wb_reader_split(NULL, collect, &g, &b), WB_EMISUSE);
    assert_int_equal(wb_reader_split(a, NULL, &g, &b), WB_EMISUSE);
    assert_int_equal(wb_reader_split(a, collect, &g, NULL), WB_EMISUSE);
    assert_int_equal(wb_reader_split(a, collect, &g, &b), WB_OK);
    wb_reader_free(b);
    wb_reader_free(a);
    assert_int_equal(wb_reader_new(&c, NULL, collect, &g, &a), WB_OK);
    assert_int_equal(wb_reader_feed(a, "id,date\n", 8), WB_EHEADER);
    assert_int_equal(wb_reader_split(a, collect, &g, &b), WB_EMISUSE);  /* failed */
    wb_reader_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_basics_in_every_chunking),
        cmocka_unit_test(short_lines_read_alike),
        cmocka_unit_test(amounts_read_by_definition),
        cmocka_unit_test(crlf_bom_and_no_final_newline),
        cmocka_unit_test(empty_and_header_only),
        cmocka_unit_test(rfc4180_quotes),
        cmocka_unit_test(semicolon_tab_and_decimal_comma),
        cmocka_unit_test(whitespace_columns_like_cdnow),
        cmocka_unit_test(every_rejection_reason),
        cmocka_unit_test(record_too_long),
        cmocka_unit_test(stray_quote_resynchronises),
        cmocka_unit_test(quoted_line_breaks_are_bounded),
        cmocka_unit_test(byte_limit_is_one_for_lf_and_crlf),
        cmocka_unit_test(tab_before_a_quote),
        cmocka_unit_test(ambiguous_header_is_refused),
        cmocka_unit_test(latest_day_rejects_the_future),
        cmocka_unit_test(header_errors_and_stopping),
        cmocka_unit_test(config_errors),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(delimiter_detection),
        cmocka_unit_test(fast_path_edges),
        cmocka_unit_test(split_reading_is_whole_reading),
        cmocka_unit_test(split_misuse),
    };
    return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
