/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the whole signature evaluation (ov_verify_envelope,
 * verify.c) with the strict trust policy and trust store of
 * testdata/config/strict, at 2026-01-01, for the image that
 * testdata/layouts/jws tags v1. The input is an envelope: JWS when it
 * starts with '{', COSE otherwise.
 *
 * The oracle: an input may verify only if its signing input and signature
 * value are those of a genuine fixture signature for that very image (the
 * ones found in testdata/layouts/ when the target starts). Any other
 * verified input is a forgery, a replayed signature or a bypassed check,
 * and aborts.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>

#include "buf.h"
#include "envelope.h"
#include "fuzz.h"
#include "manifest.h"
#include "ovlimits.h"
#include "policy.h"
#include "result.h"
#include "verify.h"

#define AT 1767225600 /* 2026-01-01T00:00:00Z */
#define MAX_FIXTURE (64 * OV_KIB)

struct genuine {
	struct ov_bytes tbs;
	struct ov_bytes sig;
};

/* Built once by LLVMFuzzerInitialize, read-only afterwards. */
static struct {
	struct ov_verifier *v;
	const struct ov_policy_statement *st;
	struct ov_descriptor target;
	struct genuine *genuine;
	size_t ngenuine;
	size_t nverified; /* genuine ones that verify */
} fz;

/* The fixtures this target needs are missing or no longer fit it. */
static void
setup_failed(const char *why)
{
	fprintf(stderr, "fuzz_verify: %s\n", why);
	abort();
}

static const char *
media_type_of(const uint8_t *data, size_t size)
{
	return size > 0 && data[0] == '{' ? OV_MT_JWS : OV_MT_COSE;
}

static int
bytes_equal(const struct ov_bytes *a, const struct ov_bytes *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

static int
bytes_copy(struct ov_bytes *dst, const struct ov_bytes *src)
{
	dst->n = src->n;
	if ((dst->p = malloc(src->n > 0 ? src->n : 1)) == NULL)
		return -1;
	if (src->n > 0)
		memcpy(dst->p, src->p, src->n);
	return 0;
}

static void
teardown(void)
{
	size_t i;

	for (i = 0; i < fz.ngenuine; i++) {
		free(fz.genuine[i].tbs.p);
		free(fz.genuine[i].sig.p);
	}
	free(fz.genuine);
	ov_descriptor_clear(&fz.target);
	ov_verifier_free(fz.v);
	memset(&fz, 0, sizeof(fz));
}

/* out = dir "/" rel; -1 when it does not fit. */
static int
join(char *out, size_t n, const char *dir, const char *rel)
{
	int len = snprintf(out, n, "%s/%s", dir, rel);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int
read_file(const char *path, struct ov_buf *b)
{
	struct ov_err err;

	ov_buf_init(b, MAX_FIXTURE);
	if (ov_buf_read_file(b, AT_FDCWD, path, &err) != OV_OK) {
		ov_buf_free(b);
		return -1;
	}
	return 0;
}

/* The descriptor index.json of layouts/jws tags "v1". */
static int
load_target(const char *testdata)
{
	struct ov_manifest *index = NULL;
	struct ov_buf b;
	struct ov_err err;
	char path[4096];
	const char *tag;
	size_t i;
	int r = -1;

	if (join(path, sizeof(path), testdata, "layouts/jws/index.json") != 0 ||
	    read_file(path, &b) != 0)
		return -1;
	if (ov_manifest_parse(b.data, b.len, OV_MT_OCI_INDEX, "index.json",
			      &index, &err) == OV_OK) {
		for (i = 0; i < index->nchildren && r != 0; i++) {
			tag = ov_annotation_get(index->children[i].annotations,
						index->children[i].nannotations,
						OV_ANN_REF_NAME);
			if (tag != NULL && strcmp(tag, "v1") == 0 &&
			    ov_descriptor_copy(&fz.target, &index->children[i],
					       &err) == OV_OK)
				r = 0;
		}
	}
	ov_manifest_free(index);
	ov_buf_free(&b);
	return r;
}

/* 1 when the envelope verifies (this also loads and caches the trust
 * stores before the first input). */
static int
verifies(const void *data, size_t size)
{
	struct ov_sig_result s;
	struct ov_err err;
	int ok;

	memset(&s, 0, sizeof(s));
	ok = ov_verify_envelope(fz.v, fz.st, &fz.target,
				media_type_of(data, size), data, size, &s,
				&err) == OV_OK &&
	     s.verified;
	ov_sig_result_clear(&s);
	return ok;
}

/* Record the file's envelope when it is a signature for the target. */
static void
add_if_genuine(const char *path)
{
	struct ov_envelope *env = NULL;
	struct ov_descriptor ta;
	struct genuine *g;
	struct ov_buf b;
	struct ov_err err;

	memset(&ta, 0, sizeof(ta));
	if (read_file(path, &b) != 0)
		return;
	if (ov_envelope_parse(media_type_of(b.data, b.len), b.data, b.len, &env,
			      &err) != OV_OK ||
	    ov_payload_parse(env->payload.p, env->payload.n, &ta, &err) !=
		OV_OK)
		goto out;
	if (!ov_descriptor_same(&ta, &fz.target))
		goto out;
	g = realloc(fz.genuine, (fz.ngenuine + 1) * sizeof(*g));
	if (g == NULL)
		goto out;
	fz.genuine = g;
	g = &fz.genuine[fz.ngenuine];
	memset(g, 0, sizeof(*g));
	if (bytes_copy(&g->tbs, &env->tbs) != 0 ||
	    bytes_copy(&g->sig, &env->sig) != 0) {
		free(g->tbs.p);
		free(g->sig.p);
		goto out;
	}
	fz.ngenuine++;
	fz.nverified += verifies(b.data, b.len);
out:
	ov_descriptor_clear(&ta);
	ov_envelope_free(env);
	ov_buf_free(&b);
}

/* Every blob of every fixture layout. */
static void
load_genuine(const char *testdata)
{
	char dir[4096], layout[4096], sub[4096], path[4096];
	struct dirent **layouts = NULL, **blobs = NULL;
	int i, j, nl, nb;

	if (join(dir, sizeof(dir), testdata, "layouts") != 0 ||
	    (nl = scandir(dir, &layouts, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < nl; i++) {
		if (layouts[i]->d_name[0] != '.' &&
		    join(layout, sizeof(layout), dir, layouts[i]->d_name) ==
			0 &&
		    join(sub, sizeof(sub), layout, "blobs/sha256") == 0 &&
		    (nb = scandir(sub, &blobs, NULL, alphasort)) >= 0) {
			for (j = 0; j < nb; j++) {
				if (blobs[j]->d_name[0] != '.' &&
				    join(path, sizeof(path), sub,
					 blobs[j]->d_name) == 0)
					add_if_genuine(path);
				free(blobs[j]);
			}
			free(blobs);
		}
		free(layouts[i]);
	}
	free(layouts);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ov_verify_config cfg;
	struct ov_err err;
	char testdata[4096], policy[4096], store[4096];
	const char *env = getenv("OV_TESTDATA");

	(void)argc;
	(void)argv;
	if (env != NULL && env[0] != '\0') {
		if (join(testdata, sizeof(testdata), env, ".") != 0)
			setup_failed("OV_TESTDATA is too long");
	} else if (join(testdata, sizeof(testdata), OV_SRCDIR, "testdata") !=
		   0) {
		setup_failed("OV_SRCDIR is too long");
	}
	if (join(policy, sizeof(policy), testdata,
		 "config/strict/trustpolicy.oci.json") != 0 ||
	    join(store, sizeof(store), testdata, "config/strict/truststore") !=
		0)
		setup_failed("testdata path is too long");
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = policy;
	cfg.truststore_dir = store;
	cfg.now = AT;
	if (ov_verifier_new(&cfg, &fz.v, &err) != OV_OK)
		setup_failed(err.msg);
	if ((fz.st = ov_policy_select(ov_verifier_policy(fz.v), NULL)) == NULL)
		setup_failed("config/strict has no \"*\" statement");
	if (load_target(testdata) != 0)
		setup_failed("layouts/jws/index.json has no image tagged v1");
	load_genuine(testdata);
	/* Without a verifying signature the oracle would check nothing. */
	if (fz.nverified == 0)
		setup_failed(
		    "no fixture signature for layouts/jws:v1 verifies");
	(void)atexit(teardown);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *mt = media_type_of(data, size);
	struct ov_envelope *env = NULL;
	struct ov_sig_result s;
	struct ov_err err;
	size_t i;
	int genuine = 0;
	enum ov_code r;

	memset(&s, 0, sizeof(s));
	ov_err_clear(&err);
	r = ov_verify_envelope(fz.v, fz.st, &fz.target, mt, data, size, &s,
			       &err);
	fuzz_check_err(r, &err);
	if (s.verified) {
		FUZZ_ASSERT(r == OV_OK && s.code == OV_OK);
		FUZZ_ASSERT(s.checks[OV_CHECK_INTEGRITY].outcome ==
			    OV_OUTCOME_PASSED);
		FUZZ_ASSERT(s.checks[OV_CHECK_AUTHENTICITY].outcome ==
			    OV_OUTCOME_PASSED);
		FUZZ_ASSERT(ov_envelope_parse(mt, data, size, &env, &err) ==
			    OV_OK);
		for (i = 0; i < fz.ngenuine && !genuine; i++)
			genuine = bytes_equal(&env->tbs, &fz.genuine[i].tbs) &&
				  bytes_equal(&env->sig, &fz.genuine[i].sig);
		FUZZ_ASSERT(genuine);
		ov_envelope_free(env);
	}
	ov_sig_result_clear(&s);
	return 0;
}
