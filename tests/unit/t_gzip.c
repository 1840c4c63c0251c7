/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the gzip reader (RFC 1952): members in sequence, every
 * header flag, the trailer's CRC-32 and ISIZE, truncation at every byte,
 * zero padding and trailing garbage, reserved flags, the header limit,
 * empty members, and the fd form. Each test runs on every backend built
 * in (zlib, and ISA-L when configured with it), which must agree.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "gzip.h"
#include "harness.h"

#define FTEXT 0x01
#define FHCRC 0x02
#define FEXTRA 0x04
#define FNAME 0x08
#define FCOMMENT 0x10

static enum ov_gzip_backend backends[2];
static size_t nbackends;

struct mem {
	unsigned char *p;
	size_t n, cap;
};

static void
put(struct mem *m, const void *p, size_t n)
{
	if (n == 0)
		return; /* m->p may still be NULL */
	if (m->n + n > m->cap) {
		m->cap = (m->n + n) * 2 + 64;
		if ((m->p = realloc(m->p, m->cap)) == NULL)
			abort();
	}
	memcpy(m->p + m->n, p, n);
	m->n += n;
}

static void
put_le32(struct mem *m, uint32_t v)
{
	unsigned char b[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
			      v >> 24};

	put(m, b, 4);
}

/* raw deflate of data (level 6, or 1 when fast) */
static void
deflate_raw(struct mem *m, const void *data, size_t n, int level)
{
	z_stream z;
	unsigned char buf[4096];
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		abort();
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)n;
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = deflate(&z, Z_FINISH);
		put(m, buf, sizeof(buf) - z.avail_out);
	} while (rc == Z_OK);
	if (rc != Z_STREAM_END)
		abort();
	deflateEnd(&z);
}

/*
 * One member of data with the header fields flg asks for (extra, name,
 * comment as given); crc_xor and size_add spoil the trailer.
 */
static void
member(struct mem *m, const void *data, size_t n, unsigned flg,
       const char *extra, const char *name, const char *comment,
       uint32_t crc_xor, uint32_t size_add)
{
	unsigned char fixed[10] = {0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 0, 3};
	size_t start = m->n, xl;
	uint32_t hcrc;
	unsigned char b[2];

	fixed[3] = (unsigned char)flg;
	put(m, fixed, sizeof(fixed));
	if (flg & FEXTRA) {
		xl = strlen(extra);
		b[0] = xl & 0xff;
		b[1] = (unsigned char)(xl >> 8);
		put(m, b, 2);
		put(m, extra, xl);
	}
	if (flg & FNAME)
		put(m, name, strlen(name) + 1);
	if (flg & FCOMMENT)
		put(m, comment, strlen(comment) + 1);
	if (flg & FHCRC) {
		hcrc = (uint32_t)crc32(0, m->p + start, (uInt)(m->n - start));
		b[0] = hcrc & 0xff;
		b[1] = (hcrc >> 8) & 0xff;
		put(m, b, 2);
	}
	deflate_raw(m, data, n, 6);
	put_le32(m, (uint32_t)crc32(0, data, (uInt)n) ^ crc_xor);
	put_le32(m, (uint32_t)n + size_add);
}

/*
 * Decode in[0..n) in chunks of chunk bytes into outputs of osz bytes; the
 * result in *out (the caller's), the verdict returned, err filled.
 */
static enum ov_code
decode(enum ov_gzip_backend b, const unsigned char *in, size_t n, size_t chunk,
       size_t osz, struct mem *out, struct ov_err *err)
{
	struct ov_gzip *g = NULL;
	unsigned char *ob;
	size_t off = 0, c, used, made;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	if ((ob = malloc(osz)) == NULL)
		abort();
	if ((r = ov_gzip_new(b, &g, err)) != OV_OK)
		goto out;
	while (off < n) {
		c = n - off < chunk ? n - off : chunk;
		do {
			if ((r = ov_gzip_decode(g, in + off, c, &used, ob, osz,
						&made, err)) != OV_OK)
				goto out;
			put(out, ob, made);
			off += used;
			c -= used;
		} while (made == osz || c > 0);
	}
	r = ov_gzip_end(g, err);
out:
	ov_gzip_free(g);
	free(ob);
	return r;
}

/* sample data: text-like, compressible, with a stretch of noise */
static void
sample(struct mem *m, size_t n, unsigned seed)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		c = (i / 4096) % 3 == 1
			? (unsigned char)(seed >> 16)
			: (unsigned char)("ocivet gzip "[i % 12]);
		put(m, &c, 1);
	}
}

/*
 * Every backend, several chunk and output sizes: the verdict, the message
 * (contains msg) or the bytes. 0 when all agree with the expectation.
 */
static int
check(const unsigned char *in, size_t n, enum ov_code code, const char *msg,
      const void *want, size_t nwant)
{
	static const size_t chunks[] = {1, 3, 8, 4096, (size_t)-1};
	static const size_t osz[] = {1, 7, 65536};
	struct mem o;
	struct ov_err e;
	size_t bi, ci, oi;
	enum ov_code r;
	int bad;

	for (bi = 0; bi < nbackends; bi++)
		for (ci = 0; ci < 5; ci++)
			for (oi = 0; oi < 3; oi++) {
				memset(&e, 0, sizeof(e));
				r = decode(backends[bi], in, n, chunks[ci],
					   osz[oi], &o, &e);
				bad = r != code ||
				      (code != OV_OK &&
				       strstr(e.msg, msg) == NULL) ||
				      (code == OV_OK &&
				       (o.n != nwant ||
					(nwant > 0 &&
					 memcmp(o.p, want, nwant) != 0)));
				if (bad)
					fprintf(
					    stderr,
					    "backend %zu chunk %zu out %zu: %s (%s), %zu bytes\n",
					    bi, chunks[ci], osz[oi],
					    ov_code_name(r), e.msg, o.n);
				free(o.p);
				if (bad)
					return 1;
			}
	return 0;
}

#define EXPECT(in, n, code, msg, want, nwant)                                  \
	ASSERT(check((in), (n), (code), (msg), (want), (nwant)) == 0)

TEST(one_member)
{
	struct mem d = {0}, g = {0};

	sample(&d, 200000, 1);
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	EXPECT(g.p, g.n, OV_OK, "", d.p, d.n);
	free(d.p);
	free(g.p);
}

TEST(header_flags)
{
	static const unsigned flags[] =
	    {FTEXT,          FEXTRA,
	     FNAME,          FCOMMENT,
	     FHCRC,          FTEXT | FEXTRA | FNAME | FCOMMENT | FHCRC,
	     FEXTRA | FHCRC, FNAME | FHCRC};
	struct mem d = {0}, g;
	size_t i;

	sample(&d, 5000, 2);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		memset(&g, 0, sizeof(g));
		member(&g, d.p, d.n, flags[i], "AB\x04\0xyzw", "layer.tar",
		       "a comment", 0, 0);
		EXPECT(g.p, g.n, OV_OK, "", d.p, d.n);
		free(g.p);
	}
	/* an empty FEXTRA */
	memset(&g, 0, sizeof(g));
	member(&g, d.p, d.n, FEXTRA | FHCRC, "", NULL, NULL, 0, 0);
	EXPECT(g.p, g.n, OV_OK, "", d.p, d.n);
	free(g.p);
	/* a wrong header CRC16 */
	memset(&g, 0, sizeof(g));
	member(&g, d.p, d.n, FNAME | FHCRC, NULL, "x", NULL, 0, 0);
	g.p[12] ^= 1;
	EXPECT(g.p, g.n, OV_E_FORMAT, "gzip member 1: header CRC16 mismatch",
	       NULL, 0);
	free(g.p);
	free(d.p);
}

TEST(trailer_checked)
{
	struct mem d = {0}, g = {0};

	sample(&d, 70000, 3);
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0x80, 0);
	EXPECT(g.p, g.n, OV_E_FORMAT,
	       "gzip member 1: CRC-32 mismatch: the archive is corrupt", NULL,
	       0);
	free(g.p);
	memset(&g, 0, sizeof(g));
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 1);
	EXPECT(
	    g.p, g.n, OV_E_FORMAT,
	    "gzip member 1: ISIZE mismatch (the trailer says 70001 bytes, the member holds 70000 modulo 2^32)",
	    NULL, 0);
	free(g.p);
	/* the second member's trailer too */
	memset(&g, 0, sizeof(g));
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	member(&g, d.p, 10, 0, NULL, NULL, NULL, 1u << 31, 0);
	EXPECT(g.p, g.n, OV_E_FORMAT, "gzip member 2: CRC-32 mismatch", NULL,
	       0);
	free(g.p);
	free(d.p);
}

TEST(truncated_everywhere)
{
	struct mem d = {0}, g = {0}, o;
	struct ov_err e;
	size_t cut, bi;
	enum ov_code r;

	sample(&d, 3000, 4);
	member(&g, d.p, d.n, FEXTRA | FNAME | FCOMMENT | FHCRC, "xy", "n", "c",
	       0, 0);
	for (bi = 0; bi < nbackends; bi++)
		for (cut = 0; cut < g.n; cut++) {
			memset(&e, 0, sizeof(e));
			r = decode(backends[bi], g.p, cut, 5, 4096, &o, &e);
			free(o.p);
			if (r != OV_E_FORMAT ||
			    strstr(e.msg, "truncated gzip input") == NULL)
				FAIL("backend %zu, cut at %zu of %zu: %s (%s)",
				     bi, cut, g.n, ov_code_name(r), e.msg);
		}
	free(g.p);
	free(d.p);
}

TEST(trailing_bytes)
{
	static const unsigned char zeros[1000];
	struct mem d = {0}, g = {0};

	sample(&d, 40000, 5);
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	put(&g, zeros, sizeof(zeros));
	EXPECT(g.p, g.n, OV_OK, "", d.p, d.n);
	put(&g, "x", 1);
	EXPECT(
	    g.p, g.n, OV_E_FORMAT,
	    "data after gzip member 1 is neither another member nor zero padding",
	    NULL, 0);
	free(g.p);
	memset(&g, 0, sizeof(g));
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	put(&g, "PK\3\4", 4);
	EXPECT(
	    g.p, g.n, OV_E_FORMAT,
	    "data after gzip member 1 is neither another member nor zero padding",
	    NULL, 0);
	g.n -= 4;
	put(&g, "\x1f\x8c", 2); /* not quite a member */
	EXPECT(g.p, g.n, OV_E_FORMAT, "(trailing garbage)", NULL, 0);
	g.n -= 2;
	put(&g, "\x1f\x8b\x08", 3); /* a member cut short */
	EXPECT(g.p, g.n, OV_E_FORMAT, "truncated gzip input (member 2", NULL,
	       0);
	free(g.p);
	free(d.p);
}

TEST(members)
{
	struct mem d = {0}, g = {0};

	sample(&d, 300000, 6);
	member(&g, d.p, 100000, FNAME, NULL, "a", NULL, 0, 0);
	member(&g, d.p + 100000, 0, 0, NULL, NULL, NULL, 0, 0); /* empty */
	member(&g, d.p + 100000, 200000, FHCRC, NULL, NULL, NULL, 0, 0);
	EXPECT(g.p, g.n, OV_OK, "", d.p, d.n);
	free(g.p);
	/* one empty member */
	memset(&g, 0, sizeof(g));
	member(&g, "", 0, 0, NULL, NULL, NULL, 0, 0);
	EXPECT(g.p, g.n, OV_OK, "", "", 0);
	free(g.p);
	free(d.p);
}

TEST(bad_headers)
{
	struct mem d = {0}, g = {0}, big = {0};
	size_t i;

	sample(&d, 100, 7);
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	for (i = 0x20; i <= 0x80; i <<= 1) {
		g.p[3] = (unsigned char)i;
		EXPECT(g.p, g.n, OV_E_FORMAT,
		       "gzip member 1: reserved flag bits set", NULL, 0);
	}
	g.p[3] = 0;
	g.p[2] = 7;
	EXPECT(g.p, g.n, OV_E_FORMAT,
	       "gzip member 1: compression method 7 is not deflate", NULL, 0);
	g.p[2] = 8;
	g.p[0] = 0x1e;
	EXPECT(g.p, g.n, OV_E_FORMAT, "not in gzip format", NULL, 0);
	g.p[0] = 0x1f;
	/* reserved bits in the second member */
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	g.p[g.n / 2 + 3] = 0x40;
	EXPECT(g.p, g.n, OV_E_FORMAT, "gzip member 2: reserved flag bits set",
	       NULL, 0);
	free(g.p);
	/* a name past the header limit */
	for (i = 0; i < OV_GZIP_MAX_HEADER; i++)
		put(&big, "n", 1);
	put(&big, "", 1);
	memset(&g, 0, sizeof(g));
	member(&g, d.p, d.n, FNAME, NULL, (const char *)big.p, NULL, 0, 0);
	EXPECT(g.p, g.n, OV_E_LIMIT, "gzip member 1: header longer than", NULL,
	       0);
	free(g.p);
	free(big.p);
	free(d.p);
}

TEST(corrupt_deflate)
{
	struct mem d = {0}, g = {0};

	sample(&d, 1000, 8);
	member(&g, d.p, d.n, 0, NULL, NULL, NULL, 0, 0);
	g.p[10] |= 0x06; /* BTYPE 11, reserved */
	EXPECT(g.p, g.n, OV_E_FORMAT, "gzip member 1: corrupt deflate data",
	       NULL, 0);
	free(g.p);
	free(d.p);
}

/* The fd form through a pipe, the head already read. */
TEST(fd_form)
{
	struct mem d = {0}, g = {0}, o = {0};
	struct ov_gzip_src *z = NULL;
	struct ov_err e;
	const void *p;
	size_t n, bi, total = 0;
	uint64_t ins[2] = {0, 0}; /* the sum of the counts after each block */
	int fds[2], rc;
	pid_t pid;

	sample(&d, 1 << 20, 9);
	member(&g, d.p, d.n, FNAME, NULL, "x", NULL, 0, 0);
	member(&g, d.p, 12345, 0, NULL, NULL, NULL, 0, 0);
	for (bi = 0; bi < nbackends; bi++) {
		ASSERT(pipe(fds) == 0);
		if ((pid = fork()) == 0) {
			close(fds[0]);
			(void)!write(fds[1], g.p + 100, g.n - 100);
			_exit(0);
		}
		close(fds[1]);
		ASSERT_CODE(ov_gzip_src_new(backends[bi], g.p, 100, &z, &e),
			    OV_OK, &e);
		o.n = 0;
		while ((rc = ov_gzip_src_next(z, fds[0], "x.tar.gz", &p, &n,
					      &e)) > 0) {
			ASSERT(n == OV_GZIP_BLOCK || total + n == d.n + 12345);
			put(&o, p, n);
			total += n;
			ins[bi] += ov_gzip_src_in(z);
		}
		ASSERT_INT_EQ(rc, 0);
		ASSERT_INT_EQ(ov_gzip_src_in(z), g.n);
		ov_gzip_src_free(z);
		close(fds[0]);
		while (wait(NULL) > 0)
			;
		ASSERT_INT_EQ(o.n, d.n + 12345);
		ASSERT_MEM_EQ(o.p, d.p, d.n);
		ASSERT_MEM_EQ(o.p + d.n, d.p, 12345);
		total = 0;
	}
	/* the counts the ratio limit sees do not depend on the inflater */
	ASSERT(nbackends < 2 || ins[0] == ins[1]);
	free(o.p);
	free(g.p);
	free(d.p);
}

int
main(void)
{
	struct ov_gzip *g = NULL;
	struct ov_err e;

	backends[nbackends++] = OV_GZIP_ZLIB;
	if (ov_gzip_new(OV_GZIP_ISAL, &g, &e) == OV_OK)
		backends[nbackends++] = OV_GZIP_ISAL;
	ov_gzip_free(g);
	RUN(one_member);
	RUN(header_flags);
	RUN(trailer_checked);
	RUN(truncated_everywhere);
	RUN(trailing_bytes);
	RUN(members);
	RUN(bad_headers);
	RUN(corrupt_deflate);
	RUN(fd_form);
	return ov_test_done();
}
