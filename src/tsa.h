/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 3161 timestamp countersignatures (signature-specification.md
 * "Timestamp"; spec digest D): verifying a TimeStampToken over the
 * envelope's signature value against TSA roots, offline. OpenSSL's CMS
 * and TS building blocks do the cryptography; the ESS rule is
 * tspclient-go's (the first signing-certificate-v2 entry identifies the
 * TSA certificate), which TS_RESP_verify_token is stricter than.
 */
#ifndef OV_TSA_H
#define OV_TSA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "err.h"

/* Limits on a token (OV_E_LIMIT beyond them). */
#define OV_TSA_MAX_TOKEN (1024 * 1024) /* bytes in one TimeStampToken */
#define OV_TSA_MAX_CERTS 32            /* certificates carried in a token */
#define OV_TSA_MAX_SIGNERS 8           /* SignerInfos in a token */
#define OV_TSA_MAX_ACCURACY 86400      /* accuracy seconds (one day) */

struct ov_tsa_result {
	int64_t gen_time;          /* genTime, seconds (fraction dropped) */
	int32_t gen_nsec;          /* genTime's fraction, nanoseconds */
	int64_t lower;             /* genTime - accuracy, rounded down */
	int64_t upper;             /* genTime + accuracy, rounded up */
	int64_t accuracy_ms;       /* accuracy used, milliseconds, rounded up */
	int64_t accuracy_us;       /* accuracy used, microseconds (exact) */
	char *tsa_subject;         /* subject of the TSA signing certificate */
	STACK_OF(X509) *chain;     /* TSA certificate, intermediates, root */
	const char *imprint_alg;   /* "sha256", "sha384", "sha512"; static */
	unsigned char imprint[64]; /* messageImprint hashedMessage */
	size_t imprint_len;
};

/*
 * Parse a token without trusting it: genTime, accuracy, the message
 * imprint and the TSA certificate's subject (NULL when the token does not
 * carry it), for display. out->chain holds the token's certificates
 * (possibly none). OV_E_FORMAT when it is not a TimeStampToken. out is
 * overwritten; the caller clears it with ov_tsa_result_clear().
 */
enum ov_code ov_tsa_parse(const unsigned char *token, size_t len,
			  struct ov_tsa_result *out, struct ov_err *err);

/*
 * Verify token as a timestamp of message (the raw signature value):
 * CMS SignedData with an id-ct-TSTInfo, TSTInfo version 1, a SHA-256/384/
 * 512 message imprint equal to the hash of message, ESS
 * signing-certificate-v2 naming the signer, the CMS signature, a chain
 * from the signer to one of roots valid at genTime (token certificates
 * may be intermediates), the timestamping certificate rules (spec digest
 * C.3), all evaluated at genTime. OV_E_FORMAT when the token cannot be
 * parsed, OV_E_TIMESTAMP with the reason when it is not trusted (the last
 * SignerInfo's when none verifies), OV_E_LIMIT past the OV_TSA_MAX_*
 * limits. out is zeroed first and filled on success only; the caller
 * clears it with ov_tsa_result_clear(). chain is leaf first.
 */
enum ov_code ov_tsa_verify(const unsigned char *token, size_t len,
			   const unsigned char *message, size_t mlen,
			   STACK_OF(X509) *roots, struct ov_tsa_result *out,
			   struct ov_err *err);

/*
 * ov_tsa_verify() for a message the caller has already hashed with the
 * token's imprint algorithm (imprint_alg of ov_tsa_parse()): hash must
 * equal the token's hashedMessage.
 */
enum ov_code ov_tsa_verify_imprint(const unsigned char *token, size_t len,
				   const unsigned char *hash, size_t hlen,
				   STACK_OF(X509) *roots,
				   struct ov_tsa_result *out,
				   struct ov_err *err);

/*
 * ov_tsa_verify_imprint() without trust anchors, for a signer checking a
 * response before embedding it (`ocivet sign --timestamp-response`): the
 * token's own certificates stand in for the roots (a partial chain is
 * accepted), so the structure, the imprint, ESS signing-certificate-v2,
 * the CMS signature, the TSA certificate's critical timeStamping-only
 * EKU and the validity of the token's certificates at genTime are
 * checked; whom the TSA is, and the rules of a rooted chain (spec digest
 * C.3), are not. OV_E_TIMESTAMP as ov_tsa_verify().
 */
enum ov_code ov_tsa_check_untrusted(const unsigned char *token, size_t len,
				    const unsigned char *hash, size_t hlen,
				    struct ov_tsa_result *out,
				    struct ov_err *err);

/* Free what r holds and zero it. r may be NULL. */
void ov_tsa_result_clear(struct ov_tsa_result *r);

#endif
