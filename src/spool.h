/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A spool: the bytes of blobs captured as a source hashes them, kept in
 * one unlinked temporary file and found again by digest (issue 15,
 * `ocivet export`). A source that has a spool writes each block of a
 * blob to it from the very buffer it hashes, and commits the blob under
 * its digest only after the digest matched; what is exported later is
 * read from here, never from the source again, so a source that changes
 * after it was read cannot change the export. Safe to use from several
 * threads at once (--jobs).
 */
#ifndef OV_SPOOL_H
#define OV_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"

struct ov_spool;

/* One blob being captured: a region of the spool reserved for it. */
struct ov_spool_writer {
	struct ov_spool *s; /* NULL: capturing nothing (every call is a no-op) */
	uint64_t off;       /* where the region starts */
	int64_t size;       /* bytes reserved */
	int64_t pos;        /* bytes written */
	int failed;         /* a write failed: commit refuses */
};

/*
 * A new spool in a temporary file in directory dir, unlinked at once (so
 * nothing is left behind whatever happens). max is the number of bytes it
 * may hold (OV_E_LIMIT past it; 0: no limit but the disk's).
 */
enum ov_code ov_spool_new(const char *dir, uint64_t max, struct ov_spool **out,
    struct ov_err *err);

/* Close and free; s may be NULL. */
void ov_spool_free(struct ov_spool *s);

/* 1 when a blob of digest d has been committed. */
int ov_spool_has(struct ov_spool *s, const struct ov_digest *d);

/*
 * Reserve size bytes for a blob about to be read into *w. With s NULL,
 * or when d (may be NULL) is already committed, *w captures nothing.
 */
enum ov_code ov_spool_begin(struct ov_spool *s, const struct ov_digest *d,
    int64_t size, struct ov_spool_writer *w, struct ov_err *err);

/* The next n bytes of the blob: more than were reserved is refused. */
enum ov_code ov_spool_write(struct ov_spool_writer *w, const void *p,
    size_t n, struct ov_err *err);

/*
 * The blob is complete and hashed to d (the caller compared the digest
 * of exactly the bytes it wrote): record it under d. The first commit of
 * a digest wins (a later one is discarded). A writer that wrote less
 * than it reserved, or failed, records nothing and returns
 * OV_E_INTERNAL.
 */
enum ov_code ov_spool_commit(struct ov_spool_writer *w,
    const struct ov_digest *d, struct ov_err *err);

/*
 * Drop what w captured without committing it (its digest did not match,
 * or it was not needed): the space is reused when nothing was reserved
 * after it. No-op on a writer that committed or captures nothing.
 */
void ov_spool_discard(struct ov_spool_writer *w);

/* begin, write and commit in one: data must hash to d (checked here). */
enum ov_code ov_spool_put(struct ov_spool *s, const struct ov_digest *d,
    const void *data, size_t len, struct ov_err *err);

/* Size of committed blob d in *size; OV_E_NOTFOUND when absent. */
enum ov_code ov_spool_size(struct ov_spool *s, const struct ov_digest *d,
    int64_t *size, struct ov_err *err);

/*
 * Hand the bytes of committed blob d to fn in blocks, hashing them again
 * on the way: OV_E_DIGEST when the spool no longer holds what was
 * committed (fn has then seen bytes it must discard), OV_E_NOTFOUND when
 * d was never committed, else what fn returns.
 */
enum ov_code ov_spool_copy(struct ov_spool *s, const struct ov_digest *d,
    enum ov_code (*fn)(void *ctx, const void *p, size_t n,
	struct ov_err *err),
    void *ctx, struct ov_err *err);

/* Read committed blob d into memory (malloc'd, NUL-terminated, *len
 * bytes), checked as ov_spool_copy() does; OV_E_LIMIT past max bytes. */
enum ov_code ov_spool_read(struct ov_spool *s, const struct ov_digest *d,
    size_t max, unsigned char **data, size_t *len, struct ov_err *err);

#endif
