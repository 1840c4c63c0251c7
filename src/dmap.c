/* SPDX-License-Identifier: Apache-2.0 */
/* Digest -> size_t map: open addressing, linear probing, load <= 1/2. */
#include "config.h"

#include "dmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ov_dmap_slot {
	unsigned char used;
	unsigned char alg;
	unsigned char raw[OV_DIGEST_MAX_RAW];
	size_t value;
};

static size_t
dhash(const unsigned char *raw, unsigned char alg, size_t cap)
{
	uint64_t h;

	memcpy(&h, raw, sizeof(h)); /* digests are uniformly random */
	return (size_t)(h ^ alg) & (cap - 1);
}

int
ov_dmap_get(const struct ov_dmap *m, const struct ov_digest *d, size_t *value)
{
	const struct ov_dmap_slot *s;
	size_t i;

	if (m->cap == 0)
		return 0;
	for (i = dhash(d->raw, (unsigned char)d->alg, m->cap); m->s[i].used;
	     i = (i + 1) & (m->cap - 1)) {
		s = &m->s[i];
		if (s->alg == (unsigned char)d->alg &&
		    memcmp(s->raw, d->raw, d->len) == 0) {
			if (value != NULL)
				*value = s->value;
			return 1;
		}
	}
	return 0;
}

static void
insert(struct ov_dmap_slot *s, size_t cap, const struct ov_dmap_slot *e)
{
	size_t i;

	for (i = dhash(e->raw, e->alg, cap); s[i].used; i = (i + 1) & (cap - 1))
		;
	s[i] = *e;
}

enum ov_code
ov_dmap_put(struct ov_dmap *m, const struct ov_digest *d, size_t value,
	    struct ov_err *err)
{
	struct ov_dmap_slot e, *ns;
	size_t i, ncap;

	if (ov_dmap_get(m, d, NULL))
		return OV_OK;
	if ((m->n + 1) * 2 > m->cap) {
		ncap = m->cap ? m->cap * 2 : 64;
		if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		for (i = 0; i < m->cap; i++)
			if (m->s[i].used)
				insert(ns, ncap, &m->s[i]);
		free(m->s);
		m->s = ns;
		m->cap = ncap;
	}
	memset(&e, 0, sizeof(e));
	e.used = 1;
	e.alg = (unsigned char)d->alg;
	memcpy(e.raw, d->raw, d->len);
	e.value = value;
	insert(m->s, m->cap, &e);
	m->n++;
	return OV_OK;
}

void
ov_dmap_free(struct ov_dmap *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}
