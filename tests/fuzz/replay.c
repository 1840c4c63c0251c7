/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Corpus replay without libFuzzer (zstd's regression_driver.c): linked
 * with one fuzz_<target>.c into tests/fuzz/replay_<target>, it feeds every
 * file of testdata/fuzz/<target>/ (or the files and directories named on
 * the command line) to LLVMFuzzerTestOneInput once, in name order. make
 * check runs it in ordinary builds, so the sanitizer and valgrind jobs
 * replay every seed and every past crash.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "ovlimits.h"

/* Larger than any -max_len tests/fuzz/smoke.sh uses. */
#define MAX_REPLAY_INPUT (16 * OV_MIB)

/* Defined only by targets that need one-time setup. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static const char *prog = "replay";

/* Run one file; 0 on success, -1 (with a message) when it is unreadable. */
static int
run_file(const char *path, size_t *count, size_t *bytes)
{
	struct ov_buf b;
	struct ov_err err;
	unsigned char *copy;
	size_t len;

	ov_buf_init(&b, MAX_REPLAY_INPUT);
	if (ov_buf_read_file(&b, AT_FDCWD, path, &err) != OV_OK) {
		fprintf(stderr, "%s: %s\n", prog, err.msg);
		ov_buf_free(&b);
		return -1;
	}
	/* An exact-size copy, so that reading past the end is caught. */
	len = b.len;
	if ((copy = malloc(len > 0 ? len : 1)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ov_buf_free(&b);
		return -1;
	}
	if (len > 0)
		memcpy(copy, b.data, len);
	ov_buf_free(&b);
	(void)LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	(*count)++;
	*bytes += len;
	return 0;
}

/* Run every regular file of dir (hidden files skipped) in name order. */
static int
run_dir(const char *dir, size_t *count, size_t *bytes)
{
	struct dirent **names = NULL;
	char path[4096];
	struct stat st;
	int i, n, r = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		int len;

		if (r == 0 && name[0] != '.') {
			len = snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (len < 0 || (size_t)len >= sizeof(path)) {
				fprintf(stderr, "%s: %s/%s: name too long\n",
					prog, dir, name);
				r = -1;
			} else if (stat(path, &st) == 0 &&
				   S_ISREG(st.st_mode)) {
				r = run_file(path, count, bytes);
			}
		}
		free(names[i]);
	}
	free(names);
	return r;
}

static int
run_path(const char *path, size_t *count, size_t *bytes)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? run_dir(path, count, bytes)
				   : run_file(path, count, bytes);
}

int
main(int argc, char **argv)
{
	const char *base, *target, *testdata;
	char corpus[4096];
	size_t count = 0, bytes = 0;
	int i, len;

	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	prog = base;
	target = strncmp(base, "replay_", 7) == 0 ? base + 7 : base;
	if (LLVMFuzzerInitialize != NULL)
		(void)LLVMFuzzerInitialize(&argc, &argv);

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (run_path(argv[i], &count, &bytes) != 0)
				return 1;
		printf("%s: %zu inputs (%zu bytes) replayed\n", prog, count,
		       bytes);
		return 0;
	}
	if ((testdata = getenv("OV_TESTDATA")) != NULL && testdata[0] != '\0')
		len = snprintf(corpus, sizeof(corpus), "%s/fuzz/%s", testdata,
			       target);
	else
		len = snprintf(corpus, sizeof(corpus), "%s/testdata/fuzz/%s",
			       OV_SRCDIR, target);
	if (len < 0 || (size_t)len >= sizeof(corpus)) {
		fprintf(stderr, "%s: corpus path too long\n", prog);
		return 1;
	}
	if (run_dir(corpus, &count, &bytes) != 0)
		return 1;
	if (count == 0) {
		fprintf(stderr, "%s: %s holds no inputs\n", prog, corpus);
		return 1;
	}
	printf("%s: %zu inputs (%zu bytes) from %s replayed\n", prog, count,
	       bytes, corpus);
	return 0;
}
