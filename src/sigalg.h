/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The six Notary Project signature algorithms (signature-specification.md
 * "Algorithm Selection"; spec digest B.6): names in JWS and COSE, the
 * algorithm a signing key implies, and raw signature verification and
 * creation with OpenSSL (RSASSA-PSS, ECDSA with raw R||S values).
 */
#ifndef OV_SIGALG_H
#define OV_SIGALG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "err.h"

enum ov_sig_alg {
	OV_ALG_UNKNOWN = 0,
	OV_ALG_PS256,
	OV_ALG_PS384,
	OV_ALG_PS512,
	OV_ALG_ES256,
	OV_ALG_ES384,
	OV_ALG_ES512,
};

/* How RSASSA-PSS salt lengths are checked on verification. */
enum ov_pss_salt {
	OV_PSS_SALT_AUTO,   /* any salt length (JWS: golang-jwt accepts any) */
	OV_PSS_SALT_DIGEST, /* salt length == digest length (COSE: go-cose) */
};

/* "PS256" ... ; NULL for OV_ALG_UNKNOWN. */
const char *ov_sig_alg_jws_name(enum ov_sig_alg alg);
/* notation's display name: "RSASSA-PSS-SHA-256", "ECDSA-SHA-384" ... */
const char *ov_sig_alg_long_name(enum ov_sig_alg alg);
/* COSE algorithm identifier (-37 ...); 0 for OV_ALG_UNKNOWN. */
int64_t ov_sig_alg_cose_id(enum ov_sig_alg alg);

/* Lookup by JWS name / COSE id; OV_ALG_UNKNOWN when not one of the six
 * (so "none", "HS256", "RS256", -257 ... are all unknown). */
enum ov_sig_alg ov_sig_alg_from_jws(const char *name);
enum ov_sig_alg ov_sig_alg_from_cose(int64_t id);

/* Digest used by alg: EVP_sha256/384/512. */
const EVP_MD *ov_sig_alg_md(enum ov_sig_alg alg);

/*
 * The algorithm a public (or private) key implies: RSA 2048/3072/4096 ->
 * PS256/384/512, P-256/P-384/P-521 -> ES256/384/512. Any other key is
 * OV_E_UNSUPPORTED with a message naming the key type and size.
 */
enum ov_code ov_sig_alg_from_key(EVP_PKEY *key, enum ov_sig_alg *out,
				 struct ov_err *err);

/*
 * Verify sig over tbs with key. ECDSA signatures are raw R||S, each
 * exactly the curve size; RSA-PSS signatures must be exactly the modulus
 * length. OV_E_SIGNATURE when the signature does not verify.
 */
enum ov_code ov_sig_verify(enum ov_sig_alg alg, EVP_PKEY *key,
			   enum ov_pss_salt salt, const void *tbs,
			   size_t tbs_len, const unsigned char *sig,
			   size_t sig_len, struct ov_err *err);

/*
 * Sign tbs with a private key (PSS salt = digest length; ECDSA output as
 * raw R||S). *sig is malloc'd; the caller frees it.
 */
enum ov_code ov_sig_sign(enum ov_sig_alg alg, EVP_PKEY *key, const void *tbs,
			 size_t tbs_len, unsigned char **sig, size_t *sig_len,
			 struct ov_err *err);

#endif
