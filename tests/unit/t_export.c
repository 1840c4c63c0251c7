/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The spool and export (issue 15): blobs are captured as they are
 * hashed, committed only under their digest, copied out hashed again; an
 * export is written from the captured bytes, so a source changed after
 * it was verified does not change the export.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "bundle.h"
#include "digest.h"
#include "export.h"
#include "harness.h"
#include "layout.h"
#include "manifest.h"
#include "ovlimits.h"
#include "source.h"
#include "spool.h"

static char scratch[] = "/tmp/t_export.XXXXXX";

static const char *
tmp(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	(void)snprintf(buf[k], sizeof(buf[k]), "%s/%s", scratch, name);
	return buf[k];
}

TEST(spool_put_read)
{
	struct ov_spool *s = NULL;
	struct ov_digest d, other;
	struct ov_err err;
	unsigned char *data = NULL;
	size_t len = 0;
	int64_t size;

	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "hello", 5, &d, &err), &err);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "other", 5, &other, &err),
	    &err);
	ASSERT(!ov_spool_has(s, &d));
	/* the content must hash to the digest it is put under */
	ASSERT_CODE(ov_spool_put(s, &d, "hellO", 5, &err), OV_E_DIGEST, &err);
	ASSERT(!ov_spool_has(s, &d));
	ASSERT_OK(ov_spool_put(s, &d, "hello", 5, &err), &err);
	ASSERT(ov_spool_has(s, &d));
	ASSERT_OK(ov_spool_size(s, &d, &size, &err), &err);
	ASSERT_INT_EQ(size, 5);
	ASSERT_OK(ov_spool_read(s, &d, 100, &data, &len, &err), &err);
	ASSERT_INT_EQ(len, 5);
	ASSERT_MEM_EQ(data, "hello", 5);
	free(data);
	ASSERT_CODE(ov_spool_read(s, &d, 4, &data, &len, &err), OV_E_LIMIT,
	    &err);
	ASSERT_CODE(ov_spool_size(s, &other, &size, &err), OV_E_NOTFOUND,
	    &err);
	ov_spool_free(s);
}

TEST(spool_writer_rules)
{
	struct ov_spool *s = NULL;
	struct ov_spool_writer w, w2;
	struct ov_digest d, wrong;
	struct ov_err err;
	unsigned char *data = NULL;
	size_t len = 0;

	ASSERT_OK(ov_spool_new(scratch, 16, &s, &err), &err);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "abcd", 4, &d, &err), &err);
	/* more than reserved */
	ASSERT_OK(ov_spool_begin(s, &d, 4, &w, &err), &err);
	ASSERT_CODE(ov_spool_write(&w, "abcde", 5, &err), OV_E_INTERNAL,
	    &err);
	ASSERT_CODE(ov_spool_commit(&w, &d, &err), OV_E_INTERNAL, &err);
	ASSERT(!ov_spool_has(s, &d));
	/* less than reserved */
	ASSERT_OK(ov_spool_begin(s, &d, 4, &w, &err), &err);
	ASSERT_OK(ov_spool_write(&w, "abc", 3, &err), &err);
	ASSERT_CODE(ov_spool_commit(&w, &d, &err), OV_E_INTERNAL, &err);
	ASSERT(!ov_spool_has(s, &d));
	/* past max (16 bytes; the failed captures gave theirs back) */
	ASSERT_CODE(ov_spool_begin(s, &d, 17, &w, &err), OV_E_LIMIT, &err);
	ASSERT_OK(ov_spool_begin(s, &d, 12, &w, &err), &err);
	ASSERT_CODE(ov_spool_begin(s, &d, 5, &w2, &err), OV_E_LIMIT, &err);
	ov_spool_discard(&w);
	ASSERT_OK(ov_spool_begin(s, &d, 16, &w2, &err), &err);
	ov_spool_discard(&w2);
	/* a blob committed under a digest it does not have (a caller's
	 * bug) is caught when copied out */
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "wxyz", 4, &wrong, &err),
	    &err);
	ASSERT_OK(ov_spool_begin(s, &wrong, 4, &w, &err), &err);
	ASSERT_OK(ov_spool_write(&w, "abcd", 4, &err), &err);
	ASSERT_OK(ov_spool_commit(&w, &wrong, &err), &err);
	ASSERT_CODE(ov_spool_read(s, &wrong, 100, &data, &len, &err),
	    OV_E_DIGEST, &err);
	ASSERT(data == NULL);
	ov_spool_free(s);
}

/* An archive's blobs are captured in its one pass. */
TEST(archive_capture)
{
	struct ov_archive_opts opts;
	struct ov_archive *a = NULL;
	struct ov_spool *s = NULL;
	struct ov_err err;
	unsigned char *data = NULL;
	size_t i, len, nblobs = 0;

	memset(&opts, 0, sizeof(opts));
	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	opts.spool = s;
	ASSERT_OK(ov_archive_read(testdata_path("archives/jws.tar"), &opts,
		      &a, &err),
	    &err);
	for (i = 0; i < ov_archive_count(a); i++) {
		const struct ov_archive_entry *e = ov_archive_entry(a, i);
		if (!e->has_named)
			continue;
		nblobs++;
		ASSERT(ov_spool_has(s, &e->named));
		if (e->data == NULL)
			continue;
		ASSERT_OK(ov_spool_read(s, &e->named, OV_MAX_MANIFEST, &data,
			      &len, &err),
		    &err);
		ASSERT_INT_EQ(len, e->size);
		ASSERT_MEM_EQ(data, e->data, len);
		free(data);
	}
	ASSERT(nblobs > 3);
	ov_archive_free(a);
	ov_spool_free(s);
}

/*
 * Verified from a directory, then changed on disk (same name, same size,
 * other bytes) before the export is written: the export holds the bytes
 * that were verified, and verifies; the source no longer does.
 */
TEST(changed_after_verify)
{
	struct ov_archive_opts opts;
	struct ov_source *src = NULL, *outsrc = NULL, *src2 = NULL;
	struct ov_layout *l = NULL, *ol = NULL;
	struct ov_target *t = NULL, *ot = NULL;
	struct ov_sigref *sigs = NULL;
	struct ov_spool *s = NULL;
	struct ov_export *x = NULL;
	struct ov_bundle_out *w = NULL;
	const struct ov_manifest *m;
	const struct ov_descriptor *envd;
	struct ov_buf b;
	struct ov_err err;
	size_t n = 0, on = 0, ns = 0, i;
	char cmd[1200], layer[600];
	int fd;

	(void)snprintf(cmd, sizeof(cmd), "cp -R '%s' '%s'",
	    testdata_path("layouts/jws"), tmp("src"));
	ASSERT_INT_EQ(system(cmd), 0);
	memset(&opts, 0, sizeof(opts));
	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	opts.spool = s;
	ASSERT_OK(ov_input_open(tmp("src"), &opts, &src, NULL, &err), &err);
	ASSERT_OK(ov_layout_open(src, &l, &err), &err);
	ASSERT_OK(ov_layout_images(l, &t, &n, &err), &err);
	ASSERT_INT_EQ(n, 1);
	/* what verify reads: the tree, the signature manifests, envelopes */
	ASSERT_OK(ov_layout_check_tree(l, &t[0].desc, &err), &err);
	ASSERT_OK(ov_layout_signatures(l, &t[0].desc, 0, &sigs, &ns, NULL,
		      &err),
	    &err);
	ASSERT(ns >= 1);
	ASSERT_OK(ov_export_new(s, &x, &err), &err);
	ASSERT_OK(ov_export_add_image(x, &t[0].desc.digest,
		      t[0].desc.media_type, t[0].tag, t[0].name, &err),
	    &err);
	for (i = 0; i < ns; i++) {
		ASSERT(sigs[i].m != NULL &&
		    ov_manifest_is_signature(sigs[i].m, &envd));
		ov_buf_init(&b, OV_MAX_ENVELOPE);
		ASSERT_OK(ov_layout_read_blob(l, envd, &b, &err), &err);
		ov_buf_free(&b);
		ASSERT_OK(ov_export_add_signature(x, &sigs[i].desc.digest,
			      &err),
		    &err);
	}
	/* now the layer changes on disk */
	m = ov_layout_manifest(l, &t[0].desc.digest);
	ASSERT(m != NULL && m->nchildren > 0);
	(void)snprintf(layer, sizeof(layer), "%s/blobs/sha256/%s", tmp("src"),
	    ov_digest_hex(&m->children[0].digest));
	ASSERT((fd = open(layer, O_WRONLY)) >= 0);
	ASSERT_INT_EQ(pwrite(fd, "X", 1, 0), 1);
	close(fd);
	ASSERT_OK(ov_source_open(tmp("src"), &src2, &err), &err);
	ASSERT_CODE(src2->ops->check_blob(src2, &m->children[0].digest,
			m->children[0].size, &err),
	    OV_E_DIGEST, &err);
	ov_source_close(src2);

	ASSERT_OK(ov_bundle_out_open(tmp("out.tar"), OV_BUNDLE_TAR, NULL, 0,
		      &w, &err),
	    &err);
	ASSERT_OK(ov_export_write(x, OV_EXPORT_OCI, w, &err), &err);
	ASSERT_OK(ov_bundle_out_commit(w, &err), &err);
	/* the export holds the verified bytes */
	ASSERT_OK(ov_input_open(tmp("out.tar"), NULL, &outsrc, NULL, &err),
	    &err);
	ASSERT_OK(ov_layout_open(outsrc, &ol, &err), &err);
	ASSERT_OK(ov_layout_images(ol, &ot, &on, &err), &err);
	ASSERT_INT_EQ(on, 1);
	ASSERT_STR_EQ(ot[0].desc.digest.str, t[0].desc.digest.str);
	ASSERT_OK(ov_layout_check_tree(ol, &ot[0].desc, &err), &err);

	ov_targets_free(ot, on);
	ov_layout_free(ol);
	ov_source_close(outsrc);
	ov_bundle_out_free(w);
	ov_export_free(x);
	ov_sigrefs_free(sigs, ns);
	ov_targets_free(t, n);
	ov_layout_free(l);
	ov_source_close(src);
	ov_spool_free(s);
}

/* A blob that was never read is not exported. */
TEST(uncaptured_refused)
{
	struct ov_spool *s = NULL;
	struct ov_export *x = NULL;
	struct ov_bundle_out *w = NULL;
	struct ov_digest d;
	struct ov_err err;

	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "m", 1, &d, &err), &err);
	ASSERT_OK(ov_export_new(s, &x, &err), &err);
	ASSERT_OK(ov_export_add_image(x, &d, OV_MT_OCI_MANIFEST, "v1", NULL,
		      &err),
	    &err);
	ASSERT_OK(ov_bundle_out_open(tmp("none.tar"), OV_BUNDLE_TAR, NULL, 0,
		      &w, &err),
	    &err);
	ASSERT_CODE(ov_export_write(x, OV_EXPORT_OCI, w, &err), OV_E_NOTFOUND,
	    &err);
	ASSERT_STR_HAS(err.msg, "was not read while verifying");
	ov_bundle_out_free(w);
	ASSERT(access(tmp("none.tar"), F_OK) != 0);
	ov_export_free(x);
	ov_spool_free(s);
}

/* An image manifest with config digest cfg and one layer, in the spool. */
static void
put_manifest(struct ov_spool *s, const char *cfg, struct ov_digest *d)
{
	char m[1024];
	struct ov_err err;

	(void)snprintf(m, sizeof(m),
	    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:%064d\",\"size\":1}]}",
	    OV_MT_OCI_MANIFEST, cfg, 1);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, m, strlen(m), d, &err), &err);
	ASSERT_OK(ov_spool_put(s, d, m, strlen(m), &err), &err);
}

/*
 * A docker save image bound to a signed manifest: the signed manifest
 * goes to the bundle, written without its config or layers (neither was
 * captured); one with another config is refused.
 */
TEST(bound_image)
{
	struct ov_spool *s = NULL;
	struct ov_export *x = NULL, *b = NULL;
	struct ov_bundle_out *w = NULL;
	struct ov_digest img, sig, other;
	struct ov_err err;
	const char *c1 =
	    "sha256:1111111111111111111111111111111111111111111111111111111111111111";
	const char *c2 =
	    "sha256:2222222222222222222222222222222222222222222222222222222222222222";
	int here = -1;

	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	put_manifest(s, c1, &img);
	/* the signed one differs in its layer's size: another digest */
	{
		char m[1024];
		(void)snprintf(m, sizeof(m),
		    "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:%064d\",\"size\":7}]}",
		    OV_MT_OCI_MANIFEST, c1, 2);
		ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, m, strlen(m), &sig,
			      &err),
		    &err);
		ASSERT_OK(ov_spool_put(s, &sig, m, strlen(m), &err), &err);
	}
	put_manifest(s, c2, &other);
	ASSERT_OK(ov_export_new(s, &x, &err), &err);
	ASSERT_OK(ov_export_new_bundle(s, &b, &err), &err);
	ASSERT_CODE(ov_export_add_bound_image(x, b, &img, OV_MT_OCI_MANIFEST,
			"v1", NULL, &other, &here, &err),
	    OV_E_UNSUPPORTED, &err);
	ASSERT_STR_HAS(err.msg, "another config");
	ASSERT_INT_EQ(ov_export_nimages(b), 0);
	ASSERT_OK(ov_export_add_bound_image(x, b, &img, OV_MT_OCI_MANIFEST,
		      "v1", NULL, &sig, &here, &err),
	    &err);
	ASSERT_INT_EQ(here, 0);
	ASSERT_INT_EQ(ov_export_nimages(x), 1);
	ASSERT_INT_EQ(ov_export_nimages(b), 1);
	ASSERT_OK(ov_bundle_out_open(tmp("sigs.tar"), OV_BUNDLE_TAR, NULL, 0,
		      &w, &err),
	    &err);
	ASSERT_OK(ov_export_write(b, OV_EXPORT_DOCKER, w, &err), &err);
	ASSERT_OK(ov_bundle_out_commit(w, &err), &err);
	ov_bundle_out_free(w);
	ov_export_free(b);
	ov_export_free(x);
	ov_spool_free(s);
}

/*
 * A copy that is not committed, or is a second copy of a blob already
 * captured, gives its space back: a spool of 8 bytes holds one 4-byte
 * blob however many times it is captured.
 */
TEST(spool_discard)
{
	struct ov_spool *s = NULL;
	struct ov_spool_writer w;
	struct ov_digest d;
	struct ov_err err;
	int i;

	ASSERT_OK(ov_spool_new(scratch, 8, &s, &err), &err);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "abcd", 4, &d, &err), &err);
	ASSERT_OK(ov_spool_put(s, &d, "abcd", 4, &err), &err);
	for (i = 0; i < 3; i++) {
		/* captured without knowing its digest: a duplicate */
		ASSERT_OK(ov_spool_begin(s, NULL, 4, &w, &err), &err);
		ASSERT_OK(ov_spool_write(&w, "abcd", 4, &err), &err);
		ASSERT_OK(ov_spool_commit(&w, &d, &err), &err);
		/* captured, then not committed (its digest did not match) */
		ASSERT_OK(ov_spool_begin(s, NULL, 4, &w, &err), &err);
		ASSERT_OK(ov_spool_write(&w, "wxyz", 4, &err), &err);
		ov_spool_discard(&w);
		ASSERT(w.s == NULL);
		ov_spool_discard(&w); /* no-op */
	}
	ASSERT(ov_spool_has(s, &d));
	ov_spool_free(s);
}

#define CLASSIC_CONFIG                                                       \
	"sha256:2871a0d906db47d26a413aeba15b10fe845dc510ade3fe46103cdb0690f6dd58"
#define CLASSIC_L1                                                           \
	"sha256:bd9a631c3133acba2f6fa67a654031e2dc5f0fd769815bbf66a6c60ba2c610e7"
#define CLASSIC_L2                                                           \
	"sha256:5032ba0849b7c96010220d90e2face110cc080edb03552355c365c3bc2df0c5a"
/* the manifest Docker 25 saved for the same image (docker/save-oci.tar) */
#define DOCKER25_MANIFEST                                                    \
	"sha256:ec132849e25a2aafaaf465e8eb5d6294f040f803cc1c8e37c7ca54e4cf2e143c"

static void
read_into(struct ov_spool *s, const char *path)
{
	struct ov_archive_opts opts;
	struct ov_archive *a = NULL;
	struct ov_err err;

	memset(&opts, 0, sizeof(opts));
	opts.spool = s;
	ASSERT_OK(ov_archive_read(testdata_path(path), &opts, &a, &err), &err);
	ov_archive_free(a);
}

static void
parse(const char *str, struct ov_digest *d)
{
	struct ov_err err;

	ASSERT_OK(ov_digest_parse(str, d, &err), &err);
}

/*
 * A classic docker save: its config and layer tars are captured in the
 * one pass, by the SHA-256 they hash to, and nothing else is (the spool
 * holds exactly their 225 + 2 * 10240 bytes: not manifest.json,
 * repositories, <id>/json or VERSION).
 */
TEST(classic_capture)
{
	struct ov_spool *s = NULL;
	struct ov_digest d;
	struct ov_err err;
	int64_t size;

	ASSERT_OK(ov_spool_new(scratch, 225 + 2 * 10240, &s, &err), &err);
	read_into(s, "docker/save-classic.tar");
	parse(CLASSIC_CONFIG, &d);
	ASSERT_OK(ov_spool_size(s, &d, &size, &err), &err);
	ASSERT_INT_EQ(size, 225);
	parse(CLASSIC_L1, &d);
	ASSERT_OK(ov_spool_size(s, &d, &size, &err), &err);
	ASSERT_INT_EQ(size, 10240);
	parse(CLASSIC_L2, &d);
	ASSERT(ov_spool_has(s, &d));
	ov_spool_free(s);
}

/*
 * A classic save exports as Docker 25 saves it: the generated manifest is
 * the one Docker 25 wrote for the image, byte for byte, bound to the
 * signed registry manifest (in the bundle) through its config.
 */
TEST(classic_export)
{
	struct ov_spool *s = NULL;
	struct ov_export *x = NULL, *b = NULL;
	struct ov_bundle_out *w = NULL;
	struct ov_digest cfg, sig, m;
	struct ov_err err;
	unsigned char *data = NULL;
	size_t len = 0;

	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	read_into(s, "docker/save-classic.tar");
	read_into(s, "docker/registry.tar");
	parse(CLASSIC_CONFIG, &cfg);
	parse("sha256:d706bbdf13c54ea5361b15b8da208f13444b5e78b5754b6a899232896a7c3a67",
	    &sig);
	ASSERT_OK(ov_export_new(s, &x, &err), &err);
	ASSERT_OK(ov_export_new_bundle(s, &b, &err), &err);
	ASSERT_OK(ov_export_add_docker_image(x, b, &cfg,
		      "registry.example/docker/app:v1", &sig, &err),
	    &err);
	ASSERT_INT_EQ(ov_export_nimages(x), 1);
	ASSERT_INT_EQ(ov_export_nimages(b), 1);
	parse(DOCKER25_MANIFEST, &m);
	ASSERT_OK(ov_spool_read(s, &m, OV_MAX_MANIFEST, &data, &len, &err),
	    &err);
	ASSERT_STR_HAS((char *)data, "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" CLASSIC_L1 "\",\"size\":10240}");
	free(data);
	ASSERT_OK(ov_bundle_out_open(tmp("classic.tar"), OV_BUNDLE_TAR, NULL,
		      0, &w, &err),
	    &err);
	ASSERT_OK(ov_export_write(x, OV_EXPORT_DOCKER, w, &err), &err);
	ASSERT_OK(ov_bundle_out_commit(w, &err), &err);
	ov_bundle_out_free(w);
	ov_export_free(b);
	ov_export_free(x);
	ov_spool_free(s);
}

/*
 * A classic save whose second layer tar was replaced: nothing hashes to
 * that diff_id, so no manifest is generated and nothing exported, even
 * were the verdict ignored.
 */
TEST(classic_tampered)
{
	struct ov_spool *s = NULL;
	struct ov_export *x = NULL, *b = NULL;
	struct ov_digest cfg, sig, d;
	struct ov_err err;

	ASSERT_OK(ov_spool_new(scratch, 0, &s, &err), &err);
	read_into(s, "docker/save-tampered.tar");
	read_into(s, "docker/registry.tar");
	parse(CLASSIC_CONFIG, &cfg);
	parse(CLASSIC_L2, &d);
	ASSERT(!ov_spool_has(s, &d));
	parse("sha256:d706bbdf13c54ea5361b15b8da208f13444b5e78b5754b6a899232896a7c3a67",
	    &sig);
	ASSERT_OK(ov_export_new(s, &x, &err), &err);
	ASSERT_OK(ov_export_new_bundle(s, &b, &err), &err);
	ASSERT_CODE(ov_export_add_docker_image(x, b, &cfg,
			"registry.example/docker/app:v1", &sig, &err),
	    OV_E_UNSUPPORTED, &err);
	ASSERT_STR_HAS(err.msg, "rootfs.diff_ids[1] " CLASSIC_L2);
	ASSERT_INT_EQ(ov_export_nimages(x), 0);
	ASSERT_INT_EQ(ov_export_nimages(b), 0);
	parse(DOCKER25_MANIFEST, &d);
	ASSERT(!ov_spool_has(s, &d));
	ov_export_free(b);
	ov_export_free(x);
	ov_spool_free(s);
}

int
main(void)
{
	char cmd[600];
	int rc;

	if (mkdtemp(scratch) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	RUN(spool_put_read);
	RUN(spool_writer_rules);
	RUN(archive_capture);
	RUN(changed_after_verify);
	RUN(uncaptured_refused);
	RUN(bound_image);
	RUN(spool_discard);
	RUN(classic_capture);
	RUN(classic_export);
	RUN(classic_tampered);
	rc = ov_test_done();
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	(void)system(cmd);
	return rc;
}
