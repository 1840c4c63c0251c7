/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x509: certificate parsing, the code-signing and timestamping chain rules
 * (spec digest C.1, C.3), validity, anchors and printable names. Fixtures
 * come from testdata/pki (gen.sh) and, when present, the shared upstream
 * vectors.
 */
#include "config.h"

#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "digest.h"
#include "harness.h"

#include "timeutil.h"
#include "x509.h"

#define RSA_ROOT "CN=Ocivet Test RSA Root,O=Ocivet Test,L=Seattle,ST=WA,C=US"

/* The certificates of a file; exits on failure. */
static STACK_OF(X509) *
load_path(const char *path)
{
	STACK_OF(X509) *certs = NULL;
	struct ov_buf b;
	struct ov_err err;

	read_file_or_die(path, &b);
	if (ov_x509_load_certs(b.data, b.len, path, NULL, &certs, &err) != OV_OK) {
		fprintf(stderr, "cannot load %s: %s\n", path, err.msg);
		exit(99);
	}
	ov_buf_free(&b);
	return certs;
}

/* The certificates of testdata/pki/<rel>. */
static STACK_OF(X509) *
load(const char *rel)
{
	char pki[512];

	(void)snprintf(pki, sizeof(pki), "pki/%s", rel);
	return load_path(testdata_path(pki));
}

/* The first certificate of testdata/pki/<rel>, owned by the caller. */
static X509 *
load1(const char *rel)
{
	STACK_OF(X509) *certs = load(rel);
	X509 *c = sk_X509_shift(certs);

	sk_X509_pop_free(certs, X509_free);
	return c;
}

/* A chain built from vector files, or NULL when the vectors are absent. */
static STACK_OF(X509) *
vec_chain(const char *const *files, size_t n)
{
	STACK_OF(X509) *chain, *one;
	const char *p;
	size_t i;

	if ((p = vectors_path(files[0])) == NULL)
		return NULL;
	chain = sk_X509_new_null();
	for (i = 0; i < n; i++) {
		one = load_path(vectors_path(files[i]));
		while (sk_X509_num(one) > 0)
			sk_X509_push(chain, sk_X509_shift(one));
		sk_X509_free(one);
	}
	return chain;
}

static unsigned char *
der_of(X509 *c, int *len)
{
	unsigned char *der = NULL;

	*len = i2d_X509(c, &der);
	return der;
}

/* --- parsing --------------------------------------------------------- */

TEST(from_der)
{
	struct ov_err err;
	X509 *root = load1("certs/root.pem"), *c = NULL;
	unsigned char *der, *buf;
	int len;

	der = der_of(root, &len);
	ASSERT_OK(ov_x509_from_der(der, (size_t)len, &c, &err), &err);
	ASSERT(X509_cmp(c, root) == 0);
	X509_free(c);
	c = NULL;

	buf = malloc((size_t)len + 2);
	memcpy(buf, der, (size_t)len);
	buf[len] = 0x00;
	ASSERT_CODE(ov_x509_from_der(buf, (size_t)len + 1, &c, &err),
		    OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "1 extra bytes");
	ASSERT(c == NULL);
	ASSERT_CODE(ov_x509_from_der(der, (size_t)len - 1, &c, &err),
		    OV_E_FORMAT, &err);
	ASSERT_CODE(ov_x509_from_der(der, 0, &c, &err), OV_E_FORMAT, &err);

	/* BER: the outer length in a non-minimal long form */
	ASSERT(der[0] == 0x30 && der[1] == 0x82);
	buf[0] = 0x30;
	buf[1] = 0x83;
	buf[2] = 0x00;
	memcpy(buf + 3, der + 2, (size_t)len - 2);
	ASSERT_CODE(ov_x509_from_der(buf, (size_t)len + 1, &c, &err),
		    OV_E_FORMAT, &err);
	ASSERT(c == NULL);
	free(buf);
	OPENSSL_free(der);
	X509_free(root);
}

/*
 * A copy of the self-signed fixture, its extension `drop` (if not
 * NID_undef) removed, ext added, and re-signed.
 */
static X509 *
resigned_with(X509_EXTENSION *ext, int drop)
{
	X509 *c = load1("certs/selfsigned.pem");
	EVP_PKEY *key;
	BIO *bio;

	bio = BIO_new_file(testdata_path("pki/keys/selfsigned.key"), "r");
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (drop != NID_undef)
		X509_EXTENSION_free(
		    X509_delete_ext(c, X509_get_ext_by_NID(c, drop, -1)));
	if (key == NULL || !X509_add_ext(c, ext, -1) ||
	    !X509_sign(c, key, EVP_sha256()))
		exit(99);
	X509_EXTENSION_free(ext);
	EVP_PKEY_free(key);
	return c;
}

TEST(from_der_extensions)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	struct ov_err err;
	ASN1_OCTET_STRING *junk;
	X509 *c = NULL, *x;
	unsigned char *der;
	int len;

	/* a second keyUsage */
	x = resigned_with(X509V3_EXT_conf_nid(NULL, NULL, NID_key_usage,
					      "critical,digitalSignature"),
			  NID_undef);
	der = der_of(x, &len);
	ASSERT_CODE(ov_x509_from_der(der, (size_t)len, &c, &err), OV_E_FORMAT,
		    &err);
	ASSERT_STR_HAS(err.msg, "duplicate");
	OPENSSL_free(der);
	X509_free(x);

	/* an undecodable basicConstraints parses but fails the rules */
	junk = ASN1_OCTET_STRING_new();
	ASN1_OCTET_STRING_set(junk, (const unsigned char *)"\x01\x02", 2);
	x = resigned_with(X509_EXTENSION_create_by_NID(NULL,
						       NID_basic_constraints, 1,
						       junk),
			  NID_basic_constraints);
	ASN1_OCTET_STRING_free(junk);
	der = der_of(x, &len);
	X509_free(x);
	ASSERT_OK(ov_x509_from_der(der, (size_t)len, &c, &err), &err);
	OPENSSL_free(der);
	sk_X509_push(chain, c);
	ASSERT_CODE(ov_x509_check_codesigning_chain(chain, &err), OV_E_CHAIN,
		    &err);
	ASSERT_STR_HAS(err.msg, "malformed basicConstraints extension");
	sk_X509_pop_free(chain, X509_free);
}

static enum ov_code
load_mem(const void *p, size_t n, int *count, struct ov_err *err)
{
	STACK_OF(X509) *certs = NULL;
	enum ov_code r;

	*count = -1;
	r = ov_x509_load_certs(p, n, "mem", NULL, &certs, err);
	if (r == OV_OK)
		*count = sk_X509_num(certs);
	else if (certs != NULL)
		*count = -2; /* must stay NULL on failure */
	sk_X509_pop_free(certs, X509_free);
	return r;
}

TEST(load_certs)
{
	struct ov_err err;
	struct ov_buf pem, b;
	X509 *root = load1("certs/root.pem"), *in = load1("certs/int.pem");
	unsigned char *d1, *d2;
	int l1, l2, n, i;

	read_file_or_die(testdata_path("pki/chains/rsa.pem"), &pem);
	ASSERT_OK(load_mem(pem.data, pem.len, &n, &err), &err);
	ASSERT_INT_EQ(n, 3);

	/* text around PEM blocks is ignored */
	ov_buf_init(&b, 1 << 20);
	ov_buf_adds(&b, "Subject: something\n\n", NULL);
	ov_buf_add(&b, pem.data, pem.len, NULL);
	ov_buf_adds(&b, "\ntrailing words\n", NULL);
	ASSERT_OK(load_mem(b.data, b.len, &n, &err), &err);
	ASSERT_INT_EQ(n, 3);

	/* DER: one, two concatenated, then trailing garbage */
	d1 = der_of(root, &l1);
	d2 = der_of(in, &l2);
	ASSERT_OK(load_mem(d1, (size_t)l1, &n, &err), &err);
	ASSERT_INT_EQ(n, 1);
	ov_buf_reset(&b);
	ov_buf_add(&b, d1, (size_t)l1, NULL);
	ov_buf_add(&b, d2, (size_t)l2, NULL);
	ASSERT_OK(load_mem(b.data, b.len, &n, &err), &err);
	ASSERT_INT_EQ(n, 2);
	ov_buf_add(&b, "xx", 2, NULL);
	ASSERT_CODE(load_mem(b.data, b.len, &n, &err), OV_E_FORMAT, &err);
	ASSERT_INT_EQ(n, -1);
	ASSERT_STR_HAS(err.msg, "mem: data at byte");

	/* too many certificates */
	ov_buf_free(&b);
	ov_buf_init(&b, 1 << 30);
	for (i = 0; i <= 1000; i++)
		ov_buf_add(&b, d1, (size_t)l1, NULL);
	ASSERT_CODE(load_mem(b.data, b.len, &n, &err), OV_E_LIMIT, &err);
	ov_buf_free(&b);

	ASSERT_CODE(load_mem("", 0, &n, &err), OV_E_FORMAT, &err);
	ASSERT_CODE(load_mem("invalid\ninvalid\n", 16, &n, &err), OV_E_FORMAT,
		    &err);
	ASSERT_STR_HAS(err.msg, "mem: neither PEM nor DER");
	ASSERT_CODE(
	    load_mem(
		"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
		60, &n, &err),
	    OV_E_FORMAT, &err);
	ASSERT_CODE(load_mem("-----BEGIN CERTIFICATE-----\nMIIB\n", 33, &n,
			     &err),
		    OV_E_FORMAT, &err);

	OPENSSL_free(d1);
	OPENSSL_free(d2);
	ov_buf_free(&pem);
	X509_free(root);
	X509_free(in);
}

TEST(load_certs_pem_labels)
{
	struct ov_err err;
	struct ov_buf b, t;
	unsigned char *p, *q;
	int n;

	/* a private key after the certificate fails the file */
	read_file_or_die(
	    testdata_path(
		"pki/truststore/x509/ca/keyfile/selfsigned-with-key.pem"),
	    &b);
	ASSERT_CODE(load_mem(b.data, b.len, &n, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "mem: PEM block 2 is a \"PRIVATE KEY\"");

	/* so does a TRUSTED CERTIFICATE */
	read_file_or_die(testdata_path("pki/certs/root.pem"), &t);
	ov_buf_reset(&b);
	ov_buf_adds(&b, "-----BEGIN TRUSTED CERTIFICATE-----", NULL);
	p = (unsigned char *)strchr((char *)t.data, '\n');
	q = (unsigned char *)strstr((char *)t.data, "-----END");
	ov_buf_add(&b, p, (size_t)(q - p), NULL);
	ov_buf_adds(&b, "-----END TRUSTED CERTIFICATE-----\n", NULL);
	ASSERT_CODE(load_mem(b.data, b.len, &n, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "TRUSTED CERTIFICATE");
	ov_buf_free(&b);
	ov_buf_free(&t);
}

/* --- chain rules ------------------------------------------------------- */

struct chain_case {
	const char *file;
	enum ov_code code;
	const char *msg; /* substring of the message, or NULL */
};

static const struct chain_case codesigning_cases[] = {
    {"chains/rsa.pem", OV_OK, NULL},
    {"chains/ec.pem", OV_OK, NULL},
    {"chains/selfsigned.pem", OV_OK, NULL},
    /* SHA-1 is accepted for a lone self-signed certificate only */
    {"chains/selfsigned-sha1.pem", OV_OK, NULL},
    /* no basicConstraints, nonRepudiation, an unknown EKU */
    {"chains/leaf-minimal.pem", OV_OK, NULL},
    {"chains/pathlen1.pem", OV_OK, NULL},
    {"chains/selfsigned-md5.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test Self-Signed MD5,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is signed with md5WithRSAEncryption, which is not accepted"},
    {"chains/selfsigned-ca.pem", OV_E_CHAIN,
     "basicConstraints cA must be false in a signing certificate"},
    {"chains/leaf-ku-noncritical.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test Leaf ku-noncritical,O=Ocivet Test,L=Seattle,ST=WA,C=US\": keyUsage extension must be critical"},
    {"chains/leaf-ku-no-digitalsig.pem", OV_E_CHAIN,
     "keyUsage must include digitalSignature"},
    {"chains/leaf-ku-certsign.pem", OV_E_CHAIN,
     "keyUsage must not include keyCertSign"},
    {"chains/leaf-ku-missing.pem", OV_E_CHAIN,
     "keyUsage extension must be present"},
    {"chains/leaf-eku-serverauth.pem", OV_E_CHAIN,
     "extendedKeyUsage must not include serverAuth"},
    {"chains/leaf-eku-any.pem", OV_E_CHAIN,
     "extendedKeyUsage must not include anyExtendedKeyUsage"},
    {"chains/leaf-ca.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test Leaf ca,O=Ocivet Test,L=Seattle,ST=WA,C=US\": basicConstraints cA must be false"},
    {"chains/leaf-rsa1024.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test Leaf rsa1024,O=Ocivet Test,L=Seattle,ST=WA,C=US\": unsupported signing key: RSA 1024 bits"},
    {"chains/ec-p224.pem", OV_E_CHAIN, "unsupported signing key: EC secp224r1"},
    {"chains/tsa.pem", OV_E_CHAIN,
     "extendedKeyUsage must not include timeStamping"},
    {"chains/int-not-ca.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test Intermediate not-ca,O=Ocivet Test,L=Seattle,ST=WA,C=US\": a CA certificate needs basicConstraints with cA true"},
    {"chains/int-ku-no-certsign.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test Intermediate ku-no-certsign,O=Ocivet Test,L=Seattle,ST=WA,C=US\": keyUsage must include keyCertSign"},
    {"chains/int-ku-noncritical.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test Intermediate ku-noncritical,O=Ocivet Test,L=Seattle,ST=WA,C=US\": keyUsage extension must be critical"},
    {"chains/int-sha1.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test Intermediate sha1,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is signed with sha1WithRSAEncryption, which is not accepted"},
    {"chains/pathlen0.pem", OV_E_CHAIN,
     "certificate 3 \"CN=Ocivet Test CA1 pathlen 0,O=Ocivet Test,L=Seattle,ST=WA,C=US\": pathLenConstraint 0 is smaller than the number of CA certificates below it (1)"},
    {"chains/wrong-order.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test RSA Intermediate,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not issued by certificate 2 \"CN=Ocivet Test RSA Leaf,O=Ocivet Test,L=Seattle,ST=WA,C=US\": its issuer name differs"},
    {"chains/missing-root.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test RSA Intermediate,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not self-signed (its own key does not verify its signature): the chain must end with a self-signed root certificate"},
    {"chains/extra-root.pem", OV_E_CHAIN,
     "certificate 3 \"" RSA_ROOT
     "\" is self-signed but is not the last certificate of the chain"},
    {"chains/selfsigned-in-middle.pem", OV_E_CHAIN,
     "certificate 3 \"" RSA_ROOT "\" is self-signed"},
    {"chains/selfsigned-with-root.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test Self-Signed,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is self-signed"},
    {"chains/wrong-root.pem", OV_E_CHAIN,
     "is not issued by certificate 3 \"CN=Ocivet Test Other Root,O=Ocivet Test,L=Seattle,ST=WA,C=US\": its issuer name differs"},
    {"chains/issuer-name-mismatch.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test RSA Intermediate,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not issued by certificate 3 \"CN=Ocivet Test Renamed Root,O=Ocivet Test,L=Seattle,ST=WA,C=US\": its issuer name differs"},
    {"chains/issuer-key-mismatch.pem", OV_E_CHAIN,
     "is not issued by certificate 3 \"" RSA_ROOT
     "\": the signature does not verify with its key"},
};

static const struct chain_case timestamping_cases[] = {
    {"chains/tsa.pem", OV_OK, NULL},
    /* keyUsage criticality is not required for timestamping */
    {"chains/tsa-ku-noncritical.pem", OV_OK, NULL},
    {"chains/tsa-under-int-ku-noncritical.pem", OV_OK, NULL},
    {"chains/tsa-ku-missing.pem", OV_E_CHAIN,
     "keyUsage extension must be present"},
    {"chains/tsa-eku-noncritical.pem", OV_E_CHAIN,
     "certificate 1 \"CN=Ocivet Test TSA tsa-eku-noncritical,O=Ocivet Test,L=Seattle,ST=WA,C=US\": extendedKeyUsage extension must be critical"},
    {"chains/tsa-eku-two.pem", OV_E_CHAIN,
     "extendedKeyUsage must contain exactly one purpose, timeStamping"},
    {"chains/rsa.pem", OV_E_CHAIN,
     "extendedKeyUsage must contain exactly one purpose, timeStamping"},
    {"chains/int-not-ca.pem", OV_E_CHAIN,
     "extendedKeyUsage must contain exactly one purpose"},
    {"chains/tsa-missing-root.pem", OV_E_CHAIN,
     "certificate 2 \"CN=Ocivet Test RSA Intermediate,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not self-signed"},
    {"chains/tsa-extra-root.pem", OV_E_CHAIN,
     "certificate 3 \"" RSA_ROOT "\" is self-signed"},
};

static void
run_cases(const struct chain_case *cases, size_t n,
	  enum ov_code (*check)(STACK_OF(X509) *, struct ov_err *))
{
	STACK_OF(X509) *chain;
	struct ov_err err;
	enum ov_code r;
	size_t i;

	for (i = 0; i < n; i++) {
		chain = load(cases[i].file);
		ov_err_clear(&err);
		r = check(chain, &err);
		if (r != cases[i].code ||
		    (cases[i].msg != NULL &&
		     strstr(err.msg, cases[i].msg) == NULL)) {
			fprintf(stderr, "%s: got %s (%s), want %s (%s)\n",
				cases[i].file, ov_code_name(r), err.msg,
				ov_code_name(cases[i].code),
				cases[i].msg ? cases[i].msg : "");
			ov_test_failed = 1;
		}
		sk_X509_pop_free(chain, X509_free);
	}
}

TEST(codesigning_chains)
{
	run_cases(codesigning_cases,
		  sizeof(codesigning_cases) / sizeof(codesigning_cases[0]),
		  ov_x509_check_codesigning_chain);
}

TEST(timestamping_chains)
{
	run_cases(timestamping_cases,
		  sizeof(timestamping_cases) / sizeof(timestamping_cases[0]),
		  ov_x509_check_timestamping_chain);
}

TEST(chain_length)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	struct ov_err err;
	X509 *root = load1("certs/root.pem");
	int i;

	ASSERT_CODE(ov_x509_check_codesigning_chain(NULL, &err), OV_E_CHAIN,
		    &err);
	ASSERT_CODE(ov_x509_check_codesigning_chain(chain, &err), OV_E_CHAIN,
		    &err);
	ASSERT_STR_HAS(err.msg, "empty");
	for (i = 0; i < 17; i++) {
		X509_up_ref(root);
		sk_X509_push(chain, root);
	}
	ASSERT_CODE(ov_x509_check_codesigning_chain(chain, &err), OV_E_LIMIT,
		    &err);
	ASSERT_CODE(ov_x509_check_timestamping_chain(chain, &err), OV_E_LIMIT,
		    &err);
	sk_X509_pop_free(chain, X509_free);
	X509_free(root);
}

/* --- validity ------------------------------------------------------- */

TEST(valid_at)
{
	STACK_OF(X509) *ok = load("chains/rsa.pem");
	STACK_OF(X509) *expired = load("chains/leaf-expired.pem");
	STACK_OF(X509) *future = load("chains/leaf-future.pem");
	struct ov_err err;
	int64_t t2030 = ov_time_from_civil(2030, 1, 1, 0, 0, 0);
	int64_t nb = ov_time_from_civil(2025, 1, 1, 0, 0, 0);
	int64_t na = ov_time_from_civil(2125, 1, 1, 0, 0, 0);

	/* UTCTime and GeneralizedTime (years from 2050) */
	ASSERT_INT_EQ(ov_x509_not_before(sk_X509_value(ok, 2)), nb);
	ASSERT_INT_EQ(ov_x509_not_after(sk_X509_value(ok, 2)), na);

	ASSERT_OK(ov_x509_check_valid_at(ok, t2030, "verification time", &err),
		  &err);
	ASSERT_OK(ov_x509_check_valid_at(ok, nb, "verification time", &err),
		  &err);
	ASSERT_OK(ov_x509_check_valid_at(ok, na, "verification time", &err),
		  &err);
	ASSERT_CODE(ov_x509_check_valid_at(ok, na + 1, "signing time", &err),
		    OV_E_EXPIRED, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "certificate \"CN=Ocivet Test RSA Leaf,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not valid at the signing time 2125-01-01T00:00:01Z: it expired at 2125-01-01T00:00:00Z");
	ASSERT_CODE(ov_x509_check_valid_at(ok, nb - 1, "verification time",
					   &err),
		    OV_E_EXPIRED, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "is not valid at the verification time 2024-12-31T23:59:59Z: it is valid from 2025-01-01T00:00:00Z");

	ASSERT_CODE(ov_x509_check_valid_at(expired, t2030, "verification time",
					   &err),
		    OV_E_EXPIRED, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "certificate \"CN=Ocivet Test Leaf expired,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not valid at the verification time 2030-01-01T00:00:00Z: it expired at 2021-01-01T00:00:00Z");
	/* the leaf alone was valid in 2020 (its issuer was not) */
	X509_free(sk_X509_pop(expired));
	X509_free(sk_X509_pop(expired));
	ASSERT_OK(ov_x509_check_valid_at(expired,
					 ov_time_from_civil(2020, 6, 1, 0, 0,
							    0),
					 "signing time", &err),
		  &err);
	ASSERT_CODE(ov_x509_check_valid_at(expired,
					   ov_time_from_civil(2021, 1, 1, 0, 0,
							      1),
					   "signing time", &err),
		    OV_E_EXPIRED, &err);
	ASSERT_CODE(ov_x509_check_valid_at(future, t2030, "verification time",
					   &err),
		    OV_E_EXPIRED, &err);
	ASSERT_STR_HAS(err.msg, "it is valid from 2100-01-01T00:00:00Z");

	sk_X509_pop_free(ok, X509_free);
	sk_X509_pop_free(expired, X509_free);
	sk_X509_pop_free(future, X509_free);
}

/* --- anchors, fingerprints, predicates --------------------------------- */

TEST(find_anchor)
{
	STACK_OF(X509) *chain = load("chains/rsa.pem");
	STACK_OF(X509) *anchors = sk_X509_new_null();

	ASSERT_INT_EQ(ov_x509_find_anchor(chain, anchors), -1);
	ASSERT_INT_EQ(ov_x509_find_anchor(chain, NULL), -1);
	/* same key and a similar certificate, but not the same bytes */
	sk_X509_push(anchors, load1("certs/root-renamed.pem"));
	sk_X509_push(anchors, load1("certs/root-rekeyed.pem"));
	ASSERT_INT_EQ(ov_x509_find_anchor(chain, anchors), -1);
	sk_X509_push(anchors, load1("certs/root.pem"));
	ASSERT_INT_EQ(ov_x509_find_anchor(chain, anchors), 2);
	sk_X509_push(anchors, load1("certs/int.pem"));
	ASSERT_INT_EQ(ov_x509_find_anchor(chain, anchors), 1);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(anchors, X509_free);
}

TEST(sha256)
{
	X509 *c = load1("certs/root.pem");
	unsigned char *der, md[32];
	char hex[65], want[65];
	int len;

	der = der_of(c, &len);
	EVP_Digest(der, (size_t)len, md, NULL, EVP_sha256(), NULL);
	ov_hex(md, 32, want);
	ov_x509_sha256(c, hex);
	ASSERT_STR_EQ(hex, want);
	ASSERT_INT_EQ(strlen(hex), 64);
	OPENSSL_free(der);
	X509_free(c);
}

TEST(predicates)
{
	X509 *root = load1("certs/root.pem"), *in = load1("certs/int.pem");
	X509 *leaf = load1("certs/leaf.pem"),
	     *ss = load1("certs/selfsigned.pem");
	X509 *min = load1("certs/leaf-minimal.pem");
	X509 *md5 = load1("certs/selfsigned-md5.pem");
	X509 *sha1 = load1("certs/selfsigned-sha1.pem");
	X509 *renamed = load1("certs/root-renamed.pem");

	ASSERT_INT_EQ(ov_x509_is_self_signed(root), 1);
	ASSERT_INT_EQ(ov_x509_is_self_signed(ss), 1);
	ASSERT_INT_EQ(ov_x509_is_self_signed(sha1), 1);
	ASSERT_INT_EQ(ov_x509_is_self_signed(md5), 0);
	ASSERT_INT_EQ(ov_x509_is_self_signed(in), 0);
	ASSERT_INT_EQ(ov_x509_is_self_signed(leaf), 0);
	ASSERT_INT_EQ(ov_x509_signed_by_own_key(renamed), 1);
	ASSERT_INT_EQ(ov_x509_signed_by_own_key(in), 0);
	ASSERT_INT_EQ(ov_x509_signed_by_own_key(md5), 0);
	ASSERT_INT_EQ(ov_x509_is_ca(root), 1);
	ASSERT_INT_EQ(ov_x509_is_ca(in), 1);
	ASSERT_INT_EQ(ov_x509_is_ca(leaf), 0);
	ASSERT_INT_EQ(ov_x509_is_ca(ss), 0);
	ASSERT_INT_EQ(ov_x509_is_ca(min), 0);
	X509_free(root);
	X509_free(in);
	X509_free(leaf);
	X509_free(ss);
	X509_free(min);
	X509_free(md5);
	X509_free(sha1);
	X509_free(renamed);
}

TEST(root_ca)
{
	struct ov_err err;
	X509 *root = load1("certs/root.pem"), *in = load1("certs/int.pem");
	X509 *ss = load1("certs/selfsigned.pem");
	X509 *sha1 = load1("certs/root-sha1.pem");
	X509 *v1 = load1("certs/names.pem");
	X509 *noks = load1("certs/int-ku-no-certsign.pem");

	ASSERT_OK(ov_x509_check_root_ca(root, &err), &err);
	/* a v1 certificate counts as a CA, as in Go */
	ASSERT_OK(ov_x509_check_root_ca(v1, &err), &err);
	ASSERT_CODE(ov_x509_check_root_ca(ss, &err), OV_E_CHAIN, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "certificate \"CN=Ocivet Test Self-Signed,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not a root CA certificate: it is not a CA certificate");
	ASSERT_CODE(ov_x509_check_root_ca(in, &err), OV_E_CHAIN, &err);
	ASSERT_STR_HAS(err.msg, "its own key does not verify its signature");
	ASSERT_CODE(ov_x509_check_root_ca(sha1, &err), OV_E_CHAIN, &err);
	ASSERT_STR_HAS(err.msg, "sha1WithRSAEncryption");
	ASSERT_CODE(ov_x509_check_root_ca(noks, &err), OV_E_CHAIN, &err);
	ASSERT_STR_HAS(err.msg, "keyCertSign");
	X509_free(root);
	X509_free(in);
	X509_free(ss);
	X509_free(sha1);
	X509_free(v1);
	X509_free(noks);
}

/* --- names ---------------------------------------------------------------- */

TEST(names)
{
	X509 *root = load1("certs/root.pem"), *odd = load1("certs/names.pem");
	X509_NAME *nm;
	char *s;

	s = ov_x509_name(X509_get_subject_name(root));
	ASSERT_STR_EQ(s, RSA_ROOT);
	free(s);
	/* Go's order, escaping and "+" for repeated types */
	s = ov_x509_name(X509_get_subject_name(odd));
	ASSERT_STR_EQ(
	    s,
	    "SERIALNUMBER=42,CN=Odd\\, \\\"Name\\\" \\<x\\>\\;\\+1\\\\,OU=Unit B+OU=Unit A,O=\\#Org\\ ,L=\\ Z\xc3\xbcrich,ST=WA,C=US,emailAddress=a@example.com");
	free(s);

	nm = X509_NAME_new();
	s = ov_x509_name(nm);
	ASSERT_STR_EQ(s, "");
	free(s);
	/* control bytes, a repeated CN (Go keeps the last), an unknown OID */
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8,
				   (const unsigned char *)"first", -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "1.2.3.4", MBSTRING_UTF8,
				   (const unsigned char *)"x", -1, -1, 0);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8,
				   (const unsigned char *)"a\nb\x7f", -1, -1,
				   0);
	s = ov_x509_name(nm);
	ASSERT_STR_EQ(s, "CN=a\\0Ab\\7F,1.2.3.4=x");
	free(s);
	s = ov_x509_name(NULL);
	ASSERT_STR_EQ(s, "");
	free(s);
	X509_NAME_free(nm);
	X509_free(root);
	X509_free(odd);
}

/* --- upstream vectors ------------------------------------------------------
 */

static int
have_vectors(void)
{
	if (vectors_path("README.md") != NULL)
		return 1;
	fprintf(stderr, "  (upstream vectors absent: cases skipped)\n");
	return 0;
}

TEST(vectors_cert_files)
{
	static const struct {
		const char *file;
		int count; /* -1: must fail */
	} cases[] = {
	    {"notation-core-go/x509/pem.crt", 1},
	    {"notation-core-go/x509/multi-pem.crt", 2},
	    {"notation-core-go/x509/der.der", 1},
	    {"notation-core-go/x509/multi-der.der", 2},
	    {"notation-core-go/x509/invalid", -1},
	    {"notation-core-go/x509/openssl-minimum-self-signed.pem", 1},
	    {"notation-core-go/x509/timestamp_leaf.crt", 1},
	    {"notation-core-go/x509/timestamp_intermediate.crt", 1},
	    {"notation-core-go/x509/timestamp_root.crt", 1},
	    {"notation-e2e/crl/certchain_with_crl.pem", 3},
	    {"notation-e2e/crl/root.crt", 1},
	    {"notation-go/identity/signing-cert.pem", 1},
	    {"notation-go/identity/bad-cert.pem", 1},
	    {"tspclient-go/GlobalSignRootCA.crt", 1},
	};
	struct ov_err err;
	struct ov_buf b;
	size_t i;
	int n;
	enum ov_code r;

	if (!have_vectors())
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_file_or_die(vectors_path(cases[i].file), &b);
		r = load_mem(b.data, b.len, &n, &err);
		ov_buf_free(&b);
		if (cases[i].count < 0 ? r == OV_OK
				       : r != OV_OK || n != cases[i].count) {
			fprintf(stderr, "%s: got %s %d (%s)\n", cases[i].file,
				ov_code_name(r), n, err.msg);
			ov_test_failed = 1;
		}
	}
}

#define TS "notation-core-go/x509/timestamp_"

TEST(vectors_chains)
{
	static const char *const tsa_ok[] = {TS "leaf.crt",
					     TS "intermediate.crt",
					     TS "root.crt"};
	static const char *const tsa_leaf[] = {TS "leaf.crt"};
	static const char *const tsa_noroot[] = {TS "leaf.crt",
						 TS "intermediate.crt"};
	static const char *const tsa_rootroot[] = {TS "root.crt",
						   TS "root.crt"};
	static const char *const tsa_extra[] = {TS "leaf.crt",
						TS "intermediate.crt",
						TS "root.crt", TS "root.crt"};
	static const char *const minimum[] = {
	    "notation-core-go/x509/openssl-minimum-self-signed.pem"};
	static const char *const e2e[] = {
	    "notation-e2e/crl/certchain_with_crl.pem"};
	STACK_OF(X509) *c;
	struct ov_err err;

	if (!have_vectors())
		return;
	c = vec_chain(tsa_ok, 3);
	ASSERT_OK(ov_x509_check_timestamping_chain(c, &err), &err);
	/* a TSA chain is no code-signing chain */
	ASSERT_CODE(ov_x509_check_codesigning_chain(c, &err), OV_E_CHAIN, &err);
	sk_X509_pop_free(c, X509_free);

	c = vec_chain(tsa_leaf, 1);
	ASSERT_CODE(ov_x509_check_timestamping_chain(c, &err), OV_E_CHAIN,
		    &err);
	ASSERT_STR_HAS(err.msg, "is not self-signed");
	sk_X509_pop_free(c, X509_free);
	c = vec_chain(tsa_noroot, 2);
	ASSERT_CODE(ov_x509_check_timestamping_chain(c, &err), OV_E_CHAIN,
		    &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "certificate 2 \"CN=DigiCert Trusted G4 RSA4096 SHA256 TimeStamping CA,O=DigiCert\\, Inc.,C=US\" is not self-signed");
	sk_X509_pop_free(c, X509_free);
	c = vec_chain(tsa_rootroot, 2);
	ASSERT_CODE(ov_x509_check_timestamping_chain(c, &err), OV_E_CHAIN,
		    &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "certificate 1 \"CN=DigiCert Trusted Root G4,OU=www.digicert.com,O=DigiCert Inc,C=US\" is self-signed");
	sk_X509_pop_free(c, X509_free);
	c = vec_chain(tsa_extra, 4);
	ASSERT_CODE(ov_x509_check_timestamping_chain(c, &err), OV_E_CHAIN,
		    &err);
	ASSERT_STR_HAS(err.msg, "certificate 3 ");
	ASSERT_STR_HAS(err.msg, "is self-signed");
	sk_X509_pop_free(c, X509_free);

	c = vec_chain(minimum, 1);
	ASSERT_OK(ov_x509_check_codesigning_chain(c, &err), &err);
	sk_X509_pop_free(c, X509_free);
	c = vec_chain(e2e, 1);
	ASSERT_INT_EQ(sk_X509_num(c), 3);
	ASSERT_OK(ov_x509_check_codesigning_chain(c, &err), &err);
	ASSERT_OK(ov_x509_check_valid_at(c,
					 ov_time_from_civil(2025, 6, 1, 0, 0,
							    0),
					 "verification time", &err),
		  &err);
	sk_X509_pop_free(c, X509_free);
}

/* The decoded-certificate cache: the same bytes give the same object,
 * other bytes another, a failure is not kept, PEM files go through it. */
TEST(cache)
{
	struct ov_x509_cache *cache;
	STACK_OF(X509) *certs = NULL;
	struct ov_buf b;
	struct ov_err err;
	X509 *root, *a = NULL, *a2 = NULL, *o = NULL, *bad = NULL;
	unsigned char *der, *der2;
	int len, len2;

	ASSERT_OK(ov_x509_cache_new(&cache, &err), &err);
	root = load1("certs/root.pem");
	der = der_of(root, &len);
	ASSERT_OK(ov_x509_cache_get(cache, der, (size_t)len, &a, &err), &err);
	ASSERT_OK(ov_x509_cache_get(cache, der, (size_t)len, &a2, &err), &err);
	ASSERT(a == a2);
	ASSERT(a != root);
	ASSERT(X509_cmp(a, root) == 0);
	/* a trust store file's PEM block with the same bytes: that object */
	read_file_or_die(testdata_path("pki/certs/root.pem"), &b);
	ASSERT_OK(ov_x509_load_certs(b.data, b.len, "root.pem", cache, &certs,
				     &err),
		  &err);
	ov_buf_free(&b);
	ASSERT(sk_X509_value(certs, 0) == a);
	sk_X509_pop_free(certs, X509_free);
	/* other bytes, another object */
	o = load1("certs/int.pem");
	der2 = der_of(o, &len2);
	X509_free(o);
	o = NULL;
	ASSERT_OK(ov_x509_cache_get(cache, der2, (size_t)len2, &o, &err),
		  &err);
	ASSERT(o != a);
	/* a failure is reported every time, never kept */
	ASSERT_CODE(ov_x509_cache_get(cache, der, (size_t)len - 1, &bad,
				      &err),
		    OV_E_FORMAT, &err);
	ASSERT(bad == NULL);
	ASSERT_CODE(ov_x509_cache_get(cache, der, (size_t)len - 1, &bad,
				      &err),
		    OV_E_FORMAT, &err);
	/* no cache: a fresh object */
	ASSERT_OK(ov_x509_cache_get(NULL, der, (size_t)len, &bad, &err), &err);
	ASSERT(bad != a);
	X509_free(bad);
	X509_free(o);
	X509_free(a2);
	X509_free(a);
	ov_x509_cache_free(cache); /* the caller's references stay valid */
	X509_free(root);
	OPENSSL_free(der);
	OPENSSL_free(der2);
}

int
main(void)
{
	RUN(from_der);
	RUN(from_der_extensions);
	RUN(load_certs);
	RUN(load_certs_pem_labels);
	RUN(codesigning_chains);
	RUN(timestamping_chains);
	RUN(chain_length);
	RUN(valid_at);
	RUN(find_anchor);
	RUN(sha256);
	RUN(predicates);
	RUN(root_ca);
	RUN(names);
	RUN(vectors_cert_files);
	RUN(vectors_chains);
	RUN(cache);
	return ov_test_done();
}
