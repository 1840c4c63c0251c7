/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming layer decompression and hashing (OCI image-spec layer.md). */
#include "config.h"

#include "decomp.h"

#include <archive.h> /* libarchive's */
#include <archive_entry.h>
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "archive.h" /* OV_ARCHIVE_ZSTD_WINDOW_LOG */
#include "gzip.h"
#include "spool.h"

#define DECOMP_BLOCK (256 * 1024)

enum ov_compression
ov_compression_of(const char *mt)
{
	size_t n;

	if (mt == NULL)
		return OV_COMP_UNKNOWN;
	n = strlen(mt);
	if ((n >= 5 && strcmp(mt + n - 5, "+gzip") == 0) ||
	    (n >= 8 && strcmp(mt + n - 8, ".tar.gzip") == 0))
		return OV_COMP_GZIP;
	if (n >= 5 && strcmp(mt + n - 5, "+zstd") == 0)
		return OV_COMP_ZSTD;
	if ((n >= 4 && strcmp(mt + n - 4, ".tar") == 0) ||
	    strcmp(mt, "application/vnd.docker.image.rootfs.diff.tar") == 0)
		return OV_COMP_NONE;
	return OV_COMP_UNKNOWN;
}

const char *
ov_compression_name(enum ov_compression c)
{
	switch (c) {
	case OV_COMP_NONE:
		return "uncompressed";
	case OV_COMP_GZIP:
		return "gzip";
	case OV_COMP_ZSTD:
		return "zstd";
	case OV_COMP_UNKNOWN:
		break;
	}
	return "unknown";
}

static enum ov_compression
found_compression(struct archive *a)
{
	int i, n = archive_filter_count(a);

	for (i = 0; i < n; i++) {
		int code = archive_filter_code(a, i);
		if (code == ARCHIVE_FILTER_GZIP)
			return OV_COMP_GZIP;
		if (code == ARCHIVE_FILTER_ZSTD)
			return OV_COMP_ZSTD;
	}
	return OV_COMP_NONE;
}

/*
 * The blob's own bytes as libarchive reads them: each block read from the
 * file is hashed first (the blob digest) when t->h is set, so one pass
 * gives the digest and, from libarchive, the decompressed content.
 */
struct tee {
	int fd;
	struct ov_hash *h; /* NULL: no blob digest */
	unsigned char *buf;
	int64_t total;
	int64_t size;      /* expected; reading stops past it */
	int sha256;        /* h is SHA-256, so it is also a content digest */
	struct ov_spool_writer *cap; /* NULL: nothing captured */
	int err_no;        /* a failed read */
	enum ov_code code; /* a failed hash update or capture */
	struct ov_err err;
	/* a block read (and hashed) ahead, handed out again first */
	size_t replay;
};

static ssize_t
tee_read(struct archive *a, void *ctx, const void **out)
{
	struct tee *t = ctx;
	ssize_t n;

	(void)a;
	if (t->replay > 0) {
		n = (ssize_t)t->replay;
		t->replay = 0;
		*out = t->buf;
		return n;
	}
	if (t->err_no != 0 || t->code != OV_OK ||
	    (t->h != NULL && t->total > t->size))
		return 0;
	do
		n = read(t->fd, t->buf, DECOMP_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		t->err_no = errno;
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	t->total += n;
	if (t->h != NULL && n > 0) {
		if (t->total > t->size)
			return 0; /* changed while being read */
		if ((t->code = ov_hash_update(t->h, t->buf, (size_t)n,
			 &t->err)) != OV_OK ||
		    (t->cap != NULL &&
			(t->code = ov_spool_write(t->cap, t->buf, (size_t)n,
			     &t->err)) != OV_OK))
			return 0;
	}
	*out = t->buf;
	return n;
}

/*
 * zstd decoded here, not by libarchive's filter, which sets no window
 * limit: a frame may ask for 128 MiB (2 GiB with --long), and each --jobs
 * task decoding a layer would hold it. first: the block already read.
 */
static enum ov_code
zstd_digest(struct archive *a, struct tee *t, const void *first,
    size_t nfirst, uint64_t max_bytes, const char *what,
    struct ov_digest *out, struct ov_err *err)
{
	ZSTD_DStream *zd = NULL;
	ZSTD_inBuffer in = {first, nfirst, 0};
	ZSTD_outBuffer o;
	struct ov_hash *h = NULL;
	unsigned char *ob = NULL;
	const void *p;
	uint64_t total = 0;
	size_t ret = 1;
	ssize_t n;
	int pending = 0;
	enum ov_code r;

	if ((ob = malloc(DECOMP_BLOCK)) == NULL ||
	    (zd = ZSTD_createDStream()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	ret = ZSTD_DCtx_setParameter(zd, ZSTD_d_windowLogMax,
	    OV_ARCHIVE_ZSTD_WINDOW_LOG);
	if (ZSTD_isError(ret)) {
		r = ov_err_set(err, OV_E_INTERNAL, "%s: zstd: %s", what,
		    ZSTD_getErrorName(ret));
		goto out;
	}
	if ((r = ov_hash_new(OV_DIGEST_SHA256, &h, err)) != OV_OK)
		goto out;
	for (;;) {
		if (in.pos == in.size && !pending) {
			if ((n = tee_read(a, t, &p)) < 0) {
				r = ov_err_set(err, OV_E_FORMAT,
				    "%s: corrupt zstd data: %s", what,
				    archive_error_string(a));
				goto out;
			}
			if (n == 0)
				break;
			in.src = p;
			in.size = (size_t)n;
			in.pos = 0;
		}
		o.dst = ob;
		o.size = DECOMP_BLOCK;
		o.pos = 0;
		ret = ZSTD_decompressStream(zd, &o, &in);
		if (ZSTD_isError(ret)) {
			if (ZSTD_getErrorCode(ret) ==
			    ZSTD_error_frameParameter_windowTooLarge)
				r = ov_err_set(err, OV_E_LIMIT,
				    "%s: zstd: a frame needs a window over %d MiB (the limit)",
				    what, 1 << (OV_ARCHIVE_ZSTD_WINDOW_LOG - 20));
			else
				r = ov_err_set(err, OV_E_FORMAT,
				    "%s: corrupt zstd data: %s", what,
				    ZSTD_getErrorName(ret));
			goto out;
		}
		pending = o.pos == o.size;
		total += o.pos;
		if (total > max_bytes) {
			r = ov_err_set(err, OV_E_LIMIT,
			    "%s: decompresses to more than %ju bytes", what,
			    (uintmax_t)max_bytes);
			goto out;
		}
		if ((r = ov_hash_update(h, ob, o.pos, err)) != OV_OK)
			goto out;
	}
	if (ret != 0) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: corrupt zstd data: truncated zstd input", what);
		goto out;
	}
	r = ov_hash_final(h, out, err);
out:
	ov_hash_free(h);
	if (zd != NULL)
		ZSTD_freeDStream(zd);
	free(ob);
	return r;
}

/*
 * gzip decoded by gzip.c rather than libarchive's filter, which checks
 * neither a member's CRC-32 nor its size and stops at trailing garbage
 * (issue 9). first: the block already read.
 */
static enum ov_code
gzip_digest(struct archive *a, struct tee *t, const void *first,
    size_t nfirst, uint64_t max_bytes, const char *what,
    struct ov_digest *out, struct ov_err *err)
{
	struct ov_gzip *g = NULL;
	struct ov_hash *h = NULL;
	unsigned char *ob = NULL;
	const unsigned char *p = first;
	const void *next;
	size_t n = nfirst, used, made;
	uint64_t total = 0;
	ssize_t rn;
	enum ov_code r;

	if ((ob = malloc(DECOMP_BLOCK)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_gzip_new(OV_GZIP_DEFAULT, &g, err)) != OV_OK ||
	    (r = ov_hash_new(OV_DIGEST_SHA256, &h, err)) != OV_OK)
		goto out;
	for (;;) {
		do {
			if ((r = ov_gzip_decode(g, p, n, &used, ob,
			    DECOMP_BLOCK, &made, err)) != OV_OK) {
				ov_err_wrap(err, "%s: corrupt gzip data", what);
				goto out;
			}
			p += used;
			n -= used;
			total += made;
			if (total > max_bytes) {
				r = ov_err_set(err, OV_E_LIMIT,
				    "%s: decompresses to more than %ju bytes",
				    what, (uintmax_t)max_bytes);
				goto out;
			}
			if ((r = ov_hash_update(h, ob, made, err)) != OV_OK)
				goto out;
		} while (made == DECOMP_BLOCK || n > 0);
		if ((rn = tee_read(a, t, &next)) < 0) {
			r = ov_err_set(err, OV_E_FORMAT,
			    "%s: corrupt gzip data: %s", what,
			    archive_error_string(a));
			goto out;
		}
		if (rn == 0)
			break;
		p = next;
		n = (size_t)rn;
	}
	if ((r = ov_gzip_end(g, err)) != OV_OK) {
		ov_err_wrap(err, "%s: corrupt gzip data", what);
		goto out;
	}
	r = ov_hash_final(h, out, err);
out:
	ov_hash_free(h);
	ov_gzip_free(g);
	free(ob);
	return r;
}

/* The content digest of what a (opened on t) decompresses to. */
static enum ov_code
content_digest(struct archive *a, struct tee *t, enum ov_compression expect,
    uint64_t max_bytes, const char *what, struct ov_digest *out,
    struct ov_err *err)
{
	struct archive_entry *ae;
	struct ov_hash *h = NULL;
	enum ov_compression got;
	const void *buf;
	size_t len;
	int64_t off;
	uint64_t total = 0;
	const void *first;
	ssize_t nfirst;
	int rc;
	enum ov_code r;

	/* zstd (magic 28 b5 2f fd) is ours to decode, with a bounded window */
	if ((nfirst = tee_read(a, t, &first)) >= 4 &&
	    memcmp(first, "\x28\xb5\x2f\xfd", 4) == 0) {
		if (expect != OV_COMP_UNKNOWN && expect != OV_COMP_ZSTD)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: its media type says %s, but the content is %s",
			    what, ov_compression_name(expect),
			    ov_compression_name(OV_COMP_ZSTD));
		return zstd_digest(a, t, first, (size_t)nfirst, max_bytes,
		    what, out, err);
	}
	/* and gzip (1f 8b), whose trailers we check (gzip.c) */
	if (nfirst >= 2 && memcmp(first, "\x1f\x8b", 2) == 0) {
		if (expect != OV_COMP_UNKNOWN && expect != OV_COMP_GZIP)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: its media type says %s, but the content is %s",
			    what, ov_compression_name(expect),
			    ov_compression_name(OV_COMP_GZIP));
		return gzip_digest(a, t, first, (size_t)nfirst, max_bytes,
		    what, out, err);
	}
	if (nfirst > 0)
		t->replay = (size_t)nfirst; /* libarchive reads it again */
	/*
	 * Neither gzip nor zstd (decoded above): libarchive's raw format
	 * only, with no filter, so nothing runs a program.
	 */
	if (archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open(a, t, NULL, tee_read, NULL) != ARCHIVE_OK) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: cannot decompress: %s",
		    what, archive_error_string(a));
		goto out;
	}
	rc = archive_read_next_header(a, &ae);
	if (rc == ARCHIVE_EOF) {
		/* an empty blob: the empty content */
		r = ov_digest_of(OV_DIGEST_SHA256, "", 0, out, err);
		goto out;
	}
	if (rc != ARCHIVE_OK) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: cannot decompress: %s",
		    what, archive_error_string(a));
		goto out;
	}
	got = found_compression(a);
	if (expect != OV_COMP_UNKNOWN && got != expect) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: its media type says %s, but the content is %s", what,
		    ov_compression_name(expect), ov_compression_name(got));
		goto out;
	}
	if (got == OV_COMP_NONE && t->sha256 &&
	    (uint64_t)t->size <= max_bytes) {
		/* An uncompressed layer's content is the blob, whose digest
		 * the tee computes: hash it once (issue 9). */
		r = OV_E_UNSUPPORTED; /* the caller's to take */
		goto out;
	}
	if ((r = ov_hash_new(OV_DIGEST_SHA256, &h, err)) != OV_OK)
		goto out;
	for (;;) {
		rc = archive_read_data_block(a, &buf, &len, &off);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK) {
			r = ov_err_set(err, OV_E_FORMAT,
			    "%s: corrupt %s data: %s", what,
			    ov_compression_name(got), archive_error_string(a));
			goto out;
		}
		total += len;
		if (total > max_bytes) {
			r = ov_err_set(err, OV_E_LIMIT,
			    "%s: decompresses to more than %ju bytes", what,
			    (uintmax_t)max_bytes);
			goto out;
		}
		if ((r = ov_hash_update(h, buf, len, err)) != OV_OK)
			goto out;
	}
	r = ov_hash_final(h, out, err);
out:
	ov_hash_free(h);
	return r;
}

enum ov_code
ov_decomp_digest_fd(int fd, enum ov_compression expect, uint64_t max_bytes,
    const char *what, struct ov_digest *out, struct ov_err *err)
{
	struct archive *a = NULL;
	struct tee t;
	enum ov_code r;

	memset(&t, 0, sizeof(t));
	t.fd = fd;
	if ((t.buf = malloc(DECOMP_BLOCK)) == NULL ||
	    (a = archive_read_new()) == NULL) {
		free(t.buf);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	r = content_digest(a, &t, expect, max_bytes, what, out, err);
	archive_read_free(a);
	free(t.buf);
	return r;
}

enum ov_code
ov_decomp_check_fd(int fd, const struct ov_digest *d, int64_t size,
    enum ov_compression expect, uint64_t max_bytes, const char *what,
    struct ov_digest *content, enum ov_code *content_code,
    struct ov_err *content_err, struct ov_spool_writer *cap, struct ov_err *err)
{
	struct archive *a = NULL;
	struct ov_digest got;
	struct tee t;
	ssize_t n;
	enum ov_code r;

	memset(&t, 0, sizeof(t));
	t.fd = fd;
	t.size = size;
	t.sha256 = d->alg == OV_DIGEST_SHA256;
	t.cap = cap;
	*content_code = OV_E_INTERNAL;
	if ((t.buf = malloc(DECOMP_BLOCK)) == NULL ||
	    (a = archive_read_new()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_hash_new(d->alg, &t.h, err)) != OV_OK)
		goto out;
	*content_code = content_digest(a, &t, expect, max_bytes, what, content,
	    content_err);
	/* the rest of the blob, whatever the decompression said */
	while (t.err_no == 0 && t.code == OV_OK && t.total <= size) {
		const void *p;
		if ((n = tee_read(a, &t, &p)) <= 0)
			break;
	}
	if (t.err_no != 0) {
		r = ov_err_set(err, OV_E_IO, "blob %s: read: %s", d->str,
		    strerror(t.err_no));
		goto out;
	}
	if (t.code != OV_OK) {
		*err = t.err;
		r = t.code;
		goto out;
	}
	if (t.total != size) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "blob %s: changed while being read (size differs from %jd)",
		    d->str, (intmax_t)size);
		goto out;
	}
	if ((r = ov_hash_final(t.h, &got, err)) != OV_OK)
		goto out;
	if (!ov_digest_equal(&got, d)) {
		r = ov_err_set(err, OV_E_DIGEST,
		    "blob %s: content does not match its digest (it hashes to %s)",
		    d->str, got.str);
		goto out;
	}
	if (*content_code == OV_E_UNSUPPORTED) {
		/* uncompressed: its content digest is its SHA-256 */
		*content = got;
		*content_code = OV_OK;
	}
	r = OV_OK;
out:
	ov_hash_free(t.h);
	archive_read_free(a);
	free(t.buf);
	return r;
}
