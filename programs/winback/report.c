/*
 * report.c -- `winback plan` and `winback summary` over a finished ledger.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define DAYS_PER_100_YEARS 36525
#define MIN_OBSERVED_DAYS 365   /* a newcomer's first month says little */


const char *const STATE_NAME[] = {"-", "sleeping", "gone"};

/* The decision call's input from what the log says about a customer.
 * Purchase rate: distinct purchase days per year observed since the first
 * purchase (at least a year, so one early order is not multiplied up). */
int customer_from_ledger(const options *o, const wb_ledger_customer *lc,
                         wb_customer *c)
{
    FORWARD(wb_customer_init(c));
    int64_t observed = (int64_t)o->as_of - lc->first_day;
    if (observed < MIN_OBSERVED_DAYS)
        observed = MIN_OBSERVED_DAYS;
    int64_t rate = (int64_t)lc->purchase_days * DAYS_PER_100_YEARS / observed;
    c->last_purchase = lc->last_day;
    c->returns = lc->history.returns;
    c->avg_check = lc->avg_check;
    c->purchases_per_year_x100 = rate > INT32_MAX ? INT32_MAX : (int32_t)rate;
    c->expected_years = o->years;
    c->margin_bp = o->margin_bp;
    c->winback_cost = o->amount[MONEY_COST];
    return WB_OK;
}

/* BG/NBD's view of a lapsed customer: still alive with at least the
 * policy's probability, it is sleeping -- overdue for its own rhythm, worth
 * a reminder, not a discount; otherwise it is gone and the ladder applies. */
static int apply_model(const options *o, const wb_bgnbd *m,
                       const wb_ledger_customer *lc, row *r)
{
    wb_rfm c;
    FORWARD(wb_rfm_from_ledger(lc, o->as_of, o->unit_days, &c));
    double p, e;
    FORWARD(wb_bgnbd_p_alive(m, &c, &p, NULL));
    FORWARD(wb_bgnbd_expected(m, &c, o->horizon, &e));
    r->p_alive = p;
    r->expected = e;
    if (r->action != WB_ACTION_WINBACK)
        return WB_OK;
    if (p * 10000.0 >= o->policy.sleeping_p_alive_bp) {
        r->state = STATE_SLEEPING;
        r->approach = WB_APPROACH_REMINDER;
        r->discount_bp = 0;
        r->offer_expires = WB_DAY_NONE;     /* a reminder makes no offer */
    } else {
        r->state = STATE_GONE;
    }
    return WB_OK;
}

/* A member's plan row from its decision, and the model's reading. */
static int row_from_plan(const options *o, const wb_bgnbd *m, size_t k,
                         const member *mb, const wb_plan *p, row *r)
{
    r->index = (uint32_t)k;
    r->reasons = (uint16_t)p->reasons;  /* every bit fits: see row */
    r->signals = (uint16_t)p->signals;
    r->cls = (int8_t)p->cls;            /* every value fits: see wb_plan */
    r->days_since = p->days_since;
    r->action = (int8_t)p->action;
    r->discount_bp = (int16_t)p->discount_bp;
    r->escalation = (int8_t)p->escalation;
    r->approach = (int8_t)p->approach;
    r->earliest = p->earliest_contact;
    r->channel = (int8_t)p->channel;
    r->offer_expires = p->offer_expires;
    r->last_day = mb->ledger_index >= 0 ? mb->lc.last_day : WB_DAY_NONE;
    r->clv = p->clv;
    r->priority = p->priority;
    r->state = STATE_NONE;
    r->p_alive = r->expected = 0.0;
    /* The model knows the log's buyers only; never-bought customers have
     * no purchase rhythm to read. */
    return m != NULL && mb->ledger_index >= 0 ? apply_model(o, m, &mb->lc, r) : WB_OK;
}

/* The k-th customer's plan row; *mb gets the customer (its id). */
int plan_row(const options *o, const base *b, const wb_bgnbd *m,
                    size_t k, row *r, member *mb)
{
    wb_plan p;
    FORWARD(base_member(o, b, k, mb));
    FORWARD(wb_decide(&o->policy, &mb->c, o->as_of, &p));
    return row_from_plan(o, m, k, mb, &p, r);
}


/* Every customer's priority, sorted; a customer whose plan fails (a CLV
 * beyond the money type, say) is said and left out, unless --strict. */
int rank_customers(const options *o, const base *b,
                          const wb_bgnbd *m, ranked **out, size_t *n)
{
    size_t kept = 0;
    uint64_t failed = 0;
    *out = malloc((b->n ? b->n : 1) * sizeof **out);
    RETURN_IF(*out == NULL, WB_ENOMEM);
    for (size_t i = 0; i < b->n; i++) {
        row r;
        member mb;
        int rc = plan_row(o, b, m, i, &r, &mb);
        const char *id;
        size_t id_len;
        if (rc != WB_OK)
            base_id(o, b, i, &id, &id_len);
        if (rc != WB_OK && customer_failed(o, id, id_len, rc, &failed) != EXIT_OK) {
            free(*out);
            return STOP_CUSTOMER;
        }
        if (rc != WB_OK)
            continue;
        (*out)[kept].priority = r.priority;
        (*out)[kept++].index = r.index;
    }
    report_failed(failed);
    sort_by_priority(*out, kept);
    *n = kept;
    return WB_OK;
}

/* Appends "name" (after a comma unless first) to buf[*used..size),
 * cutting at the end of buf as snprintf would. */
static void append_name(char *buf, size_t size, size_t *used, const char *name)
{
    if (*used > 0 && *used + 1 < size)
        buf[(*used)++] = ',';
    size_t n = strlen(name);
    if (*used + n >= size)
        n = size - 1 - *used;
    memcpy(buf + *used, name, n);
    *used += n;
    buf[*used] = '\0';
}

/* Signals as "a,b", or "-" when there are none. */
static void signals_text(uint32_t signals, char *buf, size_t size)
{
    size_t used = 0;
    memcpy(buf, "-", 2);
    for (uint32_t bit = 1; bit != 0 && bit <= WB_SIGNAL_REQUESTS; bit <<= 1)
        if (signals & bit)
            append_name(buf, size, &used, wb_signal_name(bit));
}

/* Exclusion reasons as "a,b", or "eligible" when there are none. */
static void reasons_text(uint32_t reasons, char *buf, size_t size)
{
    size_t used = 0;
    memcpy(buf, "eligible", 9);
    for (uint32_t bit = 1; bit != 0 && bit <= WB_EXCL_ALL_MASK; bit <<= 1)
        if (reasons & bit)
            append_name(buf, size, &used, wb_exclusion_name(bit));
}

/* An id as a JSON string. JSON is UTF-8: quotes, backslashes and control
 * bytes are escaped, and a byte that is not part of valid UTF-8 becomes
 * U+FFFD; such an id also gets "id_hex", its bytes in hex, so that nothing
 * is lost (winback(1)). Returns 1 when a byte was replaced. */
static int print_id_json(FILE *f, const char *id, size_t n)
{
    const unsigned char *p = (const unsigned char *)id;
    int replaced = 0;
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        size_t len = utf8_length(p + i, n - i);
        if (len == 0) {
            fputs("\\ufffd", f);
            replaced = 1;
            i++;
        } else if (p[i] == '"' || p[i] == '\\') {
            fprintf(f, "\\%c", p[i++]);
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            fprintf(f, "\\u%04x", p[i++]);
        } else {
            fwrite(p + i, 1, len, f);
            i += len;
        }
    }
    fputc('"', f);
    return replaced;
}

static void print_hex_json(FILE *f, const char *id, size_t n)
{
    fputs(", \"id_hex\": \"", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", (unsigned char)id[i]);
    fputc('"', f);
}

/* An id in the table, for a terminal: control bytes shown as '?'. */
static void print_id_table(FILE *f, const char *id, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        fputc((unsigned char)id[i] < 0x20 || id[i] == 0x7f ? '?' : id[i], f);
    for (; i < 12; i++)
        fputc(' ', f);
}

static const char *const COLUMNS =
    "id,last_purchase,days_since,class,action,discount_bp,clv,reasons,"
    "escalation,approach,earliest_contact,channel,offer_expires,signals,priority";


void row_to_text(const options *o, const row *r, row_text *t)
{
    format_day(r->last_day, t->last);
    format_day(r->earliest, t->earliest);
    format_day(r->offer_expires, t->expires);
    format_money(r->clv, o->decimals, t->clv, sizeof t->clv);
    format_money(r->priority, o->decimals, t->prio, sizeof t->prio);
    reasons_text(r->reasons, t->reasons, sizeof t->reasons);
    signals_text(r->signals, t->signals, sizeof t->signals);
    t->cls = wb_class_name(r->cls);
    t->act = wb_action_name(r->action);
    t->esc = wb_escalation_name(r->escalation);
    t->app = wb_approach_name(r->approach);
    t->chan = wb_channel_name(r->channel);
    t->state = STATE_NAME[r->state];
    t->dbp = r->discount_bp;
    t->days_since = r->days_since;
}

static void print_row_table(FILE *f, const options *o, const row *r,
                            const row_text *t, const char *id, size_t id_len)
{
    char disc[32];
    format_percent(t->dbp, disc, sizeof disc);
    print_id_table(f, id, id_len);
    fprintf(f, " %-10s %5d %-8s %-7s %5s%% %11s %-22s %-18s %-16s %-10s %-15s %-10s %-16s %11s",
           t->last, t->days_since, t->cls, t->act, disc, t->clv, t->reasons,
           t->esc, t->app, t->earliest, t->chan, t->expires, t->signals, t->prio);
    if (o->model)
        fprintf(f, " %8.4f %8.3f %-8s", r->p_alive, r->expected, t->state);
    fputc('\n', f);
}

/* The plan's CSV rows are written by hand into a buffer of the thread's,
 * which each block reuses: printf of fifteen fields per row cost more than
 * making the plan, and a memory stream per block more than the rows. */
typedef struct text {
    char *p;
    size_t n, cap;
} text;

/* Room for `need` more bytes at t->p + t->n; NULL when memory runs out. */
static char *text_room(text *t, size_t need)
{
    if (t->cap - t->n < need) {
        size_t cap = t->cap ? t->cap : 1 << 16;
        while (cap - t->n < need)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (p == NULL)
            return NULL;
        t->p = p;
        t->cap = cap;
    }
    return t->p + t->n;
}

/* A field's text at w, without its NUL; returns where the next goes. */
static char *put(char *w, const char *s)
{
    size_t k = strlen(s);
    memcpy(w, s, k); /* NOLINT(bugprone-not-null-terminated-result): a field of the line */
    return w + k;
}

/* An id as a CSV field (RFC 4180): quoted when it holds the delimiter, a
 * quote, CR or LF, with quotes doubled; its bytes are otherwise as read. */
static char *put_id_csv(char *w, const char *id, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = id[i] == ',' || id[i] == '"' || id[i] == '\r' || id[i] == '\n';
    if (!quote) {
        memcpy(w, id, n);
        return w + n;
    }
    *w++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (id[i] == '"')
            *w++ = '"';
        *w++ = id[i];
    }
    *w++ = '"';
    return w;
}

/* The bytes a row can take beyond its quoted id (2 per id byte and 2
 * quotes): about 530 at most, the mask texts' buffers (160 and 96 bytes),
 * amounts of 31, short names and dates, and the model's three fields in
 * at most 96; and up to 32 past its end, which put_short copies whole. */
#define CSV_ROW_MAX 1024u

/* A short text padded to a fixed size, copied whole where it goes: one
 * or two moves, where a copy of its length was a call to memcpy after
 * one to strlen -- 8 % of the printing's instructions. The bytes past
 * its length land where the next field goes, and are overwritten. */
#define SHORT_TEXT 32
typedef struct short_text {
    char s[SHORT_TEXT];
    size_t n;                   /* 0: not made yet */
} short_text;

static char *put_short(char *w, const short_text *t)
{
    memcpy(w, t->s, SHORT_TEXT);
    return w + t->n;
}

/* The names a CSV row prints, by kind and value (each kind has fewer
 * than NAMED values), made as first met. */
enum { NAME_CLASS, NAME_ACTION, NAME_ESCALATION, NAME_APPROACH, NAME_CHANNEL, NAME_KINDS };
#define NAMED 16
static const char *(*const NAME_OF[NAME_KINDS])(int) = {
    wb_class_name, wb_action_name, wb_escalation_name, wb_approach_name, wb_channel_name,
};

/* What a thread's CSV rows share: the texts of the last reasons and
 * signals masks it printed (most rows share a few, and each is a loop
 * over names) and the names. */
typedef struct row_memo {
    uint32_t reasons, signals;
    int known;
    char rtext[160], stext[96];
    size_t rlen, slen;
    short_text names[NAME_KINDS][NAMED];
} row_memo;

static void know_masks(const row *r, row_memo *m)
{
    if (!m->known || m->reasons != r->reasons) {
        reasons_text(r->reasons, m->rtext, sizeof m->rtext);
        m->rlen = strlen(m->rtext);
        m->reasons = r->reasons;
    }
    if (!m->known || m->signals != r->signals) {
        signals_text(r->signals, m->stext, sizeof m->stext);
        m->slen = strlen(m->stext);
        m->signals = r->signals;
    }
    m->known = 1;
}

/* The name of `value` of a kind. */
static char *put_name(char *w, row_memo *m, int kind, int value)
{
    if (value < 0 || value >= NAMED)
        return put(w, NAME_OF[kind](value));
    short_text *t = &m->names[kind][value];
    if (t->n == 0) {
        const char *name = NAME_OF[kind](value);
        size_t k = strlen(name);
        if (k == 0 || k >= SHORT_TEXT)
            return put(w, name);
        memcpy(t->s, name, k);
        t->n = k;
    }
    return put_short(w, t);
}

/* A CSV row, its fields formatted where they go (row_to_text's texts,
 * without the copies). */
static int text_row_csv(text *out, const options *o, const row *r,
                        row_memo *m, const char *id, size_t id_len)
{
    const int32_t dec = o->decimals;
    char *w = text_room(out, 2 * id_len + 2 + CSV_ROW_MAX), *start = w;
    if (w == NULL)
        return WB_ENOMEM;
    know_masks(r, m);
    w = put_id_csv(w, id, id_len);
    *w++ = ',';
    w += format_day(r->last_day, w);
    *w++ = ',';
    w = put_money(w, r->days_since, 0);
    *w++ = ',';
    w = put_name(w, m, NAME_CLASS, r->cls);
    *w++ = ',';
    w = put_name(w, m, NAME_ACTION, r->action);
    *w++ = ',';
    w = put_money(w, r->discount_bp, 0);
    *w++ = ',';
    w = put_money(w, r->clv, dec);
    w = put(w, ",\"");
    memcpy(w, m->rtext, m->rlen);
    w += m->rlen;
    w = put(w, "\",");
    w = put_name(w, m, NAME_ESCALATION, r->escalation);
    *w++ = ',';
    w = put_name(w, m, NAME_APPROACH, r->approach);
    *w++ = ',';
    w += format_day(r->earliest, w);
    *w++ = ',';
    w = put_name(w, m, NAME_CHANNEL, r->channel);
    *w++ = ',';
    w += format_day(r->offer_expires, w);
    w = put(w, ",\"");
    memcpy(w, m->stext, m->slen);
    w += m->slen;
    w = put(w, "\",");
    w = put_money(w, r->priority, dec);
    if (o->model) {             /* %.6g is at most 13 bytes */
        int k = snprintf(w, 96, ",%.6g,%.6g,%s", r->p_alive, r->expected,
                         STATE_NAME[r->state]);
        w += k > 0 && k < 96 ? k : 0;
    }
    *w++ = '\n';
    out->n += (size_t)(w - start);
    return WB_OK;
}

static void print_row_json(FILE *f, const options *o, const row *r,
                           const row_text *t, const char *id, size_t id_len, int first)
{
    fprintf(f, "%s  {\"id\": ", first ? "" : ",\n");
    if (print_id_json(f, id, id_len))
        print_hex_json(f, id, id_len);
    fprintf(f, ", \"last_purchase\": \"%s\", \"days_since\": %d, \"class\": "
           "\"%s\", \"action\": \"%s\", \"discount_bp\": %d, \"clv\": %s, "
           "\"reasons\": \"%s\", \"escalation\": \"%s\", \"approach\": "
           "\"%s\", \"earliest_contact\": \"%s\", \"channel\": \"%s\", "
           "\"offer_expires\": \"%s\", \"signals\": \"%s\", \"priority\": %s",
           t->last, t->days_since, t->cls, t->act, t->dbp, t->clv, t->reasons,
           t->esc, t->app, t->earliest, t->chan, t->expires, t->signals, t->prio);
    if (o->model)
        fprintf(f, ", \"p_alive\": %.6g, \"expected_purchases\": %.6g, \"state\": \"%s\"",
               r->p_alive, r->expected, t->state);
    fputc('}', f);
}

static void print_row(FILE *f, const options *o, const row *r, const char *id,
                      size_t id_len, int first)
{
    row_text t;
    row_to_text(o, r, &t);
    if (o->format == FORMAT_TABLE)
        print_row_table(f, o, r, &t, id, id_len);
    else
        print_row_json(f, o, r, &t, id, id_len, first);
}

static void print_header(const options *o)
{
    if (o->format == FORMAT_TABLE) {
        printf("%-12s %-10s %5s %-8s %-7s %6s %11s %-22s %-18s %-16s %-10s %-15s %-10s %-16s %11s",
               "id", "last", "days", "class", "action", "disc", "clv",
               "reasons", "escalation", "approach", "contact", "channel",
               "expires", "signals", "priority");
        if (o->model)
            printf(" %8s %8s %-8s", "p_alive", "expected", "state");
        putchar('\n');
    } else if (o->format == FORMAT_CSV) {
        printf("%s%s\n", COLUMNS, o->model ? ",p_alive,expected_purchases,state" : "");
    } else {
        printf("[\n");
    }
}

/* Plans for customers [from, to) of the base, each with its status. */
typedef struct plan_job {
    const options *o;
    const base *b;
    const wb_bgnbd *m;
    row *rows;
    int8_t *status;
    ranked *order;              /* each customer's priority, by index */
    size_t from, to;
    size_t failed;              /* customers whose plan failed */
    priority_bits bits;         /* of the planned customers' priorities */
} plan_job;

/* The rows of plan_row, a block of customers at a time (base_decide),
 * and their priorities for the ranking, read here while in cache. */
static void *plan_range(void *arg)
{
    plan_job *j = arg;
    member mb[DECIDE_BLOCK];
    wb_plan plans[DECIDE_BLOCK];
    int status[DECIDE_BLOCK];
    for (size_t at = j->from; at < j->to; at += DECIDE_BLOCK) {
        size_t n = j->to - at;
        if (n > DECIDE_BLOCK)
            n = DECIDE_BLOCK;
        base_decide(j->o, j->b, at, n, mb, plans, status);
        for (size_t i = 0; i < n; i++) {
            row *r = &j->rows[at + i];
            int rc = status[i] != WB_OK ? status[i]
                         : row_from_plan(j->o, j->m, at + i, &mb[i], &plans[i], r);
            j->status[at + i] = (int8_t)rc;
            j->failed += rc != WB_OK;
            j->order[at + i].priority = rc == WB_OK ? r->priority : 0;
            j->order[at + i].index = (uint32_t)(at + i);
            if (rc == WB_OK)
                priority_bits_add(&j->bits, r->priority);
        }
    }
    return NULL;
}

/* What plan_everyone found out for the ranking. */
typedef struct planned {
    size_t failed;              /* customers whose plan failed */
    priority_bits bits;         /* of the others' priorities */
} planned;

/* Every customer's plan, the base cut into one range per thread: a plan
 * depends on its customer alone, so the rows are the same whatever the
 * number of threads. order[] gets every customer's priority by index. */
static planned plan_everyone(const options *o, const base *b, const wb_bgnbd *m,
                             row *rows, int8_t *status, ranked *order)
{
    plan_job jobs[WB_THREADS_MAX] = {{0}};
    planned all = {0, PRIORITY_BITS_NONE};
    unsigned n = range_threads(o, b->n);
    for (unsigned k = 0; k < n; k++) {
        plan_job j = {o, b, m, rows, status, order, b->n * k / n, b->n * (k + 1) / n,
                      0, PRIORITY_BITS_NONE};
        jobs[k] = j;
    }
    run_spread(plan_range, jobs, sizeof *jobs, n);
    for (unsigned k = 0; k < n; k++) {
        all.failed += jobs[k].failed;
        priority_bits_join(&all.bits, &jobs[k].bits);
    }
    return all;
}

/* The planned customers by priority, order[] (every customer, by index)
 * sorted in place; one whose plan failed is said in id order and left
 * out, unless --strict. */
static int rank_planned(const options *o, const base *b, const int8_t *status,
                        const planned *p, ranked *order, size_t *n)
{
    size_t kept = b->n;
    uint64_t failed = 0;
    if (p->failed > 0) {
        kept = 0;
        for (size_t i = 0; i < b->n; i++) {
            const char *id;
            size_t id_len;
            if (status[i] == WB_OK) {
                order[kept++] = order[i];
                continue;
            }
            base_id(o, b, i, &id, &id_len);
            if (customer_failed(o, id, id_len, status[i], &failed) != EXIT_OK)
                return STOP_CUSTOMER;
        }
    }
    report_failed(failed);
    sort_ranked(order, kept, &p->bits, range_threads(o, kept));
    *n = kept;
    return WB_OK;
}

/* Rows [from, to) of the plan, in priority order, as text in memory. */
#define PRINT_BLOCK 2048
typedef struct block_id {
    const char *id;
    size_t len;
} block_id;

/* One block of the plan in flight: its rows' text, made by any thread. */
typedef struct print_slot {
    text csv;                   /* CSV: the slot's buffer, kept across blocks */
    char *stream;               /* the other formats: a memory stream's */
    size_t stream_len;
    int failed;
    int ready;                  /* made, not yet written */
} print_slot;

/* Blocks in flight at most: a thread that would run further ahead of the
 * writing waits. */
#define PRINT_RING 8

/* The plan's blocks, taken in turn by the threads and written in order by
 * whichever thread makes the next one due: no thread waits for a round's
 * slowest block, and writing overlaps making. */
typedef struct print_queue {
    const options *o;
    const base *b;
    const row *rows;
    const ranked *order;
    size_t shown, blocks;
    pthread_mutex_t lock;
    pthread_cond_t room;        /* a block was written */
    size_t next_take, next_write;
    int writing;                /* a thread is writing the due blocks */
    int rc;                     /* WB_ENOMEM once a block could not be made */
    int stop;                   /* nothing more goes out: make no more */
    print_slot ring[PRINT_RING];
} print_queue;

/* The block's ids are fetched first, in a loop of their own: each is two
 * cache misses anywhere in the ledger, and with nothing else between the
 * fetches the processor overlaps them. Fetched between rows, each one was
 * waited for in full. The loop also fetches the id's bytes and the rows
 * (in priority order, scattered over the plan) ahead of their printing. */
static void fetch_ids(const print_queue *q, size_t from, size_t to, block_id *ids)
{
    for (size_t i = from; i < to; i++) {
        base_id(q->o, q->b, q->order[i].index, &ids[i - from].id, &ids[i - from].len);
        __builtin_prefetch(ids[i - from].id);       /* its bytes, too */
        __builtin_prefetch(&q->rows[q->order[i].index]);  /* its row: one line */
    }
}

/* Block k of the plan as text in its slot. */
static void make_block(const print_queue *q, size_t k, print_slot *s)
{
    block_id ids[PRINT_BLOCK];          /* 32 KiB of the thread's stack */
    size_t from = k * PRINT_BLOCK;
    size_t to = from + PRINT_BLOCK < q->shown ? from + PRINT_BLOCK : q->shown;
    fetch_ids(q, from, to, ids);
    s->csv.n = 0;
    s->failed = 0;
    if (q->o->format == FORMAT_CSV) {
        row_memo m;
        memset(&m, 0, sizeof m);
        for (size_t i = from; !s->failed && i < to; i++)
            s->failed = text_row_csv(&s->csv, q->o, &q->rows[q->order[i].index], &m,
                                     ids[i - from].id, ids[i - from].len) != WB_OK;
        return;
    }
    FILE *f = open_memstream(&s->stream, &s->stream_len);
    s->failed = f == NULL;
    /* fetch_ids made ids[0, to - from), which the analyzer does not follow */
    for (size_t i = from; f != NULL && i < to; i++)
        /* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
        print_row(f, q->o, &q->rows[q->order[i].index], ids[i - from].id,
                  ids[i - from].len, i == 0);
    if (f != NULL && (ferror(f) | fclose(f)) != 0)
        s->failed = 1;
}

/* A made block to standard output, and its memory stream freed; after a
 * block that could not be made, nothing more is written. */
static void write_block(print_slot *s, const options *o, int *rc)
{
    const char *p = o->format == FORMAT_CSV ? s->csv.p : s->stream;
    size_t n = o->format == FORMAT_CSV ? s->csv.n : s->stream_len;
    if (s->failed)
        *rc = WB_ENOMEM;
    else if (*rc == WB_OK && !ferror(stdout) && n > 0 && fwrite(p, 1, n, stdout) != n)
        output_failed(errno);   /* said at the end; nothing more is written */
    free(s->stream);
    s->stream = NULL;
}

/* The next block to make, or the count of blocks when none is left (or
 * none would go out); waits while the ring is full. Called with the lock
 * held. */
static size_t take_block(print_queue *q)
{
    while (!q->stop && q->next_take < q->blocks &&
           q->next_take - q->next_write >= PRINT_RING)
        pthread_cond_wait(&q->room, &q->lock);
    return !q->stop && q->next_take < q->blocks ? q->next_take++ : q->blocks;
}

/* Block k is made: when it is the one due and no thread is writing, this
 * thread writes it and every made block after it. Called with the lock
 * held; the writing itself is done without it. */
static void block_made(print_queue *q, size_t k)
{
    q->ring[k % PRINT_RING].ready = 1;
    if (q->writing || k != q->next_write)
        return;
    q->writing = 1;
    for (print_slot *s; (s = &q->ring[q->next_write % PRINT_RING])->ready;) {
        int rc = q->rc;
        pthread_mutex_unlock(&q->lock);
        write_block(s, q->o, &rc);
        int stop = rc != WB_OK || output_errno() != 0 || ferror(stdout);
        pthread_mutex_lock(&q->lock);
        q->rc = rc;
        q->stop |= stop;
        s->ready = 0;
        q->next_write++;
        pthread_cond_broadcast(&q->room);
    }
    q->writing = 0;
}

/* A thread's job: the queue they share. */
typedef struct print_worker {
    print_queue *q;
} print_worker;

static void *print_blocks(void *arg)
{
    print_queue *q = ((print_worker *)arg)->q;
    pthread_mutex_lock(&q->lock);
    for (size_t k; (k = take_block(q)) < q->blocks;) {
        pthread_mutex_unlock(&q->lock);
        make_block(q, k, &q->ring[k % PRINT_RING]);
        pthread_mutex_lock(&q->lock);
        block_made(q, k);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Formatting a row costs more than deciding it, and the rows go out in
 * priority order, so each fetches its customer's id from anywhere in the
 * ledger. The threads make the plan's blocks into memory, and they go out
 * in order (print_queue). */
static int print_plan(const options *o, const base *b, const row *rows,
                      const ranked *order, size_t n)
{
    print_queue q;
    print_worker jobs[WB_THREADS_MAX];
    size_t shown = o->top >= 0 && (size_t)o->top < n ? (size_t)o->top : n;
    unsigned t = worker_threads(o);
    memset(&q, 0, sizeof q);
    q.o = o;
    q.b = b;
    q.rows = rows;
    q.order = order;
    q.shown = shown;
    q.blocks = (shown + PRINT_BLOCK - 1) / PRINT_BLOCK;
    q.rc = WB_OK;
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.room, NULL);
    for (unsigned k = 0; k < t; k++)
        jobs[k].q = &q;
    print_header(o);
    run_spread(print_blocks, jobs, sizeof *jobs, t);
    for (unsigned k = 0; k < PRINT_RING; k++)
        free(q.ring[k].csv.p);
    pthread_cond_destroy(&q.room);
    pthread_mutex_destroy(&q.lock);
    if (q.rc == WB_OK && o->format == FORMAT_JSON)
        printf("%s]\n", shown ? "\n" : "");
    return q.rc;
}

static int fit_for_plan(const options *o, const wb_ledger *l, model_fit *fit)
{
    int frc = fit_models(o, l, fit);
    if (frc != WB_OK) {
        if (frc != WB_EMODEL)       /* that one fit_models explained */
            die_status("BG/NBD fit", frc);
        return EXIT_DATA;
    }
    if (!o->quiet)
        fprintf(stderr, "winback: BG/NBD r %.4f alpha %.4f a %.4f b %.4f "
                "(log-likelihood %.2f, %zu customers, time in %s)\n",
                fit->bgnbd.r, fit->bgnbd.alpha, fit->bgnbd.a, fit->bgnbd.b,
                fit->ll, fit->customers, o->unit_days == 7 ? "weeks" : "days");
    return EXIT_OK;
}

int run_plan(const options *o, const wb_ledger *l, const base *b)
{
    static char out_buf[1 << 18];   /* stdout in large writes */
    model_fit fit;
    size_t n = 0, cap = b->n ? b->n : 1;
    if (o->model && fit_for_plan(o, l, &fit) != EXIT_OK)
        return EXIT_DATA;
    setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
    const wb_bgnbd *m = o->model ? &fit.bgnbd : NULL;
    /* The pages the sealed ledger's rows have left, as far as they go; a
     * row is read only once written (its status WB_OK). */
    row *rows = pages_alloc(cap * sizeof *rows);
    int8_t *status = calloc(cap, sizeof *status);    /* WB_* codes fit */
    ranked *order = pages_alloc(cap * sizeof *order);
    int rc = rows && status && order ? WB_OK : WB_ENOMEM;
    if (rc == WB_OK) {
        planned p = plan_everyone(o, b, m, rows, status, order);
        rc = rank_planned(o, b, status, &p, order, &n);
    }
    if (rc == WB_OK)
        rc = print_plan(o, b, rows, order, n);
    pages_free(rows, cap * sizeof *rows);
    free(status);
    pages_free(order, cap * sizeof *order);
    if (rc == STOP_CUSTOMER)
        return EXIT_DATA;
    if (rc != WB_OK) {
        die_status("plan", rc);
        return EXIT_INTERNAL;
    }
    return ferror(stdout) ? EXIT_IO : EXIT_OK;
}
