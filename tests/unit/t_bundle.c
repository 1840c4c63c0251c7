/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for detached signature bundles: export the fixture layouts
 * (JWS, COSE, legacy artifact, several images, an index, a referrers tag)
 * to directories and tars, open the result as a layout and find every
 * signature of every exported image; copies are byte for byte, nothing
 * else is copied, unsigned images are left out, and a corrupt source or
 * an unusable output fails without leaving anything behind.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "bundle.h"
#include "harness.h"
#include "layout.h"
#include "layout_write.h"
#include "manifest.h"
#include "ovlimits.h"
#include "source.h"

static char root[256];

static void
sh(const char *fmt, const char *a, const char *b)
{
	char cmd[2048];

	(void)snprintf(cmd, sizeof(cmd), fmt, a, b);
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(99);
	}
}

/* A path under root, in one of four rotating static buffers. */
static const char *
tmp(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	(void)snprintf(p[k], sizeof(p[k]), "%s/%s", root, name);
	return p[k];
}

/* A writable copy of testdata layout rel at root/name; its path in dst. */
static const char *
copy_layout(const char *rel, const char *name, char *dst, size_t n)
{
	(void)snprintf(dst, n, "%s", tmp(name));
	sh("rm -rf '%s'", dst, "");
	sh("cp -R '%s' '%s'", testdata_path(rel), dst);
	sh("chmod -R u+w '%s'%s", dst, "");
	return dst;
}

static int
exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

/* Names under root that start with prefix (temporary files left over). */
static int
count_prefixed(const char *prefix)
{
	DIR *d = opendir(root);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static struct ov_bundle *
plan(const char *const *specs, size_t n, struct ov_err *e)
{
	struct ov_bundle *b = NULL;
	size_t i;

	if (ov_bundle_new(&b, e) != OV_OK)
		return NULL;
	for (i = 0; i < n; i++)
		if (ov_bundle_add_source(b, specs[i], e) != OV_OK) {
			ov_bundle_free(b);
			return NULL;
		}
	return b;
}

/* The bundle at path as a layout (a directory, or a tar). */
struct opened {
	struct ov_source *src;
	struct ov_layout *l;
};

static enum ov_code
open_bundle(const char *path, int tar, struct opened *o, struct ov_err *e)
{
	enum ov_code r;

	memset(o, 0, sizeof(*o));
	r = tar ? ov_archive_open_source(path, NULL, &o->src, e)
		: ov_dir_source_open(path, &o->src, e);
	if (r == OV_OK)
		r = ov_layout_open(o->src, &o->l, e);
	return r;
}

static void
close_bundle(struct opened *o)
{
	ov_layout_free(o->l);
	ov_source_close(o->src);
	memset(o, 0, sizeof(*o));
}

static void
digest_of_file(const char *rel, struct ov_digest *d)
{
	struct ov_buf b;

	ov_buf_init(&b, 4096);
	read_file_or_die(testdata_path(rel), &b);
	while (b.len > 0 && (b.data[b.len - 1] == '\n'))
		b.data[--b.len] = '\0';
	if (ov_digest_parse((const char *)b.data, d, NULL) != OV_OK)
		exit(99);
	ov_buf_free(&b);
}

/*
 * The bundle holds digest d (as an index.json image when tag is non-NULL)
 * with nsigs signatures, each with a readable envelope; returns nsigs
 * found, -1 on error.
 */
static long
sigs_of(struct opened *o, const struct ov_digest *d)
{
	struct ov_target t;
	struct ov_sigref *s = NULL;
	const struct ov_descriptor *env;
	struct ov_buf b;
	struct ov_err e;
	size_t n = 0, i;
	long r = -1;

	if (ov_layout_resolve_digest(o->l, d, &t, &e) != OV_OK)
		return -1;
	if (t.error_code != 0 ||
	    ov_layout_signatures(o->l, &t.desc, 0, &s, &n, NULL, &e) != OV_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (s[i].m == NULL || !ov_manifest_is_signature(s[i].m, &env))
			goto out;
		ov_buf_init(&b, OV_MAX_ENVELOPE);
		if (ov_layout_read_blob(o->l, env, &b, &e) != OV_OK) {
			ov_buf_free(&b);
			goto out;
		}
		ov_buf_free(&b);
		if (s[i].m->has_config &&
		    ov_layout_check_blob(o->l, &s[i].m->config, &e) != OV_OK)
			goto out;
	}
	r = (long)n;
out:
	ov_sigrefs_free(s, n);
	ov_target_clear(&t);
	return r;
}

/* Every blob of bundle dir out is the same bytes as in layout src;
 * returns the number of blobs, -1 on a difference. */
static long
same_blobs(const char *out, const char *src)
{
	char p[1024], q[1024];
	struct ov_buf a, b;
	struct dirent *de;
	DIR *d;
	long n = 0;

	(void)snprintf(p, sizeof(p), "%s/blobs/sha256", out);
	if ((d = opendir(p)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", out,
			       de->d_name);
		(void)snprintf(q, sizeof(q), "%s/blobs/sha256/%s", src,
			       de->d_name);
		ov_buf_init(&a, 64 * OV_MIB);
		ov_buf_init(&b, 64 * OV_MIB);
		read_file_or_die(p, &a);
		read_file_or_die(q, &b);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			n = -1000000;
		ov_buf_free(&a);
		ov_buf_free(&b);
		n++;
	}
	closedir(d);
	return n < 0 ? -1 : n;
}

/* Number of entries in directory p (without . and ..). */
static int
count_dir(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

TEST(jws_to_dir)
{
	const char *spec[1];
	char out[600], s0[600];
	const struct ov_bundle_image *img;
	const struct ov_manifest *m;
	struct ov_bundle *b;
	struct opened o;
	struct ov_target *t = NULL;
	struct ov_digest d;
	struct ov_err e;
	size_t n = 0, i;
	char src[600];

	(void)snprintf(out, sizeof(out), "%s", tmp("jws"));
	(void)snprintf(src, sizeof(src), "%s", testdata_path("layouts/jws"));
	(void)snprintf(s0, sizeof(s0), "%s", testdata_path("layouts/jws:v1"));
	spec[0] = s0;
	digest_of_file("layouts/jws.digest", &d);
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 1);
	ASSERT_INT_EQ(ov_bundle_nwarnings(b), 0);
	img = ov_bundle_image(b, 0);
	ASSERT_STR_HAS(img->reference, "layouts/jws:v1");
	ASSERT_STR_EQ(img->digest.str, d.str);
	ASSERT_INT_EQ(img->nsignatures, 1);
	ASSERT_OK(ov_bundle_write(b, out, OV_BUNDLE_DIR, &e), &e);
	ov_bundle_free(b);

	/* a layout of oci-layout, index.json and blobs/ only */
	ASSERT_INT_EQ(count_dir(out), 3);
	ASSERT_INT_EQ(count_dir(tmp("jws/blobs")), 1);
	/* manifest, signature manifest, its {} config and envelope,
	 * each byte for byte */
	ASSERT_INT_EQ(same_blobs(out, src), 4);
	ASSERT_INT_EQ(count_prefixed(".jws.tmp"), 0);

	ASSERT_OK(open_bundle(out, 0, &o, &e), &e);
	ASSERT_OK(ov_layout_images(o.l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 1);
	ASSERT_STR_EQ(t[0].desc.digest.str, d.str);
	ASSERT_STR_EQ(t[0].tag, "v1");
	ASSERT_INT_EQ(sigs_of(&o, &d), 1);
	/* no config or layer of the image */
	m = ov_layout_manifest(o.l, &d);
	ASSERT(m != NULL && m->has_config && m->nchildren > 0);
	ASSERT_CODE(ov_layout_check_blob(o.l, &m->config, &e), OV_E_NOTFOUND,
		    &e);
	for (i = 0; i < m->nchildren; i++)
		ASSERT_CODE(ov_layout_check_blob(o.l, &m->children[i], &e),
			    OV_E_NOTFOUND, &e);
	ov_targets_free(t, n);
	close_bundle(&o);
}

/* COSE envelopes, the legacy OCI artifact manifest, and an image name. */
TEST(envelope_shapes)
{
	static const char *const layouts[] = {"cose", "artifact", "named",
					      "ec-cose"};
	const char *spec[1];
	struct ov_bundle *b;
	struct opened o;
	struct ov_target *t = NULL;
	struct ov_err e;
	char rel[64], dir[600];
	size_t i, n = 0;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		(void)snprintf(rel, sizeof(rel), "layouts/%s", layouts[i]);
		(void)snprintf(dir, sizeof(dir), "%s", testdata_path(rel));
		spec[0] = dir;
		b = plan(spec, 1, &e);
		ASSERT(b != NULL);
		ASSERT_INT_EQ(ov_bundle_nimages(b), 1);
		ASSERT_INT_EQ(ov_bundle_image(b, 0)->nsignatures, 1);
		ASSERT_OK(ov_bundle_write(b, tmp(layouts[i]), OV_BUNDLE_DIR,
					  &e),
			  &e);
		ASSERT(same_blobs(tmp(layouts[i]), dir) > 0);
		ASSERT_OK(open_bundle(tmp(layouts[i]), 0, &o, &e), &e);
		ASSERT_OK(ov_layout_images(o.l, &t, &n, &e), &e);
		ASSERT_INT_EQ(n, 1);
		ASSERT_STR_EQ(t[0].desc.digest.str,
			      ov_bundle_image(b, 0)->digest.str);
		ASSERT_INT_EQ(sigs_of(&o, &t[0].desc.digest), 1);
		if (strcmp(layouts[i], "named") == 0)
			ASSERT_STR_EQ(t[0].name, "registry.example/app:v1");
		ov_targets_free(t, n);
		t = NULL;
		n = 0;
		close_bundle(&o);
		ov_bundle_free(b);
	}
}

/* A whole layout: the unsigned image is left out with a warning. */
TEST(multi_skips_unsigned)
{
	const char *spec[1];
	struct ov_bundle *b;
	struct opened o;
	struct ov_target *t = NULL;
	struct ov_digest c;
	struct ov_err e;
	char dir[600];
	size_t n = 0, i;

	(void)snprintf(dir, sizeof(dir), "%s", testdata_path("layouts/multi"));
	spec[0] = dir;
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 2);
	ASSERT_STR_HAS(ov_bundle_image(b, 0)->reference, "multi:a");
	ASSERT_STR_HAS(ov_bundle_image(b, 1)->reference, "multi:b");
	ASSERT_INT_EQ(ov_bundle_nwarnings(b), 1);
	ASSERT_STR_HAS(ov_bundle_warning(b, 0),
		       "layouts/multi:c has no signature; not exported");
	ASSERT_OK(ov_bundle_write(b, tmp("multi"), OV_BUNDLE_DIR, &e), &e);
	ASSERT_INT_EQ(same_blobs(tmp("multi"), dir), 2 * 3 + 1);
	ASSERT_OK(open_bundle(tmp("multi"), 0, &o, &e), &e);
	ASSERT_OK(ov_layout_images(o.l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 2);
	for (i = 0; i < n; i++)
		ASSERT_INT_EQ(sigs_of(&o, &t[i].desc.digest), 1);
	ASSERT_OK(
	    ov_digest_parse(
		"sha256:bbb977e8b3c47380b31e1b18e8d6577594d1073da7450df21da3692a9162d871",
		&c, &e),
	    &e);
	ASSERT(ov_layout_manifest(o.l, &c) == NULL);
	ov_targets_free(t, n);
	close_bundle(&o);
	ov_bundle_free(b);
}

/* An index: its children go along, with the signatures of each. */
TEST(index_and_children)
{
	const char *spec[1];
	struct ov_bundle *b;
	struct opened o;
	struct ov_target *t = NULL;
	struct ov_digest amd, arm;
	struct ov_err e;
	char one[700];
	size_t n = 0;

	digest_of_file("layouts/index.amd64", &amd);
	digest_of_file("layouts/index.arm64", &arm);
	spec[0] = testdata_path("layouts/index:v1");
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 1);
	ASSERT_INT_EQ(ov_bundle_image(b, 0)->nsignatures, 2);
	ASSERT_OK(ov_bundle_write(b, tmp("index"), OV_BUNDLE_DIR, &e), &e);
	ASSERT_OK(open_bundle(tmp("index"), 0, &o, &e), &e);
	ASSERT_OK(ov_layout_images(o.l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 1);
	ASSERT(ov_media_type_is_index(t[0].desc.media_type));
	ASSERT_INT_EQ(sigs_of(&o, &t[0].desc.digest), 1);
	ASSERT_INT_EQ(sigs_of(&o, &arm), 1);
	ASSERT_INT_EQ(sigs_of(&o, &amd), 0);
	ASSERT(ov_layout_manifest(o.l, &amd) != NULL);
	ov_targets_free(t, n);
	close_bundle(&o);
	ov_bundle_free(b);

	/* one platform by digest: that manifest and its signature */
	(void)snprintf(one, sizeof(one), "%s@%s",
		       testdata_path("layouts/index"), arm.str);
	spec[0] = one;
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 1);
	ASSERT_INT_EQ(ov_bundle_image(b, 0)->nsignatures, 1);
	ASSERT_OK(ov_bundle_write(b, tmp("arm"), OV_BUNDLE_DIR, &e), &e);
	ASSERT_OK(open_bundle(tmp("arm"), 0, &o, &e), &e);
	ASSERT_INT_EQ(sigs_of(&o, &arm), 1);
	ASSERT(ov_layout_manifest(o.l, &amd) == NULL);
	close_bundle(&o);
	ov_bundle_free(b);
}

/* Signatures found through a referrers-tag index; the index stays. */
TEST(referrers_tag)
{
	const char *spec[1];
	struct ov_bundle *b;
	struct opened o;
	struct ov_target *t = NULL;
	struct ov_buf idx;
	struct ov_err e;
	char dir[600], p[700];
	size_t n = 0;

	(void)snprintf(dir, sizeof(dir), "%s", testdata_path("layouts/reftag"));
	spec[0] = dir;
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 1);
	ASSERT_INT_EQ(ov_bundle_image(b, 0)->nsignatures, 1);
	ASSERT_OK(ov_bundle_write(b, tmp("reftag"), OV_BUNDLE_DIR, &e), &e);
	ASSERT_INT_EQ(same_blobs(tmp("reftag"), dir), 4);
	ASSERT_OK(open_bundle(tmp("reftag"), 0, &o, &e), &e);
	ASSERT_OK(ov_layout_images(o.l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 1);
	ASSERT_INT_EQ(sigs_of(&o, &t[0].desc.digest), 1);
	(void)snprintf(p, sizeof(p), "%s/index.json", tmp("reftag"));
	ov_buf_init(&idx, OV_MAX_INDEX_JSON);
	read_file_or_die(p, &idx);
	ASSERT(strstr((const char *)idx.data, "sha256-") == NULL);
	ASSERT_STR_HAS(
	    (const char *)idx.data,
	    "\"artifactType\":\"application/vnd.cncf.notary.signature\"");
	ov_buf_free(&idx);
	ov_targets_free(t, n);
	close_bundle(&o);
	ov_bundle_free(b);
}

/* A tar: sorted, deterministic, readable as a layout archive. */
TEST(tar_output)
{
	const char *spec[3];
	const struct ov_archive *a;
	struct ov_bundle *b;
	struct opened o;
	struct ov_target *t = NULL;
	struct ov_buf x, y;
	struct ov_err e;
	char s0[600], s1[600], s2[600];
	size_t n = 0, i;

	(void)snprintf(s0, sizeof(s0), "%s", testdata_path("layouts/jws:v1"));
	(void)snprintf(s1, sizeof(s1), "%s", testdata_path("layouts/multi"));
	(void)snprintf(s2, sizeof(s2), "%s", testdata_path("layouts/index"));
	spec[0] = s0;
	spec[1] = s1;
	spec[2] = s2;
	b = plan(spec, 3, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 4);
	ASSERT_OK(ov_bundle_write(b, tmp("b1.tar"), OV_BUNDLE_TAR, &e), &e);
	ov_bundle_free(b);
	ASSERT_OK(ov_bundle_export(spec, 3, tmp("b2.tar"), OV_BUNDLE_TAR, &e),
		  &e);
	ov_buf_init(&x, 64 * OV_MIB);
	ov_buf_init(&y, 64 * OV_MIB);
	read_file_or_die(tmp("b1.tar"), &x);
	read_file_or_die(tmp("b2.tar"), &y);
	ASSERT_INT_EQ(x.len, y.len);
	ASSERT_MEM_EQ(x.data, y.data, x.len);
	ov_buf_free(&x);
	ov_buf_free(&y);
	ASSERT_INT_EQ(count_prefixed(".b1.tar.tmp"), 0);

	ASSERT_OK(open_bundle(tmp("b1.tar"), 1, &o, &e), &e);
	a = ov_archive_of_source(o.src);
	ASSERT(a != NULL);
	ASSERT_STR_EQ(ov_archive_compression(a), "none");
	for (i = 1; i < ov_archive_count(a); i++)
		ASSERT(strcmp(ov_archive_entry(a, i - 1)->name,
			      ov_archive_entry(a, i)->name) < 0);
	ASSERT_STR_EQ(ov_archive_entry(a, ov_archive_count(a) - 1)->name,
		      "oci-layout");
	ASSERT_OK(ov_layout_images(o.l, &t, &n, &e), &e);
	ASSERT_INT_EQ(n, 4);
	for (i = 0; i < n; i++)
		ASSERT(sigs_of(&o, &t[i].desc.digest) >= 1);
	ov_targets_free(t, n);
	close_bundle(&o);
}

TEST(nothing_signed)
{
	const char *spec[1];
	struct ov_bundle *b;
	struct ov_err e;

	spec[0] = testdata_path("layouts/unsigned");
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 0);
	ASSERT_INT_EQ(ov_bundle_nwarnings(b), 1);
	ASSERT_STR_HAS(ov_bundle_warning(b, 0), "unsigned:v1 has no signature");
	ASSERT_CODE(ov_bundle_write(b, tmp("none"), OV_BUNDLE_DIR, &e),
		    OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, "nothing to export");
	ASSERT(!exists(tmp("none")));
	ov_bundle_free(b);
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("none.tar"), OV_BUNDLE_TAR,
				     &e),
		    OV_E_NOTFOUND, &e);
	ASSERT(!exists(tmp("none.tar")));
}

/* The envelope blob of the only signature of the layout at dir. */
static void
envelope_path(const char *dir, char *p, size_t n)
{
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	struct ov_target t;
	struct ov_sigref *s = NULL;
	const struct ov_descriptor *env = NULL;
	struct ov_err e;
	size_t ns = 0;

	memset(&t, 0, sizeof(t));
	if (ov_dir_source_open(dir, &src, &e) != OV_OK ||
	    ov_layout_open(src, &l, &e) != OV_OK ||
	    ov_layout_resolve_tag(l, "v1", &t, &e) != OV_OK ||
	    ov_layout_signatures(l, &t.desc, 0, &s, &ns, NULL, &e) != OV_OK || ns != 1 ||
	    !ov_manifest_is_signature(s[0].m, &env)) {
		fprintf(stderr, "envelope_path: %s\n", e.msg);
		exit(99);
	}
	(void)snprintf(p, n, "%s/blobs/sha256/%s", dir,
		       ov_digest_hex(&env->digest));
	ov_sigrefs_free(s, ns);
	ov_target_clear(&t);
	ov_layout_free(l);
	ov_source_close(src);
}

/* A corrupt source blob fails the export, naming it; nothing is left. */
TEST(tampered_source)
{
	char dbuf[600];
	const char *dir =
	    copy_layout("layouts/jws", "tampered", dbuf, sizeof(dbuf));
	const char *spec[1];
	char env[700], hex[65];
	struct ov_err e;
	int fd;

	spec[0] = dir;
	envelope_path(dir, env, sizeof(env));
	memcpy(hex, strrchr(env, '/') + 1, 64);
	hex[64] = '\0';
	/* same size, one byte different */
	fd = open(env, O_WRONLY);
	ASSERT(fd >= 0);
	ASSERT(pwrite(fd, "X", 1, 10) == 1);
	close(fd);
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("t-out"), OV_BUNDLE_DIR, &e),
		    OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "tampered:v1: signature sha256:");
	ASSERT_STR_HAS(e.msg, hex);
	ASSERT_STR_HAS(e.msg, "content does not match its digest");
	ASSERT(!exists(tmp("t-out")));
	ASSERT_INT_EQ(count_prefixed(".t-out.tmp"), 0);
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("t-out.tar"), OV_BUNDLE_TAR,
				     &e),
		    OV_E_DIGEST, &e);
	ASSERT(!exists(tmp("t-out.tar")));
	ASSERT_INT_EQ(count_prefixed(".t-out.tar.tmp"), 0);

	/* a truncated image manifest is caught when planning */
	dir = copy_layout("layouts/jws", "tampered2", dbuf, sizeof(dbuf));
	spec[0] = dir;
	{
		struct ov_digest d;
		char p[700];
		digest_of_file("layouts/jws.digest", &d);
		(void)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", dir,
			       ov_digest_hex(&d));
		ASSERT(truncate(p, 10) == 0);
	}
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("t-out"), OV_BUNDLE_DIR, &e),
		    OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "tampered2:v1: ");
	ASSERT(!exists(tmp("t-out")));
}

TEST(output_rules)
{
	char dbuf[600];
	const char *src = copy_layout("layouts/jws", "src", dbuf, sizeof(dbuf));
	const char *spec[1];
	struct ov_err e;
	char p[700];
	FILE *f;

	spec[0] = src;
	/* a non-empty directory, a file, an existing tar */
	sh("mkdir -p '%s/sub'%s", tmp("full"), "");
	ASSERT_CODE(ov_bundle_check_output(tmp("full"), OV_BUNDLE_DIR, &e),
		    OV_E_USAGE, &e);
	ASSERT_STR_HAS(e.msg, "not empty");
	f = fopen(tmp("file"), "w");
	ASSERT(f != NULL);
	fclose(f);
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("file"), OV_BUNDLE_DIR, &e),
		    OV_E_USAGE, &e);
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("file"), OV_BUNDLE_TAR, &e),
		    OV_E_USAGE, &e);
	ASSERT_STR_HAS(e.msg, "already exists");
	ASSERT_CODE(ov_bundle_check_output(tmp("no/such/dir"), OV_BUNDLE_DIR,
					   &e),
		    OV_E_USAGE, &e);
	ASSERT_CODE(ov_bundle_check_output("", OV_BUNDLE_DIR, &e), OV_E_USAGE,
		    &e);
	/* an empty directory is filled, through a trailing slash too */
	sh("mkdir -p '%s'%s", tmp("empty"), "");
	(void)snprintf(p, sizeof(p), "%s/", tmp("empty"));
	ASSERT_OK(ov_bundle_export(spec, 1, p, OV_BUNDLE_DIR, &e), &e);
	ASSERT_INT_EQ(count_dir(tmp("empty")), 3);
	/* never inside a source */
	(void)snprintf(p, sizeof(p), "%s/bundle", src);
	ASSERT_CODE(ov_bundle_export(spec, 1, p, OV_BUNDLE_DIR, &e), OV_E_USAGE,
		    &e);
	ASSERT_STR_HAS(e.msg, "inside the source layout");
	ASSERT(!exists(p));
	(void)snprintf(p, sizeof(p), "%s/blobs/x.tar", src);
	ASSERT_CODE(ov_bundle_export(spec, 1, p, OV_BUNDLE_TAR, &e), OV_E_USAGE,
		    &e);
	ASSERT(!exists(p));
}

/* Every tag of an image is kept; a missing {} config is recreated. */
TEST(tags_and_empty_config)
{
	static char mt[] = OV_MT_OCI_MANIFEST, key[] = OV_ANN_REF_NAME,
		    latest[] = "latest";
	char dbuf[600];
	const char *dir =
	    copy_layout("layouts/jws", "tags", dbuf, sizeof(dbuf));
	const char *spec[1];
	struct ov_descriptor m;
	struct ov_annotation ann;
	struct ov_target t;
	struct opened o;
	struct ov_err e;
	char p[700];

	memset(&m, 0, sizeof(m));
	m.media_type = mt;
	digest_of_file("layouts/jws.digest", &m.digest);
	m.size = 691;
	ann.key = key;
	ann.value = latest;
	m.annotations = &ann;
	m.nannotations = 1;
	ASSERT_OK(ov_layout_dir_add_entry(dir, &m, &e), &e);
	(void)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", dir,
		       &OV_EMPTY_DIGEST[7]);
	ASSERT(unlink(p) == 0);
	spec[0] = dir;
	ASSERT_OK(ov_bundle_export(spec, 1, tmp("tags-out"), OV_BUNDLE_DIR, &e),
		  &e);
	ASSERT_OK(open_bundle(tmp("tags-out"), 0, &o, &e), &e);
	ASSERT_OK(ov_layout_resolve_tag(o.l, "v1", &t, &e), &e);
	ov_target_clear(&t);
	ASSERT_OK(ov_layout_resolve_tag(o.l, "latest", &t, &e), &e);
	ASSERT_INT_EQ(sigs_of(&o, &t.desc.digest), 1);
	ov_target_clear(&t);
	close_bundle(&o);
	(void)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", tmp("tags-out"),
		       &OV_EMPTY_DIGEST[7]);
	ASSERT(exists(p));
}

/* An index copied without one of its platforms still exports. */
TEST(missing_child)
{
	char dbuf[600];
	const char *dir =
	    copy_layout("layouts/index", "partial", dbuf, sizeof(dbuf));
	const char *spec[1];
	struct ov_bundle *b;
	struct ov_digest amd;
	struct ov_err e;
	char p[700], s[700];

	digest_of_file("layouts/index.amd64", &amd);
	(void)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", dir,
		       ov_digest_hex(&amd));
	ASSERT(unlink(p) == 0);
	(void)snprintf(s, sizeof(s), "%s:v1", dir);
	spec[0] = s;
	b = plan(spec, 1, &e);
	ASSERT(b != NULL);
	ASSERT_INT_EQ(ov_bundle_nimages(b), 1);
	ASSERT_INT_EQ(ov_bundle_image(b, 0)->nsignatures, 2);
	ASSERT_INT_EQ(ov_bundle_nwarnings(b), 1);
	ASSERT_STR_HAS(ov_bundle_warning(b, 0), "child manifest sha256:");
	ASSERT_STR_HAS(ov_bundle_warning(b, 0), "is not in the layout");
	ASSERT_OK(ov_bundle_write(b, tmp("partial-out"), OV_BUNDLE_DIR, &e),
		  &e);
	ov_bundle_free(b);
}

static void
put512(const char *dir, const char *data, struct ov_descriptor *d,
       const char *mt)
{
	char p[700];
	FILE *f;

	memset(d, 0, sizeof(*d));
	if (ov_digest_of(OV_DIGEST_SHA512, data, strlen(data), &d->digest,
			 NULL) != OV_OK)
		exit(99);
	d->size = (int64_t)strlen(data);
	d->media_type = strdup(mt);
	(void)snprintf(p, sizeof(p), "%s/blobs/sha512", dir);
	(void)mkdir(p, 0755);
	(void)snprintf(p, sizeof(p), "%s/blobs/sha512/%s", dir,
		       ov_digest_hex(&d->digest));
	if ((f = fopen(p, "w")) == NULL)
		exit(99);
	fputs(data, f);
	fclose(f);
}

/* sha512 blobs go under blobs/sha512/, in the directory and the tar. */
TEST(sha512)
{
	char dbuf[600];
	const char *dir = dbuf;
	const char *spec[1];
	struct ov_descriptor m, env, sm;
	struct opened o;
	struct ov_err e;
	char json[2048], *sig = NULL;

	(void)snprintf(dbuf, sizeof(dbuf), "%s", tmp("s512"));
	sh("rm -rf '%s'%s", dir, "");
	ASSERT_OK(ov_layout_dir_init(dir, &e), &e);
	(void)snprintf(
	    json, sizeof(json),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":2},\"layers\":[]}",
	    OV_MT_OCI_MANIFEST, OV_EMPTY_DIGEST);
	put512(dir, json, &m, OV_MT_OCI_MANIFEST);
	put512(dir, "{\"not\":\"an envelope\"}", &env, OV_MT_JWS);
	ASSERT_OK(ov_signature_manifest_json(OV_SHAPE_ARTIFACT_TYPE, &m, &env,
					     NULL, NULL, &sig, &e),
		  &e);
	put512(dir, sig, &sm, OV_MT_OCI_MANIFEST);
	free(sig);
	ASSERT_OK(ov_layout_dir_add_entry(dir, &m, &e), &e);
	ASSERT_OK(ov_layout_dir_add_entry(dir, &sm, &e), &e);
	spec[0] = dir;
	ASSERT_OK(ov_bundle_export(spec, 1, tmp("s512-out"), OV_BUNDLE_DIR, &e),
		  &e);
	ASSERT_OK(ov_bundle_export(spec, 1, tmp("s512-out.tar"), OV_BUNDLE_TAR,
				   &e),
		  &e);
	ASSERT_OK(open_bundle(tmp("s512-out"), 0, &o, &e), &e);
	ASSERT_INT_EQ(sigs_of(&o, &m.digest), 1);
	close_bundle(&o);
	ASSERT_OK(open_bundle(tmp("s512-out.tar"), 1, &o, &e), &e);
	ASSERT_INT_EQ(sigs_of(&o, &m.digest), 1);
	close_bundle(&o);
	ov_descriptor_clear(&m);
	ov_descriptor_clear(&env);
	ov_descriptor_clear(&sm);
}

TEST(bad_sources)
{
	const char *spec[1];
	struct ov_err e;

	spec[0] = testdata_path("layouts/nope");
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("x"), OV_BUNDLE_DIR, &e),
		    OV_E_NOTFOUND, &e);
	spec[0] = testdata_path("layouts/jws:nope");
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("x"), OV_BUNDLE_DIR, &e),
		    OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, "no image tagged \"nope\"");
	spec[0] = testdata_path("config");
	ASSERT_CODE(ov_bundle_export(spec, 1, tmp("x"), OV_BUNDLE_DIR, &e),
		    OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, "not an OCI image layout");
	ASSERT(!exists(tmp("x")));
}

/* The writer removes an unfinished output, and never replaces one that
 * appeared meanwhile. */
TEST(writer)
{
	struct ov_bundle_out *w = NULL;
	struct ov_err e;
	char out[600];
	FILE *f;

	(void)snprintf(out, sizeof(out), "%s", tmp("w-dir"));
	ASSERT_OK(ov_bundle_out_open(out, OV_BUNDLE_DIR, NULL, 0, &w, &e), &e);
	ASSERT_OK(ov_bundle_out_dir(w, "blobs", &e), &e);
	ASSERT_OK(ov_bundle_out_file(w, "blobs/x", "x", 1, &e), &e);
	ASSERT_CODE(ov_bundle_out_file(w, "blobs/x", "x", 1, &e), OV_E_IO, &e);
	ov_bundle_out_free(w);
	ASSERT(!exists(out));
	ASSERT_INT_EQ(count_prefixed(".w-dir.tmp"), 0);

	(void)snprintf(out, sizeof(out), "%s", tmp("w.tar"));
	ASSERT_OK(ov_bundle_out_open(out, OV_BUNDLE_TAR, NULL, 0, &w, &e), &e);
	ASSERT_OK(ov_bundle_out_file(w, "oci-layout", "{}", 2, &e), &e);
	f = fopen(out, "w");
	ASSERT(f != NULL);
	fclose(f);
	ASSERT_CODE(ov_bundle_out_commit(w, &e), OV_E_USAGE, &e);
	ASSERT_STR_HAS(e.msg, "already exists");
	ov_bundle_out_free(w);
	ASSERT_INT_EQ(count_prefixed(".w.tar.tmp"), 0);
	ASSERT(unlink(out) == 0);

	ASSERT_OK(ov_bundle_out_open(out, OV_BUNDLE_TAR, NULL, 0, &w, &e), &e);
	ASSERT_OK(ov_bundle_out_file(w, "oci-layout", "{}", 2, &e), &e);
	ASSERT_OK(ov_bundle_out_commit(w, &e), &e);
	ov_bundle_out_free(w);
	ASSERT(exists(out));
	ASSERT_INT_EQ(count_prefixed(".w.tar.tmp"), 0);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	(void)snprintf(root, sizeof(root), "%s/ovbundleXXXXXX",
		       t != NULL ? t : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	RUN(jws_to_dir);
	RUN(envelope_shapes);
	RUN(multi_skips_unsigned);
	RUN(index_and_children);
	RUN(referrers_tag);
	RUN(tar_output);
	RUN(nothing_signed);
	RUN(tampered_source);
	RUN(output_rules);
	RUN(tags_and_empty_config);
	RUN(missing_child);
	RUN(sha512);
	RUN(bad_sources);
	RUN(writer);
	sh("chmod -R u+w '%s'; rm -rf '%s'", root, root);
	return ov_test_done();
}
