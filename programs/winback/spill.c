/*
 * spill.c -- one reading thread's rows of one ledger part, kept until
 * every thread has read its range and then added part by part.
 *
 * Added as they are read, rows go to customers anywhere in a table of
 * hundreds of thousands: nearly every row waits for memory. Held back
 * and added a part at a time, they meet a table small enough to stay in
 * cache while its rows go in (load.c picks the parts). A row is kept in
 * few bytes -- its id's length and bytes, its day as the difference from
 * the row before (zigzag, then a base-128 varint: one byte in a log in
 * date order, where four took the 5 M-row plan 3.6 k more page faults),
 * its amount as a varint -- in chunks from the page allocator (pages.c),
 * so that each chunk's pages serve the ledger once added (from malloc's
 * heap they would stay resident beside the ledger that replaces them).
 */
#include <string.h>

#include "tool.h"

/* A spill's chunks double from 64 KiB to 1 MiB. A chunk cut from the
 * allocator's pool of freed pages (while loading) is resident whole,
 * however little of it is filled: at a fixed 1 MiB, the 128 nearly empty
 * chunks of each meeting's reading took the 5 M-row plan under a 16 MiB
 * WINBACK_HOLD_MAX from 127 to 150 MiB. Doubling, the open chunk is at
 * most 64 KiB more than what its spill holds; and the large chunks of a
 * large spill hold a ledger part's slabs and rows once freed, as 64 KiB
 * ones did not (the 50 M-row plan faulted 14 % more pages with them). */
#define CHUNK_FIRST ((size_t)64 << 10)
#define CHUNK_MOST ((size_t)1 << 20)
/* The most bytes one row takes: length, id, a 32-bit varint, a 64-bit
 * one. */
#define ROW_MAX (1u + WB_ID_MAX + 5u + 10u)

/* The write position lives in the spill, not in the chunk: chunks are
 * mapped at page boundaries, so the headers of a thread's 64 open chunks
 * share one cache set, and reading them row after row missed the cache. */
struct spill_chunk {
    spill_chunk *next;
    size_t used;            /* set once the chunk is closed (close_tail) */
    size_t size;            /* allocated, this header included */
    unsigned char bytes[];
};

static void close_tail(spill *s)
{
    if (s->tail != NULL)
        s->tail->used = (size_t)(s->at - s->tail->bytes);
}

static int new_chunk(spill *s)
{
    const wb_allocator *a = page_allocator();
    size_t size = s->tail == NULL ? CHUNK_FIRST
                  : s->tail->size < CHUNK_MOST ? 2 * s->tail->size : CHUNK_MOST;
    spill_chunk *c = a->alloc(a->ud, size);
    RETURN_IF(c == NULL, WB_ENOMEM);
    c->next = NULL;
    c->used = 0;
    c->size = size;
    close_tail(s);
    if (s->tail != NULL)
        s->tail->next = c;
    else
        s->head = c;
    s->tail = c;
    s->at = c->bytes;
    s->end = (unsigned char *)c + size;
    return WB_OK;
}

/* n bytes from src, without a call to memcpy for the short ids most logs
 * have: two overlapping words, each read within src[0, n). */
static void copy_id(unsigned char *dst, const char *src, size_t n)
{
    if (n >= 8 && n <= 16) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n > 0 && n < 4) {
        dst[0] = (unsigned char)src[0];
        dst[n / 2] = (unsigned char)src[n / 2];
        dst[n - 1] = (unsigned char)src[n - 1];
    } else {
        memcpy(dst, src, n);
    }
}

size_t spill_row(spill *s, const char *id, size_t id_len, int32_t day,
                 int64_t amount)
{
    if ((s->tail == NULL || (size_t)(s->end - s->at) < ROW_MAX) && new_chunk(s) != WB_OK)
        return 0;
    unsigned char *at = s->at;
    uint64_t a = (uint64_t)amount;      /* the reader accepts none below 0 */
    *at++ = (unsigned char)id_len;
    copy_id(at, id, id_len);
    at += id_len;
    /* Days lie within WB_DAY_MIN..WB_DAY_MAX: the difference fits. */
    int32_t step = day - s->day;
    uint32_t z = (uint32_t)step << 1 ^ (uint32_t)(step < 0 ? -1 : 0);
    s->day = day;
    for (; z >= 0x80; z >>= 7)
        *at++ = (unsigned char)(z | 0x80);
    *at++ = (unsigned char)z;
    for (; a >= 0x80; a >>= 7)
        *at++ = (unsigned char)(a | 0x80);
    *at++ = (unsigned char)a;
    size_t took = (size_t)(at - s->at);
    s->at = at;
    return took;
}

spill_cursor spill_begin(spill *s)
{
    spill_cursor cur = {s->head, 0, 0};
    close_tail(s);
    return cur;
}

size_t spill_read(spill_cursor *cur, wb_purchase *rows, size_t max)
{
    size_t n = 0;
    while (n < max && cur->chunk != NULL) {
        const spill_chunk *c = cur->chunk;
        if (cur->at == c->used) {
            cur->chunk = c->next;
            cur->at = 0;
            continue;
        }
        const unsigned char *at = c->bytes + cur->at;
        wb_purchase *r = &rows[n++];
        uint64_t a = 0;
        r->id_len = *at++;
        r->id = (const char *)at;
        at += r->id_len;
        uint32_t z = 0;
        for (unsigned shift = 0;; shift += 7) {
            z |= (uint32_t)(*at & 0x7F) << shift;
            if (*at++ < 0x80)
                break;
        }
        cur->day += (int32_t)(z >> 1) ^ -(int32_t)(z & 1);
        r->day = cur->day;
        for (unsigned shift = 0;; shift += 7) {
            a |= (uint64_t)(*at & 0x7F) << shift;
            if (*at++ < 0x80)
                break;
        }
        r->reserved = 0;
        r->amount = (int64_t)a;
        cur->at = (size_t)(at - c->bytes);
    }
    return n;
}

void spill_free(spill *s)
{
    const wb_allocator *a = page_allocator();
    for (spill_chunk *c = s->head, *next; c != NULL; c = next) {
        next = c->next;
        a->free(a->ud, c, c->size);
    }
    memset(s, 0, sizeof *s);
}
