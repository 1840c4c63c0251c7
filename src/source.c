/* SPDX-License-Identifier: Apache-2.0 */
/* Opening image sources and splitting SOURCE arguments. */
#include "config.h"

#include "source.h"

#include "archive.h"
#include "docker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum ov_code
ov_input_open(const char *path, const struct ov_archive_opts *opts,
    struct ov_source **out, struct ov_archive **docker, struct ov_err *err)
{
	struct ov_archive *a = NULL;
	struct stat st;
	enum ov_code r;

	*out = NULL;
	if (docker != NULL)
		*docker = NULL;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return ov_err_set(err, OV_E_NOTFOUND,
			    "%s: no such file or directory", path);
		return ov_err_set(err, OV_E_IO, "%s: %s", path,
		    strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		if ((r = ov_dir_source_open(path, out, err)) == OV_OK &&
		    opts != NULL)
			(*out)->spool = opts->spool;
		return r;
	}
	if (!S_ISREG(st.st_mode))
		return ov_err_set(err, OV_E_USAGE,
		    "%s: neither a directory nor a regular file", path);
	if ((r = ov_archive_read(path, opts, &a, err)) != OV_OK)
		return r;
	if (ov_archive_has_layout(a))
		return ov_archive_source(a, out, err); /* takes a */
	if (docker != NULL && ov_docker_is_save(a)) {
		*docker = a;
		return OV_OK;
	}
	ov_archive_free(a);
	/* a tar archive, but of something else: a verdict, like a damaged
	 * one (OV_E_UNSUPPORTED is for files that are no tar archive) */
	return ov_err_set(err, OV_E_FORMAT,
	    docker != NULL
		? "%s: neither an OCI image layout archive nor a docker save archive"
		: "%s: not an OCI image layout archive (no oci-layout)",
	    path);
}

enum ov_code
ov_source_open(const char *path, struct ov_source **out, struct ov_err *err)
{
	return ov_input_open(path, NULL, out, NULL, err);
}

void
ov_source_close(struct ov_source *src)
{
	if (src == NULL)
		return;
	src->ops->close(src);
}

void
ov_source_spec_clear(struct ov_source_spec *s)
{
	if (s == NULL)
		return;
	free(s->path);
	free(s->tag);
	memset(s, 0, sizeof(*s));
}

static int
tag_valid(const char *t)
{
	size_t n = 0;

	for (; *t != '\0'; t++, n++)
		if ((unsigned char)*t <= ' ' || (unsigned char)*t >= 0x7f)
			return 0;
	return n > 0 && n <= 1024;
}

enum ov_code
ov_source_spec_parse(const char *spec, int (*exists)(const char *, void *),
    void *ctx, struct ov_source_spec *out, struct ov_err *err)
{
	struct ov_source_spec s;
	size_t n = strlen(spec), i, best = 0;
	char *prefix = NULL;
	struct ov_err derr;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	if (n == 0)
		return ov_err_set(err, OV_E_USAGE, "empty SOURCE argument");
	if (exists(spec, ctx)) {
		if ((s.path = strdup(spec)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		*out = s;
		return OV_OK;
	}
	if ((prefix = strdup(spec)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* The longest existing prefix ending before a ':' or '@'. */
	for (i = n; i-- > 1;) {
		if (spec[i] != ':' && spec[i] != '@')
			continue;
		prefix[i] = '\0';
		if (exists(prefix, ctx)) {
			best = i;
			break;
		}
		prefix[i] = spec[i];
	}
	if (best == 0) {
		r = ov_err_set(err, OV_E_NOTFOUND,
		    "%s: no such file or directory", spec);
		goto out;
	}
	s.path = prefix;
	prefix = NULL;
	if (spec[best] == '@') {
		s.has_digest = 1;
		if (ov_digest_parse(spec + best + 1, &s.digest, &derr) !=
		    OV_OK) {
			r = ov_err_set(err, OV_E_USAGE, "%s: %s", spec,
			    derr.msg);
			goto out;
		}
	} else {
		if (!tag_valid(spec + best + 1)) {
			r = ov_err_set(err, OV_E_USAGE,
			    "%s: invalid tag \"%.80s\"", spec, spec + best + 1);
			goto out;
		}
		if ((s.tag = strdup(spec + best + 1)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
	}
	*out = s;
	memset(&s, 0, sizeof(s)); /* transferred */
	r = OV_OK;
out:
	free(prefix);
	ov_source_spec_clear(&s);
	return r;
}
