/* SPDX-License-Identifier: Apache-2.0 */
/* Strict base64 / base64url around OpenSSL's EVP_EncodeBlock/DecodeBlock. */
#include "config.h"

#include "b64.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static int
is_std(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

static int
is_url(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Decode a validated, padded standard-alphabet string of length n. */
static enum ov_code
decode_padded(const char *s, size_t n, size_t pad, unsigned char **out,
    size_t *outlen, struct ov_err *err)
{
	unsigned char *p;
	int m;

	if (n > INT_MAX)
		return ov_err_set(err, OV_E_LIMIT, "base64 input too long");
	if ((p = malloc(n / 4 * 3 + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	m = n ? EVP_DecodeBlock(p, (const unsigned char *)s, (int)n) : 0;
	if (m < 0 || (size_t)m < pad) {
		free(p);
		return ov_err_set(err, OV_E_FORMAT, "invalid base64 data");
	}
	*out = p;
	*outlen = (size_t)m - pad;
	return OV_OK;
}

enum ov_code
ov_b64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen,
    struct ov_err *err)
{
	size_t i, pad = 0;

	*out = NULL;
	*outlen = 0;
	if (n % 4 != 0)
		return ov_err_set(err, OV_E_FORMAT,
		    "invalid base64 data: length %zu is not a multiple of 4",
		    n);
	if (n >= 1 && s[n - 1] == '=')
		pad++;
	if (n >= 2 && s[n - 2] == '=')
		pad++;
	for (i = 0; i < n - pad; i++)
		if (!is_std((unsigned char)s[i]))
			return ov_err_set(err, OV_E_FORMAT,
			    "illegal base64 data at input byte %zu", i);
	return decode_padded(s, n, pad, out, outlen, err);
}

enum ov_code
ov_b64url_decode(const char *s, size_t n, unsigned char **out,
    size_t *outlen, struct ov_err *err)
{
	char *t;
	size_t i, pad;
	enum ov_code r;

	*out = NULL;
	*outlen = 0;
	for (i = 0; i < n; i++)
		if (!is_url((unsigned char)s[i]))
			return ov_err_set(err, OV_E_FORMAT,
			    "illegal base64url data at input byte %zu", i);
	if (n % 4 == 1)
		return ov_err_set(err, OV_E_FORMAT,
		    "illegal base64url data: truncated at input byte %zu", n);
	pad = (4 - n % 4) % 4;
	if ((t = malloc(n + pad + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		t[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	for (i = 0; i < pad; i++)
		t[n + i] = '=';
	t[n + pad] = '\0';
	r = decode_padded(t, n + pad, pad, out, outlen, err);
	free(t);
	return r;
}

char *
ov_b64_encode(const void *p, size_t n)
{
	char *s;

	if (n > INT_MAX / 2)
		return NULL;
	if ((s = malloc((n + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)s, p, (int)n);
	return s;
}

char *
ov_b64url_encode(const void *p, size_t n)
{
	char *s, *e;

	if ((s = ov_b64_encode(p, n)) == NULL)
		return NULL;
	for (e = s; *e != '\0'; e++) {
		if (*e == '+')
			*e = '-';
		else if (*e == '/')
			*e = '_';
		else if (*e == '=') {
			*e = '\0';
			break;
		}
	}
	return s;
}
