/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A map from content digests to size_t values (open addressing with
 * linear probing). The hash is SipHash-2-4 under a key drawn for each map:
 * the digests come from the source, and descriptors may name any digest
 * (of a blob that is not there), so an attacker could otherwise make them
 * all collide and lookups take linear time. Used for the nodes of a
 * layout graph, the blobs already checked, the blobs of a bundle and the
 * signatures of an image.
 */
#ifndef OV_DMAP_H
#define OV_DMAP_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

struct ov_dmap_slot;

/* Zero-initialise ({0}) before use; free with ov_dmap_free(). */
struct ov_dmap {
	struct ov_dmap_slot *s;
	size_t cap; /* power of two, or 0 */
	size_t n;
	uint64_t key[2]; /* SipHash key, drawn when s is first allocated */
};

/* 1 and *value (when value is non-NULL) when d is in m, else 0. */
int ov_dmap_get(const struct ov_dmap *m, const struct ov_digest *d,
		size_t *value);

/* Insert d -> value unless d is present (then m is unchanged). */
enum ov_code ov_dmap_put(struct ov_dmap *m, const struct ov_digest *d,
			 size_t value, struct ov_err *err);

/* Insert d -> value, or replace the value when d is present. */
enum ov_code ov_dmap_set(struct ov_dmap *m, const struct ov_digest *d,
			 size_t value, struct ov_err *err);

/* Free the slots and zero m. */
void ov_dmap_free(struct ov_dmap *m);

#endif
