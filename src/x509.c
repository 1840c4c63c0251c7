/* SPDX-License-Identifier: Apache-2.0 */
/*
 * X.509 for Notary Project verification: the notation chain model and
 * certificate rules (spec digest C.1, C.3, C.4; RFC 5280 4.2.1.3,
 * 4.2.1.9, 4.2.1.12) and validity at a given time; decoding is in
 * x509_load.c, printable names in x509_name.c. Chains are checked link by
 * link with X509_verify, never with X509_verify_cert: notation builds no
 * paths, checks no validity periods here and ignores unknown critical
 * extensions.
 */
#include "config.h"

#include "x509.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "digest.h"
#include "ovlimits.h"
#include "timeutil.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Longest subject shown in one message; longer ones end in "...". */
#define SHOW_MAX 160

enum chain_kind {
	CODESIGNING,
	TIMESTAMPING,
};

/* keyUsage bit numbers (RFC 5280 4.2.1.3). */
enum {
	KUB_DIGITAL_SIGNATURE,
	KUB_NON_REPUDIATION,
	KUB_KEY_ENCIPHERMENT,
	KUB_DATA_ENCIPHERMENT,
	KUB_KEY_AGREEMENT,
	KUB_KEY_CERT_SIGN,
	KUB_CRL_SIGN,
	KUB_ENCIPHER_ONLY,
	KUB_DECIPHER_ONLY,
	KUB_COUNT
};

static const char *const ku_names[KUB_COUNT] = {
    "digitalSignature", "nonRepudiation", "keyEncipherment",
    "dataEncipherment", "keyAgreement",   "keyCertSign",
    "cRLSign",          "encipherOnly",   "decipherOnly",
};

/* Bits a signing (leaf) certificate must not have (spec digest C.1). */
#define KUB_LEAF_FORBIDDEN                                                     \
	((1u << KUB_KEY_ENCIPHERMENT) | (1u << KUB_DATA_ENCIPHERMENT) |        \
	 (1u << KUB_KEY_AGREEMENT) | (1u << KUB_KEY_CERT_SIGN) |               \
	 (1u << KUB_CRL_SIGN) | (1u << KUB_ENCIPHER_ONLY) |                    \
	 (1u << KUB_DECIPHER_ONLY))

/*
 * EKU purposes a code-signing leaf must not have. anyExtendedKeyUsage is
 * forbidden by the specification although notation does not check it.
 */
static const int eku_forbidden[] = {
    NID_server_auth, NID_client_auth, NID_email_protect,
    NID_time_stamp,  NID_OCSP_sign,   NID_anyExtendedKeyUsage,
};

/* The subject of c for a message. */
static const char *
show(const X509 *c, char buf[SHOW_MAX])
{
	return ov_x509_show_name(X509_get_subject_name(c), buf, SHOW_MAX);
}

/* OV_E_CHAIN "certificate <pos> "<subject>": <detail>". */
static enum ov_code cert_err(struct ov_err *err, const X509 *c, int pos,
			     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum ov_code
cert_err(struct ov_err *err, const X509 *c, int pos, const char *fmt, ...)
{
	char detail[OV_ERR_MSG_MAX], name[SHOW_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return ov_err_set(err, OV_E_CHAIN, "certificate %d \"%s\": %s", pos,
			  show(c, name), detail);
}

static int
name_der_equal(const X509_NAME *a, const X509_NAME *b)
{
	const unsigned char *pa, *pb;
	size_t la, lb;

	if (a == NULL || b == NULL || !X509_NAME_get0_der(a, &pa, &la) ||
	    !X509_NAME_get0_der(b, &pb, &lb))
		return 0;
	return la == lb && memcmp(pa, pb, la) == 0;
}

static int
self_issued(const X509 *c)
{
	return name_der_equal(X509_get_subject_name(c),
			      X509_get_issuer_name(c));
}

/*
 * 1 when c is signed with an algorithm Go's crypto/x509 accepts for
 * certificates: RSA PKCS #1 v1.5 or ECDSA with SHA-256/384/512, RSA-PSS
 * with matching SHA-2 hashes and salt length, or Ed25519. SHA-1 only when
 * allow_sha1 (a lone self-signed certificate); MD5 never.
 */
static int
sig_alg_ok(X509 *c, int allow_sha1)
{
	int mdnid = NID_undef, pknid = NID_undef, ok;
	uint32_t flags = 0;

	ERR_set_mark();
	ok = X509_get_signature_info(c, &mdnid, &pknid, NULL, &flags);
	ERR_pop_to_mark();
	if (!ok)
		return 0;
	if (pknid == NID_ED25519)
		return 1;
	if (pknid == NID_rsassaPss && (flags & X509_SIG_INFO_TLS) == 0)
		return 0;
	if (pknid != NID_rsaEncryption && pknid != NID_rsassaPss &&
	    pknid != NID_X9_62_id_ecPublicKey)
		return 0;
	switch (mdnid) {
	case NID_sha256:
	case NID_sha384:
	case NID_sha512:
		return 1;
	case NID_sha1:
		return allow_sha1;
	default:
		return 0;
	}
}

static const char *
sig_alg_name(const X509 *c)
{
	int nid = X509_get_signature_nid(c);

	return nid == NID_undef ? "an unknown algorithm" : OBJ_nid2ln(nid);
}

/* 1 when child's signature verifies with parent's public key. */
static int
sig_verifies(X509 *child, const X509 *parent)
{
	EVP_PKEY *key;
	int ok = 0;

	ERR_set_mark();
	key = X509_get0_pubkey(parent);
	if (key != NULL)
		ok = X509_verify(child, key) == 1;
	ERR_pop_to_mark();
	return ok;
}

/*
 * Look up extension nid: *crit is -1 when absent, else its criticality,
 * and *out (which may be NULL) its decoded value. A duplicate or
 * undecodable extension is an error.
 */
static enum ov_code
get_ext(const X509 *c, int pos, int nid, const char *label, int *crit,
	void **out, struct ov_err *err)
{
	void *v;

	ERR_set_mark();
	v = X509_get_ext_d2i(c, nid, crit, NULL);
	ERR_pop_to_mark();
	if (*crit == -2)
		return cert_err(err, c, pos, "duplicate %s extension", label);
	if (*crit >= 0 && v == NULL)
		return cert_err(err, c, pos, "malformed %s extension", label);
	*out = v;
	return OV_OK;
}

struct exts {
	int bc_crit; /* -1 when absent */
	int ca;
	int has_pathlen;
	int64_t pathlen;
	int ku_crit;  /* -1 when absent */
	unsigned ku;  /* 1 << KUB_* */
	int eku_crit; /* -1 when absent */
	EXTENDED_KEY_USAGE *eku;
};

static void
exts_free(struct exts *e)
{
	EXTENDED_KEY_USAGE_free(e->eku);
	e->eku = NULL;
}

/* Decode basicConstraints, keyUsage and extendedKeyUsage of c. */
static enum ov_code
get_exts(const X509 *c, int pos, struct exts *e, struct ov_err *err)
{
	BASIC_CONSTRAINTS *bc = NULL;
	ASN1_BIT_STRING *ku = NULL;
	void *v = NULL;
	int i;
	enum ov_code r;

	memset(e, 0, sizeof(*e));
	if ((r = get_ext(c, pos, NID_basic_constraints, "basicConstraints",
			 &e->bc_crit, &v, err)) != OV_OK)
		goto out;
	bc = v;
	if (bc != NULL) {
		e->ca = bc->ca != 0;
		if (bc->pathlen != NULL) {
			if (!ASN1_INTEGER_get_int64(&e->pathlen, bc->pathlen) ||
			    e->pathlen < 0) {
				ERR_clear_error();
				r = cert_err(err, c, pos,
					     "invalid pathLenConstraint");
				goto out;
			}
			e->has_pathlen = 1;
		}
	}
	if ((r = get_ext(c, pos, NID_key_usage, "keyUsage", &e->ku_crit, &v,
			 err)) != OV_OK)
		goto out;
	ku = v;
	for (i = 0; ku != NULL && i < KUB_COUNT; i++)
		if (ASN1_BIT_STRING_get_bit(ku, i))
			e->ku |= 1u << i;
	if ((r = get_ext(c, pos, NID_ext_key_usage, "extendedKeyUsage",
			 &e->eku_crit, &v, err)) != OV_OK)
		goto out;
	e->eku = v;
	r = OV_OK;
out:
	BASIC_CONSTRAINTS_free(bc);
	ASN1_BIT_STRING_free(ku);
	return r;
}

/* Names of the keyUsage bits in mask, comma separated, into out. */
static const char *
ku_list(unsigned mask, char *out, size_t n)
{
	size_t len = 0;
	int i, w;

	out[0] = '\0';
	for (i = 0; i < KUB_COUNT; i++) {
		if ((mask & (1u << i)) == 0)
			continue;
		w = snprintf(out + len, n - len, "%s%s", len ? ", " : "",
			     ku_names[i]);
		if (w < 0 || (size_t)w >= n - len)
			break; /* the list is diagnostic; a cut is harmless */
		len += (size_t)w;
	}
	return out;
}

/*
 * The key rule of the leaf (spec digest B.6): one of the six key specs,
 * RSA 2048/3072/4096 or ECDSA P-256/P-384/P-521, as sigalg decides it.
 */
static enum ov_code
check_key(const X509 *c, int pos, struct ov_err *err)
{
	struct ov_err why;
	enum ov_sig_alg alg;
	EVP_PKEY *key;

	ERR_set_mark();
	key = X509_get0_pubkey(c);
	ERR_pop_to_mark();
	if (key == NULL)
		return cert_err(err, c, pos,
				"unsupported or invalid public key");
	ov_err_clear(&why);
	if (ov_sig_alg_from_key(key, &alg, &why) != OV_OK)
		return cert_err(err, c, pos, "%s", why.msg);
	return OV_OK;
}

/* The first purpose in eku that a signing certificate must not have, or
 * NID_undef. */
static int
forbidden_eku(const EXTENDED_KEY_USAGE *eku)
{
	size_t k;
	int i, nid;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
		nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i));
		for (k = 0; k < NELEMS(eku_forbidden); k++)
			if (nid == eku_forbidden[k])
				return nid;
	}
	return NID_undef;
}

static enum ov_code
check_leaf(const X509 *c, enum chain_kind kind, struct ov_err *err)
{
	struct exts e;
	char list[200];
	const ASN1_OBJECT *o;
	int nid;
	enum ov_code r;

	if ((r = get_exts(c, 1, &e, err)) != OV_OK)
		return r;
	if (e.bc_crit >= 0 && e.ca) {
		r = cert_err(
		    err, c, 1,
		    "basicConstraints cA must be false in a %s certificate",
		    kind == CODESIGNING ? "signing" : "timestamping");
		goto out;
	}
	if (e.ku_crit < 0) {
		r = cert_err(err, c, 1, "keyUsage extension must be present");
		goto out;
	}
	if (kind == CODESIGNING && e.ku_crit == 0) {
		r = cert_err(err, c, 1, "keyUsage extension must be critical");
		goto out;
	}
	if ((e.ku & (1u << KUB_DIGITAL_SIGNATURE)) == 0) {
		r = cert_err(err, c, 1,
			     "keyUsage must include digitalSignature");
		goto out;
	}
	if (e.ku & KUB_LEAF_FORBIDDEN) {
		r = cert_err(err, c, 1, "keyUsage must not include %s",
			     ku_list(e.ku & KUB_LEAF_FORBIDDEN, list,
				     sizeof(list)));
		goto out;
	}
	if (kind == CODESIGNING) {
		if ((nid = forbidden_eku(e.eku)) != NID_undef) {
			r = cert_err(err, c, 1,
				     "extendedKeyUsage must not include %s",
				     OBJ_nid2sn(nid));
			goto out;
		}
	} else {
		/* RFC 3161 2.3: exactly one purpose, critical. */
		o = NULL;
		if (e.eku != NULL && sk_ASN1_OBJECT_num(e.eku) == 1)
			o = sk_ASN1_OBJECT_value(e.eku, 0);
		if (o == NULL || OBJ_obj2nid(o) != NID_time_stamp) {
			r = cert_err(
			    err, c, 1,
			    "extendedKeyUsage must contain exactly one purpose, timeStamping");
			goto out;
		}
		if (e.eku_crit != 1) {
			r = cert_err(
			    err, c, 1,
			    "extendedKeyUsage extension must be critical");
			goto out;
		}
	}
	r = check_key(c, 1, err);
out:
	exts_free(&e);
	return r;
}

/* Rules for the CA certificate at pos with `below` CA certificates under
 * it (spec digest C.1, C.3). */
static enum ov_code
check_ca(const X509 *c, int pos, int below, enum chain_kind kind,
	 struct ov_err *err)
{
	struct exts e;
	enum ov_code r;

	if ((r = get_exts(c, pos, &e, err)) != OV_OK)
		return r;
	if (e.bc_crit < 0 || !e.ca) {
		r = cert_err(
		    err, c, pos,
		    "a CA certificate needs basicConstraints with cA true");
		goto out;
	}
	if (e.has_pathlen && e.pathlen < below) {
		r = cert_err(
		    err, c, pos,
		    "pathLenConstraint %lld is smaller than the number of CA certificates below it (%d)",
		    (long long)e.pathlen, below);
		goto out;
	}
	if (e.ku_crit < 0) {
		r = cert_err(err, c, pos, "keyUsage extension must be present");
		goto out;
	}
	if (kind == CODESIGNING && e.ku_crit == 0) {
		r = cert_err(err, c, pos,
			     "keyUsage extension must be critical");
		goto out;
	}
	if ((e.ku & (1u << KUB_KEY_CERT_SIGN)) == 0) {
		r = cert_err(err, c, pos, "keyUsage must include keyCertSign");
		goto out;
	}
	r = OV_OK;
out:
	exts_free(&e);
	return r;
}

/*
 * The last certificate (or the only one): self-signed, that is its own
 * key verifies it and its raw subject equals its raw issuer.
 */
static enum ov_code
check_root(X509 *c, int pos, int single, struct ov_err *err)
{
	char name[SHOW_MAX];
	const char *why =
	    single
		? "a single-certificate chain must be a self-signed certificate"
		: "the chain must end with a self-signed root certificate";

	if (!sig_alg_ok(c, single))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate %d \"%s\" is signed with %s, which is not accepted",
		    pos, show(c, name), sig_alg_name(c));
	if (!sig_verifies(c, c))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate %d \"%s\" is not self-signed (its own key does not verify its signature): %s",
		    pos, show(c, name), why);
	if (!self_issued(c))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate %d \"%s\" is not self-signed (its issuer differs from its subject): %s",
		    pos, show(c, name), why);
	return OV_OK;
}

/* Certificate pos is issued by parent (pos + 1). */
static enum ov_code
check_issued(X509 *c, int pos, const X509 *parent, struct ov_err *err)
{
	char a[SHOW_MAX], b[SHOW_MAX];

	if (!sig_alg_ok(c, 0))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate %d \"%s\" is signed with %s, which is not accepted",
		    pos, show(c, a), sig_alg_name(c));
	if (!name_der_equal(X509_get_issuer_name(c),
			    X509_get_subject_name(parent)))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate %d \"%s\" is not issued by certificate %d \"%s\": its issuer name differs",
		    pos, show(c, a), pos + 1, show(parent, b));
	if (!sig_verifies(c, parent))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate %d \"%s\" is not issued by certificate %d \"%s\": the signature does not verify with its key",
		    pos, show(c, a), pos + 1, show(parent, b));
	return OV_OK;
}

/* The notation chain model (spec digest C.1 and C.3), leaf first. */
static enum ov_code
check_chain(STACK_OF(X509) *chain, enum chain_kind kind, struct ov_err *err)
{
	char name[SHOW_MAX];
	X509 *c;
	int n, i;
	enum ov_code r;

	n = chain == NULL ? 0 : sk_X509_num(chain);
	if (n < 1)
		return ov_err_set(err, OV_E_CHAIN,
				  "certificate chain is empty");
	if (n > OV_MAX_CHAIN)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "certificate chain has %d certificates, more than the limit of %d",
		    n, OV_MAX_CHAIN);
	if (n == 1) {
		c = sk_X509_value(chain, 0);
		if ((r = check_root(c, 1, 1, err)) != OV_OK)
			return r;
		return check_leaf(c, kind, err);
	}
	for (i = 0; i < n; i++) {
		c = sk_X509_value(chain, i);
		if (i == n - 1) {
			if ((r = check_root(c, i + 1, 0, err)) != OV_OK)
				return r;
		} else {
			/* Catches extra roots in the middle or at the end. */
			if (self_issued(c) && sig_verifies(c, c))
				return ov_err_set(
				    err, OV_E_CHAIN,
				    "certificate %d \"%s\" is self-signed but is not the last certificate of the chain",
				    i + 1, show(c, name));
			if ((r = check_issued(c, i + 1,
					      sk_X509_value(chain, i + 1),
					      err)) != OV_OK)
				return r;
		}
		if (i == 0)
			r = check_leaf(c, kind, err);
		else
			r = check_ca(c, i + 1, i - 1, kind, err);
		if (r != OV_OK)
			return r;
	}
	return OV_OK;
}

enum ov_code
ov_x509_check_codesigning_chain(STACK_OF(X509) *chain, struct ov_err *err)
{
	return check_chain(chain, CODESIGNING, err);
}

enum ov_code
ov_x509_check_timestamping_chain(STACK_OF(X509) *chain, struct ov_err *err)
{
	return check_chain(chain, TIMESTAMPING, err);
}

enum ov_code
ov_x509_time(const ASN1_TIME *t, int64_t *out, struct ov_err *err)
{
	struct tm tm;

	*out = 0;
	/* ASN1_TIME_to_tm(NULL) would mean "now" */
	if (t == NULL)
		return ov_err_set(err, OV_E_FORMAT, "missing time");
	memset(&tm, 0, sizeof(tm));
	ERR_set_mark();
	if (!ASN1_TIME_to_tm(t, &tm)) {
		ERR_pop_to_mark();
		return ov_err_set(err, OV_E_FORMAT, "invalid time");
	}
	ERR_pop_to_mark();
	*out = ov_time_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1,
				  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return OV_OK;
}

int64_t
ov_x509_not_before(const X509 *c)
{
	int64_t t;

	return ov_x509_time(X509_get0_notBefore(c), &t, NULL) == OV_OK ? t : 0;
}

int64_t
ov_x509_not_after(const X509 *c)
{
	int64_t t;

	return ov_x509_time(X509_get0_notAfter(c), &t, NULL) == OV_OK ? t : 0;
}

enum ov_code
ov_x509_check_valid_at(STACK_OF(X509) *chain, int64_t t, const char *what,
		       struct ov_err *err)
{
	char name[SHOW_MAX], ts[OV_TIME_STR_MAX], bound[OV_TIME_STR_MAX];
	const X509 *c;
	int64_t nb, na;
	int i;
	enum ov_code r;

	if (what == NULL)
		what = "verification time";
	for (i = 0; chain != NULL && i < sk_X509_num(chain); i++) {
		c = sk_X509_value(chain, i);
		if ((r = ov_x509_time(X509_get0_notBefore(c), &nb, err)) !=
			OV_OK ||
		    (r = ov_x509_time(X509_get0_notAfter(c), &na, err)) !=
			OV_OK) {
			ov_err_wrap(err, "certificate \"%s\"", show(c, name));
			return r;
		}
		if (t < nb)
			return ov_err_set(
			    err, OV_E_EXPIRED,
			    "certificate \"%s\" is not valid at the %s %s: it is valid from %s",
			    show(c, name), what, ov_time_format(t, ts),
			    ov_time_format(nb, bound));
		if (t > na)
			return ov_err_set(
			    err, OV_E_EXPIRED,
			    "certificate \"%s\" is not valid at the %s %s: it expired at %s",
			    show(c, name), what, ov_time_format(t, ts),
			    ov_time_format(na, bound));
	}
	return OV_OK;
}

/* 1 when a and b have the same DER encoding. */
static int
der_equal(const X509 *a, const X509 *b)
{
	unsigned char *da = NULL, *db = NULL;
	int la, lb, eq;

	/* X509_cmp compares cached SHA-1 fingerprints: a cheap filter */
	ERR_set_mark();
	eq = X509_cmp(a, b) == 0;
	ERR_pop_to_mark();
	if (!eq)
		return 0;
	la = i2d_X509(a, &da);
	lb = i2d_X509(b, &db);
	eq = la > 0 && la == lb && memcmp(da, db, (size_t)la) == 0;
	OPENSSL_free(da);
	OPENSSL_free(db);
	ERR_clear_error();
	return eq;
}

int
ov_x509_find_anchor(STACK_OF(X509) *chain, STACK_OF(X509) *anchors)
{
	int i, j;

	if (chain == NULL || anchors == NULL)
		return -1;
	for (i = 0; i < sk_X509_num(chain); i++)
		for (j = 0; j < sk_X509_num(anchors); j++)
			if (der_equal(sk_X509_value(chain, i),
				      sk_X509_value(anchors, j)))
				return i;
	return -1;
}

void
ov_x509_sha256(X509 *c, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	hex[0] = '\0';
	if (!X509_digest(c, EVP_sha256(), md, &n) || n != 32) {
		ERR_clear_error();
		return;
	}
	ov_hex(md, n, hex);
}

int
ov_x509_signed_by_own_key(X509 *c)
{
	return sig_alg_ok(c, 1) && sig_verifies(c, c);
}

int
ov_x509_is_self_signed(X509 *c)
{
	return self_issued(c) && ov_x509_signed_by_own_key(c);
}

int
ov_x509_is_ca(X509 *c)
{
	BASIC_CONSTRAINTS *bc;
	int crit = -1, ca;

	ERR_set_mark();
	bc = X509_get_ext_d2i(c, NID_basic_constraints, &crit, NULL);
	ERR_pop_to_mark();
	ca = bc != NULL && bc->ca != 0;
	BASIC_CONSTRAINTS_free(bc);
	return ca;
}

enum ov_code
ov_x509_check_root_ca(X509 *c, struct ov_err *err)
{
	char name[SHOW_MAX], issuer[SHOW_MAX];
	struct exts e;
	enum ov_code r;

	if ((r = get_exts(c, 1, &e, err)) != OV_OK)
		return r;
	exts_free(&e);
	show(c, name);
	/* Go's CheckSignatureFrom: a v3 certificate must assert cA */
	if ((X509_get_version(c) == X509_VERSION_3 && e.bc_crit < 0) ||
	    (e.bc_crit >= 0 && !e.ca))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate \"%s\" is not a root CA certificate: it is not a CA certificate",
		    name);
	if (e.ku_crit >= 0 && (e.ku & (1u << KUB_KEY_CERT_SIGN)) == 0)
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate \"%s\" is not a root CA certificate: its keyUsage does not include keyCertSign",
		    name);
	if (!sig_alg_ok(c, 0))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate \"%s\" is not a root CA certificate: it is signed with %s, which is not accepted",
		    name, sig_alg_name(c));
	if (!sig_verifies(c, c))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate \"%s\" is not a root CA certificate: its own key does not verify its signature",
		    name);
	if (!self_issued(c))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "certificate \"%s\" is not a root CA certificate: issuer (%s) and subject (%s) are not the same",
		    name,
		    ov_x509_show_name(X509_get_issuer_name(c), issuer,
				      SHOW_MAX),
		    name);
	return OV_OK;
}
