/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared declarations of the libFuzzer targets in tests/fuzz: the entry
 * points libFuzzer (or replay.c, in ordinary builds) calls, and the few
 * helpers every target needs. Targets never print; they abort() only when
 * a property the code promises does not hold.
 */
#ifndef OV_FUZZ_H
#define OV_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property the library promises is broken: a bug, reported as a crash. */
#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			abort();                                               \
	} while (0)

/* A malloc'd NUL-terminated copy of the input (NULL when out of memory). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		if (size > 0)
			memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* The house rule: the code that detects a failure writes a message. */
static inline void
fuzz_check_err(enum ov_code r, const struct ov_err *err)
{
	if (r != OV_OK)
		FUZZ_ASSERT(err->msg[0] != '\0');
}

#endif
