/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: certificates as ocivet drives OpenSSL (x509.c, dn.c):
 * trust-store files and envelope chains (ov_x509_load_certs: PEM blocks
 * or concatenated DER), the code-signing and timestamping chain rules,
 * validity, root-CA admission, printable names, fingerprints and the
 * subject DN conversion. A chain always finds itself as its own anchor.
 */
#include "config.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include "dn.h"
#include "fuzz.h"
#include "x509.h"

/* 2026-01-01T00:00:00Z, the time the CLI tests verify at. */
#define AT 1767225600

static void
check_cert(X509 *c)
{
	struct ov_dn *dn = NULL;
	struct ov_err err;
	char hex[65], *s;
	enum ov_code r;

	if ((s = ov_x509_name(X509_get_subject_name(c))) != NULL)
		free(s);
	if ((s = ov_x509_name(X509_get_issuer_name(c))) != NULL)
		free(s);
	ov_x509_sha256(c, hex);
	FUZZ_ASSERT(strlen(hex) == 64);
	(void)ov_x509_is_self_signed(c);
	(void)ov_x509_is_ca(c);
	(void)ov_x509_signed_by_own_key(c);
	(void)ov_x509_not_before(c);
	(void)ov_x509_not_after(c);
	ov_err_clear(&err);
	fuzz_check_err(ov_x509_check_root_ca(c, &err), &err);
	ov_err_clear(&err);
	r = ov_dn_from_name(X509_get_subject_name(c), &dn, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (dn != NULL));
	if (dn != NULL)
		FUZZ_ASSERT(ov_dn_is_subset(dn, dn));
	ov_dn_free(dn);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *chain = NULL;
	struct ov_err err;
	enum ov_code r;
	int i;

	ov_err_clear(&err);
	r = ov_x509_load_certs(data, size, "fuzz", NULL, &chain, &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK) {
		FUZZ_ASSERT(chain != NULL && sk_X509_num(chain) >= 1);
		for (i = 0; i < sk_X509_num(chain); i++)
			check_cert(sk_X509_value(chain, i));
		FUZZ_ASSERT(ov_x509_find_anchor(chain, chain) == 0);
		ov_err_clear(&err);
		fuzz_check_err(ov_x509_check_codesigning_chain(chain, &err),
			       &err);
		ov_err_clear(&err);
		fuzz_check_err(ov_x509_check_timestamping_chain(chain, &err),
			       &err);
		ov_err_clear(&err);
		fuzz_check_err(ov_x509_check_valid_at(chain, AT, "fuzz time",
						      &err),
			       &err);
		sk_X509_pop_free(chain, X509_free);
	}
	/* The next input starts with an empty OpenSSL error queue. */
	ERR_clear_error();
	return 0;
}
