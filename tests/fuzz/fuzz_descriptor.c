/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: one OCI descriptor object (ov_descriptor_parse), the unit
 * of every manifest, index and Notary payload. A parsed descriptor has a
 * valid media type, a non-negative size and a canonical digest, and
 * survives a deep copy.
 */
#include "config.h"

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "json.h"
#include "manifest.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_descriptor d, c;
	struct ov_digest again;
	cJSON *doc = NULL;
	struct ov_err err;
	enum ov_code r;

	if (ov_json_parse(data, size, "fuzz", &doc, &err) != OV_OK)
		return 0;
	ov_err_clear(&err);
	r = ov_descriptor_parse(doc, "fuzz", &d, &err);
	fuzz_check_err(r, &err);
	cJSON_Delete(doc);
	if (r != OV_OK)
		return 0;
	FUZZ_ASSERT(d.media_type != NULL && d.size >= 0);
	FUZZ_ASSERT(ov_digest_parse(d.digest.str, &again, &err) == OV_OK);
	FUZZ_ASSERT(ov_digest_equal(&again, &d.digest));
	if (ov_descriptor_copy(&c, &d, &err) == OV_OK) {
		FUZZ_ASSERT(ov_descriptor_same(&c, &d));
		FUZZ_ASSERT((c.platform == NULL) == (d.platform == NULL));
		FUZZ_ASSERT(c.nannotations == d.nannotations);
		ov_descriptor_clear(&c);
	}
	ov_descriptor_clear(&d);
	return 0;
}
