/*
 * policy_table.c -- checks the policy table of docs/policy.md against the
 * library's own field table, so the defaults are written once (in
 * lib/core/policy.c) and the docs cannot drift from them.
 *
 *   policy_table docs/policy.md   check; exit 1 naming every mismatch
 *   policy_table                  print the table's key, default and range
 *
 * A row of the docs table is "| `key` | default | min..max ... | ... |", or
 * "| `first` .. `last` | d1, d2, ... | min..max ... |" for a run of keys in
 * the library's key order. Defaults may be written in hex (0x3) and be
 * followed by words in parentheses. Every key must be in exactly one row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "winback/core.h"

#define MAX_KEYS 128

static int failures;

static void fail(int line, const char *what, const char *key)
{
    fprintf(stderr, "docs/policy.md:%d: %s: %s\n", line, what, key);
    failures++;
}

static size_t key_index(const char *key)
{
    for (size_t i = 0; wb_policy_key(i) != NULL; i++)
        if (strcmp(wb_policy_key(i), key) == 0)
            return i;
    return (size_t)-1;
}

/* The text between the n-th and (n+1)-th '|' of a row, trimmed, in buf. */
static int cell(const char *row, int n, char *buf, size_t size)
{
    const char *p = row;
    for (int k = 0; k <= n; k++) {
        p = strchr(p, '|');
        if (p == NULL)
            return 0;
        p++;
    }
    const char *end = strchr(p, '|');
    if (end == NULL)
        return 0;
    while (p < end && *p == ' ') p++;
    while (end > p && end[-1] == ' ') end--;
    size_t len = (size_t)(end - p);
    if (len >= size)
        return 0;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return 1;
}

/* The keys a key cell names: "`k`" or "`a` .. `b`" -> [*first, *last]. */
static int keys_of(const char *text, size_t *first, size_t *last)
{
    char a[64], b[64];
    if (sscanf(text, "`%63[^`]` .. `%63[^`]`", a, b) == 2) {
        *first = key_index(a);
        *last = key_index(b);
    } else if (sscanf(text, "`%63[^`]`", a) == 1) {
        *first = *last = key_index(a);
    } else {
        return 0;
    }
    return *first != (size_t)-1 && *last != (size_t)-1 && *first <= *last;
}

static void check_row(const wb_policy *p, const char *row, int line, int *seen)
{
    char keys[160], defs[200], range[80];
    size_t first, last;
    if (!cell(row, 0, keys, sizeof keys) || !cell(row, 1, defs, sizeof defs) ||
        !cell(row, 2, range, sizeof range)) {
        fail(line, "a row needs key, default and range cells", row);
        return;
    }
    if (!keys_of(keys, &first, &last)) {
        fail(line, "not a policy key (or keys out of order)", keys);
        return;
    }
    const char *d = defs;
    for (size_t i = first; i <= last; i++) {
        const char *key = wb_policy_key(i);
        int64_t want, lo, hi;
        char *end;
        long long got = strtoll(d, &end, 0);
        if (end == d) {
            fail(line, "default missing", key);
            return;
        }
        d = end + (*end == ',');
        if (wb_policy_get(p, key, &want) != WB_OK ||
            wb_policy_range(key, &lo, &hi) != WB_OK)
            fail(line, "the library refuses the key", key);
        else if (got != want)
            fail(line, "default differs from lib/core/policy.c", key);
        long long rlo, rhi;
        if (sscanf(range, "%lli..%lli", &rlo, &rhi) != 2 || rlo != lo || rhi != hi)
            fail(line, "range differs from lib/core/policy.c", key);
        if (seen[i]++)
            fail(line, "key documented twice", key);
    }
}

int main(int argc, char **argv)
{
    wb_policy p;
    int seen[MAX_KEYS] = {0};
    if (wb_policy_init(&p) != WB_OK)
        return 2;
    if (argc < 2) {                     /* print the library's table */
        for (size_t i = 0; wb_policy_key(i) != NULL; i++) {
            int64_t v, lo, hi;
            if (wb_policy_get(&p, wb_policy_key(i), &v) != WB_OK ||
                wb_policy_range(wb_policy_key(i), &lo, &hi) != WB_OK)
                return 2;
            printf("%s %lld %lld..%lld\n", wb_policy_key(i), (long long)v,
                   (long long)lo, (long long)hi);
        }
        return ferror(stdout) ? 2 : 0;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    char row[1024];
    int line = 0;
    while (fgets(row, sizeof row, f) != NULL) {
        line++;
        if (strncmp(row, "| `", 3) == 0)
            check_row(&p, row, line, seen);
    }
    fclose(f);
    for (size_t i = 0; wb_policy_key(i) != NULL && i < MAX_KEYS; i++)
        if (!seen[i])
            fail(0, "key not documented", wb_policy_key(i));
    if (failures == 0)
        printf("docscheck: docs/policy.md matches the library's %s\n",
               "defaults and ranges");
    return failures ? 1 : 0;
}
