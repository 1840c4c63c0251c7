/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: strict JSON (json.c), the layer under every JSON parser.
 * A document that parses must have unique member names, also as Go folds
 * them (no two top-level names match one struct field), so lookup by
 * name finds each member itself; the typed accessors must agree with
 * the member's type.
 */
#include "config.h"

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "json.h"

static const char *const known[] = {
    "mediaType",    "digest",        "size",   "annotations",
    "manifests",    "layers",        "config", "subject",
    "artifactType", "schemaVersion", NULL,
};

static void
check_member(const cJSON *obj, const cJSON *m)
{
	const char *s = NULL;
	const cJSON *o = NULL;
	int64_t i = 0;
	struct ov_err err;
	enum ov_code r;

	FUZZ_ASSERT(ov_json_get(obj, m->string) == m);

	ov_err_clear(&err);
	r = ov_json_string(obj, m->string, 1, "fuzz", &s, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (cJSON_IsString(m) != 0));
	FUZZ_ASSERT(r != OV_OK || s == m->valuestring);

	ov_err_clear(&err);
	r = ov_json_int64(obj, m->string, 1, "fuzz", &i, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT(r != OV_OK || cJSON_IsNumber(m));

	ov_err_clear(&err);
	r = ov_json_object(obj, m->string, 1, "fuzz", &o, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (cJSON_IsObject(m) != 0));

	ov_err_clear(&err);
	r = ov_json_array(obj, m->string, 1, "fuzz", &o, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (cJSON_IsArray(m) != 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc = NULL;
	const cJSON *m;
	struct ov_err err;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_json_parse(data, size, "fuzz", &doc, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (doc != NULL));
	if (doc == NULL)
		return 0;
	if (cJSON_IsObject(doc)) {
		const cJSON *n;
		size_t i = 0;

		for (m = doc->child; m != NULL; m = m->next) {
			check_member(doc, m);
			/* pairwise, for the first members only */
			for (n = m->next; n != NULL && i < 64; n = n->next)
				FUZZ_ASSERT(
				    !ov_json_fold_equal(m->string, n->string));
			i++;
		}
		(void)ov_json_case_variant(doc, known, NULL);
		ov_err_clear(&err);
		r = ov_json_only_keys(doc, known, "fuzz", &err);
		fuzz_check_err(r, &err);
	}
	cJSON_Delete(doc);
	return 0;
}
