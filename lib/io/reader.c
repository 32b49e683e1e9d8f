/*
 * reader.c -- purchase logs (CSV per RFC 4180, or whitespace-separated
 * columns) to one callback per row.
 *
 * Two stages. The scanner cuts the byte stream into records: a newline
 * ends a record unless it is inside quotes, so a quoted field may hold
 * delimiters and line breaks -- within WB_RECORD_LINES_MAX lines and
 * WB_LINE_MAX bytes; past them the scanner resynchronises (resync()). The splitter then cuts one record into fields
 * (removing quotes into a second buffer, so the raw text stays intact for
 * the reject report) and checks the three fields a purchase needs.
 * Every row ends in exactly one callback: accepted, or rejected with why.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/alloc.h"
#include "io/bytes.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define WB_LINE_MASKS 1     /* see short_line */
#endif

#define MAX_FIELDS 256
#define DATE_MEMO 16        /* longest date text remembered (see day_of) */
/* A record's buffer: WB_LINE_MAX bytes and a CR before its LF, so that
 * one limit applies to LF and CRLF files alike. */
#define CAP (WB_LINE_MAX + 1)

typedef struct slice {
    const char *p;
    size_t n;
} slice;

struct wb_reader {
    wb_reader_config cfg;
    wb_allocator a;
    wb_record_fn fn;
    void *ud;
    char *raw;              /* the current record as read (CAP bytes) */
    char *unquoted;         /* its fields without quotes (CAP bytes) */
    char *replay;           /* lines to read again after a resync (CAP bytes) */
    size_t replay_len;
    size_t len;             /* bytes in raw */
    size_t carried;         /* of them, bytes from before the current input */
    size_t base;            /* where raw[carried] stands in the current input */
    uint32_t breaks;        /* line breaks inside the current record */
    int in_quotes;
    int field_start;        /* scanner: at the start of a field */
    int just_closed;        /* scanner: the last byte closed a quote */
    int too_long;           /* the record outgrew WB_LINE_MAX */
    int delimiter;          /* resolved: ',', ';', '\t' or 0 for spaces */
    int seen_first;         /* the first line with text has set the delimiter */
    int need_header;
    int failed;             /* sticky fatal status (WB_EHEADER) */
    int cols[3];            /* id, date, amount column */
    int clash[3];           /* a second column matching the role, or -1 */
    uint64_t line;          /* current line, 1-based */
    uint64_t record_line;   /* where the current record started */
    uint64_t read, accepted, rejected;
    char last_date[DATE_MEMO];  /* the last date read, and its day: logs */
    size_t last_date_len;       /* in date order repeat it row after row */
    int32_t last_day;
};

const char *wb_reject_name(int reject)
{
    static const char *const names[] = {
        "accepted", "missing field", "empty id", "id too long", "bad date",
        "bad amount", "too many decimals", "negative amount", "bad quotes",
        "record too long", "amount out of range", "dated in the future"};
    if (reject < 0 || reject >= (int)(sizeof names / sizeof names[0]))
        return "unknown";
    return names[reject];
}

int wb_reader_config_init(wb_reader_config *cfg)
{
    WB_RETURN_IF(cfg == NULL, WB_EMISUSE);
    memset(cfg, 0, sizeof *cfg);
    cfg->size = sizeof *cfg;
    cfg->delimiter = WB_DELIM_AUTO;
    cfg->header = 1;
    cfg->id_column = 0;
    cfg->date_column = 1;
    cfg->amount_column = 2;
    cfg->decimals = 2;
    cfg->latest_day = WB_DAY_NONE;
    return WB_OK;
}

/* The size of the config in 0.1, before latest_day: still accepted, as
 * the header promises for structs that grow. */
#define CONFIG_SIZE_0_1 offsetof(wb_reader_config, latest_day)

/* The host's config in this version's layout: a 0.1 one gets the defaults
 * of the fields it did not have. */
static int copy_config(const wb_reader_config *given, wb_reader_config *c)
{
    WB_RETURN_IF(given->size != sizeof *c && given->size != CONFIG_SIZE_0_1, WB_ESTRUCT);
    WB_FORWARD(wb_reader_config_init(c));
    memcpy(c, given, given->size);
    c->size = sizeof *c;
    return WB_OK;
}

static int check_config(const wb_reader_config *c)
{
    WB_RETURN_IF(c->delimiter != WB_DELIM_AUTO && c->delimiter != 0 &&
                 c->delimiter != ',' && c->delimiter != ';' &&
                 c->delimiter != '\t', WB_EINVAL);
    WB_RETURN_IF(c->header != 0 && c->header != 1, WB_EINVAL);
    WB_RETURN_IF(c->decimals < 0 || c->decimals > 9, WB_EINVAL);
    WB_RETURN_IF((c->amount_flags & ~WB_AMOUNT_ROUND) != 0, WB_EINVAL);
    WB_RETURN_IF(c->latest_day != WB_DAY_NONE && !wb__day_ok(c->latest_day), WB_EINVAL);
    WB_RETURN_IF(c->reserved != 0, WB_EINVAL);
    if (!c->header) {
        const int32_t cols[3] = {c->id_column, c->date_column, c->amount_column};
        for (int i = 0; i < 3; i++)
            WB_RETURN_IF(cols[i] < 0 || cols[i] >= MAX_FIELDS, WB_EINVAL);
    }
    return WB_OK;
}

int wb_reader_new(const wb_reader_config *cfg, const wb_allocator *alloc,
                  wb_record_fn fn, void *ud, wb_reader **out)
{
    wb_allocator a;
    wb_reader_config c;
    WB_RETURN_IF(cfg == NULL || fn == NULL || out == NULL, WB_EMISUSE);
    WB_FORWARD(copy_config(cfg, &c));
    cfg = &c;
    WB_FORWARD(check_config(cfg));
    WB_FORWARD(wb__allocator_pick(alloc, &a));
    wb_reader *r = a.alloc(a.ud, sizeof *r);
    WB_RETURN_IF(r == NULL, WB_ENOMEM);
    memset(r, 0, sizeof *r);
    r->raw = a.alloc(a.ud, 3 * (size_t)CAP);
    if (r->raw == NULL) {
        a.free(a.ud, r, sizeof *r);
        return WB_ENOMEM;
    }
    r->unquoted = r->raw + CAP;
    r->replay = r->raw + 2 * (size_t)CAP;
    r->cfg = *cfg;
    r->a = a;
    r->fn = fn;
    r->ud = ud;
    r->line = 1;
    r->need_header = cfg->header;
    r->delimiter = cfg->delimiter;
    r->cols[0] = cfg->id_column;
    r->cols[1] = cfg->date_column;
    r->cols[2] = cfg->amount_column;
    r->clash[0] = r->clash[1] = r->clash[2] = -1;
    *out = r;
    return WB_OK;
}

int wb_reader_split(const wb_reader *r, wb_record_fn fn, void *ud,
                    wb_reader **out)
{
    WB_RETURN_IF(r == NULL || fn == NULL || out == NULL, WB_EMISUSE);
    WB_RETURN_IF(r->failed || !r->seen_first || r->need_header, WB_EMISUSE);
    WB_FORWARD(wb_reader_new(&r->cfg, &r->a, fn, ud, out));
    wb_reader *s = *out;
    s->need_header = 0;
    s->seen_first = 1;
    s->delimiter = r->delimiter;
    memcpy(s->cols, r->cols, sizeof s->cols);
    memcpy(s->clash, r->clash, sizeof s->clash);
    s->line = r->line;            /* past line 1: no byte order mark here */
    return WB_OK;
}

size_t wb_reader_pending(const wb_reader *r)
{
    if (r == NULL)
        return 0;
    return r->len > 0 ? r->len : (size_t)(r->too_long || r->in_quotes);
}

void wb_reader_free(wb_reader *r)
{
    if (r == NULL)
        return;
    r->a.free(r->a.ud, r->raw, 3 * (size_t)CAP);
    r->a.free(r->a.ud, r, sizeof *r);
}

void wb_reader_counts(const wb_reader *r, uint64_t *read, uint64_t *accepted,
                      uint64_t *rejected)
{
    if (read) *read = r ? r->read : 0;
    if (accepted) *accepted = r ? r->accepted : 0;
    if (rejected) *rejected = r ? r->rejected : 0;
}

static inline int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static inline slice trim(slice s)
{
    while (s.n > 0 && is_space(s.p[0])) { s.p++; s.n--; }
    while (s.n > 0 && is_space(s.p[s.n - 1])) s.n--;
    return s;
}

/* Picks the delimiter from the first record: the most frequent of , ; tab
 * outside quotes, or runs of spaces when none occurs. */
static int detect_delimiter(const char *p, size_t n)
{
    size_t count[3] = {0, 0, 0};
    const char cand[3] = {',', ';', '\t'};
    int q = 0, best = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') q = !q;
        for (int k = 0; k < 3 && !q; k++)
            count[k] += p[i] == cand[k];
    }
    for (int k = 0; k < 3; k++)
        if (count[k] > 0 && (best == 0 || count[k] > count[best - 1]))
            best = k + 1;
    return best ? cand[best - 1] : 0;
}

/* Whitespace columns: fields are runs of non-blank bytes. */
static size_t split_blank(const char *p, size_t n, slice *f)
{
    size_t nf = 0, i = 0;
    while (i < n && nf < MAX_FIELDS) {
        while (i < n && is_space(p[i])) i++;
        if (i == n) break;
        size_t start = i;
        while (i < n && !is_space(p[i])) i++;
        f[nf].p = p + start;
        f[nf].n = i - start;
        nf++;
    }
    return nf;
}

/* One RFC 4180 field starting at p[*i]; copies its text into out. Returns
 * 0, or -1 for a quote in the wrong place. */
static int csv_field(const char *p, size_t n, size_t *i, int delim, char *out,
                     size_t *outn)
{
    size_t k = *i, o = 0;
    while (k < n && is_space(p[k]) && p[k] != delim) k++;   /* " "abc"" */
    if (k < n && p[k] == '"') {
        for (k++;; k++) {
            if (k == n) return -1;                           /* no closing quote */
            if (p[k] == '"') {
                if (k + 1 < n && p[k + 1] == '"') { out[o++] = '"'; k++; continue; }
                k++;
                break;
            }
            out[o++] = p[k];
        }
        while (k < n && is_space(p[k]) && p[k] != delim) k++;
        if (k < n && p[k] != delim) return -1;               /* "ab"c */
    } else {
        k = *i;
        for (; k < n && p[k] != delim; k++) {
            if (p[k] == '"') return -1;                      /* ab"c */
            out[o++] = p[k];
        }
    }
    *i = k;
    *outn = o;
    return 0;
}

/* Splits a CSV record; -1 on a quoting error. */
static long split_csv(wb_reader *r, const char *p, size_t n, slice *f)
{
    size_t nf = 0, i = 0, used = 0;
    for (;;) {
        size_t len;
        if (csv_field(p, n, &i, r->delimiter, r->unquoted + used, &len) != 0)
            return -1;
        if (nf < MAX_FIELDS) {
            f[nf].p = r->unquoted + used;
            f[nf].n = len;
            nf++;
        }
        used += len;
        if (i >= n) break;
        i++;                                  /* past the delimiter */
    }
    return (long)nf;
}

static int lower(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 'A' && u <= 'Z' ? u + ('a' - 'A') : u;
}

/* ASCII case-insensitive equality of a field and a name. */
static int name_is(slice s, const char *name)
{
    size_t n = strlen(name);
    if (s.n != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[i]) != lower(name[i])) return 0;
    return 1;
}

/* Does header field s name the role: `wanted` when given, else an alias? */
static int names_role(slice s, const char *wanted, const char *const *aliases)
{
    if (wanted != NULL)
        return name_is(s, wanted);
    for (int k = 0; aliases[k] != NULL; k++)
        if (name_is(s, aliases[k]))
            return 1;
    return 0;
}

/* The first column naming the role in *col, a second one in *clash. */
static void find_column(const slice *f, size_t nf, const char *wanted,
                        const char *const *aliases, int *col, int *clash)
{
    *col = *clash = -1;
    for (size_t i = 0; i < nf && *clash < 0; i++)
        if (names_role(trim(f[i]), wanted, aliases)) {
            if (*col < 0) *col = (int)i;
            else *clash = (int)i;
        }
}

static int read_header(wb_reader *r, const slice *f, size_t nf)
{
    static const char *const id_alias[] = {"customer_id", "customer", "client_id", "id", NULL};
    static const char *const date_alias[] = {"date", "day", "order_date", NULL};
    static const char *const amount_alias[] = {"amount", "dollar_value", "value", "total", "sum", NULL};
    find_column(f, nf, r->cfg.id_name, id_alias, &r->cols[0], &r->clash[0]);
    find_column(f, nf, r->cfg.date_name, date_alias, &r->cols[1], &r->clash[1]);
    find_column(f, nf, r->cfg.amount_name, amount_alias, &r->cols[2], &r->clash[2]);
    r->need_header = 0;
    for (int k = 0; k < 3; k++)
        if (r->cols[k] < 0 || r->clash[k] >= 0)
            return r->failed = WB_EHEADER;
    return WB_OK;
}

int wb_reader_header(const wb_reader *r, wb_header_info *info)
{
    WB_RETURN_IF(r == NULL || info == NULL, WB_EMISUSE);
    for (int k = 0; k < 3; k++) {
        info->column[k] = r->cols[k];
        info->clash[k] = r->clash[k];
    }
    return WB_OK;
}

/* The day of a date field. A log in date order has the same date on row
 * after row, so the last one read is remembered and not parsed again. */
static int day_of(wb_reader *r, slice date, int32_t *day)
{
    if (date.n == r->last_date_len &&
        !wb__bytes_differ(date.p, r->last_date, date.n)) {
        *day = r->last_day;
        return WB_OK;
    }
    WB_FORWARD(wb_day_parse(date.p, date.n, day));
    if (date.n <= DATE_MEMO) {
        memcpy(r->last_date, date.p, date.n);
        r->last_date_len = date.n;
        r->last_day = *day;
    }
    return WB_OK;
}

/* Checks the three fields; fills rec or says why not. `spaced`: the
 * fields may have spaces or tabs around them to trim (0 when the caller
 * saw none in the record). */
static int32_t judge(wb_reader *r, const slice *f, size_t nf, int spaced,
                     wb_record *rec)
{
    for (int k = 0; k < 3; k++)
        if ((size_t)r->cols[k] >= nf)
            return WB_REJECT_FIELDS;
    slice id = f[r->cols[0]], date = f[r->cols[1]], amount = f[r->cols[2]];
    if (spaced) {
        id = trim(id);
        date = trim(date);
        amount = trim(amount);
    }
    if (id.n == 0) return WB_REJECT_ID_EMPTY;
    if (id.n > WB_ID_MAX) return WB_REJECT_ID_TOO_LONG;
    if (date.n == 0 || amount.n == 0) return WB_REJECT_FIELDS;
    if (day_of(r, date, &rec->day) != WB_OK) return WB_REJECT_DATE;
    if (r->cfg.latest_day != WB_DAY_NONE && rec->day > r->cfg.latest_day)
        return WB_REJECT_FUTURE;
    uint32_t flags = r->cfg.amount_flags | (r->delimiter != ',' ? WB_AMOUNT_COMMA : 0);
    int rc = WB_OK;
#if !WB_SMALL_CODE
    /* What wb_amount_parse tries first, without its call and argument
     * checks (the config's were checked once). */
    if (!wb__plain_amount(amount.p, amount.n, r->cfg.decimals, &rec->amount))
#endif
        rc = wb_amount_parse(amount.p, amount.n, r->cfg.decimals, flags, &rec->amount);
    if (rc == WB_ERANGE) {
        int64_t ignored;
        return wb_amount_parse(amount.p, amount.n, r->cfg.decimals,
                               flags | WB_AMOUNT_ROUND, &ignored) == WB_OK
                   ? WB_REJECT_PRECISION : WB_REJECT_RANGE;
    }
    if (rc != WB_OK) return WB_REJECT_AMOUNT;
    if (rec->amount < 0) return WB_REJECT_NEGATIVE;
    rec->id = id.p;
    rec->id_len = id.n;
    return WB_REJECT_NONE;
}

/* A record of the text p[0..n), starting on record_line, not judged. */
static void new_record(const wb_reader *r, const char *p, size_t n, wb_record *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->line = r->record_line;
    rec->text = p;
    rec->text_len = n;
}

static int emit(wb_reader *r, wb_record *rec)
{
    r->read++;
    if (rec->reject == WB_REJECT_NONE) r->accepted++;
    else r->rejected++;
    return r->fn(r->ud, rec);
}

/* Splits a CSV record that holds no quote: each field is the bytes
 * between delimiters, in place, as split_csv would copy them. */
static size_t split_plain(const char *p, size_t n, int delim, slice *f)
{
    size_t nf = 0;
    const char *end = p + n;
    for (;;) {
        const char *d = memchr(p, delim, (size_t)(end - p));
        const char *stop = d != NULL ? d : end;
        if (nf < MAX_FIELDS) {
            f[nf].p = p;
            f[nf].n = (size_t)(stop - p);
            nf++;
        }
        if (d == NULL) break;
        p = d + 1;
    }
    return nf;
}

/* quotes: 1 when the record may hold a quote, 0 when the caller knows it
 * holds none, -1 when it ended inside one. */
static long split_fields(wb_reader *r, const char *p, size_t n, int quotes,
                         slice *f)
{
    if (r->delimiter == 0)
        return (long)split_blank(p, n, f);
    if (quotes < 0)
        return -1;
    if (quotes == 0 || memchr(p, '"', n) == NULL)
        return (long)split_plain(p, n, r->delimiter, f);
    return split_csv(r, p, n, f);
}

/* A whole record, p[0..n) without its LF, that started on record_line:
 * split it, judge it, report it. quotes as for split_fields. */
static int end_line(wb_reader *r, const char *p, size_t n, int too_long,
                    int quotes)
{
    slice f[MAX_FIELDS];
    wb_record rec;
    if (n > 0 && p[n - 1] == '\r') n--;
    too_long |= n > WB_LINE_MAX;
    if (r->record_line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;                               /* a UTF-8 byte order mark */
        n -= 3;
    }
    if (!too_long && trim((slice){p, n}).n == 0)
        return WB_OK;                         /* a blank line is not a row */
    if (!r->seen_first) {                     /* the first line with text */
        if (r->delimiter == WB_DELIM_AUTO) r->delimiter = detect_delimiter(p, n);
        r->seen_first = 1;
    }
    new_record(r, p, n, &rec);
    if (too_long) {                           /* reported: its first bytes */
        rec.text_len = n < WB_LINE_MAX ? n : WB_LINE_MAX;
        rec.reject = WB_REJECT_TOO_LONG;
        return emit(r, &rec);
    }
    long nf = split_fields(r, p, n, quotes, f);
    if (nf < 0) {
        if (r->need_header) return r->failed = WB_EHEADER;
        rec.reject = WB_REJECT_QUOTE;
        return emit(r, &rec);
    }
    if (r->need_header)
        return read_header(r, f, (size_t)nf);
    rec.reject = judge(r, f, (size_t)nf, 1, &rec);
    return emit(r, &rec);
}

/* A whole record is in raw[0..len): hand it on and start afresh. */
static int end_record(wb_reader *r)
{
    int too_long = r->too_long, bad_quote = r->in_quotes;
    size_t n = r->len;
    r->len = r->carried = 0;
    r->breaks = 0;
    r->too_long = r->in_quotes = 0;
    return end_line(r, r->raw, n, too_long, bad_quote ? -1 : 1);
}

#ifdef WB_LINE_MASKS
/* A short plain line, the common case, in one look: 16 bytes at a time
 * (SSE2, which every x86-64 has), a bit per byte for line feeds,
 * delimiters and the bytes that need the general path -- quotes, and
 * spaces or tabs that are not the delimiter. When the line ends within
 * SHORT bytes and holds none of those, its fields are where the
 * delimiter bits say, with nothing to trim: five memchr calls and four
 * trims fewer a row (about 120 instructions of 700). Anything else (a
 * longer line, quotes, spaces, a blank line, too few bytes left in the
 * input to look at SHORT) is left to whole_line. Same records either
 * way: fuzz_reader compares readings cut differently, test_reader's
 * short_lines_read_alike every field, and the cross builds run without
 * it. At most 63 bytes before the line feed: at most 64 fields. */
#define SHORT 64
#define AHEAD_BYTES 512

static uint64_t mask_of(__m128i v, char c)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

static int short_line(wb_reader *r, const char *p, size_t avail, size_t *took)
{
    uint64_t nl = 0, delim = 0, quote = 0, blank = 0;
    char d = (char)r->delimiter;
    *took = 0;
    if (avail < SHORT || r->delimiter <= 0 || !r->seen_first || r->need_header)
        return WB_OK;
    /* A large feed (a mapped file) streams from memory, and the hardware
     * fetches ahead only within a page: fetch the bytes a few lines on.
     * The 5 M-row plan's reading took 3 ms less (of 78). */
    if (avail > AHEAD_BYTES)
        __builtin_prefetch(p + AHEAD_BYTES);
    for (unsigned at = 0; nl == 0 && at < SHORT; at += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
        nl |= mask_of(v, '\n') << at;
        delim |= mask_of(v, d) << at;
        quote |= mask_of(v, '"') << at;
        blank |= (mask_of(v, ' ') | mask_of(v, '\t')) << at;
    }
    if (nl == 0)
        return WB_OK;
    unsigned end = (unsigned)__builtin_ctzll(nl);
    size_t n = end > 0 && p[end - 1] == '\r' ? end - 1 : end;
    uint64_t inside = ((uint64_t)1 << n) - 1;     /* n < 64 */
    /* Quotes, spaces or tabs to trim, or a blank line (only spaces and
     * tabs, which may be the delimiter): the general path's. */
    if (((quote | (blank & ~delim)) & inside) != 0 || (blank & inside) == inside)
        return WB_OK;
    slice f[SHORT];
    size_t nf = 0;
    const char *start = p;
    for (uint64_t m = delim & inside; m != 0; m &= m - 1) {
        const char *at = p + __builtin_ctzll(m);
        f[nf].p = start;
        f[nf++].n = (size_t)(at - start);
        start = at + 1;
    }
    f[nf].p = start;
    f[nf++].n = (size_t)(p + n - start);
    *took = end + 1;
    r->record_line = r->line++;
    wb_record rec;
    new_record(r, p, n, &rec);
    rec.reject = judge(r, f, nf, 0, &rec);
    return emit(r, &rec);
}
#endif

/* The fast path of the scanner: at the start of a record whose LF is in
 * this input, within WB_LINE_MAX, and with no quote that could carry it
 * past that LF, the record is read where it lies, without a copy. Returns
 * the bytes it took (0: none, the byte loop goes on) in *took. */
static int whole_line(wb_reader *r, const char *p, size_t avail, size_t *took)
{
#ifdef WB_LINE_MASKS
    WB_FORWARD(short_line(r, p, avail, took));
    if (*took > 0)
        return WB_OK;
#endif
    size_t span = avail < WB_LINE_MAX + 2 ? avail : WB_LINE_MAX + 2;
    const char *nl = memchr(p, '\n', span);
    *took = 0;
    if (nl == NULL)
        return WB_OK;
    size_t n = (size_t)(nl - p);
    if (r->delimiter != 0 && memchr(p, '"', n) != NULL)
        return WB_OK;
    *took = n + 1;
    r->record_line = r->line++;
    return end_line(r, p, n, 0, 0);           /* checked above: no quote */
}

/* Is c a field delimiter? Before the first line has chosen one, any of
 * the candidates counts, which is enough to find where fields start. */
static int is_delim(const wb_reader *r, char c)
{
    if (r->delimiter == WB_DELIM_AUTO)
        return c == ',' || c == ';' || c == '\t';
    return r->delimiter != 0 && c == r->delimiter;
}

/* Tracks RFC 4180 quoting: a quote opens only at the start of a field, and
 * a quote right after a closing one is an escaped quote ("" inside). */
static void track_quotes(wb_reader *r, char c)
{
    if (c == '"') {
        if (r->in_quotes) {
            r->in_quotes = 0;
            r->just_closed = 1;
            return;
        }
        if (r->field_start || r->just_closed)
            r->in_quotes = 1;
        r->field_start = r->just_closed = 0;
        return;
    }
    r->just_closed = 0;
    if (!r->in_quotes) {
        if (is_delim(r, c)) r->field_start = 1;
        else if (!is_space(c)) r->field_start = 0;
    }
}

/* Rejects the first physical line of the record in raw as bad quotes and
 * starts the scanner afresh on the line after it. raw holds a line break
 * (the caller checks). Returns the callback's value and, in *from, where
 * in the current input (which raw[carried..] came from) to go on. When the
 * line after came before the current input, those lines are copied to
 * replay (r->replay_len bytes) and *from is SIZE_MAX: the caller scans the
 * replay, then all of the current input again. */
static int resync(wb_reader *r, size_t *from)
{
    wb_record rec;
    size_t first = (size_t)((const char *)memchr(r->raw, '\n', r->len) - r->raw);
    size_t carried = r->carried;
    memset(&rec, 0, sizeof rec);
    rec.line = r->record_line;
    rec.text = r->raw;
    rec.text_len = first > 0 && r->raw[first - 1] == '\r' ? first - 1 : first;
    rec.reject = WB_REJECT_QUOTE;
    if (!r->seen_first) {
        if (r->delimiter == WB_DELIM_AUTO)
            r->delimiter = detect_delimiter(rec.text, rec.text_len);
        r->seen_first = 1;
    }
    int rc = r->need_header ? (r->failed = WB_EHEADER) : emit(r, &rec);
    r->line = r->record_line + 1;
    r->len = r->carried = 0;
    r->breaks = 0;
    r->too_long = r->in_quotes = 0;
    if (rc != WB_OK)
        return rc;
    if (first >= carried) {                   /* the line after is in the input */
        *from = r->base + (first - carried) + 1;
        return WB_OK;
    }
    r->replay_len = carried - first - 1;
    memcpy(r->replay, r->raw + first + 1, r->replay_len);
    *from = SIZE_MAX;
    return WB_OK;
}

/* Adds one byte of a record in quotes that may have to give up: past
 * WB_RECORD_LINES_MAX lines or CAP bytes. 1: resync first. */
static int must_resync(const wb_reader *r, char c)
{
    if (!r->in_quotes || r->too_long)
        return 0;
    if (c == '\n' && r->breaks + 1 >= WB_RECORD_LINES_MAX)
        return 1;
    return r->len == CAP && memchr(r->raw, '\n', r->len) != NULL;
}

/* Scans bytes[from..len) of the current input, whose first `carried`
 * bytes of a record (if any) are already in raw. *stop = len when done, or
 * SIZE_MAX when a resync left lines in replay (see resync). */
static int scan(wb_reader *r, const char *bytes, size_t len, size_t from,
                size_t *stop)
{
    *stop = len;
    for (size_t i = from; i < len;) {
        if (r->len == 0 && !r->too_long) {
            size_t took;
            WB_FORWARD(whole_line(r, bytes + i, len - i, &took));
            if (took > 0) {
                i += took;
                continue;
            }
        }
        char c = bytes[i];
        if (r->len == 0 && !r->too_long) {
            r->record_line = r->line;
            r->field_start = 1;
            r->just_closed = 0;
            r->base = i;
        }
        if (must_resync(r, c)) {
            WB_FORWARD(resync(r, &i));
            if (i == SIZE_MAX) {
                *stop = SIZE_MAX;
                return WB_OK;
            }
            continue;
        }
        i++;
        if (c == '\n') {
            r->line++;
            if (!r->in_quotes || r->too_long) {
                WB_FORWARD(end_record(r));
                continue;
            }
            r->breaks++;
        } else if (r->delimiter != 0) {       /* spaces mode has no quoting */
            track_quotes(r, c);
        }
        if (r->len < CAP) r->raw[r->len++] = c;
        else r->too_long = 1;
    }
    return WB_OK;
}

/* The lines a resync copied to replay. No record predates them, so their
 * own resyncs stay within the replay buffer. */
static int scan_replay(wb_reader *r)
{
    size_t stop;
    r->carried = 0;
    return scan(r, r->replay, r->replay_len, 0, &stop);
}

int wb_reader_feed(wb_reader *r, const char *bytes, size_t len)
{
    WB_RETURN_IF(r == NULL || (bytes == NULL && len > 0), WB_EMISUSE);
    WB_RETURN_IF(r->failed, r->failed);
    for (;;) {
        size_t stop;
        r->carried = r->len;
        r->base = 0;
        WB_FORWARD(scan(r, bytes, len, 0, &stop));
        if (stop != SIZE_MAX)
            return WB_OK;
        WB_FORWARD(scan_replay(r));           /* then this input again */
    }
}

int wb_reader_finish(wb_reader *r)
{
    WB_RETURN_IF(r == NULL, WB_EMISUSE);
    WB_RETURN_IF(r->failed, r->failed);
    /* A quote still open at the end: its first line is bad, the rest is
     * read again as lines of their own. */
    while (r->in_quotes && !r->too_long && memchr(r->raw, '\n', r->len) != NULL) {
        size_t from;
        r->carried = r->len;                  /* all of it is from before */
        WB_FORWARD(resync(r, &from));
        WB_FORWARD(scan_replay(r));
    }
    if (r->len > 0 || r->too_long || r->in_quotes)
        return end_record(r);                 /* no final newline */
    return WB_OK;
}
