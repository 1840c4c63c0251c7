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

struct ov_tsa_result {
	int64_t gen_time;       /* genTime, seconds (fraction dropped) */
	int64_t lower;          /* genTime - accuracy, rounded down */
	int64_t upper;          /* genTime + accuracy, rounded up */
	int64_t accuracy_ms;    /* accuracy used, milliseconds */
	char *tsa_subject;      /* subject of the TSA signing certificate */
	STACK_OF(X509) *chain;  /* TSA certificate, intermediates, root */
};

/*
 * Parse a token without trusting it: genTime, accuracy and the TSA
 * certificate's subject, for display. out->chain holds the token's
 * certificates (possibly none). OV_E_FORMAT when it is not a
 * TimeStampToken.
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
 * C.3). OV_E_TIMESTAMP with the reason on failure; out is filled on
 * success and must be cleared by the caller.
 */
enum ov_code ov_tsa_verify(const unsigned char *token, size_t len,
    const unsigned char *message, size_t mlen, STACK_OF(X509) *roots,
    struct ov_tsa_result *out, struct ov_err *err);

void ov_tsa_result_clear(struct ov_tsa_result *r);

#endif
