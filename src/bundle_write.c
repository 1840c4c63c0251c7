/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The output of a bundle: an OCI image layout (image-spec image-layout.md)
 * written as a directory or as a deterministic pax tar (sorted entries,
 * mtime 0, owner 0), plain, gzip or zstd, under a temporary name beside
 * its final path, renamed into place only when complete, and removed on
 * failure.
 */
#include "config.h"

#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

/* OUT without trailing slashes, split into parent directory and name. */
struct outpath {
	char *path;
	char *parent;
	const char *base; /* in path */
};

struct ov_bundle_out {
	enum ov_bundle_format format;
	struct outpath o;
	char *tmp;         /* the temporary directory or file */
	int fd;            /* open on tmp */
	struct archive *a; /* tar */
	char **names;      /* created in the temporary directory, in order */
	unsigned char *isdir;
	size_t nnames, capnames;
	int committed;
	int64_t mtime; /* of tar entries */
};

static void
outpath_clear(struct outpath *o)
{
	free(o->path);
	free(o->parent);
	memset(o, 0, sizeof(*o));
}

static enum ov_code
outpath_split(const char *out, struct outpath *o, struct ov_err *err)
{
	size_t n = strlen(out);
	char *slash;

	memset(o, 0, sizeof(*o));
	while (n > 1 && out[n - 1] == '/')
		n--;
	if (n == 0)
		return ov_err_set(err, OV_E_USAGE, "empty output path");
	if ((o->path = strndup(out, n)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((slash = strrchr(o->path, '/')) == NULL) {
		o->parent = strdup(".");
		o->base = o->path;
	} else {
		o->parent = slash == o->path
				? strdup("/")
				: strndup(o->path, (size_t)(slash - o->path));
		o->base = slash + 1;
	}
	if (o->parent == NULL) {
		outpath_clear(o);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	if (*o->base == '\0' || strcmp(o->base, ".") == 0 ||
	    strcmp(o->base, "..") == 0) {
		ov_err_set(err, OV_E_USAGE, "%s: not a name a bundle can have",
			   out);
		outpath_clear(o);
		return OV_E_USAGE;
	}
	return OV_OK;
}

static enum ov_code
check_outpath(const struct outpath *o, enum ov_bundle_format format,
	      struct ov_err *err)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	int empty = 1;

	if (lstat(o->path, &st) != 0) {
		if (errno != ENOENT)
			return ov_err_set(err, OV_E_IO, "%s: %s", o->path,
					  strerror(errno));
		if (stat(o->parent, &st) != 0 || !S_ISDIR(st.st_mode))
			return ov_err_set(err, OV_E_USAGE,
					  "%s: directory %s does not exist",
					  o->path, o->parent);
		return OV_OK;
	}
	if (format != OV_BUNDLE_DIR)
		return ov_err_set(err, OV_E_USAGE,
				  "%s: already exists; not overwritten",
				  o->path);
	if (!S_ISDIR(st.st_mode))
		return ov_err_set(err, OV_E_USAGE,
				  "%s: exists and is not a directory", o->path);
	if ((dir = opendir(o->path)) == NULL)
		return ov_err_set(err, OV_E_IO, "%s: %s", o->path,
				  strerror(errno));
	while (empty && (de = readdir(dir)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(dir);
	if (!empty)
		return ov_err_set(err, OV_E_USAGE,
				  "%s: directory is not empty; not overwritten",
				  o->path);
	return OV_OK;
}

enum ov_code
ov_bundle_check_output(const char *out, enum ov_bundle_format format,
		       struct ov_err *err)
{
	struct outpath o;
	enum ov_code r;

	if ((r = outpath_split(out, &o, err)) != OV_OK)
		return r;
	r = check_outpath(&o, format, err);
	outpath_clear(&o);
	return r;
}

/* Writing into a source directory would modify it. */
static enum ov_code
check_not_inside(const struct outpath *o, const char *const *keep_out, size_t n,
		 struct ov_err *err)
{
	char *real = NULL, *dir = NULL;
	size_t i, k;
	enum ov_code r = OV_OK;

	if (n > 0 && (real = realpath(o->parent, NULL)) == NULL)
		return ov_err_set(err, errno == ENOMEM ? OV_E_NOMEM : OV_E_IO,
				  "%s: %s", o->parent, strerror(errno));
	for (i = 0; i < n && r == OV_OK; i++) {
		if ((dir = realpath(keep_out[i], NULL)) == NULL) {
			r = ov_err_set(err,
				       errno == ENOMEM ? OV_E_NOMEM : OV_E_IO,
				       "%s: %s", keep_out[i], strerror(errno));
			break;
		}
		k = strlen(dir);
		if (strncmp(real, dir, k) == 0 &&
		    (real[k] == '\0' || real[k] == '/' || k == 1))
			r = ov_err_set(
			    err, OV_E_USAGE,
			    "%s: inside the source layout %s, which is never modified; write the bundle elsewhere",
			    o->path, keep_out[i]);
		free(dir);
	}
	free(real);
	return r;
}

/* A fresh directory or file beside the output, for a later rename(2). */
static enum ov_code
make_temp(struct ov_bundle_out *w, struct ov_err *err)
{
	const char *sep = strcmp(w->o.parent, "/") == 0 ? "" : "/";
	unsigned i;
	int e, n;

	for (i = 0; i < 100; i++) {
		free(w->tmp);
		n = snprintf(NULL, 0, "%s%s.%s.tmp.%ld.%u", w->o.parent, sep,
			     w->o.base, (long)getpid(), i);
		if (n < 0 || (w->tmp = malloc((size_t)n + 1)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		(void)snprintf(w->tmp, (size_t)n + 1, "%s%s.%s.tmp.%ld.%u",
			       w->o.parent, sep, w->o.base, (long)getpid(), i);
		if (w->format != OV_BUNDLE_DIR) {
			w->fd = open(w->tmp,
				     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					 O_CLOEXEC,
				     0666);
			if (w->fd >= 0)
				return OV_OK;
		} else if (mkdir(w->tmp, 0777) == 0) {
			w->fd = open(w->tmp, O_RDONLY | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC);
			if (w->fd >= 0)
				return OV_OK;
			e = errno;
			(void)rmdir(w->tmp);
			errno = e;
			break;
		}
		if (errno != EEXIST)
			break;
	}
	e = errno;
	free(w->tmp);
	w->tmp = NULL;
	return ov_err_set(err, OV_E_IO,
			  "%s: cannot create a temporary beside it: %s",
			  w->o.path, strerror(e));
}

/*
 * The compression of a tar bundle, inside libarchive only (ARCHIVE_WARN
 * means an external program, refused). gzip without the file name and
 * time of its header, so the same bundle is the same bytes.
 */
static int
add_filter(struct archive *a, enum ov_bundle_format format)
{
	switch (format) {
	case OV_BUNDLE_TAR_GZ:
		if (archive_write_add_filter_gzip(a) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
		return archive_write_set_filter_option(a, "gzip", "timestamp",
						       NULL) == ARCHIVE_OK
			   ? ARCHIVE_OK
			   : ARCHIVE_FATAL;
	case OV_BUNDLE_TAR_ZST:
		return archive_write_add_filter_zstd(a) == ARCHIVE_OK
			   ? ARCHIVE_OK
			   : ARCHIVE_FATAL;
	default:
		return archive_write_add_filter_none(a);
	}
}

enum ov_code
ov_bundle_out_open(const char *out, enum ov_bundle_format format,
		   const char *const *keep_out, size_t n,
		   struct ov_bundle_out **res, struct ov_err *err)
{
	struct ov_bundle_out *w;
	enum ov_code r;

	*res = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	w->format = format;
	w->fd = -1;
	if ((r = outpath_split(out, &w->o, err)) != OV_OK ||
	    (r = check_outpath(&w->o, format, err)) != OV_OK ||
	    (r = check_not_inside(&w->o, keep_out, n, err)) != OV_OK ||
	    (r = make_temp(w, err)) != OV_OK)
		goto fail;
	if (format != OV_BUNDLE_DIR) {
		if ((w->a = archive_write_new()) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto fail;
		}
		if (archive_write_set_format_pax(w->a) != ARCHIVE_OK ||
		    add_filter(w->a, format) != ARCHIVE_OK ||
		    archive_write_open_fd(w->a, w->fd) != ARCHIVE_OK) {
			r = ov_err_set(err, OV_E_IO, "%s: %s", w->tmp,
				       archive_error_string(w->a));
			goto fail;
		}
	}
	*res = w;
	return OV_OK;
fail:
	ov_bundle_out_free(w);
	return r;
}

void
ov_bundle_out_set_mtime(struct ov_bundle_out *w, int64_t mtime)
{
	w->mtime = mtime;
}

/* The header of a tar entry: mtime 0 (or as set), owner 0, fixed modes. */
static enum ov_code
tar_header(struct ov_bundle_out *w, const char *name, int dir, int64_t size,
	   struct ov_err *err)
{
	struct archive_entry *e;
	enum ov_code r = OV_OK;

	if ((e = archive_entry_new()) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, (time_t)w->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (archive_write_header(w->a, e) != ARCHIVE_OK)
		r = ov_err_set(err, OV_E_IO, "%s: %s: %s", w->tmp, name,
			       archive_error_string(w->a)
				   ? archive_error_string(w->a)
				   : "write error");
	archive_entry_free(e);
	return r;
}

static enum ov_code
tar_data(struct ov_bundle_out *w, const void *data, size_t len,
	 struct ov_err *err)
{
	if (len > 0 && archive_write_data(w->a, data, len) != (la_ssize_t)len)
		return ov_err_set(err, OV_E_IO, "%s: %s", w->tmp,
				  archive_error_string(w->a)
				      ? archive_error_string(w->a)
				      : "write error");
	return OV_OK;
}

static enum ov_code
tar_entry(struct ov_bundle_out *w, const char *name, int dir, const void *data,
	  size_t len, struct ov_err *err)
{
	enum ov_code r;

	if ((r = tar_header(w, name, dir, (int64_t)len, err)) != OV_OK)
		return r;
	return tar_data(w, data, len, err);
}

enum ov_code
ov_bundle_out_file_begin(struct ov_bundle_out *w, const char *name,
			 int64_t size, struct ov_err *err)
{
	if (w->format == OV_BUNDLE_DIR || size < 0)
		return ov_err_set(err, OV_E_INTERNAL,
				  "%s: streamed entries are for tar only", name);
	return tar_header(w, name, 0, size, err);
}

enum ov_code
ov_bundle_out_data(struct ov_bundle_out *w, const void *data, size_t len,
		   struct ov_err *err)
{
	return tar_data(w, data, len, err);
}

/* Remember name for removal on failure. */
static enum ov_code
created(struct ov_bundle_out *w, const char *name, int dir, struct ov_err *err)
{
	char **nn;
	unsigned char *nd;
	size_t ncap;

	if (w->nnames == w->capnames) {
		ncap = w->capnames ? w->capnames * 2 : 16;
		if ((nn = realloc(w->names, ncap * sizeof(*nn))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		w->names = nn;
		if ((nd = realloc(w->isdir, ncap)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		w->isdir = nd;
		w->capnames = ncap;
	}
	if ((w->names[w->nnames] = strdup(name)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	w->isdir[w->nnames++] = (unsigned char)dir;
	return OV_OK;
}

enum ov_code
ov_bundle_out_dir(struct ov_bundle_out *w, const char *name, struct ov_err *err)
{
	char tname[256];
	enum ov_code r;

	if (w->format != OV_BUNDLE_DIR) {
		if ((size_t)snprintf(tname, sizeof(tname), "%s/", name) >=
		    sizeof(tname))
			return ov_err_set(err, OV_E_INTERNAL,
					  "%s: name too long", name);
		return tar_entry(w, tname, 1, NULL, 0, err);
	}
	if (mkdirat(w->fd, name, 0777) != 0)
		return ov_err_set(err, OV_E_IO, "%s/%s: %s", w->tmp, name,
				  strerror(errno));
	if ((r = created(w, name, 1, err)) != OV_OK)
		(void)unlinkat(w->fd, name, AT_REMOVEDIR);
	return r;
}

enum ov_code
ov_bundle_out_file(struct ov_bundle_out *w, const char *name, const void *data,
		   size_t len, struct ov_err *err)
{
	size_t off = 0;
	ssize_t n;
	enum ov_code r;
	int fd;

	if (w->format != OV_BUNDLE_DIR)
		return tar_entry(w, name, 0, data, len, err);
	if ((fd = openat(w->fd, name,
			 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			 0666)) < 0)
		return ov_err_set(err, OV_E_IO, "%s/%s: %s", w->tmp, name,
				  strerror(errno));
	if ((r = created(w, name, 0, err)) != OV_OK) {
		(void)close(fd);
		(void)unlinkat(w->fd, name, 0);
		return r;
	}
	while (off < len) {
		if ((n = write(fd, (const char *)data + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			r = ov_err_set(err, OV_E_IO, "%s/%s: write: %s", w->tmp,
				       name, strerror(errno));
			(void)close(fd);
			return r;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0)
		return ov_err_set(err, OV_E_IO, "%s/%s: %s", w->tmp, name,
				  strerror(errno));
	return OV_OK;
}

static enum ov_code
commit_tar(struct ov_bundle_out *w, struct ov_err *err)
{
	struct stat st;
	int fd = w->fd;

	if (archive_write_close(w->a) != ARCHIVE_OK)
		return ov_err_set(err, OV_E_IO, "%s: %s", w->tmp,
				  archive_error_string(w->a));
	w->fd = -1;
	if (fsync(fd) != 0 || close(fd) != 0) {
		ov_err_set(err, OV_E_IO, "%s: %s", w->tmp, strerror(errno));
		(void)close(fd);
		return OV_E_IO;
	}
	/* rename(2) would replace a file that appeared meanwhile */
	if (lstat(w->o.path, &st) == 0)
		return ov_err_set(err, OV_E_USAGE,
				  "%s: already exists; not overwritten",
				  w->o.path);
	if (rename(w->tmp, w->o.path) != 0)
		return ov_err_set(err, OV_E_IO, "%s: %s", w->o.path,
				  strerror(errno));
	return OV_OK;
}

enum ov_code
ov_bundle_out_commit(struct ov_bundle_out *w, struct ov_err *err)
{
	enum ov_code r;

	if (w->format != OV_BUNDLE_DIR)
		r = commit_tar(w, err);
	/* replaces out only when it is an empty directory */
	else if (rename(w->tmp, w->o.path) == 0)
		r = OV_OK;
	else if (errno == ENOTEMPTY || errno == EEXIST)
		r = ov_err_set(err, OV_E_USAGE,
			       "%s: directory is not empty; not overwritten",
			       w->o.path);
	else if (errno == ENOTDIR)
		r = ov_err_set(err, OV_E_USAGE,
			       "%s: exists and is not a directory", w->o.path);
	else
		r = ov_err_set(err, OV_E_IO, "%s: %s", w->o.path,
			       strerror(errno));
	w->committed = r == OV_OK;
	return r;
}

void
ov_bundle_out_free(struct ov_bundle_out *w)
{
	size_t i;

	if (w == NULL)
		return;
	if (w->a != NULL)
		archive_write_free(w->a); /* closes the archive, not fd */
	if (!w->committed && w->tmp != NULL) {
		if (w->format != OV_BUNDLE_DIR) {
			(void)unlink(w->tmp);
		} else {
			for (i = w->nnames; i-- > 0;)
				(void)unlinkat(w->fd, w->names[i],
					       w->isdir[i] ? AT_REMOVEDIR : 0);
			(void)rmdir(w->tmp);
		}
	}
	if (w->fd >= 0)
		(void)close(w->fd);
	for (i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
	free(w->isdir);
	free(w->tmp);
	outpath_clear(&w->o);
	free(w);
}
