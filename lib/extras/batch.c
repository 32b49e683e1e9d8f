/*
 * batch.c -- the models over arrays, and the ledger as columns, for FFI
 * hosts (docs/ffi.md).
 *
 * Same conventions as the core's batch calls: the caller owns every array
 * (n elements unless said otherwise), each row gets its own status, the
 * call fails only on misuse before writing anything, and *failed (may be
 * NULL) counts the rows that did not succeed. Row i's output is written
 * only when status[i] is WB_OK.
 */
#include <string.h>

#include "core/internal.h"
#include "extras/extras.h"

#define CHECK_ARRAYS(in, out, status, n) \
    WB_RETURN_IF((n) > 0 && ((in) == NULL || (out) == NULL || (status) == NULL), WB_EMISUSE)

static void count_failed(const int32_t *status, size_t n, size_t *failed)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += status[i] != WB_OK;
    if (failed != NULL)
        *failed = bad;
}

int wb_bgnbd_p_alive_many(const wb_bgnbd *m, const wb_rfm *c, size_t n,
                          double *p_alive, int32_t *status, size_t *failed)
{
    WB_RETURN_IF(m == NULL, WB_EMISUSE);
    CHECK_ARRAYS(c, p_alive, status, n);
    for (size_t i = 0; i < n; i++)
        status[i] = wb_bgnbd_p_alive(m, &c[i], &p_alive[i], NULL);
    count_failed(status, n, failed);
    return WB_OK;
}

int wb_bgnbd_expected_many(const wb_bgnbd *m, const wb_rfm *c, size_t n, double t,
                           double *purchases, int32_t *status, size_t *failed)
{
    WB_RETURN_IF(m == NULL, WB_EMISUSE);
    CHECK_ARRAYS(c, purchases, status, n);
    for (size_t i = 0; i < n; i++)
        status[i] = wb_bgnbd_expected(m, &c[i], t, &purchases[i]);
    count_failed(status, n, failed);
    return WB_OK;
}

int wb_gg_expected_spend_many(const wb_gg *g, const wb_rfm *c, size_t n,
                              double *spend, int32_t *status, size_t *failed)
{
    WB_RETURN_IF(g == NULL, WB_EMISUSE);
    CHECK_ARRAYS(c, spend, status, n);
    for (size_t i = 0; i < n; i++)
        status[i] = wb_gg_expected_spend(g, &c[i], &spend[i]);
    count_failed(status, n, failed);
    return WB_OK;
}

int wb_bgnbd_clv_many(const wb_bgnbd *m, const wb_gg *g, const wb_rfm *c, size_t n,
                      double margin, int32_t periods, double period_len,
                      double discount_rate, double *clv, int32_t *status,
                      size_t *failed)
{
    WB_RETURN_IF(m == NULL || g == NULL, WB_EMISUSE);
    CHECK_ARRAYS(c, clv, status, n);
    for (size_t i = 0; i < n; i++) {
        double spend = 0.0;
        status[i] = wb_gg_expected_spend(g, &c[i], &spend);
        if (status[i] == WB_OK)
            status[i] = wb_bgnbd_clv(m, &c[i], spend * margin, periods, period_len,
                                     discount_rate, &clv[i]);
    }
    count_failed(status, n, failed);
    return WB_OK;
}

/* One customer's row of the columns. */
static int export_row(const wb_ledger *l, const wb_policy *p, size_t i,
                      int32_t as_of, int32_t unit_days, const wb_ledger_columns *c,
                      uint64_t *id_at)
{
    wb_ledger_customer lc;
    wb_rfm r;
    WB_FORWARD(wb_ledger_at(l, p, as_of, i, &lc));
    WB_FORWARD(wb_rfm_from_ledger(&lc, as_of, unit_days, &r));
    if (c->id_bytes != NULL)
        memcpy(c->id_bytes + *id_at, lc.id, lc.id_len);
    *id_at += lc.id_len;
    if (c->id_offset != NULL) c->id_offset[i + 1] = *id_at;
    if (c->first_day != NULL) c->first_day[i] = lc.first_day;
    if (c->last_day != NULL) c->last_day[i] = lc.last_day;
    if (c->purchases != NULL) c->purchases[i] = lc.purchases;
    if (c->purchase_days != NULL) c->purchase_days[i] = lc.purchase_days;
    if (c->total != NULL) c->total[i] = lc.total;
    if (c->avg_check != NULL) c->avg_check[i] = lc.avg_check;
    if (c->returns != NULL) c->returns[i] = lc.history.returns;
    if (c->currently_lost != NULL) c->currently_lost[i] = lc.history.currently_lost;
    if (c->x != NULL) c->x[i] = r.x;
    if (c->t_x != NULL) c->t_x[i] = r.t_x;
    if (c->T != NULL) c->T[i] = r.T;
    if (c->mean_spend != NULL) c->mean_spend[i] = r.m;
    return WB_OK;
}

int wb_ledger_export(const wb_ledger *l, const wb_policy *policy, int32_t as_of,
                     int32_t unit_days, const wb_ledger_columns *cols)
{
    wb_policy p;
    size_t n;
    uint64_t id_at = 0;
    WB_RETURN_IF(l == NULL || cols == NULL, WB_EMISUSE);
    WB_RETURN_IF(cols->size != sizeof *cols, WB_ESTRUCT);
    if (policy != NULL) {
        WB_FORWARD(wb_policy_validate(policy, NULL));
        p = *policy;
    } else {
        WB_FORWARD(wb_policy_init(&p));
    }
    WB_FORWARD(wb_ledger_count(l, &n, NULL));
    WB_RETURN_IF(unit_days < 1, WB_EINVAL);
    /* Every customer checked before anything is written: the columns are
     * all written or untouched. */
    for (size_t i = 0; i < n; i++) {
        wb_ledger_customer lc;
        WB_FORWARD(wb_ledger_at(l, &p, as_of, i, &lc));
    }
    if (cols->id_offset != NULL)
        cols->id_offset[0] = 0;
    for (size_t i = 0; i < n; i++)
        WB_FORWARD(export_row(l, &p, i, as_of, unit_days, cols, &id_at));
    return WB_OK;
}
