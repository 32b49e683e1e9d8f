/*
 * history.c -- R6: losses and returns derived from a purchase history,
 * measured against the customer's own rhythm (revision 2).
 *
 * The core has no heap, so the gaps are never stored: the few order
 * statistics the rhythm test needs are found by bisection over gap values,
 * counting the gaps at or below a value in one pass each.
 */
#include "core/internal.h"

/* Completed gaps (between distinct purchase days) of at most v days. Its
 * one caller is kth_gap, so it inlines: one call level less on a
 * Cortex-M0+. */
static uint32_t gaps_at_most(const int32_t *d, size_t n, int32_t v)
{
    uint32_t k = 0;
    for (size_t i = 1; i < n; i++) {
        int32_t g = d[i] - d[i - 1];
        k += g > 0 && g <= v;
    }
    return k;
}

/* The k-th smallest completed gap, 1 <= k <= their number: the least v
 * with at least k gaps at or below it. */
WB_NOINLINE static int32_t kth_gap(const int32_t *d, size_t n, uint32_t k)
{
    int32_t lo = 1, hi = d[n - 1] - d[0];
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (gaps_at_most(d, n, mid) >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The median of the other gaps when one gap of v days is left out of the
 * m, as the two days to average (equal when m - 1 is odd). Which copy of
 * v is left out does not matter; leaving out the last of equal values,
 * its rank is the count of gaps at or below v, read off the order
 * statistics: for m even, stat = g(m/2), g(m/2+1). */
typedef struct pair { int32_t a, b; } pair;

static pair median_of_others(uint32_t m, int32_t v, const int32_t stat[3])
{
    if (m % 2 == 0) {               /* m - 1 others: their middle one */
        int32_t x = v >= stat[1] ? stat[0] : stat[1];
        return (pair){x, x};
    }
    /* m odd, h = (m - 1) / 2: stat = g(h), g(h+1), g(h+2). */
    if (v < stat[1]) return (pair){stat[1], stat[2]};
    if (v < stat[2]) return (pair){stat[0], stat[2]};
    return (pair){stat[0], stat[1]};
}

/* The order statistics of the m completed gaps that median_of_others
 * reads. Inlined into both callers, like is_return: on a Cortex-M0+
 * another call level, or the statistics in a struct, would not fit 128
 * bytes of stack. */
#define WB_INLINE static inline __attribute__((always_inline))
#if !WB_SMALL_CODE
#define SORTED_RHYTHM 32
#define SELECTED_RHYTHM 256
/* On hosts, a history's gaps are copied to the stack instead: the same
 * order statistics, without a pass over the days per bisection step (a
 * tenth of a 5 M-row batch job went there). Up to 32 are sorted; up to
 * 256, the first statistic is selected and the others are the least of
 * the gaps above it (a history of 33 to 256 purchase days took three
 * bisections of about eleven passes each). Longer ones, and firmware,
 * which has no stack to spare, bisect. */

/* Puts the k-th smallest (0-based) of g[0, m) at g[k], with none larger
 * before it and none smaller after it (Hoare's selection). */
static void select_kth(int32_t *g, int32_t m, int32_t k)
{
    int32_t lo = 0, hi = m - 1;
    while (lo < hi) {
        int32_t pivot = g[lo + (hi - lo) / 2], i = lo, j = hi;
        while (i <= j) {
            while (g[i] < pivot) i++;
            while (g[j] > pivot) j--;
            if (i <= j) {
                int32_t t = g[i];
                g[i++] = g[j];
                g[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;                 /* g[k] equals the pivot, in place */
    }
}

/* Up to SORTED_RHYTHM gaps are sorted by a network (Batcher's odd-even
 * merge sort, padded with INT32_MAX): each compare-exchange a min and a
 * max without a branch, where an insertion sort's branches mispredicted
 * on a history's shuffled gaps (5 % of the plan's time). 19 exchanges
 * sort eight, 25 merge two sorted eights, 65 two sixteens; test_history
 * checks the result against the rule's words for histories of every
 * length. */
#define CX(a, b)                                                           \
    do {                                                                   \
        int32_t lo_ = g[a] < g[b] ? g[a] : g[b], hi_ = g[a] < g[b] ? g[b] : g[a]; \
        g[a] = lo_;                                                        \
        g[b] = hi_;                                                        \
    } while (0)

static void sort8(int32_t *g)
{
    CX(0, 1); CX(2, 3); CX(4, 5); CX(6, 7);
    CX(0, 2); CX(1, 3); CX(4, 6); CX(5, 7);
    CX(1, 2); CX(5, 6);
    CX(0, 4); CX(1, 5); CX(2, 6); CX(3, 7);
    CX(2, 4); CX(3, 5);
    CX(1, 2); CX(3, 4); CX(5, 6);
}

static void merge16(int32_t *g)
{
    CX(0, 8); CX(1, 9); CX(2, 10); CX(3, 11); CX(4, 12); CX(5, 13); CX(6, 14); CX(7, 15);
    CX(4, 8); CX(5, 9); CX(6, 10); CX(7, 11);
    CX(2, 4); CX(3, 5); CX(6, 8); CX(7, 9); CX(10, 12); CX(11, 13);
    CX(1, 2); CX(3, 4); CX(5, 6); CX(7, 8); CX(9, 10); CX(11, 12); CX(13, 14);
}

static void merge32(int32_t *g)
{
    CX(0, 16); CX(1, 17); CX(2, 18); CX(3, 19); CX(4, 20); CX(5, 21); CX(6, 22);
    CX(7, 23); CX(8, 24); CX(9, 25); CX(10, 26); CX(11, 27); CX(12, 28); CX(13, 29);
    CX(14, 30); CX(15, 31);
    CX(8, 16); CX(9, 17); CX(10, 18); CX(11, 19); CX(12, 20); CX(13, 21); CX(14, 22);
    CX(15, 23);
    CX(4, 8); CX(5, 9); CX(6, 10); CX(7, 11); CX(12, 16); CX(13, 17); CX(14, 18);
    CX(15, 19); CX(20, 24); CX(21, 25); CX(22, 26); CX(23, 27);
    CX(2, 4); CX(3, 5); CX(6, 8); CX(7, 9); CX(10, 12); CX(11, 13); CX(14, 16);
    CX(15, 17); CX(18, 20); CX(19, 21); CX(22, 24); CX(23, 25); CX(26, 28); CX(27, 29);
    CX(1, 2); CX(3, 4); CX(5, 6); CX(7, 8); CX(9, 10); CX(11, 12); CX(13, 14);
    CX(15, 16); CX(17, 18); CX(19, 20); CX(21, 22); CX(23, 24); CX(25, 26); CX(27, 28);
    CX(29, 30);
}

/* The m <= SORTED_RHYTHM completed gaps of d[0, n), sorted into g. */
static void sort_gaps(const int32_t *d, size_t n, uint32_t m,
                      int32_t g[SORTED_RHYTHM + 1])
{
    uint32_t k = 0, size = m <= 8 ? 8 : m <= 16 ? 16 : 32;
    for (size_t i = 1; i < n; i++) {    /* a gap of 0 is overwritten */
        int32_t v = d[i] - d[i - 1];
        g[k] = v;
        k += v > 0;
    }
    for (uint32_t i = m; i < size; i++)
        g[i] = INT32_MAX;
    for (uint32_t at = 0; at < size; at += 8)
        sort8(g + at);
    for (uint32_t at = 0; size >= 16 && at < size; at += 16)
        merge16(g + at);
    if (size == 32)
        merge32(g);
}

static void small_rhythm(const int32_t *d, size_t n, uint32_t m, int32_t stat[3])
{
    int32_t g[SELECTED_RHYTHM + 1];
    uint32_t k = 0;
    /* 1-based ranks as kth_gap takes them; first >= 1 as m >= 2. */
    uint32_t first = m % 2 == 0 ? m / 2 : (m - 1) / 2;
    if (m <= SORTED_RHYTHM) {
        sort_gaps(d, n, m, g);
        for (uint32_t s = 0; s < (m % 2 == 0 ? 2u : 3u); s++)
            stat[s] = g[first + s - 1];
        return;
    }
    for (size_t i = 1; i < n; i++) {
        int32_t v = d[i] - d[i - 1];
        if (v > 0)
            g[k++] = v;
    }
    /* g[0, m) holds the m completed gaps (m counts them, as above). */
    select_kth(g, (int32_t)m, (int32_t)first - 1);
    int32_t next = INT32_MAX, after = INT32_MAX;  /* the least two above it */
    for (uint32_t i = first; i < m; i++) {
        if (g[i] < next) {
            after = next;
            next = g[i];
        } else if (g[i] < after) {
            after = g[i];
        }
    }
    stat[0] = g[first - 1];
    stat[1] = next;
    stat[2] = after;                /* read only when m is odd */
}
#endif

WB_INLINE void rhythm_of(const int32_t *d, size_t n, uint32_t m, int32_t stat[3])
{
#if !WB_SMALL_CODE
    if (m <= SELECTED_RHYTHM) {
        small_rhythm(d, n, m, stat);
        return;
    }
#endif
    if (m % 2 == 0) {
        stat[0] = kth_gap(d, n, m / 2);
        stat[1] = kth_gap(d, n, m / 2 + 1);
    } else {
        uint32_t h = (m - 1) / 2;
        stat[0] = kth_gap(d, n, h);
        stat[1] = kth_gap(d, n, h + 1);
        stat[2] = kth_gap(d, n, h + 2);
    }
}

/* A completed gap of g >= lost days is a loss and a return (rule 11) when
 * it is also at least factor times the median of the other gaps:
 * 2 g >= factor (a + b), exactly. All in int32: a gap is at most
 * WB_DAY_MAX - WB_DAY_MIN (3.7e6 days) and the factor at most 100 (the
 * policy's range), so factor (a + b) < 7.3e8. */
WB_INLINE int is_return(uint32_t m, const int32_t stat[3], int32_t g, int32_t factor)
{
    pair med = median_of_others(m, g, stat);
    return 2 * g >= factor * (med.a + med.b);
}

/* Returns: gaps of at least `lost` days that pass is_return. Not inlined,
 * so that the caller's frame stays small on a Cortex-M0+. */
WB_NOINLINE static int32_t rhythm_returns(const int32_t *d, size_t n,
                                          int32_t lost, int32_t factor)
{
    uint32_t m = 0;                 /* completed gaps */
    int32_t stat[3] = {0, 0, 0};
    int32_t returns = 0, long_gaps = 0;
    for (size_t i = 1; i < n; i++) {
        m += d[i] != d[i - 1];
        long_gaps += d[i] - d[i - 1] >= lost;
    }
    /* Most histories have no gap past the threshold: no medians needed.
     * Without the rhythm test, the long gaps are the returns. */
    if (long_gaps == 0 || factor == 0)
        return long_gaps;
    if (m < 2)
        return 0;                   /* no rhythm to measure against */
    rhythm_of(d, n, m, stat);
    for (size_t i = 1; i < n; i++) {
        int32_t g = d[i] - d[i - 1];
        if (g >= lost)              /* lost >= 1: equal days never count */
            returns += is_return(m, stat, g, factor);
    }
    return returns;
}

/* The checks both public functions make of their days. */
static int check_days(const int32_t *days, size_t n, int32_t as_of)
{
    WB_RETURN_IF(!wb__day_ok(as_of), WB_EDATE);
    for (size_t i = 0; i < n; i++) {
        WB_RETURN_IF(!wb__day_ok(days[i]), WB_EDATE);
        WB_RETURN_IF(days[i] > as_of, WB_EFUTURE);
        WB_RETURN_IF(i > 0 && days[i] < days[i - 1], WB_EORDER);
    }
    return WB_OK;
}

/* The losses of checked arguments, for both entry points below. Size-
 * first builds inline it into wb_history_losses, the only one they keep:
 * a frame more would pass the Cortex-M0+ stack bound. Elsewhere it is one
 * function both call, so its branches exist once. */
#if WB_SMALL_CODE
#  define WB_LOSSES static WB_ALWAYS_INLINE
#else
#  define WB_LOSSES WB_NOINLINE static
#endif
WB_LOSSES int losses_of(const wb_policy *p, const int32_t *days, size_t n,
                        int32_t as_of, wb_history *out)
{
    const int32_t lost = wb__class_floor(p, p->lost_class);
    /* Gaps are at least 1 day, so returns <= WB_DAY_MAX - WB_DAY_MIN. */
    out->returns = rhythm_returns(days, n, lost, p->loss_rhythm_factor);
    out->currently_lost = n > 0 && as_of - days[n - 1] >= lost;
    out->losses = out->returns + out->currently_lost;
    out->sensitive = out->returns > 0;
    return WB_OK;
}

int wb_history_losses(const wb_policy *p, const int32_t *days, size_t n,
                      int32_t as_of, wb_history *out)
{
    WB_RETURN_IF(out == NULL || (days == NULL && n > 0), WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    WB_FORWARD(check_days(days, n, as_of));
    return losses_of(p, days, n, as_of, out);
}

/* The ledger's days are valid and in order (checked as they were added,
 * sorted by its index): of check_days, only the as_of and the last day
 * against it can fail, with the same status check_days would give. A
 * tenth of reading a ledger customer went to checking each day again. */
int wb__history_losses(const wb_policy *p, const int32_t *days, size_t n,
                       int32_t as_of, wb_history *out)
{
    WB_RETURN_IF(!wb__day_ok(as_of), WB_EDATE);
    WB_RETURN_IF(n > 0 && days[n - 1] > as_of, WB_EFUTURE);
    return losses_of(p, days, n, as_of, out);
}

/* One event into the caller's array, if it has room; counted either way. */
static void put_event(wb_loss_event *events, size_t cap, size_t *count,
                      int32_t last, int32_t lost, int32_t returned)
{
    if (*count < cap)
        events[*count] = (wb_loss_event){last, last + lost, returned, 0};
    ++*count;
}

int wb_history_events(const wb_policy *p, const int32_t *days, size_t n,
                      int32_t as_of, wb_loss_event *events, size_t cap,
                      size_t *count)
{
    WB_RETURN_IF(count == NULL || (days == NULL && n > 0) ||
                 (events == NULL && cap > 0), WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
    WB_FORWARD(check_days(days, n, as_of));
    const int32_t lost = wb__class_floor(p, p->lost_class);
    const int32_t factor = p->loss_rhythm_factor;
    uint32_t m = 0;
    int32_t stat[3] = {0, 0, 0};
    for (size_t i = 1; i < n; i++)
        m += days[i] != days[i - 1];
    if (factor > 0 && m >= 2)
        rhythm_of(days, n, m, stat);
    *count = 0;
    for (size_t i = 1; i < n; i++) {
        int32_t g = days[i] - days[i - 1];
        if (g >= lost && (factor == 0 || (m >= 2 && is_return(m, stat, g, factor))))
            put_event(events, cap, count, days[i - 1], lost, days[i]);
    }
    if (n > 0 && as_of - days[n - 1] >= lost)
        put_event(events, cap, count, days[n - 1], lost, WB_DAY_NONE);
    return WB_OK;
}
