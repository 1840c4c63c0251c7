/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict base64 (RFC 4648 section 4, padded, as in JWS x5c) and base64url
 * (RFC 7515 section 2, unpadded). No whitespace or stray characters are
 * tolerated. The arithmetic is OpenSSL's; this module only enforces the
 * alphabet and padding rules around it.
 */
#ifndef OV_B64_H
#define OV_B64_H

#include <stddef.h>

#include "err.h"

/* Decode padded standard base64. *out is malloc'd (caller frees). */
enum ov_code ov_b64_decode(const char *s, size_t n, unsigned char **out,
    size_t *outlen, struct ov_err *err);

/* Decode unpadded base64url. *out is malloc'd (caller frees). */
enum ov_code ov_b64url_decode(const char *s, size_t n, unsigned char **out,
    size_t *outlen, struct ov_err *err);

/* Encode; the result is a malloc'd NUL-terminated string, NULL on ENOMEM. */
char *ov_b64_encode(const void *p, size_t n);
char *ov_b64url_encode(const void *p, size_t n);

#endif
