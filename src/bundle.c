/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Detached signature bundles (ocivet-bundle(5)): what to copy from source
 * layouts (image-spec image-layout.md, image-index.md; Notary signature
 * manifests, spec digest A.5-A.7), and the bundle's index.json; the
 * files are written by bundle_write.c.
 */
#include "config.h"

#include "bundle.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "buf.h"
#include "dmap.h"
#include "layout.h"
#include "layout_write.h"
#include "manifest.h"
#include "ovlimits.h"
#include "source.h"
#include "text.h"

/* ---- the plan ----------------------------------------------------------- */

struct bsrc {
	char *path; /* as given in SOURCE */
	int isdir;  /* a layout directory, not an archive */
	struct ov_source *src;
	struct ov_layout *l;
};

/* A blob to copy. */
struct bblob {
	struct ov_descriptor desc;
	size_t from;  /* index in srcs */
	size_t max;   /* read limit */
	int empty_ok; /* the empty JSON config: "{}" may be missing */
	char *what;   /* context for messages */
};

struct ov_bundle {
	struct bsrc *srcs;
	size_t nsrcs, capsrcs;
	struct bblob *blobs;
	size_t nblobs, capblobs;
	struct ov_dmap blobset; /* digest -> blobs[] */
	char **entries;         /* index.json descriptors, JSON text */
	size_t nentries, capentries;
	struct ov_bundle_image *images;
	size_t nimages, capimages;
	char **warnings;
	size_t nwarnings;
};

/* Make room for one more element in *v (n used of *cap). */
static enum ov_code
grow(void **v, size_t *cap, size_t n, size_t size, struct ov_err *err)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return OV_OK;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / size || (nv = realloc(*v, ncap * size)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	*v = nv;
	*cap = ncap;
	return OV_OK;
}

enum ov_code
ov_bundle_new(struct ov_bundle **out, struct ov_err *err)
{
	*out = calloc(1, sizeof(**out));
	return *out != NULL ? OV_OK
			    : ov_err_set(err, OV_E_NOMEM, "out of memory");
}

void
ov_bundle_free(struct ov_bundle *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nsrcs; i++) {
		ov_layout_free(b->srcs[i].l);
		ov_source_close(b->srcs[i].src);
		free(b->srcs[i].path);
	}
	free(b->srcs);
	for (i = 0; i < b->nblobs; i++) {
		ov_descriptor_clear(&b->blobs[i].desc);
		free(b->blobs[i].what);
	}
	free(b->blobs);
	ov_dmap_free(&b->blobset);
	for (i = 0; i < b->nentries; i++)
		free(b->entries[i]);
	free(b->entries);
	for (i = 0; i < b->nimages; i++)
		free(b->images[i].reference);
	free(b->images);
	ov_strv_free(b->warnings, b->nwarnings);
	free(b);
}

size_t
ov_bundle_nimages(const struct ov_bundle *b)
{
	return b->nimages;
}

const struct ov_bundle_image *
ov_bundle_image(const struct ov_bundle *b, size_t i)
{
	return i < b->nimages ? &b->images[i] : NULL;
}

size_t
ov_bundle_nwarnings(const struct ov_bundle *b)
{
	return b->nwarnings;
}

const char *
ov_bundle_warning(const struct ov_bundle *b, size_t i)
{
	return i < b->nwarnings ? b->warnings[i] : NULL;
}

/* Take ownership of w (NULL: out of memory). */
static enum ov_code
add_warning(struct ov_bundle *b, char *w, struct ov_err *err)
{
	return ov_strlist_take(&b->warnings, &b->nwarnings, w, err);
}

/*
 * Plan blob d of source from, once per digest. what (owned, may be NULL
 * when out of memory) names it in messages.
 */
static enum ov_code
add_blob(struct ov_bundle *b, size_t from, const struct ov_descriptor *d,
	 size_t max, int empty_ok, char *what, struct ov_err *err)
{
	struct bblob *nb;
	size_t k;
	enum ov_code r;

	if (what == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (ov_dmap_get(&b->blobset, &d->digest, &k)) {
		r = OV_OK;
		if (b->blobs[k].desc.size != d->size)
			r = ov_err_set(
			    err, OV_E_DIGEST,
			    "%s: blob %s: size %jd disagrees with the size %jd given for it by %s",
			    what, d->digest.str, (intmax_t)d->size,
			    (intmax_t)b->blobs[k].desc.size, b->blobs[k].what);
		free(what);
		return r;
	}
	if ((r = grow((void **)&b->blobs, &b->capblobs, b->nblobs,
		      sizeof(*b->blobs), err)) != OV_OK) {
		free(what);
		return r;
	}
	nb = &b->blobs[b->nblobs];
	memset(nb, 0, sizeof(*nb));
	if ((r = ov_descriptor_copy(&nb->desc, d, err)) != OV_OK) {
		free(what);
		return r;
	}
	nb->from = from;
	nb->max = max;
	nb->empty_ok = empty_ok;
	nb->what = what;
	if ((r = ov_dmap_put(&b->blobset, &d->digest, b->nblobs, err)) !=
	    OV_OK) {
		ov_descriptor_clear(&nb->desc);
		free(what);
		return r;
	}
	b->nblobs++;
	return OV_OK;
}

/*
 * Plan an index.json entry for d: its media type, digest and size, the
 * given artifact type, and of its annotations only the image names.
 */
static enum ov_code
add_entry(struct ov_bundle *b, const struct ov_descriptor *d,
	  char *artifact_type, struct ov_err *err)
{
	static const char *const keep[] = {OV_ANN_REF_NAME, OV_ANN_IMAGE_NAME};
	struct ov_annotation ann[2];
	struct ov_descriptor e;
	char *json = NULL;
	size_t i, k;
	enum ov_code r;

	memset(&e, 0, sizeof(e));
	e.media_type = d->media_type;
	e.digest = d->digest;
	e.size = d->size;
	e.artifact_type = artifact_type;
	e.annotations = ann;
	for (k = 0; k < 2; k++)
		for (i = 0; i < d->nannotations; i++)
			if (strcmp(d->annotations[i].key, keep[k]) == 0) {
				ann[e.nannotations++] = d->annotations[i];
				break;
			}
	if ((r = grow((void **)&b->entries, &b->capentries, b->nentries,
		      sizeof(*b->entries), err)) != OV_OK ||
	    (r = ov_descriptor_json(&e, &json, err)) != OV_OK)
		return r;
	b->entries[b->nentries++] = json;
	return OV_OK;
}

static int
path_exists(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	return stat(path, &st) == 0;
}

/* The manifests an image reaches: itself and, for an index, its children
 * (recursively), each once. */
struct tree {
	const struct ov_descriptor **nodes; /* borrowed */
	size_t n, cap;
	struct ov_dmap seen;
};

static enum ov_code
tree_push(struct tree *t, const struct ov_descriptor *d, struct ov_err *err)
{
	enum ov_code r;

	if (ov_dmap_get(&t->seen, &d->digest, NULL))
		return OV_OK;
	if ((r = grow((void **)&t->nodes, &t->cap, t->n, sizeof(*t->nodes),
		      err)) != OV_OK ||
	    (r = ov_dmap_put(&t->seen, &d->digest, t->n, err)) != OV_OK)
		return r;
	t->nodes[t->n++] = d;
	return OV_OK;
}

/*
 * Walk the manifests target reaches. A child manifest missing from the
 * layout (an index copied without every platform) is left out with a
 * warning; one that is corrupt fails.
 */
static enum ov_code
walk_tree(struct ov_bundle *b, struct ov_layout *l, const char *ref,
	  const struct ov_descriptor *root, struct tree *t, struct ov_err *err)
{
	struct ov_target ct;
	const struct ov_manifest *m;
	size_t i, k;
	enum ov_code r;

	if ((r = tree_push(t, root, err)) != OV_OK)
		return r;
	i = 0;
	while (i < t->n) {
		const struct ov_descriptor *d = t->nodes[i];
		if ((m = ov_layout_manifest(l, &d->digest)) != NULL) {
			for (k = 0;
			     m->kind == OV_KIND_INDEX && k < m->nchildren; k++)
				if (ov_media_type_is_manifest(
					m->children[k].media_type) &&
				    (r = tree_push(t, &m->children[k], err)) !=
					OV_OK)
					return r;
			i++;
			continue;
		}
		if ((r = ov_layout_resolve_digest(l, &d->digest, &ct, err)) !=
		    OV_OK)
			return r;
		if (ct.error_code == OV_E_NOTFOUND)
			r = add_warning(
			    b,
			    ov_strf(
				"%s: child manifest %s is not in the layout; not exported",
				ref, d->digest.str),
			    err);
		else
			r = ov_err_set(err,
				       ct.error_code != 0
					   ? (enum ov_code)ct.error_code
					   : OV_E_INTERNAL,
				       "%s: %s", ref,
				       ct.error ? ct.error
						: "unreadable manifest");
		ov_target_clear(&ct);
		if (r != OV_OK)
			return r;
		/* keep only the manifests that exist */
		memmove(&t->nodes[i], &t->nodes[i + 1],
			(t->n - i - 1) * sizeof(*t->nodes));
		t->n--;
	}
	return OV_OK;
}

static enum ov_code
plan_signature(struct ov_bundle *b, size_t si, const char *ref,
	       const struct ov_sigref *s, struct ov_err *err)
{
	static char sigtype[] = OV_MT_NOTARY_SIGNATURE;
	const struct ov_manifest *m = s->m;
	const char *dg = s->desc.digest.str;
	size_t k;
	enum ov_code r;

	if ((r = add_blob(b, si, &s->desc, OV_MAX_MANIFEST, 0,
			  ov_strf("%s: signature manifest", ref), err)) !=
	    OV_OK)
		return r;
	if (m->has_config &&
	    (r = add_blob(b, si, &m->config, OV_MAX_MANIFEST,
			  strcmp(m->config.digest.str, OV_EMPTY_DIGEST) == 0,
			  ov_strf("%s: signature %s: config", ref, dg), err)) !=
		OV_OK)
		return r;
	for (k = 0; k < m->nchildren; k++)
		if ((r = add_blob(b, si, &m->children[k], OV_MAX_ENVELOPE, 0,
				  ov_strf("%s: signature %s: envelope", ref,
					  dg),
				  err)) != OV_OK)
			return r;
	return add_entry(b, &s->desc, sigtype, err);
}

/*
 * Plan image t of source si: entries are its index.json descriptors (all
 * tags of a digest), or t's own descriptor when n is 0.
 */
static enum ov_code
plan_image(struct ov_bundle *b, size_t si, const struct ov_target *t,
	   const struct ov_descriptor *const *entries, size_t n,
	   struct ov_err *err)
{
	struct ov_layout *l = b->srcs[si].l;
	struct tree tr;
	struct ov_sigref **sigs = NULL;
	size_t *nsigs = NULL, i, k, total = 0;
	struct ov_bundle_image *img;
	char *ref;
	enum ov_code r;

	memset(&tr, 0, sizeof(tr));
	if (t->tag != NULL)
		ref = ov_strf("%s:%s", b->srcs[si].path, t->tag);
	else
		ref = ov_strf("%s@%s", b->srcs[si].path, t->desc.digest.str);
	if (ref == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (t->error_code != 0) {
		r = ov_err_set(err, (enum ov_code)t->error_code, "%s: %s", ref,
			       t->error ? t->error : "unreadable manifest");
		goto out;
	}
	if ((r = walk_tree(b, l, ref, &t->desc, &tr, err)) != OV_OK)
		goto out;
	if (tr.n == 0 || tr.nodes[0] != &t->desc) {
		r = ov_err_set(err, OV_E_INTERNAL, "%s: manifest lost", ref);
		goto out;
	}
	if ((sigs = calloc(tr.n, sizeof(*sigs))) == NULL ||
	    (nsigs = calloc(tr.n, sizeof(*nsigs))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < tr.n; i++) {
		if ((r = ov_layout_signatures(l, tr.nodes[i], 0, &sigs[i],
					      &nsigs[i], NULL, err)) != OV_OK)
			goto out;
		for (k = 0; k < nsigs[i]; k++)
			if (sigs[i][k].m == NULL) {
				r = ov_err_set(err,
					       sigs[i][k].error_code != 0
						   ? (enum ov_code)sigs[i][k]
							 .error_code
						   : OV_E_INTERNAL,
					       "%s: signature manifest %s: %s",
					       ref, sigs[i][k].desc.digest.str,
					       sigs[i][k].error
						   ? sigs[i][k].error
						   : "unreadable");
				goto out;
			}
		total += nsigs[i];
	}
	if (total == 0) {
		r = add_warning(b,
				ov_strf("%s has no signature; not exported",
					ref),
				err);
		goto out;
	}
	if (n == 0) {
		entries = tr.nodes;
		n = 1;
	}
	for (i = 0; i < n; i++)
		if ((r = add_entry(b, entries[i], entries[i]->artifact_type,
				   err)) != OV_OK)
			goto out;
	for (i = 0; i < tr.n; i++) {
		if ((r = add_blob(b, si, tr.nodes[i], OV_MAX_MANIFEST, 0,
				  ov_strf("%s: %s", ref,
					  i == 0 ? "manifest"
						 : "child manifest"),
				  err)) != OV_OK)
			goto out;
		for (k = 0; k < nsigs[i]; k++)
			if ((r = plan_signature(b, si, ref, &sigs[i][k],
						err)) != OV_OK)
				goto out;
	}
	if ((r = grow((void **)&b->images, &b->capimages, b->nimages,
		      sizeof(*b->images), err)) != OV_OK)
		goto out;
	img = &b->images[b->nimages++];
	img->reference = ref;
	ref = NULL; /* transferred */
	img->digest = t->desc.digest;
	img->nsignatures = total;
	r = OV_OK;
out:
	for (i = 0; sigs != NULL && nsigs != NULL && i < tr.n; i++)
		ov_sigrefs_free(sigs[i], nsigs[i]);
	free(sigs);
	free(nsigs);
	free(tr.nodes);
	ov_dmap_free(&tr.seen);
	free(ref);
	return r;
}

static int
desc_ptr_cmp(const void *a, const void *b)
{
	const struct ov_descriptor *x = *(const struct ov_descriptor *const *)a;
	const struct ov_descriptor *y = *(const struct ov_descriptor *const *)b;
	int c = strcmp(x->digest.str, y->digest.str);

	/* ties in index.json order: the pointers are into one array */
	return c != 0 ? c : (x > y) - (x < y);
}

/* The first of the n sorted descriptors whose digest is not below dg. */
static size_t
lower_bound(const struct ov_descriptor *const *v, size_t n, const char *dg)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid]->digest.str, dg) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Every image of source si, each with all of its index.json entries. */
static enum ov_code
plan_all(struct ov_bundle *b, size_t si, struct ov_err *err)
{
	struct bsrc *s = &b->srcs[si];
	struct ov_manifest *idx = NULL;
	const struct ov_descriptor **byd = NULL, **lo;
	struct ov_target *t = NULL;
	struct ov_buf buf;
	char what[300];
	size_t n = 0, i, k, nbyd = 0, run;
	enum ov_code r;

	ov_buf_init(&buf, OV_MAX_INDEX_JSON);
	(void)snprintf(what, sizeof(what), "%s/index.json", s->path);
	if ((r = s->src->ops->read_file(s->src, "index.json", &buf, err)) !=
		OV_OK ||
	    (r = ov_manifest_parse(buf.data, buf.len, NULL, what, &idx, err)) !=
		OV_OK ||
	    (r = ov_layout_images(s->l, &t, &n, err)) != OV_OK)
		goto out;
	if (n == 0) {
		r = add_warning(b,
				ov_strf("%s: no images in index.json", s->path),
				err);
		goto out;
	}
	if (idx->nchildren > 0 &&
	    (byd = calloc(idx->nchildren, sizeof(*byd))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < idx->nchildren; i++)
		if (ov_media_type_is_manifest(idx->children[i].media_type))
			byd[nbyd++] = &idx->children[i];
	if (nbyd > 1)
		qsort(byd, nbyd, sizeof(*byd), desc_ptr_cmp);
	for (i = 0; i < n; i++) {
		const char *dg = t[i].desc.digest.str;
		k = lower_bound(byd, nbyd, dg);
		for (run = 0; k + run < nbyd &&
			      strcmp(byd[k + run]->digest.str, dg) == 0;
		     run++)
			;
		lo = run > 0 ? &byd[k] : NULL;
		if ((r = plan_image(b, si, &t[i], lo, run, err)) != OV_OK)
			goto out;
	}
	r = OV_OK;
out:
	free(byd);
	ov_targets_free(t, n);
	ov_manifest_free(idx);
	ov_buf_free(&buf);
	return r;
}

enum ov_code
ov_bundle_add_source(struct ov_bundle *b, const char *spec, struct ov_err *err)
{
	struct ov_source_spec ss;
	struct ov_target one;
	struct bsrc *s;
	struct stat st;
	size_t si;
	enum ov_code r;

	memset(&one, 0, sizeof(one));
	if ((r = ov_source_spec_parse(spec, path_exists, NULL, &ss, err)) !=
	    OV_OK)
		return r;
	if ((r = grow((void **)&b->srcs, &b->capsrcs, b->nsrcs,
		      sizeof(*b->srcs), err)) != OV_OK)
		goto out;
	si = b->nsrcs++;
	s = &b->srcs[si];
	memset(s, 0, sizeof(*s));
	s->path = ss.path;
	ss.path = NULL; /* transferred */
	s->isdir = stat(s->path, &st) == 0 && S_ISDIR(st.st_mode);
	if ((r = ov_source_open(s->path, &s->src, err)) != OV_OK ||
	    (r = ov_layout_open(s->src, &s->l, err)) != OV_OK)
		goto out;
	if (ss.tag != NULL || ss.has_digest) {
		r = ss.tag != NULL
			? ov_layout_resolve_tag(s->l, ss.tag, &one, err)
			: ov_layout_resolve_digest(s->l, &ss.digest, &one, err);
		if (r == OV_OK)
			r = plan_image(b, si, &one, NULL, 0, err);
	} else {
		r = plan_all(b, si, err);
	}
out:
	ov_target_clear(&one);
	ov_source_spec_clear(&ss);
	return r;
}

/* ---- writing ------------------------------------------------------------ */

static const char layout_file[] = "{\"imageLayoutVersion\":\"1.0.0\"}";

static int
blob_cmp(const void *a, const void *b)
{
	const struct bblob *x = *(const struct bblob *const *)a;
	const struct bblob *y = *(const struct bblob *const *)b;
	int c = strcmp(ov_digest_alg_name(x->desc.digest.alg),
		       ov_digest_alg_name(y->desc.digest.alg));

	return c != 0 ? c
		      : strcmp(ov_digest_hex(&x->desc.digest),
			       ov_digest_hex(&y->desc.digest));
}

/* Compare slots of one array of strings: by text, then by position. */
static int
slot_cmp(const void *a, const void *b)
{
	char *const *x = *(char *const *const *)a;
	char *const *y = *(char *const *const *)b;
	int c = strcmp(*x, *y);

	return c != 0 ? c : (x > y) - (x < y);
}

/* index.json: the planned entries in order, each once. */
static enum ov_code
index_json(const struct ov_bundle *b, char **out, struct ov_err *err)
{
	struct ov_buf buf;
	char ***sorted = NULL;
	unsigned char *dup = NULL;
	size_t i;
	int first = 1;
	enum ov_code r;

	*out = NULL;
	ov_buf_init(&buf, OV_MAX_INDEX_JSON);
	if (b->nentries > 0 &&
	    ((sorted = malloc(b->nentries * sizeof(*sorted))) == NULL ||
	     (dup = calloc(b->nentries, 1)) == NULL)) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	/* Equal texts end up side by side, the first in index.json order
	 * first; the others are repeats. */
	for (i = 0; i < b->nentries; i++)
		sorted[i] = &b->entries[i];
	if (b->nentries > 1)
		qsort(sorted, b->nentries, sizeof(*sorted), slot_cmp);
	for (i = 1; i < b->nentries; i++)
		if (strcmp(*sorted[i - 1], *sorted[i]) == 0)
			dup[sorted[i] - b->entries] = 1;
	if ((r = ov_buf_adds(
		 &buf,
		 "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"" OV_MT_OCI_INDEX
		 "\",\n  \"manifests\": [",
		 err)) != OV_OK)
		goto out;
	for (i = 0; i < b->nentries; i++) {
		if (dup[i])
			continue;
		if ((r = ov_buf_addf(&buf, err, "%s\n    %s", first ? "" : ",",
				     b->entries[i])) != OV_OK)
			goto out;
		first = 0;
	}
	if ((r = ov_buf_adds(&buf, first ? "]\n}\n" : "\n  ]\n}\n", err)) !=
	    OV_OK)
		goto out;
	if ((*out = ov_buf_steal(&buf)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	if (r == OV_E_LIMIT)
		ov_err_wrap(err, "index.json of the bundle");
	free(sorted);
	free(dup);
	ov_buf_free(&buf);
	return r;
}

/* Read blob bl from its source, checked against its digest. */
static enum ov_code
read_planned(struct ov_bundle *b, const struct bblob *bl, struct ov_buf *out,
	     struct ov_err *err)
{
	enum ov_code r;

	r = ov_layout_read_blob(b->srcs[bl->from].l, &bl->desc, out, err);
	if (r == OV_E_NOTFOUND && bl->empty_ok && bl->desc.size == 2) {
		/* The digest names "{}"; some tools never store that blob. */
		ov_buf_reset(out);
		return ov_buf_add(out, "{}", 2, err);
	}
	return r == OV_OK ? r : ov_err_wrap(err, "%s", bl->what);
}

/* Every file of the bundle, in name order (which tar readers see). */
static enum ov_code
emit(struct ov_bundle *b, struct ov_bundle_out *w,
     const struct bblob *const *order, const char *index, struct ov_err *err)
{
	const char *alg = NULL, *a;
	char name[6 + 7 + OV_DIGEST_MAX_STR];
	struct ov_buf buf;
	size_t i;
	enum ov_code r;

	if ((r = ov_bundle_out_dir(w, "blobs", err)) != OV_OK)
		return r;
	for (i = 0; i < b->nblobs; i++) {
		a = ov_digest_alg_name(order[i]->desc.digest.alg);
		if (alg == NULL || strcmp(alg, a) != 0) {
			(void)snprintf(name, sizeof(name), "blobs/%s", a);
			if ((r = ov_bundle_out_dir(w, name, err)) != OV_OK)
				return r;
			alg = a;
		}
		(void)snprintf(name, sizeof(name), "blobs/%s/%s", a,
			       ov_digest_hex(&order[i]->desc.digest));
		ov_buf_init(&buf, order[i]->max);
		if ((r = read_planned(b, order[i], &buf, err)) == OV_OK)
			r = ov_bundle_out_file(w, name, buf.data, buf.len, err);
		ov_buf_free(&buf);
		if (r != OV_OK)
			return r;
	}
	if ((r = ov_bundle_out_file(w, "index.json", index, strlen(index),
				    err)) != OV_OK)
		return r;
	return ov_bundle_out_file(w, "oci-layout", layout_file,
				  sizeof(layout_file) - 1, err);
}

/* A tar must stay within what ocivet reads from an archive (archive.h). */
static enum ov_code
check_tar_limits(const struct ov_bundle *b, const char *out,
		 const struct bblob *const *order, size_t index_len,
		 struct ov_err *err)
{
	size_t entries = 3, i; /* blobs/, index.json, oci-layout */
	uint64_t kept = index_len + sizeof(layout_file) - 1;

	for (i = 0; i < b->nblobs; i++) {
		if (i == 0 ||
		    order[i]->desc.digest.alg != order[i - 1]->desc.digest.alg)
			entries++;
		entries++;
		kept += (uint64_t)order[i]->desc.size;
	}
	if (entries > OV_ARCHIVE_MAX_ENTRIES)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "%s: the bundle would hold %zu files, more than the %d an archive may hold; write a directory or export fewer images",
		    out, entries, OV_ARCHIVE_MAX_ENTRIES);
	if (index_len > OV_ARCHIVE_MAX_KEEP_FILE)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "%s: the bundle's index.json would take %zu bytes, more than the %d read from an archive; write a directory or export fewer images",
		    out, index_len, OV_ARCHIVE_MAX_KEEP_FILE);
	if (kept > OV_ARCHIVE_DEFAULT_MAX_KEPT)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "%s: the bundle would hold %ju bytes of manifests and signatures, more than the %zu read from an archive; write a directory or export fewer images",
		    out, (uintmax_t)kept, (size_t)OV_ARCHIVE_DEFAULT_MAX_KEPT);
	return OV_OK;
}

enum ov_code
ov_bundle_write(struct ov_bundle *b, const char *out,
		enum ov_bundle_format format, struct ov_err *err)
{
	struct ov_bundle_out *w = NULL;
	const struct bblob **order = NULL;
	const char **keep_out = NULL;
	char *index = NULL;
	size_t i, nkeep = 0;
	enum ov_code r;

	if (b->nimages == 0)
		return ov_err_set(
		    err, OV_E_NOTFOUND,
		    "nothing to export: no image has a signature");
	if ((r = index_json(b, &index, err)) != OV_OK)
		goto out;
	if ((order = calloc(b->nblobs, sizeof(*order))) == NULL ||
	    (keep_out = calloc(b->nsrcs, sizeof(*keep_out))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < b->nblobs; i++)
		order[i] = &b->blobs[i];
	qsort(order, b->nblobs, sizeof(*order), blob_cmp);
	for (i = 0; i < b->nsrcs; i++)
		if (b->srcs[i].isdir)
			keep_out[nkeep++] = b->srcs[i].path;
	if (format != OV_BUNDLE_DIR &&
	    (r = check_tar_limits(b, out, order, strlen(index), err)) != OV_OK)
		goto out;
	if ((r = ov_bundle_out_open(out, format, keep_out, nkeep, &w, err)) !=
		OV_OK ||
	    (r = emit(b, w, order, index, err)) != OV_OK)
		goto out;
	r = ov_bundle_out_commit(w, err);
out:
	ov_bundle_out_free(w);
	free(keep_out);
	free(order);
	free(index);
	return r;
}

enum ov_code
ov_bundle_export(const char *const *sources, size_t n, const char *out,
		 enum ov_bundle_format format, struct ov_err *err)
{
	struct ov_bundle *b = NULL;
	size_t i;
	enum ov_code r;

	if ((r = ov_bundle_check_output(out, format, err)) != OV_OK ||
	    (r = ov_bundle_new(&b, err)) != OV_OK)
		return r;
	for (i = 0; i < n && r == OV_OK; i++)
		r = ov_bundle_add_source(b, sources[i], err);
	if (r == OV_OK)
		r = ov_bundle_write(b, out, format, err);
	ov_bundle_free(b);
	return r;
}
