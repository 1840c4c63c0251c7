/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: gzip streams (gzip.c). The input is decoded by every
 * backend built in (zlib, and ISA-L with HAVE_ISAL), whole and fed in
 * in small pieces, and by zlib's own gzip mode member after member as
 * the reference. Properties: a failure has a message; a backend gives the
 * same verdict and message whatever the feeding; with zlib a stream is
 * accepted exactly when zlib's gzip mode accepts it (zero bytes after the
 * last member allowed), with the same bytes; ISA-L accepts whatever zlib
 * accepts, with the same bytes, and refuses what zlib refuses with the
 * same message, but for the deflate data itself (see below).
 */
#include "config.h"

#include <zlib.h>

#include "fuzz.h"
#include "gzip.h"

#define OUT_MAX (256 * 1024) /* output compared, at most (more: a slow target) */

struct run {
	enum ov_code r;
	struct ov_err err;
	unsigned char *out;
	size_t n;
	int capped; /* stopped at OUT_MAX */
};

static void
run_ours(enum ov_gzip_backend b, const uint8_t *data, size_t size, size_t chunk,
	 struct run *o)
{
	struct ov_gzip *g = NULL;
	unsigned char buf[4096];
	size_t off = 0, c, used, made;

	memset(o, 0, sizeof(*o));
	if ((o->out = malloc(OUT_MAX)) == NULL)
		abort();
	if ((o->r = ov_gzip_new(b, &g, &o->err)) != OV_OK)
		abort();
	while (off < size) {
		c = size - off < chunk ? size - off : chunk;
		do {
			o->r = ov_gzip_decode(g, data + off, c, &used, buf,
					      sizeof(buf), &made, &o->err);
			if (o->n + made > OUT_MAX) {
				o->capped = 1;
				goto out;
			}
			memcpy(o->out + o->n, buf, made);
			o->n += made;
			if (o->r != OV_OK)
				goto out;
			off += used;
			c -= used;
		} while (made == sizeof(buf) || c > 0);
	}
	o->r = ov_gzip_end(g, &o->err);
out:
	fuzz_check_err(o->r, &o->err);
	ov_gzip_free(g);
}

/* zlib's gzip mode, member after member; zero bytes may end it */
static void
run_ref(const uint8_t *data, size_t size, struct run *o)
{
	z_stream z;
	unsigned char buf[4096];
	size_t off = 0, i;
	int rc;

	memset(o, 0, sizeof(*o));
	o->r = OV_OK;
	if ((o->out = malloc(OUT_MAX)) == NULL)
		abort();
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		abort();
	do {
		(void)inflateReset(&z);
		z.next_in = (Bytef *)(uintptr_t)(data + off);
		z.avail_in = (uInt)(size - off);
		do {
			z.next_out = buf;
			z.avail_out = sizeof(buf);
			rc = inflate(&z, Z_NO_FLUSH);
			if (o->n + sizeof(buf) - z.avail_out > OUT_MAX) {
				o->capped = 1;
				goto out;
			}
			memcpy(o->out + o->n, buf, sizeof(buf) - z.avail_out);
			o->n += sizeof(buf) - z.avail_out;
			if (rc != Z_OK && rc != Z_STREAM_END) {
				o->r = OV_E_FORMAT;
				goto out;
			}
		} while (rc != Z_STREAM_END);
		off = size - z.avail_in;
		for (i = off; i < size && data[i] == 0; i++)
			;
	} while (i < size);
out:
	inflateEnd(&z);
}

/* a verdict on the deflate data itself (corrupt, or cut inside it) */
static int
deflate_verdict(const struct run *x)
{
	return x->r == OV_E_FORMAT &&
	       (strstr(x->err.msg, "corrupt deflate data") != NULL ||
		strstr(x->err.msg, "truncated gzip input") != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run ref, z[2], is[2];
	struct ov_gzip *g = NULL;
	struct ov_err e;
	int have_isal;
	size_t k;

	have_isal = ov_gzip_new(OV_GZIP_ISAL, &g, &e) == OV_OK;
	ov_gzip_free(g);
	run_ref(data, size, &ref);
	run_ours(OV_GZIP_ZLIB, data, size, size, &z[0]);
	run_ours(OV_GZIP_ZLIB, data, size, size % 13 + 1, &z[1]);
	/* zlib: the same whatever the feeding, and as its gzip mode */
	FUZZ_ASSERT(z[0].capped == z[1].capped);
	FUZZ_ASSERT(z[0].capped || (z[0].r == z[1].r &&
				    strcmp(z[0].err.msg, z[1].err.msg) == 0));
	FUZZ_ASSERT(
	    z[0].capped || z[0].r != OV_OK ||
	    (z[0].n == z[1].n && memcmp(z[0].out, z[1].out, z[0].n) == 0));
	if (!z[0].capped && !ref.capped && z[0].r != OV_E_LIMIT) {
		FUZZ_ASSERT((z[0].r == OV_OK) == (ref.r == OV_OK));
		FUZZ_ASSERT(z[0].n <= ref.n &&
			    memcmp(z[0].out, ref.out, z[0].n) == 0);
		FUZZ_ASSERT(z[0].r != OV_OK || z[0].n == ref.n);
	}
	if (have_isal) {
		run_ours(OV_GZIP_ISAL, data, size, size, &is[0]);
		run_ours(OV_GZIP_ISAL, data, size, size % 13 + 1, &is[1]);
		FUZZ_ASSERT(is[0].capped == is[1].capped);
		FUZZ_ASSERT(is[0].capped ||
			    (is[0].r == is[1].r &&
			     strcmp(is[0].err.msg, is[1].err.msg) == 0));
		FUZZ_ASSERT(is[0].capped || is[0].r != OV_OK ||
			    (is[0].n == is[1].n &&
			     memcmp(is[0].out, is[1].out, is[0].n) == 0));
		/*
		 * ISA-L against zlib: the same verdict, message and bytes,
		 * but on the deflate data itself, where the two inflaters
		 * may stop at different bits of a corrupt stream (a failure
		 * either way, perhaps with the other message), and igzip
		 * does not refuse a Huffman code set that is incomplete
		 * (zlib and Go do): a stream zlib refuses for its deflate
		 * data may pass igzip. Never the reverse.
		 */
		if (!is[0].capped && !z[0].capped) {
			if (z[0].r == OV_OK)
				FUZZ_ASSERT(
				    is[0].r == OV_OK && is[0].n == z[0].n &&
				    memcmp(is[0].out, z[0].out, z[0].n) == 0);
			else if (!deflate_verdict(&z[0]) &&
				 !deflate_verdict(&is[0]))
				FUZZ_ASSERT(
				    is[0].r == z[0].r &&
				    strcmp(is[0].err.msg, z[0].err.msg) == 0);
			else if (deflate_verdict(&is[0]))
				FUZZ_ASSERT(z[0].r == OV_E_FORMAT);
		}
		for (k = 0; k < 2; k++)
			free(is[k].out);
	}
	for (k = 0; k < 2; k++)
		free(z[k].out);
	free(ref.out);
	return 0;
}
