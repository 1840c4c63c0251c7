/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: report merge (merge.c), which reads the JSON and JSONL
 * reports of shards (files other pods wrote). The input is split at
 * 0xff bytes into up to four reports. Whatever they hold, the merge
 * either refuses with a message or writes a report that merges again
 * into itself (JSON) and whose JSONL form merges into the same report.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "merge.h"

static enum ov_code
merge(const unsigned char *const *p, const size_t *n, size_t k, int jsonl,
    struct ov_buf *out, int *status)
{
	struct ov_merge *m = NULL;
	struct ov_err err;
	enum ov_code r;
	size_t i;

	ov_err_clear(&err);
	if ((r = ov_merge_new(&m, &err)) != OV_OK)
		return r;
	for (i = 0; i < k; i++) {
		r = ov_merge_add(m, p[i], n[i], "fuzz", &err);
		fuzz_check_err(r, &err);
		if (r != OV_OK)
			goto out;
	}
	r = ov_merge_finish(m, "fuzz", jsonl, out, status, &err);
	fuzz_check_err(r, &err);
out:
	ov_merge_free(m);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *p[4], *end = data + size, *q;
	size_t n[4], k = 0;
	struct ov_buf a, b, c;
	int s1, s2, s3;
	const unsigned char *pa;
	size_t na;

	p[0] = data;
	while (k < 4) {
		q = memchr(p[k], 0xff, (size_t)(end - p[k]));
		if (q == NULL || k == 3) {
			n[k] = (size_t)(end - p[k]);
			k++;
			break;
		}
		n[k] = (size_t)(q - p[k]);
		p[k + 1] = q + 1;
		k++;
	}
	ov_buf_init(&a, (size_t)64 << 20);
	ov_buf_init(&b, (size_t)64 << 20);
	ov_buf_init(&c, (size_t)64 << 20);
	if (merge(p, n, k, 0, &a, &s1) == OV_OK) {
		/* the merged report is a report: merging it alone gives it */
		pa = a.data;
		na = a.len;
		FUZZ_ASSERT(merge(&pa, &na, 1, 0, &b, &s2) == OV_OK);
		FUZZ_ASSERT(s1 == s2);
		FUZZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
		/* and so is its JSONL form */
		FUZZ_ASSERT(merge(p, n, k, 1, &c, &s3) == OV_OK && s3 == s1);
		b.len = 0;
		pa = c.data;
		na = c.len;
		FUZZ_ASSERT(merge(&pa, &na, 1, 0, &b, &s2) == OV_OK);
		FUZZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	}
	ov_buf_free(&a);
	ov_buf_free(&b);
	ov_buf_free(&c);
	return 0;
}
