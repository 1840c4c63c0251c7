/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inputs below a directory (verify --recursive). Directories are
 * opened relative to their parent with O_NOFOLLOW and entries examined
 * with fstatat(AT_SYMLINK_NOFOLLOW), so a symbolic link, wherever it
 * points, is never entered or read: the walk cannot leave the tree.
 */
#include "config.h"

#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "text.h"

struct walk {
	char ***paths;
	size_t *n;
	size_t *nlinks;
	struct ov_err *err;
};

int
ov_walk_archive_name(const char *name)
{
	static const char *const ends[] = {".tar", ".tar.gz", ".tgz",
	    ".tar.zst", ".tar.zstd", ".tzst", ".tar.xz", ".txz", ".tar.bz2",
	    ".tbz2", ".tar.lz4", ".oci"};
	size_t len = strlen(name), k, i;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		k = strlen(ends[i]);
		if (len > k && strcmp(name + len - k, ends[i]) == 0)
			return 1;
	}
	return 0;
}

static enum ov_code
add(struct walk *w, const char *path)
{
	if (*w->n >= OV_MAX_WALK_INPUTS)
		return ov_err_set(w->err, OV_E_LIMIT,
		    "--recursive: more than the limit of %d inputs",
		    OV_MAX_WALK_INPUTS);
	return ov_strlist_add(w->paths, w->n, path, w->err);
}

/* *out = "dir/name" ("/name" below "/"), malloc'd. */
static enum ov_code
join(char **out, const char *dir, const char *name, struct ov_err *err)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] == '/';

	if ((*out = malloc(dl + nl + 2)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memcpy(*out, dir, dl);
	if (!slash)
		(*out)[dl++] = '/';
	memcpy(*out + dl, name, nl + 1);
	return OV_OK;
}

/* Does the open directory dfd hold a regular file (or anything) name? */
static int
holds(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int
is_layout(int dfd)
{
	return holds(dfd, "oci-layout") || holds(dfd, "index.json");
}

static enum ov_code
walk(struct walk *w, int dfd, const char *path, int depth)
{
	char **names = NULL, *child = NULL;
	size_t n = 0, i, pass;
	struct stat st;
	int cfd;
	enum ov_code r;

	if ((r = ov_dir_names(dfd, path, OV_MAX_WALK_ENTRIES, &names, &n,
		 w->err)) != OV_OK)
		return r;
	/* files first, then subdirectories: a directory's own archives
	 * come before what its subdirectories hold */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			free(child);
			child = NULL;
			if ((r = join(&child, path, names[i], w->err)) !=
			    OV_OK)
				goto out;
			if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) !=
			    0) {
				if (pass == 0 && (r = add(w, child)) != OV_OK)
					goto out; /* it fails, on its own */
				continue;
			}
			if (S_ISLNK(st.st_mode)) {
				if (pass == 0)
					(*w->nlinks)++;
				continue;
			}
			if (pass == 0) {
				if (S_ISREG(st.st_mode) &&
				    ov_walk_archive_name(names[i]) &&
				    (r = add(w, child)) != OV_OK)
					goto out;
				continue;
			}
			if (!S_ISDIR(st.st_mode))
				continue;
			cfd = openat(dfd, names[i],
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0) {
				/* unreadable: verify says why */
				if ((r = add(w, child)) != OV_OK)
					goto out;
				continue;
			}
			if (is_layout(cfd))
				r = add(w, child);
			else if (depth + 1 > OV_MAX_WALK_DEPTH)
				r = ov_err_set(w->err, OV_E_LIMIT,
				    "%s: more than the limit of %d directory levels below --recursive",
				    child, OV_MAX_WALK_DEPTH);
			else
				r = walk(w, cfd, child, depth + 1);
			close(cfd);
			if (r != OV_OK)
				goto out;
		}
	}
	r = OV_OK;
out:
	free(child);
	ov_strv_free(names, n);
	return r;
}

enum ov_code
ov_walk_inputs(const char *dir, char ***paths, size_t *n, size_t *nlinks,
    struct ov_err *err)
{
	struct walk w;
	struct stat st;
	int fd;
	enum ov_code r;

	w.paths = paths;
	w.n = n;
	w.nlinks = nlinks;
	w.err = err;
	if (stat(dir, &st) != 0)
		return ov_err_set(err,
		    errno == ENOENT || errno == ENOTDIR ? OV_E_NOTFOUND
							: OV_E_IO,
		    "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return add(&w, dir); /* an archive: verify reads it */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ov_err_set(err, OV_E_IO, "%s: %s", dir,
		    strerror(errno));
	if (is_layout(fd))
		r = add(&w, dir);
	else
		r = walk(&w, fd, dir, 0);
	close(fd);
	return r;
}
