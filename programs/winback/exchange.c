/*
 * exchange.c -- rows handed between the threads that read one log.
 *
 * When each thread reads its own byte range of the log, a row it reads
 * may belong to another thread's ledger part. It copies such rows into a
 * parcel for that thread and, once the parcel is full, hands it over.
 * Parcels come from a fixed pool, so the rows in flight take bounded
 * memory: a thread that finds no empty parcel waits, and while it waits
 * it takes in the parcels sent to it -- which empties them -- so that two
 * threads waiting on each other always have work that frees one. Every
 * thread sends and receives: a row is added by the thread of its part,
 * whichever thread read it.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Parcels in flight per thread, beyond the ones being filled. */
#define IN_FLIGHT 4

int exchange_open(exchange *x, unsigned threads)
{
    memset(x, 0, sizeof *x);
    x->npool = (size_t)threads * (threads - 1) + (size_t)threads * IN_FLIGHT;
    x->pool = calloc(x->npool, sizeof *x->pool);
    if (x->pool == NULL)
        return WB_ENOMEM;
    if (pthread_mutex_init(&x->lock, NULL) != 0) {
        free(x->pool);
        return WB_ENOMEM;
    }
    if (pthread_cond_init(&x->changed, NULL) != 0) {
        pthread_mutex_destroy(&x->lock);
        free(x->pool);
        return WB_ENOMEM;
    }
    for (size_t i = 0; i < x->npool; i++) {
        x->pool[i].next = x->spare;
        x->spare = &x->pool[i];
    }
    x->sending = threads;
    return WB_OK;
}

void exchange_close(exchange *x)
{
    pthread_cond_destroy(&x->changed);
    pthread_mutex_destroy(&x->lock);
    free(x->pool);
}

/* The oldest parcel sent to `me`, or NULL; under the lock. */
static parcel *pop_inbox(exchange *x, unsigned me)
{
    parcel *p = x->head[me];
    if (p != NULL) {
        x->head[me] = p->next;
        if (x->head[me] == NULL)
            x->tail[me] = NULL;
    }
    return p;
}

/* A parcel's rows are taken in; the parcel goes back to the pool. */
static int take_in(exchange *x, parcel *p, exchange_fn fn, void *ud)
{
    int rc = fn(ud, p);
    pthread_mutex_lock(&x->lock);
    p->n = 0;
    p->next = x->spare;
    x->spare = p;
    if (rc != WB_OK)
        x->stopped = 1;
    pthread_cond_broadcast(&x->changed);
    pthread_mutex_unlock(&x->lock);
    return rc;
}

parcel *exchange_empty(exchange *x, unsigned me, exchange_fn fn, void *ud)
{
    pthread_mutex_lock(&x->lock);
    while (x->spare == NULL && !x->stopped) {
        parcel *in = pop_inbox(x, me);
        if (in == NULL) {
            pthread_cond_wait(&x->changed, &x->lock);
            continue;
        }
        pthread_mutex_unlock(&x->lock);
        take_in(x, in, fn, ud);
        pthread_mutex_lock(&x->lock);
    }
    parcel *p = x->stopped ? NULL : x->spare;
    if (p != NULL) {
        x->spare = p->next;
        p->next = NULL;
        p->n = 0;
    }
    pthread_mutex_unlock(&x->lock);
    return p;
}

void exchange_send(exchange *x, unsigned to, parcel *p)
{
    pthread_mutex_lock(&x->lock);
    p->next = NULL;
    if (x->tail[to] != NULL)
        x->tail[to]->next = p;
    else
        x->head[to] = p;
    x->tail[to] = p;
    pthread_cond_broadcast(&x->changed);
    pthread_mutex_unlock(&x->lock);
}

int exchange_receive(exchange *x, unsigned me, int wait, exchange_fn fn, void *ud)
{
    for (;;) {
        pthread_mutex_lock(&x->lock);
        parcel *p = pop_inbox(x, me);
        while (p == NULL && wait && x->sending > 0 && !x->stopped) {
            pthread_cond_wait(&x->changed, &x->lock);
            p = pop_inbox(x, me);
        }
        int stopped = x->stopped;
        pthread_mutex_unlock(&x->lock);
        if (p == NULL || stopped)
            return stopped ? STOP_EXCHANGE : WB_OK;
        FORWARD(take_in(x, p, fn, ud));
    }
}

void exchange_done(exchange *x)
{
    pthread_mutex_lock(&x->lock);
    x->sending--;
    pthread_cond_broadcast(&x->changed);
    pthread_mutex_unlock(&x->lock);
}

void exchange_stop(exchange *x)
{
    pthread_mutex_lock(&x->lock);
    x->stopped = 1;
    pthread_cond_broadcast(&x->changed);
    pthread_mutex_unlock(&x->lock);
}
