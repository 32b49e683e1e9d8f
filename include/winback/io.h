/*
 * winback/io.h -- libwinback, tier 2: the ledger and the log reader.
 *
 * Purchases in, per-customer facts out. These are the library's only heap
 * users (through a host allocator or the C library's); integer only.
 * Depends on the core (<winback/core.h>).
 */
#ifndef WINBACK_IO_H
#define WINBACK_IO_H

#include "winback/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Memory: the ledger and the reader are the only heap users
 * --------------------------------------------------------------------- */

/* A host's allocator. All three functions are required; `ud` is passed
 * back. alloc and realloc return NULL on failure; the library then returns
 * WB_ENOMEM and leaves the object as it was. Sizes are passed to realloc and
 * free so that pool allocators need not store them. */
typedef struct wb_allocator {
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ud, void *ptr, size_t size);
    void *ud;
} wb_allocator;

/* ------------------------------------------------------------------------
 * The customer ledger: purchases in, per-customer facts out
 *
 * Not thread safe for writing: one thread may change a ledger at a time,
 * except that wb_ledger_add_part calls on distinct parts of an unfinished
 * ledger may run concurrently (then the allocator must be thread safe, as
 * the C library's is). After wb_ledger_finish, any number of threads may
 * read it concurrently. Distinct ledgers are independent.
 * --------------------------------------------------------------------- */
#define WB_ID_MAX 64 /* bytes in a customer id */

typedef struct wb_ledger wb_ledger;

/* Per-customer facts. `id` points into the ledger: valid until the ledger
 * changes or is freed; it is not NUL-terminated. */
typedef struct wb_ledger_customer {
    const char *id;
    size_t id_len;
    int32_t first_day;      /* first purchase */
    int32_t last_day;       /* last purchase */
    int32_t purchases;      /* rows added for this customer */
    int32_t purchase_days;  /* distinct days with a purchase */
    int64_t total;          /* sum of amounts, minor units */
    int64_t avg_check;      /* total / purchase_days, rounded half up */
    wb_history history;     /* R6 losses and returns as of the query */
    int64_t first_day_spend; /* spent on first_day: total minus it is the
                                repeat spend the Gamma-Gamma model uses */
} wb_ledger_customer;

/* Creates an empty ledger; alloc may be NULL for the C library's malloc.
 * Errors: WB_EMISUSE, WB_EINVAL (allocator missing a function), WB_ENOMEM. */
WB_API WB_NODISCARD WB_NONNULL(2)
int wb_ledger_new(const wb_allocator *alloc, wb_ledger **ledger);

/* A ledger in `parts` parts (1..512): each customer belongs to one part,
 * chosen by a hash of its id (wb_ledger_part_of), and each part has its
 * own table and memory, so that threads can fill distinct parts at once
 * with wb_ledger_add_part. Every other call works on the whole ledger as
 * on a ledger of one part, and gives the same results whatever the number
 * of parts. A part holds at most (2^31-1) / parts customers; the rows
 * are bounded by 2^31-1 in each part as they are added, and in all when
 * the ledger is finished (WB_ERANGE from wb_ledger_finish).
 * wb_ledger_new is wb_ledger_new_parts with one part.
 * Errors: WB_EMISUSE, WB_EINVAL (parts out of range, allocator missing a
 * function), WB_ENOMEM. */
WB_API WB_NODISCARD WB_NONNULL(3)
int wb_ledger_new_parts(const wb_allocator *alloc, unsigned parts,
                        wb_ledger **ledger);
/* The number of parts; 0 for NULL. */
WB_API unsigned wb_ledger_parts(const wb_ledger *ledger);
/* The part of a customer id (0 for NULL, or an id the ledger would
 * refuse: empty or longer than WB_ID_MAX). Pure: it depends only on the
 * id and the number of parts, so a thread may call it at any time. */
WB_API unsigned wb_ledger_part_of(const wb_ledger *ledger, const char *id,
                                  size_t id_len);

/* Frees the ledger and everything in it. NULL is a harmless no-op. */
WB_API void wb_ledger_free(wb_ledger *ledger);

/* Adds one purchase: a customer id of 1..WB_ID_MAX bytes (any bytes), a
 * valid day, an amount >= 0. Rows may come in any order; results do not
 * depend on it. On any error the ledger is unchanged.
 * Errors: WB_EMISUSE, WB_EINVAL (empty id, negative amount), WB_ETOOLONG,
 * WB_EDATE, WB_ERANGE (a customer's total beyond int64, or more than
 * 2^31-1 rows or customers), WB_ENOMEM. */
WB_API WB_NODISCARD WB_NONNULL(1, 2)
int wb_ledger_add(wb_ledger *ledger, const char *id, size_t id_len,
                  int32_t day, int64_t amount);

/* One purchase for wb_ledger_add_many. */
typedef struct wb_purchase {
    const char *id;
    size_t id_len;
    int32_t day;
    int32_t reserved;  /* zero */
    int64_t amount;
} wb_purchase;

/* Adds n purchases in order, exactly as n calls of wb_ledger_add would,
 * but faster on large ledgers: the hash lookups of a group of rows are
 * overlapped (prefetched). Stops at the first row that fails; *added (may
 * be NULL) says how many rows were added before it. Errors: those of
 * wb_ledger_add for the failing row; WB_EMISUSE for rows == NULL, n > 0. */
WB_API WB_NODISCARD WB_NONNULL(1)
int wb_ledger_add_many(wb_ledger *ledger, const wb_purchase *rows, size_t n,
                       size_t *added);

/* wb_ledger_add_many for rows that all belong to `part`: calls on
 * distinct parts may run at the same time from different threads. The
 * ledger must not be finished (wb_ledger_add and _add_many, from one
 * thread, may add after finishing). Errors: those of wb_ledger_add_many;
 * WB_EMISUSE also for a part out of range, a finished ledger, or a row of
 * another part (which stops there, as any failing row does). */
WB_API WB_NODISCARD WB_NONNULL(1)
int wb_ledger_add_part(wb_ledger *ledger, unsigned part,
                       const wb_purchase *rows, size_t n, size_t *added);

/* Adds every purchase of `src` to `dst`: the same result as one ledger fed
 * both logs. `src` is unchanged; on error `dst` is unchanged.
 * Errors: WB_EMISUSE (NULL or src == dst), WB_ERANGE, WB_ENOMEM. */
WB_API WB_NODISCARD WB_NONNULL(1, 2)
int wb_ledger_merge(wb_ledger *dst, const wb_ledger *src);

/* Builds the read index: customers in ascending byte order of their ids
 * (shorter first on a common prefix), each customer's days sorted. Needed
 * before wb_ledger_at and wb_ledger_find; an add or merge drops the index.
 * Errors: WB_EMISUSE, WB_ERANGE (more than 2^31-1 rows in all, which only
 * a ledger of several parts can hold), WB_ENOMEM; either leaves the ledger
 * usable, unfinished. */
WB_API WB_NODISCARD WB_NONNULL(1) int wb_ledger_finish(wb_ledger *ledger);

/* A job of wb_ledger_finish_run: job(arg, k) does the k-th share. */
typedef void (*wb_job_fn)(void *arg, unsigned k);

/* The caller's way to run jobs: calls job(arg, k) once for every k in
 * [0, n) and returns when every call has returned, one after another or
 * at once on threads of its own. `runner` is the caller's pointer. */
typedef void (*wb_run_fn)(void *runner, wb_job_fn job, void *arg, unsigned n);

#define WB_LEDGER_JOBS_MAX 64u

/* wb_ledger_finish with its work cut into `jobs` jobs, 1 to
 * WB_LEDGER_JOBS_MAX, that run(runner, ...) runs five times over: job k
 * sorts the k-th slice of the customers, merges the k-th range of ranks
 * from the sorted slices, counts and then places the days of parts k,
 * k + jobs, ..., and sorts the days of the k-th range of ranks. No two
 * jobs of one call write the same memory and none allocates, so they may
 * run at once; the library starts no thread. run NULL: the jobs run one
 * after another on the calling thread. The index is the same whatever the
 * jobs and however they are run (0.2). Errors: WB_EMISUSE (jobs out of
 * range), WB_ERANGE and WB_ENOMEM (as wb_ledger_finish). */
WB_API WB_NODISCARD WB_NONNULL(1)
int wb_ledger_finish_run(wb_ledger *ledger, unsigned jobs, wb_run_fn run,
                         void *runner);

/* wb_ledger_finish, then gives back what only adding needs: the rows as
 * added (8 bytes each; the index keeps their days). The ledger is read
 * only from then on: wb_ledger_add, _add_many, _add_part and _merge (on
 * either side) return WB_EMISUSE; every query works. For a batch job that
 * loads, then reads. Sealing a sealed ledger does nothing.
 * Errors: those of wb_ledger_finish. */
WB_API WB_NODISCARD WB_NONNULL(1) int wb_ledger_seal(wb_ledger *ledger);

/* Numbers of customers and of purchase rows (either pointer may be NULL). */
WB_API WB_NODISCARD WB_NONNULL(1)
int wb_ledger_count(const wb_ledger *ledger, size_t *customers,
                    size_t *purchases);

/* Bytes the ledger holds from its allocator now. */
WB_API size_t wb_ledger_memory(const wb_ledger *ledger);
/* The bytes of all customer ids together (for wb_ledger_export's
 * id_bytes); 0 for NULL. */
WB_API size_t wb_ledger_id_bytes(const wb_ledger *ledger);

/* The index-th customer in id order, with R6 history as of `as_of` under
 * the policy's lost threshold. Errors: WB_EMISUSE (NULL, or not finished),
 * WB_ENOTFOUND (index >= customers), WB_EPOLICY, WB_ESTRUCT, WB_EDATE,
 * WB_EFUTURE (a purchase after as_of). */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 5)
int wb_ledger_at(const wb_ledger *ledger, const wb_policy *policy,
                 int32_t as_of, size_t index, wb_ledger_customer *out);

/* wb_ledger_at for the customers [from, from + n), the policy validated
 * once for them all: out[i] and status[i] (a wb_status) for customer
 * from + i, out[i] written only when status[i] is WB_OK; *failed (may be
 * NULL) counts the others. The call itself fails, writing nothing, for
 * WB_EMISUSE (NULL arrays for n > 0, an unfinished ledger), WB_ENOTFOUND
 * (the range passes the last customer) and a bad policy (WB_EPOLICY,
 * WB_ESTRUCT). Reentrant, like wb_ledger_at (0.2). */
WB_API WB_NODISCARD WB_NONNULL(1, 2)
int wb_ledger_at_many(const wb_ledger *ledger, const wb_policy *policy,
                      int32_t as_of, size_t from, size_t n,
                      wb_ledger_customer *out, int32_t *status, size_t *failed);

/* The same for one id; WB_ENOTFOUND if the ledger has no such customer. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 3, 6)
int wb_ledger_find(const wb_ledger *ledger, const wb_policy *policy,
                   const char *id, size_t id_len, int32_t as_of,
                   wb_ledger_customer *out);

/* The sorted purchase days of the index-th customer (finished ledger):
 * *days points into the ledger, *n rows (equal days repeat).
 * Errors: WB_EMISUSE, WB_ENOTFOUND. */
WB_API WB_NODISCARD WB_NONNULL(1, 3, 4)
int wb_ledger_days(const wb_ledger *ledger, size_t index,
                   const int32_t **days, size_t *n);

/* The id of the index-th customer (finished ledger), without the work
 * of wb_ledger_at: *id points into the ledger (not NUL-terminated).
 * Errors: WB_EMISUSE, WB_ENOTFOUND. */
WB_API WB_NODISCARD WB_NONNULL(1, 3, 4)
int wb_ledger_id_at(const wb_ledger *ledger, size_t index, const char **id,
                    size_t *id_len);

/* ------------------------------------------------------------------------
 * The log reader: bytes of a purchase log in, one callback per row out
 *
 * Streaming: feed any number of chunks of any size, then finish. Every data
 * row is reported exactly once, accepted or rejected with its line number
 * and reason, so read = accepted + rejected always holds. Lines with no
 * characters at all are not rows. A reader is used by one thread at a time.
 *
 * A quoted field may hold line breaks, but a quote left open cannot swallow
 * the rest of the log: when a record in quotes would span more than
 * WB_RECORD_LINES_MAX lines or WB_LINE_MAX bytes, or the input ends inside
 * quotes, the record's first physical line is rejected as WB_REJECT_QUOTE
 * and reading starts again at the next line, so every physical line still
 * ends up in a row or in a reject. A record already longer than WB_LINE_MAX
 * ends at the next line break, inside quotes or not.
 * --------------------------------------------------------------------- */
#define WB_DELIM_AUTO (-1)      /* detect from the first line: , ; tab or spaces */
#define WB_DELIM_WHITESPACE 0   /* fields separated by runs of spaces and tabs */
#define WB_LINE_MAX 65536       /* longest record in bytes, without its line
                                   ending (LF or CRLF); longer ones are rejected */
#define WB_RECORD_LINES_MAX 16  /* most physical lines one record may span
                                   (line breaks inside quotes) */

/* Why a row was rejected (wb_record.reject). */
enum wb_reject {
    WB_REJECT_NONE = 0,
    WB_REJECT_FIELDS = 1,      /* a needed field is missing */
    WB_REJECT_ID_EMPTY = 2,
    WB_REJECT_ID_TOO_LONG = 3, /* more than WB_ID_MAX bytes */
    WB_REJECT_DATE = 4,        /* not a date, or an impossible one */
    WB_REJECT_AMOUNT = 5,      /* not a number */
    WB_REJECT_PRECISION = 6,   /* more decimals than the currency has */
    WB_REJECT_NEGATIVE = 7,    /* below zero (refunds are not purchases) */
    WB_REJECT_QUOTE = 8,       /* unterminated or misplaced quote, or a
                                  quoted record past the bounds above */
    WB_REJECT_TOO_LONG = 9,    /* record longer than WB_LINE_MAX */
    WB_REJECT_RANGE = 10,      /* amount beyond int64 */
    WB_REJECT_FUTURE = 11      /* dated after the config's latest_day */
};
WB_API const char *wb_reject_name(int reject);

typedef struct wb_reader_config {
    uint32_t size;           /* sizeof(wb_reader_config), set by _init; the
                                smaller size of 0.1 (up to amount_name) is
                                still accepted, with the later fields' defaults */
    int32_t delimiter;       /* ',', ';', '\t', WB_DELIM_WHITESPACE or WB_DELIM_AUTO */
    int32_t header;          /* 1: the first row names the columns (default) */
    int32_t id_column;       /* 0-based columns, used when header is 0 */
    int32_t date_column;
    int32_t amount_column;
    int32_t decimals;        /* digits of the minor unit, 0..9 (default 2) */
    uint32_t amount_flags;   /* WB_AMOUNT_ROUND; ',' decimals are accepted
                                whenever the delimiter is not ',' */
    const char *id_name;     /* header names (case-insensitive); NULL: */
    const char *date_name;   /* customer_id|customer|client_id|id, */
    const char *amount_name; /* date|day|order_date, amount|dollar_value|value|total|sum */
    int32_t latest_day;      /* rows dated after this day are rejected as
                                WB_REJECT_FUTURE (a typo in a year must not
                                move a whole plan); WB_DAY_NONE (default): no
                                limit */
    int32_t reserved;        /* zero */
} wb_reader_config;

/* One row, passed to the callback. Pointers are valid during the call. */
typedef struct wb_record {
    uint64_t line;           /* 1-based line where the row starts */
    int32_t reject;          /* WB_REJECT_NONE when accepted */
    int32_t day;             /* accepted rows only */
    int64_t amount;          /* accepted rows only, minor units */
    const char *id;          /* accepted rows only */
    size_t id_len;
    const char *text;        /* the raw row, without its line ending (of a
                                WB_REJECT_TOO_LONG row, its first WB_LINE_MAX bytes) */
    size_t text_len;
} wb_record;

/* Return 0 to go on; anything else stops the reader, and feed/finish
 * return that value (so a host can stop at the first rejection). */
typedef int (*wb_record_fn)(void *ud, const wb_record *record);

typedef struct wb_reader wb_reader;

/* Defaults: auto delimiter, header row, 2 decimals, default names, no
 * latest day. */
WB_API WB_NODISCARD WB_NONNULL(1) int wb_reader_config_init(wb_reader_config *cfg);

/* Errors: WB_EMISUSE, WB_ESTRUCT, WB_EINVAL (bad config), WB_ENOMEM. */
WB_API WB_NODISCARD WB_NONNULL(1, 3, 5)
int wb_reader_new(const wb_reader_config *cfg, const wb_allocator *alloc,
                  wb_record_fn fn, void *ud, wb_reader **reader);
WB_API void wb_reader_free(wb_reader *reader);

/* Feeds the next `len` bytes. Errors: WB_EMISUSE, WB_EHEADER (the header
 * row lacks a column, or two columns match one role; fatal: see
 * wb_reader_header), or the callback's non-zero value. */
WB_API WB_NODISCARD WB_NONNULL(1)
int wb_reader_feed(wb_reader *reader, const char *bytes, size_t len);

/* Ends the input: a last row without a final newline is reported. */
WB_API WB_NODISCARD WB_NONNULL(1) int wb_reader_finish(wb_reader *reader);

/* A reader for a later part of the same log, so that parts can be read on
 * threads of their own (0.2). It reads as `reader` does from now on: the
 * same config, the delimiter and the columns `reader` has settled (from
 * the header row, or WB_DELIM_AUTO's choice), no header row of its own,
 * and line numbers going on from `reader`'s. Feed it bytes that start
 * where a record starts: just after a line break that ended one for
 * `reader` (see wb_reader_pending) -- fed from inside a record, it would
 * read that record's rest as rows of their own. It counts its own rows;
 * it uses `reader`'s allocator and shares nothing with it.
 * Errors: WB_EMISUSE (NULL, or `reader` has failed or not yet read a line
 * with text -- or, with a header row, the header), WB_ENOMEM. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 4)
int wb_reader_split(const wb_reader *reader, wb_record_fn fn, void *ud,
                    wb_reader **split);

/* Bytes of an unfinished record the reader holds: 0 when the bytes fed so
 * far end where a record ends (a line break outside quotes), as where a
 * split reader may take over. 0 for NULL. */
WB_API size_t wb_reader_pending(const wb_reader *reader);

/* The columns the header row gave each role: WB_COL_ID, WB_COL_DATE,
 * WB_COL_AMOUNT. A column matches a role when its name is the one the
 * config gives (id_name ...) or, when that is NULL, any of the role's
 * aliases; every column is checked, so a header with two matches for one
 * role ("customer,value,date,total": value and total both look like the
 * amount) is refused rather than read by whichever comes first. */
enum { WB_COL_ID = 0, WB_COL_DATE = 1, WB_COL_AMOUNT = 2 };
typedef struct wb_header_info {
    int32_t column[3];  /* 0-based column of each role, -1 when none matched */
    int32_t clash[3];   /* a second column that matched the same role, or -1 */
} wb_header_info;

/* After the header row was read (or refused with WB_EHEADER): which
 * columns matched. Before it, or without a header row, every entry is the
 * config's column and no clash. Errors: WB_EMISUSE. Thread safety: as the
 * reader's. */
WB_API WB_NODISCARD WB_NONNULL(1, 2)
int wb_reader_header(const wb_reader *reader, wb_header_info *info);

/* Rows seen, accepted and rejected so far (any pointer may be NULL). */
WB_API void wb_reader_counts(const wb_reader *reader, uint64_t *read,
                             uint64_t *accepted, uint64_t *rejected);

/* ------------------------------------------------------------------------
 * R12 what a win-back campaign returned (0.2; docs/outcome.md). Integer
 * arithmetic and no memory, but a report over many customers, not a till
 * decision: it lives with the ledger, off the firmware's budget.
 * --------------------------------------------------------------------- */
typedef struct wb_contact_result {
    int32_t returned;        /* 1: an order within the window after the
                                contact ([Rules] rule 11: only an order) */
    int32_t days_to_return;  /* first order day - contact day, or -1 */
    int32_t window_complete; /* 1: contact + window <= as_of */
    int32_t orders_before;   /* distinct purchase days up to the contact day */
    int32_t orders_after;    /* ... after it, within the window */
    int32_t reserved;        /* zero */
    int64_t spend_before;    /* minor units, up to the contact day */
    int64_t spend_after;     /* within the window after the contact */
    int64_t trial_order;     /* spend on the first day back */
    int64_t volume_after;    /* spend in the L days from the return on ... */
    int64_t volume_before;   /* ... and in the L days up to the last purchase
                                before the contact: L = the window, or the
                                days the data has after the return */
} wb_contact_result;

/* One contacted customer's purchases (days sorted ascending, amounts in
 * minor units, one per row; equal days are one order) against the contact
 * day: did an order follow within window_days (1..36500) after it, how
 * soon, the trial order, the spend before and after, and the volume
 * restored. Purchases after as_of must not be passed; the window ends at
 * as_of when the data ends first (window_complete 0).
 * Errors: WB_EMISUSE, WB_EDATE, WB_EFUTURE (contact after as_of), WB_EINVAL
 * (window, negative amount), WB_EORDER, WB_ERANGE (a sum beyond int64). */
WB_API WB_NODISCARD WB_NONNULL(7)
int wb_contact_outcome(const int32_t *days, const int64_t *amounts, size_t n,
                       int32_t contact_day, int32_t window_days, int32_t as_of,
                       wb_contact_result *out);

typedef struct wb_campaign_stats {
    int64_t contacted, returned, window_incomplete;
    int64_t return_rate_bp;      /* returned / contacted */
    int32_t days_q1, days_median, days_q3; /* days to the repeat purchase,
                                    nearest rank; -1 when none returned */
    int32_t romi_known;          /* 0 when the cost is 0 (R5: no ROMI) */
    int64_t trial_total;         /* sum of the trial orders: / returned */
    int64_t spend_before, orders_before;   /* average check before: / */
    int64_t spend_after, orders_after;     /* average check after: / */
    int64_t volume_before, volume_after;   /* returned customers only */
    int64_t volume_restored_bp;  /* volume_after / volume_before */
    int64_t cost;                /* what the contacts cost */
    int64_t income;              /* returned customers' spend in the window,
                                    on margin */
    int64_t romi_bp;             /* (income - cost) / cost (R5) */
} wb_campaign_stats;

/* R12's figures over the contacted customers' results: return rate, days
 * to the repeat purchase (quartiles), trial orders, average check before
 * and after, volume restored and the actual ROMI of `cost` against the
 * returned customers' spend in the window on margin_bp (0..10000).
 * Errors: WB_EMISUSE, WB_EINVAL (cost < 0, margin, an inconsistent
 * result), WB_ERANGE. */
WB_API WB_NODISCARD WB_NONNULL(5)
int wb_campaign_outcome(const wb_contact_result *results, size_t n, int64_t cost,
                        int32_t margin_bp, wb_campaign_stats *out);

#ifdef __cplusplus
}
#endif
#endif /* WINBACK_IO_H */
