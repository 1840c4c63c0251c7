/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: COSE_Sign1 envelopes (ov_cose_parse, cose.c on libcbor)
 * and the CBOR item walker (ov_cbor_item_len) with its depth and item
 * limits. A parsed envelope obeys the shared rules of ov_envelope_check;
 * the walker never reports an item longer than its input.
 */
#include "config.h"

#include "envelope.h"
#include "fuzz.h"
#include "ovlimits.h"

static void
check_envelope(const struct ov_envelope *env)
{
	struct ov_err err;
	size_t i;

	FUZZ_ASSERT(ov_envelope_check(env, "fuzz", &err) == OV_OK);
	FUZZ_ASSERT(env->media_type != NULL &&
		    strcmp(env->media_type, OV_MT_COSE) == 0);
	FUZZ_ASSERT(ov_scheme_name(env->scheme) != NULL);
	FUZZ_ASSERT(ov_sig_alg_jws_name(env->alg) != NULL);
	FUZZ_ASSERT(env->ncerts <= OV_MAX_CHAIN);
	for (i = 0; i < env->ncerts; i++)
		FUZZ_ASSERT(env->certs[i].p != NULL && env->certs[i].n > 0);
	for (i = 0; i < env->nattrs; i++)
		FUZZ_ASSERT(env->attrs[i].name != NULL &&
			    env->attrs[i].value != NULL);
	FUZZ_ASSERT(env->tbs.p != NULL && env->tbs.n > 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_envelope *env = NULL;
	struct ov_err err;
	size_t n = 0;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_cose_parse(data, size, &env, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (env != NULL));
	if (env != NULL)
		check_envelope(env);
	ov_envelope_free(env);

	ov_err_clear(&err);
	r = ov_cbor_item_len(data, size, &n, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT(r != OV_OK || (n > 0 && n <= size));
	return 0;
}
