/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Distinguished names for trusted identities (trust-store-trust-policy.md
 * "Trusted Identities Constraints"; spec digest E.6). Parses the RFC 4514
 * strings of x509.subject identities with notation's rules (C, ST and O
 * required, S is an alias of ST, no multi-valued RDNs, no repeated
 * attribute, no "=#" hex values), converts a certificate subject the way
 * notation does, and matches one against the other.
 */
#ifndef OV_DN_H
#define OV_DN_H

#include <stddef.h>

#include <openssl/x509.h>

#include "err.h"

/* Most attributes in one identity DN (notation has no limit). */
#define OV_MAX_DN_ATTRS 64

struct ov_dn_attr {
	char *type;  /* "C", "ST", "O", "CN", ... as written ("S" -> "ST") */
	char *value; /* unescaped */
};

struct ov_dn {
	struct ov_dn_attr *attrs;
	size_t n;
};

/*
 * Parse an RFC 4514 string with the rules above (leading and trailing
 * spaces of types and values are trimmed). OV_E_FORMAT with the reason
 * when it breaks one, OV_E_LIMIT past OV_MAX_DN_ATTRS attributes.
 */
enum ov_code ov_dn_parse(const char *s, struct ov_dn **out, struct ov_err *err);

/*
 * Convert a certificate subject: only C, O, OU, CN, SERIALNUMBER, L, ST,
 * STREET and POSTALCODE are representable; any other attribute, a
 * repeated attribute, or a missing C/ST/O is OV_E_POLICY (notation cannot
 * match such a certificate except with the "*" identity).
 */
enum ov_code ov_dn_from_name(const X509_NAME *name, struct ov_dn **out,
			     struct ov_err *err);

/*
 * 1 when every attribute of identity occurs with an identical value
 * (byte-wise) in subject. As in notation, an attribute absent from subject
 * compares as the empty value.
 */
int ov_dn_is_subset(const struct ov_dn *identity, const struct ov_dn *subject);

/* 1 when a is a subset of b or b of a (overlapping identities). */
int ov_dn_overlaps(const struct ov_dn *a, const struct ov_dn *b);

void ov_dn_free(struct ov_dn *dn);

#endif
