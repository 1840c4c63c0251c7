/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust bundles (ocivet-trust-bundle(5)): the manifest, opening and
 * checking a bundle (directory or tar archive through archive.c), its
 * optional detached signature, and writing one through bundle_write.c.
 */
#include "config.h"

#include "tbundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "archive.h"
#include "buf.h"
#include "fsutil.h"
#include "json.h"
#include "result.h"
#include "text.h"
#include "timeutil.h"

struct ov_tbundle {
	char *path;
	char *dir;      /* the checked files */
	int archive;    /* dir is our private copy */
	struct ov_tbundle_manifest *m;
	unsigned char *mdata; /* the manifest's bytes */
	size_t mlen;
	unsigned char *sig; /* ocivet-trust.json.sig, or NULL */
	size_t siglen;
};

/* ---- manifest ----------------------------------------------------------- */

void
ov_tbundle_manifest_free_fields(struct ov_tbundle_manifest *m)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	free(m->name);
	free(m->version);
	free(m->created);
	free(m->description);
	memset(m, 0, sizeof(*m));
}

void
ov_tbundle_manifest_free(struct ov_tbundle_manifest *m)
{
	if (m == NULL)
		return;
	ov_tbundle_manifest_free_fields(m);
	free(m);
}

int
ov_tbundle_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i > 0 && (c == '.' || c == '_' || c == '-'))
			continue;
		return 0;
	}
	return 1;
}

/* A path a bundle may hold: relative, '/'-separated, no "." or "..",
 * printable ASCII but '\\', not the manifest or its signature. */
static int
path_valid(const char *p)
{
	const char *c, *comp = p;
	size_t n = strlen(p), depth = 0;

	if (n == 0 || n > OV_TBUNDLE_MAX_PATH || p[0] == '/' ||
	    strcmp(p, OV_TBUNDLE_MANIFEST) == 0 ||
	    strcmp(p, OV_TBUNDLE_SIGNATURE) == 0)
		return 0;
	for (c = p;; c++) {
		if (*c == '/' || *c == '\0') {
			size_t len = (size_t)(c - comp);
			if (len == 0 || (len == 1 && comp[0] == '.') ||
			    (len == 2 && comp[0] == '.' && comp[1] == '.'))
				return 0;
			if (++depth > OV_TBUNDLE_MAX_DEPTH)
				return 0;
			if (*c == '\0')
				return 1;
			comp = c + 1;
			continue;
		}
		if (*c < 0x20 || *c > 0x7e || *c == '\\')
			return 0;
	}
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ov_tbundle_file *)a)->path,
	    ((const struct ov_tbundle_file *)b)->path);
}

static enum ov_code
opt_str(const cJSON *js, const char *key, const char *what, char **out,
    struct ov_err *err)
{
	const char *s = NULL;
	enum ov_code r;

	if ((r = ov_json_string(js, key, 0, what, &s, err)) != OV_OK ||
	    s == NULL)
		return r;
	if ((*out = strdup(s)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

static const char *const manifest_keys[] = {"ocivetTrustBundle", "name",
	"version", "created", "description", "files", NULL};
static const char *const file_keys[] = {"path", "size", "sha256", NULL};

static enum ov_code
parse_file(const cJSON *f, const char *what, size_t i,
    struct ov_tbundle_file *out, struct ov_err *err)
{
	char w[600], d[80];
	const char *path = NULL, *hex = NULL;
	enum ov_code r;

	snprintf(w, sizeof(w), "%s: files[%zu]", what, i);
	if (!cJSON_IsObject(f))
		return ov_err_set(err, OV_E_FORMAT, "%s: not an object", w);
	if ((r = ov_json_only_keys(f, file_keys, w, err)) != OV_OK ||
	    (r = ov_json_string(f, "path", 1, w, &path, err)) != OV_OK ||
	    (r = ov_json_string(f, "sha256", 1, w, &hex, err)) != OV_OK ||
	    (r = ov_json_int64(f, "size", 1, w, &out->size, err)) != OV_OK)
		return r;
	if (!path_valid(path))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: path \"%s\" is not a relative path without \".\" or \"..\" of printable characters (or names the manifest)",
		    w, path);
	if (out->size < 0 || out->size > OV_TBUNDLE_MAX_FILE)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: %s: size %lld is over the limit of %d bytes", w, path,
		    (long long)out->size, OV_TBUNDLE_MAX_FILE);
	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: %s: sha256 must be 64 lower-case hex digits", w, path);
	snprintf(d, sizeof(d), "sha256:%s", hex);
	if ((r = ov_digest_parse(d, &out->sha256, err)) != OV_OK)
		return r;
	if ((out->path = strdup(path)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

enum ov_code
ov_tbundle_manifest_parse(const void *data, size_t len, const char *what,
    struct ov_tbundle_manifest **out, struct ov_err *err)
{
	struct ov_tbundle_manifest *m = NULL;
	cJSON *js = NULL;
	const cJSON *files = NULL, *f;
	int64_t fmt = 0, t;
	size_t i, n;
	enum ov_code r;

	*out = NULL;
	if (len > OV_TBUNDLE_MAX_MANIFEST)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: over the limit of %d bytes", what,
		    OV_TBUNDLE_MAX_MANIFEST);
	if ((r = ov_json_parse(data, len, what, &js, err)) != OV_OK)
		return r;
	if (!cJSON_IsObject(js)) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_json_only_keys(js, manifest_keys, what, err)) != OV_OK ||
	    (r = ov_json_int64(js, "ocivetTrustBundle", 1, what, &fmt, err)) !=
		OV_OK ||
	    (r = opt_str(js, "name", what, &m->name, err)) != OV_OK ||
	    (r = opt_str(js, "version", what, &m->version, err)) != OV_OK ||
	    (r = opt_str(js, "created", what, &m->created, err)) != OV_OK ||
	    (r = opt_str(js, "description", what, &m->description, err)) !=
		OV_OK ||
	    (r = ov_json_array(js, "files", 1, what, &files, err)) != OV_OK)
		goto out;
	if (fmt != OV_TBUNDLE_FORMAT) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
		    "%s: ocivetTrustBundle %lld is not supported (only %d)",
		    what, (long long)fmt, OV_TBUNDLE_FORMAT);
		goto out;
	}
	if (m->name == NULL || !ov_tbundle_name_valid(m->name)) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: name must be lower-case letters, digits, \".\", \"_\" and \"-\", starting with a letter or digit",
		    what);
		goto out;
	}
	if (m->created == NULL ||
	    ov_time_parse(m->created, &t, NULL, err) != OV_OK) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: created must be an RFC 3339 time", what);
		goto out;
	}
	n = (size_t)cJSON_GetArraySize(files);
	if (n > OV_TBUNDLE_MAX_FILES) {
		r = ov_err_set(err, OV_E_LIMIT,
		    "%s: more than the limit of %d files", what,
		    OV_TBUNDLE_MAX_FILES);
		goto out;
	}
	if (n > 0 && (m->files = calloc(n, sizeof(*m->files))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	i = 0;
	cJSON_ArrayForEach(f, files)
	{
		if ((r = parse_file(f, what, i, &m->files[i], err)) != OV_OK)
			goto out;
		m->nfiles = ++i;
	}
	qsort(m->files, m->nfiles, sizeof(*m->files), file_cmp);
	for (i = 1; i < m->nfiles; i++)
		if (strcmp(m->files[i - 1].path, m->files[i].path) == 0) {
			r = ov_err_set(err, OV_E_FORMAT,
			    "%s: %s is listed twice", what, m->files[i].path);
			goto out;
		}
	*out = m;
	m = NULL; /* transferred */
	r = OV_OK;
out:
	ov_tbundle_manifest_free(m);
	cJSON_Delete(js);
	return r;
}

enum ov_code
ov_tbundle_manifest_json(const struct ov_tbundle_manifest *m, char **out,
    struct ov_err *err)
{
	cJSON *js = NULL, *files, *f;
	size_t i;
	int ok;

	*out = NULL;
	ok = (js = cJSON_CreateObject()) != NULL &&
	    cJSON_AddNumberToObject(js, "ocivetTrustBundle",
		OV_TBUNDLE_FORMAT) != NULL &&
	    cJSON_AddStringToObject(js, "name", m->name) != NULL &&
	    (m->version == NULL ||
		cJSON_AddStringToObject(js, "version", m->version) != NULL) &&
	    cJSON_AddStringToObject(js, "created", m->created) != NULL &&
	    (m->description == NULL ||
		cJSON_AddStringToObject(js, "description", m->description) !=
		    NULL) &&
	    (files = cJSON_AddArrayToObject(js, "files")) != NULL;
	for (i = 0; ok && i < m->nfiles; i++)
		ok = (f = cJSON_CreateObject()) != NULL &&
		    cJSON_AddItemToArray(files, f) &&
		    cJSON_AddStringToObject(f, "path", m->files[i].path) !=
			NULL &&
		    cJSON_AddNumberToObject(f, "size",
			(double)m->files[i].size) != NULL &&
		    cJSON_AddStringToObject(f, "sha256",
			ov_digest_hex(&m->files[i].sha256)) != NULL;
	if (ok)
		ok = (*out = cJSON_Print(js)) != NULL;
	cJSON_Delete(js);
	return ok ? OV_OK : ov_err_set(err, OV_E_NOMEM, "out of memory");
}

/* ---- what a bundle holds ------------------------------------------------ */

/* The files found in a bundle, with their digests. */
struct found {
	struct ov_tbundle_file *f;
	const unsigned char **data; /* archives: the kept bytes */
	size_t n, cap;
	uint64_t total;
};

static void
found_clear(struct found *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free(fs->f[i].path);
	free(fs->f);
	free(fs->data);
	memset(fs, 0, sizeof(*fs));
}

static enum ov_code
found_add(struct found *fs, const char *bpath, const char *path,
    const void *data, size_t len, struct ov_err *err)
{
	void *p;
	enum ov_code r;

	if (fs->n == OV_TBUNDLE_MAX_FILES)
		return ov_err_set(err, OV_E_LIMIT,
		    "trust bundle %s: more than the limit of %d files", bpath,
		    OV_TBUNDLE_MAX_FILES);
	if (len > OV_TBUNDLE_MAX_FILE ||
	    (fs->total += len) > OV_TBUNDLE_MAX_TOTAL)
		return ov_err_set(err, OV_E_LIMIT,
		    "trust bundle %s: %s: over the limit of %d bytes a file, %d in all",
		    bpath, path, OV_TBUNDLE_MAX_FILE, OV_TBUNDLE_MAX_TOTAL);
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 32;
		if ((p = realloc(fs->f, cap * sizeof(*fs->f))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		fs->f = p;
		if ((p = realloc(fs->data, cap * sizeof(*fs->data))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		fs->data = p;
		fs->cap = cap;
	}
	memset(&fs->f[fs->n], 0, sizeof(fs->f[fs->n]));
	if ((r = ov_digest_of(OV_DIGEST_SHA256, data, len, &fs->f[fs->n].sha256,
		 err)) != OV_OK)
		return r;
	if ((fs->f[fs->n].path = strdup(path)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	fs->f[fs->n].size = (int64_t)len;
	fs->data[fs->n] = data;
	fs->n++;
	return OV_OK;
}

/* Walk directory dfd (rel: its path in the bundle, "" at the top). */
static enum ov_code
walk(struct ov_tbundle *b, struct found *fs, int dfd, const char *rel,
    int depth, struct ov_err *err)
{
	char **names = NULL, *p = NULL;
	size_t i, n = 0;
	struct stat st;
	struct ov_buf buf;
	enum ov_code r;
	int sub;

	ov_buf_init(&buf, OV_TBUNDLE_MAX_FILE);
	if (depth > OV_TBUNDLE_MAX_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "trust bundle %s: %s: nested deeper than %d directories",
		    b->path, rel, OV_TBUNDLE_MAX_DEPTH);
	if ((r = ov_dir_names(dfd, b->path, OV_TBUNDLE_MAX_FILES, &names, &n,
		 err)) != OV_OK)
		return r;
	for (i = 0; i < n; i++) {
		free(p);
		if ((p = ov_strf("%s%s%s", rel, *rel ? "/" : "", names[i])) ==
		    NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			r = ov_err_set(err, OV_E_IO, "trust bundle %s: %s: %s",
			    b->path, p, strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if ((sub = openat(dfd, names[i],
				 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				     O_CLOEXEC)) < 0) {
				r = ov_err_set(err, OV_E_IO,
				    "trust bundle %s: %s: %s", b->path, p,
				    strerror(errno));
				goto out;
			}
			r = walk(b, fs, sub, p, depth + 1, err);
			close(sub);
			if (r != OV_OK)
				goto out;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			r = ov_err_set(err, OV_E_CONFIG,
			    "trust bundle %s: %s: not a regular file or directory (symlinks are refused)",
			    b->path, p);
			goto out;
		}
		ov_buf_reset(&buf);
		if ((r = ov_buf_read_file(&buf, dfd, names[i], err)) != OV_OK) {
			ov_err_wrap(err, "trust bundle %s: %s", b->path, p);
			goto out;
		}
		if (*rel == '\0' && strcmp(names[i], OV_TBUNDLE_MANIFEST) == 0) {
			if ((b->mdata = malloc(buf.len + 1)) == NULL) {
				r = ov_err_set(err, OV_E_NOMEM, "out of memory");
				goto out;
			}
			memcpy(b->mdata, buf.data, buf.len);
			b->mlen = buf.len;
			continue;
		}
		if (*rel == '\0' &&
		    strcmp(names[i], OV_TBUNDLE_SIGNATURE) == 0) {
			if ((b->sig = malloc(buf.len + 1)) == NULL) {
				r = ov_err_set(err, OV_E_NOMEM, "out of memory");
				goto out;
			}
			memcpy(b->sig, buf.data, buf.len);
			b->siglen = buf.len;
			continue;
		}
		if ((r = found_add(fs, b->path, p, buf.data, buf.len, err)) !=
		    OV_OK)
			goto out;
		fs->data[fs->n - 1] = NULL; /* not kept */
	}
	r = OV_OK;
out:
	free(p);
	ov_buf_free(&buf);
	ov_strv_free(names, n);
	return r;
}

/*
 * Compare what the bundle holds with its manifest; fs is sorted here.
 * The first difference, in path order, is the error.
 */
static enum ov_code
compare(const struct ov_tbundle *b, struct found *fs, struct ov_err *err)
{
	const struct ov_tbundle_manifest *m = b->m;
	size_t i = 0, j = 0;
	int c;

	/* keep data[] in step with f[] while sorting: sort an index */
	for (;;) {
		size_t k, best = i;
		if (i >= fs->n)
			break;
		for (k = i + 1; k < fs->n; k++)
			if (strcmp(fs->f[k].path, fs->f[best].path) < 0)
				best = k;
		if (best != i) {
			struct ov_tbundle_file t = fs->f[i];
			const unsigned char *d = fs->data[i];
			fs->f[i] = fs->f[best];
			fs->f[best] = t;
			fs->data[i] = fs->data[best];
			fs->data[best] = d;
		}
		i++;
	}
	i = 0;
	while (i < fs->n || j < m->nfiles) {
		if (i == fs->n)
			c = 1;
		else if (j == m->nfiles)
			c = -1;
		else
			c = strcmp(fs->f[i].path, m->files[j].path);
		if (c < 0)
			return ov_err_set(err, OV_E_CONFIG,
			    "trust bundle %s: %s: not listed in %s (remove it, or make the bundle again)",
			    b->path, fs->f[i].path, OV_TBUNDLE_MANIFEST);
		if (c > 0)
			return ov_err_set(err, OV_E_CONFIG,
			    "trust bundle %s: %s: listed in %s but missing",
			    b->path, m->files[j].path, OV_TBUNDLE_MANIFEST);
		if (fs->f[i].size != m->files[j].size ||
		    !ov_digest_equal(&fs->f[i].sha256, &m->files[j].sha256))
			return ov_err_set(err, OV_E_DIGEST,
			    "trust bundle %s: %s: content differs from %s (%lld bytes, sha256 %s; listed: %lld bytes, sha256 %s)",
			    b->path, fs->f[i].path, OV_TBUNDLE_MANIFEST,
			    (long long)fs->f[i].size,
			    ov_digest_hex(&fs->f[i].sha256),
			    (long long)m->files[j].size,
			    ov_digest_hex(&m->files[j].sha256));
		i++;
		j++;
	}
	return OV_OK;
}

static enum ov_code
open_dir(struct ov_tbundle *b, struct found *fs, struct ov_err *err)
{
	enum ov_code r;
	int dfd;

	if ((dfd = open(b->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ov_err_set(err, errno == ENOENT ? OV_E_NOTFOUND : OV_E_IO,
		    "trust bundle %s: %s", b->path, strerror(errno));
	r = walk(b, fs, dfd, "", 0, err);
	close(dfd);
	if (r == OV_OK && (b->dir = strdup(b->path)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
	return r;
}

/* Remove the private copy under dir (only what we wrote: files and
 * directories, no symlinks were ever made). */
static void
remove_tree(int dfd, const char *name)
{
	char **names = NULL;
	size_t i, n = 0;
	struct stat st;
	struct ov_err e;
	int sub;

	if ((sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		 O_CLOEXEC)) < 0)
		return;
	if (ov_dir_names(sub, name, OV_TBUNDLE_MAX_FILES * 2, &names, &n,
		&e) == OV_OK)
		for (i = 0; i < n; i++) {
			if (fstatat(sub, names[i], &st, AT_SYMLINK_NOFOLLOW) ==
				0 &&
			    S_ISDIR(st.st_mode))
				remove_tree(sub, names[i]);
			else
				(void)unlinkat(sub, names[i], 0);
		}
	ov_strv_free(names, n);
	close(sub);
	(void)unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Write one checked file into the private copy, making its directories. */
static enum ov_code
extract_one(int top, const char *path, const unsigned char *data, size_t len,
    struct ov_err *err)
{
	char buf[OV_TBUNDLE_MAX_PATH + 1], *s, *slash;
	size_t off = 0;
	ssize_t w;
	int fd;

	snprintf(buf, sizeof(buf), "%s", path);
	for (s = buf; (slash = strchr(s, '/')) != NULL; s = slash + 1) {
		*slash = '\0';
		if (mkdirat(top, buf, 0700) != 0 && errno != EEXIST)
			return ov_err_set(err, OV_E_IO, "%s: %s", buf,
			    strerror(errno));
		*slash = '/';
	}
	if ((fd = openat(top, buf,
		 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) <
	    0)
		return ov_err_set(err, OV_E_IO, "%s: %s", buf, strerror(errno));
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return ov_err_set(err, OV_E_IO, "%s: %s", buf,
			    strerror(errno));
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return ov_err_set(err, OV_E_IO, "%s: %s", buf, strerror(errno));
	return OV_OK;
}

static enum ov_code
extract(struct ov_tbundle *b, const struct found *fs, const char *tmpdir,
    struct ov_err *err)
{
	char *tmpl;
	size_t i;
	enum ov_code r = OV_OK;
	int top;

	if ((tmpl = ov_strf("%s/ocivet-trust.XXXXXX", tmpdir)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (mkdtemp(tmpl) == NULL) {
		r = ov_err_set(err, OV_E_IO,
		    "trust bundle %s: a private directory in %s: %s", b->path,
		    tmpdir, strerror(errno));
		free(tmpl);
		return r;
	}
	b->dir = tmpl;
	if ((top = open(tmpl, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		 O_CLOEXEC)) < 0)
		return ov_err_set(err, OV_E_IO, "%s: %s", tmpl,
		    strerror(errno));
	for (i = 0; r == OV_OK && i < fs->n; i++)
		if ((r = extract_one(top, fs->f[i].path, fs->data[i],
			 (size_t)fs->f[i].size, err)) != OV_OK)
			ov_err_wrap(err, "trust bundle %s: writing %s",
			    b->path, tmpl);
	close(top);
	return r;
}

static enum ov_code
keep_copy(unsigned char **dst, size_t *dlen, const unsigned char *src,
    size_t len, struct ov_err *err)
{
	if ((*dst = malloc(len + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memcpy(*dst, src, len);
	*dlen = len;
	return OV_OK;
}

static enum ov_code
open_archive(struct ov_tbundle *b, struct found *fs, struct ov_archive **ar,
    struct ov_err *err)
{
	struct ov_archive_opts opts;
	const struct ov_archive_entry *e;
	size_t i;
	enum ov_code r;

	memset(&opts, 0, sizeof(opts));
	opts.keep_all = 1;
	opts.max_bytes = OV_TBUNDLE_MAX_TOTAL;
	opts.max_kept = OV_TBUNDLE_MAX_TOTAL;
	if ((r = ov_archive_read(b->path, &opts, ar, err)) != OV_OK) {
		ov_err_wrap(err, "trust bundle");
		return r;
	}
	b->archive = 1;
	for (i = 0; i < ov_archive_count(*ar); i++) {
		e = ov_archive_entry(*ar, i);
		if (e->link != NULL)
			return ov_err_set(err, OV_E_CONFIG,
			    "trust bundle %s: %s: a symlink", b->path, e->name);
		if (e->data == NULL && e->size > 0)
			return ov_err_set(err, OV_E_LIMIT,
			    "trust bundle %s: %s: over the limit of %d bytes a file, %d in all",
			    b->path, e->name, OV_TBUNDLE_MAX_FILE,
			    OV_TBUNDLE_MAX_TOTAL);
		if (strcmp(e->name, OV_TBUNDLE_MANIFEST) == 0)
			r = keep_copy(&b->mdata, &b->mlen, e->data,
			    (size_t)e->size, err);
		else if (strcmp(e->name, OV_TBUNDLE_SIGNATURE) == 0)
			r = keep_copy(&b->sig, &b->siglen, e->data,
			    (size_t)e->size, err);
		else if (!path_valid(e->name))
			r = ov_err_set(err, OV_E_CONFIG,
			    "trust bundle %s: %s: not a name a trust bundle may hold",
			    b->path, e->name);
		else
			r = found_add(fs, b->path, e->name, e->data,
			    (size_t)e->size, err);
		if (r != OV_OK)
			return r;
	}
	return OV_OK;
}

enum ov_code
ov_tbundle_open(const char *path, const char *tmpdir, struct ov_tbundle **out,
    struct ov_err *err)
{
	struct ov_tbundle *b = NULL;
	struct ov_archive *ar = NULL;
	struct found fs;
	struct stat st;
	char *what = NULL;
	enum ov_code r;

	*out = NULL;
	memset(&fs, 0, sizeof(fs));
	if (stat(path, &st) != 0)
		return ov_err_set(err, errno == ENOENT ? OV_E_NOTFOUND : OV_E_IO,
		    "trust bundle %s: %s", path, strerror(errno));
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (b->path = strdup(path)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (S_ISDIR(st.st_mode))
		r = open_dir(b, &fs, err);
	else if (S_ISREG(st.st_mode))
		r = open_archive(b, &fs, &ar, err);
	else
		r = ov_err_set(err, OV_E_USAGE,
		    "trust bundle %s: neither a directory nor a file", path);
	if (r != OV_OK)
		goto out;
	if (b->mdata == NULL) {
		r = ov_err_set(err, OV_E_CONFIG,
		    "trust bundle %s: no %s: not a trust bundle (ocivet trust create makes one from a notation configuration)",
		    path, OV_TBUNDLE_MANIFEST);
		goto out;
	}
	if ((what = ov_strf("trust bundle %s: %s", path,
		 OV_TBUNDLE_MANIFEST)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_tbundle_manifest_parse(b->mdata, b->mlen, what, &b->m,
		 err)) != OV_OK ||
	    (r = compare(b, &fs, err)) != OV_OK)
		goto out;
	if (b->archive && (r = extract(b, &fs, tmpdir, err)) != OV_OK)
		goto out;
	*out = b;
	b = NULL; /* transferred */
out:
	free(what);
	found_clear(&fs);
	ov_archive_free(ar);
	ov_tbundle_free(b);
	return r;
}

const char *
ov_tbundle_dir(const struct ov_tbundle *b)
{
	return b->dir;
}

const char *
ov_tbundle_path(const struct ov_tbundle *b)
{
	return b->path;
}

int
ov_tbundle_is_archive(const struct ov_tbundle *b)
{
	return b->archive;
}

const struct ov_tbundle_manifest *
ov_tbundle_manifest(const struct ov_tbundle *b)
{
	return b->m;
}

int
ov_tbundle_signed(const struct ov_tbundle *b)
{
	return b->sig != NULL;
}

void
ov_tbundle_free(struct ov_tbundle *b)
{
	if (b == NULL)
		return;
	if (b->archive && b->dir != NULL)
		remove_tree(AT_FDCWD, b->dir);
	free(b->path);
	free(b->dir);
	ov_tbundle_manifest_free(b->m);
	free(b->mdata);
	free(b->sig);
	free(b);
}

/* ---- the detached signature --------------------------------------------- */

enum ov_code
ov_tbundle_check_signature(const struct ov_tbundle *b, const char *keyfile,
    struct ov_err *err)
{
	struct ov_buf kb;
	BIO *bio = NULL;
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *ctx = NULL;
	X509 *cert = NULL;
	const EVP_MD *md;
	enum ov_code r;
	int id;

	ov_buf_init(&kb, 1024 * 1024);
	if (b->sig == NULL)
		return ov_err_set(err, OV_E_NOTFOUND,
		    "trust bundle %s: no %s to check with %s", b->path,
		    OV_TBUNDLE_SIGNATURE, keyfile);
	if ((r = ov_buf_read_file(&kb, AT_FDCWD, keyfile, err)) != OV_OK)
		goto out;
	if ((bio = BIO_new_mem_buf(kb.data, (int)kb.len)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL)) == NULL) {
		(void)BIO_reset(bio);
		if ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
			pk = X509_get_pubkey(cert);
	}
	if (pk == NULL) {
		r = ov_err_ssl(err, OV_E_CONFIG,
		    "%s: neither a PEM public key nor a PEM certificate",
		    keyfile);
		goto out;
	}
	id = EVP_PKEY_get_base_id(pk);
	md = id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448 ? NULL
							    : EVP_sha256();
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, md, NULL, pk) != 1) {
		r = ov_err_ssl(err, OV_E_CONFIG, "%s: EVP_DigestVerifyInit",
		    keyfile);
		goto out;
	}
	if (EVP_DigestVerify(ctx, b->sig, b->siglen, b->mdata, b->mlen) != 1) {
		r = ov_err_ssl(err, OV_E_SIGNATURE,
		    "trust bundle %s: %s does not verify with the key in %s",
		    b->path, OV_TBUNDLE_SIGNATURE, keyfile);
		goto out;
	}
	r = OV_OK;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	X509_free(cert);
	BIO_free(bio);
	ov_buf_free(&kb);
	return r;
}

/* ---- writing ------------------------------------------------------------ */

struct wfile {
	const char *path;
	struct ov_buf data;
};

static int
wfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wfile *)a)->path,
	    ((const struct wfile *)b)->path);
}

/* The directories of path not yet written (sorted order: a directory
 * comes before everything under it). */
static enum ov_code
write_dirs(struct ov_bundle_out *w, const char *path, char ***dirs,
    size_t *ndirs, struct ov_err *err)
{
	char buf[OV_TBUNDLE_MAX_PATH + 1], *slash;
	size_t i;
	enum ov_code r;
	int seen;

	snprintf(buf, sizeof(buf), "%s", path);
	for (slash = strchr(buf, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		for (seen = 0, i = 0; i < *ndirs && !seen; i++)
			seen = strcmp((*dirs)[i], buf) == 0;
		if (!seen && ((r = ov_bundle_out_dir(w, buf, err)) != OV_OK ||
				 (r = ov_strlist_add(dirs, ndirs, buf, err)) !=
				     OV_OK))
			return r;
		*slash = '/';
	}
	return OV_OK;
}

enum ov_code
ov_tbundle_write(const char *out, enum ov_bundle_format format,
    const struct ov_tbundle_manifest *meta, const struct ov_tbundle_input *in,
    size_t n, struct ov_err *err)
{
	struct ov_tbundle_manifest m;
	struct ov_bundle_out *w = NULL;
	struct wfile *wf = NULL;
	char *json = NULL, **dirs = NULL;
	size_t i, ndirs = 0, total = 0;
	enum ov_code r;

	memset(&m, 0, sizeof(m));
	if (n > OV_TBUNDLE_MAX_FILES)
		return ov_err_set(err, OV_E_LIMIT,
		    "more than the limit of %d files", OV_TBUNDLE_MAX_FILES);
	if ((wf = calloc(n + 1, sizeof(*wf))) == NULL ||
	    (m.files = calloc(n + 1, sizeof(*m.files))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		wf[i].path = in[i].path;
		ov_buf_init(&wf[i].data, OV_TBUNDLE_MAX_FILE);
	}
	for (i = 0; i < n; i++) {
		if (!path_valid(in[i].path)) {
			r = ov_err_set(err, OV_E_USAGE,
			    "%s: \"%s\" is not a path a trust bundle may hold",
			    in[i].from, in[i].path);
			goto out;
		}
		if ((r = ov_buf_read_file(&wf[i].data, AT_FDCWD, in[i].from,
			 err)) != OV_OK)
			goto out;
		if ((total += wf[i].data.len) > OV_TBUNDLE_MAX_TOTAL) {
			r = ov_err_set(err, OV_E_LIMIT,
			    "over the limit of %d bytes in all",
			    OV_TBUNDLE_MAX_TOTAL);
			goto out;
		}
	}
	qsort(wf, n, sizeof(*wf), wfile_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(wf[i - 1].path, wf[i].path) == 0) {
			r = ov_err_set(err, OV_E_USAGE,
			    "%s is given twice", wf[i].path);
			goto out;
		}
		if ((m.files[i].path = strdup(wf[i].path)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		m.files[i].size = (int64_t)wf[i].data.len;
		if ((r = ov_digest_of(OV_DIGEST_SHA256, wf[i].data.data,
			 wf[i].data.len, &m.files[i].sha256, err)) != OV_OK)
			goto out;
	}
	m.nfiles = n;
	m.name = meta->name;
	m.version = meta->version;
	m.created = meta->created;
	m.description = meta->description;
	r = ov_tbundle_manifest_json(&m, &json, err);
	m.name = m.version = m.created = m.description = NULL; /* borrowed */
	if (r != OV_OK ||
	    (r = ov_bundle_out_open(out, format, NULL, 0, &w, err)) != OV_OK ||
	    (r = ov_bundle_out_file(w, OV_TBUNDLE_MANIFEST, json, strlen(json),
		 err)) != OV_OK)
		goto out;
	for (i = 0; i < n; i++)
		if ((r = write_dirs(w, wf[i].path, &dirs, &ndirs, err)) !=
			OV_OK ||
		    (r = ov_bundle_out_file(w, wf[i].path, wf[i].data.data,
			 wf[i].data.len, err)) != OV_OK)
			goto out;
	r = ov_bundle_out_commit(w, err);
out:
	ov_bundle_out_free(w);
	ov_strv_free(dirs, ndirs);
	free(json);
	if (wf != NULL)
		for (i = 0; i < n; i++)
			ov_buf_free(&wf[i].data);
	free(wf);
	m.nfiles = n;
	ov_tbundle_manifest_free_fields(&m);
	return r;
}
