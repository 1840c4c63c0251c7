/* SPDX-License-Identifier: Apache-2.0 */
/* Sorted directory listings. */
#include "config.h"

#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum ov_code
ov_dir_names(int dfd, const char *what, size_t max, char ***names,
	     size_t *nnames, struct ov_err *err)
{
	DIR *d = NULL;
	struct dirent *de;
	char **v = NULL;
	size_t n = 0;
	int fd;
	enum ov_code r = OV_E_INTERNAL;

	*names = NULL;
	*nnames = 0;
	if ((fd = dup(dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", what, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno == 0)
				break;
			r = ov_err_set(err, OV_E_IO, "%s: %s", what,
				       strerror(errno));
			goto out;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n >= max) {
			r = ov_err_set(err, OV_E_LIMIT,
				       "%s: more than the limit of %zu files",
				       what, max);
			goto out;
		}
		if ((r = ov_strlist_add(&v, &n, de->d_name, err)) != OV_OK)
			goto out;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*nnames = n;
	v = NULL; /* transferred */
	n = 0;
	r = OV_OK;
out:
	if (d != NULL)
		closedir(d);
	ov_strv_free(v, n);
	return r;
}
