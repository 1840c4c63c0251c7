/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing material for `ocivet sign`: private keys read from PEM or DER,
 * PKCS#8 or traditional, optionally encrypted; and the checks that refuse
 * a key and certificate chain whose signatures could never verify
 * (signature-specification.md "Certificate Requirements", spec digest
 * C.1, B.6).
 */
#ifndef OV_SIGNKEY_H
#define OV_SIGNKEY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "err.h"

/*
 * Decode the private key in data (name for messages): PEM ("PRIVATE
 * KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY")
 * or DER (PKCS#8, encrypted PKCS#8, or traditional RSA/EC). pass (may be
 * NULL) decrypts an encrypted key; an encrypted key without pass, or
 * with the wrong one, fails (OV_E_USAGE) saying so. *out is the caller's.
 */
enum ov_code ov_signkey_load(const unsigned char *data, size_t len,
			     const char *name, const char *pass,
			     EVP_PKEY **out, struct ov_err *err);

/*
 * Refuse material that would never verify, with the reason (OV_E_USAGE
 * for the key, OV_E_CHAIN for the chain, leaf first): a key type or
 * size notation does not sign with (RSA 2048/3072/4096, EC
 * P-256/384/521), a key that is not the leaf's, a chain that does not
 * chain or breaks a certificate rule (ov_x509_check_codesigning_chain),
 * a leaf whose extendedKeyUsage lacks codeSigning, and a certificate not
 * valid at t (the signing time).
 */
enum ov_code ov_signkey_check(EVP_PKEY *key, STACK_OF(X509) *chain,
			      int64_t t, struct ov_err *err);

#endif
