/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict, bounded, read-only reader of bbolt database files (the format
 * of go.etcd.io/bbolt, which containerd's metadata store meta.db uses):
 * the two meta pages and their FNV-1a checksums, branch and leaf pages,
 * nested and inline buckets, overflow pages. The file is read with
 * pread(2) only: never mapped, locked or written, so it can be read while
 * its owner has it open. Every page id, count, offset and length is
 * checked against the file before it is used; descents are bounded in
 * depth, a page met twice in one walk is an error (no cycles), and the
 * pages one database may make the reader visit are counted.
 */
#ifndef OV_BOLT_H
#define OV_BOLT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define OV_BOLT_MAX_FILE ((uint64_t)4 << 30) /* file size */
#define OV_BOLT_MAX_DEPTH 32         /* B+tree levels below one bucket */
#define OV_BOLT_MAX_NESTING 16       /* buckets inside buckets */
#define OV_BOLT_MAX_VALUE (16 * 1024 * 1024) /* one page with its overflow */
#define OV_BOLT_MAX_VISITS 1000000   /* pages read by one walk */

struct ov_bolt;

/*
 * A bucket: its root page, or (inline buckets) its page held in the
 * parent's value. Handles are small values, valid while their database
 * is open; inline ones own a copy of their page (ov_bolt_bucket_clear).
 */
struct ov_bolt_bucket {
	uint64_t root;          /* 0: inline */
	unsigned char *inline_page;
	size_t inline_len;
	int nesting;
};

/*
 * Open the database in fd (borrowed; the caller keeps it open and
 * closes it after ov_bolt_free). name is for messages. Chooses the meta
 * page with a valid checksum and the highest transaction id.
 * OV_E_FORMAT for a file that is not a bbolt database or is corrupt.
 */
enum ov_code ov_bolt_open(int fd, const char *name, struct ov_bolt **out,
    struct ov_err *err);

void ov_bolt_free(struct ov_bolt *db);

/* The transaction id of the meta page in use. */
uint64_t ov_bolt_txid(const struct ov_bolt *db);

/*
 * Re-read both meta pages: OV_OK when the chosen one is still the newest
 * valid one (nothing was committed since ov_bolt_open), OV_E_FORMAT
 * otherwise. A reader that takes no lock calls this after reading.
 */
enum ov_code ov_bolt_unchanged(const struct ov_bolt *db, struct ov_err *err);

/* The root bucket (holds the top-level buckets). */
void ov_bolt_root(const struct ov_bolt *db, struct ov_bolt_bucket *out);

void ov_bolt_bucket_clear(struct ov_bolt_bucket *b);

/*
 * The child bucket of parent named key. OV_E_NOTFOUND when absent,
 * OV_E_FORMAT when key names a value, not a bucket.
 */
enum ov_code ov_bolt_bucket(struct ov_bolt *db,
    const struct ov_bolt_bucket *parent, const void *key, size_t klen,
    struct ov_bolt_bucket *out, struct ov_err *err);

/*
 * The value of key in bucket b, copied into *val (malloc'd, NUL
 * appended for convenience, *vlen excludes it). OV_E_NOTFOUND when
 * absent, OV_E_FORMAT when key names a bucket.
 */
enum ov_code ov_bolt_get(struct ov_bolt *db, const struct ov_bolt_bucket *b,
    const void *key, size_t klen, unsigned char **val, size_t *vlen,
    struct ov_err *err);

/*
 * Call fn for every key of bucket b in order, with its value (or, for a
 * child bucket, is_bucket set and the bucket header as value). The
 * pointers are valid during the call only. A nonzero return of fn stops
 * the walk and is returned as the code (fn fills err).
 */
typedef enum ov_code (*ov_bolt_fn)(void *ctx, const unsigned char *key,
    size_t klen, const unsigned char *val, size_t vlen, int is_bucket,
    struct ov_err *err);

/* The bucket a foreach call saw (is_bucket) with value val, in parent. */
enum ov_code ov_bolt_bucket_value(struct ov_bolt *db,
    const struct ov_bolt_bucket *parent, const unsigned char *val,
    size_t vlen, struct ov_bolt_bucket *out, struct ov_err *err);

enum ov_code ov_bolt_foreach(struct ov_bolt *db,
    const struct ov_bolt_bucket *b, ov_bolt_fn fn, void *ctx,
    struct ov_err *err);

#endif
