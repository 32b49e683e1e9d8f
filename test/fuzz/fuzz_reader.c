/*
 * fuzz_reader.c -- the log reader on arbitrary bytes in arbitrary chunks.
 *
 * The first bytes choose the configuration and the chunk size. Properties:
 * no crash; every reported row is either accepted with a valid id, day and
 * amount, or rejected with a known reason; read = accepted + rejected; no
 * record spans more than WB_RECORD_LINES_MAX lines or WB_LINE_MAX bytes,
 * and records come in line order without overlapping (a quote left open
 * cannot swallow lines); the rows reported do not depend on how the input
 * was cut into chunks; and read in two by a split reader (wb_reader_split)
 * at a line break where the first reader holds nothing (wb_reader_pending),
 * the input gives the same rows as read whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winback/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct digest {
    uint64_t h, rows;
    uint64_t next_line;     /* the first line the next record may start on */
    int32_t latest;         /* the config's latest_day */
} digest;

static void mix(digest *d, uint64_t v)
{
    d->h = (d->h ^ v) * 0x100000001b3u;
}

static int on_row(void *ud, const wb_record *r)
{
    digest *d = ud;
    if (r->reject < WB_REJECT_NONE || r->reject > WB_REJECT_FUTURE) abort();
    if (r->reject == WB_REJECT_NONE) {
        if (d->latest != WB_DAY_NONE && r->day > d->latest) abort();
        if (r->id_len == 0 || r->id_len > WB_ID_MAX || r->amount < 0 ||
            r->day < WB_DAY_MIN || r->day > WB_DAY_MAX)
            abort();
        for (size_t i = 0; i < r->id_len; i++) mix(d, (uint8_t)r->id[i]);
        mix(d, (uint64_t)r->day);
        mix(d, (uint64_t)r->amount);
    }
    if (r->line < d->next_line) abort();            /* records overlap */
    if (r->text_len > WB_LINE_MAX) abort();
    uint64_t breaks = 0;
    for (size_t i = 0; i < r->text_len; i++) breaks += r->text[i] == '\n';
    if (r->reject != WB_REJECT_TOO_LONG && breaks + 1 > WB_RECORD_LINES_MAX) abort();
    d->next_line = r->line + breaks + 1;
    mix(d, r->line);
    mix(d, (uint64_t)r->reject);
    d->rows++;
    return 0;
}

/* Reads the input in chunks of `chunk` bytes; returns the status. */
static int run(const wb_reader_config *cfg, const char *text, size_t n,
               size_t chunk, digest *d)
{
    wb_reader *r;
    uint64_t read, acc, rej;
    memset(d, 0, sizeof *d);
    d->latest = cfg->latest_day;
    if (wb_reader_new(cfg, NULL, on_row, d, &r) != WB_OK) abort();
    int rc = WB_OK;
    for (size_t i = 0; i < n && rc == WB_OK; i += chunk)
        rc = wb_reader_feed(r, text + i, n - i < chunk ? n - i : chunk);
    if (rc == WB_OK) rc = wb_reader_finish(r);
    wb_reader_counts(r, &read, &acc, &rej);
    if (read != acc + rej || read != d->rows) abort();
    wb_reader_free(r);
    return rc;
}

/* The rows as a multiset, without their lines (a split reader's lines go
 * on from its first reader's, not from the cut): a sum of row hashes. */
typedef struct bag {
    uint64_t sum, rows;
} bag;

static int into_bag(void *ud, const wb_record *r)
{
    bag *b = ud;
    digest d = {0xcbf29ce484222325u, 0, 0, 0};
    mix(&d, (uint64_t)r->reject);
    if (r->reject == WB_REJECT_NONE) {
        for (size_t i = 0; i < r->id_len; i++) mix(&d, (uint8_t)r->id[i]);
        mix(&d, (uint64_t)r->day);
        mix(&d, (uint64_t)r->amount);
    }
    b->sum += d.h ^ (d.h >> 29);
    b->rows++;
    return 0;
}

static int feed_all(wb_reader *r, const char *text, size_t n, int finish)
{
    int rc = n > 0 ? wb_reader_feed(r, text, n) : WB_OK;
    return rc == WB_OK && finish ? wb_reader_finish(r) : rc;
}

/* Read whole, and in two at the first line break at or after `at`: the
 * same bag of rows, whenever the first line settled the reader and the
 * first part ends where a record ends. */
static void split_agrees(const wb_reader_config *cfg, const char *text, size_t n,
                         size_t at)
{
    bag whole = {0, 0}, two = {0, 0};
    wb_reader *r, *first, *second = NULL;
    const char *nl = memchr(text, '\n', n);
    if (wb_reader_new(cfg, NULL, into_bag, &whole, &r) != WB_OK) abort();
    int rc = feed_all(r, text, n, 1);
    wb_reader_free(r);
    if (rc != WB_OK || nl == NULL)
        return;
    size_t head = (size_t)(nl - text) + 1, cut = at > head ? at : head;
    const char *next = cut < n ? memchr(text + cut, '\n', n - cut) : NULL;
    cut = next != NULL ? (size_t)(next - text) + 1 : n;
    if (wb_reader_new(cfg, NULL, into_bag, &two, &first) != WB_OK) abort();
    if (feed_all(first, text, head, 0) != WB_OK) abort();   /* whole read it */
    if (wb_reader_split(first, into_bag, &two, &second) == WB_OK &&
        feed_all(first, text + head, cut - head, 0) == WB_OK &&
        wb_reader_pending(first) == 0) {
        if (feed_all(first, NULL, 0, 1) != WB_OK) abort();
        if (feed_all(second, text + cut, n - cut, 1) != WB_OK) abort();
        uint64_t rd[2], acc[2], rej[2];
        wb_reader_counts(first, &rd[0], &acc[0], &rej[0]);
        wb_reader_counts(second, &rd[1], &acc[1], &rej[1]);
        if (rd[0] + rd[1] != two.rows || two.rows != whole.rows || two.sum != whole.sum)
            abort();
    }
    wb_reader_free(second);
    wb_reader_free(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int32_t delims[] = {WB_DELIM_AUTO, ',', ';', '\t', WB_DELIM_WHITESPACE};
    wb_reader_config cfg;
    digest whole, pieces;
    if (size < 3) return 0;
    if (wb_reader_config_init(&cfg) != WB_OK) abort();
    cfg.delimiter = delims[data[0] % 5];
    cfg.header = data[0] & 8 ? 0 : 1;
    cfg.decimals = data[1] % 4;
    cfg.amount_flags = data[1] & 16 ? WB_AMOUNT_ROUND : 0;
    cfg.id_column = data[2] % 4;
    cfg.date_column = (data[2] >> 2) % 4;
    cfg.amount_column = (data[2] >> 4) % 4;
    /* Sometimes a latest day, 2024-01-01: later rows are rejected. */
    cfg.latest_day = data[1] & 32 ? 19723 : WB_DAY_NONE;
    size_t chunk = 1 + data[2] % 7;
    const char *text = (const char *)data + 3;
    int a = run(&cfg, text, size - 3, size, &whole);
    int b = run(&cfg, text, size - 3, chunk, &pieces);
    if (a != b || whole.h != pieces.h || whole.rows != pieces.rows) abort();
    split_agrees(&cfg, text, size - 3, (size - 3) * data[2] / 255);
    return 0;
}
