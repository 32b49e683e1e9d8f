/*
 * crm.c -- `--customers FILE`: what a CRM knows, one row per customer.
 *
 * A CSV file (RFC 4180 quotes; comma, or semicolon or tab when the header
 * has no comma) whose header names the columns. The columns the decision
 * uses are read into a wb_customer overlay (docs/customers.md lists them,
 * with their spellings and units); every other column is kept as a
 * dimension for `summary --by COLUMN`. An empty field means "not known":
 * the log's figure or the library's default stays. Every row is accounted
 * for: read = accepted + rejected, each reject named with its line and
 * reason; a duplicate id stops the command, naming both lines. The rows
 * are sorted by id in the ledger's order, so the two join in one pass.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tool.h"

#define MAX_SHOWN 10                    /* rejects shown on stderr */

/* The columns the decision reads: index into COLUMN_NAMES' groups. */
enum {
    COL_ID, COL_REASON, COL_SEVERITY, COL_INCIDENT, COL_HUMAN, COL_TOXIC,
    COL_OUT_OF_AREA, COL_REACHABLE, COL_BAD_PAYER, COL_OUT_OF_TARGET,
    COL_STRATEGIC, COL_CONFLICT, COL_NPS, COL_COMPLAINTS, COL_DEMANDS,
    COL_REQUESTS, COL_CONTACTS, COL_LAST_CONTACT, COL_RETURNS, COL_LOST_BY,
    COL_MARGIN, COL_COST, COL_CLV, COL_COUNT
};

/* Accepted header spellings, after lower-casing and turning spaces and
 * dashes into underscores; the first is the documented name. */
static const char *const COLUMN_NAMES[COL_COUNT][4] = {
    {"id", "customer_id", "customer", "client_id"},
    {"reason"}, {"severity"},
    {"incident_day", "incident_date", "incident"},
    {"human_factor"}, {"toxic"}, {"out_of_area"}, {"reachable"},
    {"bad_payer"}, {"out_of_target"}, {"strategic", "image"},
    {"conflict", "staff_conflict"}, {"nps"}, {"complaints"},
    {"discount_demands"}, {"requests", "requests_without_purchase"},
    {"contacts", "contacts_since_purchase"},
    {"last_contact", "last_contact_day"}, {"returns"},
    {"lost_by", "lost_by_employee"}, {"margin_bp"},
    {"cost", "winback_cost"}, {"clv"},
};

static const uint32_t FLAG_OF[COL_COUNT] = {
    [COL_HUMAN] = WB_CUST_HUMAN_FACTOR, [COL_TOXIC] = WB_CUST_TOXIC,
    [COL_OUT_OF_AREA] = WB_CUST_OUT_OF_AREA, [COL_REACHABLE] = WB_CUST_REACHABLE,
    [COL_BAD_PAYER] = WB_CUST_BAD_PAYER, [COL_OUT_OF_TARGET] = WB_CUST_OUT_OF_TARGET,
    [COL_STRATEGIC] = WB_CUST_STRATEGIC, [COL_CONFLICT] = WB_CUST_STAFF_CONFLICT,
};

/* The file being read and what its header said. */
typedef struct parser {
    csv csv;
    const options *o;
    int ncols;
    int role[CSV_MAX_FIELDS];   /* per column: COL_* or -1 (a dimension) */
    int dim_of[CSV_MAX_FIELDS]; /* per column: dimension index or -1 */
} parser;

/* ---- values ------------------------------------------------------------ */

static int parse_reason(char *v, int32_t *out)
{
    csv_key(v, '-');
    for (int r = 0; r < WB_REASON_COUNT; r++)
        if (strcmp(v, wb_reason_name(r)) == 0) {
            *out = r;
            return 1;
        }
    return 0;
}

static int parse_severity(char *v, int32_t *out)
{
    long n;
    csv_key(v, '-');
    if (parse_int_arg(v, 0, 5, &n) == WB_OK) {
        *out = (int32_t)n;
        return 1;
    }
    for (int s = 1; s <= 5; s++)
        if (strcmp(v, wb_severity_name(s)) == 0) {
            *out = s;
            return 1;
        }
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"1", "yes", "y", "true"};
    static const char *const no[] = {"0", "no", "n", "false"};
    for (int k = 0; k < 4; k++) {
        if (strcasecmp(v, yes[k]) == 0) { *out = 1; return 1; }
        if (strcasecmp(v, no[k]) == 0) { *out = 0; return 1; }
    }
    return 0;
}

/* One known column's value into the row; NULL or the reason it is bad. */
static const char *apply_value(parser *ps, int col, char *v, crm_row *r,
                               char *why, size_t size)
{
    wb_customer *c = &r->facts;
    long n;
    int b;
    int32_t day;
    int64_t money;
    switch (col) {
    case COL_REASON:
        return parse_reason(v, &c->reason) ? NULL : "reason: not a reason (price, "
               "service, forgot, lost-interest, quality, moved, business-changed, "
               "manager-changed, conflict, unknown)";
    case COL_SEVERITY:
        return parse_severity(v, &c->severity) ? NULL : "severity: not 0..5 or a "
               "severity name";
    case COL_INCIDENT:
    case COL_LAST_CONTACT:
        if (wb_day_parse(v, strlen(v), &day) != WB_OK)
            return col == COL_INCIDENT ? "incident_day: not a date (YYYY-MM-DD)"
                                       : "last_contact: not a date (YYYY-MM-DD)";
        if (day > ps->o->as_of) {
            snprintf(why, size, "%s: %s is after the plan's day",
                     COLUMN_NAMES[col][0], v);
            return why;
        }
        *(col == COL_INCIDENT ? &c->incident_day : &c->last_contact) = day;
        return NULL;
    case COL_NPS:
        RETURN_IF(parse_int_arg(v, 0, 10, &n) != WB_OK, "nps: not 0..10");
        c->nps = (int32_t)n;
        return NULL;
    case COL_COMPLAINTS: case COL_DEMANDS: case COL_REQUESTS:
    case COL_CONTACTS: case COL_RETURNS:
        if (parse_int_arg(v, 0, INT32_MAX, &n) != WB_OK) {
            snprintf(why, size, "%s: not a count (0 or more)", COLUMN_NAMES[col][0]);
            return why;
        }
        *(col == COL_COMPLAINTS ? &c->complaints : col == COL_DEMANDS ? &c->discount_demands
          : col == COL_REQUESTS ? &c->requests : col == COL_CONTACTS
          ? &c->contacts_since_purchase : &c->returns) = (int32_t)n;
        return NULL;
    case COL_LOST_BY:
        RETURN_IF(parse_int_arg(v, 0, LONG_MAX, &n) != WB_OK,
                  "lost_by: not an employee number (0 or more)");
        c->lost_by_employee = n;
        return NULL;
    case COL_MARGIN:
        RETURN_IF(parse_int_arg(v, -10000, 10000, &n) != WB_OK,
                  "margin_bp: not -10000..10000 basis points");
        c->margin_bp = (int32_t)n;
        return NULL;
    case COL_COST:
    case COL_CLV:
        if (parse_money_arg(v, ps->o->decimals, &money) != WB_OK || money < 0) {
            snprintf(why, size, "%s: not an amount of 0 or more with at most %d "
                     "decimals", COLUMN_NAMES[col][0], (int)ps->o->decimals);
            return why;
        }
        *(col == COL_COST ? &r->cost : &c->clv) = money;
        return NULL;
    default:                            /* the flags */
        if (!parse_bool(v, &b)) {
            snprintf(why, size, "%s: not yes or no (1/0, y/n, true/false)",
                     COLUMN_NAMES[col][0]);
            return why;
        }
        if (b)
            c->flags |= FLAG_OF[col];
        return NULL;
    }
}

/* ---- the header and the rows --------------------------------------- */

static int header(parser *ps, crm_table *t)
{
    uint64_t line;
    int nf = csv_next(&ps->csv, &line);
    if (nf <= 0) {
        fprintf(stderr, "winback: %s: %s\n", ps->csv.path, nf == 0
                ? "empty: a header row naming the columns is needed"
                : "the header row is not valid CSV");
        return EXIT_DATA;
    }
    int first[COL_COUNT];
    for (int k = 0; k < COL_COUNT; k++)
        first[k] = -1;
    ps->ncols = nf;
    t->dim_names = calloc((size_t)nf, sizeof *t->dim_names);
    RETURN_IF(t->dim_names == NULL, EXIT_INTERNAL);
    for (int i = 0; i < nf; i++) {
        char name[128];
        csv_text(&ps->csv.f[i], name, sizeof name);
        char key[128];
        memcpy(key, name, sizeof key);
        csv_key(key, '_');
        ps->role[i] = ps->dim_of[i] = -1;
        for (int k = 0; k < COL_COUNT && ps->role[i] < 0; k++)
            for (int s = 0; s < 4 && COLUMN_NAMES[k][s]; s++)
                if (strcmp(key, COLUMN_NAMES[k][s]) == 0)
                    ps->role[i] = k;
        int k = ps->role[i];
        if (k >= 0 && first[k] >= 0) {
            fprintf(stderr, "winback: %s: columns %d and %d are both %s\n",
                    ps->csv.path, first[k] + 1, i + 1, COLUMN_NAMES[k][0]);
            return EXIT_DATA;
        }
        if (k >= 0) {
            first[k] = i;
        } else {
            ps->dim_of[i] = (int)t->ndims;
            t->dim_names[t->ndims] = strdup(name);
            RETURN_IF(t->dim_names[t->ndims++] == NULL, EXIT_INTERNAL);
        }
    }
    if (first[COL_ID] < 0) {
        fprintf(stderr, "winback: %s: no id column (id, customer_id, customer "
                "or client_id)\n", ps->csv.path);
        return EXIT_DATA;
    }
    return EXIT_OK;
}

/* One record into *r; NULL, or why the row is rejected. */
static const char *parse_row(parser *ps, int nf, crm_row *r, char *why, size_t size)
{
    memset(r, 0, sizeof *r);
    RETURN_IF(wb_customer_init(&r->facts) != WB_OK, "out of memory");
    if (nf != ps->ncols) {
        snprintf(why, size, "%d fields, the header has %d", nf, ps->ncols);
        return why;
    }
    for (int i = 0; i < nf; i++) {
        const csv_field *f = &ps->csv.f[i];
        if (!csv_valid_utf8(f)) {
            snprintf(why, size, "column %d is not valid UTF-8", i + 1);
            return why;
        }
        if (ps->role[i] == COL_ID) {
            RETURN_IF(f->n == 0, "the id is empty");
            RETURN_IF(f->n > WB_ID_MAX, "the id is longer than 64 bytes");
            r->id = malloc(f->n);
            RETURN_IF(r->id == NULL, "out of memory");
            memcpy(r->id, f->p, f->n);
            r->id_len = f->n;
            continue;
        }
        char v[128];
        csv_text(f, v, sizeof v);
        if (ps->role[i] < 0) {
            if (r->dims == NULL && ps->ncols > 0)
                r->dims = calloc((size_t)ps->ncols, sizeof *r->dims);
            RETURN_IF(r->dims == NULL, "out of memory");
            r->dims[ps->dim_of[i]] = strdup(v);
            RETURN_IF(r->dims[ps->dim_of[i]] == NULL, "out of memory");
        } else if (v[0] != '\0') {
            const char *bad = apply_value(ps, ps->role[i], v, r, why, size);
            if (bad != NULL)
                return bad;
            r->given |= 1u << ps->role[i];
        }
    }
    return NULL;
}

void crm_free(crm_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].id);
        for (size_t d = 0; t->rows[i].dims && d < t->ndims; d++)
            free(t->rows[i].dims[d]);
        free(t->rows[i].dims);
    }
    for (size_t d = 0; d < t->ndims; d++)
        free(t->dim_names[d]);
    free(t->dim_names);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* The ledger's order: bytes compared, a prefix first. */
int id_compare(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c != 0 ? c : (an > bn) - (an < bn);
}

static int by_id(const void *x, const void *y)
{
    const crm_row *a = x, *b = y;
    int c = id_compare(a->id, a->id_len, b->id, b->id_len);
    return c != 0 ? c : (a->line > b->line) - (a->line < b->line);
}

static void reject(parser *ps, crm_table *t, uint64_t line, const char *why)
{
    if (++t->rejected <= MAX_SHOWN && !ps->o->quiet)
        fprintf(stderr, "winback: %s:%llu: %s\n", ps->csv.path,
                (unsigned long long)line, why);
}

static int rows(parser *ps, crm_table *t)
{
    size_t cap = 0;
    for (;;) {
        uint64_t line;
        int nf = csv_next(&ps->csv, &line);
        if (nf == 0)
            return EXIT_OK;
        t->read++;
        if (nf < 0) {
            reject(ps, t, line, "not valid CSV: a quote left open, or too many fields");
            continue;
        }
        if (t->n == cap) {
            cap = cap ? cap * 2 : 256;
            crm_row *bigger = realloc(t->rows, cap * sizeof *bigger);
            RETURN_IF(bigger == NULL, EXIT_INTERNAL);
            t->rows = bigger;
        }
        char why[160];
        crm_row *r = &t->rows[t->n];
        const char *bad = parse_row(ps, nf, r, why, sizeof why);
        r->line = line;
        t->n++;
        if (bad != NULL) {
            reject(ps, t, line, bad);
            for (size_t d = 0; r->dims && d < t->ndims; d++)
                free(r->dims[d]);
            free(r->dims);
            free(r->id);
            t->n--;
        }
    }
}

int crm_load(const options *o, crm_table *t)
{
    parser ps;
    memset(t, 0, sizeof *t);
    memset(&ps, 0, sizeof ps);
    ps.o = o;
    FORWARD(csv_open(o->customers_file, &ps.csv));
    int rc = header(&ps, t);
    if (rc == EXIT_OK)
        rc = rows(&ps, t);
    csv_close(&ps.csv);
    if (rc != EXIT_OK) {
        if (rc == EXIT_INTERNAL)
            fprintf(stderr, "winback: %s: out of memory\n", o->customers_file);
        crm_free(t);
        return rc;
    }
    if (t->n > 0)                       /* qsort of NULL is undefined */
        qsort(t->rows, t->n, sizeof *t->rows, by_id);
    for (size_t i = 1; i < t->n; i++)
        if (id_compare(t->rows[i].id, t->rows[i].id_len, t->rows[i - 1].id,
                       t->rows[i - 1].id_len) == 0) {
            fprintf(stderr, "winback: %s:%llu: id %.*s is already on line %llu\n",
                    o->customers_file, (unsigned long long)t->rows[i].line,
                    (int)t->rows[i].id_len, t->rows[i].id,
                    (unsigned long long)t->rows[i - 1].line);
            crm_free(t);
            return EXIT_DATA;
        }
    if (t->rejected > MAX_SHOWN && !o->quiet)
        fprintf(stderr, "winback: %s: %llu more rejected rows not shown\n", o->customers_file,
                (unsigned long long)(t->rejected - MAX_SHOWN));
    if (!o->quiet)
        fprintf(stderr, "winback: customers %s: read %llu, accepted %llu, rejected %llu\n",
                o->customers_file, (unsigned long long)t->read, (unsigned long long)t->n,
                (unsigned long long)t->rejected);
    if (o->strict && t->rejected > 0)
        return crm_free(t), EXIT_DATA;
    return EXIT_OK;
}

#define GIVEN(r, col) ((r)->given >> (col) & 1u)

/* What the CRM knows, over what the log says: every field it gave. */
void crm_apply(const crm_row *r, const options *o, wb_customer *c)
{
    const wb_customer *f = &r->facts;
    c->flags |= f->flags;
    if (GIVEN(r, COL_REASON)) c->reason = f->reason;
    if (GIVEN(r, COL_SEVERITY)) c->severity = f->severity;
    if (GIVEN(r, COL_INCIDENT)) c->incident_day = f->incident_day;
    if (GIVEN(r, COL_LAST_CONTACT)) c->last_contact = f->last_contact;
    if (GIVEN(r, COL_NPS)) c->nps = f->nps;
    if (GIVEN(r, COL_COMPLAINTS)) c->complaints = f->complaints;
    if (GIVEN(r, COL_DEMANDS)) c->discount_demands = f->discount_demands;
    if (GIVEN(r, COL_REQUESTS)) c->requests = f->requests;
    if (GIVEN(r, COL_CONTACTS)) c->contacts_since_purchase = f->contacts_since_purchase;
    if (GIVEN(r, COL_RETURNS)) c->returns = f->returns;   /* rule 6: the CRM's record */
    if (GIVEN(r, COL_LOST_BY)) c->lost_by_employee = f->lost_by_employee;
    if (GIVEN(r, COL_MARGIN)) c->margin_bp = f->margin_bp;
    if (GIVEN(r, COL_CLV)) c->clv = f->clv;
    c->winback_cost = GIVEN(r, COL_COST) ? r->cost : o->amount[MONEY_COST];
}

int crm_dimension(const crm_table *t, const char *name)
{
    for (size_t d = 0; d < t->ndims; d++)
        if (strcasecmp(t->dim_names[d], name) == 0)
            return (int)d;
    return -1;
}
