/* SPDX-License-Identifier: Apache-2.0 */
/*
 * X.509 for Notary Project verification (signature-specification.md
 * "Certificate Requirements"; spec digest C.1, C.3): parsing DER chains,
 * the notation chain model (each certificate issued by the next, a
 * self-signed root last; NOT OpenSSL's path building), the code-signing
 * and timestamping certificate rules, validity at a given time, and
 * printable names and fingerprints. Implemented by x509.c (chains and
 * rules), x509_load.c (decoding) and x509_name.c (names).
 */
#ifndef OV_X509_H
#define OV_X509_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "err.h"
#include "sigalg.h"

/* Parse exactly one DER certificate (no trailing bytes). */
enum ov_code ov_x509_from_der(const unsigned char *p, size_t n, X509 **out,
			      struct ov_err *err);

/*
 * Certificates already decoded, by their DER bytes (issue 9): a chain
 * certificate that a trust store also holds, or that the signatures of
 * many images share, is decoded and checked once per verifier. With
 * OpenSSL 3.0 decoding one certificate costs about 1.3 M instructions
 * (its key goes through a decoder context built for it), the largest
 * part of a small verification. Safe for several threads; entries are
 * shared (X509_up_ref) and read only. At most OV_X509_CACHE_MAX
 * certificates of OV_X509_CACHE_DER bytes in all; past that,
 * certificates are decoded each time. Only successful decodings are
 * kept: the same bytes always give the same verdict.
 */
struct ov_x509_cache;

enum ov_code ov_x509_cache_new(struct ov_x509_cache **out, struct ov_err *err);
void ov_x509_cache_free(struct ov_x509_cache *cache);

/* ov_x509_from_der() through cache (NULL: no cache); *out is the
 * caller's reference. */
enum ov_code ov_x509_cache_get(struct ov_x509_cache *cache,
			       const unsigned char *p, size_t n, X509 **out,
			       struct ov_err *err);

/*
 * Parse a PEM file's CERTIFICATE blocks or, when the data is not PEM, one
 * or more concatenated DER certificates. Any other PEM block or trailing
 * garbage fails. name is used in messages. PEM blocks go through cache
 * (may be NULL). *out holds >= 1 certificate.
 */
enum ov_code ov_x509_load_certs(const unsigned char *data, size_t len,
				const char *name, struct ov_x509_cache *cache,
				STACK_OF(X509) **out, struct ov_err *err);

/*
 * The next PEM block of bio (block counts from 1 for messages about file
 * name), which must be labelled label ("CERTIFICATE"; what names that
 * label in messages: "a CERTIFICATE"). *der (OPENSSL_free() it) and *len
 * get its content; *der is NULL when no block follows (text after the
 * last block is ignored, as Go's pem.Decode does). OV_E_FORMAT for a
 * malformed block or another label.
 */
enum ov_code ov_x509_pem_next(BIO *bio, const char *name, int block,
			      const char *label, const char *what,
			      unsigned char **der, long *len,
			      struct ov_err *err);

/*
 * Structural validation of a code-signing chain, leaf first (spec digest
 * C.1): issuance by the next certificate (signature and raw name), a
 * self-signed root last, no self-signed certificate elsewhere, CA rules
 * (basicConstraints cA, pathLen, keyUsage keyCertSign) and leaf rules
 * (keyUsage critical with digitalSignature and no forbidden bits, no
 * forbidden EKU, an allowed key). No time checks. OV_E_CHAIN on failure.
 */
enum ov_code ov_x509_check_codesigning_chain(STACK_OF(X509) *chain,
					     struct ov_err *err);

/* The same for a timestamping chain (spec digest C.3): the leaf needs a
 * critical EKU with exactly id-kp-timeStamping. */
enum ov_code ov_x509_check_timestamping_chain(STACK_OF(X509) *chain,
					      struct ov_err *err);

/*
 * Every certificate of chain valid at t (notBefore <= t <= notAfter).
 * what says which time t is ("verification time", "signing time"), and
 * appears in the message. OV_E_EXPIRED names the first offending
 * certificate, its bound and t.
 */
enum ov_code ov_x509_check_valid_at(STACK_OF(X509) *chain, int64_t t,
				    const char *what, struct ov_err *err);

/* Index in chain of the first certificate byte-identical (DER) to one in
 * anchors, or -1. */
int ov_x509_find_anchor(STACK_OF(X509) *chain, STACK_OF(X509) *anchors);

/* notBefore / notAfter as epoch seconds (0 if unparsable). */
int64_t ov_x509_not_before(const X509 *c);
int64_t ov_x509_not_after(const X509 *c);

/* ASN1_TIME to epoch seconds. */
enum ov_code ov_x509_time(const ASN1_TIME *t, int64_t *out, struct ov_err *err);

/*
 * Printable name as Go's pkix.Name.String() prints it
 * ("CN=Leaf,O=Example,ST=WA,C=US": most specific first): SERIALNUMBER,
 * CN, OU, O, POSTALCODE, STREET, L, ST, C (values of one type joined with
 * "+"), then other attributes by OpenSSL short name in reverse order of
 * appearance. For the usual C, ST, L, O, OU, CN order that is RFC 4514
 * order. Values are UTF-8, escaped like Go; control bytes appear as \HH.
 * malloc'd; NULL on ENOMEM.
 */
char *ov_x509_name(const X509_NAME *name);

/*
 * ov_x509_name() for a message, in buf of size (>= 5) bytes: cut at a
 * UTF-8 character boundary and ended with "..." when longer, "?" when out
 * of memory. Returns buf.
 */
const char *ov_x509_show_name(const X509_NAME *name, char *buf, size_t size);

/* Lowercase hex SHA-256 of the DER encoding into hex[65]. */
void ov_x509_sha256(X509 *c, char hex[65]);

/* 1 when c is self-signed: subject == issuer and its own key verifies it. */
int ov_x509_is_self_signed(X509 *c);

/* 1 when c has basicConstraints with cA = TRUE. */
int ov_x509_is_ca(X509 *c);

/*
 * 1 when c's own public key verifies its signature (names not compared;
 * SHA-1 allowed, MD5 never): Go's Certificate.CheckSignature, the
 * "self-signed" test for trust-store certificates (spec digest C.4).
 */
int ov_x509_signed_by_own_key(X509 *c);

/*
 * notation's rule for tsa trust-store certificates (spec digest C.4): a
 * CA (v3 with cA = TRUE, or v1/v2), with keyCertSign when it has a
 * keyUsage, not signed with SHA-1 or MD5, verified by its own key, and
 * with subject == issuer. OV_E_CHAIN "... is not a root CA certificate:
 * <why>" otherwise.
 */
enum ov_code ov_x509_check_root_ca(X509 *c, struct ov_err *err);

#endif
