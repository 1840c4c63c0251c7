/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline revocation checking (spec digest F.5; RFC 5280 5 and 6.3, RFC
 * 6960): CRLs, delta CRLs and OCSP responses supplied as files, and
 * notation's CRL cache directory. Nothing is fetched: URLs from
 * certificates are only cache keys and hints in messages. Loaded material
 * is never modified after loading and cache entries are read per check,
 * so one struct ov_revocation can serve several threads.
 */
#include "config.h"

#include "revocation.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "b64.h"
#include "buf.h"
#include "digest.h"
#include "json.h"
#include "ovlimits.h"
#include "timeutil.h"
#include "x509.h"

/* Longest subject or URL shown in one message; longer ones end in "...". */
#define SHOW_MAX 200
/* URLs listed in one "fetch" hint. */
#define SHOW_URLS 4

/* CRL reason codes (RFC 5280 5.3.1) that do not revoke for good. */
#define REASON_HOLD 6
#define REASON_REMOVE 8

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
	size_t n, cap;
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

/* A CRL considered for one certificate. */
struct cand {
	X509_CRL *crl; /* borrowed from rv, or from cands.owned */
	char *src;
	int from_cache;
	int usable;
	int is_delta;
	int64_t this_update;
	ASN1_INTEGER *number; /* CRL number, NULL when absent */
	ASN1_INTEGER *base;   /* Delta CRL Indicator, NULL when absent */
	const ASN1_OCTET_STRING *idp; /* issuing distribution point value */
};

struct cands {
	struct cand *v;
	size_t n, cap;
	STACK_OF(X509_CRL) *owned;
};

/* Outcome of looking a serial number up in a base CRL and its delta. */
enum lk_state { LK_CLEAR, LK_REVOKED, LK_UNKNOWN };

struct lookup {
	enum lk_state state;
	int reason; /* of the deciding entry; -1 when it has none */
	int64_t when;
	int have_temp; /* latest certificateHold or removeFromCRL entry */
	int temp_reason;
	int64_t temp_when;
	char why[OV_ERR_MSG_MAX];
};

static char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void why_set(struct why *w, enum why_prio prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* malloc'd formatted text; NULL when out of memory. */
static char *
xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void
why_set(struct why *w, enum why_prio prio, const char *fmt, ...)
{
	va_list ap;

	if (prio <= w->prio)
		return;
	w->prio = prio;
	va_start(ap, fmt);
	(void)vsnprintf(w->text, sizeof(w->text), fmt, ap);
	va_end(ap);
}

/* Make room for need elements of size bytes in *pp. */
static int
grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void *p, **vp = pp;
	size_t ncap = *cap ? *cap : 8;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / size || (p = realloc(*vp, ncap * size)) == NULL)
		return -1;
	*vp = p;
	*cap = ncap;
	return 0;
}

/* A name for a message, shortened to SHOW_MAX bytes. */
static const char *
show_name(const X509_NAME *nm, char buf[SHOW_MAX])
{
	char *s;
	size_t n;

	if ((s = ov_x509_name(nm)) == NULL) {
		memcpy(buf, "?", 2);
		return buf;
	}
	n = strlen(s);
	if (n < SHOW_MAX) {
		memcpy(buf, s, n + 1);
	} else {
		n = SHOW_MAX - 4;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(buf, s, n);
		memcpy(buf + n, "...", 4);
	}
	free(s);
	return buf;
}

/* A URL from a certificate for a message: control and non-ASCII bytes
 * as \xHH, shortened to SHOW_MAX bytes. */
static const char *
show_url(const char *u, char buf[SHOW_MAX])
{
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; u[i] != '\0' && o + 8 < SHOW_MAX; i++) {
		ch = (unsigned char)u[i];
		if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
			(void)snprintf(buf + o, 5, "\\x%02x", ch);
			o += 4;
		} else {
			buf[o++] = (char)ch;
		}
	}
	if (u[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static const char *
show_time(const ASN1_TIME *t, char buf[OV_TIME_STR_MAX])
{
	int64_t v;

	if (ov_x509_time(t, &v, NULL) != OV_OK) {
		memcpy(buf, "(invalid)", 10);
		return buf;
	}
	return ov_time_format(v, buf);
}

static const char *
reason_name(int r)
{
	static const char *const names[] = {
	    "unspecified",     "keyCompromise",
	    "cACompromise",    "affiliationChanged",
	    "superseded",      "cessationOfOperation",
	    "certificateHold", NULL,
	    "removeFromCRL",   "privilegeWithdrawn",
	    "aACompromise",
	};

	if (r < 0)
		return "unspecified";
	if ((size_t)r >= sizeof(names) / sizeof(names[0]) || names[r] == NULL)
		return "an unknown reason";
	return names[r];
}

/* Signature algorithms Go accepts for CRLs and OCSP responses: SHA-1 and
 * SHA-2 with RSA or ECDSA, RSA-PSS, Ed25519; never MD5. */
static int
sig_nid_ok(int signid)
{
	int md = NID_undef, pk = NID_undef;

	if (signid == NID_rsassaPss || signid == NID_ED25519)
		return 1;
	if (!OBJ_find_sigid_algs(signid, &md, &pk))
		return 0;
	return md == NID_sha1 || md == NID_sha256 || md == NID_sha384 ||
	       md == NID_sha512;
}

void
ov_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static int
strv_add(struct strv *s, const unsigned char *p, size_t n)
{
	char *c;

	if (grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) != 0 ||
	    (c = malloc(n + 1)) == NULL)
		return -1;
	memcpy(c, p, n);
	c[n] = '\0';
	s->v[s->n++] = c;
	return 0;
}

/* Add a URI read from extension what. */
static enum ov_code
push_uri(struct strv *s, const unsigned char *p, size_t n, const char *what,
	 struct ov_err *err)
{
	if (memchr(p, '\0', n) != NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  "invalid %s extension: a URI has a NUL byte",
				  what);
	if (s->n >= OV_MAX_CRL_URLS)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "%s extension has more than the limit of %d URIs", what,
		    OV_MAX_CRL_URLS);
	if (strv_add(s, p, n) != 0)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

static void
strv_clear(struct strv *s)
{
	ov_strv_free(s->v, s->n);
	memset(s, 0, sizeof(*s));
}

/*
 * Extension values are read the way Go's crypto/x509 reads them, so that
 * a certificate notation accepts gives the same URLs here (OpenSSL's
 * GENERAL_NAME decoder rejects names Go skips). A small DER reader with
 * one-byte tags is all that needs.
 */
struct der {
	const unsigned char *p;
	size_t n;
};

static int
der_get(struct der *d, unsigned char *tag, struct der *out)
{
	size_t len, hdr = 2, i, nlen;

	if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
		return 0;
	*tag = d->p[0];
	len = d->p[1];
	if (len & 0x80) {
		nlen = len & 0x7f;
		if (nlen == 0 || nlen > 4 || d->n - 2 < nlen || d->p[2] == 0)
			return 0;
		for (len = 0, i = 0; i < nlen; i++)
			len = len << 8 | d->p[2 + i];
		if (len < 0x80)
			return 0; /* not minimal: BER, not DER */
		hdr += nlen;
	}
	if (len > d->n - hdr)
		return 0;
	out->p = d->p + hdr;
	out->n = len;
	d->p += hdr + len;
	d->n -= hdr + len;
	return 1;
}

static int
der_peek(const struct der *d, unsigned char tag)
{
	return d->n > 0 && d->p[0] == tag;
}

/* The URIs of a CRLDistributionPoints (or FreshestCRL) value, RFC 5280
 * 4.2.1.13. */
static enum ov_code
parse_dps(const ASN1_OCTET_STRING *v, const char *what, struct strv *out,
	  struct ov_err *err)
{
	struct der d, seq, dp, name, full, uri;
	unsigned char tag;
	enum ov_code r;

	d.p = ASN1_STRING_get0_data(v);
	d.n = (size_t)ASN1_STRING_length(v);
	if (!der_get(&d, &tag, &seq) || tag != 0x30 || d.n != 0)
		return ov_err_set(err, OV_E_FORMAT, "invalid %s extension",
				  what);
	while (seq.n > 0) {
		if (!der_get(&seq, &tag, &dp) || tag != 0x30)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "invalid %s extension: invalid distribution point",
			    what);
		if (!der_peek(&dp, 0xa0))
			continue;
		/* distributionPoint [0], then its fullName [0] */
		if (!der_get(&dp, &tag, &name) ||
		    !der_get(&name, &tag, &full) || tag != 0xa0)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "invalid %s extension: invalid distribution point",
			    what);
		while (der_peek(&full, 0x86)) {
			if (!der_get(&full, &tag, &uri))
				return ov_err_set(
				    err, OV_E_FORMAT,
				    "invalid %s extension: invalid URI", what);
			if ((r = push_uri(out, uri.p, uri.n, what, err)) !=
			    OV_OK)
				return r;
		}
	}
	return OV_OK;
}

/* The OCSP URIs of an AuthorityInfoAccessSyntax value, RFC 5280 4.2.2.1. */
static enum ov_code
parse_aia(const ASN1_OCTET_STRING *v, struct strv *out, struct ov_err *err)
{
	static const unsigned char ocsp_oid[] = {0x2b, 0x06, 0x01, 0x05,
						 0x05, 0x07, 0x30, 0x01};
	const char *what = "authority information access";
	struct der d, seq, ad, oid, uri;
	unsigned char tag;
	enum ov_code r;

	d.p = ASN1_STRING_get0_data(v);
	d.n = (size_t)ASN1_STRING_length(v);
	if (!der_get(&d, &tag, &seq) || tag != 0x30 || d.n != 0)
		return ov_err_set(err, OV_E_FORMAT, "invalid %s extension",
				  what);
	while (seq.n > 0) {
		if (!der_get(&seq, &tag, &ad) || tag != 0x30 ||
		    !der_get(&ad, &tag, &oid) || tag != 0x06)
			return ov_err_set(err, OV_E_FORMAT,
					  "invalid %s extension", what);
		if (!der_peek(&ad, 0x86))
			continue;
		if (!der_get(&ad, &tag, &uri))
			return ov_err_set(err, OV_E_FORMAT,
					  "invalid %s extension: invalid URI",
					  what);
		if (oid.n != sizeof(ocsp_oid) ||
		    memcmp(oid.p, ocsp_oid, oid.n) != 0)
			continue;
		if ((r = push_uri(out, uri.p, uri.n, what, err)) != OV_OK)
			return r;
	}
	return OV_OK;
}

/* The value of the first extension nid of c, or NULL. */
static const ASN1_OCTET_STRING *
cert_ext(const X509 *c, int nid)
{
	int i = X509_get_ext_by_NID(c, nid, -1);

	return i < 0 ? NULL : X509_EXTENSION_get_data(X509_get_ext(c, i));
}

static const ASN1_OCTET_STRING *
crl_ext(const X509_CRL *crl, int nid)
{
	int i = X509_CRL_get_ext_by_NID(crl, nid, -1);

	return i < 0 ? NULL : X509_EXTENSION_get_data(X509_CRL_get_ext(crl, i));
}

static enum ov_code
cert_urls(X509 *cert, struct strv *cdp, struct strv *ocsp, struct strv *fresh,
	  struct ov_err *err)
{
	const ASN1_OCTET_STRING *v;
	enum ov_code r;

	if (cdp != NULL &&
	    (v = cert_ext(cert, NID_crl_distribution_points)) != NULL &&
	    (r = parse_dps(v, "CRL distribution points", cdp, err)) != OV_OK)
		return r;
	if (ocsp != NULL && (v = cert_ext(cert, NID_info_access)) != NULL &&
	    (r = parse_aia(v, ocsp, err)) != OV_OK)
		return r;
	if (fresh != NULL && (v = cert_ext(cert, NID_freshest_crl)) != NULL &&
	    (r = parse_dps(v, "freshest CRL", fresh, err)) != OV_OK)
		return r;
	return OV_OK;
}

enum ov_code
ov_revocation_urls(X509 *cert, char ***crl_urls, size_t *ncrl,
		   char ***ocsp_urls, size_t *nocsp, struct ov_err *err)
{
	struct strv cdp = {0}, ocsp = {0};
	enum ov_code r;

	*crl_urls = *ocsp_urls = NULL;
	*ncrl = *nocsp = 0;
	if ((r = cert_urls(cert, &cdp, &ocsp, NULL, err)) != OV_OK) {
		strv_clear(&cdp);
		strv_clear(&ocsp);
		return r;
	}
	*crl_urls = cdp.v;
	*ncrl = cdp.n;
	*ocsp_urls = ocsp.v;
	*nocsp = ocsp.n;
	return OV_OK;
}

enum ov_code
ov_revocation_delta_urls(X509 *cert, char ***urls, size_t *n,
			 struct ov_err *err)
{
	struct strv fresh = {0};
	enum ov_code r;

	*urls = NULL;
	*n = 0;
	if ((r = cert_urls(cert, NULL, NULL, &fresh, err)) != OV_OK) {
		strv_clear(&fresh);
		return r;
	}
	*urls = fresh.v;
	*n = fresh.n;
	return OV_OK;
}

void
ov_revocation_cache_key(const char *url, char hex[65])
{
	unsigned char md[32];

	(void)EVP_Digest(url, strlen(url), md, NULL, EVP_sha256(), NULL);
	ov_hex(md, sizeof(md), hex);
}

/* --- loading ------------------------------------------------------------ */

enum ov_code
ov_revocation_new(struct ov_revocation **out, struct ov_err *err)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

void
ov_revocation_free(struct ov_revocation *rv)
{
	size_t i;

	if (rv == NULL)
		return;
	for (i = 0; i < rv->ncrl; i++) {
		X509_CRL_free(rv->crls[i].crl);
		free(rv->crls[i].src);
	}
	for (i = 0; i < rv->nocsp; i++) {
		OCSP_BASICRESP_free(rv->ocsps[i].bs);
		free(rv->ocsps[i].src);
	}
	for (i = 0; i < rv->ncache; i++) {
		close(rv->caches[i].fd);
		free(rv->caches[i].path);
	}
	free(rv->crls);
	free(rv->ocsps);
	free(rv->caches);
	free(rv);
}

/* Decode one DER CRL at p (at most n bytes); *used is its length. */
static enum ov_code
crl_from_der(const unsigned char *p, size_t n, X509_CRL **out, size_t *used,
	     struct ov_err *err)
{
	const unsigned char *q = p;
	X509_CRL *crl;
	int64_t t;

	*out = NULL;
	*used = 0;
	if (n > LONG_MAX)
		return ov_err_set(err, OV_E_LIMIT, "CRL data too large");
	if ((crl = d2i_X509_CRL(NULL, &q, (long)n)) == NULL)
		return ov_err_ssl(err, OV_E_FORMAT, "not a DER CRL");
	if ((size_t)(q - p) > OV_MAX_CRL) {
		X509_CRL_free(crl);
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "CRL of %zu bytes is larger than the limit of %d bytes",
		    (size_t)(q - p), OV_MAX_CRL);
	}
	if (ov_x509_time(X509_CRL_get0_lastUpdate(crl), &t, NULL) != OV_OK ||
	    (X509_CRL_get0_nextUpdate(crl) != NULL &&
	     ov_x509_time(X509_CRL_get0_nextUpdate(crl), &t, NULL) != OV_OK)) {
		X509_CRL_free(crl);
		return ov_err_set(err, OV_E_FORMAT, "CRL has an invalid time");
	}
	*used = (size_t)(q - p);
	*out = crl;
	return OV_OK;
}

static enum ov_code
push_crl(STACK_OF(X509_CRL) *crls, X509_CRL *crl, const char *name,
	 struct ov_err *err)
{
	if (sk_X509_CRL_num(crls) >= OV_MAX_CRLS)
		return ov_err_set(err, OV_E_LIMIT,
				  "%s: more than the limit of %d CRLs", name,
				  OV_MAX_CRLS);
	if (sk_X509_CRL_push(crls, crl) <= 0)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

/* PEM "X509 CRL" blocks; *is_pem stays 0 when there is no PEM block. */
static enum ov_code
read_pem(BIO *bio, const char *name, STACK_OF(X509_CRL) *crls, int *is_pem,
	 struct ov_err *err)
{
	char *label = NULL, *header = NULL;
	unsigned char *der = NULL;
	long len = 0;
	unsigned long e;
	size_t used;
	X509_CRL *crl = NULL;
	int block, ok;
	enum ov_code r = OV_E_INTERNAL;

	*is_pem = 0;
	for (block = 1;; block++) {
		ERR_set_mark();
		ok = PEM_read_bio(bio, &label, &header, &der, &len);
		if (!ok) {
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
				ERR_pop_to_mark();
				r = OV_OK;
				goto out;
			}
			ERR_clear_last_mark();
			r = ov_err_ssl(err, OV_E_FORMAT,
				       "%s: PEM block %d is malformed", name,
				       block);
			goto out;
		}
		ERR_clear_last_mark();
		*is_pem = 1;
		if (strcmp(label, PEM_STRING_X509_CRL) != 0) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: PEM block %d is a \"%s\", not an X509 CRL",
			    name, block, label);
			goto out;
		}
		if ((r = crl_from_der(der, (size_t)len, &crl, &used, err)) !=
		    OV_OK) {
			ov_err_wrap(err, "%s: PEM block %d", name, block);
			goto out;
		}
		if (used != (size_t)len) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: PEM block %d: CRL is followed by %zu extra bytes",
			    name, block, (size_t)len - used);
			goto out;
		}
		if ((r = push_crl(crls, crl, name, err)) != OV_OK)
			goto out;
		crl = NULL; /* transferred */
		OPENSSL_free(label);
		OPENSSL_free(header);
		OPENSSL_free(der);
		label = header = NULL;
		der = NULL;
	}
out:
	X509_CRL_free(crl);
	OPENSSL_free(label);
	OPENSSL_free(header);
	OPENSSL_free(der);
	return r;
}

/* PEM CRLs or one or more concatenated DER CRLs, nothing else. */
static enum ov_code
parse_crls(const unsigned char *data, size_t len, const char *name,
	   STACK_OF(X509_CRL) **out, struct ov_err *err)
{
	STACK_OF(X509_CRL) *crls = NULL;
	X509_CRL *crl = NULL;
	BIO *bio = NULL;
	size_t off = 0, used;
	int is_pem = 0;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (len == 0)
		return ov_err_set(err, OV_E_FORMAT, "%s: empty, no CRL found",
				  name);
	if (len > INT_MAX)
		return ov_err_set(err, OV_E_LIMIT, "%s: too large", name);
	if ((crls = sk_X509_CRL_new_null()) == NULL ||
	    (bio = BIO_new_mem_buf(data, (int)len)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = read_pem(bio, name, crls, &is_pem, err)) != OV_OK)
		goto out;
	while (!is_pem && off < len) {
		if ((r = crl_from_der(data + off, len - off, &crl, &used,
				      err)) != OV_OK) {
			if (off == 0)
				ov_err_wrap(err, "%s: neither PEM nor DER CRLs",
					    name);
			else
				ov_err_wrap(err, "%s: data at byte %zu", name,
					    off);
			goto out;
		}
		off += used;
		if ((r = push_crl(crls, crl, name, err)) != OV_OK)
			goto out;
		crl = NULL; /* transferred */
	}
	if (sk_X509_CRL_num(crls) == 0) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: no CRL found", name);
		goto out;
	}
	*out = crls;
	crls = NULL; /* transferred */
	r = OV_OK;
out:
	X509_CRL_free(crl);
	BIO_free(bio);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return r;
}

enum ov_code
ov_revocation_add_crl_data(struct ov_revocation *rv, const unsigned char *data,
			   size_t len, const char *name, struct ov_err *err)
{
	STACK_OF(X509_CRL) *crls = NULL;
	size_t n, i;
	enum ov_code r;

	if ((r = parse_crls(data, len, name, &crls, err)) != OV_OK) {
		if (r == OV_E_FORMAT && err != NULL)
			err->code = r = OV_E_CONFIG;
		return r;
	}
	n = (size_t)sk_X509_CRL_num(crls);
	if (rv->ncrl + n > OV_MAX_CRLS) {
		r = ov_err_set(err, OV_E_LIMIT,
			       "%s: more than the limit of %d CRLs loaded",
			       name, OV_MAX_CRLS);
		goto out;
	}
	if (grow(&rv->crls, &rv->crlcap, rv->ncrl + n, sizeof(*rv->crls)) !=
	    0) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rv->crls[rv->ncrl].src = strdup(name)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		rv->crls[rv->ncrl++].crl = sk_X509_CRL_shift(crls);
	}
	r = OV_OK;
out:
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return r;
}

enum ov_code
ov_revocation_add_ocsp_data(struct ov_revocation *rv, const unsigned char *data,
			    size_t len, const char *name, struct ov_err *err)
{
	const unsigned char *p = data;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	char *src = NULL;
	int status;
	enum ov_code r = OV_E_INTERNAL;

	if (len == 0 || len > LONG_MAX ||
	    (resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len)) == NULL) {
		r = ov_err_ssl(err, OV_E_CONFIG, "%s: not a DER OCSP response",
			       name);
		goto out;
	}
	if ((size_t)(p - data) != len) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "%s: OCSP response is followed by %zu extra bytes", name,
		    len - (size_t)(p - data));
		goto out;
	}
	status = OCSP_response_status(resp);
	if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		r = ov_err_set(err, OV_E_CONFIG,
			       "%s: OCSP response status is %s, not successful",
			       name, OCSP_response_status_str(status));
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		r = ov_err_ssl(err, OV_E_CONFIG,
			       "%s: not a basic OCSP response", name);
		goto out;
	}
	if (rv->nocsp >= OV_MAX_OCSP_RESPONSES) {
		r = ov_err_set(
		    err, OV_E_LIMIT,
		    "%s: more than the limit of %d OCSP responses loaded", name,
		    OV_MAX_OCSP_RESPONSES);
		goto out;
	}
	if ((src = strdup(name)) == NULL ||
	    grow(&rv->ocsps, &rv->ocspcap, rv->nocsp + 1, sizeof(*rv->ocsps)) !=
		0) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	rv->ocsps[rv->nocsp].bs = bs;
	rv->ocsps[rv->nocsp++].src = src;
	bs = NULL;  /* transferred */
	src = NULL; /* transferred */
	r = OV_OK;
out:
	free(src);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	return r;
}

typedef enum ov_code (*add_data_fn)(struct ov_revocation *,
				    const unsigned char *, size_t, const char *,
				    struct ov_err *);

/* Read name (relative to dfd, the directory dir) and hand it to add as
 * shown. */
static enum ov_code
add_file(struct ov_revocation *rv, int dfd, const char *dir, const char *name,
	 const char *shown, size_t max, add_data_fn add, struct ov_err *err)
{
	struct ov_buf b;
	enum ov_code r;

	ov_buf_init(&b, max);
	if ((r = ov_buf_read_file(&b, dfd, name, err)) != OV_OK) {
		if (dir != NULL)
			ov_err_wrap(err, "%s", dir);
		goto out;
	}
	r = add(rv, b.data, b.len, shown, err);
out:
	ov_buf_free(&b);
	return r;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry of directory path, sorted, each a regular file. */
static enum ov_code
add_dir(struct ov_revocation *rv, const char *path, size_t max, add_data_fn add,
	struct ov_err *err)
{
	struct strv names = {0};
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	char *shown = NULL;
	size_t i;
	int fd;
	enum ov_code r = OV_E_INTERNAL;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno == 0)
				break;
			r = ov_err_set(err, OV_E_IO, "%s: %s", path,
				       strerror(errno));
			goto out;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (names.n >= OV_MAX_REVOCATION_FILES) {
			r = ov_err_set(err, OV_E_LIMIT,
				       "%s: more than the limit of %d files",
				       path, OV_MAX_REVOCATION_FILES);
			goto out;
		}
		if (strv_add(&names, (const unsigned char *)de->d_name,
			     strlen(de->d_name)) != 0) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
	}
	if (names.n > 1)
		qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	for (i = 0; i < names.n; i++) {
		free(shown);
		if ((shown = xprintf("%s/%s", path, names.v[i])) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if (fstatat(dirfd(d), names.v[i], &st, AT_SYMLINK_NOFOLLOW) !=
		    0) {
			r = ov_err_set(err, OV_E_IO, "%s: %s", shown,
				       strerror(errno));
			goto out;
		}
		if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
			r = ov_err_set(
			    err, OV_E_CONFIG,
			    "%s: not a regular file (directories and symbolic links are not supported)",
			    shown);
			goto out;
		}
		if ((r = add_file(rv, dirfd(d), path, names.v[i], shown, max,
				  add, err)) != OV_OK)
			goto out;
	}
	r = OV_OK;
out:
	free(shown);
	strv_clear(&names);
	if (d != NULL)
		closedir(d);
	return r;
}

static enum ov_code
add_path(struct ov_revocation *rv, const char *path, size_t max,
	 add_data_fn add, struct ov_err *err)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return ov_err_set(err, OV_E_NOTFOUND, "%s: not found",
					  path);
		return ov_err_set(err, OV_E_IO, "%s: %s", path,
				  strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return ov_err_set(
		    err, OV_E_CONFIG,
		    "%s: is a symbolic link, which is not followed", path);
	if (S_ISDIR(st.st_mode))
		return add_dir(rv, path, max, add, err);
	return add_file(rv, AT_FDCWD, NULL, path, path, max, add, err);
}

enum ov_code
ov_revocation_add_crl_path(struct ov_revocation *rv, const char *path,
			   struct ov_err *err)
{
	return add_path(rv, path, OV_MAX_CRL_FILE, ov_revocation_add_crl_data,
			err);
}

enum ov_code
ov_revocation_add_ocsp_path(struct ov_revocation *rv, const char *path,
			    struct ov_err *err)
{
	return add_path(rv, path, OV_MAX_OCSP_RESPONSE,
			ov_revocation_add_ocsp_data, err);
}

enum ov_code
ov_revocation_add_cache_dir(struct ov_revocation *rv, const char *dir,
			    struct ov_err *err)
{
	char *path = NULL;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return ov_err_set(err, OV_E_NOTFOUND,
					  "CRL cache %s: not found", dir);
		if (errno == ELOOP || errno == ENOTDIR)
			return ov_err_set(
			    err, OV_E_CONFIG,
			    "CRL cache %s: not a directory (symbolic links are not followed)",
			    dir);
		return ov_err_set(err, OV_E_IO, "CRL cache %s: %s", dir,
				  strerror(errno));
	}
	if ((path = strdup(dir)) == NULL ||
	    grow(&rv->caches, &rv->cachecap, rv->ncache + 1,
		 sizeof(*rv->caches)) != 0) {
		free(path);
		close(fd);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	rv->caches[rv->ncache].fd = fd;
	rv->caches[rv->ncache++].path = path;
	return OV_OK;
}

/* --- CRLs --------------------------------------------------------------- */

static void
cands_free(struct cands *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].src);
		ASN1_INTEGER_free(cs->v[i].number);
		ASN1_INTEGER_free(cs->v[i].base);
	}
	free(cs->v);
	sk_X509_CRL_pop_free(cs->owned, X509_CRL_free);
	memset(cs, 0, sizeof(*cs));
}

/* Add crl (owned when own) as a candidate; src is taken over. */
static enum ov_code
cands_add(struct cands *cs, X509_CRL *crl, int own, char *src, int from_cache,
	  struct ov_err *err)
{
	struct cand *c;

	if (own && ((cs->owned == NULL &&
		     (cs->owned = sk_X509_CRL_new_null()) == NULL) ||
		    sk_X509_CRL_push(cs->owned, crl) <= 0)) {
		X509_CRL_free(crl);
		free(src);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	if (src == NULL || grow(&cs->v, &cs->cap, cs->n + 1, sizeof(*cs->v))) {
		free(src);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->crl = crl;
	c->src = src;
	c->from_cache = from_cache;
	return OV_OK;
}

/* Decode a base64 DER CRL from a cache entry member. */
static enum ov_code
cache_crl(const char *b64, const char *member, X509_CRL **out,
	  struct ov_err *err)
{
	unsigned char *der = NULL;
	size_t len = 0, used;
	enum ov_code r;

	*out = NULL;
	if ((r = ov_b64_decode(b64, strlen(b64), &der, &len, err)) != OV_OK) {
		ov_err_wrap(err, "%s", member);
		return r;
	}
	r = crl_from_der(der, len, out, &used, err);
	if (r == OV_OK && used != len) {
		X509_CRL_free(*out);
		*out = NULL;
		r = ov_err_set(err, OV_E_FORMAT,
			       "CRL is followed by %zu extra bytes",
			       len - used);
	}
	if (r != OV_OK)
		ov_err_wrap(err, "%s", member);
	free(der);
	return r;
}

/*
 * The notation cache entry for url in cd, added as candidates. Problems
 * with the entry are reasons, not errors: the URL is then just unusable.
 */
static enum ov_code
read_cache(struct ctx *c, const struct cache_dir *cd, const char *url,
	   struct cands *cs, struct ov_err *err)
{
	static const char *const known[] = {"baseCRL", "deltaCRL", NULL};
	char key[65], shown[SHOW_MAX];
	const char *b64[2] = {NULL, NULL}, *variant;
	const cJSON *dv;
	cJSON *doc = NULL;
	struct ov_buf b;
	struct ov_err e;
	X509_CRL *crls[2] = {NULL, NULL};
	int i;
	enum ov_code r;

	ov_revocation_cache_key(url, key);
	show_url(url, shown);
	ov_buf_init(&b, OV_MAX_CRL_CACHE_ENTRY);
	r = ov_buf_read_file(&b, cd->fd, key, &e);
	if (r == OV_E_NOTFOUND) {
		r = OV_OK;
		goto out;
	}
	if (r == OV_OK &&
	    (r = ov_json_parse(b.data, b.len, key, &doc, &e)) == OV_OK) {
		if (!cJSON_IsObject(doc))
			r = ov_err_set(&e, OV_E_FORMAT, "not a JSON object");
		else if ((variant = ov_json_case_variant(doc, known)) != NULL)
			r = ov_err_set(
			    &e, OV_E_FORMAT,
			    "member \"%s\" is not spelled as notation spells it",
			    variant);
		else
			r = ov_json_string(doc, "baseCRL", 1, key, &b64[0], &e);
	}
	dv = ov_json_get(doc, "deltaCRL");
	if (r == OV_OK && dv != NULL && !cJSON_IsNull(dv))
		r = ov_json_string(doc, "deltaCRL", 1, key, &b64[1], &e);
	/* both decode, or the entry is unusable */
	for (i = 0; r == OV_OK && i < 2 && b64[i] != NULL; i++)
		r = cache_crl(b64[i], known[i], &crls[i], &e);
	for (i = 0; r == OV_OK && i < 2 && crls[i] != NULL; i++) {
		r = cands_add(cs, crls[i], 1,
			      xprintf("cache entry %s/%s for %s", cd->path, key,
				      shown),
			      1, err);
		crls[i] = NULL; /* transferred */
		if (r != OV_OK)
			goto out; /* out of memory */
	}
	if (r == OV_E_NOMEM) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (r != OV_OK)
		why_set(&c->why, WHY_BAD, "CRL cache entry for %s in %s: %s",
			shown, cd->path, e.msg);
	r = OV_OK;
out:
	X509_CRL_free(crls[0]);
	X509_CRL_free(crls[1]);
	cJSON_Delete(doc);
	ov_buf_free(&b);
	return r;
}

/* Extension nid of the candidate decoded (NULL when absent); *bad and a
 * reason when it is malformed or repeated. */
static void *
crl_ext_get(const struct cand *cd, int nid, const char *label, int *bad,
	    struct ctx *c)
{
	void *v;
	int crit = -1;

	v = X509_CRL_get_ext_d2i(cd->crl, nid, &crit, NULL);
	if (v == NULL && crit != -1) {
		*bad = 1;
		why_set(&c->why, WHY_BAD, "CRL %s has %s %s", cd->src,
			crit == -2 ? "more than one" : "an invalid", label);
	}
	return v;
}

/* 1 when one of names is a URI equal to one of urls. */
static int
uri_among(const GENERAL_NAMES *names, const struct strv *urls)
{
	const GENERAL_NAME *gn;
	size_t k, n;
	int i;

	for (i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type != GEN_URI)
			continue;
		for (k = 0; k < urls->n; k++) {
			n = strlen(urls->v[k]);
			if ((size_t)ASN1_STRING_length(gn->d.ia5) == n &&
			    memcmp(ASN1_STRING_get0_data(gn->d.ia5), urls->v[k],
				   n) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * 1 when the CRL's issuing distribution point covers the certificate
 * (RFC 5280 6.3.3 b.2). notation ignores the extension; without this
 * check a CRL of another partition or of CA certificates only would
 * clear a certificate it does not list.
 */
static int
in_scope(const struct cand *cd, struct ctx *c)
{
	ISSUING_DIST_POINT *idp = NULL;
	const char *why = NULL;
	int bad = 0, ca = ov_x509_is_ca(c->cert);

	idp = crl_ext_get(cd, NID_issuing_distribution_point,
			  "issuing distribution point", &bad, c);
	if (idp == NULL)
		return !bad;
	if (idp->indirectCRL)
		why = "it is an indirect CRL";
	else if (idp->onlysomereasons != NULL)
		why = "it covers only some reasons";
	else if (idp->onlyattr || (idp->onlyuser && ca) || (idp->onlyCA && !ca))
		why = "it covers other kinds of certificates";
	else if (idp->distpoint == NULL || cd->from_cache)
		why = NULL; /* a cache entry is the CRL at the cert's URL */
	else if (idp->distpoint->type != 0)
		why = "its distribution point is a relative name";
	else if (!uri_among(idp->distpoint->name.fullname, &c->cdp))
		why = "its distribution point is not one of the certificate's";
	ISSUING_DIST_POINT_free(idp);
	if (why != NULL)
		why_set(&c->why, WHY_SCOPE, "CRL %s does not cover \"%s\": %s",
			cd->src, c->name, why);
	return why == NULL;
}

/* Decide whether candidate cd is usable for the certificate (RFC 5280
 * 6.3.3 and notation's validateCRL), recording why not. */
static void
prepare(struct cand *cd, struct ctx *c, EVP_PKEY *key)
{
	const STACK_OF(X509_EXTENSION) *exts;
	X509_EXTENSION *ext;
	AUTHORITY_KEYID *akid = NULL;
	const ASN1_OCTET_STRING *ski;
	const ASN1_TIME *next;
	char from[SHOW_MAX], tbuf[OV_TIME_STR_MAX], oid[80];
	int64_t t;
	int i, nid, bad = 0;

	show_name(X509_CRL_get_issuer(cd->crl), from);
	if (X509_NAME_cmp(X509_CRL_get_issuer(cd->crl),
			  X509_get_subject_name(c->issuer)) != 0) {
		why_set(&c->why, WHY_SCOPE,
			"%s holds a CRL from \"%s\", not from \"%s\"", cd->src,
			from, c->issuer_name);
		return;
	}
	akid = crl_ext_get(cd, NID_authority_key_identifier,
			   "authority key identifier", &bad, c);
	if (bad)
		return;
	ski = X509_get0_subject_key_id(c->issuer);
	if (akid != NULL && akid->keyid != NULL && ski != NULL &&
	    ASN1_OCTET_STRING_cmp(akid->keyid, ski) != 0) {
		AUTHORITY_KEYID_free(akid);
		why_set(
		    &c->why, WHY_SCOPE,
		    "CRL from \"%s\" is signed by another key of its issuer (%s)",
		    from, cd->src);
		return;
	}
	AUTHORITY_KEYID_free(akid);
	if (!sig_nid_ok(X509_CRL_get_signature_nid(cd->crl))) {
		why_set(
		    &c->why, WHY_BAD,
		    "CRL from \"%s\" uses an unsupported signature algorithm (%s)",
		    from, cd->src);
		return;
	}
	ERR_set_mark();
	i = key != NULL ? X509_CRL_verify(cd->crl, key) : 0;
	ERR_pop_to_mark();
	if (i != 1) {
		why_set(
		    &c->why, WHY_BAD,
		    "CRL from \"%s\" is not signed by the key of \"%s\" (%s)",
		    from, c->issuer_name, cd->src);
		return;
	}
	exts = X509_CRL_get0_extensions(cd->crl);
	for (i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		ext = sk_X509_EXTENSION_value(exts, i);
		nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
		if (!X509_EXTENSION_get_critical(ext) ||
		    nid == NID_issuing_distribution_point ||
		    nid == NID_delta_crl)
			continue;
		(void)OBJ_obj2txt(oid, sizeof(oid),
				  X509_EXTENSION_get_object(ext), 0);
		why_set(
		    &c->why, WHY_BAD,
		    "CRL from \"%s\" has an unsupported critical extension %s (%s)",
		    from, oid, cd->src);
		return;
	}
	cd->number = crl_ext_get(cd, NID_crl_number, "CRL number", &bad, c);
	cd->base =
	    crl_ext_get(cd, NID_delta_crl, "delta CRL indicator", &bad, c);
	if (bad)
		return;
	cd->is_delta = cd->base != NULL;
	cd->idp = crl_ext(cd->crl, NID_issuing_distribution_point);
	(void)ov_x509_time(X509_CRL_get0_lastUpdate(cd->crl), &cd->this_update,
			   NULL);
	if (cd->this_update > c->now) {
		why_set(&c->why, WHY_TIME,
			"CRL from \"%s\" is not valid yet: thisUpdate %s (%s)",
			from, ov_time_format(cd->this_update, tbuf), cd->src);
		return;
	}
	if ((next = X509_CRL_get0_nextUpdate(cd->crl)) == NULL) {
		why_set(&c->why, WHY_TIME,
			"CRL from \"%s\" has no nextUpdate (%s)", from,
			cd->src);
		return;
	}
	(void)ov_x509_time(next, &t, NULL);
	if (c->now >= t) {
		why_set(&c->why, WHY_STALE,
			"CRL from \"%s\" is stale: nextUpdate %s (%s)", from,
			ov_time_format(t, tbuf), cd->src);
		return;
	}
	if (!in_scope(cd, c))
		return;
	cd->usable = 1;
}

static int
same_scope(const struct cand *a, const struct cand *b)
{
	if (a->idp == NULL || b->idp == NULL)
		return a->idp == b->idp;
	return ASN1_OCTET_STRING_cmp(a->idp, b->idp) == 0;
}

/* 1 when a is a newer issue than b. */
static int
newer(const struct cand *a, const struct cand *b)
{
	if (a->this_update != b->this_update)
		return a->this_update > b->this_update;
	return a->number != NULL && b->number != NULL &&
	       ASN1_INTEGER_cmp(a->number, b->number) > 0;
}

/* 1 when base i is the newest usable base CRL of its scope (the first
 * of equals). */
static int
selected(const struct cands *cs, size_t i)
{
	const struct cand *a = &cs->v[i], *b;
	size_t j;

	for (j = 0; j < cs->n; j++) {
		b = &cs->v[j];
		if (j == i || !b->usable || b->is_delta || !same_scope(a, b))
			continue;
		if (newer(b, a) || (j < i && !newer(a, b)))
			return 0;
	}
	return 1;
}

/* The delta CRL to apply on base (RFC 5280 5.2.4): the usable one of
 * the same scope with the highest number, or NULL. */
static const struct cand *
best_delta(const struct cands *cs, const struct cand *base, struct ctx *c)
{
	const struct cand *d, *best = NULL;
	size_t j;

	for (j = 0; j < cs->n; j++) {
		d = &cs->v[j];
		if (!d->usable || !d->is_delta || !same_scope(d, base))
			continue;
		if (base->number == NULL || d->number == NULL ||
		    ASN1_INTEGER_cmp(d->base, base->number) > 0 ||
		    ASN1_INTEGER_cmp(d->number, base->number) <= 0) {
			why_set(
			    &c->why, WHY_SCOPE,
			    "delta CRL %s does not apply to base CRL %s (CRL numbers)",
			    d->src, base->src);
			continue;
		}
		if (best == NULL ||
		    ASN1_INTEGER_cmp(d->number, best->number) > 0)
			best = d;
	}
	return best;
}

/* Look the certificate's serial up in crl (base, then delta) as
 * notation's checkRevocation does, plus the as-of-now rule. */
static void
lookup_crl(X509_CRL *crl, struct ctx *c, struct lookup *lk)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	const ASN1_INTEGER *serial = X509_get0_serialNumber(c->cert);
	const STACK_OF(X509_EXTENSION) *exts;
	X509_EXTENSION *ext;
	ASN1_ENUMERATED *reason;
	ASN1_GENERALIZEDTIME *inv;
	X509_REVOKED *rev;
	char oid[80];
	int64_t when, invt;
	int i, j, nid, crit, code, have_inv, bad;

	for (i = 0; lk->state == LK_CLEAR && i < sk_X509_REVOKED_num(revs);
	     i++) {
		rev = sk_X509_REVOKED_value(revs, i);
		if (ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(rev),
				     serial) != 0)
			continue;
		exts = X509_REVOKED_get0_extensions(rev);
		for (j = 0; j < sk_X509_EXTENSION_num(exts); j++) {
			ext = sk_X509_EXTENSION_value(exts, j);
			nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
			if (!X509_EXTENSION_get_critical(ext) ||
			    nid == NID_crl_reason || nid == NID_invalidity_date)
				continue;
			(void)OBJ_obj2txt(oid, sizeof(oid),
					  X509_EXTENSION_get_object(ext), 0);
			lk->state = LK_UNKNOWN;
			(void)snprintf(
			    lk->why, sizeof(lk->why),
			    "its CRL entry has an unsupported critical extension %s",
			    oid);
			return;
		}
		code = -1;
		crit = -1;
		reason =
		    X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, &crit, NULL);
		bad = reason == NULL && crit != -1; /* undecodable or twice */
		if (reason != NULL)
			code = (int)ASN1_ENUMERATED_get(reason);
		ASN1_ENUMERATED_free(reason);
		crit = -1;
		inv = X509_REVOKED_get_ext_d2i(rev, NID_invalidity_date, &crit,
					       NULL);
		have_inv =
		    inv != NULL && ov_x509_time(inv, &invt, NULL) == OV_OK;
		bad |= !have_inv && crit != -1;
		ASN1_GENERALIZEDTIME_free(inv);
		if (bad || ov_x509_time(X509_REVOKED_get0_revocationDate(rev),
					&when, NULL) != OV_OK) {
			lk->state = LK_UNKNOWN;
			(void)snprintf(lk->why, sizeof(lk->why),
				       "its CRL entry is malformed");
			return;
		}
		if (when > c->now)
			continue; /* not revoked as of now */
		if (c->auth_time != INT64_MIN && have_inv &&
		    invt > c->auth_time)
			continue; /* signed before the key was compromised */
		if (code == REASON_HOLD || code == REASON_REMOVE) {
			if (!lk->have_temp || when >= lk->temp_when) {
				lk->have_temp = 1;
				lk->temp_reason = code;
				lk->temp_when = when;
			}
			continue;
		}
		lk->state = LK_REVOKED;
		lk->reason = code;
		lk->when = when;
	}
}

/* The verdict of base (+ delta) for the certificate; *decided is 0 when
 * a required delta CRL is missing. */
static enum ov_code
judge_crl(struct ctx *c, const struct cands *cs, const struct cand *base,
	  struct verdict *v, int *decided, struct ov_err *err)
{
	const struct cand *delta = best_delta(cs, base, c);
	const ASN1_OCTET_STRING *fv;
	const struct strv *u;
	struct strv bfresh = {0};
	struct lookup lk;
	struct ov_err e;
	char from[SHOW_MAX], tbuf[OV_TIME_STR_MAX], ubuf[SHOW_MAX];
	enum ov_code r = OV_OK;

	*decided = 0;
	memset(v, 0, sizeof(*v));
	show_name(X509_CRL_get_issuer(base->crl), from);
	if (delta == NULL) {
		if ((fv = crl_ext(base->crl, NID_freshest_crl)) != NULL &&
		    (r = parse_dps(fv, "freshest CRL", &bfresh, &e)) != OV_OK) {
			if (r == OV_E_NOMEM) {
				r = ov_err_set(err, r, "out of memory");
				goto out;
			}
			why_set(&c->why, WHY_BAD, "CRL %s: %s", base->src,
				e.msg);
			r = OV_OK;
			goto out;
		}
		/* notation: a Freshest CRL extension needs its delta CRL */
		if (c->has_fresh || bfresh.n > 0) {
			u = bfresh.n > 0 ? &bfresh : &c->fresh;
			why_set(
			    &c->why, WHY_TIME,
			    "no usable delta CRL for the CRL from \"%s\" (%s)%s%s",
			    from, base->src, u->n > 0 ? "; fetch " : "",
			    u->n > 0 ? show_url(u->v[0], ubuf) : "");
			goto out;
		}
	}
	memset(&lk, 0, sizeof(lk));
	lookup_crl(base->crl, c, &lk);
	if (delta != NULL && lk.state == LK_CLEAR)
		lookup_crl(delta->crl, c, &lk);
	if (lk.state == LK_CLEAR && lk.have_temp &&
	    lk.temp_reason == REASON_HOLD) {
		lk.state = LK_REVOKED;
		lk.reason = lk.temp_reason;
		lk.when = lk.temp_when;
	}
	*decided = 1;
	switch (lk.state) {
	case LK_REVOKED:
		v->status = OV_REV_REVOKED;
		v->msg = xprintf(
		    "certificate \"%s\" is revoked: %s at %s (CRL from \"%s\")",
		    c->name, reason_name(lk.reason),
		    ov_time_format(lk.when, tbuf), from);
		break;
	case LK_UNKNOWN:
		v->status = OV_REV_UNKNOWN;
		v->msg = xprintf(
		    "revocation status of certificate \"%s\" is unknown: %s (CRL from \"%s\", %s)",
		    c->name, lk.why, from, base->src);
		break;
	default:
		v->status = OV_REV_OK;
		v->msg = xprintf("CRL %sfrom \"%s\"",
				 delta != NULL ? "and delta CRL " : "", from);
		break;
	}
	if (v->msg == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	strv_clear(&bfresh);
	return r;
}

/* The CRL side: *decided is 0 when no usable CRL decides. */
static enum ov_code
check_crls(struct ctx *c, struct verdict *v, int *decided, struct ov_err *err)
{
	const struct ov_revocation *rv = c->rv;
	struct cands cs = {0};
	struct verdict one = {0};
	EVP_PKEY *key = X509_get0_pubkey(c->issuer);
	uint32_t ku = X509_get_key_usage(c->issuer);
	size_t i, k;
	int dec, unsure = 0;
	enum ov_code r = OV_E_INTERNAL;

	*decided = 0;
	for (i = 0; i < rv->ncrl; i++) {
		if (X509_NAME_cmp(X509_CRL_get_issuer(rv->crls[i].crl),
				  X509_get_subject_name(c->issuer)) != 0)
			continue;
		if ((r = cands_add(&cs, rv->crls[i].crl, 0,
				   xprintf("%s", rv->crls[i].src), 0, err)) !=
		    OV_OK)
			goto out;
	}
	for (i = 0; i < rv->ncache; i++)
		for (k = 0; k < c->cdp.n; k++)
			if ((r = read_cache(c, &rv->caches[i], c->cdp.v[k], &cs,
					    err)) != OV_OK)
				goto out;
	if (cs.n > 0 &&
	    ((X509_get_version(c->issuer) >= 2 && !ov_x509_is_ca(c->issuer)) ||
	     (ku != UINT32_MAX && (ku & KU_CRL_SIGN) == 0))) {
		why_set(&c->why, WHY_BAD,
			"issuer \"%s\" may not sign CRLs (%s)", c->issuer_name,
			ov_x509_is_ca(c->issuer) ? "no cRLSign key usage"
						 : "not a CA");
		r = OV_OK;
		goto out;
	}
	for (i = 0; i < cs.n; i++)
		prepare(&cs.v[i], c, key);
	for (i = 0; i < cs.n; i++) {
		if (!cs.v[i].usable || cs.v[i].is_delta || !selected(&cs, i))
			continue;
		if ((r = judge_crl(c, &cs, &cs.v[i], &one, &dec, err)) != OV_OK)
			goto out;
		if (!dec) {
			unsure = 1;
			continue;
		}
		/* revoked beats unknown beats ok */
		if (!*decided ||
		    (one.status == OV_REV_REVOKED &&
		     v->status != OV_REV_REVOKED) ||
		    (one.status == OV_REV_UNKNOWN && v->status == OV_REV_OK)) {
			free(v->msg);
			*v = one;
			one.msg = NULL; /* transferred */
			*decided = 1;
		}
		free(one.msg);
		one.msg = NULL;
	}
	if (unsure && *decided && v->status == OV_REV_OK) {
		/* another scope could not be checked */
		free(v->msg);
		v->msg = NULL;
		*decided = 0;
	}
	r = OV_OK;
out:
	free(one.msg);
	cands_free(&cs);
	return r;
}

/* --- OCSP --------------------------------------------------------------- */

static int
ocsp_verify_with(OCSP_BASICRESP *bs, EVP_PKEY *key)
{
	int ok;

	if (key == NULL)
		return 0;
	ERR_set_mark();
	ok = ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA),
			      OCSP_resp_get0_tbs_sigalg(bs),
			      OCSP_resp_get0_signature(bs),
			      OCSP_resp_get0_respdata(bs), key) == 1;
	ERR_pop_to_mark();
	return ok;
}

/*
 * 1 when the response is signed by the issuer, or by a responder
 * certificate it carries that the issuer signed, with the OCSPSigning
 * EKU and valid now (RFC 6960 4.2.2.2). *signer names who signed.
 */
static int
ocsp_signed(struct ctx *c, const struct ocsp_item *it, char signer[SHOW_MAX])
{
	const STACK_OF(X509) *certs = OCSP_resp_get0_certs(it->bs);
	EVP_PKEY *key = X509_get0_pubkey(c->issuer);
	const X509_ALGOR *alg = OCSP_resp_get0_tbs_sigalg(it->bs);
	X509 *resp;
	char name[SHOW_MAX];
	int i, ok;

	if (!sig_nid_ok(OBJ_obj2nid(alg->algorithm))) {
		why_set(
		    &c->why, WHY_BAD,
		    "OCSP response %s uses an unsupported signature algorithm",
		    it->src);
		return 0;
	}
	if (ocsp_verify_with(it->bs, key)) {
		memcpy(signer, c->issuer_name, SHOW_MAX);
		return 1;
	}
	for (i = 0; i < sk_X509_num(certs); i++) {
		resp = sk_X509_value(certs, i);
		if (X509_NAME_cmp(X509_get_issuer_name(resp),
				  X509_get_subject_name(c->issuer)) != 0)
			continue;
		ERR_set_mark();
		ok = key != NULL && X509_verify(resp, key) == 1;
		ERR_pop_to_mark();
		if (!ok)
			continue;
		show_name(X509_get_subject_name(resp), name);
		if ((X509_get_extension_flags(resp) & EXFLAG_XKUSAGE) == 0 ||
		    (X509_get_extended_key_usage(resp) & XKU_OCSP_SIGN) == 0) {
			why_set(
			    &c->why, WHY_BAD,
			    "OCSP responder \"%s\" has no OCSPSigning extended key usage (%s)",
			    name, it->src);
			continue;
		}
		if (c->now < ov_x509_not_before(resp) ||
		    c->now > ov_x509_not_after(resp)) {
			why_set(
			    &c->why, WHY_TIME,
			    "OCSP responder \"%s\" is not valid at the verification time (%s)",
			    name, it->src);
			continue;
		}
		if (ocsp_verify_with(it->bs, X509_get0_pubkey(resp))) {
			memcpy(signer, name, SHOW_MAX);
			return 1;
		}
	}
	why_set(
	    &c->why, WHY_BAD,
	    "OCSP response %s is not signed by \"%s\" or by a responder it authorized",
	    it->src, c->issuer_name);
	return 0;
}

/* 1 when a single response is current and has no critical extension. */
static int
single_usable(struct ctx *c, const struct ocsp_item *it, OCSP_SINGLERESP *s,
	      int64_t *this_update)
{
	ASN1_GENERALIZEDTIME *thisupd = NULL, *nextupd = NULL;
	char tbuf[OV_TIME_STR_MAX];
	int64_t t;
	int i;

	if (OCSP_single_get0_status(s, NULL, NULL, &thisupd, &nextupd) < 0 ||
	    ov_x509_time(thisupd, this_update, NULL) != OV_OK ||
	    (nextupd != NULL && ov_x509_time(nextupd, &t, NULL) != OV_OK)) {
		why_set(&c->why, WHY_BAD, "OCSP response %s is malformed",
			it->src);
		return 0;
	}
	if (*this_update > c->now) {
		why_set(&c->why, WHY_TIME,
			"OCSP response %s is not valid yet: thisUpdate %s",
			it->src, ov_time_format(*this_update, tbuf));
		return 0;
	}
	if (nextupd == NULL) {
		why_set(&c->why, WHY_TIME, "OCSP response %s has no nextUpdate",
			it->src);
		return 0;
	}
	if (c->now >= t) {
		why_set(&c->why, WHY_STALE,
			"OCSP response %s is stale: nextUpdate %s", it->src,
			ov_time_format(t, tbuf));
		return 0;
	}
	for (i = 0; i < OCSP_SINGLERESP_get_ext_count(s); i++) {
		if (X509_EXTENSION_get_critical(
			OCSP_SINGLERESP_get_ext(s, i))) {
			why_set(
			    &c->why, WHY_BAD,
			    "OCSP response %s has an unsupported critical extension",
			    it->src);
			return 0;
		}
	}
	return 1;
}

/* The OCSP side: *decided is 0 when no usable response decides. */
static enum ov_code
check_ocsp(struct ctx *c, struct verdict *v, int *decided, struct ov_err *err)
{
	const struct ov_revocation *rv = c->rv;
	const EVP_MD *mds[2] = {EVP_sha1(), EVP_sha256()};
	OCSP_CERTID *ids[2] = {NULL, NULL};
	OCSP_SINGLERESP *s, *best = NULL;
	ASN1_GENERALIZEDTIME *revtime = NULL, *inv;
	const struct ocsp_item *bestit = NULL;
	char signer[SHOW_MAX], bestsigner[SHOW_MAX], tbuf[OV_TIME_STR_MAX];
	int64_t this_update, best_this = 0, when = 0, invt;
	size_t i;
	int k, idx, sig, status, reason = -1, crit = -1;
	enum ov_code r = OV_E_INTERNAL;

	*decided = 0;
	if (rv->nocsp == 0)
		return OV_OK;
	for (k = 0; k < 2; k++)
		if ((ids[k] = OCSP_cert_to_id(mds[k], c->cert, c->issuer)) ==
		    NULL) {
			r = ov_err_ssl(err, OV_E_NOMEM,
				       "cannot compute the OCSP CertID");
			goto out;
		}
	for (i = 0; i < rv->nocsp; i++) {
		sig = -1;
		for (k = 0; k < 2 && sig != 0; k++) {
			idx = -1;
			while ((idx = OCSP_resp_find(rv->ocsps[i].bs, ids[k],
						     idx)) >= 0) {
				s = OCSP_resp_get0(rv->ocsps[i].bs, idx);
				if (sig == -1)
					sig = ocsp_signed(c, &rv->ocsps[i],
							  signer);
				if (sig == 0)
					break;
				if (!single_usable(c, &rv->ocsps[i], s,
						   &this_update))
					continue;
				if (best == NULL || this_update > best_this) {
					best = s;
					bestit = &rv->ocsps[i];
					best_this = this_update;
					memcpy(bestsigner, signer, SHOW_MAX);
				}
			}
		}
	}
	r = OV_OK;
	if (best == NULL)
		goto out;
	status = OCSP_single_get0_status(best, &reason, &revtime, NULL, NULL);
	if (status == V_OCSP_CERTSTATUS_UNKNOWN) {
		why_set(&c->why, WHY_DEFINITE,
			"OCSP response %s says the status of \"%s\" is unknown",
			bestit->src, c->name);
		goto out;
	}
	if (status == V_OCSP_CERTSTATUS_REVOKED) {
		if (ov_x509_time(revtime, &when, NULL) != OV_OK) {
			why_set(&c->why, WHY_BAD,
				"OCSP response %s is malformed", bestit->src);
			goto out;
		}
		inv = OCSP_SINGLERESP_get1_ext_d2i(best, NID_invalidity_date,
						   &crit, NULL);
		if (inv == NULL || ov_x509_time(inv, &invt, NULL) != OV_OK)
			invt = INT64_MIN;
		ASN1_GENERALIZEDTIME_free(inv);
		if (when <= c->now &&
		    (c->auth_time == INT64_MIN || invt == INT64_MIN ||
		     invt <= c->auth_time)) {
			v->status = OV_REV_REVOKED;
			v->msg = xprintf(
			    "certificate \"%s\" is revoked: %s at %s (OCSP response from \"%s\")",
			    c->name, reason_name(reason),
			    ov_time_format(when, tbuf), bestsigner);
			goto done;
		}
	}
	v->status = OV_REV_OK;
	v->msg = xprintf("OCSP response from \"%s\"", bestsigner);
done:
	*decided = 1;
	if (v->msg == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	OCSP_CERTID_free(ids[0]);
	OCSP_CERTID_free(ids[1]);
	return r;
}

/* --- the check ---------------------------------------------------------- */

/* "a, b, ..." of at most SHOW_URLS URLs; malloc'd. */
static char *
url_list(const struct strv *s)
{
	struct ov_buf b;
	char u[SHOW_MAX];
	size_t i;

	ov_buf_init(&b, 64 * 1024);
	for (i = 0; i < s->n && i < SHOW_URLS; i++)
		if (ov_buf_addf(&b, NULL, "%s%s", i > 0 ? ", " : "",
				show_url(s->v[i], u)) != OV_OK)
			break;
	if (s->n > SHOW_URLS)
		(void)ov_buf_adds(&b, ", ...", NULL);
	return ov_buf_steal(&b);
}

/* The UNKNOWN message when no material decided. */
static char *
no_usable(struct ctx *c)
{
	char *crls = url_list(&c->cdp), *ocsp = url_list(&c->ocsp), *m = NULL;

	if (crls != NULL && ocsp != NULL)
		m = xprintf(
		    "no usable %s for certificate \"%s\" (%s%s%s%s%s)%s%s",
		    c->cdp.n == 0    ? "OCSP response"
		    : c->ocsp.n == 0 ? "CRL"
				     : "CRL or OCSP response",
		    c->name, c->cdp.n > 0 ? "fetch " : "", crls,
		    c->cdp.n > 0 && c->ocsp.n > 0 ? "; " : "",
		    c->ocsp.n > 0 ? "OCSP responder " : "", ocsp,
		    c->why.prio != WHY_NONE ? ": " : "", c->why.text);
	free(crls);
	free(ocsp);
	return m;
}

static enum ov_code
check_cert(const struct ov_revocation *rv, X509 *cert, X509 *issuer,
	   int64_t now, int64_t auth_time, struct verdict *v,
	   struct ov_err *err)
{
	struct ctx c;
	struct ov_err e;
	int decided = 0;
	enum ov_code r = OV_E_INTERNAL;

	memset(&c, 0, sizeof(c));
	memset(v, 0, sizeof(*v));
	c.rv = rv;
	c.cert = cert;
	c.issuer = issuer;
	c.now = now;
	c.auth_time = auth_time;
	show_name(X509_get_subject_name(cert), c.name);
	show_name(X509_get_subject_name(issuer), c.issuer_name);
	c.has_fresh = X509_get_ext_by_NID(cert, NID_freshest_crl, -1) >= 0;
	if ((r = cert_urls(cert, &c.cdp, &c.ocsp, &c.fresh, &e)) != OV_OK) {
		if (r == OV_E_NOMEM) {
			r = ov_err_set(err, r, "out of memory");
			goto out;
		}
		v->status = OV_REV_UNKNOWN;
		v->msg = xprintf(
		    "revocation status of certificate \"%s\" is unknown: %s",
		    c.name, e.msg);
		goto done;
	}
	if (c.cdp.n == 0 && c.ocsp.n == 0) {
		v->status = OV_REV_NONE;
		r = OV_OK;
		goto out;
	}
	/* OCSP first; on no definite answer, CRLs (notation's fallback) */
	if ((r = check_ocsp(&c, v, &decided, err)) != OV_OK || decided)
		goto out;
	if ((r = check_crls(&c, v, &decided, err)) != OV_OK || decided)
		goto out;
	v->status = OV_REV_UNKNOWN;
	v->msg = no_usable(&c);
done:
	r = v->msg == NULL ? ov_err_set(err, OV_E_NOMEM, "out of memory")
			   : OV_OK;
out:
	strv_clear(&c.cdp);
	strv_clear(&c.ocsp);
	strv_clear(&c.fresh);
	return r;
}

void
ov_rev_result_clear(struct ov_rev_result *r)
{
	if (r == NULL)
		return;
	free(r->message);
	r->message = NULL;
	r->status = OV_REV_NONE;
}

/* The OK message: which source cleared each certificate. */
static char *
ok_message(STACK_OF(X509) *chain, const struct verdict *vs, int n)
{
	struct ov_buf b;
	char name[SHOW_MAX];
	int i;

	ov_buf_init(&b, 1024 * 1024);
	(void)ov_buf_adds(&b, "not revoked:", NULL);
	for (i = 0; i < n; i++) {
		show_name(X509_get_subject_name(sk_X509_value(chain, i)), name);
		if (ov_buf_addf(&b, NULL, "%s certificate \"%s\" (%s)",
				i > 0 ? ";" : "", name,
				vs[i].status == OV_REV_OK
				    ? vs[i].msg
				    : "no revocation endpoints") != OV_OK)
			break;
	}
	return ov_buf_steal(&b);
}

enum ov_code
ov_revocation_check(const struct ov_revocation *rv, STACK_OF(X509) *chain,
		    int64_t now, int64_t auth_time, struct ov_rev_result *out,
		    struct ov_err *err)
{
	struct verdict *vs = NULL;
	int i, n, pick = -1, any_ok = 0;
	enum ov_code r = OV_E_INTERNAL;

	memset(out, 0, sizeof(*out));
	out->status = OV_REV_NONE;
	if (rv == NULL || chain == NULL || (n = sk_X509_num(chain)) < 1)
		return ov_err_set(err, OV_E_USAGE,
				  "revocation check needs a certificate chain");
	if (n > OV_MAX_CHAIN)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "certificate chain has more than the limit of %d certificates",
		    OV_MAX_CHAIN);
	if ((vs = calloc((size_t)n, sizeof(*vs))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* the root (last) is never checked */
	for (i = 0; i + 1 < n; i++) {
		if ((r = check_cert(rv, sk_X509_value(chain, i),
				    sk_X509_value(chain, i + 1), now, auth_time,
				    &vs[i], err)) != OV_OK)
			goto out;
		any_ok |= vs[i].status == OV_REV_OK;
	}
	for (i = 0; i + 1 < n && pick < 0; i++)
		if (vs[i].status == OV_REV_REVOKED)
			pick = i;
	for (i = 0; i + 1 < n && pick < 0; i++)
		if (vs[i].status == OV_REV_UNKNOWN)
			pick = i;
	if (pick >= 0) {
		out->status = vs[pick].status;
		out->message = vs[pick].msg;
		vs[pick].msg = NULL; /* transferred */
	} else if (any_ok) {
		out->status = OV_REV_OK;
		out->message = ok_message(chain, vs, n - 1);
	} else {
		out->status = OV_REV_NONE;
		out->message = xprintf(
		    "no certificate of the chain has CRL distribution points or OCSP URLs");
	}
	if (out->message == NULL) {
		out->status = OV_REV_NONE;
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	r = OV_OK;
out:
	for (i = 0; i < n; i++)
		free(vs[i].msg);
	free(vs);
	return r;
}

/* --- ov_crl_describe ---------------------------------------------------- */

static enum ov_code
describe_int(struct ov_buf *b, const char *label, const ASN1_INTEGER *v,
	     struct ov_err *err)
{
	BIGNUM *bn = NULL;
	char *dec = NULL;
	enum ov_code r;

	if ((bn = ASN1_INTEGER_to_BN(v, NULL)) == NULL ||
	    (dec = BN_bn2dec(bn)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
	else
		r = ov_buf_addf(b, err, "%s: %s\n", label, dec);
	OPENSSL_free(dec);
	BN_free(bn);
	return r;
}

static enum ov_code
describe_one(struct ov_buf *b, X509_CRL *crl, struct ov_err *err)
{
	ASN1_INTEGER *num = NULL, *base = NULL;
	AUTHORITY_KEYID *akid = NULL;
	const ASN1_OCTET_STRING *fv;
	struct strv fresh = {0};
	struct ov_err e;
	char name[SHOW_MAX], tbuf[OV_TIME_STR_MAX], hex[2 * 64 + 1],
	    u[SHOW_MAX];
	size_t i;
	int n, signid = X509_CRL_get_signature_nid(crl);
	enum ov_code r;

	num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	base = X509_CRL_get_ext_d2i(crl, NID_delta_crl, NULL, NULL);
	akid =
	    X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, NULL, NULL);
	if ((r = ov_buf_addf(b, err, "issuer: %s\n",
			     show_name(X509_CRL_get_issuer(crl), name))) !=
		OV_OK ||
	    (r = ov_buf_addf(b, err, "thisUpdate: %s\n",
			     show_time(X509_CRL_get0_lastUpdate(crl), tbuf))) !=
		OV_OK ||
	    (r = ov_buf_addf(b, err, "nextUpdate: %s\n",
			     X509_CRL_get0_nextUpdate(crl) == NULL
				 ? "none"
				 : show_time(X509_CRL_get0_nextUpdate(crl),
					     tbuf))) != OV_OK)
		goto out;
	if (num != NULL)
		r = describe_int(b, "number", num, err);
	else
		r = ov_buf_adds(b, "number: none\n", err);
	if (r != OV_OK)
		goto out;
	if (base != NULL) {
		if ((r = ov_buf_adds(b, "type: delta\n", err)) != OV_OK ||
		    (r = describe_int(b, "base number", base, err)) != OV_OK)
			goto out;
	} else if ((r = ov_buf_adds(b, "type: base\n", err)) != OV_OK) {
		goto out;
	}
	n = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
	if ((r = ov_buf_addf(b, err, "entries: %d\n", n > 0 ? n : 0)) !=
		OV_OK ||
	    (r = ov_buf_addf(b, err, "signature: %s\n",
			     signid == NID_undef ? "unknown"
						 : OBJ_nid2ln(signid))) !=
		OV_OK)
		goto out;
	if (akid != NULL && akid->keyid != NULL &&
	    ASN1_STRING_length(akid->keyid) <= 64) {
		ov_hex(ASN1_STRING_get0_data(akid->keyid),
		       (size_t)ASN1_STRING_length(akid->keyid), hex);
		if ((r = ov_buf_addf(b, err, "authorityKeyId: %s\n", hex)) !=
		    OV_OK)
			goto out;
	}
	if ((fv = crl_ext(crl, NID_freshest_crl)) != NULL &&
	    parse_dps(fv, "freshest CRL", &fresh, &e) == OV_OK)
		for (i = 0; i < fresh.n; i++)
			if ((r = ov_buf_addf(b, err, "deltaCRL: %s\n",
					     show_url(fresh.v[i], u))) != OV_OK)
				goto out;
	r = OV_OK;
out:
	strv_clear(&fresh);
	ASN1_INTEGER_free(num);
	ASN1_INTEGER_free(base);
	AUTHORITY_KEYID_free(akid);
	return r;
}

enum ov_code
ov_crl_describe(const unsigned char *data, size_t len, char **out,
		struct ov_err *err)
{
	STACK_OF(X509_CRL) *crls = NULL;
	struct ov_buf b;
	int i;
	enum ov_code r;

	*out = NULL;
	ov_buf_init(&b, 16 * 1024 * 1024);
	if ((r = parse_crls(data, len, "CRL", &crls, err)) != OV_OK)
		goto out;
	for (i = 0; i < sk_X509_CRL_num(crls); i++) {
		if (i > 0 && (r = ov_buf_adds(&b, "\n", err)) != OV_OK)
			goto out;
		if ((r = describe_one(&b, sk_X509_CRL_value(crls, i), err)) !=
		    OV_OK)
			goto out;
	}
	if ((*out = ov_buf_steal(&b)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	ov_buf_free(&b);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return r;
}
