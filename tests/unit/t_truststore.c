/* SPDX-License-Identifier: Apache-2.0 */
/*
 * truststore: named store loading and admission (spec digest C.4, E.1),
 * against testdata/pki/truststore, stores built at run time in a temporary
 * directory (symlinks, empty stores, permissions) and, when present, the
 * notation-go store fixtures.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "ovlimits.h"
#include "truststore.h"
#include "x509.h"

#define ROOT_NAME "CN=Ocivet Test RSA Root,O=Ocivet Test,L=Seattle,ST=WA,C=US"

static char tmproot[4096]; /* the run-time tree; "" when not made */

static const char *
pki_root(void)
{
	static char root[4096];

	(void)snprintf(root, sizeof(root), "%s",
		       testdata_path("pki/truststore"));
	return root;
}

/* Load a store; *n gets the certificate count or -1. */
static enum ov_code
load(const char *root, enum ov_store_type type, const char *name, int *n,
     char *subject0, size_t len, struct ov_err *err)
{
	STACK_OF(X509) *certs = NULL;
	char *s;
	enum ov_code r;

	*n = -1;
	ov_err_clear(err);
	r = ov_truststore_load(root, type, name, NULL, &certs, err);
	if (r == OV_OK) {
		*n = sk_X509_num(certs);
		if (subject0 != NULL) {
			s = ov_x509_name(
			    X509_get_subject_name(sk_X509_value(certs, 0)));
			(void)snprintf(subject0, len, "%s", s);
			free(s);
		}
	} else if (certs != NULL) {
		*n = -2; /* must stay NULL on failure */
	}
	sk_X509_pop_free(certs, X509_free);
	return r;
}

TEST(type_names)
{
	enum ov_store_type t = OV_STORE_CA;

	ASSERT_STR_EQ(ov_store_type_name(OV_STORE_CA), "ca");
	ASSERT_STR_EQ(ov_store_type_name(OV_STORE_SIGNING_AUTHORITY),
		      "signingAuthority");
	ASSERT_STR_EQ(ov_store_type_name(OV_STORE_TSA), "tsa");
	ASSERT_INT_EQ(ov_store_type_parse("tsa", 3, &t), 0);
	ASSERT_INT_EQ(t, OV_STORE_TSA);
	ASSERT_INT_EQ(ov_store_type_parse("signingAuthority", 16, &t), 0);
	ASSERT_INT_EQ(t, OV_STORE_SIGNING_AUTHORITY);
	ASSERT_INT_EQ(ov_store_type_parse("ca:x", 2, &t), 0);
	ASSERT_INT_EQ(t, OV_STORE_CA);
	ASSERT_INT_EQ(ov_store_type_parse("CA", 2, &t), -1);
	ASSERT_INT_EQ(ov_store_type_parse("signingauthority", 16, &t), -1);
	ASSERT_INT_EQ(ov_store_type_parse("ts", 2, &t), -1);
	ASSERT_INT_EQ(ov_store_type_parse("", 0, &t), -1);
}

TEST(name_valid)
{
	ASSERT_INT_EQ(ov_store_name_valid("valid-trust-store_2.x"), 1);
	ASSERT_INT_EQ(ov_store_name_valid("A"), 1);
	ASSERT_INT_EQ(ov_store_name_valid(""), 0);
	ASSERT_INT_EQ(ov_store_name_valid(NULL), 0);
	ASSERT_INT_EQ(ov_store_name_valid("a/b"), 0);
	ASSERT_INT_EQ(ov_store_name_valid("a b"), 0);
	ASSERT_INT_EQ(ov_store_name_valid("caf\xc3\xa9"), 0);
	ASSERT_INT_EQ(ov_store_name_valid("a:b"), 0);
}

TEST(valid_stores)
{
	struct ov_err err;
	char subj[256];
	int n;

	/* sorted: ec-root.der, int-and-other-root.pem, root.pem,
	 * selfsigned.crt */
	ASSERT_OK(load(pki_root(), OV_STORE_CA, "valid", &n, subj, sizeof(subj),
		       &err),
		  &err);
	ASSERT_INT_EQ(n, 5);
	ASSERT_STR_EQ(
	    subj, "CN=Ocivet Test EC Root,O=Ocivet Test,L=Seattle,ST=WA,C=US");
	ASSERT_OK(load(pki_root(), OV_STORE_SIGNING_AUTHORITY, "valid", &n,
		       subj, sizeof(subj), &err),
		  &err);
	ASSERT_INT_EQ(n, 1);
	ASSERT_STR_EQ(subj, ROOT_NAME);
	ASSERT_OK(load(pki_root(), OV_STORE_TSA, "valid", &n, NULL, 0, &err),
		  &err);
	ASSERT_INT_EQ(n, 2);
}

TEST(invalid_stores)
{
	static const struct {
		enum ov_store_type type;
		const char *name;
		enum ov_code code;
		const char *msg;
	} cases[] = {
	    {OV_STORE_CA, "leaf", OV_E_CONFIG,
	     "trust store \"leaf\" of type \"ca\": leaf.pem: certificate \"CN=Ocivet Test RSA Leaf,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not a CA certificate or self-signed signing certificate"},
	    {OV_STORE_CA, "notcert", OV_E_CONFIG,
	     "trust store \"notcert\" of type \"ca\": README: neither PEM nor DER certificates"},
	    {OV_STORE_CA, "emptyfile", OV_E_CONFIG,
	     "trust store \"emptyfile\" of type \"ca\": empty.pem: empty file"},
	    {OV_STORE_CA, "subdir", OV_E_CONFIG,
	     "trust store \"subdir\" of type \"ca\": sub is not a regular file (directories or symlinks are not supported)"},
	    {OV_STORE_CA, "keyfile", OV_E_CONFIG,
	     "selfsigned-with-key.pem: PEM block 2 is a \"PRIVATE KEY\""},
	    {OV_STORE_TSA, "nonroot", OV_E_CONFIG,
	     "trust store \"nonroot\" of type \"tsa\": int.pem: certificate \"CN=Ocivet Test RSA Intermediate,O=Ocivet Test,L=Seattle,ST=WA,C=US\" is not a root CA certificate"},
	    {OV_STORE_TSA, "selfsigned-leaf", OV_E_CONFIG,
	     "is not a root CA certificate: it is not a CA certificate"},
	    {OV_STORE_TSA, "sha1-root", OV_E_CONFIG,
	     "is not a root CA certificate: it is signed with sha1WithRSAEncryption"},
	    {OV_STORE_CA, "does-not-exist", OV_E_NOTFOUND,
	     "trust store \"does-not-exist\" of type \"ca\" does not exist: "},
	    /* stores of one type are not visible under another */
	    {OV_STORE_SIGNING_AUTHORITY, "leaf", OV_E_NOTFOUND,
	     "does not exist"},
	    {OV_STORE_CA, "..", OV_E_CONFIG, "is invalid"},
	    {OV_STORE_CA, ".", OV_E_CONFIG, "is invalid"},
	    {OV_STORE_CA, "../ca", OV_E_CONFIG, "is invalid"},
	    {OV_STORE_CA, "", OV_E_CONFIG, "is invalid"},
	};
	struct ov_err err;
	enum ov_code r;
	size_t i;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = load(pki_root(), cases[i].type, cases[i].name, &n, NULL, 0,
			 &err);
		if (r != cases[i].code || n != -1 ||
		    strstr(err.msg, cases[i].msg) == NULL) {
			fprintf(stderr, "%s/%s: got %s (%s), want %s (%s)\n",
				ov_store_type_name(cases[i].type),
				cases[i].name, ov_code_name(r), err.msg,
				ov_code_name(cases[i].code), cases[i].msg);
			ov_test_failed = 1;
		}
	}
}

/* --- stores made at run time ----------------------------------------- */

static void
mkdir_or_die(const char *path)
{
	if (mkdir(path, 0755) != 0) {
		fprintf(stderr, "mkdir %s: %s\n", path, strerror(errno));
		exit(99);
	}
}

static void
write_or_die(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n || close(fd) != 0) {
		fprintf(stderr, "write %s: %s\n", path, strerror(errno));
		exit(99);
	}
}

static const char *
tpath(const char *rel)
{
	static char p[8192];

	(void)snprintf(p, sizeof(p), "%s/%s", tmproot, rel);
	return p;
}

/* Remove the tree at path (no symlinks followed). */
static void
rm_tree(const char *path)
{
	char sub[8192];
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		(void)chmod(path, 0755);
		if ((d = opendir(path)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (strcmp(de->d_name, ".") == 0 ||
				    strcmp(de->d_name, "..") == 0)
					continue;
				(void)snprintf(sub, sizeof(sub), "%s/%s", path,
					       de->d_name);
				rm_tree(sub);
			}
			closedir(d);
		}
		(void)rmdir(path);
	} else {
		(void)unlink(path);
	}
}

TEST(runtime_stores)
{
	struct ov_err err;
	struct ov_buf root;
	const char *tmp = getenv("TMPDIR");
	int n, fd;

	(void)snprintf(tmproot, sizeof(tmproot), "%s/ov-truststore-XXXXXX",
		       tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tmproot) == NULL)
		FAIL("mkdtemp: %s", strerror(errno));
	read_file_or_die(testdata_path("pki/certs/root.pem"), &root);
	mkdir_or_die(tpath("x509"));
	mkdir_or_die(tpath("x509/ca"));

	/* a symlink next to a good file */
	mkdir_or_die(tpath("x509/ca/link"));
	write_or_die(tpath("x509/ca/link/root.pem"), root.data, root.len);
	if (symlink("root.pem", tpath("x509/ca/link/again.pem")) != 0)
		FAIL("symlink: %s", strerror(errno));
	ASSERT_CODE(load(tmproot, OV_STORE_CA, "link", &n, NULL, 0, &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "again.pem is not a regular file (directories or symlinks are not supported)");
	ASSERT_INT_EQ(n, -1);

	/* a good store, then the store itself as a symlink to it */
	mkdir_or_die(tpath("x509/ca/good"));
	write_or_die(tpath("x509/ca/good/root.pem"), root.data, root.len);
	ASSERT_OK(load(tmproot, OV_STORE_CA, "good", &n, NULL, 0, &err), &err);
	ASSERT_INT_EQ(n, 1);
	if (symlink("good", tpath("x509/ca/alias")) != 0)
		FAIL("symlink: %s", strerror(errno));
	ASSERT_CODE(load(tmproot, OV_STORE_CA, "alias", &n, NULL, 0, &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "trust store \"alias\" of type \"ca\" is not a regular directory (symlinks are not supported): ");
	/* a dangling symlink is not a missing store either */
	if (symlink("nowhere", tpath("x509/ca/dangling")) != 0)
		FAIL("symlink: %s", strerror(errno));
	ASSERT_CODE(load(tmproot, OV_STORE_CA, "dangling", &n, NULL, 0, &err),
		    OV_E_CONFIG, &err);

	/* a regular file where the store should be */
	write_or_die(tpath("x509/ca/file"), root.data, root.len);
	ASSERT_CODE(load(tmproot, OV_STORE_CA, "file", &n, NULL, 0, &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "is not a regular directory");

	/* an empty store */
	mkdir_or_die(tpath("x509/ca/empty"));
	ASSERT_CODE(load(tmproot, OV_STORE_CA, "empty", &n, NULL, 0, &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "no x509 certificates were found in trust store \"empty\" of type \"ca\"");

	/* a file above the size limit */
	mkdir_or_die(tpath("x509/ca/big"));
	fd = open(tpath("x509/ca/big/big.pem"), O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)OV_MAX_CERT_FILE + 1) != 0)
		FAIL("big file: %s", strerror(errno));
	close(fd);
	ASSERT_CODE(load(tmproot, OV_STORE_CA, "big", &n, NULL, 0, &err),
		    OV_E_LIMIT, &err);
	ASSERT_STR_HAS(err.msg, "big.pem");

	/* an unreadable file (root reads it anyway) */
	mkdir_or_die(tpath("x509/ca/perm"));
	write_or_die(tpath("x509/ca/perm/root.pem"), root.data, root.len);
	if (chmod(tpath("x509/ca/perm/root.pem"), 0) != 0)
		FAIL("chmod: %s", strerror(errno));
	if (geteuid() != 0) {
		ASSERT_CODE(load(tmproot, OV_STORE_CA, "perm", &n, NULL, 0,
				 &err),
			    OV_E_IO, &err);
		ASSERT_STR_HAS(err.msg, "root.pem: Permission denied");
	} else {
		fprintf(stderr,
			"  (running as root: permission case skipped)\n");
	}

	/* no x509 directory at all */
	ASSERT_CODE(load(tpath("x509/ca"), OV_STORE_CA, "good", &n, NULL, 0,
			 &err),
		    OV_E_NOTFOUND, &err);
	ov_buf_free(&root);
}

/* --- upstream vectors --------------------------------------------------- */

TEST(vectors)
{
	static const struct {
		enum ov_store_type type;
		const char *name;
		int count; /* -1: must fail with OV_E_CONFIG */
		const char *msg;
	} cases[] = {
	    {OV_STORE_CA, "valid-trust-store", 6, NULL},
	    {OV_STORE_CA, "valid-trust-store-self-signed", 1, NULL},
	    {OV_STORE_CA, "valid-trust-store-2", 2, NULL},
	    {OV_STORE_SIGNING_AUTHORITY, "valid-trust-store", 3, NULL},
	    {OV_STORE_TSA, "test-timestamp", 1, NULL},
	    {OV_STORE_TSA, "test-mismatch", 1, NULL},
	    {OV_STORE_CA, "trust-store-with-invalid-certs", -1,
	     "trust store \"trust-store-with-invalid-certs\" of type \"ca\": invalid"},
	    {OV_STORE_CA, "trust-store-with-leaf-certs", -1,
	     "non-ca.crt: certificate \"CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\" is not a CA certificate or self-signed signing certificate"},
	    {OV_STORE_CA, "trust-store-with-leaf-certs-in-single-file", -1,
	     "RootAndLeafCerts.crt: certificate \"CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\" is not a CA certificate or self-signed signing certificate"},
	    {OV_STORE_TSA, "test-nonCA", -1,
	     "wabbit-networks.io.crt: certificate \"CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\" is not a root CA certificate"},
	    {OV_STORE_TSA, "test-nonSelfIssued", -1,
	     "is not a root CA certificate: issuer (CN=Notation Test Revokable RSA Chain Cert Root,O=Notary,L=Seattle,ST=WA,C=US) and subject (CN=Notation Test Revokable RSA Chain Cert 2,O=Notary,L=Seattle,ST=WA,C=US) are not the same"},
	};
	const char *v = vectors_path("notation-go/timestamp/truststore");
	char root[4096];
	struct ov_err err;
	enum ov_code r;
	size_t i;
	int n;

	if (v == NULL) {
		fprintf(stderr, "  (upstream vectors absent: cases skipped)\n");
		return;
	}
	(void)snprintf(root, sizeof(root), "%s", v);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = load(root, cases[i].type, cases[i].name, &n, NULL, 0, &err);
		if (cases[i].count >= 0
			? r != OV_OK || n != cases[i].count
			: r != OV_E_CONFIG ||
			      strstr(err.msg, cases[i].msg) == NULL) {
			fprintf(stderr, "%s/%s: got %s %d (%s)\n",
				ov_store_type_name(cases[i].type),
				cases[i].name, ov_code_name(r), n, err.msg);
			ov_test_failed = 1;
		}
	}
}

int
main(void)
{
	int status;

	RUN(type_names);
	RUN(name_valid);
	RUN(valid_stores);
	RUN(invalid_stores);
	RUN(runtime_stores);
	RUN(vectors);
	status = ov_test_done();
	if (tmproot[0] != '\0')
		rm_tree(tmproot);
	return status;
}
