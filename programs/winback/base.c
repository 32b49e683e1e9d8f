/*
 * base.c -- the customers a command decides about: the log's, joined by id
 * with what --customers knows.
 *
 * Both are in the same id order (the ledger's), so one merge pass pairs
 * them. A customer only in --customers has never bought: its plan says so.
 * Without --customers the base is the ledger itself and costs nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

int base_open(const options *o, const wb_ledger *l, const crm_table *crm, base *b)
{
    size_t nl;
    memset(b, 0, sizeof *b);
    b->ledger = l;
    b->crm = crm;
    FORWARD(wb_ledger_count(l, &nl, NULL));
    if (crm == NULL) {
        b->n = nl;
        return WB_OK;
    }
    b->li = malloc((nl + crm->n + 1) * sizeof *b->li);
    b->ci = malloc((nl + crm->n + 1) * sizeof *b->ci);
    if (b->li == NULL || b->ci == NULL) {
        base_close(b);
        return WB_ENOMEM;
    }
    size_t i = 0, j = 0;
    while (i < nl || j < crm->n) {
        wb_ledger_customer lc;
        int c;
        if (i == nl) {
            c = 1;
        } else if (j == crm->n) {
            c = -1;
        } else {
            FORWARD(wb_ledger_at(l, &o->policy, WB_DAY_MAX, i, &lc));
            c = id_compare(lc.id, lc.id_len, crm->rows[j].id, crm->rows[j].id_len);
        }
        b->li[b->n] = c <= 0 ? (int32_t)i++ : -1;
        b->ci[b->n] = c >= 0 ? (int32_t)j++ : -1;
        b->n++;
    }
    return WB_OK;
}

void base_close(base *b)
{
    free(b->li);
    free(b->ci);
    b->li = b->ci = NULL;
}

/* The k-th customer: its id, what the log says (lc, or read here when
 * NULL) and what the CRM knows. */
static int fill_member(const options *o, const base *b, size_t k,
                       const wb_ledger_customer *lc, member *m)
{
    int32_t li = b->li ? b->li[k] : (int32_t)k;
    int32_t ci = b->ci ? b->ci[k] : -1;
    memset(m, 0, sizeof *m);
    m->index = k;
    m->ledger_index = li;
    m->crm = ci >= 0 ? &b->crm->rows[ci] : NULL;
    if (li >= 0) {
        if (lc != NULL)
            m->lc = *lc;
        else
            FORWARD(wb_ledger_at(b->ledger, &o->policy, o->as_of, (size_t)li, &m->lc));
        FORWARD(customer_from_ledger(o, &m->lc, &m->c));
        m->id = m->lc.id;
        m->id_len = m->lc.id_len;
    } else {
        FORWARD(wb_customer_init(&m->c));    /* never bought */
        m->c.expected_years = o->years;
        m->c.margin_bp = o->margin_bp;
        m->c.winback_cost = o->amount[MONEY_COST];
        m->id = m->crm->id;
        m->id_len = m->crm->id_len;
    }
    if (m->crm != NULL)
        crm_apply(m->crm, o, &m->c);
    return WB_OK;
}

int base_member(const options *o, const base *b, size_t k, member *m)
{
    return fill_member(o, b, k, NULL, m);
}

/* Members [from, from + n) made from one read of the ledger, which checks
 * the policy once (wb_ledger_at_many); without --customers the base is
 * the ledger, so the block is a run of its customers. */
static void make_members(const options *o, const base *b, size_t from,
                         size_t n, member *mb, int *status)
{
    wb_ledger_customer lc[DECIDE_BLOCK];
    int32_t st[DECIDE_BLOCK];
    if (b->li == NULL &&
        wb_ledger_at_many(b->ledger, &o->policy, o->as_of, from, n, lc, st, NULL) == WB_OK) {
        for (size_t i = 0; i < n; i++)
            status[i] = st[i] != WB_OK ? st[i] : fill_member(o, b, from + i, &lc[i], &mb[i]);
        return;
    }
    for (size_t i = 0; i < n; i++)  /* --customers, or the call failed whole */
        status[i] = fill_member(o, b, from + i, NULL, &mb[i]);
}

/* The block's customers whose members were made, decided in one call:
 * wb_decide_many validates the policy once, where wb_decide validates it
 * for every customer (a tenth of the plan's instructions). */
void base_decide(const options *o, const base *b, size_t from, size_t n,
                 member *mb, wb_plan *plans, int *status)
{
    wb_customer cs[DECIDE_BLOCK];
    wb_plan ps[DECIDE_BLOCK];
    int32_t st[DECIDE_BLOCK];
    size_t at[DECIDE_BLOCK], k = 0;
    make_members(o, b, from, n, mb, status);
    for (size_t i = 0; i < n; i++) {
        if (status[i] == WB_OK) {
            cs[k] = mb[i].c;
            at[k++] = i;
        }
    }
    if (k == 0)
        return;
    int rc = wb_decide_many(&o->policy, cs, k, o->as_of, ps, st, NULL);
    for (size_t j = 0; j < k; j++) {
        status[at[j]] = rc != WB_OK ? rc : st[j];
        plans[at[j]] = ps[j];
    }
}

/* The k-th customer's id, for messages, whatever else fails. */
void base_id(const options *o, const base *b, size_t k, const char **id,
             size_t *len)
{
    int32_t li = b->li ? b->li[k] : (int32_t)k;
    (void)o;
    *id = "?";
    *len = 1;
    if (li >= 0) {
        if (wb_ledger_id_at(b->ledger, (size_t)li, id, len) != WB_OK) {
            *id = "?";
            *len = 1;
        }
    } else {
        *id = b->crm->rows[b->ci[k]].id;
        *len = b->crm->rows[b->ci[k]].id_len;
    }
}
