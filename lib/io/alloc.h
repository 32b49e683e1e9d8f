/*
 * io/alloc.h -- allocator plumbing for the heap users (ledger, reader);
 * internal to the io tier, not installed.
 */
#ifndef WB_ALLOC_H
#define WB_ALLOC_H

#include "winback/io.h"
#include "core/internal.h"

/* Copies the host's allocator (checking it is complete), or the standard
 * one when `given` is NULL. WB_EINVAL for an incomplete allocator. */
int wb__allocator_pick(const wb_allocator *given, wb_allocator *out);

/* count * elem in *bytes, or WB_ENOMEM when that does not fit size_t. */
int wb__array_bytes(size_t count, size_t elem, size_t *bytes);

#endif
