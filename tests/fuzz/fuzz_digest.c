/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: OCI digest strings (ov_digest_parse, digest.c) and the
 * hashing they name. Only canonical digests parse, so a parsed digest
 * prints back as the input (up to a NUL); hashing the input in one call or in
 * two pieces gives the same digest, which parses again.
 */
#include "config.h"

#include "digest.h"
#include "fuzz.h"

static void
check_hash(enum ov_digest_alg alg, const uint8_t *data, size_t size)
{
	struct ov_digest one, two, again;
	struct ov_hash *h = NULL;
	struct ov_err err;

	if (ov_digest_of(alg, data, size, &one, &err) != OV_OK ||
	    ov_hash_new(alg, &h, &err) != OV_OK)
		return;
	if (ov_hash_update(h, data, size / 2, &err) == OV_OK &&
	    ov_hash_update(h, data + size / 2, size - size / 2, &err) ==
		OV_OK &&
	    ov_hash_final(h, &two, &err) == OV_OK) {
		FUZZ_ASSERT(ov_digest_equal(&one, &two));
		FUZZ_ASSERT(ov_digest_parse(one.str, &again, &err) == OV_OK);
		FUZZ_ASSERT(ov_digest_equal(&one, &again));
	}
	ov_hash_free(h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_digest d, again;
	struct ov_err err;
	enum ov_code r;
	char *s;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	ov_err_clear(&err);
	r = ov_digest_parse(s, &d, &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK) {
		FUZZ_ASSERT(strcmp(d.str, s) == 0);
		FUZZ_ASSERT(d.len == (d.alg == OV_DIGEST_SHA256 ? 32u : 64u));
		FUZZ_ASSERT(ov_digest_parse(d.str, &again, &err) == OV_OK);
		FUZZ_ASSERT(ov_digest_equal(&d, &again));
		FUZZ_ASSERT(strcmp(ov_digest_hex(&d), strchr(d.str, ':') + 1) ==
			    0);
		check_hash(d.alg, data, size);
	}
	free(s);
	if (size > 0)
		check_hash(data[0] & 1 ? OV_DIGEST_SHA512 : OV_DIGEST_SHA256,
			   data, size);
	return 0;
}
