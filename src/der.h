/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small strict DER reader (X.690 10.1: definite, minimal lengths) for
 * the few structures read the way Go's encoding/asn1 reads them rather
 * than with OpenSSL's decoders: the ESS signing-certificate-v2 attribute
 * (tsa_ess.c) and the URLs of CRL distribution points and authority
 * information access (revocation.c).
 */
#ifndef OV_DER_H
#define OV_DER_H

#include <stddef.h>

/* The bytes still to read: a whole encoding, or a constructed content. */
struct ov_der {
	const unsigned char *p;
	size_t n;
};

/*
 * Read the next TLV of d and advance d past it: *tag (low tag numbers
 * only), its content in *in and its whole encoding in *full (may be
 * NULL). Lengths take at most 4 bytes and must be minimal. Returns 1, or
 * 0 when d is empty or the TLV is malformed or longer than d.
 */
int ov_der_next(struct ov_der *d, unsigned char *tag, struct ov_der *in,
		struct ov_der *full);

/* 1 when the next TLV of d starts with tag. */
int ov_der_peek(const struct ov_der *d, unsigned char tag);

#endif
