/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creating Notary Project signatures: the payload, JWS and COSE_Sign1
 * envelopes exactly as notation writes them, and attaching an RFC 3161
 * token to an existing envelope. Used by the fixture generator and by the
 * offline `sign` command.
 */
#ifndef OV_SIGN_H
#define OV_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "envelope.h"
#include "err.h"

struct ov_descriptor;

/*
 * The signing step, behind one interface so that a key held elsewhere (a
 * PKCS#11 token, an agent) can replace the in-memory key: sign makes the
 * raw signature (as ov_sig_sign() does: r||s for ECDSA) of tbs with
 * algorithm alg into *sig (malloc'd).
 */
struct ov_signer {
	enum ov_sig_alg alg;
	enum ov_code (*sign)(void *ctx, enum ov_sig_alg alg, const void *tbs,
			     size_t tbs_len, unsigned char **sig,
			     size_t *sig_len, struct ov_err *err);
	void *ctx;
};

/* A signer for an in-memory private key (borrowed: it must outlive s). */
enum ov_code ov_signer_from_key(EVP_PKEY *key, struct ov_signer *s,
				struct ov_err *err);

/* An extra signed attribute (string value). */
struct ov_sign_attr {
	const char *name;
	const char *value;
	int critical;
};

struct ov_sign_request {
	const char *media_type;       /* OV_MT_JWS or OV_MT_COSE */
	EVP_PKEY *key;                /* signing key (private), or: */
	const struct ov_signer *signer; /* used when key is NULL */
	STACK_OF(X509) *chain;        /* leaf first; NULL: no x5c/x5chain */
	const unsigned char *payload; /* exact payload bytes */
	size_t payload_len;
	enum ov_scheme scheme;
	int64_t signing_time; /* signingTime or authenticSigningTime */
	int has_expiry;
	int64_t expiry;
	const char *signing_agent;        /* NULL: omitted */
	const struct ov_sign_attr *attrs; /* extra signed attributes */
	size_t nattrs;
	/*
	 * Test knobs for building invalid but correctly signed envelopes.
	 * alg: algorithm to declare instead of the one the key implies (the
	 * signature is still made with the key's algorithm). protected_raw:
	 * exact protected header bytes to sign (JWS: JSON text; COSE: the
	 * serialized map); when set, scheme/times/attrs/alg are ignored.
	 */
	enum ov_sig_alg alg;  /* OV_ALG_UNKNOWN: from the key */
	const char *alg_name; /* JWS only: literal "alg" string */
	const unsigned char *protected_raw;
	size_t protected_raw_len;
};

/*
 * Build the Notary payload {"targetArtifact": {...}} for a descriptor
 * (mediaType, digest, size, annotations).
 */
enum ov_code ov_sign_payload(const struct ov_descriptor *target,
			     struct ov_buf *out, struct ov_err *err);

/*
 * Sign and serialize an envelope, appended to out. The signature is made
 * with the algorithm the key implies (ov_sig_alg_from_key), whatever alg
 * or alg_name declare.
 */
enum ov_code ov_sign_envelope(const struct ov_sign_request *req,
			      struct ov_buf *out, struct ov_err *err);

/*
 * Copy envelope env (media type media_type) into out with the RFC 3161
 * token set as its io.cncf.notary.timestampSignature unsigned attribute.
 * The signed parts are copied byte for byte.
 */
enum ov_code ov_sign_attach_timestamp(const char *media_type, const void *env,
				      size_t env_len, const void *token,
				      size_t token_len, struct ov_buf *out,
				      struct ov_err *err);

#endif
