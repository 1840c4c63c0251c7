/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internal to the revocation files: revocation.c (loading, certificate
 * URLs, the check of a chain), crl.c (CRL decoding and description),
 * crl_check.c (a certificate against CRLs) and ocsp.c (OCSP responses).
 * The loaded material, the state of one certificate's check, and the
 * helpers they share. Other modules use revocation.h.
 */
#ifndef OV_REVOCATION_INT_H
#define OV_REVOCATION_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "err.h"
#include "revocation.h"

/* Longest subject or URL shown in one message; longer ones end in "...". */
#define SHOW_MAX 200

struct crl_item {
	X509_CRL *crl;
	char *src; /* where it was read, for messages */
};

struct ocsp_item {
	OCSP_BASICRESP *bs;
	char *src;
};

struct cache_dir {
	int fd;
	char *path;
};

struct ov_revocation {
	struct crl_item *crls;
	size_t ncrl, crlcap;
	struct ocsp_item *ocsps;
	size_t nocsp, ocspcap;
	struct cache_dir *caches;
	size_t ncache, cachecap;
};

struct strv {
	char **v;
	size_t n;
};

/*
 * Why no usable material was found for a certificate: the reason with the
 * highest priority wins, so that "stale" (authentic but old) is reported
 * rather than an unrelated CRL of another key.
 */
enum why_prio {
	WHY_NONE,
	WHY_SCOPE,   /* another key, another partition */
	WHY_BAD,     /* malformed, bad signature, unsupported */
	WHY_TIME,    /* not yet valid, no nextUpdate */
	WHY_STALE,   /* authentic, expired */
	WHY_DEFINITE /* an authentic "unknown" answer */
};

struct why {
	enum why_prio prio;
	char text[OV_ERR_MSG_MAX];
};

/* One certificate being checked. */
struct ctx {
	const struct ov_revocation *rv;
	X509 *cert, *issuer;
	int64_t now, auth_time;
	struct strv cdp, ocsp, fresh; /* its URLs */
	int has_fresh;                /* it has a Freshest CRL extension */
	char name[SHOW_MAX];          /* its subject */
	char issuer_name[SHOW_MAX];
	struct why why;
};

/* Outcome for one certificate. */
struct verdict {
	enum ov_rev_status status;
	char *msg; /* revoked or unknown: why; ok: the deciding source */
};

/* Raise w to reason prio with a new text, unless it holds a reason of at
 * least that priority. */
void ov_rev_why(struct why *w, enum why_prio prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Make room for need elements of size bytes in *pp (*cap of them now);
 * -1 when out of memory. */
int ov_rev_grow(void *pp, size_t *cap, size_t need, size_t size);

/* A URL from a certificate for a message: control and non-ASCII bytes as
 * \xHH, shortened to SHOW_MAX bytes. Returns buf. */
const char *ov_rev_show_url(const char *u, char buf[SHOW_MAX]);

/* The name of CRL reason code r (RFC 5280 5.3.1), "unspecified" for -1. */
const char *ov_rev_reason_name(int r);

/* 1 when Go accepts signature algorithm signid for CRLs and OCSP
 * responses: SHA-1 and SHA-2 with RSA or ECDSA, RSA-PSS, Ed25519. */
int ov_rev_sig_nid_ok(int signid);

/* Free the strings of s and zero it. */
void ov_rev_strv_clear(struct strv *s);

/*
 * Append to out the URIs of a CRLDistributionPoints (or FreshestCRL)
 * extension value, read as Go's crypto/x509 reads them. OV_E_FORMAT or
 * OV_E_LIMIT name the extension as what.
 */
enum ov_code ov_rev_parse_dps(const ASN1_OCTET_STRING *v, const char *what,
			      struct strv *out, struct ov_err *err);

/*
 * crl.c. One DER CRL at p (at most n bytes; *used is its length) of at
 * most OV_MAX_CRL bytes with valid times.
 */
enum ov_code ov_crl_from_der(const unsigned char *p, size_t n, X509_CRL **out,
			     size_t *used, struct ov_err *err);

/* crl.c. The value of the first extension nid of crl, or NULL. */
const ASN1_OCTET_STRING *ov_crl_ext(const X509_CRL *crl, int nid);

/*
 * crl_check.c and ocsp.c. The verdict of the CRLs, or of the OCSP
 * responses, for c->cert; *decided is 0 when none decides (c->why then
 * says why). The return code is for OV_E_NOMEM.
 */
enum ov_code ov_rev_check_crls(struct ctx *c, struct verdict *v, int *decided,
			       struct ov_err *err);
enum ov_code ov_rev_check_ocsp(struct ctx *c, struct verdict *v, int *decided,
			       struct ov_err *err);

#endif
