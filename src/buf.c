/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded growable buffers and whole-file reads. */
#include "config.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
ov_buf_init(struct ov_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
ov_buf_free(struct ov_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
ov_buf_reset(struct ov_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Make room for n more bytes plus a terminating NUL. */
static enum ov_code
reserve(struct ov_buf *b, size_t n, struct ov_err *err)
{
	size_t need, ncap;
	unsigned char *p;

	if (n > b->max || b->len > b->max - n)
		return ov_err_set(err, OV_E_LIMIT,
		    "data exceeds the limit of %zu bytes", b->max);
	need = b->len + n + 1;
	if (need <= b->cap)
		return OV_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	b->data = p;
	b->cap = ncap;
	return OV_OK;
}

enum ov_code
ov_buf_add(struct ov_buf *b, const void *p, size_t n, struct ov_err *err)
{
	enum ov_code r;

	if ((r = reserve(b, n, err)) != OV_OK)
		return r;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return OV_OK;
}

enum ov_code
ov_buf_adds(struct ov_buf *b, const char *s, struct ov_err *err)
{
	return ov_buf_add(b, s, strlen(s), err);
}

enum ov_code
ov_buf_addf(struct ov_buf *b, struct ov_err *err, const char *fmt, ...)
{
	va_list ap;
	int n;
	enum ov_code r;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ov_err_set(err, OV_E_INTERNAL, "bad format string");
	if ((r = reserve(b, (size_t)n, err)) != OV_OK)
		return r;
	va_start(ap, fmt);
	(void)vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return OV_OK;
}

char *
ov_buf_steal(struct ov_buf *b)
{
	char *s;

	if (b->data == NULL)
		return strdup("");
	s = (char *)b->data;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return s;
}

enum ov_code
ov_buf_read_fd(struct ov_buf *b, int fd, const char *name, struct ov_err *err)
{
	unsigned char chunk[16384];
	ssize_t n;
	enum ov_code r;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ov_err_set(err, OV_E_IO, "%s: read: %s", name,
			    strerror(errno));
		}
		if (n == 0)
			break;
		if ((r = ov_buf_add(b, chunk, (size_t)n, err)) != OV_OK) {
			if (r == OV_E_LIMIT)
				ov_err_set(err, r,
				    "%s: larger than the limit of %zu bytes",
				    name, b->max);
			return r;
		}
	}
	return OV_OK;
}

enum ov_code
ov_buf_read_file(struct ov_buf *b, int dirfd, const char *path,
    struct ov_err *err)
{
	struct stat st;
	int fd, flags;
	enum ov_code r;

	/* O_NONBLOCK keeps a FIFO planted in the input from hanging us. */
	fd = openat(dirfd, path,
	    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return ov_err_set(err, OV_E_NOTFOUND, "%s: not found",
			    path);
		if (errno == ELOOP)
			return ov_err_set(err, OV_E_IO,
			    "%s: is a symbolic link, which is not followed",
			    path);
		return ov_err_set(err, OV_E_IO, "%s: %s", path,
		    strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ov_err_set(err, OV_E_IO, "%s: not a regular file", path);
		goto out;
	}
	if ((uintmax_t)st.st_size > b->max) {
		r = ov_err_set(err, OV_E_LIMIT,
		    "%s: %jd bytes is larger than the limit of %zu bytes", path,
		    (intmax_t)st.st_size, b->max);
		goto out;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	r = ov_buf_read_fd(b, fd, path, err);
out:
	close(fd);
	return r;
}
