/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: RFC 3161 timestamp tokens (tsa.c on OpenSSL's CMS and TS
 * code): ov_tsa_parse, and ov_tsa_verify as a timestamp of
 * testdata/tsa/msg.txt against the TSA root testdata/tsa/root.pem. A
 * token that verifies has its imprint equal to the message's hash, a
 * genTime inside its accuracy bounds, and a chain that ends at the
 * trusted root; ov_tsa_verify_imprint, given the message's hash, reaches
 * the same verdict.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "fuzz.h"
#include "ovlimits.h"
#include "tsa.h"
#include "x509.h"

/* Built once by LLVMFuzzerInitialize, read-only afterwards. */
static struct {
	struct ov_buf msg;
	STACK_OF(X509) *roots;
} fz;

static void
teardown(void)
{
	ov_buf_free(&fz.msg);
	sk_X509_pop_free(fz.roots, X509_free);
	fz.roots = NULL;
}

static int
read_fixture(const char *testdata, const char *rel, struct ov_buf *b)
{
	char path[4096];
	struct ov_err err;
	int len;

	len = snprintf(path, sizeof(path), "%s/%s", testdata, rel);
	if (len < 0 || (size_t)len >= sizeof(path))
		return -1;
	ov_buf_init(b, OV_MAX_CERT_FILE);
	return ov_buf_read_file(b, AT_FDCWD, path, &err) == OV_OK ? 0 : -1;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("OV_TESTDATA");
	char testdata[4096];
	struct ov_buf pem;
	struct ov_err err;
	int len;

	(void)argc;
	(void)argv;
	if (env != NULL && env[0] != '\0')
		len = snprintf(testdata, sizeof(testdata), "%s", env);
	else
		len = snprintf(testdata, sizeof(testdata), "%s/testdata",
			       OV_SRCDIR);
	/* Without its fixtures the target cannot run at all. */
	if (len < 0 || (size_t)len >= sizeof(testdata) ||
	    read_fixture(testdata, "tsa/msg.txt", &fz.msg) != 0 ||
	    read_fixture(testdata, "tsa/root.pem", &pem) != 0 ||
	    ov_x509_load_certs(pem.data, pem.len, "root.pem", NULL, &fz.roots,
			       &err) != OV_OK) {
		fprintf(
		    stderr,
		    "fuzz_tsa: testdata/tsa/msg.txt and root.pem are needed\n");
		abort();
	}
	ov_buf_free(&pem);
	(void)atexit(teardown);
	return 0;
}

static void
check_verified(const struct ov_tsa_result *res)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *alg;
	X509 *last;
	int i, trusted = 0;

	FUZZ_ASSERT(res->lower <= res->gen_time && res->gen_time <= res->upper);
	FUZZ_ASSERT(res->imprint_alg != NULL);
	alg = EVP_get_digestbyname(res->imprint_alg);
	FUZZ_ASSERT(alg != NULL);
	FUZZ_ASSERT(
	    EVP_Digest(fz.msg.data, fz.msg.len, md, &mdlen, alg, NULL) == 1);
	FUZZ_ASSERT(res->imprint_len == mdlen &&
		    memcmp(res->imprint, md, mdlen) == 0);
	FUZZ_ASSERT(res->chain != NULL && sk_X509_num(res->chain) >= 1);
	last = sk_X509_value(res->chain, sk_X509_num(res->chain) - 1);
	for (i = 0; i < sk_X509_num(fz.roots); i++)
		trusted |= X509_cmp(last, sk_X509_value(fz.roots, i)) == 0;
	FUZZ_ASSERT(trusted);
}

/* ov_tsa_verify_imprint with the message hashed by alg_name. */
static enum ov_code
verify_imprint(const uint8_t *data, size_t size, const char *alg_name)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *alg = EVP_get_digestbyname(alg_name);
	struct ov_tsa_result res;
	struct ov_err err;
	enum ov_code r;

	FUZZ_ASSERT(alg != NULL);
	FUZZ_ASSERT(
	    EVP_Digest(fz.msg.data, fz.msg.len, md, &mdlen, alg, NULL) == 1);
	memset(&res, 0, sizeof(res));
	ov_err_clear(&err);
	r = ov_tsa_verify_imprint(data, size, md, mdlen, fz.roots, &res, &err);
	fuzz_check_err(r, &err);
	ov_tsa_result_clear(&res);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_tsa_result res;
	struct ov_err err;
	const char *alg = NULL;
	enum ov_code r, by_imprint = OV_OK;

	memset(&res, 0, sizeof(res));
	ov_err_clear(&err);
	r = ov_tsa_parse(data, size, &res, &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK)
		alg = res.imprint_alg; /* static */
	ov_tsa_result_clear(&res);
	if (alg != NULL)
		by_imprint = verify_imprint(data, size, alg);

	memset(&res, 0, sizeof(res));
	ov_err_clear(&err);
	r = ov_tsa_verify(data, size, fz.msg.data, fz.msg.len, fz.roots, &res,
			  &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK)
		check_verified(&res);
	if (alg != NULL)
		FUZZ_ASSERT((r == OV_OK) == (by_imprint == OV_OK));
	ov_tsa_result_clear(&res);
	ERR_clear_error();
	return 0;
}
