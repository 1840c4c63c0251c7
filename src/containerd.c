/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containerd's image store, offline and read only (containerd.h). The
 * metadata database is opened O_RDONLY without flock(2), as bolt.c reads
 * it; since containerd may commit while it is read, the reading is
 * repeated (up to three times) until the meta page in use is the same
 * before and after. Names only select images: every blob is still
 * checked against its digest, and the digests are what is verified.
 */
#include "config.h"

#include "containerd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bolt.h"
#include "digest.h"
#include "manifest.h"
#include "text.h"

#define READ_TRIES 3

void
ov_ctrd_images_free(struct ov_ctrd_image *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].digest);
		free(v[i].media_type);
		free(v[i].error);
	}
	free(v);
}

/* Go's binary.Varint over the whole value (containerd's encodeInt). */
static int
varint(const unsigned char *p, size_t n, int64_t *out)
{
	uint64_t ux = 0;
	size_t i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 9 && p[i] > 1)
			return 0;
		ux |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0)
			break;
	}
	if (i != n - 1)
		return 0; /* unterminated, or bytes after the end */
	*out = (int64_t)(ux >> 1);
	if (ux & 1)
		*out = ~*out;
	return 1;
}

static int
name_valid(const unsigned char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > OV_CTRD_MAX_NAME || !ov_utf8_valid(p, n))
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	return 1;
}

struct list {
	struct ov_bolt *db;
	const struct ov_bolt_bucket *images;
	struct ov_ctrd_image *v;
	size_t n;
	size_t cap;
};

/* Read the target of one image bucket into img (code set on failure). */
static enum ov_code
read_target(struct ov_bolt *db, const struct ov_bolt_bucket *ib,
    struct ov_ctrd_image *img, struct ov_err *err)
{
	struct ov_bolt_bucket tb;
	unsigned char *dg = NULL, *mt = NULL, *sz = NULL;
	size_t dlen, mlen, slen;
	struct ov_digest d;
	struct ov_err e;
	enum ov_code r;

	memset(&tb, 0, sizeof(tb));
	if ((r = ov_bolt_bucket(db, ib, "target", 6, &tb, &e)) != OV_OK ||
	    (r = ov_bolt_get(db, &tb, "digest", 6, &dg, &dlen, &e)) !=
		OV_OK ||
	    (r = ov_bolt_get(db, &tb, "mediatype", 9, &mt, &mlen, &e)) !=
		OV_OK ||
	    (r = ov_bolt_get(db, &tb, "size", 4, &sz, &slen, &e)) != OV_OK)
		goto fail;
	if (strlen((char *)dg) != dlen ||
	    ov_digest_parse((char *)dg, &d, &e) != OV_OK) {
		r = ov_err_set(&e, OV_E_FORMAT, "target digest is not a digest");
		goto fail;
	}
	if (mlen == 0 || mlen > 255 || !name_valid(mt, mlen)) {
		r = ov_err_set(&e, OV_E_FORMAT, "target media type is malformed");
		goto fail;
	}
	if (!varint(sz, slen, &img->size) || img->size < 0) {
		r = ov_err_set(&e, OV_E_FORMAT, "target size is malformed");
		goto fail;
	}
	img->digest = (char *)dg;
	img->media_type = (char *)mt;
	dg = mt = NULL;
	r = OV_OK;
	goto out;
fail:
	if (r == OV_E_NOMEM || r == OV_E_IO || r == OV_E_LIMIT) {
		*err = e;
		goto out;
	}
	img->code = r == OV_E_NOTFOUND ? OV_E_FORMAT : r;
	if ((img->error = ov_strf("meta.db: image \"%s\": %s", img->name,
		 e.msg)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
	else
		r = OV_OK;
out:
	free(dg);
	free(mt);
	free(sz);
	ov_bolt_bucket_clear(&tb);
	return r;
}

static enum ov_code
one_image(void *ctx, const unsigned char *key, size_t klen,
    const unsigned char *val, size_t vlen, int is_bucket, struct ov_err *err)
{
	struct list *l = ctx;
	struct ov_ctrd_image *img, *nv;
	struct ov_bolt_bucket ib;
	struct ov_quote q;
	enum ov_code r;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		if (l->n >= OV_CTRD_MAX_IMAGES)
			return ov_err_set(err, OV_E_LIMIT,
			    "meta.db: more than %d images in the namespace",
			    OV_CTRD_MAX_IMAGES);
		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		l->v = nv;
		l->cap = ncap;
	}
	img = &l->v[l->n++];
	memset(img, 0, sizeof(*img));
	if (!name_valid(key, klen)) {
		img->code = OV_E_FORMAT;
		img->name = strdup(ov_quote_n(&q, (const char *)key, klen));
		img->error = ov_strf("meta.db: image name %s is not a name",
		    img->name != NULL ? img->name : "");
		if (img->name == NULL || img->error == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		return OV_OK;
	}
	if ((img->name = malloc(klen + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memcpy(img->name, key, klen);
	img->name[klen] = '\0';
	if (!is_bucket) {
		img->code = OV_E_FORMAT;
		if ((img->error = ov_strf("meta.db: image \"%s\" is a value, not a bucket",
			 img->name)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		return OV_OK;
	}
	if ((r = ov_bolt_bucket_value(l->db, l->images, val, vlen, &ib,
		 err)) != OV_OK)
		return r;
	r = read_target(l->db, &ib, img, err);
	ov_bolt_bucket_clear(&ib);
	return r;
}

static enum ov_code
read_images(struct ov_bolt *db, const char *ns, struct list *l,
    struct ov_err *err)
{
	struct ov_bolt_bucket root, v1, nsb, images;
	enum ov_code r;

	memset(&v1, 0, sizeof(v1));
	memset(&nsb, 0, sizeof(nsb));
	memset(&images, 0, sizeof(images));
	ov_bolt_root(db, &root);
	if ((r = ov_bolt_bucket(db, &root, "v1", 2, &v1, err)) != OV_OK ||
	    (r = ov_bolt_bucket(db, &v1, ns, strlen(ns), &nsb, err)) !=
		OV_OK ||
	    (r = ov_bolt_bucket(db, &nsb, "images", 6, &images, err)) !=
		OV_OK) {
		if (r == OV_E_NOTFOUND)
			ov_err_set(err, r, "meta.db: no images in namespace \"%s\"",
			    ns);
		goto out;
	}
	l->db = db;
	l->images = &images;
	r = ov_bolt_foreach(db, &images, one_image, l, err);
out:
	ov_bolt_bucket_clear(&images);
	ov_bolt_bucket_clear(&nsb);
	ov_bolt_bucket_clear(&v1);
	return r;
}

enum ov_code
ov_containerd_images(int fd, const char *name, const char *ns,
    struct ov_ctrd_image **out, size_t *n, struct ov_err *err)
{
	struct ov_bolt *db = NULL;
	struct list l;
	int tries;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	*n = 0;
	memset(&l, 0, sizeof(l));
	for (tries = 0; tries < READ_TRIES; tries++) {
		ov_ctrd_images_free(l.v, l.n);
		memset(&l, 0, sizeof(l));
		ov_bolt_free(db);
		db = NULL;
		if ((r = ov_bolt_open(fd, name, &db, err)) != OV_OK)
			goto out;
		r = read_images(db, ns, &l, err);
		/* a damaged reading may be a commit in between: read again */
		if (r != OV_OK && r != OV_E_FORMAT && r != OV_E_NOTFOUND)
			goto out;
		if (ov_bolt_unchanged(db, NULL) == OV_OK)
			break;
	}
	if (r != OV_OK)
		goto out;
	if (tries == READ_TRIES) {
		r = ov_err_set(err, OV_E_IO,
		    "%s: changed while being read, %d times; try again",
		    name, READ_TRIES);
		goto out;
	}
	*out = l.v;
	*n = l.n;
	memset(&l, 0, sizeof(l)); /* transferred */
out:
	ov_ctrd_images_free(l.v, l.n);
	ov_bolt_free(db);
	return r;
}

/* ---- the source ---------------------------------------------------------- */

struct ctrd_source {
	struct ov_source *blobs; /* the content store, as a layout's blobs */
	char *index;             /* index.json, made up */
	struct ov_ctrd_image *imgs;
	size_t n;
};

static enum ov_code
ctrd_read_file(struct ov_source *src, const char *name, struct ov_buf *out,
    struct ov_err *err)
{
	struct ctrd_source *cs = src->impl;

	if (strcmp(name, "oci-layout") == 0)
		return ov_buf_adds(out, "{\"imageLayoutVersion\":\"1.0.0\"}",
		    err);
	if (strcmp(name, "index.json") == 0)
		return ov_buf_adds(out, cs->index, err);
	return ov_err_set(err, OV_E_NOTFOUND, "%s: no file %s in an image store",
	    src->path, name);
}

static enum ov_code
ctrd_read_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
    struct ov_buf *out, struct ov_err *err)
{
	struct ov_source *b = ((struct ctrd_source *)src->impl)->blobs;

	return b->ops->read_blob(b, d, size, out, err);
}

static enum ov_code
ctrd_check_blob(struct ov_source *src, const struct ov_digest *d,
    int64_t size, struct ov_err *err)
{
	struct ov_source *b = ((struct ctrd_source *)src->impl)->blobs;

	return b->ops->check_blob(b, d, size, err);
}

static enum ov_code
ctrd_content_digest(struct ov_source *src, const struct ov_digest *d,
    int64_t size, enum ov_compression expect, struct ov_digest *out,
    struct ov_err *err)
{
	struct ov_source *b = ((struct ctrd_source *)src->impl)->blobs;

	return b->ops->content_digest(b, d, size, expect, out, err);
}

static enum ov_code
ctrd_check_blob_content(struct ov_source *src, const struct ov_digest *d,
    int64_t size, enum ov_compression expect, struct ov_digest *content,
    enum ov_code *content_code, struct ov_err *content_err, struct ov_err *err)
{
	struct ov_source *b = ((struct ctrd_source *)src->impl)->blobs;

	return b->ops->check_blob_content(b, d, size, expect, content,
	    content_code, content_err, err);
}

static void
ctrd_close(struct ov_source *src)
{
	struct ctrd_source *cs = src->impl;

	if (cs != NULL) {
		ov_source_close(cs->blobs);
		free(cs->index);
		ov_ctrd_images_free(cs->imgs, cs->n);
		free(cs);
	}
	free(src->path);
	free(src);
}

static const struct ov_source_ops ctrd_ops = {
	.kind = "containerd",
	.read_file = ctrd_read_file,
	.read_blob = ctrd_read_blob,
	.check_blob = ctrd_check_blob,
	.content_digest = ctrd_content_digest,
	.check_blob_content = ctrd_check_blob_content,
	.close = ctrd_close,
	.parallel = 1,
};

/* index.json listing every usable image under its name. */
static enum ov_code
make_index(const struct ov_ctrd_image *v, size_t n, char **out,
    struct ov_err *err)
{
	cJSON *root = NULL, *arr, *d, *ann;
	size_t i;
	enum ov_code r = OV_E_NOMEM;

	*out = NULL;
	if ((root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(root, "schemaVersion", 2) == NULL ||
	    cJSON_AddStringToObject(root, "mediaType", OV_MT_OCI_INDEX) ==
		NULL ||
	    (arr = cJSON_AddArrayToObject(root, "manifests")) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if (v[i].code != OV_OK)
			continue;
		if ((d = cJSON_CreateObject()) == NULL)
			goto out;
		cJSON_AddItemToArray(arr, d);
		if (cJSON_AddStringToObject(d, "mediaType", v[i].media_type) ==
			NULL ||
		    cJSON_AddStringToObject(d, "digest", v[i].digest) == NULL ||
		    cJSON_AddNumberToObject(d, "size", (double)v[i].size) ==
			NULL ||
		    (ann = cJSON_AddObjectToObject(d, "annotations")) == NULL ||
		    cJSON_AddStringToObject(ann, OV_ANN_IMAGE_NAME,
			v[i].name) == NULL ||
		    cJSON_AddStringToObject(ann, OV_ANN_REF_NAME, v[i].name) ==
			NULL)
			goto out;
	}
	if ((*out = cJSON_PrintUnformatted(root)) == NULL)
		goto out;
	r = OV_OK;
out:
	cJSON_Delete(root);
	if (r != OV_OK)
		return ov_err_set(err, r, "out of memory");
	return OV_OK;
}

/* Open name below dirfd, no symlink followed. */
static int
open_below(int dirfd, const char *name, int flags)
{
	return openat(dirfd, name, flags | O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
}

enum ov_code
ov_containerd_open(const char *root, const char *ns, struct ov_source **out,
    struct ov_err *err)
{
	struct ov_source *src = NULL;
	struct ctrd_source *cs = NULL;
	char *meta = NULL, *content = NULL;
	int rootfd = -1, mdir = -1, fd = -1, cfd = -1;
	enum ov_code r;

	*out = NULL;
	if (root == NULL)
		root = OV_CTRD_DEFAULT_ROOT;
	if (ns == NULL)
		ns = OV_CTRD_DEFAULT_NS;
	meta = ov_strf("%s/%s", root, OV_CTRD_META);
	content = ov_strf("%s/%s", root, OV_CTRD_CONTENT);
	if (meta == NULL || content == NULL ||
	    (src = calloc(1, sizeof(*src))) == NULL ||
	    (cs = calloc(1, sizeof(*cs))) == NULL ||
	    (src->path = strdup(root)) == NULL) {
		free(src != NULL ? src->path : NULL);
		free(src);
		free(cs);
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	src->ops = &ctrd_ops;
	src->impl = cs;
	src->store = 1;
	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r = ov_err_set(err, errno == ENOENT ? OV_E_NOTFOUND : OV_E_IO,
		    "%s: %s", root, strerror(errno));
		goto fail;
	}
	if ((mdir = open_below(rootfd, "io.containerd.metadata.v1.bolt",
		 O_DIRECTORY)) < 0 ||
	    (fd = open_below(mdir, "meta.db", O_NONBLOCK | O_NOCTTY)) < 0) {
		r = ov_err_set(err,
		    errno == ENOENT ? OV_E_NOTFOUND
		    : errno == ELOOP || errno == ENOTDIR ? OV_E_FORMAT
							: OV_E_IO,
		    errno == ELOOP || errno == ENOTDIR
			? "%s: is or passes through a symbolic link, which is not followed"
			: "%s: %s",
		    meta, strerror(errno));
		goto fail;
	}
	if ((r = ov_containerd_images(fd, meta, ns, &cs->imgs, &cs->n,
		 err)) != OV_OK)
		goto fail;
	if ((cfd = open_below(rootfd, OV_CTRD_CONTENT, O_DIRECTORY)) < 0) {
		r = ov_err_set(err,
		    errno == ENOENT ? OV_E_NOTFOUND
		    : errno == ELOOP || errno == ENOTDIR ? OV_E_FORMAT
							: OV_E_IO,
		    errno == ELOOP || errno == ENOTDIR
			? "%s: is a symbolic link, which is not followed"
			: "%s: %s",
		    content, strerror(errno));
		goto fail;
	}
	if ((r = ov_dir_source_open(content, &cs->blobs, err)) != OV_OK ||
	    (r = make_index(cs->imgs, cs->n, &cs->index, err)) != OV_OK)
		goto fail;
	*out = src;
	src = NULL; /* transferred */
	r = OV_OK;
	goto out;
fail:
	ctrd_close(src);
out:
	if (cfd >= 0)
		close(cfd);
	if (fd >= 0)
		close(fd);
	if (mdir >= 0)
		close(mdir);
	if (rootfd >= 0)
		close(rootfd);
	free(meta);
	free(content);
	return r;
}

void
ov_containerd_set_spool(struct ov_source *src, struct ov_spool *spool)
{
	struct ctrd_source *cs;

	if (src == NULL || src->ops != &ctrd_ops)
		return;
	cs = src->impl;
	src->spool = spool;
	/* the blobs are read, hashed and captured by the directory source */
	cs->blobs->spool = spool;
}

const struct ov_ctrd_image *
ov_containerd_source_images(const struct ov_source *src, size_t *n)
{
	const struct ctrd_source *cs;

	*n = 0;
	if (src == NULL || src->ops != &ctrd_ops)
		return NULL;
	cs = src->impl;
	*n = cs->n;
	return cs->imgs;
}
