/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Notary Project signature envelopes, parsed into one format-neutral
 * struct: JWS JSON serialization (signature-envelope-jws.md, RFC 7515) in
 * jws.c and COSE_Sign1 (signature-envelope-cose.md, RFC 9052) in cose.c.
 * Parsing checks structure and the header rules (crit, scheme, times);
 * it does not verify the signature or evaluate trust (verify.c does).
 */
#ifndef OV_ENVELOPE_H
#define OV_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sigalg.h"

#define OV_MT_NOTARY_PAYLOAD "application/vnd.cncf.notary.payload.v1+json"

/* Attribute names shared by both envelope formats. */
#define OV_HDR_SIGNING_SCHEME "io.cncf.notary.signingScheme"
#define OV_HDR_SIGNING_TIME "io.cncf.notary.signingTime"
#define OV_HDR_AUTHENTIC_SIGNING_TIME "io.cncf.notary.authenticSigningTime"
#define OV_HDR_EXPIRY "io.cncf.notary.expiry"
#define OV_HDR_PLUGIN "io.cncf.notary.verificationPlugin"
#define OV_HDR_PLUGIN_MIN_VERSION "io.cncf.notary.verificationPluginMinVersion"
#define OV_HDR_SIGNING_AGENT "io.cncf.notary.signingAgent"
#define OV_HDR_TIMESTAMP "io.cncf.notary.timestampSignature"

enum ov_scheme {
	OV_SCHEME_UNKNOWN = 0,
	OV_SCHEME_X509,              /* "notary.x509" */
	OV_SCHEME_SIGNING_AUTHORITY, /* "notary.x509.signingAuthority" */
};

struct ov_bytes {
	unsigned char *p;
	size_t n;
};

/* A signed (protected) attribute that is not one of the Notary ones. */
struct ov_attr {
	char *name;     /* JWS member name, or COSE label as text ("-65537", "key") */
	char *value;    /* printable rendering of the value */
	int critical;   /* listed in crit */
};

struct ov_envelope {
	const char *media_type;      /* OV_MT_JWS or OV_MT_COSE (static) */
	enum ov_sig_alg alg;         /* from alg / label 1 */
	char *content_type;          /* cty / label 3 */
	enum ov_scheme scheme;
	int64_t signing_time;        /* signingTime, or authenticSigningTime (SA) */
	int has_expiry;
	int64_t expiry;
	char *plugin;                /* verificationPlugin, NULL when absent */
	char *plugin_min_version;    /* NULL when absent */
	struct ov_attr *attrs;       /* extended attributes, in header order */
	size_t nattrs;
	/* unsigned attributes: informational, never trusted as such */
	char *signing_agent;         /* NULL when absent */
	struct ov_bytes timestamp;   /* RFC 3161 TimeStampToken, n == 0 if absent */
	struct ov_bytes *certs;      /* x5c / x5chain DER, leaf first */
	size_t ncerts;
	/* what was signed */
	struct ov_bytes payload;     /* exact payload bytes */
	struct ov_bytes tbs;         /* JWS signing input / COSE Sig_structure */
	struct ov_bytes sig;         /* raw signature value */
	enum ov_pss_salt pss_salt;   /* JWS: auto; COSE: digest length */
};

/* Parse by envelope media type (OV_MT_JWS or OV_MT_COSE). Another media
 * type is OV_E_UNSUPPORTED. */
enum ov_code ov_envelope_parse(const char *media_type, const void *data,
    size_t len, struct ov_envelope **out, struct ov_err *err);

enum ov_code ov_jws_parse(const void *data, size_t len,
    struct ov_envelope **out, struct ov_err *err);
enum ov_code ov_cose_parse(const void *data, size_t len,
    struct ov_envelope **out, struct ov_err *err);

void ov_envelope_free(struct ov_envelope *env);

/* "notary.x509" / "notary.x509.signingAuthority" / NULL. */
const char *ov_scheme_name(enum ov_scheme scheme);

#endif
