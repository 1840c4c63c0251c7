/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: JWS envelopes (ov_jws_parse, jws.c). Two input forms:
 *
 *   - an envelope as stored in a layout (the flattened JWS JSON
 *     serialization), parsed as it is;
 *   - a NUL byte, the decoded protected header JSON, optionally a NUL and
 *     the decoded payload: the target base64url-encodes them into an
 *     envelope with a fixed unprotected header and signature, so that
 *     mutations reach the protected-header rules (crit, alg, times)
 *     instead of breaking the base64url around them.
 *
 * A parsed envelope obeys the shared rules of ov_envelope_check and its
 * signing input is exactly "<protected>.<payload>" as encoded.
 */
#include "config.h"

#include <stdio.h>

#include "b64.h"
#include "buf.h"
#include "envelope.h"
#include "fuzz.h"
#include "ovlimits.h"

/* The payload when the input has none (any well-formed one). */
static const char default_payload[] =
    "{\"targetArtifact\":{\"mediaType\":"
    "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
    "\"sha256:8c04c37fccb33dfc04e84e694f31d8c0"
    "98c003f2f9e00f8afddd342405588799\","
    "\"size\":691}}";

static void
check_envelope(const struct ov_envelope *env)
{
	struct ov_err err;
	size_t i;

	FUZZ_ASSERT(ov_envelope_check(env, "fuzz", &err) == OV_OK);
	FUZZ_ASSERT(env->media_type != NULL &&
		    strcmp(env->media_type, OV_MT_JWS) == 0);
	FUZZ_ASSERT(ov_scheme_name(env->scheme) != NULL);
	FUZZ_ASSERT(ov_sig_alg_jws_name(env->alg) != NULL);
	FUZZ_ASSERT(env->content_type != NULL);
	FUZZ_ASSERT(env->ncerts >= 1 && env->ncerts <= OV_MAX_CHAIN);
	for (i = 0; i < env->ncerts; i++)
		FUZZ_ASSERT(env->certs[i].p != NULL && env->certs[i].n > 0);
	for (i = 0; i < env->nattrs; i++)
		FUZZ_ASSERT(env->attrs[i].name != NULL &&
			    env->attrs[i].value != NULL);
	FUZZ_ASSERT(env->payload.n <= OV_MAX_PAYLOAD);
	FUZZ_ASSERT(env->tbs.p != NULL &&
		    memchr(env->tbs.p, '.', env->tbs.n) != NULL);
}

static void
parse(const void *data, size_t size)
{
	struct ov_envelope *env = NULL;
	struct ov_err err;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_jws_parse(data, size, &env, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (env != NULL));
	if (env != NULL)
		check_envelope(env);
	ov_envelope_free(env);
}

/* Build an envelope from a decoded protected header and payload. */
static void
assemble(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, '\0', size);
	const uint8_t *payload = (const uint8_t *)default_payload;
	size_t hlen = size, plen = strlen(default_payload);
	char *prot = NULL, *pay = NULL;
	struct ov_buf b;
	struct ov_err err;

	if (sep != NULL) {
		hlen = (size_t)(sep - data);
		payload = sep + 1;
		plen = size - hlen - 1;
	}
	ov_buf_init(&b, 4 * OV_MAX_ENVELOPE);
	if ((prot = ov_b64url_encode(data, hlen)) == NULL ||
	    (pay = ov_b64url_encode(payload, plen)) == NULL ||
	    ov_buf_addf(&b, &err,
			"{\"payload\":\"%s\",\"protected\":\"%s\",\"header\":"
			"{\"x5c\":[\"MA==\"],"
			"\"io.cncf.notary.signingAgent\":\"fuzz\"},"
			"\"signature\":\"c2lnbmF0dXJl\"}",
			pay, prot) != OV_OK)
		goto out;
	parse(b.data, b.len);
out:
	free(prot);
	free(pay);
	ov_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == '\0')
		assemble(data + 1, size - 1);
	else
		parse(data, size);
	return 0;
}
