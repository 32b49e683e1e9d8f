/*
 * options.c -- every option of every winback command, in one table.
 *
 * Each option is written once: its name, its value's name, the commands it
 * applies to, its help line and its default. The defaults are applied by
 * parsing their text through the same function as a user's value, and
 * --help prints the same text, so the two cannot disagree. An option given
 * to a command it does not apply to is a usage error, never ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

typedef int (*apply_fn)(options *o, const char *value);

typedef struct option_spec {
    const char *name;     /* "--as-of" */
    const char *arg;      /* the value's name; NULL for a flag */
    unsigned commands;    /* CMD_* bits it applies to */
    apply_fn apply;
    const char *def;      /* default, applied and printed; NULL: none */
    const char *help;
} option_spec;

/* "winback: WHAT: ARG" on stderr and the usage exit code. */
int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "winback: %s%s%s (try winback --help)\n", what,
            arg ? ": " : "", arg ? arg : "");
    return EXIT_USAGE;
}

static int number(const char *v, long min, long max, long *out)
{
    return parse_int_arg(v, min, max, out) == WB_OK ? EXIT_OK
                                                    : usage_error("bad number", v);
}

static int day_value(const char *v, int32_t *out)
{
    return wb_day_parse(v, strlen(v), out) == WB_OK ? EXIT_OK
                                                    : usage_error("bad date", v);
}

/* A keyword among names[], its index in *out. */
static int keyword(const char *v, const char *const *names, size_t n,
                   const char *what, int32_t *out)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(v, names[k]) == 0) {
            *out = (int32_t)k;
            return EXIT_OK;
        }
    return usage_error(what, v);
}

#define KEYWORD(v, names, what, out) \
    keyword(v, names, sizeof(names) / sizeof((names)[0]), what, out)

static int set_as_of(options *o, const char *v) { return day_value(v, &o->as_of); }
static int set_cal_end(options *o, const char *v) { return day_value(v, &o->cal_end); }
static int set_policy(options *o, const char *v) { o->policy_file = v; return EXIT_OK; }
static int set_rejects(options *o, const char *v) { o->rejects_file = v; return EXIT_OK; }
static int set_customers(options *o, const char *v) { o->customers_file = v; return EXIT_OK; }
static int set_by(options *o, const char *v) { o->by = v; return EXIT_OK; }
static int set_contacted(options *o, const char *v) { o->contacted_file = v; return EXIT_OK; }
static int set_output(options *o, const char *v) { o->output_file = v; return EXIT_OK; }
static int set_id_col(options *o, const char *v) { o->reader.id_name = v; return EXIT_OK; }
static int set_date_col(options *o, const char *v) { o->reader.date_name = v; return EXIT_OK; }
static int set_amount_col(options *o, const char *v) { o->reader.amount_name = v; return EXIT_OK; }
static int set_strict(options *o, const char *v) { (void)v; o->strict = 1; return EXIT_OK; }
static int set_quiet(options *o, const char *v) { (void)v; o->quiet = 1; return EXIT_OK; }
static int set_no_header(options *o, const char *v) { (void)v; o->reader.header = 0; return EXIT_OK; }

static int set_round(options *o, const char *v)
{
    (void)v;
    o->reader.amount_flags |= WB_AMOUNT_ROUND;
    return EXIT_OK;
}

/* Amounts wait until --decimals is known, wherever it stands. */
static int set_cost(options *o, const char *v) { o->money[MONEY_COST] = v; return EXIT_OK; }
static int set_avg(options *o, const char *v) { o->money[MONEY_AVG] = v; return EXIT_OK; }
static int set_income(options *o, const char *v) { o->money[MONEY_INCOME] = v; return EXIT_OK; }
static int set_spend(options *o, const char *v) { o->money[MONEY_SPEND] = v; return EXIT_OK; }
static int set_price(options *o, const char *v) { o->money[MONEY_PRICE] = v; return EXIT_OK; }
static int set_per_year(options *o, const char *v) { o->money[MONEY_PER_YEAR] = v; return EXIT_OK; }

static int set_format(options *o, const char *v)
{
    static const char *const names[] = {"table", "csv", "json"};
    return KEYWORD(v, names, "--format is table, csv or json", &o->format);
}

static int set_model(options *o, const char *v)
{
    static const char *const names[] = {"none", "bgnbd"};
    int32_t m = 0;
    int rc = KEYWORD(v, names, "--model is bgnbd", &m);
    o->model = m;
    return rc;
}

static int set_unit(options *o, const char *v)
{
    static const char *const names[] = {"days", "weeks"};
    int32_t u = 1;
    int rc = KEYWORD(v, names, "--unit is weeks or days", &u);
    o->unit_days = u ? 7 : 1;
    return rc;
}

static int set_rounding(options *o, const char *v)
{
    static const char *const names[] = {"half-up", "down", "up"};
    return KEYWORD(v, names, "--rounding is half-up, down or up", &o->rounding);
}

static int set_delimiter(options *o, const char *v)
{
    static const char *const names[] = {"auto", "comma", "semicolon", "tab", "space"};
    static const int32_t delims[] = {WB_DELIM_AUTO, ',', ';', '\t', WB_DELIM_WHITESPACE};
    int32_t k = 0;
    int rc = KEYWORD(v, names, "--delimiter is auto, comma, semicolon, tab or space", &k);
    if (rc == EXIT_OK)
        o->reader.delimiter = delims[k];
    return rc;
}

/* "I,D,A": three column numbers 0..255, nothing else. */
static int set_columns(options *o, const char *v)
{
    long col[3];
    const char *p = v;
    for (int k = 0; k < 3; k++) {
        char *end;
        col[k] = strtol(p, &end, 10);
        if (end == p || col[k] < 0 || col[k] > 255 || *end != (k < 2 ? ',' : '\0'))
            return usage_error("--columns wants I,D,A", v);
        p = end + 1;
    }
    o->reader.id_column = (int32_t)col[0];
    o->reader.date_column = (int32_t)col[1];
    o->reader.amount_column = (int32_t)col[2];
    return EXIT_OK;
}

/* The numeric options: a range and where the value goes. */
#define NUMBER_SETTER(fn, lo, hi, lvalue, type)                     \
    static int fn(options *o, const char *v)                        \
    {                                                               \
        long n;                                                     \
        int rc = number(v, lo, hi, &n);                             \
        if (rc == EXIT_OK)                                          \
            (lvalue) = (type)n;                                     \
        return rc;                                                  \
    }
NUMBER_SETTER(set_years, 0, 1000, o->years, int32_t)
NUMBER_SETTER(set_margin, -10000, 10000, o->margin_bp, int32_t)
NUMBER_SETTER(set_return_rate, 0, 10000, o->return_rate_bp, int32_t)
NUMBER_SETTER(set_top, 0, 2147483647L, o->top, long)
NUMBER_SETTER(set_horizon, 0, 100000, o->horizon, double)
NUMBER_SETTER(set_days, 0, WB_DAY_MAX - WB_DAY_MIN, o->days, long)
NUMBER_SETTER(set_bp, 0, 10000, o->bp, long)
NUMBER_SETTER(set_window, 1, WB_POLICY_MAX_DAYS, o->window, int32_t)
NUMBER_SETTER(set_threads, 0, WB_THREADS_MAX, o->threads, int32_t)

static int set_decimals(options *o, const char *v)
{
    long n;
    int rc = number(v, 0, 9, &n);
    if (rc == EXIT_OK)
        o->decimals = o->reader.decimals = (int32_t)n;
    return rc;
}

#define LOG (CMD_PLAN | CMD_SUMMARY | CMD_FIT | CMD_OUTCOME | CMD_REPORT)
#define PS (CMD_PLAN | CMD_SUMMARY | CMD_REPORT)
#define PSO (PS | CMD_OUTCOME)
#define PR (CMD_PLAN | CMD_REPORT)

static const option_spec SPECS[] = {
    {"--as-of", "DATE", PSO, set_as_of, NULL,
     "day of the plan (outcome: the end of the data; default: the day after "
     "the last purchase)"},
    {"--policy", "FILE", PS | CMD_DISCOUNT, set_policy, NULL,
     "key = value policy file (docs/policy.md)"},
    {"--cost", "AMOUNT", PSO, set_cost, "0",
     "win-back cost per customer (outcome: per contact without a cost column)"},
    {"--years", "N", PS | CMD_CLV, set_years, "3", "expected remaining years for CLV"},
    {"--margin", "BP", PSO | CMD_CLV | CMD_ROMI, set_margin, "10000",
     "gross margin in basis points (10000: on revenue)"},
    {"--return-rate", "BP", CMD_SUMMARY | CMD_REPORT, set_return_rate, "1000",
     "share of eligible customers won back"},
    {"--customers", "FILE", PS, set_customers, NULL,
     "CSV of what the CRM knows, one row per customer id (docs/customers.md)"},
    {"--by", "month|quarter|COLUMN", CMD_SUMMARY, set_by, NULL,
     "losses, returns and value lost per period or per --customers column"},
    {"--format", "F", PSO, set_format, "table", "table, csv or json (summary: with --by)"},
    {"--contacted", "FILE", CMD_OUTCOME, set_contacted, NULL,
     "CSV of the customers contacted: id, contact_day, [campaign], [cost] (required)"},
    {"--window", "DAYS", CMD_OUTCOME, set_window, "90",
     "an order within this many days after the contact is a return"},
    {"--top", "N", PR, set_top, NULL, "print the first N rows only (report: 20)"},
    {"--output", "FILE", CMD_REPORT, set_output, NULL,
     "report: the HTML file to write (-o FILE; required; never an input)"},
    {"--model", "bgnbd", PR, set_model, NULL,
     "add P(alive) and expected purchases (BG/NBD fit on the log) and tell "
     "sleeping customers from gone ones"},
    {"--horizon", "N", PR, set_horizon, "52",
     "with --model: expected purchases over N units"},
    {"--unit", "weeks|days", PR | CMD_FIT, set_unit, "weeks",
     "model time unit (plan: with --model)"},
    {"--calibration-end", "DATE", CMD_FIT, set_cal_end, NULL,
     "rows after DATE are left out; T runs to DATE (default: the last purchase)"},
    {"--rejects", "FILE", LOG, set_rejects, NULL,
     "write rejected rows as line<TAB>reason<TAB>text"},
    {"--strict", NULL, LOG, set_strict, NULL, "stop at the first rejected row (exit 1)"},
    {"--quiet", NULL, LOG, set_quiet, NULL, "no 'read N, accepted A, rejected R' line"},
    {"--threads", "N", LOG, set_threads, "0",
     "threads loading a log file (0: one per CPU, at most 8); the output does not depend on it"},
    {"--delimiter", "D", LOG, set_delimiter, "auto", "auto, comma, semicolon, tab or space"},
    {"--no-header", NULL, LOG, set_no_header, NULL, "no header row; columns by --columns"},
    {"--columns", "I,D,A", LOG, set_columns, "0,1,2",
     "with --no-header: 0-based id, date and amount columns"},
    {"--id-col", "NAME", LOG, set_id_col, NULL, "header name of the customer id"},
    {"--date-col", "NAME", LOG, set_date_col, NULL, "header name of the date"},
    {"--amount-col", "NAME", LOG, set_amount_col, NULL, "header name of the amount"},
    {"--decimals", "N", LOG | CMD_CALC, set_decimals, "2", "digits of the minor unit"},
    {"--round", NULL, LOG, set_round, NULL,
     "round extra decimals half up instead of rejecting the row"},
    {"--avg", "AMOUNT", CMD_CLV, set_avg, NULL, "average check (required)"},
    {"--per-year", "N", CMD_CLV, set_per_year, NULL,
     "purchases a year, decimals allowed (required)"},
    {"--income", "AMOUNT", CMD_ROMI, set_income, NULL, "income from the campaign (required)"},
    {"--spend", "AMOUNT", CMD_ROMI, set_spend, NULL, "what the campaign cost (required)"},
    {"--price", "AMOUNT", CMD_DISCOUNT, set_price, NULL, "price before the discount (required)"},
    {"--days", "N", CMD_DISCOUNT, set_days, NULL,
     "days since the last purchase: the ladder's discount"},
    {"--bp", "BP", CMD_DISCOUNT, set_bp, NULL, "or this discount in basis points"},
    {"--rounding", "R", CMD_DISCOUNT, set_rounding, NULL,
     "half-up, down or up (default: the policy's, half-up)"},
};
#define SPEC_COUNT (sizeof SPECS / sizeof SPECS[0])
_Static_assert(SPEC_COUNT <= 64, "options.given has a bit per option");

static const struct { const char *name; unsigned bit; } COMMANDS[] = {
    {"plan", CMD_PLAN}, {"summary", CMD_SUMMARY}, {"fit", CMD_FIT},
    {"clv", CMD_CLV}, {"romi", CMD_ROMI}, {"discount", CMD_DISCOUNT},
    {"outcome", CMD_OUTCOME}, {"report", CMD_REPORT}};

unsigned command_bit(const char *name)
{
    for (size_t k = 0; k < sizeof COMMANDS / sizeof COMMANDS[0]; k++)
        if (strcmp(name, COMMANDS[k].name) == 0)
            return COMMANDS[k].bit;
    return 0;
}

/* Every option's default, through the same parsers as the user's values. */
int options_init(options *o, unsigned command)
{
    memset(o, 0, sizeof *o);
    o->command = command;
    RETURN_IF(wb_policy_init(&o->policy) != WB_OK, EXIT_INTERNAL);
    RETURN_IF(wb_reader_config_init(&o->reader) != WB_OK, EXIT_INTERNAL);
    o->as_of = o->cal_end = WB_DAY_NONE;
    o->top = o->days = o->bp = o->rounding = -1;
    for (size_t k = 0; k < SPEC_COUNT; k++)
        if (SPECS[k].def != NULL && SPECS[k].apply(o, SPECS[k].def) != EXIT_OK)
            return EXIT_INTERNAL;
    return EXIT_OK;
}

static const option_spec *find_spec(const char *name, size_t len)
{
    for (size_t k = 0; k < SPEC_COUNT; k++)
        if (strlen(SPECS[k].name) == len && strncmp(SPECS[k].name, name, len) == 0)
            return &SPECS[k];
    return NULL;
}

/* One option at argv[*i]: "--name", "--name value" or "--name=value". */
static int parse_one(options *o, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const option_spec *s = find_spec(arg, len);
    if (s == NULL)
        return usage_error("unknown option", arg);
    if (!(s->commands & o->command))
        return usage_error("this option does not apply to this command", s->name);
    o->given |= (uint64_t)1 << (s - SPECS);
    if (s->arg == NULL)
        return eq ? usage_error("this option takes no value", arg) : s->apply(o, NULL);
    if (eq != NULL)
        return s->apply(o, eq + 1);
    if (*i + 1 >= argc)
        return usage_error("this option needs a value", s->name);
    return s->apply(o, argv[++*i]);
}

int options_given(const options *o, const char *name)
{
    const option_spec *s = find_spec(name, strlen(name));
    return s != NULL && (o->given >> (s - SPECS) & 1u);
}

/* Options that only mean something beside another one. */
static int check_combinations(const options *o)
{
    if (options_given(o, "--horizon") && !o->model)
        return usage_error("--horizon needs --model bgnbd", NULL);
    if (options_given(o, "--unit") && (o->command & PR) && !o->model)
        return usage_error("--unit needs --model bgnbd", NULL);
    if (o->reader.header == 0 && (o->reader.id_name || o->reader.date_name ||
                                  o->reader.amount_name))
        return usage_error("--id-col, --date-col and --amount-col name header "
                           "columns: not with --no-header (use --columns)", NULL);
    if (options_given(o, "--columns") && o->reader.header != 0)
        return usage_error("--columns needs --no-header (with a header, use "
                           "--id-col, --date-col, --amount-col)", NULL);
    if (same_file(o->rejects_file, o->log) || same_file(o->rejects_file, o->policy_file))
        return usage_error("--rejects names an input, which writing would destroy",
                           o->rejects_file);
    if (o->command == CMD_REPORT && o->output_file == NULL)
        return usage_error("report needs -o FILE", NULL);
    if (same_file(o->output_file, o->log) || same_file(o->output_file, o->customers_file) ||
        same_file(o->output_file, o->policy_file) || same_file(o->output_file, o->rejects_file))
        return usage_error("-o names an input or the rejects file, which writing would "
                           "destroy", o->output_file);
    if (o->command == CMD_OUTCOME && o->contacted_file == NULL)
        return usage_error("outcome needs --contacted FILE", NULL);
    if (same_file(o->rejects_file, o->customers_file) ||
        same_file(o->rejects_file, o->contacted_file))
        return usage_error("--rejects names an input, which writing would destroy",
                           o->rejects_file);
    if (o->command == CMD_SUMMARY && options_given(o, "--format") && o->by == NULL)
        return usage_error("summary --format needs --by", NULL);
    if (options_given(o, "--days") && options_given(o, "--bp"))
        return usage_error("give one of --days and --bp, not both", NULL);
    return EXIT_OK;
}

/* argv[2..]: options and, for the log commands, the one LOG operand. */
int options_parse(options *o, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 && i + 1 < argc) {   /* the one short option */
            char *name = "--output";
            char *pair[2] = {name, argv[++i]};
            int j = 0;
            FORWARD(parse_one(o, 2, pair, &j));
        } else if (a[0] == '-' && a[1] == '-') {
            FORWARD(parse_one(o, argc, argv, &i));
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option", a);
        } else if (!(o->command & LOG)) {
            return usage_error("this command takes no operand", a);
        } else if (o->log != NULL) {
            return usage_error("one LOG only, got one more", a);
        } else {
            o->log = a;
        }
    }
    if ((o->command & LOG) && o->log == NULL)
        return usage_error("this command needs a LOG (a file, or - for stdin)", NULL);
    FORWARD(check_combinations(o));
    for (int k = 0; k < MONEY_COUNT; k++) {
        int64_t v = 0;
        /* A purchase rate is in hundredths whatever the currency. */
        int32_t decimals = k == MONEY_PER_YEAR ? 2 : o->decimals;
        if (o->money[k] != NULL &&
            (parse_money_arg(o->money[k], decimals, &v) != WB_OK || v < 0))
            return usage_error("bad amount", o->money[k]);
        o->amount[k] = v;
    }
    if (o->policy_file != NULL)
        FORWARD(load_policy_file(o->policy_file, &o->policy));
    if (o->rounding >= 0)              /* --rounding wins over the policy's */
        o->policy.rounding = o->rounding;
    return EXIT_OK;
}

/* The options of the commands in `commands`, with their defaults. */
void options_help(FILE *f, unsigned commands)
{
    for (size_t k = 0; k < SPEC_COUNT; k++) {
        const option_spec *s = &SPECS[k];
        char left[48];
        if (!(s->commands & commands))
            continue;
        snprintf(left, sizeof left, "%s%s%s", s->name, s->arg ? " " : "",
                 s->arg ? s->arg : "");
        fprintf(f, "  %-22s %s", left, s->help);
        if (s->def != NULL)
            fprintf(f, " (default %s)", s->def);
        fputc('\n', f);
    }
}
