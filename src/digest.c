/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Digest strings and streaming hashes (OCI image-spec descriptor.md,
 * "Digests"; SHA-256 and SHA-512 are the registered algorithms ocivet can
 * verify).
 */
#include "config.h"

#include "digest.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

struct ov_hash {
	EVP_MD_CTX *ctx;
	enum ov_digest_alg alg;
};

static const EVP_MD *
md_of(enum ov_digest_alg alg)
{
	return alg == OV_DIGEST_SHA512 ? EVP_sha512() : EVP_sha256();
}

int
ov_crypto_init(void)
{
	return OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) == 1
	    ? 0
	    : -1;
}

static size_t
raw_len(enum ov_digest_alg alg)
{
	return alg == OV_DIGEST_SHA512 ? 64 : 32;
}

const char *
ov_digest_alg_name(enum ov_digest_alg alg)
{
	return alg == OV_DIGEST_SHA512 ? "sha512" : "sha256";
}

void
ov_hex(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void
ov_digest_set(struct ov_digest *d, enum ov_digest_alg alg,
    const unsigned char *raw)
{
	const char *name = ov_digest_alg_name(alg);
	size_t nl = strlen(name);

	d->alg = alg;
	d->len = raw_len(alg);
	memcpy(d->raw, raw, d->len);
	memcpy(d->str, name, nl);
	d->str[nl] = ':';
	ov_hex(d->raw, d->len, d->str + nl + 1);
}

const char *
ov_digest_hex(const struct ov_digest *d)
{
	const char *c = strchr(d->str, ':');

	return c != NULL ? c + 1 : d->str;
}

static int
is_alnum_lower(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * algorithm := component (separator component)*, component [a-z0-9]+,
 * separator [+._-]; encoded := [a-zA-Z0-9=_-]+.
 */
static int
grammatical(const char *s, size_t *alg_len)
{
	const char *p = s;
	int need_comp = 1;

	for (; *p != ':' && *p != '\0'; p++) {
		if (is_alnum_lower((unsigned char)*p)) {
			need_comp = 0;
		} else if (strchr("+._-", *p) != NULL && !need_comp) {
			need_comp = 1;
		} else {
			return 0;
		}
	}
	if (*p != ':' || need_comp)
		return 0;
	*alg_len = (size_t)(p - s);
	if (p[1] == '\0')
		return 0;
	for (p++; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(is_alnum_lower(c) || (c >= 'A' && c <= 'Z') ||
			c == '=' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

enum ov_code
ov_digest_parse(const char *s, struct ov_digest *out, struct ov_err *err)
{
	unsigned char raw[OV_DIGEST_MAX_RAW];
	enum ov_digest_alg alg;
	const char *hex;
	size_t alg_len, n, i;

	if (s == NULL || !grammatical(s, &alg_len))
		return ov_err_set(err, OV_E_FORMAT, "invalid digest \"%.80s\"",
		    s ? s : "");
	if (alg_len == 6 && strncmp(s, "sha256", 6) == 0)
		alg = OV_DIGEST_SHA256;
	else if (alg_len == 6 && strncmp(s, "sha512", 6) == 0)
		alg = OV_DIGEST_SHA512;
	else
		return ov_err_set(err, OV_E_UNSUPPORTED,
		    "unsupported digest algorithm \"%.*s\" in \"%.80s\"",
		    (int)(alg_len > 32 ? 32 : alg_len), s, s);
	hex = s + alg_len + 1;
	n = raw_len(alg);
	if (strlen(hex) != 2 * n)
		return ov_err_set(err, OV_E_FORMAT,
		    "invalid digest \"%.80s\": %s needs %zu hex digits", s,
		    ov_digest_alg_name(alg), 2 * n);
	for (i = 0; i < n; i++) {
		int hi = hexval((unsigned char)hex[2 * i]);
		int lo = hexval((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return ov_err_set(err, OV_E_FORMAT,
			    "invalid digest \"%.80s\": only lowercase hex digits are allowed",
			    s);
		raw[i] = (unsigned char)(hi << 4 | lo);
	}
	ov_digest_set(out, alg, raw);
	return OV_OK;
}

int
ov_digest_equal(const struct ov_digest *a, const struct ov_digest *b)
{
	if (a->alg != b->alg || a->len != b->len)
		return 0;
	return CRYPTO_memcmp(a->raw, b->raw, a->len) == 0;
}

enum ov_code
ov_digest_of(enum ov_digest_alg alg, const void *data, size_t len,
    struct ov_digest *out, struct ov_err *err)
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(data, len, raw, &n, md_of(alg), NULL))
		return ov_err_ssl(err, OV_E_INTERNAL, "EVP_Digest failed");
	ov_digest_set(out, alg, raw);
	return OV_OK;
}

enum ov_code
ov_hash_new(enum ov_digest_alg alg, struct ov_hash **out, struct ov_err *err)
{
	struct ov_hash *h;
	enum ov_code r;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	h->alg = alg;
	if ((h->ctx = EVP_MD_CTX_new()) == NULL) {
		free(h);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	if ((r = ov_hash_reset(h, err)) != OV_OK) {
		ov_hash_free(h);
		return r;
	}
	*out = h;
	return OV_OK;
}

enum ov_code
ov_hash_reset(struct ov_hash *h, struct ov_err *err)
{
	if (!EVP_DigestInit_ex(h->ctx, md_of(h->alg), NULL))
		return ov_err_ssl(err, OV_E_INTERNAL, "EVP_DigestInit failed");
	return OV_OK;
}

enum ov_code
ov_hash_update(struct ov_hash *h, const void *data, size_t len,
    struct ov_err *err)
{
	if (!EVP_DigestUpdate(h->ctx, data, len))
		return ov_err_ssl(err, OV_E_INTERNAL,
		    "EVP_DigestUpdate failed");
	return OV_OK;
}

enum ov_code
ov_hash_final(struct ov_hash *h, struct ov_digest *out, struct ov_err *err)
{
	unsigned char raw[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_DigestFinal_ex(h->ctx, raw, &n))
		return ov_err_ssl(err, OV_E_INTERNAL,
		    "EVP_DigestFinal failed");
	ov_digest_set(out, h->alg, raw);
	return OV_OK;
}

void
ov_hash_free(struct ov_hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}
