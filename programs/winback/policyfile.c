/*
 * policyfile.c -- a policy as plain "key = value" text.
 *
 *   # comments and blank lines are ignored
 *   tier1_days = 45
 *   ladder_tier1_bp = 1000
 *
 * Keys are those of wb_policy_set (docs/policy.md); values are integers.
 * Lines may be of any length; a key may be set once. Every error names the
 * file and line; a policy that breaks a rule tying fields together names
 * the line that set the blamed key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define MAX_KEYS 64

typedef struct setting {
    char key[64];
    long line;
} setting;

static char *strip(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t') s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

/* One "key = value" line into the policy; remembers where it was set. */
static int apply_line(const char *path, long line, char *text, wb_policy *p,
                      setting *set, size_t *nset)
{
    char *eq = strchr(text, '='), *end;
    if (eq == NULL) {
        fprintf(stderr, "winback: %s:%ld: expected key = value\n", path, line);
        return EXIT_DATA;
    }
    *eq = '\0';
    char *key = strip(text), *val = strip(eq + 1);
    errno = 0;
    long long v = strtoll(val, &end, 10);
    if (*val == '\0' || *end != '\0' || errno != 0) {
        fprintf(stderr, "winback: %s:%ld: '%s' is not an integer\n", path, line, val);
        return EXIT_DATA;
    }
    int rc = wb_policy_set(p, key, v);
    if (rc == WB_EKEY) {
        fprintf(stderr, "winback: %s:%ld: unknown key '%s'\n", path, line, key);
        return EXIT_DATA;
    }
    if (rc != WB_OK) {
        fprintf(stderr, "winback: %s:%ld: %s = %lld is out of range\n", path, line, key, v);
        return EXIT_DATA;
    }
    for (size_t i = 0; i < *nset; i++)
        if (strcmp(set[i].key, key) == 0) {
            fprintf(stderr, "winback: %s:%ld: %s is set again (first on line %ld); "
                    "set each key once\n", path, line, key, set[i].line);
            return EXIT_DATA;
        }
    if (*nset < MAX_KEYS) {             /* every key fits: MAX_KEYS > keys */
        snprintf(set[*nset].key, sizeof set[*nset].key, "%s", key);
        set[(*nset)++].line = line;
    }
    return EXIT_OK;
}

/* Every line, whatever its length (getline); a UTF-8 byte order mark
 * before the first is skipped, a NUL byte anywhere refused. */
static int read_lines(const char *path, FILE *f, wb_policy *p, setting *set,
                      size_t *nset)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    long line = 0;
    int rc = EXIT_OK;
    while (rc == EXIT_OK && (n = getline(&buf, &cap, f)) >= 0) {
        char *t = buf;
        if (++line == 1 && n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
            t += 3;
        if (strlen(buf) != (size_t)n) {
            fprintf(stderr, "winback: %s:%ld: a NUL byte: a policy file is "
                    "plain text\n", path, line);
            rc = EXIT_DATA;
            break;
        }
        t = strip(t);
        if (*t != '\0' && *t != '#')
            rc = apply_line(path, line, t, p, set, nset);
    }
    if (rc == EXIT_OK && ferror(f)) {
        fprintf(stderr, "winback: %s: cannot read: %s\n", path, strerror(errno));
        rc = EXIT_IO;
    }
    free(buf);
    return rc;
}

int load_policy_file(const char *path, wb_policy *p)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return EXIT_IO;
    }
    int rc = load_policy_stream(path, f, p);
    fclose(f);
    return rc;
}

int load_policy_stream(const char *path, FILE *f, wb_policy *p)
{
    setting set[MAX_KEYS];
    size_t nset = 0;
    const char *bad = NULL;
    int rc = read_lines(path, f, p, set, &nset);
    if (rc != EXIT_OK)
        return rc;
    if (wb_policy_validate(p, &bad) == WB_OK)
        return EXIT_OK;
    long line = 0;
    for (size_t i = 0; i < nset; i++)
        if (strcmp(set[i].key, bad) == 0)
            line = set[i].line;
    if (line > 0)
        fprintf(stderr, "winback: %s:%ld: %s breaks the policy's rules "
                "(see docs/policy.md)\n", path, line, bad);
    else
        fprintf(stderr, "winback: %s: %s (default) no longer fits the values "
                "set in this file\n", path, bad);
    return EXIT_DATA;
}
