/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: `ocivet sign --timestamp-response` inputs (tsreq.c): a
 * timestamp state file and a TimeStampResp. The input is a 4-byte
 * big-endian length N, N bytes of state, then the response.
 * ov_tsreq_state_parse must accept only a state whose envelope signs its
 * target; ov_tsreq_check_response (no TSA root: the token's own
 * certificates as anchors) must hand back a token only when it also
 * parses as one whose imprint is the hash of the envelope's signature.
 */
#include "config.h"

#include <openssl/err.h>

#include "buf.h"
#include "envelope.h"
#include "fuzz.h"
#include "tsa.h"
#include "tsreq.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_tsreq_state st;
	struct ov_envelope *env = NULL;
	struct ov_tsa_result res, parsed;
	struct ov_buf token;
	struct ov_err err;
	size_t n;
	enum ov_code r;

	if (size < 4)
		return 0;
	n = (size_t)data[0] << 24 | (size_t)data[1] << 16 |
	    (size_t)data[2] << 8 | data[3];
	if (n > size - 4)
		return 0;
	ov_err_clear(&err);
	r = ov_tsreq_state_parse(data + 4, n, &st, &env, &err);
	fuzz_check_err(r, &err);
	if (r != OV_OK) {
		FUZZ_ASSERT(env == NULL);
		return 0;
	}
	FUZZ_ASSERT(env != NULL && env->timestamp.n == 0);
	ov_buf_init(&token, OV_TSA_MAX_TOKEN);
	memset(&res, 0, sizeof(res));
	memset(&parsed, 0, sizeof(parsed));
	ov_err_clear(&err);
	r = ov_tsreq_check_response(data + 4 + n, size - 4 - n, &st, env, NULL,
				    &token, &res, &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK) {
		FUZZ_ASSERT(token.len > 0);
		FUZZ_ASSERT(ov_tsa_parse(token.data, token.len, &parsed,
					 &err) == OV_OK);
		FUZZ_ASSERT(parsed.imprint_len == res.imprint_len &&
			    memcmp(parsed.imprint, res.imprint,
				   res.imprint_len) == 0);
	} else {
		FUZZ_ASSERT(token.len == 0);
	}
	ov_tsa_result_clear(&parsed);
	ov_tsa_result_clear(&res);
	ov_buf_free(&token);
	ov_envelope_free(env);
	ov_tsreq_state_clear(&st);
	ERR_clear_error();
	return 0;
}
