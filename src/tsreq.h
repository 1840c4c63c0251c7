/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline two-step timestamping for `ocivet sign` (issue 13 item 4; spec
 * digest D.1): the RFC 3161 TimeStampReq for an envelope's signature
 * value, the state kept between the two steps (a JSON file: the unsigned
 * envelope and what is needed to write it), and the checks a
 * TimeStampResp must pass before its token is embedded.
 */
#ifndef OV_TSREQ_H
#define OV_TSREQ_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "buf.h"
#include "digest.h"
#include "envelope.h"
#include "err.h"
#include "layout_write.h"
#include "tsa.h"

#define OV_TSREQ_NONCE 16              /* nonce bytes */
#define OV_TSREQ_MAX_STATE (4 * 1024 * 1024) /* bytes of a state file */
#define OV_TSREQ_MAX_RESPONSE (OV_TSA_MAX_TOKEN + 64 * 1024)

/* What the first step keeps for the second. */
struct ov_tsreq_state {
	char *reference;          /* what was named, for messages */
	char *target_media_type;  /* the signed image's descriptor */
	struct ov_digest target;
	int64_t target_size;
	const char *media_type;   /* OV_MT_JWS or OV_MT_COSE (static) */
	enum ov_sig_shape shape;  /* signature manifest form */
	unsigned char nonce[OV_TSREQ_NONCE];
	unsigned char *envelope;  /* the envelope, without timestamp */
	size_t envelope_len;
};

/*
 * The DER TimeStampReq (version 1, certReq true, the nonce) for the
 * signature value of env, hashed as notation does with the hash of the
 * envelope's algorithm (spec digest D.1: SHA-256 for PS256/ES256 ...).
 * Appended to out.
 */
enum ov_code ov_tsreq_query(const struct ov_envelope *env,
			    const unsigned char nonce[OV_TSREQ_NONCE],
			    struct ov_buf *out, struct ov_err *err);

/* The state as JSON text (*out malloc'd). */
enum ov_code ov_tsreq_state_json(const struct ov_tsreq_state *st, char **out,
				 struct ov_err *err);

/*
 * Parse a state file and check that it holds together: known version
 * and members only, an envelope that parses, is notary.x509 and has no
 * timestamp yet, and whose payload names the state's target (mediaType,
 * digest, size). *env gets the parsed envelope (ov_envelope_free()).
 * OV_E_FORMAT with the reason otherwise. st is the caller's to clear.
 */
enum ov_code ov_tsreq_state_parse(const void *data, size_t len,
				  struct ov_tsreq_state *st,
				  struct ov_envelope **env, struct ov_err *err);

void ov_tsreq_state_clear(struct ov_tsreq_state *st);

/*
 * Check a DER TimeStampResp for the state's envelope (env, as parsed by
 * ov_tsreq_state_parse()) before it is embedded: status granted (or
 * grantedWithMods), a token, the request's nonce, the imprint of env's
 * signature value with the requested hash, then the token itself: with
 * roots (non-empty), ov_tsa_verify_imprint() against them; without,
 * ov_tsa_check_untrusted(). Last, the signing certificates (env's chain)
 * must be valid over the whole timestamp interval (spec digest D.3 step
 * 8), else no verifier would accept it. The DER token is appended to
 * token; res is filled (ov_tsa_result_clear()). OV_E_TIMESTAMP with the
 * reason when refused, OV_E_FORMAT when it is not a TimeStampResp.
 */
enum ov_code ov_tsreq_check_response(const unsigned char *resp, size_t len,
				     const struct ov_tsreq_state *st,
				     const struct ov_envelope *env,
				     STACK_OF(X509) *roots,
				     struct ov_buf *token,
				     struct ov_tsa_result *res,
				     struct ov_err *err);

/* The envelope's certificate chain, leaf first (*out the caller's). */
enum ov_code ov_tsreq_chain(const struct ov_envelope *env,
			    STACK_OF(X509) **out, struct ov_err *err);

#endif
