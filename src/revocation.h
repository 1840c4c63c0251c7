/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline revocation (RFC 5280 CRLs, RFC 6960 OCSP responses; spec digest
 * F.5): CRLs and OCSP responses are loaded from files the operator
 * supplies (--crl, --crl-cache, --ocsp-response, trust bundles) and never
 * fetched. A certificate is checked against the CRLs of its issuer (the
 * next certificate of the chain) that verify under that issuer and are
 * current at the verification time.
 */
#ifndef OV_REVOCATION_H
#define OV_REVOCATION_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "err.h"

/* Revocation material loaded from disk; read-only once built, so it can
 * be shared by threads. */
struct ov_revocation;

enum ov_code ov_revocation_new(struct ov_revocation **out,
    struct ov_err *err);
void ov_revocation_free(struct ov_revocation *rv);

/* A CRL file (PEM or DER, base or delta) or a directory of them. */
enum ov_code ov_revocation_add_crl_path(struct ov_revocation *rv,
    const char *path, struct ov_err *err);

/* A notation CRL cache directory: files named by the SHA-256 of the CRL
 * URL holding {"baseCRL": ..., "deltaCRL": ...}; read when a URL is
 * needed. */
enum ov_code ov_revocation_add_cache_dir(struct ov_revocation *rv,
    const char *dir, struct ov_err *err);

/* A DER OCSP response file. */
enum ov_code ov_revocation_add_ocsp_path(struct ov_revocation *rv,
    const char *path, struct ov_err *err);

enum ov_rev_status {
	OV_REV_OK,        /* not revoked per a usable CRL or OCSP response */
	OV_REV_NONE,      /* no revocation endpoints: nothing to check */
	OV_REV_UNKNOWN,   /* endpoints, but no usable material on disk */
	OV_REV_REVOKED,
};

struct ov_rev_result {
	enum ov_rev_status status; /* of the whole chain */
	char *message;             /* why, naming the certificate nearest
				    * the leaf and the CRL, URL or reason */
};

/*
 * Check every certificate of chain (leaf first; the root last is never
 * revoked) as of time now. auth_time is the authentic signing time for
 * invalidityDate (notary.x509.signingAuthority) or INT64_MIN. Aggregate:
 * any revoked -> revoked, else any unknown -> unknown, else ok (or none
 * when no certificate has endpoints). out->message is malloc'd.
 */
enum ov_code ov_revocation_check(const struct ov_revocation *rv,
    STACK_OF(X509) *chain, int64_t now, int64_t auth_time,
    struct ov_rev_result *out, struct ov_err *err);

void ov_rev_result_clear(struct ov_rev_result *r);

/* The CRL distribution point URLs (and OCSP URLs) of a certificate, for
 * `ocivet crl urls`. Each list is malloc'd; free with ov_strv_free(). */
enum ov_code ov_revocation_urls(X509 *cert, char ***crl_urls, size_t *ncrl,
    char ***ocsp_urls, size_t *nocsp, struct ov_err *err);

void ov_strv_free(char **v, size_t n);

/* Describe a CRL file for `ocivet crl show`: issuer, thisUpdate,
 * nextUpdate, number of entries, base or delta; malloc'd text. */
enum ov_code ov_crl_describe(const unsigned char *data, size_t len,
    char **out, struct ov_err *err);

#endif
