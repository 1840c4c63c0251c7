/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error records. Every fallible library function returns an enum ov_code
 * (OV_OK is 0) and fills a struct ov_err with one line of context. The
 * code that detects a problem writes the message; callers pass the code up
 * and may prefix context with ov_err_wrap().
 */
#ifndef OV_ERR_H
#define OV_ERR_H

#include <stddef.h>

enum ov_code {
	OV_OK = 0,
	/* operational errors: the input could not be processed */
	OV_E_NOMEM,       /* out of memory */
	OV_E_IO,          /* read error, permission denied */
	OV_E_USAGE,       /* bad option or argument */
	OV_E_CONFIG,      /* invalid trust policy, unusable trust store */
	OV_E_FORMAT,      /* malformed input (JSON, CBOR, base64, ASN.1) */
	OV_E_UNSUPPORTED, /* well-formed but not supported (algorithm, type) */
	OV_E_LIMIT,       /* a resource limit was hit */
	OV_E_NOTFOUND,    /* file, blob, tag or signature not found */
	OV_E_INTERNAL,    /* a bug */
	/* verdicts: the input was understood but is not trusted */
	OV_E_DIGEST,      /* content does not match its digest or size */
	OV_E_SIGNATURE,   /* cryptographic signature invalid */
	OV_E_CHAIN,       /* certificate chain invalid or untrusted */
	OV_E_TIMESTAMP,   /* timestamp invalid, untrusted, or outside validity */
	OV_E_POLICY,      /* trust policy does not allow it (identity, scope) */
	OV_E_EXPIRED,     /* signature or certificate expired */
	OV_E_REVOKED,     /* certificate revoked */
	OV_E_REVOCATION_UNKNOWN, /* no usable CRL or OCSP response decides */
	OV_E__COUNT
};

#define OV_ERR_MSG_MAX 512

struct ov_err {
	enum ov_code code;
	char msg[OV_ERR_MSG_MAX];
};

/* Reset err to OV_OK with an empty message. err may be NULL. */
void ov_err_clear(struct ov_err *err);

/*
 * Record code and a printf-style message in err (which may be NULL).
 * Returns code, so detectors can write `return ov_err_set(err, ...)`.
 */
enum ov_code ov_err_set(struct ov_err *err, enum ov_code code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Prefix the message in err with context ("<context>: <old message>").
 * Returns the code already in err.
 */
enum ov_code ov_err_wrap(struct ov_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Like ov_err_set(), then append the reason of the oldest entry of the
 * OpenSSL error queue (if any) and clear the queue.
 */
enum ov_code ov_err_ssl(struct ov_err *err, enum ov_code code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Stable snake_case name of a code, used in JSON reports. */
const char *ov_code_name(enum ov_code code);

/* Nonzero when code is a verdict (the input is untrusted), not an
 * operational error. */
int ov_code_is_verdict(enum ov_code code);

#endif
