/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming layer decompression and hashing (OCI image-spec layer.md). */
#include "config.h"

#include "decomp.h"

#include <archive.h> /* libarchive's */
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

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

enum ov_code
ov_decomp_digest_fd(int fd, enum ov_compression expect, uint64_t max_bytes,
    const char *what, struct ov_digest *out, struct ov_err *err)
{
	struct archive *a = NULL;
	struct archive_entry *ae;
	struct ov_hash *h = NULL;
	enum ov_compression got;
	const void *buf;
	size_t len;
	int64_t off;
	uint64_t total = 0;
	int rc;
	enum ov_code r;

	if ((a = archive_read_new()) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* Only the two layer compressions, nothing that runs a program. */
	if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open_fd(a, fd, DECOMP_BLOCK) != ARCHIVE_OK) {
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
	archive_read_free(a);
	return r;
}
