/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Worker threads for hashing blobs in parallel (issue 9). One mutex
 * guards the batch; workers take the next index, run it unlocked, and the
 * last one to finish wakes the caller. No state outside the pool.
 */
#include "config.h"

#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "ovlimits.h"

struct ov_pool {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a batch was posted, or quit */
	pthread_cond_t done; /* the batch's last task finished */
	pthread_t *threads;
	unsigned jobs;     /* tasks at once, the caller included */
	unsigned started;  /* worker threads running */
	int tried;         /* threads were started, or failed to */
	int quit;
	/* the current batch */
	void (*fn)(void *, size_t);
	void *ctx;
	size_t n, next, busy;
};

enum ov_code
ov_pool_new(unsigned jobs, struct ov_pool **out, struct ov_err *err)
{
	struct ov_pool *p;

	*out = NULL;
	if (jobs == 0)
		jobs = 1;
	if (jobs > OV_MAX_JOBS)
		jobs = OV_MAX_JOBS;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	p->jobs = jobs;
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		return ov_err_set(err, OV_E_INTERNAL, "pthread_mutex_init failed");
	}
	if (pthread_cond_init(&p->work, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		return ov_err_set(err, OV_E_INTERNAL, "pthread_cond_init failed");
	}
	if (pthread_cond_init(&p->done, NULL) != 0) {
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return ov_err_set(err, OV_E_INTERNAL, "pthread_cond_init failed");
	}
	*out = p;
	return OV_OK;
}

unsigned
ov_pool_jobs(const struct ov_pool *p)
{
	return p == NULL ? 1 : p->jobs;
}

/* Take and run tasks of the current batch; called with mu held. */
static void
drain(struct ov_pool *p)
{
	size_t i;

	while (p->fn != NULL && p->next < p->n) {
		i = p->next++;
		p->busy++;
		pthread_mutex_unlock(&p->mu);
		p->fn(p->ctx, i);
		pthread_mutex_lock(&p->mu);
		if (--p->busy == 0 && p->next >= p->n)
			pthread_cond_broadcast(&p->done);
	}
}

static void *
worker(void *arg)
{
	struct ov_pool *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->quit) {
		drain(p);
		if (!p->quit)
			pthread_cond_wait(&p->work, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Start the worker threads once; fewer (or none) if the system refuses. */
static void
start(struct ov_pool *p)
{
	unsigned i;

	p->tried = 1;
	if (p->jobs < 2 ||
	    (p->threads = calloc(p->jobs - 1, sizeof(*p->threads))) == NULL)
		return;
	for (i = 0; i < p->jobs - 1; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->started++;
	}
}

void
ov_pool_run(struct ov_pool *p, size_t n, void (*fn)(void *ctx, size_t i),
    void *ctx)
{
	size_t i;

	if (p == NULL || p->jobs < 2 || n < 2) {
		for (i = 0; i < n; i++)
			fn(ctx, i);
		return;
	}
	pthread_mutex_lock(&p->mu);
	if (!p->tried)
		start(p);
	p->fn = fn;
	p->ctx = ctx;
	p->n = n;
	p->next = 0;
	p->busy = 0;
	pthread_cond_broadcast(&p->work);
	drain(p);
	while (p->busy > 0)
		pthread_cond_wait(&p->done, &p->mu);
	p->fn = NULL;
	p->ctx = NULL;
	pthread_mutex_unlock(&p->mu);
}

void
ov_pool_free(struct ov_pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	free(p->threads);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
