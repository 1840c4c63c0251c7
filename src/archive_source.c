/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An OCI image layout inside a tar archive (spec digest A.2) as an image
 * source. The archive was hashed in one pass by ov_archive_read(); blobs
 * are checked here against the recorded digests and sizes, with the same
 * rules and messages as a layout directory (oci_dir.c).
 */
#include "config.h"

#include "archive.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"
#include "source.h"

static const struct ov_source_ops archive_ops;

/* An "oci-archive" source: the archive, and where the layout is in it. */
struct arc {
	struct ov_archive *a;
	char *root; /* "" or "<dir>/": the layout's one top-level directory */
};

#define MAX_ROOT 256 /* bytes of a top-level directory name */

/* The entry of blob d: present and regular, of the given size. */
static enum ov_code
find_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
	  const struct ov_archive_entry **ep, struct ov_err *err)
{
	const struct arc *c = src->impl;
	const struct ov_archive *a = c->a;
	const char *alg = ov_digest_alg_name(d->alg);
	const struct ov_archive_entry *e;
	char name[MAX_ROOT + 6 + 7 + OV_DIGEST_MAX_STR];
	int n;

	*ep = NULL;
	n = snprintf(name, sizeof(name), "%sblobs/%s/%s", c->root, alg,
		     ov_digest_hex(d));
	if (n < 0 || (size_t)n >= sizeof(name))
		return ov_err_set(err, OV_E_INTERNAL, "blob %s: name too long",
				  d->str);
	if ((e = ov_archive_find(a, name)) == NULL)
		return ov_err_set(
		    err, OV_E_NOTFOUND,
		    "blob %s is missing from archive %s (expected %s)", d->str,
		    src->path, name);
	if (e->link != NULL)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "blob %s: %s in archive %s is a symbolic link, which is not followed",
		    d->str, name, src->path);
	if (e->size != size)
		return ov_err_set(
		    err, OV_E_DIGEST,
		    "blob %s: size %jd does not match the descriptor size %jd",
		    d->str, (intmax_t)e->size, (intmax_t)size);
	if (!e->has_named || e->named.alg != d->alg)
		return ov_err_set(err, OV_E_INTERNAL,
				  "blob %s: no %s digest recorded for %s",
				  d->str, alg, name);
	if (!ov_digest_equal(&e->named, d))
		return ov_err_set(
		    err, OV_E_DIGEST,
		    "blob %s: content does not match its digest (it hashes to %s)",
		    d->str, e->named.str);
	*ep = e;
	return OV_OK;
}

static enum ov_code
arc_read_file(struct ov_source *src, const char *name, struct ov_buf *out,
	      struct ov_err *err)
{
	const struct arc *c = src->impl;
	const struct ov_archive_entry *e = NULL;
	char full[MAX_ROOT + 64];
	int n;

	n = snprintf(full, sizeof(full), "%s%s", c->root, name);
	if (strchr(name, '/') == NULL && n > 0 && (size_t)n < sizeof(full))
		e = ov_archive_find(c->a, full);
	if (e == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
				  "%s: not found in archive %s", name,
				  src->path);
	if (e->link != NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  "%s in archive %s is a symbolic link", name,
				  src->path);
	if ((uint64_t)e->size > out->max)
		return ov_err_set(err, OV_E_LIMIT,
				  "%s in archive %s: larger than %zu bytes",
				  name, src->path, out->max);
	if (e->data == NULL)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "%s in archive %s: %jd bytes, too large to be kept in memory",
		    name, src->path, (intmax_t)e->size);
	return ov_buf_add(out, e->data, (size_t)e->size, err);
}

static enum ov_code
arc_read_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
	      struct ov_buf *out, struct ov_err *err)
{
	const struct ov_archive_entry *e;
	enum ov_code r;

	if (size < 0 || (uint64_t)size > out->max)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "blob %s: size %jd exceeds the limit of %zu bytes", d->str,
		    (intmax_t)size, out->max);
	if ((r = find_blob(src, d, size, &e, err)) != OV_OK)
		return r;
	if (e->data == NULL && e->size > 0) {
		if (e->over_limit)
			return ov_err_set(
			    err, OV_E_LIMIT,
			    "blob %s: %jd bytes, not kept in memory while reading archive %s (limits: %d bytes a file, the kept-bytes budget)",
			    d->str, (intmax_t)e->size, src->path,
			    OV_ARCHIVE_MAX_KEEP_FILE);
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "blob %s: not kept in memory while reading archive %s (only JSON and COSE documents are)",
		    d->str, src->path);
	}
	return ov_buf_add(out, e->data, (size_t)e->size, err);
}

static enum ov_code
arc_check_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
	       struct ov_err *err)
{
	const struct ov_archive_entry *e;

	return find_blob(src, d, size, &e, err);
}

static void
arc_close(struct ov_source *src)
{
	struct arc *c = src->impl;

	ov_archive_free(c->a);
	free(c->root);
	free(c);
	free(src->path);
	free(src);
}

static enum ov_code
arc_content_digest(struct ov_source *src, const struct ov_digest *d,
    int64_t size, enum ov_compression expect, struct ov_digest *out,
    struct ov_err *err)
{
	const struct arc *c = src->impl;
	const struct ov_archive_entry *e;
	enum ov_code r;

	if ((r = find_blob(src, d, size, &e, err)) != OV_OK)
		return r;
	if (!ov_archive_deep(c->a))
		return ov_err_set(err, OV_E_INTERNAL,
		    "layer %s: archive %s was not read with --deep", d->str,
		    src->path);
	if (e->window_over && expect != OV_COMP_NONE)
		return ov_err_set(err, OV_E_LIMIT,
		    "layer %s: zstd: a frame needs a window over %d MiB (the limit)",
		    d->str, 1 << (OV_ARCHIVE_ZSTD_WINDOW_LOG - 20));
	if (e->deep_err != NULL && expect != OV_COMP_NONE)
		return ov_err_set(err, OV_E_FORMAT,
		    "layer %s: corrupt gzip data: %s", d->str, e->deep_err);
	/* The pass decompressed what starts like gzip or zstd. */
	if (e->has_decompressed || e->window_over || e->deep_err != NULL) {
		if (expect == OV_COMP_NONE)
			return ov_err_set(err, OV_E_FORMAT,
			    "layer %s: its media type says uncompressed, but the content is compressed",
			    d->str);
		*out = e->decompressed;
		return OV_OK;
	}
	if (expect == OV_COMP_GZIP || expect == OV_COMP_ZSTD)
		return ov_err_set(err, OV_E_FORMAT,
		    "layer %s: its media type says %s, but the content is uncompressed",
		    d->str, ov_compression_name(expect));
	*out = e->sha256;
	return OV_OK;
}

static const struct ov_source_ops archive_ops = {
    .kind = "oci-archive",
    .read_file = arc_read_file,
    .read_blob = arc_read_blob,
    .check_blob = arc_check_blob,
    .content_digest = arc_content_digest,
    .close = arc_close,
};

/*
 * A layout archive holds no symbolic link, unless it is also a docker
 * save (Docker 25+: manifest.json beside index.json) whose manifest.json
 * names each link's target as a layer (ov_docker_images() checks it).
 * Blobs are never links (find_blob()); this keeps the rule one rule.
 */
static enum ov_code
check_links(const struct ov_archive *a, struct ov_err *err)
{
	const struct ov_archive_entry *e = NULL;
	struct ov_docker_image *imgs = NULL;
	size_t i, n = 0;
	enum ov_code r;

	for (i = 0; i < ov_archive_count(a) && e == NULL; i++)
		if (ov_archive_entry(a, i)->link != NULL)
			e = ov_archive_entry(a, i);
	if (e == NULL)
		return OV_OK;
	if (!ov_docker_is_save(a))
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: symbolic link %s -> %s: an OCI layout archive without a docker manifest.json may hold no links",
		    ov_archive_path(a), e->name, e->link);
	r = ov_docker_images(a, &imgs, &n, err);
	ov_docker_images_free(imgs, n);
	return r;
}

/*
 * Where the layout is: "" when oci-layout is at the root; "<dir>/" when
 * every file of the archive is under one top-level directory that holds
 * oci-layout (`tar cf images.tar images/`); NULL for neither.
 */
static const char *
layout_root(const struct ov_archive *a, char *buf, size_t sz)
{
	const struct ov_archive_entry *e;
	const char *slash;
	size_t i, n = ov_archive_count(a), len = 0;

	e = ov_archive_find(a, "oci-layout");
	if (e != NULL)
		return e->link == NULL ? "" : NULL;
	for (i = 0; i < n; i++) {
		e = ov_archive_entry(a, i);
		if ((slash = strchr(e->name, '/')) == NULL)
			return NULL;
		if (i == 0) {
			len = (size_t)(slash - e->name) + 1;
			if (len + sizeof("oci-layout") > sz)
				return NULL;
			memcpy(buf, e->name, len);
			buf[len] = '\0';
		} else if (strncmp(e->name, buf, len) != 0) {
			return NULL;
		}
	}
	if (n == 0)
		return NULL;
	memcpy(buf + len, "oci-layout", sizeof("oci-layout"));
	e = ov_archive_find(a, buf);
	buf[len] = '\0';
	return e != NULL && e->link == NULL ? buf : NULL;
}

int
ov_archive_has_layout(const struct ov_archive *a)
{
	char buf[MAX_ROOT];

	return layout_root(a, buf, sizeof(buf)) != NULL;
}

enum ov_code
ov_archive_source(struct ov_archive *a, struct ov_source **out,
		  struct ov_err *err)
{
	struct ov_source *src = NULL;
	struct arc *c = NULL;
	const char *root;
	char buf[MAX_ROOT], mj[MAX_ROOT + 16];
	enum ov_code r;

	*out = NULL;
	if ((root = layout_root(a, buf, sizeof(buf))) == NULL) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: no OCI image layout in the archive (no oci-layout file at its root, nor in a top-level directory that holds every file)",
		    ov_archive_path(a));
		goto fail;
	}
	(void)snprintf(mj, sizeof(mj), "%smanifest.json", root);
	if (root[0] != '\0' && ov_archive_find(a, mj) != NULL) {
		/* docker load reads manifest.json at the root only */
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: a docker save (%s) under a top-level directory: archive the directory's content instead, so that manifest.json is at the root and is checked",
		    ov_archive_path(a), mj);
		goto fail;
	}
	if ((r = check_links(a, err)) != OV_OK)
		goto fail;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->root = strdup(root)) == NULL ||
	    (src = calloc(1, sizeof(*src))) == NULL ||
	    (src->path = strdup(ov_archive_path(a))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto fail;
	}
	c->a = a;
	src->ops = &archive_ops;
	src->impl = c;
	*out = src;
	return OV_OK;
fail:
	if (c != NULL)
		free(c->root);
	free(c);
	if (src != NULL)
		free(src->path);
	free(src);
	ov_archive_free(a);
	return r;
}

enum ov_code
ov_archive_open_source(const char *path, const struct ov_archive_opts *opts,
		       struct ov_source **out, struct ov_err *err)
{
	struct ov_archive *a = NULL;
	enum ov_code r;

	*out = NULL;
	if ((r = ov_archive_read(path, opts, &a, err)) != OV_OK)
		return r;
	return ov_archive_source(a, out, err);
}

const struct ov_archive *
ov_archive_of_source(const struct ov_source *src)
{
	if (src == NULL || src->ops != &archive_ops)
		return NULL;
	return ((const struct arc *)src->impl)->a;
}
