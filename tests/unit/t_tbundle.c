/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust bundles: the manifest's rules, and bundles/microsoft against the
 * real Microsoft signature in ../shared/vectors (skipped when absent):
 * it verifies through its timestamp today and after its leaf expired,
 * and not without the tsa stores.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#include "buf.h"
#include "manifest.h"
#include "policy.h"
#include "result.h"
#include "tbundle.h"
#include "timeutil.h"
#include "verify.h"

#define HEX "d2bc571eab25f613c07411acedc405858c8371d66b192f6d079e6d72dfb74913"

static enum ov_code
parse(const char *files, struct ov_tbundle_manifest **m, struct ov_err *e)
{
	char doc[4096];

	snprintf(doc, sizeof(doc),
	    "{\"ocivetTrustBundle\":1,\"name\":\"t\",\"created\":"
	    "\"2026-01-01T00:00:00Z\",\"files\":[%s]}",
	    files);
	return ov_tbundle_manifest_parse(doc, strlen(doc), "m", m, e);
}

TEST(manifest_good)
{
	struct ov_tbundle_manifest *m = NULL;
	struct ov_err e;
	char *json = NULL;

	ASSERT_OK(parse("{\"path\":\"b/c\",\"size\":1,\"sha256\":\"" HEX "\"},"
			"{\"path\":\"a\",\"size\":0,\"sha256\":\"" HEX "\"}",
		      &m, &e),
	    &e);
	ASSERT_INT_EQ(m->nfiles, 2);
	ASSERT_STR_EQ(m->files[0].path, "a"); /* sorted */
	ASSERT_OK(ov_tbundle_manifest_json(m, &json, &e), &e);
	ov_tbundle_manifest_free(m);
	m = NULL;
	ASSERT_OK(ov_tbundle_manifest_parse(json, strlen(json), "again", &m,
		      &e),
	    &e);
	ASSERT_INT_EQ(m->nfiles, 2);
	free(json);
	ov_tbundle_manifest_free(m);
}

TEST(manifest_bad)
{
	static const struct {
		const char *files, *msg;
	} bad[] = {
	    {"{\"path\":\"../x\",\"size\":1,\"sha256\":\"" HEX "\"}", "not a relative path"},
	    {"{\"path\":\"/x\",\"size\":1,\"sha256\":\"" HEX "\"}", "not a relative path"},
	    {"{\"path\":\"a//b\",\"size\":1,\"sha256\":\"" HEX "\"}", "not a relative path"},
	    {"{\"path\":\"a/./b\",\"size\":1,\"sha256\":\"" HEX "\"}", "not a relative path"},
	    {"{\"path\":\"a\\\\b\",\"size\":1,\"sha256\":\"" HEX "\"}", "not a relative path"},
	    {"{\"path\":\"ocivet-trust.json\",\"size\":1,\"sha256\":\"" HEX "\"}", "names the manifest"},
	    {"{\"path\":\"a\",\"size\":1,\"sha256\":\"" HEX "\"},{\"path\":\"a\",\"size\":1,\"sha256\":\"" HEX "\"}", "listed twice"},
	    {"{\"path\":\"a\",\"size\":1,\"sha256\":\"D2BC\"}", "64 lower-case hex"},
	    {"{\"path\":\"a\",\"size\":-1,\"sha256\":\"" HEX "\"}", "size"},
	    {"{\"path\":\"a\",\"size\":1,\"sha256\":\"" HEX "\",\"mode\":1}", "mode"},
	    {"{\"path\":\"a\",\"Size\":1,\"sha256\":\"" HEX "\"}", "ize"},
	};
	static const char v2[] =
	    "{\"ocivetTrustBundle\":2,\"name\":\"t\",\"created\":"
	    "\"2026-01-01T00:00:00Z\",\"files\":[]}";
	static const char upper[] =
	    "{\"ocivetTrustBundle\":1,\"name\":\"T\",\"created\":"
	    "\"2026-01-01T00:00:00Z\",\"files\":[]}";
	struct ov_tbundle_manifest *m = NULL;
	struct ov_err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT(parse(bad[i].files, &m, &e) != OV_OK);
		ASSERT(m == NULL);
		ASSERT_STR_HAS(e.msg, bad[i].msg);
	}
	ASSERT(ov_tbundle_manifest_parse(v2, strlen(v2), "m", &m, &e) != OV_OK);
	ASSERT_STR_HAS(e.msg, "not supported");
	ASSERT(ov_tbundle_manifest_parse(upper, strlen(upper), "m", &m, &e) !=
	    OV_OK);
	ASSERT_STR_HAS(e.msg, "name must be");
	ASSERT(!ov_tbundle_name_valid("-x"));
	ASSERT(ov_tbundle_name_valid("microsoft"));
}

/* Verify the ESRP envelope with the policy and store at time `at`. */
static void
esrp(const char *policy, const char *store, const char *at,
    struct ov_sig_result *s, enum ov_code *code)
{
	struct ov_verify_config cfg;
	struct ov_verifier *v = NULL;
	struct ov_descriptor target;
	struct ov_buf env;
	struct ov_err e;

	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = policy;
	cfg.truststore_dir = store;
	ASSERT_OK(ov_time_parse(at, &cfg.now, NULL, &e), &e);
	ASSERT_OK(ov_verifier_new(&cfg, &v, &e), &e);
	memset(&target, 0, sizeof(target));
	target.media_type =
	    strdup("application/vnd.docker.distribution.manifest.v2+json");
	ASSERT_OK(ov_digest_parse("sha256:89f106fed9c3730a240d512e771243b93e5decd73b9c1958ec40657f8cf4a336",
		      &target.digest, &e),
	    &e);
	target.size = 1962;
	read_file_or_die(vectors_path("microsoft/esrp-cose-signature.sig"),
	    &env);
	memset(s, 0, sizeof(*s));
	*code = ov_verify_envelope(v,
	    ov_policy_select(ov_verifier_policy(v), NULL), &target,
	    "application/cose", env.data, env.len, s, &e);
	ov_buf_free(&env);
	ov_descriptor_clear(&target);
	ov_verifier_free(v);
}

TEST(microsoft_bundle_esrp)
{
	static const char *const when[] = {"2025-06-01T00:00:00Z",
		"2026-12-06T00:00:00Z", "2027-06-01T00:00:00Z"};
	struct ov_sig_result s;
	enum ov_code code;
	char policy[4096], store[4096];
	size_t i;

	if (vectors_path("microsoft/esrp-cose-signature.sig") == NULL) {
		fprintf(stderr, "microsoft_bundle_esrp: no vectors, skipped\n");
		return;
	}
	snprintf(policy, sizeof(policy), "%s",
	    testdata_path("../bundles/microsoft/trustpolicy.oci.json"));
	snprintf(store, sizeof(store), "%s",
	    testdata_path("../bundles/microsoft/truststore"));
	for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		esrp(policy, store, when[i], &s, &code);
		ASSERT_INT_EQ(code, OV_OK);
		ASSERT(s.verified);
		ASSERT_STR_HAS(s.time_basis, "RFC 3161 timestamp");
		ASSERT_STR_HAS(s.tsa_subject, "Microsoft");
		/* no CRLs: both chains' status unknown, logged */
		ASSERT_INT_EQ(s.checks[OV_CHECK_AUTHENTIC_TIMESTAMP].outcome,
		    OV_OUTCOME_LOGGED);
		ASSERT_STR_HAS(s.checks[OV_CHECK_AUTHENTIC_TIMESTAMP].message,
		    "timestamping certificate chain: no usable CRL");
		ASSERT_INT_EQ(s.checks[OV_CHECK_REVOCATION].outcome,
		    OV_OUTCOME_LOGGED);
		ov_sig_result_clear(&s);
	}
}

/* The same policy without its tsa stores: the expired leaf fails. */
TEST(microsoft_bundle_esrp_no_tsa)
{
	static const char nots[] =
	    "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"microsoft\","
	    "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":"
	    "\"strict\",\"verifyTimestamp\":\"always\",\"override\":{"
	    "\"authenticTimestamp\":\"log\",\"revocation\":\"log\"}},"
	    "\"trustStores\":[\"ca:microsoft-supply-chain\"],"
	    "\"trustedIdentities\":[\"x509.subject: CN=Microsoft SCD Products "
	    "RSA Signing,O=Microsoft Corporation,L=Redmond,ST=Washington,"
	    "C=US\"]}]}";
	struct ov_sig_result s;
	enum ov_code code;
	char policy[64], store[4096];
	FILE *f;

	if (vectors_path("microsoft/esrp-cose-signature.sig") == NULL)
		return;
	snprintf(policy, sizeof(policy), "t_tbundle.%ld.json", (long)getpid());
	ASSERT((f = fopen(policy, "w")) != NULL);
	ASSERT(fwrite(nots, 1, sizeof(nots) - 1, f) == sizeof(nots) - 1);
	ASSERT(fclose(f) == 0);
	snprintf(store, sizeof(store), "%s",
	    testdata_path("../bundles/microsoft/truststore"));
	esrp(policy, store, "2025-06-01T00:00:00Z", &s, &code);
	remove(policy);
	ASSERT_INT_EQ(code, OV_OK);
	ASSERT(!s.verified);
	ASSERT_INT_EQ(s.checks[OV_CHECK_AUTHENTIC_TIMESTAMP].outcome,
	    OV_OUTCOME_FAILED);
	ASSERT_STR_HAS(s.checks[OV_CHECK_AUTHENTIC_TIMESTAMP].message,
	    "expired");
	ov_sig_result_clear(&s);
}

int
main(void)
{
	RUN(manifest_good);
	RUN(manifest_bad);
	RUN(microsoft_bundle_esrp);
	RUN(microsoft_bundle_esrp_no_tsa);
	return ov_test_done();
}
