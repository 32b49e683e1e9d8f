/*
 * tool.h -- shared parts of the winback command.
 */
#ifndef WINBACK_TOOL_H
#define WINBACK_TOOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "winback.h"

/* Return early: with `status` when `cond` holds; with the value of `expr`
 * when it is not 0 (WB_OK, EXIT_OK). The library's WB_RETURN_IF and
 * WB_FORWARD read the same way. */
#define RETURN_IF(cond, status) do { if (cond) return (status); } while (0)
#define FORWARD(expr) do { int fwd_rc_ = (expr); if (fwd_rc_ != 0) return fwd_rc_; } while (0)

/* Exit codes (documented in winback(1)). */
enum {
    EXIT_OK = 0,
    EXIT_DATA = 1,     /* a rejected row under --strict, a bad header or policy */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_IO = 3,       /* a file could not be read or written */
    EXIT_INTERNAL = 4  /* out of memory or another library failure */
};

enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

typedef struct base base;       /* base.c: the customers a command decides about */

/* Not a wb_status: a customer failed under --strict (already said). */
enum { STOP_CUSTOMER = -2 };

/* The commands, as bits: options.c says which options each one takes. */
enum {
    CMD_PLAN = 1u << 0, CMD_SUMMARY = 1u << 1, CMD_FIT = 1u << 2,
    CMD_CLV = 1u << 3, CMD_ROMI = 1u << 4, CMD_DISCOUNT = 1u << 5,
    CMD_OUTCOME = 1u << 6, CMD_REPORT = 1u << 7,
    CMD_CALC = CMD_CLV | CMD_ROMI | CMD_DISCOUNT
};

/* The amounts of the command line, parsed once --decimals is known. */
enum { MONEY_COST, MONEY_AVG, MONEY_PER_YEAR, MONEY_INCOME, MONEY_SPEND,
       MONEY_PRICE, MONEY_COUNT };

/* Everything the command line can set (defaults: options.c). */
#define WB_THREADS_MAX 64     /* each has a ledger part of its own */

typedef struct options {
    unsigned command;           /* one CMD_* bit */
    uint64_t given;             /* a bit per option the user gave */
    const char *log;            /* path or "-" */
    const char *policy_file;
    const char *rejects_file;
    const char *money[MONEY_COUNT];  /* the amounts' text ... */
    int64_t amount[MONEY_COUNT];     /* ... and their minor units (0: not given) */
    long days, bp;              /* discount: --days or --bp, -1 when not given */
    int32_t rounding;           /* discount: --rounding, -1 when not given */
    wb_policy policy;
    wb_reader_config reader;
    int32_t as_of;              /* WB_DAY_NONE: the day after the last purchase */
    int32_t years;              /* expected remaining lifetime for CLV */
    int32_t margin_bp;
    int32_t return_rate_bp;     /* share of eligible customers expected back */
    int32_t format;             /* FORMAT_* */
    int32_t decimals;
    long top;                   /* rows to print, -1 = all */
    int strict;
    int quiet;
    int32_t threads;            /* --threads: 0 for one per CPU */
    int model;                  /* plan: 1 with --model bgnbd */
    int32_t unit_days;          /* model time unit: 7 (weeks) or 1 (days) */
    double horizon;             /* plan --model: expected purchases over this many units */
    int32_t cal_end;            /* fit: rows after it are left out; WB_DAY_NONE: none */
    const char *customers_file; /* plan, summary, report: --customers */
    const char *by;             /* summary: --by month, quarter or a column */
    const char *contacted_file; /* outcome: --contacted */
    int32_t window;             /* outcome: --window, days after the contact */
    const char *output_file;    /* report: -o, --output */
} options;

/* One row of --customers: the CRM's facts about one customer. */
typedef struct crm_row {
    char *id;
    size_t id_len;
    uint64_t line;              /* where it was read */
    uint32_t given;             /* a bit per known column given a value */
    wb_customer facts;          /* the given fields; the rest as initialised */
    int64_t cost;               /* the win-back cost, when given */
    char **dims;                /* a string per dimension (other columns) */
} crm_row;

typedef struct crm_table {
    crm_row *rows;              /* sorted by id in the ledger's order */
    size_t n;
    char **dim_names;
    size_t ndims;
    uint64_t read, rejected;    /* read = n + rejected */
} crm_table;

/* The BG/NBD fit over a finished ledger, as of o->as_of. */
typedef struct model_fit {
    wb_bgnbd bgnbd;
    double ll;
    wb_gg gg;
    double gg_ll;
    int gg_ok;
    size_t customers, repeat_buyers;
    double ms;                  /* time the two fits took */
} model_fit;

/* options.c: the one table of options, their defaults and their help. */
unsigned command_bit(const char *name);
int options_init(options *o, unsigned command);
int options_parse(options *o, int argc, char **argv);
int options_given(const options *o, const char *name);
void options_help(FILE *f, unsigned commands);
int usage_error(const char *what, const char *arg);

/* calc.c: winback clv, romi and discount. */
int run_calculator(const options *o);

/* load.c: the log into a finished ledger; prints the read/accepted line.
 * A hook, if given, sees every row the ledger took (outcome keeps the
 * contacted customers' purchases with their amounts). */
typedef struct row_hook {
    void (*fn)(void *ud, const char *id, size_t id_len, int32_t day, int64_t amount);
    void *ud;
} row_hook;
int load_log(const options *o, wb_ledger **ledger, const row_hook *hook);

/* main.c: the as-of day when none is given, announced on stderr. */
int default_as_of(options *o, const wb_ledger *l, int fit);

/* page.c: winback report, one self-contained HTML page. */
int run_report(const options *o, const wb_ledger *l, const base *b);

/* campaign.c: winback outcome (R12). */
int run_outcome(options *o);

/* fit.c */
int fit_models(const options *o, const wb_ledger *ledger, model_fit *fit);
int run_fit(const options *o, const wb_ledger *ledger);


int run_plan(const options *o, const wb_ledger *ledger, const base *b);
int run_summary(const options *o, const wb_ledger *ledger, const base *b);
int customer_from_ledger(const options *o, const wb_ledger_customer *lc,
                         wb_customer *c);

/* policyfile.c: reads key = value lines into the policy and validates it;
 * errors on stderr name `path` and the line. */
int load_policy_file(const char *path, wb_policy *policy);
int load_policy_stream(const char *path, FILE *f, wb_policy *policy);

/* base.c: the log's customers joined with --customers, in id order. */
struct base {
    const wb_ledger *ledger;
    const crm_table *crm;       /* NULL without --customers */
    size_t n;                   /* customers */
    int32_t *li, *ci;           /* per customer: ledger index, crm row, or -1;
                                   NULL without --customers (the ledger's) */
};

typedef struct member {
    size_t index;               /* in the base */
    int32_t ledger_index;       /* -1: only in --customers, never bought */
    wb_ledger_customer lc;      /* when in the log */
    const crm_row *crm;         /* NULL: not in --customers */
    wb_customer c;              /* the decision's input: log, then CRM */
    const char *id;
    size_t id_len;
} member;

int base_open(const options *o, const wb_ledger *l, const crm_table *crm, base *b);
void base_close(base *b);
int base_member(const options *o, const base *b, size_t k, member *m);
/* Members [from, from + n) of the base, n at most DECIDE_BLOCK, and their
 * plans: status[i] is base_member's failure or else the decision's, and
 * plans[i] is made only when it is WB_OK. The same as base_member and
 * wb_decide one customer at a time. */
#define DECIDE_BLOCK 64
void base_decide(const options *o, const base *b, size_t from, size_t n,
                 member *mb, wb_plan *plans, int *status);
void base_id(const options *o, const base *b, size_t k, const char **id,
             size_t *len);

/* breakdown.c: summary --by (R13). */
enum { BY_MONTH, BY_QUARTER, BY_COLUMN };

typedef struct bucket {
    char *key;                  /* group value; NULL for a period */
    int32_t period;             /* month or quarter number */
    uint64_t customers, lost, returned, lost_now;
    int64_t value_lost;
} bucket;

typedef struct breakdown {
    int mode, dim;
    bucket *b;
    size_t n, cap;
    wb_loss_event *ev;          /* one customer's events */
    size_t ev_cap;
} breakdown;

int run_breakdown(const options *o, const base *b);
int breakdown_collect(const options *o, const base *b, breakdown *bd);
void breakdown_free(breakdown *bd);
void period_name(int mode, int32_t period, char *buf, size_t size);

/* summary.c: the totals of the base, one customer at a time. */
typedef struct totals {
    uint64_t per_class[WB_CLASS_TIER3 + 1];
    uint64_t per_action[WB_ACTION_EXCLUDE + 1];
    uint64_t customers, purchases, twice_lost, lost_now;
    uint64_t year_base, year_lost;    /* for the annual churn */
    int64_t revenue, lost_value, eligible_clv;
} totals;
int totals_add(const options *o, const base *b, size_t k, totals *t);

/* csv.c: the small CSV inputs (--customers, --contacted). */
#define CSV_MAX_FIELDS 256
typedef struct csv_field {
    const char *p;              /* into the file, or the unquoted copy */
    size_t n;
} csv_field;

typedef struct csv {
    const char *path;
    char *text, *unq;           /* the whole file; unquoted copies */
    size_t len, pos;
    uint64_t line;              /* line the next record starts on */
    char delim;
    csv_field f[CSV_MAX_FIELDS];
} csv;

int csv_open(const char *path, csv *c);
void csv_close(csv *c);
int csv_next(csv *c, uint64_t *line);     /* fields, 0 at the end, -1 broken */
const char *csv_text(const csv_field *f, char *buf, size_t size);
int csv_valid_utf8(const csv_field *f);
void csv_key(char *s, char sep);

/* crm.c: --customers. */
int crm_load(const options *o, crm_table *t);
void crm_free(crm_table *t);
void crm_apply(const crm_row *r, const options *o, wb_customer *c);
int crm_dimension(const crm_table *t, const char *name);
int id_compare(const char *a, size_t an, const char *b, size_t bn);

/* mapped.c: a byte range of the log through mmap windows. */
struct sigaction;
enum {
    MAPPED_NONE = 1100,     /* the file could not be mapped: read it instead */
    MAPPED_CHANGED = 1101   /* it was cut short while mapped (SIGBUS) */
};
typedef struct mapped_progress {
    void (*fn)(void *ud, long long done);   /* bytes of the range read */
    void *ud;
} mapped_progress;
/* Feeds the reader the bytes [from, to) of the regular file fd, a window
 * at a time; the reader's status, MAPPED_NONE when not even the first
 * window could be mapped, WB_EIO with errno when a later one could not,
 * MAPPED_CHANGED when the file shrank under a window. show may be NULL.
 * Only between mapped_guard and mapped_unguard, which install and restore
 * the SIGBUS handler that turns that fault into MAPPED_CHANGED. */
int feed_mapped(int fd, long long from, long long to, wb_reader *reader,
                mapped_progress *show);
int mapped_guard(struct sigaction *saved);
void mapped_unguard(const struct sigaction *saved);

/* util.c */
size_t format_money(int64_t minor, int32_t decimals, char *buf, size_t size);
/* The same text at w, without a NUL, for decimals 0..9 (what --decimals
 * takes): at most MONEY_TEXT_MAX bytes (a sign, 20 digits and a point).
 * Returns where the text ends. */
#define MONEY_TEXT_MAX 22
char *put_money(char *w, int64_t minor, int32_t decimals);
void format_percent(int64_t bp, char *buf, size_t size);
size_t format_day(int32_t day, char *buf);
void print_csv_text(FILE *f, const char *text);
void print_json_text(FILE *f, const char *text);
int parse_money_arg(const char *text, int32_t decimals, int64_t *minor);
int parse_int_arg(const char *text, long min, long max, long *value);
void die_status(const char *what, int status);
int same_file(const char *output, const char *input);
int32_t today_utc(void);
/* Threads for work split by customer or by ledger part: --threads, or
 * one per CPU (at most 8) for 0. */
unsigned worker_threads(const options *o);
/* The threads for work cut into ranges of `customers`: worker_threads,
 * but one for each 4096 customers at most, so a small base stays on one. */
unsigned range_threads(const options *o, size_t customers);
/* The first failed write to standard output: its errno, kept for the
 * message at the end; output_errno() is 0 while none failed. */
void output_failed(int err);
int output_errno(void);
/* Runs fn on each of n jobs (an array of job_size-byte structs, n at most
 * WB_THREADS_MAX): jobs 1..n-1 on threads of their own, job 0 on this one;
 * returns when all are done. A thread that cannot start leaves its job to
 * this one. */
void run_spread(void *(*fn)(void *), void *jobs, size_t job_size, unsigned n);
/* A wb_run_fn for the library (wb_ledger_finish_run): job k on thread k,
 * job 0 on this one, as run_spread. */
void run_jobs(void *runner, wb_job_fn job, void *arg, unsigned n);

/* The ledger's allocator: blocks of 64 KiB and more mapped from the
 * kernel, so that the ledger's freed blocks leave the process, or while
 * pooling serve the next blocks (pages.c). Any thread may use it. */
const wb_allocator *page_allocator(void);
/* What becomes of a freed block's pages: with POOL_LOADING (while a log
 * loads) and POOL_KEEP (from then on) they are kept for the next blocks,
 * with POOL_KEEP also for blocks larger than any one kept range; with
 * POOL_OFF, the kept ones and any freed later go back to the kernel. Any
 * thread may call it. */
enum { POOL_OFF, POOL_LOADING, POOL_KEEP };
void pages_pool(int mode);
/* A block of the page allocator for a command's own large array (its
 * pages likely the ledger's spent ones), and its return; the size given
 * back is the size asked for. */
void *pages_alloc(size_t size);
void pages_free(void *ptr, size_t size);

/* One reading thread's rows of one ledger part, held until they are
 * added part by part (spill.c). */
typedef struct spill_chunk spill_chunk;
typedef struct spill {
    spill_chunk *head, *tail;
    unsigned char *at, *end;        /* where the tail chunk's room is */
    int32_t day;                    /* the last row's: the next is kept as
                                       its difference */
} spill;
typedef struct spill_cursor {
    const spill_chunk *chunk;
    size_t at;
    int32_t day;
} spill_cursor;

/* Keeps a row (id_len 1..WB_ID_MAX, amount >= 0): the bytes it took,
 * id_len + 3 to id_len + 16, or 0 when memory ran out. */
size_t spill_row(spill *s, const char *id, size_t id_len, int32_t day,
                 int64_t amount);
/* A cursor at the spill's first row; nothing may be added after. */
spill_cursor spill_begin(spill *s);
/* The next rows from where cur stands, up to max of them; their ids
 * point into the spill. 0 at its end. */
size_t spill_read(spill_cursor *cur, wb_purchase *rows, size_t max);
/* Gives the spill's memory back; the spill is empty again. */
void spill_free(spill *s);

/* Reading threads that meet to add what they hold, once one of them
 * holds its share of the budget (meet.c). A meet_fn adds the calling
 * worker's share of the held rows: 0, or a failure that stops the
 * meetings. */
typedef int (*meet_fn)(void *ud);
typedef struct meeting {
    pthread_mutex_t lock;
    pthread_cond_t changed;     /* a request, an arrival, a stop, a reader done */
    unsigned n;                 /* workers, all of whom come to every meeting */
    unsigned reading;           /* of them, still reading */
    unsigned arrived, generation;  /* the barrier in progress */
    atomic_int wanted;          /* a meeting is asked for */
    int stopped;                /* a failure: no more meetings */
} meeting;

/* Not a wb_status: the meetings stopped for another worker's failure. */
#define STOP_MET 1006

int meeting_open(meeting *m, unsigned n);
void meeting_close(meeting *m);
/* Back to n workers, all reading, no meeting asked for, not stopped. */
void meeting_reset(meeting *m, unsigned n);
/* Whether a meeting is asked for (a relaxed read, for every row). */
int meeting_wanted(meeting *m);
/* Asks for a meeting (or joins the one asked for), adds this worker's
 * share when all are there, and returns once all have added: 0,
 * add_share's failure, or STOP_MET. */
int meeting_hold(meeting *m, meet_fn add_share, void *ud);
/* This worker has read its range (`failed`: not well, which stops the
 * meetings); it takes part in the meetings until every worker is done
 * reading. 0 or add_share's failure. */
int meeting_done(meeting *m, int failed, meet_fn add_share, void *ud);
void meeting_stop(meeting *m);

size_t utf8_length(const unsigned char *p, size_t n);
int customer_failed(const options *o, const char *id, size_t id_len,
                    int status, uint64_t *failed);
void report_failed(uint64_t failed);

/* report.c: winback plan. */
/* One plan row. Rows are made one at a time (the sort keeps only the
 * priority and the index of each customer), so its size matters little;
 * the enumerations fit a byte; the model's figures stay doubles (a float
 * overflowed to inf past 3.4e38, and JSON has no inf). */
typedef struct row {
    uint32_t index;             /* customer in the base's id order */
    uint16_t reasons, signals;  /* WB_EXCL_* and WB_SIGNAL_* bits: 8 and 4 */
    int32_t days_since, earliest, last_day, offer_expires;
    int16_t discount_bp;
    int8_t cls, action, escalation, approach, channel;
    int8_t state;               /* with --model: STATE_SLEEPING or _GONE */
    double p_alive, expected;   /* with --model: finite (the library's promise) */
    int64_t clv, priority;
} row;
/* 64 bytes: a row the printing fetches in priority order, anywhere in the
 * plan, is one cache line (the rows are page-aligned). */
_Static_assert(sizeof(row) == 64, "a row is one cache line");
_Static_assert(WB_EXCL_ALL_MASK <= 0xFFFFu && WB_SIGNAL_REQUESTS <= 0x8000u,
               "the reasons and signals fit 16 bits");

enum { STATE_NONE, STATE_SLEEPING, STATE_GONE };
extern const char *const STATE_NAME[];

/* What the sort needs of a row: 16 bytes a customer, not a whole row.
 * `winback plan` keeps the rows beside (the sealed ledger left room for
 * them); the report makes its few printed rows again. */
typedef struct ranked {
    int64_t priority;
    uint32_t index;
} ranked;

/* A row's fields as text, made once and printed in any format. */
typedef struct row_text {
    char last[WB_DATE_BUFSIZE], earliest[WB_DATE_BUFSIZE],
         expires[WB_DATE_BUFSIZE], clv[32], prio[32], reasons[160], signals[96];
    const char *cls, *act, *esc, *app, *chan, *state;
    int dbp, days_since;
} row_text;

int plan_row(const options *o, const base *b, const wb_bgnbd *m, size_t k,
             row *r, member *mb);
int rank_customers(const options *o, const base *b, const wb_bgnbd *m,
                   ranked **out, size_t *n);
/* The plan's order (rank_sort.c): priority, highest first; ties by index.
 * Expects rows in index order, and keeps ties so. */
void sort_by_priority(ranked *rows, size_t n);
/* The bits of a set of priorities, gathered where they are made (by
 * several threads, then joined): the sort looks only at the bits in which
 * they differ. NONE starts a set. */
typedef struct priority_bits {
    uint64_t any, all;          /* OR and AND of the sort keys */
} priority_bits;
#define PRIORITY_BITS_NONE {0, ~UINT64_C(0)}
void priority_bits_add(priority_bits *b, int64_t priority);
void priority_bits_join(priority_bits *into, const priority_bits *b);
/* sort_by_priority, given the bits of rows' priorities. */
void sort_ranked(ranked *rows, size_t n, const priority_bits *bits, unsigned threads);
void row_to_text(const options *o, const row *r, row_text *t);

#endif
