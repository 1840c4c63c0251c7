/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the Notary payload (ov_payload_parse), the signed JSON
 * that names the image a signature is for. On failure the output is left
 * empty (verify.c does not clear it), so a leak here is a bug.
 */
#include "config.h"

#include "fuzz.h"
#include "manifest.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_descriptor target;
	struct ov_err err;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_payload_parse(data, size, &target, &err);
	fuzz_check_err(r, &err);
	if (r != OV_OK) {
		FUZZ_ASSERT(target.media_type == NULL &&
			    target.annotations == NULL);
		return 0;
	}
	FUZZ_ASSERT(target.media_type != NULL && target.size >= 0);
	FUZZ_ASSERT(ov_descriptor_same(&target, &target));
	ov_descriptor_clear(&target);
	return 0;
}
