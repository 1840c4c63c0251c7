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
/* Envelope media types (identical definitions are in manifest.h). */
#ifndef OV_MT_JWS
#define OV_MT_JWS "application/jose+json"
#endif
#ifndef OV_MT_COSE
#define OV_MT_COSE "application/cose"
#endif

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

/*
 * A signed (protected) attribute that is not one of the Notary ones. name
 * is the JWS member name or the COSE label as text ("-65537", "key").
 */
struct ov_attr {
	char *name;
	char *value;  /* printable rendering of the value */
	int critical; /* listed in crit */
};

struct ov_envelope {
	const char *media_type; /* OV_MT_JWS or OV_MT_COSE (static) */
	enum ov_sig_alg alg;    /* from alg / label 1 */
	char *content_type;     /* cty / label 3 */
	enum ov_scheme scheme;
	int64_t signing_time; /* signingTime, or authenticSigningTime (SA) */
	int has_expiry;
	int64_t expiry;
	char *plugin;             /* verificationPlugin, NULL when absent */
	char *plugin_min_version; /* NULL when absent */
	struct ov_attr *attrs;    /* extended attributes, in header order */
	size_t nattrs;
	/* unsigned attributes: informational, never trusted as such */
	char *signing_agent;       /* NULL when absent */
	struct ov_bytes timestamp; /* RFC 3161 token, n == 0 when absent */
	struct ov_bytes *certs;    /* x5c / x5chain DER, leaf first */
	size_t ncerts;
	/* what was signed */
	struct ov_bytes payload;   /* exact payload bytes */
	struct ov_bytes tbs;       /* JWS signing input / COSE Sig_structure */
	struct ov_bytes sig;       /* raw signature value */
	enum ov_pss_salt pss_salt; /* JWS: auto; COSE: digest length */
};

/* Parse by envelope media type (OV_MT_JWS or OV_MT_COSE). Another media
 * type is OV_E_UNSUPPORTED. */
enum ov_code ov_envelope_parse(const char *media_type, const void *data,
			       size_t len, struct ov_envelope **out,
			       struct ov_err *err);

enum ov_code ov_jws_parse(const void *data, size_t len,
			  struct ov_envelope **out, struct ov_err *err);
enum ov_code ov_cose_parse(const void *data, size_t len,
			   struct ov_envelope **out, struct ov_err *err);

void ov_envelope_free(struct ov_envelope *env);

/* "notary.x509" / "notary.x509.signingAuthority" / NULL. */
const char *ov_scheme_name(enum ov_scheme scheme);

/* The scheme named by a signingScheme value; OV_SCHEME_UNKNOWN otherwise. */
enum ov_scheme ov_scheme_from_name(const char *name);

/*
 * Helpers shared by jws.c, cose.c and sign.c; not for other modules.
 */

/* Go's zero time.Time (0001-01-01T00:00:00Z): notation's "missing". */
#define OV_GO_ZERO_TIME (-62135596800LL)

/* A zeroed envelope with media_type (a static string). */
enum ov_code ov_envelope_new(const char *media_type, struct ov_envelope **out,
			     struct ov_err *err);

/* Append an extended attribute; name and value are copied. */
enum ov_code ov_envelope_add_attr(struct ov_envelope *env, const char *name,
				  const char *value, int critical,
				  struct ov_err *err);

/* Append a certificate (DER, copied; n > 0), at most OV_MAX_CHAIN. */
enum ov_code ov_envelope_add_cert(struct ov_envelope *env, const void *der,
				  size_t n, struct ov_err *err);

/*
 * Checks common to both formats once parsed (spec digest B.5 items 1-2):
 * payload and signature non-empty, signing time set, expiry strictly
 * after the signing time. what prefixes messages.
 */
enum ov_code ov_envelope_check(const struct ov_envelope *env, const char *what,
			       struct ov_err *err);

/*
 * Length of the one CBOR data item at the start of data (cose.c's walker,
 * with its depth and item limits; any tags allowed). Data after the item
 * is ignored.
 */
enum ov_code ov_cbor_item_len(const void *data, size_t len, size_t *item_len,
			      struct ov_err *err);

#endif
