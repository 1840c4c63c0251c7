/* SPDX-License-Identifier: Apache-2.0 */
/* Opening image sources and splitting SOURCE arguments. */
#include "config.h"

#include "source.h"

#include "archive.h"
#include "containerd.h"
#include "docker.h"

#include <ctype.h>
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
	if (strcmp(path, "-") == 0)
		goto archive; /* standard input: an archive, read once */
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
archive:
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
	free(s->ns);
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

/* The ":TAG" or "@DIGEST" at p (after PATH) into s. */
static enum ov_code
parse_ref(const char *spec, const char *p, struct ov_source_spec *s,
    struct ov_err *err)
{
	struct ov_err derr;

	if (*p == '@') {
		s->has_digest = 1;
		if (ov_digest_parse(p + 1, &s->digest, &derr) != OV_OK)
			return ov_err_set(err, OV_E_USAGE, "%s: %s", spec,
			    derr.msg);
		return OV_OK;
	}
	if (!tag_valid(p + 1))
		return ov_err_set(err, OV_E_USAGE, "%s: invalid %s \"%.80s\"",
		    spec, s->containerd ? "image name" : "tag", p + 1);
	if ((s->tag = strdup(p + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

/* PATH[:TAG|@DIGEST] in rest (spec is for messages) into s. */
static enum ov_code
split_path(const char *spec, const char *rest,
    int (*exists)(const char *, void *), void *ctx, struct ov_source_spec *s,
    struct ov_err *err)
{
	size_t n = strlen(rest), i, best = 0;
	char *prefix = NULL;

	if (exists(rest, ctx)) {
		if ((s->path = strdup(rest)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		return OV_OK;
	}
	if ((prefix = strdup(rest)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* The longest existing prefix ending before a ':' or '@'. */
	for (i = n; i-- > 1;) {
		if (rest[i] != ':' && rest[i] != '@')
			continue;
		prefix[i] = '\0';
		if (exists(prefix, ctx)) {
			best = i;
			break;
		}
		prefix[i] = rest[i];
	}
	if (best == 0) {
		free(prefix);
		return ov_err_set(err, OV_E_NOTFOUND,
		    "%s: no such file or directory", spec);
	}
	s->path = prefix;
	return parse_ref(spec, rest + best, s, err);
}

/* containerd namespaces (containerd's identifiers.Validate) */
static int
ns_valid(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 76)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if ((c != '.' && c != '_' && c != '-') || i == 0 ||
		    i == n - 1 || !isalnum((unsigned char)p[i - 1]))
			return 0;
	}
	return 1;
}

/* "containerd:[ROOT][#NAMESPACE][:NAME|@DIGEST]" after the prefix. */
static enum ov_code
split_containerd(const char *spec, const char *rest,
    int (*exists)(const char *, void *), void *ctx, struct ov_source_spec *s,
    struct ov_err *err)
{
	const char *hash = strrchr(rest, '#'), *ref;
	size_t nslen;
	enum ov_code r;

	s->containerd = 1;
	if (hash == NULL && *rest != '\0' && *rest != ':' && *rest != '@') {
		if ((r = split_path(spec, rest, exists, ctx, s, err)) != OV_OK)
			return r;
		ref = NULL;
	} else {
		size_t rootlen = hash != NULL ? (size_t)(hash - rest)
					      : strcspn(rest, ":@");
		s->path = rootlen == 0 ? strdup(OV_CTRD_DEFAULT_ROOT)
				       : strndup(rest, rootlen);
		if (s->path == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		ref = rest + rootlen;
	}
	if (ref != NULL && *ref == '#') {
		nslen = strcspn(ref + 1, ":@");
		if (!ns_valid(ref + 1, nslen))
			return ov_err_set(err, OV_E_USAGE,
			    "%s: invalid containerd namespace \"%.*s\"", spec,
			    (int)(nslen > 80 ? 80 : nslen), ref + 1);
		if ((s->ns = strndup(ref + 1, nslen)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		ref += 1 + nslen;
	}
	if (s->ns == NULL && (s->ns = strdup(OV_CTRD_DEFAULT_NS)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (ref != NULL && *ref != '\0')
		return parse_ref(spec, ref, s, err);
	return OV_OK;
}

enum ov_code
ov_source_spec_parse(const char *spec, int (*exists)(const char *, void *),
    void *ctx, struct ov_source_spec *out, struct ov_err *err)
{
	struct ov_source_spec s;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	if (*spec == '\0')
		return ov_err_set(err, OV_E_USAGE, "empty SOURCE argument");
	/* an existing file or directory named so is still a path */
	if (strncmp(spec, "containerd:", 11) == 0 && !exists(spec, ctx))
		r = split_containerd(spec, spec + 11, exists, ctx, &s, err);
	else
		r = split_path(spec, spec, exists, ctx, &s, err);
	if (r == OV_OK) {
		*out = s;
		memset(&s, 0, sizeof(s)); /* transferred */
	}
	ov_source_spec_clear(&s);
	return r;
}

enum ov_code
ov_spec_open(const struct ov_source_spec *s,
    const struct ov_archive_opts *opts, struct ov_source **out,
    struct ov_archive **docker, struct ov_err *err)
{
	enum ov_code r;

	if (s->containerd) {
		if (docker != NULL)
			*docker = NULL;
		if ((r = ov_containerd_open(s->path, s->ns, out, err)) ==
			OV_OK &&
		    opts != NULL)
			ov_containerd_set_spool(*out, opts->spool);
		return r;
	}
	return ov_input_open(s->path, opts, out, docker, err);
}
