/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 validation (RFC 3629), message quoting, formatted strings and
 * string lists.
 */
#include "config.h"

#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
ov_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && p[1] >= 0xa0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0; /* overlong */
		if (c == 0xf4 && p[1] >= 0x90)
			return 0; /* above U+10FFFF */
		return 4;
	}
	return 0;
}

int
ov_utf8_valid(const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i = 0, k;

	while (i < n) {
		if ((k = ov_utf8_len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

const char *
ov_quote_n(struct ov_quote *q, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	q->s[o++] = '"';
	for (i = 0; i < n && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == OV_QUOTE_MAX) {
			memcpy(q->s + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			q->s[o++] = '\\';
			q->s[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			q->s[o++] = '\\';
			q->s[o++] = 'x';
			q->s[o++] = hex[c >> 4];
			q->s[o++] = hex[c & 0xf];
		} else {
			q->s[o++] = (char)c;
		}
	}
	q->s[o++] = '"';
	q->s[o] = '\0';
	return q->s;
}

const char *
ov_quote(struct ov_quote *q, const char *s)
{
	return ov_quote_n(q, s, strlen(s));
}

char *
ov_vstrf(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	(void)vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
ov_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = ov_vstrf(fmt, ap);
	va_end(ap);
	return s;
}

enum ov_code
ov_strlist_take(char ***list, size_t *n, char *s, struct ov_err *err)
{
	char **nl;

	if (s == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((nl = realloc(*list, (*n + 1) * sizeof(*nl))) == NULL) {
		free(s);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	nl[(*n)++] = s;
	*list = nl;
	return OV_OK;
}

enum ov_code
ov_strlist_addn(char ***list, size_t *n, const void *p, size_t len,
		struct ov_err *err)
{
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memcpy(s, p, len);
	s[len] = '\0';
	return ov_strlist_take(list, n, s, err);
}

enum ov_code
ov_strlist_add(char ***list, size_t *n, const char *text, struct ov_err *err)
{
	return ov_strlist_take(list, n, strdup(text), err);
}

void
ov_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}
