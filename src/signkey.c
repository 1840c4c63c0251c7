/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private keys for signing and the refusal checks (signkey.h).
 */
#include "config.h"

#include "signkey.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "sigalg.h"
#include "x509.h"

/* pem_password_cb: the passphrase, or a refusal (-1) when none given. */
struct pass {
	const char *p; /* NULL: none given */
};

static int
pass_cb(char *buf, int size, int rwflag, void *u)
{
	const struct pass *pw = u;
	size_t n;

	(void)rwflag;
	if (pw->p == NULL || size <= 0)
		return -1;
	n = strlen(pw->p);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pw->p, n);
	return (int)n;
}

static int
is_pem(const unsigned char *p, size_t n)
{
	static const char tag[] = "-----BEGIN ";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= n; i++)
		if (memcmp(p + i, tag, sizeof(tag) - 1) == 0)
			return 1;
	return 0;
}

static int
is_encrypted(const unsigned char *p, size_t n)
{
	static const char *const tags[] = {"ENCRYPTED PRIVATE KEY",
					   "Proc-Type: 4,ENCRYPTED"};
	size_t i, k, l;

	for (k = 0; k < 2; k++) {
		l = strlen(tags[k]);
		for (i = 0; i + l <= n; i++)
			if (memcmp(p + i, tags[k], l) == 0)
				return 1;
	}
	return 0;
}

enum ov_code
ov_signkey_load(const unsigned char *data, size_t len, const char *name,
		const char *pass, EVP_PKEY **out, struct ov_err *err)
{
	BIO *bio = NULL;
	EVP_PKEY *k = NULL;
	const unsigned char *p = data;
	struct pass pw = {pass};
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (len > (size_t)(1 << 20))
		return ov_err_set(err, OV_E_LIMIT, "%s: key file too large",
				  name);
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (is_pem(data, len)) {
		if (is_encrypted(data, len) && pass == NULL) {
			r = ov_err_set(
			    err, OV_E_USAGE,
			    "%s: the key is encrypted; give its passphrase with --passphrase-file, --passphrase-fd or --passphrase-env",
			    name);
			goto out;
		}
		k = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &pw);
		if (k == NULL && is_encrypted(data, len)) {
			r = ov_err_ssl(err, OV_E_USAGE,
				       "%s: cannot decrypt the key (wrong passphrase?)",
				       name);
			goto out;
		}
	} else {
		/* DER: encrypted PKCS#8 first, then PKCS#8 or traditional */
		k = d2i_PKCS8PrivateKey_bio(bio, NULL, pass_cb, &pw);
		if (k == NULL) {
			ERR_clear_error();
			k = d2i_AutoPrivateKey(NULL, &p, (long)len);
			if (k != NULL && p != data + len) {
				EVP_PKEY_free(k);
				k = NULL;
			}
		}
	}
	if (k == NULL) {
		r = ov_err_ssl(
		    err, OV_E_USAGE,
		    "%s: not a private key (PEM or DER, PKCS#8 or traditional)",
		    name);
		goto out;
	}
	*out = k;
	k = NULL; /* transferred */
	r = OV_OK;
out:
	EVP_PKEY_free(k);
	BIO_free(bio);
	return r;
}

/* 1 when the leaf has an extendedKeyUsage without codeSigning. */
static int
eku_lacks_codesigning(X509 *leaf)
{
	EXTENDED_KEY_USAGE *eku;
	int i, crit = -1, found = 0;

	eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, &crit, NULL);
	if (eku == NULL)
		return 0;
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
		if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == NID_code_sign)
			found = 1;
	EXTENDED_KEY_USAGE_free(eku);
	return !found;
}

enum ov_code
ov_signkey_check(EVP_PKEY *key, STACK_OF(X509) *chain, int64_t t,
		 struct ov_err *err)
{
	enum ov_sig_alg alg;
	EVP_PKEY *pub;
	X509 *leaf;
	enum ov_code r;

	if (chain == NULL || sk_X509_num(chain) < 1)
		return ov_err_set(err, OV_E_USAGE,
				  "the certificate chain is empty");
	leaf = sk_X509_value(chain, 0);
	if ((r = ov_sig_alg_from_key(key, &alg, err)) != OV_OK) {
		err->code = OV_E_USAGE;
		return OV_E_USAGE;
	}
	if ((pub = X509_get0_pubkey(leaf)) == NULL || EVP_PKEY_eq(pub, key) != 1) {
		ERR_clear_error();
		return ov_err_set(
		    err, OV_E_USAGE,
		    "the private key does not match the leaf certificate (the first certificate of --cert)");
	}
	if ((r = ov_x509_check_codesigning_chain(chain, err)) != OV_OK) {
		ov_err_wrap(err, "refusing to sign");
		return r;
	}
	if (eku_lacks_codesigning(leaf))
		return ov_err_set(
		    err, OV_E_CHAIN,
		    "refusing to sign: the leaf certificate's extendedKeyUsage does not include codeSigning");
	if ((r = ov_x509_check_valid_at(chain, t, "signing time", err)) !=
	    OV_OK) {
		ov_err_wrap(err, "refusing to sign");
		return r;
	}
	return OV_OK;
}
