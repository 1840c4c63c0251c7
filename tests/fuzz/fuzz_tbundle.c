/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: trust bundle manifests (ov_tbundle_manifest_parse,
 * tbundle.c). A manifest that parses has a valid name, sorted unique
 * paths that pass the path rules, and prints back as JSON that parses to
 * the same files.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tbundle.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_tbundle_manifest *m = NULL, *m2 = NULL;
	struct ov_err err;
	char *json = NULL;
	size_t i;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_tbundle_manifest_parse(data, size, "fuzz.json", &m, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (m != NULL));
	if (m == NULL)
		return 0;
	FUZZ_ASSERT(ov_tbundle_name_valid(m->name));
	for (i = 0; i < m->nfiles; i++) {
		const char *p = m->files[i].path;
		FUZZ_ASSERT(p[0] != '/' && strcmp(p, "..") != 0 &&
			    strncmp(p, "../", 3) != 0 &&
			    strstr(p, "/../") == NULL && strstr(p, "//") == NULL);
		FUZZ_ASSERT(i == 0 ||
			    strcmp(m->files[i - 1].path, m->files[i].path) < 0);
	}
	if (ov_tbundle_manifest_json(m, &json, &err) == OV_OK) {
		FUZZ_ASSERT(ov_tbundle_manifest_parse(json, strlen(json), "again",
				&m2, &err) == OV_OK);
		FUZZ_ASSERT(m2->nfiles == m->nfiles);
		for (i = 0; i < m->nfiles; i++)
			FUZZ_ASSERT(strcmp(m->files[i].path, m2->files[i].path) ==
				    0 &&
				    m->files[i].size == m2->files[i].size);
	}
	free(json);
	ov_tbundle_manifest_free(m2);
	ov_tbundle_manifest_free(m);
	return 0;
}
