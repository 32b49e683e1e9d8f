/*
 * load.c -- a purchase log into a finished ledger, accounting for every row.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

#define CHUNK (1u << 20)
#define BATCH 4096         /* rows handed to the ledger at once */
#define STOP_STRICT 1000   /* callback value that stops the reader */
#define STOP_LEDGER 1001
#define STOP_UTF16 1002    /* the log is UTF-16 text */
#define EXIT_IO_REJECTS 1003  /* the rejects file could not be written */
#define STOP_SPLIT 1005    /* a range began inside a quoted field */
#define STOP_FULL 1006     /* more rows than a ledger holds */
/* Log bytes per ledger part when rows are held (see part_count). */
#define PART_LOG_BYTES (1LL << 20)
#define PARTS_MAX 512u
/* Bytes of rows the threads hold at most before they meet to add them,
 * without WINBACK_HOLD_MAX (see hold_budget). */
#define HOLD_MAX_DEFAULT (1ULL << 30)

typedef struct sink {
    wb_ledger *ledger;
    FILE *rejects;
    const char *log;
    int strict;
    int32_t cutoff;        /* rows after it are left out: the calibration
                              end (fit) or the as-of day (plan, summary) */
    uint64_t left_out;     /* accepted rows left out for that */
    uint64_t future;       /* rows rejected as dated after today */
    int ledger_status;     /* a failure of the ledger itself */
    wb_header_info header; /* the header's columns, for its error message */
    int read_errno;        /* why the log could not be read */
    size_t pending;        /* rows in batch[] not yet in the ledger */
    uint64_t refused;      /* rows the reader accepted and the ledger did not */
    const row_hook *hook;  /* also sees every row the ledger took, or NULL */
    int part;              /* the ledger part being added to; -1: any */
    spill *spills;         /* rows held by part (nspills: one a part), to
                              be added part by part; NULL: rows go
                              straight to the ledger */
    unsigned nspills;
    meeting *meet;         /* with spills: where the threads meet to add */
    struct worker *self;   /* the worker this sink is, for its meetings */
    uint64_t held, budget; /* bytes held since the last meeting, and the
                              most before asking for one */
    wb_purchase batch[BATCH];
    uint64_t lines[BATCH];
    uint8_t taken[BATCH];  /* 0: the ledger refused the row */
    char ids[BATCH][WB_ID_MAX];
} sink;

static void write_reject_text(FILE *f, uint64_t line, const char *reason,
                              const char *text, size_t len);

/* Hands the pending rows to the ledger in one call, so that it can overlap
 * their hash lookups (wb_ledger_add_many). A row that would take its
 * customer's total past the 64-bit money type is refused on its own --
 * counted and reported with its line, the customer id as its text -- and
 * the rest go on; running out of memory stops the run. */
static void show_hook(const sink *s)
{
    for (size_t i = 0; s->hook != NULL && i < s->pending; i++)
        if (s->taken[i])
            s->hook->fn(s->hook->ud, s->batch[i].id, s->batch[i].id_len,
                        s->batch[i].day, s->batch[i].amount);
}

/* Adds rows[0..n) to the sink's part (or the whole ledger). */
static int add_rows(sink *s, const wb_purchase *rows, size_t n, size_t *added)
{
    return s->part < 0 ? wb_ledger_add_many(s->ledger, rows, n, added)
                       : wb_ledger_add_part(s->ledger, (unsigned)s->part, rows, n, added);
}

/* Adds rows[0..n), refusing one by one those that would take a total past
 * the money type; lines[] (NULL for rows another thread read) name them
 * in the rejects file. taken[] marks each row added or not. */
static int add_checked(sink *s, const wb_purchase *rows, size_t n,
                       const uint64_t *lines, uint8_t *taken)
{
    size_t done = 0;
    memset(taken, 1, n);
    while (done < n) {
        size_t added = 0;
        int rc = add_rows(s, rows + done, n - done, &added);
        if (rc == WB_OK)
            break;
        done += added;
        if (rc != WB_ERANGE) {
            s->ledger_status = rc;
            return STOP_LEDGER;
        }
        const wb_purchase *p = &rows[done];
        uint64_t line = lines != NULL ? lines[done] : 0;
        s->refused++;
        taken[done] = 0;
        if (s->rejects != NULL)
            write_reject_text(s->rejects, line, "customer total out of range",
                              p->id, p->id_len);
        if (s->strict) {
            fprintf(stderr, "winback: %s:%llu: customer %.*s: total beyond the "
                    "64-bit money type\n", s->log, (unsigned long long)line,
                    (int)p->id_len, p->id);
            return STOP_STRICT;
        }
        done++;
    }
    return 0;
}

static int flush(sink *s)
{
    int rc = add_checked(s, s->batch, s->pending, s->lines, s->taken);
    if (rc == 0)
        show_hook(s);
    s->pending = 0;
    return rc;
}

/* "line TAB reason TAB text": one line per reject whatever the text
 * holds; in the text a backslash, tab, CR and LF are written \\ \t \r \n
 * (as PostgreSQL's COPY text format does), and a NUL \0. */
static void write_reject_text(FILE *f, uint64_t line, const char *reason,
                              const char *text, size_t len)
{
    fprintf(f, "%llu\t%s\t", (unsigned long long)line, reason);
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (text[i]) {
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        case '\n': esc = "\\n"; break;
        case '\0': esc = "\\0"; break;
        default: break;
        }
        if (esc != NULL) fputs(esc, f);
        else fputc(text[i], f);
    }
    fputc('\n', f);
}

static void write_reject(sink *s, const wb_record *r)
{
    if (s->rejects != NULL)
        write_reject_text(s->rejects, r->line, wb_reject_name(r->reject), r->text,
                          r->text_len);
}

static int add_share(void *arg);

static int on_record(void *ud, const wb_record *r)
{
    sink *s = ud;
    if (r->reject != WB_REJECT_NONE) {
        s->future += r->reject == WB_REJECT_FUTURE;
        write_reject(s, r);
        if (s->strict) {
            fprintf(stderr, "winback: %s:%llu: %s\n", s->log,
                    (unsigned long long)r->line, wb_reject_name(r->reject));
            return STOP_STRICT;
        }
        return 0;
    }
    if (s->cutoff != WB_DAY_NONE && r->day > s->cutoff) {
        s->left_out++;                  /* accepted, but not for this run */
        return 0;
    }
    if (s->spills != NULL) {
        unsigned to = wb_ledger_part_of(s->ledger, r->id, r->id_len);
        size_t took = spill_row(&s->spills[to], r->id, r->id_len, r->day, r->amount);
        if (took == 0) {
            s->ledger_status = WB_ENOMEM;
            return STOP_LEDGER;
        }
        s->held += took;
        if (s->held < s->budget && !meeting_wanted(s->meet))
            return 0;
        return meeting_hold(s->meet, add_share, s->self);
    }
    /* The record's bytes live only during this call: keep a copy. */
    wb_purchase *p = &s->batch[s->pending];
    memcpy(s->ids[s->pending], r->id, r->id_len);
    p->id = s->ids[s->pending];
    p->id_len = r->id_len;
    p->day = r->day;
    p->reserved = 0;
    p->amount = r->amount;
    s->lines[s->pending] = r->line;
    return ++s->pending < BATCH ? 0 : flush(s);
}

/* Progress is shown on a terminal for logs of 64 MiB and more. */
static int shows_progress(long long size)
{
    return size >= (64LL << 20) && isatty(2);
}

static void progress(const char *doing, long long done, long long total, int *last)
{
    int pct = total > 0 ? (int)(done * 100 / total) : 0;
    if (pct != *last) {
        fprintf(stderr, "\rwinback: %s %3d%%", doing, pct);
        *last = pct;
    }
}

/* A UTF-16 byte order mark, either way round: the reader reads bytes as
 * UTF-8 or ASCII, and every row would be rejected for reasons that do not
 * say why. */
static int utf16(const char *buf, size_t n)
{
    const unsigned char *b = (const unsigned char *)buf;
    return n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
}

/* Feeds the reader the log's bytes from `from` (the stream's position
 * for 0) up to `to` (-1: the end), and for the end, ends its input. On a
 * read error, errno says why (the caller reports it). */
static int feed_file(FILE *in, long long from, long long to, long long size,
                     wb_reader *reader, int may_show)
{
    char *buf = malloc(CHUNK);
    long long done = 0, want = to < 0 ? -1 : to - from;
    int last = -1, rc = WB_OK, show = may_show && shows_progress(size);
    if (buf == NULL)
        return WB_ENOMEM;
    if (from > 0 && fseeko(in, (off_t)from, SEEK_SET) != 0)
        rc = WB_EIO;
    while (rc == WB_OK) {
        size_t ask = want < 0 || want - done > CHUNK ? CHUNK : (size_t)(want - done);
        size_t n = ask > 0 ? fread(buf, 1, ask, in) : 0;
        if (from == 0 && done == 0 && utf16(buf, n)) {
            rc = STOP_UTF16;
            break;
        }
        if (n > 0 && (rc = wb_reader_feed(reader, buf, n)) != WB_OK)
            break;
        done += (long long)n;
        if (show)
            progress("reading", done, want < 0 ? size : want, &last);
        if (n < ask || ask == 0) {
            rc = ferror(in) ? WB_EIO : want < 0 ? wb_reader_finish(reader) : WB_OK;
            break;
        }
    }
    if (show)
        fputc('\n', stderr);
    free(buf);
    return rc;
}

/* Worker 0's progress while its range is mapped. */
typedef struct range_progress {
    long long total;
    int last;
} range_progress;

static void show_range(void *ud, long long done)
{
    range_progress *p = ud;
    progress("reading", done, p->total, &p->last);
}

/* The range [from, to) (to -1: the end) through mmap windows (mapped.c),
 * up to the size the log had when opened; then the rest, if the log grew
 * since, and the end, as feed_file reads them. A log that cannot be
 * mapped is read by feed_file. */
static int feed_range(FILE *in, long long from, long long to, long long size,
                      wb_reader *reader, int may_show)
{
    long long end = to < 0 ? size : to;
    range_progress p = {end - from, -1};
    mapped_progress show = {show_range, &p};
    int shows = may_show && shows_progress(size);
    int rc = feed_mapped(fileno(in), from, end, reader, shows ? &show : NULL);
    if (shows && rc != MAPPED_NONE)
        fputc('\n', stderr);
    if (rc == MAPPED_NONE)
        return feed_file(in, from, to, size, reader, may_show);
    if (rc == WB_OK && to < 0)
        rc = feed_file(in, end, -1, size, reader, 0);
    return rc;
}

/* Opens the log; a directory is refused here (fopen would take it). On
 * WB_EIO, errno says why. */
static int open_log(const char *path, FILE **in, long long *size)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        *in = stdin;
        *size = 0;
        return WB_OK;
    }
    *in = fopen(path, "rb");
    if (*in == NULL)
        return WB_EIO;
    if (fstat(fileno(*in), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(*in);
        *in = NULL;
        errno = EISDIR;
        return WB_EIO;
    }
    *size = fstat(fileno(*in), &st) == 0 ? (long long)st.st_size : 0;
    return WB_OK;
}

/* Rows that are not in this run, said even under --quiet: data left out. */
static void report_left_out(const options *o, const sink *s, int32_t latest)
{
    char day[WB_DATE_BUFSIZE];
    if (s->left_out > 0 && o->command == CMD_FIT)
        fprintf(stderr, "winback: %llu accepted rows fall after the calibration "
                "end and are left out of the fit\n", (unsigned long long)s->left_out);
    else if (s->left_out > 0) {
        format_day(s->cutoff, day);
        fprintf(stderr, "winback: %llu accepted rows fall after the as-of day %s "
                "and are left out\n", (unsigned long long)s->left_out, day);
    }
    if (s->future > 0) {
        format_day(latest, day);
        fprintf(stderr, "winback: %llu rows are dated after today (%s) and were "
                "rejected as dated in the future; check their year, or give "
                "--as-of (--calibration-end for fit)\n",
                (unsigned long long)s->future, day);
    }
}

/* Says which role of the header has no column, or two. */
static void header_problem(const char *log, const wb_header_info *h)
{
    static const char *const role[3] = {"customer id", "date", "amount"};
    static const char *const option[3] = {"--id-col", "--date-col", "--amount-col"};
    for (int k = 0; k < 3; k++) {
        if (h->column[k] < 0)
            fprintf(stderr, "winback: %s: no column of the header names the %s; "
                    "name it with %s NAME\n", log, role[k], option[k]);
        else if (h->clash[k] >= 0)
            fprintf(stderr, "winback: %s: columns %d and %d of the header both "
                    "name the %s; choose one with %s NAME\n", log,
                    (int)h->column[k] + 1, (int)h->clash[k] + 1, role[k], option[k]);
    }
}

/* Maps the reader's outcome to an exit code, explaining it. */
static int outcome(const options *o, const sink *s, int rc)
{
    if (rc == WB_OK)
        return EXIT_OK;
    if (rc == STOP_STRICT)
        return EXIT_DATA;
    if (rc == STOP_LEDGER) {
        die_status("ledger", s->ledger_status);
        return s->ledger_status == WB_ENOMEM ? EXIT_INTERNAL : EXIT_DATA;
    }
    if (rc == WB_EHEADER) {
        header_problem(o->log, &s->header);
        return EXIT_DATA;
    }
    if (rc == STOP_FULL) {
        fprintf(stderr, "winback: %s: more than 2147483647 purchases were accepted, "
                "more than a ledger holds; split the log\n", o->log);
        return EXIT_DATA;
    }
    if (rc == STOP_UTF16) {
        fprintf(stderr, "winback: %s: the log is UTF-16 text (it starts with a "
                "UTF-16 byte order mark); convert it to UTF-8, for example with "
                "iconv -f UTF-16 -t UTF-8\n", o->log);
        return EXIT_DATA;
    }
    if (rc == WB_EIO) {
        fprintf(stderr, "winback: %s: cannot read: %s\n", o->log, strerror(s->read_errno));
        return EXIT_IO;
    }
    if (rc == MAPPED_CHANGED) {
        fprintf(stderr, "winback: %s: the log was cut short while it was read; "
                "run again once nothing writes it\n", o->log);
        return EXIT_IO;
    }
    die_status(o->log, rc);
    return EXIT_INTERNAL;
}

/* One thread's share of the load, in two steps. Reading: on several
 * threads each reads a byte range of the log (split reading); when a
 * range would begin inside a quoted field, or on one thread, worker 0
 * reads the whole log (whole reading) and accounts for every row. Worker
 * 0 shows the progress. Adding: with held rows (sink.spills), each worker
 * then adds the rows of its share of the ledger parts, as every worker
 * read them. */
typedef struct worker {
    sink *s;
    wb_reader_config cfg;
    wb_reader *reader;
    FILE *in;
    long long size;
    long long from, to;     /* split reading: the byte range; to -1: the end */
    struct worker *all;     /* every worker, for their held rows */
    unsigned k, n;          /* this worker, of n */
    uint64_t hold_max;      /* bytes all the workers may hold together */
    int rc;
} worker;

/* The end of a worker's reading: with held rows, the meetings it still
 * takes part in while others read. */
static void done_reading(worker *w)
{
    if (w->s->meet == NULL)
        return;
    int rc = meeting_done(w->s->meet, w->rc != WB_OK, add_share, w);
    if (w->rc == WB_OK)
        w->rc = rc;
}

static void read_whole(worker *w)
{
    w->rc = wb_reader_new(&w->cfg, NULL, on_record, w->s, &w->reader);
    if (w->rc == WB_OK)
        w->rc = feed_file(w->in, 0, -1, w->size, w->reader, 1);
    w->s->read_errno = errno;
    if (w->rc == WB_OK)
        w->rc = flush(w->s);
    done_reading(w);
}

static void *read_range(void *arg)
{
    worker *w = arg;
    w->rc = feed_range(w->in, w->from, w->to, w->size, w->reader, w->k == 0);
    w->s->read_errno = errno;
    /* A range must end where a record ends, or the next one began inside
     * it: that reading is void, and the log is read whole instead. */
    if (w->rc == WB_OK && w->to >= 0 && wb_reader_pending(w->reader) != 0)
        w->rc = STOP_SPLIT;
    if (w->rc == WB_OK && w->to >= 0)
        w->rc = wb_reader_finish(w->reader);
    done_reading(w);
    return NULL;
}

/* Adds the rows of part p that every worker held, worker by worker,
 * giving each worker's memory for them back as it goes. */
static int add_held(worker *w, unsigned p)
{
    sink *s = w->s;
    int rc = 0;
    s->part = (int)p;
    for (unsigned from = 0; from < w->n; from++) {
        spill *held = &w->all[from].s->spills[p];
        spill_cursor cur = spill_begin(held);
        size_t got;
        while (rc == 0 && (got = spill_read(&cur, s->batch, BATCH)) > 0)
            rc = add_checked(s, s->batch, got, NULL, s->taken);
        spill_free(held);
    }
    return rc;
}

/* Worker k adds parts k, k + step, ... from every worker's held rows:
 * each part's table stays in cache while its rows go in. With `show`,
 * the progress by this worker's parts. */
static int add_parts_of(worker *w, unsigned step, int show)
{
    unsigned parts = wb_ledger_parts(w->s->ledger);
    int rc = 0, last = -1;
    for (unsigned p = w->k; p < parts && rc == 0; p += step) {
        rc = add_held(w, p);
        if (show)
            progress("adding", p + step < parts ? p + step : parts, parts, &last);
    }
    if (show)
        fputc('\n', stderr);
    w->s->held = 0;
    return rc;
}

/* At a meeting, the share of worker k of the n that meet (meet_fn). */
static int add_share(void *arg)
{
    worker *w = arg;
    return add_parts_of(w, w->s->meet->n, 0);
}

/* Once every worker is done reading, the rows still held; worker 0
 * shows the progress. */
static void *add_parts(void *arg)
{
    worker *w = arg;
    w->rc = add_parts_of(w, w->n, w->k == 0 && shows_progress(w->size));
    return NULL;
}

/* Why the log is read on one thread, or NULL when it may take several:
 * the threads read the file by offset, and the rejects file and --strict
 * want the rows in one order, with their line numbers. The same reasons
 * send rows straight to the ledger, where a refused row has its line. */
static const char *one_thread_reason(const options *o, FILE *in,
                                     const row_hook *hook)
{
    struct stat st;
    if (in == stdin)
        return "standard input";
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode))
        return "not a regular file";
    if (o->rejects_file != NULL)
        return "--rejects";
    if (o->strict)
        return "--strict";
    if (hook != NULL)
        return "this command";
    return NULL;
}

static unsigned thread_count(const options *o, const char *why)
{
    if (why != NULL) {
        if (o->threads > 1 && !o->quiet)
            fprintf(stderr, "winback: --threads %d: reading on one thread (%s)\n",
                    (int)o->threads, why);
        return 1;
    }
    return worker_threads(o);
}

/* The ledger's parts: one when rows go straight in; with held rows, about
 * one for each PART_LOG_BYTES of log, so that a part's customers stay in
 * cache while they are added and its days while they are placed (the
 * 50 M-row log's 5 M customers: adding 0.95 s in 512 parts against 1.10 s
 * in 64), rounded down to a power of two: the count, and the memory that
 * goes with it, then change only when the log doubles (113 parts instead
 * of 64 raised the 5 M-row plan's peak by about 5 MiB). At least one a
 * thread, at most PARTS_MAX. The parts change no result. */
static unsigned part_count(int holding, unsigned threads, long long size)
{
    unsigned parts = 1;
    if (!holding)
        return 1;
    while (parts < PARTS_MAX && size / PART_LOG_BYTES >= 2 * (long long)parts)
        parts *= 2;
    return parts < threads ? threads : parts;
}

/* Sets up worker k of n over the open log `in` (worker 0) or its own
 * handle on the same file; with a meeting (rows held), a spill for each
 * part and its share of hold_max. */
static int make_worker(worker *w, sink *s, unsigned k, unsigned n,
                       const options *o, const wb_reader_config *cfg,
                       wb_ledger *l, FILE *in, long long size, meeting *meet,
                       uint64_t hold_max)
{
    memset(s, 0, sizeof *s);
    s->log = o->log;
    s->strict = o->strict;
    s->ledger = l;
    s->part = -1;
    s->cutoff = o->command == CMD_FIT ? o->cal_end : o->as_of;
    memset(w, 0, sizeof *w);
    w->s = s;
    w->cfg = *cfg;
    w->size = size;
    w->all = w - k;
    w->k = k;
    w->n = n;
    w->hold_max = hold_max;
    if (meet != NULL) {
        s->meet = meet;
        s->self = w;
        s->budget = hold_max / n;
        s->nspills = wb_ledger_parts(l);
        s->spills = calloc(s->nspills, sizeof *s->spills);
        RETURN_IF(s->spills == NULL, WB_ENOMEM);
    }
    w->in = k == 0 ? in : fopen(o->log, "rb");
    if (w->in == NULL) {
        s->read_errno = errno;
        return WB_EIO;
    }
    return WB_OK;
}

/* The first failure, in worker order: its sink explains it. A worker
 * let go from a meeting for another's failure is passed over for it. */
static int first_failure(const worker *w, unsigned n, const sink **which)
{
    for (int pass = 0; pass < 2; pass++)
        for (unsigned k = 0; k < n; k++)
            if (w[k].rc != WB_OK && (pass == 1 || w[k].rc != STOP_MET)) {
                *which = w[k].s;
                return w[k].rc;
            }
    *which = w[0].s;
    return WB_OK;
}

/* Where the line holding byte `at` ends: the offset after its line break
 * (the start of the next line), or `size` when none follows. */
static long long next_line_start(FILE *in, long long at, long long size)
{
    char buf[4096];
    for (long long pos = at; pos < size;) {
        ssize_t got = pread(fileno(in), buf, sizeof buf, (off_t)pos);
        if (got <= 0)
            break;
        const char *nl = memchr(buf, '\n', (size_t)got);
        if (nl != NULL)
            return pos + (nl - buf) + 1;
        pos += got;
    }
    return size;
}

/* Split reading, set up: worker 0's reader takes the log's first line on
 * this thread, which settles the delimiter and the header's columns; the
 * other workers get split readers, and each a byte range cut at a line
 * break. STOP_SPLIT when the log does not lend itself (no line break in
 * the first chunk, or a first line without text or in quotes): it is then
 * read whole. Other statuses are the reading's own. */
static int start_split(worker *w, sink *s, unsigned n, long long size)
{
    char *buf = malloc(CHUNK);
    RETURN_IF(buf == NULL, WB_ENOMEM);
    size_t got = fread(buf, 1, CHUNK, w[0].in);
    const char *nl = memchr(buf, '\n', got);
    int rc = utf16(buf, got) ? STOP_UTF16 : nl == NULL ? STOP_SPLIT : WB_OK;
    long long first = nl != NULL ? nl - buf + 1 : 0;
    for (unsigned k = 0; k < n; k++)
        w[k].to = -1;
    if (rc == WB_OK)
        rc = wb_reader_new(&w[0].cfg, NULL, on_record, &s[0], &w[0].reader);
    if (rc == WB_OK)
        rc = wb_reader_feed(w[0].reader, buf, (size_t)first);
    free(buf);
    if (rc == WB_OK && wb_reader_pending(w[0].reader) != 0)
        rc = STOP_SPLIT;
    for (unsigned k = 1; rc == WB_OK && k < n; k++) {
        rc = wb_reader_split(w[0].reader, on_record, &s[k], &w[k].reader);
        if (rc == WB_EMISUSE)
            rc = STOP_SPLIT;            /* the first line settled nothing */
    }
    w[0].from = first;
    for (unsigned k = 1; rc == WB_OK && k < n; k++) {
        long long cut = size * k / n;
        w[k].from = next_line_start(w[0].in, cut > w[k - 1].from ? cut - 1 : w[k - 1].from, size);
        w[k - 1].to = w[k].from;
    }
    return rc;
}

/* Split reading: set up, run, and the first failure. STOP_SPLIT: read the
 * log whole instead. */
static int read_split(worker *w, sink *s, unsigned n, long long size,
                      const sink **why)
{
    int rc = start_split(w, s, n, size);
    struct sigaction saved;
    *why = &s[0];
    if (rc == WB_OK && mapped_guard(&saved) != 0) {
        s[0].read_errno = errno;
        rc = WB_EIO;
    }
    if (rc == WB_OK) {
        run_spread(read_range, w, sizeof *w, n);
        mapped_unguard(&saved);
        rc = first_failure(w, n, why);
    }
    return rc;
}

/* Puts the workers back as make_worker left them, over a new empty
 * ledger, after a split reading that could not be used. */
static int restart(worker *w, sink *s, unsigned n, wb_ledger **l)
{
    unsigned parts = wb_ledger_parts(*l);
    wb_ledger_free(*l);
    *l = NULL;
    FORWARD(wb_ledger_new_parts(page_allocator(), parts, l));
    if (s[0].meet != NULL)
        meeting_reset(s[0].meet, 1);    /* worker 0 alone reads, and meets */
    for (unsigned k = 0; k < n; k++) {
        wb_reader_free(w[k].reader);
        w[k].reader = NULL;
        w[k].rc = WB_OK;
        if (fseeko(w[k].in, 0, SEEK_SET) != 0)
            return WB_EIO;
        const char *log = s[k].log;     /* what make_worker set */
        int strict = s[k].strict;
        int32_t cutoff = s[k].cutoff;
        spill *spills = s[k].spills;
        unsigned nspills = s[k].nspills;
        meeting *meet = s[k].meet;
        for (unsigned p = 0; p < nspills; p++)
            spill_free(&spills[p]);
        memset(&s[k], 0, sizeof s[k]);  /* counts, batches */
        s[k].meet = meet;
        s[k].self = &w[k];
        s[k].budget = w[k].hold_max;    /* worker 0 reads alone */
        s[k].log = log;
        s[k].strict = strict;
        s[k].ledger = *l;
        s[k].part = -1;
        s[k].cutoff = cutoff;
        s[k].spills = spills;
        s[k].nspills = nspills;
    }
    return WB_OK;
}

static void free_workers(worker *w, sink *s, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        wb_reader_free(w[k].reader);
        if (k > 0 && w[k].in != NULL)
            fclose(w[k].in);
        for (unsigned p = 0; p < s[k].nspills; p++)
            spill_free(&s[k].spills[p]);
        free(s[k].spills);
    }
    free(w);
    free(s);
}

/* Reads the log on the workers -- split, or whole when it must be -- and
 * adds the rows they held, part by part; *split says which reading
 * counted the rows. A failure is explained by worker 0's sink. */
static int read_and_add(worker *w, sink *s, unsigned n, long long size,
                        wb_ledger **l, int *split)
{
    const sink *why = &s[0];
    int rc = WB_OK;
    *split = n > 1;
    pages_pool(POOL_LOADING);   /* the held rows' pages become the ledger's */
    if (*split && (rc = read_split(w, s, n, size, &why)) == STOP_SPLIT) {
        *split = 0;                     /* a range began inside quotes */
        why = &s[0];
        rc = restart(w, s, n, l);
    }
    if (rc == WB_OK && !*split) {
        read_whole(&w[0]);
        rc = w[0].rc;
    }
    if (rc == WB_OK && s[0].spills != NULL) {
        run_spread(add_parts, w, sizeof *w, n);
        rc = first_failure(w, n, &why);
    }
    pages_pool(POOL_KEEP);      /* the ledger's spent pages serve its index */
    if (why != &s[0]) {
        s[0].ledger_status = why->ledger_status;
        s[0].read_errno = why->read_errno;
    }
    return rc;
}

/* Says what was read: the split readers' counts together, or worker 0's
 * when every worker read the whole log; rows a ledger part refused are
 * rejects too. The rows left out or dated in the future likewise. */
static void report_counts(const options *o, worker *w, unsigned n, int split,
                          int32_t latest)
{
    uint64_t rd = 0, a = 0, r = 0, refused = 0;
    sink *all = w[0].s;
    for (unsigned k = 0; k < n; k++) {
        uint64_t kr, ka, kj;
        refused += w[k].s->refused;
        if (k > 0 && !split)
            continue;
        wb_reader_counts(w[k].reader, &kr, &ka, &kj);
        rd += kr;
        a += ka;
        r += kj;
        if (k > 0) {
            all->left_out += w[k].s->left_out;
            all->future += w[k].s->future;
        }
    }
    if (w[0].reader != NULL && !o->quiet)
        fprintf(stderr, "winback: read %llu, accepted %llu, rejected %llu\n",
                (unsigned long long)rd, (unsigned long long)(a - refused),
                (unsigned long long)(r + refused));
    report_left_out(o, all, latest);
}

/* The most bytes of rows the reading threads hold before they meet to
 * add them: WINBACK_HOLD_MAX, a count of bytes, at least 1, with k, M or
 * G for 2^10, 2^20 or 2^30 if wanted; 1 GiB without it. 1 on a value
 * that is not one, said. */
static int hold_budget(uint64_t *bytes)
{
    const char *text = getenv("WINBACK_HOLD_MAX");
    char *end = NULL;
    *bytes = HOLD_MAX_DEFAULT;
    if (text == NULL)
        return 0;
    errno = 0;
    unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
    unsigned shift = end == NULL ? 0 : *end == 'k' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (end != NULL && shift != 0)
        end++;
    if (end == NULL || *end != '\0' || errno != 0 || v == 0 || v > (UINT64_MAX >> shift)) {
        fprintf(stderr, "winback: WINBACK_HOLD_MAX: \"%s\" is not a count of bytes "
                "(digits, then k, M or G if wanted)\n", text);
        return 1;
    }
    *bytes = (uint64_t)v << shift;
    return 0;
}

int load_log(const options *o, wb_ledger **ledger, const row_hook *hook)
{
    wb_ledger *l = NULL;
    FILE *in = NULL, *rejects = NULL;
    long long size = 0;
    unsigned n = 1;
    uint64_t hold_max;
    int rc;

    if (hold_budget(&hold_max) != 0)
        return EXIT_USAGE;

    /* Rows after the calibration end or the as-of day are left out (and
     * counted); without either, rows after today are rejected, so that one
     * mistyped year cannot move the default as-of and every plan. */
    wb_reader_config cfg = o->reader;
    if ((o->command == CMD_FIT ? o->cal_end : o->as_of) == WB_DAY_NONE)
        cfg.latest_day = today_utc();
    if (o->rejects_file != NULL && (rejects = fopen(o->rejects_file, "w")) == NULL) {
        perror(o->rejects_file);
        return EXIT_IO;
    }
    rc = open_log(o->log, &in, &size);
    int open_errno = errno;           /* why open_log failed, if it did */
    const char *one = NULL;         /* why on one thread, rows not held */
    if (rc == WB_OK) {
        one = one_thread_reason(o, in, hook);
        n = thread_count(o, one);
        rc = wb_ledger_new_parts(page_allocator(), part_count(one == NULL, n, size), &l);
    }
    worker *w = calloc(n, sizeof *w);
    sink *s = calloc(n, sizeof *s);   /* 300 KiB each: not on the stack */
    if (w == NULL || s == NULL) {
        free(w);
        free(s);
        wb_ledger_free(l);
        if (in != NULL && in != stdin)
            fclose(in);
        if (rejects != NULL)
            fclose(rejects);
        die_status("ledger", WB_ENOMEM);
        return EXIT_INTERNAL;
    }
    s[0].read_errno = open_errno;
    meeting meet;               /* with rows held: where the threads add them */
    int met = 0;
    if (rc == WB_OK && one == NULL) {
        rc = meeting_open(&meet, n);
        met = rc == WB_OK;
    }
    for (unsigned k = 0; rc == WB_OK && k < n; k++)
        rc = make_worker(&w[k], &s[k], k, n, o, &cfg, l, in, size, met ? &meet : NULL,
                         hold_max);
    s[0].rejects = rejects;
    s[0].hook = hook;
    if (rc == WB_OK) {
        int split;
        rc = read_and_add(w, s, n, size, &l, &split);
        report_counts(o, w, n, split, cfg.latest_day);
    }
    if (rc == WB_EHEADER && wb_reader_header(w[0].reader, &s[0].header) != WB_OK)
        rc = WB_EMISUSE;
    if (in != NULL && in != stdin)
        fclose(in);
    /* The rejects file's own failure names it, not the log. */
    if (rejects != NULL && (ferror(rejects) | fclose(rejects)) != 0) {
        fprintf(stderr, "winback: %s: cannot write the rejects: %s\n",
                o->rejects_file, strerror(errno));
        rc = EXIT_IO_REJECTS;
    }
    /* Finished on the threads (the index is the same whatever their
     * number), then sealed: nothing is added after loading, and the rows'
     * own copy (8 bytes each) is given back before the commands allocate
     * theirs. */
    if (rc == WB_OK && (rc = wb_ledger_finish_run(l, n, run_jobs, NULL)) == WB_ERANGE)
        rc = STOP_FULL;
    if (rc == WB_OK)
        rc = wb_ledger_seal(l);
    int code = rc == EXIT_IO_REJECTS ? EXIT_IO : outcome(o, &s[0], rc);
    free_workers(w, s, n);
    if (met)
        meeting_close(&meet);
    if (code != EXIT_OK) {
        wb_ledger_free(l);
        return code;
    }
    *ledger = l;
    return EXIT_OK;
}
