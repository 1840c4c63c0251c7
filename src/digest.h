/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI content digests ("sha256:<hex>", "sha512:<hex>"): strict parsing per
 * the image-spec digest grammar, printing, streaming hashing and constant
 * time comparison. OCI image-spec descriptor.md, "Digests".
 */
#ifndef OV_DIGEST_H
#define OV_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum ov_digest_alg {
	OV_DIGEST_SHA256,
	OV_DIGEST_SHA512,
};

#define OV_DIGEST_MAX_RAW 64
#define OV_DIGEST_MAX_STR (7 + 128 + 1) /* "sha512:" + hex + NUL */

struct ov_digest {
	enum ov_digest_alg alg;
	size_t len;                             /* bytes in raw */
	unsigned char raw[OV_DIGEST_MAX_RAW];
	char str[OV_DIGEST_MAX_STR];            /* canonical "alg:hex" */
};

/*
 * Parse "alg:hex". Grammatical digests with an unregistered algorithm
 * (e.g. blake3) give OV_E_UNSUPPORTED; anything else that is not exactly
 * "sha256:" + 64 or "sha512:" + 128 lowercase hex digits is OV_E_FORMAT.
 */
enum ov_code ov_digest_parse(const char *s, struct ov_digest *out,
    struct ov_err *err);

/*
 * Initialise OpenSSL for this process without reading openssl.cnf
 * ($OPENSSL_CONF): what ocivet accepts never depends on a system-wide
 * configuration, and reading it cost a quarter of a small verify. Call
 * it first, before anything else uses OpenSSL; later calls do nothing.
 * Returns 0, or -1 when OpenSSL cannot initialise.
 */
int ov_crypto_init(void);

/* Algorithm name ("sha256") and the hex part of d->str. */
const char *ov_digest_alg_name(enum ov_digest_alg alg);
const char *ov_digest_hex(const struct ov_digest *d);

/* 1 when a and b name the same content (constant time over the bytes). */
int ov_digest_equal(const struct ov_digest *a, const struct ov_digest *b);

/* Fill d from raw hash bytes. */
void ov_digest_set(struct ov_digest *d, enum ov_digest_alg alg,
    const unsigned char *raw);

/* Digest of a buffer. */
enum ov_code ov_digest_of(enum ov_digest_alg alg, const void *data,
    size_t len, struct ov_digest *out, struct ov_err *err);

/* Streaming hash. Not shared between threads; one per blob. */
struct ov_hash;

enum ov_code ov_hash_new(enum ov_digest_alg alg, struct ov_hash **out,
    struct ov_err *err);
enum ov_code ov_hash_update(struct ov_hash *h, const void *data, size_t len,
    struct ov_err *err);
/* Finish into out; the hash may be reused after ov_hash_reset(). */
enum ov_code ov_hash_final(struct ov_hash *h, struct ov_digest *out,
    struct ov_err *err);
enum ov_code ov_hash_reset(struct ov_hash *h, struct ov_err *err);
void ov_hash_free(struct ov_hash *h);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void ov_hex(const unsigned char *p, size_t n, char *out);

#endif
