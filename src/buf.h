/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable byte buffers with a required maximum size (curl's dynbuf
 * idea): growing past the maximum fails with OV_E_LIMIT instead of
 * exhausting memory. Also reads whole files under such a limit.
 */
#ifndef OV_BUF_H
#define OV_BUF_H

#include <stddef.h>

#include "err.h"

struct ov_buf {
	unsigned char *data; /* always NUL-terminated after len when non-NULL */
	size_t len;
	size_t cap;
	size_t max; /* largest len allowed */
};

/* Initialise an empty buffer that may hold up to max bytes. */
void ov_buf_init(struct ov_buf *b, size_t max);

/* Free the contents and reset to empty (max is kept). b may be NULL. */
void ov_buf_free(struct ov_buf *b);

/* Set len to 0, keeping the allocation. */
void ov_buf_reset(struct ov_buf *b);

/* Append n bytes. OV_E_LIMIT when max would be exceeded. */
enum ov_code ov_buf_add(struct ov_buf *b, const void *p, size_t n,
    struct ov_err *err);

/* Append a NUL-terminated string (without its NUL). */
enum ov_code ov_buf_adds(struct ov_buf *b, const char *s, struct ov_err *err);

/* Append printf-style formatted text. */
enum ov_code ov_buf_addf(struct ov_buf *b, struct ov_err *err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Hand the contents to the caller as a NUL-terminated string (never NULL,
 * "" for an empty buffer; NULL only when out of memory). The buffer is
 * left empty. The caller frees the result.
 */
char *ov_buf_steal(struct ov_buf *b);

/*
 * Read everything from fd into b (appending). name is used in messages.
 * OV_E_LIMIT when the data exceeds b->max, OV_E_IO on read errors.
 */
enum ov_code ov_buf_read_fd(struct ov_buf *b, int fd, const char *name,
    struct ov_err *err);

/*
 * Open path (relative to dirfd, or AT_FDCWD) read-only without following
 * a final symlink, require a regular file, and read it into b. Errors name
 * the path: OV_E_NOTFOUND when missing, OV_E_IO when unreadable or not a
 * regular file, OV_E_LIMIT when too large.
 */
enum ov_code ov_buf_read_file(struct ov_buf *b, int dirfd, const char *path,
    struct ov_err *err);

#endif
