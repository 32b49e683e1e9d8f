/*
 * util.c -- small formatting and parsing helpers of the winback command.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <unistd.h>

#include "tool.h"

/* "00" to "99": two digits a division. */
static const char TWO_DIGITS[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Decimal digits of v, at least one. */
static unsigned decimal_digits(uint64_t v)
{
    unsigned n = 1;
    for (uint64_t ten = 10; n < 20 && v >= ten; ten *= 10)
        n++;
    return n;
}

char *put_money(char *w, int64_t minor, int32_t decimals)
{
    /* By hand: the plan prints four amounts a row, and snprintf cost more
     * than the rest of the row's formatting. The length is known first,
     * so the digits go straight where they belong, two a division. */
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    unsigned places = decimals > 0 ? (unsigned)decimals : 0, digits = decimal_digits(mag);
    if (digits < places + 1)
        digits = places + 1;                /* "0.05" */
    char *end = w + (minor < 0) + digits + (places > 0), *at = end;
    for (unsigned i = 0; i < places; i++) {
        *--at = (char)('0' + mag % 10);
        mag /= 10;
    }
    if (places > 0)
        *--at = '.';
    for (; mag >= 100; mag /= 100) {
        at -= 2;
        memcpy(at, &TWO_DIGITS[2 * (mag % 100)], 2);
    }
    if (mag >= 10) {
        at -= 2;
        memcpy(at, &TWO_DIGITS[2 * mag], 2);
    } else {
        *--at = (char)('0' + mag);
    }
    if (minor < 0)
        *--at = '-';
    return end;
}

/* Minor units as "-123.45" (decimals digits after the point); returns
 * the bytes written before the NUL. */
size_t format_money(int64_t minor, int32_t decimals, char *buf, size_t size)
{
    char tmp[MONEY_TEXT_MAX];
    size_t need = (size_t)(put_money(tmp, minor, decimals) - tmp);
    if (size == 0)
        return 0;
    if (need >= size)
        need = size - 1;              /* cut, as snprintf would */
    memcpy(buf, tmp, need);
    buf[need] = '\0';
    return need;
}

/* Basis points as a percentage with two decimals: -50 -> "-0.50". Every
 * rate the command prints goes through here, so no sign is lost. */
void format_percent(int64_t bp, char *buf, size_t size)
{
    format_money(bp, 2, buf, size);
}

/* "YYYY-MM-DD", or "-" for WB_DAY_NONE; buf holds WB_DATE_BUFSIZE bytes.
 * Returns the bytes written before the NUL. */
/* A plan prints three dates a row, mostly the same few hundred days, and
 * turning a day number into its date takes a dozen divisions: each thread
 * keeps the dates it made in a small cache indexed by the day. */
#define DAY_CACHE 1024      /* a power of two */
typedef struct day_text {  /* cppcheck misses their use in a _Thread_local array: */
    int32_t day;           /* cppcheck-suppress unusedStructMember */
    char text[WB_DATE_BUFSIZE]; /* cppcheck-suppress unusedStructMember */
} day_text;

size_t format_day(int32_t day, char *buf)
{
    static _Thread_local day_text cache[DAY_CACHE];
    static _Thread_local int filled;
    unsigned slot = (unsigned)day & (DAY_CACHE - 1);
    if (!filled) {                      /* no day is WB_DAY_NONE's slot mate */
        for (unsigned k = 0; k < DAY_CACHE; k++)
            cache[k].day = WB_DAY_NONE;
        filled = 1;
    }
    if (day != WB_DAY_NONE && cache[slot].day == day) {
        memcpy(buf, cache[slot].text, WB_DATE_BUFSIZE);
        return WB_DATE_BUFSIZE - 1;
    }
    if (day == WB_DAY_NONE || wb_day_format(day, buf, WB_DATE_BUFSIZE) != WB_OK) {
        memcpy(buf, "-", 2);
        return 1;
    }
    cache[slot].day = day;
    memcpy(cache[slot].text, buf, WB_DATE_BUFSIZE);
    return WB_DATE_BUFSIZE - 1;
}

int parse_money_arg(const char *text, int32_t decimals, int64_t *minor)
{
    return wb_amount_parse(text, strlen(text), decimals, 0, minor);
}

int parse_int_arg(const char *text, long min, long max, long *value)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
        return WB_EINVAL;
    *value = v;
    return WB_OK;
}

void die_status(const char *what, int status)
{
    fprintf(stderr, "winback: %s: %s\n", what, wb_strerror(status));
}

/* 1 when `output` names the same file as `input` (same device and inode;
 * "-" is standard input), so that writing it would destroy the input. A
 * path that does not exist yet is no input. */
int same_file(const char *output, const char *input)
{
    struct stat out, in;
    if (output == NULL || input == NULL || stat(output, &out) != 0)
        return 0;
    if (strcmp(input, "-") == 0 ? fstat(0, &in) != 0 : stat(input, &in) != 0)
        return 0;
    return out.st_dev == in.st_dev && out.st_ino == in.st_ino;
}

/* Today's day number, by the UTC calendar. */
int32_t today_utc(void)
{
    return (int32_t)(time(NULL) / 86400);
}

/* Bytes of the valid UTF-8 character at p[0..n), or 0 when it is not one
 * (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF
 * or cut short). */
size_t utf8_length(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||   /* overlong, surrogate */
        (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))     /* overlong, > U+10FFFF */
        return 0;
    return len;
}

/* One customer a batch command could not handle: said (the first ten by
 * id and reason, then only counted), and the rest go on unless --strict.
 * Returns EXIT_OK to go on, EXIT_DATA to stop. */
int customer_failed(const options *o, const char *id, size_t id_len,
                    int status, uint64_t *failed)
{
    if (++*failed <= 10)
        fprintf(stderr, "winback: customer %.*s: %s%s\n", (int)id_len, id,
                wb_strerror(status), o->strict ? "" : "; left out");
    return o->strict ? EXIT_DATA : EXIT_OK;
}

/* How many customers customer_failed() left out, said once at the end. */
void report_failed(uint64_t failed)
{
    if (failed > 0)
        fprintf(stderr, "winback: %llu customers left out (see above; --strict "
                "stops at the first)\n", (unsigned long long)failed);
}

/* A text as a CSV field (RFC 4180): quoted when it must be. */
void print_csv_text(FILE *f, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, f);
        return;
    }
    fputc('"', f);
    for (; *text; text++) {
        if (*text == '"')
            fputc('"', f);
        fputc(*text, f);
    }
    fputc('"', f);
}

/* A text (valid UTF-8: the CSV readers check) as a JSON string. */
void print_json_text(FILE *f, const char *text)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

unsigned worker_threads(const options *o)
{
    if (o->threads > 0)
        return (unsigned)o->threads;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1u : cpus > 8 ? 8u : (unsigned)cpus;
}

unsigned range_threads(const options *o, size_t customers)
{
    unsigned n = worker_threads(o);
    if ((size_t)n > customers / 4096 + 1)
        n = (unsigned)(customers / 4096 + 1);   /* small bases: one thread */
    return n;
}

/* Why a write to standard output failed, kept from the moment it did: by
 * the final flush, errno may say nothing. */
static int first_output_errno;

void output_failed(int err)
{
    if (first_output_errno == 0)
        first_output_errno = err;
}

int output_errno(void)
{
    return first_output_errno;
}

void run_spread(void *(*fn)(void *), void *jobs, size_t job_size, unsigned n)
{
    pthread_t threads[WB_THREADS_MAX];
    int started[WB_THREADS_MAX] = {0};
    char *at = jobs;
    for (unsigned k = 1; k < n; k++)
        started[k] = pthread_create(&threads[k], NULL, fn, at + k * job_size) == 0;
    fn(at);
    for (unsigned k = 1; k < n; k++) {
        if (started[k])
            pthread_join(threads[k], NULL);
        else
            fn(at + k * job_size);        /* no thread: done here, the same work */
    }
}

typedef struct job_call {
    wb_job_fn job;
    void *arg;
    unsigned k;
} job_call;

static void *call_job(void *p)
{
    const job_call *c = p;
    c->job(c->arg, c->k);
    return NULL;
}

void run_jobs(void *runner, wb_job_fn job, void *arg, unsigned n)
{
    job_call calls[WB_THREADS_MAX];
    (void)runner;
    for (unsigned at = 0; at < n; at += WB_THREADS_MAX) {
        unsigned m = n - at;
        if (m > WB_THREADS_MAX)
            m = WB_THREADS_MAX;
        for (unsigned k = 0; k < m; k++) {
            calls[k].job = job;
            calls[k].arg = arg;
            calls[k].k = at + k;
        }
        run_spread(call_job, calls, sizeof *calls, m);
    }
}
