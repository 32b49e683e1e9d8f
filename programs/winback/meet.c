/*
 * meet.c -- reading threads that meet to add what they hold.
 *
 * The reading threads hold their rows by ledger part (spill.c) and add
 * them once every range is read. Held to the end, they would take memory
 * in proportion to the log; so once one thread holds its share of the
 * budget, it asks the others to meet: each stops reading at its next row
 * (or, done reading, is waiting for the others), and when all are there,
 * each adds the held rows of its own parts, from every thread's spills.
 * Nobody reads again until all have added, since a thread's spills are
 * read by the others while they add.
 *
 * Every worker takes part in every meeting, reading or not, so a meeting
 * needs all `n`. A failure stops the meetings for good: whoever waits at
 * one is let go with STOP_MET, and the failure is said by the worker
 * that had it.
 */
#include "tool.h"

int meeting_open(meeting *m, unsigned n)
{
    RETURN_IF(pthread_mutex_init(&m->lock, NULL) != 0, WB_ENOMEM);
    if (pthread_cond_init(&m->changed, NULL) != 0) {
        pthread_mutex_destroy(&m->lock);
        return WB_ENOMEM;
    }
    meeting_reset(m, n);
    return WB_OK;
}

void meeting_close(meeting *m)
{
    pthread_cond_destroy(&m->changed);
    pthread_mutex_destroy(&m->lock);
}

void meeting_reset(meeting *m, unsigned n)
{
    m->n = n;
    m->reading = n;
    m->arrived = 0;
    m->generation = 0;
    m->stopped = 0;
    atomic_store(&m->wanted, 0);
}

int meeting_wanted(meeting *m)
{
    return atomic_load_explicit(&m->wanted, memory_order_relaxed);
}

void meeting_stop(meeting *m)
{
    pthread_mutex_lock(&m->lock);
    m->stopped = 1;
    pthread_cond_broadcast(&m->changed);
    pthread_mutex_unlock(&m->lock);
}

/* Waits until all n are here; 1 when the meetings were stopped. The last
 * to come lets the others go, and clears the request: from here until
 * the meeting ends, nobody reads, so nobody asks again. */
static int all_here(meeting *m)
{
    pthread_mutex_lock(&m->lock);
    unsigned generation = m->generation;
    if (++m->arrived == m->n) {
        m->arrived = 0;
        m->generation++;
        atomic_store(&m->wanted, 0);
        pthread_cond_broadcast(&m->changed);
    } else {
        while (generation == m->generation && !m->stopped)
            pthread_cond_wait(&m->changed, &m->lock);
    }
    int stopped = m->stopped;
    pthread_mutex_unlock(&m->lock);
    return stopped;
}

int meeting_hold(meeting *m, meet_fn add_share, void *ud)
{
    pthread_mutex_lock(&m->lock);
    atomic_store(&m->wanted, 1);
    pthread_cond_broadcast(&m->changed);    /* wakes those done reading */
    pthread_mutex_unlock(&m->lock);
    if (all_here(m))
        return STOP_MET;
    int rc = add_share(ud);
    if (rc != 0)
        meeting_stop(m);
    if (all_here(m) && rc == 0)
        return STOP_MET;
    return rc;
}

int meeting_done(meeting *m, int failed, meet_fn add_share, void *ud)
{
    int rc = 0;
    pthread_mutex_lock(&m->lock);
    m->reading--;
    if (failed)
        m->stopped = 1;
    pthread_cond_broadcast(&m->changed);
    while (!m->stopped && (m->reading > 0 || meeting_wanted(m))) {
        if (meeting_wanted(m)) {
            pthread_mutex_unlock(&m->lock);
            rc = meeting_hold(m, add_share, ud);
            pthread_mutex_lock(&m->lock);
            if (rc != 0)
                break;
            continue;
        }
        pthread_cond_wait(&m->changed, &m->lock);
    }
    pthread_mutex_unlock(&m->lock);
    return rc == STOP_MET ? 0 : rc;
}
