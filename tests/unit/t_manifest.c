/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for descriptors, manifests, indexes and Notary payloads. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "manifest.h"

#define D1 "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
#define D2 "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b"

static enum ov_code
parse(const char *json, const char *mt, struct ov_manifest **m,
    struct ov_err *e)
{
	return ov_manifest_parse(json, strlen(json), mt, "doc", m, e);
}

TEST(image_manifest)
{
	struct ov_manifest *m = NULL;
	struct ov_err e;
	const char *j =
	    "{\"schemaVersion\":2,\"mediaType\":\"" OV_MT_OCI_MANIFEST "\","
	    "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" D1 "\",\"size\":2},"
	    "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" D2 "\",\"size\":10,"
	    "\"annotations\":{\"k\":\"v\"}}],"
	    "\"annotations\":{\"org.opencontainers.image.created\":\"x\"}}";

	ASSERT_OK(parse(j, OV_MT_OCI_MANIFEST, &m, &e), &e);
	ASSERT_INT_EQ(m->kind, OV_KIND_MANIFEST);
	ASSERT(m->has_config);
	ASSERT_STR_EQ(m->config.digest.str, D1);
	ASSERT_INT_EQ(m->nchildren, 1);
	ASSERT_INT_EQ(m->children[0].size, 10);
	ASSERT_STR_EQ(ov_annotation_get(m->children[0].annotations,
			  m->children[0].nannotations, "k"),
	    "v");
	ASSERT(!m->has_subject);
	ASSERT(!ov_manifest_is_signature(m, NULL));
	ASSERT_STR_EQ(ov_manifest_artifact_type(m),
	    "application/vnd.oci.image.config.v1+json");
	ov_manifest_free(m);
}

TEST(index_and_inference)
{
	struct ov_manifest *m = NULL;
	struct ov_err e;
	const char *j = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" OV_MT_OCI_MANIFEST
			"\",\"digest\":\"" D1 "\",\"size\":2,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}";

	/* no mediaType anywhere: inferred from the shape */
	ASSERT_OK(parse(j, NULL, &m, &e), &e);
	ASSERT_INT_EQ(m->kind, OV_KIND_INDEX);
	ASSERT_STR_EQ(m->media_type, OV_MT_OCI_INDEX);
	ASSERT_STR_EQ(m->children[0].platform, "linux/arm64/v8");
	ov_manifest_free(m);
	/* the descriptor's media type decides when the document has none */
	ASSERT_OK(parse(j, OV_MT_DOCKER_LIST, &m, &e), &e);
	ASSERT_INT_EQ(m->kind, OV_KIND_INDEX);
	ov_manifest_free(m);
}

TEST(media_type_mismatch)
{
	struct ov_manifest *m = NULL;
	struct ov_err e;
	const char *j = "{\"schemaVersion\":2,\"mediaType\":\"" OV_MT_OCI_INDEX
			"\",\"manifests\":[]}";

	ASSERT_CODE(parse(j, OV_MT_OCI_MANIFEST, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "differs from the descriptor");
	ASSERT(m == NULL);
	ASSERT_CODE(parse("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}",
			NULL, &m, &e),
	    OV_E_UNSUPPORTED, &e);
	ASSERT_CODE(parse("{\"schemaVersion\":1,\"manifests\":[]}", NULL, &m,
			&e),
	    OV_E_UNSUPPORTED, &e);
	ASSERT_CODE(parse("{\"manifests\":[]}", NULL, &m, &e), OV_E_FORMAT,
	    &e);
	ASSERT_CODE(parse("{\"schemaVersion\":2}", NULL, &m, &e), OV_E_FORMAT,
	    &e);
	ASSERT_CODE(parse("[]", NULL, &m, &e), OV_E_FORMAT, &e);
}

TEST(descriptor_rules)
{
	struct ov_manifest *m = NULL;
	struct ov_err e;
	char j[1024];
	static const char *const bad[] = {
	    /* missing size */
	    "{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\"}",
	    /* negative size */
	    "{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\",\"size\":-1}",
	    /* fractional size */
	    "{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\",\"size\":1.5}",
	    /* size as string */
	    "{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\",\"size\":\"2\"}",
	    /* bad media type */
	    "{\"mediaType\":\"nonsense\",\"digest\":\"" D1 "\",\"size\":2}",
	    /* uppercase digest */
	    "{\"mediaType\":\"a/b\",\"digest\":\"sha256:44136FA355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}",
	    /* path traversal in a digest */
	    "{\"mediaType\":\"a/b\",\"digest\":\"sha256:../../../etc/passwd\",\"size\":2}",
	    /* annotation value not a string */
	    "{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\",\"size\":2,\"annotations\":{\"k\":1}}",
	    /* duplicate member */
	    "{\"mediaType\":\"a/b\",\"mediaType\":\"c/d\",\"digest\":\"" D1 "\",\"size\":2}",
	    NULL};
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		(void)snprintf(j, sizeof(j),
		    "{\"schemaVersion\":2,\"manifests\":[%s]}", bad[i]);
		if (parse(j, NULL, &m, &e) == OV_OK) {
			ov_manifest_free(m);
			FAIL("bad descriptor %zu accepted: %s", i, bad[i]);
		}
	}
	/* blake3 is grammatical but cannot be verified */
	(void)snprintf(j, sizeof(j),
	    "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"blake3:%064d\",\"size\":2}]}",
	    0);
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_UNSUPPORTED, &e);
}

TEST(signature_shapes)
{
	struct ov_manifest *m = NULL;
	const struct ov_descriptor *env = NULL;
	struct ov_err e;
	const char *v2 =
	    "{\"schemaVersion\":2,\"mediaType\":\"" OV_MT_OCI_MANIFEST
	    "\",\"artifactType\":\"" OV_MT_NOTARY_SIGNATURE "\","
	    "\"config\":{\"mediaType\":\"" OV_MT_OCI_EMPTY "\",\"digest\":\"" D1 "\",\"size\":2},"
	    "\"layers\":[{\"mediaType\":\"application/jose+json\",\"digest\":\"" D2 "\",\"size\":99}],"
	    "\"subject\":{\"mediaType\":\"" OV_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":5}}";
	const char *v1 =
	    "{\"schemaVersion\":2,\"mediaType\":\"" OV_MT_OCI_MANIFEST "\","
	    "\"config\":{\"mediaType\":\"" OV_MT_NOTARY_SIGNATURE "\",\"digest\":\"" D1 "\",\"size\":2},"
	    "\"layers\":[{\"mediaType\":\"application/cose\",\"digest\":\"" D2 "\",\"size\":99},"
	    "{\"mediaType\":\"application/cose\",\"digest\":\"" D2 "\",\"size\":99}],"
	    "\"subject\":{\"mediaType\":\"" OV_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":5}}";
	const char *art =
	    "{\"mediaType\":\"" OV_MT_OCI_ARTIFACT "\",\"artifactType\":\"" OV_MT_NOTARY_SIGNATURE "\","
	    "\"blobs\":[{\"mediaType\":\"application/cose\",\"digest\":\"" D2 "\",\"size\":99}],"
	    "\"subject\":{\"mediaType\":\"" OV_MT_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":5}}";

	ASSERT_OK(parse(v2, NULL, &m, &e), &e);
	ASSERT(ov_manifest_is_signature(m, &env));
	ASSERT(env != NULL);
	ASSERT_STR_EQ(env->media_type, "application/jose+json");
	ASSERT(m->has_subject);
	ASSERT_INT_EQ(m->subject.size, 5);
	ov_manifest_free(m);
	/* two envelopes: a signature manifest, but no single envelope */
	ASSERT_OK(parse(v1, NULL, &m, &e), &e);
	ASSERT(ov_manifest_is_signature(m, &env));
	ASSERT(env == NULL);
	ov_manifest_free(m);
	ASSERT_OK(parse(art, NULL, &m, &e), &e);
	ASSERT_INT_EQ(m->kind, OV_KIND_ARTIFACT);
	ASSERT(ov_manifest_is_signature(m, &env));
	ASSERT(env != NULL);
	ov_manifest_free(m);
}

TEST(payload)
{
	struct ov_descriptor d;
	struct ov_err e;
	const char *ok = "{\"targetArtifact\":{\"annotations\":{\"buildId\":\"1\"},\"digest\":\"" D1
			 "\",\"mediaType\":\"" OV_MT_OCI_MANIFEST "\",\"size\":481}}";
	const char *dup = "{\"targetArtifact\":{\"digest\":\"" D1 "\",\"digest\":\"" D2
			  "\",\"mediaType\":\"" OV_MT_OCI_MANIFEST "\",\"size\":481}}";

	ASSERT_OK(ov_payload_parse(ok, strlen(ok), &d, &e), &e);
	ASSERT_STR_EQ(d.digest.str, D1);
	ASSERT_INT_EQ(d.size, 481);
	ASSERT_STR_EQ(ov_annotation_get(d.annotations, d.nannotations,
			  "buildId"),
	    "1");
	ov_descriptor_clear(&d);
	ASSERT_CODE(ov_payload_parse(dup, strlen(dup), &d, &e), OV_E_FORMAT,
	    &e);
	ASSERT_CODE(ov_payload_parse("{}", 2, &d, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_payload_parse("{\"TargetArtifact\":{}}", 20, &d, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_payload_parse("{\"targetArtifact\":{\"digest\":\"" D1 "\"}}",
			strlen("{\"targetArtifact\":{\"digest\":\"" D1 "\"}}"),
			&d, &e),
	    OV_E_FORMAT, &e);
}

/* Parse an index holding one descriptor; the message, or "" when it parsed. */
static const char *
index_with(const char *desc, struct ov_err *e)
{
	struct ov_manifest *m = NULL;
	char j[2048];

	(void)snprintf(j, sizeof(j), "{\"schemaVersion\":2,\"manifests\":[%s]}",
	    desc);
	if (parse(j, NULL, &m, e) != OV_OK)
		return e->msg;
	ov_manifest_free(m);
	e->code = OV_OK;
	e->msg[0] = '\0';
	return "";
}

#define DESC_HEAD "{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\",\"size\":2"

/*
 * Go's decoder reads a case variant of a member as the member itself: a
 * variant of any member the formats define is refused, read by ocivet or
 * not, alone or beside the member.
 */
TEST(case_variants)
{
	static const struct {
		const char *desc, *msg;
	} bad[] = {
	    {DESC_HEAD ",\"Digest\":\"" D2 "\"}",
		"members \"digest\" and \"Digest\" differ only in letter case"},
	    {DESC_HEAD ",\"dige\\u017ft\":\"" D2 "\"}",
		"members \"digest\" and \"dige\\u017ft\" differ"},
	    {"{\"mediaType\":\"a/b\",\"DIGEST\":\"" D1 "\",\"size\":2}",
		"doc: manifests[0]: member \"DIGEST\" differs from a known member only in letter case (\"digest\")"},
	    {"{\"mediaType\":\"a/b\",\"digest\":\"" D1 "\",\"\\u017fize\":2}",
		"member \"\\u017fize\" differs from a known member"},
	    {DESC_HEAD ",\"Annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}",
		"member \"Annotations\" differs from a known member only in letter case (\"annotations\")"},
	    {DESC_HEAD ",\"URLs\":[\"http://x\"]}", "member \"URLs\""},
	    {DESC_HEAD ",\"Data\":\"e30=\"}", "member \"Data\""},
	    {DESC_HEAD ",\"ArtifactType\":\"a/b\"}", "member \"ArtifactType\""},
	    {DESC_HEAD ",\"Platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}",
		"member \"Platform\""},
	    {DESC_HEAD ",\"platform\":{\"OS\":\"linux\",\"architecture\":\"amd64\"}}",
		"member \"OS\" differs from a known member only in letter case (\"os\")"},
	    {DESC_HEAD ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\",\"os.Version\":\"1\"}}",
		"member \"os.Version\""},
	    {DESC_HEAD ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\",\"Variant\":\"v8\"}}",
		"member \"Variant\""},
	    {NULL, NULL},
	};
	struct ov_manifest *m = NULL;
	struct ov_descriptor d;
	struct ov_err e;
	size_t i;
	const char *j;

	for (i = 0; bad[i].desc != NULL; i++) {
		const char *msg = index_with(bad[i].desc, &e);
		if (strstr(msg, bad[i].msg) == NULL)
			FAIL("descriptor %zu: got \"%s\", want \"%s\"", i, msg,
			    bad[i].msg);
		ASSERT_INT_EQ(e.code, OV_E_FORMAT);
	}
	/* annotations are a map: keys differing in case are two keys */
	ASSERT_STR_EQ(index_with(DESC_HEAD ",\"annotations\":{\"k\":\"1\",\"K\":\"2\"}}",
			  &e),
	    "");

	/* manifest and index members */
	j = "{\"schemaVersion\":2,\"Manifests\":[]}";
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg,
	    "doc: member \"Manifests\" differs from a known member only in letter case (\"manifests\")");
	j = "{\"schemaVersion\":2,\"manifests\":[],\"Manifests\":[]}";
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "members \"manifests\" and \"Manifests\"");
	j = "{\"schemaVersion\":2,\"config\":" DESC_HEAD "},\"layers\":[],"
	    "\"Subject\":" DESC_HEAD "}}";
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "member \"Subject\"");
	j = "{\"SchemaVersion\":2,\"config\":" DESC_HEAD "},\"layers\":[]}";
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "member \"SchemaVersion\"");
	j = "{\"schemaVersion\":2,\"config\":" DESC_HEAD "},\"layers\":[],"
	    "\"Layer\\u017f\":[]}";
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "members \"layers\" and \"Layer\\u017f\"");
	j = "{\"schemaVersion\":2,\"mediaType\":\"" OV_MT_OCI_MANIFEST
	    "\",\"config\":" DESC_HEAD "},\"layers\":[],\"mediatype\":\"x/y\"}";
	ASSERT_CODE(parse(j, NULL, &m, &e), OV_E_FORMAT, &e);
	/* the Notary payload */
	j = "{\"TargetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"" D1
	    "\",\"size\":2}}";
	ASSERT_CODE(ov_payload_parse(j, strlen(j), &d, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg,
	    "signature payload: member \"TargetArtifact\" differs from a known member only in letter case (\"targetArtifact\")");
	j = "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"" D1
	    "\",\"size\":2},\"targetartifact\":{}}";
	ASSERT_CODE(ov_payload_parse(j, strlen(j), &d, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "differ only in letter case");
	j = "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"" D1
	    "\",\"size\":2,\"\\u212a\":1,\"k\":2}}";
	ASSERT_CODE(ov_payload_parse(j, strlen(j), &d, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "members \"\\u212a\" and \"k\"");
	/* the image config: rootfs and diff_ids */
	j = "{\"RootFS\":{\"type\":\"layers\",\"diff_ids\":[]}}";
	{
		struct ov_digest *ids = NULL;
		size_t n = 0;

		ASSERT_CODE(ov_config_diff_ids(j, strlen(j), &ids, &n, &e),
		    OV_E_FORMAT, &e);
		ASSERT_STR_HAS(e.msg, "member \"RootFS\" differs");
		j = "{\"rootfs\":{\"type\":\"layers\",\"Diff_IDs\":[]}}";
		ASSERT_CODE(ov_config_diff_ids(j, strlen(j), &ids, &n, &e),
		    OV_E_FORMAT, &e);
		ASSERT_STR_HAS(e.msg, "member \"Diff_IDs\" differs");
	}
}

/*
 * descriptor.md "data": when present, RFC 4648 base64 of exactly the
 * content the digest and size name.
 */
TEST(descriptor_data)
{
	static const struct {
		const char *desc;
		enum ov_code code;
		const char *msg;
	} cases[] = {
	    /* "{}" (D1), and the empty blob */
	    {DESC_HEAD ",\"data\":\"e30=\"}", OV_OK, ""},
	    {"{\"mediaType\":\"a/b\",\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":0,\"data\":\"\"}",
		OV_OK, ""},
	    {"{\"mediaType\":\"a/b\",\"digest\":\"sha512:27c74670adb75075fad058d5ceaf7b20c4e7786c83bae8a32f626f9782af34c9a33c5e3d3cb8f2b7a0e5b8b4e5ee4b5b0d7df5d4d41d4f0bfd1b1bb4b1e4b3e5\",\"size\":2,\"data\":\"e30=\"}",
		OV_E_DIGEST, "data does not match the digest"},
	    /* other content of the same size */
	    {DESC_HEAD ",\"data\":\"W10=\"}", OV_E_DIGEST,
		"doc: manifests[0]: data does not match the digest (it hashes to sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945, not " D1 ")"},
	    /* right prefix, wrong length */
	    {DESC_HEAD ",\"data\":\"e30K\"}", OV_E_FORMAT,
		"doc: manifests[0]: data holds 3 bytes, but the descriptor's size is 2"},
	    {DESC_HEAD ",\"data\":\"ew==\"}", OV_E_FORMAT, "data holds 1 bytes"},
	    {DESC_HEAD ",\"data\":\"\"}", OV_E_FORMAT, "data holds 0 bytes"},
	    /* not RFC 4648 base64: unpadded, base64url, line breaks, spaces */
	    {DESC_HEAD ",\"data\":\"e30\"}", OV_E_FORMAT,
		"doc: manifests[0]: data: invalid base64 data"},
	    {DESC_HEAD ",\"data\":\"e3-=\"}", OV_E_FORMAT, "illegal base64"},
	    {DESC_HEAD ",\"data\":\"e3_=\"}", OV_E_FORMAT, "illegal base64"},
	    {DESC_HEAD ",\"data\":\"e3\\n0=\"}", OV_E_FORMAT, "data: "},
	    {DESC_HEAD ",\"data\":\"e3 0=\"}", OV_E_FORMAT, "data: "},
	    {DESC_HEAD ",\"data\":\"e30=\\n\"}", OV_E_FORMAT, "data: "},
	    {DESC_HEAD ",\"data\":\"e30===\"}", OV_E_FORMAT, "data: "},
	    /* not a string */
	    {DESC_HEAD ",\"data\":null}", OV_E_FORMAT,
		"member \"data\" must be a string"},
	    {DESC_HEAD ",\"data\":[123,125]}", OV_E_FORMAT, "must be a string"},
	    {NULL, OV_OK, NULL},
	};
	struct ov_descriptor d;
	struct ov_err e;
	size_t i;
	const char *j;

	for (i = 0; cases[i].desc != NULL; i++) {
		const char *msg = index_with(cases[i].desc, &e);
		if (cases[i].code == OV_OK) {
			if (*msg != '\0')
				FAIL("data case %zu: %s", i, msg);
			continue;
		}
		if (e.code != cases[i].code ||
		    strstr(msg, cases[i].msg) == NULL)
			FAIL("data case %zu: got %d \"%s\", want %d \"%s\"", i,
			    (int)e.code, msg, (int)cases[i].code,
			    cases[i].msg);
	}
	/* also in a payload's targetArtifact */
	j = "{\"targetArtifact\":{\"mediaType\":\"a/b\",\"digest\":\"" D1
	    "\",\"size\":2,\"data\":\"W10=\"}}";
	ASSERT_CODE(ov_payload_parse(j, strlen(j), &d, &e), OV_E_DIGEST, &e);
	ASSERT_STR_HAS(e.msg, "signature payload: targetArtifact: data");
}

TEST(descriptor_same_and_copy)
{
	struct ov_descriptor a, b;
	struct ov_err e;

	memset(&a, 0, sizeof(a));
	a.media_type = strdup(OV_MT_OCI_MANIFEST);
	ASSERT_OK(ov_digest_parse(D1, &a.digest, &e), &e);
	a.size = 2;
	a.platform = strdup("linux/amd64");
	ASSERT_OK(ov_descriptor_copy(&b, &a, &e), &e);
	ASSERT(ov_descriptor_same(&a, &b));
	b.size = 3;
	ASSERT(!ov_descriptor_same(&a, &b));
	b.size = 2;
	free(b.media_type);
	b.media_type = strdup(OV_MT_DOCKER_MANIFEST);
	ASSERT(!ov_descriptor_same(&a, &b));
	ov_descriptor_clear(&a);
	ov_descriptor_clear(&b);
}

TEST(diff_ids)
{
	struct ov_digest *d = NULL;
	size_t n = 0;
	struct ov_err e;
	const char *ok = "{\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\",\"" D2 "\"]}}";
	const char *bad = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:nope\"]}}";

	ASSERT_OK(ov_config_diff_ids(ok, strlen(ok), &d, &n, &e), &e);
	ASSERT_INT_EQ(n, 2);
	ASSERT_STR_EQ(d[1].str, D2);
	free(d);
	ASSERT_CODE(ov_config_diff_ids(bad, strlen(bad), &d, &n, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "diff_ids[0]");
	ASSERT_CODE(ov_config_diff_ids("{}", 2, &d, &n, &e), OV_E_FORMAT, &e);
}

int
main(void)
{
	RUN(image_manifest);
	RUN(index_and_inference);
	RUN(media_type_mismatch);
	RUN(descriptor_rules);
	RUN(signature_shapes);
	RUN(payload);
	RUN(case_variants);
	RUN(descriptor_data);
	RUN(descriptor_same_and_copy);
	RUN(diff_ids);
	return ov_test_done();
}
