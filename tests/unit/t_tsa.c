/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tsa: RFC 3161 timestamp tokens (spec digest D.3, C.3). Local fixtures
 * come from testdata/tsa (gen.sh: a test TSA PKI and tokens made by
 * `openssl ts` / `openssl cms`); the upstream vectors (tspclient-go,
 * notation-go, notation-e2e, a Microsoft ESRP envelope) are used when
 * present and skipped otherwise.
 */
#include "config.h"

#include <stdlib.h>

#include <cjson/cJSON.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "envelope.h"
#include "harness.h"
#include "timeutil.h"
#include "tsa.h"
#include "x509.h"

#define MSG "testdata/tsa message\n"

#define TSA_SUBJECT "CN=Ocivet Test TSA,O=Ocivet Test,L=Seattle,ST=WA,C=US"

/* --- helpers ---------------------------------------------------------- */

static STACK_OF(X509) *
certs_at(const char *path)
{
	STACK_OF(X509) *certs = NULL;
	struct ov_buf b;
	struct ov_err err;

	read_file_or_die(path, &b);
	if (ov_x509_load_certs(b.data, b.len, path, NULL, &certs, &err) != OV_OK) {
		fprintf(stderr, "cannot load %s: %s\n", path, err.msg);
		exit(99);
	}
	ov_buf_free(&b);
	return certs;
}

static STACK_OF(X509) *
fixture_roots(const char *name)
{
	char rel[256];

	(void)snprintf(rel, sizeof(rel), "tsa/%s", name);
	return certs_at(testdata_path(rel));
}

static void
fixture(const char *name, struct ov_buf *b)
{
	char rel[256];

	(void)snprintf(rel, sizeof(rel), "tsa/%s", name);
	read_file_or_die(testdata_path(rel), b);
}

static void
free_certs(STACK_OF(X509) *certs)
{
	sk_X509_pop_free(certs, X509_free);
}

static const char *
fmt_time(int64_t t, char *buf)
{
	return ov_time_format(t, buf);
}

/* Verify a local fixture token over MSG against a local root file. */
static enum ov_code
verify_fixture(const char *token, const char *roots_file,
	       struct ov_tsa_result *res, struct ov_err *err)
{
	STACK_OF(X509) *roots = fixture_roots(roots_file);
	struct ov_buf b;
	enum ov_code r;

	fixture(token, &b);
	r = ov_tsa_verify(b.data, b.len, (const unsigned char *)MSG,
			  strlen(MSG), roots, res, err);
	ov_buf_free(&b);
	free_certs(roots);
	return r;
}

/* Expect token (a fixture) to fail with code and a message holding want. */
static int
fixture_fails(const char *token, const char *roots_file, enum ov_code code,
	      const char *want)
{
	struct ov_tsa_result res;
	struct ov_err err;
	enum ov_code r;

	r = verify_fixture(token, roots_file, &res, &err);
	if (r != code || strstr(err.msg, want) == NULL) {
		fprintf(stderr, "%s: got %s \"%s\", want %s \"...%s...\"\n",
			token, ov_code_name(r), r == OV_OK ? "" : err.msg,
			ov_code_name(code), want);
		ov_tsa_result_clear(&res);
		return 0;
	}
	return 1;
}

/* --- local fixtures --------------------------------------------------- */

TEST(valid_token)
{
	struct ov_tsa_result res;
	struct ov_err err;
	char a[OV_TIME_STR_MAX];

	ASSERT_OK(verify_fixture("good.tst", "root.pem", &res, &err), &err);
	ASSERT_STR_EQ(res.tsa_subject, TSA_SUBJECT);
	ASSERT_STR_EQ(fmt_time(res.gen_time, a), "2025-06-01T00:00:00Z");
	ASSERT_INT_EQ(res.gen_nsec, 0);
	/* no accuracy, policy not the ETSI baseline: exact */
	ASSERT_INT_EQ(res.accuracy_ms, 0);
	ASSERT_INT_EQ(res.lower, res.gen_time);
	ASSERT_INT_EQ(res.upper, res.gen_time);
	ASSERT_STR_EQ(res.imprint_alg, "sha256");
	ASSERT_INT_EQ(res.imprint_len, 32);
	/* leaf, intermediate (from the token), root (from roots) */
	ASSERT_INT_EQ(sk_X509_num(res.chain), 3);
	ov_tsa_result_clear(&res);
	ov_tsa_result_clear(&res); /* idempotent */
}

TEST(valid_sha512_ecdsa_pss)
{
	struct ov_tsa_result res;
	struct ov_err err;

	/* SHA-512 imprint, ESSCertIDv2 with SHA-512, SHA-512 signature */
	ASSERT_OK(verify_fixture("sha512.tst", "root.pem", &res, &err), &err);
	ASSERT_STR_EQ(res.imprint_alg, "sha512");
	ov_tsa_result_clear(&res);
	/* ECDSA P-256 TSA key */
	ASSERT_OK(verify_fixture("ecdsa.tst", "root.pem", &res, &err), &err);
	ov_tsa_result_clear(&res);
	/* RSA-PSS signature (openssl cms, salt length = hash length) */
	ASSERT_OK(verify_fixture("pss.tst", "root.pem", &res, &err), &err);
	ov_tsa_result_clear(&res);
}

TEST(wrong_message)
{
	STACK_OF(X509) *roots = fixture_roots("root.pem");
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf b;

	fixture("good.tst", &b);
	ASSERT_CODE(ov_tsa_verify(b.data, b.len, (const unsigned char *)"x", 1,
				  roots, &res, &err),
		    OV_E_TIMESTAMP, &err);
	ASSERT_STR_HAS(err.msg, "mismatched message");
	ASSERT_INT_EQ(ERR_peek_error(), 0); /* no OpenSSL errors left */
	/* the empty message is a message too */
	ASSERT_CODE(ov_tsa_verify(b.data, b.len, NULL, 0, roots, &res, &err),
		    OV_E_TIMESTAMP, &err);
	ASSERT_STR_HAS(err.msg, "mismatched message");
	ov_buf_free(&b);
	free_certs(roots);
}

TEST(untrusted_root)
{
	STACK_OF(X509) *none = sk_X509_new_null();
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf b;

	/* a good token, but only the other PKI's root is trusted */
	ASSERT(fixture_fails("good.tst", "other-root.pem", OV_E_TIMESTAMP,
			     "TSA certificate \"" TSA_SUBJECT
			     "\": certificate signed by unknown authority"));
	/* the other TSA's token passes against its own root only */
	ASSERT_OK(verify_fixture("untrusted.tst", "other-root.pem", &res, &err),
		  &err);
	ov_tsa_result_clear(&res);
	ASSERT(fixture_fails(
	    "untrusted.tst", "root.pem", OV_E_TIMESTAMP,
	    "\"CN=Ocivet Other TSA,O=Ocivet Test,L=Seattle,ST=WA,C=US\": certificate signed by unknown authority"));
	/* an intermediate is no trust anchor (no partial chains) */
	ASSERT(fixture_fails("good.tst", "int.pem", OV_E_TIMESTAMP,
			     "certificate signed by unknown authority"));
	/* no roots at all */
	fixture("good.tst", &b);
	ASSERT_CODE(ov_tsa_verify(b.data, b.len, (const unsigned char *)MSG,
				  strlen(MSG), none, &res, &err),
		    OV_E_TIMESTAMP, &err);
	ASSERT_STR_HAS(err.msg, "no trusted TSA root certificate");
	ASSERT_CODE(ov_tsa_verify(b.data, b.len, (const unsigned char *)MSG,
				  strlen(MSG), NULL, &res, &err),
		    OV_E_TIMESTAMP, &err);
	ov_buf_free(&b);
	sk_X509_free(none);
}

TEST(eku_rules)
{
	/* RFC 3161 2.3: EKU present, critical, timeStamping only */
	ASSERT(
	    fixture_fails("noeku.tst", "root.pem", OV_E_TIMESTAMP,
			  "must have and only have ExtKeyUsageTimeStamping"));
	ASSERT(fixture_fails("noncritical-eku.tst", "root.pem", OV_E_TIMESTAMP,
			     "must be set as critical"));
	ASSERT(
	    fixture_fails("extra-eku.tst", "root.pem", OV_E_TIMESTAMP,
			  "must have and only have ExtKeyUsageTimeStamping"));
}

TEST(chain_time)
{
	/* the TSA certificate had expired before genTime */
	ASSERT(fixture_fails("expired-tsa.tst", "root.pem", OV_E_TIMESTAMP,
			     "expired at 2025-05-01T00:00:00Z"));
	/* signing-time attribute (2036) after the TSA certificate expired */
	ASSERT(fixture_fails("signing-time.tst", "root.pem", OV_E_TIMESTAMP,
			     "signing-time signed attribute"));
}

TEST(cms_layouts)
{
	struct ov_tsa_result res;
	struct ov_err err;

	/* the TSTInfo re-signed by openssl cms -cades: still a token */
	ASSERT_OK(verify_fixture("cms.tst", "root.pem", &res, &err), &err);
	ASSERT_STR_EQ(res.tsa_subject, TSA_SUBJECT);
	ov_tsa_result_clear(&res);
	/* SignerInfo version 3 (subjectKeyIdentifier): not a token we read */
	ASSERT(fixture_fails("keyid.tst", "root.pem", OV_E_FORMAT,
			     "not a CMS ContentInfo"));
}

TEST(ess_rules)
{
	struct ov_tsa_result res;
	struct ov_err err;

	/* ESS signing-certificate (v1) alone is not enough */
	ASSERT(fixture_fails("ess-v1.tst", "root.pem", OV_E_TIMESTAMP,
			     "attribute not found"));
	/* ESS v2 with a SHA-384 certificate hash passes */
	ASSERT_OK(verify_fixture("ess-sha384.tst", "root.pem", &res, &err),
		  &err);
	ov_tsa_result_clear(&res);
}

TEST(accuracy)
{
	struct ov_tsa_result res;
	struct ov_err err;
	char a[OV_TIME_STR_MAX];

	/* genTime 00:00:00.25, accuracy 1 s 500 ms 100 us */
	ASSERT_OK(verify_fixture("accuracy.tst", "root.pem", &res, &err), &err);
	ASSERT_STR_EQ(fmt_time(res.gen_time, a), "2025-06-01T00:00:00Z");
	ASSERT_INT_EQ(res.gen_nsec, 250000000);
	ASSERT_INT_EQ(res.accuracy_us, 1500100);
	ASSERT_INT_EQ(res.accuracy_ms, 1501);
	/* [23:59:58.7499, 00:00:01.7501] widened to whole seconds */
	ASSERT_STR_EQ(fmt_time(res.lower, a), "2025-05-31T23:59:58Z");
	ASSERT_STR_EQ(fmt_time(res.upper, a), "2025-06-01T00:00:02Z");
	ov_tsa_result_clear(&res);

	/* ETSI baseline policy 0.4.0.2023.1.1 without accuracy: 1 s */
	ASSERT_OK(verify_fixture("baseline.tst", "root.pem", &res, &err), &err);
	ASSERT_INT_EQ(res.accuracy_ms, 1000);
	ASSERT_INT_EQ(res.lower, res.gen_time - 1);
	ASSERT_INT_EQ(res.upper, res.gen_time + 1);
	ov_tsa_result_clear(&res);
}

TEST(gen_time_fraction)
{
	struct ov_tsa_result res;
	struct ov_err err;
	char a[OV_TIME_STR_MAX];

	/* genTime 00:00:00.5, accuracy 600 ms: [23:59:59.9, 00:00:01.1] */
	ASSERT_OK(verify_fixture("frac.tst", "root.pem", &res, &err), &err);
	ASSERT_STR_EQ(fmt_time(res.gen_time, a), "2025-06-01T00:00:00Z");
	ASSERT_INT_EQ(res.gen_nsec, 500000000);
	ASSERT_INT_EQ(res.accuracy_ms, 600);
	ASSERT_STR_EQ(fmt_time(res.lower, a), "2025-05-31T23:59:59Z");
	ASSERT_STR_EQ(fmt_time(res.upper, a), "2025-06-01T00:00:02Z");
	ov_tsa_result_clear(&res);
	/* a TSA certificate whose notAfter is genTime's whole second: valid
	 * at 00:00:00 (notAfter is inclusive), expired at 00:00:00.5 */
	ASSERT_OK(verify_fixture("edge-whole.tst", "root.pem", &res, &err),
		  &err);
	ov_tsa_result_clear(&res);
	ASSERT(
	    fixture_fails("edge-frac.tst", "root.pem", OV_E_TIMESTAMP,
			  "expired at 2025-06-01T00:00:00Z, before genTime"));
	/* DER GeneralizedTime only: no trailing zero, no zone offset */
	ASSERT(fixture_fails("gentime-zero.tst", "root.pem", OV_E_FORMAT,
			     "genTime is not a valid GeneralizedTime"));
	ASSERT(fixture_fails("gentime-offset.tst", "root.pem", OV_E_FORMAT,
			     "genTime is not a valid GeneralizedTime"));
	/* accuracy fields out of range */
	ASSERT(fixture_fails("accuracy-millis.tst", "root.pem", OV_E_FORMAT,
			     "accuracy millis or micros above 999"));
	ASSERT(fixture_fails("accuracy-huge.tst", "root.pem", OV_E_LIMIT,
			     "more than the limit of 86400"));
}

TEST(parse_only)
{
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf b;
	char a[OV_TIME_STR_MAX];

	fixture("accuracy.tst", &b);
	ASSERT_OK(ov_tsa_parse(b.data, b.len, &res, &err), &err);
	ASSERT_STR_EQ(fmt_time(res.gen_time, a), "2025-06-01T00:00:00Z");
	ASSERT_INT_EQ(res.accuracy_ms, 1501);
	ASSERT_STR_EQ(res.tsa_subject, TSA_SUBJECT);
	/* the token's own certificates: leaf and intermediate */
	ASSERT_INT_EQ(sk_X509_num(res.chain), 2);
	ov_tsa_result_clear(&res);
	ov_buf_free(&b);

	/* an untrusted token still parses */
	fixture("untrusted.tst", &b);
	ASSERT_OK(ov_tsa_parse(b.data, b.len, &res, &err), &err);
	ASSERT_STR_HAS(res.tsa_subject, "CN=Ocivet Other TSA");
	ov_tsa_result_clear(&res);
	ov_buf_free(&b);

	ASSERT_CODE(ov_tsa_parse((const unsigned char *)"\x30\x00", 2, &res,
				 &err),
		    OV_E_FORMAT, &err);
	ASSERT_CODE(ov_tsa_parse(NULL, 0, &res, &err), OV_E_FORMAT, &err);
}

TEST(verify_imprint)
{
	STACK_OF(X509) *roots = fixture_roots("root.pem");
	struct ov_tsa_result res, p;
	struct ov_err err;
	struct ov_buf b;
	unsigned char h[32];

	fixture("good.tst", &b);
	ASSERT_OK(ov_tsa_parse(b.data, b.len, &p, &err), &err);
	ASSERT_OK(ov_tsa_verify_imprint(b.data, b.len, p.imprint, p.imprint_len,
					roots, &res, &err),
		  &err);
	ov_tsa_result_clear(&res);
	memcpy(h, p.imprint, sizeof(h));
	h[0] ^= 1;
	ASSERT_CODE(ov_tsa_verify_imprint(b.data, b.len, h, sizeof(h), roots,
					  &res, &err),
		    OV_E_TIMESTAMP, &err);
	ASSERT_STR_HAS(err.msg, "mismatched message");
	ASSERT_CODE(ov_tsa_verify_imprint(b.data, b.len, p.imprint, 20, roots,
					  &res, &err),
		    OV_E_TIMESTAMP, &err);
	ov_tsa_result_clear(&p);
	ov_buf_free(&b);
	free_certs(roots);
}

TEST(malformed)
{
	STACK_OF(X509) *roots = fixture_roots("root.pem");
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf b;
	unsigned char *copy;
	size_t n, i;
	enum ov_code r;

	fixture("good.tst", &b);
	/* every truncation fails cleanly */
	for (n = 0; n < b.len; n++) {
		r = ov_tsa_verify(b.data, n, (const unsigned char *)MSG,
				  strlen(MSG), roots, &res, &err);
		if (r == OV_OK)
			FAIL("truncated to %zu bytes: verified", n);
		if (err.msg[0] == '\0')
			FAIL("truncated to %zu bytes: no message", n);
		r = ov_tsa_parse(b.data, n, &res, &err);
		if (r != OV_E_FORMAT)
			FAIL("truncated to %zu bytes: parse gave %s", n,
			     ov_code_name(r));
	}
	/* trailing data */
	copy = malloc(b.len + 1);
	ASSERT(copy != NULL);
	memcpy(copy, b.data, b.len);
	copy[b.len] = 0;
	ASSERT_CODE(ov_tsa_verify(copy, b.len + 1, (const unsigned char *)MSG,
				  strlen(MSG), roots, &res, &err),
		    OV_E_FORMAT, &err);
	/* flipped bits all over (every 5th byte: each costs a full
	 * verification): never a crash, and the result stays empty on
	 * failure */
	for (i = 0; i < b.len; i += 5) {
		memcpy(copy, b.data, b.len);
		copy[i] ^= 0x5a;
		r = ov_tsa_verify(copy, b.len, (const unsigned char *)MSG,
				  strlen(MSG), roots, &res, &err);
		if (r == OV_OK) {
			ov_tsa_result_clear(&res);
			continue;
		}
		if (res.chain != NULL || res.tsa_subject != NULL)
			FAIL("byte %zu: result filled on failure", i);
	}
	free(copy);
	ov_buf_free(&b);
	free_certs(roots);
}

/* --- upstream vectors ------------------------------------------------- */

#define R3 "tspclient-go/GlobalSignRootCA.crt"
#define R6                                                                     \
	"notation-go/timestamp/truststore/x509/tsa/test-timestamp/globalsignRoot.cer"

static STACK_OF(X509) *
vec_certs(const char *rel)
{
	return certs_at(vectors_path(rel));
}

/* The envelope at rel (JWS or COSE by extension or content). */
static struct ov_envelope *
vec_envelope(const char *rel, const char *media_type)
{
	struct ov_envelope *env = NULL;
	struct ov_err err;
	struct ov_buf b;

	read_file_or_die(vectors_path(rel), &b);
	if (ov_envelope_parse(media_type, b.data, b.len, &env, &err) != OV_OK) {
		fprintf(stderr, "%s: %s\n", rel, err.msg);
		exit(99);
	}
	ov_buf_free(&b);
	return env;
}

/* Our outcome for each token case of expected.json. */
static const struct {
	const char *id;
	enum ov_code code;
	const char *msg; /* substring of our message */
	int differs;     /* our verdict differs from expected.json's */
} token_cases[] = {
    {"ng-ts-token-TimeStampTokenWithInvalideContentType", OV_E_FORMAT,
     "unexpected content type: 1.2.840.113549.1.7.1. Expected to be id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4)",
     0},
    {"ng-ts-token-TimeStampTokenWithInvalidTSTInfo", OV_E_FORMAT,
     "cannot unmarshal TSTInfo", 0},
    {"ng-ts-token-TimeStampToken", OV_E_TIMESTAMP,
     "invalid TSTInfo: mismatched message", 0},
    /* upstream's signature is "notation" so that the imprint passes; a
     * real envelope's signature stops at the imprint */
    {"ng-ts-token-TimeStampTokenWithoutCertificate", OV_E_TIMESTAMP,
     "mismatched message", 0},
    {"ncg-token-invalid-signature-wrong-root", OV_E_TIMESTAMP,
     "certificate signed by unknown authority", 0},
    {"tsp-TimeStampToken", OV_OK, NULL, 0},
    {"tsp-TimeStampTokenWithValidAndInvalidSignerInfos", OV_OK, NULL, 0},
    {"tsp-TimeStampTokenWithoutCertificate", OV_E_TIMESTAMP,
     "signing certificate not found in the timestamp token", 0},
    {"tsp-TimeStampTokenWithInvalidSignature", OV_E_TIMESTAMP,
     "cms verification failure", 0},
    {"tsp-TimeStampTokenWithInvalidTSTInfo", OV_E_FORMAT,
     "cannot unmarshal TSTInfo", 0},
    {"tsp-TimeStampTokenWithInvalideContentType", OV_E_FORMAT,
     "unexpected content type: 1.2.840.113549.1.7.1", 0},
    {"tsp-TimeStampTokenWithoutSigningCertificate", OV_E_TIMESTAMP,
     "failed to get SigningCertificateV2 from signed attributes: attribute not found",
     0},
    {"tsp-TimeStampTokenWithSigningCertificateV1", OV_E_TIMESTAMP,
     "attribute not found", 0},
    {"tsp-TimeStampTokenWithWrongSigningCertificateV2IssuerChoiceTag",
     OV_E_TIMESTAMP, "issuer name is missing in IssuerSerial", 0},
    /*
     * expected.json says pass, but upstream only asserts that
     * SigningCertificate() finds the signer through the sid; the
     * attribute was edited without re-signing, so the CMS signature
     * fails (openssl cms -verify agrees). Failing there, not earlier,
     * shows the ESS lookup passed.
     */
    {"tsp-TimeStampTokenWithoutSigningCertificateV2IssuerSerial",
     OV_E_TIMESTAMP, "cms verification failure", 1},
    {"tsp-TimeStampTokenWithSHA1CertHash", OV_E_TIMESTAMP,
     "unsupported certificate hash algorithm in SigningCertificateV2 attribute",
     0},
    {"tsp-TimeStampTokenWithMismatchCertHash", OV_E_TIMESTAMP,
     "signing certificate hash does not match CertHash in signed attribute", 0},
    {"tsp-TimeStampTokenWithInvalidSigningCertificateV2", OV_E_TIMESTAMP,
     "failed to get SigningCertificateV2 from signed attributes: malformed", 0},
    {"tsp-TimeStampTokenWithSigningCertificateV2NoCert", OV_E_TIMESTAMP,
     "signingCertificateV2 does not contain any certificate", 0},
    {"tsp-TimeStampTokenWithTSTInfoVersion2", OV_E_TIMESTAMP,
     "invalid TSTInfo: timestamp token info version must be 1, but got 2", 0},
    {"tsp-SHA1TimeStampToken", OV_E_TIMESTAMP,
     "invalid TSTInfo: unrecognized hash algorithm: 1.2.840.113549.1.1.5", 0},
    {"tsp-TimeStampToken-mismatched-message", OV_E_TIMESTAMP,
     "invalid TSTInfo: mismatched message", 0},
    /* message unknown: verified against the imprint itself */
    {"tsp-TimeStampTokenNoRoot", OV_OK, NULL, 0},
    {"tsp-TimeStampTokenWithInvalidSigningCertificateV1", OV_E_TIMESTAMP,
     "attribute not found", 0},
    {"tsp-TimeStampTokenWithSigningCertificateV1NoCert", OV_E_TIMESTAMP,
     "attribute not found", 0},
};

static cJSON *
load_expected(void)
{
	struct ov_buf b;
	cJSON *all;

	read_file_or_die(vectors_path("expected.json"), &b);
	all = cJSON_ParseWithLength((const char *)b.data, b.len);
	ov_buf_free(&b);
	if (all == NULL) {
		fprintf(stderr, "expected.json: not JSON\n");
		exit(99);
	}
	return all;
}

static const char *
json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Run one token case of expected.json; 1 when it behaves as listed. */
static int
run_token_case(const cJSON *c, const char *id, size_t row)
{
	const cJSON *needs = cJSON_GetObjectItemCaseSensitive(c, "needs");
	const cJSON *rlist = cJSON_GetObjectItemCaseSensitive(needs, "roots");
	const cJSON *it;
	const char *msg = json_str(needs, "message");
	STACK_OF(X509) *roots = sk_X509_new_null(), *one;
	struct ov_envelope *env = NULL;
	struct ov_tsa_result res, p;
	struct ov_err err;
	struct ov_buf tok;
	const unsigned char *m = NULL;
	size_t mlen = 0;
	enum ov_code r;
	int ok;

	if (cJSON_GetObjectItemCaseSensitive(needs, "inject_timestamp_token")) {
		/* notation-go: the token rides on withoutTimestamp.sig */
		env = vec_envelope(
		    "notation-go/timestamp/sigEnv/withoutTimestamp.sig",
		    OV_MT_JWS);
		m = env->sig.p;
		mlen = env->sig.n;
		one = vec_certs(R6);
		sk_X509_push(roots, sk_X509_shift(one));
		free_certs(one);
	} else if (cJSON_IsArray(rlist)) {
		cJSON_ArrayForEach(it, rlist)
		{
			one = vec_certs(it->valuestring);
			while (sk_X509_num(one) > 0)
				sk_X509_push(roots, sk_X509_shift(one));
			free_certs(one);
		}
	} else {
		one = vec_certs(R3);
		sk_X509_push(roots, sk_X509_shift(one));
		free_certs(one);
	}
	if (msg != NULL) {
		m = (const unsigned char *)msg;
		mlen = strlen(msg);
	}
	read_file_or_die(vectors_path(json_str(c, "path")), &tok);
	if (msg == NULL && env == NULL) {
		/* message unknown (or upstream tested one step only):
		 * verify against the token's own imprint */
		r = ov_tsa_parse(tok.data, tok.len, &p, &err);
		if (r == OV_OK)
			r = ov_tsa_verify_imprint(tok.data, tok.len, p.imprint,
						  p.imprint_len, roots, &res,
						  &err);
		ov_tsa_result_clear(&p);
	} else {
		r = ov_tsa_verify(tok.data, tok.len, m, mlen, roots, &res,
				  &err);
	}
	ok = r == token_cases[row].code &&
	     (r == OV_OK || strstr(err.msg, token_cases[row].msg) != NULL) &&
	     ((r == OV_OK) == (strcmp(json_str(c, "expect"), "pass") == 0)) !=
		 token_cases[row].differs;
	if (!ok)
		fprintf(stderr, "%s: got %s \"%s\"\n", id, ov_code_name(r),
			r == OV_OK ? "" : err.msg);
	if (r == OV_OK)
		ov_tsa_result_clear(&res);
	ov_buf_free(&tok);
	ov_envelope_free(env);
	free_certs(roots);
	return ok;
}

TEST(expected_json_tokens)
{
	cJSON *all, *c;
	const char *id, *kind;
	size_t row, seen = 0;
	int bad = 0;

	all = load_expected();
	cJSON_ArrayForEach(c, all)
	{
		kind = json_str(c, "kind");
		id = json_str(c, "id");
		if (kind == NULL || id == NULL || strcmp(kind, "token") != 0)
			continue;
		for (row = 0;
		     row < sizeof(token_cases) / sizeof(token_cases[0]); row++)
			if (strcmp(token_cases[row].id, id) == 0)
				break;
		if (row == sizeof(token_cases) / sizeof(token_cases[0])) {
			fprintf(stderr, "%s: token case not covered\n", id);
			bad++;
			continue;
		}
		seen++;
		if (!run_token_case(c, id, row))
			bad++;
	}
	cJSON_Delete(all);
	ASSERT_INT_EQ(bad, 0);
	ASSERT_INT_EQ(seen, sizeof(token_cases) / sizeof(token_cases[0]));
}

/*
 * An ESSCertIDv2 hashAlgorithm that OpenSSL does not know is no SHA-256
 * default: the SHA-1 vector's OID 1.3.14.3.2.26 turned into 1.3.14.3.2.127
 * (the ESS check comes before the signature, which this edit breaks).
 */
TEST(ess_unknown_hash_oid)
{
	static const unsigned char ess_oid[] = {0x06, 0x0b, 0x2a, 0x86, 0x48,
						0x86, 0xf7, 0x0d, 0x01, 0x09,
						0x10, 0x02, 0x2f};
	static const unsigned char sha1[] = {0x06, 0x05, 0x2b, 0x0e,
					     0x03, 0x02, 0x1a};
	STACK_OF(X509) *r3 = vec_certs(R3);
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf tok;
	size_t i, at = 0;

	read_file_or_die(vectors_path(
			     "tspclient-go/TimeStampTokenWithSHA1CertHash.p7s"),
			 &tok);
	for (i = 0; at == 0 && i + sizeof(ess_oid) <= tok.len; i++)
		if (memcmp(tok.data + i, ess_oid, sizeof(ess_oid)) == 0)
			at = i;
	ASSERT(at > 0);
	for (i = at; i + sizeof(sha1) <= tok.len; i++)
		if (memcmp(tok.data + i, sha1, sizeof(sha1)) == 0)
			break;
	ASSERT(i + sizeof(sha1) <= tok.len);
	tok.data[i + sizeof(sha1) - 1] = 0x7f;
	ASSERT_CODE(ov_tsa_verify(tok.data, tok.len,
				  (const unsigned char *)"notation", 8, r3,
				  &res, &err),
		    OV_E_TIMESTAMP, &err);
	ASSERT_STR_HAS(err.msg, "unsupported certificate hash algorithm");
	ov_buf_free(&tok);
	free_certs(r3);
}

/* Every truncation of real TSA tokens fails cleanly. */
TEST(vector_truncations)
{
	static const char *const files[] = {
	    "tspclient-go/TimeStampToken.p7s",
	    "tspclient-go/TimeStampTokenNoRoot.p7s",
	    "tspclient-go/TimeStampTokenWithValidAndInvalidSignerInfos.p7s",
	};
	STACK_OF(X509) *r3 = vec_certs(R3);
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf tok;
	size_t i, n;
	enum ov_code r;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		read_file_or_die(vectors_path(files[i]), &tok);
		for (n = 0; n < tok.len; n++) {
			r = ov_tsa_verify(tok.data, n,
					  (const unsigned char *)"notation", 8,
					  r3, &res, &err);
			if (r == OV_OK || err.msg[0] == '\0')
				FAIL("%s truncated to %zu: %s", files[i], n,
				     ov_code_name(r));
			if (ov_tsa_parse(tok.data, n, &res, &err) !=
			    OV_E_FORMAT)
				FAIL("%s truncated to %zu: parsed", files[i],
				     n);
		}
		ov_buf_free(&tok);
	}
	free_certs(r3);
}

/* GlobalSign tokens chain through R6, cross-signed by R3: either root. */
TEST(cross_signed_roots)
{
	STACK_OF(X509) *r3 = vec_certs(R3), *r6 = vec_certs(R6);
	struct ov_tsa_result res;
	struct ov_err err;
	struct ov_buf tok;
	char a[OV_TIME_STR_MAX];

	read_file_or_die(vectors_path("tspclient-go/TimeStampToken.p7s"), &tok);
	ASSERT_OK(ov_tsa_verify(tok.data, tok.len,
				(const unsigned char *)"notation", 8, r3, &res,
				&err),
		  &err);
	ASSERT_STR_EQ(
	    res.tsa_subject,
	    "CN=Globalsign TSA for Advanced - G4,O=GlobalSign nv-sa,C=BE");
	ASSERT_STR_EQ(fmt_time(res.gen_time, a), "2021-09-17T14:09:10Z");
	ASSERT_INT_EQ(res.accuracy_ms, 1000);
	ASSERT_STR_EQ(fmt_time(res.lower, a), "2021-09-17T14:09:09Z");
	ASSERT_STR_EQ(fmt_time(res.upper, a), "2021-09-17T14:09:11Z");
	/* TSA, Timestamping CA G4, R6 (cross-signed), R3 */
	ASSERT_INT_EQ(sk_X509_num(res.chain), 4);
	ov_tsa_result_clear(&res);
	ASSERT_OK(ov_tsa_verify(tok.data, tok.len,
				(const unsigned char *)"notation", 8, r6, &res,
				&err),
		  &err);
	/* TSA, Timestamping CA G4, R6 (self-signed) */
	ASSERT_INT_EQ(sk_X509_num(res.chain), 3);
	ov_tsa_result_clear(&res);
	ov_buf_free(&tok);
	free_certs(r3);
	free_certs(r6);
}

/* Tokens inside the notation-go envelopes, over their signature values. */
TEST(notation_go_envelopes)
{
	static const struct {
		const char *file, *mt;
	} envs[] = {
	    {"jwsWithTimestamp.sig", OV_MT_JWS},
	    {"coseWithTimestamp.sig", OV_MT_COSE},
	    {"jwsExpiredWithTimestamp.sig", OV_MT_JWS},
	    {"coseExpiredWithTimestamp.sig", OV_MT_COSE},
	    {"timestampBeforeNotBefore.sig", OV_MT_JWS},
	    {"timestampAfterNotAfter.sig", OV_MT_COSE},
	};
	STACK_OF(X509) *r6 = vec_certs(R6), *mismatch;
	struct ov_envelope *env;
	struct ov_tsa_result res;
	struct ov_err err;
	char path[256], a[OV_TIME_STR_MAX];
	size_t i;

	mismatch = vec_certs(
	    "notation-go/timestamp/truststore/x509/tsa/test-mismatch/DigiCertTSARootSHA384.cer");
	for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
		(void)snprintf(path, sizeof(path),
			       "notation-go/timestamp/sigEnv/%s", envs[i].file);
		env = vec_envelope(path, envs[i].mt);
		ASSERT(env->timestamp.n > 0);
		if (ov_tsa_verify(env->timestamp.p, env->timestamp.n,
				  env->sig.p, env->sig.n, r6, &res,
				  &err) != OV_OK)
			FAIL("%s: %s", envs[i].file, err.msg);
		ASSERT_STR_HAS(res.tsa_subject,
			       "CN=Globalsign TSA for Advanced - G4 - 202311");
		ASSERT_INT_EQ(res.accuracy_ms, 1000);
		if (i == 0)
			ASSERT_STR_EQ(fmt_time(res.gen_time, a),
				      "2024-06-18T06:29:37Z");
		if (i == 1)
			ASSERT_STR_EQ(fmt_time(res.gen_time, a),
				      "2024-06-18T06:27:16Z");
		ov_tsa_result_clear(&res);
		/* a token over another message */
		ASSERT_CODE(ov_tsa_verify(env->timestamp.p, env->timestamp.n,
					  env->sig.p, env->sig.n - 1, r6, &res,
					  &err),
			    OV_E_TIMESTAMP, &err);
		/* ng-ts-tsa-mismatch: the DigiCert root does not anchor it */
		ASSERT_CODE(ov_tsa_verify(env->timestamp.p, env->timestamp.n,
					  env->sig.p, env->sig.n, mismatch,
					  &res, &err),
			    OV_E_TIMESTAMP, &err);
		ASSERT_STR_HAS(err.msg,
			       "certificate signed by unknown authority");
		ov_envelope_free(env);
	}
	env = vec_envelope("notation-go/timestamp/sigEnv/withoutTimestamp.sig",
			   OV_MT_JWS);
	ASSERT_INT_EQ(env->timestamp.n, 0);
	ov_envelope_free(env);
	free_certs(mismatch);
	free_certs(r6);
}

/*
 * The Microsoft ESRP envelope: genTime 2023-04-12T03:10:01.614Z, accuracy
 * 500 ms, so the interval [03:10:01.114, 03:10:02.114] widens to
 * [03:10:01, 03:10:03]. Its signing-certificate-v2 has a second entry
 * that matches nothing, which only the first-entry rule accepts.
 */
TEST(microsoft_esrp)
{
	STACK_OF(X509) *root, *other;
	struct ov_envelope *env;
	struct ov_tsa_result res;
	struct ov_err err;
	char a[OV_TIME_STR_MAX];

	root =
	    vec_certs("../certs/microsoft-root-certificate-authority-2010.pem");
	other =
	    vec_certs("../certs/microsoft-supply-chain-rsa-root-ca-2022.pem");
	env = vec_envelope("microsoft/esrp-cose-signature.sig", OV_MT_COSE);
	ASSERT_OK(ov_tsa_verify(env->timestamp.p, env->timestamp.n, env->sig.p,
				env->sig.n, root, &res, &err),
		  &err);
	ASSERT_STR_EQ(fmt_time(res.gen_time, a), "2023-04-12T03:10:01Z");
	ASSERT_INT_EQ(res.gen_nsec, 614000000);
	ASSERT_INT_EQ(res.accuracy_ms, 500);
	ASSERT_STR_EQ(fmt_time(res.lower, a), "2023-04-12T03:10:01Z");
	ASSERT_STR_EQ(fmt_time(res.upper, a), "2023-04-12T03:10:03Z");
	ASSERT_STR_HAS(res.tsa_subject, "CN=Microsoft Time-Stamp Service");
	ASSERT_INT_EQ(sk_X509_num(res.chain), 3);
	ov_tsa_result_clear(&res);
	ASSERT_CODE(ov_tsa_verify(env->timestamp.p, env->timestamp.n,
				  env->sig.p, env->sig.n, other, &res, &err),
		    OV_E_TIMESTAMP, &err);
	ASSERT_STR_HAS(err.msg, "certificate signed by unknown authority");
	ov_envelope_free(env);
	free_certs(root);
	free_certs(other);
}

/* notation-e2e blob signatures: Microsoft Public RSA TSA, root 2020. */
TEST(notation_e2e_blobs)
{
	STACK_OF(X509) *root;
	struct ov_envelope *env;
	struct ov_tsa_result res;
	struct ov_err err;
	char a[OV_TIME_STR_MAX];

	root = vec_certs(
	    "../certs/microsoft-identity-verification-root-ca-2020.pem");
	env = vec_envelope("notation-e2e/blob/blob.jws.sig", OV_MT_JWS);
	ASSERT_OK(ov_tsa_verify(env->timestamp.p, env->timestamp.n, env->sig.p,
				env->sig.n, root, &res, &err),
		  &err);
	/* [2024-12-31T08:05:29.509Z, 08:05:30.509Z] */
	ASSERT_STR_EQ(fmt_time(res.lower, a), "2024-12-31T08:05:29Z");
	ASSERT_STR_EQ(fmt_time(res.upper, a), "2024-12-31T08:05:31Z");
	ASSERT_STR_HAS(res.tsa_subject,
		       "CN=Microsoft Public RSA Time Stamping Authority");
	ov_tsa_result_clear(&res);
	ov_envelope_free(env);

	env = vec_envelope("notation-e2e/blob/blob.cose.sig", OV_MT_COSE);
	ASSERT_OK(ov_tsa_verify(env->timestamp.p, env->timestamp.n, env->sig.p,
				env->sig.n, root, &res, &err),
		  &err);
	/* [2025-01-07T08:42:43.582Z, 08:42:44.582Z] */
	ASSERT_STR_EQ(fmt_time(res.lower, a), "2025-01-07T08:42:43Z");
	ASSERT_STR_EQ(fmt_time(res.upper, a), "2025-01-07T08:42:45Z");
	ov_tsa_result_clear(&res);
	ov_envelope_free(env);
	free_certs(root);
}

int
main(void)
{
	RUN(valid_token);
	RUN(valid_sha512_ecdsa_pss);
	RUN(wrong_message);
	RUN(untrusted_root);
	RUN(eku_rules);
	RUN(chain_time);
	RUN(cms_layouts);
	RUN(ess_rules);
	RUN(accuracy);
	RUN(gen_time_fraction);
	RUN(parse_only);
	RUN(verify_imprint);
	RUN(malformed);
	if (vectors_path("expected.json") == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return ov_test_done();
	}
	RUN(expected_json_tokens);
	RUN(ess_unknown_hash_oid);
	RUN(vector_truncations);
	RUN(cross_signed_roots);
	RUN(notation_go_envelopes);
	RUN(microsoft_esrp);
	RUN(notation_e2e_blobs);
	return ov_test_done();
}
