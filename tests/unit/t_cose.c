/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for cose.c (and the COSE side of sign.c): round trips with
 * every algorithm, the structural limits of the CBOR walk, the header
 * rules, and the upstream notation and Microsoft vectors.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "envelope.h"
#include "harness.h"
#include "sign.h"

#define SCHEME OV_HDR_SIGNING_SCHEME
#define T0 1700000000 /* 2023-11-14T22:13:20Z */

static const char payload[] =
    "{\"targetArtifact\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"digest\":\"sha256:"
    "c0669ef34cdc14332c0f1ab0c2c01acb91d96014b172f1a76f3a39e63d1f0bda\","
    "\"size\":528}}";

struct signer {
	EVP_PKEY *key;
	STACK_OF(X509) *chain;
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
	    !sk_X509_push(s->chain, x)) {
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
	req->media_type = OV_MT_COSE;
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
	return ov_cose_parse(b->data, b->len, env, err);
}

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

/* ------------------------------------------------------------------
 * A small CBOR writer for hand-made envelopes.
 */

static void
cb(struct ov_buf *b, unsigned major, uint64_t v)
{
	unsigned char h[9];
	size_t n = 1, i;

	if (v < 24) {
		h[0] = (unsigned char)(major << 5 | v);
	} else {
		n = v < 0x100 ? 1 : v < 0x10000 ? 2 : v < 0x100000000 ? 4 : 8;
		h[0] = (unsigned char)(major << 5 | (n == 1   ? 24
						     : n == 2 ? 25
						     : n == 4 ? 26
							      : 27));
		for (i = 0; i < n; i++)
			h[1 + i] = (unsigned char)(v >> (8 * (n - 1 - i)));
		n++;
	}
	if (ov_buf_add(b, h, n, NULL) != OV_OK)
		exit(99);
}

static void
cb_raw(struct ov_buf *b, const void *p, size_t n)
{
	if (n > 0 && ov_buf_add(b, p, n, NULL) != OV_OK)
		exit(99);
}

static void
cb_i(struct ov_buf *b, int64_t v)
{
	if (v >= 0)
		cb(b, 0, (uint64_t)v);
	else
		cb(b, 1, (uint64_t)(-(v + 1)));
}

static void
cb_t(struct ov_buf *b, const char *s)
{
	cb(b, 3, strlen(s));
	cb_raw(b, s, strlen(s));
}

static void
cb_b(struct ov_buf *b, const void *p, size_t n)
{
	cb(b, 2, n);
	cb_raw(b, p, n);
}

static void
cb_time(struct ov_buf *b, int64_t t)
{
	cb(b, 6, 1);
	cb_i(b, t);
}

/* notation's five protected entries (ES256, x509, T0); the map head
 * counts extra more entries, which the caller appends. */
static void
prot_std(struct ov_buf *b, size_t extra)
{
	ov_buf_init(b, 1 << 20);
	cb(b, 5, 5 + extra);
	cb_i(b, 1);
	cb_i(b, -7);
	cb_i(b, 2);
	cb(b, 4, 1);
	cb_t(b, SCHEME);
	cb_i(b, 3);
	cb_t(b, OV_MT_NOTARY_PAYLOAD);
	cb_t(b, SCHEME);
	cb_t(b, "notary.x509");
	cb_t(b, OV_HDR_SIGNING_TIME);
	cb_time(b, T0);
}

/* DER of envelope/p256.crt. */
static void
cert_der(struct ov_buf *out)
{
	struct signer s;
	unsigned char *der = NULL;
	int n;

	signer_load(&s, "p256");
	n = i2d_X509(sk_X509_value(s.chain, 0), &der);
	ov_buf_init(out, 1 << 20);
	cb_raw(out, der, (size_t)n);
	OPENSSL_free(der);
	signer_free(&s);
}

/* Unprotected map {33: [cert]} whose head counts extra more entries. */
static void
unprot_std(struct ov_buf *b, size_t extra)
{
	struct ov_buf der;

	cert_der(&der);
	ov_buf_init(b, 1 << 20);
	cb(b, 5, 1 + extra);
	cb_i(b, 33);
	cb(b, 4, 1);
	cb_b(b, der.data, der.len);
	ov_buf_free(&der);
}

/* Tagged COSE_Sign1 from parts; payload NULL writes nil; a dummy
 * signature of siglen bytes. */
static void
build(struct ov_buf *out, const struct ov_buf *prot,
      const struct ov_buf *unprot, const char *pay, size_t siglen)
{
	unsigned char sig[64];

	memset(sig, 0xab, sizeof(sig));
	ov_buf_init(out, 1 << 20);
	cb(out, 6, 18);
	cb(out, 4, 4);
	cb_b(out, prot->data, prot->len);
	cb_raw(out, unprot->data, unprot->len);
	if (pay != NULL)
		cb_b(out, pay, strlen(pay));
	else
		cb_raw(out, "\xf6", 1);
	cb_b(out, sig, siglen);
}

/* Parse b and compare with want and a message fragment. */
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
		fprintf(stderr, "got %s \"%s\", want %s \"%s\"\n",
			ov_code_name(r), err.msg, ov_code_name(want),
			msg != NULL ? msg : "");
		ok = 0;
	}
	ov_envelope_free(env);
	return ok;
}

/* Envelope with protected header prot and the standard rest. */
static int
expect_prot(const struct ov_buf *prot, enum ov_code want, const char *msg)
{
	struct ov_buf unprot, env;
	int ok;

	unprot_std(&unprot, 0);
	build(&env, prot, &unprot, payload, 64);
	ok = expect(&env, want, msg);
	ov_buf_free(&unprot);
	ov_buf_free(&env);
	return ok;
}

/* Envelope with unprotected header unprot and the standard rest. */
static int
expect_unprot(const struct ov_buf *unprot, enum ov_code want, const char *msg)
{
	struct ov_buf prot, env;
	int ok;

	prot_std(&prot, 0);
	build(&env, &prot, unprot, payload, 64);
	ok = expect(&env, want, msg);
	ov_buf_free(&prot);
	ov_buf_free(&env);
	return ok;
}

/* ------------------------------------------------------------------ */

TEST(roundtrip_all_algs)
{
	static const struct ov_sign_attr attrs[] = {
	    {"com.example.critical", "yes", 1},
	    {"com.example.note", "note", 0},
	};
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	unsigned char *der = NULL;
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
		ASSERT_INT_EQ(b.data[0], 0xd2);
		ASSERT_INT_EQ(b.data[1], 0x84);
		ASSERT_OK(parse_buf(&b, &env, &err), &err);
		ASSERT_STR_EQ(env->media_type, OV_MT_COSE);
		ASSERT_INT_EQ(env->alg, keys[i].alg);
		ASSERT_STR_EQ(env->content_type, OV_MT_NOTARY_PAYLOAD);
		ASSERT_INT_EQ(env->scheme, OV_SCHEME_X509);
		ASSERT_INT_EQ(env->signing_time, T0);
		ASSERT_INT_EQ(env->has_expiry, 1);
		ASSERT_INT_EQ(env->expiry, T0 + 86400);
		ASSERT_STR_EQ(env->signing_agent, "ocivet-test/1.0");
		ASSERT_INT_EQ(env->pss_salt, OV_PSS_SALT_DIGEST);
		ASSERT_INT_EQ(env->nattrs, 2);
		/* attributes in header (canonical) order */
		ASSERT_STR_EQ(env->attrs[0].name, "com.example.note");
		ASSERT_STR_EQ(env->attrs[0].value, "note");
		ASSERT_INT_EQ(env->attrs[0].critical, 0);
		ASSERT_STR_EQ(env->attrs[1].name, "com.example.critical");
		ASSERT_INT_EQ(env->attrs[1].critical, 1);
		ASSERT_INT_EQ(env->payload.n, strlen(payload));
		ASSERT_MEM_EQ(env->payload.p, payload, strlen(payload));
		ASSERT_INT_EQ(env->ncerts, 1);
		len = i2d_X509(sk_X509_value(s.chain, 0), &der);
		ASSERT_INT_EQ(env->certs[0].n, len);
		ASSERT_MEM_EQ(env->certs[0].p, der, (size_t)len);
		OPENSSL_free(der);
		der = NULL;
		/* Sig_structure: ["Signature1", protected, h'', payload] */
		ASSERT_MEM_EQ(env->tbs.p, "\x84\x6aSignature1", 12);
		ASSERT_MEM_EQ(env->tbs.p + env->tbs.n - strlen(payload),
			      payload, strlen(payload));
		ASSERT_OK(verify_env(env, &err), &err);
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
	struct ov_buf b, want;
	struct ov_err err;

	signer_load(&s, "p384");
	req_init(&req, &s);
	req.scheme = OV_SCHEME_SIGNING_AUTHORITY;
	req.has_expiry = 1;
	req.expiry = T0 + 60;
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	/* protected map in canonical order: 1, 2, 3, then text labels by
	 * length: expiry (21), signingScheme (28), authenticSigningTime */
	ov_buf_init(&want, 1 << 20);
	cb(&want, 5, 6);
	cb_i(&want, 1);
	cb_i(&want, -35);
	cb_i(&want, 2);
	cb(&want, 4, 3);
	cb_t(&want, SCHEME);
	cb_t(&want, OV_HDR_AUTHENTIC_SIGNING_TIME);
	cb_t(&want, OV_HDR_EXPIRY);
	cb_i(&want, 3);
	cb_t(&want, OV_MT_NOTARY_PAYLOAD);
	cb_t(&want, OV_HDR_EXPIRY);
	cb_time(&want, T0 + 60);
	cb_t(&want, SCHEME);
	cb_t(&want, "notary.x509.signingAuthority");
	cb_t(&want, OV_HDR_AUTHENTIC_SIGNING_TIME);
	cb_time(&want, T0);
	ASSERT(want.len > 255);
	ASSERT_INT_EQ(b.data[2], 0x59);
	ASSERT_INT_EQ(b.data[3] << 8 | b.data[4], want.len);
	ASSERT_MEM_EQ(b.data + 5, want.data, want.len);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->scheme, OV_SCHEME_SIGNING_AUTHORITY);
	ASSERT_INT_EQ(env->signing_time, T0);
	ASSERT_INT_EQ(env->expiry, T0 + 60);
	ASSERT_OK(verify_env(env, &err), &err);
	ov_envelope_free(env);
	ov_buf_free(&want);
	ov_buf_free(&b);
	signer_free(&s);
}

static int
unhex(const char *s, struct ov_buf *out)
{
	unsigned v;
	unsigned char c;

	ov_buf_init(out, 1 << 20);
	for (; s[0] != '\0' && s[1] != '\0'; s += 2) {
		if (sscanf(s, "%2x", &v) != 1)
			return 0;
		c = (unsigned char)v;
		cb_raw(out, &c, 1);
	}
	return 1;
}

/* notation-core-go signature/cose/testdata/conformance.json */
TEST(conformance_vector)
{
	static const struct ov_sign_attr attrs[] = {
	    {"signedCritKey1", "signedCritValue1", 1},
	    {"signedKey1", "signedValue1", 0},
	};
	const char *path;
	cJSON *root = NULL;
	const cJSON *v;
	struct signer s;
	struct ov_sign_request req;
	struct ov_buf vec, b, prot, whole;
	struct ov_err err;

	if ((path = vectors_path(
		 "notation-core-go/signature/cose/conformance.json")) == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	read_file_or_die(path, &vec);
	root = cJSON_ParseWithLength((const char *)vec.data, vec.len);
	ASSERT(root != NULL);
	v = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "protectedHeaders"),
	    "cborHex");
	ASSERT(cJSON_IsString(v) && unhex(v->valuestring, &prot));
	v = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "expectedOutput"),
	    "cborHex");
	ASSERT(cJSON_IsString(v) && unhex(v->valuestring, &whole));
	signer_load(&s, "rsa3072");
	req_init(&req, &s);
	req.chain = NULL;
	req.payload = (const unsigned char *)"hello COSE";
	req.payload_len = 10;
	req.signing_time = 1661321924;
	req.has_expiry = 1;
	req.expiry = 1661408324;
	req.attrs = attrs;
	req.nattrs = 2;
	req.signing_agent = "NotationConformanceTest/1.0.0";
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	/* byte-identical up to the (randomised PSS) signature value */
	ASSERT_INT_EQ(b.len, whole.len);
	ASSERT_MEM_EQ(b.data + 5, prot.data, prot.len);
	ASSERT_MEM_EQ(b.data, whole.data, whole.len - 384);
	ov_buf_free(&b);
	ov_buf_free(&prot);
	ov_buf_free(&whole);
	ov_buf_free(&vec);
	cJSON_Delete(root);
	signer_free(&s);
}

TEST(hand_built)
{
	struct ov_buf prot, unprot, b;
	struct ov_envelope *env = NULL;
	struct ov_err err;

	prot_std(&prot, 0);
	unprot_std(&unprot, 0);
	build(&b, &prot, &unprot, payload, 64);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->alg, OV_ALG_ES256);
	ASSERT_INT_EQ(env->signing_time, T0);
	ASSERT(env->signing_agent == NULL);
	ASSERT_INT_EQ(env->has_expiry, 0);
	ASSERT_INT_EQ(env->nattrs, 0);
	ASSERT_INT_EQ(env->sig.n, 64);
	/* tbs embeds the protected bytes as received */
	ASSERT_INT_EQ(env->tbs.n,
		      1 + 11 + 2 + prot.len + 1 + 2 + strlen(payload));
	ASSERT_MEM_EQ(env->tbs.p + 14, prot.data, prot.len);
	ov_envelope_free(env);
	ov_buf_free(&prot);
	ov_buf_free(&unprot);
	ov_buf_free(&b);
}

TEST(structure)
{
	struct ov_buf prot, unprot, good, b;
	size_t i;

	prot_std(&prot, 0);
	unprot_std(&unprot, 0);
	build(&good, &prot, &unprot, payload, 64);
	ASSERT(expect(&good, OV_OK, NULL));
	/* untagged COSE_Sign1, another tag, wrong array length */
	ov_buf_init(&b, 1 << 20);
	cb_raw(&b, good.data + 1, good.len - 1);
	ASSERT(expect(&b, OV_E_FORMAT, "invalid COSE_Sign1_Tagged object"));
	ov_buf_reset(&b);
	cb(&b, 6, 98);
	cb_raw(&b, good.data + 1, good.len - 1);
	ASSERT(expect(&b, OV_E_FORMAT, "invalid COSE_Sign1_Tagged object"));
	ov_buf_reset(&b);
	cb_raw(&b, "\xd2\x83", 2);
	cb_raw(&b, good.data + 2, good.len - 2);
	ASSERT(expect(&b, OV_E_FORMAT, "invalid COSE_Sign1_Tagged object"));
	/* an extra 5th element */
	ov_buf_reset(&b);
	cb_raw(&b, "\xd2\x85", 2);
	cb_raw(&b, good.data + 2, good.len - 2);
	cb_raw(&b, "\x00", 1);
	ASSERT(expect(&b, OV_E_FORMAT, "invalid COSE_Sign1_Tagged object"));
	/* a nested tag 18 */
	ov_buf_reset(&b);
	cb_raw(&b, "\xd2", 1);
	cb_raw(&b, good.data, good.len);
	ASSERT(expect(&b, OV_E_FORMAT, NULL));
	/* every truncation fails */
	for (i = 0; i < good.len; i++) {
		ov_buf_reset(&b);
		cb_raw(&b, good.data, i);
		if (!expect(&b, OV_E_FORMAT, NULL))
			FAIL("truncated to %zu bytes", i);
	}
	/* trailing bytes */
	ov_buf_reset(&b);
	cb_raw(&b, good.data, good.len);
	cb_raw(&b, "\x00", 1);
	ASSERT(expect(&b, OV_E_FORMAT, "1 trailing bytes"));
	/* a reserved additional-information value (corrupt head) */
	ov_buf_reset(&b);
	cb_raw(&b, good.data, good.len);
	ASSERT_INT_EQ(b.data[good.len - 66], 0x58);
	b.data[good.len - 66] = 0x5c;
	ASSERT(expect(&b, OV_E_FORMAT, "malformed CBOR"));
	/* the protected header written as a map, not a bstr */
	ov_buf_reset(&b);
	cb_raw(&b, "\xd2\x84", 2);
	cb(&b, 5, 0);
	cb_raw(&b, unprot.data, unprot.len);
	cb_b(&b, payload, strlen(payload));
	cb_b(&b, "sig", 3);
	ASSERT(
	    expect(&b, OV_E_FORMAT, "protected header must be a byte string"));
	/* unprotected not a map */
	ov_buf_reset(&b);
	cb_raw(&b, "\xd2\x84", 2);
	cb_b(&b, prot.data, prot.len);
	cb(&b, 4, 0);
	cb_b(&b, payload, strlen(payload));
	cb_b(&b, "sig", 3);
	ASSERT(expect(&b, OV_E_FORMAT, "unprotected header must be a map"));
	ov_buf_free(&b);
	ov_buf_free(&good);
	ov_buf_free(&prot);
	ov_buf_free(&unprot);
}

TEST(indefinite_length)
{
	struct ov_buf prot, unprot, b;

	prot_std(&prot, 0);
	unprot_std(&unprot, 0);
	/* indefinite-length unprotected map */
	ov_buf_init(&b, 1 << 20);
	cb_raw(&b, "\xd2\x84", 2);
	cb_b(&b, prot.data, prot.len);
	cb_raw(&b, "\xbf", 1);
	cb_raw(&b, unprot.data + 1, unprot.len - 1);
	cb_raw(&b, "\xff", 1);
	cb_b(&b, payload, strlen(payload));
	cb_b(&b, "sig", 3);
	ASSERT(expect(&b, OV_E_FORMAT, "indefinite-length CBOR item"));
	/* indefinite-length payload byte string */
	ov_buf_reset(&b);
	cb_raw(&b, "\xd2\x84", 2);
	cb_b(&b, prot.data, prot.len);
	cb_raw(&b, unprot.data, unprot.len);
	cb_raw(&b, "\x5f", 1);
	cb_b(&b, payload, strlen(payload));
	cb_raw(&b, "\xff", 1);
	cb_b(&b, "sig", 3);
	ASSERT(expect(&b, OV_E_FORMAT, "indefinite-length CBOR item"));
	/* an indefinite-length array inside the protected header */
	ov_buf_reset(&b);
	cb(&b, 5, 5);
	cb_i(&b, 1);
	cb_i(&b, -7);
	cb_i(&b, 2);
	cb_raw(&b, "\x9f", 1);
	cb_t(&b, SCHEME);
	cb_raw(&b, "\xff", 1);
	cb_i(&b, 3);
	cb_t(&b, OV_MT_NOTARY_PAYLOAD);
	cb_t(&b, SCHEME);
	cb_t(&b, "notary.x509");
	cb_t(&b, OV_HDR_SIGNING_TIME);
	cb_time(&b, T0);
	ASSERT(
	    expect_prot(&b, OV_E_FORMAT,
			"cose protected header: indefinite-length CBOR item"));
	ov_buf_free(&b);
	ov_buf_free(&prot);
	ov_buf_free(&unprot);
}

TEST(limits)
{
	struct ov_buf unprot;
	size_t i;

	/* nesting: 20 arrays deep under an ignored label */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "deep");
	for (i = 0; i < 20; i++)
		cb(&unprot, 4, 1);
	cb_i(&unprot, 0);
	ASSERT(expect_unprot(&unprot, OV_E_LIMIT, "nesting deeper than 16"));
	ov_buf_free(&unprot);
	/* 10 levels are fine */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "deep");
	for (i = 0; i < 10; i++)
		cb(&unprot, 4, 1);
	cb_i(&unprot, 0);
	ASSERT(expect_unprot(&unprot, OV_OK, NULL));
	ov_buf_free(&unprot);
	/* more than 4096 items */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "many");
	cb(&unprot, 4, 5000);
	for (i = 0; i < 5000; i++)
		cb_i(&unprot, 0);
	ASSERT(expect_unprot(&unprot, OV_E_LIMIT,
			     "more than 4096 CBOR data items"));
	ov_buf_free(&unprot);
	/* an array claiming more items than there are bytes */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "huge");
	cb(&unprot, 4, 0xffffffffffULL);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "truncated"));
	ov_buf_free(&unprot);
}

TEST(tags_keys_and_text)
{
	struct ov_buf unprot;

	/* a tag in the unprotected header */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "tagged");
	cb(&unprot, 6, 1);
	cb_i(&unprot, T0);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "CBOR tag 1 at offset"));
	ov_buf_free(&unprot);
	/* duplicate label */
	unprot_std(&unprot, 1);
	cb_i(&unprot, 33);
	cb(&unprot, 4, 0);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "duplicate map key"));
	ov_buf_free(&unprot);
	/* duplicate key in a nested map */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "nested");
	cb(&unprot, 5, 2);
	cb_t(&unprot, "a");
	cb_i(&unprot, 1);
	cb_t(&unprot, "a");
	cb_i(&unprot, 2);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "duplicate map key"));
	ov_buf_free(&unprot);
	/* same key in two different maps is fine */
	unprot_std(&unprot, 2);
	cb_t(&unprot, "m1");
	cb(&unprot, 5, 1);
	cb_t(&unprot, "a");
	cb_i(&unprot, 1);
	cb_t(&unprot, "m2");
	cb(&unprot, 5, 1);
	cb_t(&unprot, "a");
	cb_i(&unprot, 1);
	ASSERT(expect_unprot(&unprot, OV_OK, NULL));
	ov_buf_free(&unprot);
	/* labels must be int or tstr */
	unprot_std(&unprot, 1);
	cb_b(&unprot, "k", 1);
	cb_i(&unprot, 1);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "is not an integer or a text string"));
	ov_buf_free(&unprot);
	/* text must be UTF-8 */
	unprot_std(&unprot, 1);
	cb_t(&unprot, "bad");
	cb_t(&unprot, "\xc3\x28");
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "invalid UTF-8"));
	ov_buf_free(&unprot);
	/* crit belongs in the protected header */
	unprot_std(&unprot, 1);
	cb_i(&unprot, 2);
	cb(&unprot, 4, 1);
	cb_t(&unprot, SCHEME);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "crit (label 2) is not allowed"));
	ov_buf_free(&unprot);
}

/* Envelope with both headers given. */
static int
expect_both(const struct ov_buf *prot, const struct ov_buf *unprot,
	    enum ov_code want, const char *msg)
{
	struct ov_buf env;
	int ok;

	build(&env, prot, unprot, payload, 64);
	ok = expect(&env, want, msg);
	ov_buf_free(&env);
	return ok;
}

/* RFC 9052 section 3: one label per envelope, and the generic rules. */
TEST(header_buckets)
{
	struct ov_buf prot, unprot;

	prot_std(&prot, 0);
	/* a label of the protected header repeated in the unprotected one:
	 * alg, content type, a Notary attribute, and crit */
	unprot_std(&unprot, 1);
	cb_i(&unprot, 1);
	cb_i(&unprot, -7);
	ASSERT(expect_both(
	    &prot, &unprot, OV_E_FORMAT,
	    "cose unprotected header: label 1 is also in the protected header"));
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 3);
	cb_t(&unprot, OV_MT_NOTARY_PAYLOAD);
	ASSERT(expect_both(&prot, &unprot, OV_E_FORMAT,
			   "label 3 is also in the protected header"));
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_t(&unprot, SCHEME);
	cb_t(&unprot, "notary.x509.signingAuthority");
	ASSERT(expect_both(&prot, &unprot, OV_E_FORMAT,
			   "label " SCHEME " is also in the protected header"));
	ov_buf_free(&unprot);
	/* the same label in the other order: protected signingAgent */
	ov_buf_free(&prot);
	prot_std(&prot, 1);
	cb_t(&prot, OV_HDR_SIGNING_AGENT);
	cb_t(&prot, "agent/1");
	unprot_std(&unprot, 1);
	cb_t(&unprot, OV_HDR_SIGNING_AGENT);
	cb_t(&unprot, "agent/2");
	ASSERT(expect_both(&prot, &unprot, OV_E_FORMAT,
			   "label " OV_HDR_SIGNING_AGENT
			   " is also in the protected header"));
	ov_buf_free(&unprot);
	ov_buf_free(&prot);

	/* kid, IV and Partial IV are byte strings, in either bucket */
	prot_std(&prot, 1);
	cb_i(&prot, 4);
	cb_t(&prot, "key-1");
	ASSERT(expect_prot(
	    &prot, OV_E_FORMAT,
	    "cose protected header: kid (label 4) must be a byte string"));
	ov_buf_free(&prot);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 5);
	cb_i(&unprot, 0);
	ASSERT(expect_unprot(
	    &unprot, OV_E_FORMAT,
	    "cose unprotected header: IV (label 5) must be a byte string"));
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 6);
	cb_t(&unprot, "iv");
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "Partial IV (label 6) must be a byte string"));
	ov_buf_free(&unprot);
	/* as byte strings they are fine: kid protected, IV unprotected */
	prot_std(&prot, 1);
	cb_i(&prot, 4);
	cb_b(&prot, "key-1", 5);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 5);
	cb_b(&unprot, "0123456789ab", 12);
	ASSERT(expect_both(&prot, &unprot, OV_OK, NULL));
	ov_buf_free(&unprot);
	/* IV and Partial IV never both: across the buckets */
	unprot_std(&unprot, 1);
	cb_i(&unprot, 6);
	cb_b(&unprot, "01", 2);
	ASSERT(expect_both(&prot, &unprot, OV_OK, NULL));
	ov_buf_free(&unprot);
	ov_buf_free(&prot);
	prot_std(&prot, 1);
	cb_i(&prot, 5);
	cb_b(&prot, "0123456789ab", 12);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 6);
	cb_b(&unprot, "01", 2);
	ASSERT(expect_both(
	    &prot, &unprot, OV_E_FORMAT,
	    "IV (label 5) and Partial IV (label 6) must not both be present"));
	ov_buf_free(&unprot);
	ov_buf_free(&prot);
	/* ... and in one bucket */
	unprot_std(&unprot, 2);
	cb_i(&unprot, 5);
	cb_b(&unprot, "0123456789ab", 12);
	cb_i(&unprot, 6);
	cb_b(&unprot, "01", 2);
	ASSERT(expect_unprot(
	    &unprot, OV_E_FORMAT,
	    "cose unprotected header: IV (label 5) and Partial IV (label 6) must not both be present"));
	ov_buf_free(&unprot);

	/* counter signatures (RFC 9338) are unprotected only */
	prot_std(&prot, 1);
	cb_i(&prot, 9);
	cb_b(&prot, "sig", 3);
	ASSERT(expect_prot(
	    &prot, OV_E_FORMAT,
	    "cose protected header: counter signature (label 9) is not allowed here"));
	ov_buf_free(&prot);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 12);
	cb_t(&unprot, "sig");
	ASSERT(expect_unprot(
	    &unprot, OV_E_FORMAT,
	    "counter signature (label 12) must be a byte string"));
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 7);
	cb_b(&unprot, "sig", 3);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "counter signature (label 7) must be an array"));
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_i(&unprot, 9);
	cb_b(&unprot, "sig", 3);
	ASSERT(expect_unprot(&unprot, OV_OK, NULL));
	ov_buf_free(&unprot);
}

TEST(unprotected_attributes)
{
	struct ov_buf prot, unprot, b;
	struct ov_envelope *env = NULL;
	struct ov_err err;

	prot_std(&prot, 0);
	unprot_std(&unprot, 3);
	cb_t(&unprot, OV_HDR_TIMESTAMP);
	cb_b(&unprot, "TOKEN", 5);
	cb_t(&unprot, OV_HDR_SIGNING_AGENT);
	cb_t(&unprot, "agent/1");
	cb_i(&unprot, -70000);
	cb_t(&unprot, "ignored");
	build(&b, &prot, &unprot, payload, 64);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->timestamp.n, 5);
	ASSERT_MEM_EQ(env->timestamp.p, "TOKEN", 5);
	ASSERT_STR_EQ(env->signing_agent, "agent/1");
	ov_envelope_free(env);
	ov_buf_free(&b);
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_t(&unprot, OV_HDR_TIMESTAMP);
	cb_t(&unprot, "TOKEN");
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "must be a byte string"));
	ov_buf_free(&unprot);
	unprot_std(&unprot, 1);
	cb_t(&unprot, OV_HDR_SIGNING_AGENT);
	cb_b(&unprot, "agent", 5);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "must be a text string"));
	ov_buf_free(&unprot);
	ov_buf_free(&prot);
}

TEST(x5chain)
{
	struct ov_buf unprot, der;
	size_t i;

	cert_der(&der);
	/* a single bstr (RFC 9360 allows it, notation does not) */
	ov_buf_init(&unprot, 1 << 20);
	cb(&unprot, 5, 1);
	cb_i(&unprot, 33);
	cb_b(&unprot, der.data, der.len);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "certificate chain is not present"));
	/* missing, empty, wrong element type */
	ov_buf_reset(&unprot);
	cb(&unprot, 5, 0);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "certificate chain is not present"));
	ov_buf_reset(&unprot);
	cb(&unprot, 5, 1);
	cb_i(&unprot, 33);
	cb(&unprot, 4, 0);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "certificate chain is not present"));
	ov_buf_reset(&unprot);
	cb(&unprot, 5, 1);
	cb_i(&unprot, 33);
	cb(&unprot, 4, 2);
	cb_b(&unprot, der.data, der.len);
	cb_t(&unprot, "cert");
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "x5chain[1] is not a byte string"));
	ov_buf_reset(&unprot);
	cb(&unprot, 5, 1);
	cb_i(&unprot, 33);
	cb(&unprot, 4, 1);
	cb_b(&unprot, "", 0);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT, "is empty"));
	/* at most 16 certificates */
	ov_buf_reset(&unprot);
	cb(&unprot, 5, 1);
	cb_i(&unprot, 33);
	cb(&unprot, 4, 17);
	for (i = 0; i < 17; i++)
		cb_b(&unprot, der.data, der.len);
	ASSERT(expect_unprot(&unprot, OV_E_LIMIT, "more than 16"));
	/* the label is the integer 33, not the text "33" */
	ov_buf_reset(&unprot);
	cb(&unprot, 5, 1);
	cb_t(&unprot, "33");
	cb(&unprot, 4, 1);
	cb_b(&unprot, der.data, der.len);
	ASSERT(expect_unprot(&unprot, OV_E_FORMAT,
			     "certificate chain is not present"));
	ov_buf_free(&unprot);
	ov_buf_free(&der);
}

TEST(payload_and_signature)
{
	struct ov_buf prot, unprot, b;

	prot_std(&prot, 0);
	unprot_std(&unprot, 0);
	build(&b, &prot, &unprot, NULL, 64);
	ASSERT(
	    expect(&b, OV_E_UNSUPPORTED, "detached payload is not supported"));
	ov_buf_free(&b);
	build(&b, &prot, &unprot, "", 64);
	ASSERT(expect(&b, OV_E_FORMAT, "payload is empty"));
	ov_buf_free(&b);
	build(&b, &prot, &unprot, payload, 0);
	ASSERT(expect(&b, OV_E_FORMAT, "signature is empty"));
	ov_buf_free(&b);
	/* payload as a text string */
	ov_buf_init(&b, 1 << 20);
	cb_raw(&b, "\xd2\x84", 2);
	cb_b(&b, prot.data, prot.len);
	cb_raw(&b, unprot.data, unprot.len);
	cb_t(&b, payload);
	cb_b(&b, "sig", 3);
	ASSERT(expect(&b, OV_E_FORMAT, "must be byte strings"));
	ov_buf_free(&b);
	ov_buf_free(&prot);
	ov_buf_free(&unprot);
}

TEST(protected_structure)
{
	struct ov_buf p;

	/* valid as built */
	prot_std(&p, 0);
	ASSERT(expect_prot(&p, OV_OK, NULL));
	/* trailing bytes inside the protected bstr */
	cb_i(&p, 0);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "cose protected header: 1 trailing bytes"));
	ov_buf_free(&p);
	/* not a map; empty */
	ov_buf_init(&p, 1 << 20);
	cb(&p, 4, 0);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "not a serialized map"));
	ov_buf_reset(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "not a serialized map"));
	ov_buf_free(&p);
	/* duplicate label */
	prot_std(&p, 1);
	cb_i(&p, 1);
	cb_i(&p, -7);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "cose protected header: duplicate map key"));
	ov_buf_free(&p);
	prot_std(&p, 1);
	cb_t(&p, SCHEME);
	cb_t(&p, "notary.x509");
	ASSERT(expect_prot(&p, OV_E_FORMAT, "duplicate map key"));
	ov_buf_free(&p);
	/* a tag nested deeper than a header value */
	prot_std(&p, 1);
	cb_t(&p, "x");
	cb(&p, 4, 1);
	cb_time(&p, T0);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "CBOR tag 1 at offset"));
	ov_buf_free(&p);
	/* a tag on another attribute's value */
	prot_std(&p, 1);
	cb_t(&p, "x");
	cb_time(&p, T0);
	ASSERT(
	    expect_prot(&p, OV_E_FORMAT, "label x: CBOR tag 1 isn't allowed"));
	ov_buf_free(&p);
	/* a tag as a label */
	prot_std(&p, 1);
	cb_time(&p, T0);
	cb_i(&p, 0);
	ASSERT(
	    expect_prot(&p, OV_E_FORMAT, "is not an integer or a text string"));
	ov_buf_free(&p);
}

/* A protected map of exactly n entries the caller writes. */
static void
prot_begin(struct ov_buf *p, size_t n)
{
	ov_buf_init(p, 1 << 20);
	cb(p, 5, n);
}

static void
e_alg(struct ov_buf *p)
{
	cb_i(p, 1);
	cb_i(p, -7);
}

static void
e_crit1(struct ov_buf *p)
{
	cb_i(p, 2);
	cb(p, 4, 1);
	cb_t(p, SCHEME);
}

static void
e_cty(struct ov_buf *p)
{
	cb_i(p, 3);
	cb_t(p, OV_MT_NOTARY_PAYLOAD);
}

static void
e_x509(struct ov_buf *p)
{
	cb_t(p, SCHEME);
	cb_t(p, "notary.x509");
}

static void
e_st(struct ov_buf *p)
{
	cb_t(p, OV_HDR_SIGNING_TIME);
	cb_time(p, T0);
}

TEST(protected_alg)
{
	struct ov_buf p;

	prot_begin(&p, 5);
	cb_i(&p, 1);
	cb_i(&p, -257);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_UNSUPPORTED,
			   "signature algorithm -257 is not supported"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	cb_i(&p, 1);
	cb_t(&p, "ES256");
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_UNSUPPORTED,
			   "signature algorithm \"ES256\" is not supported"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	cb_i(&p, 1);
	cb_b(&p, "x", 1);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "algorithm (label 1) must be an integer"));
	ov_buf_free(&p);
	prot_begin(&p, 4);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "missing algorithm (label 1)"));
	ov_buf_free(&p);
}

TEST(alg_mismatch)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;

	signer_load(&s, "rsa2048");
	req_init(&req, &s);
	req.alg = OV_ALG_PS384;
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->alg, OV_ALG_PS384);
	/* PS384 over the 256-byte signature of a 2048-bit key */
	ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
	ov_envelope_free(env);
	env = NULL;
	ov_buf_reset(&b);
	req.alg = OV_ALG_ES256;
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "algorithm ES256 does not match the key");
	ov_envelope_free(env);
	ov_buf_free(&b);
	signer_free(&s);
}

TEST(protected_crit)
{
	struct ov_buf p;
	struct ov_buf unprot, b;
	struct ov_envelope *env = NULL;
	struct ov_err err;

	/* missing, empty, not an array, bad entry type */
	prot_begin(&p, 4);
	e_alg(&p);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "missing crit (label 2)"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 0);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "crit (label 2) must be a non-empty array"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb_t(&p, SCHEME);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "crit (label 2) must be a non-empty array"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_b(&p, "x", 1);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "crit[1] must be an integer or a text string"));
	ov_buf_free(&p);
	/* must name signingScheme */
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 1);
	cb_i(&p, 3);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(
	    &p, OV_E_FORMAT,
	    "these required headers are not marked as critical: [" SCHEME "]"));
	ov_buf_free(&p);
	/* entries must exist */
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_i(&p, -65537);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "critical header -65537 is not present"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_EXPIRY);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "critical header " OV_HDR_EXPIRY " is not present"));
	ov_buf_free(&p);
	/* repeated entries and system labels are tolerated (notation) */
	prot_begin(&p, 6);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 5);
	cb_t(&p, SCHEME);
	cb_t(&p, SCHEME);
	cb_i(&p, 1);
	cb_i(&p, -65537);
	cb_t(&p, OV_HDR_SIGNING_TIME);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_i(&p, -65537);
	cb_b(&p, "\x01\x02", 2);
	unprot_std(&unprot, 0);
	build(&b, &p, &unprot, payload, 64);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->nattrs, 1);
	ASSERT_STR_EQ(env->attrs[0].name, "-65537");
	ASSERT_STR_EQ(env->attrs[0].value, "h'0102'");
	ASSERT_INT_EQ(env->attrs[0].critical, 1);
	ov_envelope_free(env);
	ov_buf_free(&b);
	ov_buf_free(&unprot);
	ov_buf_free(&p);
	/* expiry present but not critical */
	prot_std(&p, 1);
	cb_t(&p, OV_HDR_EXPIRY);
	cb_time(&p, T0 + 10);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "not marked as critical: [" OV_HDR_EXPIRY "]"));
	ov_buf_free(&p);
}

TEST(protected_cty_and_scheme)
{
	struct ov_buf p;

	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	cb_i(&p, 3);
	cb_i(&p, 50);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_UNSUPPORTED,
			   "content type 50 is not supported"));
	ov_buf_free(&p);
	prot_begin(&p, 4);
	e_alg(&p);
	e_crit1(&p);
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "missing content type (label 3)"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	cb_i(&p, 3);
	cb_t(&p, "notary payload");
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "is not of the form type/subtype"));
	ov_buf_free(&p);
	/* another media type parses (verify.c rejects it) */
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	cb_i(&p, 3);
	cb_t(&p, "application/json");
	e_x509(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_OK, NULL));
	ov_buf_free(&p);
	/* scheme */
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	cb_t(&p, SCHEME);
	cb_t(&p, "notary.default.x509");
	e_st(&p);
	ASSERT(expect_prot(
	    &p, OV_E_UNSUPPORTED,
	    "signing scheme \"notary.default.x509\" is not supported"));
	ov_buf_free(&p);
	prot_begin(&p, 4);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	e_st(&p);
	ASSERT(expect_prot(&p, OV_E_FORMAT, "\"" SCHEME "\" is missing"));
	ov_buf_free(&p);
}

TEST(protected_times)
{
	struct ov_buf p, unprot, b;
	struct ov_envelope *env = NULL;
	struct ov_err err;

	/* untagged, tag 0, tag 1 around text */
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	cb_t(&p, OV_HDR_SIGNING_TIME);
	cb_i(&p, T0);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "invalid signingTime: invalid timeValue type"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	cb_t(&p, OV_HDR_SIGNING_TIME);
	cb(&p, 6, 0);
	cb_t(&p, "2023-11-14T22:13:20Z");
	ASSERT(expect_prot(
	    &p, OV_E_FORMAT,
	    "invalid signingTime: only Tag `1` Datetime CBOR object is supported"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	cb_t(&p, OV_HDR_SIGNING_TIME);
	cb(&p, 6, 1);
	cb_t(&p, "1700000000");
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "tag 1 must hold an integer or a float"));
	ov_buf_free(&p);
	/* tag 1 with a float: accepted, truncated to seconds */
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	cb_t(&p, OV_HDR_SIGNING_TIME);
	cb(&p, 6, 1);
	cb_raw(&p, "\xfb\x41\xd9\x54\xfc\x40\x30\x00\x00", 9); /* T0 + 0.75 */
	unprot_std(&unprot, 0);
	build(&b, &p, &unprot, payload, 64);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->signing_time, T0);
	ov_envelope_free(env);
	ov_buf_free(&b);
	ov_buf_free(&unprot);
	ov_buf_free(&p);
	/* missing signing time */
	prot_begin(&p, 4);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	e_x509(&p);
	ASSERT(expect_prot(
	    &p, OV_E_FORMAT,
	    "invalid signingTime: protected header \"" OV_HDR_SIGNING_TIME
	    "\" is missing"));
	ov_buf_free(&p);
	/* expiry before and equal to the signing time */
	prot_begin(&p, 6);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_EXPIRY);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_t(&p, OV_HDR_EXPIRY);
	cb_time(&p, T0 - 1);
	ASSERT(
	    expect_prot(&p, OV_E_FORMAT,
			"expiry cannot be equal or before the signing time"));
	ov_buf_free(&p);
	prot_begin(&p, 6);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_EXPIRY);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_t(&p, OV_HDR_EXPIRY);
	cb_time(&p, T0);
	ASSERT(
	    expect_prot(&p, OV_E_FORMAT,
			"expiry cannot be equal or before the signing time"));
	ov_buf_free(&p);
	prot_begin(&p, 6);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_EXPIRY);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_t(&p, OV_HDR_EXPIRY);
	cb_i(&p, T0 + 1);
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "invalid expiry: invalid timeValue type"));
	ov_buf_free(&p);
	/* x509 with authenticSigningTime */
	prot_std(&p, 1);
	cb_t(&p, OV_HDR_AUTHENTIC_SIGNING_TIME);
	cb_time(&p, T0);
	ASSERT(
	    expect_prot(&p, OV_E_FORMAT,
			"must not be present for notary.x509 signing scheme"));
	ov_buf_free(&p);
	/* signingAuthority: needs authenticSigningTime (critical), refuses
	 * signingTime */
	prot_begin(&p, 5);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_AUTHENTIC_SIGNING_TIME);
	e_cty(&p);
	cb_t(&p, SCHEME);
	cb_t(&p, "notary.x509.signingAuthority");
	cb_t(&p, OV_HDR_AUTHENTIC_SIGNING_TIME);
	cb_time(&p, T0);
	ASSERT(expect_prot(&p, OV_OK, NULL));
	ov_buf_free(&p);
	prot_begin(&p, 6);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_AUTHENTIC_SIGNING_TIME);
	e_cty(&p);
	cb_t(&p, SCHEME);
	cb_t(&p, "notary.x509.signingAuthority");
	cb_t(&p, OV_HDR_AUTHENTIC_SIGNING_TIME);
	cb_time(&p, T0);
	e_st(&p);
	ASSERT(expect_prot(
	    &p, OV_E_FORMAT,
	    "must not be present for notary.x509.signingAuthority"));
	ov_buf_free(&p);
	prot_begin(&p, 5);
	e_alg(&p);
	e_crit1(&p);
	e_cty(&p);
	cb_t(&p, SCHEME);
	cb_t(&p, "notary.x509.signingAuthority");
	cb_t(&p, OV_HDR_AUTHENTIC_SIGNING_TIME);
	cb_time(&p, T0);
	ASSERT(expect_prot(
	    &p, OV_E_FORMAT,
	    "not marked as critical: [" OV_HDR_AUTHENTIC_SIGNING_TIME "]"));
	ov_buf_free(&p);
	prot_begin(&p, 4);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 1);
	cb_t(&p, SCHEME);
	e_cty(&p);
	cb_t(&p, SCHEME);
	cb_t(&p, "notary.x509.signingAuthority");
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "[" OV_HDR_AUTHENTIC_SIGNING_TIME "]"));
	ov_buf_free(&p);
}

TEST(extended_attributes)
{
	struct ov_buf p, unprot, b;
	struct ov_envelope *env = NULL;
	struct ov_err err;

	prot_begin(&p, 9);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, "key");
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_t(&p, "key");
	cb(&p, 4, 3);
	cb_t(&p, "a\"b");
	cb_i(&p, -2);
	cb_raw(&p, "\xf5", 1);
	cb_i(&p, 4);
	cb_b(&p, "\xca\xfe", 2);
	cb_i(&p, 70000);
	cb(&p, 5, 1);
	cb_i(&p, 1);
	cb_raw(&p, "\xf6", 1);
	cb_t(&p, "text");
	cb_t(&p, "plain value");
	unprot_std(&unprot, 0);
	build(&b, &p, &unprot, payload, 64);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->nattrs, 4);
	ASSERT_STR_EQ(env->attrs[0].name, "key");
	ASSERT_STR_EQ(env->attrs[0].value, "[\"a\\\"b\", -2, true]");
	ASSERT_INT_EQ(env->attrs[0].critical, 1);
	ASSERT_STR_EQ(env->attrs[1].name, "4");
	ASSERT_STR_EQ(env->attrs[1].value, "h'cafe'");
	ASSERT_INT_EQ(env->attrs[1].critical, 0);
	ASSERT_STR_EQ(env->attrs[2].name, "70000");
	ASSERT_STR_EQ(env->attrs[2].value, "{1: null}");
	ASSERT_STR_EQ(env->attrs[3].name, "text");
	ASSERT_STR_EQ(env->attrs[3].value, "plain value");
	ov_envelope_free(env);
	ov_buf_free(&b);
	ov_buf_free(&unprot);
	ov_buf_free(&p);
}

TEST(protected_plugin)
{
	struct ov_buf p, unprot, b;
	struct ov_envelope *env = NULL;
	struct ov_err err;

	prot_begin(&p, 7);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 3);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_PLUGIN);
	cb_t(&p, OV_HDR_PLUGIN_MIN_VERSION);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_t(&p, OV_HDR_PLUGIN);
	cb_t(&p, "com.example.plugin");
	cb_t(&p, OV_HDR_PLUGIN_MIN_VERSION);
	cb_t(&p, "1.2.3");
	unprot_std(&unprot, 0);
	build(&b, &p, &unprot, payload, 64);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_STR_EQ(env->plugin, "com.example.plugin");
	ASSERT_STR_EQ(env->plugin_min_version, "1.2.3");
	ASSERT_INT_EQ(env->nattrs, 0);
	ov_envelope_free(env);
	ov_buf_free(&b);
	ov_buf_free(&unprot);
	ov_buf_free(&p);
	prot_std(&p, 1);
	cb_t(&p, OV_HDR_PLUGIN);
	cb_t(&p, "com.example.plugin");
	ASSERT(expect_prot(&p, OV_E_FORMAT,
			   "\"" OV_HDR_PLUGIN "\" is not marked critical"));
	ov_buf_free(&p);
	prot_begin(&p, 6);
	e_alg(&p);
	cb_i(&p, 2);
	cb(&p, 4, 2);
	cb_t(&p, SCHEME);
	cb_t(&p, OV_HDR_PLUGIN);
	e_cty(&p);
	e_x509(&p);
	e_st(&p);
	cb_t(&p, OV_HDR_PLUGIN);
	cb_t(&p, "  ");
	ASSERT(expect_prot(&p, OV_E_FORMAT, "is blank"));
	ov_buf_free(&p);
}

TEST(pss_salt_zero_rejected)
{
	struct signer s;
	struct ov_sign_request req;
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	size_t n;

	signer_load(&s, "rsa2048");
	req_init(&req, &s);
	ov_buf_init(&b, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_INT_EQ(env->pss_salt, OV_PSS_SALT_DIGEST);
	ASSERT_OK(verify_env(env, &err), &err);
	/* go-cose verifies with salt length == hash length: salt 0 fails */
	ctx = EVP_MD_CTX_new();
	ASSERT(ctx != NULL);
	ASSERT(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, s.key) == 1);
	ASSERT(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0);
	ASSERT(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 0) > 0);
	n = env->sig.n;
	ASSERT(EVP_DigestSign(ctx, env->sig.p, &n, env->tbs.p, env->tbs.n) ==
	       1);
	EVP_MD_CTX_free(ctx);
	ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
	/* the same signature passes JWS's rule */
	env->pss_salt = OV_PSS_SALT_AUTO;
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
	struct ov_envelope *env = NULL, *env2 = NULL;
	struct ov_buf b, t, t2;
	struct ov_err err;

	signer_load(&s, "p521");
	req_init(&req, &s);
	ov_buf_init(&b, 1 << 20);
	ov_buf_init(&t, 1 << 20);
	ov_buf_init(&t2, 1 << 20);
	ASSERT_OK(ov_sign_envelope(&req, &b, &err), &err);
	ASSERT_OK(parse_buf(&b, &env, &err), &err);
	ASSERT_OK(ov_sign_attach_timestamp(OV_MT_COSE, b.data, b.len, token,
					   sizeof(token), &t, &err),
		  &err);
	ASSERT_OK(parse_buf(&t, &env2, &err), &err);
	ASSERT_INT_EQ(env2->timestamp.n, sizeof(token));
	ASSERT_MEM_EQ(env2->timestamp.p, token, sizeof(token));
	ASSERT_STR_EQ(env2->signing_agent, "ocivet-test/1.0");
	ASSERT_INT_EQ(env2->ncerts, 1);
	/* signed parts byte-identical: same Sig_structure and signature */
	ASSERT_INT_EQ(env2->tbs.n, env->tbs.n);
	ASSERT_MEM_EQ(env2->tbs.p, env->tbs.p, env->tbs.n);
	ASSERT_INT_EQ(env2->sig.n, env->sig.n);
	ASSERT_MEM_EQ(env2->sig.p, env->sig.p, env->sig.n);
	ASSERT_OK(verify_env(env2, &err), &err);
	/* the message grew by the new label and value only */
	ASSERT_INT_EQ(t.len, b.len + 2 + 33 + 1 + sizeof(token));
	ov_envelope_free(env2);
	env2 = NULL;
	/* attaching again replaces the token */
	ASSERT_OK(ov_sign_attach_timestamp(OV_MT_COSE, t.data, t.len, "AB", 2,
					   &t2, &err),
		  &err);
	ASSERT_OK(parse_buf(&t2, &env2, &err), &err);
	ASSERT_INT_EQ(env2->timestamp.n, 2);
	ASSERT_MEM_EQ(env2->timestamp.p, "AB", 2);
	ASSERT_OK(verify_env(env2, &err), &err);
	ov_envelope_free(env2);
	ov_envelope_free(env);
	ov_buf_reset(&t2);
	/* not a COSE_Sign1_Tagged message */
	ASSERT_CODE(ov_sign_attach_timestamp(OV_MT_COSE, b.data + 1, b.len - 1,
					     "AB", 2, &t2, &err),
		    OV_E_FORMAT, &err);
	ov_buf_free(&b);
	ov_buf_free(&t);
	ov_buf_free(&t2);
	signer_free(&s);
}

/* ------------------------------------------------------------------
 * Upstream vectors.
 */

static int
vector(const char *rel, struct ov_envelope **out)
{
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	int ok = 1;

	read_file_or_die(vectors_path(rel), &b);
	if (ov_envelope_parse(OV_MT_COSE, b.data, b.len, &env, &err) != OV_OK) {
		fprintf(stderr, "%s: parse: %s\n", rel, err.msg);
		ok = 0;
	} else if (verify_env(env, &err) != OV_OK) {
		fprintf(stderr, "%s: verify: %s\n", rel, err.msg);
		ok = 0;
	}
	if (out != NULL && ok)
		*out = env;
	else
		ov_envelope_free(env);
	ov_buf_free(&b);
	return ok;
}

TEST(vectors)
{
	static const char *const files[] = {
	    "notation-go/local-layout/cose_signature.sig",
	    "notation-go/timestamp/sigEnv/coseWithTimestamp.sig",
	    "notation-go/timestamp/sigEnv/coseExpiredWithTimestamp.sig",
	    "notation-go/timestamp/sigEnv/timestampAfterNotAfter.sig",
	    "notation-e2e/blob/blob.cose.sig",
	};
	struct ov_envelope *env = NULL;
	size_t i;

	if (vectors_path("notation-e2e") == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!vector(files[i], NULL))
			FAIL("%s", files[i]);
	/* a real Microsoft ESRP envelope */
	ASSERT(vector("microsoft/esrp-cose-signature.sig", &env));
	ASSERT_INT_EQ(env->alg, OV_ALG_PS384);
	ASSERT_INT_EQ(env->scheme, OV_SCHEME_X509);
	ASSERT_INT_EQ(env->signing_time, 1681269001); /* 2023-04-12T03:10:01Z */
	ASSERT_INT_EQ(env->ncerts, 3);
	ASSERT(env->timestamp.n > 0);
	ASSERT_STR_EQ(env->content_type, OV_MT_NOTARY_PAYLOAD);
	ov_envelope_free(env);
	env = NULL;
	ASSERT(vector("notation-e2e/blob/blob.cose.sig", &env));
	ASSERT_INT_EQ(env->alg, OV_ALG_PS256);
	ASSERT_STR_EQ(env->signing_agent, "notation-go/1.3.0+unreleased");
	ASSERT_INT_EQ(env->signing_time, 1736239363); /* 2025-01-07T08:42:43Z */
	ov_envelope_free(env);
	env = NULL;
	ASSERT(vector("notation-go/local-layout/cose_signature.sig", &env));
	ASSERT_INT_EQ(env->signing_time, 1678769122); /* 2023-03-14T04:45:22Z */
	ASSERT_INT_EQ(env->timestamp.n, 0);
	ov_envelope_free(env);
}

TEST(vectors_damaged)
{
	struct ov_envelope *env = NULL;
	struct ov_buf b;
	struct ov_err err;
	size_t i, step;

	if (vectors_path("microsoft") == NULL) {
		fprintf(stderr, "vectors not present: skipped\n");
		return;
	}
	read_file_or_die(vectors_path("microsoft/esrp-cose-signature.sig"), &b);
	/* every truncation fails cleanly */
	step = b.len / 200 + 1;
	for (i = 0; i < b.len; i += step) {
		if (ov_cose_parse(b.data, i, &env, &err) == OV_OK)
			FAIL("truncated to %zu bytes: accepted", i);
	}
	/* a flipped signature byte still parses but does not verify */
	ASSERT_OK(ov_cose_parse(b.data, b.len, &env, &err), &err);
	env->sig.p[0] ^= 0x80;
	ASSERT_CODE(verify_env(env, &err), OV_E_SIGNATURE, &err);
	ov_envelope_free(env);
	ov_buf_free(&b);
}

int
main(void)
{
	RUN(roundtrip_all_algs);
	RUN(roundtrip_signing_authority);
	RUN(conformance_vector);
	RUN(hand_built);
	RUN(structure);
	RUN(indefinite_length);
	RUN(limits);
	RUN(tags_keys_and_text);
	RUN(header_buckets);
	RUN(unprotected_attributes);
	RUN(x5chain);
	RUN(payload_and_signature);
	RUN(protected_structure);
	RUN(protected_alg);
	RUN(alg_mismatch);
	RUN(protected_crit);
	RUN(protected_cty_and_scheme);
	RUN(protected_times);
	RUN(extended_attributes);
	RUN(protected_plugin);
	RUN(pss_salt_zero_rejected);
	RUN(attach_timestamp);
	RUN(vectors);
	RUN(vectors_damaged);
	return ov_test_done();
}
