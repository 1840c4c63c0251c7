/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small pool of worker threads, owned by the verifier (issue 9: --jobs).
 * It runs batches of independent tasks; the calling thread works too, and
 * the threads start with the first batch that has more than one task.
 */
#ifndef OV_POOL_H
#define OV_POOL_H

#include <stddef.h>

#include "err.h"

struct ov_pool;

/*
 * A pool running at most jobs tasks at once (the caller included); jobs
 * 0 or 1 runs every task on the calling thread. Free with ov_pool_free.
 */
enum ov_code ov_pool_new(unsigned jobs, struct ov_pool **out,
    struct ov_err *err);
void ov_pool_free(struct ov_pool *p);

/* The most tasks the pool runs at once (1 for a NULL pool). */
unsigned ov_pool_jobs(const struct ov_pool *p);

/*
 * fn(ctx, i) for every i < n, in any order and on any of the pool's
 * threads, each task started in index order; returns when all have
 * finished. Tasks report through ctx, never through a return value.
 * A NULL pool, or one whose threads cannot start, runs them in order on
 * the calling thread. Not reentrant: a task may not call ov_pool_run.
 */
void ov_pool_run(struct ov_pool *p, size_t n, void (*fn)(void *ctx, size_t i),
    void *ctx);

#endif
