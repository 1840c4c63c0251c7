/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI image layout graph (image-spec image-layout.md, image-index.md;
 * referrers tag schema from distribution-spec; spec digest A.1, A.5-A.7).
 */
#include "config.h"

#include "layout.h"

#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dmap.h"
#include "json.h"
#include "ovlimits.h"
#include "pool.h"

/* ---- the graph ---------------------------------------------------------- */

struct node {
	struct ov_descriptor desc;  /* first descriptor that referenced it */
	struct ov_manifest *m;      /* NULL when unreadable */
	int depth;                  /* 0 for index.json entries */
	int code;                   /* why m is NULL */
	char *error;
	size_t *refs;               /* nodes whose subject is this node */
	size_t nrefs;
	size_t caprefs;
};

struct ov_layout {
	struct ov_source *src;
	struct ov_manifest *index; /* index.json */
	struct node *nodes;
	size_t n;
	size_t cap;
	struct ov_dmap bydigest;   /* digest -> node */
	struct ov_dmap checked;    /* blobs already verified */
	uint64_t checked_bytes;    /* their sizes, summed (progress) */
	/* manifests whose whole tree passed check_tree() -> the deepest
	 * level it passed at; and those whose layers passed the deep check */
	struct ov_dmap trees;
	struct ov_dmap deep_done;
	/* index.json entries tagged "<alg>-<hex>" (referrers tag schema):
	 * digest -> first entry, then reftag_next[entry], NO_ENTRY last */
	struct ov_dmap reftags;
	size_t *reftag_next;
	struct pre *pre;           /* blobs checked ahead (ov_layout_prefetch) */
	size_t npre;
	struct ov_dmap pre_at;     /* digest -> its index in pre */
	struct ov_dmap collected;  /* manifests collect() has walked */
};

#define NO_ENTRY ((size_t)-1)

/* A blob checked ahead of ov_layout_check_tree, maybe on another thread. */
struct pre {
	struct ov_digest digest;
	int64_t size;
	enum ov_code code; /* what check_blob returned */
	struct ov_err err;
	/* --deep, a layer: its content digest from the same pass */
	int deep;
	enum ov_compression comp;
	enum ov_code content_code;
	struct ov_err content_err;
	struct ov_digest content;
};

static const struct pre *find_pre(const struct ov_layout *l,
    const struct ov_digest *d, int64_t size);

struct ov_source *
ov_layout_source(const struct ov_layout *l)
{
	return l->src;
}

const struct ov_manifest *
ov_layout_index(const struct ov_layout *l)
{
	return l->index;
}

static enum ov_code
add_node(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    struct ov_err *err)
{
	struct node *nn;
	enum ov_code r;

	if (ov_dmap_get(&l->bydigest, &d->digest, NULL))
		return OV_OK;
	if (l->n >= OV_MAX_GRAPH_NODES)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: more than %d manifests in the layout", l->src->path,
		    OV_MAX_GRAPH_NODES);
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		if ((nn = realloc(l->nodes, ncap * sizeof(*nn))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		l->nodes = nn;
		l->cap = ncap;
	}
	memset(&l->nodes[l->n], 0, sizeof(l->nodes[l->n]));
	if ((r = ov_descriptor_copy(&l->nodes[l->n].desc, d, err)) != OV_OK)
		return r;
	l->nodes[l->n].depth = depth;
	if ((r = ov_dmap_put(&l->bydigest, &d->digest, l->n, err)) != OV_OK) {
		ov_descriptor_clear(&l->nodes[l->n].desc);
		return r;
	}
	l->n++;
	return OV_OK;
}

static enum ov_code
node_fail(struct node *nd, const struct ov_err *e, struct ov_err *err)
{
	nd->code = e->code;
	if ((nd->error = strdup(e->msg)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

/* Read and parse node i; enqueue the children of an index. */
static enum ov_code
load_node(struct ov_layout *l, size_t i, struct ov_err *err)
{
	struct ov_buf b;
	struct ov_err e;
	struct ov_manifest *m = NULL;
	char what[200];
	size_t k;
	enum ov_code r;
	const struct ov_descriptor *d = &l->nodes[i].desc;
	int depth = l->nodes[i].depth;

	ov_buf_init(&b, OV_MAX_MANIFEST);
	(void)snprintf(what, sizeof(what), "manifest %s", d->digest.str);
	if (depth > OV_MAX_INDEX_DEPTH) {
		ov_err_set(&e, OV_E_LIMIT,
		    "%s: image indexes nested deeper than %d levels", what,
		    OV_MAX_INDEX_DEPTH);
		r = node_fail(&l->nodes[i], &e, err);
		goto out;
	}
	if (l->src->ops->read_blob(l->src, &d->digest, d->size, &b, &e) !=
		OV_OK ||
	    ov_manifest_parse(b.data, b.len, d->media_type, what, &m, &e) !=
		OV_OK) {
		if (e.code == OV_E_NOMEM)
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		else
			r = node_fail(&l->nodes[i], &e, err);
		goto out;
	}
	l->nodes[i].m = m;
	if (m->kind == OV_KIND_INDEX) {
		for (k = 0; k < m->nchildren; k++) {
			if (!ov_media_type_is_manifest(
				m->children[k].media_type))
				continue;
			/* add_node may move l->nodes; m stays valid. */
			if ((r = add_node(l, &m->children[k], depth + 1,
				 err)) != OV_OK)
				goto out;
		}
	}
	r = OV_OK;
out:
	ov_buf_free(&b);
	return r;
}

static enum ov_code
add_ref(struct node *nd, size_t from, struct ov_err *err)
{
	size_t *nr;

	if (nd->nrefs == nd->caprefs) {
		size_t ncap = nd->caprefs ? nd->caprefs * 2 : 4;
		if ((nr = realloc(nd->refs, ncap * sizeof(*nr))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		nd->refs = nr;
		nd->caprefs = ncap;
	}
	nd->refs[nd->nrefs++] = from;
	return OV_OK;
}

static enum ov_code
check_layout_header(struct ov_source *src, struct ov_err *err)
{
	struct ov_buf b;
	cJSON *root = NULL;
	const char *v = NULL;
	char what[300];
	enum ov_code r;

	(void)snprintf(what, sizeof(what), "%s/oci-layout", src->path);
	ov_buf_init(&b, OV_MAX_LAYOUT_HEADER);
	if ((r = src->ops->read_file(src, "oci-layout", &b, err)) != OV_OK) {
		if (r == OV_E_NOTFOUND)
			ov_err_set(err, r,
			    "%s: not an OCI image layout (no oci-layout file)",
			    src->path);
		goto out;
	}
	if ((r = ov_json_parse(b.data, b.len, what, &root, err)) != OV_OK ||
	    (r = ov_json_string(root, "imageLayoutVersion", 1, what, &v,
		 err)) != OV_OK)
		goto out;
	if (strcmp(v, "1.0.0") != 0) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
		    "%s: unsupported imageLayoutVersion \"%.32s\" (want 1.0.0)",
		    what, v);
		goto out;
	}
	r = OV_OK;
out:
	cJSON_Delete(root);
	ov_buf_free(&b);
	return r;
}

/*
 * Index the index.json entries tagged like the referrers tag schema
 * ("sha256-<hex>") by the digest the tag names, so that finding the
 * referrers of an image does not scan index.json once per image.
 */
static enum ov_code
index_reftags(struct ov_layout *l, struct ov_err *err)
{
	struct ov_digest dg;
	char buf[OV_DIGEST_MAX_STR], *dash;
	const char *t;
	size_t i, head, n = l->index->nchildren;
	enum ov_code r;

	if (n == 0)
		return OV_OK;
	if ((l->reftag_next = calloc(n, sizeof(*l->reftag_next))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* Backwards, so that each chain lists its entries in order. */
	for (i = n; i-- > 0;) {
		const struct ov_descriptor *d = &l->index->children[i];
		l->reftag_next[i] = NO_ENTRY;
		t = ov_annotation_get(d->annotations, d->nannotations,
		    OV_ANN_REF_NAME);
		if (t == NULL || strlen(t) >= sizeof(buf) ||
		    !ov_media_type_is_manifest(d->media_type))
			continue;
		(void)snprintf(buf, sizeof(buf), "%s", t);
		if ((dash = strchr(buf, '-')) == NULL)
			continue;
		*dash = ':';
		if (ov_digest_parse(buf, &dg, NULL) != OV_OK)
			continue;
		/* exactly the tag ov_layout_signatures() looks for */
		(void)snprintf(buf, sizeof(buf), "%s-%s",
		    ov_digest_alg_name(dg.alg), ov_digest_hex(&dg));
		if (strcmp(buf, t) != 0)
			continue;
		if (ov_dmap_get(&l->reftags, &dg, &head))
			l->reftag_next[i] = head;
		if ((r = ov_dmap_set(&l->reftags, &dg, i, err)) != OV_OK)
			return r;
	}
	return OV_OK;
}

enum ov_code
ov_layout_open(struct ov_source *src, struct ov_layout **out,
    struct ov_err *err)
{
	struct ov_layout *l = NULL;
	struct ov_buf b;
	char what[300];
	size_t i, k;
	enum ov_code r;

	*out = NULL;
	ov_buf_init(&b, OV_MAX_INDEX_JSON);
	if ((r = check_layout_header(src, err)) != OV_OK)
		goto out;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	l->src = src;
	(void)snprintf(what, sizeof(what), "%s/index.json", src->path);
	if ((r = src->ops->read_file(src, "index.json", &b, err)) != OV_OK)
		goto out;
	if ((r = ov_manifest_parse(b.data, b.len, NULL, what, &l->index,
		 err)) != OV_OK)
		goto out;
	if (l->index->kind != OV_KIND_INDEX) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not an image index",
		    what);
		goto out;
	}
	for (i = 0; i < l->index->nchildren; i++)
		if (ov_media_type_is_manifest(l->index->children[i].media_type) &&
		    (r = add_node(l, &l->index->children[i], 0, err)) != OV_OK)
			goto out;
	/* Breadth first: load_node appends children as it goes. */
	for (i = 0; i < l->n; i++)
		if ((r = load_node(l, i, err)) != OV_OK)
			goto out;
	for (i = 0; i < l->n; i++) {
		const struct ov_manifest *m = l->nodes[i].m;
		if (m != NULL && m->has_subject &&
		    ov_dmap_get(&l->bydigest, &m->subject.digest, &k) &&
		    (r = add_ref(&l->nodes[k], i, err)) != OV_OK)
			goto out;
	}
	if ((r = index_reftags(l, err)) != OV_OK)
		goto out;
	*out = l;
	l = NULL; /* transferred */
	r = OV_OK;
out:
	ov_buf_free(&b);
	ov_layout_free(l);
	return r;
}

void
ov_layout_free(struct ov_layout *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		ov_descriptor_clear(&l->nodes[i].desc);
		ov_manifest_free(l->nodes[i].m);
		free(l->nodes[i].error);
		free(l->nodes[i].refs);
	}
	free(l->nodes);
	ov_manifest_free(l->index);
	ov_dmap_free(&l->bydigest);
	ov_dmap_free(&l->checked);
	ov_dmap_free(&l->trees);
	ov_dmap_free(&l->deep_done);
	ov_dmap_free(&l->reftags);
	free(l->reftag_next);
	ov_layout_prefetch_clear(l);
	free(l);
}

/* ---- images and resolution ---------------------------------------------- */

void
ov_target_clear(struct ov_target *t)
{
	if (t == NULL)
		return;
	ov_descriptor_clear(&t->desc);
	free(t->tag);
	free(t->name);
	free(t->error);
	memset(t, 0, sizeof(*t));
}

void
ov_targets_free(struct ov_target *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ov_target_clear(&t[i]);
	free(t);
}

static const struct node *
find_node(const struct ov_layout *l, const struct ov_digest *d)
{
	size_t i;

	return ov_dmap_get(&l->bydigest, d, &i) ? &l->nodes[i] : NULL;
}

static enum ov_code
make_target(const struct ov_layout *l, const struct ov_descriptor *d,
    struct ov_target *t, struct ov_err *err)
{
	const struct node *nd = find_node(l, &d->digest);
	const char *tag, *name;

	memset(t, 0, sizeof(*t));
	if (ov_descriptor_copy(&t->desc, d, err) != OV_OK)
		return OV_E_NOMEM;
	tag = ov_annotation_get(d->annotations, d->nannotations,
	    OV_ANN_REF_NAME);
	name = ov_annotation_get(d->annotations, d->nannotations,
	    OV_ANN_IMAGE_NAME);
	if ((tag != NULL && (t->tag = strdup(tag)) == NULL) ||
	    (name != NULL && (t->name = strdup(name)) == NULL))
		goto nomem;
	if (nd == NULL || nd->m == NULL) {
		t->error_code = nd != NULL ? nd->code : OV_E_NOTFOUND;
		t->error = strdup(nd != NULL && nd->error != NULL
			? nd->error
			: "manifest is not in the layout");
		if (t->error == NULL)
			goto nomem;
	}
	return OV_OK;
nomem:
	ov_target_clear(t);
	return ov_err_set(err, OV_E_NOMEM, "out of memory");
}

static int is_image_config(const char *mt);

/*
 * Whether the manifest or index dg is something an importer (containerd,
 * docker load) would take as a runnable image. Decided by content only:
 * an index.json entry's own artifactType and tag are written by whoever
 * made the layout, so an unsigned image that calls itself a signature, or
 * hides in an index tagged like the referrers tag schema, is still an
 * image. Not images: Notary signatures and other artifacts that refer to
 * a manifest (have a subject), unless they carry an image config, and
 * indexes of nothing but those. A blob that is missing or unreadable
 * counts as an image (it is then verified, and fails), unless its
 * descriptor says it is a signature: nothing of it could be imported.
 */
static int
is_runnable(const struct ov_layout *l, const struct ov_descriptor *d,
    int depth, uint32_t *memo)
{
	const struct node *nd;
	const struct ov_manifest *m;
	size_t i, k;
	int run = 0;

	if (!ov_dmap_get(&l->bydigest, &d->digest, &k) ||
	    (m = (nd = &l->nodes[k])->m) == NULL || depth > OV_MAX_INDEX_DEPTH)
		return d->artifact_type == NULL ||
		    strcmp(d->artifact_type, OV_MT_NOTARY_SIGNATURE) != 0;
	if (m->kind == OV_KIND_INDEX) {
		/* Remembered per node and depth (bit depth: known, bit 16 +
		 * depth: runnable): an index may list one child many times. */
		if (memo[k] & (1u << depth))
			return (memo[k] >> (16 + depth)) & 1;
		if (m->nchildren == 0)
			run = !m->has_subject;
		for (i = 0; i < m->nchildren && !run; i++)
			if (!ov_media_type_is_manifest(m->children[i].media_type) ||
			    is_runnable(l, &m->children[i], depth + 1, memo))
				run = 1;
		memo[k] |= (1u << depth) | ((uint32_t)run << (16 + depth));
		return run;
	}
	if (m->has_config && is_image_config(m->config.media_type))
		return 1;
	return !m->has_subject && !ov_manifest_is_signature(m, NULL);
}

enum ov_code
ov_layout_images(const struct ov_layout *l, struct ov_target **out,
    size_t *nout, struct ov_err *err)
{
	struct ov_target *t = NULL;
	struct ov_dmap seen = {0};
	uint32_t *memo = NULL;
	size_t i, n = 0;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	if (l->index->nchildren > 0 &&
	    ((t = calloc(l->index->nchildren, sizeof(*t))) == NULL ||
		(memo = calloc(l->n + 1, sizeof(*memo))) == NULL)) {
		free(t);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	for (i = 0; i < l->index->nchildren; i++) {
		const struct ov_descriptor *d = &l->index->children[i];
		/* Repeats first: is_runnable() walks the whole tree. */
		if (!ov_media_type_is_manifest(d->media_type) ||
		    ov_dmap_get(&seen, &d->digest, NULL))
			continue;
		if ((r = ov_dmap_put(&seen, &d->digest, i, err)) != OV_OK)
			goto out;
		if (!is_runnable(l, d, 0, memo))
			continue;
		if ((r = make_target(l, d, &t[n], err)) != OV_OK)
			goto out;
		n++;
	}
	*out = t;
	*nout = n;
	t = NULL;
	n = 0;
	r = OV_OK;
out:
	ov_targets_free(t, n);
	ov_dmap_free(&seen);
	free(memo);
	return r;
}

/* Pick the index.json entries for which match() holds; all must agree. */
static enum ov_code
resolve_by(const struct ov_layout *l, const char *key, const char *value,
    int tail, struct ov_target *out, int *found, struct ov_err *err)
{
	const struct ov_descriptor *hit = NULL;
	size_t i;

	*found = 0;
	for (i = 0; i < l->index->nchildren; i++) {
		const struct ov_descriptor *d = &l->index->children[i];
		const char *v = ov_annotation_get(d->annotations,
		    d->nannotations, key);
		if (v == NULL || !ov_media_type_is_manifest(d->media_type))
			continue;
		if (tail) {
			/* the tag part of a full reference */
			const char *c = strrchr(value, ':');
			if (c == NULL || strchr(c, '/') != NULL ||
			    strcmp(v, c + 1) != 0)
				continue;
		} else if (strcmp(v, value) != 0) {
			continue;
		}
		if (hit != NULL && !ov_digest_equal(&hit->digest, &d->digest))
			return ov_err_set(err, OV_E_USAGE,
			    "tag \"%.200s\" is ambiguous: it names both %s and %s",
			    value, hit->digest.str, d->digest.str);
		hit = d;
	}
	if (hit == NULL)
		return OV_OK;
	*found = 1;
	return make_target(l, hit, out, err);
}

enum ov_code
ov_layout_resolve_tag(const struct ov_layout *l, const char *tag,
    struct ov_target *out, struct ov_err *err)
{
	int found = 0;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	if ((r = resolve_by(l, OV_ANN_REF_NAME, tag, 0, out, &found, err)) !=
		OV_OK ||
	    found)
		return r;
	if ((r = resolve_by(l, OV_ANN_IMAGE_NAME, tag, 0, out, &found, err)) !=
		OV_OK ||
	    found)
		return r;
	if (strchr(tag, '/') != NULL &&
	    ((r = resolve_by(l, OV_ANN_REF_NAME, tag, 1, out, &found, err)) !=
		    OV_OK ||
		found))
		return r;
	return ov_err_set(err, OV_E_NOTFOUND,
	    "%s: no image tagged \"%.200s\" in index.json", l->src->path, tag);
}

enum ov_code
ov_layout_resolve_digest(const struct ov_layout *l, const struct ov_digest *d,
    struct ov_target *out, struct ov_err *err)
{
	const struct node *nd = find_node(l, d);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (nd == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
		    "%s: no manifest or index with digest %s in the layout",
		    l->src->path, d->str);
	/* Prefer the index.json entry: it carries the tag annotations. */
	for (i = 0; i < l->index->nchildren; i++)
		if (ov_digest_equal(&l->index->children[i].digest, d))
			return make_target(l, &l->index->children[i], out, err);
	return make_target(l, &nd->desc, out, err);
}

/* ---- integrity of an image ---------------------------------------------- */

enum ov_code
ov_layout_check_blob(struct ov_layout *l, const struct ov_descriptor *d,
    struct ov_err *err)
{
	const struct pre *p;
	enum ov_code r;
	size_t size;

	/* Checked blobs are remembered: images in a mirror share layers.
	 * The size is remembered too, so a second descriptor of the same
	 * digest with another size still fails. (Not thread-safe: images
	 * verified at once each have their own layout, and the bundles'
	 * layouts are read under the verifier's lock.) */
	if (ov_dmap_get(&l->checked, &d->digest, &size)) {
		if ((int64_t)size != d->size)
			return ov_err_set(err, OV_E_DIGEST,
			    "blob %s: size %zu does not match the descriptor size %jd",
			    d->digest.str, size, (intmax_t)d->size);
		return OV_OK;
	}
	if ((p = find_pre(l, &d->digest, d->size)) != NULL) {
		if (p->code != OV_OK) {
			*err = p->err;
			return p->code;
		}
	} else if ((r = l->src->ops->check_blob(l->src, &d->digest, d->size,
			err)) != OV_OK) {
		return r;
	}
	l->checked_bytes += (uint64_t)d->size;
	return ov_dmap_put(&l->checked, &d->digest, (size_t)d->size, err);
}

uint64_t
ov_layout_checked_bytes(const struct ov_layout *l)
{
	return l->checked_bytes;
}

/* ---- checking ahead, in parallel (--jobs) ------------------------------- */

/*
 * ov_layout_check_tree reads the blobs one by one and stops at the first
 * problem. To use every core, ov_layout_prefetch first checks all the
 * blobs it will read, largest first, on the pool's threads, and keeps each
 * result; check_tree then walks the tree as before and takes the kept
 * result instead of reading the blob. The walk, and so the first error
 * and its message, are the same for every number of threads.
 */
static const struct pre *
find_pre(const struct ov_layout *l, const struct ov_digest *d, int64_t size)
{
	size_t i;

	/* a descriptor of another size is checked (and fails) on its own */
	if (l->npre == 0 || !ov_dmap_get(&l->pre_at, d, &i) ||
	    l->pre[i].size != size)
		return NULL;
	return &l->pre[i];
}

static enum ov_code
add_pre(struct ov_layout *l, const struct ov_descriptor *d, int deep,
    size_t *cap, struct ov_err *err)
{
	struct pre *v;
	size_t size;
	enum ov_compression comp = ov_compression_of(d->media_type);
	const struct pre *q;
	enum ov_code r;

	if ((q = find_pre(l, &d->digest, d->size)) != NULL) {
		struct pre *w = &l->pre[q - l->pre];
		/* one content digest per blob: a second media type saying
		 * another compression is decompressed on its own later */
		if (deep && !w->deep && w->content_code == OV_E_INTERNAL) {
			w->deep = 1;
			w->comp = comp;
		} else if (deep && w->deep && w->comp != comp) {
			w->deep = 0;
			w->content_code = OV_E_UNSUPPORTED;
		}
		return OV_OK;
	}
	if (ov_dmap_get(&l->pre_at, &d->digest, NULL))
		return OV_OK; /* the same digest with another size */
	if (!deep && ov_dmap_get(&l->checked, &d->digest, &size))
		return OV_OK;
	if (l->npre == *cap) {
		if (*cap >= OV_MAX_DESCRIPTORS)
			return ov_err_set(err, OV_E_LIMIT,
			    "more than %d blobs in one image",
			    OV_MAX_DESCRIPTORS);
		*cap = *cap == 0 ? 16 : *cap * 2;
		if ((v = realloc(l->pre, *cap * sizeof(*v))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		l->pre = v;
	}
	memset(&l->pre[l->npre], 0, sizeof(l->pre[l->npre]));
	l->pre[l->npre].digest = d->digest;
	l->pre[l->npre].size = d->size;
	l->pre[l->npre].code = OV_E_INTERNAL;
	l->pre[l->npre].deep = deep;
	l->pre[l->npre].comp = comp;
	l->pre[l->npre].content_code = OV_E_INTERNAL;
	if ((r = ov_dmap_put(&l->pre_at, &d->digest, l->npre, err)) != OV_OK)
		return r;
	l->npre++;
	return OV_OK;
}

/* The blobs check_tree() will read, each once; problems are its to say. */
static int is_image_config(const char *mt);

static enum ov_code
collect(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    int deep, size_t *cap, struct ov_err *err)
{
	int layers;
	const struct node *nd = find_node(l, &d->digest);
	const struct ov_manifest *m;
	size_t i;
	enum ov_code r;

	if (depth > OV_MAX_INDEX_DEPTH || nd == NULL || nd->m == NULL)
		return OV_OK;
	/* each manifest once, however many paths lead to it */
	if (ov_dmap_get(&l->collected, &d->digest, NULL))
		return OV_OK;
	if ((r = ov_dmap_put(&l->collected, &d->digest, 0, err)) != OV_OK)
		return r;
	m = nd->m;
	/* the layers check_diff_ids() decompresses */
	layers = deep && m->kind == OV_KIND_MANIFEST && m->has_config &&
	    is_image_config(m->config.media_type);
	if (m->has_config &&
	    (r = add_pre(l, &m->config, 0, cap, err)) != OV_OK)
		return r;
	for (i = 0; i < m->nchildren; i++) {
		const struct ov_descriptor *c = &m->children[i];
		if (m->kind == OV_KIND_INDEX &&
		    ov_media_type_is_manifest(c->media_type))
			r = collect(l, c, depth + 1, deep, cap, err);
		else
			r = add_pre(l, c, layers, cap, err);
		if (r != OV_OK)
			return r;
	}
	return OV_OK;
}

struct pre_order {
	int64_t size;
	size_t i; /* into l->pre */
};

struct pre_run {
	struct ov_layout *l;
	struct pre_order *order; /* largest blob first */
	/*
	 * At most OV_MAX_ZSTD_DECODERS layers are zstd-decoded at once,
	 * whatever --jobs: each decoder may hold an 8 MiB window, and peak
	 * memory must not grow with the number of threads (issue 9). Other
	 * tasks (hashing, gzip with its 32 KiB window) are not held back.
	 */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int zstd_busy;
};

static void
pre_task(void *ctx, size_t i)
{
	struct pre_run *run = ctx;
	struct pre *p = &run->l->pre[run->order[i].i];
	int gate = p->deep &&
	    (p->comp == OV_COMP_ZSTD || p->comp == OV_COMP_UNKNOWN);

	if (gate) {
		pthread_mutex_lock(&run->mu);
		while (run->zstd_busy >= OV_MAX_ZSTD_DECODERS)
			pthread_cond_wait(&run->cv, &run->mu);
		run->zstd_busy++;
		pthread_mutex_unlock(&run->mu);
	}
	if (p->deep)
		p->code = run->l->src->ops->check_blob_content(run->l->src,
		    &p->digest, p->size, p->comp, &p->content,
		    &p->content_code, &p->content_err, &p->err);
	else
		p->code = run->l->src->ops->check_blob(run->l->src,
		    &p->digest, p->size, &p->err);
	if (gate) {
		pthread_mutex_lock(&run->mu);
		run->zstd_busy--;
		pthread_cond_signal(&run->cv);
		pthread_mutex_unlock(&run->mu);
	}
}

static int
by_size_desc(const void *a, const void *b)
{
	const struct pre_order *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

enum ov_code
ov_layout_prefetch(struct ov_layout *l, const struct ov_descriptor *target,
    int deep, struct ov_pool *pool, struct ov_err *err)
{
	struct pre_run run;
	size_t cap = 0, i, ndeep = 0;
	enum ov_code r;

	ov_layout_prefetch_clear(l);
	if (l->src->ops->check_blob_content == NULL)
		deep = 0;
	if ((ov_pool_jobs(pool) < 2 && !deep) || !l->src->ops->parallel)
		return OV_OK;
	if ((r = collect(l, target, 0, deep, &cap, err)) != OV_OK) {
		if (r == OV_E_LIMIT)
			goto done; /* check_tree reads them one by one */
		goto fail;
	}
	for (i = 0; i < l->npre; i++)
		ndeep += l->pre[i].deep;
	if (l->npre < 2 && ndeep == 0)
		goto done; /* nothing to share: check_tree reads it */
	run.l = l;
	if ((run.order = calloc(l->npre, sizeof(*run.order))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < l->npre; i++) {
		run.order[i].size = l->pre[i].size;
		run.order[i].i = i;
	}
	qsort(run.order, l->npre, sizeof(*run.order), by_size_desc);
	run.zstd_busy = 0;
	if (pthread_mutex_init(&run.mu, NULL) != 0) {
		free(run.order);
		r = ov_err_set(err, OV_E_NOMEM, "cannot create a mutex");
		goto fail;
	}
	if (pthread_cond_init(&run.cv, NULL) != 0) {
		pthread_mutex_destroy(&run.mu);
		free(run.order);
		r = ov_err_set(err, OV_E_NOMEM,
		    "cannot create a condition variable");
		goto fail;
	}
	ov_pool_run(pool, l->npre, pre_task, &run);
	pthread_cond_destroy(&run.cv);
	pthread_mutex_destroy(&run.mu);
	free(run.order);
	return OV_OK;
done:
	ov_layout_prefetch_clear(l);
	return OV_OK;
fail:
	ov_layout_prefetch_clear(l);
	return r;
}

void
ov_layout_prefetch_clear(struct ov_layout *l)
{
	free(l->pre);
	l->pre = NULL;
	l->npre = 0;
	ov_dmap_free(&l->pre_at);
	ov_dmap_free(&l->collected);
}

enum ov_code
ov_layout_read_blob(struct ov_layout *l, const struct ov_descriptor *d,
    struct ov_buf *out, struct ov_err *err)
{
	return l->src->ops->read_blob(l->src, &d->digest, d->size, out, err);
}

struct tree_opts {
	int flags;            /* OV_TREE_* */
	const char *platform; /* a store's: the node's platform, or NULL */
	size_t skipped;       /* absent layers passed over */
};

/*
 * Does the platform of descriptor c ("os/arch[/variant]") match want? A
 * want without a variant matches every variant; a descriptor without a
 * platform matches (nothing says it is another platform's).
 */
int
ov_platform_matches(const char *want, const char *have)
{
	size_t n;

	if (want == NULL || have == NULL || strcmp(want, have) == 0)
		return 1;
	n = strlen(want);
	return strchr(strchr(want, '/') != NULL ? strchr(want, '/') + 1 : want,
		   '/') == NULL &&
	    strncmp(want, have, n) == 0 && have[n] == '/';
}

/*
 * An image index in a content store (src->store) lists every platform,
 * but the node holds only the manifests it pulled: a child whose blob is
 * absent is passed over, as long as one is present.
 */
static int
absent_platform(const struct ov_layout *l, const struct ov_descriptor *c)
{
	const struct node *cn = find_node(l, &c->digest);

	return l->src->store && cn != NULL && cn->m == NULL &&
	    cn->code == OV_E_NOTFOUND;
}

static enum ov_code
check_tree(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    struct tree_opts *o, struct ov_err *err)
{
	const struct node *nd = find_node(l, &d->digest);
	const struct ov_manifest *m;
	size_t i, done, present = 0, absent = 0, skipped0 = o->skipped;
	enum ov_code r;

	if (depth > OV_MAX_INDEX_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "image indexes nested deeper than %d levels",
		    OV_MAX_INDEX_DEPTH);
	if (nd == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
		    "manifest %s is not in the layout", d->digest.str);
	if (nd->m == NULL)
		return ov_err_set(err, nd->code, "%s", nd->error);
	if (nd->desc.size != d->size)
		return ov_err_set(err, OV_E_DIGEST,
		    "manifest %s: size %jd does not match the descriptor size %jd",
		    d->digest.str, (intmax_t)nd->desc.size, (intmax_t)d->size);
	/*
	 * A tree that passed at this depth or deeper passes here too: an
	 * index that lists one child index many times, level after level,
	 * is walked once per level, not once per path.
	 */
	if (ov_dmap_get(&l->trees, &d->digest, &done) && (size_t)depth <= done)
		return OV_OK;
	m = nd->m;
	if (m->has_config &&
	    (r = ov_layout_check_blob(l, &m->config, err)) != OV_OK)
		return ov_err_wrap(err, "manifest %s: config", d->digest.str);
	for (i = 0; i < m->nchildren; i++) {
		const struct ov_descriptor *c = &m->children[i];
		if (m->kind == OV_KIND_INDEX &&
		    ov_media_type_is_manifest(c->media_type)) {
			if (l->src->store &&
			    !ov_platform_matches(o->platform, c->platform))
				continue; /* not the node's to run */
			if (absent_platform(l, c)) {
				absent++;
				continue;
			}
			present++;
			r = check_tree(l, c, depth + 1, o, err);
		} else {
			r = ov_layout_check_blob(l, c, err);
			if (r == OV_E_NOTFOUND && l->src->store &&
			    m->kind != OV_KIND_INDEX) {
				if (o->flags & OV_TREE_LAYERS_OPTIONAL) {
					o->skipped++;
					continue;
				}
				ov_err_wrap(err, "manifest %s: layers[%zu]",
				    d->digest.str, i);
				return ov_err_wrap(err,
				    "layer blobs are absent from the content store (containerd deletes them after unpacking when discard_unpacked_layers is set; --manifest-only verifies such images on their manifest and config alone)");
			}
		}
		if (r != OV_OK)
			return ov_err_wrap(err, "manifest %s: %s[%zu]",
			    d->digest.str,
			    m->kind == OV_KIND_INDEX ? "manifests" : "layers",
			    i);
	}
	if (l->src->store && m->kind == OV_KIND_INDEX && present == 0)
		return ov_err_set(err, OV_E_NOTFOUND,
		    absent > 0
			? "index %s: none of its manifests for platform %s is in the content store"
			: "index %s: it lists no manifest for platform %s",
		    d->digest.str, o->platform != NULL ? o->platform : "any");
	/* remembered only when every blob was checked */
	if (o->skipped != skipped0)
		return OV_OK;
	return ov_dmap_set(&l->trees, &d->digest, (size_t)depth, err);
}

enum ov_code
ov_layout_check_tree(struct ov_layout *l, const struct ov_descriptor *target,
    struct ov_err *err)
{
	return ov_layout_check_tree_flags(l, target, 0, NULL, NULL, err);
}

enum ov_code
ov_layout_check_tree_flags(struct ov_layout *l,
    const struct ov_descriptor *target, int flags, const char *platform,
    size_t *skipped, struct ov_err *err)
{
	struct tree_opts o;
	enum ov_code r;

	o.flags = flags;
	o.platform = platform;
	o.skipped = 0;
	r = check_tree(l, target, 0, &o, err);
	if (skipped != NULL)
		*skipped = o.skipped;
	return r;
}

/* ---- signatures --------------------------------------------------------- */

void
ov_sigrefs_free(struct ov_sigref *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ov_descriptor_clear(&s[i].desc);
		free(s[i].error);
	}
	free(s);
}

static enum ov_code
push_sigref(struct ov_sigref *e, const struct node *nd, struct ov_err *err)
{
	memset(e, 0, sizeof(*e));
	if (ov_descriptor_copy(&e->desc, &nd->desc, err) != OV_OK)
		return OV_E_NOMEM;
	e->m = nd->m;
	if (nd->m == NULL) {
		e->error_code = nd->code;
		if ((e->error = strdup(nd->error ? nd->error : "unreadable")) ==
		    NULL) {
			ov_descriptor_clear(&e->desc);
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		}
	}
	return OV_OK;
}

/* Candidates: node indexes, each once (seen), before any per-entry work. */
struct cands {
	const struct node **v;
	size_t n, cap;
	struct ov_dmap seen;
};

static enum ov_code
add_cand(struct cands *c, const struct node *nd, struct ov_err *err)
{
	const struct node **nv;
	enum ov_code r;

	if (ov_dmap_get(&c->seen, &nd->desc.digest, NULL))
		return OV_OK;
	if ((r = ov_dmap_put(&c->seen, &nd->desc.digest, 0, err)) != OV_OK)
		return r;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		if ((nv = realloc(c->v, ncap * sizeof(*nv))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = nd;
	return OV_OK;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a;
	const struct node *y = *(const struct node *const *)b;

	return strcmp(x->desc.digest.str, y->desc.digest.str);
}

enum ov_code
ov_layout_signatures(const struct ov_layout *l,
    const struct ov_descriptor *target, size_t max, struct ov_sigref **out,
    size_t *nout, size_t *ntotal, struct ov_err *err)
{
	const struct node *tn = find_node(l, &target->digest), *nd, *ti;
	struct cands c;
	struct ov_dmap indexes = {0};
	struct ov_sigref *s = NULL;
	size_t n = 0, i, k, take;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	if (ntotal != NULL)
		*ntotal = 0;
	memset(&c, 0, sizeof(c));
	/* 1. manifests whose subject is the target */
	for (i = 0; tn != NULL && i < tn->nrefs; i++) {
		nd = &l->nodes[tn->refs[i]];
		if (!ov_manifest_is_signature(nd->m, NULL) ||
		    !ov_descriptor_same(&nd->m->subject, target))
			continue;
		if ((r = add_cand(&c, nd, err)) != OV_OK)
			goto out;
	}
	/*
	 * 2. the referrers-tag-schema index "<alg>-<hex>": its entries are
	 * meant to be referrers of the target, so an entry that cannot be
	 * read is reported as a broken signature rather than ignored. Each
	 * index is read once however often index.json lists it.
	 */
	if (!ov_dmap_get(&l->reftags, &target->digest, &i))
		i = NO_ENTRY;
	for (; i != NO_ENTRY; i = l->reftag_next[i]) {
		const struct ov_descriptor *d = &l->index->children[i];
		if ((ti = find_node(l, &d->digest)) == NULL || ti->m == NULL ||
		    ti->m->kind != OV_KIND_INDEX ||
		    ov_dmap_get(&indexes, &d->digest, NULL))
			continue;
		if ((r = ov_dmap_put(&indexes, &d->digest, 0, err)) != OV_OK)
			goto out;
		for (k = 0; k < ti->m->nchildren; k++) {
			const struct ov_descriptor *ch = &ti->m->children[k];
			if (ch->artifact_type == NULL ||
			    strcmp(ch->artifact_type, OV_MT_NOTARY_SIGNATURE) !=
				0 ||
			    (nd = find_node(l, &ch->digest)) == NULL ||
			    nd->m != NULL)
				continue;
			if ((r = add_cand(&c, nd, err)) != OV_OK)
				goto out;
		}
	}
	/* The first max by digest; only they are copied. */
	if (c.n > 1)
		qsort(c.v, c.n, sizeof(*c.v), cand_cmp);
	take = max > 0 && c.n > max ? max : c.n;
	if (take > 0 && (s = calloc(take, sizeof(*s))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (n = 0; n < take; n++)
		if ((r = push_sigref(&s[n], c.v[n], err)) != OV_OK)
			goto out;
	*out = s;
	*nout = n;
	if (ntotal != NULL)
		*ntotal = c.n;
	s = NULL;
	n = 0;
	r = OV_OK;
out:
	ov_sigrefs_free(s, n);
	free(c.v);
	ov_dmap_free(&c.seen);
	ov_dmap_free(&indexes);
	return r;
}

/* ---- lookups for detached signature bundles ----------------------------- */

const struct ov_manifest *
ov_layout_manifest(const struct ov_layout *l, const struct ov_digest *d)
{
	const struct node *nd = find_node(l, d);

	return nd != NULL ? nd->m : NULL;
}

/* Append a copy of d; the callers push each node once (nodes are unique
 * by digest), so no search for duplicates. *cap grows geometrically. */
static enum ov_code
push_desc(struct ov_descriptor **v, size_t *n, size_t *cap,
    const struct ov_descriptor *d, struct ov_err *err)
{
	struct ov_descriptor *nv;
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap == 0 ? 4 : *cap * 2;
		if ((nv = realloc(*v, ncap * sizeof(*nv))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		*v = nv;
		*cap = ncap;
	}
	if (ov_descriptor_copy(&(*v)[*n], d, err) != OV_OK)
		return OV_E_NOMEM;
	(*n)++;
	return OV_OK;
}

enum ov_code
ov_layout_find_by_config(const struct ov_layout *l,
    const struct ov_digest *config, struct ov_descriptor **out, size_t *nout,
    struct ov_err *err)
{
	struct ov_descriptor *v = NULL;
	size_t i, n = 0, cap = 0, k;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < l->n; i++) {
		const struct ov_manifest *m = l->nodes[i].m;
		if (m == NULL || m->kind != OV_KIND_MANIFEST || !m->has_config ||
		    !ov_digest_equal(&m->config.digest, config) ||
		    ov_manifest_is_signature(m, NULL))
			continue;
		if ((r = push_desc(&v, &n, &cap, &l->nodes[i].desc, err)) !=
		    OV_OK)
			goto fail;
	}
	*out = v;
	*nout = n;
	return OV_OK;
fail:
	for (k = 0; k < n; k++)
		ov_descriptor_clear(&v[k]);
	free(v);
	return r;
}

enum ov_code
ov_layout_parents(const struct ov_layout *l, const struct ov_digest *d,
    struct ov_descriptor **out, size_t *nout, struct ov_err *err)
{
	struct ov_descriptor *v = NULL;
	size_t i, k, n = 0, cap = 0;
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < l->n; i++) {
		const struct ov_manifest *m = l->nodes[i].m;
		if (m == NULL || m->kind != OV_KIND_INDEX)
			continue;
		for (k = 0; k < m->nchildren; k++)
			if (ov_digest_equal(&m->children[k].digest, d))
				break;
		if (k < m->nchildren &&
		    (r = push_desc(&v, &n, &cap, &l->nodes[i].desc, err)) !=
			OV_OK)
			goto fail;
	}
	*out = v;
	*nout = n;
	return OV_OK;
fail:
	for (k = 0; k < n; k++)
		ov_descriptor_clear(&v[k]);
	free(v);
	return r;
}

/* ---- deep checks: layers against the config's diff_ids ------------------- */

static int
is_image_config(const char *mt)
{
	return mt != NULL &&
	    (strcmp(mt, "application/vnd.oci.image.config.v1+json") == 0 ||
		strcmp(mt, "application/vnd.docker.container.image.v1+json") ==
		    0);
}

static enum ov_code
check_manifest_diff_ids(struct ov_layout *l, const struct ov_manifest *m,
    const char *what, struct ov_err *err)
{
	struct ov_digest *ids = NULL, got;
	const struct pre *p;
	struct ov_buf b;
	size_t n = 0, i;
	enum ov_code r;

	ov_buf_init(&b, OV_MAX_MANIFEST);
	if ((r = ov_layout_read_blob(l, &m->config, &b, err)) != OV_OK ||
	    (r = ov_config_diff_ids(b.data, b.len, &ids, &n, err)) != OV_OK) {
		ov_err_wrap(err, "%s: config", what);
		goto out;
	}
	if (n != m->nchildren) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "%s: the config lists %zu diff_ids but the manifest has %zu layers",
		    what, n, m->nchildren);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct ov_descriptor *d = &m->children[i];
		enum ov_compression c = ov_compression_of(d->media_type);

		/* even an "uncompressed" layer is read, to confirm it is */
		if ((p = find_pre(l, &d->digest, d->size)) != NULL && p->deep &&
		    p->comp == c && p->code == OV_OK) {
			if ((r = p->content_code) == OV_OK)
				got = p->content;
			else
				*err = p->content_err;
		} else {
			r = l->src->ops->content_digest(l->src, &d->digest,
			    d->size, c, &got, err);
		}
		if (r != OV_OK) {
			ov_err_wrap(err, "%s: layers[%zu]", what, i);
			goto out;
		}
		if (!ov_digest_equal(&got, &ids[i])) {
			r = ov_err_set(err, OV_E_DIGEST,
			    "%s: layers[%zu] %s decompresses to %s, but the config's diff_ids[%zu] is %s",
			    what, i, d->digest.str, got.str, i, ids[i].str);
			goto out;
		}
	}
	r = OV_OK;
out:
	free(ids);
	ov_buf_free(&b);
	return r;
}

static enum ov_code
check_diff_ids(struct ov_layout *l, const struct ov_descriptor *d, int depth,
    struct ov_err *err)
{
	const struct node *nd = find_node(l, &d->digest);
	char what[OV_DIGEST_MAX_STR + 16];
	size_t i;
	enum ov_code r;

	if (depth > OV_MAX_INDEX_DEPTH || nd == NULL || nd->m == NULL)
		return ov_err_set(err, OV_E_INTERNAL,
		    "manifest %s: not checked before the deep check",
		    d->digest.str);
	/* each manifest once, however many paths lead to it */
	if (ov_dmap_get(&l->deep_done, &d->digest, NULL))
		return OV_OK;
	(void)snprintf(what, sizeof(what), "manifest %s", d->digest.str);
	if (nd->m->kind == OV_KIND_INDEX) {
		for (i = 0; i < nd->m->nchildren; i++)
			if (ov_media_type_is_manifest(
				nd->m->children[i].media_type) &&
			    !absent_platform(l, &nd->m->children[i]) &&
			    (r = check_diff_ids(l, &nd->m->children[i], depth + 1,
				 err)) != OV_OK)
				return r;
	} else if (nd->m->kind == OV_KIND_MANIFEST && nd->m->has_config &&
	    is_image_config(nd->m->config.media_type) &&
	    (r = check_manifest_diff_ids(l, nd->m, what, err)) != OV_OK) {
		return r;
	} /* else an artifact: no layers to decompress */
	return ov_dmap_put(&l->deep_done, &d->digest, 0, err);
}

enum ov_code
ov_layout_check_diff_ids(struct ov_layout *l,
    const struct ov_descriptor *target, struct ov_err *err)
{
	if (l->src->ops->content_digest == NULL)
		return ov_err_set(err, OV_E_UNSUPPORTED,
		    "%s: deep checks are not supported for this source",
		    l->src->path);
	return check_diff_ids(l, target, 0, err);
}
