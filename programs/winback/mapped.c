/*
 * mapped.c -- a byte range of the log read through the page cache's own
 * pages (mmap) instead of copies of them (read).
 *
 * Split reading hands each thread a byte range of a regular file. Read
 * with fread, every byte was copied from the page cache into the thread's
 * buffer first: 4 % of the 5 M-row plan's samples were the kernel's copy.
 * Mapped a window at a time (MAP_POPULATE, so that the window's pages are
 * in the page table before the reader touches them), the reader reads the
 * page cache where it lies: the plan took 11 ms less (docs/performance.md,
 * step 48). A window is unmapped once read, so the log's pages are never
 * all counted in the process's memory.
 *
 * A mapped file that shrinks while it is read (another program cuts it
 * short) makes the pages past its new end fault with SIGBUS, which would
 * end the process. While a thread reads a window, a handler sends that
 * fault back to the window's start (siglongjmp), and the range ends with
 * MAPPED_CHANGED: the run stops with an error naming the log, as a read
 * error would. The handler is installed only around the reading
 * (mapped_guard), and a SIGBUS of anything else gets the default action.
 */
#define _GNU_SOURCE 1       /* MAP_POPULATE */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tool.h"

/* Bytes mapped at once: 1 to 16 MiB windows took the same time. */
#define WINDOW ((long long)4 << 20)

#ifndef MAP_POPULATE
#define MAP_POPULATE 0      /* elsewhere, the pages fault in as read */
#endif

/* Where the reading thread goes back to on SIGBUS; NULL when it is not
 * reading a window. */
static _Thread_local sigjmp_buf *back_to;

static void on_bus(int sig)
{
    if (back_to != NULL)
        siglongjmp(*back_to, 1);
    signal(sig, SIG_DFL);               /* not a window's fault */
    raise(sig);
}

int mapped_guard(struct sigaction *saved)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_bus;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGBUS, &sa, saved);
}

void mapped_unguard(const struct sigaction *saved)
{
    sigaction(SIGBUS, saved, NULL);
}

/* Feeds the window [at, stop) of the map m of [map_at, stop); MAPPED_CHANGED
 * when the file was cut short under it. */
static int feed_window(wb_reader *reader, const char *m, long long map_at,
                       long long at, long long stop)
{
    sigjmp_buf here;
    if (sigsetjmp(here, 1) != 0) {      /* the mask as it was: SIGBUS open */
        back_to = NULL;
        return MAPPED_CHANGED;
    }
    back_to = &here;
    int rc = wb_reader_feed(reader, m + (at - map_at), (size_t)(stop - at));
    back_to = NULL;
    return rc;
}

int feed_mapped(int fd, long long from, long long to, wb_reader *reader,
                mapped_progress *show)
{
    long long page = sysconf(_SC_PAGESIZE);
    int rc = WB_OK;
    for (long long at = from; at < to && rc == WB_OK;) {
        long long map_at = at / page * page;
        long long stop = map_at + WINDOW < to ? map_at + WINDOW : to;
        size_t len = (size_t)(stop - map_at);
        char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)map_at);
        if (m == MAP_FAILED)
            return at == from ? MAPPED_NONE : WB_EIO;   /* errno says why */
        rc = feed_window(reader, m, map_at, at, stop);
        munmap(m, len);
        if (show != NULL)
            show->fn(show->ud, stop - from);
        at = stop;
    }
    return rc;
}
