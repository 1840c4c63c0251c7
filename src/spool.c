/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The spool of captured blobs (spool.h): regions of one unlinked
 * temporary file, reserved as each blob starts (its size is known from
 * its descriptor or tar header), written with pwrite(2) so threads fill
 * their own regions at once, and recorded by digest when committed.
 */
#include "config.h"

#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dmap.h"

#define COPY_BLOCK (256 * 1024)

struct region {
	uint64_t off;
	int64_t size;
};

struct ov_spool {
	int fd;
	uint64_t max;  /* 0: unbounded */
	uint64_t next; /* first byte not reserved */
	pthread_mutex_t mu;
	struct ov_dmap map; /* digest -> index in regions */
	struct region *regions;
	size_t n, cap;
};

static int
open_temp(const char *dir)
{
	char *tmpl = NULL;
	size_t len;
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	len = strlen(dir) + sizeof("/.ocivet-spool-XXXXXX");
	if ((tmpl = malloc(len)) == NULL)
		return -1;
	(void)snprintf(tmpl, len, "%s/.ocivet-spool-XXXXXX", dir);
	if ((fd = mkstemp(tmpl)) >= 0)
		(void)unlink(tmpl);
	free(tmpl);
	return fd;
}

enum ov_code
ov_spool_new(const char *dir, uint64_t max, struct ov_spool **out,
    struct ov_err *err)
{
	struct ov_spool *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	s->max = max;
	if (pthread_mutex_init(&s->mu, NULL) != 0) {
		free(s);
		return ov_err_set(err, OV_E_INTERNAL,
		    "pthread_mutex_init failed");
	}
	if ((s->fd = open_temp(dir)) < 0) {
		ov_err_set(err, OV_E_IO,
		    "%s: cannot create a temporary file: %s", dir,
		    strerror(errno));
		(void)pthread_mutex_destroy(&s->mu);
		free(s);
		return OV_E_IO;
	}
	*out = s;
	return OV_OK;
}

void
ov_spool_free(struct ov_spool *s)
{
	if (s == NULL)
		return;
	(void)close(s->fd);
	(void)pthread_mutex_destroy(&s->mu);
	ov_dmap_free(&s->map);
	free(s->regions);
	free(s);
}

int
ov_spool_has(struct ov_spool *s, const struct ov_digest *d)
{
	int has;

	(void)pthread_mutex_lock(&s->mu);
	has = ov_dmap_get(&s->map, d, NULL);
	(void)pthread_mutex_unlock(&s->mu);
	return has;
}

enum ov_code
ov_spool_begin(struct ov_spool *s, const struct ov_digest *d, int64_t size,
    struct ov_spool_writer *w, struct ov_err *err)
{
	enum ov_code r = OV_OK;

	memset(w, 0, sizeof(*w));
	if (s == NULL)
		return OV_OK;
	if (size < 0)
		return ov_err_set(err, OV_E_INTERNAL, "spool: negative size");
	(void)pthread_mutex_lock(&s->mu);
	if (d != NULL && ov_dmap_get(&s->map, d, NULL))
		goto out; /* captured already: nothing to do */
	if ((uint64_t)size > UINT64_MAX - s->next ||
	    (s->max != 0 && s->next + (uint64_t)size > s->max)) {
		r = ov_err_set(err, OV_E_LIMIT,
		    "the blobs to export exceed %ju bytes", (uintmax_t)s->max);
		goto out;
	}
	w->s = s;
	w->off = s->next;
	w->size = size;
	s->next += (uint64_t)size;
out:
	(void)pthread_mutex_unlock(&s->mu);
	return r;
}

enum ov_code
ov_spool_write(struct ov_spool_writer *w, const void *p, size_t n,
    struct ov_err *err)
{
	const unsigned char *b = p;
	ssize_t k;

	if (w->s == NULL || n == 0)
		return OV_OK;
	if (w->failed || (uint64_t)n > (uint64_t)(w->size - w->pos)) {
		w->failed = 1;
		return ov_err_set(err, OV_E_INTERNAL,
		    "spool: more data than the %jd bytes reserved",
		    (intmax_t)w->size);
	}
	while (n > 0) {
		k = pwrite(w->s->fd, b, n, (off_t)(w->off + (uint64_t)w->pos));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->failed = 1;
			return ov_err_set(err, OV_E_IO,
			    "writing the temporary copy of a blob: %s",
			    k < 0 ? strerror(errno) : "short write");
		}
		b += k;
		n -= (size_t)k;
		w->pos += k;
	}
	return OV_OK;
}

/* Give w's region back when it is the last one reserved; s->mu held. */
static void
release(struct ov_spool *s, const struct ov_spool_writer *w)
{
	if (w->off + (uint64_t)w->size == s->next)
		s->next = w->off;
}

void
ov_spool_discard(struct ov_spool_writer *w)
{
	struct ov_spool *s = w->s;

	if (s == NULL)
		return;
	(void)pthread_mutex_lock(&s->mu);
	release(s, w);
	(void)pthread_mutex_unlock(&s->mu);
	memset(w, 0, sizeof(*w));
}

enum ov_code
ov_spool_commit(struct ov_spool_writer *w, const struct ov_digest *d,
    struct ov_err *err)
{
	struct ov_spool *s = w->s;
	struct region *nr;
	enum ov_code r = OV_OK;

	if (s == NULL)
		return OV_OK;
	if (w->failed || w->pos != w->size) {
		ov_spool_discard(w);
		return ov_err_set(err, OV_E_INTERNAL,
		    "spool: blob %s committed incomplete", d->str);
	}
	w->s = NULL;
	(void)pthread_mutex_lock(&s->mu);
	if (ov_dmap_get(&s->map, d, NULL)) {
		release(s, w); /* a copy of a blob already captured */
		goto out;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 64;
		if ((nr = realloc(s->regions, ncap * sizeof(*nr))) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		s->regions = nr;
		s->cap = ncap;
	}
	if ((r = ov_dmap_put(&s->map, d, s->n, err)) != OV_OK)
		goto out;
	s->regions[s->n].off = w->off;
	s->regions[s->n].size = w->size;
	s->n++;
out:
	(void)pthread_mutex_unlock(&s->mu);
	return r;
}

enum ov_code
ov_spool_put(struct ov_spool *s, const struct ov_digest *d, const void *data,
    size_t len, struct ov_err *err)
{
	struct ov_spool_writer w;
	struct ov_digest got;
	enum ov_code r;

	if ((r = ov_digest_of(d->alg, data, len, &got, err)) != OV_OK)
		return r;
	if (!ov_digest_equal(&got, d))
		return ov_err_set(err, OV_E_DIGEST,
		    "blob %s: content does not match its digest (it hashes to %s)",
		    d->str, got.str);
	if ((r = ov_spool_begin(s, d, (int64_t)len, &w, err)) != OV_OK ||
	    (r = ov_spool_write(&w, data, len, err)) != OV_OK)
		return r;
	return ov_spool_commit(&w, d, err);
}

static int
find(struct ov_spool *s, const struct ov_digest *d, struct region *out)
{
	size_t i;
	int has;

	(void)pthread_mutex_lock(&s->mu);
	if ((has = ov_dmap_get(&s->map, d, &i)) != 0)
		*out = s->regions[i];
	(void)pthread_mutex_unlock(&s->mu);
	return has;
}

enum ov_code
ov_spool_size(struct ov_spool *s, const struct ov_digest *d, int64_t *size,
    struct ov_err *err)
{
	struct region g;

	if (!find(s, d, &g))
		return ov_err_set(err, OV_E_NOTFOUND,
		    "blob %s was not read while verifying", d->str);
	*size = g.size;
	return OV_OK;
}

enum ov_code
ov_spool_copy(struct ov_spool *s, const struct ov_digest *d,
    enum ov_code (*fn)(void *, const void *, size_t, struct ov_err *),
    void *ctx, struct ov_err *err)
{
	struct ov_hash *h = NULL;
	struct ov_digest got;
	unsigned char *buf = NULL;
	struct region g;
	int64_t done = 0;
	size_t want;
	ssize_t k;
	enum ov_code r;

	if (!find(s, d, &g))
		return ov_err_set(err, OV_E_NOTFOUND,
		    "blob %s was not read while verifying", d->str);
	if ((buf = malloc(COPY_BLOCK)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((r = ov_hash_new(d->alg, &h, err)) != OV_OK)
		goto out;
	while (done < g.size) {
		want = (uint64_t)(g.size - done) < COPY_BLOCK
		    ? (size_t)(g.size - done)
		    : COPY_BLOCK;
		k = pread(s->fd, buf, want, (off_t)(g.off + (uint64_t)done));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			r = ov_err_set(err, OV_E_IO,
			    "reading the temporary copy of blob %s: %s", d->str,
			    k < 0 ? strerror(errno) : "file shrank");
			goto out;
		}
		if ((r = ov_hash_update(h, buf, (size_t)k, err)) != OV_OK ||
		    (r = fn(ctx, buf, (size_t)k, err)) != OV_OK)
			goto out;
		done += k;
	}
	if ((r = ov_hash_final(h, &got, err)) != OV_OK)
		goto out;
	if (!ov_digest_equal(&got, d))
		r = ov_err_set(err, OV_E_DIGEST,
		    "the temporary copy of blob %s changed after it was verified",
		    d->str);
out:
	ov_hash_free(h);
	free(buf);
	return r;
}

struct membuf {
	unsigned char *p;
	size_t len;
};

static enum ov_code
to_mem(void *ctx, const void *p, size_t n, struct ov_err *err)
{
	struct membuf *m = ctx;

	(void)err;
	memcpy(m->p + m->len, p, n);
	m->len += n;
	return OV_OK;
}

enum ov_code
ov_spool_read(struct ov_spool *s, const struct ov_digest *d, size_t max,
    unsigned char **data, size_t *len, struct ov_err *err)
{
	struct membuf m = {NULL, 0};
	int64_t size;
	enum ov_code r;

	*data = NULL;
	*len = 0;
	if ((r = ov_spool_size(s, d, &size, err)) != OV_OK)
		return r;
	if ((uint64_t)size > max)
		return ov_err_set(err, OV_E_LIMIT,
		    "blob %s: size %jd exceeds the limit of %zu bytes", d->str,
		    (intmax_t)size, max);
	if ((m.p = malloc((size_t)size + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((r = ov_spool_copy(s, d, to_mem, &m, err)) != OV_OK) {
		free(m.p);
		return r;
	}
	m.p[m.len] = '\0';
	*data = m.p;
	*len = m.len;
	return OV_OK;
}
