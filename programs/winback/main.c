/*
 * main.c -- the winback command: a purchase log in, a win-back plan out.
 *
 *   winback plan LOG [options]       one row per customer, by priority
 *   winback summary LOG [options]    the health of the base
 *   winback clv | romi | discount    one-off calculators
 *
 * See winback(1) for every option and the exit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *const USAGE =
    "usage: winback plan LOG [options]\n"
    "       winback summary LOG [options]\n"
    "       winback fit LOG [--calibration-end DATE] [--unit weeks|days] [options]\n"
    "       winback clv --avg AMOUNT --per-year N [--years N] [--margin BP]\n"
    "       winback romi --income AMOUNT --spend AMOUNT [--margin BP]\n"
    "       winback discount --price AMOUNT (--days N | --bp BP) [--policy FILE]\n"
    "       winback --version | --help | COMMAND --help\n";

static const char *const LOG_HELP =
    "LOG is a file or - for standard input: CSV (, ; or tab, RFC 4180 quotes)\n"
    "with a header row, or whitespace-separated columns. Options:\n"
    "  --as-of DATE        day of the plan (default: the day after the last purchase)\n"
    "  --policy FILE       key = value policy file (docs/policy.md)\n"
    "  --cost AMOUNT       win-back cost per customer (default 0)\n"
    "  --years N           expected remaining years for CLV (default 3)\n"
    "  --margin BP         gross margin in basis points (default 10000)\n"
    "  --return-rate BP    summary: share of eligible customers won back (default 1000)\n"
    "  --format F          plan: table, csv or json (default table)\n"
    "  --top N             plan: print the first N rows only\n"
    "  --rejects FILE      write rejected rows as line<TAB>reason<TAB>text\n"
    "  --strict            stop at the first rejected row (exit 1)\n"
    "  --delimiter D       auto, comma, semicolon, tab or space (default auto)\n"
    "  --no-header         no header row; columns by --columns\n"
    "  --columns I,D,A     0-based id, date and amount columns (default 0,1,2)\n"
    "  --id-col NAME, --date-col NAME, --amount-col NAME   header names\n"
    "  --decimals N        digits of the minor unit (default 2)\n"
    "  --round             round extra decimals half up instead of rejecting\n"
    "  --quiet             no 'read N, accepted A, rejected R' line\n"
    "  --model bgnbd       plan: add P(alive) and expected purchases (BG/NBD fit\n"
    "                      on the log) and tell sleeping customers from gone ones\n"
    "  --horizon N         plan --model: expected purchases over N units (default 52)\n"
    "  --unit weeks|days   model time unit (default weeks)\n"
    "  --calibration-end D fit: rows after D are left out; T runs to D\n";

/* "winback: WHAT: ARG" and the usage on stderr; the usage exit code. */
static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "winback: %s%s%s\n%s", what, arg ? ": " : "", arg ? arg : "",
            USAGE);
    return EXIT_USAGE;
}
static int defaults(options *o)
{
    memset(o, 0, sizeof *o);
    TRY(wb_policy_init(&o->policy));
    TRY(wb_reader_config_init(&o->reader));
    o->as_of = WB_DAY_NONE;
    o->years = 3;
    o->margin_bp = 10000;
    o->return_rate_bp = 1000;
    o->format = FORMAT_TABLE;
    o->decimals = 2;
    o->top = -1;
    o->unit_days = 7;
    o->horizon = 52.0;
    o->cal_end = WB_DAY_NONE;
    return WB_OK;
}

static int set_delimiter(options *o, const char *v)
{
    static const struct { const char *name; int32_t d; } map[] = {
        {"auto", WB_DELIM_AUTO}, {"comma", ','}, {"semicolon", ';'},
        {"tab", '\t'}, {"space", WB_DELIM_WHITESPACE}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (strcmp(v, map[k].name) == 0) {
            o->reader.delimiter = map[k].d;
            return EXIT_OK;
        }
    return usage_error("unknown delimiter", v);
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

static int set_format(options *o, const char *v)
{
    if (strcmp(v, "table") == 0) o->format = FORMAT_TABLE;
    else if (strcmp(v, "csv") == 0) o->format = FORMAT_CSV;
    else if (strcmp(v, "json") == 0) o->format = FORMAT_JSON;
    else return usage_error("unknown format", v);
    return EXIT_OK;
}

static int set_number(const char *v, long min, long max, long *out, const char *name)
{
    if (parse_int_arg(v, min, max, out) != WB_OK)
        return usage_error("bad value for", name);
    return EXIT_OK;
}

/* Applies option `name` with value `v`; -1 when `name` takes no value. */
static int apply_value(options *o, const char *name, const char *v)
{
    long n;
    if (strcmp(name, "--as-of") == 0)
        return wb_day_parse(v, strlen(v), &o->as_of) == WB_OK
                   ? EXIT_OK : usage_error("bad date", v);
    if (strcmp(name, "--policy") == 0) { o->policy_file = v; return EXIT_OK; }
    if (strcmp(name, "--rejects") == 0) { o->rejects_file = v; return EXIT_OK; }
    if (strcmp(name, "--cost") == 0) { o->cost_text = v; return EXIT_OK; }
    if (strcmp(name, "--id-col") == 0) { o->reader.id_name = v; return EXIT_OK; }
    if (strcmp(name, "--date-col") == 0) { o->reader.date_name = v; return EXIT_OK; }
    if (strcmp(name, "--amount-col") == 0) { o->reader.amount_name = v; return EXIT_OK; }
    if (strcmp(name, "--format") == 0) return set_format(o, v);
    if (strcmp(name, "--model") == 0) {
        if (strcmp(v, "bgnbd") != 0)
            return usage_error("the only model is bgnbd", v);
        o->model = 1;
        return EXIT_OK;
    }
    if (strcmp(name, "--unit") == 0) {
        if (strcmp(v, "weeks") != 0 && strcmp(v, "days") != 0)
            return usage_error("--unit is weeks or days", v);
        o->unit_days = strcmp(v, "weeks") == 0 ? 7 : 1;
        return EXIT_OK;
    }
    if (strcmp(name, "--calibration-end") == 0)
        return wb_day_parse(v, strlen(v), &o->cal_end) == WB_OK
                   ? EXIT_OK : usage_error("bad date", v);
    if (strcmp(name, "--delimiter") == 0) return set_delimiter(o, v);
    if (strcmp(name, "--columns") == 0) return set_columns(o, v);
    if (strcmp(name, "--years") == 0) {
        TRY(set_number(v, 0, 1000, &n, name));
        o->years = (int32_t)n;
    } else if (strcmp(name, "--margin") == 0) {
        TRY(set_number(v, -10000, 10000, &n, name));
        o->margin_bp = (int32_t)n;
    } else if (strcmp(name, "--return-rate") == 0) {
        TRY(set_number(v, 0, 10000, &n, name));
        o->return_rate_bp = (int32_t)n;
    } else if (strcmp(name, "--top") == 0) {
        TRY(set_number(v, 0, 2147483647L, &n, name));
        o->top = n;
    } else if (strcmp(name, "--horizon") == 0) {
        TRY(set_number(v, 0, 100000, &n, name));
        o->horizon = (double)n;
    } else if (strcmp(name, "--decimals") == 0) {
        TRY(set_number(v, 0, 9, &n, name));
        o->decimals = o->reader.decimals = (int32_t)n;
    } else {
        return -1;
    }
    return EXIT_OK;
}

/* "--name value" or "--name=value"; -1 when argv[*i] takes no value. */
static int value_option(options *o, int argc, char **argv, int *i)
{
    char name[32];
    const char *arg = argv[*i], *eq = strchr(arg, '='), *v;
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    if (n >= sizeof name)
        return -1;
    memcpy(name, arg, n);
    name[n] = '\0';
    if (eq != NULL)
        v = eq + 1;
    else if (*i + 1 < argc)
        v = argv[*i + 1];
    else
        v = NULL;
    if (v == NULL) {                 /* the last argument: does it want one? */
        static const char *const with_value[] = {
            "--as-of", "--policy", "--rejects", "--cost", "--id-col",
            "--date-col", "--amount-col", "--format", "--delimiter",
            "--columns", "--years", "--margin", "--return-rate", "--top",
            "--decimals", "--model", "--unit", "--horizon", "--calibration-end"};
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            if (strcmp(name, with_value[k]) == 0)
                return usage_error("this option needs a value", name);
        return -1;
    }
    int rc = apply_value(o, name, v);
    if (rc != -1 && eq == NULL)
        ++*i;
    return rc;
}

static int parse_log_options(options *o, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (strcmp(a, "--strict") == 0) o->strict = 1;
        else if (strcmp(a, "--quiet") == 0) o->quiet = 1;
        else if (strcmp(a, "--no-header") == 0) o->reader.header = 0;
        else if (strcmp(a, "--round") == 0) o->reader.amount_flags |= WB_AMOUNT_ROUND;
        else if ((rc = value_option(o, argc, argv, &i)) > 0) return rc;
        else if (rc == EXIT_OK) continue;
        else if (a[0] == '-' && a[1] != '\0') return usage_error("unknown option", a);
        else if (o->log != NULL) return usage_error("one LOG only, got one more", a);
        else o->log = a;
    }
    if (o->log == NULL)
        return usage_error("this command needs a LOG (a file, or - for stdin)", argv[1]);
    /* After the loop, so that --decimals applies wherever it stands. */
    if (o->cost_text != NULL &&
        (parse_money_arg(o->cost_text, o->decimals, &o->cost) != WB_OK || o->cost < 0))
        return usage_error("bad amount", o->cost_text);
    if (o->policy_file != NULL)
        return load_policy_file(o->policy_file, &o->policy);
    return EXIT_OK;
}

/* The day after the newest purchase (for fit: that day itself, the end of
 * the calibration period), announced on stderr. */
static int default_as_of(options *o, const wb_ledger *l, int fit)
{
    size_t n;
    int32_t newest = WB_DAY_NONE;
    wb_ledger_customer lc;
    if (wb_ledger_count(l, &n, NULL) != WB_OK || n == 0) {
        fprintf(stderr, "winback: the log has no accepted rows\n");
        return EXIT_DATA;
    }
    for (size_t i = 0; i < n; i++)
        if (wb_ledger_at(l, &o->policy, WB_DAY_MAX, i, &lc) == WB_OK &&
            lc.last_day > newest)
            newest = lc.last_day;
    o->as_of = fit ? newest : newest + 1;
    char buf[WB_DATE_BUFSIZE];
    format_day(o->as_of, buf);
    if (!o->quiet && fit)
        fprintf(stderr, "winback: calibration to %s, the last purchase in the "
                "log (--calibration-end to choose)\n", buf);
    else if (!o->quiet)
        fprintf(stderr, "winback: as of %s, the day after the last purchase "
                "in the log (--as-of to choose)\n", buf);
    return EXIT_OK;
}

static int run_log_command(int argc, char **argv)
{
    options o;
    wb_ledger *ledger = NULL;
    if (defaults(&o) != WB_OK)
        return EXIT_INTERNAL;
    int rc = parse_log_options(&o, argc, argv);
    if (rc == EXIT_OK)
        rc = load_log(&o, &ledger);
    int fit = strcmp(argv[1], "fit") == 0;
    if (rc == EXIT_OK && fit)           /* T runs to the calibration end */
        o.as_of = o.cal_end;
    if (rc == EXIT_OK && o.as_of == WB_DAY_NONE)
        rc = default_as_of(&o, ledger, fit);
    if (rc == EXIT_OK)
        rc = fit ? run_fit(&o, ledger)
                 : strcmp(argv[1], "plan") == 0 ? run_plan(&o, ledger)
                                                : run_summary(&o, ledger);
    wb_ledger_free(ledger);
    return rc;
}

int run_calculator(int argc, char **argv);

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("a command is needed", NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("winback %s (libwinback %s)\n", WB_VERSION_STRING, wb_version_string());
        return EXIT_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        printf("%s\n%s", USAGE, LOG_HELP);
        return EXIT_OK;
    }
    int is_log = strcmp(cmd, "plan") == 0 || strcmp(cmd, "summary") == 0 ||
                 strcmp(cmd, "fit") == 0;
    if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
        printf("%s\n%s", USAGE, is_log ? LOG_HELP : "");
        return EXIT_OK;
    }
    if (is_log)
        return run_log_command(argc, argv);
    return run_calculator(argc, argv);
}
