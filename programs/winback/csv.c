/*
 * csv.c -- the small CSV files of the command: --customers, --contacted.
 *
 * The whole file is read at once (such files are a CRM export, not a
 * purchase log, and are capped at 1 GiB). RFC 4180 quotes, CRLF or LF, a
 * UTF-8 byte order mark skipped; the delimiter is a comma, or a semicolon
 * or tab when the header line has no comma. Blank lines are skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define MAX_FILE ((size_t)1 << 30)

/* The whole file into a NUL-terminated buffer. */
static int read_all(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "winback: %s: cannot open\n", path);
        return EXIT_IO;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    const char *problem = buf == NULL ? "out of memory" : NULL;
    while (problem == NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n < cap)
            continue;
        char *bigger = cap < MAX_FILE ? realloc(buf, cap * 2 + 1) : NULL;
        if (bigger == NULL)
            problem = cap < MAX_FILE ? "out of memory" : "larger than 1 GiB";
        else
            buf = bigger, cap *= 2;
    }
    if (problem == NULL && ferror(f))
        problem = "read error";
    fclose(f);
    if (problem != NULL) {
        fprintf(stderr, "winback: %s: %s\n", path, problem);
        free(buf);
        return strcmp(problem, "out of memory") == 0 ? EXIT_INTERNAL : EXIT_IO;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return EXIT_OK;
}

int csv_open(const char *path, csv *c)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    c->line = 1;
    FORWARD(read_all(path, &c->text, &c->len));
    c->unq = malloc(c->len + 1);        /* unquoted fields: never longer */
    if (c->unq == NULL) {
        free(c->text);
        fprintf(stderr, "winback: %s: out of memory\n", path);
        return EXIT_INTERNAL;
    }
    if (c->len >= 3 && memcmp(c->text, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
    const char *nl = memchr(c->text + c->pos, '\n', c->len - c->pos);
    size_t head = (nl ? (size_t)(nl - c->text) : c->len) - c->pos;
    const char *h = c->text + c->pos;
    c->delim = (char)(memchr(h, ',', head) ? ',' : memchr(h, ';', head) ? ';'
                      : memchr(h, '\t', head) ? '\t' : ',');
    return EXIT_OK;
}

void csv_close(csv *c)
{
    free(c->text);
    free(c->unq);
    c->text = c->unq = NULL;
}

/* Splits the record at c->pos; fields point into the file or, for quoted
 * ones, into c->unq. Returns the field count, 0 at the end, -1 for an
 * open quote or more than CSV_MAX_FIELDS fields. */
static int split(csv *c)
{
    const char *t = c->text;
    size_t i = c->pos, used = 0;
    int nf = 0;
    if (i >= c->len)
        return 0;
    for (;;) {
        if (nf == CSV_MAX_FIELDS)
            return -1;
        csv_field *f = &c->f[nf++];
        if (t[i] == '"') {                  /* quoted: "" is one quote */
            f->p = c->unq + used;
            f->n = 0;
            for (i++;; i++) {
                if (i >= c->len)
                    return -1;
                if (t[i] == '"' && t[i + 1] == '"')
                    i++;
                else if (t[i] == '"')
                    break;
                c->unq[used++] = t[i];
                f->n++;
            }
            i++;
        } else {
            f->p = t + i;
            while (i < c->len && t[i] != c->delim && t[i] != '\n' && t[i] != '\r')
                i++;
            f->n = (size_t)(t + i - f->p);
        }
        if (i < c->len && t[i] == c->delim) {
            i++;
            continue;
        }
        if (i < c->len && t[i] == '\r') i++;
        if (i < c->len && t[i] == '\n') i++;
        c->pos = i;
        return nf;
    }
}

/* Lines from `from` to `to` in the text. */
static uint64_t lines_in(const csv *c, size_t from, size_t to)
{
    uint64_t k = 0;
    for (size_t i = from; i < to; i++)
        k += c->text[i] == '\n';
    return k;
}

int csv_next(csv *c, uint64_t *line)
{
    while (c->pos < c->len && (c->text[c->pos] == '\n' ||
           (c->text[c->pos] == '\r' && c->text[c->pos + 1] == '\n'))) {
        c->pos += c->text[c->pos] == '\r' ? 2 : 1;   /* blank lines */
        c->line++;
    }
    size_t start = c->pos;
    *line = c->line;
    int nf = split(c);
    if (nf < 0) {                       /* resume on the next line */
        const char *nl = memchr(c->text + start, '\n', c->len - start);
        c->pos = nl ? (size_t)(nl - c->text) + 1 : c->len;
    }
    c->line += lines_in(c, start, c->pos);
    if (nf > 0 && c->pos == c->len && c->len > 0 && c->text[c->len - 1] != '\n')
        c->line++;                      /* no final newline */
    return nf;
}

/* The field as a NUL-terminated string in buf, blanks trimmed. */
const char *csv_text(const csv_field *f, char *buf, size_t size)
{
    size_t a = 0, b = f->n;
    while (a < b && (f->p[a] == ' ' || f->p[a] == '\t')) a++;
    while (b > a && (f->p[b - 1] == ' ' || f->p[b - 1] == '\t')) b--;
    size_t n = b - a < size - 1 ? b - a : size - 1;
    memcpy(buf, f->p + a, n);
    buf[n] = '\0';
    return buf;
}

int csv_valid_utf8(const csv_field *f)
{
    for (size_t k = 0, len; k < f->n; k += len)
        if ((len = utf8_length((const unsigned char *)f->p + k, f->n - k)) == 0)
            return 0;
    return 1;
}

/* Lower case, and spaces, dashes and underscores all as `sep`. */
void csv_key(char *s, char sep)
{
    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
        if (*s == ' ' || *s == '_' || *s == '-') *s = sep;
    }
}
