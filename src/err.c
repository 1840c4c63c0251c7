/* SPDX-License-Identifier: Apache-2.0 */
/* Error records: formatting, context prefixes, OpenSSL error queue. */
#include "config.h"

#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

void
ov_err_clear(struct ov_err *err)
{
	if (err == NULL)
		return;
	err->code = OV_OK;
	err->msg[0] = '\0';
}

/*
 * Messages quote untrusted input (names, media types, tags): control
 * characters become '?', so a message stays one line and cannot carry
 * terminal escapes into a log.
 */
static void
sanitize(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			*s = '?';
}

static void
vset(struct ov_err *err, enum ov_code code, const char *fmt, va_list ap)
{
	err->code = code;
	/* Truncation is acceptable here: the message is diagnostic only. */
	(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	sanitize(err->msg);
}

enum ov_code
ov_err_set(struct ov_err *err, enum ov_code code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

enum ov_code
ov_err_wrap(struct ov_err *err, const char *fmt, ...)
{
	char ctx[OV_ERR_MSG_MAX], old[OV_ERR_MSG_MAX];
	size_t n, m;
	va_list ap;

	if (err == NULL)
		return OV_E_INTERNAL;
	va_start(ap, fmt);
	(void)vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	n = strlen(ctx);
	if (n > sizeof(err->msg) - 3)
		n = sizeof(err->msg) - 3;
	memcpy(err->msg, ctx, n);
	memcpy(err->msg + n, ": ", 2);
	n += 2;
	m = strnlen(old, sizeof(old));
	if (m > sizeof(err->msg) - 1 - n)
		m = sizeof(err->msg) - 1 - n; /* truncate the old message */
	memcpy(err->msg + n, old, m);
	err->msg[n + m] = '\0';
	sanitize(err->msg);
	return err->code;
}

enum ov_code
ov_err_ssl(struct ov_err *err, enum ov_code code, const char *fmt, ...)
{
	unsigned long e;
	char reason[256];
	size_t n;
	va_list ap;

	e = ERR_peek_error();
	if (err != NULL) {
		va_start(ap, fmt);
		vset(err, code, fmt, ap);
		va_end(ap);
		if (e != 0) {
			ERR_error_string_n(e, reason, sizeof(reason));
			n = strlen(err->msg);
			(void)snprintf(err->msg + n, sizeof(err->msg) - n,
			    " (%s)", reason);
		}
	}
	ERR_clear_error();
	return code;
}

static const char *const names[OV_E__COUNT] = {
	[OV_OK] = "ok",
	[OV_E_NOMEM] = "out_of_memory",
	[OV_E_IO] = "io_error",
	[OV_E_USAGE] = "usage",
	[OV_E_CONFIG] = "configuration_invalid",
	[OV_E_FORMAT] = "malformed_input",
	[OV_E_UNSUPPORTED] = "unsupported",
	[OV_E_LIMIT] = "limit_exceeded",
	[OV_E_NOTFOUND] = "not_found",
	[OV_E_INTERNAL] = "internal_error",
	[OV_E_DIGEST] = "digest_mismatch",
	[OV_E_SIGNATURE] = "signature_invalid",
	[OV_E_CHAIN] = "certificate_chain_invalid",
	[OV_E_TIMESTAMP] = "timestamp_invalid",
	[OV_E_POLICY] = "policy_violation",
	[OV_E_EXPIRED] = "expired",
	[OV_E_REVOKED] = "revoked",
	[OV_E_REVOCATION_UNKNOWN] = "revocation_unknown",
};

const char *
ov_code_name(enum ov_code code)
{
	if ((unsigned)code >= OV_E__COUNT)
		return "internal_error";
	return names[code];
}

int
ov_code_is_verdict(enum ov_code code)
{
	return code >= OV_E_DIGEST && code < OV_E__COUNT;
}
