/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI image layout directories (image-spec image-layout.md). Blob paths
 * are opened one component at a time with O_NOFOLLOW below the layout
 * root, so neither a symlink nor a crafted name can reach outside it, and
 * O_NONBLOCK so a FIFO planted as a blob cannot hang the verifier.
 */
#include "config.h"

#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "ovlimits.h"
#include "spool.h"
#include "text.h"

#define READ_CHUNK (256 * 1024)

struct dir_source {
	int rootfd;
};

static enum ov_code
open_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
    int *fdp, struct ov_err *err)
{
	struct dir_source *ds = src->impl;
	const char *alg = ov_digest_alg_name(d->alg);
	struct stat st;
	int bfd = -1, afd = -1, fd = -1, flags;
	enum ov_code r;

	*fdp = -1;
	bfd = openat(ds->rootfd, "blobs",
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (bfd >= 0)
		afd = openat(bfd, alg,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (afd >= 0)
		fd = openat(afd, ov_digest_hex(d),
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			r = ov_err_set(err, OV_E_NOTFOUND,
			    "blob %s is missing (expected blobs/%s/%s in %s)",
			    d->str, alg, ov_digest_hex(d), src->path);
		else if (errno == ELOOP || errno == ENOTDIR)
			r = ov_err_set(err, OV_E_FORMAT,
			    "blob %s: blobs/%s/%s is or passes through a symbolic link, which is not followed",
			    d->str, alg, ov_digest_hex(d));
		else
			r = ov_err_set(err, OV_E_IO, "blob %s: blobs/%s/%s: %s",
			    d->str, alg, ov_digest_hex(d), strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		r = ov_err_set(err, OV_E_IO, "blob %s: %s", d->str,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "blob %s: blobs/%s/%s is not a regular file", d->str, alg,
		    ov_digest_hex(d));
		goto out;
	}
	if ((int64_t)st.st_size != size) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "blob %s: size %jd does not match the descriptor size %jd",
		    d->str, (intmax_t)st.st_size, (intmax_t)size);
		goto out;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		r = ov_err_set(err, OV_E_IO, "blob %s: %s", d->str,
		    strerror(errno));
		goto out;
	}
#ifdef HAVE_POSIX_FADVISE
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	*fdp = fd;
	fd = -1;
	r = OV_OK;
out:
	if (fd >= 0)
		close(fd);
	if (afd >= 0)
		close(afd);
	if (bfd >= 0)
		close(bfd);
	return r;
}

/*
 * Stream fd through the digest; keep the bytes in keep when non-NULL,
 * and capture them in spool (may be NULL) from the same buffer. Exactly
 * size bytes must be read.
 */
static enum ov_code
hash_fd(int fd, const struct ov_digest *d, int64_t size, struct ov_buf *keep,
    struct ov_spool *spool, struct ov_err *err)
{
	struct ov_spool_writer cap;
	struct ov_hash *h = NULL;
	struct ov_digest got;
	unsigned char *chunk = NULL;
	int64_t total = 0;
	ssize_t n;
	enum ov_code r;

	if ((chunk = malloc(READ_CHUNK)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((r = ov_hash_new(d->alg, &h, err)) != OV_OK ||
	    (r = ov_spool_begin(spool, d, size, &cap, err)) != OV_OK)
		goto out;
	for (;;) {
		n = read(fd, chunk, READ_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = ov_err_set(err, OV_E_IO, "blob %s: read: %s",
			    d->str, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		total += n;
		if (total > size)
			break;
		if ((r = ov_hash_update(h, chunk, (size_t)n, err)) != OV_OK ||
		    (r = ov_spool_write(&cap, chunk, (size_t)n, err)) != OV_OK)
			goto out;
		if (keep != NULL &&
		    (r = ov_buf_add(keep, chunk, (size_t)n, err)) != OV_OK)
			goto out;
	}
	if (total != size) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "blob %s: changed while being read (size differs from %jd)",
		    d->str, (intmax_t)size);
		goto out;
	}
	if ((r = ov_hash_final(h, &got, err)) != OV_OK)
		goto out;
	if (!ov_digest_equal(&got, d)) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "blob %s: content does not match its digest (it hashes to %s)",
		    d->str, got.str);
		goto out;
	}
	r = ov_spool_commit(&cap, d, err);
out:
	ov_hash_free(h);
	free(chunk);
	return r;
}

static enum ov_code
dir_read_file(struct ov_source *src, const char *name, struct ov_buf *out,
    struct ov_err *err)
{
	struct dir_source *ds = src->impl;

	return ov_buf_read_file(out, ds->rootfd, name, err);
}

static enum ov_code
dir_read_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
    struct ov_buf *out, struct ov_err *err)
{
	int fd = -1;
	enum ov_code r;

	if (size < 0 || (uint64_t)size > out->max)
		return ov_err_set(err, OV_E_LIMIT,
		    "blob %s: size %jd exceeds the limit of %zu bytes", d->str,
		    (intmax_t)size, out->max);
	if ((r = open_blob(src, d, size, &fd, err)) != OV_OK)
		return r;
	r = hash_fd(fd, d, size, out, src->spool, err);
	close(fd);
	return r;
}

static enum ov_code
dir_check_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
    struct ov_err *err)
{
	int fd = -1;
	enum ov_code r;

	if ((r = open_blob(src, d, size, &fd, err)) != OV_OK)
		return r;
	r = hash_fd(fd, d, size, NULL, src->spool, err);
	close(fd);
	return r;
}

static enum ov_code
dir_content_digest(struct ov_source *src, const struct ov_digest *d,
    int64_t size, enum ov_compression expect, struct ov_digest *out,
    struct ov_err *err)
{
	char what[OV_DIGEST_MAX_STR + 8];
	int fd = -1;
	enum ov_code r;

	if ((r = open_blob(src, d, size, &fd, err)) != OV_OK)
		return r;
	(void)snprintf(what, sizeof(what), "layer %s", d->str);
	r = ov_decomp_digest_fd(fd, expect, OV_MAX_DECOMPRESSED, what, out,
	    err);
	close(fd);
	return r;
}

static enum ov_code
dir_check_blob_content(struct ov_source *src, const struct ov_digest *d,
    int64_t size, enum ov_compression expect, struct ov_digest *content,
    enum ov_code *content_code, struct ov_err *content_err, struct ov_err *err)
{
	char what[OV_DIGEST_MAX_STR + 8];
	struct ov_spool_writer cap;
	int fd = -1;
	enum ov_code r;

	*content_code = OV_E_INTERNAL;
	if ((r = open_blob(src, d, size, &fd, err)) != OV_OK)
		return r;
	(void)snprintf(what, sizeof(what), "layer %s", d->str);
	if ((r = ov_spool_begin(src->spool, d, size, &cap, err)) == OV_OK &&
	    (r = ov_decomp_check_fd(fd, d, size, expect, OV_MAX_DECOMPRESSED,
		 what, content, content_code, content_err, &cap, err)) == OV_OK)
		r = ov_spool_commit(&cap, d, err);
	close(fd);
	return r;
}

static void
dir_close(struct ov_source *src)
{
	struct dir_source *ds = src->impl;

	if (ds != NULL && ds->rootfd >= 0)
		close(ds->rootfd);
	free(ds);
	free(src->path);
	free(src);
}

static const struct ov_source_ops dir_ops = {
	.kind = "oci-layout",
	.read_file = dir_read_file,
	.read_blob = dir_read_blob,
	.check_blob = dir_check_blob,
	.content_digest = dir_content_digest,
	.check_blob_content = dir_check_blob_content,
	.close = dir_close,
	.parallel = 1,
};

enum ov_code
ov_dir_source_open(const char *path, struct ov_source **out,
    struct ov_err *err)
{
	struct ov_source *src = NULL;
	struct dir_source *ds = NULL;
	enum ov_code r;

	*out = NULL;
	if ((src = calloc(1, sizeof(*src))) == NULL ||
	    (ds = calloc(1, sizeof(*ds))) == NULL ||
	    (src->path = strdup(path)) == NULL) {
		free(src != NULL ? src->path : NULL);
		free(src);
		free(ds);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	src->ops = &dir_ops;
	src->impl = ds;
	ds->rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ds->rootfd < 0) {
		r = ov_err_set(err, errno == ENOENT ? OV_E_NOTFOUND : OV_E_IO,
		    "%s: %s", path, strerror(errno));
		dir_close(src);
		return r;
	}
	*out = src;
	return OV_OK;
}

enum ov_code
ov_dir_sublayouts(const char *path, char ***names, size_t *n,
    struct ov_err *err)
{
	char **all = NULL, *sub;
	size_t nall = 0, i;
	struct stat st;
	char rel[512];
	int dfd;
	enum ov_code r;

	*names = NULL;
	*n = 0;
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return OV_OK; /* not a directory: nothing to suggest */
	r = ov_dir_names(dfd, path, 100000, &all, &nall, err);
	for (i = 0; r == OV_OK && i < nall; i++) {
		if (snprintf(rel, sizeof(rel), "%s/oci-layout", all[i]) >=
			(int)sizeof(rel) ||
		    fstatat(dfd, rel, &st, 0) != 0 || !S_ISREG(st.st_mode))
			continue;
		sub = ov_strf("%s/%s", path, all[i]);
		r = ov_strlist_take(names, n, sub, err);
	}
	close(dfd);
	ov_strv_free(all, nall);
	if (r != OV_OK) {
		ov_strv_free(*names, *n);
		*names = NULL;
		*n = 0;
	}
	return r;
}
