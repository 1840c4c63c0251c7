/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: SOURCE arguments ("PATH", "PATH:TAG", "PATH@DIGEST",
 * "containerd:ROOT#NS:NAME";
 * ov_source_spec_parse, source.c) with a fake file system in which a path
 * exists when its last component is "layout", and repository scopes
 * (ov_scope_validate, ov_scope_from_name). A parsed spec reassembles into
 * the input; a scope derived from a name is valid.
 */
#include "config.h"

#include <stdio.h>

#include "buf.h"
#include "fuzz.h"
#include "policy.h"
#include "source.h"
#include "verify.h"

static int
fake_exists(const char *path, void *ctx)
{
	size_t n = strlen(path);

	(void)ctx;
	return n >= 6 && strcmp(path + n - 6, "layout") == 0 &&
	       (n == 6 || path[n - 7] == '/');
}

static void
check_spec(const char *s)
{
	struct ov_source_spec spec;
	struct ov_buf b;
	struct ov_err err;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_source_spec_parse(s, fake_exists, NULL, &spec, &err);
	fuzz_check_err(r, &err);
	if (r != OV_OK) {
		FUZZ_ASSERT(spec.path == NULL && spec.tag == NULL);
		return;
	}
	if (spec.containerd) {
		/* containerd:[ROOT][#NS][:NAME|@DIGEST]: ROOT and NS get
		 * defaults, so the input does not reassemble; a path that
		 * exists under the full name is a path, never a store */
		FUZZ_ASSERT(strncmp(s, "containerd:", 11) == 0 &&
		    !fake_exists(s, NULL));
		FUZZ_ASSERT(spec.path != NULL && spec.ns != NULL);
		FUZZ_ASSERT(!(spec.has_digest && spec.tag != NULL));
		ov_source_spec_clear(&spec);
		return;
	}
	FUZZ_ASSERT(spec.path != NULL && fake_exists(spec.path, NULL));
	FUZZ_ASSERT(!(spec.has_digest && spec.tag != NULL));
	ov_buf_init(&b, 2 * strlen(s) + 16);
	if (ov_buf_adds(&b, spec.path, &err) == OV_OK &&
	    (spec.tag == NULL ||
	     ov_buf_addf(&b, &err, ":%s", spec.tag) == OV_OK) &&
	    (!spec.has_digest ||
	     ov_buf_addf(&b, &err, "@%s", spec.digest.str) == OV_OK))
		FUZZ_ASSERT(strcmp((const char *)b.data, s) == 0);
	ov_buf_free(&b);
	ov_source_spec_clear(&spec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_err err;
	char *s, *scope;
	enum ov_code r;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	check_spec(s);

	ov_err_clear(&err);
	r = ov_scope_validate(s, &err);
	fuzz_check_err(r, &err);
	if ((scope = ov_scope_from_name(s)) != NULL) {
		FUZZ_ASSERT(ov_scope_validate(scope, &err) == OV_OK);
		free(scope);
	}
	free(s);
	return 0;
}
