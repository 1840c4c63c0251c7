/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzip streams (RFC 1952), the one place for their rules: members in
 * sequence, each a header (ID1 ID2, CM 8, no reserved FLG bits, FEXTRA,
 * FNAME, FCOMMENT, FHCRC checked), raw deflate (RFC 1951) and a trailer
 * whose CRC-32 and ISIZE are checked; after the last member only zero
 * bytes (padding, as GNU gzip accepts) may follow. The framing is ours;
 * deflate is inflated by ISA-L's igzip when built with it (HAVE_ISAL,
 * about 2.7 times zlib's speed), else by zlib, and both give the same
 * verdicts and bytes. Memory is fixed: the inflater's state (deflate's
 * window is 32 KiB) and, for the fd form, one input and one output
 * buffer.
 */
#ifndef OV_GZIP_H
#define OV_GZIP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* bytes in one member header (FEXTRA is up to 65537 bytes): more is
 * OV_E_LIMIT */
#define OV_GZIP_MAX_HEADER (128 * 1024)
/* decompressed bytes per ov_gzip_src_next() block */
#define OV_GZIP_BLOCK (128 * 1024)

enum ov_gzip_backend {
	OV_GZIP_DEFAULT, /* ISA-L when built with it, else zlib */
	OV_GZIP_ZLIB,
	OV_GZIP_ISAL, /* OV_E_UNSUPPORTED when built without it */
};

struct ov_gzip;

/* The inflater OV_GZIP_DEFAULT uses: "isa-l" or "zlib". */
const char *ov_gzip_inflater(void);

/* A decoder for one gzip stream. *out is the caller's (ov_gzip_free). */
enum ov_code ov_gzip_new(enum ov_gzip_backend backend, struct ov_gzip **out,
			 struct ov_err *err);

void ov_gzip_free(struct ov_gzip *g);

/*
 * The feed form: decode from in[0..nin) into out[0..nout). *used gets
 * the input bytes taken, *made the bytes written. It returns when all
 * input is taken and nothing more can be written, or when out is full:
 * call again while *made == nout. Errors are OV_E_FORMAT ("gzip member
 * N: ...") or OV_E_LIMIT; messages do not name the stream (wrap them).
 */
enum ov_code ov_gzip_decode(struct ov_gzip *g, const void *in, size_t nin,
			    size_t *used, void *out, size_t nout, size_t *made,
			    struct ov_err *err);

/*
 * The input ended: OV_OK when it ended after a whole member (and any zero
 * padding), else OV_E_FORMAT "truncated gzip input".
 */
enum ov_code ov_gzip_end(struct ov_gzip *g, struct ov_err *err);

/* Members whose trailer was checked so far. */
uint64_t ov_gzip_members(const struct ov_gzip *g);

/*
 * The fd form, as archive.c reads a compressed archive: the stream's
 * first nhead bytes are head (already read from fd; borrowed, kept by
 * the caller until it frees z), the rest is read from fd.
 */
struct ov_gzip_src;

enum ov_code ov_gzip_src_new(enum ov_gzip_backend backend,
			     const unsigned char *head, size_t nhead,
			     struct ov_gzip_src **out, struct ov_err *err);

void ov_gzip_src_free(struct ov_gzip_src *z);

/*
 * The next block of decompressed bytes (OV_GZIP_BLOCK, less only at the
 * end), borrowed until the next call. 1: a block in *pp, *np; 0: the
 * stream ended where it may; -1: an error, in err.
 */
int ov_gzip_src_next(struct ov_gzip_src *z, int fd, const char *what,
		     const void **pp, size_t *np, struct ov_err *err);

/*
 * Compressed bytes read so far (head included): the same whatever the
 * inflater (igzip decodes further ahead than zlib), for the ratio limit
 * and messages.
 */
uint64_t ov_gzip_src_in(const struct ov_gzip_src *z);

#endif
