/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trust bundles (ocivet-trust-bundle(5)): a notation configuration
 * directory (trust policy, truststore/x509/..., crl/) with a manifest,
 * ocivet-trust.json, that lists every file with its SHA-256, as a
 * directory or a tar archive (plain, gzip, zstd). Opening one checks
 * that its files are exactly those of the manifest; an optional detached
 * signature over the manifest is checked against a key the caller names.
 * Not to be confused with signature bundles (bundle.h, ocivet-bundle(5)).
 */
#ifndef OV_TBUNDLE_H
#define OV_TBUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h" /* enum ov_bundle_format */
#include "digest.h"
#include "err.h"

#define OV_TBUNDLE_MANIFEST "ocivet-trust.json"
#define OV_TBUNDLE_SIGNATURE "ocivet-trust.json.sig"
#define OV_TBUNDLE_FORMAT 1 /* "ocivetTrustBundle" */

/* Limits: the manifest, files listed, one file, all files, a path. */
#define OV_TBUNDLE_MAX_MANIFEST (1024 * 1024)
#define OV_TBUNDLE_MAX_FILES 4096
#define OV_TBUNDLE_MAX_FILE (4 * 1024 * 1024)
#define OV_TBUNDLE_MAX_TOTAL (256 * 1024 * 1024)
#define OV_TBUNDLE_MAX_PATH 512
#define OV_TBUNDLE_MAX_DEPTH 16

struct ov_tbundle_file {
	char *path;              /* relative, '/'-separated, checked */
	struct ov_digest sha256; /* of its bytes */
	int64_t size;
};

struct ov_tbundle_manifest {
	char *name;        /* [a-z0-9][a-z0-9._-]* */
	char *version;     /* free text, may be NULL */
	char *created;     /* RFC 3339 */
	char *description; /* free text, may be NULL */
	struct ov_tbundle_file *files; /* sorted by path, no duplicates */
	size_t nfiles;
};

/*
 * Parse a manifest: the members above and nothing else, every path
 * relative without "." or ".." components, backslashes or control
 * characters, no path listed twice or naming the manifest or its
 * signature. what names it in messages. OV_E_FORMAT / OV_E_LIMIT.
 */
enum ov_code ov_tbundle_manifest_parse(const void *data, size_t len,
    const char *what, struct ov_tbundle_manifest **out, struct ov_err *err);

/* The manifest as JSON text (files in path order), malloc'd in *out. */
enum ov_code ov_tbundle_manifest_json(const struct ov_tbundle_manifest *m,
    char **out, struct ov_err *err);

void ov_tbundle_manifest_free(struct ov_tbundle_manifest *m);
/* Free what m holds, not m itself (a manifest on the stack). */
void ov_tbundle_manifest_free_fields(struct ov_tbundle_manifest *m);

/* 1 when name is a valid bundle name ([a-z0-9][a-z0-9._-]*, at most 64). */
int ov_tbundle_name_valid(const char *name);

struct ov_tbundle;

/*
 * Open the trust bundle at path, a directory or a tar archive read with
 * ov_archive_read() (its safety rules apply), and check it: every file
 * but the manifest and its signature must be listed, with its size and
 * SHA-256, and every listed file present; only regular files and
 * directories. The first difference is the error, naming the file:
 * OV_E_DIGEST for a file whose bytes differ, OV_E_CONFIG for one
 * missing or not listed. An archive is then written, byte for byte as
 * checked, into a new private directory (mode 0700) under tmpdir, which
 * ov_tbundle_free() removes.
 */
enum ov_code ov_tbundle_open(const char *path, const char *tmpdir,
    struct ov_tbundle **out, struct ov_err *err);

/* The directory holding the checked files (path, or the private copy). */
const char *ov_tbundle_dir(const struct ov_tbundle *b);
/* The path given to ov_tbundle_open(). */
const char *ov_tbundle_path(const struct ov_tbundle *b);
/* 1 for an archive, 0 for a directory. */
int ov_tbundle_is_archive(const struct ov_tbundle *b);
const struct ov_tbundle_manifest *ov_tbundle_manifest(
    const struct ov_tbundle *b);
/* 1 when the bundle holds ocivet-trust.json.sig. */
int ov_tbundle_signed(const struct ov_tbundle *b);

/*
 * Check ocivet-trust.json.sig over the manifest's bytes with the public
 * key (PEM, or a PEM certificate holding it) in keyfile: RSA PKCS#1 v1.5
 * or ECDSA over SHA-256 (openssl dgst -sha256 -sign), or Ed25519 (openssl
 * pkeyutl -sign -rawin). OV_E_NOTFOUND when the bundle has no signature,
 * OV_E_SIGNATURE when it does not verify, OV_E_CONFIG for a bad key.
 */
enum ov_code ov_tbundle_check_signature(const struct ov_tbundle *b,
    const char *keyfile, struct ov_err *err);

/* Free b, removing its private copy; b may be NULL. */
void ov_tbundle_free(struct ov_tbundle *b);

/* One file to put in a new bundle: its path there, and where to read it. */
struct ov_tbundle_input {
	const char *path;
	const char *from;
};

/*
 * Write a bundle to out (as ov_bundle_out_open() writes: a temporary
 * beside out, renamed at the end, never over an existing file) holding
 * the n inputs (regular files, read without following symlinks) and a
 * manifest with meta's name, version, created and description (its files
 * are ignored). OV_E_USAGE for a path given twice or not valid.
 */
enum ov_code ov_tbundle_write(const char *out, enum ov_bundle_format format,
    const struct ov_tbundle_manifest *meta, const struct ov_tbundle_input *in,
    size_t n, struct ov_err *err);

#endif
