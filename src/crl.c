/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRL files (RFC 5280 5): strict decoding of PEM "X509 CRL" blocks or
 * concatenated DER CRLs, loading them into a struct ov_revocation, and
 * the description `ocivet crl show` prints. Checking certificates against
 * them is crl_check.c.
 */
#include "config.h"

#include "revocation.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "digest.h"
#include "revocation_int.h"
#include "timeutil.h"
#include "x509.h"

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

const ASN1_OCTET_STRING *
ov_crl_ext(const X509_CRL *crl, int nid)
{
	int i = X509_CRL_get_ext_by_NID(crl, nid, -1);

	return i < 0 ? NULL : X509_EXTENSION_get_data(X509_CRL_get_ext(crl, i));
}

/* Decode one DER CRL at p (at most n bytes); *used is its length. */
enum ov_code
ov_crl_from_der(const unsigned char *p, size_t n, X509_CRL **out, size_t *used,
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
	unsigned char *der = NULL;
	long len = 0;
	size_t used;
	X509_CRL *crl = NULL;
	int block;
	enum ov_code r = OV_E_INTERNAL;

	*is_pem = 0;
	for (block = 1;; block++) {
		if ((r = ov_x509_pem_next(bio, name, block, PEM_STRING_X509_CRL,
					  "an X509 CRL", &der, &len, err)) !=
			OV_OK ||
		    der == NULL)
			goto out;
		*is_pem = 1;
		if ((r = ov_crl_from_der(der, (size_t)len, &crl, &used, err)) !=
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
		OPENSSL_free(der);
		der = NULL;
	}
out:
	X509_CRL_free(crl);
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
		if ((r = ov_crl_from_der(data + off, len - off, &crl, &used,
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
	if (ov_rev_grow(&rv->crls, &rv->crlcap, rv->ncrl + n,
			sizeof(*rv->crls)) != 0) {
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
			     ov_x509_show_name(X509_CRL_get_issuer(crl), name,
					       SHOW_MAX))) != OV_OK ||
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
	if ((fv = ov_crl_ext(crl, NID_freshest_crl)) != NULL &&
	    ov_rev_parse_dps(fv, "freshest CRL", &fresh, &e) == OV_OK)
		for (i = 0; i < fresh.n; i++)
			if ((r = ov_buf_addf(b, err, "deltaCRL: %s\n",
					     ov_rev_show_url(fresh.v[i], u))) !=
			    OV_OK)
				goto out;
	r = OV_OK;
out:
	ov_rev_strv_clear(&fresh);
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

void
ov_crl_info_free(struct ov_crl_info *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i].issuer);
	free(v);
}

enum ov_code
ov_crl_info(const unsigned char *data, size_t len, struct ov_crl_info **out,
	    size_t *n, struct ov_err *err)
{
	STACK_OF(X509_CRL) *crls = NULL;
	struct ov_crl_info *v = NULL;
	X509_CRL *crl;
	size_t k = 0;
	int i;
	enum ov_code r;

	*out = NULL;
	*n = 0;
	if ((r = parse_crls(data, len, "CRL", &crls, err)) != OV_OK)
		goto out;
	if ((v = calloc((size_t)sk_X509_CRL_num(crls) + 1, sizeof(*v))) ==
	    NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < sk_X509_CRL_num(crls); i++) {
		crl = sk_X509_CRL_value(crls, i);
		k = (size_t)i + 1;
		v[i].next_update = INT64_MAX;
		if ((v[i].issuer = ov_x509_name(X509_CRL_get_issuer(crl))) ==
		    NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if ((r = ov_x509_time(X509_CRL_get0_lastUpdate(crl),
			 &v[i].this_update, err)) != OV_OK ||
		    (X509_CRL_get0_nextUpdate(crl) != NULL &&
			(r = ov_x509_time(X509_CRL_get0_nextUpdate(crl),
			     &v[i].next_update, err)) != OV_OK))
			goto out;
		v[i].nrevoked =
		    X509_CRL_get_REVOKED(crl) == NULL
			? 0
			: (size_t)sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
	}
	*out = v;
	*n = k;
	v = NULL; /* transferred */
	r = OV_OK;
out:
	ov_crl_info_free(v, k);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return r;
}
