/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: offline revocation material (revocation.c): CRL files as
 * `ocivet crl show` describes them (ov_crl_describe), and the same bytes
 * loaded as CRLs (ov_revocation_add_crl_data) and as an OCSP response
 * (ov_revocation_add_ocsp_data), then used to check the chain of
 * testdata/revocation/chains/chain.pem at 2025-06-01. Forged material can
 * never make the chain revoked or good; it is simply unusable.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "buf.h"
#include "fuzz.h"
#include "ovlimits.h"
#include "revocation.h"
#include "x509.h"

#define NOW 1748736000 /* 2025-06-01T00:00:00Z */

/* Built once by LLVMFuzzerInitialize, read-only afterwards. */
static STACK_OF(X509) *chain;

static void
teardown(void)
{
	sk_X509_pop_free(chain, X509_free);
	chain = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("OV_TESTDATA");
	char path[4096];
	struct ov_buf pem;
	struct ov_err err;
	int len;

	(void)argc;
	(void)argv;
	if (env != NULL && env[0] != '\0')
		len = snprintf(path, sizeof(path),
			       "%s/revocation/chains/chain.pem", env);
	else
		len = snprintf(path, sizeof(path),
			       "%s/testdata/revocation/chains/chain.pem",
			       OV_SRCDIR);
	ov_buf_init(&pem, OV_MAX_CERT_FILE);
	/* Without its fixtures the target cannot run at all. */
	if (len < 0 || (size_t)len >= sizeof(path) ||
	    ov_buf_read_file(&pem, AT_FDCWD, path, &err) != OV_OK ||
	    ov_x509_load_certs(pem.data, pem.len, "chain.pem", NULL, &chain, &err) !=
		OV_OK) {
		fprintf(
		    stderr,
		    "fuzz_crl: testdata/revocation/chains/chain.pem is needed\n");
		abort();
	}
	ov_buf_free(&pem);
	(void)atexit(teardown);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_revocation *rv = NULL;
	struct ov_rev_result res;
	struct ov_err err;
	char *text = NULL;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_crl_describe(data, size, &text, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (text != NULL));
	free(text);

	if (ov_revocation_new(&rv, &err) != OV_OK)
		return 0;
	ov_err_clear(&err);
	fuzz_check_err(ov_revocation_add_crl_data(rv, data, size, "fuzz.crl",
						  &err),
		       &err);
	ov_err_clear(&err);
	fuzz_check_err(ov_revocation_add_ocsp_data(rv, data, size, "fuzz.ocsp",
						   &err),
		       &err);
	memset(&res, 0, sizeof(res));
	ov_err_clear(&err);
	r = ov_revocation_check(rv, chain, NOW, INT64_MIN, &res, &err);
	fuzz_check_err(r, &err);
	ov_rev_result_clear(&res);
	ov_revocation_free(rv);
	ERR_clear_error();
	return 0;
}
