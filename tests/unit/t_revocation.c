/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline revocation (spec digest F.5): CRLs, delta CRLs, the notation
 * CRL cache and OCSP responses from testdata/revocation (gen.sh), CRLs
 * built here for what openssl ca cannot make, and the upstream notation
 * vectors when present.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "b64.h"
#include "harness.h"
#include "revocation.h"
#include "timeutil.h"
#include "x509.h"

#define LEAF "CN=Ocivet Rev Leaf,O=Ocivet Test,L=Seattle,ST=WA,C=US"
#define INT "CN=Ocivet Rev Intermediate,O=Ocivet Test,L=Seattle,ST=WA,C=US"
#define INT_URL "http://crl.ocivet.test/int.crl"
#define ROOT_URL "http://crl.ocivet.test/root.crl"
#define OCSP_URL "http://ocsp.ocivet.test/int"
#define E2E_LEAF "CN=LeafCert,OU=OrgUnit,O=Organization,L=City,ST=State,C=US"
#define E2E_INT                                                                \
	"CN=IntermediateCA,OU=OrgUnit,O=Organization,L=City,ST=State,C=US"

static int64_t
T(int y, int m, int d)
{
	return ov_time_from_civil(y, m, d, 0, 0, 0);
}

#define NOW T(2025, 6, 1)

static STACK_OF(X509) *
load_chain_at(const char *path)
{
	STACK_OF(X509) *chain = NULL;
	struct ov_buf b;
	struct ov_err err;

	read_file_or_die(path, &b);
	if (ov_x509_load_certs(b.data, b.len, path, NULL, &chain, &err) != OV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		exit(99);
	}
	ov_buf_free(&b);
	return chain;
}

static STACK_OF(X509) *
load_chain(const char *rel)
{
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s",
		       testdata_path("revocation/chains/"));
	(void)snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s",
		       rel);
	return load_chain_at(path);
}

static X509 *
load_cert(const char *rel)
{
	STACK_OF(X509) *s;
	X509 *c;
	char path[4096];

	(void)snprintf(path, sizeof(path), "%s",
		       testdata_path("revocation/certs/"));
	(void)snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s",
		       rel);
	s = load_chain_at(path);
	c = sk_X509_shift(s);
	sk_X509_pop_free(s, X509_free);
	return c;
}

/* Path of testdata/revocation/rel in a static buffer. */
static const char *
rev_path(const char *rel)
{
	char r[4096];

	(void)snprintf(r, sizeof(r), "revocation/%s", rel);
	return testdata_path(r);
}

/* Add testdata/revocation/rel to rv: "crl..." and "ocsp..." files or
 * directories, anything else a CRL cache directory. */
static enum ov_code
rv_add(struct ov_revocation *rv, const char *rel, struct ov_err *err)
{
	const char *path = rev_path(rel);

	if (strncmp(rel, "crl", 3) == 0)
		return ov_revocation_add_crl_path(rv, path, err);
	if (strncmp(rel, "ocsp", 4) == 0)
		return ov_revocation_add_ocsp_path(rv, path, err);
	return ov_revocation_add_cache_dir(rv, path, err);
}

/* A struct ov_revocation with the files given (NULL-terminated). */
static struct ov_revocation *
rv_new(const char *first, ...)
{
	struct ov_revocation *rv = NULL;
	struct ov_err err;
	const char *rel;
	va_list ap;

	if (ov_revocation_new(&rv, &err) != OV_OK)
		exit(99);
	va_start(ap, first);
	for (rel = first; rel != NULL; rel = va_arg(ap, const char *)) {
		if (rv_add(rv, rel, &err) != OV_OK) {
			fprintf(stderr, "loading %s: %s\n", rel, err.msg);
			exit(99);
		}
	}
	va_end(ap);
	return rv;
}

/* Check chain with rv, expecting status; the message is left in *res. */
#define CHECK(rv, chain, now, auth, want, res)                                 \
	do {                                                                   \
		struct ov_err e_;                                              \
		ASSERT_OK(ov_revocation_check((rv), (chain), (now), (auth),    \
					      (res), &e_),                     \
			  &e_);                                                \
		if ((res)->status != (want))                                   \
			FAIL("status %d, want %d: %s", (res)->status, (want),  \
			     (res)->message);                                  \
		ASSERT((res)->message != NULL);                                \
	} while (0)

/* One scenario: the chain file, the material, the expected status and
 * a substring of the message. */
static int
scenario(const char *chainfile, int64_t now, int64_t auth,
	 enum ov_rev_status want, const char *needle, const char *first, ...)
{
	struct ov_revocation *rv = NULL;
	STACK_OF(X509) *chain = load_chain(chainfile);
	struct ov_rev_result res = {0};
	struct ov_err err;
	const char *rel;
	va_list ap;
	int ok = 0;

	if (ov_revocation_new(&rv, &err) != OV_OK)
		exit(99);
	va_start(ap, first);
	for (rel = first; rel != NULL; rel = va_arg(ap, const char *)) {
		if (rv_add(rv, rel, &err) != OV_OK) {
			fprintf(stderr, "loading %s: %s\n", rel, err.msg);
			goto out;
		}
	}
	if (ov_revocation_check(rv, chain, now, auth, &res, &err) != OV_OK) {
		fprintf(stderr, "check: %s\n", err.msg);
		goto out;
	}
	if (res.status != want) {
		fprintf(stderr, "status %d, want %d: %s\n", res.status, want,
			res.message);
		goto out;
	}
	if (res.message == NULL ||
	    (needle != NULL && strstr(res.message, needle) == NULL)) {
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n",
			res.message ? res.message : "(null)", needle);
		goto out;
	}
	ok = 1;
out:
	va_end(ap);
	ov_rev_result_clear(&res);
	ov_revocation_free(rv);
	sk_X509_pop_free(chain, X509_free);
	return ok;
}

#define MIN INT64_MIN

TEST(crl_not_revoked)
{
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK,
			"certificate \"" LEAF "\" (CRL from \"" INT "\")",
			"crl/int-empty.crl", "crl/root-empty.crl", NULL));
	/* several CRLs in one PEM file */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, "not revoked",
			"crl/both-empty.pem", NULL));
	/* a whole directory, with every other case in it */
	ASSERT(scenario("chain-noep.pem", NOW, MIN, OV_REV_NONE, NULL, "crl",
			NULL));
}

TEST(crl_revoked_leaf)
{
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificate \"" LEAF "\" is revoked: keyCompromise at "
			"2025-03-01T00:00:00Z (CRL from \"" INT "\")",
			"crl/int-revoked-leaf.crl", "crl/root-empty.crl",
			NULL));
	/* revoked even when the other CRL is missing */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED, "is revoked",
			"crl/int-revoked-leaf.crl", NULL));
}

TEST(crl_revoked_intermediate)
{
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificate \"" INT "\" is revoked: cACompromise at "
			"2025-03-01T00:00:00Z (CRL from \"CN=Ocivet Rev Root,",
			"crl/int-empty.crl", "crl/root-revoked-int.crl", NULL));
	/* the certificate nearest the leaf is named */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificate \"" LEAF "\" is revoked",
			"crl/int-revoked-leaf.crl", "crl/root-revoked-int.crl",
			NULL));
	/* revoked beats unknown, whatever the order */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificate \"" INT "\" is revoked",
			"crl/root-revoked-int.crl", NULL));
}

TEST(crl_wrong_ca)
{
	/* another key under the same name: AKI differs, not a candidate */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"no usable CRL or OCSP response for certificate \"" LEAF
			"\" (fetch " INT_URL "; OCSP responder " OCSP_URL ")",
			"crl/rogue-empty.crl", "crl/root-empty.crl", NULL));
	/* without AKI its signature is checked, and fails: the revocation
	 * it lists is ignored */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"is not signed by the key of \"" INT "\"",
			"crl/rogue-revoked-leaf.crl", "crl/root-empty.crl",
			NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, NULL,
			"crl/rogue-revoked-leaf.crl", "crl/int-empty.crl",
			"crl/root-empty.crl", NULL));
}

TEST(crl_stale)
{
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"CRL from \"" INT
			"\" is stale: nextUpdate 2025-02-01T00:00:00Z",
			"crl/int-stale.crl", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", T(2025, 1, 15), MIN, OV_REV_OK, NULL,
			"crl/int-stale.crl", "crl/root-empty.crl", NULL));
	/* now == nextUpdate is stale already */
	ASSERT(scenario("chain.pem", T(2025, 2, 1), MIN, OV_REV_UNKNOWN,
			"is stale", "crl/int-stale.crl", "crl/root-empty.crl",
			NULL));
	/* a newer CRL wins */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, NULL,
			"crl/int-stale.crl", "crl/int-empty.crl",
			"crl/root-empty.crl", NULL));
	/* before thisUpdate */
	ASSERT(scenario("chain.pem", T(2024, 12, 1), MIN, OV_REV_UNKNOWN,
			"is not valid yet: thisUpdate 2025-01-01T00:00:00Z",
			"crl/int-empty.crl", "crl/root-empty.crl", NULL));
}

TEST(crl_missing)
{
	/* endpoints but nothing on disk: unknown, naming what to fetch */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"no usable CRL or OCSP response for certificate \"" LEAF
			"\" (fetch " INT_URL "; OCSP responder " OCSP_URL ")",
			"crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"no usable CRL for certificate \"" INT
			"\" (fetch " ROOT_URL ")",
			"crl/int-empty.crl", NULL));
}

TEST(no_endpoints)
{
	struct ov_revocation *rv = rv_new(NULL);
	STACK_OF(X509) *chain = load_chain("chain-noep.pem");
	struct ov_rev_result res = {0};

	CHECK(rv, chain, NOW, MIN, OV_REV_NONE, &res);
	ASSERT_STR_HAS(res.message, "no certificate of the chain has");
	ov_rev_result_clear(&res);
	/* a lone root is never checked */
	X509_free(sk_X509_shift(chain));
	X509_free(sk_X509_shift(chain));
	CHECK(rv, chain, NOW, MIN, OV_REV_NONE, &res);
	ov_rev_result_clear(&res);
	sk_X509_pop_free(chain, X509_free);
	/* with endpoints and no material: unknown */
	chain = load_chain("chain.pem");
	CHECK(rv, chain, NOW, MIN, OV_REV_UNKNOWN, &res);
	ov_rev_result_clear(&res);
	sk_X509_pop_free(chain, X509_free);
	ov_revocation_free(rv);
}

TEST(crl_revocation_date)
{
	/* --at before the revocation: not revoked as of then */
	ASSERT(scenario("chain.pem", T(2025, 2, 1), MIN, OV_REV_OK, NULL,
			"crl/int-revoked-leaf.crl", "crl/root-empty.crl",
			NULL));
	ASSERT(scenario("chain.pem", T(2025, 3, 1) - 1, MIN, OV_REV_OK, NULL,
			"crl/int-revoked-leaf.crl", "crl/root-empty.crl",
			NULL));
	ASSERT(scenario("chain.pem", T(2025, 3, 1), MIN, OV_REV_REVOKED,
			"is revoked", "crl/int-revoked-leaf.crl",
			"crl/root-empty.crl", NULL));
}

TEST(crl_invalidity_date)
{
	/* invalidityDate 2025-02-01; no authentic signing time: revoked */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"keyCompromise at 2025-03-01T00:00:00Z",
			"crl/int-invalidity.crl", "crl/root-empty.crl", NULL));
	/* signed before the compromise */
	ASSERT(scenario("chain.pem", NOW, T(2025, 1, 15), OV_REV_OK, NULL,
			"crl/int-invalidity.crl", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, T(2025, 2, 1), OV_REV_REVOKED,
			"is revoked", "crl/int-invalidity.crl",
			"crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, T(2025, 2, 15), OV_REV_REVOKED,
			"is revoked", "crl/int-invalidity.crl",
			"crl/root-empty.crl", NULL));
}

TEST(crl_hold_and_delta)
{
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"is revoked: certificateHold at 2025-03-01T00:00:00Z",
			"crl/int-hold.crl", "crl/root-empty.crl", NULL));
	/* delta 11 on base 10 removes the hold */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK,
			"(CRL and delta CRL from \"" INT "\")",
			"crl/int-hold.crl", "crl/int-delta-remove.crl",
			"crl/root-empty.crl", NULL));
	/* ... from 2025-04-01 on */
	ASSERT(scenario("chain.pem", T(2025, 3, 15), MIN, OV_REV_REVOKED,
			"certificateHold", "crl/int-hold.crl",
			"crl/int-delta-remove.crl", "crl/root-empty.crl",
			NULL));
	/* a delta whose number is not above the base's does not apply */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificateHold", "crl/int-hold.crl",
			"crl/int-delta-remove-lownum.crl", "crl/root-empty.crl",
			NULL));
	/* nor one that needs a newer base (indicator 11 > base 10) */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificateHold", "crl/int-hold.crl",
			"crl/int-delta-remove-highbase.crl",
			"crl/root-empty.crl", NULL));
	/* the applicable delta is picked among several */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, NULL,
			"crl/int-hold.crl", "crl/int-delta-remove-highbase.crl",
			"crl/int-delta-remove.crl",
			"crl/int-delta-remove-lownum.crl", "crl/root-empty.crl",
			NULL));
	/* a delta alone is no base */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN, "no usable CRL",
			"crl/int-delta-remove.crl", "crl/root-empty.crl",
			NULL));
}

TEST(crl_freshest_needs_delta)
{
	ASSERT(scenario("chain-delta.pem", NOW, MIN, OV_REV_UNKNOWN,
			"no usable delta CRL for the CRL from \"" INT "\"",
			"crl/int-base20.crl", "crl/root-empty.crl", NULL));
	ASSERT(scenario(
	    "chain-delta.pem", NOW, MIN, OV_REV_UNKNOWN,
	    "int-base20.crl); fetch http://crl.ocivet.test/int-delta.crl",
	    "crl/int-base20.crl", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain-delta.pem", NOW, MIN, OV_REV_OK,
			"CRL and delta CRL", "crl/int-base20.crl",
			"crl/int-delta21.crl", "crl/root-empty.crl", NULL));
	/* a delta of another base does not count */
	ASSERT(scenario("chain-delta.pem", NOW, MIN, OV_REV_UNKNOWN,
			"no usable delta CRL", "crl/int-base20.crl",
			"crl/int-delta-remove.crl", "crl/root-empty.crl",
			NULL));
}

TEST(crl_unsupported)
{
	ASSERT(scenario(
	    "chain.pem", NOW, MIN, OV_REV_UNKNOWN,
	    "has an unsupported critical extension 1.3.6.1.4.1.55555.1",
	    "crl/int-critical.crl", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain-nocrlsign.pem", NOW, MIN, OV_REV_UNKNOWN,
			"may not sign CRLs (no cRLSign key usage)",
			"crl/nocrlsign-empty.crl", "crl/root-empty.crl", NULL));
}

TEST(cache_dir)
{
	char hex[65];

	ov_revocation_cache_key("http://localhost:10086/leaf.crl", hex);
	ASSERT_STR_EQ(hex, "eaf8bbfe35f6c2c8b136081de9a994f9515752b2e30b9a688"
			   "9ae3128ea97656c");
	ov_revocation_cache_key("http://localhost:10086/intermediate.crl", hex);
	ASSERT_STR_EQ(hex, "ec59c7c03c08507daa79ac3aebb1a2bdc1ee82c10df3ceedd"
			   "9f3ee7e70c3435c");
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, NULL, "cache", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificate \"" LEAF "\" is revoked: keyCompromise",
			"cache-revoked", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, "CRL and delta CRL",
			"cache-delta", "crl/root-empty.crl", NULL));
	/* the cache and a --crl file together: revoked wins over nothing */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED, "is revoked",
			"cache", "crl/int-revoked-leaf.crl", NULL));
}

/* --- temporary directories ---------------------------------------------- */

static char tmpdir[4096];

static const char *
tmp_make(void)
{
	const char *base = getenv("TMPDIR");

	(void)snprintf(tmpdir, sizeof(tmpdir), "%s/t_revocation.XXXXXX",
		       base != NULL ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(99);
	}
	return tmpdir;
}

static void
tmp_put(const char *name, const void *data, size_t len)
{
	char path[4200];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0) {
		perror(path);
		exit(99);
	}
}

static void
tmp_remove(void)
{
	char cmd[4200];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

/* The check of chain.pem with the CRL cache in tmpdir (+ root CRL). */
static int
tmp_cache_check(enum ov_rev_status want, const char *needle,
		const char *extra_crl)
{
	struct ov_revocation *rv = rv_new("crl/root-empty.crl", NULL);
	STACK_OF(X509) *chain = load_chain("chain.pem");
	struct ov_rev_result res = {0};
	struct ov_err err;
	int ok = 0;

	if (ov_revocation_add_cache_dir(rv, tmpdir, &err) != OV_OK ||
	    (extra_crl != NULL &&
	     ov_revocation_add_crl_path(rv, testdata_path(extra_crl), &err) !=
		 OV_OK) ||
	    ov_revocation_check(rv, chain, NOW, MIN, &res, &err) != OV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	if (res.status != want ||
	    (needle != NULL && strstr(res.message, needle) == NULL)) {
		fprintf(stderr, "got %d \"%s\", want %d \"%s\"\n", res.status,
			res.message, want, needle);
		goto out;
	}
	ok = 1;
out:
	ov_rev_result_clear(&res);
	ov_revocation_free(rv);
	sk_X509_pop_free(chain, X509_free);
	return ok;
}

TEST(cache_malformed)
{
	static const char *const bad[] = {
	    "not json",
	    "[]",
	    "{}",
	    "{\"baseCRL\": 1}",
	    "{\"baseCRL\": \"!!!!\"}",
	    "{\"baseCRL\": \"Z2FyYmFnZQ==\"}",
	    "{\"BaseCRL\": \"Z2FyYmFnZQ==\"}",
	    "{\"baseCRL\": \"Z2FyYmFnZQ==\", \"baseCRL\": \"Z2FyYmFnZQ==\"}",
	};
	char key[65], entry[4200];
	struct ov_buf b;
	size_t i;

	ov_revocation_cache_key(INT_URL, key);
	tmp_make();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmp_put(key, bad[i], strlen(bad[i]));
		if (!tmp_cache_check(OV_REV_UNKNOWN, "CRL cache entry", NULL)) {
			tmp_remove();
			FAIL("cache entry %s", bad[i]);
		}
		/* other material still works */
		if (!tmp_cache_check(OV_REV_OK, NULL,
				     "revocation/crl/int-empty.crl")) {
			tmp_remove();
			FAIL("cache entry %s with a CRL file", bad[i]);
		}
	}
	/* a good entry with a bad delta */
	read_file_or_die(testdata_path(
			     "revocation/cache/"
			     "663b79e0d2c049d6e360c63dd6ecdc7954157807"
			     "ae6546793c5ffb9e2d01528c"),
			 &b);
	(void)snprintf(entry, sizeof(entry), "%.*s,\"deltaCRL\":\"AAAA\"}",
		       (int)b.len - 1, (const char *)b.data);
	ov_buf_free(&b);
	tmp_put(key, entry, strlen(entry));
	ASSERT(tmp_cache_check(OV_REV_UNKNOWN, "deltaCRL", NULL));
	/* null deltaCRL is no delta */
	read_file_or_die(testdata_path(
			     "revocation/cache/"
			     "663b79e0d2c049d6e360c63dd6ecdc7954157807"
			     "ae6546793c5ffb9e2d01528c"),
			 &b);
	(void)snprintf(entry, sizeof(entry), "%.*s,\"deltaCRL\":null}",
		       (int)b.len - 1, (const char *)b.data);
	ov_buf_free(&b);
	tmp_put(key, entry, strlen(entry));
	ASSERT(tmp_cache_check(OV_REV_OK, NULL, NULL));
	/* a symlinked entry is refused */
	(void)snprintf(entry, sizeof(entry), "%s/%s", tmpdir, key);
	(void)unlink(entry);
	if (symlink(testdata_path("revocation/cache/"
				  "663b79e0d2c049d6e360c63dd6ecdc7954157807"
				  "ae6546793c5ffb9e2d01528c"),
		    entry) != 0) {
		tmp_remove();
		FAIL("symlink");
	}
	ASSERT(tmp_cache_check(OV_REV_UNKNOWN, "symbolic link", NULL));
	tmp_remove();
}

TEST(cache_stale)
{
	char key[65], *entry, *b64;
	struct ov_buf b;

	ov_revocation_cache_key(INT_URL, key);
	read_file_or_die(testdata_path("revocation/crl/int-stale.crl"), &b);
	b64 = ov_b64_encode(b.data, b.len);
	ov_buf_free(&b);
	ASSERT(b64 != NULL);
	entry = malloc(strlen(b64) + 32);
	ASSERT(entry != NULL);
	(void)snprintf(entry, strlen(b64) + 32, "{\"baseCRL\":\"%s\"}", b64);
	free(b64);
	tmp_make();
	tmp_put(key, entry, strlen(entry));
	free(entry);
	ASSERT(tmp_cache_check(
	    OV_REV_UNKNOWN,
	    "is stale: nextUpdate 2025-02-01T00:00:00Z (cache entry", NULL));
	tmp_remove();
}

TEST(ocsp)
{
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK,
			"certificate \"" LEAF "\" (OCSP response from \"" INT
			"\")",
			"ocsp/leaf-good.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, "OCSP response",
			"ocsp/leaf-good-sha256.der", "crl/root-empty.crl",
			NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED,
			"certificate \"" LEAF "\" is revoked: keyCompromise at "
			"2025-03-01T00:00:00Z (OCSP response from \"" INT "\")",
			"ocsp/leaf-revoked.der", "crl/root-empty.crl", NULL));
	/* a definite OCSP answer is not overridden by a CRL */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_REVOKED, "OCSP",
			"ocsp/leaf-revoked.der", "crl/int-empty.crl",
			"crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", T(2025, 2, 1), MIN, OV_REV_OK, NULL,
			"ocsp/leaf-revoked.der", "crl/root-empty.crl", NULL));
	/* delegated responder carrying its certificate */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK,
			"OCSP response from \"CN=Ocivet Rev OCSP Responder,",
			"ocsp/leaf-delegated.der", "crl/root-empty.crl", NULL));
	/* a leaf with OCSP only */
	ASSERT(scenario("chain-ocsp.pem", NOW, MIN, OV_REV_OK, "OCSP",
			"ocsp/leaf-ocsp-good.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario(
	    "chain-ocsp.pem", NOW, MIN, OV_REV_UNKNOWN,
	    "no usable OCSP response for certificate \"CN=Ocivet Rev Leaf "
	    "OCSP,O=Ocivet Test,L=Seattle,ST=WA,C=US\" (OCSP responder " OCSP_URL
	    ")",
	    "ocsp/leaf-good.der", "crl/root-empty.crl", NULL));
	/* a response for another certificate does not match */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"no usable CRL or OCSP response",
			"ocsp/leaf-ocsp-good.der", "crl/root-empty.crl", NULL));
}

TEST(ocsp_unusable)
{
	ASSERT(scenario(
	    "chain.pem", NOW, MIN, OV_REV_UNKNOWN,
	    "leaf-expired.der is stale: nextUpdate 2025-01-02T00:00:00Z",
	    "ocsp/leaf-expired.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", T(2025, 1, 1), MIN, OV_REV_OK, NULL,
			"ocsp/leaf-expired.der", "crl/root-empty.crl", NULL));
	/* falls back to CRLs */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, "(CRL from",
			"ocsp/leaf-expired.der", "crl/int-empty.crl",
			"crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"has no nextUpdate", "ocsp/leaf-nonext.der",
			"crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"is not signed by \"" INT
			"\" or by a responder it authorized",
			"ocsp/leaf-wrong-key.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"or by a responder it authorized",
			"ocsp/leaf-rogue.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"or by a responder it authorized",
			"ocsp/leaf-delegated-nocerts.der", "crl/root-empty.crl",
			NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"has no OCSPSigning extended key usage",
			"ocsp/leaf-noeku.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_UNKNOWN,
			"says the status of \"" LEAF "\" is unknown",
			"ocsp/leaf-unknown.der", "crl/root-empty.crl", NULL));
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, NULL,
			"ocsp/leaf-unknown.der", "crl/int-empty.crl",
			"crl/root-empty.crl", NULL));
	/* the whole directory: the newest usable response decides */
	ASSERT(scenario("chain.pem", NOW, MIN, OV_REV_OK, NULL, "ocsp",
			"crl/root-empty.crl", NULL));
}

TEST(urls)
{
	X509 *leaf = load_cert("leaf.pem"), *noep = load_cert("leaf-noep.pem");
	X509 *delta = load_cert("leaf-delta.pem");
	char **crl = NULL, **ocsp = NULL;
	size_t ncrl = 0, nocsp = 0;
	struct ov_err err;

	ASSERT_OK(ov_revocation_urls(leaf, &crl, &ncrl, &ocsp, &nocsp, &err),
		  &err);
	ASSERT_INT_EQ(ncrl, 1);
	ASSERT_INT_EQ(nocsp, 1);
	ASSERT_STR_EQ(crl[0], INT_URL);
	ASSERT_STR_EQ(ocsp[0], OCSP_URL);
	ov_strv_free(crl, ncrl);
	ov_strv_free(ocsp, nocsp);
	ASSERT_OK(ov_revocation_urls(noep, &crl, &ncrl, &ocsp, &nocsp, &err),
		  &err);
	ASSERT_INT_EQ(ncrl + nocsp, 0);
	ASSERT(crl == NULL && ocsp == NULL);
	ASSERT_OK(ov_revocation_delta_urls(delta, &crl, &ncrl, &err), &err);
	ASSERT_INT_EQ(ncrl, 1);
	ASSERT_STR_EQ(crl[0], "http://crl.ocivet.test/int-delta.crl");
	ov_strv_free(crl, ncrl);
	ASSERT_OK(ov_revocation_delta_urls(leaf, &crl, &ncrl, &err), &err);
	ASSERT_INT_EQ(ncrl, 0);
	X509_free(leaf);
	X509_free(noep);
	X509_free(delta);
}

TEST(describe)
{
	static const char want[] = "issuer: " INT "\n"
				   "thisUpdate: 2025-01-01T00:00:00Z\n"
				   "nextUpdate: 2125-01-01T00:00:00Z\n"
				   "number: 11\n"
				   "type: delta\n"
				   "base number: 10\n"
				   "entries: 1\n"
				   "signature: sha256WithRSAEncryption\n"
				   "authorityKeyId: ";
	struct ov_buf b;
	struct ov_err err;
	char *s = NULL;

	read_file_or_die(testdata_path("revocation/crl/int-delta-remove.crl"),
			 &b);
	ASSERT_OK(ov_crl_describe(b.data, b.len, &s, &err), &err);
	ov_buf_free(&b);
	ASSERT(strncmp(s, want, strlen(want)) == 0);
	free(s);
	s = NULL;
	read_file_or_die(testdata_path("revocation/crl/both-empty.pem"), &b);
	ASSERT_OK(ov_crl_describe(b.data, b.len, &s, &err), &err);
	ov_buf_free(&b);
	ASSERT_STR_HAS(s, "entries: 0\nsignature: sha256WithRSAEncryption\n"
			  "authorityKeyId: ");
	ASSERT_STR_HAS(s, "\n\nissuer: CN=Ocivet Rev Root,");
	ASSERT_STR_HAS(s, "type: base\n");
	free(s);
	ASSERT_CODE(ov_crl_describe((const unsigned char *)"junk", 4, &s, &err),
		    OV_E_FORMAT, &err);
	ASSERT(s == NULL);
	free(s);
}

TEST(load_errors)
{
	struct ov_revocation *rv = rv_new(NULL);
	struct ov_err err;
	OCSP_RESPONSE *resp;
	unsigned char *der = NULL;
	char path[4200];
	int n;

	ASSERT_CODE(ov_revocation_add_crl_path(rv, "/nonexistent/x.crl", &err),
		    OV_E_NOTFOUND, &err);
	ASSERT_CODE(ov_revocation_add_crl_path(rv, rev_path("certs/leaf.pem"),
					       &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "leaf.pem: PEM block 1 is a \"CERTIFICATE\"");
	ASSERT_CODE(ov_revocation_add_crl_path(rv, rev_path("chains"), &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "chain-delta.pem");
	ASSERT_CODE(ov_revocation_add_ocsp_path(rv,
						rev_path("crl/int-empty.crl"),
						&err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "int-empty.crl: not a DER OCSP response");
	ASSERT_CODE(ov_revocation_add_cache_dir(rv, "/nonexistent", &err),
		    OV_E_NOTFOUND, &err);
	ASSERT_CODE(ov_revocation_add_cache_dir(rv,
						rev_path("crl/int-empty.crl"),
						&err),
		    OV_E_CONFIG, &err);
	/* an OCSP response that is no answer */
	resp = OCSP_response_create(OCSP_RESPONSE_STATUS_TRYLATER, NULL);
	ASSERT(resp != NULL);
	n = i2d_OCSP_RESPONSE(resp, &der);
	OCSP_RESPONSE_free(resp);
	ASSERT(n > 0);
	ASSERT_CODE(ov_revocation_add_ocsp_data(rv, der, (size_t)n, "busy.der",
						&err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "busy.der: OCSP response status is trylater");
	OPENSSL_free(der);

	/* directories: symbolic links and sub-directories are refused */
	tmp_make();
	tmp_put("a.crl", "", 0);
	ASSERT_CODE(ov_revocation_add_crl_path(rv, tmpdir, &err), OV_E_CONFIG,
		    &err);
	ASSERT_STR_HAS(err.msg, "a.crl: empty");
	(void)snprintf(path, sizeof(path), "%s/a.crl", tmpdir);
	(void)unlink(path);
	if (symlink(rev_path("crl/int-empty.crl"), path) != 0) {
		tmp_remove();
		FAIL("symlink");
	}
	ASSERT_CODE(ov_revocation_add_crl_path(rv, tmpdir, &err), OV_E_CONFIG,
		    &err);
	ASSERT_STR_HAS(err.msg, "a.crl: not a regular file");
	ASSERT_CODE(ov_revocation_add_crl_path(rv, path, &err), OV_E_CONFIG,
		    &err);
	ASSERT_STR_HAS(err.msg, "is a symbolic link");
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s/sub", tmpdir);
	if (mkdir(path, 0700) != 0) {
		tmp_remove();
		FAIL("mkdir");
	}
	ASSERT_CODE(ov_revocation_add_crl_path(rv, tmpdir, &err), OV_E_CONFIG,
		    &err);
	ASSERT_STR_HAS(err.msg, "sub: not a regular file");
	tmp_remove();
	ov_revocation_free(rv);
}

typedef enum ov_code (*add_fn)(struct ov_revocation *, const unsigned char *,
			       size_t, const char *, struct ov_err *);

/* Every proper prefix of a real CRL or OCSP response is refused,
 * cleanly; the whole is accepted. */
static int
truncations(const char *path, add_fn add)
{
	struct ov_revocation *rv = rv_new(NULL);
	struct ov_err err;
	struct ov_buf b;
	unsigned char *copy;
	size_t n;
	int ok = 1;

	read_file_or_die(path, &b);
	for (n = 0; n < b.len && ok; n++) {
		/* a copy of exactly n bytes, so valgrind sees over-reads */
		if ((copy = malloc(n + 1)) == NULL)
			exit(99);
		memcpy(copy, b.data, n);
		if (add(rv, copy, n, "cut", &err) != OV_E_CONFIG ||
		    strncmp(err.msg, "cut: ", 5) != 0) {
			fprintf(stderr, "%s cut at %zu: %s\n", path, n,
				err.msg);
			ok = 0;
		}
		free(copy);
	}
	if (ok && add(rv, b.data, b.len, "whole", &err) != OV_OK) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		ok = 0;
	}
	ov_buf_free(&b);
	ov_revocation_free(rv);
	return ok;
}

TEST(truncated)
{
	ASSERT(truncations(rev_path("crl/int-revoked-leaf.crl"),
			   ov_revocation_add_crl_data));
	ASSERT(truncations(rev_path("crl/int-delta-remove.crl"),
			   ov_revocation_add_crl_data));
	ASSERT(truncations(rev_path("crl/int-invalidity.crl"),
			   ov_revocation_add_crl_data));
	ASSERT(truncations(rev_path("ocsp/leaf-delegated.der"),
			   ov_revocation_add_ocsp_data));
}

/* A directory of many CRL files loads; one over the limit does not. */
TEST(many_files)
{
	struct ov_revocation *rv = rv_new(NULL);
	STACK_OF(X509) *chain = load_chain("chain.pem");
	struct ov_rev_result res = {0};
	struct ov_err err;
	struct ov_buf b;
	char name[32];
	int i;

	read_file_or_die(rev_path("crl/int-empty.crl"), &b);
	tmp_make();
	for (i = 0; i < 150; i++) {
		(void)snprintf(name, sizeof(name), "%03d.crl", i);
		tmp_put(name, b.data, b.len);
	}
	ASSERT_OK(ov_revocation_add_crl_path(rv, tmpdir, &err), &err);
	ASSERT_OK(ov_revocation_add_crl_path(rv, rev_path("crl/root-empty.crl"),
					     &err),
		  &err);
	CHECK(rv, chain, NOW, MIN, OV_REV_OK, &res);
	ov_rev_result_clear(&res);
	for (; i <= OV_MAX_REVOCATION_FILES; i++) {
		(void)snprintf(name, sizeof(name), "%04d.crl", i);
		tmp_put(name, "", 0);
	}
	ASSERT_CODE(ov_revocation_add_crl_path(rv, tmpdir, &err), OV_E_LIMIT,
		    &err);
	tmp_remove();
	ov_buf_free(&b);
	ov_revocation_free(rv);
	sk_X509_pop_free(chain, X509_free);
}

/* --- CRLs openssl ca cannot make ---------------------------------------- */

enum crl_kind {
	CK_ENTRY_CRITICAL,       /* leaf entry with an unknown critical ext */
	CK_OTHER_ENTRY_CRITICAL, /* the same on another serial number */
	CK_NO_NEXT_UPDATE,
	CK_IDP_CA_ONLY,  /* onlyContainsCACerts */
	CK_IDP_OTHER_DP, /* a partition of another distribution point */
	CK_IDP_SAME_DP,  /* the leaf's distribution point */
	CK_MD5,          /* signed with MD5 */
};

static unsigned char *
make_crl(enum crl_kind kind, size_t *len)
{
	X509 *ca = load_cert("int.pem"), *leaf = load_cert("leaf.pem");
	X509_CRL *crl = X509_CRL_new();
	X509_REVOKED *rev = NULL;
	X509_EXTENSION *ext = NULL;
	ISSUING_DIST_POINT *idp = NULL;
	ASN1_OCTET_STRING *val = ASN1_OCTET_STRING_new();
	ASN1_INTEGER *sn = NULL;
	ASN1_TIME *t = ASN1_TIME_new();
	GENERAL_NAME *gn;
	ASN1_IA5STRING *uri;
	ASN1_OBJECT *obj = NULL;
	EVP_PKEY *key = NULL;
	unsigned char *der = NULL;
	BIO *bio;
	int n;

	bio = BIO_new_file(rev_path("keys/int.key"), "r");
	if (bio == NULL ||
	    (key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)) == NULL)
		exit(99);
	BIO_free(bio);
	if (crl == NULL || t == NULL || val == NULL ||
	    !X509_CRL_set_version(crl, 1) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) ||
	    ASN1_TIME_set(t, (time_t)T(2025, 1, 1)) == NULL ||
	    !X509_CRL_set1_lastUpdate(crl, t) ||
	    ASN1_TIME_set(t, (time_t)T(2125, 1, 1)) == NULL ||
	    (kind != CK_NO_NEXT_UPDATE && !X509_CRL_set1_nextUpdate(crl, t)))
		exit(99);
	if (kind == CK_ENTRY_CRITICAL || kind == CK_OTHER_ENTRY_CRITICAL) {
		sn = kind == CK_ENTRY_CRITICAL
			 ? ASN1_INTEGER_dup(X509_get0_serialNumber(leaf))
			 : ASN1_INTEGER_new();
		if (sn == NULL || (kind == CK_OTHER_ENTRY_CRITICAL &&
				   !ASN1_INTEGER_set(sn, 0x9999)))
			exit(99);
		if ((rev = X509_REVOKED_new()) == NULL ||
		    !X509_REVOKED_set_serialNumber(rev, sn) ||
		    ASN1_TIME_set(t, (time_t)T(2025, 3, 1)) == NULL ||
		    !X509_REVOKED_set_revocationDate(rev, t) ||
		    !ASN1_OCTET_STRING_set(val,
					   (const unsigned char *)"\x05\x00",
					   2) ||
		    (obj = OBJ_txt2obj("1.3.6.1.4.1.55555.2", 1)) == NULL ||
		    (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 1, val)) ==
			NULL ||
		    !X509_REVOKED_add_ext(rev, ext, -1) ||
		    !X509_CRL_add0_revoked(crl, rev))
			exit(99);
		ASN1_INTEGER_free(sn);
		ASN1_OBJECT_free(obj);
		X509_EXTENSION_free(ext);
	}
	if (kind == CK_IDP_CA_ONLY || kind == CK_IDP_OTHER_DP ||
	    kind == CK_IDP_SAME_DP) {
		if ((idp = ISSUING_DIST_POINT_new()) == NULL)
			exit(99);
		if (kind == CK_IDP_CA_ONLY) {
			idp->onlyCA = 1;
		} else {
			if ((idp->distpoint = DIST_POINT_NAME_new()) == NULL ||
			    (idp->distpoint->name.fullname =
				 GENERAL_NAMES_new()) == NULL ||
			    (gn = GENERAL_NAME_new()) == NULL ||
			    (uri = ASN1_IA5STRING_new()) == NULL ||
			    !ASN1_STRING_set(
				uri,
				kind == CK_IDP_SAME_DP
				    ? INT_URL
				    : "http://crl.ocivet.test/other.crl",
				-1))
				exit(99);
			idp->distpoint->type = 0;
			GENERAL_NAME_set0_value(gn, GEN_URI, uri);
			if (!sk_GENERAL_NAME_push(idp->distpoint->name.fullname,
						  gn))
				exit(99);
		}
		if (!X509_CRL_add1_ext_i2d(crl, NID_issuing_distribution_point,
					   idp, 1, 0))
			exit(99);
		ISSUING_DIST_POINT_free(idp);
	}
	if (!X509_CRL_sort(crl) ||
	    !X509_CRL_sign(crl, key,
			   kind == CK_MD5 ? EVP_md5() : EVP_sha256()) ||
	    (n = i2d_X509_CRL(crl, &der)) <= 0)
		exit(99);
	*len = (size_t)n;
	X509_CRL_free(crl);
	ASN1_TIME_free(t);
	ASN1_OCTET_STRING_free(val);
	EVP_PKEY_free(key);
	X509_free(ca);
	X509_free(leaf);
	return der;
}

/* Check chain.pem with a made CRL for the leaf and root-empty.crl. */
static int
made(enum crl_kind kind, enum ov_rev_status want, const char *needle)
{
	struct ov_revocation *rv = rv_new("crl/root-empty.crl", NULL);
	STACK_OF(X509) *chain = load_chain("chain.pem");
	struct ov_rev_result res = {0};
	struct ov_err err;
	unsigned char *der;
	size_t len;
	int ok = 0;

	der = make_crl(kind, &len);
	if (ov_revocation_add_crl_data(rv, der, len, "made.crl", &err) !=
		OV_OK ||
	    ov_revocation_check(rv, chain, NOW, MIN, &res, &err) != OV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	if (res.status != want ||
	    (needle != NULL && strstr(res.message, needle) == NULL)) {
		fprintf(stderr, "kind %d: got %d \"%s\", want %d \"%s\"\n",
			kind, res.status, res.message, want, needle);
		goto out;
	}
	ok = 1;
out:
	OPENSSL_free(der);
	ov_rev_result_clear(&res);
	ov_revocation_free(rv);
	sk_X509_pop_free(chain, X509_free);
	return ok;
}

TEST(crl_made)
{
	ASSERT(made(CK_ENTRY_CRITICAL, OV_REV_UNKNOWN,
		    "revocation status of certificate \"" LEAF
		    "\" is unknown: its "
		    "CRL entry has an unsupported critical extension "
		    "1.3.6.1.4.1.55555.2"));
	ASSERT(made(CK_OTHER_ENTRY_CRITICAL, OV_REV_OK, NULL));
	ASSERT(made(CK_NO_NEXT_UPDATE, OV_REV_UNKNOWN, "has no nextUpdate"));
	ASSERT(made(CK_IDP_CA_ONLY, OV_REV_UNKNOWN,
		    "it covers other kinds of certificates"));
	ASSERT(made(CK_IDP_OTHER_DP, OV_REV_UNKNOWN,
		    "its distribution point is not one of the certificate's"));
	ASSERT(made(CK_IDP_SAME_DP, OV_REV_OK, NULL));
	ASSERT(made(CK_MD5, OV_REV_UNKNOWN,
		    "uses an unsupported signature algorithm"));
}

/* --- upstream vectors --------------------------------------------------- */

static int
e2e(const char *leafcrl, const char *intcrl, enum ov_rev_status want,
    const char *needle)
{
	struct ov_revocation *rv = NULL;
	STACK_OF(X509) *chain = NULL;
	struct ov_rev_result res = {0};
	struct ov_err err;
	char path[4096];
	int ok = 0;

	chain = load_chain_at(
	    vectors_path("notation-e2e/crl/certchain_with_crl.pem"));
	if (ov_revocation_new(&rv, &err) != OV_OK)
		exit(99);
	(void)snprintf(path, sizeof(path), "%s",
		       vectors_path("notation-e2e/crl/"));
	(void)snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s",
		       leafcrl);
	if (ov_revocation_add_crl_path(rv, path, &err) != OV_OK)
		goto out;
	(void)snprintf(path, sizeof(path), "%s",
		       vectors_path("notation-e2e/crl/"));
	(void)snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s",
		       intcrl);
	if (ov_revocation_add_crl_path(rv, path, &err) != OV_OK ||
	    ov_revocation_check(rv, chain, NOW, MIN, &res, &err) != OV_OK)
		goto out;
	if (res.status != want || strstr(res.message, needle) == NULL) {
		fprintf(stderr, "%s + %s: got %d \"%s\", want %d \"%s\"\n",
			leafcrl, intcrl, res.status, res.message, want, needle);
		goto done;
	}
	ok = 1;
	goto done;
out:
	fprintf(stderr, "%s\n", err.msg);
done:
	ov_rev_result_clear(&res);
	ov_revocation_free(rv);
	sk_X509_pop_free(chain, X509_free);
	return ok;
}

TEST(vectors_e2e)
{
	if (vectors_path("notation-e2e/crl") == NULL) {
		fprintf(stderr, "skipped: no vectors\n");
		return;
	}
	ASSERT(e2e("leaf.crl", "intermediate.crl", OV_REV_OK,
		   "certificate \"" E2E_INT "\" (CRL from \"CN=RootCA,"));
	ASSERT(e2e("leaf_revoked.crl", "intermediate.crl", OV_REV_REVOKED,
		   "certificate \"" E2E_LEAF "\" is revoked: unspecified at "
		   "2024-11-11T05:30:52Z (CRL from \"" E2E_INT "\")"));
	ASSERT(e2e("leaf.crl", "intermediate_revoked.crl", OV_REV_REVOKED,
		   "certificate \"" E2E_INT "\" is revoked"));
	ASSERT(e2e(
	    "leaf_expired.crl", "intermediate.crl", OV_REV_UNKNOWN,
	    "no usable CRL for certificate \"" E2E_LEAF
	    "\" (fetch http://localhost:10086/leaf.crl): CRL from \"" E2E_INT
	    "\" is signed by another key of its issuer"));
}

/* The e2e CRLs served from a notation cache directory. */
TEST(vectors_e2e_cache)
{
	static const char *const urls[] =
	    {"http://localhost:10086/leaf.crl",
	     "http://localhost:10086/intermediate.crl"};
	static const char *const files[] = {"leaf.crl", "intermediate.crl"};
	struct ov_revocation *rv = NULL;
	STACK_OF(X509) *chain;
	struct ov_rev_result res = {0};
	struct ov_err err;
	struct ov_buf b;
	char key[65], path[4096], *b64, *entry;
	size_t i;

	if (vectors_path("notation-e2e/crl") == NULL) {
		fprintf(stderr, "skipped: no vectors\n");
		return;
	}
	tmp_make();
	for (i = 0; i < 2; i++) {
		(void)snprintf(path, sizeof(path), "%s",
			       vectors_path("notation-e2e/crl/"));
		(void)snprintf(path + strlen(path), sizeof(path) - strlen(path),
			       "%s", files[i]);
		read_file_or_die(path, &b);
		b64 = ov_b64_encode(b.data, b.len);
		ov_buf_free(&b);
		entry = malloc(strlen(b64) + 32);
		if (entry == NULL)
			exit(99);
		(void)snprintf(entry, strlen(b64) + 32, "{\"baseCRL\":\"%s\"}",
			       b64);
		ov_revocation_cache_key(urls[i], key);
		tmp_put(key, entry, strlen(entry));
		free(entry);
		free(b64);
	}
	chain = load_chain_at(
	    vectors_path("notation-e2e/crl/certchain_with_crl.pem"));
	if (ov_revocation_new(&rv, &err) != OV_OK ||
	    ov_revocation_add_cache_dir(rv, tmpdir, &err) != OV_OK)
		exit(99);
	ASSERT_OK(ov_revocation_check(rv, chain, NOW, MIN, &res, &err), &err);
	ASSERT_INT_EQ(res.status, OV_REV_OK);
	ov_rev_result_clear(&res);
	/* entries are read per check, not kept */
	tmp_remove();
	ASSERT_OK(ov_revocation_check(rv, chain, NOW, MIN, &res, &err), &err);
	ASSERT_INT_EQ(res.status, OV_REV_UNKNOWN);
	ASSERT_STR_HAS(res.message, "fetch http://localhost:10086/leaf.crl");
	ov_rev_result_clear(&res);
	ov_revocation_free(rv);
	sk_X509_pop_free(chain, X509_free);
}

TEST(vectors_ncg)
{
	static const struct {
		const char *file;
		int n; /* delta URLs; -1: malformed */
	} cases[] = {
	    {"certificateWithDeltaCRL.cer", 1},
	    {"certificateWith2DeltaCRL.cer", 2},
	    {"certificateWithZeroDeltaCRLURL.cer", 0},
	    {"certificateWithNonURIDeltaCRL.cer", 0},
	    {"certificateWithIncompleteFreshestCRL.cer", -1},
	    {"certificateWithIncompleteFreshestCRL2.cer", 0},
	};
	STACK_OF(X509) *s;
	struct ov_err err;
	struct ov_buf b;
	char path[4096], **urls = NULL, *desc = NULL;
	size_t i, n = 0;

	if (vectors_path("notation-core-go/revocation/crl") == NULL) {
		fprintf(stderr, "skipped: no vectors\n");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(path, sizeof(path), "%s",
			       vectors_path(
				   "notation-core-go/revocation/crl/"));
		(void)snprintf(path + strlen(path), sizeof(path) - strlen(path),
			       "%s", cases[i].file);
		s = load_chain_at(path);
		if (cases[i].n < 0) {
			ASSERT_CODE(ov_revocation_delta_urls(sk_X509_value(s,
									   0),
							     &urls, &n, &err),
				    OV_E_FORMAT, &err);
			ASSERT_STR_HAS(err.msg,
				       "invalid freshest CRL extension");
		} else {
			ASSERT_OK(ov_revocation_delta_urls(sk_X509_value(s, 0),
							   &urls, &n, &err),
				  &err);
			ASSERT_INT_EQ(n, cases[i].n);
			if (n > 0)
				ASSERT_STR_HAS(urls[0], "cmd=deltacrl");
			ov_strv_free(urls, n);
		}
		sk_X509_pop_free(s, X509_free);
	}
	read_file_or_die(vectors_path(
			     "notation-core-go/revocation/crl/delta.crl"),
			 &b);
	ASSERT_OK(ov_crl_describe(b.data, b.len, &desc, &err), &err);
	ov_buf_free(&b);
	ASSERT_STR_HAS(desc, "number: 5\ntype: delta\nbase number: 4\n");
	ASSERT_STR_HAS(desc, "issuer: CN=ManagementCA,");
	free(desc);
	read_file_or_die(vectors_path("notation-core-go/revocation/crl/"
				      "crlWithMultipleFreshestCRLs.crl"),
			 &b);
	ASSERT_OK(ov_crl_describe(b.data, b.len, &desc, &err), &err);
	ov_buf_free(&b);
	ASSERT_STR_HAS(desc, "type: base\n");
	ASSERT_STR_HAS(desc, "cmd=deltacrl");
	free(desc);
}

int
main(void)
{
	RUN(crl_not_revoked);
	RUN(crl_revoked_leaf);
	RUN(crl_revoked_intermediate);
	RUN(crl_wrong_ca);
	RUN(crl_stale);
	RUN(crl_missing);
	RUN(no_endpoints);
	RUN(crl_revocation_date);
	RUN(crl_invalidity_date);
	RUN(crl_hold_and_delta);
	RUN(crl_freshest_needs_delta);
	RUN(crl_unsupported);
	RUN(cache_dir);
	RUN(cache_malformed);
	RUN(cache_stale);
	RUN(ocsp);
	RUN(ocsp_unusable);
	RUN(urls);
	RUN(describe);
	RUN(load_errors);
	RUN(truncated);
	RUN(many_files);
	RUN(crl_made);
	RUN(vectors_e2e);
	RUN(vectors_e2e_cache);
	RUN(vectors_ncg);
	return ov_test_done();
}
