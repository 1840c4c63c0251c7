/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict decoding of X.509 certificates: one DER certificate, or the
 * certificates of a PEM or DER file (trust stores, --crl companions),
 * each re-encoded to check canonical DER, with parsable validity times
 * and no duplicate extensions, as Go's parser requires. The PEM block
 * reader is shared with CRL files (revocation.c).
 */
#include "config.h"

#include "x509.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "ovlimits.h"

static int
cmp_obj(const void *a, const void *b)
{
	return OBJ_cmp(*(const ASN1_OBJECT *const *)a,
		       *(const ASN1_OBJECT *const *)b);
}

/*
 * Go's parser rejects duplicate extensions; so do we. Malformed values of
 * the extensions the rules read are reported when a chain is checked;
 * OpenSSL's own EXFLAG_INVALID is not used, since it also rejects
 * certificates Go accepts (CRL distribution points with a non-URI name).
 */
static enum ov_code
check_extensions(X509 *c, struct ov_err *err)
{
	const ASN1_OBJECT **oids = NULL;
	char oid[80];
	int i, n;
	enum ov_code r = OV_E_INTERNAL;

	n = X509_get_ext_count(c);
	if (n > 1) {
		if ((oids = calloc((size_t)n, sizeof(*oids))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		for (i = 0; i < n; i++)
			oids[i] = X509_EXTENSION_get_object(X509_get_ext(c, i));
		qsort(oids, (size_t)n, sizeof(*oids), cmp_obj);
		for (i = 1; i < n; i++) {
			if (OBJ_cmp(oids[i - 1], oids[i]) != 0)
				continue;
			(void)OBJ_obj2txt(oid, sizeof(oid), oids[i], 0);
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "certificate has a duplicate %s extension", oid);
			goto out;
		}
	}
	r = OV_OK;
out:
	free(oids);
	return r;
}

/*
 * Checks on a freshly decoded certificate whose encoding is der[0..n):
 * strict DER (it re-encodes to the same bytes, so DER comparisons mean
 * what they say), parsable validity times and no duplicate extensions.
 */
static enum ov_code
check_decoded(X509 *c, const unsigned char *der, size_t n, struct ov_err *err)
{
	unsigned char *enc = NULL;
	int len;
	int64_t t;
	enum ov_code r;

	len = i2d_X509(c, &enc);
	if (len < 0)
		return ov_err_ssl(err, OV_E_FORMAT,
				  "certificate cannot be re-encoded");
	r = OV_OK;
	if ((size_t)len != n || memcmp(enc, der, n) != 0)
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "certificate is not in DER (canonical) encoding");
	OPENSSL_free(enc);
	if (r != OV_OK)
		return r;
	if ((r = ov_x509_time(X509_get0_notBefore(c), &t, err)) != OV_OK) {
		ov_err_wrap(err, "certificate notBefore");
		return r;
	}
	if ((r = ov_x509_time(X509_get0_notAfter(c), &t, err)) != OV_OK) {
		ov_err_wrap(err, "certificate notAfter");
		return r;
	}
	return check_extensions(c, err);
}

/* Decode one certificate from *pp (avail bytes) and advance *pp. */
static enum ov_code
parse_one(const unsigned char **pp, size_t avail, X509 **out,
	  struct ov_err *err)
{
	const unsigned char *start = *pp, *q = *pp;
	X509 *c = NULL;
	enum ov_code r;

	*out = NULL;
	if (avail > LONG_MAX)
		return ov_err_set(err, OV_E_LIMIT,
				  "certificate data too large");
	c = d2i_X509(NULL, &q, (long)avail);
	if (c == NULL)
		return ov_err_ssl(err, OV_E_FORMAT, "not a DER certificate");
	if ((r = check_decoded(c, start, (size_t)(q - start), err)) != OV_OK) {
		X509_free(c);
		return r;
	}
	*pp = q;
	*out = c;
	return OV_OK;
}

enum ov_code
ov_x509_from_der(const unsigned char *p, size_t n, X509 **out,
		 struct ov_err *err)
{
	const unsigned char *q = p;
	X509 *c = NULL;
	enum ov_code r;

	*out = NULL;
	if (n == 0)
		return ov_err_set(err, OV_E_FORMAT, "certificate is empty");
	if ((r = parse_one(&q, n, &c, err)) != OV_OK)
		return r;
	if ((size_t)(q - p) != n) {
		X509_free(c);
		return ov_err_set(err, OV_E_FORMAT,
				  "certificate is followed by %zu extra bytes",
				  n - (size_t)(q - p));
	}
	*out = c;
	return OV_OK;
}

/* ------------------------------------------------------------------ */
/* The cache of decoded certificates */

struct x509_cache_ent {
	unsigned char *der;
	size_t n;
	X509 *c;
};

struct ov_x509_cache {
	pthread_mutex_t mu;
	struct x509_cache_ent ents[OV_X509_CACHE_MAX];
	size_t n;
	size_t bytes;
};

enum ov_code
ov_x509_cache_new(struct ov_x509_cache **out, struct ov_err *err)
{
	struct ov_x509_cache *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (pthread_mutex_init(&c->mu, NULL) != 0) {
		free(c);
		return ov_err_set(err, OV_E_INTERNAL,
				  "pthread_mutex_init failed");
	}
	*out = c;
	return OV_OK;
}

void
ov_x509_cache_free(struct ov_x509_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		X509_free(c->ents[i].c);
		free(c->ents[i].der);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

/* the entry for p[0..n), with a new reference, or NULL; under c->mu */
static X509 *
cache_find(struct ov_x509_cache *c, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->ents[i].n == n && memcmp(c->ents[i].der, p, n) == 0) {
			X509_up_ref(c->ents[i].c);
			return c->ents[i].c;
		}
	return NULL;
}

enum ov_code
ov_x509_cache_get(struct ov_x509_cache *c, const unsigned char *p, size_t n,
		  X509 **out, struct ov_err *err)
{
	struct x509_cache_ent *e;
	X509 *x, *had;
	enum ov_code r;

	*out = NULL;
	if (c == NULL)
		return ov_x509_from_der(p, n, out, err);
	pthread_mutex_lock(&c->mu);
	x = cache_find(c, p, n);
	pthread_mutex_unlock(&c->mu);
	if (x != NULL) {
		*out = x;
		return OV_OK;
	}
	/* decoded outside the lock: other threads may decode others */
	if ((r = ov_x509_from_der(p, n, &x, err)) != OV_OK)
		return r;
	pthread_mutex_lock(&c->mu);
	if ((had = cache_find(c, p, n)) != NULL) {
		/* another thread was first: share its copy */
		X509_free(x);
		x = had;
	} else if (c->n < OV_X509_CACHE_MAX &&
		   n <= OV_X509_CACHE_DER - c->bytes) {
		e = &c->ents[c->n];
		if ((e->der = malloc(n)) != NULL) {
			memcpy(e->der, p, n);
			e->n = n;
			e->c = x;
			X509_up_ref(x);
			c->n++;
			c->bytes += n;
		}
		/* out of memory here only means no caching */
	}
	pthread_mutex_unlock(&c->mu);
	*out = x;
	return OV_OK;
}

/* ------------------------------------------------------------------ */
/* Files of certificates */

static enum ov_code
push_cert(STACK_OF(X509) *certs, X509 *c, const char *name, struct ov_err *err)
{
	if (sk_X509_num(certs) >= OV_MAX_STORE_CERTS)
		return ov_err_set(err, OV_E_LIMIT,
				  "%s: more than the limit of %d certificates",
				  name, OV_MAX_STORE_CERTS);
	if (sk_X509_push(certs, c) <= 0)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

enum ov_code
ov_x509_pem_next(BIO *bio, const char *name, int block, const char *label,
		 const char *what, unsigned char **der, long *len,
		 struct ov_err *err)
{
	char *got = NULL, *header = NULL;
	unsigned long e;
	enum ov_code r = OV_OK;

	*der = NULL;
	*len = 0;
	ERR_set_mark();
	if (!PEM_read_bio(bio, &got, &header, der, len)) {
		e = ERR_peek_last_error();
		if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
		    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
			/* no further block: text after the last one is
			 * ignored, as Go's pem.Decode does */
			ERR_pop_to_mark();
			return OV_OK;
		}
		ERR_clear_last_mark();
		return ov_err_ssl(err, OV_E_FORMAT,
				  "%s: PEM block %d is malformed", name, block);
	}
	ERR_clear_last_mark();
	if (strcmp(got, label) != 0) {
		r = ov_err_set(err, OV_E_FORMAT,
			       "%s: PEM block %d is a \"%s\", not %s", name,
			       block, got, what);
		OPENSSL_free(*der);
		*der = NULL;
		*len = 0;
	}
	OPENSSL_free(got);
	OPENSSL_free(header);
	return r;
}

/*
 * Read the PEM blocks of bio into certs. *is_pem stays 0 when the data
 * holds no PEM block at all.
 */
static enum ov_code
read_pem(BIO *bio, const char *name, struct ov_x509_cache *cache,
	 STACK_OF(X509) *certs, int *is_pem, struct ov_err *err)
{
	unsigned char *der = NULL;
	long len = 0;
	X509 *c = NULL;
	int block;
	enum ov_code r = OV_E_INTERNAL;

	*is_pem = 0;
	for (block = 1;; block++) {
		if ((r = ov_x509_pem_next(bio, name, block, "CERTIFICATE",
					  "a CERTIFICATE", &der, &len, err)) !=
			OV_OK ||
		    der == NULL)
			goto out;
		*is_pem = 1;
		if ((r = ov_x509_cache_get(cache, der, (size_t)len, &c,
					       err)) != OV_OK) {
			ov_err_wrap(err, "%s: PEM block %d", name, block);
			goto out;
		}
		if ((r = push_cert(certs, c, name, err)) != OV_OK)
			goto out;
		c = NULL; /* transferred */
		OPENSSL_free(der);
		der = NULL;
	}
out:
	X509_free(c);
	OPENSSL_free(der);
	return r;
}

/* One or more concatenated DER certificates, nothing else. */
static enum ov_code
read_der(const unsigned char *data, size_t len, const char *name,
	 STACK_OF(X509) *certs, struct ov_err *err)
{
	const unsigned char *p = data;
	X509 *c = NULL;
	enum ov_code r;

	while ((size_t)(p - data) < len) {
		if ((r = parse_one(&p, len - (size_t)(p - data), &c, err)) !=
		    OV_OK) {
			if (p == data)
				ov_err_wrap(
				    err, "%s: neither PEM nor DER certificates",
				    name);
			else
				ov_err_wrap(err, "%s: data at byte %zu", name,
					    (size_t)(p - data));
			return r;
		}
		if ((r = push_cert(certs, c, name, err)) != OV_OK) {
			X509_free(c);
			return r;
		}
	}
	return OV_OK;
}

enum ov_code
ov_x509_load_certs(const unsigned char *data, size_t len, const char *name,
		   struct ov_x509_cache *cache, STACK_OF(X509) **out,
		   struct ov_err *err)
{
	STACK_OF(X509) *certs = NULL;
	BIO *bio = NULL;
	int is_pem = 0;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (len == 0)
		return ov_err_set(err, OV_E_FORMAT,
				  "%s: empty, no certificate found", name);
	if (len > INT_MAX)
		return ov_err_set(err, OV_E_LIMIT, "%s: too large", name);
	if ((certs = sk_X509_new_null()) == NULL ||
	    (bio = BIO_new_mem_buf(data, (int)len)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = read_pem(bio, name, cache, certs, &is_pem, err)) != OV_OK)
		goto out;
	if (!is_pem && (r = read_der(data, len, name, certs, err)) != OV_OK)
		goto out;
	if (sk_X509_num(certs) == 0) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: no certificate found",
			       name);
		goto out;
	}
	*out = certs;
	certs = NULL; /* transferred */
	r = OV_OK;
out:
	BIO_free(bio);
	sk_X509_pop_free(certs, X509_free);
	return r;
}
