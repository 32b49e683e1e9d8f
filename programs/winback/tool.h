/*
 * tool.h -- shared parts of the winback command.
 */
#ifndef WINBACK_TOOL_H
#define WINBACK_TOOL_H

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

/* Not a wb_status: a customer failed under --strict (already said). */
enum { STOP_CUSTOMER = -2 };

/* The commands, as bits: options.c says which options each one takes. */
enum {
    CMD_PLAN = 1u << 0, CMD_SUMMARY = 1u << 1, CMD_FIT = 1u << 2,
    CMD_CLV = 1u << 3, CMD_ROMI = 1u << 4, CMD_DISCOUNT = 1u << 5,
    CMD_CALC = CMD_CLV | CMD_ROMI | CMD_DISCOUNT
};

/* The amounts of the command line, parsed once --decimals is known. */
enum { MONEY_COST, MONEY_AVG, MONEY_PER_YEAR, MONEY_INCOME, MONEY_SPEND,
       MONEY_PRICE, MONEY_COUNT };

/* Everything the command line can set (defaults: options.c). */
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
    int model;                  /* plan: 1 with --model bgnbd */
    int32_t unit_days;          /* model time unit: 7 (weeks) or 1 (days) */
    double horizon;             /* plan --model: expected purchases over this many units */
    int32_t cal_end;            /* fit: rows after it are left out; WB_DAY_NONE: none */
} options;

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

/* load.c: the log into a finished ledger; prints the read/accepted line. */
int load_log(const options *o, wb_ledger **ledger);

/* fit.c */
int fit_models(const options *o, const wb_ledger *ledger, model_fit *fit);
int run_fit(const options *o, const wb_ledger *ledger);

/* report.c */
int run_plan(const options *o, const wb_ledger *ledger);
int run_summary(const options *o, const wb_ledger *ledger);
int customer_from_ledger(const options *o, const wb_ledger_customer *lc,
                         wb_customer *c);

/* policyfile.c: reads key = value lines into the policy and validates it;
 * errors on stderr name `path` and the line. */
int load_policy_file(const char *path, wb_policy *policy);
int load_policy_stream(const char *path, FILE *f, wb_policy *policy);

/* util.c */
void format_money(int64_t minor, int32_t decimals, char *buf, size_t size);
void format_percent(int64_t bp, char *buf, size_t size);
void format_day(int32_t day, char *buf);
int parse_money_arg(const char *text, int32_t decimals, int64_t *minor);
int parse_int_arg(const char *text, long min, long max, long *value);
void die_status(const char *what, int status);
int same_file(const char *output, const char *input);
int32_t today_utc(void);
size_t utf8_length(const unsigned char *p, size_t n);
int customer_failed(const options *o, const wb_ledger *l, size_t index,
                    int status, uint64_t *failed);
void report_failed(uint64_t failed);

#endif
