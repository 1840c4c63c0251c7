/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: trusted-identity distinguished names (ov_dn_parse, dn.c).
 * The input is one DN, or two separated by a newline. A parsed DN has C,
 * ST and O, matches itself, and overlap is symmetric.
 */
#include "config.h"

#include "dn.h"
#include "fuzz.h"

static struct ov_dn *
parse(const char *s)
{
	struct ov_dn *dn = NULL;
	struct ov_err err;
	enum ov_code r;
	size_t i;

	ov_err_clear(&err);
	r = ov_dn_parse(s, &dn, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (dn != NULL));
	if (dn == NULL)
		return NULL;
	FUZZ_ASSERT(dn->n >= 3 && dn->n <= OV_MAX_DN_ATTRS);
	for (i = 0; i < dn->n; i++)
		FUZZ_ASSERT(dn->attrs[i].type != NULL &&
			    dn->attrs[i].value != NULL);
	FUZZ_ASSERT(ov_dn_is_subset(dn, dn));
	return dn;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_dn *a = NULL, *b = NULL;
	char *s, *nl;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	if ((nl = strchr(s, '\n')) != NULL)
		*nl = '\0';
	a = parse(s);
	if (nl != NULL)
		b = parse(nl + 1);
	if (a != NULL && b != NULL)
		FUZZ_ASSERT(ov_dn_overlaps(a, b) == ov_dn_overlaps(b, a));
	ov_dn_free(a);
	ov_dn_free(b);
	free(s);
	return 0;
}
