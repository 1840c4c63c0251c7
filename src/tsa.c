/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 3161 timestamp tokens (spec digest D.3, C.3; RFC 3161 2.4.2,
 * RFC 5652 5, RFC 5035): the token is parsed with OpenSSL's PKCS7 and TS
 * decoders, the ESS signing-certificate-v2 attribute with a small strict
 * DER reader (OpenSSL keeps ESS opaque), and the SignerInfo is checked the
 * way tspclient-go does: first ESSCertIDv2 names the signer, chain at
 * genTime, signature over the signed attributes, content-type,
 * message-digest and signing-time attributes.
 */
#include "config.h"

#include "tsa.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>

#include "der.h"
#include "ovlimits.h"
#include "timeutil.h"
#include "x509.h"

#define W "timestamp token"
#define NSEC 1000000000
#define NAME_MAX_SHOW 256

struct token {
	PKCS7 *p7;
	PKCS7_SIGNED *sd;                  /* borrowed from p7 */
	const ASN1_OCTET_STRING *econtent; /* borrowed from p7 */
	TS_TST_INFO *tst;
	STACK_OF(X509) *certs; /* the token's certificates, strict DER */
	int64_t gen_sec;
	int32_t gen_nsec;
	int64_t acc_sec;
	int32_t acc_nsec;
};

static void
token_free(struct token *t)
{
	TS_TST_INFO_free(t->tst);
	PKCS7_free(t->p7);
	sk_X509_pop_free(t->certs, X509_free);
	memset(t, 0, sizeof(*t));
}

/* The subject of c for a message, shortened; never NULL. */
static const char *
subject(const X509 *c, char buf[NAME_MAX_SHOW])
{
	char *s = ov_x509_name(X509_get_subject_name(c));

	(void)snprintf(buf, NAME_MAX_SHOW, "%s", s != NULL ? s : "?");
	free(s);
	return buf;
}

static const char *
oid_text(const ASN1_OBJECT *o, char buf[80])
{
	if (o == NULL || OBJ_obj2txt(buf, 80, o, 1) <= 0)
		(void)snprintf(buf, 80, "?");
	return buf;
}

/* SHA-256/384/512 by NID, else NULL. */
static const EVP_MD *
sha2(int nid)
{
	switch (nid) {
	case NID_sha256:
		return EVP_sha256();
	case NID_sha384:
		return EVP_sha384();
	case NID_sha512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

/* Keep err's message, make its code a timestamp verdict. */
static enum ov_code
relabel(struct ov_err *err, const char *context)
{
	if (err == NULL)
		return OV_E_TIMESTAMP;
	ov_err_wrap(err, "%s", context);
	err->code = OV_E_TIMESTAMP;
	return OV_E_TIMESTAMP;
}

static const char *
sha2_name(int nid)
{
	switch (nid) {
	case NID_sha256:
		return "sha256";
	case NID_sha384:
		return "sha384";
	case NID_sha512:
		return "sha512";
	default:
		return NULL;
	}
}

static int
small_int(const ASN1_INTEGER *a, int64_t *v)
{
	int ok;

	ERR_set_mark();
	ok = a != NULL && ASN1_INTEGER_get_int64(v, a) == 1;
	ERR_pop_to_mark();
	return ok;
}

/*
 * genTime (RFC 3161 2.4.2; DER, as Go's encoding/asn1 reads it):
 * YYYYMMDDhhmmss, an optional fraction of 1-9 digits without trailing
 * zero, then Z.
 */
static enum ov_code
parse_gen_time(const ASN1_GENERALIZEDTIME *gt, int64_t *sec, int32_t *nsec,
	       struct ov_err *err)
{
	static const int width[6] = {4, 2, 2, 2, 2, 2};
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	const unsigned char *s;
	int v[6], n, i, k, pos = 0, digits = 0, leap, dim;
	int32_t frac = 0;

	if (gt == NULL || ASN1_STRING_type(gt) != V_ASN1_GENERALIZEDTIME)
		return ov_err_set(err, OV_E_FORMAT, W ": genTime missing");
	s = ASN1_STRING_get0_data(gt);
	n = ASN1_STRING_length(gt);
	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (k = 0; k < width[i]; k++, pos++) {
			if (pos >= n || s[pos] < '0' || s[pos] > '9')
				goto bad;
			v[i] = v[i] * 10 + (s[pos] - '0');
		}
	}
	if (pos < n && s[pos] == '.') {
		for (pos++; pos < n && s[pos] >= '0' && s[pos] <= '9'; pos++) {
			if (++digits > 9)
				goto bad;
			frac = frac * 10 + (s[pos] - '0');
		}
		if (digits == 0 || s[pos - 1] == '0')
			goto bad;
		for (k = digits; k < 9; k++)
			frac *= 10;
	}
	if (pos != n - 1 || s[pos] != 'Z')
		goto bad;
	leap = (v[0] % 4 == 0 && v[0] % 100 != 0) || v[0] % 400 == 0;
	if (v[1] < 1 || v[1] > 12)
		goto bad;
	dim = mdays[v[1] - 1] + (v[1] == 2 && leap);
	if (v[2] < 1 || v[2] > dim || v[3] > 23 || v[4] > 59 || v[5] > 59)
		goto bad;
	*sec = ov_time_from_civil(v[0], v[1], v[2], v[3], v[4], v[5]);
	*nsec = frac;
	return OV_OK;
bad:
	return ov_err_set(err, OV_E_FORMAT,
			  W ": genTime is not a valid GeneralizedTime "
			    "(YYYYMMDDhhmmss[.fff]Z)");
}

/* One accuracy component, 0 when absent. */
static enum ov_code
accuracy_part(const ASN1_INTEGER *a, const char *what, int64_t *out,
	      struct ov_err *err)
{
	*out = 0;
	if (a != NULL && (!small_int(a, out) || *out < 0))
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W ": accuracy %s is not a small non-negative integer",
		    what);
	return OV_OK;
}

/*
 * Accuracy (spec digest D.3 step 4): seconds + millis + micros; absent or
 * zero under the ETSI baseline policy 0.4.0.2023.1.1 means 1 s. millis
 * and micros are 1..999 (RFC 3161 2.4.2; 0 is taken as absent).
 */
static enum ov_code
parse_accuracy(struct token *t, struct ov_err *err)
{
	TS_ACCURACY *acc = TS_TST_INFO_get_accuracy(t->tst);
	const ASN1_OBJECT *policy = TS_TST_INFO_get_policy_id(t->tst);
	char oid[80];
	int64_t s = 0, ms = 0, us = 0;
	enum ov_code r;

	if (acc != NULL && ((r = accuracy_part(TS_ACCURACY_get_seconds(acc),
					       "seconds", &s, err)) != OV_OK ||
			    (r = accuracy_part(TS_ACCURACY_get_millis(acc),
					       "millis", &ms, err)) != OV_OK ||
			    (r = accuracy_part(TS_ACCURACY_get_micros(acc),
					       "micros", &us, err)) != OV_OK))
		return r;
	if (s > OV_TSA_MAX_ACCURACY)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    W ": accuracy of %lld seconds, more than the limit of %d",
		    (long long)s, OV_TSA_MAX_ACCURACY);
	if (ms > 999 || us > 999)
		return ov_err_set(err, OV_E_FORMAT,
				  W ": accuracy millis or micros above 999");
	if (s == 0 && ms == 0 && us == 0 &&
	    strcmp(oid_text(policy, oid), "0.4.0.2023.1.1") == 0)
		s = 1;
	t->acc_sec = s;
	t->acc_nsec = (int32_t)(ms * 1000000 + us * 1000);
	return OV_OK;
}

/*
 * The token's certificates, each re-read with ov_x509_from_der so they
 * are strict DER like the rest of the chain code expects.
 */
static enum ov_code
parse_certs(struct token *t, struct ov_err *err)
{
	STACK_OF(X509) *in = t->sd->cert;
	unsigned char *der = NULL;
	X509 *c = NULL;
	int i, n, len;
	enum ov_code r = OV_E_INTERNAL;

	n = in == NULL ? 0 : sk_X509_num(in);
	if (n > OV_TSA_MAX_CERTS)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    W ": %d certificates, more than the limit of %d", n,
		    OV_TSA_MAX_CERTS);
	if ((t->certs = sk_X509_new_null()) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if ((len = i2d_X509(sk_X509_value(in, i), &der)) <= 0) {
			r = ov_err_ssl(err, OV_E_FORMAT,
				       W ": certificate %d cannot be encoded",
				       i + 1);
			goto out;
		}
		if ((r = ov_x509_from_der(der, (size_t)len, &c, err)) !=
		    OV_OK) {
			ov_err_wrap(err, W ": certificate %d", i + 1);
			goto out;
		}
		if (sk_X509_push(t->certs, c) <= 0) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		c = NULL; /* transferred */
		OPENSSL_free(der);
		der = NULL;
	}
	r = OV_OK;
out:
	X509_free(c);
	OPENSSL_free(der);
	return r;
}

/*
 * ContentInfo -> SignedData version 3 -> id-ct-TSTInfo eContent ->
 * TSTInfo (spec digest D.3 steps 2-3, structure only).
 */
static enum ov_code
token_parse(const unsigned char *data, size_t len, struct token *t,
	    struct ov_err *err)
{
	const unsigned char *q = data;
	PKCS7 *inner;
	char oid[80];
	int64_t v;
	enum ov_code r;

	memset(t, 0, sizeof(*t));
	if (len == 0)
		return ov_err_set(err, OV_E_FORMAT, W ": empty");
	if (len > OV_TSA_MAX_TOKEN)
		return ov_err_set(err, OV_E_LIMIT,
				  W ": %zu bytes, more than the limit of %d",
				  len, OV_TSA_MAX_TOKEN);
	if ((t->p7 = d2i_PKCS7(NULL, &q, (long)len)) == NULL)
		return ov_err_ssl(err, OV_E_FORMAT,
				  W ": not a CMS ContentInfo");
	if ((size_t)(q - data) != len)
		return ov_err_set(err, OV_E_FORMAT,
				  W ": %zu bytes after the ContentInfo",
				  len - (size_t)(q - data));
	if (!PKCS7_type_is_signed(t->p7) || t->p7->d.sign == NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  W ": content type %s is not signedData",
				  oid_text(t->p7->type, oid));
	t->sd = t->p7->d.sign;
	if (!small_int(t->sd->version, &v) || v != 3)
		return ov_err_set(err, OV_E_FORMAT,
				  W ": unsupported SignedData version, want 3");
	inner = t->sd->contents;
	if (inner == NULL ||
	    OBJ_obj2nid(inner->type) != NID_id_smime_ct_TSTInfo)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W
		    ": unexpected content type: %s. Expected to be id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4)",
		    oid_text(inner != NULL ? inner->type : NULL, oid));
	if (inner->d.other == NULL ||
	    inner->d.other->type != V_ASN1_OCTET_STRING)
		return ov_err_set(err, OV_E_FORMAT,
				  W ": no TSTInfo content (eContent)");
	t->econtent = inner->d.other->value.octet_string;
	q = ASN1_STRING_get0_data(t->econtent);
	t->tst = d2i_TS_TST_INFO(NULL, &q, ASN1_STRING_length(t->econtent));
	if (t->tst == NULL)
		return ov_err_ssl(err, OV_E_FORMAT,
				  W ": cannot unmarshal TSTInfo");
	if (q != ASN1_STRING_get0_data(t->econtent) +
		     ASN1_STRING_length(t->econtent))
		return ov_err_set(err, OV_E_FORMAT,
				  W ": data after the TSTInfo");
	if ((r = parse_gen_time(TS_TST_INFO_get_time(t->tst), &t->gen_sec,
				&t->gen_nsec, err)) != OV_OK ||
	    (r = parse_accuracy(t, err)) != OV_OK)
		return r;
	return parse_certs(t, err);
}

/*
 * TSTInfo checks (spec digest D.3 step 3): version 1, a SHA-2 imprint,
 * and hashedMessage equal to hash[0..hlen) or, when hash is NULL, to the
 * hash of message[0..mlen).
 */
static enum ov_code
check_info(const struct token *t, const unsigned char *message, size_t mlen,
	   const unsigned char *hash, size_t hlen, struct ov_err *err)
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(t->tst);
	X509_ALGOR *alg = TS_MSG_IMPRINT_get_algo(mi);
	ASN1_OCTET_STRING *hm = TS_MSG_IMPRINT_get_msg(mi);
	const ASN1_OBJECT *obj = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *evp;
	char oid[80];
	long v;

	if ((v = TS_TST_INFO_get_version(t->tst)) != 1)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": invalid TSTInfo: timestamp token info version must be 1, but got %ld",
		    v);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if ((evp = sha2(OBJ_obj2nid(obj))) == NULL)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W ": invalid TSTInfo: unrecognized hash algorithm: %s",
		    oid_text(obj, oid));
	if (hash == NULL) {
		if (!EVP_Digest(message, mlen, md, &mdlen, evp, NULL))
			return ov_err_ssl(err, OV_E_INTERNAL, "EVP_Digest");
		hash = md;
		hlen = mdlen;
	}
	if (hm == NULL || hlen != (size_t)EVP_MD_get_size(evp) ||
	    (size_t)ASN1_STRING_length(hm) != hlen ||
	    CRYPTO_memcmp(ASN1_STRING_get0_data(hm), hash, hlen) != 0)
		return ov_err_set(err, OV_E_TIMESTAMP,
				  W ": invalid TSTInfo: mismatched message");
	return OV_OK;
}

/* --- ESS signing-certificate-v2 (RFC 5035) ------------------------- */

struct ess_id {
	int has_alg;          /* hashAlgorithm present (else SHA-256) */
	int hash_nid;         /* its NID */
	struct ov_der hash;   /* certHash */
	int has_serial;       /* issuerSerial present */
	struct ov_der issuer; /* its directoryName (full Name), or n == 0 */
	struct ov_der serial; /* its serialNumber (full INTEGER) */
};

static int
obj_nid(struct ov_der full)
{
	const unsigned char *q = full.p;
	ASN1_OBJECT *o;
	int nid;

	ERR_set_mark();
	o = d2i_ASN1_OBJECT(NULL, &q, (long)full.n);
	ERR_pop_to_mark();
	nid = o == NULL ? -1 : OBJ_obj2nid(o);
	ASN1_OBJECT_free(o);
	return nid;
}

/*
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT
 * sha256, certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }.
 * Like Go's encoding/asn1, elements after those are ignored, and of
 * GeneralNames only a leading directoryName [4] is used.
 */
static int
ess_cert_id(struct ov_der d, struct ess_id *id)
{
	struct ov_der el, in, full, gn, name;
	unsigned char tag;

	memset(id, 0, sizeof(*id));
	if (!ov_der_next(&d, &tag, &el, NULL))
		return 0;
	if (tag == 0x30) {
		if (!ov_der_next(&el, &tag, &in, &full) || tag != 0x06 ||
		    (id->hash_nid = obj_nid(full)) == -1)
			return 0;
		id->has_alg = 1;
		if (!ov_der_next(&d, &tag, &el, NULL))
			return 0;
	}
	if (tag != 0x04)
		return 0;
	id->hash = el;
	if (d.n == 0 || d.p[0] != 0x30)
		return 1;
	if (!ov_der_next(&d, &tag, &el, NULL) ||
	    !ov_der_next(&el, &tag, &gn, NULL) || tag != 0x30)
		return 0;
	if (gn.n > 0 && gn.p[0] == 0xa4) {
		if (!ov_der_next(&gn, &tag, &in, NULL) ||
		    !ov_der_next(&in, &tag, &name, &id->issuer))
			return 0;
	}
	if (!ov_der_next(&el, &tag, &in, &id->serial) || tag != 0x02)
		return 0;
	id->has_serial = 1;
	return 1;
}

/*
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2,
 * policies ... OPTIONAL }: every entry must parse; *first gets the first.
 * Returns 0 when malformed, -1 when certs is empty, 1 otherwise.
 */
static int
ess_parse(const ASN1_TYPE *at, struct ess_id *first)
{
	struct ov_der d, outer, certs, el;
	struct ess_id id;
	unsigned char tag;
	int n = 0;

	if (at == NULL || at->type != V_ASN1_SEQUENCE)
		return 0;
	d.p = ASN1_STRING_get0_data(at->value.sequence);
	d.n = (size_t)ASN1_STRING_length(at->value.sequence);
	if (!ov_der_next(&d, &tag, &outer, NULL) || tag != 0x30 || d.n != 0 ||
	    !ov_der_next(&outer, &tag, &certs, NULL) || tag != 0x30)
		return 0;
	while (certs.n > 0) {
		if (!ov_der_next(&certs, &tag, &el, NULL) || tag != 0x30 ||
		    !ess_cert_id(el, &id))
			return 0;
		if (n++ == 0)
			*first = id;
	}
	return n == 0 ? -1 : 1;
}

/* The token certificate with issuer (DER) and serial (DER INTEGER). */
static X509 *
find_cert(STACK_OF(X509) *certs, const unsigned char *issuer, size_t ilen,
	  const ASN1_INTEGER *serial)
{
	const unsigned char *der;
	size_t dlen;
	X509 *c;
	int i;

	for (i = 0; i < sk_X509_num(certs); i++) {
		c = sk_X509_value(certs, i);
		if (!X509_NAME_get0_der(X509_get_issuer_name(c), &der, &dlen))
			continue;
		if (dlen == ilen && memcmp(der, issuer, ilen) == 0 &&
		    ASN1_INTEGER_cmp(X509_get0_serialNumber(c), serial) == 0)
			return c;
	}
	return NULL;
}

/*
 * The signer's certificate as tspclient-go finds it (spec digest D.3
 * step 6): the first ESSCertIDv2 of signing-certificate-v2, by its
 * issuerSerial or else by the SignerInfo sid, whose hash must match.
 */
static enum ov_code
signer_cert(const struct token *t, PKCS7_SIGNER_INFO *si, X509 **out,
	    struct ov_err *err)
{
	struct ess_id id;
	ASN1_INTEGER *serial = NULL;
	const unsigned char *q, *der;
	unsigned char md[EVP_MAX_MD_SIZE], *enc = NULL;
	unsigned int mdlen = 0;
	const EVP_MD *evp;
	size_t dlen;
	X509 *c = NULL;
	int ok, len;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	memset(&id, 0, sizeof(id));
	switch (ess_parse(PKCS7_get_signed_attribute(
			      si, NID_id_smime_aa_signingCertificateV2),
			  &id)) {
	case 1:
		break;
	case -1:
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": signingCertificateV2 does not contain any certificate");
	default:
		if (PKCS7_get_signed_attribute(
			si, NID_id_smime_aa_signingCertificateV2) == NULL)
			return ov_err_set(
			    err, OV_E_TIMESTAMP,
			    W
			    ": failed to get SigningCertificateV2 from signed attributes: attribute not found");
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": failed to get SigningCertificateV2 from signed attributes: malformed attribute");
	}
	if (id.has_serial) {
		if (id.issuer.n == 0)
			return ov_err_set(
			    err, OV_E_TIMESTAMP,
			    W ": issuer name is missing in IssuerSerial");
		q = id.serial.p;
		ERR_set_mark();
		serial = d2i_ASN1_INTEGER(NULL, &q, (long)id.serial.n);
		ERR_pop_to_mark();
		if (serial == NULL)
			return ov_err_set(
			    err, OV_E_TIMESTAMP,
			    W
			    ": failed to get SigningCertificateV2 from signed attributes: malformed serial number");
		c = find_cert(t->certs, id.issuer.p, id.issuer.n, serial);
	} else if (si->issuer_and_serial != NULL &&
		   X509_NAME_get0_der(si->issuer_and_serial->issuer, &der,
				      &dlen)) {
		c = find_cert(t->certs, der, dlen,
			      si->issuer_and_serial->serial);
	}
	if (c == NULL) {
		r = ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W ": signing certificate not found in the timestamp token");
		goto out;
	}
	evp = id.has_alg ? sha2(id.hash_nid) : EVP_sha256();
	if (evp == NULL) {
		r = ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": unsupported certificate hash algorithm in SigningCertificateV2 attribute");
		goto out;
	}
	if ((len = i2d_X509(c, &enc)) <= 0 ||
	    !EVP_Digest(enc, (size_t)len, md, &mdlen, evp, NULL)) {
		r = ov_err_ssl(err, OV_E_INTERNAL, "EVP_Digest");
		goto out;
	}
	ok = id.hash.n == mdlen && CRYPTO_memcmp(id.hash.p, md, mdlen) == 0;
	if (!ok) {
		r = ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": signing certificate hash does not match CertHash in signed attribute");
		goto out;
	}
	*out = c;
	r = OV_OK;
out:
	OPENSSL_free(enc);
	ASN1_INTEGER_free(serial);
	return r;
}

/* --- chain ------------------------------------------------------------ */

/* Validity is checked afterwards with genTime's fraction (Go's rule). */
static int
ignore_time(int ok, X509_STORE_CTX *ctx)
{
	int e = X509_STORE_CTX_get_error(ctx);

	if (!ok && (e == X509_V_ERR_CERT_HAS_EXPIRED ||
		    e == X509_V_ERR_CERT_NOT_YET_VALID))
		return 1;
	return ok;
}

static enum ov_code
chain_error(X509_STORE_CTX *ctx, X509 *leaf, struct ov_err *err)
{
	char a[NAME_MAX_SHOW], b[NAME_MAX_SHOW];
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	int e = X509_STORE_CTX_get_error(ctx);

	switch (e) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": TSA certificate \"%s\": certificate signed by unknown authority (%s)",
		    subject(leaf, a), X509_verify_cert_error_string(e));
	default:
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": TSA certificate \"%s\": chain certificate %d \"%s\": %s",
		    subject(leaf, a), X509_STORE_CTX_get_error_depth(ctx) + 1,
		    cur != NULL ? subject(cur, b) : "?",
		    X509_verify_cert_error_string(e));
	}
}

/*
 * What X509_verify_cert leaves to us: every certificate valid at genTime
 * exactly (notBefore <= genTime <= notAfter, the fraction included), and
 * Go's EKU nesting (a CA with an EKU must allow timeStamping).
 */
static enum ov_code
check_built(const struct token *t, STACK_OF(X509) *chain, struct ov_err *err)
{
	char a[NAME_MAX_SHOW], when[OV_TIME_STR_MAX];
	uint32_t xku;
	X509 *c;
	int i;
	enum ov_code r;

	if ((r = ov_x509_check_valid_at(chain, t->gen_sec, "timestamp genTime",
					err)) != OV_OK)
		return relabel(err, W ": TSA certificate chain");
	/* valid at the whole second; with a fraction, notAfter == that
	 * second is already past */
	for (i = 0; t->gen_nsec > 0 && i < sk_X509_num(chain); i++) {
		c = sk_X509_value(chain, i);
		if (ov_x509_not_after(c) == t->gen_sec)
			return ov_err_set(
			    err, OV_E_TIMESTAMP,
			    W
			    ": TSA certificate chain: certificate \"%s\" expired at %s, before genTime (%09d ns later)",
			    subject(c, a), ov_time_format(t->gen_sec, when),
			    (int)t->gen_nsec);
	}
	for (i = 1; i < sk_X509_num(chain); i++) {
		c = sk_X509_value(chain, i);
		xku = X509_get_extended_key_usage(c);
		if (xku != UINT32_MAX &&
		    (xku & (XKU_TIMESTAMP | XKU_ANYEKU)) == 0)
			return ov_err_set(
			    err, OV_E_TIMESTAMP,
			    W
			    ": chain certificate %d \"%s\": extendedKeyUsage does not allow timeStamping",
			    i + 1, subject(c, a));
	}
	return OV_OK;
}

/*
 * A path from leaf to one of the roots in store through the token's
 * certificates, evaluated at genTime (spec digest D.3 step 6).
 */
static enum ov_code
build_chain(const struct token *t, X509_STORE *store, X509 *leaf,
	    STACK_OF(X509) **out, struct ov_err *err)
{
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	STACK_OF(X509) *chain = NULL;
	int ok;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (!X509_STORE_CTX_init(ctx, store, leaf, t->certs) ||
	    !X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_TIMESTAMP_SIGN)) {
		r = ov_err_ssl(err, OV_E_INTERNAL, "X509_STORE_CTX_init");
		goto out;
	}
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, (time_t)t->gen_sec);
	X509_VERIFY_PARAM_set_depth(param, OV_MAX_CHAIN - 2);
	X509_STORE_CTX_set_verify_cb(ctx, ignore_time);
	ERR_set_mark();
	ok = X509_verify_cert(ctx);
	ERR_pop_to_mark();
	if (ok != 1) {
		r = chain_error(ctx, leaf, err);
		goto out;
	}
	if ((chain = X509_STORE_CTX_get1_chain(ctx)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = check_built(t, chain, err)) != OV_OK)
		goto out;
	*out = chain;
	chain = NULL; /* transferred */
	r = OV_OK;
out:
	sk_X509_pop_free(chain, X509_free);
	X509_STORE_CTX_free(ctx);
	return r;
}

/*
 * RFC 3161 2.3 as tspclient-go applies it to the signer: extendedKeyUsage
 * present, critical, and timeStamping only.
 */
static enum ov_code
check_leaf_eku(X509 *c, struct ov_err *err)
{
	char a[NAME_MAX_SHOW];
	EXTENDED_KEY_USAGE *eku;
	int crit = -1, ok;

	ERR_set_mark();
	eku = X509_get_ext_d2i(c, NID_ext_key_usage, &crit, NULL);
	ERR_pop_to_mark();
	ok = eku != NULL && sk_ASN1_OBJECT_num(eku) == 1 &&
	     OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, 0)) == NID_time_stamp;
	EXTENDED_KEY_USAGE_free(eku);
	if (!ok)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": TSA certificate \"%s\": signing certificate must have and only have ExtKeyUsageTimeStamping as extended key usage",
		    subject(c, a));
	if (crit != 1)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": TSA certificate \"%s\": signing certificate extended key usage extension must be set as critical",
		    subject(c, a));
	return OV_OK;
}

/* --- SignerInfo ------------------------------------------------------- */

/*
 * The signature over the DER SET OF signed attributes, with the
 * algorithms tspclient-go maps (spec digest D.3 step 6): the hash named
 * by a sha*WithRSAEncryption / ecdsa-with-SHA* OID, else digestAlgorithm;
 * RSA-PSS with MGF1 of the same hash and salt length = hash length.
 */
static enum ov_code
check_signature(PKCS7_SIGNER_INFO *si, X509 *signer, struct ov_err *err)
{
	const EVP_MD *md = NULL;
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	EVP_PKEY *key;
	unsigned char *tbs = NULL;
	char oid[80];
	int dnid, keytype, pss = 0, len, ok;
	enum ov_code r = OV_E_INTERNAL;

	dnid = OBJ_obj2nid(si->digest_alg->algorithm);
	switch (OBJ_obj2nid(si->digest_enc_alg->algorithm)) {
	case NID_rsassaPss:
		pss = 1;
		/* FALLTHROUGH */
	case NID_rsaEncryption:
		keytype = EVP_PKEY_RSA;
		md = sha2(dnid);
		break;
	case NID_sha256WithRSAEncryption:
	case NID_sha384WithRSAEncryption:
	case NID_sha512WithRSAEncryption:
		keytype = EVP_PKEY_RSA;
		(void)OBJ_find_sigid_algs(OBJ_obj2nid(
					      si->digest_enc_alg->algorithm),
					  &dnid, NULL);
		md = sha2(dnid);
		break;
	case NID_ecdsa_with_SHA256:
	case NID_ecdsa_with_SHA384:
	case NID_ecdsa_with_SHA512:
		keytype = EVP_PKEY_EC;
		(void)OBJ_find_sigid_algs(OBJ_obj2nid(
					      si->digest_enc_alg->algorithm),
					  &dnid, NULL);
		md = sha2(dnid);
		break;
	default:
		keytype = EVP_PKEY_NONE;
		break;
	}
	if (md == NULL)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W ": unknown signature algorithm %s with digest %s",
		    oid_text(si->digest_enc_alg->algorithm, oid),
		    OBJ_nid2sn(dnid));
	ERR_set_mark();
	key = X509_get0_pubkey(signer);
	ERR_pop_to_mark();
	if (key == NULL || EVP_PKEY_get_base_id(key) != keytype)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": the signature algorithm does not match the TSA certificate's key");
	len = ASN1_item_i2d((ASN1_VALUE *)si->auth_attr, &tbs,
			    ASN1_ITEM_rptr(PKCS7_ATTR_VERIFY));
	if (len <= 0) {
		r = ov_err_ssl(err, OV_E_TIMESTAMP,
			       W ": invalid signed attributes");
		goto out;
	}
	if ((mctx = EVP_MD_CTX_new()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestVerifyInit(mctx, &pctx, md, NULL, key) != 1 ||
	    (pss &&
	     (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <=
		  0 ||
	      EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) <= 0))) {
		r = ov_err_ssl(err, OV_E_TIMESTAMP,
			       W ": cannot set up signature verification");
		goto out;
	}
	ERR_set_mark();
	ok = EVP_DigestVerify(mctx, ASN1_STRING_get0_data(si->enc_digest),
			      (size_t)ASN1_STRING_length(si->enc_digest), tbs,
			      (size_t)len);
	ERR_pop_to_mark();
	if (ok != 1) {
		r = ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": cms verification failure: the signature does not verify with the TSA certificate's key");
		goto out;
	}
	r = OV_OK;
out:
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(tbs);
	return r;
}

/*
 * content-type = id-ct-TSTInfo, message-digest = H(eContent) and, when
 * present, signing-time inside every chain certificate's validity
 * (RFC 5652 5.3, 11; spec digest D.3 step 6).
 */
static enum ov_code
check_attributes(const struct token *t, PKCS7_SIGNER_INFO *si,
		 STACK_OF(X509) *chain, struct ov_err *err)
{
	ASN1_TYPE *at;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *evp;
	int64_t st;

	at = PKCS7_get_signed_attribute(si, NID_pkcs9_contentType);
	if (at == NULL || at->type != V_ASN1_OBJECT ||
	    OBJ_obj2nid(at->value.object) != NID_id_smime_ct_TSTInfo)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": the content-type signed attribute is %s, not id-ct-TSTInfo",
		    at == NULL ? "missing" : "different");
	if ((evp = sha2(OBJ_obj2nid(si->digest_alg->algorithm))) == NULL)
		return ov_err_set(err, OV_E_TIMESTAMP,
				  W ": unsupported digest algorithm");
	if (!EVP_Digest(ASN1_STRING_get0_data(t->econtent),
			(size_t)ASN1_STRING_length(t->econtent), md, &mdlen,
			evp, NULL))
		return ov_err_ssl(err, OV_E_INTERNAL, "EVP_Digest");
	at = PKCS7_get_signed_attribute(si, NID_pkcs9_messageDigest);
	if (at == NULL || at->type != V_ASN1_OCTET_STRING ||
	    (size_t)ASN1_STRING_length(at->value.octet_string) != mdlen ||
	    CRYPTO_memcmp(ASN1_STRING_get0_data(at->value.octet_string), md,
			  mdlen) != 0)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": mismatch message digest (message-digest signed attribute)");
	at = PKCS7_get_signed_attribute(si, NID_pkcs9_signingTime);
	if (at == NULL)
		return OV_OK;
	if ((at->type != V_ASN1_UTCTIME &&
	     at->type != V_ASN1_GENERALIZEDTIME) ||
	    ov_x509_time(at->value.utctime, &st, NULL) != OV_OK)
		return ov_err_set(err, OV_E_TIMESTAMP,
				  W ": invalid signing-time signed attribute");
	if (ov_x509_check_valid_at(chain, st, "signing time", err) != OV_OK)
		return relabel(err, W ": signing-time signed attribute");
	return OV_OK;
}

/* One SignerInfo, in tspclient-go's order; *chain_out on success. */
static enum ov_code
verify_signer(const struct token *t, PKCS7_SIGNER_INFO *si, X509_STORE *store,
	      X509 **signer_out, STACK_OF(X509) **chain_out, struct ov_err *err)
{
	STACK_OF(X509) *chain = NULL;
	X509 *signer = NULL;
	int64_t v;
	enum ov_code r;

	*signer_out = NULL;
	*chain_out = NULL;
	if ((r = signer_cert(t, si, &signer, err)) != OV_OK)
		return r;
	if (!small_int(si->version, &v) || v != 1)
		return ov_err_set(
		    err, OV_E_TIMESTAMP,
		    W
		    ": invalid signer info version: only version 1 is supported");
	if (sk_X509_ATTRIBUTE_num(si->auth_attr) <= 0)
		return ov_err_set(err, OV_E_TIMESTAMP,
				  W ": missing signed attributes");
	if ((r = check_leaf_eku(signer, err)) != OV_OK ||
	    (r = build_chain(t, store, signer, &chain, err)) != OV_OK)
		return r;
	if ((r = check_signature(si, signer, err)) != OV_OK ||
	    (r = check_attributes(t, si, chain, err)) != OV_OK) {
		sk_X509_pop_free(chain, X509_free);
		return r;
	}
	*signer_out = signer;
	*chain_out = chain;
	return OV_OK;
}

/* --- results and entry points ---------------------------------------- */

static enum ov_code
fill_result(const struct token *t, X509 *signer, struct ov_tsa_result *out,
	    struct ov_err *err)
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(t->tst);
	ASN1_OCTET_STRING *hm = TS_MSG_IMPRINT_get_msg(mi);
	const ASN1_OBJECT *obj = NULL;
	int64_t ns;

	out->gen_time = t->gen_sec;
	out->gen_nsec = t->gen_nsec;
	out->accuracy_us = t->acc_sec * 1000000 + t->acc_nsec / 1000;
	out->accuracy_ms = t->acc_sec * 1000 + (t->acc_nsec + 999999) / 1000000;
	/* whole seconds outwards: for whole-second certificate bounds,
	 * lower >= notBefore and upper <= notAfter are then exact */
	ns = (int64_t)t->gen_nsec - t->acc_nsec;
	out->lower = t->gen_sec - t->acc_sec - (ns < 0);
	ns = (int64_t)t->gen_nsec + t->acc_nsec;
	out->upper = t->gen_sec + t->acc_sec + ns / NSEC + (ns % NSEC != 0);
	X509_ALGOR_get0(&obj, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	out->imprint_alg = sha2_name(OBJ_obj2nid(obj));
	if (hm != NULL && ASN1_STRING_length(hm) > 0 &&
	    (size_t)ASN1_STRING_length(hm) <= sizeof(out->imprint)) {
		out->imprint_len = (size_t)ASN1_STRING_length(hm);
		memcpy(out->imprint, ASN1_STRING_get0_data(hm),
		       out->imprint_len);
	}
	if (signer != NULL && (out->tsa_subject = ov_x509_name(
				   X509_get_subject_name(signer))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

static enum ov_code
verify_token(const unsigned char *token, size_t len,
	     const unsigned char *message, size_t mlen,
	     const unsigned char *hash, size_t hlen, STACK_OF(X509) *roots,
	     int untrusted, struct ov_tsa_result *out, struct ov_err *err)
{
	struct token t;
	struct ov_tsa_result res;
	struct ov_err e;
	STACK_OF(PKCS7_SIGNER_INFO) *sis;
	STACK_OF(X509) *chain = NULL;
	X509_STORE *store = NULL;
	X509 *signer = NULL;
	int i, n;
	enum ov_code r = OV_E_INTERNAL;

	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	ov_err_clear(&e);
	if ((r = token_parse(token, len, &t, err)) != OV_OK ||
	    (r = check_info(&t, message, mlen, hash, hlen, err)) != OV_OK)
		goto out;
	/* untrusted: the token's own certificates are the anchors (a
	 * partial chain), so all but whom the TSA is gets checked */
	if (untrusted)
		roots = t.certs;
	if (roots == NULL || sk_X509_num(roots) == 0) {
		r = ov_err_set(err, OV_E_TIMESTAMP, untrusted
			       ? W ": the token carries no certificate"
			       : W ": no trusted TSA root certificate");
		goto out;
	}
	if ((store = X509_STORE_new()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (untrusted)
		X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	for (i = 0; i < sk_X509_num(roots); i++) {
		if (!X509_STORE_add_cert(store, sk_X509_value(roots, i))) {
			r = ov_err_ssl(err, OV_E_INTERNAL,
				       "X509_STORE_add_cert");
			goto out;
		}
	}
	sis = t.sd->signer_info;
	n = sis == NULL ? 0 : sk_PKCS7_SIGNER_INFO_num(sis);
	if (n == 0) {
		r = ov_err_set(err, OV_E_TIMESTAMP, W ": signerInfo not found");
		goto out;
	}
	if (n > OV_TSA_MAX_SIGNERS) {
		r = ov_err_set(err, OV_E_LIMIT,
			       W ": %d SignerInfos, more than the limit of %d",
			       n, OV_TSA_MAX_SIGNERS);
		goto out;
	}
	/* first success wins; otherwise the last error is reported */
	for (i = 0; i < n && chain == NULL; i++) {
		r = verify_signer(&t, sk_PKCS7_SIGNER_INFO_value(sis, i), store,
				  &signer, &chain, &e);
		if (r != OV_OK && !ov_code_is_verdict(r)) {
			(void)ov_err_set(err, r, "%s", e.msg);
			goto out;
		}
	}
	if (chain == NULL) {
		if (n > 1)
			r = ov_err_set(
			    err, OV_E_TIMESTAMP,
			    "%s (all %d SignerInfos failed, this is the last)",
			    e.msg, n);
		else
			r = ov_err_set(err, OV_E_TIMESTAMP, "%s", e.msg);
		goto out;
	}
	/* spec digest D.3 step 7 on the winner's chain (a rule of trusted
	 * chains: a partial one has no root) */
	if (!untrusted &&
	    (r = ov_x509_check_timestamping_chain(chain, &e)) != OV_OK) {
		r = ov_err_set(err, ov_code_is_verdict(r) ? OV_E_TIMESTAMP : r,
			       W ": TSA certificate chain: %s", e.msg);
		goto out;
	}
	if ((r = fill_result(&t, signer, &res, err)) != OV_OK)
		goto out;
	res.chain = chain;
	chain = NULL; /* transferred */
	*out = res;
	memset(&res, 0, sizeof(res)); /* transferred */
	r = OV_OK;
out:
	ov_tsa_result_clear(&res);
	sk_X509_pop_free(chain, X509_free);
	X509_STORE_free(store);
	token_free(&t);
	return r;
}

enum ov_code
ov_tsa_verify(const unsigned char *token, size_t len,
	      const unsigned char *message, size_t mlen, STACK_OF(X509) *roots,
	      struct ov_tsa_result *out, struct ov_err *err)
{
	enum ov_code r;

	ERR_set_mark();
	if (message == NULL && mlen != 0)
		r = ov_err_set(err, OV_E_USAGE, "message is NULL");
	else
		r = verify_token(token, len, message, mlen, NULL, 0, roots, 0,
				 out, err);
	ERR_pop_to_mark();
	return r;
}

enum ov_code
ov_tsa_verify_imprint(const unsigned char *token, size_t len,
		      const unsigned char *hash, size_t hlen,
		      STACK_OF(X509) *roots, struct ov_tsa_result *out,
		      struct ov_err *err)
{
	enum ov_code r;

	ERR_set_mark();
	if (hash == NULL)
		r = ov_err_set(err, OV_E_USAGE, "hash is NULL");
	else
		r = verify_token(token, len, NULL, 0, hash, hlen, roots, 0,
				 out, err);
	ERR_pop_to_mark();
	return r;
}

enum ov_code
ov_tsa_check_untrusted(const unsigned char *token, size_t len,
		       const unsigned char *hash, size_t hlen,
		       struct ov_tsa_result *out, struct ov_err *err)
{
	enum ov_code r;

	ERR_set_mark();
	if (hash == NULL)
		r = ov_err_set(err, OV_E_USAGE, "hash is NULL");
	else
		r = verify_token(token, len, NULL, 0, hash, hlen, NULL, 1,
				 out, err);
	ERR_pop_to_mark();
	return r;
}

enum ov_code
ov_tsa_parse(const unsigned char *token, size_t len, struct ov_tsa_result *out,
	     struct ov_err *err)
{
	struct token t;
	struct ov_tsa_result res;
	PKCS7_SIGNER_INFO *si;
	const unsigned char *der;
	size_t dlen;
	X509 *signer = NULL;
	int i;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	ERR_set_mark();
	if ((r = token_parse(token, len, &t, err)) != OV_OK)
		goto out;
	/* display only: the ESS-named certificate, else the sid's */
	si = sk_PKCS7_SIGNER_INFO_value(t.sd->signer_info, 0);
	if (si != NULL && signer_cert(&t, si, &signer, NULL) != OV_OK &&
	    si->issuer_and_serial != NULL &&
	    X509_NAME_get0_der(si->issuer_and_serial->issuer, &der, &dlen))
		signer = find_cert(t.certs, der, dlen,
				   si->issuer_and_serial->serial);
	if ((r = fill_result(&t, signer, &res, err)) != OV_OK)
		goto out;
	if ((res.chain = sk_X509_new_null()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < sk_X509_num(t.certs); i++) {
		if (sk_X509_push(res.chain, sk_X509_value(t.certs, i)) <= 0) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		X509_up_ref(sk_X509_value(t.certs, i));
	}
	*out = res;
	memset(&res, 0, sizeof(res)); /* transferred */
	r = OV_OK;
out:
	ERR_pop_to_mark();
	ov_tsa_result_clear(&res);
	token_free(&t);
	return r;
}

void
ov_tsa_result_clear(struct ov_tsa_result *r)
{
	if (r == NULL)
		return;
	free(r->tsa_subject);
	sk_X509_pop_free(r->chain, X509_free);
	memset(r, 0, sizeof(*r));
}
