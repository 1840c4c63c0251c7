/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline revocation checking (spec digest F.5; RFC 5280 5 and 6.3, RFC
 * 6960): CRLs, delta CRLs and OCSP responses supplied as files, and
 * notation's CRL cache directory. Nothing is fetched: URLs from
 * certificates are only cache keys and hints in messages. Loaded material
 * is never modified after loading and cache entries are read per check,
 * so one struct ov_revocation can serve several threads. This file loads
 * files and directories, reads the URLs of certificates and checks a
 * chain, certificate by certificate: OCSP first (ocsp.c), then CRLs
 * (crl_check.c; crl.c decodes them).
 */
#include "config.h"

#include "revocation.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "der.h"
#include "digest.h"
#include "fsutil.h"
#include "ovlimits.h"
#include "revocation_int.h"
#include "text.h"
#include "x509.h"

/* URLs listed in one "fetch" hint. */
#define SHOW_URLS 4

void
ov_rev_why(struct why *w, enum why_prio prio, const char *fmt, ...)
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
int
ov_rev_grow(void *pp, size_t *cap, size_t need, size_t size)
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

/* A URL from a certificate for a message: control and non-ASCII bytes
 * as \xHH, shortened to SHOW_MAX bytes. */
const char *
ov_rev_show_url(const char *u, char buf[SHOW_MAX])
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

const char *
ov_rev_reason_name(int r)
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
int
ov_rev_sig_nid_ok(int signid)
{
	int md = NID_undef, pk = NID_undef;

	if (signid == NID_rsassaPss || signid == NID_ED25519)
		return 1;
	if (!OBJ_find_sigid_algs(signid, &md, &pk))
		return 0;
	return md == NID_sha1 || md == NID_sha256 || md == NID_sha384 ||
	       md == NID_sha512;
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
	return ov_strlist_addn(&s->v, &s->n, p, n, err);
}

void
ov_rev_strv_clear(struct strv *s)
{
	ov_strv_free(s->v, s->n);
	memset(s, 0, sizeof(*s));
}

/*
 * The URIs of a CRLDistributionPoints (or FreshestCRL) value, RFC 5280
 * 4.2.1.13. Extension values are read the way Go's crypto/x509 reads
 * them, so that a certificate notation accepts gives the same URLs here
 * (OpenSSL's GENERAL_NAME decoder rejects names Go skips).
 */
enum ov_code
ov_rev_parse_dps(const ASN1_OCTET_STRING *v, const char *what, struct strv *out,
		 struct ov_err *err)
{
	struct ov_der d, seq, dp, name, full, uri;
	unsigned char tag;
	enum ov_code r;

	d.p = ASN1_STRING_get0_data(v);
	d.n = (size_t)ASN1_STRING_length(v);
	if (!ov_der_next(&d, &tag, &seq, NULL) || tag != 0x30 || d.n != 0)
		return ov_err_set(err, OV_E_FORMAT, "invalid %s extension",
				  what);
	while (seq.n > 0) {
		if (!ov_der_next(&seq, &tag, &dp, NULL) || tag != 0x30)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "invalid %s extension: invalid distribution point",
			    what);
		if (!ov_der_peek(&dp, 0xa0))
			continue;
		/* distributionPoint [0], then its fullName [0] */
		if (!ov_der_next(&dp, &tag, &name, NULL) ||
		    !ov_der_next(&name, &tag, &full, NULL) || tag != 0xa0)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "invalid %s extension: invalid distribution point",
			    what);
		while (ov_der_peek(&full, 0x86)) {
			if (!ov_der_next(&full, &tag, &uri, NULL))
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
	struct ov_der d, seq, ad, oid, uri;
	unsigned char tag;
	enum ov_code r;

	d.p = ASN1_STRING_get0_data(v);
	d.n = (size_t)ASN1_STRING_length(v);
	if (!ov_der_next(&d, &tag, &seq, NULL) || tag != 0x30 || d.n != 0)
		return ov_err_set(err, OV_E_FORMAT, "invalid %s extension",
				  what);
	while (seq.n > 0) {
		if (!ov_der_next(&seq, &tag, &ad, NULL) || tag != 0x30 ||
		    !ov_der_next(&ad, &tag, &oid, NULL) || tag != 0x06)
			return ov_err_set(err, OV_E_FORMAT,
					  "invalid %s extension", what);
		if (!ov_der_peek(&ad, 0x86))
			continue;
		if (!ov_der_next(&ad, &tag, &uri, NULL))
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

static enum ov_code
cert_urls(X509 *cert, struct strv *cdp, struct strv *ocsp, struct strv *fresh,
	  struct ov_err *err)
{
	const ASN1_OCTET_STRING *v;
	enum ov_code r;

	if (cdp != NULL &&
	    (v = cert_ext(cert, NID_crl_distribution_points)) != NULL &&
	    (r = ov_rev_parse_dps(v, "CRL distribution points", cdp, err)) !=
		OV_OK)
		return r;
	if (ocsp != NULL && (v = cert_ext(cert, NID_info_access)) != NULL &&
	    (r = parse_aia(v, ocsp, err)) != OV_OK)
		return r;
	if (fresh != NULL && (v = cert_ext(cert, NID_freshest_crl)) != NULL &&
	    (r = ov_rev_parse_dps(v, "freshest CRL", fresh, err)) != OV_OK)
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
		ov_rev_strv_clear(&cdp);
		ov_rev_strv_clear(&ocsp);
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
		ov_rev_strv_clear(&fresh);
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

/* Every entry of directory path, sorted, each a regular file. */
static enum ov_code
add_dir(struct ov_revocation *rv, const char *path, size_t max, add_data_fn add,
	struct ov_err *err)
{
	struct strv names = {0};
	struct stat st;
	char *shown = NULL;
	size_t i;
	int fd;
	enum ov_code r = OV_E_INTERNAL;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((r = ov_dir_names(fd, path, OV_MAX_REVOCATION_FILES, &names.v,
			      &names.n, err)) != OV_OK)
		goto out;
	for (i = 0; i < names.n; i++) {
		free(shown);
		if ((shown = ov_strf("%s/%s", path, names.v[i])) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if (fstatat(fd, names.v[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
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
		if ((r = add_file(rv, fd, path, names.v[i], shown, max, add,
				  err)) != OV_OK)
			goto out;
	}
	r = OV_OK;
out:
	free(shown);
	ov_rev_strv_clear(&names);
	if (fd >= 0)
		close(fd);
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
	    ov_rev_grow(&rv->caches, &rv->cachecap, rv->ncache + 1,
			sizeof(*rv->caches)) != 0) {
		free(path);
		close(fd);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	rv->caches[rv->ncache].fd = fd;
	rv->caches[rv->ncache++].path = path;
	return OV_OK;
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
				ov_rev_show_url(s->v[i], u)) != OV_OK)
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
		m = ov_strf(
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
	ov_x509_show_name(X509_get_subject_name(cert), c.name, SHOW_MAX);
	ov_x509_show_name(X509_get_subject_name(issuer), c.issuer_name,
			  SHOW_MAX);
	c.has_fresh = X509_get_ext_by_NID(cert, NID_freshest_crl, -1) >= 0;
	if ((r = cert_urls(cert, &c.cdp, &c.ocsp, &c.fresh, &e)) != OV_OK) {
		if (r == OV_E_NOMEM) {
			r = ov_err_set(err, r, "out of memory");
			goto out;
		}
		v->status = OV_REV_UNKNOWN;
		v->msg = ov_strf(
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
	if ((r = ov_rev_check_ocsp(&c, v, &decided, err)) != OV_OK || decided)
		goto out;
	if ((r = ov_rev_check_crls(&c, v, &decided, err)) != OV_OK || decided)
		goto out;
	v->status = OV_REV_UNKNOWN;
	v->msg = no_usable(&c);
done:
	r = v->msg == NULL ? ov_err_set(err, OV_E_NOMEM, "out of memory")
			   : OV_OK;
out:
	ov_rev_strv_clear(&c.cdp);
	ov_rev_strv_clear(&c.ocsp);
	ov_rev_strv_clear(&c.fresh);
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
		ov_x509_show_name(X509_get_subject_name(
				      sk_X509_value(chain, i)),
				  name, SHOW_MAX);
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
		out->message = ov_strf(
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
