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
#include "text.h" /* ov_strv_free() */

/*
 * Limits on revocation material (spec digest F.5: notation reads CRLs up
 * to 32 MiB). Hitting one is OV_E_LIMIT when loading; a cache entry over
 * the limit is unusable.
 */
#define OV_MAX_CRL (32 * 1024 * 1024)             /* one DER CRL */
#define OV_MAX_CRL_FILE (64 * 1024 * 1024)        /* one --crl file */
#define OV_MAX_CRL_CACHE_ENTRY (96 * 1024 * 1024) /* base64 base + delta */
#define OV_MAX_OCSP_RESPONSE (1024 * 1024)        /* one OCSP response */
#define OV_MAX_REVOCATION_FILES 1000              /* files in a directory */
#define OV_MAX_CRLS 10000                         /* CRLs loaded in all */
#define OV_MAX_OCSP_RESPONSES 10000               /* responses loaded */
#define OV_MAX_CRL_URLS 100 /* URLs read from one certificate extension */

/* Revocation material loaded from disk; read-only once built, so it can
 * be shared by threads. */
struct ov_revocation;

enum ov_code ov_revocation_new(struct ov_revocation **out, struct ov_err *err);
void ov_revocation_free(struct ov_revocation *rv);

/*
 * A CRL file (PEM "X509 CRL" blocks or concatenated DER; base or delta
 * CRLs) or a directory of them (every entry must be a regular file;
 * symbolic links are refused, also for path itself). OV_E_CONFIG naming
 * the file when one does not parse; OV_E_NOTFOUND, OV_E_IO or OV_E_LIMIT
 * when it cannot be read.
 */
enum ov_code ov_revocation_add_crl_path(struct ov_revocation *rv,
					const char *path, struct ov_err *err);

/* The same for CRLs already in memory; name is used in messages. */
enum ov_code ov_revocation_add_crl_data(struct ov_revocation *rv,
					const unsigned char *data, size_t len,
					const char *name, struct ov_err *err);

/* A notation CRL cache directory ({NOTATION_CACHE}/crl): files named by
 * the lowercase hex SHA-256 of the CRL URL holding {"baseCRL": ...,
 * "deltaCRL": ...}; only opened here, entries are read when a URL is
 * needed. A malformed entry makes that URL unusable, not the check fail. */
enum ov_code ov_revocation_add_cache_dir(struct ov_revocation *rv,
					 const char *dir, struct ov_err *err);

/* A DER OCSP response file, or a directory of them (as for CRLs). The
 * response status must be successful (OV_E_CONFIG otherwise). */
enum ov_code ov_revocation_add_ocsp_path(struct ov_revocation *rv,
					 const char *path, struct ov_err *err);

/* The same for a DER OCSP response in memory. */
enum ov_code ov_revocation_add_ocsp_data(struct ov_revocation *rv,
					 const unsigned char *data, size_t len,
					 const char *name, struct ov_err *err);

enum ov_rev_status {
	OV_REV_OK,      /* not revoked per a usable CRL or OCSP response */
	OV_REV_NONE,    /* no revocation endpoints: nothing to check */
	OV_REV_UNKNOWN, /* endpoints, but no usable material on disk */
	OV_REV_REVOKED,
};

struct ov_rev_result {
	enum ov_rev_status status; /* of the whole chain */
	char *message;             /* why, naming the certificate nearest
				    * the leaf and the CRL, URL or reason */
};

/*
 * Check every certificate of chain (leaf first; the root last is never
 * revoked) against its issuer, the next certificate, as of time now:
 * a matching OCSP response first, then the issuer's CRLs (--crl files
 * and the cache entries of the certificate's distribution points) that
 * verify under the issuer's key and are current (thisUpdate <= now <
 * nextUpdate), with a delta CRL applied when one fits. Entries dated
 * after now do not count. auth_time is the authentic signing time for
 * invalidityDate (notary.x509.signingAuthority) or INT64_MIN. Aggregate:
 * any revoked -> revoked, else any unknown -> unknown, else ok (or none
 * when no certificate has endpoints). out->message is malloc'd; it names
 * the certificate nearest the leaf and, when unknown, the URLs to fetch.
 * Problems with the material are verdicts (unknown), not errors; the
 * return code is for OV_E_NOMEM and misuse. rv is only read.
 */
enum ov_code ov_revocation_check(const struct ov_revocation *rv,
				 STACK_OF(X509) *chain, int64_t now,
				 int64_t auth_time, struct ov_rev_result *out,
				 struct ov_err *err);

void ov_rev_result_clear(struct ov_rev_result *r);

/*
 * The CRL distribution point URLs (and OCSP URLs) of a certificate, for
 * `ocivet crl urls`, read as Go's crypto/x509 reads them (URIs of
 * fullName only; a non-URI name ends that distribution point). Each list
 * is malloc'd (NULL when empty); free with ov_strv_free(). OV_E_FORMAT
 * when an extension is malformed.
 */
enum ov_code ov_revocation_urls(X509 *cert, char ***crl_urls, size_t *ncrl,
				char ***ocsp_urls, size_t *nocsp,
				struct ov_err *err);

/* The delta CRL URLs of a certificate's Freshest CRL extension, read like
 * its distribution points. */
enum ov_code ov_revocation_delta_urls(X509 *cert, char ***urls, size_t *n,
				      struct ov_err *err);

/* notation's CRL cache file name for url: lowercase hex SHA-256 of its
 * bytes, into hex[65]. */
void ov_revocation_cache_key(const char *url, char hex[65]);

/* Describe a CRL file (PEM or DER, one or more CRLs) for `ocivet crl
 * show`: one fact per line ("issuer: CN=..."; thisUpdate, nextUpdate,
 * number, type base or delta, entries, ...), a blank line between CRLs;
 * malloc'd text. OV_E_FORMAT when the data does not parse. */
enum ov_code ov_crl_describe(const unsigned char *data, size_t len, char **out,
			     struct ov_err *err);

/* The facts about one CRL a trust bundle check needs. */
struct ov_crl_info {
	char *issuer;        /* "CN=...", malloc'd */
	int64_t this_update;
	int64_t next_update; /* INT64_MAX when absent */
	size_t nrevoked;
};

/* Each CRL of a file (PEM or DER, one or more) into *out (malloc'd; free
 * with ov_crl_info_free()). OV_E_FORMAT when the data does not parse. */
enum ov_code ov_crl_info(const unsigned char *data, size_t len,
			 struct ov_crl_info **out, size_t *n,
			 struct ov_err *err);
void ov_crl_info_free(struct ov_crl_info *v, size_t n);

#endif
