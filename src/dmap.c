/* SPDX-License-Identifier: Apache-2.0 */
/* Digest -> size_t map: open addressing, linear probing, load <= 1/2,
 * keyed SipHash-2-4 (Aumasson and Bernstein) so that collisions cannot be
 * chosen. */
#include "config.h"

#include "dmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* getentropy */

#include <openssl/rand.h>

struct ov_dmap_slot {
	unsigned char used;
	unsigned char alg;
	unsigned char len;
	unsigned char raw[OV_DIGEST_MAX_RAW];
	size_t value;
};

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

static uint64_t
le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* SipHash-2-4 of in[0..n) under key k. */
static uint64_t
siphash(const uint64_t k[2], const unsigned char *in, size_t n)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k[0];
	uint64_t v1 = 0x646f72616e646f6dULL ^ k[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ k[0];
	uint64_t v3 = 0x7465646279746573ULL ^ k[1];
	uint64_t m, b = (uint64_t)n << 56;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (m = 0; i < n; i++)
		m |= (uint64_t)in[i] << (8 * (i % 8));
	b |= m;
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The slot of alg:raw[0..len) (bytes past len are not the digest's). */
static size_t
dhash(const struct ov_dmap *m, const unsigned char *raw, size_t len,
      unsigned char alg)
{
	unsigned char in[1 + OV_DIGEST_MAX_RAW];

	if (len > OV_DIGEST_MAX_RAW)
		len = OV_DIGEST_MAX_RAW;
	in[0] = alg;
	memcpy(in + 1, raw, len);
	return (size_t)siphash(m->key, in, 1 + len) & (m->cap - 1);
}

int
ov_dmap_get(const struct ov_dmap *m, const struct ov_digest *d, size_t *value)
{
	const struct ov_dmap_slot *s;
	size_t i;

	if (m->cap == 0)
		return 0;
	for (i = dhash(m, d->raw, d->len, (unsigned char)d->alg); m->s[i].used;
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

static struct ov_dmap_slot *
find_slot(const struct ov_dmap *m, const struct ov_digest *d)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = dhash(m, d->raw, d->len, (unsigned char)d->alg); m->s[i].used;
	     i = (i + 1) & (m->cap - 1))
		if (m->s[i].alg == (unsigned char)d->alg &&
		    memcmp(m->s[i].raw, d->raw, d->len) == 0)
			return &m->s[i];
	return NULL;
}

/* Insert e into the slots of m (m->s and m->cap as they will be). */
static void
insert(const struct ov_dmap *m, struct ov_dmap_slot *s,
       const struct ov_dmap_slot *e)
{
	size_t i;

	for (i = dhash(m, e->raw, e->len, e->alg); s[i].used;
	     i = (i + 1) & (m->cap - 1))
		;
	s[i] = *e;
}

enum ov_code
ov_dmap_put(struct ov_dmap *m, const struct ov_digest *d, size_t value,
	    struct ov_err *err)
{
	struct ov_dmap_slot e, *ns, *os;
	size_t i, ncap, ocap;

	if (ov_dmap_get(m, d, NULL))
		return OV_OK;
	if ((m->n + 1) * 2 > m->cap) {
		/* getentropy() first: the first RAND_bytes() of a process
		 * sets up OpenSSL's DRBG, a third of a small verify's work */
		if (m->cap == 0 &&
		    getentropy(m->key, sizeof(m->key)) != 0 &&
		    RAND_bytes((unsigned char *)m->key, sizeof(m->key)) != 1)
			return ov_err_ssl(err, OV_E_INTERNAL, "RAND_bytes");
		ncap = m->cap ? m->cap * 2 : 64;
		if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		os = m->s;
		ocap = m->cap;
		m->cap = ncap;
		for (i = 0; i < ocap; i++)
			if (os[i].used)
				insert(m, ns, &os[i]);
		free(os);
		m->s = ns;
	}
	memset(&e, 0, sizeof(e));
	e.used = 1;
	e.alg = (unsigned char)d->alg;
	e.len = (unsigned char)d->len;
	memcpy(e.raw, d->raw, d->len);
	e.value = value;
	insert(m, m->s, &e);
	m->n++;
	return OV_OK;
}

enum ov_code
ov_dmap_set(struct ov_dmap *m, const struct ov_digest *d, size_t value,
	    struct ov_err *err)
{
	struct ov_dmap_slot *s = find_slot(m, d);

	if (s == NULL)
		return ov_dmap_put(m, d, value, err);
	s->value = value;
	return OV_OK;
}

void
ov_dmap_free(struct ov_dmap *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}
