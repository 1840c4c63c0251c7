/* SPDX-License-Identifier: Apache-2.0 */
/* Unit-test harness: runner, testdata paths, file reading. */
#include "config.h"

#include "harness.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>

int ov_test_failed;
int ov_test_failures;

void
ov_test_run(const char *name, void (*fn)(void))
{
	ov_test_failed = 0;
	fn();
	/* A test must not leave OpenSSL errors behind for the next one. */
	ERR_clear_error();
	if (ov_test_failed) {
		ov_test_failures++;
		fprintf(stderr, "FAIL %s\n", name);
	} else {
		fprintf(stderr, "ok   %s\n", name);
	}
}

int
ov_test_done(void)
{
	return ov_test_failures ? 1 : 0;
}

const char *
testdata_path(const char *rel)
{
	static char path[4096];
	const char *base = getenv("OV_TESTDATA");

	if (base == NULL)
		base = OV_SRCDIR "/testdata";
	(void)snprintf(path, sizeof(path), "%s/%s", base, rel);
	return path;
}

const char *
vectors_path(const char *rel)
{
	static char path[4096];
	const char *base = getenv("OV_VECTORS");
	struct stat st;

	if (base == NULL)
		base = OV_SRCDIR "/../shared/vectors";
	if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	(void)snprintf(path, sizeof(path), "%s/%s", base, rel);
	return path;
}

void
read_file_or_die(const char *path, struct ov_buf *b)
{
	struct ov_err err;

	ov_buf_init(b, 64 * 1024 * 1024);
	if (ov_buf_read_file(b, AT_FDCWD, path, &err) != OV_OK) {
		fprintf(stderr, "cannot read test file: %s\n", err.msg);
		exit(99);
	}
}
