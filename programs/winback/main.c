/*
 * main.c -- the winback command: a purchase log in, a win-back plan out.
 *
 *   winback plan LOG [options]       one row per customer, by priority
 *   winback summary LOG [options]    the health of the base
 *   winback outcome LOG --contacted FILE   what a campaign returned
 *   winback report LOG -o FILE.html  one page: the base, its losses, the plan
 *   winback clv | romi | discount    one-off calculators
 *
 * See winback(1) for every option and the exit codes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *const USAGE =
    "usage: winback plan LOG [options]      one row per customer, by priority\n"
    "       winback summary LOG [options]   the health of the base\n"
    "       winback fit LOG [options]       BG/NBD and Gamma-Gamma fitted to the log\n"
    "       winback outcome LOG --contacted FILE [options]   what a campaign returned\n"
    "       winback report LOG -o FILE.html [options]       one page: the base, the plan\n"
    "       winback clv --avg AMOUNT --per-year N [options]\n"
    "       winback romi --income AMOUNT --spend AMOUNT [options]\n"
    "       winback discount --price AMOUNT (--days N | --bp BP) [options]\n"
    "       winback --version | --help | COMMAND --help\n";

static const char *const LOG_NOTE =
    "LOG is a file or - for standard input: CSV (, ; or tab, RFC 4180 quotes)\n"
    "with a header row, or whitespace-separated columns.\n";

/* `winback --help` (every option) or `winback COMMAND --help`. */
static int help(unsigned command)
{
    printf("%s\n", USAGE);
    if (command == 0 || (command & (CMD_PLAN | CMD_SUMMARY | CMD_FIT | CMD_OUTCOME | CMD_REPORT)))
        printf("%s", LOG_NOTE);
    printf("Options%s:\n", command ? " of this command" : " (winback COMMAND --help: "
           "those of one command)");
    options_help(stdout, command ? command : ~0u);
    return ferror(stdout) ? EXIT_IO : EXIT_OK;
}

/* The day after the newest purchase (for fit: that day itself, the end of
 * the calibration period), announced on stderr. Each customer's days are
 * sorted, so the last is its newest: reading it costs nothing, where
 * wb_ledger_at would work out every customer's history (a tenth of a
 * second on a 5 M-row log). */
int default_as_of(options *o, const wb_ledger *l, int fit)
{
    size_t n, k;
    int32_t newest = WB_DAY_NONE;
    const int32_t *days;
    if (wb_ledger_count(l, &n, NULL) != WB_OK || n == 0) {
        fprintf(stderr, "winback: the log has no accepted rows\n");
        return EXIT_DATA;
    }
    for (size_t i = 0; i < n; i++)
        if (wb_ledger_days(l, i, &days, &k) == WB_OK && k > 0 &&
            days[k - 1] > newest)
            newest = days[k - 1];
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

/* Plan or summary over the log's customers joined with --customers. The
 * CRM file is read once the plan's day is known: a date in it after that
 * day is a bad row. */
static int run_base_command(const options *o, const wb_ledger *ledger)
{
    crm_table crm;
    base b;
    int rc = EXIT_OK;
    if (o->customers_file != NULL)
        rc = crm_load(o, &crm);
    if (rc != EXIT_OK)
        return rc;
    int brc = base_open(o, ledger, o->customers_file ? &crm : NULL, &b);
    if (brc != WB_OK) {
        die_status("customers", brc);
        rc = brc == WB_ENOMEM ? EXIT_INTERNAL : EXIT_DATA;
    } else {
        rc = o->command == CMD_PLAN ? run_plan(o, ledger, &b)
           : o->command == CMD_REPORT ? run_report(o, ledger, &b)
                                      : run_summary(o, ledger, &b);
        base_close(&b);
    }
    if (o->customers_file != NULL)
        crm_free(&crm);
    return rc;
}

static int run_log_command(options *o)
{
    wb_ledger *ledger = NULL;
    int rc = load_log(o, &ledger, NULL);
    int fit = o->command == CMD_FIT;
    if (rc == EXIT_OK && fit)           /* T runs to the calibration end */
        o->as_of = o->cal_end;
    if (rc == EXIT_OK && o->as_of == WB_DAY_NONE)
        rc = default_as_of(o, ledger, fit);
    if (rc == EXIT_OK)
        rc = fit ? run_fit(o, ledger) : run_base_command(o, ledger);
    /* Its pages stay in the pool (pages.c) until the process exits: the
     * kernel's teardown of the whole address space costs less than
     * unmapping it range by range (kernel time 0.138 -> 0.113 s, the
     * 5 M-row plan, ten alternating runs). */
    wb_ledger_free(ledger);
    return rc;
}

/* Every command's output ends here: a write that failed at any point (a
 * full disk, a closed pipe) is exit 3 with a message, never exit 0. */
static int close_output(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
        return rc;
    int err = errno ? errno : output_errno();
    fprintf(stderr, "winback: standard output: cannot write: %s\n",
            err ? strerror(err) : "write error");
    return EXIT_IO;
}

static int run(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("a command is needed", NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("winback %s (libwinback %s)\n", WB_VERSION_STRING, wb_version_string());
        return ferror(stdout) ? EXIT_IO : EXIT_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0)
        return help(0);
    unsigned command = command_bit(cmd);
    if (command == 0)
        return usage_error("unknown command", cmd);
    if (argc >= 3 && strcmp(argv[2], "--help") == 0)
        return help(command);
    options o;
    if (options_init(&o, command) != EXIT_OK)
        return EXIT_INTERNAL;
    int rc = options_parse(&o, argc, argv);
    if (rc != EXIT_OK)
        return rc;
    if (command == CMD_OUTCOME)
        return run_outcome(&o);
    return (command & CMD_CALC) ? run_calculator(&o) : run_log_command(&o);
}

int main(int argc, char **argv)
{
    return close_output(run(argc, argv));
}
