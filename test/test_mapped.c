/* test_mapped.c -- the log read through mmap windows (programs/winback/
 * mapped.c): every row of a log larger than a window, rows cut by the
 * windows' edges too, the same as one feed of the whole text; a range that
 * starts inside the file; a file that cannot be mapped said so; and a log
 * cut short while it is read ends the range with MAPPED_CHANGED instead
 * of killing the process with SIGBUS, the handler in place only between
 * mapped_guard and mapped_unguard. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"
#include "wb_test.h"

/* What a reading saw: rows, and a sum of their days and amounts. */
typedef struct seen {
    uint64_t rows;
    int64_t sum;
    int cut_fd;         /* >= 0: cut the file to one page at the first row */
} seen;

static int on_row(void *ud, const wb_record *r)
{
    seen *s = ud;
    s->rows++;
    s->sum += r->day + r->amount + (int64_t)r->id_len;
    if (s->cut_fd >= 0) {
        assert_int_equal(ftruncate(s->cut_fd, 4096), 0);
        s->cut_fd = -1;
    }
    return 0;
}

/* A log of `rows` rows (line lengths vary, so rows straddle the windows'
 * edges) in a temporary file; its text in *text. */
static int make_log(size_t rows, char **text, size_t *len)
{
    char path[] = "/tmp/test_mapped_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    size_t cap = rows * 40 + 64, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t, cap, "customer_id,date,amount\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)snprintf(t + n, cap - n, "C%zu,2024-%02zu-%02zu,%zu.%02zu\n",
                              i * 7919 % 100003, i % 12 + 1, i % 28 + 1, i % 9973, i % 100);
    assert_int_equal(write(fd, t, n), (ssize_t)n);
    *text = t;
    *len = n;
    return fd;
}

static wb_reader *reader_for(seen *s)
{
    wb_reader_config cfg;
    wb_reader *r;
    assert_int_equal(wb_reader_config_init(&cfg), WB_OK);
    assert_int_equal(wb_reader_new(&cfg, NULL, on_row, s, &r), WB_OK);
    return r;
}

/* Reads [from, len) of fd mapped, and the same bytes' header plus rows
 * fed at once, and compares. */
static void same_as_one_feed(int fd, const char *text, size_t len, size_t from)
{
    seen mapped = {0, 0, -1}, whole = {0, 0, -1};
    wb_reader *a = reader_for(&mapped), *b = reader_for(&whole);
    const char *nl = memchr(text, '\n', len);
    size_t header = (size_t)(nl - text) + 1;
    assert_int_equal(wb_reader_feed(a, text, header), WB_OK);   /* the header */
    assert_int_equal(wb_reader_feed(b, text, header), WB_OK);
    struct sigaction saved;
    assert_int_equal(mapped_guard(&saved), 0);
    assert_int_equal(feed_mapped(fd, (long long)from, (long long)len, a, NULL), WB_OK);
    mapped_unguard(&saved);
    assert_int_equal(wb_reader_finish(a), WB_OK);
    assert_int_equal(wb_reader_feed(b, text + from, len - from), WB_OK);
    assert_int_equal(wb_reader_finish(b), WB_OK);
    assert_true(mapped.rows > 0);
    assert_int_equal(mapped.rows, whole.rows);
    assert_true(mapped.sum == whole.sum);
    wb_reader_free(a);
    wb_reader_free(b);
}

static void rows_across_windows(void **state)
{
    char *text;
    size_t len;
    (void)state;
    int fd = make_log(400000, &text, &len);             /* about 11 MB */
    assert_true(len > ((size_t)8 << 20));
    const char *nl = memchr(text, '\n', len);
    same_as_one_feed(fd, text, len, (size_t)(nl - text) + 1);
    /* A range from a row in the middle, as a second thread's. */
    const char *mid = memchr(text + len / 2, '\n', len / 2);
    same_as_one_feed(fd, text, len, (size_t)(mid - text) + 1);
    close(fd);
    free(text);
}

static void cut_short_while_read(void **state)
{
    char *text;
    size_t len;
    struct sigaction saved, now;
    (void)state;
    int fd = make_log(200000, &text, &len);
    seen s = {0, 0, fd};
    wb_reader *r = reader_for(&s);
    const char *nl = memchr(text, '\n', len);
    size_t header = (size_t)(nl - text) + 1;
    assert_int_equal(wb_reader_feed(r, text, header), WB_OK);
    assert_int_equal(mapped_guard(&saved), 0);
    assert_int_equal(feed_mapped(fd, (long long)header, (long long)len, r, NULL),
                     MAPPED_CHANGED);
    mapped_unguard(&saved);
    assert_true(s.rows < 200000);                       /* it stopped early */
    assert_int_equal(sigaction(SIGBUS, NULL, &now), 0);
    assert_true(now.sa_handler == saved.sa_handler);    /* put back */
    wb_reader_free(r);
    close(fd);
    free(text);
}

static void a_pipe_is_not_mapped(void **state)
{
    int p[2];
    seen s = {0, 0, -1};
    (void)state;
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "a", 1), 1);
    wb_reader *r = reader_for(&s);
    assert_int_equal(feed_mapped(p[0], 0, 1, r, NULL), MAPPED_NONE);
    wb_reader_free(r);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_across_windows),
        cmocka_unit_test(cut_short_while_read),
        cmocka_unit_test(a_pipe_is_not_mapped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
