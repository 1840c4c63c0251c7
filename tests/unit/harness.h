/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal unit-test harness. Each t_<module>.c defines tests with
 * TEST(name) and lists them in main() through RUN(name). A failed ASSERT
 * prints file:line and the values and ends that test; the program exits
 * 1 when any test failed, 77 (skipped) via SKIP().
 */
#ifndef OV_HARNESS_H
#define OV_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "err.h"

extern int ov_test_failed;   /* set when the current test fails */
extern int ov_test_failures; /* tests failed so far */

#define TEST(name) static void test_##name(void)
#define RUN(name) ov_test_run(#name, test_##name)

void ov_test_run(const char *name, void (*fn)(void));
int ov_test_done(void); /* exit status for main() */

#define FAIL(...)                                                            \
	do {                                                                 \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);              \
		fprintf(stderr, __VA_ARGS__);                                \
		fputc('\n', stderr);                                         \
		ov_test_failed = 1;                                          \
		return;                                                      \
	} while (0)

#define ASSERT(c)                                                            \
	do {                                                                 \
		if (!(c))                                                    \
			FAIL("assertion failed: %s", #c);                    \
	} while (0)

#define ASSERT_INT_EQ(a, b)                                                  \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		if (a_ != b_)                                                \
			FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);      \
	} while (0)

#define ASSERT_STR_EQ(a, b)                                                  \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)         \
			FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b,           \
			    a_ ? a_ : "(null)", b_ ? b_ : "(null)");         \
	} while (0)

/* a contains substring b */
#define ASSERT_STR_HAS(a, b)                                                 \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (a_ == NULL || b_ == NULL || strstr(a_, b_) == NULL)      \
			FAIL("%s contains %s: \"%s\" lacks \"%s\"", #a, #b,  \
			    a_ ? a_ : "(null)", b_ ? b_ : "(null)");         \
	} while (0)

#define ASSERT_MEM_EQ(a, b, n)                                               \
	do {                                                                 \
		if (memcmp((a), (b), (n)) != 0)                              \
			FAIL("%s == %s (%zu bytes) differ", #a, #b,          \
			    (size_t)(n));                                    \
	} while (0)

/* Expect a library call to return code, printing err on mismatch. */
#define ASSERT_CODE(call, code, errp)                                        \
	do {                                                                 \
		int r_ = (call);                                             \
		if (r_ != (int)(code))                                       \
			FAIL("%s: got %s, want %s (%s)", #call,              \
			    ov_code_name((enum ov_code)r_),                  \
			    ov_code_name(code), (errp)->msg);                \
	} while (0)

#define ASSERT_OK(call, errp) ASSERT_CODE(call, OV_OK, errp)

#define SKIP(...)                                                            \
	do {                                                                 \
		fprintf(stderr, "skipped: ");                                \
		fprintf(stderr, __VA_ARGS__);                                \
		fputc('\n', stderr);                                         \
		exit(77);                                                    \
	} while (0)

/*
 * Path of a file under testdata/ ($OV_TESTDATA, else the source tree's),
 * in a static buffer overwritten by the next call.
 */
const char *testdata_path(const char *rel);

/* Path under the shared upstream vectors ($OV_VECTORS), or NULL when that
 * folder is absent (tests then skip). */
const char *vectors_path(const char *rel);

/* Read a whole file into b (max 64 MiB); aborts the process on failure. */
void read_file_or_die(const char *path, struct ov_buf *b);

#endif
