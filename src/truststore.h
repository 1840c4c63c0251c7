/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notation trust stores (trust-store-trust-policy.md "Trust Store";
 * spec digest C.4, E.1): x509/{ca,signingAuthority,tsa}/<name>/ holding
 * PEM or DER certificate files, with notation's admission rules.
 */
#ifndef OV_TRUSTSTORE_H
#define OV_TRUSTSTORE_H

#include <stddef.h>

#include <openssl/x509.h>

#include "err.h"

struct ov_x509_cache;

enum ov_store_type {
	OV_STORE_CA,
	OV_STORE_SIGNING_AUTHORITY,
	OV_STORE_TSA,
};

/* "ca", "signingAuthority", "tsa". */
const char *ov_store_type_name(enum ov_store_type type);

/* Parse a type name (case-sensitive, n bytes). 0 on success, -1 if
 * unknown. */
int ov_store_type_parse(const char *s, size_t n, enum ov_store_type *out);

/* 1 when name is a valid named-store name ([a-zA-Z0-9_.-]+). */
int ov_store_name_valid(const char *name);

/*
 * Load named store `name` of `type` from root (the directory that holds
 * x509/). The store must be a real directory (not a symlink) holding only
 * regular files, each parsing as PEM or DER certificates; every
 * certificate must be a CA or self-signed, and for tsa a self-issued root
 * CA. Errors name the store and the file: OV_E_NOTFOUND when the store
 * does not exist, OV_E_CONFIG when it breaks a rule, OV_E_IO when
 * unreadable. Certificates are decoded through cache (may be NULL;
 * x509.h). *out holds >= 1 certificate; the caller frees it with
 * sk_X509_pop_free(*out, X509_free).
 */
enum ov_code ov_truststore_load(const char *root, enum ov_store_type type,
				const char *name, struct ov_x509_cache *cache,
				STACK_OF(X509) **out, struct ov_err *err);

/*
 * The names in <root>/x509/<type>/ (the named stores of that type),
 * sorted; none when the directory does not exist. Entries are not
 * checked: ov_truststore_load() says what is wrong with each. *names is
 * malloc'd; free it with ov_strv_free().
 */
enum ov_code ov_truststore_names(const char *root, enum ov_store_type type,
				 char ***names, size_t *n, struct ov_err *err);

#endif
