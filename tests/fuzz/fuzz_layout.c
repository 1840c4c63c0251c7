/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the manifest graph of an OCI image layout (layout.c over
 * manifest.c): index.json, nested indexes, subjects and referrers-tag
 * indexes, image listing, tag and digest resolution, signature discovery
 * and the integrity walk. The layout lives in memory: the input is
 * index.json followed by blobs, separated by lines "--ov-blob--"; a blob
 * is found by the digest of its content, as in a real layout. oci-layout
 * is fixed.
 */
#include "config.h"

#include "buf.h"
#include "digest.h"
#include "fuzz.h"
#include "layout.h"
#include "manifest.h"
#include "ovlimits.h"
#include "source.h"

#define SEP "\n--ov-blob--\n"
#define MAX_PARTS 64
#define MAX_IMAGES 16 /* images examined per input */

struct part {
	const uint8_t *p;
	size_t n;
	int hashed[2]; /* per enum ov_digest_alg */
	struct ov_digest d[2];
};

struct mem_layout {
	struct part parts[MAX_PARTS]; /* [0] is index.json */
	size_t n;
};

static void
split(struct mem_layout *m, const uint8_t *data, size_t size)
{
	const size_t seplen = strlen(SEP);
	const uint8_t *p = data, *end = data + size, *q;

	memset(m, 0, sizeof(*m));
	while (m->n < MAX_PARTS) {
		q = memmem(p, (size_t)(end - p), SEP, seplen);
		m->parts[m->n].p = p;
		m->parts[m->n].n = (size_t)((q != NULL ? q : end) - p);
		m->n++;
		if (q == NULL)
			break;
		p = q + seplen;
	}
}

/* The blob whose content hashes to d (index.json is no blob). */
static enum ov_code
find_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
	  const struct part **out, struct ov_err *err)
{
	struct mem_layout *m = src->impl;
	struct part *pt;
	size_t i;
	enum ov_code r;

	for (i = 1; i < m->n; i++) {
		pt = &m->parts[i];
		if (!pt->hashed[d->alg]) {
			if ((r = ov_digest_of(d->alg, pt->p, pt->n,
					      &pt->d[d->alg], err)) != OV_OK)
				return r;
			pt->hashed[d->alg] = 1;
		}
		if (!ov_digest_equal(&pt->d[d->alg], d))
			continue;
		if (size < 0 || (uint64_t)size != pt->n)
			return ov_err_set(
			    err, OV_E_DIGEST,
			    "blob %s: size %zu does not match the descriptor size %lld",
			    d->str, pt->n, (long long)size);
		*out = pt;
		return OV_OK;
	}
	return ov_err_set(err, OV_E_NOTFOUND, "blob %s is missing", d->str);
}

static enum ov_code
mem_read_file(struct ov_source *src, const char *name, struct ov_buf *out,
	      struct ov_err *err)
{
	struct mem_layout *m = src->impl;

	if (strcmp(name, "oci-layout") == 0)
		return ov_buf_adds(out, "{\"imageLayoutVersion\":\"1.0.0\"}",
				   err);
	if (strcmp(name, "index.json") == 0)
		return ov_buf_add(out, m->parts[0].p, m->parts[0].n, err);
	return ov_err_set(err, OV_E_NOTFOUND, "%s: not found", name);
}

static enum ov_code
mem_read_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
	      struct ov_buf *out, struct ov_err *err)
{
	const struct part *pt = NULL;
	enum ov_code r;

	if (size < 0 || (uint64_t)size > out->max)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "blob %s: size %lld exceeds the limit of %zu bytes", d->str,
		    (long long)size, out->max);
	if ((r = find_blob(src, d, size, &pt, err)) != OV_OK)
		return r;
	return ov_buf_add(out, pt->p, pt->n, err);
}

static enum ov_code
mem_check_blob(struct ov_source *src, const struct ov_digest *d, int64_t size,
	       struct ov_err *err)
{
	const struct part *pt = NULL;

	return find_blob(src, d, size, &pt, err);
}

static void
mem_close(struct ov_source *src)
{
	(void)src;
}

static const struct ov_source_ops mem_ops = {
    .kind = "fuzz",
    .read_file = mem_read_file,
    .read_blob = mem_read_blob,
    .check_blob = mem_check_blob,
    .close = mem_close,
};

static void
check_image(struct ov_layout *l, const struct ov_target *t)
{
	const struct ov_descriptor *envd;
	struct ov_target rt;
	struct ov_sigref *sigs = NULL;
	struct ov_buf b;
	struct ov_err err;
	size_t i, n = 0;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_layout_resolve_digest(l, &t->desc.digest, &rt, &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK) {
		FUZZ_ASSERT(ov_digest_equal(&rt.desc.digest, &t->desc.digest));
		ov_target_clear(&rt);
	}
	if (t->tag != NULL) {
		ov_err_clear(&err);
		r = ov_layout_resolve_tag(l, t->tag, &rt, &err);
		fuzz_check_err(r, &err);
		ov_target_clear(&rt);
	}
	ov_err_clear(&err);
	r = ov_layout_signatures(l, &t->desc, 0, &sigs, &n, NULL, &err);
	fuzz_check_err(r, &err);
	for (i = 0; r == OV_OK && i < n; i++) {
		if (sigs[i].m == NULL ||
		    !ov_manifest_is_signature(sigs[i].m, &envd) || envd == NULL)
			continue;
		ov_buf_init(&b, OV_MAX_ENVELOPE);
		ov_err_clear(&err);
		fuzz_check_err(ov_layout_read_blob(l, envd, &b, &err), &err);
		ov_buf_free(&b);
	}
	ov_sigrefs_free(sigs, n);
	ov_err_clear(&err);
	fuzz_check_err(ov_layout_check_tree(l, &t->desc, &err), &err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem_layout m;
	struct ov_source src;
	struct ov_layout *l = NULL;
	struct ov_target *t = NULL, rt;
	struct ov_err err;
	size_t i, n = 0;
	char path[] = "fuzz";
	enum ov_code r;

	split(&m, data, size);
	memset(&src, 0, sizeof(src));
	src.ops = &mem_ops;
	src.path = path;
	src.impl = &m;

	ov_err_clear(&err);
	r = ov_layout_open(&src, &l, &err);
	fuzz_check_err(r, &err);
	if (r != OV_OK)
		return 0;
	ov_err_clear(&err);
	r = ov_layout_images(l, &t, &n, &err);
	fuzz_check_err(r, &err);
	for (i = 0; r == OV_OK && i < n && i < MAX_IMAGES; i++)
		check_image(l, &t[i]);
	ov_targets_free(t, n);
	ov_err_clear(&err);
	r = ov_layout_resolve_tag(l, "v1", &rt, &err);
	fuzz_check_err(r, &err);
	ov_target_clear(&rt);
	ov_layout_free(l);
	return 0;
}
