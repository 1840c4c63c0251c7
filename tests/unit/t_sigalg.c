/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for sigalg.c: names, key to algorithm, sign and verify. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "harness.h"
#include "sigalg.h"

static const struct {
	const char *key;
	enum ov_sig_alg alg;
	const char *jws;
	int64_t cose;
	const char *long_name;
	size_t sig_len;
} supported[] = {
    {"rsa2048", OV_ALG_PS256, "PS256", -37, "RSASSA-PSS-SHA-256", 256},
    {"rsa3072", OV_ALG_PS384, "PS384", -38, "RSASSA-PSS-SHA-384", 384},
    {"rsa4096", OV_ALG_PS512, "PS512", -39, "RSASSA-PSS-SHA-512", 512},
    {"p256", OV_ALG_ES256, "ES256", -7, "ECDSA-SHA-256", 64},
    {"p384", OV_ALG_ES384, "ES384", -35, "ECDSA-SHA-384", 96},
    {"p521", OV_ALG_ES512, "ES512", -36, "ECDSA-SHA-512", 132},
};

#define NSUPPORTED (sizeof(supported) / sizeof(supported[0]))

static const char tbs[] = "eyJhbGciOiJQUzI1NiJ9.eyJrZXkiOiJ2YWx1ZSJ9";

static EVP_PKEY *
load_key(const char *name)
{
	char rel[64];
	EVP_PKEY *k;
	BIO *bio;

	(void)snprintf(rel, sizeof(rel), "envelope/%s.key", name);
	if ((bio = BIO_new_file(testdata_path(rel), "r")) == NULL) {
		fprintf(stderr, "cannot open %s\n", testdata_path(rel));
		exit(99);
	}
	k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (k == NULL) {
		fprintf(stderr, "cannot read key %s\n", rel);
		exit(99);
	}
	return k;
}

/* The public key of name.crt, as a verifier finds it. */
static EVP_PKEY *
load_cert_key(const char *name)
{
	char rel[64];
	EVP_PKEY *k;
	X509 *x;
	BIO *bio;

	(void)snprintf(rel, sizeof(rel), "envelope/%s.crt", name);
	if ((bio = BIO_new_file(testdata_path(rel), "r")) == NULL ||
	    (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL) {
		fprintf(stderr, "cannot read certificate %s\n", rel);
		exit(99);
	}
	BIO_free(bio);
	k = X509_get_pubkey(x);
	X509_free(x);
	return k;
}

TEST(names)
{
	size_t i;

	for (i = 0; i < NSUPPORTED; i++) {
		ASSERT_STR_EQ(ov_sig_alg_jws_name(supported[i].alg),
			      supported[i].jws);
		ASSERT_STR_EQ(ov_sig_alg_long_name(supported[i].alg),
			      supported[i].long_name);
		ASSERT_INT_EQ(ov_sig_alg_cose_id(supported[i].alg),
			      supported[i].cose);
		ASSERT_INT_EQ(ov_sig_alg_from_jws(supported[i].jws),
			      supported[i].alg);
		ASSERT_INT_EQ(ov_sig_alg_from_cose(supported[i].cose),
			      supported[i].alg);
		ASSERT(ov_sig_alg_md(supported[i].alg) != NULL);
	}
	ASSERT_INT_EQ(EVP_MD_get_size(ov_sig_alg_md(OV_ALG_PS384)), 48);
	ASSERT_INT_EQ(EVP_MD_get_size(ov_sig_alg_md(OV_ALG_ES512)), 64);
	ASSERT(ov_sig_alg_jws_name(OV_ALG_UNKNOWN) == NULL);
	ASSERT(ov_sig_alg_long_name(OV_ALG_UNKNOWN) == NULL);
	ASSERT_INT_EQ(ov_sig_alg_cose_id(OV_ALG_UNKNOWN), 0);
	ASSERT(ov_sig_alg_md(OV_ALG_UNKNOWN) == NULL);
}

TEST(unknown_names)
{
	static const char *const bad[] = {"none",   "HS256", "RS256", "ps256",
					  "PS256 ", "EdDSA", "",      NULL};
	size_t i;

	for (i = 0; bad[i] != NULL; i++)
		ASSERT_INT_EQ(ov_sig_alg_from_jws(bad[i]), OV_ALG_UNKNOWN);
	ASSERT_INT_EQ(ov_sig_alg_from_jws(NULL), OV_ALG_UNKNOWN);
	ASSERT_INT_EQ(ov_sig_alg_from_cose(-257), OV_ALG_UNKNOWN); /* RS256 */
	ASSERT_INT_EQ(ov_sig_alg_from_cose(-8), OV_ALG_UNKNOWN);   /* EdDSA */
	ASSERT_INT_EQ(ov_sig_alg_from_cose(0), OV_ALG_UNKNOWN);
	ASSERT_INT_EQ(ov_sig_alg_from_cose(37), OV_ALG_UNKNOWN);
}

TEST(alg_from_key)
{
	struct ov_err err;
	enum ov_sig_alg alg;
	EVP_PKEY *k;
	size_t i;

	for (i = 0; i < NSUPPORTED; i++) {
		k = load_key(supported[i].key);
		ASSERT_OK(ov_sig_alg_from_key(k, &alg, &err), &err);
		EVP_PKEY_free(k);
		ASSERT_INT_EQ(alg, supported[i].alg);
		/* and from the certificate's public key */
		k = load_cert_key(supported[i].key);
		ASSERT_OK(ov_sig_alg_from_key(k, &alg, &err), &err);
		EVP_PKEY_free(k);
		ASSERT_INT_EQ(alg, supported[i].alg);
	}
}

TEST(alg_from_key_unsupported)
{
	static const struct {
		const char *key, *msg;
	} bad[] = {
	    {"rsa1024", "RSA 1024 bits"},
	    {"rsa2047", "RSA 2047 bits"},
	    {"p224", "EC secp224r1 224 bits"},
	    {"ed25519", "ED25519 256 bits"},
	};
	struct ov_err err;
	enum ov_sig_alg alg = OV_ALG_PS256;
	EVP_PKEY *k;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = load_key(bad[i].key);
		ASSERT_CODE(ov_sig_alg_from_key(k, &alg, &err),
			    OV_E_UNSUPPORTED, &err);
		EVP_PKEY_free(k);
		ASSERT_INT_EQ(alg, OV_ALG_UNKNOWN);
		ASSERT_STR_HAS(err.msg, bad[i].msg);
	}
}

TEST(sign_verify_all)
{
	struct ov_err err;
	unsigned char *sig = NULL;
	size_t i, n;
	EVP_PKEY *k, *pub;

	for (i = 0; i < NSUPPORTED; i++) {
		k = load_key(supported[i].key);
		pub = load_cert_key(supported[i].key);
		ASSERT_OK(ov_sig_sign(supported[i].alg, k, tbs, strlen(tbs),
				      &sig, &n, &err),
			  &err);
		ASSERT_INT_EQ(n, supported[i].sig_len);
		ASSERT_OK(ov_sig_verify(supported[i].alg, pub, OV_PSS_SALT_AUTO,
					tbs, strlen(tbs), sig, n, &err),
			  &err);
		ASSERT_OK(ov_sig_verify(supported[i].alg, pub,
					OV_PSS_SALT_DIGEST, tbs, strlen(tbs),
					sig, n, &err),
			  &err);
		/* other data */
		ASSERT_CODE(ov_sig_verify(supported[i].alg, pub,
					  OV_PSS_SALT_AUTO, tbs,
					  strlen(tbs) - 1, sig, n, &err),
			    OV_E_SIGNATURE, &err);
		ASSERT_STR_HAS(err.msg, "does not verify");
		/* damaged signature */
		sig[n / 2] ^= 1;
		ASSERT_CODE(ov_sig_verify(supported[i].alg, pub,
					  OV_PSS_SALT_AUTO, tbs, strlen(tbs),
					  sig, n, &err),
			    OV_E_SIGNATURE, &err);
		free(sig);
		sig = NULL;
		EVP_PKEY_free(k);
		EVP_PKEY_free(pub);
	}
}

TEST(verify_alg_key_mismatch)
{
	struct ov_err err;
	unsigned char *sig = NULL;
	size_t n;
	EVP_PKEY *rsa = load_key("rsa2048"), *p256 = load_key("p256");

	ASSERT_OK(ov_sig_sign(OV_ALG_ES256, p256, tbs, strlen(tbs), &sig, &n,
			      &err),
		  &err);
	/* ES256 signature checked as RSA, and the other way round */
	ASSERT_CODE(ov_sig_verify(OV_ALG_ES256, rsa, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), sig, n, &err),
		    OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "algorithm ES256 does not match the key");
	ASSERT_CODE(ov_sig_verify(OV_ALG_PS256, p256, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), sig, n, &err),
		    OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "algorithm PS256 does not match the key");
	/* right family, wrong curve */
	ASSERT_CODE(ov_sig_verify(OV_ALG_ES384, p256, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), sig, n, &err),
		    OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "does not match the key");
	/* the correct combination passes */
	ASSERT_OK(ov_sig_verify(OV_ALG_ES256, p256, OV_PSS_SALT_AUTO, tbs,
				strlen(tbs), sig, n, &err),
		  &err);
	free(sig);
	sig = NULL;
	/* signing with a key of another family is refused */
	ASSERT_CODE(ov_sig_sign(OV_ALG_ES256, rsa, tbs, strlen(tbs), &sig, &n,
				&err),
		    OV_E_USAGE, &err);
	ASSERT(sig == NULL);
	ASSERT_CODE(ov_sig_verify(OV_ALG_UNKNOWN, rsa, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), (const unsigned char *)"x", 1,
				  &err),
		    OV_E_UNSUPPORTED, &err);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(p256);
}

TEST(ecdsa_raw_length)
{
	struct ov_err err;
	unsigned char *sig = NULL, *longer = NULL;
	size_t n;
	EVP_PKEY *k = load_key("p384");

	ASSERT_OK(ov_sig_sign(OV_ALG_ES384, k, tbs, strlen(tbs), &sig, &n,
			      &err),
		  &err);
	ASSERT_INT_EQ(n, 96);
	ASSERT_CODE(ov_sig_verify(OV_ALG_ES384, k, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), sig, n - 1, &err),
		    OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "want 96");
	/* one more (leading zero) byte: still the wrong size */
	longer = calloc(1, n + 1);
	ASSERT(longer != NULL);
	memcpy(longer + 1, sig, n);
	ASSERT_CODE(ov_sig_verify(OV_ALG_ES384, k, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), longer, n + 1, &err),
		    OV_E_SIGNATURE, &err);
	/* R and S swapped */
	memcpy(longer, sig + 48, 48);
	memcpy(longer + 48, sig, 48);
	ASSERT_CODE(ov_sig_verify(OV_ALG_ES384, k, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), longer, n, &err),
		    OV_E_SIGNATURE, &err);
	ASSERT_OK(ov_sig_verify(OV_ALG_ES384, k, OV_PSS_SALT_AUTO, tbs,
				strlen(tbs), sig, n, &err),
		  &err);
	free(longer);
	free(sig);
	EVP_PKEY_free(k);
}

/* A PS256 signature with an explicit salt length, made with OpenSSL. */
static unsigned char *
pss_sign(EVP_PKEY *k, int saltlen, size_t *n)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *sig = NULL;

	*n = 0;
	if (ctx == NULL ||
	    EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, k) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) <= 0 ||
	    EVP_DigestSign(ctx, NULL, n, (const unsigned char *)tbs,
			   strlen(tbs)) != 1 ||
	    (sig = malloc(*n)) == NULL ||
	    EVP_DigestSign(ctx, sig, n, (const unsigned char *)tbs,
			   strlen(tbs)) != 1) {
		fprintf(stderr, "PSS signing failed\n");
		exit(99);
	}
	EVP_MD_CTX_free(ctx);
	return sig;
}

TEST(pss_salt_modes)
{
	struct ov_err err;
	unsigned char *sig;
	size_t n;
	EVP_PKEY *k = load_key("rsa2048");

	/* salt 0: accepted with auto detection (JWS), not with digest (COSE) */
	sig = pss_sign(k, 0, &n);
	ASSERT_OK(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_AUTO, tbs,
				strlen(tbs), sig, n, &err),
		  &err);
	ASSERT_CODE(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_DIGEST, tbs,
				  strlen(tbs), sig, n, &err),
		    OV_E_SIGNATURE, &err);
	free(sig);
	/* salt 20 likewise */
	sig = pss_sign(k, 20, &n);
	ASSERT_OK(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_AUTO, tbs,
				strlen(tbs), sig, n, &err),
		  &err);
	ASSERT_CODE(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_DIGEST, tbs,
				  strlen(tbs), sig, n, &err),
		    OV_E_SIGNATURE, &err);
	free(sig);
	/* salt 32 (the digest length) passes both */
	sig = pss_sign(k, 32, &n);
	ASSERT_OK(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_DIGEST, tbs,
				strlen(tbs), sig, n, &err),
		  &err);
	free(sig);
	EVP_PKEY_free(k);
}

TEST(rsa_length)
{
	struct ov_err err;
	unsigned char *sig = NULL, *longer;
	size_t n;
	EVP_PKEY *k = load_key("rsa2048");

	ASSERT_OK(ov_sig_sign(OV_ALG_PS256, k, tbs, strlen(tbs), &sig, &n,
			      &err),
		  &err);
	/* OpenSSL would accept a shorter value; Go's VerifyPSS does not */
	ASSERT_CODE(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), sig, n - 1, &err),
		    OV_E_SIGNATURE, &err);
	ASSERT_STR_HAS(err.msg, "255 bytes");
	longer = calloc(1, n + 1);
	ASSERT(longer != NULL);
	memcpy(longer + 1, sig, n);
	ASSERT_CODE(ov_sig_verify(OV_ALG_PS256, k, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), longer, n + 1, &err),
		    OV_E_SIGNATURE, &err);
	free(longer);
	/* a PS384 claim over a 2048-bit key signature fails */
	ASSERT_CODE(ov_sig_verify(OV_ALG_PS384, k, OV_PSS_SALT_AUTO, tbs,
				  strlen(tbs), sig, n, &err),
		    OV_E_SIGNATURE, &err);
	free(sig);
	EVP_PKEY_free(k);
}

int
main(void)
{
	RUN(names);
	RUN(unknown_names);
	RUN(alg_from_key);
	RUN(alg_from_key_unsupported);
	RUN(sign_verify_all);
	RUN(verify_alg_key_mismatch);
	RUN(ecdsa_raw_length);
	RUN(pss_salt_modes);
	RUN(rsa_length);
	return ov_test_done();
}
