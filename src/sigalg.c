/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The six Notary Project signature algorithms (signature-specification.md
 * "Algorithm Selection", spec digest B.6): RSASSA-PSS with SHA-2 and MGF1
 * of the same hash (RFC 8017 section 8.1), and ECDSA whose signatures are
 * the raw R||S concatenation used by JWS (RFC 7518 section 3.4) and COSE
 * (RFC 9053 section 2.1). OpenSSL 3 EVP interfaces only.
 */
#include "config.h"

#include "sigalg.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

struct alg_info {
	enum ov_sig_alg alg;
	const char *jws;
	const char *long_name;
	int64_t cose;
	int rsa;           /* 1: RSASSA-PSS, 0: ECDSA */
	int bits;          /* RSA modulus bits or EC field bits */
	const char *group; /* EC group name */
};

static const struct alg_info algs[] = {
    {OV_ALG_PS256, "PS256", "RSASSA-PSS-SHA-256", -37, 1, 2048, NULL},
    {OV_ALG_PS384, "PS384", "RSASSA-PSS-SHA-384", -38, 1, 3072, NULL},
    {OV_ALG_PS512, "PS512", "RSASSA-PSS-SHA-512", -39, 1, 4096, NULL},
    {OV_ALG_ES256, "ES256", "ECDSA-SHA-256", -7, 0, 256, "prime256v1"},
    {OV_ALG_ES384, "ES384", "ECDSA-SHA-384", -35, 0, 384, "secp384r1"},
    {OV_ALG_ES512, "ES512", "ECDSA-SHA-512", -36, 0, 521, "secp521r1"},
};

#define NALGS (sizeof(algs) / sizeof(algs[0]))

static const struct alg_info *
info(enum ov_sig_alg alg)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}

const char *
ov_sig_alg_jws_name(enum ov_sig_alg alg)
{
	const struct alg_info *a = info(alg);

	return a != NULL ? a->jws : NULL;
}

const char *
ov_sig_alg_long_name(enum ov_sig_alg alg)
{
	const struct alg_info *a = info(alg);

	return a != NULL ? a->long_name : NULL;
}

int64_t
ov_sig_alg_cose_id(enum ov_sig_alg alg)
{
	const struct alg_info *a = info(alg);

	return a != NULL ? a->cose : 0;
}

enum ov_sig_alg
ov_sig_alg_from_jws(const char *name)
{
	size_t i;

	if (name == NULL)
		return OV_ALG_UNKNOWN;
	for (i = 0; i < NALGS; i++)
		if (strcmp(algs[i].jws, name) == 0)
			return algs[i].alg;
	return OV_ALG_UNKNOWN;
}

enum ov_sig_alg
ov_sig_alg_from_cose(int64_t id)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].cose == id)
			return algs[i].alg;
	return OV_ALG_UNKNOWN;
}

const EVP_MD *
ov_sig_alg_md(enum ov_sig_alg alg)
{
	switch (alg) {
	case OV_ALG_PS256:
	case OV_ALG_ES256:
		return EVP_sha256();
	case OV_ALG_PS384:
	case OV_ALG_ES384:
		return EVP_sha384();
	case OV_ALG_PS512:
	case OV_ALG_ES512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

/* Named EC group of key into buf, or "" (explicit parameters, not EC). */
static void
group_name(EVP_PKEY *key, char *buf, size_t bufsz)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!EVP_PKEY_get_group_name(key, buf, bufsz, &n))
		buf[0] = '\0';
	ERR_clear_error();
}

enum ov_code
ov_sig_alg_from_key(EVP_PKEY *key, enum ov_sig_alg *out, struct ov_err *err)
{
	const char *type;
	char group[64];
	int bits;
	size_t i;

	*out = OV_ALG_UNKNOWN;
	if (key == NULL)
		return ov_err_set(err, OV_E_INTERNAL, "no key");
	bits = EVP_PKEY_get_bits(key);
	if (EVP_PKEY_is_a(key, "RSA")) {
		for (i = 0; i < NALGS; i++) {
			if (algs[i].rsa && algs[i].bits == bits) {
				*out = algs[i].alg;
				return OV_OK;
			}
		}
		return ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    "unsupported signing key: RSA %d bits (want 2048, 3072 or 4096)",
		    bits);
	}
	if (EVP_PKEY_is_a(key, "EC")) {
		group_name(key, group, sizeof(group));
		for (i = 0; i < NALGS; i++) {
			if (!algs[i].rsa && strcmp(algs[i].group, group) == 0) {
				*out = algs[i].alg;
				return OV_OK;
			}
		}
		return ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    "unsupported signing key: EC %s %d bits (want P-256, P-384 or P-521)",
		    group[0] != '\0' ? group : "(explicit parameters)", bits);
	}
	type = EVP_PKEY_get0_type_name(key);
	return ov_err_set(err, OV_E_UNSUPPORTED,
			  "unsupported signing key: %s %d bits",
			  type != NULL ? type : "?", bits);
}

/*
 * Check that key belongs to alg: RSA for PS*, the matching named curve for
 * ES* (the curve fixes the size of R and S).
 */
static enum ov_code
key_matches(const struct alg_info *a, EVP_PKEY *key, struct ov_err *err)
{
	char group[64];

	if (a->rsa) {
		if (EVP_PKEY_is_a(key, "RSA"))
			return OV_OK;
	} else if (EVP_PKEY_is_a(key, "EC")) {
		group_name(key, group, sizeof(group));
		if (strcmp(group, a->group) == 0)
			return OV_OK;
	}
	return ov_err_set(err, OV_E_SIGNATURE,
			  "signature algorithm %s does not match the key",
			  a->jws);
}

/* Bytes of R (and of S) in a raw ECDSA signature: 32, 48 or 66. */
static size_t
ec_size(const struct alg_info *a)
{
	return ((size_t)a->bits + 7) / 8;
}

/* Set up md (and PSS parameters) on a digest sign/verify context. */
static enum ov_code
set_pss(const struct alg_info *a, EVP_PKEY_CTX *pctx, int saltlen,
	struct ov_err *err)
{
	const EVP_MD *md = ov_sig_alg_md(a->alg);

	if (!a->rsa)
		return OV_OK;
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) <= 0)
		return ov_err_ssl(err, OV_E_INTERNAL,
				  "%s: cannot set RSASSA-PSS parameters",
				  a->jws);
	return OV_OK;
}

/* Raw R||S (2 * n bytes) to a DER ECDSA-Sig-Value. */
static enum ov_code
raw_to_der(const unsigned char *sig, size_t n, unsigned char **der,
	   size_t *der_len, struct ov_err *err)
{
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *p = NULL;
	int len;
	enum ov_code rc = OV_E_INTERNAL;

	*der = NULL;
	*der_len = 0;
	if ((es = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(sig, (int)n, NULL)) == NULL ||
	    (s = BN_bin2bn(sig + n, (int)n, NULL)) == NULL) {
		rc = ov_err_ssl(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (!ECDSA_SIG_set0(es, r, s)) {
		rc = ov_err_ssl(err, OV_E_INTERNAL, "ECDSA_SIG_set0");
		goto out;
	}
	r = s = NULL; /* owned by es */
	if ((len = i2d_ECDSA_SIG(es, &p)) <= 0) {
		rc = ov_err_ssl(err, OV_E_INTERNAL, "i2d_ECDSA_SIG");
		goto out;
	}
	*der = p;
	*der_len = (size_t)len;
	p = NULL; /* transferred */
	rc = OV_OK;
out:
	OPENSSL_free(p);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return rc;
}

enum ov_code
ov_sig_verify(enum ov_sig_alg alg, EVP_PKEY *key, enum ov_pss_salt salt,
	      const void *tbs, size_t tbs_len, const unsigned char *sig,
	      size_t sig_len, struct ov_err *err)
{
	const struct alg_info *a = info(alg);
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *der = NULL;
	const unsigned char *vsig;
	size_t vlen, want;
	int ok;
	enum ov_code r = OV_E_INTERNAL;

	if (a == NULL)
		return ov_err_set(err, OV_E_UNSUPPORTED,
				  "signature algorithm %d is not supported",
				  (int)alg);
	if (key == NULL)
		return ov_err_set(err, OV_E_INTERNAL, "no key");
	if ((r = key_matches(a, key, err)) != OV_OK)
		return r;
	if (a->rsa) {
		want = (size_t)EVP_PKEY_get_size(key);
		if (sig_len != want)
			return ov_err_set(
			    err, OV_E_SIGNATURE,
			    "%s signature is %zu bytes, the key needs %zu",
			    a->jws, sig_len, want);
		vsig = sig;
		vlen = sig_len;
	} else {
		want = 2 * ec_size(a);
		if (sig_len != want)
			return ov_err_set(
			    err, OV_E_SIGNATURE,
			    "%s signature is %zu bytes, want %zu (raw R||S)",
			    a->jws, sig_len, want);
		if ((r = raw_to_der(sig, want / 2, &der, &vlen, err)) != OV_OK)
			goto out;
		vsig = der;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		r = ov_err_ssl(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestVerifyInit(ctx, &pctx, ov_sig_alg_md(alg), NULL, key) !=
	    1) {
		r = ov_err_ssl(err, OV_E_INTERNAL, "%s: EVP_DigestVerifyInit",
			       a->jws);
		goto out;
	}
	if ((r = set_pss(a, pctx,
			 salt == OV_PSS_SALT_DIGEST ? RSA_PSS_SALTLEN_DIGEST
						    : RSA_PSS_SALTLEN_AUTO,
			 err)) != OV_OK)
		goto out;
	ok = EVP_DigestVerify(ctx, vsig, vlen, tbs, tbs_len);
	if (ok != 1) {
		r = ov_err_ssl(err, OV_E_SIGNATURE,
			       "%s signature does not verify", a->jws);
		goto out;
	}
	/* success */
	r = OV_OK;
out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	return r;
}

enum ov_code
ov_sig_sign(enum ov_sig_alg alg, EVP_PKEY *key, const void *tbs, size_t tbs_len,
	    unsigned char **sig, size_t *sig_len, struct ov_err *err)
{
	const struct alg_info *a = info(alg);
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	ECDSA_SIG *es = NULL;
	unsigned char *der = NULL, *raw = NULL;
	const unsigned char *p;
	const BIGNUM *br, *bs;
	size_t der_len = 0, n;
	enum ov_code r = OV_E_INTERNAL;

	*sig = NULL;
	*sig_len = 0;
	if (a == NULL)
		return ov_err_set(err, OV_E_UNSUPPORTED,
				  "signature algorithm %d is not supported",
				  (int)alg);
	if (key == NULL)
		return ov_err_set(err, OV_E_INTERNAL, "no key");
	if ((r = key_matches(a, key, err)) != OV_OK)
		return ov_err_set(
		    err, OV_E_USAGE,
		    "signature algorithm %s does not match the signing key",
		    a->jws);
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		r = ov_err_ssl(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestSignInit(ctx, &pctx, ov_sig_alg_md(alg), NULL, key) !=
	    1) {
		r = ov_err_ssl(err, OV_E_INTERNAL, "%s: EVP_DigestSignInit",
			       a->jws);
		goto out;
	}
	if ((r = set_pss(a, pctx, RSA_PSS_SALTLEN_DIGEST, err)) != OV_OK)
		goto out;
	if (EVP_DigestSign(ctx, NULL, &der_len, tbs, tbs_len) != 1 ||
	    (der = OPENSSL_malloc(der_len)) == NULL ||
	    EVP_DigestSign(ctx, der, &der_len, tbs, tbs_len) != 1) {
		r = ov_err_ssl(err, OV_E_INTERNAL, "%s: EVP_DigestSign",
			       a->jws);
		goto out;
	}
	if (a->rsa) {
		n = der_len;
		if ((raw = malloc(n)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		memcpy(raw, der, n);
	} else {
		n = ec_size(a);
		p = der;
		if ((es = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL) {
			r = ov_err_ssl(err, OV_E_INTERNAL, "d2i_ECDSA_SIG");
			goto out;
		}
		ECDSA_SIG_get0(es, &br, &bs);
		if ((raw = malloc(2 * n)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if (BN_bn2binpad(br, raw, (int)n) != (int)n ||
		    BN_bn2binpad(bs, raw + n, (int)n) != (int)n) {
			r = ov_err_ssl(err, OV_E_INTERNAL, "BN_bn2binpad");
			goto out;
		}
		n *= 2;
	}
	*sig = raw;
	*sig_len = n;
	raw = NULL; /* transferred */
	r = OV_OK;
out:
	free(raw);
	ECDSA_SIG_free(es);
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	return r;
}
