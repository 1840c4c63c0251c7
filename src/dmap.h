/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A map from content digests to size_t values (open addressing with
 * linear probing; digests are uniformly random, so their first bytes
 * are the hash). Used for the nodes of a layout graph, the blobs already
 * checked and the blobs of a bundle.
 */
#ifndef OV_DMAP_H
#define OV_DMAP_H

#include <stddef.h>

#include "digest.h"
#include "err.h"

struct ov_dmap_slot;

/* Zero-initialise ({0}) before use; free with ov_dmap_free(). */
struct ov_dmap {
	struct ov_dmap_slot *s;
	size_t cap; /* power of two, or 0 */
	size_t n;
};

/* 1 and *value (when value is non-NULL) when d is in m, else 0. */
int ov_dmap_get(const struct ov_dmap *m, const struct ov_digest *d,
		size_t *value);

/* Insert d -> value unless d is present (then m is unchanged). */
enum ov_code ov_dmap_put(struct ov_dmap *m, const struct ov_digest *d,
			 size_t value, struct ov_err *err);

/* Free the slots and zero m. */
void ov_dmap_free(struct ov_dmap *m);

#endif
