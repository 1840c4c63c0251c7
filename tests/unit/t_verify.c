/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for verification and the JSON report, on the committed
 * fixtures (testdata/layouts, testdata/config): per-level outcomes of
 * each check, exit statuses, scope derivation, and the JSON report field
 * by field.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "harness.h"
#include "report.h"
#include "timeutil.h"
#include "verify.h"

#define AT "2026-01-01T00:00:00Z"

/* Verify SOURCE (relative to testdata/) with config testdata/config/NAME. */
static struct ov_report *
run(const char *config, const char *source, const char *scope)
{
	struct ov_verify_config cfg;
	struct ov_verifier *v = NULL;
	struct ov_report *rep;
	struct ov_err e;
	char pol[4096], store[4096], src[4096];
	int64_t now;

	/* config/<name>/trustpolicy.oci.json and its truststore */
	{
		char rel[256];
		(void)snprintf(rel, sizeof(rel), "config/%s/trustpolicy.oci.json",
		    config);
		(void)snprintf(pol, sizeof(pol), "%s", testdata_path(rel));
		(void)snprintf(rel, sizeof(rel), "config/%s/truststore", config);
		(void)snprintf(store, sizeof(store), "%s", testdata_path(rel));
	}
	(void)snprintf(src, sizeof(src), "%s", testdata_path(source));
	if (ov_time_parse(AT, &now, NULL, &e) != OV_OK)
		return NULL;
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = pol;
	cfg.truststore_dir = store;
	cfg.now = now;
	if (ov_verifier_new(&cfg, &v, &e) != OV_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return NULL;
	}
	rep = ov_report_new(now);
	if (ov_verify_source(v, src, scope, rep, &e) != OV_OK) {
		fprintf(stderr, "%s\n", e.msg);
		ov_report_free(rep);
		rep = NULL;
	}
	ov_verifier_free(v);
	return rep;
}

/* The outcome of check c of the first signature; -1 when there is none. */
static int
outcome(const struct ov_report *r, enum ov_check c)
{
	if (r == NULL || r->n == 0 || r->results[0].nsigs == 0)
		return -1;
	return (int)r->results[0].sigs[0].checks[c].outcome;
}

TEST(good)
{
	struct ov_report *r = run("strict", "layouts/jws:v1", NULL);
	const struct ov_image_result *img;

	ASSERT(r != NULL);
	ASSERT_INT_EQ(r->n, 1);
	img = &r->results[0];
	ASSERT(img->verified);
	ASSERT_INT_EQ(img->nsigs, 1);
	ASSERT(img->sigs[0].verified);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_INTEGRITY), OV_OUTCOME_PASSED);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTICITY), OV_OUTCOME_PASSED);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTIC_TIMESTAMP),
	    OV_OUTCOME_PASSED);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_EXPIRY), OV_OUTCOME_PASSED);
	/* no certificate of the chain names a CRL or OCSP responder */
	ASSERT_INT_EQ(outcome(r, OV_CHECK_REVOCATION), OV_OUTCOME_PASSED);
	ASSERT(img->sigs[0].checks[OV_CHECK_INTEGRITY].message == NULL);
	ASSERT_STR_EQ(img->trust_policy, "strict");
	ASSERT_STR_EQ(img->level, "strict");
	ASSERT_INT_EQ(img->sigs[0].nchain, 3);
	ASSERT_INT_EQ(ov_report_exit_status(r), 0);
	ov_report_free(r);
}

TEST(expiry_by_level)
{
	struct ov_report *r;

	r = run("strict", "layouts/expired-sig:v1", NULL);
	ASSERT(r != NULL && !r->results[0].verified);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_EXPIRY), OV_OUTCOME_FAILED);
	/* after an enforced failure the rest is not evaluated */
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTIC_TIMESTAMP),
	    OV_OUTCOME_SKIPPED);
	ASSERT_INT_EQ(r->results[0].code, OV_E_EXPIRED);
	ASSERT_INT_EQ(ov_report_exit_status(r), 1);
	ov_report_free(r);

	r = run("permissive", "layouts/expired-sig:v1", NULL);
	ASSERT(r != NULL && r->results[0].verified);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_EXPIRY), OV_OUTCOME_LOGGED);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTIC_TIMESTAMP),
	    OV_OUTCOME_PASSED);
	ASSERT_INT_EQ(r->results[0].nwarnings, 1);
	ASSERT_STR_HAS(r->results[0].warnings[0],
	    "expiry was set to \"log\"");
	ov_report_free(r);

	/* strict with an override for expiry */
	r = run("custom", "layouts/expired-sig:v1", NULL);
	ASSERT(r != NULL && r->results[0].verified);
	ASSERT_STR_EQ(r->results[0].level, "custom");
	ASSERT_INT_EQ(outcome(r, OV_CHECK_EXPIRY), OV_OUTCOME_LOGGED);
	ov_report_free(r);
}

TEST(authenticity_by_level)
{
	struct ov_report *r;

	r = run("permissive", "layouts/untrusted:v1", NULL);
	ASSERT(r != NULL && !r->results[0].verified);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTICITY), OV_OUTCOME_FAILED);
	ASSERT_INT_EQ(r->results[0].code, OV_E_CHAIN);
	ov_report_free(r);

	r = run("audit", "layouts/untrusted:v1", NULL);
	ASSERT(r != NULL && r->results[0].verified);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTICITY), OV_OUTCOME_LOGGED);
	ov_report_free(r);

	r = run("identity-other", "layouts/jws:v1", NULL);
	ASSERT(r != NULL && !r->results[0].verified);
	ASSERT_INT_EQ(outcome(r, OV_CHECK_AUTHENTICITY), OV_OUTCOME_FAILED);
	ASSERT_INT_EQ(r->results[0].code, OV_E_POLICY);
	ov_report_free(r);
}

TEST(integrity_never_relaxed)
{
	static const char *const bad[] = {"layouts/wrong-eku:v1",
	    "layouts/alg-mismatch:v1", "layouts/alg-none:v1",
	    "layouts/unknown-crit:v1", "layouts/plugin:v1",
	    "layouts/dup-keys:v1", "layouts/replayed:v1",
	    "layouts/corrupt-envelope:v1", NULL};
	struct ov_report *r;
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		r = run("audit", bad[i], NULL);
		ASSERT(r != NULL);
		if (r->results[0].verified)
			FAIL("%s verified at level audit", bad[i]);
		ASSERT_INT_EQ(outcome(r, OV_CHECK_INTEGRITY),
		    OV_OUTCOME_FAILED);
		ov_report_free(r);
	}
}

TEST(blobs_decide_even_under_audit)
{
	static const char *const bad[] = {"layouts/tampered-layer:v1",
	    "layouts/missing-layer:v1", "layouts/truncated-layer:v1",
	    "layouts/tampered-config:v1", NULL};
	struct ov_report *r;
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		r = run("audit", bad[i], NULL);
		ASSERT(r != NULL);
		if (r->results[0].verified)
			FAIL("%s verified", bad[i]);
		/* the signature itself is fine */
		ASSERT(r->results[0].nsigs == 1 && r->results[0].sigs[0].verified);
		ASSERT(r->results[0].code == OV_E_DIGEST ||
		    r->results[0].code == OV_E_NOTFOUND);
		ov_report_free(r);
	}
	r = run("skip", "layouts/tampered-layer:v1", NULL);
	ASSERT(r != NULL && !r->results[0].verified && !r->results[0].skipped);
	ov_report_free(r);
	r = run("skip", "layouts/unsigned:v1", NULL);
	ASSERT(r != NULL && r->results[0].skipped && !r->results[0].verified);
	ASSERT_INT_EQ(r->results[0].nsigs, 0);
	ASSERT_INT_EQ(ov_report_exit_status(r), 0);
	ov_report_free(r);
}

TEST(operational_errors)
{
	struct ov_report *r;

	r = run("missing-store", "layouts/jws:v1", NULL);
	ASSERT(r != NULL && !r->results[0].verified);
	ASSERT(r->results[0].operational);
	ASSERT_INT_EQ(r->results[0].code, OV_E_CONFIG);
	ASSERT_INT_EQ(ov_report_exit_status(r), 2);
	ov_report_free(r);
	r = run("strict", "layouts/does-not-exist", NULL);
	ASSERT(r != NULL && r->results[0].operational);
	ASSERT_INT_EQ(ov_report_exit_status(r), 2);
	ov_report_free(r);
	r = run("strict", "layouts/jws:v1", "Not/A/Scope");
	ASSERT(r != NULL && r->results[0].operational);
	ov_report_free(r);
	/* a broken layout is a verdict, not a usage error */
	r = run("strict", "layouts/bad-index", NULL);
	ASSERT(r != NULL && !r->results[0].operational);
	ASSERT_INT_EQ(ov_report_exit_status(r), 1);
	ov_report_free(r);
}

TEST(scopes)
{
	struct ov_report *r;
	char *s;

	s = ov_scope_from_name("docker.io/library/alpine:3.20");
	ASSERT_STR_EQ(s, "docker.io/library/alpine");
	free(s);
	s = ov_scope_from_name("localhost:5000/app@sha256:0123");
	ASSERT_STR_EQ(s, "localhost:5000/app");
	free(s);
	s = ov_scope_from_name("localhost:5000/app");
	ASSERT_STR_EQ(s, "localhost:5000/app");
	free(s);
	ASSERT(ov_scope_from_name("v1") == NULL);
	ASSERT(ov_scope_from_name("Registry/App:v1") == NULL);

	r = run("scoped", "layouts/named:v1", NULL);
	ASSERT(r != NULL && r->results[0].verified);
	ASSERT_STR_EQ(r->results[0].scope, "registry.example/app");
	ASSERT_STR_EQ(r->results[0].scope_origin, "io.containerd.image.name");
	ov_report_free(r);
	r = run("scoped", "layouts/jws:v1", NULL);
	ASSERT(r != NULL && !r->results[0].verified);
	ASSERT(r->results[0].trust_policy == NULL);
	ASSERT_INT_EQ(r->results[0].code, OV_E_POLICY);
	ov_report_free(r);
	r = run("scoped", "layouts/jws:v1", "registry.example/other");
	ASSERT(r != NULL && r->results[0].verified);
	ASSERT_STR_EQ(r->results[0].scope_origin, "--scope");
	ov_report_free(r);
}

/* The JSON report, field by field, as ocivet-verify(1) documents it. */
static int
is(const cJSON *o, const char *k, int type)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (v == NULL)
		return 0;
	switch (type) {
	case 's':
		return cJSON_IsString(v);
	case 'S':
		return cJSON_IsString(v) || cJSON_IsNull(v);
	case 'b':
		return cJSON_IsBool(v);
	case 'a':
		return cJSON_IsArray(v);
	case 'o':
		return cJSON_IsObject(v);
	case 'O':
		return cJSON_IsObject(v) || cJSON_IsNull(v);
	}
	return 0;
}

TEST(json_report)
{
	struct ov_report *r = run("permissive", "layouts/expired-sig", NULL);
	struct ov_buf b;
	struct ov_err e;
	cJSON *root, *res, *sig, *chain, *checks;
	static const char *const names[] = {"integrity", "authenticity",
	    "authenticTimestamp", "expiry", "revocation", NULL};
	size_t i;

	ASSERT(r != NULL);
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_report_json(r, "9.9.9", &b, &e), &e);
	ov_report_free(r);
	root = cJSON_Parse((char *)b.data);
	ov_buf_free(&b);
	ASSERT(root != NULL);
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(root, "ocivet_version")
			  ->valuestring,
	    "9.9.9");
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(root, "verified_at")
			  ->valuestring,
	    AT);
	ASSERT(is(root, "results", 'a') && is(root, "passed_signed_images", 'a') &&
	    is(root, "failed_signed_images", 'a') &&
	    is(root, "skipped_images", 'a'));
	res = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root,
				     "results"),
	    0);
	ASSERT(is(res, "source", 's') && is(res, "reference", 's') &&
	    is(res, "digest", 's') && is(res, "media_type", 's') &&
	    is(res, "scope", 'S') && is(res, "scope_origin", 'S') &&
	    is(res, "trust_policy", 's') && is(res, "level", 's') &&
	    is(res, "verified", 'b') && is(res, "skipped", 'b') &&
	    is(res, "error", 'S') && is(res, "error_code", 'S') &&
	    is(res, "warnings", 'a') && is(res, "signatures", 'a'));
	ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "verified")));
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(res, "reference")
			  ->valuestring,
	    testdata_path("layouts/expired-sig:v1"));
	sig = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res,
				     "signatures"),
	    0);
	ASSERT(is(sig, "digest", 's') && is(sig, "media_type", 's') &&
	    is(sig, "signing_scheme", 's') &&
	    is(sig, "signature_algorithm", 's') && is(sig, "signed_at", 's') &&
	    is(sig, "expires_at", 's') && is(sig, "signing_agent", 'S') &&
	    is(sig, "timestamp", 'O') && is(sig, "time_basis", 'S') &&
	    is(sig, "certificate_chain", 'a') && is(sig, "checks", 'o') &&
	    is(sig, "check_details", 'o') && is(sig, "verified", 'b') &&
	    is(sig, "error_code", 'S') && is(sig, "errors", 'a'));
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(sig, "expires_at")
			  ->valuestring,
	    "2025-09-01T00:00:00Z");
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(sig, "signing_scheme")
			  ->valuestring,
	    "notary.x509");
	chain = cJSON_GetObjectItemCaseSensitive(sig, "certificate_chain");
	ASSERT_INT_EQ(cJSON_GetArraySize(chain), 3);
	ASSERT(is(cJSON_GetArrayItem(chain, 0), "subject", 's') &&
	    is(cJSON_GetArrayItem(chain, 0), "issuer", 's') &&
	    is(cJSON_GetArrayItem(chain, 0), "sha256", 's') &&
	    is(cJSON_GetArrayItem(chain, 0), "not_before", 's') &&
	    is(cJSON_GetArrayItem(chain, 0), "not_after", 's'));
	checks = cJSON_GetObjectItemCaseSensitive(sig, "checks");
	for (i = 0; names[i] != NULL; i++)
		ASSERT(is(checks, names[i], 's'));
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(checks, "expiry")
			  ->valuestring,
	    "logged");
	ASSERT_STR_EQ(cJSON_GetObjectItemCaseSensitive(checks, "integrity")
			  ->valuestring,
	    "passed");
	ASSERT_INT_EQ(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root,
			  "passed_signed_images")),
	    1);
	cJSON_Delete(root);
}

int
main(void)
{
	RUN(good);
	RUN(expiry_by_level);
	RUN(authenticity_by_level);
	RUN(integrity_never_relaxed);
	RUN(blobs_decide_even_under_audit);
	RUN(operational_errors);
	RUN(scopes);
	RUN(json_report);
	return ov_test_done();
}
