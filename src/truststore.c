/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notation trust stores (trust-store-trust-policy.md "Trust Store"; spec
 * digest C.4, E.1): <root>/x509/<type>/<name>/ holds regular files of PEM
 * or DER certificates. Like notation-go, any sub-directory, symlink,
 * unreadable or certificate-less file fails the whole store.
 */
#include "config.h"

#include "truststore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "ovlimits.h"
#include "text.h"
#include "x509.h"

#define STORE_PATH_MAX 4096

static const char *const type_names[] = {
    [OV_STORE_CA] = "ca",
    [OV_STORE_SIGNING_AUTHORITY] = "signingAuthority",
    [OV_STORE_TSA] = "tsa",
};

#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *
ov_store_type_name(enum ov_store_type type)
{
	if ((size_t)type >= NTYPES)
		return "unknown";
	return type_names[type];
}

int
ov_store_type_parse(const char *s, size_t n, enum ov_store_type *out)
{
	size_t i;

	for (i = 0; i < NTYPES; i++) {
		if (strlen(type_names[i]) == n &&
		    memcmp(s, type_names[i], n) == 0) {
			*out = (enum ov_store_type)i;
			return 0;
		}
	}
	return -1;
}

int
ov_store_name_valid(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-')
			continue;
		return 0;
	}
	return 1;
}

/* Replace the code in err (which may be NULL) and return it. */
static enum ov_code
recode(struct ov_err *err, enum ov_code code)
{
	if (err != NULL)
		err->code = code;
	return code;
}

/* notation's admission rules for one certificate (spec digest C.4). */
static enum ov_code
admit(X509 *c, enum ov_store_type type, const char *store, const char *file,
      struct ov_err *err)
{
	char *subject;
	enum ov_code r;

	if (!ov_x509_is_ca(c) && !ov_x509_signed_by_own_key(c)) {
		subject = ov_x509_name(X509_get_subject_name(c));
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "trust store \"%s\" of type \"%s\": %s: certificate \"%s\" is not a CA certificate or self-signed signing certificate",
		    store, ov_store_type_name(type), file,
		    subject ? subject : "?");
		free(subject);
		return r;
	}
	if (type == OV_STORE_TSA &&
	    (r = ov_x509_check_root_ca(c, err)) != OV_OK) {
		ov_err_wrap(err, "trust store \"%s\" of type \"%s\": %s", store,
			    ov_store_type_name(type), file);
		return recode(err, OV_E_CONFIG);
	}
	return OV_OK;
}

/* Read, parse and admit one store entry, appending to all. */
static enum ov_code
load_file(int dfd, const char *file, enum ov_store_type type, const char *store,
	  struct ov_x509_cache *cache, struct ov_buf *b, STACK_OF(X509) *all,
	  struct ov_err *err)
{
	STACK_OF(X509) *certs = NULL;
	const char *tname = ov_store_type_name(type);
	struct stat st;
	X509 *c;
	enum ov_code r = OV_E_INTERNAL;

	if (fstatat(dfd, file, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		r = ov_err_set(err, OV_E_IO,
			       "trust store \"%s\" of type \"%s\": %s: %s",
			       store, tname, file, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "trust store \"%s\" of type \"%s\": %s is not a regular file (directories or symlinks are not supported)",
		    store, tname, file);
		goto out;
	}
	ov_buf_reset(b);
	if ((r = ov_buf_read_file(b, dfd, file, err)) != OV_OK) {
		/* a file that vanished is not a missing store */
		if (r == OV_E_NOTFOUND)
			r = recode(err, OV_E_IO);
		ov_err_wrap(err, "trust store \"%s\" of type \"%s\"", store,
			    tname);
		goto out;
	}
	if (b->len == 0) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "trust store \"%s\" of type \"%s\": %s: empty file, no certificate found",
		    store, tname, file);
		goto out;
	}
	if ((r = ov_x509_load_certs(b->data, b->len, file, cache, &certs,
				     err)) !=
	    OV_OK) {
		if (r == OV_E_FORMAT)
			r = recode(err, OV_E_CONFIG);
		ov_err_wrap(err, "trust store \"%s\" of type \"%s\"", store,
			    tname);
		goto out;
	}
	while (sk_X509_num(certs) > 0) {
		c = sk_X509_value(certs, 0);
		if ((r = admit(c, type, store, file, err)) != OV_OK)
			goto out;
		if (sk_X509_num(all) >= OV_MAX_STORE_CERTS) {
			r = ov_err_set(
			    err, OV_E_LIMIT,
			    "trust store \"%s\" of type \"%s\" has more than the limit of %d certificates",
			    store, tname, OV_MAX_STORE_CERTS);
			goto out;
		}
		if (sk_X509_push(all, c) <= 0) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		(void)sk_X509_shift(certs); /* transferred */
	}
	r = OV_OK;
out:
	sk_X509_pop_free(certs, X509_free);
	return r;
}

enum ov_code
ov_truststore_load(const char *root, enum ov_store_type type, const char *name,
		   struct ov_x509_cache *cache, STACK_OF(X509) **out,
		   struct ov_err *err)
{
	STACK_OF(X509) *all = NULL;
	struct ov_buf b;
	struct stat st;
	char path[STORE_PATH_MAX], who[OV_ERR_MSG_MAX];
	char **files = NULL;
	const char *tname;
	size_t nfiles = 0, i;
	int dfd = -1, n;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	ov_buf_init(&b, OV_MAX_CERT_FILE);
	if (root == NULL || name == NULL || (size_t)type >= NTYPES) {
		r = ov_err_set(err, OV_E_USAGE, "trust store: bad arguments");
		goto out;
	}
	tname = ov_store_type_name(type);
	/* "." and ".." pass the name grammar but name no store */
	if (!ov_store_name_valid(name) || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "trust store name \"%s\" is invalid: it must match [a-zA-Z0-9_.-]+ and not be \".\" or \"..\"",
		    name);
		goto out;
	}
	n = snprintf(path, sizeof(path), "%s/x509/%s/%s", root, tname, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		r = ov_err_set(
		    err, OV_E_LIMIT,
		    "trust store \"%s\" of type \"%s\": path is too long", name,
		    tname);
		goto out;
	}
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			r = ov_err_set(
			    err, OV_E_NOTFOUND,
			    "trust store \"%s\" of type \"%s\" does not exist: %s",
			    name, tname, path);
		else
			r = ov_err_set(
			    err, OV_E_IO,
			    "trust store \"%s\" of type \"%s\": %s: %s", name,
			    tname, path, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "trust store \"%s\" of type \"%s\" is not a regular directory (symlinks are not supported): %s",
		    name, tname, path);
		goto out;
	}
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			r = ov_err_set(
			    err, OV_E_CONFIG,
			    "trust store \"%s\" of type \"%s\" is not a regular directory (symlinks are not supported): %s",
			    name, tname, path);
		else
			r = ov_err_set(
			    err, OV_E_IO,
			    "trust store \"%s\" of type \"%s\": %s: %s", name,
			    tname, path, strerror(errno));
		goto out;
	}
	(void)snprintf(who, sizeof(who), "trust store \"%s\" of type \"%s\"",
		       name, tname);
	r = ov_dir_names(dfd, who, OV_MAX_STORE_FILES, &files, &nfiles, err);
	if (r == OV_E_LIMIT)
		r = ov_err_set(
		    err, OV_E_LIMIT,
		    "trust store \"%s\" of type \"%s\" has more than the limit of %d files",
		    name, tname, OV_MAX_STORE_FILES);
	if (r != OV_OK)
		goto out;
	if ((all = sk_X509_new_null()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nfiles; i++)
		if ((r = load_file(dfd, files[i], type, name, cache, &b, all,
				    err)) !=
		    OV_OK)
			goto out;
	if (sk_X509_num(all) == 0) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "no x509 certificates were found in trust store \"%s\" of type \"%s\": %s",
		    name, tname, path);
		goto out;
	}
	*out = all;
	all = NULL; /* transferred */
	r = OV_OK;
out:
	sk_X509_pop_free(all, X509_free);
	ov_strv_free(files, nfiles);
	if (dfd >= 0)
		close(dfd);
	ov_buf_free(&b);
	return r;
}

enum ov_code
ov_truststore_names(const char *root, enum ov_store_type type, char ***names,
		    size_t *n, struct ov_err *err)
{
	char path[STORE_PATH_MAX];
	int dfd, k;
	enum ov_code r;

	*names = NULL;
	*n = 0;
	if ((size_t)type >= NTYPES)
		return ov_err_set(err, OV_E_USAGE, "trust store: bad type");
	k = snprintf(path, sizeof(path), "%s/x509/%s", root,
		     ov_store_type_name(type));
	if (k < 0 || (size_t)k >= sizeof(path))
		return ov_err_set(err, OV_E_LIMIT, "%s/x509: path is too long",
				  root);
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return OV_OK;
		return ov_err_set(err, OV_E_IO, "%s: %s", path,
				  strerror(errno));
	}
	r = ov_dir_names(dfd, path, OV_MAX_STORE_FILES, names, n, err);
	close(dfd);
	return r;
}
