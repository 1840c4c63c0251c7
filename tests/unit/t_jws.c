/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for jws.c (and the JWS side of sign.c and envelope.c):
 * round trips with every algorithm, the envelope and header rules, and
 * the upstream notation vectors.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "b64.h"
#include "envelope.h"
#include "harness.h"
#include "manifest.h"
#include "sign.h"
#include "timeutil.h"

#define SCHEME OV_HDR_SIGNING_SCHEME
#define CTY "\"cty\":\"application/vnd.cncf.notary.payload.v1+json\""
#define T0 1700000000 /* 2023-11-14T22:13:20Z */
#define T0S "2023-11-14T22:13:20Z"

static const char payload[] =
    "{\"targetArtifact\":{\"digest\":\"sha256:"
    "c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda\","
    "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"size\":528}}";

struct signer {
	EVP_PKEY *key;
	STACK_OF(X509) *chain;
	enum ov_sig_alg alg;
};

static const struct {
	const char *name;
	enum ov_sig_alg alg;
} keys[] = {
    {"rsa2048", OV_ALG_PS256}, {"rsa3072", OV_ALG_PS384},
    {"rsa4096", OV_ALG_PS512}, {"p256", OV_ALG_ES256},
    {"p384", OV_ALG_ES384},    {"p521", OV_ALG_ES512},
};

static void
signer_load(struct signer *s, const char *name)
{
	char rel[64];
	struct ov_err err;
	X509 *x = NULL;
	BIO *bio;

	(void)snprintf(rel, sizeof(rel), "envelope/%s.key", name);
	if ((bio = BIO_new_file(testdata_path(rel), "r")) == NULL ||
	    (s->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)) == NULL) {
		fprintf(stderr, "cannot read %s\n", rel);
		exit(99);
	}
	BIO_free(bio);
	(void)snprintf(rel, sizeof(rel), "envelope/%s.crt", name);
	if ((bio = BIO_new_file(testdata_path(rel), "r")) == NULL ||
	    (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL ||
	    (s->chain = sk_X509_new_null()) == NULL ||
	    !sk_X509_push(s->chain, x) ||
	    ov_sig_alg_from_key(s->key, &s->alg, &err) != OV_OK) {
		fprintf(stderr, "cannot read %s\n", rel);
		exit(99);
	}
	BIO_free(bio);
}

static void
signer_free(struct signer *s)
{
	EVP_PKEY_free(s->key);
	sk_X509_pop_free(s->chain, X509_free);
}

static void
req_init(struct ov_sign_request *req, const struct signer *s)
{
	memset(req, 0, sizeof(*req));
	req->media_type = OV_MT_JWS;
	req->key = s->key;
	req->chain = s->chain;
	req->payload = (const unsigned char *)payload;
	req->payload_len = strlen(payload);
	req->scheme = OV_SCHEME_X509;
	req->signing_time = T0;
	req->signing_agent = "ocivet-test/1.0";
}

static enum ov_code
parse_buf(const struct ov_buf *b, struct ov_envelope **env, struct ov_err *err)
{
	return ov_jws_parse(b->data, b->len, env, err);
}

/* Verify env's signature with the key of its first certificate. */
static enum ov_code
verify_env(const struct ov_envelope *env, struct ov_err *err)
{
	const unsigned char *p;
	X509 *x;
	enum ov_code r;

	if (env->ncerts == 0)
		return ov_err_set(err, OV_E_FORMAT, "no certificate");
	p = env->certs[0].p;
	if ((x = d2i_X509(NULL, &p, (long)env->certs[0].n)) == NULL)
		return ov_err_set(err, OV_E_FORMAT, "bad certificate");
	r = ov_sig_verify(env->alg, X509_get0_pubkey(x), env->pss_salt,
			  env->tbs.p, env->tbs.n, env->sig.p, env->sig.n, err);
	X509_free(x);
	return r;
}

/* Value of a top-level string member of a JWS text (for comparisons). */
static char *
member(const struct ov_buf *b, const char *name)
{
	cJSON *root = cJSON_ParseWithLength((const char *)b->data, b->len);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
	char *s = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;

	cJSON_Delete(root);
	return s;
}

/* A JWS text from its four parts (header is JSON text). */
static void
make_jws(struct ov_buf *out, const char *prot, const char *pay,
	 const char *header, const char *sig)
{
	struct ov_err err;

	ov_buf_init(out, 1 << 20);
	if (ov_buf_addf(
		out, &err,
		"{\"payload\":\"%s\",\"protected\":\"%s\",\"header\":%s,\"signature\":\"%s\"}",
		pay, prot, header, sig) != OV_OK)
		exit(99);
}

/*
 * Sign a JWS whose protected header is exactly json (p256 key), parse it
 * and compare the result with want and a message fragment.
 */
static int
check_prot(const char *json, enum ov_code want, const char *msg)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	enum ov_code r;
	int ok = 1;

	signer_load(&s, "p256");
	req_init(&req, &s);
	req.protected_raw = (const unsigned char *)json;
	req.protected_raw_len = strlen(json);
	ov_buf_init(&b, 1 << 20);
	if ((r = ov_sign_envelope(&req, &b, &err)) != OV_OK) {
		fprintf(stderr, "sign: %s\n", err.msg);
		ok = 0;
	} else {
		ov_err_clear(&err);
		r = parse_buf(&b, &env, &err);
		if (r != want ||
		    (msg != NULL && strstr(err.msg, msg) == NULL)) {
			fprintf(stderr,
				"protected %s: got %s \"%s\", want %s \"%s\"\n",
				json, ov_code_name(r), err.msg,
				ov_code_name(want), msg != NULL ? msg : "");
			ok = 0;
		}
		if (r == OV_OK && verify_env(env, &err) != OV_OK) {
			fprintf(stderr, "verify: %s\n", err.msg);
			ok = 0;
		}
	}
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
	return ok;
}

/* ------------------------------------------------------------------ */

TEST(roundtrip_all_algs)
{
	static const struct ov_sign_attr attrs[] = {
	    {"com.example.critical", "yes", 1},
	    {"com.example.note", "hello \"world\" <&>", 0},
	};
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	unsigned char *der = NULL;
	char *prot_s, *pay_s;
	int len;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		signer_load(&s, keys[i].name);
		req_init(&req, &s);
		req.has_expiry = 1;
		req.expiry = T0 + 86400;
		req.attrs = attrs;
		req.nattrs = 2;
		ov_buf_init(&b, 1 << 20);
		ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
		ASSERT_OK(parse_buf(&b, &env, &err), &err);
		ASSERT_STR_EQ(env->media_type, OV_MT_JWS);
		ASSERT_INT_EQ(env->alg, keys[i].alg);
		ASSERT_STR_EQ(env->content_type, OV_MT_NOTARY_PAYLOAD);
		ASSERT_INT_EQ(env->scheme, OV_SCHEME_X509);
		ASSERT_INT_EQ(env->signing_time, T0);
		ASSERT_INT_EQ(env->has_expiry, 1);
		ASSERT_INT_EQ(env->expiry, T0 + 86400);
		ASSERT(env->plugin == NULL && env->plugin_min_version == NULL);
		ASSERT_STR_EQ(env->signing_agent, "ocivet-test/1.0");
		ASSERT_INT_EQ(env->timestamp.n, 0);
		ASSERT_INT_EQ(env->pss_salt, OV_PSS_SALT_AUTO);
		ASSERT_INT_EQ(env->nattrs, 2);
		ASSERT_STR_EQ(env->attrs[0].name, "com.example.critical");
		ASSERT_STR_EQ(env->attrs[0].value, "yes");
		ASSERT_INT_EQ(env->attrs[0].critical, 1);
		ASSERT_STR_EQ(env->attrs[1].name, "com.example.note");
		ASSERT_STR_EQ(env->attrs[1].value, "hello \"world\" <&>");
		ASSERT_INT_EQ(env->attrs[1].critical, 0);
		ASSERT_INT_EQ(env->payload.n, strlen(payload));
		ASSERT_MEM_EQ(env->payload.p, payload, strlen(payload));
		/* the certificate is carried byte for byte */
		ASSERT_INT_EQ(env->ncerts, 1);
		len = i2d_X509(sk_X509_value(s.chain, 0), &der);
		ASSERT_INT_EQ(env->certs[0].n, len);
		ASSERT_MEM_EQ(env->certs[0].p, der, (size_t)len);
		OPENSSL_free(der);
		der = NULL;
		/* tbs is "<protected>.<payload>" as found in the envelope */
		prot_s = member(&b, "protected");
		pay_s = member(&b, "payload");
		ASSERT(prot_s != NULL && pay_s != NULL);
		ASSERT_INT_EQ(env->tbs.n, strlen(prot_s) + 1 + strlen(pay_s));
		ASSERT_MEM_EQ(env->tbs.p, prot_s, strlen(prot_s));
		ASSERT_INT_EQ(env->tbs.p[strlen(prot_s)], '.');
		ASSERT_MEM_EQ(env->tbs.p + strlen(prot_s) + 1, pay_s,
			      strlen(pay_s));
		free(prot_s);
		free(pay_s);
		ASSERT_OK(verify_env(env, &err), &err);
		/* a changed signing input does not verify */
		env->tbs.p[env->tbs.n - 1] ^= 1;
		ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
		ov_envelope_free(env);
		env = NULL;
		ov_buf_free(&b);
		signer_free(&s);
	}
}

TEST(roundtrip_signing_authority)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	unsigned char *prot = NULL;
	char *prot_s;
	size_t n;

	signer_load(&s, "rsa3072");
	req_init(&req, &s);
	req.scheme = OV_SCHEME_SIGNING_AUTHORITY;
	req.has_expiry = 1;
	req.expiry = T0 + 1;
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	/* notation's member and crit order */
	prot_s = member(&b, "protected");
	ASSERT(prot_s != NULL);
	ASSERT_OK(ov_b64url_decode(prot_s, strlen(prot_s), &prot, &n, &err),
		  &err);
	free(prot_s);
	ASSERT_INT_EQ(n, strlen("{\"alg\":\"PS384\",\"crit\":[\"" SCHEME
				"\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
				"\",\"" OV_HDR_EXPIRY "\"]," CTY
				",\"" OV_HDR_AUTHENTIC_SIGNING_TIME "\":\"" T0S
				"\",\"" OV_HDR_EXPIRY
				"\":\"2023-11-14T22:13:21Z\",\"" SCHEME
				"\":\"notary.x509.signingAuthority\"}"));
	ASSERT_MEM_EQ(prot,
		      "{\"alg\":\"PS384\",\"crit\":[\"" SCHEME
		      "\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
		      "\",\"" OV_HDR_EXPIRY "\"]," CTY
		      ",\"" OV_HDR_AUTHENTIC_SIGNING_TIME "\":\"" T0S
		      "\",\"" OV_HDR_EXPIRY
		      "\":\"2023-11-14T22:13:21Z\",\"" SCHEME
		      "\":\"notary.x509.signingAuthority\"}",
		      n);
	free(prot);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->scheme, OV_SCHEME_SIGNING_AUTHORITY);
	ASSERT_INT_EQ(env->signing_time, T0);
	ASSERT_INT_EQ(env->expiry, T0 + 1);
	ASSERT_STR_EQ(ov_scheme_name(env->scheme),
		      "notary.x509.signingAuthority");
	ASSERT_OK(verify_env(env, &err), &err);
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
}

/* notation-core-go signature/jws/testdata/conformance.json */
TEST(conformance_vector)
{
	static const struct ov_sign_attr attrs[] = {
	    {"signedCritKey1", "signedCritValue1", 1},
	    {"signedKey1", "signedValue1", 0},
	    {"signedKey2", "signedValue1", 0},
	    {"signedKey3", "signedValue1", 0},
	    {"signedKey4", "signedValue1", 0},
	};
	const char *path;
	struct signer s;
	struct ov_sign_request req;
	struct ov_buf vec, b;
	struct ov_err err;
	char *want_prot, *want_pay, *got_prot, *got_pay;

	if ((path = vectors_path(
		 "notation-core-go/signature/jws/conformance.json")) == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	read_file_or_die(path, &vec);
	signer_load(&s, "p256");
	req_init(&req, &s);
	req.chain = NULL;
	req.payload = (const unsigned char *)"{\"key\":\"hello JWS\"}";
	req.payload_len = strlen((const char *)req.payload);
	ASSERT_OK(ov_time_parse("2022-08-29T13:50:00Z", &req.signing_time, NULL,
				&err),
		  &err);
	ASSERT_OK(ov_time_parse("2099-08-30T13:50:00Z", &req.expiry, NULL,
				&err),
		  &err);
	req.has_expiry = 1;
	req.attrs = attrs;
	req.nattrs = 5;
	req.signing_agent = "NotationConformanceTest/1.0.0";
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	want_prot = member(&vec, "protected");
	want_pay = member(&vec, "payload");
	got_prot = member(&b, "protected");
	got_pay = member(&b, "payload");
	ASSERT_STR_EQ(got_prot, want_prot);
	ASSERT_STR_EQ(got_pay, want_pay);
	free(want_prot);
	free(want_pay);
	free(got_prot);
	free(got_pay);
	ov_buf_free(&vec);
	ov_buf_free(&b);
	signer_free(&s);
}

TEST(payload_encoder)
{
	char k0[] = "zeta", v0[] = "1", k1[] = "io.wabbit-networks.buildId",
	     v1[] = "<123>", k2[] = "Alpha", v2[] = "x",
	     mt[] = OV_MT_DOCKER_MANIFEST;
	struct ov_annotation ann[] = {{k0, v0}, {k1, v1}, {k2, v2}};
	struct ov_descriptor d;
	struct ov_buf b;
	struct ov_err err;

	memset(&d, 0, sizeof(d));
	d.media_type = mt;
	ASSERT_OK(
	    ov_digest_parse(
		"sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e",
		&d.digest, &err),
	    &err);
	d.size = 528;
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_payload(&d, &b, &err), &err);
	ASSERT_STR_EQ(
	    (const char *)b.data,
	    "{\"targetArtifact\":{\"digest\":\"sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e\",\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":528}}");
	ov_buf_reset(&b);
	d.annotations = ann;
	d.nannotations = 3;
	ASSERT_OK(ov_sign_payload(&d, &b, &err), &err);
	ASSERT_STR_EQ(
	    (const char *)b.data,
	    "{\"targetArtifact\":{\"annotations\":{\"Alpha\":\"x\",\"io.wabbit-networks.buildId\":\"\\u003c123\\u003e\",\"zeta\":\"1\"},\"digest\":\"sha256:60043cf45eaebc4c0867fea485a039b598f52fd09fd5b07b0b2d2f88fad9d74e\",\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":528}}");
	/* a repeated key cannot come from a Go map */
	ann[0].key = k2;
	ov_buf_reset(&b);
	ASSERT_CODE(ov_sign_payload(&d, &b, &err), OV_E_USAGE, &err);
	ov_buf_free(&b);
}

TEST(media_type_dispatch)
{
	struct ov_envelope *env = NULL;
	struct ov_err err;

	ASSERT_CODE(ov_envelope_parse("application/unsupported+json", "{}", 2,
				      &env, &err),
		    OV_E_UNSUPPORTED, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "signature envelope format with media type \"application/unsupported+json\" is not supported");
	ASSERT(env == NULL);
	ASSERT_CODE(ov_envelope_parse(NULL, "{}", 2, &env, &err),
		    OV_E_UNSUPPORTED, &err);
	/* the JWS parser is reached */
	ASSERT_CODE(ov_envelope_parse(OV_MT_JWS, "{}", 2, &env, &err),
		    OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "jws envelope");
	ASSERT_STR_EQ(ov_scheme_name(OV_SCHEME_X509), "notary.x509");
	ASSERT(ov_scheme_name(OV_SCHEME_UNKNOWN) == NULL);
	ov_envelope_free(NULL);
}

/* A correctly signed p256 envelope, split into its parts. */
struct parts {
	char *prot, *pay, *sig, *x5c;
	struct ov_buf env;
};

static void
parts_make(struct parts *p)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_err err;
	cJSON *root;
	const cJSON *hdr;

	signer_load(&s, "p256");
	req_init(&req, &s);
	ov_buf_init(&p->env, 1 << 20);
	if (ov_sign_envelope(&req, &p->env, &err) != OV_OK) {
		fprintf(stderr, "sign: %s\n", err.msg);
		exit(99);
	}
	p->prot = member(&p->env, "protected");
	p->pay = member(&p->env, "payload");
	p->sig = member(&p->env, "signature");
	root = cJSON_ParseWithLength((const char *)p->env.data, p->env.len);
	hdr = cJSON_GetObjectItemCaseSensitive(root, "header");
	p->x5c = cJSON_PrintUnformatted(
	    cJSON_GetObjectItemCaseSensitive(hdr, "x5c"));
	cJSON_Delete(root);
	signer_free(&s);
}

static void
parts_free(struct parts *p)
{
	free(p->prot);
	free(p->pay);
	free(p->sig);
	cJSON_free(p->x5c);
	ov_buf_free(&p->env);
}

/* Parse text and expect code and a message fragment. */
static int
expect(const struct ov_buf *b, enum ov_code want, const char *msg)
{
	struct ov_envelope *env = NULL;
	struct ov_err err;
	enum ov_code r;
	int ok = 1;

	ov_err_clear(&err);
	r = parse_buf(b, &env, &err);
	if (r != want || (msg != NULL && strstr(err.msg, msg) == NULL)) {
		fprintf(stderr, "%.*s\n  got %s \"%s\", want %s \"%s\"\n",
			(int)(b->len > 300 ? 300 : b->len),
			(const char *)b->data, ov_code_name(r), err.msg,
			ov_code_name(want), msg != NULL ? msg : "");
		ok = 0;
	}
	ov_envelope_free(env);
	return ok;
}

TEST(top_level_members)
{
	struct parts p;
	struct ov_buf b;
	struct ov_err err;
	char hdr[8192];

	parts_make(&p);
	(void)snprintf(hdr, sizeof(hdr), "{\"x5c\":%s}", p.x5c);
	/* the parts as they are: accepted */
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(&b, OV_OK, NULL));
	/* an unknown member */
	b.len--;
	ASSERT_OK(ov_buf_adds(&b, ",\"extra\":1}", &err), &err);
	ASSERT(expect(&b, OV_E_FORMAT, "unexpected member \"extra\""));
	ov_buf_free(&b);
	/* a member in another case is not the member */
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(
	    ov_buf_addf(
		&b, &err,
		"{\"Payload\":\"%s\",\"protected\":\"%s\",\"header\":%s,\"signature\":\"%s\"}",
		p.pay, p.prot, hdr, p.sig),
	    &err);
	ASSERT(expect(&b, OV_E_FORMAT, "\"Payload\""));
	ov_buf_free(&b);
	/* a missing member */
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(
	    ov_buf_addf(
		&b, &err,
		"{\"payload\":\"%s\",\"protected\":\"%s\",\"signature\":\"%s\"}",
		p.pay, p.prot, p.sig),
	    &err);
	ASSERT(expect(&b, OV_E_FORMAT, "missing required member \"header\""));
	ov_buf_free(&b);
	/* the general serialization */
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(
	    ov_buf_addf(
		&b, &err,
		"{\"payload\":\"%s\",\"signatures\":[{\"protected\":\"%s\",\"header\":%s,\"signature\":\"%s\"}]}",
		p.pay, p.prot, hdr, p.sig),
	    &err);
	ASSERT(expect(&b, OV_E_UNSUPPORTED, "general JWS JSON serialization"));
	ov_buf_free(&b);
	/* the compact serialization, a JSON array, not JSON */
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_buf_addf(&b, &err, "%s.%s.%s", p.prot, p.pay, p.sig),
		  &err);
	ASSERT(expect(&b, OV_E_FORMAT, "jws envelope: invalid JSON"));
	ov_buf_reset(&b);
	ASSERT_OK(ov_buf_adds(&b, "[]", &err), &err);
	ASSERT(expect(&b, OV_E_FORMAT, "not a JSON object"));
	ov_buf_free(&b);
	/* a duplicate member */
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(
	    ov_buf_addf(
		&b, &err,
		"{\"payload\":\"%s\",\"protected\":\"%s\",\"header\":%s,\"signature\":\"%s\",\"payload\":\"%s\"}",
		p.pay, p.prot, hdr, p.sig, p.pay),
	    &err);
	ASSERT(expect(&b, OV_E_FORMAT, "duplicate member \"payload\""));
	ov_buf_free(&b);
	/* a member of the wrong type */
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(
	    ov_buf_addf(
		&b, &err,
		"{\"payload\":\"%s\",\"protected\":\"%s\",\"header\":\"x\",\"signature\":\"%s\"}",
		p.pay, p.prot, p.sig),
	    &err);
	ASSERT(expect(&b, OV_E_FORMAT, "\"header\" must be an object"));
	ov_buf_free(&b);
	parts_free(&p);
}

TEST(base64_members)
{
	struct parts p;
	struct ov_buf b;
	char hdr[8192], *t;

	parts_make(&p);
	(void)snprintf(hdr, sizeof(hdr), "{\"x5c\":%s}", p.x5c);
	/* padded base64url (as in the mock "invalid" envelopes) */
	t = malloc(strlen(p.pay) + 2);
	ASSERT(t != NULL);
	memcpy(t, p.pay, strlen(p.pay));
	memcpy(t + strlen(p.pay), "=", 2);
	make_jws(&b, p.prot, t, hdr, p.sig);
	ASSERT(expect(
	    &b, OV_E_FORMAT,
	    "jws envelope: payload: illegal base64url data at input byte"));
	ov_buf_free(&b);
	free(t);
	/* standard alphabet in base64url */
	t = strdup(p.sig);
	ASSERT(t != NULL);
	t[3] = '+';
	make_jws(&b, p.prot, p.pay, hdr, t);
	ASSERT(expect(&b, OV_E_FORMAT,
		      "signature: illegal base64url data at input byte 3"));
	ov_buf_free(&b);
	free(t);
	t = strdup(p.prot);
	ASSERT(t != NULL);
	t[0] = '*';
	make_jws(&b, t, p.pay, hdr, p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "protected: illegal base64url"));
	ov_buf_free(&b);
	free(t);
	/* x5c must be standard base64 */
	make_jws(&b, p.prot, p.pay, "{\"x5c\":[\"MII-\"]}", p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "x5c[0]: illegal base64 data"));
	ov_buf_free(&b);
	make_jws(&b, p.prot, p.pay, "{\"x5c\":[\"MIIB\",\"abc\"]}", p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "x5c[1]: invalid base64"));
	ov_buf_free(&b);
	/* empty payload and signature */
	make_jws(&b, p.prot, "", hdr, p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "payload is empty"));
	ov_buf_free(&b);
	make_jws(&b, p.prot, p.pay, hdr, "");
	ASSERT(expect(&b, OV_E_FORMAT, "signature is empty"));
	ov_buf_free(&b);
	parts_free(&p);
}

TEST(unprotected_header)
{
	struct parts p;
	struct ov_buf b;
	struct ov_envelope *env = NULL;
	struct ov_err err;
	char hdr[16384];
	size_t i, off;

	parts_make(&p);
	/* x5c required, non-empty, an array of strings, at most 16 */
	make_jws(&b, p.prot, p.pay, "{}", p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "missing required member \"x5c\""));
	ov_buf_free(&b);
	make_jws(&b, p.prot, p.pay, "{\"x5c\":[]}", p.sig);
	ASSERT(
	    expect(&b, OV_E_FORMAT, "certificate chain (x5c) is not present"));
	ov_buf_free(&b);
	make_jws(&b, p.prot, p.pay, "{\"x5c\":\"MIIB\"}", p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "\"x5c\" must be an array"));
	ov_buf_free(&b);
	make_jws(&b, p.prot, p.pay, "{\"x5c\":[1]}", p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "x5c[0] must be a string"));
	ov_buf_free(&b);
	off = (size_t)snprintf(hdr, sizeof(hdr), "{\"x5c\":[");
	for (i = 0; i < 17; i++)
		off += (size_t)snprintf(hdr + off, sizeof(hdr) - off,
					"%s\"MIIB\"", i ? "," : "");
	(void)snprintf(hdr + off, sizeof(hdr) - off, "]}");
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(&b, OV_E_LIMIT, "more than 16"));
	ov_buf_free(&b);
	/* known keys are case-sensitive; unknown keys are ignored */
	(void)snprintf(
	    hdr, sizeof(hdr),
	    "{\"x5c\":%s,\"io.cncf.notary.SigningAgent\":\"Notation/1.0.0\",\"unknown\":{}}",
	    p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT(env->signing_agent == NULL);
	ASSERT_INT_EQ(env->ncerts, 1);
	ov_envelope_free(env);
	env = NULL;
	ov_buf_free(&b);
	/* a case variant of a member read here is refused (Go would read
	 * it as that member): beside the member, alone, and with the long
	 * s (U+017F) that Go folds to "s" */
	(void)snprintf(hdr, sizeof(hdr), "{\"x5c\":%s,\"X5C\":[]}", p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(
	    &b, OV_E_FORMAT,
	    "jws envelope: members \"x5c\" and \"X5C\" differ only in letter case"));
	ov_buf_free(&b);
	(void)snprintf(hdr, sizeof(hdr), "{\"X5C\":%s}", p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(
	    &b, OV_E_FORMAT,
	    "jws header: member \"X5C\" differs from a known member only in letter case (\"x5c\")"));
	ov_buf_free(&b);
	(void)snprintf(
	    hdr, sizeof(hdr),
	    "{\"x5c\":%s,\"io.cncf.notary.Time\\u017ftampSignature\":\"VE9LRU4=\"}",
	    p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(
	    &b, OV_E_FORMAT,
	    "member \"io.cncf.notary.Time\\u017ftampSignature\" differs"));
	ov_buf_free(&b);
	(void)snprintf(
	    hdr, sizeof(hdr),
	    "{\"x5c\":%s,\"io.cncf.notary.TimestampSignature\":\"VE9LRU4=\"}",
	    p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "only in letter case"));
	ov_buf_free(&b);
	/* timestamp token: standard base64 */
	(void)snprintf(
	    hdr, sizeof(hdr),
	    "{\"io.cncf.notary.timestampSignature\":\"VE9LRU4=\",\"x5c\":%s,\"io.cncf.notary.signingAgent\":\"a\"}",
	    p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->timestamp.n, 5);
	ASSERT_MEM_EQ(env->timestamp.p, "TOKEN", 5);
	ASSERT_STR_EQ(env->signing_agent, "a");
	ov_envelope_free(env);
	env = NULL;
	ov_buf_free(&b);
	(void)snprintf(
	    hdr, sizeof(hdr),
	    "{\"io.cncf.notary.timestampSignature\":\"VE9LRU4\",\"x5c\":%s}",
	    p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(
	    expect(&b, OV_E_FORMAT, "\"io.cncf.notary.timestampSignature\""));
	ov_buf_free(&b);
	(void)snprintf(hdr, sizeof(hdr),
		       "{\"io.cncf.notary.signingAgent\":7,\"x5c\":%s}", p.x5c);
	make_jws(&b, p.prot, p.pay, hdr, p.sig);
	ASSERT(expect(&b, OV_E_FORMAT, "must be a string"));
	ov_buf_free(&b);
	parts_free(&p);
}

#define P_HEAD "{\"alg\":\"ES256\","
#define P_CRIT "\"crit\":[\"" SCHEME "\"],"
#define P_X509 "\"" SCHEME "\":\"notary.x509\""
#define P_ST ",\"" OV_HDR_SIGNING_TIME "\":\"" T0S "\""
#define P_OK P_HEAD P_CRIT CTY "," P_X509 P_ST "}"

TEST(protected_valid)
{
	ASSERT(check_prot(P_OK, OV_OK, NULL));
	/* member order does not matter */
	ASSERT(check_prot("{" P_X509 "," CTY "," P_CRIT "\"alg\":\"ES256\"" P_ST
			  "}",
			  OV_OK, NULL));
}

TEST(protected_alg)
{
	ASSERT(check_prot("{\"alg\":\"none\"," P_CRIT CTY "," P_X509 P_ST "}",
			  OV_E_UNSUPPORTED,
			  "signature algorithm \"none\" is not supported"));
	ASSERT(check_prot("{\"alg\":\"HS256\"," P_CRIT CTY "," P_X509 P_ST "}",
			  OV_E_UNSUPPORTED,
			  "signature algorithm \"HS256\" is not supported"));
	ASSERT(check_prot("{\"alg\":\"RS256\"," P_CRIT CTY "," P_X509 P_ST "}",
			  OV_E_UNSUPPORTED,
			  "signature algorithm \"RS256\" is not supported"));
	ASSERT(check_prot("{\"alg\":\"es256\"," P_CRIT CTY "," P_X509 P_ST "}",
			  OV_E_UNSUPPORTED, NULL));
	ASSERT(check_prot("{\"alg\":-7," P_CRIT CTY "," P_X509 P_ST "}",
			  OV_E_FORMAT, "\"alg\" must be a string"));
	ASSERT(check_prot("{" P_CRIT CTY "," P_X509 P_ST "}", OV_E_FORMAT,
			  "missing required member \"alg\""));
}

TEST(alg_name_knob_and_mismatch)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;

	/* "alg":"none" written by the encoder, correctly signed: refused */
	signer_load(&s, "p256");
	req_init(&req, &s);
	req.alg_name = "none";
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT(expect(&b, OV_E_UNSUPPORTED, "\"none\" is not supported"));
	ov_buf_reset(&b);
	/* declared ES384 over a P-256 key: parses, fails verification */
	req.alg_name = NULL;
	req.alg = OV_ALG_ES384;
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->alg, OV_ALG_ES384);
	ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "algorithm ES384 does not match the key");
	ov_envelope_free(env);
	env = NULL;
	ov_buf_reset(&b);
	req.alg = OV_ALG_PS256;
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "algorithm PS256 does not match the key");
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
}

TEST(protected_cty_and_scheme)
{
	ASSERT(check_prot(P_HEAD P_CRIT P_X509 P_ST "}", OV_E_FORMAT,
			  "missing required member \"cty\""));
	ASSERT(check_prot(P_HEAD P_CRIT "\"cty\":1," P_X509 P_ST "}",
			  OV_E_FORMAT, "\"cty\" must be a string"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY P_ST "}", OV_E_FORMAT,
			  "missing required member \"" SCHEME "\""));
	ASSERT(check_prot(
	    P_HEAD P_CRIT CTY ",\"" SCHEME "\":\"notary.default.x509\"" P_ST
			      "}",
	    OV_E_UNSUPPORTED,
	    "signing scheme \"notary.default.x509\" is not supported"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY ",\"" SCHEME
					    "\":\"Notary.x509\"" P_ST "}",
			  OV_E_UNSUPPORTED, NULL));
	/* not JSON, not an object, duplicate members */
	ASSERT(check_prot("{\"alg\":\"ES256\"", OV_E_FORMAT,
			  "jws protected header: invalid JSON"));
	ASSERT(check_prot("[1]", OV_E_FORMAT, "not a JSON object"));
	ASSERT(check_prot(P_HEAD "\"alg\":\"ES256\"," P_CRIT CTY "," P_X509 P_ST
				 "}",
			  OV_E_FORMAT, "duplicate member \"alg\""));
	/* case variants of the Notary members (Go reads "Alg" as "alg") */
	ASSERT(check_prot(
	    P_HEAD "\"Alg\":\"ES384\"," P_CRIT CTY "," P_X509 P_ST "}",
	    OV_E_FORMAT,
	    "jws protected header: members \"alg\" and \"Alg\" differ only in letter case"));
	ASSERT(check_prot(
	    P_HEAD P_CRIT
	    "\"CTY\":\"application/vnd.cncf.notary.payload.v1+json\"," P_X509
		P_ST "}",
	    OV_E_FORMAT,
	    "jws protected header: member \"CTY\" differs from a known member only in letter case (\"cty\")"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY
			  "," P_X509 P_ST
			  ",\"io.cncf.notary.SigningTime\":\"" T0S "\"}",
			  OV_E_FORMAT, "only in letter case"));
	ASSERT(check_prot(P_OK, OV_OK, NULL));
}

TEST(protected_crit)
{
	/* required, a non-empty array of strings */
	ASSERT(check_prot(P_HEAD CTY "," P_X509 P_ST "}", OV_E_FORMAT,
			  "missing required member \"crit\""));
	ASSERT(check_prot(P_HEAD "\"crit\":[]," CTY "," P_X509 P_ST "}",
			  OV_E_FORMAT, "\"crit\" must not be empty"));
	ASSERT(check_prot(P_HEAD "\"crit\":\"" SCHEME "\"," CTY "," P_X509 P_ST
				 "}",
			  OV_E_FORMAT, "\"crit\" must be an array"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",1]," CTY
				 "," P_X509 P_ST "}",
			  OV_E_FORMAT, "crit[1] must be a string"));
	/* must name signingScheme */
	ASSERT(check_prot(
	    P_HEAD "\"crit\":[\"x\"],\"x\":\"1\"," CTY "," P_X509 P_ST "}",
	    OV_E_FORMAT,
	    "these required headers are not marked as critical: [" SCHEME "]"));
	/* entries must name present, non-system headers */
	ASSERT(
	    check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"absent\"]," CTY
			      "," P_X509 P_ST "}",
		       OV_E_FORMAT,
		       "\"absent\" header is marked critical but not present"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"alg\"]," CTY
				 "," P_X509 P_ST "}",
			  OV_E_FORMAT,
			  "\"alg\" header is marked critical but not present"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"cty\"]," CTY
				 "," P_X509 P_ST "}",
			  OV_E_FORMAT, "\"cty\" header is marked critical"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"crit\"]," CTY
				 "," P_X509 P_ST "}",
			  OV_E_FORMAT, "\"crit\" header is marked critical"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME
				 "\",\"" OV_HDR_SIGNING_TIME "\"]," CTY
				 "," P_X509 P_ST "}",
			  OV_E_FORMAT,
			  "\"" OV_HDR_SIGNING_TIME
			  "\" header is marked critical"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_EXPIRY
				 "\"]," CTY "," P_X509 P_ST "}",
			  OV_E_FORMAT,
			  "\"" OV_HDR_EXPIRY "\" header is marked critical"));
	/* a repeated required entry fails, a repeated extended one passes */
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" SCHEME "\"]," CTY
				 "," P_X509 P_ST "}",
			  OV_E_FORMAT,
			  "\"" SCHEME "\" header is marked critical"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME
				 "\",\"x\",\"x\"],\"x\":\"1\"," CTY
				 "," P_X509 P_ST "}",
			  OV_OK, NULL));
	/* crit names are case-sensitive */
	ASSERT(check_prot(P_HEAD
			  "\"crit\":[\"io.cncf.notary.SigningScheme\"]," CTY
			  "," P_X509 P_ST "}",
			  OV_E_FORMAT, NULL));
	/* expiry present: must be critical */
	ASSERT(check_prot(
	    P_HEAD P_CRIT CTY "," P_X509 P_ST ",\"" OV_HDR_EXPIRY
			      "\":\"2099-01-01T00:00:00Z\"}",
	    OV_E_FORMAT,
	    "these required headers are not marked as critical: [" OV_HDR_EXPIRY
	    "]"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_EXPIRY
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_EXPIRY
				 "\":\"2099-01-01T00:00:00Z\"}",
			  OV_OK, NULL));
}

TEST(unknown_critical_attribute_recorded)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	const char *json = P_HEAD
	    "\"crit\":[\"" SCHEME "\",\"com.example.unknown\"]," CTY
	    ",\"com.example.unknown\":\"v\",\"com.example.num\":[1,{\"a\":true}]," P_X509
		P_ST "}";

	signer_load(&s, "p256");
	req_init(&req, &s);
	req.protected_raw = (const unsigned char *)json;
	req.protected_raw_len = strlen(json);
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->nattrs, 2);
	ASSERT_STR_EQ(env->attrs[0].name, "com.example.unknown");
	ASSERT_STR_EQ(env->attrs[0].value, "v");
	ASSERT_INT_EQ(env->attrs[0].critical, 1);
	ASSERT_STR_EQ(env->attrs[1].name, "com.example.num");
	ASSERT_STR_EQ(env->attrs[1].value, "[1,{\"a\":true}]");
	ASSERT_INT_EQ(env->attrs[1].critical, 0);
	ASSERT_OK(verify_env(env, &err), &err);
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
}

TEST(protected_times)
{
	/* expiry strictly after the signing time */
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_EXPIRY
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_EXPIRY
				 "\":\"2023-11-14T22:13:19Z\"}",
			  OV_E_FORMAT,
			  "expiry cannot be equal or before the signing time"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_EXPIRY
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_EXPIRY
				 "\":\"" T0S "\"}",
			  OV_E_FORMAT,
			  "expiry cannot be equal or before the signing time"));
	/* the same instant written with an offset */
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_EXPIRY
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_EXPIRY
				 "\":\"2023-11-15T06:13:20+08:00\"}",
			  OV_E_FORMAT, "expiry cannot be equal or before"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_EXPIRY
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_EXPIRY
				 "\":\"2023-11-15T06:13:21+08:00\"}",
			  OV_OK, NULL));
	/* x509 needs signingTime and refuses authenticSigningTime */
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 "}", OV_E_FORMAT,
			  "\"" OV_HDR_SIGNING_TIME
			  "\" header must be present for notary.x509"));
	ASSERT(check_prot(
	    P_HEAD P_CRIT CTY "," P_X509 P_ST
			      ",\"" OV_HDR_AUTHENTIC_SIGNING_TIME "\":\"" T0S
			      "\"}",
	    OV_E_FORMAT,
	    "\"" OV_HDR_AUTHENTIC_SIGNING_TIME
	    "\" header must not be present for notary.x509 signing scheme"));
	/* signingAuthority: the other way round */
	ASSERT(check_prot(
	    P_HEAD
	    "\"crit\":[\"" SCHEME "\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
	    "\"]," CTY ",\"" SCHEME
	    "\":\"notary.x509.signingAuthority\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
	    "\":\"" T0S "\"}",
	    OV_OK, NULL));
	ASSERT(check_prot(
	    P_HEAD
	    "\"crit\":[\"" SCHEME "\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
	    "\"]," CTY ",\"" SCHEME
	    "\":\"notary.x509.signingAuthority\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
	    "\":\"" T0S "\"" P_ST "}",
	    OV_E_FORMAT,
	    "\"" OV_HDR_SIGNING_TIME
	    "\" header must not be present for notary.x509.signingAuthority"));
	ASSERT(check_prot(
	    P_HEAD "\"crit\":[\"" SCHEME "\"]," CTY ",\"" SCHEME
		   "\":\"notary.x509.signingAuthority\"}",
	    OV_E_FORMAT,
	    "header must be present for notary.x509.signingAuthority"));
	/* authenticSigningTime must be critical for signingAuthority */
	ASSERT(check_prot(
	    P_HEAD P_CRIT CTY
	    ",\"" SCHEME
	    "\":\"notary.x509.signingAuthority\",\"" OV_HDR_AUTHENTIC_SIGNING_TIME
	    "\":\"" T0S "\"}",
	    OV_E_FORMAT,
	    "not marked as critical: [" OV_HDR_AUTHENTIC_SIGNING_TIME "]"));
	/* RFC 3339 only, with an offset; Go's zero time is "missing" */
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 ",\"" OV_HDR_SIGNING_TIME
					    "\":\"2023-11-14 22:13:20\"}",
			  OV_E_FORMAT,
			  "\"" OV_HDR_SIGNING_TIME "\": invalid time"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 ",\"" OV_HDR_SIGNING_TIME
					    "\":\"2023-11-14T22:13:20\"}",
			  OV_E_FORMAT, "invalid time"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 ",\"" OV_HDR_SIGNING_TIME
					    "\":1700000000}",
			  OV_E_FORMAT, "must be a string"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 ",\"" OV_HDR_SIGNING_TIME
					    "\":\"0001-01-01T00:00:00Z\"}",
			  OV_E_FORMAT, "signing time missing"));
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 ",\"" OV_HDR_SIGNING_TIME
					    "\":\"2023-11-14T22:13:20.999Z\"}",
			  OV_OK, NULL));
}

TEST(protected_plugin)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	const char *json =
	    P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_PLUGIN
		   "\",\"" OV_HDR_PLUGIN_MIN_VERSION "\"]," CTY "," P_X509 P_ST
		   ",\"" OV_HDR_PLUGIN
		   "\":\"com.example.plugin\",\"" OV_HDR_PLUGIN_MIN_VERSION
		   "\":\"1.0.0\"}";

	signer_load(&s, "p256");
	req_init(&req, &s);
	req.protected_raw = (const unsigned char *)json;
	req.protected_raw_len = strlen(json);
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_STR_EQ(env->plugin, "com.example.plugin");
	ASSERT_STR_EQ(env->plugin_min_version, "1.0.0");
	ASSERT_INT_EQ(env->nattrs, 0);
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
	/* the plugin attributes must be critical and the name non-blank */
	ASSERT(check_prot(P_HEAD P_CRIT CTY "," P_X509 P_ST ",\"" OV_HDR_PLUGIN
					    "\":\"p\"}",
			  OV_E_FORMAT,
			  "\"" OV_HDR_PLUGIN "\" is not marked critical"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_PLUGIN
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_PLUGIN
				 "\":\" \"}",
			  OV_E_FORMAT, "\"" OV_HDR_PLUGIN "\" is blank"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_PLUGIN
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_PLUGIN
				 "\":1}",
			  OV_E_FORMAT, "must be a string"));
	ASSERT(check_prot(P_HEAD "\"crit\":[\"" SCHEME "\",\"" OV_HDR_PLUGIN
				 "\"]," CTY "," P_X509 P_ST ",\"" OV_HDR_PLUGIN
				 "\":\"p\",\"" OV_HDR_PLUGIN_MIN_VERSION
				 "\":\"1.0.0\"}",
			  OV_E_FORMAT,
			  "\"" OV_HDR_PLUGIN_MIN_VERSION
			  "\" is not marked critical"));
	/* notation reads a case variant as the plugin requirement; ocivet
	 * used to take it for an ordinary attribute and ignore it */
	ASSERT(check_prot(
	    P_HEAD P_CRIT CTY "," P_X509 P_ST
			      ",\"io.cncf.notary.VerificationPlugin\":\"p\"}",
	    OV_E_FORMAT,
	    "member \"io.cncf.notary.VerificationPlugin\" differs from a known member only in letter case (\"" OV_HDR_PLUGIN
	    "\")"));
}

TEST(pss_salt_zero_accepted)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	size_t n = 0;

	signer_load(&s, "rsa2048");
	req_init(&req, &s);
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->pss_salt, OV_PSS_SALT_AUTO);
	/* re-sign the signing input with salt length 0 (golang-jwt accepts
	 * any salt length) */
	ctx = EVP_MD_CTX_new();
	ASSERT(ctx != NULL);
	ASSERT(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, s.key) == 1);
	ASSERT(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0);
	ASSERT(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 0) > 0);
	n = env->sig.n;
	ASSERT(EVP_DigestSign(ctx, env->sig.p, &n, env->tbs.p, env->tbs.n) ==
	       1);
	EVP_MD_CTX_free(ctx);
	ASSERT_INT_EQ(n, env->sig.n);
	ASSERT_OK(verify_env(env, &err), &err);
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
}

TEST(attach_timestamp)
{
	static const unsigned char token[] = {0x30, 0x03, 0x02, 0x01, 0x05};
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b, t, t2;
	struct ov_err err;
	char *a, *c;
	int i;

	signer_load(&s, "rsa2048");
	req_init(&req, &s);
	ov_buf_init(&b, 1 << 20);
	ov_buf_init(&t, 1 << 20);
	ov_buf_init(&t2, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(ov_sign_attach_timestamp(OV_MT_JWS, b.data, b.len, token,
					   sizeof(token), &t, &err),
		  &err);
	/* the signed parts are unchanged */
	for (i = 0; i < 3; i++) {
		const char *name = i == 0   ? "protected"
				   : i == 1 ? "payload"
					    : "signature";
		a = member(&b, name);
		c = member(&t, name);
		ASSERT_STR_EQ(a, c);
		free(a);
		free(c);
	}
	ASSERT_STR_HAS(
	    (const char *)t.data,
	    "\"header\":{\"io.cncf.notary.timestampSignature\":\"MAMCAQU=\",\"x5c\":[");
	ASSERT_OK(parse_buf(&t, &env, &err), &err);
	ASSERT_INT_EQ(env->timestamp.n, sizeof(token));
	ASSERT_MEM_EQ(env->timestamp.p, token, sizeof(token));
	ASSERT_STR_EQ(env->signing_agent, "ocivet-test/1.0");
	ASSERT_OK(verify_env(env, &err), &err);
	ov_envelope_free(env);
	env = NULL;
	/* attaching again replaces the token */
	ASSERT_OK(ov_sign_attach_timestamp(OV_MT_JWS, t.data, t.len, "AB", 2,
					   &t2, &err),
		  &err);
	ASSERT_OK(parse_buf(&t2, &env, &err), &err);
	ASSERT_INT_EQ(env->timestamp.n, 2);
	ASSERT_MEM_EQ(env->timestamp.p, "AB", 2);
	ov_envelope_free(env);
	ov_buf_reset(&t2);
	ASSERT_CODE(ov_sign_attach_timestamp("application/x", t.data, t.len,
					     "AB", 2, &t2, &err),
		    OV_E_UNSUPPORTED, &err);
	ov_buf_free(&b);
	ov_buf_free(&t);
	ov_buf_free(&t2);
	signer_free(&s);
}

/* ------------------------------------------------------------------
 * Upstream vectors.
 */

static int
vector(const char *rel, int want_ok, const char *msg)
{
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	enum ov_code r;
	int ok = 1;

	read_file_or_die(vectors_path(rel), &b);
	ov_err_clear(&err);
	r = ov_envelope_parse(OV_MT_JWS, b.data, b.len, &env, &err);
	if (want_ok && r == OV_OK) {
		if (verify_env(env, &err) != OV_OK) {
			fprintf(stderr, "%s: verify: %s\n", rel, err.msg);
			ok = 0;
		}
	} else if (want_ok) {
		fprintf(stderr, "%s: parse: %s\n", rel, err.msg);
		ok = 0;
	} else if (r == OV_OK ||
		   (msg != NULL && strstr(err.msg, msg) == NULL)) {
		fprintf(stderr, "%s: got %s \"%s\", want failure \"%s\"\n", rel,
			ov_code_name(r), err.msg, msg != NULL ? msg : "");
		ok = 0;
	}
	ov_envelope_free(env);
	ov_buf_free(&b);
	return ok;
}

TEST(vectors_mock_envelopes)
{
	const char *dir = vectors_path("notation-go/mock-envelopes");
	char rel[512];
	struct dirent *de;
	DIR *d;
	int n = 0, invalid;

	if (dir == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	ASSERT((d = opendir(dir)) != NULL);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0 ||
		    strstr(de->d_name, "sig_env") == NULL)
			continue;
		(void)snprintf(rel, sizeof(rel),
			       "notation-go/mock-envelopes/%s", de->d_name);
		invalid = strstr(de->d_name, "_invalid_") != NULL;
		if (!vector(rel, !invalid, invalid ? "illegal base64" : NULL)) {
			closedir(d);
			FAIL("%s", rel);
		}
		n++;
	}
	closedir(d);
	ASSERT_INT_EQ(n, 17);
}

TEST(vectors_mock_details)
{
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	const char *p;

	if ((p = vectors_path(
		 "notation-go/mock-envelopes/sa_plugin_sig_env.json")) ==
	    NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	read_file_or_die(p, &b);
	ASSERT_OK(ov_jws_parse(b.data, b.len, &env, &err), &err);
	ASSERT_INT_EQ(env->alg, OV_ALG_PS384);
	ASSERT_INT_EQ(env->scheme, OV_SCHEME_SIGNING_AUTHORITY);
	ASSERT_STR_EQ(env->plugin, "plugin-name");
	ASSERT_INT_EQ(env->nattrs, 1);
	ASSERT_STR_EQ(env->attrs[0].name, "SomeKey");
	ASSERT_STR_EQ(env->attrs[0].value, "SomeValue");
	ASSERT_INT_EQ(env->attrs[0].critical, 1);
	/* "io.cncf.notary.SigningAgent" is not the signing agent */
	ASSERT(env->signing_agent == NULL);
	ASSERT_INT_EQ(env->ncerts, 2);
	ASSERT_INT_EQ(env->has_expiry, 1);
	ov_envelope_free(env);
	env = NULL;
	ov_buf_free(&b);
	read_file_or_die(
	    vectors_path("notation-go/mock-envelopes/ca_invalid_sig_env.json"),
	    &b);
	ASSERT_CODE(ov_jws_parse(b.data, b.len, &env, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg,
		       "payload: illegal base64url data at input byte 242");
	ov_buf_free(&b);
	read_file_or_die(
	    vectors_path(
		"notation-go/mock-envelopes/ca_compatible_pluginver_sig_env_1.0.0.json"),
	    &b);
	ASSERT_OK(ov_jws_parse(b.data, b.len, &env, &err), &err);
	ASSERT_STR_EQ(env->plugin, "io.cncf.notary.plugin.unittest.mock");
	ASSERT_STR_EQ(env->plugin_min_version, "1.0.0");
	ASSERT_STR_EQ(env->signing_agent, "Notation/1.0.0");
	/* 2023-01-19T13:05:58-08:00 */
	ASSERT_INT_EQ(env->signing_time, 1674162358);
	ov_envelope_free(env);
	ov_buf_free(&b);
}

TEST(vectors_signatures)
{
	static const char *const files[] = {
	    "notation-go/local-layout/jws_signature.sig",
	    "notation-go/timestamp/sigEnv/jwsWithTimestamp.sig",
	    "notation-go/timestamp/sigEnv/jwsExpiredWithTimestamp.sig",
	    "notation-go/timestamp/sigEnv/timestampBeforeNotBefore.sig",
	    "notation-go/timestamp/sigEnv/withoutTimestamp.sig",
	    "notation-e2e/blob/blob.jws.sig",
	};
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	size_t i;

	if (vectors_path("notation-e2e") == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!vector(files[i], 1, NULL))
			FAIL("%s", files[i]);
	ASSERT(vector("notation-e2e/blob/malformed.jws.sig", 0,
		      "jws envelope: invalid JSON"));
	read_file_or_die(vectors_path("notation-e2e/blob/blob.jws.sig"), &b);
	ASSERT_OK(ov_jws_parse(b.data, b.len, &env, &err), &err);
	ASSERT_INT_EQ(env->alg, OV_ALG_PS256);
	ASSERT_STR_EQ(env->signing_agent, "notation-go/1.3.0+unreleased");
	ASSERT(env->timestamp.n > 1000);
	ASSERT_INT_EQ(env->timestamp.p[0], 0x30);
	ASSERT_INT_EQ(env->signing_time, 1735632329); /* 2024-12-31T08:05:29Z */
	ov_envelope_free(env);
	ov_buf_free(&b);
}

int
main(void)
{
	RUN(roundtrip_all_algs);
	RUN(roundtrip_signing_authority);
	RUN(conformance_vector);
	RUN(payload_encoder);
	RUN(media_type_dispatch);
	RUN(top_level_members);
	RUN(base64_members);
	RUN(unprotected_header);
	RUN(protected_valid);
	RUN(protected_alg);
	RUN(alg_name_knob_and_mismatch);
	RUN(protected_cty_and_scheme);
	RUN(protected_crit);
	RUN(unknown_critical_attribute_recorded);
	RUN(protected_times);
	RUN(protected_plugin);
	RUN(pss_salt_zero_accepted);
	RUN(attach_timestamp);
	RUN(vectors_mock_envelopes);
	RUN(vectors_mock_details);
	RUN(vectors_signatures);
	return ov_test_done();
}
