/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the OCI layout graph: images, tag and digest resolution,
 * blob integrity and confinement, signature discovery. Layouts are built
 * in a temporary directory with the layout writer.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "layout.h"
#include "layout_write.h"
#include "source.h"

static char root[256];

static void
rm_rf(const char *p)
{
	char cmd[1024];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", p);
}

/* A fresh layout directory under root; path in a static buffer. */
static const char *
fresh(const char *name)
{
	static char dir[512];
	struct ov_err e;

	(void)snprintf(dir, sizeof(dir), "%s/%s", root, name);
	rm_rf(dir);
	if (ov_layout_dir_init(dir, &e) != OV_OK) {
		fprintf(stderr, "%s\n", e.msg);
		exit(99);
	}
	return dir;
}

static void
put(const char *dir, const char *data, struct ov_descriptor *d,
    const char *mt)
{
	struct ov_err e;

	memset(d, 0, sizeof(*d));
	if (ov_layout_dir_put_blob(dir, data, strlen(data), &d->digest, &e) !=
	    OV_OK) {
		fprintf(stderr, "%s\n", e.msg);
		exit(99);
	}
	d->size = (int64_t)strlen(data);
	d->media_type = strdup(mt);
}

static void
annotate(struct ov_descriptor *d, const char *k, const char *v)
{
	d->annotations = realloc(d->annotations,
	    (d->nannotations + 1) * sizeof(*d->annotations));
	d->annotations[d->nannotations].key = strdup(k);
	d->annotations[d->nannotations].value = strdup(v);
	d->nannotations++;
}

static void
entry(const char *dir, const struct ov_descriptor *d)
{
	struct ov_err e;

	if (ov_layout_dir_add_entry(dir, d, &e) != OV_OK) {
		fprintf(stderr, "%s\n", e.msg);
		exit(99);
	}
}

/* An image with config and one layer; *m gets the manifest descriptor. */
static void
image(const char *dir, const char *layer, struct ov_descriptor *m,
    struct ov_descriptor *l)
{
	struct ov_descriptor c;
	char json[1024];

	put(dir, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", &c,
	    "application/vnd.oci.image.config.v1+json");
	put(dir, layer, l, "application/vnd.oci.image.layer.v1.tar");
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld},"
	    "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}]}",
	    OV_MT_OCI_MANIFEST, c.media_type, c.digest.str, (long long)c.size,
	    l->media_type, l->digest.str, (long long)l->size);
	put(dir, json, m, OV_MT_OCI_MANIFEST);
	ov_descriptor_clear(&c);
}

/* A signature manifest for subject; returns its descriptor. */
static void
signature(const char *dir, const struct ov_descriptor *subject,
    enum ov_sig_shape shape, struct ov_descriptor *sm)
{
	struct ov_descriptor env;
	struct ov_err e;
	char *json;

	put(dir, "{\"not\":\"an envelope\"}", &env, OV_MT_JWS);
	put(dir, "{}", sm, OV_MT_OCI_MANIFEST);
	ov_descriptor_clear(sm);
	if (ov_signature_manifest_json(shape, subject, &env, NULL, NULL, &json,
		&e) != OV_OK)
		exit(99);
	put(dir, json, sm,
	    shape == OV_SHAPE_OCI_ARTIFACT ? OV_MT_OCI_ARTIFACT
					   : OV_MT_OCI_MANIFEST);
	free(json);
	ov_descriptor_clear(&env);
}

static struct ov_layout *
open_layout(const char *dir, struct ov_source **src, struct ov_err *e)
{
	struct ov_layout *l = NULL;

	if (ov_source_open(dir, src, e) != OV_OK)
		return NULL;
	if (ov_layout_open(*src, &l, e) != OV_OK) {
		ov_source_close(*src);
		*src = NULL;
		return NULL;
	}
	return l;
}

static void
close_layout(struct ov_layout *l, struct ov_source *src)
{
	ov_layout_free(l);
	ov_source_close(src);
}

static char *
blob_path(const char *dir, const struct ov_descriptor *d)
{
	static char p[600];

	(void)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", dir,
	    ov_digest_hex(&d->digest));
	return p;
}

TEST(images_and_tags)
{
	const char *dir = fresh("tags");
	struct ov_descriptor m1, l1, m2, l2, sm;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_target *t = NULL, one;
	size_t n = 0;
	struct ov_err e;

	image(dir, "layer one", &m1, &l1);
	image(dir, "layer two", &m2, &l2);
	annotate(&m1, OV_ANN_REF_NAME, "v1");
	annotate(&m1, OV_ANN_IMAGE_NAME, "registry.example/app:v1");
	entry(dir, &m1);
	annotate(&m2, OV_ANN_REF_NAME, "v2");
	entry(dir, &m2);
	signature(dir, &m1, OV_SHAPE_ARTIFACT_TYPE, &sm);
	entry(dir, &sm);

	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_OK(ov_layout_images(l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 2); /* the signature is not an image */
	ASSERT_STR_EQ(t[0].tag, "v1");
	ASSERT_STR_EQ(t[0].name, "registry.example/app:v1");
	ov_targets_free(t, n);

	ASSERT_OK(ov_layout_resolve_tag(l, "v2", &one, &e), &e);
	ASSERT(ov_digest_equal(&one.desc.digest, &m2.digest));
	ov_target_clear(&one);
	ASSERT_OK(ov_layout_resolve_tag(l, "registry.example/app:v1", &one, &e),
	    &e);
	ASSERT(ov_digest_equal(&one.desc.digest, &m1.digest));
	ov_target_clear(&one);
	/* the tag part of a full reference */
	ASSERT_OK(ov_layout_resolve_tag(l, "other.example/x:v2", &one, &e),
	    &e);
	ASSERT(ov_digest_equal(&one.desc.digest, &m2.digest));
	ov_target_clear(&one);
	ASSERT_CODE(ov_layout_resolve_tag(l, "v3", &one, &e), OV_E_NOTFOUND,
	    &e);
	ASSERT_OK(ov_layout_resolve_digest(l, &m2.digest, &one, &e), &e);
	ASSERT_STR_EQ(one.tag, "v2");
	ov_target_clear(&one);
	ASSERT_CODE(ov_layout_resolve_digest(l, &l1.digest, &one, &e),
	    OV_E_NOTFOUND, &e);
	close_layout(l, src);
	ov_descriptor_clear(&m1);
	ov_descriptor_clear(&m2);
	ov_descriptor_clear(&l1);
	ov_descriptor_clear(&l2);
	ov_descriptor_clear(&sm);
}

TEST(ambiguous_tag)
{
	const char *dir = fresh("ambiguous");
	struct ov_descriptor m1, l1, m2, l2;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_target one;
	struct ov_err e;

	image(dir, "a", &m1, &l1);
	image(dir, "b", &m2, &l2);
	annotate(&m1, OV_ANN_REF_NAME, "latest");
	annotate(&m2, OV_ANN_REF_NAME, "latest");
	entry(dir, &m1);
	entry(dir, &m2);
	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_CODE(ov_layout_resolve_tag(l, "latest", &one, &e), OV_E_USAGE,
	    &e);
	ASSERT_STR_HAS(e.msg, "ambiguous");
	close_layout(l, src);
	ov_descriptor_clear(&m1);
	ov_descriptor_clear(&m2);
	ov_descriptor_clear(&l1);
	ov_descriptor_clear(&l2);
}

TEST(blob_integrity)
{
	const char *dir = fresh("integrity");
	struct ov_descriptor m, lay;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_err e;
	char outside[600];
	FILE *f;

	image(dir, "layer one", &m, &lay);
	entry(dir, &m);

	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_OK(ov_layout_check_tree(l, &m, &e), &e);
	close_layout(l, src);

	/* same size, other content */
	f = fopen(blob_path(dir, &lay), "w");
	fputs("layer 0ne", f);
	fclose(f);
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "does not match its digest");
	ASSERT_STR_HAS(e.msg, "layers[0]");
	close_layout(l, src);

	/* other size */
	f = fopen(blob_path(dir, &lay), "w");
	fputs("layer", f);
	fclose(f);
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "does not match the descriptor size");
	close_layout(l, src);

	/* missing */
	unlink(blob_path(dir, &lay));
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, "is missing");
	close_layout(l, src);

	/* a symlink to a file with the right content outside the layout */
	(void)snprintf(outside, sizeof(outside), "%s/outside", root);
	f = fopen(outside, "w");
	fputs("layer one", f);
	fclose(f);
	ASSERT(symlink(outside, blob_path(dir, &lay)) == 0);
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "symbolic link");
	close_layout(l, src);

	/* a FIFO must not hang the verifier */
	unlink(blob_path(dir, &lay));
	ASSERT(mkfifo(blob_path(dir, &lay), 0600) == 0);
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "not a regular file");
	close_layout(l, src);

	/* a directory */
	unlink(blob_path(dir, &lay));
	ASSERT(mkdir(blob_path(dir, &lay), 0700) == 0);
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_FORMAT, &e);
	close_layout(l, src);
	ov_descriptor_clear(&m);
	ov_descriptor_clear(&lay);
}

TEST(blobs_dir_symlink)
{
	const char *dir = fresh("blobslink");
	struct ov_descriptor m, lay;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_err e;
	char a[600], b[600];

	image(dir, "layer one", &m, &lay);
	entry(dir, &m);
	/* move blobs/ away and point a symlink at it: not followed */
	(void)snprintf(a, sizeof(a), "%s/blobs", dir);
	(void)snprintf(b, sizeof(b), "%s/blobs-elsewhere", root);
	rm_rf(b);
	ASSERT(rename(a, b) == 0);
	ASSERT(symlink(b, a) == 0);
	ASSERT(ov_source_open(dir, &src, &e) == OV_OK);
	/* the manifest itself cannot be read, so the image is unusable */
	ASSERT_OK(ov_layout_open(src, &l, &e), &e);
	ASSERT(ov_layout_check_tree(l, &m, &e) != OV_OK);
	ASSERT_STR_HAS(e.msg, "symbolic link");
	close_layout(l, src);
	ov_descriptor_clear(&m);
	ov_descriptor_clear(&lay);
}

TEST(header_and_index)
{
	const char *dir = fresh("header");
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	struct ov_err e;
	char p[600];
	FILE *f;

	(void)snprintf(p, sizeof(p), "%s/oci-layout", dir);
	f = fopen(p, "w");
	fputs("{\"imageLayoutVersion\":\"2.0.0\"}", f);
	fclose(f);
	ASSERT(ov_source_open(dir, &src, &e) == OV_OK);
	ASSERT_CODE(ov_layout_open(src, &l, &e), OV_E_UNSUPPORTED, &e);
	unlink(p);
	ASSERT_CODE(ov_layout_open(src, &l, &e), OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, "not an OCI image layout");
	f = fopen(p, "w");
	fputs("{\"imageLayoutVersion\":\"1.0.0\"}", f);
	fclose(f);
	(void)snprintf(p, sizeof(p), "%s/index.json", dir);
	f = fopen(p, "w");
	fputs("{\"schemaVersion\":2,\"manifests\":[", f);
	fclose(f);
	ASSERT_CODE(ov_layout_open(src, &l, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "index.json");
	ov_source_close(src);
}

TEST(discovery)
{
	const char *dir = fresh("discovery");
	struct ov_descriptor m, lay, s1, s2, s3, s4, bad, idx;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_sigref *refs = NULL;
	size_t n = 0;
	struct ov_err e;
	char json[2048], tag[200];

	image(dir, "layer one", &m, &lay);
	annotate(&m, OV_ANN_REF_NAME, "v1");
	entry(dir, &m);
	signature(dir, &m, OV_SHAPE_ARTIFACT_TYPE, &s1);
	entry(dir, &s1);
	signature(dir, &m, OV_SHAPE_CONFIG_TYPE, &s2);
	entry(dir, &s2);
	/* reachable only through a referrers tag index */
	signature(dir, &m, OV_SHAPE_OCI_ARTIFACT, &s3);
	/* a subject with the right digest but the wrong size: not ours */
	m.size++;
	signature(dir, &m, OV_SHAPE_ARTIFACT_TYPE, &bad);
	m.size--;
	entry(dir, &bad);
	/* listed in the tag index but missing: reported as broken */
	memset(&s4, 0, sizeof(s4));
	s4.media_type = strdup(OV_MT_OCI_MANIFEST);
	ASSERT_OK(ov_digest_parse("sha256:0000000000000000000000000000000000000000000000000000000000000000",
		      &s4.digest, &e),
	    &e);
	s4.size = 10;
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld,\"artifactType\":\"%s\"},"
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld,\"artifactType\":\"%s\"}]}",
	    OV_MT_OCI_INDEX, s3.media_type, s3.digest.str, (long long)s3.size,
	    OV_MT_NOTARY_SIGNATURE, s4.media_type, s4.digest.str,
	    (long long)s4.size, OV_MT_NOTARY_SIGNATURE);
	put(dir, json, &idx, OV_MT_OCI_INDEX);
	(void)snprintf(tag, sizeof(tag), "sha256-%s", ov_digest_hex(&m.digest));
	annotate(&idx, OV_ANN_REF_NAME, tag);
	entry(dir, &idx);

	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_OK(ov_layout_signatures(l, &m, 0, &refs, &n, NULL, &e), &e);
	ASSERT_INT_EQ(n, 4);
	{
		size_t i, found = 0, broken = 0;
		for (i = 0; i < n; i++) {
			if (refs[i].m == NULL) {
				broken++;
				ASSERT(ov_digest_equal(&refs[i].desc.digest,
				    &s4.digest));
				ASSERT_STR_HAS(refs[i].error, "missing");
			}
			if (ov_digest_equal(&refs[i].desc.digest, &s1.digest) ||
			    ov_digest_equal(&refs[i].desc.digest, &s2.digest) ||
			    ov_digest_equal(&refs[i].desc.digest, &s3.digest))
				found++;
			ASSERT(!ov_digest_equal(&refs[i].desc.digest,
			    &bad.digest));
		}
		ASSERT_INT_EQ(found, 3);
		ASSERT_INT_EQ(broken, 1);
	}
	ov_sigrefs_free(refs, n);
	/* capped: the first two by digest (the all-zero one first), all
	 * four counted */
	{
		size_t total = 0;
		ASSERT_OK(ov_layout_signatures(l, &m, 2, &refs, &n, &total, &e),
		    &e);
		ASSERT_INT_EQ(n, 2);
		ASSERT_INT_EQ(total, 4);
		ASSERT(ov_digest_equal(&refs[0].desc.digest, &s4.digest));
		ASSERT(strcmp(refs[0].desc.digest.str, refs[1].desc.digest.str) <
		    0);
		ov_sigrefs_free(refs, n);
	}
	/* the tag index and the signatures are not images */
	{
		struct ov_target *t = NULL;
		ASSERT_OK(ov_layout_images(l, &t, &n, &e), &e);
		ASSERT_INT_EQ(n, 1);
		ov_targets_free(t, n);
	}
	close_layout(l, src);
	ov_descriptor_clear(&m);
	ov_descriptor_clear(&lay);
	ov_descriptor_clear(&s1);
	ov_descriptor_clear(&s2);
	ov_descriptor_clear(&s3);
	ov_descriptor_clear(&s4);
	ov_descriptor_clear(&bad);
	ov_descriptor_clear(&idx);
}

TEST(nested_index)
{
	const char *dir = fresh("nested");
	struct ov_descriptor m1, l1, m2, l2, inner, outer;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_target one;
	struct ov_err e;
	char json[2048];

	image(dir, "amd64 layer", &m1, &l1);
	image(dir, "arm64 layer", &m2, &l2);
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld},"
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}]}",
	    OV_MT_OCI_INDEX, m1.media_type, m1.digest.str, (long long)m1.size,
	    m2.media_type, m2.digest.str, (long long)m2.size);
	put(dir, json, &inner, OV_MT_OCI_INDEX);
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}]}",
	    OV_MT_OCI_INDEX, inner.media_type, inner.digest.str,
	    (long long)inner.size);
	put(dir, json, &outer, OV_MT_OCI_INDEX);
	annotate(&outer, OV_ANN_REF_NAME, "multi");
	entry(dir, &outer);

	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_OK(ov_layout_check_tree(l, &outer, &e), &e);
	/* a platform manifest two levels down resolves by digest */
	ASSERT_OK(ov_layout_resolve_digest(l, &m2.digest, &one, &e), &e);
	ASSERT_STR_EQ(one.desc.media_type, OV_MT_OCI_MANIFEST);
	ASSERT(one.tag == NULL);
	ov_target_clear(&one);
	close_layout(l, src);
	/* a missing layer of one platform fails the whole index */
	unlink(blob_path(dir, &l2));
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &outer, &e), OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, m2.digest.str);
	close_layout(l, src);
	/* so does a missing child manifest */
	unlink(blob_path(dir, &m1));
	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_CODE(ov_layout_check_tree(l, &outer, &e), OV_E_NOTFOUND, &e);
	close_layout(l, src);
	ov_descriptor_clear(&m1);
	ov_descriptor_clear(&m2);
	ov_descriptor_clear(&l1);
	ov_descriptor_clear(&l2);
	ov_descriptor_clear(&inner);
	ov_descriptor_clear(&outer);
}

TEST(sha512_blobs)
{
	const char *dir = fresh("sha512");
	struct ov_descriptor m, lay, cfg;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_err e;
	char json[1024], p[700];
	FILE *f;

	/* a layer stored under blobs/sha512/ */
	memset(&lay, 0, sizeof(lay));
	lay.media_type = strdup("application/vnd.oci.image.layer.v1.tar");
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA512, "layer five twelve", 17,
		      &lay.digest, &e),
	    &e);
	lay.size = 17;
	(void)snprintf(p, sizeof(p), "%s/blobs/sha512", dir);
	ASSERT(mkdir(p, 0755) == 0);
	(void)snprintf(p, sizeof(p), "%s/blobs/sha512/%s", dir,
	    ov_digest_hex(&lay.digest));
	f = fopen(p, "w");
	fputs("layer five twelve", f);
	fclose(f);
	put(dir, "{}", &cfg, "application/vnd.oci.image.config.v1+json");
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":2},"
	    "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":17}]}",
	    OV_MT_OCI_MANIFEST, cfg.media_type, cfg.digest.str, lay.media_type,
	    lay.digest.str);
	put(dir, json, &m, OV_MT_OCI_MANIFEST);
	entry(dir, &m);
	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_OK(ov_layout_check_tree(l, &m, &e), &e);
	close_layout(l, src);
	/* the same content under a wrong sha512 name fails */
	f = fopen(p, "w");
	fputs("layer five twelvE", f);
	fclose(f);
	l = open_layout(dir, &src, &e);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "sha512:");
	close_layout(l, src);
	ov_descriptor_clear(&m);
	ov_descriptor_clear(&lay);
	ov_descriptor_clear(&cfg);
}

TEST(same_digest_other_size)
{
	const char *dir = fresh("twosizes");
	struct ov_descriptor c, lay, m;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_err e;
	char json[2048];

	put(dir, "{}", &c, "application/vnd.oci.image.config.v1+json");
	put(dir, "layer one", &lay, "application/vnd.oci.image.layer.v1.tar");
	/* the same layer twice, the second time with a wrong size */
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":2},"
	    "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":9},"
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":99}]}",
	    OV_MT_OCI_MANIFEST, c.media_type, c.digest.str, lay.media_type,
	    lay.digest.str, lay.media_type, lay.digest.str);
	put(dir, json, &m, OV_MT_OCI_MANIFEST);
	entry(dir, &m);
	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_CODE(ov_layout_check_tree(l, &m, &e), OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "layers[1]");
	close_layout(l, src);
	ov_descriptor_clear(&c);
	ov_descriptor_clear(&lay);
	ov_descriptor_clear(&m);
}

/*
 * What is an image is decided by content: an image manifest with a
 * subject, an entry whose descriptor calls it a Notary signature, and an
 * index tagged like the referrers tag schema that holds an image are all
 * images; a signature, an artifact with a subject and an index of only
 * signatures are not.
 */
TEST(images_by_content)
{
	const char *dir = fresh("content");
	struct ov_descriptor m, lay, sm, hid, hlay, art, idx, sidx;
	struct ov_source *src = NULL;
	struct ov_layout *l;
	struct ov_target *t = NULL;
	size_t n = 0, i, found = 0;
	struct ov_err e;
	char json[2048], tag[200];

	image(dir, "signed", &m, &lay);
	annotate(&m, OV_ANN_REF_NAME, "v1");
	entry(dir, &m);
	signature(dir, &m, OV_SHAPE_ARTIFACT_TYPE, &sm);
	entry(dir, &sm);

	/* 1. an image manifest with a subject, its entry claiming to be a
	 * Notary signature */
	{
		struct ov_descriptor c;
		put(dir, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", &c,
		    "application/vnd.oci.image.config.v1+json");
		put(dir, "evil", &hlay, "application/vnd.oci.image.layer.v1.tar");
		(void)snprintf(json, sizeof(json),
		    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld},"
		    "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}],"
		    "\"subject\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}}",
		    OV_MT_OCI_MANIFEST, c.media_type, c.digest.str,
		    (long long)c.size, hlay.media_type, hlay.digest.str,
		    (long long)hlay.size, m.media_type, m.digest.str,
		    (long long)m.size);
		put(dir, json, &hid, OV_MT_OCI_MANIFEST);
		hid.artifact_type = strdup(OV_MT_NOTARY_SIGNATURE);
		annotate(&hid, OV_ANN_REF_NAME, "evil");
		entry(dir, &hid);
		ov_descriptor_clear(&c);
	}
	/* 2. an artifact (empty config) with a subject: not an image */
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":\"application/spdx+json\","
	    "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},"
	    "\"layers\":[],\"subject\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}}",
	    OV_MT_OCI_MANIFEST, m.media_type, m.digest.str, (long long)m.size);
	{
		struct ov_descriptor empty;
		put(dir, "{}", &empty, "application/vnd.oci.empty.v1+json");
		ov_descriptor_clear(&empty);
	}
	put(dir, json, &art, OV_MT_OCI_MANIFEST);
	entry(dir, &art);
	/* 3. an index tagged like the referrers tag schema, holding the
	 * hidden image; 4. one holding only the signature */
	(void)snprintf(tag, sizeof(tag), "sha256-%s", ov_digest_hex(&m.digest));
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}]}",
	    OV_MT_OCI_INDEX, OV_MT_OCI_MANIFEST, hid.digest.str,
	    (long long)hid.size);
	put(dir, json, &idx, OV_MT_OCI_INDEX);
	annotate(&idx, OV_ANN_REF_NAME, tag);
	entry(dir, &idx);
	(void)snprintf(json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
	    "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld,\"artifactType\":\"%s\"}]}",
	    OV_MT_OCI_INDEX, OV_MT_OCI_MANIFEST, sm.digest.str,
	    (long long)sm.size, OV_MT_NOTARY_SIGNATURE);
	put(dir, json, &sidx, OV_MT_OCI_INDEX);
	annotate(&sidx, OV_ANN_REF_NAME, "sha256-0000");
	entry(dir, &sidx);

	l = open_layout(dir, &src, &e);
	ASSERT(l != NULL);
	ASSERT_OK(ov_layout_images(l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 3); /* v1, the hidden image, the index holding it */
	for (i = 0; i < n; i++) {
		ASSERT(!ov_digest_equal(&t[i].desc.digest, &sm.digest));
		ASSERT(!ov_digest_equal(&t[i].desc.digest, &art.digest));
		ASSERT(!ov_digest_equal(&t[i].desc.digest, &sidx.digest));
		if (ov_digest_equal(&t[i].desc.digest, &m.digest) ||
		    ov_digest_equal(&t[i].desc.digest, &hid.digest) ||
		    ov_digest_equal(&t[i].desc.digest, &idx.digest))
			found++;
	}
	ASSERT_INT_EQ(found, 3);
	ov_targets_free(t, n);
	close_layout(l, src);
	ov_descriptor_clear(&m);
	ov_descriptor_clear(&lay);
	ov_descriptor_clear(&sm);
	ov_descriptor_clear(&hid);
	ov_descriptor_clear(&hlay);
	ov_descriptor_clear(&art);
	ov_descriptor_clear(&idx);
	ov_descriptor_clear(&sidx);
}

/*
 * The signature manifests `ocivet sign` writes are byte for byte
 * notation's: for the real notation signature of the vectors
 * (notation-go TestOciLayoutRepositoryPushAndFetch asserts manifest
 * sha256:64300ad0..., 793 bytes, for the artifactType form), and for the
 * 1.x form notation-go v1.3.2 writes (config.mediaType the artifact type,
 * no artifactType, no config data: 728 bytes).
 */
TEST(notation_manifest_bytes)
{
	static const char tp[] =
	    "[\"9f5f5aecee24b5cfdc7a91f6d5ac5c3a5348feb17c934d403f59ac251549ea0d\"]";
	char subj_mt[] = OV_MT_OCI_MANIFEST, env_mt[] = OV_MT_JWS;
	struct ov_descriptor subject, env;
	struct ov_digest d;
	struct ov_err e;
	char *json = NULL;

	memset(&subject, 0, sizeof(subject));
	memset(&env, 0, sizeof(env));
	subject.media_type = subj_mt;
	subject.size = 481;
	env.media_type = env_mt;
	env.size = 2078;
	ASSERT_INT_EQ(ov_digest_parse("sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0", &subject.digest, &e), OV_OK);
	ASSERT_INT_EQ(ov_digest_parse("sha256:586c5e0f341d7d07e835a06b7c9f21c21fff4f4a85933079e5859f99ba0ad02d", &env.digest, &e), OV_OK);
	ASSERT_INT_EQ(ov_signature_manifest_json(OV_SHAPE_ARTIFACT_TYPE_DATA,
			  &subject, &env, tp, "2023-03-14T08:10:02Z", &json, &e),
	    OV_OK);
	ASSERT_INT_EQ(strlen(json), 793);
	ASSERT_INT_EQ(ov_digest_of(OV_DIGEST_SHA256, json, strlen(json), &d, &e),
	    OV_OK);
	ASSERT_STR_EQ(d.str, "sha256:64300ad03f1dcd18136787363f3069c9598623221cbe76e3233d35266b7973d6");
	free(json);
	ASSERT_INT_EQ(ov_signature_manifest_json(OV_SHAPE_CONFIG_TYPE, &subject,
			  &env, tp, "2023-03-14T08:10:02Z", &json, &e),
	    OV_OK);
	ASSERT_INT_EQ(strlen(json), 728);
	ASSERT_INT_EQ(ov_digest_of(OV_DIGEST_SHA256, json, strlen(json), &d, &e),
	    OV_OK);
	ASSERT_STR_EQ(d.str, "sha256:baeaea44f55c94499b7e082bd3c98ad5ec40fdf23ef89cdf4e5db6b83e4f18f5");
	free(json);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	(void)snprintf(root, sizeof(root), "%s/ovlayoutXXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	RUN(images_and_tags);
	RUN(ambiguous_tag);
	RUN(blob_integrity);
	RUN(blobs_dir_symlink);
	RUN(header_and_index);
	RUN(discovery);
	RUN(images_by_content);
	RUN(nested_index);
	RUN(sha512_blobs);
	RUN(same_digest_other_size);
	RUN(notation_manifest_bytes);
	rm_rf(root);
	return ov_test_done();
}
