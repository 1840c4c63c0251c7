/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzip streams (RFC 1952 sections 2.2 and 2.3): our framing over a raw
 * deflate inflater (RFC 1951), ISA-L's igzip or zlib. Both backends see
 * only deflate data and report only "corrupt", "needs more" or "ended",
 * so what is accepted and every message come from this file.
 */
#include "config.h"

#include "gzip.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#define GZ_READ (1024 * 1024)        /* fd form: bytes per read(2) */
#define STEP_MAX ((uint32_t)1 << 30) /* bytes per inflater call */

/* FLG bits (RFC 1952 2.3.1) */
#define FHCRC 0x02
#define FEXTRA 0x04
#define FNAME 0x08
#define FCOMMENT 0x10
#define FRESERVED 0xe0

enum gz_state {
	S_HEADER,  /* in a member header, at g->stage */
	S_DATA,    /* in its deflate data */
	S_TRAILER, /* in its CRC-32 and ISIZE */
	S_BETWEEN, /* after a member: another one, zero padding or the end */
	S_ZEROS,   /* in the zero padding after the last member */
};

enum h_stage { H_FIXED, H_XLEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_DONE };

struct ov_gzip {
	enum ov_gzip_backend backend; /* OV_GZIP_ZLIB or OV_GZIP_ISAL */
	enum gz_state state;
	uint64_t member; /* the member being read (1-based) */
	uint64_t done;   /* members whose trailer was checked */
	/* the header */
	enum h_stage stage;
	unsigned char hb[10]; /* the fixed part, then XLEN, then CRC16 */
	size_t nhb;
	size_t hlen;   /* header bytes so far */
	size_t skip;   /* FEXTRA bytes still to come */
	uint32_t hcrc; /* CRC-32 of the header bytes so far */
	unsigned flg;
	/* the data and the trailer */
	uint32_t crc;
	uint64_t size;
	unsigned char tr[8];
	size_t ntr;
	z_stream z;
	int z_ready;
#ifdef HAVE_ISAL
	struct inflate_state *is;
#endif
};

const char *
ov_gzip_inflater(void)
{
#ifdef HAVE_ISAL
	return "isa-l";
#else
	return "zlib";
#endif
}

enum ov_code
ov_gzip_new(enum ov_gzip_backend backend, struct ov_gzip **out,
	    struct ov_err *err)
{
	struct ov_gzip *g;

	*out = NULL;
	if (backend == OV_GZIP_DEFAULT)
#ifdef HAVE_ISAL
		backend = OV_GZIP_ISAL;
#else
		backend = OV_GZIP_ZLIB;
#endif
#ifndef HAVE_ISAL
	if (backend == OV_GZIP_ISAL)
		return ov_err_set(err, OV_E_UNSUPPORTED,
				  "gzip: built without ISA-L");
#endif
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	g->backend = backend;
	g->state = S_HEADER;
	g->stage = H_FIXED;
	g->member = 1;
	if (backend == OV_GZIP_ZLIB) {
		if (inflateInit2(&g->z, -15) != Z_OK) {
			free(g);
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		}
		g->z_ready = 1;
	}
#ifdef HAVE_ISAL
	else {
		if ((g->is = malloc(sizeof(*g->is))) == NULL) {
			free(g);
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		}
		isal_inflate_init(g->is);
	}
#endif
	*out = g;
	return OV_OK;
}

void
ov_gzip_free(struct ov_gzip *g)
{
	if (g == NULL)
		return;
	if (g->z_ready)
		inflateEnd(&g->z);
#ifdef HAVE_ISAL
	free(g->is);
#endif
	free(g);
}

uint64_t
ov_gzip_members(const struct ov_gzip *g)
{
	return g->done;
}

/* ------------------------------------------------------------------ */
/* Inflaters: raw deflate only */

/* A new member's deflate data starts. */
static void
data_start(struct ov_gzip *g)
{
	g->state = S_DATA;
	g->crc = 0;
	g->size = 0;
	g->ntr = 0;
	if (g->backend == OV_GZIP_ZLIB)
		(void)inflateReset(&g->z);
#ifdef HAVE_ISAL
	else {
		isal_inflate_reset(g->is);
		g->is->crc_flag = ISAL_GZIP_NO_HDR; /* raw deflate, CRC-32 */
		g->is->crc = 0;
	}
#endif
}

static enum ov_code
corrupt(struct ov_gzip *g, struct ov_err *err)
{
	return ov_err_set(
	    err, OV_E_FORMAT,
	    "gzip member %ju: corrupt deflate data: the archive is corrupt",
	    (uintmax_t)g->member);
}

#ifdef HAVE_ISAL
static enum ov_code
isal_step(struct ov_gzip *g, const unsigned char *in, uint32_t nin,
	  uint32_t *used, unsigned char *out, uint32_t nout, uint32_t *made,
	  int *end, struct ov_err *err)
{
	struct inflate_state *s = g->is;
	uint64_t v;
	int k, ret;

	s->next_in = (uint8_t *)(uintptr_t)in; /* read only */
	s->avail_in = nin;
	s->next_out = out;
	s->avail_out = nout;
	ret = isal_inflate(s);
	*used = nin - s->avail_in;
	*made = nout - s->avail_out;
	if (ret != ISAL_DECOMP_OK)
		return corrupt(g, err);
	g->crc = s->crc;
	if (s->block_state == ISAL_BLOCK_FINISH) {
		/*
		 * igzip reads ahead up to 8 bytes into its bit buffer: the
		 * whole bytes past the deflate end are the trailer's first.
		 */
		k = s->read_in_length / 8;
		v = s->read_in >> (s->read_in_length % 8);
		for (; k > 0 && g->ntr < sizeof(g->tr); k--, v >>= 8)
			g->tr[g->ntr++] = (unsigned char)(v & 0xff);
		if (k != 0)
			return ov_err_set(err, OV_E_INTERNAL,
					  "gzip: igzip read past the trailer");
		s->read_in = 0;
		s->read_in_length = 0;
		*end = 1;
	}
	return OV_OK;
}
#endif

static enum ov_code
zlib_step(struct ov_gzip *g, const unsigned char *in, uint32_t nin,
	  uint32_t *used, unsigned char *out, uint32_t nout, uint32_t *made,
	  int *end, struct ov_err *err)
{
	int rc;

	g->z.next_in = (Bytef *)(uintptr_t)in; /* read only */
	g->z.avail_in = nin;
	g->z.next_out = out;
	g->z.avail_out = nout;
	rc = inflate(&g->z, Z_NO_FLUSH);
	*used = nin - g->z.avail_in;
	*made = nout - g->z.avail_out;
	if (rc == Z_MEM_ERROR)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
		return corrupt(g, err);
	g->crc = (uint32_t)crc32(g->crc, out, *made);
	if (rc == Z_STREAM_END)
		*end = 1;
	return OV_OK;
}

/* One call of the backend; at most 1 GiB in and out. */
static enum ov_code
step(struct ov_gzip *g, const unsigned char *in, size_t nin, uint32_t *used,
     unsigned char *out, size_t nout, uint32_t *made, int *end,
     struct ov_err *err)
{
	uint32_t ni = nin > STEP_MAX ? STEP_MAX : (uint32_t)nin;
	uint32_t no = nout > STEP_MAX ? STEP_MAX : (uint32_t)nout;

#ifdef HAVE_ISAL
	if (g->backend == OV_GZIP_ISAL)
		return isal_step(g, in, ni, used, out, no, made, end, err);
#endif
	return zlib_step(g, in, ni, used, out, no, made, end, err);
}

/* ------------------------------------------------------------------ */
/* Framing */

static enum ov_code
not_gzip(struct ov_gzip *g, struct ov_err *err)
{
	if (g->done == 0)
		return ov_err_set(err, OV_E_FORMAT, "not in gzip format");
	return ov_err_set(
	    err, OV_E_FORMAT,
	    "data after gzip member %ju is neither another member nor zero padding (trailing garbage)",
	    (uintmax_t)g->done);
}

/* The stage after cur, skipping the fields FLG does not announce. */
static enum h_stage
next_stage(unsigned flg, enum h_stage cur)
{
	switch (cur) {
	case H_FIXED:
		if (flg & FEXTRA)
			return H_XLEN;
		/* FALLTHROUGH */
	case H_XLEN:
	case H_EXTRA:
		if (flg & FNAME)
			return H_NAME;
		/* FALLTHROUGH */
	case H_NAME:
		if (flg & FCOMMENT)
			return H_COMMENT;
		/* FALLTHROUGH */
	case H_COMMENT:
		if (flg & FHCRC)
			return H_HCRC;
		/* FALLTHROUGH */
	default:
		return H_DONE;
	}
}

/* the fixed part so far (n bytes in hb) */
static enum ov_code
check_fixed(struct ov_gzip *g, struct ov_err *err)
{
	if ((g->nhb >= 1 && g->hb[0] != 0x1f) ||
	    (g->nhb >= 2 && g->hb[1] != 0x8b))
		return not_gzip(g, err);
	if (g->nhb >= 3 && g->hb[2] != 8)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "gzip member %ju: compression method %u is not deflate",
		    (uintmax_t)g->member, g->hb[2]);
	if (g->nhb >= 4 && (g->hb[3] & FRESERVED) != 0)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "gzip member %ju: reserved flag bits set (FLG 0x%02x)",
		    (uintmax_t)g->member, g->hb[3]);
	return OV_OK;
}

/* Header bytes from p[0..n): *used taken. */
static enum ov_code
header(struct ov_gzip *g, const unsigned char *p, size_t n, size_t *used,
       struct ov_err *err)
{
	const unsigned char *nul;
	enum h_stage was = g->stage;
	size_t take = 0, want;
	enum ov_code r;

	*used = 0;
	switch (g->stage) {
	case H_FIXED:
	case H_XLEN:
	case H_HCRC:
		want = g->stage == H_FIXED ? 10 : 2;
		take = want - g->nhb < n ? want - g->nhb : n;
		memcpy(g->hb + g->nhb, p, take);
		g->nhb += take;
		if (g->stage == H_FIXED && (r = check_fixed(g, err)) != OV_OK)
			return r;
		if (g->nhb < want)
			break;
		if (g->stage == H_FIXED)
			g->flg = g->hb[3];
		else if (g->stage == H_XLEN)
			g->skip = (size_t)g->hb[0] | (size_t)g->hb[1] << 8;
		else if ((g->hcrc & 0xffff) !=
			 ((unsigned)g->hb[0] | (unsigned)g->hb[1] << 8))
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "gzip member %ju: header CRC16 mismatch: the archive is corrupt",
			    (uintmax_t)g->member);
		g->nhb = 0;
		g->stage = g->stage == H_XLEN && g->skip > 0
			       ? H_EXTRA
			       : next_stage(g->flg, g->stage);
		break;
	case H_EXTRA:
		take = g->skip < n ? g->skip : n;
		g->skip -= take;
		if (g->skip == 0)
			g->stage = next_stage(g->flg, H_EXTRA);
		break;
	case H_NAME:
	case H_COMMENT:
		if ((nul = memchr(p, 0, n)) != NULL) {
			take = (size_t)(nul - p) + 1;
			g->stage = next_stage(g->flg, g->stage);
		} else
			take = n;
		break;
	case H_DONE:
		break;
	}
	if (was != H_HCRC) /* the CRC16 covers the bytes before it */
		g->hcrc = (uint32_t)crc32(g->hcrc, p, (uInt)take);
	g->hlen += take;
	*used = take;
	if (g->hlen > OV_GZIP_MAX_HEADER)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "gzip member %ju: header longer than %d bytes (the limit)",
		    (uintmax_t)g->member, OV_GZIP_MAX_HEADER);
	if (g->stage == H_DONE)
		data_start(g);
	return OV_OK;
}

static enum ov_code
trailer(struct ov_gzip *g, struct ov_err *err)
{
	uint32_t crc, isize;

	crc = (uint32_t)g->tr[0] | (uint32_t)g->tr[1] << 8 |
	      (uint32_t)g->tr[2] << 16 | (uint32_t)g->tr[3] << 24;
	isize = (uint32_t)g->tr[4] | (uint32_t)g->tr[5] << 8 |
		(uint32_t)g->tr[6] << 16 | (uint32_t)g->tr[7] << 24;
	if (crc != g->crc)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "gzip member %ju: CRC-32 mismatch: the archive is corrupt",
		    (uintmax_t)g->member);
	if (isize != (uint32_t)g->size)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "gzip member %ju: ISIZE mismatch (the trailer says %ju bytes, the member holds %ju modulo 2^32): the archive is corrupt",
		    (uintmax_t)g->member, (uintmax_t)isize,
		    (uintmax_t)(uint32_t)g->size);
	g->done++;
	g->state = S_BETWEEN;
	return OV_OK;
}

enum ov_code
ov_gzip_decode(struct ov_gzip *g, const void *in, size_t nin, size_t *used,
	       void *out, size_t nout, size_t *made, struct ov_err *err)
{
	const unsigned char *p;
	unsigned char *o;
	size_t n, room, k;
	uint32_t ku, mu;
	int end;
	enum ov_code r = OV_OK;

	*used = 0;
	*made = 0;
	for (;;) {
		p = (const unsigned char *)in + *used;
		n = nin - *used;
		o = (unsigned char *)out + *made;
		room = nout - *made;
		switch (g->state) {
		case S_HEADER:
			if (n == 0)
				return OV_OK;
			r = header(g, p, n, &k, err);
			*used += k;
			break;
		case S_DATA:
			if (room == 0)
				return OV_OK;
			end = 0;
			ku = mu = 0;
			r = step(g, p, n, &ku, o, room, &mu, &end, err);
			*used += ku;
			*made += mu;
			g->size += mu;
			if (r == OV_OK && end)
				g->state = S_TRAILER;
			else if (r == OV_OK && ku == 0 && mu == 0)
				return OV_OK; /* wants input */
			break;
		case S_TRAILER:
			k = sizeof(g->tr) - g->ntr < n ? sizeof(g->tr) - g->ntr
						       : n;
			memcpy(g->tr + g->ntr, p, k);
			g->ntr += k;
			*used += k;
			if (g->ntr < sizeof(g->tr))
				return OV_OK;
			r = trailer(g, err);
			break;
		case S_BETWEEN:
			if (n == 0)
				return OV_OK;
			if (p[0] == 0) {
				g->state = S_ZEROS;
				break;
			}
			g->member++;
			g->state = S_HEADER;
			g->stage = H_FIXED;
			g->nhb = 0;
			g->hlen = 0;
			g->hcrc = 0;
			break;
		case S_ZEROS:
			for (k = 0; k < n; k++)
				if (p[k] != 0)
					return not_gzip(g, err);
			*used += n;
			return OV_OK;
		}
		if (r != OV_OK)
			return r;
	}
}

enum ov_code
ov_gzip_end(struct ov_gzip *g, struct ov_err *err)
{
	if (g->state == S_BETWEEN || g->state == S_ZEROS)
		return OV_OK;
	return ov_err_set(err, OV_E_FORMAT,
			  "truncated gzip input (member %ju ends early)",
			  (uintmax_t)g->member);
}

/* ------------------------------------------------------------------ */
/* The fd form */

struct ov_gzip_src {
	struct ov_gzip *g;
	const unsigned char *head; /* not yet given to the decoder */
	size_t nhead;
	unsigned char *in, *out;
	const unsigned char *ip; /* input not yet taken */
	size_t nip;
	uint64_t taken;
	int in_eof;
	int ended;
};

enum ov_code
ov_gzip_src_new(enum ov_gzip_backend backend, const unsigned char *head,
		size_t nhead, struct ov_gzip_src **out, struct ov_err *err)
{
	struct ov_gzip_src *z;
	enum ov_code r;

	*out = NULL;
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->in = malloc(GZ_READ)) == NULL ||
	    (z->out = malloc(OV_GZIP_BLOCK)) == NULL) {
		ov_gzip_src_free(z);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	if ((r = ov_gzip_new(backend, &z->g, err)) != OV_OK) {
		ov_gzip_src_free(z);
		return r;
	}
	z->head = head;
	z->nhead = nhead;
	*out = z;
	return OV_OK;
}

void
ov_gzip_src_free(struct ov_gzip_src *z)
{
	if (z == NULL)
		return;
	ov_gzip_free(z->g);
	free(z->in);
	free(z->out);
	free(z);
}

uint64_t
ov_gzip_src_in(const struct ov_gzip_src *z)
{
	/* not what the inflater took: igzip decodes ahead of zlib */
	return z->taken + z->nip;
}

/* more input into ip: 0, or -1 with err set */
static int
refill(struct ov_gzip_src *z, int fd, const char *what, struct ov_err *err)
{
	ssize_t n;

	if (z->head != NULL) {
		z->ip = z->head;
		z->nip = z->nhead;
		z->head = NULL;
		return 0;
	}
	do
		n = read(fd, z->in, GZ_READ);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		ov_err_set(err, OV_E_IO, "%s: read: %s", what, strerror(errno));
		return -1;
	}
	z->in_eof = n == 0;
	z->ip = z->in;
	z->nip = (size_t)n;
	return 0;
}

int
ov_gzip_src_next(struct ov_gzip_src *z, int fd, const char *what,
		 const void **pp, size_t *np, struct ov_err *err)
{
	size_t made = 0, used, m;

	*pp = z->out;
	*np = 0;
	while (!z->ended && made < OV_GZIP_BLOCK) {
		if (z->nip == 0 && !z->in_eof) {
			if (refill(z, fd, what, err) < 0)
				return -1;
			continue;
		}
		if (ov_gzip_decode(z->g, z->ip, z->nip, &used, z->out + made,
				   OV_GZIP_BLOCK - made, &m, err) != OV_OK) {
			ov_err_wrap(err, "%s", what);
			return -1;
		}
		z->ip += used;
		z->nip -= used;
		z->taken += used;
		made += m;
		if (made == OV_GZIP_BLOCK)
			break;
		if (z->nip != 0) {
			ov_err_set(err, OV_E_INTERNAL,
				   "%s: gzip: the decoder stopped early", what);
			return -1;
		}
		if (z->in_eof) {
			if (ov_gzip_end(z->g, err) != OV_OK) {
				ov_err_wrap(err, "%s", what);
				return -1;
			}
			z->ended = 1;
		}
	}
	*np = made;
	return made > 0;
}
