/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small text helpers: UTF-8 validation (RFC 3629), quoting untrusted
 * strings for one-line messages, printf into new strings, and string
 * lists (a malloc'd array of n malloc'd strings, as in struct
 * ov_sig_result's errors).
 */
#ifndef OV_TEXT_H
#define OV_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

/*
 * Length of the valid UTF-8 sequence at p (n > 0 bytes available), or 0:
 * RFC 3629, so no overlong forms, surrogates or code points above
 * U+10FFFF. A NUL byte is a valid sequence of length 1.
 */
size_t ov_utf8_len(const unsigned char *p, size_t n);

/* 1 when the n bytes at s are valid UTF-8 (NUL bytes allowed), else 0. */
int ov_utf8_valid(const void *s, size_t n);

/* Longest part of an input string quoted in a message. */
#define OV_QUOTE_MAX 120

struct ov_quote {
	char s[4 * OV_QUOTE_MAX + 8];
};

/*
 * s quoted for a one-line message the way Go's %q does for ASCII: '"'
 * and '\\' escaped, control bytes as \xNN; strings longer than
 * OV_QUOTE_MAX bytes are cut with "...". ov_quote_n() stops after n
 * bytes. Returns q->s.
 */
const char *ov_quote(struct ov_quote *q, const char *s);
const char *ov_quote_n(struct ov_quote *q, const char *s, size_t n);

/* printf into a new malloc'd string; NULL when out of memory. */
char *ov_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *ov_vstrf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* Append a copy of text to the string list *list of *n strings. */
enum ov_code ov_strlist_add(char ***list, size_t *n, const char *text,
			    struct ov_err *err);

/* Append a copy of the len bytes at p (which hold no NUL) as a string. */
enum ov_code ov_strlist_addn(char ***list, size_t *n, const void *p, size_t len,
			     struct ov_err *err);

/*
 * Append s itself: the list takes it over, also on failure (then it is
 * freed). s NULL means a failed allocation: OV_E_NOMEM.
 */
enum ov_code ov_strlist_take(char ***list, size_t *n, char *s,
			     struct ov_err *err);

/* Free the n strings of v and v itself; v may be NULL. */
void ov_strv_free(char **v, size_t n);

#endif
